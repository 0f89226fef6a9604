"""What the MRA readiness flow collects, and the job call that judges it (no widgets here).

Nodes (name, the addresses Expressway-C reaches them by, the tomcat / tomcat-ECDSA certificate
files each presents), the Expressway-C trust list, its version and settings, and an optional
pasted Expressway log -> collabcert.jobs.mra.assess, the lint job with nodes (seed-000-002 §2.5,
§2.4), the same pipeline as `collabcert lint --mra-address`. Runs in a thread (see screens/mra.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from collabcert.tui.paths import display_path, typed_path
from collabcert.tui.picker_state import PickerState, Sources
from collabcert.tui.progress_board import ProgressBoard

if TYPE_CHECKING:
    from collabcert.jobs.lint import LintFile, LintResult
    from collabcert.jobs.mra import MraNodeInput
    from collabcert.jobs.probe import TargetProgress
    from collabcert.jobs.probe_mra import NodeRead
    from collabcert.probe import Target

TOMCAT, TOMCAT_ECDSA = "tomcat", "tomcat-ECDSA"
PASTED_TRUST = "pasted trust list"
FILES, LIVE = "files", "live"  # where the judged nodes' certificates come from
NODE_PORT = 8443  # the port Expressway-C reaches CUCM and IM&P's tomcat on


@dataclass(frozen=True)
class NodeEntry:
    """One CUCM / IM&P / Unity node as typed: certificate files are paths as the user wrote them."""

    name: str
    addresses: tuple[str, ...]
    ip: str = ""
    tomcat: str = ""  # path of the file with the tomcat certificate (and what the node sends)
    ecdsa: str = ""  # path of the tomcat-ECDSA file

    @property
    def files(self) -> tuple[tuple[str, str], ...]:
        return tuple((variant, path) for variant, path in ((TOMCAT, self.tomcat),
                                                           (TOMCAT_ECDSA, self.ecdsa)) if path)


@dataclass(slots=True)
class MraState:
    """The MRA flow's state (MraFlow.state_type): the nodes, the trust list picked, the
    Expressway-C settings and pasted log as typed, and the job's result once judged."""

    nodes: list[NodeEntry] = field(default_factory=list)
    trust_picker: PickerState = field(default_factory=PickerState)
    trust: Sources = field(default_factory=Sources)
    version: str = "X14.2"
    verify_origin_server: bool = True
    openssl3: bool = False
    ciphers: str = ""
    publisher_address: str = ""
    tls_verify_mode: bool = False
    log_text: str = ""
    result: LintResult | None = None
    source: str = FILES  # FILES: the node table's files; LIVE: what the nodes presented
    live_text: str = ""  # the node addresses as typed on the read-live step
    live_timeout: str = "5"  # seconds for each connection, as typed
    live_read_of: str = ""  # the addresses `live_reads` were read from (normalised)
    live_reads: tuple[NodeRead, ...] = ()


def split_addresses(text: str) -> tuple[str, ...]:
    from collabcert.jobs.lint import addresses_of

    return addresses_of([text])


def node_input(entry: NodeEntry, base: Path) -> MraNodeInput:
    """The job's node: each file resolved against the folder the app runs in."""
    from collabcert.jobs.mra import MraNodeInput, NodeCertificate

    certs = tuple(NodeCertificate(variant, typed_path(text, base),
                                  display_path(typed_path(text, base), base))
                  for variant, text in entry.files)
    return MraNodeInput(entry.name, entry.addresses, certs, entry.ip)


def node_problem(entry: NodeEntry, existing: list[NodeEntry], base: Path) -> str:
    """Why this node cannot be added yet ("" when it can); the job's rules."""
    from collabcert.jobs.mra import node_problem as problem

    return problem(node_input(entry, base), [node_input(n, base) for n in existing])


def trust_files(sources: Sources, base: Path) -> tuple[LintFile, ...]:
    from collabcert.jobs.lint import LintFile

    files = [LintFile(display_path(p, base), p) for p in sources.paths]
    if sources.pasted.strip():
        files.append(LintFile(PASTED_TRUST, data=sources.pasted.encode("utf-8")))
    return tuple(files)


def judged_nodes(state: MraState, base: Path) -> list[MraNodeInput]:
    """The nodes the verdict judges: the table's files, or what the nodes presented live (the
    same node inputs as `collabcert probe --mra`, collabcert.jobs.probe_mra.node_of)."""
    if state.source == LIVE:
        from collabcert.jobs.probe_mra import node_of

        return [node_of(read.target, read.presented) for read in state.live_reads
                if read.presented]
    return [node_input(n, base) for n in state.nodes]


def run_assessment(state: MraState, base: Path, now: dt.datetime) -> LintResult:
    """Raises InputError (one sentence) when a file cannot be used."""
    from collabcert.jobs.mra import ExpresswaySettings, assess

    settings = ExpresswaySettings(state.version, state.verify_origin_server, state.openssl3,
                                  state.ciphers, state.publisher_address, state.tls_verify_mode)
    return assess(judged_nodes(state, base), trust_files(state.trust, base), settings,
                  state.log_text, now=now)


# --- reading the nodes live (issue 14 item 7) ---------------------------------------------------


def live_key(text: str) -> str:
    """The typed addresses, normalised: a read is reused only for the same addresses."""
    return ", ".join(split_addresses(text))


def live_targets(text: str) -> tuple[Target, ...]:
    """Each node's address as host[:port], 8443 when no port is given. InputError (one
    sentence) for one that is not host[:port], or one typed twice."""
    from collabcert.errors import InputError
    from collabcert.probe import parse_target

    targets = tuple(parse_target(t, NODE_PORT) for t in split_addresses(text))
    labels = [t.label for t in targets]
    for label in labels:
        if labels.count(label) > 1:
            raise InputError(f"{label} is typed twice; give each node once.")
    return targets


def live_problem(state: MraState) -> str:
    """Why the nodes cannot be read yet ("" when they can)."""
    from collabcert.errors import InputError
    from collabcert.screens.probe_state import timeout_problem

    if not split_addresses(state.live_text):
        return ("Type each node's address as Expressway-C reaches it: host[:port], 8443 if "
                "not given, for example cucm.example.com, 10.48.36.215:8443.")
    try:
        live_targets(state.live_text)
    except InputError as exc:
        return str(exc)
    return timeout_problem(state.live_timeout)


def read_live(state: MraState, progress: Callable[[TargetProgress], None] | None = None
              ) -> tuple[NodeRead, ...]:
    """Read every node as Expressway-C would (collabcert.jobs.probe_mra: tomcat over RSA
    ciphers, tomcat-ECDSA over ECDSA ciphers, SNI the name and none for an IP, seed 002
    L579-591); `progress` hears each node start and finish, in the job's threads."""
    from collabcert.jobs.probe import DEFAULT_CONCURRENCY
    from collabcert.jobs.probe_mra import read_nodes

    timeout = float(state.live_timeout.strip() or "5")
    return read_nodes(live_targets(state.live_text), timeout=timeout,
                      concurrency=DEFAULT_CONCURRENCY, progress=progress)


def live_board(state: MraState, now: dt.datetime) -> ProgressBoard:
    from collabcert.probe_report import node_status

    return ProgressBoard(tuple(t.text for t in live_targets(state.live_text)),
                         lambda read: node_status(read, now))  # type: ignore[arg-type]


def live_outcome(reads: tuple[NodeRead, ...]) -> str:
    """What a finished read means for the next step ("" when every node presented)."""
    seen = sum(1 for r in reads if r.presented)
    if not seen:
        return ("No node presented a certificate, so there is nothing to judge: check the "
                "addresses and ports (8443 if not given).")
    if seen == len(reads):
        return ""
    return (f"{seen} of {len(reads)} nodes presented certificates; the others are not judged "
            "(the reason is on their line). Next goes on with these.")


def unseen_lines(state: MraState) -> list[str]:
    """The nodes read live that presented nothing, each with its reason (not judged)."""
    from collabcert.probe_report import clean

    if state.source != LIVE:
        return []
    return [f"{clean(r.target.label)}: {clean(r.reason)}" for r in state.live_reads
            if not r.presented]
