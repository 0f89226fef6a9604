"""collabcert: certificates for Cisco collaboration systems.

One installed package. The engine is every module here except the faces: `collabcert.cli`
(the command line), `collabcert.tui` (widgets and the app), `collabcert.screens` (the flows)
and `collabcert.assets` (styles and help). The engine never imports the faces, textual or rich
(tests/contract/test_layering.py proves it).

The repository keeps `tui/`, `screens/` and `assets/` at its top level (the product card asks
for them); pyproject's package-dir installs them as `collabcert.tui`, `collabcert.screens` and
`collabcert.assets`, so the wheel has exactly one top-level package. Run from a source tree
(a checkout, a git worktree, an editable install) the finder below maps the same three names
onto the sibling folders of *this* tree, so a worktree never picks up another tree's screens.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.abc import MetaPathFinder
from pathlib import Path

_FACES = ("tui", "screens", "assets")


class _SourceLayout(MetaPathFinder):
    """Finds collabcert.tui/.screens/.assets in the repository's top-level folders."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(self, fullname: str, path=None, target=None):  # type: ignore[override]
        parts = fullname.split(".")
        if len(parts) != 2 or parts[0] != __name__ or parts[1] not in _FACES:
            return None  # deeper modules are found through the package's __path__
        folder = self.root / parts[1]
        return importlib.util.spec_from_file_location(
            fullname, folder / "__init__.py", submodule_search_locations=[str(folder)])


def _install_source_layout() -> None:
    here = Path(__file__).resolve().parent
    if (here / "tui").is_dir() or not (here.parent / "tui" / "__init__.py").is_file():
        return  # installed from the wheel: the faces are real subpackages
    if not any(isinstance(f, _SourceLayout) and f.root == here.parent for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceLayout(here.parent))


_install_source_layout()


def __getattr__(name: str) -> str:
    # Written once, in pyproject.toml (collabcert.version reads the package metadata); looked
    # up only when asked, so `collabcert --help` does not pay for importlib.metadata.
    if name == "__version__":
        from collabcert.version import collabcert_version

        return collabcert_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
