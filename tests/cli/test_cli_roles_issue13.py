"""Issue 13 items 10-18 as a person runs them: `collabcert csr` and `collabcert bundle` in real
subprocesses on files made with pyca in the test."""

from __future__ import annotations

import json

from pki import make_pki, pem_of, run_cli


def run(*args: str, cwd=None) -> tuple[int, str, str]:
    proc = run_cli(*args, cwd=cwd, timeout=120)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def test_item13_bundle_type_tomcat_ecdsa_with_rsa_leaf_exits_2(tmp_path):
    """seed-004 CU-P04: `bundle --type tomcat-ECDSA` with an RSA leaf is refused like `csr`
    refuses the pair: exit 2, one error line, nothing written."""
    pki = make_pki(key_kind="rsa", leaf_cn="cucm1.example.com")
    chain = tmp_path / "chain.pem"
    chain.write_bytes(pem_of(pki.leaf.cert, pki.intermediate.cert, pki.root.cert))
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run("bundle", str(chain), "--target", "cucm", "--type", "tomcat-ECDSA",
                            "--out", str(out))
    assert code == 2, stdout + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("collabcert: error: tomcat-ECDSA")
    assert "CU-P04" in lines[0] and "--type tomcat" in lines[0]
    assert list(out.iterdir()) == []
    code, _, err = run("bundle", str(chain), "--target", "cucm", "--type", "tomcat",
                       "--out", str(out))
    assert code == 0, err


def test_item17_csr_prefixed_ucm_domain_is_kept_once(tmp_path):
    """seed-001 L455: `ucm-domains=collab-edge.example.com` gives DNS:collab-edge.example.com
    once, with the ROLE-E-PREFIXED info note, and exit 0."""
    code, out, err = run("csr", "expressway-e", "--field", "fqdn=expe.example.com",
                         "--field", "ucm-domains=collab-edge.example.com", "--field", "o=Ex",
                         "--field", "st=Berkshire", "--field", "c=GB", "--out", str(tmp_path),
                         "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["sans"] == ["expe.example.com", "collab-edge.example.com"]
    assert [f["id"] for f in doc["findings"] if f["id"] == "ROLE-E-PREFIXED"] == [
        "ROLE-E-PREFIXED"]
    assert "collab-edge.collab-edge" not in doc["onbox"]["text"] + doc["san_preview"]


def test_item10_csr_for_a_cucm_role_prints_the_on_node_plan(tmp_path):
    """seed-004 CU-LOCAL-KEY, CSR1: `collabcert csr cucm-tomcat` prints the on-node plan as the
    main path, with the dialog values to type, and calls its own files a lab / profile check."""
    code, out, err = run("csr", "cucm-tomcat", "--field", "fqdn=cucm.steven.lab",
                         "--field", "multi-server-fqdns=cups.steven.lab", "--out", str(tmp_path))
    assert code == 0, err
    assert "On the node (the main path" in out and "On-box equivalent" not in out
    assert "Cisco Unified OS Administration > Security > Certificate Management > Generate CSR" \
        in out
    assert "Common Name                     cucm-ms.steven.lab" in out
    assert "Parent Domain                   steven.lab" in out
    assert "for a lab or to check the profile only" in out
    assert "1. On the node:" in out
