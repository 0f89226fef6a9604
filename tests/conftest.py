"""Shared fixtures. TUI tests never touch the real user config, and snapshots ignore the user's
terminal preferences (NO_COLOR and TEXTUAL_THEME change every rendered screen)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _tui_environment(monkeypatch, tmp_path_factory):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    settings = tmp_path_factory.mktemp("config") / "settings.toml"
    monkeypatch.setenv("COLLABCERT_SETTINGS", str(settings))
