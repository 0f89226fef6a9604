"""Engine tests: each module makes its own PKI with `pki` (tests/pki.py); no shared fixtures yet.
None is slow today (all under half a second on the 2-core machine); name one here if it becomes
so."""

SLOW: dict[str, str] = {}
