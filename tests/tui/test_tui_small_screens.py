"""80x24 and 60x20 over SSH (issue 12 item 14): the focused field, its message and the step's
buttons stay on screen as the SAN preview grows; the home heading and the Settings top are in
view; the chosen list shows its rows and its counter follows an untick; toasts are one line; a
reason given on Next goes once the value is fixed.
"""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import Input, SelectionList, Static
from tui_support import error_text, on_screen, open_questions, pick_files, start_task, type_field

from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.settings import SettingsScreen
from collabcert.tui.app import CollabcertApp

SMALL = pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])


def on_screen_now(app, widget: Widget) -> bool:
    """The widget is drawn where the user can see it: the screen shows it at its top-left."""
    region = widget.region
    if not region.height or not app.screen.region.contains_region(region):
        return False
    shown, _ = app.screen.get_widget_at(region.x, region.y)
    return shown is widget or widget in shown.ancestors_with_self


@SMALL
async def test_the_focused_field_and_its_reason_stay_in_view_as_the_preview_grows(tmp_path,
                                                                                   size):
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=size) as pilot:
        await open_questions(pilot, "expressway-e")
        await type_field(pilot, "fqdn", "expe.example.com")
        await type_field(pilot, "ucm-domains", "example.com, corp.local, b.example.com")
        await type_field(pilot, "xmpp-domains", "example.com, c.example.com")
        await type_field(pilot, "chat-aliases", "chat.example.com, chat2.example.com")
        await type_field(pilot, "cluster-fqdn", "expe")  # refused: the reason shows below it
        await pilot.pause()
        field = app.screen.query_one("#f-cluster-fqdn", Input)
        why = app.screen.query_one("#why-cluster-fqdn", Static)
        assert app.focused is field and str(why.content)
        assert on_screen_now(app, field), field.region
        assert on_screen_now(app, why), why.region
        assert on_screen_now(app, app.screen.query_one("#next"))
        # fixed: the reason beside it goes, and so does the one Next gave
        await pilot.press("ctrl+n")
        assert "Cluster" in error_text(app) or error_text(app)
        await type_field(pilot, "cluster-fqdn", "expe.example.com")
        assert not str(why.content) and error_text(app) == ""


@SMALL
async def test_home_heading_and_settings_top_are_in_view(tmp_path, size):
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert on_screen_now(app, app.screen.query_one("#home-question"))
        app.action_settings()
        await on_screen(pilot, SettingsScreen)
        assert app.screen.query_one("#body").scroll_y == 0


@SMALL
async def test_sixteen_chosen_files_show_as_rows_and_an_untick_is_counted(tmp_path, size):
    names = [f"cert{n:02d}.pem" for n in range(16)]
    for name in names:
        (tmp_path / name).write_text("x")
    app = CollabcertApp(cwd=tmp_path, task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=size, notifications=True) as pilot:
        await start_task(pilot, "inspect", ChooseFilesStep)
        pick_files(pilot, names)
        await pilot.pause()
        chosen = app.screen.query_one("#chosen", SelectionList)
        chosen.scroll_visible(animate=False)
        await pilot.pause()
        assert chosen.size.height >= 4  # rows, not a bare border
        title = app.screen.query_one("#chosen-title")
        assert str(title.content).startswith("Chosen: 16 file(s)")
        chosen.focus()
        await pilot.pause()
        await pilot.press("space")  # untick the first
        assert str(title.content).startswith("Chosen: 15 file(s), 1 left out")
        lines = [str(chosen.render_line(y).text) for y in range(2)]
        assert lines[0].lstrip("▊ ").startswith("[ ] cert00.pem")
        assert lines[1].lstrip("▊ ").startswith("[x] cert01.pem")
        app.notify("Copied the CSR")
        await pilot.pause()
        from textual.widgets._toast import Toast

        assert all(toast.size.height == 1 for toast in app.screen.query(Toast))
