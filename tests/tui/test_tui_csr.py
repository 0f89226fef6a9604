"""Pilot tests of "Create a key and CSR": real keys and CSRs written through the screens.

Each test drives the flow with key presses, then parses the files written: CN, SANs in order, key
type, EKU, the signature and the key file mode (0600). Role IDs and field names are those of
DESIGN.md; the SAN order is seed-001 §1.14 (CN first, then the role table order).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pki import key_pem, mode_of, new_key
from textual.widgets import (
    Checkbox,
    Input,
    OptionList,
    RadioSet,
    Select,
    Static,
    TabbedContent,
    TextArea,
)
from textual.worker import WorkerState
from tui_support import (
    SIZE,
    click,
    error_text,
    next_to,
    on_screen,
    open_questions,
    text_of,
    type_field,
    wait_for,
)

from collabcert import answers, csr, roles
from collabcert.screens.csr import (
    CsrFlow,
    CsrKeyStep,
    CsrProductStep,
    CsrQuestionsStep,
    CsrRoleStep,
    help_topic_for,
)
from collabcert.screens.csr_review import CsrDoneStep, CsrReviewStep
from collabcert.tui.app import CollabcertApp
from collabcert.tui.dialogs import ConfirmDialog, PasswordDialog
from collabcert.tui.help import HelpScreen, help_text
from collabcert.tui.sanpreview import SanPreview


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder)


class KeyGate:
    """Holds the real key generation (collabcert.csr.new_key, unchanged) until the test lets it
    go. "While the key is being made" is then a state the test is in, not a race against how fast
    RSA-4096 happens to be on a loaded machine: a key made before the test's next key press had
    the second Write land on the Done step (which goes home and removed a screen whose header was
    still updating). The held thread sleeps, so Pilot's idle waits work as usual."""

    def __init__(self, monkeypatch) -> None:
        self.started, self.released = threading.Event(), threading.Event()
        real = csr.new_key

        def held(plan):
            self.started.set()
            self.released.wait(120)
            return real(plan)

        monkeypatch.setattr(csr, "new_key", held)

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def key_gate(monkeypatch):
    gate = KeyGate(monkeypatch)
    yield gate
    gate.release()  # never leave a worker thread waiting after the test


def why(app, name: str) -> str:
    return text_of(app, f"#why-{name}")


async def to_key_step(pilot, role_id: str, fqdn: str) -> None:
    """The questions of `role_id` with only the FQDN answered, then Next to the key step."""
    await open_questions(pilot, role_id)
    await type_field(pilot, "fqdn", fqdn)
    await next_to(pilot, CsrKeyStep)


async def pick_radio(pilot, set_id: str, button_id: str) -> None:
    radios = pilot.app.screen.query_one(set_id, RadioSet)
    ids = [b.id for b in radios.query("RadioButton")]
    radios.focus()
    await pilot.pause()
    # the RadioSet cursor starts on the pressed button; walk from the top
    await pilot.press(*["up"] * len(ids), *["down"] * ids.index(button_id), "enter")
    await pilot.pause()
    assert radios.pressed_button is not None and radios.pressed_button.id == button_id


async def write_and_finish(pilot) -> None:
    await on_screen(pilot, CsrReviewStep)
    await pilot.press("ctrl+n")
    await on_screen(pilot, CsrDoneStep)


def read_csr(path: Path) -> x509.CertificateSigningRequest:
    request = x509.load_pem_x509_csr(path.read_bytes())
    assert request.is_signature_valid
    return request


def cn_of(request: x509.CertificateSigningRequest) -> str:
    return request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def sans_of(request: x509.CertificateSigningRequest) -> list[str]:
    try:
        ext = request.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return ext.value.get_values_for_type(x509.DNSName)


def eku_of(request: x509.CertificateSigningRequest) -> list:
    return list(request.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


# --- the three roles of the issue, end to end --------------------------------------------------


async def test_expressway_e_mra_xmpp_federation_and_chat_aliases(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-e")
        screen = app.screen
        assert not screen.query_one("#row-ucm-domain-format").display  # depends on ucm-domains
        await type_field(pilot, "fqdn", "expe.example.com")
        await type_field(pilot, "ucm-domains", "example.com, example.org")
        assert screen.query_one("#row-ucm-domain-format").display
        await type_field(pilot, "xmpp-domains", "example.com")
        await type_field(pilot, "chat-aliases", "chat1.example.com,chat2.example.com")
        await type_field(pilot, "o", "Example Ltd")
        await type_field(pilot, "c", "gb")
        expected = ["expe.example.com", "collab-edge.example.com", "collab-edge.example.org",
                    "example.com", "chat1.example.com", "chat2.example.com"]
        preview = screen.query_one(SanPreview).shown
        assert "SANs  " + " ".join(f"DNS:{n}" for n in expected) in preview

        await next_to(pilot, CsrKeyStep)
        await pick_radio(pilot, "#key-type", "key-ec-p256")
        await pick_radio(pilot, "#digest", "digest-sha384")
        await next_to(pilot, CsrReviewStep)
        summary = text_of(app, "#review-summary")
        assert "Subject   CN=expe.example.com,O=Example Ltd,C=GB" in summary
        assert "ECDSA P-256, new (not encrypted)" in summary
        findings = text_of(app, "#review-findings")
        assert "INFO ROLE-MULTISAN" in findings and "ROLE-CHAT-MISMATCH" in findings
        files = text_of(app, "#review-files")
        assert "expressway-e.key  private key, mode 0600" in files
        assert "expressway-e.csr  CSR" in files
        await write_and_finish(pilot)

        request = read_csr(tmp_path / "expressway-e.csr")
        assert cn_of(request) == "expe.example.com"
        assert sans_of(request) == expected
        assert isinstance(request.public_key(), ec.EllipticCurvePublicKey)
        assert request.public_key().curve.name == "secp256r1"
        assert request.signature_hash_algorithm.name == "sha384"
        assert eku_of(request) == [ExtendedKeyUsageOID.SERVER_AUTH,
                                   ExtendedKeyUsageOID.CLIENT_AUTH]  # seed-001 L318
        key_file = tmp_path / "expressway-e.key"
        assert mode_of(key_file) == 0o600
        key = serialization.load_pem_private_key(key_file.read_bytes(), None)
        assert key.public_key() == request.public_key()

        # Result: next steps say what to ask the CA, the CSR can be copied, the on-box config.
        done = app.screen
        steps = text_of(app, "#next-steps")
        assert "multi-domain (multi-SAN) certificate" in steps
        assert "Maintenance > Security > Server certificate" in steps
        onbox = done.query_one("#onbox", TextArea).text
        assert "subjectAltName = DNS:expe.example.com,DNS:collab-edge.example.com" in onbox
        await click(pilot, "#copy-csr")
        await wait_for(pilot, lambda: app.clipboard)
        assert app.clipboard == (tmp_path / "expressway-e.csr").read_text()
        await pilot.press("ctrl+n")  # Done: back home
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")


async def test_cms_database_client_cn_is_postgres_and_not_editable(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "cms-db-client")
        screen = app.screen
        fixed = screen.query_one("#fixed-cn", Input)
        assert fixed.value == "postgres" and fixed.disabled
        assert not screen.query("#f-fqdn") and not screen.query("#f-cn")
        assert "CN    postgres" in screen.query_one(SanPreview).shown
        assert "no SAN" in screen.query_one(SanPreview).shown
        await next_to(pilot, CsrKeyStep)
        radios = app.screen.query_one("#key-type", RadioSet)
        assert radios.pressed_button.id == "key-rsa-2048"  # the Meeting Server default
        await next_to(pilot, CsrReviewStep)
        await write_and_finish(pilot)
        request = read_csr(tmp_path / "dbcluster_client.csr")  # no dots: seed-003 G1/G2
        assert cn_of(request) == "postgres"
        assert sans_of(request) == []
        assert eku_of(request) == [ExtendedKeyUsageOID.CLIENT_AUTH]  # seed-003 R14
        assert isinstance(request.public_key(), rsa.RSAPublicKey)
        assert request.public_key().key_size == 2048
        assert mode_of(tmp_path / "dbcluster_client.key") == 0o600
        onbox = app.screen.query_one("#onbox", TextArea).text
        assert "pki csr dbcluster_client CN:postgres" in onbox


async def test_cucm_tomcat_ecdsa_multi_server(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "cucm-tomcat-ecdsa")
        await type_field(pilot, "fqdn", "cucm1.example.com")
        await type_field(pilot, "multi-server-fqdns", "cucm2.example.com, CUCM1.example.com")
        await next_to(pilot, CsrKeyStep)
        radios = app.screen.query_one("#key-type", RadioSet)
        offered = [b.id for b in radios.query("RadioButton")]
        assert offered == ["key-ec-p256", "key-ec-p384", "key-ec-p521"]  # seed-004 CU-P04
        assert radios.pressed_button.id == "key-ec-p256"  # settings say rsa:2048: not offered
        await next_to(pilot, CsrReviewStep)
        findings = text_of(app, "#review-findings")
        assert "WARNING CU-LOCAL-KEY" in findings
        await write_and_finish(pilot)
        request = read_csr(tmp_path / "tomcat-ecdsa.csr")
        # issue 13 item 11: a multi-server CN is <host>-ms.<parent domain> and the SAN holds
        # the nodes and the parent domain (seed-000-002 L374, L394-398); it was the node FQDN
        assert cn_of(request) == "cucm1-ms.example.com"
        assert sans_of(request) == ["cucm1-ms.example.com", "cucm1.example.com",
                                    "cucm2.example.com", "example.com"]  # dupes dropped
        assert isinstance(request.public_key(), ec.EllipticCurvePublicKey)
        assert mode_of(tmp_path / "tomcat-ecdsa.key") == 0o600
        onbox = app.screen.query_one("#onbox", TextArea).text
        assert "tomcat-ECDSA" in onbox


# --- validation and Back -------------------------------------------------------------------------


async def test_invalid_fqdn_shows_the_reason_and_next_stays(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-e")
        await type_field(pilot, "fqdn", "expe")
        assert "single label" in why(app, "fqdn")
        assert app.screen.query_one("#f-fqdn").has_class("invalid")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CsrQuestionsStep)
        assert "fqdn: 'expe' is a single label" in error_text(app)
        await type_field(pilot, "fqdn", "10.1.1.1")
        assert "IP address" in why(app, "fqdn")
        await type_field(pilot, "fqdn", "*.example.com")
        assert why(app, "fqdn")  # Expressway refuses wildcards (seed-001 G4-G6)
        await type_field(pilot, "xmpp-domains", "user@example.com")
        assert "XMPP address" in why(app, "xmpp-domains")
        await type_field(pilot, "fqdn", "expe.example.com")
        await type_field(pilot, "xmpp-domains", "example.com")
        assert why(app, "fqdn") == "" and not app.screen.query_one("#why-fqdn").display
        await next_to(pilot, CsrKeyStep)


async def test_missing_required_answer_keeps_the_step(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "cms-xmpp")
        await type_field(pilot, "fqdn", "xmpp.example.com")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CsrQuestionsStep)
        assert error_text(app) == "XMPP domain is needed: type it (F1 explains it)."
        assert app.focused is app.screen.query_one("#f-xmpp-domain")


async def test_back_keeps_what_was_typed(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-c")
        await type_field(pilot, "fqdn", "expc.example.com")
        await type_field(pilot, "phone-profiles", "jabbersecure.example.com")
        await next_to(pilot, CsrKeyStep)
        await pick_radio(pilot, "#key-type", "key-rsa-4096")
        await pilot.press("escape")  # back to the questions: the same screen, as it was left
        await on_screen(pilot, CsrQuestionsStep)
        assert app.screen.query_one("#f-fqdn", Input).value == "expc.example.com"
        await pilot.press("escape")
        await on_screen(pilot, CsrRoleStep)
        await pilot.press("escape")
        await on_screen(pilot, CsrProductStep)
        # forward again: every step is built fresh from what was kept
        await next_to(pilot, CsrRoleStep)
        assert app.screen.query_one("#roles", OptionList).highlighted_option.id == "expressway-c"
        await next_to(pilot, CsrQuestionsStep)
        assert app.screen.query_one("#f-fqdn", Input).value == "expc.example.com"
        assert app.screen.query_one("#f-phone-profiles", Input).value == (
            "jabbersecure.example.com")
        await next_to(pilot, CsrKeyStep)
        assert app.screen.query_one("#key-type", RadioSet).pressed_button.id == "key-rsa-4096"


async def test_subject_defaults_come_from_settings_and_markup_is_shown_as_typed(tmp_path,
                                                                               monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text('key_type = "ec:p384"\n[subject]\no = "[Acme] Ltd"\nc = "DE"\n'
                        'l = "Köln"\n')
    monkeypatch.setenv("COLLABCERT_SETTINGS", str(settings))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-e")
        assert app.screen.query_one("#f-o", Input).value == "[Acme] Ltd"
        assert app.screen.query_one("#f-c", Input).value == "DE"
        await type_field(pilot, "fqdn", "expe.example.com")
        await next_to(pilot, CsrKeyStep)
        assert app.screen.query_one("#key-type", RadioSet).pressed_button.id == "key-ec-p384"
        await next_to(pilot, CsrReviewStep)
        summary = text_of(app, "#review-summary")
        assert "CN=expe.example.com,O=[Acme] Ltd,L=Köln,C=DE" in summary


# --- writing: the worker, overwrite, encryption, reuse ----------------------------------------


async def test_ui_stays_responsive_while_rsa_4096_is_generated(tmp_path, key_gate):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_key_step(pilot, "expressway-e", "expe.example.com")
        await pick_radio(pilot, "#key-type", "key-rsa-4096")
        await next_to(pilot, CsrReviewStep)
        review = app.screen
        await pilot.press("ctrl+n")
        await wait_for(pilot, key_gate.started.is_set)  # the key is being made from here on
        working = review.query_one("#working")
        assert working.display
        assert "Generating the RSA 4096 key" in str(review.query_one("#working-text").content)
        worker = next(w for w in app.workers if w.group == "csr-write")
        before = app.focused
        await pilot.press("tab")  # handled by the UI while the key is being made
        await wait_for(pilot, lambda: app.focused is not before)
        assert worker.state is WorkerState.RUNNING
        assert app.focused is not before
        await pilot.press("ctrl+n")  # a second Write while busy is ignored
        assert worker.state is WorkerState.RUNNING and isinstance(app.screen, CsrReviewStep)
        key_gate.release()
        await on_screen(pilot, CsrDoneStep)
        request = read_csr(tmp_path / "expressway-e.csr")
        assert request.public_key().key_size == 4096


async def test_esc_during_key_generation_stops_and_writes_nothing(tmp_path, key_gate):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_key_step(pilot, "expressway-e", "expe.example.com")
        await pick_radio(pilot, "#key-type", "key-rsa-4096")
        await next_to(pilot, CsrReviewStep)
        threads = threading.active_count()
        await pilot.press("ctrl+n")
        await wait_for(pilot, key_gate.started.is_set)
        assert app.screen.query_one("#working").display
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Stopped" in error_text(app))
        assert isinstance(app.screen, CsrReviewStep)
        assert "Stopped" in error_text(app)
        key_gate.release()  # the cancelled worker's key comes, and is thrown away
        await wait_for(pilot, lambda: threading.active_count() < threads + 1)
        assert not list(tmp_path.glob("expressway-e.*"))


async def test_existing_files_are_replaced_only_after_a_yes(tmp_path):
    (tmp_path / "expressway-e.csr").write_text("old\n")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_key_step(pilot, "expressway-e", "expe.example.com")
        await next_to(pilot, CsrReviewStep)
        files = text_of(app, "#review-files")
        assert "expressway-e.csr  CSR, mode 0644  REPLACES an existing file" in files
        await next_to(pilot, ConfirmDialog)
        await pilot.press("escape")  # no
        await on_screen(pilot, CsrReviewStep)
        assert "Nothing was written" in error_text(app)
        assert (tmp_path / "expressway-e.csr").read_text() == "old\n"
        assert not (tmp_path / "expressway-e.key").exists()
        await next_to(pilot, ConfirmDialog)
        await click(pilot, "#yes")
        await on_screen(pilot, CsrDoneStep)
        assert cn_of(read_csr(tmp_path / "expressway-e.csr")) == "expe.example.com"


async def test_encrypted_key_asks_twice_and_says_expressway_needs_it_unlocked(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_key_step(pilot, "expressway-e", "expe.example.com")
        key_step = app.screen
        assert not key_step.query_one("#encrypt-note").display
        key_step.query_one("#encrypt", Checkbox).focus()
        await pilot.press("space")
        await on_screen(pilot, PasswordDialog)
        await pilot.press(*"s3cret", "enter", *"s3cret", "enter")
        await on_screen(pilot, CsrKeyStep)
        note = key_step.query_one("#encrypt-note", Static)
        assert note.display and "need the key UNLOCKED" in str(note.content)
        await next_to(pilot, CsrReviewStep)
        review_findings = text_of(app, "#review-findings")
        assert "WARNING KEY-LOCKED" in review_findings  # said before anything is written
        await write_and_finish(pilot)
        pem = (tmp_path / "expressway-e.key").read_bytes()
        assert b"ENCRYPTED" in pem
        serialization.load_pem_private_key(pem, b"s3cret")
        findings = text_of(app, "#done-findings")
        assert "KEY-LOCKED" in findings


async def test_reusing_an_existing_key_signs_the_csr_with_it(tmp_path):
    old = new_key("ec")
    (tmp_path / "old.key").write_bytes(key_pem(old))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_key_step(pilot, "cucm-tomcat-ecdsa", "cucm1.example.com")
        app.screen.query_one("#reuse", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        field = app.screen.query_one("#reuse-path", Input)
        assert field.display
        field.focus()
        await pilot.press(*"old.key")
        await next_to(pilot, CsrReviewStep)
        assert "reused from old.key" in str(app.screen.query_one("#review-summary").content)
        await write_and_finish(pilot)
        request = read_csr(tmp_path / "tomcat-ecdsa.csr")
        assert request.public_key() == old.public_key()
        findings = text_of(app, "#done-findings")
        assert "KEY-REUSED" in findings


async def test_review_and_done_show_the_csr_jobs_findings_and_next_steps(tmp_path):
    # issue 10: the review's findings and the result's next steps are the csr job's, the same
    # `collabcert csr` prints (a CMS role with two SANs gets the multi-SAN step on both faces)
    from collabcert.jobs.csr import review_csr
    from collabcert.screens.csr_state import finding_lines

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "cms-webbridge")
        await type_field(pilot, "fqdn", "join.example.com")
        await type_field(pilot, "additional-names", "meet.example.com")
        await next_to(pilot, CsrKeyStep)
        await next_to(pilot, CsrReviewStep)
        review = review_csr(app.screen.state.plan, tmp_path)
        assert text_of(app, "#review-findings") == "\n".join(
            finding_lines(review.findings) or ["none"])
        await write_and_finish(pilot)
        steps = text_of(app, "#next-steps").splitlines()
    # issue 12 item 16: the job's steps, with the seed ids said as the Cisco document's name:
    # the full name once in the text, the short name after (was: the full name on every line)
    from collabcert.citations import plain_citations

    assert steps == plain_citations("\n".join(
        f"{n}. {step}" for n, step in enumerate(review.next_steps, 1))).splitlines()
    assert "\n".join(steps).count("Cisco Meeting Server 2.1 certificate guidelines") == 1
    assert "seed-" not in "\n".join(steps)
    assert steps[1].startswith("2. Ask the CA for a multi-domain (multi-SAN) certificate")


async def test_reusing_an_rsa_key_for_an_ecdsa_role_is_refused(tmp_path):
    old = new_key("rsa")
    (tmp_path / "old.key").write_bytes(key_pem(old))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_key_step(pilot, "cucm-tomcat-ecdsa", "cucm1.example.com")
        app.screen.query_one("#reuse", Checkbox).value = True
        app.screen.query_one("#reuse-path", Input).value = "old.key"
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "EC key" in error_text(app))
        assert isinstance(app.screen, CsrKeyStep)


# --- answers files -------------------------------------------------------------------------------


async def test_save_answers_then_start_a_new_run_from_them(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-e")
        await type_field(pilot, "fqdn", "expe.example.com")
        await type_field(pilot, "ucm-domains", "example.com")
        await next_to(pilot, CsrKeyStep)
        await pick_radio(pilot, "#key-type", "key-ec-p256")
        await next_to(pilot, CsrReviewStep)
        button = app.screen.query_one("#save-answers")
        button.scroll_visible(animate=False)
        await pilot.pause()
        await click(pilot, "#save-answers")
        await wait_for(pilot, lambda: text_of(app, "#answers-status"))
        assert "Saved expressway-e-answers.toml" in text_of(app, "#answers-status")
    saved = answers.load(tmp_path / "expressway-e-answers.toml")
    assert saved.role == "expressway-e" and saved.key == "ec:p256"
    assert saved.fields["fqdn"] == "expe.example.com"
    assert saved.fields["ucm-domains"] == ("example.com",)

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_task("csr")
        await on_screen(pilot, CsrProductStep)
        app.screen.query_one("#answers-file", Input).focus()
        await pilot.press(*"expressway-e-answers.toml", "enter")
        await pilot.pause()
        assert "Loaded expressway-e-answers.toml: role expressway-e" in text_of(
            app, "#answers-status")
        await next_to(pilot, CsrRoleStep)
        await next_to(pilot, CsrQuestionsStep)
        assert app.screen.query_one("#f-fqdn", Input).value == "expe.example.com"
        assert app.screen.query_one("#f-ucm-domains", Input).value == "example.com"
        assert app.screen.query_one("#f-ucm-domain-format", Select).value == "collab-edge"
        await next_to(pilot, CsrKeyStep)
        assert app.screen.query_one("#key-type", RadioSet).pressed_button.id == "key-ec-p256"


async def test_a_broken_answers_file_is_explained(tmp_path):
    (tmp_path / "bad.toml").write_text('role = "nope"\n')
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_task("csr")
        await on_screen(pilot, CsrProductStep)
        app.screen.query_one("#answers-file", Input).value = "bad.toml"
        await click(pilot, "#load-answers")
        await wait_for(pilot, lambda: text_of(app, "#answers-status"))
        status = text_of(app, "#answers-status")
        assert status.startswith("Not loaded: unknown role 'nope'")


# --- help ----------------------------------------------------------------------------------------


def test_every_question_of_every_role_has_its_own_help_topic():
    for role in roles.catalogue():
        for spec in role.fields:
            topic = help_topic_for(role.product, spec)
            assert topic != "csr-questions", (role.id, spec.name)
            text = help_text(topic)
            assert text is not None
            if spec.group == "role":
                assert spec.label in text, (role.id, spec.name, topic)
    for step in CsrFlow.steps:
        assert help_text(step.help_topic) is not None, step


async def test_f1_explains_the_focused_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "expressway-e")
        app.screen.query_one("#f-ucm-domains").focus()
        await pilot.pause()
        assert "Unified CM registration domains:" in text_of(app, "#field-help")
        await pilot.press("f1")
        await on_screen(pilot, HelpScreen)
        assert app.screen.topic == "csr-expressway-ucm-domains"
        await pilot.press("escape")
        await on_screen(pilot, CsrQuestionsStep)


async def test_result_tabs_show_csr_and_findings(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "cms-webbridge")
        await type_field(pilot, "fqdn", "join.example.com")
        await type_field(pilot, "additional-names", "*.example.com, 192.0.2.10")
        await next_to(pilot, CsrKeyStep)
        await next_to(pilot, CsrReviewStep)
        await write_and_finish(pilot)
        tabs = app.screen.query_one("#done-tabs", TabbedContent)
        tabs.active = "tab-csr"
        await pilot.pause()
        pem = text_of(app, "#csr-pem")
        assert pem == (tmp_path / "webbridge.csr").read_text()
        onbox = app.screen.query_one("#onbox", TextArea).text
        assert "pki csr webbridge CN:join.example.com subjectAltName:*.example.com,192.0.2.10" \
            in onbox


async def test_answers_for_fields_the_role_does_not_have_are_named(tmp_path):
    (tmp_path / "a.toml").write_text('role = "cms-xmpp"\n[fields]\nfqdn = "xmpp.example.com"\n'
                                     'xmpp-domain = "example.com"\nbogus = "x"\n')
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_task("csr")
        await on_screen(pilot, CsrProductStep)
        app.screen.query_one("#answers-file", Input).value = "a.toml"
        await click(pilot, "#load-answers")
        await wait_for(pilot, lambda: text_of(app, "#answers-status"))
        status = text_of(app, "#answers-status")
        assert "role cms-xmpp with 2 answer(s)" in status
        assert "Not used (not a field of cms-xmpp): bogus." in status
        await next_to(pilot, CsrRoleStep)
        await next_to(pilot, CsrQuestionsStep)
        preview = app.screen.query_one(SanPreview).shown
        assert "SANs  DNS:xmpp.example.com DNS:example.com" in preview  # seed-003 AT03


async def test_item10_cucm_role_choice_and_done_say_generate_on_the_node(tmp_path):
    """seed-004 CU-LOCAL-KEY, L423: CUCM and IM and Presence take no private key upload; the
    role choice says the CSR is generated on the node, the Done screen opens on the on-node
    plan (IM and Presence: its own OS Administration) and calls the files a lab or profile
    check."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "imp-cup-xmpp")
        await pilot.press("escape")  # back to the role choice: it said so before choosing
        await on_screen(pilot, CsrRoleStep)
        assert "generated on the node itself" in text_of(app, "#on-node-note")
        await pilot.press("enter")
        await on_screen(pilot, CsrQuestionsStep)
        await type_field(pilot, "fqdn", "cups.example.com")
        await next_to(pilot, CsrKeyStep)
        await next_to(pilot, CsrReviewStep)
        await write_and_finish(pilot)
        assert app.screen.query_one("#done-tabs").active == "tab-onbox"
        onbox = app.screen.query_one("#onbox", TextArea).text
        assert "generate the CSR on cups.example.com itself" in onbox
        assert "Cisco Unified IM and Presence OS Administration > Security" in onbox
        assert "Certificate Purpose             cup-xmpp" in onbox
        assert "lab or a profile check" in text_of(app, "#done-headline")
        steps = text_of(app, "#next-steps")
        assert "1. On the node: Cisco Unified IM and Presence OS Administration" in steps
        assert "Import what the CA sends back" in steps
        assert "upload the signed certificate as" not in steps.lower()
