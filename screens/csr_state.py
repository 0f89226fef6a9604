"""What the "Create a key and CSR" flow keeps between its steps, and the engine calls it makes.

No Textual here: the steps (screens/csr.py, screens/csr_review.py) read and write a `CsrState`
(CsrFlow.state_type) and its `CsrChoices`; everything about roles, plans, keys and files is asked
of the engine (collabcert.roles, collabcert.answers, and the csr job collabcert.jobs.csr that
`collabcert csr` calls too). Texts are kept exactly as typed, per field name, so Back,
a change of role, or a return to a step never loses what the user entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabcert import roles
from collabcert.errors import InputError
from collabcert.jobs.csr import CsrResult, CsrReview, review_csr
from collabcert.tui.paths import typed_path

if TYPE_CHECKING:
    from collabcert.answers import Answers
    from collabcert.findings import Finding
    from collabcert.roles import Role, RolePlan

SUBJECT_NAMES = ("o", "ou", "l", "st", "c")
DIGEST_LABELS = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}

# One line per product on the first step: which certificates live there.
PRODUCT_SUMMARIES = {
    "expressway": "Expressway-C and -E server certificates: MRA, B2B, XMPP federation",
    "cms": "Web Bridge, XMPP, Call Bridge, TURN, database cluster, Web Admin",
    "cucm": "tomcat, CallManager, CAPF, TVS and ipsec (RSA and -ECDSA)",
    "imp": "tomcat, cup, cup-xmpp and cup-xmpp-s2s (RSA and -ECDSA)",
}


@dataclass
class CsrChoices:
    """Everything chosen or typed in the flow."""

    product: str = ""
    role_id: str = ""
    texts: dict[str, str] = field(default_factory=dict)  # field name -> text as typed
    key_type: str = ""  # "" until the key step: the settings' or the role's default
    digest: str = ""
    reuse: bool = False
    reuse_path: str = ""
    encrypt: bool = False
    passphrase: bytes | None = field(default=None, repr=False)
    out_folder: str | None = None  # None until the review step: the settings' default
    answers_path: str = ""
    loaded_from: str = ""  # the answers file the flow started from, if any

    @property
    def role(self) -> Role | None:
        return roles.get_role_or_none(self.role_id) if self.role_id else None


def carried_over(choices: CsrChoices) -> CsrChoices:
    """What "Make another" keeps for the next CSR (issue 12 item 15): the product and role,
    the subject fields and the node lists (cluster FQDN, the other nodes, additional names);
    not this peer's own FQDN nor the file basename, which differ per node."""
    role = choices.role
    kept: dict[str, str] = {}
    if role is not None:
        for spec in role.fields:
            text = choices.texts.get(spec.name, "")
            if spec.group == "subject" or (spec.is_list or spec.name == "cluster-fqdn"):
                kept[spec.name] = text
    for name in SUBJECT_NAMES:  # typed for another role of the same run
        kept.setdefault(name, choices.texts.get(name, ""))
    return CsrChoices(product=choices.product, role_id=choices.role_id,
                      texts={k: v for k, v in kept.items() if v}, key_type=choices.key_type,
                      digest=choices.digest, out_folder=choices.out_folder)


def typed_anything(choices: CsrChoices) -> bool:
    """Something typed that leaving the flow would lose."""
    return any(text.strip() for text in choices.texts.values()) or bool(choices.reuse_path)


@dataclass(slots=True)
class CsrState:
    """The flow's state: what was typed and chosen, the plan made of it, and the job's result."""

    choices: CsrChoices = field(default_factory=CsrChoices)
    plan: RolePlan | None = None  # made on the key step (a reused key decides the key type)
    reuse_key: Any = None  # the key to reuse, read on the key step; None for a new key
    result: CsrResult | None = None  # what the Write button made and wrote

    def review(self, settings_folder: str, cwd: Path) -> CsrReview:
        """The csr job's review for the folder as typed (findings, files, next steps)."""
        if self.plan is None:
            raise InputError("choose a role first (go Back to the role step)")
        choices = self.choices
        reused = self.reuse_key is not None
        return review_csr(
            self.plan, out_dir(choices, settings_folder, cwd), reuse_key=self.reuse_key,
            key_source=typed_path(choices.reuse_path, cwd) if reused else None,
            encrypt=choices.encrypt and bool(choices.passphrase) and not reused)

    def passphrase(self) -> bytes | None:
        """The new key's passphrase, when it is to be encrypted (a reused key is kept as is)."""
        choices = self.choices
        return choices.passphrase if choices.encrypt and self.reuse_key is None else None


def field_text(choices: CsrChoices, spec: roles.FieldSpec, subject_defaults: Mapping[str, str]
               ) -> str:
    """The text a field starts with: what was typed, else the settings default, else the role's."""
    if spec.name in choices.texts:
        return choices.texts[spec.name]
    if spec.name in SUBJECT_NAMES:
        return subject_defaults.get(spec.name, "")
    if spec.kind is roles.Kind.CHOICE:
        return spec.default
    return ""  # the basename default shows as a placeholder, so a change of role follows it


def answers_for(role: Role, texts: Mapping[str, str]) -> dict[str, str]:
    """The answers the engine should see: this role's fields that apply and have text."""
    given = {name: text for name, text in texts.items() if text.strip()}
    return {
        spec.name: given[spec.name]
        for spec in role.fields
        if spec.name in given and spec.applies(given)
    }


def default_key_type(role: Role, settings_key: str) -> str:
    """The settings' key type when the role offers it (an RSA default is no use to -ECDSA)."""
    return settings_key if settings_key in role.key_types else role.default_key


def make_plan(choices: CsrChoices, *, key: Any = None) -> RolePlan:
    """The engine's plan; `key` is a KeySpec (a reused key decides the type). Raises InputError."""
    role = choices.role
    if role is None:
        raise InputError("choose a role first (go Back to the role step)")
    return roles.plan(role, answers_for(role, choices.texts),
                      key=key or choices.key_type or None, digest=choices.digest or None)


def apply_answers(choices: CsrChoices, saved: Answers, source: str) -> Role:
    """Fill the choices from an answers file (collabcert.answers); the role must be known."""
    if not saved.role:
        raise InputError(f"{source}: names no role; add a line such as role = \"expressway-e\"")
    role = roles.get_role(saved.role)
    choices.product, choices.role_id = role.product, role.id
    for name, value in saved.fields.items():
        name = roles.normalize_field_name(name)
        choices.texts[name] = value if isinstance(value, str) else ", ".join(value)
    choices.key_type = saved.key or choices.key_type
    choices.digest = saved.digest or choices.digest
    choices.loaded_from = source
    return role


def out_dir(choices: CsrChoices, settings_folder: str, cwd: Path) -> Path:
    """The output folder: as typed (relative to where the app runs), else the current folder."""
    return typed_path(choices.out_folder if choices.out_folder is not None else settings_folder,
                      cwd)


def finding_lines(findings: Iterable[Finding]) -> list[str]:
    """The findings as the one renderer says them (collabcert.report): `WARNING ID: message`,
    then the fix and the citation on their own lines; severity as a word (NO_COLOR)."""
    from collabcert.report import finding_lines as lines_of

    return lines_of(findings)
