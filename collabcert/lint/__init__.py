"""Lint: check files against the products' rules and say, finding by finding, what to do.

The faces do not call this package directly: `collabcert lint`, the Check flow and the MRA flow
call the lint job (collabcert.jobs.lint, collabcert.jobs.mra), which reads the files, checks the
fields and calls `run_lint`. Entry points:

* `run_lint(inputs, role=..., fields=..., options=..., nodes=...) -> LintReport`: the findings
  of every rule set that applies (general rules always; product rules chosen by the roles of the
  files), plus the MRA verdict rows when MRA addresses or nodes are given, plus the log findings
  of pasted logs. Text for people comes from collabcert.report.
* `LintInput(name, data, role=None)`: one file; `role` is a catalogue role ID, `trust` (the trust
  list of the box being checked) or `peer` (a peer node's certificate).
* `collabcert.lint.mra.assess(...)` for the MRA readiness screen, `collabcert.lint.logs.read_log`
  for a pasted log, `collabcert.rules.all_rules()` for the rule table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from collabcert.findings import Finding, has_errors
from collabcert.lint.context import LintInput, LintOptions, loader_findings, make_context
from collabcert.lint.registry import checks_for, dedupe, sort_key

if TYPE_CHECKING:
    from collabcert.lint.mra import NodeFiles

__all__ = ["LintInput", "LintOptions", "LintReport", "run_lint"]


@dataclass(frozen=True)
class LintReport:
    findings: tuple[Finding, ...]
    verdicts: tuple = ()  # mra.VerdictRow values, when MRA addresses were given
    log_events: tuple = ()  # logs.LogEvent values, when logs were given
    checked: tuple[str, ...] = field(default=())  # the file names
    trust_certificates: int = 0  # how many certificates the trust files hold

    @property
    def failed(self) -> bool:
        return has_errors(list(self.findings))

    def by_severity(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {"error": [], "warning": [], "info": []}
        for f in self.findings:
            grouped[str(f.severity)].append(f)
        return grouped

    def to_json(self) -> dict[str, object]:
        return {
            "files": list(self.checked),
            "failed": self.failed,
            "findings": [f.to_json() for f in self.findings],
            "mra": [row.to_json() for row in self.verdicts],
        }

    def text_report(self) -> str:
        """Plain text for a ticket: the MRA verdict rows, then every finding with its fix and
        citation (collabcert.report, the one renderer)."""
        from collabcert.report import plain_report

        return plain_report(self.findings, self.verdicts)


def _guarded(check, ctx) -> list[Finding]:
    """One check's findings; a refusal deep in pyca that no guard foresaw stops only this check
    (issue 11 item 12: every other check goes on), and is said as LINT-CHECK-SKIPPED."""
    try:
        return list(check(ctx))
    except Exception as exc:  # noqa: BLE001 - a strange certificate must not end the run
        from collabcert import rules
        from collabcert.certparts import plain_reason

        name = getattr(check, "__name__", "a check").replace("_", " ")
        return [rules.get("LINT-CHECK-SKIPPED").finding(
            f"the check '{name}' could not finish on these files ({plain_reason(exc)}); the "
            "other checks ran")]


def run_lint(
    inputs: Sequence[LintInput],
    *,
    role: str | None = None,
    fields: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
    options: LintOptions | None = None,
    nodes: Sequence[NodeFiles] = (),
) -> LintReport:
    """Check `inputs`. `nodes` says which inputs are which MRA node's certificates (the MRA
    flow); without them the presented certificates form one node (the CLI's --mra-address).
    Raises InputError for an unknown role or unreadable input."""
    # importing the product modules registers their checks (collabcert.lint.registry.check)
    from collabcert.lint import cms, cucm, expressway, general, logs, mra  # noqa: F401

    ctx = make_context(inputs, role=role, fields=fields, now=now, options=options)
    ctx.mra = bool(nodes)  # the MRA flow's trust list is Expressway-C's (issue 13 item 3)
    products = {f.role.product for f in ctx.files if f.role}
    if ctx.role:
        products.add(ctx.role.product)
    findings: list[Finding] = loader_findings(ctx)
    for check in checks_for(products):
        findings.extend(_guarded(check, ctx))
    events = logs.events_of(ctx)
    assessment = mra.assessment_of(ctx, events, nodes)
    explained = {row.address.lower(): row.rule for row in assessment.rows
                 if row.result == mra.FAIL}
    findings += logs.findings_for(events, ctx, explained)
    findings += assessment.findings
    ordered = sorted(dedupe(findings), key=sort_key)
    return LintReport(tuple(ordered), assessment.rows, tuple(events),
                      tuple(f.name for f in ctx.files), len(ctx.trust_certificates))
