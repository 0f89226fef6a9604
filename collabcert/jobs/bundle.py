"""The bundle job: what the CA sent, ordered by signature into the files a product wants.

One function, `bundle_job`, used by `collabcert bundle` (without --trust-list) and by both wizard
flows that write a chain: "Import a signed certificate" and "Build a bundle" (its chain kinds).
It runs the import check (collabcert.jobs.importing) when a key or CSR is given, plans the
target's files (collabcert.bundle), and says whether writing must wait:

- `blocked` names the error findings ("" when there are none). The CLI then writes nothing
  unless --anyway (the exit code stays 1); the wizard asks, naming the errors, and writes only
  after "Write anyway".
- A key or CSR that fits none of the certificates (seed-001 KEY-MATCH) plans no files at all:
  nothing is written for someone else's certificate, --anyway or not.

Nothing is written here; the faces pass `files` to collabcert.files.write_plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from collabcert.bundle import Bundle, default_cms_name, plan_bundle
from collabcert.chain import Chain
from collabcert.files import PlannedFile
from collabcert.findings import Finding, Severity
from collabcert.jobs.importing import (
    ImportChecked,
    Request,
    Source,
    check_import_job,
    key_source,
    output_basename,
)


@dataclass(frozen=True)
class BundleOptions:
    """What to build: the product, where the files go, and the target's own options."""

    target: str
    out_dir: Path = Path(".")
    output: Path | None = None  # fullchain only: the one file's name
    include_root: bool | None = None  # None: the target's default (bundle.ROOT_BY_DEFAULT)
    name: str | None = None  # cms: the basename of <name>.crt and <name>bundle.crt
    cucm_type: str = "tomcat"


@dataclass(frozen=True)
class BundleResult:
    checked: ImportChecked  # what was read, the chain, the match and SAN checks
    bundle: Bundle  # the target's files, upload plan and next steps
    files: tuple[PlannedFile, ...]  # what may be written: none when the key fits no certificate
    findings: tuple[Finding, ...]  # the sources', the chain's, the target's, then the checks'
    blocked: str  # why writing must not go on; "" when it may
    # Planned files already on disk holding another certificate, each said with whose it is
    # (issue 12 item 8: a cluster peer's file is never replaced without saying so).
    replaces: tuple[str, ...] = ()

    @property
    def chain(self) -> Chain:
        return self.checked.chain

    @property
    def mismatch(self) -> bool:
        return self.checked.mismatch

    @property
    def next_steps(self) -> tuple[str, ...]:
        return self.bundle.next_steps if self.files else ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return errors_of(self.findings)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """The errors that block writing: what a face names before "write anyway"."""
        return self.errors if self.blocked else ()

    def to_write(self, anyway: bool = False) -> tuple[PlannedFile, ...]:
        """The one rule for writing with errors (issue 12 item 9), for both faces: nothing
        while `blocked`, unless the person said anyway (CLI --anyway, the wizard's "Write
        anyway" after naming the errors). A certificate that is not the request's has no
        files at all, anyway or not (seed-001 KEY-MATCH)."""
        return self.files if not self.blocked or anyway else ()

    def to_json(self) -> dict[str, object]:
        data = self.bundle.to_json()
        data.update({
            "files": [{"path": str(f.path), "certificates": f.certificates, "what": f.what}
                      for f in self.files],
            "next_steps": list(self.next_steps),
            "findings": [f.to_json() for f in self.findings],
            "key_matches": self.checked.key_matches,
            "blocked": self.blocked,
            "replaces": list(self.replaces),
        })
        return data


def errors_of(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(f for f in findings if f.severity is Severity.ERROR)


def blocked_text(findings: Sequence[Finding]) -> str:
    """`the checks found 2 errors: CHN-INCOMPLETE, BND-NO-ROOT`, or "" when none."""
    errors = errors_of(findings)
    if not errors:
        return ""
    ids = list(dict.fromkeys(f.id for f in errors))
    count = f"{len(errors)} error" + ("" if len(errors) == 1 else "s")
    return f"the checks found {count}: {', '.join(ids)}"


def bundle_job(
    sources: Sequence[Source],
    options: BundleOptions,
    request: Request | None = None,
    *,
    problems: Sequence[str] = (),
    at: dt.datetime | None = None,
    exclude: Sequence[str] = (),
) -> BundleResult:
    """Check (when a key or CSR is given), order and plan. InputError on bad options.
    `exclude`: fingerprints (or unique prefixes) of certificates to leave out (--exclude)."""
    if exclude:
        from collabcert.jobs.importing import certificates_of
        from collabcert.jobs.trustlist import resolve_excludes, without

        sources, _gone = without(sources, resolve_excludes(exclude, certificates_of(sources)))
    checked = check_import_job(sources, request, problems=problems, at=at)
    key_file = request.key_file if request is not None else None
    if request is None and not checked.mismatch:
        key_file = key_source(sources)  # a .pfx with the key names the files as --key would
    bundle = plan_bundle(
        checked.chain, options.target, out_dir=options.out_dir, output=options.output,
        include_root=options.include_root, name=options.name, cucm_kind=options.cucm_type,
        key_file=key_file,
        basename=None if checked.mismatch else output_basename(request),
    )
    findings = checked.read_findings + bundle.findings + checked.extra_findings
    blocked = blocked_text(findings)
    files = bundle.files + key_files(sources, options, checked, request)
    if checked.mismatch:
        files = ()
        blocked = (f"{blocked}; the certificate does not belong to the key or CSR given, so no "
                   "file is planned for it")
    return BundleResult(checked, bundle, files, findings, blocked, whose_files(files))


def whose_files(files: Sequence[PlannedFile]) -> tuple[str, ...]:
    """For each planned file that exists with other content: whose certificate it holds now,
    `out/expc-server.pem holds the certificate of CN=expc.example.com (serial 1A:2B, DNS
    expc2.example.com, until 2027-12-04), not this one`."""
    out = []
    for planned in files:
        try:
            old = planned.path.read_bytes()
        except OSError:
            continue
        if old != planned.data:
            out.append(f"{planned.path} holds {_whose(old)}, not this one")
    return tuple(out)


def _whose(data: bytes) -> str:
    from collabcert.errors import CollabcertError
    from collabcert.load import load_bytes

    try:
        loaded = load_bytes(data, "existing")
    except CollabcertError:
        return "something that is not a certificate"
    if not loaded.certificates:
        return "no certificate" if not loaded.keys else "a private key"
    return "the certificate of " + certificate_words(loaded.certificates[0])


def certificate_words(cert) -> str:
    """`CN=x (serial 1A:2B…, DNS a, b, until 2027-12-04)`: enough to tell two of one name apart."""
    from cryptography import x509

    from collabcert import dn

    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = names.get_values_for_type(x509.DNSName)
    except (x509.ExtensionNotFound, ValueError):
        dns = []
    serial = format(cert.serial_number, "X")
    serial = ":".join(serial[i:i + 2] for i in range(0, min(len(serial), 8), 2)) + (
        "…" if len(serial) > 8 else "")
    parts = [f"serial {serial}"] + ([f"DNS {', '.join(dns[:3])}"] if dns else [])
    parts.append(f"until {cert.not_valid_after_utc:%Y-%m-%d}")
    return f"{dn.label(cert)} ({', '.join(parts)})"


def key_files(sources: Sequence[Source], options: BundleOptions, checked: ImportChecked,
              request: Request | None) -> tuple[PlannedFile, ...]:
    """CMS from a .pfx (issue 12 item 4): the next steps upload `<name>.key`, so when the key
    came inside an input that also holds certificates (a PKCS#12, a PEM with key and chain) it
    is written beside them, unencrypted PKCS#8 (CMS refuses locked keys, seed-003 G22), 0600.
    A key given as its own file (--key, or a .key input) is already there: nothing to write."""
    from collabcert.keys import private_key_pem, same_public_key
    from collabcert.load import ItemKind

    if options.target != "cms" or checked.mismatch or (request is not None and request.key_file):
        return ()
    source = key_source(sources)
    leaf = checked.chain.leaf.certificate
    for name, loaded in sources:
        if not loaded.certificates:
            continue
        for item in loaded.items:
            if item.kind is ItemKind.PRIVATE_KEY and same_public_key(item.obj, leaf):
                base = options.name or default_cms_name(checked.chain, source)
                return (PlannedFile(options.out_dir / f"{base}.key", private_key_pem(item.obj),
                                    private=True, certificates=0,
                                    what=f"private key (from {name}, unencrypted)"),)
    return ()


def default_folder(inputs: Sequence[Path | None], cwd: Path) -> Path:
    """Where the files go unless told: next to the first input, or the current folder when
    the first input is not a file (standard input, pasted text)."""
    first = inputs[0] if inputs else None
    return cwd if first is None else first.parent


@dataclass(frozen=True)
class WrittenCertificate:
    """One certificate of a written file, read back from disk."""

    path: Path
    mode: str  # "0644"
    label: str  # CN, else the subject (collabcert.dn.label)
    sha256: str  # hex


def read_back(paths: Sequence[Path]) -> tuple[WrittenCertificate, ...]:
    """Each certificate of each written file as it is on disk now, in file order."""
    from collabcert import dn
    from collabcert.chain import fingerprint
    from collabcert.load import load_path

    rows = []
    for path in paths:
        mode = f"{path.stat().st_mode & 0o777:04o}"
        for cert in load_path(path).certificates:
            rows.append(WrittenCertificate(path, mode, dn.label(cert), fingerprint(cert)))
    return tuple(rows)


def labels_in(planned: PlannedFile, limit: int = 4) -> str:
    """The names of the certificates a planned PEM file holds, in file order: `CA 1, Root`."""
    from cryptography import x509

    from collabcert import dn

    try:
        certificates = x509.load_pem_x509_certificates(planned.data)
    except ValueError:
        return ""
    names = [dn.label(c) for c in certificates[:limit]]
    if len(certificates) > limit:
        names.append(f"… and {len(certificates) - limit} more")
    return ", ".join(names)
