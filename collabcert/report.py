"""Findings as text: the one renderer for the CLI, the copied ticket report and the TUI widgets.

A finding is said as `LABEL ID [where]: message`, then `    fix: ...` and `    cite: ...` on their
own lines; the severity is a word, never only a colour (NO_COLOR, screen readers, reading aloud).
The CLI prints the label as the JSON severity (`error`, grep-able like `--json`); the report and
the TUI say it in capitals (`ERROR`). The TUI widgets build their styled rows from `parts()`, the
same pieces `finding_lines` joins, so a finding reads the same wherever it is shown.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from collabcert.display import shown
from collabcert.findings import Finding

SEVERITIES = ("error", "warning", "info")
INDENT = "    "  # the fix and cite lines sit under the finding


class VerdictLike(Protocol):
    """A verdict row (collabcert.lint.mra.VerdictRow) as the report needs it."""

    def text(self) -> str: ...


@dataclass(frozen=True)
class FindingText:
    """The pieces of one finding's text."""

    severity: str  # "error", "warning", "info"
    id: str
    where: str
    message: str
    fix: str
    cite: str

    def label(self, *, lower: bool = False) -> str:
        return self.severity if lower else self.severity.upper()

    def head(self, *, where: bool = True) -> str:
        """`ID [where]: message` (the label goes before it)."""
        place = f" [{self.where}]" if where and self.where else ""
        return f"{self.id}{place}: {self.message}"


def parts(finding: Finding) -> FindingText:
    """The finding as display text: `where` (a file name) and the sentences, which quote names
    from the files, have their control characters escaped (collabcert.display)."""
    return FindingText(str(finding.severity), finding.id, shown(finding.where),
                       shown(finding.message), shown(finding.fix), shown(finding.cite))


def grouped(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings by severity, in the order given within each group (lint sorts them already)."""
    out: dict[str, list[Finding]] = {s: [] for s in SEVERITIES}
    for finding in findings:
        out.setdefault(str(finding.severity), []).append(finding)
    return out


def in_severity_order(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; the given order within each."""
    return [f for group in grouped(findings).values() for f in group]


def finding_lines(findings: Iterable[Finding], width: int | None = None, *,
                  lower: bool = False, where: bool = True, cite: bool = True) -> list[str]:
    """Every finding, errors first: its head line, then its fix and its citation (when it has
    them). `width` wraps each line there (continuations indented); None leaves lines whole."""
    lines: list[str] = []
    for finding in in_severity_order(findings):
        piece = parts(finding)
        own = [f"{piece.label(lower=lower)} {piece.head(where=where)}"]
        if piece.fix:
            own.append(f"{INDENT}fix: {piece.fix}")
        if cite and piece.cite:
            own.append(f"{INDENT}cite: {piece.cite}")
        lines += own if width is None else [w for line in own for w in _wrap(line, width)]
    return lines


def _wrap(line: str, width: int) -> list[str]:
    lead = INDENT if line.startswith(INDENT) else ""
    return textwrap.wrap(line, width, initial_indent="", subsequent_indent=lead + INDENT,
                         break_on_hyphens=False, drop_whitespace=True) or [line]


def plain_report(findings: Iterable[Finding], verdicts: Sequence[VerdictLike] = ()) -> str:
    """The text copied or saved for a ticket: the verdict rows (MRA) first, a blank line, then
    every finding with its fix and citation. Ends in a newline ("" when there is nothing)."""
    rows = [row.text() for row in verdicts]
    lines = finding_lines(findings)
    if rows and lines:
        rows.append("")
    text = "\n".join(rows + lines)
    return text + "\n" if text else ""


def count_text(findings: Sequence[Finding]) -> str:
    """`1 error, 2 warnings, 3 notes` ("no findings" when empty)."""
    groups = grouped(findings)
    words = (("error", "error", "errors"), ("warning", "warning", "warnings"),
             ("info", "note", "notes"))
    shown = [f"{len(groups[s])} {one if len(groups[s]) == 1 else many}"
             for s, one, many in words if groups[s]]
    return ", ".join(shown) or "no findings"


def problem_count_text(findings: Sequence[Finding]) -> str:
    """`1 error, 2 warnings` ("no problems" when there are neither; notes are not counted)."""
    groups = grouped(findings)
    shown = [f"{len(groups[s])} {s if len(groups[s]) == 1 else s + 's'}"
             for s in ("error", "warning") if groups[s]]
    return ", ".join(shown) or "no problems"


def summary_line(findings: Sequence[Finding], files: int) -> str:
    """The CLI's last line: `1 errors, 0 warnings, 2 info (3 files)`."""
    groups = grouped(findings)
    return (f"{len(groups['error'])} errors, {len(groups['warning'])} warnings, "
            f"{len(groups['info'])} info ({files} files)")


# --- the summary for a ticket (issue 12 item 16) -------------------------------------------------
_KEY_MATERIAL = ("PRIVATE KEY-----", "ENCRYPTED PRIVATE KEY", "BEGIN RSA PRIVATE", "BEGIN EC PRIV")


def ticket_summary(task: str, asked: Iterable[str], written: Iterable[str],
                   findings: Sequence[Finding], next_steps: Iterable[str],
                   found: Iterable[str] = ()) -> str:
    """What a support person pastes into a ticket from any result screen: what was asked, what
    was written, the findings (with fix and citation) and the next steps, as plain text.

    Never key material: a line that carries a PEM private key marker is left out (the callers
    pass names and sentences, this is the last guard). Citations are said in plain words
    (collabcert.citations) except in the findings' cite lines, which keep the rule ids.
    """
    from collabcert.citations import Mentions, plain_citations

    said = Mentions()  # one text: each document's full name once, at its first mention

    def clean(lines: Iterable[str]) -> list[str]:
        return [plain_citations(line, said) for line in lines
                if line.strip() and not any(mark in line for mark in _KEY_MATERIAL)]

    out = [f"collabcert: {task}", "", "What was asked:"]
    out += [f"  - {line}" for line in clean(asked)] or ["  - (nothing)"]
    seen = clean(found)
    if seen:
        out += ["", "What was found:"] + [f"  - {line}" for line in seen]
    out += ["", "What was written:"]
    out += [f"  - {line}" for line in clean(written)] or ["  - nothing"]
    out += ["", f"Findings: {count_text(findings)}"]
    out += [f"  {line}" for line in finding_lines(findings)
            if not any(mark in line for mark in _KEY_MATERIAL)]
    steps = clean(next_steps)
    if steps:
        out += ["", "Next steps:"] + [f"  {n}. {step}" for n, step in enumerate(steps, 1)]
    return "\n".join(out) + "\n"
