"""The on-box equivalent of a role plan: what to type on the product to get the same CSR.

* Meeting Server: one MMP line `pki csr <basename> CN:<cn> [O:"..."] [subjectAltName:a,b]`
  (seed-003 G1, G7, G8, G12: no CN inside the SAN list, no spaces after commas, multi-word
  values quoted).
* Expressway: an OpenSSL config with `[v3_req]` `extendedKeyUsage = serverAuth, clientAuth` and
  `subjectAltName = DNS:a,DNS:b` (seed-001 §3.2), plus the Generate CSR page values to type.
* CUCM / IM and Presence: the OS Administration steps and the Distribution choice (seed-004 §1.5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from collabcert import names, roles
from collabcert.roles import PRODUCTS, RolePlan

_MMP_PLAIN = re.compile(r"[A-Za-z0-9._@*:/+=-]+")
_OPENSSL_KU = {
    "digital_signature": "digitalSignature",
    "content_commitment": "nonRepudiation",
    "key_encipherment": "keyEncipherment",
    "data_encipherment": "dataEncipherment",
    "key_agreement": "keyAgreement",
    "key_cert_sign": "keyCertSign",
    "crl_sign": "cRLSign",
}
_CURVE_NAMES = {"p256": "P-256", "p384": "P-384", "p521": "P-521"}
_DIGEST_LABELS = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}


@dataclass(frozen=True)
class OnBox:
    """What to do on the product itself; `text` is the whole of it for a terminal."""

    kind: str  # "cms", "expressway" or "cucm"
    title: str
    command: str  # the line to type ('' for CUCM, where it is a dialog)
    config: str = ""  # Expressway: the OpenSSL config file
    fields: tuple[tuple[str, str], ...] = ()  # UI field -> value to type
    steps: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        lines = [self.title]
        lines.extend(f"  {step}" for step in self.steps)
        if self.fields:
            width = max(len(label) for label, _ in self.fields)
            lines.extend(f"  {label.ljust(width)}  {value or '(leave empty)'}"
                         for label, value in self.fields)
        if self.config:
            lines.append("")
            lines.extend(self.config.rstrip("\n").splitlines())
        if self.command:
            lines.append("")
            lines.append(self.command)
        return "\n".join(lines)


def onbox_for(plan: RolePlan) -> OnBox:
    kind = PRODUCTS[plan.role.product].onbox
    return {"cms": _cms, "expressway": _expressway, "cucm": _cucm}[kind](plan)


# --- Meeting Server ------------------------------------------------------------------------------


def mmp_value(value: str) -> str:
    """A `pki csr` attribute value: quoted when it holds more than one word (seed-003 G12)."""
    return value if _MMP_PLAIN.fullmatch(value) else f'"{value}"'


def sans_without_cn(plan: RolePlan) -> list[str]:
    """`pki csr` adds the CN itself when a SAN list is given, so it is left out (seed-003 G8)."""
    return [s for s in plan.sans if s.lower() != plan.cn.lower()]


def cms_pki_csr(plan: RolePlan) -> str:
    parts = ["pki", "csr", plan.basename, f"CN:{mmp_value(plan.cn)}"]
    values = dict(plan.subject)
    # the order of the Appendix C example (seed-003 L1639): OU, O, L, ST, C
    for key in ("ou", "o", "l", "st", "c"):
        if values.get(key):
            parts.append(f"{key.upper()}:{mmp_value(values[key])}")
    rest = sans_without_cn(plan)
    if rest:
        parts.append("subjectAltName:" + ",".join(rest))  # no spaces (seed-003 G7)
    return " ".join(parts)


def cms_notes(plan: RolePlan) -> tuple[str, ...]:
    """What the `pki csr` line cannot do the same way as this CSR (seed-003 L329, L394, L424)."""
    notes = []
    if plan.sans and not sans_without_cn(plan):
        # pki adds the CN to the SAN only when a SAN list is given (L424); with none the CSR
        # has no SAN at all, and L394 wants the CN in it. The line above keeps the contract's
        # form (no CN in the list); this says what to append.
        notes.append(f"With no SAN list pki csr makes a CSR without any SAN (seed-003 L394, "
                     f"L424): append subjectAltName:{plan.cn} to the line to get the SAN this "
                     "CSR has.")
    if str(plan.key_spec) != "rsa:2048":
        notes.append(f"pki csr has no key type option (seed-003 L329): it makes its own key, "
                     f"not {plan.key_spec.label}; for {plan.key_spec.label} use the key and "
                     "CSR written here.")
    return tuple(notes)


def _cms(plan: RolePlan) -> OnBox:
    return OnBox(
        "cms", "On the Meeting Server MMP (SSH), a new key and a CSR with the same names:",
        cms_pki_csr(plan),
        steps=(f"This writes {plan.basename}.key and {plan.basename}.csr on the MMP; fetch the "
               "CSR with SFTP (seed-003 G1).",) + cms_notes(plan),
    )


# --- Expressway ----------------------------------------------------------------------------------


def openssl_san_line(plan: RolePlan) -> str:
    """`subjectAltName = DNS:a,DNS:b`: the same names in the same order as the CSR."""
    return "subjectAltName = " + ",".join(f"{names.san_kind(n)}:{n}" for n in plan.sans)


def _openssl_value(value: str) -> str:
    """A value as OpenSSL's config parser (conf_def.c) reads it back byte for byte.

    '#' starts a comment, '$' expands a variable, '"', "'" and '`' open a quoted run and '\\'
    escapes the next character, so each of those is backslash-escaped. The parser trims the
    whitespace around a value, even an escaped trailing space, so a value that starts or ends in
    whitespace is quoted whole (escapes still apply inside the quotes). Everything else (',', '+',
    '=', UTF-8 with `utf8 = yes`) is taken literally.
    """
    escaped = re.sub(r"([\\\"'`#$])", r"\\\1", value)
    return f'"{escaped}"' if value != value.strip() else escaped


def _newkey(plan: RolePlan) -> str:
    spec = plan.key_spec
    if spec.algorithm == "rsa":
        return f"-newkey rsa:{spec.size}"
    return f"-newkey ec -pkeyopt ec_paramgen_curve:{_CURVE_NAMES[spec.curve]}"


def openssl_config(plan: RolePlan) -> str:
    lines = [
        "[ req ]",
        f"default_md = {plan.digest}",
        "prompt = no",
        # subject values are UTF-8 and UTF8String, as in our CSR (pyca's encoding); C stays
        # PrintableString in both
        "utf8 = yes",
        "string_mask = utf8only",
        "distinguished_name = req_distinguished_name",
        "req_extensions = v3_req",
        "",
        "[ req_distinguished_name ]",
    ]
    lines.extend(f"{k.upper()} = {_openssl_value(v)}" for k, v in plan.subject)
    usage = ", ".join(_OPENSSL_KU[b] for b in plan.role.usage_for(plan.key_spec))
    lines += ["", "[ v3_req ]", f"keyUsage = critical, {usage}"]
    if plan.role.eku:
        lines.append(f"extendedKeyUsage = {', '.join(plan.role.eku)}")
    if plan.sans:
        lines.append(openssl_san_line(plan))
    return "\n".join(lines) + "\n"


def openssl_command(plan: RolePlan, config_name: str = "csrreq.cnf") -> str:
    return (f"openssl req -new -nodes {_newkey(plan)} -keyout {plan.basename}.key "
            f"-out {plan.basename}.csr -config {config_name}")


def _joined(plan: RolePlan, field: str) -> str:
    value = plan.value(field)
    return ",".join(value) if isinstance(value, tuple) else str(value)


def expressway_ui_fields(plan: RolePlan) -> tuple[tuple[str, str], ...]:
    """The Generate CSR page values, labelled as on the page (seed-001 §1.13)."""
    clustered = bool(plan.value("cluster-fqdn"))
    spec = plan.key_spec
    subject = dict(plan.subject)
    rows: list[tuple[str, str]] = [
        ("Common name", ("FQDN of Expressway cluster" if clustered else "FQDN of this peer")
         + f" ({plan.cn})"),
        ("Subject alternative names",
         "FQDN of Expressway cluster plus FQDN of this peer" if clustered
         else "FQDN of this peer"),
        ("Additional alternative names (comma separated)", _joined(plan, "additional-names")),
    ]
    if plan.role.id == "expressway-e":
        fmt = "CollabEdgeDNS" if plan.value("ucm-domain-format") == "collab-edge" else "DNS"
        domains = _joined(plan, "ucm-domains")
        if fmt == "CollabEdgeDNS":  # the page adds the prefix itself (seed-001 L455)
            domains = ",".join(d[len("collab-edge."):] if d.lower().startswith("collab-edge.")
                               else d for d in domains.split(",") if d)
        rows += [("Unified CM registrations domains", domains),
                 ("  Format", fmt),
                 ("XMPP federation domains", _joined(plan, "xmpp-domains")),
                 ("  Format", "DNS")]
    rows += [("IM and Presence chat node aliases (federated group chat)",
              _joined(plan, "chat-aliases")), ("  Format", "DNS")]
    if plan.role.id == "expressway-c":
        rows.append(("Unified CM phone security profile names", _joined(plan, "phone-profiles")))
    rows += [
        ("Country", subject.get("c", "")),
        ("State or province", subject.get("st", "")),
        ("Locality (town name)", subject.get("l", "")),
        ("Organization", subject.get("o", "")),
        ("Organizational unit", subject.get("ou", "")),
        ("Public key algorithm", "RSA" if spec.algorithm == "rsa" else "ECDSA"),
        ("Key length (bits)", str(spec.size) if spec.algorithm == "rsa"
         else _CURVE_NAMES[spec.curve].removeprefix("P-")),
        ("Digest algorithm", _DIGEST_LABELS[plan.digest]),
        ("Alternative name as it will appear", plan.san_preview),
    ]
    return tuple(rows)


def _expressway(plan: RolePlan) -> OnBox:
    return OnBox(
        "expressway",
        "On the Expressway: Maintenance > Security > Server certificate > Generate CSR, enter:",
        openssl_command(plan),
        config=openssl_config(plan),
        fields=expressway_ui_fields(plan),
        steps=("(The Expressway adds the serverAuth and clientAuth EKU itself, seed-001 L318.)",
               "Or with OpenSSL on the Expressway shell (seed-001 Appendix B): save this as "
               "csrreq.cnf and run the command below it."),
    )


# --- CUCM and IM and Presence --------------------------------------------------------------------


def cucm_admin(plan: RolePlan) -> str:
    """Where the node's certificates are managed: IM and Presence has its own OS Administration
    (seed-004 L423)."""
    if plan.role.product == "imp":
        return "Cisco Unified IM and Presence OS Administration"
    return "Cisco Unified OS Administration"


def cucm_ui_fields(plan: RolePlan) -> tuple[tuple[str, str], ...]:
    """The Generate CSR dialog, field by field, as the values to type (seed-004 CSR1, §9)."""
    others = [s for s in plan.sans if s.lower() != plan.cn.lower()]
    multi = roles.is_multi_server(plan.role, plan.answers)
    spec = plan.key_spec
    distribution = "Multi-server(SAN)" if multi else plan.value("fqdn")
    return (
        ("Certificate Purpose", plan.role.cucm_type),
        ("Distribution", str(distribution)),
        ("Common Name", plan.cn),
        ("Subject Alternate Names (SANs)", ",".join(others)),
        ("Parent Domain", roles.parent_domain(plan.answers)),
        ("Key Type", "RSA" if spec.algorithm == "rsa" else "EC"),
        ("Key Length", str(spec.size) if spec.algorithm == "rsa"
         else _CURVE_NAMES[spec.curve].removeprefix("P-")),
        ("Hash Algorithm", plan.digest.upper()),
    )


def _cucm(plan: RolePlan) -> OnBox:
    multi = roles.is_multi_server(plan.role, plan.answers)
    node = "the publisher" if multi or plan.role.cucm_type == "CAPF" else plan.value("fqdn")
    return OnBox(
        "cucm",
        f"The main path: generate the CSR on {node} itself. {cucm_admin(plan)} > Security > "
        "Certificate Management > Generate CSR (seed-004 CSR1), with these values:",
        "",
        fields=cucm_ui_fields(plan),
        steps=(
            "CUCM and IM and Presence take no private key upload, so only a CSR made on the node "
            "can become its certificate (seed-004 CU-LOCAL-KEY); the key and CSR collabcert "
            "writes are for a lab or to check the profile.",
            "Distribution: Multi-server(SAN) for one certificate covering the cluster nodes "
            "(CN <host>-ms.<parent domain>, as seen on clusters; seed-004 CSR9 does not describe "
            "the dialog), or this node's FQDN.",  # the -ms CN: seed-000-002 002 L374
            "A new CSR overwrites the pending CSR of the same purpose (seed-004 CSR3).",
            f"Then Download CSR, Certificate Purpose {plan.role.cucm_type}, Download CSR "
            "(seed-004 CSR5); send it to the CA, and bring what the CA sends back to "
            f"collabcert's Import (or collabcert bundle --target cucm --type "
            f"{plan.role.cucm_type}) for the upload files in order.",
        ),
    )
