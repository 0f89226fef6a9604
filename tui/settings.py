"""User settings: a small TOML file in the user config folder (platformdirs).

A broken file never stops the app: it gives the defaults plus one plain message, and the app does
not write over it unless the user says so on the settings screen. Tests (and careful users) point
the app at another file with COLLABCERT_SETTINGS=/path/settings.toml or the `path` argument.

`[keymap]` rebinds keys by Binding id (`"flow.back" = "escape,ctrl+b"`; the ids are listed in
assets/help/settings.md, and Ctrl+P then Keys shows the keys in use). The app applies it with
Textual's keymap API; an id no screen has is reported once by the app, not treated as broken.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

SETTINGS_ENV = "COLLABCERT_SETTINGS"
KEY_TYPES = ("rsa:2048", "rsa:3072", "rsa:4096", "ec:p256", "ec:p384", "ec:p521")
SUBJECT_FIELDS = ("o", "ou", "l", "st", "c")
DEFAULT_THEME = "textual-dark"
# One key: letters, digits, `+` between modifiers, `_`/`-` in names (ctrl+b, f5, question_mark).
_KEY = re.compile(r"[A-Za-z0-9_+-]+|[!-~]")

Keymap = tuple[tuple[str, str], ...]  # (binding id, "key,key"), in the file's order


@dataclass(frozen=True)
class SubjectDefaults:
    o: str = ""
    ou: str = ""
    l: str = ""  # noqa: E741 - the X.500 attribute is called L (locality)
    st: str = ""
    c: str = ""


@dataclass(frozen=True)
class Settings:
    output_folder: str = ""  # empty: next to each input file
    key_type: str = "rsa:2048"
    theme: str = DEFAULT_THEME
    subject: SubjectDefaults = field(default_factory=SubjectDefaults)
    keymap: Keymap = ()

    def keymap_dict(self) -> dict[str, str]:
        return dict(self.keymap)


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    path: Path
    problem: str = ""  # one sentence when the file could not be used; the defaults apply then

    @property
    def broken(self) -> bool:
        return bool(self.problem)


def settings_path(path: str | Path | None = None) -> Path:
    if path is not None:
        return Path(path)
    if os.environ.get(SETTINGS_ENV):
        return Path(os.environ[SETTINGS_ENV])
    from platformdirs import user_config_dir  # late: only the TUI needs it

    return Path(user_config_dir("collabcert")) / "settings.toml"


def load_settings(path: str | Path | None = None) -> LoadedSettings:
    target = settings_path(path)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return LoadedSettings(Settings(), target)
    except OSError as exc:
        return LoadedSettings(Settings(), target, f"{target}: could not be read ({exc.strerror}).")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        return LoadedSettings(from_dict(data), target)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, TypeError) as exc:
        return LoadedSettings(
            Settings(), target, f"{target}: is not valid settings ({exc}); using the defaults."
        )


def from_dict(data: dict) -> Settings:
    """Strict: a wrong type or an unknown key type is an error, so typos do not pass silently."""
    subject = data.get("subject", {})
    if not isinstance(subject, dict):
        raise ValueError("[subject] must be a table")
    values = {name: _text(subject, name) for name in SUBJECT_FIELDS}
    settings = Settings(
        output_folder=_text(data, "output_folder"),
        key_type=_text(data, "key_type") or Settings.key_type,
        theme=_text(data, "theme") or DEFAULT_THEME,
        subject=SubjectDefaults(**values),
        keymap=_keymap(data.get("keymap", {})),
    )
    problem = validate(settings)
    if problem:
        raise ValueError(problem)
    return settings


def validate(settings: Settings) -> str:
    if settings.key_type not in KEY_TYPES:
        return f"key_type must be one of {', '.join(KEY_TYPES)}"
    country = settings.subject.c
    if country and not (len(country) == 2 and country.isalpha()):
        return "subject c (country) must be a two-letter code such as DE"
    return ""


def _keymap(table: object) -> Keymap:
    """`[keymap]`: binding id -> comma-separated keys; a malformed entry makes the file broken."""
    if not isinstance(table, dict):
        raise ValueError("[keymap] must be a table")
    pairs = []
    for binding_id, keys in table.items():
        if not isinstance(keys, str):
            raise ValueError(f'keymap {binding_id} must be text in quotes, such as "ctrl+b"')
        names = [k.strip() for k in keys.split(",")]
        if not all(_KEY.fullmatch(k) for k in names):
            raise ValueError(f'keymap {binding_id} must list keys such as "escape,ctrl+b", '
                             f"not {keys!r}")
        pairs.append((binding_id, ",".join(names)))
    return tuple(pairs)


def _text(table: dict, name: str) -> str:
    value = table.get(name, "")
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text in quotes")
    return value


def to_toml(settings: Settings) -> str:
    """The file's text, written by tomli-w (the one TOML writer, as for answers files): the old
    hand-made writer let U+007F through and tomllib then refused the saved file (issue 15)."""
    import tomli_w

    top = asdict(settings)
    keymap = top.pop("keymap")
    if keymap:  # binding ids hold dots: tomli-w quotes such keys
        top["keymap"] = dict(keymap)
    return "# collabcert settings (edit here or in the app: Settings on the home screen)\n" + (
        tomli_w.dumps(top))


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    """Write through the engine's safe writer (atomic, re-read); replacing our own file is fine."""
    from collabcert.files import write_file

    target = settings_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_file(target, to_toml(settings).encode("utf-8"), force=True)


def with_subject(settings: Settings, **values: str) -> Settings:
    return replace(settings, subject=replace(settings.subject, **values))
