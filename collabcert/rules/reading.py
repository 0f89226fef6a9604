"""Reading files: what the reader (collabcert/load.py) and the import flow say about input they
could not read. No requirement is behind these: DESIGN.md asks that what cannot be read becomes
a clear finding, never a traceback, so they are collabcert's own rules."""

from __future__ import annotations

from collabcert.rules.base import ERROR, INFO, WARNING, ours

P = "reading"

ours("LOAD-TEXT", ERROR, P,
     "DESIGN.md load: text with no BEGIN block is named, not guessed at",
     "The text has no -----BEGIN block, so no certificate, CSR or key.",
     "Give the PEM file itself, or the DER/PKCS#7/PKCS#12 file.",
     note="info when it only says how the text was encoded (UTF-16, a BOM)")
ours("LOAD-PEM", ERROR, P, "DESIGN.md load: a broken PEM is reported, not a traceback",
     "A BEGIN line has no matching END line.",
     "Copy the whole block, from -----BEGIN to -----END.")
ours("LOAD-BLOCK", ERROR, P, "DESIGN.md load: each unreadable block is named by its number",
     "A PEM block could not be read.", "Copy the block again; check it was not cut short.")
ours("LOAD-SKIPPED", INFO, P,
     "DESIGN.md load: blocks that are not certificates, CSRs or keys are said to be skipped",
     "A block that is not a certificate, CSR or key was skipped.")
ours("LOAD-BINARY", ERROR, P, "DESIGN.md load: an unreadable binary file is named",
     "The binary file is not DER, PKCS#7 or PKCS#12 that collabcert can read.",
     "Check that it is a certificate file (not a document or an archive).")
ours("READ", ERROR, P, "the import flow names each source it could not read",
     "A source could not be read.", "Check the path, or paste the PEM text again.")
ours("CRT-PART-UNREADABLE", WARNING, P,
     "issue 11 item 12: a part pyca refuses (an empty RDN, an extension twice, an unknown key "
     "type, an x400Address) is named and every other check goes on",
     "A part of the certificate could not be read; the checks that need it were skipped.",
     "Ask the CA why the certificate holds it; products built on OpenSSL may read it, or may "
     "refuse the certificate.")
ours("CRT-NOT-STRICT", INFO, P,
     "issue 11 item 13: what OpenSSL reads although it is not strict DER is read too, and said",
     "The certificate is not strict DER; collabcert read it as OpenSSL does.")
ours("LOAD-TRAILING", INFO, P,
     "issue 11 item 13: a DER file followed by a newline or NULs (as .cer files often end) is "
     "read as OpenSSL reads it",
     "Bytes after the DER certificate were ignored.")
