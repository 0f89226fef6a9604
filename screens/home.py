"""Home: the tasks the app offers, each with one line saying what it is for."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from collabcert.tui.header import TitleHeader
from collabcert.tui.keymap import key_label


class HomeScreen(Screen):
    help_topic = "home"
    AUTO_FOCUS = "#tasks"
    BINDINGS = [
        Binding("s", "app.settings", "Settings", id="home.settings"),
        Binding("q", "app.quit", "Quit (or Ctrl+Q)", id="home.quit"),
        *(Binding(str(n), f"start_number({n})", show=False, id=f"home.start_{n}")
          for n in range(1, 10)),
    ]

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        with VerticalScroll(id="home-body"):
            yield Label("What do you want to do?  (Enter starts; F1 explains)", id="home-question")
            yield OptionList(*self._options(), id="tasks")
            # Settings, help and quit are in the footer (s, F1, q): plain buttons here cost
            # start-up time (see bench/bench_startup.py) and say nothing the footer does not.
            yield Label(self._keys_hint(), classes="hint", markup=False)
        yield Footer()

    def _keys_hint(self) -> str:
        """The footer's main keys in words; a key moved by the settings' [keymap] is named so."""
        keymap = self.app.settings.keymap_dict()
        settings = key_label(keymap, "home.settings", "s")
        help_key = key_label(keymap, "app.help", "F1")
        quit_key = key_label(keymap, "home.quit", "q")
        return (f"{settings}  Settings     {help_key}  Help     {quit_key}  Quit     "
                "Ctrl+P  all commands")

    def _options(self) -> list[Option]:
        options = []
        for number, task in enumerate(self.app.tasks, start=1):
            prompt = Text.assemble((f"{number}  {task.title}", "bold"), "\n", task.summary)
            options.append(Option(prompt, id=task.id))
        return options

    def show_tasks(self) -> None:
        tasks = self.query_one("#tasks", OptionList)
        tasks.clear_options()
        tasks.add_options(self._options())

    def action_start_number(self, number: int) -> None:
        if 1 <= number <= len(self.app.tasks):
            self.app.start_task(self.app.tasks[number - 1].id)

    @on(OptionList.OptionSelected, "#tasks")
    def task_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.start_task(event.option.id)

