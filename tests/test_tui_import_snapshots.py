"""SVG snapshots of the import flow's chain preview and next steps (80x24 and 120x36), plus the
preview of a chain with a missing issuer and the findings of a trust list.

Deterministic on purpose: EC keys derived from constants, fixed serials and dates, deterministic
ECDSA signatures (RFC 6979), a fixed "now", a fixed folder name, and only the two flows of this
issue on the task list. Plain `def` tests: the snap_compare fixture runs the app itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pki import Issued, pem_of

from tui.app import CollabcertApp

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
TASKS = ("screens.import_cert", "screens.bundle")
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
START = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
SANS = ("expe.example.com", "collab-edge.example.com")


def _name(cn: str, o: str = "Example Corp") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, o)])


def _fixed(subject: x509.Name, secret: int, serial: int, *, issuer: Issued | None = None,
           ca: bool = False, years: int = 2, sans: tuple[str, ...] = ()) -> Issued:
    key = ec.derive_private_key(secret, ec.SECP256R1())
    signer = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(START)
        .not_valid_after(START.replace(year=START.year + years))
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
    root = _fixed(_name("Example Root CA"), 2001, 0x2001, ca=True, years=10)
    issuing = _fixed(_name("Example Issuing CA"), 2002, 0x2002, issuer=root, ca=True, years=5)
    leaf = _fixed(_name("expe.example.com", "Example [Lab]"), 2003, 0x2003, issuer=issuing,
                  sans=SANS)
    return root, issuing, leaf


@pytest.fixture
def customer(tmp_path, fixed_pki) -> Path:
    root, issuing, leaf = fixed_pki
    folder = tmp_path / "customer-files"
    folder.mkdir()
    (folder / "expe.key").write_bytes(leaf.key_pem)
    csr = (x509.CertificateSigningRequestBuilder().subject_name(_name("expe.example.com"))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in SANS]), False)
           .sign(leaf.key, hashes.SHA256()))
    (folder / "expe.csr").write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    p7 = pkcs7.serialize_certificates([root.cert, issuing.cert, leaf.cert],
                                      serialization.Encoding.DER)
    (folder / "certnew.p7b").write_bytes(p7)  # what AD CS sends: root first
    (folder / "no-intermediate.pem").write_bytes(pem_of(leaf.cert, root.cert))
    twin = _fixed(_name("Example Root CA"), 2004, 0x2004, ca=True, years=10)
    (folder / "cas.pem").write_bytes(pem_of(root.cert, issuing.cert, twin.cert))
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


async def _import(pilot, sent: str, steps: list[str]) -> None:
    app = pilot.app
    await pilot.pause()
    app.start_task("import")
    await _until(pilot, "RequestStep")
    app.screen.query_one("#picker").add_paths([app.cwd / "expe.key", app.cwd / "expe.csr"])
    await pilot.press("ctrl+n")
    await _until(pilot, "SentStep")
    app.screen.query_one("#picker").add_paths([app.cwd / sent])
    for step in steps:
        await pilot.press("ctrl+n")
        await _until(pilot, step)
    app.clear_notifications()
    await pilot.pause()


TO_CHAIN = ["CheckStep", "TargetStep", "ChainStep"]


@SIZES
def test_import_chain_preview(snap_compare, customer, size):
    async def run_before(pilot):
        await _import(pilot, "certnew.p7b", TO_CHAIN)

    assert snap_compare(make_app(customer), terminal_size=size, run_before=run_before)


@SIZES
def test_import_next_steps(snap_compare, customer, size):
    async def run_before(pilot):
        await _import(pilot, "certnew.p7b", [*TO_CHAIN, "ImportFilesStep", "ImportNextStepsStep"])

    assert snap_compare(make_app(customer), terminal_size=size, run_before=run_before)


def test_import_check_with_a_missing_intermediate(snap_compare, customer):
    async def run_before(pilot):
        await _import(pilot, "no-intermediate.pem", ["CheckStep"])

    assert snap_compare(make_app(customer), terminal_size=(80, 24), run_before=run_before)


def test_import_chain_preview_with_a_missing_intermediate(snap_compare, customer):
    async def run_before(pilot):
        await _import(pilot, "no-intermediate.pem", TO_CHAIN)

    assert snap_compare(make_app(customer), terminal_size=(80, 24), run_before=run_before)


def test_bundle_trust_list_findings(snap_compare, customer):
    async def run_before(pilot):
        app = pilot.app
        await pilot.pause()
        app.start_task("bundle")
        await _until(pilot, "BundleFilesStep")
        app.screen.query_one("#picker").add_paths([app.cwd / "cas.pem"])
        for step in ("BundleWhatStep", "BundleFindingsStep"):
            await pilot.press("ctrl+n")
            await _until(pilot, step)
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(customer), terminal_size=(80, 24), run_before=run_before)
