"""Expressway-C / -E rules (seed-001 §4): private key, server certificate / CSR content, the
role's SAN completeness, the trusted CA list, CRLs, and process notes (PROC-*, as info)."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509

from collabcert import certparts, names, rules
from collabcert.chain import server_identity, tls_purpose
from collabcert.dn import tell_all_apart
from collabcert.findings import Finding, Severity
from collabcert.lint import certinfo as ci
from collabcert.lint.context import TRUST, Context, FileFacts, is_ca, unique, version_tuple
from collabcert.lint.general import is_lets_encrypt
from collabcert.lint.registry import check
from collabcert.model import hash_name
from collabcert.rules.expressway import UPLOAD_CN, UPLOAD_SAN

S = "seed-001"
P = "expressway"

# --- 4.1 private key
KEY_ENC = rules.get("KEY-ENC")
KEY_NL = rules.get("KEY-NL")
KEY_FMT = rules.get("KEY-FMT")
KEY_MATCH = rules.get("KEY-MATCH")
KEY_8192 = rules.get("KEY-8192")
KEY_SIZE = rules.get("KEY-SIZE")
KEY_TYPE = rules.get("KEY-TYPE")
KEY_ECDSA_VER = rules.get("KEY-ECDSA-VER")

# --- 4.2 certificate / CSR content
CRT_FMT = rules.get("CRT-FMT")
CRT_CN_MISSING = rules.get("CRT-CN-MISSING")
CRT_CN_FQDN = rules.get("CRT-CN-FQDN")
CRT_SAN_FQDN = rules.get("CRT-SAN-FQDN")
CRT_FQDN_SYNTAX = rules.get("CRT-FQDN-SYNTAX")
CRT_WILDCARD = rules.get("CRT-WILDCARD")
CRT_EKU_CLIENT = rules.get("CRT-EKU-CLIENT")
CRT_EKU_SERVER = rules.get("CRT-EKU-SERVER")
CRT_EKU_ABSENT = rules.get("CRT-EKU-ABSENT")
CRT_OID = rules.get("CRT-OID")
CRT_SELFSIGNED = rules.get("CRT-SELFSIGNED")
CRT_DEFAULT = rules.get("CRT-DEFAULT")
CRT_XMPPADDR = rules.get("CRT-XMPPADDR")
CRT_SAN_LEN = rules.get("CRT-SAN-LEN")
CSR_DIGEST = rules.get("CSR-DIGEST")

# --- 4.3 role SAN completeness
ROLE_STANDALONE_CN = rules.get("ROLE-STANDALONE-CN")
ROLE_CLUSTER_CN = rules.get("ROLE-CLUSTER-CN")
ROLE_CLUSTER_SAN = rules.get("ROLE-CLUSTER-SAN")
ROLE_C_PROFILES = rules.get("ROLE-C-PROFILES")
ROLE_C_PROFILE_FQDN = rules.get("ROLE-C-PROFILE-FQDN")
ROLE_E_REGDOM = rules.get("ROLE-E-REGDOM")
ROLE_E_PRIVDOM = rules.get("ROLE-E-PRIVDOM")
ROLE_E_XMPP = rules.get("ROLE-E-XMPP")
ROLE_CHAT_ALIAS = rules.get("ROLE-CHAT-ALIAS")
ROLE_CHAT_MISMATCH = rules.get("ROLE-CHAT-MISMATCH")
ROLE_C_CLUSTERNAME = rules.get("ROLE-C-CLUSTERNAME")
ROLE_E_ALIASES = rules.get("ROLE-E-ALIASES")
ROLE_MULTISAN = rules.get("ROLE-MULTISAN")
ROLE_ZONE_PEER = rules.get("ROLE-ZONE-PEER")
ROLE_ZONE_IP = rules.get("ROLE-ZONE-IP")

# --- 4.4 chain / trusted CA list / CRL
CHN_INCOMPLETE = rules.get("CHN-INCOMPLETE")
CHN_FMT = rules.get("CHN-FMT")
CHN_NOTCA = rules.get("CHN-NOTCA")
CHN_DUPCN = rules.get("CHN-DUPCN")
CHN_SELFSIGNED_SAMECN = rules.get("CHN-SELFSIGNED-SAMECN")
CHN_REPLACE = rules.get("CHN-REPLACE")
CHN_MAX = rules.get("CHN-MAX")
CHN_LE = rules.get("CHN-LE")
CHN_ORDER = rules.get("CHN-ORDER")
CHN_LEAF_IN_CA = rules.get("CHN-LEAF-IN-CA")
CRL_FMT = rules.get("CRL-FMT")
CRL_SIZE = rules.get("CRL-SIZE")
CRL_EXPIRED = rules.get("CRL-EXPIRED")

# --- 4.5 process notes: info where the context applies
PROC_CA_FIRST = rules.get("PROC-CA-FIRST")
PROC_RESTART = rules.get("PROC-RESTART")
PROC_ONECSR = rules.get("PROC-ONECSR")
PROC_PER_PEER = rules.get("PROC-PER-PEER")
PROC_TLS_PERMISSIVE = rules.get("PROC-TLS-PERMISSIVE")
PROC_REISSUE_C = rules.get("PROC-REISSUE-C")
PROC_REISSUE_E = rules.get("PROC-REISSUE-E")
PROC_KEY_SECRET = rules.get("PROC-KEY-SECRET")

ISRG_ROOT = "ISRG Root X1"


# ------------------------------------------------------------------------------ private key


@check(P)
def keys(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P):
        if facts.locked:
            out.append(KEY_ENC.finding(
                f"Server private key must not be password protected; this one is encrypted "
                f"({facts.locked_text}). Expressway refuses it.", where=facts.name))
        key_items = [i for i in facts.loaded.items if i.kind.value == "private_key"]
        if facts.has_key and facts.text is not None and not facts.data.endswith(b"\n"):
            out.append(KEY_NL.finding(where=facts.name))
        if any(i.encoding != "PEM" for i in key_items):
            out.append(KEY_FMT.finding(
                f"Private key is {key_items[0].encoding}; it must be supplied as a PEM file.",
                where=facts.name))
        for key in facts.keys:
            out += _key_size(key, facts.name, ctx)
    for _, subject, where in ctx.subjects(P):  # the certificate's key counts too (AT-14)
        public = ci.public_key(subject)
        if public is not None:
            out += _key_size(public, where, ctx)
    return out + _key_match(ctx)


def _key_size(key, where: str, ctx: Context) -> list[Finding]:
    kind, bits = ci.key_kind(key), ci.key_bits(key)
    if kind == "rsa" and bits >= 8192:
        return [KEY_8192.finding(where=where)]
    if kind == "rsa" and bits >= 2048 and bits not in (2048, 4096):
        return [KEY_SIZE.finding(f"RSA {bits} is not an Expressway key length (2048 or 4096).",
                                 where=where)]
    if kind == "ec" and ci.curve(key) not in ("secp256r1", "secp384r1", "secp521r1"):
        return [KEY_SIZE.finding(where=where)]
    if kind in ("dsa", "other"):
        return [KEY_TYPE.finding(where=where)]
    version = ctx.options.expressway_version
    if kind == "ec" and version and version_tuple(version, fallback=(0,)) < (14, 3):
        return [KEY_ECDSA_VER.finding(
            f"ECDSA certificates require Expressway X14.3 or later (given {version}).",
            where=where)]
    return []


def _key_match(ctx: Context) -> list[Finding]:
    out = []
    for role_id in ctx.roles_in_play(P):
        key_file = ctx.key_mismatch(role_id)
        if key_file is not None:
            out.append(KEY_MATCH.finding(
                f"Certificate '{ci.label(ctx.leaf(role_id))}' does not correspond to this "
                "private key (was it uploaded to the wrong peer?).", where=key_file.name))
    return out


# ----------------------------------------------------------------------------- content


def der_fix(facts: FileFacts, kind: str) -> str:
    """One plain DER certificate or CSR: the openssl command seed-001 AT-19 / AT-20 give word
    for word (a test runs it here). A PKCS#7 or PKCS#12, where `openssl x509 -inform DER`
    fails (issue 12 item 17): collabcert's own convert, which reads both."""
    import shlex

    encodings = {item.encoding for item in facts.loaded.items} if facts.loaded else set()
    if encodings != {"DER"}:
        return convert_fix(facts.name)
    name = shlex.quote(facts.name)
    out = shlex.quote((Path(facts.name).stem or "X") + ".pem")
    return f"openssl {kind} -in {name} -inform DER -out {out} -outform PEM"


def convert_fix(name: str) -> str:
    """The fix for a file that is not PEM: collabcert's own convert, which reads DER, PKCS#7
    and PKCS#12 alike (issue 12 item 17: `openssl x509 -inform DER` fails on a .p7b)."""
    import shlex

    return f"collabcert convert {shlex.quote(name)} --to pem"


def crl_fix(name: str) -> str:
    """A DER CRL to PEM: collabcert does not convert CRLs, openssl does (tested on a real one)."""
    import shlex

    stem = Path(name).stem or "crl"
    return f"openssl crl -in {shlex.quote(name)} -inform DER -out {shlex.quote(stem + '.pem')}"


@check(P)
def formats(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P) + (ctx.trust_files if ctx.trust_is(P) else []):
        if facts.der and facts.certificates:
            rule = CHN_FMT if facts.role_id == TRUST else CRT_FMT
            out.append(rule.finding(
                "Certificate is DER; Expressway requires PEM." if rule is CRT_FMT else None,
                fix=der_fix(facts, "x509"), where=facts.name))
        if facts.der and facts.csrs:
            out.append(CRT_FMT.finding(
                "CSR is DER; convert it to PEM before signing.",
                fix=der_fix(facts, "req"), where=facts.name))
    return out


@check(P)
def content(ctx: Context) -> list[Finding]:
    out = []
    for _, subject, where in ctx.subjects(P):
        out += _names(subject, where)
        out += _eku(subject, where)
        out += _oids(subject, where)
        out += _misc(subject, where)
    return out


def _names(obj, where: str) -> list[Finding]:
    out: list[Finding] = []
    cn = ci.cn(obj)
    if not cn:
        out.append(CRT_CN_MISSING.finding(where=where))
    else:
        out += _one_name(cn, CRT_CN_FQDN, UPLOAD_CN, "CN", where)
    names_ = ci.san(obj)
    for entry in names_ or []:
        if isinstance(entry, x509.IPAddress):
            out.append(CRT_SAN_FQDN.finding(
                UPLOAD_SAN, where=f"{where}: SAN IP {entry.value}"))
        elif isinstance(entry, x509.DNSName):
            out += _one_name(entry.value, CRT_SAN_FQDN, UPLOAD_SAN, "SAN", where)
    if XMPP_OID in ci.other_name_oids(obj):
        out.append(CRT_XMPPADDR.finding(where=where))
    total = ", ".join(f"DNS:{n}" for n in ci.dns_sans(obj))
    if len(total) > 999:
        out.append(CRT_SAN_LEN.finding(where=where))
    return out


XMPP_OID = ci.XMPP_ADDR.dotted_string


def _one_name(name: str, rule, upload_text: str, what: str, where: str) -> list[Finding]:
    if names.is_wildcard(name):
        return [CRT_WILDCARD.finding(
            f"Wildcard certificates are not supported by Expressway ({what} {name!r}).",
            where=where)]
    if names.is_ip(name) or names.is_single_label(name):
        return [rule.finding(upload_text, where=f"{where}: {what} {name}")]
    problem = names.label_problem(name)
    if problem:
        return [
            CRT_FQDN_SYNTAX.finding(f"{what} {name!r} {problem}; " + CRT_FQDN_SYNTAX.message,
                                    where=where),
            rule.finding(upload_text, where=f"{where}: {what} {name}"),
        ]
    return []


def _eku(obj, where: str) -> list[Finding]:
    usages = ci.eku(obj)
    if usages is None:
        return [CRT_EKU_ABSENT.finding(where=where)]
    out = []
    if ci.SERVER_AUTH not in usages:
        out.append(CRT_EKU_SERVER.finding(where=where))
    if ci.CLIENT_AUTH not in usages:
        out.append(CRT_EKU_CLIENT.finding(where=where))
    return out


def _oids(obj, where: str) -> list[Finding]:
    which = ("subject", "issuer") if isinstance(obj, x509.Certificate) else ("subject",)
    names_ = [certparts.name_of(obj, w) for w in which]  # None: unreadable, named by the reader
    out = []
    for name in filter(None, names_):
        for attr in name:
            oid = attr.oid.dotted_string
            if oid not in ci.KNOWN_NAME_OIDS and oid not in ci.EV_OIDS:
                out.append(CRT_OID.finding(
                    f"Unsupported OID {oid} in subject/issuer; may cause SSH tunnel failures.",
                    where=where))
    return out


def _misc(obj, where: str) -> list[Finding]:
    out = []
    if isinstance(obj, x509.CertificateSigningRequest):
        if hash_name(obj) not in ("sha256", "sha384", "sha512"):
            out.append(CSR_DIGEST.finding(
                f"CSR digest is {hash_name(obj) or 'unknown'}; it must be SHA-256 (default), "
                "SHA-384 or SHA-512.", where=where))
        if len(ci.dns_sans(obj)) + len(ci.ip_sans(obj)) > 1:
            out.append(ROLE_MULTISAN.finding(where=where))
        return out
    if ci.self_signed(obj):
        out.append(CRT_SELFSIGNED.finding(where=where))
    if "temporary ca" in ci.issuer_cn(obj).lower():
        out.append(CRT_DEFAULT.finding(where=where))
    return out


# ---------------------------------------------------------------------------- role rules


@check(P)
def role_names(ctx: Context) -> list[Finding]:
    out = []
    for role_id, subject, where in ctx.subjects(P):
        out += _role_rules(role_id, subject, ctx.role_fields(role_id), where)
    return out + _chat_mismatch(ctx)


def _vals(fields: dict[str, str], name: str) -> list[str]:
    return names.split_list(fields.get(name, ""))


def _role_rules(role_id: str, obj, fields: dict[str, str], where: str) -> list[Finding]:
    out: list[Finding] = []
    cn = ci.cn(obj)
    fqdn = fields.get("fqdn", "").strip()
    cluster = fields.get("cluster-fqdn", "").strip()
    has = lambda n: ci.in_sans(n, obj)  # noqa: E731
    if fqdn and not cluster and cn and cn.lower() != fqdn.lower():
        out.append(ROLE_STANDALONE_CN.finding(
            f"For a non-clustered Expressway, CN must be the Expressway FQDN {fqdn!r} (it is "
            f"{cn!r}).", where=where))
    if cluster:
        if cn.lower() != cluster.lower():
            out.append(ROLE_CLUSTER_CN.finding(
                f"For a clustered Expressway, CN must be the cluster FQDN {cluster!r} (it is "
                f"{cn!r}).", where=where))
        missing = [n for n in (cluster, fqdn) if n and not has(n)]
        if missing:
            out.append(ROLE_CLUSTER_SAN.finding(
                "Clustered peer certificate must contain both this peer's FQDN and the cluster "
                f"FQDN in SAN; missing: {', '.join(missing)}.", where=where))
    out += _uc_names(role_id, obj, fields, where, has)
    out += _zone(obj, fields, where)
    return out


def _uc_names(role_id, obj, fields, where, has) -> list[Finding]:
    out = []
    cluster = fields.get("cluster-fqdn", "").strip()
    if role_id == "expressway-c":
        for profile in _vals(fields, "phone-profiles"):
            if names.fqdn_problem(profile):
                out.append(ROLE_C_PROFILE_FQDN.finding(where=f"{where}: {profile}"))
            elif not has(profile):
                out.append(ROLE_C_PROFILES.finding(
                    f"Unified CM phone security profile '{profile}' missing from SAN.",
                    where=where))
        uc = _vals(fields, "phone-profiles") or _vals(fields, "chat-aliases")
        if cluster and uc and not has(cluster):
            out.append(ROLE_C_CLUSTERNAME.finding(where=where))
    if role_id == "expressway-e":
        for domain in _vals(fields, "ucm-domains"):
            if names.looks_private(domain):
                out.append(ROLE_E_PRIVDOM.finding(
                    f"'{domain}' looks private; private UCM domains need not be in the "
                    "Expressway-E certificate, list only edge domains.", where=where))
            elif not has(domain) and not has(f"collab-edge.{domain}"):
                out.append(ROLE_E_REGDOM.finding(
                    f"Unified CM registration domain '{domain}' missing from SAN (add "
                    f"DNS:{domain} or DNS:collab-edge.{domain}).", where=where))
        for domain in _vals(fields, "xmpp-domains"):
            if not has(domain):
                out.append(ROLE_E_XMPP.finding(
                    f"XMPP federation domain '{domain}' missing from SAN (DNS format).",
                    where=where))
        for alias in _vals(fields, "additional-names"):
            if not has(alias):
                out.append(ROLE_E_ALIASES.finding(
                    f"'{alias}' is a name of this Expressway-E but is not in the SAN.",
                    where=where))
    for alias in _vals(fields, "chat-aliases"):
        if not has(alias):
            out.append(ROLE_CHAT_ALIAS.finding(
                f"IM&P chat node alias '{alias}' missing from SAN.", where=where))
    return out


def _zone(obj, fields, where) -> list[Finding]:
    peer = fields.get("zone-peer-address", "").strip()
    if not peer:
        return []
    if names.is_ip(peer):
        return [ROLE_ZONE_IP.finding(
            f"Zone Peer address {peer} is an IP; configure it as an FQDN.", where=where)]
    if not ci.in_sans(peer, obj):
        return [ROLE_ZONE_PEER.finding(
            f"Zone peer address '{peer}' not found in the neighbor certificate SAN; TLS verify "
            "will fail.", where=where)]
    return []


def _chat_mismatch(ctx: Context) -> list[Finding]:
    c, e = ctx.leaf("expressway-c"), ctx.leaf("expressway-e")
    if c is None or e is None:
        return []
    aliases = _vals(ctx.fields, "chat-aliases")
    if not aliases:  # without the list: names both should share are those not their own
        own = {ci.cn(c).lower(), ci.cn(e).lower()}
        aliases = [n for n in ci.dns_sans(c) if "chat" in n.lower() and n.lower() not in own]
    differ = [a for a in aliases if ci.in_sans(a, c) != ci.in_sans(a, e)]
    if not differ:
        return []
    return [ROLE_CHAT_MISMATCH.finding(
        "Expressway-E must contain the same chat node aliases as Expressway-C; differing: "
        f"{', '.join(differ)}.", where=", ".join(f.name for f in ctx.role_files("expressway-e")))]


# --------------------------------------------------------------------------- trust list


def trust_list_files(ctx: Context) -> list[FileFacts]:
    """The trusted CA list: files given as trust when they are an Expressway's (with --role,
    or per-file roles, or MRA: issue 13 item 2), and CA-only files of an Expressway role."""
    out = list(ctx.trust_files) if ctx.trust_is(P) else []
    for facts in ctx.product_files(P):
        certs = facts.certificates
        if certs and all(is_ca(c) for c in certs):
            out.append(facts)
    return out


@check(P)
def trust_list(ctx: Context) -> list[Finding]:
    files = trust_list_files(ctx)
    out: list[Finding] = []
    for facts in files:
        if not facts.certificates and not facts.crls:
            out.append(CHN_FMT.finding(where=facts.name))
        out += _order(facts)
    certs = unique(c for f in files for c in f.certificates)
    if not certs:
        return out + _chain(ctx, [])
    where = ", ".join(f.name for f in files)
    out += _trust_hygiene(ctx, certs, where)
    return out + _chain(ctx, certs)


def _trust_hygiene(ctx: Context, certs, where: str) -> list[Finding]:
    out = []
    role_c = (ctx.role is not None and ctx.role.id == "expressway-c") or any(
        f.role_id == "expressway-c" for f in ctx.files)
    for cert in certs:
        bc = ci.ext(cert, x509.BasicConstraints)
        # A self-signed server certificate (CUCM / IM&P tomcat, tomcat-ECDSA, CA:TRUE or not)
        # is what the Expressway-C trust list takes for that server (002 L638, 001 L1139).
        own_server = ci.self_signed(cert) and tls_purpose(cert)
        # Without basicConstraints a self-signed certificate is a CA only if it signs others.
        if bc is None and not own_server and (not ci.self_signed(cert)
                                              or ci.ku_has(cert, "key_cert_sign")):
            out.append(CHN_NOTCA.finding(
                f"CA certificate '{ci.label(cert)}' lacks the BasicConstraints extension "
                "(required by Expressway CA check).", where=where))
        elif bc is None or not bc.ca:
            severity = Severity.INFO if role_c or own_server else None
            out.append(CHN_LEAF_IN_CA.finding(
                f"End-entity certificate '{ci.label(cert)}' found in trusted CA list.",
                where=where, severity=severity))
    out += _same_cn(certs, where)
    if len(certs) > 1000:
        out.append(CHN_MAX.finding(
            f"Trust store supports at most 1000 CAs; this list has {len(certs)}.", where=where))
    return out


def _same_cn(certs, where: str) -> list[Finding]:
    out = []
    for group in ci.by_common_name(certs):
        if len(group) < 2:
            continue
        name = ci.cn(group[0])
        # servers' own self-signed certificates: Expressway keeps one (001 L371); two CA
        # certificates with one CN (a renewed root) are only the CHN-DUPCN warning (001 L838)
        selfs = [c for c in group if ci.self_signed(c) and server_identity(c)]
        if len(selfs) >= 2:
            out.append(CHN_SELFSIGNED_SAMECN.finding(
                f"Expressway will only trust one of the {len(selfs)} self-signed certificates "
                f"with CN '{name}' ({tell_all_apart(selfs)}); secure SIP/HTTP to UCM/IM&P "
                "will fail.", where=where))
        elif sum(is_ca(c) for c in group) >= 2:
            cas = [c for c in group if is_ca(c)]
            out.append(CHN_DUPCN.finding(
                f"{len(group)} CA certificates share the Common Name '{name}' "
                f"({tell_all_apart(cas)}); endpoint IdP login may fail.", where=where))
        pairs = {(ci.subject_text(c), ci.issuer_text(c)) for c in group}
        if len(pairs) < len(group):
            out.append(CHN_REPLACE.finding(where=where))
    return out


def _order(facts: FileFacts) -> list[Finding]:
    certs = facts.certificates
    if len(certs) > 50:  # order is only advice; do not spend signature checks on huge lists
        return []
    for i, issuer in enumerate(certs):
        for child in certs[i + 1:]:
            if not ci.self_signed(child) and ci.signed_by(child, issuer):
                return [CHN_ORDER.finding(
                    f"'{ci.label(issuer)}' comes before '{ci.label(child)}', which it issued; "
                    "the order does not matter for the trusted CA list, bundles write the issuer "
                    "after the certificate it issued.", where=facts.name)]
    return []


def _chain(ctx: Context, trust) -> list[Finding]:
    out = []
    for role_id in ctx.roles_in_play(P):
        chain = ctx.role_chain(role_id, trust)
        if chain is None:
            continue
        leaf = ctx.leaf(role_id)
        where = ctx.where(role_id, leaf)
        if chain.missing_issuer is not None and ctx.judges_chain(role_id, trust):
            out.append(CHN_INCOMPLETE.finding(
                "Trusted CA list must contain the full chain for the server certificate; "
                f"{chain.missing_issuer.sentence}.", where=where))
        if is_lets_encrypt(leaf):
            out += _lets_encrypt(leaf, trust, where)
        out.append(PROC_CA_FIRST.finding(where=where))
        out.append(PROC_RESTART.finding(where=where))
    return out


def _lets_encrypt(leaf, trust, where: str) -> list[Finding]:
    cns = {ci.cn(c) for c in trust}
    missing = [n for n in (ISRG_ROOT, ci.issuer_cn(leaf)) if n not in cns]
    if not missing:
        return []
    return [CHN_LE.finding(
        "Let's Encrypt deployments need both ISRG Root X1 and the Let's Encrypt intermediate in "
        f"the trust store; missing: {', '.join(missing)}.", where=where)]


def _crl_issuer(crl: x509.CertificateRevocationList) -> str:
    try:
        return crl.issuer.rfc4514_string()
    except (ValueError, TypeError):
        return "(unreadable name)"


@check(P)
def crls(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P) + ctx.trust_files:
        for crl in facts.crls:
            if facts.der:
                out.append(CRL_FMT.finding(fix=crl_fix(facts.name), where=facts.name))
            if len(facts.data) >= 16 * 1024 * 1024:
                out.append(CRL_SIZE.finding(where=facts.name))
            nxt = crl.next_update_utc
            if nxt is not None and nxt < ctx.now:
                out.append(CRL_EXPIRED.finding(
                    f"CRL of '{_crl_issuer(crl)}' expired on {nxt:%Y-%m-%d}: all "
                    "certificates issued by this CA will be treated as invalid.",
                    where=facts.name))
    return out


@check(P)
def process_notes(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P):
        if facts.csrs:
            out.append(PROC_ONECSR.finding(where=facts.name))
        if facts.has_key:
            out.append(PROC_KEY_SECRET.finding(where=facts.name))
    if ctx.role and ctx.role.product == P:
        if ctx.field("cluster-fqdn"):
            out.append(PROC_PER_PEER.finding())
            if ctx.leaf():
                out.append(PROC_TLS_PERMISSIVE.finding())
        if ctx.role.id == "expressway-c" and (ctx.field("chat-aliases")
                                              or ctx.field("phone-profiles")):
            out.append(PROC_REISSUE_C.finding())
        if ctx.role.id == "expressway-e" and any(
                ctx.field(n) for n in ("chat-aliases", "ucm-domains", "xmpp-domains")):
            out.append(PROC_REISSUE_E.finding())
    return out
