"""MRA verdict (seed-000-002 §2.5) and the acceptance scenarios of §5 (AT-01..AT-20), on the
fixture PKI of §5 built with pyca (EC keys where the scenario allows)."""

from __future__ import annotations

import pytest
from cryptography import x509
from lint_support import ids, lint, of
from pki import DAY, NOW, issue, new_key, pem_of

from collabcert.lint import mra
from collabcert.lint.mra import FAIL, PASS, UNCERTAIN, MraNode, MraSettings, Presented

FQDN, IP = "cucm.steven.lab", "10.48.36.215"
DC = lambda cn: x509.Name([  # noqa: E731
    x509.NameAttribute(x509.NameOID.DOMAIN_COMPONENT, "lab"),
    x509.NameAttribute(x509.NameOID.DOMAIN_COMPONENT, "steven"),
    x509.NameAttribute(x509.NameOID.COMMON_NAME, cn)])


@pytest.fixture(scope="module")
def fx():
    root = issue(DC("steven-DC-CA"), ca=True, not_after=NOW + 3000 * DAY)
    other = issue(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "other-CA")]), ca=True)
    inter = issue(DC("steven-intermediate-CA-1"), issuer=root, ca=True)
    three = ["cups.steven.lab", "steven.lab", FQDN]
    f = {
        "ROOT": root, "OTHER": other, "INT": inter,
        "TOMCAT-RSA": issue("cucm-ms.steven.lab", issuer=root, sans=three, key_kind="rsa"),
        "TOMCAT-RSA-INT": issue("cucm-ms.steven.lab", issuer=inter, sans=three),
        "TOMCAT-OTHER": issue(FQDN, issuer=other, sans=[FQDN]),
        "TOMCAT-FQDN": issue(FQDN, issuer=root, sans=[FQDN]),
        "TOMCAT-IPSAN": issue(FQDN, issuer=root, sans=[FQDN, IP]),
        "TOMCAT-IPCN": issue(IP, issuer=root, sans=[FQDN]),
        "TOMCAT-EC-SS": issue("cucm-ec.steven.lab", sans=[FQDN], key_kind="ec384"),
        "CM-EC-SS": issue("cucm-ec.steven.lab", sans=[FQDN], key_kind="ec384"),
    }
    dns_ip = x509.SubjectAlternativeName([x509.DNSName(FQDN), x509.DNSName(IP)])
    f["TOMCAT-IPDNS"] = issue(FQDN, issuer=root, extra=[dns_ip])
    f["TOMCAT-NOSAN"] = issue(FQDN, issuer=root)
    return f


def v(fx, leaf, trust, addr=FQDN, sent=(), **kw):
    p = Presented(fx[leaf].cert, tuple(fx[s].cert for s in sent))
    return mra.verdict(p, [fx[t].cert for t in trust], addr, node="cucm", ip=IP, **kw)


def test_at01_cn_differs_but_san_matches(fx):
    row = v(fx, "TOMCAT-RSA", ["ROOT"])
    assert row.result == PASS and row.matched_by == "DNS:cucm.steven.lab"
    assert not [f for f in row.findings if f.severity != "info"]


def test_at02_self_signed_ecdsa_on_6972(fx):
    row = v(fx, "TOMCAT-EC-SS", ["ROOT"])
    assert (row.result, row.rule) == (FAIL, "TS-SELF-UNTRUSTED")
    assert row.log_line == (
        "WARNING: Core server certificate verification failed for (cucm.steven.lab). "
        "Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215) "
        "depth=0")
    assert "Trusted CA Certificate on every Expressway-C node" in row.fix
    assert "CA" in row.fix and "SNI-ADDR-NOT-IN-CERT" not in {f.id for f in row.findings}
    assert "self-signed certificate" in v(fx, "TOMCAT-EC-SS", ["ROOT"],
                                          settings=MraSettings(openssl3=True)).log_line


def test_at03_after_the_fix(fx):
    assert v(fx, "TOMCAT-EC-SS", ["ROOT", "TOMCAT-EC-SS"]).result == PASS


def test_at04_different_ca_server_sends_its_root(fx):
    row = v(fx, "TOMCAT-OTHER", ["ROOT"], addr=IP, sent=["OTHER"])
    assert (row.result, row.rule) == (FAIL, "TS-CHAIN-ROOT-UNTRUSTED")
    assert "Error=self signed certificate in certificate chain server=10.48.36.215" \
           "(10.48.36.215) depth=1" in row.log_line
    also = [f for f in row.findings if f.id == "SNI-ADDR-NOT-IN-CERT"]
    assert also and "would also fail" in also[0].message


def test_at05_unknown_ca_is_not_called_self_signed(fx):
    row = v(fx, "TOMCAT-OTHER", ["ROOT"])
    assert (row.result, row.rule) == (FAIL, "TS-UNKNOWN-CA")
    assert "unable to get local issuer certificate" in row.log_line and "depth=0" in row.log_line
    assert "other-CA" in row.message and "unknown to Expressway-C" in row.message
    assert "self-signed" not in row.message.lower() and "self signed" not in row.message.lower()


def test_at06_ip_address_not_in_certificate(fx):
    row = v(fx, "TOMCAT-FQDN", ["ROOT"], addr=IP)
    assert (row.result, row.rule) == (FAIL, "SNI-ADDR-NOT-IN-CERT")
    assert row.log_line == ("WARNING: SNI (10.48.36.215) not in certificate. Action=Terminate "
                            "server=10.48.36.215(10.48.36.215)")
    assert "Add '10.48.36.215'" in row.fix and "System > Server" in row.fix
    assert v(fx, "TOMCAT-FQDN", ["ROOT"]).result == PASS


def test_at07_discovery_passes_real_traffic_fails(fx):
    node = MraNode("cucm", (FQDN, IP), (Presented(fx["TOMCAT-FQDN"].cert),), ip=IP)
    old = mra.assess([node], [fx["ROOT"].cert],
                     MraSettings("X14.0.7", publisher_address=FQDN, tls_verify_mode=True))
    assert all(not r.enforced for r in old.rows)
    found = {f.id: f for f in old.findings}
    assert "CFG-UPGRADE-READY" in found and IP in found["CFG-UPGRADE-READY"].message
    assert "CFG-TVM-INSUFFICIENT" in found
    assert all(f.severity != "error" for f in old.findings)
    new = mra.assess([node], [fx["ROOT"].cert], MraSettings("X14.2"))
    results = {r.address: (r.result, r.rule) for r in new.rows}
    assert results == {FQDN: (PASS, ""), IP: (FAIL, "SNI-ADDR-NOT-IN-CERT")}
    row = v(fx, "TOMCAT-FQDN", ["ROOT"], addr="cucm")
    assert row.result == FAIL and "SNI-HOSTNAME" in {f.id for f in row.findings}


def test_at08_subscriber_never_checked_at_discovery(fx):
    sub = issue("cucm-sub.steven.lab", sans=["cucm-sub.steven.lab"])
    nodes = [MraNode("cucm", (FQDN,), (Presented(fx["TOMCAT-FQDN"].cert),)),
             MraNode("cucm-sub", ("cucm-sub.steven.lab",), (Presented(sub.cert),))]
    old = mra.assess(nodes, [fx["ROOT"].cert], MraSettings("X14.0.7"))
    assert any(f.id == "CFG-UPGRADE-READY" and "cucm-sub" in f.message for f in old.findings)
    new = mra.assess(nodes, [fx["ROOT"].cert], MraSettings("X14.2"))
    fails = [(r.node, r.rule) for r in new.rows if r.result == FAIL]
    assert fails == [("cucm-sub", "TS-SELF-UNTRUSTED")]
    agg = [f for f in new.findings if f.id == "SNI-ALL-ADDR"]
    # the summary is evidence; the row's TS-SELF-UNTRUSTED is the one error (issue 13 item 4)
    assert len(agg) == 1 and agg[0].where == "cucm-sub" and agg[0].severity == "info"


def test_at09_intermediates(fx):
    assert v(fx, "TOMCAT-RSA-INT", ["ROOT", "INT"], sent=["INT"]).result == PASS
    row = v(fx, "TOMCAT-RSA-INT", ["ROOT"], sent=["INT"])
    assert row.result == PASS
    warn = [f for f in row.findings if f.id == "TS-INT-MISSING"]
    assert warn and warn[0].severity == "warning"
    row = v(fx, "TOMCAT-RSA-INT", ["ROOT"], known=[fx["INT"].cert])
    assert (row.result, row.rule) == (FAIL, "TS-INT-MISSING")
    assert "unable to get local issuer certificate" in row.log_line and "depth=0" in row.log_line


def test_at10_intermediate_trusted_root_missing(fx):
    row = v(fx, "TOMCAT-RSA-INT", ["INT"])
    assert (row.result, row.rule) == (FAIL, "TS-ROOT-MISSING")
    assert "Error=unable to get issuer certificate" in row.log_line and "depth=1" in row.log_line
    assert "needs the root CA and all intermediates" in row.message


def test_at11_ip_only_as_ip_san_is_uncertain(fx):
    row = v(fx, "TOMCAT-IPSAN", ["ROOT"], addr=IP)
    assert (row.result, row.rule) == (UNCERTAIN, "SNI-IP-SAN-TYPE")
    assert "DNS:10.48.36.215" in row.message
    assert v(fx, "TOMCAT-IPDNS", ["ROOT"], addr=IP).result == PASS
    assert v(fx, "TOMCAT-IPSAN", ["ROOT"]).result == PASS


def test_at12_matched_only_by_cn(fx):
    row = v(fx, "TOMCAT-IPCN", ["ROOT"], addr=IP)
    assert row.result == PASS and "SNI-CN-ONLY" in {f.id for f in row.findings}
    row = v(fx, "TOMCAT-NOSAN", ["ROOT"])
    assert row.result == PASS and "SNI-CN-ONLY" in {f.id for f in row.findings}


def test_at13_duplicate_cn_in_trust_bundle(fx):
    found = mra.trust_dup_cn([fx["ROOT"].cert, fx["TOMCAT-EC-SS"].cert, fx["CM-EC-SS"].cert], "t")
    assert [f.id for f in found] == ["TRUST-DUP-CN"] and "cucm-ec.steven.lab" in found[0].message
    assert "different CNs" in found[0].fix
    same = mra.trust_dup_cn([fx["TOMCAT-EC-SS"].cert, fx["TOMCAT-EC-SS"].cert], "t")
    assert same == []


@pytest.mark.parametrize("ciphers, says", [
    ("EECDH:EDH:HIGH", "ECDSA is currently preferred"),
    ("ECDHE-RSA-AES256-GCM-SHA384:EECDH:EDH:HIGH", "RSA is preferred"),
])
def test_at14_tomcat_passes_tomcat_ecdsa_fails(fx, ciphers, says):
    node = MraNode(FQDN, (FQDN,), (Presented(fx["TOMCAT-RSA"].cert),
                                   Presented(fx["TOMCAT-EC-SS"].cert)))
    report = mra.assess([node], [fx["ROOT"].cert], MraSettings("X14.2", ciphers=ciphers))
    variant = [f for f in report.findings if f.id == "ECDSA-VARIANT"]
    # RSA preferred by the cipher lists: a warning (issue 13 item 7, 002 L244, L257)
    severity = "warning" if says == "RSA is preferred" else "error"
    assert variant and variant[0].severity == severity and says in variant[0].message
    pref = [f for f in report.findings if f.id == "CFG-CIPHER-PREF"]
    assert pref and ("ECDSA preferred" in pref[0].message) == ("ECDSA" in says)
    good = MraNode(FQDN, (FQDN,), (Presented(fx["TOMCAT-RSA"].cert),))
    assert "ECDSA-VARIANT" not in {f.id for f in mra.assess([good], [fx["ROOT"].cert]).findings}


def test_at15_verify_origin_server_off(fx):
    node = MraNode("cucm", (IP,), (Presented(fx["TOMCAT-FQDN"].cert),))
    report = mra.assess([node], [fx["ROOT"].cert], MraSettings(verify_origin_server=False))
    assert report.rows[0].result == FAIL and not report.rows[0].enforced
    found = {f.id: f for f in report.findings}
    assert "CFG-VOS-OFF" in found and "man-in-the-middle" in found["CFG-VOS-OFF"].message
    sni = found["SNI-ADDR-NOT-IN-CERT"]
    assert sni.severity == "warning" and "will fail when" in sni.message


def test_at18_traversal_names_and_trust(fx):
    root = fx["ROOT"]
    expe = issue("expe1.example.com", issuer=root, sans=["expe1.example.com"])
    report = lint(("e.pem", expe.pem, "expressway-e"), role="expressway-c",
                  fields={"traversal-peer-address": "expe.example.com"})
    found = of(report, "TRAV-PEER-ADDR")
    assert found and "TLS Negotiation Error" in found[0].message
    assert "TRAV-PEER-ADDR" not in ids(lint(("e.pem", expe.pem, "expressway-e"),
                                            role="expressway-c",
                                            fields={"traversal-peer-address":
                                                    "expe1.example.com"}))
    n1 = issue("expc.example.com", issuer=root, sans=["expc.example.com", "expc1.example.com"])
    n2 = issue("expc2.example.com", issuer=root, sans=["expc2.example.com"])
    report = lint(("n1.pem", n1.pem), ("n2.pem", n2.pem), role="expressway-c",
                  fields={"tls-verify-name": "expc.example.com"})
    assert [f.where for f in of(report, "TRAV-VERIFY-NAME")] == ["n2.pem"]
    int2 = issue(DC("steven-intermediate-CA-2"), issuer=root, ca=True)
    renewed = issue("expe.example.com", issuer=int2, sans=["expe.example.com"])
    report = lint(("e.pem", pem_of(renewed.cert, int2.cert), "expressway-e"),
                  ("c-trust.pem", pem_of(root.cert, fx["INT"].cert), "trust-c"),
                  ("e-trust.pem", pem_of(root.cert, int2.cert), "trust-e"))
    assert "TRAV-SSH-INT" in ids(report, "error")
    report = lint(("e.pem", pem_of(renewed.cert, int2.cert), "expressway-e"),
                  ("c-trust.pem", fx["OTHER"].pem, "trust-c"),
                  ("e-trust.pem", pem_of(root.cert, int2.cert), "trust-e"))
    assert "TRAV-CA-CROSS" in ids(report, "error")
    report = lint(("e.pem", pem_of(renewed.cert, int2.cert), "expressway-e"),
                  ("c-trust.pem", pem_of(root.cert, int2.cert), "trust-c"),
                  ("e-trust.pem", pem_of(root.cert, int2.cert), "trust-e"))
    assert not {"TRAV-SSH-INT", "TRAV-CA-CROSS"} & ids(report)


@pytest.mark.parametrize("sans, fails", [
    (["expe.example.com"], True),
    (["expe.example.com", "collab-edge.example.com"], False),
    (["expe.example.com", "example.com"], False),
])
def test_at19_expressway_e_jabber_domain(fx, sans, fails):
    expe = issue("expe.example.com", issuer=fx["ROOT"], sans=sans)
    report = lint(("e.pem", expe.pem), role="expressway-e", fields={"mra-domains": "example.com"})
    assert ("MRA-E-DOMAIN" in ids(report, "error")) == fails


def test_at19d_cucm_lacks_the_expressway_c_ca(fx):
    expc = issue("expc.example.com", issuer=fx["OTHER"], sans=["expc.example.com"])
    report = lint(("expc.pem", expc.pem, "expressway-c"), ("tomcat-trust.pem", fx["ROOT"].pem,
                                                           "trust"), role="cucm-tomcat")
    found = of(report, "UCM-TRUST-EXPC")
    assert found and "tomcat-trust and callmanager-trust" in found[0].message
    assert "restart" in found[0].message
    report = lint(("expc.pem", expc.pem, "expressway-c"),
                  ("tomcat-trust.pem", fx["OTHER"].pem, "trust"), role="cucm-tomcat")
    assert "UCM-TRUST-EXPC" not in ids(report)


def test_at20_validity_format_upload_order(fx):
    expired = issue(FQDN, issuer=fx["ROOT"], sans=[FQDN], not_before=NOW - 400 * DAY,
                    not_after=NOW - DAY)
    row = mra.verdict(Presented(expired.cert), [fx["ROOT"].cert], FQDN)
    assert (row.result, row.rule) == (FAIL, "TS-VALIDITY")
    assert "Error=certificate has expired" in row.log_line
    # (b) DER named .pem: detected by content; the fingerprint is kept by convert
    report = lint(("tomcat.pem", fx["TOMCAT-RSA"].der), role="expressway-c")
    assert "CRT-FMT" in ids(report)
    expc = issue("expc.example.com", issuer=fx["INT"], sans=["expc.example.com"])
    report = lint(("expc.pem", pem_of(expc.cert, fx["INT"].cert)),
                  ("trust.pem", fx["ROOT"].pem, "trust"), role="expressway-c")
    assert "EXP-UPLOAD-ORDER" in ids(report, "error")
    report = lint(("expc.pem", expc.pem), ("trust.pem", pem_of(fx["INT"].cert, fx["ROOT"].cert),
                                           "trust"), role="expressway-c")
    assert "EXP-UPLOAD-ORDER" not in ids(report)


def test_revocation_info_and_cluster_trust(fx):
    aia = x509.AuthorityInformationAccess([x509.AccessDescription(
        x509.AuthorityInformationAccessOID.OCSP,
        x509.UniformResourceIdentifier("http://ocsp.example.com"))])
    leaf = issue(FQDN, issuer=fx["ROOT"], sans=[FQDN], extra=[aia])
    row = mra.verdict(Presented(leaf.cert), [fx["ROOT"].cert], FQDN)
    assert "TS-REVOCATION-UNKNOWN" in {f.id for f in row.findings}
    assert "TS-REVOCATION-UNKNOWN" not in {f.id for f in v(fx, "TOMCAT-FQDN", ["ROOT"]).findings}
    node = MraNode("cucm", (FQDN,), (Presented(fx["TOMCAT-FQDN"].cert),))
    report = mra.assess([node], [fx["ROOT"].cert], cluster_trust={
        "expc1": [fx["ROOT"].cert, fx["INT"].cert], "expc2": [fx["ROOT"].cert]})
    diff = [f for f in report.findings if f.id == "TRUST-CLUSTER-DIFF"]
    assert [f.where for f in diff] == ["expc2"]


def test_lint_runs_the_verdict_from_files(fx):
    report = lint(("tomcat.pem", fx["TOMCAT-EC-SS"].pem), ("trust.pem", fx["ROOT"].pem, "trust"),
                  role="cucm-tomcat-ecdsa", mra_addresses=(FQDN, IP), mra_ip=IP)
    assert [(r.address, r.result) for r in report.verdicts] == [(FQDN, FAIL), (IP, FAIL)]
    assert report.verdicts[0].log_line.endswith(f"server={FQDN}({IP}) depth=0")
    assert "TS-SELF-UNTRUSTED" in ids(report, "error") and report.failed
    assert new_key() is not None
