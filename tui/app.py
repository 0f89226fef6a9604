"""The Textual app: title, theme, settings, keymap, F1 help, the command palette and the tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from collabcert import __version__
from collabcert.tui.settings import DEFAULT_THEME, LoadedSettings, Settings, load_settings
from collabcert.tui.tasks import SKIPPED, Task, available_tasks, preload

PRODUCT = "collabcert"


class CollabcertApp(App[int]):
    TITLE = f"{PRODUCT} {__version__}"
    SUB_TITLE = "certificates for Cisco collaboration"
    CSS = files("collabcert.assets").joinpath("app.tcss").read_text(encoding="utf-8")
    BINDINGS = [
        Binding("f1", "help", "Help", priority=True, id="app.help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit", show=False),
        # Tab moves the focus before the next key is handed out (issue 12 item 13): as a
        # screen binding it ran only once the Tab had bubbled up from the Input, and the keys
        # after it in one burst (a paste, a laggy SSH link) were already queued for that Input.
        Binding("tab", "focus_next", show=False, priority=True, id="app.focus_next"),
        Binding("shift+tab", "focus_previous", show=False, priority=True,
                id="app.focus_previous"),
    ]

    def __init__(
        self,
        *,
        settings_path: str | Path | None = None,
        now: Callable[[], dt.datetime] | None = None,
        cwd: Path | None = None,
        task_modules: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__()
        self.settings_file = load_settings(settings_path)
        self.now = now or (lambda: dt.datetime.now(dt.UTC))  # fixed in snapshot tests
        self.cwd = cwd or Path.cwd()
        self.tasks: list[Task] = available_tasks(task_modules)
        self._keymap_reported: set[str] = set()  # ids and clashes already told: once each

    def notify(self, message: str, *, title: str = "", **options: Any) -> None:  # type: ignore[override]
        """Every toast is display text: a file name or a CN in it has its control characters
        escaped (collabcert.display), whichever widget raised it."""
        from collabcert.display import shown, shown_lines

        super().notify(shown_lines(message), title=shown(title), **options)

    # --- settings -------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.settings_file.settings

    def use_settings(self, loaded: LoadedSettings) -> None:
        self.settings_file = loaded
        self.apply_theme(loaded.settings.theme)
        self.set_keymap(loaded.settings.keymap_dict())

    def apply_theme(self, name: str) -> None:
        if name not in self.available_themes:
            self.notify(f"Unknown theme {name!r}; using {DEFAULT_THEME}.", severity="warning",
                        markup=False)
            name = DEFAULT_THEME
        self.theme = name

    def on_mount(self) -> None:
        from collabcert.screens.home import HomeScreen

        self.apply_theme(self.settings.theme)  # also overrides $TEXTUAL_THEME: stable screens
        self.set_keymap(self.settings.keymap_dict())
        self.push_screen(HomeScreen())
        # After the first paint, so the imports do not compete with it for the GIL.
        self.set_timer(0.3, self.preload_tasks)
        if self.settings_file.broken:
            self.notify(
                f"Settings not used: {self.settings_file.problem} The file was left as it is.",
                title="Settings", severity="error", timeout=15, markup=False,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("focus_next", "focus_previous"):
            # a text area that indents with Tab keeps it (ours move on: tab_behavior="focus")
            return getattr(self.focused, "tab_behavior", "focus") != "indent"
        return super().check_action(action, parameters)

    # --- tasks and navigation -------------------------------------------------------------
    @work(thread=True, exit_on_error=False, group="preload")
    def preload_tasks(self) -> None:
        """Import the flows after the home screen is up: starting a task is then instant."""
        broken = preload(list(self.tasks))
        if broken:
            self.call_from_thread(self._drop_tasks, broken)
        # Every flow's screens are imported now, so their binding ids are known.
        self.call_from_thread(self.report_unknown_keymap_ids)
        from collabcert.tui.heap import start_long_lived

        start_long_lived()  # the modules just imported live as long as the app

    def _drop_tasks(self, broken: list[Task]) -> None:
        from collabcert.screens.home import HomeScreen

        for module, reason in SKIPPED.items():
            self.log.warning(f"task module {module} not offered: {reason}")
        self.tasks = [t for t in self.tasks if t not in broken]
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_tasks()

    # --- keymap ---------------------------------------------------------------------------
    def report_unknown_keymap_ids(self) -> None:
        """One warning naming the [keymap] ids no imported screen or widget has (typos)."""
        from collabcert.tui.keymap import known_binding_ids, unknown_ids

        unknown = [i for i in unknown_ids(self.settings.keymap_dict(), known_binding_ids())
                   if i not in self._keymap_reported]
        if not unknown:
            return
        self._keymap_reported.update(unknown)
        self.notify(f"Settings [keymap]: no key has the id {', '.join(unknown)}; those lines are "
                    "ignored (Ctrl+P then Keys shows the keys in use).",
                    title="Settings", severity="warning", timeout=15, markup=False)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        # Textual calls this on every key press while the clash is in the chain: tell it once.
        ids = sorted(b.id or b.action for b in clashed_bindings)
        what = f"{type(node).__name__}: {', '.join(ids)}"
        if what in self._keymap_reported:
            return
        self._keymap_reported.add(what)
        self.notify(f"Settings [keymap] gives a key that {what} already use; the keymap wins.",
                    title="Settings", severity="warning", markup=False)

    def start_task(self, task_id: str) -> None:
        task = next((t for t in self.tasks if t.id == task_id), None)
        if task is None:
            self.notify(f"No task {task_id!r}.", severity="error", markup=False)
            return
        self.action_go_home()
        try:
            flow = task.make_flow()
        except Exception as exc:  # a broken flow module: say so, keep the app
            self.notify(f"{task.title} cannot start: {exc}", severity="error", markup=False)
            return
        self.push_screen(flow.make_step(0))

    def action_go_home(self) -> None:
        from collabcert.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_settings(self) -> None:
        from collabcert.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from collabcert.tui.help import HelpScreen, topic_for

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(topic_for(self.screen, self.focused)))

    # --- command palette ------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for task in self.tasks:
            yield SystemCommand(task.title, task.summary, lambda t=task.id: self.start_task(t))
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)
        ticket = getattr(screen, "ticket", None)
        if ticket is not None and ticket():
            yield SystemCommand("Copy summary for a ticket", "What was asked, written and found, "
                                "and the next steps (never key material)",
                                screen.action_copy_ticket)
        yield SystemCommand("Home", "Back to the list of tasks", self.action_go_home)
        yield SystemCommand("Settings", "Output folder, subject defaults, key type, theme",
                            self.action_settings)
        yield SystemCommand("Help for this screen", "Same as F1", self.action_help)
        yield from super().get_system_commands(screen)


def run_app() -> int:
    app = CollabcertApp()
    app.run()
    return app.return_code or 0
