"""Pilot tests of the Lab CA (issue 15 item 3): the "Lab CA" task signing a CSR someone sent,
and "Sign it with a lab CA" after "Create a key and CSR". Each test walks the screens with
keys and widget values, then parses the files written: the certificate's SANs (every one of the
CSR's), its issuer's signature, the key modes of a new CA (0600)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pki import mode_of, new_key
from textual.widgets import Button, Checkbox, Input, Select
from tui_support import (
    SIZE,
    error_text,
    next_to,
    on_screen,
    open_questions,
    pick_files,
    start_task,
    table_rows,
    text_of,
    type_field,
)

from collabcert.jobs.ca import init_ca, write_ca
from collabcert.screens.csr import CsrKeyStep
from collabcert.screens.csr_review import CsrDoneStep, CsrReviewStep
from collabcert.screens.labca import (
    LabCaCsrStep,
    LabCaDoneStep,
    LabCaOptionsStep,
    LabCaReviewStep,
)
from collabcert.tui.app import CollabcertApp

SLOW_STEP = 120.0  # a new CA makes two RSA 3072 keys: seconds on a loaded 2-core machine

SANS = [x509.DNSName("cb1.example.com"), x509.DNSName("cb2.example.com"),
        x509.IPAddress(ipaddress.ip_address("192.0.2.10")),
        x509.UniformResourceIdentifier("sip:cb1.example.com")]


def write_csr(folder: Path, sans=SANS, cn: str = "cb1.example.com") -> Path:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    csr = (x509.CertificateSigningRequestBuilder().subject_name(subject)
           .add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
           .sign(new_key("ec"), hashes.SHA256()))
    path = folder / "callbridge.csr"
    path.write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    return path


def cert_at(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def set_value(app, selector: str, value) -> None:
    app.screen.query_one(selector).value = value


async def options_for(pilot, ca_folder: str, role: str, days: str = "397") -> None:
    app = pilot.app
    set_value(app, "#ca-folder", ca_folder)
    app.screen.query_one("#role", Select).value = role
    set_value(app, "#days", days)
    await pilot.pause()


async def test_lab_ca_task_makes_a_ca_and_signs_keeping_every_san(tmp_path):
    csr_path = write_csr(tmp_path)
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "labca", LabCaCsrStep)
        pick_files(pilot, ["callbridge.csr"])
        await next_to(pilot, LabCaOptionsStep)
        assert "callbridge.csr" in text_of(app, "#csr-line")
        await options_for(pilot, "my-ca", "cms-callbridge", "200")
        assert "a new one" in text_of(app, "#ca-state")  # nothing is there yet: it says so
        await next_to(pilot, LabCaReviewStep, SLOW_STEP)
        summary = text_of(app, "#review-summary")
        assert "IP:192.0.2.10" in summary and "cms-callbridge" in summary
        planned = [row[0] for row in table_rows(app, "#plan")]
        assert planned == ["my-ca/root.key", "my-ca/root.crt", "my-ca/intermediate.key",
                           "my-ca/intermediate.crt", "my-ca/ca-chain.crt", "callbridge.crt",
                           "callbridgebundle.crt", "callbridge-fullchain.crt"]
        assert not (tmp_path / "my-ca").exists()  # nothing written before Write files
        await next_to(pilot, LabCaDoneStep, SLOW_STEP)
        assert "Wrote 8 file(s)" in text_of(app, "#done-headline")
        assert "collabcert lint" in text_of(app, "#next-steps")
    ca = tmp_path / "my-ca"
    assert mode_of(ca / "root.key") == 0o600 and mode_of(ca / "intermediate.key") == 0o600
    cert = cert_at(tmp_path / "callbridge.crt")
    assert list(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value) \
        == SANS
    inter = cert_at(ca / "intermediate.crt")
    cert.verify_directly_issued_by(inter)
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 200
    assert csr_path.exists()


async def test_a_san_the_role_cannot_take_keeps_the_person_on_the_options(tmp_path):
    write_ca(init_ca(tmp_path / "lab-ca", key="ec:p256"))
    write_csr(tmp_path)  # carries an IP address and a URI
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "labca", LabCaCsrStep)
        pick_files(pilot, ["callbridge.csr"])
        await next_to(pilot, LabCaOptionsStep)
        assert "Lab CA 'collabcert lab CA'" in text_of(app, "#ca-state")
        await options_for(pilot, "lab-ca", "expressway-c")
        await pilot.press("ctrl+n")
        await on_screen(pilot, LabCaOptionsStep, SLOW_STEP)
        assert "never dropped" in error_text(app)
        app.screen.query_one("#days", Input).value = "900"
        await pilot.press("ctrl+n")
        await on_screen(pilot, LabCaOptionsStep)
        assert "1 to 825" in error_text(app)
    assert not list(tmp_path.glob("callbridge*.crt"))


async def test_a_folder_without_a_ca_and_no_create_says_what_to_do(tmp_path):
    write_csr(tmp_path)
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "labca", LabCaCsrStep)
        pick_files(pilot, ["callbridge.csr"])
        await next_to(pilot, LabCaOptionsStep)
        app.screen.query_one("#create", Checkbox).value = False
        await pilot.pause()
        assert "Tick 'Create a new lab CA'" in text_of(app, "#ca-state")
        await pilot.press("ctrl+n")
        await on_screen(pilot, LabCaOptionsStep)
        assert "holds no lab CA" in error_text(app)
    assert not (tmp_path / "lab-ca").exists()


async def test_sign_it_with_a_lab_ca_after_making_a_csr(tmp_path):
    write_ca(init_ca(tmp_path / "lab-ca", key="rsa:2048", intermediate=True))
    app = CollabcertApp(cwd=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-e")
        for name, value in (("fqdn", "expe.example.com"), ("ucm-domains", "example.com"),
                            ("o", "Example Ltd"), ("st", "Berkshire"), ("c", "GB")):
            await type_field(pilot, name, value)
        await next_to(pilot, CsrKeyStep)
        await next_to(pilot, CsrReviewStep)
        await pilot.press("ctrl+n")
        await on_screen(pilot, CsrDoneStep, SLOW_STEP)
        app.screen.query_one("#sign-lab", Button).press()
        await on_screen(pilot, LabCaOptionsStep)
        assert "Step 1 of 3" in str(app.screen.query_one("#step-indicator").content)
        assert app.screen.query_one("#role", Select).value == "expressway-e"  # the CSR's role
        assert "intermediate signs" in text_of(app, "#ca-state")
        await next_to(pilot, LabCaReviewStep, SLOW_STEP)
        await next_to(pilot, LabCaDoneStep, SLOW_STEP)
        assert "Wrote 3 file(s)" in text_of(app, "#done-headline")
        assert [row[0] for row in table_rows(app, "#written")] == [
            "expressway-e.crt", "expressway-e-ca-chain.crt", "expressway-e-fullchain.crt"]
    cert = cert_at(tmp_path / "expressway-e.crt")
    request = x509.load_pem_x509_csr((tmp_path / "expressway-e.csr").read_bytes())
    assert cert.subject == request.subject
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["expe.example.com",
                                                     "collab-edge.example.com"]
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    cert.verify_directly_issued_by(cert_at(tmp_path / "lab-ca" / "intermediate.crt"))
