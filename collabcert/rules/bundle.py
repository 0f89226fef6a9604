"""Bundles and import checks: what `collabcert bundle` and the import flow say about the files
they plan (collabcert/bundle.py, importcheck.py)."""

from __future__ import annotations

from collabcert.rules.base import ERROR, WARNING, define, ours

P = "bundle"

define("BND-NO-ROOT", ERROR, P, "seed-001", "L907; seed-003 §2.2 L178",
       "The root CA certificate was asked for, but no self-signed root was reached.",
       "Add the root CA certificate, or leave the root out (--root exclude).", source_id="F11")
ours("BND-ROOT-LEFT-OUT", WARNING, P,
     "the target wants the whole chain up to the root: Expressway seed-001 F11 (L907), "
     "Meeting Server seed-003 B03 (L178)",
     "The root CA certificate is left out, but the target wants the whole chain up to the root.",
     "Include the root (--root include) unless it is already installed.",
     note="error for expressway: the trusted CA list must hold the root (seed 002 L140)")
define("SAN-MISSING", ERROR, P, "peers", "item 4; seed-001 §4.3",
       "The certificate lacks names the CSR or the role asked for.",
       "Ask the CA to copy the SANs from the CSR (or add them) and issue it again.",
       source_id="A.2")
ours("CRT-KU-MISSING", WARNING, P,
     "the role's KeyUsage is compared with what the CA issued (seed-004 CU-X05, CU-X06 for "
     "CUCM)", "The certificate's KeyUsage lacks bits the role asks for.",
     "Ask the CA for a template with these key usages.",
     note="error when keyCertSign is missing (seed-004 CU-X06)")
ours("CRT-EKU-MISSING", ERROR, P,
     "an Extended Key Usage the role asks for that has no rule of its own",
     "The certificate lacks an Extended Key Usage the role asks for.",
     "Ask the CA for a template with that usage.")
