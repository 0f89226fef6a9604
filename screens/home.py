"""Home: the tasks the app offers, each with one line saying what it is for."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, OptionList
from textual.widgets.option_list import Option


class HomeScreen(Screen):
    help_topic = "home"
    AUTO_FOCUS = "#tasks"
    BINDINGS = [
        Binding("s", "app.settings", "Settings"),
        Binding("q", "app.quit", "Quit (or Ctrl+Q)"),
        *(Binding(str(n), f"start_number({n})", show=False) for n in range(1, 10)),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home-body"):
            yield Label("What do you want to do?  (Enter starts; F1 explains)", id="home-question")
            options = []
            for number, task in enumerate(self.app.tasks, start=1):
                prompt = Text.assemble((f"{number}  {task.title}", "bold"), "\n   ", task.summary)
                options.append(Option(prompt, id=task.id))
            yield OptionList(*options, id="tasks")
            with Horizontal(id="home-buttons"):
                yield Button("Settings", id="settings")
                yield Button("Help (F1)", id="help")
                yield Button("Quit", id="quit")
        yield Footer()

    def action_start_number(self, number: int) -> None:
        if 1 <= number <= len(self.app.tasks):
            self.app.start_task(self.app.tasks[number - 1].id)

    @on(OptionList.OptionSelected, "#tasks")
    def task_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.start_task(event.option.id)

    @on(Button.Pressed, "#settings")
    def settings(self) -> None:
        self.app.action_settings()

    @on(Button.Pressed, "#help")
    def help(self) -> None:
        self.app.action_help()

    @on(Button.Pressed, "#quit")
    def quit(self) -> None:
        self.app.exit(0)
