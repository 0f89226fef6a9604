"""Chaos tests of safe writing (issue 11): see chaos_support.py for how children are paused."""

from __future__ import annotations

import pytest
from pki import Pki, make_pki


@pytest.fixture(scope="session")
def chaos_pki() -> Pki:
    return make_pki("ec")

