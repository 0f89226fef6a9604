"""What the CLI verbs share: reading inputs (files or `-`), passwords, JSON and plain output."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from collabcert.errors import InputError, PasswordNeeded
from collabcert.load import STDIN, Loaded, read_input, read_limited

PASSWORD_FILE_LIMIT = 64 * 1024  # a password file holds one password; /dev/zero is refused


def read_password_file(path: str | None) -> bytes | None:
    """The file's content less one trailing newline (`\\n` or `\\r\\n`), per the CLI contract;
    at most 64 KiB (collabcert.load.read_limited, the one bounded reader)."""
    if path is None:
        return None
    data = read_limited(path, PASSWORD_FILE_LIMIT, "not a password file", kind="password file",
                        missing="no such password file",
                        folder="is a folder; give the password file")
    if data.endswith(b"\r\n"):
        return data[:-2]
    return data[:-1] if data.endswith(b"\n") else data


def out_folder(name: str | None, one_file_option: bool = True) -> Path | None:
    """`--out DIR`, or None when it was not given. A folder that does not exist yet is fine:
    the write makes it, parents too, as `mkdir -p` would, once every check has passed
    (files.write_plan's make_folders). A FILE of that name is refused in one line."""
    if not name:
        return None
    folder = Path(name)
    if folder.exists() and not folder.is_dir():
        hint = " (or -o FILE to name the one output file)" if one_file_option else ""
        raise InputError(f"{folder}: is a file, not a folder; give --out a folder{hint}")
    return folder


def can_prompt() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def load_input(name: str, password: bytes | None, *, stdin_used: bool = False) -> Loaded:
    """Read one FILE argument (the engine's read_input); prompt for a password on a terminal
    when it is locked. Standard input never prompts: the password would be read from it."""
    may_prompt = name != STDIN and can_prompt()
    return _with_prompt(lambda pw: read_input(name, pw), password, may_prompt)


def _with_prompt(read, password: bytes | None, may_prompt: bool) -> Loaded:
    try:
        return read(password)
    except PasswordNeeded as exc:
        if password is not None or not may_prompt:  # scripts never get a prompt (DESIGN.md)
            raise
        typed = getpass.getpass(f"{exc}\nPassword: ").encode("utf-8")
        return read(typed)


def load_inputs(names: Sequence[str], password: bytes | None) -> list[Loaded]:
    if list(names).count(STDIN) > 1:
        raise InputError("standard input (-) can be named only once")
    return [load_input(name, password) for name in names]


def read_batch(names: Sequence[str], password: bytes | None):
    """The reading job (collabcert.jobs.reading) with this terminal's prompt for a locked input
    when no --password-file was given; each reason as the CLI says it."""
    from dataclasses import replace

    from collabcert.jobs.reading import Batch, read_batch

    batch = read_batch(names, password, reader=lambda name, pw: load_input(name, pw))
    if password is not None:
        return batch
    hinted = tuple(replace(u, reason=f"{u.reason}; give it with --password-file")
                   if u.locked and "does not open" not in u.reason else u
                   for u in batch.unreadable)
    return Batch(batch.read, hinted, batch.order)


def read_inputs(names: Sequence[str], password: bytes | None
                ) -> tuple[list[Loaded], list[tuple[str, str]]]:
    """Every FILE that can be read, and (name, sentence) for each one that cannot (DESIGN.md:
    the readable ones are still processed; each unreadable one gets its own error line)."""
    batch = read_batch(names, password)
    return batch.loaded, [(u.name, u.reason) for u in batch.unreadable]


def print_summary(read: int, unreadable: int, *, stream=None) -> None:
    """The batch's last line, `12 read, 2 unreadable` (DESIGN.md: several FILEs)."""
    from collabcert.jobs.reading import summary_text

    print(summary_text(read, unreadable), file=stream or sys.stdout)


def report_problems(problems: Sequence[tuple[str, str]]) -> int:
    """One `collabcert: error:` line per unreadable input; the exit code they make (0 or 2)."""
    from collabcert.cli import EXIT_OK, EXIT_USAGE, fail

    for _name, sentence in problems:
        fail(sentence)
    return EXIT_USAGE if problems else EXIT_OK


def ask_new_password() -> bytes:
    """A new password typed twice (for a PKCS#12 or an encrypted key)."""
    if not can_prompt():
        raise InputError("a password is needed and there is no terminal to ask for it; "
                         "use --password-file")
    first = getpass.getpass("New password: ")
    if first != getpass.getpass("Repeat it: "):
        raise InputError("the two passwords differ; nothing was written")
    if not first:
        raise InputError("an empty password protects nothing; nothing was written")
    return first.encode("utf-8")


def print_json(document: Any) -> None:
    # Compact: the C encoder (no indent) is several times faster on a 1000-certificate store;
    # people who read it pipe it through `python -m json.tool` or jq. json.dump would use the
    # pure-Python encoder (it streams); json.dumps of the whole document would hold a 100 MB
    # string for a 50,000-certificate store (issue 11 item 14): so the outer lists and dicts are
    # written part by part and each part goes through the C encoder.
    # display.json_escaped: DEL, C1 and bidi controls as \u escapes (JSON escapes C0 itself)
    _write_json(document, sys.stdout.write, depth=3)
    sys.stdout.write("\n")


def _write_json(value: Any, write: Any, depth: int) -> None:
    if depth and isinstance(value, dict):
        write("{")
        for n, (key, item) in enumerate(value.items()):
            write(("," if n else "") + _dumps(str(key)) + ":")
            _write_json(item, write, depth - 1)
        write("}")
    elif isinstance(value, Iterator) or depth and isinstance(value, list | tuple):
        write("[")
        for n, item in enumerate(value):
            if n:
                write(",")
            _write_json(item, write, depth - 1)
        write("]")
    else:
        write(_dumps(value))


def _dumps(value: Any) -> str:
    from collabcert.display import json_escaped

    return json_escaped(json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":")))


def say(text: str = "") -> None:
    print(text)


def warn(text: str) -> None:
    print(text, file=sys.stderr)


def parse_at(text: str | None):
    """`--at TIME` (YYYY-MM-DD or ISO 8601, UTC unless it says otherwise); None: now."""
    import datetime as dt

    from collabcert.errors import InputError

    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"--at {text!r} is not a date; write YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM:SS") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
