"""The task registry: what the home screen and the command palette offer.

A flow module in screens/ defines, with literal strings,

    TASK = Task(id="convert", title="Convert files", summary="...", make_flow=ConvertFlow,
                help_topic="convert")

and its name goes in TASK_MODULES, in the order of the home screen.

Start-up speed: flow modules import the engine (cryptography and all), and the home screen must
appear fast. So the registry reads TASK's strings from the module's source with `ast`, without
importing it, and gives the Task a `make_flow` that imports the module when the task starts. The
app imports them all in a thread once the home screen is shown (`preload`), so starting a task is
instant anyway. Where the source does not say (no .py file, TASK not written with literals), the
module is imported at once instead.

A module that is not there (a flow of a later issue) is not offered; nor is one that fails to
import (a half-built flow must not take the whole app down): SKIPPED says why, for the log.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collabcert.tui.flow import Flow

# Order on the home screen.
TASK_MODULES: tuple[str, ...] = (
    "collabcert.screens.csr",
    "collabcert.screens.import_cert",
    "collabcert.screens.bundle",
    "collabcert.screens.convert",
    "collabcert.screens.inspect",
    "collabcert.screens.check",
    "collabcert.screens.mra",
)

SKIPPED: dict[str, str] = {}  # module -> why its task is not offered


@dataclass(frozen=True)
class Task:
    id: str
    title: str  # "Convert files"
    summary: str  # one line: what it is for
    make_flow: Callable[[], Flow]
    help_topic: str = ""
    module: str = field(default="", compare=False)  # set when read from the source


def available_tasks(modules: tuple[str, ...] = TASK_MODULES) -> list[Task]:
    """The tasks of the modules that are there, in order; read from source where it says."""
    found = (_declared_task(name) or _imported_task(name) for name in modules)
    return [task for task in found if task is not None]


def preload(tasks: list[Task]) -> list[Task]:
    """Import the flow modules (run in a thread after the home screen is shown); the broken ones."""
    return [t for t in tasks if t.module and _imported_task(t.module) is None]


# --- without importing ------------------------------------------------------------------------
_STRINGS = ("id", "title", "summary", "help_topic")  # the Task fields read from the source


def _declared_task(module_name: str) -> Task | None:
    """TASK made from the literals in the module's source, importing the module only to start."""
    source = _source_of(module_name)
    strings = _task_strings(source) if source is not None else None
    if strings is None or not {"id", "title", "summary"} <= strings.keys():
        return None

    def make_flow() -> Flow:
        task = _imported_task(module_name)
        if task is None:
            raise RuntimeError(SKIPPED.get(module_name, f"{module_name} has no TASK"))
        return task.make_flow()

    return Task(**strings, make_flow=make_flow, module=module_name)


def _source_of(module_name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):  # its package is not there either
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _task_strings(source: Path) -> dict[str, str] | None:
    """The string keywords of the module's `TASK = Task(...)`; None when it has no such line
    or one of them is not a literal."""
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and any(isinstance(t, ast.Name) and t.id == "TASK" for t in node.targets)):
            try:
                return {k.arg: str(ast.literal_eval(k.value))
                        for k in node.value.keywords if k.arg in _STRINGS}
            except ValueError:
                return None
    return None


# --- importing --------------------------------------------------------------------------------
def _imported_task(module_name: str) -> Task | None:
    module = _load_module(module_name)
    task = getattr(module, "TASK", None)
    return task if isinstance(task, Task) else None


def _load_module(module_name: str) -> ModuleType | None:
    """The flow module; None when it (or its package) is not there, or when it is broken (then
    SKIPPED says why)."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if not (exc.name and (module_name + ".").startswith(exc.name + ".")):
            SKIPPED[module_name] = f"{type(exc).__name__}: {exc}"  # it imports something missing
        return None
    except Exception as exc:
        SKIPPED[module_name] = f"{type(exc).__name__}: {exc}"
        return None
