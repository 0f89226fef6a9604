"""The role catalogue: the certificates a product needs, the questions each asks, CN and SANs.

Everything about a role is data (the tables at the end of this module): fields, CN source, the
SAN parts in order, key types, digests, KU/EKU, file basename, multi-server capability and next
steps. The functions here read those tables:

* `get_role(id)`, `catalogue()`, `roles_for(product)`: the roles (IDs and field names are part of
  the CLI contract in DESIGN.md).
* `FieldSpec.check(text)`: validate one answer as it is typed; returns the reason, never raises.
* `preview(role, answers)`: the live CN / SAN preview from partial answers; never raises.
* `plan(role, answers, key=..., digest=...)`: every answer checked -> a `RolePlan` value, or an
  InputError with one sentence naming the field and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from collabcert import cms_install, names, rules
from collabcert.errors import InputError
from collabcert.findings import Finding, Severity
from collabcert.keys import KeySpec, parse_key_spec

Answer = str | Sequence[str]


class Kind(StrEnum):
    NAME = "name"  # one DNS name
    NAMES = "names"  # comma separated DNS names
    CHOICE = "choice"
    TEXT = "text"  # a subject attribute
    COUNTRY = "country"
    BASENAME = "basename"


@dataclass(frozen=True)
class NamePolicy:
    """How strict a product is about names. `refuse` fails the field; `warn` adds a finding."""

    product: str
    wildcard: str  # "refuse" | "warn" | "allow"
    single_label: str  # "refuse" | "warn"
    ip: bool = False  # IP addresses accepted (CMS SAN lists, seed-003 G10)
    cite: str = ""


@dataclass(frozen=True)
class FieldCheck:
    """One answer checked: the normalized value, or the reason it is refused, and any warnings."""

    field: str
    value: str | tuple[str, ...]
    error: str = ""
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class FieldSpec:
    """One question a role asks."""

    name: str
    label: str
    help: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str = ""
    aliases: tuple[tuple[str, str], ...] = ()  # typed value -> choice
    refused: tuple[tuple[str, str], ...] = ()  # choice value -> why it is refused
    policy: NamePolicy | None = None
    wildcard: str | None = None  # overrides the policy for this field
    ip: bool | None = None  # overrides the policy for this field
    fix: str = ""  # what to do, appended to a refusal
    max_len: int = 0
    group: str = "role"  # "role", "subject" or "file"
    depends_on: str = ""  # ask this only when that field has a value (a screen hides it)

    @property
    def is_list(self) -> bool:
        return self.kind is Kind.NAMES

    def applies(self, values: Mapping[str, object]) -> bool:
        """Whether a screen should ask this question, given the answers so far."""
        return not self.depends_on or bool(values.get(self.depends_on))

    def check(self, text: Answer) -> FieldCheck:
        """Validate one answer; the reason is one sentence naming the field."""
        checker = _CHECKERS[self.kind]
        return checker(self, text)

    def _refuse(self, what: str, fix: str = "") -> FieldCheck:
        hint = fix or self.fix
        message = f"{self.name}: {what}" + (f"; {hint}" if hint else "")
        return FieldCheck(self.name, (), error=message)


@dataclass(frozen=True)
class SanPart:
    """One source of SAN entries, in role table order. `prefix_by` names a choice field."""

    field: str
    prefix_by: str = ""
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Product:
    id: str
    label: str
    onbox: str  # "expressway", "cms" or "cucm": which on-box equivalent to render
    basename_pattern: str
    basename_rule: str


@dataclass(frozen=True)
class Role:
    id: str
    product: str
    title: str
    when: str
    fields: tuple[FieldSpec, ...]  # every field the role takes: its own, the subject, `name`
    cn_from: tuple[str, ...] = ("fqdn",)  # the first of these that is given
    fixed_cn: str = ""  # cms-db-client: always `postgres`
    san_parts: tuple[SanPart, ...] = ()
    has_san: bool = True
    key_algorithm: str = "any"  # "rsa", "ec" or "any" (seed-004 CU-P04)
    key_types: tuple[str, ...] = ()  # the menu; others of keys.py may still be accepted
    default_key: str = "rsa:2048"
    digests: tuple[str, ...] = ("sha256", "sha384", "sha512")  # never SHA-1 (seed-001 L330)
    default_digest: str = "sha256"
    key_usage: tuple[str, ...] = ("digital_signature", "key_encipherment")
    key_usage_ec: tuple[str, ...] | None = ("digital_signature",)  # None: same as key_usage
    eku: tuple[str, ...] = ("serverAuth", "clientAuth")
    ca_path_len: int | None = None  # request basicConstraints CA:TRUE with this pathlen (CAPF)
    basename: str = ""
    multi_server: bool | None = None  # CUCM / IM&P types only (seed-004 Tables 1 and 2)
    cucm_type: str = ""  # the Certificate Purpose name on CUCM / IM&P
    trust_store: str = ""
    rules: tuple[str, ...] = ()  # finding rules, by name (see _RULES)
    next_steps: tuple[str, ...] = ()
    cite: str = ""

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def role_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.group == "role")

    @property
    def product_label(self) -> str:
        return PRODUCTS[self.product].label

    def usage_for(self, spec: KeySpec) -> tuple[str, ...]:
        """The KeyUsage bits to request for this key type."""
        if spec.algorithm == "ec" and self.key_usage_ec is not None:
            return self.key_usage_ec
        return self.key_usage


@dataclass(frozen=True)
class Preview:
    """What a screen shows while answers are typed: never raises."""

    cn: str
    sans: tuple[str, ...]
    errors: dict[str, str]
    missing: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def text(self) -> str:
        return names.san_preview(self.sans)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.missing


@dataclass(frozen=True)
class RolePlan:
    """A role with validated answers: everything needed to build the key and the CSR."""

    role: Role
    answers: dict[str, str | tuple[str, ...]]
    cn: str
    sans: tuple[str, ...]
    subject: tuple[tuple[str, str], ...]  # (field, value): c, st, l, o, ou, cn
    findings: tuple[Finding, ...]
    key_spec: KeySpec
    digest: str
    basename: str

    @property
    def san_preview(self) -> str:
        return names.san_preview(self.sans)

    @property
    def subject_text(self) -> str:
        return ",".join(f"{k.upper()}={v}" for k, v in reversed(self.subject))

    def value(self, name: str) -> str | tuple[str, ...]:
        found = self.answers.get(name)
        if found is not None:
            return found
        spec = self.role.field(name)
        if spec is None:
            return ""
        return () if spec.is_list else spec.default

    @property
    def next_steps(self) -> tuple[str, ...]:
        values = {"name": self.basename, "cn": self.cn, "type": self.role.cucm_type,
                  "trust": self.role.trust_store}
        return tuple(step.format(**values) for step in self.role.next_steps)


# --- checking one answer ---------------------------------------------------------------------


def _as_text(text: Answer) -> str:
    return text if isinstance(text, str) else ",".join(text)


def _check_one_name(spec: FieldSpec, name: str) -> tuple[str, list[Finding]]:
    """('', findings) when `name` is acceptable, else (reason, [])."""
    policy = spec.policy or _POLICY_CUCM
    if "@" in name or name.lower().startswith("xmpp:"):
        return (f"{name!r} looks like an XMPP address; enter the domain only, in DNS format"
                f"{_XMPP_DNS_FORMAT.get(policy.product, '')}"), []
    ip_ok = policy.ip if spec.ip is None else spec.ip
    if names.is_ip(name):
        if ip_ok:
            return "", []
        return f"{name!r} is an IP address; enter a DNS name{_cite(policy)}", []
    wildcard = spec.wildcard or policy.wildcard
    if policy.product == "expressway":
        problem = names.fqdn_problem(name)
        return (f"{name!r} {problem}{_cite(policy)}" if problem else ""), []
    problem = names.dns_name_problem(name, allow_wildcard=wildcard != "refuse")
    if problem:
        return f"{name!r} {problem}", []
    found: list[Finding] = []
    if names.is_wildcard(name) and wildcard == "warn":
        found.append(rules.get("NAME-WILDCARD").finding(
            f"{spec.name}: {name} is a wildcard; {policy.product.upper()} may not accept "
            "wildcard certificates", fix="use the full names of the nodes", where=spec.name))
    if names.is_single_label(name.removeprefix("*.")):
        if policy.single_label == "refuse":
            return f"{name!r} is a single label (a host name), not an FQDN", []
        found.append(rules.get("NAME-SINGLE-LABEL").finding(
            f"{spec.name}: {name} is a host name, not an FQDN; public CAs refuse such names "
            "and clients may not match it", fix="use the fully qualified name", where=spec.name))
    return "", found


# Why a domain goes in as a DNS name, each product's screens citing that product's own document
# (issue 12 item 16); the CUCM guide says nothing of XMPP addresses, so it cites nothing.
_XMPP_DNS_FORMAT = {
    "expressway": " (the XMPPAddress format is not used, seed-001 L459)",
    "cms": " (the SAN holds the XMPP server's domain name, seed-003 L354)",
}


def _cite(policy: NamePolicy) -> str:
    return f" ({policy.cite})" if policy.cite else ""


def _check_name(spec: FieldSpec, text: Answer) -> FieldCheck:
    items = names.split_list(_as_text(text))
    if not items:
        return FieldCheck(spec.name, "")
    if len(items) > 1:
        return spec._refuse("takes one name, not a list", "enter a single name")
    reason, found = _check_one_name(spec, items[0])
    if reason:
        return spec._refuse(reason)
    return FieldCheck(spec.name, items[0], findings=tuple(found))


def _check_names(spec: FieldSpec, text: Answer) -> FieldCheck:
    items = names.split_list(text if isinstance(text, str) else list(text))
    found: list[Finding] = []
    for item in items:
        reason, more = _check_one_name(spec, item)
        if reason:
            return spec._refuse(reason)
        found.extend(more)
    return FieldCheck(spec.name, tuple(items), findings=tuple(found))


def _check_choice(spec: FieldSpec, text: Answer) -> FieldCheck:
    typed = _as_text(text).strip()
    if not typed:
        return FieldCheck(spec.name, "")
    key = typed.lower()
    key = dict(spec.aliases).get(key, key)
    refused = dict(spec.refused)
    if key in refused:
        return spec._refuse(f"{typed!r} {refused[key]}")
    if key not in spec.choices:
        return spec._refuse(f"{typed!r} is not offered", f"use one of {', '.join(spec.choices)}")
    return FieldCheck(spec.name, key)


def _check_text(spec: FieldSpec, text: Answer) -> FieldCheck:
    value = _as_text(text).strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return spec._refuse("contains a control character", "type plain text")
    if spec.max_len and len(value) > spec.max_len:
        return spec._refuse(f"is longer than {spec.max_len} characters", "shorten it")
    if '"' in value and spec.policy and spec.policy.product == "cms":
        # the `pki csr` line quotes multi-word values with "" (seed-003 G12): no quote inside
        return spec._refuse("contains a double quote, which the pki csr command cannot carry")
    return FieldCheck(spec.name, value)


def _check_country(spec: FieldSpec, text: Answer) -> FieldCheck:
    value = _as_text(text).strip()
    if not value:
        return FieldCheck(spec.name, "")
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        cms = spec.policy is not None and spec.policy.product == "cms"  # G15 is seed-003's
        return spec._refuse(f"{value!r} is not a two-letter country code",
                            "use the ISO 3166 code, for example GB or US"
                            + (" (seed-003 G15)" if cms else ""))
    return FieldCheck(spec.name, value.upper())


def _check_basename(spec: FieldSpec, text: Answer) -> FieldCheck:
    value = _as_text(text).strip()
    if not value:
        return FieldCheck(spec.name, "")
    product = PRODUCTS[spec.policy.product if spec.policy else "cucm"]
    if not re.fullmatch(product.basename_pattern, value):
        return spec._refuse(f"{value!r} is not a valid file basename", product.basename_rule)
    return FieldCheck(spec.name, value)


_CHECKERS: dict[Kind, Callable[[FieldSpec, Answer], FieldCheck]] = {
    Kind.NAME: _check_name,
    Kind.NAMES: _check_names,
    Kind.CHOICE: _check_choice,
    Kind.TEXT: _check_text,
    Kind.COUNTRY: _check_country,
    Kind.BASENAME: _check_basename,
}



# --- CN and SAN composition --------------------------------------------------------------------


def parent_domain(values: Mapping[str, str | tuple[str, ...]]) -> str:
    """The Parent Domain of a CUCM / IM and Presence CSR: as given, else the FQDN's domain."""
    given = values.get("parent-domain")
    if isinstance(given, str) and given:
        return given
    fqdn = values.get("fqdn")
    return fqdn.partition(".")[2] if isinstance(fqdn, str) else ""


def is_multi_server(role: Role, values: Mapping[str, object]) -> bool:
    """Distribution = Multi-server (SAN): other nodes were given for a multi-server type."""
    return bool(role.multi_server and values.get("multi-server-fqdns"))


def _with_parent_domain(role: Role, values: Mapping[str, str | tuple[str, ...]]):
    """A multi-server request always carries the parent domain (seed-000-002 L394-L398)."""
    if not is_multi_server(role, values) or not parent_domain(values):
        return values
    return {**values, "parent-domain": parent_domain(values)}


def compose_cn(role: Role, values: Mapping[str, str | tuple[str, ...]]) -> str:
    if role.fixed_cn:
        return role.fixed_cn
    fqdn = values.get("fqdn")
    if is_multi_server(role, values) and isinstance(fqdn, str) and fqdn:
        # the multi-server CN is <host>-ms.<parent domain>: cucm-ms.steven.lab for the nodes
        # cucm.steven.lab and cups.steven.lab (seed-000-002 L374)
        domain = parent_domain(values)
        host = fqdn.partition(".")[0]
        return f"{host}-ms.{domain}" if domain else f"{host}-ms"
    for name in role.cn_from:
        value = values.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def compose_sans(role: Role, values: Mapping[str, str | tuple[str, ...]]) -> list[str]:
    """CN first, then the parts in role table order; duplicates dropped, first kept (DESIGN.md)."""
    if not role.has_san:
        return []
    cn = compose_cn(role, values)
    values = _with_parent_domain(role, values)
    entries: list[str] = [cn] if cn else []
    for part in role.san_parts:
        value = values.get(part.field) or ()
        items = [value] if isinstance(value, str) else list(value)
        prefix = ""
        if part.prefix_by:
            spec = role.field(part.prefix_by)
            chosen = values.get(part.prefix_by) or (spec.default if spec else "")
            prefix = dict(part.prefixes).get(str(chosen), "")
        entries.extend(_prefixed(prefix, item) for item in items if item)
    return names.dedupe(entries)


def _prefixed(prefix: str, item: str) -> str:
    """`collab-edge.` + d, once: a domain typed with the prefix keeps one (ROLE-E-PREFIXED)."""
    if prefix and item.lower().startswith(prefix.lower()):
        return item
    return prefix + item


# --- answers -> preview or plan ------------------------------------------------------------------

_CN_FIELD_NAMES = ("cn", "common-name", "commonname", "fqdn", "subject-cn")


def normalize_field_name(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def _given(text: Answer | None) -> bool:
    if text is None:
        return False
    return bool(text.strip()) if isinstance(text, str) else any(str(t).strip() for t in text)


def field_refusal(role: Role, name: str) -> str:
    """Why a field name cannot be used with this role, or '' when it can."""
    if role.fixed_cn and name in _CN_FIELD_NAMES:
        return (f"{role.id}: the CN of the database client certificate is always "
                f"'{role.fixed_cn}' and cannot be set (seed-003 R12, L484); drop --field {name}")
    if name == "multi-server-fqdns" and role.multi_server is False:
        return (f"multi-server-fqdns: {role.id} ({role.cucm_type}) is not a multi-server "
                "certificate type, so it cannot list other nodes (seed-004 CU-X10); "
                "make one CSR per node")
    if role.field(name) is None:
        known = ", ".join(f.name for f in role.fields) or "none"
        return f"unknown field {name!r} for role {role.id}; its fields are: {known}"
    return ""


def check_answers(
    role: Role, answers: Mapping[str, Answer]
) -> tuple[dict[str, str | tuple[str, ...]], dict[str, str], list[Finding]]:
    """(valid values, field -> reason, findings) for the answers given; never raises."""
    values: dict[str, str | tuple[str, ...]] = {}
    errors: dict[str, str] = {}
    found: list[Finding] = []
    for raw_name, text in answers.items():
        name = normalize_field_name(raw_name)
        refusal = field_refusal(role, name)
        if refusal:
            errors[name] = refusal
            continue
        if not _given(text):
            continue
        spec = role.field(name)
        assert spec is not None
        result = spec.check(text)
        if result.ok:
            if result.value:
                values[name] = result.value
            found.extend(result.findings)
        else:
            errors[name] = result.error
    return values, errors, found


def _missing(role: Role, values: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(f.name for f in role.fields if f.required and not values.get(f.name))


def preview(role: Role | str, answers: Mapping[str, Answer]) -> Preview:
    """The live preview from partial answers: invalid answers are left out, never raised."""
    try:
        role = get_role(role) if isinstance(role, str) else role
    except InputError as exc:
        return Preview("", (), {"role": str(exc)}, (), ())
    values, errors, found = check_answers(role, answers)
    cn = compose_cn(role, values)
    sans = tuple(compose_sans(role, values))
    found.extend(_rule_findings(role, values, sans))
    return Preview(cn, sans, errors, _missing(role, values), tuple(found))


# The product's own word on weak digests (issue 12 item 16: its own document only).
_WEAK_DIGEST = {
    "": " and cannot be chosen on Expressway since X8.10 (seed-001 L330)",  # no role: as before
    "expressway": " and cannot be chosen on Expressway since X8.10 (seed-001 L330)",
    "cms": "; pki csr signs with SHA-256 (seed-003 G13)",
}


def parse_digest(text: str, role: Role | None = None) -> str:
    digest = text.strip().lower().replace("-", "")
    offered = role.digests if role else ("sha256", "sha384", "sha512")
    if digest in ("sha1", "md5", "md2", "md4", "sha224"):
        raise InputError(f"digest {text!r} is not offered: SHA-1 and MD5 are refused by the CAs"
                         f"{_WEAK_DIGEST.get(role.product if role else '', '')}; use sha256")
    if digest not in offered:
        raise InputError(f"digest {text!r} is not offered; use one of {', '.join(offered)}")
    return digest


def check_key_spec(role: Role, spec: KeySpec) -> list[Finding]:
    """Refuse a key type the role cannot take (seed-004 CU-P04); warn about unusual ones."""
    if role.key_algorithm == "ec" and spec.algorithm != "ec":
        raise InputError(f"{role.id} is an ECDSA certificate type and needs an EC key, not "
                         f"{spec.label} (seed-004 CU-P04); use --key ec:p256 or choose the role "
                         f"without -ecdsa")
    if role.key_algorithm == "rsa" and spec.algorithm != "rsa":
        hint = f" or choose {role.id}-ecdsa" if get_role_or_none(f"{role.id}-ecdsa") else ""
        raise InputError(f"{role.id} takes an RSA key, not {spec.label} (seed-004 CU-P04); use "
                         f"--key rsa:2048{hint}")
    rule = _KEY_RULES.get(role.product)
    return rule(spec) if rule else []


def _expressway_key(spec: KeySpec) -> list[Finding]:
    found = []
    if str(spec) not in EXPRESSWAY_KEYS:
        found.append(rules.get("KEY-SIZE").finding(
            f"{spec.label} is not among the Expressway key lengths (RSA 2048 or 4096, ECDSA "
            "256, 384 or 521)", fix="use rsa:2048 or rsa:4096"))
    if spec.algorithm == "ec":
        found.append(rules.get("KEY-ECDSA-VER").finding(
            "ECDSA server certificates need Expressway X14.3 or later",
            fix="use RSA on older releases"))
    return found


def _cms_key(spec: KeySpec) -> list[Finding]:
    if str(spec) == "rsa:2048":
        return []
    # seed-003 K02 (it was "K02" before: the same rule as lint's CMS-K02)
    return [rules.get("CMS-K02").finding(
        f"the Meeting Server guide shows only RSA 2048 keys; {spec.label} is not covered by it",
        fix="use rsa:2048 when unsure")]


_KEY_RULES: dict[str, Callable[[KeySpec], list[Finding]]] = {
    "expressway": _expressway_key,
    "cms": _cms_key,
}


def plan(
    role: Role | str,
    answers: Mapping[str, Answer],
    *,
    key: str | KeySpec | None = None,
    digest: str | None = None,
) -> RolePlan:
    """Check every answer and the key and digest choice; the first problem is an InputError."""
    role = get_role(role) if isinstance(role, str) else role
    values, errors, found = check_answers(role, answers)
    if errors:
        raise InputError(next(iter(errors.values())))
    missing = _missing(role, values)
    if missing:
        spec = role.field(missing[0])
        assert spec is not None
        raise InputError(f"{role.id} needs the field {spec.name} ({spec.label}); add "
                         f"--field {spec.name}=VALUE")
    spec_key = key if isinstance(key, KeySpec) else parse_key_spec(key or role.default_key)
    found.extend(check_key_spec(role, spec_key))
    chosen_digest = parse_digest(digest or role.default_digest, role)
    cn = compose_cn(role, values)
    if len(cn) > 64:
        raise InputError(f"the CN {cn!r} is longer than the 64 characters X.509 allows; "
                         "use a shorter name as the CN")
    sans = tuple(compose_sans(role, values))
    found.extend(_rule_findings(role, values, sans))
    subject = tuple((k, str(values[k])) for k in SUBJECT_ORDER if values.get(k)) + (("cn", cn),)
    basename = str(values.get("name") or role.basename)
    return RolePlan(role, values, cn, sans, subject, tuple(found), spec_key, chosen_digest,
                    basename)


SUBJECT_ORDER = ("c", "st", "l", "o", "ou")


# --- finding rules (named in the role tables) -----------------------------------------------------

Values = Mapping[str, str | tuple[str, ...]]


def _rule_private_domains(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    return [
        rules.get("ROLE-E-PRIVDOM").finding(
            f"ucm-domains: {d} looks like a private domain; only the edge domains need to "
            "be in the Expressway-E certificate", fix=f"drop {d} unless clients use it",
            where="ucm-domains")
        for d in values.get("ucm-domains", ()) if names.looks_private(d)
    ]


def _rule_prefixed_domains(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    if values.get("ucm-domain-format", "collab-edge") != "collab-edge":
        return []
    return [
        rules.get("ROLE-E-PREFIXED").finding(
            f"ucm-domains: {d} already starts with collab-edge.; the SAN gets {d} once, not "
            f"collab-edge.{d} (CollabEdgeDNS adds the prefix itself, seed-001 L455)",
            fix=f"on the Expressway page enter {d[len('collab-edge.'):]} with the "
            "CollabEdgeDNS format", where="ucm-domains")
        for d in values.get("ucm-domains", ()) if d.lower().startswith("collab-edge.")
    ]


def _rule_cluster(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    if not values.get("cluster-fqdn"):
        return []
    return [rules.get("PROC-PER-PEER").finding(
        "clustered: generate a separate key and CSR on each peer and upload each "
        "certificate only to its own peer")]


def _rule_chat_mirror(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    if not values.get("chat-aliases"):
        return []
    # lint's ROLE-CHAT-MISMATCH is the error of two certificates that differ; planning a CSR
    # it is only the reminder to keep them the same (seed-001 L433, L461)
    return [rules.get("ROLE-CHAT-MISMATCH").finding(
        "the Expressway-C and -E certificates must carry the same chat node aliases",
        fix="copy them from the Expressway-C Generate CSR page", where="chat-aliases",
        severity=Severity.INFO)]


def _rule_expressway_subject(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    absent = [k.upper() for k in ("o", "st", "c") if not values.get(k)]
    if not absent:
        return []
    return [rules.get("SUBJ-EXPRESSWAY").finding(
        f"the Expressway Generate CSR page requires {', '.join(absent)}; a CA may "
        "ask for them too", fix="give them with the o, st and c fields")]


def _rule_multisan(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    """Expressway roles only: ROLE-MULTISAN is seed-001's rule (L338), and a Meeting Server or
    CUCM screen cites its own product's documents (issue 12 item 16); those roles' next steps
    ask for the multi-SAN certificate with their own guide's reason (jobs/csr.py)."""
    if len(sans) <= 1:
        return []
    return [rules.get("ROLE-MULTISAN").finding(
        f"the CSR has {len(sans)} SANs: request a multi-domain (multi-SAN) "
        "certificate from the CA")]


def _rule_cucm_local(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    return [rules.get("CU-LOCAL-KEY").finding(
        f"CUCM and IM and Presence take no private key upload: a certificate issued "
        f"for this CSR cannot be installed as {role.cucm_type}",
        fix="for production generate the CSR on the node (OS Administration steps "
        "shown); use this one for labs and to check the profile")]


def _rule_capf(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    return [rules.get("CU-X12").finding(
        "CAPF: generate and upload the certificate on the first node (publisher) only")]


def _rule_trunk_lb(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    # seed-003 R09 is lint's error when the two share a key pair; planning the CSR nothing is
    # shared yet, so this is the reminder (info). It was "R09" before: the same rule.
    return [rules.get("CMS-R09").finding(
        "the trunk and the load balancer must never share a key and certificate; "
        "make a separate key for each", severity=Severity.INFO)]


def _rule_wildcard_cms(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    if not any(names.is_wildcard(s) for s in sans):
        return []
    return [rules.get("CMS-WILDCARD").finding(
        "a wildcard does not cover the bare domain: keep the domain itself in the SAN")]


_RULES: dict[str, Callable[[Role, Values, tuple[str, ...]], list[Finding]]] = {
    "private-domains": _rule_private_domains,
    "prefixed-domains": _rule_prefixed_domains,
    "cluster": _rule_cluster,
    "chat-mirror": _rule_chat_mirror,
    "expressway-subject": _rule_expressway_subject,
    "multisan": _rule_multisan,
    "cucm-local": _rule_cucm_local,
    "capf": _rule_capf,
    "trunk-lb": _rule_trunk_lb,
    "wildcard": _rule_wildcard_cms,
}


def _rule_findings(role: Role, values: Values, sans: tuple[str, ...]) -> list[Finding]:
    found: list[Finding] = []
    for rule in role.rules:
        found.extend(_RULES[rule](role, values, sans))
    return found


# --- lookup -------------------------------------------------------------------------------------


def catalogue() -> tuple[Role, ...]:
    return ROLES


def get_role_or_none(role_id: str) -> Role | None:
    return _BY_ID.get(role_id.strip().lower())


def get_role(role_id: str) -> Role:
    role = get_role_or_none(role_id)
    if role is None:
        raise InputError(f"unknown role {role_id!r}; `collabcert roles` lists them "
                         f"({', '.join(_BY_ID)})")
    return role


def roles_for(product: str) -> tuple[Role, ...]:
    return tuple(r for r in ROLES if r.product == product)


def products() -> tuple[Product, ...]:
    return tuple(PRODUCTS.values())


# ================================================================================================
# The tables.
# ================================================================================================

PRODUCTS: dict[str, Product] = {
    p.id: p
    for p in (
        Product("expressway", "Expressway", "expressway", r"[A-Za-z0-9_-][A-Za-z0-9._-]*",
                "use letters, digits, '.', '-' and '_'"),
        Product("cms", "Meeting Server (CMS)", "cms", r"[A-Za-z0-9_-]+",
                "use letters, digits, '-' and '_' only, no '.' (seed-003 G1, G2, G16)"),
        Product("cucm", "Unified CM (CUCM)", "cucm", r"[A-Za-z0-9_-][A-Za-z0-9._-]*",
                "use letters, digits, '.', '-' and '_'"),
        Product("imp", "IM and Presence", "cucm", r"[A-Za-z0-9_-][A-Za-z0-9._-]*",
                "use letters, digits, '.', '-' and '_'"),
    )
}

_POLICY_EXPRESSWAY = NamePolicy("expressway", wildcard="refuse", single_label="refuse",
                                cite="Expressway needs FQDNs, seed-001 G4-G6, L425")
_POLICY_CMS = NamePolicy("cms", wildcard="allow", single_label="warn", ip=False)
_POLICY_CUCM = NamePolicy("cucm", wildcard="warn", single_label="warn")
_POLICY_IMP = NamePolicy("imp", wildcard="warn", single_label="warn")
_POLICIES = {"expressway": _POLICY_EXPRESSWAY, "cms": _POLICY_CMS, "cucm": _POLICY_CUCM,
             "imp": _POLICY_IMP}

EXPRESSWAY_KEYS = ("rsa:2048", "rsa:4096", "ec:p256", "ec:p384", "ec:p521")  # seed-001 L315
ALL_KEYS = ("rsa:2048", "rsa:3072", "rsa:4096", "ec:p256", "ec:p384", "ec:p521")
RSA_KEYS = ("rsa:2048", "rsa:3072", "rsa:4096")
EC_KEYS = ("ec:p256", "ec:p384", "ec:p521")

def _field(name: str, label: str, help_text: str, kind: Kind = Kind.NAME, **extra) -> FieldSpec:
    return FieldSpec(name, label, help_text, kind, **extra)


def _subject_fields(product: str, basename: str) -> tuple[FieldSpec, ...]:
    policy = _POLICIES[product]
    cms = product == "cms"
    return (
        _field("o", "Organization (O)",
               "The legal name of the organization, with its suffix (Ltd., Inc., Corp.)."
               + (" Multi-word values are quoted in the pki csr line." if cms else ""),
               Kind.TEXT, max_len=64, policy=policy, group="subject"),
        _field("ou", "Organizational unit (OU)", "The department, for example IT. Optional.",
               Kind.TEXT, max_len=64, policy=policy, group="subject"),
        _field("l", "Locality (L)", "The city, for example Reading. Optional.",
               Kind.TEXT, max_len=128, policy=policy, group="subject"),
        _field("st", "State or province (ST)",
               "The full name, not abbreviated" + (" (seed-003 G15)." if cms else "."),
               Kind.TEXT, max_len=128, policy=policy, group="subject"),
        _field("c", "Country (C)", "The two-letter ISO country code, for example GB or US.",
               Kind.COUNTRY, policy=policy, group="subject"),
        _field("name", "File basename",
               f"The key is written as <name>.key and the CSR as <name>.csr (default {basename})."
               + (" Meeting Server basenames take letters, digits, '-' and '_' only, no '.' "
                  "(seed-003 G1, G2)." if cms else ""),
               Kind.BASENAME, default=basename, policy=policy, group="file"),
    )


def _role(
    role_id: str,
    product: str,
    title: str,
    when: str,
    fields: Iterable[FieldSpec],
    basename: str,
    **extra,
) -> Role:
    policy = _POLICIES[product]
    own = tuple(replace(f, policy=f.policy or policy) for f in fields)
    return Role(role_id, product, title, when, own + _subject_fields(product, basename),
                basename=basename, **extra)


# --- Expressway (seed-001 §1.0-§1.14) ------------------------------------------------------------

_EXP_FQDN = _field(
    "fqdn", "FQDN of this Expressway",
    "This peer's own FQDN: System > DNS, System host name plus Domain name. It is the CN on a "
    "standalone Expressway; in a cluster the SAN carries it next to the cluster FQDN "
    "(seed-001 G2, G3). Must be an FQDN: no IP, no single label, no wildcard.",
    required=True)
_EXP_CLUSTER = _field(
    "cluster-fqdn", "Cluster FQDN",
    "Only for a cluster peer: the cluster name (System > Clustering, Cluster name as an FQDN). It "
    "becomes the CN, and the SAN holds the cluster FQDN plus this peer's FQDN ('FQDN of "
    "Expressway cluster plus FQDN of this peer', seed-001 L468). Leave empty when standalone.")
_EXP_ADDITIONAL = _field(
    "additional-names", "Additional alternative names",
    "Other FQDNs this Expressway is known by, comma separated: the other cluster peers, "
    "Jabber Guest or B2B names. Same as 'Additional alternative names (comma separated)' on "
    "Maintenance > Security > Server certificate > Generate CSR.", Kind.NAMES)
_EXP_CHAT = _field(
    "chat-aliases", "IM and Presence chat node aliases",
    "Chat node aliases for federated group chat over TLS (IM and Presence > Messaging > Group "
    "Chat), comma separated, DNS format. Expressway-C and -E must carry the same set "
    "(seed-001 L429-L433, L461).", Kind.NAMES)
_EXP_PROFILES = _field(
    "phone-profiles", "Unified CM phone security profile names",
    "Names of the Unified CM phone security profiles with TLS that MRA devices use (System > "
    "Security > Phone Security Profile), comma separated. Since X12.6 each must be an FQDN, for "
    "example jabbersecureprofile.example.com (seed-001 L413-L421).", Kind.NAMES,
    fix="since X12.6 phone security profile names must be FQDNs (for example "
        "jabbersecureprofile.example.com): rename the profile in Unified CM "
        "(seed-001 ROLE-C-PROFILE-FQDN, L417-L421)")
_EXP_UCM_DOMAINS = _field(
    "ucm-domains", "Unified CM registration domains",
    "The domains configured on Expressway-C for MRA (Configuration > Domains); MRA clients look "
    "up _collab-edge SRV records in them. List only the public edge domains: a private domain "
    "such as corp.local is not needed (seed-001 L449-L453).", Kind.NAMES)
_EXP_UCM_FORMAT = _field(
    "ucm-domain-format", "Registration domain format",
    "collab-edge (CollabEdgeDNS on the Expressway page): each domain d is added as "
    "collab-edge.<d>, recommended when the domain itself should not be a SAN. dns: each "
    "domain is added as it is (seed-001 L455).", Kind.CHOICE,
    choices=("collab-edge", "dns"), default="collab-edge", depends_on="ucm-domains",
    aliases=(("collabedgedns", "collab-edge"), ("collabedge", "collab-edge"),
             ("collab-edge-dns", "collab-edge")))
_EXP_XMPP_DOMAINS = _field(
    "xmpp-domains", "XMPP federation domains",
    "Domains used for XMPP federation, configured on IM and Presence and on Expressway-C, "
    "comma separated, DNS format (seed-001 L457-L459).", Kind.NAMES)
_EXP_XMPP_FORMAT = _field(
    "xmpp-domain-format", "XMPP federation domain format",
    "Only dns: the XMPPAddress format must not be used, CAs may not support it and it may be "
    "removed (seed-001 L459).", Kind.CHOICE, choices=("dns",), default="dns",
    depends_on="xmpp-domains",
    refused=(("xmppaddress", "must not be used: CAs may not support it and it may be removed "
              "(seed-001 L459); use dns"),))

_EXP_NEXT = (
    "Send {name}.csr to the CA and ask for a multi-domain (multi-SAN) certificate with "
    "TLS Web Server and TLS Web Client Authentication (seed-001 G9, G10).",
    "On the Expressway: Maintenance > Security > Trusted CA certificate: append the CA "
    "certificates first (seed-001 L867).",
    "Then Maintenance > Security > Server certificate: upload the signed certificate (PEM) and "
    "{name}.key as the server private key; the key must not be password protected "
    "(seed-001 F5, F6).",
    "Restart the Expressway for the new certificate to take effect (one peer at a time in a "
    "cluster, seed-001 L405).",
)


# --- CMS (seed-003 §1.2, §1.5) -------------------------------------------------------------------

def _cms_fqdn(help_text: str, label: str = "FQDN", name: str = "fqdn") -> FieldSpec:
    return _field(name, label, help_text, required=True)


def _cms_names(name: str, label: str, help_text: str, required: bool = False) -> FieldSpec:
    return _field(name, label, help_text, Kind.NAMES, required=required, ip=True)


_CMS_ADDITIONAL = _cms_names(
    "additional-names", "Additional names",
    "Other names for the SAN, comma separated: DNS names, wildcards (*.example.com) or IP "
    "addresses (seed-003 G10, G11). The CN is added first automatically.")

_CMS_NEXT_BUNDLE = (
    "Send {name}.csr to the CA; keep {name}.key unencrypted (pki unlock otherwise, "
    "seed-003 G18).",
    "SFTP {name}.key, the signed {name}.crt and {name}bundle.crt (issuer first, root last) to "
    "the MMP (seed-003 §2.2).",
)


def _cms_install(component: str, bundle: str = "{name}bundle.crt",
                 send: tuple[str, ...] = _CMS_NEXT_BUNDLE) -> tuple[str, ...]:
    """The send steps, then the component's own MMP commands (collabcert.cms_install)."""
    return send + tuple(cms_install.install_steps(component, "{name}.key", "{name}.crt", bundle))


_CMS_INTERNAL = ("Send {name}.csr to the internal CA (seed-003 L444).",)
_CMS_INTERNAL_BUNDLE = ("Send {name}.csr to the internal (local) CA (seed-003 L241); keep "
                        "{name}.key unencrypted.",) + _CMS_NEXT_BUNDLE[1:]
_CMS_DB_SEND = ("Have every database certificate signed by the same internal CA "
                "(seed-003 L1489); self-signed is not allowed.",)


# --- CUCM and IM and Presence (seed-004 §1.1-§1.6) ------------------------------------------------

_KU_TABLE = ("digital_signature", "key_encipherment", "data_encipherment")
_KU_CAPF = ("digital_signature", "key_encipherment", "key_cert_sign")
_KU_CUP = ("digital_signature", "key_encipherment", "data_encipherment", "key_agreement")
_EKU_TLS = ("serverAuth", "clientAuth")
_EKU_IPSEC = ("serverAuth", "clientAuth", "ipsecEndSystem")


def _ec_usage(table: tuple[str, ...]) -> tuple[str, ...]:
    """The KeyUsage an EC key may carry of its Table 1/2 row: RFC 5480 §3 forbids
    keyEncipherment and dataEncipherment for ECDSA keys, so an -ECDSA CSR asks for
    digitalSignature, plus keyAgreement where the row has it (the cup* rows, seed-004 L115-117).
    Lint still compares against the table and reports the missing KE/DE as INFO (CU-X05, AT09)."""
    return tuple(b for b in table if b in ("digital_signature", "key_agreement"))


# The multi-server CN <host>-ms.<parent domain> and its SAN (every node and the parent domain)
# are what a cluster's certificate shows in an Expressway-C capture (seed-000-002 002 L374,
# L394-L398); the CUCM guide itself does not describe the Generate CSR dialog (seed-004 CSR9).
# A CUCM screen cites the CUCM guide only (issue 12 item 16), so it says that.
_NOT_IN_GUIDE = "seen on clusters; seed-004 CSR9 does not describe it"  # reads in plain words too


def _cucm_fields(multi_server: bool, product: str, tomcat: bool) -> tuple[FieldSpec, ...]:
    node = "IM and Presence" if product == "imp" else "Unified CM"
    own = [_field("fqdn", f"FQDN of this {node} node",
                  "The node's FQDN as in System > Server. For a multi-server certificate, the "
                  "node where the CSR is generated (the publisher); the CN is then "
                  f"<host>-ms.<parent domain> ({_NOT_IN_GUIDE}).",
                  required=True)]
    if multi_server:  # not "§9": that is the requirement file's EXTERNAL context, not the guide's
        own.append(_field(
            "multi-server-fqdns", "Other cluster nodes (multi-server)",
            "The FQDNs of the other nodes this one certificate covers, comma separated: the "
            "Distribution = Multi-server (SAN) choice of the Generate CSR dialog "
            "(seed-004 Tables 1 and 2). The CN becomes <host>-ms.<parent domain> and the "
            f"SAN holds every node and the parent domain ({_NOT_IN_GUIDE}).",
            Kind.NAMES))
    own.append(_field(
        "parent-domain", "Parent domain",
        "The Parent Domain of the Generate CSR dialog, for example steven.lab; empty: the "
        "domain of the FQDN. A multi-server certificate always carries it in the SAN "
        f"({_NOT_IN_GUIDE}); a single-node one when you give it.", wildcard="refuse"))
    extra = (" Tomcat: every address the node is announced by (System > Server), an IP "
             "address too, because Expressway-C connects to that address and checks it "
             "(seed-000-002 L546, L610, L646)." if tomcat else "")
    own.append(_field(
        "additional-names", "Additional names",
        "Other names for the SAN, comma separated." + extra, Kind.NAMES,
        ip=True if tomcat else None))
    return tuple(own)


def _cucm_next(product: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The main path is the CSR generated on the node (seed-004 CU-LOCAL-KEY): the node keeps
    its key, so a certificate for the key written here could never be installed."""
    admin = ("Cisco Unified IM and Presence OS Administration" if product == "imp"
             else "Cisco Unified OS Administration")  # IM&P has its own (seed-004 L423)
    return (
        f"On the node: {admin} > Security > Certificate Management > Generate CSR with the "
        "values of the on-node plan (Certificate Purpose {type}, Common Name "
        "{cn}), then Download CSR (seed-004 CSR1, CSR5). This is the main path: CUCM and IM "
        "and Presence take no private key upload (seed-004 CU-LOCAL-KEY).",
        "Send that CSR to the CA; the CA must copy the requested X.509 extensions into the "
        "certificate (seed-004 L67).",
        "Import what the CA sends back (collabcert Import, or collabcert bundle --target cucm "
        f"--type {{type}}), then {admin} > Security > Certificate Management > Upload "
        "Certificate/Certificate chain: the root CA to {trust}, then each intermediate to "
        "{trust}, then the signed certificate to {type} (seed-004 AT02, L150).",
        "{name}.key and {name}.csr written here are for a lab or to check the profile "
        "(KU/EKU, SANs) only: a certificate issued for them cannot be installed on the node "
        "(seed-004 CU-LOCAL-KEY).",
    ) + extra


def _cucm_role(
    role_id: str,
    product: str,
    cucm_type: str,
    title: str,
    when: str,
    *,
    multi_server: bool,
    ec: bool,
    ku: tuple[str, ...],
    eku: tuple[str, ...],
    trust: str,
    extra_steps: tuple[str, ...] = (),
    rules: tuple[str, ...] = (),
    ca_path_len: int | None = None,
) -> Role:
    parts = [SanPart("fqdn")]
    if multi_server:
        parts.append(SanPart("multi-server-fqdns"))
    parts += [SanPart("parent-domain"), SanPart("additional-names")]
    tomcat = cucm_type.startswith("tomcat")
    return _role(
        role_id, product, title, when, _cucm_fields(multi_server, product, tomcat),
        role_id.split("-", 1)[1], san_parts=tuple(parts),
        key_algorithm="ec" if ec else "rsa", key_types=EC_KEYS if ec else RSA_KEYS,
        default_key="ec:p256" if ec else "rsa:2048", key_usage=ku,
        key_usage_ec=_ec_usage(ku) if ec else None, eku=eku,
        multi_server=multi_server, cucm_type=cucm_type, trust_store=trust,
        ca_path_len=ca_path_len, rules=("cucm-local",) + rules,
        next_steps=_cucm_next(product, extra_steps),
        cite="seed-004 Tables 1 and 2 (L101-L119)",
    )


_TOMCAT_STEPS = ("Restart Cisco Tomcat, then disable and enable the TFTP service "
                 "(seed-004 CU-N02, L166).",
                 "Every address the node is announced by (System > Server: its FQDN, or an IP "
                 "address) must be in this certificate: Expressway-C connects to that address "
                 "and checks it, an IP address too (seed-000-002 L546, L610, L646). With an IP "
                 "there, add it under additional-names or change System > Server to the FQDN.")
_CM_STEPS = ("Update the CTL file / re-run the CTL client if one is configured "
             "(seed-004 CU-N04).",)
# Table 3 (seed-004 L235): CAPF has no related service to restart ("該当なし")
_CAPF_STEPS = ("No service restart: Table 3 lists none for CAPF (seed-004 L235). Update the CTL "
               "file / re-run the CTL client if one is configured (seed-004 CU-N04).",
               "Phones reset by themselves after a CAPF change unless the enterprise parameter "
               "Phone Interaction on Certificate Update says otherwise (seed-004 CU-N06, L240).")


ROLES: tuple[Role, ...] = (
    _role(
        "expressway-c", "expressway", "Expressway-C server certificate",
        "The Expressway-C (inside) server certificate: MRA, XMPP federation, Jabber Guest, B2B.",
        (_EXP_FQDN, _EXP_CLUSTER, _EXP_ADDITIONAL, _EXP_CHAT, _EXP_PROFILES),
        "expressway-c",
        cn_from=("cluster-fqdn", "fqdn"),
        san_parts=(SanPart("fqdn"), SanPart("cluster-fqdn"), SanPart("additional-names"),
                   SanPart("chat-aliases"), SanPart("phone-profiles")),
        key_types=EXPRESSWAY_KEYS, rules=("cluster", "chat-mirror", "expressway-subject",
                                          "multisan"),
        next_steps=_EXP_NEXT, cite="seed-001 §1.4, §1.14",
    ),
    _role(
        "expressway-e", "expressway", "Expressway-E server certificate",
        "The Expressway-E (edge) server certificate: MRA edge, XMPP federation, B2B, ACME.",
        (_EXP_FQDN, _EXP_CLUSTER, _EXP_ADDITIONAL, _EXP_UCM_DOMAINS, _EXP_UCM_FORMAT,
         _EXP_XMPP_DOMAINS, _EXP_XMPP_FORMAT, _EXP_CHAT),
        "expressway-e",
        cn_from=("cluster-fqdn", "fqdn"),
        san_parts=(SanPart("fqdn"), SanPart("cluster-fqdn"), SanPart("additional-names"),
                   SanPart("ucm-domains", "ucm-domain-format",
                           (("collab-edge", "collab-edge."), ("dns", ""))),
                   SanPart("xmpp-domains"), SanPart("chat-aliases")),
        key_types=EXPRESSWAY_KEYS,
        rules=("cluster", "private-domains", "prefixed-domains", "chat-mirror",
               "expressway-subject", "multisan"),
        next_steps=_EXP_NEXT, cite="seed-001 §1.5, §1.14",
    ),
    _role(
        "cms-webbridge", "cms", "Web Bridge",
        "Web Bridge for WebRTC guests; a public CA when browsers must trust it.",
        (_cms_fqdn("The FQDN in the Web Bridge DNS A record (the CN browsers check, seed-003 "
                   "R-WB). Wildcards are accepted on Meeting Server."), _CMS_ADDITIONAL),
        "webbridge", san_parts=(SanPart("additional-names"),), key_types=ALL_KEYS,
        rules=("wildcard",),
        next_steps=_cms_install("webbridge"),
        cite="seed-003 R-WB",
    ),
    _role(
        "cms-xmpp", "cms", "XMPP server",
        "XMPP server for the native Cisco Meeting Apps; the SAN must carry the XMPP domain.",
        (_cms_fqdn("The FQDN of the XMPP server: the target of the XMPP DNS SRV record, for "
                   "example xmpp.example.com (seed-003 R-XMPP).", "XMPP server FQDN (SRV target)"),
         _field("xmpp-domain", "XMPP domain",
                "The XMPP domain of the users (firstname.surname@example.com -> example.com); "
                "native apps read it from the SAN (seed-003 L354, L419).", required=True,
                wildcard="refuse")),
        "xmppserver", san_parts=(SanPart("xmpp-domain"),), key_types=ALL_KEYS,
        rules=("wildcard",), next_steps=_cms_install("xmpp"),
        cite="seed-003 R-XMPP, AT03",
    ),
    _role(
        "cms-callbridge", "cms", "Call Bridge",
        "Call Bridge: SIP TLS to call control, the Web Bridge link, Lync federation.",
        (_cms_fqdn("The Call Bridge FQDN; for Lync, the FQDN added on the Lync Front End as the "
                   "trusted application and static route (seed-003 R-CB, L1005)."),
         _CMS_ADDITIONAL),
        "callbridge", san_parts=(SanPart("additional-names"),), key_types=ALL_KEYS,
        rules=("wildcard",),
        next_steps=_cms_install("callbridge"),
        cite="seed-003 R-CB",
    ),
    _role(
        "cms-turn", "cms", "TURN server",
        "TURN server with TLS; signed by the same CA as the Web Bridge certificate.",
        (_cms_fqdn("The TURN server FQDN (seed-003 R-TURN)."), _CMS_ADDITIONAL),
        "turnserver", san_parts=(SanPart("additional-names"),), key_types=ALL_KEYS,
        rules=("wildcard",),
        next_steps=("Have it signed by the same CA as the Web Bridge certificate "
                    "(seed-003 R05).",) + _cms_install("turn"),
        cite="seed-003 R-TURN",
    ),
    _role(
        "cms-shared", "cms", "Shared certificate (several components)",
        "One certificate for Web Bridge, XMPP, Call Bridge and TURN: CN is the domain.",
        (_field("domain", "Domain", "The domain name (the CN of a shared certificate, "
                "seed-003 L355).", required=True, wildcard="refuse"),
         _cms_names("component-fqdns", "Component FQDNs",
                    "The FQDN of every component that uses this certificate, comma separated "
                    "(for example callbridge1.example.com,xmppserver.example.com).",
                    required=True)),
        "one-cert", cn_from=("domain",), san_parts=(SanPart("component-fqdns"),),
        key_types=ALL_KEYS, rules=("wildcard",),
        next_steps=_CMS_NEXT_BUNDLE + (
            "Install the same {name}.key and {name}.crt with the certs command of each "
            "component (webbridge, xmpp, callbridge, turn) (seed-003 R-SHARED):",)
        + tuple(cms_install.shared_steps("{name}.key", "{name}.crt", "{name}bundle.crt")),
        cite="seed-003 R-SHARED, AT06",
    ),
    _role(
        "cms-trunk", "cms", "Trunk (Core server)",
        "Core server trunk toward an Edge load balancer in a split deployment.",
        (_cms_fqdn("The FQDN of this Core server."),),
        "trunk", key_types=ALL_KEYS, rules=("trunk-lb",),
        next_steps=_cms_install("trunk", send=_CMS_INTERNAL),
        cite="seed-003 R-TRUNK",
    ),
    _role(
        "cms-loadbalancer", "cms", "Load balancer (Edge server)",
        "Edge load balancer in a split deployment; its own key, never the trunk's.",
        (_cms_fqdn("The FQDN of this Edge server."),),
        "loadbalancer", key_types=ALL_KEYS, rules=("trunk-lb",),
        next_steps=_cms_install("loadbalancer", send=_CMS_INTERNAL),
        cite="seed-003 R-LB",
    ),
    _role(
        "cms-db-server", "cms", "Database cluster server",
        "Database clustering: the server certificate, one for all DB nodes or one per node.",
        (_cms_fqdn("The FQDN of one database node (the CN, seed-003 R-DBS)."),
         _cms_names("other-fqdns", "Other database nodes",
                    "The FQDNs of the other database nodes sharing this certificate, comma "
                    "separated (seed-003 L474).")),
        "dbcluster_server", san_parts=(SanPart("other-fqdns"),), key_types=ALL_KEYS,
        eku=("serverAuth",), rules=(),
        next_steps=_cms_install("dbserver", bundle="", send=_CMS_DB_SEND),
        cite="seed-003 R-DBS, R13",
    ),
    _role(
        "cms-db-client", "cms", "Database cluster client",
        "Database clustering: the client certificate; its CN is always postgres.",
        (), "dbcluster_client", fixed_cn="postgres", cn_from=(), has_san=False,
        key_types=ALL_KEYS, eku=("clientAuth",),
        next_steps=_cms_install("dbclient", bundle="", send=(
            "Have it signed by the same internal CA as the database server certificate "
            "(seed-003 L1489).",)),
        cite="seed-003 R-DBC, R12, R14",
    ),
    _role(
        "cms-webadmin", "cms", "Web Admin (and API)",
        "The Web Admin interface and the API over HTTPS; an internal CA is fine.",
        (_cms_fqdn("The FQDN used to reach the Web Admin."),),
        "webadmin", key_types=ALL_KEYS,
        next_steps=_cms_install("webadmin"),
        cite="seed-003 R-WEBADMIN",
    ),
    # seed-003 L241, L271-272 (R-REC, R-STREAM): local-CA-signed; the Call Bridge asks for
    # their certificate and they trust the Call Bridge's. CN/SAN rules are in the deployment
    # guide, not the seed: the FQDN the Call Bridge reaches them by, as for the other servers.
    _role(
        "cms-recorder", "cms", "Recorder",
        "The Meeting Server recorder: the Call Bridge asks for its certificate; internal CA.",
        (_cms_fqdn("The FQDN the Call Bridge reaches the recorder by (seed-003 L271)."),
         _CMS_ADDITIONAL),
        "recorder", san_parts=(SanPart("additional-names"),), key_types=ALL_KEYS,
        rules=("wildcard",),
        next_steps=_cms_install("recorder", send=_CMS_INTERNAL_BUNDLE),
        cite="seed-003 R-REC (L241, L271)",
    ),
    _role(
        "cms-streamer", "cms", "Streamer",
        "The Meeting Server streamer: the Call Bridge asks for its certificate; internal CA.",
        (_cms_fqdn("The FQDN the Call Bridge reaches the streamer by (seed-003 L272)."),
         _CMS_ADDITIONAL),
        "streamer", san_parts=(SanPart("additional-names"),), key_types=ALL_KEYS,
        rules=("wildcard",),
        next_steps=_cms_install("streamer", send=_CMS_INTERNAL_BUNDLE),
        cite="seed-003 R-STREAM (L241, L272)",
    ),
    _cucm_role("cucm-tomcat", "cucm", "tomcat", "Tomcat (CUCM or IM and Presence), RSA",
               "Web services, DRF and SIP OAuth on CUCM or IM and Presence; RSA key.",
               multi_server=True, ec=False, ku=_KU_TABLE, eku=_EKU_TLS, trust="tomcat-trust",
               extra_steps=_TOMCAT_STEPS),
    _cucm_role("cucm-tomcat-ecdsa", "cucm", "tomcat-ECDSA",
               "Tomcat-ECDSA (CUCM or IM and Presence)",
               "The EC-based Tomcat certificate; enable the EC HTTPS ciphers to use it.",
               multi_server=True, ec=True, ku=_KU_TABLE, eku=_EKU_TLS, trust="tomcat-trust",
               extra_steps=_TOMCAT_STEPS + (
                   "Enable the EC ciphers (enterprise parameter HTTPS Ciphers) and restart Cisco "
                   "Tomcat on all nodes (seed-004 CU-N03).",)),
    _cucm_role("cucm-callmanager", "cucm", "CallManager", "CallManager, RSA",
               "SIP, SIP trunks, SCCP and TFTP on Unified CM; RSA key.",
               multi_server=True, ec=False, ku=_KU_TABLE, eku=_EKU_TLS,
               trust="CallManager-trust", extra_steps=_CM_STEPS),
    _cucm_role("cucm-callmanager-ecdsa", "cucm", "CallManager-ECDSA", "CallManager-ECDSA",
               "The EC-based CallManager certificate for SIP and SCCP TLS.",
               multi_server=True, ec=True, ku=_KU_TABLE, eku=_EKU_TLS,
               trust="CallManager-trust",
               extra_steps=("Restart the Cisco CallManager service (seed-004 CU-N07).",)),
    _cucm_role("cucm-capf", "cucm", "CAPF", "CAPF (publisher only)",
               "Certificate Authority Proxy Function on the publisher: issues phone LSCs.",
               multi_server=False, ec=False, ku=_KU_CAPF, eku=("serverAuth",),
               trust="CallManager-trust", extra_steps=_CAPF_STEPS, rules=("capf",),
               # keyCertSign stays (seed-004 L71 "証明書署名", Table 1 L106 KCS = Y): the CAPF
               # issues the phones' LSCs (L235), so it is a CA, and RFC 5280 §4.2.1.9 allows
               # keyCertSign only with basicConstraints CA:TRUE. The CSR asks for CA:TRUE,
               # pathlen:0 (it signs end entities only), as the 14SU2 guide requires
               # (seed-004 §9 L557, L561).
               ca_path_len=0),
    _cucm_role("cucm-tvs", "cucm", "TVS", "TVS (Trust Verification Service)",
               "Trust Verification Service: the phones' check when server certificates change.",
               multi_server=True, ec=False, ku=_KU_TABLE, eku=_EKU_TLS, trust="TVS-trust",
               extra_steps=("Phones reset after a TVS change by default (seed-004 CU-N06).",)),
    _cucm_role("cucm-ipsec", "cucm", "ipsec", "IPsec",
               "IPsec between nodes and gateways; one node per certificate.",
               multi_server=False, ec=False, ku=_KU_TABLE, eku=_EKU_IPSEC, trust="ipsec-trust"),
    _cucm_role("imp-cup", "imp", "cup", "cup (IM and Presence SIP proxy), RSA",
               "The IM and Presence cup certificate (SIP proxy); one node per certificate.",
               multi_server=False, ec=False, ku=_KU_CUP, eku=_EKU_IPSEC, trust="cup-trust"),
    _cucm_role("imp-cup-ecdsa", "imp", "cup-ECDSA", "cup-ECDSA",
               "The EC-based cup certificate; one node per certificate.",
               multi_server=False, ec=True, ku=_KU_CUP, eku=_EKU_IPSEC, trust="cup-trust"),
    _cucm_role("imp-cup-xmpp", "imp", "cup-xmpp", "cup-xmpp (XMPP client), RSA",
               "XMPP for Jabber clients on IM and Presence; multi-server capable.",
               multi_server=True, ec=False, ku=_KU_CUP, eku=_EKU_IPSEC, trust="cup-xmpp-trust"),
    _cucm_role("imp-cup-xmpp-ecdsa", "imp", "cup-xmpp-ECDSA", "cup-xmpp-ECDSA",
               "The EC-based cup-xmpp certificate; multi-server capable.",
               multi_server=True, ec=True, ku=_KU_CUP, eku=_EKU_IPSEC, trust="cup-xmpp-trust"),
    _cucm_role("imp-cup-xmpp-s2s", "imp", "cup-xmpp-s2s", "cup-xmpp-s2s (XMPP federation), RSA",
               "XMPP server-to-server federation on IM and Presence; multi-server capable.",
               multi_server=True, ec=False, ku=_KU_CUP, eku=_EKU_IPSEC, trust="cup-xmpp-trust"),
    _cucm_role("imp-cup-xmpp-s2s-ecdsa", "imp", "cup-xmpp-s2s-ECDSA", "cup-xmpp-s2s-ECDSA",
               "The EC-based cup-xmpp-s2s certificate; multi-server capable.",
               multi_server=True, ec=True, ku=_KU_CUP, eku=_EKU_IPSEC, trust="cup-xmpp-trust"),
)

_BY_ID: dict[str, Role] = {r.id: r for r in ROLES}
