"""Lab CA: sign a CSR someone sent with a CA of your own: CSR -> CA, role, days -> review ->
written. Also reached from "Create a key and CSR" (Done: "Sign it with a lab CA"), which skips
the CSR step (LabCaFromCsrFlow).

The lab CA job (collabcert.jobs.ca, as `collabcert ca init` / `ca sign`) checks and signs; a new
CA is made on the options step and written with the certificate after the review, through
collabcert.files (tui/write_step.PlanWriteStep). The flow's state is screens/labca_state.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from collabcert import roles
from collabcert.ca import MAX_DAYS
from collabcert.errors import CollabcertError, InputError
from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.labca_state import (
    NO_ROLE,
    LabCaState,
    csr_of,
    csr_san_texts,
    days_problem,
    folder_text,
    prepare,
    use_csr,
)
from collabcert.tui.clipboard import copy_text
from collabcert.tui.flow import Flow, FlowStep, PaletteCommand
from collabcert.tui.loading import LoadResult
from collabcert.tui.paths import display_path
from collabcert.tui.picker import PathSuggester
from collabcert.tui.write_step import PlanWriteStep, mode_text


class LabCaCsrStep(ChooseFilesStep):
    title = "Choose the CSR"
    intro = ("Choose the CSR to sign (PEM or DER), type its path, or paste it. Next reads it "
             "and checks its signature.")
    nothing_chosen = "Choose the CSR file (Enter in Browse), type its path, or paste it."

    def use(self, result: LoadResult) -> str:
        problem = super().use(result)
        if problem:
            return problem
        try:
            use_csr(self.state, *csr_of(result))
        except InputError as exc:
            return str(exc)
        return ""


def role_options() -> list[tuple[str, str]]:
    plain = [("none: a plain TLS certificate (serverAuth + clientAuth)", NO_ROLE)]
    return plain + [(f"{r.id}: {r.title}", r.id) for r in roles.catalogue()]


class LabCaOptionsStep(FlowStep):
    title = "CA, role and validity"
    help_topic = "labca-options"
    FIELD_HELP = {"ca-folder": "labca-options", "role": "labca-options",
                  "days": "labca-options", "out-folder": "output-folder"}
    AUTO_FOCUS = "#ca-folder"

    def compose_body(self) -> ComposeResult:
        state: LabCaState = self.state
        yield Static(self._csr_line(), id="csr-line", markup=False)
        yield Label("CA folder (made by collabcert ca init, or new):", classes="section-title")
        yield Input(state.ca_folder, placeholder="lab-ca", id="ca-folder",
                    suggester=PathSuggester())
        yield Static("", id="ca-state", markup=False)
        with Horizontal(classes="result-buttons"):
            yield Checkbox("Create a new lab CA if none", state.create, id="create",
                           compact=True)
            yield Checkbox("with an intermediate", state.intermediate, id="intermediate",
                           compact=True)
        yield Label("Role (its key usage and EKU):", classes="section-title")
        yield Select(role_options(), value=state.role_id, allow_blank=False, id="role")
        yield Label(f"Days valid (1 to {MAX_DAYS}; never past the CA nor 2049-12-31):",
                    classes="section-title", markup=False)
        yield Input(state.days, id="days", type="integer", max_length=3)
        yield Label("Write the files into:", classes="section-title")
        yield Input(state.out_folder, placeholder="next to the CSR", id="out-folder",
                    suggester=PathSuggester())

    def _csr_line(self) -> str:
        from collabcert.dn import name_label

        state: LabCaState = self.state
        where = display_path(state.csr_path, self.app.cwd) if state.csr_path else state.csr_name
        sans = ", ".join(csr_san_texts(state.csr)) or "(none)"
        return f"Signing {where}: {name_label(state.csr.subject)}\nSANs {sans}"

    def on_mount(self) -> None:
        super().on_mount()
        self._refresh()

    def save(self) -> None:
        state: LabCaState = self.state
        state.ca_folder = self.query_one("#ca-folder", Input).value
        state.create = self.query_one("#create", Checkbox).value
        state.intermediate = self.query_one("#intermediate", Checkbox).value
        state.role_id = str(self.query_one("#role", Select).value)
        state.days = self.query_one("#days", Input).value
        state.out_folder = self.query_one("#out-folder", Input).value

    def _refresh(self) -> None:
        self.save()
        self.query_one("#ca-state", Static).update(folder_text(self.state, self.app.cwd))

    @on(Input.Changed, "#ca-folder")
    @on(Checkbox.Changed)
    def changed(self) -> None:
        self._refresh()

    def check(self) -> str:
        return days_problem(self.state.days)

    def leave_forward(self) -> None:
        state: LabCaState = self.state

        def keep(made: tuple[Any, Any]) -> None:
            state.new_ca, state.result = made

        self.go_next_after(lambda: prepare(state, self.app.cwd, self.app.now()), keep)


class LabCaReviewStep(PlanWriteStep):
    title = "Review"
    help_topic = "review"
    AUTO_FOCUS = "#plan"

    def compose_body(self) -> ComposeResult:
        yield Static(summary_text(self.state, self.app.cwd), id="review-summary", markup=False)
        yield from self.compose_plan()
        yield from self.compose_write_progress()

    def on_mount(self) -> None:
        super().on_mount()
        self.fill_plan()

    def start_write(self, force: bool) -> None:
        from collabcert.jobs.ca import make_folder

        if self.state.new_ca is not None:
            try:
                make_folder(self.state.new_ca.folder)  # a new CA's folder: 0700, keys inside
            except CollabcertError as exc:
                self.show_error(f"Nothing was written: {exc}")
                return
        super().start_write(force)


def summary_text(state: LabCaState, cwd: Path) -> str:
    """Who gets what: the certificate's subject, SANs, usages, validity, and the notes."""
    from collabcert.dn import rfc4514

    result = state.result
    cert = result.certificate
    lines = [
        f"Subject   {rfc4514(cert.subject)}",
        f"SANs      {', '.join(result.sans) or '(none)'}",
        f"Role      {result.role.id if result.role else 'none (plain TLS certificate)'}",
        f"EKU       {', '.join(result.eku)}",
        f"Issuer    {rfc4514(cert.issuer)}",
        f"Valid to  {cert.not_valid_after_utc:%Y-%m-%d} ({state.days} days asked)",
    ]
    if state.new_ca is not None:
        folder = display_path(state.new_ca.folder, cwd)
        lines.append(f"New CA    {folder} (made now, written with the certificate)")
    lines += list(result.notes)
    return "\n".join(lines)


class LabCaDoneStep(FlowStep):
    title = "Written"
    next_label = "Done"
    help_topic = "labca-done"
    AUTO_FOCUS = "#copy-cert"

    def compose_body(self) -> ComposeResult:
        from collabcert.model import colon_hex

        result = self.state.result
        fingerprint = result.to_json()["fingerprint"]
        yield Static(f"Wrote {len(self.state.written)} file(s). Certificate SHA-256:\n"
                     f"{colon_hex(str(fingerprint))}", id="done-headline", markup=False)
        with Horizontal(classes="result-buttons"):
            yield Button("Copy certificate", id="copy-cert", compact=True)
            yield Button("Copy next steps", id="copy-steps", compact=True)
            yield Button("Sign another", id="again", compact=True)
        yield DataTable(cursor_type="row", zebra_stripes=True, id="written")
        yield Label("Next steps", classes="section-title")
        yield Static(self.steps_text(), id="next-steps", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#written", DataTable)
        table.add_columns("File", "Holds", "Mode")
        written = set(self.state.written)
        for planned in self.state.plan:
            if planned.path in written:
                table.add_row(Text(display_path(planned.path, self.app.cwd)),
                              Text(planned.what), Text(mode_text(planned.private)))

    def steps_text(self) -> str:
        from collabcert.citations import plain_citations

        steps = self.state.result.next_steps  # the job's, as `collabcert ca sign` prints them
        return plain_citations("\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1)))

    @on(Button.Pressed, "#copy-cert")
    def action_copy_cert(self) -> None:
        result = self.state.result
        copy_text(self.app, result.files[0].data.decode("ascii"),
                  f"the certificate {result.certificate_file.name}")

    @on(Button.Pressed, "#copy-steps")
    def action_copy_steps(self) -> None:
        copy_text(self.app, self.steps_text(), "the next steps")

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        self.app.start_task("labca")

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy the certificate", "PEM text to the clipboard", self.action_copy_cert),
            ("Copy the next steps", "Where to upload what", self.action_copy_steps),
            ("Sign another CSR", "Start the Lab CA task again", self.action_again),
        )


class LabCaFlow(Flow):
    state_type: ClassVar[type] = LabCaState
    steps = (LabCaCsrStep, LabCaOptionsStep, LabCaReviewStep, LabCaDoneStep)


class LabCaFromCsrFlow(LabCaFlow):
    """After "Create a key and CSR": the CSR just written is the one to sign."""

    steps = (LabCaOptionsStep, LabCaReviewStep, LabCaDoneStep)


def sign_new_csr(app: Any, csr_path: Path, role_id: str) -> None:
    """Start LabCaFromCsrFlow for the CSR the CSR flow wrote (its role preselected)."""
    from collabcert.ca import read_csr

    try:
        csr = read_csr(csr_path)
    except CollabcertError as exc:
        app.notify(f"The CSR cannot be read back: {exc}", severity="error", markup=False)
        return
    flow = LabCaFromCsrFlow()
    use_csr(flow.state, csr, str(csr_path), csr_path)
    flow.state.role_id = role_id
    app.action_go_home()
    app.push_screen(flow.make_step(0))
