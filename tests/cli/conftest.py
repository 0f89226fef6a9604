"""CLI tests: each runs `python -m collabcert ...` in a fresh process (tests/pki.run_cli) on real
files made by tests/pki.py; no shared fixtures yet. None is slow today (all under a second on the
2-core machine); name one here if it becomes so."""

SLOW: dict[str, str] = {
    "test_cli_strange.py": "every verb, every role and every bundle target over 21 strange "
                           "certificates: about a hundred processes",
}
