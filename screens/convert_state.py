"""What the Convert flow keeps between its steps (ConvertFlow.state_type). No Textual here.

The steps keep what was picked and chosen; the engine's convert job (collabcert.jobs.convert,
the same job `collabcert convert` calls) plans the files and reads them back once written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabcert.errors import InputError
from collabcert.jobs.convert import ConvertOptions, ConvertResult, convert_files, key_choices
from collabcert.jobs.inspect import item_views
from collabcert.screens.inspect_state import read_problems, source_names
from collabcert.tui.paths import typed_path
from collabcert.tui.picker_state import PickerState


@dataclass
class OutputChoice:
    """What was chosen on the output step (kept across Back/Next)."""

    format: str = "pem"
    key_index: int = 0  # among the private keys of the inputs (for PKCS#12)
    password: bytes | None = field(default=None, repr=False)
    p12_legacy: bool = False  # 3DES/SHA-1 PKCS#12 for old importers (collabcert.convert)
    to_folder: bool = False
    folder: str = ""

    def out_dir(self, cwd: Path) -> Path | None:
        return typed_path(self.folder, cwd) if self.to_folder else None


@dataclass(slots=True)
class ConvertState:
    picker: PickerState = field(default_factory=PickerState)
    load: Any = None  # tui.loading.LoadResult: what the files step read
    output: OutputChoice | None = None  # None until the output step: the settings' folder
    result: ConvertResult | None = None  # the job's plan for `load` and `output`
    written: list[Path] = field(default_factory=list)

    @property
    def plan(self) -> list[Any]:
        """The files to write (tui/write_step.py reads `plan`)."""
        return list(self.result.planned) if self.result is not None else []


def input_keys(load: Any) -> list[tuple[str, Any]]:
    """(label, key) for every private key in the inputs, labelled by the names shown."""
    views = item_views(item for loaded in (load.loaded if load else []) for item in loaded.items)
    return key_choices(views, source_names(load))


def plan(state: ConvertState, cwd: Path) -> ConvertResult:
    """The convert job for what was read and chosen; InputError when it is blocked."""
    choice = state.output or OutputChoice()
    keys = input_keys(state.load)
    key = keys[choice.key_index][1] if choice.format == "p12" and keys else None
    options = ConvertOptions(choice.format, out_dir=choice.out_dir(cwd), key=key,
                             password=choice.password if choice.format == "p12" else None,
                             p12_legacy=choice.format == "p12" and choice.p12_legacy)
    # the unreadable inputs go in as problems: the job lists them as skipped (issue 12 item 3)
    result = convert_files(state.load.loaded, options, read_problems(state.load))
    if result.blocked:
        raise InputError(result.blocked)
    return result


def shown_name(load: Any, source: str) -> str:
    """The name the person chose an input by, for an engine source name (or a shown name)."""
    return source_names(load).get(source, source)


def skipped_lines(state: ConvertState) -> list[str]:
    """`notes.md: not a certificate ...` per input that gave no output, for the done step."""
    if state.result is None:
        return []
    # a read problem starts with the name (tui.loading.as_shown), the engine's own reasons may
    # start with the full path; the line starts with the name once
    paths = {s.name: f"{s.path}: " for s in state.load.sources if s.path is not None}
    lines = []
    for skipped in state.result.skipped:
        name = shown_name(state.load, skipped.source)
        reason = skipped.reason
        for prefix in (paths.get(name, ""), f"{name}: "):
            if prefix and reason.startswith(prefix):
                reason = reason[len(prefix):]
        lines.append(f"{name}: {reason}")
    return lines
