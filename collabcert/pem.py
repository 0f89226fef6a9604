"""PEM text: finding blocks in messy text, and writing blocks the way the products want them.

Written PEM starts at `-----BEGIN`, has LF line ends, base64 lines of 64 columns, no blank line
between blocks and a final newline (seed-003 §2.3, seed-001 F8).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

# A block: the label on BEGIN and END must agree. Bodies may hold RFC 1421 headers (Proc-Type ...).
_BLOCK = re.compile(
    r"-----BEGIN ([A-Z0-9 #_/-]{1,64})-----(.*?)-----END \1-----", re.DOTALL
)
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
    """Every BEGIN/END block in the text, in order; a block whose base64 is broken is a BadBlock."""
    found: list[PemBlock | BadBlock] = []
    for index, match in enumerate(_BLOCK.finditer(text), start=1):
        label = match.group(1).strip()
        headers, b64 = _split_body(match.group(2))
        try:
            body = base64.b64decode(_WHITESPACE.sub("", b64), validate=True)
        except (binascii.Error, ValueError):
            found.append(BadBlock(label, index, "its base64 text is broken"))
            continue
        if not body:
            found.append(BadBlock(label, index, "it is empty"))
            continue
        found.append(PemBlock(label, headers, body, index))
    return found


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
