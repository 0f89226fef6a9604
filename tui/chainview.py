"""Which certificates of the input relate, shown like the Windows "Certification path": root on top.

The chain engine (collabcert/chain.py) decides the links by signature; this only turns its chains
into the top-down order the view shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509

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
