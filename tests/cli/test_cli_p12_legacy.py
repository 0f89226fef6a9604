"""`convert --to p12 --p12-legacy` (issue 15 item 4): a 3DES/SHA-1 PKCS#12 for Windows Server
2016 and older and older Cisco/Java importers, opened by `openssl pkcs12 -legacy` and by pyca.

OpenSSL 3 keeps RC2 and the other old ciphers in its legacy provider; 3DES and the SHA-1 PKCS#12
KDF stay in the default one, so this machine's openssl opens the file with and without -legacy
(the test checks both when the legacy provider loads, the default path always)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from pki import key_pem, make_pki, pem_of, run_cli, sha256_hex

OPENSSL = shutil.which("openssl")
PASSWORD = b"Legacy pass 1"


def _inputs(tmp_path: Path):
    found = make_pki("rsa")
    (tmp_path / "leaf.pem").write_bytes(pem_of(found.leaf.cert, found.intermediate.cert))
    (tmp_path / "leaf.key").write_bytes(key_pem(found.leaf.key))
    (tmp_path / "pw.txt").write_bytes(PASSWORD + b"\n")
    return found


def _convert(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("convert", "leaf.pem", "--key", "leaf.key", "--to", "p12", "-o", "out.p12",
                   "--password-file", "pw.txt", *extra, cwd=tmp_path, text=True)


def _openssl(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([OPENSSL, *argv], capture_output=True, text=True, timeout=60)


def _legacy_provider_loads() -> bool:
    return _openssl("list", "-providers", "-provider", "legacy").returncode == 0


def test_legacy_p12_is_3des_and_sha1_and_pyca_reads_it(tmp_path):
    found = _inputs(tmp_path)
    done = _convert(tmp_path, "--p12-legacy")
    assert done.returncode == 0, done.stderr
    assert "PKCS#12 (legacy 3DES/SHA-1)" in done.stdout and "(mode 0600)" in done.stdout
    assert "3DES and SHA-1, which are weak" in done.stdout  # the next step says so
    bundle = pkcs12.load_pkcs12((tmp_path / "out.p12").read_bytes(), PASSWORD)
    assert sha256_hex(bundle.cert.certificate) == sha256_hex(found.leaf.cert)
    assert [sha256_hex(c.certificate) for c in bundle.additional_certs] == [
        sha256_hex(found.intermediate.cert)]
    assert (tmp_path / "out.p12").stat().st_mode & 0o777 == 0o600
    # collabcert read it back after writing (the fingerprint lines are of the file on disk)
    assert done.stdout.count("SHA-256") == 3


@pytest.mark.skipif(OPENSSL is None, reason="no openssl command on this machine")
def test_openssl_opens_the_legacy_p12_and_names_its_algorithms(tmp_path):
    _inputs(tmp_path)
    assert _convert(tmp_path, "--p12-legacy").returncode == 0
    pw = f"file:{tmp_path / 'pw.txt'}"
    info = _openssl("pkcs12", "-in", str(tmp_path / "out.p12"), "-info", "-noout",
                    "-passin", pw)
    assert info.returncode == 0, info.stderr
    assert "MAC: sha1" in info.stderr
    assert "pbeWithSHA1And3-KeyTripleDES-CBC" in info.stderr
    assert "AES" not in info.stderr
    certs = _openssl("pkcs12", "-in", str(tmp_path / "out.p12"), "-nokeys", "-passin", pw)
    assert certs.returncode == 0 and certs.stdout.count("BEGIN CERTIFICATE") == 2
    if _legacy_provider_loads():  # what an OpenSSL 3 user types for an old file
        legacy = _openssl("pkcs12", "-legacy", "-in", str(tmp_path / "out.p12"), "-nokeys",
                          "-passin", pw)
        assert legacy.returncode == 0, legacy.stderr
        assert legacy.stdout.count("BEGIN CERTIFICATE") == 2


@pytest.mark.skipif(OPENSSL is None, reason="no openssl command on this machine")
def test_the_default_p12_stays_aes_256_with_pbkdf2(tmp_path):
    _inputs(tmp_path)
    assert _convert(tmp_path).returncode == 0
    info = _openssl("pkcs12", "-in", str(tmp_path / "out.p12"), "-info", "-noout",
                    "-passin", f"file:{tmp_path / 'pw.txt'}")
    assert info.returncode == 0, info.stderr
    assert "AES-256-CBC" in info.stderr and "PBKDF2" in info.stderr
    assert "TripleDES" not in info.stderr


def test_p12_legacy_without_p12_is_refused_in_one_line(tmp_path):
    _inputs(tmp_path)
    done = run_cli("convert", "leaf.pem", "--to", "pem", "--p12-legacy", "--out", ".",
                   cwd=tmp_path, text=True)
    assert done.returncode == 2
    assert done.stderr == "collabcert: error: --p12-legacy is for --to p12, not --to pem; drop it\n"
