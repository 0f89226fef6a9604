"""Did issuer I sign certificate C? Checked with I's public key over C's TBS bytes.

pyca's `verify_directly_issued_by` refuses SHA-1 signatures and compares the issuer name byte for
byte, but old private CAs in Cisco deployments still sign with SHA-1 and re-encode names. So the
check is done here with the low-level primitives and C's own hash and padding (PKCS#1 v1.5, PSS
with the parameters from the certificate, ECDSA, Ed25519, Ed448, DSA). Names are matched by the
caller (chain.py, RFC 5280 folding); here only the signature decides.

Nothing here raises for odd input: an unparseable key or an unknown algorithm is "not verified",
with the reason in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa

from collabcert import der

WEAK_HASHES = ("sha1", "md5")


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of checking one signature."""

    verified: bool
    algorithm: str = ""  # plain words: "ECDSA with SHA-256", "RSA-PSS with SHA-384", "Ed25519"
    reason: str = ""  # why it is not verified; empty when verified
    weak_hash: str = ""  # "sha1" or "md5" when the signature uses one (the caller warns)
    unverifiable: bool = False  # could not be checked at all (key/algorithm), not a bad signature

    @property
    def sha1(self) -> bool:
        return self.weak_hash == "sha1"

    @property
    def how(self) -> str:
        """One line for a chain preview: how the link was (not) verified."""
        if self.verified:
            return f"signature verified ({self.algorithm})"
        return f"not verified: {self.reason}"


_HASH_LABELS = {
    "sha1": "SHA-1",
    "md5": "MD5",
    "sha224": "SHA-224",
    "sha256": "SHA-256",
    "sha384": "SHA-384",
    "sha512": "SHA-512",
    "sha3-256": "SHA3-256",
    "sha3-384": "SHA3-384",
    "sha3-512": "SHA3-512",
}


def hash_label(algorithm: hashes.HashAlgorithm | None) -> str:
    if algorithm is None:
        return ""
    return _HASH_LABELS.get(algorithm.name, algorithm.name.upper())


def verify_signature(certificate: x509.Certificate, issuer: x509.Certificate) -> SignatureCheck:
    """Was `certificate` signed by the key of `issuer`? (Pass the same certificate for a root.)"""
    try:
        public = issuer.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        return _unverifiable(f"the issuer's public key cannot be read ({_short(exc)})")
    return verify_with_key(certificate, public)


def verify_csr(csr: x509.CertificateSigningRequest) -> SignatureCheck:
    """Is the CSR signed by its own key? pyca's `is_signature_valid` says no to every SHA-1 CSR."""
    try:
        public = csr.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        return _unverifiable(f"the CSR's public key cannot be read ({_short(exc)})")
    return verify_with_key(csr, public)


def verify_with_key(
    certificate: x509.Certificate | x509.CertificateSigningRequest, public: object
) -> SignatureCheck:
    """Was `certificate` (or a CSR) signed by `public` (a public key object)?"""
    is_csr = isinstance(certificate, x509.CertificateSigningRequest)
    try:
        data = certificate.tbs_certrequest_bytes if is_csr else certificate.tbs_certificate_bytes
        signature = certificate.signature
    except ValueError as exc:
        return _unverifiable(f"the certificate cannot be read ({_short(exc)})")
    if not is_csr and not _same_inner_algorithm(certificate):
        # RFC 5280 4.1.1.2: the algorithm inside the TBS must equal the outer one; OpenSSL and
        # pyca refuse a mismatch, so a link over one would not be accepted by any product.
        return _unverifiable("the inner and outer signature algorithms differ")
    try:
        digest = certificate.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return _unverifiable(f"unsupported signature algorithm {_oid_name(certificate)}")
    try:
        label, checker = _checker(certificate, public, digest)
    except _Unsupported as exc:
        return _unverifiable(str(exc))
    weak = digest.name if digest is not None and digest.name in WEAK_HASHES else ""
    try:
        checker(signature, data)
    except InvalidSignature:
        return SignatureCheck(False, label, "the signature does not match the issuer's key", weak)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        return SignatureCheck(False, label, f"cannot be checked ({_short(exc)})", weak, True)
    return SignatureCheck(True, label, "", weak)


class _Unsupported(Exception):
    pass


def _checker(certificate: x509.Certificate, public: object, digest: hashes.HashAlgorithm | None):
    """The label and a `check(signature, data)` callable for this certificate's algorithm."""
    name = hash_label(digest)
    try:
        params = certificate.signature_algorithm_parameters
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise _Unsupported(f"unsupported signature parameters ({_short(exc)})") from exc
    if isinstance(public, rsa.RSAPublicKey):
        if digest is None:
            raise _Unsupported("an RSA key cannot check a signature without a hash")
        if isinstance(params, padding.PSS):
            return f"RSA-PSS with {name}", lambda s, d: public.verify(s, d, params, digest)
        if isinstance(params, padding.PKCS1v15) or params is None:
            return f"RSA with {name}", lambda s, d: public.verify(s, d, padding.PKCS1v15(), digest)
        raise _Unsupported(f"an RSA key cannot check a {_oid_name(certificate)} signature")
    if isinstance(public, ec.EllipticCurvePublicKey):
        # pyca gives no parameters for ecdsa-with-SHA1; the hash alone is enough
        ecdsa_oid = _oid_name(certificate).lower().startswith("ecdsa")
        if not (isinstance(params, ec.ECDSA) or ecdsa_oid) or digest is None:
            raise _Unsupported(f"an EC key cannot check a {_oid_name(certificate)} signature")
        return f"ECDSA with {name}", lambda s, d: public.verify(s, d, ec.ECDSA(digest))
    if isinstance(public, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        label = "Ed25519" if isinstance(public, ed25519.Ed25519PublicKey) else "Ed448"
        if digest is not None or not _oid_name(certificate).lower().startswith(label.lower()):
            raise _Unsupported(f"an {label} key cannot check a {_oid_name(certificate)} signature")
        return label, lambda s, d: public.verify(s, d)
    if isinstance(public, dsa.DSAPublicKey):
        if digest is None or not _oid_name(certificate).lower().startswith("dsa"):
            raise _Unsupported(f"a DSA key cannot check a {_oid_name(certificate)} signature")
        return f"DSA with {name}", lambda s, d: public.verify(s, d, digest)
    raise _Unsupported(f"the issuer's key type ({type(public).__name__}) is not supported")


def _unverifiable(reason: str) -> SignatureCheck:
    return SignatureCheck(False, "", reason, "", True)


def _oid_name(certificate: x509.Certificate) -> str:
    try:
        oid = certificate.signature_algorithm_oid
    except ValueError:
        return "unknown"
    return getattr(oid, "_name", None) or oid.dotted_string


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


# --- the two AlgorithmIdentifiers, read straight from the DER (pyca shows only the outer one) ---


def _same_inner_algorithm(certificate: x509.Certificate) -> bool:
    from cryptography.hazmat.primitives.serialization import Encoding

    data = certificate.public_bytes(Encoding.DER)
    outer = der.read_tlv(data)
    if outer is None or outer.length is None:
        return True  # cannot tell: leave the decision to the signature itself
    parts = der.children(data, outer, limit=2)  # TBSCertificate, signatureAlgorithm
    if len(parts) < 2 or parts[1].end is None:
        return True
    # TBSCertificate: [0] version (optional), serialNumber, signature AlgorithmIdentifier, ...
    fields = der.children(data, parts[0], limit=3)
    index = 2 if fields and fields[0].tag == 0xA0 else 1
    if len(fields) <= index or fields[index].end is None:
        return True
    inner = data[fields[index].start : fields[index].end]
    return inner == data[parts[1].start : parts[1].end]
