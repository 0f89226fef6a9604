"""Issue 11 item 6 in the wizard: names from files are shown escaped in every widget.

The certificates carry OSC 52 (`ESC ] 52 ; c ; ... BEL`, "set the clipboard") in the CN, a SAN
and the issuer's O, and a bidi override (U+202E). Inspect (table, detail, paths) and Check
(findings) are walked as a user would; then every text a widget of the screen holds, and the
rendered screen itself, has no control character, and the names show escaped (`\\x1b`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pki import issue, name
from rich.text import Text
from textual.widgets import DataTable, OptionList, Static, Tree
from tui_support import SIZE, choose_role, next_to, pick_files, start_task, wait_for

from collabcert.display import is_safe
from collabcert.screens.check import CheckFilesStep, CheckFindingsStep, CheckRolesStep
from collabcert.screens.inspect import InspectResultsStep
from collabcert.tui.app import CollabcertApp
from collabcert.tui.findings import FindingItem

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
SHOWN_CN = "evil\\x1b]52;c;ZWNobyBwd25lZA==\\x07\\u202egnp.exe"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = issue(name("Root \x1b[2J CA \u202e", "Org\x1b]0;title\x07"), ca=True)
    leaf = issue(f"evil{OSC52}\u202egnp.exe", issuer=root, sans=[f"a{OSC52}.example.com"])
    (tmp_path / "leaf.pem").write_bytes(leaf.pem)
    (tmp_path / "root.pem").write_bytes(root.pem)
    (tmp_path / f"a{OSC52}\u202egnp.pem").write_bytes(root.pem)  # a hostile file name too
    return tmp_path


async def test_the_file_tree_shows_file_names_escaped(folder):
    app = CollabcertApp(cwd=folder, task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=(160, 50)) as pilot:
        await start_task(pilot, "inspect", "ChooseFilesStep")
        tree = app.screen.query_one("#tree", Tree)
        await wait_for(pilot, lambda: len(tree.root.children) == 3)
        pick_files(pilot, [f"a{OSC52}\u202egnp.pem"])
        await wait_for(pilot, lambda: app.screen.query_one("#chosen", OptionList).option_count)
        _assert_escaped(app, "a\\x1b]52;c;ZWNobyBwd25lZA==\\x07\\u202egnp.pem")


def _texts(app) -> list[str]:
    """What the widgets of the current screen hold as text (statics, table cells, tree labels,
    option prompts) and the screen as rendered (the SVG screenshot's text)."""
    out: list[str] = [app.export_screenshot()]
    for widget in app.screen.walk_children(with_self=False):
        if isinstance(widget, Static):
            out.append(str(widget.content))
        elif isinstance(widget, DataTable):
            out += [str(cell) for i in range(widget.row_count) for cell in widget.get_row_at(i)]
        elif isinstance(widget, Tree):
            stack = [widget.root]
            while stack:
                node = stack.pop()
                out.append(str(node.label))
                stack.extend(node.children)
        elif isinstance(widget, OptionList):
            out += [str(widget.get_option_at_index(i).prompt)
                    for i in range(widget.option_count)]
    return out


def _assert_escaped(app, *wanted: str) -> None:
    texts = _texts(app)
    unsafe = [t for t in texts if not is_safe(t)]
    assert not unsafe, unsafe[:3]
    whole = "\n".join(texts)
    for piece in wanted:
        assert piece in whole


async def test_inspect_shows_names_escaped(folder):
    app = CollabcertApp(cwd=folder, task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=(160, 50)) as pilot:
        await start_task(pilot, "inspect", "ChooseFilesStep")
        pick_files(pilot, ["leaf.pem", "root.pem"])
        await next_to(pilot, InspectResultsStep)
        table = app.screen.query_one("#objects", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)
        for row in range(table.row_count):  # the detail follows the cursor
            table.move_cursor(row=row)
            await wait_for(pilot, lambda: "SHA-256" in str(
                app.screen.query_one("#detail", Static).content))
            _assert_escaped(app, "\\x1b[2J CA \\u202e")
        table.move_cursor(row=0)
        await wait_for(pilot, lambda: "SAN DNS" in str(
            app.screen.query_one("#detail", Static).content))
        _assert_escaped(app, SHOWN_CN, "a\\x1b]52;c;ZWNobyBwd25lZA==\\x07.example.com")
        # the CN column is cut to its width (issue 12 item 6): the cut text is the escaped one
        cells = [str(c).rstrip("…") for row in (0, 1) for c in table.get_row_at(row)]
        assert any(len(c) > 8 and SHOWN_CN.startswith(c) for c in cells), cells
        assert all(isinstance(c, Text) for c in table.get_row_at(0))


async def test_check_findings_show_names_escaped(folder):
    app = CollabcertApp(cwd=folder, task_modules=("collabcert.screens.check",))
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "check", CheckFilesStep)
        pick_files(pilot, ["leaf.pem", "root.pem"])
        await next_to(pilot, CheckRolesStep)
        await choose_role(pilot, "expressway-c")
        app.screen.query_one("#field-fqdn").value = "x.example.com"
        await next_to(pilot, CheckFindingsStep)
        items = list(app.screen.query(FindingItem))
        assert items
        items[0].focus()
        await pilot.press("plus")  # open every finding: fix and citation shown too
        await wait_for(pilot, lambda: all(i.expanded for i in app.screen.query(FindingItem)))
        _assert_escaped(app, SHOWN_CN)
        assert is_safe(app.screen.query_one("#check-findings").report_text())
