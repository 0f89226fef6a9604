"""CLI tests: each runs `python -m collabcert ...` in a fresh process (tests/pki.run_cli) on real
files made by tests/pki.py; no shared fixtures yet. The pile's runs (issue 12) are slow; name
any other one here if it becomes so."""

SLOW: dict[str, str] = {
    "test_cli_citations.py": "ca init, csr, ca sign, bundle and lint processes for two roles",
    "test_cli_strange.py": "every verb, every role and every bundle target over 21 strange "
                           "certificates: about a hundred processes",
    "test_cli_pile.py": "issue 12: dozens of subprocess runs over a 13-file pile (1-3 s each)",
    "test_cli_ca.py": "every test starts collabcert (and openssl) several times: ca init with "
    "RSA 3072 keys, csr, ca sign and lint for each role of the catalogue",
    "test_cli_probe.py": "real processes against loopback TLS servers: 1-3 s each (50 targets, "
    "timeouts of 0.5 s)",
    "test_cli_fetch_missing.py": "real processes fetching from a loopback HTTP server: 1-2 s "
    "each",
    "test_cli_one_line_errors.py::test_inputs_and_answers_from_dev_zero_are_bounded":
        "three CLI runs, two of them reading 32 MiB and 1 MiB of /dev/zero",
    "test_cli_escapes.py::test_every_verb_shows_names_from_files_escaped":
        "lint and inspect runs over a second each",
}
