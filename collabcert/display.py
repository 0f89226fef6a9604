"""Text from files, made safe to show on a terminal: the one escaper of the CLI and the TUI.

A certificate's CN, a SAN, a PKCS#12 friendly name, a file name or a log line is the sender's
text. Printed raw, `ESC ] 52 ; c ; ... BEL` in a CN sets the admin's clipboard through tmux, other
escapes move the cursor or retitle the window, and a bidi override (U+202E) makes
`moc.elpmaxe` read as `example.com`. Every such character is shown visibly instead, the way
Python writes it: C0 controls, DEL and C1 controls as `\\x1b`, the bidi controls (U+061C,
U+200E/F, U+202A-202E, U+2066-2069) and the line/paragraph separators as `\\u202e`. `--json`
keeps the value itself (JSON escapes it); only text for people goes through here.
"""

from __future__ import annotations

import json
from typing import Any

_BYTE_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_WIDE_CONTROLS = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                  0x2028, 0x2029]
_ESCAPES: dict[int, str] = {c: f"\\x{c:02x}" for c in _BYTE_CONTROLS}
_ESCAPES.update({c: f"\\u{c:04x}" for c in _WIDE_CONTROLS})
_KEEP_LINES = {**_ESCAPES}
# A whole block of output keeps its own line breaks and tabs (a generated shell completion
# script has tabs); a single value from a file (`shown`) has them escaped as well.
del _KEEP_LINES[0x0A], _KEEP_LINES[0x09]
# In JSON every one of them is written as a JSON escape, so the document stays valid JSON.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *_WIDE_CONTROLS)}


def shown(text: Any) -> str:
    """One value as it may be shown: every control character escaped, `\\n` too (a value
    is one line; a CN holding a newline must not start a fake line of output)."""
    return str(text).translate(_ESCAPES)


def shown_lines(text: str) -> str:
    """A block of output text: as `shown`, but its line breaks and tabs stay as they are."""
    return text.translate(_KEEP_LINES)


def is_safe(text: str) -> bool:
    """True when `text` holds nothing `shown_lines` would escape (used by the tests too)."""
    return text.translate(_KEEP_LINES) == text


def json_text(document: Any, **options: Any) -> str:
    """A JSON document for a terminal: pyca's values kept (JSON escapes C0 itself) and DEL, C1
    and bidi controls written as \\u escapes, which JSON reads back as the same characters."""
    options.setdefault("ensure_ascii", False)
    return json.dumps(document, default=str, **options).translate(_JSON_ESCAPES)


def json_escaped(encoded: str) -> str:
    """JSON text (json.dumps output) with DEL, C1 and bidi controls as \\u escapes."""
    return encoded.translate(_JSON_ESCAPES)
