"""SVG snapshot of "Check a live server" at 80x24: the form, filled in (issue 14 item 7).

Deterministic on purpose: nothing is probed (a result shows ephemeral ports and fresh keys), a
fixed "now", the task list pinned. Plain `def` test: the snap_compare fixture runs the app.
"""

from __future__ import annotations

from textual.widgets import Input, Select
from tui_support import SNAPSHOT_NOW, settle, start_task

from collabcert.tui.app import CollabcertApp


async def filled_form(pilot) -> None:
    await start_task(pilot, "probe", "ProbeTargetStep")
    screen = pilot.app.screen
    screen.query_one("#targets", Input).value = "expe.example.com:8443, 10.48.36.215:8443"
    screen.query_one("#sni", Input).value = ""
    screen.query_one("#role", Select).value = "expressway-e"
    screen.query_one("#trust", Input).value = "root-ca.pem"
    screen.query_one("#targets", Input).focus()
    await settle(pilot)


def test_probe_form_80x24(snap_compare, tmp_path):
    folder = tmp_path / "customer-files"
    folder.mkdir()
    app = CollabcertApp(cwd=folder, now=lambda: SNAPSHOT_NOW,
                        task_modules=("collabcert.screens.probe",))
    assert snap_compare(app, terminal_size=(80, 24), run_before=filled_form)
