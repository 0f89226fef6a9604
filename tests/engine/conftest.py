"""Engine tests: each module makes its own PKI with `pki` (tests/pki.py); no shared fixtures yet.
The ones over about a second are named here."""

SLOW: dict[str, str] = {
    "test_load.py::test_a_wrong_password_that_passes_the_padding_check_is_still_the_wrong_password":
        "tries a few hundred wrong passwords to find one that passes the CBC padding check",
}
