"""A field engineer's pile of customer files (issue 12): every kind a customer hands over, the
good and the bad, made with pyca in the test. Shared by the CLI and engine tests (and the TUI's).

`make_pile(folder)` writes the files and returns a Pile naming them. Dates are fixed relative to
tests/pki.NOW, and the tests judge validity at `Pile.at` (a clock they pass with --at).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import NameOID
from pki import DAY, NOW, Issued, Pki, issue, key_pem, make_csr, name, new_key

PEM = serialization.Encoding.PEM
DER = serialization.Encoding.DER
PASSWORD = b"pile-pw"
BAD = ("empty.cer", "random.bin")  # the two files nothing can read


@dataclass
class Pile:
    folder: Path
    pki: Pki  # root -> intermediate -> expc1 leaf (its key in expc1.key and expc1.pfx)
    peer: Issued  # expc2: the cluster peer's leaf, same issuer
    expired: Issued  # an expired twin of the intermediate (same CN, same key, old dates)
    decoy: Issued  # a self-signed CA with the root's name and another key
    quoted: Issued  # a leaf whose subject holds a quoted e-mail address
    files: dict[str, str] = field(default_factory=dict)  # file name -> what it is

    @property
    def at(self) -> dt.datetime:
        """The clock the tests judge validity by (today's date never matters)."""
        return NOW

    def path(self, name: str) -> Path:
        return self.folder / name

    @property
    def names(self) -> list[str]:
        return sorted(self.files)

    @property
    def readable(self) -> list[str]:
        return [n for n in self.names if n not in BAD]


def _legacy_pfx(leaf: Issued, cas: list[x509.Certificate], password: bytes) -> bytes:
    """A PKCS#12 as old Windows exports it: 3DES and SHA-1 (pyca's legacy builder)."""
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                  .kdf_rounds(2048)
                  .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
                  .hmac_hash(hashes.SHA1())
                  .build(password))
    return pkcs12.serialize_key_and_certificates(b"expc1", leaf.key, leaf.cert, cas, encryption)


def _bag_attributes(cert: x509.Certificate, friendly: str) -> bytes:
    """`openssl pkcs12 -nokeys` output: Bag Attributes and subject/issuer lines before the PEM."""
    head = (f"Bag Attributes\n    friendlyName: {friendly}\n"
            f"subject={cert.subject.rfc4514_string()}\n"
            f"issuer={cert.issuer.rfc4514_string()}\n")
    return head.encode() + cert.public_bytes(PEM)


def make_pile(folder: Path, pki: Pki | None = None) -> Pile:
    from pki import make_pki

    pki = pki or make_pki("ec", leaf_cn="expc1.example.com",
                          sans=["expc1.example.com", "expc.example.com"])
    inter, root, leaf = pki.intermediate, pki.root, pki.leaf
    peer = issue("expc1.example.com", issuer=inter, sans=["expc2.example.com"])
    expired = issue(inter.cert.subject, issuer=root, key=inter.key, ca=True, path_length=0,
                    not_before=NOW - 800 * DAY, not_after=NOW - 30 * DAY)
    decoy = issue(root.cert.subject, ca=True, not_after=NOW + 3650 * DAY)
    quoted_subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, 'Admin, "Jo" Example'),
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, '"jo admin"@example.com'),
    ])
    quoted = issue(quoted_subject, issuer=inter, sans=["jo.example.com"])
    locked_key = new_key("ec")
    pile = Pile(folder, pki, peer, expired, decoy, quoted)
    writes: dict[str, tuple[bytes, str]] = {
        "expc1.crt": (leaf.cert.public_bytes(DER), "the leaf, DER"),
        "expc1.pfx": (_legacy_pfx(leaf, [inter.cert, root.cert], PASSWORD),
                      "legacy 3DES PKCS#12: key, leaf, chain"),
        "expc1.key": (leaf.key_pem, "the leaf's key, PEM"),
        "expc1.csr": (pki.csr.public_bytes(PEM), "the leaf's CSR"),
        "expc2.pem": (peer.pem, "the cluster peer's leaf (same CN)"),
        "ca-bag.pem": (_bag_attributes(inter.cert, "Issuing CA")
                       + _bag_attributes(root.cert, "Root CA"), "PEM with Bag Attributes"),
        "chain.p7b": (pkcs7.serialize_certificates([inter.cert, root.cert], DER), "PKCS#7 DER"),
        "locked.key": (key_pem(locked_key, PASSWORD), "an encrypted key"),
        "old-issuing.pem": (expired.pem, "expired twin of the issuing CA"),
        "decoy-root.pem": (decoy.pem, "a CA with the root's name, another key"),
        "quoted.pem": (quoted.pem, "a quoted e-mail in the subject"),
        "empty.cer": (b"", "an empty file"),
        "random.bin": (os.urandom(700), "random bytes"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, (data, what) in writes.items():
        (folder / file_name).write_bytes(data)
        pile.files[file_name] = what
    (folder / "pw.txt").write_bytes(PASSWORD + b"\n")  # not part of the pile: the password
    return pile


def csr_for(key, cn: str, sans: list[str]) -> bytes:
    return make_csr(key, cn, sans).public_bytes(PEM)


__all__ = ["BAD", "PASSWORD", "Pile", "csr_for", "make_pile", "name"]
