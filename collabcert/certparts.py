"""The one guarded way to a parsed certificate's parts: names, extensions, public key, signature
parameters and validity dates.

pyca parses these lazily and raises on odd but real certificates (an empty RDN, an extension
twice, an unknown key type, invalid RSA numbers, an x400Address or EDIPartyName, an IP in a name
constraint that is no address, a notBefore in year 0). Every check reads the parts through here:
a part pyca refuses comes back empty (None, an empty name, no such extension) and `problems`
names it in plain words, so the finding "extension X unreadable: <reason>" is said once and
every other check goes on (issue 11 item 12).

Extensions are read each on its own when pyca refuses the list as a whole (issue 11 item 13):
the extensions are walked in the DER (collabcert/der.py) and each is parsed by pyca in a
certificate re-assembled around that one extension, so one bad extension hides no other.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from collabcert import der

EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)  # stands for a notBefore pyca cannot hold
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)  # ... and for such a notAfter

_EXT_NAMES = {
    "2.5.29.14": "subjectKeyIdentifier", "2.5.29.15": "keyUsage", "2.5.29.17": "subjectAltName",
    "2.5.29.18": "issuerAltName", "2.5.29.19": "basicConstraints", "2.5.29.30": "nameConstraints",
    "2.5.29.31": "cRLDistributionPoints", "2.5.29.32": "certificatePolicies",
    "2.5.29.33": "policyMappings", "2.5.29.35": "authorityKeyIdentifier",
    "2.5.29.36": "policyConstraints", "2.5.29.37": "extendedKeyUsage",
    "2.5.29.54": "inhibitAnyPolicy", "1.3.6.1.5.5.7.1.1": "authorityInfoAccess",
    "1.3.6.1.5.5.7.1.11": "subjectInfoAccess",
    "1.3.6.1.4.1.11129.2.4.2": "signedCertificateTimestamps",
    "2.16.840.1.113730.1.1": "nsCertType", "2.16.840.1.113730.1.13": "nsComment",
}


@dataclass(frozen=True)
class Unreadable:
    """One part of a certificate pyca refused, in words: `part` names it ("subject",
    "extension basicConstraints", "public key", "validity"), `reason` says why."""

    part: str
    reason: str

    @property
    def sentence(self) -> str:
        return f"{self.part} unreadable: {self.reason}"


def extension_name(oid: x509.ObjectIdentifier | str) -> str:
    dotted = oid if isinstance(oid, str) else oid.dotted_string
    known = _EXT_NAMES.get(dotted)
    if known:
        return known
    name = getattr(oid, "_name", "")
    return name if name and name != "Unknown OID" else dotted


# ---------------------------------------------------------------------------------------------
# Plain reasons for pyca's refusals

_PARSE_ERROR = re.compile(r"ParseError \{ kind: (\w+)(?:, location: \[(.*?)\])? \}")
_KINDS = {
    "ExtraData": "extra data after a field",
    "InvalidValue": "a value that is not allowed there",
    "EncodedDefault": "a default value written out, which DER leaves out",
    "ShortData": "it is cut short",
    "UnexpectedTag": "an unexpected field",
    "InvalidLength": "a wrong length",
    "InvalidTag": "a malformed field",
    "IntegerOverflow": "a number too large",
    "InvalidSetOrdering": "a set whose members are out of DER order",
}


def plain_reason(exc: BaseException) -> str:
    """pyca's refusal as a short phrase a person can read (never its debug text)."""
    from cryptography.exceptions import UnsupportedAlgorithm

    text = str(exc).strip()
    if isinstance(exc, x509.DuplicateExtension):
        return f"the extension {extension_name(exc.oid)} appears twice"
    if isinstance(exc, x509.UnsupportedGeneralNameType):
        return "it holds an x400Address or EDIPartyName name, which collabcert cannot read"
    if isinstance(exc, UnsupportedAlgorithm):
        oid = text.rsplit(":", 1)[-1].strip() if ":" in text else ""
        return f"its key type{f' ({oid})' if oid else ''} is not one collabcert knows"
    if "relative distinguished name cannot be empty" in text:
        return "an empty part (an empty RDN) in the name"
    if "e must be >= 3 and < n" in text or "p*q" in text:
        return "its RSA numbers are invalid (the exponent must be at least 3 and below n)"
    if "does not appear to be an IPv4 or IPv6 address" in text or "Invalid IP" in text:
        return "it holds an IP address that is neither IPv4 nor IPv6 (with or without a mask)"
    if "year 0 is out of range" in text or "year" in text and "out of range" in text:
        return "a date before year 1 (year 0), which no calendar library holds"
    match = _PARSE_ERROR.search(text)
    if match:
        return parse_error_words(match.group(1), match.group(2) or "")
    first = text.splitlines()[0] if text else type(exc).__name__
    return first.split(". ")[0][:160].rstrip(".")


_OPENSSL_READS = "; OpenSSL accepts this, collabcert cannot"


def parse_error_words(kind: str, location: str) -> str:
    """`ParseError { kind, location }` in words; the known non-strict forms by name."""
    if "signature_alg" in location and kind == "ExtraData":
        return ("its signature algorithm carries parameters (NULL) where ECDSA takes none"
                + _OPENSSL_READS)
    if "UtcTime" in location or "GeneralizedTime" in location:
        return ("its validity time is not in the strict form (e.g. it has no seconds)"
                + _OPENSSL_READS)
    if location.endswith('"TbsCertificate::version"') and kind == "EncodedDefault":
        return "it writes its version v1 out, which DER leaves out" + _OPENSSL_READS
    if "Extension::critical" in location:
        return ("an extension's critical flag is not a DER BOOLEAN (TRUE is 0xFF)"
                + _OPENSSL_READS)
    if "BasicConstraints::ca" in location and kind == "EncodedDefault":
        return "it writes CA:FALSE out, which DER leaves out" + _OPENSSL_READS
    where = _field_words(location)
    what = _KINDS.get(kind, "a malformed field")
    return f"{what}{f' in {where}' if where else ''}"


def _field_words(location: str) -> str:
    parts = [p.strip().strip('"') for p in location.split(",") if p.strip()]
    named = [p.split("::")[-1] for p in parts if "::" in p]
    return named[-1].replace("_", " ") if named else ""


def utc_time_without_seconds(data: bytes) -> bool:
    """True when a DER certificate's validity has a UTCTime of the form YYMMDDHHMMZ: the reason
    pyca gives no words for (seen in real certificates; OpenSSL reads them)."""
    return bool(re.search(rb"\x17\x0b\d{10}Z", data[:2048]))


# ---------------------------------------------------------------------------------------------
# The parts


def _try(get: Any) -> tuple[Any, BaseException | None]:
    try:
        return get(), None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - pyca raises ValueError, TypeError and its own
        return None, exc


@dataclass(frozen=True)
class Parts:
    """What could be read of one certificate, read once."""

    subject: x509.Name | None
    issuer: x509.Name | None
    extensions: x509.Extensions
    public_key: Any | None
    not_before: dt.datetime
    not_after: dt.datetime
    problems: tuple[Unreadable, ...]
    notes: tuple[str, ...] = ()  # what was read although not strict DER (explicit CA:FALSE)


@functools.lru_cache(maxsize=4096)
def parts(cert: x509.Certificate) -> Parts:
    problems: list[Unreadable] = []
    notes: list[str] = []

    def read(part: str, get: Any) -> Any:
        value, exc = _try(get)
        if exc is not None:
            problems.append(Unreadable(part, plain_reason(exc)))
        return value

    subject = read("subject", lambda: _checked_name(cert.subject))
    issuer = read("issuer", lambda: _checked_name(cert.issuer))
    extensions = _extensions(cert, problems, notes)
    key = read("public key", cert.public_key)
    not_before = read("validity (notBefore)", lambda: cert.not_valid_before_utc)
    not_after = read("validity (notAfter)", lambda: cert.not_valid_after_utc)
    return Parts(subject, issuer, extensions, key, not_before or EARLIEST, not_after or LATEST,
                 tuple(problems), tuple(notes))


def _checked_name(name: x509.Name) -> x509.Name:
    list(name)  # pyca parses the RDNs on first use: make it raise here, not in a check
    name.rfc4514_string()
    return name


def subject(cert: x509.Certificate) -> x509.Name | None:
    return parts(cert).subject


def issuer(cert: x509.Certificate) -> x509.Name | None:
    return parts(cert).issuer


def extensions(cert: x509.Certificate) -> x509.Extensions:
    return parts(cert).extensions


def extension(cert: x509.Certificate, ext_type: type) -> Any | None:
    """The value of the extension of that class, or None when absent or unreadable."""
    try:
        return extensions(cert).get_extension_for_class(ext_type).value
    except x509.ExtensionNotFound:
        return None


def public_key(cert: x509.Certificate) -> Any | None:
    return parts(cert).public_key


def not_before(cert: x509.Certificate) -> dt.datetime:
    return parts(cert).not_before


def not_after(cert: x509.Certificate) -> dt.datetime:
    return parts(cert).not_after


def problems(cert: x509.Certificate) -> tuple[Unreadable, ...]:
    return parts(cert).problems


def is_ca(cert: x509.Certificate) -> bool:
    bc = extension(cert, x509.BasicConstraints)
    return bool(bc is not None and bc.ca)


def names_equal(a: x509.Name | None, b: x509.Name | None) -> bool:
    return a is not None and b is not None and a == b


def self_issued(cert: x509.Certificate) -> bool:
    return names_equal(subject(cert), issuer(cert))


def signature_parameters(cert: x509.Certificate) -> Any | None:
    value, _exc = _try(lambda: cert.signature_algorithm_parameters)
    return value


def signature_hash(cert: Any) -> Any | None:
    value, _exc = _try(lambda: cert.signature_hash_algorithm)
    return value


# ---------------------------------------------------------------------------------------------
# Extensions, each on its own


def _extensions(
    cert: x509.Certificate, problems: list[Unreadable], notes: list[str]
) -> x509.Extensions:
    whole, exc = _try(lambda: _all_values(cert.extensions))
    if exc is None:
        return whole
    raw = raw_extensions(cert)
    if raw is None:
        problems.append(Unreadable("extensions", plain_reason(exc)))
        return x509.Extensions([])
    kept: list[x509.Extension] = []
    seen: set[str] = set()
    for oid_text, encoded in raw:
        name = f"extension {extension_name(oid_text)}"
        if oid_text in seen:
            problems.append(Unreadable(name, "it appears twice; the first one is used"))
            continue
        seen.add(oid_text)
        one, one_exc = _try(lambda encoded=encoded: _one_extension(cert, encoded))
        if one is None and (one := _explicit_ca_false(oid_text, encoded)) is not None:
            notes.append("its basicConstraints writes CA:FALSE out, which DER leaves out; "
                         "read as CA:FALSE, as OpenSSL does")
        if one is None:
            reason = plain_reason(one_exc) if one_exc else "pyca could not read it"
            problems.append(Unreadable(name, reason))
            continue
        kept.append(one)
    return x509.Extensions(kept)


_CA_FALSE = bytes.fromhex("3003010100")  # BasicConstraints ::= SEQUENCE { cA BOOLEAN FALSE }


def _explicit_ca_false(oid_text: str, encoded: bytes) -> x509.Extension | None:
    """An explicit CA:FALSE (not DER; OpenSSL reads it): the one non-strict extension whose
    meaning is plain, so it is read here rather than called unreadable (issue 11 item 13)."""
    if oid_text != "2.5.29.19" or not encoded.endswith(der.encode_tlv(0x04, _CA_FALSE)):
        return None
    critical = bytes.fromhex("0101ff") in encoded[: len(encoded) - len(_CA_FALSE) - 2]
    return x509.Extension(x509.ObjectIdentifier(oid_text), critical,
                          x509.BasicConstraints(ca=False, path_length=None))


def _all_values(exts: x509.Extensions) -> x509.Extensions:
    for ext in exts:
        ext.value  # noqa: B018 - some values parse lazily; make them raise here
    return exts


def raw_extensions(cert: x509.Certificate) -> list[tuple[str, bytes]] | None:
    """(dotted OID, the whole Extension DER) for each extension, walked in the DER; None when
    the structure cannot be walked."""
    data = cert.public_bytes(serialization.Encoding.DER)
    tbs = _tbs_fields(data)
    if tbs is None:
        return None
    _tbs, fields = tbs
    box = next((f for f in fields if f.tag == 0xA3), None)
    if box is None:
        return []
    outer = der.read_tlv(data, box.content)
    if outer is None or outer.end is None:
        return None
    found = []
    offset = outer.content
    while offset < outer.end:
        item = der.read_tlv(data, offset)
        if item is None or item.end is None or item.end > outer.end:
            return None
        oid_tlv = der.read_tlv(data, item.content)
        if oid_tlv is None or oid_tlv.tag != 0x06 or oid_tlv.end is None:
            return None
        found.append((_dotted(data[oid_tlv.content : oid_tlv.end]), data[item.start : item.end]))
        offset = item.end
    return found


def _tbs_fields(data: bytes) -> tuple[der.Tlv, list[der.Tlv]] | None:
    outer = der.read_tlv(data)
    if outer is None:
        return None
    tbs = der.read_tlv(data, outer.content)
    if tbs is None or tbs.end is None:
        return None
    inside = [f for f in der.children(data, tbs, limit=12)
              if f.end is not None and f.end <= tbs.end]
    return tbs, inside


def _one_extension(cert: x509.Certificate, encoded: bytes) -> x509.Extension | None:
    """pyca's reading of one extension: the certificate re-assembled with only that one."""
    data = cert.public_bytes(serialization.Encoding.DER)
    tbs_and_fields = _tbs_fields(data)
    if tbs_and_fields is None:
        return None
    tbs, fields = tbs_and_fields
    body = b"".join(data[f.start : f.end] for f in fields if f.tag != 0xA3 and f.end)
    body += der.encode_tlv(0xA3, der.encode_tlv(0x30, encoded))
    outer = der.read_tlv(data)
    assert outer is not None and tbs.end is not None and outer.end is not None
    rest = data[tbs.end : outer.end]  # signature algorithm and value, as they were
    one = x509.load_der_x509_certificate(der.encode_tlv(0x30, der.encode_tlv(0x30, body) + rest))
    (ext,) = _all_values(one.extensions)
    return ext


def _dotted(content: bytes) -> str:
    arcs: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if not arcs:
        return ""
    first = min(arcs[0] // 40, 2)
    return ".".join(str(a) for a in [first, arcs[0] - 40 * first, *arcs[1:]])


# ---------------------------------------------------------------------------------------------
# Certificates and CSRs alike (a CSR's parts are read each time; CSRs are few)


def name_of(obj: Any, which: str) -> x509.Name | None:
    """The subject ("subject") or issuer ("issuer") name, or None when pyca refuses it."""
    if isinstance(obj, x509.Certificate):
        return parts(obj).subject if which == "subject" else parts(obj).issuer
    value, _exc = _try(lambda: _checked_name(getattr(obj, which)))
    return value


def extensions_of(obj: Any) -> x509.Extensions:
    if isinstance(obj, x509.Certificate):
        return parts(obj).extensions
    value, _exc = _try(lambda: _all_values(obj.extensions))
    return value if value is not None else x509.Extensions([])


def public_key_of(obj: Any) -> Any | None:
    if isinstance(obj, x509.Certificate):
        return parts(obj).public_key
    value, _exc = _try(obj.public_key)
    return value
