"""Summaries: every field a person checks when a certificate comes back from the CA."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID
from pki import DAY, NOW, issue, make_pki, name, sha1_signed

from collabcert.model import colon_hex, describe_lines, summarize


@pytest.fixture(scope="module")
def pki():
    return make_pki("ec", leaf_cn="expe.example.com", sans=["expe.example.com", "10.0.0.5"])


def test_leaf_summary(pki) -> None:
    s = summarize(pki.leaf.cert)
    assert s.subject == "CN=expe.example.com"
    assert s.subject_cn == "expe.example.com"
    assert s.issuer == "CN=Example Issuing CA, O=Example"
    assert s.issuer_cn == "Example Issuing CA"
    assert s.sans == (("DNS", "expe.example.com"), ("IP", "10.0.0.5"))
    assert s.key == "EC P-256"
    assert s.signature_algorithm == "ecdsa-with-SHA256"
    assert s.extended_key_usage == ("serverAuth", "clientAuth")
    assert "digitalSignature" in s.key_usage
    assert (s.has_basic_constraints, s.is_ca, s.self_signed) == (True, False, False)
    assert s.sha256 == pki.leaf.cert.fingerprint(hashes.SHA256()).hex()
    assert s.sha1 == pki.leaf.cert.fingerprint(hashes.SHA1()).hex()
    assert s.ski and s.aki == summarize(pki.intermediate.cert).ski
    assert s.serial == format(pki.leaf.cert.serial_number, "x")
    assert 363 <= s.days_left() <= 365


def test_root_and_intermediate(pki) -> None:
    root, inter = summarize(pki.root.cert), summarize(pki.intermediate.cert)
    assert (root.is_ca, root.self_issued, root.self_signed) == (True, True, True)
    assert (inter.is_ca, inter.self_signed, inter.path_length) == (True, False, 0)


def test_self_issued_with_another_key_is_not_self_signed() -> None:
    signer = issue(name("Same CA"), ca=True)
    other = issue(name("Same CA"), issuer=signer, ca=True)  # same name, signed by the old key
    s = summarize(other.cert)
    assert (s.self_issued, s.self_signed) == (True, False)


def test_rsa_sha1_and_expired() -> None:
    ca = issue(name("Old CA"), key_kind="rsa", ca=True)
    old = issue("old.example.com", issuer=ca, key_kind="rsa",
                not_before=NOW - 900 * DAY, not_after=NOW - 10 * DAY, eku=[])
    s = summarize(sha1_signed(old.cert, ca.key))
    assert (s.key, s.signature_hash) == ("RSA 2048", "sha1")
    assert s.days_left() < 0
    rows = dict(describe_lines(s))
    assert "expired" in rows["Valid until"]
    assert rows["Extended key usage"] == "(none)"


def test_csr_summary(pki) -> None:
    s = summarize(pki.csr)
    assert (s.kind, s.subject_cn, s.signature_valid) == ("csr", "expe.example.com", True)
    assert s.spki_sha256 == summarize(pki.leaf.cert).spki_sha256


def test_key_summary_has_no_key_material(pki) -> None:
    s = summarize(pki.leaf.key, form="PKCS#8")
    assert s.key == "EC P-256"
    text = repr(s.to_json())
    numbers = pki.leaf.key.private_numbers()
    assert format(numbers.private_value, "x") not in text


def test_json_is_plain(pki) -> None:
    data = summarize(pki.leaf.cert).to_json()
    assert data["sans"][1] == {"type": "IP", "value": "10.0.0.5"}
    assert dt.datetime.fromisoformat(data["not_after"]).tzinfo is not None


def test_names_with_brackets_are_kept_as_typed() -> None:
    cert = issue(x509.Name.from_rfc4514_string("CN=lab.example.com,O=[Lab]"),
                 eku=[ExtendedKeyUsageOID.SERVER_AUTH]).cert
    assert summarize(cert).subject == "CN=lab.example.com, O=[Lab]"


def test_colon_hex() -> None:
    assert colon_hex("ab01ff") == "AB:01:FF"


def test_tampered_csr_signature_is_invalid(pki) -> None:
    from cryptography.hazmat.primitives import serialization

    der = bytearray(pki.csr.public_bytes(serialization.Encoding.DER))
    der[-5] ^= 0x01  # inside the signature
    bad = x509.load_der_x509_csr(bytes(der))
    assert summarize(bad).signature_valid is False


def test_unreadable_extensions_are_said_not_hidden() -> None:
    import cryptography_vectors

    from collabcert.load import load_bytes

    data = cryptography_vectors.open_vector_file("x509/custom/two_basic_constraints.pem", "rb")
    summary = summarize(load_bytes(data.read()).certificates[0])
    assert "appears twice" in summary.extensions_note  # plain words, not pyca's exception name
    assert dict(describe_lines(summary))["Extensions"].startswith("(unreadable)")
