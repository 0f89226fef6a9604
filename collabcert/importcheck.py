"""Checks on a signed certificate coming back from the CA, before it is bundled and uploaded.

- it belongs to the key or CSR it was requested with (seed-001 KEY-MATCH; seed-004 CU-X01);
- every SAN the CSR or the role plan asked for is in it, and the missing ones are named (CAs and
  signers drop SANs: peers A.2 item 4);
- the EKU and KU the role needs are there (the AD CS "Web Server" template drops clientAuth,
  seed-001 AT-16, CRT-EKU-CLIENT; seed-004 CU-X02-CU-X06);
- it is valid at the chosen time, and its chain is complete (the chain's own findings).

The required EKUs come from the caller or from the role catalogue (collabcert.roles, read lazily;
when it is not there, a small table from the requirements stands in).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier

from collabcert import certparts, rules
from collabcert.chain import Chain
from collabcert.dn import rfc4514
from collabcert.findings import Finding, Severity, has_errors
from collabcert.keys import spki_der

SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
IPSEC_END_SYSTEM = ObjectIdentifier("1.3.6.1.5.5.7.3.5")

EKU_NAMES: dict[str, ObjectIdentifier] = {
    "serverauth": SERVER_AUTH,
    "clientauth": CLIENT_AUTH,
    "ipsecendsystem": IPSEC_END_SYSTEM,
    "codesigning": ExtendedKeyUsageOID.CODE_SIGNING,
    "emailprotection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
    "ocspsigning": ExtendedKeyUsageOID.OCSP_SIGNING,
}
_EKU_LABELS = {
    SERVER_AUTH: "serverAuth (TLS Web Server Authentication)",
    CLIENT_AUTH: "clientAuth (TLS Web Client Authentication)",
    IPSEC_END_SYSTEM: "ipsecEndSystem (IPsec End System)",
}
KU_BITS = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
           "key_agreement", "key_cert_sign", "crl_sign")

# Stand-in for collabcert.roles: the EKU each role family needs (seed-001 §4.2, seed-004 §1.6).
_FALLBACK_EKU: tuple[tuple[str, tuple[ObjectIdentifier, ...]], ...] = (
    ("expressway-", (SERVER_AUTH, CLIENT_AUTH)),
    ("cms-db-client", (CLIENT_AUTH,)),
    ("cms-", (SERVER_AUTH,)),
    ("cucm-capf", (SERVER_AUTH,)),
    ("cucm-ipsec", (SERVER_AUTH, CLIENT_AUTH, IPSEC_END_SYSTEM)),
    ("imp-", (SERVER_AUTH, CLIENT_AUTH, IPSEC_END_SYSTEM)),
    ("cucm-", (SERVER_AUTH, CLIENT_AUTH)),
)
_FALLBACK_KU = (("cucm-capf", ("key_cert_sign",)),)  # seed-004 CU-X06


@dataclass(frozen=True)
class ImportCheck:
    findings: tuple[Finding, ...]
    key_matches: bool | None  # None: no key given
    csr_matches: bool | None  # None: no CSR given
    missing_sans: tuple[str, ...]
    missing_eku: tuple[str, ...]
    missing_ku: tuple[str, ...]
    chain: Chain | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(list(self.findings))


def check_import(
    certificate: x509.Certificate,
    *,
    key: object | None = None,
    csr: x509.CertificateSigningRequest | None = None,
    expected_sans: Iterable[str] = (),
    role: str | None = None,
    required_eku: Sequence[ObjectIdentifier | str] | None = None,
    required_ku: Sequence[str] | None = None,
    chain: Chain | None = None,
    at: dt.datetime | None = None,
) -> ImportCheck:
    """Check `certificate` against what was asked for. Never raises for odd certificates."""
    when = at or (chain.at if chain else dt.datetime.now(dt.UTC))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    findings: list[Finding] = []
    key_ok = _matches(certificate, key) if key is not None else None
    csr_ok = _matches(certificate, csr) if csr is not None else None
    findings += _match_findings(certificate, key_ok, csr_ok)
    wanted = list(expected_sans) + (_csr_sans(csr) if csr is not None else [])
    missing_sans = missing_names(certificate, wanted)
    if missing_sans:
        findings.append(rules.get("SAN-MISSING").finding(
            f"the certificate lacks {len(missing_sans)} of the names asked for: "
            + ", ".join(missing_sans),
            fix="ask the CA to copy the SANs from the CSR (or add them) and issue it again",
            where=rfc4514(certparts.name_of(certificate, "subject")),
        ))
    eku = _resolve_eku(required_eku, role)
    missing_eku, eku_findings = _eku_findings(certificate, eku)
    findings += eku_findings
    ku = list(required_ku) if required_ku is not None else _role_ku(role)
    missing_ku = _missing_ku(certificate, ku)
    if missing_ku:
        # a CA that cannot sign certificates is unusable (seed-004 CU-X06): an error; other
        # missing bits are the rule's warning (CU-X05)
        findings.append(rules.get("CRT-KU-MISSING").finding(
            "the certificate's KeyUsage lacks " + ", ".join(missing_ku),
            fix="ask the CA for a template with these key usages",
            where=rfc4514(certparts.name_of(certificate, "subject")),
            severity=Severity.ERROR if "key_cert_sign" in missing_ku else Severity.WARNING,
        ))
    if chain is None:
        findings += _validity(certificate, when)
    else:
        findings += list(chain.findings)
    return ImportCheck(tuple(findings), key_ok, csr_ok, tuple(missing_sans),
                       tuple(missing_eku), tuple(missing_ku), chain)


def _matches(certificate: x509.Certificate, thing: object) -> bool:
    try:
        public = thing.public_key() if hasattr(thing, "public_key") else thing
        own = certparts.public_key(certificate)  # None: unreadable, named by the reader
        return own is not None and spki_der(own) == spki_der(public)  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError):
        return False


def _match_findings(cert: x509.Certificate, key_ok: bool | None, csr_ok: bool | None):
    out = []
    subject = rfc4514(certparts.name_of(cert, "subject"))
    if key_ok is False:
        out.append(rules.get("KEY-MATCH").finding(
            "Certificate does not correspond to this private key (was it uploaded to the wrong "
            "peer?)",
            fix="use the key this certificate's CSR was made with; in a cluster, each peer has "
            "its own key and certificate",
            where=subject,
        ))
    if csr_ok is False:
        out.append(rules.get("KEY-MATCH").finding(
            "the certificate was not issued for this CSR: its public key differs (an older "
            "CSR, or the cluster peer's)",
            fix="find the CSR and key it was requested with, or request it again with this CSR",
            where=subject,
        ))
    return out


def _csr_sans(csr: x509.CertificateSigningRequest) -> list[str]:
    try:
        san = certparts.extensions_of(csr).get_extension_for_class(
            x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [*san.get_values_for_type(x509.DNSName),
            *(str(ip) for ip in san.get_values_for_type(x509.IPAddress))]


def certificate_names(certificate: x509.Certificate) -> tuple[set[str], set[object]]:
    """The DNS names (lower case) and IP addresses in the certificate's SAN."""
    try:
        san = certparts.extensions_of(certificate).get_extension_for_class(
            x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return set(), set()
    dns = {n.lower().rstrip(".") for n in san.get_values_for_type(x509.DNSName)}
    return dns, set(san.get_values_for_type(x509.IPAddress))


def missing_names(certificate: x509.Certificate, wanted: Iterable[str]) -> list[str]:
    """The wanted names not in the SAN, in the order asked, each once (DNS case-insensitive)."""
    dns, ips = certificate_names(certificate)
    missing, seen = [], set()
    for name in wanted:
        text = name.strip()
        if not text or text.lower() in seen:
            continue
        seen.add(text.lower())
        try:
            present = ipaddress.ip_address(text) in ips
        except ValueError:
            present = text.lower().rstrip(".") in dns
        if not present:
            missing.append(text)
    return missing


def _to_oid(value: ObjectIdentifier | str) -> ObjectIdentifier:
    if isinstance(value, ObjectIdentifier):
        return value
    text = str(value).strip()
    key = text.replace("_", "").replace("-", "").replace(" ", "").lower()
    if key in EKU_NAMES:
        return EKU_NAMES[key]
    return ObjectIdentifier(text)


def _resolve_eku(required: Sequence[ObjectIdentifier | str] | None, role: str | None):
    if required is not None:
        return [_to_oid(v) for v in required]
    if role is None:
        return []
    from_catalogue = _catalogue_eku(role)
    if from_catalogue is not None:
        return from_catalogue
    for prefix, ekus in _FALLBACK_EKU:
        if role.startswith(prefix):
            return list(ekus)
    return []


def _catalogue_eku(role: str) -> list[ObjectIdentifier] | None:
    """The role's EKU from collabcert.roles, when that module is there and knows the role."""
    try:
        from collabcert import roles  # late: written in parallel, may not exist yet
    except ImportError:
        return None
    found = None
    for getter in ("get_role_or_none", "get_role", "role", "get"):
        func = getattr(roles, getter, None)
        if callable(func):
            try:
                found = func(role)
            except Exception:  # noqa: BLE001 - an unknown role or another API: use the table
                found = None
            if found is not None:
                break
    if found is None:
        table = getattr(roles, "ROLES", None)
        if isinstance(table, dict):
            found = table.get(role)
    if found is None:
        return None
    for attribute in ("eku", "ekus", "extended_key_usage", "extended_key_usages"):
        values = getattr(found, attribute, None)
        if values:
            try:
                return [_to_oid(v) for v in values]
            except (ValueError, TypeError):
                return None
    return None


def _role_ku(role: str | None) -> list[str]:
    if role is None:
        return []
    for prefix, bits in _FALLBACK_KU:
        if role.startswith(prefix):
            return list(bits)
    return []


def _eku_findings(certificate: x509.Certificate, required: list[ObjectIdentifier]):
    if not required:
        return [], []
    subject = rfc4514(certparts.name_of(certificate, "subject"))
    try:
        present = set(
            certparts.extensions_of(certificate).get_extension_for_class(
                x509.ExtendedKeyUsage).value
        )
    except x509.ExtensionNotFound:
        return [], [rules.get("CRT-EKU-ABSENT").finding(
            "the certificate has no Extended Key Usage; the role's CSR asks for "
            + ", ".join(_EKU_LABELS.get(o, o.dotted_string) for o in required),
            where=subject,
        )]
    except ValueError:
        present = set()
    missing = [oid for oid in required if oid not in present]
    out = []
    for oid in missing:
        out.append(_eku_finding(oid, subject))
    return [_EKU_LABELS.get(o, o.dotted_string).split(" ")[0] for o in missing], out


def _eku_finding(oid: ObjectIdentifier, subject: str) -> Finding:
    if oid == CLIENT_AUTH:
        return rules.get("CRT-EKU-CLIENT").finding(
            "Server certificate lacks Client Authentication EKU; required for mutual TLS "
            "(neighbor/traversal zones with TLS verify). Use the 'Webclientandserver' template.",
            fix='with AD CS, copy the Web Server template to one with Client Authentication '
            'and submit with: certreq -submit -attrib "CertificateTemplate:Webclientandserver"',
            where=subject,
        )
    if oid == SERVER_AUTH:
        return rules.get("CRT-EKU-SERVER").finding(
            "Server certificate lacks Server Authentication EKU.",
            fix="ask the CA for a template with TLS Web Server Authentication", where=subject,
        )
    if oid == IPSEC_END_SYSTEM:
        return rules.get("CU-X04").finding(
            "the certificate lacks the IPsec End System EKU",
            fix="ask the CA for a template with IPsec End System (1.3.6.1.5.5.7.3.5)",
            where=subject,
        )
    return rules.get("CRT-EKU-MISSING").finding(
        f"the certificate lacks the Extended Key Usage {oid.dotted_string}",
        fix="ask the CA for a template with that usage", where=subject,
    )


def _missing_ku(certificate: x509.Certificate, required: Sequence[str]) -> list[str]:
    if not required:
        return []
    try:
        ku = certparts.extensions_of(certificate).get_extension_for_class(x509.KeyUsage).value
    except (x509.ExtensionNotFound, ValueError):
        return list(required)
    missing = []
    for bit in required:
        try:
            if not getattr(ku, bit):
                missing.append(bit)
        except (AttributeError, ValueError):
            missing.append(bit)
    return missing


def _validity(certificate: x509.Certificate, when: dt.datetime) -> list[Finding]:
    subject = rfc4514(certparts.name_of(certificate, "subject"))
    if certparts.not_after(certificate) < when:
        return [rules.get("CRT-EXPIRED").finding(
            "Server certificate has expired; external systems will reject it.",
            fix="renew it", where=subject,
        )]
    if certparts.not_before(certificate) > when:
        return [rules.get("CRT-NOTYET").finding(
            "Certificate not yet valid.",
            fix="check the clocks of the CA and of this computer", where=subject,
        )]
    return []
