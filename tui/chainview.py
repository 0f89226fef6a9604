"""Which certificates of the input relate, shown like the Windows "Certification path": root on top.

The chain engine (collabcert/chain.py) decides the links by signature and the inspect job
(collabcert/jobs/inspect.py) turns its chains into the top-down CertPath of plain summaries;
`CertPathTree` shows every path of the input (the inspect flow). tui/chaintree.py shows the one
chain an import or bundle writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.widgets import Tree

from collabcert.display import shown
from collabcert.jobs.inspect import CertPath, cert_paths, related

__all__ = ["CertPath", "CertPathTree", "cert_paths", "related"]


class CertPathTree(Tree[Any]):
    """Every path that links two or more certificates: `name  (root, until 2035-06-01)` with the
    certificate it issued below it; under each, how its link was verified."""

    def __init__(self, paths: list[CertPath], *, now: dt.datetime | None = None,
                 leaf_files: Callable[[CertPath], list[str]] | None = None,
                 **kwargs: Any) -> None:
        """`leaf_files`: where each path's leaf is (`expc1.crt [1]`), said under the leaf, since
        two paths to the same CN look alike without it (issue 12 item 12)."""
        super().__init__(Text("Certification path (root at the top)"), **kwargs)
        self.now = now
        self.leaf_files = leaf_files
        self.show_root = True
        self.root.expand()
        for path in paths:
            if len(path.certificates) > 1:
                self._add_path(path)

    def _add_path(self, path: CertPath) -> None:
        node = self.root
        if not path.top_is_root:
            node = node.add(Text(f"(not in the input: {shown(path.missing_issuer)})"), expand=True)
        nodes = []
        last = len(path.certificates) - 1
        for number, summary in enumerate(path.certificates):
            name = shown(summary.subject_cn or summary.subject or "(no subject)")
            role = ("root" if number == 0 and path.top_is_root
                    else "end certificate" if number == last else "CA")
            # said in words: an expired certificate on the path is what support looks for
            state = ("EXPIRED" if self.now is not None and summary.not_after <= self.now
                     else "until")
            node = node.add(Text(f"{name}  ({role}, {state} {summary.not_after:%Y-%m-%d})"),
                            expand=True)
            nodes.append(node)
        files = self.leaf_files(path) if self.leaf_files else []
        if files:
            node.add_leaf(Text(f"in {', '.join(shown(f) for f in files)}"))
        for node, how in zip(nodes, path.links_how, strict=True):
            node.add_leaf(Text(how))  # after the issued certificate: the path reads first
