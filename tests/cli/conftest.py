"""CLI tests: each runs `python -m collabcert ...` in a fresh process (tests/pki.run_cli) on real
files made by tests/pki.py; no shared fixtures yet. The pile's runs (issue 12) are slow; name
any other one here if it becomes so."""

SLOW: dict[str, str] = {
    "test_cli_strange.py": "every verb, every role and every bundle target over 21 strange "
                           "certificates: about a hundred processes",
    "test_cli_pile.py": "issue 12: dozens of subprocess runs over a 13-file pile (1-3 s each)",
    "test_cli_ca.py": "every test starts collabcert (and openssl) several times: ca init with "
    "RSA 3072 keys, csr, ca sign and lint for each role of the catalogue",
}
