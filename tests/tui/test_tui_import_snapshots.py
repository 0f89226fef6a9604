"""SVG snapshots of the import flow's chain preview and next steps (80x24 and 120x36), plus the
preview of a chain with a missing issuer and the findings of a trust list.

Deterministic on purpose: EC keys derived from constants, fixed serials and dates, deterministic
ECDSA signatures (RFC 6979), a fixed "now", a fixed folder name, and only the two flows of this
issue on the task list. Plain `def` tests: the snap_compare fixture runs the app itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from pki import Issued, pem_of
from tui_support import (
    SIZES,
    SNAPSHOT_NOW,
    fixed_cert,
    fixed_chain,
    fixed_name,
    next_through,
    next_to,
    pick_files,
    settle,
    start_task,
)

from collabcert.tui.app import CollabcertApp

TASKS = ("collabcert.screens.import_cert", "collabcert.screens.bundle")
SANS = ("expe.example.com", "collab-edge.example.com")


@pytest.fixture(scope="module")
def fixed_pki() -> tuple[Issued, Issued, Issued]:
    return fixed_chain(2001, 0x2001, sans=SANS)


@pytest.fixture
def customer(tmp_path, fixed_pki) -> Path:
    root, issuing, leaf = fixed_pki
    folder = tmp_path / "customer-files"
    folder.mkdir()
    (folder / "expe.key").write_bytes(leaf.key_pem)
    csr = (x509.CertificateSigningRequestBuilder().subject_name(fixed_name("expe.example.com"))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in SANS]), False)
           .sign(leaf.key, hashes.SHA256()))
    (folder / "expe.csr").write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    p7 = pkcs7.serialize_certificates([root.cert, issuing.cert, leaf.cert],
                                      serialization.Encoding.DER)
    (folder / "certnew.p7b").write_bytes(p7)  # what AD CS sends: root first
    (folder / "no-intermediate.pem").write_bytes(pem_of(leaf.cert, root.cert))
    twin = fixed_cert("Example Root CA", 2004, 0x2004, ca=True, years=10)
    (folder / "cas.pem").write_bytes(pem_of(root.cert, issuing.cert, twin.cert))
    return folder


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, now=lambda: SNAPSHOT_NOW, task_modules=TASKS)


async def _import(pilot, sent: str, steps: list[str]) -> None:
    await start_task(pilot, "import", "RequestStep")
    pick_files(pilot, ["expe.key", "expe.csr"])
    await next_to(pilot, "SentStep")
    pick_files(pilot, [sent])
    await next_through(pilot, steps)
    await settle(pilot)


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
        await start_task(pilot, "bundle", "BundleFilesStep")
        pick_files(pilot, ["cas.pem"])
        await next_through(pilot, ["BundleWhatStep", "BundleFindingsStep"])
        await settle(pilot)

    assert snap_compare(make_app(customer), terminal_size=(80, 24), run_before=run_before)
