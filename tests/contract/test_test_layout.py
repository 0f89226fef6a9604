"""The tests' own layout (issue 10 item 6): one folder per layer, each with its conftest; the slow
ones named in those conftests so `pytest -m "not slow"` is the quick run; the TUI's environment
fixture only where the TUI tests are."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parents[1]
LAYERS = ("engine", "cli", "tui", "contract")


def _conftest(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_layout_{folder.name}", folder / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_layer_has_its_folder_and_conftest_and_no_test_sits_at_the_top() -> None:
    for layer in LAYERS:
        assert (TESTS / layer / "conftest.py").is_file(), layer
        assert list((TESTS / layer).glob("test_*.py")), layer
    assert list(TESTS.glob("test_*.py")) == []


def test_every_slow_entry_names_a_test_module_or_test_that_is_there() -> None:
    named = 0
    for layer in LAYERS:
        slow = _conftest(TESTS / layer).SLOW
        assert isinstance(slow, dict)
        for entry, why in slow.items():
            assert why, entry  # say why it is slow
            module, _, test = entry.partition("::")
            source = (TESTS / layer / module).read_text(encoding="utf-8")
            assert module.startswith("test_"), entry
            if test:
                assert re.search(rf"^(async )?def {re.escape(test)}\(", source, re.M), entry
            named += 1
    assert named >= 14  # the sweeps, packaging, snapshots and the Pilot flow modules


def test_the_slow_marker_is_registered_and_unknown_markers_are_refused() -> None:
    config = tomllib.loads((TESTS.parent / "pyproject.toml").read_text("utf-8"))
    options = config["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("slow:") for m in options["markers"])
    assert "--strict-markers" in options["addopts"]


def test_the_tui_environment_fixture_is_the_tui_layers_own() -> None:
    assert "_tui_environment" in (TESTS / "tui" / "conftest.py").read_text("utf-8")
    assert "_tui_environment" not in (TESTS / "conftest.py").read_text("utf-8")
    assert "COLLABCERT_SETTINGS" not in (TESTS / "conftest.py").read_text("utf-8")
