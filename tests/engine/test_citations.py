"""Citations said in plain words (issue 12 item 16): the Cisco document's name, never a seed id."""

from __future__ import annotations

import pytest

from collabcert import roles
from collabcert.citations import DOCUMENTS, cited_products, plain_citations

CASES = [
    ("TLS Web Client Authentication (seed-001 G9, G10).",
     "TLS Web Client Authentication (Cisco Expressway Certificate Creation and Use Deployment "
     "Guide)."),
    ("cannot list other nodes (seed-004 CU-X10); drop it",
     "cannot list other nodes (Cisco Unified CM guide, chapter Manage Certificates); drop it"),
    ("see [seed-001 L344-L348]", "see [Cisco Expressway Certificate Creation and Use Deployment "
     "Guide]"),
    ("to the MMP (seed-003 §2.2).", "to the MMP (Cisco Meeting Server 2.1 certificate "
     "guidelines, section 2.2)."),
    ("(seed-004 Tables 1 and 2, §9)", "(Cisco Unified CM guide, chapter Manage Certificates, "
     "section 9)"),
    ("seed-000-002 §2.5, §5", "Cisco TAC notes on Expressway certificates and MRA, sections 2.5 "
     "and 5"),
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
