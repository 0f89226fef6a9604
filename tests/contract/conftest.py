"""Contract tests: the promises about the whole product (layering, packaging, lint-clean source,
no crash on any input, the corpora). No shared fixtures; the slow ones are named here."""

SLOW = {
    "test_packaging.py": "builds a wheel and installs it into a fresh virtual environment",
    "test_fuzz_load.py": "hypothesis feeds the reader thousands of mutated files",
    "test_limbo_corpus.py": "the x509-limbo chain corpus",
    "test_vectors_sweep.py": "every file of cryptography-vectors",
}
