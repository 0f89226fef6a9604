"""Pilot tests of MRA readiness with the nodes read live (issue 14 item 7): the addresses are
typed, each node is read as Expressway-C reads it (tomcat over RSA ciphers, tomcat-ECDSA over
ECDSA ciphers, SNI the name and none for an IP), one line per node while it runs, and the verdict
is the one the same certificates give as files (the same job, collabcert.jobs.mra.assess).

The nodes are TLS servers this module starts on 127.0.0.1 (tests/probe_support.py); "localhost"
is the name of one of them, so it gets SNI as a CUCM known by name would."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pki import pem_of
from probe_support import held_server, make_site, refused_port, tls_server
from textual.widgets import Input
from tui_support import (
    SIZE,
    add_node,
    click,
    error_text,
    next_to,
    on_screen,
    pick_files,
    start_task,
    table_rows,
    text_of,
    until_quiet,
    wait_for,
)

from collabcert.screens.home import HomeScreen
from collabcert.screens.mra import (
    MraLiveStep,
    MraNodesStep,
    MraSettingsStep,
    MraTrustStep,
    MraVerdictStep,
)
from collabcert.tui.app import CollabcertApp


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("mra-live"))


@pytest.fixture(scope="module")
def certs(site):
    tomcat = site.leaf("cucm.example.com", ["cucm.example.com", "localhost"], key_kind="rsa")
    tomcat_ec = site.leaf("cucm-ec.example.com", ["cucm-ec.example.com"])  # lacks the address
    imp = site.leaf("imp.example.com", ["imp.example.com"], key_kind="rsa")
    return {"tomcat": (tomcat, [tomcat.cert, site.intermediate.cert]),
            "tomcat-ec": (tomcat_ec, [tomcat_ec.cert, site.intermediate.cert]),
            "imp": (imp, [imp.cert, site.intermediate.cert])}


@pytest.fixture
def folder(tmp_path: Path, site, certs) -> Path:
    (tmp_path / "exp-c-trust.pem").write_bytes(pem_of(site.root.cert))
    for label, (_, chain) in certs.items():
        (tmp_path / f"{label}.pem").write_bytes(pem_of(*chain))
    return tmp_path


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, task_modules=("collabcert.screens.mra",))


async def open_live(pilot) -> None:
    await start_task(pilot, "mra", MraNodesStep)
    await click(pilot, "#read-live")
    await on_screen(pilot, MraLiveStep)


async def type_nodes(pilot, addresses: str, timeout: str = "20") -> None:
    pilot.app.screen.query_one("#live-addresses", Input).value = addresses
    pilot.app.screen.query_one("#live-timeout", Input).value = timeout
    await pilot.pause()


async def trust_to_verdict(pilot) -> None:
    pick_files(pilot, ["exp-c-trust.pem"])
    await next_to(pilot, MraSettingsStep)
    await next_to(pilot, MraVerdictStep)


def progress(app) -> list[str]:
    return text_of(app, "#live-progress").splitlines()


def facts(result) -> list[tuple]:
    return sorted((r.node, r.variant, r.address, r.result, r.rule, r.certificate)
                  for r in result.verdicts)


async def test_the_live_verdict_equals_the_verdict_from_the_same_files(folder, certs):
    (tomcat, rsa_chain), (tomcat_ec, ec_chain) = certs["tomcat"], certs["tomcat-ec"]
    imp, imp_chain = certs["imp"]
    with tls_server(rsa_chain, tomcat, also=(ec_chain, tomcat_ec)) as cucm, \
            tls_server(imp_chain, imp) as imp_node:
        live_app = make_app(folder)
        async with live_app.run_test(size=SIZE) as pilot:
            await open_live(pilot)
            assert text_of(live_app, "#step-indicator") == "Step 1 of 4: Nodes, read live"
            await type_nodes(pilot, f"localhost:{cucm.port}, {imp_node.target}")
            await next_to(pilot, MraTrustStep)  # every node presented: on to the trust list
            await trust_to_verdict(pilot)
            live_rows = table_rows(live_app, "#verdicts")
            live = live_app.screen.state.result
            assert not live_app.screen.query("#mra-unseen")

    files_app = make_app(folder)
    async with files_app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "mra", MraNodesStep)
        await add_node(pilot, name="localhost", addresses="localhost", tomcat="tomcat.pem",
                       ecdsa="tomcat-ec.pem")
        await add_node(pilot, name="127.0.0.1", addresses="127.0.0.1", tomcat="imp.pem")
        await next_to(pilot, MraTrustStep)
        await trust_to_verdict(pilot)
        file_rows = table_rows(files_app, "#verdicts")
        from_files = files_app.screen.state.result

    assert live_rows == file_rows
    assert facts(live) == facts(from_files)
    assert ("PASS", "localhost", "tomcat", "localhost", "-") in live_rows
    assert ("FAIL", "localhost", "tomcat-ECDSA", "localhost", "SNI-ADDR-NOT-IN-CERT") \
        in live_rows
    assert ("FAIL", "127.0.0.1", "tomcat", "127.0.0.1", "SNI-ADDR-NOT-IN-CERT") in live_rows
    ids = {f.id for f in live.findings} - {"TS-REVOCATION-UNKNOWN"}
    assert ids == {f.id for f in from_files.findings} - {"TS-REVOCATION-UNKNOWN"}


async def test_a_node_that_presents_nothing_is_named_with_its_reason_not_judged(folder,
                                                                                 certs):
    imp, imp_chain = certs["imp"]
    refused = f"127.0.0.1:{refused_port()}"
    app = make_app(folder)
    with tls_server(imp_chain, imp) as imp_node, held_server() as held:
        async with app.run_test(size=SIZE) as pilot:
            await open_live(pilot)
            await type_nodes(pilot, f"{imp_node.target}, {held.target}, {refused}")
            await pilot.press("ctrl+n")
            await wait_for(pilot, lambda: progress(app)[0] == "Reading: 2 of 3 done")
            lines = progress(app)
            assert lines[1].startswith(f"✓ {imp_node.target}: tomcat 2 certificate(s), "
                                       "leaf until ")
            assert lines[1].endswith("; no tomcat-ECDSA")  # an RSA-only node
            assert lines[2] == f"… {held.target}: connecting"
            assert lines[3] == (f"✗ {refused}: refused: nothing listens on {refused}; "
                                "not judged")
            held.release.set()
            await wait_for(pilot, lambda: progress(app)[0] == "Read: 3 of 3 done"
                           and not app.screen.busy)
            assert isinstance(app.screen, MraLiveStep)  # stays: two presented nothing
            assert error_text(app).startswith("1 of 3 nodes presented certificates")
            await next_to(pilot, MraTrustStep)  # Next again goes on with the one, unread
            await trust_to_verdict(pilot)
            assert {row[1] for row in table_rows(app, "#verdicts")} == {"127.0.0.1"}
            unseen = text_of(app, "#mra-unseen").splitlines()
            assert unseen[0] == "Not judged, presented no certificate:"
            assert unseen[1].startswith(f"{held.target}: ")
            assert unseen[2] == f"{refused}: refused: nothing listens on {refused}"

            for step in (MraSettingsStep, MraTrustStep, MraLiveStep):  # back, as it ended
                await pilot.press("escape")
                await on_screen(pilot, step)
            assert progress(app)[0] == "Read: 3 of 3 done"


async def test_bad_addresses_stay_on_the_step_and_the_file_path_is_kept(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await open_live(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert error_text(app).startswith("Type each node's address")
        await type_nodes(pilot, "cucm.example.com:99999")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "port" in error_text(app)
        await type_nodes(pilot, "cucm.example.com, cucm.example.com:8443")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert error_text(app) == "cucm.example.com:8443 is typed twice; give each node once."
        await pilot.press("escape")
        await on_screen(pilot, MraNodesStep)  # back to the files, as they were
        await add_node(pilot, addresses="localhost", tomcat="tomcat.pem")
        await next_to(pilot, MraTrustStep)
        await trust_to_verdict(pilot)
        assert [r[1] for r in table_rows(app, "#verdicts")] == ["localhost"]  # the file's


def reading_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("mra_")]


async def test_leaving_while_the_nodes_are_read_does_not_crash(folder):
    app = make_app(folder)
    with held_server() as held:
        async with app.run_test(size=SIZE) as pilot:
            await open_live(pilot)
            await type_nodes(pilot, held.target)
            await pilot.press("ctrl+n")
            await wait_for(pilot, lambda: progress(app)[1:] == [f"… {held.target}: connecting"])
            await pilot.press("escape")  # stops the read
            await wait_for(pilot, lambda: error_text(app) == "Stopped.")
            assert not app.screen.query_one("#live-progress").display  # no stale lines
            await pilot.press("escape", "escape")  # to the files step, then home
            await on_screen(pilot, HomeScreen)
            held.release.set()  # what the stopped read reports now is dropped
            await wait_for(pilot, lambda: not reading_threads())
            await until_quiet(pilot)
            assert isinstance(app.screen, HomeScreen)
