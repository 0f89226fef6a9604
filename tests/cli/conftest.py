"""CLI tests: each runs `python -m collabcert ...` in a fresh process (tests/pki.run_cli) on real
files made by tests/pki.py; no shared fixtures yet. None is slow today (all under a second on the
2-core machine); name one here if it becomes so."""

SLOW: dict[str, str] = {
    "test_cli_probe.py": "real processes against loopback TLS servers: 1-3 s each (50 targets, "
    "timeouts of 0.5 s)",
    "test_cli_fetch_missing.py": "real processes fetching from a loopback HTTP server: 1-2 s "
    "each",
}
