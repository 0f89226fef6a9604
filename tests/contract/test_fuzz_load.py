"""Fuzzing the reader: random bytes, random text and mutated real files go into load_bytes, and
only our own error type may come out (issue 3, "How we will know"; CLI contract: no traceback).

The seeds are real objects made with tests/pki.py: certificates, CSRs, keys in every form,
PKCS#7 and PKCS#12. Mutations: bit flips, truncation, inserted junk, deleted and duplicated
slices, duplicated PEM blocks. Whatever is read must also summarise without raising.
"""

from __future__ import annotations

import json
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pki import make_csr, make_pki, new_key

from collabcert.errors import CollabcertError
from collabcert.inspect import inspect_json
from collabcert.load import Loaded, load_bytes
from collabcert.model import describe_lines, summarize

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,  # keep the checkout clean; a failure prints its example
    # conftest's autouse env fixture is function-scoped; it does not matter to the reader
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PASSWORD = b"fuzz-pass"
_PEM, _DER = serialization.Encoding.PEM, serialization.Encoding.DER
_PKCS8, _TRAD = serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL
_NONE = serialization.NoEncryption()
_LOCK = serialization.BestAvailableEncryption(PASSWORD)


def _seeds() -> dict[str, bytes]:
    """One real file of every shape the reader knows, made once for the module."""
    pki = make_pki("ec", sans=["expe.example.com", "10.0.0.1"])
    ec_key = pki.leaf.key
    rsa_key = new_key("rsa")
    ed_key = new_key("ed25519")
    chain = pki.chain
    pem_chain = b"".join(c.public_bytes(_PEM) for c in chain)
    light = serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(1).build(PASSWORD)
    return {
        "cert.pem": pki.leaf.pem,
        "cert.der": pki.leaf.der,
        "chain.pem": pem_chain,
        "chain+key.pem": pem_chain + pki.leaf.key_pem,
        "chain-with-prose.pem": b"Subject: your certificate\r\n\r\n" + pem_chain.replace(
            b"\n", b"\r\n") + b"\r\n-- \r\nregards\r\n\x1a",
        "csr.pem": pki.csr.public_bytes(_PEM),
        "csr.der": pki.csr.public_bytes(_DER),
        "csr-rsa.der": make_csr(rsa_key, "rsa.example.com").public_bytes(_DER),
        "key-pkcs8.pem": ec_key.private_bytes(_PEM, _PKCS8, _NONE),
        "key-pkcs8.der": ec_key.private_bytes(_DER, _PKCS8, _NONE),
        "key-sec1.pem": ec_key.private_bytes(_PEM, _TRAD, _NONE),
        "key-sec1.der": ec_key.private_bytes(_DER, _TRAD, _NONE),
        "key-pkcs1.pem": rsa_key.private_bytes(_PEM, _TRAD, _NONE),
        "key-pkcs1.der": rsa_key.private_bytes(_DER, _TRAD, _NONE),
        "key-ed25519.pem": ed_key.private_bytes(_PEM, _PKCS8, _NONE),
        "key-enc-pkcs8.pem": ec_key.private_bytes(_PEM, _PKCS8, _LOCK),
        "key-enc-pkcs8.der": ec_key.private_bytes(_DER, _PKCS8, _LOCK),
        "key-legacy.pem": rsa_key.private_bytes(_PEM, _TRAD, _LOCK),  # Proc-Type: 4,ENCRYPTED
        "public.pem": ec_key.public_key().public_bytes(
            _PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        "chain.p7b": pkcs7.serialize_certificates(chain, _DER),
        "chain.p7b.pem": pkcs7.serialize_certificates(chain, _PEM),
        "bundle.p12": pkcs12.serialize_key_and_certificates(
            b"expe", ec_key, pki.leaf.cert, chain[1:], light),
        "bundle-open.p12": pkcs12.serialize_key_and_certificates(
            b"expe", ec_key, pki.leaf.cert, chain[1:], _NONE),
        "utf16.pem": b"\xff\xfe" + pki.leaf.pem.decode("ascii").encode("utf-16-le"),
        "bom.pem": b"\xef\xbb\xbf" + pki.leaf.pem,
    }


SEEDS = _seeds()
SEED_NAMES = sorted(SEEDS)


def _exercise(loaded: Loaded) -> None:
    """Everything read must summarise, describe and serialise: none of it may raise."""
    for item in loaded.items:
        summary = summarize(item.obj, item.form, item.encrypted)
        describe_lines(summary)
        json.dumps(summary.to_json(), default=str)
    json.dumps(inspect_json([loaded]), default=str)


def _feed(data: bytes, password: bytes | None = None) -> None:
    try:
        loaded = load_bytes(data, "fuzzed.bin", password)
    except CollabcertError as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)  # one plain line for the CLI
        return
    assert loaded.items
    _exercise(loaded)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_is_readable_as_made(name: str) -> None:
    # The fuzzing below only means something if the unmutated seeds are read.
    loaded = load_bytes(SEEDS[name], name, PASSWORD if "enc" in name or "legacy" in name
                        or name == "bundle.p12" else None)
    assert loaded.items
    _exercise(loaded)


@pytest.mark.filterwarnings("ignore")
@FUZZ
@given(st.binary(min_size=0, max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _feed(data)


@pytest.mark.filterwarnings("ignore")
@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    _feed(text.encode("utf-8", "surrogatepass"))


_PEM_ALPHABET = st.sampled_from(
    list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-: \r\n\t")
)


@pytest.mark.filterwarnings("ignore")
@FUZZ
@given(
    st.sampled_from(["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", "PRIVATE KEY",
                     "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PKCS7",
                     "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "PUBLIC KEY",
                     "OPENSSH PRIVATE KEY", "X509 CRL", "CMS"]),
    st.lists(_PEM_ALPHABET, max_size=400).map("".join),
    st.one_of(st.none(), st.binary(max_size=12)),
)
def test_pem_shaped_junk(label: str, body: str, password: bytes | None) -> None:
    # Text that looks like PEM: a real label around base64-ish junk (and headers by chance).
    text = f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"
    _feed(text.encode("ascii"), password)


# ---------------------------------------------------------------------------------------------
# Mutations of real files


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(SEED_NAMES))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate",
                                   "dup_block", "overwrite"]))
        size = len(data)
        if size == 0:
            break
        at = draw(st.integers(0, size - 1))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "duplicate":
            piece = bytes(data[at:at + draw(st.integers(1, 256))])
            data[at:at] = piece
        elif op == "overwrite":
            junk = draw(st.binary(min_size=1, max_size=16))
            data[at:at + len(junk)] = junk
        else:
            data = bytearray(_duplicate_block(bytes(data), draw(st.integers(0, 3))))
    return name, bytes(data)


_BLOCK = re.compile(rb"-----BEGIN [^-]+-----.*?-----END [^-]+-----\r?\n?", re.DOTALL)


def _duplicate_block(data: bytes, which: int) -> bytes:
    blocks = _BLOCK.findall(data)
    if not blocks:
        return data + data  # a binary file twice in a row
    block = blocks[which % len(blocks)]
    return data + block


@pytest.mark.filterwarnings("ignore")
@FUZZ
@given(_mutated(), st.sampled_from([None, PASSWORD, b"wrong", b""]))
def test_mutated_real_files(sample: tuple[str, bytes], password: bytes | None) -> None:
    _name, data = sample
    _feed(data, password)


@pytest.mark.filterwarnings("ignore")
@FUZZ
@given(st.sampled_from(SEED_NAMES), st.data())
def test_truncated_real_files(name: str, data: st.DataObject) -> None:
    # Truncation is the most common damage in the field (a copy cut short, a paste cut off).
    seed = SEEDS[name]
    cut = data.draw(st.integers(0, len(seed) - 1))
    _feed(seed[:cut], PASSWORD)


@pytest.mark.filterwarnings("ignore")
@FUZZ
@given(st.sampled_from(["bundle.p12", "key-enc-pkcs8.pem", "key-enc-pkcs8.der",
                        "key-legacy.pem"]), st.binary(max_size=32))
def test_locked_files_with_random_passwords(name: str, password: bytes) -> None:
    # A wrong password (NUL bytes, non-UTF-8, empty) is PasswordNeeded or InputError, no crash.
    _feed(SEEDS[name], password)
