"""The probe job: read what live servers present and judge it the way `lint` judges files.

For each target: connect and record (collabcert.probe), optionally fetch missing issuers over
AIA (collabcert.aia, only with `fetch_missing`), then judge (collabcert.jobs.probe_judge): the
lint job on the presented certificates with the role and trust list, plus what only a live
server shows (the name for the address used, the order as sent, a client-certificate request,
the expiry window). Targets run in parallel on a bounded thread pool; an unreachable one is a
record with its reason and never stops the others.

Nothing is written here: `--save` becomes `files` (one PEM per target, leaf first) for
collabcert.files.write_plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from collabcert.aia import Fetched
from collabcert.chain import fingerprint
from collabcert.dn import rfc4514
from collabcert.errors import InputError
from collabcert.files import PlannedFile
from collabcert.findings import Finding, has_errors
from collabcert.jobs.lint import LintFile, LintResult
from collabcert.probe import DEFAULT_TIMEOUT, Capture, Target

DEFAULT_CONCURRENCY = 32  # loopback or a LAN: 50 targets in one or two rounds of the timeout
CONNECTING, DONE = "connecting", "done"  # a target not yet reported is waiting for a thread


@dataclass(frozen=True)
class TargetProgress:
    """One target's news, reported from the thread that probes it (issue 14 item 7): it
    started connecting, or it is done and `outcome` holds what was found (a ProbeRecord for
    `run`, a NodeRead for collabcert.jobs.probe_mra.read_nodes)."""

    index: int  # the target's place in the request
    target: str  # as written
    stage: str  # CONNECTING or DONE
    outcome: object = None


# Called from the probing threads, so it must be thread-safe and quick (the TUI posts the news
# to its event loop; the CLI passes none and prints when all are done, as before).
Progress = Callable[[TargetProgress], None]


@dataclass(frozen=True)
class ProbeRequest:
    targets: tuple[str, ...]  # as written: host[:port], [v6]:port
    sni: str | None = None  # None: the host when it is a name, none for an address
    starttls: str = "auto"
    timeout: float = DEFAULT_TIMEOUT
    role: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    trust: tuple[LintFile, ...] = ()
    trust_system: bool = False
    warn_days: int | None = None
    save_dir: Path | None = None
    compare: LintFile | None = None
    fetch_missing: bool = False
    concurrency: int = DEFAULT_CONCURRENCY
    mra: bool = False  # judge the targets as Expressway-C judges MRA nodes (jobs.probe_mra)
    expressway_version: str = "X14.2"


@dataclass(frozen=True)
class ProbeRecord:
    """One target: what it presented, what was fetched, the findings, what changed."""

    capture: Capture
    findings: tuple[Finding, ...] = ()
    fetched: tuple[Fetched, ...] = ()
    changes: tuple[str, ...] = ()

    @property
    def reached(self) -> bool:
        return self.capture.reached

    @property
    def failed(self) -> bool:
        return has_errors(list(self.findings))

    def to_json(self) -> dict[str, object]:
        """The --json record: target, sni, tls_version, the chain's fingerprints and subjects
        in the order presented, findings, and error (null when it was reached)."""
        got = self.capture
        return {
            "target": got.target.label if got.target.port else got.target.text,
            "sni": got.sni, "starttls": got.starttls,
            "tls_version": got.tls_version or None, "cipher": got.cipher or None,
            "fingerprints": [fingerprint(c) for c in got.chain],
            "subjects": [rfc4514(c.subject) for c in got.chain],
            "chain": [_cert_json(c) for c in got.chain],
            "client_certificate_requested": got.client_cert_requested,
            "client_ca_names": list(got.client_ca_names),
            "findings": [f.to_json() for f in self.findings],
            "failed": self.failed,
            "fetched": [f.to_json() for f in self.fetched],
            "changes": list(self.changes),
            "alert": got.alert or None,
            "error": got.error or None,
        }


def _cert_json(cert: x509.Certificate) -> dict[str, str]:
    return {"fingerprint": fingerprint(cert), "subject": rfc4514(cert.subject),
            "issuer": rfc4514(cert.issuer),
            "not_after": cert.not_valid_after_utc.isoformat()}


@dataclass(frozen=True)
class ProbeResult:
    records: tuple[ProbeRecord, ...]
    files: tuple[PlannedFile, ...] = ()  # --save: one PEM per reached target
    next_steps: tuple[str, ...] = ()
    blocked: str = ""  # writing is never held back: what was presented is saved as is
    mra: LintResult | None = None  # --mra: the MRA flow's verdict from what the nodes present
    mra_unseen: tuple[str, ...] = ()  # --mra: nodes that presented nothing to judge

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.records for f in r.findings)

    @property
    def unreachable(self) -> tuple[ProbeRecord, ...]:
        return tuple(r for r in self.records if not r.reached)

    @property
    def exit_code(self) -> int:
        """2 when any target could not be reached (the others still done), else 1 when a
        check failed, else 0 (DESIGN.md probe contract)."""
        if self.unreachable or self.mra_unseen:
            return 2
        failed = any(r.failed for r in self.records) or (self.mra is not None and
                                                          self.mra.failed)
        return 1 if failed else 0

    def to_json(self) -> dict[str, object]:
        return {
            "targets": [r.to_json() for r in self.records],
            "failed": any(r.failed for r in self.records),
            "unreachable": len(self.unreachable),
            "files": [str(f.path) for f in self.files],
            "mra": None if self.mra is None else {
                "rows": [row.to_json() for row in self.mra.verdicts],
                "findings": [f.to_json() for f in self.mra.findings],
                "failed": self.mra.failed, "unseen": list(self.mra_unseen)},
        }


def targets_in(text: str) -> list[str]:
    """The targets of a --targets file: one per line; `#` starts a comment; blanks skipped."""
    out = []
    for line in text.splitlines():
        target = line.split("#", 1)[0].strip()
        if target:
            out.append(target)
    return out


def run(request: ProbeRequest, *, now: dt.datetime | None = None,
        progress: Progress | None = None) -> ProbeResult:
    """Probe every target. Raises InputError (one sentence) for bad usage before connecting:
    an unknown role or field, an unreadable trust or compare file, no target. `progress`, when
    given, hears each target start and finish as it happens (in the probing threads)."""
    from collabcert.jobs.lint import checked_fields, role_id_of

    if not request.targets:
        raise InputError("give a TARGET (host[:port]) or --targets FILE")
    role_id = role_id_of(request.role)
    checked_fields(role_id, request.fields)
    if request.timeout <= 0:
        raise InputError("--timeout must be more than 0 seconds")
    if request.mra and not request.trust:
        raise InputError("--mra judges as Expressway-C does: give its trusted CA list with "
                         "--trust FILE")
    trust = trust_certificates(request)
    previous = _compare_certificates(request.compare)
    when = now or dt.datetime.now(dt.UTC)

    def one(index: int, text: str) -> ProbeRecord:
        if progress is not None:
            progress(TargetProgress(index, text, CONNECTING))
        record = probe_one(text, request, trust, previous, when)
        if progress is not None:
            progress(TargetProgress(index, text, DONE, record))
        return record

    workers = max(1, min(request.concurrency, len(request.targets)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="probe") as pool:
        records = tuple(pool.map(one, range(len(request.targets)), request.targets))
    mra, unseen = _mra(request, records, when) if request.mra else (None, ())
    return ProbeResult(records, _save_plan(request.save_dir, records), mra=mra,
                       mra_unseen=unseen)


def _mra(request: ProbeRequest, records: Sequence[ProbeRecord], now: dt.datetime):
    """The MRA verdict of the reached targets (the unreachable ones are already errors)."""
    from collabcert.jobs.mra import ExpresswaySettings
    from collabcert.jobs.probe_mra import mra_verdict

    targets = [r.capture.target for r in records if r.reached]
    if not targets:
        return None, ()
    settings = ExpresswaySettings(version=request.expressway_version or "X14.2")
    return mra_verdict(targets, request.trust, settings, timeout=request.timeout,
                       concurrency=request.concurrency, now=now)


def probe_one(text: str, request: ProbeRequest, trust: Sequence[x509.Certificate],
              previous: Sequence[x509.Certificate] | None, now: dt.datetime) -> ProbeRecord:
    """One target, start to end; a target that cannot be parsed is a record with the reason."""
    from collabcert.aia import fetch_missing
    from collabcert.jobs.probe_judge import compare, judge
    from collabcert.probe import capture, default_sni, parse_target, starttls_for

    try:
        target = parse_target(text)
        dialect = starttls_for(request.starttls, target.port)
    except InputError as exc:
        return ProbeRecord(Capture(Target(text, 0, text), None, "none", error=str(exc)))
    sni = request.sni if request.sni is not None else default_sni(target)
    got = capture(target, sni=sni or None, starttls=dialect, timeout=request.timeout)
    if not got.reached:
        return ProbeRecord(got)
    fetched = (fetch_missing([*got.chain, *trust], got.chain[0], timeout=request.timeout)
               if request.fetch_missing else ())
    findings = judge(got, request, trust, fetched, now)
    changes = compare(previous, got.chain) if previous is not None else ()
    return ProbeRecord(got, findings, fetched, changes)


def trust_certificates(request: ProbeRequest) -> list[x509.Certificate]:
    """The anchors trust is judged against: --trust files and, with --trust-system, the
    system store (InputError when it cannot be found or read)."""
    from collabcert.jobs.lint import read
    from collabcert.load import load_bytes

    certs: list[x509.Certificate] = []
    for item in request.trust:
        loaded = load_bytes(read(item), item.name)
        if not loaded.certificates:
            raise InputError(f"{item.name}: holds no certificate; give the trust list as PEM, "
                             "DER or PKCS#7")
        certs += loaded.certificates
    if request.trust_system:
        from collabcert.systemtrust import system_certificates

        certs += system_certificates()
    return certs


def _compare_certificates(item: LintFile | None) -> list[x509.Certificate] | None:
    if item is None:
        return None
    from collabcert.jobs.lint import read
    from collabcert.load import load_bytes

    certs = load_bytes(read(item), item.name).certificates
    if not certs:
        raise InputError(f"{item.name}: holds no certificate to compare with; give a file "
                         "saved by --save or the new certificate")
    return certs


def save_name(target: Target) -> str:
    """`host_port.pem`; an IPv6 address with `-` for its colons (a file name on any system)."""
    return f"{target.host.replace(':', '-')}_{target.port}.pem"


def _save_plan(folder: Path | None, records: Sequence[ProbeRecord]) -> tuple[PlannedFile, ...]:
    from collabcert.jobs.probe_judge import chain_pem

    if folder is None:
        return ()
    return tuple(PlannedFile(folder / save_name(r.capture.target),
                             chain_pem(r.capture.chain),
                             certificates=len(r.capture.chain),
                             what=f"chain presented by {r.capture.target.label}")
                 for r in records if r.reached)
