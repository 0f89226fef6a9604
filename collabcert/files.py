"""Safe writing: every output is atomic, re-read and checked, and never replaces a file by surprise.

How a write goes: all targets are checked first (exists and no --force: refuse before anything is
written), each file goes to a temp file in the same folder, is fsync'ed, then renamed into place.
Private keys are created 0600 from the start (the temp file is opened with that mode), so no other
user ever sees them readable. After the rename the file is read back and, when the caller says how
many certificates it must hold, parsed and counted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from collabcert.errors import WriteRefused

PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o644


@dataclass(frozen=True)
class PlannedFile:
    """One file to be written."""

    path: Path
    data: bytes
    private: bool = False  # a private key (or a PKCS#12 holding one): mode 0600
    certificates: int | None = None  # how many certificates a re-read must find, when known
    what: str = ""  # plain words for the result screen: "private key", "CSR", "CA bundle"
    password: bytes | None = None  # to re-read what we wrote (a PKCS#12)


def existing_targets(plan: Sequence[PlannedFile]) -> list[Path]:
    """The targets that are already there: the TUI asks about these before writing."""
    return [p.path for p in plan if p.path.exists()]


def check_plan(plan: Sequence[PlannedFile], force: bool) -> None:
    """Refuse the whole plan before anything is written, so a failed command leaves nothing."""
    seen: set[Path] = set()
    for planned in plan:
        path = planned.path
        if path in seen:
            raise WriteRefused(f"{path}: two outputs would have the same name; choose another name")
        seen.add(path)
        if path.is_dir():
            raise WriteRefused(f"{path}: is a folder; give a file name")
        if path.exists() and not force:
            raise WriteRefused(f"{path}: already exists; use --force to replace it")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise WriteRefused(f"{folder}: the output folder does not exist; create it first")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise WriteRefused(f"{folder}: the output folder is not writable; choose another")


def write_plan(
    plan: Sequence[PlannedFile],
    *,
    force: bool = False,
    count_certificates: Callable[[bytes, str, bytes | None], int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write every planned file or none: on any failure the files written so far are undone.

    In phases, so a batch of 1000 conversions costs one flush, not 1000: stage every file as a
    temp file beside its target, make them durable, rename them all into place, then read each
    back. `count_certificates(data, name, password)` re-parses a file (default: our reader).
    `progress(done, total)` is called as files are staged and as they are read back (a screen
    shows a bar; it may be called from a worker thread).
    """
    check_plan(plan, force)
    counter = count_certificates or _count_certificates
    staged: list[tuple[PlannedFile, str]] = []  # (planned, temp file name)
    placed: list[tuple[Path, bytes | None]] = []  # (path, previous content for a rollback)
    current = plan[0].path if plan else Path(".")
    try:
        total = 2 * len(plan)
        for number, planned in enumerate(plan, start=1):
            current = planned.path
            staged.append((planned, _stage(planned, sync=len(plan) <= _BATCH)))
            if progress:
                progress(number, total)
        if len(plan) > _BATCH:
            os.sync()  # one flush of everything staged instead of an fsync per file
        for planned, tmp_name in staged:
            current = planned.path
            previous = planned.path.read_bytes() if planned.path.exists() else None
            os.replace(tmp_name, planned.path)
            placed.append((planned.path, previous))
        for folder in {_folder(p.path) for p in plan}:
            _fsync_folder(folder)  # once per folder: the renames are durable
        for number, planned in enumerate(plan, start=len(plan) + 1):
            current = planned.path
            _verify(planned, counter)
            if progress:
                progress(number, total)
    except OSError as exc:
        _undo(staged, placed)
        reason = exc.strerror or str(exc)
        raise WriteRefused(f"{current}: could not write ({reason}); choose another folder") from exc
    except WriteRefused:
        _undo(staged, placed)
        raise
    return [p.path for p in plan]


_BATCH = 8  # above this many files, one os.sync() is cheaper than an fsync per file


def write_file(path: Path, data: bytes, *, private: bool = False, force: bool = False) -> Path:
    """Write one file safely (see `write_plan`)."""
    return write_plan([PlannedFile(path, data, private)], force=force)[0]


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _stage(planned: PlannedFile, sync: bool) -> str:
    """Write the data to a temp file in the target's folder; return its name."""
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{planned.path.name}.", suffix=".tmp", dir=_folder(planned.path)
    )
    try:
        # mkstemp creates the file 0600; public files are widened only after the data is in.
        with os.fdopen(fd, "wb") as handle:
            handle.write(planned.data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.chmod(tmp_name, PRIVATE_MODE if planned.private else PUBLIC_MODE)
    except BaseException:
        _unlink(tmp_name)
        raise
    return tmp_name


def _undo(staged: list[tuple[PlannedFile, str]], placed: list[tuple[Path, bytes | None]]) -> None:
    """Remove temp files not yet renamed and put back what the renames replaced."""
    for _planned, tmp_name in staged:
        _unlink(tmp_name)
    for path, previous in reversed(placed):
        try:
            if previous is None:
                path.unlink()
            else:
                private = path.stat().st_mode & 0o077 == 0
                restore = PlannedFile(path, previous, private)
                os.replace(_stage(restore, sync=True), path)
        except OSError:
            pass


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; the rename is still done
    finally:
        os.close(fd)


def _verify(planned: PlannedFile, counter: Callable[[bytes, str, bytes | None], int]) -> None:
    back = planned.path.read_bytes()
    if back != planned.data:
        raise WriteRefused(f"{planned.path}: what was read back differs from what was written")
    if planned.certificates is not None:
        found = counter(back, str(planned.path), planned.password)
        if found != planned.certificates:
            raise WriteRefused(
                f"{planned.path}: read back {found} certificates, expected {planned.certificates}"
            )


def _count_certificates(data: bytes, name: str, password: bytes | None) -> int:
    from collabcert.errors import CollabcertError
    from collabcert.load import load_bytes  # late: load is the heavier module

    try:
        return len(load_bytes(data, name, password).certificates)
    except CollabcertError as exc:
        raise WriteRefused(f"{name}: the file written cannot be read back ({exc})") from exc
