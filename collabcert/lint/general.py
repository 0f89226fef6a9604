"""Rules that apply to every certificate, CSR and key whatever the role: validity, 2050+,
SHA-1, weak keys. The ID is the product's own rule when the role's product has one (CMS X01,
CUCM CU-E01), else seed-001's (the widest requirement file)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from collabcert import certparts, rules
from collabcert.chain import build_chain, server_identity
from collabcert.findings import Finding, Severity
from collabcert.lint import certinfo as ci
from collabcert.lint.context import TRUST, Context, FileFacts, is_ca, unique
from collabcert.lint.registry import check
from collabcert.model import hash_name
from collabcert.rules import Rule

CRT_EXPIRED = rules.get("CRT-EXPIRED")
CRT_NOTYET = rules.get("CRT-NOTYET")
CRT_EXPIRING = rules.get("CRT-EXPIRING")
CRT_2050 = rules.get("CRT-2050")
CRT_SHA1 = rules.get("CRT-SHA1")
CRT_MD5 = rules.get("CRT-MD5")
KEY_WEAK = rules.get("KEY-WEAK")
CHN_EXPIRED = rules.get("CHN-EXPIRED")
TWENTY_FIFTY = dt.datetime(2050, 1, 1, tzinfo=dt.UTC)
EXPIRING_DAYS = 30


def _product_rules(product: str) -> tuple[Rule, Rule, Rule]:
    """The (expired, not yet valid, SHA-1) rules: the product's own where it has them."""
    if product == "cms":
        return rules.get("CMS-X01"), rules.get("CMS-X01"), rules.get("CMS-X02")
    if product in ("cucm", "imp"):
        return rules.get("CU-E01"), rules.get("CU-E06"), rules.get("CU-X09")
    return CRT_EXPIRED, CRT_NOTYET, CRT_SHA1


def product_of(facts: FileFacts, ctx: Context) -> str:
    if facts.role is not None:
        return facts.role.product
    return ctx.product


@check()
def validity(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for facts in ctx.files:
        product = product_of(facts, ctx)
        expired_rule, notyet_rule, _ = _product_rules(product)
        for cert in facts.certificates:
            trust_or_ca = facts.role_id == TRUST or is_ca(cert)
            out += _one_validity(cert, facts.name, ctx.now, expired_rule, notyet_rule,
                                 trust_or_ca, product)
    return out


def _one_validity(cert: x509.Certificate, where: str, now: dt.datetime, expired_rule: Rule,
                  notyet_rule: Rule, trust_or_ca: bool, product: str) -> list[Finding]:
    out = []
    name = ci.label(cert)
    after, before = certparts.not_after(cert), certparts.not_before(cert)
    if after < now:
        if trust_or_ca:
            out.append(CHN_EXPIRED.finding(
                f"CA certificate '{name}' expired on {after:%Y-%m-%d}.", where=where))
        else:
            out.append(expired_rule.finding(
                f"Certificate '{name}' expired on {after:%Y-%m-%d}; systems will reject it.",
                where=where))
    elif before > now:
        out.append(notyet_rule.finding(
            f"Certificate '{name}' is not valid before {before:%Y-%m-%d %H:%M} UTC.",
            where=where))
    elif not trust_or_ca and product not in ("cucm", "imp"):
        out += _expiring(cert, name, where, now)
    if after >= TWENTY_FIFTY:
        out.append(CRT_2050.finding(
            f"Certificate '{name}' expires on {after:%Y-%m-%d}; certificates expiring in or "
            "after 2050 may cause operational problems.", where=where))
    return out


def _expiring(cert: x509.Certificate, name: str, where: str, now: dt.datetime) -> list[Finding]:
    after, before = certparts.not_after(cert), certparts.not_before(cert)
    left = ci.days(after - now)
    if is_lets_encrypt(cert):
        lifetime = after - before
        if now - before >= lifetime * 2 / 3:
            return [CRT_EXPIRING.finding(
                f"Let's Encrypt certificate '{name}' has passed 2/3 of its lifetime "
                f"({left} days left); ACME renews it at this point.", where=where)]
        return []
    if left <= EXPIRING_DAYS:
        return [CRT_EXPIRING.finding(f"Certificate '{name}' expires in {left} days; renew it.",
                                     where=where)]
    return []


def is_lets_encrypt(cert: x509.Certificate) -> bool:
    issuer = certparts.issuer(cert)
    orgs = [a.value for a in issuer.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)] \
        if issuer is not None else []
    return "Let's Encrypt" in orgs or ci.issuer_cn(cert) in LE_INTERMEDIATES


LE_INTERMEDIATES = ("R3", "R4", "R10", "R11", "R12", "R13", "R14", "E1", "E2", "E5", "E6",
                    "E7", "E8", "E9")


@check()
def weak_signatures(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.files:
        _, _, rule = _product_rules(product_of(facts, ctx))
        for cert in facts.certificates:
            algorithm = hash_name(cert)
            if algorithm not in ("sha1", "md5") or ci.self_signed(cert):
                continue  # a root's own signature is never checked by a verifier
            if algorithm == "md5":  # its own rule, an error (CRT-MD5), whatever the product
                out.append(CRT_MD5.finding(
                    f"Certificate '{ci.label(cert)}' is signed with MD5.", where=facts.name))
                continue
            out.append(rule.finding(
                f"Certificate '{ci.label(cert)}' is signed with SHA-1.", where=facts.name))
    return out


@check()
def weak_keys(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.files:
        objects = [*facts.certificates, *facts.csrs]
        for obj in objects:
            key = ci.public_key(obj)
            if key is not None and _weak(key):
                out.append(KEY_WEAK.finding(
                    f"'{ci.label(obj)}' has a weak key ({_key_text(key)}).", where=facts.name))
        for key in facts.keys:
            if _weak(key):
                out.append(KEY_WEAK.finding(f"The private key is weak ({_key_text(key)}).",
                                            where=facts.name))
    return out


def _weak(key) -> bool:
    kind = ci.key_kind(key)
    if kind in ("rsa", "dsa"):
        return ci.key_bits(key) < 2048
    if kind == "ec":
        return ci.key_bits(key) < 256
    return False


def _key_text(key) -> str:
    kind = ci.key_kind(key)
    if kind == "ec":
        return f"EC {ci.curve(key)}"
    return f"{kind.upper()} {ci.key_bits(key)} bits"


@check()
def locked_without_role(ctx: Context) -> list[Finding]:
    """No role said the key must be unlocked: say it is locked, as info (KEY-ENC's own rule)."""
    return [rules.get("KEY-ENC").finding(
        f"The private key is encrypted ({facts.locked_text}); Expressway and Meeting "
        "Server need it unlocked.", where=facts.name, severity=Severity.INFO)
        for facts in ctx.files if facts.locked and facts.role is None]


CHN_NOT_CHECKED = rules.get("CHN-NOT-CHECKED")
CHN_INCOMPLETE = rules.get("CHN-INCOMPLETE")


@check()
def chain_without_role(ctx: Context) -> list[Finding]:
    """No role at all, but a trust list or a CA certificate given: each server certificate's
    chain is still built, and a missing issuer is an error (DESIGN.md lint and exit codes: an
    incomplete chain is exit 1). A role's own checks say it in the product's words instead;
    with nothing to build a chain from, nothing is judged (CHN-NOT-CHECKED's reasoning)."""
    if ctx.role is not None or any(f.role for f in ctx.files) or ctx.chain_unchecked:
        return []
    plain = [f for f in ctx.files if not f.role_id]
    pool = unique([*ctx.trust_certificates, *(c for f in plain for c in f.certificates)])
    out = []
    for facts in plain:
        for cert in unique(facts.certificates):
            if not server_identity(cert) or ci.self_signed(cert):
                continue
            missing = build_chain(pool, leaf=cert, at=ctx.now).missing_issuer
            if missing is not None:
                out.append(CHN_INCOMPLETE.finding(
                    f"The chain is incomplete: {missing.sentence}.",
                    fix="Add the missing CA certificate (ask the CA for its chain), as a FILE "
                        "or in the --trust list.", where=facts.name))
    return out


@check("expressway", "cucm", "imp")
def chain_not_checked(ctx: Context) -> list[Finding]:
    """One info finding when server certificates came with no CA certificate and no trust list
    (DESIGN.md lint contract): their chains are not judged, so say how to check them."""
    if not ctx.chain_unchecked:
        return []
    where = [f.name for f in ctx.product_files("expressway", "cucm", "imp") if f.certificates]
    if not where:
        return []
    return [CHN_NOT_CHECKED.finding(where=", ".join(dict.fromkeys(where)))]
