"""Read what OpenSSL reads, and say why not in plain words (issue 11 item 13).

Each case is a real file shape: a .cer ending in a newline or NULs, a store of roots in one .der,
a cut-short PKCS#12, certificates that are not strict DER (from tests/strange_certs.py), an
emailAddress in a subject, an 8-byte IP SAN, a DER CRL, an MD5 signature.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pki import der_of, issue, name
from strange_certs import bad_version_crl, strange, strange_ca

from collabcert.errors import InputError
from collabcert.lint import LintInput, run_lint
from collabcert.load import load_bytes
from collabcert.model import describe_lines, summarize_certificate


@pytest.fixture(scope="module")
def roots():
    return [issue(name(f"Store Root {n}"), ca=True).cert for n in range(5)]


@pytest.mark.parametrize("tail", [b"\n", b"\r\n", b"\x00", b"\x00" * 7, b"\r\n\x00\x00"],
                         ids=["LF", "CRLF", "NUL", "NULs", "CRLF-NULs"])
def test_a_der_certificate_with_trailing_bytes_is_read_and_said(roots, tail: bytes) -> None:
    read = load_bytes(der_of(roots[0]) + tail, "root.cer")
    assert read.certificates == [roots[0]]
    (note,) = [f for f in read.findings if f.id == "LOAD-TRAILING"]
    assert str(note.severity) == "info" and "trailing bytes" in note.message
    assert f"{len(tail)} trailing" in note.message


def test_junk_after_der_is_still_refused(roots) -> None:
    with pytest.raises(InputError, match="bytes follow it"):
        load_bytes(der_of(roots[0]) + b"this is not DER", "root.cer")


def test_concatenated_der_certificates_are_all_read(roots) -> None:
    store = b"".join(der_of(c) for c in roots)
    read = load_bytes(store, "roots.der")
    assert read.certificates == roots
    assert [i.index for i in read.items] == [1, 2, 3, 4, 5]
    assert not read.findings


def test_one_unreadable_certificate_in_a_der_store_is_named_the_rest_read(roots) -> None:
    store = der_of(roots[0]) + strange("utctime-no-seconds").der + der_of(roots[1]) + b"\n"
    read = load_bytes(store, "roots.der")
    assert read.certificates == [roots[0], roots[1]]
    (bad,) = [f for f in read.findings if f.id == "LOAD-BINARY"]
    assert "DER element 2" in bad.message and "has no seconds" in bad.message


def test_a_truncated_pkcs12_is_cut_short_not_locked() -> None:
    server = issue("p12.example.com")
    p12 = pkcs12.serialize_key_and_certificates(
        b"server", server.key, server.cert, None, serialization.BestAvailableEncryption(b"secret"))
    for cut in (len(p12) // 2, len(p12) - 10):
        with pytest.raises(InputError) as error:
            load_bytes(p12[:cut], "server.p12")
        assert "cut short" in str(error.value) and "password" not in str(error.value)


def test_lint_of_a_truncated_pkcs12_is_bad_input_not_a_locked_key() -> None:
    server = issue("p12.example.com")
    p12 = pkcs12.serialize_key_and_certificates(
        b"server", server.key, server.cert, None, serialization.BestAvailableEncryption(b"secret"))
    with pytest.raises(InputError, match="cut short"):
        run_lint([LintInput("server.p12", p12[:200])], role="expressway-e")


NOT_STRICT = {
    "ecdsa-null-params": "signature algorithm carries parameters (NULL) where ECDSA takes none",
    "utctime-no-seconds": "its validity time has no seconds",
    "explicit-v1": "writes its version v1 out",
    "ber-boolean": "critical flag is not a DER BOOLEAN",
}


@pytest.mark.parametrize("defect", NOT_STRICT)
def test_non_strict_der_pyca_refuses_is_one_plain_sentence(defect: str) -> None:
    for data, source in ((strange(defect).der, "x.cer"), (strange(defect).pem, "x.pem")):
        with pytest.raises(InputError) as error:
            load_bytes(data, source)
        text = str(error.value)
        assert NOT_STRICT[defect] in text and "OpenSSL accepts this, collabcert cannot" in text
        assert "ParseError" not in text and "location" not in text and source in text


def test_explicit_ca_false_is_read_as_ca_false_and_said() -> None:
    read = load_bytes(strange("explicit-ca-false").der, "leaf.cer")
    summary = summarize_certificate(read.certificates[0])
    assert summary.has_basic_constraints and not summary.is_ca
    assert summary.sans == (("DNS", "explicit-ca-false.example.com"),)
    (note,) = [f for f in read.findings if f.id == "CRT-NOT-STRICT"]
    assert "CA:FALSE" in note.message and str(note.severity) == "info"


def test_email_address_is_named_like_openssl_names_it() -> None:
    summary = summarize_certificate(load_bytes(strange("email-in-subject").der).certificates[0])
    assert "emailAddress=pki@example.com" in summary.subject
    assert "1.2.840.113549.1.9.1" not in summary.subject


def test_an_8_byte_ip_san_is_not_shown_as_a_network() -> None:
    summary = summarize_certificate(load_bytes(strange("ip-san-8-bytes").der).certificates[0])
    ip = dict(summary.sans)["IP"]
    assert ip.startswith("unreadable IP (8 bytes") and "/24" not in ip
    assert ("SAN IP", ip) in describe_lines(summary)


def test_a_der_crl_is_named_as_a_crl_like_a_pem_crl() -> None:
    der = bad_version_crl()
    pem = b"-----BEGIN X509 CRL-----\n" + base64.encodebytes(der) + b"-----END X509 CRL-----\n"
    for data in (der, pem):
        with pytest.raises(InputError, match="certificate revocation list"):
            load_bytes(data, "ca.crl")


def test_a_good_der_crl_is_named_too() -> None:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    ca = strange_ca()
    crl = (x509.CertificateRevocationListBuilder()
           .issuer_name(x509.load_der_x509_certificate(ca.der).subject)
           .last_update(dt.datetime(2025, 1, 1)).next_update(dt.datetime(2035, 1, 1))
           .sign(ca.key, hashes.SHA256()))
    with pytest.raises(InputError, match="certificate revocation list"):
        load_bytes(crl.public_bytes(serialization.Encoding.DER), "ca.crl")


def test_no_refusal_shows_pyca_debug_text() -> None:
    """Every strange certificate, PEM and DER: no `ParseError { kind ... }` in any sentence."""
    from strange_certs import STRANGE

    for defect in STRANGE:
        for data in (strange(defect).der, strange(defect).pem):
            try:
                read = load_bytes(data, "x")
            except InputError as error:
                text = str(error)
            else:
                text = " ".join(f.message for f in read.findings)
            assert "ParseError" not in text and "kind:" not in text, (defect, text)
