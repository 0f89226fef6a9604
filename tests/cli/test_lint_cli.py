"""`collabcert lint` as the DESIGN.md contract says: findings with id, severity, message, fix,
cite; exit 0 for warnings/info only, 1 for any error, 2 for an unknown role or unreadable input;
an encrypted key is an error finding (not a password prompt); Expressway's own upload messages
word for word (seed-001 AT-11)."""

from __future__ import annotations

import json

import pytest
from lint_support import key_pem
from pki import DAY, NOW, issue, name, new_key, pem_of, run_cli

from collabcert.cli import main


def run(*args, stdin: bytes = b""):
    proc = run_cli("lint", *args, stdin=stdin, timeout=120)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("lint")
    root = issue(name("Root CA"), ca=True, not_after=NOW + 3000 * DAY)
    good = issue("expc.example.com", issuer=root, sans=["expc.example.com"])
    bad = issue("expc", issuer=root, sans=["expc.example.com", "192.0.2.10"])
    ss = issue("cucm-ec.steven.lab", sans=["cucm.steven.lab"])
    paths = {
        "root": root.pem, "good": good.pem, "good_key": key_pem(good.key),
        "locked": key_pem(good.key, b"secret"), "bad": bad.pem, "ss": ss.pem,
        "soon": issue("expc.example.com", issuer=root, sans=["expc.example.com"],
                      not_after=NOW + 5 * DAY).pem,
        "log": b"WARNING: SNI (10.48.36.215) not in certificate. Action=Terminate "
               b"server=10.48.36.215(10.48.36.215)\n",
    }
    out = {}
    for key, data in paths.items():
        p = d / f"{key}.pem"
        p.write_bytes(data)
        out[key] = str(p)
    out["dir"] = str(d)
    return out


def test_clean_files_exit_0(files):
    code, out, err = run(files["good"], files["good_key"], files["root"], "--role", "expressway-c")
    assert code == 0, out + err
    assert "0 errors" in out


def test_warnings_only_exit_0(files):
    code, out, _ = run(files["soon"], files["root"], "--role", "expressway-c", "--json")
    doc = json.loads(out)
    assert code == 0 and not doc["failed"]
    assert any(f["id"] == "CRT-EXPIRING" and f["severity"] == "warning" for f in doc["findings"])


def test_errors_exit_1_and_json_has_the_contract_keys(files):
    code, out, err = run(files["bad"], "--role", "expressway-c", "--json")
    assert code == 1 and err == ""
    doc = json.loads(out)
    for finding in doc["findings"]:
        assert {"id", "severity", "message", "fix", "cite"} <= set(finding)
        assert finding["severity"] in ("error", "warning", "info")
    messages = {f["message"] for f in doc["findings"]}
    assert "File upload failed.: Common name must be a valid FQDN" in messages
    assert "File upload failed.: Subject alternative name must be a valid FQDN" in messages


def test_unknown_role_exit_2(files):
    code, out, err = run(files["good"], "--role", "no-such-role")
    assert code == 2 and err.startswith("collabcert: error:") and out == ""


def test_unreadable_and_missing_input_exit_2(files, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x01\x02\x03not a certificate")
    for arg in (str(junk), str(tmp_path / "missing.pem"), files["dir"]):
        code, _, err = run(arg, "--role", "expressway-c")
        assert code == 2 and "collabcert: error:" in err and "Traceback" not in err


def test_encrypted_key_is_an_error_finding_not_a_prompt(files):
    code, out, err = run(files["good"], files["locked"], files["root"], "--role", "expressway-c",
                         "--json")
    assert code == 1, err
    doc = json.loads(out)
    assert any(f["id"] == "KEY-ENC" and f["severity"] == "error" for f in doc["findings"])
    code, out, _ = run(files["locked"], "--role", "cms-callbridge", "--json")
    assert code == 1 and any(f["id"] == "CMS-K01" for f in json.loads(out)["findings"])


def test_field_errors_exit_2(files):
    assert run(files["good"], "--role", "expressway-c", "--field", "fqdn")[0] == 2
    assert run(files["good"], "--role", "expressway-c", "--field", "nonsense=1")[0] == 2
    code, out, _ = run(files["good"], "--role", "expressway-c", "--field",
                       "fqdn=other.example.com", "--json")
    assert code == 1 and "ROLE-STANDALONE-CN" in out


def test_file_at_role_and_mra_options(files):
    code, out, err = run(f"{files['ss']}@cucm-tomcat-ecdsa", "--trust", files["root"],
                         "--mra-address", "cucm.steven.lab,10.48.36.215", "--mra-ip",
                         "10.48.36.215", "--json")
    assert code == 1, err
    doc = json.loads(out)
    assert [(r["address"], r["result"], r["rule"]) for r in doc["mra"]] == [
        ("cucm.steven.lab", "FAIL", "TS-SELF-UNTRUSTED"),
        ("10.48.36.215", "FAIL", "TS-SELF-UNTRUSTED")]
    assert doc["mra"][0]["log"].startswith("WARNING: Core server certificate verification")
    code, out, _ = run(files["ss"], "--role", "cucm-tomcat-ecdsa", "--trust", files["root"],
                       "--mra-address", "cucm.steven.lab", "--expressway-version", "X14.0.7")
    assert code == 0 and "(not enforced)" in out and "CFG-UPGRADE-READY" in out


def test_log_option_and_stdin(files):
    code, out, _ = run("-", "--role", "cucm-tomcat-ecdsa", "--log", files["log"], "--json",
                       stdin=open(files["ss"], "rb").read())
    doc = json.loads(out)
    assert code == 1 and any(f["id"] == "LOG-SNI" for f in doc["findings"])
    assert doc["files"] == ["standard input"]


def test_main_in_process_and_text_output(files, capsys):
    assert main(["lint", files["bad"], "--role", "expressway-c"]) == 1
    out = capsys.readouterr().out
    assert "error CRT-CN-FQDN" in out and "cite: seed-001 CRT-CN-FQDN (L879)" in out
    assert main(["lint", files["good"]]) == 0


def test_lint_help_is_fast_and_lists_the_options():
    proc = run_cli("lint", "--help", text=True)
    assert proc.returncode == 0
    for option in ("--role", "--field", "--trust", "--mra-address", "--log", "--json"):
        assert option in proc.stdout
    assert new_key() and pem_of


# --- behaviours the lint job decided for both faces (issue 10 item 2) ---------------------------


def test_a_field_value_the_catalogue_refuses_is_bad_usage(files):
    code, out, err = run(files["good"], "--role", "expressway-c", "--field", "fqdn=not a name")
    assert code == 2 and out == ""
    assert err.startswith("collabcert: error: FQDN of this Expressway:")
    assert len(err.strip().splitlines()) == 1  # one sentence, no traceback


def test_mra_with_a_trust_list_without_certificates_is_bad_input(files, tmp_path):
    crl_only = tmp_path / "empty-trust.pem"
    crl_only.write_bytes(b"-----BEGIN X509 CRL-----\n-----END X509 CRL-----\n")
    code, out, err = run(files["ss"], "--trust", str(crl_only), "--mra-address",
                         "cucm.steven.lab")
    assert code == 2 and out == ""
    assert "the trust list" in err and "holds no certificates" in err


def test_mra_addresses_split_like_the_wizard_and_kept_once(files):
    code, out, _ = run(files["ss"], "--trust", files["root"], "--mra-address",
                       "cucm.steven.lab; 10.48.36.215 cucm.steven.lab", "--json")
    assert code == 1
    assert [r["address"] for r in json.loads(out)["mra"]] == ["cucm.steven.lab",
                                                             "10.48.36.215"]


def test_text_output_is_the_one_renderer_and_has_no_empty_cite_lines(files):
    code, out, _ = run(files["bad"], "--role", "expressway-c")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("error CRT-CN-FQDN") for line in lines)
    assert "    cite: " not in lines  # a finding without a citation gets no empty cite line
    assert lines[-1].endswith("(1 files)")


def test_publisher_address_and_tls_verify_mode_as_in_the_wizard(files, tmp_path):
    # seed-000-002 AT-07: discovery checked only the publisher; the IP is not checked until X14.2.
    fqdn_only = tmp_path / "fqdn.pem"
    root = issue(name("Steven Root CA"), ca=True, not_after=NOW + 3000 * DAY)
    fqdn_only.write_bytes(issue("cucm.steven.lab", issuer=root, sans=["cucm.steven.lab"]).pem)
    (tmp_path / "root.pem").write_bytes(root.pem)
    args = (str(fqdn_only), "--trust", str(tmp_path / "root.pem"), "--mra-address",
            "cucm.steven.lab,10.48.36.215", "--expressway-version", "X14.0.7", "--json")
    code, out, _ = run(*args, "--publisher-address", "cucm.steven.lab", "--tls-verify-mode", "on")
    assert code == 0
    assert "CFG-TVM-INSUFFICIENT" in {f["id"] for f in json.loads(out)["findings"]}
    code, out, _ = run(*args)
    assert "CFG-TVM-INSUFFICIENT" not in {f["id"] for f in json.loads(out)["findings"]}
