"""CUCM and IM and Presence rules (seed-004 §3.2)."""

from __future__ import annotations

from collabcert.rules.base import ERROR, INFO, WARNING, define, not_checkable, ours

S = "seed-004"
P = "cucm"
REMOTE_NODE_ERROR = ("Connection to the Server cannot be established (unable to connect to "
                     "Remote Node)")
TOMCAT_TRUST_STEPS = (
    "1. OS Admin > Security > Certificate Management: check that the tomcat-trust certificates "
    "exist; if one is missing, wait 30 minutes and check again. "
    "2. Open it and check that its content matches the certificate on the remote node. "
    "3. utils service restart Cisco Intercluster Sync Agent. "
    "4. Once that has restarted: utils service restart Cisco Tomcat. "
    "5. Wait 30 minutes; if it still fails, delete the tomcat-trust certificate and exchange "
    "the certificates by hand: download each node's Tomcat and Tomcat-ECDSA certificates and "
    "upload them to the peer as tomcat-trust. "
    "6. utils service restart Cisco Tomcat on each affected server.")


define("CU-F01", ERROR, P, S, "L65",
       "Unsupported format: CUCM accepts DER/PEM certificates and PEM PKCS#7 chains.",
       "Export the certificates as PEM: collabcert convert FILE --to pem.")
define("CU-F02", WARNING, P, S, "L65 vs L63",
       "PKCS#7 chain is DER; CUCM documents PEM PKCS#7.",
       "Convert it: collabcert convert FILE --to pem (or --to p7b).")
define("CU-F03", INFO, P, S, "L65", "DER certificate accepted by CUCM; PEM copy available.",
       "No action needed (collabcert convert FILE --to pem keeps the fingerprint).")
define("CU-F04", WARNING, P, S, "L65, L293", "CUCM CSRs are PEM PKCS#10.",
       "collabcert convert CSR --to pem.")
define("CU-F05", ERROR, P, S, "inferred from L43, L293-308",
       "CUCM upload takes certificates only; the key stays on the server.",
       "Upload only the certificate files; keep the private key out of the upload.")
define("CU-F06", WARNING, P, S, "inferred", "Stray text between certificates.",
       "Remove the text between the BEGIN/END blocks.")
define("CU-P01", ERROR, P, S, "L43, L45", "CA-only file: choose '<type>-trust'.",
       "Upload CA certificates to the <type>-trust purpose (give the file as FILE@trust).")
define("CU-P02", ERROR, P, S, "L43", "No single application certificate found for the "
       "identity purpose.", "Upload the file holding this node's signed certificate.")
define("CU-P03", WARNING, P, S, "L43, L493",
       "This looks like the signed reply to your CSR; upload it to '<type>', not "
       "'<type>-trust'.", "Upload it to the identity purpose (give it as FILE, not "
       "FILE@trust).")
define("CU-P04", ERROR, P, S, "inferred from L33, L45",
       "The key type does not match the purpose: EC keys go to '-ECDSA' purposes, RSA keys "
       "to the others.", "Choose the matching purpose (role).")
not_checkable("CU-P05", INFO, P, S, "L47",
              "Not needed: CAPF root is copied to the CallManager trust store.",
              "about an upload plan with two targets; collabcert bundle plans it once")
not_checkable("CU-P06", INFO, P, S, "L59", "Upload the directory CA to tomcat-trust.",
              "needs to know the certificate is an LDAP/DirSync CA, not visible in the file")
define("CU-P07", INFO, P, S, "L444", "OCSP signing certs go to tomcat-trust.",
       "Upload it to tomcat-trust.")
define("CU-C01", ERROR, P, S, "L29, L41, L150",
       "The issuer is not in <type>-trust: upload root then intermediate(s) first.",
       "Upload the root, then each intermediate, to <type>-trust before the leaf "
       "(collabcert bundle --target cucm plans it).")
not_checkable("CU-C02", ERROR, P, S, "L150", "Install the root first.",
              "about a generated plan; collabcert bundle --target cucm always puts the root "
              "first")
not_checkable("CU-C03", WARNING, P, S, "inferred from L41, L150",
              "Reordered: root -> intermediate(s) -> leaf.",
              "about a generated plan; collabcert bundle --target cucm orders it")
define("CU-C04", ERROR, P, S, "L41", "Subordinate CA certificate required.",
       "Upload the certificate of the subordinate CA that signed the leaf to "
       "<type>-trust.")
define("CU-C05", INFO, P, S, "external (FM7)", "Chain order rebuilt from signatures.",
       "Nothing to do: the order inside a PKCS#7 file is not meaningful.")
define("CU-C06", WARNING, P, S, "L177",
       "Deleting this trust certificate breaks the chain of another one. This cannot be "
       "undone.", "Delete it only after the certificates it issued are replaced.",
       note="engine API delete_findings (delete plans)")
define("CU-C07", ERROR, P, S, "L171",
       "System self-signed identity certificates cannot be deleted; regenerate instead.",
       "Regenerate the certificate instead.", note="engine API delete_findings")
define("CU-C08", INFO, P, S, "L192",
       "This deletion applies to every server in the cluster.",
       note="engine API delete_findings")
define("CU-X01", ERROR, P, S, "inferred from L51, L316",
       "Certificate was issued for a different/older CSR; generating a new CSR overwrites "
       "the old one.", "Have the latest CSR signed, or generate a new CSR and use that.")
define("CU-X02", ERROR, P, S, "L104-119, L67",
       "Missing TLS Web Server Authentication (Table 1/2); ask the CA to enable X.509 "
       "extensions.", "Have it re-issued with the EKU of the CUCM CSR.")
define("CU-X03", ERROR, P, S, "L105-119",
       "Missing TLS Web Client Authentication (Table 1/2).",
       "Have it re-issued with serverAuth and clientAuth (ask the CA to keep the CSR's "
       "extensions, L67).")
define("CU-X04", ERROR, P, S, "L107, L115-118", "Missing IPsec End System EKU.",
       "Have it re-issued with the IPsec End System EKU (1.3.6.1.5.5.7.3.5).")
define("CU-X05", WARNING, P, S, "L105-119",
       "KeyUsage lacks bits requested by the CUCM CSR (Table 1/2).",
       "Have it re-issued keeping the CSR's key usage.", note="info for -ECDSA types")
define("CU-X06", ERROR, P, S, "L71, L106",
       "CAPF certificate must allow certificate signing (keyCertSign).",
       "Have it re-issued with keyCertSign in the key usage.")
define("CU-X07", INFO, P, S, "§1.3",
       "A bit present only in the prose lists is optional (not required by Table 1/2).")
define("CU-X08", WARNING, P, S, "L63 (§7 E2)",
       "For RSA types the CA's signature algorithm should be RSA (L63).",
       "Ask the CA to sign with an RSA key.")
define("CU-X09", INFO, P, S, "L95", "Re-sign with SHA256 (SHA-1 signature).",
       "Ask the CA to sign with SHA-256.")
define("CU-X10", ERROR, P, S, "L106, L107, L115, L118",
       "This type is not multi-server capable (Table 1/2).",
       "Drop multi-server-fqdns; make one certificate per node.")
define("CU-X11", WARNING, P, S, "inferred",
       "Looks like a multi-server certificate on a single-server type.",
       "Use one certificate per node for this type.")
define("CU-X12", INFO, P, S, "L67, L106", "CAPF: first node (publisher) only.",
       note="needs --field node=subscriber")
define("CU-X13", INFO, P, S, "L212, L214",
       "Self-signed: [Regenerate] keeps the key length; [Generate Self-Signed Certificate] "
       "offers 3072/4096.")
define("CU-E01", ERROR, P, S, "L198, L200",
       "Expired: regenerate (expired certs can be regenerated) after hours.",
       "Regenerate or renew it out of hours (phones may reboot).")
define("CU-E02", WARNING, P, S, "L198, L425", "Expires soon; regenerate before expiry.",
       "Regenerate or renew it before it expires.", note="needs --field notify-days=N")
define("CU-E03", INFO, P, S, "L432", "Certificate monitor cadence.")
define("CU-E04", ERROR, P, S, "L429", "Separate e-mail addresses with ';'.",
       "Write a@example.com;b@example.com.", note="checks --field email-ids=...")
define("CU-E05", ERROR, P, S, "L425", "Enter a number of days.",
       "Give Notification Start Time as a whole number of days.",
       note="checks --field notify-days=N")
define("CU-E06", INFO, P, S, "inferred", "Certificate not yet valid.",
       "Check the clocks, or wait until its start date.")
define("CU-T01", ERROR, P, S, "L477, L488, L493",
       f"Peer tomcat[-ECDSA] not trusted -> '{REMOTE_NODE_ERROR}'.", TOMCAT_TRUST_STEPS)
define("CU-T02", WARNING, P, S, "L490, L493",
       "tomcat-trust content differs from remote node: delete and re-exchange.",
       TOMCAT_TRUST_STEPS)
define("CU-T03", WARNING, P, S, "L384, L455",
       "Certificate has no OCSP URI; use 'Use configured OCSP URI'.",
       note="needs --field ocsp-mode=certificate")
define("CU-T04", ERROR, P, S, "L454", "Enter OCSP Configured URI.",
       note="needs --field ocsp-mode=configured and ocsp-uri")
not_checkable("CU-T05", WARNING, P, S, "L378, L444",
              "No OCSP signer in tomcat-trust and CA not configured for OCSP responses.",
              "whether the CA signs OCSP responses itself is a CA setting, not in any file")
not_checkable("CU-T06", INFO, P, S, "L398", "Revocation result policy (Unknown + CC mode).",
              "explains a CUCM setting (Common Criteria mode), nothing in a file")
not_checkable("CU-T07", INFO, P, S, "L469", "Revocation check interval precedence.",
              "explains two CUCM settings, nothing in a file")
ours("CU-LOCAL-KEY", WARNING, P,
     "seed-004 §1.5 design note (inferred): CUCM and IM and Presence take no private key upload",
     "CUCM and IM and Presence take no private key upload: a certificate issued for this CSR "
     "cannot be installed.", "For production generate the CSR on the node (OS Administration "
     "steps shown); use this one for labs and to check the profile.")
