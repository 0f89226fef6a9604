"""The README says what CLI users expect (issue 15 items 7 and 9): the wizard's keys as the app
binds them, the tmux note for OSC 52 copies, installing into a venv or with pipx, and the
versions the suite was run with, the same as the test extra's pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _binding_keys() -> dict[str, str]:
    from collabcert.screens.home import HomeScreen
    from collabcert.tui.app import CollabcertApp
    from collabcert.tui.flow import FlowStep
    from collabcert.tui.keymap import own_bindings

    return {b.id: b.key for cls in (CollabcertApp, FlowStep, HomeScreen)
            for b in own_bindings(cls) if b.id}


def test_readme_lists_the_wizards_keys_as_bound():
    keys = _binding_keys()
    section = README[README.index("## The wizard's keys"):]
    section = section[:section.index("\n## ")]
    rows = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")]
    written = {"f1": "F1", "ctrl+n": "Ctrl+N", "escape": "Esc", "ctrl+q": "Ctrl+Q"}
    for binding_id in ("app.help", "flow.next", "flow.back", "app.quit"):
        label = written[keys[binding_id]]  # a key moved in the code must move here too
        assert any(label in row.split(", ") for row in rows), binding_id
    assert "Ctrl+P" in rows  # Textual's command palette
    assert "s (home)" in rows and keys["home.settings"] == "s"


def test_readme_has_the_tmux_clipboard_note_and_a_virtual_environment_install():
    assert "set -g set-clipboard on" in README and "OSC 52" in README
    assert "python3 -m venv" in README and "pipx install ." in README


def test_readme_names_the_versions_the_test_extra_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = dict(re.match(r"([A-Za-z0-9_-]+)==([0-9.]+)", d).groups()
                for d in project["optional-dependencies"]["test"] if "==" in d)
    textual = next(d for d in project["dependencies"] if d.startswith("textual"))
    tested = re.search(r"Tested with cryptography (\S+), Textual (\S+) and Python (\S+) ",
                       " ".join(README.split()))
    assert tested, "the README's 'Tested with' line"
    assert tested.group(1) == pins["cryptography"]
    assert textual == f"textual=={tested.group(2)}"
    assert project["requires-python"] == f">={tested.group(3)}"
    runtime = next(d for d in project["dependencies"] if d.startswith("cryptography"))
    assert runtime == "cryptography>=46,<51"  # a compatible range at run time, not a pin
