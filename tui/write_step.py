"""Writing the planned files: ask before replacing any, write in a thread with a bar, then go on.

`PlanWriteStep` is the base of the steps whose Next writes `state.plan` (a list of
files.PlannedFile) through files.write_plan and leaves the paths in `state.written`: the
convert review and the import / bundle "Files to be written" step. The CSR review makes its key
in the same worker as it writes, so it only shares `ask_to_replace`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Label, ProgressBar, Static

from collabcert.errors import CollabcertError
from collabcert.tui.dialogs import ConfirmDialog, MessageDialog
from collabcert.tui.flow import FlowStep
from collabcert.tui.paths import display_path


def mode_text(private: bool) -> str:
    """The mode a written file gets, in words: keys are for the owner only."""
    return "0600 (private)" if private else "0644"


def replace_note(path: Path, existing: set[Path]) -> str:
    """What writing does to `path`: a new file, or one that exists and will be replaced."""
    return "REPLACES an existing file" if path in existing else "new"


def ask_to_replace(step: FlowStep, existing: list[Path], write: Callable[[bool], None], *,
                   refused: str, warning: str = "") -> None:
    """`write(False)` when none of the files exists; else ask (No is the default) and call
    `write(True)` on Yes, or show `refused` on No. An existing file is never replaced unasked."""
    if not existing:
        write(False)
        return

    def answered(yes: bool | None) -> None:
        if yes:
            write(True)
        else:
            step.show_error(refused)

    step.app.push_screen(ConfirmDialog(
        f"{len(existing)} file(s) already exist. Replace them?{warning}",
        title="Replace existing files?",
        details=[display_path(p, step.app.cwd) for p in existing],
        yes="Replace", no="Keep them", default_no=True,
    ), answered)


class PlanWriteStep(FlowStep):
    """A review step whose Next writes the plan; subclasses show the plan and yield
    `compose_write_progress()` at the end of their body."""

    next_label = "Write files"
    refused: ClassVar[str] = "Nothing was written. Go Back to choose another folder."

    existing: set[Path] = frozenset()  # type: ignore[assignment]  # the plan's files on disk

    def plan_headline(self, *, in_order: bool = False) -> Static:
        """How many files will be written and how many replace one (kept in `existing`)."""
        plan = self.state.plan
        self.existing = {p.path for p in plan if p.path.exists()}
        note = (f" {len(self.existing)} of them already exist and would be replaced."
                if self.existing else "")
        order = ", in this order" if in_order else ""
        return Static(f"These {len(plan)} file(s) will be written{order}.{note} Nothing is "
                      "written before you press Write files.", id="review-headline",
                      markup=False)

    def compose_plan(self) -> ComposeResult:
        """The headline and the plan table, one row a file, filled by `fill_plan` on mount:
        the review of convert and of the lab CA."""
        yield self.plan_headline()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="plan")

    def fill_plan(self) -> None:
        table = self.query_one("#plan", DataTable)
        table.add_columns("File to write", "Holds", "Mode", "Note")
        for planned in self.state.plan:
            table.add_row(Text(display_path(planned.path, self.app.cwd)), Text(planned.what),
                          Text(mode_text(planned.private)),
                          Text(replace_note(planned.path, self.existing)))

    def compose_write_progress(self) -> ComposeResult:
        yield Label("", id="write-status", markup=False)
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="write-progress")

    def on_mount(self) -> None:  # Textual runs FlowStep.on_mount as well (every class's handler)
        self.query_one("#write-progress").display = False

    def leave_forward(self) -> None:
        self.ask_to_replace()

    def files_to_write(self) -> list:
        """What Next writes: the plan (a step that may be blocked asks its job instead)."""
        return self.state.plan

    def ask_to_replace(self) -> None:
        from collabcert.files import existing_targets

        ask_to_replace(self, existing_targets(self.files_to_write()), self.start_write,
                       refused=self.refused)

    def input_paths(self) -> list[Path]:
        """The files the flow read (its state's `load`): write_plan refuses to replace one, even
        after a yes to "replace", as the CLI does with --force."""
        load = getattr(self.state, "load", None)
        return list(load.paths) if load is not None else []

    def start_write(self, force: bool) -> None:
        self.busy = True
        self.query_one("#write-progress").display = True
        self.query_one("#write-status", Label).update(
            f"Writing {len(self.files_to_write())} file(s)…")
        self.write_files(force)

    @work(exclusive=True, group="write", exit_on_error=False)
    async def write_files(self, force: bool) -> None:
        from collabcert.files import write_plan

        plan = self.files_to_write()
        bar = self.query_one("#write-progress", ProgressBar)
        bar.update(total=2 * len(plan), progress=0)  # each file is staged, then read back

        def progress(done: int, _total: int) -> None:  # runs in the writer's thread
            self.app.call_from_thread(bar.update, progress=done)

        try:
            self.state.written = await asyncio.to_thread(
                write_plan, plan, force=force, progress=progress, inputs=self.input_paths())
        except CollabcertError as exc:
            self.show_error(f"Nothing was written: {exc}")
            self.app.push_screen(MessageDialog(f"Nothing was written. {exc}",
                                               title="Could not write"))
            return
        finally:
            self.busy = False
            bar.display = False
            self.query_one("#write-status", Label).update("")
        self.go_next()
