"""Answers files: TOML written by our writer, read back by tomllib, replayed into the same plan."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collabcert import answers, roles
from collabcert.errors import InputError, WriteRefused


def test_round_trip_of_a_plan(tmp_path):
    plan = roles.plan("expressway-e", {
        "fqdn": "expe.example.com", "ucm-domains": "example.com, example.org",
        "o": 'Example "Quoted" \\ Inc.', "c": "gb", "name": "edge"}, key="ec:p384",
        digest="sha384")
    path = answers.save(plan, tmp_path / "plan.toml")
    loaded = answers.load(path)
    assert loaded.role == "expressway-e" and loaded.key == "ec:p384" and loaded.digest == "sha384"
    assert loaded.fields["ucm-domains"] == ("example.com", "example.org")
    again = roles.plan(loaded.role, loaded.fields, key=loaded.key, digest=loaded.digest)
    assert again.sans == plan.sans and again.subject == plan.subject
    assert again.basename == "edge"


def test_save_never_overwrites_without_force(tmp_path):
    plan = roles.plan("cms-db-client", {})
    path = answers.save(plan, tmp_path / "a.toml")
    with pytest.raises(WriteRefused):
        answers.save(plan, path)
    answers.save(plan, path, force=True)


def test_dumps_shape():
    text = answers.dumps(answers.Answers("cms-xmpp", "rsa:2048", "sha256",
                                         {"fqdn": "xmpp.example.com", "odd key": ("a", "b")}))
    assert 'role = "cms-xmpp"' in text and "[fields]" in text
    # tomli-w (issue 15 item 8) writes an array one item a line; the quoted key is the same
    assert 'fqdn = "xmpp.example.com"' in text and '"odd key" = [\n    "a",\n    "b",\n]' in text
    assert text.endswith("\n")


@given(st.dictionaries(st.text(min_size=1, max_size=12),
                       st.one_of(st.text(max_size=30),
                                 st.lists(st.text(max_size=10), max_size=3).map(tuple)),
                       max_size=6),
       st.text(max_size=20))
def test_writer_round_trips_any_strings(fields, role):
    text = answers.dumps(answers.Answers(role, "", "", fields))
    data = tomllib.loads(text)
    assert data.get("role", "") == role
    got = {k: tuple(v) if isinstance(v, list) else v for k, v in data["fields"].items()}
    assert got == fields


@pytest.mark.parametrize(("text", "match"), [
    ("role = [", "not valid TOML"),
    ("role = 3", "role must be a string"),
    ("fields = 1", "must be a table"),
    ("[fields]\nfqdn = 3", "string or a list"),
    ("colour = 'x'", "unknown entry"),
])
def test_bad_files_refused(text, match):
    with pytest.raises(InputError, match=match):
        answers.loads(text, "x.toml")


def test_load_missing_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such answers file"):
        answers.load(tmp_path / "none.toml")
    with pytest.raises(InputError, match="folder"):
        answers.load(tmp_path)


def test_command_line_overrides_the_file():
    merged = answers.merged({"fqdn": "a.example.com", "O": "File"}, {"o": "CLI"})
    assert merged == {"fqdn": "a.example.com", "o": "CLI"}
