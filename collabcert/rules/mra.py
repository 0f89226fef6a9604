"""MRA readiness, trust-list, traversal-zone and Jabber-domain rules (seed-000-002 §2.3)."""

from __future__ import annotations

from collabcert.rules.base import ERROR, INFO, WARNING, define, not_checkable

S = "seed-000-002"
P = "mra"
TRUSTED_CA_PAGE = "Maintenance > Security > Trusted CA Certificate"


define(
    "TS-SELF-UNTRUSTED", ERROR, P, S, "002 L264, L276, L345-349, L372, L638",
    "The remote certificate is self-signed and is not in the Expressway-C trusted CA list.",
    f"Upload this certificate to {TRUSTED_CA_PAGE} on every Expressway-C node, or get it "
    "signed by a CA already trusted.")
define(
    "TS-CHAIN-ROOT-UNTRUSTED", ERROR, P, S, "002 L372, L626, L638",
    "The server sends a root that Expressway-C does not trust.",
    "Upload that root and all intermediates to the Exp-C trust store on every node.")
define(
    "TS-UNKNOWN-CA", ERROR, P, S, "002 L266, L276",
    "The certificate is signed by a CA unknown to Expressway-C.",
    "Upload the CA chain (root + intermediates) that signed it to the Exp-C trust store.")
define(
    "TS-ROOT-MISSING", ERROR, P, S, "002 L140",
    "The trust store has the intermediate but not its root; Expressway-C needs the root CA and "
    "all intermediates.", "Upload the root CA certificate to the Exp-C trust store.")
define(
    "TS-INT-MISSING", ERROR, P, S, "002 L140, 000 L146-148, L227-232",
    "An intermediate CA is not in the Expressway-C trust store. Cisco requires root and all "
    "intermediates (except when the root signs the server certificate directly).",
    "Upload the intermediate CA certificate(s) to the Exp-C trust store on every node.",
    note="warning when the node sends the intermediate")
define(
    "TS-VALIDITY", ERROR, P, S, "000 L104; 002 L211, L626",
    "A certificate on the path is expired or not yet valid.",
    "Renew (regenerate) the certificate on the node, then re-check.")
define(
    "TS-REVOCATION-UNKNOWN", INFO, P, S, "000 L109-112",
    "Revocation is not evaluated offline. Revoked certificates are not trusted.",
    "Check the certificate's status with the CA if in doubt.")
define(
    "SNI-ADDR-NOT-IN-CERT", ERROR, P, S, "002 L548, L579-591, L610, L646",
    "The address Expressway-C uses for the node is not in its certificate.",
    "Add the address to the certificate, or change CUCM System > Server to a name that is in "
    "the certificate and refresh the Exp-C discovery.")
define(
    "SNI-IP-SAN-TYPE", WARNING, P, S, "inferred from ATS §1.12",
    "The IP is only present as an IP-type SAN; Traffic Server compares it against DNS-type "
    "SANs and the CN only.",
    "Also add the IP as a DNS-type SAN (or CN), or use FQDN addressing.")
define(
    "SNI-CN-ONLY", INFO, P, S, "002 L78; ATS fallback",
    "The address matches only the certificate CN. Accepted by Traffic Server's fallback, but "
    "keep the address in the SAN too.", "Add the address to the SAN when it is next renewed.")
define(
    "SNI-HOSTNAME", WARNING, P, S, "inferred (NOT IN DOC)",
    "The node is addressed by a bare hostname; the certificate must contain exactly this "
    "string. Prefer an FQDN.", "Set CUCM System > Server to the FQDN.")
define(
    "SNI-ALL-ADDR", INFO, P, S, "002 L232-238, L546, L626",
    "A node certificate fails for an address it is reached by.",
    "Fix each failing certificate and address listed.",
    note="a summary of the FAIL rows only (UNCERTAIN is no failure, 002 L610); each row's own "
    "finding is the error")
define(
    "ECDSA-VARIANT", ERROR, P, S, "002 L242-244, L257, L409, L482",
    "tomcat passes but tomcat-ECDSA would fail. Since X14.2 Expressway may negotiate ECDSA "
    "(seen on port 6972 in Cisco's example).",
    "Trust or CA-sign tomcat-ECDSA on the node (prefixing the cipher lists with "
    "'ECDHE-RSA-AES256-GCM-SHA384:' only lowers the chance ECDSA is used).",
    note="warning when the cipher lists start with the RSA prefix (002 L244, L257)")
define(
    "TRUST-DUP-CN", ERROR, P, S, "002 L145, L642",
    "Expressway cannot hold two different certificates with the same CN (CSCwa12905).",
    "Use CA-signed certificates, give them different CNs, or reuse one certificate (CUCM 14: "
    "same certificate for Tomcat and CallManager).",
    note="warning when all are CA certificates, e.g. a renewed root (001 L838)")
define(
    "TRUST-CLUSTER-DIFF", ERROR, P, S, "002 L638",
    "A cluster node's trust store lacks a CA the others have. Update all Expressway-C cluster "
    "nodes.", "Upload the missing CA certificate on that node too.")
define(
    "CFG-UPGRADE-READY", WARNING, P, S, "002 L71, L238",
    "After upgrading to X14.2+, MRA requests to the node will fail.",
    "Fix the certificates before upgrading, or plan the VerifyOriginServer workaround.")
define(
    "CFG-TVM-INSUFFICIENT", INFO, P, S, "002 L232-234, L238",
    "TLS Verify Mode only checked the publisher address at discovery; other nodes and "
    "addresses are not checked until X14.2 enforces them.")
define(
    "CFG-VOS-OFF", WARNING, P, S, "002 L211, L650-653",
    "Origin server certificate verification is disabled (pre-X14.2 behaviour). Short-term "
    "workaround only; exposes MRA to man-in-the-middle.",
    "Fix the certificates, then set xConfiguration EdgeConfigServer VerifyOriginServer back "
    "to On.")
define(
    "CFG-CIPHER-PREF", INFO, P, S, "002 L244, L256-258",
    "Cipher preference of the Exp-C cipher lists.",
    note="needs --ciphers")
define(
    "UCM-TRUST-EXPC", WARNING, P, S, "000 L246-248",
    "The CA of the Expressway-C certificate is not in the CUCM trust store.",
    "Upload the Expressway-C CA certificate to CUCM as tomcat-trust and callmanager-trust and "
    "restart the required services.")
define(
    "EXP-UPLOAD-ORDER", ERROR, P, S, "000 L146-148, L186",
    "A CA of the server certificate's chain is missing from the box's trust list.",
    "Upload all CA certificates of the chain to Trusted CA Certificate first; otherwise the "
    "upload fails with an untrusted CA chain.")
not_checkable("EXP-FORMAT", ERROR, P, S, "000 L126-142",
              "Certificate is not Base-64 (PEM) encoded.",
              "same test as seed-001 CRT-FMT; reported under that ID")
define(
    "TRAV-PEER-ADDR", ERROR, P, S, "000 L194-196",
    "The traversal zone Peer address is not a name in the Expressway-E certificate -> 'TLS "
    "Negotiation Error'.", "Set the Peer address to a name in the Exp-E certificate, or add it.",
    note="needs --field traversal-peer-address=NAME")
define(
    "TRAV-VERIFY-NAME", ERROR, P, S, "000 L202-206",
    "The TLS verify name is missing from an Expressway-C node certificate.",
    "For clusters, use the cluster FQDN and include it in every node's certificate.",
    note="needs --field tls-verify-name=NAME")
define(
    "TRAV-CA-CROSS", ERROR, P, S, "000 L212-217",
    "All CA certificates from both Expressways' certification paths must be trusted on all "
    "involved servers.", "Append the missing CA certificates to both trusted CA lists.")
define(
    "TRAV-SSH-INT", ERROR, P, S, "000 L227-232",
    "An intermediate is missing: the traversal zone may come up but the SSH tunnel will fail.",
    "Upload all intermediates to all Expressway trust lists.")
define(
    "MRA-E-DOMAIN", ERROR, P, S, "000 L254-257",
    "The Expressway-E certificate lacks the Jabber domain -> Jabber untrusted-certificate "
    "warning at MRA login.", "Add DNS:<domain> or DNS:collab-edge.<domain> to the Exp-E SAN.",
    note="needs --field mra-domains=DOMAIN,...")
