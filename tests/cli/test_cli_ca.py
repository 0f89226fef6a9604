"""`collabcert ca init` and `collabcert ca sign` (issue 15 items 1-2), run as a person would:
a CA made in a folder, CSRs made by `collabcert csr` (or by pyca for what our csr verb would
never write), the result checked by `collabcert lint` and by `openssl verify`."""

from __future__ import annotations

import ipaddress
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pki import _der_length, mode_of, new_key, run_cli

from collabcert.roles import catalogue

OPENSSL = shutil.which("openssl")


def fields_for(role_id: str) -> list[str]:
    """The fields `collabcert csr ROLE` needs (and lint is given) for a lab node."""
    if role_id == "cms-xmpp":
        values = ["fqdn=xmpp.example.com", "xmpp-domain=example.com"]
    elif role_id == "cms-shared":
        values = ["domain=example.com", "component-fqdns=cb.example.com,wb.example.com"]
    elif role_id == "cms-db-client":
        values = []
    else:
        values = ["fqdn=node1.example.com"]
    return [arg for value in values for arg in ("--field", value)]


SUBJECT = ["--field", "o=Acme Ltd.", "--field", "st=Berkshire", "--field", "c=GB"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Path:
    """One CA with an intermediate for the module (RSA 3072 generation is the slow part)."""
    folder = tmp_path_factory.mktemp("lab") / "ca"
    done = run_cli("ca", "init", str(folder), "--intermediate", text=True)
    assert done.returncode == 0, done.stderr
    return folder


def load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def ext(cert: x509.Certificate, kind):
    return cert.extensions.get_extension_for_class(kind)


def write_csr(path: Path, csr: x509.CertificateSigningRequest, der: bool = False) -> Path:
    encoding = serialization.Encoding.DER if der else serialization.Encoding.PEM
    path.write_bytes(csr.public_bytes(encoding))
    return path


def one_error_line(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith("collabcert: error: ") and "Traceback" not in done.stderr
    return lines[0]


# --- ca init -----------------------------------------------------------------------------------


def test_init_layout_extensions_and_modes(lab):
    names = sorted(p.name for p in lab.iterdir())
    assert names == ["ca-chain.crt", "intermediate.crt", "intermediate.key", "root.crt",
                     "root.key"]
    assert mode_of(lab / "root.key") == 0o600 and mode_of(lab / "intermediate.key") == 0o600
    assert b"BEGIN PRIVATE KEY" in (lab / "root.key").read_bytes()  # unencrypted PKCS#8
    root, inter = load_cert(lab / "root.crt"), load_cert(lab / "intermediate.crt")
    assert isinstance(root.public_key(), rsa.RSAPublicKey) and root.public_key().key_size == 3072
    for cert, pathlen in ((root, 1), (inter, 0)):
        bc = ext(cert, x509.BasicConstraints)
        assert bc.critical and bc.value.ca and bc.value.path_length == pathlen
        ku = ext(cert, x509.KeyUsage)
        assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign
        assert not ku.value.digital_signature
        assert cert.not_valid_after_utc.year < 2050  # seed-001 CRT-2050
    ski_root = ext(root, x509.SubjectKeyIdentifier).value.digest
    assert ext(inter, x509.AuthorityKeyIdentifier).value.key_identifier == ski_root
    assert inter.issuer == root.subject
    chain = x509.load_pem_x509_certificates((lab / "ca-chain.crt").read_bytes())
    assert chain == [inter, root]  # issuer first, root last


def test_init_refuses_an_existing_ca_without_force(lab, tmp_path):
    folder = tmp_path / "ca"
    assert run_cli("ca", "init", str(folder), "--key", "ec:p256").returncode == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    line = one_error_line(run_cli("ca", "init", str(folder), "--key", "ec:p256", text=True))
    assert str(folder) in line and "--force" in line
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    done = run_cli("ca", "init", str(folder), "--key", "ec:p256", "--force", "--json",
                   text=True)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["intermediate"] is None
    assert (folder / "root.crt").read_bytes() != before["root.crt"]
    root = load_cert(folder / "root.crt")
    assert ext(root, x509.BasicConstraints).value.path_length == 0  # no intermediate below it


def test_init_ec_p384_and_name(tmp_path):
    folder = tmp_path / "deep" / "ca"  # made, parents included
    done = run_cli("ca", "init", str(folder), "--key", "ec:p384", "--name", "Acme Lab Root",
                   text=True)
    assert done.returncode == 0, done.stderr
    root = load_cert(folder / "root.crt")
    assert isinstance(root.public_key(), ec.EllipticCurvePublicKey)
    assert root.signature_hash_algorithm.name == "sha384"
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Acme Lab Root"
    assert mode_of(folder) == 0o700


@pytest.mark.parametrize("key", ["rsa:1024", "dsa:2048", "ec:p192"])
def test_init_refuses_weak_keys(tmp_path, key):
    line = one_error_line(run_cli("ca", "init", str(tmp_path / "ca"), "--key", key, text=True))
    assert key in line
    assert not (tmp_path / "ca").exists()


def test_ca_without_subverb_is_usage(tmp_path):
    one_error_line(run_cli("ca", text=True))


# --- ca sign: every role of the catalogue --------------------------------------------------------


@pytest.mark.parametrize("role", [r.id for r in catalogue()])
def test_sign_every_role_then_lint_and_openssl_verify(lab, tmp_path, role):
    made = run_cli("csr", role, *fields_for(role), *SUBJECT, "--out", str(tmp_path), "--json",
                   text=True)
    assert made.returncode == 0, made.stderr
    csr_file = Path(json.loads(made.stdout)["csr_file"])
    key_file = Path(json.loads(made.stdout)["key_file"])
    signed = run_cli("ca", "sign", str(csr_file), "--ca", str(lab), "--role", role, "--json",
                     text=True)
    assert signed.returncode == 0, signed.stderr
    data = json.loads(signed.stdout)
    cert_file, chain_file = Path(data["certificate_file"]), Path(data["chain_file"])
    cert = load_cert(cert_file)
    request = x509.load_pem_x509_csr(csr_file.read_bytes())
    assert cert.subject == request.subject
    assert data["fingerprint"] == cert.fingerprint(hashes.SHA256()).hex()
    wanted = [f for f in catalogue() if f.id == role][0]
    assert list(data["eku"]) == list(wanted.eku)
    # lint of the result for that role: no error (CUCM takes no key upload, so no key for it)
    with_key = [] if wanted.product in ("cucm", "imp") else [str(key_file)]
    linted = run_cli("lint", str(cert_file), str(chain_file), *with_key, "--role", role,
                     *fields_for(role), text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    if OPENSSL:
        verified = subprocess.run([OPENSSL, "verify", "-CAfile", str(lab / "root.crt"),
                                   "-untrusted", str(lab / "intermediate.crt"), str(cert_file)],
                                  capture_output=True, text=True, timeout=30)
        assert verified.returncode == 0, verified.stdout + verified.stderr


# --- ca sign: SANs are never dropped -------------------------------------------------------------

MANY_SANS = [x509.DNSName("cb1.example.com"), x509.DNSName("cb2.example.com"),
             x509.DNSName("*.meet.example.com"), x509.IPAddress(ipaddress.ip_address("192.0.2.10")),
             x509.IPAddress(ipaddress.ip_address("2001:db8::10")),
             x509.UniformResourceIdentifier("sip:cb1.example.com"),
             x509.RFC822Name("lab@example.com")]


def many_san_csr(cn: str = "cb1.example.com", sans=tuple(MANY_SANS), digest=None):
    key = new_key("ec")
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acme Ltd."),
                         x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject)
    builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    # a careless request: it also asks for an EKU the role does not give (the role decides)
    builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]),
                                    critical=False)
    return builder.sign(key, digest or hashes.SHA256())


@pytest.mark.parametrize("role", [None, "cms-callbridge"])
def test_many_sans_are_all_kept_in_order(lab, tmp_path, role):
    csr_file = write_csr(tmp_path / "callbridge.csr", many_san_csr())
    args = ["--role", role] if role else []
    done = run_cli("ca", "sign", str(csr_file), "--ca", str(lab), *args, "--json", text=True)
    assert done.returncode == 0, done.stderr
    cert = load_cert(tmp_path / "callbridge.crt")
    assert list(ext(cert, x509.SubjectAlternativeName).value) == MANY_SANS
    eku = list(ext(cert, x509.ExtendedKeyUsage).value)
    assert eku == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    data = json.loads(done.stdout)
    assert data["sans"][:4] == ["DNS:cb1.example.com", "DNS:cb2.example.com",
                                "DNS:*.meet.example.com", "IP:192.0.2.10"]
    if role is None:
        assert any("plain TLS certificate" in note for note in data["notes"])
    else:  # CMS names the CA chain <name>bundle.crt (seed-003 §2.2)
        assert Path(data["chain_file"]).name == "callbridgebundle.crt"


@pytest.mark.parametrize("san, why", [
    (x509.IPAddress(ipaddress.ip_address("192.0.2.10")), "IP address"),
    (x509.DNSName("*.example.com"), "wildcard"),
    (x509.DNSName("expe"), "single label"),
])
def test_a_san_the_role_cannot_take_refuses_the_csr(lab, tmp_path, san, why):
    sans = [x509.DNSName("expe.example.com"), san]
    csr_file = write_csr(tmp_path / "expe.csr", many_san_csr("expe.example.com", sans))
    done = run_cli("ca", "sign", str(csr_file), "--ca", str(lab), "--role", "expressway-e",
                   text=True)
    line = one_error_line(done)
    assert "never dropped" in line and str(csr_file) in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expe.csr"]  # nothing written


def test_refuses_a_csr_without_san_for_a_role(lab, tmp_path):
    key = new_key("ec")
    csr = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "expe.example.com")])
    ).sign(key, hashes.SHA256())
    csr_file = write_csr(tmp_path / "expe.csr", csr)
    assert "no subjectAltName" in one_error_line(
        run_cli("ca", "sign", str(csr_file), "--ca", str(lab), "--role", "expressway-e",
                text=True))


# --- ca sign: what it refuses, and the contract details ----------------------------------------

_SHA1_RSA = bytes.fromhex("300d06092a864886f70d0101050500")


def sha1_csr() -> x509.CertificateSigningRequest:
    """pyca 50 will not sign with SHA-1: build the request and sign its info by hand."""
    key = new_key("rsa")
    good = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old.example.com")])
    ).add_extension(x509.SubjectAlternativeName([x509.DNSName("old.example.com")]),
                    critical=False).sign(key, hashes.SHA256())
    info = good.tbs_certrequest_bytes
    signature = key.sign(info, padding.PKCS1v15(), hashes.SHA1())
    bits = b"\x03" + _der_length(len(signature) + 1) + b"\x00" + signature
    body = info + _SHA1_RSA + bits
    return x509.load_der_x509_csr(b"\x30" + _der_length(len(body)) + body)


def test_refuses_sha1_csr(lab, tmp_path):
    csr_file = write_csr(tmp_path / "old.csr", sha1_csr())
    line = one_error_line(run_cli("ca", "sign", str(csr_file), "--ca", str(lab), text=True))
    assert "SHA1" in line or "SHA-1" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csr"]


@pytest.mark.parametrize(("role", "cited", "not_cited"), [
    ("expressway-e", "seed-001", ("seed-003", "seed-004")),
    ("cms-webbridge", "seed-003", ("seed-001", "seed-004")),
    ("cucm-tomcat", "seed-004", ("seed-001", "seed-003")),
    (None, None, ("seed-",)),
])
def test_a_sha1_refusal_cites_the_roles_own_product(lab, tmp_path, role, cited, not_cited):
    """Issue 12 item 16: a CMS or CUCM refusal does not cite an Expressway document."""
    csr_file = write_csr(tmp_path / "old.csr", sha1_csr())
    args = ["ca", "sign", str(csr_file), "--ca", str(lab)] + (["--role", role] if role else [])
    line = one_error_line(run_cli(*args, text=True))
    assert "SHA1" in line and "make the CSR again with SHA-256" in line
    assert cited is None or cited in line
    assert not any(seed in line for seed in not_cited)


def test_refuses_a_csr_whose_signature_does_not_verify(lab, tmp_path):
    der = bytearray(many_san_csr().public_bytes(serialization.Encoding.DER))
    der[-3] ^= 0x01  # inside the signature
    csr_file = tmp_path / "bad.csr"
    csr_file.write_bytes(bytes(der))
    assert "does not verify" in one_error_line(
        run_cli("ca", "sign", str(csr_file), "--ca", str(lab), text=True))


def test_refuses_an_rsa_csr_for_an_ecdsa_role(lab, tmp_path):
    made = run_cli("csr", "cucm-tomcat", "--field", "fqdn=cucm.example.com", "--out",
                   str(tmp_path), text=True)
    assert made.returncode == 0, made.stderr
    line = one_error_line(run_cli("ca", "sign", str(tmp_path / "tomcat.csr"), "--ca", str(lab),
                                  "--role", "cucm-tomcat-ecdsa", text=True))
    assert "CU-P04" in line


def test_der_csr_default_days_and_output_files(lab, tmp_path):
    csr_file = write_csr(tmp_path / "web.der", many_san_csr(), der=True)
    out = tmp_path / "out"
    out.mkdir()
    done = run_cli("ca", "sign", str(csr_file), "--ca", str(lab), "--out", str(out), text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["web-ca-chain.crt", "web-fullchain.crt",
                                                     "web.crt"]
    cert = load_cert(out / "web.crt")
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert lifetime.days == 397  # 397 days from now, the start backdated a few minutes
    inter, root = load_cert(lab / "intermediate.crt"), load_cert(lab / "root.crt")
    full = x509.load_pem_x509_certificates((out / "web-fullchain.crt").read_bytes())
    assert full == [cert, inter]  # no root in the fullchain
    chain = x509.load_pem_x509_certificates((out / "web-ca-chain.crt").read_bytes())
    assert chain == [inter, root]
    bc = ext(cert, x509.BasicConstraints)
    assert bc.critical and not bc.value.ca
    assert cert.signature_hash_algorithm.name == "sha256"
    # a second run refuses to replace the files; --force does
    again = run_cli("ca", "sign", str(csr_file), "--ca", str(lab), "--out", str(out), text=True)
    assert "--force" in one_error_line(again)
    forced = run_cli("ca", "sign", str(csr_file), "--ca", str(lab), "--out", str(out),
                     "--force", text=True)
    assert forced.returncode == 0, forced.stderr


@pytest.mark.parametrize("days", ["0", "826", "-5"])
def test_days_out_of_range_are_refused(lab, tmp_path, days):
    csr_file = write_csr(tmp_path / "web.csr", many_san_csr())
    line = one_error_line(run_cli("ca", "sign", str(csr_file), "--ca", str(lab), "--days", days,
                                  text=True))
    assert "825" in line


def test_json_is_one_document(lab, tmp_path):
    csr_file = write_csr(tmp_path / "web.csr", many_san_csr())
    done = run_cli("ca", "sign", str(csr_file), "--ca", str(lab), "--days", "30", "--json",
                   text=True)
    assert done.returncode == 0 and done.stderr == ""
    data = json.loads(done.stdout)
    for key in ("files", "fingerprint", "subject", "sans", "not_after"):
        assert key in data
    assert len(data["files"]) == 3 and all(Path(f).exists() for f in data["files"])


@pytest.mark.parametrize("problem", ["missing", "empty", "not-a-ca"])
def test_unusable_ca_folder(tmp_path, problem):
    csr_file = write_csr(tmp_path / "web.csr", many_san_csr())
    folder = tmp_path / "ca"
    if problem != "missing":
        folder.mkdir()
    if problem == "not-a-ca":
        (folder / "root.crt").write_bytes(b"junk")
    line = one_error_line(run_cli("ca", "sign", str(csr_file), "--ca", str(folder), text=True))
    assert str(folder) in line
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["web.csr"]


def test_csr_file_that_is_not_a_csr(lab, tmp_path):
    junk = tmp_path / "junk.csr"
    junk.write_bytes(b"not a request\n")
    assert str(junk) in one_error_line(
        run_cli("ca", "sign", str(junk), "--ca", str(lab), text=True))


def test_csr_from_standard_input_is_named_by_its_cn(lab, tmp_path):
    pem = many_san_csr().public_bytes(serialization.Encoding.PEM)
    done = run_cli("ca", "sign", "-", "--ca", str(lab), "--out", str(tmp_path), stdin=pem)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cb1-example-com-ca-chain.crt", "cb1-example-com-fullchain.crt", "cb1-example-com.crt"]


def test_a_db_client_csr_whose_cn_is_not_postgres_is_refused(lab, tmp_path):
    """seed-003 R12: the database client certificate's CN is always postgres."""
    key = new_key("ec")
    csr = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dbclient")])
    ).sign(key, hashes.SHA256())
    csr_file = write_csr(tmp_path / "dbcluster_client.csr", csr)
    assert "postgres" in one_error_line(run_cli("ca", "sign", str(csr_file), "--ca", str(lab),
                                                "--role", "cms-db-client", text=True))


# --- issue 13 "How we will know": a CMS combined deployment lints with zero errors ------------


def test_a_cms_combined_deployment_lints_with_zero_errors(lab, tmp_path):
    """Issue 13: the Call Bridge, Web Bridge and XMPP server of one combined Meeting Server
    (seed-003 §2), each made by `collabcert csr`, signed by the lab CA and given to one lint run
    with their roles (FILE@ROLE), give no error."""
    components = (("cms-callbridge", ["fqdn=cms1.example.com"]),
                  ("cms-webbridge", ["fqdn=join.example.com"]),
                  ("cms-xmpp", ["fqdn=cms1.example.com", "xmpp-domain=example.com"]))
    files: dict[str, list[str]] = {}
    for role, fields in components:
        made = run_cli("csr", role, *[a for f in fields for a in ("--field", f)], *SUBJECT,
                       "--out", str(tmp_path / role), "--json", text=True)
        assert made.returncode == 0, made.stderr
        outcome = json.loads(made.stdout)
        signed = run_cli("ca", "sign", outcome["csr_file"], "--ca", str(lab), "--role", role,
                         "--json", text=True)
        assert signed.returncode == 0, signed.stderr
        data = json.loads(signed.stdout)
        files[role] = [f"{data['certificate_file']}@{role}", f"{outcome['key_file']}@{role}",
                       f"{data['chain_file']}@{role}"]
    every = [name for role_files in files.values() for name in role_files]
    linted = run_cli("lint", *every, "--json", text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    report = json.loads(linted.stdout)
    assert not [f for f in report["findings"] if f["severity"] == "error"]
