"""The lint job: check files against the products' rules (the CLI's `lint`, the Check flow and,
through collabcert.jobs.mra, the MRA readiness flow).

One request says what both faces can ask: the files (each with an optional role of its own), the
role for all and its field values, the trust list, logs, the MRA addresses or nodes and the
Expressway-C settings. `run()` reads every file (one sentence naming the file when it cannot be
read), checks the field names and values, runs collabcert.lint and returns a frozen LintResult:
the findings, the MRA verdict rows, the exit decision and the plain report. Lint writes no file,
so `files` is always empty and `blocked` always "".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from collabcert.errors import InputError, NothingReadable
from collabcert.findings import Finding
from collabcert.jobs.lint_fields import LINT_FIELDS
from collabcert.lint import LintInput, LintOptions, LintReport, run_lint
from collabcert.lint.context import PSEUDO_ROLES, TRUST
from collabcert.lint.mra import NodeFiles, VerdictRow
from collabcert.report import plain_report

if TYPE_CHECKING:
    from collabcert.files import PlannedFile



@dataclass(frozen=True)
class LintFile:
    """One input as the person named it: a path the job reads, or bytes already in hand
    (standard input, pasted text). `role` is its own role (None: the role for all)."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    role: str | None = None


@dataclass(frozen=True)
class LintRequest:
    files: tuple[LintFile, ...]
    role: str | None = None  # the role for all the files (None: general rules only)
    fields: Mapping[str, str] = field(default_factory=dict)
    trust: tuple[LintFile, ...] = ()  # the box's trust list (role `trust`)
    logs: tuple[LintFile, ...] = ()  # Expressway logs or pasted traffic-server lines
    options: LintOptions = field(default_factory=LintOptions)  # MRA and Expressway settings
    nodes: tuple[NodeFiles, ...] = ()  # MRA nodes and their files (the MRA flow)


@dataclass(frozen=True)
class LintResult:
    report: LintReport
    role: str | None
    files: tuple[PlannedFile, ...] = ()  # lint writes nothing
    next_steps: tuple[str, ...] = ()
    blocked: str = ""  # nothing to write, so never blocked
    # (name, sentence) per input that could not be read: the others were still checked
    # (DESIGN.md: several FILEs); each is also a READ error finding
    problems: tuple[tuple[str, str], ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.report.findings

    @property
    def verdicts(self) -> tuple[VerdictRow, ...]:
        return tuple(self.report.verdicts)

    @property
    def checked(self) -> tuple[str, ...]:
        return self.report.checked

    @property
    def failed(self) -> bool:
        return self.report.failed

    @property
    def exit_code(self) -> int:
        """0 when there are only warnings and info, 1 when any error was found, 2 when an
        input could not be read (after the others were checked)."""
        if self.problems:
            return 2
        return 1 if self.failed else 0

    def text(self) -> str:
        """The plain report for a ticket (verdict rows, then every finding)."""
        return plain_report(self.findings, self.verdicts)

    def to_json(self) -> dict[str, object]:
        return self.report.to_json()


def role_id_of(role: str | None) -> str | None:
    """The catalogue ID of the role for all; InputError (one sentence) for an unknown one."""
    from collabcert.roles import get_role

    if not role:
        return None
    if role.strip().lower() in PSEUDO_ROLES:
        raise InputError(f"{role!r} is not a product role; give it per file as FILE@{role}")
    return get_role(role).id


def known_fields(role_id: str | None) -> set[str]:
    from collabcert.roles import get_role

    allowed = set(LINT_FIELDS)
    if role_id:
        allowed |= {f.name for f in get_role(role_id).fields}
    return allowed


def field_problem(role_id: str | None, values: Mapping[str, str]) -> str:
    """The first field value the catalogue refuses, as one sentence ("" when all are fine)."""
    from collabcert.roles import get_role_or_none

    role = get_role_or_none(role_id) if role_id else None
    for spec in role.fields if role else ():
        text = values.get(spec.name, "").strip()
        if text:
            checked = spec.check(text)
            if checked.error:
                return f"{spec.label}: {checked.error}"
    return ""


def checked_fields(role_id: str | None, fields: Mapping[str, str]) -> dict[str, str]:
    """The field values lint is given (empty ones dropped); InputError for an unknown field
    name or a value the catalogue refuses (the same rule in both faces)."""
    allowed = known_fields(role_id)
    out: dict[str, str] = {}
    for raw, value in fields.items():
        name = raw.strip().lower()
        if name not in allowed:
            raise InputError(f"--field {name}: not a field of this role or of lint; known: "
                             f"{', '.join(sorted(allowed))}")
        if value.strip():
            out[name] = value.strip()
    problem = field_problem(role_id, out)
    if problem:
        raise InputError(problem)
    return out


def read(item: LintFile) -> bytes:
    """The input's bytes; a read error names the input as the person named it."""
    from collabcert.load import read_file

    if item.data is not None:
        return item.data
    if item.path is None:
        raise InputError(f"{item.name}: nothing to read")
    try:
        return read_file(item.path)
    except InputError as exc:
        raise InputError(str(exc).replace(str(item.path), item.name, 1)) from exc


def inputs_of(request: LintRequest) -> list[LintInput]:
    inputs = [LintInput(f.name, read(f), f.role) for f in request.files]
    inputs += [LintInput(f.name, read(f), TRUST) for f in request.trust]
    return inputs


def readable_inputs(request: LintRequest
                    ) -> tuple[list[LintInput], list[tuple[str, str]]]:
    """The inputs that can be read, and (name, sentence) for each file that cannot: lint goes
    on with the others (DESIGN.md: several FILEs). A locked key is readable here: lint says
    so as a finding (seed-001 KEY-ENC)."""
    from collabcert.errors import PasswordNeeded
    from collabcert.load import load_bytes

    inputs: list[LintInput] = []
    problems: list[tuple[str, str]] = []
    given = [(f, f.role) for f in request.files] + [(f, TRUST) for f in request.trust]
    for item, role in given:
        try:
            data = read(item)
            if b"-----BEGIN X509 CRL-----" not in data and not _der_crl(data):
                load_bytes(data, item.name, request.options.password)
        except PasswordNeeded:
            pass
        except InputError as exc:
            problems.append((item.name, str(exc)))
            continue
        inputs.append(LintInput(item.name, data, role))
    return inputs, problems


def _der_crl(data: bytes) -> bool:
    from cryptography import x509

    try:
        x509.load_der_x509_crl(data)
    except ValueError:
        return False
    except x509.InvalidVersion:
        return True  # a CRL all the same: lint says what is wrong with it (issue 11 item 12)
    return True


def run(request: LintRequest, *, now: dt.datetime | None = None) -> LintResult:
    """Check the request's files. Raises InputError (one sentence) for bad usage or input."""
    from dataclasses import replace

    role_id = role_id_of(request.role)
    fields = checked_fields(role_id, request.fields)
    inputs, problems = readable_inputs(request)
    if problems and not inputs and not request.logs:
        raise NothingReadable(problems)
    logs = tuple((f.name, read(f).decode("utf-8", "replace")) for f in request.logs)
    options = replace(request.options, logs=(*request.options.logs, *logs))
    report = run_lint(inputs, role=role_id, fields=fields, now=now, options=options,
                      nodes=request.nodes)
    if report.verdicts and request.trust and not report.trust_certificates:
        names = ", ".join(f.name for f in request.trust)
        raise InputError(f"the trust list ({names}) holds no certificates; give the "
                         "Expressway-C trusted CA list")
    if problems:
        from collabcert import rules

        unread = tuple(rules.get("READ").finding(sentence, where=name)
                       for name, sentence in problems)
        report = replace(report, findings=unread + report.findings)
    return LintResult(report, role_id, problems=tuple(problems))


def addresses_of(texts: Sequence[str]) -> tuple[str, ...]:
    """Addresses typed as lists (commas, semicolons or spaces), each once, in order."""
    parts = [p.strip() for text in texts
             for p in text.replace(";", ",").replace(" ", ",").split(",")]
    return tuple(dict.fromkeys(p for p in parts if p))
