"""`collabcert probe --mra`: would Expressway-C X14.2+ accept what these Unified CM / IM&P /
Unity nodes present (seed-000-002 §2.5)? Each target is a node, reached by its address as
Expressway-C reaches it: the SNI is the address when it is a name and none for an IP (002
L579-591). Both certificates are read, as Expressway-C may negotiate either since X14.2
(002 L242-244): tomcat over RSA ciphers and tomcat-ECDSA over ECDSA ciphers.

The verdict is the MRA flow's own job (collabcert.jobs.mra.assess), fed the presented chains
instead of files, so the table equals the one made from the same certificates as files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from collabcert.jobs.lint import LintFile, LintResult
from collabcert.jobs.mra import (
    TOMCAT,
    TOMCAT_ECDSA,
    ExpresswaySettings,
    MraNodeInput,
    NodeCertificate,
    assess,
)
from collabcert.probe import Capture, Target

VARIANTS = ((TOMCAT, "rsa"), (TOMCAT_ECDSA, "ecdsa"))


def node_captures(target: Target, *, timeout: float) -> tuple[tuple[str, Capture], ...]:
    """(variant, capture) for each certificate the node presents."""
    from collabcert.probe import capture, default_sni

    out = []
    for variant, key_type in VARIANTS:
        got = capture(target, sni=default_sni(target), timeout=timeout, key_type=key_type)
        if got.reached:
            out.append((variant, got))
    return tuple(out)


def node_of(target: Target, captures: Sequence[tuple[str, Capture]]) -> MraNodeInput:
    from collabcert.jobs.probe_judge import chain_pem

    return MraNodeInput(target.host, (target.host,), tuple(
        NodeCertificate(variant, Path(target.label), f"{target.label} {variant}",
                        data=chain_pem(got.chain)) for variant, got in captures))


def mra_verdict(targets: Sequence[Target], trust: Sequence[LintFile],
                settings: ExpresswaySettings, *, timeout: float, concurrency: int,
                now: dt.datetime | None = None) -> tuple[LintResult | None, tuple[str, ...]]:
    """The MRA verdict of the nodes that presented a certificate, and one sentence for each
    target that presented none (it is not judged: nothing was seen)."""
    workers = max(1, min(concurrency, len(targets)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mra") as pool:
        seen = list(pool.map(lambda t: node_captures(t, timeout=timeout), targets))
    nodes = [node_of(t, c) for t, c in zip(targets, seen, strict=True) if c]
    missing = tuple(f"{t.label}: presented no certificate over RSA or ECDSA ciphers"
                    for t, c in zip(targets, seen, strict=True) if not c)
    if not nodes:
        return None, missing
    return assess(nodes, trust, settings, now=now), missing
