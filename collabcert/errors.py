"""The engine's own errors. Only these leave the engine; the CLI turns them into one line."""

from __future__ import annotations


class CollabcertError(Exception):
    """Something the user can fix: the message is one plain sentence (what, where, what to do)."""


class InputError(CollabcertError):
    """Input that cannot be read or used (CLI exit 2)."""


class PasswordNeeded(InputError):
    """The input is encrypted and no password was given (or the one given is wrong)."""

    def __init__(self, message: str, *, wrong: bool = False) -> None:
        super().__init__(message)
        self.wrong = wrong


class NothingReadable(InputError):
    """None of several inputs could be read: each one's sentence, for one line each."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(sentence for _name, sentence in problems))
        self.problems = list(problems)


class WriteRefused(CollabcertError):
    """A write that would replace an existing file without an explicit choice, or that failed."""


class Interrupted(WriteRefused):
    """SIGINT, SIGTERM or SIGHUP arrived during a write: the whole plan was rolled back."""

    def __init__(self, signum: int) -> None:
        super().__init__("interrupted; nothing was changed")
        self.signum = signum
