"""The Import and Bundle screens of a Meeting Server and a CUCM certificate, read as support
reads them aloud (issue 12 item 16): every step names only its product's Cisco documents
(except the named cross-product steps of collabcert.citations.CROSS_PRODUCT_STEPS), never a
seed id outside a finding's `cite:` line, and each document's full name once per screen.

The engine-level sweep over every role is tests/engine/test_citations_sweep.py; this walks
the wizard screens a person sees, one CMS role (Web Bridge) and one CUCM role (tomcat); the
CSR flow of the CUCM role too (the CMS one is tests/tui/test_tui_tickets.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from pki import make_pki
from textual.widgets import Input, TextArea
from tui_support import (
    SIZE,
    click,
    next_to,
    on_screen,
    open_questions,
    pick_files,
    start_task,
    type_field,
    wait_for,
)

from collabcert.citations import DOCUMENTS, SHORT, cross_product_lines
from collabcert.screens.bundle import (
    BundleFilesStep,
    BundleFindingsStep,
    BundleNextStepsStep,
    BundleWhatStep,
    BundleWriteStep,
)
from collabcert.screens.csr import CsrKeyStep
from collabcert.screens.csr_review import CsrDoneStep, CsrReviewStep
from collabcert.screens.import_cert import (
    ChainStep,
    CheckStep,
    ImportFilesStep,
    ImportNextStepsStep,
    RequestStep,
    SentStep,
    TargetStep,
)
from collabcert.tui.app import CollabcertApp

TASKS = ("collabcert.screens.import_cert", "collabcert.screens.bundle")
# (product, the import target / bundle kind, the key's basename: CMS names files after it)
CASES = {"cms-webbridge": ("cms", "webbridge", "join.example.com"),
         "cucm-tomcat": ("cucm", "tomcat", "cucm1.example.com")}


@pytest.fixture(params=sorted(CASES))
def customer(request, tmp_path) -> tuple[str, str, Path]:
    """The key and CSR made for the role, and the CA's answer (a DER PKCS#7, root first)."""
    product, base, fqdn = CASES[request.param]
    pki = make_pki(leaf_cn=fqdn, sans=[fqdn])
    (tmp_path / f"{base}.key").write_bytes(pki.leaf.key_pem)
    (tmp_path / f"{base}.csr").write_bytes(pki.csr.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "certnew.p7b").write_bytes(pkcs7.serialize_certificates(
        [pki.root.cert, pki.intermediate.cert, pki.leaf.cert], serialization.Encoding.DER))
    return product, base, tmp_path


def screen_text(app) -> str:
    """Every Static and TextArea of the current screen that is shown (not in a hidden tab):
    what is read aloud."""
    return "\n".join(widget.text if isinstance(widget, TextArea) else str(widget.render())
                     for widget in app.screen.query("Static, TextArea")
                     if all(node.display for node in widget.ancestors_with_self
                            if hasattr(node, "display")))


def problems(product: str, step: str, text: str) -> list[str]:
    """What a screen must not say: another product's document (not a named step), a seed id
    outside a `cite:` line (F1 and the details keep the rule ids), a full name said twice."""
    found = [f"{step}: other product: {line}"
             for line in cross_product_lines(product, text, plain=True)]
    found += [f"{step}: seed id: {line}" for line in text.splitlines()
              if "seed-" in line and not line.lstrip().startswith("cite:")]
    for seed, title in DOCUMENTS.items():
        if text.count(title.removeprefix("the ")) > 1:
            found.append(f"{step}: the full name of {seed} twice (then {SHORT[seed]!r})")
    return found


async def read(pilot, step, seen: list[tuple[str, str]]) -> None:
    await on_screen(pilot, step)
    seen.append((step.__name__, screen_text(pilot.app)))


async def test_import_screens_name_only_the_products_documents(customer):
    product, base, folder = customer
    app = CollabcertApp(cwd=folder, task_modules=TASKS)
    seen: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "import", RequestStep)
        pick_files(pilot, [f"{base}.key", f"{base}.csr"])
        await next_to(pilot, SentStep)
        pick_files(pilot, ["certnew.p7b"])
        await next_to(pilot, CheckStep)
        await read(pilot, CheckStep, seen)
        await next_to(pilot, TargetStep)
        await click(pilot, f"#target-{product}")
        await wait_for(pilot, lambda: app.screen.query_one(f"#target-{product}").value)
        if product == "cms":
            app.screen.query_one("#cms-name", Input).value = base
        await read(pilot, TargetStep, seen)
        await next_to(pilot, ChainStep)
        await read(pilot, ChainStep, seen)
        await next_to(pilot, ImportFilesStep)
        await read(pilot, ImportFilesStep, seen)
        await next_to(pilot, ImportNextStepsStep)
        await read(pilot, ImportNextStepsStep, seen)
        app.screen.action_copy_ticket()
        seen.append(("ticket", "\n".join(line for line in app.clipboard.splitlines()
                                         if not line.lstrip().startswith("cite:"))))
    steps = dict(seen)[ImportNextStepsStep.__name__]
    assert ("pki verify" if product == "cms" else "purpose tomcat-trust") in steps
    assert [p for step, text in seen for p in problems(product, step, text)] == []


async def test_bundle_screens_name_only_the_products_documents(customer):
    product, base, folder = customer
    app = CollabcertApp(cwd=folder, task_modules=TASKS)
    seen: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        await start_task(pilot, "bundle", BundleFilesStep)
        pick_files(pilot, [f"{base}.key", "certnew.p7b"])
        await next_to(pilot, BundleWhatStep)
        await click(pilot, f"#kind-chain-{product}")
        await wait_for(pilot, lambda: app.screen.query_one(f"#kind-chain-{product}").value)
        await read(pilot, BundleWhatStep, seen)
        await next_to(pilot, BundleFindingsStep)
        await read(pilot, BundleFindingsStep, seen)
        await next_to(pilot, BundleWriteStep)
        await read(pilot, BundleWriteStep, seen)
        await pilot.press("ctrl+n")
        await read(pilot, BundleNextStepsStep, seen)
        app.screen.action_copy_ticket()
        seen.append(("ticket", "\n".join(line for line in app.clipboard.splitlines()
                                         if not line.lstrip().startswith("cite:"))))
    steps = dict(seen)[BundleNextStepsStep.__name__]
    assert ("pki verify" if product == "cms" else "purpose tomcat-trust") in steps
    assert [p for step, text in seen for p in problems(product, step, text)] == []


async def test_the_csr_flow_of_a_cucm_role_names_only_cucm_documents_but_the_mra_steps(tmp_path):
    """Every question's help, the key step, the review and each tab of Done for cucm-tomcat
    with a multi-server node list: the MRA step (what Expressway-C checks) is the one named
    cross-product step."""
    app = CollabcertApp(cwd=tmp_path)
    seen: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        await open_questions(pilot, "cucm-tomcat")
        await type_field(pilot, "fqdn", "cucm1.example.com")
        await type_field(pilot, "multi-server-fqdns", "cucm2.example.com")
        for field in app.screen.query(Input):
            if field.id and field.id.startswith("f-") and field.display:
                field.focus()
                await pilot.pause()
                seen.append((f"help of {field.id}", screen_text(app)))
        await next_to(pilot, CsrKeyStep)
        seen.append(("key", screen_text(app)))
        await next_to(pilot, CsrReviewStep)
        seen.append(("review", screen_text(app)))
        await pilot.press("ctrl+n")
        await on_screen(pilot, CsrDoneStep)
        for tab in ("tab-next", "tab-onbox", "tab-findings"):
            app.screen.query_one("#done-tabs").active = tab
            await pilot.pause()
            seen.append((tab, screen_text(app)))
        app.screen.action_copy_ticket()
        seen.append(("ticket", "\n".join(line for line in app.clipboard.splitlines()
                                         if not line.lstrip().startswith("cite:"))))
    shown = dict(seen)
    assert "Cisco Unified CM guide" in shown["tab-next"]
    assert "Expressway-C connects to that address and checks it" in shown["tab-next"]
    assert [p for step, text in seen for p in problems("cucm", step, text)] == []
