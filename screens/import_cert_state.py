"""What the import and bundle flows keep between steps, and the engine calls they make.

No Textual here: the steps read and write these values and ask the engine (collabcert.chain,
importcheck, bundle, trustlist) for everything about certificates. Kept apart so the logic can be
tested without a screen and so both flows share it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collabcert.errors import InputError
from collabcert.tui.paths import typed_path

# One line each; the label is "<name>: <meaning>" and must fit 80 columns with the radio button.
TARGET_WORDS: dict[str, tuple[str, str]] = {
    "expressway": ("Expressway", "server certificate + trusted CA list"),
    "cms": ("Meeting Server (CMS)", "<name>.crt + <name>bundle.crt"),
    "cucm": ("CUCM / IM and Presence", "one file per certificate, root first"),
    "fullchain": ("Full chain", "one file, the leaf and then each issuer"),
}


@dataclass
class TargetChoice:
    """The target step's answers (kept across Back/Next)."""

    target: str = "expressway"
    include_root: bool | None = None  # None: the target's default (bundle.ROOT_BY_DEFAULT)
    cms_name: str = ""
    cucm_type: str = "tomcat"
    folder: str | None = None  # None until the target step fills in the default

    def root_wanted(self) -> bool:
        from collabcert.bundle import ROOT_BY_DEFAULT

        return ROOT_BY_DEFAULT[self.target] if self.include_root is None else self.include_root


@dataclass(frozen=True)
class Request:
    """The CSR and/or key the certificate was requested with."""

    csr: Any = None  # x509.CertificateSigningRequest
    key: Any = None  # a private key
    names: tuple[str, ...] = ()  # the sources they came from, for the screens
    key_path: Path | None = None  # the key file: the CMS target names its files after it

    @property
    def picker(self) -> Any:
        """What picks the leaf: the key when given (exact), else the CSR."""
        return self.key if self.key is not None else self.csr

    @property
    def what(self) -> str:
        parts = []
        if self.csr is not None:
            parts.append("CSR")
        if self.key is not None:
            parts.append("private key")
        return " and ".join(parts)


def request_from(result: Any) -> Request:
    """The first CSR and the first private key of the loaded sources (InputError when neither)."""
    csr = key = None
    names: list[str] = []
    key_path = None
    for source, item in result.items():
        kind = str(item.kind)
        if kind == "csr" and csr is None:
            csr = item.obj
            names.append(source.name)
        elif kind == "private_key" and key is None:
            key, key_path = item.obj, source.path
            if source.name not in names:
                names.append(source.name)
    if csr is None and key is None:
        raise InputError(
            "no CSR or private key was found in what you chose; choose the .csr or .key file "
            "the request was made with"
        )
    return Request(csr, key, tuple(names), key_path)


def certificates_from(result: Any) -> list[tuple[Any, str]]:
    """Every certificate of the loaded sources with the name of its source."""
    return [(item.obj, source.name) for source, item in result.items()
            if str(item.kind) == "certificate"]


def source_findings(result: Any) -> list[Any]:
    """What the reader had to say, plus the sources that could not be read, as errors."""
    from collabcert import rules

    out = [rules.get("READ").finding(problem) for problem in result.problems]
    for loaded in result.loaded:
        out += list(loaded.findings)
    return out


def csr_eku(csr: Any) -> list[Any] | None:
    """The EKUs the CSR asked for (a CA template that drops clientAuth: seed-001 AT-16)."""
    if csr is None:
        return None
    from cryptography import x509

    try:
        return list(csr.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except (x509.ExtensionNotFound, ValueError):
        return None


@dataclass(frozen=True)
class Checked:
    """The outcome of the match and SAN check."""

    chain: Any  # collabcert.chain.Chain
    check: Any  # collabcert.importcheck.ImportCheck
    mismatch: bool  # the key/CSR fits none of the certificates (cluster-peer mix-up)

    @property
    def findings(self) -> list[Any]:
        return list(self.check.findings)


def check_request(request: Request, certificates: list[Any], at: dt.datetime) -> Checked:
    """Build the chain from the leaf the request picks, then check it against the request."""
    from collabcert.chain import LeafNotFound, build_chain
    from collabcert.importcheck import check_import

    mismatch = False
    try:
        chain = build_chain(certificates, key=request.picker, at=at)
    except LeafNotFound:
        # seed-001 KEY-MATCH: show what was sent anyway; check_import names the mix-up.
        mismatch = True
        chain = build_chain(certificates, at=at)
    check = check_import(
        chain.leaf.certificate, key=request.key, csr=request.csr, chain=chain,
        required_eku=csr_eku(request.csr), at=at,
    )
    return Checked(chain, check, mismatch)


def plan(chain: Any, choice: TargetChoice, cwd: Path, key_path: Path | None = None) -> Any:
    """The bundle (files, upload plan, next steps) for the chosen target."""
    from collabcert.bundle import plan_bundle

    return plan_bundle(
        chain, choice.target, out_dir=typed_path(choice.folder or "", cwd),
        include_root=choice.root_wanted(), name=choice.cms_name.strip() or None,
        cucm_kind=choice.cucm_type, key_file=key_path,
    )
