"""Check files: choose files -> say what they are for (optional) -> findings by severity.

The findings come from collabcert.lint (general rules always; the product's rules when a role is
given); each one opens to its fix and citation, and the whole report is copied for a ticket.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from collabcert.jobs.lint import LintResult
from collabcert.screens.check_state import (
    NO_ROLE,
    PSEUDO_ROLE_WORDS,
    SAME,
    CheckChoice,
    CheckState,
    field_problem,
    role_fields,
    role_options,
    run_check,
    source_names,
)
from collabcert.tui.findings import FindingsPanel, count_text
from collabcert.tui.flow import Flow, FlowStep, PaletteCommand
from collabcert.tui.picker import SourcePicker


class CheckStep(FlowStep):
    """A step of the Check flow: its state is the flow's CheckState."""

    @property
    def state(self) -> CheckState:  # type: ignore[override]
        return self.flow.state


class CheckFilesStep(CheckStep):
    """Which files: the shared picker; the engine reads them when the check runs."""

    title = "Choose files to check"
    help_topic = "check-files"
    AUTO_FOCUS = "#tree"

    def compose_body(self) -> ComposeResult:
        yield Static("Choose the key, certificate, bundle or trust list files to check (any "
                     "format), type a path, or paste text.", classes="hint", markup=False)
        yield SourcePicker(self.state.picker, base=self.app.cwd, id="picker")

    def save(self) -> None:
        self.state.sources = self.query_one(SourcePicker).sources()

    def check(self) -> str:
        if self.state.sources.empty:
            return "Choose at least one file (Enter in Browse), type a path, or paste text."
        return ""


class CheckRolesStep(CheckStep):
    """What the files are for: a role for all, a role per file, and the role's fields."""

    title = "What the files are for"
    next_label = "Check"
    help_topic = "check-roles"
    FIELD_HELP = {"role": "check-roles", "role-fields": "check-fields"}
    AUTO_FOCUS = "#role"  # layout: the Check section of assets/app.tcss

    @property
    def choice(self) -> CheckChoice:
        return self.state.choice

    def compose_body(self) -> ComposeResult:
        choice = self.choice
        self.names = source_names(self.state.sources, self.app.cwd)
        options = role_options()
        yield Static("General rules (validity, weak keys, SHA-1) always apply. Choose the role "
                     "to add the product's rules.", classes="hint", markup=False)
        yield Label("Role for all the files:", classes="section-title")
        yield Select([("No role: general rules only", NO_ROLE), *options], value=choice.role,
                     allow_blank=False, id="role")
        yield Label("Role of each file (optional):", classes="section-title")
        per_file = [("Same as above", SAME), *[(words, pid) for pid, words in
                                               PSEUDO_ROLE_WORDS], *options]
        for number, name in enumerate(self.names):
            with Horizontal(classes="file-role"):
                yield Label(name, markup=False)
                yield Select(per_file, value=choice.file_roles.get(name, SAME),
                             allow_blank=False, compact=True, id=f"file-role-{number}")
        yield Label("", id="fields-title", classes="section-title", markup=False)
        yield Vertical(id="role-fields")

    def on_mount(self) -> None:
        super().on_mount()
        self.shown_role = ""
        self.call_after_refresh(self.show_fields)

    async def show_fields(self) -> None:
        """The chosen role's questions; values typed for a role are kept if the role changes."""
        role = self.choice.role_id() or ""
        if role == self.shown_role:
            return
        self._save_fields()
        self.shown_role = role
        box = self.query_one("#role-fields", Vertical)
        await box.remove_children()
        specs = role_fields(role)
        title = self.query_one("#fields-title", Label)
        title.update("Fields of the role (optional; compared with the certificate):"
                     if specs else "")
        title.display = bool(specs)
        values = self.choice.fields.get(role, {})
        widgets = []
        for spec in specs:
            widgets.append(Label(spec.label + (" (comma separated)" if spec.is_list else ""),
                                 markup=False))
            field_input = Input(values.get(spec.name, ""), id=f"field-{spec.name}",
                                placeholder=spec.help.split(":")[0][:60], compact=True)
            field_input.help_topic = "check-fields"
            if self.app.is_headless:
                field_input.cursor_blink = False
            widgets.append(field_input)
        await box.mount_all(widgets)

    def _save_fields(self) -> None:
        if not getattr(self, "shown_role", ""):
            return
        values = self.choice.fields.setdefault(self.shown_role, {})
        for field_input in self.query("#role-fields Input").results(Input):
            values[(field_input.id or "").removeprefix("field-")] = field_input.value

    @on(Select.Changed, "#role")
    async def role_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.choice.role = event.value
        await self.show_fields()

    def save(self) -> None:
        choice = self.choice
        value = self.query_one("#role", Select).value
        if isinstance(value, str):
            choice.role = value
        for number, name in enumerate(self.names):
            file_role = self.query_one(f"#file-role-{number}", Select).value
            choice.file_roles[name] = file_role if isinstance(file_role, str) else SAME
        self._save_fields()

    def check(self) -> str:
        return field_problem(self.choice.role_id(), self.choice.field_values())

    def leave_forward(self) -> None:
        state, now = self.state, self.app.now()
        self.go_next_after(lambda: run_check(state, self.app.cwd, now), self._keep)

    def _keep(self, result: LintResult) -> None:
        self.state.result = result


class CheckFindingsStep(CheckStep):
    """The findings, grouped by severity; Enter on one shows its fix and citation."""

    title = "Findings"
    next_label = "Done"
    help_topic = "check-findings"
    AUTO_FOCUS = "#body FindingItem"
    BINDINGS = [Binding("c", "copy_report", "Copy report", id="check.copy_report")]

    @property
    def result(self) -> LintResult:
        assert self.state.result is not None  # set by CheckRolesStep before this step opens
        return self.state.result

    def compose_body(self) -> ComposeResult:
        result = self.result
        yield Static(self.headline(result), id="check-headline", markup=False)
        yield FindingsPanel(result.findings, report=result.text(),
                            what="the check report", id="check-findings")
        yield Button("Copy summary for a ticket", id="copy-ticket", compact=True)

    def headline(self, report: LintResult) -> str:
        role = self.state.choice.role_id()
        label = dict((rid, words) for words, rid in role_options()).get(role or "", "")
        as_what = f" as {label}" if label else " (general rules only: no role chosen)"
        files = len(report.checked)
        verdict = "FAILED" if report.failed else "Passed"
        hint = " Enter on a finding shows its fix." if report.findings else ""
        return (f"{verdict}: {files} file(s) checked{as_what}; {count_text(report.findings)}."
                f"{hint}")

    def on_mount(self) -> None:
        super().on_mount()
        if not self.query("#body FindingItem"):
            self.query_one("#next").focus()

    def action_copy_report(self) -> None:
        self.query_one(FindingsPanel).copy_report()

    def ticket(self) -> str:
        from collabcert.report import ticket_summary

        names = ", ".join(self.state.choice.file_roles) or "the chosen files"
        return ticket_summary("Check files", [f"Check {names}", self.headline(self.result)],
                              [], self.result.findings, [])

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy the check report", "Plain text for a ticket", self.action_copy_report),
            ("Open all findings", "Show every fix and citation",
             lambda: self.query_one(FindingsPanel).action_expand_all(True)),
            ("Check other files", "Back to the roles", self.action_back),
        )


class CheckFlow(Flow):
    steps = (CheckFilesStep, CheckRolesStep, CheckFindingsStep)
    state_type: ClassVar[type] = CheckState

    def __init__(self) -> None:
        super().__init__()
        self.state: CheckState = CheckState()  # type: ignore[assignment]  # typed flow state

