"""Import a signed certificate: the CSR or key used, what the CA sent, checks, target, chain, write.

Steps: the CSR or key the request was made with -> what the CA sent (any format, any number of
files, or pasted text) -> match and SAN check -> target (Expressway, CMS, CUCM, full chain) ->
chain preview (root on top, each link verified by signature) and whether to include the root ->
the files to be written -> next steps. All certificate work is the engine's (see
screens/import_cert_state.py); the screens only show it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from collabcert.errors import CollabcertError
from screens.bundle_write import NextStepsStep, WriteFilesStep
from screens.choose import ChooseFilesStep
from screens.import_cert_state import (
    TARGET_WORDS,
    Checked,
    TargetChoice,
    certificates_from,
    check_request,
    cms_name_problem,
    default_folder,
    folder_problem,
    plan,
    request_from,
    resolve_folder,
    source_findings,
)
from tui.chaintree import BAD, OK, ChainPreview, cn_of, name_cn, unused_text
from tui.findinglist import FindingList
from tui.flow import Flow, FlowStep
from tui.loading import LoadResult, load_sources
from tui.picker import PathSuggester, PickerState, SourcePicker, display_path
from tui.tasks import Task


class RequestStep(ChooseFilesStep):
    """The CSR or private key the request was made with: it picks the leaf and the SANs."""

    title = "The CSR or key you used"
    help_topic = "import-request"
    intro = ("Choose the CSR or the private key the request was made with (both is best: the key "
             "proves the match, the CSR lists the names asked for).")

    def compose_body(self) -> ComposeResult:
        picker_state = self.state.setdefault("request_picker", PickerState())
        yield Static(self.intro, classes="hint", markup=False)
        yield SourcePicker(picker_state, base=self.app.cwd, id="picker")
        yield Label("", id="load-status", markup=False)
        yield ProgressBar(total=1, show_eta=False, id="load-progress")

    def check(self) -> str:
        if self.query_one(SourcePicker).sources().empty:
            return "Choose the CSR or key file (Enter in Browse), type its path, or paste it."
        return ""

    def leave_forward(self) -> None:
        self.busy = True
        self.read_request()

    @work(exclusive=True, group="load-request", exit_on_error=False)
    async def read_request(self) -> None:
        try:
            result: LoadResult = await load_sources(self.app,
                                                    self.query_one(SourcePicker).sources())
        finally:
            self.busy = False
        try:
            self.state["request"] = request_from(result)
        except CollabcertError as exc:
            self.show_error(" ".join([str(exc), *result.problems]))
            return
        self.show_error("")
        self.go_next()


class SentStep(ChooseFilesStep):
    title = "What the CA sent"
    help_topic = "import-sent"
    intro = ("Choose everything the CA sent: the certificate and any CA certificates, in any "
             "format (PEM, DER, .p7b, .pfx) and any order, or paste the e-mail text.")


def folder_hint(text: str, cwd: Path) -> tuple[str, bool]:
    """(the problem with the folder, True), or (where a relative path really points, False)."""
    problem = folder_problem(text, cwd)
    if problem:
        return problem, True
    if text.strip().startswith("/"):
        return "", False
    return f"(that is {resolve_folder(text, cwd)})", False


def line(ok: bool, text: str) -> Text:
    return Text.assemble((OK if ok else BAD, "bold green" if ok else "bold red"), " ", text)


class CheckStep(FlowStep):
    """Does the certificate belong to the key/CSR, and are all the names asked for in it?"""

    title = "Match and SAN check"
    help_topic = "import-check"
    AUTO_FOCUS = "#next"

    def compose_body(self) -> ComposeResult:
        self.checked: Checked | None = None
        certificates = certificates_from(self.state["load"])
        if not certificates:
            yield Static("No certificate was found in what the CA sent. Go Back and add the "
                         "certificate file.", id="check-summary", classes="error-text",
                         markup=False)
            return
        request = self.state["request"]
        try:
            self.checked = check_request(request, [c for c, _ in certificates], self.app.now())
        except CollabcertError as exc:
            yield Static(str(exc), id="check-summary", classes="error-text", markup=False)
            return
        self.state["checked"] = self.checked
        yield Static(self.summary(request, self.checked), id="check-summary", markup=False)
        yield Label("Findings", classes="section-title")
        yield FindingList(self.checked.findings, skip=("CHN-UNUSED",), id="check-findings")

    def summary(self, request: Any, checked: Checked) -> Text:
        chain, check = checked.chain, checked.check
        leaf = chain.leaf
        text = Text.assemble(("Certificate: ", "bold"), cn_of(leaf),
                             f"  (issued by {name_cn(leaf.certificate.issuer)})\n")
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
            missing = chain.missing_issuer
            who = name_cn(missing.name) if missing.name is not None else missing.subject
            text.append_text(line(False, f"the chain is incomplete: the issuer '{who}' is "
                                         "missing (see Findings)"))
        return text

    def check(self) -> str:
        if self.checked is None:
            return "Go Back and choose the certificate the CA sent."
        if self.checked.mismatch:
            return ("The certificate does not correspond to this private key or CSR (was it the "
                    "cluster peer's?). Go Back and choose this server's own files.")
        return ""


class TargetStep(FlowStep):
    """Where the certificate goes: the product decides the files and their order."""

    title = "Where it goes"
    help_topic = "import-target"
    FIELD_HELP = {"target": "import-target", "cms-name": "import-target",
                  "cucm-type": "import-target", "folder": "output-folder"}
    AUTO_FOCUS = "#target"

    def compose_body(self) -> ComposeResult:
        choice = self.choice
        if choice.folder is None:
            folder = default_folder(self.state["load"], self.app.settings.output_folder,
                                    self.app.cwd)
            choice.folder = display_path(folder, self.app.cwd)
        yield Label("The product the files are for:", classes="section-title")
        with RadioSet(id="target"):
            for target, (name, meaning) in TARGET_WORDS.items():
                yield RadioButton(f"{name}: {meaning}", value=choice.target == target,
                                  id=f"target-{target}")
        with Vertical(id="cms-options", classes="target-options"):
            yield Label("CMS file name, for <name>.crt and <name>bundle.crt:", markup=False)
            yield Input(choice.cms_name, placeholder=f"{self.default_cms_name()} (the default)",
                        id="cms-name", restrict=r"[A-Za-z0-9_-]*")
        with Vertical(id="cucm-options", classes="target-options"):
            from collabcert.bundle import CUCM_TYPES

            yield Label("CUCM certificate purpose (CAs go to <purpose>-trust):", markup=False)
            yield Select([(t, t) for t in CUCM_TYPES], value=choice.cucm_type,
                         allow_blank=False, id="cucm-type")
        yield Label("Write the files into this folder:", classes="section-title")
        yield Input(choice.folder, placeholder="folder", id="folder", suggester=PathSuggester())
        yield Label("", id="folder-error", classes="hint", markup=False)

    @property
    def choice(self) -> TargetChoice:
        return self.state.setdefault("target", TargetChoice())

    def default_cms_name(self) -> str:
        from collabcert.bundle import default_cms_name

        request = self.state.get("request")
        checked = self.state.get("checked")
        if checked is None:
            return "server"
        return default_cms_name(checked.chain, request.key_path if request else None)

    def on_mount(self) -> None:
        super().on_mount()
        self._refresh()

    def _refresh(self) -> None:
        self.save()
        self.query_one("#cms-options").display = self.choice.target == "cms"
        self.query_one("#cucm-options").display = self.choice.target == "cucm"

    def save(self) -> None:
        choice = self.choice
        pressed = self.query_one("#target", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            new = pressed.id.removeprefix("target-")
            if new != choice.target:
                choice.include_root = None  # each product has its own default
            choice.target = new
        choice.cms_name = self.query_one("#cms-name", Input).value
        value = self.query_one("#cucm-type", Select).value
        if isinstance(value, str):
            choice.cucm_type = value
        choice.folder = self.query_one("#folder", Input).value

    @on(RadioSet.Changed, "#target")
    def target_changed(self) -> None:
        self._refresh()

    @on(Input.Changed, "#folder")
    def folder_changed(self, event: Input.Changed) -> None:
        hint, problem = folder_hint(event.value, self.app.cwd)
        label = self.query_one("#folder-error", Label)
        label.update(hint)
        label.set_class(problem, "error-text")

    def check(self) -> str:
        choice = self.choice
        if choice.target == "cms" and (problem := cms_name_problem(choice.cms_name)):
            return problem
        return folder_problem(choice.folder or "", self.app.cwd)


class ChainStep(FlowStep):
    """The chain as it will be written, root on top; include the root or not."""

    title = "Chain preview"
    help_topic = "import-chain"
    FIELD_HELP = {"include-root": "import-root"}
    AUTO_FOCUS = "#chain-tree"
    chain_key = "checked"

    @property
    def chain(self) -> Any:
        return self.state[self.chain_key].chain

    @property
    def choice(self) -> TargetChoice:
        return self.state["target"]

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
        self.busy = True
        self.make_plan()

    def extra_findings(self) -> list[Any]:
        checked = self.state[self.chain_key]
        chain_findings = list(checked.chain.findings)
        return [f for f in checked.findings if f not in chain_findings]

    @work(exclusive=True, group="plan", exit_on_error=False)
    async def make_plan(self) -> None:
        from collabcert.files import check_plan

        request = self.state.get("request")
        key_path = request.key_path if request is not None else None

        def build() -> Any:
            bundle = plan(self.chain, self.choice, self.app.cwd, key_path)
            check_plan(list(bundle.files), force=True)  # name clashes, unwritable folder: now
            return bundle

        try:
            bundle = await asyncio.to_thread(build)
        except CollabcertError as exc:
            self.show_error(str(exc))
            return
        finally:
            self.busy = False
        self.state["bundle"] = bundle
        self.state["plan"] = list(bundle.files)
        self.state["next_steps"] = list(bundle.next_steps)
        self.state["findings"] = (source_findings(self.state["load"]) + list(bundle.findings)
                                  + self.extra_findings())
        self.go_next()


class ImportFilesStep(WriteFilesStep):
    pass


class ImportNextStepsStep(NextStepsStep):
    pass


class ImportFlow(Flow):
    title = "Import a signed certificate"
    steps = (RequestStep, SentStep, CheckStep, TargetStep, ChainStep, ImportFilesStep,
             ImportNextStepsStep)
    help_topic = "import"


TASK = Task(
    id="import",
    title="Import a signed certificate",
    summary="Check what the CA sent against your CSR or key, and write the files the product "
    "wants, in the right order.",
    make_flow=ImportFlow,
    help_topic="import",
)
