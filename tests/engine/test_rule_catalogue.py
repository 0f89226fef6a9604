"""One rule catalogue (issue 10): every finding any module emits comes from a registered rule.

Two proofs:
- run: every check module (reader, chain builder, trust lists, bundles, import checks, role
  plans, CSR notes, lint, MRA, logs, the import screen's state) runs over test PKIs while
  Rule.finding records each ID it makes; every recorded ID is in the catalogue, and the run
  covers a large share of it;
- source: no module outside collabcert/rules/ constructs a Finding (the one constructor is
  Rule.finding), every `rules.get("ID")` names a declared rule, declarations import only
  collabcert.rules.base, and every checkable rule is fetched by some check.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from lint_support import lint
from pki import DAY, NOW, issue, key_pem, make_csr, make_pki, name, new_key, pem_of, sha1_signed

from collabcert import roles, rules
from collabcert.bundle import plan_bundle
from collabcert.chain import build_chain
from collabcert.csr import key_notes
from collabcert.errors import CollabcertError
from collabcert.importcheck import check_import
from collabcert.lint.logs import read_log
from collabcert.load import load_bytes
from collabcert.rules import docs
from collabcert.rules.base import Rule
from collabcert.trustlist import build_trust_list

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "collabcert", ROOT / "tui", ROOT / "screens"]


@pytest.fixture(scope="module")
def emitted() -> set[str]:
    """Every rule ID made while the check modules run over the test PKIs."""
    seen: set[str] = set()
    original = Rule.finding

    def recording(self: Rule, *args, **kwargs):
        seen.add(self.id)
        return original(self, *args, **kwargs)

    Rule.finding = recording  # type: ignore[method-assign]
    try:
        _run_everything()
    finally:
        Rule.finding = original  # type: ignore[method-assign]
    return seen


def _quietly(func, *args, **kwargs) -> None:
    try:
        func(*args, **kwargs)
    except (CollabcertError, ValueError):
        pass  # refused input still records the findings made before the refusal


def _run_everything() -> None:
    pki = make_pki()
    rsa = make_pki("rsa", leaf_cn="core1.example.com")
    _reader(pki)
    _chains(pki)
    _trust_lists(pki)
    _imports(pki)
    _plans()
    _lint(pki, rsa)
    _logs()
    _screens()


def _reader(pki) -> None:
    good = pki.leaf.pem
    crl = b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"
    broken = b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"
    for data in (good, good + crl, good + broken, good + b"-----BEGIN CERTIFICATE-----\nAAAA\n",
                 good.decode().encode("utf-16"), b"just some words here\n" * 5,
                 bytes(range(256)) * 4, b"0\x82\x01\x00garbage",
                 b"-----BEGIN CERTIFICATE-----\nAAAA\n"):
        _quietly(load_bytes, data, "input.pem")


def _chains(pki) -> None:
    old = issue("old.example.com", issuer=pki.intermediate,
                not_before=NOW - 400 * DAY, not_after=NOW - DAY)
    other = issue("other.example.com", issuer=pki.intermediate)
    decoy = issue(name("Example Issuing CA", "Example"), ca=True)
    no_bc = issue("No BC CA", ca=True, basic_constraints=False)
    under = issue("leaf-under-nobc.example.com", issuer=no_bc)
    sha1_root = issue("SHA1 Root", key_kind="rsa", ca=True)
    sha1_leaf = sha1_signed(issue("sha1.example.com", issuer=sha1_root, key_kind="rsa").cert,
                            sha1_root.key)
    for certs in ([pki.leaf.cert, pki.intermediate.cert, pki.root.cert, decoy.cert, other.cert],
                  [pki.leaf.cert], [old.cert, pki.intermediate.cert],
                  [under.cert, no_bc.cert], [sha1_leaf, sha1_root.cert]):
        chain = build_chain(certs)
        for target in ("fullchain", "expressway", "cms", "cucm"):
            for root in (True, False):
                _quietly(plan_bundle, chain, target, include_root=root, cucm_kind="tomcat")
    ec_leaf = build_chain(pki.chain)
    _quietly(plan_bundle, ec_leaf, "cucm", cucm_kind="tomcat")


def _trust_lists(pki) -> None:
    twin_a = issue("cucm1.example.com", ca=False)
    twin_b = issue("cucm1.example.com", ca=False)
    dup = issue(name("Example Issuing CA", "Other"), issuer=pki.root, ca=True)
    expired = issue("Old CA", ca=True, not_before=NOW - 900 * DAY, not_after=NOW - DAY)
    no_bc = issue("No BC CA", ca=True, basic_constraints=False)
    certs = [pki.root.cert, pki.intermediate.cert, dup.cert, twin_a.cert, twin_b.cert,
             pki.leaf.cert, expired.cert, no_bc.cert]
    renewed = issue(name("Example Root CA", "Example"), ca=True)
    for product in ("expressway", "cucm"):
        build_trust_list(certs, product=product, existing=[renewed.cert])


def _imports(pki) -> None:
    other_key = new_key()
    bare = issue("bare.example.com", issuer=pki.intermediate, eku=[])
    expired = issue("x.example.com", issuer=pki.intermediate, not_before=NOW - 9 * DAY,
                    not_after=NOW - DAY)
    future = issue("y.example.com", issuer=pki.intermediate, not_before=NOW + 9 * DAY)
    csr = make_csr(other_key, "expe.example.com", ["expe.example.com", "more.example.com"])
    for cert in (pki.leaf.cert, bare.cert, expired.cert, future.cert):
        for role in ("expressway-e", "cucm-ipsec", "cucm-capf", "cms-webbridge"):
            check_import(cert, key=other_key, csr=csr, role=role,
                         expected_sans=["missing.example.com"])
        check_import(cert, role="cucm-tomcat", required_ku=["key_cert_sign"],
                     required_eku=["1.3.6.1.5.5.7.3.17"])


PLAN_ANSWERS = {
    "expressway-c": {"fqdn": "expc.example.com", "cluster-fqdn": "cluster.example.com",
                     "chat-aliases": "chat.example.com"},
    "expressway-e": {"fqdn": "expe.example.com", "ucm-domains": "corp.local"},
    "cms-webbridge": {"fqdn": "join.example.com", "additional-names": "*.example.com"},
    "cms-trunk": {"fqdn": "core1.example.com"},
    "cucm-capf": {"fqdn": "cucm.example.com"},
    "cucm-tomcat": {"fqdn": "cucm.example.com", "additional-names": "*.example.com,host"},
}


def _plans() -> None:
    for role, answers in PLAN_ANSWERS.items():
        for key in (None, "rsa:4096", "ec:p256"):
            try:
                plan = roles.plan(role, answers, key=key)
            except CollabcertError:
                continue
            key_notes(plan, encrypted=True, reused=True)


def _lint(pki, rsa) -> None:
    now = NOW
    locked = key_pem(pki.leaf.key, b"secret")
    cases = [
        (("server.pem", pki.leaf.pem), ("server.key", locked),
         ("ca.pem", pem_of(pki.intermediate.cert, pki.root.cert))),
        (("server.der", pki.leaf.der),),
        (("webbridge.crt", rsa.leaf.pem + rsa.intermediate.pem),
         ("webbridge.key", key_pem(new_key("rsa"))),
         ("webbridgebundle.crt", rsa.root.pem + b"\n" + rsa.intermediate.pem)),
    ]
    for role in ("expressway-e", "expressway-c", "cms-webbridge", "cms-trunk", "cucm-tomcat",
                 None):
        for files in cases:
            _quietly(lint, *files, role=role, now=now)
    _quietly(lint, ("trust.pem", pem_of(pki.root.cert, pki.root.cert, pki.leaf.cert), "trust"),
             role="expressway-c", now=now, mra_addresses=("cucm.example.com",))
    _quietly(lint, ("far.pem", issue("far.example.com", not_after=dt.datetime(2051, 1, 1,
                                                                              tzinfo=dt.UTC)).pem),
             now=now)


LOG = (
    "2026-12-01T10:00:00 tvcs: Event=\"Outbound TLS Negotiation Error\" Service=\"SIP\"\n"
    "2026-12-01T10:00:01 traffic_server: WARNING: SNI (cucm.example.com) not in certificate. "
    "Action=Terminate server=cucm.example.com(10.0.0.1)\n"
    "2026-12-01T10:00:02 traffic_server: WARNING: Core server certificate verification failed "
    "for (cucm.example.com). Action=Terminate Error=self signed certificate "
    "server=cucm.example.com(10.0.0.1) depth=0\n"
)


def _logs() -> None:
    from collabcert.lint import logs

    logs.findings_for(read_log(LOG, "log.txt"))


def _screens() -> None:
    # The import and bundle flows' READ findings come from the import job (both faces).
    from collabcert.jobs.importing import source_findings

    source_findings((), problems=["missing.pem: no such file"])


def test_every_emitted_id_is_in_the_catalogue(emitted: set[str]) -> None:
    declared = {r.id for r in rules.all_rules()}
    assert emitted, "the run emitted nothing: the recorder is not wired"
    assert sorted(emitted - declared) == []


def test_the_run_covers_a_large_share_of_the_checkable_rules(emitted: set[str]) -> None:
    checkable = {r.id for r in rules.all_rules() if r.checkable}
    covered = emitted & checkable
    print(f"\nemitted {len(covered)} of {len(checkable)} checkable rules "
          f"({len(rules.all_rules())} declared)")
    assert len(covered) >= 60  # the floor of what this run reaches today (63 of 217)
    for rule_id in ("LOAD-BLOCK", "LOAD-SKIPPED", "LOAD-TEXT", "CHN-UNUSED", "CHN-INCOMPLETE",
                    "CHN-NOTCA", "TRUST-DUP-CN", "CHN-LEAF-IN-CA", "BND-NO-ROOT",
                    "BND-ROOT-LEFT-OUT", "SAN-MISSING", "KEY-MATCH", "KEY-LOCKED", "KEY-REUSED",
                    "CMS-R09", "CMS-K02", "NAME-WILDCARD", "SUBJ-EXPRESSWAY", "CU-LOCAL-KEY",
                    "CMS-WILDCARD", "READ", "CRT-KU-MISSING", "CRT-EKU-MISSING",
                    "NAME-SINGLE-LABEL", "LOAD-PEM", "LOAD-BINARY"):
        assert rule_id in emitted, rule_id


# --- the source ---------------------------------------------------------------------------


def _product_files() -> list[Path]:
    files = [p for root in SOURCES for p in root.rglob("*.py") if "__pycache__" not in p.parts]
    return [p for p in files if (ROOT / "collabcert" / "rules") not in p.parents]


def test_nothing_outside_the_catalogue_constructs_a_finding() -> None:
    bad = []
    for path in _product_files():
        if path == ROOT / "collabcert" / "findings.py":
            continue  # the dataclass itself
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called == "Finding":
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bad == []


def test_every_fetched_id_is_declared_and_every_checkable_rule_is_fetched() -> None:
    declared = {r.id for r in rules.all_rules()}
    where = docs.checked_in()
    assert sorted(set(where) - declared) == []
    unfetched = [r.id for r in rules.all_rules() if r.checkable and r.id not in where]
    assert unfetched == []
    assert "collabcert.screens" not in str(where)  # names are shown without the package
    assert where["CMS-R09"] == ("lint.cms", "roles")  # seed-003 R09: one rule, two places


def test_ids_are_literal_in_declarations_and_checks() -> None:
    """`grep '"CMS-R09"'` finds the declaration and the checks: no f"CMS-{short}" building."""
    for path in [*_product_files(), *(ROOT / "collabcert" / "rules").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get" and \
                    isinstance(node.func.value, ast.Name) and node.func.value.id == "rules":
                assert node.args and not isinstance(node.args[0], ast.JoinedStr), (
                    f"{path}:{node.lineno}")
    hits = [p.name for p in (ROOT / "collabcert" / "rules").glob("*.py")
            if '"CMS-R09"' in p.read_text(encoding="utf-8")]
    assert hits == ["cms.py"]


def test_declarations_import_only_the_base() -> None:
    for path in (ROOT / "collabcert" / "rules").glob("*.py"):
        if path.name in ("__init__.py", "registry.py", "docs.py", "base.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert imported <= {"__future__", "collabcert.rules.base", "collabcert.findings"}, path
