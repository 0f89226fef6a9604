"""The live CN / SAN preview of a CSR, as the Expressway Generate CSR page shows it: `DNS:a DNS:b`.

Fed with a collabcert.roles.Preview (never raises, so it can follow every key press). Names come
from the user, so nothing here is read as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from collabcert.roles import Preview, Role


def preview_text(role: Role, preview: Preview) -> str:
    cn = preview.cn or "(not yet: type the name the CN comes from)"
    if not role.has_san:
        sans = "(none: this certificate has no SAN)"
    else:
        sans = preview.text or "(none yet)"
    lines = [f"CN    {cn}", f"SANs  {sans}"]
    if preview.missing:
        labels = [(role.field(n).label if role.field(n) else n) for n in preview.missing]
        lines.append(f"Still needed: {', '.join(labels)}")
    if preview.errors:
        count = len(preview.errors)
        lines.append("1 answer to fix (the reason is beside the field); it is left out above"
                     if count == 1 else
                     f"{count} answers to fix (the reason is beside each); they are left out "
                     "above")
    return "\n".join(lines)


class SanPreview(Static):
    """`CN  expe.example.com` / `SANs  DNS:expe.example.com DNS:collab-edge.example.com`."""

    help_topic = "csr-preview"

    DEFAULT_CSS = """
    SanPreview {
        height: auto;
        max-height: 8;
        overflow-y: auto;
        padding: 0 1;
        border: solid $primary;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.shown = ""

    def show(self, role: Role, preview: Preview) -> None:
        self.shown = preview_text(role, preview)
        self.update(self.shown)
