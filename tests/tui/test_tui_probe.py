"""Pilot tests of "Check a live server" (issue 14 item 7) against TLS servers this module starts
on 127.0.0.1 (tests/probe_support.py): type the server, probe, read one line per target, the
chain and the findings; save the chains; copy the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from pki import pem_of
from probe_support import make_site, refused_port, tls_server
from textual.widgets import Input, Select
from tui_support import SIZE, error_text, next_to, on_screen, start_task, text_of

from collabcert.screens.probe import ProbeResultStep, ProbeTargetStep
from collabcert.tui.app import CollabcertApp
from collabcert.tui.chainview import CertPathTree
from collabcert.tui.findings import FindingItem


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("probe-tui"))


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, task_modules=("collabcert.screens.probe",))


async def fill(pilot, targets: str, sni: str = "", trust: str = "", role: str = "none"):
    screen = pilot.app.screen
    screen.query_one("#targets", Input).value = targets
    screen.query_one("#sni", Input).value = sni
    screen.query_one("#trust", Input).value = trust
    screen.query_one("#role", Select).value = role
    await pilot.pause()


def tree_labels(node) -> list[str]:
    out = []
    for child in node.children:
        out.append(str(child.label))
        out += tree_labels(child)
    return out


async def test_a_live_server_is_probed_judged_saved_and_copied(site, tmp_path):
    leaf = site.leaf("expe.example.com", ["expe.example.com"])
    (tmp_path / "root.pem").write_bytes(site.root.pem)
    app = make_app(tmp_path)
    with tls_server([leaf.cert, site.intermediate.cert], leaf) as server:
        refused = f"127.0.0.1:{refused_port()}"
        async with app.run_test(size=SIZE) as pilot:
            await start_task(pilot, "probe", ProbeTargetStep)
            await fill(pilot, f"{server.target}, {refused}", sni="expe.example.com",
                       trust="root.pem", role="expressway-e")
            await next_to(pilot, ProbeResultStep)
            status = text_of(app, "#probe-status").splitlines()
            assert status[0].startswith(f"✓ {server.target} (SNI expe.example.com): TLSv1.")
            assert "2 certificate(s) presented" in status[0]
            assert status[1] == f"✗ {refused}: refused: nothing listens on {refused}"
            assert text_of(app, "#probe-headline").startswith("FAILED: 2 server(s)")
            tree = app.screen.query_one(CertPathTree)
            labels = tree_labels(tree.root)
            # the server rightly leaves its root out; the trust file has it, so the chain
            # view shows it from there instead of calling the root missing
            assert not [label for label in labels if "missing" in label], labels
            root_cn = site.root.cert.subject.rfc4514_string().split(",")[0].removeprefix("CN=")
            assert any(label.startswith(root_cn) for label in labels), labels
            ids = {item.finding.id for item in app.screen.query(FindingItem)}
            assert "CHN-NOT-CHECKED" not in ids  # the trust file was given and read

            await pilot.click("#save")
            await pilot.pause()
            saved = tmp_path / f"127.0.0.1_{server.port}.pem"
            assert saved.read_bytes() == pem_of(leaf.cert, site.intermediate.cert)
            assert text_of(app, "#probe-saved") == f"Saved: {saved}"

            await pilot.press("c")
            await pilot.pause()
            assert f"{server.target} (SNI expe.example.com)" in app.clipboard
            assert f"{refused}: refused" in app.clipboard


async def test_a_wrong_name_is_a_finding_and_bad_input_stays_on_the_step(site, tmp_path):
    leaf = site.leaf("other.example.com")
    app = make_app(tmp_path)
    with tls_server([leaf.cert, site.intermediate.cert], leaf) as server:
        async with app.run_test(size=SIZE) as pilot:
            await start_task(pilot, "probe", ProbeTargetStep)
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert error_text(app).startswith("Type the server to check")
            await fill(pilot, "host:99999")
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert "port" in error_text(app)
            await fill(pilot, server.target)
            await next_to(pilot, ProbeResultStep)
            ids = {item.finding.id for item in app.screen.query(FindingItem)}
            assert {"PROBE-NAME-MISMATCH", "CHN-NOT-CHECKED"} <= ids
            await pilot.press("escape")
            await on_screen(pilot, ProbeTargetStep)
            assert app.screen.query_one("#targets", Input).value == server.target
