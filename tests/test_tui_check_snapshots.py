"""SVG snapshots of the findings panel (Check files) and the MRA verdict table, 80x24 and 120x36.

Deterministic on purpose: EC keys derived from constants, fixed serials and dates, RFC 6979
signatures, a fixed "now", the task list pinned, toasts cleared before the picture.
Plain `def` tests: the snap_compare fixture runs the app itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pki import Issued, pem_of
from textual.widgets import DataTable, Input, Select

from tui.app import CollabcertApp

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
TASKS = ("screens.check", "screens.mra")
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
FQDN, IP = "cucm.steven.lab", "10.48.36.215"


def _rsa_public(seed: int):
    # A fixed RSA-2048 public key (the CA signs any key): no slow, random RSA generation.
    return rsa.RSAPublicNumbers(65537, (1 << 2047) | (seed << 8) | 0xF1).public_key()


def _fixed(cn: str, secret: int, serial: int, *, issuer: Issued | None = None,
           ca: bool = False, sans: tuple[str, ...] = (), client_auth: bool = True,
           rsa_key: bool = False) -> Issued:
    key = ec.derive_private_key(secret, ec.SECP256R1())
    public = _rsa_public(secret) if rsa_key else key.public_key()
    signer = issuer.key if issuer else key
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(public)
        .serial_number(serial)
        .not_valid_before(dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2027, 6, 1, tzinfo=dt.UTC))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False)
    )
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        usages = [ExtendedKeyUsageOID.SERVER_AUTH]
        if client_auth:
            usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), False)
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), False)
    cert = builder.sign(signer, hashes.SHA256(), ecdsa_deterministic=True)
    return Issued(cert, key)


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
    return CollabcertApp(cwd=folder, now=lambda: NOW, task_modules=TASKS)


async def _wait(pilot, step_name: str) -> None:
    for _ in range(300):
        screen = pilot.app.screen
        if type(screen).__name__ == step_name and not getattr(screen, "busy", False):
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never reached {step_name}")


async def _settle(pilot) -> None:
    pilot.app.clear_notifications()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def _check_roles(pilot) -> None:
    app = pilot.app
    await pilot.pause()
    app.start_task("check")
    await _wait(pilot, "CheckFilesStep")
    app.screen.query_one("#picker").add_paths([app.cwd / "server.pem", app.cwd / "ca.pem"])
    await pilot.press("ctrl+n")
    await _wait(pilot, "CheckRolesStep")
    app.screen.query_one("#role", Select).value = "expressway-c"
    for _ in range(100):
        if app.screen.query("#field-fqdn"):
            break
        await pilot.pause(0.05)
    app.screen.query_one("#field-fqdn", Input).value = "expc.example.com"


async def check_findings_opened(pilot) -> None:
    await _check_roles(pilot)
    await pilot.press("ctrl+n")
    await _wait(pilot, "CheckFindingsStep")
    await pilot.press("enter")  # the first finding (the error) opens to its fix and cite
    await _settle(pilot)


async def check_roles(pilot) -> None:
    await _check_roles(pilot)
    app = pilot.app
    app.screen.query_one("#role", Select).focus()
    await _settle(pilot)


async def _mra_nodes(pilot) -> None:
    app = pilot.app
    await pilot.pause()
    app.start_task("mra")
    await _wait(pilot, "MraNodesStep")
    for field_id, value in (("node-name", "cucm"), ("node-addresses", f"{FQDN}, {IP}"),
                            ("node-ip", IP), ("node-tomcat", "tomcat.pem"),
                            ("node-ecdsa", "tomcat-ecdsa.pem")):
        app.screen.query_one(f"#{field_id}", Input).value = value
    app.screen.query_one("#node-ecdsa", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def mra_nodes(pilot) -> None:
    await _mra_nodes(pilot)
    await _settle(pilot)


async def mra_verdict(pilot) -> None:
    await _mra_nodes(pilot)
    app = pilot.app
    await pilot.press("ctrl+n")
    await _wait(pilot, "MraTrustStep")
    app.screen.query_one("#picker").add_paths([app.cwd / "exp-c-trust.pem"])
    await pilot.press("ctrl+n")
    await _wait(pilot, "MraSettingsStep")
    await pilot.press("ctrl+n")
    await _wait(pilot, "MraVerdictStep")
    app.screen.query_one("#verdicts", DataTable).focus()
    await pilot.press("down")  # the FAIL row: its reason, log line and fix below the table
    await _settle(pilot)


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
