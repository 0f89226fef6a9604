"""General rules: every certificate, CSR and key, whatever the role (seed-001 §4: validity,
2050+, SHA-1, weak keys). Checked in collabcert/lint/general.py, chain.py, importcheck.py."""

from __future__ import annotations

from collabcert.rules.base import ERROR, WARNING, define, ours

S = "seed-001"
P = "general"

define(
    "CRT-EXPIRED", ERROR, "general", "seed-001", "L283",
    "The certificate has expired; external systems will reject it.",
    "Renew it (a new CSR, or re-issue from the CA) and upload the new certificate.")
define(
    "CRT-NOTYET", WARNING, "general", "seed-001", "inferred",
    "The certificate is not yet valid.",
    "Check the clock of the CA and of the server, or wait until its start date.")
define(
    "CRT-EXPIRING", WARNING, "general", "seed-001", "inferred; 2/3 point L576, L754",
    "The certificate expires soon; renew it.",
    "Make a new CSR and get it signed before the expiry date (ACME renews at 2/3 of the "
    "lifetime).", note="30 days before notAfter; Let's Encrypt: 2/3 of the lifetime")
define(
    "CRT-2050", WARNING, "general", "seed-001", "L279",
    "Certificates expiring in or after 2050 may cause operational problems.",
    "Ask the CA for a certificate that expires before 2050.")
define(
    "CRT-SHA1", WARNING, "general", "seed-001", "L331",
    "The certificate is signed with SHA-1; Expressway no longer allows SHA-1 (X8.10+).",
    "Ask the CA to re-issue it signed with SHA-256, SHA-384 or SHA-512.")
ours(
    "CRT-MD5", ERROR, "general",
    "issue 11 item 13: MD5 collisions are practical (a rogue CA was made with one in 2008) and "
    "OpenSSL 3 refuses MD5 signatures at its default security level; seed-001 CRT-SHA1 (L331, "
    "a warning) names MD5 only in passing",
    "The certificate is signed with MD5; TLS libraries refuse such signatures.",
    "Ask the CA to re-issue it signed with SHA-256, SHA-384 or SHA-512.")
define(
    "KEY-WEAK", ERROR, "general", "seed-001", "inferred from L315",
    "RSA keys smaller than 2048 bits (and EC curves below P-256) are not offered by the "
    "products.", "Make a new key of RSA 2048 or more (or EC P-256 or more) and a new CSR.")
