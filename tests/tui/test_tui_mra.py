"""Pilot tests of "MRA readiness" (issue 7, item 6) on the seed-000-002 §5 fixture shapes.

Each test walks the real app: add the nodes with their addresses and certificate files, choose
the Expressway-C trust list, set the version (and paste a log), then read the verdict table, the
row's Expressway log line and fix, and the findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from pki import DAY, NOW, issue
from textual.widgets import Checkbox, DataTable, Input, TextArea
from tui_support import (
    SIZE,
    add_node,
    click,
    fill_node,
    next_to,
    on_screen,
    pick_files,
    start_task,
    table_rows,
    text_of,
    wait_for,
)

from collabcert.screens.mra import MraNodesStep, MraSettingsStep, MraTrustStep, MraVerdictStep
from collabcert.tui.app import CollabcertApp
from collabcert.tui.findings import FindingItem

FQDN, IP = "cucm.steven.lab", "10.48.36.215"


def dc(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(x509.NameOID.DOMAIN_COMPONENT, "lab"),
                      x509.NameAttribute(x509.NameOID.DOMAIN_COMPONENT, "steven"),
                      x509.NameAttribute(x509.NameOID.COMMON_NAME, cn)])


@pytest.fixture(scope="module")
def fx():
    root = issue(dc("steven-DC-CA"), ca=True, not_after=NOW + 3000 * DAY)
    return {
        "ROOT": root,
        # AT-01: the CN differs, the SAN has the address.
        "TOMCAT-RSA": issue("cucm-ms.steven.lab", issuer=root, key_kind="rsa",
                            sans=["cups.steven.lab", "steven.lab", FQDN]),
        # AT-06 / AT-07: FQDN only; Expressway-C reaching the node by IP fails.
        "TOMCAT-FQDN": issue(FQDN, issuer=root, sans=[FQDN], key_kind="rsa"),
        # AT-02: self-signed tomcat-ECDSA.
        "TOMCAT-EC-SS": issue("cucm-ec.steven.lab", sans=[FQDN], key_kind="ec384"),
    }


@pytest.fixture
def folder(tmp_path: Path, fx) -> Path:
    for key, issued in fx.items():
        (tmp_path / f"{key.lower()}.pem").write_bytes(issued.pem)
    return tmp_path


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, task_modules=("collabcert.screens.mra",))


async def start(pilot) -> None:
    await start_task(pilot, "mra", MraNodesStep)


async def to_verdict(pilot, trust=("root.pem",), version="X14.2", log="") -> None:
    app = pilot.app
    await next_to(pilot, MraTrustStep)
    pick_files(pilot, trust)
    await next_to(pilot, MraSettingsStep)
    app.screen.query_one("#mra-version", Input).value = version
    if log:
        app.screen.query_one("#mra-log", TextArea).text = log
    await next_to(pilot, MraVerdictStep)


def verdicts(app) -> list[tuple[str, ...]]:
    return table_rows(app, "#verdicts")


def finding_ids(app) -> set[str]:
    return {i.finding.id for i in app.screen.query(FindingItem)}


async def test_at01_pass_when_the_san_has_the_address(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, name="cucm", addresses=FQDN, ip=IP, tomcat="tomcat-rsa.pem")
        await to_verdict(pilot)
        assert verdicts(app) == [("PASS", "cucm", "tomcat", FQDN, "-")]
        assert text_of(app, "#mra-headline").startswith("Ready: 1 node(s), 1 certificate x "
                                                        "address check(s): 1 PASS")
        detail = text_of(app, "#verdict-detail")
        assert "accepted: matched DNS:cucm.steven.lab" in detail
        assert "Expressway log:" not in detail and "Fix:" not in detail
        assert not [i for i in app.screen.query(FindingItem)
                    if str(i.finding.severity) == "error"]


async def test_at06_fail_address_not_in_san_with_log_line_and_fix(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, name="cucm", addresses=f"{FQDN}, {IP}", ip=IP,
                       tomcat="tomcat-fqdn.pem")
        await to_verdict(pilot)
        assert verdicts(app) == [("PASS", "cucm", "tomcat", FQDN, "-"),
                                   ("FAIL", "cucm", "tomcat", IP, "SNI-ADDR-NOT-IN-CERT")]
        assert text_of(app, "#mra-headline").startswith("NOT ready")
        table = app.screen.query_one("#verdicts", DataTable)
        table.focus()
        await pilot.press("down")
        detail = text_of(app, "#verdict-detail")
        assert "FAIL cucm: tomcat cucm.steven.lab @ 10.48.36.215 (SNI-ADDR-NOT-IN-CERT)" in detail
        assert ("Expressway log: WARNING: SNI (10.48.36.215) not in certificate. "
                "Action=Terminate server=10.48.36.215(10.48.36.215)") in detail
        assert "Fix: Add '10.48.36.215' to the certificate" in detail
        assert {"SNI-ADDR-NOT-IN-CERT", "SNI-ALL-ADDR"} <= finding_ids(app)

        await click(pilot, "#copy-report")
        await wait_for(pilot, lambda: app.clipboard)
        assert "MRA cucm tomcat cucm.steven.lab @ cucm.steven.lab: PASS" in app.clipboard
        assert "MRA cucm tomcat cucm.steven.lab @ 10.48.36.215: FAIL SNI-ADDR-NOT-IN-CERT" \
            in app.clipboard
        assert "    log: WARNING: SNI (10.48.36.215) not in certificate." in app.clipboard
        assert "cite: seed-000-002 SNI-ADDR-NOT-IN-CERT" in app.clipboard


async def test_at02_self_signed_ecdsa_fails_while_tomcat_passes(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, name="cucm", addresses=FQDN, ip=IP, tomcat="tomcat-fqdn.pem",
                       ecdsa="tomcat-ec-ss.pem")
        await to_verdict(pilot)
        assert verdicts(app) == [("PASS", "cucm", "tomcat", FQDN, "-"),
                                   ("FAIL", "cucm", "tomcat-ECDSA", FQDN, "TS-SELF-UNTRUSTED")]
        app.screen.show_row(1)
        detail = text_of(app, "#verdict-detail")
        assert "(TS-SELF-UNTRUSTED)" in detail
        assert ("Error=self signed certificate server=cucm.steven.lab(10.48.36.215) depth=0"
                in detail)
        assert {"TS-SELF-UNTRUSTED", "ECDSA-VARIANT"} <= finding_ids(app)


async def test_at03_after_the_fix_the_self_signed_certificate_is_trusted(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, addresses=FQDN, ecdsa="tomcat-ec-ss.pem")
        await to_verdict(pilot, trust=("root.pem", "tomcat-ec-ss.pem"))
        assert verdicts(app) == [("PASS", FQDN, "tomcat-ECDSA", FQDN, "-")]  # name from address


async def test_at07_before_x14_2_failures_are_marked_not_enforced(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, name="cucm", addresses=f"{FQDN}, {IP}", tomcat="tomcat-fqdn.pem")
        await to_verdict(pilot, version="X14.0.7")
        assert verdicts(app)[1] == ("FAIL*", "cucm", "tomcat", IP, "SNI-ADDR-NOT-IN-CERT")
        assert "* not enforced now" in text_of(app, "#mra-headline")
        assert "CFG-UPGRADE-READY" in finding_ids(app)
        assert not [i for i in app.screen.query(FindingItem)
                    if str(i.finding.severity) == "error"]


async def test_a_pasted_log_adds_the_logged_address_and_its_finding(folder):
    log = ("2024-05-02T10:11:12 traffic_server: WARNING: SNI (10.48.36.215) not in "
           "certificate.\n Action=Terminate server=10.48.36.215(10.48.36.215)")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, name="cucm", addresses=FQDN, ip=IP, tomcat="tomcat-fqdn.pem")
        await to_verdict(pilot, log=log)
        assert ("FAIL", "cucm", "tomcat", IP, "SNI-ADDR-NOT-IN-CERT") in verdicts(app)
        assert "LOG-SNI" in finding_ids(app)


async def test_node_form_checks_and_next_adds_a_typed_node(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Add at least one node" in text_of(app, "#step-error")
        await add_node(pilot, name="cucm", tomcat="tomcat-fqdn.pem")
        assert "Type the address(es)" in text_of(app, "#node-error")
        await add_node(pilot, name="cucm", addresses=FQDN, tomcat="missing.pem")
        assert "missing.pem: no such file" in text_of(app, "#node-error")
        await add_node(pilot, name="cucm", addresses=FQDN, tomcat="tomcat-fqdn.pem")
        fill_node(app, name="sub", addresses="sub.steven.lab", tomcat="tomcat-rsa.pem")
        await pilot.pause()
        app.screen.query_one("#add-node").scroll_visible(animate=False)
        await pilot.pause()
        await click(pilot, "#add-node")
        await wait_for(pilot, lambda: app.screen.query_one("#nodes", DataTable).row_count == 2)
        assert app.screen.query_one("#nodes", DataTable).row_count == 2
        await click(pilot, "#remove-node")  # the cursor is on the first row
        await wait_for(pilot, lambda: len(app.screen.state.nodes) == 1)
        assert [n.name for n in app.screen.state.nodes] == ["sub"]
        fill_node(app, name="cucm2", addresses=FQDN, tomcat="tomcat-fqdn.pem")
        await next_to(pilot, MraTrustStep)
        assert [n.name for n in app.screen.state.nodes] == ["sub", "cucm2"]
        await pilot.press("escape")
        await on_screen(pilot, MraNodesStep)
        assert app.screen.query_one("#nodes", DataTable).row_count == 2


async def test_swapped_or_identical_certificate_files_are_refused(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, addresses=FQDN, tomcat="tomcat-ec-ss.pem")
        problem = text_of(app, "#node-error")
        assert problem.startswith("tomcat-ec-ss.pem holds an EC (ECDSA) certificate, but "
                                  "tomcat is RSA")  # seed-004 CU-P04
        await add_node(pilot, addresses=FQDN, ecdsa="tomcat-fqdn.pem")
        assert "holds an RSA certificate, but tomcat-ECDSA is EC" in text_of(app, "#node-error")
        await add_node(pilot, addresses=FQDN, tomcat="tomcat-fqdn.pem", ecdsa="tomcat-fqdn.pem")
        assert "are the same file" in text_of(app, "#node-error")
        assert not app.screen.state.nodes


async def test_settings_are_kept_and_checkboxes_say_yes_or_no(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, addresses=FQDN, tomcat="tomcat-fqdn.pem")
        await next_to(pilot, MraTrustStep)
        pick_files(pilot, ["root.pem"])
        await next_to(pilot, MraSettingsStep)
        box = app.screen.query_one("#mra-vos", Checkbox)
        assert str(box.label).endswith("On: yes")
        box.value = False
        await pilot.pause()
        assert str(box.label).endswith("On: no")
        await next_to(pilot, MraVerdictStep)
        assert "CFG-VOS-OFF" in finding_ids(app)
        assert verdicts(app) == [("PASS", FQDN, "tomcat", FQDN, "-")]


async def test_an_empty_trust_list_is_refused(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, addresses=FQDN, tomcat="tomcat-fqdn.pem")
        await next_to(pilot, MraTrustStep)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, MraTrustStep)
        assert "trusted CA list" in text_of(app, "#step-error")


# --- the flow runs the lint job (collabcert.jobs.mra): what changed to agree with the CLI ------


async def test_a_logged_failure_says_what_the_node_files_show(folder):
    # As `collabcert lint FILE --log LOG` does: the log finding names the file it concerns.
    log = ("WARNING: SNI (10.48.36.215) not in certificate. Action=Terminate "
           "server=10.48.36.215(10.48.36.215)")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, name="cucm", addresses=FQDN, ip=IP, tomcat="tomcat-fqdn.pem")
        await to_verdict(pilot, log=log)
        logged = [i.finding for i in app.screen.query(FindingItem) if i.finding.id == "LOG-SNI"]
        assert logged and "Files: tomcat-fqdn.pem" in logged[0].message
        assert app.screen.state.result.verdicts == tuple(app.screen.state.result.report.verdicts)


async def test_a_trust_list_without_certificates_keeps_the_settings_step(folder):
    (folder / "no-certs.pem").write_text("-----BEGIN X509 CRL-----\n-----END X509 CRL-----\n")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await add_node(pilot, name="cucm", addresses=FQDN, tomcat="tomcat-fqdn.pem")
        await next_to(pilot, MraTrustStep)
        pick_files(pilot, ["no-certs.pem"])
        await next_to(pilot, MraSettingsStep)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: text_of(app, "#step-error"))
        assert isinstance(app.screen, MraSettingsStep)
        assert "no-certs.pem" in text_of(app, "#step-error")
        assert "holds no certificates" in text_of(app, "#step-error")
