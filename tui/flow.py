"""The flow frame: a task is a sequence of step screens with a step indicator, Next and Back.

How state is kept: every step reads its starting values from `flow.state` in compose and writes them
back in `save()`, which runs on Next and on Back. Back pops the step, so the previous step's screen
(still on the stack, widgets untouched) reappears as it was left; a step reached again with Next is
built fresh from `flow.state`. Either way nothing typed is lost.

A new flow is a Flow subclass naming its steps; each step is a FlowStep subclass with `title`,
`compose_body()`, optionally `save()`, `check()` (a reason to stay, or "") and `next_label`.
A step whose Next needs slow engine work calls `go_next_after(job, keep)` from `leave_forward`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Static

from collabcert.tui.header import TitleHeader

PaletteCommand = tuple[str, str, Callable[[], Any]]  # (title, help, callback)
Result = TypeVar("Result")



@dataclass(slots=True)
class NoState:
    """The state of a flow that keeps nothing between its steps."""

class Flow:
    """One run of a task: its steps and the answers collected so far."""

    title: ClassVar[str] = "Task"
    steps: ClassVar[tuple[type[FlowStep], ...]] = ()
    help_topic: ClassVar[str] = ""
    # The flow's typed state: one dataclass in screens/<flow>_state.py (slots, so a mistyped
    # field is an AttributeError, never a new field nobody reads).
    state_type: ClassVar[type] = NoState

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A task's title and help topic are written once, in its row of tui/tasks.TASKS.
        super().__init_subclass__(**kwargs)
        from collabcert.tui.tasks import task_for_flow

        row = task_for_flow(cls.__module__, cls.__name__)
        if row is not None:
            cls.title, cls.help_topic = row.title, row.help_topic

    def __init__(self) -> None:
        self.state: Any = self.state_type()

    def has_answers(self) -> bool:
        """Whether leaving the flow would throw away something the user typed or chose; a
        flow with typed answers says so (Esc on the first step then asks first)."""
        return False

    def step_titles(self) -> list[str]:
        return [step.title for step in self.steps]

    def make_step(self, index: int) -> FlowStep:
        return self.steps[index](self, index)


class StepIndicator(Label):
    """`Step 2 of 4: Choose files`, read aloud by support staff on a call."""

    def __init__(self, flow: Flow, index: int, title: str | None = None) -> None:
        # `title`: a step shown in place of the flow's own at that index (MRA: read live)
        total = len(flow.steps)
        text = f"Step {index + 1} of {total}: {title or flow.steps[index].title}"
        super().__init__(text, id="step-indicator", markup=False)
        self.flow, self.index = flow, index


class FlowStep(Screen):
    """Base class of every step: header, step indicator, scrollable body, Back/Next bar, footer."""

    title: ClassVar[str] = "Step"
    next_label: ClassVar[str] = "Next"
    help_topic: ClassVar[str] = ""
    FIELD_HELP: ClassVar[dict[str, str]] = {}
    AUTO_FOCUS = "#body Input, #body TextArea, #body DataTable, #body Tree, #body RadioSet, #next"

    BINDINGS = [
        Binding("escape", "back", "Back", id="flow.back"),
        Binding("ctrl+n", "next", "Next", priority=True, id="flow.next"),
    ]

    def __init__(self, flow: Flow, index: int) -> None:
        super().__init__()
        self.flow, self.index = flow, index
        self.busy = False  # set while a worker runs, so Next/Back do not run twice

    @property
    def state(self) -> Any:
        return self.flow.state

    @property
    def is_last(self) -> bool:
        return self.index == len(self.flow.steps) - 1

    # --- what a step provides -------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield from ()

    def save(self) -> None:
        """Copy what the user entered into `self.state` (runs on Next and on Back)."""

    def check(self) -> str:
        """A sentence saying why the user cannot go on yet, or "" when Next may proceed."""
        return ""

    def leave_forward(self) -> None:
        """Called once `check` passed; steps with long work start a worker and call go_next()."""
        self.go_next()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """Extra commands for Ctrl+P while this step is shown."""
        return ()

    def ticket(self) -> str:
        """A result step's summary for a ticket (collabcert.report.ticket_summary), or ""."""
        return ""

    # --- the frame --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield StepIndicator(self.flow, self.index, type(self).title)
        with VerticalScroll(id="body"):
            yield from self.compose_body()
        yield Static("", id="step-error", classes="error-text", markup=False)
        with Horizontal(id="nav"):
            yield Button("Back", id="back", compact=True)
            yield Button(self.next_label, id="next", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.flow.title
        if self.app.is_headless:  # a blinking cursor makes snapshots differ
            for widget in self.query("Input, TextArea"):
                widget.cursor_blink = False
        # Focusing a widget low in the body scrolls it; the top (what the step is) comes first.
        self.call_after_refresh(self.query_one("#body").scroll_home, animate=False)

    def show_error(self, message: str) -> None:
        # rule texts cite seed ids; on screen the Cisco document is named (issue 12 item 16)
        from collabcert.citations import plain_citations

        self.query_one("#step-error", Static).update(plain_citations(message))

    @on(Button.Pressed, "#copy-ticket")
    def action_copy_ticket(self) -> None:
        from collabcert.tui.clipboard import copy_text

        text = self.ticket()
        if text:
            copy_text(self.app, text, "the summary for a ticket")

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        if self.busy:
            return
        self.save()
        problem = self.check()
        self.show_error(problem)
        if problem:
            return
        self.leave_forward()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if self.busy:
            self.cancel_work()
            return
        self.save()
        if self.index == 0 and self.flow.has_answers():
            self._ask_before_leaving()
            return
        self.app.pop_screen()

    def _ask_before_leaving(self) -> None:
        """Esc on the first step leaves the task: the typed answers go, so ask (issue 12 #15)."""
        from collabcert.tui.dialogs import ConfirmDialog

        def answered(leave: bool | None) -> None:
            if leave:
                self.app.pop_screen()

        self.app.push_screen(ConfirmDialog(
            f"Leave {self.flow.title}? The answers typed so far are dropped.",
            title="Discard the answers?", yes="Discard", no="Stay", default_no=True), answered)

    def cancel_work(self) -> None:
        self.workers.cancel_node(self)
        self.busy = False
        self.show_error("Stopped.")

    def go_next(self) -> None:
        if self.is_last:
            self.app.action_go_home()
            return
        self.app.push_screen(self.flow.make_step(self.index + 1))

    def go_next_after(self, job: Callable[[], Result], keep: Callable[[Result], None]) -> None:
        """Go on once the engine's `job` is done: it runs in a thread, so the screen stays live.

        Next and Back wait meanwhile (Back stops it). A CollabcertError keeps the user on this
        step with its sentence as the error; otherwise `keep(result)` puts what the next steps
        read into the state, and the flow goes on.
        """
        self.busy = True
        self._run_then_next(job, keep)

    @work(exclusive=True, group="step-work", exit_on_error=False)
    async def _run_then_next(self, job: Callable[[], Result], keep: Callable[[Result], None]
                             ) -> None:
        from collabcert.errors import CollabcertError

        try:
            result = await asyncio.to_thread(job)
        except CollabcertError as exc:
            self.show_error(str(exc))
            return
        finally:
            self.busy = False
        self.show_error("")
        keep(result)
        self.go_next()
