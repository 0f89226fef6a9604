"""What the tests of every layer share (each layer's own fixtures are in its folder's conftest).

- This folder is on sys.path (pytest puts a rootless conftest's folder there), so every layer
  imports the test helpers as `pki` (test PKIs made with cryptography) and `lint_support`.
- The `slow` marker (registered in pyproject.toml): a layer's conftest names its slow modules and
  tests in `SLOW` (file, or file::test, relative to that folder, with the reason), and the hook
  below marks them, so `python -m pytest -m "not slow"` is the quick run. A test can also carry
  `@pytest.mark.slow` itself. What counts as slow: the packaging, fuzz, corpus and vector sweeps,
  the SVG snapshots, and any test over about one second on the project's 2-core machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def _slow_tables(config: pytest.Config) -> dict[Path, dict[str, str]]:
    """Every loaded conftest's SLOW table, by the folder it is relative to."""
    tables = {}
    for plugin in config.pluginmanager.get_plugins():
        source = getattr(plugin, "__file__", None) or ""
        if Path(source).name == "conftest.py" and isinstance(getattr(plugin, "SLOW", None), dict):
            tables[Path(source).resolve().parent] = plugin.SLOW
    return tables


def _marked(item: pytest.Item, folder: Path, entries: dict[str, str]) -> str | None:
    """The SLOW entry naming this item, if any."""
    try:
        module = item.path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return None
    name = getattr(item, "originalname", item.name)
    for entry in (module, f"{module}::{name}"):
        if entry in entries:
            return entry
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    collected = {item.path.resolve() for item in items}
    used: set[tuple[Path, str]] = set()
    for folder, entries in _slow_tables(config).items():
        for item in items:
            entry = _marked(item, folder, entries)
            if entry is not None:
                item.add_marker(pytest.mark.slow)
                used.add((folder, entry))
        for entry in entries:  # a renamed test must not drop out of the table unseen
            path = folder / entry.split("::")[0]
            if not path.is_file():
                raise pytest.UsageError(f"{folder}/conftest.py SLOW names {entry}: no such file")
            if path.resolve() in collected and "::" in entry and (folder, entry) not in used:
                raise pytest.UsageError(f"{folder}/conftest.py SLOW names {entry}: no such test")
