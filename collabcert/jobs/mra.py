"""The MRA readiness job (the MRA flow): would Expressway-C X14.2+ accept what each CUCM / IM&P /
Unity node presents, for each address it is reached by (seed-000-002 §2.5)?

It is the lint job with nodes: each node's tomcat / tomcat-ECDSA files, the Expressway-C trust
list, its version and settings and a pasted log become one collabcert.jobs.lint request, so the
flow and `collabcert lint FILE --trust T --mra-address A` judge with the same pipeline (general
rules, MRA verdict, log findings linked to the files). `node_problem` says, while a node is
being added, why its files cannot be used (one sentence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from collabcert.errors import InputError
from collabcert.jobs.lint import LintFile, LintRequest, LintResult, run
from collabcert.lint import LintOptions
from collabcert.lint.mra import NodeFiles

TOMCAT, TOMCAT_ECDSA = "tomcat", "tomcat-ECDSA"
PASTED_LOG = "pasted log"


@dataclass(frozen=True)
class NodeCertificate:
    """One certificate file of a node: which variant, where it is, how the person named it."""

    variant: str  # TOMCAT or TOMCAT_ECDSA
    path: Path
    name: str


@dataclass(frozen=True)
class MraNodeInput:
    name: str
    addresses: tuple[str, ...]
    certificates: tuple[NodeCertificate, ...]
    ip: str = ""


@dataclass(frozen=True)
class ExpresswaySettings:
    version: str = "X14.2"
    verify_origin_server: bool = True
    openssl3: bool = False
    ciphers: str = ""
    publisher_address: str = ""
    tls_verify_mode: bool = False


def certificate_problem(cert: NodeCertificate) -> str:
    """Why this file cannot stand for the node's certificate ("" when it can): it holds no end
    certificate, or the key type contradicts the variant. tomcat is always RSA and tomcat-ECDSA
    always EC on CUCM / IM&P (seed-004 CU-P04): a mismatch means the files were swapped, and
    the verdict would name the wrong certificate."""
    from collabcert.lint.certinfo import key_kind, public_key
    from collabcert.lint.context import is_ca
    from collabcert.load import load_path

    try:
        certs = load_path(cert.path).certificates
    except InputError as exc:
        return str(exc).replace(str(cert.path), cert.name, 1)
    leaves = [c for c in certs if not is_ca(c)]
    if not leaves:
        return (f"{cert.name}: holds no end (server) certificate for {cert.variant}; choose "
                "the file exported from the node's Certificate Management page")
    kind = key_kind(public_key(leaves[0]))
    if cert.variant == TOMCAT and kind == "ec":
        return (f"{cert.name} holds an EC (ECDSA) certificate, but tomcat is RSA: give it as "
                "the tomcat-ECDSA file.")
    if cert.variant == TOMCAT_ECDSA and kind == "rsa":
        return (f"{cert.name} holds an RSA certificate, but tomcat-ECDSA is EC: give it as "
                "the tomcat file.")
    return ""


def node_problem(node: MraNodeInput, existing: Sequence[MraNodeInput]) -> str:
    """Why this node cannot be added yet ("" when it can)."""
    if not node.addresses:
        return ("Type the address(es) Expressway-C reaches the node by: the name in CUCM "
                "System > Server, and its IP if that is used.")
    if any(n.name.lower() == node.name.lower() for n in existing):
        return f"A node named {node.name} is already in the list; give this one another name."
    if not node.certificates:
        return "Give the file of the node's tomcat certificate, tomcat-ECDSA, or both."
    if len({c.path for c in node.certificates}) < len(node.certificates):
        return ("The tomcat and tomcat-ECDSA files are the same file; give each certificate "
                "its own file (or leave one empty).")
    for cert in node.certificates:
        if not cert.path.is_file():
            return f"{cert.variant} file {cert.name}: no such file; check the path."
        problem = certificate_problem(cert)
        if problem:
            return problem
    return ""


def request_of(nodes: Sequence[MraNodeInput], trust: Sequence[LintFile],
               settings: ExpresswaySettings, log_text: str = "") -> LintRequest:
    """The lint request the MRA flow's answers amount to."""
    files = {(c.path, c.name): LintFile(c.name, c.path) for n in nodes for c in n.certificates}
    described = tuple(NodeFiles(n.name, n.addresses,
                                tuple((c.name, c.variant) for c in n.certificates), n.ip)
                      for n in nodes)
    logs = (LintFile(PASTED_LOG, data=log_text.encode("utf-8")),) if log_text.strip() else ()
    options = LintOptions(
        expressway_version=settings.version.strip() or "X14.2",
        verify_origin_server=settings.verify_origin_server,
        ciphers=settings.ciphers.strip() or None, openssl3=settings.openssl3,
        publisher_address=settings.publisher_address.strip(),
        tls_verify_mode=settings.tls_verify_mode)
    return LintRequest(tuple(files.values()), trust=tuple(trust), logs=logs, options=options,
                       nodes=described)


def assess(nodes: Sequence[MraNodeInput], trust: Sequence[LintFile],
           settings: ExpresswaySettings, log_text: str = "", *,
           now: dt.datetime | None = None) -> LintResult:
    """The verdict rows and findings. Raises InputError (one sentence) when an input cannot be
    used: no trust list, a trust list without certificates, an unreadable file."""
    if not trust:
        raise InputError("choose the Expressway-C trusted CA list (an empty list trusts "
                         "nothing, so every node would fail)")
    return run(request_of(nodes, trust, settings, log_text), now=now)
