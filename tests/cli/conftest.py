"""CLI tests: each runs `python -m collabcert ...` in a fresh process (tests/pki.run_cli) on real
files made by tests/pki.py; no shared fixtures yet. None is slow today (all under a second on the
2-core machine); name one here if it becomes so."""

SLOW: dict[str, str] = {
    "test_cli_one_line_errors.py::test_inputs_and_answers_from_dev_zero_are_bounded":
        "three CLI runs, two of them reading 32 MiB and 1 MiB of /dev/zero",
    "test_cli_escapes.py::test_every_verb_shows_names_from_files_escaped":
        "lint and inspect runs over a second each",
}
