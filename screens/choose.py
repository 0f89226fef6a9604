"""The shared step of every flow that reads input: choose files and/or paste text.

Next reads everything through the engine in a worker, with progress, and hands the result (a
tui.loading.LoadResult) to `use()`, which by default keeps it in the state's `load` for the
following steps. A flow that reads two sets of files (import: the request, then what the CA
sent) gives the other step its own `picker_key` and `use()`. The flow's state is its typed
dataclass (fields `picker`/`load`, or the `picker_key` it names); a dict only while a flow
still migrates (issue 10 item 5).
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.widgets import Label, ProgressBar, Static

from collabcert.tui.flow import FlowStep
from collabcert.tui.loading import LoadResult, load_sources
from collabcert.tui.picker import SourcePicker
from collabcert.tui.picker_state import PickerState


class ChooseFilesStep(FlowStep):
    title = "Choose files"
    help_topic = "choose-files"
    intro = "Choose one or more files, type a path, or paste text. Next reads them."
    nothing_chosen = "Choose at least one file (Enter in Browse), type a path, or paste text."
    picker_key: ClassVar[str] = "picker"  # the state's field that keeps the picker's state
    AUTO_FOCUS = "#tree"

    def compose_body(self) -> ComposeResult:
        picker_state = self._picker_state()
        yield Static(self.intro, classes="hint", markup=False)
        yield SourcePicker(picker_state, base=self.app.cwd, id="picker")
        yield Label("", id="load-status", markup=False)
        yield ProgressBar(total=1, show_eta=False, id="load-progress")

    def _picker_state(self) -> PickerState:
        if getattr(self.state, self.picker_key, None) is None:
            setattr(self.state, self.picker_key, PickerState())
        return getattr(self.state, self.picker_key)

    def keep(self, name: str, value: Any) -> None:
        """Set one field of the flow's typed state (the flow names which: picker_key, ...)."""
        setattr(self.state, name, value)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#load-progress").display = False

    def save(self) -> None:
        self.query_one(SourcePicker).save()

    def check(self) -> str:
        if self.query_one(SourcePicker).sources().empty:
            return self.nothing_chosen
        return ""

    def leave_forward(self) -> None:
        self.busy = True
        self.read_sources()

    @work(exclusive=True, group="load-sources", exit_on_error=False)
    async def read_sources(self) -> None:
        bar = self.query_one("#load-progress", ProgressBar)
        status = self.query_one("#load-status", Label)
        bar.display = True

        def progress(done: int, total: int, name: str) -> None:
            bar.update(total=max(total, 1), progress=done)
            status.update(f"Reading {done + 1} of {total}: {name}" if name else "")

        try:
            result: LoadResult = await load_sources(self.app, self.query_one(SourcePicker)
                                                    .sources(), progress)
            problem = self.use(result)
            if not problem:
                status.update("Looking at what was read…")
                await asyncio.to_thread(self.prepare, result)
        finally:
            self.busy = False
            bar.display = False
            status.update("")
        self.show_error(problem)
        if not problem:
            self.go_next()

    def prepare(self, result: LoadResult) -> None:
        """Engine work the next step shows, done here in a thread (a 1000-certificate store
        must not freeze the screen): by default none."""

    def use(self, result: LoadResult) -> str:
        """Keep what was read for the next steps; why the flow cannot go on, or ""."""
        self.keep("load", result)
        if not result.loaded:
            # one line per file, so two reasons never run together into one sentence
            return "\n".join(["Nothing could be read:", *(f"- {p}" for p in result.problems)])
        return ""
