"""Answers files: a CSR plan's answers saved as TOML and replayed with `csr --answers FILE.toml`.

A support engineer prepares the plan, the customer runs it. The file is small and readable:

    role = "expressway-e"
    key = "rsa:2048"
    digest = "sha256"

    [fields]
    fqdn = "expe.example.com"
    ucm-domains = ["example.com"]

Written with tomli-w, read with tomllib. The role is in the file, so `csr --answers FILE` needs no
ROLE argument (a ROLE given must be the file's). Command-line `--field` values override the
file's.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from collabcert.errors import InputError
from collabcert.files import PlannedFile, write_file
from collabcert.roles import RolePlan, normalize_field_name


@dataclass(frozen=True)
class Answers:
    role: str = ""
    key: str = ""
    digest: str = ""
    fields: dict[str, str | tuple[str, ...]] = field(default_factory=dict)


HEADER = "# collabcert answers: replay with `collabcert csr --answers THIS_FILE`\n"


def dumps(answers: Answers) -> str:
    """The file's text, written by tomli-w (the one TOML writer, as for the settings file):
    every character a field may hold round-trips through tomllib (issue 15 item 8)."""
    import tomli_w

    top: dict[str, object] = {name: getattr(answers, name) for name in ("role", "key", "digest")
                              if getattr(answers, name)}
    top["fields"] = {name: value if isinstance(value, str) else list(value)
                     for name, value in answers.fields.items()}
    return HEADER + tomli_w.dumps(top)


def from_plan(plan: RolePlan) -> Answers:
    return Answers(plan.role.id, str(plan.key_spec), plan.digest, dict(plan.answers))


def loads(text: str, source: str = "answers file") -> Answers:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: is not valid TOML ({exc}); fix the file") from exc
    top = {}
    for name in ("role", "key", "digest"):
        value = data.get(name, "")
        if not isinstance(value, str):
            raise InputError(f"{source}: {name} must be a string")
        top[name] = value
    raw_fields = data.get("fields", {})
    if not isinstance(raw_fields, Mapping):
        raise InputError(f"{source}: [fields] must be a table of field = value")
    fields: dict[str, str | tuple[str, ...]] = {}
    for key, value in raw_fields.items():
        if isinstance(value, str):
            fields[key] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            fields[key] = tuple(value)
        else:
            raise InputError(f"{source}: field {key!r} must be a string or a list of strings")
    unknown = sorted(set(data) - {"role", "key", "digest", "fields"})
    if unknown:
        raise InputError(f"{source}: unknown entry {unknown[0]!r}; only role, key, digest and "
                         "[fields] are read")
    return Answers(top["role"], top["key"], top["digest"], fields)


def load(path: str | Path) -> Answers:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such answers file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a folder; give the answers .toml file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not UTF-8 text; save it as UTF-8") from exc
    return loads(text, str(path))


def merged(base: Mapping[str, str | Sequence[str]], overrides: Mapping[str, str | Sequence[str]]
           ) -> dict[str, str | Sequence[str]]:
    """File answers with command-line ones on top: a field given on the command line wins."""
    result = {normalize_field_name(k): v for k, v in base.items()}
    result.update({normalize_field_name(k): v for k, v in overrides.items()})
    return result


def planned_file(plan: RolePlan, path: str | Path) -> PlannedFile:
    """The answers file as part of a bigger plan (written with the key and CSR, or not at all)."""
    return PlannedFile(Path(path), dumps(from_plan(plan)).encode("utf-8"), what="answers")


def save(plan: RolePlan, path: str | Path, *, force: bool = False) -> Path:
    """Write the plan's answers through the safe writer (never replaced without force)."""
    return write_file(Path(path), dumps(from_plan(plan)).encode("utf-8"), force=force)
