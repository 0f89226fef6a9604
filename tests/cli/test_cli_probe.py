"""`collabcert probe` as a person runs it (issue 14; DESIGN.md probe contract): real processes
against servers this module starts on 127.0.0.1 and [::1] (tests/probe_support.py). Exit 0 all
reached and nothing wrong, 1 a check failed, 2 a target could not be reached; `--json` one
record per target."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import ExitStack

import pytest
from pki import ROOT, pem_of, run_cli, sha256_hex
from probe_support import make_site, refused_port, silent_server, tls_server


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("probe-cli"))


def _json(result) -> dict:
    assert result.stderr == "" or result.returncode == 2, result.stderr
    return json.loads(result.stdout)


def test_probe_json_has_one_record_per_target_with_the_contract_keys(site):
    leaf = site.leaf()
    with tls_server([leaf.cert, site.intermediate.cert], leaf) as server:
        result = run_cli("probe", server.target, "--sni", "expe.example.com", "--trust",
                         str(site.root_file), "--json", text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    document = _json(result)
    record = document["targets"][0]
    assert record["target"] == server.target
    assert record["sni"] == "expe.example.com"
    assert record["tls_version"].startswith("TLSv1.")
    assert record["fingerprints"] == [sha256_hex(leaf.cert), sha256_hex(site.intermediate.cert)]
    assert record["subjects"] == ["CN=expe.example.com", "CN=Probe Issuing CA,O=Example"]
    assert isinstance(record["findings"], list)
    assert record["error"] is None


def test_probe_text_shows_the_chain_and_exit_1_for_a_wrong_name(site):
    leaf = site.leaf("cucm.example.com")
    with tls_server([leaf.cert, site.intermediate.cert], leaf) as server:
        result = run_cli("probe", server.target, "--trust", str(site.root_file), text=True)
    assert result.returncode == 1
    assert "(no SNI)" in result.stdout
    assert "  0 CN=cucm.example.com" in result.stdout
    assert "error PROBE-NAME-MISMATCH" in result.stdout


def test_refused_and_silent_targets_are_reasons_on_stderr_and_exit_2(site):
    leaf = site.leaf()
    with tls_server([leaf.cert, site.intermediate.cert], leaf) as good, silent_server() as mute:
        refused = f"127.0.0.1:{refused_port()}"
        result = run_cli("probe", good.target, refused, mute.target, "--sni",
                         "expe.example.com", "--timeout", "0.5", text=True)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert f"collabcert: error: {refused}: refused: nothing listens on {refused}" in lines
    assert any(line.startswith(f"collabcert: error: {mute.target}: timed out after 0.5 s")
               for line in lines)
    assert "Traceback" not in result.stderr
    assert "  0 CN=expe.example.com" in result.stdout  # the good one is still reported


def test_fifty_targets_of_every_kind_in_one_targets_run_are_all_reported(site, tmp_path):
    good = site.leaf()
    expired = site.leaf(expired=True)
    wrong = site.leaf("other.example.com")
    with ExitStack() as stack:
        servers = {
            "good": stack.enter_context(tls_server([good.cert, site.intermediate.cert], good)),
            "expired": stack.enter_context(tls_server([expired.cert, site.intermediate.cert],
                                                      expired)),
            "wrong": stack.enter_context(tls_server([wrong.cert, site.intermediate.cert],
                                                    wrong)),
            "order": stack.enter_context(tls_server(
                [good.cert, site.root.cert, site.intermediate.cert], good)),
            "silent": stack.enter_context(silent_server()),
        }
        kinds = [*servers, "refused"]
        targets = []
        for i in range(50):
            kind = kinds[i % len(kinds)]
            port = refused_port() if kind == "refused" else servers[kind].port
            targets.append((kind, f"localhost:{port}" if kind != "wrong" else f"127.0.0.1:{port}"))
        listing = tmp_path / "targets.txt"
        listing.write_text("# fifty\n" + "".join(f"{t}  # {k}\n" for k, t in targets))
        result = run_cli("probe", "--targets", str(listing), "--timeout", "0.5", "--trust",
                         str(site.root_file), "--json", text=True, timeout=120)
    assert result.returncode == 2
    records = json.loads(result.stdout)["targets"]
    assert [r["target"] for r in records] == [t for _k, t in targets]
    for (kind, _target), record in zip(targets, records, strict=True):
        ids = {f["id"] for f in record["findings"]}
        if kind == "refused":
            assert record["error"].startswith("refused")
        elif kind == "silent":
            assert record["error"].startswith("timed out")
        else:
            assert record["error"] is None and record["fingerprints"]
        if kind == "expired":
            assert "CRT-EXPIRED" in ids
        if kind == "wrong":
            assert "PROBE-NAME-MISMATCH" in ids
        if kind == "order":
            assert "PROBE-ORDER" in ids


def test_save_then_compare_says_what_changed(site, tmp_path):
    old = site.leaf("expe.example.com", ["expe.example.com", "old.example.com"])
    new = site.leaf("expe.example.com", ["expe.example.com", "new.example.com"])
    saved = tmp_path / "saved"
    saved.mkdir()
    with tls_server([old.cert, site.intermediate.cert], old) as server:
        first = run_cli("probe", server.target, "--sni", "expe.example.com", "--save",
                        str(saved), text=True)
        again = run_cli("probe", server.target, "--sni", "expe.example.com", "--save",
                        str(saved), text=True)
    path = saved / f"127.0.0.1_{server.port}.pem"
    assert first.returncode == 0, first.stderr
    assert path.read_bytes() == pem_of(old.cert, site.intermediate.cert)
    assert again.returncode == 2 and "collabcert: error:" in again.stderr  # no --force
    with tls_server([new.cert, site.intermediate.cert], new) as server:
        result = run_cli("probe", server.target, "--sni", "expe.example.com", "--compare",
                         str(path), "--json", text=True)
    changes = json.loads(result.stdout)["targets"][0]["changes"]
    assert "SANs dropped: old.example.com" in changes
    assert "SANs added: new.example.com" in changes
    assert "key changed: the certificate has a new public key" in changes


def test_ipv6_loopback_target_in_brackets(site):
    leaf = site.leaf()
    try:
        server_cm = tls_server([leaf.cert, site.intermediate.cert], leaf, host="::1")
        server = server_cm.__enter__()
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    try:
        result = run_cli("probe", server.target, "--sni", "expe.example.com", "--json",
                         text=True)
    finally:
        server_cm.__exit__(None, None, None)
    record = json.loads(result.stdout)["targets"][0]
    assert record["target"] == server.target and record["error"] is None


@pytest.mark.parametrize("argv", [
    ["probe"], ["probe", "host:99999"], ["probe", "h:1", "--role", "nope"],
    ["probe", "h:1", "--trust", "/no/such/file"], ["probe", "--targets", "/no/such/list"],
    ["probe", "h:1", "--timeout", "0"],
])
def test_bad_usage_is_one_error_line_and_exit_2(argv):
    result = run_cli(*argv, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("collabcert: error:"), result.stderr
    assert "Traceback" not in result.stderr


def test_help_never_imports_pyopenssl():
    code = ("import sys\nfrom collabcert.cli import main\n"
            "try:\n    main(['probe', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('OpenSSL' in sys.modules, 'collabcert.probe' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60).stdout.splitlines()[-1]
    assert out == "False False"


def test_mra_prints_the_verdict_table_from_what_the_nodes_present(site):
    tomcat = site.leaf("cucm.example.com", ["cucm.example.com"], key_kind="rsa")
    with tls_server([tomcat.cert, site.intermediate.cert], tomcat) as node:
        result = run_cli("probe", node.target, "--mra", "--trust", str(site.root_file),
                         text=True)
        as_json = run_cli("probe", node.target, "--mra", "--trust", str(site.root_file),
                          "--json", text=True)
    assert result.returncode == 1
    assert "MRA 127.0.0.1 tomcat cucm.example.com @ 127.0.0.1: FAIL SNI-ADDR-NOT-IN-CERT" \
        in result.stdout
    assert "log: WARNING: SNI (127.0.0.1) not in certificate. Action=Terminate" in result.stdout
    rows = json.loads(as_json.stdout)["mra"]["rows"]
    assert [(r["variant"], r["result"]) for r in rows] == [("tomcat", "FAIL")]


def test_mra_names_a_node_that_cannot_be_reached_with_its_reason_and_judges_the_others(site):
    """A node that cannot be reached is a record with its reason (exit 2, DESIGN.md probe),
    is not judged, and the reachable node still gets its verdict rows."""
    tomcat = site.leaf("cucm.example.com", ["cucm.example.com"], key_kind="rsa")
    refused = f"127.0.0.1:{refused_port()}"
    with tls_server([tomcat.cert, site.intermediate.cert], tomcat) as node:
        result = run_cli("probe", node.target, refused, "--mra", "--trust",
                         str(site.root_file), "--json", text=True)
    assert result.returncode == 2
    doc = json.loads(result.stdout)
    errors = {r["target"]: r["error"] for r in doc["targets"]}
    assert errors[refused] == f"refused: nothing listens on {refused}"
    assert doc["mra"]["unseen"] == []
    assert [(r["variant"], r["result"]) for r in doc["mra"]["rows"]] == [("tomcat", "FAIL")]
