"""Meeting Server rules (seed-003 §4.2): file names, keys, CSRs, certificates, bundles, role
and cross-file rules, trust bundles. IDs are seed-003's, prefixed `CMS-` (seed-003 R09 is
CMS-R09)."""

from __future__ import annotations

import re
from pathlib import Path

from cryptography import x509

from collabcert import certparts, rules
from collabcert.findings import Finding, Severity
from collabcert.keys import same_public_key
from collabcert.lint import certinfo as ci
from collabcert.lint.context import Context, FileFacts, fingerprint, is_ca, unique
from collabcert.lint.hostmatch import ats_match, covers
from collabcert.lint.layout import layout
from collabcert.lint.registry import check
from collabcert.model import hash_name

P = "cms"

F01 = rules.get("CMS-F01")
F02 = rules.get("CMS-F02")
F04 = rules.get("CMS-F04")
F05 = rules.get("CMS-F05")
F06 = rules.get("CMS-F06")
F07 = rules.get("CMS-F07")
K01 = rules.get("CMS-K01")
K02 = rules.get("CMS-K02")
K03 = rules.get("CMS-K03")
K04 = rules.get("CMS-K04")
C01 = rules.get("CMS-C01")
C02 = rules.get("CMS-C02")
C03 = rules.get("CMS-C03")
C04 = rules.get("CMS-C04")
C06 = rules.get("CMS-C06")
C07 = rules.get("CMS-C07")
C08 = rules.get("CMS-C08")
C09 = rules.get("CMS-C09")
X01 = rules.get("CMS-X01")
X02 = rules.get("CMS-X02")
X03 = rules.get("CMS-X03")
X04 = rules.get("CMS-X04")
X05 = rules.get("CMS-X05")
X06 = rules.get("CMS-X06")
B01 = rules.get("CMS-B01")
B02 = rules.get("CMS-B02")
B03 = rules.get("CMS-B03")
B04 = rules.get("CMS-B04")
B05 = rules.get("CMS-B05")
B06 = rules.get("CMS-B06")
B07 = rules.get("CMS-B07")
B08 = rules.get("CMS-B08")
B09 = rules.get("CMS-B09")
B10 = rules.get("CMS-B10")
B11 = rules.get("CMS-B11")
R01 = rules.get("CMS-R01")
R02 = rules.get("CMS-R02")
R03 = rules.get("CMS-R03")
R04 = rules.get("CMS-R04")
R05 = rules.get("CMS-R05")
R06 = rules.get("CMS-R06")
R08 = rules.get("CMS-R08")
R09 = rules.get("CMS-R09")
R10 = rules.get("CMS-R10")
R11 = rules.get("CMS-R11")
R12 = rules.get("CMS-R12")
R13 = rules.get("CMS-R13")
R14 = rules.get("CMS-R14")
R15 = rules.get("CMS-R15")
R16 = rules.get("CMS-R16")
R17 = rules.get("CMS-R17")
T01 = rules.get("CMS-T01")
T02 = rules.get("CMS-T02")
T03 = rules.get("CMS-T03")
T04 = rules.get("CMS-T04")

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
    attrs = {a.oid.dotted_string: str(a.value) for a in certparts.name_of(csr, "subject") or ()}
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
            name = ci.issuer_cn(current) or _issuer_text(current)
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
    if not certparts.names_equal(certparts.issuer(a), certparts.issuer(b)):
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
                   if not is_ca(c) and certparts.not_after(c) < ctx.now]
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


def _issuer_text(cert: x509.Certificate) -> str:
    name = certparts.name_of(cert, "issuer")
    return name.rfc4514_string() if name is not None else "(unreadable name)"
