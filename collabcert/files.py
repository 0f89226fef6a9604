"""Safe writing: every output is atomic, re-read and checked, and never replaces a file by surprise.

How a write goes: all targets are checked first (exists and no --force, or one of the inputs:
refuse before anything is written), each file goes to a temp file in the same folder, is
fsync'ed, then placed. Without --force a file is placed with no-replace semantics
(renameat2(RENAME_NOREPLACE), else link(2)): a file that appeared meanwhile is never replaced,
and the plan is undone. With --force the old file is kept as a hard link until the whole plan
is in place, so a rollback puts back the old file itself (content, mode, owner). After placing,
each file is read back and, when the caller says how many certificates it must hold, counted.

Modes: private keys are created 0600 (the temp file is opened with that mode and fixed with
fchmod on the open descriptor, never chmod by path: a name can be swapped for a symlink).
Public files (CSRs, certificates) are created 0666 less the umask, like every other tool.

Interrupts: in the main thread SIGINT, SIGTERM and SIGHUP are held for the duration of a write
and acted on between files: the whole plan is rolled back and `Interrupted` is raised
(the CLI: `collabcert: error: interrupted; nothing was changed`, exit 2).

Temp files are named `.<name>.<pid>.<12 hex>.tmp`. A write into a folder removes our own stale
ones there (exact pattern, ours, older than this process, their writer's pid gone): a `kill -9`
leaves them behind and the next write cleans up.

Test hook: COLLABCERT_TEST_PAUSE_AFTER_N=N (read only here) pauses a write after its N-th step
(steps: each file staged, then each file placed), prints `collabcert: test pause: writing` on
stderr and waits for SIGINT, SIGTERM or SIGHUP, so tests interrupt at a known point without
sleeping. It only acts in the main thread.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from collabcert.errors import Interrupted, WriteRefused

PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o644  # what a public file gets under the usual umask 022 (0666 less the umask)
_CREATE_PUBLIC = 0o666  # the kernel takes the umask off

_STARTED = time.time()  # temp files older than this process may be stale ones of a dead writer
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[1-9][0-9]{0,9})\.[0-9a-f]{12}\.tmp$")
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                 if hasattr(signal, name))  # SIGHUP: an SSH connection dropped
_PAUSE_ENV = "COLLABCERT_TEST_PAUSE_AFTER_N"
_NAME_MAX = 255


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


def check_plan(
    plan: Sequence[PlannedFile], force: bool, inputs: Sequence[str | Path] = (),
    *, make_folders: bool = False,
) -> None:
    """Refuse the whole plan before anything is written, so a failed command leaves nothing.

    `inputs` are the files the command read: no output may be one of them (same name or the
    same file under another name), even with force, as writing would destroy the input.
    `make_folders`: a missing output folder is fine when it can be made (write_plan makes it).
    """
    seen: set[Path] = set()
    sources = _identities(inputs)
    for planned in plan:
        path = planned.path
        if path in seen:
            raise WriteRefused(f"{path}: two outputs would have the same name; choose another name")
        seen.add(path)
        _refuse_an_input(path, sources)
        try:
            _check_target(path, force, make_folders)
        except OSError as exc:  # a name too long, a folder we may not enter: one sentence
            raise WriteRefused(f"{path}: cannot be written ({exc.strerror or exc}); choose "
                               "another name or folder") from exc


def _check_target(path: Path, force: bool, make_folders: bool = False) -> None:
    if path.is_dir():
        raise WriteRefused(f"{path}: is a folder; give a file name")
    if path.exists() and not force:
        raise WriteRefused(f"{path}: already exists; use --force to replace it")
    folder = _folder(path)
    if not folder.is_dir() and make_folders:
        folder = _nearest_existing(folder)  # where `mkdir -p` would start
        if not folder.is_dir():
            raise WriteRefused(f"{folder}: is a file, not a folder; choose another output folder")
    elif not folder.is_dir():
        raise WriteRefused(f"{folder}: the output folder does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WriteRefused(f"{folder}: the output folder is not writable; choose another")


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _make_folders(plan: Sequence[PlannedFile]) -> list[Path]:
    """Make the missing output folders of `plan`, parents first, as `mkdir -p` would; the
    folders made, for `remove_folders` when the write fails (a failed command leaves nothing)."""
    made: list[Path] = []
    for folder in dict.fromkeys(_folder(p.path) for p in plan):
        missing = []
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for new in reversed(missing):
            try:
                new.mkdir()
            except FileExistsError:
                continue  # made meanwhile (by us for another file, or by someone else): use it
            except OSError as exc:
                remove_folders(made)
                raise WriteRefused(f"{new}: the output folder cannot be made "
                                   f"({exc.strerror or exc}); choose another") from exc
            made.append(new)
    return made


def remove_folders(made: Sequence[Path]) -> None:
    """Remove folders `make_folders` made, deepest first, and only while they are empty."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass  # something else put a file there: it stays


def _identities(inputs: Sequence[str | Path]) -> dict[tuple[int, int], str]:
    """(device, inode) of each input file that exists; `-` (standard input) has none."""
    found: dict[tuple[int, int], str] = {}
    for name in inputs:
        if name is None or str(name) == "-":
            continue
        try:
            info = os.stat(name)
        except (OSError, ValueError):
            continue
        found.setdefault((info.st_dev, info.st_ino), str(name))
    return found


def _refuse_an_input(path: Path, sources: dict[tuple[int, int], str]) -> None:
    if not sources:
        return
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return
    source = sources.get((info.st_dev, info.st_ino))
    if source is not None:
        same = "" if str(path) == source else f" (the same file as {source})"
        raise WriteRefused(f"{path}: is one of the inputs{same}; writing it would destroy the "
                           "input, so choose another output name")


@dataclass
class _Placed:
    """A file placed at its target, and how to undo that."""

    path: Path
    inode: tuple[int, int]  # what we placed: a rollback removes only our own file
    backup: str | None = None  # the old file, hard linked under a temp name (with --force)
    old_data: bytes | None = None  # the old file's content when it could not be linked
    old_mode: int = 0


def write_plan(
    plan: Sequence[PlannedFile],
    *,
    force: bool = False,
    count_certificates: Callable[[bytes, str, bytes | None], int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    inputs: Sequence[str | Path] = (),
    make_folders: bool = False,
) -> list[Path]:
    """Write every planned file or none: on any failure the files written so far are undone.

    In phases, so a batch of 1000 conversions costs one flush, not 1000: stage every file as a
    temp file beside its target, make them durable, place them all, then read each back.
    `count_certificates(data, name, password)` re-parses a file (default: our reader).
    `progress(done, total)` is called as files are staged and as they are read back (a screen
    shows a bar; it may be called from a worker thread). `inputs`: see `check_plan`.
    `make_folders`: missing output folders are made (parents too) once the plan has passed
    every check, and removed again when the write fails (the CLI's `--out DIR`).
    """
    check_plan(plan, force, inputs, make_folders=make_folders)
    made = _make_folders(plan) if make_folders else []
    try:
        for folder in {_folder(p.path) for p in plan}:
            remove_stale_temps(folder)
        with _held_signals() as held:
            return _write(plan, force, count_certificates or _count_certificates, progress, held)
    except BaseException:
        remove_folders(made)
        raise


def _write(plan, force, counter, progress, held: _Held) -> list[Path]:
    staged: list[tuple[PlannedFile, str]] = []  # (planned, temp file name)
    placed: list[_Placed] = []
    current = plan[0].path if plan else Path(".")
    try:
        total = 2 * len(plan)
        for number, planned in enumerate(plan, start=1):
            current = planned.path
            staged.append((planned, _stage(planned, sync=len(plan) <= _BATCH)))
            held.step()
            if progress:
                progress(number, total)
        if len(plan) > _BATCH:
            os.sync()  # one flush of everything staged instead of an fsync per file
        for planned, tmp_name in staged:
            current = planned.path
            placed.append(_place(tmp_name, planned.path, force))
            held.step()
        for folder in {_folder(p.path) for p in plan}:
            _fsync_folder(folder)  # once per folder: the renames are durable
        for number, planned in enumerate(plan, start=len(plan) + 1):
            current = planned.path
            _verify(planned, counter)
            held.check()
            if progress:
                progress(number, total)
    except OSError as exc:
        _undo(staged, placed)
        if exc.errno == errno.EEXIST and not force:
            raise WriteRefused(f"{current}: appeared while writing (another program?); nothing "
                               "was changed; use --force to replace it") from exc
        reason = exc.strerror or str(exc)
        raise WriteRefused(f"{current}: could not write ({reason}); choose another folder") from exc
    except BaseException:  # WriteRefused, Interrupted, and anything unforeseen: undo all
        _undo(staged, placed)
        raise
    for done in placed:  # committed: the old files are no longer needed
        if done.backup:
            _unlink(done.backup)
    return [p.path for p in plan]


_BATCH = 8  # above this many files, one os.sync() is cheaper than an fsync per file


def write_file(path: Path, data: bytes, *, private: bool = False, force: bool = False) -> Path:
    """Write one file safely (see `write_plan`)."""
    return write_plan([PlannedFile(path, data, private)], force=force)[0]


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


# ---------------------------------------------------------------------------------------------
# Temp files


def _temp_path(target: Path) -> Path:
    """`.<name>.<pid>.<12 hex>.tmp` beside the target; a long name is shortened to fit."""
    tail = f".{os.getpid()}.{secrets.token_hex(6)}.tmp"
    name = target.name
    while len(os.fsencode(f".{name}{tail}")) > _NAME_MAX and len(name) > 1:
        name = name[:-1]  # the name part is only for people: the pattern is what we match
    return _folder(target) / f".{name}{tail}"


def _create_temp(target: Path, mode: int) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        path = str(_temp_path(target))
        try:
            return os.open(path, flags, mode), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(target))


def _stage(planned: PlannedFile, sync: bool, mode: int | None = None) -> str:
    """Write the data to a temp file in the target's folder; return its name.

    The mode is set on the open descriptor (fchmod) before the data goes in: a key is 0600
    from the first byte, and nobody can redirect the change through a symlink. `mode` forces
    exact bits (a rollback restoring an old file); otherwise public files keep 0666 less the
    umask that the kernel applied at creation.
    """
    create = PRIVATE_MODE if planned.private or mode is not None else _CREATE_PUBLIC
    fd, tmp_name = _create_temp(planned.path, create)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            elif planned.private:
                os.fchmod(handle.fileno(), PRIVATE_MODE)  # exact, whatever the umask took
            handle.write(planned.data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        _unlink(tmp_name)
        raise
    return tmp_name


def remove_stale_temps(folder: Path) -> list[str]:
    """Remove our own temp files a killed writer left in `folder`; return their names.

    Only names of our exact pattern, regular files owned by this user, older than this
    process, whose writer (the pid in the name) is gone. Some may hold a copy of a key.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or not _is_stale(entry, int(match.group("pid"))):
            continue
        try:
            os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            pass
    return removed


def _is_stale(entry: os.DirEntry, pid: int) -> bool:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        return False
    return info.st_mtime < _STARTED and pid != os.getpid() and not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process: alive, and not ours to judge
    return True


# ---------------------------------------------------------------------------------------------
# Placing and undoing


def _place(tmp_name: str, target: Path, force: bool) -> _Placed:
    if force:
        placed = _keep_old(target)
        os.replace(tmp_name, target)
    else:
        placed = _Placed(target, (0, 0))
        _place_no_replace(tmp_name, target)
    info = os.lstat(target)
    placed.inode = (info.st_dev, info.st_ino)
    return placed


def _keep_old(target: Path) -> _Placed:
    """Before replacing: a hard link to the old file (restores it exactly), else its bytes."""
    try:
        old = os.lstat(target)
    except FileNotFoundError:
        return _Placed(target, (0, 0))
    backup = str(_temp_path(target))
    try:
        os.link(target, backup, follow_symlinks=False)
        return _Placed(target, (0, 0), backup=backup)
    except OSError:
        if not stat.S_ISREG(old.st_mode):
            raise
        return _Placed(target, (0, 0), old_data=target.read_bytes(),
                       old_mode=stat.S_IMODE(old.st_mode))


def _place_no_replace(tmp_name: str, target: Path) -> None:
    """Put the temp file at `target` unless something is there now (FileExistsError)."""
    if _renameat2_no_replace(tmp_name, str(target)):
        return
    os.link(tmp_name, target, follow_symlinks=False)  # fails with EEXIST if it is there
    _unlink(tmp_name)


_RENAME_NOREPLACE = 1
_AT_FDCWD = -100
_renameat2: Callable[..., int] | None | bool = False  # False: not looked up yet


def _renameat2_no_replace(source: str, target: str) -> bool:
    """renameat2(RENAME_NOREPLACE) through libc; False when this system has no such call."""
    global _renameat2
    if _renameat2 is False:
        _renameat2 = _find_renameat2()
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target),
                        _RENAME_NOREPLACE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or this file system cannot: link(2) does the same job
    raise OSError(code, os.strerror(code), target)


def _find_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _undo(staged: list[tuple[PlannedFile, str]], placed: list[_Placed]) -> None:
    """Remove temp files not yet placed and put back exactly what the placing replaced."""
    for _planned, tmp_name in staged:
        _unlink(tmp_name)
    for done in reversed(placed):
        try:
            _put_back(done)
        except OSError:
            pass


def _put_back(done: _Placed) -> None:
    if done.backup is not None:
        os.replace(done.backup, done.path)  # the old file itself: content, mode and owner
    elif done.old_data is not None:
        restore = PlannedFile(done.path, done.old_data)
        os.replace(_stage(restore, sync=True, mode=done.old_mode), done.path)
    else:
        info = os.lstat(done.path)
        if (info.st_dev, info.st_ino) == done.inode:  # never remove a file that is not ours
            done.path.unlink()


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


# ---------------------------------------------------------------------------------------------
# Signals


class _Held:
    """Signals that arrived during a write; acted on between files (never half a file)."""

    def __init__(self, active: bool) -> None:
        self.active = active
        self.pending: int | None = None
        self.steps = 0
        pause = os.environ.get(_PAUSE_ENV, "") if active else ""
        self.pause_at = int(pause) if pause.isdigit() else None

    def handler(self, signum: int, _frame: object) -> None:
        if self.pending is None:
            self.pending = signum

    def step(self) -> None:
        self.steps += 1
        if self.steps == self.pause_at:
            self._pause()
        self.check()

    def check(self) -> None:
        if self.pending is not None:
            raise Interrupted(self.pending)

    def _pause(self) -> None:
        # Block first, then announce, then wait: a signal sent on the announcement is not lost.
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            sys.stderr.write("collabcert: test pause: writing\n")
            sys.stderr.flush()
            self.pending = signal.sigwait(_SIGNALS)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def _held_signals() -> Iterator[_Held]:
    """Hold SIGINT, SIGTERM and SIGHUP while writing (main thread only: Python's rule)."""
    active = threading.current_thread() is threading.main_thread()
    held = _Held(active)
    if not active:
        yield held
        return
    previous = {signum: signal.signal(signum, held.handler) for signum in _SIGNALS}
    try:
        yield held
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
    if held.pending is not None:
        signal.raise_signal(held.pending)  # arrived after the last file: act on it as usual


# ---------------------------------------------------------------------------------------------
# Reading back


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
