"""MRA readiness (seed-000-002): would Expressway-C X14.2+ accept the tomcat / tomcat-ECDSA
certificate a CUCM, IM&P or Unity node presents, for each address it is reached by?

The verdict follows seed-000-002 §2.5: the chain first (OpenSSL semantics without partial
chains: anchors = the Exp-C trusted CA list, untrusted pool = what the node sends), then the name
(Apache Traffic Server's validate_hostname: DNS SANs, then the first CN; IP SANs never consulted,
§1.12). The first failure is reported as Expressway would log it; a name failure hidden behind a
trust failure is reported as "would also fail".

Also here: trust-list, traversal zone and Jabber-domain rules of seed-000-002 §2.3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from cryptography import x509

from collabcert import certparts, names, rules
from collabcert.chain import build_chain, server_identity
from collabcert.dn import tell_all_apart
from collabcert.findings import Finding, Severity
from collabcert.lint import certinfo as ci
from collabcert.lint.context import (
    TRUST,
    TRUST_C,
    TRUST_E,
    Context,
    fingerprint,
    is_ca,
    unique,
    version_tuple,
)
from collabcert.lint.hostmatch import ats_match, first_cn, has_name
from collabcert.lint.registry import check

S = "seed-000-002"
P = "mra"
PASS, FAIL, UNCERTAIN = "PASS", "FAIL", "UNCERTAIN"
TS_SELF = rules.get("TS-SELF-UNTRUSTED")
TS_CHAIN_ROOT = rules.get("TS-CHAIN-ROOT-UNTRUSTED")
TS_UNKNOWN_CA = rules.get("TS-UNKNOWN-CA")
TS_ROOT_MISSING = rules.get("TS-ROOT-MISSING")
TS_INT_MISSING = rules.get("TS-INT-MISSING")
TS_VALIDITY = rules.get("TS-VALIDITY")
TS_REVOCATION = rules.get("TS-REVOCATION-UNKNOWN")
SNI_NOT_IN_CERT = rules.get("SNI-ADDR-NOT-IN-CERT")
SNI_IP_SAN = rules.get("SNI-IP-SAN-TYPE")
SNI_CN_ONLY = rules.get("SNI-CN-ONLY")
SNI_HOSTNAME = rules.get("SNI-HOSTNAME")
SNI_ALL_ADDR = rules.get("SNI-ALL-ADDR")
ECDSA_VARIANT = rules.get("ECDSA-VARIANT")
TRUST_DUP_CN = rules.get("TRUST-DUP-CN")
TRUST_CLUSTER_DIFF = rules.get("TRUST-CLUSTER-DIFF")
CFG_UPGRADE = rules.get("CFG-UPGRADE-READY")
CFG_TVM = rules.get("CFG-TVM-INSUFFICIENT")
CFG_VOS_OFF = rules.get("CFG-VOS-OFF")
CFG_CIPHER = rules.get("CFG-CIPHER-PREF")
UCM_TRUST_EXPC = rules.get("UCM-TRUST-EXPC")
EXP_UPLOAD_ORDER = rules.get("EXP-UPLOAD-ORDER")
TRAV_PEER_ADDR = rules.get("TRAV-PEER-ADDR")
TRAV_VERIFY_NAME = rules.get("TRAV-VERIFY-NAME")
TRAV_CA_CROSS = rules.get("TRAV-CA-CROSS")
TRAV_SSH_INT = rules.get("TRAV-SSH-INT")
MRA_E_DOMAIN = rules.get("MRA-E-DOMAIN")

RSA_PREFIX = "ECDHE-RSA-AES256-GCM-SHA384:"


@dataclass(frozen=True)
class Presented:
    """A certificate a node presents: tomcat or tomcat-ECDSA, with what it sends along."""

    leaf: x509.Certificate
    sent: tuple[x509.Certificate, ...] = ()
    variant: str = ""  # "tomcat" / "tomcat-ECDSA"; "" = by key type
    source: str = ""

    @property
    def kind(self) -> str:
        if self.variant:
            return self.variant
        return "tomcat-ECDSA" if ci.key_kind(ci.public_key(self.leaf)) == "ec" else "tomcat"


@dataclass(frozen=True)
class MraNode:
    name: str
    addresses: tuple[str, ...]
    certificates: tuple[Presented, ...]
    ip: str = ""  # for the emulated log `server=<addr>(<ip>)`
    product: str = "cucm"  # "cucm", "imp" or "unity"


@dataclass(frozen=True)
class MraSettings:
    version: str = "X14.2"
    verify_origin_server: bool = True
    ciphers: str | None = None
    openssl3: bool = False
    publisher_address: str = ""
    tls_verify_mode: bool = False

    @property
    def enforced(self) -> bool:
        return self.verify_origin_server and _version(self.version) >= (14, 2)


@dataclass(frozen=True)
class VerdictRow:
    node: str
    certificate: str  # variant and CN, e.g. "tomcat-ECDSA cucm-ec.steven.lab"
    variant: str
    address: str
    result: str  # PASS / FAIL / UNCERTAIN (as X14.2+ would judge)
    enforced: bool
    rule: str  # the rule of the first failure ("" on a plain PASS)
    log_line: str  # what Expressway would log ("" on PASS)
    message: str
    fix: str
    matched_by: str = ""  # "DNS:x", "CN", ""
    findings: tuple[Finding, ...] = ()  # every finding of this tuple, first failure first
    source: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "node": self.node, "certificate": self.certificate, "variant": self.variant,
            "address": self.address, "result": self.result, "enforced": self.enforced,
            "rule": self.rule, "log": self.log_line, "message": self.message, "fix": self.fix,
            "matched_by": self.matched_by, "findings": [f.to_json() for f in self.findings],
        }

    def text(self) -> str:
        state = self.result if self.enforced else f"{self.result} (not enforced)"
        line = f"MRA {self.node} {self.certificate} @ {self.address}: {state}"
        if self.rule:
            line += f" {self.rule}: {self.message}"
        if self.log_line:
            line += f"\n    log: {self.log_line}"
        if self.fix and self.result != PASS:
            line += f"\n    fix: {self.fix}"
        return line


@dataclass
class _Chain:
    ok: bool
    path: list[x509.Certificate]
    rule: object = None
    error: str = ""
    depth: int = 0
    message: str = ""
    extra: list[Finding] = field(default_factory=list)


# --------------------------------------------------------------------------- the verdict


def verdict(
    presented: Presented,
    trust: Sequence[x509.Certificate],
    address: str,
    *,
    node: str = "",
    ip: str = "",
    now: dt.datetime | None = None,
    settings: MraSettings | None = None,
    known: Sequence[x509.Certificate] = (),
) -> VerdictRow:
    """One certificate x one address. `known` are other certificates the user has (e.g. an
    intermediate neither sent nor trusted), used only to name what is missing."""
    settings = settings or MraSettings()
    when = now or dt.datetime.now(dt.UTC)
    leaf = presented.leaf
    where = f"{node or address}:{presented.kind}"
    chain = _check_chain(leaf, list(presented.sent), list(trust), list(known), when,
                         settings.openssl3, where)
    name_findings, matched, name_rule = _check_name(leaf, address, where, ip)
    findings: list[Finding] = []
    server = f"server={address}({ip or address})"
    if not chain.ok:
        result, rule = FAIL, chain.rule
        log = (f"WARNING: Core server certificate verification failed for ({address}). "
               f"Action=Terminate Error={chain.error} {server} depth={chain.depth}")
        findings.append(rule.finding(chain.message, where=where))
        for f in name_findings:  # a trust failure hides a name failure (ATS, §1.12 point 1)
            if f.severity is Severity.ERROR:
                f = replace(f, message=f"{f.message} (would also fail after the trust is fixed)")
            findings.append(f)
        message, fix = chain.message, rule.fix
    elif name_rule is SNI_NOT_IN_CERT:
        result, rule = FAIL, SNI_NOT_IN_CERT
        log = f"WARNING: SNI ({address}) not in certificate. Action=Terminate {server}"
        findings += name_findings
        message, fix = name_findings[0].message, name_findings[0].fix
    elif name_rule is SNI_IP_SAN:
        result, rule, log = UNCERTAIN, SNI_IP_SAN, ""
        findings += name_findings
        message, fix = name_findings[0].message, name_findings[0].fix
    else:
        result, rule, log = PASS, None, ""
        findings += name_findings
        message, fix = f"accepted: matched {matched}", ""
    findings += chain.extra
    findings += _revocation(leaf, where)
    if not settings.enforced:
        findings = [_not_enforced(f) for f in findings]
    return VerdictRow(
        node or address, f"{presented.kind} {ci.label(leaf)}", presented.kind, address, result,
        settings.enforced, rule.id if rule else "", log, message, fix, matched,
        tuple(findings), presented.source,
    )


def _not_enforced(f: Finding) -> Finding:
    if f.severity is not Severity.ERROR:
        return f
    # the same rule's finding, downgraded: nothing fails until validation is enforced
    return replace(f, severity=Severity.WARNING, message=f"{f.message} Not enforced now; this "
                   "will fail when X14.2 validation is enforced (VerifyOriginServer On).")


def _err(openssl3: bool, text: str) -> str:
    return text.replace("self signed", "self-signed") if openssl3 else text


def _check_chain(leaf, sent, trust, known, when, openssl3, where) -> _Chain:
    trust_fps = {fingerprint(c) for c in trust}
    name = ci.label(leaf)
    if ci.self_issued(leaf) and fingerprint(leaf) not in trust_fps:
        return _Chain(False, [leaf], TS_SELF, _err(openssl3, "self signed certificate"), 0,
                      f"Remote certificate '{name}' ({where}) is self-signed and is not in the "
                      "Expressway-C trusted CA list. Expressway will log 'Error=self signed "
                      "certificate ... depth=0' and fail the request (502).")
    path = [leaf]
    from_sent: list[x509.Certificate] = []
    current = leaf
    while not (fingerprint(current) in trust_fps and ci.self_issued(current)):
        if fingerprint(current) in trust_fps and current is leaf:
            break  # the exact leaf is trusted (self-signed leaf uploaded as a CA)
        issuer = ci.issuer_in(current, trust) or ci.issuer_in(current, sent)
        if issuer is None:
            return _missing(path, current, trust, trust_fps, known, sent, openssl3, where)
        if fingerprint(issuer) not in trust_fps and ci.self_issued(issuer):
            depth = len(path)
            return _Chain(False, path + [issuer], TS_CHAIN_ROOT,
                          _err(openssl3, "self signed certificate in certificate chain"), depth,
                          f"The server sends root '{ci.label(issuer)}', which Expressway-C does "
                          "not trust ('self signed certificate in certificate chain', "
                          f"depth={depth}). Upload that root and all intermediates to the Exp-C "
                          "trust store.")
        if fingerprint(issuer) not in trust_fps:
            from_sent.append(issuer)
        path.append(issuer)
        current = issuer
        if len(path) > 10:
            break
    bad = _validity(path, when)
    if bad is not None:
        index, cert, text = bad
        return _Chain(False, path, TS_VALIDITY, text, index,
                      f"Certificate '{ci.label(cert)}' is {text.replace('certificate ', '')} "
                      f"(notAfter={certparts.not_after(cert):%Y-%m-%d}).")
    extra = [TS_INT_MISSING.finding(
        f"Intermediate CA '{ci.label(c)}' is not in the Expressway-C trust store. Cisco requires "
        "root and all intermediates; the handshake may still succeed because the server sends "
        "it, but add it anyway.", where=where, severity=Severity.WARNING) for c in from_sent]
    return _Chain(True, path, extra=extra)


def _missing(path, current, trust, trust_fps, known, sent, openssl3, where) -> _Chain:
    depth = len(path) - 1
    name = ci.label(current)
    issuer_name = ci.issuer_cn(current) or ci.issuer_text(current)
    if fingerprint(current) in trust_fps:  # an intermediate is trusted, its root is not
        return _Chain(False, path, TS_ROOT_MISSING, "unable to get issuer certificate", depth,
                      f"Trust store has intermediate '{name}' but not its root '{issuer_name}'. "
                      "Expressway-C needs the root CA and all intermediates.")
    # The issuer is neither sent nor trusted. If the user has it and it chains to a trusted
    # root, the missing piece is an intermediate (TS-INT-MISSING); otherwise an unknown CA.
    intermediate = ci.issuer_in(current, known)
    if intermediate is not None and _reaches(intermediate, trust, known):
        return _Chain(False, path, TS_INT_MISSING, "unable to get local issuer certificate",
                      depth, f"Intermediate CA '{ci.label(intermediate)}' is not in the "
                      "Expressway-C trust store and the server does not send it. Cisco requires "
                      "root and all intermediates.")
    return _Chain(False, path, TS_UNKNOWN_CA, "unable to get local issuer certificate", depth,
                  f"Certificate '{name}' is signed by '{issuer_name}', which is unknown to "
                  "Expressway-C. Upload the CA chain (root + intermediates) that signed it.")


def _reaches(cert, trust, known) -> bool:
    trust_fps = {fingerprint(c) for c in trust}
    current = cert
    for _ in range(10):
        if fingerprint(current) in trust_fps:
            return True
        issuer = ci.issuer_in(current, [*trust, *known])
        if issuer is None:
            return False
        current = issuer
    return False


def _validity(path, when):
    for index, cert in enumerate(path):
        if certparts.not_after(cert) < when:
            return index, cert, "certificate has expired"
        if certparts.not_before(cert) > when:
            return index, cert, "certificate is not yet valid"
    return None


def _check_name(leaf, address, where, ip) -> tuple[list[Finding], str, object]:
    out: list[Finding] = []
    if names.is_single_label(address):
        out.append(SNI_HOSTNAME.finding(
            f"Node is addressed by bare hostname '{address}'; the certificate must contain "
            "exactly this string. Prefer an FQDN.", where=where))
    dns = ci.dns_sans(leaf)
    for entry in dns:
        if ats_match(entry, address):
            return out, f"DNS:{entry}", None
    if ats_match(first_cn(leaf), address) and first_cn(leaf):
        out.append(SNI_CN_ONLY.finding(
            f"Address '{address}' matches only the certificate CN. Accepted by Traffic Server's "
            "fallback, but keep the address in the SAN too.", where=where))
        return out, "CN", SNI_CN_ONLY
    if names.is_ip(address) and address in ci.ip_sans(leaf):
        out.insert(0, SNI_IP_SAN.finding(
            f"IP '{address}' is only present as an IP-type SAN. The doc requires the IP 'in the "
            "SAN', but upstream Traffic Server compares it against DNS-type SANs and the CN "
            f"only. Also add it as a DNS-type SAN (DNS:{address}) or CN, or use FQDN "
            "addressing.", where=where))
        return out, "", SNI_IP_SAN
    san_text = ", ".join(dns) or "none"
    out.insert(0, SNI_NOT_IN_CERT.finding(
        f"Address '{address}' (how Expressway-C reaches {where.split(':')[0]}) is not in "
        f"certificate '{ci.label(leaf)}' (SAN: {san_text}). Expressway will log 'WARNING: SNI "
        f"({address}) not in certificate. Action=Terminate' -> 502.",
        fix=f"Add '{address}' to the certificate, or change CUCM System > Server to a name that "
        "is in the certificate and refresh the Exp-C discovery.", where=where))
    return out, "", SNI_NOT_IN_CERT


def _revocation(leaf, where) -> list[Finding]:
    has_cdp = ci.ext(leaf, x509.CRLDistributionPoints) is not None
    has_aia = ci.ext(leaf, x509.AuthorityInformationAccess) is not None
    return [TS_REVOCATION.finding(where=where)] if has_cdp or has_aia else []


def _version(text: str) -> tuple[int, ...]:
    return version_tuple(text or "X14.2", fallback=(14, 2))  # not said: MRA assumes X14.2


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True)
class MraReport:
    rows: tuple[VerdictRow, ...]
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, object]:
        return {"rows": [r.to_json() for r in self.rows],
                "findings": [f.to_json() for f in self.findings]}


def assess(
    nodes: Sequence[MraNode],
    trust: Sequence[x509.Certificate],
    settings: MraSettings | None = None,
    *,
    now: dt.datetime | None = None,
    known: Sequence[x509.Certificate] = (),
    cluster_trust: Mapping[str, Sequence[x509.Certificate]] | None = None,
) -> MraReport:
    """Every node x certificate x address, plus the node- and trust-level findings."""
    settings = settings or MraSettings()
    rows = [verdict(p, trust, a, node=n.name, ip=n.ip, now=now, settings=settings, known=known)
            for n in nodes for p in n.certificates for a in n.addresses]
    return MraReport(tuple(rows), tuple(assessment_findings(rows, nodes, trust, settings,
                                                            cluster_trust)))


def assessment_findings(rows, nodes, trust, settings, cluster_trust=None) -> list[Finding]:
    out: list[Finding] = []
    for row in rows:
        out.extend(row.findings)
    # Only FAIL rows aggregate (an UNCERTAIN row is not a failure, 002 L610), and the summary
    # is evidence: each failing row's own finding is the one error of its cause (issue 13).
    failing = [r for r in rows if r.result == FAIL]
    for node in dict.fromkeys(r.node for r in failing):
        bad = [r for r in failing if r.node == node]
        out.append(SNI_ALL_ADDR.finding(
            f"Node {node}: " + "; ".join(f"{r.certificate} fails for address {r.address} "
                                          f"({r.rule})" for r in bad) + ".",
            where=node))
    out += _ecdsa_variant(rows, settings)
    out += _config(rows, settings)
    out += trust_dup_cn(trust, "Expressway-C trusted CA list")
    if cluster_trust:
        out += _cluster_diff(rows, cluster_trust)
    return out


def _ecdsa_variant(rows, settings) -> list[Finding]:
    if _version(settings.version) < (14, 2):
        return []
    out = []
    for node in dict.fromkeys(r.node for r in rows):
        mine = [r for r in rows if r.node == node]
        rsa_ok = [r for r in mine if r.variant == "tomcat"]
        ec_bad = [r for r in mine if r.variant == "tomcat-ECDSA" and r.result != PASS]
        if rsa_ok and all(r.result == PASS for r in rsa_ok) and ec_bad:
            extra = ""
            if settings.ciphers is not None and not _rsa_first(settings.ciphers):
                extra = (" ECDSA is currently preferred: the cipher lists lack "
                         f"'{RSA_PREFIX}'.")
            elif settings.ciphers is not None:
                extra = (" RSA is preferred by the cipher lists, but ECDSA was still seen on "
                         "port 6972 in Cisco's example.")
            first = ec_bad[0]
            # RSA preferred by the cipher lists lowers the chance of ECDSA: a warning (002
            # L244, L257); not enforced yet: a warning too.
            rsa_first = settings.ciphers is not None and _rsa_first(settings.ciphers)
            out.append(ECDSA_VARIANT.finding(
                f"Node {node}: tomcat passes but {first.certificate} would fail "
                f"({first.rule}). Since X14.2 Expressway may negotiate ECDSA (seen on port 6972 "
                f"in Cisco's example).{extra}", where=node,
                severity=Severity.WARNING if rsa_first or not settings.enforced else None))
    return out


def _rsa_first(ciphers: str) -> bool:
    lists = [c.strip() for c in ciphers.replace(";", "\n").splitlines() if c.strip()]
    return bool(lists) and all(c.startswith(RSA_PREFIX) for c in lists)


def _config(rows, settings) -> list[Finding]:
    out = []
    if settings.ciphers is not None:
        pref = ("RSA preferred" if _rsa_first(settings.ciphers) else
                "ECDSA preferred (default for fresh X14.2 installs and upgrades from < 14.0)")
        out.append(CFG_CIPHER.finding(f"Cipher preference: {pref}."))
    if not settings.verify_origin_server:
        out.append(CFG_VOS_OFF.finding())
    failing = [r for r in rows if r.result != PASS]
    if not settings.enforced and failing:
        for node in dict.fromkeys(r.node for r in failing):
            reasons = "; ".join(f"{r.certificate} @ {r.address}: {r.rule}"
                                for r in failing if r.node == node)
            out.append(CFG_UPGRADE.finding(
                f"After upgrading to X14.2+ (or setting VerifyOriginServer On), MRA requests to "
                f"{node} will fail: {reasons}.", where=node))
    if settings.tls_verify_mode and settings.publisher_address:
        publisher_ok = all(r.result == PASS for r in rows
                           if r.address == settings.publisher_address)
        others = [r for r in failing if r.address != settings.publisher_address]
        if publisher_ok and others:
            what = ", ".join(sorted({f"{r.node}/{r.address}" for r in others}))
            out.append(CFG_TVM.finding(
                f"TLS Verify Mode only checked the publisher address "
                f"{settings.publisher_address} at discovery; {what} are not checked until "
                "X14.2 enforces them."))
    return out


def trust_dup_cn(trust: Sequence[x509.Certificate], where: str) -> list[Finding]:
    """Different certificates with one CN: an error when servers' own certificates
    (self-signed or leaves) share it (002 L145, 001 L371); a warning when all are CA
    certificates, e.g. a renewed root (001 L838, seed-001 CHN-DUPCN)."""
    out = []
    for group in ci.by_common_name(unique(trust)):
        if len(group) < 2:
            continue
        renewed_ca = not any(server_identity(c) for c in group)
        out.append(TRUST_DUP_CN.finding(
            f"Expressway cannot hold {len(group)} different certificates with CN "
            f"'{ci.cn(group[0])}' (CSCwa12905): {tell_all_apart(group)}." + (
                " They are all CA certificates (a renewed CA?): keep only the current one."
                if renewed_ca else ""), where=where,
            severity=Severity.WARNING if renewed_ca else None,
            also=rules.get("CHN-DUPCN") if renewed_ca else None))
    return out


def _cluster_diff(rows, cluster_trust) -> list[Finding]:
    stores = {node: {fingerprint(c) for c in certs} for node, certs in cluster_trust.items()}
    every = {fingerprint(c): c for certs in cluster_trust.values() for c in certs}
    out = []
    for node, fps in stores.items():
        for fp, cert in every.items():
            if fp not in fps:
                out.append(TRUST_CLUSTER_DIFF.finding(
                    f"Trust store on {node} lacks '{ci.label(cert)}'. Update all Expressway-C "
                    "cluster nodes.", where=node))
    return out


# ------------------------------------------------------------------------- from lint input

MRA_ROLES = ("cucm-tomcat", "cucm-tomcat-ecdsa", "imp-cup-xmpp", "imp-cup-xmpp-ecdsa")


def presented_of(ctx: Context) -> list[Presented]:
    """The node certificates in the lint input: leaf files of CUCM / IM&P roles (any role when
    only MRA addresses were given), each with the CA certificates of its own file as `sent`."""
    out = []
    for facts in ctx.files:
        if facts.role_id in (TRUST, TRUST_C, TRUST_E, "peer", "expressway-c", "expressway-e"):
            continue
        # CUCM's own self-signed tomcat-ECDSA has CA:TRUE (002 L465-470): still the node's
        leaves = [c for c in facts.certificates if server_identity(c)]
        if not leaves:
            continue
        leaf = leaves[0]
        sent = tuple(c for c in facts.certificates if c is not leaf)
        variant = ""
        if facts.role is not None and facts.role.cucm_type.startswith("tomcat"):
            variant = facts.role.cucm_type
        out.append(Presented(leaf, sent, variant, facts.name))
    return out


@dataclass(frozen=True)
class NodeFiles:
    """A node as the person described it (the MRA flow): its name, the addresses Expressway-C
    reaches it by, its IP, and which input file holds which certificate (input name, variant)."""

    name: str
    addresses: tuple[str, ...]
    files: tuple[tuple[str, str], ...]
    ip: str = ""


def nodes_of(ctx: Context, events: Iterable = (), given: Sequence[NodeFiles] = ()
             ) -> list[MraNode]:
    """The nodes to judge: the ones described (`given`), else one node made of every presented
    certificate, the --mra-address list and --mra-ip; each with the addresses its log lines
    name (a log line names the address actually used, AT-17)."""
    presented = presented_of(ctx)
    if given:
        by_source = {p.source: p for p in presented}
        nodes = [MraNode(n.name, n.addresses, tuple(
            replace(by_source[name], variant=variant) for name, variant in n.files
            if name in by_source), ip=n.ip) for n in given]
    else:
        nodes = [MraNode(NodeName.of(ctx, presented), tuple(ctx.options.mra_addresses),
                         tuple(presented), ip=ctx.options.mra_ip)]
    return with_log_addresses(nodes, events)


def with_log_addresses(nodes: Sequence[MraNode], events: Iterable) -> list[MraNode]:
    """A logged address belongs to the node with that IP, or to the only node: judge it too."""
    out = list(nodes)
    for event in events:
        for address in (getattr(event, "sni", ""), getattr(event, "host", "")):
            if not address or any(address in n.addresses for n in out):
                continue
            ip = getattr(event, "ip", "")
            index = next((i for i, n in enumerate(out) if ip and n.ip == ip), None)
            if index is None and len(out) == 1:
                index = 0
            if index is not None:
                out[index] = replace(out[index], addresses=(*out[index].addresses, address))
    return out


def assessment_of(ctx: Context, events: Iterable = (), given: Sequence[NodeFiles] = ()
                  ) -> MraReport:
    """The verdict rows and MRA findings of the lint input (none when no address is known)."""
    nodes = [n for n in nodes_of(ctx, events, given) if n.addresses]
    if not nodes:
        return MraReport((), ())
    known = [c for f in ctx.files for c in f.certificates]
    report = assess(nodes, ctx.trust_certificates, settings_of(ctx), now=ctx.now, known=known)
    # No certificate to judge: no verdict, so no trust-list or setting findings either.
    return report if report.rows else MraReport((), ())


class NodeName:
    @staticmethod
    def of(ctx: Context, presented: Sequence[Presented]) -> str:
        given = ctx.field("node-name") or ctx.field("fqdn")
        if given:
            return given
        for address in ctx.options.mra_addresses:
            if not names.is_ip(address):
                return address
        return ctx.options.mra_addresses[0] if ctx.options.mra_addresses else "node"


def settings_of(ctx: Context) -> MraSettings:
    o = ctx.options
    return MraSettings(o.expressway_version or "X14.2", o.verify_origin_server, o.ciphers,
                       o.openssl3, o.publisher_address, o.tls_verify_mode)


# ------------------------------------------------------------- traversal, Jabber domain, CUCM


@check("expressway")
def traversal(ctx: Context) -> list[Finding]:
    out = []
    peer = ctx.field("traversal-peer-address")
    expe_files = ctx.role_files("expressway-e")
    expe = ctx.leaf("expressway-e")
    if peer and expe is not None and not has_name(expe, peer):
        out.append(TRAV_PEER_ADDR.finding(
            f"Traversal zone Peer address '{peer}' is not a name in the Expressway-E certificate "
            f"'{ci.label(expe)}' -> 'TLS Negotiation Error'.",
            where=", ".join(f.name for f in expe_files)))
    verify = ctx.field("tls-verify-name")
    if verify:
        for facts in ctx.role_files("expressway-c"):
            leaves = [c for c in facts.certificates if not is_ca(c)]
            if leaves and not has_name(leaves[0], verify):
                out.append(TRAV_VERIFY_NAME.finding(
                    f"TLS verify name '{verify}' missing from Expressway-C node "
                    f"'{ci.label(leaves[0])}' certificate. For clusters, use the cluster FQDN "
                    "and include it in every node's certificate.", where=facts.name))
    out += _cross_trust(ctx)
    domains = ctx.field_list("mra-domains")
    if domains and expe is not None:
        for d in domains:
            if not ci.in_sans(d, expe) and not ci.in_sans(f"collab-edge.{d}", expe):
                out.append(MRA_E_DOMAIN.finding(
                    f"Expressway-E certificate lacks '{d}' / 'collab-edge.{d}' -> Jabber "
                    "untrusted-certificate warning at MRA login.", where=expe_files[0].name))
    out += _upload_order(ctx)
    return out


def _chain_cas(ctx: Context, leaf) -> list[x509.Certificate]:
    chain = build_chain(ctx.all_certificates, leaf=leaf, at=ctx.now)
    return [link.certificate for link in chain.cas]


def _cross_trust(ctx: Context) -> list[Finding]:
    stores = {}
    for label_, pseudo, role_id in (("Expressway-C", TRUST_C, "expressway-c"),
                                    ("Expressway-E", TRUST_E, "expressway-e")):
        files = [f for f in ctx.files if f.role_id == pseudo]
        if ctx.role and ctx.role.id == role_id:
            files += ctx.trust_files
        if files:
            stores[label_] = {fingerprint(c) for f in files for c in f.certificates}
    if len(stores) < 2:
        return []
    out = []
    for role_id in ("expressway-c", "expressway-e"):
        leaf = ctx.leaf(role_id)
        if leaf is None:
            continue
        cas = _chain_cas(ctx, leaf)
        for box, fps in stores.items():
            missing = [c for c in cas if fingerprint(c) not in fps]
            if not missing:
                continue
            root_there = any(ci.self_signed(c) and fingerprint(c) in fps for c in cas)
            ints = [c for c in missing if not ci.self_signed(c)]
            if root_there and ints:
                out += [TRAV_SSH_INT.finding(
                    f"Intermediate '{ci.label(c)}' (chain of {role_id}) missing from the {box} "
                    "trust list: the traversal zone may come up but the SSH tunnel will fail.",
                    where=box) for c in ints]
            else:
                out.append(TRAV_CA_CROSS.finding(
                    f"{box} trust list lacks {', '.join(repr(ci.label(c)) for c in missing)} "
                    f"from the {role_id} certification path. " + TRAV_CA_CROSS.message,
                    where=box))
    return out


def _upload_order(ctx: Context) -> list[Finding]:
    if not ctx.trust_files or ctx.role is None or ctx.role.product != "expressway":
        return []
    leaf = ctx.leaf()
    if leaf is None:
        return []
    trusted = ctx.trusted_fingerprints
    missing = [c for c in _chain_cas(ctx, leaf) if fingerprint(c) not in trusted]
    if not missing:
        return []
    return [EXP_UPLOAD_ORDER.finding(
        f"{', '.join(repr(ci.label(c)) for c in missing)} of the server certificate's chain "
        "is not in the trusted CA list; upload all CA certificates of the chain to Trusted CA "
        "Certificate first, otherwise the upload fails with an untrusted CA chain.",
        where=ctx.trust_files[0].name)]


@check("cucm", "imp")
def cucm_trusts_expc(ctx: Context) -> list[Finding]:
    expc = ctx.leaf("expressway-c")
    if expc is None or not ctx.trust_is("cucm"):  # only CUCM's own trust store (item 3)
        return []
    trusted = ctx.trusted_fingerprints
    cas = _chain_cas(ctx, expc) or []
    if cas and any(fingerprint(c) in trusted for c in cas):
        return []
    if not cas and fingerprint(expc) in trusted:
        return []
    issuer = ci.issuer_cn(expc) or ci.issuer_text(expc)
    return [UCM_TRUST_EXPC.finding(
        f"The CA '{issuer}' of the Expressway-C certificate is not in the CUCM trust store "
        "given; upload the Expressway-C CA certificate to CUCM as tomcat-trust and "
        "callmanager-trust and restart the required services.",
        where=ctx.trust_files[0].name)]
