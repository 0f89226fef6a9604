"""Citations said in plain words (issue 12 item 16): the Cisco document's name, never a seed id."""

from __future__ import annotations

import pytest

from collabcert import roles
from collabcert.citations import (
    DOCUMENTS,
    PRODUCT_OF,
    SHORT,
    Mentions,
    cited_products,
    plain_citations,
    said_products,
)

CASES = [
    ("TLS Web Client Authentication (seed-001 G9, G10).",
     "TLS Web Client Authentication (Cisco Expressway Certificate Creation and Use Deployment "
     "Guide)."),
    ("cannot list other nodes (seed-004 CU-X10); drop it",
     "cannot list other nodes (Cisco Unified CM guide, chapter Manage Certificates); drop it"),
    ("see [seed-001 L344-L348]", "see [Cisco Expressway Certificate Creation and Use Deployment "
     "Guide]"),
    # A § is a section of the requirement file, not of the Cisco document: said aloud it
    # would send the customer to the wrong page, so it is dropped (these said "section 2.2").
    ("to the MMP (seed-003 §2.2).", "to the MMP (Cisco Meeting Server 2.1 certificate "
     "guidelines)."),
    ("(seed-004 Tables 1 and 2, §9)", "(Cisco Unified CM guide, chapter Manage Certificates)"),
    ("seed-000-002 §2.5, §5", "Cisco TAC notes on Expressway certificates and MRA"),
]


@pytest.mark.parametrize(("cited", "said"), CASES)
def test_a_citation_is_said_as_the_document(cited: str, said: str) -> None:
    assert plain_citations(cited) == said


def test_every_role_text_reads_without_seed_ids() -> None:
    for role in roles.ROLES:
        for spec in role.fields:
            assert "seed-" not in plain_citations(spec.help), (role.id, spec.name)


def test_cms_role_texts_cite_only_cms_documents() -> None:
    for role in roles.roles_for("cms"):
        for spec in role.fields:
            assert cited_products(spec.help) <= {"cms"}, (role.id, spec.name, spec.help)
    assert set(DOCUMENTS) >= {"seed-001", "seed-003", "seed-004", "seed-000-002"}


# --- a document's full name once per text (issue 12 item 16) ------------------------------------


def test_a_documents_full_name_is_said_once_then_its_short_name() -> None:
    steps = ("1. Append it (seed-001 F9, F10).\n"
             "   Append does not replace (seed-001 CHN-REPLACE).\n"
             "2. Upload the server certificate (seed-001 §2.2).\n"
             "3. On CUCM (seed-004 CU-N02); on CMS (seed-003 G22), then (seed-003 L1049).")
    assert plain_citations(steps).splitlines() == [
        "1. Append it (Cisco Expressway Certificate Creation and Use Deployment Guide).",
        "   Append does not replace (the Deployment Guide).",
        "2. Upload the server certificate (the Deployment Guide).",
        "3. On CUCM (Cisco Unified CM guide, chapter Manage Certificates); on CMS (Cisco Meeting "
        "Server 2.1 certificate guidelines), then (the Meeting Server guidelines)."]


def test_one_screen_of_several_texts_shares_its_mentions() -> None:
    said = Mentions()
    assert plain_citations("a (seed-003 G1)", said) == (
        "a (Cisco Meeting Server 2.1 certificate guidelines)")
    assert plain_citations("b (seed-003 §2.2)", said) == "b (the Meeting Server guidelines)"
    assert plain_citations("c (seed-003 G1)") == "c (Cisco Meeting Server 2.1 certificate " \
        "guidelines)"  # a new text names it in full again


def test_seed_000_002_line_references_are_dropped_with_their_seed() -> None:
    assert plain_citations("(seed-000-002 C7, 000 L215) and (seed-000-002: 002 L140, L638)") == (
        "(Cisco TAC notes on Expressway certificates and MRA) and (the TAC notes)")


def test_every_document_has_a_short_name_and_a_product() -> None:
    assert set(SHORT) == set(DOCUMENTS) == set(PRODUCT_OF)
    for seed, short in SHORT.items():
        assert short.startswith("the ") and said_products(short) == {PRODUCT_OF[seed]}
        assert said_products(plain_citations(f"({seed} G1)")) == {PRODUCT_OF[seed]}


def test_the_ticket_summary_says_each_full_name_once() -> None:
    from collabcert.report import ticket_summary

    text = ticket_summary("Import", ["x"], ["y"], [], ["Copy (seed-003 G22).",
                                                       "pki verify (seed-003 B01).",
                                                       "trust it (seed-003 L1049)."])
    assert text.count("Cisco Meeting Server 2.1 certificate guidelines") == 1
    assert text.count("the Meeting Server guidelines") == 2 and "seed-" not in text
