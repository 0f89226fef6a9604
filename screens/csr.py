"""Create a key and CSR: product -> role -> the role's questions -> key options -> review -> done.

The role catalogue (collabcert.roles) says what to ask: only the fields that apply, each checked
as it is typed with the reason beside it, and a live CN / SAN preview. Review, writing and the
result are in screens/csr_review.py; what the steps share is screens/csr_state.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from collabcert import roles
from collabcert.errors import CollabcertError, InputError, PasswordNeeded
from collabcert.screens.csr_review import CsrDoneStep, CsrReviewStep
from collabcert.screens.csr_state import (
    DIGEST_LABELS,
    PRODUCT_SUMMARIES,
    CsrChoices,
    CsrState,
    answers_for,
    apply_answers,
    default_key_type,
    field_text,
    make_plan,
)
from collabcert.tui.dialogs import PasswordDialog
from collabcert.tui.flow import Flow, FlowStep
from collabcert.tui.help import help_text
from collabcert.tui.paths import typed_path
from collabcert.tui.picker import PathSuggester
from collabcert.tui.sanpreview import SanPreview

LOCKED_NOTE = (
    "Expressway and Meeting Server need the key UNLOCKED (not encrypted) when you upload it: "
    "decrypt it first (collabcert convert, or pki unlock on the MMP)."
)


# CUCM and IM and Presence take no private key upload (seed-004 CU-LOCAL-KEY): say so before
# the role is chosen, not only in a finding after the key was made
ON_NODE_NOTE = (
    "The CSR is generated on the node itself (OS Administration > Security > Certificate "
    "Management > Generate CSR): collabcert plans the values to type there. The key and CSR it "
    "writes are for a lab or to check the profile."
)


def choices_of(step: FlowStep) -> CsrChoices:
    return step.state.choices


class CsrStep(FlowStep):
    """A step of this flow: its choices live in `state.choices` (screens/csr_state.CsrState)."""

    @property
    def choices(self) -> CsrChoices:
        return choices_of(self)

    @property
    def role(self) -> roles.Role:
        role = self.choices.role
        assert role is not None  # the role step comes first
        return role


# --- 1. product ----------------------------------------------------------------------------------


class CsrProductStep(CsrStep):
    title = "Product"
    help_topic = "csr-product"
    FIELD_HELP = {"answers-file": "csr-answers", "load-answers": "csr-answers"}
    AUTO_FOCUS = "#products"

    def compose_body(self) -> ComposeResult:
        choices = self.choices
        yield Label("Which product is the certificate for?  (Enter chooses; F1 explains)",
                    classes="section-title")
        options = [
            Option(Text.assemble((p.label, "bold"), "\n", PRODUCT_SUMMARIES.get(p.id, "")),
                   id=p.id)
            for p in roles.products()
        ]
        yield OptionList(*options, id="products")
        yield Label("Or start from an answers file saved earlier:", classes="section-title")
        with Horizontal(id="answers-row"):
            yield Input(choices.loaded_from, placeholder="answers .toml file (Right completes)",
                        id="answers-file", suggester=PathSuggester(), compact=True)
            yield Button("Load answers", id="load-answers", compact=True)
        yield Static("", id="answers-status", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self._highlight(self.choices.product)

    def _highlight(self, product: str) -> None:
        products = self.query_one("#products", OptionList)
        ids = [p.id for p in roles.products()]
        products.highlighted = ids.index(product) if product in ids else 0

    def save(self) -> None:
        option = self.query_one("#products", OptionList).highlighted_option
        if option is not None and option.id:
            self.choices.product = option.id

    def check(self) -> str:
        return "" if self.choices.product else "Choose a product."

    @on(OptionList.OptionSelected, "#products")
    def chosen(self) -> None:
        self.action_next()

    @on(Input.Submitted, "#answers-file")
    @on(Button.Pressed, "#load-answers")
    def load_answers(self) -> None:
        from collabcert import answers

        status = self.query_one("#answers-status", Static)
        typed = self.query_one("#answers-file", Input).value.strip()
        if not typed:
            status.update("Type the path of the answers file first.")
            return
        path = typed_path(typed, self.app.cwd)
        try:
            role = apply_answers(self.choices, answers.load(path), typed)
        except InputError as exc:
            status.update(f"Not loaded: {exc}.")
            return
        self._highlight(role.product)
        known = {spec.name for spec in role.fields}
        unknown = sorted(set(self.choices.texts) - known)
        count = len(set(self.choices.texts) & known)
        note = f" Not used (not a field of {role.id}): {', '.join(unknown)}." if unknown else ""
        status.update(f"Loaded {typed}: role {role.id} with {count} answer(s). Press Next: every "
                      f"step starts with the saved answers, and you can still change them.{note}")


# --- 2. role ---------------------------------------------------------------------------------


class CsrRoleStep(CsrStep):
    title = "Role"
    help_topic = "csr-role"
    AUTO_FOCUS = "#roles"

    def compose_body(self) -> ComposeResult:
        product = roles.PRODUCTS[self.choices.product]
        yield Label(f"Which {product.label} certificate?  (Enter chooses; F1 explains)",
                    classes="section-title", markup=False)
        if product.onbox == "cucm":
            yield Static(ON_NODE_NOTE, id="on-node-note", markup=False)
        options = [
            Option(Text.assemble((role.title, "bold"), ("  " + role.id, "dim"), "\n",
                                 role.when), id=role.id)
            for role in roles.roles_for(product.id)
        ]
        yield OptionList(*options, id="roles")

    def on_mount(self) -> None:
        super().on_mount()
        ids = [r.id for r in roles.roles_for(self.choices.product)]
        chosen = self.query_one("#roles", OptionList)
        chosen.highlighted = ids.index(self.choices.role_id) if self.choices.role_id in ids else 0

    def save(self) -> None:
        option = self.query_one("#roles", OptionList).highlighted_option
        if option is not None and option.id:
            self.choices.role_id = option.id

    def check(self) -> str:
        return "" if self.choices.role else "Choose a role."

    @on(OptionList.OptionSelected, "#roles")
    def chosen(self) -> None:
        self.action_next()


# --- 3. questions ----------------------------------------------------------------------------


def help_topic_for(product: str, spec: roles.FieldSpec) -> str:
    """The F1 topic of a field: product-specific first, then the field, then the group."""
    group = {"subject": "csr-subject", "file": "csr-basename"}.get(spec.group, "csr-questions")
    for topic in (f"csr-{product}-{spec.name}", f"csr-{spec.name}", group):
        if help_text(topic) is not None:
            return topic
    return "csr-questions"


# What an empty field shows, so a blank row still says what belongs there.
PLACEHOLDERS = {
    "cluster-fqdn": "only on a cluster peer: the cluster FQDN",
    "o": "legal name, e.g. Example Ltd",
    "ou": "optional, e.g. IT",
    "l": "city, e.g. Reading",
    "st": "full name, e.g. Berkshire",
    "c": "two letters, e.g. GB",
}


def placeholder_for(spec: roles.FieldSpec) -> str:
    if spec.name in PLACEHOLDERS:
        return PLACEHOLDERS[spec.name]
    if spec.default:
        return f"{spec.default} (default)"
    if spec.is_list:
        return "comma separated" if spec.required else "optional, comma separated"
    return "a full DNS name, e.g. host.example.com" if spec.kind is roles.Kind.NAME else ""


def short_help(spec: roles.FieldSpec, limit: int = 140) -> str:
    """The first sentence of a field's help for the line under the form; F1 has all of it."""
    first = spec.help.split(". ")[0].rstrip(".") + "."
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0] + "…"
    more = " (F1: more)" if first != spec.help else ""
    return f"{spec.label}: {first}{more}"


def field_id(name: str) -> str:
    return f"f-{name}"


class CsrQuestionsStep(CsrStep):
    title = "Questions"
    help_topic = "csr-questions"
    AUTO_FOCUS = "#fields Input, #fields Select"

    def compose_body(self) -> ComposeResult:
        role, choices = self.role, self.choices
        subject = vars(self.app.settings.subject)
        yield Static(f"{role.title}. * = required; F1 explains the focused field.",
                     classes="hint", markup=False)
        with VerticalScroll(id="fields"):
            if role.fixed_cn:
                with Horizontal(classes="field-row"):
                    yield Label("Common name (CN)", classes="field-label")
                    yield Input(role.fixed_cn, id="fixed-cn", disabled=True, compact=True)
                yield Static(f"Always {role.fixed_cn} for the database client certificate; it "
                             "cannot be changed (seed-003 R12).", classes="field-warn",
                             markup=False)
            sections = (("role", "About this certificate"),
                        ("subject", "Subject (defaults from Settings)"), ("file", "Files"))
            for group, heading in sections:
                specs = [s for s in role.fields if s.group == group]
                if not specs:
                    continue
                yield Label(heading, classes="section-title")
                for spec in specs:
                    yield from self._field_row(spec, field_text(choices, spec, subject))
        yield SanPreview(id="san-preview")
        yield Static("", id="field-help", markup=False)

    def _field_row(self, spec: roles.FieldSpec, text: str) -> ComposeResult:
        label = spec.label + (" *" if spec.required else "")
        widget: Widget
        if spec.kind is roles.Kind.CHOICE:
            value = text if text in spec.choices else spec.default
            widget = Select([(c, c) for c in spec.choices], value=value, allow_blank=False,
                            id=field_id(spec.name), compact=True)
        else:
            widget = Input(text, placeholder=placeholder_for(spec), id=field_id(spec.name),
                           compact=True)
        widget.help_topic = help_topic_for(self.role.product, spec)  # type: ignore[attr-defined]
        with Horizontal(classes="field-row", id=f"row-{spec.name}"):
            yield Label(label, classes="field-label", markup=False)
            yield widget
        yield Static("", id=f"why-{spec.name}", classes="field-why", markup=False)
        yield Static("", id=f"warn-{spec.name}", classes="field-warn", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_fields()

    # --- reading and checking --------------------------------------------------------------
    def texts(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for spec in self.role.fields:
            widget = self.query_one(f"#{field_id(spec.name)}")
            if isinstance(widget, Select):
                found[spec.name] = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, Input):
                found[spec.name] = widget.value
        return found

    def refresh_fields(self) -> None:
        """Show only the fields that apply, the reason beside each bad one, and the preview."""
        role, texts = self.role, self.texts()
        given = {k: v for k, v in texts.items() if v.strip()}
        preview = roles.preview(role, answers_for(role, texts))
        for spec in role.fields:
            applies = spec.applies(given)
            self.query_one(f"#row-{spec.name}").display = applies
            result = spec.check(texts[spec.name]) if applies else None
            why = result.error if result is not None and not result.ok else ""
            # findings about this field (a private domain, a wildcard) are shown beside it
            found = [f for f in preview.findings if f.where == spec.name]
            if result is not None:
                found += [f for f in result.findings if f not in found]
            warn = "; ".join(f"{f.severity}: {f.message}" for f in found) if not why else ""
            self._set_line(f"#why-{spec.name}", why)
            self._set_line(f"#warn-{spec.name}", warn if applies else "")
            self.query_one(f"#{field_id(spec.name)}").set_class(bool(why), "invalid")
        self.query_one(SanPreview).show(role, preview)

    def _set_line(self, selector: str, text: str) -> None:
        line = self.query_one(selector, Static)
        line.update(text)
        line.display = bool(text)

    @on(Input.Changed, "#fields Input")
    @on(Select.Changed, "#fields Select")
    def changed(self) -> None:
        self.refresh_fields()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        name = (event.widget.id or "").removeprefix("f-")
        spec = self.role.field(name) if name else None
        self.query_one("#field-help", Static).update(short_help(spec) if spec else "")

    def save(self) -> None:
        self.choices.texts.update(self.texts())

    def check(self) -> str:
        role = self.role
        preview = roles.preview(role, answers_for(role, self.texts()))
        problem_field = next(iter(preview.errors), "") or (preview.missing[:1] or ("",))[0]
        if problem_field:
            self._focus_field(problem_field)
            if problem_field in preview.errors:
                return preview.errors[problem_field]
            spec = role.field(problem_field)
            label = spec.label if spec else problem_field
            return f"{label} is needed: type it (F1 explains it)."
        try:
            make_plan(self.choices, key=role.default_key)
        except InputError as exc:
            return str(exc)
        return ""

    def _focus_field(self, name: str) -> None:
        found = self.query(f"#{field_id(name)}")
        if found:
            found.first().focus()
            found.first().scroll_visible(animate=False)


# --- 4. key options --------------------------------------------------------------------------


def key_label(spec_text: str, role: roles.Role) -> str:
    from collabcert.keys import parse_key_spec

    label = parse_key_spec(spec_text).label
    notes = []
    if spec_text == role.default_key:
        notes.append("default")
    if spec_text == "rsa:4096":
        notes.append("takes a few seconds")
    return label + (f" ({', '.join(notes)})" if notes else "")


class CsrKeyStep(CsrStep):
    title = "Key options"
    help_topic = "csr-key"
    AUTO_FOCUS = "#key-type"

    def compose_body(self) -> ComposeResult:
        role, choices = self.role, self.choices
        key_type = choices.key_type if choices.key_type in role.key_types else (
            default_key_type(role, self.app.settings.key_type))
        digest = choices.digest if choices.digest in role.digests else role.default_digest
        with Horizontal(id="key-choices"):
            with Vertical():
                yield Label("Key type", classes="section-title")
                with RadioSet(id="key-type"):
                    for spec in role.key_types:
                        yield RadioButton(key_label(spec, role), value=spec == key_type,
                                          id=f"key-{spec.replace(':', '-')}")
            with Vertical():
                yield Label("Signature digest", classes="section-title")
                with RadioSet(id="digest"):
                    for name in role.digests:
                        label = DIGEST_LABELS.get(name, name)
                        suffix = " (default)" if name == role.default_digest else ""
                        yield RadioButton(label + suffix, value=name == digest,
                                          id=f"digest-{name}")
        yield Static(self._algorithm_note(), classes="hint", markup=False)
        yield Checkbox("Reuse an existing key (renew without changing the key)",
                       value=choices.reuse, id="reuse", compact=True)
        yield Input(choices.reuse_path, placeholder="path of the key file to reuse",
                    id="reuse-path", suggester=PathSuggester(), compact=True)
        yield Checkbox("Write the new key encrypted with a passphrase", value=choices.encrypt,
                       id="encrypt", compact=True)
        with Horizontal(id="passphrase-row"):
            yield Button("Set passphrase…", id="set-passphrase", compact=True)
            yield Label("", id="passphrase-state", markup=False)
        yield Static(LOCKED_NOTE, id="encrypt-note", markup=False)
        yield Static("", id="key-status", markup=False)

    def _algorithm_note(self) -> str:
        role = self.role
        if role.key_algorithm == "ec":
            return f"{role.id} is an ECDSA certificate type: it takes EC keys only (seed-004)."
        if role.key_algorithm == "rsa":
            return f"{role.id} takes RSA keys; the -ECDSA role is the EC one (seed-004)."
        if role.product == "cms":
            return "The Meeting Server guide shows RSA 2048 keys; use that when unsure."
        return "Expressway: RSA 2048 or 4096, or ECDSA (X14.3 and later) (seed-001 L315)."

    def on_mount(self) -> None:
        super().on_mount()
        self._refresh()

    def _refresh(self) -> None:
        self.save()
        choices = self.choices
        self.query_one("#reuse-path", Input).display = choices.reuse
        self.query_one("#key-type", RadioSet).disabled = choices.reuse
        self.query_one("#encrypt", Checkbox).display = not choices.reuse
        locked = choices.encrypt and not choices.reuse
        self.query_one("#passphrase-row").display = locked
        self.query_one("#encrypt-note").display = locked and self.role.product in (
            "expressway", "cms")
        state = "passphrase set (typed twice)" if choices.passphrase else "no passphrase yet"
        self.query_one("#passphrase-state", Label).update(state)

    def save(self) -> None:
        choices = self.choices
        pressed = self.query_one("#key-type", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            choices.key_type = pressed.id.removeprefix("key-").replace("-", ":", 1)
        pressed = self.query_one("#digest", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            choices.digest = pressed.id.removeprefix("digest-")
        choices.reuse = self.query_one("#reuse", Checkbox).value
        choices.reuse_path = self.query_one("#reuse-path", Input).value
        choices.encrypt = self.query_one("#encrypt", Checkbox).value

    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def option_changed(self, event) -> None:
        self._refresh()
        if (isinstance(event, Checkbox.Changed) and event.checkbox.id == "encrypt"
                and event.value and not self.choices.passphrase):
            self.ask_passphrase()

    @on(Button.Pressed, "#set-passphrase")
    def ask_passphrase(self) -> None:
        def got(passphrase: bytes | None) -> None:
            if passphrase:
                self.choices.passphrase = passphrase
            self._refresh()

        self.app.push_screen(
            PasswordDialog("Passphrase that will protect the new private key (type it twice). "
                           + LOCKED_NOTE, twice=True, title="Passphrase for the new key"), got)

    def check(self) -> str:
        choices = self.choices
        if choices.reuse and not choices.reuse_path.strip():
            return "Type the path of the key to reuse, or untick Reuse an existing key."
        if choices.encrypt and not choices.reuse and not choices.passphrase:
            return "Set the passphrase (Set passphrase…), or untick the encryption."
        return ""

    def leave_forward(self) -> None:
        self.busy = True
        self.query_one("#key-status", Static).update("Checking…")
        self.prepare()

    def reuse_file(self) -> Path:
        return typed_path(self.choices.reuse_path, self.app.cwd)

    @work(exclusive=True, group="csr-plan", exit_on_error=False)
    async def prepare(self) -> None:
        import asyncio

        from collabcert import csr

        choices = self.choices
        try:
            key = None
            if choices.reuse:
                key = await self._read_key(self.reuse_file())
                if key is None:
                    return
                spec = csr.reused_key_spec(key)
                plan = make_plan(choices, key=spec)
                await asyncio.to_thread(csr.check_key, plan, key)
            else:
                plan = make_plan(choices)
        except CollabcertError as exc:
            self.show_error(str(exc))
            return
        finally:
            self.busy = False
            self.query_one("#key-status", Static).update("")
        self.state.plan = plan
        self.state.reuse_key = key
        self.show_error("")
        self.go_next()

    async def _read_key(self, path: Path):
        import asyncio

        from collabcert import csr

        password: bytes | None = None
        while True:
            try:
                return await asyncio.to_thread(csr.load_reuse_key, path, password)
            except PasswordNeeded as exc:
                problem = "That password did not open it; try again." if password else ""
                password = await self.app.push_screen_wait(
                    PasswordDialog(str(exc) or f"{path.name} is locked with a password.",
                                   problem=problem))
                if password is None:
                    self.show_error("The key to reuse is locked; no password was given.")
                    return None


class CsrFlow(Flow):
    state_type: ClassVar[type] = CsrState
    steps = (CsrProductStep, CsrRoleStep, CsrQuestionsStep, CsrKeyStep, CsrReviewStep,
             CsrDoneStep)
