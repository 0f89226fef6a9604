"""The rule table as Markdown, generated from the catalogue so it cannot drift.

`python -m collabcert.rules.docs > docs/lint-rules.md` writes the rule table;
`python -m collabcert.rules.docs --readme` rewrites the same tables in README.md's "Lint rules"
section (between the `<!-- lint-rules:start -->` and `<!-- lint-rules:end -->` comments).
Tests compare both with this output.

The "where" column is computed: the modules whose source fetches the rule by its literal ID
(`rules.get("ID")`), so it names the code that emits each finding.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache
from pathlib import Path

from collabcert.rules.base import OURS, REQUIREMENT_FILES, Rule
from collabcert.rules.registry import all_rules

SECTIONS = (
    ("general", "General rules (every file, whatever the role)"),
    ("reading", "Reading files (every input)"),
    ("chain", "Chains and trust lists (every product; seed-001 CHN-*)"),
    ("bundle", "Bundles and import checks (collabcert bundle, the import and bundle flows)"),
    ("csr", "Planning a key and CSR (collabcert csr, the CSR flow)"),
    ("expressway", "Expressway-C and Expressway-E (seed-001 §4)"),
    ("cms", "Meeting Server (seed-003 §4.2)"),
    ("cucm", "CUCM and IM and Presence (seed-004 §3.2)"),
    ("mra", "MRA readiness, trust lists and traversal (seed-000-002 §2.3)"),
    ("logs", "Expressway log signatures (seed-000-002 §2.4)"),
    ("probe", "Live servers (collabcert probe)"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


FETCH = re.compile(r'rules\.get\(\s*"([A-Z0-9][A-Z0-9-]*)"')


def _source_roots() -> dict[str, Path]:
    """Package name -> folder, for the engine and the faces (wherever the finder maps them)."""
    roots = {"collabcert": Path(__file__).resolve().parents[1]}
    for face in ("collabcert.screens", "collabcert.tui"):
        spec = importlib.util.find_spec(face)
        if spec and spec.submodule_search_locations:
            roots[face] = Path(next(iter(spec.submodule_search_locations)))
    return roots


@cache
def checked_in() -> dict[str, tuple[str, ...]]:
    """Rule ID -> the modules (dotted, less `collabcert.`) that fetch it by its literal ID."""
    found: dict[str, set[str]] = {}
    for package, root in _source_roots().items():
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root).with_suffix("")
            if package == "collabcert" and relative.parts[0] in ("rules", "screens", "tui"):
                continue  # the catalogue itself; the faces are scanned from their own roots
            name = ".".join((package, *relative.parts)).removeprefix("collabcert.")
            for rule_id in FETCH.findall(path.read_text(encoding="utf-8")):
                found.setdefault(rule_id, set()).add(name)
    return {rule_id: tuple(sorted(names)) for rule_id, names in found.items()}


def _requirement(rule: Rule) -> str:
    if rule.source == OURS:
        return f"none (collabcert's own): {rule.lines}"
    lines = f" ({rule.lines})" if rule.lines else ""
    return f"{REQUIREMENT_FILES[rule.source]} {rule.source_id}{lines}"


def _row(rule: Rule) -> str:
    if rule.checkable:
        checked = "yes" + (f"; {rule.note}" if rule.note else "")
    else:
        checked = f"not checkable from files: {rule.why_not}"
    where = ", ".join(f"`{m}`" for m in checked_in().get(rule.id, ())) or "-"
    return (f"| `{rule.id}` | {rule.severity} | {_cell(rule.message)} | "
            f"{_cell(_requirement(rule))} | {_cell(checked)} | {where} |")


INTRO = (
    "Every finding collabcert emits (reading a file, building a chain, planning a bundle or a "
    "trust list, checking an import, planning a CSR, `collabcert lint`, MRA, logs) comes from "
    "one rule below and carries its ID, a severity (`error`, `warning`, `info`), a plain "
    "sentence, the fix and the citation (requirements file and rule ID). "
    "Rule IDs are the requirement IDs, except seed-003's short IDs, which are prefixed "
    "`CMS-` (`CMS-R09` is seed-003 R09) because short IDs repeat across files. The "
    "*Requirement* column maps each rule to exactly one requirement rule; a rule with no "
    "requirement behind it (how collabcert reads files, builds chains, plans outputs) says "
    "\"none (collabcert's own)\" and why it exists. The severity is the rule's default: where "
    "a call site judges the context (for example an Expressway trust list against a CUCM one), "
    "the *Checked* column says so. *Where* lists the modules that emit the finding."
)
README_START = "<!-- lint-rules:start -->"
README_END = "<!-- lint-rules:end -->"


def _tables(rules: list[Rule], heading: str) -> list[str]:
    """One table per product section, each under a `heading` (`##`, `###`) title."""
    out = [f"{len(rules)} rules; {sum(r.checkable for r in rules)} are checked from files.", ""]
    for product, title in SECTIONS:
        mine = [r for r in rules if r.product == product]
        if not mine:
            continue
        out += [f"{heading} {title}", "",
                "| Rule ID | Severity | Rule | Requirement (file, rule ID, seed lines) | "
                "Checked | Where |", "|---|---|---|---|---|---|"]
        out += [_row(r) for r in mine]
        out.append("")
    return out


def render() -> str:
    """docs/lint-rules.md."""
    out = [
        "# Rules",
        "",
        "Generated by `python -m collabcert.rules.docs` from the rule registry; do not edit by "
        "hand (a test compares this file with the generator).",
        "",
        INTRO,
        "",
    ]
    return "\n".join(out + _tables(all_rules(), "##"))


def readme_block() -> str:
    """What stands between the two marker comments of README.md's "Lint rules" section."""
    out = [
        README_START,
        "",
        "Generated by `python -m collabcert.rules.docs --readme` from the rule registry; do not "
        "edit by hand (a test compares this block with the generator).",
        "",
        INTRO,
        "",
    ]
    return "\n".join(out + _tables(all_rules(), "###") + [README_END])


def update_readme(text: str) -> str:
    """`text` (README.md) with its block between the markers replaced by readme_block()."""
    head, start, rest = text.partition(README_START)
    _, end, tail = rest.partition(README_END)
    if not start or not end:
        raise ValueError(f"README.md has no {README_START} ... {README_END} block")
    return head + readme_block() + tail


def main(argv: list[str] | None = None) -> None:
    """No argument: print docs/lint-rules.md. `--readme [README.md]`: rewrite that block."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--readme"]:
        path = Path(args[1] if len(args) > 1 else "README.md")
        text = path.read_text(encoding="utf-8")
        path.write_text(update_readme(text), encoding="utf-8")
        return
    print(render(), end="")


if __name__ == "__main__":
    main()
