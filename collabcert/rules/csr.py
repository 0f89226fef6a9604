"""Planning a key and CSR (collabcert/roles.py, csr.py): notes on names and keys that do not
refuse the input. Product-specific notes are declared with their product's rules."""

from __future__ import annotations

from collabcert.rules.base import INFO, WARNING, define, ours

P = "csr"

ours("NAME-WILDCARD", WARNING, P,
     "seed-004 §9 EXTERNAL lead (CUCM does not support wildcard certificates); only a warning "
     "until confirmed", "The name is a wildcard; the product may not accept wildcard certificates.",
     "Use the full names of the nodes.")
ours("NAME-SINGLE-LABEL", WARNING, P,
     "public CAs refuse single-label names and clients may not match them (inferred)",
     "The name is a host name, not an FQDN.", "Use the fully qualified name.")
define("KEY-LOCKED", WARNING, P, "seed-001", "L884; seed-003 G18 (L1638)",
       "The private key is written encrypted; Expressway and Meeting Server need it unlocked "
       "for upload.", "Decrypt it before uploading (collabcert convert, or pki unlock on the "
       "MMP).", source_id="F6")
ours("KEY-REUSED", INFO, P, "seed-001 L892: Expressway's 'Re-use current private key' upload",
     "The CSR reuses the existing key: the new certificate keeps the same public key.",
     "On Expressway tick 'Re-use current private key' when uploading.")
