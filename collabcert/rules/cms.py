"""Meeting Server rules (seed-003 §4.2): file names, keys, CSRs, certificates, bundles, role
and cross-file rules, trust bundles. IDs are seed-003's, prefixed `CMS-` (seed-003 R09 is
CMS-R09); the literal ID is written here and in the check."""

from __future__ import annotations

from collabcert.findings import Severity
from collabcert.rules.base import ERROR, INFO, WARNING, Rule, define, not_checkable, ours

S = "seed-003"
P = "cms"


def _d(rule_id: str, severity: Severity, lines: str, message: str, fix: str = "",
       **kw: object) -> Rule:
    return define(rule_id, severity, P, S, lines, message, fix,
                  source_id=rule_id.removeprefix("CMS-"), **kw)  # type: ignore[arg-type]


def _nc(rule_id: str, severity: Severity, lines: str, message: str, why: str) -> Rule:
    return not_checkable(rule_id, severity, P, S, lines, message, why,
                         source_id=rule_id.removeprefix("CMS-"))

_d("CMS-F01", ERROR, "L319, L335",
   "The pki csr basename may contain only letters, digits, '-' and '_', and no '.'.",
   "Choose a basename like web_bridge-1.", note="checks --field name=BASENAME")
_d("CMS-F02", ERROR, "L627",
   "Key and certificate file names may have no '.' except the one before the extension.",
   "Rename the file, e.g. call.bridge.key -> callbridge.key.")
_nc("CMS-F03", ERROR, "L1442, L1497", "OpenSSL keyname/certname contain no '.'.",
    "the OpenSSL names are the file names, checked by CMS-F02")
_d("CMS-F04", WARNING, "L178, L180, L516, L1616-1619",
   "Certificate and bundle files should be named .pem, .cer or .crt.",
   "Rename the file with one of those extensions.")
_d("CMS-F05", WARNING, "L1621-1626", "Key files should be named .key, .pem or .der.",
   "Rename the key file, e.g. webbridge.key.")
_d("CMS-F06", INFO, "L612", "Name each key and certificate after where it is used.",
   "e.g. webadmin.crt / webadmin.key.")
_d("CMS-F07", WARNING, "L518 (inferred keywords)",
   "The chain file should have a clear bundle/chain name and the same extension as the "
   "certificate.", "e.g. webbridge.crt and webbridgebundle.crt.")
_d("CMS-K01", ERROR, "L1638",
   "The private key is password protected; Meeting Server needs it unlocked.",
   "On the MMP: pki unlock <key>; or offline: collabcert convert KEY --to pem "
   "--password-file F.")
_d("CMS-K02", INFO, "L1429, L742", "The key is not RSA 2048, the only size the CMS doc shows.",
   "RSA 2048 is the documented choice; other sizes are not shown in the CMS guide.")
_d("CMS-K03", ERROR, "L643, L662, L715",
   "FAILURE: Key and certificate problem: certificate and key do not match",
   "Use the key made with this certificate's CSR (check with pki match <key> <cert>).")
_d("CMS-K04", INFO, "L1624", "The key is not PKCS#8; both parse, the doc names PKCS#8.",
   "collabcert convert KEY --to pem writes PKCS#8.")
_d("CMS-C01", ERROR, "L342", "The CN is missing; it is mandatory.",
   "Make the CSR again with CN:<fqdn>.")
_d("CMS-C02", ERROR, "L356", "No spaces are allowed around ',' in the SAN list.",
   "Write the list as a,b,c (collabcert drops the spaces for you).")
_d("CMS-C03", WARNING, "L386",
   "Do not repeat the CN in the pki csr SAN list; pki csr adds it.",
   "Drop the CN from the SAN input.")
_d("CMS-C04", ERROR, "L394",
   "When a SAN list is present it must contain the CN (OpenSSL / third-party CSRs).",
   "Add the CN's FQDN to the SAN list and make the CSR again.")
_nc("CMS-C05", WARNING, "L1639, L1642", "Multi-word values are quoted in the pki csr command.",
    "about the generated command text; collabcert's command builder always quotes")
_d("CMS-C06", INFO, "L337",
   "A CSR for a public CA should have every attribute (O, OU, L, ST, C).",
   "Add the missing subject fields (--field o=..., ou=, l=, st=, c=).")
_d("CMS-C07", WARNING, "L141-142",
   "C must be a 2-letter ISO code and ST must not be abbreviated.",
   "Use e.g. C=GB, ST=Berkshire.")
_d("CMS-C08", INFO, "L307", "The CSR is not signed with SHA256 (what pki csr produces).",
   "SHA-256 is the documented digest.")
_d("CMS-C09", WARNING, "L1642",
   "SAN items should be DNS names, wildcards or IP addresses.",
   "Remove other SAN types (e-mail, URI) unless you know they are needed.")
_d("CMS-X01", ERROR, "L637, L656, L1372",
   "The certificate is outside its validity period.",
   "Renew it; check with pki inspect <certificate>.")
_d("CMS-X02", INFO, "L307", "The certificate is signed with SHA1 (supported by CMS).",
   "Both SHA1 and SHA2 work; new CSRs use SHA256.",
   note="warning for other digests (MD5)")
_d("CMS-X03", ERROR, "L518",
   "The certificate file must contain one certificate; the chain goes in a separate "
   "bundle file.", "Split it: collabcert bundle FILE --target cms writes <name>.crt and "
   "<name>bundle.crt.")
_d("CMS-X04", WARNING, "L1129, L1617-1619",
   "The file is DER; convert it to PEM before bundling.",
   "collabcert convert FILE --to pem (the fingerprint does not change).")
_d("CMS-X05", WARNING, "L1341, L301, L1392",
   "Self-signed certificate where a CA-signed one is needed.",
   "Have the CSR signed by a CA (public for WebRTC / native apps).",
   note="info for web admin, trunk and load balancer (allowed there, L1392)")
_d("CMS-X06", WARNING, "inferred from L1508, L1526",
   "There is text before -----BEGIN (e.g. from openssl ... -text).",
   "Strip the text before the first BEGIN line.")
_d("CMS-B01", ERROR, "L645, L668, L724",
   "FAILURE: certificate verification error: unable to get issuer certificate",
   "Add the missing CA certificate to the bundle (check with pki verify <cert> "
   "<bundle>).")
_d("CMS-B02", ERROR, "L178, L518",
   "Bundle order: the leaf's issuer first, each next one the issuer of the one before, the "
   "root last.", "Rebuild it: collabcert bundle FILES --target cms.")
_d("CMS-B03", WARNING, "L178", "The bundle does not contain the root CA.",
   "Add the root CA certificate at the end of the bundle.")
_d("CMS-B04", ERROR, "L180, L1129",
   "No blank lines or spaces between -----END CERTIFICATE----- and the next -----BEGIN.",
   "Rebuild the bundle: collabcert bundle FILES --target cms.")
_d("CMS-B05", ERROR, "L180, L1129",
   "END and BEGIN are glued on one line (a file without a final newline was "
   "concatenated).", "Rebuild the bundle: collabcert bundle FILES --target cms.")
_d("CMS-B06", ERROR, "L180, L1129", "The file must end with a newline.",
   "Add a newline at the end (collabcert writes one).")
_d("CMS-B07", ERROR, "L1129", "The bundle must be Base64 (PEM), not DER.",
   "collabcert convert FILE --to pem.")
_d("CMS-B08", WARNING, "L689, L958 (inferred)",
   "The bundle contains the leaf itself; the leaf and the bundle are separate files.",
   "Remove the server certificate from the bundle.")
_d("CMS-B09", WARNING, "inferred", "The bundle contains certificates outside the chain.",
   "Remove certificates that are not on the leaf -> root path.")
_d("CMS-B10", INFO, "L1642", "Keep the chain short (it has more than 3 certificates).")
_d("CMS-B11", WARNING, "inferred",
   "There are stray bytes after the last END line (e.g. a Ctrl-Z from Windows copy).",
   "Remove everything after the last -----END CERTIFICATE----- line.")
_d("CMS-R01", ERROR, "L349", "The XMPP certificate must have a SAN.",
   "Request it with subjectAltName:<xmpp domain>.")
_d("CMS-R02", ERROR, "L354, L422, L1348", "The XMPP domain is missing from the SAN.",
   "Add the XMPP domain (exactly; a wildcard does not cover the bare domain).")
_d("CMS-R03", ERROR, "L354, L421, L1347",
   "The XMPP CN must be the XMPP server's DNS (SRV target) name, and the SAN must contain "
   "it.", "Request CN:<xmpp dns name> with the name also in the SAN.")
_d("CMS-R04", ERROR, "L353, L394, L1366",
   "The Web Bridge CN must be the A-record FQDN, and a SAN list must contain it.",
   "Request CN:<web bridge FQDN>; include it in the SAN when there is one.")
_d("CMS-R05", ERROR, "L259, L500, L1276",
   "The TURN certificate must be signed by the same CA as the Web Bridge certificate.",
   "Have the TURN CSR signed by the Web Bridge's CA.")
_d("CMS-R06", ERROR, "L1005-1006, L1386",
   "Call Bridge for Lync: the CN must be the Lync trusted-application FQDN, and a SAN list "
   "must contain it.", "Request CN:<the FQDN added on the Lync FE>.",
   note="needs --field lync-fqdn=FQDN")
_nc("CMS-R07", WARNING, "L1007, L1384",
    "Call Bridge for Lync: the issuer should be the Lync FE certificate's CA.",
    "needs the Lync FE server's own certificate, which lint does not take yet")
_d("CMS-R08", ERROR, "L355, L398, L349",
   "Shared certificate: CN = the domain, and the SAN has the domain and every component "
   "FQDN.", "Request CN:<domain> subjectAltName:<every component FQDN>.")
_d("CMS-R09", ERROR, "L444, L773, L1380",
   "The trunk and the load balancer use the same key pair; they cannot authenticate each "
   "other.", "Make a separate key and certificate for each (the same CN is fine).")
_d("CMS-R10", ERROR, "L270, L599, L1489",
   "DB certificates must be signed by the same CA, and that CA must be in the CA bundle.",
   "Sign the DB server and client CSRs with one CA and give its certificate as the "
   "bundle.")
_d("CMS-R11", ERROR, "L1392", "Self-signed certificates cannot be used for DB clustering.",
   "Sign the DB certificates with an internal CA.")
_d("CMS-R12", ERROR, "L484, L1153, L1175",
   "ERROR: Client certificate common name incorrect",
   "Make the DB client CSR with CN:postgres exactly.")
_d("CMS-R13", ERROR, "L474", "The DB server certificate's EKU must include serverAuth.",
   "Re-issue it with Server Authentication (or with no EKU).")
_d("CMS-R14", ERROR, "L484", "The DB client certificate's EKU must include clientAuth.",
   "Re-issue it with Client Authentication (or with no EKU).")
_d("CMS-R15", WARNING, "L474",
   "Shared DB server certificate: every DB node FQDN should be in the CN or the SAN.",
   "Put one node in the CN and the others in the SAN.")
_d("CMS-R16", WARNING, "inferred, NOT IN DOC",
   "EKU direction: Call Bridge server+client, load balancer server, trunk client.",
   "Re-issue with the needed EKU (or with no EKU).")
_d("CMS-R17", ERROR, "L1392", "Call Bridge toward Lync cannot use a self-signed certificate.",
   "Have the Call Bridge CSR signed by a CA the Lync FE trusts.")
_d("CMS-T01", ERROR, "L1049, L1110, L1372",
   "The Web Bridge trust bundle must contain every Call Bridge certificate, none expired.",
   "Concatenate every Call Bridge certificate into one file and run "
   "webbridge trust combinedcallbridgecert.crt on each Web Bridge.")
_d("CMS-T02", ERROR, "L806", "The load balancer trust bundle must be the trunk's certificate.",
   "loadbalancer auth <tag> edge1.key edge1.crt core1.crt (the trunk's certificate).")
_d("CMS-T03", ERROR, "L887", "The trunk trust bundle must be the load balancer's certificate.",
   "trunk auth <tag> core1.key core1.crt edge1.crt (the load balancer's certificate).")
_d("CMS-T04", ERROR, "L1129",
   "A combined trust bundle must follow the bundle format (PEM, no blank lines, final "
   "newline).", "Rebuild it: collabcert bundle FILES --target cms.")
ours("CMS-WILDCARD", INFO, P,
     "seed-003 R02's note: a wildcard does not cover the bare domain (L435, L1361)",
     "A wildcard does not cover the bare domain: keep the domain itself in the SAN.")
