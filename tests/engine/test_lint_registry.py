"""The rule registry and its generated documentation (docs/lint-rules.md cannot drift)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pki import shared_dir

from collabcert.rules import docs, registry

ROOT = Path(__file__).resolve().parents[2]


def test_committed_docs_equal_the_generator():
    committed = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    assert committed == docs.render(), "run: python -m collabcert.rules.docs > docs/lint-rules.md"


def test_readme_rule_block_equals_the_generator():
    """Issue 7: the README lists every rule with its ID, severity and citation, generated."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(docs.README_START), readme.index(docs.README_END)
    block = readme[start:end + len(docs.README_END)]
    assert block == docs.readme_block(), "run: python -m collabcert.rules.docs --readme"
    assert readme.rstrip("\n").endswith(docs.README_END)  # the section ends the file
    assert "\n## Lint rules\n" in readme[:start]
    for rule in registry.all_rules():
        assert f"| `{rule.id}` | {rule.severity} |" in block, rule.id
        assert rule.source_id in block, rule.id


def test_readme_mode_rewrites_only_the_block(tmp_path):
    text = "# title\n\nkept\n\n## Lint rules\n\n" + docs.README_START + "\nold\n" + \
        docs.README_END + "\n"
    readme = tmp_path / "README.md"
    readme.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "collabcert.rules.docs", "--readme", str(readme)],
                   check=True, cwd=ROOT)
    written = readme.read_text(encoding="utf-8")
    assert written == "# title\n\nkept\n\n## Lint rules\n\n" + docs.readme_block() + "\n"
    assert docs.update_readme(written) == written


def test_the_generator_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "collabcert.rules.docs"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    assert out.stdout == docs.render()


def test_ids_unique_and_map_one_to_one_to_requirements():
    rules = registry.all_rules()
    assert len({r.id for r in rules}) == len(rules)
    pairs = [(r.source, r.source_id) for r in rules]
    assert len(set(pairs)) == len(pairs)


def test_every_rule_has_sentence_citation_and_reason():
    for rule in registry.all_rules():
        assert rule.message.strip(), rule.id
        assert rule.cite.startswith(rule.source), rule.id
        assert rule.checkable or rule.why_not, rule.id


def test_cms_ids_are_prefixed_and_keep_the_seed_id():
    cms = [r for r in registry.all_rules() if r.source == "seed-003"]
    assert cms and all(r.id == f"CMS-{r.source_id}" for r in cms)
    assert registry.get("CMS-R09").cite.startswith("seed-003 R09")


def test_requirement_ids_are_all_in_the_requirement_files():
    req = shared_dir("requirements")
    if not req.is_dir():
        pytest.skip(f"requirement files not found at {req}")
    for rule in registry.all_rules():
        if rule.source == "collabcert":  # ours: no requirement file, a rationale instead
            assert rule.lines.strip() and rule.source_id == rule.id, rule.id
            continue
        text = (req / registry.REQUIREMENT_FILES[rule.source]).read_text(encoding="utf-8")
        assert rule.source_id in text, (rule.id, rule.source_id)


def test_every_checkable_rule_is_named_in_a_lint_test():
    """One test per rule at least: each checkable ID appears in some tests/test_lint_*.py."""
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_lint_*.py")
                   if p.name != "test_lint_registry.py")
    missing = [r.id for r in registry.all_rules() if r.checkable and _lint_checks(r.id)
               and not re.search(rf"['\"]{re.escape(r.id)}['\"]", text)]
    assert missing == []


def _lint_checks(rule_id: str) -> bool:
    """Whether a lint module emits `rule_id` (rules that only the reader, the chain builder or
    the import check emit are named in those modules' tests instead, below)."""
    where = docs.checked_in().get(rule_id, ())
    return not where or any(m.startswith("lint.") for m in where)


def test_every_rule_emitted_outside_lint_is_named_in_a_test():
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")
                   if p.name != "test_lint_registry.py")
    missing = [r.id for r in registry.all_rules() if r.checkable and not _lint_checks(r.id)
               and not re.search(rf"['\"]{re.escape(r.id)}['\"]", text)]
    assert missing == []


def test_the_seed_lists_of_the_issue_are_covered():
    got = {r.id for r in registry.all_rules()}
    for expected in ("KEY-ENC", "CRT-EKU-CLIENT", "ROLE-CHAT-MISMATCH", "CHN-LE", "CRL-EXPIRED",
                     "PROC-KEY-SECRET", "CMS-F01", "CMS-K03", "CMS-C04", "CMS-B05", "CMS-X03",
                     "CMS-R09", "CMS-R10", "CMS-T01", "CU-P01", "CU-X03", "CU-C01", "CU-E01",
                     "CU-F02", "CU-T01", "TS-SELF-UNTRUSTED", "SNI-ADDR-NOT-IN-CERT",
                     "TRUST-DUP-CN", "TRAV-SSH-INT", "MRA-E-DOMAIN", "UCM-TRUST-EXPC",
                     "LOG-CORE-SELF", "LOG-SNI"):
        assert expected in got
