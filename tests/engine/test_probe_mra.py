"""`probe --mra` (issue 14 item 3): the MRA verdict from live nodes equals the verdict from the
same certificates as files (collabcert.jobs.mra.assess, the MRA flow's job). The nodes are TLS
servers this module starts on 127.0.0.1, each presenting tomcat (RSA) and, for one of them,
tomcat-ECDSA on the same port as CUCM does (seed 002 L242-244)."""

from __future__ import annotations

import pytest
from pki import pem_of
from probe_support import make_site, tls_server

from collabcert.errors import InputError
from collabcert.jobs.lint import LintFile
from collabcert.jobs.mra import (
    TOMCAT,
    TOMCAT_ECDSA,
    ExpresswaySettings,
    MraNodeInput,
    NodeCertificate,
    assess,
)
from collabcert.jobs.probe import ProbeRequest, run
from collabcert.probe import capture, parse_target


def _row_facts(rows):
    return sorted((r.node, r.variant, r.address, r.result, r.rule, r.certificate) for r in rows)


def test_the_live_mra_verdict_equals_the_verdict_from_the_same_files(tmp_path):
    site = make_site(tmp_path)
    tomcat = site.leaf("cucm.example.com", ["cucm.example.com", "localhost"], key_kind="rsa")
    tomcat_ec = site.leaf("cucm-ec.example.com", ["cucm-ec.example.com"])  # lacks the address
    other = site.leaf("imp.example.com", ["imp.example.com"], key_kind="rsa")
    trust = (LintFile("exp-c-trust.pem", site.root_file),)
    rsa_chain, ec_chain = [tomcat.cert, site.intermediate.cert], [tomcat_ec.cert,
                                                                    site.intermediate.cert]
    with tls_server(rsa_chain, tomcat, also=(ec_chain, tomcat_ec)) as cucm, \
            tls_server([other.cert, site.intermediate.cert], other) as imp:
        seen_rsa = capture(parse_target(f"localhost:{cucm.port}"), sni="localhost",
                           key_type="rsa")
        seen_ec = capture(parse_target(f"localhost:{cucm.port}"), sni="localhost",
                          key_type="ecdsa")
        live = run(ProbeRequest((f"localhost:{cucm.port}", imp.target), mra=True, trust=trust))
    assert seen_rsa.chain[0] == tomcat.cert and seen_ec.chain[0] == tomcat_ec.cert
    files = {name: site.write(name, pem_of(*chain)) for name, chain in (
        ("tomcat.pem", rsa_chain), ("tomcat-ecdsa.pem", ec_chain),
        ("imp.pem", [other.cert, site.intermediate.cert]))}
    nodes = [
        MraNodeInput("localhost", ("localhost",), (
            NodeCertificate(TOMCAT, files["tomcat.pem"], "tomcat.pem"),
            NodeCertificate(TOMCAT_ECDSA, files["tomcat-ecdsa.pem"], "tomcat-ecdsa.pem"))),
        MraNodeInput("127.0.0.1", ("127.0.0.1",), (
            NodeCertificate(TOMCAT, files["imp.pem"], "imp.pem"),)),
    ]
    from_files = assess(nodes, trust, ExpresswaySettings())
    assert live.mra is not None
    assert _row_facts(live.mra.verdicts) == _row_facts(from_files.verdicts)
    results = {(r.node, r.variant): (r.result, r.rule) for r in live.mra.verdicts}
    assert results[("localhost", TOMCAT)] == ("PASS", "")
    assert results[("localhost", TOMCAT_ECDSA)] == ("FAIL", "SNI-ADDR-NOT-IN-CERT")
    assert results[("127.0.0.1", TOMCAT)] == ("FAIL", "SNI-ADDR-NOT-IN-CERT")
    assert {f.id for f in live.mra.findings} >= {"ECDSA-VARIANT", "SNI-ALL-ADDR"}
    assert {f.id for f in live.mra.findings} - {"TS-REVOCATION-UNKNOWN"} == \
        {f.id for f in from_files.findings} - {"TS-REVOCATION-UNKNOWN"}
    assert live.exit_code == 1


def test_mra_needs_the_expressway_c_trust_list():
    with pytest.raises(InputError, match="trusted CA list"):
        run(ProbeRequest(("127.0.0.1:1",), mra=True, timeout=1))


def test_nodes_are_read_with_progress_and_one_that_presents_nothing_says_why(tmp_path):
    # Issue 14 item 7: the MRA flow's live read reports each node as it ends; a node that
    # presents nothing carries the reason (refused here), once when both variants failed alike.
    from pki import NOW
    from probe_support import refused_port

    from collabcert.jobs.probe import CONNECTING, DONE
    from collabcert.jobs.probe_mra import read_nodes
    from collabcert.probe_report import node_status

    site = make_site(tmp_path)
    imp = site.leaf("imp.example.com", ["imp.example.com"], key_kind="rsa", days=100)
    refused = parse_target(f"127.0.0.1:{refused_port()}")
    events = []
    with tls_server([imp.cert, site.intermediate.cert], imp) as node:
        reads = read_nodes([parse_target(node.target), refused], timeout=5, concurrency=4,
                           progress=events.append)
    assert sorted((e.index, e.stage) for e in events) == [
        (0, CONNECTING), (0, DONE), (1, CONNECTING), (1, DONE)]
    assert [e.outcome for e in events if e.stage == DONE and e.index == 0] == [reads[0]]
    assert [variant for variant, _ in reads[0].presented] == [TOMCAT]  # RSA only
    assert reads[0].reason == ""
    assert reads[1].presented == ()
    assert reads[1].reason == f"refused: nothing listens on {refused.label}"
    assert node_status(reads[0], NOW) == (
        f"✓ {node.target}: tomcat 2 certificate(s), leaf until "
        f"{imp.cert.not_valid_after_utc:%Y-%m-%d} (100 days); no tomcat-ECDSA")
    assert node_status(reads[1], NOW) == (
        f"✗ {refused.label}: refused: nothing listens on {refused.label}; not judged")
