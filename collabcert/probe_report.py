"""The probe result in plain text, for the CLI, the TUI and a ticket (one renderer): each
target's head line, its chain as presented, what changed, its findings; the MRA table; the
summary line. Text from a server (names, alerts) has its control characters escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509

    from collabcert.jobs.probe import ProbeRecord, ProbeResult
    from collabcert.jobs.probe_mra import NodeRead
    from collabcert.probe import Capture


def record_lines(record: ProbeRecord) -> list[str]:
    """One target in text: the head line, the chain as presented, what changed, findings."""
    from collabcert.chain import fingerprint
    from collabcert.dn import rfc4514
    from collabcert.report import finding_lines

    got = record.capture
    sni = f"SNI {got.sni}" if got.sni else "no SNI"
    via = "" if got.starttls == "none" else f", STARTTLS {got.starttls}"
    lines = [f"{got.target.label} ({sni}{via}): {got.tls_version} {got.cipher}"]
    for index, cert in enumerate(got.chain):
        lines.append(f"  {index} {clean(rfc4514(cert.subject))}")
        lines.append(f"      issuer {clean(rfc4514(cert.issuer))}; until "
                     f"{cert.not_valid_after_utc:%Y-%m-%d}; sha256 {fingerprint(cert)}")
    if got.alert:
        lines.append(f"  the server then ended the handshake: {clean(got.alert)}")
    lines += [f"  changed: {clean(change)}" for change in record.changes]
    lines += [clean(line) for line in finding_lines(record.findings, lower=True)]
    return lines


def mra_lines(result: ProbeResult) -> list[str]:
    """The MRA verdict table (one row per node, certificate and address), as `lint` prints it."""
    if result.mra is None:
        return []
    lines = ["MRA verdict (as Expressway-C would judge what the nodes present):"]
    return lines + [clean(row.text()) for row in result.mra.verdicts]


def summary(result: ProbeResult) -> str:
    from collabcert.report import summary_line

    reached = len(result.records) - len(result.unreachable)
    line = summary_line(result.findings, reached).replace(" files)", " targets reached)")
    if result.unreachable:
        line += f"; {len(result.unreachable)} could not be reached"
    if result.mra is not None:
        results = [row.result for row in result.mra.verdicts]
        line += "; MRA: " + ", ".join(f"{results.count(r)} {r}"
                                      for r in ("PASS", "FAIL", "UNCERTAIN") if r in results)
    return line


def clean(text: str) -> str:
    """Text from a server (names, alerts) with its control characters escaped (DESIGN.md)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def report_text(result: ProbeResult) -> str:
    """Everything, for a ticket: each target (or why it could not be reached), the MRA table,
    the summary line."""
    lines: list[str] = []
    for record in result.records:
        if record.reached:
            lines += record_lines(record)
        else:
            lines.append(f"{clean(record.capture.target.text)}: {clean(record.capture.error)}")
    lines += mra_lines(result)
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


# --- the short lines a face shows while targets are probed (issue 14 item 7) -----------------

WAITING_MARK, CONNECTING_MARK, REACHED_MARK, UNREACHED_MARK = "·", "…", "✓", "✗"
# A server reached whose chain fails its checks: a tick beside "FAILED" read aloud as passed.
FAILED_MARK = "✗"


def waiting_line(target: str) -> str:
    return f"{WAITING_MARK} {clean(target)}: waiting"


def connecting_line(target: str) -> str:
    return f"{CONNECTING_MARK} {clean(target)}: connecting"


def expiry_text(chain: Sequence[x509.Certificate], now: dt.datetime) -> str:
    """When the leaf presented ends, and the days left from `now` (or that it has ended)."""
    end = chain[0].not_valid_after_utc
    days = (end - now).days
    if end <= now:
        return f"leaf expired {end:%Y-%m-%d}"
    return f"leaf until {end:%Y-%m-%d} ({days} days)"


def record_status(record: ProbeRecord, now: dt.datetime) -> str:
    """One target, done: what it presented (TLS version, chain length, expiry) and the verdict,
    or why it could not be reached."""
    got = record.capture
    name = clean(got.target.label if got.target.port else got.target.text)
    if not record.reached:
        return f"{UNREACHED_MARK} {name}: {clean(got.error)}"
    verdict = "FAILED" if record.failed else "passed"
    mark = FAILED_MARK if record.failed else REACHED_MARK
    sni = f"SNI {clean(got.sni)}" if got.sni else "no SNI"
    asked = "; asked for a client certificate" if got.client_cert_requested else ""
    return (f"{mark} {name} ({sni}): {got.tls_version}, {len(got.chain)} "
            f"certificate(s) presented, {expiry_text(got.chain, now)}; {verdict}{asked}")


def _variant_text(variant: str, got: Capture, now: dt.datetime) -> str:
    return f"{variant} {len(got.chain)} certificate(s), {expiry_text(got.chain, now)}"


def node_status(read: NodeRead, now: dt.datetime) -> str:
    """One MRA node, done: each certificate it presented (chain length, expiry), or why it
    presented none (it is then not judged)."""
    name = clean(read.target.label)
    if not read.presented:
        return f"{UNREACHED_MARK} {name}: {clean(read.reason)}; not judged"
    shown = dict(read.presented)
    parts = [_variant_text(variant, shown[variant], now) if variant in shown
             else f"no {variant}" for variant, _ in read.attempts]
    return f"{REACHED_MARK} {name}: " + "; ".join(parts)
