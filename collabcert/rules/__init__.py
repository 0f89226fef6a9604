"""One rule catalogue for every finding collabcert emits (issue 10).

Declarations live by product in this package (general, reading, chain, expressway, cms, cucm,
mra, logs, ...); a check gets its rule by the literal ID and calls `rule.finding(...)`:

    R09 = rules.get('CMS-R09')
    R09.finding(f"'{a}' and '{b}' share a key pair", where=name)

Nothing outside this package constructs a Finding (tests/engine/test_rule_catalogue.py checks
the source). `python -m collabcert.rules.docs` writes docs/lint-rules.md from the catalogue.
"""

from __future__ import annotations

from collabcert.rules.base import REQUIREMENT_FILES, Rule
from collabcert.rules.registry import all_rules, dedupe, get, sort_key

__all__ = ["REQUIREMENT_FILES", "Rule", "all_rules", "dedupe", "get", "sort_key"]
