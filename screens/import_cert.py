"""Import a signed certificate: the CSR or key used, what the CA sent, checks, target, chain, write.

Steps: the CSR or key the request was made with -> what the CA sent (any format, any number of
files, or pasted text) -> match and SAN check -> target (Expressway, CMS, CUCM, full chain) ->
chain preview (root on top, each link verified by signature) and whether to include the root ->
the files to be written -> next steps. All certificate work is the engine's (see
screens/import_cert_state.py); the screens only show it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Label, RadioSet, Static

from collabcert.errors import CollabcertError
from collabcert.jobs.bundle import BundleResult
from collabcert.jobs.importing import ImportChecked
from collabcert.screens.bundle_write import NextStepsStep, WriteFilesStep
from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.import_cert_state import (
    TARGET_WORDS,
    ImportState,
    TargetChoice,
    check_request,
    plan,
    request_from,
)
from collabcert.tui.chaintree import BAD, OK, ChainPreview, unused_text
from collabcert.tui.choices import Choice, ChoiceSet
from collabcert.tui.findings import FindingList
from collabcert.tui.flow import Flow, FlowStep
from collabcert.tui.loading import LoadResult
from collabcert.tui.target_step import TargetOptionsStep


class RequestStep(ChooseFilesStep):
    """The CSR or private key the request was made with: it picks the leaf and the SANs."""

    title = "The CSR or key you used"
    help_topic = "import-request"
    intro = ("Choose the CSR or the private key the request was made with (both is best: the key "
             "proves the match, the CSR lists the names asked for).")
    nothing_chosen = "Choose the CSR or key file (Enter in Browse), type its path, or paste it."
    picker_key = "request_picker"

    state: ImportState

    def use(self, result: LoadResult) -> str:
        try:
            self.state.request = request_from(result)
        except CollabcertError as exc:
            return " ".join([str(exc), *result.problems])
        return ""


class SentStep(ChooseFilesStep):
    title = "What the CA sent"
    help_topic = "import-sent"
    intro = ("Choose everything the CA sent: the certificate and any CA certificates, in any "
             "format (PEM, DER, .p7b, .pfx) and any order, or paste the e-mail text.")


def line(ok: bool, text: str) -> Text:
    return Text.assemble((OK if ok else BAD, "bold green" if ok else "bold red"), " ", text)


class CheckStep(FlowStep):
    """Does the certificate belong to the key/CSR, and are all the names asked for in it?"""

    title = "Match and SAN check"
    help_topic = "import-check"
    AUTO_FOCUS = "#next"

    state: ImportState

    def compose_body(self) -> ComposeResult:
        self.checked: ImportChecked | None = None
        try:
            self.checked = check_request(self.state, self.app.now())
        except CollabcertError as exc:
            sentence = str(exc)
            yield Static(f"{sentence[:1].upper()}{sentence[1:]}.", id="check-summary",
                         classes="error-text", markup=False)
            return
        self.state.checked = self.checked
        yield Static(self.summary(self.state.request, self.checked), id="check-summary",
                     markup=False)
        yield Label("Findings", classes="section-title")
        yield FindingList(self.checked.shown_findings, skip=("CHN-UNUSED",), id="check-findings")

    def summary(self, request: Any, checked: ImportChecked) -> Text:
        chain, check = checked.chain, checked.check
        leaf = chain.leaf
        text = Text.assemble(("Certificate: ", "bold"), leaf.label,
                             f"  (issued by {leaf.issuer_label})\n")
        source = ", ".join(request.names)
        if checked.mismatch or check.key_matches is False or check.csr_matches is False:
            text.append_text(line(False, f"does NOT match the {request.what} in {source}: it "
                                  "was issued for another key (a cluster peer's certificate, "
                                  "or an older request?)"))
        else:
            text.append_text(line(True, f"matches the {request.what} in {source}"))
        text.append("\n")
        if request.csr is not None:
            if check.missing_sans:
                text.append_text(line(False, "the CA dropped names the CSR asked for: "
                                      + ", ".join(check.missing_sans)))
            else:
                text.append_text(line(True, "every name the CSR asked for is in the certificate"))
            text.append("\n")
            if check.missing_eku:
                text.append_text(line(False, "usages the CSR asked for are missing: "
                                      + ", ".join(check.missing_eku)))
                text.append("\n")
        else:
            text.append("  (no CSR given: the names asked for cannot be compared)\n")
        valid = leaf.validity == "valid"
        text.append_text(line(valid, f"{leaf.validity} from {leaf.not_before:%Y-%m-%d} until "
                                     f"{leaf.not_after:%Y-%m-%d}"))
        text.append("\n")
        if chain.complete:
            text.append_text(line(True, f"the chain is complete ({len(chain.links)} "
                                        "certificates up to the root)"))
        else:
            text.append_text(line(False, f"the chain is incomplete: the issuer "
                                         f"'{chain.missing_issuer.label}' is "
                                         "missing (see Findings)"))
        return text

    def check(self) -> str:
        if self.checked is None:
            return "Go Back and choose the certificate the CA sent."
        if self.checked.mismatch:
            return ("The certificate does not correspond to this private key or CSR (was it the "
                    "cluster peer's?). Go Back and choose this server's own files.")
        return ""


class TargetStep(TargetOptionsStep):
    """Where the certificate goes: the product decides the files and their order."""

    title = "Where it goes"
    help_topic = "import-target"
    FIELD_HELP = {"target": "import-target", "cms-name": "import-target",
                  "cucm-type": "import-target", "folder": "output-folder"}
    AUTO_FOCUS = "#target"
    cms_label = "CMS file name, for <name>.crt and <name>bundle.crt:"

    state: ImportState

    @property
    def choice(self) -> TargetChoice:
        return self.state.target

    def wants_cms_name(self) -> bool:
        return self.choice.target == "cms"

    def wants_cucm_type(self) -> bool:
        return self.choice.target == "cucm"

    def cms_placeholder(self) -> str:
        from collabcert.bundle import default_cms_name

        request, checked = self.state.request, self.state.checked
        name = "server" if checked is None else default_cms_name(
            checked.chain, request.key_file if request else None)
        return f"{name} (the default)"

    def compose_body(self) -> ComposeResult:
        choice = self.choice
        self.fill_default_folder()
        yield Label("The product the files are for:", classes="section-title")
        with ChoiceSet(id="target"):
            for target, (name, meaning) in TARGET_WORDS.items():
                yield Choice(f"{name}: {meaning}", value=choice.target == target,
                                  id=f"target-{target}")
        yield from self.compose_target_options()
        yield from self.compose_folder()

    def save(self) -> None:
        choice = self.choice
        pressed = self.query_one("#target", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            new = pressed.id.removeprefix("target-")
            if new != choice.target:
                choice.include_root = None  # each product has its own default
            choice.target = new
        self.save_options()


class ChainStep(FlowStep):
    """The chain as it will be written, root on top; include the root or not."""

    title = "Chain preview"
    help_topic = "import-chain"
    FIELD_HELP = {"include-root": "import-root"}
    AUTO_FOCUS = "#chain-tree"
    state: ImportState

    @property
    def chain(self) -> Any:
        assert self.state.checked is not None  # the check step kept it
        return self.state.checked.chain

    @property
    def choice(self) -> TargetChoice:
        return self.state.target

    def compose_body(self) -> ComposeResult:
        chain, choice = self.chain, self.choice
        can_root = chain.complete and len(chain.links) > 1
        include = choice.root_wanted() and can_root
        yield ChainPreview(chain, include_root=include, id="chain-preview")
        unused = unused_text(chain)
        if unused:
            yield Static(unused, id="chain-unused", classes="hint", markup=False)
        box = Checkbox("Include the root CA certificate in the files", value=include,
                       id="include-root", disabled=not can_root, compact=True)
        box.display = can_root  # a box that cannot be ticked only confuses
        yield box
        yield Static(self.root_note(can_root), id="root-note", classes="hint", markup=False)

    def root_note(self, can_root: bool) -> str:
        from collabcert.bundle import ROOT_BY_DEFAULT

        target = self.choice.target
        name = TARGET_WORDS[target][0]
        if not can_root:
            return "No root was reached, so it cannot be included."
        default = "in" if ROOT_BY_DEFAULT[target] else "out"
        return f"{name} wants the root {default} by default."

    @on(Checkbox.Changed, "#include-root")
    def root_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#chain-preview", ChainPreview).set_include_root(event.value)
        self.save()

    def save(self) -> None:
        box = self.query_one("#include-root", Checkbox)
        if not box.disabled:
            self.choice.include_root = box.value

    def leave_forward(self) -> None:
        from collabcert.files import check_plan

        now = self.app.now()

        def job() -> BundleResult:
            result = plan(self.state, self.app.cwd, now)
            # name clashes, unwritable folder, an output that is an input: now
            check_plan(list(result.files), force=True, inputs=self.state.load.paths)
            return result

        def keep(result: BundleResult) -> None:
            self.state.result = result

        self.go_next_after(job, keep)


class ImportFilesStep(WriteFilesStep):
    pass


class ImportNextStepsStep(NextStepsStep):
    pass


class ImportFlow(Flow):
    state_type: ClassVar[type] = ImportState
    steps = (RequestStep, SentStep, CheckStep, TargetStep, ChainStep, ImportFilesStep,
             ImportNextStepsStep)
