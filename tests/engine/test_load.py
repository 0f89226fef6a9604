"""The reader: every shape a certificate, CSR or key comes in, made here with pyca."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from pki import Pki, der_of, make_pki, new_key, pem_of

from collabcert.errors import CollabcertError, InputError, PasswordNeeded
from collabcert.load import ItemKind, load_bytes, load_path, load_text
from collabcert.model import summarize

PEM, DER = serialization.Encoding.PEM, serialization.Encoding.DER
PKCS8, TRAD = serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL
NOENC = serialization.NoEncryption()


@pytest.fixture(scope="module")
def rsa_pki() -> Pki:
    return make_pki("rsa")


@pytest.fixture(scope="module")
def ec_pki() -> Pki:
    return make_pki("ec")


def kinds(loaded) -> list[str]:
    return [item.kind.value for item in loaded.items]


# --- PEM in every kind of wrapping ------------------------------------------------------------


def test_pem_with_junk_around_and_between_blocks(rsa_pki: Pki) -> None:
    leaf, inter = rsa_pki.leaf.pem.decode(), rsa_pki.intermediate.pem.decode()
    text = f"Hello,\nhere is your cert:\n{leaf}\n-- \nand the CA:\n\n{inter}\nRegards, the CA\n"
    loaded = load_text(text, "mail.txt")
    assert loaded.certificates == [rsa_pki.leaf.cert, rsa_pki.intermediate.cert]
    assert [i.index for i in loaded.items] == [1, 2]
    assert loaded.findings == []


@pytest.mark.parametrize(
    "transform, encoding",
    [
        (lambda b: b.replace(b"\n", b"\r\n"), ""),
        (lambda b: b"\xef\xbb\xbf" + b, "UTF-8 with a byte order mark"),
        (lambda b: b.decode().encode("utf-16"), "UTF-16"),  # with BOM, as Windows writes it
        (lambda b: b.decode().encode("utf-16-le"), "UTF-16"),  # no BOM
        (lambda b: b.decode().encode("utf-16-be"), "UTF-16"),
        (lambda b: b + b"\x1a", ""),  # DOS end-of-file marker
        (lambda b: b.replace(b"\n", b"\r\n").decode().encode("utf-16") + "\x1a".encode("utf-16-le"),
         "UTF-16"),
    ],
    ids=["crlf", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "ctrl-z", "utf16-crlf-ctrl-z"],
)
def test_text_encodings(ec_pki: Pki, transform, encoding: str) -> None:
    data = transform(pem_of(ec_pki.leaf.cert, ec_pki.root.cert))
    loaded = load_bytes(data, "export.cer")
    assert loaded.certificates == [ec_pki.leaf.cert, ec_pki.root.cert]
    assert loaded.text_encoding == encoding


@pytest.mark.parametrize("label", ["X509 CERTIFICATE", "CERTIFICATE"])
def test_legacy_certificate_label(ec_pki: Pki, label: str) -> None:
    text = ec_pki.leaf.pem.decode().replace("CERTIFICATE", label)
    assert load_text(text).certificates == [ec_pki.leaf.cert]


def test_trusted_certificate_label_with_openssl_trust_data(ec_pki: Pki) -> None:
    # OpenSSL's TRUSTED CERTIFICATE is the DER certificate followed by an X509_CERT_AUX sequence.
    aux = bytes.fromhex("300c300a06082b06010505070301")  # trust: serverAuth
    body = base64.encodebytes(der_of(ec_pki.root.cert) + aux).decode()
    text = f"-----BEGIN TRUSTED CERTIFICATE-----\n{body}-----END TRUSTED CERTIFICATE-----\n"
    assert load_text(text).certificates == [ec_pki.root.cert]


def test_new_certificate_request_label(ec_pki: Pki) -> None:
    text = ec_pki.csr.public_bytes(PEM).decode().replace("CERTIFICATE REQUEST",
                                                         "NEW CERTIFICATE REQUEST")
    loaded = load_text(text)
    assert kinds(loaded) == ["csr"]
    assert loaded.csrs[0].public_bytes(DER) == ec_pki.csr.public_bytes(DER)


def test_quoted_email_reply_lines(ec_pki: Pki) -> None:
    quoted = "".join(f"> {line}\n" for line in ec_pki.leaf.pem.decode().splitlines())
    assert load_text("On Monday the CA wrote:\n" + quoted).certificates == [ec_pki.leaf.cert]


def test_bare_base64_without_pem_lines(ec_pki: Pki) -> None:
    body = base64.encodebytes(der_of(ec_pki.leaf.cert)).decode()
    loaded = load_text(body)
    assert loaded.certificates == [ec_pki.leaf.cert]
    assert loaded.items[0].encoding == "base64 DER"


def test_bad_block_is_a_finding_and_the_rest_is_read(ec_pki: Pki) -> None:
    broken = "-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n"
    not_a_cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    text = ec_pki.leaf.pem.decode() + broken + not_a_cert + ec_pki.root.pem.decode()
    loaded = load_text(text, "mixed.pem")
    assert loaded.certificates == [ec_pki.leaf.cert, ec_pki.root.cert]
    assert [i.index for i in loaded.items] == [1, 4]
    messages = [f.message for f in loaded.findings]
    assert len(messages) == 2
    assert messages[0].startswith("mixed.pem, block 2 (CERTIFICATE): ")
    assert "base64" in messages[0]
    assert messages[1].startswith("mixed.pem, block 3 (CERTIFICATE): ")


def test_unknown_and_crl_labels_are_skipped_with_info(ec_pki: Pki) -> None:
    text = "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n" + ec_pki.leaf.pem.decode()
    loaded = load_text(text, "x.pem")
    assert loaded.certificates == [ec_pki.leaf.cert]
    assert [f.severity.value for f in loaded.findings] == ["info"]
    assert "revocation list" in loaded.findings[0].message


# --- DER, PKCS#7 ------------------------------------------------------------------------------


def test_der_certificate_csr_and_key(ec_pki: Pki) -> None:
    assert load_bytes(der_of(ec_pki.leaf.cert)).items[0].encoding == "DER"
    assert kinds(load_bytes(ec_pki.csr.public_bytes(DER))) == ["csr"]
    key_der = ec_pki.leaf.key.private_bytes(DER, PKCS8, NOENC)
    item = load_bytes(key_der).items[0]
    assert (item.kind, item.form) == (ItemKind.PRIVATE_KEY, "PKCS#8")


@pytest.mark.parametrize("encoding, label", [(PEM, "PKCS#7 PEM"), (DER, "PKCS#7 DER")])
def test_pkcs7_keeps_order(ec_pki: Pki, encoding, label: str) -> None:
    root_first = [ec_pki.root.cert, ec_pki.intermediate.cert, ec_pki.leaf.cert]
    loaded = load_bytes(pkcs7.serialize_certificates(root_first, encoding), "ca.p7b")
    assert loaded.certificates == root_first
    assert {i.encoding for i in loaded.items} == {label}


def test_pkcs7_ber_indefinite_length() -> None:
    import cryptography_vectors

    data = cryptography_vectors.open_vector_file("pkcs7/amazon-roots.p7b", "rb").read()
    assert data[:2] == b"\x30\x80"
    loaded = load_bytes(data, "amazon-roots.p7b")
    assert [summarize(c).subject_cn for c in loaded.certificates] == [
        "Amazon Root CA 3", "Amazon Root CA 2"
    ]
    assert loaded.items[0].encoding == "PKCS#7 BER"


def test_enveloped_pkcs7_is_refused_with_a_reason() -> None:
    import cryptography_vectors

    data = cryptography_vectors.open_vector_file("pkcs7/enveloped.pem", "rb").read()
    with pytest.raises(InputError, match="enveloped"):
        load_bytes(data, "enveloped.pem")


# --- PKCS#12 ----------------------------------------------------------------------------------


def _p12(pki: Pki, password: bytes | None) -> bytes:
    encryption = (serialization.BestAvailableEncryption(password) if password else NOENC)
    return pkcs12.serialize_key_and_certificates(
        b"expe", pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert], encryption
    )


def test_pkcs12_without_password(ec_pki: Pki) -> None:
    loaded = load_bytes(_p12(ec_pki, None), "server.pfx")
    assert kinds(loaded) == ["private_key", "certificate", "certificate"]
    assert loaded.certificates == [ec_pki.leaf.cert, ec_pki.intermediate.cert]
    assert loaded.items[1].label == "expe"


def test_pkcs12_with_password(ec_pki: Pki) -> None:
    data = _p12(ec_pki, b"s3cret")
    with pytest.raises(PasswordNeeded, match="server.pfx.*encrypted") as missing:
        load_bytes(data, "server.pfx")
    assert not missing.value.wrong
    with pytest.raises(PasswordNeeded, match="does not open") as wrong:
        load_bytes(data, "server.pfx", b"nope")
    assert wrong.value.wrong
    loaded = load_bytes(data, "server.pfx", b"s3cret")
    assert loaded.keys[0].private_numbers() == ec_pki.leaf.key.private_numbers()
    assert loaded.items[0].encrypted


def test_nul_in_password_is_refused_before_pyca(ec_pki: Pki) -> None:
    with pytest.raises(InputError, match="NUL"):
        load_bytes(_p12(ec_pki, b"s3cret"), "server.pfx", b"s3\x00cret")


# --- private keys in every form ---------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, fmt, form",
    [
        ("rsa", PKCS8, "PKCS#8"),
        ("rsa", TRAD, "PKCS#1"),
        ("ec", TRAD, "SEC1"),
        ("ec", PKCS8, "PKCS#8"),
        ("ed25519", PKCS8, "PKCS#8"),
    ],
)
def test_unencrypted_key_forms(kind: str, fmt, form: str) -> None:
    key = new_key(kind)
    item = load_bytes(key.private_bytes(PEM, fmt, NOENC)).items[0]
    assert (item.kind, item.form, item.encrypted) == (ItemKind.PRIVATE_KEY, form, False)
    assert item.obj.public_key() == key.public_key()


@pytest.mark.parametrize(
    "fmt, form", [(PKCS8, "encrypted PKCS#8"), (TRAD, "legacy encrypted PKCS#1")]
)
def test_encrypted_keys_ask_for_the_passphrase(fmt, form: str) -> None:
    key = new_key("rsa")
    data = key.private_bytes(PEM, fmt, serialization.BestAvailableEncryption(b"pass"))
    if fmt is TRAD:
        assert b"Proc-Type: 4,ENCRYPTED" in data
    with pytest.raises(PasswordNeeded, match="encrypted"):
        load_bytes(data, "server.key")
    with pytest.raises(PasswordNeeded) as wrong:
        load_bytes(data, "server.key", b"wrong")
    assert wrong.value.wrong
    item = load_bytes(data, "server.key", b"pass").items[0]
    assert (item.form, item.encrypted) == (form, True)
    assert item.obj.public_key() == key.public_key()


def test_encrypted_der_pkcs8() -> None:
    key = new_key("ec")
    data = key.private_bytes(DER, PKCS8, serialization.BestAvailableEncryption(b"pass"))
    with pytest.raises(PasswordNeeded):
        load_bytes(data, "server.der")
    assert load_bytes(data, "server.der", b"pass").items[0].form == "encrypted PKCS#8"


def test_password_for_an_unlocked_key_is_ignored() -> None:
    key = new_key("ec")
    assert load_bytes(key.private_bytes(PEM, PKCS8, NOENC), "k", b"unused").keys


# --- what cannot be read ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\n\r\n  ", "empty"),
        (bytes(range(256)) * 4, "neither PEM text nor DER"),
        (b"just some words in a text file\n", "no certificate"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n", "no matching END"),
    ],
    ids=["empty", "blank", "random", "prose", "no-end"],
)
def test_unreadable_inputs_name_the_source(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as error:
        load_bytes(data, "customer.cer")
    assert "customer.cer" in str(error.value)
    assert words in str(error.value)


def test_truncated_der_says_so(ec_pki: Pki) -> None:
    with pytest.raises(InputError, match="cut short"):
        load_bytes(der_of(ec_pki.leaf.cert)[:-40], "leaf.cer")


def test_load_path_errors(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_path(tmp_path / "missing.pem")
    with pytest.raises(InputError, match="is a folder"):
        load_path(tmp_path)
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * (33 * 1024 * 1024))
    with pytest.raises(InputError, match="larger"):
        load_path(big)


def test_only_collabcert_errors_leave_the_reader(ec_pki: Pki) -> None:
    pem = ec_pki.leaf.pem
    for cut in range(0, len(pem), 37):
        try:
            load_bytes(pem[:cut] + b"\n-----END CERTIFICATE-----\n", "cut.pem")
        except CollabcertError:
            pass


def test_password_for_an_unlocked_pkcs12_is_ignored(ec_pki: Pki) -> None:
    assert load_bytes(_p12(ec_pki, None), "open.pfx", b"not needed").keys


# --- the one reader of a user's file (issue 10: it was read three ways) -------------------------


def test_read_input_takes_a_path_or_dash_for_standard_input(rsa_pki: Pki, tmp_path) -> None:
    import io

    from collabcert.load import read_input, read_input_bytes

    path = tmp_path / "leaf.cer"
    path.write_bytes(rsa_pki.leaf.der)
    from_path = read_input(str(path))
    assert from_path.path == path and kinds(from_path) == ["certificate"]
    from_stdin = read_input("-", stdin=io.BytesIO(rsa_pki.leaf.der))
    assert from_stdin.source == "standard input" and from_stdin.path is None
    assert kinds(from_stdin) == ["certificate"]
    assert read_input_bytes("-", stdin=io.BytesIO(b"raw")) == b"raw"
    assert read_input_bytes(path) == rsa_pki.leaf.der


def test_read_input_a_path_named_dash_is_a_file_not_standard_input(rsa_pki: Pki, tmp_path,
                                                                  monkeypatch) -> None:
    from pathlib import Path

    from collabcert.load import read_input

    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_bytes(rsa_pki.leaf.pem)
    assert kinds(read_input(Path("-"))) == ["certificate"]


def test_read_input_refuses_oversized_standard_input_in_one_sentence(monkeypatch) -> None:
    import io

    from collabcert import load

    monkeypatch.setattr(load, "MAX_INPUT_BYTES", 10)
    with pytest.raises(InputError, match="standard input: is far larger"):
        load.read_input("-", stdin=io.BytesIO(b"x" * 11))
    with pytest.raises(InputError, match="no such file"):
        load.read_input("/nonexistent/leaf.pem")


def test_a_wrong_password_that_passes_the_padding_check_is_still_the_wrong_password() -> None:
    """A wrong password decrypts to valid CBC padding about once in 256 tries and then fails as
    bad DER; that used to be reported as an unreadable key (and made a batch test flaky). Search
    for such a password (pyca's BestAvailableEncryption is fast to try) and check the sentence."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(b"right"))
    lucky = None
    for n in range(20000):
        try:
            serialization.load_pem_private_key(data, b"wrong%d" % n)
        except ValueError as exc:
            if "decrypt" not in str(exc).lower() and "password" not in str(exc).lower():
                lucky = b"wrong%d" % n
                break
    assert lucky is not None, "no wrong password got past the padding check in 20000 tries"
    with pytest.raises(PasswordNeeded, match="does not open") as caught:
        load_bytes(data, "locked.key", lucky)
    assert caught.value.wrong
