"""The last two steps of "Create a key and CSR": review (then write), and the result.

Review shows the subject, the SAN preview, the findings with their severity and the files that will
be written; Write makes the key in a thread worker (RSA 4096 takes seconds) with a visible
indicator, asks before replacing files, and writes through the engine's safe writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import (
    Button,
    Input,
    Label,
    LoadingIndicator,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.worker import Worker, WorkerState, get_current_worker

from collabcert.citations import Mentions, plain_citations, plain_lines
from collabcert.errors import CollabcertError
from collabcert.jobs.csr import CsrReview
from collabcert.screens.csr_state import DIGEST_LABELS, CsrChoices, finding_lines, out_dir
from collabcert.tui.clipboard import copy_text
from collabcert.tui.dialogs import ConfirmDialog, MessageDialog
from collabcert.tui.flow import FlowStep, PaletteCommand
from collabcert.tui.paths import display_path, typed_path
from collabcert.tui.picker import PathSuggester
from collabcert.tui.sanpreview import SanPreview
from collabcert.tui.write_step import ask_to_replace

KU_NAMES = {"digital_signature": "digitalSignature", "content_commitment": "nonRepudiation",
            "key_encipherment": "keyEncipherment", "data_encipherment": "dataEncipherment",
            "key_agreement": "keyAgreement", "key_cert_sign": "keyCertSign",
            "crl_sign": "cRLSign"}


class CsrReviewStep(FlowStep):
    title = "Review"
    next_label = "Write key and CSR"
    help_topic = "csr-review"
    FIELD_HELP = {"out-folder": "output-folder", "answers-path": "csr-answers",
                  "save-answers": "csr-answers", "san-preview": "csr-preview"}
    AUTO_FOCUS = "#next"  # the summary at the top stays in view

    @property
    def choices(self) -> CsrChoices:
        return self.state.choices

    def review(self) -> CsrReview:
        """The csr job's review for the folder as typed now."""
        return self.state.review(self.app.settings.output_folder, self.app.cwd)

    def compose_body(self) -> ComposeResult:
        plan, choices = self.state.plan, self.choices
        yield Static(self._summary(), id="review-summary", markup=False)
        # at 80x24 and 60x20 the Files part is below the fold: say it is there (issue 12 #14)
        yield Static("Below: the findings, the output folder and Save answers (scroll, or Tab "
                     "to them).", id="review-hint", classes="hint", markup=False)
        yield SanPreview(id="san-preview")
        yield Label("Findings", classes="section-title")
        lines = finding_lines(self.findings()) or ["none"]
        yield Static(plain_lines("\n".join(lines)), id="review-findings", markup=False)
        yield Label("Files", classes="section-title")
        folder = choices.out_folder if choices.out_folder is not None else (
            self.app.settings.output_folder)
        with Horizontal(classes="review-row"):
            yield Label("Output folder")
            yield Input(folder, placeholder="empty: the folder collabcert runs in",
                        id="out-folder", suggester=PathSuggester(), compact=True)
        yield Static("", id="review-files", markup=False)
        with Horizontal(classes="review-row"):
            yield Label("Answers file")
            yield Input(choices.answers_path, placeholder=f"{plan.basename}-answers.toml",
                        id="answers-path", compact=True)
            yield Button("Save answers", id="save-answers", compact=True)
        yield Static("", id="answers-status", markup=False)
        with Horizontal(id="working"):
            yield LoadingIndicator()
            yield Label("", id="working-text", markup=False)

    def findings(self) -> list:
        """The job's findings: the plan's, a reused key's check, the locked/reused key notes."""
        return list(self.review().findings)

    def _summary(self) -> str:
        plan, choices = self.state.plan, self.choices
        role = plan.role
        reused = self.state.reuse_key is not None
        if reused:
            key = f"{plan.key_spec.label}, reused from {choices.reuse_path.strip()}"
        else:
            locked = "encrypted with a passphrase" if choices.passphrase and choices.encrypt \
                else "not encrypted"
            key = f"{plan.key_spec.label}, new ({locked})"
        usage = ", ".join(KU_NAMES.get(u, u) for u in role.usage_for(plan.key_spec))
        return "\n".join([
            f"Role      {role.title} ({role.id})",
            f"Subject   {plan.subject_text}",
            f"Key       {key}",
            f"Digest    {DIGEST_LABELS.get(plan.digest, plan.digest)}",
            f"Usage     KU {usage}; EKU {', '.join(role.eku) or 'none'}",
        ])

    def on_mount(self) -> None:
        super().on_mount()
        from collabcert import roles

        plan = self.state.plan
        preview = roles.Preview(plan.cn, plan.sans, {}, (), plan.findings)
        self.query_one(SanPreview).show(plan.role, preview)
        self.query_one("#working").display = False
        self.refresh_files()

    # --- the files ------------------------------------------------------------------------
    def folder(self) -> Path:
        return out_dir(self.choices, self.app.settings.output_folder, self.app.cwd)

    def targets(self) -> list[tuple[Path, str]]:
        """(path, what) of the files the job will write; a reused key in place is kept."""
        return [(p.path, "private key, mode 0600 (only you can read it)" if p.private
                 else "CSR, mode 0644") for p in self.review().planned]

    def refresh_files(self) -> None:
        lines = []
        review = self.review()
        for path, what in self.targets():
            note = "REPLACES an existing file" if path.exists() else "new"
            lines.append(f"{display_path(path, self.app.cwd)}  {what}  {note}")
        if review.keeps_key_file:
            lines.append("The key file you reuse stays as it is; only the CSR is written.")
        if not self.folder().is_dir():
            lines.append("That folder does not exist yet: create it first, or choose another.")
        self.query_one("#review-files", Static).update("\n".join(lines))

    @on(Input.Changed, "#out-folder")
    def folder_changed(self) -> None:
        self.save()
        self.refresh_files()

    def save(self) -> None:
        self.choices.out_folder = self.query_one("#out-folder", Input).value
        self.choices.answers_path = self.query_one("#answers-path", Input).value

    def check(self) -> str:
        blocked = self.review().blocked  # the job's sentence, with the path as the person sees it
        return blocked.replace(str(self.folder()), display_path(self.folder(), self.app.cwd), 1)

    # --- answers --------------------------------------------------------------------------
    def answers_file(self) -> Path:
        typed = self.query_one("#answers-path", Input).value.strip()
        return typed_path(typed or f"{self.state.plan.basename}-answers.toml", self.folder())

    @on(Button.Pressed, "#save-answers")
    def action_save_answers(self) -> None:
        path = self.answers_file()
        if not path.exists():
            self._save_answers(path, force=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._save_answers(path, force=True)

        self.app.push_screen(ConfirmDialog(
            f"{display_path(path, self.app.cwd)} already exists. Replace it?",
            title="Replace the answers file?", yes="Replace", no="Keep it", default_no=True),
            answered)

    def _save_answers(self, path: Path, force: bool) -> None:
        from collabcert import answers

        status = self.query_one("#answers-status", Static)
        try:
            written = answers.save(self.state.plan, path, force=force)
        except CollabcertError as exc:
            status.update(f"Not saved: {exc}")
            return
        shown = display_path(written, self.app.cwd)
        status.update(f"Saved {shown}. Replay it: collabcert csr {self.state.plan.role.id} "
                      f"--answers {shown}, or load it on the first step.")

    # --- writing --------------------------------------------------------------------------
    def leave_forward(self) -> None:
        ask_to_replace(self, [path for path, _ in self.targets() if path.exists()],
                       self.start_write, warning=" The old key cannot be recovered afterwards.",
                       refused="Nothing was written. Change the output folder or the file "
                       "basename (Back to Questions).")

    def start_write(self, force: bool) -> None:
        plan = self.state.plan
        self.busy = True
        self.query_one("#working").display = True
        making = "Signing the CSR with the reused key…" if self.state.reuse_key else (
            f"Generating the {plan.key_spec.label} key…")
        self.query_one("#working-text", Label).update(f"{making} (Esc stops)")
        self.query_one("#working").scroll_visible(animate=False)
        self.show_error("")
        self.write_files(force)

    @work(thread=True, exclusive=True, group="csr-write", exit_on_error=False)
    def write_files(self, force: bool) -> Any:
        from collabcert import csr
        from collabcert.files import check_plan
        from collabcert.jobs.csr import write_csr

        worker = get_current_worker()
        review = self.review()
        # refuse before the slow key generation when a target appeared meanwhile
        check_plan(review.planned, force)
        key = None if review.reuse_key is not None else csr.new_key(review.plan)
        if worker.is_cancelled:  # Esc while the key was made: write nothing
            return None
        return write_csr(review, key=key, passphrase=self.state.passphrase(), force=force)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "csr-write":
            return
        if event.state in (WorkerState.PENDING, WorkerState.RUNNING):
            return
        self.busy = False
        self.query_one("#working").display = False
        if event.state is WorkerState.SUCCESS and event.worker.result is not None:
            self.state.result = event.worker.result
            self.refresh_files()
            self.go_next()
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, CollabcertError) else repr(error)
            self.show_error(f"Nothing was written: {message}")
            self.app.push_screen(MessageDialog(f"Nothing was written. {message}",
                                               title="Could not write"))
        elif event.state is WorkerState.CANCELLED:
            self.show_error("Stopped: nothing was written. Press Write key and CSR to start "
                            "again.")


class CsrDoneStep(FlowStep):
    title = "Done"
    next_label = "Done"
    help_topic = "csr-result"
    AUTO_FOCUS = "#copy-csr"

    def compose_body(self) -> ComposeResult:
        result = self.state.result
        outcome = result.outcome
        self.onbox = result.onbox
        # one screen: the headline (above every tab) names a document in full first; each tab
        # goes on from there (issue 12 item 16)
        said = Mentions()
        yield Static(plain_citations(self._headline(), said), id="done-headline", markup=False)
        with Horizontal(classes="result-buttons"):
            yield Button("Copy CSR", id="copy-csr", compact=True)
            # short labels: all five fit 80 columns (the palette says each in full)
            yield Button("Copy on-box", id="copy-onbox", compact=True)
            yield Button("Copy steps", id="copy-steps", compact=True)
            yield Button("Copy for a ticket", id="copy-ticket", compact=True)
            yield Button("Make another", id="again", compact=True)
            yield Button("Sign it with a lab CA", id="sign-lab", compact=True)
        findings = finding_lines(result.findings)
        on_node = self.onbox.kind == "cucm"
        # CUCM / IM&P: the on-node plan is the main path (seed-004 CU-LOCAL-KEY), so it is the
        # tab shown first
        with TabbedContent(id="done-tabs", initial="tab-onbox" if on_node else "tab-next"):
            with TabPane("Next steps", id="tab-next"):
                yield Static(self.steps_text(said.copy()), id="next-steps", markup=False)
            with TabPane("On the node" if on_node else "On the box", id="tab-onbox"):
                # wide columns and config lines: scroll sideways rather than wrap them
                yield TextArea(plain_citations(self.onbox.text, said.copy()), id="onbox",
                               read_only=True, soft_wrap=False, show_cursor=False)
            with TabPane("CSR", id="tab-csr"):
                yield Static(outcome.csr_pem.decode("ascii"), id="csr-pem", markup=False)
            with TabPane(f"Findings ({len(findings)})", id="tab-findings"):
                yield Static(plain_lines("\n".join(findings), said.copy()) or "none",
                             id="done-findings", markup=False)

    def _headline(self) -> str:
        outcome = self.state.result.outcome
        cwd = self.app.cwd
        parts = []
        if outcome.key_path in outcome.written:
            locked = ", encrypted" if outcome.key_encrypted else ""
            parts.append(f"the {outcome.key_label} key {display_path(outcome.key_path, cwd)}"
                         f" (mode 0600{locked})")
        else:
            parts.append(f"nothing to the key {display_path(outcome.key_path, cwd)} (reused)")
        parts.append(f"the CSR {display_path(outcome.csr_path, cwd)}")
        sans = outcome.plan.san_preview or "(none)"
        text = f"Wrote {' and '.join(parts)}.\nCN {outcome.plan.cn}   SANs {sans}"
        if self.onbox.kind == "cucm":
            text += ("\nFor a lab or a profile check only: the node takes no private key "
                     "upload. Generate the CSR on the node with the values under On the node, "
                     "then Import the signed certificate (seed-004 CU-LOCAL-KEY).")
        return text

    def steps_text(self, mentions: Mentions | None = None) -> str:
        steps = self.state.result.next_steps  # the job's, as `collabcert csr` prints them
        return plain_citations("\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1)),
                               mentions)

    @on(Button.Pressed, "#copy-csr")
    def action_copy_csr(self) -> None:
        outcome = self.state.result.outcome
        copy_text(self.app, outcome.csr_pem.decode("ascii"),
                  f"the CSR {outcome.csr_path.name}")

    @on(Button.Pressed, "#copy-onbox")
    def action_copy_onbox(self) -> None:
        copy_text(self.app, self.onbox.text, "the on-box command")

    @on(Button.Pressed, "#copy-steps")
    def action_copy_steps(self) -> None:
        copy_text(self.app, self.steps_text(), "the next steps")

    def ticket(self) -> str:
        from collabcert.report import ticket_summary

        result, cwd = self.state.result, self.app.cwd
        outcome = result.outcome
        asked = [f"A key and CSR for {outcome.plan.role.title} ({outcome.plan.role.id})",
                 f"CN {outcome.plan.cn}; SANs {outcome.plan.san_preview or '(none)'}"]
        written = [display_path(path, cwd) for path in outcome.written]
        return ticket_summary("Create a key and CSR", asked, written, result.findings,
                              result.next_steps)

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        """A new run of the flow that keeps the subject fields, the role and the node lists:
        the next peer of a cluster needs only its own FQDN (issue 12 item 15)."""
        from collabcert.screens.csr_state import carried_over

        flow = type(self.flow)()
        flow.state.choices = carried_over(self.state.choices)
        self.app.action_go_home()
        self.app.push_screen(flow.make_step(0))

    @on(Button.Pressed, "#sign-lab")
    def action_sign_lab(self) -> None:
        """For a lab: sign this CSR with a lab CA (an existing CA folder, or a new one)."""
        from collabcert.screens.labca import sign_new_csr

        outcome = self.state.result.outcome
        sign_new_csr(self.app, outcome.csr_path, outcome.plan.role.id)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return (
            ("Copy the CSR", "PEM text to the clipboard", self.action_copy_csr),
            ("Copy the on-box command", "What to type on the product instead",
             self.action_copy_onbox),
            ("Copy the next steps", "Where to upload, what to ask the CA", self.action_copy_steps),
            ("Make another key and CSR", "Start the flow again", self.action_again),
            ("Sign it with a lab CA", "For a lab: sign this CSR with a CA of your own",
             self.action_sign_lab),
        )
