"""Small facts about certificates and CSRs that many rules ask for, guarded against odd input."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from collabcert import certparts, dn
from collabcert.chain import fingerprint
from collabcert.keys import key_type
from collabcert.sigverify import verify_signature

SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
IPSEC_END_SYSTEM = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.5")
OCSP_SIGNING = ExtendedKeyUsageOID.OCSP_SIGNING
XMPP_ADDR = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.5")
EV_OIDS = {"1.3.6.1.4.1.311.60.2.1.1", "1.3.6.1.4.1.311.60.2.1.2", "1.3.6.1.4.1.311.60.2.1.3"}
KNOWN_NAME_OIDS = {oid.dotted_string for oid in vars(NameOID).values()
                   if isinstance(oid, x509.ObjectIdentifier)}


def ext(obj: Any, ext_type: type) -> Any | None:
    """The extension's value; None when absent or unreadable (certparts names the latter)."""
    try:
        return certparts.extensions_of(obj).get_extension_for_class(ext_type).value
    except x509.ExtensionNotFound:
        return None


# Name text comes from collabcert.dn (one module for CN, RFC 4514 and labels).
cn = dn.cn
issuer_cn = dn.issuer_cn
label = dn.label


def subject_text(obj: Any) -> str:
    return dn.rfc4514(certparts.name_of(obj, "subject"))


def issuer_text(cert: Any) -> str:
    return dn.rfc4514(certparts.name_of(cert, "issuer"))


def san(obj: Any) -> x509.SubjectAlternativeName | None:
    return ext(obj, x509.SubjectAlternativeName)


def dns_sans(obj: Any) -> list[str]:
    names = san(obj)
    return list(names.get_values_for_type(x509.DNSName)) if names is not None else []


def ip_sans(obj: Any) -> list[str]:
    names = san(obj)
    return [str(v) for v in names.get_values_for_type(x509.IPAddress)] if names else []


def other_name_oids(obj: Any) -> list[str]:
    names = san(obj)
    if names is None:
        return []
    return [n.type_id.dotted_string for n in names if isinstance(n, x509.OtherName)]


def in_sans(name: str, obj: Any) -> bool:
    return name.lower().rstrip(".") in {n.lower().rstrip(".") for n in dns_sans(obj)}


def eku(obj: Any) -> list[x509.ObjectIdentifier] | None:
    """The EKU OIDs, or None when the certificate has no EKU extension."""
    value = ext(obj, x509.ExtendedKeyUsage)
    return list(value) if value is not None else None


def key_usage(obj: Any) -> x509.KeyUsage | None:
    return ext(obj, x509.KeyUsage)


def ku_has(obj: Any, attr: str) -> bool:
    value = key_usage(obj)
    return bool(value is not None and getattr(value, attr))


def public_key(obj: Any) -> Any | None:
    return certparts.public_key_of(obj)


def spki(obj: Any) -> bytes:
    """The DER public key of a certificate or CSR; b"" when pyca refuses it."""
    from collabcert.keys import spki_der

    public = public_key(obj)
    return spki_der(public) if public is not None else b""


def _public(key: Any) -> Any:
    return key.public_key() if hasattr(key, "private_bytes") else key


def key_kind(key: Any) -> str:
    """`rsa`, `ec`, `dsa` or `other` (private or public key): the kinds the rules tell apart."""
    if key is None:
        return "other"  # a key pyca refuses (CRT-PART-UNREADABLE names it)
    kind = key_type(key)
    return kind if kind in ("rsa", "ec", "dsa") else "other"


def key_bits(key: Any) -> int:
    return int(getattr(_public(key), "key_size", 0) or 0)


def curve(key: Any) -> str:
    public = _public(key)
    return public.curve.name if isinstance(public, ec.EllipticCurvePublicKey) else ""


def self_issued(cert: x509.Certificate) -> bool:
    return certparts.self_issued(cert)


@functools.lru_cache(maxsize=8192)
def self_signed(cert: x509.Certificate) -> bool:
    if not self_issued(cert):
        return False
    try:
        return bool(verify_signature(cert, cert).verified)
    except Exception:  # noqa: BLE001 - an unverifiable self-signature is simply "no"
        return False


def signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        same = certparts.names_equal(certparts.issuer(cert), certparts.subject(issuer))
        return same and bool(verify_signature(cert, issuer).verified)
    except Exception:  # noqa: BLE001
        return False


def issuer_in(cert: x509.Certificate, pool: Iterable[x509.Certificate]) -> x509.Certificate | None:
    """The first certificate of `pool`, other than `cert` itself, whose key signed `cert`: the
    plain walk OpenSSL and Meeting Server do over a bundle (no AKI/SKI index, unlike chain)."""
    own = fingerprint(cert)
    return next((c for c in pool if fingerprint(c) != own and signed_by(cert, c)), None)


def by_common_name(certs: Sequence[x509.Certificate]) -> list[list[x509.Certificate]]:
    """The certificates with a CN, grouped by it (case ignored), in the order first seen."""
    groups: dict[str, list[x509.Certificate]] = {}
    for cert in certs:
        if cn(cert):
            groups.setdefault(cn(cert).lower(), []).append(cert)
    return list(groups.values())


def days(delta: dt.timedelta) -> int:
    return round(delta.total_seconds() / 86400)  # whole days, the way people count them
