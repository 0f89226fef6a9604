"""Meeting Server rules (seed-003 §4.2): file names, keys, CSRs, certificates, bundles, role
and cross-file rules, trust bundles. IDs are seed-003's, prefixed `CMS-` (seed-003 R09 is
CMS-R09)."""

from __future__ import annotations

import re
from pathlib import Path

from cryptography import x509

from collabcert.findings import Finding, Severity
from collabcert.keys import same_public_key
from collabcert.lint import certinfo as ci
from collabcert.lint.context import Context, FileFacts, fingerprint, is_ca, unique
from collabcert.lint.hostmatch import ats_match, covers
from collabcert.lint.layout import layout
from collabcert.lint.registry import ERROR, INFO, WARNING, check, define, not_checkable
from collabcert.model import hash_name

S = "seed-003"
P = "cms"


def _d(short: str, severity, lines: str, message: str, fix: str = "", **kw):
    return define(f"CMS-{short}", severity, P, S, lines, message, fix, source_id=short, **kw)


def _nc(short: str, severity, lines: str, message: str, why: str):
    return not_checkable(f"CMS-{short}", severity, P, S, lines, message, why, source_id=short)


F01 = _d("F01", ERROR, "L319, L335",
         "The pki csr basename may contain only letters, digits, '-' and '_', and no '.'.",
         "Choose a basename like web_bridge-1.", note="checks --field name=BASENAME")
F02 = _d("F02", ERROR, "L627",
         "Key and certificate file names may have no '.' except the one before the extension.",
         "Rename the file, e.g. call.bridge.key -> callbridge.key.")
_nc("F03", ERROR, "L1442, L1497", "OpenSSL keyname/certname contain no '.'.",
    "the OpenSSL names are the file names, checked by CMS-F02")
F04 = _d("F04", WARNING, "L178, L180, L516, L1616-1619",
         "Certificate and bundle files should be named .pem, .cer or .crt.",
         "Rename the file with one of those extensions.")
F05 = _d("F05", WARNING, "L1621-1626", "Key files should be named .key, .pem or .der.",
         "Rename the key file, e.g. webbridge.key.")
F06 = _d("F06", INFO, "L612", "Name each key and certificate after where it is used.",
         "e.g. webadmin.crt / webadmin.key.")
F07 = _d("F07", WARNING, "L518 (inferred keywords)",
         "The chain file should have a clear bundle/chain name and the same extension as the "
         "certificate.", "e.g. webbridge.crt and webbridgebundle.crt.")
K01 = _d("K01", ERROR, "L1638",
         "The private key is password protected; Meeting Server needs it unlocked.",
         "On the MMP: pki unlock <key>; or offline: collabcert convert KEY --to pem "
         "--password-file F.")
K02 = _d("K02", INFO, "L1429, L742", "The key is not RSA 2048, the only size the CMS doc shows.",
         "RSA 2048 is the documented choice; other sizes are not shown in the CMS guide.")
K03 = _d("K03", ERROR, "L643, L662, L715",
         "FAILURE: Key and certificate problem: certificate and key do not match",
         "Use the key made with this certificate's CSR (check with pki match <key> <cert>).")
K04 = _d("K04", INFO, "L1624", "The key is not PKCS#8; both parse, the doc names PKCS#8.",
         "collabcert convert KEY --to pem writes PKCS#8.")
C01 = _d("C01", ERROR, "L342", "The CN is missing; it is mandatory.",
         "Make the CSR again with CN:<fqdn>.")
C02 = _d("C02", ERROR, "L356", "No spaces are allowed around ',' in the SAN list.",
         "Write the list as a,b,c (collabcert drops the spaces for you).")
C03 = _d("C03", WARNING, "L386",
         "Do not repeat the CN in the pki csr SAN list; pki csr adds it.",
         "Drop the CN from the SAN input.")
C04 = _d("C04", ERROR, "L394",
         "When a SAN list is present it must contain the CN (OpenSSL / third-party CSRs).",
         "Add the CN's FQDN to the SAN list and make the CSR again.")
_nc("C05", WARNING, "L1639, L1642", "Multi-word values are quoted in the pki csr command.",
    "about the generated command text; collabcert's command builder always quotes")
C06 = _d("C06", INFO, "L337",
         "A CSR for a public CA should have every attribute (O, OU, L, ST, C).",
         "Add the missing subject fields (--field o=..., ou=, l=, st=, c=).")
C07 = _d("C07", WARNING, "L141-142",
         "C must be a 2-letter ISO code and ST must not be abbreviated.",
         "Use e.g. C=GB, ST=Berkshire.")
C08 = _d("C08", INFO, "L307", "The CSR is not signed with SHA256 (what pki csr produces).",
         "SHA-256 is the documented digest.")
C09 = _d("C09", WARNING, "L1642",
         "SAN items should be DNS names, wildcards or IP addresses.",
         "Remove other SAN types (e-mail, URI) unless you know they are needed.")
X01 = _d("X01", ERROR, "L637, L656, L1372",
         "The certificate is outside its validity period.",
         "Renew it; check with pki inspect <certificate>.")
X02 = _d("X02", INFO, "L307", "The certificate is signed with SHA1 (supported by CMS).",
         "Both SHA1 and SHA2 work; new CSRs use SHA256.",
         note="warning for other digests (MD5)")
X03 = _d("X03", ERROR, "L518",
         "The certificate file must contain one certificate; the chain goes in a separate "
         "bundle file.", "Split it: collabcert bundle FILE --target cms writes <name>.crt and "
         "<name>bundle.crt.")
X04 = _d("X04", WARNING, "L1129, L1617-1619",
         "The file is DER; convert it to PEM before bundling.",
         "collabcert convert FILE --to pem (the fingerprint does not change).")
X05 = _d("X05", WARNING, "L1341, L301, L1392",
         "Self-signed certificate where a CA-signed one is needed.",
         "Have the CSR signed by a CA (public for WebRTC / native apps).",
         note="info for web admin, trunk and load balancer (allowed there, L1392)")
X06 = _d("X06", WARNING, "inferred from L1508, L1526",
         "There is text before -----BEGIN (e.g. from openssl ... -text).",
         "Strip the text before the first BEGIN line.")
B01 = _d("B01", ERROR, "L645, L668, L724",
         "FAILURE: certificate verification error: unable to get issuer certificate",
         "Add the missing CA certificate to the bundle (check with pki verify <cert> "
         "<bundle>).")
B02 = _d("B02", ERROR, "L178, L518",
         "Bundle order: the leaf's issuer first, each next one the issuer of the one before, the "
         "root last.", "Rebuild it: collabcert bundle FILES --target cms.")
B03 = _d("B03", WARNING, "L178", "The bundle does not contain the root CA.",
         "Add the root CA certificate at the end of the bundle.")
B04 = _d("B04", ERROR, "L180, L1129",
         "No blank lines or spaces between -----END CERTIFICATE----- and the next -----BEGIN.",
         "Rebuild the bundle: collabcert bundle FILES --target cms.")
B05 = _d("B05", ERROR, "L180, L1129",
         "END and BEGIN are glued on one line (a file without a final newline was "
         "concatenated).", "Rebuild the bundle: collabcert bundle FILES --target cms.")
B06 = _d("B06", ERROR, "L180, L1129", "The file must end with a newline.",
         "Add a newline at the end (collabcert writes one).")
B07 = _d("B07", ERROR, "L1129", "The bundle must be Base64 (PEM), not DER.",
         "collabcert convert FILE --to pem.")
B08 = _d("B08", WARNING, "L689, L958 (inferred)",
         "The bundle contains the leaf itself; the leaf and the bundle are separate files.",
         "Remove the server certificate from the bundle.")
B09 = _d("B09", WARNING, "inferred", "The bundle contains certificates outside the chain.",
         "Remove certificates that are not on the leaf -> root path.")
B10 = _d("B10", INFO, "L1642", "Keep the chain short (it has more than 3 certificates).")
B11 = _d("B11", WARNING, "inferred",
         "There are stray bytes after the last END line (e.g. a Ctrl-Z from Windows copy).",
         "Remove everything after the last -----END CERTIFICATE----- line.")
R01 = _d("R01", ERROR, "L349", "The XMPP certificate must have a SAN.",
         "Request it with subjectAltName:<xmpp domain>.")
R02 = _d("R02", ERROR, "L354, L422, L1348", "The XMPP domain is missing from the SAN.",
         "Add the XMPP domain (exactly; a wildcard does not cover the bare domain).")
R03 = _d("R03", ERROR, "L354, L421, L1347",
         "The XMPP CN must be the XMPP server's DNS (SRV target) name, and the SAN must contain "
         "it.", "Request CN:<xmpp dns name> with the name also in the SAN.")
R04 = _d("R04", ERROR, "L353, L394, L1366",
         "The Web Bridge CN must be the A-record FQDN, and a SAN list must contain it.",
         "Request CN:<web bridge FQDN>; include it in the SAN when there is one.")
R05 = _d("R05", ERROR, "L259, L500, L1276",
         "The TURN certificate must be signed by the same CA as the Web Bridge certificate.",
         "Have the TURN CSR signed by the Web Bridge's CA.")
R06 = _d("R06", ERROR, "L1005-1006, L1386",
         "Call Bridge for Lync: the CN must be the Lync trusted-application FQDN, and a SAN list "
         "must contain it.", "Request CN:<the FQDN added on the Lync FE>.",
         note="needs --field lync-fqdn=FQDN")
_nc("R07", WARNING, "L1007, L1384",
    "Call Bridge for Lync: the issuer should be the Lync FE certificate's CA.",
    "needs the Lync FE server's own certificate, which lint does not take yet")
R08 = _d("R08", ERROR, "L355, L398, L349",
         "Shared certificate: CN = the domain, and the SAN has the domain and every component "
         "FQDN.", "Request CN:<domain> subjectAltName:<every component FQDN>.")
R09 = _d("R09", ERROR, "L444, L773, L1380",
         "The trunk and the load balancer use the same key pair; they cannot authenticate each "
         "other.", "Make a separate key and certificate for each (the same CN is fine).")
R10 = _d("R10", ERROR, "L270, L599, L1489",
         "DB certificates must be signed by the same CA, and that CA must be in the CA bundle.",
         "Sign the DB server and client CSRs with one CA and give its certificate as the "
         "bundle.")
R11 = _d("R11", ERROR, "L1392", "Self-signed certificates cannot be used for DB clustering.",
         "Sign the DB certificates with an internal CA.")
R12 = _d("R12", ERROR, "L484, L1153, L1175",
         "ERROR: Client certificate common name incorrect",
         "Make the DB client CSR with CN:postgres exactly.")
R13 = _d("R13", ERROR, "L474", "The DB server certificate's EKU must include serverAuth.",
         "Re-issue it with Server Authentication (or with no EKU).")
R14 = _d("R14", ERROR, "L484", "The DB client certificate's EKU must include clientAuth.",
         "Re-issue it with Client Authentication (or with no EKU).")
R15 = _d("R15", WARNING, "L474",
         "Shared DB server certificate: every DB node FQDN should be in the CN or the SAN.",
         "Put one node in the CN and the others in the SAN.")
R16 = _d("R16", WARNING, "inferred, NOT IN DOC",
         "EKU direction: Call Bridge server+client, load balancer server, trunk client.",
         "Re-issue with the needed EKU (or with no EKU).")
R17 = _d("R17", ERROR, "L1392", "Call Bridge toward Lync cannot use a self-signed certificate.",
         "Have the Call Bridge CSR signed by a CA the Lync FE trusts.")
T01 = _d("T01", ERROR, "L1049, L1110, L1372",
         "The Web Bridge trust bundle must contain every Call Bridge certificate, none expired.",
         "Concatenate every Call Bridge certificate into one file and run "
         "webbridge trust combinedcallbridgecert.crt on each Web Bridge.")
T02 = _d("T02", ERROR, "L806", "The load balancer trust bundle must be the trunk's certificate.",
         "loadbalancer auth <tag> edge1.key edge1.crt core1.crt (the trunk's certificate).")
T03 = _d("T03", ERROR, "L887", "The trunk trust bundle must be the load balancer's certificate.",
         "trunk auth <tag> core1.key core1.crt edge1.crt (the load balancer's certificate).")
T04 = _d("T04", ERROR, "L1129",
         "A combined trust bundle must follow the bundle format (PEM, no blank lines, final "
         "newline).", "Rebuild it: collabcert bundle FILES --target cms.")

CERT_EXTS = (".pem", ".cer", ".crt")
KEY_EXTS = (".key", ".pem", ".der")
BASENAME = re.compile(r"^[A-Za-z0-9_-]+$")
SELF_SIGNED_OK = ("cms-webadmin", "cms-trunk", "cms-loadbalancer")  # seed-003 G21
NEEDS_CA = ("cms-webbridge", "cms-xmpp", "cms-turn")


def _is_bundle(facts: FileFacts) -> bool:
    certs = facts.certificates
    return bool(certs) and all(is_ca(c) or ci.self_signed(c) and is_ca(c) for c in certs)


def _leaf_files(ctx: Context, role_id: str) -> list[FileFacts]:
    return [f for f in ctx.role_files(role_id) if any(not is_ca(c) for c in f.certificates)]


# ---------------------------------------------------------------------------- files


@check(P)
def file_names(ctx: Context) -> list[Finding]:
    out = []
    name = ctx.field("name")
    if name and ctx.role and ctx.role.product == P and not BASENAME.match(name):
        out.append(F01.finding(f"Basename {name!r} is not allowed: use letters, digits, '-' and "
                               "'_' only, no '.'.", where="--field name"))
    for facts in ctx.product_files(P):
        path = Path(facts.name)
        if facts.name in ("-", "standard input", "pasted text"):
            continue
        if path.name.count(".") != 1 or path.name.startswith("."):
            out.append(F02.finding(
                f"File name {path.name!r} must have exactly one '.', before the extension.",
                where=facts.name))
        ext = path.suffix.lower()
        if facts.has_key and ext not in KEY_EXTS:
            out.append(F05.finding(where=facts.name))
        elif facts.certificates and not facts.has_key and ext not in CERT_EXTS + (".der",):
            out.append(F04.finding(where=facts.name))
        base = facts.role.basename if facts.role else ""
        if base and base.split("_")[0] not in path.stem.lower() and facts.role_id == (
                ctx.role.id if ctx.role else ""):
            out.append(F06.finding(f"{path.name!r} does not say where it is used (e.g. "
                                   f"{base}.crt).", where=facts.name))
    out += _bundle_names(ctx)
    return out


def _bundle_names(ctx: Context) -> list[Finding]:
    out = []
    for role_id in ctx.roles_in_play(P):
        leaves = _leaf_files(ctx, role_id)
        bundles = [f for f in ctx.role_files(role_id) if _is_bundle(f)]
        if not leaves:
            continue
        leaf_ext = Path(leaves[0].name).suffix.lower()
        for b in bundles:
            stem = Path(b.name).stem.lower()
            if not any(k in stem for k in ("bundle", "chain", "ca")) or \
                    Path(b.name).suffix.lower() != leaf_ext:
                out.append(F07.finding(where=b.name))
    return out


# ------------------------------------------------------------------------------ keys


@check(P)
def keys(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P):
        if facts.locked:
            out.append(K01.finding(
                f"The private key is password protected ({facts.locked_text}); Meeting "
                "Server needs it unlocked.", where=facts.name))
        for item in (facts.loaded.items if facts.loaded else []):
            if item.kind.value != "private_key":
                continue
            if ci.key_kind(item.obj) != "rsa" or ci.key_bits(item.obj) != 2048:
                out.append(K02.finding(where=facts.name))
            if item.form and item.form != "PKCS#8":
                out.append(K04.finding(f"The key is {item.form}; both parse, the doc names "
                                       "PKCS#8.", where=facts.name))
    for role_id in ctx.roles_in_play(P):
        key_file = ctx.key_mismatch(role_id)
        if key_file is not None:
            out.append(K03.finding(where=key_file.name))
    return out


# ------------------------------------------------------------------------- CSR content


@check(P)
def csr_content(ctx: Context) -> list[Finding]:
    out = []
    for _, subject, where in ctx.subjects(P):
        if not ci.cn(subject):
            out.append(C01.finding(where=where))
        elif ci.san(subject) is not None and not covers(ci.cn(subject), subject):
            out.append(C04.finding(
                f"The SAN list is present but does not contain the CN {ci.cn(subject)!r}.",
                where=where))
        for entry in ci.san(subject) or []:
            if not isinstance(entry, x509.DNSName | x509.IPAddress):
                out.append(C09.finding(f"SAN item {entry.value!s} is not a DNS name or IP "
                                       "address.", where=where))
        if isinstance(subject, x509.CertificateSigningRequest):
            out += _csr_only(subject, where)
    out += _field_rules(ctx)
    return out


def _csr_only(csr, where: str) -> list[Finding]:
    out = []
    attrs = {a.oid.dotted_string: str(a.value) for a in csr.subject}
    wanted = {"2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.6": "C"}
    missing = [label for oid, label in wanted.items() if oid not in attrs]
    if missing:
        out.append(C06.finding(f"For a public CA give every attribute; missing: "
                               f"{', '.join(missing)}.", where=where))
    c, st = attrs.get("2.5.4.6", ""), attrs.get("2.5.4.8", "")
    if (c and not (len(c) == 2 and c.isupper())) or (st and len(st) <= 2):
        out.append(C07.finding(where=where))
    if hash_name(csr) != "sha256":
        out.append(C08.finding(where=where))
    return out


def _field_rules(ctx: Context) -> list[Finding]:
    if ctx.role is None or ctx.role.product != P:
        return []
    out = []
    for name in ("additional-names", "component-fqdns", "other-fqdns"):
        raw = ctx.fields.get(name, "")
        if re.search(r",\s|\s,", raw):
            out.append(C02.finding(f"--field {name} has spaces around ','; fixed to "
                                   f"{','.join(ctx.field_list(name))!r}.", where=name))
        cn = ctx.field("fqdn") or ctx.field("domain")
        if cn and cn.lower() in (n.lower() for n in ctx.field_list(name)):
            out.append(C03.finding(where=name))
    return out


# ---------------------------------------------------------------------- certificates


@check(P)
def certificates(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P):
        certs = facts.certificates
        if len([c for c in certs if not is_ca(c)]) >= 1 and len(certs) > 1:
            out.append(X03.finding(
                f"{facts.name} holds {len(certs)} certificates; the certificate file must hold "
                "one, the chain goes in a separate bundle file.", where=facts.name))
        if facts.der and certs:
            out.append((B07 if _is_bundle(facts) else X04).finding(where=facts.name))
        if facts.text is not None and layout(facts.text).text_before:
            out.append(X06.finding(where=facts.name))
    for role_id in ctx.roles_in_play(P):
        leaf = ctx.leaf(role_id)
        if leaf is None or not ci.self_signed(leaf):
            continue
        where = ctx.where(role_id, leaf)
        lync = role_id == "cms-callbridge" and ctx.field("lync-fqdn")
        if role_id in ("cms-db-server", "cms-db-client"):
            out.append(R11.finding(where=where))
        elif lync:
            out.append(R17.finding(where=where))
        elif role_id in NEEDS_CA:
            out.append(X05.finding(where=where))
        elif role_id in SELF_SIGNED_OK:
            out.append(X05.finding("Self-signed certificate: allowed here, but browsers and "
                                   "clients will show a certificate error.", where=where,
                                   severity=Severity.INFO))
    return out


# --------------------------------------------------------------------------- bundles


@check(P)
def bundles(ctx: Context) -> list[Finding]:
    out = []
    for role_id in ctx.roles_in_play(P):
        bundle_files = [f for f in ctx.role_files(role_id) if _is_bundle(f)]
        leaf = ctx.leaf(role_id)
        for b in bundle_files:
            out += _layout_findings(b)
        if leaf is None or not bundle_files:
            continue
        out += _bundle_chain(leaf, bundle_files)
    for t in ctx.trust_files:
        if ctx.product == P:
            out += _layout_findings(t, trust=True)
            if t.der:
                out.append(T04.finding("The trust bundle is DER; it must be Base64 (PEM).",
                                       where=t.name))
    return out


def _layout_findings(facts: FileFacts, trust: bool = False) -> list[Finding]:
    """The bundle format rules (B04-B06, B11); a trust bundle says them as T04 (seed-003 L1129)."""
    if facts.text is None:
        return []
    lay = layout(facts.text)
    problems = (
        (lay.gaps, B04, "The trust bundle has blank lines or spaces between certificates."),
        (lay.glued, B05, "The trust bundle has END and BEGIN glued on one line."),
        (not lay.final_newline, B06, "The trust bundle does not end with a newline."),
        (lay.text_after and not trust, B11, ""),
    )
    return [T04.finding(trust_text, where=facts.name) if trust else rule.finding(where=facts.name)
            for present, rule, trust_text in problems if present]


def _bundle_chain(leaf, bundle_files: list[FileFacts]) -> list[Finding]:
    out = []
    where = bundle_files[0].name
    bundle = [c for f in bundle_files for c in f.certificates]
    if any(fingerprint(c) == fingerprint(leaf) for c in bundle):
        out.append(B08.finding(where=where))
    bundle = [c for c in bundle if fingerprint(c) != fingerprint(leaf)]
    path, current = [], leaf
    while not ci.self_signed(current):
        issuer = ci.issuer_in(current, [c for c in bundle if c not in path])
        if issuer is None:
            name = ci.issuer_cn(current) or current.issuer.rfc4514_string()
            out.append(B01.finding(
                f"FAILURE: certificate verification error: depth={len(path)} issuer={name} "
                f"... Verification error: unable to get issuer certificate (the bundle lacks "
                f"'{name}').", where=where))
            break
        path.append(issuer)
        current = issuer
        if len(path) > 10:
            break
    ordered = [fingerprint(c) for c in path]
    given = [fingerprint(c) for c in bundle if fingerprint(c) in ordered]
    if given != ordered:
        out.append(B02.finding(
            "Bundle order: " + " -> ".join(repr(ci.label(c)) for c in path) + " is expected "
            "(the leaf's issuer first, the root last).", where=where))
    if path and not ci.self_signed(path[-1]) or (path and not any(ci.self_signed(c)
                                                                   for c in bundle)):
        out.append(B03.finding(where=where))
    extra = [c for c in bundle if fingerprint(c) not in ordered]
    for c in extra:
        out.append(B09.finding(f"'{ci.label(c)}' is not on the chain of '{ci.label(leaf)}'.",
                               where=where))
    if len(path) + 1 > 3:
        out.append(B10.finding(where=where))
    return out


# ---------------------------------------------------------------------- role rules


@check(P)
def role_rules(ctx: Context) -> list[Finding]:
    out = []
    for role_id, subject, where in ctx.subjects(P):
        out += _one_role(role_id, subject, ctx.role_fields(role_id), where)
    return out + _cross(ctx)


def _one_role(role_id: str, obj, fields: dict[str, str], where: str) -> list[Finding]:
    out = []
    cn = ci.cn(obj)
    fqdn = fields.get("fqdn", "").strip()
    usages = ci.eku(obj)
    if role_id == "cms-xmpp":
        if ci.san(obj) is None:
            out.append(R01.finding(where=where))
        domain = fields.get("xmpp-domain", "").strip()
        if domain and not ci.in_sans(domain, obj):
            out.append(R02.finding(f"XMPP domain {domain} missing from SAN.", where=where))
        if fqdn and not (ats_match(cn, fqdn) and covers(fqdn, obj)):
            out.append(R03.finding(where=where))
    if role_id == "cms-webbridge" and fqdn and cn.lower() != fqdn.lower():
        out.append(R04.finding(f"The Web Bridge CN is {cn!r}; it must be the A-record FQDN "
                               f"{fqdn!r}.", where=where))
    if role_id == "cms-webbridge" and ci.san(obj) is not None and cn and not covers(cn, obj):
        out.append(R04.finding(f"SAN present but does not contain CN {cn}.", where=where))
    lync = fields.get("lync-fqdn", "").strip()
    if role_id == "cms-callbridge" and lync and (
            cn.lower() != lync.lower() or (ci.san(obj) is not None and not covers(lync, obj))):
        out.append(R06.finding(where=where))
    if role_id == "cms-shared":
        domain = fields.get("domain", "").strip()
        need = [domain] + [p.strip() for p in fields.get("component-fqdns", "").split(",")]
        missing = [n for n in need if n and not covers(n, obj)]
        if (domain and cn.lower() != domain.lower()) or missing:
            out.append(R08.finding(
                "Shared certificate: CN must be the domain and the SAN must hold the domain and "
                f"every component FQDN; missing: {', '.join(missing) or '-'}.", where=where))
    if role_id == "cms-db-client" and cn != "postgres":
        out.append(R12.finding(
            f"ERROR: Client certificate common name incorrect (CN is {cn!r}, it must be "
            "'postgres').", where=where))
    if role_id == "cms-db-server" and usages is not None and ci.SERVER_AUTH not in usages:
        out.append(R13.finding(where=where))
    if role_id == "cms-db-client" and usages is not None and ci.CLIENT_AUTH not in usages:
        out.append(R14.finding(where=where))
    if role_id == "cms-db-server" and fqdn:
        nodes = [fqdn] + [p.strip() for p in fields.get("other-fqdns", "").split(",") if p]
        missing = [n for n in nodes if n.lower() != cn.lower() and not covers(n, obj)]
        if missing:
            out.append(R15.finding(f"DB node(s) {', '.join(missing)} not in the CN or SAN.",
                                   where=where))
    out += _eku_direction(role_id, usages, where)
    return out


def _eku_direction(role_id: str, usages, where: str) -> list[Finding]:
    if usages is None:
        return []
    need = {"cms-callbridge": (ci.SERVER_AUTH, ci.CLIENT_AUTH),
            "cms-loadbalancer": (ci.SERVER_AUTH,), "cms-trunk": (ci.CLIENT_AUTH,)}.get(role_id)
    if need and any(u not in usages for u in need):
        return [R16.finding(where=where)]
    return []


def _cross(ctx: Context) -> list[Finding]:
    out = []
    trunk, lb = ctx.leaf("cms-trunk"), ctx.leaf("cms-loadbalancer")
    if trunk is not None and lb is not None and same_public_key(trunk, lb):
        out.append(R09.finding(where=_names(ctx, "cms-trunk", "cms-loadbalancer")))
    turn, wb = ctx.leaf("cms-turn"), ctx.leaf("cms-webbridge")
    if turn is not None and wb is not None and not _same_ca(turn, wb):
        out.append(R05.finding(
            f"The TURN certificate is issued by '{ci.issuer_cn(turn)}', the Web Bridge "
            f"certificate by '{ci.issuer_cn(wb)}'; they must share one CA.",
            where=_names(ctx, "cms-turn", "cms-webbridge")))
    out += _db_ca(ctx)
    out += _trust_bundles(ctx)
    return out


def _names(ctx: Context, *role_ids: str) -> str:
    return ", ".join(f.name for r in role_ids for f in _leaf_files(ctx, r))


def _aki(cert) -> bytes | None:
    value = ci.ext(cert, x509.AuthorityKeyIdentifier)
    return value.key_identifier if value is not None else None


def _same_ca(a, b) -> bool:
    if a.issuer != b.issuer:
        return False
    return _aki(a) is None or _aki(b) is None or _aki(a) == _aki(b)


def _db_ca(ctx: Context) -> list[Finding]:
    server, client = ctx.leaf("cms-db-server"), ctx.leaf("cms-db-client")
    if server is None or client is None:
        return []
    bundle = unique([c for r in ("cms-db-server", "cms-db-client") for f in ctx.role_files(r)
                     if _is_bundle(f) for c in f.certificates]
                    + ctx.trust_certificates)
    where = _names(ctx, "cms-db-server", "cms-db-client")
    if not _same_ca(server, client):
        return [R10.finding(
            f"DB certificates must be signed by the same CA: the server's is "
            f"'{ci.issuer_cn(server)}', the client's '{ci.issuer_cn(client)}'.", where=where)]
    if bundle and not any(ci.signed_by(server, c) and ci.signed_by(client, c) for c in bundle):
        return [R10.finding("The CA that signed the DB certificates is not in the CA bundle.",
                            where=where)]
    return []


def _trust_bundles(ctx: Context) -> list[Finding]:
    if ctx.role is None or ctx.role.product != P or not ctx.trust_files:
        return []
    trusted = {fingerprint(c): c for c in ctx.trust_certificates}
    where = ", ".join(f.name for f in ctx.trust_files)
    main = ctx.role.id
    out = []
    if main == "cms-webbridge":
        cbs = unique(c for f in _leaf_files(ctx, "cms-callbridge") for c in f.certificates
                     if not is_ca(c))
        missing = [c for c in cbs if fingerprint(c) not in trusted]
        expired = [c for c in trusted.values()
                   if not is_ca(c) and c.not_valid_after_utc < ctx.now]
        if missing or expired:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(repr(ci.label(c)) for c in missing))
            if expired:
                parts.append("expired " + ", ".join(repr(ci.label(c)) for c in expired))
            out.append(T01.finding(
                "The Web Bridge trust bundle must contain every Call Bridge certificate, none "
                f"expired: {'; '.join(parts)}.", where=where,
                fix="Concatenate the current certificates of all "
                f"{len(cbs) or 'the'} Call Bridges into combinedcallbridgecert.crt "
                "(collabcert bundle ... --target fullchain) and run "
                "webbridge trust combinedcallbridgecert.crt on each Web Bridge."))
    for me, other, rule in (("cms-loadbalancer", "cms-trunk", T02),
                            ("cms-trunk", "cms-loadbalancer", T03)):
        if main != me:
            continue
        others = [c for f in _leaf_files(ctx, other) for c in f.certificates if not is_ca(c)]
        own = ctx.leaf(me)
        only_own = own is not None and set(trusted) == {fingerprint(own)}
        if (others and not any(fingerprint(c) in trusted for c in others)) or only_own:
            out.append(rule.finding(where=where))
    return out
