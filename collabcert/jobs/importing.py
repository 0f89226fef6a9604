"""The import check job: does what the CA sent belong to the request, and is it all there?

One function, `check_import_job`, used by `collabcert bundle --key/--csr` and by the wizard's
"Import a signed certificate" (its match and SAN check step). What both faces get, decided once:

- The chain is built from the leaf the key (or else the CSR) picks. When neither fits any
  certificate (seed-001 KEY-MATCH: usually the cluster peer's certificate), the chain is built
  again without it, so the person sees what was sent, and `mismatch` is set: the KEY-MATCH
  finding names the mix-up and no file is planned for someone else's certificate.
- The CSR's own Extended Key Usage is required of the certificate (a CA template that drops
  clientAuth: seed-001 AT-16, CRT-EKU-CLIENT), and every SAN the CSR asked for must be in it
  (peers A.2 item 4).
- Inputs that could not be read are READ errors; what the reader said about the others is kept.

Inputs are plain engine values: `(name, Loaded)` pairs, the name being what the person calls the
source (a path as typed, "pasted text").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collabcert import certparts, rules
from collabcert.chain import Chain, LeafNotFound, build_chain
from collabcert.errors import InputError
from collabcert.findings import Finding
from collabcert.importcheck import ImportCheck, check_import
from collabcert.load import ItemKind, Loaded

Source = tuple[str, Loaded]  # (what the person calls it, what was read from it)


@dataclass(frozen=True)
class Request:
    """The CSR and/or private key the certificate was requested with."""

    csr: Any = None  # x509.CertificateSigningRequest
    key: Any = None  # a private key
    key_file: Path | None = None  # the key's file: CMS names its files after it (seed-003 AT20)
    names: tuple[str, ...] = ()  # the sources they came from, for the faces to show
    csr_file: Path | None = None  # the CSR's file: outputs are named after it (issue 12 item 8)

    @property
    def picker(self) -> Any:
        """What picks the leaf: the key when given (exact), else the CSR."""
        return self.key if self.key is not None else self.csr

    @property
    def what(self) -> str:
        """"CSR", "private key" or "CSR and private key", for a sentence."""
        parts = (["CSR"] if self.csr is not None else []) + (
            ["private key"] if self.key is not None else [])
        return " and ".join(parts)

    @property
    def given(self) -> bool:
        return self.csr is not None or self.key is not None


def request_from(sources: Sequence[Source]) -> Request:
    """The first CSR and the first private key of `sources` (InputError when neither)."""
    csr = key = key_file = csr_file = None
    names: list[str] = []
    for name, loaded in sources:
        for item in loaded.items:
            if item.kind is ItemKind.CSR and csr is None:
                csr, csr_file = item.obj, loaded.path
            elif item.kind is ItemKind.PRIVATE_KEY and key is None:
                key, key_file = item.obj, loaded.path
            else:
                continue
            if name not in names:
                names.append(name)
    if csr is None and key is None:
        raise InputError("no CSR or private key was found in what you chose; choose the .csr or "
                         ".key file the request was made with")
    return Request(csr, key, key_file, tuple(names), csr_file)


def key_source(sources: Sequence[Source]) -> Path | None:
    """The file of the one private key inside the inputs (a .pfx): it names the outputs as a
    key file would (seed-003 AT20: CMS names the files after the key)."""
    holders = [loaded.path for _name, loaded in sources
               for item in loaded.items if item.kind is ItemKind.PRIVATE_KEY]
    return holders[0] if len(holders) == 1 else None


def output_basename(request: Request | None) -> str | None:
    """What an import's files are named after (issue 12 item 8): the key's or the CSR's file
    name (`expc2.key` -> `expc2`), not the CN: the peers of a cluster share the CN (the
    cluster FQDN, seed-001 L425), so CN-named files of one peer would replace another's.
    None when the request has no file (pasted text) or none was given: then the CN."""
    if request is None or not request.given:
        return None
    for file in (request.key_file, request.csr_file):
        if file is not None and Path(file).stem:
            return Path(file).stem
    return None


def certificates_of(sources: Sequence[Source]) -> tuple[tuple[Any, str], ...]:
    """Every certificate of the sources with the name of its source, in input order."""
    return tuple((item.obj, name) for name, loaded in sources for item in loaded.items
                 if item.kind is ItemKind.CERTIFICATE)


def source_names(certificates: Sequence[tuple[Any, str]]) -> dict[str, str]:
    """Fingerprint -> the file it came from (the first one), for findings that must tell two
    same-name certificates apart (issue 12 item 12)."""
    from collabcert.chain import fingerprint

    out: dict[str, str] = {}
    for cert, name in certificates:
        out.setdefault(fingerprint(cert), Path(name).name if name else name)
    return out


def source_findings(sources: Sequence[Source], problems: Sequence[str] = ()) -> list[Finding]:
    """What the reader said about each source; each source that could not be read, as an error."""
    out = [rules.get("READ").finding(problem) for problem in problems]
    for _name, loaded in sources:
        out += list(loaded.findings)
    return out


def inputs_key(sources: Sequence[Source]) -> Any:
    """The private key inside the inputs (a PKCS#12, a PEM with the key), when there is one:
    it picks the leaf exactly, as --key would. None when there are none or several."""
    keys = [item.obj for _name, loaded in sources for item in loaded.items
            if item.kind is ItemKind.PRIVATE_KEY]
    return keys[0] if len(keys) == 1 else None


def csr_eku(csr: Any) -> list[Any] | None:
    """The EKUs the CSR asked for; None when it asked for none (then none are required)."""
    if csr is None:
        return None
    from cryptography import x509

    try:
        return list(certparts.extensions_of(csr).get_extension_for_class(
            x509.ExtendedKeyUsage).value)
    except (x509.ExtensionNotFound, ValueError):
        return None


@dataclass(frozen=True)
class ImportChecked:
    """The import check's result: what was read, the chain, the checks and their findings."""

    certificates: tuple[tuple[Any, str], ...]  # (certificate, source name) as read
    chain: Chain
    check: ImportCheck | None  # None when no key or CSR was given
    mismatch: bool  # the key/CSR fits none of the certificates (seed-001 KEY-MATCH)
    read_findings: tuple[Finding, ...]  # what the reader said, and the unreadable sources
    at: dt.datetime

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding: the sources', the chain's, then the checks' own."""
        return self.read_findings + self.chain.findings + self.extra_findings

    @property
    def key_matches(self) -> bool | None:
        """False when the key or CSR fits none of the certificates; None when none was given."""
        if self.mismatch:
            return False
        if self.check is None:
            return None
        return self.check.key_matches if self.check.key_matches is not None else (
            self.check.csr_matches)

    @property
    def shown_findings(self) -> tuple[Finding, ...]:
        """The checks' own findings, then the chain's (what the wizard's check step lists)."""
        return self.check.findings if self.check is not None else self.chain.findings

    @property
    def extra_findings(self) -> tuple[Finding, ...]:
        """The checks' findings the chain did not already give (SAN, EKU, KU, key match)."""
        if self.check is None:
            return ()
        return tuple(f for f in self.check.findings if f not in self.chain.findings)


def check_import_job(
    sources: Sequence[Source],
    request: Request | None = None,
    *,
    problems: Sequence[str] = (),
    at: dt.datetime | None = None,
) -> ImportChecked:
    """Build the chain from the leaf the request picks (or guess it) and check it."""
    certificates = certificates_of(sources)
    if not certificates:
        raise InputError("no certificate was found in what was given; add the certificate "
                         "files the CA sent back")
    when = at or dt.datetime.now(dt.UTC)
    picker = request.picker if request is not None and request.given else inputs_key(sources)
    certs = [c for c, _ in certificates]
    names = source_names(certificates)
    mismatch = False
    try:
        chain = build_chain(certs, key=picker, at=when, sources=names)
    except LeafNotFound:
        # seed-001 KEY-MATCH: show what was sent anyway; check_import names the mix-up.
        mismatch = True
        chain = build_chain(certs, at=when, sources=names)
    check = None
    if request is not None and request.given:
        check = check_import(chain.leaf.certificate, key=request.key, csr=request.csr,
                             chain=chain, required_eku=csr_eku(request.csr), at=when)
    elif mismatch:  # a key inside the inputs that fits none of their certificates
        check = check_import(chain.leaf.certificate, key=picker, chain=chain, at=when)
    read = tuple(source_findings(sources, problems))
    return ImportChecked(certificates, chain, check, mismatch, read, when)
