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
from itertools import islice
from typing import Any

from collabcert.model import UNREADABLE, colon_hex


def key_id(spki_sha256: str) -> str:
    """A short key id people can compare aloud: the first 4 bytes of the public key's SHA-256."""
    return colon_hex(spki_sha256[:8]) if spki_sha256 else "-"


def _name(summary: Any) -> str:
    """The name two objects 'look alike' by: the CN, else the whole subject (case ignored);
    none for a name pyca cannot parse (two such are not alike)."""
    name = getattr(summary, "subject_cn", "") or getattr(summary, "subject", "")
    return "" if name == UNREADABLE else name.casefold()


@dataclass(frozen=True)
class Pairing:
    same_key: tuple[tuple[int, ...], ...]  # each group: 2+ objects holding one public key
    # each: the certificates/CSRs of one name that hold 2+ different keys, split by key (each
    # part: the objects of one key, in order); a name held by one key is not listed
    same_name: tuple[tuple[tuple[int, ...], ...], ...]

    def partners(self, index: int) -> tuple[int, ...]:
        """The other objects holding the public key of object `index`."""
        group = self._group_of.get(index, ())
        return tuple(i for i in group if i != index)

    def look_alikes(self, index: int) -> tuple[int, ...]:
        """The certificates/CSRs with the name of object `index` but another key."""
        where = self._part_of.get(index)
        if where is None:
            return ()
        group, part = where
        return tuple(sorted(i for n, one in enumerate(self.same_name[group]) if n != part
                            for i in one))

    def first_partners(self, index: int, most: int) -> tuple[tuple[int, ...], int]:
        """Up to `most` of `partners(index)` and how many there are in all: a table row over a
        store of 50,000 copies of one certificate costs `most`, not 50,000."""
        group = self._group_of.get(index, ())
        firsts = tuple(islice((i for i in group if i != index), most))
        return firsts, max(len(group) - 1, 0)

    def first_look_alikes(self, index: int, most: int) -> tuple[tuple[int, ...], int]:
        """Up to `most` of `look_alikes(index)` (the first in order) and how many in all."""
        where = self._part_of.get(index)
        if where is None:
            return (), 0
        group, part = where
        others = [one for n, one in enumerate(self.same_name[group]) if n != part]
        firsts = tuple(sorted(i for one in others for i in one[:most])[:most])
        return firsts, sum(len(one) for one in others)

    @cached_property
    def _group_of(self) -> dict[int, tuple[int, ...]]:
        return {i: group for group in self.same_key for i in group}

    @cached_property
    def _part_of(self) -> dict[int, tuple[int, int]]:
        return {i: (g, n) for g, parts in enumerate(self.same_name)
                for n, part in enumerate(parts) for i in part}


def pair_up(summaries: Sequence[Any]) -> Pairing:
    """One pass over the pile, objects indexed by key and by name: linear in the pile, so a
    store of 50,000 copies of one CA certificate costs no pairwise comparisons (issue 12)."""
    by_key: dict[str, list[int]] = {}
    by_name: dict[str, dict[str, list[int]]] = {}  # name -> key -> objects
    for index, summary in enumerate(summaries):
        if summary.spki_sha256:
            by_key.setdefault(summary.spki_sha256, []).append(index)
        name = _name(summary) if summary.kind in ("certificate", "csr") else ""
        if name:
            by_name.setdefault(name, {}).setdefault(summary.spki_sha256, []).append(index)
    groups = tuple(tuple(group) for group in by_key.values() if len(group) > 1)
    clashes = tuple(tuple(tuple(part) for part in keys.values())
                    for keys in by_name.values() if len(keys) > 1)
    return Pairing(groups, clashes)
