"""The trust list job: many CA certificates merged, checked and planned as a product's trust list.

One function, `trust_list_job`, used by `collabcert bundle --trust-list` and by the wizard's
"Build a bundle or trust list" (its trust kinds): an Expressway trusted CA list (one PEM) or a
CUCM `<purpose>-trust` upload set (one file per certificate, roots first). The checks are
collabcert.trustlist's (TRUST-DUP-CN, CHN-NOTCA, CHN-EXPIRED, CHN-MAX ...); `blocked` names the
error findings, as the bundle job does, and the faces treat it the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collabcert.errors import InputError
from collabcert.files import PlannedFile
from collabcert.findings import Finding
from collabcert.jobs.bundle import blocked_text, errors_of
from collabcert.jobs.importing import Source, certificates_of, source_findings
from collabcert.trustlist import (
    PRODUCTS,
    Suggestion,
    TrustList,
    build_trust_list,
    plan_trust_list,
    suggest_keep_drop,
)


@dataclass(frozen=True)
class Excluded:
    """A certificate left out by --exclude (or unticked in the wizard)."""

    fingerprint: str
    subject: str
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"fingerprint": self.fingerprint, "subject": self.subject,
                "sources": list(self.sources)}


@dataclass(frozen=True)
class TrustListResult:
    certificates: tuple[tuple[Any, str], ...]  # (certificate, source name) as read
    trust: TrustList  # the entries (duplicates merged) and the list's own findings
    files: tuple[PlannedFile, ...]
    next_steps: tuple[str, ...]
    findings: tuple[Finding, ...]  # the sources', then the list's
    blocked: str  # why writing must not go on; "" when it may
    # keep/drop per entry of each same-CN group (issue 12 item 11); the faces show them
    suggestions: tuple[Suggestion, ...] = ()
    excluded: tuple[Excluded, ...] = ()  # what was left out, as asked

    @property
    def drops(self) -> tuple[Suggestion, ...]:
        return tuple(s for s in self.suggestions if s.action == "drop")

    def exclude_arguments(self) -> str:
        """`--exclude 684c4a2a --exclude 9b24bf4d`: the suggestion as the CLI takes it."""
        return " ".join(f"--exclude {short_fingerprint(s.fingerprint, self.certificates)}"
                        for s in self.drops)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return errors_of(self.findings)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return self.errors if self.blocked else ()

    def to_write(self, anyway: bool = False) -> tuple[PlannedFile, ...]:
        """Nothing while blocked unless anyway (the bundle job's rule, issue 12 item 9)."""
        return self.files if not self.blocked or anyway else ()

    def to_json(self) -> dict[str, object]:
        data = self.trust.to_json()
        data.update({"findings": [f.to_json() for f in self.findings],
                     "files": [str(f.path) for f in self.files],
                     "next_steps": list(self.next_steps), "blocked": self.blocked,
                     "suggestions": [s.to_json() for s in self.suggestions],
                     "excluded": [e.to_json() for e in self.excluded]})
        return data


def _hex(text: str) -> str:
    return text.replace(":", "").replace(" ", "").strip().lower()


def short_fingerprint(fp: str, certificates: Sequence[tuple[Any, str]], least: int = 8) -> str:
    """The shortest prefix (at least `least` hex digits) that names only this certificate."""
    from collabcert.chain import fingerprint

    others = {fingerprint(c) for c, _ in certificates} - {fp}
    for size in range(least, len(fp) + 1):
        if not any(o.startswith(fp[:size]) for o in others):
            return fp[:size]
    return fp


def resolve_excludes(texts: Sequence[str], certificates: Sequence[tuple[Any, str]]
                     ) -> tuple[str, ...]:
    """The full SHA-256 of each --exclude: hex with or without colons, or a prefix of at least
    8 hex digits that names one certificate. InputError for one that names none or several."""
    from collabcert.chain import fingerprint

    known = list(dict.fromkeys(fingerprint(c) for c, _ in certificates))
    out: list[str] = []
    for text in texts:
        want = _hex(text)
        if len(want) < 8 or any(ch not in "0123456789abcdef" for ch in want):
            raise InputError(f"--exclude {text}: give a SHA-256 fingerprint in hex, at least "
                             "8 digits (colons allowed)")
        found = [fp for fp in known if fp.startswith(want)]
        if not found:
            raise InputError(f"--exclude {text}: no given certificate has this fingerprint; "
                             "collabcert inspect --json lists them")
        if len(found) > 1:
            raise InputError(f"--exclude {text}: names {len(found)} certificates; give more "
                             "digits")
        out.append(found[0])
    return tuple(dict.fromkeys(out))


def without(sources: Sequence[Source], fingerprints: Sequence[str]
            ) -> tuple[list[Source], tuple[Excluded, ...]]:
    """The sources with the excluded certificates taken out, and what was taken out."""
    from dataclasses import replace

    from collabcert import dn
    from collabcert.chain import fingerprint
    from collabcert.load import ItemKind

    if not fingerprints:
        return list(sources), ()
    drop = set(fingerprints)
    kept: list[Source] = []
    gone: dict[str, tuple[str, list[str]]] = {}
    for name, loaded in sources:
        items = []
        for item in loaded.items:
            if item.kind is ItemKind.CERTIFICATE and (fp := fingerprint(item.obj)) in drop:
                subject, names = gone.setdefault(fp, (dn.rfc4514(item.obj.subject), []))
                names.append(name)
                continue
            items.append(item)
        kept.append((name, replace(loaded, items=items)))
    return kept, tuple(Excluded(fp, subject, tuple(names))
                       for fp, (subject, names) in gone.items())


def trust_list_job(
    sources: Sequence[Source],
    *,
    product: str,
    out_dir: Path = Path("."),
    output: Path | None = None,
    cucm_type: str = "tomcat",
    problems: Sequence[str] = (),
    at: dt.datetime | None = None,
    exclude: Sequence[str] = (),
) -> TrustListResult:
    """Merge, check and plan. InputError for a product without trust lists or no certificates.
    `exclude`: fingerprints (or unique prefixes) of certificates to leave out (--exclude)."""
    if product not in PRODUCTS:
        raise InputError(f"a trust list is for {' or '.join(PRODUCTS)}, not {product}")
    given = certificates_of(sources)
    sources, excluded = without(sources, resolve_excludes(exclude, given))
    certificates = certificates_of(sources)
    if not certificates:
        raise InputError("no certificate was found in what was given; add the CA certificate "
                         "files")
    trust = build_trust_list(certificates, product=product, at=at)
    files, steps = plan_trust_list(trust, out_dir=out_dir, output=output, kind=cucm_type)
    findings = tuple(source_findings(sources, problems)) + trust.findings
    suggestions = suggest_keep_drop(trust.entries, at=at, pool=[c for c, _ in given])
    return TrustListResult(certificates, trust, tuple(files), tuple(steps), findings,
                           blocked_text(findings), suggestions, excluded)
