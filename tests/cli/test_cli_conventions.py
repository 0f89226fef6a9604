"""What CLI users expect (issue 15 items 5-7): `--version`, `completion`, `csr --answers` without
ROLE, `--out DIR` made as `mkdir -p` would, `match --json`. Real `python -m collabcert` runs."""

from __future__ import annotations

import platform
from importlib import metadata

from cryptography.hazmat.backends.openssl import backend
from pki import run_cli


def test_version_prints_what_a_support_ticket_needs() -> None:
    done = run_cli("--version", text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "collabcert", "Python", "cryptography", "OpenSSL", "Textual", "pyOpenSSL"]
    assert lines[0] == f"collabcert {metadata.version('collabcert')}"
    assert lines[1].startswith(f"Python {platform.python_version()} ")
    assert lines[2] == f"cryptography {metadata.version('cryptography')}"
    # the library cryptography links, not the `openssl` command's
    assert lines[3].startswith(backend.openssl_version_text())
    assert lines[4] == f"Textual {metadata.version('textual')}"
    assert lines[5] == f"pyOpenSSL {metadata.version('pyOpenSSL')}"


def test_the_version_is_written_once_in_pyproject() -> None:
    import tomllib
    from pathlib import Path

    import collabcert
    from collabcert import version

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml")
                            .read_text(encoding="utf-8"))["project"]["version"]
    assert collabcert.__version__ == project == version._pyproject_version()
    source = (Path(collabcert.__file__).read_text(encoding="utf-8"))
    assert project not in source  # not written a second time in the package
