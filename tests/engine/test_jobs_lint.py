"""The lint and MRA jobs (collabcert.jobs.lint, collabcert.jobs.mra) and the one finding
renderer (collabcert.report): the behaviour both faces share, tested once here.

Behaviours decided when the CLI and the TUI were made to agree (issue 10 item 2):
- a field value the catalogue refuses is bad input in both faces (was: TUI only);
- addresses are split on commas, semicolons and spaces and kept once (was: CLI commas only);
- a trust list given for an MRA verdict that holds no certificate is bad input (was: TUI only);
- the MRA flow runs the lint pipeline: general rules, and log findings that say what the given
  files show (was: CLI only).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pki import DAY, NOW, issue

from collabcert.errors import InputError
from collabcert.findings import Finding, Severity
from collabcert.jobs.lint import LintFile, LintRequest, addresses_of, field_problem, run
from collabcert.jobs.mra import (
    TOMCAT,
    TOMCAT_ECDSA,
    ExpresswaySettings,
    MraNodeInput,
    NodeCertificate,
    assess,
    node_problem,
)
from collabcert.lint import LintOptions
from collabcert.report import (
    count_text,
    finding_lines,
    parts,
    plain_report,
    problem_count_text,
    summary_line,
)

FQDN, IP = "cucm.steven.lab", "10.48.36.215"
LOG = (b"WARNING: SNI (10.48.36.215) not in certificate. Action=Terminate "
       b"server=10.48.36.215(10.48.36.215)\n")


@pytest.fixture(scope="module")
def pki():
    root = issue("Steven Root CA", ca=True, not_after=NOW + 3000 * DAY)
    return {
        "root": root,
        "tomcat": issue(FQDN, issuer=root, sans=[FQDN], key_kind="rsa"),
        "ecdsa": issue("cucm-ec.steven.lab", sans=[FQDN], key_kind="ec384"),
        "sub": issue("sub.steven.lab", issuer=root, sans=["sub.steven.lab"], key_kind="rsa"),
        "expc": issue("expc.example.com", issuer=root, sans=["expc.example.com"]),
    }


@pytest.fixture
def folder(tmp_path: Path, pki) -> Path:
    for key, issued in pki.items():
        (tmp_path / f"{key}.pem").write_bytes(issued.pem)
    (tmp_path / "key-only.pem").write_bytes(b"no certificate in here\n")
    return tmp_path


def lint_file(folder: Path, name: str, role: str | None = None) -> LintFile:
    return LintFile(name, folder / name, role=role)


# --- the lint job ------------------------------------------------------------------------------


def test_the_job_reads_checks_and_decides_the_exit(folder):
    result = run(LintRequest((lint_file(folder, "expc.pem"),), role="expressway-c",
                             fields={"fqdn": "other.example.com"}), now=NOW)
    assert result.exit_code == 1 and result.failed
    assert "ROLE-STANDALONE-CN" in {f.id for f in result.findings}
    assert result.checked == ("expc.pem",)
    assert result.files == () and result.blocked == ""  # lint writes nothing
    assert result.text() == result.report.text_report()


def test_a_refused_field_value_is_bad_input_in_both_faces(folder):
    request = LintRequest((lint_file(folder, "expc.pem"),), role="expressway-c",
                          fields={"fqdn": "not a name"})
    with pytest.raises(InputError, match="^FQDN of this Expressway:"):
        run(request, now=NOW)
    assert field_problem("expressway-c", {"fqdn": "not a name"}).startswith("FQDN")
    assert field_problem("expressway-c", {"fqdn": "expc.example.com"}) == ""
    with pytest.raises(InputError, match="not a field of this role or of lint"):
        run(LintRequest((lint_file(folder, "expc.pem"),), fields={"nonsense": "1"}), now=NOW)


def test_empty_field_values_count_as_not_given(folder):
    result = run(LintRequest((lint_file(folder, "expc.pem"),), role="expressway-c",
                             fields={"fqdn": "  "}), now=NOW)
    assert "ROLE-STANDALONE-CN" not in {f.id for f in result.findings}


def test_an_unreadable_file_is_named_as_the_person_named_it(folder):
    with pytest.raises(InputError, match="^shown-name: no such file"):
        run(LintRequest((LintFile("shown-name", folder / "missing.pem"),)), now=NOW)


def test_a_pseudo_role_for_all_files_is_bad_usage(folder):
    with pytest.raises(InputError, match="give it per file as FILE@trust"):
        run(LintRequest((lint_file(folder, "expc.pem"),), role="trust"), now=NOW)


def test_addresses_split_on_commas_semicolons_and_spaces_once_each():
    assert addresses_of(["a.lab, 10.0.0.1", "b.lab;a.lab c.lab"]) == (
        "a.lab", "10.0.0.1", "b.lab", "c.lab")
    assert addresses_of([""]) == ()


def test_mra_with_a_trust_list_without_certificates_is_bad_input(folder):
    request = LintRequest((lint_file(folder, "tomcat.pem"),),
                          trust=(LintFile("t.pem", data=b"-----BEGIN X509 CRL-----\n"
                                          b"-----END X509 CRL-----\n"),),
                          options=LintOptions(mra_addresses=(FQDN,)))
    with pytest.raises(InputError, match=r"the trust list \(t.pem\) holds no certificates"):
        run(request, now=NOW)


def test_mra_without_any_trust_is_judged_against_an_empty_list(folder):
    # The CLI's `lint FILE --mra-address A` with no --trust: every chain is untrusted (kept).
    result = run(LintRequest((lint_file(folder, "tomcat.pem"),),
                             options=LintOptions(mra_addresses=(FQDN,))), now=NOW)
    assert [(r.address, r.result) for r in result.verdicts] == [(FQDN, "FAIL")]


def test_logs_are_read_as_inputs(folder):
    result = run(LintRequest((lint_file(folder, "tomcat.pem"),),
                             trust=(lint_file(folder, "root.pem"),),
                             logs=(LintFile("pasted", data=LOG),)), now=NOW)
    sni = [f for f in result.findings if f.id == "LOG-SNI"]
    assert sni and sni[0].where.startswith("pasted")
    assert "Files: tomcat.pem" in sni[0].message  # what the given file shows
    assert ("FAIL", IP) in {(r.result, r.address) for r in result.verdicts}


# --- the MRA job -----------------------------------------------------------------------------


def node(folder: Path, name: str, addresses: tuple[str, ...], *files: tuple[str, str],
         ip: str = "") -> MraNodeInput:
    return MraNodeInput(name, addresses, tuple(NodeCertificate(v, folder / f, f)
                                               for v, f in files), ip)


def test_mra_job_judges_each_node_with_its_own_files_and_addresses(folder):
    nodes = [node(folder, "cucm", (FQDN,), (TOMCAT, "tomcat.pem"), (TOMCAT_ECDSA, "ecdsa.pem"),
                  ip=IP),
             node(folder, "sub", ("sub.steven.lab",), (TOMCAT, "sub.pem"))]
    result = assess(nodes, [LintFile("root.pem", folder / "root.pem")], ExpresswaySettings(),
                    now=NOW)
    assert [(r.node, r.variant, r.address, r.result, r.rule) for r in result.verdicts] == [
        ("cucm", "tomcat", FQDN, "PASS", ""),
        ("cucm", "tomcat-ECDSA", FQDN, "FAIL", "TS-SELF-UNTRUSTED"),
        ("sub", "tomcat", "sub.steven.lab", "PASS", "")]
    assert {"TS-SELF-UNTRUSTED", "ECDSA-VARIANT"} <= {f.id for f in result.findings}
    assert result.exit_code == 1


def test_mra_job_gives_a_logged_address_to_the_node_with_that_ip(folder):
    nodes = [node(folder, "cucm", (FQDN,), (TOMCAT, "tomcat.pem"), ip=IP),
             node(folder, "sub", ("sub.steven.lab",), (TOMCAT, "sub.pem"), ip="10.0.0.9")]
    result = assess(nodes, [LintFile("root.pem", folder / "root.pem")], ExpresswaySettings(),
                    LOG.decode(), now=NOW)
    assert ("cucm", IP, "FAIL") in {(r.node, r.address, r.result) for r in result.verdicts}
    assert not [r for r in result.verdicts if r.node == "sub" and r.address == IP]
    assert "LOG-SNI" in {f.id for f in result.findings}


def test_mra_job_settings_reach_the_verdict(folder):
    nodes = [node(folder, "cucm", (FQDN, IP), (TOMCAT, "tomcat.pem"))]
    result = assess(nodes, [LintFile("root.pem", folder / "root.pem")],
                    ExpresswaySettings(version="X14.0.7"), now=NOW)
    assert not any(r.enforced for r in result.verdicts)
    assert "CFG-UPGRADE-READY" in {f.id for f in result.findings}
    assert result.exit_code == 0  # not enforced: warnings only


def test_mra_job_needs_a_trust_list(folder):
    with pytest.raises(InputError, match="Expressway-C trusted CA list"):
        assess([node(folder, "cucm", (FQDN,), (TOMCAT, "tomcat.pem"))], [],
               ExpresswaySettings(), now=NOW)


def test_node_problems_are_one_sentence_each(folder):
    ok = node(folder, "cucm", (FQDN,), (TOMCAT, "tomcat.pem"))
    assert node_problem(ok, []) == ""
    assert node_problem(node(folder, "x", (), (TOMCAT, "tomcat.pem")), []).startswith(
        "Type the address(es)")
    assert "already in the list" in node_problem(ok, [ok])
    assert node_problem(node(folder, "x", (FQDN,)), []).startswith("Give the file")
    assert "are the same file" in node_problem(
        node(folder, "x", (FQDN,), (TOMCAT, "tomcat.pem"), (TOMCAT_ECDSA, "tomcat.pem")), [])
    assert "missing.pem: no such file" in node_problem(
        node(folder, "x", (FQDN,), (TOMCAT, "missing.pem")), [])
    assert node_problem(node(folder, "x", (FQDN,), (TOMCAT, "ecdsa.pem")), []).startswith(
        "ecdsa.pem holds an EC (ECDSA) certificate, but tomcat is RSA")  # seed-004 CU-P04
    assert "holds an RSA certificate, but tomcat-ECDSA is EC" in node_problem(
        node(folder, "x", (FQDN,), (TOMCAT_ECDSA, "tomcat.pem")), [])
    assert "holds no end (server) certificate" in node_problem(
        node(folder, "x", (FQDN,), (TOMCAT, "root.pem")), [])


# --- the one renderer ----------------------------------------------------------------------


FOUND = [Finding("B-INFO", Severity.INFO, "note"),
         Finding("A-ERR", Severity.ERROR, "broken", "mend it", "seed-001 A-ERR", "x.pem"),
         Finding("C-WARN", Severity.WARNING, "odd")]


def test_finding_lines_errors_first_with_fix_and_cite():
    assert finding_lines(FOUND) == [
        "ERROR A-ERR [x.pem]: broken", "    fix: mend it", "    cite: seed-001 A-ERR",
        "WARNING C-WARN: odd", "INFO B-INFO: note"]
    # The CLI's spelling: the JSON severity as the label.
    assert finding_lines(FOUND, lower=True)[0] == "error A-ERR [x.pem]: broken"
    # The compact list beside a chain: no place, no citation.
    assert finding_lines(FOUND[1:2], where=False, cite=False) == [
        "ERROR A-ERR: broken", "    fix: mend it"]


def test_finding_lines_wrap_at_a_width_with_indented_continuations():
    long = Finding("L-1", Severity.WARNING, "word " * 30, "fix " * 30)
    lines = finding_lines([long], width=40)
    assert all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("WARNING L-1: word")
    assert lines[1].startswith("    ") and not lines[1].startswith("        ")
    fix_start = next(i for i, line in enumerate(lines) if line.startswith("    fix:"))
    assert lines[fix_start + 1].startswith("        fix")


def test_parts_are_the_pieces_the_lines_are_made_of():
    piece = parts(FOUND[1])
    assert (piece.label(), piece.head(), piece.fix, piece.cite) == (
        "ERROR", "A-ERR [x.pem]: broken", "mend it", "seed-001 A-ERR")
    assert piece.head(where=False) == "A-ERR: broken"


def test_plain_report_puts_verdict_rows_first_then_findings():
    class Row:
        def text(self) -> str:
            return "MRA cucm tomcat x @ y: PASS"

    assert plain_report(FOUND[2:], [Row()]) == (
        "MRA cucm tomcat x @ y: PASS\n\nWARNING C-WARN: odd\n")
    assert plain_report([], [Row()]) == "MRA cucm tomcat x @ y: PASS\n"
    assert plain_report([]) == ""


def test_counts_in_words():
    assert count_text(FOUND) == "1 error, 1 warning, 1 note"
    assert problem_count_text(FOUND) == "1 error, 1 warning"
    assert problem_count_text(FOUND[:1]) == "no problems"
    assert summary_line(FOUND, 3) == "1 errors, 1 warnings, 1 info (3 files)"
