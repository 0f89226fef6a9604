"""Convert: pick files, see what each is, choose the output, review the names, write, see results.

The engine's convert job (collabcert.jobs.convert, as `collabcert convert`) plans and reads back;
collabcert.files.write_plan writes. Planning, writing and reading back run in threads, so
hundreds of files never freeze the screen. The flow's state is screens/convert_state.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from collabcert.citations import plain_citations  # seed ids said as document names, once each
from collabcert.display import shown
from collabcert.errors import CollabcertError
from collabcert.jobs.convert import LEGACY_P12_WHEN, WrittenObject, read_back
from collabcert.jobs.inspect import KIND_WORDS
from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.convert_state import (
    ConvertState,
    OutputChoice,
    input_keys,
    plan,
    shown_name,
    skipped_lines,
)
from collabcert.tui.clipboard import copy_text
from collabcert.tui.dialogs import PasswordDialog
from collabcert.tui.flow import Flow, FlowStep, PaletteCommand
from collabcert.tui.loading import LoadResult, Source
from collabcert.tui.objects import plural, short_fp
from collabcert.tui.paths import display_path
from collabcert.tui.picker import PathSuggester
from collabcert.tui.write_step import PlanWriteStep, mode_text

FORMATS: tuple[tuple[str, str, str], ...] = (
    ("pem", "PEM", "text; what Expressway and Meeting Server want"),
    ("der", "DER", "binary, one object per file (.der)"),
    ("p7b", "PKCS#7", "several certificates in one .p7b (no keys)"),
    ("p12", "PKCS#12", "certificate, key and chain in one .p12, with a password"),
)


def holds_text(source: Source) -> str:
    """`2 certificates (PKCS#7 DER), 1 private key (PEM)` or the reason it could not be read."""
    if source.loaded is None:
        return "not read: " + source.problem.removeprefix(f"{source.name}: ")
    groups: dict[tuple[str, str], int] = {}
    for item in source.loaded.items:
        word = KIND_WORDS.get(str(item.kind), str(item.kind))
        key = (word if word.isupper() else word.lower(), item.encoding)  # CSR stays CSR
        groups[key] = groups.get(key, 0) + 1
    parts = [f"{plural(n, word)} ({enc})" for (word, enc), n in groups.items()]
    return ", ".join(parts)


class ConvertWhatStep(FlowStep):
    title = "What each file is"
    help_topic = "convert-what"
    AUTO_FOCUS = "#what"

    def compose_body(self) -> ComposeResult:
        result: LoadResult = self.state.load
        yield Label(f"{len(result.loaded)} of {len(result.sources)} input(s) can be converted.",
                    markup=False)
        yield DataTable(cursor_type="row", zebra_stripes=True, id="what")
        # a reason is longer than its cell at 80 columns: said in full, wrapped, under the table
        unread = [s.problem for s in result.sources if s.loaded is None and s.problem]
        if unread:
            yield Static("Left out, not read:\n" + "\n".join(f"- {shown(p)}" for p in unread),
                         id="unread", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#what", DataTable)
        table.add_columns("File", "Holds")
        for source in self.state.load.sources:
            table.add_row(Text(source.name), Text(holds_text(source)))


CHOSEN = "  <- chosen"


def mark_chosen(radios: RadioSet) -> None:
    """Say in words which option is on: the radio dot differs only by colour (NO_COLOR)."""
    for button in radios.query(RadioButton):
        text = str(button.label).removesuffix(CHOSEN)
        button.label = text + CHOSEN if button.value else text


class ConvertOutputStep(FlowStep):
    title = "Choose the output"
    help_topic = "output-format"
    FIELD_HELP = {
        "format": "output-format",
        "p12-key": "pkcs12-key",
        "set-password": "password",
        "p12-legacy": "pkcs12-legacy",
        "where": "output-folder",
        "folder": "output-folder",
    }
    AUTO_FOCUS = "#format"

    def compose_body(self) -> ComposeResult:
        settings_folder = self.app.settings.output_folder
        if self.state.output is None:
            self.state.output = OutputChoice(to_folder=bool(settings_folder),
                                             folder=settings_folder)
        choice = self.state.output
        yield Label("Convert to:", classes="section-title")
        with RadioSet(id="format"):
            for value, name, meaning in FORMATS:
                yield RadioButton(f"{name}: {meaning}", value=choice.format == value,
                                  id=f"fmt-{value}")
        with Vertical(id="p12-options"):
            yield Label("PKCS#12 options", classes="section-title")
            keys = input_keys(self.state.load)
            if keys:
                options = [(label, index) for index, (label, _) in enumerate(keys)]
                value = choice.key_index if choice.key_index < len(keys) else 0
                yield Select(options, value=value, allow_blank=False, id="p12-key")
            else:
                yield Label("No private key in the inputs: go Back and add the key file.",
                            classes="error-text")
            with Horizontal(classes="result-buttons"):
                yield Button("Set password…", id="set-password", compact=True)
                yield Label("", id="password-state", markup=False)
            yield Checkbox("Legacy PKCS#12 for old importers", value=choice.p12_legacy,
                           id="p12-legacy", compact=True)
            yield Static(f"Legacy: {LEGACY_P12_WHEN}.", id="p12-legacy-when", markup=False,
                         classes="hint")
        yield Label("Write the files:", classes="section-title")
        with RadioSet(id="where"):
            yield RadioButton("next to each input file", value=not choice.to_folder, id="beside")
            yield RadioButton("into this folder:", value=choice.to_folder, id="to-folder")
        yield Input(choice.folder, placeholder="folder for the new files", id="folder",
                    suggester=PathSuggester())

    def on_mount(self) -> None:
        super().on_mount()
        self._refresh()

    @property
    def choice(self) -> OutputChoice:
        return self.state.output

    def _refresh(self) -> None:
        self.save()
        self.query_one("#p12-options").display = self.choice.format == "p12"
        self.query_one("#folder", Input).disabled = not self.choice.to_folder
        mark_chosen(self.query_one("#format", RadioSet))
        mark_chosen(self.query_one("#where", RadioSet))
        state = "password set (asked twice)" if self.choice.password else "no password yet"
        self.query_one("#password-state", Label).update(state)

    def save(self) -> None:
        choice = self.choice
        pressed = self.query_one("#format", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            choice.format = pressed.id.removeprefix("fmt-")
        keys = self.query("#p12-key")
        if keys:
            choice.key_index = int(keys.first(Select).value)
        choice.p12_legacy = self.query_one("#p12-legacy", Checkbox).value
        where = self.query_one("#where", RadioSet).pressed_button
        choice.to_folder = where is not None and where.id == "to-folder"
        choice.folder = self.query_one("#folder", Input).value

    @on(RadioSet.Changed)
    def radio_changed(self) -> None:
        self._refresh()

    @on(Button.Pressed, "#set-password")
    def ask_password(self) -> None:
        def got(password: bytes | None) -> None:
            if password is not None:
                self.choice.password = password
            self._refresh()

        self.app.push_screen(
            PasswordDialog("Password that will protect the PKCS#12 file (type it twice):",
                           twice=True),
            got,
        )

    def check(self) -> str:
        choice = self.choice
        if choice.format == "p12":
            if not input_keys(self.state.load):
                return "A PKCS#12 needs the private key: go Back and add the key file."
            if not choice.password:
                return "Set the password that protects the PKCS#12 (Set password…)."
        if choice.to_folder:
            if not choice.folder.strip():
                return "Type the folder for the new files, or choose next to each input."
            folder = choice.out_dir(self.app.cwd)
            if folder is not None and not folder.is_dir():
                return f"{choice.folder}: the folder does not exist; create it first."
        return ""

    def leave_forward(self) -> None:
        from collabcert import files

        state: ConvertState = self.state

        def job() -> object:
            result = plan(state, self.app.cwd)  # the convert job; blocked: its one sentence
            # name clashes, unwritable folder, an output that is an input: now, before Review
            files.check_plan(result.planned, force=True, inputs=state.load.paths)
            return result

        self.go_next_after(job, lambda result: setattr(state, "result", result))


class ConvertReviewStep(PlanWriteStep):
    title = "Review"
    help_topic = "review"
    AUTO_FOCUS = "#plan"

    def compose_body(self) -> ComposeResult:
        yield from self.compose_plan()
        result = self.state.result
        if result is not None and result.renamed:  # issue 12 item 2: say why a name changed
            yield Static("Renamed so no two outputs share a name:\n"
                         + "\n".join(r.sentence() for r in result.renamed),
                         id="review-renamed", classes="hint", markup=False)
        if result is not None and result.notes:  # an encrypted key written unlocked (item 3)
            yield Static("\n".join(shown_name(self.state.load, n.split(": ", 1)[0])
                                   + ": " + n.split(": ", 1)[-1] for n in result.notes),
                         id="review-notes", classes="error-text", markup=False)
        yield from self.compose_write_progress()

    def on_mount(self) -> None:
        super().on_mount()
        self.fill_plan()


class ConvertDoneStep(FlowStep):
    title = "Written"
    next_label = "Done"
    help_topic = "convert-done"
    AUTO_FOCUS = "#written"

    def compose_body(self) -> ComposeResult:
        count = len(self.state.written)
        yield Static(f"Wrote {count} file(s). Fingerprints are read back from the files on disk.",
                     id="done-headline", markup=False)
        yield ProgressBar(total=max(count, 1), show_eta=False, id="read-progress")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="written")
        yield Static("", id="detail", markup=False)
        skipped = skipped_lines(self.state)
        if skipped:  # issue 12 item 3: which inputs gave nothing, and why
            yield Static(f"Skipped {len(skipped)} input(s):\n" + "\n".join(skipped),
                         id="skipped", classes="hint", markup=False)
        with Horizontal(classes="result-buttons"):
            yield Button("Copy file content", id="copy-file", compact=True)
            yield Button("Copy list", id="copy-list", compact=True)
            yield Button("Convert more", id="again", compact=True)
            yield Button("Copy summary for a ticket", id="copy-ticket", compact=True)
        steps = self.state.result.next_steps if self.state.result else ()
        if steps:  # the convert job's, as `collabcert convert` prints them
            yield Label("Next steps", classes="section-title")
            yield Static(plain_citations("\n".join(f"{n}. {step}"
                                                    for n, step in enumerate(steps, 1))),
                         id="next-steps", markup=False)
        self.rows: list[WrittenObject] = []

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#written", DataTable).add_columns("File", "Holds", "Subject CN", "SHA-256")
        self.busy = True
        self.read_back()

    @work(exclusive=True, group="read-back", exit_on_error=False)
    async def read_back(self) -> None:
        bar = self.query_one("#read-progress", ProgressBar)
        table = self.query_one("#written", DataTable)
        planned = self.state.plan
        try:
            for number, path in enumerate(self.state.written):
                for row in await asyncio.to_thread(read_back, path, planned):
                    self.rows.append(row)
                    table.add_row(Text(display_path(path, self.app.cwd)), Text(row.kind),
                                  Text(row.name), Text(short_fp(row.sha256)))
                bar.update(progress=number + 1)
        except CollabcertError as exc:
            self.show_error(f"Could not read back a written file: {exc}")
        finally:
            self.busy = False
            bar.display = False
        self.show_detail(0)

    def show_detail(self, index: int) -> None:
        if not self.rows:
            return
        from collabcert.model import colon_hex

        row = self.rows[min(index, len(self.rows) - 1)]
        label = "Public key SHA-256" if row.kind == "Private key" else "SHA-256"
        self.query_one("#detail", Static).update(
            f"{display_path(row.path, self.app.cwd)}  ({row.kind}, mode {mode_text(row.private)})\n"
            f"{label}: {colon_hex(row.sha256)}"
        )

    def ticket(self) -> str:
        from collabcert.report import ticket_summary

        cwd = self.app.cwd
        load = self.state.load
        names = [source.name for source in load.sources] if load is not None else []
        written = [f"{display_path(r.path, cwd)}: {r.kind} {r.name}".rstrip() for r in self.rows]
        steps = self.state.result.next_steps if self.state.result else ()
        return ticket_summary("Convert files", [f"Convert {', '.join(names)}"], written, [],
                              steps)

    @on(DataTable.RowHighlighted, "#written")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    def selected_row(self) -> WrittenObject | None:
        if not self.rows:
            return None
        cursor = self.query_one("#written", DataTable).cursor_row or 0
        return self.rows[min(cursor, len(self.rows) - 1)]

    @on(Button.Pressed, "#copy-file")
    def action_copy_file(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if not row.text:
            self.notify("That file is binary (DER, PKCS#7 or PKCS#12); only text can be copied.",
                        severity="warning", markup=False)
            return
        copy_text(self.app, row.text, display_path(row.path, self.app.cwd), private=row.private)

    def list_text(self) -> str:
        return "\n".join(r.line(display_path(r.path, self.app.cwd)) for r in self.rows)

    @on(Button.Pressed, "#copy-list")
    def action_copy_list(self) -> None:
        copy_text(self.app, self.list_text(), "the list of written files")

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        self.app.start_task("convert")

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy the selected file's content", "PEM text to the clipboard",
             self.action_copy_file),
            ("Copy the list of written files", "With fingerprints, for a ticket",
             self.action_copy_list),
            ("Convert more files", "Start the conversion again", self.action_again),
        )


class ConvertFlow(Flow):
    state_type: ClassVar[type] = ConvertState
    steps = (ChooseFilesStep, ConvertWhatStep, ConvertOutputStep, ConvertReviewStep,
             ConvertDoneStep)
