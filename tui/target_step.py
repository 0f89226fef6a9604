"""What a bundle target asks besides the product: the CMS file name, the CUCM purpose, the folder.

Shared by the import flow's "Where it goes" and the bundle flow's "What to build": both keep
their answers in a choice with `cms_name`, `cucm_type` and `folder` (screens'
import_cert_state.TargetChoice) and what was read in `state.load`; show the CMS and CUCM options
only for those products, say where a relative folder really points as it is typed, and refuse a
folder that does not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioSet, Select

from collabcert.tui.flow import FlowStep
from collabcert.tui.paths import display_path, typed_path
from collabcert.tui.picker import PathSuggester


def default_folder(result: Any, settings_folder: str, cwd: Path) -> Path:
    """The settings' output folder, else the jobs' default, as the CLI's: next to the first
    input (pasted text comes last, so that is the first file chosen)."""
    from collabcert.jobs.bundle import default_folder as next_to_first_input

    if settings_folder.strip():
        return typed_path(settings_folder, cwd)
    return next_to_first_input([source.path for source in result.sources], cwd)


def folder_problem(text: str, cwd: Path) -> str:
    if not text.strip():
        return "Type the folder the files go into."
    if not typed_path(text, cwd).is_dir():
        return f"{text.strip()}: the folder does not exist; create it first."
    return ""


def folder_hint(text: str, cwd: Path) -> tuple[str, bool]:
    """(the problem with the folder, True), or (where a relative path really points, False)."""
    problem = folder_problem(text, cwd)
    if problem:
        return problem, True
    if text.strip().startswith("/"):
        return "", False
    return f"(that is {typed_path(text, cwd)})", False


def cms_name_problem(text: str) -> str:
    from collabcert.bundle import CMS_BASENAME

    if text.strip() and not CMS_BASENAME.match(text.strip()):
        return "The CMS name may use only letters, digits, '-' and '_' (no dots)."
    return ""


class TargetOptionsStep(FlowStep):
    """Base of a step with one RadioSet of targets, then the CMS / CUCM options and the folder.

    A subclass provides `choice`, `wants_cms_name()`, `wants_cucm_type()` and `save()` (which
    calls `save_options()`), and yields the compose_* pieces in its body.
    """

    cms_label: ClassVar[str] = "CMS file name:"

    @property
    def choice(self) -> Any:
        raise NotImplementedError

    def wants_cms_name(self) -> bool:
        raise NotImplementedError

    def wants_cucm_type(self) -> bool:
        raise NotImplementedError

    def cms_placeholder(self) -> str:
        return ""

    # --- the body -------------------------------------------------------------------------
    def fill_default_folder(self) -> None:
        """On the first visit: the settings' folder, else the folder of the first input file."""
        if self.choice.folder is None:
            folder = default_folder(self.state.load, self.app.settings.output_folder,
                                    self.app.cwd)
            self.choice.folder = display_path(folder, self.app.cwd)

    def compose_target_options(self) -> ComposeResult:
        from collabcert.bundle import CUCM_TYPES

        with Vertical(id="cms-options", classes="target-options"):
            yield Label(self.cms_label, markup=False)
            yield Input(self.choice.cms_name, placeholder=self.cms_placeholder(), id="cms-name",
                        restrict=r"[A-Za-z0-9_-]*")
        with Vertical(id="cucm-options", classes="target-options"):
            yield Label("CUCM certificate purpose (CAs go to <purpose>-trust):", markup=False)
            yield Select([(t, t) for t in CUCM_TYPES], value=self.choice.cucm_type,
                         allow_blank=False, id="cucm-type")

    def compose_folder(self) -> ComposeResult:
        yield Label("Write the files into this folder:", classes="section-title")
        yield Input(self.choice.folder, placeholder="folder", id="folder",
                    suggester=PathSuggester())
        yield Label("", id="folder-error", classes="hint", markup=False)

    # --- keeping it current ---------------------------------------------------------------
    def on_mount(self) -> None:  # Textual runs FlowStep.on_mount as well (every class's handler)
        self.refresh_options()

    def refresh_options(self) -> None:
        """Save, then show only the options the chosen target asks for."""
        self.save()
        self.query_one("#cms-options").display = self.wants_cms_name()
        self.query_one("#cucm-options").display = self.wants_cucm_type()

    @on(RadioSet.Changed)
    def target_changed(self) -> None:
        self.refresh_options()

    def save_options(self) -> None:
        choice = self.choice
        choice.cms_name = self.query_one("#cms-name", Input).value
        value = self.query_one("#cucm-type", Select).value
        if isinstance(value, str):
            choice.cucm_type = value
        choice.folder = self.query_one("#folder", Input).value

    @on(Input.Changed, "#folder")
    def folder_changed(self, event: Input.Changed) -> None:
        hint, problem = folder_hint(event.value, self.app.cwd)
        label = self.query_one("#folder-error", Label)
        label.update(hint)
        label.set_class(problem, "error-text")

    def check(self) -> str:
        if self.wants_cms_name() and (problem := cms_name_problem(self.choice.cms_name)):
            return problem
        return folder_problem(self.choice.folder or "", self.app.cwd)
