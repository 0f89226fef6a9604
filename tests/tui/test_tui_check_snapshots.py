"""SVG snapshots of the findings panel (Check files) and the MRA verdict table, 80x24 and 120x36.

Deterministic on purpose: EC keys derived from constants, fixed serials and dates, RFC 6979
signatures, a fixed "now", the task list pinned, toasts cleared before the picture.
Plain `def` tests: the snap_compare fixture runs the app itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pki import Issued, fake_rsa_public, pem_of
from textual.widgets import DataTable, Input, Select
from tui_support import (
    SIZES,
    SNAPSHOT_NOW,
    add_node,
    choose_role,
    fixed_cert,
    next_to,
    pick_files,
    settle,
    start_task,
)

from collabcert.tui.app import CollabcertApp

TASKS = ("collabcert.screens.check", "collabcert.screens.mra")
FQDN, IP = "cucm.steven.lab", "10.48.36.215"


def _fixed(cn: str, secret: int, serial: int, *, rsa_key: bool = False, **details) -> Issued:
    # rsa_key: a fixed RSA-2048 public key (the CA signs any key): no slow, random generation.
    public = fake_rsa_public(2048, secret) if rsa_key else None
    return fixed_cert(cn, secret, serial, key_usage=True, public_key=public, **details)


@pytest.fixture(scope="module")
def certs() -> dict[str, Issued]:
    root = _fixed("Example Root CA", 0x5EED01, 1, ca=True)
    inter = _fixed("Example Issuing CA", 0x5EED02, 2, issuer=root, ca=True)
    return {
        "root": root, "inter": inter,
        "expc": _fixed("expc.example.com", 0x5EED03, 3, issuer=inter,
                       sans=("expc.example.com",), client_auth=False),
        "tomcat": _fixed(FQDN, 0x5EED04, 4, issuer=root, sans=(FQDN,), rsa_key=True),
        "ecdsa": _fixed("cucm-ec.steven.lab", 0x5EED05, 5, sans=(FQDN,)),
    }


@pytest.fixture
def folder(tmp_path: Path, certs) -> Path:
    (tmp_path / "server.pem").write_bytes(certs["expc"].pem)
    (tmp_path / "ca.pem").write_bytes(pem_of(certs["inter"].cert, certs["root"].cert))
    (tmp_path / "tomcat.pem").write_bytes(certs["tomcat"].pem)
    (tmp_path / "tomcat-ecdsa.pem").write_bytes(certs["ecdsa"].pem)
    (tmp_path / "exp-c-trust.pem").write_bytes(certs["root"].pem)
    return tmp_path


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, now=lambda: SNAPSHOT_NOW, task_modules=TASKS)


async def _check_roles(pilot) -> None:
    await start_task(pilot, "check", "CheckFilesStep")
    pick_files(pilot, ["server.pem", "ca.pem"])
    await next_to(pilot, "CheckRolesStep")
    await choose_role(pilot, "expressway-c")
    pilot.app.screen.query_one("#field-fqdn", Input).value = "expc.example.com"


async def check_findings_opened(pilot) -> None:
    await _check_roles(pilot)
    await next_to(pilot, "CheckFindingsStep")
    await pilot.press("enter")  # the first finding (the error) opens to its fix and cite
    await settle(pilot)


async def check_roles(pilot) -> None:
    await _check_roles(pilot)
    pilot.app.screen.query_one("#role", Select).focus()
    await settle(pilot)


async def _mra_nodes(pilot) -> None:
    await start_task(pilot, "mra", "MraNodesStep")
    await add_node(pilot, name="cucm", addresses=f"{FQDN}, {IP}", ip=IP, tomcat="tomcat.pem",
                   ecdsa="tomcat-ecdsa.pem")


async def mra_nodes(pilot) -> None:
    await _mra_nodes(pilot)
    await settle(pilot)


async def mra_verdict(pilot) -> None:
    await _mra_nodes(pilot)
    await next_to(pilot, "MraTrustStep")
    pick_files(pilot, ["exp-c-trust.pem"])
    await next_to(pilot, "MraSettingsStep")
    await next_to(pilot, "MraVerdictStep")
    pilot.app.screen.query_one("#verdicts", DataTable).focus()
    await pilot.press("down")  # the FAIL row: its reason, log line and fix below the table
    await settle(pilot)


@SIZES
def test_check_findings_panel(snap_compare, folder, size):
    assert snap_compare(make_app(folder), terminal_size=size, run_before=check_findings_opened)


@SIZES
def test_mra_verdict_table(snap_compare, folder, size):
    assert snap_compare(make_app(folder), terminal_size=size, run_before=mra_verdict)


def test_check_roles_80x24(snap_compare, folder):
    assert snap_compare(make_app(folder), terminal_size=(80, 24), run_before=check_roles)


def test_mra_nodes_80x24(snap_compare, folder):
    assert snap_compare(make_app(folder), terminal_size=(80, 24), run_before=mra_nodes)
