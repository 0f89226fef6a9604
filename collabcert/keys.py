"""Private keys: the key types we offer, generating them, naming them and comparing public keys."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPublicKeyTypes,
    PrivateKeyTypes,
    PublicKeyTypes,
)

from collabcert import der, pem
from collabcert.errors import InputError

_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "p256": ec.SECP256R1,
    "p384": ec.SECP384R1,
    "p521": ec.SECP521R1,
}
_CURVE_LABELS = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
RSA_SIZES = (2048, 3072, 4096)


@dataclass(frozen=True)
class KeySpec:
    """A key type as written on the command line: `rsa:2048` or `ec:p256`."""

    algorithm: str  # "rsa" or "ec"
    size: int = 0  # RSA modulus bits
    curve: str = ""  # "p256", "p384", "p521"

    def __str__(self) -> str:
        return f"rsa:{self.size}" if self.algorithm == "rsa" else f"ec:{self.curve}"

    @property
    def label(self) -> str:
        if self.algorithm == "rsa":
            return f"RSA {self.size}"
        return f"ECDSA {self.curve.upper().replace('P', 'P-')}"


def parse_key_spec(text: str) -> KeySpec:
    """Read `rsa:2048|rsa:3072|rsa:4096|ec:p256|ec:p384|ec:p521`; anything weaker is refused."""
    algorithm, _, param = text.strip().lower().partition(":")
    if algorithm == "rsa" and param.isdigit() and int(param) in RSA_SIZES:
        return KeySpec("rsa", size=int(param))
    if algorithm == "ec" and param in _CURVES:
        return KeySpec("ec", curve=param)
    raise InputError(
        f"key type {text!r} is not offered; use one of "
        "rsa:2048, rsa:3072, rsa:4096, ec:p256, ec:p384, ec:p521"
    )


def generate_key(spec: KeySpec) -> PrivateKeyTypes:
    if spec.algorithm == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=spec.size)
    return ec.generate_private_key(_CURVES[spec.curve]())


def key_spec_of(key: PrivateKeyTypes | PublicKeyTypes) -> KeySpec | None:
    """The KeySpec a key was made with, or None when it is not one we offer."""
    public = key.public_key() if hasattr(key, "public_key") else key
    if isinstance(public, rsa.RSAPublicKey) and public.key_size in RSA_SIZES:
        return KeySpec("rsa", size=public.key_size)
    if isinstance(public, ec.EllipticCurvePublicKey):
        for short, curve in _CURVES.items():
            if isinstance(public.curve, curve):
                return KeySpec("ec", curve=short)
    return None


def describe_key(key: PrivateKeyTypes | PublicKeyTypes) -> str:
    """A short plain name: `RSA 2048`, `EC P-256`, `Ed25519`."""
    public = key.public_key() if hasattr(key, "public_key") else key
    if isinstance(public, rsa.RSAPublicKey):
        return f"RSA {public.key_size}"
    if isinstance(public, ec.EllipticCurvePublicKey):
        return f"EC {_CURVE_LABELS.get(public.curve.name, public.curve.name)}"
    if isinstance(public, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(public, ed448.Ed448PublicKey):
        return "Ed448"
    if isinstance(public, dsa.DSAPublicKey):
        return f"DSA {public.key_size}"
    return type(public).__name__


def key_type(key: PrivateKeyTypes | PublicKeyTypes) -> str:
    """`rsa`, `ec`, `ed25519`, `ed448`, `dsa` or `other`."""
    name = describe_key(key).split()[0].lower()
    return name if name in {"rsa", "ec", "ed25519", "ed448", "dsa"} else "other"


def key_bits(key: PrivateKeyTypes | PublicKeyTypes) -> int:
    public = key.public_key() if hasattr(key, "public_key") else key
    if isinstance(public, rsa.RSAPublicKey | dsa.DSAPublicKey):
        return public.key_size
    if isinstance(public, ec.EllipticCurvePublicKey):
        return public.curve.key_size
    if isinstance(public, ed25519.Ed25519PublicKey):
        return 256
    if isinstance(public, ed448.Ed448PublicKey):
        return 456
    return 0


def spki_der(public: PublicKeyTypes | CertificateIssuerPublicKeyTypes) -> bytes:
    return public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def spki_sha256(public: PublicKeyTypes) -> str:
    """Hex SHA-256 of the SubjectPublicKeyInfo: what we compare to match keys, CSRs and certs."""
    return hashlib.sha256(spki_der(public)).hexdigest()


def public_key_of(
    thing: PrivateKeyTypes | x509.Certificate | x509.CertificateSigningRequest,
) -> PublicKeyTypes:
    if isinstance(thing, x509.Certificate | x509.CertificateSigningRequest):
        return thing.public_key()
    return thing.public_key()


def same_public_key(a: object, b: object) -> bool:
    return spki_der(public_key_of(a)) == spki_der(public_key_of(b))  # type: ignore[arg-type]


def private_key_pem(key: PrivateKeyTypes, passphrase: bytes | None = None) -> bytes:
    """PKCS#8 PEM. Unencrypted by default: Expressway and CMS refuse locked keys on upload.

    With a passphrase: PBES2 with PBKDF2-HMAC-SHA256 at KDF_ITERATIONS and AES-256-CBC (see
    `encrypted_pkcs8`), not pyca's BestAvailableEncryption (PBKDF2 at 2048 iterations).
    """
    if not passphrase:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    return pem.encode("ENCRYPTED PRIVATE KEY", encrypted_pkcs8(key, passphrase)).encode("ascii")


# OWASP's 2023 advice for PBKDF2-HMAC-SHA256. Chosen over scrypt because every OpenSSL and Java
# keytool reads PBES2/PBKDF2; pyca 50 offers no work factor for PKCS#8 (its encryption_builder is
# for PKCS#12 and OpenSSH only), so the structure is built here (RFC 8018).
KDF_ITERATIONS = 600_000
_PBES2 = "1.2.840.113549.1.5.13"
_PBKDF2 = "1.2.840.113549.1.5.12"
_HMAC_SHA256 = "1.2.840.113549.2.9"
_AES256_CBC = "2.16.840.1.101.3.4.1.42"


def check_passphrase(passphrase: bytes, source: str) -> None:
    """Refuse what would write a key nobody can open (readers stop at a NUL)."""
    if b"\x00" in passphrase:
        raise InputError(f"{source}: the passphrase contains a NUL byte; nothing was written; "
                         "check the passphrase file")


def encrypted_pkcs8(key: PrivateKeyTypes, passphrase: bytes,
                    iterations: int = KDF_ITERATIONS) -> bytes:
    """EncryptedPrivateKeyInfo (DER): PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC."""
    import os

    from cryptography.hazmat.primitives import hashes, padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    check_passphrase(passphrase, "the key passphrase")
    plain = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    salt, iv = os.urandom(16), os.urandom(16)
    secret = PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations).derive(passphrase)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(secret), modes.CBC(iv)).encryptor()
    data = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    kdf = _seq(_oid(_PBKDF2), _seq(_octets(salt), _int(iterations), _int(32),
                                     _seq(_oid(_HMAC_SHA256), b"\x05\x00")))
    scheme = _seq(_oid(_AES256_CBC), _octets(iv))
    return _seq(_seq(_oid(_PBES2), _seq(kdf, scheme)), _octets(data))


def _seq(*parts: bytes) -> bytes:
    return der.encode_tlv(0x30, b"".join(parts))


def _octets(value: bytes) -> bytes:
    return der.encode_tlv(0x04, value)


def _int(value: int) -> bytes:
    return der.encode_tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(part) for part in dotted.split("."))
    body = bytearray([40 * first + second])
    for number in rest:
        chunk = [number & 0x7F]
        while number > 0x7F:
            number >>= 7
            chunk.append(0x80 | (number & 0x7F))
        body += bytes(reversed(chunk))
    return der.encode_tlv(0x06, bytes(body))


def private_key_der(key: PrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
