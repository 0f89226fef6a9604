"""The last two steps of the import and bundle flows: the files to be written, then the next steps.

Both read the job's result in `state.result` (collabcert.jobs.bundle.BundleResult or
jobs.trustlist.TrustListResult): its files, findings, `blocked` and next steps. Writing goes
through files.write_plan in a thread; files that exist are replaced only after a yes in a dialog
(No is the default). When the job says writing is blocked, a dialog names the errors and the
files are written only after "Write anyway" (the CLI's --anyway; without it the CLI refuses).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label, Static

from collabcert.citations import plain_citations
from collabcert.errors import CollabcertError
from collabcert.jobs.bundle import WrittenCertificate, labels_in, read_back
from collabcert.tui.clipboard import copy_text
from collabcert.tui.dialogs import ConfirmDialog
from collabcert.tui.findings import problem_count_text
from collabcert.tui.flow import FlowStep, PaletteCommand
from collabcert.tui.objects import plural
from collabcert.tui.paths import display_path
from collabcert.tui.write_step import PlanWriteStep, mode_text, replace_note


def plan_text(plan: list[Any], existing: set[Path], cwd: Path) -> str:
    """`1. name.pem  new, mode 0644` then `   trusted CA list: CA 1, Root` for each file."""
    lines = []
    for number, planned in enumerate(plan, start=1):
        note = replace_note(planned.path, existing)
        lines.append(f"{number}. {display_path(planned.path, cwd)}  ({note}, mode "
                     f"{mode_text(planned.private)})")
        what = planned.what or "file"
        if planned.certificates is not None and planned.certificates != 1:
            what += f", {plural(planned.certificates, 'certificate')}"
        holds = labels_in(planned)
        lines.append(f"   {what}: {holds}" if holds else f"   {what}")
    return "\n".join(lines)


class WriteFilesStep(PlanWriteStep):
    """Files to be written: name, what it holds, mode, new or replacing. Nothing written yet."""

    title = "Files to be written"
    help_topic = "import-files"
    AUTO_FOCUS = "#next"

    def compose_body(self) -> ComposeResult:
        plan = self.state.plan
        yield self.plan_headline(in_order=True)
        yield Static(plan_text(plan, self.existing, self.app.cwd), id="plan", markup=False)
        if self.state.result.blocked:
            yield Static(f"The checks found {problem_count_text(self.state.result.findings)}; "
                         "the files can still be written, but fix the errors before you upload "
                         "them.", id="review-errors", classes="error-text", markup=False)
        yield from self.compose_write_progress()

    def on_screen_resume(self) -> None:
        # Back from Next steps: the files now exist, so say so (the dialog asks anyway).
        plan = self.state.plan
        self.existing = {p.path for p in plan if p.path.exists()}
        self.query_one("#plan", Static).update(plan_text(plan, self.existing, self.app.cwd))

    anyway = False  # "Write anyway" was pressed after the errors were named

    def files_to_write(self) -> list[Any]:
        # the job's one rule, as the CLI's --anyway (issue 12 item 9): nothing while blocked
        return list(self.state.result.to_write(anyway=self.anyway))

    def leave_forward(self) -> None:
        result = self.state.result
        if not result.blocking:  # no error findings: no question
            self.ask_to_replace()
            return

        def answered(yes: bool | None) -> None:
            self.anyway = bool(yes)
            if yes:
                self.ask_to_replace()
            else:
                self.show_error("Nothing was written. Go Back to change the input or target.")

        self.app.push_screen(ConfirmDialog(
            f"Writing is blocked: {result.blocked}. Write the files anyway?",
            title="Write despite errors?",
            details=[f"{f.id}: {f.message}" for f in result.blocking],
            yes="Write anyway", no="Back", default_no=True,
        ), answered)


class NextStepsStep(FlowStep):
    """What was written (read back from disk, with fingerprints), then the product's next steps."""

    title = "Next steps"
    next_label = "Done"
    help_topic = "import-next-steps"
    AUTO_FOCUS = "#next"

    def compose_body(self) -> ComposeResult:
        written = self.state.written
        yield Static(f"Wrote {len(written)} file(s) into "
                     f"{self.folder_text(written)}. Read back from disk:",
                     id="done-headline", markup=False)
        yield Static("", id="written", markup=False)
        yield Label("Next steps", classes="section-title")
        yield Static(self.steps_text(), id="next-steps", markup=False)
        with Horizontal(classes="result-buttons"):
            yield Button("Copy next steps", id="copy-steps", compact=True)
            yield Button("Copy file list", id="copy-files", compact=True)
            yield Button("Copy summary for a ticket", id="copy-ticket", compact=True)
        self.rows: tuple[WrittenCertificate, ...] = ()

    def folder_text(self, written: list[Path]) -> str:
        if not written:
            return "no folder"
        folder = display_path(written[0].parent, self.app.cwd)
        return "the current folder" if folder == "." else folder

    def on_mount(self) -> None:
        super().on_mount()
        self.busy = True
        self.read_back()

    @work(exclusive=True, group="read-back", exit_on_error=False)
    async def read_back(self) -> None:
        try:
            rows = await asyncio.to_thread(read_back, self.state.written)
        except CollabcertError as exc:
            self.show_error(f"Could not read back a written file: {exc}")
            rows = ()
        finally:
            self.busy = False
        self.rows = rows
        self.query_one("#written", Static).update(written_text(rows))

    def list_text(self) -> str:
        from collabcert.model import colon_hex

        return "\n".join(f"{display_path(r.path, self.app.cwd)}  {r.label}  SHA-256 "
                         f"{colon_hex(r.sha256)}" for r in self.rows)

    def ticket(self) -> str:
        from collabcert.report import ticket_summary

        load = getattr(self.state, "load", None)
        names = [source.name for source in load.sources] if load is not None else []
        asked = [f"{self.flow.title}: {', '.join(names)}" if names else self.flow.title]
        written = self.list_text().splitlines() or [
            display_path(path, self.app.cwd) for path in self.state.written]
        return ticket_summary(self.flow.title, asked, written,
                              list(getattr(self.state.result, "findings", ())),
                              self.state.result.next_steps)

    def steps_text(self) -> str:
        """The next steps as shown: what is copied is what support reads aloud, so it names the
        Cisco documents, not our seed ids (issue 12 item 16)."""
        return plain_citations("\n".join(self.state.result.next_steps))

    @on(Button.Pressed, "#copy-steps")
    def action_copy_steps(self) -> None:
        copy_text(self.app, self.steps_text(), "the next steps")

    @on(Button.Pressed, "#copy-files")
    def action_copy_files(self) -> None:
        copy_text(self.app, self.list_text(), "the list of written files")

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy the next steps", "For a ticket or the customer", self.action_copy_steps),
            ("Copy the list of written files", "With SHA-256 fingerprints",
             self.action_copy_files),
        )


def written_text(rows: Iterable[WrittenCertificate]) -> str:
    """`name.pem  mode 0644` then `   1. CN  SHA-256 AB:CD:…` per certificate, in file order."""
    from collabcert.model import colon_hex

    rows = list(rows)
    lines: list[str] = []
    last: Path | None = None
    number = 0
    for row in rows:
        if row.path != last:
            last, number = row.path, 0
            count = sum(1 for r in rows if r.path == row.path)
            lines.append(f"{row.path.name}  (mode {row.mode}, {plural(count, 'certificate')})")
        number += 1
        lines.append(f"   {number}. {row.label}  SHA-256 {colon_hex(row.sha256[:16])}…")
    return "\n".join(lines)
