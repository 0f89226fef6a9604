"""SVG snapshots of the main screens at 80x24 and 120x36.

Deterministic on purpose: fixed EC keys (derived from constants), fixed dates and serials,
deterministic ECDSA signatures (RFC 6979), a fixed "now" for the days left, a fixed folder name,
and the task list pinned so that flows added later do not change these pictures.
Plain `def` tests: the snap_compare fixture runs the app itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pki import Issued

from tui.app import CollabcertApp

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
TASKS = ("screens.convert", "screens.inspect")
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _name(cn: str, o: str = "Example Corp") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, o)])


def _fixed(subject: x509.Name, secret: int, serial: int, *, issuer: Issued | None = None,
           ca: bool = False, years: int = 2, sans: tuple[str, ...] = ()) -> Issued:
    key = ec.derive_private_key(secret, ec.SECP256R1())
    signer = issuer.key if issuer else key
    start = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start.replace(year=2025 + years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False)
    )
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), False)
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), False)
    cert = builder.sign(signer, hashes.SHA256(), ecdsa_deterministic=True)
    return Issued(cert, key)


@pytest.fixture(scope="module")
def fixed_pki() -> tuple[Issued, Issued, Issued]:
    root = _fixed(_name("Example Root CA"), 1001, 0x1001, ca=True, years=10)
    issuing = _fixed(_name("Example Issuing CA"), 1002, 0x1002, issuer=root, ca=True, years=5)
    leaf = _fixed(_name("expe.example.com", "Example [Lab]"), 1003, 0x1003, issuer=issuing,
                  sans=("expe.example.com", "collab-edge.example.com"))
    return root, issuing, leaf


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
    return CollabcertApp(cwd=folder, now=lambda: NOW, task_modules=TASKS)


async def _until(pilot, screen_name: str) -> None:
    for _ in range(300):
        screen = pilot.app.screen
        if type(screen).__name__ == screen_name and not getattr(screen, "busy", False):
            await pilot.pause()
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never reached {screen_name}")


async def _walk(pilot, task: str, files: list[str], steps: list[str]) -> None:
    app = pilot.app
    await pilot.pause()
    app.start_task(task)
    await _until(pilot, "ChooseFilesStep")
    app.screen.query_one("#picker").add_paths([app.cwd / name for name in files])
    for step in steps:
        await pilot.press("ctrl+n")
        await _until(pilot, step)
    app.clear_notifications()
    await pilot.pause()


@SIZES
def test_home(snap_compare, customer, size):
    assert snap_compare(make_app(customer), terminal_size=size)


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
        await _until(pilot, "HelpScreen")

    assert snap_compare(make_app(customer), terminal_size=size, run_before=run_before)
