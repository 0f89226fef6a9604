"""The system's trust store (`--trust-system`), read as files: the CA file OpenSSL was built
with (ssl.get_default_verify_paths), or the PEM files of its CA folder. No certifi: the point is
what this machine trusts."""

from __future__ import annotations

import ssl
from pathlib import Path

from cryptography import x509

from collabcert.errors import InputError

MAX_FILES = 2000  # a hashed CA folder holds a few hundred


def system_certificates() -> list[x509.Certificate]:
    """Every certificate of the system store; InputError (one sentence) when there is none."""
    paths = ssl.get_default_verify_paths()
    for name in (paths.cafile, paths.openssl_cafile):
        if name and Path(name).is_file():
            certs = _read(Path(name))
            if certs:
                return certs
    for name in (paths.capath, paths.openssl_capath):
        if name and Path(name).is_dir():
            certs = [c for p in sorted(Path(name).iterdir())[:MAX_FILES] if p.is_file()
                     for c in _read(p)]
            if certs:
                return certs
    raise InputError("no system trust store was found (OpenSSL looks in "
                     f"{paths.openssl_cafile} and {paths.openssl_capath}); give the CA "
                     "certificates with --trust FILE")


def _read(path: Path) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError:
        return []
