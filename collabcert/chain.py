"""Order any mix of certificates into a chain by signature: leaf, issuer, ..., root.

How a chain is built (peers A.2 item 8; seed-003 §2.4; seed-004 CU-C05):
- Duplicates (same SHA-256 fingerprint) are dropped; the pool is sorted by fingerprint first, so
  the result never depends on the order of the input.
- The leaf is the certificate whose public key matches the given key or CSR; otherwise the one
  that is not a CA and issued no other input certificate.
- Issuer candidates come from two indexes: by subject key identifier (the child's AKI) and by
  subject name compared the RFC 5280 way (case and internal white space folded). A candidate is
  accepted only when its key verifies the child's signature (SHA-1 included, see sigverify).
  Only the certificates reachable from the leaf are ever checked, so the cost grows with the
  chain and its look-alikes, not with the square of the pool.
- The path is found breadth first and stops at the first self-signed root (so cross-sign cycles
  end there). SHA-1 links are used only when no chain without them reaches a root. Among
  paths of the same length: fewer expired or not-yet-valid certificates first,
  then the newest certificates, then the lowest fingerprint (only to be deterministic).
- When no root is reached, the chain goes as far as it can and the missing issuer is named:
  its subject, the key id from the AKI and the AIA caIssuers URL if the certificate has one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import AuthorityInformationAccessOID

from collabcert import certparts, rules
from collabcert.dn import UNREADABLE as UNREADABLE_NAME
from collabcert.dn import label as dn_label
from collabcert.dn import name_label, rfc4514, tell_apart
from collabcert.errors import CollabcertError
from collabcert.findings import Finding, Severity
from collabcert.sigverify import SignatureCheck, verify_signature

LEAF, INTERMEDIATE, ROOT = "leaf", "intermediate", "root"
MAX_UNUSED_FINDINGS = 20  # beyond this, one finding says how many (the list has them all)


class LeafNotFound(CollabcertError):
    """No certificate matches the given key or CSR (seed-001 KEY-MATCH)."""


@dataclass(frozen=True)
class ChainLink:
    """One certificate of a chain and how it is tied to the next one."""

    certificate: x509.Certificate
    fingerprint: str  # hex SHA-256 of the DER
    subject: str  # RFC 4514
    issuer: str  # RFC 4514
    position: str  # "leaf", "intermediate" or "root"
    ca: bool  # basicConstraints cA=TRUE
    self_signed: bool
    not_before: dt.datetime
    not_after: dt.datetime
    validity: str  # "valid", "expired" or "not yet valid" at the chain's time
    signature: SignatureCheck | None = None  # this certificate checked with the next one's key
    matched_by: str = ""  # how the issuer was found: "key id", "key id only", "name", "self"

    @cached_property
    def label(self) -> str:
        """What a person calls it: the CN, else the subject (collabcert.dn.label)."""
        return dn_label(self.certificate)

    @cached_property
    def issuer_label(self) -> str:
        """What a person calls its issuer: the issuer's CN, else the issuer name."""
        return name_label(self.certificate.issuer)

    @property
    def how(self) -> str:
        """One plain line for a chain preview: how this link was verified."""
        if self.signature is None:
            return f"issuer missing: {self.issuer}"
        found = {"key id": "found by key id and name", "key id only": "found by key id only",
                 "name": "found by name"}.get(self.matched_by, "")
        if self.self_signed:
            return f"self-signed root, {self.signature.how}"
        return f"{self.signature.how}, {found}" if found else self.signature.how


@dataclass(frozen=True)
class MissingIssuer:
    """The CA certificate the chain needs next and that was not given."""

    subject: str  # RFC 4514 of the issuer name
    key_id: str  # hex key id from the stuck certificate's AKI, "" when it has none
    ca_issuers: tuple[str, ...]  # AIA caIssuers URLs of the stuck certificate
    needed_by: str  # fingerprint of the last certificate of the chain
    needed_by_subject: str
    reason: str  # "absent", "signature-mismatch", "unverifiable" or "cycle"
    name: x509.Name | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """What a person calls the missing CA: its CN, else the whole name."""
        return name_label(self.name) if self.name is not None else self.subject

    @property
    def sentence(self) -> str:
        parts = [f"the issuer of '{self.needed_by_subject}' is missing: '{self.subject}'"]
        if self.key_id:
            parts.append(f"key id {self.key_id}")
        if self.ca_issuers:
            parts.append(f"download it from {self.ca_issuers[0]}")
        text = "; ".join(parts)
        extra = {
            "signature-mismatch": " (a certificate with that name is present but did not sign it)",
            "unverifiable": " (a certificate with that name is present but its signature could "
            "not be checked)",
            "cycle": " (the CA certificates given only sign each other, none is a root)",
        }.get(self.reason, "")
        return text + extra

    def to_json(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "key_id": self.key_id,
            "ca_issuers": list(self.ca_issuers),
            "needed_by": self.needed_by,
            "needed_by_subject": self.needed_by_subject,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class UnusedCertificate:
    certificate: x509.Certificate
    reason: str  # plain words: why it is not on the chain
    # True when it has the name of a certificate on the chain (a decoy, an expired twin): its
    # name alone would read as the chain's own, so it is said with file, serial and expiry
    # (issue 12 item 12).
    twin: bool = False
    source: str = ""  # the file it came from, when known

    @cached_property
    def said(self) -> str:
        """How the faces name it: the subject, or told apart from its same-name twin (read on
        demand: Inspect builds a chain per leaf of a pile, each with the pile's twins unused)."""
        return tell_apart(self.certificate, self.source) if self.twin else self.subject

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @cached_property
    def subject(self) -> str:  # read on demand: a pool may hold a thousand unused CAs
        return rfc4514(self.certificate.subject)

    def to_json(self) -> dict[str, str]:
        return {"fingerprint": self.fingerprint, "subject": self.subject, "reason": self.reason}


@dataclass(frozen=True)
class Chain:
    links: tuple[ChainLink, ...]  # leaf first
    missing_issuer: MissingIssuer | None
    unused: tuple[UnusedCertificate, ...]
    findings: tuple[Finding, ...]
    at: dt.datetime
    duplicates: int = 0  # identical certificates dropped from the input

    @property
    def complete(self) -> bool:
        """The chain ends at a self-signed root that was given."""
        return bool(self.links) and self.links[-1].self_signed

    @property
    def leaf(self) -> ChainLink:
        return self.links[0]

    @property
    def root(self) -> ChainLink | None:
        return self.links[-1] if self.complete else None

    @property
    def cas(self) -> tuple[ChainLink, ...]:
        """Every CA of the chain, the leaf's issuer first, the root (if reached) last."""
        return self.links[1:]

    @property
    def intermediates(self) -> tuple[ChainLink, ...]:
        return tuple(link for link in self.cas if link.position == INTERMEDIATE)

    @property
    def certificates(self) -> list[x509.Certificate]:
        return [link.certificate for link in self.links]

    @property
    def fingerprints(self) -> list[str]:
        return [link.fingerprint for link in self.links]

    def to_json(self) -> dict[str, object]:
        return {
            "complete": self.complete,
            "chain": [_link_json(link) for link in self.links],
            "missing_issuer": self.missing_issuer.to_json() if self.missing_issuer else None,
            "unused": [u.to_json() for u in self.unused],
            "findings": [f.to_json() for f in self.findings],
        }


def server_identity(cert: x509.Certificate) -> bool:
    """A server's own certificate, not a CA's: no basicConstraints cA=TRUE, or self-issued
    with a TLS purpose (serverAuth / clientAuth EKU). CUCM and IM&P make their self-signed
    tomcat / tomcat-ECDSA with cA=TRUE (seed 002 L465-470); a root CA names no TLS purpose."""
    ca = certparts.is_ca(cert)
    return not ca or (_self_issued(cert) and tls_purpose(cert))


def tls_purpose(cert: x509.Certificate) -> bool:
    """The certificate names a TLS purpose (serverAuth or clientAuth EKU): a server's own."""
    usages = certparts.extension(cert, x509.ExtendedKeyUsage)
    if usages is None:
        return False
    tls = {x509.ExtendedKeyUsageOID.SERVER_AUTH, x509.ExtendedKeyUsageOID.CLIENT_AUTH}
    return any(u in tls for u in usages)


def not_a_ca_finding(subject: str, *, has_basic_constraints: bool) -> Finding:
    """A CA certificate without basicConstraints cA=TRUE (seed-001 F14): Expressway refuses it."""
    what = "says cA=FALSE" if has_basic_constraints else "has no basicConstraints"
    return rules.get("CHN-NOTCA").finding(
        f"CA certificate '{subject}' {what}; Expressway's CA check needs "
        "basicConstraints cA=TRUE in CA certificates",
        fix="ask the CA for a CA certificate with basicConstraints cA=TRUE", where=subject,
    )


def _link_json(link: ChainLink) -> dict[str, object]:
    return {
        "fingerprint": link.fingerprint,
        "subject": link.subject,
        "issuer": link.issuer,
        "position": link.position,
        "not_after": link.not_after.isoformat(),
        "validity": link.validity,
        "verified": link.how,
    }


# ---------------------------------------------------------------- names and certificate facts


def name_key(name: x509.Name) -> tuple[frozenset[tuple[str, object]], ...]:
    """A name as a comparable value, RFC 5280 §7.1 style: case and white space folded.

    Multi-valued RDNs compare as sets; non-string values (bit strings) compare as they are.
    PrintableString and UTF8String of the same text are equal here, as RFC 5280 wants.
    """
    return tuple(frozenset((a.oid.dotted_string, _fold(a.value)) for a in rdn) for rdn in name.rdns)


def same_name(a: x509.Name, b: x509.Name) -> bool:
    return name_key(a) == name_key(b)


def _fold(value: object) -> object:
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


class _Node:
    """The facts chain building needs about one certificate, each read when first needed.

    Only the fingerprint and the raw DER of the two names are read for every certificate; the
    rest (folded names, extensions, dates, RFC 4514 text) only for the few certificates that
    come near the chain, which keeps a pool of a thousand unrelated CAs cheap.
    """

    def __init__(self, cert: x509.Certificate) -> None:
        self.cert = cert
        # Bucket keys: pyca's Name objects (cheap to hash; equal names compare equal). The
        # RFC 5280 comparison (name_key) then decides, with a folded index as a fallback for
        # names that differ only in case or white space.
        self.coarse_issuer = _name_or_marker(cert, "issuer")
        self.coarse_subject = _name_or_marker(cert, "subject")
        self._self_signed: SignatureCheck | None = None

    @cached_property
    def fp(self) -> str:
        """Hex SHA-256 of the DER, computed only for certificates that come near the chain."""
        return fingerprint(self.cert)

    @cached_property
    def serial(self) -> int:
        return self.cert.serial_number

    @cached_property
    def is_ca(self) -> bool:
        """basicConstraints cA=TRUE, read cheaply (leaf guessing asks it of every certificate)."""
        return certparts.is_ca(self.cert)

    @cached_property
    def subject(self) -> str:
        return _name_text(self.cert, "subject")

    @cached_property
    def issuer(self) -> str:
        return _name_text(self.cert, "issuer")

    @cached_property
    def subject_key(self) -> object:
        return _safe_name_key(self.cert, "subject", id(self))

    @cached_property
    def issuer_key(self) -> object:
        return _safe_name_key(self.cert, "issuer", id(self))

    @cached_property
    def not_before(self) -> dt.datetime:
        return certparts.not_before(self.cert)

    @cached_property
    def not_after(self) -> dt.datetime:
        return certparts.not_after(self.cert)

    @cached_property
    def _facts(self) -> tuple[bytes | None, bytes | None, bool, bool, tuple[str, ...]]:
        ski = aki = None
        has_bc = ca = False
        urls: tuple[str, ...] = ()
        # Malformed extensions are left out (collabcert/certparts.py names them): the
        # certificate still chains by name and signature.
        extensions = list(certparts.extensions(self.cert))
        for ext in extensions:
            value = ext.value
            if isinstance(value, x509.SubjectKeyIdentifier):
                ski = value.digest
            elif isinstance(value, x509.AuthorityKeyIdentifier):
                aki = value.key_identifier
            elif isinstance(value, x509.BasicConstraints):
                has_bc, ca = True, value.ca
            elif isinstance(value, x509.AuthorityInformationAccess):
                urls = tuple(
                    d.access_location.value
                    for d in value
                    if d.access_method == AuthorityInformationAccessOID.CA_ISSUERS
                    and isinstance(d.access_location, x509.UniformResourceIdentifier)
                )
        return ski, aki, has_bc, ca, urls

    @property
    def ski(self) -> bytes | None:
        return self._facts[0]

    @property
    def aki(self) -> bytes | None:
        return self._facts[1]

    @property
    def has_bc(self) -> bool:
        return self._facts[2]

    @property
    def ca(self) -> bool:
        return self._facts[3]

    @property
    def ca_issuers(self) -> tuple[str, ...]:
        return self._facts[4]

    @property
    def self_issued(self) -> bool:
        return self.coarse_subject == self.coarse_issuer or self.subject_key == self.issuer_key

    @property
    def self_check(self) -> SignatureCheck | None:
        """The self-signature check of a self-issued certificate (None when not self-issued)."""
        if not self.self_issued:
            return None
        if self._self_signed is None:
            self._self_signed = verify_signature(self.cert, self.cert)
        return self._self_signed

    @property
    def self_signed(self) -> bool:
        check = self.self_check
        return check is not None and check.verified

    def validity(self, at: dt.datetime) -> str:
        if at < self.not_before:
            return "not yet valid"
        if at > self.not_after:
            return "expired"
        return "valid"

    @cached_property
    def _spki(self) -> bytes:
        try:
            from collabcert.keys import spki_der

            return spki_der(self.cert.public_key())
        except (ValueError, TypeError):
            return b""

    def spki(self) -> bytes | None:
        return self._spki or None


def _name_or_marker(cert: x509.Certificate, which: str) -> object:
    name = certparts.name_of(cert, which)
    return name if name is not None else (which, id(cert))  # an unreadable name matches nothing


def _name_text(cert: x509.Certificate, which: str) -> str:
    name = certparts.name_of(cert, which)
    return rfc4514(name) if name is not None else UNREADABLE_NAME


def _safe_name_key(cert: x509.Certificate, which: str, marker: int) -> object:
    name = certparts.name_of(cert, which)
    try:
        return name_key(name) if name is not None else (which, marker)
    except (ValueError, TypeError):
        return (which, marker)  # an unreadable name matches nothing


@dataclass
class _Edges:
    verified: list[tuple[_Node, SignatureCheck, str]]
    failed: list[tuple[_Node, SignatureCheck]]


class _Pool:
    """The deduplicated input, its indexes and a cache of signature checks.

    Issuers are looked up by name (a dict from the raw name, confirmed by the RFC 5280 folded
    comparison), preferring the candidates whose SKI equals the child's AKI; the folded-name
    and SKI indexes are built only when that finds nothing (re-encoded names, renamed CAs).
    """

    def __init__(self, certificates: Iterable[x509.Certificate]) -> None:
        nodes: dict[x509.Certificate, _Node] = {}
        self.given = 0
        for cert in certificates:
            self.given += 1
            if cert not in nodes:  # pyca compares and hashes certificates by their DER
                nodes[cert] = _Node(cert)
        # Input order is kept here; every choice below breaks ties by fingerprint, so the
        # result does not depend on it.
        self.nodes = list(nodes.values())
        self.by_cert = nodes
        self.by_subject: dict[object, list[_Node]] = {}
        for node in self.nodes:
            self.by_subject.setdefault(node.coarse_subject, []).append(node)
        self._edges: dict[int, _Edges] = {}
        self._checks: dict[tuple[int, int], SignatureCheck] = {}

    @cached_property
    def by_folded_subject(self) -> dict[object, list[_Node]]:
        index: dict[object, list[_Node]] = {}
        for node in self.nodes:
            index.setdefault(node.subject_key, []).append(node)
        return index

    @cached_property
    def by_ski(self) -> dict[bytes, list[_Node]]:
        index: dict[bytes, list[_Node]] = {}
        for node in self.nodes:
            if node.ski:
                index.setdefault(node.ski, []).append(node)
        return index

    @cached_property
    def by_issuer(self) -> dict[object, list[_Node]]:
        index: dict[object, list[_Node]] = {}
        for node in self.nodes:
            index.setdefault(node.coarse_issuer, []).append(node)
        return index

    def check(self, child: _Node, issuer: _Node) -> SignatureCheck:
        key = (id(child), id(issuer))
        if key not in self._checks:
            self._checks[key] = verify_signature(child.cert, issuer.cert)
        return self._checks[key]

    def same_name(self, node: _Node) -> list[_Node]:
        """Pool certificates whose subject is `node`'s issuer name (RFC 5280 comparison)."""
        bucket = self.by_subject.get(node.coarse_issuer, [])
        return [c for c in bucket if c.subject_key == node.issuer_key]

    def issuers(self, node: _Node) -> _Edges:
        """Every pool certificate whose key signed `node`: by key id and name, then by name."""
        if id(node) in self._edges:
            return self._edges[id(node)]
        edges = _Edges([], [])
        tried = {id(node)}
        named = self.same_name(node)
        aki = node.aki
        by_key_id = [c for c in named if aki and c.ski == aki]
        self._try(node, by_key_id, "key id", edges, tried)
        for cand in named:
            if edges.verified and cand.ski and cand.ski != aki:
                continue  # a same-name CA with another key id: the AKI already found the issuer
            self._try(node, [cand], "name", edges, tried)
        if not edges.verified:  # a re-encoded name (e.g. PrintableString -> UTF8String)
            self._try(node, self.by_folded_subject.get(node.issuer_key, []), "name", edges,
                      tried)
        if not edges.verified and aki:  # a renamed CA: key id only (reported as an error)
            self._try(node, self.by_ski.get(aki, []), "key id only", edges, tried, named=False)
        self._edges[id(node)] = edges
        return edges

    def _try(self, node: _Node, cands: Sequence[_Node], how: str, edges: _Edges,
             tried: set[int], named: bool = True) -> None:
        for cand in sorted(cands, key=lambda c: c.fp) if len(cands) > 1 else cands:
            if id(cand) in tried:
                continue
            tried.add(id(cand))
            check = self.check(node, cand)
            if check.verified:
                edges.verified.append((cand, check, how))
            elif named:
                edges.failed.append((cand, check))

    def issued_something(self, node: _Node) -> bool:
        """Did `node`'s key sign another pool certificate (one that names it as issuer)?"""
        children = self.by_issuer.get(node.coarse_subject, [])
        return any(
            kid is not node and kid.issuer_key == node.subject_key
            and self.check(kid, node).verified
            for kid in children
        )


# ---------------------------------------------------------------------------------- the builder


def build_chain(
    certificates: Iterable[x509.Certificate],
    *,
    leaf: x509.Certificate | None = None,
    key: object | None = None,
    at: dt.datetime | None = None,
    sources: dict[str, str] | None = None,
) -> Chain:
    """Order `certificates` into a chain, leaf first.

    `sources` maps a fingerprint to the file it came from, so that findings about two
    certificates of one name say which file each is in (issue 12 item 12).

    `leaf` names the leaf outright; `key` (a private or public key, a CSR or a certificate)
    picks the certificate with the same public key (LeafNotFound when none has it).
    `at` is the time validity is judged at (default now, UTC).
    """
    when = _aware(at) if at else dt.datetime.now(dt.UTC)
    pool_input = list(certificates)
    if leaf is not None:
        pool_input.append(leaf)
    pool = _Pool(pool_input)
    if not pool.nodes:
        raise CollabcertError("no certificates were given; add the certificate files")
    return _chain_in(pool, pool.given, leaf=leaf, key=key, when=when, sources=sources)


def _chain_in(
    pool: _Pool, given: int, *, leaf: x509.Certificate | None, key: object | None,
    when: dt.datetime, sources: dict[str, str] | None,
) -> Chain:
    """build_chain on a pool already made: Inspect builds many chains over one pile, and the
    pool (its indexes and signature checks) is the same for each; `given` is how many
    certificates the caller gave, so `duplicates` says what it would for that call alone."""
    findings: list[Finding] = []
    if leaf is not None:
        start = pool.by_cert[leaf]
    elif key is not None:
        start = _leaf_by_key(pool, key, when)
    else:
        start = _guess_leaf(pool, when, findings, sources or {})
    # A SHA-1 (or MD5) link is used only when no chain without one exists: products that still
    # accept SHA-1 accept the other chain too, and newer ones accept only the other chain.
    path, complete = _search(pool, start, when, weak=False)
    if not complete:
        path, complete = _search(pool, start, when, weak=True)
    links = _links(pool, path, complete, when)
    missing = None if complete else _missing_issuer(pool, path[-1])
    used = {id(node) for node in path}
    unused = _unused(pool, path, used, sources or {})
    findings += _findings(links, missing, unused, path, sources or {})
    return Chain(
        tuple(links), missing, tuple(unused), tuple(findings), when,
        duplicates=given - len(pool.nodes),
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _rank(node: _Node, when: dt.datetime) -> tuple[object, ...]:
    """How good a certificate is as a choice among equals: valid, newest, then fingerprint."""
    return (node.validity(when) != "valid", -node.not_before.timestamp(), node.fp)


def _leaf_by_key(pool: _Pool, key: object, when: dt.datetime) -> _Node:
    from collabcert.keys import spki_der

    public = key.public_key() if hasattr(key, "public_key") else key
    try:
        wanted = spki_der(public)  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError) as exc:
        raise CollabcertError("the key or CSR given to pick the leaf cannot be read") from exc
    matches = [node for node in pool.nodes if node.spki() == wanted]
    if not matches:
        # seed-001 KEY-MATCH (L348): the usual cause is a cluster peer's certificate or key.
        raise LeafNotFound(
            "no certificate given has the public key of the key or CSR given; the certificate "
            "does not correspond to this private key (was it the cluster peer's certificate?)"
        )
    return min(matches, key=lambda n: (n.ca, n.self_signed, *_rank(n, when)))


def _guess_leaf(pool: _Pool, when: dt.datetime, findings: list[Finding],
                sources: dict[str, str]) -> _Node:
    """The certificate that is not a CA and issued no other input certificate."""
    candidates = [n for n in pool.nodes if not n.is_ca and not pool.issued_something(n)]
    if not candidates:
        candidates = [n for n in pool.nodes if not pool.issued_something(n)] or pool.nodes

    def rank(node: _Node) -> tuple[object, ...]:
        has_issuer = bool(pool.issuers(node).verified) or node.self_signed
        return (node.self_signed, not has_issuer, *_rank(node, when))

    chosen = min(candidates, key=rank)
    others = [n for n in candidates if n is not chosen and not n.is_ca]
    if others:
        def told(node: _Node) -> str:  # same-name leaves (cluster peers) need more than a name
            if any(o.subject == node.subject for o in [chosen, *others] if o is not node):
                return tell_apart(node.cert, sources.get(node.fp, ""))
            return f"'{node.subject}'" + (f" ({sources[node.fp]})" if node.fp in sources else "")

        names = ", ".join(told(n) for n in others[:3])
        findings.append(rules.get("CHN-LEAF-GUESS").finding(
            f"several end-entity certificates were given; {told(chosen)} was taken as the "
            f"leaf and {names} left out",
            fix="give the private key or CSR (--key / --csr) to choose the leaf",
            where=chosen.subject,
        ))
    return chosen


_PathKey = tuple[int, tuple[tuple[float, str], ...]]


def _search(
    pool: _Pool, start: _Node, when: dt.datetime, *, weak: bool
) -> tuple[list[_Node], bool]:
    """Breadth first from the leaf to the nearest self-signed root; best path per node."""
    if start.self_signed:
        return [start], True

    def step(key: _PathKey, node: _Node) -> _PathKey:
        bad = 0 if node.validity(when) == "valid" else 1
        return (key[0] + bad, key[1] + ((-node.not_before.timestamp(), node.fp),))

    best: dict[str, tuple[_PathKey, tuple[_Node, ...]]] = {
        start.fp: (step((0, ()), start), (start,))
    }
    level = [start]
    while level:
        reached: dict[str, tuple[_PathKey, tuple[_Node, ...]]] = {}
        for node in level:
            key, path = best[node.fp]
            for issuer, check, _how in pool.issuers(node).verified:
                if issuer.fp in best or (check.weak_hash and not weak):
                    continue  # reached at this depth or nearer: a longer path adds nothing
                candidate = (step(key, issuer), (*path, issuer))
                if issuer.fp not in reached or candidate[0] < reached[issuer.fp][0]:
                    reached[issuer.fp] = candidate
        best.update(reached)
        by_fp = {path[-1].fp: path[-1] for _key, path in reached.values()}
        roots = [fp for fp in reached if by_fp[fp].self_signed]
        if roots:
            fp = min(roots, key=lambda f: reached[f][0])
            return list(reached[fp][1]), True
        if not reached:
            break
        level = [by_fp[fp] for fp in sorted(reached)]
    # No root. Prefer a dead end whose issuer is simply absent (the user can add it), then one
    # whose issuer's signature fails; the deepest of those. Only cycles left: the deepest.
    def end_rank(entry: tuple[_PathKey, tuple[_Node, ...]]) -> tuple[object, ...]:
        key, path = entry
        edges = pool.issuers(path[-1])
        if edges.verified:
            kind = 3  # every issuer is already on a path: a cycle
        elif any(check.unverifiable for _n, check in edges.failed):
            kind = 2
        else:
            kind = 1 if edges.failed else 0
        return (kind, -len(path), key)

    return list(min(best.values(), key=end_rank)[1]), False


def _links(pool: _Pool, path: list[_Node], complete: bool, when: dt.datetime) -> list[ChainLink]:
    links = []
    for index, node in enumerate(path):
        last = index == len(path) - 1
        if index == 0:
            position = LEAF
        elif last and complete:
            position = ROOT
        else:
            position = INTERMEDIATE
        signature, matched = None, ""
        if not last:
            nxt = path[index + 1]
            for issuer, check, how in pool.issuers(node).verified:
                if issuer is nxt:
                    signature, matched = check, how
        elif complete:
            signature, matched = node.self_check, "self"
        links.append(ChainLink(
            node.cert, node.fp, node.subject, node.issuer, position, node.ca,
            node.self_signed, node.not_before, node.not_after, node.validity(when),
            signature, matched,
        ))
    return links


def _missing_issuer(pool: _Pool, end: _Node) -> MissingIssuer:
    edges = pool.issuers(end)
    if edges.verified:
        reason = "cycle"
    elif any(check.unverifiable for _n, check in edges.failed):
        reason = "unverifiable"
    elif edges.failed:
        reason = "signature-mismatch"
    else:
        reason = "absent"
    return MissingIssuer(
        subject=end.issuer,
        key_id=end.aki.hex() if end.aki else "",
        ca_issuers=end.ca_issuers,
        needed_by=end.fp,
        needed_by_subject=end.subject,
        reason=reason,
        name=certparts.name_of(end.cert, "issuer"),
    )


def _unused(pool: _Pool, path: list[_Node], used: set[int],
            sources: dict[str, str]) -> list[UnusedCertificate]:
    look_alike: dict[int, str] = {}
    alternative: dict[int, str] = {}
    for node in path:
        if node.self_signed:
            continue  # a root's issuer is itself; looking further would only cost time
        edges = pool.issuers(node)
        # every same-name certificate, also those skipped because their key id differs
        for cand in pool.same_name(node):
            look_alike.setdefault(id(cand), node.subject)
        for cand, _check in edges.failed:
            look_alike.setdefault(id(cand), node.subject)
        for cand, _check, _how in edges.verified:
            alternative.setdefault(id(cand), node.subject)
    unused: list[tuple[_Node, UnusedCertificate]] = []
    for node in pool.nodes:
        if id(node) in used:
            continue
        if id(node) in alternative:
            reason = (f"it also signed '{alternative[id(node)]}' (a cross-signed or older CA "
                      "certificate), but the chain is shorter or newer without it")
        elif id(node) in look_alike:
            reason = (f"it has the name of the issuer of '{look_alike[id(node)]}' but its key "
                      "did not sign it (a same-name CA with another key)")
        else:
            reason = "it is not part of this chain"
        twin = id(node) in look_alike or id(node) in alternative  # the name of a chain link
        source = sources.get(node.fp, "") if twin else ""
        unused.append((node, UnusedCertificate(node.cert, reason, twin, source)))
    # a stable order without hashing every certificate: by serial, fingerprint on a tie (both
    # read from the node, so the many chains of one Inspect pool read them once)
    serials = Counter(node.serial for node, _ in unused)
    unused.sort(key=lambda pair: (pair[0].serial,
                                  pair[0].fp if serials[pair[0].serial] > 1 else ""))
    return [u for _, u in unused]


def _findings(
    links: Sequence[ChainLink],
    missing: MissingIssuer | None,
    unused: Sequence[UnusedCertificate],
    path: Sequence[_Node],
    sources: dict[str, str] | None = None,
) -> list[Finding]:
    out: list[Finding] = []
    names = sources or {}
    if missing:
        out.append(rules.get("CHN-INCOMPLETE").finding(
            missing.sentence[0].upper() + missing.sentence[1:],
            fix="add the missing CA certificate (ask the CA for its chain or download it)",
            where=missing.needed_by_subject,
        ))
    for index, link in enumerate(links):
        out += _link_findings(link, index, links)
    for node in path[1:]:
        if not node.has_bc or not node.ca:
            out.append(not_a_ca_finding(node.subject, has_basic_constraints=node.has_bc))
    if len(unused) > MAX_UNUSED_FINDINGS:
        out.append(rules.get("CHN-UNUSED").finding(
            f"{len(unused)} certificates given are not part of this chain"))
        return out
    on_path = {link.subject for link in links}
    for item in unused:
        # a same-name twin of a certificate on the chain (a decoy, an expired one): say which
        shown = (tell_apart(item.certificate, names.get(item.fingerprint, ""))
                 if item.subject in on_path else f"'{item.subject}'")
        out.append(rules.get("CHN-UNUSED").finding(
            f"{shown} is not used: {item.reason}", where=item.fingerprint))
    return out


def _link_findings(link: ChainLink, index: int, links: Sequence[ChainLink]) -> list[Finding]:
    out: list[Finding] = []
    what = "certificate" if index == 0 else "CA certificate"
    if link.validity == "expired":
        rule = rules.get("CRT-EXPIRED") if index == 0 else rules.get("CHN-EXPIRED")
        # CHN-EXPIRED is a warning for a CA lying in a trust list (seed-001 CHN-EXPIRED); a CA on
        # the path itself makes the chain invalid, so here it is an error (seed-000-002
        # TS-VALIDITY)
        out.append(rule.finding(
            f"{what} '{link.subject}' expired on {link.not_after:%Y-%m-%d}",
            fix="renew it, or get the current certificate from the CA",
            where=link.subject, severity=Severity.ERROR,
        ))
    elif link.validity == "not yet valid":
        out.append(rules.get("CRT-NOTYET").finding(
            f"{what} '{link.subject}' is not valid before {link.not_before:%Y-%m-%d %H:%M} UTC",
            fix="check the clock of the CA and of this computer, or wait until then",
            where=link.subject,
        ))
    check = link.signature
    if check is not None and check.weak_hash and not link.self_signed:
        if check.sha1:
            out.append(rules.get("CRT-SHA1").finding(
                f"'{link.subject}' is signed with SHA-1 by '{links[index + 1].subject}'; the "
                "signature was verified, but SHA-1 is deprecated",
                fix="ask the CA to re-issue it with SHA-256", where=link.subject,
            ))
        else:
            out.append(rules.get("CRT-MD5").finding(
                f"'{link.subject}' is signed with MD5 by '{links[index + 1].subject}'; TLS "
                "libraries refuse MD5 signatures", where=link.subject,
            ))
    if link.matched_by == "key id only":
        out.append(rules.get("CHN-NAME-MISMATCH").finding(
            f"'{link.subject}' names its issuer '{link.issuer}', but the CA certificate whose "
            f"key signed it is '{links[index + 1].subject}'; products compare names and will "
            "not accept this chain", where=link.subject,
        ))
    return out


def certification_paths(
    certificates: Iterable[x509.Certificate], *, at: dt.datetime | None = None, limit: int = 20
) -> list[Chain]:
    """One chain per end certificate of the input, for an Inspect view of how they relate.

    An end certificate is one whose name issued no other input certificate and that is not a
    self-signed root on its own (a trust store of 1000 roots gives no paths, and costs nothing).
    """
    pool = list({fingerprint(c): c for c in certificates}.values())
    issuer_names = {name_key(c.issuer) for c in pool if not _self_issued(c)}
    ends = [c for c in pool if not _self_issued(c) and name_key(c.subject) not in issuer_names]
    if not ends:
        return []
    # One pool for every path: building it (and its signature checks) per end certificate made
    # a 1000-certificate pile cost paths x certificates (issue 12 item 18). Each chain is what
    # build_chain(pool, leaf=end) gives, its `duplicates` too (the leaf was given twice there).
    shared = _Pool(pool)
    when = _aware(at) if at else dt.datetime.now(dt.UTC)
    return [_chain_in(shared, shared.given + 1, leaf=end, key=None, when=when, sources=None)
            for end in ends[:limit]]


def _self_issued(cert: x509.Certificate) -> bool:
    subject, issuer = certparts.subject(cert), certparts.issuer(cert)
    return subject is not None and issuer is not None and name_key(subject) == name_key(issuer)
