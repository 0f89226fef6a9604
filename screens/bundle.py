"""Build a bundle or trust list: many files -> what to build -> findings -> files -> next steps.

Two kinds of output:
- a trust list: every certificate given, deduplicated and checked, as an Expressway trusted CA
  list (one PEM) or a CUCM `<purpose>-trust` upload set (one file per certificate, roots first);
  findings: same-CN pairs (TRUST-DUP-CN), CAs without basicConstraints (CHN-NOTCA), expired CAs,
  more than 1000 entries (CHN-MAX);
- a bundle for a target: the certificates ordered into one chain by signature (no key needed:
  a key inside the files, such as a .pfx, picks the leaf, else the leaf is the one that issued
  nothing), written as the target wants.

The engine work is the jobs' (screens/bundle_state.py calls them); these screens show it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Checkbox, DataTable, Label, RadioSet, Static

from collabcert.display import shown
from collabcert.dn import serial_text
from collabcert.jobs.bundle import BundleResult
from collabcert.jobs.trustlist import TrustListResult
from collabcert.screens.bundle_state import KINDS, BundleChoice, BundleState, build
from collabcert.screens.bundle_write import NextStepsStep, WriteFilesStep
from collabcert.screens.choose import ChooseFilesStep
from collabcert.tui.chaintree import ChainPreview, unused_text
from collabcert.tui.choices import Choice, ChoiceSet
from collabcert.tui.findings import FindingList, problem_count_text
from collabcert.tui.flow import Flow, FlowStep
from collabcert.tui.target_step import TargetOptionsStep


class BundleFilesStep(ChooseFilesStep):
    title = "Choose the certificates"
    help_topic = "bundle-files"
    intro = ("Choose every CA certificate for the trust list, or the certificates of one chain: "
             "any format (PEM, DER, .p7b, .pfx), any number of files, or paste text.")


class BundleWhatStep(TargetOptionsStep):
    """What to build, for which product, and where the files go."""

    title = "What to build"
    help_topic = "bundle-what"
    FIELD_HELP = {"kind": "bundle-what", "cms-name": "import-target",
                  "cucm-type": "import-target", "folder": "output-folder",
                  "bundle-root": "import-root"}
    AUTO_FOCUS = "#kind"
    cms_label = "CMS file name (empty: from the CN)"
    state: BundleState

    @property
    def choice(self) -> BundleChoice:
        return self.state.choice

    def wants_cms_name(self) -> bool:
        return self.choice.kind == "chain-cms"

    def wants_cucm_type(self) -> bool:
        return self.choice.kind in ("trust-cucm", "chain-cucm")

    def cms_placeholder(self) -> str:
        return "webbridge"

    def compose_body(self) -> ComposeResult:
        choice = self.choice
        self.fill_default_folder()
        with ChoiceSet(id="kind"):
            for kind, (name, meaning) in KINDS.items():
                yield Choice(f"{name}: {meaning}", value=choice.kind == kind,
                                  id=f"kind-{kind}")
        yield from self.compose_target_options()
        yield Checkbox("Include the root CA certificate", value=choice.root_wanted(),
                       id="bundle-root", compact=True)
        yield from self.compose_folder()

    def refresh_options(self) -> None:
        super().refresh_options()
        root = self.query_one("#bundle-root", Checkbox)
        root.display = not self.choice.is_trust
        with root.prevent(Checkbox.Changed):
            root.value = self.choice.root_wanted()

    def save(self) -> None:
        choice = self.choice
        pressed = self.query_one("#kind", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            new = pressed.id.removeprefix("kind-")
            if new != choice.kind:
                choice.include_root = None  # each target has its own default
                choice.kind = new
            else:
                choice.include_root = self.query_one("#bundle-root", Checkbox).value
            if not choice.is_trust:
                choice.target = choice.kind.removeprefix("chain-")
        self.save_options()

    def leave_forward(self) -> None:
        from collabcert.files import check_plan

        now = self.app.now()

        def job() -> TrustListResult | BundleResult:
            result = build(self.state, self.app.cwd, now)
            # name clashes, unwritable folder, an output that is an input: now
            check_plan(list(result.files), force=True, inputs=self.state.load.paths)
            return result

        def keep(result: TrustListResult | BundleResult) -> None:
            self.state.result = result

        self.go_next_after(job, keep)


def clear_drop(reason: str) -> bool:
    """A suggested drop the list is plainly better without (an expired twin, a look-alike no
    given certificate verifies with, one not valid yet): ticked out at once. A drop that only
    says the other lasts longer stays ticked in, with the suggestion beside it."""
    return reason.startswith(("expired", "no given certificate verifies", "not valid before"))


class BundleFindingsStep(FlowStep):
    """The trust list's entries or the chain, and what the checks found.

    A trust list's entries can be left out (issue 12 item 11): each row says Keep or DROP in
    words, Enter or Space on a row turns it, and where two entries share a name the engine's
    suggestion (the trust-list job's, collabcert.trustlist.suggest_keep_drop) is said beside
    each; its clear drops (the expired twin, the look-alike nothing verifies with) are ticked
    out already. Next builds the list again
    without the dropped entries."""

    title = "Findings"
    help_topic = "bundle-findings"
    AUTO_FOCUS = "#next"
    BINDINGS = [Binding("space", "toggle_entry", "Keep / drop", id="bundle.toggle_entry")]
    state: BundleState

    def compose_body(self) -> ComposeResult:
        result = self.state.result
        findings = list(result.findings)
        if isinstance(result, TrustListResult):
            trust = result.trust
            self.entries = trust.entries
            # the trust-list job's suggestions (collabcert.trustlist.suggest_keep_drop)
            self.suggestions = {s.fingerprint: s for s in result.suggestions}
            if self.state.choice.dropped is None:  # first visit: the clear drops ticked in
                self.state.choice.dropped = {fp for fp, s in self.suggestions.items()
                                             if s.action == "drop" and clear_drop(s.reason)}
            merged = (f", {trust.duplicates} identical duplicate(s) merged"
                      if trust.duplicates else "")
            yield Static(f"{KINDS[self.state.choice.kind][0]}: "
                         f"{len(trust.entries)} certificate(s){merged}; "
                         f"{problem_count_text(findings)}.",
                         id="findings-headline", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="entries")
            # the Why column is cut at 80 columns: the highlighted row's reason in full
            yield Static("", id="entry-why", markup=False)
            yield Static("", id="dropped-line", classes="hint", markup=False)
        else:
            yield Static(f"{problem_count_text(findings)}.", id="findings-headline", markup=False)
            yield ChainPreview(result.chain, include_root=self.state.choice.root_wanted(),
                               id="chain-preview")
            unused = unused_text(result.chain)
            if unused:
                yield Static(unused, id="chain-unused", classes="hint", markup=False)
        yield Label("Findings", classes="section-title")
        yield FindingList(findings, skip=("CHN-UNUSED",), id="bundle-findings")

    def on_mount(self) -> None:
        super().on_mount()
        result = self.state.result
        if not isinstance(result, TrustListResult):
            return
        table = self.query_one("#entries", DataTable)
        table.add_columns("CN", "CA", "Until", "From")
        table.add_column("Keep", key="keep")
        table.add_column("Why", key="why")
        for entry in self.entries:
            ca = "root" if entry.self_signed and entry.ca else (
                "yes" if entry.ca else ("NO BC" if not entry.has_basic_constraints else "no"))
            suggestion = self.suggestions.get(entry.fingerprint)
            table.add_row(Text(shown(entry.cn or entry.subject)), Text(ca),
                          Text(f"{entry.not_after:%Y-%m-%d}"),
                          Text(", ".join(entry.sources)), self._keep_cell(entry.fingerprint),
                          Text(f"{suggestion.action}: {suggestion.reason}" if suggestion
                               else ""),
                          key=entry.fingerprint)
        self._say_dropped()
        if self.suggestions:  # there is a keep/drop choice to look at: start on the list
            table.focus()

    def _keep_cell(self, fingerprint: str) -> Text:
        dropped = fingerprint in (self.state.choice.dropped or set())
        return Text("[ ] DROP", style="bold") if dropped else Text("[x] keep")

    def _say_dropped(self) -> None:
        dropped = self.state.choice.dropped or set()
        count = sum(e.fingerprint in dropped for e in self.entries)
        line = self.query_one("#dropped-line", Static)
        line.update(f"Leaving out {count} of {len(self.entries)}: the list written will have "
                    f"{len(self.entries) - count}. Enter or Space on a row keeps or drops it."
                    if count else "Enter or Space on a row drops it from the list.")

    @on(DataTable.RowHighlighted, "#entries")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#entry-why", Static).update(self.why_text(event.cursor_row))

    def why_text(self, row: int) -> str:
        """`Example Root CA (decoy-root.pem, serial 5AE35D1F…): suggested drop: no given
        certificate verifies ...`."""
        if not 0 <= row < len(self.entries):
            return ""
        entry = self.entries[row]
        # the serial tells apart two of one name from one file (issue 12 item 12)
        said = (f"{shown(entry.cn or entry.subject)} ({shown(', '.join(entry.sources))}, "
                f"serial {serial_text(entry.certificate)})")
        suggestion = self.suggestions.get(entry.fingerprint)
        if suggestion is None:
            return f"{said}: no other entry has its name."
        return f"{said}: suggested {suggestion.action}: {suggestion.reason}."

    @on(DataTable.RowSelected, "#entries")
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        self.toggle(str(event.row_key.value))

    def action_toggle_entry(self) -> None:
        table = self.query("#entries")
        if not table or self.focused is not table.first():
            return
        entries = table.first(DataTable)
        if entries.row_count and entries.cursor_row is not None:
            self.toggle(self.entries[entries.cursor_row].fingerprint)

    def toggle(self, fingerprint: str) -> None:
        dropped = self.state.choice.dropped
        if dropped is None:
            dropped = self.state.choice.dropped = set()
        dropped.symmetric_difference_update({fingerprint})
        self.query_one("#entries", DataTable).update_cell(fingerprint, "keep",
                                                          self._keep_cell(fingerprint))
        self._say_dropped()

    def check(self) -> str:
        result = self.state.result
        if isinstance(result, TrustListResult) and self.entries and all(
                e.fingerprint in (self.state.choice.dropped or set()) for e in self.entries):
            return "Every entry is dropped: keep at least one (Enter on its row)."
        return ""

    def leave_forward(self) -> None:
        result = self.state.result
        dropped = set(self.state.choice.dropped or ())
        if not isinstance(result, TrustListResult) or not dropped:
            self.go_next()
            return
        state, cwd, now = self.state, self.app.cwd, self.app.now()

        def keep(rebuilt: TrustListResult | BundleResult) -> None:
            self.state.result = rebuilt

        self.go_next_after(lambda: build(state, cwd, now, exclude=dropped), keep)


class BundleWriteStep(WriteFilesStep):
    help_topic = "bundle-files-written"


class BundleNextStepsStep(NextStepsStep):
    help_topic = "bundle-next-steps"


class BundleFlow(Flow):
    state_type: ClassVar[type] = BundleState
    steps = (BundleFilesStep, BundleWhatStep, BundleFindingsStep, BundleWriteStep,
             BundleNextStepsStep)
