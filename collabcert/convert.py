"""Conversions between the shapes certificates come in and the PEM the products want.

PEM <-> DER for certificates, CSRs and keys; PKCS#7 (any encoding) -> PEM; PKCS#12 -> PEM key and
certificates; certificate + key (+ chain) -> PKCS#12; PEM certificates -> PKCS#7. Nothing is
re-encoded inside a certificate, so fingerprints never change. The result is a write plan
(files.PlannedFile); the caller asks about overwrites and writes it with files.write_plan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from collabcert import certparts, der, pem
from collabcert.dn import common_name
from collabcert.errors import InputError
from collabcert.files import PlannedFile
from collabcert.keys import private_key_der, private_key_pem, same_public_key
from collabcert.load import Item, ItemKind, Loaded

OutputFormat = Literal["pem", "der", "p7b", "p12"]
FORMATS: tuple[OutputFormat, ...] = ("pem", "der", "p7b", "p12")
_PEM_LABELS = {ItemKind.CERTIFICATE: "CERTIFICATE", ItemKind.CSR: "CERTIFICATE REQUEST"}
_DER = serialization.Encoding.DER


@dataclass(frozen=True)
class Target:
    """Where outputs go: one named file (-o), a folder (--out), or next to each input."""

    output: Path | None = None
    out_dir: Path | None = None

    def path_for(self, src: Path | None, suffix: str, part: str = "") -> Path:
        if self.output is not None:
            return self.output
        folder = self.out_dir or (src.parent if src else Path("."))
        stem = _safe_stem(src.stem if src else "pasted")
        path = folder / f"{stem}{part}{suffix}"
        # Names first: resolving every path costs more than the conversion of a small file.
        if src is not None and path.name == src.name and path.resolve() == src.resolve():
            path = folder / f"{stem}-converted{part}{suffix}"  # never write over the input
        return path


def _safe_stem(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "output"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40]


@dataclass(frozen=True)
class Renamed:
    """An output that got another name by rule, because its natural name was taken."""

    source: str  # the input it was made from
    path: Path  # the name it got
    wanted: Path  # the name it would have had
    taken_by: str  # the input whose output has that name, or the input that is that file

    def sentence(self) -> str:
        """`expc1.pfx -> expc1-pfx.pem (expc1.pem is taken by expc1.crt)`."""
        if self.taken_by == str(self.wanted):
            why = f"{self.wanted.name} is one of the inputs"
        else:
            why = f"{self.wanted.name} is taken by {_base(self.taken_by)}"
        return f"{_base(self.source)} -> {self.path.name} ({why})"


def _base(name: str) -> str:
    return Path(name).name or name


@dataclass(frozen=True)
class Skipped:
    """An input that gives no output in the chosen format, and why (one sentence)."""

    source: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


@dataclass(frozen=True)
class ConversionPlan:
    files: tuple[PlannedFile, ...]
    sources: tuple[str, ...]  # per file: the input it was made from ("" for a merged file)
    renamed: tuple[Renamed, ...] = ()
    skipped: tuple[Skipped, ...] = ()


def plan_conversion(
    inputs: Sequence[Loaded],
    to: OutputFormat,
    *,
    output: Path | None = None,
    out_dir: Path | None = None,
    key: Any = None,
    password: bytes | None = None,
    p12_legacy: bool = False,
) -> list[PlannedFile]:
    """The files a conversion writes. Raises InputError when the inputs cannot make that format.
    `p12_legacy`: a PKCS#12 in 3DES/SHA-1 for importers that cannot read AES-256 (p12_encryption).
    """
    return list(plan_conversion_named(inputs, to, output=output, out_dir=out_dir, key=key,
                                      password=password, p12_legacy=p12_legacy).files)


def plan_conversion_named(
    inputs: Sequence[Loaded],
    to: OutputFormat,
    *,
    output: Path | None = None,
    out_dir: Path | None = None,
    key: Any = None,
    password: bytes | None = None,
    p12_legacy: bool = False,
) -> ConversionPlan:
    """The files, which input each comes from, the outputs renamed so that no two share a name
    (DESIGN.md: distinct names by rule, never a refusal of the batch), and the inputs that give
    nothing in this format. Raises InputError when the inputs cannot make that format at all."""
    if not inputs:
        raise InputError("nothing to convert; give one or more files")
    target = Target(output, out_dir)
    if to in ("pem", "der"):
        pairs = _to_pem(inputs, target) if to == "pem" else _to_der(inputs, target)
        if target.output is None:
            files, renamed = distinct_names(pairs, inputs)
        else:
            files, renamed = [p for _l, p in pairs], []
        made = {loaded.source for loaded, _p in pairs}
        skipped = [Skipped(loaded.source, f"{loaded.source}: holds nothing a {to.upper()} "
                           "file carries (only a public key)")
                   for loaded in inputs if loaded.source not in made]
        sources = [loaded.source if target.output is None else "" for loaded, _p in pairs]
        return ConversionPlan(tuple(files), tuple(sources), tuple(renamed), tuple(skipped))
    if to == "p7b":
        file = _to_p7b(inputs, target)
        skipped = [Skipped(loaded.source, f"{loaded.source}: holds no certificate; a PKCS#7 "
                           "carries certificates only") for loaded in inputs
                   if not loaded.certificates]
        return ConversionPlan((file,), ("",), (), tuple(skipped))
    if to == "p12":
        return ConversionPlan((_to_p12(inputs, target, key, password, legacy=p12_legacy),), ("",))
    raise InputError(f"unknown output format {to!r}; use one of {', '.join(FORMATS)}")


def distinct_names(pairs: Sequence[tuple[Loaded, PlannedFile]], inputs: Sequence[Loaded]
                   ) -> tuple[list[PlannedFile], list[Renamed]]:
    """The one naming rule for outputs that would share a name (issue 12 item 2): the first
    keeps it; a later one gets its input's extension added to the stem (`expc1.pfx` ->
    `expc1-pfx.pem` when `expc1.crt` took `expc1.pem`), then a number if that is taken too. An
    output never takes the name of one of the inputs (that would destroy it)."""
    from dataclasses import replace

    inputs_by_name = {str(loaded.path): loaded.source for loaded in inputs if loaded.path}
    taken: dict[str, str] = dict(inputs_by_name)  # path -> who has it
    files: list[PlannedFile] = []
    renamed: list[Renamed] = []
    for loaded, planned in pairs:
        path = planned.path
        if str(path) in taken:
            new = _free_name(path, loaded, taken)
            holder = taken[str(path)]
            renamed.append(Renamed(loaded.source, new,
                                   path, str(path) if str(path) in inputs_by_name else holder))
            planned = replace(planned, path=new)
        taken[str(planned.path)] = loaded.source
        files.append(planned)
    return files, renamed


def _free_name(path: Path, loaded: Loaded, taken: dict[str, str]) -> Path:
    src_ext = _safe_stem(loaded.path.suffix.lstrip(".")) if loaded.path else "pasted"
    name = path.name
    stem, dot, rest = name.partition(".")  # `expc1.key.der`: the stem is `expc1`
    tag = src_ext or "input"
    candidate = path.with_name(f"{stem}-{tag}{dot}{rest}")
    number = 2
    while str(candidate) in taken:
        candidate = path.with_name(f"{stem}-{tag}-{number}{dot}{rest}")
        number += 1
    return candidate


def left_out(
    inputs: Sequence[Loaded], to: OutputFormat, *, output: Path | None = None,
    out_dir: Path | None = None,
) -> list[str]:
    """What the chosen format cannot carry, in words, and where `--to pem` would put it.

    Only PKCS#7 drops anything (private keys): DER gives each key its own file, PEM and
    PKCS#12 carry them. Said so that nobody deletes the input believing the key is kept.
    """
    holders = [loaded for loaded in inputs if loaded.keys]
    count = sum(len(loaded.keys) for loaded in holders)
    if to != "p7b" or not count:
        return []
    beside = Target(None, out_dir or (output.parent if output is not None else None))
    where = ", ".join(str(beside.path_for(loaded.path, ".key")) for loaded in holders)
    keys = "1 private key" if count == 1 else f"{count} private keys"
    return [f"{keys} not included: a PKCS#7 carries certificates only; "
            f"`--to pem` would write {'it' if count == 1 else 'them'} to {where}"]


# ---------------------------------------------------------------------------------------------
# PEM


def pem_text(items: Sequence[Item]) -> bytes:
    """Certificates and CSRs as clean PEM, then keys as unencrypted PKCS#8."""
    blocks = [
        pem.encode(_PEM_LABELS[i.kind], i.obj.public_bytes(_DER))
        for i in items
        if i.kind in _PEM_LABELS
    ]
    keys = [i.obj for i in items if i.kind is ItemKind.PRIVATE_KEY]
    blocks += [private_key_pem(key).decode("ascii") for key in keys]
    return pem.join(blocks)


def _to_pem(inputs: Sequence[Loaded], target: Target) -> list[tuple[Loaded, PlannedFile]]:
    if target.output is not None:
        items = [item for loaded in inputs for item in _usable(loaded)]
        return [(inputs[0], _pem_file(target.output, items, _what(items)))]
    plan: list[tuple[Loaded, PlannedFile]] = []
    for loaded in inputs:
        public = [i for i in _usable(loaded) if i.kind is not ItemKind.PRIVATE_KEY]
        keys = [i for i in loaded.items if i.kind is ItemKind.PRIVATE_KEY]
        if public:
            plan.append((loaded, _pem_file(target.path_for(loaded.path, ".pem"), public,
                                           _what(public))))
        if keys:
            suffix = ".key" if public or loaded.source.endswith(".pem") else ".pem"
            plan.append((loaded, _pem_file(target.path_for(loaded.path, suffix), keys,
                                           _what(keys))))
    return plan


def _pem_file(path: Path, items: Sequence[Item], what: str) -> PlannedFile:
    certs = sum(1 for i in items if i.kind is ItemKind.CERTIFICATE)
    private = any(i.kind is ItemKind.PRIVATE_KEY for i in items)
    return PlannedFile(path, pem_text(items), private=private, certificates=certs, what=what)


def _usable(loaded: Loaded) -> list[Item]:
    return [i for i in loaded.items if i.kind is not ItemKind.PUBLIC_KEY]


def _what(items: Sequence[Item]) -> str:
    """`2 certificates and 1 private key`: what a written file holds, in plain words."""
    parts = []
    for kind, word in ((ItemKind.CERTIFICATE, "certificate"), (ItemKind.CSR, "CSR"),
                       (ItemKind.PRIVATE_KEY, "private key")):
        count = sum(1 for i in items if i.kind is kind)
        if count:
            parts.append(f"{count} {word}{'s' if count != 1 else ''}")
    return " and ".join(parts)


# ---------------------------------------------------------------------------------------------
# DER


def _to_der(inputs: Sequence[Loaded], target: Target) -> list[tuple[Loaded, PlannedFile]]:
    all_items = [(loaded, item) for loaded in inputs for item in _usable(loaded)]
    if target.output is not None and len(all_items) != 1:
        raise InputError(
            f"DER holds one object per file and the input has {len(all_items)}; "
            "use --out DIR to get one file each"
        )
    plan = []
    for loaded in inputs:
        items = _usable(loaded)
        for number, item in enumerate(items, start=1):
            part = "" if len(items) == 1 else f"-{number}-{_item_slug(item)}"
            suffix = ".key.der" if item.kind is ItemKind.PRIVATE_KEY else ".der"
            plan.append((loaded, _der_file(target.path_for(loaded.path, suffix, part), item)))
    return plan


def _item_slug(item: Item) -> str:
    if item.kind is ItemKind.PRIVATE_KEY:
        return "key"
    try:
        return _slug(common_name(certparts.name_of(item.obj, "subject"))) or item.kind.value
    except ValueError:
        return item.kind.value


def _der_file(path: Path, item: Item) -> PlannedFile:
    if item.kind is ItemKind.PRIVATE_KEY:
        return PlannedFile(path, private_key_der(item.obj), private=True, certificates=0,
                           what="private key")
    is_cert = item.kind is ItemKind.CERTIFICATE
    return PlannedFile(path, item.obj.public_bytes(_DER), certificates=1 if is_cert else 0,
                       what="certificate" if is_cert else "CSR")


# ---------------------------------------------------------------------------------------------
# PKCS#7 and PKCS#12


def _certificates(inputs: Sequence[Loaded]) -> list[x509.Certificate]:
    seen: set[bytes] = set()
    certs = []
    for loaded in inputs:
        for cert in loaded.certificates:
            der = cert.public_bytes(_DER)
            if der not in seen:  # the same certificate twice in a bundle helps nobody
                seen.add(der)
                certs.append(cert)
    return certs


def _to_p7b(inputs: Sequence[Loaded], target: Target) -> PlannedFile:
    certs = _certificates(inputs)
    if not certs:
        raise InputError("a PKCS#7 carries certificates, and the input has none")
    data = der.certs_only_pkcs7([c.public_bytes(_DER) for c in certs])
    path = target.path_for(inputs[0].path, ".p7b")
    return PlannedFile(path, data, certificates=len(certs), what="PKCS#7")


# PKCS#12 encryption. The default is pyca's best: AES-256-CBC with PBKDF2 for keys and
# certificates, HMAC-SHA256. Windows Server 2016 and older, and older Cisco and Java importers,
# read only the PKCS#12 of the 2000s: 3DES with the SHA-1 PKCS#12 KDF and an HMAC-SHA1 MAC (XCA
# PR #389, KSE #318, openssl #17777). 2048 rounds is what `openssl pkcs12 -export -legacy` uses.
LEGACY_KDF_ROUNDS = 2048


def p12_encryption(password: bytes, legacy: bool) -> serialization.KeySerializationEncryption:
    if not legacy:
        return serialization.BestAvailableEncryption(password)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization.pkcs12 import PBES

    return (serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(LEGACY_KDF_ROUNDS)
            .key_cert_algorithm(PBES.PBESv1SHA1And3KeyTripleDESCBC)
            .hmac_hash(hashes.SHA1())
            .build(password))


def _to_p12(
    inputs: Sequence[Loaded], target: Target, key: Any, password: bytes | None,
    legacy: bool = False,
) -> PlannedFile:
    if not password:
        raise InputError("a PKCS#12 needs a password to protect the key; give --password-file")
    if b"\x00" in password:
        raise InputError("the password contains a NUL byte; check the password file")
    keys = [key] if key is not None else [k for loaded in inputs for k in loaded.keys]
    if not keys:
        raise InputError("a PKCS#12 needs the private key; give it with --key or as an input")
    certs = _certificates(inputs)
    private = keys[0]
    main = next((c for c in certs if same_public_key(private, c)), None)
    if main is None:
        raise InputError(
            "no certificate in the input matches the private key; check that the key and "
            "the certificate belong together (collabcert match)"
        )
    chain = [c for c in certs if c is not main]
    data = pkcs12.serialize_key_and_certificates(
        name=common_name(certparts.name_of(main, "subject")).encode("utf-8") or None,
        key=private,
        cert=main,
        cas=chain or None,
        encryption_algorithm=p12_encryption(password, legacy),
    )
    path = target.path_for(inputs[0].path, ".p12")
    what = "PKCS#12 (legacy 3DES/SHA-1)" if legacy else "PKCS#12"
    return PlannedFile(path, data, private=True, certificates=1 + len(chain), what=what,
                       password=password)
