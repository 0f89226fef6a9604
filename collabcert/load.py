"""Read anything: bytes or pasted text in, the certificates, CSRs and keys inside out.

Accepts PEM with junk around or between blocks (CRLF, BOM, UTF-16 text, trailing Ctrl-Z, legacy
labels), DER certificates / CSRs / keys, PKCS#7 as PEM, DER or BER, PKCS#12 with or without a
password, and keys as PKCS#1, SEC1, PKCS#8, encrypted PKCS#8 and legacy `Proc-Type: 4,ENCRYPTED`.
A block that cannot be read becomes a finding naming the source and the block; the rest is still
read. Only collabcert errors leave this module.
"""

from __future__ import annotations

import base64
import binascii
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from collabcert import der, rules
from collabcert.errors import InputError, PasswordNeeded
from collabcert.findings import Finding, Severity
from collabcert.rules import Rule

# what the reader cannot read becomes one of these findings (collabcert/rules/reading.py)
LOAD_TEXT = rules.get("LOAD-TEXT")
LOAD_PEM = rules.get("LOAD-PEM")
LOAD_BLOCK = rules.get("LOAD-BLOCK")
LOAD_SKIPPED = rules.get("LOAD-SKIPPED")
LOAD_BINARY = rules.get("LOAD-BINARY")
LOAD_TRAILING = rules.get("LOAD-TRAILING")
CRT_PART_UNREADABLE = rules.get("CRT-PART-UNREADABLE")
CRT_NOT_STRICT = rules.get("CRT-NOT-STRICT")

MAX_INPUT_BYTES = 32 * 1024 * 1024  # no certificate file is this large; refuse before reading
STDIN = "-"  # the name that means standard input, on the command line (DESIGN.md)
STDIN_SOURCE = "standard input"


class ItemKind(StrEnum):
    CERTIFICATE = "certificate"
    CSR = "csr"
    PRIVATE_KEY = "private_key"
    PUBLIC_KEY = "public_key"


@dataclass(frozen=True)
class Item:
    """One object found in the input."""

    kind: ItemKind
    obj: Any  # x509.Certificate, x509.CertificateSigningRequest or a pyca key
    encoding: str  # "PEM", "DER", "PKCS#7 PEM", "PKCS#7 DER", "PKCS#7 BER", "PKCS#12"
    source: str
    index: int  # 1-based block number (PEM block, or position inside a container)
    form: str = ""  # key form ("PKCS#8", "PKCS#1", "SEC1", ...), empty for certificates
    encrypted: bool = False  # it was locked with a password in the input
    label: str = ""  # PKCS#12 friendly name, when there is one


@dataclass
class Loaded:
    """What one source held."""

    source: str
    items: list[Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    text_encoding: str = ""  # "UTF-16", "UTF-8 with BOM" ...: said once, as an info
    path: Path | None = None  # the file it came from; None for pasted text or standard input

    def _of(self, kind: ItemKind) -> list[Any]:
        return [i.obj for i in self.items if i.kind is kind]

    @property
    def certificates(self) -> list[x509.Certificate]:
        return self._of(ItemKind.CERTIFICATE)

    @property
    def csrs(self) -> list[x509.CertificateSigningRequest]:
        return self._of(ItemKind.CSR)

    @property
    def keys(self) -> list[Any]:
        return self._of(ItemKind.PRIVATE_KEY)


class _Unreadable(ValueError):
    """Internal: our own plain reason why a block cannot be used."""


class _Locked(Exception):
    """Internal: a block is encrypted and the password is missing or wrong."""

    def __init__(self, what: str, wrong: bool) -> None:
        super().__init__(what)
        self.what = what
        self.wrong = wrong


# ---------------------------------------------------------------------------------------------
# Entry points


def read_input(
    name: str | Path, password: bytes | None = None, *, stdin: BinaryIO | None = None
) -> Loaded:
    """The one reader of a user's file, for the CLI, the wizard and the checks alike.

    `name` is a path, or the text `-` for standard input (`stdin`, default sys.stdin's bytes; a
    Path named "-" is a file of that name). Size limit,
    missing path, folder, empty file: an InputError of one sentence naming the file; a locked
    file without the right password: PasswordNeeded (the face decides whether to ask).
    """
    if isinstance(name, str) and name == STDIN:
        return load_bytes(read_stdin(stdin), STDIN_SOURCE, password)
    return load_path(name, password)


def read_input_bytes(name: str | Path, *, stdin: BinaryIO | None = None) -> bytes:
    """The raw bytes of a user's file (path or `-`), with read_input's limits and sentences."""
    return read_stdin(stdin) if isinstance(name, str) and name == STDIN else read_file(name)


def read_stdin(stdin: BinaryIO | None = None) -> bytes:
    """Standard input, at most MAX_INPUT_BYTES (one byte more tells that it is too large)."""
    stream = stdin if stdin is not None else sys.stdin.buffer
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{STDIN_SOURCE}: is far larger than any certificate file")
    return data


def load_path(path: str | Path, password: bytes | None = None) -> Loaded:
    """Read a file; a missing path, a folder, an empty or oversized file is an InputError."""
    p = Path(path)
    loaded = load_bytes(read_file(p), str(p), password)
    loaded.path = p
    return loaded


def read_file(path: str | Path) -> bytes:
    """A file's bytes for any reader (lint takes them raw); one sentence when it cannot be had."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a file; name the certificate file inside it")
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{p}: is {size // (1024 * 1024)} MB, far larger than any certificate file; "
                "check that this is the right file"
            )
        return p.read_bytes()
    except PermissionError as exc:
        raise InputError(f"{p}: cannot be read (permission denied)") from exc
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror})") from exc


def load_text(text: str, source: str = "pasted text", password: bytes | None = None) -> Loaded:
    return load_bytes(text.encode("utf-8"), source, password)


def load_bytes(data: bytes, source: str = "-", password: bytes | None = None) -> Loaded:
    """Everything inside `data`. Raises InputError when nothing at all could be read in it, and
    PasswordNeeded when something is locked and `password` is missing or wrong."""
    if not data.strip(b" \t\r\n\x00\x1a"):
        raise InputError(f"{source}: is empty; expected a certificate, CSR, key, PKCS#7 or PKCS#12")
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{source}: is far larger than any certificate file")
    if password is not None and b"\x00" in password:
        # pyca panics (a BaseException) on a NUL in a PKCS#12 password: refuse it here.
        raise InputError("the password contains a NUL byte; check the password file")
    loaded = Loaded(source)
    text, text_encoding = _as_text(data)
    if text is not None and "-----BEGIN" in text:
        loaded.text_encoding = text_encoding
        _read_pem_text(text, loaded, password)
    elif text is not None and _looks_like_bare_base64(text):
        _read_binary(base64.b64decode(_compact(text)), loaded, password, "base64")
    elif text is not None and _mostly_text(text):
        loaded.findings.append(_error(
            LOAD_TEXT, f"{source}: is text with no -----BEGIN block in it, so no certificate, "
            "CSR or key", loaded))
    else:
        _read_binary(data, loaded, password, "")
    if text_encoding and loaded.items:
        note = f"{source}: the text was {text_encoding}"
        loaded.findings.append(_info(LOAD_TEXT, note, source))
    if not loaded.items:
        raise InputError(_nothing_found(loaded))
    return loaded


def _nothing_found(loaded: Loaded) -> str:
    errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
    if len(errors) == 1:
        return errors[0].message  # already names the source and says why
    reasons = "; ".join(f.message.split(": ", 1)[-1] for f in loaded.findings[:3])
    detail = f" ({reasons})" if reasons else ""
    return (
        f"{loaded.source}: no certificate, CSR or key could be read{detail}; "
        "expected PEM, DER, PKCS#7 or PKCS#12"
    )


# ---------------------------------------------------------------------------------------------
# Text


def _as_text(data: bytes) -> tuple[str | None, str]:
    """Decode text the way Windows and mail clients write it; None when it is binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "UTF-8 with a byte order mark"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "UTF-16"
    # Without a BOM: the BEGIN line spelled with NULs between letters. A big-endian text also
    # contains the little-endian spelling one byte in, so test big-endian first.
    if "-----BEGIN".encode("utf-16-be") in data[:4096] and data[:1] == b"\x00":
        return data.decode("utf-16-be", "replace"), "UTF-16"
    if "-----BEGIN".encode("utf-16-le") in data[:4096]:
        return data.decode("utf-16-le", "replace"), "UTF-16"
    if b"-----BEGIN" in data:
        return data.decode("utf-8", "replace").rstrip("\x1a"), ""
    if data[:1] == b"\x30":  # a DER SEQUENCE: binary
        return None, ""
    try:
        return data.decode("ascii"), ""
    except UnicodeDecodeError:
        return None, ""


def _mostly_text(text: str) -> bool:
    printable = sum(1 for ch in text[:4096] if ch.isprintable() or ch in "\r\n\t")
    return printable >= 0.95 * min(len(text), 4096)


_BASE64_ONLY = re.compile(r"[A-Za-z0-9+/=\s]+")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _looks_like_bare_base64(text: str) -> bool:
    """A PEM body pasted without its BEGIN/END lines (common when copied from a web page)."""
    body = _compact(text.rstrip("\x1a"))
    if len(body) < 64 or not _BASE64_ONLY.fullmatch(text.rstrip("\x1a")):
        return False
    try:
        return base64.b64decode(body, validate=True)[:1] == b"\x30"
    except (binascii.Error, ValueError):
        return False


def _read_pem_text(text: str, loaded: Loaded, password: bytes | None) -> None:
    from collabcert.pem import BadBlock, iter_blocks

    any_block = False
    for block in iter_blocks(text):
        any_block = True
        where = f"{loaded.source}, block {block.index} ({block.label})"
        if isinstance(block, BadBlock):
            loaded.findings.append(_error(LOAD_BLOCK, f"{where}: {block.reason}", loaded))
            continue
        _read_block(block, where, loaded, password)
    if not any_block:
        loaded.findings.append(
            _error(LOAD_PEM, f"{loaded.source}: a BEGIN line has no matching END line", loaded)
        )


def _read_block(block: Any, where: str, loaded: Loaded, password: bytes | None) -> None:
    reader = _PEM_READERS.get(block.label)
    if reader is None:
        loaded.findings.append(_skipped_label(block.label, where, loaded))
        return
    try:
        reader(block, loaded, password)
    except _Locked as locked:
        _raise_locked(locked, where)
    except (KeyboardInterrupt, SystemExit):
        raise
    except _Unreadable as exc:
        loaded.findings.append(_error(LOAD_BLOCK, f"{where}: {exc}", loaded))
    except BaseException as exc:  # noqa: BLE001 - pyca can panic (BaseException) on odd input
        loaded.findings.append(
            _error(LOAD_BLOCK, f"{where}: could not be read ({_reason(exc)})", loaded)
        )


def _skipped_label(label: str, where: str, loaded: Loaded) -> Finding:
    if "CRL" in label:
        what = "is a certificate revocation list, not a certificate; skipped"
    elif label in {"EC PARAMETERS", "DH PARAMETERS"}:
        what = "holds only key parameters, not a key; skipped"
    else:
        what = f"'{label}' is not a certificate, CSR or key; skipped"
    return _info(LOAD_SKIPPED, f"{where}: {what}", loaded.source)


def _pem_certificate(block: Any, loaded: Loaded, _password: bytes | None) -> None:
    body = block.body
    if block.label == "TRUSTED CERTIFICATE":
        body = der.first_element(body)  # OpenSSL appends trust settings after the certificate
    try:
        cert = x509.load_der_x509_certificate(body)
    except ValueError as exc:
        refusal = _certificate_refusal(body, exc)
        if refusal:
            raise _Unreadable(refusal) from exc
        raise
    _add(loaded, ItemKind.CERTIFICATE, cert, "PEM", block.index)


def _pem_csr(block: Any, loaded: Loaded, _password: bytes | None) -> None:
    csr = x509.load_der_x509_csr(block.body)
    _add(loaded, ItemKind.CSR, csr, "PEM", block.index)


_KEY_FORMS = {
    "PRIVATE KEY": "PKCS#8",
    "ENCRYPTED PRIVATE KEY": "encrypted PKCS#8",
    "RSA PRIVATE KEY": "PKCS#1",
    "EC PRIVATE KEY": "SEC1",
    "DSA PRIVATE KEY": "DSA",
    "OPENSSH PRIVATE KEY": "OpenSSH",
}


def _pem_private_key(block: Any, loaded: Loaded, password: bytes | None) -> None:
    form = _KEY_FORMS[block.label]
    encrypted = block.label == "ENCRYPTED PRIVATE KEY" or block.encrypted
    if block.encrypted:
        form = f"legacy encrypted {form}"
    data = block.text().encode("ascii")
    if block.label == "OPENSSH PRIVATE KEY":
        key = _unlock(lambda pw: serialization.load_ssh_private_key(data, pw), password, form)
        encrypted = encrypted or password is not None
    else:
        key = _unlock(lambda pw: serialization.load_pem_private_key(data, pw), password, form)
    _add(loaded, ItemKind.PRIVATE_KEY, key, "PEM", block.index, form=form, encrypted=encrypted)


def _pem_public_key(block: Any, loaded: Loaded, _password: bytes | None) -> None:
    if block.label == "RSA PUBLIC KEY":
        key = serialization.load_pem_public_key(block.text().encode("ascii"))
    else:
        key = serialization.load_der_public_key(block.body)
    _add(loaded, ItemKind.PUBLIC_KEY, key, "PEM", block.index, form=block.label.title())


def _pem_pkcs7(block: Any, loaded: Loaded, _password: bytes | None) -> None:
    _read_pkcs7(block.body, loaded, "PKCS#7 PEM", block.index)


_PEM_READERS: dict[str, Callable[[Any, Loaded, bytes | None], None]] = {
    "CERTIFICATE": _pem_certificate,
    "X509 CERTIFICATE": _pem_certificate,
    "TRUSTED CERTIFICATE": _pem_certificate,
    "CERTIFICATE REQUEST": _pem_csr,
    "NEW CERTIFICATE REQUEST": _pem_csr,
    "PUBLIC KEY": _pem_public_key,
    "RSA PUBLIC KEY": _pem_public_key,
    "PKCS7": _pem_pkcs7,
    "PKCS #7 SIGNED DATA": _pem_pkcs7,
    "CMS": _pem_pkcs7,
    **{label: _pem_private_key for label in _KEY_FORMS},
}


# ---------------------------------------------------------------------------------------------
# Binary


def _read_binary(data: bytes, loaded: Loaded, password: bytes | None, wrapper: str) -> None:
    """A DER or BER file: sniff the structure, then try the readers that fit it."""
    encoding = "base64 DER" if wrapper else "DER"
    outer = der.read_tlv(data)
    if outer is not None and outer.end is not None and outer.end > len(data):
        # cut short: said before any reader runs, so a truncated PKCS#12 is never "encrypted"
        cut = der.describe(data)
        loaded.findings.append(_error(LOAD_BINARY, f"{loaded.source}: {cut}", loaded))
        return
    if outer is not None and outer.end is not None and outer.end < len(data):
        if _read_der_run(data, loaded, password, wrapper):
            return
    shape = der.sniff(data)
    try:
        if shape is der.Shape.PKCS12:
            _read_pkcs12(data, loaded, password)
            return
        if shape is der.Shape.PKCS7:
            _read_pkcs7(data, loaded, _pkcs7_encoding(data, wrapper), 1)
            return
        if _der_public(data, loaded, encoding):
            return
        if _der_private_key(data, loaded, password, encoding):
            return
    except _Locked as locked:
        _raise_locked(locked, loaded.source)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - pyca can panic (BaseException) on odd input
        loaded.findings.append(_error(LOAD_BINARY, f"{loaded.source}: {_reason(exc)}", loaded))
        return
    if _der_crl(data):
        loaded.findings.append(_info(LOAD_SKIPPED, f"{loaded.source}: is a certificate revocation "
                                     "list (DER), not a certificate; skipped", loaded.source))
        return
    refusal = _certificate_refusal(data)
    if refusal:
        loaded.findings.append(_error(LOAD_BINARY, f"{loaded.source}: {refusal}", loaded))
        return
    loaded.findings.append(_error(LOAD_BINARY, f"{loaded.source}: {der.describe(data)}", loaded))


_TRAILING = b"\r\n\x00 \t\x1a"  # what .cer files often end with; OpenSSL ignores it


def _read_der_run(data: bytes, loaded: Loaded, password: bytes | None, wrapper: str) -> bool:
    """DER followed by a newline or NULs, or DER certificates one after another (a store of
    roots in one .der): read as OpenSSL reads them (issue 11 item 13). False: not that shape."""
    elements, rest = der.split_elements(data)
    if not elements or rest.strip(_TRAILING):
        return False
    if len(elements) == 1:
        _read_binary(elements[0], loaded, password, wrapper)
        if loaded.items:
            loaded.findings.append(_info(LOAD_TRAILING, f"{loaded.source}: {len(rest)} "
                                         "trailing bytes after the DER ignored", loaded.source))
        return True
    for position, element in enumerate(elements, start=1):
        try:
            cert = x509.load_der_x509_certificate(element)
        except ValueError as exc:
            reason = _certificate_refusal(element, exc) or "it is not a certificate"
            loaded.findings.append(_error(
                LOAD_BINARY, f"{loaded.source}, DER element {position}: {reason}", loaded))
            continue
        _add(loaded, ItemKind.CERTIFICATE, cert, "base64 DER" if wrapper else "DER", position)
    if loaded.items and rest:
        loaded.findings.append(_info(LOAD_TRAILING, f"{loaded.source}: {len(rest)} trailing "
                                     "bytes after the DER ignored", loaded.source))
    return bool(loaded.items) or len(elements) > 1


def _der_crl(data: bytes) -> bool:
    try:
        x509.load_der_x509_crl(data)
    except (ValueError, TypeError):
        return False
    except Exception:  # noqa: BLE001 - x509.InvalidVersion: a CRL still, of a bad version
        return True
    return True


def _certificate_refusal(data: bytes, exc: BaseException | None = None) -> str:
    """Why a DER that has the shape of a certificate cannot be read, in one plain sentence
    ("" when it does not look like a certificate)."""
    from collabcert import certparts

    outer = der.read_tlv(data)
    if outer is None or outer.end != len(data) or not der.looks_like_certificate(data):
        return ""  # bytes after it, or not a certificate's shape: der.describe says why
    if exc is None:
        try:
            x509.load_der_x509_certificate(data)
            return ""
        except ValueError as error:
            exc = error
    if certparts.utc_time_without_seconds(data):
        return ("is a certificate collabcert cannot read: its validity time has no seconds; "
                "OpenSSL accepts this, collabcert cannot")
    return f"is a certificate collabcert cannot read: {certparts.plain_reason(exc)}"


def _pkcs7_encoding(data: bytes, wrapper: str) -> str:
    kind = "BER" if der.has_indefinite_length(data) else "DER"
    return f"PKCS#7 {kind}" + (" (base64)" if wrapper else "")


def _quietly(func: Callable[[], Any]) -> Any:
    """Call a pyca parser that may fall back to BER with a UserWarning: we say BER ourselves."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func()


def _der_public(data: bytes, loaded: Loaded, encoding: str) -> bool:
    """A DER certificate or CSR; False when it is neither."""
    for kind, parse in ((ItemKind.CERTIFICATE, x509.load_der_x509_certificate),
                        (ItemKind.CSR, x509.load_der_x509_csr)):
        try:
            obj = parse(data)
        except ValueError:
            continue
        _add(loaded, kind, obj, encoding, 1)
        return True
    return False


def _der_private_key(data: bytes, loaded: Loaded, password: bytes | None, encoding: str) -> bool:
    encrypted = der.is_encrypted_pkcs8(data)
    try:
        key = _unlock(
            lambda pw: serialization.load_der_private_key(data, pw),
            password,
            "encrypted PKCS#8" if encrypted else "key",
        )
    except ValueError:
        return False
    form = "encrypted PKCS#8" if encrypted else der.key_form(data)
    _add(loaded, ItemKind.PRIVATE_KEY, key, encoding, 1, form=form, encrypted=encrypted)
    return True


def _read_pkcs7(body: bytes, loaded: Loaded, encoding: str, index: int) -> None:
    from cryptography.exceptions import UnsupportedAlgorithm

    if encoding.startswith("PKCS#7 PEM") and der.has_indefinite_length(body):
        encoding = "PKCS#7 PEM (BER inside)"
    try:
        certs = _quietly(lambda: pkcs7.load_der_pkcs7_certificates(body))
    except UnsupportedAlgorithm as exc:
        raise _Unreadable(
            "it is a PKCS#7 of a kind that carries no certificates (enveloped or signed data); "
            "ask for a certificates-only .p7b"
        ) from exc
    if not certs:
        raise _Unreadable("the PKCS#7 holds no certificates")
    for position, cert in enumerate(certs, start=1):
        _add(loaded, ItemKind.CERTIFICATE, cert, encoding, index if index > 1 else position)


def _read_pkcs12(data: bytes, loaded: Loaded, password: bytes | None) -> None:
    bundle = _unlock(
        lambda pw: _quietly(lambda: pkcs12.load_pkcs12(data, pw)), password, "PKCS#12", pkcs12=True
    )
    encrypted = password not in (None, b"")
    position = 1
    if bundle.key is not None:
        _add(loaded, ItemKind.PRIVATE_KEY, bundle.key, "PKCS#12", position, form="PKCS#12",
             encrypted=encrypted)
        position += 1
    certs = ([bundle.cert] if bundle.cert else []) + list(bundle.additional_certs)
    for entry in certs:
        label = entry.friendly_name.decode("utf-8", "replace") if entry.friendly_name else ""
        _add(loaded, ItemKind.CERTIFICATE, entry.certificate, "PKCS#12", position, label=label)
        position += 1
    if position == 1:
        raise _Unreadable("the PKCS#12 holds neither a key nor a certificate")


def _unlock(
    parse: Callable[[bytes | None], Any], password: bytes | None, what: str, pkcs12: bool = False
) -> Any:
    """Run a parser with the password, turning pyca's password errors into _Locked."""
    try:
        return parse(password)
    except TypeError as exc:  # "Password was not given but private key is encrypted"
        if password is None:
            raise _Locked(what, wrong=False) from exc
        if "not encrypted" in str(exc):
            return parse(None)  # a password file was given for an unlocked key: fine
        raise
    except ValueError as exc:
        message = str(exc).lower()
        if pkcs12:
            if password is None:
                try:
                    return parse(b"")  # some tools lock with an empty password
                except (TypeError, ValueError):
                    raise _Locked(what, wrong=False) from exc
            if "password" in message or "mac" in message:
                try:
                    return parse(None)  # a password file for an unlocked PKCS#12: fine
                except (TypeError, ValueError):
                    raise _Locked(what, wrong=True) from exc
        elif password is not None and ("decrypt" in message or "password" in message):
            raise _Locked(what, wrong=True) from exc
        raise


def _raise_locked(locked: _Locked, where: str) -> None:
    if locked.wrong:
        raise PasswordNeeded(f"{where}: the password does not open this {locked.what}", wrong=True)
    raise PasswordNeeded(
        f"{where}: is encrypted ({locked.what}); its password is needed"
    )


# ---------------------------------------------------------------------------------------------
# Small helpers


def _add(loaded: Loaded, kind: ItemKind, obj: Any, encoding: str, index: int, **extra: Any) -> None:
    loaded.items.append(Item(kind, obj, encoding, loaded.source, index, **extra))
    if kind is ItemKind.CERTIFICATE:
        _name_strange_parts(loaded, obj, index)


def _name_strange_parts(loaded: Loaded, cert: x509.Certificate, index: int) -> None:
    """Each part pyca refuses is said once, here, for every verb (issue 11 item 12)."""
    from collabcert import certparts, dn

    parts = certparts.parts(cert)
    if not parts.problems and not parts.notes:
        return
    name = (dn.common_name(parts.subject) if parts.subject is not None else "") or f"#{index}"
    where = f"{loaded.source}, certificate {name}"
    for problem in parts.problems:
        loaded.findings.append(CRT_PART_UNREADABLE.finding(
            f"{where}: {problem.sentence}", where=loaded.source))
    for note in parts.notes:
        loaded.findings.append(CRT_NOT_STRICT.finding(f"{where}: {note}", where=loaded.source))


def _reason(exc: BaseException) -> str:
    """pyca's refusal in plain words (collabcert/certparts.py), never its debug text."""
    if isinstance(exc, _Unreadable):
        return str(exc)
    from collabcert import certparts

    return certparts.plain_reason(exc)


def _error(rule: Rule, message: str, loaded: Loaded) -> Finding:
    return rule.finding(message, where=loaded.source, severity=Severity.ERROR)


def _info(rule: Rule, message: str, source: str) -> Finding:
    # LOAD-TEXT is an error when no block was found, a note when the text was only re-encoded
    return rule.finding(message, where=source, severity=Severity.INFO)
