"""The convert job: the files a conversion writes, and what they hold once written.

`convert_files(read, options)` plans the conversion of what was read (collabcert.convert does
the shapes) and returns a ConvertResult: the objects read (collabcert.jobs.inspect.ItemView),
the planned files (collabcert.files.PlannedFile), the findings of reading, the next steps, and
`blocked`, the one sentence saying why these inputs cannot make that format ("" when they can).
After the face has written the plan, `read_back(path, plan)` reads a written file from disk (or
the `ReadBack` hook of files.write_plan keeps what the write's own check parsed) and says what it
holds (kind, CN, SHA-256; for a key the public key's SHA-256, what match
compares): `collabcert convert` prints those lines and the wizard's last step shows them, so
both show the fingerprints of what is on disk, not of what was meant to be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from collabcert.convert import Renamed, Skipped
from collabcert.errors import InputError
from collabcert.files import PlannedFile
from collabcert.findings import Finding
from collabcert.jobs.inspect import KIND_WORDS, ItemView, item_views
from collabcert.load import Item, ItemKind, Loaded

# When to choose the legacy PKCS#12, in one sentence (CLI help and the wizard's output step).
LEGACY_P12_WHEN = ("3DES/SHA-1 instead of AES-256, only for importers that refuse the modern "
                   "file: Windows Server 2016 and older, older Cisco and Java importers")
LEGACY_P12_NOTE = ("The PKCS#12 is protected with 3DES and SHA-1, which are weak: use it only for "
                   "an importer that refuses the AES-256 one, and delete it once imported.")


@dataclass(frozen=True)
class ConvertOptions:
    """What the person asked for: the format and where the files go."""

    to: str  # pem, der, p7b or p12
    output: Path | None = None  # one named file (-o)
    out_dir: Path | None = None  # a folder (--out); neither: next to each input
    key: Any = None  # the private key for a PKCS#12 (a pyca key); None: the inputs' own key
    password: bytes | None = None  # protects the PKCS#12 written
    p12_legacy: bool = False  # 3DES/SHA-1 PKCS#12 for old importers (Windows Server 2016 ...)


@dataclass(frozen=True)
class ConvertResult:
    read: tuple[Loaded, ...]  # what was read
    planned: tuple[PlannedFile, ...]
    findings: tuple[Finding, ...]  # from reading the inputs
    next_steps: tuple[str, ...]
    blocked: str = ""  # why nothing can be written; "" when the plan may be written
    # Outputs given another name by rule, each said as a sentence for the review
    # (`expc1.pfx -> expc1-pfx.pem (expc1.pem is taken by expc1.crt)`; issue 12 item 2).
    renamed: tuple[Renamed, ...] = ()
    # Inputs that give nothing: unreadable ones and those holding nothing the format carries,
    # each with its sentence (the done screen and `--json` say them; issue 12 item 3).
    skipped: tuple[Skipped, ...] = ()
    sources: tuple[str, ...] = ()  # per planned file: the input it comes from ("" if merged)
    notes: tuple[str, ...] = ()  # what the review must say (an encrypted key written unlocked)

    def source_of(self, planned: PlannedFile) -> str:
        for file, source in zip(self.planned, self.sources, strict=False):
            if file is planned:
                return source
        return ""

    def to_json(self, written: Sequence[WrittenObject] = ()) -> dict[str, object]:
        """One document: per input its status, the outputs with what they hold (fingerprints
        read back from disk when `written` is given), the renames and the skipped inputs."""
        skipped = {s.source: s.reason for s in self.skipped}
        inputs: list[dict[str, object]] = [
            {"source": loaded.source, "status": "skipped" if loaded.source in skipped
             else "converted", **({"reason": skipped[loaded.source]}
                                  if loaded.source in skipped else {})}
            for loaded in self.read]
        read = {loaded.source for loaded in self.read}
        inputs += [{"source": s.source, "status": "unreadable", "reason": s.reason}
                   for s in self.skipped if s.source not in read]
        by_path: dict[str, list[WrittenObject]] = {}
        for row in written:
            by_path.setdefault(str(row.path), []).append(row)
        outputs = [{"path": str(p.path), "what": p.what, "private": p.private,
                    "source": source, "objects": [
                        {"kind": row.kind, "name": row.name, "sha256": row.sha256}
                        for row in by_path.get(str(p.path), [])]}
                   for p, source in zip(self.planned, self.sources or [""] * len(self.planned),
                                        strict=False)]
        return {"inputs": inputs, "outputs": outputs,
                "renamed": [r.sentence() for r in self.renamed],
                "skipped": [s.to_json() for s in self.skipped],
                "notes": list(self.notes), "next_steps": list(self.next_steps),
                "findings": [f.to_json() for f in self.findings], "blocked": self.blocked}

    @cached_property
    def items(self) -> tuple[ItemView, ...]:
        """The objects read, summarized when first asked (a batch of 1000 never needs them)."""
        return tuple(item_views(item for loaded in self.read for item in loaded.items))


@dataclass(frozen=True)
class WrittenObject:
    """One object of a written file, read back from disk."""

    path: Path
    kind: str  # "Certificate", "Private key" ...
    name: str  # subject CN, "-" when there is none (keys)
    sha256: str  # of the certificate/CSR, or of the public key for keys
    private: bool  # the file holds a private key (mode 0600)
    text: str  # the file content when it is PEM text (for Copy), else ""

    def line(self, shown_path: str) -> str:
        from collabcert.model import colon_hex

        return f"{shown_path}  {self.kind}  {self.name}  SHA-256 {colon_hex(self.sha256)}"


def key_choices(items: Sequence[ItemView], names: Mapping[str, str] | None = None
                ) -> list[tuple[str, Any]]:
    """(`RSA 2048 key from leaf.key`, key) for every private key read, for a PKCS#12; `names`
    maps a source to the name the person chose it by."""
    names = names or {}
    return [(f"{v.summary.key} key from {names.get(v.source, v.source)}", v.item.obj)
            for v in items if v.item.kind is ItemKind.PRIVATE_KEY]


def convert_files(read: Sequence[Loaded], options: ConvertOptions,
                  problems: Sequence[tuple[str, str]] = ()) -> ConvertResult:
    """The convert job: plan every file; never raises for inputs that cannot make the format.
    `problems` are the (name, sentence) of inputs that could not be read: the result lists
    them as skipped, the others are converted (DESIGN.md: several FILEs)."""
    from collabcert.convert import plan_conversion_named

    findings = tuple(f for loaded in read for f in loaded.findings)
    unread = tuple(Skipped(name, sentence) for name, sentence in problems)
    try:
        plan = plan_conversion_named(
            read, options.to, output=options.output, out_dir=options.out_dir, key=options.key,
            password=options.password if options.to == "p12" else None,
            p12_legacy=options.p12_legacy and options.to == "p12")
    except InputError as exc:
        return ConvertResult(tuple(read), (), findings, (), blocked=str(exc), skipped=unread)
    return ConvertResult(tuple(read), plan.files, findings,
                         tuple(next_steps(options, plan.files)), renamed=plan.renamed,
                         skipped=unread + plan.skipped, sources=plan.sources,
                         notes=tuple(unlocked_notes(read, options)))


def unlocked_notes(read: Sequence[Loaded], options: ConvertOptions) -> list[str]:
    """A key that was encrypted in the input is written unencrypted in PEM and DER (DESIGN.md
    convert; Expressway and CMS refuse locked keys, seed-001 KEY-ENC): said before writing."""
    if options.to not in ("pem", "der"):
        return []
    return [f"{loaded.source}: the key was encrypted there and is written unencrypted "
            "(PKCS#8, mode 0600)" for loaded in read
            if any(i.kind is ItemKind.PRIVATE_KEY and i.encrypted for i in loaded.items)]


def next_steps(options: ConvertOptions, planned: Sequence[PlannedFile]) -> list[str]:
    steps = []
    if any(p.private for p in planned) and options.to in ("pem", "der"):
        steps.append("The key is written unencrypted (PKCS#8, mode 0600), as Expressway and "
                     "Meeting Server want it; keep it on this machine and upload it with its "
                     "certificate.")
    if options.to == "p12":
        steps.append("Give the PKCS#12 password to whoever imports the file, by another way "
                     "than the file itself.")
        if options.p12_legacy:
            steps.append(LEGACY_P12_NOTE)
    return steps


def read_back(path: Path, plan: Sequence[PlannedFile]) -> list[WrittenObject]:
    """What a written file of `plan` holds, read from disk with the password it was written with."""
    from collabcert.load import read_input

    planned = {p.path: p for p in plan}.get(path)
    loaded = read_input(path, planned.password if planned else None)
    return written_objects(path, loaded, path.read_bytes(), planned.private if planned else False)


class ReadBack:
    """A `count_certificates` hook for files.write_plan that keeps what it parsed, so listing
    what was written costs no second read of 1000 files. write_plan has already compared the
    bytes on disk with the planned ones, so these are the objects on disk."""

    def __init__(self, plan: Sequence[PlannedFile]) -> None:
        self._plan = {str(p.path): p for p in plan}
        self._found: dict[str, list[WrittenObject]] = {}

    def __call__(self, data: bytes, name: str, password: bytes | None) -> int:
        from collabcert.errors import CollabcertError, WriteRefused
        from collabcert.load import load_bytes

        try:
            loaded = load_bytes(data, name, password)
        except CollabcertError as exc:
            raise WriteRefused(f"{name}: the file written cannot be read back ({exc})") from exc
        planned = self._plan.get(name)
        self._found[name] = written_objects(Path(name), loaded, data,
                                            planned.private if planned else False)
        return len(loaded.certificates)

    def objects(self, path: Path) -> list[WrittenObject]:
        """What `path` holds; read from disk when write_plan did not parse it."""
        found = self._found.get(str(path))
        return found if found is not None else read_back(path, list(self._plan.values()))


def written_objects(path: Path, loaded: Loaded, raw: bytes, private: bool
                    ) -> list[WrittenObject]:
    """One row per object: kind, CN (collabcert.dn), SHA-256; no full summary (that checks
    signatures and costs as much as the whole conversion of a large batch)."""
    text = raw.decode("ascii") if raw.startswith(b"-----BEGIN") else ""
    return [WrittenObject(path, KIND_WORDS.get(item.kind.value, item.kind.value),
                          _name(item), _sha256(item), private, text) for item in loaded.items]


def _name(item: Item) -> str:
    from collabcert.dn import cn

    if item.kind not in (ItemKind.CERTIFICATE, ItemKind.CSR):
        return "-"
    try:
        return cn(item.obj) or "-"
    except ValueError:  # a name pyca cannot parse (long-form tags): the row still shows
        return "-"


def _sha256(item: Item) -> str:
    """Of the certificate/CSR DER, or of the public key for keys (what match compares)."""
    import hashlib

    from cryptography.hazmat.primitives.serialization import Encoding

    from collabcert.keys import spki_sha256

    if item.kind in (ItemKind.CERTIFICATE, ItemKind.CSR):
        return hashlib.sha256(item.obj.public_bytes(Encoding.DER)).hexdigest()
    public = item.obj if item.kind is ItemKind.PUBLIC_KEY else item.obj.public_key()
    return spki_sha256(public)
