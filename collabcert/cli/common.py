"""What the CLI verbs share: reading inputs (files or `-`), passwords, JSON and plain output."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Sequence
from typing import Any

from collabcert.errors import CollabcertError, InputError, PasswordNeeded
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


def read_inputs(names: Sequence[str], password: bytes | None
                ) -> tuple[list[Loaded], list[tuple[str, str]]]:
    """Every FILE that can be read, and (name, sentence) for each one that cannot (DESIGN.md:
    the readable ones are still processed; each unreadable one gets its own error line)."""
    from collabcert.cli import problem_text

    if list(names).count(STDIN) > 1:
        raise InputError("standard input (-) can be named only once")
    loaded: list[Loaded] = []
    problems: list[tuple[str, str]] = []
    for name in names:
        try:
            loaded.append(load_input(name, password))
        except CollabcertError as exc:
            problems.append((name, problem_text(exc)))
    return loaded, problems


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
    # people who read it pipe it through `python -m json.tool` or jq.
    # display.json_text: DEL, C1 and bidi controls as \u escapes (JSON escapes C0 itself)
    from collabcert.display import json_text

    sys.stdout.write(json_text(document, separators=(",", ":")) + "\n")


def say(text: str = "") -> None:
    print(text)


def warn(text: str) -> None:
    print(text, file=sys.stderr)
