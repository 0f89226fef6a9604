"""`collabcert bundle` against the DESIGN.md contract, on files made in the test."""

from __future__ import annotations

import json
import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from pki import make_pki, pem_of, run_main

from collabcert.chain import fingerprint


@pytest.fixture(scope="module")
def pki():
    return make_pki(leaf_cn="cucm-pub.example.com", root_cn="Test Root CA",
                    intermediate_cn="Test Issuing CA")


@pytest.fixture
def files(pki, tmp_path):
    (tmp_path / "chain.pem").write_bytes(pem_of(pki.root.cert, pki.leaf.cert,
                                                pki.intermediate.cert))
    (tmp_path / "noroot.pem").write_bytes(pem_of(pki.leaf.cert, pki.intermediate.cert))
    (tmp_path / "leaf.pem").write_bytes(pem_of(pki.leaf.cert))
    (tmp_path / "server.key").write_bytes(pki.leaf.key_pem)
    (tmp_path / "request.csr").write_bytes(pki.csr.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "out").mkdir()
    return tmp_path


def _fps(*certs):
    return [fingerprint(c) for c in certs]


def test_fullchain_json_lists_fingerprints(pki, files, capsys):
    code, out, err = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "fullchain",
                              "--out", str(files / "out"), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["fingerprints"] == _fps(pki.leaf.cert, pki.intermediate.cert)
    assert doc["missing_issuer"] is None and doc["unused"] == []
    written = files / "out" / "cucm-pub.example.com-fullchain.pem"
    assert doc["written"] == [str(written)]
    assert x509.load_pem_x509_certificates(written.read_bytes()) == [pki.leaf.cert,
                                                                     pki.intermediate.cert]


def test_root_include(pki, files, capsys):
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "fullchain",
                            "--root", "include", "-o", str(files / "out" / "full.pem"), "--json")
    assert code == 0
    assert json.loads(out)["fingerprints"] == _fps(*pki.chain)


def test_missing_issuer_exit_1_subject_on_stderr_nothing_written(files, capsys):
    code, out, err = run_main(capsys, "bundle", str(files / "leaf.pem"), "--target", "cms",
                              "--out", str(files / "out"), "--json")
    assert code == 1
    assert "CN=Test Issuing CA,O=Example" in err and err.startswith("collabcert: error:")
    doc = json.loads(out)
    assert doc["missing_issuer"]["subject"] == "CN=Test Issuing CA,O=Example"
    assert doc["written"] == [] and not os.listdir(files / "out")


def test_root_include_without_a_root_is_exit_1(files, capsys):
    code, _, err = run_main(capsys, "bundle", str(files / "noroot.pem"), "--target", "fullchain",
                            "--root", "include", "--out", str(files / "out"))
    assert code == 1 and "Test Root CA" in err


def test_anyway_writes_an_incomplete_chain(files, capsys):
    code, _, _ = run_main(capsys, "bundle", str(files / "noroot.pem"), "--target", "fullchain",
                          "--out", str(files / "out"), "--anyway")
    assert code == 1 and os.listdir(files / "out")


def test_unused_certificates_do_not_change_the_exit_code(pki, files, capsys):
    other = make_pki(root_cn="Other Root")
    (files / "extra.pem").write_bytes(pem_of(other.root.cert))
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.pem"), str(files / "extra.pem"),
                            "--target", "expressway", "--out", str(files / "out"), "--json")
    assert code == 0
    doc = json.loads(out)
    assert [u["fingerprint"] for u in doc["unused"]] == _fps(other.root.cert)
    assert [s["purpose"] for s in doc["upload_plan"]] == ["Trusted CA certificate",
                                                          "Server certificate"]


def test_cucm_upload_plan_in_json(pki, files, capsys):
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "cucm",
                            "--out", str(files / "out"), "--json")
    assert code == 0
    plan = json.loads(out)["upload_plan"]
    assert [(s["purpose"], s["fingerprint"]) for s in plan] == [
        ("tomcat-trust", fingerprint(pki.root.cert)),
        ("tomcat-trust", fingerprint(pki.intermediate.cert)),
        ("tomcat", fingerprint(pki.leaf.cert)),
    ]
    for step in plan:
        certs = x509.load_pem_x509_certificates(open(step["file"], "rb").read())
        assert [fingerprint(c) for c in certs] == [step["fingerprint"]]


def test_cucm_type_option(files, capsys):
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "cucm",
                            "--type", "callmanager", "--out", str(files / "out"), "--json")
    assert code == 0
    assert [s["purpose"] for s in json.loads(out)["upload_plan"]] == [
        "CallManager-trust", "CallManager-trust", "CallManager"]


def test_cms_with_key_names_files_after_the_key(pki, files, capsys):
    """seed-003 AT20: the chain file plus server.key gives server.crt and serverbundle.crt."""
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "cms",
                            "--key", str(files / "server.key"), "--out", str(files / "out"))
    assert code == 0
    assert sorted(os.listdir(files / "out")) == ["server.crt", "serverbundle.crt"]
    assert "pki verify server.crt serverbundle.crt" in out


def test_cms_bad_name_is_usage_error(files, capsys):
    code, _, err = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "cms",
                            "--name", "call.bridge", "--out", str(files / "out"))
    assert code == 2 and "call.bridge" in err


def test_key_of_another_server_exit_1(files, capsys):
    other = make_pki()
    (files / "other.key").write_bytes(other.leaf.key_pem)
    code, _, err = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "fullchain",
                            "--key", str(files / "other.key"), "--out", str(files / "out"))
    assert code == 1 and "private key" in err


def test_csr_checks_sans(files, capsys):
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "fullchain",
                            "--csr", str(files / "request.csr"), "--out", str(files / "out"),
                            "--json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_default_output_is_next_to_the_first_input(files, capsys):
    code, _, _ = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "fullchain")
    assert code == 0 and (files / "cucm-pub.example.com-fullchain.pem").exists()
    code, _, err = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "fullchain")
    assert code == 2 and "already exists" in err  # never replaced without --force
    assert run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "fullchain",
                    "--force")[0] == 0


def test_pkcs7_root_first_input(pki, files, capsys):
    der = pkcs7.serialize_certificates(list(reversed(pki.chain)), serialization.Encoding.DER)
    (files / "chain.p7b").write_bytes(der)
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.p7b"), "--target", "fullchain",
                            "--root", "include", "--out", str(files / "out"), "--json")
    assert code == 0 and json.loads(out)["fingerprints"] == _fps(*pki.chain)


def test_unreadable_input_exit_2(files, capsys):
    (files / "junk.pem").write_bytes(os.urandom(300))
    code, _, err = run_main(capsys, "bundle", str(files / "junk.pem"), "--target", "fullchain")
    assert code == 2 and "junk.pem" in err
    code, _, err = run_main(capsys, "bundle", str(files / "missing.pem"), "--target", "fullchain")
    assert code == 2 and "missing.pem" in err


def test_trust_list_mode(pki, files, capsys):
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "expressway",
                            "--trust-list", "-o", str(files / "out" / "cas.pem"), "--json")
    doc = json.loads(out)
    assert code == 0, doc["findings"]  # the leaf in the list is a warning, not an error
    assert len(doc["entries"]) == 3 and doc["written"] == [str(files / "out" / "cas.pem")]


def test_one_json_document_and_text_mode(files, capsys):
    code, out, _ = run_main(capsys, "bundle", str(files / "chain.pem"), "--target", "cms",
                            "--name", "turn", "--out", str(files / "out"))
    assert code == 0
    assert "turn disable" in out and "signature verified" in out


# --- the behaviours decided once in collabcert.jobs (issue 10), through the CLI ----------------


def test_key_of_another_server_shows_the_chain_and_writes_nothing_even_with_anyway(pki, files,
                                                                                   capsys):
    other = make_pki()
    (files / "other.key").write_bytes(other.leaf.key_pem)
    code, out, err = run_main(capsys, "bundle", str(files / "chain.pem"), "--target",
                              "fullchain", "--key", str(files / "other.key"), "--out",
                              str(files / "out"), "--anyway", "--json")
    assert code == 1 and "KEY-MATCH" in err
    doc = json.loads(out)
    assert doc["key_matches"] is False and doc["written"] == [] and doc["files"] == []
    assert [link["fingerprint"] for link in doc["chain"]] == _fps(pki.leaf.cert,
                                                                  pki.intermediate.cert,
                                                                  pki.root.cert)
    assert "does not belong to the key or CSR" in doc["blocked"]
    assert not os.listdir(files / "out")


def test_csr_eku_missing_from_the_certificate_is_an_error_and_anyway_writes(files, capsys):
    """seed-001 AT-16: the CSR asked for clientAuth, the CA's template dropped it."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID
    from pki import issue, new_key

    key = new_key("ec")
    root = issue("Lab Root", ca=True)
    leaf = issue("expe.example.com", issuer=root, key=key, sans=["expe.example.com"],
                 eku=[ExtendedKeyUsageOID.SERVER_AUTH])
    csr = (x509.CertificateSigningRequestBuilder().subject_name(leaf.cert.subject)
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                 ExtendedKeyUsageOID.CLIENT_AUTH]), False)
           .sign(key, hashes.SHA256()))
    (files / "web.pem").write_bytes(pem_of(leaf.cert, root.cert))
    (files / "web.csr").write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    argv = ("bundle", str(files / "web.pem"), "--target", "fullchain", "--csr",
            str(files / "web.csr"), "--out", str(files / "out"))
    code, out, err = run_main(capsys, *argv)
    assert code == 1 and "CRT-EKU-CLIENT" in err
    assert "Nothing was written: the checks found 1 error: CRT-EKU-CLIENT (--anyway" in out
    assert not os.listdir(files / "out")
    code, _, _ = run_main(capsys, *argv, "--anyway")
    # named after the CSR's file, not the CN (issue 12 item 8: cluster peers share the CN)
    assert code == 1 and os.listdir(files / "out") == ["web-fullchain.pem"]


def test_a_key_inside_the_input_picks_the_leaf(pki, files, capsys):
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pki import issue

    p12 = pkcs12.serialize_key_and_certificates(
        None, pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert, pki.root.cert],
        serialization.NoEncryption())
    (files / "server.pfx").write_bytes(p12)
    (files / "peer.pem").write_bytes(pem_of(issue("aaa.example.com",
                                                  issuer=pki.intermediate).cert))
    code, out, _ = run_main(capsys, "bundle", str(files / "server.pfx"), str(files / "peer.pem"),
                            "--target", "fullchain", "--out", str(files / "out"), "--json")
    assert code == 0
    assert json.loads(out)["fingerprints"][0] == fingerprint(pki.leaf.cert)
