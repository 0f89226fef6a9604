"""The task table: what the home screen and the command palette offer, in home-screen order.

One literal row per task: its id, title, one-line summary, F1 help topic, and where its flow is
(module path and Flow class name). A flow module in screens/ keeps only its Flow class; the words
shown for the task live here and nowhere else.

Start-up speed: flow modules import the engine (cryptography and all), and the home screen must
appear fast. So the table holds only strings, and a flow module is imported when its task starts
(`Task.make_flow`). The app imports them all in a thread once the home screen is shown
(`preload`), so starting a task is instant anyway.

A module that is not there (a flow of a later issue) is not offered; nor is one that fails to
import or lacks its Flow class (a half-built flow must not take the whole app down): SKIPPED says
why, for the log.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collabcert.tui.flow import Flow

SKIPPED: dict[str, str] = {}  # module -> why its task is not offered


@dataclass(frozen=True)
class Task:
    id: str
    title: str  # "Convert files"
    summary: str  # one line: what it is for
    help_topic: str  # assets/help/<topic>.md
    module: str  # "collabcert.screens.convert"
    flow: str  # the Flow subclass in `module`: "ConvertFlow"

    def flow_class(self) -> type[Flow]:
        """Import the flow module; RuntimeError (with the reason) when it cannot be used."""
        from collabcert.tui.flow import Flow

        module = _load_module(self.module)
        found = getattr(module, self.flow, None) if module is not None else None
        if isinstance(found, type) and issubclass(found, Flow):
            return found
        if module is not None:
            SKIPPED[self.module] = f"{self.module} has no Flow class {self.flow}"
        raise RuntimeError(SKIPPED.get(self.module, f"{self.module} is not there"))

    def make_flow(self) -> Flow:
        return self.flow_class()()


TASKS: tuple[Task, ...] = (
    Task(
        id="csr",
        title="Create a key and CSR",
        summary="Pick the product and role, answer its questions, get a key and a CSR with the "
        "right CN and SANs.",
        help_topic="csr",
        module="collabcert.screens.csr",
        flow="CsrFlow",
    ),
    Task(
        id="import",
        title="Import a signed certificate",
        summary="Check what the CA sent against your CSR or key, and write the files the product "
        "wants, in the right order.",
        help_topic="import",
        module="collabcert.screens.import_cert",
        flow="ImportFlow",
    ),
    Task(
        id="bundle",
        title="Build a bundle or trust list",
        summary="Merge and check many CA certificates into an Expressway trusted CA list or CUCM "
        "-trust uploads, or order one chain for a product.",
        help_topic="bundle",
        module="collabcert.screens.bundle",
        flow="BundleFlow",
    ),
    Task(
        id="convert",
        title="Convert files",
        summary="Turn DER, PKCS#7 or PKCS#12 into the PEM the products want, or the other way "
        "round.",
        help_topic="convert",
        module="collabcert.screens.convert",
        flow="ConvertFlow",
    ),
    Task(
        id="inspect",
        title="Inspect files",
        summary="See what any certificate, CSR, key, PKCS#7 or PKCS#12 holds, and the chain it "
        "forms.",
        help_topic="inspect",
        module="collabcert.screens.inspect",
        flow="InspectFlow",
    ),
    Task(
        id="check",
        title="Check files",
        summary="Check keys, certificates, bundles and trust lists against the product's rules.",
        help_topic="check",
        module="collabcert.screens.check",
        flow="CheckFlow",
    ),
    Task(
        id="mra",
        title="MRA readiness",
        summary="Would Expressway-C X14.2+ accept each CUCM / IM&P node's certificates, per "
        "address?",
        help_topic="mra",
        module="collabcert.screens.mra",
        flow="MraFlow",
    ),
    Task(
        id="labca",
        title="Lab CA",
        summary="Sign a CSR someone sent with a lab CA of your own (made here if needed): every "
        "SAN kept, the role's key usage.",
        help_topic="labca",
        module="collabcert.screens.labca",
        flow="LabCaFlow",
    ),
)

TASK_MODULES: tuple[str, ...] = tuple(task.module for task in TASKS)


def available_tasks(modules: tuple[str, ...] | None = None,
                    table: tuple[Task, ...] = TASKS) -> list[Task]:
    """The rows whose flow module is there, without importing it; `modules` picks some rows
    (in its order), as tests and a reduced app do."""
    by_module = {task.module: task for task in table}
    rows = table if modules is None else tuple(by_module[m] for m in modules if m in by_module)
    return [task for task in rows if _is_there(task.module)]


def preload(tasks: list[Task]) -> list[Task]:
    """Import the flow modules (run in a thread after the home screen is shown); the broken ones."""
    broken = []
    for task in tasks:
        try:
            task.flow_class()
        except RuntimeError:
            broken.append(task)
    return broken


def _is_there(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except (ImportError, ValueError):  # its package is not there either
        return False


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


def task_for_flow(module: str, flow: str) -> Task | None:
    """The table row whose flow is `module`.`flow` (None for a flow the table does not name)."""
    return next((task for task in TASKS if (task.module, task.flow) == (module, flow)), None)
