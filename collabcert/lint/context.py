"""What lint looks at: the input files read once, with their roles, and the options of the check.

Screens and the CLI build `LintInput` values (a name, the bytes, an optional role) and call
`collabcert.lint.run_lint`. A role is a role ID of the catalogue, or one of the pseudo roles
`trust` (the trust list or trust-store export of the box being checked: Expressway trusted CA
list, CMS trust bundle, CUCM `<type>-trust`), `peer` (a peer node's certificate, seed-004
CU-T01), and `trust-c` / `trust-e` (each Expressway's own list, for the traversal rules).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from collabcert import certparts, names, pem, rules
from collabcert.chain import Chain, build_chain, fingerprint, server_identity, tls_purpose
from collabcert.errors import InputError, PasswordNeeded
from collabcert.findings import Finding
from collabcert.keys import same_public_key, spki_der
from collabcert.lint.certinfo import self_signed
from collabcert.load import Loaded, load_bytes
from collabcert.roles import Role, get_role_or_none

TRUST, PEER = "trust", "peer"
TRUST_C, TRUST_E = "trust-c", "trust-e"  # traversal: each Expressway's own trust list
PSEUDO_ROLES = (TRUST, PEER, TRUST_C, TRUST_E)
_LOCKED_LABELS = ("ENCRYPTED PRIVATE KEY",)
_BOX = {"imp": "cucm"}  # IM&P's trust stores work as CUCM's (same OS Administration)


@dataclass(frozen=True)
class LintInput:
    """One file (or pasted text) to check, with the role it plays (None: the main role)."""

    name: str
    data: bytes
    role: str | None = None


@dataclass(frozen=True)
class LintOptions:
    expressway_version: str = ""  # "" = not said (MRA then assumes X14.2)
    mra_addresses: tuple[str, ...] = ()
    mra_ip: str = ""  # the node's IP for the emulated log line `server=addr(ip)`
    verify_origin_server: bool = True
    ciphers: str | None = None  # Exp-C cipher string (CFG-CIPHER-PREF)
    openssl3: bool = False  # emulated log spelling: `self-signed` (OpenSSL 3) or `self signed`
    logs: tuple[tuple[str, str], ...] = ()  # (source name, text) of pasted / loaded logs
    password: bytes | None = None
    publisher_address: str = ""  # the Unified CM publisher address entered on Expressway-C
    tls_verify_mode: bool = False  # TLS Verify Mode On for that server (seed-000-002 X4)


def version_tuple(text: str, fallback: tuple[int, ...]) -> tuple[int, ...]:
    """An Expressway version as numbers: `X14.2.1` -> (14, 2, 1); `fallback` when unreadable."""
    digits = text.strip().lstrip("XxVv")
    try:
        return tuple(int(p) for p in digits.split(".") if p)
    except ValueError:
        return fallback


@dataclass
class FileFacts:
    """One input, read: its items and the raw facts the format rules need."""

    input: LintInput
    role_id: str  # a catalogue role ID, a pseudo role, or "" (no role)
    role: Role | None
    loaded: Loaded | None
    text: str | None  # the text when the file is PEM text
    locked: list[str] = field(default_factory=list)  # what is encrypted: "PKCS#8 PEM", ...
    der: bool = False  # binary DER (no PEM text)
    crls: list[x509.CertificateRevocationList] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.input.name

    @property
    def data(self) -> bytes:
        return self.input.data

    @property
    def certificates(self) -> list[x509.Certificate]:
        return self.loaded.certificates if self.loaded else []

    @property
    def keys(self) -> list[Any]:
        return self.loaded.keys if self.loaded else []

    @property
    def csrs(self) -> list[x509.CertificateSigningRequest]:
        return self.loaded.csrs if self.loaded else []

    @property
    def has_key(self) -> bool:
        return bool(self.keys or self.locked)

    @property
    def locked_text(self) -> str:
        """What is encrypted, for a message: `BEGIN ENCRYPTED PRIVATE KEY, PKCS#12`."""
        return ", ".join(self.locked)

    @property
    def pem_labels(self) -> list[str]:
        if self.text is None:
            return []
        return [b.label for b in pem.find_blocks(self.text)]


@dataclass
class Context:
    files: list[FileFacts]
    role: Role | None  # the main role (--role)
    fields: dict[str, str]
    now: dt.datetime
    options: LintOptions
    mra: bool = False  # MRA nodes were described (the MRA flow): the trust is Expressway-C's

    @property
    def product(self) -> str:
        return self.role.product if self.role else ""

    @property
    def trust_box(self) -> str:
        """Whose trust store the trust files are (issue 13 items 2, 3): Expressway-C's with MRA
        addresses or nodes (what the MRA verdict reads); else the product of --role; else the
        one product of the files' own roles (C+E, tomcat + tomcat-ECDSA); "" when unsure.
        CUCM and IM&P share the name "cucm"."""
        if self.mra or self.options.mra_addresses:
            return "expressway"
        products = {self.product} if self.role else {f.role.product for f in self.files if f.role}
        boxes = {_BOX.get(p, p) for p in products}
        return boxes.pop() if len(boxes) == 1 else ""

    def trust_is(self, product: str) -> bool:
        """The trust files are the trust list of a `product` box."""
        return bool(self.trust_files) and self.trust_box == _BOX.get(product, product)

    @property
    def chain_unchecked(self) -> bool:
        """No CA certificate and no trust list given: a server certificate's chain cannot be
        judged (DESIGN.md lint contract; issue 13 item 1), so it is not called incomplete."""
        return not self.trust_files and all(role_identity(c, f.role) for f in self.files
                                            for c in f.certificates)

    def role_files(self, role_id: str | None = None) -> list[FileFacts]:
        wanted = role_id or (self.role.id if self.role else "")
        return [f for f in self.files if f.role_id == wanted and wanted]

    def product_files(self, *products: str) -> list[FileFacts]:
        """The files given with a catalogue role of one of `products`."""
        return [f for f in self.files if f.role and f.role.product in products]

    def roles_in_play(self, *products: str) -> list[str]:
        """The role IDs of those files, each once, in the order first given."""
        return list(dict.fromkeys(f.role_id for f in self.product_files(*products)))

    def role_fields(self, role_id: str) -> dict[str, str]:
        """The fields, when `role_id` is the main role: a per-file role has no fields of its own."""
        return self.fields if self.role and self.role.id == role_id else {}

    def where(self, role_id: str, obj: Any) -> str:
        """The name of the role's file holding the certificate or CSR `obj` ("" if none)."""
        for f in self.role_files(role_id):
            if obj in f.certificates or obj in f.csrs:
                return f.name
        return ""

    def subjects(self, *products: str) -> list[tuple[str, Any, str]]:
        """(role ID, its certificate or CSR, the file holding it) for each role in play that has
        one: what the content rules of a product look at."""
        out = []
        for role_id in self.roles_in_play(*products):
            subject = self.subject(role_id)
            if subject is not None:
                out.append((role_id, subject, self.where(role_id, subject)))
        return out

    @property
    def trust_files(self) -> list[FileFacts]:
        return [f for f in self.files if f.role_id == TRUST]

    @property
    def trust_certificates(self) -> list[x509.Certificate]:
        return [c for f in self.trust_files for c in f.certificates]

    @property
    def trusted_fingerprints(self) -> set[str]:
        return {fingerprint(c) for c in self.trust_certificates}

    @property
    def peer_files(self) -> list[FileFacts]:
        return [f for f in self.files if f.role_id == PEER]

    def field(self, name: str) -> str:
        return self.fields.get(name, "").strip()

    def field_list(self, name: str) -> list[str]:
        return names.split_list(self.field(name))

    @property
    def all_certificates(self) -> list[x509.Certificate]:
        return unique(c for f in self.files for c in f.certificates)

    def leaf(self, role_id: str | None = None) -> x509.Certificate | None:
        return pick_leaf(self.role_files(role_id))

    def subject(self, role_id: str | None = None):
        """The role's certificate, or its CSR when no certificate was given."""
        leaf = self.leaf(role_id)
        if leaf is not None:
            return leaf
        csrs = [c for f in self.role_files(role_id) for c in f.csrs]
        return csrs[-1] if csrs else None

    def key_mismatch(self, role_id: str) -> FileFacts | None:
        """The first key file, when the role has keys and a leaf and no key is the leaf's."""
        files = self.role_files(role_id)
        leaf = self.leaf(role_id)
        keys = [k for f in files for k in f.keys]
        if leaf is None or not keys:
            return None
        if any(same_public_key(k, leaf) for k in keys):
            return None
        return next(f for f in files if f.keys)

    def role_chain(self, role_id: str, trust: Sequence[x509.Certificate]) -> Chain | None:
        """The chain of the role's leaf through `trust` and the role's own files; None when
        there is no leaf or it is self-signed (a self-signed leaf has no chain to check)."""
        leaf = self.leaf(role_id)
        if leaf is None or self_signed(leaf):
            return None
        return build_chain(self.chain_pool(role_id, trust), leaf=leaf, at=self.now)

    def judges_chain(self, role_id: str, trust: Sequence[x509.Certificate]) -> bool:
        """A chain can be judged when there is a trust list for the box or a CA certificate
        beside the role's certificate; otherwise it is not called incomplete (issue 13 items
        1-3: the info finding CHN-NOT-CHECKED, or the other box's rules, say what was done)."""
        role = get_role_or_none(role_id)
        if self.trust_files and role is not None and not self.trust_is(role.product):
            return False  # the trust list given is another box's: not this box's question
        return bool(trust) or any(not role_identity(c, f.role)
                                  for f in self.role_files(role_id) for c in f.certificates)

    def chain_pool(self, role_id: str, trust: Sequence[x509.Certificate]) -> list[x509.Certificate]:
        return unique([*trust, *(c for f in self.role_files(role_id) for c in f.certificates)])


def is_ca(cert: x509.Certificate) -> bool:
    return certparts.is_ca(cert)


def unique(certs: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    seen: set[str] = set()
    out = []
    for cert in certs:
        fp = fingerprint(cert)
        if fp not in seen:
            seen.add(fp)
            out.append(cert)
    return out


def role_identity(cert: x509.Certificate, role: Role | None) -> bool:
    """The role's own certificate: a server's (chain.server_identity), or for a role whose
    certificate is a CA by design (CAPF: CA:TRUE, pathlen 0, it issues the phones' LSCs,
    seed-004 L235) a CA certificate that names a TLS purpose (CAPF: serverAuth, L71)."""
    if server_identity(cert):
        return True
    return role is not None and role.ca_path_len is not None and tls_purpose(cert)


def pick_leaf(files: Sequence[FileFacts]) -> x509.Certificate | None:
    """The end-entity certificate of a role: the one matching a given key, else the first
    certificate that is not a CA (seed-003 §2.4 algorithm). A self-signed server certificate
    with CA:TRUE (CUCM's own tomcat-ECDSA, 002 L465-470) is the role's certificate too."""
    certs = unique(c for f in files for c in f.certificates)
    role = files[0].role if files else None
    candidates = [c for c in certs if role_identity(c, role)]
    if not candidates:
        return None
    keys = [spki_der(k.public_key()) for f in files for k in f.keys]
    for cert in candidates:
        public = certparts.public_key(cert)  # None: a key pyca refuses matches no key file
        if public is not None and spki_der(public) in keys:
            return cert
    return candidates[0]


def read_inputs(
    inputs: Sequence[LintInput], main_role: Role | None, password: bytes | None
) -> list[FileFacts]:
    return [_read(item, main_role, password) for item in inputs]


def resolve_role(role_id: str | None, main_role: Role | None) -> tuple[str, Role | None]:
    if role_id is None:
        return (main_role.id, main_role) if main_role else ("", None)
    if role_id in PSEUDO_ROLES:
        return role_id, None
    role = get_role_or_none(role_id)
    if role is None:
        raise InputError(f"unknown role {role_id!r}; `collabcert roles` lists them")
    return role.id, role


def _read(item: LintInput, main_role: Role | None, password: bytes | None) -> FileFacts:
    role_id, role = resolve_role(item.role, main_role)
    text = _pem_text(item.data)
    facts = FileFacts(item, role_id, role, None, text, der=text is None and _binary(item.data))
    data = item.data
    bad_crls: list[str] = []
    if text is not None and "-----BEGIN X509 CRL-----" in text:
        facts.crls = _pem_crls(text, bad_crls)
        text_rest = _CRL_BLOCK.sub("", text)
        if "-----BEGIN" not in text_rest:
            facts.loaded = _crl_only(item.name, bad_crls)
            return facts
        data = text_rest.encode()
    elif facts.der and (crl := _der_crl(data, bad_crls)) is not None or bad_crls:
        facts.crls = [crl] if crl is not None else []
        facts.loaded = _crl_only(item.name, bad_crls)
        return facts
    try:
        facts.loaded = load_bytes(data, item.name, password)
    except PasswordNeeded:
        # Lint must say "this key is locked" as a finding, not stop (seed-001 KEY-ENC, AT-17).
        facts.locked = _locked_parts(item.data, text)
        rest = _without_locked(text) if text is not None else None
        if rest and "-----BEGIN" in rest:
            try:
                facts.loaded = load_bytes(rest.encode(), item.name, None)
            except InputError:
                facts.loaded = Loaded(item.name)
        else:
            facts.loaded = Loaded(item.name)
    if bad_crls and facts.loaded is not None:
        facts.loaded.findings += _crl_only(item.name, bad_crls).findings
    return facts


_CRL_BLOCK = re.compile(r"-----BEGIN X509 CRL-----.*?-----END X509 CRL-----\s*", re.DOTALL)


def _pem_crls(text: str, bad: list[str]) -> list[x509.CertificateRevocationList]:
    out = []
    for match in _CRL_BLOCK.finditer(text):
        try:
            out.append(x509.load_pem_x509_crl(match.group(0).strip().encode()))
        except ValueError:
            continue
        except x509.InvalidVersion as exc:  # a CRL still: say so, check the rest
            bad.append(f"its version is {exc.parsed_version}; a CRL is v1 or v2")
    return out


def _der_crl(data: bytes, bad: list[str]) -> x509.CertificateRevocationList | None:
    try:
        return x509.load_der_x509_crl(data)
    except ValueError:
        return None
    except x509.InvalidVersion as exc:
        bad.append(f"its version is {exc.parsed_version}; a CRL is v1 or v2")
        return None


def _crl_only(name: str, bad_crls: list[str]) -> Loaded:
    """A file of CRLs only; each CRL pyca refuses is an error finding (issue 11 item 12)."""
    loaded = Loaded(name)
    loaded.findings += [rules.get("LOAD-BLOCK").finding(
        f"{name}: a certificate revocation list could not be read: {reason}", where=name)
        for reason in bad_crls]
    return loaded


def _pem_text(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "-----BEGIN" in text:
            return text
    return None


def _binary(data: bytes) -> bool:
    return bool(data) and data[0] == 0x30


def _locked_parts(data: bytes, text: str | None) -> list[str]:
    if text is None:
        return ["PKCS#12" if b"\x06\x0b\x2a\x86\x48\x86\xf7\x0d\x01\x0c" in data[:200]
                else "encrypted DER key"]
    parts = []
    for block in pem.find_blocks(text):
        if isinstance(block, pem.PemBlock) and (block.label in _LOCKED_LABELS or block.encrypted):
            parts.append("Proc-Type: 4,ENCRYPTED" if block.encrypted else f"BEGIN {block.label}")
    return parts or ["an encrypted block"]


_LOCKED_BLOCK = re.compile(
    r"-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----.*?-----END \1-----", re.DOTALL
)


def _without_locked(text: str) -> str:
    def drop(match: re.Match[str]) -> str:
        body = match.group(0)
        return "" if ("ENCRYPTED" in body) else body

    return _LOCKED_BLOCK.sub(drop, text)


def make_context(
    inputs: Sequence[LintInput],
    *,
    role: str | None = None,
    fields: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
    options: LintOptions | None = None,
) -> Context:
    main = None
    if role:
        _, main = resolve_role(role, None)
        if main is None:
            raise InputError(f"{role!r} is not a product role; give it per file as FILE@{role}")
    opts = options or LintOptions()
    files = read_inputs(inputs, main, opts.password)
    when = now or dt.datetime.now(dt.UTC)
    return Context(files, main, {k.lower(): v for k, v in (fields or {}).items()}, when, opts)


def loader_findings(ctx: Context) -> list[Finding]:
    return [f for facts in ctx.files if facts.loaded for f in facts.loaded.findings]

