"""The import, bundle and trust list jobs (collabcert.jobs), on PKIs made in the test.

These are the behaviours the CLI (`collabcert bundle`) and the wizard (import, bundle) used to
decide each on their own; each is tested once here, and once through each face in
tests/cli/test_cli_bundle.py and tests/tui/test_tui_import.py / test_tui_bundle.py.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID
from pki import NOW, issue, make_pki, new_key, pem_of

from collabcert.chain import fingerprint
from collabcert.errors import InputError
from collabcert.files import write_plan
from collabcert.jobs.bundle import (
    BundleOptions,
    blocked_text,
    bundle_job,
    default_folder,
    labels_in,
    read_back,
)
from collabcert.jobs.importing import Request, request_from
from collabcert.load import load_bytes

PEM = serialization.Encoding.PEM


@pytest.fixture(scope="module")
def pki():
    return make_pki(sans=["expe.example.com", "collab-edge.example.com"])


def source(name: str, data: bytes):
    return (name, load_bytes(data, name))


def sent(pki):
    return [source("chain.pem", pem_of(pki.root.cert, pki.leaf.cert, pki.intermediate.cert))]


def test_a_mismatch_plans_no_files_whatever_the_override(pki, tmp_path):
    result = bundle_job(sent(pki), BundleOptions("fullchain", out_dir=tmp_path),
                        Request(key=new_key("ec")), at=NOW)
    assert result.files == () and result.next_steps == ()
    assert result.blocked.startswith("the checks found 1 error: KEY-MATCH")
    assert "does not belong to the key or CSR" in result.blocked
    assert result.bundle.files  # what the certificate would have given, for the JSON


def test_the_csr_eku_is_required_of_the_certificate(tmp_path):
    """seed-001 AT-16: a CA template that drops clientAuth is an error on import."""
    key = new_key("ec")
    root = issue("Lab Root", ca=True)
    leaf = issue("expe.example.com", issuer=root, key=key, sans=["expe.example.com"],
                 eku=[ExtendedKeyUsageOID.SERVER_AUTH])
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    csr = (x509.CertificateSigningRequestBuilder().subject_name(leaf.cert.subject)
           .add_extension(x509.SubjectAlternativeName([x509.DNSName("expe.example.com")]), False)
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                 ExtendedKeyUsageOID.CLIENT_AUTH]), False)
           .sign(key, hashes.SHA256()))
    result = bundle_job([source("signed.pem", pem_of(leaf.cert, root.cert))],
                        BundleOptions("fullchain", out_dir=tmp_path), Request(csr=csr), at=NOW)
    assert "CRT-EKU-CLIENT" in [f.id for f in result.errors]
    assert result.blocked == "the checks found 1 error: CRT-EKU-CLIENT"
    assert result.files  # planned: an error blocks until the person says so, it plans nothing less


def test_errors_block_and_are_named_in_order_once(pki, tmp_path):
    result = bundle_job([source("leaf.pem", pem_of(pki.leaf.cert))],
                        BundleOptions("fullchain", out_dir=tmp_path, include_root=True), at=NOW)
    assert [f.id for f in result.errors] == ["CHN-INCOMPLETE", "BND-NO-ROOT"]
    assert result.blocked == "the checks found 2 errors: CHN-INCOMPLETE, BND-NO-ROOT"
    assert blocked_text([]) == ""


def test_nothing_wrong_nothing_blocked_and_findings_in_one_order(pki, tmp_path):
    csr = pki.csr
    result = bundle_job(sent(pki), BundleOptions("cms", out_dir=tmp_path),
                        Request(csr=csr), at=NOW)
    assert result.blocked == "" and result.errors == ()
    assert [p.path.name for p in result.files] == ["expe.crt", "expebundle.crt"]
    assert result.checked.key_matches is True
    assert result.findings == (result.checked.read_findings + result.bundle.findings
                               + result.checked.extra_findings)


def test_a_key_inside_the_inputs_picks_the_leaf(pki, tmp_path):
    """A .pfx given to the bundle flow or to the CLI without --key: its key picks the leaf."""
    other = issue("zzz.example.com", issuer=pki.intermediate)  # a second leaf: a guess
    p12 = pkcs12.serialize_key_and_certificates(
        None, pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert, pki.root.cert],
        serialization.NoEncryption())
    sources = [source("server.pfx", p12), source("other.pem", pem_of(other.cert))]
    result = bundle_job(sources, BundleOptions("fullchain", out_dir=tmp_path), at=NOW)
    assert result.chain.leaf.fingerprint == fingerprint(pki.leaf.cert)
    assert "CHN-LEAF-GUESS" not in [f.id for f in result.findings]


def test_cms_files_are_named_after_the_request_key_file(pki, tmp_path):
    (tmp_path / "server.key").write_bytes(pki.leaf.key_pem)
    from collabcert.load import load_path

    request = request_from([("server.key", load_path(tmp_path / "server.key"))])
    assert request.key_file == tmp_path / "server.key" and request.names == ("server.key",)
    result = bundle_job(sent(pki), BundleOptions("cms", out_dir=tmp_path), request, at=NOW)
    assert sorted(p.path.name for p in result.files) == ["server.crt", "serverbundle.crt"]


def test_no_certificates_is_one_sentence(pki, tmp_path):
    with pytest.raises(InputError, match="no certificate was found"):
        bundle_job([source("expe.csr", pki.csr.public_bytes(PEM))],
                   BundleOptions("fullchain", out_dir=tmp_path))


def test_unreadable_sources_are_read_errors_and_block(pki, tmp_path):
    result = bundle_job(sent(pki), BundleOptions("fullchain", out_dir=tmp_path),
                        problems=["junk.pem: not a certificate"], at=NOW)
    assert result.errors[0].id == "READ" and result.blocked.endswith("READ")


def test_default_folder_is_next_to_the_first_input(tmp_path):
    assert default_folder([tmp_path / "a" / "x.pem", None], tmp_path) == tmp_path / "a"
    assert default_folder([None, tmp_path / "a" / "x.pem"], tmp_path) == tmp_path
    assert default_folder([], tmp_path) == tmp_path


def test_labels_and_read_back_give_plain_values(pki, tmp_path):
    result = bundle_job(sent(pki), BundleOptions("expressway", out_dir=tmp_path), at=NOW)
    ca_list = result.files[0]
    assert labels_in(ca_list) == "Example Issuing CA, Example Root CA"
    written = write_plan(list(result.files), force=False)
    rows = read_back(written)
    assert [(r.path.name, r.label, r.mode) for r in rows] == [
        ("expe.example.com-trusted-ca.pem", "Example Issuing CA", "0644"),
        ("expe.example.com-trusted-ca.pem", "Example Root CA", "0644"),
        ("expe.example.com-server.pem", "expe.example.com", "0644")]
    assert rows[2].sha256 == fingerprint(pki.leaf.cert)
