"""The lines a step shows while targets are probed (issue 14 item 7), as plain data: each
target waiting, connecting, or done with its short verdict, and the count "3 of 12 done".
No widgets here (screens' state modules use it); tui/progress.py draws it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the job is imported when a probe runs, not when the wizard starts
    from collabcert.jobs.probe import TargetProgress


@dataclass(slots=True)
class ProgressBoard:
    """One run's targets in the order asked; `done_line` turns a finished target's outcome
    (a ProbeRecord, a NodeRead) into its line."""

    targets: tuple[str, ...]
    done_line: Callable[[object], str]
    lines: list[str] = field(default_factory=list)
    finished: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        from collabcert.probe_report import waiting_line

        self.lines = [waiting_line(t) for t in self.targets]

    def apply(self, event: TargetProgress) -> None:
        from collabcert.jobs.probe import CONNECTING, DONE
        from collabcert.probe_report import connecting_line

        if not 0 <= event.index < len(self.targets):
            return  # not one of this run's targets
        if event.stage == DONE:
            self.finished.add(event.index)
            self.lines[event.index] = self.done_line(event.outcome)
        elif event.stage == CONNECTING and event.index not in self.finished:
            self.lines[event.index] = connecting_line(event.target)

    @property
    def count_text(self) -> str:
        return f"{len(self.finished)} of {len(self.targets)} done"

    def text(self, what: str = "Probing") -> str:
        return "\n".join([f"{what}: {self.count_text}", *self.lines])


def board_of(targets: Sequence[str], done_line: Callable[[object], str]) -> ProgressBoard:
    return ProgressBoard(tuple(targets), done_line)
