"""Match: do a key, a CSR and a certificate share one public key (SubjectPublicKeyInfo)?

Works for RSA, EC and Ed25519 alike because the DER of the SPKI is compared, not key numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from collabcert.errors import InputError
from collabcert.keys import describe_key, spki_der, spki_sha256
from collabcert.load import Item, ItemKind, Loaded
from collabcert.model import colon_hex, common_name


@dataclass(frozen=True)
class MatchResult:
    matches: bool
    message: str
    spki_sha256: str


def _public(item: Item):
    return item.obj if item.kind is ItemKind.PUBLIC_KEY else item.obj.public_key()


def _reference(loaded: Loaded) -> Item:
    """The key if there is one, else the CSR, else the first certificate."""
    for kind in (ItemKind.PRIVATE_KEY, ItemKind.CSR, ItemKind.PUBLIC_KEY, ItemKind.CERTIFICATE):
        for item in loaded.items:
            if item.kind is kind:
                return item
    raise InputError(f"{loaded.source}: holds no key, CSR or certificate to compare")


def match_files(reference: Loaded, certificates: Loaded) -> MatchResult:
    ref = _reference(reference)
    certs = [i for i in certificates.items if i.kind is ItemKind.CERTIFICATE]
    if not certs:
        raise InputError(f"{certificates.source}: holds no certificate to compare with")
    wanted = spki_der(_public(ref))
    what = "private key" if ref.kind is ItemKind.PRIVATE_KEY else ref.kind.value.replace("_", " ")
    what = "CSR" if ref.kind is ItemKind.CSR else what
    fingerprint = colon_hex(spki_sha256(_public(ref)))
    for position, item in enumerate(certs, start=1):
        if spki_der(item.obj.public_key()) == wanted:
            which = "" if len(certs) == 1 else f" (certificate {position} of {len(certs)})"
            return MatchResult(
                True,
                f"match: the {what} and the certificate for {common_name(item.obj.subject)!r}"
                f"{which} have the same public key ({describe_key(_public(ref))}, "
                f"SHA-256 {fingerprint})",
                spki_sha256(_public(ref)),
            )
    return MatchResult(
        False,
        f"no match: the {what} in {reference.source} is not the key of the certificate in "
        f"{certificates.source}; it may belong to another CSR or another cluster peer",
        spki_sha256(_public(ref)),
    )
