"""What the MRA readiness flow collects, and the job call that judges it (no widgets here).

Nodes (name, the addresses Expressway-C reaches them by, the tomcat / tomcat-ECDSA certificate
files each presents), the Expressway-C trust list, its version and settings, and an optional
pasted Expressway log -> collabcert.jobs.mra.assess, the lint job with nodes (seed-000-002 §2.5,
§2.4), the same pipeline as `collabcert lint --mra-address`. Runs in a thread (see screens/mra.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from collabcert.tui.paths import display_path, typed_path
from collabcert.tui.picker_state import PickerState, Sources

if TYPE_CHECKING:
    from collabcert.jobs.lint import LintFile, LintResult
    from collabcert.jobs.mra import MraNodeInput

TOMCAT, TOMCAT_ECDSA = "tomcat", "tomcat-ECDSA"
PASTED_TRUST = "pasted trust list"


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


def run_assessment(state: MraState, base: Path, now: dt.datetime) -> LintResult:
    """Raises InputError (one sentence) when a file cannot be used."""
    from collabcert.jobs.mra import ExpresswaySettings, assess

    settings = ExpresswaySettings(state.version, state.verify_origin_server, state.openssl3,
                                  state.ciphers, state.publisher_address, state.tls_verify_mode)
    return assess([node_input(n, base) for n in state.nodes], trust_files(state.trust, base),
                  settings, state.log_text, now=now)
