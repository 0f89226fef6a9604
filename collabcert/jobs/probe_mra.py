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
from dataclasses import dataclass
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
from collabcert.jobs.probe import CONNECTING, DONE, Progress, TargetProgress
from collabcert.probe import Capture, Target

VARIANTS = ((TOMCAT, "rsa"), (TOMCAT_ECDSA, "ecdsa"))


@dataclass(frozen=True)
class NodeRead:
    """What one node showed over each cipher family: (variant, capture) for both variants,
    the ones it could not be read by included (their `error` says why)."""

    target: Target
    attempts: tuple[tuple[str, Capture], ...]

    @property
    def presented(self) -> tuple[tuple[str, Capture], ...]:
        return tuple((variant, got) for variant, got in self.attempts if got.reached)

    @property
    def reason(self) -> str:
        """Why nothing was presented ("" when something was): one reason when both variants
        failed alike (refused, timed out), else each variant's."""
        if self.presented:
            return ""
        errors = [(variant, got.error) for variant, got in self.attempts]
        if len({error for _, error in errors}) == 1:
            return errors[0][1]
        return "; ".join(f"{variant}: {error}" for variant, error in errors)


def node_attempts(target: Target, *, timeout: float) -> tuple[tuple[str, Capture], ...]:
    """(variant, capture) for both variants; each connection has its own `timeout`."""
    from collabcert.probe import capture, default_sni

    return tuple((variant, capture(target, sni=default_sni(target), timeout=timeout,
                                   key_type=key_type)) for variant, key_type in VARIANTS)


def node_captures(target: Target, *, timeout: float) -> tuple[tuple[str, Capture], ...]:
    """(variant, capture) for each certificate the node presents."""
    return NodeRead(target, node_attempts(target, timeout=timeout)).presented


def read_nodes(targets: Sequence[Target], *, timeout: float, concurrency: int,
               progress: Progress | None = None) -> tuple[NodeRead, ...]:
    """Read every node in parallel (bounded by `concurrency`), in the order given; `progress`
    hears each node start and finish (in the probing threads), as collabcert.jobs.probe.run
    reports targets."""
    def one(index: int, target: Target) -> NodeRead:
        if progress is not None:
            progress(TargetProgress(index, target.text, CONNECTING))
        read = NodeRead(target, node_attempts(target, timeout=timeout))
        if progress is not None:
            progress(TargetProgress(index, target.text, DONE, read))
        return read

    workers = max(1, min(concurrency, len(targets)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mra") as pool:
        return tuple(pool.map(one, range(len(targets)), targets))


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
    seen = [read.presented for read in read_nodes(targets, timeout=timeout,
                                                    concurrency=concurrency)]
    nodes = [node_of(t, c) for t, c in zip(targets, seen, strict=True) if c]
    missing = tuple(f"{t.label}: presented no certificate over RSA or ECDSA ciphers"
                    for t, c in zip(targets, seen, strict=True) if not c)
    if not nodes:
        return None, missing
    return assess(nodes, trust, settings, now=now), missing
