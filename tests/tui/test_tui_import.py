"""Pilot tests of "Import a signed certificate" on files made in the test (issue 6, item 6).

Each test walks the real app: the CSR or key, what the CA sent, the checks, the target, the chain
preview, the files and the next steps; then the files on disk are read back and compared
(content, order, fingerprints, modes).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from pki import issue, key_pem, make_csr, make_pki, mode_of, new_key, pem_of, sha256_hex
from textual.widgets import Button, Checkbox, Input, RadioSet, Select, Static
from tui_support import (
    SIZE,
    click,
    error_text,
    next_to,
    on_screen,
    pick_files,
    start_task,
    text_of,
    wait_for,
    write_despite_errors,
)

from collabcert.screens.import_cert import (
    ChainStep,
    CheckStep,
    ImportFilesStep,
    ImportNextStepsStep,
    RequestStep,
    SentStep,
    TargetStep,
)
from collabcert.tui.app import CollabcertApp
from collabcert.tui.chaintree import ChainTree
from collabcert.tui.dialogs import ConfirmDialog, PasswordDialog

PEM = serialization.Encoding.PEM
DER = serialization.Encoding.DER
SANS = ["expe.example.com", "collab-edge.example.com"]


@pytest.fixture(scope="module")
def pki():
    return make_pki(sans=SANS)


@pytest.fixture
def folder(tmp_path, pki) -> Path:
    """The key and CSR made earlier, and the CA's answer: a DER PKCS#7 with the root first."""
    (tmp_path / "expe.key").write_bytes(pki.leaf.key_pem)
    (tmp_path / "expe.csr").write_bytes(pki.csr.public_bytes(PEM))
    p7 = pkcs7.serialize_certificates([pki.root.cert, pki.intermediate.cert, pki.leaf.cert], DER)
    (tmp_path / "certnew.p7b").write_bytes(p7)
    return tmp_path


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, task_modules=("collabcert.screens.import_cert",))


def colon(hex_text: str) -> str:
    return ":".join(hex_text[i:i + 2] for i in range(0, len(hex_text), 2)).upper()


async def to_check(pilot, request: list[str], sent: list[str]) -> None:
    """The CSR or key made earlier, what the CA sent, then the checks."""
    await start_task(pilot, "import", RequestStep)
    pick_files(pilot, request)
    await next_to(pilot, SentStep)
    pick_files(pilot, sent)
    await next_to(pilot, CheckStep)


async def choose_target(pilot, target: str) -> None:
    await click(pilot, f"#target-{target}")
    await wait_for(pilot, lambda: pilot.app.screen.query_one(f"#target-{target}").value)


async def write_all(pilot) -> None:
    await next_to(pilot, ImportFilesStep)
    await next_to(pilot, ImportNextStepsStep)


# --- the whole way -----------------------------------------------------------------------------


async def test_pkcs7_root_first_becomes_expressway_files_leaf_and_ca_list(folder, pki):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key", "expe.csr"], ["certnew.p7b"])
        summary = text_of(app, "#check-summary")
        assert "Certificate: expe.example.com" in summary
        assert "✓ matches the CSR and private key" in summary
        assert "✓ every name the CSR asked for is in the certificate" in summary
        assert "✓ the chain is complete (3 certificates up to the root)" in summary

        await next_to(pilot, TargetStep)
        assert app.screen.query_one("#target", RadioSet).pressed_button.id == "target-expressway"
        assert app.screen.query_one("#folder", Input).value == "."
        await next_to(pilot, ChainStep)

        # The preview: root on top, each certificate under its issuer, each link verified.
        lines = app.screen.query_one(ChainTree).labels()
        assert lines[0].startswith("Example Root CA  (root CA, valid until")
        assert lines[1].strip() == "✓ self-signed root, signature verified (ECDSA with SHA-256)"
        assert lines[2].strip().startswith("Example Issuing CA  (intermediate CA")
        assert lines[3].strip() == ("✓ signature verified (ECDSA with SHA-256), found by key id "
                                    "and name")
        assert lines[4].strip().startswith("expe.example.com  (leaf, this server")
        assert "Chain complete: 3 certificate(s)" in text_of(app, ".chain-headline")
        assert app.screen.query_one("#include-root", Checkbox).value is True

        await next_to(pilot, ImportFilesStep)
        plan = text_of(app, "#plan")
        assert plan.splitlines()[0].startswith("1. expe-trusted-ca.pem  (new")
        assert "Example Issuing CA, Example Root CA" in plan
        assert not (folder / "expe-server.pem").exists()  # nothing before Write

        await next_to(pilot, ImportNextStepsStep)
        ca_list = folder / "expe-trusted-ca.pem"
        server = folder / "expe-server.pem"
        assert ca_list.read_bytes() == pem_of(pki.intermediate.cert, pki.root.cert)
        assert server.read_bytes() == pem_of(pki.leaf.cert)
        for path in (ca_list, server):
            assert mode_of(path) == 0o644
        written = text_of(app, "#written")
        for cert in (pki.intermediate.cert, pki.root.cert, pki.leaf.cert):
            assert colon(sha256_hex(cert)[:16]) in written  # read back from disk
        steps = text_of(app, "#next-steps")
        assert steps.index("Append CA certificate") < steps.index("Server certificate")
        assert "expe-trusted-ca.pem" in steps

        app.screen.action_copy_files()
        assert colon(sha256_hex(pki.leaf.cert)) in app.clipboard  # in full, for a ticket
        app.screen.action_copy_steps()
        assert app.clipboard.startswith("1. First, on every Expressway")
        assert app.clipboard == steps  # what is copied is what is read aloud: no seed ids
        assert "seed-" not in app.clipboard

        await pilot.press("escape")  # Back: the files step now says they would be replaced
        await on_screen(pilot, ImportFilesStep)
        assert text_of(app, "#plan").count("REPLACES an existing file") == 2


async def test_cms_target_names_the_files_and_puts_the_root_last(folder, pki):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key"], ["certnew.p7b"])
        await next_to(pilot, TargetStep)
        await choose_target(pilot, "cms")
        name = app.screen.query_one("#cms-name", Input)
        assert name.display or app.screen.query_one("#cms-options").display
        name.value = "webbridge"
        await next_to(pilot, ChainStep)
        await write_all(pilot)
        assert (folder / "webbridge.crt").read_bytes() == pem_of(pki.leaf.cert)
        assert (folder / "webbridgebundle.crt").read_bytes() == pem_of(
            pki.intermediate.cert, pki.root.cert)
        steps = text_of(app, "#next-steps")
        assert "pki verify webbridge.crt webbridgebundle.crt" in steps
        # The key keeps its own name (expe.key), whatever the certificate files are called.
        assert "webbridge certs expe.key webbridge.crt webbridgebundle.crt" in steps


async def test_cucm_target_one_file_per_certificate_in_upload_order(folder, pki):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.csr"], ["certnew.p7b"])
        await next_to(pilot, TargetStep)
        await choose_target(pilot, "cucm")
        app.screen.query_one("#cucm-type", Select).value = "CallManager"
        await pilot.pause()
        await next_to(pilot, ChainStep)
        await write_all(pilot)
        names = sorted(p.name for p in folder.glob("[0-9]-*.pem"))
        assert names == ["1-CallManager-trust-Example_Root_CA.pem",
                         "2-CallManager-trust-Example_Issuing_CA.pem",
                         "3-CallManager-expe.pem"]
        assert (folder / names[0]).read_bytes() == pem_of(pki.root.cert)
        assert (folder / names[1]).read_bytes() == pem_of(pki.intermediate.cert)
        assert (folder / names[2]).read_bytes() == pem_of(pki.leaf.cert)
        steps = text_of(app, "#next-steps")
        assert "purpose CallManager-trust, file 1-CallManager-trust-Example_Root_CA.pem" in steps
        # Table 3 gives CallManager (RSA) no service to restart (seed-004 L234, E12); the
        # step used to say to restart Cisco CallManager, which only CallManager-ECDSA needs
        assert "No service restart: Table 3 lists none for CallManager" in steps
        assert "Restart the Cisco CallManager" not in steps


async def test_a_same_name_decoy_left_off_the_chain_is_told_apart(folder, pki):
    """issue 12 item 12: "Not used: CN=Example Root CA,O=Example" read as the chain's own
    root. The decoy the CA's file also holds is said with its file, serial and expiry."""
    from pki import name

    from collabcert.dn import serial_text

    decoy = issue(name("Example Root CA", "Example"), ca=True)  # same name, another key
    (folder / "sent.pem").write_bytes(pem_of(*pki.chain))
    (folder / "decoy.pem").write_bytes(pem_of(decoy.cert))
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key"], ["sent.pem", "decoy.pem"])
        await next_to(pilot, TargetStep)
        await next_to(pilot, ChainStep)
        unused = text_of(app, "#chain-unused")
    until = decoy.cert.not_valid_after_utc.strftime("%Y-%m-%d")
    assert unused == (
        "Not used (1):\n"
        f"  'CN=Example Root CA,O=Example' (decoy.pem, serial {serial_text(decoy.cert)}, until "
        f"{until}): it has the name of the issuer of 'CN=Example Issuing CA,O=Example' but its "
        "key did not sign it (a same-name CA with another key)")


async def test_fullchain_leaves_the_root_out_unless_ticked(folder, pki):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key"], ["certnew.p7b"])
        await next_to(pilot, TargetStep)
        await choose_target(pilot, "fullchain")
        await next_to(pilot, ChainStep)
        box = app.screen.query_one("#include-root", Checkbox)
        assert box.value is False
        assert ", not written" in app.screen.query_one(ChainTree).labels()[0]
        box.value = True
        await pilot.pause()
        assert ", not written" not in app.screen.query_one(ChainTree).labels()[0]
        await write_all(pilot)
        assert (folder / "expe-fullchain.pem").read_bytes() == pem_of(*pki.chain)


# --- what goes wrong ---------------------------------------------------------------------------


async def test_missing_intermediate_is_said_plainly(folder, pki):
    (folder / "sent.pem").write_bytes(pem_of(pki.root.cert, pki.leaf.cert))
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key"], ["sent.pem"])
        summary = text_of(app, "#check-summary")
        assert ("✗ the chain is incomplete: the issuer 'Example Issuing CA' is missing (see "
                "Findings)") in summary
        assert ("ERROR CHN-INCOMPLETE: The issuer of 'CN=expe.example.com' is missing: "
                "'CN=Example Issuing CA,O=Example'; key id") in text_of(app, "#check-findings")
        await next_to(pilot, TargetStep)
        await next_to(pilot, ChainStep)
        lines = app.screen.query_one(ChainTree).labels()
        assert lines[0] == "✗ MISSING: CN=Example Issuing CA,O=Example"
        assert lines[1].strip() == "not in the files given: ask the CA for it"
        aki = pki.leaf.cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
        assert lines[2].strip() == f"key id {aki.value.key_identifier.hex()}"
        assert text_of(app, "#missing-sentence").startswith(
            "The issuer of 'CN=expe.example.com' is missing: 'CN=Example Issuing CA,O=Example'")
        assert "Chain INCOMPLETE" in text_of(app, ".chain-headline")
        assert "Not used (1):" in text_of(app, "#chain-unused")
        assert app.screen.query_one("#include-root", Checkbox).disabled
        # Expressway with no root reached: the CA list would be empty, so only the leaf file.
        await next_to(pilot, ImportFilesStep)
        assert "review-errors" in {w.id for w in app.screen.query(Static)}
        await next_to(pilot, ConfirmDialog)
        assert "CHN-INCOMPLETE" in "\n".join(app.screen.details)
        await pilot.press("escape")  # Esc: do not write
        await on_screen(pilot, ImportFilesStep)
        assert "Nothing was written" in error_text(app)
        assert not list(folder.glob("expe.example.com-*"))


async def test_san_dropped_by_the_ca_is_named_and_writing_needs_a_yes(tmp_path):
    key = new_key("ec")
    root = issue("Lab Root", ca=True)
    dropped = issue("expe.example.com", issuer=root, key=key, sans=["expe.example.com"])
    (tmp_path / "expe.csr").write_bytes(make_csr(key, "expe.example.com", SANS).public_bytes(PEM))
    (tmp_path / "signed.cer").write_bytes(dropped.der)
    (tmp_path / "root.cer").write_bytes(root.pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.csr"], ["signed.cer", "root.cer"])
        summary = text_of(app, "#check-summary")
        assert "✗ the CA dropped names the CSR asked for: collab-edge.example.com" in summary
        findings = text_of(app, "#check-findings")
        assert findings.startswith("ERROR SAN-MISSING: the certificate lacks 1 of the names")
        await next_to(pilot, TargetStep)  # errors do not stop the flow here
        await choose_target(pilot, "fullchain")
        await next_to(pilot, ChainStep)
        await next_to(pilot, ImportFilesStep)
        await write_despite_errors(pilot, ImportNextStepsStep)
        assert (tmp_path / "expe-fullchain.pem").read_bytes() == pem_of(dropped.cert)


async def test_a_key_that_does_not_match_gives_the_cluster_peer_message(folder, pki):
    (folder / "peer.key").write_bytes(issue("expe2.example.com").key_pem)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["peer.key"], ["certnew.p7b"])
        summary = text_of(app, "#check-summary")
        assert "✗ does NOT match the private key in peer.key" in summary
        assert "cluster peer" in summary
        assert "KEY-MATCH: Certificate does not correspond to this private key" in text_of(
            app, "#check-findings")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CheckStep)  # no way on with someone else's certificate
        assert "cluster peer" in error_text(app)


async def test_no_csr_or_key_in_the_first_step_says_what_to_choose(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "import", RequestStep)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Choose the CSR or key file" in error_text(app)
        pick_files(pilot, ["certnew.p7b"])
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "no CSR or private key" in error_text(app))
        assert isinstance(app.screen, RequestStep)


async def test_a_locked_key_asks_for_its_password(folder, pki):
    (folder / "locked.key").write_bytes(key_pem(pki.leaf.key, b"s3cret"))
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "import", RequestStep)
        pick_files(pilot, ["locked.key"])
        await next_to(pilot, PasswordDialog)
        await pilot.press(*"s3cret", "enter")
        await on_screen(pilot, SentStep)
        assert app.screen.state.request.key is not None


async def test_existing_files_are_replaced_only_after_a_yes(folder, pki):
    old = b"old content\n"
    (folder / "expe-server.pem").write_bytes(old)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key"], ["certnew.p7b"])
        await next_to(pilot, TargetStep)
        await next_to(pilot, ChainStep)
        await next_to(pilot, ImportFilesStep)
        assert "REPLACES an existing file" in text_of(app, "#plan")
        await next_to(pilot, ConfirmDialog)
        assert app.screen.dialog_title == "Replace existing files?"
        assert app.screen.details == ["expe-server.pem"]
        assert app.screen.focused.id == "no"  # the safe answer is the default
        await pilot.press("enter")
        await on_screen(pilot, ImportFilesStep)
        assert (folder / "expe-server.pem").read_bytes() == old
        assert not (folder / "expe-trusted-ca.pem").exists()  # all or nothing
        await next_to(pilot, ConfirmDialog)
        await click(pilot, "#yes")
        await on_screen(pilot, ImportNextStepsStep)
        assert (folder / "expe-server.pem").read_bytes() == pem_of(pki.leaf.cert)


async def test_back_keeps_every_input(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key", "expe.csr"], ["certnew.p7b"])
        await next_to(pilot, TargetStep)
        await choose_target(pilot, "cms")
        app.screen.query_one("#cms-name", Input).value = "callbridge"
        await next_to(pilot, ChainStep)
        app.screen.query_one("#include-root", Checkbox).value = False
        await pilot.pause()
        await pilot.press("escape")
        await on_screen(pilot, TargetStep)
        await pilot.press("escape")
        await on_screen(pilot, CheckStep)
        await pilot.press("escape")
        await on_screen(pilot, SentStep)
        assert app.screen.query_one("#picker").sources().paths == (folder / "certnew.p7b",)
        await pilot.press("escape")
        await on_screen(pilot, RequestStep)
        assert app.screen.query_one("#picker").sources().paths == (
            folder / "expe.key", folder / "expe.csr")
        # Forward again: the step screens are new, built from what was kept.
        await next_to(pilot, SentStep)
        await next_to(pilot, CheckStep)
        await next_to(pilot, TargetStep)
        assert app.screen.query_one("#target", RadioSet).pressed_button.id == "target-cms"
        assert app.screen.query_one("#cms-name", Input).value == "callbridge"
        await next_to(pilot, ChainStep)
        assert app.screen.query_one("#include-root", Checkbox).value is False


async def test_a_folder_that_does_not_exist_is_refused_at_the_target_step(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key"], ["certnew.p7b"])
        await next_to(pilot, TargetStep)
        app.screen.query_one("#folder", Input).value = "nowhere"
        await pilot.pause()
        assert "does not exist" in str(app.screen.query_one("#folder-error").content)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, TargetStep)
        assert "nowhere: the folder does not exist" in error_text(app)


# --- the behaviours decided once in collabcert.jobs (issue 10), through the wizard -------------


async def test_the_write_dialog_names_the_blocking_errors_and_only_write_anyway_writes(tmp_path):
    """seed-001 AT-16: the CSR asked for clientAuth; the CA's template dropped it. The job says
    writing is blocked (the CLI refuses without --anyway); the wizard asks, naming the error."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    key = new_key("ec")
    root = issue("Lab Root", ca=True)
    leaf = issue("expe.example.com", issuer=root, key=key, sans=["expe.example.com"],
                 eku=[ExtendedKeyUsageOID.SERVER_AUTH])
    csr = (x509.CertificateSigningRequestBuilder().subject_name(leaf.cert.subject)
           .add_extension(x509.SubjectAlternativeName([x509.DNSName("expe.example.com")]), False)
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                 ExtendedKeyUsageOID.CLIENT_AUTH]), False)
           .sign(key, hashes.SHA256()))
    (tmp_path / "expe.csr").write_bytes(csr.public_bytes(PEM))
    (tmp_path / "signed.pem").write_bytes(pem_of(leaf.cert, root.cert))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.csr"], ["signed.pem"])
        assert "✗ usages the CSR asked for are missing: clientAuth" in text_of(app,
                                                                               "#check-summary")
        await next_to(pilot, TargetStep)
        await choose_target(pilot, "fullchain")
        await next_to(pilot, ChainStep)
        await next_to(pilot, ImportFilesStep)
        await next_to(pilot, ConfirmDialog)
        assert app.screen.question == ("Writing is blocked: the checks found 1 error: "
                                       "CRT-EKU-CLIENT. Write the files anyway?")
        assert app.screen.details[0].startswith("CRT-EKU-CLIENT: Server certificate lacks")
        # issue 12 item 9: the job's blocking errors, the same rule as the CLI's --anyway
        result = app.screen_stack[-2].state.result
        assert [f.id for f in result.blocking] == ["CRT-EKU-CLIENT"]
        assert result.to_write() == () and result.to_write(anyway=True) == result.files
        assert [str(b.label) for b in app.screen.query(Button)] == ["Write anyway", "Back"]
        await click(pilot, "#no")
        await on_screen(pilot, ImportFilesStep)
        assert not (tmp_path / "expe-fullchain.pem").exists()
        await write_despite_errors(pilot, ImportNextStepsStep)
        assert (tmp_path / "expe-fullchain.pem").read_bytes() == pem_of(leaf.cert)


async def test_without_error_findings_the_files_are_written_with_no_question(folder, pki):
    """issue 12 item 9, the other way: no errors, so Write files writes at once (as the CLI
    does without --anyway)."""
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key", "expe.csr"], ["certnew.p7b"])
        await next_to(pilot, TargetStep)
        await choose_target(pilot, "cms")
        await next_to(pilot, ChainStep)
        await next_to(pilot, ImportFilesStep)
        assert app.screen.state.result.blocking == ()
        seen: list[str] = []  # every screen shown on the way: no dialog among them
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: (seen.append(type(app.screen).__name__) or True)
                       and isinstance(app.screen, (ImportNextStepsStep, ConfirmDialog)))
        assert "ConfirmDialog" not in seen
    assert (folder / "expe.crt").read_bytes() == pki.leaf.pem
    assert (folder / "expebundle.crt").read_bytes().startswith(pki.intermediate.pem)


async def test_the_files_and_next_steps_are_the_jobs(folder, pki):
    """What the wizard writes is exactly what the bundle job (and so `collabcert bundle`) plans."""
    from collabcert.jobs.bundle import BundleOptions, bundle_job
    from collabcert.jobs.importing import request_from
    from collabcert.load import load_path

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await to_check(pilot, ["expe.key"], ["certnew.p7b"])
        await next_to(pilot, TargetStep)
        await choose_target(pilot, "cms")
        await next_to(pilot, ChainStep)
        await next_to(pilot, ImportFilesStep)
        shown = app.screen.state.result
    check = shown.checked.check
    assert check is not None and check.key_matches is True
    job = bundle_job([("certnew.p7b", load_path(folder / "certnew.p7b"))],
                     BundleOptions("cms", out_dir=folder),
                     request_from([("expe.key", load_path(folder / "expe.key"))]),
                     at=shown.checked.at)
    assert [(f.path, f.data) for f in shown.files] == [(f.path, f.data) for f in job.files]
    assert shown.next_steps == job.next_steps
    assert [p.path.name for p in job.files] == ["expe.crt", "expebundle.crt"]
