"""Chaos tests of safe writing (issue 11): see chaos_support.py for how children are paused.
Every test here runs real `collabcert` processes (a second or more each): the module is slow."""

from __future__ import annotations

import pytest
from pki import Pki, make_pki

SLOW: dict[str, str] = {
    "test_chaos_writing.py": "real collabcert processes: 20 concurrent csr pairs, 24 interrupted "
    "runs, kill -9 runs (about 20 s on the 2-core machine)",
}


@pytest.fixture(scope="session")
def chaos_pki() -> Pki:
    return make_pki("ec")
