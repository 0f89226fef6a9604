"""`collabcert csr` and `collabcert roles` against the DESIGN.md CLI contract and its details."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pki import run_cli, run_main

E_ARGS = ["--field", "fqdn=expe.example.com", "--field", "ucm-domains=example.com",
          "--field", "xmpp-domains=example.com",
          "--field", "chat-aliases=chatnode1.example.com,chatnode2.example.com"]
E_SANS = ["expe.example.com", "collab-edge.example.com", "example.com", "chatnode1.example.com",
          "chatnode2.example.com"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_expressway_e_json(capsys, tmp_path):
    code, out, err = run_main(capsys, "csr", "expressway-e", *E_ARGS, "--key", "ec:p256",
                              "--out", str(tmp_path), "--json")
    assert code == 0, err
    data = json.loads(out)  # exactly one JSON document
    assert data["cn"] == "expe.example.com" and data["sans"] == E_SANS
    assert sorted(Path(f).name for f in data["files"]) == ["expressway-e.csr",
                                                             "expressway-e.key"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expressway-e.csr", "expressway-e.key"]
    assert data["key_file"] == str(tmp_path / "expressway-e.key")
    assert "extendedKeyUsage = serverAuth, clientAuth" in data["onbox"]["config"]
    assert "subjectAltName = DNS:" + ",DNS:".join(E_SANS) in data["onbox"]["config"]
    request = x509.load_pem_x509_csr((tmp_path / "expressway-e.csr").read_bytes())
    san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == E_SANS


def test_text_output_has_preview_onbox_and_next_steps(capsys, tmp_path):
    code, out, err = run_main(capsys, "csr", "expressway-e", *E_ARGS, "--key", "ec:p256",
                              "--out", str(tmp_path))
    assert code == 0 and err == ""
    assert "DNS:expe.example.com DNS:collab-edge.example.com DNS:example.com" in out
    assert "subjectAltName = DNS:expe.example.com,DNS:collab-edge.example.com" in out
    assert "extendedKeyUsage = serverAuth, clientAuth" in out
    assert "Next steps" in out and "multi-SAN" in out


def test_defaults_rsa2048_sha256_and_cms_basename(capsys, tmp_path):
    code, out, _ = run_main(capsys, "csr", "cms-xmpp", "--field", "fqdn=xmpp.example.com",
                            "--field", "xmpp-domain=example.com", "--field", "o=Example Inc.",
                            "--field", "name=web_bridge-1", "--out", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["web_bridge-1.csr",
                                                            "web_bridge-1.key"]
    assert ('pki csr web_bridge-1 CN:xmpp.example.com O:"Example Inc." '
            "subjectAltName:example.com") in out
    key_path = tmp_path / "web_bridge-1.key"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    data = key_path.read_bytes()
    assert data.startswith(b"-----BEGIN PRIVATE KEY-----\n") and data.endswith(b"\n")
    key = serialization.load_pem_private_key(data, None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    request = x509.load_pem_x509_csr((tmp_path / "web_bridge-1.csr").read_bytes())
    assert isinstance(request.signature_hash_algorithm, hashes.SHA256)


def test_cucm_ecdsa_default_is_ec_p256(capsys, tmp_path):
    code, out, _ = run_main(capsys, "csr", "cucm-tomcat-ecdsa", "--field", "fqdn=cucm.example.com",
                            "--field", "multi-server-fqdns=cucm2.example.com", "--out",
                            str(tmp_path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["key"]["type"] == "ec:p256" and data["digest"] == "sha256"
    # issue 13 item 11: multi-server CN <host>-ms.<parent domain> first, the parent domain in
    # the SAN (seed-000-002 L374, L394-398)
    assert data["sans"] == ["cucm-ms.example.com", "cucm.example.com", "cucm2.example.com",
                            "example.com"]
    key = serialization.load_pem_private_key((tmp_path / "tomcat-ecdsa.key").read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    assert ["Distribution", "Multi-server(SAN)"] in data["onbox"]["fields"]


def test_db_client(capsys, tmp_path):
    code, out, _ = run_main(capsys, "csr", "cms-db-client", "--key", "ec:p256", "--out",
                            str(tmp_path), "--json")
    data = json.loads(out)
    assert code == 0 and data["cn"] == "postgres" and data["sans"] == []
    assert data["onbox"]["command"] == "pki csr dbcluster_client CN:postgres"


REFUSALS = [
    (["expressway-e", "--field", "fqdn=192.0.2.10"], "IP address"),
    (["expressway-e", "--field", "fqdn=expe"], "single label"),
    (["expressway-c", "--field", "fqdn=expc.example.com", "--field",
      "additional-names=*.example.com"], "wildcard"),
    (["expressway-c", "--field", "fqdn=a_b.example.com"], "a_b"),
    (["expressway-c", "--field", "fqdn=expc.example.com", "--field",
      "phone-profiles=DX80SecureProfile"], "X12.6"),
    (["expressway-e", "--field", "fqdn=expe.example.com", "--digest", "sha1"], "sha1"),
    (["expressway-e", "--field", "fqdn=expe.example.com", "--digest", "md5"], "md5"),
    (["expressway-e", "--field", "fqdn=expe.example.com", "--key", "rsa:1024"], "rsa:1024"),
    (["expressway-e", "--field", "fqdn=expe.example.com", "--key", "dsa:2048"], "dsa:2048"),
    (["expressway-e", "--field", "fqdn=expe.example.com", "--key", "ec:p192"], "ec:p192"),
    (["cms-webadmin", "--field", "fqdn=a.example.com", "--field", "c=GBR"], "two-letter"),
    (["cms-webadmin", "--field", "fqdn=a.example.com", "--field", "c=1"], "two-letter"),
    (["no-such-role"], "unknown role"),
    (["cms-webadmin", "--field", "fqdn=a.example.com", "--field", "colour=blue"],
     "unknown field"),
    (["cms-xmpp", "--field", "fqdn=xmpp.example.com"], "xmpp-domain"),
    (["expressway-e"], "fqdn"),
    (["cms-webadmin", "--field", "fqdn"], "NAME=VALUE"),
    (["cms-db-client", "--field", "cn=dbclient"], "postgres"),
    (["cms-db-client", "--field", "cn=postgres"], "postgres"),
    (["cucm-capf", "--field", "fqdn=cucm.example.com", "--field",
      "multi-server-fqdns=cucm2.example.com"], "CU-X10"),
    (["imp-cup", "--field", "fqdn=imp.example.com", "--field",
      "multi-server-fqdns=imp2.example.com"], "CU-X10"),
    (["cucm-tomcat-ecdsa", "--field", "fqdn=cucm.example.com", "--key", "rsa:2048"], "CU-P04"),
    (["cucm-tomcat", "--field", "fqdn=cucm.example.com", "--key", "ec:p256"], "CU-P04"),
    (["cms-webbridge", "--field", "fqdn=www.example.com", "--field", "name=base.name"],
     "basename"),
    (["expressway-e", "--field", "fqdn=expe.example.com", "--field",
      "xmpp-domain-format=xmppaddress"], "XMPPAddress"),
]


@pytest.mark.parametrize(("argv", "words"), REFUSALS, ids=lambda v: " ".join(v)
                         if isinstance(v, list) else v)
def test_refusals_exit_2_and_leave_dir_untouched(capsys, tmp_path, argv, words):
    (tmp_path / "keep.txt").write_text("x")
    before = snapshot(tmp_path)
    code, out, err = run_main(capsys, "csr", *argv, "--out", str(tmp_path), "--json")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("collabcert: error: ")
    assert words.lower() in err.lower()
    assert snapshot(tmp_path) == before


def test_existing_files_refused_without_force(capsys, tmp_path):
    args = ["csr", "cms-webadmin", "--field", "fqdn=a.example.com", "--key", "ec:p256",
            "--out", str(tmp_path)]
    assert run_main(capsys, *args)[0] == 0
    before = snapshot(tmp_path)
    code, _, err = run_main(capsys, *args)
    assert code == 2 and "already exists" in err and "--force" in err
    assert snapshot(tmp_path) == before
    assert run_main(capsys, *args, "--force")[0] == 0
    after = snapshot(tmp_path)
    assert set(after) == set(before) and after != before


def test_only_the_csr_existing_is_still_refused(capsys, tmp_path):
    (tmp_path / "webadmin.csr").write_text("old")
    code, _, err = run_main(capsys, "csr", "cms-webadmin", "--field", "fqdn=a.example.com", "--key",
                            "ec:p256", "--out", str(tmp_path))
    assert code == 2 and "webadmin.csr" in err
    assert snapshot(tmp_path) == {"webadmin.csr": b"old"}


def test_missing_out_dir_is_made(capsys, tmp_path):
    # issue 15 item 7: a missing --out DIR is made as `mkdir -p` would (it used to be refused)
    code, _, err = run_main(capsys, "csr", "cms-webadmin", "--field", "fqdn=a.example.com",
                            "--key", "ec:p256", "--out", str(tmp_path / "nope"))
    assert code == 0 and err == ""
    assert sorted(p.name for p in (tmp_path / "nope").iterdir()) == ["webadmin.csr",
                                                                     "webadmin.key"]


def test_answers_replay_and_override(capsys, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    plan_file = tmp_path / "plan.toml"
    code, out, _ = run_main(capsys, "csr", "expressway-e", *E_ARGS, "--key", "ec:p256",
                            "--field", "o=Example Inc.", "--out", str(first), "--json",
                            "--save-answers", str(plan_file))
    assert code == 0 and json.loads(out)["answers_file"] == str(plan_file)
    assert "ucm-domains" in plan_file.read_text()
    code, out, _ = run_main(capsys, "csr", "expressway-e", "--answers", str(plan_file),
                            "--field", "fqdn=expe2.example.com", "--out", str(second), "--json")
    data = json.loads(out)
    assert code == 0 and data["cn"] == "expe2.example.com"
    assert data["sans"] == ["expe2.example.com"] + E_SANS[1:]
    assert data["key"]["type"] == "ec:p256" and data["subject"]["o"] == "Example Inc."
    code, _, err = run_main(capsys, "csr", "cms-webadmin", "--answers", str(plan_file),
                            "--out", str(second))
    assert code == 2 and "expressway-e" in err


def test_repeated_list_field_appends(capsys, tmp_path):
    code, out, _ = run_main(capsys, "csr", "cms-db-server", "--field", "fqdn=db1.example.com",
                            "--field", "other-fqdns=db2.example.com", "--field",
                            "other-fqdns=db3.example.com", "--key", "ec:p256", "--out",
                            str(tmp_path), "--json")
    assert json.loads(out)["sans"] == ["db1.example.com", "db2.example.com", "db3.example.com"]


def test_reuse_key_renews_with_the_same_key(capsys, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    base = ["csr", "expressway-c", "--field", "fqdn=expc.example.com"]
    assert run_main(capsys, *base, "--key", "ec:p384", "--out", str(first))[0] == 0
    old_key = first / "expressway-c.key"
    code, out, err = run_main(capsys, *base, "--reuse-key", str(old_key), "--out", str(second),
                              "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["key"]["reused"] and data["key"]["type"] == "ec:p384"
    old = x509.load_pem_x509_csr((first / "expressway-c.csr").read_bytes())
    new = x509.load_pem_x509_csr((second / "expressway-c.csr").read_bytes())
    assert old.public_key() == new.public_key()
    assert sorted(p.name for p in second.iterdir()) == ["expressway-c.csr", "expressway-c.key"]
    # renewing in place: the key file stays, only the CSR is replaced
    code, out, _ = run_main(capsys, *base, "--reuse-key", str(old_key), "--out", str(first),
                            "--force", "--json")
    assert code == 0 and json.loads(out)["files"] == [str(first / "expressway-c.csr")]
    code, _, err = run_main(capsys, *base, "--reuse-key", str(old_key), "--key", "rsa:2048",
                            "--out", str(second), "--force")
    assert code == 2 and "does not match" in err


def test_reuse_key_refuses_wrong_type_for_cucm(capsys, tmp_path):
    assert run_main(capsys, "csr", "cms-webadmin", "--field", "fqdn=a.example.com", "--key",
                    "ec:p256", "--out", str(tmp_path))[0] == 0
    other = tmp_path / "o"
    other.mkdir()
    code, _, err = run_main(capsys, "csr", "cucm-tomcat", "--field", "fqdn=cucm.example.com",
                            "--reuse-key", str(tmp_path / "webadmin.key"), "--out", str(other))
    assert code == 2 and "CU-P04" in err and list(other.iterdir()) == []


def test_encrypted_key_written_and_reused_with_password(capsys, tmp_path):
    secret = tmp_path / "pass.txt"
    secret.write_bytes(b"correct horse\r\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, _ = run_main(capsys, "csr", "cms-webbridge", "--field", "fqdn=www.example.com",
                            "--key", "ec:p256", "--key-passphrase-file", str(secret),
                            "--out", str(out_dir))
    assert code == 0 and "KEY-LOCKED" in out and "unlocked" in out
    key_file = out_dir / "webbridge.key"
    assert key_file.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    serialization.load_pem_private_key(key_file.read_bytes(), b"correct horse")
    again = tmp_path / "again"
    again.mkdir()
    code, _, err = run_main(capsys, "csr", "cms-webbridge", "--field", "fqdn=www.example.com",
                            "--reuse-key", str(key_file), "--out", str(again))
    assert code == 2 and "encrypted" in err.lower() and list(again.iterdir()) == []
    code, out, err = run_main(capsys, "csr", "cms-webbridge", "--field", "fqdn=www.example.com",
                              "--reuse-key", str(key_file), "--password-file", str(secret),
                              "--out", str(again), "--json")
    assert code == 0, err
    copy = (again / "webbridge.key").read_bytes()
    assert copy.startswith(b"-----BEGIN PRIVATE KEY-----")  # written unlocked by default


def test_empty_passphrase_refused(capsys, tmp_path):
    empty = tmp_path / "empty"
    empty.write_bytes(b"\n")
    code, _, err = run_main(capsys, "csr", "cms-webadmin", "--field", "fqdn=a.example.com",
                            "--key-passphrase-file", str(empty), "--out", str(tmp_path))
    assert code == 2 and "empty" in err and sorted(p.name for p in tmp_path.iterdir()) == [
        "empty"]


def test_roles_json_and_text(capsys):
    code, out, _ = run_main(capsys, "roles", "--json")
    assert code == 0
    data = json.loads(out)
    ids = [r["id"] for r in data["roles"]]
    assert ids[:2] == ["expressway-c", "expressway-e"] and "imp-cup-xmpp-s2s-ecdsa" in ids
    e = next(r for r in data["roles"] if r["id"] == "expressway-e")
    field_names = [f["name"] for f in e["fields"]]
    for name in ("fqdn", "cluster-fqdn", "additional-names", "ucm-domains", "ucm-domain-format",
                 "xmpp-domains", "chat-aliases", "o", "ou", "l", "st", "c", "name"):
        assert name in field_names
    assert next(f for f in e["fields"] if f["name"] == "fqdn")["required"] is True
    code, out, _ = run_main(capsys, "roles")
    assert code == 0 and "cms-db-client" in out and "fqdn*" in out


def test_subprocess_csr_into_current_folder(tmp_path):
    done = run_cli("csr", "cms-turn", "--field", "fqdn=turn.example.com", "--key", "ec:p256",
                   "--json", cwd=tmp_path, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cn"] == "turn.example.com"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["turnserver.csr", "turnserver.key"]


def test_subprocess_refusal_is_one_line_no_traceback(tmp_path):
    done = run_cli("csr", "expressway-e", "--field", "fqdn=192.0.2.1", "--out", ".",
                   cwd=tmp_path, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("collabcert: error: ") and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and list(tmp_path.iterdir()) == []


def test_next_steps_come_from_the_csr_job_with_the_multi_san_step(capsys, tmp_path):
    # issue 10: the wizard added "ask for a multi-SAN certificate" for any role with several
    # SANs; the CLI printed only the role's steps. Now both print the csr job's next steps.
    code, out, err = run_main(capsys, "csr", "cms-webbridge", "--field", "fqdn=join.example.com",
                              "--field", "additional-names=meet.example.com",
                              "--out", str(tmp_path))
    assert code == 0 and err == ""
    steps = out[out.index("Next steps"):]
    assert "  2. Ask the CA for a multi-domain (multi-SAN) certificate: the CSR has 2 SANs" in steps
    code, out, _ = run_main(capsys, "csr", "cms-webbridge", "--field", "fqdn=join.example.com",
                            "--field", "additional-names=meet.example.com", "--json",
                            "--out", str(tmp_path), "--force")
    assert code == 0 and any("multi-SAN" in s for s in json.loads(out)["next_steps"])


def test_an_output_folder_that_is_a_file_is_one_sentence(capsys, tmp_path):
    # issue 15 item 7: a missing --out DIR is now made (test_missing_out_dir_is_made); what
    # cannot be made is still refused in one sentence, and nothing is written
    (tmp_path / "nowhere").write_text("a file")
    code, _, err = run_main(capsys, "csr", "cms-webbridge", "--field", "fqdn=join.example.com",
                            "--out", str(tmp_path / "nowhere"))
    assert code == 2
    assert err.strip() == (f"collabcert: error: {tmp_path / 'nowhere'}: is a file, not a "
                           "folder; give --out a folder")
    assert snapshot(tmp_path) == {"nowhere": b"a file"}
