"""Trust lists (seed-001 AT-25, seed-000-002 AT-13, F12, F14)."""

from __future__ import annotations

import pytest
from cryptography import x509
from pki import DAY, NOW, issue, name

from collabcert.findings import Severity
from collabcert.trustlist import build_trust_list, plan_trust_list


@pytest.fixture(scope="module")
def root():
    return issue(name("Corp Root CA"), ca=True)


def _ids(trust):
    return {(f.id, f.severity) for f in trust.findings}


def test_same_certificate_twice_is_merged_silently(root):
    """seed-000-002 AT-13 (b)."""
    trust = build_trust_list([(root.cert, "a.pem"), (root.cert, "b.pem")])
    assert len(trust.entries) == 1 and trust.duplicates == 1
    assert trust.entries[0].sources == ("a.pem", "b.pem")
    assert not trust.findings


def test_two_self_signed_with_the_same_cn(root):
    """seed-000-002 AT-13 (a) / seed-001 AT-25 (a): tomcat-ECDSA and CallManager-ECDSA."""
    tomcat = issue("cucm-ec.steven.lab", ca=False)
    callmanager = issue("cucm-ec.steven.lab", ca=False)
    trust = build_trust_list([root.cert, tomcat.cert, callmanager.cert])
    (dup,) = [f for f in trust.findings if f.id == "TRUST-DUP-CN"]
    assert dup.severity is Severity.ERROR and "cucm-ec.steven.lab" in dup.message
    assert "CSCwa12905" in dup.message and "CHN-SELFSIGNED-SAMECN" in dup.cite
    # self-signed peer certificates in a trust list are normal there: info only
    assert ("CHN-LEAF-IN-CA", Severity.INFO) in _ids(trust)


def test_two_cas_share_a_cn(root):
    """seed-001 AT-25 (b): reported with TRUST-DUP-CN, which cites CHN-DUPCN."""
    a = issue(name("Corp Issuing CA"), issuer=root, ca=True)
    b = issue(name("Corp Issuing CA"), issuer=root, ca=True)
    trust = build_trust_list([a.cert, b.cert, root.cert])
    (dup,) = [f for f in trust.findings if f.id == "TRUST-DUP-CN"]
    assert "CHN-DUPCN" in dup.cite
    cucm = build_trust_list([a.cert, b.cert], product="cucm")
    assert ("TRUST-DUP-CN", Severity.WARNING) in _ids(cucm)


def test_more_than_1000(root):
    """seed-001 AT-25 (c), F12: 1001 CAs (one key, 1001 names: fast enough)."""
    certs = [issue(name(f"CA {i}"), ca=True, key=root.key).cert for i in range(1001)]
    assert ("CHN-MAX", Severity.ERROR) in _ids(build_trust_list(certs))
    assert "CHN-MAX" not in {f.id for f in build_trust_list(certs[:1000]).findings}
    assert "CHN-MAX" not in {f.id for f in build_trust_list(certs, product="cucm").findings}


def test_ca_without_basic_constraints(root):
    """seed-001 AT-25 (d), F14."""
    lax = issue(name("Lax CA"), ca=True, basic_constraints=False)
    assert ("CHN-NOTCA", Severity.ERROR) in _ids(build_trust_list([lax.cert]))


def test_expired_ca_and_leaf_in_list(root):
    old = issue(name("Old CA"), ca=True, not_before=NOW - 99 * DAY, not_after=NOW - DAY)
    leaf = issue("expe.example.com", issuer=root)
    trust = build_trust_list([old.cert, leaf.cert, root.cert])
    assert ("CHN-EXPIRED", Severity.WARNING) in _ids(trust)
    assert ("CHN-LEAF-IN-CA", Severity.WARNING) in _ids(trust)
    assert ("CHN-EXPIRED", Severity.WARNING) not in _ids(
        build_trust_list([old.cert], at=NOW - 50 * DAY))


def test_replace_warning_against_existing_list(root):
    renewed = issue(root.cert.subject, ca=True)
    trust = build_trust_list([renewed.cert], existing=[root.cert])
    assert ("CHN-REPLACE", Severity.WARNING) in _ids(trust)


def test_plans(root, tmp_path):
    inter = issue(name("Corp Issuing CA"), issuer=root, ca=True)
    trust = build_trust_list([inter.cert, root.cert])
    (file,) = plan_trust_list(trust, out_dir=tmp_path)[0]
    assert x509.load_pem_x509_certificates(file.data) == [inter.cert, root.cert]
    assert file.certificates == 2 and file.data.endswith(b"\n")
    cucm = build_trust_list([inter.cert, root.cert], product="cucm")
    files, steps = plan_trust_list(cucm, out_dir=tmp_path, kind="tomcat")
    assert [f.path.name for f in files] == ["1-tomcat-trust-Corp_Root_CA.pem",
                                            "2-tomcat-trust-Corp_Issuing_CA.pem"]
    assert "purpose tomcat-trust" in steps[0]
