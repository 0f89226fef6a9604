"""Binding ids: which ones the app knows, so a `[keymap]` entry naming none of them is reported.

Every Binding of the app, its screens and its widgets has an id `<scope>.<action>` (app.help,
flow.next, home.settings, csr.copy_key ...): the settings file rebinds keys by these ids, through
Textual's keymap API (App.set_keymap). The ids are read from the classes themselves, so a new
screen's bindings are known as soon as its module is imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widget import Widget


def own_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The Bindings a class declares itself (not those it inherits), tuples made Bindings."""
    declared = cls.__dict__.get("BINDINGS", [])
    return [b if isinstance(b, Binding) else Binding(*b) for b in declared]


def subclasses(root: type) -> Iterator[type]:
    """Every subclass of `root` imported so far, each once."""
    seen: set[type] = set()
    todo = list(root.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            yield cls
            todo.extend(cls.__subclasses__())


def binding_ids(classes: Iterable[type[DOMNode]]) -> set[str]:
    return {b.id for cls in classes for b in own_bindings(cls) if b.id}


def known_binding_ids() -> set[str]:
    """The ids of every App, Screen and Widget class imported so far (Textual's own included)."""
    return binding_ids([App, *subclasses(App), Widget, *subclasses(Widget)])


def unknown_ids(keymap: dict[str, str], known: set[str]) -> list[str]:
    return sorted(binding_id for binding_id in keymap if binding_id not in known)


def key_label(keymap: dict[str, str], binding_id: str, default: str) -> str:
    """How a hint names the key of `binding_id`: `default` ("F1") unless the keymap moved it,
    then its first key written the same way (ctrl+b -> Ctrl+B, f2 -> F2, escape stays)."""
    first = keymap.get(binding_id, "").split(",")[0].strip()
    if not first:
        return default
    *modifiers, key = first.split("+")
    if (modifiers and len(key) == 1) or re.fullmatch(r"f\d+", key):
        key = key.upper()
    return "+".join([*(m.capitalize() for m in modifiers), key])
