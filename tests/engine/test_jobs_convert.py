"""The convert job (collabcert.jobs.convert): one plan and one read-back for both faces."""

from __future__ import annotations

import dataclasses

import pytest
from pki import make_pki, sha256_hex

from collabcert.files import write_plan
from collabcert.jobs.convert import ConvertOptions, convert_files, key_choices, read_back
from collabcert.keys import spki_sha256
from collabcert.load import load_bytes, load_path


@pytest.fixture(scope="module")
def pki():
    return make_pki("ec")


def test_a_format_the_inputs_cannot_make_is_blocked_with_one_sentence(pki, tmp_path) -> None:
    key_only = load_bytes(pki.leaf.key_pem, "leaf.key")
    result = convert_files([key_only], ConvertOptions("p7b", out_dir=tmp_path))
    assert result.blocked == "a PKCS#7 carries certificates, and the input has none"
    assert result.planned == () and [v.kind for v in result.items] == ["private_key"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.blocked = ""  # type: ignore[misc]


def test_plan_then_read_back_from_disk_gives_the_fingerprints_of_what_was_written(
        pki, tmp_path) -> None:
    source = tmp_path / "server.pem"
    source.write_bytes(pki.leaf.pem + pki.leaf.key_pem)
    result = convert_files([load_path(source)], ConvertOptions("pem", out_dir=tmp_path / "out"))
    assert not result.blocked
    assert [p.path.name for p in result.planned] == ["server.pem", "server.key"]
    assert any("unencrypted" in step for step in result.next_steps)
    (tmp_path / "out").mkdir()
    written = write_plan(result.planned)
    cert_rows = read_back(written[0], result.planned)
    key_rows = read_back(written[1], result.planned)
    assert [(r.kind, r.name, r.sha256) for r in cert_rows] == [
        ("Certificate", "expe.example.com", sha256_hex(pki.leaf.cert))]
    # a key shows its public key's SHA-256 (what `collabcert match` compares), never key bytes
    assert [(r.kind, r.name, r.sha256, r.private) for r in key_rows] == [
        ("Private key", "-", spki_sha256(pki.leaf.key.public_key()), True)]
    assert cert_rows[0].line("out/server.pem").startswith(
        "out/server.pem  Certificate  expe.example.com  SHA-256 ")


def test_pkcs12_is_read_back_with_its_own_password(pki, tmp_path) -> None:
    inputs = [load_bytes(pki.leaf.pem + pki.intermediate.pem + pki.leaf.key_pem, "in.pem")]
    inputs[0].path = tmp_path / "in.pem"
    views = convert_files(inputs, ConvertOptions("pem")).items
    ((label, key),) = key_choices(views, {"in.pem": "shown.pem"})
    assert label.endswith("key from shown.pem")
    result = convert_files(inputs, ConvertOptions("p12", key=key, password=b"pw"))
    (written,) = write_plan(result.planned)
    shown = {r.sha256 for r in read_back(written, result.planned)}
    assert {sha256_hex(pki.leaf.cert), sha256_hex(pki.intermediate.cert)} <= shown
    assert any("password" in step for step in result.next_steps)


def test_the_read_back_hook_lists_what_write_plan_parsed_equal_to_reading_the_disk(
        pki, tmp_path) -> None:
    from collabcert.jobs.convert import ReadBack

    source = tmp_path / "server.pem"
    source.write_bytes(pki.leaf.pem + pki.leaf.key_pem)
    result = convert_files([load_path(source)], ConvertOptions("der", out_dir=tmp_path))
    back = ReadBack(result.planned)
    written = write_plan(result.planned, count_certificates=back)
    for path in written:  # the same rows as a fresh read of the file (the wizard's way)
        assert back.objects(path) == read_back(path, result.planned)
    assert [r.kind for p in written for r in back.objects(p)] == ["Certificate", "Private key"]
