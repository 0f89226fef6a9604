"""sigverify: a certificate checked with its issuer's key, for every algorithm CAs use.

pyca 50 can no longer *sign* with SHA-1, so `resign` below rewrites a certificate by hand: the
TBS gets the SHA-1 algorithm identifier and is signed with the low-level primitive. Such old
certificates are what private CAs in Cisco labs still hand out.
"""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, padding, rsa
from pki import issue, name

from collabcert.sigverify import verify_signature, verify_with_key

# AlgorithmIdentifier DER for the SHA-1 signatures pyca refuses to make.
_SHA1_ALGID = {
    "rsa": bytes.fromhex("300d06092a864886f70d0101050500"),  # sha1WithRSAEncryption, NULL
    "ec": bytes.fromhex("300906072a8648ce3d0401"),  # ecdsa-with-SHA1
    "dsa": bytes.fromhex("300906072a8648ce380403"),  # dsa-with-sha1
}


def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _len(len(content)) + content


def _elements(content: bytes) -> list[bytes]:
    out, at = [], 0
    while at < len(content):
        length, start = content[at + 1], at + 2
        if length & 0x80:
            count = length & 0x7F
            length, start = int.from_bytes(content[start : start + count], "big"), start + count
        out.append(content[at : start + length])
        at = start + length
    return out


def _strip(element: bytes) -> bytes:
    length, start = element[1], 2
    if length & 0x80:
        start += length & 0x7F
    return element[start:]


def resign(cert: x509.Certificate, key, *, outer_only: bool = False) -> x509.Certificate:
    """`cert` signed again by `key` with SHA-1 (or with only the outer algorithm changed)."""
    kind = "rsa" if isinstance(key, rsa.RSAPrivateKey) else "dsa" if isinstance(
        key, dsa.DSAPrivateKey
    ) else "ec"
    algid = _SHA1_ALGID[kind]
    fields = _elements(_strip(cert.tbs_certificate_bytes))
    index = 1 if fields[0][0] != 0xA0 else 2
    if not outer_only:
        fields[index] = algid
    tbs = _tlv(0x30, b"".join(fields))
    if kind == "rsa":
        signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    elif kind == "dsa":
        signature = key.sign(tbs, hashes.SHA1())
    else:
        signature = key.sign(tbs, ec.ECDSA(hashes.SHA1()))
    der = _tlv(0x30, tbs + algid + _tlv(0x03, b"\x00" + signature))
    return x509.load_der_x509_certificate(der)


@pytest.fixture(scope="module")
def rsa_ca():
    return issue("RSA CA", key_kind="rsa", ca=True)


@pytest.fixture(scope="module")
def ec_ca():
    return issue("EC CA", ca=True)


def _pss(digest, salt):
    return padding.PSS(mgf=padding.MGF1(digest), salt_length=salt)


def test_rsa_pkcs1(rsa_ca):
    leaf = issue("leaf", issuer=rsa_ca)
    check = verify_signature(leaf.cert, rsa_ca.cert)
    assert check.verified and check.algorithm == "RSA with SHA-256" and not check.weak_hash
    assert check.how == "signature verified (RSA with SHA-256)"


@pytest.mark.parametrize(
    ("digest", "salt", "label"),
    [
        (hashes.SHA256(), 32, "RSA-PSS with SHA-256"),
        (hashes.SHA384(), padding.PSS.MAX_LENGTH, "RSA-PSS with SHA-384"),
        (hashes.SHA512(), 20, "RSA-PSS with SHA-512"),
    ],
)
def test_rsa_pss_with_the_certificates_own_parameters(rsa_ca, digest, salt, label):
    builder = (
        x509.CertificateBuilder()
        .subject_name(name("pss leaf"))
        .issuer_name(rsa_ca.cert.subject)
        .public_key(ec.generate_private_key(ec.SECP256R1()).public_key())
        .serial_number(7)
        .not_valid_before(rsa_ca.cert.not_valid_before_utc)
        .not_valid_after(rsa_ca.cert.not_valid_after_utc)
    )
    cert = builder.sign(rsa_ca.key, digest, rsa_padding=_pss(digest, salt))
    check = verify_signature(cert, rsa_ca.cert)
    assert check.verified, check.reason
    assert check.algorithm == label


@pytest.mark.parametrize("kind", ["ec", "ec384", "ed25519"])
def test_ecdsa_and_ed25519(kind):
    ca = issue("CA " + kind, key_kind=kind, ca=True)
    leaf = issue("leaf", issuer=ca)
    check = verify_signature(leaf.cert, ca.cert)
    assert check.verified
    assert check.algorithm == {"ec": "ECDSA with SHA-256", "ec384": "ECDSA with SHA-256",
                               "ed25519": "Ed25519"}[kind]


def test_ed448(ec_ca):
    key = ed448.Ed448PrivateKey.generate()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Ed448 CA"))
        .issuer_name(name("Ed448 CA"))
        .public_key(key.public_key())
        .serial_number(9)
        .not_valid_before(ec_ca.cert.not_valid_before_utc)
        .not_valid_after(ec_ca.cert.not_valid_after_utc)
        .sign(key, None)
    )
    check = verify_signature(cert, cert)
    assert check.verified and check.algorithm == "Ed448"
    assert not verify_signature(cert, ec_ca.cert).verified


@pytest.fixture(scope="module")
def dsa_ca():
    key = dsa.generate_private_key(2048)
    return issue("DSA CA", key=key, ca=True)


def test_dsa(dsa_ca):
    leaf = issue("leaf", issuer=dsa_ca)
    check = verify_signature(leaf.cert, dsa_ca.cert)
    assert check.verified and check.algorithm == "DSA with SHA-256"


@pytest.mark.parametrize("which", ["rsa", "ec", "dsa"])
def test_sha1_links_are_verified_and_flagged(which, rsa_ca, ec_ca, dsa_ca):
    ca = {"rsa": rsa_ca, "ec": ec_ca, "dsa": dsa_ca}[which]
    leaf = resign(issue("old leaf", issuer=ca).cert, ca.key)
    assert leaf.signature_hash_algorithm.name == "sha1"
    with pytest.raises(ValueError):  # why this module exists
        leaf.verify_directly_issued_by(ca.cert)
    check = verify_signature(leaf, ca.cert)
    assert check.verified, check.reason
    assert check.sha1 and check.weak_hash == "sha1" and "SHA-1" in check.algorithm


def test_wrong_issuer_is_a_mismatch_not_an_error(ec_ca):
    other = issue("EC CA", ca=True)  # same name, another key
    leaf = issue("leaf", issuer=ec_ca)
    check = verify_signature(leaf.cert, other.cert)
    assert not check.verified and not check.unverifiable
    assert "does not match" in check.reason
    assert check.how.startswith("not verified: ")


def test_key_of_another_type_is_unverifiable(rsa_ca, ec_ca):
    leaf = issue("leaf", issuer=rsa_ca)
    check = verify_signature(leaf.cert, ec_ca.cert)
    assert not check.verified and check.unverifiable
    assert "EC key" in check.reason


def test_inner_and_outer_algorithm_differ(rsa_ca):
    leaf = resign(issue("leaf", issuer=rsa_ca).cert, rsa_ca.key, outer_only=True)
    check = verify_signature(leaf, rsa_ca.cert)
    assert not check.verified and check.unverifiable and "differ" in check.reason


def test_tampered_signature(ec_ca):
    leaf = issue("leaf", issuer=ec_ca).cert
    good = verify_with_key(leaf, ec_ca.key.public_key())
    assert good.verified
    other_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    assert not verify_with_key(leaf, other_key).verified


def test_unknown_public_key_object_never_raises(ec_ca):
    leaf = issue("leaf", issuer=ec_ca).cert
    check = verify_with_key(leaf, object())
    assert not check.verified and check.unverifiable and "not supported" in check.reason
