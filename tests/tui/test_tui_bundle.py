"""Pilot tests of "Build a bundle or trust list" on files made in the test (issue 6, item 6).

Trust lists: duplicates merged, same-CN pairs (seed-000-002 TRUST-DUP-CN), CAs without
basicConstraints (seed-001 F14), expired CAs, more than 1000 entries (seed-001 F12); then the
files on disk (content, order, modes) and the next steps. Chains: ordered by signature.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from pki import DAY, NOW, issue, make_pki, mode_of, name, pem_of
from textual.widgets import Checkbox, Select
from tui_support import (
    SIZE,
    click,
    next_to,
    on_screen,
    pick_files,
    start_task,
    table_rows,
    text_of,
    wait_for,
    write_despite_errors,
)

from collabcert.screens.bundle import (
    BundleFilesStep,
    BundleFindingsStep,
    BundleNextStepsStep,
    BundleWhatStep,
    BundleWriteStep,
)
from collabcert.tui.app import CollabcertApp
from collabcert.tui.chaintree import ChainTree
from collabcert.tui.dialogs import ConfirmDialog


@pytest.fixture(scope="module")
def pki():
    return make_pki()


@pytest.fixture(scope="module")
def cas():
    """Two different self-signed CAs named 'Lab CA', a CA without basicConstraints, an old CA."""
    lab_a = issue(name("Lab CA", "Site A"), ca=True)
    lab_b = issue(name("Lab CA", "Site B"), ca=True)
    no_bc = issue("Legacy CA", ca=True, basic_constraints=False)
    old = issue("Old CA", ca=True, not_before=NOW - 800 * DAY, not_after=NOW - 30 * DAY)
    return lab_a, lab_b, no_bc, old


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder, task_modules=("collabcert.screens.bundle",))


async def to_what(pilot, files: list[str]) -> None:
    await start_task(pilot, "bundle", BundleFilesStep)
    pick_files(pilot, files)
    await next_to(pilot, BundleWhatStep)


async def choose(pilot, kind: str) -> None:
    await click(pilot, f"#kind-{kind}")
    await wait_for(pilot, lambda: pilot.app.screen.query_one(f"#kind-{kind}").value)


async def test_expressway_trust_list_merges_duplicates_and_flags_each_problem(tmp_path, cas):
    lab_a, lab_b, no_bc, old = cas
    (tmp_path / "site-a.pem").write_bytes(lab_a.pem)
    (tmp_path / "site-a-again.cer").write_bytes(lab_a.der)  # the same certificate twice
    (tmp_path / "site-b.pem").write_bytes(lab_b.pem)
    (tmp_path / "legacy.cer").write_bytes(no_bc.der)
    (tmp_path / "old.pem").write_bytes(old.pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["site-a.pem", "site-a-again.cer", "site-b.pem",
                                        "legacy.cer", "old.pem"])
        assert app.screen.query_one("#kind").pressed_button.id == "kind-trust-expressway"
        assert not app.screen.query_one("#bundle-root", Checkbox).display  # chains only
        await next_to(pilot, BundleFindingsStep)
        headline = text_of(app, "#findings-headline")
        assert headline.startswith("Expressway trusted CA list: 4 certificate(s), 1 identical "
                                   "duplicate(s) merged; ")
        rows = table_rows(app, "#entries")
        assert [r[0] for r in rows] == ["Lab CA", "Lab CA", "Legacy CA", "Old CA"]
        assert rows[0][3] == "site-a.pem, site-a-again.cer"
        assert rows[2][1] == "NO BC"
        findings = text_of(app, "#bundle-findings")
        # two CA certificates sharing a CN: a warning (issue 13 item 5, 001 L838)
        assert "WARNING TRUST-DUP-CN: 2 different CA certificates have the CN 'Lab CA'" in findings
        assert "ERROR CHN-NOTCA: CA certificate 'CN=Legacy CA' has no basicConstraints" in findings
        assert "WARNING CHN-EXPIRED: 'CN=Old CA' expired on" in findings
        assert findings.index("ERROR") < findings.index("WARNING")  # errors first

        await next_to(pilot, BundleWriteStep)
        assert "The checks found 1 error, 2 warnings" in text_of(app, "#review-errors")
        await write_despite_errors(pilot, BundleNextStepsStep)
        written = tmp_path / "trusted-ca-list.pem"
        assert written.read_bytes() == pem_of(lab_a.cert, lab_b.cert, no_bc.cert, old.cert)
        assert mode_of(written) == 0o644
        assert "Append CA certificate, with trusted-ca-list.pem" in text_of(app, "#next-steps")
        assert "(mode 0644, 4 certificates)" in text_of(app, "#written")


async def test_cucm_trust_set_is_one_file_per_certificate_roots_first(tmp_path, pki):
    (tmp_path / "cas.pem").write_bytes(pem_of(pki.intermediate.cert, pki.root.cert))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["cas.pem"])
        await choose(pilot, "trust-cucm")
        app.screen.query_one("#cucm-type", Select).value = "tomcat-ECDSA"
        await pilot.pause()
        await next_to(pilot, BundleFindingsStep)
        assert "no problems" in text_of(app, "#findings-headline")
        await next_to(pilot, BundleWriteStep)
        await pilot.press("ctrl+n")  # no errors, nothing exists: written at once
        await on_screen(pilot, BundleNextStepsStep)
        root_file = tmp_path / "1-tomcat-trust-Example_Root_CA.pem"
        issuing_file = tmp_path / "2-tomcat-trust-Example_Issuing_CA.pem"
        assert root_file.read_bytes() == pem_of(pki.root.cert)
        assert issuing_file.read_bytes() == pem_of(pki.intermediate.cert)
        steps = text_of(app, "#next-steps").splitlines()
        assert steps[0].endswith("purpose tomcat-trust, file 1-tomcat-trust-Example_Root_CA.pem")


async def test_a_chain_for_a_target_is_ordered_by_signature_without_a_key(tmp_path, pki):
    # Shuffled, in three files and two formats; the leaf is the one that issued nothing.
    (tmp_path / "a.cer").write_bytes(pki.root.der)
    (tmp_path / "b.pem").write_bytes(pki.leaf.pem)
    (tmp_path / "c.pem").write_bytes(pki.intermediate.pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["a.cer", "b.pem", "c.pem"])
        await choose(pilot, "chain-fullchain")
        assert app.screen.query_one("#bundle-root", Checkbox).value is False  # fullchain default
        await choose(pilot, "chain-expressway")
        assert app.screen.query_one("#bundle-root", Checkbox).value is True  # expressway's
        await choose(pilot, "chain-fullchain")
        app.screen.query_one("#bundle-root", Checkbox).value = True
        await pilot.pause()
        await next_to(pilot, BundleFindingsStep)
        lines = app.screen.query_one(ChainTree).labels()
        assert [line.strip().split("  ")[0] for line in lines[::2]] == [
            "Example Root CA", "Example Issuing CA", "expe.example.com"]
        await next_to(pilot, BundleWriteStep)
        await pilot.press("ctrl+n")
        await on_screen(pilot, BundleNextStepsStep)
        assert (tmp_path / "expe.example.com-fullchain.pem").read_bytes() == pem_of(*pki.chain)


async def test_more_than_1000_cas_is_an_error_for_expressway(tmp_path):
    key = ec.derive_private_key(4242, ec.SECP256R1())  # one key: signing is the cheap part
    start = NOW - DAY  # judged at the app's clock: valid on any day the test runs
    blocks = []
    for number in range(1001):
        subject = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, f"CA {number}")])
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                .public_key(key.public_key()).serial_number(number + 1)
                .not_valid_before(start).not_valid_after(start + 3650 * DAY)
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                .sign(key, hashes.SHA256()))
        blocks.append(cert)
    (tmp_path / "many.pem").write_bytes(pem_of(*blocks))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["many.pem"])
        await next_to(pilot, BundleFindingsStep)
        findings = text_of(app, "#bundle-findings")
        assert ("ERROR CHN-MAX: the list has 1001 CA certificates; the Expressway trust store "
                "holds at most 1000") in findings


async def test_back_keeps_the_choices(tmp_path, pki):
    (tmp_path / "cas.pem").write_bytes(pem_of(pki.intermediate.cert, pki.root.cert))
    (tmp_path / "out").mkdir()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["cas.pem"])
        await choose(pilot, "trust-cucm")
        app.screen.query_one("#cucm-type", Select).value = "CallManager"
        app.screen.query_one("#folder").value = "out"
        await pilot.pause()
        await next_to(pilot, BundleFindingsStep)
        await pilot.press("escape")
        await on_screen(pilot, BundleWhatStep)
        await pilot.press("escape")
        await on_screen(pilot, BundleFilesStep)
        await next_to(pilot, BundleWhatStep)
        assert app.screen.query_one("#kind").pressed_button.id == "kind-trust-cucm"
        assert app.screen.query_one("#cucm-type", Select).value == "CallManager"
        assert app.screen.query_one("#folder").value == "out"
        await next_to(pilot, BundleFindingsStep)
        await next_to(pilot, BundleWriteStep)
        assert text_of(app, "#plan").startswith("1. out/1-CallManager-trust-Example_Root_CA.pem")


# --- the behaviours decided once in collabcert.jobs (issue 10), through the wizard -------------


async def test_a_key_inside_the_files_picks_the_leaf_as_the_cli_does(tmp_path, pki):
    """A .pfx with its key, and another server's certificate from the same CA: the key says
    which one is the leaf (before, the wizard guessed, and could pick the other one)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    p12 = pkcs12.serialize_key_and_certificates(
        None, pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert, pki.root.cert],
        serialization.NoEncryption())
    (tmp_path / "server.pfx").write_bytes(p12)
    (tmp_path / "peer.pem").write_bytes(issue("aaa.example.com", issuer=pki.intermediate).pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["server.pfx", "peer.pem"])
        await choose(pilot, "chain-fullchain")
        await next_to(pilot, BundleFindingsStep)
        lines = app.screen.query_one(ChainTree).labels()
        assert lines[-2].strip().startswith("expe.example.com  (leaf, this server")
        assert "CHN-LEAF-GUESS" not in text_of(app, "#bundle-findings")
        await next_to(pilot, BundleWriteStep)
        await pilot.press("ctrl+n")
        await on_screen(pilot, BundleNextStepsStep)
        assert (tmp_path / "expe.example.com-fullchain.pem").read_bytes() == pem_of(
            pki.leaf.cert, pki.intermediate.cert)


async def test_an_incomplete_chain_asks_naming_the_errors_and_no_writes_nothing(tmp_path, pki):
    (tmp_path / "leaf.pem").write_bytes(pki.leaf.pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["leaf.pem"])
        await choose(pilot, "chain-cms")
        await next_to(pilot, BundleFindingsStep)
        await next_to(pilot, BundleWriteStep)
        await next_to(pilot, ConfirmDialog)
        assert app.screen.question.startswith("Writing is blocked: the checks found 2 errors: "
                                              "CHN-INCOMPLETE, BND-NO-ROOT.")
        assert [d.split(":")[0] for d in app.screen.details] == ["CHN-INCOMPLETE",
                                                                 "BND-NO-ROOT"]
        await pilot.press("enter")  # the default is No
        await on_screen(pilot, BundleWriteStep)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["leaf.pem"]


def test_flow_state_is_typed_and_a_mistyped_key_is_refused():
    """Every step, shared ones too, uses the typed fields; a mistyped field is refused."""
    from collabcert.screens.bundle import BundleFlow
    from collabcert.screens.bundle_state import BundleState
    from collabcert.screens.import_cert import ImportFlow
    from collabcert.screens.import_cert_state import ImportState

    state = BundleFlow().state
    assert isinstance(state, BundleState) and isinstance(ImportFlow().state, ImportState)
    state.load = "read"
    assert state.load == "read" and state.picker is None and state.plan == []
    with pytest.raises(AttributeError):
        state.laod = "read"  # slots: a typo never becomes a new field nobody reads
    with pytest.raises(TypeError):
        state["load"]  # no string keys any more


async def test_item13_rsa_chain_for_tomcat_ecdsa_is_refused_on_the_step(tmp_path):
    """seed-004 CU-P04: an RSA certificate for the purpose tomcat-ECDSA is refused as `csr`
    refuses the pair; the wizard stays on the step with the reason (issue 13 item 13)."""
    from tui_support import error_text, wait_for

    rsa_pki = make_pki(key_kind="rsa", leaf_cn="cucm1.example.com")
    (tmp_path / "chain.pem").write_bytes(pem_of(rsa_pki.leaf.cert, rsa_pki.intermediate.cert,
                                                rsa_pki.root.cert))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["chain.pem"])
        await choose(pilot, "chain-cucm")
        app.screen.query_one("#cucm-type", Select).value = "tomcat-ECDSA"
        await pilot.pause()
        await pilot.press("ctrl+n")
        # the screen says it in words; the rule id (CU-P04) is for F1 and details (issue 12 item 16)
        await wait_for(pilot, lambda: "needs an EC certificate" in error_text(app))
        assert isinstance(app.screen, BundleWhatStep)
        assert "choose the purpose tomcat" in error_text(app)
        assert not list(tmp_path.glob("[0-9]-*.pem"))


async def test_the_highlighted_target_is_the_one_built_and_it_shows_without_colour(tmp_path, pki):
    # issue 12 item 10: the arrows used to move only a coloured highlight and Next built the
    # pressed (first) kind, the Expressway trust list. Now the highlight is the choice, and the
    # chosen row says so in characters: (•) chosen, ( ) not (NO_COLOR, reading aloud).
    from textual.widgets import RadioSet

    from collabcert.screens.bundle_state import KINDS

    (tmp_path / "chain.pem").write_bytes(pem_of(*pki.chain))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["chain.pem"])
        kinds = app.screen.query_one("#kind", RadioSet)
        assert app.focused is kinds
        wanted = list(KINDS).index("chain-cucm")
        await pilot.press(*["down"] * wanted, "enter")
        assert kinds.pressed_button.id == "kind-chain-cucm"
        drawn = [str(button.render()) for button in kinds.query("RadioButton")]
        assert drawn[wanted].startswith("(•) Chain for CUCM")
        assert all(line.startswith("( ) ") for n, line in enumerate(drawn) if n != wanted)
        await next_to(pilot, BundleFindingsStep)
        await next_to(pilot, BundleWriteStep)
        await pilot.press("ctrl+n")
        await on_screen(pilot, BundleNextStepsStep)
    written = sorted(p.name for p in tmp_path.iterdir() if p.name != "chain.pem")
    # one file per certificate (seed-004 AT02), numbered in upload order: no trust list PEM
    assert written == ["1-tomcat-trust-Example_Root_CA.pem",
                       "2-tomcat-trust-Example_Issuing_CA.pem", "3-tomcat-expe.example.com.pem"]
    assert not (tmp_path / "trusted-ca-list.pem").exists()


async def test_a_decoy_and_an_expired_twin_are_suggested_for_dropping_and_left_out(tmp_path):
    # issue 12 item 11: the list was flagged right but nothing could be done about it. Now the
    # rows say keep/DROP, the engine's suggestion is ticked in, and the list written leaves
    # the dropped ones out.
    from cryptography.hazmat.primitives.serialization import Encoding
    from textual.widgets import DataTable

    real = issue(name("Lab Root", "Lab"), ca=True)
    issuing = issue(name("Lab Issuing", "Lab"), issuer=real, ca=True)
    decoy = issue(name("Lab Root", "Lab"), ca=True)  # same name, another key, issued nothing
    twin = issue(name("Lab Root", "Lab"), ca=True, key=real.key,
                 not_before=NOW - 900 * DAY, not_after=NOW - 10 * DAY)
    for file_name, cert in (("real.pem", real), ("issuing.pem", issuing),
                            ("decoy.pem", decoy), ("twin.pem", twin)):
        (tmp_path / file_name).write_bytes(cert.pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_what(pilot, ["real.pem", "issuing.pem", "decoy.pem", "twin.pem"])
        await next_to(pilot, BundleFindingsStep)
        rows = {r[3]: r for r in table_rows(app, "#entries")}
        # the trust-list job's suggestions (collabcert.trustlist.suggest_keep_drop)
        assert rows["real.pem"][4] == "[x] keep" and rows["real.pem"][5].startswith("keep: ")
        assert "with its key" in rows["real.pem"][5]  # the issuing CA (and the twin) verify
        assert rows["decoy.pem"][4] == "[ ] DROP"
        assert rows["decoy.pem"][5].startswith("drop: no given certificate verifies")
        assert rows["twin.pem"][4] == "[ ] DROP" and rows["twin.pem"][5].startswith(
            "drop: expired")
        assert rows["issuing.pem"][4] == "[x] keep"
        assert "Leaving out 2 of 4" in text_of(app, "#dropped-line")
        # the person disagrees about the twin, then changes their mind: Enter turns a row
        table = app.screen.query_one("#entries", DataTable)
        assert app.focused is table
        table.move_cursor(row=[r[3] for r in table_rows(app, "#entries")].index("twin.pem"))
        await pilot.press("enter")
        assert table_rows(app, "#entries")[table.cursor_row][4] == "[x] keep"
        await pilot.press("space")
        assert table_rows(app, "#entries")[table.cursor_row][4] == "[ ] DROP"
        await next_to(pilot, BundleWriteStep)
        await pilot.press("ctrl+n")
        await on_screen(pilot, BundleNextStepsStep)
    written = (tmp_path / "trusted-ca-list.pem").read_bytes()
    assert written.count(b"BEGIN CERTIFICATE") == 2
    assert real.cert.public_bytes(Encoding.PEM) in written
    assert issuing.cert.public_bytes(Encoding.PEM) in written


async def test_the_highlighted_entry_says_its_suggestion_in_full_at_80_columns(tmp_path):
    """The Why column is cut at 80 columns ("dro"): the line under the table says the
    highlighted row's suggestion and reason in full, and follows the cursor (issue 12 item 11;
    support reads it aloud)."""
    from textual.widgets import DataTable

    from collabcert.dn import serial_text

    real = issue(name("Lab Root", "Lab"), ca=True)
    issuing = issue(name("Lab Issuing", "Lab"), issuer=real, ca=True)
    decoy = issue(name("Lab Root", "Lab"), ca=True)  # same name, another key, issued nothing
    for file_name, cert in (("real.pem", real), ("issuing.pem", issuing),
                            ("decoy.pem", decoy)):
        (tmp_path / file_name).write_bytes(cert.pem)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_what(pilot, ["real.pem", "issuing.pem", "decoy.pem"])
        await next_to(pilot, BundleFindingsStep)
        table = app.screen.query_one("#entries", DataTable)
        files = [r[3] for r in table_rows(app, "#entries")]
        said = {}
        for row in range(len(files)):
            await wait_for(pilot, lambda row=row: table.cursor_row == row
                           and f"({files[row]}, " in text_of(app, "#entry-why"))
            said[files[row]] = text_of(app, "#entry-why")
            await pilot.press("down")
    assert said["decoy.pem"] == (
        f"Lab Root (decoy.pem, serial {serial_text(decoy.cert)}): suggested drop: no given "
        "certificate verifies with its key, while they do with the kept one's (a same-name CA "
        "with another key).")
    assert said["real.pem"].startswith(
        f"Lab Root (real.pem, serial {serial_text(real.cert)}): suggested keep: valid until ")
    assert said["issuing.pem"] == (
        f"Lab Issuing (issuing.pem, serial {serial_text(issuing.cert)}): no other entry has "
        "its name.")
