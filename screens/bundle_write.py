"""The last two steps of the import and bundle flows: the files to be written, then the next steps.

Both read `state["plan"]` (files.PlannedFile list), `state["findings"]` and `state["next_steps"]`,
set by the step before. Writing goes through files.write_plan in a thread; files that exist are
replaced only after a yes in a dialog (No is the default), and errors found by the checks are
shown once more before anything is written (the CLI needs --anyway for that).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label, Static

from collabcert.errors import CollabcertError
from collabcert.tui.clipboard import copy_text
from collabcert.tui.dialogs import ConfirmDialog
from collabcert.tui.findings import grouped, problem_count_text
from collabcert.tui.flow import FlowStep, PaletteCommand
from collabcert.tui.objects import plural
from collabcert.tui.paths import display_path
from collabcert.tui.write_step import PlanWriteStep, mode_text


def names_in(data: bytes, limit: int = 4) -> str:
    """The CNs of the certificates in a planned file, in file order (what the upload holds)."""
    from cryptography import x509

    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        return ""
    names = [_cn(c) for c in certificates[:limit]]
    if len(certificates) > limit:
        names.append(f"… and {len(certificates) - limit} more")
    return ", ".join(names)


def plan_text(plan: list[Any], existing: set[Path], cwd: Path) -> str:
    """`1. name.pem  new, mode 0644` then `   trusted CA list: CA 1, Root` for each file."""
    lines = []
    for number, planned in enumerate(plan, start=1):
        note = "REPLACES an existing file" if planned.path in existing else "new"
        lines.append(f"{number}. {display_path(planned.path, cwd)}  ({note}, mode "
                     f"{mode_text(planned.private)})")
        what = planned.what or "file"
        if planned.certificates is not None and planned.certificates != 1:
            what += f", {plural(planned.certificates, 'certificate')}"
        holds = names_in(planned.data)
        lines.append(f"   {what}: {holds}" if holds else f"   {what}")
    return "\n".join(lines)


class WriteFilesStep(PlanWriteStep):
    """Files to be written: name, what it holds, mode, new or replacing. Nothing written yet."""

    title = "Files to be written"
    help_topic = "import-files"
    AUTO_FOCUS = "#next"

    def compose_body(self) -> ComposeResult:
        plan = self.state["plan"]
        self.existing = {p.path for p in plan if p.path.exists()}
        note = (f" {len(self.existing)} of them already exist and would be replaced."
                if self.existing else "")
        yield Static(f"These {len(plan)} file(s) will be written, in this order.{note} Nothing "
                     "is written before you press Write files.", id="review-headline",
                     markup=False)
        yield Static(plan_text(plan, self.existing, self.app.cwd), id="plan", markup=False)
        errors = grouped(self.state.get("findings", []))["error"]
        if errors:
            yield Static(f"The checks found {problem_count_text(self.state['findings'])}; the "
                         "files can still be written, but fix the errors before you upload them.",
                         id="review-errors", classes="error-text", markup=False)
        yield from self.compose_write_progress()

    def on_screen_resume(self) -> None:
        # Back from Next steps: the files now exist, so say so (the dialog asks anyway).
        plan = self.state["plan"]
        self.existing = {p.path for p in plan if p.path.exists()}
        self.query_one("#plan", Static).update(plan_text(plan, self.existing, self.app.cwd))

    def leave_forward(self) -> None:
        errors = grouped(self.state.get("findings", []))["error"]
        if not errors:
            self.ask_to_replace()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.ask_to_replace()
            else:
                self.show_error("Nothing was written. Go Back to change the input or target.")

        self.app.push_screen(ConfirmDialog(
            f"The checks found {len(errors)} error(s). Write the files anyway?",
            title="Write despite errors?", details=[f"{f.id}: {f.message}" for f in errors],
            yes="Write anyway", no="Do not write", default_no=True,
        ), answered)


@dataclass(frozen=True)
class WrittenCert:
    path: Path
    cn: str
    sha256: str


class NextStepsStep(FlowStep):
    """What was written (read back from disk, with fingerprints), then the product's next steps."""

    title = "Next steps"
    next_label = "Done"
    help_topic = "import-next-steps"
    AUTO_FOCUS = "#next"

    def compose_body(self) -> ComposeResult:
        written = self.state.get("written", [])
        yield Static(f"Wrote {len(written)} file(s) into "
                     f"{self.folder_text(written)}. Read back from disk:",
                     id="done-headline", markup=False)
        yield Static("", id="written", markup=False)
        yield Label("Next steps", classes="section-title")
        yield Static("\n".join(self.state.get("next_steps", [])), id="next-steps", markup=False)
        with Horizontal(classes="result-buttons"):
            yield Button("Copy next steps", id="copy-steps", compact=True)
            yield Button("Copy file list", id="copy-files", compact=True)
        self.rows: list[WrittenCert] = []

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
            rows = await asyncio.to_thread(read_written, self.state.get("written", []))
        except CollabcertError as exc:
            self.show_error(f"Could not read back a written file: {exc}")
            rows = []
        finally:
            self.busy = False
        self.rows = [row for row, _mode in rows]
        self.query_one("#written", Static).update(written_text(rows))

    def list_text(self) -> str:
        from collabcert.model import colon_hex

        return "\n".join(f"{display_path(r.path, self.app.cwd)}  {r.cn}  SHA-256 "
                         f"{colon_hex(r.sha256)}" for r in self.rows)

    @on(Button.Pressed, "#copy-steps")
    def action_copy_steps(self) -> None:
        copy_text(self.app, "\n".join(self.state.get("next_steps", [])), "the next steps")

    @on(Button.Pressed, "#copy-files")
    def action_copy_files(self) -> None:
        copy_text(self.app, self.list_text(), "the list of written files")

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy the next steps", "For a ticket or the customer", self.action_copy_steps),
            ("Copy the list of written files", "With SHA-256 fingerprints",
             self.action_copy_files),
        )


def written_text(rows: list[tuple[WrittenCert, str]]) -> str:
    """`name.pem  mode 0644` then `   1. CN  SHA-256 AB:CD:…` per certificate, in file order."""
    from collabcert.model import colon_hex

    lines: list[str] = []
    last: Path | None = None
    number = 0
    for row, mode in rows:
        if row.path != last:
            last, number = row.path, 0
            count = sum(1 for r, _m in rows if r.path == row.path)
            lines.append(f"{row.path.name}  (mode {mode}, {plural(count, 'certificate')})")
        number += 1
        lines.append(f"   {number}. {row.cn}  SHA-256 {colon_hex(row.sha256[:16])}…")
    return "\n".join(lines)


def read_written(paths: list[Path]) -> list[tuple[WrittenCert, str]]:
    """Each certificate of each written file, read back through the engine, with the mode."""
    from collabcert.chain import fingerprint
    from collabcert.load import load_path

    rows = []
    for path in paths:
        mode = f"{path.stat().st_mode & 0o777:04o}"
        for cert in load_path(path).certificates:
            rows.append((WrittenCert(path, _cn(cert), fingerprint(cert)), mode))
    return rows


def _cn(cert: Any) -> str:
    from collabcert import dn

    return dn.label(cert)
