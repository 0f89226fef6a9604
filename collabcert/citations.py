"""The Cisco documents behind the rules, by the seed id the requirement files use, and how a
citation is said on a screen that support reads aloud (issue 12 item 16).

Rule texts cite `seed-001 G9, G10`, `seed-004 CU-N02, L166`, `[seed-001 L344-L348]`: exact for
F1 help, `lint --json` and a finding's details, but noise on a call. `plain_citations(text)` says
the document's name instead; rule ids, line numbers and sections are dropped from the text (they
stay in the finding's `cite`; the sections are the requirement files', not the document's).

A document's full name is said once per text, at its first mention; later mentions say its short
name ("the Deployment Guide"): the Expressway guide's long title on every line of
the import next steps was read out five times (issue 12 item 16). Every face says citations
through this module: one call per text (a screen's block, a ticket), or one `Mentions` shared by
the texts of one screen.

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
# What a later mention says, once the full name was said in the same text.
SHORT: dict[str, str] = {
    "seed-000": "the TAC article",
    "seed-001": "the Deployment Guide",
    "seed-002": "the MRA troubleshooting guide",
    "seed-000-002": "the TAC notes",
    "seed-003": "the Meeting Server guidelines",
    "seed-004": "the Unified CM guide",
}
PRODUCT_OF = {"seed-000": "expressway", "seed-001": "expressway", "seed-002": "expressway",
              "seed-000-002": "expressway", "seed-003": "cms", "seed-004": "cucm"}

# One reference after the seed id: a rule id (G9, CU-N02, R-WB, ROLE-C-PROFILE-FQDN, F5), a
# line (L344, L344-L348, L101-119; in seed-000-002 with its seed first: 000 L215, 002 L140), a
# section (§2.2), a table (Tables 1 and 2), joined by commas, spaces, "and" or a colon.
_REF = (r"(?:§[\d.]*\d|(?:\d{3} )?L\d+(?:-L?\d+)?|Tables? \d+(?: and \d+)?"
        r"|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)")
_CITE = re.compile(r"seed-(\d{3}(?:-\d{3})?)((?:(?:,\s*|\s+and\s+|:\s*|\s+)" + _REF + r")*)")


def document(seed: str) -> str:
    """`seed-001` -> the document's name ('' for an unknown id)."""
    return DOCUMENTS.get(seed, "")


class Mentions:
    """The documents one screen or text has named already: the first mention of a document
    says its full name (without its article: "Cisco Meeting Server ..."), later ones its short
    name ("the Meeting Server guidelines"). Share one across the texts of one screen."""

    def __init__(self) -> None:
        self.said: set[str] = set()

    def copy(self) -> Mentions:
        """What has been said so far, for one of several tabs under a shared heading."""
        other = Mentions()
        other.said = set(self.said)
        return other

    def name(self, seed: str) -> str:
        if seed in self.said:
            return SHORT[seed]
        self.said.add(seed)
        return DOCUMENTS[seed].removeprefix("the ")

    def say(self, match: re.Match[str]) -> str:
        seed = f"seed-{match.group(1)}"
        if seed not in DOCUMENTS:
            return match.group(0)
        # No section number: a `§2.2` in a cite is a section of the requirement file, which
        # does not number as the Cisco document does, so "section 2.2" read aloud would send
        # the customer to the wrong page. The cite (F1, details, --json) keeps it.
        return self.name(seed)


def plain_citations(text: str, mentions: Mentions | None = None) -> str:
    """The text with every `seed-NNN <refs>` said as the document's name: the
    full name at its first mention in `text` (or in the texts `mentions` has seen), the short
    name after."""
    if "seed-" not in text:
        return text
    return _CITE.sub((mentions or Mentions()).say, text)


def cited_products(text: str) -> set[str]:
    """The products whose documents `text` cites (a CMS screen must cite only CMS documents)."""
    return {PRODUCT_OF[f"seed-{m.group(1)}"] for m in _CITE.finditer(text)
            if f"seed-{m.group(1)}" in PRODUCT_OF}


def plain_lines(text: str, mentions: Mentions | None = None) -> str:
    """plain_citations line by line (one text: full names once), except a finding's `cite:`
    line: the details keep the rule ids and seed lines (what F1 and `lint --json` show)."""
    said = mentions or Mentions()
    return "\n".join(line if line.lstrip().startswith("cite:") else plain_citations(line, said)
                     for line in text.split("\n"))


def said_products(text: str) -> set[str]:
    """The products whose documents `text` names in plain words (full or short name): what a
    screen shows once plain_citations has said its seed ids."""
    return {product for seed, product in PRODUCT_OF.items()
            if DOCUMENTS[seed].removeprefix("the ") in text or SHORT[seed] in text}


# --- which product's documents a product's texts may cite (issue 12 item 16) ----------------------
# The rule, decided per step from the requirement files: a text for a role cites its own
# product's documents; it cites the other product's only where the step is done on, or checked
# by, the other product. seed-004's requirement file (line 18) sends the reader to seed-000-002
# for "the Expressway-C view of CUCM tomcat / tomcat-ECDSA certificates", so a CUCM step that
# says what Expressway-C checks of the node's certificate, or what goes into Expressway-C's trust
# list, cites seed-000-002. A fact about the product itself is never cited from the other
# product's documents: where its own says nothing, the text says so (seed-004 CSR9: the Generate
# CSR dialog is NOT IN DOC). Expressway's own MRA steps on CUCM (seed-000-002 UCM-TRUST-EXPC)
# cite an Expressway document and need no entry. Each entry: (the text's product, a phrase of
# the step) -> why.
CROSS_PRODUCT_STEPS: dict[tuple[str, str], str] = {
    ("cucm", "Expressway-C connects to that address and checks it"):
        "what Expressway-C checks of a tomcat certificate: every address it reaches the node by "
        "(seed-000-002 SNI-ADDR-NOT-IN-CERT, 002 L546, L610, L646)",
    ("cucm", "so that Expressway-C trusts this node's tomcat certificate"):
        "a step on Expressway-C: its trust list takes the node's CA chain on every node "
        "(seed-000-002 C3, C9: 002 L140, L638)",
}


def cross_product_lines(product: str, text: str, *, plain: bool = False) -> list[str]:
    """The lines of `text` (a text for a `product` role: "expressway", "cms" or "cucm") that
    cite another product's document and are not a named cross-product step. `plain`: the text
    as a screen shows it (documents named in words), else with seed ids."""
    found = said_products if plain else cited_products
    return [line for line in text.splitlines()
            if found(line) - {product} and not any(
                own == product and phrase in line for own, phrase in CROSS_PRODUCT_STEPS)]
