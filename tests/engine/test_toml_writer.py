"""One TOML writer (issue 15 item 8): answers files are written by tomli-w, and every character a
field can hold comes back from tomllib unchanged: control characters (U+0000-U+001F and U+007F,
which the old settings writer let through raw), quotes, backslashes, non-ASCII, astral planes."""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from collabcert import answers

# The characters a hand-made writer gets wrong, mixed with every other code point (surrogates
# cannot be written as UTF-8 at all, so no TOML file can hold them).
AWKWARD = st.sampled_from(["\x00", "\x08", "\t", "\n", "\r", "\x1b", "\x1f", "\x7f", '"', "'",
                           "\\", "ü", "ß", "€", "\u2028", "\ufeff", "😀", "\U0010ffff"])
ANY_TEXT = st.text(st.one_of(AWKWARD, st.characters(exclude_categories=("Cs",))), max_size=16)
# (st.text draws single characters; three quotes in a row come from drawing '"' three times)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, ANY_TEXT, ANY_TEXT,
       st.dictionaries(ANY_TEXT.filter(bool),
                       st.one_of(ANY_TEXT, st.lists(ANY_TEXT, max_size=3).map(tuple)),
                       max_size=5))
def test_answers_round_trip_every_character(role, key, digest, fields):
    text = answers.dumps(answers.Answers(role, key, digest, fields))
    data = tomllib.loads(text)
    assert data.get("role", "") == role and data.get("key", "") == key
    assert data.get("digest", "") == digest
    got = {k: tuple(v) if isinstance(v, list) else v for k, v in data["fields"].items()}
    assert got == fields
    again = answers.loads(text)  # and our reader takes what the writer wrote
    assert (again.role, again.key, again.digest, again.fields) == (role, key, digest, fields)


def test_the_writer_escapes_delete_and_other_control_characters():
    text = answers.dumps(answers.Answers("cms-xmpp", "", "", {"o": "a\x7fb\x01c"}))
    assert "\x7f" not in text and "\x01" not in text
    assert tomllib.loads(text)["fields"]["o"] == "a\x7fb\x01c"


def test_files_written_by_the_old_writer_still_load():
    # what the hand-made writer of earlier releases wrote: inline arrays, \uXXXX in capitals
    old = ('# collabcert answers: replay with `collabcert csr ROLE --answers THIS_FILE`\n'
           'role = "expressway-e"\nkey = "ec:p384"\ndigest = "sha384"\n\n[fields]\n'
           'fqdn = "expe.example.com"\nucm-domains = ["example.com", "example.org"]\n'
           'o = "Example \\"Quoted\\" \\\\ Inc.\\u007F"\n"odd key" = "x\\tY"\n')
    loaded = answers.loads(old)
    assert loaded.role == "expressway-e" and loaded.key == "ec:p384"
    assert loaded.fields == {"fqdn": "expe.example.com",
                             "ucm-domains": ("example.com", "example.org"),
                             "o": 'Example "Quoted" \\ Inc.\x7f', "odd key": "x\tY"}
