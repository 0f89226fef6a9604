"""Issue 11 item 8: what used to be a traceback or a hang is one `collabcert: error:` line.

Every case runs the CLI in a real process and checks the same four things: exit 2, exactly one
error line on stderr, no traceback, and nothing written (the folder lists the same after).
Reads of user files are bounded (collabcert.load.read_limited: 32 MiB for inputs, 64 KiB for
password files, 1 MiB for answers files); an output that is not a regular file (a FIFO, a
device, a symlink to one) is refused before anything is opened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from pki import DAY, NOW, issue, run_cli

LONG = "n" * 300  # one path part over the 255 bytes a file name may have


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = issue("Example Root CA", ca=True)
    leaf = issue("expc.example.com", issuer=root, sans=["expc.example.com"])
    (tmp_path / "leaf.pem").write_bytes(leaf.pem)
    (tmp_path / "root.pem").write_bytes(root.pem)
    (tmp_path / "out").mkdir()
    return tmp_path


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def one_error(done: subprocess.CompletedProcess, *wanted: str) -> str:
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, (done.returncode, err)
    assert "Traceback" not in err + done.stdout.decode("utf-8", "replace"), err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("collabcert: error: "), lines
    for piece in wanted:
        assert piece in lines[0], lines[0]
    return lines[0]


def unchanged(folder: Path, *argv: str, wanted: tuple[str, ...] = ()) -> str:
    before = listing(folder)
    line = one_error(run_cli(*argv, cwd=folder, timeout=60), *wanted)
    assert listing(folder) == before
    return line


@pytest.mark.parametrize("argv", [
    ["convert", "leaf.pem", "--to", "der", "-o", f"{LONG}.der"],
    ["csr", "expressway-c", "--field", "fqdn=expc.example.com", "--field", f"name={LONG}",
     "--out", "out"],
    ["csr", "expressway-c", "--field", "fqdn=expc.example.com", "--out", "out",
     "--save-answers", f"{LONG}.toml"],
], ids=["-o", "--field name=", "--save-answers"])
def test_a_name_over_255_bytes(folder, argv):
    unchanged(folder, *argv, wanted=("name too long",))


@pytest.mark.filterwarnings("ignore:Attribute's length")
def test_a_2000_character_cn_used_for_a_file_name(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    long_cn = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "c" * 2000, _validate=False)])
    cert = (x509.CertificateBuilder().subject_name(long_cn).issuer_name(long_cn)
            .public_key(key.public_key()).serial_number(7)
            .not_valid_before(NOW - DAY).not_valid_after(NOW + 30 * DAY)
            .sign(key, hashes.SHA256()))
    (folder / "long.pem").write_bytes(cert.public_bytes(Encoding.PEM))
    unchanged(folder, "bundle", "long.pem", "--target", "fullchain", "--out", "out",
              wanted=("name too long",))


def test_password_file_dev_zero_is_refused_at_64_kib(folder):
    unchanged(folder, "inspect", "leaf.pem", "--password-file", "/dev/zero",
              wanted=("/dev/zero", "64 KiB"))


def test_inputs_and_answers_from_dev_zero_are_bounded(folder):
    unchanged(folder, "inspect", "/dev/zero", wanted=("/dev/zero", "32 MiB"))
    unchanged(folder, "csr", "expressway-c", "--field", "fqdn=expc.example.com", "--out", "out",
              "--answers", "/dev/zero", wanted=("/dev/zero", "1 MiB"))
    before = listing(folder)
    with open("/dev/zero", "rb") as zeros:
        done = subprocess.run([sys.executable, "-m", "collabcert", "lint", "-"], stdin=zeros,
                              cwd=folder, capture_output=True, timeout=60,
                              env=_env())
    one_error(done, "standard input")
    assert listing(folder) == before


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "--force"])
def test_an_output_that_is_a_symlink_to_dev_zero(folder, force):
    (folder / "z.der").symlink_to("/dev/zero")
    unchanged(folder, "convert", "leaf.pem", "--to", "der", "-o", "z.der", *force,
              wanted=("z.der", "not a regular file"))
    assert (folder / "z.der").is_symlink()


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "--force"])
def test_an_output_that_is_a_fifo_does_not_hang(folder, force):
    os.mkfifo(folder / "f.der")
    unchanged(folder, "convert", "leaf.pem", "--to", "der", "-o", "f.der", *force,
              wanted=("f.der", "not a regular file"))


@pytest.mark.parametrize("argv", [
    ["convert", "leaf.pem", "--to", "der", "--out", "root.pem"],
    ["bundle", "leaf.pem", "root.pem", "--target", "fullchain", "--out", "root.pem"],
    ["csr", "expressway-c", "--field", "fqdn=expc.example.com", "--out", "root.pem"],
], ids=["convert", "bundle", "csr"])
def test_out_naming_a_file_says_so(folder, argv):
    unchanged(folder, *argv, wanted=("root.pem: is a file, not a folder",))


# --- a folder the user may not enter --------------------------------------------------------


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p))


def _as_ordinary_user() -> list[str] | None:
    """How to run the CLI without the power to ignore folder modes: as we are when not root;
    as root, the same uid with the DAC capabilities dropped (setpriv), because this Python lives
    under /root, which another user cannot reach. None when neither works."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import os; os.listdir('/root')"],
                           capture_output=True, timeout=30, check=False)
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def locked(folder):
    prefix = _as_ordinary_user()
    if prefix is None:
        pytest.skip("cannot run as an ordinary user here (root without setpriv)")
    inner = folder / "locked"
    inner.mkdir()
    shutil.copy(folder / "leaf.pem", inner / "leaf.pem")
    inner.chmod(0)
    yield prefix, inner
    inner.chmod(0o700)


@pytest.mark.parametrize("argv", [
    ["inspect", "locked/leaf.pem"],
    ["lint", "locked/leaf.pem"],
    ["bundle", "locked/leaf.pem", "--target", "fullchain", "--out", "out"],
    ["match", "locked/leaf.pem", "leaf.pem"],
    ["convert", "leaf.pem", "--to", "der", "--out", "locked"],
    ["csr", "expressway-c", "--field", "fqdn=expc.example.com", "--out", "locked"],
], ids=["inspect", "lint", "bundle", "match", "convert-out", "csr-out"])
def test_a_folder_the_user_may_not_enter(folder, locked, argv):
    prefix, inner = locked
    before = listing(folder / "out")
    done = subprocess.run([*prefix, sys.executable, "-m", "collabcert", *argv], cwd=folder,
                          capture_output=True, timeout=60, env=_env(), check=False)
    one_error(done, "ermission denied")
    assert listing(folder / "out") == before
    inner.chmod(0o700)
    assert sorted(p.name for p in inner.iterdir()) == ["leaf.pem"]
