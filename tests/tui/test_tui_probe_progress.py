"""Pilot tests of the live progress of "Check a live server" (issue 14 item 7): one line per
target while the probe runs (waiting, connecting, done with its short verdict) and the count;
Back while servers are still probed stops without a crash, and what the probe threads report
after the user left is dropped. The servers are this module's, on 127.0.0.1
(tests/probe_support.py); the held one answers nothing until the test lets it go, so "still
connecting" is a state waited for, never a race against a timeout."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from probe_support import held_server, make_site, refused_port, silent_server, tls_server
from textual.widgets import Input
from tui_support import SIZE, error_text, on_screen, start_task, text_of, until_quiet, wait_for

from collabcert.screens.home import HomeScreen
from collabcert.screens.probe import ProbeResultStep, ProbeTargetStep
from collabcert.tui.app import CollabcertApp


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("probe-progress"))


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, task_modules=("collabcert.screens.probe",))


async def probe(pilot, targets: str, timeout: str = "20") -> None:
    screen = pilot.app.screen
    screen.query_one("#targets", Input).value = targets
    screen.query_one("#sni", Input).value = "expe.example.com"
    screen.query_one("#timeout", Input).value = timeout
    await pilot.pause()
    await pilot.press("ctrl+n")


def progress(app) -> list[str]:
    return text_of(app, "#probe-progress").splitlines()


def probing_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("probe_")]


async def test_each_target_shows_done_while_a_silent_one_is_still_connecting(site, tmp_path):
    leaf = site.leaf("expe.example.com", ["expe.example.com"])
    app = make_app(tmp_path)
    with tls_server([leaf.cert, site.intermediate.cert], leaf) as good, \
            held_server() as held:
        refused = f"127.0.0.1:{refused_port()}"
        async with app.run_test(size=SIZE) as pilot:
            await start_task(pilot, "probe", ProbeTargetStep)
            await probe(pilot, f"{good.target}, {held.target}, {refused}")
            await wait_for(pilot, lambda: progress(app)[0] == "Probing: 2 of 3 done")
            lines = progress(app)
            assert lines[1].startswith(f"✓ {good.target} (SNI expe.example.com): TLSv1.")
            assert "2 certificate(s) presented, leaf until " in lines[1]
            assert lines[2] == f"… {held.target}: connecting"  # still: the server is held
            assert lines[3] == f"✗ {refused}: refused: nothing listens on {refused}"
            assert isinstance(app.screen, ProbeTargetStep) and app.screen.busy
            assert not app.screen.query_one("#targets", Input).display  # the lines, in view
            assert error_text(app) == "Probing ... (Back stops)"

            held.release.set()  # the held server hangs up: the last target is done
            await on_screen(pilot, ProbeResultStep)
            status = text_of(app, "#probe-status").splitlines()
            assert status[0] == lines[1]  # the result step shows the lines as they ended
            assert status[1].startswith(f"✗ {held.target}: TLS: ")
            assert status[2] == lines[3]

            await pilot.press("escape")  # back to the form, as it was typed
            await on_screen(pilot, ProbeTargetStep)
            assert app.screen.query_one("#targets", Input).display
            assert not app.screen.query_one("#probe-progress").display


async def test_back_while_probing_stops_and_late_reports_are_dropped(site, tmp_path):
    app = make_app(tmp_path)
    with held_server() as held:
        async with app.run_test(size=SIZE) as pilot:
            await start_task(pilot, "probe", ProbeTargetStep)
            await probe(pilot, held.target)
            await wait_for(pilot, lambda: progress(app)[1:] == [f"… {held.target}: connecting"])
            await pilot.press("escape")  # Back stops the probe; the step stays, with its form
            await wait_for(pilot, lambda: error_text(app) == "Stopped.")
            assert not app.screen.busy
            assert app.screen.query_one("#targets", Input).display
            assert app.screen.query_one("#targets", Input).value == held.target

            held.release.set()  # the stopped probe now ends and reports: nobody listens
            await wait_for(pilot, lambda: not probing_threads())
            await until_quiet(pilot)
            assert isinstance(app.screen, ProbeTargetStep)
            assert not app.screen.query_one("#probe-progress").display
            assert error_text(app) == "Stopped."


async def test_leaving_the_task_while_probing_does_not_crash(site, tmp_path):
    app = make_app(tmp_path)
    with held_server() as held:
        async with app.run_test(size=SIZE) as pilot:
            await start_task(pilot, "probe", ProbeTargetStep)
            await probe(pilot, held.target)
            await wait_for(pilot, lambda: "connecting" in text_of(app, "#probe-progress"))
            await pilot.press("escape", "escape")  # stop, then leave the task
            await on_screen(pilot, HomeScreen)

            held.release.set()  # the result arrives after the step is gone
            await wait_for(pilot, lambda: not probing_threads())
            await until_quiet(pilot)
            assert isinstance(app.screen, HomeScreen)
            await start_task(pilot, "probe", ProbeTargetStep)  # and the task starts again
            assert app.screen.query_one("#targets", Input).display


async def test_each_server_has_the_seconds_typed_and_a_bad_number_stays_on_the_step(tmp_path):
    app = make_app(tmp_path)
    with silent_server() as silent:
        async with app.run_test(size=SIZE) as pilot:
            await start_task(pilot, "probe", ProbeTargetStep)
            await probe(pilot, silent.target, timeout="soon")
            await pilot.pause()
            assert error_text(app).startswith("Type the seconds to wait for each server")
            assert not app.screen.busy
            await probe(pilot, silent.target, timeout="1")  # it accepts and never answers
            await on_screen(pilot, ProbeResultStep)
            assert text_of(app, "#probe-status") == (
                f"✗ {silent.target}: timed out after 1 s: {silent.target} accepted the "
                "connection but did not answer")


async def test_a_trust_file_the_job_cannot_read_brings_the_form_back(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "probe", ProbeTargetStep)
        app.screen.query_one("#trust", Input).value = "missing.pem"
        await probe(pilot, f"127.0.0.1:{refused_port()}")
        await wait_for(pilot, lambda: "missing.pem" in error_text(app) and not app.screen.busy)
        assert isinstance(app.screen, ProbeTargetStep)
        assert app.screen.query_one("#trust", Input).display
        assert not app.screen.query_one("#probe-progress").display
