"""Issue 13 items whose point is the exit code of `collabcert lint` / `collabcert bundle`."""

from __future__ import annotations

import json

from pki import run_cli

SNI_LINES = (b"WARNING: SNI (10.48.36.215) not in certificate. Action=Terminate "
             b"server=10.48.36.215(10.48.36.215)\n"
             b"ERROR: SSL connection failed for '10.48.36.215': error:1416F086:SSL routines:"
             b"tls_process_server_certificate:certificate verify failed\n")


def run(*args: str) -> tuple[int, str, str]:
    proc = run_cli(*args, timeout=120)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def test_item9_lint_log_alone_exits_with_the_logs_verdict(tmp_path):
    """seed 002 L579-591: `lint --log FILE` with no certificate is the log's verdict (exit 1
    for the logged SNI failure), not bad usage; no FILE and no --log stays exit 2."""
    log = tmp_path / "diag.log"
    log.write_bytes(SNI_LINES)
    code, out, err = run("lint", "--log", str(log), "--json")
    assert code == 1, err
    doc = json.loads(out)
    assert [f["id"] for f in doc["findings"] if f["severity"] == "error"] == ["LOG-SNI"]
    code, _, err = run("lint")
    assert code == 2 and err.startswith("collabcert: error:")


def test_item1_lone_server_certificate_exits_0_with_one_info(tmp_path):
    """DESIGN.md lint contract (issue 13 item 1): a server certificate with no CA certificate
    and no --trust exits 0; one info finding says the chain was not checked."""
    from pki import issue, make_pki

    pki = make_pki()
    leaf = issue("expc.example.com", issuer=pki.intermediate, sans=["expc.example.com"])
    path = tmp_path / "expc.pem"
    path.write_bytes(leaf.pem)
    code, out, err = run("lint", str(path), "--role", "expressway-c", "--json")
    assert code == 0, err
    found = [f for f in json.loads(out)["findings"] if f["id"] == "CHN-NOT-CHECKED"]
    assert [f["severity"] for f in found] == ["info"]
    (tmp_path / "root.pem").write_bytes(pki.root.pem)
    code, _, _ = run("lint", str(path), "--role", "expressway-c", "--trust",
                     str(tmp_path / "root.pem"))
    assert code == 1  # judged against the trust list: the intermediate is missing


def test_item17_bundle_expressway_root_exclude_is_an_error(tmp_path):
    """seed 002 L140: Expressway-C needs the root and every intermediate in its trusted CA
    list, so `bundle --target expressway --root exclude` is an error (exit 1, nothing written);
    the default (root included) is fine."""
    from pki import make_pki, pem_of

    pki = make_pki()
    chain = tmp_path / "chain.pem"
    chain.write_bytes(pem_of(*pki.chain))
    out = tmp_path / "out"
    out.mkdir()
    code, text, err = run("bundle", str(chain), "--target", "expressway", "--root", "exclude",
                          "--out", str(out), "--json")
    assert code == 1, err
    doc = json.loads(text)
    found = [f for f in doc["findings"] if f["id"] == "BND-ROOT-LEFT-OUT"]
    assert [f["severity"] for f in found] == ["error"] and "L140" in found[0]["message"]
    assert not any(out.iterdir())
    code, _, err = run("bundle", str(chain), "--target", "expressway", "--out", str(out))
    assert code == 0, err


def test_lint_without_a_role_judges_the_chain_once_a_trust_list_is_given(tmp_path):
    """DESIGN.md lint and exit codes: an incomplete chain is exit 1, with or without --role.
    `lint leaf --trust root` without a role said nothing of the missing intermediate; with the
    intermediate given the chain is whole (exit 0), and with no CA at all it is not judged."""
    from pki import make_pki

    pki = make_pki()
    leaf, root, inter = tmp_path / "leaf.pem", tmp_path / "root.pem", tmp_path / "inter.pem"
    leaf.write_bytes(pki.leaf.pem)
    root.write_bytes(pki.root.pem)
    inter.write_bytes(pki.intermediate.pem)
    code, out, err = run("lint", str(leaf), "--trust", str(root), "--json")
    assert code == 1, err
    found = [f for f in json.loads(out)["findings"] if f["id"] == "CHN-INCOMPLETE"]
    assert len(found) == 1 and "Example Issuing CA" in found[0]["message"]
    assert found[0]["severity"] == "error"
    code, _, err = run("lint", str(leaf), str(inter), "--trust", str(root))
    assert code == 0, err
    code, out, err = run("lint", str(leaf), "--json")
    assert code == 0, err
    assert not [f for f in json.loads(out)["findings"] if f["id"] == "CHN-INCOMPLETE"]
