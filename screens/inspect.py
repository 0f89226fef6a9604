"""Inspect: read anything and show what it is, with findings and the certification path.

Triage at 80x24 (issue 12 items 5, 6, 18): each object's row says its file, kind, CN, expiry in
words, a short key id and which other objects hold the same key (or only the same name: a
decoy); the findings are the wrapped panel Check uses (nothing cut, the fix one key away); the
inspect job runs in a thread before this step opens, and a big store's rows go into the table
in batches, so the screen answers keys at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static, TabbedContent, TabPane

from collabcert.citations import plain_citations  # seed ids said as document names, once each
from collabcert.jobs.inspect import (
    InspectResult,
    ItemView,
    located_findings,
    pair_notes,
    short_key_id,
)
from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.inspect_state import (
    InspectState,
    read_problems,
    run_inspect,
    source_names,
)
from collabcert.tui.chainview import CertPathTree, related
from collabcert.tui.clipboard import copy_text
from collabcert.tui.findings import FindingsPanel
from collabcert.tui.flow import Flow, FlowStep, PaletteCommand
from collabcert.tui.heap import keep_long_lived, let_go
from collabcert.tui.loading import LoadResult
from collabcert.tui.objects import OBJECT_COLUMNS, detail_text, object_row, plural

FIRST_ROWS = 100  # rows put in the table before the screen is first drawn
BATCH = 150  # rows per later batch: each batch is one short turn of the event loop (a batch
# costs its rows and one layout of the screen: 300 rows held keys 100-140 ms on 2 busy cores)
MOST_FINDINGS = 200  # findings shown as widgets; the copied report has them all


class InspectFilesStep(ChooseFilesStep):
    """Choose files; Next reads them and runs the inspect job, both in threads."""

    def prepare(self, result: LoadResult) -> None:
        run_inspect(self.state, self.app.now())
        keep_long_lived()  # the result lives as long as the flow: out of full collections


class InspectResultsStep(FlowStep):
    title = "What was found"
    next_label = "Done"
    help_topic = "inspect-results"
    FIELD_HELP = {"objects": "inspect-results", "findings": "findings", "chain-tree": "chain"}
    AUTO_FOCUS = "#objects"

    @property
    def inspect_state(self) -> InspectState:
        return self.state

    @property
    def result(self) -> InspectResult:
        if self.inspect_state.result is None:  # reached without the files step (tests)
            run_inspect(self.inspect_state, self.app.now())
        assert self.inspect_state.result is not None
        return self.inspect_state.result

    def compose_body(self) -> ComposeResult:
        self.now = self.app.now()
        self._details: dict[int, str] = {}  # detail text by row, made when first shown
        result = self.result
        self.entries: tuple[ItemView, ...] = result.items
        self.names = source_names(self.inspect_state.load)
        findings = located_findings(result, read_problems(self.inspect_state.load),
                                    self.file_name)
        self.findings = findings
        paths = list(result.chains)  # each chain once: a leaf in a .crt and a .pfx is one
        yield Static(self._headline(len(findings)), id="headline", markup=False)
        with TabbedContent(id="result-tabs"):
            with TabPane("Objects", id="tab-objects"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="objects")
                yield Static("", id="detail", markup=False)
                with Horizontal(classes="result-buttons"):
                    yield Button("Copy PEM", id="copy-pem", compact=True)
                    yield Button("Copy summary", id="copy-summary", compact=True)
                    yield Button("Copy summary for a ticket", id="copy-ticket", compact=True)
            with TabPane(f"Findings ({len(findings)})", id="tab-findings"):
                shown = findings[:MOST_FINDINGS]
                yield FindingsPanel(shown, report=self._findings_report(findings),
                                    what="the inspect findings", id="findings")
                if len(findings) > len(shown):
                    yield Static(f"… and {len(findings) - len(shown)} more: Copy report has "
                                 "them all.", classes="hint", markup=False)
            if related(paths):
                with TabPane("Certification path", id="tab-chain"):
                    yield CertPathTree(paths, now=self.now, id="chain-tree",
                                       leaf_files=partial(result.leaf_places,
                                                          file_name=self.file_name))
            if result.next_steps:  # the inspect job's, as `collabcert inspect` prints them
                with TabPane("Next steps", id="tab-next"):
                    yield Static(plain_citations("\n".join(
                        f"{n}. {step}" for n, step in enumerate(result.next_steps, 1))),
                                 id="next-steps", markup=False)

    def file_name(self, source: str) -> str:
        return self.names.get(source, source)

    def _findings_report(self, findings: list) -> str:
        from collabcert.report import plain_report

        return plain_report(findings) or "No findings.\n"

    def _headline(self, findings: int) -> str:
        counts = self.result.counts()
        words = {"certificate": "certificate", "csr": "CSR", "private_key": "private key",
                 "public_key": "public key"}
        parts = [plural(n, words.get(k, k)) for k, n in counts.items()]
        found = ", ".join(parts) or "nothing"
        return f"Found {found}; {plural(findings, 'finding')}. Select a row for the full summary."

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#objects", DataTable)
        table.add_columns(*OBJECT_COLUMNS)
        self._add_rows(0, FIRST_ROWS)
        self.show_detail(0)

    def _add_rows(self, start: int, count: int) -> None:
        """Rows `start` .. `start + count`; the rest follow after the screen had its turn."""
        table = self.query_one("#objects", DataTable)
        end = min(start + count, len(self.entries))
        for number in range(start, end):
            view = self.entries[number]
            table.add_row(*object_row(number, view, self.result, self.now,
                                      self.file_name(view.source)), key=str(number))
        if end < len(self.entries):
            self.set_timer(0.01, lambda: self._add_rows(end, BATCH))
        elif end > FIRST_ROWS:
            keep_long_lived()  # a big table's cells live as long as the step

    def on_unmount(self) -> None:
        let_go()  # the result and the table were kept out of full collections while shown

    @property
    def rows_filled(self) -> bool:
        return self.query_one("#objects", DataTable).row_count == len(self.entries)

    def selected(self) -> ItemView | None:
        table = self.query_one("#objects", DataTable)
        if not self.entries or table.cursor_row is None:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)]

    def show_detail(self, index: int) -> None:
        if not self.entries:
            return
        self.query_one("#detail", Static).update(self.detail(index))

    def detail(self, index: int) -> str:
        """The summary of object `index`, made once: the cursor passes a row many times (and a
        highlight and a select of one row ask twice), the words do not change."""
        cache = self._details
        if index not in cache:
            view = self.entries[index]
            notes = pair_notes(self.result, index, self.file_name)
            cache[index] = detail_text(self.file_name(view.source), view.item, view.summary,
                                       self.now, notes)
        return cache[index]

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
        name = self.file_name(chosen.source)
        what = f"{chosen.kind} from {name} (block {chosen.index})".replace("_", " ")
        copy_text(self.app, chosen.pem(), what, private=chosen.kind == "private_key")

    @on(Button.Pressed, "#copy-summary")
    def action_copy_summary(self) -> None:
        table = self.query_one("#objects", DataTable)
        if not self.entries or table.cursor_row is None:
            return
        copy_text(self.app, self.detail(min(table.cursor_row, len(self.entries) - 1)),
                  "the summary")

    def ticket(self) -> str:
        from collabcert.report import ticket_summary

        load = self.inspect_state.load
        names = [source.name for source in load.sources] if load is not None else []
        found = [f"#{n + 1} {view.title} ({self.file_name(view.source)}), key id "
                 f"{short_key_id(view)}" for n, view in enumerate(self.entries)]
        found += [note for n in range(len(self.entries))
                  for note in pair_notes(self.result, n, self.file_name)
                  if note.startswith("Same name")]
        return ticket_summary("Inspect files", [f"What these files hold: {', '.join(names)}"],
                              [], self.findings, self.result.next_steps, found=found)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy PEM of the selected object", "To the clipboard", self.action_copy_pem),
            ("Copy summary of the selected object", "For a ticket", self.action_copy_summary),
            ("Inspect other files", "Back to choosing files", self.action_back),
        )


class InspectFlow(Flow):
    state_type: ClassVar[type] = InspectState
    steps = (InspectFilesStep, InspectResultsStep)
