"""The csr job (collabcert.jobs.csr): one review before writing and one write, for both faces."""

from __future__ import annotations

import dataclasses

import pytest
from pki import key_pem, mode_of, new_key

from collabcert import roles
from collabcert.errors import InputError
from collabcert.jobs.csr import review_csr, write_csr

CMS_ANSWERS = {"fqdn": "join.example.com", "additional-names": "meet.example.com"}


def cms_plan(**extra):
    return roles.plan(roles.get_role("cms-webbridge"), CMS_ANSWERS, **extra)


def test_review_lists_the_files_findings_next_steps_and_onbox_before_anything_is_made(
        tmp_path) -> None:
    review = review_csr(cms_plan(), tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        review.blocked = "x"  # type: ignore[misc]
    assert [(p.path.name, p.private) for p in review.planned] == [
        ("webbridge.key", True), ("webbridge.csr", False)]
    assert review.blocked == "" and not list(tmp_path.iterdir())  # nothing written
    # the CMS role's own steps do not say it: two SANs need a multi-SAN certificate (seed-001 G10)
    assert review.next_steps[1].startswith("Ask the CA for a multi-domain (multi-SAN)")
    assert review.onbox.command == "pki csr webbridge CN:join.example.com " \
        "subjectAltName:meet.example.com"


def test_a_missing_folder_blocks_writing_with_one_sentence(tmp_path) -> None:
    review = review_csr(cms_plan(), tmp_path / "nowhere")
    assert review.blocked == f"{tmp_path / 'nowhere'}: the output folder does not exist; " \
        "create it first"
    with pytest.raises(InputError, match="output folder does not exist"):
        write_csr(review)


def test_locked_and_reused_key_notes_are_in_the_review_and_the_result(tmp_path) -> None:
    locked = review_csr(cms_plan(), tmp_path, encrypt=True)
    assert "KEY-LOCKED" in {f.id for f in locked.findings} and locked.encrypted
    key = new_key("rsa")
    (tmp_path / "webbridge.key").write_bytes(key_pem(key))
    reused = review_csr(cms_plan(key="rsa:2048"), tmp_path, reuse_key=key,
                        key_source=tmp_path / "webbridge.key", encrypt=True)
    assert reused.keeps_key_file and not reused.encrypted  # the key file stays as it is
    assert [p.path.suffix for p in reused.planned] == [".csr"]
    assert "KEY-REUSED" in {f.id for f in reused.findings}
    result = write_csr(reused)
    assert result.outcome.written == (tmp_path / "webbridge.csr",)
    assert {f.id for f in result.findings} >= {"KEY-REUSED"}
    assert result.next_steps == reused.next_steps and result.onbox == reused.onbox


def test_write_makes_a_new_key_0600_and_the_csr(tmp_path) -> None:
    result = write_csr(review_csr(cms_plan(), tmp_path))
    key_path, csr_path = result.outcome.key_path, result.outcome.csr_path
    assert mode_of(key_path) == 0o600 and csr_path.read_bytes() == result.outcome.csr_pem
