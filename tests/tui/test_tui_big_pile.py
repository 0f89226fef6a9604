"""Inspect of a big pile answers keys while it fills (issue 12 item 18), guarded by state, not
time: the seconds are bench/bench_tui_inspect.py's. A 1000-row table goes in in batches and a key
pressed meanwhile is handled before the last row; a long findings list is mounted in batches after
the first paint, once its tab is shown, and Open all pressed before the last batch opens those
too."""

from __future__ import annotations

import asyncio

from pki import issue, name
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Button, DataTable, Static, TabbedContent, TabPane, Tabs
from tui_support import SIZE, pick_files, start_task, until_quiet, wait_for

from collabcert import rules
from collabcert.screens.inspect import InspectResultsStep
from collabcert.tui.app import CollabcertApp
from collabcert.tui.findings import FIRST_ITEMS, WHOLE, FindingItem, FindingsPanel

ROWS = 1000


def send_key(app: App, key: str) -> None:
    """The key as the terminal sends it: no Pilot wait for idle, which would let the table
    finish filling before the key is even looked at."""
    event = events.Key(key, None)
    event.set_sender(app)
    app._driver.send_message(event)


async def until(condition, limit: int = 20000) -> None:
    """One turn of the event loop at a time until `condition()` holds (a state, not a time)."""
    for _ in range(limit):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("the state never came")


async def test_a_key_on_the_tabs_is_handled_while_a_1000_row_table_is_filling(tmp_path):
    root = issue(name("Big Store CA", "Bench"), ca=True)
    (tmp_path / "store.pem").write_bytes(root.pem * ROWS)  # a store of copies: 1000 rows
    app = CollabcertApp(cwd=tmp_path, task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "inspect", "InspectFilesStep")
        pick_files(pilot, ["store.pem"])
        send_key(app, "ctrl+n")
        await until(lambda: isinstance(app.screen, InspectResultsStep) and app.screen.is_mounted
                    and app.screen.query_one("#objects", DataTable).row_count)
        screen = app.screen
        table = screen.query_one("#objects", DataTable)
        assert table.row_count < ROWS  # the first rows are shown before all are in
        tabbed = screen.query_one("#result-tabs", TabbedContent)
        tabbed.query_one(Tabs).focus()
        send_key(app, "right")
        await until(lambda: tabbed.active == "tab-findings")
        rows_when_handled = table.row_count
        assert rows_when_handled < ROWS, "the key waited for the whole table"
        await until(lambda: screen.rows_filled)
        assert table.row_count == ROWS


class PanelApp(App):
    """A long findings list on a tab not shown first, as Inspect has it."""

    def __init__(self, findings) -> None:
        super().__init__()
        self.findings = findings
        self.first = -1

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            with TabPane("Objects", id="tab-objects"):
                yield Static("the table")
            with TabPane("Findings", id="tab-findings"):
                yield FindingsPanel(self.findings, id="findings")

    def on_mount(self) -> None:
        self.first = len(self.query(FindingItem))


async def test_a_long_findings_list_is_mounted_in_batches_once_shown_and_open_all_reaches_all():
    findings = [rules.get("LOAD-SKIPPED").finding(f"block {n} ('X') is not a certificate; "
                                                  "skipped", where=f"pile.pem, block {n}")
                for n in range(150)]
    app = PanelApp(findings)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(FindingsPanel)
        assert app.first == FIRST_ITEMS - 1  # composed: a group title and the first findings
        await until_quiet(pilot)
        assert len(panel.items) == app.first  # hidden: nothing more is laid out meanwhile
        panel.action_expand_all(True)  # before the rest is in
        app.query_one("#tabs", TabbedContent).active = "tab-findings"
        await wait_for(pilot, lambda: panel.complete)
        items = panel.items
        assert len(items) == len(findings)
        assert [item.finding for item in items] == findings  # in order
        assert all(item.expanded for item in items)
        assert str(panel.query_one("#open-all", Button).label) == "Close all"
        await panel.show(findings[:3])  # replaced: nothing of the old batches comes after
        await until_quiet(pilot)
        assert len(panel.query(FindingItem)) == 3 and panel.complete


async def test_a_short_findings_list_is_composed_whole():
    findings = [rules.get("LOAD-SKIPPED").finding(f"block {n} is not a certificate; skipped")
                for n in range(WHOLE - 1)]  # with its group title: WHOLE widgets
    app = PanelApp(findings)
    async with app.run_test(size=SIZE):
        assert app.first == len(findings) and app.query_one(FindingsPanel).complete


async def test_what_inspect_kept_out_of_full_collections_is_given_back_when_it_closes(tmp_path):
    import gc

    root = issue(name("Big Store CA", "Bench"), ca=True)
    (tmp_path / "store.pem").write_bytes(root.pem * ROWS)
    gc.unfreeze()  # what an earlier test's app kept: so only this app's freezes are seen
    app = CollabcertApp(cwd=tmp_path, task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: gc.get_freeze_count() > 0)  # the app's, after its imports
        await start_task(pilot, "inspect", "InspectFilesStep")
        pick_files(pilot, ["store.pem"])
        send_key(app, "ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, InspectResultsStep)
                       and app.screen.is_mounted and app.screen.rows_filled)
        assert gc.get_freeze_count() > 0  # the result and the table: out of full collections
        app.screen.action_back()  # back to the files step: the results close
        await wait_for(pilot, lambda: not isinstance(app.screen, InspectResultsStep))
        await until_quiet(pilot)
        assert gc.get_freeze_count() == 0  # a cycle among them can be collected again
