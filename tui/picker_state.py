"""What the file picker collects, as plain values (no widgets): state modules and the engine
calls they make use these without reaching textual (tests/contract/test_layering.py).

tui/picker.py (the SourcePicker widget) reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sources:
    """What the user chose: files (in order) and pasted text (may be empty)."""

    paths: tuple[Path, ...] = ()
    pasted: str = ""

    @property
    def empty(self) -> bool:
        return not self.paths and not self.pasted.strip()


@dataclass
class PickerState:
    """Everything typed or chosen in the picker, kept across Back/Next."""

    chosen: list[Path] = field(default_factory=list)
    unticked: set[Path] = field(default_factory=set)
    path_text: str = ""
    pasted: str = ""
    show_all: bool = False
    tab: str = "tab-browse"
