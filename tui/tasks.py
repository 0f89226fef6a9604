"""The task registry: what the home screen and the command palette offer.

A flow module in screens/ defines `TASK = Task(id=..., title=..., summary=..., make_flow=...)` with
literal strings, and its module name goes in TASK_MODULES. A module that is not there yet (a later
issue) is skipped, so only tasks that work are listed.

Start-up speed: the home screen must appear fast, and flow modules import the engine. So the
registry first reads TASK's literal id/title/summary from the module's source (ast, no import) and
imports the module only when the task starts, or in the background after the home screen is shown
(`preload`). A module that then fails to import is dropped from the list (see SKIPPED).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.flow import Flow

# Order on the home screen.
TASK_MODULES: tuple[str, ...] = (
    "screens.csr",
    "screens.import_cert",
    "screens.bundle",
    "screens.convert",
    "screens.inspect",
    "screens.check",
    "screens.mra",
)


@dataclass(frozen=True)
class Task:
    id: str
    title: str  # "Convert files"
    summary: str  # one line: what it is for
    make_flow: Callable[[], Flow]
    help_topic: str = ""
    module: str = field(default="", compare=False)


SKIPPED: dict[str, str] = {}  # module -> why its task is not offered (for the log, and tests)


def load_module(module_name: str):
    """Import a flow module; None (and a note in SKIPPED) when it is missing or broken."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            SKIPPED[module_name] = f"{type(exc).__name__}: {exc}"
        return None
    except Exception as exc:  # a half-built flow must not take the whole app down
        SKIPPED[module_name] = f"{type(exc).__name__}: {exc}"
        return None


def _imported_task(module_name: str) -> Task | None:
    module = load_module(module_name)
    task = getattr(module, "TASK", None) if module else None
    return task if isinstance(task, Task) else None


def _source_of(module_name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _declared(module_name: str, source: Path) -> dict[str, str] | None:
    """The literal keyword arguments of `TASK = Task(...)` in the module source."""
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        if not any(isinstance(t, ast.Name) and t.id == "TASK" for t in node.targets):
            continue
        values: dict[str, str] = {}
        for keyword in node.value.keywords:
            if keyword.arg in ("id", "title", "summary", "help_topic"):
                try:
                    values[keyword.arg] = str(ast.literal_eval(keyword.value))
                except ValueError:
                    return None
        return values if {"id", "title", "summary"} <= values.keys() else None
    return None


def _lazy_flow(module_name: str) -> Callable[[], Flow]:
    def make_flow() -> Flow:
        task = _imported_task(module_name)
        if task is None:
            raise RuntimeError(SKIPPED.get(module_name, f"{module_name} has no TASK"))
        return task.make_flow()

    return make_flow


def available_tasks(modules: tuple[str, ...] = TASK_MODULES) -> list[Task]:
    tasks: list[Task] = []
    for module_name in modules:
        source = _source_of(module_name)
        if source is None:
            task = _imported_task(module_name) if _exists(module_name) else None
            if task is not None:
                tasks.append(task)
            continue
        declared = _declared(module_name, source)
        if declared is None:
            task = _imported_task(module_name)
            if task is not None:
                tasks.append(task)
            continue
        tasks.append(Task(declared["id"], declared["title"], declared["summary"],
                          _lazy_flow(module_name), declared.get("help_topic", ""),
                          module=module_name))
    return tasks


def _exists(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except (ImportError, ValueError):
        return False


def preload(tasks: list[Task]) -> list[Task]:
    """Import the flow modules (run in a thread after the home screen is shown); the broken ones."""
    return [t for t in tasks if t.module and _imported_task(t.module) is None]
