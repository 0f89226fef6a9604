"""Build a bundle or trust list: many files -> what to build -> findings -> files -> next steps.

Two kinds of output:
- a trust list: every certificate given, deduplicated and checked, as an Expressway trusted CA
  list (one PEM) or a CUCM `<purpose>-trust` upload set (one file per certificate, roots first);
  findings: same-CN pairs (TRUST-DUP-CN), CAs without basicConstraints (CHN-NOTCA), expired CAs,
  more than 1000 entries (CHN-MAX);
- a bundle for a target: the certificates ordered into one chain by signature (no key needed:
  the leaf is the one that issued nothing), written as the target wants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Checkbox, DataTable, Label, RadioButton, RadioSet, Static

from collabcert.errors import CollabcertError
from collabcert.screens.bundle_write import NextStepsStep, WriteFilesStep
from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.import_cert_state import (
    TARGET_WORDS,
    TargetChoice,
    certificates_from,
    plan,
    source_findings,
)
from collabcert.tui.chaintree import ChainPreview, unused_text
from collabcert.tui.findings import FindingList, problem_count_text
from collabcert.tui.flow import Flow, FlowStep
from collabcert.tui.paths import typed_path
from collabcert.tui.target_step import TargetOptionsStep

TRUST_KINDS: dict[str, tuple[str, str]] = {
    "trust-expressway": ("Expressway trusted CA list", "every certificate in one PEM"),
    "trust-cucm": ("CUCM -trust upload set", "one file per certificate, roots first"),
}
KINDS: dict[str, tuple[str, str]] = {
    **TRUST_KINDS,
    "chain-expressway": ("Chain for Expressway", TARGET_WORDS["expressway"][1]),
    "chain-cms": ("Chain for Meeting Server", TARGET_WORDS["cms"][1]),
    "chain-cucm": ("Chain for CUCM / IM&P", TARGET_WORDS["cucm"][1]),
    "chain-fullchain": ("One full-chain file", "the leaf and then each issuer"),
}


@dataclass
class BundleChoice(TargetChoice):
    kind: str = "trust-expressway"

    @property
    def is_trust(self) -> bool:
        return self.kind.startswith("trust-")


@dataclass(frozen=True)
class Built:
    """What the findings step shows: a trust list or a chain, and the files to write."""

    trust: Any = None  # collabcert.trustlist.TrustList
    chain: Any = None  # collabcert.chain.Chain
    files: tuple[Any, ...] = ()
    next_steps: tuple[str, ...] = ()
    findings: tuple[Any, ...] = ()


def build(choice: BundleChoice, result: Any, cwd: Any, at: Any) -> Built:
    """The engine's work for the chosen kind (runs in a thread)."""
    certificates = certificates_from(result)
    if not certificates:
        raise CollabcertError("no certificates were found in the files chosen; go Back and add "
                              "the certificate files")
    read = source_findings(result)
    out_dir = typed_path(choice.folder or "", cwd)
    if choice.is_trust:
        from collabcert.trustlist import build_trust_list, plan_trust_list

        product = choice.kind.removeprefix("trust-")
        trust = build_trust_list(certificates, product=product, at=at)
        files, steps = plan_trust_list(trust, out_dir=out_dir, kind=choice.cucm_type)
        return Built(trust=trust, files=tuple(files), next_steps=tuple(steps),
                     findings=tuple(read + list(trust.findings)))
    from collabcert.chain import build_chain

    choice.target = choice.kind.removeprefix("chain-")
    chain = build_chain([c for c, _ in certificates], at=at)
    bundle = plan(chain, choice, cwd)
    return Built(chain=chain, files=bundle.files, next_steps=bundle.next_steps,
                 findings=tuple(read + list(bundle.findings)))


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

    @property
    def choice(self) -> BundleChoice:
        return self.state.setdefault("bundle_choice", BundleChoice())

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

        def job() -> Built:
            built = build(self.choice, self.state["load"], self.app.cwd, now)
            check_plan(list(built.files), force=True)  # name clashes, unwritable folder: now
            return built

        def keep(built: Built) -> None:
            self.state.update(built=built, plan=list(built.files),
                              next_steps=list(built.next_steps), findings=list(built.findings))

        self.go_next_after(job, keep)


class BundleFindingsStep(FlowStep):
    """The trust list's entries or the chain, and what the checks found."""

    title = "Findings"
    help_topic = "bundle-findings"
    AUTO_FOCUS = "#next"

    def compose_body(self) -> ComposeResult:
        built: Built = self.state["built"]
        findings = list(built.findings)
        if built.trust is not None:
            trust = built.trust
            merged = (f", {trust.duplicates} identical duplicate(s) merged"
                      if trust.duplicates else "")
            yield Static(f"{KINDS[self.state['bundle_choice'].kind][0]}: "
                         f"{len(trust.entries)} certificate(s){merged}; "
                         f"{problem_count_text(findings)}.",
                         id="findings-headline", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="entries")
        else:
            yield Static(f"{problem_count_text(findings)}.", id="findings-headline", markup=False)
            choice = self.state["bundle_choice"]
            yield ChainPreview(built.chain, include_root=choice.root_wanted(),
                               id="chain-preview")
            unused = unused_text(built.chain)
            if unused:
                yield Static(unused, id="chain-unused", classes="hint", markup=False)
        yield Label("Findings", classes="section-title")
        yield FindingList(findings, skip=("CHN-UNUSED",), id="bundle-findings")

    def on_mount(self) -> None:
        super().on_mount()
        built: Built = self.state["built"]
        if built.trust is None:
            return
        table = self.query_one("#entries", DataTable)
        table.add_columns("CN", "CA", "Until", "From")
        for entry in built.trust.entries:
            ca = "root" if entry.self_signed and entry.ca else (
                "yes" if entry.ca else ("NO BC" if not entry.has_basic_constraints else "no"))
            table.add_row(Text(entry.cn or entry.subject), Text(ca),
                          Text(f"{entry.certificate.not_valid_after_utc:%Y-%m-%d}"),
                          Text(", ".join(entry.sources)))


class BundleWriteStep(WriteFilesStep):
    help_topic = "bundle-files-written"


class BundleNextStepsStep(NextStepsStep):
    help_topic = "bundle-next-steps"


class BundleFlow(Flow):
    title = "Build a bundle or trust list"
    steps = (BundleFilesStep, BundleWhatStep, BundleFindingsStep, BundleWriteStep,
             BundleNextStepsStep)
    help_topic = "bundle"
