"""The match job (collabcert.jobs.match): one frozen answer with the items and what to do next."""

from __future__ import annotations

import dataclasses

import pytest
from pki import issue, make_pki, new_key

from collabcert.errors import InputError
from collabcert.jobs.match import match_job
from collabcert.keys import spki_sha256
from collabcert.load import load_bytes


def test_a_match_has_the_items_of_both_sides_and_no_next_step() -> None:
    pki = make_pki("ec")
    result = match_job(load_bytes(pki.leaf.key_pem, "leaf.key"),
                       load_bytes(pki.leaf.pem + pki.intermediate.pem, "chain.pem"))
    assert result.matches and result.message.startswith("match: the private key and the "
                                                        "certificate for 'expe.example.com'")
    assert [v.kind for v in result.items] == ["private_key", "certificate", "certificate"]
    assert result.spki_sha256 == spki_sha256(pki.leaf.key.public_key())
    assert result.next_steps == () and result.planned == () and result.blocked
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.matches = False  # type: ignore[misc]


def test_a_mismatch_says_where_to_look_next() -> None:
    key = new_key("ec")
    other = issue("node.example.com", key_kind="ec")
    result = match_job(load_bytes(issue("node.example.com", key=key, key_kind="ec").key_pem,
                                  "k.pem"), load_bytes(other.pem, "o.pem"))
    assert not result.matches and result.message.startswith("no match")
    assert "--reuse-key" in result.next_steps[0]


def test_nothing_to_compare_is_one_sentence() -> None:
    pki = make_pki("ec")
    with pytest.raises(InputError, match="holds nothing with a public key"):
        match_job(load_bytes(pki.leaf.key_pem, "a.key"),
                  dataclasses.replace(load_bytes(pki.leaf.pem, "empty"), items=[]))
