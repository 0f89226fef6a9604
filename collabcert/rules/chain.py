"""Chains and trust lists (seed-001 CHN-*), for every product: the chain builder
(collabcert/chain.py), trust lists (trustlist.py) and lint (lint/expressway.py)."""

from __future__ import annotations

from collabcert.rules.base import ERROR, INFO, WARNING, define, ours

S1 = "seed-001"
P = "chain"

define(
    "CHN-EXPIRED", WARNING, P, S1, "inferred",
    "A CA certificate in the trust list or chain has expired.",
    "Remove it and add the CA's current certificate.")
define("CHN-INCOMPLETE", ERROR, P, S1, "L907",
       "Trusted CA list must contain the full chain (intermediates and root) "
       "for the server certificate.",
       "Add the missing CA certificate to the trusted CA list (ask the CA for "
       "its chain).")
define("CHN-FMT", ERROR, P, S1, "L909",
       "Trusted CA file must be PEM containing one or more CA certificates.",
       "Convert it: collabcert convert FILE --to pem.")
define("CHN-NOTCA", ERROR, P, S1, "L280",
       "CA certificate lacks BasicConstraints extension (required by Expressway CA "
       "check).", "Ask the CA for its certificate with basicConstraints cA=TRUE.")
define("CHN-DUPCN", WARNING, P, S1, "L838",
       "Avoid multiple CA certificates with the same Common Name (endpoint IdP login "
       "may fail).", "Keep only the current CA certificate with that CN.")
define(
    "CHN-SELFSIGNED-SAMECN", ERROR, P, S1, "L371, L382",
    "Expressway will only trust one of two self-signed certificates with the same CN; secure "
    "SIP/HTTP to UCM/IM&P will fail.",
    "Use CA-signed certificates on CUCM/IM&P, or give the self-signed certificates different "
    "CNs (CUCM 14 can reuse one certificate for Tomcat and CallManager).")
define("CHN-REPLACE", WARNING, P, S1, "L909",
       "Append adds to the list; delete the old certificate with the same "
       "issuer/subject manually.",
       "Delete the old certificate on Maintenance > Security > Trusted CA "
       "certificate before appending the new one.")
define("CHN-MAX", ERROR, P, S1, "L919", "Trust store supports at most 1000 CAs.",
       "Remove CA certificates that are not needed.")
define("CHN-LE", ERROR, P, S1, "L648-674",
       "Let's Encrypt deployments need both ISRG Root X1 and the Let's Encrypt "
       "intermediate in the trust store.",
       "Append isrgrootx1.pem and the Let's Encrypt intermediate (e.g. "
       "lets-encrypt-r3.pem) to the trusted CA list.")
define("CHN-ORDER", INFO, P, S1, "inferred (order NOT IN DOC)",
       "Bundle order normalized (leaf -> intermediate -> root).",
       "collabcert bundle --target expressway writes the CA list in order.")
define("CHN-LEAF-IN-CA", WARNING, P, S1, "inferred; L1139",
       "End-entity certificate found in trusted CA list.",
       "Remove it unless it is a signed CUCM/IM&P certificate trusted on "
       "purpose.", note="info for Expressway-C (CUCM certificates, L1139)")

# Chain building (collabcert/chain.py): collabcert's own rules, for every product.
ours("CHN-NOT-CHECKED", INFO, P,
     "DESIGN.md lint: a server certificate given with no CA certificate and no --trust is not "
     "judged as an incomplete chain; one info finding says so and how to check it",
     "The chain was not checked: no CA certificate and no trust list were given.",
     "Give the box's trust list with --trust FILE, or the CA certificates as FILEs, to check "
     "the chain.")
ours("CHN-UNUSED", INFO, P,
     "DESIGN.md chain and bundle: unused certificates are reported (as seed-003 B09 asks of "
     "a CMS bundle), never dropped silently",
     "A certificate given is not part of the chain.")
ours("CHN-LEAF-GUESS", WARNING, P,
     "DESIGN.md bundle: without --key/--csr the leaf is guessed; say which one was taken",
     "Several end-entity certificates were given; one was taken as the leaf.",
     "Give the private key or CSR (--key / --csr) to choose the leaf.")
ours("CHN-NAME-MISMATCH", ERROR, P,
     "RFC 5280 §6.1 name chaining: a link found only by key ID is not a chain products accept",
     "A certificate names another issuer than the CA certificate whose key signed it.",
     "Get the CA certificate with the matching name from the CA.")
