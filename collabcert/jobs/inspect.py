"""The inspect job: what the chosen files hold, as plain values both faces show.

`inspect_files(read, problems, at)` takes what was read (collabcert.load.Loaded, one per input)
and the sentences of the inputs that could not be read, and returns an InspectResult: one
ItemView per object (kind, title, the summary of collabcert.model with CN via collabcert.dn,
SANs, dates, fingerprints; the PEM on request), the certification paths the certificates form
(root first, as the Windows "Certification path" shows them), and the findings of reading.
`collabcert inspect` prints it (collabcert/inspect.py renders it as text or JSON); the wizard's
Inspect flow shows it. Neither face touches a pyca object to do so.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from collabcert.files import PlannedFile
from collabcert.findings import Finding
from collabcert.keypairs import Pairing, key_id, pair_up
from collabcert.load import Item, ItemKind, Loaded
from collabcert.model import (
    UNREADABLE,
    CertSummary,
    CsrSummary,
    Summary,
    summarize,
    summarize_item,
)

_KIND_WORDS = {
    ItemKind.CERTIFICATE: "certificate",
    ItemKind.CSR: "certificate signing request (CSR)",
    ItemKind.PRIVATE_KEY: "private key",
    ItemKind.PUBLIC_KEY: "public key",
}
# The kinds in the words a table shows them (both faces).
KIND_WORDS = {"certificate": "Certificate", "csr": "CSR", "private_key": "Private key",
              "public_key": "Public key"}
# The encodings the products do not take as they are: convert them first (seed-001 CRT-FMT).
_NOT_PEM = ("DER", "PKCS#7 PEM", "PKCS#7 DER", "PKCS#7 BER", "PKCS#12")


def item_title(item: Item, summary: Summary | None = None) -> str:
    """`root CA certificate (PEM): Example Root`, `private key (PEM, PKCS#8): RSA 2048`."""
    summary = summary if summary is not None else summarize_item(item)
    where = item.encoding + (f", {item.form}" if item.form and item.form != item.encoding else "")
    if isinstance(summary, CertSummary):
        role = "CA certificate" if summary.is_ca else "certificate"
        if summary.self_signed:
            role = "root CA certificate" if summary.is_ca else "self-signed certificate"
        return f"{role} ({where}): {summary.subject_cn or summary.subject or '(no subject)'}"
    if isinstance(summary, CsrSummary):
        return f"CSR ({where}): {summary.subject_cn or summary.subject or '(no subject)'}"
    return f"{_KIND_WORDS[item.kind]} ({where}): {summary.key}"


def item_pem(item: Item) -> str:
    """The object as clean PEM text; a private key as unencrypted PKCS#8 (for copying)."""
    from collabcert import pem
    from collabcert.convert import pem_text
    from collabcert.keys import spki_der

    if item.kind is ItemKind.PUBLIC_KEY:
        return pem.encode("PUBLIC KEY", spki_der(item.obj))
    return pem_text([item]).decode("ascii")


@dataclass(frozen=True)
class ItemView:
    """One object read, as plain values: what any face needs to show it."""

    item: Item  # the engine's object, for the jobs that go on with it (convert, match)
    summary: Summary

    @property
    def kind(self) -> str:
        return self.item.kind.value

    @property
    def source(self) -> str:
        return self.item.source

    @property
    def encoding(self) -> str:
        return self.item.encoding

    @property
    def index(self) -> int:
        return self.item.index

    @property
    def label(self) -> str:
        return self.item.label

    @cached_property
    def title(self) -> str:
        return item_title(self.item, self.summary)

    @property
    def fingerprint(self) -> str:
        return summary_fingerprint(self.summary)

    def pem(self) -> str:
        return item_pem(self.item)


def summary_fingerprint(summary: Summary) -> str:
    """SHA-256 of the certificate/CSR, or of the public key for keys (what match compares)."""
    return getattr(summary, "sha256", "") or summary.spki_sha256


def item_views(items: Iterable[Item]) -> list[ItemView]:
    # Summaries make no reference cycles, but the collector's passes over tens of thousands of
    # new long-lived objects cost a third of the time of a 50,000-certificate store (issue 11
    # item 14): pause it while they are made.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [ItemView(item, summarize_item(item)) for item in items]
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class CertPath:
    """Root (or the highest certificate found) first, leaf last, as summaries."""

    certificates: tuple[CertSummary, ...]
    top_is_root: bool  # the chain reached a self-signed root
    missing_issuer: str = ""  # the plain sentence naming the missing issuer, when not complete
    links_how: tuple[str, ...] = ()  # per certificate (same order): how its link was verified


def cert_paths(certs: Sequence[object], at: dt.datetime | None = None) -> list[CertPath]:
    """One path per end certificate (one that issued nothing else in the input)."""
    from collabcert.chain import certification_paths

    paths = []
    for chain in certification_paths(certs, at=at):  # type: ignore[arg-type]
        links = tuple(reversed(chain.links))
        missing = chain.missing_issuer.sentence if chain.missing_issuer else ""
        paths.append(CertPath(tuple(summarize(link.certificate) for link in links),
                              chain.complete, missing, tuple(link.how for link in links)))
    return paths


def related(paths: Iterable[CertPath]) -> bool:
    """Worth showing a chain view: at least one path links two certificates."""
    return any(len(p.certificates) > 1 for p in paths)


@dataclass(frozen=True)
class KeyPair:
    """A private key and every certificate and CSR of the pile with the same public key
    (what `collabcert match` compares), wherever they are: another file or the same .pfx.
    Without a key (`key` None): a CSR and its certificate, or a renewal on the same key,
    paired by their public key alone (collabcert.keypairs)."""

    key: ItemView | None
    matches: tuple[ItemView, ...]

    def text(self, most: int = 10) -> str:
        """`expc1.key [1] -> expc1.crt [1] certificate expc1.example.com, expc1.csr [1] CSR ...`"""
        if self.key is None:
            more = f" and {len(self.matches) - most} more" if len(self.matches) > most else ""
            return "same public key, no key file here: " + ", ".join(
                f"{place(v)} {KIND_WORDS[v.kind]} {_name(v)}" for v in self.matches[:most]) + more
        if not self.matches:
            return f"{place(self.key)} {self.key.summary.key} key: no certificate or CSR here"
        return f"{place(self.key)} {self.key.summary.key} key -> " + ", ".join(
            f"{place(v)} {KIND_WORDS[v.kind]} {_name(v)}" for v in self.matches)


@dataclass(frozen=True)
class SameName:
    """Certificates and CSRs with one name (the CN, else the subject) and different keys: a
    renewal or a decoy CA (seed-001 CHN-DUPCN); the faces mark them so the two are not taken
    for each other. One view per key: its first copy."""

    subject: str
    views: tuple[ItemView, ...]

    def text(self, at: dt.datetime | None = None) -> str:
        rows = "; ".join(f"{place(v)} {same_name_row(v, at)}" for v in self.views)
        return f"same name, different key: {self.subject}: {rows}"


def same_name_row(view: ItemView, at: dt.datetime | None = None) -> str:
    """`key 1a2b3c4d, serial 0A1B2C3D4E5F, expires in 30 days`; a CSR says `CSR` instead."""
    summary = view.summary
    if not isinstance(summary, CertSummary):
        return f"key {summary.spki_sha256[:8]}, {KIND_WORDS.get(view.kind, view.kind)}"
    return (f"key {summary.spki_sha256[:8]}, serial {summary.serial[:12]}, "
            f"{expiry_text(summary, at)}")


def place(view: ItemView) -> str:
    """`expc1.pfx [2]`: the source and the object's number in it."""
    return f"{view.source} [{view.index}]"


def _name(view: ItemView) -> str:
    summary = view.summary
    return getattr(summary, "subject_cn", "") or getattr(summary, "subject", "") or "-"


def expiry_text(summary: Summary, at: dt.datetime | None = None) -> str:
    """`EXPIRED 2026-11-04`, `expires in 364 days`, `not valid before 2027-01-01`; "" for
    what has no validity (CSRs, keys). Judged at `at` (the job's clock; tests pass one)."""
    if not isinstance(summary, CertSummary):
        return ""
    when = at or dt.datetime.now(dt.UTC)
    if summary.not_after < when:
        return f"EXPIRED {summary.not_after:%Y-%m-%d}"
    if summary.not_before > when:
        return f"not valid before {summary.not_before:%Y-%m-%d}"
    days = (summary.not_after - when).days
    return f"expires in {days} day{'s' if days != 1 else ''}"


_PAIRED = ("certificate", "csr")


def key_pairs(views: Sequence[ItemView], pairing: Pairing) -> tuple[KeyPair, ...]:
    """Each private key with the certificates and CSRs of the whole pile it belongs to, then
    the groups of one key without a key file that hold more than one object (not the same
    certificate read twice), from the one pairing model (collabcert.keypairs)."""
    keyed = []
    for index, view in enumerate(views):
        if view.item.kind is ItemKind.PRIVATE_KEY:
            keyed.append(KeyPair(view, tuple(views[i] for i in pairing.partners(index)
                                             if views[i].kind in _PAIRED)))
    keyless = []
    for group in pairing.same_key:
        members = [views[i] for i in group]
        if any(v.item.kind is ItemKind.PRIVATE_KEY for v in members):
            continue
        paired = [v for v in members if v.kind in _PAIRED]
        if len({summary_fingerprint(v.summary) for v in paired}) > 1:
            keyless.append(KeyPair(None, tuple(paired)))
    return tuple(keyed + keyless)


def same_names(views: Sequence[ItemView], pairing: Pairing) -> tuple[SameName, ...]:
    """Names held by more than one public key, one row per key (its first copy), from the
    pairing model (the same certificate read twice is not a pair)."""
    out = []
    for parts in pairing.same_name:
        first = views[parts[0][0]].summary
        out.append(SameName(first.subject or first.subject_cn,
                            tuple(views[part[0]] for part in parts)))
    return tuple(out)


@dataclass(frozen=True)
class InspectResult:
    """What the inputs hold. Inspect writes nothing: `planned` is empty, `blocked` says so."""

    files: tuple[Loaded, ...]  # what was read, one per readable input
    problems: tuple[str, ...]  # one sentence per input that could not be read
    items: tuple[ItemView, ...]
    paths: tuple[CertPath, ...]
    findings: tuple[Finding, ...]  # from reading, input by input
    next_steps: tuple[str, ...]
    planned: tuple[PlannedFile, ...] = field(default=())
    blocked: str = "inspect only reads; nothing is written"
    # which objects hold one public key, which only share a name (collabcert.keypairs)
    pairing: Pairing = field(default=Pairing((), ()))
    at: dt.datetime | None = None  # the clock expiry is judged by (None: now)

    @cached_property
    def pairs(self) -> tuple[KeyPair, ...]:
        """Keys with their certificates and CSRs, over the whole pile (issue 12 item 6, 7)."""
        return key_pairs(self.items, self.pairing)

    @cached_property
    def same_names(self) -> tuple[SameName, ...]:
        return same_names(self.items, self.pairing)

    def expiry(self, view: ItemView) -> str:
        return expiry_text(view.summary, self.at)

    def chain_text(self, path: CertPath) -> str:
        """`expc1.example.com (expc1.crt [1]) -> Example Issuing CA -> Example Root CA` (leaf
        first, with where the leaf is, since cluster peers share a CN), with `-> (not in the
        input)` when the top is not a root."""
        names = [c.subject_cn or c.subject or "(no subject)" for c in reversed(path.certificates)]
        where = self.leaf_places(path)
        if where:
            names[0] += f" ({', '.join(where)})"
        tail = "" if path.top_is_root else " -> (not in the input)"
        return " -> ".join(names) + tail

    def leaf_places(self, path: CertPath,
                    file_name: Callable[[str], str] = str) -> list[str]:
        """Where the path's leaf is, `expc1.crt [1]` per copy: cluster peers and a re-keyed
        certificate share a CN, so two paths can only be told apart by their files (issue 12
        item 12). `file_name`: how a face names a source (the TUI shortens paths)."""
        return [f"{file_name(v.source)} [{v.index}]"
                for v in self._by_sha256.get(path.certificates[-1].sha256, ())]

    @cached_property
    def _by_sha256(self) -> dict[str, list[ItemView]]:
        """The certificates by fingerprint, so naming a path's leaf is not a pass per path."""
        found: dict[str, list[ItemView]] = {}
        for view in self.items:
            if view.item.kind is ItemKind.CERTIFICATE:
                found.setdefault(view.summary.sha256, []).append(view)
        return found

    @cached_property
    def chains(self) -> tuple[CertPath, ...]:
        """The paths of two or more certificates, each once (a leaf in two files is one)."""
        seen: dict[tuple[str, ...], CertPath] = {}
        for path in self.paths:
            if len(path.certificates) > 1:
                seen.setdefault(tuple(c.sha256 for c in path.certificates), path)
        return tuple(seen.values())

    def counts(self) -> dict[str, int]:
        """Objects by kind, in the order first met: {"certificate": 2, "private_key": 1}."""
        found: dict[str, int] = {}
        for view in self.items:
            found[view.kind] = found.get(view.kind, 0) + 1
        return found


def inspect_files(
    read: Sequence[Loaded], problems: Sequence[str] = (), *, at: dt.datetime | None = None,
    paths: bool = True,
) -> InspectResult:
    """The inspect job. `at` judges validity on the paths (tests pass a fixed time);
    `paths=False` skips the chain building where a face does not show it (JSON of a store)."""
    views = item_views(item for loaded in read for item in loaded.items)
    # A name pyca cannot parse (long-form tags, bad UTF-8) links nothing: leave it out of paths.
    certs = [v.item.obj for v in views if v.item.kind is ItemKind.CERTIFICATE
             and UNREADABLE not in (v.summary.subject, v.summary.issuer)]
    found = cert_paths(certs, at=at) if paths else []
    findings = tuple(f for loaded in read for f in loaded.findings)
    return InspectResult(tuple(read), tuple(problems), tuple(views), tuple(found), findings,
                         tuple(next_steps(views)), at=at,
                         pairing=pair_up([view.summary for view in views]))


# --- what a row says about one object (both faces) ---------------------------------------------


def expiry_words(summary: Summary, now: dt.datetime) -> str:
    """`EXPIRED 30 days ago`, `expires today`, `expires in 45 days`; "-" for what has no dates."""
    if not isinstance(summary, CertSummary):
        return "-"
    days = summary.days_left(now)
    if summary.not_after <= now:
        return f"EXPIRED {-days} day{'s' if -days != 1 else ''} ago" if days < 0 else "EXPIRED"
    if days == 0:
        return "expires today"
    return f"expires in {days} day{'s' if days != 1 else ''}"


def short_key_id(view: ItemView) -> str:
    """The first 4 bytes of the public key's SHA-256: equal ids, same key (what match checks)."""
    return key_id(view.summary.spki_sha256)


def _what(view: ItemView) -> str:
    words = {"certificate": "certificate", "csr": "CSR", "private_key": "private key",
             "public_key": "public key"}
    name = getattr(view.summary, "subject_cn", "") or getattr(view.summary, "subject", "")
    return f"{words.get(view.kind, view.kind)} {name}".strip()


def pair_notes(result: InspectResult, index: int,
               name_of: Callable[[str], str] = str) -> list[str]:
    """Sentences about object `index` (0-based): which objects hold its key, which only share
    its name. Objects are called #N (1-based, as the table numbers them) with their file."""
    def ref(other: int) -> str:
        view = result.items[other]
        return f"#{other + 1} ({_what(view)}, {name_of(view.source)})"

    def refs(found: tuple[tuple[int, ...], int]) -> str:
        firsts, total = found
        more = f" and {total - len(firsts)} more" if total > len(firsts) else ""
        return ", ".join(ref(i) for i in firsts) + more

    view, notes = result.items[index], []
    partners = result.pairing.first_partners(index, 5)
    if partners[1]:
        notes.append("Same public key as " + refs(partners) + ".")
    elif view.kind == "private_key":
        notes.append("No certificate or CSR here holds this key.")
    look_alikes = result.pairing.first_look_alikes(index, 5)
    if look_alikes[1]:
        notes.append("Same name, DIFFERENT key: " + refs(look_alikes)
                     + ". Compare the key ids before trusting or uploading either.")
    return notes


def pair_cell(result: InspectResult, index: int) -> str:
    """The table's short form: `key of #3 #4`, `≠key #2` (same name, other key)."""
    def numbers(found: tuple[tuple[int, ...], int]) -> str:
        firsts, total = found
        more = f" +{total - len(firsts)}" if total > len(firsts) else ""
        return " ".join(f"#{i + 1}" for i in firsts) + more

    parts = []
    partners = result.pairing.first_partners(index, 3)
    if partners[1]:
        parts.append("same key " + numbers(partners))
    look_alikes = result.pairing.first_look_alikes(index, 3)
    if look_alikes[1]:
        parts.append("SAME NAME, other key: " + numbers(look_alikes))
    return "; ".join(parts) or "-"


def _without_path(problem: str, name: str) -> str:
    """`/long/path/empty.cer: is empty; ...` -> `is empty; ...`: `where` names the file."""
    head, sep, rest = problem.partition(": ")
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if sep and rest and head.replace("\\", "/").endswith(base):
        return rest[:1].upper() + rest[1:]
    return problem


def located_findings(result: InspectResult, read_problems: Sequence[tuple[str, str]] = (),
                     name_of: Callable[[str], str] = str) -> list[Finding]:
    """Every finding with its `where` filled: the inputs that could not be read first (READ,
    where = the file as the person named it), then the reader's, where = block or file."""
    from dataclasses import replace

    from collabcert import rules

    out = [rules.get("READ").finding(_without_path(problem, name), where=name)
           for name, problem in read_problems]
    for loaded in result.files:
        name = name_of(loaded.source)
        for finding in loaded.findings:
            where = finding.where
            if name not in where:  # "block 2" alone does not say which file
                where = f"{name}, {where}" if where else name
            out.append(replace(finding, where=where))
    return out


def next_steps(views: Sequence[ItemView]) -> list[str]:
    """What a field engineer does next with what was found."""
    steps = []
    if any(v.encoding in _NOT_PEM for v in views):
        steps.append("Expressway and Meeting Server want PEM: convert the DER, PKCS#7 or PKCS#12 "
                     "input (collabcert convert FILE --to pem, or the Convert task).")
    kinds = {v.item.kind for v in views}
    if ItemKind.PRIVATE_KEY in kinds and ItemKind.CERTIFICATE in kinds:
        steps.append("Check that the key belongs to the certificate (collabcert match KEY CERT).")
    return steps
