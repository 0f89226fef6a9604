"""The field names only lint reads (beside the role's own fields): MRA, OCSP, traversal and
notification settings. A module of its own with no imports, so the CLI's `--help` can list them
without loading the engine (tests/contract/test_layering.py)."""

LINT_FIELDS = (
    "lync-fqdn", "notify-days", "email-ids", "node", "node-name", "ocsp-mode",
    "ocsp-uri", "zone-peer-address", "traversal-peer-address", "tls-verify-name", "mra-domains",
)
