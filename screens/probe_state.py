"""What the "Check a live server" flow collects and how it becomes a probe job request (no
widgets here). The screens gather the targets, the SNI, the role and the trust file; the probe
job (collabcert.jobs.probe, the same as `collabcert probe`) connects, judges and plans the saved
chains. Runs in a thread (screens/probe.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from collabcert.tui.progress_board import ProgressBoard

if TYPE_CHECKING:
    from collabcert.jobs.probe import ProbeRequest, ProbeResult, TargetProgress

NO_ROLE = "none"
DEFAULT_TIMEOUT = "5"  # seconds, as `collabcert probe --timeout` (collabcert.probe)
MAX_TIMEOUT = 120.0


@dataclass(slots=True)
class ProbeState:
    """The flow's state (ProbeFlow.state_type): what was typed, and the job's result."""

    targets: str = ""  # host[:port], separated by commas or spaces
    sni: str = ""  # "" = the host when it is a name, none for an address
    role: str = NO_ROLE
    trust: str = ""  # a path to the CA certificates the clients trust ("" = not checked)
    timeout: str = DEFAULT_TIMEOUT  # seconds each server has, connect to chain, as typed
    result: ProbeResult | None = None
    saved: tuple[str, ...] = ()  # the files Save wrote, as shown


def target_list(text: str) -> tuple[str, ...]:
    from collabcert.jobs.lint import addresses_of

    return addresses_of([text])


def target_problem(state: ProbeState) -> str:
    """Why the flow cannot probe yet ("" when it can): no target, or one that is not
    host[:port]; the job's own sentence."""
    from collabcert.errors import InputError
    from collabcert.probe import parse_target

    targets = target_list(state.targets)
    if not targets:
        return "Type the server to check: host[:port], for example expe.example.com:8443."
    for text in targets:
        try:
            parse_target(text)
        except InputError as exc:
            return str(exc)
    return timeout_problem(state.timeout)


def timeout_problem(text: str) -> str:
    """Why the typed timeout cannot be used ("" when it can)."""
    try:
        seconds = float(text.strip() or DEFAULT_TIMEOUT)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= MAX_TIMEOUT:
        return (f"Type the seconds to wait for each server as a number from 0.1 to "
                f"{MAX_TIMEOUT:g} (5 by default).")
    return ""


def timeout_of(state: ProbeState) -> float:
    return float(state.timeout.strip() or DEFAULT_TIMEOUT)


def trust_path(state: ProbeState, base: Path | None) -> Path | None:
    if not state.trust.strip():
        return None
    path = Path(state.trust.strip()).expanduser()
    return path if path.is_absolute() or base is None else base / path


def request_of(state: ProbeState, base: Path | None) -> ProbeRequest:
    """The probe job's request; the chains are planned for saving into `base` (the folder the
    wizard works in), and written only when the person presses Save."""
    from collabcert.jobs.lint import LintFile
    from collabcert.jobs.probe import ProbeRequest

    trust = trust_path(state, base)
    return ProbeRequest(
        target_list(state.targets), sni=state.sni.strip() or None,
        role=None if state.role in ("", NO_ROLE) else state.role,
        trust=(LintFile(state.trust.strip(), trust),) if trust else (),
        timeout=timeout_of(state), save_dir=base)


def run_probe(state: ProbeState, base: Path | None, now: dt.datetime,
              progress: Callable[[TargetProgress], None] | None = None) -> ProbeResult:
    """The probe job's result; `progress` hears each target start and finish (in the job's
    threads). Raises InputError with one sentence (an unreadable trust file)."""
    from collabcert.jobs.probe import run

    return run(request_of(state, base), now=now, progress=progress)


def progress_board(state: ProbeState, now: dt.datetime) -> ProgressBoard:
    """Every target waiting; each one's line once done is its status line (status_lines)."""
    from collabcert.probe_report import record_status

    return ProgressBoard(target_list(state.targets),
                         lambda record: record_status(record, now))  # type: ignore[arg-type]


def status_lines(result: ProbeResult, now: dt.datetime) -> list[str]:
    """One line per target: what it presented (TLS version, chain length, when the leaf ends)
    and the verdict, or why it could not be reached; the same lines as while probing."""
    from collabcert.probe_report import record_status

    return [record_status(record, now) for record in result.records]


def save_chains(result: ProbeResult) -> list[Path]:
    """Write the presented chains (one PEM per target, leaf first) with the safe writer;
    WriteRefused (one sentence) when a file is already there."""
    from collabcert.files import write_plan

    return write_plan(result.files) if result.files else []


def chain_paths(result: ProbeResult, now: dt.datetime) -> list:
    """The presented chains as the inspect flow's certification paths (root at the top)."""
    from collabcert.jobs.inspect import cert_paths

    return [path for record in result.records if record.reached
            for path in cert_paths(list(record.capture.chain), at=now)]
