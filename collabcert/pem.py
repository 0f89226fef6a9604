"""PEM text: finding blocks in messy text, and writing blocks the way the products want them.

Written PEM starts at `-----BEGIN`, has LF line ends, base64 lines of 64 columns, no blank line
between blocks and a final newline (seed-003 §2.3, seed-001 F8).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

# A BEGIN or END line. The scan looks for these one after another and never backtracks over the
# rest of the text (issue 11 item 14: a lazy `.*?` with a back-reference was quadratic on BEGIN
# lines without END and on mismatched END labels). Bodies may hold RFC 1421 headers (Proc-Type ...).
_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 #_/-]{1,64}?)-----")
_END = re.compile(r"-----END ([A-Z0-9 #_/-]{1,64}?)-----")
_HEADER_LINE = re.compile(r"^[A-Za-z-]+:")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PemBlock:
    label: str
    headers: tuple[tuple[str, str], ...]
    body: bytes  # the decoded DER
    index: int  # 1-based position in the text

    @property
    def encrypted(self) -> bool:
        return any(k.lower() == "proc-type" and "ENCRYPTED" in v.upper() for k, v in self.headers)

    def text(self) -> str:
        """The block as clean PEM text again, headers kept (pyca needs them for legacy keys)."""
        lines = [f"-----BEGIN {self.label}-----"]
        lines += [f"{k}: {v}" for k, v in self.headers]
        if self.headers:
            lines.append("")
        lines += _wrap64(base64.b64encode(self.body).decode("ascii"))
        lines.append(f"-----END {self.label}-----")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class BadBlock:
    label: str
    index: int
    reason: str


def find_blocks(text: str) -> list[PemBlock | BadBlock]:
    """Every BEGIN/END block in the text, in order (see iter_blocks)."""
    return list(iter_blocks(text))


def iter_blocks(text: str) -> Iterator[PemBlock | BadBlock]:
    """The blocks one at a time, so a 50,000-certificate store never holds every decoded body
    beside every parsed certificate. A block whose base64 is broken, or whose END line names
    another label, is a BadBlock. A BEGIN line with no END before the next BEGIN is not a block
    (the reader says so when nothing else was found)."""
    for index, (label, body_text, end_label) in enumerate(Scanner(text).blocks(), start=1):
        label = label.strip()
        if end_label.strip() != label:
            yield BadBlock(label, index, f"its END line names '{end_label.strip()}', not '{label}'")
            continue
        yield _decode(label, body_text, index)


def _decode(label: str, body_text: str, index: int) -> PemBlock | BadBlock:
    headers, b64 = _split_body(body_text)
    try:
        body = base64.b64decode(_WHITESPACE.sub("", b64), validate=True)
    except (binascii.Error, ValueError):
        return BadBlock(label, index, "its base64 text is broken")
    if not body:
        return BadBlock(label, index, "it is empty")
    return PemBlock(label, headers, body, index)


class Scanner:
    """One linear pass over PEM text: BEGIN, then the first END or BEGIN after it.

    Each search starts where the previous one of its kind stopped or later, so every character is
    looked at by at most one BEGIN search and one END search: `scanned` counts them (a test holds
    it under twice the text's length, whatever the text; no timing needed).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.scanned = 0  # characters the searches went over, for the linearity test
        self._end: re.Match[str] | None = None
        self._ends_left = True

    def _search(self, pattern: re.Pattern[str], start: int) -> re.Match[str] | None:
        match = pattern.search(self.text, start)
        self.scanned += (match.end() if match else len(self.text)) - start
        return match

    def _next_end(self, start: int) -> re.Match[str] | None:
        """The first END line at or after `start`; the previous answer when it still is."""
        if self._ends_left and (self._end is None or self._end.start() < start):
            self._end = self._search(_END, start)
            self._ends_left = self._end is not None
        return self._end if self._ends_left else None

    def blocks(self) -> Iterator[tuple[str, str, str]]:
        """(BEGIN label, body text, END label) for every BEGIN that an END line closes."""
        begin = self._search(_BEGIN, 0)
        while begin is not None:
            end = self._next_end(begin.end())
            if end is None:
                return  # no END anywhere after this: nothing more can be a block
            following = self._search(_BEGIN, begin.end())
            if following is not None and following.start() < end.start():
                begin = following  # this BEGIN was never closed; the later one may be
                continue
            yield begin.group(1), self.text[begin.end() : end.start()], end.group(1)
            begin = following


def _split_body(body: str) -> tuple[tuple[tuple[str, str], ...], str]:
    headers: list[tuple[str, str]] = []
    b64_lines: list[str] = []
    for raw in body.splitlines():
        line = raw.strip().lstrip(">").strip()  # quoted e-mail replies put "> " before each line
        if not line:
            continue
        if not b64_lines and _HEADER_LINE.match(line):
            key, _, value = line.partition(":")
            headers.append((key.strip(), value.strip()))
        else:
            b64_lines.append(line)
    return tuple(headers), "".join(b64_lines)


def _wrap64(b64: str) -> list[str]:
    return [b64[i : i + 64] for i in range(0, len(b64), 64)] or [""]


def encode(label: str, der: bytes) -> str:
    """One PEM block with 64-column lines and a final newline."""
    lines = [f"-----BEGIN {label}-----", *_wrap64(base64.b64encode(der).decode("ascii"))]
    lines.append(f"-----END {label}-----")
    return "\n".join(lines) + "\n"


def join(blocks: list[str]) -> bytes:
    """Blocks one after another with no blank line between them."""
    return "".join(block.strip("\n") + "\n" for block in blocks).encode("ascii")
