"""The rule catalogue: every rule any module can emit, found by its literal ID.

Importing this module imports every declaration module (data only, see base.py), never a
check, so the checks can import it at their top level without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable

from collabcert.findings import Finding, Severity
from collabcert.rules import (  # noqa: F401  (importing them declares their rules)
    bundle,
    chain,
    cms,
    csr,
    cucm,
    expressway,
    general,
    logs,
    mra,
    probe,
    reading,
)
from collabcert.rules.base import DECLARED, REQUIREMENT_FILES, Rule

__all__ = ["REQUIREMENT_FILES", "Rule", "all_rules", "dedupe", "get", "sort_key"]


def all_rules() -> list[Rule]:
    return list(DECLARED.values())


def get(rule_id: str) -> Rule:
    """The rule of `rule_id`; a KeyError names an ID that no declaration module declares."""
    try:
        return DECLARED[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id} in collabcert/rules/") from None


def sort_key(finding: Finding) -> tuple[int, str, str]:
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return order[finding.severity], finding.id, finding.where


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """The same finding reached twice (two files, two paths) is said once, order kept."""
    seen: set[tuple[str, str, str]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.id, f.message, f.where)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
