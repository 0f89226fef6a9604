"""General rules run whatever the role, and the engine API the screens use."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from lint_support import ids, key_pem, lint
from pki import DAY, NOW, issue, name, sha1_signed

from collabcert.errors import InputError
from collabcert.lint import LintInput, run_lint


@pytest.fixture(scope="module")
def root():
    return issue(name("Root"), ca=True, not_after=NOW + 3000 * DAY)


@pytest.mark.parametrize("role, expired_id", [
    (None, "CRT-EXPIRED"), ("expressway-e", "CRT-EXPIRED"), ("cms-webbridge", "CMS-X01"),
    ("cucm-tomcat-ecdsa", "CU-E01"),
])
def test_expired_uses_the_products_own_id(root, role, expired_id):
    old = issue("a.example.com", issuer=root, not_before=NOW - 9 * DAY, not_after=NOW - DAY)
    report = lint(("a.crt", old.pem), role=role)
    assert expired_id in ids(report, "error") and report.failed
    fresh = issue("a.example.com", issuer=root)
    assert expired_id not in ids(lint(("a.crt", fresh.pem), role=role))


def test_general_rules_without_a_role(root):
    y2050 = issue("a.example.com", issuer=root, not_after=dt.datetime(2051, 1, 1, tzinfo=dt.UTC))
    soon = issue("a.example.com", issuer=root, not_after=NOW + 10 * DAY)
    later = issue("a.example.com", issuer=root, not_before=NOW + 3 * DAY)
    assert "CRT-2050" in ids(lint(("a.pem", y2050.pem)))
    assert "CRT-EXPIRING" in ids(lint(("a.pem", soon.pem)))
    assert "CRT-NOTYET" in ids(lint(("a.pem", later.pem)))
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert "KEY-WEAK" in ids(lint(("k.pem", key_pem(weak))), "error")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = issue(name("RSA CA"), key=key, ca=True)
    leaf = issue("a.example.com", issuer=ca)
    from cryptography.hazmat.primitives import serialization

    sha1 = sha1_signed(leaf.cert, key).public_bytes(serialization.Encoding.PEM)
    assert "CRT-SHA1" in ids(lint(("a.pem", sha1)), "warning")
    assert not {"CRT-SHA1", "CRT-2050", "CRT-EXPIRING"} & ids(lint(("a.pem", leaf.pem)))
    old_ca = issue(name("Old"), ca=True, not_before=NOW - 9 * DAY, not_after=NOW - DAY)
    report = lint(("ca.pem", old_ca.pem))
    assert "CHN-EXPIRED" in ids(report, "warning") and not report.failed


def test_unknown_role_and_unreadable_input_are_input_errors():
    with pytest.raises(InputError):
        run_lint([LintInput("a.pem", b"x")], role="no-such-role")
    with pytest.raises(InputError):
        run_lint([LintInput("a.pem", b"\x00\x01garbage" * 10)])


def test_report_groups_and_text_report(root):
    old = issue("a.example.com", issuer=root, not_before=NOW - 9 * DAY, not_after=NOW - DAY)
    report = lint(("a.pem", old.pem), role="expressway-c")
    grouped = report.by_severity()
    assert "CRT-EXPIRED" in [f.id for f in grouped["error"]]
    assert not grouped["warning"] or all(f.severity == "warning" for f in grouped["warning"])
    text = report.text_report()
    assert "ERROR CRT-EXPIRED [a.pem]" in text and "cite: seed-001 CRT-EXPIRED" in text
    doc = report.to_json()
    assert set(doc["findings"][0]) >= {"id", "severity", "message", "fix", "cite"}


@pytest.mark.parametrize("role", [None, "expressway-e", "cms-webbridge", "cucm-tomcat"])
def test_an_md5_signature_is_an_error_of_its_own_not_the_sha1_warning(role):
    """issue 11 item 13: MD5 is refused by TLS libraries; seed-001 CRT-SHA1 (a warning) names
    it only in passing, so it has its own rule, CRT-MD5, an error in every product."""
    from strange_certs import strange

    report = lint(("md5.pem", strange("md5-signature").pem), role=role)
    assert "CRT-MD5" in ids(report, "error") and report.failed
    assert not {"CRT-SHA1", "CMS-X02", "CU-X09"} & ids(report)


def test_a_crl_pyca_refuses_is_a_load_block_error_and_lint_goes_on():
    """issue 11 item 12: a CRL of version 5 (pyca: InvalidVersion) crashed lint."""
    from strange_certs import bad_version_crl, strange

    report = lint(("bad.crl", bad_version_crl()), ("ca.pem", strange("ca").pem))
    bad = [f for f in report.findings if f.id == "LOAD-BLOCK"]
    assert bad and "version is 5" in bad[0].message
    assert "LOAD-BLOCK" in ids(report, "error")
