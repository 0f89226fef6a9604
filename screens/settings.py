"""Settings: default output folder, subject defaults for CSRs, default key type, theme."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select

from collabcert.errors import CollabcertError
from collabcert.tui.dialogs import ConfirmDialog
from collabcert.tui.header import TitleHeader
from collabcert.tui.settings import (
    KEY_TYPES,
    SUBJECT_FIELDS,
    LoadedSettings,
    Settings,
    SubjectDefaults,
    save_settings,
    validate,
)

SUBJECT_LABELS = {
    "o": "Organization (O)",
    "ou": "Organizational unit (OU)",
    "l": "City / locality (L)",
    "st": "State or province (ST)",
    "c": "Country, two letters (C)",
}


class SettingsScreen(Screen):
    help_topic = "settings"
    AUTO_FOCUS = "#output-folder"
    FIELD_HELP = {
        "output-folder": "output-folder",
        "key-type": "key-type",
        "theme": "theme",
        **{f"subject-{name}": "subject-defaults" for name in SUBJECT_FIELDS},
    }
    BINDINGS = [
        Binding("escape", "cancel", "Back without saving", id="settings.cancel"),
        Binding("ctrl+s", "save", "Save", priority=True, id="settings.save"),
    ]

    def compose(self) -> ComposeResult:
        current = self.app.settings
        yield TitleHeader()
        yield Label("Settings", id="step-indicator")
        with VerticalScroll(id="body"):
            if self.app.settings_file.broken:
                yield Label(self.app.settings_file.problem, classes="error-text", markup=False)
            yield Label(f"Saved in {self.app.settings_file.path}", classes="hint", markup=False)
            yield Label("Default output folder (empty: next to each input file)")
            yield Input(current.output_folder, id="output-folder", placeholder="next to the input")
            yield Label("Default key type for new CSRs")
            yield Select([(k, k) for k in KEY_TYPES], value=current.key_type, allow_blank=False,
                         id="key-type")
            yield Label("Theme")
            themes = sorted(self.app.available_themes)
            theme = current.theme if current.theme in themes else "textual-dark"
            yield Select([(t, t) for t in themes], value=theme, allow_blank=False, id="theme")
            yield Label("Subject defaults for new CSRs", classes="section-title")
            for name in SUBJECT_FIELDS:
                yield Label(SUBJECT_LABELS[name])
                yield Input(getattr(current.subject, name), id=f"subject-{name}")
        yield Label("", id="step-error", classes="error-text", markup=False)
        with Horizontal(id="nav"):
            yield Button("Cancel", id="cancel", compact=True)
            yield Button("Save", id="save", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Settings"
        if self.app.is_headless:
            for widget in self.query(Input):
                widget.cursor_blink = False

    def entered(self) -> Settings:
        value = lambda wid: self.query_one(f"#{wid}", Input).value.strip()  # noqa: E731
        subject = SubjectDefaults(**{n: value(f"subject-{n}") for n in SUBJECT_FIELDS})
        return replace(
            self.app.settings,
            output_folder=value("output-folder"),
            key_type=str(self.query_one("#key-type", Select).value),
            theme=str(self.query_one("#theme", Select).value),
            subject=replace(subject, c=subject.c.upper()),
        )

    @on(Select.Changed, "#theme")
    def preview_theme(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and event.value != self.app.theme:
            self.app.theme = str(event.value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.app.apply_theme(self.app.settings.theme)  # undo a theme preview
        self.app.pop_screen()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        settings = self.entered()
        problem = validate(settings)
        if problem:
            self.query_one("#step-error", Label).update(f"Not saved: {problem}.")
            return
        if self.app.settings_file.broken:
            self.app.push_screen(
                ConfirmDialog(
                    f"{self.app.settings_file.path} could not be read when the app started. "
                    "Replace it with these settings?",
                    yes="Replace it", no="Keep the file", default_no=True,
                ),
                lambda yes: self._write(settings) if yes else None,
            )
            return
        self._write(settings)

    def _write(self, settings: Settings) -> None:
        path = self.app.settings_file.path
        try:
            save_settings(settings, path)
        except (CollabcertError, OSError) as exc:
            self.query_one("#step-error", Label).update(f"Not saved: {exc}")
            return
        self.app.use_settings(LoadedSettings(settings, path))
        self.app.notify(f"Settings saved to {path}", markup=False)
        self.app.pop_screen()
