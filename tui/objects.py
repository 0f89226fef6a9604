"""Plain-words views of what the engine read: table cells, detail text, PEM for copying.

Only engine calls (collabcert.model, collabcert.jobs.inspect); nothing here parses bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text

from collabcert.display import shown

# The engine is imported inside the functions: tui/findings uses plural() at app start, and the
# reader (cryptography) would make the home screen slower to appear.


def plural(count: int, word: str) -> str:
    """`1 certificate`, `2 certificates`."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def valid_until(summary: Any, now: dt.datetime) -> str:
    if getattr(summary, "kind", "") != "certificate":
        return "-"
    days = summary.days_left(now)
    state = f"expired {-days} d ago" if days < 0 else f"{days} d left"
    return f"{summary.not_after:%Y-%m-%d} ({state})"


def fingerprint(summary: Any) -> str:
    """SHA-256 of the certificate/CSR, or of the public key for keys (what `match` compares)."""
    from collabcert.jobs.inspect import summary_fingerprint

    return summary_fingerprint(summary)


def short_fp(hex_text: str) -> str:
    from collabcert.model import colon_hex

    return colon_hex(hex_text[:16]) + "…" if hex_text else "-"


def kind_word(item: Any, summary: Any) -> str:
    from collabcert.jobs.inspect import KIND_WORDS

    word = KIND_WORDS.get(str(item.kind), str(item.kind))
    if getattr(summary, "kind", "") == "certificate":
        if summary.self_signed and summary.is_ca:
            return "Root CA"
        if summary.is_ca:
            return "CA cert"
    return word


def row_cells(item: Any, summary: Any, now: dt.datetime) -> tuple[Text, ...]:
    """Kind, encoding, subject CN, issuer CN, valid until, key, fingerprint (never markup)."""
    subject = getattr(summary, "subject_cn", "") or getattr(summary, "subject", "") or "-"
    issuer = getattr(summary, "issuer_cn", "") or getattr(summary, "issuer", "") or "-"
    cells = (
        kind_word(item, summary),
        item.encoding,
        subject if item.kind != "private_key" else "-",
        issuer,
        valid_until(summary, now),
        summary.key,
        short_fp(fingerprint(summary)),
    )
    return tuple(Text(shown(c)) for c in cells)  # names from the file, escaped


def detail_text(source_name: str, item: Any, summary: Any, now: dt.datetime) -> str:
    from collabcert.model import describe_lines

    rows = [("Source", f"{shown(source_name)}, block {item.index}, {item.encoding}")]
    if item.label:
        rows.append(("Name in file", shown(item.label)))  # a PKCS#12 friendly name
    rows += describe_lines(summary, now)
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def pem_of(item: Any) -> str:
    """The PEM text of one object, made by the engine (a key as unencrypted PKCS#8)."""
    from collabcert.jobs.inspect import item_pem

    return item_pem(item)
