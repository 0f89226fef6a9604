"""A field engineer's pile (issue 12): every verb that takes several FILEs goes on past the bad
ones, says each in its own `collabcert: error:` line, ends with a summary and exits 2 (DESIGN.md
"Contract details": several FILEs). Real `python -m collabcert` runs on files made in the test
(tests/pile.py): DER, PEM with Bag Attributes, .p7b, a legacy 3DES .pfx, keys, a CSR, an empty
file, random bytes, an expired twin, a same-name decoy CA, a quoted e-mail in a subject."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pile import BAD, Pile, make_pile
from pki import mode_of, run_cli, sha256_hex


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Pile:
    return make_pile(tmp_path_factory.mktemp("pile-src"))


@pytest.fixture
def pile(made: Pile, tmp_path: Path) -> Pile:
    """A fresh copy per test: converts write next to the inputs."""
    folder = tmp_path / "pile"
    shutil.copytree(made.folder, folder)
    made_copy = Pile(folder, made.pki, made.peer, made.expired, made.decoy, made.quoted,
                     dict(made.files))
    return made_copy


def _run(pile: Pile, *argv: str):
    return run_cli(*argv, cwd=pile.folder, text=True)


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("collabcert: error:")]


SUMMARY = f"{13 - len(BAD)} read, {len(BAD)} unreadable"


@pytest.mark.parametrize("verb", [
    ["inspect", "--password-file", "pw.txt"],
    ["lint", "--password-file", "pw.txt"],
    ["convert", "--to", "pem", "--password-file", "pw.txt"],
    ["bundle", "--target", "fullchain", "--password-file", "pw.txt"],
])
def test_every_batch_verb_goes_on_past_bad_files_and_ends_with_a_summary(pile, verb) -> None:
    done = _run(pile, *verb, *pile.names)
    assert done.returncode == 2, done.stderr
    errors = _error_lines(done.stderr)
    # each bad file once, on its own line, named; nothing else is an error line
    assert [line.split(":")[2].strip() for line in errors] == list(BAD), errors
    assert "Traceback" not in done.stderr
    assert done.stdout.rstrip().splitlines()[-1] == SUMMARY
    if verb[0] == "inspect":
        assert "expc1.pfx: 4 objects" in done.stdout  # the 3DES .pfx opened with pw.txt


@pytest.mark.parametrize("verb", [
    ["inspect", "--json", "--password-file", "pw.txt"],
    ["lint", "--json", "--password-file", "pw.txt"],
    ["bundle", "--target", "fullchain", "--json", "--password-file", "pw.txt"],
])
def test_json_of_a_pile_is_one_document_with_a_status_per_file(pile, verb) -> None:
    done = _run(pile, *verb, *pile.names)
    assert done.returncode == 2
    document = json.loads(done.stdout)
    statuses = {entry["source"]: entry["status"] for entry in
                document.get("inputs") or document["files"]}
    assert {name for name, status in statuses.items() if status == "unreadable"} == set(BAD)
    assert {name for name, status in statuses.items() if status == "read"} == set(pile.readable)
    assert len(_error_lines(done.stderr)) == len(BAD)


def test_convert_json_is_one_document_with_outputs_fingerprints_and_skipped(pile) -> None:
    (pile.folder / "out").mkdir()
    done = _run(pile, "convert", "--to", "pem", "--out", "out", "--json",
                "--password-file", "pw.txt", *pile.names)
    assert done.returncode == 2
    document = json.loads(done.stdout)
    status = {e["source"]: e["status"] for e in document["inputs"]}
    assert status["empty.cer"] == status["random.bin"] == "unreadable"
    assert status["expc1.crt"] == "converted"
    assert {s["source"] for s in document["skipped"]} == set(BAD)
    leaf = sha256_hex(pile.pki.leaf.cert)
    crt = next(o for o in document["outputs"] if o["source"] == "expc1.crt")
    assert crt["path"] == "out/expc1.pem" and crt["objects"][0]["sha256"] == leaf
    assert "expc1.pfx -> expc1-pfx.pem (expc1.pem is taken by expc1.crt)" in document["renamed"]
    assert any("locked.key" in note and "unencrypted" in note for note in document["notes"])


def test_convert_gives_clashing_outputs_distinct_names_and_says_why(pile) -> None:
    done = _run(pile, "convert", "--to", "pem", "--password-file", "pw.txt",
                "expc1.crt", "expc1.pfx", "expc1.key")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "renamed: expc1.pfx -> expc1-pfx.pem (expc1.pem is taken by expc1.crt)" in out
    # the .pfx's own key may not take the name of the input expc1.key
    assert "renamed: expc1.pfx -> expc1-pfx.key (expc1.key is one of the inputs)" in out
    assert "renamed: expc1.key -> expc1-key.pem (expc1.pem is taken by expc1.crt)" in out
    assert mode_of(pile.path("expc1-pfx.key")) == 0o600
    assert pile.path("expc1.key").read_bytes() == pile.pki.leaf.key_pem  # the input is intact
    assert "note: expc1.pfx: the key was encrypted there and is written unencrypted" in out


def test_each_wrote_line_is_followed_by_its_own_fingerprints(pile) -> None:
    done = _run(pile, "convert", "--to", "pem", "expc1.crt", "expc2.pem", "--out", ".",
                "--force")
    lines = done.stdout.splitlines()
    first = lines.index("wrote expc1-crt.pem: 1 certificate") if (
        "wrote expc1-crt.pem: 1 certificate" in lines) else lines.index(
        "wrote expc1.pem: 1 certificate")
    assert sha256_hex(pile.pki.leaf.cert)[:2].upper() in lines[first + 1]
    assert lines[first + 1].startswith("  expc1")
    second = next(i for i, line in enumerate(lines) if line.startswith("wrote expc2"))
    colon = ":".join(sha256_hex(pile.peer.cert)[i:i + 2] for i in range(0, 64, 2)).upper()
    assert lines[second + 1].endswith(colon)


def test_dash_o_dash_writes_pem_to_standard_output_and_refuses_binary(pile) -> None:
    done = _run(pile, "convert", "--to", "pem", "-o", "-", "expc1.crt")
    assert done.returncode == 0
    assert done.stdout == pile.pki.leaf.pem.decode()
    assert not pile.path("-").exists()
    for binary in ("der", "p12", "p7b"):
        refused = _run(pile, "convert", "--to", binary, "-o", "-", "expc1.crt",
                       "--password-file", "pw.txt")
        assert refused.returncode == 2 and refused.stdout == ""
        assert _error_lines(refused.stderr) == [refused.stderr.strip()]
        assert "writes PEM text only" in refused.stderr
    assert not pile.path("-").exists()


def test_convert_says_which_inputs_were_skipped_and_why(pile) -> None:
    done = _run(pile, "convert", "--to", "p7b", "-o", "all.p7b", "expc1.crt", "expc1.key",
                "empty.cer")
    assert done.returncode == 2
    assert "skipped: expc1.key: holds no certificate; a PKCS#7 carries certificates only" in (
        done.stdout)
    assert _error_lines(done.stderr) == [
        "collabcert: error: empty.cer: is empty; expected a certificate, CSR, key, PKCS#7 or "
        "PKCS#12"]


def test_a_locked_file_without_the_password_is_one_line_and_the_rest_is_done(pile) -> None:
    done = _run(pile, "inspect", "expc1.crt", "locked.key", "expc1.pfx")
    assert done.returncode == 2
    errors = _error_lines(done.stderr)
    assert len(errors) == 2 and all("--password-file" in line for line in errors)
    assert "expc1.crt: 1 object" in done.stdout
    assert done.stdout.rstrip().endswith("1 read, 2 unreadable")


def test_nothing_readable_is_one_line_per_file(pile) -> None:
    done = _run(pile, "bundle", "--target", "cms", *BAD)
    assert done.returncode == 2 and done.stdout == ""
    assert len(_error_lines(done.stderr)) == 2


# --- item 4: CMS from a .pfx writes the key the next steps name --------------------------------


@pytest.fixture
def lone_pfx(pile: Pile, tmp_path: Path) -> Path:
    folder = tmp_path / "cms"
    folder.mkdir()
    shutil.copy(pile.path("expc1.pfx"), folder / "cms1.pfx")
    shutil.copy(pile.path("pw.txt"), folder / "pw.txt")
    return folder


def test_bundle_cms_names_the_key_after_the_files_it_writes(lone_pfx) -> None:
    done = run_cli("bundle", "cms1.pfx", "--target", "cms", "--password-file", "pw.txt",
                   cwd=lone_pfx, text=True)
    assert done.returncode == 0, done.stderr
    assert "the private key cms1.key" in done.stdout
    assert sorted(p.name for p in lone_pfx.iterdir()) == [
        "cms1.crt", "cms1.key", "cms1.pfx", "cms1bundle.crt", "pw.txt"]
    assert mode_of(lone_pfx / "cms1.key") == 0o600
    assert (lone_pfx / "cms1.key").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


# --- item 7: inspect shows the chain, the key pairs, same-name pairs and expiry ----------------


def test_inspect_text_is_triage_chain_pairs_same_names_and_expiry(pile) -> None:
    at = pile.at.strftime("%Y-%m-%dT%H:%M:%S")
    done = _run(pile, "inspect", "--at", at, "--password-file", "pw.txt", *pile.readable)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Chains found (leaf first)" in out
    assert ("expc1.example.com (expc1.crt [1], expc1.pfx [2]) -> Example Issuing CA -> "
            "Example Root CA") in out
    assert "expc1.example.com (expc2.pem [1]) -> Example Issuing CA -> Example Root CA" in out
    # the key belongs to the DER certificate, the CSR and the certificate inside the .pfx
    assert ("expc1.key [1] EC P-256 key -> expc1.crt [1] Certificate expc1.example.com, "
            "expc1.csr [1] CSR expc1.example.com, expc1.pfx [2] Certificate "
            "expc1.example.com") in out
    assert "expc1.pfx [1] EC P-256 key -> expc1.crt [1]" in out
    assert "locked.key [1] EC P-256 key: no certificate or CSR here" in out
    same = out[out.index("Same name, different key"):]
    assert "CN=Example Root CA, O=Example" in same
    assert "decoy-root.pem [1] key" in same and "ca-bag.pem [2] key" in same
    assert "expc2.pem [1] key" in same  # the cluster peer shares the CN
    assert "[1] CA certificate (PEM): Example Issuing CA  (EXPIRED " in out
    assert "expc1.example.com  (expires in 365 days)" in out  # NOW + 365 days at --at NOW


def test_inspect_of_one_lone_certificate_says_no_chain(pile) -> None:
    done = _run(pile, "inspect", "quoted.pem")
    assert "  no chain: no certificate given was issued by another one given" in done.stdout


# --- item 9: one rule for writing with errors ---------------------------------------------------


def test_bundle_with_an_error_writes_nothing_without_anyway(pile) -> None:
    argv = ("bundle", "expc1.crt", "ca-bag.pem", "--target", "expressway", "--root", "exclude",
            "--key", "expc1.key", "--out", "out")
    (pile.folder / "out").mkdir()
    done = _run(pile, *argv)
    assert done.returncode == 1
    assert "collabcert: error: BND-ROOT-LEFT-OUT" in done.stderr
    assert "Nothing was written: the checks found 1 error: BND-ROOT-LEFT-OUT" in done.stdout
    assert list((pile.folder / "out").iterdir()) == []
    anyway = _run(pile, *argv, "--anyway")
    assert anyway.returncode == 1
    assert sorted(p.name for p in (pile.folder / "out").iterdir()) == [
        "expc1-server.pem", "expc1-trusted-ca.pem"]  # named after the key file (item 8)


# --- item 8: a cluster peer's file is not replaced without saying whose -------------------------


def test_the_second_peer_does_not_take_the_first_peers_file(pile) -> None:
    peer_key = pile.folder / "expc2.key"
    from pki import key_pem

    peer_key.write_bytes(key_pem(pile.peer.key))
    first = _run(pile, "bundle", "expc1.crt", "ca-bag.pem", "--target", "expressway",
                 "--key", "expc1.key", "--out", ".")
    second = _run(pile, "bundle", "expc2.pem", "ca-bag.pem", "--target", "expressway",
                  "--key", "expc2.key", "--out", ".")
    assert first.returncode == second.returncode == 0, second.stderr
    assert pile.path("expc1-server.pem").read_bytes() == pile.pki.leaf.pem
    assert pile.path("expc2-server.pem").read_bytes() == pile.peer.pem
    # the same peer key over the other peer's file name: refused, naming whose file it is
    pile.path("expc2-server.pem").rename(pile.path("moved.pem"))
    pile.path("expc1-server.pem").rename(pile.path("expc2-server.pem"))
    serial = format(pile.pki.leaf.cert.serial_number, "X")[:8]
    refused = _run(pile, "bundle", "expc2.pem", "ca-bag.pem", "--target", "expressway",
                   "--key", "expc2.key", "--out", ".")
    assert refused.returncode == 2 and len(_error_lines(refused.stderr)) == 1
    assert refused.stderr.startswith("collabcert: error: expc2-server.pem holds the certificate "
                                     f"of expc1.example.com (serial {serial[:2]}:")
    assert "use --force to replace it" in refused.stderr
    assert pile.path("expc2-server.pem").read_bytes() == pile.pki.leaf.pem  # untouched
    again = _run(pile, "bundle", "expc2.pem", "ca-bag.pem", "--target", "expressway",
                 "--key", "expc2.key", "--out", ".", "--force")
    assert again.returncode == 0
    assert (f"replacing: expc2-server.pem holds the certificate of expc1.example.com "
            f"(serial {serial[:2]}:{serial[2:4]}:{serial[4:6]}:{serial[6:8]}") in again.stderr


# --- item 12: same-name certificates are told apart ---------------------------------------------


def test_leaf_guess_between_two_peers_names_file_serial_and_expiry(pile) -> None:
    done = _run(pile, "bundle", "expc1.crt", "expc2.pem", "ca-bag.pem", "--target",
                "fullchain", "--json", "--out", ".")
    finding = next(f for f in json.loads(done.stdout)["findings"]
                   if f["id"] == "CHN-LEAF-GUESS")
    leaf_serial = format(pile.pki.leaf.cert.serial_number, "X")[:8]
    peer_serial = format(pile.peer.cert.serial_number, "X")[:8]
    until = pile.pki.leaf.cert.not_valid_after_utc.strftime("%Y-%m-%d")
    message = finding["message"]  # which peer is taken is a tie broken by fingerprint
    assert f"'CN=expc1.example.com' (expc1.crt, serial {leaf_serial}…, until {until})" in message
    assert f"'CN=expc1.example.com' (expc2.pem, serial {peer_serial}…" in message
    assert " was taken as the leaf and " in message


def test_a_same_name_certificate_left_off_the_chain_is_said_with_file_serial_and_expiry(
        pile) -> None:
    """issue 12 item 12: "Not used: CN=Example Root CA,O=Example" read as the chain's own
    root; the decoy and the expired twin are said with file, serial and expiry."""
    done = _run(pile, "bundle", "expc1.crt", "ca-bag.pem", "decoy-root.pem", "old-issuing.pem",
                "--target", "cms", "--out", "out", "--at", pile.at.isoformat())
    assert done.returncode == 0, done.stderr
    unused = done.stdout.split("Not used:\n", 1)[1].split("Wrote:", 1)[0].splitlines()
    decoy = format(pile.decoy.cert.serial_number, "X")[:8]
    old = format(pile.expired.cert.serial_number, "X")[:8]
    until_old = pile.expired.cert.not_valid_after_utc.strftime("%Y-%m-%d")
    said = {line.split(" (", 2)[1].split(",")[0]: line for line in unused}
    assert said["decoy-root.pem"].startswith(
        f"  'CN=Example Root CA,O=Example' (decoy-root.pem, serial {decoy}…, until ")
    assert "a same-name CA with another key" in said["decoy-root.pem"]
    assert said["old-issuing.pem"].startswith(
        f"  'CN=Example Issuing CA,O=Example' (old-issuing.pem, serial {old}…, until "
        f"{until_old}): ")
    assert len(unused) == 2


def test_trust_dup_cn_names_each_twin_and_suggests_the_exclude(pile) -> None:
    done = _run(pile, "bundle", "ca-bag.pem", "decoy-root.pem", "old-issuing.pem",
                "--target", "expressway", "--trust-list", "--out", ".", "--at",
                pile.at.isoformat())
    assert done.returncode == 0, done.stderr
    out = done.stdout
    decoy = format(pile.decoy.cert.serial_number, "X")[:8]
    assert f"'CN=Example Root CA,O=Example' (decoy-root.pem, serial {decoy}…" in out
    assert "(old-issuing.pem, serial" in out
    fp_decoy = sha256_hex(pile.decoy.cert)[:8]
    fp_old = sha256_hex(pile.expired.cert)[:8]
    assert f"drop  CN=Example Root CA,O=Example [{fp_decoy}] from decoy-root.pem" in out
    assert f"drop  CN=Example Issuing CA,O=Example [{fp_old}] from old-issuing.pem: expired" in out
    assert f"to drop them, run again with: --exclude {fp_old} --exclude {fp_decoy}" in out
    # and the suggestion works as printed
    done = _run(pile, "bundle", "ca-bag.pem", "decoy-root.pem", "old-issuing.pem",
                "--target", "expressway", "--trust-list", "-o", "clean.pem", "--at",
                pile.at.isoformat(), "--exclude", fp_old, "--exclude", fp_decoy)
    assert done.returncode == 0
    assert "TRUST-DUP-CN" not in done.stdout
    assert pile.path("clean.pem").read_bytes() == pile.pki.intermediate.pem + pile.pki.root.pem


# --- item 17: the fixes work as written -----------------------------------------------------------


def test_the_crt_fmt_fix_for_a_p7b_is_a_command_that_works(pile) -> None:
    import shlex

    done = _run(pile, "lint", "chain.p7b", "--role", "expressway-c", "--json")
    fixes = {f["fix"] for f in json.loads(done.stdout)["findings"] if f["id"] == "CRT-FMT"}
    assert fixes == {"collabcert convert chain.p7b --to pem"}
    argv = shlex.split(fixes.pop())
    assert argv[0] == "collabcert"
    ran = _run(pile, *argv[1:])
    assert ran.returncode == 0, ran.stderr
    assert pile.path("chain.pem").read_bytes() == pile.pki.root.pem + pile.pki.intermediate.pem


def test_the_crl_fmt_fix_openssl_command_runs_on_this_machine(pile) -> None:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    root = pile.pki.root
    crl = (x509.CertificateRevocationListBuilder().issuer_name(root.cert.subject)
           .last_update(pile.at - dt.timedelta(days=1)).next_update(pile.at + dt.timedelta(days=9))
           .sign(root.key, hashes.SHA256()))
    pile.path("ca.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    done = _run(pile, "lint", "ca.crl", "--role", "expressway-c", "--json")
    fixes = [f["fix"] for f in json.loads(done.stdout)["findings"] if f["id"] == "CRL-FMT"]
    assert fixes == ["openssl crl -in ca.crl -inform DER -out ca.pem"]
    _openssl_fix_runs(pile, fixes[0])
    assert pile.path("ca.pem").read_bytes().startswith(b"-----BEGIN X509 CRL-----")


def _openssl_fix_runs(pile: Pile, fix: str) -> None:
    import shlex
    import subprocess

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed here")
    argv = shlex.split(fix)
    assert argv[0] == "openssl"
    ran = subprocess.run([openssl, *argv[1:]], cwd=pile.folder, capture_output=True, timeout=30)
    assert ran.returncode == 0, ran.stderr


def test_the_der_certificate_and_csr_fixes_are_openssl_commands_that_work(pile) -> None:
    """seed-001 AT-19 / AT-20 give these openssl commands word for word: they are kept, and run."""
    from cryptography.hazmat.primitives.serialization import Encoding

    pile.path("req.der").write_bytes(pile.pki.csr.public_bytes(Encoding.DER))
    done = _run(pile, "lint", "expc1.crt", "req.der", "--role", "expressway-c", "--json")
    fixes = {f["where"]: f["fix"] for f in json.loads(done.stdout)["findings"]
             if f["id"] == "CRT-FMT"}
    assert fixes == {
        "expc1.crt": "openssl x509 -in expc1.crt -inform DER -out expc1.pem -outform PEM",
        "req.der": "openssl req -in req.der -inform DER -out req.pem -outform PEM"}
    for fix in fixes.values():
        _openssl_fix_runs(pile, fix)
    assert pile.path("expc1.pem").read_bytes() == pile.pki.leaf.pem
    assert pile.path("req.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE REQUEST-----")


def test_every_openssl_command_in_a_rule_fix_is_one_these_tests_run() -> None:
    from collabcert import rules

    for rule in rules.all_rules():
        fix = rule.fix or ""
        if "openssl" in fix:  # CRT-FMT's x509 (AT-19) and CRL-FMT's crl, both run above
            assert fix.startswith(("openssl x509 -in X.cer -inform DER", "openssl crl -in")), (
                rule.id, fix)
            assert rule.id != "CRT-FMT" or "collabcert convert X.p7b --to pem" in fix
