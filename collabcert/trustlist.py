"""Trust lists: an Expressway trusted CA list or a CUCM `-trust` upload set, from many files.

Checks (each finding cites its rule):
- the same certificate twice is merged without a word (seed-000-002 AT-13 b);
- two different certificates with the same CN: Expressway can hold only one of them
  (seed-000-002 TRUST-DUP-CN, CSCwa12905; seed-001 CHN-DUPCN / CHN-SELFSIGNED-SAMECN agree);
- a CA certificate without basicConstraints (seed-001 F14, CHN-NOTCA);
- an end-entity certificate in the list (seed-001 CHN-LEAF-IN-CA; on CUCM a peer's leaf in
  tomcat-trust is a normal trust exchange, seed-004 P8, so that is only info);
- expired CA certificates (seed-001 CHN-EXPIRED);
- more than 1000 entries (seed-001 F12, CHN-MAX);
- with the existing list given: an entry with the same subject and issuer as an existing one is
  appended, not replaced (seed-001 CHN-REPLACE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from collabcert import certparts, rules
from collabcert.bundle import cucm_trust_purpose, cucm_type, pem
from collabcert.chain import fingerprint, name_key, not_a_ca_finding, server_identity, tls_purpose
from collabcert.dn import cn as _cn
from collabcert.dn import rfc4514, tell_apart
from collabcert.files import PlannedFile
from collabcert.findings import Finding, Severity
from collabcert.sigverify import verify_signature

PRODUCTS = ("expressway", "cucm")
EXPRESSWAY_MAX_CAS = 1000  # seed-001 F12 (L917-919)


@dataclass(frozen=True)
class TrustEntry:
    certificate: x509.Certificate
    fingerprint: str
    subject: str
    cn: str
    ca: bool  # basicConstraints cA=TRUE
    has_basic_constraints: bool
    self_signed: bool
    sources: tuple[str, ...]  # every input it came from (duplicates merged)

    @property
    def not_after(self) -> dt.datetime:
        """The end of its validity (UTC): the faces show it without reading the certificate."""
        return certparts.not_after(self.certificate)

    def to_json(self) -> dict[str, object]:
        return {"fingerprint": self.fingerprint, "subject": self.subject, "ca": self.ca,
                "self_signed": self.self_signed, "sources": list(self.sources)}


@dataclass(frozen=True)
class TrustList:
    product: str
    entries: tuple[TrustEntry, ...]  # in the order first seen
    findings: tuple[Finding, ...]
    duplicates: int  # identical certificates merged

    @property
    def certificates(self) -> list[x509.Certificate]:
        return [e.certificate for e in self.entries]

    def pem(self) -> bytes:
        return pem(self.certificates)

    def to_json(self) -> dict[str, object]:
        return {"product": self.product, "entries": [e.to_json() for e in self.entries],
                "duplicates": self.duplicates, "findings": [f.to_json() for f in self.findings]}


def build_trust_list(
    certificates: Iterable[x509.Certificate | tuple[x509.Certificate, str]],
    *,
    product: str = "expressway",
    existing: Sequence[x509.Certificate] = (),
    at: dt.datetime | None = None,
) -> TrustList:
    """Merge and check. Items are certificates or (certificate, source name) pairs."""
    if product not in PRODUCTS:
        raise ValueError(f"product must be one of {PRODUCTS}")
    when = at or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    order: list[str] = []
    certs: dict[str, x509.Certificate] = {}
    sources: dict[str, list[str]] = {}
    given = 0
    for item in certificates:
        cert, source = item if isinstance(item, tuple) else (item, "")
        given += 1
        fp = fingerprint(cert)
        if fp not in certs:
            order.append(fp)
            certs[fp] = cert
            sources[fp] = []
        if source and source not in sources[fp]:
            sources[fp].append(source)
    entries = tuple(_entry(certs[fp], fp, tuple(sources[fp])) for fp in order)
    findings = _check(entries, product, existing, when)
    return TrustList(product, entries, tuple(findings), given - len(entries))


def _entry(cert: x509.Certificate, fp: str, sources: tuple[str, ...]) -> TrustEntry:
    bc = certparts.extension(cert, x509.BasicConstraints)
    has_bc, ca = bc is not None, bool(bc is not None and bc.ca)
    self_signed = False
    try:
        if _names(cert)[0] == _names(cert)[1]:
            self_signed = verify_signature(cert, cert).verified
    except ValueError:
        pass
    subject = rfc4514(certparts.name_of(cert, "subject"))
    return TrustEntry(cert, fp, subject, _cn(cert), ca, has_bc, self_signed, sources)


def _check(
    entries: Sequence[TrustEntry], product: str, existing: Sequence[x509.Certificate],
    when: dt.datetime,
) -> list[Finding]:
    out: list[Finding] = []
    out += _duplicate_cns(entries, product)
    for entry in entries:
        out += _entry_findings(entry, product, when)
    if product == "expressway" and len(entries) > EXPRESSWAY_MAX_CAS:
        out.append(rules.get("CHN-MAX").finding(
            f"the list has {len(entries)} CA certificates; the Expressway trust store holds at "
            f"most {EXPRESSWAY_MAX_CAS}",
            fix="leave out CAs that no peer uses",
        ))
    out += _replacements(entries, existing)
    return out


def _duplicate_cns(entries: Sequence[TrustEntry], product: str) -> list[Finding]:
    by_cn: dict[str, list[TrustEntry]] = {}
    for entry in entries:
        if entry.cn:
            by_cn.setdefault(" ".join(entry.cn.split()).casefold(), []).append(entry)
    out = []
    for group in by_cn.values():
        if len(group) < 2:
            continue
        cn = group[0].cn
        self_signed = sum(e.self_signed for e in group)
        also = (rules.get("CHN-SELFSIGNED-SAMECN") if self_signed >= 2
                else rules.get("CHN-DUPCN"))
        # An error for an Expressway list when servers' own certificates (self-signed or
        # leaves) share the CN: the box keeps only one (002 L145, 001 L371). CA certificates
        # sharing a CN (a renewed root) and other products' lists: the warning (001 L838).
        renewed_ca = not any(server_identity(e.certificate) for e in group)
        error = product == "expressway" and not renewed_ca
        told = "; ".join(tell_apart(e.certificate, ", ".join(Path(x).name for x in e.sources))
                         for e in group)
        if renewed_ca:  # seed-001 CHN-DUPCN (L838): said as the seed says it, a warning
            message = (f"{len(group)} different CA certificates have the CN '{cn}' (a renewed "
                       f"CA?): {told}; avoid several CA certificates with the same CN: "
                       "endpoint IdP login may fail")
            fix = "keep only the CA certificate still in use, or give the new one another CN"
        else:
            message = (f"{len(group)} different certificates have the CN '{cn}': {told}; "
                       "Expressway cannot hold two different certificates with the same CN "
                       "(CSCwa12905)")
            fix = ("use CA-signed certificates, give them different CNs, or reuse one "
                   "certificate (CUCM 14: the same certificate for Tomcat and CallManager)")
        out.append(rules.get("TRUST-DUP-CN").finding(
            message, fix=fix, where=cn, also=also,
            severity=Severity.ERROR if error else Severity.WARNING))
    return out


def _entry_findings(entry: TrustEntry, product: str, when: dt.datetime) -> list[Finding]:
    out = []
    # A self-signed server certificate (CUCM / IM&P tomcat, tomcat-ECDSA) is uploaded to the
    # Expressway-C trust list as it is (002 L638, 001 L1139): not a CA missing basicConstraints.
    own_server = entry.self_signed and tls_purpose(entry.certificate)
    looks_ca = not own_server and (entry.self_signed or _signs_certificates(entry.certificate))
    if not entry.has_basic_constraints and looks_ca:
        out.append(not_a_ca_finding(entry.subject, has_basic_constraints=False))
    elif not entry.ca:
        # a peer's own certificate in a trust list is legitimate for CUCM (seed-004 P8, L493)
        # and for a self-signed peer (seed-001 L1139): info there, the rule's warning otherwise
        severity = Severity.INFO if product == "cucm" or entry.self_signed else Severity.WARNING
        out.append(rules.get("CHN-LEAF-IN-CA").finding(
            f"'{entry.subject}' is not a CA certificate (an end-entity certificate in a trust "
            "list)",
            fix="fine for a peer's own certificate (CUCM tomcat exchange, a self-signed peer); "
            "otherwise upload its CA instead",
            where=entry.subject, severity=severity,
        ))
    if certparts.not_after(entry.certificate) < when:
        out.append(rules.get("CHN-EXPIRED").finding(
            f"'{entry.subject}' expired on {certparts.not_after(entry.certificate):%Y-%m-%d}",
            fix="remove it, or replace it with the CA's current certificate",
            where=entry.subject,
        ))
    return out


def _signs_certificates(cert: x509.Certificate) -> bool:
    try:
        return certparts.extensions_of(cert).get_extension_for_class(
            x509.KeyUsage).value.key_cert_sign
    except (x509.ExtensionNotFound, ValueError):
        return False


def _names(cert: x509.Certificate) -> tuple[object, object]:
    """(subject, issuer) as comparable keys; an unreadable name is a marker equal to nothing."""
    keys = []
    for which in ("subject", "issuer"):
        name = certparts.name_of(cert, which)
        keys.append(name_key(name) if name is not None else (which, id(cert)))
    return keys[0], keys[1]


def _replacements(entries: Sequence[TrustEntry], existing: Sequence[x509.Certificate]):
    if not existing:
        return []
    have = {_names(c): fingerprint(c) for c in existing}
    out = []
    for entry in entries:
        cert = entry.certificate
        old = have.get(_names(cert))
        if old and old != entry.fingerprint:
            out.append(rules.get("CHN-REPLACE").finding(
                f"'{entry.subject}' is already in the list as another certificate; Append adds "
                "it next to the old one",
                fix="delete the old certificate with the same subject and issuer first",
                where=entry.subject,
            ))
    return out


def plan_trust_list(
    trust: TrustList,
    *,
    out_dir: Path = Path("."),
    output: Path | None = None,
    kind: str = "tomcat",
) -> tuple[list[PlannedFile], list[str]]:
    """The files and next steps. Expressway: one PEM; CUCM: one file per certificate."""
    if trust.product == "expressway":
        path = output or out_dir / "trusted-ca-list.pem"
        files = [PlannedFile(path, trust.pem(), certificates=len(trust.entries),
                             what="trusted CA list")]
        steps = [
            f"On every Expressway of the cluster: Maintenance > Security > Trusted CA "
            f"certificate > Append CA certificate, with {path.name} (seed-001 F10).",
            "Append does not replace: delete older entries with the same subject first.",
        ]
        return files, steps
    purpose = cucm_trust_purpose(cucm_type(kind))
    files, steps = [], []
    # roots first, so every later upload finds its issuer already trusted (seed-004 U2, U6)
    ordered = sorted(trust.entries, key=lambda e: not e.self_signed)
    for order, entry in enumerate(ordered, start=1):
        label = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in entry.cn)
        path = out_dir / f"{order}-{purpose}-{label.strip('._') or entry.fingerprint[:16]}.pem"
        files.append(PlannedFile(path, pem([entry.certificate]), certificates=1,
                                 what=f"{purpose} upload"))
        steps.append(f"{order}. OS Administration > Security > Certificate Management > Upload "
                     f"Certificate/Certificate chain: purpose {purpose}, file {path.name}")
    return files, steps


# ---------------------------------------------------------------------------------------------
# Suggestions: which of two same-name certificates to keep (issue 12 item 11)


@dataclass(frozen=True)
class Suggestion:
    """Keep or drop one entry of a same-CN group, and why, in words a person can check."""

    fingerprint: str
    subject: str
    cn: str
    action: str  # "keep" or "drop"
    reason: str
    sources: tuple[str, ...] = ()
    not_after: dt.datetime | None = None

    def to_json(self) -> dict[str, object]:
        return {"fingerprint": self.fingerprint, "subject": self.subject, "action": self.action,
                "reason": self.reason, "sources": list(self.sources),
                "not_after": self.not_after.isoformat() if self.not_after else None}


def suggest_keep_drop(
    entries: Sequence[TrustEntry], *, at: dt.datetime | None = None,
    pool: Sequence[x509.Certificate] = (),
) -> tuple[Suggestion, ...]:
    """For every group of entries sharing a CN (TRUST-DUP-CN): keep the valid one with the
    longest validity, preferring the one whose key signed other given certificates; drop the
    expired twin and the same-name decoy no given certificate verifies with (seed-001
    CHN-DUPCN, CHN-EXPIRED; seed-000-002 TRUST-DUP-CN). `pool`: every certificate given,
    entries included, to see who signed what."""
    when = at or dt.datetime.now(dt.UTC)
    unique = {fingerprint(c): c for c in (list(pool) or [e.certificate for e in entries])}
    certs = list(unique.values())
    by_cn: dict[str, list[TrustEntry]] = {}
    for entry in entries:
        if entry.cn:
            by_cn.setdefault(" ".join(entry.cn.split()).casefold(), []).append(entry)
    out: list[Suggestion] = []
    for group in by_cn.values():
        if len(group) > 1:
            out += _suggest_group(group, certs, when)
    return tuple(out)


def _signed(entry: TrustEntry, certs: Sequence[x509.Certificate]) -> int:
    """How many other given certificates verify with this entry's key (and name it issuer)."""
    count = 0
    for cert in certs:
        if cert is entry.certificate or fingerprint(cert) == entry.fingerprint:
            continue
        try:
            if name_key(cert.issuer) != name_key(entry.certificate.subject):
                continue
        except ValueError:
            continue
        if verify_signature(cert, entry.certificate).verified:
            count += 1
    return count


def _suggest_group(group: Sequence[TrustEntry], certs: Sequence[x509.Certificate],
                   when: dt.datetime) -> list[Suggestion]:
    signed = {e.fingerprint: _signed(e, certs) for e in group}
    valid = [e for e in group if e.certificate.not_valid_before_utc <= when <= e.not_after]
    anyone_signs = any(signed.values())
    candidates = [e for e in valid if signed[e.fingerprint] or not anyone_signs] or valid
    keep = max(candidates or group, key=lambda e: (signed[e.fingerprint], e.not_after))
    out = []
    for entry in group:
        if entry is keep:
            action = "keep"
            reason = _keep_reason(entry, signed[entry.fingerprint], entry in valid)
        else:
            action, reason = "drop", _drop_reason(entry, keep, signed, when)
        out.append(Suggestion(entry.fingerprint, entry.subject, entry.cn, action, reason,
                              entry.sources, entry.not_after))
    return out


def _keep_reason(entry: TrustEntry, signed: int, valid: bool) -> str:
    words = [f"valid until {entry.not_after:%Y-%m-%d}" if valid
             else f"the latest of them, though not valid now (until {entry.not_after:%Y-%m-%d})"]
    if signed:
        words.append(f"{signed} given certificate{'s verify' if signed != 1 else ' verifies'} "
                     "with its key")
    return "; ".join(words)


def _drop_reason(entry: TrustEntry, keep: TrustEntry, signed: dict[str, int],
                 when: dt.datetime) -> str:
    if entry.not_after < when:
        return f"expired on {entry.not_after:%Y-%m-%d}"
    if entry.certificate.not_valid_before_utc > when:
        return f"not valid before {entry.certificate.not_valid_before_utc:%Y-%m-%d}"
    if signed[keep.fingerprint] and not signed[entry.fingerprint]:
        return ("no given certificate verifies with its key, while they do with the kept one's "
                "(a same-name CA with another key)")
    return (f"valid only until {entry.not_after:%Y-%m-%d}, the kept one until "
            f"{keep.not_after:%Y-%m-%d}")
