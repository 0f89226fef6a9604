"""The task registry: what the home screen and the command palette offer.

A flow module in screens/ defines `TASK = Task(...)` and its module name goes in TASK_MODULES. A module
that is not there yet (a later issue) is skipped, so only tasks that work are ever listed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.flow import Flow

# Order on the home screen. Later issues add e.g. "screens.csr", "screens.import_cert",
# "screens.bundle", "screens.check".
TASK_MODULES: tuple[str, ...] = (
    "screens.csr",
    "screens.import_cert",
    "screens.bundle",
    "screens.convert",
    "screens.inspect",
    "screens.check",
)


@dataclass(frozen=True)
class Task:
    id: str
    title: str  # "Convert files"
    summary: str  # one line: what it is for
    make_flow: Callable[[], Flow]
    help_topic: str = ""


SKIPPED: dict[str, str] = {}  # module -> why its task is not offered (for the log, and tests)


def _import(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            SKIPPED[module_name] = f"{type(exc).__name__}: {exc}"
        return None  # a task not built yet is simply not offered
    except Exception as exc:  # a half-built flow must not take the whole app down
        SKIPPED[module_name] = f"{type(exc).__name__}: {exc}"
        return None


def available_tasks(modules: tuple[str, ...] = TASK_MODULES) -> list[Task]:
    tasks: list[Task] = []
    for module_name in modules:
        module = _import(module_name)
        task = getattr(module, "TASK", None) if module else None
        if isinstance(task, Task):
            tasks.append(task)
    return tasks
