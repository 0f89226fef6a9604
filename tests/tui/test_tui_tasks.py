"""The task table (tui/tasks.py): one literal row per task, flows imported only when they start."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from collabcert.tui import tasks as task_table
from collabcert.tui.flow import Flow
from collabcert.tui.help import help_text
from collabcert.tui.tasks import SKIPPED, TASKS, Task, available_tasks, preload

ROOT = Path(__file__).resolve().parents[2]


def test_every_row_names_a_flow_module_that_has_that_flow_class() -> None:
    for task in TASKS:
        module = importlib.import_module(task.module)
        flow = getattr(module, task.flow, None)
        assert isinstance(flow, type) and issubclass(flow, Flow), task
        assert task.flow_class() is flow
        assert isinstance(task.make_flow(), flow)
        # The words live in the table only: the flow module declares no TASK of its own.
        assert not hasattr(module, "TASK"), task.module


def test_every_flow_keeps_its_state_in_its_own_dataclass() -> None:
    # issue 10 item 5: no flow is left on the migration's dict of string keys
    import dataclasses

    for task in TASKS:
        flow = task.flow_class()
        assert flow.state_type is not dict, task.id
        assert dataclasses.is_dataclass(flow.state_type), task.id
        assert isinstance(task.make_flow().state, flow.state_type), task.id


def test_each_flow_class_agrees_with_its_row() -> None:
    # Flow.title (the sub-title of its steps) and Flow.help_topic still sit in the flow modules;
    # until they are read from the row, they must not drift from it.
    for task in TASKS:
        flow = task.flow_class()
        assert (flow.title, flow.help_topic) == (task.title, task.help_topic), task.id


def test_rows_are_unique_say_what_they_are_for_and_have_help() -> None:
    assert len({t.id for t in TASKS}) == len(TASKS)
    assert len({t.module for t in TASKS}) == len(TASKS)
    for task in TASKS:
        assert task.title and len(task.summary) > 20, task
        assert help_text(task.help_topic) is not None, task.help_topic


def test_home_screen_order_is_the_table_order() -> None:
    assert [t.id for t in available_tasks()] == [
        "csr", "import", "bundle", "convert", "inspect", "check", "mra", "labca"]


def test_modules_pick_rows_in_their_own_order() -> None:
    picked = available_tasks(("collabcert.screens.inspect", "collabcert.screens.convert",
                              "collabcert.screens.not_a_row"))
    assert [t.id for t in picked] == ["inspect", "convert"]


@pytest.fixture
def flow_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package `fakeflows` on sys.path whose modules a test writes."""
    package = tmp_path / "fakeflows"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for name in [n for n in sys.modules if n == "fakeflows" or n.startswith("fakeflows.")]:
        del sys.modules[name]
    for name in [n for n in SKIPPED if n.startswith("fakeflows.")]:
        del SKIPPED[name]


def _row(name: str, flow: str = "GoodFlow") -> Task:
    return Task(id=name, title=name.title(), summary="a summary long enough to read",
                help_topic="home", module=f"fakeflows.{name}", flow=flow)


def test_a_missing_module_is_not_offered_and_broken_ones_drop_after_preload(flow_folder) -> None:
    (flow_folder / "good.py").write_text(
        "from collabcert.tui.flow import Flow\nclass GoodFlow(Flow):\n    title = 'Good'\n")
    (flow_folder / "broken.py").write_text("raise ValueError('half built')\n")
    (flow_folder / "noflow.py").write_text("X = 1\n")
    table = (_row("good"), _row("gone"), _row("broken"), _row("noflow"))

    offered = available_tasks(table=table)
    assert [t.id for t in offered] == ["good", "broken", "noflow"]  # "gone" has no module
    assert "fakeflows.broken" not in sys.modules  # finding a module does not import it

    broken = preload(offered)
    assert [t.id for t in broken] == ["broken", "noflow"]
    assert SKIPPED["fakeflows.broken"] == "ValueError: half built"
    assert "no Flow class GoodFlow" in SKIPPED["fakeflows.noflow"]
    assert type(offered[0].make_flow()).__name__ == "GoodFlow"
    with pytest.raises(RuntimeError, match="half built"):
        offered[1].make_flow()


def test_the_table_and_the_home_screen_import_no_flow_and_no_engine() -> None:
    code = (
        "from collabcert.tui.app import CollabcertApp\n"
        "from collabcert.screens.home import HomeScreen\n"
        "app = CollabcertApp()\n"
        "assert len(app.tasks) == 8, app.tasks\n"
        "import json, sys\nprint('\\n@@' + json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.rsplit("\n@@", 1)[1]))
    for heavy in ("cryptography", "collabcert.load", *task_table.TASK_MODULES):
        assert heavy not in loaded, heavy
