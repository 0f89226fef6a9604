"""Issue 11 through the CLI: no output is an input, keys left out are said, passphrases, and the
saved answers as part of the one plan."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from pki import Pki, der_of, make_pki, pem_of, run_main

from collabcert import der
from collabcert.keys import KDF_ITERATIONS

E_ARGS = ["--field", "fqdn=expe.example.com", "--field", "ucm-domains=example.com",
          "--field", "xmpp-domains=example.com", "--key", "ec:p256"]


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("ec")


@pytest.fixture
def files(tmp_path, pki: Pki):
    (tmp_path / "chain.pem").write_bytes(pem_of(*pki.chain))
    (tmp_path / "leaf.cer").write_bytes(der_of(pki.leaf.cert))
    (tmp_path / "both.pem").write_bytes(pem_of(*pki.chain) + pki.leaf.key_pem)
    (tmp_path / "pw.txt").write_bytes(b"secret\n")
    return tmp_path


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_convert_refuses_to_write_over_its_input_even_with_force(files, capsys) -> None:
    before = _snapshot(files)
    (files / "alias.pem").hardlink_to(files / "both.pem")
    for output in ("both.pem", "alias.pem"):
        code, _, err = run_main(capsys, "convert", str(files / "both.pem"), "--to", "p7b",
                                "-o", str(files / output), "--force")
        assert code == 2 and err.count("\n") == 1
        assert "is one of the inputs" in err and err.startswith("collabcert: error: ")
    code, _, err = run_main(capsys, "convert", str(files / "leaf.cer"), "--to", "pem",
                            "-o", str(files / "pw.txt"), "--password-file",
                            str(files / "pw.txt"), "--force")
    assert code == 2 and "is one of the inputs" in err  # a password file is an input too
    assert {k: v for k, v in _snapshot(files).items() if k != "alias.pem"} == before


def test_bundle_refuses_to_write_over_its_input(files, capsys) -> None:
    before = _snapshot(files)
    code, _, err = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "fullchain",
                            "-o", str(files / "chain.pem"), "--force")
    assert code == 2 and "chain.pem: is one of the inputs" in err
    assert _snapshot(files) == before


def test_a_key_a_pkcs7_cannot_carry_is_said_with_where_it_would_go(files, capsys) -> None:
    code, out, err = run_main(capsys, "convert", str(files / "both.pem"), "--to", "p7b",
                              "--out", str(files))
    assert code == 0, err
    assert (f"1 private key not included: a PKCS#7 carries certificates only; `--to pem` "
            f"would write it to {files / 'both.key'}") in out
    code, out, _ = run_main(capsys, "convert", str(files / "chain.pem"), "--to", "p7b",
                            "-o", str(files / "c.p7b"))
    assert code == 0 and "not included" not in out


def test_a_nul_in_the_key_passphrase_is_refused_before_writing(tmp_path, capsys) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (tmp_path / "pass.txt").write_bytes(b"pass\x00word\n")
    code, _, err = run_main(capsys, "csr", "expressway-e", *E_ARGS, "--out", str(out_dir),
                            "--key-passphrase-file", str(tmp_path / "pass.txt"))
    assert code == 2 and err.count("\n") == 1 and "NUL" in err
    assert list(out_dir.iterdir()) == []


def test_an_encrypted_key_uses_a_current_work_factor_and_openssl_opens_it(tmp_path,
                                                                          capsys) -> None:
    (tmp_path / "pass.txt").write_bytes(b"correct horse\n")
    code, _, err = run_main(capsys, "csr", "expressway-e", *E_ARGS, "--out", str(tmp_path),
                            "--key-passphrase-file", str(tmp_path / "pass.txt"))
    assert code == 0, err
    key_file = tmp_path / "expressway-e.key"
    text = key_file.read_bytes()
    assert text.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    loaded = serialization.load_pem_private_key(text, b"correct horse")
    assert loaded.key_size == 256
    blob = base64.b64decode(b"".join(text.splitlines()[1:-1]))  # the PBES2 parameters
    assert KDF_ITERATIONS == 600_000
    assert der.encode_tlv(0x02, KDF_ITERATIONS.to_bytes(3, "big")) in blob
    assert bytes.fromhex("06082a864886f70d02090500") in blob  # hmacWithSHA256, NULL
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    opened = subprocess.run(["openssl", "pkey", "-in", str(key_file), "-passin",
                             "pass:correct horse", "-noout"], capture_output=True, check=False)
    assert opened.returncode == 0, opened.stderr
    wrong = subprocess.run(["openssl", "pkey", "-in", str(key_file), "-passin", "pass:wrong",
                            "-noout"], capture_output=True, check=False)
    assert wrong.returncode != 0


def test_a_failed_save_answers_leaves_no_key_and_no_csr(tmp_path, capsys) -> None:
    # /proc takes no new files whoever runs this: the answers fail at writing, after the key
    # and the CSR were staged; the one plan is undone.
    code, _, err = run_main(capsys, "csr", "expressway-e", *E_ARGS, "--out", str(tmp_path),
                            "--save-answers", "/proc/collabcert-answers.toml")
    assert code == 2 and err.count("\n") == 1 and "/proc" in err
    assert list(tmp_path.iterdir()) == []


def test_saved_answers_are_written_with_the_key_and_csr(tmp_path, capsys) -> None:
    answers = tmp_path / "plan.toml"
    code, out, _ = run_main(capsys, "csr", "expressway-e", *E_ARGS, "--out", str(tmp_path),
                            "--save-answers", str(answers), "--json")
    data = json.loads(out)
    assert code == 0 and data["answers_file"] == str(answers)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expressway-e.csr",
                                                          "expressway-e.key", "plan.toml"]
    assert sorted(data["files"]) == sorted(str(tmp_path / n) for n in ("expressway-e.csr",
                                                                        "expressway-e.key"))
    (tmp_path / "x").mkdir()
    code, _, err = run_main(capsys, "csr", "expressway-e", "--answers", str(answers),
                            "--out", str(tmp_path / "x"), "--save-answers", str(answers),
                            "--force")
    assert code == 2 and "is one of the inputs" in err
