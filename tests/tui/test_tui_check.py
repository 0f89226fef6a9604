"""Pilot tests of "Check files" (issue 7, item 6) on files made in the test.

Each test walks the real app: choose the files, say what they are for, and read the findings
panel: grouped by severity, each finding opening to its fix and citation, the report copied for
a ticket (seed-001 AT-16: an Expressway certificate without clientAuth).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID
from pki import DAY, NOW, issue, name, pem_of
from textual.widgets import Select, Static
from tui_support import (
    SIZE,
    choose_role,
    click,
    error_text,
    next_to,
    on_screen,
    pick_files,
    start_task,
    text_of,
    wait_for,
)

from collabcert.screens.check import CheckFilesStep, CheckFindingsStep, CheckRolesStep
from collabcert.tui.app import CollabcertApp
from collabcert.tui.findings import FindingItem, FindingsPanel, count_text, plain_report

SA, CA_ = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH


@pytest.fixture(scope="module")
def ca():
    root = issue(name("Example Root CA", "Example"), ca=True, not_after=NOW + 3000 * DAY)
    return root, issue(name("Example Issuing CA", "Example"), issuer=root, ca=True)


@pytest.fixture
def folder(tmp_path: Path, ca) -> Path:
    root, inter = ca
    server_only = issue("expc.example.com", issuer=inter, sans=["expc.example.com"], eku=[SA])
    both = issue("expc.example.com", issuer=inter, sans=["expc.example.com"], eku=[SA, CA_])
    expired = issue("old.example.com", issuer=inter, sans=["old.example.com"],
                    not_before=NOW - 400 * DAY, not_after=NOW - DAY)
    (tmp_path / "server-only.pem").write_bytes(server_only.pem)
    (tmp_path / "server.pem").write_bytes(both.pem)
    (tmp_path / "old.pem").write_bytes(expired.pem)
    (tmp_path / "ca.pem").write_bytes(pem_of(inter.cert, root.cert))
    (tmp_path / "notes.txt").write_text("just some notes, no certificate\n")
    return tmp_path


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, task_modules=("collabcert.screens.check",))


async def to_roles(pilot, files: list[str]) -> None:
    await start_task(pilot, "check", CheckFilesStep)
    pick_files(pilot, files)
    await next_to(pilot, CheckRolesStep)


async def to_findings(pilot) -> None:
    await next_to(pilot, CheckFindingsStep)


def items(app) -> list[FindingItem]:
    return list(app.screen.query(FindingItem))


def shown(widget) -> str:
    """What a widget of the findings panel shows ("" for a container)."""
    return str(widget.content) if isinstance(widget, Static) else ""


def item_text(item: FindingItem) -> str:
    return "\n".join(shown(s) for s in item.query(Static) if s.display)


def headline(app) -> str:
    return text_of(app, "#check-headline")


# --- seed-001 AT-16: serverAuth only -----------------------------------------------------------


async def test_at16_missing_client_auth_error_opens_to_fix_and_cite_and_is_copied(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["server-only.pem", "ca.pem"])
        await choose_role(pilot, "expressway-c")
        await to_findings(pilot)
        assert headline(app).startswith("FAILED: 2 file(s) checked as Expressway: Expressway-C")

        # Grouped by severity: the error first, under its heading, closed.
        groups = [shown(w) for w in app.screen.query(".findings-group")]
        assert groups[0] == "Errors (1)"
        first = items(app)[0]
        assert first.finding.id == "CRT-EKU-CLIENT" and str(first.finding.severity) == "error"
        assert app.focused is first  # the first finding has focus: Enter opens it
        closed = item_text(first)
        assert "ERROR CRT-EKU-CLIENT  server-only.pem" in closed
        assert "Client Authentication EKU" in closed and "fix:" not in closed

        await pilot.press("enter")
        opened = item_text(first)
        assert "fix: Have it issued with serverAuth and clientAuth" in opened
        assert "CertificateTemplate:Webclientandserver" in opened
        assert "cite: seed-001 CRT-EKU-CLIENT" in opened
        await pilot.press("space")
        assert "fix:" not in item_text(first)

        # The report for a ticket: the engine's plain text, every finding with fix and cite.
        report = app.screen.state.result
        await click(pilot, "#copy-report")
        # the press reaches the panel a few messages later: wait for the copy, not for time
        await wait_for(pilot, lambda: app.clipboard == report.text())
        assert app.clipboard == report.text()
        assert "ERROR CRT-EKU-CLIENT [server-only.pem]:" in app.clipboard
        assert "    cite: seed-001 CRT-EKU-CLIENT" in app.clipboard

        first.focus()
        await pilot.press("f1")  # the help of the findings step, from a finding
        await pilot.pause()
        assert getattr(app.screen, "topic", "") == "check-findings"


async def test_close_certificate_with_client_auth_has_no_such_error(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["server.pem", "ca.pem"])
        await choose_role(pilot, "expressway-c")
        await to_findings(pilot)
        ids = {i.finding.id for i in items(app)}
        assert "CRT-EKU-CLIENT" not in ids
        assert headline(app).startswith("Passed: 2 file(s)")
        assert not app.screen.query(".finding-error")
        await pilot.press("c")  # the step's key, wherever the focus is
        assert app.clipboard == app.screen.state.result.text()


async def test_no_role_runs_the_general_rules_only(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["old.pem", "ca.pem"])
        await to_findings(pilot)
        assert "(general rules only: no role chosen)" in headline(app)
        ids = [i.finding.id for i in items(app)]
        assert "CRT-EXPIRED" in ids
        assert not [i for i in ids if i.startswith(("ROLE-", "PROC-"))]  # no product rules


async def test_no_findings_says_so_and_offers_no_open_all(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["server.pem", "ca.pem"])
        await to_findings(pilot)
        assert headline(app) == ("Passed: 2 file(s) checked (general rules only: no role "
                                 "chosen); no findings.")
        assert text_of(app, ".findings-none") == (
            "No findings: nothing to fix.")
        assert not app.screen.query_one("#open-all").display
        assert app.focused is app.screen.query_one("#next")


async def test_fields_are_compared_with_the_certificate(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["server.pem", "ca.pem"])
        await choose_role(pilot, "expressway-c")
        app.screen.query_one("#field-fqdn").value = "other.example.com"
        await to_findings(pilot)
        found = [i.finding for i in items(app) if i.finding.id == "ROLE-STANDALONE-CN"]
        assert found and "other.example.com" in found[0].message


async def test_a_refused_field_value_keeps_the_step(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["server.pem"])
        await choose_role(pilot, "expressway-c")
        app.screen.query_one("#field-fqdn").value = "not a name"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CheckRolesStep)
        error = error_text(app)
        assert error.startswith("FQDN of this Expressway:")


async def test_per_file_role_trust_list_and_back_keeps_the_answers(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["server.pem", "ca.pem"])
        await choose_role(pilot, "expressway-c")
        app.screen.query_one("#file-role-1", Select).value = "trust"
        app.screen.query_one("#field-fqdn").value = "expc.example.com"
        await to_findings(pilot)
        report = app.screen.state.result
        assert report.checked == ("server.pem", "ca.pem")
        await pilot.press("escape")
        await on_screen(pilot, CheckRolesStep)
        assert app.screen.query_one("#role", Select).value == "expressway-c"
        assert app.screen.query_one("#file-role-1", Select).value == "trust"
        assert app.screen.query_one("#field-fqdn").value == "expc.example.com"


async def test_a_file_that_is_not_a_certificate_is_named(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["notes.txt"])
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: error_text(app))
        assert isinstance(app.screen, CheckRolesStep)
        assert "notes.txt" in error_text(app)


async def test_nothing_chosen_stays_on_the_first_step(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "check", CheckFilesStep)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CheckFilesStep)
        assert "Choose at least one file" in error_text(app)


async def test_keys_move_between_findings_and_open_all(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_roles(pilot, ["server-only.pem", "ca.pem"])
        await choose_role(pilot, "expressway-c")
        await to_findings(pilot)
        shown = items(app)
        assert len(shown) >= 2
        await pilot.press("down")
        assert app.focused is shown[1]
        await pilot.press("up")
        assert app.focused is shown[0]
        await pilot.press("plus")
        assert all(i.expanded for i in shown)
        assert str(app.screen.query_one("#open-all").label) == "Close all"
        await click(pilot, "#open-all")
        await wait_for(pilot, lambda: not any(i.expanded for i in shown))
        assert not any(i.expanded for i in shown)


# --- the panel on its own (for the other flows) -----------------------------------------------


def test_panel_helpers_group_count_and_report(folder):
    from collabcert.findings import Finding, Severity

    found = [Finding("B-INFO", Severity.INFO, "note"),
             Finding("A-ERR", Severity.ERROR, "broken", "mend it", "seed-001 A-ERR", "x.pem"),
             Finding("C-WARN", Severity.WARNING, "odd")]
    assert count_text(found) == "1 error, 1 warning, 1 note"
    assert count_text([]) == "no findings"
    assert plain_report(found).splitlines() == [
        "ERROR A-ERR [x.pem]: broken", "    fix: mend it", "    cite: seed-001 A-ERR",
        "WARNING C-WARN: odd", "INFO B-INFO: note"]


async def test_panel_show_replaces_findings_and_empty_says_so():
    from textual.app import App

    from collabcert.findings import Finding, Severity

    class PanelApp(App):
        def compose(self):
            yield FindingsPanel([], id="panel")

    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(FindingsPanel)
        assert shown(app.query_one(".findings-none", Static)) == "No findings: nothing to fix."
        await panel.show([Finding("X-1", Severity.WARNING, "look", "do this", "seed-003 X-1")])
        await pilot.pause()
        assert not app.query(".findings-none")
        assert [shown(w) for w in app.query(".findings-group")] == ["Warnings (1)"]
        assert shown(app.query_one(".findings-headline", Static)) == "Findings: 1 warning"
        panel.copy_report()
        assert app.clipboard.startswith("WARNING X-1: look\n    fix: do this")


# --- typed flow state and binding ids (issue 10 item 5) ---------------------------------------


def test_check_and_mra_flows_keep_typed_state():
    from collabcert.screens.check import CheckFlow
    from collabcert.screens.check_state import CheckState
    from collabcert.screens.mra import MraFlow
    from collabcert.screens.mra_state import MraState

    assert CheckFlow.state_type is CheckState and isinstance(CheckFlow().state, CheckState)
    assert MraFlow.state_type is MraState and isinstance(MraFlow().state, MraState)
    assert CheckFlow().state.result is None and MraFlow().state.nodes == []


def test_every_binding_of_the_check_and_mra_screens_has_an_id():
    from collabcert.screens import check, mra
    from collabcert.tui import findings

    seen = 0
    for module, prefix in ((check, "check."), (mra, "mra."), (findings, "findings.")):
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for binding in value.__dict__.get("BINDINGS", []):
                    seen += 1
                    assert binding.id and binding.id.startswith(prefix), binding
    assert seen >= 8
