"""Layering, proved in fresh interpreters (issue 3; DESIGN.md ground rules):

- the engine (every module under collabcert/) never imports textual;
- `collabcert --help` (and each verb's --help) imports neither textual nor the engine's reader,
  nor cryptography, so it stays as fast as argparse;
- the cli_<verb> modules import only argparse and the stdlib at module top level.

Each check runs in a subprocess because this test process has long since imported everything.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "collabcert"
HEAVY = ("textual", "collabcert.load", "cryptography")


def _engine_modules(folder: Path = PACKAGE, prefix: str = "collabcert.") -> list[str]:
    """Every module and subpackage under collabcert/, found without importing anything."""
    names: list[str] = []
    for module in pkgutil.iter_modules([str(folder)]):
        if module.name == "__main__":
            continue  # runs the CLI and exits
        names.append(prefix + module.name)
        if module.ispkg:
            names += _engine_modules(folder / module.name, f"{prefix}{module.name}.")
    return sorted(names)


def _cli_modules() -> list[str]:
    # cli_common is the verbs' shared helper, imported inside run(): it may use the engine
    return [m for m in _engine_modules()
            if m.startswith("collabcert.cli_") and m != "collabcert.cli_common"]


def _python(code: str, *args: str, flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, *flags, "-c", code, *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )


def _modules_after(code: str) -> set[str]:
    """The sys.modules names after running `code` in a fresh interpreter."""
    script = f"{code}\nimport json, sys\nprint('\\n@@' + json.dumps(sorted(sys.modules)))"
    done = _python(script)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.rsplit("\n@@", 1)[1]))


def test_the_package_has_the_modules_this_test_expects() -> None:
    modules = _engine_modules()
    for expected in ("collabcert.load", "collabcert.model", "collabcert.convert",
                     "collabcert.files", "collabcert.cli", "collabcert.cli_inspect"):
        assert expected in modules  # a rename must not turn the layering test into a no-op


def test_importing_every_engine_module_leaves_textual_out() -> None:
    code = "import importlib\n" + "".join(
        f"importlib.import_module({name!r})\n" for name in _engine_modules()
    )
    loaded = _modules_after(code)
    assert set(_engine_modules()) <= loaded  # they really were imported
    assert not [m for m in loaded if m == "textual" or m.startswith("textual.")]
    assert not [m for m in loaded if m.split(".")[0] in ("tui", "screens", "rich")]


_HELP_CODE = """
import sys
from collabcert.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
"""


@pytest.mark.parametrize("argv", [["--help"], ["inspect", "--help"], ["convert", "--help"],
                                  ["match", "--help"], ["--version"]])
def test_help_imports_neither_textual_nor_the_engine(argv: list[str]) -> None:
    script = _HELP_CODE.replace("sys.argv[1:]", repr(argv))
    loaded = _modules_after(script)
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy == []


def test_python_m_collabcert_help_per_importtime() -> None:
    # The real entry: `python -m collabcert --help`, with the interpreter's own import log.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "collabcert", "--help"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage: collabcert" in done.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "collabcert.cli" in imported  # the log really is the import log
    for heavy in HEAVY:
        assert heavy not in imported, heavy


@pytest.mark.parametrize("module", _cli_modules())
def test_cli_verb_module_imports_only_stdlib_at_top_level(module: str) -> None:
    before = _modules_after("import collabcert")
    after = _modules_after(f"import {module}")
    new_ours = sorted(m for m in after - before if m.split(".")[0] == "collabcert")
    allowed = {module, "collabcert.cli", "collabcert.errors"}
    assert [m for m in new_ours if m not in allowed] == []
    third_party = sorted(m for m in after - before if m.split(".")[0] in
                         ("cryptography", "textual", "rich", "platformdirs", "pyperclip"))
    assert third_party == []
