# ruff: noqa: E501 - the log lines are quoted verbatim from seed 002
"""Expressway log signatures (seed-000-002 §2.4) and scenarios AT-16, AT-17."""

from __future__ import annotations

from lint_support import ids, lint, of
from pki import issue, pem_of

from collabcert.lint.logs import decode_mra_path, read_log

SCENARIO_1 = r"""===Success connection on 8443===
2022-07-11T18:55:25.910+02:00 vcsc traffic_server[18242]: UTCTime="2022-07-11 16:55:25,910" Module="net
2022-07-11T18:55:25.917+02:00 vcsc traffic_server[18242]: Event="Request Allowed" Detail="Access allow
200
===Failed connection on 6972===
2022-07-11T18:55:26.016+02:00 vcsc traffic_server[18242]: [ET_NET 0]
WARNING: Core server certificate verification failed for
(cucm.steven.lab).
Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215)
depth=0
2022-07-11T18:55:26.016+02:00 vcsc traffic_server[18242]: [ET_NET 0]
ERROR: SSL connection failed for
'cucm.steven.lab': error:1416F086:
SSL routines:tls\_process\_server\_certificate:certificate verify failed
2022-07-11T18:55:26.024+02:00 vcsd traffic\_server[18242]: UTCTime="2022-07-11 16:55:26,024" Module="net
502 connect failed
"""

SCENARIO_2 = """2022-07-11T19:49:01.472+02:00 vcsc traffic_server[3916]: UTCTime="2022-07-11 17:49:01,472" Module="network" HTTPMSG:
|GET http://vcs_control.steven.lab:8443/c3RldmVuLmxhYi9odHRwcy8xMC40OC4zNi4yMTUvODQ0Mw/cucm-uds/user/emusk/devices
2022-07-11T19:49:01.491+02:00 vcsc traffic_server[3916]: [ET_NET 2]
WARNING: SNI (
10.48.36.215
) not in certificate
. Action=Terminate server=10.48.36.215(10.48.36.215)
2022-07-11T19:49:01.491+02:00 vcsc traffic_server[3916]: [ET_NET 2]
ERROR: SSL connection failed for
'10.48.36.215': error:1416F086:
SSL routines:tls_process_server_certificate:certificate verify failed
"""

CSA = ("[ET_MET #] WARNING: Core server certificate verification failed for (10.48.36.215). "
       "Action=terminate Error=self signed certificate in certificate chain "
       "server=10.48.36.215(10.48.36.215) depth=1")


def test_at16a_scenario_1_block():
    events = read_log(SCENARIO_1)
    core = [e for e in events if e.id == "LOG-CORE-SELF"]
    assert len(core) == 1
    e = core[0]
    assert (e.sni, e.server, e.ip, e.depth, e.action) == (
        "cucm.steven.lab", "cucm.steven.lab", "10.48.36.215", 0, "Terminate")
    ssl = [e for e in events if e.id == "LOG-SSL-FAIL"]
    assert [(s.host, s.code) for s in ssl] == [("cucm.steven.lab", "1416F086")]
    assert "LOG-502" in {e.id for e in events}


def test_at16b_scenario_2_block():
    sni = [e for e in read_log(SCENARIO_2) if e.id == "LOG-SNI"]
    assert [e.sni for e in sni] == ["10.48.36.215"]


def test_at16c_csa_chain_line():
    assert [e.id for e in read_log(CSA)] == ["LOG-CORE-CHAIN"]
    assert read_log(CSA)[0].depth == 1


def test_at16d_openssl3_and_ocr_variants():
    v3 = ("WARNING: Core server certificate verification failed for (cucm.steven.lab). "
          "Action=Terminate Error=self-signed certificate server=cucm.steven.lab(10.48.36.215) "
          "depth=0\nERROR: SSL connection failed for 'cucm.steven.lab': "
          "error:0A000086:SSL routines::certificate verify failed")
    assert [e.id for e in read_log(v3)] == ["LOG-CORE-SELF", "LOG-SSL-FAIL"]
    ocr = ("[ET_MET 2] WARNING: SKI (10.48.36.215) not in certificate. Action=terminate "
           "server=10.48.36.215(10.48.36.215)")
    assert [(e.id, e.sni) for e in read_log(ocr)] == [("LOG-SNI", "10.48.36.215")]
    other = ("Core server certificate verification failed for (x.lab). Action=Terminate "
             "Error=unable to get local issuer certificate server=x.lab(10.0.0.1) depth=0")
    assert [e.id for e in read_log(other)] == ["LOG-CORE-OTHER"]


def test_at16e_success_block_gives_nothing():
    success = SCENARIO_1.split("===Failed")[0]
    assert read_log(success) == []


def test_at17_mra_path_decoding():
    assert decode_mra_path("c3RldmVuLmxhYi9odHRwcy8xMC40OC4zNi4yMTUvODQ0Mw") == (
        "steven.lab", "https", "10.48.36.215", "8443")
    path = [e for e in read_log(SCENARIO_2) if e.id == "LOG-MRA-PATH"]
    assert [(e.host, e.port) for e in path] == [("10.48.36.215", "8443")]


def test_vos_and_traversal_lines():
    text = "xConfiguration EdgeConfigServer VerifyOriginServer: Off\nZone: TLS Negotiation Error"
    assert [e.id for e in read_log(text)] == ["LOG-VOS", "LOG-TRAV"]
    assert read_log("xConfiguration EdgeConfigServer VerifyOriginServer: On") == []


def test_log_findings_are_linked_to_the_files():
    root = issue("steven-DC-CA", ca=True)
    tomcat = issue("cucm.steven.lab", issuer=root, sans=["cucm.steven.lab"])
    report = lint(("tomcat.pem", tomcat.pem), ("trust.pem", root.pem, "trust"),
                  role="cucm-tomcat", logs=(("diag.log", SCENARIO_2),))
    sni = of(report, "LOG-SNI")
    assert sni and "tomcat.pem" in sni[0].message and "lacks it too" in sni[0].message
    # the logged address is checked against the certificate (AT-17 -> AT-06)
    assert [(r.address, r.rule) for r in report.verdicts] == [
        ("10.48.36.215", "SNI-ADDR-NOT-IN-CERT")]
    ss = issue("cucm-ec.steven.lab", sans=["cucm.steven.lab"])
    report = lint(("ec.pem", ss.pem), ("trust.pem", root.pem, "trust"),
                  role="cucm-tomcat-ecdsa", logs=(("diag.log", SCENARIO_1),))
    core = of(report, "LOG-CORE-SELF")
    assert core and "is not in the trust list" in core[0].message
    assert {"LOG-SSL-FAIL", "LOG-502"} <= ids(report)
    assert pem_of(root.cert)
