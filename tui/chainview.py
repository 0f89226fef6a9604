"""Which certificates of the input relate, shown like the Windows "Certification path": root on top.

A deliberately small stand-in until the chain engine (collabcert/chain.py) is used here: a link is
accepted only when the issuer name equals the subject name AND the signature verifies.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509


def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    if child.issuer != parent.subject:
        return False
    try:
        child.verify_directly_issued_by(parent)
    except Exception:  # wrong signature, unsupported algorithm, unusable key: not a link
        return False
    return True


def _issuer(cert: x509.Certificate, pool: list[x509.Certificate]) -> x509.Certificate | None:
    for candidate in pool:
        if candidate is not cert and candidate != cert and issued_by(cert, candidate):
            return candidate
    return None


@dataclass(frozen=True)
class CertPath:
    """Root (or the highest certificate found) first, leaf last."""

    certificates: tuple[x509.Certificate, ...]
    top_is_root: bool  # the top certificate is self-issued and verifies with its own key

    @property
    def missing_issuer(self) -> str:
        """The issuer name of the top certificate when it is not a root (not in the input)."""
        if self.top_is_root:
            return ""
        return self.certificates[0].issuer.rfc4514_string()


def _unique(certs: list[x509.Certificate]) -> list[x509.Certificate]:
    seen: list[x509.Certificate] = []
    for cert in certs:
        if cert not in seen:
            seen.append(cert)
    return seen


def cert_paths(certs: list[x509.Certificate]) -> list[CertPath]:
    """One path per end certificate (one that issued nothing else in the input)."""
    pool = _unique(certs)
    parents = {id(c): _issuer(c, pool) for c in pool}
    issuers = {id(p) for p in parents.values() if p is not None}
    paths: list[CertPath] = []
    for cert in pool:
        if id(cert) in issuers:
            continue
        chain = [cert]
        parent = parents[id(cert)]
        while parent is not None and parent not in chain:  # stop on cycles (cross-signs)
            chain.append(parent)
            parent = parents[id(parent)]
        top = chain[-1]
        top_is_root = top.issuer == top.subject and issued_by(top, top)
        paths.append(CertPath(tuple(reversed(chain)), top_is_root))
    return paths


def related(paths: list[CertPath]) -> bool:
    """Worth showing a chain view: at least one path links two certificates."""
    return any(len(p.certificates) > 1 for p in paths)
