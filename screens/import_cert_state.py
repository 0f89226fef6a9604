"""What the import flow keeps between steps (typed), and how it asks the engine's jobs.

No Textual and no cryptography here: the steps read and write these fields, and every question
about certificates goes to collabcert.jobs.importing / bundle (the same jobs `collabcert bundle`
calls), so the wizard and the CLI cannot disagree about a chain, a finding or a file name.
The bundle flow (screens/bundle_state.py) shares TargetChoice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabcert.jobs.bundle import BundleOptions, BundleResult, bundle_job
from collabcert.jobs.importing import ImportChecked, Request, Source, check_import_job
from collabcert.jobs.importing import request_from as _request_from
from collabcert.tui.paths import typed_path

# One line each; the label is "<name>: <meaning>" and must fit 80 columns with the radio button.
TARGET_WORDS: dict[str, tuple[str, str]] = {
    "expressway": ("Expressway", "server certificate + trusted CA list"),
    "cms": ("Meeting Server (CMS)", "<name>.crt + <name>bundle.crt"),
    "cucm": ("CUCM / IM and Presence", "one file per certificate, root first"),
    "fullchain": ("Full chain", "one file, the leaf and then each issuer"),
}


@dataclass
class TargetChoice:
    """The target step's answers (kept across Back/Next)."""

    target: str = "expressway"
    include_root: bool | None = None  # None: the target's default (bundle.ROOT_BY_DEFAULT)
    cms_name: str = ""
    cucm_type: str = "tomcat"
    folder: str | None = None  # None until the target step fills in the default

    def root_wanted(self) -> bool:
        from collabcert.bundle import ROOT_BY_DEFAULT

        return ROOT_BY_DEFAULT[self.target] if self.include_root is None else self.include_root

    def options(self, cwd: Path) -> BundleOptions:
        """The job's options for what was chosen (the folder as typed, relative to `cwd`)."""
        return BundleOptions(
            self.target, out_dir=typed_path(self.folder or "", cwd),
            include_root=self.root_wanted(), name=self.cms_name.strip() or None,
            cucm_type=self.cucm_type,
        )


@dataclass(slots=True)
class ImportState:
    """Everything the import flow's steps share."""

    request_picker: Any = None  # tui.picker.PickerState of "The CSR or key you used"
    picker: Any = None  # tui.picker.PickerState of "What the CA sent"
    load: Any = None  # tui.loading.LoadResult of what the CA sent
    request: Request | None = None
    checked: ImportChecked | None = None  # the match and SAN check
    target: TargetChoice = field(default_factory=TargetChoice)
    result: BundleResult | None = None  # the files, findings and next steps, from the job
    written: list[Path] = field(default_factory=list)

    @property
    def plan(self) -> list[Any]:
        """The files to write (tui/write_step.py reads `plan`)."""
        return list(self.result.files) if self.result is not None else []


def sources_of(result: Any) -> list[Source]:
    """The loaded sources of a tui.loading.LoadResult as the jobs take them: (name, Loaded)."""
    return [(source.name, source.loaded) for source in result.sources
            if source.loaded is not None]


def request_from(result: Any) -> Request:
    """The first CSR and the first private key chosen (InputError when neither)."""
    return _request_from(sources_of(result))


def check_request(state: ImportState, at: dt.datetime) -> ImportChecked:
    """The import check job on what was chosen (CollabcertError when there is no certificate)."""
    return check_import_job(sources_of(state.load), state.request, problems=state.load.problems,
                            at=at)


def plan(state: ImportState, cwd: Path, at: dt.datetime) -> BundleResult:
    """The bundle job for the chosen target: the same call `collabcert bundle --key` makes.
    Judged at the time of the check, so the chain written is the chain the person saw."""
    when = state.checked.at if state.checked is not None else at
    return bundle_job(sources_of(state.load), state.target.options(cwd), state.request,
                      problems=state.load.problems, at=when)
