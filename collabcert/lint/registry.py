"""Lint's check registry: functions (ctx) -> findings, run when their product is in play.

The rules themselves are in collabcert/rules/ (`collabcert.rules.get('CMS-R09')`); the names
below are re-exported for the callers that still import them from here.
"""

from __future__ import annotations

from collections.abc import Callable

from collabcert.rules import REQUIREMENT_FILES, Rule, all_rules, dedupe, get, sort_key

__all__ = ["REQUIREMENT_FILES", "Rule", "all_rules", "check", "checks_for", "dedupe", "get",
           "sort_key"]

_CHECKS: list[tuple[tuple[str, ...], Callable]] = []


def check(*products: str):
    """Register a check. No products: it always runs; else when a file has a role of one."""

    def register(func):
        _CHECKS.append((products, func))
        return func

    return register


def checks_for(products: set[str]) -> list:
    """The registered checks for `products`; collabcert.lint.run_lint imports the modules."""
    return [func for wanted, func in _CHECKS if not wanted or products.intersection(wanted)]
