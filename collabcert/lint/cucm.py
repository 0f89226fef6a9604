"""CUCM and IM and Presence rules (seed-004 §3.2): formats, the upload purpose (`<type>` or
`<type>-trust`), chain and upload order, KU/EKU per type (Tables 1 and 2), expiry, and
tomcat-trust between peers. A file given with a CUCM role is an upload to `<type>`; a file given
as `trust` is an upload to (or an export of) `<type>-trust`; `peer` is a peer node's
certificate (CU-T01)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509

from collabcert.findings import Finding, Severity
from collabcert.keys import spki_der
from collabcert.lint import certinfo as ci
from collabcert.lint.context import Context, fingerprint, is_ca
from collabcert.lint.layout import layout
from collabcert.lint.registry import ERROR, INFO, WARNING, check, define, not_checkable
from collabcert.model import signature_name

S = "seed-004"
P = "cucm"
PRODUCTS = ("cucm", "imp")
ONE_DAY = dt.timedelta(days=1)
REMOTE_NODE_ERROR = ("Connection to the Server cannot be established (unable to connect to "
                     "Remote Node)")
TOMCAT_TRUST_STEPS = (
    "1. OS Admin > Security > Certificate Management: check that the tomcat-trust certificates "
    "exist; if one is missing, wait 30 minutes and check again. "
    "2. Open it and check that its content matches the certificate on the remote node. "
    "3. utils service restart Cisco Intercluster Sync Agent. "
    "4. Once that has restarted: utils service restart Cisco Tomcat. "
    "5. Wait 30 minutes; if it still fails, delete the tomcat-trust certificate and exchange "
    "the certificates by hand: download each node's Tomcat and Tomcat-ECDSA certificates and "
    "upload them to the peer as tomcat-trust. "
    "6. utils service restart Cisco Tomcat on each affected server.")

F01 = define("CU-F01", ERROR, P, S, "L65",
             "Unsupported format: CUCM accepts DER/PEM certificates and PEM PKCS#7 chains.",
             "Export the certificates as PEM: collabcert convert FILE --to pem.")
F02 = define("CU-F02", WARNING, P, S, "L65 vs L63",
             "PKCS#7 chain is DER; CUCM documents PEM PKCS#7.",
             "Convert it: collabcert convert FILE --to pem (or --to p7b).")
F03 = define("CU-F03", INFO, P, S, "L65", "DER certificate accepted by CUCM; PEM copy available.",
             "No action needed (collabcert convert FILE --to pem keeps the fingerprint).")
F04 = define("CU-F04", WARNING, P, S, "L65, L293", "CUCM CSRs are PEM PKCS#10.",
             "collabcert convert CSR --to pem.")
F05 = define("CU-F05", ERROR, P, S, "inferred from L43, L293-308",
             "CUCM upload takes certificates only; the key stays on the server.",
             "Upload only the certificate files; keep the private key out of the upload.")
F06 = define("CU-F06", WARNING, P, S, "inferred", "Stray text between certificates.",
             "Remove the text between the BEGIN/END blocks.")
P01 = define("CU-P01", ERROR, P, S, "L43, L45", "CA-only file: choose '<type>-trust'.",
             "Upload CA certificates to the <type>-trust purpose (give the file as FILE@trust).")
P02 = define("CU-P02", ERROR, P, S, "L43", "No single application certificate found for the "
             "identity purpose.", "Upload the file holding this node's signed certificate.")
P03 = define("CU-P03", WARNING, P, S, "L43, L493",
             "This looks like the signed reply to your CSR; upload it to '<type>', not "
             "'<type>-trust'.", "Upload it to the identity purpose (give it as FILE, not "
             "FILE@trust).")
P04 = define("CU-P04", ERROR, P, S, "inferred from L33, L45",
             "The key type does not match the purpose: EC keys go to '-ECDSA' purposes, RSA keys "
             "to the others.", "Choose the matching purpose (role).")
not_checkable("CU-P05", INFO, P, S, "L47",
              "Not needed: CAPF root is copied to the CallManager trust store.",
              "about an upload plan with two targets; collabcert bundle plans it once")
not_checkable("CU-P06", INFO, P, S, "L59", "Upload the directory CA to tomcat-trust.",
              "needs to know the certificate is an LDAP/DirSync CA, not visible in the file")
P07 = define("CU-P07", INFO, P, S, "L444", "OCSP signing certs go to tomcat-trust.",
             "Upload it to tomcat-trust.")
C01 = define("CU-C01", ERROR, P, S, "L29, L41, L150",
             "The issuer is not in <type>-trust: upload root then intermediate(s) first.",
             "Upload the root, then each intermediate, to <type>-trust before the leaf "
             "(collabcert bundle --target cucm plans it).")
not_checkable("CU-C02", ERROR, P, S, "L150", "Install the root first.",
              "about a generated plan; collabcert bundle --target cucm always puts the root "
              "first")
not_checkable("CU-C03", WARNING, P, S, "inferred from L41, L150",
              "Reordered: root -> intermediate(s) -> leaf.",
              "about a generated plan; collabcert bundle --target cucm orders it")
C04 = define("CU-C04", ERROR, P, S, "L41", "Subordinate CA certificate required.",
             "Upload the certificate of the subordinate CA that signed the leaf to "
             "<type>-trust.")
C05 = define("CU-C05", INFO, P, S, "external (FM7)", "Chain order rebuilt from signatures.",
             "Nothing to do: the order inside a PKCS#7 file is not meaningful.")
C06 = define("CU-C06", WARNING, P, S, "L177",
             "Deleting this trust certificate breaks the chain of another one. This cannot be "
             "undone.", "Delete it only after the certificates it issued are replaced.",
             note="engine API delete_findings (delete plans)")
C07 = define("CU-C07", ERROR, P, S, "L171",
             "System self-signed identity certificates cannot be deleted; regenerate instead.",
             "Regenerate the certificate instead.", note="engine API delete_findings")
C08 = define("CU-C08", INFO, P, S, "L192",
             "This deletion applies to every server in the cluster.",
             note="engine API delete_findings")
X01 = define("CU-X01", ERROR, P, S, "inferred from L51, L316",
             "Certificate was issued for a different/older CSR; generating a new CSR overwrites "
             "the old one.", "Have the latest CSR signed, or generate a new CSR and use that.")
X02 = define("CU-X02", ERROR, P, S, "L104-119, L67",
             "Missing TLS Web Server Authentication (Table 1/2); ask the CA to enable X.509 "
             "extensions.", "Have it re-issued with the EKU of the CUCM CSR.")
X03 = define("CU-X03", ERROR, P, S, "L105-119",
             "Missing TLS Web Client Authentication (Table 1/2).",
             "Have it re-issued with serverAuth and clientAuth (ask the CA to keep the CSR's "
             "extensions, L67).")
X04 = define("CU-X04", ERROR, P, S, "L107, L115-118", "Missing IPsec End System EKU.",
             "Have it re-issued with the IPsec End System EKU (1.3.6.1.5.5.7.3.5).")
X05 = define("CU-X05", WARNING, P, S, "L105-119",
             "KeyUsage lacks bits requested by the CUCM CSR (Table 1/2).",
             "Have it re-issued keeping the CSR's key usage.", note="info for -ECDSA types")
X06 = define("CU-X06", ERROR, P, S, "L71, L106",
             "CAPF certificate must allow certificate signing (keyCertSign).",
             "Have it re-issued with keyCertSign in the key usage.")
X07 = define("CU-X07", INFO, P, S, "§1.3",
             "A bit present only in the prose lists is optional (not required by Table 1/2).")
X08 = define("CU-X08", WARNING, P, S, "L63 (§7 E2)",
             "For RSA types the CA's signature algorithm should be RSA (L63).",
             "Ask the CA to sign with an RSA key.")
X09 = define("CU-X09", INFO, P, S, "L95", "Re-sign with SHA256 (SHA-1 signature).",
             "Ask the CA to sign with SHA-256.")
X10 = define("CU-X10", ERROR, P, S, "L106, L107, L115, L118",
             "This type is not multi-server capable (Table 1/2).",
             "Drop multi-server-fqdns; make one certificate per node.")
X11 = define("CU-X11", WARNING, P, S, "inferred",
             "Looks like a multi-server certificate on a single-server type.",
             "Use one certificate per node for this type.")
X12 = define("CU-X12", INFO, P, S, "L67, L106", "CAPF: first node (publisher) only.",
             note="needs --field node=subscriber")
X13 = define("CU-X13", INFO, P, S, "L212, L214",
             "Self-signed: [Regenerate] keeps the key length; [Generate Self-Signed Certificate] "
             "offers 3072/4096.")
E01 = define("CU-E01", ERROR, P, S, "L198, L200",
             "Expired: regenerate (expired certs can be regenerated) after hours.",
             "Regenerate or renew it out of hours (phones may reboot).")
E02 = define("CU-E02", WARNING, P, S, "L198, L425", "Expires soon; regenerate before expiry.",
             "Regenerate or renew it before it expires.", note="needs --field notify-days=N")
E03 = define("CU-E03", INFO, P, S, "L432", "Certificate monitor cadence.")
E04 = define("CU-E04", ERROR, P, S, "L429", "Separate e-mail addresses with ';'.",
             "Write a@example.com;b@example.com.", note="checks --field email-ids=...")
E05 = define("CU-E05", ERROR, P, S, "L425", "Enter a number of days.",
             "Give Notification Start Time as a whole number of days.",
             note="checks --field notify-days=N")
E06 = define("CU-E06", INFO, P, S, "inferred", "Certificate not yet valid.",
             "Check the clocks, or wait until its start date.")
T01 = define("CU-T01", ERROR, P, S, "L477, L488, L493",
             f"Peer tomcat[-ECDSA] not trusted -> '{REMOTE_NODE_ERROR}'.", TOMCAT_TRUST_STEPS)
T02 = define("CU-T02", WARNING, P, S, "L490, L493",
             "tomcat-trust content differs from remote node: delete and re-exchange.",
             TOMCAT_TRUST_STEPS)
T03 = define("CU-T03", WARNING, P, S, "L384, L455",
             "Certificate has no OCSP URI; use 'Use configured OCSP URI'.",
             note="needs --field ocsp-mode=certificate")
T04 = define("CU-T04", ERROR, P, S, "L454", "Enter OCSP Configured URI.",
             note="needs --field ocsp-mode=configured and ocsp-uri")
not_checkable("CU-T05", WARNING, P, S, "L378, L444",
              "No OCSP signer in tomcat-trust and CA not configured for OCSP responses.",
              "whether the CA signs OCSP responses itself is a CA setting, not in any file")
not_checkable("CU-T06", INFO, P, S, "L398", "Revocation result policy (Unknown + CC mode).",
              "explains a CUCM setting (Common Criteria mode), nothing in a file")
not_checkable("CU-T07", INFO, P, S, "L469", "Revocation check interval precedence.",
              "explains two CUCM settings, nothing in a file")


# ---------------------------------------------------------------------- format, purpose


@check(*PRODUCTS)
def formats(ctx: Context) -> list[Finding]:
    out = []
    files = ctx.product_files(*PRODUCTS) + (ctx.trust_files if ctx.product in PRODUCTS else [])
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
        leaves = [c for c in certs if not is_ca(c)]
        if all(is_ca(c) for c in certs):
            out.append(P01.finding(f"CA-only file: choose '{trust_name}', not "
                                   f"'{role.cucm_type}'.", where=facts.name))
        elif len(leaves) > 1:
            out.append(P02.finding(f"{len(leaves)} application certificates in one file for "
                                   f"'{role.cucm_type}'; upload exactly one.", where=facts.name))
        for leaf in leaves[:1]:
            out += _key_type(role, leaf, facts.name)
    out += _csr_reply_to_trust(ctx)
    return out


def _key_type(role, leaf, where: str) -> list[Finding]:
    kind = ci.key_kind(leaf.public_key())
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
    pending = {spki_der(c.public_key()) for f in ctx.product_files(*PRODUCTS) for c in f.csrs}
    out = []
    for facts in ctx.trust_files:
        for cert in facts.certificates:
            if not is_ca(cert) and spki_der(cert.public_key()) in pending:
                out.append(P03.finding(
                    f"'{ci.label(cert)}' looks like the signed reply to your CSR; upload it to "
                    f"'{ctx.role.cucm_type}', not '{ctx.role.trust_store}'.", where=facts.name))
    return out


# --------------------------------------------------------------------------- chain


@check(*PRODUCTS)
def chain(ctx: Context) -> list[Finding]:
    out = []
    trust = ctx.trust_certificates if ctx.product in PRODUCTS else []
    for role_id in ctx.roles_in_play(*PRODUCTS):
        built = ctx.role_chain(role_id, trust)
        if built is None or built.missing_issuer is None:
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
        if stuck is leaf and roots and all(r.subject != leaf.issuer for r in roots):
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
        if role.key_algorithm == "rsa" and ci.key_kind(leaf.public_key()) == "rsa" and \
                "rsa" not in signature_name(leaf).lower():
            out.append(X08.finding(f"Signature algorithm is {signature_name(leaf)}; "
                                   "L63 says it must use RSA.", where=where))
        if role.multi_server is False and len(ci.dns_sans(leaf)) > 1:
            out.append(X11.finding(where=where))
        if ci.self_signed(leaf):
            bits = ci.key_bits(leaf.public_key())
            out.append(X13.finding(f"Self-signed, key length {bits}: [Regenerate] keeps it; "
                                   "[Generate Self-Signed Certificate] offers 3072/4096.",
                                   where=where))
    return out


def _csr_match(files, leaf) -> list[Finding]:
    csrs = [c for f in files for c in f.csrs]
    if leaf is None or not csrs:
        return []
    latest = csrs[-1]
    if spki_der(latest.public_key()) != spki_der(leaf.public_key()):
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
        left = ci.days(leaf.not_valid_after_utc - ctx.now)
        if leaf.not_valid_after_utc >= ctx.now and notify is not None and left <= notify:
            out.append(E02.finding(f"Expires in {left} days; regenerate before expiry.",
                                   where=where))
        hourly = leaf.not_valid_after_utc - ctx.now <= ONE_DAY
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
    if not ctx.peer_files or ctx.product not in PRODUCTS:
        return []
    trust = ctx.trust_certificates
    trusted = ctx.trusted_fingerprints
    out = []
    for facts in ctx.peer_files:
        for cert in [c for c in facts.certificates if not is_ca(c)]:
            if fingerprint(cert) in trusted or _chains_to(cert, trust):
                continue
            stale = [c for c in trust if c.subject == cert.subject]
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
