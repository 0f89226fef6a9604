"""Layering, proved two ways (issue 3, issue 10; DESIGN.md ground rules).

From the source (an import graph of every module, function-level imports included):
- the engine (collabcert/ less its faces cli, tui, screens, assets) never imports textual, rich
  or a face;
- the screens' `*_state` modules never reach textual or rich, not even through a helper;
- widgets (tui/) never import screens (only the app may open the home and settings screens);
- tui/ and screens/ never import cryptography: they get values from the engine;
- the CLI opens the wizard through collabcert.tui.app and nothing else of the faces.

In fresh interpreters (this process has long since imported everything):
- importing every engine module leaves textual out;
- `collabcert --help` (and each verb's --help) imports neither textual nor the engine's reader,
  nor cryptography, so it stays as fast as argparse;
- the collabcert.cli.<verb> modules import only argparse and the stdlib at module top level.
"""

from __future__ import annotations

import ast
import json
import os
import pkgutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "collabcert"
HEAVY = ("textual", "collabcert.load", "cryptography")
FACES = ("collabcert.cli", "collabcert.tui", "collabcert.screens", "collabcert.assets")
# Where each package's source is (the faces sit at the repository's top level).
SOURCES = {"collabcert": PACKAGE, "collabcert.tui": ROOT / "tui",
           "collabcert.screens": ROOT / "screens", "collabcert.assets": ROOT / "assets"}

# Modules that still break a rule and are being moved; this list only ever shrinks.
_STILL_TO_MOVE: dict[str, set[str]] = {
    "state-textual": set(),
    "tui-cryptography": set(),
}


def _modules_in(folder: Path, prefix: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for module in pkgutil.iter_modules([str(folder)]):
        name = f"{prefix}.{module.name}"
        if module.ispkg:
            found[name] = folder / module.name / "__init__.py"
            found |= _modules_in(folder / module.name, name)
        else:
            found[name] = folder / f"{module.name}.py"
    return found


@cache
def _all_modules() -> dict[str, Path]:
    """Every module of the product, name -> source file, found without importing anything."""
    found: dict[str, Path] = {"collabcert": PACKAGE / "__init__.py"}
    for package, folder in SOURCES.items():
        if package != "collabcert":
            found[package] = folder / "__init__.py"
        found |= _modules_in(folder, package)
    return found


def _is_in(name: str, packages: tuple[str, ...] | str) -> bool:
    packages = (packages,) if isinstance(packages, str) else packages
    return any(name == p or name.startswith(p + ".") for p in packages)


def _engine_modules(folder: Path = PACKAGE, prefix: str = "collabcert.") -> list[str]:
    """Every engine module: collabcert/ less the faces and __main__ (it runs the CLI)."""
    return sorted(n for n in _all_modules() if n.startswith(prefix) and not _is_in(n, FACES)
                  and n != "collabcert.__main__")


def _cli_modules() -> list[str]:
    # cli.common is the verbs' shared helper, imported inside run(): it may use the engine
    return sorted(n for n in _all_modules() if n.startswith("collabcert.cli.")
                  and n != "collabcert.cli.common")


@cache
def _imports(module: str) -> frozenset[str]:
    """Every module `module` imports, at any depth of its code (function bodies too)."""
    path = _all_modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names
                      if f"{base}.{alias.name}" in _all_modules()}
    return frozenset(names)


def _reaches(module: str) -> set[str]:
    """Everything `module` imports, directly or through our own modules."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        for name in _imports(todo.pop()):
            if name not in seen:
                seen.add(name)
                if name in _all_modules():
                    todo.append(name)
    return seen


def _breaking(modules, banned, rule: str, transitive: bool = False) -> list[str]:
    bad = []
    for module in modules:
        names = _reaches(module) if transitive else _imports(module)
        if any(_is_in(n, banned) for n in names) and module not in _STILL_TO_MOVE.get(rule, ()):
            bad.append(module)
    return sorted(bad)


def test_the_graph_sees_every_layer() -> None:
    modules = _all_modules()
    for expected in ("collabcert.load", "collabcert.cli.inspect", "collabcert.tui.app",
                     "collabcert.screens.home", "collabcert.screens.csr_state"):
        assert expected in modules  # a rename must not turn the contracts into no-ops
    assert any(_is_in(n, "textual") for n in _imports("collabcert.tui.app"))
    assert "collabcert.tui.paths" in _reaches("collabcert.screens.csr_state")


def test_engine_never_imports_a_face_textual_or_rich() -> None:
    banned = ("textual", "rich", *FACES)
    assert _breaking(_engine_modules(), banned, "engine") == []


def test_screen_state_modules_never_reach_textual() -> None:
    states = [n for n in _all_modules() if n.startswith("collabcert.screens.")
              and n.endswith("_state")]
    assert states
    assert _breaking(states, ("textual", "rich"), "state-textual", transitive=True) == []


def test_widgets_never_import_screens() -> None:
    widgets = [n for n in _all_modules() if _is_in(n, "collabcert.tui")]
    bad = [m for m in widgets if m != "collabcert.tui.app" and any(
        _is_in(n, "collabcert.screens") for n in _imports(m))]
    assert bad == []
    opened = {n for n in _imports("collabcert.tui.app") if _is_in(n, "collabcert.screens")}
    assert opened <= {"collabcert.screens", "collabcert.screens.home",
                      "collabcert.screens.settings"}


def test_faces_never_import_cryptography() -> None:
    faces = [n for n in _all_modules() if _is_in(n, ("collabcert.tui", "collabcert.screens"))]
    assert _breaking(faces, "cryptography", "tui-cryptography") == []


def test_the_still_to_move_list_only_names_modules_that_still_break_the_rule() -> None:
    # Once a module is fixed it must leave the list, so the list cannot hide a new breach.
    for module in _STILL_TO_MOVE["state-textual"]:
        assert any(_is_in(n, ("textual", "rich")) for n in _reaches(module)), module
    for module in _STILL_TO_MOVE["tui-cryptography"]:
        assert any(_is_in(n, "cryptography") for n in _imports(module)), module


def test_cli_opens_only_the_app_of_the_faces() -> None:
    cli = [n for n in _all_modules() if _is_in(n, "collabcert.cli")]
    used = {n for m in cli for n in _imports(m)
            if _is_in(n, ("collabcert.tui", "collabcert.screens"))}
    assert used <= {"collabcert.tui.app"}


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
                     "collabcert.files", "collabcert.lint.registry", "collabcert.rules.registry"):
        assert expected in modules  # a rename must not turn the layering test into a no-op


def test_importing_every_engine_module_leaves_textual_out() -> None:
    code = "import importlib\n" + "".join(
        f"importlib.import_module({name!r})\n" for name in _engine_modules()
    )
    loaded = _modules_after(code)
    assert set(_engine_modules()) <= loaded  # they really were imported
    assert not [m for m in loaded if m == "textual" or m.startswith("textual.")]
    assert not [m for m in loaded if m.split(".")[0] in ("tui", "screens", "rich")]
    assert not [m for m in loaded if _is_in(m, FACES[1:])]


_HELP_CODE = """
import sys
from collabcert.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
"""


@pytest.mark.parametrize("argv", [["--help"], ["inspect", "--help"], ["convert", "--help"],
                                  ["match", "--help"]])
def test_help_imports_neither_textual_nor_the_engine(argv: list[str]) -> None:
    script = _HELP_CODE.replace("sys.argv[1:]", repr(argv))
    loaded = _modules_after(script)
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy == []


def test_version_imports_neither_textual_nor_the_engine() -> None:
    # Issue 15 item 6: --version names the OpenSSL cryptography links, which only cryptography
    # itself can say, so cryptography is imported there (and only there); Textual's version
    # comes from its package metadata, and the engine's readers stay out.
    loaded = _modules_after(_HELP_CODE.replace("sys.argv[1:]", repr(["--version"])))
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy and all(m.startswith("cryptography") for m in heavy)
    assert not [m for m in loaded if m.split(".")[0] in ("textual", "rich", "OpenSSL")]


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
