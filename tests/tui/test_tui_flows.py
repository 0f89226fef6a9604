"""Pilot tests: the home screen, and the Inspect and Convert flows end to end on real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pki import issue, key_pem, make_pki, mode_of, new_key, sha256_hex
from textual import events
from textual.widgets import (
    Button,
    DataTable,
    Input,
    OptionList,
    RadioSet,
    SelectionList,
    Static,
    TabbedContent,
    TextArea,
    Tree,
)
from textual.widgets._header import HeaderTitle
from tui_support import (
    SIZE,
    click,
    error_text,
    next_to,
    on_screen,
    pick_files,
    table_rows,
    text_of,
    wait_for,
)

from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.convert import (
    ConvertDoneStep,
    ConvertOutputStep,
    ConvertReviewStep,
    ConvertWhatStep,
)
from collabcert.screens.home import HomeScreen
from collabcert.screens.inspect import InspectResultsStep
from collabcert.tui.app import CollabcertApp
from collabcert.tui.dialogs import ConfirmDialog, MessageDialog, PasswordDialog
from collabcert.tui.header import TitleHeader
from collabcert.tui.help import HelpScreen
from collabcert.tui.picker import CertTree, SourcePicker


@pytest.fixture(scope="module")
def pki():
    return make_pki()


@pytest.fixture
def folder(tmp_path, pki):
    """A customer's folder: a PEM chain, a DER root, the leaf key, a note that is no certificate."""
    files = tmp_path / "customer"
    files.mkdir()
    (files / "chain.pem").write_bytes(pki.leaf.pem + pki.intermediate.pem + pki.root.pem)
    (files / "root.cer").write_bytes(pki.root.der)
    (files / "server.key").write_bytes(pki.leaf.key_pem)
    (files / "notes.md").write_text("not a certificate\n")
    return files


def make_app(folder: Path) -> CollabcertApp:
    return CollabcertApp(cwd=folder,
                         task_modules=("collabcert.screens.convert", "collabcert.screens.inspect"))


def palette_top(app) -> str:
    """The command palette's highlighted match ("" while it has none)."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found or found.first().highlighted is None:
        return ""
    lst = found.first()
    return str(lst.get_option_at_index(lst.highlighted).prompt)


async def start(pilot, number: str) -> None:
    """Start the task numbered `number` on the home screen, as a user does."""
    await pilot.pause()
    await pilot.press(number)
    await on_screen(pilot, ChooseFilesStep)


def task_number(app: CollabcertApp, task_id: str) -> str:
    return str([t.id for t in app.tasks].index(task_id) + 1)


async def add_path(pilot, text: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#source-tabs", TabbedContent).active = "tab-path"
    await pilot.pause()
    field = screen.query_one("#path-input", Input)
    field.focus()
    await pilot.press(*text, "enter")
    await pilot.pause()


# --- home ------------------------------------------------------------------------------------


async def test_home_lists_only_working_tasks_and_the_title_shows_the_version(folder):
    from collabcert import __version__

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.title == f"collabcert {__version__}"
        options = app.screen.query_one("#tasks", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == [t.id for t in app.tasks]
        assert {"inspect", "convert"} <= set(ids)
        for task in app.tasks:  # every task says what it is for
            assert len(task.summary) > 20


# --- inspect ---------------------------------------------------------------------------------


async def test_inspect_next_steps_are_the_jobs_as_the_cli_prints_them(folder):
    # issue 10: one inspect job; its next steps (convert the DER root, match the key) are on a
    # "Next steps" tab here and under "Next steps" in `collabcert inspect`
    from collabcert.jobs.inspect import inspect_files
    from collabcert.load import load_path

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        await add_path(pilot, "*.*")
        await next_to(pilot, InspectResultsStep)
        shown = text_of(app, "#next-steps")
    read = [load_path(folder / name) for name in ("chain.pem", "root.cer", "server.key")]
    expected = inspect_files(read).next_steps
    assert shown == "\n".join(f"{n}. {step}" for n, step in enumerate(expected, 1))
    assert "--to pem" in shown and "collabcert match" in shown


async def test_inspect_walks_from_the_tree_to_results_chain_and_findings(folder, pki):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        tree = app.screen.query_one("#tree", CertTree)
        await tree.reload()
        names = [str(n.label) for n in tree.root.children]
        assert names == ["chain.pem", "root.cer", "server.key"]  # notes.md is filtered out
        tree.focus()
        await pilot.press("down", "enter", "down", "enter", "down", "enter")
        await pilot.pause()
        chosen = app.screen.query_one("#chosen", SelectionList)
        assert chosen.option_count == 3
        await next_to(pilot, InspectResultsStep)

        table = app.screen.query_one("#objects", DataTable)
        assert table.row_count == 5  # 3 PEM certificates + the DER root + the key
        rows = table_rows(app, "#objects")
        # issue 12 item 6 changed the columns: number, kind, file, CN, expiry in words, short
        # key id, key pairs, key type (the issuer CN and encoding moved to the detail)
        leaf_row = next(r for r in rows if r[3] == "expe.example.com")
        assert leaf_row[1:4] == ("Cert", "chain.pem", "expe.example.com")
        assert leaf_row[4].startswith("in ") and leaf_row[7] == "EC P-256"
        assert any(r[1] == "Root CA" and r[2] == "root.cer" for r in rows)
        key_row = next(r for r in rows if r[1] == "Key")
        assert key_row[3] == "-" and key_row[2] == "server.key"
        # the key and the leaf hold one public key: each row names the other, by number
        assert key_row[5] == leaf_row[5] and key_row[6] == f"same key {leaf_row[0]}"
        assert leaf_row[6] == f"same key {key_row[0]}"

        # The detail follows the cursor and shows the full summary, fingerprints included.
        table.focus()
        table.move_cursor(row=rows.index(leaf_row))
        await pilot.pause()
        detail = str(app.screen.query_one("#detail", Static).content)
        assert "SAN DNS" in detail and "expe.example.com" in detail
        from collabcert.model import colon_hex

        assert colon_hex(sha256_hex(pki.leaf.cert)) in detail

        # Certification path: root at the top, the leaf at the bottom.
        assert app.screen.query_one("#tab-chain")
        chain = app.screen.query_one("#chain-tree", Tree)
        node, labels = chain.root, []
        while node.children:
            node = node.children[0]
            labels.append(str(node.label))
        assert labels[0].startswith("Example Root CA  (root")
        assert labels[1].startswith("Example Issuing CA  (CA")
        assert labels[2].startswith("expe.example.com  (end certificate")


async def test_markup_in_certificate_text_is_shown_as_typed(tmp_path):
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "[b]lab[/b] [Lab]"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "[Lab]"),
    ])
    odd = issue(subject, ca=True)
    (tmp_path / "odd [x].pem").write_bytes(odd.pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        await add_path(pilot, "odd [x].pem")
        await next_to(pilot, InspectResultsStep)
        table = app.screen.query_one("#objects", DataTable)
        assert str(table.get_row_at(0)[3]) == "[b]lab[/b] [Lab]"
        detail = str(app.screen.query_one("#detail", Static).content)
        assert "O=[Lab]" in detail and "odd [x].pem" in detail


async def test_paste_area_reads_pem_out_of_a_whole_email(folder, pki):
    mail = (
        "From: ca@example.com\r\nSubject: your certificate\r\n\r\nHello,\r\n"
        "here it is:\r\n\r\n" + pki.leaf.pem.decode().replace("\n", "\r\n")
        + "\r\nRegards, the PKI team\r\n"
    )
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        app.screen.query_one("#source-tabs", TabbedContent).active = "tab-paste"
        await pilot.pause()
        app.screen.query_one("#paste", TextArea).focus()
        await pilot.pause()
        app.post_message(events.Paste(mail))  # to the app, as a terminal paste arrives
        await pilot.pause()
        title = str(app.screen.query_one("#chosen-title").content)
        assert "pasted text" in title
        await next_to(pilot, InspectResultsStep)
        table = app.screen.query_one("#objects", DataTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[3]) == "expe.example.com"
        assert "pasted text" in str(app.screen.query_one("#detail", Static).content)


async def test_next_without_input_says_what_to_do(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ChooseFilesStep)
        assert "Choose at least one file" in error_text(app)


async def test_unreadable_file_is_reported_and_the_rest_is_read(folder):
    (folder / "junk.cer").write_bytes(os.urandom(300))
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        await add_path(pilot, "junk.cer")
        await add_path(pilot, "root.cer")
        await next_to(pilot, InspectResultsStep)
        assert app.screen.query_one("#objects", DataTable).row_count == 1
        # issue 12 item 5: the wrapped findings panel (no table cutting messages), and the
        # read error says where: the file's name
        from collabcert.tui.findings import FindingItem

        first = app.screen.query(FindingItem).first()
        assert first.finding.severity == "error" and first.finding.where == "junk.cer"
        assert first.finding.message.startswith("Is not a certificate")  # where names the file


async def test_when_nothing_can_be_read_each_file_has_its_own_line(folder):
    (folder / "empty.cer").write_bytes(b"")
    (folder / "junk.der").write_bytes(os.urandom(300))
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        await add_path(pilot, "empty.cer")
        await add_path(pilot, "junk.der")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: "Nothing could be read" in error_text(app))
        lines = error_text(app).splitlines()
        assert lines[0] == "Nothing could be read:"
        assert lines[1].startswith("- ") and "empty.cer: is empty" in lines[1]
        assert lines[2].startswith("- ") and "junk.der" in lines[2]


async def test_back_keeps_files_typed_path_and_pasted_text(folder, pki):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        await add_path(pilot, "root.cer")
        field = app.screen.query_one("#path-input", Input)
        await pilot.press(*"half-typed")
        app.screen.query_one("#paste", TextArea).text = pki.leaf.pem.decode()
        await next_to(pilot, InspectResultsStep)
        await pilot.press("escape")
        await on_screen(pilot, ChooseFilesStep)
        field = app.screen.query_one("#path-input", Input)
        assert field.value == "half-typed"
        assert app.screen.query_one("#paste", TextArea).text == pki.leaf.pem.decode()
        chosen = app.screen.query_one("#chosen", SelectionList)
        assert chosen.option_count == 1 and chosen.selected == [str(folder / "root.cer")]
        # And Next again reads the same inputs.
        await next_to(pilot, InspectResultsStep)
        assert app.screen.query_one("#objects", DataTable).row_count == 2


async def test_locked_key_asks_for_the_password_and_retries(tmp_path):
    key = new_key("ec")
    (tmp_path / "locked.key").write_bytes(key_pem(key, b"s3cret"))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        await add_path(pilot, "locked.key")
        await next_to(pilot, PasswordDialog)
        await pilot.press(*"wrong", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PasswordDialog)
                       and "did not open" in str(app.screen.query_one("#password-error").content))
        await pilot.press(*"s3cret", "enter")
        await on_screen(pilot, InspectResultsStep)
        row = [str(c) for c in app.screen.query_one("#objects", DataTable).get_row_at(0)]
        assert row[1] == "Key" and row[7] == "EC P-256"


async def test_copying_a_private_key_needs_a_yes(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        await add_path(pilot, "server.key")
        await add_path(pilot, "root.cer")
        await next_to(pilot, InspectResultsStep)
        table = app.screen.query_one("#objects", DataTable)
        key_index = next(i for i in range(table.row_count)
                         if str(table.get_row_at(i)[1]) == "Key")
        table.move_cursor(row=key_index)
        await pilot.pause()
        app.screen.action_copy_pem()
        await on_screen(pilot, ConfirmDialog)
        assert app.clipboard == ""
        await pilot.press("escape")  # Esc means no
        await on_screen(pilot, InspectResultsStep)
        assert app.clipboard == ""
        app.screen.action_copy_pem()
        await on_screen(pilot, ConfirmDialog)
        await click(pilot, "#yes")
        await on_screen(pilot, InspectResultsStep)
        assert app.clipboard.startswith("-----BEGIN PRIVATE KEY-----")
        # A certificate is copied at once.
        table = app.screen.query_one("#objects", DataTable)
        table.move_cursor(row=1 - key_index)
        await pilot.pause()
        app.screen.action_copy_pem()
        await pilot.pause()
        assert app.clipboard.startswith("-----BEGIN CERTIFICATE-----")


# --- help and palette ------------------------------------------------------------------------


async def test_f1_opens_help_for_the_focused_field_then_the_screen(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await on_screen(pilot, HelpScreen)
        assert app.screen.topic == "home"
        await pilot.press("escape")
        await start(pilot, task_number(app, "inspect"))
        await add_path(pilot, "")
        await pilot.press("f1")
        await on_screen(pilot, HelpScreen)
        assert app.screen.topic == "path-input"
        assert "Right arrow" in app.screen.text
        await pilot.press("f1")  # F1 again closes it
        await on_screen(pilot, ChooseFilesStep)


async def test_palette_lists_tasks_and_the_actions_of_the_screen(folder):
    from textual.command import CommandPalette

    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Inspect files", "Convert files", "Settings", "Keys"} <= set(titles)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: CommandPalette.is_open(app))
        await pilot.press(*"convert files")
        # the palette searches in a worker: Enter once its best match is the convert task
        await wait_for(pilot, lambda: palette_top(app).startswith("Convert files"))
        await pilot.press("enter")
        await on_screen(pilot, ChooseFilesStep)
        assert app.screen.flow.title == "Convert files"
        await add_path(pilot, "root.cer")
        await next_to(pilot, ConvertWhatStep)
        await pilot.press("escape")
        await on_screen(pilot, ChooseFilesStep)
        app.start_task("inspect")
        await on_screen(pilot, ChooseFilesStep)
        await add_path(pilot, "root.cer")
        await next_to(pilot, InspectResultsStep)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Copy PEM of the selected object" in titles


# --- convert ---------------------------------------------------------------------------------


async def convert_to_review(pilot, paths: list[str], fmt: str = "pem") -> None:
    app = pilot.app
    await start(pilot, task_number(app, "convert"))
    for path in paths:
        await add_path(pilot, path)
    await next_to(pilot, ConvertWhatStep)
    await next_to(pilot, ConvertOutputStep)
    await click(pilot, f"#fmt-{fmt}")
    await wait_for(pilot, lambda: pilot.app.screen.query_one(f"#fmt-{fmt}").value)


async def test_convert_der_to_pem_next_to_the_input_with_fingerprints(tmp_path, pki):
    (tmp_path / "server.cer").write_bytes(pki.leaf.der)
    (tmp_path / "root.der").write_bytes(pki.root.der)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "convert"))
        await add_path(pilot, "*.cer")
        await add_path(pilot, "root.der")
        await next_to(pilot, ConvertWhatStep)
        what = app.screen.query_one("#what", DataTable)
        assert [str(c) for c in what.get_row_at(0)] == ["server.cer", "1 certificate (DER)"]
        await next_to(pilot, ConvertOutputStep)
        await next_to(pilot, ConvertReviewStep)  # PEM, next to the input: the defaults
        plan = app.screen.query_one("#plan", DataTable)
        assert [str(plan.get_row_at(i)[0]) for i in range(plan.row_count)] == [
            "server.pem", "root.pem"]
        assert not (tmp_path / "server.pem").exists()  # nothing before Write
        await next_to(pilot, ConvertDoneStep)  # and its worker has written the files
        done = app.screen.query_one("#written", DataTable)
        assert done.row_count == 2
        assert str(done.get_row_at(0)[3]).startswith(sha256_hex(pki.leaf.cert)[:2].upper())
        assert app.screen.rows[0].sha256 == sha256_hex(pki.leaf.cert)
        assert app.screen.rows[1].sha256 == sha256_hex(pki.root.cert)
    assert (tmp_path / "server.pem").read_bytes() == pki.leaf.pem
    assert (tmp_path / "root.pem").read_bytes() == pki.root.pem
    assert mode_of(tmp_path / "server.pem") == 0o644


async def test_convert_done_lists_the_same_read_back_lines_as_the_cli(tmp_path, pki):
    # issue 10: the Done step and `collabcert convert` print WrittenObject.line of the one job
    from collabcert.jobs.convert import read_back
    from collabcert.keys import spki_sha256

    (tmp_path / "both.pem").write_bytes(pki.leaf.pem + pki.leaf.key_pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await convert_to_review(pilot, ["both.pem"])
        await next_to(pilot, ConvertReviewStep)
        await next_to(pilot, ConvertDoneStep)  # and its worker has written the files
        await pilot.pause()
        listed = app.screen.list_text()
        plan = app.screen.state.plan
        steps = app.screen.state.result.next_steps
        assert text_of(app, "#next-steps") == "\n".join(
            f"{n}. {step}" for n, step in enumerate(steps, 1))
        assert "unencrypted" in steps[0]  # the key came out: the job's step, as on the CLI
    expected = [row.line(path.name) for path in (tmp_path / "both-converted.pem",
                                                 tmp_path / "both.key")
                for row in read_back(path, plan)]
    assert listed.splitlines() == expected
    assert spki_sha256(pki.leaf.key.public_key())[:2].upper() in listed.splitlines()[1]


async def test_overwrite_needs_confirmation(tmp_path, pki):
    (tmp_path / "server.cer").write_bytes(pki.leaf.der)
    (tmp_path / "server.pem").write_bytes(b"old content\n")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await convert_to_review(pilot, ["server.cer"])
        await next_to(pilot, ConvertReviewStep)
        plan = app.screen.query_one("#plan", DataTable)
        assert str(plan.get_row_at(0)[3]) == "REPLACES an existing file"
        await next_to(pilot, ConfirmDialog)
        assert "server.pem" in "\n".join(app.screen.details)
        await click(pilot, "#no")
        await on_screen(pilot, ConvertReviewStep)
        assert "Nothing was written" in error_text(app)
        assert (tmp_path / "server.pem").read_bytes() == b"old content\n"
        await next_to(pilot, ConfirmDialog)
        await click(pilot, "#yes")
        await on_screen(pilot, ConvertDoneStep)
    assert (tmp_path / "server.pem").read_bytes() == pki.leaf.pem


async def test_pkcs12_password_is_asked_twice_and_the_file_is_private(tmp_path, pki):
    (tmp_path / "server.pem").write_bytes(pki.leaf.pem + pki.intermediate.pem)
    (tmp_path / "server.key").write_bytes(pki.leaf.key_pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await convert_to_review(pilot, ["server.pem", "server.key"], fmt="p12")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Set the password" in error_text(app)
        app.screen.query_one("#set-password", Button).press()
        await on_screen(pilot, PasswordDialog)
        await pilot.press(*"Pa55word", "enter", *"Pa55wurd", "enter")
        await pilot.pause()
        assert "not the same" in str(app.screen.query_one("#password-error").content)
        app.screen.query_one("#again", Input).value = "Pa55word"
        await pilot.press("enter")
        await on_screen(pilot, ConvertOutputStep)
        assert "password set" in str(app.screen.query_one("#password-state").content)
        await next_to(pilot, ConvertReviewStep)
        plan = app.screen.query_one("#plan", DataTable)
        assert [str(c) for c in plan.get_row_at(0)[:3]] == ["server.p12", "PKCS#12",
                                                            "0600 (private)"]
        await next_to(pilot, ConvertDoneStep)  # and its worker has written the files
        shown = {row.sha256 for row in app.screen.rows}
        assert {sha256_hex(pki.leaf.cert), sha256_hex(pki.intermediate.cert)} <= shown
    p12 = tmp_path / "server.p12"
    assert mode_of(p12) == 0o600
    key, cert, cas = pkcs12.load_key_and_certificates(p12.read_bytes(), b"Pa55word")
    assert cert == pki.leaf.cert and cas == [pki.intermediate.cert]
    assert key.public_key() == pki.leaf.key.public_key()


async def test_legacy_pkcs12_is_offered_with_when_to_use_it_and_written_in_3des(tmp_path, pki):
    # issue 15 item 4: the same job as `convert --to p12 --p12-legacy`
    from textual.widgets import Checkbox

    (tmp_path / "server.pem").write_bytes(pki.leaf.pem + pki.intermediate.pem)
    (tmp_path / "server.key").write_bytes(pki.leaf.key_pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await convert_to_review(pilot, ["server.pem", "server.key"], fmt="p12")
        legacy = app.screen.query_one("#p12-legacy", Checkbox)
        assert legacy.value is False  # AES-256 unless asked
        when = text_of(app, "#p12-legacy-when")
        assert "Windows Server 2016 and older" in when and "Java" in when
        legacy.value = True
        app.screen.choice.password = b"Pa55word"
        await next_to(pilot, ConvertReviewStep)
        plan = app.screen.query_one("#plan", DataTable)
        assert [str(c) for c in plan.get_row_at(0)[:2]] == ["server.p12",
                                                            "PKCS#12 (legacy 3DES/SHA-1)"]
        await next_to(pilot, ConvertDoneStep)
        assert any("3DES and SHA-1" in step for step in app.screen.state.result.next_steps)
    data = (tmp_path / "server.p12").read_bytes()
    key, cert, cas = pkcs12.load_key_and_certificates(data, b"Pa55word")
    assert cert == pki.leaf.cert and cas == [pki.intermediate.cert]
    # pbeWithSHAAnd3-KeyTripleDES-CBC (1.2.840.113549.1.12.1.3), and no PBES2 (AES) anywhere
    assert bytes.fromhex("2a864886f70d010c0103") in data
    assert bytes.fromhex("2a864886f70d01050d") not in data


async def test_pkcs12_to_pem_writes_an_unlocked_key_0600(tmp_path, pki):
    blob = pkcs12.serialize_key_and_certificates(
        b"server", pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert],
        serialization.BestAvailableEncryption(b"in-pass"),
    )
    (tmp_path / "server.pfx").write_bytes(blob)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "convert"))
        await add_path(pilot, "server.pfx")
        await next_to(pilot, PasswordDialog)
        await pilot.press(*"in-pass", "enter")
        await on_screen(pilot, ConvertWhatStep)
        holds = str(app.screen.query_one("#what", DataTable).get_row_at(0)[1])
        assert "2 certificates (PKCS#12)" in holds and "1 private key (PKCS#12)" in holds
        await next_to(pilot, ConvertOutputStep)
        await next_to(pilot, ConvertReviewStep)
        await next_to(pilot, ConvertDoneStep)  # and its worker has written the files
    key_file = tmp_path / "server.key"
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert mode_of(key_file) == 0o600
    assert (tmp_path / "server.pem").read_bytes() == pki.leaf.pem + pki.intermediate.pem


async def test_back_from_review_keeps_the_output_choices(tmp_path, pki):
    (tmp_path / "server.cer").write_bytes(pki.leaf.der)
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await convert_to_review(pilot, ["server.cer"], fmt="der")
        await click(pilot, "#to-folder")
        await wait_for(pilot, lambda: app.screen.query_one("#to-folder").value)
        field = app.screen.query_one("#folder", Input)
        field.focus()
        await pilot.press(*"out")
        await next_to(pilot, ConvertReviewStep)
        assert str(app.screen.query_one("#plan", DataTable).get_row_at(0)[0]) == "out/server.der"
        await pilot.press("escape")
        await on_screen(pilot, ConvertOutputStep)
        assert app.screen.query_one("#format", RadioSet).pressed_button.id == "fmt-der"
        assert app.screen.query_one("#where", RadioSet).pressed_button.id == "to-folder"
        assert app.screen.query_one("#folder", Input).value == "out"
        # Back twice more and forward again: the later step is rebuilt from what was chosen.
        await pilot.press("escape")
        await on_screen(pilot, ConvertWhatStep)
        await next_to(pilot, ConvertOutputStep)
        assert app.screen.query_one("#format", RadioSet).pressed_button.id == "fmt-der"
        assert app.screen.query_one("#folder", Input).value == "out"


async def test_missing_and_unwritable_output_folders_give_messages(tmp_path, pki):
    (tmp_path / "server.cer").write_bytes(pki.leaf.der)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    # Root ignores folder modes; sysfs refuses new files even to root.
    unwritable = "/sys" if os.geteuid() == 0 else str(locked)
    app = make_app(tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await convert_to_review(pilot, ["server.cer"])
            await click(pilot, "#to-folder")
            await wait_for(pilot, lambda: app.screen.query_one("#to-folder").value)
            app.screen.query_one("#folder", Input).value = "no-such-folder"
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, ConvertOutputStep)
            assert "does not exist" in error_text(app)
            app.screen.query_one("#folder", Input).value = unwritable
            await pilot.press("ctrl+n")
            # refused on this step, or the review step reached (refused only when writing)
            await wait_for(pilot, lambda: not getattr(app.screen, "busy", False) and (
                "not writable" in error_text(app) or "could not write" in error_text(app)
                or (isinstance(app.screen, ConvertReviewStep) and app.screen.is_mounted)))
            if isinstance(app.screen, ConvertReviewStep):  # refused only when writing
                await next_to(pilot, MessageDialog)
                assert "Nothing was written" in app.screen.message
                await pilot.press("escape")
                await on_screen(pilot, ConvertReviewStep)
            assert "not writable" in error_text(app) or "could not write" in error_text(app)
            assert app.is_running
    finally:
        locked.chmod(0o700)
    assert not (locked / "server.pem").exists()


async def test_two_hundred_files_convert_without_freezing(tmp_path, pki):
    for number in range(200):
        (tmp_path / f"c{number:03}.cer").write_bytes(pki.leaf.der)
    app = make_app(tmp_path)
    ticks = []
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "convert"))
        await add_path(pilot, "*.cer")
        assert app.screen.query_one("#chosen", SelectionList).option_count == 200
        app.set_interval(0.01, lambda: ticks.append(1))
        await next_to(pilot, ConvertWhatStep)
        assert len(ticks) > 3  # the event loop kept running while the files were read
        await next_to(pilot, ConvertOutputStep)
        await next_to(pilot, ConvertReviewStep)
        await next_to(pilot, ConvertDoneStep, timeout=60)  # and its worker has written them
        assert app.screen.query_one("#written", DataTable).row_count == 200
    assert (tmp_path / "c199.pem").read_bytes() == pki.leaf.pem


async def test_enter_on_the_top_folder_does_not_hide_the_files(tmp_path) -> None:
    from pki import make_pki

    from collabcert.tui.app import CollabcertApp

    (tmp_path / "leaf.pem").write_bytes(make_pki("ec").leaf.pem)
    app = CollabcertApp(cwd=tmp_path, task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_task("inspect")
        await on_screen(pilot, ChooseFilesStep)
        tree = app.screen.query_one("#tree", CertTree)
        await wait_for(pilot, lambda: tree.root.children)
        tree.focus()
        tree.move_cursor(tree.root)
        await pilot.press("enter")
        await wait_for(pilot, lambda: tree.root.is_expanded and tree.root.children)
        assert tree.root.is_expanded
        assert [str(c.label) for c in tree.root.children] == ["leaf.pem"]


async def test_inspect_tells_a_decoy_and_an_expired_twin_apart_and_pairs_the_keys(tmp_path):
    # issue 12 items 5 and 6, on a field engineer's pile: which key belongs to which certificate
    # and CSR (also inside a .pfx), the same-name decoy marked, expiry in words, the path tree
    # saying EXPIRED, and read errors with the file as Where
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, pkcs12
    from pki import DAY, NOW, issue, make_csr, name

    from collabcert.tui.chainview import CertPathTree
    from collabcert.tui.findings import FindingItem

    pki = make_pki()
    decoy = issue(name("Example Root CA", "Example"), ca=True)
    twin = issue(name("Example Issuing CA", "Example"), issuer=pki.root, ca=True,
                 key=pki.intermediate.key, not_before=NOW - 900 * DAY, not_after=NOW - 20 * DAY)
    other_key = new_key("ec")
    other = issue("cms1.example.com", issuer=pki.intermediate, key=other_key)
    files = {
        "chain.pem": pki.leaf.pem + pki.intermediate.pem + pki.root.pem,
        "server.key": pki.leaf.key_pem,
        "decoy.pem": decoy.pem,
        "old.pem": twin.pem,
        "cms1.pfx": pkcs12.serialize_key_and_certificates(b"cms1", other_key, other.cert, None,
                                                          NoEncryption()),
        "cms1.csr": make_csr(other_key, "cms1.example.com", ["cms1.example.com"]).public_bytes(
            Encoding.PEM),
        "empty.cer": b"",
        "expired.pem": issue("old.example.com", issuer=pki.intermediate,
                             not_before=NOW - 400 * DAY, not_after=NOW - 5 * DAY).pem,
    }
    for file_name, data in files.items():
        (tmp_path / file_name).write_bytes(data)
    app = CollabcertApp(cwd=tmp_path, now=lambda: NOW,
                        task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "1")
        pick_files(pilot, list(files))
        await next_to(pilot, InspectResultsStep)
        rows = table_rows(app, "#objects")
        by = {(r[2], r[3]): r for r in rows}
        leaf, key = by[("chain.pem", "expe.example.com")], by[("server.key", "-")]
        assert leaf[5] == key[5] and key[6] == f"same key {leaf[0]}"
        pfx_cert, csr = by[("cms1.pfx", "cms1.example.com")], by[("cms1.csr", "cms1.example.com")]
        pfx_key = by[("cms1.pfx", "-")]
        # inside the .pfx, and the CSR in its own file: numbered in table order
        wanted = sorted((csr[0], pfx_cert[0]), key=lambda n: int(n.strip("#≠")))
        assert pfx_key[6] == "same key " + " ".join(wanted)
        decoy_row = by[("decoy.pem", "Example Root CA")]
        real_root = by[("chain.pem", "Example Root CA")]
        assert decoy_row[0].endswith("≠") and real_root[0].endswith("≠")
        assert decoy_row[6] == f"SAME NAME, other key: {real_root[0].rstrip('≠')}"
        old = next(r for r in rows if r[2] == "old.pem")
        assert old[4] == "EXPIRED" and not old[0].endswith("≠")  # the twin: same key, old
        assert leaf[4].startswith("in ") and leaf[4].endswith(" days")
        detail = app.screen.detail(rows.index(decoy_row))
        assert "Same name, DIFFERENT key: " + real_root[0].rstrip("≠") in detail
        # the findings: the wrapped panel, the unreadable file named as Where
        items = list(app.screen.query(FindingItem))
        assert any(i.finding.where == "empty.cer" and i.finding.severity == "error"
                   for i in items)
        # the certification path says which certificate has expired
        tree = app.screen.query_one("#chain-tree", CertPathTree)
        labels = []

        def walk(node) -> None:
            for child in node.children:
                labels.append(str(child.label))
                walk(child)

        walk(tree.root)
        assert any(label.startswith("old.example.com  (end certificate, EXPIRED 20")
                   for label in labels), labels
        assert any(label.startswith("expe.example.com  (end certificate, until ")
                   for label in labels)


async def test_the_path_tree_shows_each_chain_once_and_says_where_its_leaf_is(tmp_path):
    """Issue 12 items 6 and 12: one leaf in a .crt and in a .pfx is one path, and a re-keyed
    certificate of the same CN is another; only the files under each leaf tell them apart."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption
    from pki import NOW

    from collabcert.tui.chainview import CertPathTree

    pki = make_pki()
    rekeyed = issue("expe.example.com", issuer=pki.intermediate, key=new_key("ec"))
    files = {
        "expe.crt": pki.leaf.cert.public_bytes(Encoding.DER),
        "expe.pfx": pkcs12.serialize_key_and_certificates(
            b"expe", pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert], NoEncryption()),
        "expe-new.pem": rekeyed.pem,
        "ca.pem": pki.intermediate.pem + pki.root.pem,
    }
    for file_name, data in files.items():
        (tmp_path / file_name).write_bytes(data)
    app = CollabcertApp(cwd=tmp_path, now=lambda: NOW,
                        task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "1")
        pick_files(pilot, list(files))
        await next_to(pilot, InspectResultsStep)
        tree = app.screen.query_one("#chain-tree", CertPathTree)
        leaves = []

        def walk(node) -> None:
            for child in node.children:
                label = str(child.label)
                if label.startswith("expe.example.com  (end certificate"):
                    leaves.append(str(child.children[0].label))
                walk(child)

        walk(tree.root)
        assert sorted(leaves) == ["in expe-new.pem [1]", "in expe.crt [1], expe.pfx [2]"]


# --- issue 11 item 11: a screen that goes at once does not take the app down --------------------


async def test_a_step_left_at_once_does_not_crash_the_header(folder):
    """Textual's Header queues its title update on the app when it mounts; a screen removed
    before that ran (a step left at once, the app quitting) raised NoMatches 'HeaderTitle'."""
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_task("inspect")
        await on_screen(pilot, ChooseFilesStep)
        # the state the race leaves, made on purpose: a header whose title is already gone
        header = app.screen.query_one(TitleHeader)
        await header.query_one(HeaderTitle).remove()
        app.screen.sub_title = "changed while going"
        app.title = "changed too"
        await pilot.pause()
        assert isinstance(app.screen, ChooseFilesStep)
    assert app.return_code in (0, None)


async def test_a_picker_left_at_once_does_not_crash(folder):
    """The file picker fills its chosen list when it mounts; a step left in the same tick has
    already lost that list, and the NoMatches '#chosen' it raised ended the app (the header's
    race, above, in the picker)."""
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_task("inspect")
        await on_screen(pilot, ChooseFilesStep)
        picker = app.screen.query_one(SourcePicker)
        await picker.query_one("#chosen").remove()  # the state the race leaves, made on purpose
        picker.post_message(events.Mount())
        await pilot.pause()
        assert isinstance(app.screen, ChooseFilesStep)
    assert app.return_code in (0, None)


# --- issue 11 item 8: the wizard never writes over one of its inputs ----------------------------


async def test_convert_never_writes_over_one_of_its_inputs(tmp_path, pki):
    """server.cer converted to PEM next to it would be server.pem, which is also an input: the
    convert job names it by rule instead (issue 12 item 2; it used to refuse the whole batch),
    the review says why, and the input is never touched (files.check_plan inputs=)."""
    (tmp_path / "server.cer").write_bytes(pki.leaf.der)
    (tmp_path / "server.pem").write_bytes(pki.intermediate.pem)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await convert_to_review(pilot, ["server.cer", "server.pem"])
        await next_to(pilot, ConvertReviewStep)
        assert text_of(app, "#review-renamed").endswith(
            "server.cer -> server-cer.pem (server.pem is one of the inputs)")
        await next_to(pilot, ConvertDoneStep)
        await wait_for(pilot, lambda: not app.screen.busy)
    assert (tmp_path / "server.pem").read_bytes() == pki.intermediate.pem
    assert (tmp_path / "server-cer.pem").read_bytes() == pki.leaf.pem
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "server-cer.pem", "server-converted.pem", "server.cer", "server.pem"]


# --- issue 12 items 2 and 3: a messy pile converts, saying what was renamed and skipped --------


async def test_clashing_outputs_are_renamed_in_the_review_and_skipped_inputs_named(tmp_path, pki):
    """expc1.crt and expc1.pfx both want expc1.pem: the job names the .pfx's output by rule and
    the review says so; the .pfx's locked key is said to come out unencrypted (seed-001
    KEY-ENC); the done step names the input that gave nothing."""
    blob = pkcs12.serialize_key_and_certificates(
        b"expc1", pki.leaf.key, pki.leaf.cert, None,
        serialization.BestAvailableEncryption(b"in-pass"),
    )
    (tmp_path / "expc1.crt").write_bytes(pki.root.der)
    (tmp_path / "expc1.pfx").write_bytes(blob)
    (tmp_path / "notes.md").write_text("not a certificate\n")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "convert"))
        await add_path(pilot, "expc1.crt")
        await add_path(pilot, "expc1.pfx")
        await add_path(pilot, "notes.md")
        await next_to(pilot, PasswordDialog)
        await pilot.press(*"in-pass", "enter")
        await on_screen(pilot, ConvertWhatStep)
        await next_to(pilot, ConvertOutputStep)
        await next_to(pilot, ConvertReviewStep)
        assert text_of(app, "#review-renamed") == (
            "Renamed so no two outputs share a name:\n"
            "expc1.pfx -> expc1-pfx.pem (expc1.pem is taken by expc1.crt)")
        assert text_of(app, "#review-notes") == (
            "expc1.pfx: the key was encrypted there and is written unencrypted (PKCS#8, mode "
            "0600)")
        plan = app.screen.query_one("#plan", DataTable)
        assert [str(plan.get_row_at(i)[0]) for i in range(plan.row_count)] == [
            "expc1.pem", "expc1-pfx.pem", "expc1.key"]
        await next_to(pilot, ConvertDoneStep)
        await wait_for(pilot, lambda: not app.screen.busy)
        assert text_of(app, "#skipped") == (
            "Skipped 1 input(s):\nnotes.md: is text with no -----BEGIN block in it, so no "
            "certificate, CSR or key")
    assert (tmp_path / "expc1.pem").read_bytes() == pki.root.pem
    assert (tmp_path / "expc1-pfx.pem").read_bytes() == pki.leaf.pem
    assert mode_of(tmp_path / "expc1.key") == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "expc1-pfx.pem", "expc1.crt", "expc1.key", "expc1.pem", "expc1.pfx", "notes.md"]


async def test_each_file_is_named_as_chosen_and_an_unread_one_says_why_in_full(tmp_path, pki):
    """The wizard reads the files by their absolute paths; the engine's sentences name them so.
    The password dialog and the What step say the name the person chose (read aloud:
    "expc1.pfx", not "/tmp/..."), the row of a file that could not be read says so, and its
    whole reason (longer than the cell at 80 columns) is said wrapped under the table; the
    done step names it once."""
    blob = pkcs12.serialize_key_and_certificates(
        b"expc1", pki.leaf.key, pki.leaf.cert, None,
        serialization.BestAvailableEncryption(b"in-pass"),
    )
    (tmp_path / "expc1.pfx").write_bytes(blob)
    (tmp_path / "expc1.csr").write_bytes(pki.csr.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "empty.cer").write_bytes(b"")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "convert"))
        for name in ("expc1.pfx", "expc1.csr", "empty.cer"):
            await add_path(pilot, name)
        await next_to(pilot, PasswordDialog)
        assert text_of(app, ".dialog-text") == (
            "expc1.pfx: is encrypted (PKCS#12); its password is needed")
        await pilot.press(*"in-pass", "enter")
        await on_screen(pilot, ConvertWhatStep)
        rows = dict(table_rows(app, "#what"))
        assert rows["expc1.csr"] == "1 CSR (PEM)"
        assert rows["empty.cer"].startswith("not read: is empty; expected a certificate")
        unread = text_of(app, "#unread")
        assert unread == ("Left out, not read:\n- empty.cer: is empty; expected a certificate, "
                          "CSR, key, PKCS#7 or PKCS#12")
        await next_to(pilot, ConvertOutputStep)
        await next_to(pilot, ConvertReviewStep)
        await next_to(pilot, ConvertDoneStep)
        await wait_for(pilot, lambda: not app.screen.busy)
        assert text_of(app, "#skipped") == (
            "Skipped 1 input(s):\nempty.cer: is empty; expected a certificate, CSR, key, "
            "PKCS#7 or PKCS#12")


async def test_one_password_is_tried_for_every_locked_file_and_asked_only_again_where_not(
        tmp_path, pki):
    """issue 12 item 2: three .pfx, two from one export (one password): the picker asks once
    for those two, and again only for the one that password does not open."""
    for name, password in (("a.pfx", b"same"), ("b.pfx", b"same"), ("c.pfx", b"other")):
        (tmp_path / name).write_bytes(pkcs12.serialize_key_and_certificates(
            b"x", pki.leaf.key, pki.leaf.cert, None,
            serialization.BestAvailableEncryption(password)))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, task_number(app, "inspect"))
        for name in ("a.pfx", "b.pfx", "c.pfx"):
            await add_path(pilot, name)
        await next_to(pilot, PasswordDialog)
        assert "a.pfx" in app.screen.prompt
        await pilot.press(*"same", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PasswordDialog)
                       and "c.pfx" in app.screen.prompt)
        assert app.screen.problem == ""  # the shared password's try is not the person's
        await pilot.press(*"other", "enter")
        await on_screen(pilot, InspectResultsStep)
        assert [s.password for s in app.screen.state.load.sources] == [b"same", b"same",
                                                                       b"other"]
