"""Findings as wrapped lines: `ERROR SAN-MISSING: ...` then `  fix: ...`.

A table would cut long sentences at 80 columns; here every message wraps and stays readable.
The severity is a word, never only a colour (NO_COLOR, screen readers, reading aloud).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold"}


def finding_text(findings: Sequence[Any], *, skip: Iterable[str] = ()) -> Text:
    skipped = set(skip)
    shown = [f for f in findings if f.id not in skipped]
    if not shown:
        return Text("No findings.")
    order = {"error": 0, "warning": 1, "info": 2}
    text = Text()
    for number, finding in enumerate(sorted(shown, key=lambda f: order.get(str(f.severity), 3))):
        if number:
            text.append("\n")
        severity = str(finding.severity)
        text.append(severity.upper(), _STYLE.get(severity, ""))
        text.append(f" {finding.id}: {finding.message}")
        if finding.fix:
            text.append(f"\n    fix: {finding.fix}")
    return text


def counts(findings: Sequence[Any]) -> str:
    """`1 error, 2 warnings` ('no problems' when there are neither)."""
    errors = sum(str(f.severity) == "error" for f in findings)
    warnings = sum(str(f.severity) == "warning" for f in findings)
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) or "no problems"


class FindingList(Static):
    DEFAULT_CSS = """
    FindingList {
        height: auto;
        padding: 0 1;
    }
    """
    help_topic = "findings"

    def __init__(self, findings: Sequence[Any] = (), *, skip: Iterable[str] = (),
                 **kwargs: Any) -> None:
        self.skip = tuple(skip)
        super().__init__(finding_text(findings, skip=self.skip), markup=False, **kwargs)

    def show(self, findings: Sequence[Any]) -> None:
        self.update(finding_text(findings, skip=self.skip))
