"""Read the chosen sources through the engine, asking for passwords as needed, off the event loop.

Each file is read in a thread (asyncio.to_thread) so 200 files do not freeze the screen; when the
engine says a file is locked (PasswordNeeded) a password dialog is shown and the file is read again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabcert.errors import InputError, PasswordNeeded
from collabcert.tui.dialogs import PasswordDialog
from collabcert.tui.paths import display_path
from collabcert.tui.picker_state import Sources

PASTED = "pasted text"


@dataclass
class Source:
    """One input as the flows see it: what was read, or why not."""

    name: str  # shown to the user
    path: Path | None  # None for pasted text
    loaded: Any = None  # collabcert.load.Loaded when it could be read
    problem: str = ""
    password: bytes | None = None  # the one that opened it, to read outputs back


@dataclass
class LoadResult:
    sources: list[Source] = field(default_factory=list)

    @property
    def loaded(self) -> list[Any]:
        return [s.loaded for s in self.sources if s.loaded is not None]

    @property
    def paths(self) -> list[Path]:
        """Every file the flow read: no output may be one of them (collabcert.files refuses it,
        as for the CLI, which passes its FILE arguments the same way)."""
        return [s.path for s in self.sources if s.path is not None]

    @property
    def problems(self) -> list[str]:
        return [s.problem for s in self.sources if s.problem]

    def items(self) -> list[tuple[Source, Any]]:
        return [(s, item) for s in self.sources if s.loaded is not None for item in s.loaded.items]


async def load_sources(
    app: Any,
    sources: Sources,
    progress: Callable[[int, int, str], None] | None = None,
) -> LoadResult:
    """Must run inside a worker (it may wait on a password dialog)."""
    from collabcert import load

    base = getattr(app, "cwd", None)
    jobs: list[tuple[str, Path | None]] = [(display_path(p, base), p) for p in sources.paths]
    if sources.pasted.strip():
        jobs.append((PASTED, None))
    result = LoadResult()
    known: list[bytes] = []  # the password that opened a locked file: tried on the next ones
    for done, (name, path) in enumerate(jobs):
        if progress:
            progress(done, len(jobs), name)
        source = Source(name, path)
        if path is None:
            reader = lambda pw: load.load_text(sources.pasted, PASTED, pw)  # noqa: E731
        else:
            reader = lambda pw, path=path: load.read_input(path, pw)  # noqa: E731
        await _read(app, source, reader, known)
        result.sources.append(source)
    if progress:
        progress(len(jobs), len(jobs), "")
    return result


async def _read(app: Any, source: Source, reader: Callable[[bytes | None], Any],
                known: list[bytes] | None = None) -> None:
    """Read one input; a locked one is first tried with the password that opened an earlier
    one (a pile of .pfx from one export shares it, issue 12 item 2), and the dialog asks only
    when that does not open it."""
    known = known if known is not None else []
    password: bytes | None = None
    silent = False  # the password tried was the known one, not typed for this file
    problem = ""
    while True:
        try:
            source.loaded = await asyncio.to_thread(reader, password)
            source.password = password
            if password is not None:
                known[:] = [password]
            return
        except PasswordNeeded as exc:
            if password is None and known:
                password, silent = known[0], True
                continue
            if (password is not None or exc.wrong) and not silent:
                problem = "That password did not open it; try again."
            silent = False
            password = await app.push_screen_wait(
                PasswordDialog(
                    as_shown(str(exc), source) or f"{source.name} is locked with a password.",
                    problem=problem,
                    allow_empty=True,
                )
            )
            if password is None:
                source.problem = f"{source.name}: skipped (locked, no password given)."
                return
        except InputError as exc:
            source.problem = as_shown(str(exc), source)
            return


def as_shown(sentence: str, source: Source) -> str:
    """The engine's sentence with the file named as the picker shows it: the engine names it by
    the path it was given, which the wizard makes absolute, so a dialog read aloud said
    "/tmp/pile/expc1.pfx" where the person had chosen expc1.pfx."""
    if source.path is not None and sentence.startswith(f"{source.path}: "):
        return source.name + sentence[len(str(source.path)):]
    return sentence
