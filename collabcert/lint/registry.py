"""The rule registry: every lint rule with its stable ID, severity, sentence, fix and citation.

Rule IDs are the requirement IDs (seed-001 KEY-*, CRT-*; seed-004 CU-*; seed-000-002 TS-*, ...).
seed-003's short IDs (F01, K01, C01, X01, B01, R01, T01) collide with other files' short IDs
(seed-000-002 T1 ...), so they are prefixed `CMS-` (CMS-R09 is seed-003 R09); the docs table
maps every lint ID to its requirement file and ID one to one.

Rules that cannot be judged from files stay in the registry (so the docs list them) with
`checkable=False` and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from collabcert.findings import Finding, Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

REQUIREMENT_FILES = {
    "seed-001": "seed-001-expressway.md",
    "seed-003": "seed-003-cms.md",
    "seed-004": "seed-004-cucm.md",
    "seed-000-002": "seed-000-002-expressway-trouble.md",
}


@dataclass(frozen=True)
class Rule:
    id: str  # the lint ID (stable, part of the --json output)
    severity: Severity
    message: str  # the default plain sentence
    fix: str
    source: str  # requirement file key, e.g. "seed-001"
    source_id: str  # the rule ID inside that file
    lines: str  # seed line references, e.g. "L884"
    product: str  # "general", "expressway", "cms", "cucm", "mra", "logs"
    checkable: bool = True
    why_not: str = ""  # why it cannot be judged from files (checkable=False)
    note: str = ""  # severity or scope notes for the docs table

    @property
    def cite(self) -> str:
        lines = f" ({self.lines})" if self.lines else ""
        return f"{self.source} {self.source_id}{lines}"

    def finding(
        self,
        message: str | None = None,
        *,
        where: str = "",
        fix: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            self.id, severity or self.severity, message or self.message,
            fix=self.fix if fix is None else fix, cite=self.cite, where=where,
        )


_RULES: dict[str, Rule] = {}


def define(
    rule_id: str,
    severity: Severity,
    product: str,
    source: str,
    lines: str,
    message: str,
    fix: str = "",
    *,
    source_id: str | None = None,
    checkable: bool = True,
    why_not: str = "",
    note: str = "",
) -> Rule:
    if rule_id in _RULES:
        raise ValueError(f"lint rule {rule_id} defined twice")
    if source not in REQUIREMENT_FILES:
        raise ValueError(f"unknown requirement file {source}")
    rule = Rule(rule_id, severity, message, fix, source, source_id or rule_id, lines, product,
                checkable, why_not, note)
    _RULES[rule_id] = rule
    return rule


def not_checkable(rule_id: str, severity: Severity, product: str, source: str, lines: str,
                  message: str, why: str, *, source_id: str | None = None) -> Rule:
    return define(rule_id, severity, product, source, lines, message, source_id=source_id,
                  checkable=False, why_not=why)


def all_rules() -> list[Rule]:
    _load_modules()
    return list(_RULES.values())


def get(rule_id: str) -> Rule:
    _load_modules()
    return _RULES[rule_id]


def _load_modules() -> None:
    # Importing the modules defines their rules; late so registry itself has no cycle.
    from collabcert.lint import cms, cucm, expressway, general, logs, mra  # noqa: F401


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


# --- checks: functions (ctx) -> findings, run when their product is in play -------------------

_CHECKS: list[tuple[tuple[str, ...], object]] = []


def check(*products: str):
    """Register a check. No products: it always runs; else when a file has a role of one."""

    def register(func):
        _CHECKS.append((products, func))
        return func

    return register


def checks_for(products: set[str]) -> list:
    _load_modules()
    return [func for wanted, func in _CHECKS if not wanted or products.intersection(wanted)]
