"""The versions a support ticket needs: `collabcert --version`.

collabcert's own version is written once, in pyproject.toml; an installed collabcert reads it
from its package metadata, a bare source tree (not installed) from pyproject.toml itself. The
other packages' versions come from their metadata too, so Textual is never imported for this;
only the OpenSSL that cryptography links needs cryptography itself (its metadata cannot say).
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path

_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def collabcert_version() -> str:
    try:
        return metadata.version("collabcert")
    except metadata.PackageNotFoundError:
        return _pyproject_version()


def _pyproject_version() -> str:
    import tomllib

    try:
        return tomllib.loads(_PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def openssl_version() -> str:
    """`OpenSSL 3.0.13 30 Jan 2024`: the library cryptography is linked with (its wheels bundle
    their own, which is not the `openssl` command's)."""
    try:
        from cryptography.hazmat.backends.openssl import backend
    except ImportError:
        return "unknown (cryptography is not installed)"
    return backend.openssl_version_text()


def version_lines() -> list[str]:
    return [
        f"collabcert {collabcert_version()}",
        f"Python {platform.python_version()} ({platform.python_implementation()}, "
        f"{sys.platform})",
        f"cryptography {_package_version('cryptography')}",
        f"OpenSSL {openssl_version().removeprefix('OpenSSL ')} (linked by cryptography)",
        f"Textual {_package_version('textual')}",
        f"pyOpenSSL {_package_version('pyOpenSSL')}",
    ]
