"""F1 help: Markdown from assets/help/<topic>.md, chosen by the focused field or else the screen.

Read through importlib.resources so it works from an installed wheel, not only from a checkout.
A widget names its topic with a `help_topic` attribute; a screen may also map widget ids to
topics in `FIELD_HELP`. The nearest one, walking up from the focused widget, wins.
"""

from __future__ import annotations

from importlib.resources import files

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Label

FALLBACK_TOPIC = "home"


def help_text(topic: str) -> str | None:
    resource = files("collabcert.assets").joinpath("help", f"{topic}.md")
    try:
        return resource.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, OSError):
        return None


def topic_for(screen: Screen, focused: DOMNode | None) -> str:
    """The help topic of the focused field, else of the screen, else the general help."""
    field_help: dict[str, str] = getattr(screen, "FIELD_HELP", {})
    node = focused
    while node is not None and node is not screen:
        topic = getattr(node, "help_topic", "") or field_help.get(node.id or "", "")
        if topic and help_text(topic) is not None:
            return topic
        node = node.parent
    topic = getattr(screen, "help_topic", "")
    return topic if topic and help_text(topic) is not None else FALLBACK_TOPIC


class HelpScreen(ModalScreen[None]):
    """The help for one topic. F1 or Esc closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close help", id="help.close"),
        Binding("f1", "close", "Close help", show=False, priority=True, id="help.toggle"),
    ]
    help_topic = "home"

    def __init__(self, topic: str) -> None:
        super().__init__(classes="dialog-screen")
        self.topic = topic
        self.text = help_text(topic) or help_text(FALLBACK_TOPIC) or "# Help\nNo help found."

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # late: markdown-it is slow to import, F1 is rare

        with Vertical(id="help-box", classes="dialog"):
            yield Label("Help  (Esc closes; Ctrl+P then Keys lists every key)",
                        classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Markdown(self.text, id="help-text", open_links=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
