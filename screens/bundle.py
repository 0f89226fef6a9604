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
from textual.app import ComposeResult
from textual.widgets import Checkbox, DataTable, Label, RadioButton, RadioSet, Static

from collabcert.display import shown
from collabcert.jobs.bundle import BundleResult
from collabcert.jobs.trustlist import TrustListResult
from collabcert.screens.bundle_state import KINDS, BundleChoice, BundleState, build
from collabcert.screens.bundle_write import NextStepsStep, WriteFilesStep
from collabcert.screens.choose import ChooseFilesStep
from collabcert.tui.chaintree import ChainPreview, unused_text
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
        with RadioSet(id="kind"):
            for kind, (name, meaning) in KINDS.items():
                yield RadioButton(f"{name}: {meaning}", value=choice.kind == kind,
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


class BundleFindingsStep(FlowStep):
    """The trust list's entries or the chain, and what the checks found."""

    title = "Findings"
    help_topic = "bundle-findings"
    AUTO_FOCUS = "#next"
    state: BundleState

    def compose_body(self) -> ComposeResult:
        result = self.state.result
        findings = list(result.findings)
        if isinstance(result, TrustListResult):
            trust = result.trust
            merged = (f", {trust.duplicates} identical duplicate(s) merged"
                      if trust.duplicates else "")
            yield Static(f"{KINDS[self.state.choice.kind][0]}: "
                         f"{len(trust.entries)} certificate(s){merged}; "
                         f"{problem_count_text(findings)}.",
                         id="findings-headline", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="entries")
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
        for entry in result.trust.entries:
            ca = "root" if entry.self_signed and entry.ca else (
                "yes" if entry.ca else ("NO BC" if not entry.has_basic_constraints else "no"))
            table.add_row(Text(shown(entry.cn or entry.subject)), Text(ca),
                          Text(f"{entry.not_after:%Y-%m-%d}"),
                          Text(", ".join(entry.sources)))


class BundleWriteStep(WriteFilesStep):
    help_topic = "bundle-files-written"


class BundleNextStepsStep(NextStepsStep):
    help_topic = "bundle-next-steps"


class BundleFlow(Flow):
    state_type: ClassVar[type] = BundleState
    steps = (BundleFilesStep, BundleWhatStep, BundleFindingsStep, BundleWriteStep,
             BundleNextStepsStep)
