"""What the bundle flow keeps between steps (typed), and how it asks the engine's jobs.

No Textual and no cryptography here. A trust list kind calls collabcert.jobs.trustlist, a chain
kind collabcert.jobs.bundle: the same jobs `collabcert bundle [--trust-list]` calls, so a key
inside the files (a .pfx) picks the leaf here as it does there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabcert.jobs.bundle import BundleResult, bundle_job
from collabcert.jobs.trustlist import TrustListResult, trust_list_job
from collabcert.screens.import_cert_state import TARGET_WORDS, TargetChoice, sources_of
from collabcert.tui.paths import typed_path

TRUST_KINDS: dict[str, tuple[str, str]] = {
    "trust-expressway": ("Expressway trusted CA list", "every certificate in one PEM"),
    "trust-cucm": ("CUCM -trust upload set", "one file per certificate, roots first"),
}
KINDS: dict[str, tuple[str, str]] = {
    **TRUST_KINDS,
    "chain-expressway": ("Chain for Expressway", TARGET_WORDS["expressway"][1]),
    "chain-cms": ("Chain for Meeting Server", TARGET_WORDS["cms"][1]),
    "chain-cucm": ("Chain for CUCM / IM&P", TARGET_WORDS["cucm"][1]),
    "chain-fullchain": ("One full-chain file", "the leaf and then each issuer"),
}


@dataclass
class BundleChoice(TargetChoice):
    kind: str = "trust-expressway"
    # fingerprints left out of a trust list (issue 12 item 11); None until the findings step
    # first shows the list and fills in the suggested drops
    dropped: set[str] | None = None

    @property
    def is_trust(self) -> bool:
        return self.kind.startswith("trust-")


@dataclass(slots=True)
class BundleState:
    """Everything the bundle flow's steps share."""

    picker: Any = None  # tui.picker.PickerState of the files chosen
    load: Any = None  # tui.loading.LoadResult of them
    choice: BundleChoice = field(default_factory=BundleChoice)
    result: TrustListResult | BundleResult | None = None  # from the job
    written: list[Path] = field(default_factory=list)

    @property
    def plan(self) -> list[Any]:
        """The files to write (tui/write_step.py reads `plan`)."""
        return list(self.result.files) if self.result is not None else []


def build(state: BundleState, cwd: Path, at: dt.datetime, exclude: Collection[str] = ()
          ) -> TrustListResult | BundleResult:
    """The job for the chosen kind (runs in a thread; InputError when there is no certificate).
    `exclude`: trust list entries the user dropped (their fingerprints)."""
    choice, sources = state.choice, sources_of(state.load)
    if choice.is_trust:
        return trust_list_job(sources, product=choice.kind.removeprefix("trust-"),
                              out_dir=typed_path(choice.folder or "", cwd),
                              cucm_type=choice.cucm_type, problems=state.load.problems, at=at,
                              exclude=exclude)
    choice.target = choice.kind.removeprefix("chain-")
    return bundle_job(sources, choice.options(cwd), problems=state.load.problems, at=at)
