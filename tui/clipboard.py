"""Copy text to the user's clipboard: through the terminal (OSC 52) and, locally, through pyperclip.

Over SSH only OSC 52 reaches the user's own clipboard (pyperclip would fill the server's), so
pyperclip is tried only when the session is local. A private key is copied only after a yes in a
confirmation dialog, because clipboards are shared with other programs and often synced.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App


def over_ssh() -> bool:
    return any(os.environ.get(v) for v in ("SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"))


def _local_copy(text: str) -> bool:
    try:
        import pyperclip

        pyperclip.copy(text)
        return True
    except Exception:  # pyperclip raises its own error, or others when no clipboard tool exists
        return False


def copy_now(app: App, text: str, what: str) -> str:
    """Copy at once and notify; returns how it went ("terminal", "terminal+local")."""
    app.copy_to_clipboard(text)
    how = "terminal"
    if not over_ssh() and not app.is_headless and _local_copy(text):
        how = "terminal+local"
    if how == "terminal+local":
        message = f"Copied {what} to the clipboard (through the terminal and the local clipboard)."
    else:
        message = (
            f"Copied {what} through the terminal (OSC 52). If nothing arrives, the terminal or"
            " tmux does not allow it: save it to a file instead."
        )
    app.notify(message, title="Copied", markup=False)
    return how


def copy_text(app: App, text: str, what: str, *, private: bool = False) -> None:
    """Copy `text`; for a private key ask first (the answer arrives later, in a callback)."""
    if not private:
        copy_now(app, text, what)
        return
    from collabcert.tui.dialogs import ConfirmDialog

    def answered(yes: bool | None) -> None:
        if yes:
            copy_now(app, text, what)
        else:
            app.notify("Nothing was copied.", markup=False)

    app.push_screen(
        ConfirmDialog(
            f"Copy the PRIVATE KEY {what} to the clipboard? Other programs can read the clipboard"
            " and some sync it to other devices.",
            yes="Copy the key",
            no="Do not copy",
            default_no=True,
        ),
        answered,
    )
