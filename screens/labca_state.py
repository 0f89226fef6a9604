"""What the "Lab CA" flow keeps between its steps (LabCaFlow.state_type), and its engine calls.

No Textual here. The steps keep what was picked and typed; the lab CA job (collabcert.jobs.ca,
the one `collabcert ca init` and `collabcert ca sign` call) checks the CSR, makes a new CA when
asked, signs, and plans the files. A new CA is written together with the certificate, after the
review, in one plan: nothing is written before the person presses Write files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabcert import ca as engine
from collabcert.errors import InputError
from collabcert.jobs.ca import CaInitResult, SignRequest, SignResult, init_ca, sign_csr
from collabcert.tui.paths import typed_path
from collabcert.tui.picker_state import PickerState

NO_ROLE = "-"  # the role list's "no role" entry (a Select value must not be blank)
DEFAULT_CA_FOLDER = "lab-ca"


@dataclass(slots=True)
class LabCaState:
    picker: PickerState = field(default_factory=PickerState)
    load: Any = None  # tui.loading.LoadResult: what the CSR step read
    csr: Any = None  # the x509 CSR to sign
    csr_name: str = ""  # as shown: the file, or "pasted text"
    csr_path: Path | None = None  # the file it came from (None: pasted)
    ca_folder: str = DEFAULT_CA_FOLDER  # as typed
    create: bool = True  # make a CA in the folder when it holds none
    intermediate: bool = True  # a new CA gets an issuing CA under its root
    role_id: str = NO_ROLE
    days: str = str(engine.DEFAULT_DAYS)
    out_folder: str = ""  # "" -> next to the CSR
    new_ca: CaInitResult | None = None  # the CA made on the options step, written with the rest
    result: SignResult | None = None
    written: list[Path] = field(default_factory=list)

    @property
    def plan(self) -> list[Any]:
        """The files to write (tui/write_step.py reads `plan`): a new CA first, then the
        certificate, its CA chain and the fullchain."""
        files = list(self.new_ca.files) if self.new_ca is not None else []
        return files + (list(self.result.files) if self.result is not None else [])


def csr_of(load: Any) -> tuple[Any, str, Path | None]:
    """(CSR, name, path) of the one CSR among what was read; InputError otherwise."""
    found = [(csr, loaded) for loaded in load.loaded for csr in loaded.csrs]
    if len(found) != 1:
        what = "no CSR" if not found else f"{len(found)} CSRs"
        raise InputError(f"What was chosen holds {what}; choose exactly one CSR to sign.")
    csr, loaded = found[0]
    return csr, loaded.source, loaded.path


def csr_san_texts(csr: Any) -> list[str]:
    """`DNS:a`, `IP:192.0.2.1`: the CSR's SANs as the review and `ca sign` show them."""
    from collabcert.model import general_names

    found = engine.csr_sans(csr)
    return [f"{kind}:{value}" for kind, value in general_names(found or [])]


def use_csr(state: LabCaState, csr: Any, name: str, path: Path | None) -> None:
    if state.csr_path != path or state.csr_name != name:
        state.out_folder = ""  # a new CSR: its files go next to it again
    state.csr, state.csr_name, state.csr_path = csr, name, path


def ca_folder(state: LabCaState, cwd: Path) -> Path:
    return typed_path(state.ca_folder or DEFAULT_CA_FOLDER, cwd)


def folder_text(state: LabCaState, cwd: Path) -> str:
    """One line under the CA folder: what is there, and what Next will do with it."""
    folder = ca_folder(state, cwd)
    if not engine.has_ca(folder):
        if not state.create:
            return "No lab CA in this folder. Tick 'Create a new lab CA' or choose another."
        kind = "root and intermediate" if state.intermediate else "root only"
        return f"No lab CA here yet: a new one ({kind}, {engine.DEFAULT_KEY}) will be made."
    try:
        found = engine.load_ca(folder)
    except InputError as exc:
        return f"Cannot use it: {exc}"
    from collabcert.dn import name_label

    how = "its intermediate" if found.has_intermediate else "the root itself"
    return f"Lab CA '{name_label(found.root.subject)}'; {how} signs."


def days_problem(text: str) -> str:
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= engine.MAX_DAYS:
        return (f"Days: give a whole number from 1 to {engine.MAX_DAYS} (default "
                f"{engine.DEFAULT_DAYS}).")
    return ""


def out_dir(state: LabCaState, cwd: Path) -> Path:
    if state.out_folder.strip():
        return typed_path(state.out_folder, cwd)
    return state.csr_path.parent if state.csr_path is not None else cwd


def prepare(state: LabCaState, cwd: Path, now: dt.datetime | None = None
            ) -> tuple[CaInitResult | None, SignResult]:
    """The CA (the folder's, or a new one made here: the slow key generation) and the signed
    certificate, with every file planned; InputError / WriteRefused with one sentence."""
    if state.csr is None:
        raise InputError("Choose the CSR first (go Back).")
    problem = days_problem(state.days)
    if problem:
        raise InputError(problem)
    folder = ca_folder(state, cwd)
    target = out_dir(state, cwd)
    if not target.is_dir():
        raise InputError(f"{target}: the output folder does not exist; create it first.")
    source = str(state.csr_path) if state.csr_path is not None else state.csr_name
    request = SignRequest(state.csr, source, folder,
                          role=None if state.role_id == NO_ROLE else state.role_id,
                          days=int(state.days), out_dir=target)
    new = None
    if not engine.has_ca(folder):
        if not state.create:
            raise InputError(f"{folder}: holds no lab CA; tick 'Create a new lab CA' or choose "
                             "the folder of collabcert ca init.")
        new = init_ca(folder, intermediate=state.intermediate, now=now)
    signer = new.ca.signer(folder) if new is not None else None
    return new, sign_csr(request, ca=signer, now=now)
