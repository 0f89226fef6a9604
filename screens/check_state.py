"""What the Check flow collects and how it becomes a lint job request (no widgets here).

The screens only gather which files, which roles and which field values; the lint job
(collabcert.jobs.lint, the same as `collabcert lint`) reads the bytes and judges them. Runs in a
thread (see screens/check.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabcert.tui.paths import display_path
from collabcert.tui.picker_state import PickerState, Sources

if TYPE_CHECKING:
    from collabcert.jobs.lint import LintRequest, LintResult

SAME = "same"  # a file's role: the role for all files
NO_ROLE = "none"  # the role for all: general rules only
PASTED = "pasted text"

# Pseudo roles of collabcert.lint.context, in words a person picks from.
PSEUDO_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("trust", "Trust list of the box checked (Expressway CA list, CMS bundle, CUCM -trust)"),
    ("peer", "A peer node's certificate (CUCM tomcat-trust check)"),
    ("trust-c", "Expressway-C's own trust list (traversal checks)"),
    ("trust-e", "Expressway-E's own trust list (traversal checks)"),
)


@dataclass
class CheckChoice:
    """The roles and fields chosen; file roles are keyed by the file's display name."""

    role: str = NO_ROLE
    file_roles: dict[str, str] = field(default_factory=dict)
    fields: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> field -> value

    def role_id(self) -> str | None:
        return None if self.role in ("", NO_ROLE) else self.role

    def field_values(self) -> dict[str, str]:
        role = self.role_id()
        values = self.fields.get(role, {}) if role else {}
        return {k: v.strip() for k, v in values.items() if v.strip()}


@dataclass(slots=True)
class CheckState:
    """The Check flow's state (CheckFlow.state_type): what was picked, the roles and fields
    chosen, and the job's result once the check ran."""

    picker: PickerState = field(default_factory=PickerState)
    sources: Sources = field(default_factory=Sources)
    choice: CheckChoice = field(default_factory=CheckChoice)
    result: LintResult | None = None


def role_options() -> list[tuple[str, str]]:
    """(label, role ID) for every catalogue role, product first so they sort together."""
    from collabcert.roles import catalogue, products

    label = {p.id: p.label for p in products()}
    return [(f"{label.get(r.product, r.product)}: {r.title}", r.id) for r in catalogue()]


def role_fields(role_id: str | None) -> list[Any]:
    """The role's own questions (FQDN, SAN lists...): the ones lint compares the files with."""
    from collabcert.roles import get_role_or_none

    role = get_role_or_none(role_id) if role_id else None
    return [f for f in role.fields if f.group == "role"] if role else []


def field_problem(role_id: str | None, values: dict[str, str]) -> str:
    """The first field value the catalogue refuses ("" when all are fine): the job's rule."""
    from collabcert.jobs.lint import field_problem as problem

    return problem(role_id, values)


def source_names(sources: Sources, base: Path | None) -> list[str]:
    names = [display_path(p, base) for p in sources.paths]
    if sources.pasted.strip():
        names.append(PASTED)
    return names


def request_of(sources: Sources, choice: CheckChoice, base: Path | None) -> LintRequest:
    """The lint job's request: each file by the name shown, with its own role, and the pasted
    text; the role for all and its fields (the job reads and checks them)."""
    from collabcert.jobs.lint import LintFile, LintRequest

    files = [LintFile(display_path(p, base), p, role=_file_role(choice, display_path(p, base)))
             for p in sources.paths]
    if sources.pasted.strip():
        files.append(LintFile(PASTED, data=sources.pasted.encode("utf-8"),
                              role=_file_role(choice, PASTED)))
    return LintRequest(tuple(files), role=choice.role_id(), fields=choice.field_values())


def _file_role(choice: CheckChoice, name: str) -> str | None:
    role = choice.file_roles.get(name, SAME)
    return None if role in (SAME, "") else role


def run_check(state: CheckState, base: Path | None, now: dt.datetime) -> LintResult:
    """The lint job's result for what was chosen. Raises InputError with one sentence."""
    from collabcert.jobs.lint import run

    return run(request_of(state.sources, state.choice, base), now=now)
