"""What the Check flow collects and how it becomes a lint run (no widgets here).

The screens only gather which files, which roles and which field values; the engine
(collabcert.lint) reads the bytes and judges them. Runs in a thread (see screens/check.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabcert.errors import InputError
from collabcert.tui.paths import display_path
from collabcert.tui.picker import Sources

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
    """The first field value the catalogue refuses, as one sentence ("" when all are fine)."""
    for spec in role_fields(role_id):
        text = values.get(spec.name, "").strip()
        if not text:
            continue
        checked = spec.check(text)
        if checked.error:
            return f"{spec.label}: {checked.error}"
    return ""


def source_names(sources: Sources, base: Path | None) -> list[str]:
    names = [display_path(p, base) for p in sources.paths]
    if sources.pasted.strip():
        names.append(PASTED)
    return names


def lint_inputs(sources: Sources, choice: CheckChoice, base: Path | None) -> list[Any]:
    """One LintInput per file (the raw bytes: the engine parses them) and the pasted text."""
    from collabcert.lint import LintInput

    inputs = []
    for path in sources.paths:
        name = display_path(path, base)
        inputs.append(LintInput(name, _read(path, name), _file_role(choice, name)))
    if sources.pasted.strip():
        inputs.append(LintInput(PASTED, sources.pasted.encode("utf-8"),
                                _file_role(choice, PASTED)))
    return inputs


def _file_role(choice: CheckChoice, name: str) -> str | None:
    role = choice.file_roles.get(name, SAME)
    return None if role in (SAME, "") else role


def _read(path: Path, name: str) -> bytes:
    from collabcert.load import read_file

    try:
        return read_file(path)
    except InputError as exc:  # say it with the name the person chose it by
        raise InputError(str(exc).replace(str(path), name, 1)) from exc


def run_check(sources: Sources, choice: CheckChoice, base: Path | None,
              now: dt.datetime) -> Any:
    """The lint report (collabcert.lint.LintReport). Raises InputError with one sentence."""
    from collabcert.lint import LintOptions, run_lint

    inputs = lint_inputs(sources, choice, base)
    return run_lint(inputs, role=choice.role_id(), fields=choice.field_values(), now=now,
                    options=LintOptions())
