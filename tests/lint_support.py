"""Helpers shared by the lint tests (no tests here): run lint on in-memory files."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from pki import key_pem as key_pem  # the lint tests take it from here; it lives with the PKIs

from collabcert.lint import LintInput, LintOptions, run_lint


def lint(*files, role=None, fields=None, now=None, **options):
    """`files`: (name, bytes) or (name, bytes, role) tuples."""
    inputs = [LintInput(*f) for f in files]
    return run_lint(inputs, role=role, fields=fields, now=now, options=LintOptions(**options))


def ids(report, severity=None) -> set[str]:
    return {f.id for f in report.findings if severity is None or str(f.severity) == severity}


def of(report, rule_id):
    return [f for f in report.findings if f.id == rule_id]


def legacy_key_pem(key, password: bytes) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.BestAvailableEncryption(password))
