"""Expressway-C / -E rules (seed-001 §4): private key, server certificate / CSR content, the
role's SAN completeness, the trusted CA list, CRLs, and process notes (PROC-*, as info)."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509

from collabcert import names
from collabcert.findings import Finding, Severity
from collabcert.lint import certinfo as ci
from collabcert.lint.context import TRUST, Context, FileFacts, is_ca, unique, version_tuple
from collabcert.lint.general import is_lets_encrypt
from collabcert.lint.registry import ERROR, INFO, WARNING, check, define, not_checkable
from collabcert.model import hash_name

S = "seed-001"
P = "expressway"

# --- 4.1 private key
KEY_ENC = define("KEY-ENC", ERROR, P, S, "L884",
                 "Server private key PEM must not be password protected; decrypt it before "
                 "uploading.", "Unlock it: collabcert convert KEY --to pem --password-file F "
                 "(writes an unencrypted PKCS#8 key, mode 0600).",
                 note="info when no role needs the key unlocked")
KEY_NL = define("KEY-NL", WARNING, P, S, "L1087-1089",
                "Private key file has no trailing newline; MRA services may fail.",
                "Add a newline at the end of the file (collabcert convert writes one).")
KEY_FMT = define("KEY-FMT", ERROR, P, S, "L826, L880",
                 "Private key must be supplied as a PEM file.",
                 "Convert it: collabcert convert KEY --to pem.")
KEY_MATCH = define("KEY-MATCH", ERROR, P, S, "L348",
                   "Certificate does not correspond to this private key (was it uploaded to the "
                   "wrong peer?).", "Use the key made with this certificate's CSR; on a cluster "
                   "each peer has its own key and certificate.")
KEY_8192 = define("KEY-8192", WARNING, P, S, "L1083",
                  "8192-bit keys may prevent SIP TLS zones from becoming active; 4096 is "
                  "recommended.", "Make a new RSA 4096 (or 2048) key and CSR.")
KEY_SIZE = define("KEY-SIZE", WARNING, P, S, "L315",
                  "Key length not among Expressway predefined sizes (RSA 2048/4096, ECDSA "
                  "256/384/521).", "Use RSA 2048 or 4096, or ECDSA P-256/P-384/P-521.")
KEY_TYPE = define("KEY-TYPE", WARNING, P, S, "L281, L250",
                  "Only RSA (strongly recommended) and ECDSA (X14.3+) are supported; other key "
                  "types are untested.", "Make an RSA key.")
KEY_ECDSA_VER = define("KEY-ECDSA-VER", INFO, P, S, "L250",
                       "ECDSA certificates require Expressway X14.3 or later.",
                       "Upgrade to X14.3 or use an RSA key.",
                       note="only when --expressway-version is given")

# --- 4.2 certificate / CSR content
CRT_FMT = define("CRT-FMT", ERROR, P, S, "L1409, L1417",
                 "Certificate is DER; Expressway requires PEM.",
                 "openssl x509 -in X.cer -inform DER -out X.pem -outform PEM "
                 "(or collabcert convert X.cer --to pem)")
CRT_CN_MISSING = define("CRT-CN-MISSING", ERROR, P, S, "L848",
                        "Certificate has no Common Name; Expressway raises an alarm and CMS MRA, "
                        "Jabber Guest and Web proxy will not work.",
                        "Request a certificate whose subject has CN = the Expressway FQDN "
                        "(or the cluster FQDN).")
UPLOAD_CN = "File upload failed.: Common name must be a valid FQDN"
UPLOAD_SAN = "File upload failed.: Subject alternative name must be a valid FQDN"
CRT_CN_FQDN = define("CRT-CN-FQDN", ERROR, P, S, "L879", UPLOAD_CN,
                     "Put the FQDN (not a host name or IP address) in the CN and request the "
                     "certificate again.", note="message is Expressway's own upload text")
CRT_SAN_FQDN = define("CRT-SAN-FQDN", ERROR, P, S, "L878", UPLOAD_SAN,
                      "Use only FQDNs in the SAN (no IP addresses, no host names) and request "
                      "the certificate again.", note="message is Expressway's own upload text")
CRT_FQDN_SYNTAX = define("CRT-FQDN-SYNTAX", ERROR, P, S, "L425",
                         "FQDN labels may contain only letters, digits and hyphens, may not "
                         "start/end with a hyphen, and the last label must start with a letter.",
                         "Correct the name and request the certificate again.")
CRT_WILDCARD = define("CRT-WILDCARD", ERROR, P, S, "L278",
                      "Wildcard certificates are not supported by Expressway.",
                      "List every name explicitly in the SAN instead of '*'.")
CRT_EKU_CLIENT = define(
    "CRT-EKU-CLIENT", ERROR, P, S, "L267, L318, L828, L1494",
    "Server certificate lacks Client Authentication EKU; required for mutual TLS "
    "(neighbor/traversal zones with TLS verify).",
    "Have it issued with serverAuth and clientAuth: on Microsoft AD CS duplicate the Web Server "
    "template, add Client Authentication, and submit with certreq -submit -attrib "
    "\"CertificateTemplate:Webclientandserver\" certcsr.der.")
CRT_EKU_SERVER = define("CRT-EKU-SERVER", ERROR, P, S, "L318, L828",
                        "Server certificate lacks Server Authentication EKU.",
                        "Have it re-issued with serverAuth and clientAuth EKU.")
CRT_EKU_ABSENT = define("CRT-EKU-ABSENT", WARNING, P, S, "inferred from L318",
                        "No Extended Key Usage present; Expressway-generated CSRs always request "
                        "serverAuth+clientAuth.",
                        "Have it re-issued with serverAuth and clientAuth EKU.")
CRT_OID = define("CRT-OID", ERROR, P, S, "L271-276, L1093-1121",
                 "Unsupported OID in subject/issuer; may cause SSH tunnel failures.",
                 "Request the certificate without that attribute; only the EV OIDs "
                 "1.3.6.1.4.1.311.60.2.1.1/.2/.3 are supported.")
CRT_SELFSIGNED = define("CRT-SELFSIGNED", WARNING, P, S, "L1394",
                        "Self-signed server certificates are not recommended and do not work in "
                        "UC deployments.", "Have the CSR signed by a CA (or an OpenSSL CA).")
CRT_DEFAULT = define("CRT-DEFAULT", WARNING, P, S, "L834 (detection inferred)",
                     "Replace the default temporary server certificate and CA.",
                     "Generate a CSR, have it signed by your CA and upload it.")
CRT_XMPPADDR = define("CRT-XMPPADDR", WARNING, P, S, "L459",
                      "XMPPAddress SAN format should not be used; CAs may not support it and it "
                      "may be deprecated. Use DNS format.",
                      "Request the XMPP federation domains as DNS SAN entries.")
CRT_SAN_LEN = define("CRT-SAN-LEN", INFO, P, S, "L168, L174",
                     "SAN list exceeds 999 characters; this was only a limit before X8.10.",
                     "Nothing to do on X8.10 or later.")
CSR_DIGEST = define("CSR-DIGEST", ERROR, P, S, "L330-331",
                    "CSR digest must be SHA-256 (default), SHA-384 or SHA-512.",
                    "Make the CSR again with SHA-256 (collabcert csr ROLE --digest sha256).")

# --- 4.3 role SAN completeness
ROLE_STANDALONE_CN = define("ROLE-STANDALONE-CN", ERROR, P, S, "L230",
                            "For a non-clustered Expressway, CN must be the Expressway FQDN.",
                            "Request the certificate with CN = the fqdn.")
ROLE_CLUSTER_CN = define("ROLE-CLUSTER-CN", ERROR, P, S, "L235",
                         "For a clustered Expressway, CN must be the cluster FQDN.",
                         "Request the certificate with CN = the cluster FQDN.")
ROLE_CLUSTER_SAN = define("ROLE-CLUSTER-SAN", ERROR, P, S, "L226, L236",
                          "Clustered peer certificate must contain both this peer's FQDN and "
                          "the cluster FQDN in SAN.", "Add both names to the SAN and re-issue.")
ROLE_C_PROFILES = define("ROLE-C-PROFILES", ERROR, P, S, "L397, L413",
                         "A Unified CM phone security profile name is missing from the SAN.",
                         "Add every TLS phone security profile name (FQDN format) to the SAN.")
ROLE_C_PROFILE_FQDN = define("ROLE-C-PROFILE-FQDN", ERROR, P, S, "L417-421",
                             "Since X12.6 Unified CM phone security profile names must be FQDNs "
                             "(e.g. jabbersecureprofile.domain.com); CSR creation will fail.",
                             "Rename the profile on Unified CM to an FQDN.")
ROLE_E_REGDOM = define("ROLE-E-REGDOM", ERROR, P, S, "L392, L449-455",
                       "A Unified CM registration domain is missing from the SAN.",
                       "Add DNS:<domain> or DNS:collab-edge.<domain> to the SAN.")
ROLE_E_PRIVDOM = define("ROLE-E-PRIVDOM", INFO, P, S, "L453",
                        "Private UCM domains need not be in the Expressway-E certificate; list "
                        "only edge domains.", "Drop the private domain from ucm-domains.")
ROLE_E_XMPP = define("ROLE-E-XMPP", ERROR, P, S, "L393, L457-459",
                     "An XMPP federation domain is missing from the SAN (DNS format).",
                     "Add the XMPP federation domain as a DNS SAN entry.")
ROLE_CHAT_ALIAS = define("ROLE-CHAT-ALIAS", ERROR, P, S, "L396, L429-433, L461",
                         "An IM&P chat node alias is missing from the SAN.",
                         "Add every chat node alias to the SAN of Expressway-C and -E.")
ROLE_CHAT_MISMATCH = define("ROLE-CHAT-MISMATCH", ERROR, P, S, "L433, L461",
                            "Expressway-E must contain the same chat node aliases as "
                            "Expressway-C.", "Re-issue the certificate that lacks the alias.")
ROLE_C_CLUSTERNAME = define("ROLE-C-CLUSTERNAME", ERROR, P, S, "L398",
                            "Expressway cluster name required in Expressway-C SAN for MRA/Jabber "
                            "Guest/XMPP federation.", "Add the cluster FQDN to the SAN.")
ROLE_E_ALIASES = define("ROLE-E-ALIASES", ERROR, P, S, "L447",
                        "All FQDNs the Expressway-E is known by must be in the SAN.",
                        "Add the missing name to the SAN and re-issue.")
ROLE_MULTISAN = define("ROLE-MULTISAN", INFO, P, S, "L338",
                       "Request a multi-domain / multi-SAN certificate from your CA.",
                       "Tell the CA the request has several SAN entries.")
ROLE_ZONE_PEER = define("ROLE-ZONE-PEER", ERROR, P, S, "L1077",
                        "Zone peer address not found in the neighbor certificate SAN; TLS verify "
                        "will fail.", "Set the zone Peer address to a name in the SAN, or add it.",
                        note="needs --field zone-peer-address=NAME")
ROLE_ZONE_IP = define("ROLE-ZONE-IP", WARNING, P, S, "L1079",
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

# --- 4.4 chain / trusted CA list / CRL
CHN_INCOMPLETE = define("CHN-INCOMPLETE", ERROR, P, S, "L907",
                        "Trusted CA list must contain the full chain (intermediates and root) "
                        "for the server certificate.",
                        "Add the missing CA certificate to the trusted CA list (ask the CA for "
                        "its chain).")
CHN_FMT = define("CHN-FMT", ERROR, P, S, "L909",
                 "Trusted CA file must be PEM containing one or more CA certificates.",
                 "Convert it: collabcert convert FILE --to pem.")
CHN_NOTCA = define("CHN-NOTCA", ERROR, P, S, "L280",
                   "CA certificate lacks BasicConstraints extension (required by Expressway CA "
                   "check).", "Ask the CA for its certificate with basicConstraints cA=TRUE.")
CHN_DUPCN = define("CHN-DUPCN", WARNING, P, S, "L838",
                   "Avoid multiple CA certificates with the same Common Name (endpoint IdP login "
                   "may fail).", "Keep only the current CA certificate with that CN.")
CHN_SELFSIGNED_SAMECN = define(
    "CHN-SELFSIGNED-SAMECN", ERROR, P, S, "L371, L382",
    "Expressway will only trust one of two self-signed certificates with the same CN; secure "
    "SIP/HTTP to UCM/IM&P will fail.",
    "Use CA-signed certificates on CUCM/IM&P, or give the self-signed certificates different "
    "CNs (CUCM 14 can reuse one certificate for Tomcat and CallManager).")
CHN_REPLACE = define("CHN-REPLACE", WARNING, P, S, "L909",
                     "Append adds to the list; delete the old certificate with the same "
                     "issuer/subject manually.",
                     "Delete the old certificate on Maintenance > Security > Trusted CA "
                     "certificate before appending the new one.")
CHN_MAX = define("CHN-MAX", ERROR, P, S, "L919", "Trust store supports at most 1000 CAs.",
                 "Remove CA certificates that are not needed.")
CHN_LE = define("CHN-LE", ERROR, P, S, "L648-674",
                "Let's Encrypt deployments need both ISRG Root X1 and the Let's Encrypt "
                "intermediate in the trust store.",
                "Append isrgrootx1.pem and the Let's Encrypt intermediate (e.g. "
                "lets-encrypt-r3.pem) to the trusted CA list.")
CHN_ORDER = define("CHN-ORDER", INFO, P, S, "inferred (order NOT IN DOC)",
                   "Bundle order normalized (leaf -> intermediate -> root).",
                   "collabcert bundle --target expressway writes the CA list in order.")
CHN_LEAF_IN_CA = define("CHN-LEAF-IN-CA", WARNING, P, S, "inferred; L1139",
                        "End-entity certificate found in trusted CA list.",
                        "Remove it unless it is a signed CUCM/IM&P certificate trusted on "
                        "purpose.", note="info for Expressway-C (CUCM certificates, L1139)")
CRL_FMT = define("CRL-FMT", ERROR, P, S, "L1024", "Manually uploaded CRL must be PEM encoded.",
                 "openssl crl -in X.crl -inform DER -out X.pem")
CRL_SIZE = define("CRL-SIZE", ERROR, P, S, "L1019", "CRL file must be smaller than 16 MB.",
                  "Use automatic CRL updates (CDP) instead of a manual upload.")
CRL_EXPIRED = define("CRL-EXPIRED", WARNING, P, S, "L1030",
                     "Expired CRL: all certificates issued by this CA will be treated as "
                     "invalid.", "Download the current CRL from the CA.")

# --- 4.5 process notes: info where the context applies
PROC_CA_FIRST = define("PROC-CA-FIRST", INFO, P, S, "L867",
                       "Install CA certificates before the server certificate, otherwise loading "
                       "fails.", "Upload the trusted CA list first.",
                       note="WARN in seed-001; a process note, given as info")
PROC_RESTART = define("PROC-RESTART", INFO, P, S, "L405, L588, L942",
                      "Restart Expressway for the new server certificate to take effect (one "
                      "node at a time in a cluster).")
PROC_ONECSR = define("PROC-ONECSR", INFO, P, S, "L329, L885",
                     "Only one CSR can be in progress; Discard CSR to start a new one. Private "
                     "key upload is blocked while a CSR is pending.")
PROC_PER_PEER = define("PROC-PER-PEER", INFO, P, S, "L346-348",
                       "Generate a separate CSR on each peer; upload each certificate only to "
                       "its own peer.")
PROC_TLS_PERMISSIVE = define("PROC-TLS-PERMISSIVE", INFO, P, S, "L935-945",
                             "Set TLS verification to Permissive during change, then back to "
                             "Enforce.")
PROC_REISSUE_C = define("PROC-REISSUE-C", INFO, P, S, "L403",
                        "A new Expressway-C certificate may be required when a chat alias or "
                        "IM&P node is added or renamed, or a TLS phone profile is added.")
PROC_REISSUE_E = define("PROC-REISSUE-E", INFO, P, S, "L404",
                        "A new Expressway-E certificate is required when a chat alias is added "
                        "or a CM/XMPP domain changes.")
PROC_KEY_SECRET = define("PROC-KEY-SECRET", INFO, P, S, "L320, L829, L1277",
                         "Never disclose the private key to the CA; keep it backed up securely.")

ISRG_ROOT = "ISRG Root X1"


# ------------------------------------------------------------------------------ private key


@check(P)
def keys(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P):
        if facts.locked:
            out.append(KEY_ENC.finding(
                f"Server private key must not be password protected; this one is encrypted "
                f"({facts.locked_text}). Expressway refuses it.", where=facts.name))
        key_items = [i for i in facts.loaded.items if i.kind.value == "private_key"]
        if facts.has_key and facts.text is not None and not facts.data.endswith(b"\n"):
            out.append(KEY_NL.finding(where=facts.name))
        if any(i.encoding != "PEM" for i in key_items):
            out.append(KEY_FMT.finding(
                f"Private key is {key_items[0].encoding}; it must be supplied as a PEM file.",
                where=facts.name))
        for key in facts.keys:
            out += _key_size(key, facts.name, ctx)
    for _, subject, where in ctx.subjects(P):  # the certificate's key counts too (AT-14)
        public = ci.public_key(subject)
        if public is not None:
            out += _key_size(public, where, ctx)
    return out + _key_match(ctx)


def _key_size(key, where: str, ctx: Context) -> list[Finding]:
    kind, bits = ci.key_kind(key), ci.key_bits(key)
    if kind == "rsa" and bits >= 8192:
        return [KEY_8192.finding(where=where)]
    if kind == "rsa" and bits >= 2048 and bits not in (2048, 4096):
        return [KEY_SIZE.finding(f"RSA {bits} is not an Expressway key length (2048 or 4096).",
                                 where=where)]
    if kind == "ec" and ci.curve(key) not in ("secp256r1", "secp384r1", "secp521r1"):
        return [KEY_SIZE.finding(where=where)]
    if kind in ("dsa", "other"):
        return [KEY_TYPE.finding(where=where)]
    version = ctx.options.expressway_version
    if kind == "ec" and version and version_tuple(version, fallback=(0,)) < (14, 3):
        return [KEY_ECDSA_VER.finding(
            f"ECDSA certificates require Expressway X14.3 or later (given {version}).",
            where=where)]
    return []


def _key_match(ctx: Context) -> list[Finding]:
    out = []
    for role_id in ctx.roles_in_play(P):
        key_file = ctx.key_mismatch(role_id)
        if key_file is not None:
            out.append(KEY_MATCH.finding(
                f"Certificate '{ci.label(ctx.leaf(role_id))}' does not correspond to this "
                "private key (was it uploaded to the wrong peer?).", where=key_file.name))
    return out


# ----------------------------------------------------------------------------- content


@check(P)
def formats(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P) + (ctx.trust_files if ctx.product == P else []):
        stem = Path(facts.name).stem or "X"
        if facts.der and facts.certificates:
            rule = CHN_FMT if facts.role_id == TRUST else CRT_FMT
            out.append(rule.finding(
                "Certificate is DER; Expressway requires PEM." if rule is CRT_FMT else None,
                fix=f"openssl x509 -in {facts.name} -inform DER -out {stem}.pem -outform PEM",
                where=facts.name))
        if facts.der and facts.csrs:
            out.append(CRT_FMT.finding(
                "CSR is DER; convert it to PEM before signing.",
                fix=f"openssl req -in {facts.name} -inform DER -out {stem}.pem -outform PEM",
                where=facts.name))
    return out


@check(P)
def content(ctx: Context) -> list[Finding]:
    out = []
    for _, subject, where in ctx.subjects(P):
        out += _names(subject, where)
        out += _eku(subject, where)
        out += _oids(subject, where)
        out += _misc(subject, where)
    return out


def _names(obj, where: str) -> list[Finding]:
    out: list[Finding] = []
    cn = ci.cn(obj)
    if not cn:
        out.append(CRT_CN_MISSING.finding(where=where))
    else:
        out += _one_name(cn, CRT_CN_FQDN, UPLOAD_CN, "CN", where)
    names_ = ci.san(obj)
    for entry in names_ or []:
        if isinstance(entry, x509.IPAddress):
            out.append(CRT_SAN_FQDN.finding(
                UPLOAD_SAN, where=f"{where}: SAN IP {entry.value}"))
        elif isinstance(entry, x509.DNSName):
            out += _one_name(entry.value, CRT_SAN_FQDN, UPLOAD_SAN, "SAN", where)
    if XMPP_OID in ci.other_name_oids(obj):
        out.append(CRT_XMPPADDR.finding(where=where))
    total = ", ".join(f"DNS:{n}" for n in ci.dns_sans(obj))
    if len(total) > 999:
        out.append(CRT_SAN_LEN.finding(where=where))
    return out


XMPP_OID = ci.XMPP_ADDR.dotted_string


def _one_name(name: str, rule, upload_text: str, what: str, where: str) -> list[Finding]:
    if names.is_wildcard(name):
        return [CRT_WILDCARD.finding(
            f"Wildcard certificates are not supported by Expressway ({what} {name!r}).",
            where=where)]
    if names.is_ip(name) or names.is_single_label(name):
        return [rule.finding(upload_text, where=f"{where}: {what} {name}")]
    problem = names.label_problem(name)
    if problem:
        return [
            CRT_FQDN_SYNTAX.finding(f"{what} {name!r} {problem}; " + CRT_FQDN_SYNTAX.message,
                                    where=where),
            rule.finding(upload_text, where=f"{where}: {what} {name}"),
        ]
    return []


def _eku(obj, where: str) -> list[Finding]:
    usages = ci.eku(obj)
    if usages is None:
        return [CRT_EKU_ABSENT.finding(where=where)]
    out = []
    if ci.SERVER_AUTH not in usages:
        out.append(CRT_EKU_SERVER.finding(where=where))
    if ci.CLIENT_AUTH not in usages:
        out.append(CRT_EKU_CLIENT.finding(where=where))
    return out


def _oids(obj, where: str) -> list[Finding]:
    names_ = [obj.subject] + ([obj.issuer] if isinstance(obj, x509.Certificate) else [])
    out = []
    for name in names_:
        for attr in name:
            oid = attr.oid.dotted_string
            if oid not in ci.KNOWN_NAME_OIDS and oid not in ci.EV_OIDS:
                out.append(CRT_OID.finding(
                    f"Unsupported OID {oid} in subject/issuer; may cause SSH tunnel failures.",
                    where=where))
    return out


def _misc(obj, where: str) -> list[Finding]:
    out = []
    if isinstance(obj, x509.CertificateSigningRequest):
        if hash_name(obj) not in ("sha256", "sha384", "sha512"):
            out.append(CSR_DIGEST.finding(
                f"CSR digest is {hash_name(obj) or 'unknown'}; it must be SHA-256 (default), "
                "SHA-384 or SHA-512.", where=where))
        if len(ci.dns_sans(obj)) + len(ci.ip_sans(obj)) > 1:
            out.append(ROLE_MULTISAN.finding(where=where))
        return out
    if ci.self_signed(obj):
        out.append(CRT_SELFSIGNED.finding(where=where))
    if "temporary ca" in ci.issuer_cn(obj).lower():
        out.append(CRT_DEFAULT.finding(where=where))
    return out


# ---------------------------------------------------------------------------- role rules


@check(P)
def role_names(ctx: Context) -> list[Finding]:
    out = []
    for role_id, subject, where in ctx.subjects(P):
        out += _role_rules(role_id, subject, ctx.role_fields(role_id), where)
    return out + _chat_mismatch(ctx)


def _vals(fields: dict[str, str], name: str) -> list[str]:
    return names.split_list(fields.get(name, ""))


def _role_rules(role_id: str, obj, fields: dict[str, str], where: str) -> list[Finding]:
    out: list[Finding] = []
    cn = ci.cn(obj)
    fqdn = fields.get("fqdn", "").strip()
    cluster = fields.get("cluster-fqdn", "").strip()
    has = lambda n: ci.in_sans(n, obj)  # noqa: E731
    if fqdn and not cluster and cn and cn.lower() != fqdn.lower():
        out.append(ROLE_STANDALONE_CN.finding(
            f"For a non-clustered Expressway, CN must be the Expressway FQDN {fqdn!r} (it is "
            f"{cn!r}).", where=where))
    if cluster:
        if cn.lower() != cluster.lower():
            out.append(ROLE_CLUSTER_CN.finding(
                f"For a clustered Expressway, CN must be the cluster FQDN {cluster!r} (it is "
                f"{cn!r}).", where=where))
        missing = [n for n in (cluster, fqdn) if n and not has(n)]
        if missing:
            out.append(ROLE_CLUSTER_SAN.finding(
                "Clustered peer certificate must contain both this peer's FQDN and the cluster "
                f"FQDN in SAN; missing: {', '.join(missing)}.", where=where))
    out += _uc_names(role_id, obj, fields, where, has)
    out += _zone(obj, fields, where)
    return out


def _uc_names(role_id, obj, fields, where, has) -> list[Finding]:
    out = []
    cluster = fields.get("cluster-fqdn", "").strip()
    if role_id == "expressway-c":
        for profile in _vals(fields, "phone-profiles"):
            if names.fqdn_problem(profile):
                out.append(ROLE_C_PROFILE_FQDN.finding(where=f"{where}: {profile}"))
            elif not has(profile):
                out.append(ROLE_C_PROFILES.finding(
                    f"Unified CM phone security profile '{profile}' missing from SAN.",
                    where=where))
        uc = _vals(fields, "phone-profiles") or _vals(fields, "chat-aliases")
        if cluster and uc and not has(cluster):
            out.append(ROLE_C_CLUSTERNAME.finding(where=where))
    if role_id == "expressway-e":
        for domain in _vals(fields, "ucm-domains"):
            if names.looks_private(domain):
                out.append(ROLE_E_PRIVDOM.finding(
                    f"'{domain}' looks private; private UCM domains need not be in the "
                    "Expressway-E certificate, list only edge domains.", where=where))
            elif not has(domain) and not has(f"collab-edge.{domain}"):
                out.append(ROLE_E_REGDOM.finding(
                    f"Unified CM registration domain '{domain}' missing from SAN (add "
                    f"DNS:{domain} or DNS:collab-edge.{domain}).", where=where))
        for domain in _vals(fields, "xmpp-domains"):
            if not has(domain):
                out.append(ROLE_E_XMPP.finding(
                    f"XMPP federation domain '{domain}' missing from SAN (DNS format).",
                    where=where))
        for alias in _vals(fields, "additional-names"):
            if not has(alias):
                out.append(ROLE_E_ALIASES.finding(
                    f"'{alias}' is a name of this Expressway-E but is not in the SAN.",
                    where=where))
    for alias in _vals(fields, "chat-aliases"):
        if not has(alias):
            out.append(ROLE_CHAT_ALIAS.finding(
                f"IM&P chat node alias '{alias}' missing from SAN.", where=where))
    return out


def _zone(obj, fields, where) -> list[Finding]:
    peer = fields.get("zone-peer-address", "").strip()
    if not peer:
        return []
    if names.is_ip(peer):
        return [ROLE_ZONE_IP.finding(
            f"Zone Peer address {peer} is an IP; configure it as an FQDN.", where=where)]
    if not ci.in_sans(peer, obj):
        return [ROLE_ZONE_PEER.finding(
            f"Zone peer address '{peer}' not found in the neighbor certificate SAN; TLS verify "
            "will fail.", where=where)]
    return []


def _chat_mismatch(ctx: Context) -> list[Finding]:
    c, e = ctx.leaf("expressway-c"), ctx.leaf("expressway-e")
    if c is None or e is None:
        return []
    aliases = _vals(ctx.fields, "chat-aliases")
    if not aliases:  # without the list: names both should share are those not their own
        own = {ci.cn(c).lower(), ci.cn(e).lower()}
        aliases = [n for n in ci.dns_sans(c) if "chat" in n.lower() and n.lower() not in own]
    differ = [a for a in aliases if ci.in_sans(a, c) != ci.in_sans(a, e)]
    if not differ:
        return []
    return [ROLE_CHAT_MISMATCH.finding(
        "Expressway-E must contain the same chat node aliases as Expressway-C; differing: "
        f"{', '.join(differ)}.", where=", ".join(f.name for f in ctx.role_files("expressway-e")))]


# --------------------------------------------------------------------------- trust list


def trust_list_files(ctx: Context) -> list[FileFacts]:
    """The trusted CA list: files given as trust, and CA-only files of an Expressway role."""
    out = list(ctx.trust_files) if ctx.product == P else []
    for facts in ctx.product_files(P):
        certs = facts.certificates
        if certs and all(is_ca(c) for c in certs):
            out.append(facts)
    return out


@check(P)
def trust_list(ctx: Context) -> list[Finding]:
    files = trust_list_files(ctx)
    out: list[Finding] = []
    for facts in files:
        if not facts.certificates and not facts.crls:
            out.append(CHN_FMT.finding(where=facts.name))
        out += _order(facts)
    certs = unique(c for f in files for c in f.certificates)
    if not certs:
        return out + _chain(ctx, [])
    where = ", ".join(f.name for f in files)
    out += _trust_hygiene(ctx, certs, where)
    return out + _chain(ctx, certs)


def _trust_hygiene(ctx: Context, certs, where: str) -> list[Finding]:
    out = []
    role_c = (ctx.role is not None and ctx.role.id == "expressway-c") or any(
        f.role_id == "expressway-c" for f in ctx.files)
    for cert in certs:
        bc = ci.ext(cert, x509.BasicConstraints)
        # Without basicConstraints a self-signed certificate is a CA only if it signs others.
        if bc is None and (not ci.self_signed(cert) or ci.ku_has(cert, "key_cert_sign")):
            out.append(CHN_NOTCA.finding(
                f"CA certificate '{ci.label(cert)}' lacks the BasicConstraints extension "
                "(required by Expressway CA check).", where=where))
        elif bc is None or not bc.ca:
            severity = Severity.INFO if role_c else None
            out.append(CHN_LEAF_IN_CA.finding(
                f"End-entity certificate '{ci.label(cert)}' found in trusted CA list.",
                where=where, severity=severity))
    out += _same_cn(certs, where)
    if len(certs) > 1000:
        out.append(CHN_MAX.finding(
            f"Trust store supports at most 1000 CAs; this list has {len(certs)}.", where=where))
    return out


def _same_cn(certs, where: str) -> list[Finding]:
    out = []
    for group in ci.by_common_name(certs):
        if len(group) < 2:
            continue
        name = ci.cn(group[0])
        selfs = [c for c in group if ci.self_signed(c)]
        if len(selfs) >= 2:
            out.append(CHN_SELFSIGNED_SAMECN.finding(
                f"Expressway will only trust one of the {len(selfs)} self-signed certificates "
                f"with CN '{name}'; secure SIP/HTTP to UCM/IM&P will fail.", where=where))
        elif sum(is_ca(c) for c in group) >= 2:
            out.append(CHN_DUPCN.finding(
                f"{len(group)} CA certificates share the Common Name '{name}'; endpoint IdP "
                "login may fail.", where=where))
        pairs = {(c.subject.rfc4514_string(), c.issuer.rfc4514_string()) for c in group}
        if len(pairs) < len(group):
            out.append(CHN_REPLACE.finding(where=where))
    return out


def _order(facts: FileFacts) -> list[Finding]:
    certs = facts.certificates
    if len(certs) > 50:  # order is only advice; do not spend signature checks on huge lists
        return []
    for i, issuer in enumerate(certs):
        for child in certs[i + 1:]:
            if not ci.self_signed(child) and ci.signed_by(child, issuer):
                return [CHN_ORDER.finding(
                    f"'{ci.label(issuer)}' comes before '{ci.label(child)}', which it issued; "
                    "the order does not matter for the trusted CA list, bundles write the issuer "
                    "after the certificate it issued.", where=facts.name)]
    return []


def _chain(ctx: Context, trust) -> list[Finding]:
    out = []
    for role_id in ctx.roles_in_play(P):
        chain = ctx.role_chain(role_id, trust)
        if chain is None:
            continue
        leaf = ctx.leaf(role_id)
        where = ctx.where(role_id, leaf)
        if chain.missing_issuer is not None:
            out.append(CHN_INCOMPLETE.finding(
                "Trusted CA list must contain the full chain for the server certificate; "
                f"{chain.missing_issuer.sentence}.", where=where))
        if is_lets_encrypt(leaf):
            out += _lets_encrypt(leaf, trust, where)
        out.append(PROC_CA_FIRST.finding(where=where))
        out.append(PROC_RESTART.finding(where=where))
    return out


def _lets_encrypt(leaf, trust, where: str) -> list[Finding]:
    cns = {ci.cn(c) for c in trust}
    missing = [n for n in (ISRG_ROOT, ci.issuer_cn(leaf)) if n not in cns]
    if not missing:
        return []
    return [CHN_LE.finding(
        "Let's Encrypt deployments need both ISRG Root X1 and the Let's Encrypt intermediate in "
        f"the trust store; missing: {', '.join(missing)}.", where=where)]


@check(P)
def crls(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P) + ctx.trust_files:
        for crl in facts.crls:
            if facts.der:
                out.append(CRL_FMT.finding(where=facts.name))
            if len(facts.data) >= 16 * 1024 * 1024:
                out.append(CRL_SIZE.finding(where=facts.name))
            nxt = crl.next_update_utc
            if nxt is not None and nxt < ctx.now:
                out.append(CRL_EXPIRED.finding(
                    f"CRL of '{crl.issuer.rfc4514_string()}' expired on {nxt:%Y-%m-%d}: all "
                    "certificates issued by this CA will be treated as invalid.",
                    where=facts.name))
    return out


@check(P)
def process_notes(ctx: Context) -> list[Finding]:
    out = []
    for facts in ctx.product_files(P):
        if facts.csrs:
            out.append(PROC_ONECSR.finding(where=facts.name))
        if facts.has_key:
            out.append(PROC_KEY_SECRET.finding(where=facts.name))
    if ctx.role and ctx.role.product == P:
        if ctx.field("cluster-fqdn"):
            out.append(PROC_PER_PEER.finding())
            if ctx.leaf():
                out.append(PROC_TLS_PERMISSIVE.finding())
        if ctx.role.id == "expressway-c" and (ctx.field("chat-aliases")
                                              or ctx.field("phone-profiles")):
            out.append(PROC_REISSUE_C.finding())
        if ctx.role.id == "expressway-e" and any(
                ctx.field(n) for n in ("chat-aliases", "ucm-domains", "xmpp-domains")):
            out.append(PROC_REISSUE_E.finding())
    return out
