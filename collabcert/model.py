"""Plain summaries of certificates, CSRs and keys: what a person (or `--json`) needs to see.

pyca raises on some odd but real certificates (a long-form name attribute, a malformed extension);
every accessor here is guarded so a summary is always made, with "(unreadable)" where pyca gave up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from collabcert import certparts
from collabcert.dn import common_name, display_name
from collabcert.keys import describe_key, spki_sha256

UNREADABLE = "(unreadable)"
T = TypeVar("T")

_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth",
    ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
    ExtendedKeyUsageOID.CODE_SIGNING: "codeSigning",
    ExtendedKeyUsageOID.EMAIL_PROTECTION: "emailProtection",
    ExtendedKeyUsageOID.TIME_STAMPING: "timeStamping",
    ExtendedKeyUsageOID.OCSP_SIGNING: "OCSPSigning",
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE: "anyExtendedKeyUsage",
    x509.ObjectIdentifier("1.3.6.1.5.5.7.3.17"): "ipsecIKE",
    x509.ObjectIdentifier("1.3.6.1.5.5.8.2.2"): "ipsecIKEintermediate",
}
_KU_FIELDS = (
    ("digital_signature", "digitalSignature"),
    ("content_commitment", "nonRepudiation"),
    ("key_encipherment", "keyEncipherment"),
    ("data_encipherment", "dataEncipherment"),
    ("key_agreement", "keyAgreement"),
    ("key_cert_sign", "keyCertSign"),
    ("crl_sign", "cRLSign"),
)


def _safe(get: Callable[[], T], default: T) -> T:
    try:
        return get()
    except Exception:  # noqa: BLE001 - pyca raises ValueError and friends on malformed fields
        return default


def _ext(extensions: x509.Extensions, ext_type: type[Any]) -> Any | None:
    try:
        return extensions.get_extension_for_class(ext_type).value
    except x509.ExtensionNotFound:
        return None


def general_names(names: Any) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for entry in names:
        if isinstance(entry, x509.DNSName):
            out.append(("DNS", entry.value))
        elif isinstance(entry, x509.IPAddress):
            out.append(("IP", _ip_text(entry.value)))
        elif isinstance(entry, x509.RFC822Name):
            out.append(("email", entry.value))
        elif isinstance(entry, x509.UniformResourceIdentifier):
            out.append(("URI", entry.value))
        elif isinstance(entry, x509.DirectoryName):
            out.append(("DirName", display_name(entry.value)))
        elif isinstance(entry, x509.OtherName):
            out.append(("other", f"{entry.type_id.dotted_string}:{entry.value.hex()}"))
        else:
            out.append(("other", str(entry.value)))
    return tuple(out)


def _ip_text(value: Any) -> str:
    """An IP SAN; 8 or 32 bytes are an address with a mask, a name-constraint form that has no
    meaning in a SAN (pyca would show it as a network such as 0.0.0.0/24)."""
    if isinstance(value, ipaddress.IPv4Network | ipaddress.IPv6Network):
        size = 8 if value.version == 4 else 32
        return f"unreadable IP ({size} bytes: an address with a mask, {value.with_netmask})"
    return str(value)


def _key_usage(extensions: x509.Extensions) -> tuple[str, ...]:
    ku = _ext(extensions, x509.KeyUsage)
    if ku is None:
        return ()
    used = [label for attr, label in _KU_FIELDS if getattr(ku, attr)]
    if ku.key_agreement:
        used += [label for attr, label in (("encipher_only", "encipherOnly"),
                                           ("decipher_only", "decipherOnly")) if getattr(ku, attr)]
    return tuple(used)


def _eku(extensions: x509.Extensions) -> tuple[str, ...]:
    eku = _ext(extensions, x509.ExtendedKeyUsage)
    if eku is None:
        return ()
    return tuple(_EKU_NAMES.get(oid, oid.dotted_string) for oid in eku)


def signature_name(obj: x509.Certificate | x509.CertificateSigningRequest) -> str:
    """`sha256WithRSAEncryption`, `ecdsa-with-SHA256`: the algorithm as OpenSSL names it."""
    oid = obj.signature_algorithm_oid
    return getattr(oid, "_name", "") or oid.dotted_string


def hash_name(obj: x509.Certificate | x509.CertificateSigningRequest) -> str:
    """`sha256`, `sha1`, or "" when there is none (Ed25519) or pyca does not know it."""
    algorithm = _safe(lambda: obj.signature_hash_algorithm, None)
    return algorithm.name if algorithm else ""


def _fields(summary: Any) -> dict[str, Any]:
    """A shallow field dict: `asdict` deep-copies every tuple, a third of `inspect --json`."""
    return {f.name: getattr(summary, f.name) for f in fields(summary)}


@dataclass(frozen=True)
class CertSummary:
    subject: str
    subject_cn: str
    issuer: str
    issuer_cn: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    sans: tuple[tuple[str, str], ...]
    key: str
    signature_algorithm: str
    signature_hash: str
    key_usage: tuple[str, ...]
    extended_key_usage: tuple[str, ...]
    has_basic_constraints: bool
    is_ca: bool
    path_length: int | None
    ski: str
    aki: str
    sha256: str
    sha1: str
    spki_sha256: str
    self_issued: bool
    self_signed: bool
    self_signature_note: str = ""  # why a self-issued certificate's signature could not be checked
    extensions_note: str = ""  # why the extensions could not be read (pyca refused them)
    kind: str = "certificate"

    def days_left(self, now: dt.datetime | None = None) -> int:
        return (self.not_after - (now or dt.datetime.now(dt.UTC))).days

    def to_json(self) -> dict[str, Any]:
        data = _fields(self)
        data["not_before"] = self.not_before.isoformat()
        data["not_after"] = self.not_after.isoformat()
        data["sans"] = [{"type": t, "value": v} for t, v in self.sans]
        return data


@dataclass(frozen=True)
class CsrSummary:
    subject: str
    subject_cn: str
    sans: tuple[tuple[str, str], ...]
    key: str
    signature_algorithm: str
    signature_hash: str
    key_usage: tuple[str, ...]
    extended_key_usage: tuple[str, ...]
    signature_valid: bool
    sha256: str
    spki_sha256: str
    kind: str = "csr"

    def to_json(self) -> dict[str, Any]:
        data = _fields(self)
        data["sans"] = [{"type": t, "value": v} for t, v in self.sans]
        return data


@dataclass(frozen=True)
class KeySummary:
    key: str
    spki_sha256: str
    form: str = ""
    encrypted: bool = False
    kind: str = "private_key"

    def to_json(self) -> dict[str, Any]:
        return _fields(self)


Summary = CertSummary | CsrSummary | KeySummary


def summarize_certificate(cert: x509.Certificate) -> CertSummary:
    der = cert.public_bytes(serialization.Encoding.DER)
    parts = certparts.parts(cert)  # the guarded layer: what pyca refuses comes back empty
    extensions, extensions_note = parts.extensions, _extensions_note(parts)
    bc = _ext(extensions, x509.BasicConstraints)
    ski = _ext(extensions, x509.SubjectKeyIdentifier)
    aki = _ext(extensions, x509.AuthorityKeyIdentifier)
    san = _ext(extensions, x509.SubjectAlternativeName)
    public = parts.public_key
    self_issued = certparts.self_issued(cert)
    own = _own_signature(cert) if self_issued else None
    return CertSummary(
        subject=_name_part(parts.subject, display_name),
        subject_cn=_name_part(parts.subject, common_name),
        issuer=_name_part(parts.issuer, display_name),
        issuer_cn=_name_part(parts.issuer, common_name),
        serial=format(cert.serial_number, "x") if cert.serial_number >= 0 else
        "-" + format(-cert.serial_number, "x"),
        not_before=parts.not_before,
        not_after=parts.not_after,
        sans=general_names(san) if san is not None else (),
        key=describe_key(public) if public is not None else UNREADABLE,
        signature_algorithm=signature_name(cert),
        signature_hash=hash_name(cert),
        key_usage=_key_usage(extensions),
        extended_key_usage=_eku(extensions),
        has_basic_constraints=bc is not None,
        is_ca=bool(bc and bc.ca),
        path_length=bc.path_length if bc else None,
        ski=ski.digest.hex() if ski is not None else "",
        aki=aki.key_identifier.hex() if aki is not None and aki.key_identifier else "",
        sha256=hashlib.sha256(der).hexdigest(),
        sha1=hashlib.sha1(der).hexdigest(),  # noqa: S324 - a fingerprint people compare, not security
        spki_sha256=spki_sha256(public) if public is not None else "",
        self_issued=self_issued,
        self_signed=bool(own and own.verified),
        self_signature_note=own.reason if own is not None and own.unverifiable else "",
        extensions_note=extensions_note,
    )


def _name_part(name: x509.Name | None, show: Callable[[x509.Name], str]) -> str:
    return _safe(lambda: show(name), UNREADABLE) if name is not None else UNREADABLE


def _extensions_note(parts: certparts.Parts) -> str:
    """What of the extensions could not be read, each in words (the others are still shown)."""
    return "; ".join(p.sentence for p in parts.problems if p.part.startswith("extension"))


def _own_signature(cert: x509.Certificate):
    """The check of a self-issued certificate's signature against its own key."""
    from collabcert.sigverify import verify_signature  # late; handles SHA-1 and PSS too

    return _safe(lambda: verify_signature(cert, cert), None)


def summarize_csr(csr: x509.CertificateSigningRequest) -> CsrSummary:
    extensions = _safe(lambda: csr.extensions, x509.Extensions([]))
    san = _ext(extensions, x509.SubjectAlternativeName)
    public = _safe(csr.public_key, None)
    return CsrSummary(
        subject=_safe(lambda: display_name(csr.subject), UNREADABLE),
        subject_cn=_safe(lambda: common_name(csr.subject), UNREADABLE),
        sans=general_names(san) if san is not None else (),
        key=describe_key(public) if public is not None else UNREADABLE,
        signature_algorithm=signature_name(csr),
        signature_hash=hash_name(csr),
        key_usage=_key_usage(extensions),
        extended_key_usage=_eku(extensions),
        signature_valid=_csr_signature_valid(csr),
        sha256=hashlib.sha256(csr.public_bytes(serialization.Encoding.DER)).hexdigest(),
        spki_sha256=spki_sha256(public) if public is not None else "",
    )


def _csr_signature_valid(csr: x509.CertificateSigningRequest) -> bool:
    from collabcert.sigverify import verify_csr  # late; pyca's own check refuses SHA-1

    return bool(_safe(lambda: verify_csr(csr).verified, False))


def summarize_key(key: Any, form: str = "", encrypted: bool = False) -> KeySummary:
    public = key.public_key() if hasattr(key, "public_key") else key
    return KeySummary(describe_key(key), spki_sha256(public), form, encrypted)


def summarize(obj: Any, form: str = "", encrypted: bool = False) -> Summary:
    if isinstance(obj, x509.Certificate):
        return summarize_certificate(obj)
    if isinstance(obj, x509.CertificateSigningRequest):
        return summarize_csr(obj)
    return summarize_key(obj, form, encrypted)


def summarize_item(item: Any) -> Summary:
    """A load.Item's summary, keeping the key form and whether it was locked."""
    return summarize(item.obj, item.form, item.encrypted)


def colon_hex(hex_text: str) -> str:
    """`ab:cd:...` upper case, the way Windows and the Cisco UIs print fingerprints."""
    return ":".join(hex_text[i : i + 2] for i in range(0, len(hex_text), 2)).upper()


def describe_lines(summary: Summary, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """The full summary as (label, value) rows, for a detail pane or `inspect` text output."""
    if isinstance(summary, KeySummary):
        rows = [("Private key", summary.key), ("Form", summary.form or "-")]
        rows.append(("Was encrypted", "yes" if summary.encrypted else "no"))
        rows.append(("Public key SHA-256", colon_hex(summary.spki_sha256)))
        return rows
    rows = [("Subject", summary.subject or "(empty)")]
    if isinstance(summary, CertSummary):
        days = summary.days_left(now)
        state = f"expired {-days} days ago" if days < 0 else f"{days} days left"
        rows += [
            ("Issuer", summary.issuer or "(empty)"),
            ("Serial", summary.serial),
            ("Valid from", summary.not_before.strftime("%Y-%m-%d %H:%M UTC")),
            ("Valid until", f"{summary.not_after.strftime('%Y-%m-%d %H:%M UTC')} ({state})"),
        ]
    rows += [(f"SAN {kind}", value) for kind, value in summary.sans]
    rows += [("Key", summary.key), ("Signature", summary.signature_algorithm)]
    rows.append(("Key usage", ", ".join(summary.key_usage) or "(none)"))
    rows.append(("Extended key usage", ", ".join(summary.extended_key_usage) or "(none)"))
    if isinstance(summary, CertSummary):
        if summary.extensions_note:
            rows.append(("Extensions", f"{UNREADABLE}: {summary.extensions_note}"))
        rows.append(("Basic constraints", _bc_text(summary)))
        rows.append(("Subject key id", colon_hex(summary.ski) or "(none)"))
        rows.append(("Authority key id", colon_hex(summary.aki) or "(none)"))
        rows.append(("Self-signed", _self_text(summary)))
        rows.append(("SHA-256", colon_hex(summary.sha256)))
        rows.append(("SHA-1", colon_hex(summary.sha1)))
    else:
        rows.append(("Signature valid", "yes" if summary.signature_valid else "NO"))
    return rows


def _bc_text(summary: CertSummary) -> str:
    if not summary.has_basic_constraints:
        return "(none)"
    if not summary.is_ca:
        return "not a CA (end entity)"
    limit = "" if summary.path_length is None else f", path length {summary.path_length}"
    return f"CA{limit}"


def _self_text(summary: CertSummary) -> str:
    if summary.self_signed:
        return "yes (a root)" if summary.is_ca else "yes"
    if summary.self_signature_note:
        return f"self-issued; its signature cannot be checked ({summary.self_signature_note})"
    return "self-issued, signed by another key" if summary.self_issued else "no"
