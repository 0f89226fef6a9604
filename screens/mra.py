"""MRA readiness: would Expressway-C X14.2+ accept what each CUCM / IM&P / Unity node presents?

Nodes and addresses -> the Expressway-C trust list -> version, settings and an optional pasted
log -> the verdict table (PASS / FAIL / UNCERTAIN per node, certificate and address) with the
Expressway log line each failure would produce and its fix (seed-000-002 §2.5, §5).

Instead of files, "Read nodes live" opens MraLiveStep in the nodes step's place: the nodes'
addresses are read as Expressway-C reads them (collabcert.jobs.probe_mra), one line per node
while it runs, and the verdict is the same job's (collabcert.jobs.mra.assess).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Static, TextArea

from collabcert.jobs.lint import LintResult
from collabcert.screens.mra_state import (
    FILES,
    LIVE,
    MraState,
    NodeEntry,
    live_board,
    live_key,
    live_outcome,
    live_problem,
    node_problem,
    read_live,
    run_assessment,
    split_addresses,
    unseen_lines,
)
from collabcert.tui.findings import FindingsPanel, count_text
from collabcert.tui.flow import Flow, FlowStep, PaletteCommand
from collabcert.tui.picker import PathSuggester, SourcePicker
from collabcert.tui.progress import ProgressLines, thread_reporter
from collabcert.tui.progress_board import ProgressBoard

FORM = ("node-name", "node-addresses", "node-ip", "node-tomcat", "node-ecdsa")
_RESULT_STYLE = {"PASS": "bold green", "FAIL": "bold red", "UNCERTAIN": "bold yellow"}


class MraStep(FlowStep):
    """A step of the MRA flow: its state is the flow's MraState."""

    @property
    def state(self) -> MraState:  # type: ignore[override]
        return self.flow.state


class MraNodesStep(MraStep):
    """Add each node: its name, the addresses Expressway-C uses, and the certificate files."""

    title = "Nodes and their certificates"
    help_topic = "mra-nodes"
    AUTO_FOCUS = "#node-name"  # layout: the MRA section of assets/app.tcss

    def compose_body(self) -> ComposeResult:
        yield Static("Add every CUCM, IM and Presence or Unity node Expressway-C proxies to. "
                     "Addresses: how Expressway-C reaches the node (CUCM System > Server, and "
                     "the IP if that is used). Files: what the node presents, exported from its "
                     "Certificate Management page.", classes="hint", markup=False)
        with Grid(id="node-form"):
            yield Label("Node name")
            yield Input(placeholder="cucm-pub (empty: the first address)", id="node-name",
                        compact=True)
            yield Label("Addresses")
            yield Input(placeholder="cucm.example.com, 10.0.0.5", id="node-addresses",
                        compact=True)
            yield Label("Node IP (optional)")
            yield Input(placeholder="10.0.0.5, for the log line", id="node-ip", compact=True)
            yield Label("tomcat file")
            yield Input(placeholder="tomcat.pem", id="node-tomcat", compact=True,
                        suggester=PathSuggester())
            yield Label("tomcat-ECDSA file")
            yield Input(placeholder="tomcat-ECDSA.pem (optional)", id="node-ecdsa",
                        compact=True, suggester=PathSuggester())
        yield Label("", id="node-error", classes="error-text", markup=False)
        with Horizontal(classes="node-buttons"):
            yield Button("Add node", id="add-node", variant="success", compact=True)
            yield Button("Remove selected node", id="remove-node", compact=True)
            yield Button("Read nodes live", id="read-live", compact=True)
        yield Label("", id="nodes-title", markup=False)
        yield DataTable(cursor_type="row", id="nodes")

    def on_mount(self) -> None:
        super().on_mount()
        for field_id in FORM:
            self.query_one(f"#{field_id}", Input).help_topic = "mra-nodes"
        table = self.query_one("#nodes", DataTable)
        table.add_columns("Node", "Addresses", "tomcat", "tomcat-ECDSA")
        self.refresh_nodes()

    def refresh_nodes(self) -> None:
        nodes = self.state.nodes
        table = self.query_one("#nodes", DataTable)
        table.clear()
        for entry in nodes:
            table.add_row(Text(entry.name), Text(", ".join(entry.addresses)),
                          Text(entry.tomcat or "-"), Text(entry.ecdsa or "-"))
        table.display = bool(nodes)
        self.query_one("#remove-node").display = bool(nodes)
        self.query_one("#nodes-title", Label).update(
            f"Nodes to judge: {len(nodes)}" if nodes else "No nodes yet: fill in the fields and "
            "press Add node.")

    def _form(self) -> NodeEntry:
        value = {f: self.query_one(f"#{f}", Input).value.strip() for f in FORM}
        addresses = split_addresses(value["node-addresses"])
        name = value["node-name"] or (addresses[0] if addresses else "")
        return NodeEntry(name, addresses, value["node-ip"], value["node-tomcat"],
                         value["node-ecdsa"])

    def _form_empty(self) -> bool:
        return not any(self.query_one(f"#{f}", Input).value.strip() for f in FORM)

    @on(Button.Pressed, "#add-node")
    def action_add_node(self) -> bool:
        entry = self._form()
        nodes = self.state.nodes
        problem = node_problem(entry, nodes, self.app.cwd)
        self.query_one("#node-error", Label).update(problem)
        if problem:
            return False
        nodes.append(entry)
        for field_id in FORM:
            field_input = self.query_one(f"#{field_id}", Input)
            with field_input.prevent(Input.Changed):
                field_input.value = ""
        self.refresh_nodes()
        self.query_one("#node-name", Input).focus()
        self.notify(f"Added node {entry.name}", markup=False, timeout=2)
        return True

    @on(Input.Submitted)
    def field_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == FORM[-1]:
            self.action_add_node()
        else:
            self.focus_next()

    @on(Button.Pressed, "#remove-node")
    def remove_node(self) -> None:
        nodes = self.state.nodes
        row = self.query_one("#nodes", DataTable).cursor_row
        if nodes and row is not None and 0 <= row < len(nodes):
            removed = nodes.pop(row)
            self.notify(f"Removed node {removed.name}", markup=False, timeout=2)
            self.refresh_nodes()

    def check(self) -> str:
        # A filled-in form counts: people press Next without pressing Add node first.
        if not self._form_empty() and not self.action_add_node():
            return str(self.query_one("#node-error", Label).content)
        if not self.state.nodes:
            return "Add at least one node (its addresses and its tomcat or tomcat-ECDSA file)."
        return ""

    def leave_forward(self) -> None:
        self.state.source = FILES  # the verdict judges the table's files
        super().leave_forward()

    @on(Button.Pressed, "#read-live")
    def action_read_live(self) -> None:
        """Instead of files: type the nodes' addresses and read what each presents."""
        self.save()
        self.app.push_screen(MraLiveStep(self.flow, self.index))

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (("Read the nodes live", "Type their addresses instead of giving files",
                 self.action_read_live),)


class MraLiveStep(MraStep):
    """In place of the node files: each node's address; what it presents is read live, as
    Expressway-C reads it (tomcat over RSA ciphers, tomcat-ECDSA over ECDSA ciphers, SNI the
    name and none for an IP: seed 002 L579-591), with one line per node while it runs."""

    title = "Nodes, read live"
    next_label = "Read live"
    help_topic = "mra-live"
    AUTO_FOCUS = "#live-addresses"
    board: ProgressBoard | None = None  # the read in progress; a report of another is dropped

    def compose_body(self) -> ComposeResult:
        state = self.state
        yield Static("collabcert connects to each node as Expressway-C does and reads the "
                     "tomcat and tomcat-ECDSA certificates it presents; it trusts nothing "
                     "itself and sends no certificate.", classes="hint", markup=False)
        yield Label("Node addresses: host[:port], 8443 if not given", classes="section-title")
        yield Input(state.live_text, id="live-addresses", compact=True,
                    placeholder="cucm.example.com, 10.48.36.215:8443")
        yield Label("Seconds to wait for each node:", classes="section-title")
        yield Input(state.live_timeout, id="live-timeout", compact=True, placeholder="5")
        lines = ProgressLines("", id="live-progress", markup=False)
        lines.display = False
        yield lines

    def on_mount(self) -> None:
        super().on_mount()
        state = self.state
        if state.live_reads and state.live_read_of == live_key(state.live_text):
            self._show_reads(state.live_reads)  # back from the trust step: as it ended

    def save(self) -> None:
        self.state.live_text = self.query_one("#live-addresses", Input).value
        self.state.live_timeout = self.query_one("#live-timeout", Input).value

    def check(self) -> str:
        return live_problem(self.state)

    @on(Input.Submitted)
    def field_submitted(self) -> None:
        self.action_next()

    def leave_forward(self) -> None:
        state = self.state
        read_already = state.live_read_of == live_key(state.live_text)
        if read_already and any(r.presented for r in state.live_reads):
            self._go_on()
            return
        board = self.board = live_board(state, self.app.now())
        lines = self.query_one("#live-progress", ProgressLines)
        lines.show(board, "Reading")
        self.call_after_refresh(lines.scroll_visible, animate=False)
        report = thread_reporter(lambda: self.board is board and self in self.app.screen_stack,
                                 lambda event: self._progressed(board, event))
        self.show_error(READING)
        self.busy = True
        self._read(board, report)

    @work(exclusive=True, group="step-work", exit_on_error=False)
    async def _read(self, board: ProgressBoard, report) -> None:
        from collabcert.errors import CollabcertError

        state = self.state
        key = live_key(state.live_text)
        try:
            reads = await asyncio.to_thread(read_live, state, report)
        except CollabcertError as exc:
            self.board = None
            self.show_error(str(exc))
            return
        finally:
            self.busy = False
        if self.board is not board:
            return  # stopped meanwhile
        self.board = None
        state.live_reads, state.live_read_of = reads, key
        self._show_reads(reads)
        outcome = live_outcome(reads)
        self.show_error(outcome)
        if not outcome:
            self._go_on()

    def _progressed(self, board: ProgressBoard, event) -> None:
        board.apply(event)
        self.query_one("#live-progress", ProgressLines).show(board, "Reading")

    def _show_reads(self, reads) -> None:
        """The lines as the read ended (each node done), from the reads kept in the state."""
        from collabcert.jobs.probe import DONE, TargetProgress

        board = live_board(self.state, self.app.now())
        for index, read in enumerate(reads):
            board.apply(TargetProgress(index, read.target.text, DONE, read))
        self.query_one("#live-progress", ProgressLines).show(board, "Read")

    def cancel_work(self) -> None:
        self.board = None  # the threads end within the timeout; what they report is dropped
        self.query_one("#live-progress", ProgressLines).display = False
        super().cancel_work()

    def _go_on(self) -> None:
        self.state.source = LIVE
        self.go_next()


READING = "Reading the nodes ... (Back stops)"


class MraTrustStep(MraStep):
    """The Expressway-C trusted CA list (the anchors of the verdict)."""

    title = "Expressway-C trust list"
    help_topic = "mra-trust"
    AUTO_FOCUS = "#tree"

    def compose_body(self) -> ComposeResult:
        yield Static("Choose the Expressway-C trusted CA list: on Expressway-C, Maintenance > "
                     "Security > Trusted CA certificate, Show all (PEM file), save it; or choose "
                     "the CA files it holds.", classes="hint", markup=False)
        yield SourcePicker(self.state.trust_picker, base=self.app.cwd, id="picker")

    def save(self) -> None:
        self.state.trust = self.query_one(SourcePicker).sources()

    def check(self) -> str:
        if self.state.trust.empty:
            return ("Choose the Expressway-C trusted CA list (an empty list trusts nothing, so "
                    "every node would fail).")
        return ""


class MraSettingsStep(MraStep):
    """Version and settings of Expressway-C, and an optional pasted log."""

    title = "Expressway-C version and settings"
    next_label = "Verdict"
    help_topic = "mra-settings"
    FIELD_HELP = {"mra-log": "mra-log"}
    AUTO_FOCUS = "#mra-version"

    def compose_body(self) -> ComposeResult:
        c = self.state
        yield Static("X14.2 and later verify the certificate of every node for the address used;"
                     " before X14.2 (or with VerifyOriginServer Off) the verdict says what will "
                     "fail after the upgrade.", classes="hint", markup=False)
        with Grid(id="mra-settings"):
            yield Label("Expressway-C version")
            yield Input(c.version, placeholder="X14.2", id="mra-version", compact=True)
            yield Label("Cipher string (optional)")
            yield Input(c.ciphers, placeholder="from Maintenance > Security > Ciphers",
                        id="mra-ciphers", compact=True)
            yield Label("Publisher address")
            yield Input(c.publisher_address, placeholder="as entered in Unified CM servers",
                        id="mra-publisher", compact=True)
        for box_id, value in (("mra-vos", c.verify_origin_server),
                              ("mra-tvm", c.tls_verify_mode), ("mra-openssl3", c.openssl3)):
            yield Checkbox(yes_no(box_id, value), value=value, id=box_id, compact=True)
        yield Label("Expressway log (optional): paste traffic-server lines or a diagnostic log",
                    classes="section-title")
        area = TextArea(c.log_text, id="mra-log", soft_wrap=True, tab_behavior="focus",
                        placeholder="WARNING: Core server certificate verification failed ...")
        area.help_topic = "mra-log"
        yield area

    @on(Checkbox.Changed)
    def box_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = yes_no(event.checkbox.id or "", event.value)

    def save(self) -> None:
        c = self.state
        c.version = self.query_one("#mra-version", Input).value
        c.ciphers = self.query_one("#mra-ciphers", Input).value
        c.publisher_address = self.query_one("#mra-publisher", Input).value
        c.verify_origin_server = self.query_one("#mra-vos", Checkbox).value
        c.tls_verify_mode = self.query_one("#mra-tvm", Checkbox).value
        c.openssl3 = self.query_one("#mra-openssl3", Checkbox).value
        c.log_text = self.query_one("#mra-log", TextArea).text

    def check(self) -> str:
        version = self.state.version.strip().lstrip("XxVv")
        if version and not all(p.isdigit() for p in version.split(".") if p):
            return "Type the version as X14.2 or 15.0 (System > Information on Expressway-C)."
        return ""

    def leave_forward(self) -> None:
        state, now = self.state, self.app.now()
        self.go_next_after(lambda: run_assessment(state, self.app.cwd, now), self._keep)

    def _keep(self, result: LintResult) -> None:
        self.state.result = result


CHECKBOXES = {
    "mra-vos": "VerifyOriginServer (xConfiguration EdgeConfigServer) On",
    "mra-tvm": "TLS Verify Mode of the Unified CM server On",
    "mra-openssl3": "Log errors spelled the OpenSSL 3 way (self-signed)",
}


def yes_no(box_id: str, value: bool) -> str:
    # The word, not only the tick: a compact checkbox looks nearly the same on and off.
    return f"{CHECKBOXES.get(box_id, box_id)}: {'yes' if value else 'no'}"


def result_cell(row: Any) -> Text:
    # `*`: refused only once X14.2 validation is enforced (a PASS needs no mark).
    word = row.result if row.enforced or row.result == "PASS" else f"{row.result}*"
    return Text(word, _RESULT_STYLE.get(row.result, ""))


def row_detail(row: Any) -> Text:
    text = Text()
    text.append(f"{row.result} ", _RESULT_STYLE.get(row.result, ""))
    text.append(f"{row.node}: {row.certificate} @ {row.address}")
    if row.rule:
        text.append(f" ({row.rule})")
    if not row.enforced and row.result != "PASS":
        text.append("\n* not enforced now; this is what X14.2+ with VerifyOriginServer On does.")
    text.append("\n")
    text.append("Why: ", "bold")
    text.append(row.message)
    if row.log_line:
        text.append("\n")
        text.append("Expressway log: ", "bold")
        text.append(row.log_line)
    if row.fix and row.result != "PASS":
        text.append("\n")
        text.append("Fix: ", "bold")
        text.append(row.fix)
    return text


class MraVerdictStep(MraStep):
    """The verdict table; the highlighted row's reason, log line and fix; then every finding."""

    title = "Verdict"
    next_label = "Done"
    help_topic = "mra-verdict"
    FIELD_HELP = {"verdicts": "mra-verdict"}
    AUTO_FOCUS = "#verdicts"
    BINDINGS = [Binding("c", "copy_report", "Copy report", id="mra.copy_report")]

    @property
    def result(self) -> LintResult:
        assert self.state.result is not None  # set by MraSettingsStep before this step opens
        return self.state.result

    def compose_body(self) -> ComposeResult:
        result = self.result
        yield Static(self.headline(result), id="mra-headline", markup=False)
        unseen = unseen_lines(self.state)
        if unseen:  # read live: a node that presented nothing is named, not judged
            yield Static("\n".join(["Not judged, presented no certificate:", *unseen]),
                         id="mra-unseen", markup=False)
        yield DataTable(cursor_type="row", zebra_stripes=True, id="verdicts")
        yield Static("", id="verdict-detail", markup=False)
        yield FindingsPanel(result.findings, report=result.text(),
                            what="the MRA readiness report", id="mra-findings")
        yield Button("Copy summary for a ticket", id="copy-ticket", compact=True)

    def headline(self, result: LintResult) -> str:
        rows = result.verdicts
        counts = {word: sum(r.result == word for r in rows) for word in
                  ("PASS", "FAIL", "UNCERTAIN")}
        shown = ", ".join(f"{n} {word}" for word, n in counts.items() if n)
        nodes = len({r.node for r in rows})
        enforced = all(r.enforced for r in rows)
        state = "" if enforced else " (* not enforced now: what X14.2+ will do)"
        ready = "Ready" if counts["FAIL"] == counts["UNCERTAIN"] == 0 else "NOT ready"
        return (f"{ready}: {nodes} node(s), {len(rows)} certificate x address check(s): "
                f"{shown}{state}; {count_text(result.findings)}.")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#verdicts", DataTable)
        table.add_columns("Result", "Node", "Certificate", "Address", "Rule")
        for number, row in enumerate(self.result.verdicts):
            table.add_row(result_cell(row), Text(row.node), Text(row.variant),
                          Text(row.address), Text(row.rule or "-"), key=str(number))
        self.show_row(0)

    def show_row(self, index: int | None) -> None:
        rows = self.result.verdicts
        if not rows or index is None:
            return
        self.query_one("#verdict-detail", Static).update(row_detail(rows[min(index,
                                                                            len(rows) - 1)]))

    @on(DataTable.RowHighlighted, "#verdicts")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_row(event.cursor_row)

    def action_copy_report(self) -> None:
        self.query_one(FindingsPanel).copy_report()

    def ticket(self) -> str:
        from collabcert.report import ticket_summary

        result = self.result
        return ticket_summary("MRA readiness", [self.headline(result)], [], result.findings,
                              [], found=[row.text() for row in result.verdicts])

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy the MRA readiness report", "Plain text for a ticket",
             self.action_copy_report),
            ("Change the nodes or settings", "Back to the settings", self.action_back),
        )


class MraFlow(Flow):
    steps = (MraNodesStep, MraTrustStep, MraSettingsStep, MraVerdictStep)
    state_type: ClassVar[type] = MraState

    def __init__(self) -> None:
        super().__init__()
        self.state: MraState = MraState()  # type: ignore[assignment]  # typed flow state

