"""Strange certificates from raw DER: each defect real-world corpora hold, and its neighbours.

A TBSCertificate is assembled byte by byte (so pyca's builder cannot tidy the defect away) and
signed with a real key over exactly those bytes, so signature checks still mean something: a
certificate made with `issuer=` verifies under that issuer's key. `STRANGE` names every defect
with the words a person should see about it (issue 11 items 12 and 13).

    from strange_certs import STRANGE, strange, Ca
    der = strange("empty-rdn-subject").der
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass, field
from functools import cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

SEQ, SET, INT, BOOL, BITS, OCTETS, NULL, OIDT = 0x30, 0x31, 0x02, 0x01, 0x03, 0x04, 0x05, 0x06
UTF8, PRINTABLE, IA5, UTC, GEN = 0x0C, 0x13, 0x16, 0x17, 0x18

# Fixed dates (no test depends on today): valid from 2025 to 2035.
NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2035, 1, 1, tzinfo=dt.UTC)


def tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + content


def seq(*parts: bytes) -> bytes:
    return tlv(SEQ, b"".join(parts))


def oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return tlv(OIDT, bytes(body))


def integer(n: int) -> bytes:
    raw = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)
    return tlv(INT, raw)


def boolean(value: bool, byte: int | None = None) -> bytes:
    """DER TRUE is 0xFF; `byte` gives another encoding (0x01: BER, OpenSSL reads it)."""
    return tlv(BOOL, bytes([byte if byte is not None else (0xFF if value else 0x00)]))


def bits(data: bytes, unused: int = 0) -> bytes:
    return tlv(BITS, bytes([unused]) + data)


def ctx(number: int, content: bytes, constructed: bool = True) -> bytes:
    return tlv((0xA0 if constructed else 0x80) | number, content)


CN, ORG, EMAIL = "2.5.4.3", "2.5.4.10", "1.2.840.113549.1.9.1"


def rdn(*attributes: tuple[str, str]) -> bytes:
    return tlv(SET, b"".join(
        seq(oid(kind), tlv(IA5 if kind == EMAIL else UTF8, value.encode()))
        for kind, value in attributes
    ))


def dn(*rdns: bytes) -> bytes:
    return seq(*rdns)


def cn_name(common_name: str) -> bytes:
    return dn(rdn((ORG, "Strange Test")), rdn((CN, common_name)))


def utc_time(when: dt.datetime) -> bytes:
    return tlv(UTC, when.strftime("%y%m%d%H%M%SZ").encode())


def validity(not_before: bytes | None = None, not_after: bytes | None = None) -> bytes:
    return seq(not_before or utc_time(NOT_BEFORE), not_after or utc_time(NOT_AFTER))


# AlgorithmIdentifiers
ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"))
ECDSA_SHA256_NULL = seq(oid("1.2.840.10045.4.3.2"), tlv(NULL, b""))  # OpenSSL accepts it
RSA_SHA256 = seq(oid("1.2.840.113549.1.1.11"), tlv(NULL, b""))
RSA_MD5 = seq(oid("1.2.840.113549.1.1.4"), tlv(NULL, b""))


def extension(kind: str, value: bytes, critical: bool = False, critical_byte: int | None = None,
              explicit_false: bool = False) -> bytes:
    flag = b""
    if critical or critical_byte is not None:
        flag = boolean(True, critical_byte)
    elif explicit_false:
        flag = boolean(False)
    return seq(oid(kind), flag, tlv(OCTETS, value))


BASIC_CONSTRAINTS, KEY_USAGE, EKU, SAN, NAME_CONSTRAINTS, SKI = (
    "2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.17", "2.5.29.30", "2.5.29.14")


def ca_basic_constraints() -> bytes:
    return extension(BASIC_CONSTRAINTS, seq(boolean(True)), critical=True)


def leaf_basic_constraints() -> bytes:
    return extension(BASIC_CONSTRAINTS, seq(), critical=True)


def key_usage_ext(value: bytes = b"\x05\xa0") -> bytes:  # digitalSignature, keyEncipherment
    return extension(KEY_USAGE, tlv(BITS, value), critical=True)


def eku_ext() -> bytes:
    return extension(EKU, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2")))


def dns(value: str) -> bytes:
    return tlv(0x82, value.encode())


def san_ext(*names: bytes) -> bytes:
    return extension(SAN, seq(*names))


@cache
def _ec_key(label: str) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@cache
def _rsa_key(label: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def spki(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass(frozen=True)
class Ca:
    """The issuer every strange leaf is signed by (a real EC root, made the ordinary way)."""

    name: bytes
    key: ec.EllipticCurvePrivateKey
    der: bytes


@cache
def strange_ca() -> Ca:
    key = _ec_key("ca")
    subject = cn_name("Strange Test Root CA")
    ski = extension(SKI, tlv(OCTETS, b"\x11" * 20))
    body = tbs(subject=subject, issuer=subject, key=key, extensions=[ca_basic_constraints(),
               key_usage_ext(b"\x01\x06"), ski])
    return Ca(subject, key, sign(body, key))


def tbs(*, subject: bytes, issuer: bytes, key=None, spki_der: bytes | None = None,
        extensions: list[bytes] | None = None, sig_alg: bytes = ECDSA_SHA256, version: int = 2,
        explicit_v1: bool = False, valid: bytes | None = None, serial: int = 0x5157) -> bytes:
    parts = []
    if version != 0 or explicit_v1:
        parts.append(ctx(0, integer(version)))
    parts += [integer(serial), sig_alg, issuer, valid or validity(), subject,
              spki_der if spki_der is not None else spki(key or _ec_key("leaf"))]
    if extensions:
        parts.append(ctx(3, seq(*extensions)))
    return seq(*parts)


def sign(tbs_der: bytes, key, sig_alg: bytes = ECDSA_SHA256, digest=None) -> bytes:
    digest = digest or hashes.SHA256()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(tbs_der, padding.PKCS1v15(), digest)
    else:
        signature = key.sign(tbs_der, ec.ECDSA(digest))
    return seq(tbs_der, sig_alg, bits(signature))


@dataclass(frozen=True)
class Strange:
    """One strange certificate and what a person must be told about it."""

    defect: str
    der: bytes
    words: tuple[str, ...]  # each must appear (case ignored) in what a verb says about it
    pem: bytes = field(default=b"", repr=False)


def _leaf(defect: str, words: tuple[str, ...], *, extensions: list[bytes] | None = None,
          subject: bytes | None = None, issuer: bytes | None = None, **kwargs) -> Strange:
    ca = strange_ca()
    sig_alg = kwargs.pop("sig_alg", ECDSA_SHA256)
    body = tbs(
        subject=subject if subject is not None else cn_name(f"{defect}.example.com"),
        issuer=issuer if issuer is not None else ca.name,
        extensions=extensions if extensions is not None else _leaf_extensions(defect),
        sig_alg=sig_alg, **kwargs,
    )
    der = sign(body, ca.key, sig_alg)
    return Strange(defect, der, words, _pem(der))


def _leaf_extensions(defect: str, *more: bytes) -> list[bytes]:
    return [leaf_basic_constraints(), key_usage_ext(), eku_ext(),
            san_ext(dns(f"{defect}.example.com")), *more]


def _pem(der: bytes) -> bytes:
    import base64

    b64 = base64.b64encode(der).decode()
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines)
            + "\n-----END CERTIFICATE-----\n").encode()


def _name_constraints(*subtrees: bytes) -> bytes:
    return extension(NAME_CONSTRAINTS, seq(ctx(0, b"".join(seq(s) for s in subtrees))),
                     critical=True)


def _rsa_spki(n: int, e: int) -> bytes:
    rsa_alg = seq(oid("1.2.840.113549.1.1.1"), tlv(NULL, b""))
    return seq(rsa_alg, bits(seq(integer(n), integer(e))))


def _pss_certificate() -> Strange:
    """A real RSA-PSS signed certificate (pyca makes it): inspect --json once gave a traceback."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    key = _rsa_key("pss")
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rsa-pss.example.com")])
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(7)
        .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256(), rsa_padding=padding.PSS(
            padding.MGF1(hashes.SHA256()), padding.PSS.DIGEST_LENGTH))
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return Strange("rsa-pss", der, ("rsa-pss.example.com",), _pem(der))


def _md5_certificate() -> Strange:
    ca_key = _rsa_key("md5-ca")
    subject = cn_name("md5.example.com")
    body = tbs(subject=subject, issuer=cn_name("Strange RSA CA"), key=ca_key, sig_alg=RSA_MD5,
               extensions=_leaf_extensions("md5"))
    der = sign(body, ca_key, RSA_MD5, hashes.MD5())
    return Strange("md5-signature", der, ("MD5",), _pem(der))


def _build() -> dict[str, Strange]:
    ca = strange_ca()
    made = [
        # issue 11 item 12: pyca refusals deep inside a certificate that loads
        _leaf("empty-rdn-subject", ("empty",), subject=dn(rdn((CN, "x.example.com")),
                                                           tlv(SET, b""))),
        _leaf("empty-rdn-issuer", ("empty",), issuer=dn(tlv(SET, b""), rdn((CN, "Nobody")))),
        _leaf("duplicate-extension", ("basicConstraints", "twice"),
              extensions=_leaf_extensions("duplicate-extension", leaf_basic_constraints())),
        _leaf("unknown-key-type", ("key",),
              spki_der=seq(seq(oid("1.2.3.4.5.6")), bits(b"\x01\x02\x03\x04"))),
        _leaf("invalid-rsa-numbers", ("key",), spki_der=_rsa_spki((1 << 2047) + 1, 1)),
        _leaf("san-x400address", ("subjectAltName",), extensions=_leaf_extensions(
            "x400", )[:3] + [san_ext(dns("x400.example.com"), ctx(3, seq()))]),
        _leaf("san-edipartyname", ("subjectAltName",), extensions=_leaf_extensions(
            "edi")[:3] + [san_ext(dns("edi.example.com"), ctx(5, ctx(1, tlv(UTF8, b"party"))))]),
        _leaf("year-zero-not-before", ("validity",),
              valid=validity(tlv(GEN, b"00000101000000Z"), tlv(GEN, b"20350101000000Z"))),
        _leaf("name-constraints-x400", ("nameConstraints",), extensions=[
            ca_basic_constraints(), key_usage_ext(b"\x01\x06"), _name_constraints(ctx(3, seq()))]),
        _leaf("name-constraints-edipartyname", ("nameConstraints",), extensions=[
            ca_basic_constraints(), key_usage_ext(b"\x01\x06"),
            _name_constraints(ctx(5, ctx(1, tlv(UTF8, b"party"))))]),
        _leaf("name-constraints-bad-ip", ("nameConstraints",), extensions=[
            ca_basic_constraints(), key_usage_ext(b"\x01\x06"),
            _name_constraints(tlv(0x87, b"\x0a\x00\x00"))]),
        _pss_certificate(),
        # issue 11 item 13: not strict DER, but OpenSSL reads them
        _leaf("ecdsa-null-params", ("ecdsa-null-params.example.com",), sig_alg=ECDSA_SHA256_NULL),
        _leaf("utctime-no-seconds", ("seconds",),
              valid=validity(tlv(UTC, b"2501010000Z"), tlv(UTC, b"3501010000Z"))),
        _leaf("explicit-v1", ("version",), version=0, explicit_v1=True, extensions=[]),
        _leaf("ber-boolean", ("basicConstraints",), extensions=[
            extension(BASIC_CONSTRAINTS, seq(), critical_byte=0x01), key_usage_ext(), eku_ext(),
            san_ext(dns("ber-boolean.example.com"))]),
        _leaf("explicit-ca-false", ("basicConstraints",), extensions=[
            extension(BASIC_CONSTRAINTS, seq(boolean(False)), critical=True), key_usage_ext(),
            eku_ext(), san_ext(dns("explicit-ca-false.example.com"))]),
        _leaf("bad-key-usage-others-kept", ("keyUsage", "bad-key-usage-others-kept.example.com"),
              extensions=[leaf_basic_constraints(), extension(KEY_USAGE, tlv(BITS, b"\x09\xa0")),
                          eku_ext(), san_ext(dns("bad-key-usage-others-kept.example.com"))]),
        _leaf("ip-san-8-bytes", ("8 bytes",), extensions=_leaf_extensions("ip8")[:3] + [
            san_ext(dns("ip8.example.com"), tlv(0x87, bytes([10, 0, 0, 0, 255, 255, 255, 0])))]),
        _leaf("email-in-subject", ("emailAddress",), subject=dn(
            rdn((CN, "mail.example.com")), rdn((EMAIL, "pki@example.com")))),
        _md5_certificate(),
    ]
    found = {s.defect: s for s in made}
    found["ca"] = Strange("ca", ca.der, ("Strange Test Root CA",), _pem(ca.der))
    return found


@cache
def strange_set() -> dict[str, Strange]:
    return _build()


def strange(defect: str) -> Strange:
    return strange_set()[defect]


STRANGE = (
    "empty-rdn-subject", "empty-rdn-issuer", "duplicate-extension", "unknown-key-type",
    "invalid-rsa-numbers", "san-x400address", "san-edipartyname", "year-zero-not-before",
    "name-constraints-x400", "name-constraints-edipartyname", "name-constraints-bad-ip",
    "rsa-pss", "ecdsa-null-params", "utctime-no-seconds", "explicit-v1", "ber-boolean",
    "explicit-ca-false", "bad-key-usage-others-kept", "ip-san-8-bytes", "email-in-subject",
    "md5-signature",
)


def bad_version_crl() -> bytes:
    """A CRL whose version is 5 (pyca: InvalidVersion), signed by the strange CA."""
    ca = strange_ca()
    body = seq(integer(5), ECDSA_SHA256, ca.name, utc_time(NOT_BEFORE), utc_time(NOT_AFTER))
    return sign(body, ca.key)


def ip(text: str) -> bytes:
    return ipaddress.ip_address(text).packed
