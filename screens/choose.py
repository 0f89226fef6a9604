"""The shared step of every flow that reads input: choose files and/or paste text.

Next reads everything through the engine in a worker, with progress, and hands the result (a
tui.loading.LoadResult) to `use()`, which by default keeps it in `state["load"]` for the
following steps. A flow that reads two sets of files (import: the request, then what the CA
sent) gives the other step its own `picker_key` and `use()`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.widgets import Label, ProgressBar, Static

from collabcert.tui.flow import FlowStep
from collabcert.tui.loading import LoadResult, load_sources
from collabcert.tui.picker import PickerState, SourcePicker


class ChooseFilesStep(FlowStep):
    title = "Choose files"
    help_topic = "choose-files"
    intro = "Choose one or more files, type a path, or paste text. Next reads them."
    nothing_chosen = "Choose at least one file (Enter in Browse), type a path, or paste text."
    picker_key: ClassVar[str] = "picker"  # where the picker's state is kept in flow.state
    AUTO_FOCUS = "#tree"

    def compose_body(self) -> ComposeResult:
        picker_state = self.state.setdefault(self.picker_key, PickerState())
        yield Static(self.intro, classes="hint", markup=False)
        yield SourcePicker(picker_state, base=self.app.cwd, id="picker")
        yield Label("", id="load-status", markup=False)
        yield ProgressBar(total=1, show_eta=False, id="load-progress")

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
        finally:
            self.busy = False
            bar.display = False
        problem = self.use(result)
        self.show_error(problem)
        if not problem:
            self.go_next()

    def use(self, result: LoadResult) -> str:
        """Keep what was read for the next steps; why the flow cannot go on, or ""."""
        self.state["load"] = result
        if not result.loaded:
            return "Nothing could be read. " + " ".join(result.problems)
        return ""
