"""Where styles live: a widget's own look in its DEFAULT_CSS, each screen's layout in
assets/app.tcss; no Screen defines CSS itself, and app.tcss does not restyle our widgets."""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from importlib.resources import files

from textual.screen import Screen
from textual.widget import Widget

import collabcert.screens
import collabcert.tui

# Screens of the flow helpers (issue 10) whose CSS strings move into app.tcss in the same round;
# this set only ever shrinks (a test fails when a listed screen no longer defines CSS).
_STILL_WITH_CSS: set[str] = set()
_SCREEN_STYLES = ("CSS", "CSS_PATH", "DEFAULT_CSS")


def _classes(base: type) -> list[type]:
    """Every subclass of `base` defined in tui/ or screens/ (all their modules imported)."""
    for package in (collabcert.tui, collabcert.screens):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    found = []
    for name, module in list(sys.modules.items()):
        if name.startswith(("collabcert.tui.", "collabcert.screens.")):
            found += [v for v in vars(module).values() if isinstance(v, type)
                      and issubclass(v, base) and v.__module__ == name]
    return found


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _selectors(css: str) -> list[str]:
    """The selector text of every rule (comments dropped; no nesting in our CSS)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [part.strip() for part in re.findall(r"([^{}]+)\{[^{}]*\}", css)]


def _names(selectors: list[str]) -> set[str]:
    """The `#id` and `.class` names the selectors use."""
    return {m for s in selectors for m in re.findall(r"[#.][A-Za-z_-][A-Za-z0-9_-]*", s)}


def _types(selectors: list[str]) -> set[str]:
    return {m for s in selectors for m in re.findall(r"(?<![#.\w-])[A-Z][A-Za-z0-9_]*", s)}


def _app_selectors() -> list[str]:
    return _selectors(files("collabcert.assets").joinpath("app.tcss").read_text("utf-8"))


def test_no_screen_defines_its_own_css() -> None:
    screens = _classes(Screen)
    assert {"HomeScreen", "SettingsScreen", "FlowStep", "ConfirmDialog", "HelpScreen"} <= {
        s.__name__ for s in screens}
    styled = sorted(_name(s) for s in screens
                    if any(attr in vars(s) for attr in _SCREEN_STYLES)
                    and _name(s) not in _STILL_WITH_CSS)
    assert styled == []


def test_the_still_with_css_list_only_names_screens_that_still_define_css() -> None:
    by_name = {_name(s): s for s in _classes(Screen)}
    for name in _STILL_WITH_CSS:
        assert "CSS" in vars(by_name[name]), name


def test_app_tcss_does_not_restyle_what_a_widget_styles_itself() -> None:
    app_selectors = _app_selectors()
    assert "#step-indicator" in _names(app_selectors)  # the parser sees the file
    widgets = [w for w in _classes(Widget) if not issubclass(w, Screen)
               and "DEFAULT_CSS" in vars(w)]
    assert {"SanPreview", "SourcePicker", "FindingItem"} <= {w.__name__ for w in widgets}
    for widget in widgets:
        own = _selectors(widget.DEFAULT_CSS)
        # A widget's DEFAULT_CSS styles that widget: each rule starts with its own type name.
        assert all(s.split()[0].split(":")[0].split(".")[0] == widget.__name__
                   for part in own for s in part.split(",")), (_name(widget), own)
        inner = _names(own)
        assert widget.__name__ not in _types(app_selectors), widget.__name__
        assert not inner & _names(app_selectors), (_name(widget), inner & _names(app_selectors))


def test_the_parsers_read_selectors_types_and_names() -> None:
    found = _selectors("/* x { } */ A #b, .c > D:focus { color: #fff; }\nE.-on .f { }")
    assert found == ["A #b, .c > D:focus", "E.-on .f"]
    assert _names(found) == {"#b", ".c", ".-on", ".f"}
    assert _types(found) == {"A", "D", "E"}
