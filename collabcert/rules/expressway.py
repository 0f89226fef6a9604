"""Expressway-C and Expressway-E rules (seed-001 §4 lint table)."""

from __future__ import annotations

from collabcert.rules.base import ERROR, INFO, WARNING, define, not_checkable, ours

S = "seed-001"
P = "expressway"
UPLOAD_CN = "File upload failed.: Common name must be a valid FQDN"
UPLOAD_SAN = "File upload failed.: Subject alternative name must be a valid FQDN"

define("KEY-ENC", ERROR, P, S, "L884",
       "Server private key PEM must not be password protected; decrypt it before "
       "uploading.", "Unlock it: collabcert convert KEY --to pem --password-file F "
       "(writes an unencrypted PKCS#8 key, mode 0600).",
       note="info when no role needs the key unlocked")
define("KEY-NL", WARNING, P, S, "L1087-1089",
       "Private key file has no trailing newline; MRA services may fail.",
       "Add a newline at the end of the file (collabcert convert writes one).")
define("KEY-FMT", ERROR, P, S, "L826, L880",
       "Private key must be supplied as a PEM file.",
       "Convert it: collabcert convert KEY --to pem.")
define("KEY-MATCH", ERROR, P, S, "L348",
       "Certificate does not correspond to this private key (was it uploaded to the "
       "wrong peer?).", "Use the key made with this certificate's CSR; on a cluster "
       "each peer has its own key and certificate.")
define("KEY-8192", WARNING, P, S, "L1083",
       "8192-bit keys may prevent SIP TLS zones from becoming active; 4096 is "
       "recommended.", "Make a new RSA 4096 (or 2048) key and CSR.")
define("KEY-SIZE", WARNING, P, S, "L315",
       "Key length not among Expressway predefined sizes (RSA 2048/4096, ECDSA "
       "256/384/521).", "Use RSA 2048 or 4096, or ECDSA P-256/P-384/P-521.")
define("KEY-TYPE", WARNING, P, S, "L281, L250",
       "Only RSA (strongly recommended) and ECDSA (X14.3+) are supported; other key "
       "types are untested.", "Make an RSA key.")
define("KEY-ECDSA-VER", INFO, P, S, "L250",
       "ECDSA certificates require Expressway X14.3 or later.",
       "Upgrade to X14.3 or use an RSA key.",
       note="only when --expressway-version is given")
define("CRT-FMT", ERROR, P, S, "L1409, L1417",
       "Certificate is DER; Expressway requires PEM.",
       "openssl x509 -in X.cer -inform DER -out X.pem -outform PEM; for a .p7b or .pfx: "
       "collabcert convert X.p7b --to pem (it reads DER, PKCS#7 and PKCS#12 alike)")
define("CRT-CN-MISSING", ERROR, P, S, "L848",
       "Certificate has no Common Name; Expressway raises an alarm and CMS MRA, "
       "Jabber Guest and Web proxy will not work.",
       "Request a certificate whose subject has CN = the Expressway FQDN "
       "(or the cluster FQDN).")
define("CRT-CN-FQDN", ERROR, P, S, "L879", UPLOAD_CN,
       "Put the FQDN (not a host name or IP address) in the CN and request the "
       "certificate again.", note="message is Expressway's own upload text")
define("CRT-SAN-FQDN", ERROR, P, S, "L878", UPLOAD_SAN,
       "Use only FQDNs in the SAN (no IP addresses, no host names) and request "
       "the certificate again.", note="message is Expressway's own upload text")
define("CRT-FQDN-SYNTAX", ERROR, P, S, "L425",
       "FQDN labels may contain only letters, digits and hyphens, may not "
       "start/end with a hyphen, and the last label must start with a letter.",
       "Correct the name and request the certificate again.")
define("CRT-WILDCARD", ERROR, P, S, "L278",
       "Wildcard certificates are not supported by Expressway.",
       "List every name explicitly in the SAN instead of '*'.")
define(
    "CRT-EKU-CLIENT", ERROR, P, S, "L267, L318, L828, L1494",
    "Server certificate lacks Client Authentication EKU; required for mutual TLS "
    "(neighbor/traversal zones with TLS verify).",
    "Have it issued with serverAuth and clientAuth: on Microsoft AD CS duplicate the Web Server "
    "template, add Client Authentication, and submit with certreq -submit -attrib "
    "\"CertificateTemplate:Webclientandserver\" certcsr.der.")
define("CRT-EKU-SERVER", ERROR, P, S, "L318, L828",
       "Server certificate lacks Server Authentication EKU.",
       "Have it re-issued with serverAuth and clientAuth EKU.")
define("CRT-EKU-ABSENT", WARNING, P, S, "inferred from L318",
       "No Extended Key Usage present; Expressway-generated CSRs always request "
       "serverAuth+clientAuth.",
       "Have it re-issued with serverAuth and clientAuth EKU.")
define("CRT-OID", ERROR, P, S, "L271-276, L1093-1121",
       "Unsupported OID in subject/issuer; may cause SSH tunnel failures.",
       "Request the certificate without that attribute; only the EV OIDs "
       "1.3.6.1.4.1.311.60.2.1.1/.2/.3 are supported.")
define("CRT-SELFSIGNED", WARNING, P, S, "L1394",
       "Self-signed server certificates are not recommended and do not work in "
       "UC deployments.", "Have the CSR signed by a CA (or an OpenSSL CA).")
define("CRT-DEFAULT", WARNING, P, S, "L834 (detection inferred)",
       "Replace the default temporary server certificate and CA.",
       "Generate a CSR, have it signed by your CA and upload it.")
define("CRT-XMPPADDR", WARNING, P, S, "L459",
       "XMPPAddress SAN format should not be used; CAs may not support it and it "
       "may be deprecated. Use DNS format.",
       "Request the XMPP federation domains as DNS SAN entries.")
define("CRT-SAN-LEN", INFO, P, S, "L168, L174",
       "SAN list exceeds 999 characters; this was only a limit before X8.10.",
       "Nothing to do on X8.10 or later.")
define("CSR-DIGEST", ERROR, P, S, "L330-331",
       "CSR digest must be SHA-256 (default), SHA-384 or SHA-512.",
       "Make the CSR again with SHA-256 (collabcert csr ROLE --digest sha256).")
define("ROLE-STANDALONE-CN", ERROR, P, S, "L230",
       "For a non-clustered Expressway, CN must be the Expressway FQDN.",
       "Request the certificate with CN = the fqdn.")
define("ROLE-CLUSTER-CN", ERROR, P, S, "L235",
       "For a clustered Expressway, CN must be the cluster FQDN.",
       "Request the certificate with CN = the cluster FQDN.")
define("ROLE-CLUSTER-SAN", ERROR, P, S, "L226, L236",
       "Clustered peer certificate must contain both this peer's FQDN and "
       "the cluster FQDN in SAN.", "Add both names to the SAN and re-issue.")
define("ROLE-C-PROFILES", ERROR, P, S, "L397, L413",
       "A Unified CM phone security profile name is missing from the SAN.",
       "Add every TLS phone security profile name (FQDN format) to the SAN.")
define("ROLE-C-PROFILE-FQDN", ERROR, P, S, "L417-421",
       "Since X12.6 Unified CM phone security profile names must be FQDNs "
       "(e.g. jabbersecureprofile.domain.com); CSR creation will fail.",
       "Rename the profile on Unified CM to an FQDN.")
define("ROLE-E-REGDOM", ERROR, P, S, "L392, L449-455",
       "A Unified CM registration domain is missing from the SAN.",
       "Add DNS:<domain> or DNS:collab-edge.<domain> to the SAN.")
define("ROLE-E-PRIVDOM", INFO, P, S, "L453",
       "Private UCM domains need not be in the Expressway-E certificate; list "
       "only edge domains.", "Drop the private domain from ucm-domains.")
ours("ROLE-E-PREFIXED", INFO, P,
     "seed-001 L455: the CollabEdgeDNS format adds the collab-edge prefix to each domain, so a "
     "domain typed with the prefix would get it twice",
     "A Unified CM registration domain was given with its collab-edge. prefix; "
     "CollabEdgeDNS adds the prefix itself, so it is kept once.",
     "Enter the domain without the prefix (example.com) on the Expressway page.")
define("ROLE-E-XMPP", ERROR, P, S, "L393, L457-459",
       "An XMPP federation domain is missing from the SAN (DNS format).",
       "Add the XMPP federation domain as a DNS SAN entry.")
define("ROLE-CHAT-ALIAS", ERROR, P, S, "L396, L429-433, L461",
       "An IM&P chat node alias is missing from the SAN.",
       "Add every chat node alias to the SAN of Expressway-C and -E.")
define("ROLE-CHAT-MISMATCH", ERROR, P, S, "L433, L461",
       "Expressway-E must contain the same chat node aliases as "
       "Expressway-C.", "Re-issue the certificate that lacks the alias.")
define("ROLE-C-CLUSTERNAME", ERROR, P, S, "L398",
       "Expressway cluster name required in Expressway-C SAN for MRA/Jabber "
       "Guest/XMPP federation.", "Add the cluster FQDN to the SAN.")
define("ROLE-E-ALIASES", ERROR, P, S, "L447",
       "All FQDNs the Expressway-E is known by must be in the SAN.",
       "Add the missing name to the SAN and re-issue.")
define("ROLE-MULTISAN", INFO, P, S, "L338",
       "Request a multi-domain / multi-SAN certificate from your CA.",
       "Tell the CA the request has several SAN entries.")
define("ROLE-ZONE-PEER", ERROR, P, S, "L1077",
       "Zone peer address not found in the neighbor certificate SAN; TLS verify "
       "will fail.", "Set the zone Peer address to a name in the SAN, or add it.",
       note="needs --field zone-peer-address=NAME")
define("ROLE-ZONE-IP", WARNING, P, S, "L1079",
       "Configure the zone Peer address as an FQDN, not an IP.",
       "Use the neighbor's FQDN as the Peer address.",
       note="needs --field zone-peer-address=IP")
not_checkable("ROLE-JG-ACME", ERROR, P, S, "L491",
              "ACME is not supported for Jabber Guest deployments.",
              "a deployment choice (Jabber Guest, ACME), not in any file")
not_checkable("ROLE-ACME-E", ERROR, P, S, "L481",
              "ACME certificate service is for Expressway-E.",
              "the certificate source (ACME) is a wizard choice, not in the file")
not_checkable("ROLE-ACME-A", WARNING, P, S, "L539, L644",
              "Every domain in an ACME CSR needs an A record pointing to the Expressway-E public "
              "address.", "needs DNS look-ups; collabcert works offline")
define("CRL-FMT", ERROR, P, S, "L1024", "Manually uploaded CRL must be PEM encoded.",
       "openssl crl -in X.crl -inform DER -out X.pem")
define("CRL-SIZE", ERROR, P, S, "L1019", "CRL file must be smaller than 16 MB.",
       "Use automatic CRL updates (CDP) instead of a manual upload.")
define("CRL-EXPIRED", WARNING, P, S, "L1030",
       "Expired CRL: all certificates issued by this CA will be treated as "
       "invalid.", "Download the current CRL from the CA.")
define("PROC-CA-FIRST", INFO, P, S, "L867",
       "Install CA certificates before the server certificate, otherwise loading "
       "fails.", "Upload the trusted CA list first.",
       note="WARN in seed-001; a process note, given as info")
define("PROC-RESTART", INFO, P, S, "L405, L588, L942",
       "Restart Expressway for the new server certificate to take effect (one "
       "node at a time in a cluster).")
define("PROC-ONECSR", INFO, P, S, "L329, L885",
       "Only one CSR can be in progress; Discard CSR to start a new one. Private "
       "key upload is blocked while a CSR is pending.")
define("PROC-PER-PEER", INFO, P, S, "L346-348",
       "Generate a separate CSR on each peer; upload each certificate only to "
       "its own peer.")
define("PROC-TLS-PERMISSIVE", INFO, P, S, "L935-945",
       "Set TLS verification to Permissive during change, then back to "
       "Enforce.")
define("PROC-REISSUE-C", INFO, P, S, "L403",
       "A new Expressway-C certificate may be required when a chat alias or "
       "IM&P node is added or renamed, or a TLS phone profile is added.")
define("PROC-REISSUE-E", INFO, P, S, "L404",
       "A new Expressway-E certificate is required when a chat alias is added "
       "or a CM/XMPP domain changes.")
define("PROC-KEY-SECRET", INFO, P, S, "L320, L829, L1277",
       "Never disclose the private key to the CA; keep it backed up securely.")
ours("SUBJ-EXPRESSWAY", INFO, P,
     "seed-001 L332 (§1.13): the Generate CSR page requires O, ST and C; no rule ID there",
     "The Expressway Generate CSR page requires O, ST and C; a CA may ask for them too.",
     "Give them with the o, st and c fields.")
