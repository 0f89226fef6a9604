"""Test PKIs built with pyca cryptography: roots, intermediates, leaves, CSRs and decoys.

Every test makes its own certificates; nothing is mocked. Keys are cached per type because RSA key
generation is the slow part and the tests only need distinct keys, not fresh ones each time.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import stat
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)

_KEY_POOL: dict[str, list[PrivateKeyTypes]] = {}


def new_key(kind: str = "ec", fresh: bool = False) -> PrivateKeyTypes:
    """`ec` (P-256), `ec384`, `rsa` (2048), `rsa4096`, `ed25519`. A new distinct key each call."""
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ec384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    size = 4096 if kind == "rsa4096" else 2048
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def name(cn: str, o: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if o:  # most significant first, as real CAs write it
        attrs.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    return x509.Name(attrs)


@dataclass
class Issued:
    """A certificate with its private key."""

    cert: x509.Certificate
    key: PrivateKeyTypes

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def key_pem(self) -> bytes:
        return key_pem(self.key)


def _hash_for(key: PrivateKeyTypes, digest: hashes.HashAlgorithm | None):
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return None
    return digest or hashes.SHA256()


def _san(names: Iterable[str]) -> x509.SubjectAlternativeName:
    general: list[x509.GeneralName] = []
    for n in names:
        try:
            general.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            general.append(x509.DNSName(n))
    return x509.SubjectAlternativeName(general)


def issue(
    subject: x509.Name | str,
    *,
    issuer: Issued | None = None,
    key: PrivateKeyTypes | None = None,
    key_kind: str = "ec",
    ca: bool = False,
    path_length: int | None = None,
    basic_constraints: bool = True,
    sans: Sequence[str] = (),
    eku: Sequence[x509.ObjectIdentifier] | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    digest: hashes.HashAlgorithm | None = None,
    ski: bool = True,
    aki: bool = True,
    serial: int | None = None,
    extra: Sequence[x509.ExtensionType] = (),
) -> Issued:
    """Make a certificate. Without `issuer` it is self-signed."""
    subject_name = name(subject) if isinstance(subject, str) else subject
    key = key or new_key(key_kind)
    signer_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else subject_name
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject_name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(not_before or NOW - DAY)
        .not_valid_after(not_after or NOW + 365 * DAY)
    )
    if basic_constraints:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True
        )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False,
                key_encipherment=isinstance(key, rsa.RSAPrivateKey), data_encipherment=False,
                key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        usages = list(eku) if eku is not None else [
            ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH
        ]
        if usages:
            builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    if sans:
        builder = builder.add_extension(_san(sans), critical=False)
    if ski:
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
    if aki:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
            critical=False,
        )
    for ext in extra:
        builder = builder.add_extension(ext, critical=False)
    cert = builder.sign(signer_key, _hash_for(signer_key, digest))
    return Issued(cert, key)


@dataclass
class Pki:
    """root -> intermediate -> leaf, with the leaf's CSR."""

    root: Issued
    intermediate: Issued
    leaf: Issued
    csr: x509.CertificateSigningRequest
    extras: list[Issued] = field(default_factory=list)

    @property
    def chain(self) -> list[x509.Certificate]:
        return [self.leaf.cert, self.intermediate.cert, self.root.cert]


def make_csr(
    key: PrivateKeyTypes, cn: str, sans: Sequence[str] = (), digest=None
) -> x509.CertificateSigningRequest:
    builder = x509.CertificateSigningRequestBuilder().subject_name(name(cn))
    if sans:
        builder = builder.add_extension(_san(sans), critical=False)
    return builder.sign(key, _hash_for(key, digest))


def make_pki(
    key_kind: str = "ec",
    leaf_cn: str = "expe.example.com",
    sans: Sequence[str] | None = None,
    root_cn: str = "Example Root CA",
    intermediate_cn: str = "Example Issuing CA",
) -> Pki:
    root = issue(name(root_cn, "Example"), key_kind=key_kind, ca=True, not_after=NOW + 3650 * DAY)
    intermediate = issue(
        name(intermediate_cn, "Example"), issuer=root, key_kind=key_kind, ca=True, path_length=0
    )
    leaf_key = new_key(key_kind)
    names = list(sans) if sans is not None else [leaf_cn]
    leaf = issue(leaf_cn, issuer=intermediate, key=leaf_key, sans=names)
    return Pki(root, intermediate, leaf, make_csr(leaf_key, leaf_cn, names))


def pem_of(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def der_of(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


_SHA256_RSA_ALG = bytes.fromhex("300d06092a864886f70d01010b0500")
_SHA1_RSA_ALG = bytes.fromhex("300d06092a864886f70d0101050500")


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def sha1_signed(cert: x509.Certificate, issuer_key: rsa.RSAPrivateKey) -> x509.Certificate:
    """The same certificate signed with SHA-1 RSA. pyca 50 refuses to sign with SHA-1, but old
    private CAs still do: swap the (same-length) algorithm identifier and sign the TBS by hand."""
    from cryptography.hazmat.primitives.asymmetric import padding

    tbs = cert.tbs_certificate_bytes
    assert _SHA256_RSA_ALG in tbs, "sha1_signed needs an RSA SHA-256 certificate to start from"
    tbs = tbs.replace(_SHA256_RSA_ALG, _SHA1_RSA_ALG, 1)
    signature = issuer_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    bit_string = b"\x03" + _der_length(len(signature) + 1) + b"\x00" + signature
    body = tbs + _SHA1_RSA_ALG + bit_string
    return x509.load_der_x509_certificate(b"\x30" + _der_length(len(body)) + body)


# --- small helpers many test files share ---------------------------------------------------------


def key_pem(key: PrivateKeyTypes, password: bytes | None = None) -> bytes:
    """PKCS#8 PEM, unencrypted unless a password is given."""
    encryption = (serialization.BestAvailableEncryption(password) if password
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             encryption)


def sha256_hex(cert: x509.Certificate) -> str:
    """The SHA-256 fingerprint as lower-case hex without colons (as `--json` prints it)."""
    return cert.fingerprint(hashes.SHA256()).hex()


def mode_of(path: Path) -> int:
    """The permission bits of a written file (0o600 for keys, 0o644 for certificates)."""
    return stat.S_IMODE(path.stat().st_mode)


def fake_rsa_public(bits: int = 2048, seed: int = 0) -> rsa.RSAPublicKey:
    """A fixed RSA public key of `bits` bits. A certificate may carry any public key (its CA signs
    it), so a test needs no slow RSA generation; `seed` makes distinct keys."""
    return rsa.RSAPublicNumbers(65537, (1 << (bits - 1)) | (seed << 8) | 0xF1).public_key()


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    """`collabcert ARGV` in this process: (exit code, stdout, stderr)."""
    from collabcert.cli import main  # here: making certificates needs none of the engine

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


ROOT = Path(__file__).resolve().parents[1]  # the repository (or worktree) this test run is in
_ROOT = ROOT


def shared_dir(part: str) -> Path:
    """`../shared/<part>` of the team's work folder, found by walking up from the repository
    (a checkout sits beside shared/, a git worktree one or two levels deeper)."""
    for folder in (*ROOT.parents, Path("/work")):  # /work: the team's folder, for a clone elsewhere
        if (folder / "shared" / part).exists():
            return folder / "shared" / part
    return ROOT.parent / "shared" / part  # absent: the caller skips


def run_cli(*argv: str, stdin: bytes = b"", cwd: Path | None = None, timeout: float = 60,
            text: bool = False) -> subprocess.CompletedProcess:
    """`python -m collabcert ARGV` in a fresh process, the source checkout first on the path.
    Output is bytes, or str with `text`; stdin is `stdin` (empty: nothing waits on a terminal)."""
    path = os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    given = stdin.decode() if text else stdin
    return subprocess.run([sys.executable, "-m", "collabcert", *argv], input=given, cwd=cwd,
                          env=dict(os.environ, PYTHONPATH=path), capture_output=True,
                          text=text, timeout=timeout)
