"""The lab CA job: make a CA in a folder (`ca init`), sign a CSR with it (`ca sign`).

Used by `collabcert ca` and by the wizard (the "Lab CA" task, and "Sign it with a lab CA" after
a CSR is made). Each step returns a frozen result with the files to write (PlannedFile, data
filled), the next steps and `blocked`; the faces write `files` through collabcert.files.

What `ca sign` writes, by what the products want (DESIGN.md bundle targets):

- `<name>.crt`: the certificate alone: the Expressway server certificate, the CMS `<name>.crt`,
  the CUCM `<type>` upload.
- the CA chain, issuer first, root last: the Expressway trusted CA list, the CMS
  `<name>bundle.crt` (named so for CMS roles, seed-003 §2.2), the CUCM `-trust` uploads;
  `<name>-ca-chain.crt` for the other roles.
- `<name>-fullchain.crt`: the certificate and its intermediate, no root (a TLS server sends
  what the client lacks; the `fullchain` bundle target's default).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from collabcert import ca as engine
from collabcert.bundle import pem
from collabcert.errors import InputError, WriteRefused
from collabcert.files import PlannedFile
from collabcert.keys import describe_key, private_key_pem
from collabcert.roles import Role, get_role


@dataclass(frozen=True)
class CaInitResult:
    """A CA made in memory and the files that hold it."""

    folder: Path
    ca: engine.NewCa
    files: tuple[PlannedFile, ...]
    next_steps: tuple[str, ...]
    blocked: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "folder": str(self.folder),
            "key": describe_key(self.ca.root_key),
            "files": [str(f.path) for f in self.files],
            "root": _cert_json(self.ca.root),
            "intermediate": _cert_json(self.ca.intermediate) if self.ca.intermediate else None,
            "next_steps": list(self.next_steps),
        }


def _cert_json(cert: x509.Certificate) -> dict[str, object]:
    from collabcert.chain import fingerprint
    from collabcert.dn import rfc4514

    return {"subject": rfc4514(cert.subject), "fingerprint": fingerprint(cert),
            "not_after": cert.not_valid_after_utc.isoformat()}


def init_blocked(folder: Path, *, intermediate: bool, force: bool) -> str:
    """Why `ca init` must not go on ("" when it may): checked before the slow key generation."""
    there = engine.has_ca(folder)
    if folder.exists() and not folder.is_dir():
        return f"{folder}: is a file, not a folder; give a folder for the CA"
    if there and not force:
        return (f"{folder}: already holds a lab CA ({there[0].name}); use --force to replace "
                "it, or choose another folder")
    stale = [p for p in there if p.name.startswith("intermediate.")]
    if force and stale and not intermediate:
        return (f"{folder}: holds an intermediate of the CA being replaced ({stale[0].name}); "
                "add --intermediate, or remove intermediate.crt and intermediate.key first")
    return ""


def init_ca(folder: str | Path, *, name: str | None = None, key: str | None = None,
            intermediate: bool = False, force: bool = False,
            now: dt.datetime | None = None) -> CaInitResult:
    """Make the CA (keys generated here: the slow part) and plan its files.
    InputError for a bad name or key type; `blocked` when the folder already holds a CA."""
    base = Path(folder)
    spec = engine.ca_key_spec(key)
    common_name = engine.check_ca_name(name if name is not None else engine.DEFAULT_NAME)
    blocked = init_blocked(base, intermediate=intermediate, force=force)
    if blocked:
        raise WriteRefused(blocked)
    made = engine.make_ca(common_name, spec, intermediate=intermediate, now=now)
    files = [PlannedFile(base / engine.ROOT_KEY, private_key_pem(made.root_key), private=True,
                         what="root CA key"),
             PlannedFile(base / engine.ROOT_CERT, pem([made.root]), certificates=1,
                         what="root CA certificate")]
    if made.intermediate is not None and made.intermediate_key is not None:
        files += [PlannedFile(base / engine.INTERMEDIATE_KEY,
                              private_key_pem(made.intermediate_key), private=True,
                              what="intermediate CA key"),
                  PlannedFile(base / engine.INTERMEDIATE_CERT, pem([made.intermediate]),
                              certificates=1, what="intermediate CA certificate")]
    files.append(PlannedFile(base / engine.CA_CHAIN, pem(made.chain),
                             certificates=len(made.chain), what="CA chain, root last"))
    steps = (
        f"Sign a CSR: collabcert ca sign FILE.csr --ca {base} --role ROLE.",
        f"Keep {base / engine.ROOT_KEY} private: whoever holds it can issue certificates "
        "every box that trusts this root accepts.",
        f"Upload {base / engine.ROOT_CERT} (and the intermediate) to the products' trust "
        "stores; it is a lab CA: never trust it in production.",
    )
    return CaInitResult(base, made, tuple(files), steps)


def write_ca(result: CaInitResult, *, force: bool = False) -> list[Path]:
    """Write the CA's files (the folder is made first, owner only: it holds keys)."""
    from collabcert.files import write_plan

    make_folder(result.folder)
    return write_plan(list(result.files), force=force)


def make_folder(folder: Path) -> None:
    """mkdir -p; a new CA folder is 0700 (it holds the CA keys). Not a file write: no data."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteRefused(f"{folder}: the folder cannot be made ({exc.strerror}); choose "
                           "another") from exc


# --- signing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignRequest:
    """What to sign with what: the CSR (already read) and where it came from."""

    csr: x509.CertificateSigningRequest
    source: str  # the CSR file as the person named it
    ca_folder: Path
    role: str | None = None
    days: int = engine.DEFAULT_DAYS
    out_dir: Path | None = None  # None: next to the CSR (the current folder for stdin)
    basename: str | None = None  # None: the CSR file's name less its suffix


@dataclass(frozen=True)
class SignResult:
    request: SignRequest
    role: Role | None
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]  # the CA chain, issuer first, root last
    files: tuple[PlannedFile, ...]  # certificate, CA chain, fullchain
    notes: tuple[str, ...]
    next_steps: tuple[str, ...]
    key_usage: tuple[str, ...] = ()  # the catalogue's names: digital_signature ...
    eku: tuple[str, ...] = ()  # serverAuth, clientAuth, ipsecEndSystem
    blocked: str = ""
    clamped: bool = field(default=False)

    @property
    def certificate_file(self) -> Path:
        return self.files[0].path

    @property
    def chain_file(self) -> Path:
        return self.files[1].path

    @property
    def fullchain_file(self) -> Path:
        return self.files[2].path

    @property
    def sans(self) -> list[str]:
        from collabcert.model import general_names

        try:  # the certificate's own: by construction the CSR's, every one, in order
            found = self.certificate.extensions.get_extension_for_class(
                x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound:
            return []
        return [f"{kind}:{value}" for kind, value in general_names(found)]

    def to_json(self) -> dict[str, object]:
        from collabcert.chain import fingerprint
        from collabcert.dn import rfc4514

        return {
            "role": self.role.id if self.role else None,
            "files": [str(f.path) for f in self.files],
            "certificate_file": str(self.certificate_file),
            "chain_file": str(self.chain_file),
            "fullchain_file": str(self.fullchain_file),
            "fingerprint": fingerprint(self.certificate),
            "subject": rfc4514(self.certificate.subject),
            "issuer": rfc4514(self.certificate.issuer),
            "serial": format(self.certificate.serial_number, "x"),
            "sans": self.sans,
            "key_usage": list(self.key_usage),
            "eku": list(self.eku),
            "not_before": self.certificate.not_valid_before_utc.isoformat(),
            "not_after": self.certificate.not_valid_after_utc.isoformat(),
            "chain": [fingerprint(c) for c in self.chain],
            "notes": list(self.notes),
            "next_steps": list(self.next_steps),
        }


def role_of(role_id: str | None) -> Role | None:
    return get_role(role_id) if role_id else None


def sign_csr(request: SignRequest, *, ca: engine.LabCa | None = None,
             now: dt.datetime | None = None) -> SignResult:
    """Check the CSR against the role and sign it; InputError (one sentence) for a CSR that
    cannot be honoured, nothing trimmed. Nothing is written here. `ca`: a CA made but not yet
    written (the wizard writes a new CA and the certificate together); else the folder's."""
    now = now or dt.datetime.now(dt.UTC)
    role = role_of(request.role)
    days = engine.check_days(request.days)
    ca = ca or engine.load_ca(request.ca_folder)
    source = request.source
    engine.check_csr(request.csr, source, role)
    spec = engine.csr_key_spec(request.csr, role, source)
    engine.check_sans(request.csr, role, source)
    wanted = now + dt.timedelta(days=days)
    not_after = engine.leaf_not_after(ca, days, now)
    if not_after <= now:
        raise InputError(f"{ca.folder}: the CA expired on {ca.issuer.not_valid_after_utc:%Y-%m-%d}"
                         "; make a new one with collabcert ca init --force")
    cert = engine.issue(ca, request.csr, spec, role, not_after, now)
    notes = _notes(role, ca, wanted, not_after)
    files = _planned(request, role, cert, ca.chain)
    ku, eku = engine.usages_for(role, spec)
    return SignResult(request, role, cert, ca.chain, tuple(files), tuple(notes),
                      tuple(_next_steps(role, files)), ku, eku, clamped=not_after < wanted)


# Why the cap at 2049: Expressway's own document warns of later dates (seed-001 CRT-2050); the
# other products' documents say nothing, so for them it is said as the UTCTime limit.
_2050_WHY = {"expressway": " (seed-001 CRT-2050)"}
_UTCTIME = " (the last year UTCTime holds, RFC 5280 4.1.2.5)"


def _product(role: Role | None) -> str:
    return role.product if role else ""


def _notes(role: Role | None, ca: engine.LabCa, wanted: dt.datetime,
           not_after: dt.datetime) -> list[str]:
    notes = []
    if role is None:
        notes.append("No role given: a plain TLS certificate (serverAuth and clientAuth); give "
                     "--role for a product's key usage and checks.")
    if not_after < wanted:
        why = (f"2049-12-31, the last day before 2050{_2050_WHY.get(_product(role), _UTCTIME)}"
               if not_after == engine.LAST_MOMENT else "the issuing CA's own end")
        notes.append(f"Valid until {not_after:%Y-%m-%d}, not {wanted:%Y-%m-%d}: capped at {why}.")
    if not ca.has_intermediate:
        notes.append("Signed by the root itself (the CA has no intermediate).")
    return notes


def basename_of(request: SignRequest, role: Role | None = None) -> str:
    """The files' basename: as given (checked), else the CSR file's name less its suffix,
    else (standard input, pasted text) the CSR's CN made safe for a file name."""
    if request.basename:
        return check_basename(request.basename, role)
    source = Path(request.source)
    if request.source != "-" and source.is_file():
        return source.name.rsplit(".", 1)[0] or "certificate"
    from collabcert.dn import cn

    return re.sub(r"[^A-Za-z0-9_-]+", "-", cn(request.csr)).strip("-") or "certificate"


def check_basename(name: str, role: Role | None) -> str:
    from collabcert.bundle import check_cms_basename

    if role is not None and role.product == "cms":
        return check_cms_basename(name)  # seed-003 G1, G2, G16
    if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", name):
        raise InputError(f"--name {name!r}: use letters, digits, '.', '-' and '_' only (a "
                         "basename, not a path)")
    return name


def out_dir_of(request: SignRequest) -> Path:
    if request.out_dir is not None:
        return request.out_dir
    return Path(request.source).parent if request.source != "-" else Path(".")


def _planned(request: SignRequest, role: Role | None, cert: x509.Certificate,
             chain: tuple[x509.Certificate, ...]) -> list[PlannedFile]:
    folder, base = out_dir_of(request), basename_of(request, role)
    chain_name = f"{base}bundle.crt" if role and role.product == "cms" else f"{base}-ca-chain.crt"
    full = (cert, *chain[:-1])  # no root: the client has it, or must not get it from us
    return [
        PlannedFile(folder / f"{base}.crt", pem([cert]), certificates=1, what="certificate"),
        PlannedFile(folder / chain_name, pem(chain), certificates=len(chain),
                    what="CA chain, root last"),
        PlannedFile(folder / f"{base}-fullchain.crt", pem(full), certificates=len(full),
                    what="certificate + intermediate"),
    ]


def _next_steps(role: Role | None, files: list[PlannedFile]) -> list[str]:
    cert, chain = files[0].path, files[1].path
    steps = [f"Check it: collabcert lint {cert} {chain}"
             + (f" --role {role.id}" if role else "") + "."]
    product = role.product if role else ""
    if product == "expressway":
        steps.append(f"Expressway: append {chain} under Maintenance > Security > Trusted CA "
                     f"certificate first, then upload {cert} with its key as the server "
                     "certificate (seed-001 L867).")
    elif product == "cms":
        steps.append(f"Meeting Server: SFTP the key, {cert} and {chain} to the MMP and use "
                     "them in the service's certs command (seed-003 §2.2).")
    elif product in ("cucm", "imp"):
        kind = role.cucm_type if role else "tomcat"
        steps.append(f"CUCM: split the chain for upload: collabcert bundle {cert} {chain} "
                     f"--target cucm --type {kind} (root and intermediate to "
                     f"{kind}-trust first, seed-004 AT02).")
    else:
        steps.append(f"Trust {chain} where the certificate is checked; serve "
                     f"{files[2].path} with the key.")
    return steps

