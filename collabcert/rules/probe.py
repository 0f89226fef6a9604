"""Live servers (collabcert probe, issue 14): what a TLS handshake shows that a file cannot.
Checked in collabcert/jobs/probe.py; the chain, expiry and product rules are lint's own."""

from __future__ import annotations

from collabcert.rules.base import ERROR, INFO, WARNING, ours

P = "probe"

ours("PROBE-NAME-MISMATCH", ERROR, P,
     "a client checks the address it used against the certificate; Expressway-C X14.2 does "
     "so for every node (seed-000-002 SNI-ADDR-NOT-IN-CERT, 002 L579-591): DNS SANs, then the "
     "CN; an address is looked for the same way, since no SNI carries it (RFC 6066 §3)",
     "The address used to reach the server is not in the certificate it presents.",
     "Add the address to the certificate's SANs, or reach the server by a name that is in it.")
ours("PROBE-ORDER", WARNING, P,
     "RFC 5246 §7.4.2 (TLS 1.2) requires each certificate to be followed by the one that "
     "certifies it; RFC 8446 §4.4.2 (TLS 1.3) keeps that as SHOULD, the server's own first as "
     "MUST; a client that follows the list as sent fails on another order",
     "The server sends its chain out of order.",
     "Upload the server certificate with its CA certificates in order: leaf, its issuer, "
     "that one's issuer (collabcert bundle --target fullchain writes them so).")
ours("PROBE-UNTRUSTED", ERROR, P,
     "DESIGN.md probe: trust is judged by collabcert against --trust or --trust-system, never "
     "by the TLS library; a chain that reaches no CA of that list is not trusted",
     "The presented chain does not lead to a CA of the trust list given.",
     "Give the CA that issued the server certificate (--trust FILE), or have the server "
     "present a certificate from a CA the clients trust.")
ours("PROBE-WARN-DAYS", ERROR, P,
     "issue 14 item 5: the expiry watch; --warn-days N fails the run when any certificate of "
     "any chain ends within N days (seed 000: an expired intermediate took the tunnel down)",
     "A certificate of the chain expires within the --warn-days window.",
     "Renew it before it expires (for a CA, get the CA's new certificate onto the server).")
ours("PROBE-CLIENT-CERT", INFO, P,
     "Expressway traversal and SIP TLS ask for the peer's certificate (seed-001 CRT-EKU-CLIENT, "
     "L267); collabcert never sends one, so the handshake shows only that it was asked for",
     "The server asked for a client certificate; none was sent.",
     "Nothing to do for the check; a peer that connects to it needs a certificate with the "
     "Client Authentication EKU from a CA the server trusts.")
ours("PROBE-FETCHED", INFO, P,
     "issue 14 item 6: a missing issuer fetched from its caIssuers URL (--fetch-missing) is "
     "said with where it came from, so nobody takes it for part of what was given or sent",
     "A missing issuer was fetched from the caIssuers URL of the certificate it signed.",
     "Add the fetched CA certificate to the server's chain or the trust list, as the product "
     "wants it.")
ours("PROBE-FETCH-FAILED", WARNING, P,
     "issue 14 item 6: --fetch-missing was asked for and the caIssuers download gave nothing "
     "usable; say why (HTTP only, size- and time-bounded)",
     "A missing issuer could not be fetched from its caIssuers URL.",
     "Download the CA certificate from the CA's site and give it as a file.")
