"""Issue 11 item 6: text from files reaches the terminal escaped (DESIGN.md "Text output escapes
control characters that come from files").

A CN set to `ESC ] 52 ; c ; <base64> BEL` is the OSC 52 "set clipboard" sequence: printed raw by
`inspect`, it filled the admin's clipboard through tmux. The certificates here carry it in the CN,
a SAN and the issuer's O, with a bidi override (U+202E) that turns `exe.png` into `gnp.exe`.
Each verb runs in a real process; the bytes of stdout and stderr hold no control character but
the line feed, and the names show in their escaped form.
"""

from __future__ import annotations

import json

import pytest
from pki import issue, name, run_cli

from collabcert.display import is_safe

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
EVIL_CN = f"evil{OSC52}\u202egnp.exe"
SHOWN_CN = "evil\\x1b]52;c;ZWNobyBwd25lZA==\\x07\\u202egnp.exe"


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    root = issue(name("Root \x1b[2J CA \u202e", "Org\x1b]0;title\x07\x9b31m"), ca=True)
    leaf = issue(EVIL_CN, issuer=root, sans=[f"a{OSC52}.example.com"])
    (folder / "leaf.pem").write_bytes(leaf.pem)
    (folder / "root.pem").write_bytes(root.pem)
    (folder / "leaf.key").write_bytes(leaf.key_pem)
    return folder


def _safe_output(done) -> str:
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert is_safe(out), out
    assert is_safe(err), err
    assert not set(done.stdout + done.stderr) & ({*range(0x20)} - {0x0A} | {0x7F})
    return out + err


@pytest.mark.parametrize(("verb", "shows"), [
    (["inspect", "leaf.pem", "root.pem"], [SHOWN_CN, "SAN DNS: a\\x1b]52;c;", "\\x9b31m"]),
    (["lint", "leaf.pem", "root.pem", "--role", "expressway-c", "--field",
      "fqdn=x.example.com"], [SHOWN_CN, "a\\x1b]52;c;"]),
    (["convert", "leaf.pem", "--to", "der", "--out", "out"], [SHOWN_CN]),
    (["bundle", "leaf.pem", "root.pem", "--target", "fullchain", "-o", "fc.pem"],
     ["Root \\x1b[2J CA \\u202e"]),
    (["match", "leaf.key", "leaf.pem"], [SHOWN_CN]),
], ids=["inspect", "lint", "convert", "bundle", "match"])
def test_every_verb_shows_names_from_files_escaped(evil, tmp_path, verb, shows):
    (tmp_path / "out").mkdir()
    for source in evil.iterdir():
        (tmp_path / source.name).write_bytes(source.read_bytes())
    done = run_cli(*verb, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    text = _safe_output(done)
    for piece in shows:
        assert piece in text


def test_an_error_line_quoting_a_file_stays_one_escaped_line(evil, tmp_path):
    odd = tmp_path / "a\x1b]52;c;eA==\x07\nb.pem"
    odd.write_bytes(b"no certificate here\n")
    done = run_cli("inspect", str(odd), cwd=tmp_path)
    assert done.returncode == 2
    _safe_output(done)
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("collabcert: error: ")
    assert "a\\x1b]52;c;eA==\\x07\\x0ab.pem" in lines[0]


def test_json_keeps_the_values_and_stays_json(evil):
    done = run_cli("inspect", "--json", "leaf.pem", "root.pem", cwd=evil)
    assert done.returncode == 0
    _safe_output(done)  # JSON writes them as \u escapes
    document = json.loads(done.stdout)
    names = [item["subject_cn"] for f in document["files"] for item in f["items"]]
    assert EVIL_CN in names  # the value itself, as pyca read it
