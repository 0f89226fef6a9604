"""What CLI users expect (issue 15 items 5-7): `--version`, `completion`, `csr --answers` without
ROLE, `--out DIR` made as `mkdir -p` would, `match --json`. Real `python -m collabcert` runs."""

from __future__ import annotations

import platform
from importlib import metadata

from cryptography.hazmat.backends.openssl import backend
from pki import run_cli


def test_version_prints_what_a_support_ticket_needs() -> None:
    done = run_cli("--version", text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "collabcert", "Python", "cryptography", "OpenSSL", "Textual", "pyOpenSSL"]
    assert lines[0] == f"collabcert {metadata.version('collabcert')}"
    assert lines[1].startswith(f"Python {platform.python_version()} ")
    assert lines[2] == f"cryptography {metadata.version('cryptography')}"
    # the library cryptography links, not the `openssl` command's
    assert lines[3].startswith(backend.openssl_version_text())
    assert lines[4] == f"Textual {metadata.version('textual')}"
    assert lines[5] == f"pyOpenSSL {metadata.version('pyOpenSSL')}"


def test_the_version_is_written_once_in_pyproject() -> None:
    import tomllib
    from pathlib import Path

    import collabcert
    from collabcert import version

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml")
                            .read_text(encoding="utf-8"))["project"]["version"]
    assert collabcert.__version__ == project == version._pyproject_version()
    source = (Path(collabcert.__file__).read_text(encoding="utf-8"))
    assert project not in source  # not written a second time in the package


# --- csr --answers FILE without ROLE --------------------------------------------------------

CMS = ("--field", "fqdn=join.example.com", "--key", "ec:p256")


def test_csr_takes_the_role_from_the_answers_file(tmp_path):
    first = run_cli("csr", "cms-webbridge", *CMS, "--out", "one", "--save-answers", "plan.toml",
                    cwd=tmp_path, text=True)
    assert first.returncode == 0, first.stderr
    assert 'role = "cms-webbridge"' in (tmp_path / "plan.toml").read_text(encoding="utf-8")
    again = run_cli("csr", "--answers", "plan.toml", "--out", "two", "--json", cwd=tmp_path,
                    text=True)
    assert again.returncode == 0, again.stderr
    import json

    document = json.loads(again.stdout)
    assert document["role"] == "cms-webbridge" and document["cn"] == "join.example.com"
    assert document["key"]["type"] == "ec:p256"
    # a ROLE given must still be the file's
    other = run_cli("csr", "cms-xmpp", "--answers", "plan.toml", "--out", "three", cwd=tmp_path,
                    text=True)
    assert other.returncode == 2
    assert "the answers are for role cms-webbridge, not cms-xmpp" in other.stderr
    assert not (tmp_path / "three").exists()  # refused before anything was made


def test_csr_without_role_says_how_to_give_it_in_one_line(tmp_path):
    (tmp_path / "old.toml").write_text('[fields]\nfqdn = "join.example.com"\n', encoding="utf-8")
    done = run_cli("csr", "--answers", "old.toml", cwd=tmp_path, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith("collabcert: error: old.toml: holds no role; give it: "
                                  "collabcert csr ROLE --answers old.toml")
    # an answers file without a role (written by hand) still works with ROLE given
    given = run_cli("csr", "cms-webbridge", "--answers", "old.toml", "--key", "ec:p256",
                    cwd=tmp_path, text=True)
    assert given.returncode == 0, given.stderr
    bare = run_cli("csr", cwd=tmp_path, text=True)
    assert bare.returncode == 2
    assert bare.stderr == ("collabcert: error: give the ROLE (collabcert roles lists them), or "
                           "--answers FILE saved earlier with --save-answers\n")


# --- --out DIR made as mkdir -p would ----------------------------------------------------------


def _pki_files(tmp_path):
    from pki import make_pki, pem_of

    found = make_pki()
    (tmp_path / "chain.pem").write_bytes(pem_of(found.leaf.cert, found.intermediate.cert,
                                                found.root.cert))
    (tmp_path / "leaf.key").write_bytes(found.leaf.key_pem)
    return found


def test_csr_out_folder_is_made_with_its_parents_only_after_the_checks(tmp_path):
    refused = run_cli("csr", "cms-webbridge", "--field", "fqdn=bad_name", "--out", "a/b/c",
                      cwd=tmp_path, text=True)
    assert refused.returncode == 2 and not (tmp_path / "a").exists()  # nothing made
    done = run_cli("csr", "cms-webbridge", *CMS, "--out", "a/b/c", cwd=tmp_path, text=True)
    assert done.returncode == 0, done.stderr
    made = tmp_path / "a" / "b" / "c"
    assert sorted(p.name for p in made.iterdir()) == ["webbridge.csr", "webbridge.key"]
    assert (made / "webbridge.key").stat().st_mode & 0o777 == 0o600


def test_convert_and_bundle_make_their_out_folder(tmp_path):
    _pki_files(tmp_path)
    converted = run_cli("convert", "chain.pem", "--to", "der", "--out", "der/deep", cwd=tmp_path,
                        text=True)
    assert converted.returncode == 0, converted.stderr
    assert len(list((tmp_path / "der" / "deep").glob("*.der"))) == 3
    bundled = run_cli("bundle", "chain.pem", "--target", "expressway", "--out", "exp/one",
                      cwd=tmp_path, text=True)
    assert bundled.returncode == 0, bundled.stderr
    assert len(list((tmp_path / "exp" / "one").iterdir())) == 2


def test_an_out_that_is_a_file_is_refused_in_one_line(tmp_path):
    _pki_files(tmp_path)
    (tmp_path / "taken").write_text("a file\n")
    for argv, hint in (
        (("convert", "chain.pem", "--to", "der"), " (or -o FILE to name the one output file)"),
        (("bundle", "chain.pem", "--target", "fullchain"),
         " (or -o FILE to name the one output file)"),
        (("csr", "cms-webbridge", *CMS), ""),
    ):
        done = run_cli(*argv, "--out", "taken", cwd=tmp_path, text=True)
        assert done.returncode == 2, argv
        assert done.stderr == (f"collabcert: error: taken: is a file, not a folder; give --out a "
                               f"folder{hint}\n"), argv
        # and a folder below a file cannot be made either
        below = run_cli(*argv, "--out", "taken/sub", cwd=tmp_path, text=True)
        assert below.returncode == 2 and below.stderr.count("\n") == 1, argv
        assert "taken: is a file, not a folder" in below.stderr, argv
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.pem", "leaf.key", "taken"]


# --- match --json --------------------------------------------------------------------------------


def test_match_json_is_one_document_with_both_sides(tmp_path):
    import hashlib
    import json

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from pki import new_key

    found = _pki_files(tmp_path)
    (tmp_path / "leaf.pem").write_bytes(found.leaf.cert.public_bytes(Encoding.PEM))
    done = run_cli("match", "leaf.key", "leaf.pem", "--json", cwd=tmp_path, text=True)
    assert done.returncode == 0 and done.stderr == ""
    document = json.loads(done.stdout)
    spki = hashlib.sha256(found.leaf.cert.public_key().public_bytes(
        Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).hexdigest()
    key_id = x509.SubjectKeyIdentifier.from_public_key(found.leaf.cert.public_key()).digest.hex()
    assert document["match"] is True
    assert document["key_or_csr"]["file"] == "leaf.key"
    assert document["key_or_csr"]["kind"] == "private key"
    assert document["cert"]["file"] == "leaf.pem" and document["cert"]["kind"] == "certificate"
    for side in ("key_or_csr", "cert"):
        assert document[side]["spki_sha256"] == spki and document[side]["key_id"] == key_id
    assert document["cert"]["sha256"] == hashlib.sha256(
        found.leaf.cert.public_bytes(Encoding.DER)).hexdigest()
    assert document["cert"]["subject_cn"] == "expe.example.com"

    from pki import key_pem

    (tmp_path / "other.key").write_bytes(key_pem(new_key("ec", fresh=True)))
    missed = run_cli("match", "other.key", "leaf.pem", "--json", cwd=tmp_path, text=True)
    assert missed.returncode == 1 and missed.stderr == ""
    document = json.loads(missed.stdout)
    assert document["match"] is False
    assert document["key_or_csr"]["spki_sha256"] != document["cert"]["spki_sha256"] == spki
    assert document["next_steps"]
