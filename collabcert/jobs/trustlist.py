"""The trust list job: many CA certificates merged, checked and planned as a product's trust list.

One function, `trust_list_job`, used by `collabcert bundle --trust-list` and by the wizard's
"Build a bundle or trust list" (its trust kinds): an Expressway trusted CA list (one PEM) or a
CUCM `<purpose>-trust` upload set (one file per certificate, roots first). The checks are
collabcert.trustlist's (TRUST-DUP-CN, CHN-NOTCA, CHN-EXPIRED, CHN-MAX ...); `blocked` names the
error findings, as the bundle job does, and the faces treat it the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collabcert.chain import fingerprint
from collabcert.errors import InputError
from collabcert.files import PlannedFile
from collabcert.findings import Finding
from collabcert.jobs.bundle import blocked_text, errors_of
from collabcert.jobs.importing import Source, certificates_of, source_findings
from collabcert.trustlist import PRODUCTS, TrustList, build_trust_list, plan_trust_list


@dataclass(frozen=True)
class TrustListResult:
    certificates: tuple[tuple[Any, str], ...]  # (certificate, source name) as read
    trust: TrustList  # the entries (duplicates merged) and the list's own findings
    files: tuple[PlannedFile, ...]
    next_steps: tuple[str, ...]
    findings: tuple[Finding, ...]  # the sources', then the list's
    blocked: str  # why writing must not go on; "" when it may

    @property
    def errors(self) -> tuple[Finding, ...]:
        return errors_of(self.findings)

    def to_json(self) -> dict[str, object]:
        data = self.trust.to_json()
        data.update({"findings": [f.to_json() for f in self.findings],
                     "files": [str(f.path) for f in self.files],
                     "next_steps": list(self.next_steps), "blocked": self.blocked})
        return data


def trust_list_job(
    sources: Sequence[Source],
    *,
    product: str,
    out_dir: Path = Path("."),
    output: Path | None = None,
    cucm_type: str = "tomcat",
    problems: Sequence[str] = (),
    at: dt.datetime | None = None,
    exclude: Collection[str] = (),
) -> TrustListResult:
    """Merge, check and plan. InputError for a product without trust lists or no certificates.
    `exclude`: SHA-256 fingerprints (hex) the user dropped from the list (issue 12 item 11)."""
    if product not in PRODUCTS:
        raise InputError(f"a trust list is for {' or '.join(PRODUCTS)}, not {product}")
    certificates = certificates_of(sources)
    if exclude:
        dropped = {fp.replace(":", "").lower() for fp in exclude}
        certificates = tuple((cert, name) for cert, name in certificates
                             if fingerprint(cert) not in dropped)
    if not certificates:
        raise InputError("no certificate was found in what was given; add the CA certificate "
                         "files")
    trust = build_trust_list(certificates, product=product, at=at)
    files, steps = plan_trust_list(trust, out_dir=out_dir, output=output, kind=cucm_type)
    findings = tuple(source_findings(sources, problems)) + trust.findings
    return TrustListResult(certificates, trust, tuple(files), tuple(steps), findings,
                           blocked_text(findings))
