"""Expressway log signatures (seed-000-002 §2.4)."""

from __future__ import annotations

from collabcert.rules.base import ERROR, INFO, WARNING, define

S = "seed-000-002"
P = "logs"

define(
    "LOG-CORE-SELF", ERROR, P, S, "002 L337-349, L372, L638",
    "Expressway-C refused a self-signed certificate that is not in its trust store.",
    "Upload that certificate to Maintenance > Security > Trusted CA Certificate on every "
    "Expressway-C node, or have it CA-signed.")
define(
    "LOG-CORE-CHAIN", ERROR, P, S, "002 L626, L638",
    "The server sent a root that Expressway-C does not trust.",
    "Upload the CA chain (root and intermediates) to the Exp-C trust store on every node.")
define(
    "LOG-CORE-OTHER", ERROR, P, S, "002 L638; OpenSSL strings external",
    "Expressway-C could not verify the server certificate.",
    "Unknown issuer: upload the CA chain; expired: renew the certificate on the node.")
define(
    "LOG-SNI", ERROR, P, S, "002 L579-591, L646; SKI variant L630",
    "The address Expressway-C connected to is not in the server certificate.",
    "Add the address to the node's tomcat / tomcat-ECDSA certificate, or change CUCM System > "
    "Server to a name in the certificate and refresh the Exp-C discovery.")
define(
    "LOG-SSL-FAIL", ERROR, P, S, "002 L357-364, L372",
    "Expressway-C could not validate the TLS handshake.",
    "See the WARNING line before it for the reason.")
define("LOG-502", WARNING, P, S, "002 L368, L548",
       "The proxied request failed (502) because of the TLS failure.",
       "Fix the certificate problem logged before it.")
define("LOG-MRA-PATH", INFO, P, S, "002 L557, L610",
       "The proxied MRA request shows the address the traffic server verifies.",
       "Check this address against the node's certificates.")
define("LOG-VOS", WARNING, P, S, "002 L653",
       "VerifyOriginServer is Off (pre-X14.2 behaviour, a short-term workaround).",
       "Fix the certificates, then set it back to On.")
define("LOG-TRAV", ERROR, P, S, "000 L189",
       "A traversal zone reports 'TLS Negotiation Error'.",
       "Check the zone Peer address and TLS verify name against the Expressway "
       "certificates and both trust lists (TRAV-* rules).")
