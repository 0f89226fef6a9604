"""CUCM and IM and Presence rules (seed-004 §3.2): formats, the upload purpose (`<type>` or
`<type>-trust`), chain and upload order, KU/EKU per type (Tables 1 and 2), expiry, and
tomcat-trust between peers. A file given with a CUCM role is an upload to `<type>`; a file given
as `trust` is an upload to (or an export of) `<type>-trust`; `peer` is a peer node's
certificate (CU-T01)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509

from collabcert import certparts, rules
from collabcert.findings import Finding, Severity
from collabcert.lint import certinfo as ci
from collabcert.lint.context import Context, fingerprint, is_ca, role_identity
from collabcert.lint.layout import layout
from collabcert.lint.registry import check
from collabcert.model import signature_name
from collabcert.rules.cucm import REMOTE_NODE_ERROR

S = "seed-004"
P = "cucm"
PRODUCTS = ("cucm", "imp")
ONE_DAY = dt.timedelta(days=1)
F01 = rules.get("CU-F01")
F02 = rules.get("CU-F02")
F03 = rules.get("CU-F03")
F04 = rules.get("CU-F04")
F05 = rules.get("CU-F05")
F06 = rules.get("CU-F06")
P01 = rules.get("CU-P01")
P02 = rules.get("CU-P02")
P03 = rules.get("CU-P03")
P04 = rules.get("CU-P04")
P07 = rules.get("CU-P07")
C01 = rules.get("CU-C01")
C04 = rules.get("CU-C04")
C05 = rules.get("CU-C05")
C06 = rules.get("CU-C06")
C07 = rules.get("CU-C07")
C08 = rules.get("CU-C08")
X01 = rules.get("CU-X01")
X02 = rules.get("CU-X02")
X03 = rules.get("CU-X03")
X04 = rules.get("CU-X04")
X05 = rules.get("CU-X05")
X06 = rules.get("CU-X06")
X07 = rules.get("CU-X07")
X08 = rules.get("CU-X08")
X09 = rules.get("CU-X09")
X10 = rules.get("CU-X10")
X11 = rules.get("CU-X11")
X12 = rules.get("CU-X12")
X13 = rules.get("CU-X13")
E01 = rules.get("CU-E01")
E02 = rules.get("CU-E02")
E03 = rules.get("CU-E03")
E04 = rules.get("CU-E04")
E05 = rules.get("CU-E05")
E06 = rules.get("CU-E06")
T01 = rules.get("CU-T01")
T02 = rules.get("CU-T02")
T03 = rules.get("CU-T03")
T04 = rules.get("CU-T04")


# ---------------------------------------------------------------------- format, purpose


@check(*PRODUCTS)
def formats(ctx: Context) -> list[Finding]:
    out = []
    files = ctx.product_files(*PRODUCTS) + (ctx.trust_files if ctx.trust_is("cucm") else [])
    for facts in files:
        encodings = {i.encoding for i in (facts.loaded.items if facts.loaded else [])
                     if i.kind.value == "certificate"}
        if "PKCS#12" in encodings:
            out.append(F01.finding(where=facts.name))
        if any(e.startswith("PKCS#7") and "PEM" not in e for e in encodings):
            out.append(F02.finding(where=facts.name))
        if any(e.startswith("PKCS#7") for e in encodings) and len(facts.certificates) > 1:
            out.append(C05.finding(where=facts.name))
        if encodings == {"DER"}:
            out.append(F03.finding(where=facts.name))
        if facts.der and facts.csrs:
            out.append(F04.finding(where=facts.name))
        if facts.has_key:
            out.append(F05.finding(where=facts.name))
        if facts.text is not None and layout(facts.text).junk_between:
            out.append(F06.finding(where=facts.name))
        for cert in facts.certificates:
            usages = ci.eku(cert) or []
            if ci.OCSP_SIGNING in usages and facts.role_id != "trust":
                out.append(P07.finding(where=facts.name))
    return out


@check(*PRODUCTS)
def purposes(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(*PRODUCTS):
        certs = facts.certificates
        if not certs:
            continue
        role = facts.role
        trust_name = role.trust_store or f"{role.cucm_type}-trust"
        # a self-signed server certificate is valid for `<type>` even with CA:TRUE (002
        # L465-482): only CA certificates make a CA-only file
        leaves = [c for c in certs if role_identity(c, role)]  # CAPF: CA:TRUE by design
        if not leaves and not _trust_part(ctx, facts, trust_name):
            out.append(P01.finding(f"CA-only file: choose '{trust_name}', not "
                                   f"'{role.cucm_type}'.", where=facts.name))
        elif len(leaves) > 1:
            out.append(P02.finding(f"{len(leaves)} application certificates in one file for "
                                   f"'{role.cucm_type}'; upload exactly one.", where=facts.name))
        for leaf in leaves[:1]:
            out += _key_type(role, leaf, facts.name)
    out += _csr_reply_to_trust(ctx)
    return out


def _trust_part(ctx: Context, facts, trust_name: str) -> bool:
    """A CA-only file that is the trust part of the role's upload, not a mistake: named for
    `<type>-trust` (collabcert's own `bundle --target cucm` files, `1-tomcat-trust-*`), or
    given beside the role's own certificate (the CAs to upload first, seed-004 AT02)."""
    if trust_name.lower() in facts.name.lower():
        return True
    return ctx.leaf(facts.role_id) is not None


def _key_type(role, leaf, where: str) -> list[Finding]:
    public = ci.public_key(leaf)
    if public is None:
        return []  # unreadable key: named once by the reader (CRT-PART-UNREADABLE)
    kind = ci.key_kind(public)
    if role.key_algorithm == "rsa" and kind == "ec":
        return [P04.finding(f"EC key -> choose '{role.cucm_type}-ECDSA', not "
                            f"'{role.cucm_type}'.", where=where)]
    if role.key_algorithm == "ec" and kind == "rsa":
        plain = role.cucm_type.removesuffix("-ECDSA")
        return [P04.finding(f"RSA key -> choose '{plain}', not '{role.cucm_type}'.",
                            where=where)]
    return []


def _csr_reply_to_trust(ctx: Context) -> list[Finding]:
    if ctx.product not in PRODUCTS:
        return []
    pending = {ci.spki(c) for f in ctx.product_files(*PRODUCTS) for c in f.csrs} - {b""}
    out = []
    for facts in ctx.trust_files:
        for cert in facts.certificates:
            if not is_ca(cert) and ci.spki(cert) in pending:
                out.append(P03.finding(
                    f"'{ci.label(cert)}' looks like the signed reply to your CSR; upload it to "
                    f"'{ctx.role.cucm_type}', not '{ctx.role.trust_store}'.", where=facts.name))
    return out


# --------------------------------------------------------------------------- chain


@check(*PRODUCTS)
def chain(ctx: Context) -> list[Finding]:
    out = []
    # the trust files are tomcat-trust only when they are this box's (not the Exp-C list
    # read for MRA: issue 13 item 3)
    trust = ctx.trust_certificates if ctx.trust_is("cucm") else []
    for role_id in ctx.roles_in_play(*PRODUCTS):
        built = ctx.role_chain(role_id, trust)
        if built is None or built.missing_issuer is None or not ctx.judges_chain(role_id, trust):
            continue
        missing, leaf = built.missing_issuer, ctx.leaf(role_id)
        role = ctx.role_files(role_id)[0].role
        pool = ctx.chain_pool(role_id, trust)
        where = ", ".join(f.name for f in ctx.role_files(role_id) if f.certificates)
        out.append(C01.finding(
            f"Issuer '{missing.subject}' not in {role.trust_store}: upload root then "
            "intermediate(s) first.", where=where))
        roots = [c for c in pool if ci.self_signed(c)]
        stuck = built.links[-1].certificate
        issuer = certparts.issuer(leaf)
        if stuck is leaf and roots and not any(
                certparts.names_equal(certparts.subject(r), issuer) for r in roots):
            out.append(C04.finding(
                f"Subordinate CA certificate required: '{missing.subject}' signed the leaf and "
                f"must be in {role.trust_store}.", where=where))
    return out


# ----------------------------------------------------------------------- extensions


@check(*PRODUCTS)
def extensions(ctx: Context) -> list[Finding]:
    out = []
    for role_id in ctx.roles_in_play(*PRODUCTS):
        files = ctx.role_files(role_id)
        role = files[0].role
        leaf = ctx.leaf(role_id)
        fields = ctx.role_fields(role_id)
        out += _csr_match(files, leaf)
        if fields.get("multi-server-fqdns") and role.multi_server is False:
            out.append(X10.finding(f"{role.cucm_type} is not multi-server capable (Table 1/2).",
                                   where="--field multi-server-fqdns"))
        if role.cucm_type == "CAPF" and fields.get("node", "").lower() in ("subscriber", "sub"):
            out.append(X12.finding(where="--field node"))
        if leaf is None:
            continue
        where = ctx.where(role_id, leaf)
        out += _eku_rules(role, leaf, where)
        out += _ku_rules(role, leaf, where)
        if role.key_algorithm == "rsa" and ci.key_kind(ci.public_key(leaf)) == "rsa" and \
                "rsa" not in signature_name(leaf).lower():
            out.append(X08.finding(f"Signature algorithm is {signature_name(leaf)}; "
                                   "L63 says it must use RSA.", where=where))
        if role.multi_server is False and len(ci.dns_sans(leaf)) > 1:
            out.append(X11.finding(where=where))
        if ci.self_signed(leaf):
            bits = ci.key_bits(ci.public_key(leaf)) if ci.public_key(leaf) is not None else 0
            out.append(X13.finding(f"Self-signed, key length {bits}: [Regenerate] keeps it; "
                                   "[Generate Self-Signed Certificate] offers 3072/4096.",
                                   where=where))
    return out


def _csr_match(files, leaf) -> list[Finding]:
    csrs = [c for f in files for c in f.csrs]
    if leaf is None or not csrs:
        return []
    latest = csrs[-1]
    if ci.spki(latest) and ci.spki(leaf) and ci.spki(latest) != ci.spki(leaf):
        return [X01.finding(f"Certificate '{ci.label(leaf)}' was issued for a different/older "
                            "CSR than the latest one given; generating a new CSR overwrites "
                            "the old one.", where=next(f.name for f in files if f.csrs))]
    return []


def _eku_rules(role, leaf, where: str) -> list[Finding]:
    usages = ci.eku(leaf) or []
    out = []
    t = role.cucm_type
    if ci.SERVER_AUTH not in usages:
        out.append(X02.finding(where=where))
    if "clientAuth" in role.eku and ci.CLIENT_AUTH not in usages:
        out.append(X03.finding(f"Missing TLS Web Client Authentication for {t} (Table 1/2).",
                               where=where))
    if "ipsecEndSystem" in role.eku and ci.IPSEC_END_SYSTEM not in usages:
        out.append(X04.finding(f"Missing IPsec End System for {t}.", where=where))
    if "ipsecEndSystem" not in role.eku and ci.IPSEC_END_SYSTEM in usages and \
            t.startswith("tomcat"):
        out.append(X07.finding(f"IPsec End System on {t} is not required by Table 1/2.",
                               where=where))
    return out


_KU_NAMES = {"digital_signature": "digitalSignature", "key_encipherment": "keyEncipherment",
             "data_encipherment": "dataEncipherment", "key_cert_sign": "keyCertSign",
             "key_agreement": "keyAgreement"}


def _ku_rules(role, leaf, where: str) -> list[Finding]:
    out = []
    if role.cucm_type == "CAPF" and not ci.ku_has(leaf, "key_cert_sign"):
        out.append(X06.finding(where=where))
    lacking = [_KU_NAMES[b] for b in role.key_usage
               if b != "key_cert_sign" and not ci.ku_has(leaf, b)]
    if lacking:
        ec_type = role.key_algorithm == "ec"
        only_enc = all(b in ("keyEncipherment", "dataEncipherment") for b in lacking)
        severity = Severity.INFO if ec_type and only_enc else None
        out.append(X05.finding(f"KeyUsage lacks {', '.join(lacking)} requested by the CUCM CSR "
                               "(Table 1/2).", where=where, severity=severity))
    t = role.cucm_type
    if ci.ku_has(leaf, "key_agreement") and (t in ("CallManager", "ipsec")
                                             or t.startswith("tomcat")):
        out.append(X07.finding(f"keyAgreement on {t} is not required by Table 1/2.",
                               where=where))
    return out


# ------------------------------------------------------------------- expiry, monitor


@check(*PRODUCTS)
def expiry(ctx: Context) -> list[Finding]:
    out = []
    days_text = ctx.field("notify-days")
    notify = None
    if days_text:
        if days_text.isdigit() and int(days_text) > 0:
            notify = int(days_text)
        else:
            out.append(E05.finding(f"Notification Start Time {days_text!r} is not a number of "
                                   "days.", where="--field notify-days"))
    emails = ctx.field("email-ids")
    if emails and "," in emails and ";" not in emails:
        fixed = ";".join(p.strip() for p in emails.split(",") if p.strip())
        out.append(E04.finding(f"Separate e-mail addresses with ';': {fixed}",
                               where="--field email-ids"))
    for role_id in ctx.roles_in_play(*PRODUCTS):
        leaf = ctx.leaf(role_id)
        if leaf is None:
            continue
        where = ctx.where(role_id, leaf)
        left = ci.days(certparts.not_after(leaf) - ctx.now)
        if certparts.not_after(leaf) >= ctx.now and notify is not None and left <= notify:
            out.append(E02.finding(f"Expires in {left} days; regenerate before expiry.",
                                   where=where))
        hourly = certparts.not_after(leaf) - ctx.now <= ONE_DAY
        out.append(E03.finding("Certificate monitor runs hourly (1 day or less before expiry, "
                               "or expired)." if hourly else
                               "Certificate monitor runs every 24 h.", where=where))
    return out




# ---------------------------------------------------------------------- OCSP, peers


@check(*PRODUCTS)
def ocsp(ctx: Context) -> list[Finding]:
    mode = ctx.field("ocsp-mode").lower()
    out = []
    if mode == "certificate":
        for role_id in ctx.roles_in_play(*PRODUCTS):
            leaf = ctx.leaf(role_id)
            if leaf is not None and not _has_ocsp(leaf):
                out.append(T03.finding(where=role_id))
    if mode == "configured" and not ctx.field("ocsp-uri").lower().startswith(("http://",
                                                                           "https://")):
        out.append(T04.finding(where="--field ocsp-uri"))
    return out


def _has_ocsp(cert) -> bool:
    aia = ci.ext(cert, x509.AuthorityInformationAccess)
    return aia is not None and any(
        d.access_method == x509.AuthorityInformationAccessOID.OCSP for d in aia)


@check(*PRODUCTS)
def peers(ctx: Context) -> list[Finding]:
    if not ctx.peer_files or not ctx.trust_is("cucm"):
        return []
    trust = ctx.trust_certificates
    trusted = ctx.trusted_fingerprints
    out = []
    for facts in ctx.peer_files:
        for cert in [c for c in facts.certificates if not is_ca(c)]:
            if fingerprint(cert) in trusted or _chains_to(cert, trust):
                continue
            stale = [c for c in trust
                     if certparts.names_equal(certparts.subject(c), certparts.subject(cert))]
            if stale:
                out.append(T02.finding(
                    f"tomcat-trust holds a different certificate for '{ci.label(cert)}' than "
                    "the remote node presents: delete and re-exchange.", where=facts.name))
            out.append(T01.finding(
                f"Peer tomcat[-ECDSA] '{ci.label(cert)}' not trusted -> "
                f"'{REMOTE_NODE_ERROR}'.", where=facts.name))
    return out


def _chains_to(cert, trust: Sequence[x509.Certificate]) -> bool:
    """`cert` reaches a self-signed root of `trust` by signatures (at most 10 steps)."""
    current = cert
    for _ in range(10):
        issuer = ci.issuer_in(current, trust)
        if issuer is None:
            return False
        if ci.self_signed(issuer):
            return True
        current = issuer
    return False


# ------------------------------------------------------------------ delete plans (TUI)


def delete_findings(target: x509.Certificate, store: Sequence[x509.Certificate],
                    purpose: str) -> list[Finding]:
    """What deleting `target` from `purpose` (e.g. tomcat-trust) would do (CU-C06..C08)."""
    name = ci.label(target)
    if not purpose.endswith("-trust"):
        return [C07.finding(f"'{name}' is the {purpose} identity certificate; system identity "
                            "certificates cannot be deleted, regenerate instead.", where=purpose)]
    out = []
    for other in store:
        if fingerprint(other) != fingerprint(target) and ci.signed_by(other, target):
            out.append(C06.finding(f"Deleting '{name}' breaks the chain of '{ci.label(other)}'. "
                                   "This cannot be undone.", where=purpose))
    if purpose.lower() in ("capf-trust", "tomcat-trust", "callmanager-trust",
                           "phone-sast-trust"):
        out.append(C08.finding(where=purpose))
    return out
