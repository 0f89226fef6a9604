"""Settings: TOML round trip, a broken file gives a message and the defaults and is kept."""

from __future__ import annotations

import tomllib

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from textual.widgets import Input, Select
from tui_support import SIZE, error_text, next_to, on_screen, pick_files, start_task

from collabcert.screens.home import HomeScreen
from collabcert.screens.settings import SettingsScreen
from collabcert.tui.app import CollabcertApp
from collabcert.tui.dialogs import ConfirmDialog
from collabcert.tui.settings import (
    Settings,
    SubjectDefaults,
    from_dict,
    load_settings,
    save_settings,
    settings_path,
    to_toml,
)

TASKS = ("collabcert.screens.convert", "collabcert.screens.inspect")


def test_settings_path_comes_from_the_environment_in_tests(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLABCERT_SETTINGS", str(tmp_path / "s.toml"))
    assert settings_path() == tmp_path / "s.toml"
    assert settings_path(tmp_path / "x.toml") == tmp_path / "x.toml"


def test_round_trip_keeps_every_value_even_quotes_and_unicode(tmp_path):
    wanted = Settings(
        output_folder='C:\\certs "new"', key_type="ec:p256", theme="textual-light",
        subject=SubjectDefaults(o="Müller [Lab] GmbH", ou="IT", l="Köln", st="NRW", c="DE"),
    )
    path = save_settings(wanted, tmp_path / "deep" / "settings.toml")
    loaded = load_settings(path)
    assert not loaded.broken and loaded.settings == wanted


def test_missing_file_gives_defaults_without_a_message(tmp_path):
    loaded = load_settings(tmp_path / "none.toml")
    assert loaded.settings == Settings() and not loaded.broken


def test_broken_and_invalid_files_give_defaults_and_one_sentence(tmp_path):
    for text in ('output_folder = "unclosed', "key_type = 5", 'key_type = "rsa:1024"',
                 '[subject]\nc = "Germany"', "subject = 3"):
        path = tmp_path / "settings.toml"
        path.write_text(text)
        loaded = load_settings(path)
        assert loaded.broken and loaded.settings == Settings(), text
        assert str(path) in loaded.problem and "\n" not in loaded.problem


async def test_broken_settings_file_shows_a_message_and_is_not_overwritten(tmp_path):
    path = tmp_path / "settings.toml"
    broken = b'theme = "nord\n[subject\n'
    path.write_bytes(broken)
    app = CollabcertApp(settings_path=path, cwd=tmp_path, task_modules=TASKS)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in app._notifications]
        assert any("Settings not used" in m and str(path) in m for m in messages)
        assert app.theme == "textual-dark" and app.settings == Settings()
        await pilot.press("s")
        await on_screen(pilot, SettingsScreen)
        await pilot.press("ctrl+s")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("escape")  # keep the file
        await on_screen(pilot, SettingsScreen)
    assert path.read_bytes() == broken


async def test_settings_screen_saves_and_validates(tmp_path):
    path = tmp_path / "settings.toml"
    app = CollabcertApp(settings_path=path, cwd=tmp_path, task_modules=TASKS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await on_screen(pilot, SettingsScreen)
        screen = app.screen
        screen.query_one("#output-folder", Input).value = "out"
        screen.query_one("#subject-o", Input).value = "Example [Lab]"
        screen.query_one("#subject-c", Input).value = "Germany"
        screen.query_one("#key-type", Select).value = "ec:p384"
        screen.query_one("#theme", Select).value = "textual-light"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "two-letter" in error_text(app)
        assert not path.exists()
        screen.query_one("#subject-c", Input).value = "de"
        await pilot.press("ctrl+s")
        await on_screen(pilot, HomeScreen)
        assert app.theme == "textual-light"
    saved = load_settings(path).settings
    assert saved.output_folder == "out" and saved.key_type == "ec:p384"
    assert saved.subject.o == "Example [Lab]" and saved.subject.c == "DE"


async def test_default_output_folder_from_settings_is_preselected(tmp_path):
    from pki import issue
    from textual.widgets import RadioSet

    from collabcert.screens.choose import ChooseFilesStep
    from collabcert.screens.convert import ConvertOutputStep, ConvertWhatStep

    (tmp_path / "out").mkdir()
    (tmp_path / "a.cer").write_bytes(issue("a.example.com").der)
    path = tmp_path / "settings.toml"
    save_settings(Settings(output_folder=str(tmp_path / "out")), path)
    app = CollabcertApp(settings_path=path, cwd=tmp_path, task_modules=TASKS)
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "convert", ChooseFilesStep)
        pick_files(pilot, ["a.cer"])
        await next_to(pilot, ConvertWhatStep)
        await next_to(pilot, ConvertOutputStep)
        assert app.screen.query_one("#where", RadioSet).pressed_button.id == "to-folder"
        assert app.screen.query_one("#folder", Input).value == str(tmp_path / "out")


# --- one TOML writer (issue 15 item 8) -----------------------------------------------------------

_AWKWARD = st.sampled_from(["\x00", "\x1f", "\x7f", "\n", "\t", '"', "\\", "ü", "😀", "\u2028"])
_ANY_TEXT = st.text(st.one_of(_AWKWARD, st.characters(exclude_categories=("Cs",))), max_size=12)


@hypothesis_settings(max_examples=150, deadline=None)
@given(_ANY_TEXT, _ANY_TEXT, _ANY_TEXT, _ANY_TEXT, _ANY_TEXT,
       st.dictionaries(_ANY_TEXT.filter(bool), st.sampled_from(["escape,ctrl+b", "f5", "x"]),
                       max_size=3))
def test_settings_round_trip_every_character(folder, theme, o, ou, place, keymap):
    # U+007F passed the old hand-made writer raw, and tomllib then refused the saved file
    wanted = Settings(output_folder=folder, theme=theme or "textual-dark",
                      subject=SubjectDefaults(o=o, ou=ou, l=place, st=place, c="DE"),
                      keymap=tuple(keymap.items()))
    text = to_toml(wanted)
    data = tomllib.loads(text)
    assert data["output_folder"] == folder and data["subject"]["o"] == o
    assert data.get("keymap", {}) == keymap
    assert from_dict(data) == wanted


def test_saved_settings_with_delete_characters_load_again(tmp_path):
    wanted = Settings(output_folder="a\x7fb", subject=SubjectDefaults(o="x\x7f\x01y"))
    loaded = load_settings(save_settings(wanted, tmp_path / "settings.toml"))
    assert not loaded.broken and loaded.settings == wanted


def test_settings_written_by_the_old_writer_still_load(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(
        "# collabcert settings (edit here or in the app: Settings on the home screen)\n"
        'output_folder = "C:\\\\certs \\"new\\""\nkey_type = "ec:p256"\ntheme = "textual-light"\n'
        '\n[subject]\no = "M\\u00fcller \\u0001"\nou = ""\nl = "Köln"\nst = ""\nc = "DE"\n'
        '\n[keymap]\n"flow.back" = "escape,ctrl+b"\n', encoding="utf-8")
    loaded = load_settings(path)
    assert not loaded.broken
    assert loaded.settings == Settings(
        output_folder='C:\\certs "new"', key_type="ec:p256", theme="textual-light",
        subject=SubjectDefaults(o="Müller \x01", l="Köln", c="DE"),
        keymap=(("flow.back", "escape,ctrl+b"),))
