"""A field engineer's pile (issue 12): every verb that takes several FILEs goes on past the bad
ones, says each in its own `collabcert: error:` line, ends with a summary and exits 2 (DESIGN.md
"Contract details": several FILEs). Real `python -m collabcert` runs on files made in the test
(tests/pile.py): DER, PEM with Bag Attributes, .p7b, a legacy 3DES .pfx, keys, a CSR, an empty
file, random bytes, an expired twin, a same-name decoy CA, a quoted e-mail in a subject."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pile import BAD, Pile, make_pile
from pki import mode_of, run_cli, sha256_hex


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Pile:
    return make_pile(tmp_path_factory.mktemp("pile-src"))


@pytest.fixture
def pile(made: Pile, tmp_path: Path) -> Pile:
    """A fresh copy per test: converts write next to the inputs."""
    folder = tmp_path / "pile"
    shutil.copytree(made.folder, folder)
    made_copy = Pile(folder, made.pki, made.peer, made.expired, made.decoy, made.quoted,
                     dict(made.files))
    return made_copy


def _run(pile: Pile, *argv: str):
    return run_cli(*argv, cwd=pile.folder, text=True)


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("collabcert: error:")]


SUMMARY = f"{13 - len(BAD)} read, {len(BAD)} unreadable"


@pytest.mark.parametrize("verb", [
    ["inspect", "--password-file", "pw.txt"],
    ["lint", "--password-file", "pw.txt"],
    ["convert", "--to", "pem", "--password-file", "pw.txt"],
    ["bundle", "--target", "fullchain", "--password-file", "pw.txt"],
])
def test_every_batch_verb_goes_on_past_bad_files_and_ends_with_a_summary(pile, verb) -> None:
    done = _run(pile, *verb, *pile.names)
    assert done.returncode == 2, done.stderr
    errors = _error_lines(done.stderr)
    # each bad file once, on its own line, named; nothing else is an error line
    assert [line.split(":")[2].strip() for line in errors] == list(BAD), errors
    assert "Traceback" not in done.stderr
    assert done.stdout.rstrip().splitlines()[-1] == SUMMARY
    if verb[0] == "inspect":
        assert "expc1.pfx: 4 objects" in done.stdout  # the 3DES .pfx opened with pw.txt


@pytest.mark.parametrize("verb", [
    ["inspect", "--json", "--password-file", "pw.txt"],
    ["lint", "--json", "--password-file", "pw.txt"],
    ["bundle", "--target", "fullchain", "--json", "--password-file", "pw.txt"],
])
def test_json_of_a_pile_is_one_document_with_a_status_per_file(pile, verb) -> None:
    done = _run(pile, *verb, *pile.names)
    assert done.returncode == 2
    document = json.loads(done.stdout)
    statuses = {entry["source"]: entry["status"] for entry in
                document.get("inputs") or document["files"]}
    assert {name for name, status in statuses.items() if status == "unreadable"} == set(BAD)
    assert {name for name, status in statuses.items() if status == "read"} == set(pile.readable)
    assert len(_error_lines(done.stderr)) == len(BAD)


def test_convert_json_is_one_document_with_outputs_fingerprints_and_skipped(pile) -> None:
    (pile.folder / "out").mkdir()
    done = _run(pile, "convert", "--to", "pem", "--out", "out", "--json",
                "--password-file", "pw.txt", *pile.names)
    assert done.returncode == 2
    document = json.loads(done.stdout)
    status = {e["source"]: e["status"] for e in document["inputs"]}
    assert status["empty.cer"] == status["random.bin"] == "unreadable"
    assert status["expc1.crt"] == "converted"
    assert {s["source"] for s in document["skipped"]} == set(BAD)
    leaf = sha256_hex(pile.pki.leaf.cert)
    crt = next(o for o in document["outputs"] if o["source"] == "expc1.crt")
    assert crt["path"] == "out/expc1.pem" and crt["objects"][0]["sha256"] == leaf
    assert "expc1.pfx -> expc1-pfx.pem (expc1.pem is taken by expc1.crt)" in document["renamed"]
    assert any("locked.key" in note and "unencrypted" in note for note in document["notes"])


def test_convert_gives_clashing_outputs_distinct_names_and_says_why(pile) -> None:
    done = _run(pile, "convert", "--to", "pem", "--password-file", "pw.txt",
                "expc1.crt", "expc1.pfx", "expc1.key")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "renamed: expc1.pfx -> expc1-pfx.pem (expc1.pem is taken by expc1.crt)" in out
    # the .pfx's own key may not take the name of the input expc1.key
    assert "renamed: expc1.pfx -> expc1-pfx.key (expc1.key is one of the inputs)" in out
    assert "renamed: expc1.key -> expc1-key.pem (expc1.pem is taken by expc1.crt)" in out
    assert mode_of(pile.path("expc1-pfx.key")) == 0o600
    assert pile.path("expc1.key").read_bytes() == pile.pki.leaf.key_pem  # the input is intact
    assert "note: expc1.pfx: the key was encrypted there and is written unencrypted" in out


def test_each_wrote_line_is_followed_by_its_own_fingerprints(pile) -> None:
    done = _run(pile, "convert", "--to", "pem", "expc1.crt", "expc2.pem", "--out", ".",
                "--force")
    lines = done.stdout.splitlines()
    first = lines.index("wrote expc1-crt.pem: 1 certificate") if (
        "wrote expc1-crt.pem: 1 certificate" in lines) else lines.index(
        "wrote expc1.pem: 1 certificate")
    assert sha256_hex(pile.pki.leaf.cert)[:2].upper() in lines[first + 1]
    assert lines[first + 1].startswith("  expc1")
    second = next(i for i, line in enumerate(lines) if line.startswith("wrote expc2"))
    colon = ":".join(sha256_hex(pile.peer.cert)[i:i + 2] for i in range(0, 64, 2)).upper()
    assert lines[second + 1].endswith(colon)


def test_dash_o_dash_writes_pem_to_standard_output_and_refuses_binary(pile) -> None:
    done = _run(pile, "convert", "--to", "pem", "-o", "-", "expc1.crt")
    assert done.returncode == 0
    assert done.stdout == pile.pki.leaf.pem.decode()
    assert not pile.path("-").exists()
    for binary in ("der", "p12", "p7b"):
        refused = _run(pile, "convert", "--to", binary, "-o", "-", "expc1.crt",
                       "--password-file", "pw.txt")
        assert refused.returncode == 2 and refused.stdout == ""
        assert _error_lines(refused.stderr) == [refused.stderr.strip()]
        assert "writes PEM text only" in refused.stderr
    assert not pile.path("-").exists()


def test_convert_says_which_inputs_were_skipped_and_why(pile) -> None:
    done = _run(pile, "convert", "--to", "p7b", "-o", "all.p7b", "expc1.crt", "expc1.key",
                "empty.cer")
    assert done.returncode == 2
    assert "skipped: expc1.key: holds no certificate; a PKCS#7 carries certificates only" in (
        done.stdout)
    assert _error_lines(done.stderr) == [
        "collabcert: error: empty.cer: is empty; expected a certificate, CSR, key, PKCS#7 or "
        "PKCS#12"]


def test_a_locked_file_without_the_password_is_one_line_and_the_rest_is_done(pile) -> None:
    done = _run(pile, "inspect", "expc1.crt", "locked.key", "expc1.pfx")
    assert done.returncode == 2
    errors = _error_lines(done.stderr)
    assert len(errors) == 2 and all("--password-file" in line for line in errors)
    assert "expc1.crt: 1 object" in done.stdout
    assert done.stdout.rstrip().endswith("1 read, 2 unreadable")


def test_nothing_readable_is_one_line_per_file(pile) -> None:
    done = _run(pile, "bundle", "--target", "cms", *BAD)
    assert done.returncode == 2 and done.stdout == ""
    assert len(_error_lines(done.stderr)) == 2
