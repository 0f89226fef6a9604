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


# The objects table of Inspect (issue 12 item 6): what tells a decoy from the real one at 80x24.
# The first six columns fit 80 columns; the pairs and the key type follow (scroll right, or the
# detail below the table says the same in sentences). A `≠` after the number marks an object
# that shares its name with another of a different key.
OBJECT_COLUMNS = ("#", "Kind", "File", "CN", "Expires", "Key id", "Pairs", "Key")
_WIDTHS = {"File": 13, "CN": 16}
_SHORT_KINDS = {"Certificate": "Cert", "Private key": "Key", "Public key": "Pub key"}


def _fit(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def object_row(number: int, view: Any, result: Any, now: dt.datetime, file_name: str
               ) -> tuple[Text, ...]:
    """One row: number, kind, file, CN, expiry, short key id, key pairs, key type. Every word
    is the inspect job's (collabcert.jobs.inspect); cells are never markup."""
    from collabcert.jobs.inspect import expiry_words, pair_cell, short_key_id

    summary = view.summary
    subject = getattr(summary, "subject_cn", "") or getattr(summary, "subject", "") or "-"
    words = expiry_words(summary, now)  # the detail has the days since it expired
    expiry = "EXPIRED" if words.startswith("EXPIRED") else words.removeprefix("expires ")
    alike = "≠" if result.pairing.first_look_alikes(number, 1)[1] else ""
    kind = kind_word(view.item, summary)
    cells = (
        f"#{number + 1}{alike}",
        _SHORT_KINDS.get(kind, kind),
        _fit(file_name, _WIDTHS["File"]),
        _fit(subject if view.kind != "private_key" else "-", _WIDTHS["CN"]),
        expiry,
        short_key_id(view),
        pair_cell(result, number),
        summary.key,
    )
    loud = ("EXPIRED", "SAME NAME")
    # names from the file, escaped (issue 11 item 6)
    return tuple(Text(shown(c), style="bold" if any(w in c for w in loud) or "≠" in c else "")
                 for c in cells)


def detail_text(source_name: str, item: Any, summary: Any, now: dt.datetime,
                notes: list[str] | None = None) -> str:
    """The full summary of one object; `notes` (the job's pair_notes) come right after where
    it is from, so which key belongs to which certificate is read first."""
    from collabcert.jobs.inspect import expiry_words
    from collabcert.keypairs import key_id
    from collabcert.model import describe_lines

    rows = [("Source", f"{shown(source_name)}, block {item.index}, {item.encoding}")]
    if item.label:
        rows.append(("Name in file", shown(item.label)))  # a PKCS#12 friendly name
    if getattr(summary, "kind", "") == "certificate":
        rows.append(("Expiry", expiry_words(summary, now)))
    rows.append(("Key id", key_id(summary.spki_sha256)))
    rows += [("Pairs", note) for note in notes or ()]
    rows += describe_lines(summary, now)
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def pem_of(item: Any) -> str:
    """The PEM text of one object, made by the engine (a key as unencrypted PKCS#8)."""
    from collabcert.jobs.inspect import item_pem

    return item_pem(item)
