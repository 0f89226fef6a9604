"""SVG snapshots of the CSR flow: the role choice, the Expressway-E questions, the review screen.

At 80x24 (nothing may be cut off: the body scrolls) and 120x36. Deterministic: fresh folder and
settings (conftest.py), no blinking cursor (FlowStep), no clock, no key generated before the shot.
"""

from __future__ import annotations

import pytest
from tui_support import (
    SIZES,
    choose_option,
    next_to,
    on_screen,
    open_questions,
    start_task,
    type_field,
)

from collabcert.screens.csr import CsrKeyStep, CsrProductStep, CsrRoleStep
from collabcert.screens.csr_review import CsrReviewStep
from collabcert.tui.app import CollabcertApp


async def role_choice(pilot) -> None:
    await start_task(pilot, "csr", CsrProductStep)
    await choose_option(pilot, "#products", "expressway")
    await on_screen(pilot, CsrRoleStep)
    await pilot.press("down")  # highlight Expressway-E
    await pilot.pause()


async def expressway_e_questions(pilot) -> None:
    await open_questions(pilot, "expressway-e")
    await type_field(pilot, "fqdn", "expe.example.com")
    await type_field(pilot, "cluster-fqdn", "expe")  # refused: the reason shows beside it
    await type_field(pilot, "ucm-domains", "example.com, corp.local")
    await type_field(pilot, "xmpp-domains", "example.com")
    await type_field(pilot, "chat-aliases", "chat.example.com")
    await type_field(pilot, "fqdn", "expe.example.com")  # focus back on the first field
    await pilot.pause()


async def expressway_e_review(pilot) -> None:
    await open_questions(pilot, "expressway-e")
    await type_field(pilot, "fqdn", "expe.example.com")
    await type_field(pilot, "ucm-domains", "example.com")
    await type_field(pilot, "xmpp-domains", "example.com")
    await type_field(pilot, "chat-aliases", "chat.example.com")
    await type_field(pilot, "o", "Example Ltd")
    await type_field(pilot, "st", "Berkshire")
    await type_field(pilot, "c", "GB")
    await next_to(pilot, CsrKeyStep)
    await next_to(pilot, CsrReviewStep)


@SIZES
def test_role_choice(snap_compare, size, tmp_path):
    assert snap_compare(CollabcertApp(cwd=tmp_path), terminal_size=size, run_before=role_choice)


SMALL_TOO = pytest.mark.parametrize("size", [(80, 24), (120, 36), (60, 20)],
                                    ids=["80x24", "120x36", "60x20"])  # issue 12 item 14


@SMALL_TOO
def test_expressway_e_questions(snap_compare, size, tmp_path):
    assert snap_compare(CollabcertApp(cwd=tmp_path), terminal_size=size,
                        run_before=expressway_e_questions)


@SMALL_TOO
def test_review(snap_compare, size, tmp_path):
    assert snap_compare(CollabcertApp(cwd=tmp_path), terminal_size=size,
                        run_before=expressway_e_review)
