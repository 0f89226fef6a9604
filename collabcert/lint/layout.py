"""The text layout of a PEM file: what sits between, before and after the blocks.

Meeting Server reads bundles literally (seed-003 §2.3): nothing between END and the next BEGIN
but one newline, a final newline, no text before the first block or after the last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 #_/]+-----")
_END = re.compile(r"-----END [A-Z0-9 #_/]+-----")


@dataclass(frozen=True)
class Layout:
    blocks: int
    glued: bool  # END and the next BEGIN on one line (B05)
    gaps: bool  # blank lines or spaces between blocks (B04)
    final_newline: bool  # B06
    text_before: bool  # X06
    text_after: bool  # B11 (a Ctrl-Z from Windows copy, a signature ...)
    junk_between: bool = False  # non-blank text between blocks (seed-004 CU-F06)


def layout(text: str) -> Layout:
    begins = [m.start() for m in _BEGIN.finditer(text)]
    ends = [m.end() for m in _END.finditer(text)]
    glued = gaps = junk = False
    for end in ends:
        nxt = next((b for b in begins if b >= end), None)
        if nxt is None:
            continue
        between = text[end:nxt]
        if between == "" or "\n" not in between:
            glued = True
        elif between not in ("\n", "\r\n"):
            gaps = True
        junk = junk or bool(between.strip())
    before = text[: begins[0]] if begins else ""
    after = text[ends[-1]:] if ends else ""
    return Layout(
        blocks=len(begins),
        glued=glued,
        gaps=gaps,
        final_newline=text.endswith("\n"),
        text_before=bool(before.strip().lstrip("\ufeff")),
        text_after=bool(after.strip(" \t\r\n")),
        junk_between=junk,
    )
