"""What a rule is, and how a declaration module declares one.

Declaration modules (collabcert/rules/<product>.py) import only this module: they are data, so
the checks can import the catalogue and the catalogue never imports a check (no cycle).

Rule IDs are the requirement IDs (seed-001 KEY-*, CRT-*; seed-004 CU-*; seed-000-002 TS-*, ...).
seed-003's short IDs (F01, K01, C01, X01, B01, R01, T01) collide with other files' short IDs
(seed-000-002 T1 ...), so they are prefixed `CMS-` (CMS-R09 is seed-003 R09). A finding with
no requirement behind it (how collabcert reads files, builds chains, plans bundles) has the
source "collabcert" and a one-line rationale instead of seed lines.

Rules that cannot be judged from files are declared too (so the docs list them) with
`checkable=False` and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from collabcert.findings import Finding, Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# Requirement file of each source key; "collabcert" is ours (no requirement behind the rule).
REQUIREMENT_FILES = {
    "seed-001": "seed-001-expressway.md",
    "seed-003": "seed-003-cms.md",
    "seed-004": "seed-004-cucm.md",
    "seed-000-002": "seed-000-002-expressway-trouble.md",
    "peers": "peers-and-test-suites.md",
}
OURS = "collabcert"


@dataclass(frozen=True)
class Rule:
    id: str  # the finding ID (stable, part of the --json output)
    severity: Severity  # the default; a call site may pass the context's severity
    message: str  # the default plain sentence
    fix: str
    source: str  # requirement file key, e.g. "seed-001", or "collabcert"
    source_id: str  # the rule ID inside that file
    lines: str  # seed line references, e.g. "L884"; for "collabcert" the rationale
    product: str  # docs section: "general", "reading", "chain", "expressway", "cms", ...
    checkable: bool = True
    why_not: str = ""  # why it cannot be judged from files (checkable=False)
    note: str = ""  # severity or scope notes for the docs table

    @property
    def cite(self) -> str:
        if self.source == OURS:
            return f"collabcert {self.id} (no requirement: {self.lines})"
        lines = f" ({self.lines})" if self.lines else ""
        return f"{self.source} {self.source_id}{lines}"

    def finding(
        self,
        message: str | None = None,
        *,
        where: str = "",
        fix: str | None = None,
        severity: Severity | None = None,
        also: Rule | None = None,
    ) -> Finding:
        """The one way a finding is made: this rule's ID and citation, always.

        `also` is a related registered rule whose citation is appended (TRUST-DUP-CN names the
        seed-001 rule the same pair of certificates breaks)."""
        cite = self.cite + (f"; {also.cite}" if also is not None else "")
        return Finding(
            self.id, severity or self.severity, message or self.message,
            fix=self.fix if fix is None else fix, cite=cite, where=where,
        )


# Filled by define() as the declaration modules are imported; read through registry.py.
DECLARED: dict[str, Rule] = {}


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
    if rule_id in DECLARED:
        raise ValueError(f"rule {rule_id} declared twice")
    if source not in REQUIREMENT_FILES and source != OURS:
        raise ValueError(f"unknown requirement file {source}")
    if source == OURS and not lines:
        raise ValueError(f"rule {rule_id} of collabcert's own needs a rationale")
    rule = Rule(rule_id, severity, message, fix, source, source_id or rule_id, lines, product,
                checkable, why_not, note)
    DECLARED[rule_id] = rule
    return rule


def ours(rule_id: str, severity: Severity, product: str, why: str, message: str,
         fix: str = "", *, note: str = "") -> Rule:
    """A rule of collabcert's own: no requirement behind it, `why` says why it exists."""
    return define(rule_id, severity, product, OURS, why, message, fix, note=note)


def not_checkable(rule_id: str, severity: Severity, product: str, source: str, lines: str,
                  message: str, why: str, *, source_id: str | None = None) -> Rule:
    return define(rule_id, severity, product, source, lines, message, source_id=source_id,
                  checkable=False, why_not=why)
