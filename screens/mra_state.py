"""What the MRA readiness flow collects, and the engine call that judges it (no widgets here).

Nodes (name, the addresses Expressway-C reaches them by, the tomcat / tomcat-ECDSA certificate
files each presents), the Expressway-C trust list, its version and settings, and an optional
pasted Expressway log -> collabcert.lint.mra.assess (seed-000-002 §2.5) and, for the log,
collabcert.lint.logs (§2.4). Runs in a thread (see screens/mra.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabcert.errors import InputError
from collabcert.tui.paths import display_path, typed_path
from collabcert.tui.picker import PickerState, Sources

TOMCAT, TOMCAT_ECDSA = "tomcat", "tomcat-ECDSA"
PASTED_LOG = "pasted log"


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


@dataclass
class MraChoice:
    nodes: list[NodeEntry] = field(default_factory=list)
    trust_picker: PickerState = field(default_factory=PickerState)
    version: str = "X14.2"
    verify_origin_server: bool = True
    openssl3: bool = False
    ciphers: str = ""
    publisher_address: str = ""
    tls_verify_mode: bool = False
    log_text: str = ""


@dataclass(frozen=True)
class MraResult:
    report: Any  # collabcert.lint.mra.MraReport
    log_findings: tuple[Any, ...] = ()
    nodes: tuple[Any, ...] = ()  # the MraNode values judged (addresses from the log included)

    @property
    def findings(self) -> tuple[Any, ...]:
        """Errors first; a finding reached for two addresses is said once."""
        from collabcert.lint.registry import dedupe, sort_key

        return tuple(sorted(dedupe([*self.report.findings, *self.log_findings]),
                            key=sort_key))

    @property
    def rows(self) -> tuple[Any, ...]:
        return tuple(self.report.rows)


def split_addresses(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in text.replace(";", ",").replace(" ", ",").split(",")]
    return tuple(dict.fromkeys(p for p in parts if p))


def node_problem(entry: NodeEntry, existing: list[NodeEntry], base: Path) -> str:
    """Why this node cannot be added yet ("" when it can)."""
    if not entry.addresses:
        return ("Type the address(es) Expressway-C reaches the node by: the name in CUCM "
                "System > Server, and its IP if that is used.")
    if any(n.name.lower() == entry.name.lower() for n in existing):
        return f"A node named {entry.name} is already in the list; give this one another name."
    if not entry.files:
        return "Give the file of the node's tomcat certificate, tomcat-ECDSA, or both."
    if entry.tomcat and typed_path(entry.tomcat, base) == typed_path(entry.ecdsa, base):
        return ("The tomcat and tomcat-ECDSA files are the same file; give each certificate "
                "its own file (or leave one empty).")
    for variant, path_text in entry.files:
        path = typed_path(path_text, base)
        if not path.is_file():
            return f"{variant} file {path_text}: no such file; check the path (Right completes)."
        try:
            problem = variant_problem(presented(variant, path_text, base))
        except InputError as exc:
            return str(exc)
        if problem:
            return problem
    return ""


def variant_problem(shown: Any) -> str:
    """tomcat is always RSA and tomcat-ECDSA always EC on CUCM / IM&P (seed-004 CU-P04): a
    mismatch means the files were swapped, and the verdict would name the wrong certificate."""
    from collabcert.lint.certinfo import key_kind

    kind = key_kind(shown.leaf.public_key())
    if shown.variant == TOMCAT and kind == "ec":
        return (f"{shown.source} holds an EC (ECDSA) certificate, but tomcat is RSA: give it as "
                "the tomcat-ECDSA file.")
    if shown.variant == TOMCAT_ECDSA and kind == "rsa":
        return (f"{shown.source} holds an RSA certificate, but tomcat-ECDSA is EC: give it as "
                "the tomcat file.")
    return ""


def presented(variant: str, path_text: str, base: Path) -> Any:
    """The certificate a node presents, read by the engine: the end certificate of the file,
    with the other certificates in it as what the node sends along."""
    from collabcert.lint.context import is_ca
    from collabcert.lint.mra import Presented
    from collabcert.load import load_path

    path = typed_path(path_text, base)
    name = display_path(path, base)
    certs = load_path(path).certificates
    leaves = [c for c in certs if not is_ca(c)]
    if not leaves:
        raise InputError(f"{name}: holds no end (server) certificate for {variant}; choose the "
                         "file exported from the node's Certificate Management page")
    leaf = leaves[0]
    return Presented(leaf, tuple(c for c in certs if c is not leaf), variant, name)


def trust_certificates(sources: Sources, base: Path) -> list[Any]:
    from collabcert.load import load_path, load_text

    certs: list[Any] = []
    for path in sources.paths:
        certs += load_path(path).certificates
    if sources.pasted.strip():
        certs += load_text(sources.pasted, "pasted trust list").certificates
    if not certs:
        raise InputError("the trust list holds no certificates; go Back and choose the "
                         "Expressway-C trusted CA list")
    return certs


def _with_log_addresses(nodes: list[Any], events: list[Any]) -> list[Any]:
    """A logged address belongs to the node with that IP (or the only node): judge it too."""
    from dataclasses import replace

    out = list(nodes)
    for event in events:
        address = getattr(event, "sni", "") or getattr(event, "host", "")
        if not address or any(address in n.addresses for n in out):
            continue
        ip = getattr(event, "ip", "")
        index = next((i for i, n in enumerate(out) if ip and n.ip == ip), None)
        if index is None and len(out) == 1:
            index = 0
        if index is not None:
            out[index] = replace(out[index], addresses=(*out[index].addresses, address))
    return out


def run_assessment(choice: MraChoice, trust: Sources, base: Path, now: dt.datetime) -> MraResult:
    """Raises InputError (one sentence) when a file cannot be used."""
    from collabcert.lint import logs, mra

    trust_certs = trust_certificates(trust, base)
    nodes = [mra.MraNode(entry.name, entry.addresses,
                         tuple(presented(v, p, base) for v, p in entry.files), ip=entry.ip)
             for entry in choice.nodes]
    events = logs.read_log(choice.log_text, PASTED_LOG) if choice.log_text.strip() else []
    nodes = _with_log_addresses(nodes, events)
    settings = mra.MraSettings(
        version=choice.version.strip() or "X14.2",
        verify_origin_server=choice.verify_origin_server,
        ciphers=choice.ciphers.strip() or None,
        openssl3=choice.openssl3,
        publisher_address=choice.publisher_address.strip(),
        tls_verify_mode=choice.tls_verify_mode,
    )
    known = [p.leaf for n in nodes for p in n.certificates] + \
        [c for n in nodes for p in n.certificates for c in p.sent]
    report = mra.assess(nodes, trust_certs, settings, now=now, known=known)
    return MraResult(report, tuple(logs.findings_for(events)), tuple(nodes))


def report_text(result: MraResult) -> str:
    """The plain-text verdict for a ticket: every row, then every finding with fix and cite."""
    from collabcert.tui.findings import plain_report

    lines = [row.text() for row in result.rows]
    findings = plain_report(result.findings)
    return "\n".join(lines) + "\n" + ("\n" + findings if findings else "")
