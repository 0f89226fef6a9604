"""CLI tests: each runs `python -m collabcert ...` in a fresh process (tests/pki.run_cli) on real
files made by tests/pki.py; no shared fixtures yet. The ones over about a second are named below."""

SLOW: dict[str, str] = {
    "test_cli_ca.py": "every test starts collabcert (and openssl) several times: ca init with "
    "RSA 3072 keys, csr, ca sign and lint for each role of the catalogue",
}
