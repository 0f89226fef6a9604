"""Inspect: read anything and show what it is, with findings and the certification path."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Label, Static, TabbedContent, TabPane

from collabcert.jobs.inspect import InspectResult, ItemView
from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.inspect_state import InspectState, run_inspect, source_names
from collabcert.tui.chainview import CertPathTree, related
from collabcert.tui.clipboard import copy_text
from collabcert.tui.flow import Flow, FlowStep, PaletteCommand
from collabcert.tui.objects import detail_text, plural, row_cells

COLUMNS = ("Kind", "Encoding", "Subject CN", "Issuer CN", "Valid until", "Key", "SHA-256")


def findings_rows(result: InspectResult) -> list[tuple[str, str, str, str]]:
    """(severity, where, message, fix); sources that could not be read come first, as errors."""
    rows = [("ERROR", "", problem, "") for problem in result.problems]
    for loaded in result.files:
        for finding in loaded.findings:
            rows.append((str(finding.severity).upper(), finding.where or loaded.source,
                         finding.message, finding.fix))
    return rows


class InspectResultsStep(FlowStep):
    title = "What was found"
    next_label = "Done"
    help_topic = "inspect-results"
    FIELD_HELP = {"objects": "inspect-results", "findings": "findings", "chain-tree": "chain"}
    AUTO_FOCUS = "#objects"

    @property
    def inspect_state(self) -> InspectState:
        return self.state

    def compose_body(self) -> ComposeResult:
        self.now = self.app.now()
        result = run_inspect(self.inspect_state, self.now)
        self.entries: tuple[ItemView, ...] = result.items
        self.names = source_names(self.inspect_state.load)
        findings = findings_rows(result)
        paths = list(result.paths)
        yield Static(self._headline(len(findings)), id="headline", markup=False)
        with TabbedContent(id="result-tabs"):
            with TabPane("Objects", id="tab-objects"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="objects")
                yield Static("", id="detail", markup=False)
                with Horizontal(classes="result-buttons"):
                    yield Button("Copy PEM", id="copy-pem", compact=True)
                    yield Button("Copy summary", id="copy-summary", compact=True)
            with TabPane(f"Findings ({len(findings)})", id="tab-findings"):
                if findings:
                    yield DataTable(cursor_type="row", id="findings")
                else:
                    yield Label("No findings: everything in the input could be read.")
            if related(paths):
                with TabPane("Certification path", id="tab-chain"):
                    yield CertPathTree(paths, id="chain-tree")
            if result.next_steps:  # the inspect job's, as `collabcert inspect` prints them
                with TabPane("Next steps", id="tab-next"):
                    yield Static("\n".join(f"{n}. {step}" for n, step in
                                           enumerate(result.next_steps, 1)),
                                 id="next-steps", markup=False)
        self.findings = findings

    def _headline(self, findings: int) -> str:
        counts = self.inspect_state.result.counts() if self.inspect_state.result else {}
        words = {"certificate": "certificate", "csr": "CSR", "private_key": "private key",
                 "public_key": "public key"}
        parts = [plural(n, words.get(k, k)) for k, n in counts.items()]
        found = ", ".join(parts) or "nothing"
        return f"Found {found}; {findings} finding(s). Select a row for the full summary."

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#objects", DataTable)
        table.add_columns(*COLUMNS)
        for number, view in enumerate(self.entries):
            table.add_row(*row_cells(view.item, view.summary, self.now), key=str(number))
        if self.findings:
            findings = self.query_one("#findings", DataTable)
            findings.add_columns("Severity", "Where", "Message", "Fix")
            for row in self.findings:
                findings.add_row(*(Text(cell) for cell in row))
        self.show_detail(0)

    def selected(self) -> ItemView | None:
        table = self.query_one("#objects", DataTable)
        if not self.entries or table.cursor_row is None:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)]

    def show_detail(self, index: int) -> None:
        if not self.entries:
            return
        self.query_one("#detail", Static).update(self.detail(self.entries[index]))

    def detail(self, view: ItemView) -> str:
        return detail_text(self.names.get(view.source, view.source), view.item, view.summary,
                           self.now)

    @on(DataTable.RowHighlighted, "#objects")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    @on(DataTable.RowSelected, "#objects")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.show_detail(event.cursor_row)
        self.query_one("#detail", Static).scroll_visible()

    @on(Button.Pressed, "#copy-pem")
    def action_copy_pem(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        name = self.names.get(chosen.source, chosen.source)
        what = f"{chosen.kind} from {name} (block {chosen.index})".replace("_", " ")
        copy_text(self.app, chosen.pem(), what, private=chosen.kind == "private_key")

    @on(Button.Pressed, "#copy-summary")
    def action_copy_summary(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        copy_text(self.app, self.detail(chosen), "the summary")

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy PEM of the selected object", "To the clipboard", self.action_copy_pem),
            ("Copy summary of the selected object", "For a ticket", self.action_copy_summary),
            ("Inspect other files", "Back to choosing files", self.action_back),
        )


class InspectFlow(Flow):
    state_type: ClassVar[type] = InspectState
    steps = (ChooseFilesStep, InspectResultsStep)
