"""SVG snapshots of the main screens at 80x24 and 120x36.

Deterministic on purpose: fixed EC keys (derived from constants), fixed dates and serials,
deterministic ECDSA signatures (RFC 6979), a fixed "now" for the days left, a fixed folder name,
and the task list pinned so that flows added later do not change these pictures.
Plain `def` tests: the snap_compare fixture runs the app itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pki import Issued
from tui_support import (
    SIZES,
    SNAPSHOT_NOW,
    fixed_chain,
    next_through,
    on_screen,
    pick_files,
    settle,
    start_task,
)

from collabcert.tui.app import CollabcertApp

TASKS = ("collabcert.screens.convert", "collabcert.screens.inspect")


@pytest.fixture(scope="module")
def fixed_pki() -> tuple[Issued, Issued, Issued]:
    return fixed_chain(1001, 0x1001, sans=("expe.example.com", "collab-edge.example.com"))


@pytest.fixture
def customer(tmp_path, fixed_pki) -> Path:
    root, issuing, leaf = fixed_pki
    folder = tmp_path / "customer-files"
    folder.mkdir()
    (folder / "expe.cer").write_bytes(leaf.der)
    (folder / "chain.pem").write_bytes(leaf.pem + issuing.pem + root.pem)
    (folder / "root.der").write_bytes(root.der)
    (folder / "expe.key").write_bytes(leaf.key_pem)
    return folder


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, now=lambda: SNAPSHOT_NOW, task_modules=TASKS)


async def _walk(pilot, task: str, files: list[str], steps: list[str]) -> None:
    await start_task(pilot, task, "ChooseFilesStep")
    pick_files(pilot, files)
    await next_through(pilot, steps)
    await settle(pilot)


@SIZES
def test_home(snap_compare, customer, size):
    assert snap_compare(make_app(customer), terminal_size=size)


@SIZES
def test_home_with_every_task(snap_compare, customer, size):
    # What a person sees: all eight flows (the registry's own list), read from their sources.
    app = CollabcertApp(cwd=customer, now=lambda: SNAPSHOT_NOW)
    assert snap_compare(app, terminal_size=size)


@SIZES
def test_inspect_results(snap_compare, customer, size):
    async def run_before(pilot):
        await _walk(pilot, "inspect", ["chain.pem", "expe.key"], ["InspectResultsStep"])

    assert snap_compare(make_app(customer), terminal_size=size, run_before=run_before)


@SIZES
def test_convert_review(snap_compare, customer, size):
    async def run_before(pilot):
        await _walk(pilot, "convert", ["expe.cer", "root.der", "chain.pem"],
                    ["ConvertWhatStep", "ConvertOutputStep", "ConvertReviewStep"])

    assert snap_compare(make_app(customer), terminal_size=size, run_before=run_before)


@SIZES
def test_help_for_the_output_format(snap_compare, customer, size):
    async def run_before(pilot):
        await _walk(pilot, "convert", ["expe.cer"], ["ConvertWhatStep", "ConvertOutputStep"])
        pilot.app.screen.query_one("#format").focus()
        await pilot.press("f1")
        await on_screen(pilot, "HelpScreen")

    assert snap_compare(make_app(customer), terminal_size=size, run_before=run_before)
