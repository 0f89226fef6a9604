"""SVG snapshots of MRA readiness's "Nodes, read live" step, filled in, at 80x24 and 60x20
(issue 14 item 7). Nothing is read (a read shows ephemeral ports): the addresses as typed, a
fixed "now". Plain `def` tests: the snap_compare fixture runs the app."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_support import SNAPSHOT_NOW, click, on_screen, settle, start_task

from collabcert.tui.app import CollabcertApp


async def live_addresses(pilot) -> None:
    await start_task(pilot, "mra", "MraNodesStep")
    await click(pilot, "#read-live")
    await on_screen(pilot, "MraLiveStep")
    screen = pilot.app.screen
    screen.query_one("#live-addresses", Input).value = (
        "cucm.example.com, 10.48.36.215:8443, imp.example.com")
    screen.query_one("#live-addresses", Input).focus()
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_mra_live_addresses(snap_compare, tmp_path, size):
    app = CollabcertApp(cwd=tmp_path, now=lambda: SNAPSHOT_NOW,
                        task_modules=("collabcert.screens.mra",))
    assert snap_compare(app, terminal_size=size, run_before=live_addresses)
