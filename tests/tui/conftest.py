"""The TUI tests' environment: they never touch the real user config, and snapshots ignore the
user's terminal preferences (NO_COLOR and TEXTUAL_THEME change every rendered screen).

Only the TUI reads these (the CLI reads no settings file and no colour preference), so the
fixture lives here and not in tests/conftest.py.
"""

from __future__ import annotations

import pytest

# Pilot runs take one to fifteen seconds each on the 2-core machine; the quick run keeps the TUI
# tests that need no flow (task table, keymap and settings files, styles).
SLOW = {
    "test_tui_snapshots.py": "SVG snapshots",
    "test_tui_check_snapshots.py": "SVG snapshots",
    "test_tui_csr_snapshots.py": "SVG snapshots",
    "test_tui_import_snapshots.py": "SVG snapshots",
    "test_tui_labca_snapshots.py": "SVG snapshots (the review makes a CA: RSA 3072 keys)",
    "test_tui_probe_snapshots.py": "SVG snapshots (two probe loopback servers)",
    "test_tui_flows.py": "Pilot runs of inspect and convert (18 of 20 over a second)",
    "test_tui_csr.py": "Pilot runs of the CSR flow, with key generation",
    "test_tui_import.py": "Pilot runs of the import flow",
    "test_tui_bundle.py": "Pilot runs of the bundle flow",
    "test_tui_check.py": "Pilot runs of the check flow",
    "test_tui_mra.py": "Pilot runs of the MRA flow",
    "test_tui_mra_live.py": "Pilot runs of the MRA flow reading loopback nodes live",
    "test_tui_mra_live_snapshots.py": "SVG snapshots",
    "test_tui_labca.py": "Pilot runs of the Lab CA task, with CA key generation",
    "test_tui_probe.py": "Pilot runs of the live-server flow against loopback servers",
    "test_tui_probe_progress.py": "Pilot runs of the live-server flow while it probes",
    "test_tui_typing.py": "Pilot runs of key bursts in the CSR questions",
    "test_tui_tickets.py": "Pilot runs of the CSR flow to Done",
    "test_tui_citations.py": "Pilot runs of the import and bundle flows to their next steps",
    "test_tui_small_screens.py": "Pilot runs at 80x24 and 60x20",
    "test_tui_escapes.py": "Pilot runs of inspect and check over escape-laden certificates",
    "test_tui_big_pile.py": "Pilot runs of Inspect over a 1000-certificate store",
    "test_tui_settings.py::test_broken_settings_file_shows_a_message_and_is_not_overwritten":
        "Pilot run",
    "test_tui_settings.py::test_settings_screen_saves_and_validates": "Pilot run",
    "test_tui_settings.py::test_default_output_folder_from_settings_is_preselected": "Pilot run",
    "test_tui_keymap.py::test_a_keymap_from_settings_rebinds_keys_and_unknown_ids_are_said_once":
        "Pilot run through a flow",
    "test_tui_keymap.py::test_the_home_hint_names_the_keys_the_keymap_gives":
        "Pilot run to the settings screen and back",
}


@pytest.fixture(autouse=True)
def _tui_environment(monkeypatch, tmp_path_factory):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    settings = tmp_path_factory.mktemp("config") / "settings.toml"
    monkeypatch.setenv("COLLABCERT_SETTINGS", str(settings))
