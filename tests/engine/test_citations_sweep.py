"""Every role of the catalogue through every face's texts: a product's screens cite only that
product's Cisco documents (issue 12 item 16, "a CMS screen cites an Expressway document").

The texts a person reads for a role: the CSR flow (field help, the refusals of typed values,
the key and digest refusals, the findings, the next steps, the on-box plan), the lab CA's
next steps, Import and Bundle (next steps and findings, of a whole chain and of a lone leaf),
Check (lint findings), Convert, and the summary for a ticket of each. The check reads them as
the engine gives them (with seed ids), so a citation said later in plain words cannot hide.

The rule (decided per step from the requirement files): a text cites its own product's
documents; it may cite the other product's only when the step is done on, or checked by, the
other product (the rule in full, and the named steps, are collabcert.citations
CROSS_PRODUCT_STEPS).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from pki import NOW

from collabcert import onbox, roles
from collabcert.citations import CROSS_PRODUCT_STEPS, cited_products, cross_product_lines
from collabcert.errors import CollabcertError
from collabcert.files import write_plan
from collabcert.jobs.bundle import BundleOptions, bundle_job
from collabcert.jobs.ca import SignRequest, init_ca, sign_csr, write_ca
from collabcert.jobs.convert import ConvertOptions
from collabcert.jobs.convert import next_steps as convert_steps
from collabcert.jobs.csr import review_csr, write_csr
from collabcert.jobs.importing import request_from
from collabcert.jobs.lint import LintFile, LintRequest, run
from collabcert.keys import parse_key_spec
from collabcert.load import load_bytes
from collabcert.report import ticket_summary
from collabcert.rules import registry

# The product whose documents a role's screens cite (IM and Presence is in the CUCM guide).
PRODUCT = {"expressway": "expressway", "cms": "cms", "cucm": "cucm", "imp": "cucm"}
TARGET = PRODUCT  # the bundle target of each product

ANSWERS = {"fqdn": "node1.example.com", "xmpp-domain": "example.com", "domain": "example.com",
           "component-fqdns": "cb.example.com,wb.example.com",
           "additional-names": "alt.example.com", "multi-server-fqdns": "node2.example.com"}
# What a person may type wrongly into a name field: each refusal is a text of the CSR flow.
BAD_NAMES = ("user@example.com", "xmpp:example.com", "10.0.0.1", "*.example.com", "host",
             "bad_name!.example.com", "a..b", "example.com,other.example.com")
KEYS = ("rsa:2048", "rsa:4096", "ec:p256", "ec:p384", "ec:p521")


def answers_for(role: roles.Role) -> dict[str, str]:
    return {k: v for k, v in ANSWERS.items() if role.field(k) is not None}


def refusal(call) -> str:
    try:
        result = call()
    except CollabcertError as exc:
        return str(exc)
    return getattr(result, "error", "") or ""


# The rule sections (collabcert.rules docs) that are one product's: a role meets only its own
# product's (ROLE-MULTISAN, seed-001's, was raised for CMS and CUCM CSRs). The general,
# reading, chain, bundle and MRA rules are met by every product, cited from whichever
# requirement file holds them.
PRODUCT_SECTIONS = ("expressway", "cms", "cucm")


def finding_texts(findings) -> Iterator[str]:
    """What a face shows of a finding: message and fix, and the `cite` of a product's own rule
    (the details show it; it keeps the rule ids, F1 and --json too)."""
    for finding in findings:
        yield finding.message
        yield finding.fix
        if registry.get(finding.id).product in PRODUCT_SECTIONS:
            yield finding.cite


def ticket_texts(findings, steps) -> Iterator[str]:
    summary = ticket_summary("task", [], [], list(findings), list(steps))
    yield from (line for line in summary.splitlines() if not line.lstrip().startswith("cite:"))


def csr_flow(role: roles.Role) -> Iterator[tuple[str, str]]:
    yield "role", f"{role.title} {role.when}"
    for spec in role.fields:
        yield f"help of {spec.name}", spec.help
        if spec.kind in (roles.Kind.NAME, roles.Kind.NAMES):
            for bad in BAD_NAMES:
                yield f"refusal of {spec.name}={bad}", refusal(lambda s=spec, b=bad: s.check(b))
    for key in KEYS:
        yield f"key {key}", refusal(lambda k=key: roles.check_key_spec(role, parse_key_spec(k)))
    for digest in ("sha1", "md5", "sha224"):
        yield f"digest {digest}", refusal(lambda d=digest: roles.parse_digest(d, role))


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lab") / "ca"
    write_ca(init_ca(folder, intermediate=True, key="ec:p256", now=NOW))
    return folder


def faces(role: roles.Role, folder: Path, lab: Path) -> Iterator[tuple[str, str]]:
    """(face, text) for every text a person reads for `role`."""
    yield from (("csr flow: " + face, text) for face, text in csr_flow(role))
    plan = roles.plan(role, answers_for(role))
    box = onbox.onbox_for(plan)
    yield from (("csr on-box", text) for text in (box.title, box.text, *box.steps))
    review = review_csr(plan, folder)
    yield from (("csr findings", t) for t in finding_texts(review.findings))
    yield from (("csr next steps", step) for step in review.next_steps)
    made = write_csr(review)
    yield from (("csr ticket", t) for t in ticket_texts(review.findings, review.next_steps))

    request = x509.load_pem_x509_csr(made.outcome.csr_path.read_bytes())
    signed = sign_csr(SignRequest(request, str(made.outcome.csr_path), lab, role=role.id),
                      now=NOW)
    write_plan(list(signed.files))
    yield from (("lab CA", text) for text in (*signed.notes, *signed.next_steps))

    cert, chain = signed.certificate_file, signed.chain_file
    key_file = made.outcome.key_path
    mine = [(p.name, load_bytes(p.read_bytes(), p.name))
            for p in (key_file, made.outcome.csr_path)]
    request_of = request_from(mine)
    options = BundleOptions(TARGET[role.product], out_dir=folder / "out",
                            cucm_type=role.cucm_type or "tomcat")
    for what, given in (("whole chain", (cert, chain)), ("lone leaf", (cert,))):
        sources = [(p.name, load_bytes(p.read_bytes(), p.name)) for p in given]
        result = bundle_job(sources, options, request_of, at=NOW)
        yield from ((f"import {what} findings", t) for t in finding_texts(result.findings))
        yield from ((f"import {what} next steps", step) for step in result.next_steps)
        yield from ((f"import {what} ticket", t)
                    for t in ticket_texts(result.findings, result.next_steps))

    files = [LintFile(cert.name, cert), LintFile(chain.name, chain)]
    if role.product not in ("cucm", "imp"):  # CUCM takes no key upload (seed-004 §1.5)
        files.append(LintFile(key_file.name, key_file))
    for what, given in (("whole chain", files), ("lone leaf", files[:1])):
        linted = run(LintRequest(tuple(given), role=role.id, fields=answers_for(role)), now=NOW)
        yield from ((f"check {what}", t) for t in finding_texts(linted.findings))
        yield from ((f"check {what} ticket", t) for t in ticket_texts(linted.findings, ()))


def cross_product(product: str, texts: Iterator[tuple[str, str]]) -> list[str]:
    """Every line that cites another product's document and is not a named step."""
    return [f"{face}: {line}" for face, text in texts
            for line in cross_product_lines(product, text)]


@pytest.mark.parametrize("role", roles.catalogue(), ids=lambda r: r.id)
def test_a_roles_texts_cite_only_its_products_documents(role, lab, tmp_path):
    product = PRODUCT[role.product]
    assert cross_product(product, faces(role, tmp_path, lab)) == []


def test_convert_texts_cite_no_product():
    """Convert has no role: its texts name the products in words and cite no document."""
    steps = [step for to in ("pem", "der", "p7b", "p12") for legacy in (False, True)
             for step in convert_steps(ConvertOptions(to=to, p12_legacy=legacy), [])]
    assert [s for s in steps if cited_products(s)] == []


def test_the_allowed_steps_are_met_so_the_list_stays_honest(lab, tmp_path):
    """Each named cross-product step is still said somewhere (a stale entry would allow any
    later text that happens to hold the phrase)."""
    said = "\n".join(text for role in (roles.get_role("cucm-tomcat"),)
                     for _face, text in faces(role, tmp_path, lab))
    for _product, phrase in CROSS_PRODUCT_STEPS:
        assert phrase in said, phrase
