"""The reading job: a batch of inputs read one by one, the readable ones kept, each bad one said.

DESIGN.md "Contract details": several FILEs, every readable one is processed and reported, each
unreadable one gets its own sentence, and the batch goes on. `read_batch(names, password)` is
that rule once, for every verb that takes several FILEs (inspect, convert, lint, bundle) and for
the wizard: one password is tried for every locked input (issue 12 item 2), and the result says
which locked inputs it did not open, so a face can ask again for those only.

`summary_text` is the last line a face prints: `12 read, 2 unreadable`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from collabcert.errors import CollabcertError, InputError, PasswordNeeded
from collabcert.load import STDIN, Loaded, read_input

Reader = Callable[[str, bytes | None], Loaded]


@dataclass(frozen=True)
class Unreadable:
    """One input that could not be read, and why (one sentence naming it)."""

    name: str
    reason: str
    locked: bool = False  # encrypted, and the password given (if any) did not open it

    def to_json(self) -> dict[str, object]:
        return {"source": self.name, "status": "unreadable", "error": self.reason,
                "locked": self.locked}


@dataclass(frozen=True)
class Batch:
    """What a batch read gave: (name, Loaded) per readable input, in input order, and the rest."""

    read: tuple[tuple[str, Loaded], ...]
    unreadable: tuple[Unreadable, ...] = ()
    order: tuple[str, ...] = field(default=())  # every name as given, for per-file reports

    @property
    def loaded(self) -> list[Loaded]:
        return [loaded for _name, loaded in self.read]

    @property
    def problems(self) -> list[str]:
        """The sentences, one per unreadable input (what the jobs take as `problems`)."""
        return [u.reason for u in self.unreadable]

    @property
    def locked(self) -> list[str]:
        """The locked inputs the password did not open (the face may ask for those only)."""
        return [u.name for u in self.unreadable if u.locked]

    def summary(self) -> str:
        return summary_text(len(self.read), len(self.unreadable))


def summary_text(read: int, unreadable: int) -> str:
    """`12 read, 2 unreadable` (`3 read` when all could be read)."""
    text = f"{read} read"
    return f"{text}, {unreadable} unreadable" if unreadable else text


def read_batch(names: Sequence[str | Path], password: bytes | None = None, *,
               reader: Reader | None = None) -> Batch:
    """Read every input with the one password given; never stops at a bad one.

    `reader(name, password)` reads one input (default collabcert.load.read_input); the CLI
    passes one that may prompt on a terminal."""
    if [str(n) for n in names].count(STDIN) > 1:
        raise InputError("standard input (-) can be named only once")
    read_one = reader or (lambda name, pw: read_input(name, pw))
    read: list[tuple[str, Loaded]] = []
    bad: list[Unreadable] = []
    for name in names:
        try:
            read.append((str(name), read_one(str(name), password)))
        except PasswordNeeded as exc:
            bad.append(Unreadable(str(name), str(exc), locked=True))
        except CollabcertError as exc:
            bad.append(Unreadable(str(name), str(exc)))
    return Batch(tuple(read), tuple(bad), tuple(str(n) for n in names))

