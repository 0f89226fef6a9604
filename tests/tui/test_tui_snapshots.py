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
    FIXED_START,
    SIZES,
    SNAPSHOT_NOW,
    ec_key,
    fixed_cert,
    fixed_chain,
    fixed_name,
    next_through,
    on_screen,
    pick_files,
    settle,
    start_task,
)

from collabcert.tui.app import CollabcertApp

TASKS = ("collabcert.screens.convert", "collabcert.screens.inspect")
# issue 12 item 14: the main screens at 60x20 too (a small SSH window)
SMALL_TOO = pytest.mark.parametrize("size", [(80, 24), (120, 36), (60, 20)],
                                    ids=["80x24", "120x36", "60x20"])
SMALL = pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])


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


@SMALL_TOO
def test_home(snap_compare, customer, size):
    assert snap_compare(make_app(customer), terminal_size=size)


@SIZES
def test_home_with_every_task(snap_compare, customer, size):
    # What a person sees: all eight flows (the registry's own list), read from their sources.
    app = CollabcertApp(cwd=customer, now=lambda: SNAPSHOT_NOW)
    assert snap_compare(app, terminal_size=size)


@SMALL_TOO
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


# --- Inspect on a messy pile (issue 12 items 5, 6): looked at before accepting ------------------


def _expired_twin(of: Issued, issuer: Issued, serial: int) -> Issued:
    """`of` again with its key and name, but expired before SNAPSHOT_NOW (a forgotten old copy)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = (x509.CertificateBuilder().subject_name(of.cert.subject)
            .issuer_name(issuer.cert.subject).public_key(of.key.public_key())
            .serial_number(serial).not_valid_before(FIXED_START.replace(year=2023))
            .not_valid_after(FIXED_START.replace(year=2025, month=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(issuer.key, hashes.SHA256(), ecdsa_deterministic=True))
    return Issued(cert, of.key)


@pytest.fixture
def pile(tmp_path, fixed_pki) -> Path:
    """A field engineer's pile: PEM, DER, a .pfx with its key, a key, a CSR, an empty file,
    bytes that are no certificate, a same-name decoy root and an expired twin of the issuer."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, pkcs12

    root, issuing, leaf = fixed_pki
    decoy = fixed_cert("Example Root CA", 7001, 0x7001, ca=True, years=10)
    twin = _expired_twin(issuing, root, 0x7002)
    cms = fixed_cert("cms1.example.com", 7003, 0x7003, issuer=issuing,
                     sans=("cms1.example.com",))
    csr = (x509.CertificateSigningRequestBuilder().subject_name(fixed_name("cms2.example.com"))
           .sign(ec_key(7004), hashes.SHA256(), ecdsa_deterministic=True))
    folder = tmp_path / "pile"
    folder.mkdir()
    (folder / "expe.pem").write_bytes(leaf.pem)
    (folder / "expe.key").write_bytes(leaf.key_pem)
    (folder / "issuing.cer").write_bytes(issuing.der)
    (folder / "root.pem").write_bytes(root.pem)
    (folder / "decoy-root.pem").write_bytes(decoy.pem)
    (folder / "old-issuing.pem").write_bytes(twin.pem)
    (folder / "cms1.pfx").write_bytes(pkcs12.serialize_key_and_certificates(
        b"cms1", cms.key, cms.cert, None, NoEncryption()))
    (folder / "cms2.csr").write_bytes(csr.public_bytes(Encoding.PEM))
    (folder / "empty.cer").write_bytes(b"")
    (folder / "junk.der").write_bytes(bytes(range(7, 207)))
    return folder


PILE = ["cms1.pfx", "cms2.csr", "decoy-root.pem", "empty.cer", "expe.key", "expe.pem",
        "issuing.cer", "junk.der", "old-issuing.pem", "root.pem"]


@SMALL
def test_inspect_a_messy_pile(snap_compare, pile, size):
    async def run_before(pilot):
        await _walk(pilot, "inspect", PILE, ["InspectResultsStep"])

    assert snap_compare(make_app(pile), terminal_size=size, run_before=run_before)


@SMALL
def test_inspect_a_messy_pile_findings(snap_compare, pile, size):
    async def run_before(pilot):
        await _walk(pilot, "inspect", PILE, ["InspectResultsStep"])
        pilot.app.screen.query_one("#result-tabs").active = "tab-findings"
        await settle(pilot)

    assert snap_compare(make_app(pile), terminal_size=size, run_before=run_before)
