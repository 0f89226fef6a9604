"""Import checks (seed-001 AT-16, AT-21, AT-22; seed-004 AT06, AT07; peers A.2 item 4)."""

from __future__ import annotations

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID
from pki import DAY, NOW, issue, make_csr, make_pki, name, new_key

from collabcert.chain import build_chain
from collabcert.findings import Severity
from collabcert.importcheck import IPSEC_END_SYSTEM, check_import, missing_names


@pytest.fixture(scope="module")
def pki():
    return make_pki(leaf_cn="expe1.example.com",
                    sans=["expe1.example.com", "expe.example.com", "10.0.0.5"])


def _ids(result):
    return {f.id for f in result.findings}


def test_matching_key_and_csr_pass(pki):
    result = check_import(pki.leaf.cert, key=pki.leaf.key, csr=pki.csr, role="expressway-e")
    assert result.ok and result.key_matches and result.csr_matches, result.findings
    assert result.missing_sans == ()


def test_cluster_peer_key_is_key_match(pki):
    """seed-001 AT-21: peer1's certificate with peer2's key."""
    result = check_import(pki.leaf.cert, key=new_key())
    assert not result.ok and result.key_matches is False
    (finding,) = [f for f in result.findings if f.id == "KEY-MATCH"]
    assert "wrong peer" in finding.message and finding.severity is Severity.ERROR


def test_certificate_for_an_older_csr(pki):
    """seed-004 AT06: the CA signed CSR-A; CSR-B is the latest."""
    other = make_csr(new_key(), "expe1.example.com", ["expe1.example.com"])
    result = check_import(pki.leaf.cert, csr=other)
    assert result.csr_matches is False and "KEY-MATCH" in _ids(result)


def test_missing_sans_are_named(pki):
    csr = make_csr(pki.leaf.key, "expe1.example.com",
                   ["expe1.example.com", "EXPE.example.com", "collab-edge.example.com",
                    "10.0.0.5", "10.0.0.6"])
    result = check_import(pki.leaf.cert, csr=csr, expected_sans=["jabber.example.com"])
    assert result.missing_sans == ("jabber.example.com", "collab-edge.example.com", "10.0.0.6")
    (finding,) = [f for f in result.findings if f.id == "SAN-MISSING"]
    assert "collab-edge.example.com" in finding.message
    assert missing_names(pki.leaf.cert, ["Expe1.Example.com."]) == []


def test_web_server_template_drops_client_auth(pki):
    """seed-001 AT-16: serverAuth only -> CRT-EKU-CLIENT naming the Webclientandserver fix."""
    leaf = issue("expe1.example.com", issuer=pki.intermediate,
                 eku=[ExtendedKeyUsageOID.SERVER_AUTH])
    result = check_import(leaf.cert, role="expressway-e")
    (finding,) = [f for f in result.findings if f.id == "CRT-EKU-CLIENT"]
    assert finding.severity is Severity.ERROR
    assert 'certreq -submit -attrib "CertificateTemplate:Webclientandserver"' in finding.fix
    assert result.missing_eku == ("clientAuth",)
    assert check_import(leaf.cert, required_eku=["serverAuth"]).ok


def test_required_eku_as_parameter_and_ipsec(pki):
    """seed-004 AT07: an ipsec leaf without 1.3.6.1.5.5.7.3.5 -> CU-X04."""
    result = check_import(pki.leaf.cert, required_eku=["serverAuth", "clientAuth",
                                                       IPSEC_END_SYSTEM.dotted_string])
    assert "CU-X04" in _ids(result)
    assert "CU-X04" in _ids(check_import(pki.leaf.cert, role="cucm-ipsec"))


def test_no_eku_at_all_is_a_warning(pki):
    leaf = issue("expe1.example.com", issuer=pki.intermediate, eku=[])
    result = check_import(leaf.cert, role="expressway-c")
    assert "CRT-EKU-ABSENT" in _ids(result) and result.ok


def test_capf_needs_key_cert_sign(pki):
    result = check_import(pki.leaf.cert, role="cucm-capf")
    assert result.missing_ku == ("key_cert_sign",) and not result.ok


def test_validity_at_a_chosen_time(pki):
    assert "CRT-EXPIRED" in _ids(check_import(pki.leaf.cert, at=NOW + 999 * DAY))
    assert "CRT-NOTYET" in _ids(check_import(pki.leaf.cert, at=NOW - 9 * DAY))


def test_chain_completeness_comes_from_the_chain(pki):
    """seed-001 AT-22: server certificate from "R3", CA file with only ISRG Root X1."""
    isrg = issue(name("ISRG Root X1", "Internet Security Research Group"), ca=True)
    r3 = issue(name("R3", "Let's Encrypt"), issuer=isrg, ca=True)
    leaf = issue("expe.example.com", issuer=r3)
    incomplete = build_chain([leaf.cert, isrg.cert])
    result = check_import(leaf.cert, chain=incomplete)
    assert "CHN-INCOMPLETE" in _ids(result) and not result.ok
    assert incomplete.missing_issuer.subject == "CN=R3,O=Let's Encrypt"
    complete = build_chain([leaf.cert, isrg.cert, r3.cert])
    assert check_import(leaf.cert, chain=complete).ok
    assert [link.subject for link in complete.cas] == ["CN=R3,O=Let's Encrypt",
                                                      "CN=ISRG Root X1,O=Internet Security "
                                                      "Research Group"]


def test_unknown_role_falls_back_quietly(pki):
    assert check_import(pki.leaf.cert, role="no-such-role").ok
