"""The csr job: review a role plan before anything is written, then make the key and the CSR.

Two calls, because the wizard shows the review before the slow key generation:
`review_csr(plan, out_dir, ...)` says what will be written (collabcert.files.PlannedFile, data
still empty), every finding (the plan's, a reused key's own check, the locked/reused key
notes), the next steps, the on-box equivalent, and `blocked` (why writing cannot go on);
`write_csr(review, ...)` makes (or reuses) the key, signs the CSR and writes both through
collabcert.csr.create. `collabcert csr` calls both at once; the wizard's review step calls the
first and its Write button the second, so the findings and next steps seen before writing are
the ones reported after (they used to differ: the wizard left out a reused key's check, the CLI
the multi-SAN step).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collabcert.files import PlannedFile, folder_problem
from collabcert.findings import Finding
from collabcert.onbox import OnBox
from collabcert.roles import RolePlan


@dataclass(frozen=True)
class CsrReview:
    """What will be written and what to know first; nothing has been made yet."""

    plan: RolePlan
    out_dir: Path
    planned: tuple[PlannedFile, ...]  # key (unless a reused key stays in place), then the CSR
    findings: tuple[Finding, ...]
    next_steps: tuple[str, ...]
    onbox: OnBox
    reuse_key: Any = None  # the key to reuse (a pyca key), None for a new one
    key_source: Path | None = None  # where the reused key came from
    keeps_key_file: bool = False  # the reused key is the target key file: only the CSR is new
    encrypted: bool = False  # the new key is written encrypted with a passphrase
    blocked: str = ""  # why writing cannot go on; "" when it may
    make_folder: bool = False  # a missing output folder is made when writing (CLI --out)


@dataclass(frozen=True)
class CsrResult:
    """What was written: the engine's outcome, with the review's next steps and on-box text."""

    review: CsrReview
    outcome: Any  # collabcert.csr.CsrOutcome: the CSR, its PEM, key label, paths written

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.outcome.findings

    @property
    def next_steps(self) -> tuple[str, ...]:
        return self.review.next_steps

    @property
    def onbox(self) -> OnBox:
        return self.review.onbox


# Why a CSR with several SANs needs a multi-SAN certificate, in each product's own document
# (issue 12 item 16: a CMS or CUCM screen cites its own product's guide, never the Expressway one).
_MULTI_SAN_WHY = {
    "expressway": "(seed-001 G10)",
    "cms": "a list the Meeting Server takes (seed-003 G10)",
    "cucm": "and the CA must copy them into the certificate (seed-004 L67)",
    "imp": "and the CA must copy them into the certificate (seed-004 L67)",
}


def next_steps(plan: RolePlan) -> list[str]:
    """The role's next steps; with several SANs, the CA must issue a multi-SAN certificate."""
    steps = list(plan.next_steps)
    if len(plan.sans) > 1 and not any("multi-SAN" in s for s in steps):
        why = _MULTI_SAN_WHY.get(plan.role.product, "")
        comma = "" if why.startswith("(") else ","
        steps.insert(1, f"Ask the CA for a multi-domain (multi-SAN) certificate: the CSR has "
                        f"{len(plan.sans)} SANs{comma} {why}.")
    return steps


def review_csr(
    plan: RolePlan,
    out_dir: str | Path,
    *,
    reuse_key: Any = None,
    key_source: str | Path | None = None,
    encrypt: bool = False,
    make_folder: bool = False,
) -> CsrReview:
    """Everything known before the key is made. A reused key the role cannot take raises
    InputError (as a new one would); a missing output folder is `blocked`, unless
    `make_folder` (the CLI: `--out DIR` is made as `mkdir -p` would, once writing starts)."""
    from collabcert import csr, onbox

    folder = Path(out_dir)
    key_path, request_path = csr.target_paths(plan, folder)
    reused = reuse_key is not None
    keeps = reused and key_source is not None and csr.same_file(key_source, key_path)
    findings = list(plan.findings)
    if reused:
        findings += [f for f in csr.check_key(plan, reuse_key) if f not in findings]
    encrypted = encrypt and not keeps
    findings += csr.key_notes(plan, encrypted=encrypted, reused=reused)
    planned = [PlannedFile(request_path, b"", what="CSR")]
    if not keeps:
        planned.insert(0, PlannedFile(key_path, b"", private=True, what="private key"))
    blocked = _folder_problem(folder, make_folder)
    return CsrReview(plan, folder, tuple(planned), tuple(findings), tuple(next_steps(plan)),
                     onbox.onbox_for(plan), reuse_key,
                     Path(key_source) if key_source is not None else None, keeps, encrypted,
                     blocked, make_folder)


def _folder_problem(folder: Path, make_folder: bool) -> str:
    """files.folder_problem, except that a missing folder is fine when it is to be made; a
    file in the way is named (the part of the path that is a file)."""
    in_the_way = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()),
                      None)
    if in_the_way is not None:
        return f"{in_the_way}: is a file, not a folder; give the folder for the key and the CSR"
    if make_folder and not folder.exists():
        return ""
    return folder_problem(folder)


def write_csr(
    review: CsrReview, *, key: Any = None, passphrase: bytes | None = None, force: bool = False,
    inputs: Sequence[str | Path] = (), also: Sequence[PlannedFile] = (),
) -> CsrResult:
    """Make the key (or take `key`, made earlier in a worker, or the review's reused key), sign
    the CSR and write both; nothing is written on a refusal. `inputs`: files read (no output may
    be one of them); `also`: more files of the same plan (the saved answers)."""
    from collabcert import csr
    from collabcert.errors import InputError

    if review.blocked:
        raise InputError(review.blocked)
    reused = review.reuse_key is not None
    outcome = csr.create(review.plan, review.out_dir, key=review.reuse_key if reused else key,
                         key_source=review.key_source, passphrase=passphrase, force=force,
                         reused=reused, inputs=inputs, also=also,
                         make_folders=review.make_folder)
    return CsrResult(review, outcome)

