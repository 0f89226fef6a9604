"""The Cisco documents behind the rules, by the seed id the requirement files use, and how a
citation is said on a screen that support reads aloud (issue 12 item 16).

Rule texts cite `seed-001 G9, G10`, `seed-004 CU-N02, L166`, `[seed-001 L344-L348]`: exact for
F1 help, `lint --json` and a finding's details, but noise on a call. `plain_citations(text)` says
the document's name instead, and the section when one is cited (`§2.2` -> `section 2.2`); rule
ids and line numbers are dropped from the text (they stay in the finding's `cite`).

The names are the documents' own titles, as /work/shared/requirements/README.md lists the seeds.
"""

from __future__ import annotations

import re

DOCUMENTS: dict[str, str] = {
    "seed-000": "the Cisco TAC article on Expressway certificates",
    "seed-001": "the Cisco Expressway Certificate Creation and Use Deployment Guide",
    "seed-002": "the Cisco guide to troubleshooting Expressway certificate checks for MRA",
    "seed-000-002": "the Cisco TAC notes on Expressway certificates and MRA",
    "seed-003": "the Cisco Meeting Server 2.1 certificate guidelines",
    "seed-004": "the Cisco Unified CM guide, chapter Manage Certificates",
}
PRODUCT_OF = {"seed-000": "expressway", "seed-001": "expressway", "seed-002": "expressway",
              "seed-000-002": "expressway", "seed-003": "cms", "seed-004": "cucm"}

# One reference after the seed id: a rule id (G9, CU-N02, R-WB, ROLE-C-PROFILE-FQDN, F5), a
# line (L344, L344-L348, L101-119), a section (§2.2), a table (Tables 1 and 2), joined by
# commas, spaces or "and".
_REF = r"(?:§[\d.]*\d|L\d+(?:-L?\d+)?|Tables? \d+(?: and \d+)?|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)"
_CITE = re.compile(r"seed-(\d{3}(?:-\d{3})?)((?:(?:,\s*|\s+and\s+|\s+)" + _REF + r")*)")
_SECTION = re.compile(r"§([\d.]*\d)")


def document(seed: str) -> str:
    """`seed-001` -> the document's name ('' for an unknown id)."""
    return DOCUMENTS.get(seed, "")


def _say(match: re.Match[str]) -> str:
    seed = f"seed-{match.group(1)}"
    title = DOCUMENTS.get(seed)
    if title is None:
        return match.group(0)
    sections = _SECTION.findall(match.group(2))
    if sections:
        words = " and ".join(sections)
        title += f", section{'s' if len(sections) > 1 else ''} {words}"
    return title.removeprefix("the ")


def plain_citations(text: str) -> str:
    """The text with every `seed-NNN <refs>` said as the document's name (and section)."""
    if "seed-" not in text:
        return text
    return _CITE.sub(_say, text)


def cited_products(text: str) -> set[str]:
    """The products whose documents `text` cites (a CMS screen must cite only CMS documents)."""
    return {PRODUCT_OF[f"seed-{m.group(1)}"] for m in _CITE.finditer(text)
            if f"seed-{m.group(1)}" in PRODUCT_OF}


def plain_lines(text: str) -> str:
    """plain_citations line by line, except a finding's `cite:` line: the details keep the
    rule ids and seed lines (what F1 and `lint --json` show)."""
    return "\n".join(line if line.lstrip().startswith("cite:") else plain_citations(line)
                     for line in text.split("\n"))
