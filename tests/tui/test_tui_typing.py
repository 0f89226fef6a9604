"""Typing that can be trusted (issue 12 item 13): a burst of keys lands where a person meant it.

Over SSH, a paste or a laggy link delivers `vcse1.example.com<Tab>vcse.example.com` in one read.
Textual forwards each key to the widget focused *when the app handles it*, and a Tab moves focus
only once it has bubbled from the Input up to the screen's binding: the keys after it were
already queued for the old Input, so both names ended up in FQDN. The app now takes Tab and
Shift+Tab before forwarding (priority bindings), so the focus moves before the next key goes out.

`burst()` hands every key to the driver at once, without Pilot's wait for idle between keys (the
way a terminal delivers a paste); `pilot.press` is the keyed-in case.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TabbedContent, TextArea
from tui_support import SIZE, on_screen, open_questions, wait_for

from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.csr import CsrQuestionsStep
from collabcert.tui.app import CollabcertApp

FQDN, CLUSTER = "vcse1.example.com", "vcse.example.com"


def burst(pilot, keys: list[str]) -> None:
    """Every key to the driver in one go, as one read from a terminal delivers them."""
    driver = pilot.app._driver
    for key in keys:
        name = {".": "full_stop", "-": "minus"}.get(key, key)
        event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(pilot.app)
        driver.send_message(event)


def value(app, name: str) -> str:
    return app.screen.query_one(f"#f-{name}", Input).value


async def test_a_burst_of_keys_with_a_tab_fills_two_fields(tmp_path):
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-c")
        assert app.focused is app.screen.query_one("#f-fqdn")
        burst(pilot, [*FQDN, "tab", *CLUSTER])
        await wait_for(pilot, lambda: len(value(app, "fqdn")) + len(value(app, "cluster-fqdn"))
                       >= len(FQDN) + len(CLUSTER))
        assert (value(app, "fqdn"), value(app, "cluster-fqdn")) == (FQDN, CLUSTER)
        assert app.focused is app.screen.query_one("#f-cluster-fqdn")


async def test_keys_pressed_with_no_pauses_go_to_each_field(tmp_path):
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-c")
        await pilot.press(*list(FQDN), "tab", *list(CLUSTER), "tab", *"a.example.com",
                          "shift+tab", "end", *"x")
        assert isinstance(app.screen, CsrQuestionsStep)
        assert value(app, "fqdn") == FQDN
        assert value(app, "cluster-fqdn") == CLUSTER + "x"
        assert value(app, "additional-names") == "a.example.com"


async def test_tab_in_the_paste_area_still_moves_on(tmp_path):
    # the picker's paste area uses tab_behavior="focus": the app's Tab must not type a tab there
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_task("inspect")
        await on_screen(pilot, ChooseFilesStep)
        area = app.screen.query_one("#paste", TextArea)
        app.screen.query_one("#picker TabbedContent", TabbedContent).active = "tab-paste"
        await pilot.pause()
        area.focus()
        await pilot.press(*"abc", "tab")
        assert area.text == "abc" and app.focused is not area
