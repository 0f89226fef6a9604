"""Packaging: build the wheel, install it (not editable) into a fresh venv and run it from there.

Issue 3: "A test builds the wheel (or installs non-editable into a temp venv) and runs
`collabcert --help` from it, so a packaging mistake fails CI." A module left out of the package
list, a data file left out of package-data or a broken entry point fails here, although every
other test passes against the source tree.

The source tree is copied to a temp folder first so that setuptools' build/ and *.egg-info never
appear in the shared checkout and two runs cannot trip over each other. The venv sees the system
site-packages (cryptography, textual ... are not downloaded) and pip runs with --no-index: no
network for the install. The build runs without isolation when the installed setuptools can
make wheels by itself (>= 70.1, or the `wheel` package present); older setuptools (65 here) lacks
bdist_wheel, and then pip builds in its usual isolated env, fetching setuptools>=68 from the
package index just as .ci/run's own `pip install -e` does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SKIP = shutil.ignore_patterns(".git", "__pycache__", "build", "dist", "*.egg-info", ".venv",
                               ".pytest_cache", ".hypothesis", ".ruff_cache", ".benchmarks",
                               "__snapshots__", "*.pyc")


def _run(cmd: list[str], cwd: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONNOUSERSITE"] = "1"
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(cmd)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel, and a venv with it installed: {"wheel": ..., "venv": ..., "outside": ...}."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=_SKIP)
    wheels = work / "wheels"
    offline = ["--no-build-isolation", "--no-index"] if _setuptools_makes_wheels() else []
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", *offline, "-w", str(wheels),
          str(source)], cwd=work)
    (wheel,) = wheels.glob("collabcert-*.whl")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
         cwd=work)
    # The outer pip installs into the venv (--python): faster than bootstrapping pip in it.
    # --ignore-installed: the editable install in the system site must not satisfy it.
    _run([sys.executable, "-m", "pip", "--python", str(_bin(venv, "python")), "install",
          "--no-deps", "--no-index", "--ignore-installed", str(wheel)], cwd=work)
    outside = work / "elsewhere"
    outside.mkdir()
    return {"wheel": wheel, "venv": venv, "outside": outside}


def _setuptools_makes_wheels() -> bool:
    import importlib.util

    import setuptools

    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def _package_folders(project: dict) -> dict[str, Path]:
    """Each package pyproject lists, with the source folder setuptools takes it from."""
    setuptools_table = project["tool"]["setuptools"]
    mapped = setuptools_table.get("package-dir", {})
    return {name: ROOT / mapped.get(name, name.replace(".", "/"))
            for name in setuptools_table["packages"]}


def _wheel_members(folder: Path, package: str) -> list[tuple[str, str]]:
    """(wheel member name, path inside the package) for every file of one package folder,
    not descending into folders that are packages of their own."""
    found = []
    for path in sorted(folder.rglob("*")):
        inside = path.relative_to(folder)
        if not path.is_file() or "__pycache__" in inside.parts or path.suffix == ".pyc":
            continue
        if any((folder / Path(*inside.parts[:i]) / "__init__.py").is_file()
               for i in range(1, len(inside.parts))):
            continue  # a subpackage: listed (and checked) under its own name
        found.append((package.replace(".", "/") + "/" + inside.as_posix(), inside.as_posix()))
    return found


def test_wheel_holds_every_module_and_data_file(built: dict[str, Path]) -> None:
    project = _project()
    folders = _package_folders(project)
    data_patterns = project["tool"]["setuptools"].get("package-data", {})
    with zipfile.ZipFile(built["wheel"]) as wheel:
        members = set(wheel.namelist())
        metadata = next(n for n in members if n.endswith(".dist-info/METADATA"))
        entry_points = next(n for n in members if n.endswith(".dist-info/entry_points.txt"))
        top_level = next(n for n in members if n.endswith(".dist-info/top_level.txt"))
        meta_text = wheel.read(metadata).decode()
        entry_text = wheel.read(entry_points).decode()
        top_text = wheel.read(top_level).decode()
    # Issue 10: exactly one top-level package, so nothing clashes with another distribution.
    assert top_text.split() == ["collabcert"]
    assert not [m for m in members if not m.startswith(("collabcert/", "collabcert-"))]
    for package, folder in folders.items():
        for member, inside in _wheel_members(folder, package):
            is_data = not member.endswith(".py")
            if is_data and not any(fnmatch(inside, pat) for pat in data_patterns.get(package, [])):
                pytest.fail(f"{member} is in the source tree but no package-data pattern takes it")
            assert member in members, f"{member} is missing from the wheel"
    # Every folder with an __init__.py is a package the wheel must list.
    sources = {folder.resolve() for folder in folders.values()}
    unlisted = sorted(
        str(init.parent.relative_to(ROOT))
        for top in ("collabcert", "tui", "screens", "assets")
        for init in (ROOT / top).rglob("__init__.py")
        if init.parent.resolve() not in sources and "__pycache__" not in init.parts
    )
    assert not unlisted, f"packages missing from pyproject's [tool.setuptools] packages: {unlisted}"
    assert "Name: collabcert" in meta_text
    assert "Requires-Python: >=3.11" in meta_text
    for dependency in ("textual", "cryptography", "pyperclip", "platformdirs"):
        assert f"Requires-Dist: {dependency}" in meta_text
    assert "collabcert = collabcert.cli:main" in entry_text


def test_installed_command_runs_from_the_venv(built: dict[str, Path]) -> None:
    done = _run([str(_bin(built["venv"], "collabcert")), "--help"], cwd=built["outside"])
    assert "usage: collabcert" in done.stdout
    for verb in ("inspect", "convert", "match"):
        assert verb in done.stdout
    version = _run([str(_bin(built["venv"], "collabcert")), "--version"], cwd=built["outside"])
    assert _project()["project"]["version"] in version.stdout


def test_installed_modules_come_from_the_venv_not_the_source_tree(built: dict[str, Path]) -> None:
    code = (
        "import importlib.util, json, importlib.resources as r, collabcert\n"
        "import collabcert.assets as assets, collabcert.tui as tui, collabcert.screens as screens\n"
        "files = sorted(p.name for p in r.files('collabcert.assets').iterdir()"
        " if p.name != '__pycache__')\n"
        "help_dir = r.files('collabcert.assets') / 'help'\n"
        "help_files = sorted(p.name for p in help_dir.iterdir()) if help_dir.is_dir() else []\n"
        "bare = [n for n in ('tui', 'screens', 'assets') if importlib.util.find_spec(n)]\n"
        "print(json.dumps({'collabcert': collabcert.__file__, 'assets': assets.__file__,"
        " 'tui': tui.__file__, 'screens': screens.__file__, 'files': files,"
        " 'help': help_files, 'bare': bare}))"
    )
    done = _run([str(_bin(built["venv"], "python")), "-c", code], cwd=built["outside"])
    found = json.loads(done.stdout)
    venv = built["venv"].resolve()
    for package in ("collabcert", "assets", "tui", "screens"):
        origin = Path(found[package]).resolve()
        assert origin.is_relative_to(venv), f"{package} imported from {origin}, not the venv"
        assert not origin.is_relative_to(ROOT)
    # The venv sees the system site-packages (where an editable install of an older layout may
    # sit), so only names the wheel itself installed count: none of them is a bare face.
    site = Path(found["collabcert"]).resolve().parents[1]
    assert not [name for name in found["bare"] if (site / name).exists()]
    # The assets package carries its data files (app.tcss, help pages) once they exist.
    expected = sorted(p.name for p in (ROOT / "assets").iterdir()
                      if p.name != "__pycache__")
    assert sorted(found["files"]) == expected
    source_help = ROOT / "assets" / "help"
    if source_help.is_dir():
        assert found["help"] == sorted(p.name for p in source_help.iterdir() if p.is_file())


def test_installed_engine_reads_a_certificate(built: dict[str, Path]) -> None:
    # The engine must work installed, not just print help: a module missing from the wheel
    # shows up only when a verb imports it.
    from pki import issue

    cert = built["outside"] / "cert.pem"
    cert.write_bytes(issue("packaged.example.com").pem)
    done = _run([str(_bin(built["venv"], "collabcert")), "inspect", "--json", str(cert)],
                cwd=built["outside"])
    report = json.loads(done.stdout)
    (item,) = report["files"][0]["items"]
    assert item["kind"] == "certificate" and item["subject_cn"] == "packaged.example.com"
