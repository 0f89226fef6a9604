"""What the Inspect flow keeps between its steps (InspectFlow.state_type). No Textual here.

The results step asks the engine's inspect job (collabcert.jobs.inspect.inspect_files, the
same job `collabcert inspect` prints) and keeps its result; it never reads certificates itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from collabcert.jobs.inspect import InspectResult, inspect_files
from collabcert.tui.picker_state import PickerState


@dataclass(slots=True)
class InspectState:
    picker: PickerState = field(default_factory=PickerState)
    load: Any = None  # tui.loading.LoadResult: what the files step read
    result: InspectResult | None = None  # the job's answer for `load`


def run_inspect(state: InspectState, now: dt.datetime) -> InspectResult:
    """The inspect job over what was read; the unreadable inputs are its problems."""
    load = state.load
    state.result = inspect_files(load.loaded if load else [], load.problems if load else [],
                                 at=now)
    return state.result


def source_names(load: Any) -> dict[str, str]:
    """Engine source name -> the name the person chose the file by (relative path)."""
    if load is None:
        return {}
    return {s.loaded.source: s.name for s in load.sources if s.loaded is not None}


def read_problems(load: Any) -> list[tuple[str, str]]:
    """(the name the person chose the file by, why it could not be read), per unreadable input."""
    if load is None:
        return []
    return [(s.name, s.problem) for s in load.sources if s.problem]
