"""Paths as the user types and reads them: relative to the folder collabcert runs in.

No Textual here, so the flows' state modules (screens/*_state.py) can use it too.
"""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path, base: Path | None = None) -> str:
    """Relative to the current folder when inside it: shorter, and what the user typed."""
    base = base or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def typed_path(text: str, base: Path) -> Path:
    """The path a typed text means: `~` expanded, relative to `base`; empty text is `base`."""
    raw = Path(text.strip()).expanduser()  # Path("") is Path(".")
    return raw if raw.is_absolute() else base / raw
