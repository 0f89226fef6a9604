"""Binding ids and the keymap from settings: every Binding has an id `<scope>.<action>`, each id
is declared once, and `[keymap]` in settings.toml rebinds keys (Textual's App.set_keymap)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys

from textual.app import App
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Label
from tui_support import SIZE, error_text, on_screen, start_task, wait_for

import collabcert.screens
import collabcert.tui
from collabcert.screens.choose import ChooseFilesStep
from collabcert.screens.home import HomeScreen
from collabcert.screens.settings import SettingsScreen
from collabcert.tui.app import CollabcertApp
from collabcert.tui.help import HelpScreen
from collabcert.tui.keymap import key_label, known_binding_ids, own_bindings, unknown_ids
from collabcert.tui.settings import Settings, load_settings, save_settings

ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
# Screens of the flow helpers (issue 10) whose Bindings get their `<flow>.<action>` ids in the
# same round; this set only ever shrinks (a test fails when a listed class has its ids).
_STILL_WITHOUT_IDS: set[str] = set()


def _face_classes() -> list[type[DOMNode]]:
    """Every App, Screen and Widget class defined in tui/ and screens/ (all modules imported)."""
    for package in (collabcert.tui, collabcert.screens):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    found = []
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith(("collabcert.tui.", "collabcert.screens.")):
            continue
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, (App, Widget))
                    and value.__module__ == module_name):
                found.append(value)
    return found


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def test_every_binding_of_every_screen_and_widget_has_an_id_of_the_convention() -> None:
    classes = _face_classes()
    assert {"HomeScreen", "FlowStep", "ConfirmDialog", "FindingsPanel", "CollabcertApp"} <= {
        c.__name__ for c in classes}  # the walk sees every layer
    missing = []
    for cls in classes:
        for binding in own_bindings(cls):
            if not binding.id and _name(cls) not in _STILL_WITHOUT_IDS:
                missing.append(f"{_name(cls)}: {binding.key} -> {binding.action}")
            elif binding.id:
                assert ID.fullmatch(binding.id), (_name(cls), binding.id)
    assert missing == []


def test_each_id_is_declared_once_so_a_keymap_line_rebinds_one_thing() -> None:
    declared: dict[str, str] = {}
    for cls in _face_classes():
        for binding in own_bindings(cls):
            if binding.id:
                assert binding.id not in declared, (binding.id, declared.get(binding.id),
                                                    _name(cls))
                declared[binding.id] = _name(cls)
    assert {"app.help", "app.quit", "flow.next", "flow.back", "home.settings",
            "settings.save"} <= declared.keys()


def test_the_still_without_ids_list_only_names_classes_that_still_lack_ids() -> None:
    by_name = {_name(c): c for c in _face_classes()}
    for name in _STILL_WITHOUT_IDS:
        assert any(not b.id for b in own_bindings(by_name[name])), name


def test_unknown_ids_are_those_no_imported_class_declares() -> None:
    _face_classes()
    known = known_binding_ids()
    assert {"flow.back", "home.quit", "help.close"} <= known
    assert unknown_ids({"flow.back": "f2", "flow.bakc": "f3", "zz.top": "f4"}, known) == [
        "flow.bakc", "zz.top"]


def test_hints_name_a_moved_key_as_the_footer_would() -> None:
    assert key_label({}, "app.help", "F1") == "F1"
    keymap = {"app.help": "f2,f1", "flow.back": "ctrl+b", "home.quit": "escape"}
    assert key_label(keymap, "app.help", "F1") == "F2"
    assert key_label(keymap, "flow.back", "Esc") == "Ctrl+B"
    assert key_label(keymap, "home.quit", "q") == "escape"


# --- settings.toml -----------------------------------------------------------------------------


def test_keymap_round_trips_through_the_settings_file(tmp_path) -> None:
    wanted = Settings(keymap=(("flow.back", "escape,ctrl+b"), ("app.help", "f2")))
    path = save_settings(wanted, tmp_path / "settings.toml")
    assert '"flow.back" = "escape,ctrl+b"' in path.read_text()
    loaded = load_settings(path)
    assert not loaded.broken and loaded.settings == wanted
    assert loaded.settings.keymap_dict() == {"flow.back": "escape,ctrl+b", "app.help": "f2"}


def test_keys_are_tidied_and_malformed_keymaps_make_the_file_broken(tmp_path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[keymap]\n"flow.back" = " escape , ctrl+b "\n')
    assert load_settings(path).settings.keymap == (("flow.back", "escape,ctrl+b"),)
    for text in ('keymap = "f2"', '[keymap]\n"flow.back" = 5', '[keymap]\n"flow.back" = ""',
                 '[keymap]\n"flow.back" = "escape,,f2"', '[keymap]\n"flow.back" = "ctrl b"'):
        path.write_text(text)
        loaded = load_settings(path)
        assert loaded.broken and loaded.settings == Settings(), text
        assert "\n" not in loaded.problem


# --- in the app ----------------------------------------------------------------------------------


async def test_a_keymap_from_settings_rebinds_keys_and_unknown_ids_are_said_once(tmp_path):
    path = tmp_path / "settings.toml"
    save_settings(Settings(keymap=(("flow.next", "f9"), ("flow.back", "escape,ctrl+b"),
                                   ("nope.typo", "f5"))), path)
    app = CollabcertApp(settings_path=path, cwd=tmp_path,
                        task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        def warnings() -> list[str]:
            return [n.message for n in app._notifications if "[keymap]" in n.message]

        await wait_for(pilot, warnings)  # after the flows are imported (all ids known)
        assert len(warnings()) == 1 and "nope.typo" in warnings()[0]
        assert "flow.next" not in warnings()[0]
        app.report_unknown_keymap_ids()  # again (settings saved, say): not repeated
        assert len(warnings()) == 1

        await start_task(pilot, "inspect", ChooseFilesStep)
        await pilot.press("ctrl+n")  # no longer Next: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, ChooseFilesStep) and error_text(app) == ""
        await pilot.press("f9")  # Next now: no file chosen, so the step says why it stays
        await pilot.pause()
        assert isinstance(app.screen, ChooseFilesStep) and error_text(app) != ""
        await pilot.press("ctrl+b")  # the second key of flow.back
        await on_screen(pilot, HomeScreen)


async def test_the_home_hint_names_the_keys_the_keymap_gives(tmp_path):
    path = tmp_path / "settings.toml"
    save_settings(Settings(keymap=(("home.settings", "f3"), ("app.help", "f2"))), path)
    app = CollabcertApp(settings_path=path, cwd=tmp_path,
                        task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, HomeScreen)
        hint = str(app.screen.query_one(".hint", Label).content)
        assert hint.startswith("F3  Settings     F2  Help     q  Quit")
        await pilot.press("s", "f1")  # both moved away: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f2")  # an app-wide (priority) binding moves too
        await on_screen(pilot, HelpScreen)
        await pilot.press("f2")
        await on_screen(pilot, HomeScreen)
        await pilot.press("f3")
        await on_screen(pilot, SettingsScreen)
        await pilot.press("ctrl+s")  # saving the settings screen keeps the file's keymap
        await on_screen(pilot, HomeScreen)
        await pilot.press("f3")
        await on_screen(pilot, SettingsScreen)
    assert load_settings(path).settings.keymap == (("home.settings", "f3"), ("app.help", "f2"))


async def test_the_default_keys_stand_without_a_keymap(tmp_path):
    app = CollabcertApp(settings_path=tmp_path / "none.toml", cwd=tmp_path,
                        task_modules=("collabcert.screens.inspect",))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_task(pilot, "inspect", ChooseFilesStep)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert error_text(app) != ""
        await pilot.press("escape")
        await on_screen(pilot, HomeScreen)
        assert not [n for n in app._notifications if "[keymap]" in n.message]
