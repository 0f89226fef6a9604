"""SVG snapshots of "Check a live server": the form, filled in, at 80x24, and the progress
lines while it probes at 80x24 and 60x20 (issue 14 item 7).

Deterministic on purpose: nothing is probed (a result shows ephemeral ports and fresh keys), a
fixed "now", the task list pinned. Plain `def` test: the snap_compare fixture runs the app.
"""

from __future__ import annotations

import pytest
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


# --- the progress lines while probing (issue 14 item 7) ------------------------------------------
# A fixed moment reached by waiting, never by sleeping: the TLS server and the refused port are
# done, the held server is still "connecting" (it answers nothing until the app has taken the
# screenshot and exits). Fixed ports below the ephemeral range (32768-60999) and fixed
# certificates, so every byte shown is the same on every run.

GOOD_PORT, HELD_PORT, REFUSED_PORT = 20443, 20444, 20445


class ReleasingApp(CollabcertApp):
    """Lets the held server go once the screenshot is taken (the app exits right after it),
    so the probe thread ends before the event loop's executor is shut down."""

    held = None

    def exit(self, *args, **kwargs) -> None:
        if self.held is not None:
            self.held.release.set()
        super().exit(*args, **kwargs)


async def two_of_three_done(pilot) -> None:
    from textual.widgets import Static
    from tui_support import wait_for

    await start_task(pilot, "probe", "ProbeTargetStep")
    screen = pilot.app.screen
    screen.query_one("#targets", Input).value = (
        f"127.0.0.1:{GOOD_PORT}, 127.0.0.1:{HELD_PORT}, 127.0.0.1:{REFUSED_PORT}")
    screen.query_one("#sni", Input).value = "expe.example.com"
    screen.query_one("#timeout", Input).value = "20"
    await pilot.pause()
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: str(pilot.app.screen.query_one("#probe-progress", Static)
                                      .content).startswith("Probing: 2 of 3 done"))
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_probe_progress_lines(snap_compare, tmp_path, size):
    from probe_support import held_server, tls_server
    from tui_support import fixed_chain

    _root, issuing, leaf = fixed_chain(0x5EED, 9100, ["expe.example.com"])
    app = ReleasingApp(cwd=tmp_path, now=lambda: SNAPSHOT_NOW,
                       task_modules=("collabcert.screens.probe",))
    ports_free_or_skip()
    with tls_server([leaf.cert, issuing.cert], leaf, port=GOOD_PORT), \
            held_server(port=HELD_PORT) as held:
        app.held = held
        assert snap_compare(app, terminal_size=size, run_before=two_of_three_done)


def ports_free_or_skip() -> None:
    """The shown ports are fixed, so another program (or a second run of this suite on the
    machine) holding one of them would change what is shown: skip, saying why, rather than
    fail at random."""
    import socket

    for port in (GOOD_PORT, HELD_PORT, REFUSED_PORT):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is fine
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                pytest.skip(f"127.0.0.1:{port} is in use by another program; this snapshot "
                            "shows fixed ports")
