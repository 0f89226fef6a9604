"""Sweep over pyca's `cryptography-vectors`: every file is read or refused with our own error.

Issue 3, "How we will know": every file under x509/ (with requests/ and custom/), pkcs7/, pkcs12/
and the PEM and DER keys under asymmetric/ is either read (load_bytes returns items) or rejected
with a CollabcertError; no other exception escapes, and every summary of what was read is made
without raising. A table below pins the kinds and counts of the interesting files listed in
/work/shared/corpus/cryptography-vectors.md.

Nothing is copied from the package: files are opened by their path inside it.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

cryptography_vectors = pytest.importorskip("cryptography_vectors")

from collabcert.errors import CollabcertError, PasswordNeeded  # noqa: E402
from collabcert.inspect import inspect_json, inspect_text  # noqa: E402
from collabcert.load import ItemKind, Loaded, load_bytes  # noqa: E402
from collabcert.model import describe_lines, summarize  # noqa: E402

BASE = Path(cryptography_vectors.__file__).parent
KEY_SUFFIXES = (".pem", ".der", ".key")
MAX_FILE_BYTES = 1024 * 1024  # nothing certificate-shaped is larger; keeps the sweep fast
# PKITS has 405 PKCS#12 bundles (password `password`); opening one takes ~50 ms of PBKDF, so all
# are tried without the password (must be refused as locked) and every Nth one with it.
PKITS_P12_SAMPLE = 20

# Documented passwords (cryptography-vectors.md); a locked file not listed may stay locked.
KEY_PASSWORDS = {
    "asymmetric/PKCS8/enc-rsa-pkcs8.pem": b"foobar",
    "asymmetric/DER_Serialization/enc-rsa-pkcs8.der": b"foobar",
    "asymmetric/PKCS8/ec_private_key_encrypted.pem": b"123456",
    "asymmetric/PKCS8/enc-rsa-3des.pem": b"password",
    "asymmetric/Traditional_OpenSSL_Serialization/key1.pem": b"123456",
    "asymmetric/Traditional_OpenSSL_Serialization/key2.pem": b"a123456",
}


def documented_password(rel: str) -> bytes | None:
    name = rel.rsplit("/", 1)[-1]
    if rel.startswith("pkcs12/"):
        if name.startswith("cert-") or name == "no-cert-key-aes256cbc.p12":
            return b"cryptography"
        if name.endswith("-pwd.p12") and not name.endswith("-no-pwd.p12"):
            return b"password"
        return None  # *-no-pwd.p12, no-password.p12, java-truststore.p12
    if rel.startswith("x509/PKITS_data/pkcs12/"):
        return b"password"
    return KEY_PASSWORDS.get(rel)


def vector(rel: str) -> bytes:
    return (BASE / rel).read_bytes()


# ---------------------------------------------------------------------------------------------
# Which files the sweep covers


def _files_under(folder: str, recursive: bool = True) -> list[str]:
    root = BASE / folder
    found = root.rglob("*") if recursive else root.iterdir()
    return sorted(
        p.relative_to(BASE).as_posix()
        for p in found
        if p.is_file() and p.stat().st_size <= MAX_FILE_BYTES
    )


def _key_files() -> list[str]:
    return [rel for rel in _files_under("asymmetric") if rel.endswith(KEY_SUFFIXES)]


def _groups() -> dict[str, list[str]]:
    """Files by folder, so a failure names the folder and the parametrised ids stay few."""
    groups: dict[str, list[str]] = {}
    for rel in _files_under("x509") + _files_under("pkcs7") + _files_under("pkcs12"):
        groups.setdefault(rel.rsplit("/", 1)[0], []).append(rel)
    for rel in _key_files():
        groups.setdefault(rel.rsplit("/", 1)[0], []).append(rel)
    return groups


GROUPS = _groups()


def test_the_sweep_sees_the_folders_the_issue_names() -> None:
    # A package layout change must not silently shrink the sweep to nothing.
    for folder, at_least in [("x509", 30), ("x509/requests", 20), ("x509/custom", 100),
                             ("pkcs7", 10), ("pkcs12", 30), ("asymmetric/PKCS8", 20),
                             ("x509/PKITS_data/certs", 400)]:
        assert len(GROUPS.get(folder, [])) >= at_least, folder
    assert sum(len(files) for files in GROUPS.values()) > 1900


# ---------------------------------------------------------------------------------------------
# The sweep


_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9 #_/-]+)-----")


@dataclass(frozen=True)
class Outcome:
    rel: str
    state: str  # "read", "rejected", "locked" or "escaped"
    detail: str = ""


def _check_read(rel: str, data: bytes, loaded: Loaded) -> None:
    """What a successful read must look like; raises AssertionError with the reason."""
    assert loaded.items, f"{rel}: load_bytes returned without items and without raising"
    for item in loaded.items:
        assert isinstance(item.kind, ItemKind)
        assert item.source == rel and item.index >= 1 and item.encoding
        # summaries must never raise, whatever pyca thinks of the object (brief, item 1)
        summary = summarize(item.obj, item.form, item.encrypted)
        assert describe_lines(summary)
        json.dumps(summary.to_json(), default=str)
    json.dumps(inspect_json([loaded]), default=str)
    assert inspect_text([loaded])
    # No PEM block is dropped silently: each one is an item or a finding naming its number.
    blocks = len(_BEGIN.findall(data))
    covered = {i.index for i in loaded.items}
    for finding in loaded.findings:
        covered |= {int(n) for n in re.findall(r"block (\d+)", finding.message)}
    missing = sorted(set(range(1, blocks + 1)) - covered)
    assert not missing, f"{rel}: PEM blocks {missing} are neither read nor reported"


def _check_refusal(rel: str, exc: CollabcertError) -> None:
    message = str(exc)
    assert message and "\n" not in message, f"{rel}: the error is not one line: {message!r}"
    assert rel in message, f"{rel}: the error does not name the source: {message!r}"
    assert "Traceback" not in message


def sweep_one(rel: str, password: bytes | None) -> Outcome:
    data = vector(rel)
    try:
        loaded = load_bytes(data, rel, password)
        _check_read(rel, data, loaded)
    except PasswordNeeded as exc:
        _check_refusal(rel, exc)
        return Outcome(rel, "locked", str(exc))
    except CollabcertError as exc:
        _check_refusal(rel, exc)
        return Outcome(rel, "rejected", str(exc))
    except AssertionError:
        raise
    except BaseException as exc:  # noqa: BLE001 - the point of the sweep: nothing else escapes
        if isinstance(exc, KeyboardInterrupt):
            raise
        lines = traceback.format_exception(exc)
        key_line = next((ln.strip() for ln in reversed(lines) if "collabcert/" in ln), "")
        return Outcome(rel, "escaped", f"{type(exc).__name__}: {exc} [{key_line}]")
    return Outcome(rel, "read")


def _passwords_for(rel: str, position: int) -> Iterator[bytes | None]:
    password = documented_password(rel)
    if rel.startswith("x509/PKITS_data/pkcs12/"):
        yield None  # fast: must be refused as locked
        if position % PKITS_P12_SAMPLE == 0:
            yield password
        return
    yield password


@pytest.mark.filterwarnings("ignore")  # pyca warns on negative serials, BER, FFDH ...
@pytest.mark.parametrize("folder", sorted(GROUPS))
def test_every_file_is_read_or_refused_with_our_error(folder: str) -> None:
    problems: list[str] = []
    for position, rel in enumerate(GROUPS[folder]):
        for password in _passwords_for(rel, position):
            try:
                outcome = sweep_one(rel, password)
            except AssertionError as exc:
                problems.append(str(exc))
                continue
            if outcome.state == "escaped":
                problems.append(f"{rel}: {outcome.detail}")
            elif password is not None and outcome.state == "locked":
                problems.append(f"{rel}: the documented password did not open it: "
                                f"{outcome.detail}")
            elif rel.startswith("x509/PKITS_data/pkcs12/") and password is None:
                if outcome.state != "locked":
                    problems.append(f"{rel}: a locked PKCS#12 was not refused as locked")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The table: what the interesting files hold

CERT, CSR, KEY = ItemKind.CERTIFICATE, ItemKind.CSR, ItemKind.PRIVATE_KEY


@dataclass(frozen=True)
class Expect:
    path: str
    kinds: tuple[ItemKind, ...]  # in order
    password: bytes | None = None
    encoding: str | None = None  # every item's encoding
    labels: tuple[str, ...] | None = None  # PKCS#12 friendly names, one per item ("" = none)
    bad_blocks: tuple[int, ...] = ()  # PEM blocks that must come back as findings

    def __str__(self) -> str:
        return self.path


_P12_NAMES = {  # friendly names of (key, main cert, extra 1, extra 2) in the name-* bundles
    "name-1": ("", "name", "", ""),
    "name-2": ("", "", "name2", ""),
    "name-3": ("", "", "", "name3"),
    "name-2-3": ("", "", "name2", "name3"),
    "name-all": ("", "name", "name2", "name3"),
    "name-unicode": ("", "\u263a", "\u00e4", "\u00e7"),
    "no-name": ("", "", "", ""),
}
_P12_NO_CERT_NAMES = {  # only the two extra certificates
    "no-cert-name-2": ("name2", ""),
    "no-cert-name-3": ("", "name3"),
    "no-cert-name-all": ("name2", "name3"),
    "no-cert-name-unicode": ("\u2639", "\u00ef"),
    "no-cert-no-name": ("", ""),
}


def _p12_table() -> list[Expect]:
    table = [
        Expect("pkcs12/cert-key-aes256cbc.p12", (KEY, CERT), b"cryptography", "PKCS#12"),
        Expect("pkcs12/cert-none-key-none.p12", (KEY, CERT), b"cryptography", "PKCS#12"),
        Expect("pkcs12/cert-rc2-key-3des.p12", (KEY, CERT), b"cryptography", "PKCS#12"),
        Expect("pkcs12/cert-aes256cbc-no-key.p12", (CERT,), b"cryptography", "PKCS#12"),
        Expect("pkcs12/no-cert-key-aes256cbc.p12", (KEY,), b"cryptography", "PKCS#12"),
        Expect("pkcs12/no-password.p12", (KEY, CERT), None, "PKCS#12",
               labels=("", "cryptography CA")),
        Expect("pkcs12/java-truststore.p12", (CERT, CERT), None, "PKCS#12", labels=("cert1", "")),
    ]
    for stem, labels in _P12_NAMES.items():
        for suffix, password in (("no-pwd", None), ("pwd", b"password")):
            table.append(Expect(f"pkcs12/{stem}-{suffix}.p12", (KEY, CERT, CERT, CERT), password,
                                "PKCS#12", labels))
    for stem, labels in _P12_NO_CERT_NAMES.items():
        for suffix, password in (("no-pwd", None), ("pwd", b"password")):
            table.append(Expect(f"pkcs12/{stem}-{suffix}.p12", (CERT, CERT), password, "PKCS#12",
                                labels))
    return table


TABLE = [
    # messy PEM
    Expect("x509/cryptography.io.chain_with_garbage.pem", (CERT, CERT), encoding="PEM",
           bad_blocks=(3,)),
    Expect("x509/cryptography.io.with_garbage.pem", (CERT,), encoding="PEM", bad_blocks=(1, 3)),
    Expect("x509/cryptography.io.old_header.pem", (CERT,), encoding="PEM"),
    Expect("x509/custom/long-form-name-attribute.pem", (CERT,), encoding="PEM"),
    Expect("x509/cryptography.io.chain.pem", (CERT, CERT), encoding="PEM"),
    Expect("x509/requests/ec_sha256_old_header.pem", (CSR,), encoding="PEM"),
    # `openssl req -text` dumps in front of the block
    Expect("x509/requests/basic_constraints.pem", (CSR,), encoding="PEM"),
    Expect("x509/requests/two_basic_constraints.pem", (CSR,), encoding="PEM"),
    Expect("x509/requests/unsupported_extension.pem", (CSR,), encoding="PEM"),
    Expect("x509/requests/unsupported_extension_critical.pem", (CSR,), encoding="PEM"),
    # CSRs in both encodings
    Expect("x509/requests/rsa_sha256.der", (CSR,), encoding="DER"),
    Expect("x509/requests/ec_sha256.der", (CSR,), encoding="DER"),
    Expect("x509/requests/rsa_md4.pem", (CSR,), encoding="PEM"),
    # PKCS#7
    Expect("pkcs7/amazon-roots.p7b", (CERT, CERT), encoding="PKCS#7 BER"),
    Expect("pkcs7/amazon-roots.der", (CERT, CERT), encoding="PKCS#7 DER"),
    Expect("pkcs7/isrg.pem", (CERT,), encoding="PKCS#7 PEM"),
    Expect("pkcs7/authenticode.der", (CERT,), encoding="PKCS#7 DER"),
    Expect("pkcs7/ascii-san.pem", (CERT,), encoding="PEM"),
    Expect("pkcs7/non-ascii-san.pem", (CERT,), encoding="PEM"),
    # keys
    Expect("asymmetric/PKCS8/enc-rsa-pkcs8.pem", (KEY,), b"foobar", "PEM"),
    Expect("asymmetric/DER_Serialization/enc-rsa-pkcs8.der", (KEY,), b"foobar", "DER"),
    Expect("asymmetric/PKCS8/ec_private_key_encrypted.pem", (KEY,), b"123456", "PEM"),
    Expect("asymmetric/PKCS8/enc-rsa-3des.pem", (KEY,), b"password", "PEM"),
    Expect("asymmetric/Traditional_OpenSSL_Serialization/key1.pem", (KEY,), b"123456", "PEM"),
    Expect("asymmetric/Traditional_OpenSSL_Serialization/key2.pem", (KEY,), b"a123456", "PEM"),
    Expect("asymmetric/PKCS8/unenc-dsa-pkcs8.pem", (KEY,), encoding="PEM"),
    Expect("asymmetric/DER_Serialization/unenc-rsa-pkcs8.der", (KEY,), encoding="DER"),
    Expect("asymmetric/DER_Serialization/ec_private_key.der", (KEY,), encoding="DER"),
    # odd certificates that pyca still loads
    Expect("x509/custom/negative_serial.pem", (CERT,), encoding="PEM"),
    Expect("x509/v1_cert.pem", (CERT,), encoding="PEM"),
    Expect("x509/custom/two_basic_constraints.pem", (CERT,), encoding="PEM"),
    Expect("x509/custom/unsupported_subject_public_key_info.pem", (CERT,), encoding="PEM"),
    Expect("x509/e-trust.ru.der", (CERT,), encoding="DER"),
    Expect("x509/custom/invalid_utf8_common_name.pem", (CERT,), encoding="PEM"),
    Expect("x509/custom/mismatch_inner_outer_sig_algorithm.der", (CERT,), encoding="DER"),
    Expect("x509/custom/ec_no_named_curve.pem", (CERT,), encoding="PEM"),
    Expect("x509/cryptography.io.precert.pem", (CERT,), encoding="PEM"),
    *_p12_table(),
]


def _load(rel: str, password: bytes | None = None) -> Loaded:
    return load_bytes(vector(rel), rel, password)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("expect", TABLE, ids=str)
def test_interesting_file_holds_what_the_corpus_notes_say(expect: Expect) -> None:
    loaded = _load(expect.path, expect.password)
    assert tuple(i.kind for i in loaded.items) == expect.kinds
    if expect.encoding is not None:
        assert {i.encoding for i in loaded.items} == {expect.encoding}
    if expect.labels is not None:
        assert tuple(i.label for i in loaded.items) == expect.labels
    for block in expect.bad_blocks:
        named = [f for f in loaded.findings if f"block {block}" in f.message]
        assert named and all(expect.path in f.message for f in named), block
    for item in loaded.items:
        summarize(item.obj, item.form, item.encrypted)


@dataclass(frozen=True)
class Refusal:
    path: str
    error: type[CollabcertError]
    words: tuple[str, ...] = ()  # lower-case words the message must hold
    password: bytes | None = None
    wrong: bool | None = None  # PasswordNeeded.wrong

    def __str__(self) -> str:
        return f"{self.path}[{self.password!r}]"


REFUSALS = [
    # the certificate is fine but the legacy-locked key in the same file needs its passphrase
    Refusal("x509/cryptography.io.with_headers.pem", PasswordNeeded, ("block 2", "encrypted"),
            wrong=False),
    Refusal("pkcs7/enveloped.pem", CollabcertError, ("enveloped",)),
    Refusal("pkcs7/enveloped-rsa-oaep.pem", CollabcertError, ("enveloped",)),
    Refusal("pkcs7/enveloped-triple-des.pem", CollabcertError, ("enveloped",)),
    Refusal("pkcs7/enveloped-no-content.der", CollabcertError, ("enveloped",)),
    Refusal("pkcs12/cert-key-aes256cbc.p12", PasswordNeeded, ("encrypted",), wrong=False),
    Refusal("pkcs12/name-all-pwd.p12", PasswordNeeded, ("pkcs#12",), wrong=False),
    Refusal("pkcs12/cert-key-aes256cbc.p12", PasswordNeeded, ("password",), b"wrong", True),
    Refusal("pkcs12/name-unicode-pwd.p12", PasswordNeeded, ("password",), b"passwor", True),
    Refusal("asymmetric/DER_Serialization/enc-rsa-pkcs8.der", PasswordNeeded, (), wrong=False),
    Refusal("asymmetric/DER_Serialization/enc-rsa-pkcs8.der", PasswordNeeded, ("password",),
            b"nope", True),
    Refusal("asymmetric/Traditional_OpenSSL_Serialization/key1.pem", PasswordNeeded,
            ("block 1",), wrong=False),
    Refusal("asymmetric/Traditional_OpenSSL_Serialization/key1.pem", PasswordNeeded,
            ("password",), b"654321", True),
    Refusal("asymmetric/Traditional_OpenSSL_Serialization/key1-no-dek-info.pem", CollabcertError,
            ("block 1",), b"123456"),
    Refusal("x509/custom/invalid_version.pem", CollabcertError, ("block 1",)),
    Refusal("x509/badasn1time.pem", CollabcertError, ("block 1",)),
    Refusal("x509/custom/dsa_null_alg_params.pem", CollabcertError),
    Refusal("x509/custom/ecdsa_null_alg.pem", CollabcertError),
    Refusal("x509/ed25519/ed25519-rfc8410.pem", CollabcertError),
    Refusal("x509/requests/bad-version.pem", CollabcertError, ("block 1",)),
]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("refusal", REFUSALS, ids=str)
def test_refused_file_gives_a_plain_reason(refusal: Refusal) -> None:
    with pytest.raises(refusal.error) as caught:
        _load(refusal.path, refusal.password)
    message = str(caught.value)
    _check_refusal(refusal.path, caught.value)
    for word in refusal.words:
        assert word in message.lower(), (word, message)
    if refusal.wrong is not None:
        assert isinstance(caught.value, PasswordNeeded)
        assert caught.value.wrong is refusal.wrong
    if refusal.error is CollabcertError:
        assert not isinstance(caught.value, PasswordNeeded), message


# ---------------------------------------------------------------------------------------------
# Content checks on a few of them


@pytest.mark.filterwarnings("ignore")
def test_garbage_chain_keeps_leaf_then_issuer() -> None:
    loaded = _load("x509/cryptography.io.chain_with_garbage.pem")
    names = [summarize(c).subject_cn for c in loaded.certificates]
    assert names == ["www.cryptography.io", "RapidSSL SHA256 CA - G3"]
    clean = _load("x509/cryptography.io.chain.pem")
    assert [summarize(c).sha256 for c in loaded.certificates] == [
        summarize(c).sha256 for c in clean.certificates
    ]


def test_long_form_name_attribute_still_has_a_summary() -> None:
    # pyca loads it but `.subject` raises ValueError: the summary must still be made.
    cert = _load("x509/custom/long-form-name-attribute.pem").certificates[0]
    summary = summarize(cert)
    assert summary.sha256 and summary.subject
    assert dict(describe_lines(summary))["SHA-256"]


def test_amazon_roots_ber_and_der_hold_the_same_roots_in_order() -> None:
    ber = _load("pkcs7/amazon-roots.p7b")
    der = _load("pkcs7/amazon-roots.der")
    cns = [summarize(c).subject_cn for c in ber.certificates]
    assert cns == ["Amazon Root CA 3", "Amazon Root CA 2"]
    assert [summarize(c).sha256 for c in ber.certificates] == [
        summarize(c).sha256 for c in der.certificates
    ]
    assert all(summarize(c).self_signed for c in ber.certificates)


def test_isrg_and_authenticode_certificates() -> None:
    assert summarize(_load("pkcs7/isrg.pem").certificates[0]).subject_cn == "ISRG Root X1"
    signer = summarize(_load("pkcs7/authenticode.der").certificates[0])
    assert signer.subject_cn == "kernel-signer" and not signer.self_signed


def test_san_of_smime_senders() -> None:
    ascii_san = summarize(_load("pkcs7/ascii-san.pem").certificates[0]).sans
    assert [kind for kind, _ in ascii_san] == ["other"]  # otherName SmtpUTF8Mailbox
    assert ascii_san[0][1].startswith("1.3.6.1.5.5.7.8.9:")
    non_ascii = summarize(_load("pkcs7/non-ascii-san.pem").certificates[0]).sans
    assert non_ascii == (("email", "retourn\u00e9@example.com"),)


def test_pkcs12_main_certificate_matches_the_key() -> None:
    from collabcert.keys import same_public_key

    loaded = _load("pkcs12/name-all-pwd.p12", b"password")
    key = loaded.keys[0]
    main, *extras = loaded.certificates
    assert same_public_key(key, main)
    assert not any(same_public_key(key, cert) for cert in extras)
    assert summarize(main).subject == "CN=cryptography CA, C=US"


@pytest.mark.filterwarnings("ignore")
def test_negative_serial_is_shown_with_its_sign() -> None:
    summary = summarize(_load("x509/custom/negative_serial.pem").certificates[0])
    assert summary.serial == "-" + format(18008675309, "x")


def test_md4_csr_summary_says_the_signature_is_not_valid() -> None:
    summary = summarize(_load("x509/requests/rsa_md4.pem").csrs[0])
    assert summary.signature_valid is False and summary.signature_hash == ""


def test_invalid_signature_csr_is_reported_invalid() -> None:
    assert summarize(_load("x509/requests/invalid_signature.pem").csrs[0]).signature_valid is False


def test_sha256_csr_is_reported_valid() -> None:
    assert summarize(_load("x509/requests/rsa_sha256.pem").csrs[0]).signature_valid is True


# ---------------------------------------------------------------------------------------------
# Found by the sweep: wrong answers (not crashes). Left to the engine's owner; strict xfail so the
# fix shows up as XPASS and the marker gets removed.


@pytest.mark.parametrize("rel", ["x509/requests/rsa_sha1.der", "x509/requests/rsa_sha1.pem"])
def test_sha1_csr_with_a_good_signature_is_reported_valid(rel: str) -> None:
    assert summarize(_load(rel).csrs[0]).signature_valid is True


def test_unverifiable_self_issued_root_is_not_said_to_have_another_key() -> None:
    cert = _load("x509/verisign_md2_root.pem").certificates[0]
    summary = summarize(cert)
    assert summary.self_issued
    assert "other key" not in dict(describe_lines(summary))["Self-signed"]
