"""Chaos tests of safe writing (issue 11): real `collabcert` processes on real files, stopped at
known points. A child run with COLLABCERT_TEST_PAUSE_AFTER_N=N (read only by collabcert.files)
stops after the N-th step of its write (each file staged, then each file placed), prints
`collabcert: test pause: writing` on stderr and waits for a signal: the tests wait for that line
instead of sleeping, so no result depends on timing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pki import ROOT

PAUSED = "collabcert: test pause: writing"
TEMP = re.compile(r"^\..+\.[0-9]+\.[0-9a-f]{12}\.tmp$")  # collabcert.files' temp file names


def child_env(pause: int | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("COLLABCERT_TEST_PAUSE_AFTER_N", None)
    if pause is not None:
        env["COLLABCERT_TEST_PAUSE_AFTER_N"] = str(pause)
    return env


def spawn(*argv: str, pause: int | None = None) -> subprocess.Popen:
    """`python -m collabcert ARGV` in its own process (and session: no terminal signals)."""
    return subprocess.Popen([sys.executable, "-m", "collabcert", *argv], env=child_env(pause),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_until_paused(child: subprocess.Popen) -> None:
    """Read the child's stderr up to the pause line (EOF first means it never paused)."""
    assert child.stderr is not None
    seen = []
    while True:
        line = child.stderr.readline()
        if not line:
            child.wait(timeout=60)
            pytest.fail(f"the child ended without pausing: {''.join(seen)}")
        if line.strip() == PAUSED:
            return
        seen.append(line)


def finish(child: subprocess.Popen) -> tuple[int, str, str]:
    out, err = child.communicate(timeout=120)  # a bound on a hang, never part of a result
    return child.returncode, out, err


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMP.match(p.name))


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's content and mode: "the old state or the new" is compared on this."""
    return {p.name: (p.read_bytes(), p.stat().st_mode & 0o777)
            for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}
