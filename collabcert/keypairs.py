"""Which objects of a pile belong together by their public key, and which only look alike.

A field engineer's pile holds keys, CSRs and certificates from several places, a .pfx with its
own key, and sometimes a decoy: a CA certificate with the same name as the real one but another
key (issue 12 item 6). Names cannot tell them apart; the public key can. `pair_up` groups the
objects that hold one public key (a key, its CSR, the certificates issued for it, inside one
.pfx or across files) and lists the certificates and CSRs that share a name but not a key.

Plain values over collabcert.model summaries (`spki_sha256`, `subject_cn`, `subject`); the
objects are numbered by their place in the list given (0-based here; faces show 1-based).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from collabcert.model import colon_hex


def key_id(spki_sha256: str) -> str:
    """A short key id people can compare aloud: the first 4 bytes of the public key's SHA-256."""
    return colon_hex(spki_sha256[:8]) if spki_sha256 else "-"


def _name(summary: Any) -> str:
    """The name two objects 'look alike' by: the CN, else the whole subject (case ignored)."""
    return (getattr(summary, "subject_cn", "") or getattr(summary, "subject", "")).casefold()


@dataclass(frozen=True)
class Pairing:
    same_key: tuple[tuple[int, ...], ...]  # each group: 2+ objects holding one public key
    same_name: tuple[tuple[int, int], ...]  # certificate/CSR pairs: one name, different keys

    def partners(self, index: int) -> tuple[int, ...]:
        """The other objects holding the public key of object `index`."""
        group = self._group_of.get(index, ())
        return tuple(i for i in group if i != index)

    def look_alikes(self, index: int) -> tuple[int, ...]:
        """The certificates/CSRs with the name of object `index` but another key."""
        return self._alikes_of.get(index, ())

    @cached_property
    def _group_of(self) -> dict[int, tuple[int, ...]]:
        return {i: group for group in self.same_key for i in group}

    @cached_property
    def _alikes_of(self) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        for a, b in self.same_name:
            found.setdefault(a, []).append(b)
            found.setdefault(b, []).append(a)
        return {i: tuple(sorted(others)) for i, others in found.items()}


def pair_up(summaries: Sequence[Any]) -> Pairing:
    by_key: dict[str, list[int]] = {}
    for index, summary in enumerate(summaries):
        if summary.spki_sha256:
            by_key.setdefault(summary.spki_sha256, []).append(index)
    groups = tuple(tuple(group) for group in by_key.values() if len(group) > 1)
    by_name: dict[str, list[int]] = {}
    for index, summary in enumerate(summaries):
        if summary.kind in ("certificate", "csr") and _name(summary):
            by_name.setdefault(_name(summary), []).append(index)
    clashes = []
    for members in by_name.values():
        for n, first in enumerate(members):
            for second in members[n + 1:]:
                if summaries[first].spki_sha256 != summaries[second].spki_sha256:
                    clashes.append((first, second))
    return Pairing(groups, tuple(clashes))
