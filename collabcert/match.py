"""Match: do a key, a CSR and a certificate share one public key (SubjectPublicKeyInfo)?

Works for RSA, EC and Ed25519 alike because the DER of the SPKI is compared, not key numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from collabcert import certparts
from collabcert.dn import cn, common_name
from collabcert.errors import InputError
from collabcert.keys import describe_key, spki_der, spki_sha256
from collabcert.load import Item, ItemKind, Loaded
from collabcert.model import colon_hex


@dataclass(frozen=True)
class MatchResult:
    matches: bool
    message: str
    spki_sha256: str
    reference: Item | None = None  # what was compared: the key, CSR or certificate of the first
    other: Item | None = None  # file, and the object of the second that matched (else its first)


def _public(item: Item):
    """The item's public key; None when pyca refuses a certificate's or CSR's key."""
    return item.obj if item.kind is ItemKind.PUBLIC_KEY else certparts.public_key_of(item.obj)


def _reference(loaded: Loaded) -> Item:
    """The key if there is one, else the CSR, else the first certificate."""
    for kind in (ItemKind.PRIVATE_KEY, ItemKind.CSR, ItemKind.PUBLIC_KEY, ItemKind.CERTIFICATE):
        for item in loaded.items:
            if item.kind is kind:
                return item
    raise InputError(f"{loaded.source}: holds no key, CSR or certificate to compare")


_WORDS = {
    ItemKind.PRIVATE_KEY: "private key",
    ItemKind.CSR: "CSR",
    ItemKind.PUBLIC_KEY: "public key",
    ItemKind.CERTIFICATE: "certificate",
}


def _candidates(loaded: Loaded) -> list[Item]:
    """What to compare against: the certificates, else the CSRs (key <-> CSR), else keys."""
    for kind in (ItemKind.CERTIFICATE, ItemKind.CSR, ItemKind.PRIVATE_KEY, ItemKind.PUBLIC_KEY):
        found = [i for i in loaded.items if i.kind is kind]
        if found:
            return found
    raise InputError(f"{loaded.source}: holds nothing with a public key to compare with")


def _key_problem(item: Item) -> str:
    if item.kind is ItemKind.CERTIFICATE:
        found = [p.reason for p in certparts.problems(item.obj) if p.part == "public key"]
        if found:
            return found[0]
    return "pyca refuses it"


def _subject(item: Item) -> str:
    if item.kind in (ItemKind.CERTIFICATE, ItemKind.CSR):
        return f" for {common_name(certparts.name_of(item.obj, 'subject'))!r}"
    return ""


def match_files(reference: Loaded, other: Loaded) -> MatchResult:
    """Does the key (or CSR) in `reference` belong to a certificate (or CSR) in `other`?"""
    ref = _reference(reference)
    candidates = _candidates(other)
    public = _public(ref)
    if public is None:
        raise InputError(f"{reference.source}: its public key cannot be read "
                         f"({_key_problem(ref)}); nothing to compare")
    wanted = spki_der(public)
    what, fingerprint = _WORDS[ref.kind], colon_hex(spki_sha256(public))
    for position, item in enumerate(candidates, start=1):
        key = _public(item)
        if key is not None and spki_der(key) == wanted:
            word = _WORDS[item.kind]
            which = "" if len(candidates) == 1 else f" ({word} {position} of {len(candidates)})"
            return MatchResult(
                True,
                f"match: the {what} and the {word}{_subject(item)}{which} have the same public "
                f"key ({describe_key(public)}, SHA-256 {fingerprint})",
                spki_sha256(public), ref, item,
            )
    return MatchResult(
        False,
        f"no match: the {what} in {reference.source} is not the key of the "
        f"{_WORDS[candidates[0].kind]} in {other.source}; it may belong to another CSR or "
        "another cluster peer",
        spki_sha256(public), ref, candidates[0],
    )


def side_json(item: Item, source: str) -> dict:
    """One side of `match --json`: the file, what was compared and its public key's ids."""
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    public = _public(item)
    doc: dict = {"file": source, "kind": _WORDS[item.kind], "key": describe_key(public),
                 "spki_sha256": spki_sha256(public),
                 # RFC 5280 method 1: what CAs put in the subject key identifier
                 "key_id": x509.SubjectKeyIdentifier.from_public_key(public).digest.hex()}
    if item.kind in (ItemKind.CERTIFICATE, ItemKind.CSR):
        doc["subject_cn"] = cn(item.obj)  # guarded: an empty RDN is no traceback (issue 11)
    if item.kind is ItemKind.CERTIFICATE:
        doc["sha256"] = hashlib.sha256(item.obj.public_bytes(Encoding.DER)).hexdigest()
    return doc
