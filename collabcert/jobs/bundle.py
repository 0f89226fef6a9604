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

from collabcert.bundle import Bundle, plan_bundle
from collabcert.chain import Chain
from collabcert.files import PlannedFile
from collabcert.findings import Finding, Severity
from collabcert.jobs.importing import ImportChecked, Request, Source, check_import_job


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

    def to_json(self) -> dict[str, object]:
        data = self.bundle.to_json()
        data.update({
            "files": [{"path": str(f.path), "certificates": f.certificates, "what": f.what}
                      for f in self.files],
            "next_steps": list(self.next_steps),
            "findings": [f.to_json() for f in self.findings],
            "key_matches": self.checked.key_matches,
            "blocked": self.blocked,
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
) -> BundleResult:
    """Check (when a key or CSR is given), order and plan. InputError on bad options."""
    checked = check_import_job(sources, request, problems=problems, at=at)
    key_file = request.key_file if request is not None else None
    bundle = plan_bundle(
        checked.chain, options.target, out_dir=options.out_dir, output=options.output,
        include_root=options.include_root, name=options.name, cucm_kind=options.cucm_type,
        key_file=key_file,
    )
    findings = checked.read_findings + bundle.findings + checked.extra_findings
    blocked = blocked_text(findings)
    files = bundle.files
    if checked.mismatch:
        files = ()
        blocked = (f"{blocked}; the certificate does not belong to the key or CSR given, so no "
                   "file is planned for it")
    return BundleResult(checked, bundle, files, findings, blocked)


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
