"""`collabcert inspect`, `convert` and `match` as a field engineer uses them (DESIGN.md)."""

from __future__ import annotations

import json
import os

import pytest
from cryptography.hazmat.primitives import serialization
from pki import Pki, der_of, make_pki, mode_of, pem_of, run_cli, sha256_hex

from collabcert.cli import main

PEM = serialization.Encoding.PEM


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("rsa")


@pytest.fixture
def files(tmp_path, pki: Pki):
    (tmp_path / "leaf.cer").write_bytes(der_of(pki.leaf.cert))
    (tmp_path / "chain.pem").write_bytes(b"junk\n" + pem_of(*pki.chain) + b"more junk\n")
    (tmp_path / "leaf.key").write_bytes(pki.leaf.key_pem)
    (tmp_path / "leaf.csr").write_bytes(pki.csr.public_bytes(PEM))
    (tmp_path / "locked.key").write_bytes(pki.leaf.key.private_bytes(
        PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")))
    (tmp_path / "pw.txt").write_bytes(b"pw\r\n")
    return tmp_path


# --- inspect ----------------------------------------------------------------------------------


def test_inspect_text_shows_subject_and_issuer(files, capsys) -> None:
    assert main(["inspect", str(files / "chain.pem")]) == 0
    out = capsys.readouterr().out
    assert "Subject: CN=expe.example.com" in out
    assert "Issuer: CN=Example Issuing CA, O=Example" in out
    assert "3 objects" in out


def test_inspect_key_names_the_key_and_prints_no_key_material(files, pki, capsys) -> None:
    assert main(["inspect", str(files / "leaf.key")]) == 0
    out = capsys.readouterr().out
    assert "private key (PEM, PKCS#8): RSA 2048" in out
    assert "BEGIN" not in out
    numbers = pki.leaf.key.private_numbers()
    assert format(numbers.p, "x")[:16] not in out.replace(":", "").lower()


def test_inspect_json_has_sha256(files, pki, capsys) -> None:
    assert main(["inspect", "--json", str(files / "chain.pem"), str(files / "leaf.cer")]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = [item["sha256"] for f in doc["files"] for item in f["items"]]
    assert found == [sha256_hex(c) for c in pki.chain] + [sha256_hex(pki.leaf.cert)]


def test_inspect_shows_the_certification_path_and_next_steps_as_the_wizard_does(
        files, pki, capsys) -> None:
    # issue 10: one inspect job; the wizard's "Certification path" is now on the CLI too
    assert main(["inspect", str(files / "chain.pem"), str(files / "leaf.key"),
                 str(files / "leaf.cer")]) == 0
    out = capsys.readouterr().out
    path = out[out.index("Certification path (root at the top)"):]
    assert path.index("Example Root CA") < path.index("Example Issuing CA") < path.index(
        "expe.example.com")
    assert "collabcert match KEY CERT" in out and "--to pem" in out
    assert main(["inspect", "--json", str(files / "chain.pem")]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["paths"] == [[sha256_hex(c) for c in reversed(pki.chain)]]
    assert doc["next_steps"] == []


def test_inspect_stdin(files, pki) -> None:
    result = run_cli("inspect", "--json", "-", stdin=(files / "leaf.cer").read_bytes())
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["files"][0]["items"][0]["sha256"] == sha256_hex(pki.leaf.cert)


def test_locked_key_without_password_file_does_not_prompt(files) -> None:
    result = run_cli("inspect", str(files / "locked.key"))
    assert result.returncode == 2
    assert result.stderr.decode().startswith("collabcert: error: ")
    assert "encrypted" in result.stderr.decode()
    ok = run_cli("inspect", str(files / "locked.key"), "--password-file", str(files / "pw.txt"))
    assert ok.returncode == 0, ok.stderr  # "pw\r\n" less its line end is the password


# --- bad input: one line, exit 2, names the file ----------------------------------------------


@pytest.fixture
def bad_files(tmp_path, pki: Pki):
    made = {
        "empty.pem": b"",
        "random.bin": os.urandom(3000),
        "truncated.der": der_of(pki.leaf.cert)[:200],
        "broken.pem": b"-----BEGIN CERTIFICATE-----\nMII%%%\n-----END CERTIFICATE-----\n",
    }
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    with open(tmp_path / "junk20mb.bin", "wb") as handle:
        handle.write(os.urandom(20 * 1024 * 1024))
    (tmp_path / "folder").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    "name", ["empty.pem", "random.bin", "truncated.der", "broken.pem", "junk20mb.bin",
             "missing.pem", "folder"])
@pytest.mark.parametrize("verb", [["inspect"], ["convert", "--to", "pem"]])
def test_bad_input_is_one_line_exit_2(bad_files, name: str, verb: list[str]) -> None:
    before = sorted(p.name for p in bad_files.iterdir())
    result = run_cli(*verb, str(bad_files / name))
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.startswith("collabcert: error: ") and err.count("\n") == 1, err
    assert name in err
    assert "Traceback" not in err
    assert sorted(p.name for p in bad_files.iterdir()) == before  # no partial output


def test_several_files_the_readable_ones_are_done_each_unreadable_one_says_why(
        files, pki) -> None:
    # DESIGN.md "Several FILEs", as the wizard does: read what can be read, list the rest
    (files / "empty.pem").write_bytes(b"")
    result = run_cli("inspect", str(files / "leaf.cer"), str(files / "missing.pem"),
                     str(files / "empty.pem"))
    assert result.returncode == 2
    err = result.stderr.decode().splitlines()
    assert len(err) == 2 and all(line.startswith("collabcert: error: ") for line in err)
    assert "missing.pem" in err[0] and "empty.pem" in err[1]
    assert "expe.example.com" in result.stdout.decode()
    as_json = run_cli("inspect", "--json", str(files / "leaf.cer"), str(files / "missing.pem"))
    assert as_json.returncode == 2
    doc = json.loads(as_json.stdout)
    assert [(f["status"], len(f["items"])) for f in doc["files"]] == [("read", 1),
                                                                       ("unreadable", 0)]
    assert "no such file" in doc["files"][1]["error"]
    converted = run_cli("convert", str(files / "leaf.cer"), str(files / "missing.pem"),
                        "--to", "pem")
    assert converted.returncode == 2
    assert (files / "leaf.pem").read_bytes() == pki.leaf.pem  # the readable one was done
    assert converted.stderr.decode().count("collabcert: error: ") == 1


def test_usage_errors_exit_2(files) -> None:
    result = run_cli("convert", str(files / "leaf.cer"), "--to", "xml")
    assert result.returncode == 2
    assert result.stderr.decode().startswith("collabcert: error: ")


# --- convert ----------------------------------------------------------------------------------


def test_convert_der_to_pem_next_to_input(files, pki, capsys) -> None:
    assert main(["convert", str(files / "leaf.cer"), "--to", "pem"]) == 0
    written = (files / "leaf.pem").read_bytes()
    assert written == pki.leaf.pem
    assert "SHA-256" in capsys.readouterr().out


def test_convert_never_overwrites_without_force(files, capsys) -> None:
    (files / "leaf.pem").write_bytes(b"keep me")
    assert main(["convert", str(files / "leaf.cer"), "--to", "pem"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (files / "leaf.pem").read_bytes() == b"keep me"
    assert main(["convert", str(files / "leaf.cer"), "--to", "pem", "--force"]) == 0
    assert (files / "leaf.pem").read_bytes() != b"keep me"


def test_convert_to_p12_and_back_with_password_file(files, pki) -> None:
    out = files / "out"
    out.mkdir()
    assert main(["convert", str(files / "chain.pem"), "--key", str(files / "leaf.key"),
                 "--to", "p12", "-o", str(out / "server.p12"),
                 "--password-file", str(files / "pw.txt")]) == 0
    assert mode_of(out / "server.p12") == 0o600
    assert main(["convert", str(out / "server.p12"), "--to", "pem", "--out", str(out),
                 "--password-file", str(files / "pw.txt")]) == 0
    key = (out / "server.key").read_bytes()
    assert key.startswith(b"-----BEGIN PRIVATE KEY-----\n") and key.endswith(b"\n")
    assert mode_of(out / "server.key") == 0o600
    assert (out / "server.pem").read_bytes() == pem_of(*pki.chain)


def test_convert_prints_what_is_on_disk_read_back_as_the_wizard_shows_it(
        files, pki, capsys) -> None:
    # issue 10: one convert job; the CLI now lists every written object read back from disk
    # (it listed the input certificates), keys by their public key's SHA-256, like the wizard
    from collabcert.keys import spki_sha256
    from collabcert.model import colon_hex

    (files / "both.pem").write_bytes(pki.leaf.pem + pki.leaf.key_pem)
    out = files / "out"
    out.mkdir()
    assert main(["convert", str(files / "both.pem"), "--to", "pem", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert (f"  {out / 'both.pem'}  Certificate  expe.example.com  SHA-256 "
            f"{colon_hex(sha256_hex(pki.leaf.cert))}") in text
    assert (f"  {out / 'both.key'}  Private key  -  SHA-256 "
            f"{colon_hex(spki_sha256(pki.leaf.key.public_key()))}") in text
    assert "next 1. The key is written unencrypted" in text
    assert "BEGIN" not in text


def test_convert_blocked_says_the_one_sentence_and_writes_nothing(files, capsys) -> None:
    assert main(["convert", str(files / "leaf.key"), "--to", "p7b"]) == 2
    assert "a PKCS#7 carries certificates, and the input has none" in capsys.readouterr().err
    assert not list(files.glob("*.p7b"))


def test_convert_p12_without_password_and_no_terminal(files) -> None:
    result = run_cli("convert", str(files / "chain.pem"), "--key", str(files / "leaf.key"),
                     "--to", "p12")
    assert result.returncode == 2
    assert "--password-file" in result.stderr.decode()
    assert not list(files.glob("*.p12"))


def test_convert_to_p7b_and_der(files, pki) -> None:
    assert main(["convert", str(files / "chain.pem"), "--to", "p7b"]) == 0
    assert main(["convert", str(files / "chain.p7b"), "--to", "der", "--out", str(files)]) == 0
    ders = sorted(files.glob("chain-*.der"))
    assert [p.read_bytes() for p in ders] == [der_of(c) for c in pki.chain]


# --- match ------------------------------------------------------------------------------------


def test_match_key_csr_and_certificate(files, capsys) -> None:
    assert main(["match", str(files / "leaf.key"), str(files / "leaf.cer")]) == 0
    assert main(["match", str(files / "leaf.csr"), str(files / "chain.pem")]) == 0
    assert "certificate 1 of 3" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["rsa", "ec", "ed25519"])
def test_match_and_mismatch_for_each_key_type(tmp_path, kind: str, capsys) -> None:
    from pki import issue, new_key

    key = new_key(kind)
    cert = issue("node.example.com", key=key, key_kind=kind)
    other = issue("node.example.com", key_kind=kind)
    (tmp_path / "k.pem").write_bytes(cert.key_pem)
    (tmp_path / "c.pem").write_bytes(cert.pem)
    (tmp_path / "o.pem").write_bytes(other.pem)
    assert main(["match", str(tmp_path / "k.pem"), str(tmp_path / "c.pem")]) == 0
    assert main(["match", str(tmp_path / "k.pem"), str(tmp_path / "o.pem")]) == 1
    assert "no match" in capsys.readouterr().out


def test_match_key_against_csr(files, tmp_path, capsys) -> None:
    from pki import make_csr, new_key

    assert main(["match", str(files / "leaf.key"), str(files / "leaf.csr")]) == 0
    (tmp_path / "other.csr").write_bytes(make_csr(new_key("ec"), "x.example.com").public_bytes(PEM))
    assert main(["match", str(files / "leaf.key"), str(tmp_path / "other.csr")]) == 1
    out = capsys.readouterr().out
    assert "match: the private key and the CSR for 'expe.example.com'" in out
    assert "no match" in out
    assert "next 1. Find the key that made this CSR" in out  # the match job's next step
