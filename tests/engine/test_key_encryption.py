"""Encrypted keys (issue 11 item 7): PBES2, PBKDF2-HMAC-SHA256 at a current work factor, AES-256."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from collabcert.errors import InputError
from collabcert.keys import KDF_ITERATIONS, check_passphrase, encrypted_pkcs8, private_key_pem


@pytest.mark.parametrize("make", [lambda: ec.generate_private_key(ec.SECP384R1()),
                                  lambda: rsa.generate_private_key(65537, 2048)],
                         ids=["ec", "rsa"])
def test_an_encrypted_key_opens_with_its_passphrase_only(make) -> None:
    key = make()
    text = private_key_pem(key, b"s3cret \xc3\xa9")
    assert text.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n") and text.endswith(b"\n")
    back = serialization.load_pem_private_key(text, b"s3cret \xc3\xa9")
    assert back.private_numbers() == key.private_numbers()
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(text, b"wrong")


def test_the_work_factor_is_stated_and_used() -> None:
    assert KDF_ITERATIONS >= 600_000  # OWASP 2023, PBKDF2-HMAC-SHA256
    key = ec.generate_private_key(ec.SECP256R1())
    blob = encrypted_pkcs8(key, b"pw", iterations=1000)  # a small count, to find it in the DER
    assert bytes.fromhex("020203e8") in blob  # INTEGER 1000
    assert bytes.fromhex("060960864801650304012a") in blob  # aes256-CBC
    assert serialization.load_der_private_key(blob, b"pw").private_numbers() == \
        key.private_numbers()


def test_a_nul_in_a_passphrase_is_refused() -> None:
    with pytest.raises(InputError, match="pass.txt: the passphrase contains a NUL byte"):
        check_passphrase(b"a\x00b", "pass.txt")
    with pytest.raises(InputError, match="NUL"):
        private_key_pem(ec.generate_private_key(ec.SECP256R1()), b"a\x00b")
    check_passphrase(b"fine", "pass.txt")
