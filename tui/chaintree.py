"""The chain preview: collabcert's Chain as a tree, root on top, each link with how it was verified.

Like the Windows "Certification path" people know: the root at the top, each certificate under
the one that signed it, the leaf at the bottom. Under every certificate one line says how its
signature was checked (`signature verified (ECDSA with SHA-256), found by key id and name`, from
the engine's `ChainLink.how`), so a support person can read the chain aloud. A missing issuer is a
node of its own at the top, in plain words. Text from certificates is never read as markup. Every
value shown is the engine's (ChainLink.label, .how, .validity, dates): no certificate is read here.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, Tree

from collabcert.display import shown

OK, BAD = "✓", "✗"


def link_label(link: Any, *, written: bool = True) -> Text:
    """`Example Root CA  root, valid until 2035-06-01` (and `not written` when left out)."""
    role = {"leaf": "leaf, this server", "intermediate": "intermediate CA",
            "root": "root CA"}.get(link.position, link.position)
    state = "valid" if link.validity == "valid" else link.validity.upper()
    details = f"  ({role}, {state} until {link.not_after:%Y-%m-%d}"
    if not written:
        details += ", not written"
    return Text.assemble((shown(link.label), "bold"), details + ")")  # CN, else subject (dn.label)


def how_line(link: Any) -> Text:
    """`✓ signature verified (...)` or `✗ issuer missing: ...`; the words carry the meaning."""
    check = link.signature
    if check is not None and check.verified:
        return Text.assemble((OK, "bold green"), " ", link.how)
    return Text.assemble((BAD, "bold red"), " ", link.how)


def headline(chain: Any) -> str:
    count = len(chain.links)
    if chain.complete:
        return f"Chain complete: {count} certificate(s), root at the top"
    return f"Chain INCOMPLETE: {count} certificate(s), the issuer at the top is missing"


class ChainTree(Tree[Any]):
    """A read-only tree of one chain; `include_root=False` marks the root as not written."""

    DEFAULT_CSS = """
    ChainTree {
        height: auto;
        max-height: 20;
        min-height: 3;
        scrollbar-size-horizontal: 1;
    }
    """
    help_topic = "import-chain"

    def __init__(self, chain: Any, *, include_root: bool = True, **kwargs: Any) -> None:
        super().__init__(Text(headline(chain)), **kwargs)
        self.chain = chain
        self.include_root = include_root
        self.show_root = False  # the headline above says what the tree is; saves one indent
        self.guide_depth = 2
        self.build()

    def build(self) -> None:
        self.clear()
        node = self.root
        missing = self.chain.missing_issuer
        if missing is not None:
            node = node.add(Text.assemble((f"{BAD} MISSING: ", "bold red"), shown(missing.subject)),
                            expand=True)
            for line in missing_lines(missing):
                node.add_leaf(Text(shown(line)))
        for link in reversed(self.chain.links):
            written = self.include_root or link.position != "root"
            node = node.add(link_label(link, written=written), data=link, expand=True)
            node.add_leaf(how_line(link))
        self.root.expand()

    def set_include_root(self, include: bool) -> None:
        if include != self.include_root:
            self.include_root = include
            self.build()

    def labels(self) -> list[str]:
        """Every line of the tree from the top, as plain text (for tests and copying)."""
        out: list[str] = []

        def walk(node: Any, depth: int) -> None:
            for child in node.children:
                out.append("  " * depth + str(child.label))
                walk(child, depth + 1)

        walk(self.root, 0)
        return out


class ChainPreview(Vertical):
    """The headline (complete or not) above the tree."""

    DEFAULT_CSS = """
    ChainPreview {
        height: auto;
    }
    ChainPreview > .chain-headline {
        text-style: bold;
    }
    """

    def __init__(self, chain: Any, *, include_root: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chain, self.include_root = chain, include_root

    def compose(self) -> ComposeResult:
        yield Static(headline(self.chain), classes="chain-headline", markup=False)
        yield ChainTree(self.chain, include_root=self.include_root, id="chain-tree")
        missing = self.chain.missing_issuer
        if missing is not None:
            sentence = missing.sentence
            yield Static(sentence[:1].upper() + sentence[1:] + ".", id="missing-sentence",
                         classes="error-text", markup=False)

    @property
    def tree(self) -> ChainTree:
        return self.query_one(ChainTree)

    def set_include_root(self, include: bool) -> None:
        self.tree.set_include_root(include)


def missing_lines(missing: Any) -> list[str]:
    """Short lines under the MISSING node (the full sentence is shown below the tree)."""
    lines = ["not in the files given: ask the CA for it"]
    if missing.key_id:
        lines.append(f"key id {missing.key_id}")
    lines += [f"download: {url}" for url in missing.ca_issuers[:2]]
    return lines


def unused_text(chain: Any, limit: int = 8) -> str:
    """The certificates that are not on the chain, each with the reason; '' when none."""
    unused = list(chain.unused)
    if not unused:
        return ""
    lines = [f"Not used ({len(unused)}):"]
    for item in unused[:limit]:
        lines.append(f"  {shown(item.said)}: {shown(item.reason)}")
    if len(unused) > limit:
        lines.append(f"  … and {len(unused) - limit} more")
    return "\n".join(lines)
