"""Check a live server: which server (targets, SNI, role, trust) -> what it presents.

The probe job (collabcert.jobs.probe, the same as `collabcert probe`) connects to each target,
records the chain as presented and judges it with lint's rules; this flow shows one line per
target while it runs (waiting, connecting, done: collabcert.tui.progress, fed by the job's
progress callback from its threads), then those lines, the chains as the Inspect flow shows
them, and the findings; Save writes each chain as
one PEM (leaf first) with the safe writer; Copy summary copies the plain report for a ticket.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select, Static

from collabcert.screens.check_state import role_options
from collabcert.screens.probe_state import (
    NO_ROLE,
    ProbeState,
    chain_paths,
    progress_board,
    run_probe,
    save_chains,
    status_lines,
    target_problem,
)
from collabcert.tui.chainview import CertPathTree, related
from collabcert.tui.clipboard import copy_text
from collabcert.tui.findings import FindingsPanel, count_text
from collabcert.tui.flow import Flow, FlowStep, PaletteCommand
from collabcert.tui.progress import ProgressLines, thread_reporter
from collabcert.tui.progress_board import ProgressBoard

PROBING = "Probing ... (Back stops)"


class ProbeStep(FlowStep):
    @property
    def state(self) -> ProbeState:  # type: ignore[override]
        return self.flow.state


class ProbeTargetStep(ProbeStep):
    """Which server: the address(es), the name to send, the role and the trust list."""

    title = "Which server"
    next_label = "Probe"
    help_topic = "probe-target"
    FIELD_HELP = {"targets": "probe-target", "sni": "probe-target", "role": "check-roles",
                  "trust": "probe-target", "timeout": "probe-target"}
    AUTO_FOCUS = "#targets"
    board: ProgressBoard | None = None  # the run in progress; a report of another is dropped

    def compose_body(self) -> ComposeResult:
        state = self.state
        form = "probe-form"  # hidden while probing, so the progress lines are in view
        yield Static("collabcert connects, reads the certificates the server presents and "
                     "checks them; it trusts nothing itself and sends no certificate.",
                     classes=f"hint {form}", markup=False)
        yield Label("Server(s): host[:port], port 443 if not given",
                    classes=f"section-title {form}")
        yield Input(state.targets, id="targets", compact=True, classes=form,
                    placeholder="expe.example.com:8443, 10.48.36.215:8443")
        yield Label("Name to send (SNI): empty = the host; none for an address",
                    classes=f"section-title {form}")
        yield Input(state.sni, id="sni", compact=True, placeholder="(empty: the host)",
                    classes=form)
        yield Label("Role of the server certificate:", classes=f"section-title {form}")
        yield Select([("No role: general rules only", NO_ROLE), *role_options()],
                     value=state.role, allow_blank=False, id="role", classes=form)
        yield Label("CA certificates the clients trust (a file; empty = trust not checked):",
                    classes=f"section-title {form}")
        yield Input(state.trust, id="trust", compact=True, placeholder="root-ca.pem",
                    classes=form)
        yield Label("Seconds to wait for each server:", classes=f"section-title {form}")
        yield Input(state.timeout, id="timeout", compact=True, placeholder="5", classes=form)
        lines = ProgressLines("", id="probe-progress", markup=False)
        lines.display = False
        yield lines

    def save(self) -> None:
        state = self.state
        state.targets = self.query_one("#targets", Input).value
        state.sni = self.query_one("#sni", Input).value
        state.trust = self.query_one("#trust", Input).value
        state.timeout = self.query_one("#timeout", Input).value
        role = self.query_one("#role", Select).value
        state.role = role if isinstance(role, str) else NO_ROLE

    def check(self) -> str:
        return target_problem(self.state)

    def leave_forward(self) -> None:
        state, now, base = self.state, self.app.now(), self.app.cwd
        board = self.board = progress_board(state, now)
        self._show_progress(board)
        report = thread_reporter(lambda: self.board is board and self in self.app.screen_stack,
                                 lambda event: self._progressed(board, event))
        self.show_error(PROBING)
        self.go_next_after(lambda: run_probe(state, base, now, report), self._keep)

    def _show_progress(self, board: ProgressBoard | None) -> None:
        """The lines instead of the form while `board` runs; the form again without one."""
        self.query(".probe-form").set(display=board is None)
        lines = self.query_one("#probe-progress", ProgressLines)
        if board is None:
            lines.display = False
        else:
            lines.show(board)
            self.query_one("#body").scroll_home(animate=False)

    def _progressed(self, board: ProgressBoard, event) -> None:
        board.apply(event)
        self.query_one("#probe-progress", ProgressLines).show(board)

    def show_error(self, message: str) -> None:
        super().show_error(message)
        if message and message != PROBING:
            # Stopped (Back), or the job refused (a trust file it cannot read): the form again.
            # The threads end within their timeout; what they still report is dropped.
            self._stop_showing()

    def _stop_showing(self) -> None:
        self.board = None
        self._show_progress(None)

    def _keep(self, result) -> None:
        self._stop_showing()  # Back from the result finds the form
        self.state.result = result
        self.state.saved = ()


class ProbeResultStep(ProbeStep):
    """One line per target, the chains presented, the findings; Save and Copy summary."""

    title = "What it presents"
    next_label = "Done"
    help_topic = "probe-result"
    AUTO_FOCUS = "#body FindingItem, #save"
    BINDINGS = [Binding("c", "copy_summary", "Copy summary", id="probe.copy_summary")]

    def compose_body(self) -> ComposeResult:
        from collabcert.probe_report import report_text

        result = self.state.result
        assert result is not None  # set by ProbeTargetStep before this step opens
        verdict = "FAILED" if result.exit_code else "Passed"
        yield Static(f"{verdict}: {len(result.records)} server(s); "
                     f"{count_text(result.findings)}.", id="probe-headline", markup=False)
        yield Static("\n".join(status_lines(result, self.app.now())), id="probe-status",
                     markup=False)
        paths = chain_paths(result, self.app.now())
        if related(paths):
            yield CertPathTree(paths, id="chain-tree")
        with Horizontal(classes="result-buttons"):
            yield Button("Save chains", id="save", compact=True, disabled=not result.files)
            yield Button("Copy summary", id="copy-summary", compact=True)
        yield Static("", id="probe-saved", markup=False)
        self.report = report_text(result)
        yield FindingsPanel(result.findings, report=self.report, what="the probe report",
                            id="probe-findings")

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from collabcert.errors import CollabcertError

        result = self.state.result
        if result is None:
            return
        try:
            written = save_chains(result)
        except CollabcertError as exc:
            self.query_one("#probe-saved", Static).update(f"Not saved: {exc}")
            return
        self.state.saved = tuple(str(p) for p in written)
        self.query_one("#probe-saved", Static).update(
            "Saved: " + ", ".join(self.state.saved))
        self.query_one("#save", Button).disabled = True

    @on(Button.Pressed, "#copy-summary")
    def action_copy_summary(self) -> None:
        copy_text(self.app, self.report, "the probe report")

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Save the presented chains", "One PEM per server, leaf first", self.action_save),
            ("Copy the probe report", "Plain text for a ticket", self.action_copy_summary),
            ("Check another server", "Back to the address", self.action_back),
        )


class ProbeFlow(Flow):
    steps = (ProbeTargetStep, ProbeResultStep)
    state_type: ClassVar[type] = ProbeState

    def __init__(self) -> None:
        super().__init__()
        self.state: ProbeState = ProbeState()  # type: ignore[assignment]  # typed flow state
