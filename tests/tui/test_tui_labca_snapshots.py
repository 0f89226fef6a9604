"""SVG snapshots of the Lab CA task at 80x24: the CA, role and validity step, and the review.

Deterministic: a fixed "now" (the review's valid-to date), a fixed CSR subject and SANs, a fresh
folder (the CA state line says a new CA will be made); the review shows no key, serial or
fingerprint, so the CA keys made for it may differ from run to run.
"""

from __future__ import annotations

import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from pki import new_key
from textual.widgets import Select
from tui_support import SIZE, SNAPSHOT_NOW, next_to, pick_files, settle, start_task

from collabcert.screens.labca import LabCaCsrStep, LabCaOptionsStep, LabCaReviewStep
from collabcert.tui.app import CollabcertApp


def folder_with_csr(tmp_path):
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Ltd"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "cb1.example.com")])
    sans = [x509.DNSName("cb1.example.com"), x509.DNSName("cb2.example.com"),
            x509.IPAddress(ipaddress.ip_address("192.0.2.10"))]
    csr = (x509.CertificateSigningRequestBuilder().subject_name(subject)
           .add_extension(x509.SubjectAlternativeName(sans), critical=False)
           .sign(new_key("ec"), hashes.SHA256()))
    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "callbridge.csr").write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    return folder


def make_app(folder) -> CollabcertApp:
    return CollabcertApp(cwd=folder, now=lambda: SNAPSHOT_NOW)


async def options(pilot) -> None:
    await start_task(pilot, "labca", LabCaCsrStep)
    pick_files(pilot, ["callbridge.csr"])
    await next_to(pilot, LabCaOptionsStep)
    pilot.app.screen.query_one("#role", Select).value = "cms-callbridge"
    await settle(pilot)


async def review(pilot) -> None:
    await options(pilot)
    await next_to(pilot, LabCaReviewStep, 120.0)
    await settle(pilot)


def test_options(snap_compare, tmp_path):
    assert snap_compare(make_app(folder_with_csr(tmp_path)), terminal_size=SIZE,
                        run_before=options)


def test_review(snap_compare, tmp_path):
    assert snap_compare(make_app(folder_with_csr(tmp_path)), terminal_size=SIZE,
                        run_before=review)
