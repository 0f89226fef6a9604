"""Modal dialogs: confirm, password (once or twice), and a plain message.

Every text shown here may come from a file or a user, so it is never read as markup.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question. Esc means no."""

    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="confirm.cancel")]
    help_topic = "dialogs"

    def __init__(
        self,
        question: str,
        *,
        title: str = "Please confirm",
        details: list[str] | None = None,
        yes: str = "Yes",
        no: str = "No",
        default_no: bool = False,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.dialog_title = title
        self.details = details or []
        self.yes_label, self.no_label, self.default_no = yes, no, default_no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.dialog_title, classes="dialog-title", markup=False)
            yield Static(self.question, classes="dialog-text", markup=False)
            if self.details:
                with VerticalScroll(classes="dialog-details"):
                    yield Static("\n".join(self.details), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, id="yes", variant="warning")
                yield Button(self.no_label, id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no" if self.default_no else "#yes", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class PasswordDialog(ModalScreen["bytes | None"]):
    """Ask for a password. With `twice=True` it must be typed twice and match (new passwords)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="password.cancel")]
    AUTO_FOCUS = "#password"
    help_topic = "password"

    def __init__(
        self,
        prompt: str,
        *,
        twice: bool = False,
        allow_empty: bool = False,
        problem: str = "",
        title: str = "Password",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.prompt, self.twice, self.title_text = prompt, twice, title
        self.allow_empty, self.problem = allow_empty, problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.prompt, classes="dialog-text", markup=False)
            yield Input(password=True, id="password", placeholder="password")
            if self.twice:
                yield Input(password=True, id="again", placeholder="the same password again")
            yield Label(self.problem, id="password-error", classes="error-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if self.twice and event.input.id == "password":
            self.query_one("#again", Input).focus()
        else:
            self._finish()

    @on(Button.Pressed, "#ok")
    def ok(self) -> None:
        self._finish()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _finish(self) -> None:
        first = self.query_one("#password", Input).value
        problem = ""
        if not first and not self.allow_empty:
            problem = "Type a password (or press Esc to cancel)."
        elif "\x00" in first:
            problem = "A password cannot contain a NUL character."
        elif self.twice and first != self.query_one("#again", Input).value:
            problem = "The two passwords are not the same; type them again."
        if problem:
            self.query_one("#password-error", Label).update(problem)
            return
        self.dismiss(first.encode("utf-8"))


class MessageDialog(ModalScreen[None]):
    """A message the user must see (an error that stops a step); Esc or OK closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="message.close"),
        Binding("enter", "close", "Close", show=False, id="message.ok"),
    ]

    def __init__(self, message: str, *, title: str = "Problem", details: list[str] | None = None):
        super().__init__(classes="dialog-screen")
        self.message, self.dialog_title, self.details = message, title, details or []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.dialog_title, classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-text", markup=False)
            if self.details:
                with VerticalScroll(classes="dialog-details"):
                    yield Static("\n".join(self.details), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        self.dismiss(None)
