"""Settings: TOML round trip, a broken file gives a message and the defaults and is kept."""

from __future__ import annotations

from textual.widgets import Input, Select
from tui_support import SIZE, error_text, next_to, on_screen, pick_files, start_task

from collabcert.screens.home import HomeScreen
from collabcert.screens.settings import SettingsScreen
from collabcert.tui.app import CollabcertApp
from collabcert.tui.dialogs import ConfirmDialog
from collabcert.tui.settings import (
    Settings,
    SubjectDefaults,
    load_settings,
    save_settings,
    settings_path,
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
