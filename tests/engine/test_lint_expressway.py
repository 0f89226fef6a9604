"""Expressway rules (seed-001 §4) and the checking scenarios AT-11, AT-16..AT-25: each rule with
a file that triggers it and a close one that does not."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from lint_support import ids, key_pem, legacy_key_pem, lint, of
from pki import DAY, NOW, fake_rsa_public, issue, make_csr, name, new_key, pem_of

from collabcert.lint.expressway import UPLOAD_CN, UPLOAD_SAN

SA, CA_ = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH


@pytest.fixture(scope="module")
def ca():
    root = issue(name("Example Root CA", "Example"), ca=True, not_after=NOW + 3000 * DAY)
    return root, issue(name("Example Issuing CA", "Example"), issuer=root, ca=True)


def leaf(ca, cn="expc.example.com", sans=("expc.example.com",), **kw):
    return issue(cn, issuer=ca[1], sans=list(sans), **kw)


def xp(ca, cert, *extra, role="expressway-c", fields=None, **opts):
    root, inter = ca
    files = [("server.pem", cert.pem), ("ca.pem", pem_of(inter.cert, root.cert)), *extra]
    return lint(*files, role=role, fields=fields, **opts)


def cert_with_public(ca, public):
    builder = (x509.CertificateBuilder().subject_name(name("expc.example.com"))
               .issuer_name(ca[1].cert.subject).public_key(public)
               .serial_number(x509.random_serial_number())
               .not_valid_before(NOW - DAY).not_valid_after(NOW + 90 * DAY)
               .add_extension(x509.SubjectAlternativeName([x509.DNSName("expc.example.com")]),
                              False)
               .add_extension(x509.ExtendedKeyUsage([SA, CA_]), False))
    return builder.sign(ca[1].key, hashes.SHA256())


def test_clean_expressway_set_has_no_errors(ca):
    good = leaf(ca)
    report = xp(ca, good, ("server.key", key_pem(good.key)))
    assert not report.failed, report.text_report()


# --- AT-11: Expressway's own upload messages, word for word (L878, L879)
def test_at11_ip_san_and_single_label_cn_quote_expressway(ca):
    report = xp(ca, leaf(ca, sans=["expc.example.com", "192.0.2.10"]))
    assert [f.message for f in of(report, "CRT-SAN-FQDN")] == [UPLOAD_SAN]
    assert UPLOAD_SAN == "File upload failed.: Subject alternative name must be a valid FQDN"
    report = xp(ca, leaf(ca, cn="expc", sans=["expc.example.com"]))
    assert [f.message for f in of(report, "CRT-CN-FQDN")] == [UPLOAD_CN]
    assert UPLOAD_CN == "File upload failed.: Common name must be a valid FQDN"
    assert report.failed


@pytest.mark.parametrize("bad", ["-a.example.com", "a-.example.com", "a_b.example.com",
                                 "host.example.1com", "a..example.com"])
def test_at10_fqdn_syntax(ca, bad):
    assert "CRT-FQDN-SYNTAX" in ids(xp(ca, leaf(ca, sans=["expc.example.com", bad])))


def test_at12_wildcard(ca):
    assert "CRT-WILDCARD" in ids(xp(ca, leaf(ca, sans=["expc.example.com", "*.example.com"])))
    assert "CRT-WILDCARD" not in ids(xp(ca, leaf(ca)))


def test_cn_missing(ca):
    no_cn = issue(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example")]),
                  issuer=ca[1], sans=["expc.example.com"])
    assert "CRT-CN-MISSING" in ids(xp(ca, no_cn))
    assert "CRT-CN-MISSING" not in ids(xp(ca, leaf(ca)))


# --- AT-16: serverAuth only (AD CS Web Server template)
def test_at16_missing_client_auth_names_the_template(ca):
    found = of(xp(ca, leaf(ca, eku=[SA])), "CRT-EKU-CLIENT")
    assert found and "CertificateTemplate:Webclientandserver" in found[0].fix
    assert "CRT-EKU-CLIENT" not in ids(xp(ca, leaf(ca)))


def test_eku_server_and_absent(ca):
    assert "CRT-EKU-SERVER" in ids(xp(ca, leaf(ca, eku=[CA_])))
    assert "CRT-EKU-ABSENT" in ids(xp(ca, leaf(ca, eku=[])))
    assert not {"CRT-EKU-SERVER", "CRT-EKU-ABSENT"} & ids(xp(ca, leaf(ca)))


# --- AT-17: an encrypted key is an error finding, not a PasswordNeeded stop
@pytest.mark.parametrize("make", [lambda k: key_pem(k, b"secret"),
                                  lambda k: legacy_key_pem(k, b"secret")])
def test_at17_encrypted_key(ca, make):
    good = leaf(ca)
    report = xp(ca, good, ("server.key", make(good.key)))
    assert "KEY-ENC" in ids(report, "error") and report.failed
    assert "KEY-ENC" not in ids(xp(ca, good, ("server.key", key_pem(good.key))))


def test_at17_locked_key_without_role_is_info():
    report = lint(("k.pem", key_pem(new_key(), b"pw")))
    assert "KEY-ENC" in ids(report, "info") and not report.failed


# --- AT-18
def test_at18_key_without_trailing_newline(ca):
    good = leaf(ca)
    assert "KEY-NL" in ids(xp(ca, good, ("k.key", key_pem(good.key).rstrip(b"\n"))))
    assert "KEY-NL" not in ids(xp(ca, good, ("k.key", key_pem(good.key))))


def test_key_fmt_der_key(ca):
    good = leaf(ca)
    der = good.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    assert "KEY-FMT" in ids(xp(ca, good, ("k.der", der)))
    assert "KEY-FMT" not in ids(xp(ca, good, ("k.pem", key_pem(good.key))))


# --- AT-19 / AT-20: DER certificate and CSR
def test_at19_der_certificate_gives_the_openssl_command(ca):
    good = leaf(ca)
    report = lint(("server.cer", good.der), role="expressway-c")
    found = of(report, "CRT-FMT")
    assert found[0].fix == ("openssl x509 -in server.cer -inform DER -out server.pem "
                            "-outform PEM")
    assert "CRT-FMT" not in ids(lint(("server.cer", good.pem), role="expressway-c"))


def test_at20_der_csr_gives_the_openssl_command():
    csr = make_csr(new_key(), "expc.example.com", ["expc.example.com"])
    der = csr.public_bytes(serialization.Encoding.DER)
    found = of(lint(("certcsr.der", der), role="expressway-c"), "CRT-FMT")
    assert found[0].fix == ("openssl req -in certcsr.der -inform DER -out certcsr.pem "
                            "-outform PEM")


# --- AT-21
def test_at21_key_of_the_other_peer(ca):
    peer1, peer2 = leaf(ca), leaf(ca, cn="expc.example.com")
    assert "KEY-MATCH" in ids(xp(ca, peer1, ("peer2.key", key_pem(peer2.key))))
    assert "KEY-MATCH" not in ids(xp(ca, peer1, ("peer1.key", key_pem(peer1.key))))


# --- AT-14 keys
def test_at14_key_sizes(ca):
    assert "KEY-8192" in ids(xp_cert(ca, cert_with_public(ca, fake_rsa_public(8192))))
    assert "KEY-SIZE" in ids(xp_cert(ca, cert_with_public(ca, fake_rsa_public(3072))))
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert "KEY-WEAK" in ids(lint(("k.pem", key_pem(weak)), role="expressway-c"), "error")
    assert not {"KEY-8192", "KEY-SIZE", "KEY-WEAK"} & ids(xp(ca, leaf(ca)))


def xp_cert(ca, cert):
    return lint(("server.pem", cert.public_bytes(serialization.Encoding.PEM)),
                ("ca.pem", pem_of(ca[1].cert, ca[0].cert)), role="expressway-c")


def test_key_type_and_ecdsa_version(ca):
    from cryptography.hazmat.primitives.asymmetric import ed25519

    other = ed25519.Ed25519PrivateKey.generate()  # neither RSA nor ECDSA (DSA is as slow as RSA)
    assert "KEY-TYPE" in ids(lint(("k.pem", key_pem(other)), role="expressway-e"))
    ec_key = new_key()
    old = lint(("k.pem", key_pem(ec_key)), role="expressway-e", expressway_version="X14.2")
    assert "KEY-ECDSA-VER" in ids(old)
    new = lint(("k.pem", key_pem(ec_key)), role="expressway-e", expressway_version="X14.3")
    assert "KEY-ECDSA-VER" not in ids(new)


# --- AT-22 Let's Encrypt
def test_at22_lets_encrypt_needs_root_and_r3():
    isrg = issue(name("ISRG Root X1", "Internet Security Research Group"), ca=True)
    r3 = issue(name("R3", "Let's Encrypt"), issuer=isrg, ca=True)
    le_leaf = issue("expe.example.com", issuer=r3, sans=["expe.example.com"],
                    not_after=NOW + 89 * DAY, not_before=NOW - DAY)
    report = lint(("server.pem", le_leaf.pem), ("isrg.pem", isrg.pem, "trust"),
                  role="expressway-e")
    assert {"CHN-INCOMPLETE", "CHN-LE"} <= ids(report, "error")
    report = lint(("server.pem", le_leaf.pem), ("isrg.pem", isrg.pem, "trust"),
                  ("lets-encrypt-r3.pem", r3.pem, "trust"), role="expressway-e")
    assert not {"CHN-INCOMPLETE", "CHN-LE"} & ids(report)


# --- AT-23 expiry rules
def test_at23_expired_2050_and_acme_two_thirds(ca):
    expired = leaf(ca, not_before=NOW - 400 * DAY, not_after=NOW - DAY)
    assert "CRT-EXPIRED" in ids(xp(ca, expired), "error")
    y2050 = leaf(ca, not_after=dt.datetime(2050, 6, 1, tzinfo=dt.UTC))
    assert "CRT-2050" in ids(xp(ca, y2050), "warning")
    assert not {"CRT-EXPIRED", "CRT-2050"} & ids(xp(ca, leaf(ca)))
    isrg = issue(name("ISRG Root X1", "Internet Security Research Group"), ca=True)
    r3 = issue(name("R3", "Let's Encrypt"), issuer=isrg, ca=True)
    day61 = issue("expe.example.com", issuer=r3, sans=["expe.example.com"],
                  not_before=NOW - 61 * DAY, not_after=NOW + 29 * DAY)
    day30 = issue("expe.example.com", issuer=r3, sans=["expe.example.com"],
                  not_before=NOW - 30 * DAY, not_after=NOW + 60 * DAY)
    trust = ("le.pem", pem_of(r3.cert, isrg.cert), "trust")
    assert "CRT-EXPIRING" in ids(lint(("s.pem", day61.pem), trust, role="expressway-e"))
    assert "CRT-EXPIRING" not in ids(lint(("s.pem", day30.pem), trust, role="expressway-e"))


def test_not_yet_valid(ca):
    assert "CRT-NOTYET" in ids(xp(ca, leaf(ca, not_before=NOW + 2 * DAY)))


# --- AT-24 OIDs
def test_at24_unknown_oid_but_ev_oids_pass(ca):
    bad = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "expc.example.com"),
                     x509.NameAttribute(x509.ObjectIdentifier("1.3.6.1.4.1.6449.1.2.1.5.1"),
                                        "x")])
    ev = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "expc.example.com"),
                    x509.NameAttribute(x509.ObjectIdentifier("1.3.6.1.4.1.311.60.2.1.1"),
                                       "Dover")])
    assert "CRT-OID" in ids(xp(ca, issue(bad, issuer=ca[1], sans=["expc.example.com"])))
    assert "CRT-OID" not in ids(xp(ca, issue(ev, issuer=ca[1], sans=["expc.example.com"])))


# --- AT-25 trusted CA list hygiene
def test_at25a_two_self_signed_same_cn():
    cm = issue("cucm1.example.com", sans=["cucm1.example.com"])
    tomcat = issue("cucm1.example.com", sans=["cucm1.example.com"])
    report = lint(("trust.pem", pem_of(cm.cert, tomcat.cert), "trust"), role="expressway-c")
    assert "CHN-SELFSIGNED-SAMECN" in ids(report, "error")
    other = issue("cucm2.example.com", sans=["cucm2.example.com"])
    report = lint(("trust.pem", pem_of(cm.cert, other.cert), "trust"), role="expressway-c")
    assert "CHN-SELFSIGNED-SAMECN" not in ids(report)


def test_at25b_two_cas_same_cn(ca):
    a = issue(name("Corp Issuing CA"), issuer=ca[0], ca=True)
    b = issue(name("Corp Issuing CA"), issuer=ca[0], ca=True)
    report = lint(("trust.pem", pem_of(a.cert, b.cert, ca[0].cert), "trust"), role="expressway-c")
    assert "CHN-DUPCN" in ids(report, "warning") and "CHN-REPLACE" in ids(report)
    report = lint(("trust.pem", pem_of(a.cert, ca[0].cert), "trust"), role="expressway-c")
    assert not {"CHN-DUPCN", "CHN-REPLACE"} & ids(report)


def test_at25c_more_than_1000_cas():
    key = new_key()
    certs = [issue(name(f"CA {i}"), key=key, ca=True).cert for i in range(1001)]
    assert "CHN-MAX" in ids(lint(("t.pem", pem_of(*certs), "trust"), role="expressway-c"))
    assert "CHN-MAX" not in ids(lint(("t.pem", pem_of(*certs[:1000]), "trust"),
                                     role="expressway-c"))


def test_at25d_ca_without_basic_constraints(ca):
    no_bc = issue(name("Old CA"), issuer=ca[0], basic_constraints=False)
    report = lint(("t.pem", pem_of(no_bc.cert, ca[0].cert), "trust"), role="expressway-c")
    assert "CHN-NOTCA" in ids(report, "error")
    report = lint(("t.pem", pem_of(ca[1].cert, ca[0].cert), "trust"), role="expressway-c")
    assert "CHN-NOTCA" not in ids(report)


def test_trust_list_leaf_in_ca_and_format(ca):
    peer = leaf(ca)
    report = lint(("t.pem", pem_of(peer.cert, ca[0].cert), "trust"), role="expressway-e")
    assert "CHN-LEAF-IN-CA" in ids(report, "warning")
    report = lint(("t.pem", pem_of(peer.cert, ca[0].cert), "trust"), role="expressway-c")
    assert "CHN-LEAF-IN-CA" in ids(report, "info")  # signed UCM certificates, L1139
    report = lint(("t.der", ca[0].der, "trust"), role="expressway-c")
    assert "CHN-FMT" in ids(report)
    assert "CHN-FMT" not in ids(lint(("t.pem", ca[0].pem, "trust"), role="expressway-c"))


def test_chain_order_and_expired_ca(ca):
    root, inter = ca
    report = lint(("t.pem", pem_of(root.cert, inter.cert), "trust"), role="expressway-c")
    assert "CHN-ORDER" in ids(report, "info")
    report = lint(("t.pem", pem_of(inter.cert, root.cert), "trust"), role="expressway-c")
    assert "CHN-ORDER" not in ids(report)
    old = issue(name("Old Root"), ca=True, not_before=NOW - 900 * DAY, not_after=NOW - DAY)
    assert "CHN-EXPIRED" in ids(lint(("t.pem", old.pem, "trust"), role="expressway-c"))


def test_selfsigned_default_xmppaddr_and_san_length(ca):
    selfsigned = issue("expc.example.com", sans=["expc.example.com"])
    assert "CRT-SELFSIGNED" in ids(lint(("s.pem", selfsigned.pem), role="expressway-c"))
    assert "CRT-SELFSIGNED" not in ids(xp(ca, leaf(ca)))
    temp_ca = issue(name("Temporary CA 1234-abcd"), ca=True)
    temp = issue("expc.example.com", issuer=temp_ca, sans=["expc.example.com"])
    assert "CRT-DEFAULT" in ids(lint(("s.pem", temp.pem), role="expressway-c"))
    xmpp = x509.SubjectAlternativeName([
        x509.DNSName("expe.example.com"),
        x509.OtherName(x509.ObjectIdentifier("1.3.6.1.5.5.7.8.5"), b"\x0c\x0bexample.com")])
    with_xmpp = issue("expe.example.com", issuer=ca[1], extra=[xmpp])
    assert "CRT-XMPPADDR" in ids(xp(ca, with_xmpp, role="expressway-e"))
    many = [f"host{i:03d}.example.com" for i in range(60)]
    assert "CRT-SAN-LEN" in ids(xp(ca, leaf(ca, sans=["expc.example.com", *many])))
    assert "CRT-SAN-LEN" not in ids(xp(ca, leaf(ca)))


def test_csr_digest_and_multisan():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    csr = make_csr(key, "expe.example.com", ["expe.example.com", "collab-edge.example.com"],
                   digest=hashes.SHA224())
    report = lint(("r.csr", csr.public_bytes(serialization.Encoding.PEM)), role="expressway-e")
    assert {"CSR-DIGEST", "ROLE-MULTISAN", "PROC-ONECSR"} <= ids(report)


# --- 4.3 role rules
def test_role_cn_rules(ca):
    fields = {"fqdn": "expc1.example.com"}
    assert "ROLE-STANDALONE-CN" in ids(xp(ca, leaf(ca), fields=fields))
    assert "ROLE-STANDALONE-CN" not in ids(xp(ca, leaf(ca), fields={"fqdn": "expc.example.com"}))
    cluster = {"fqdn": "expc1.example.com", "cluster-fqdn": "expc.example.com"}
    report = xp(ca, leaf(ca, cn="expc1.example.com", sans=["expc1.example.com"]), fields=cluster)
    assert {"ROLE-CLUSTER-CN", "ROLE-CLUSTER-SAN", "PROC-PER-PEER",
            "PROC-TLS-PERMISSIVE"} <= ids(report)
    good = leaf(ca, cn="expc.example.com", sans=["expc.example.com", "expc1.example.com"])
    assert not {"ROLE-CLUSTER-CN", "ROLE-CLUSTER-SAN"} & ids(xp(ca, good, fields=cluster))


def test_role_c_profiles_chat_and_cluster_name(ca):
    fields = {"fqdn": "expc1.example.com", "cluster-fqdn": "expc.example.com",
              "phone-profiles": "jabbersecureprofile.domain.com,DX80SecureProfile",
              "chat-aliases": "chatnode1.example.com"}
    cert = leaf(ca, cn="expc.example.com", sans=["expc1.example.com"])
    report = xp(ca, cert, fields=fields)
    assert {"ROLE-C-PROFILES", "ROLE-C-PROFILE-FQDN", "ROLE-CHAT-ALIAS", "ROLE-C-CLUSTERNAME",
            "PROC-REISSUE-C"} <= ids(report)
    full = leaf(ca, cn="expc.example.com", sans=[
        "expc.example.com", "expc1.example.com", "chatnode1.example.com",
        "jabbersecureprofile.domain.com"])
    fields["phone-profiles"] = "jabbersecureprofile.domain.com"
    assert not {"ROLE-C-PROFILES", "ROLE-CHAT-ALIAS", "ROLE-C-CLUSTERNAME"} & ids(
        xp(ca, full, fields=fields))


def test_role_e_domains(ca):
    fields = {"fqdn": "expe.example.com", "ucm-domains": "example.com,corp.local",
              "xmpp-domains": "example.org", "additional-names": "alias.example.com"}
    cert = leaf(ca, cn="expe.example.com", sans=["expe.example.com"])
    report = xp(ca, cert, role="expressway-e", fields=fields)
    assert {"ROLE-E-REGDOM", "ROLE-E-PRIVDOM", "ROLE-E-XMPP", "ROLE-E-ALIASES",
            "PROC-REISSUE-E"} <= ids(report)
    good = leaf(ca, cn="expe.example.com", sans=["expe.example.com", "collab-edge.example.com",
                                                  "example.org", "alias.example.com"])
    report = xp(ca, good, role="expressway-e", fields=fields)
    assert not {"ROLE-E-REGDOM", "ROLE-E-XMPP", "ROLE-E-ALIASES"} & ids(report)


def test_role_chat_mismatch_cross_file(ca):
    c = leaf(ca, cn="expc.example.com", sans=["expc.example.com", "chatnode1.example.com",
                                              "chatnode2.example.com"])
    e = leaf(ca, cn="expe.example.com", sans=["expe.example.com", "chatnode1.example.com"])
    report = lint(("c.pem", c.pem, "expressway-c"), ("e.pem", e.pem, "expressway-e"))
    assert "ROLE-CHAT-MISMATCH" in ids(report)
    e2 = leaf(ca, cn="expe.example.com", sans=["expe.example.com", "chatnode1.example.com",
                                               "chatnode2.example.com"])
    report = lint(("c.pem", c.pem, "expressway-c"), ("e.pem", e2.pem, "expressway-e"))
    assert "ROLE-CHAT-MISMATCH" not in ids(report)


def test_zone_peer_rules(ca):
    cert = leaf(ca)
    assert "ROLE-ZONE-PEER" in ids(xp(ca, cert, fields={"zone-peer-address": "x.example.com"}))
    assert "ROLE-ZONE-IP" in ids(xp(ca, cert, fields={"zone-peer-address": "192.0.2.1"}))
    assert not {"ROLE-ZONE-PEER", "ROLE-ZONE-IP"} & ids(
        xp(ca, cert, fields={"zone-peer-address": "expc.example.com"}))


def test_crl_rules(ca):
    root = ca[0]
    builder = (x509.CertificateRevocationListBuilder().issuer_name(root.cert.subject)
               .last_update(NOW - 10 * DAY))
    stale = builder.next_update(NOW - DAY).sign(root.key, hashes.SHA256())
    fresh = builder.next_update(NOW + 5 * DAY).sign(root.key, hashes.SHA256())
    pem = stale.public_bytes(serialization.Encoding.PEM)
    assert "CRL-EXPIRED" in ids(lint(("c.pem", pem, "trust"), role="expressway-c"))
    der = fresh.public_bytes(serialization.Encoding.DER)
    report = lint(("c.crl", der), role="expressway-c")
    assert "CRL-FMT" in ids(report) and "CRL-EXPIRED" not in ids(report)
    assert "CRL-SIZE" not in ids(report)
    big = fresh.public_bytes(serialization.Encoding.PEM) + b"\n" * (16 * 1024 * 1024)
    assert "CRL-SIZE" in ids(lint(("big.pem", big), role="expressway-c"))


def test_process_notes_are_info_where_they_apply(ca):
    good = leaf(ca)
    report = xp(ca, good, ("server.key", key_pem(good.key)))
    assert {"PROC-CA-FIRST", "PROC-RESTART", "PROC-KEY-SECRET"} <= ids(report, "info")
    assert not report.failed
    bare = lint(("ca.pem", pem_of(ca[1].cert, ca[0].cert)), role="expressway-c")
    assert not {"PROC-CA-FIRST", "PROC-RESTART", "PROC-KEY-SECRET"} & ids(bare)
