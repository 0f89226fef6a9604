"""Which certificates of the input relate, shown like the Windows "Certification path": root on top.

The chain engine (collabcert/chain.py) decides the links by signature; this only turns its chains
into the top-down order the view shows, and `CertPathTree` shows every path of the input (the
inspect flow). tui/chaintree.py shows the one chain an import or bundle writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from rich.text import Text
from textual.widgets import Tree

from collabcert.chain import Chain, certification_paths


@dataclass(frozen=True)
class CertPath:
    """Root (or the highest certificate found) first, leaf last."""

    certificates: tuple[x509.Certificate, ...]
    top_is_root: bool  # the chain reached a self-signed root
    missing_issuer: str = ""  # the plain sentence naming the missing issuer, when not complete
    links_how: tuple[str, ...] = ()  # per certificate (same order): how its link was verified

    @classmethod
    def from_chain(cls, chain: Chain) -> CertPath:
        links = tuple(reversed(chain.links))
        missing = chain.missing_issuer.sentence if chain.missing_issuer else ""
        return cls(tuple(link.certificate for link in links), chain.complete, missing,
                   tuple(link.how for link in links))


def cert_paths(certs: list[x509.Certificate], at: dt.datetime | None = None) -> list[CertPath]:
    """One path per end certificate (one that issued nothing else in the input)."""
    return [CertPath.from_chain(chain) for chain in certification_paths(certs, at=at)]


def related(paths: list[CertPath]) -> bool:
    """Worth showing a chain view: at least one path links two certificates."""
    return any(len(p.certificates) > 1 for p in paths)


class CertPathTree(Tree[Any]):
    """Every path that links two or more certificates: `name  (root, until 2035-06-01)` with the
    certificate it issued below it; under each, how its link was verified."""

    def __init__(self, paths: list[CertPath], **kwargs: Any) -> None:
        super().__init__(Text("Certification path (root at the top)"), **kwargs)
        self.show_root = True
        self.root.expand()
        for path in paths:
            if len(path.certificates) > 1:
                self._add_path(path)

    def _add_path(self, path: CertPath) -> None:
        from collabcert.model import summarize

        node = self.root
        if not path.top_is_root:
            node = node.add(Text(f"(not in the input: {path.missing_issuer})"), expand=True)
        nodes = []
        last = len(path.certificates) - 1
        for number, cert in enumerate(path.certificates):
            summary = summarize(cert)
            name = summary.subject_cn or summary.subject or "(no subject)"
            role = ("root" if number == 0 and path.top_is_root
                    else "end certificate" if number == last else "CA")
            node = node.add(Text(f"{name}  ({role}, until {summary.not_after:%Y-%m-%d})"),
                            expand=True)
            nodes.append(node)
        for node, how in zip(nodes, path.links_how, strict=True):
            node.add_leaf(Text(how))  # after the issued certificate: the path reads first
