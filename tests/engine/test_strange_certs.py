"""Strange certificates (issue 11 item 12): every part pyca refuses is named once, as
CRT-PART-UNREADABLE ("<part> unreadable: <plain reason>"), and every other check goes on.

The certificates come from tests/strange_certs.py: TBSCertificates assembled byte by byte with
each defect, signed with a real key. Each job that a verb calls (inspect, convert, lint with every
role, bundle with every target, trust list, import, match) runs over each of them here; the CLI
sweep as a person runs it is tests/cli/test_cli_strange.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from strange_certs import STRANGE, strange, strange_ca

from collabcert import certparts
from collabcert.errors import CollabcertError
from collabcert.jobs.bundle import BundleOptions, bundle_job
from collabcert.jobs.convert import ConvertOptions, convert_files
from collabcert.jobs.importing import check_import_job
from collabcert.jobs.inspect import inspect_files
from collabcert.jobs.match import match_job
from collabcert.jobs.trustlist import trust_list_job
from collabcert.lint import LintInput, run_lint
from collabcert.load import load_bytes
from collabcert.model import describe_lines, summarize_certificate
from collabcert.roles import ROLES
from collabcert.sigverify import verify_signature

AT = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)  # inside every strange certificate's validity
# The defects of item 12: the certificate loads; a part of it is refused by pyca.
REFUSED_PARTS = {
    "empty-rdn-subject": ("subject unreadable", "empty RDN"),
    "empty-rdn-issuer": ("issuer unreadable", "empty RDN"),
    "duplicate-extension": ("extension basicConstraints unreadable", "appears twice"),
    "unknown-key-type": ("public key unreadable", "1.2.3.4.5.6"),
    "invalid-rsa-numbers": ("public key unreadable", "RSA numbers are invalid"),
    "san-x400address": ("extension subjectAltName unreadable", "x400Address"),
    "san-edipartyname": ("extension subjectAltName unreadable", "EDIPartyName"),
    "year-zero-not-before": ("validity (notBefore) unreadable", "year 0"),
    "name-constraints-x400": ("extension nameConstraints unreadable", "x400Address"),
    "name-constraints-edipartyname": ("extension nameConstraints unreadable", "EDIPartyName"),
    "name-constraints-bad-ip": ("extension nameConstraints unreadable", "neither IPv4 nor IPv6"),
    "bad-key-usage-others-kept": ("extension keyUsage unreadable", "not allowed"),
}
# What pyca reads whole (no part refused), though odd: they must go through every job too.
READ_WHOLE = ("rsa-pss", "explicit-ca-false", "ip-san-8-bytes", "email-in-subject",
              "md5-signature")
LOADABLE = (*REFUSED_PARTS, *READ_WHOLE)


def loaded(defect: str):
    return load_bytes(strange(defect).pem, f"{defect}.pem")


def ca_loaded():
    return load_bytes(strange("ca").pem, "ca.pem")


def test_the_generator_lists_every_defect_it_makes() -> None:
    assert set(STRANGE) == set(LOADABLE) | {"ecdsa-null-params", "utctime-no-seconds",
                                            "explicit-v1", "ber-boolean"}


@pytest.mark.parametrize("defect", [d for d in LOADABLE if d not in
                                    ("md5-signature", "rsa-pss", "unknown-key-type",
                                     "invalid-rsa-numbers", "empty-rdn-issuer")])
def test_signatures_are_real_the_strange_ca_signed_each(defect: str) -> None:
    """Signed over the hand-made bytes with the CA's real key, so chain checks mean something."""
    cert = x509.load_der_x509_certificate(strange(defect).der)
    ca = x509.load_der_x509_certificate(strange_ca().der)
    assert verify_signature(cert, ca).verified


@pytest.mark.parametrize("defect", REFUSED_PARTS)
def test_the_reader_names_the_refused_part_in_plain_words(defect: str) -> None:
    part, words = REFUSED_PARTS[defect]
    found = [f for f in loaded(defect).findings if f.id == "CRT-PART-UNREADABLE"]
    assert len(found) == 1, found
    assert part in found[0].message and words in found[0].message
    assert "ParseError" not in found[0].message and "Error:" not in found[0].message


@pytest.mark.parametrize("defect", LOADABLE)
def test_inspect_summarizes_every_strange_certificate(defect: str) -> None:
    result = inspect_files([loaded(defect)], at=AT)
    (view,) = result.items
    rows = dict(describe_lines(view.summary, AT))
    assert rows["SHA-256"] and view.summary.to_json()["sha256"]
    assert view.title


def test_one_bad_extension_leaves_the_others_readable() -> None:
    """keyUsage is malformed; SAN, EKU and basicConstraints are read each on its own."""
    summary = summarize_certificate(loaded("bad-key-usage-others-kept").certificates[0])
    assert summary.sans == (("DNS", "bad-key-usage-others-kept.example.com"),)
    assert summary.extended_key_usage == ("serverAuth", "clientAuth")
    assert summary.has_basic_constraints and not summary.is_ca
    assert summary.key_usage == ()
    assert "keyUsage unreadable" in summary.extensions_note


def test_a_duplicate_extension_keeps_the_first_and_the_rest() -> None:
    cert = loaded("duplicate-extension").certificates[0]
    kinds = [type(e.value).__name__ for e in certparts.extensions(cert)]
    assert kinds == ["BasicConstraints", "KeyUsage", "ExtendedKeyUsage", "SubjectAlternativeName"]


def test_year_zero_is_the_earliest_date_not_a_crash() -> None:
    cert = loaded("year-zero-not-before").certificates[0]
    assert certparts.not_before(cert) == certparts.EARLIEST
    assert certparts.not_after(cert).year == 2035


def test_rsa_pss_inspect_json_is_plain_values() -> None:
    import json

    from collabcert.inspect import result_json

    document = result_json(inspect_files([loaded("rsa-pss")], at=AT))
    json.dumps(document)  # no object pyca made is left in it
    (item,) = document["files"][0]["items"]
    assert item["signature_algorithm"] == "rsassaPss" and item["self_signed"] is True


@pytest.mark.parametrize("defect", LOADABLE)
def test_lint_with_every_role_goes_on(defect: str) -> None:
    files = [LintInput(f"{defect}.pem", strange(defect).pem),
             LintInput("ca.pem", strange("ca").pem)]
    for role in (None, *(r.id for r in ROLES)):
        report = run_lint(files, role=role, now=AT)
        ids = [f.id for f in report.findings]
        if defect in REFUSED_PARTS:
            assert ids.count("CRT-PART-UNREADABLE") == 1, (role, ids)
    trust = run_lint([LintInput("t.pem", strange(defect).pem, role="trust"),
                      LintInput("ca.pem", strange("ca").pem)], role="expressway-e", now=AT)
    if defect in REFUSED_PARTS:  # in a trust list too, named once
        assert [f.id for f in trust.findings].count("CRT-PART-UNREADABLE") == 1


@pytest.mark.parametrize("defect", LOADABLE)
def test_bundle_every_target_trust_lists_and_import_go_on(defect: str, tmp_path: Path) -> None:
    sources = [(f"{defect}.pem", loaded(defect)), ("ca.pem", ca_loaded())]
    for target in ("fullchain", "expressway", "cms", "cucm"):
        try:
            result = bundle_job(sources, BundleOptions(target=target, out_dir=tmp_path), at=AT)
        except CollabcertError as error:  # one sentence is fine (e.g. no leaf), a crash is not
            assert str(error)
            continue
        if defect in REFUSED_PARTS:
            assert "CRT-PART-UNREADABLE" in [f.id for f in result.findings], target
    for product in ("expressway", "cms", "cucm"):
        try:
            trust_list_job(sources, product=product, out_dir=tmp_path, at=AT)
        except CollabcertError as error:
            assert str(error)
    checked = check_import_job(sources, at=AT)
    assert checked.chain is not None


@pytest.mark.parametrize("defect", LOADABLE)
def test_convert_and_match_go_on(defect: str, tmp_path: Path) -> None:
    for to in ("pem", "der", "p7b"):
        result = convert_files([loaded(defect)], ConvertOptions(to=to, out_dir=tmp_path))
        assert result.planned or result.blocked
    try:
        match_job(loaded(defect), loaded(defect))
    except CollabcertError as error:  # an unreadable key: one sentence naming the reason
        assert "cannot be read" in str(error)


def test_a_crl_of_a_bad_version_is_a_finding_not_a_crash() -> None:
    import base64

    from strange_certs import bad_version_crl

    der = bad_version_crl()
    pem = (b"-----BEGIN X509 CRL-----\n" + base64.encodebytes(der) + b"-----END X509 CRL-----\n")
    for data in (der, pem):
        report = run_lint([LintInput("bad.crl", data, role="trust"),
                           LintInput("ca.pem", strange("ca").pem)], role="expressway-e", now=AT)
        bad = [f for f in report.findings if f.id == "LOAD-BLOCK"]
        assert bad and "version is 5" in bad[0].message
