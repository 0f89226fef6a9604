"""Conversions keep every fingerprint and the order; outputs land next to the input."""

from __future__ import annotations

import stat
import subprocess

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from pki import Pki, der_of, make_pki, pem_of

from collabcert.convert import plan_conversion
from collabcert.errors import InputError
from collabcert.files import write_plan
from collabcert.load import load_bytes, load_path

PEM = serialization.Encoding.PEM


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("rsa")


def fps(certs) -> list[str]:
    return [c.fingerprint(hashes.SHA256()).hex() for c in certs]


def convert(paths, to, **kw):
    plan = plan_conversion([load_path(p, kw.pop("read_password", None)) for p in paths], to, **kw)
    return write_plan(plan)


def test_der_to_pem_next_to_the_input(tmp_path, pki: Pki) -> None:
    src = tmp_path / "server.cer"
    src.write_bytes(der_of(pki.leaf.cert))
    (out,) = convert([src], "pem")
    assert out == tmp_path / "server.pem"
    data = out.read_bytes()
    assert data.startswith(b"-----BEGIN CERTIFICATE-----\n") and data.endswith(b"-----\n")
    assert max(len(line) for line in data.splitlines()) <= 64
    assert fps(load_bytes(data).certificates) == fps([pki.leaf.cert])


def test_pem_chain_to_der_one_file_each_with_clear_names(tmp_path, pki: Pki) -> None:
    src = tmp_path / "chain.pem"
    src.write_bytes(pem_of(*pki.chain))
    outs = convert([src], "der")
    assert [p.name for p in outs] == [
        "chain-1-expe-example-com.der", "chain-2-example-issuing-ca.der",
        "chain-3-example-root-ca.der",
    ]
    assert [p.read_bytes() for p in outs] == [der_of(c) for c in pki.chain]


def test_der_pem_der_round_trip(tmp_path, pki: Pki) -> None:
    src = tmp_path / "leaf.der"
    src.write_bytes(der_of(pki.leaf.cert))
    (pem_file,) = convert([src], "pem")
    (tmp_path / "back").mkdir()
    (back,) = convert([pem_file], "der", out_dir=tmp_path / "back")
    assert back.read_bytes() == src.read_bytes()


def test_pem_to_pkcs7_to_pem_keeps_order(tmp_path, pki: Pki) -> None:
    src = tmp_path / "chain.pem"
    src.write_bytes(pem_of(*pki.chain))
    (p7b,) = convert([src], "p7b")
    # Order kept, as `openssl crl2pkcs7` does (strict DER would sort the SET OF certificates).
    assert load_path(p7b).certificates == pki.chain
    printed = subprocess.run(["openssl", "pkcs7", "-inform", "DER", "-in", str(p7b),
                              "-print_certs", "-noout"], capture_output=True, text=True, check=True)
    assert printed.stdout.count("subject=") == 3
    (pem_again,) = convert([p7b], "pem", output=tmp_path / "again.pem")
    assert pem_again.read_bytes() == src.read_bytes()


def test_pem_and_key_to_pkcs12_and_back(tmp_path, pki: Pki) -> None:
    chain, key = tmp_path / "chain.pem", tmp_path / "server.key"
    chain.write_bytes(pem_of(*pki.chain))
    key.write_bytes(pki.leaf.key_pem)
    (p12,) = convert([chain, key], "p12", password=b"pw")
    assert stat.S_IMODE(p12.stat().st_mode) == 0o600
    back = load_path(p12, b"pw")
    assert fps(back.certificates) == fps(pki.chain)
    # PKCS#12 -> PEM: certificates in one file, the key unencrypted PKCS#8 0600 in another.
    (tmp_path / "out").mkdir()
    outs = convert([p12], "pem", read_password=b"pw", out_dir=tmp_path / "out")
    assert [p.name for p in outs] == ["chain.pem", "chain.key"]
    cert_file, key_file = outs
    assert fps(load_path(cert_file).certificates) == fps(pki.chain)
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(cert_file.stat().st_mode) == 0o644


def test_pkcs12_needs_a_matching_key(tmp_path, pki: Pki) -> None:
    other = make_pki("ec")
    inputs = [load_bytes(pem_of(*pki.chain), str(tmp_path / "c.pem")),
              load_bytes(other.leaf.key_pem, str(tmp_path / "k.pem"))]
    with pytest.raises(InputError, match="matches the private key"):
        plan_conversion(inputs, "p12", password=b"pw")
    with pytest.raises(InputError, match="password"):
        plan_conversion(inputs, "p12")


def test_encrypted_key_becomes_unencrypted_pkcs8(tmp_path, pki: Pki) -> None:
    src = tmp_path / "locked.key"
    src.write_bytes(pki.leaf.key.private_bytes(
        PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.BestAvailableEncryption(b"pw")))
    (out,) = convert([src], "pem", read_password=b"pw")
    assert out.name == "locked.pem"
    assert out.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_never_writes_over_the_input(tmp_path, pki: Pki) -> None:
    src = tmp_path / "messy.pem"
    src.write_bytes(b"junk\r\n" + pem_of(pki.leaf.cert).replace(b"\n", b"\r\n"))
    (out,) = convert([src], "pem")
    assert out.name == "messy-converted.pem"
    assert out.read_bytes() == pem_of(pki.leaf.cert)


def test_der_with_one_output_file_and_many_objects_is_refused(tmp_path, pki: Pki) -> None:
    loaded = load_bytes(pem_of(*pki.chain), str(tmp_path / "c.pem"))
    with pytest.raises(InputError, match="one object per file"):
        plan_conversion([loaded], "der", output=tmp_path / "x.der")


def test_p7b_without_certificates_is_refused(tmp_path, pki: Pki) -> None:
    with pytest.raises(InputError, match="none"):
        plan_conversion([load_bytes(pki.leaf.key_pem, "k.pem")], "p7b")
