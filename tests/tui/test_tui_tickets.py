"""Screens support reads aloud (issue 12 items 15 and 16): Cisco documents named in plain words,
never internal ids; a CMS screen never cites an Expressway document; every result screen copies
a summary for a ticket (what was asked, written and found, next steps, never key material);
Esc from Done asks before the typed answers go; "Make another" keeps the subject and nodes.
"""

from __future__ import annotations

import re

from textual.widgets import Input, Static
from tui_support import SIZE, next_to, on_screen, open_questions, type_field

from collabcert.screens.csr import CsrKeyStep, CsrProductStep, CsrQuestionsStep
from collabcert.screens.csr_review import CsrDoneStep, CsrReviewStep
from collabcert.tui.app import CollabcertApp
from collabcert.tui.dialogs import ConfirmDialog

INTERNAL = re.compile(r"seed-\d{3}|\bL\d{2,4}\b|\b(?:G|CU-[A-Z])\d+\b")


def screen_text(app) -> str:
    """Every Static and Label of the current screen, as shown (what is read aloud)."""
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static)
                     if widget.display)


async def to_done(pilot, role_id: str, fqdn: str, **fields: str) -> None:
    await open_questions(pilot, role_id)
    await type_field(pilot, "fqdn", fqdn)
    for name, text in fields.items():
        await type_field(pilot, name, text)
    await next_to(pilot, CsrKeyStep)
    await next_to(pilot, CsrReviewStep)
    await pilot.press("ctrl+n")
    await on_screen(pilot, CsrDoneStep)


async def test_cms_screens_name_cms_documents_in_plain_words_and_copy_a_ticket(tmp_path):
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "cms-webbridge")
        seen = [screen_text(app)]
        await type_field(pilot, "fqdn", "join.example.com")
        for name in ("st", "name"):
            app.screen.query_one(f"#f-{name}", Input).focus()
            await pilot.pause()
            seen.append(screen_text(app))
        await next_to(pilot, CsrKeyStep)
        seen.append(screen_text(app))
        await next_to(pilot, CsrReviewStep)
        seen.append(screen_text(app))
        await pilot.press("ctrl+n")
        await on_screen(pilot, CsrDoneStep)
        for tab in ("tab-next", "tab-findings"):
            app.screen.query_one("#done-tabs").active = tab
            await pilot.pause()
            seen.append(screen_text(app))
        text = "\n".join(seen)
        assert not INTERNAL.findall(text), INTERNAL.findall(text)
        assert "Meeting Server 2.1 certificate guidelines" in text
        assert "Expressway Certificate Creation" not in text  # a CMS screen, CMS documents

        app.screen.action_copy_ticket()
        await pilot.pause()
        ticket = app.clipboard
        assert ticket.startswith("collabcert: Create a key and CSR\n")
        assert "What was asked:" in ticket and "CN join.example.com" in ticket
        print(ticket)
        assert "What was written:" in ticket and ".csr" in ticket and ".key" in ticket
        assert "Next steps:" in ticket and "PRIVATE KEY" not in ticket and "seed-" not in ticket


async def test_esc_from_done_asks_before_the_answers_go_and_make_another_keeps_them(tmp_path):
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_done(pilot, "cucm-tomcat", "cucm1.example.com",
                      **{"multi-server-fqdns": "cucm2.example.com", "o": "Example Ltd"})
        for _ in range(5):  # Done -> Review -> Key -> Questions -> Role -> Product
            await pilot.press("escape")
            await pilot.pause()
        await on_screen(pilot, CsrProductStep)
        await pilot.press("escape")
        await on_screen(pilot, ConfirmDialog)
        assert "dropped" in app.screen.question
        await pilot.press("escape")  # Esc on the dialog: stay
        await on_screen(pilot, CsrProductStep)

        await on_screen(pilot, CsrProductStep)
        app.screen.action_next()  # and on to Done again, to make another
        await pilot.pause()
        await next_to(pilot, CsrQuestionsStep)
        await next_to(pilot, CsrKeyStep)
        await next_to(pilot, CsrReviewStep)
        await pilot.press("ctrl+n")
        await on_screen(pilot, "ConfirmDialog")  # the files exist: replace?
        await pilot.click("#yes")
        await on_screen(pilot, CsrDoneStep)
        app.screen.action_again()
        await on_screen(pilot, CsrProductStep)
        await next_to(pilot, "CsrRoleStep")
        await next_to(pilot, CsrQuestionsStep)
        value = lambda name: app.screen.query_one(f"#f-{name}", Input).value  # noqa: E731
        assert value("multi-server-fqdns") == "cucm2.example.com"
        assert value("o") == "Example Ltd"
        assert value("fqdn") == ""  # each node its own
