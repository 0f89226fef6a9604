"""Findings on screen, in two widgets; both take collabcert.findings.Finding values (lint's, the
reader's, a plan's), wrap every message (nothing is cut at 80 columns) and say the severity as a
word, never only a colour (NO_COLOR, screen readers, reading aloud).

- `FindingList`: read-only lines, `ERROR SAN-MISSING: ...` then `    fix: ...`, errors first. The
  import and bundle flows show it beside a chain, where the findings are one part of the step.
- `FindingsPanel`: the findings are the step (check, MRA): grouped by severity, each one
  expandable to its fix and citation. Enter or Space on a finding shows its fix and citation;
  Up / Down move between findings; `+` opens them all, `-` closes them, `c` copies the report.
  The plain-text report for a ticket comes from collabcert.report.plain_report (or the text
  the caller passes, e.g. LintReport.text_report()).

Both say a finding as collabcert.report does (its `parts()`), so the CLI, the copied report and
the screens read alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

from collabcert.citations import plain_citations  # seed ids said as document names
from collabcert.report import (  # the one renderer; re-exported for the screens
    SEVERITIES,
    count_text,
    grouped,
    in_severity_order,
    parts,
    plain_report,
    problem_count_text,
)

__all__ = ["SEVERITIES", "FindingItem", "FindingList", "FindingsPanel", "count_text", "grouped",
           "plain_report", "problem_count_text"]

# A long list is mounted in batches (issue 12 item 18): up to WHOLE body widgets (group titles and
# findings) are composed with the panel; of a longer list the first FIRST_ITEMS, and the rest
# LATER_ITEMS a turn of the event loop once the panel is shown (a hidden tab waits: the layout
# of a widget first shown is the cost, about 2 ms a finding).
WHOLE = 40
FIRST_ITEMS = 6
LATER_ITEMS = 10
GROUP_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Notes (info)"}
_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold"}


# --- the read-only list -----------------------------------------------------------------------
def finding_text(findings: Sequence[Any], *, skip: Iterable[str] = ()) -> Text:
    """The rows of collabcert.report.finding_lines(where=False, cite=False), label coloured."""
    skipped = set(skip)
    shown = [f for f in findings if f.id not in skipped]
    if not shown:
        return Text("No findings.")
    text = Text()
    for number, finding in enumerate(in_severity_order(shown)):
        if number:
            text.append("\n")
        piece = parts(finding)
        text.append(piece.label(), _STYLE.get(piece.severity, ""))
        text.append(f" {plain_citations(piece.head(where=False))}")
        if piece.fix:
            text.append(f"\n    fix: {plain_citations(piece.fix)}")
    return text


class FindingList(Static):
    """The findings as wrapped lines, errors first; `skip` leaves out IDs the step shows itself."""

    DEFAULT_CSS = """
    FindingList {
        height: auto;
        padding: 0 1;
    }
    """
    help_topic = "findings"

    def __init__(self, findings: Sequence[Any] = (), *, skip: Iterable[str] = (),
                 **kwargs: Any) -> None:
        super().__init__(finding_text(findings, skip=skip), markup=False, **kwargs)


# --- the interactive panel --------------------------------------------------------------------


def title_text(finding: Any, expanded: bool) -> Text:
    # Separators end the previous segment (never start one): SVG viewers drop leading spaces.
    piece = parts(finding)
    text = Text()
    text.append("▼ " if expanded else "▶ ")
    text.append(piece.label() + " ", _STYLE.get(piece.severity, ""))
    text.append(piece.id + ("  " if piece.where else ""), "bold")
    if piece.where:
        text.append(piece.where, "italic")
    return text


def detail_text(finding: Any) -> Text:
    piece = parts(finding)
    text = Text()
    text.append("fix: ", "bold")
    text.append(plain_citations(piece.fix) or "(nothing to do)")
    text.append("\n")
    text.append("cite: ", "bold")
    text.append(piece.cite or "(no citation)")
    return text


class FindingItem(Vertical, can_focus=True):
    """One finding: severity, ID and where; the message below; the fix and cite when opened."""

    DEFAULT_CSS = """
    FindingItem {
        height: auto;
        padding: 0 1;
    }
    FindingItem:focus {
        background: $boost;
    }
    FindingItem.-expanded {
        border-left: thick $primary;
        padding: 0 1 0 0;
    }
    FindingItem .finding-message, FindingItem .finding-detail {
        padding: 0 0 0 2;
    }
    """
    BINDINGS = [
        Binding("enter,space", "toggle", "Fix and citation", id="findings.toggle"),
        Binding("down", "move(1)", "Next finding", show=False, id="findings.next"),
        Binding("up", "move(-1)", "Previous finding", show=False, id="findings.previous"),
    ]
    expanded: reactive[bool] = reactive(False)

    def __init__(self, finding: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.finding = finding

    def compose(self) -> ComposeResult:
        yield Static(title_text(self.finding, False), classes="finding-title", markup=False)
        yield Static(plain_citations(self.finding.message), classes="finding-message",
                     markup=False)
        detail = Static(detail_text(self.finding), classes="finding-detail", markup=False)
        detail.display = False
        yield detail

    def watch_expanded(self, expanded: bool) -> None:
        self.set_class(expanded, "-expanded")
        if not self.is_mounted:
            return
        self.query_one(".finding-title", Static).update(title_text(self.finding, expanded))
        self.query_one(".finding-detail", Static).display = expanded

    def on_mount(self) -> None:
        self.watch_expanded(self.expanded)

    def action_toggle(self) -> None:
        self.expanded = not self.expanded

    def on_click(self) -> None:
        self.focus()
        self.action_toggle()

    def action_move(self, step: int) -> None:
        panel = next((a for a in self.ancestors if isinstance(a, FindingsPanel)), None)
        items = list(panel.query(FindingItem)) if panel else []
        if self not in items:
            return
        index = items.index(self) + step
        if 0 <= index < len(items):
            items[index].focus()
            items[index].scroll_visible(animate=False)
        elif step > 0:  # past the last finding: on to the next control, as Tab would
            self.screen.focus_next()
        else:
            self.screen.focus_previous()


class FindingsPanel(Vertical):
    """A headline with the counts, Copy report / Open all buttons, and the grouped findings."""

    DEFAULT_CSS = """
    FindingsPanel {
        height: auto;
    }
    FindingsPanel .findings-bar {
        height: auto;
    }
    FindingsPanel .findings-bar Button {
        margin-right: 2;
    }
    FindingsPanel .findings-headline {
        width: 1fr;
        text-style: bold;
    }
    FindingsPanel .findings-group {
        margin-top: 1;
        text-style: bold underline;
    }
    FindingsPanel .findings-none {
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("c", "copy_report", "Copy report", id="findings.copy_report"),
        Binding("plus", "expand_all(True)", "Open all", show=False, id="findings.open_all"),
        Binding("minus", "expand_all(False)", "Close all", show=False,
                id="findings.close_all"),
    ]
    # No help_topic: F1 shows the help of the screen, which says what its findings mean.

    class CopyRequested(Message):
        """The user pressed Copy report (the panel copies; the screen may also listen)."""

    def __init__(
        self,
        findings: Sequence[Any] = (),
        *,
        report: str | None = None,
        skip: Iterable[str] = (),
        what: str = "the findings report",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.skip = frozenset(skip)
        self.findings = [f for f in findings if f.id not in self.skip]
        self.report = report
        self.what = what
        self._later: list[Static] = []  # body widgets mounted after the first paint
        self._open_later = False  # "Open all" was pressed before they were mounted
        self._mounting = False  # a batch is on its way

    def compose(self) -> ComposeResult:
        with Horizontal(classes="findings-bar"):
            yield Static(self.headline(), classes="findings-headline", markup=False)
            yield Button("Copy report", id="copy-report", compact=True)
            yield Button("Open all", id="open-all", compact=True)
        body = list(self._items())
        first = len(body) if len(body) <= WHOLE else FIRST_ITEMS
        yield from body[:first]
        self._later = body[first:]

    def on_show(self) -> None:
        if self._later and not self._mounting:
            self._mounting = True
            self.call_after_refresh(self._mount_later)

    async def _mount_later(self) -> None:
        """The next batch of findings, after the screen had its turn (issue 12 item 18): four
        widgets a finding, 200 findings would hold the first paint and every key meanwhile."""
        if not self._later:
            self._mounting = False
            return
        batch, self._later = self._later[:LATER_ITEMS], self._later[LATER_ITEMS:]
        for item in batch:
            if isinstance(item, FindingItem):
                item.expanded = self._open_later
        await self.mount_all(batch)
        if self._later:
            self.set_timer(0.01, self._mount_later)
        else:
            self._mounting = False
            self._label_open_all()

    @property
    def complete(self) -> bool:
        """Every finding is mounted (a long list goes in in batches after the first paint)."""
        return not self._later

    def _items(self) -> Iterable[Static]:
        if not self.findings:
            yield Static("No findings: nothing to fix.", classes="findings-none findings-body",
                         markup=False)
            return
        for severity, items in grouped(self.findings).items():
            if not items:
                continue
            title = f"{GROUP_TITLES.get(severity, severity.title())} ({len(items)})"
            yield Static(title, classes="findings-group findings-body", markup=False)
            for finding in items:
                yield FindingItem(finding, classes=f"findings-body finding-{severity}")

    def headline(self) -> str:
        return f"Findings: {count_text(self.findings)}"

    async def show(self, findings: Sequence[Any], report: str | None = None) -> None:
        """Replace the findings (keeps the bar and its buttons)."""
        self.findings = [f for f in findings if f.id not in self.skip]
        self.report = report
        self._later = []  # a batch still to come belongs to the findings replaced
        await self.query(".findings-body").remove()
        await self.mount_all(list(self._items()))
        self.query_one(".findings-headline", Static).update(self.headline())
        self.query_one("#open-all").display = bool(self.findings)

    def report_text(self) -> str:
        if self.report is not None:
            return self.report
        return plain_report(self.findings) or "No findings.\n"

    @property
    def items(self) -> list[FindingItem]:
        return list(self.query(FindingItem))

    def action_expand_all(self, expand: bool = True) -> None:
        for item in self.items:
            item.expanded = expand
        self._open_later = expand  # and the findings not mounted yet
        self._label_open_all()

    def on_mount(self) -> None:
        self.query_one("#open-all").display = bool(self.findings)

    def _every_open(self) -> bool:
        items = self.items
        return bool(items) and all(i.expanded for i in items) and (
            not self._later or self._open_later)

    def _label_open_all(self) -> None:
        every = self._every_open()
        self.query_one("#open-all", Button).label = "Close all" if every else "Open all"

    @on(Button.Pressed, "#open-all")
    def open_all_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_expand_all(not self._every_open())

    @on(Button.Pressed, "#copy-report")
    def copy_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.copy_report()

    def action_copy_report(self) -> None:
        self.copy_report()

    def copy_report(self) -> None:
        from collabcert.tui.clipboard import copy_text

        copy_text(self.app, self.report_text(), self.what)
        self.post_message(self.CopyRequested())
