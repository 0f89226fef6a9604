"""CUCM / IM and Presence rules (seed-004 §3.2) and scenarios AT01, AT06-AT13."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID
from lint_support import ids, key_pem, lint, of
from pki import DAY, NOW, issue, make_csr, name, new_key, pem_of

from collabcert.lint import cucm

SA, CLA = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH
IPSEC = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.5")


@pytest.fixture(scope="module")
def pki():
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = issue(name("Test Root CA"), key=rsa_key, ca=True, not_after=NOW + 3000 * DAY)
    ica = issue(name("Test Issuing CA"), issuer=root, ca=True, path_length=0,
                key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    tomcat_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return root, ica, tomcat_key


def ku_leaf(issuer, cn="cucm-pub.example.com", key=None, eku=(SA, CLA), ke=True, de=True,
            kcs=False, ka=False, sans=("cucm-pub.example.com",)):
    ku = x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=ke,
                       data_encipherment=de, key_agreement=ka, key_cert_sign=kcs,
                       crl_sign=False, encipher_only=False, decipher_only=False)
    key = key or new_key()
    builder = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(issuer.cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW - DAY).not_valid_after(NOW + 700 * DAY)
               .add_extension(ku, True)
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]),
                              False))
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), False)
    from cryptography.hazmat.primitives import hashes

    cert = builder.sign(issuer.key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.PEM), key


def test_at01_ca_only_file_to_identity_purpose(pki):
    root = pki[0]
    found = of(lint(("root.pem", root.pem), role="cucm-tomcat"), "CU-P01")
    assert found and "tomcat-trust" in found[0].message
    assert "CU-P01" not in ids(lint(("root.pem", root.pem, "trust"), role="cucm-tomcat"))


def test_at03_chain_missing_subordinate_ca(pki):
    root, ica, key = pki
    tomcat, _ = ku_leaf(ica, key=key)
    report = lint(("tomcat.pem", tomcat), ("root.pem", root.pem, "trust"), role="cucm-tomcat")
    assert {"CU-C01", "CU-C04"} <= ids(report, "error")
    assert "Test Issuing CA" in of(report, "CU-C01")[0].message
    report = lint(("tomcat.pem", tomcat), ("trust.pem", pem_of(ica.cert, root.cert), "trust"),
                  role="cucm-tomcat")
    assert not {"CU-C01", "CU-C04"} & ids(report)


def test_at04_at05_formats(pki):
    root, ica, key = pki
    tomcat, _ = ku_leaf(ica, key=key)
    cert = x509.load_pem_x509_certificate(tomcat)
    der = cert.public_bytes(serialization.Encoding.DER)
    assert "CU-F03" in ids(lint(("tomcat.der", der), role="cucm-tomcat"), "info")
    p7_der = pkcs7.serialize_certificates([cert, ica.cert, root.cert], serialization.Encoding.DER)
    report = lint(("chain_der.p7b", p7_der), role="cucm-tomcat")
    assert {"CU-F02", "CU-C05"} <= ids(report)
    p7_pem = pkcs7.serialize_certificates([cert, ica.cert, root.cert], serialization.Encoding.PEM)
    assert "CU-F02" not in ids(lint(("chain.p7b", p7_pem), role="cucm-tomcat"))
    p12 = pkcs12.serialize_key_and_certificates(b"t", key, cert, None,
                                                serialization.NoEncryption())
    assert {"CU-F01", "CU-F05"} <= ids(lint(("t.p12", p12), role="cucm-tomcat"), "error")
    csr_der = make_csr(key, "cucm-pub.example.com").public_bytes(serialization.Encoding.DER)
    assert "CU-F04" in ids(lint(("t.csr", csr_der), role="cucm-tomcat"))
    junk = tomcat + b"some text\n" + ica.pem
    assert "CU-F06" in ids(lint(("chain.pem", junk), role="cucm-tomcat"))
    assert "CU-F06" not in ids(lint(("chain.pem", tomcat + ica.pem), role="cucm-tomcat"))


def test_at06_certificate_for_an_older_csr(pki):
    ica = pki[1]
    key_a, key_b = new_key(), new_key()
    cert_a, _ = ku_leaf(ica, key=key_a)
    csr = lambda k: make_csr(k, "cucm-pub.example.com").public_bytes(  # noqa: E731
        serialization.Encoding.PEM)
    assert "CU-X01" in ids(lint(("t.pem", cert_a), ("b.csr", csr(key_b)),
                                role="cucm-tomcat-ecdsa"), "error")
    assert "CU-X01" not in ids(lint(("t.pem", cert_a), ("a.csr", csr(key_a)),
                                    role="cucm-tomcat-ecdsa"))


def test_at07_eku_per_type(pki):
    ica = pki[1]
    rsa_key = pki[2]
    cm, _ = ku_leaf(ica, key=rsa_key, eku=(SA,))
    assert "CU-X03" in ids(lint(("cm.pem", cm), role="cucm-callmanager"), "error")
    cm_ok, _ = ku_leaf(ica, key=rsa_key)
    assert "CU-X03" not in ids(lint(("cm.pem", cm_ok), role="cucm-callmanager"))
    assert "CU-X04" in ids(lint(("ipsec.pem", cm_ok), role="cucm-ipsec"), "error")
    ipsec, _ = ku_leaf(ica, key=rsa_key, eku=(SA, CLA, IPSEC))
    assert "CU-X04" not in ids(lint(("ipsec.pem", ipsec), role="cucm-ipsec"))
    no_sa, _ = ku_leaf(ica, key=rsa_key, eku=(CLA,))
    assert "CU-X02" in ids(lint(("cm.pem", no_sa), role="cucm-callmanager"))


def test_at08_capf(pki):
    ica, rsa_key = pki[1], pki[2]
    capf, _ = ku_leaf(ica, key=rsa_key, eku=(SA,), de=False)
    report = lint(("capf.pem", capf), role="cucm-capf",
                  fields={"multi-server-fqdns": "cucm-sub1.example.com", "node": "subscriber"})
    assert {"CU-X06", "CU-X10"} <= ids(report, "error") and "CU-X12" in ids(report, "info")
    ok, _ = ku_leaf(ica, key=rsa_key, eku=(SA,), de=False, kcs=True)
    assert not {"CU-X06", "CU-X10", "CU-X12"} & ids(lint(("capf.pem", ok), role="cucm-capf"))


def test_at09_key_type_and_ecdsa_ku(pki):
    ica, rsa_key = pki[1], pki[2]
    ec_leaf, _ = ku_leaf(ica)
    found = of(lint(("t.pem", ec_leaf), role="cucm-tomcat"), "CU-P04")
    assert found and "tomcat-ECDSA" in found[0].message
    rsa_leaf, _ = ku_leaf(ica, key=rsa_key)
    found = of(lint(("t.pem", rsa_leaf), role="cucm-callmanager-ecdsa"), "CU-P04")
    assert found and "'CallManager'" in found[0].message
    ec_no_ke, _ = ku_leaf(ica, ke=False, de=False)
    report = lint(("t.pem", ec_no_ke), role="cucm-tomcat-ecdsa")
    assert "CU-X05" in ids(report, "info") and "CU-X05" not in ids(report, "warning")
    rsa_no_de, _ = ku_leaf(ica, key=rsa_key, de=False)
    assert "CU-X05" in ids(lint(("t.pem", rsa_no_de), role="cucm-tomcat"), "warning")
    assert "CU-P04" not in ids(lint(("t.pem", rsa_leaf), role="cucm-tomcat"))


def test_at10_csr_reply_uploaded_as_trust(pki):
    ica, key = pki[1], new_key()
    reply, _ = ku_leaf(ica, key=key)
    csr = make_csr(key, "cucm-pub.example.com").public_bytes(serialization.Encoding.PEM)
    assert "CU-P03" in ids(lint(("t.pem", reply, "trust"), ("t.csr", csr),
                                role="cucm-tomcat-ecdsa"), "warning")
    peer, _ = ku_leaf(ica, cn="imp.example.com")
    assert "CU-P03" not in ids(lint(("peer.pem", peer, "trust"), ("t.csr", csr),
                                    role="cucm-tomcat-ecdsa"))


def test_at11_expiry_and_monitor(pki):
    ica = pki[1]
    soon = issue("cucm-pub.example.com", issuer=ica, not_after=NOW + 5 * DAY)
    report = lint(("t.pem", soon.pem), role="cucm-tomcat-ecdsa", fields={"notify-days": "30"})
    assert [f.message for f in of(report, "CU-E02")] == ["Expires in 5 days; regenerate before "
                                                        "expiry."]
    assert "every 24 h" in of(report, "CU-E03")[0].message
    gone = issue("cucm-pub.example.com", issuer=ica, not_before=NOW - 30 * DAY,
                 not_after=NOW - DAY)
    report = lint(("t.pem", gone.pem), role="cucm-tomcat-ecdsa", fields={"notify-days": "30"})
    assert "CU-E01" in ids(report, "error") and "hourly" in of(report, "CU-E03")[0].message
    later = issue("cucm-pub.example.com", issuer=ica, not_before=NOW + 2 * DAY)
    assert "CU-E06" in ids(lint(("t.pem", later.pem), role="cucm-tomcat-ecdsa"), "info")


def test_at12_delete_plan(pki):
    root, ica, key = pki
    tomcat = x509.load_pem_x509_certificate(ku_leaf(ica, key=key)[0])
    found = cucm.delete_findings(ica.cert, [root.cert, ica.cert, tomcat], "tomcat-trust")
    assert [f.id for f in found] == ["CU-C06", "CU-C08"]
    assert "cannot be undone" in found[0].message
    assert [f.id for f in cucm.delete_findings(tomcat, [], "tomcat")] == ["CU-C07"]
    assert cucm.delete_findings(tomcat, [root.cert], "ipsec-trust") == []


def test_at13_stale_peer_tomcat_in_tomcat_trust(pki):
    ica = pki[1]
    current = issue("cucm-pub.example.com", sans=["cucm-pub.example.com"])
    stale = issue("cucm-pub.example.com", sans=["cucm-pub.example.com"])
    report = lint(("cucm-tomcat.pem", current.pem, "peer"), ("imp-trust.pem", stale.pem, "trust"),
                  role="imp-cup-xmpp")
    assert "CU-T02" in ids(report, "warning") and "CU-T01" in ids(report, "error")
    t01 = of(report, "CU-T01")[0]
    assert "Connection to the Server cannot be established (unable to connect to Remote Node)" \
        in t01.message
    steps = ["wait 30 minutes", "content matches", "Cisco Intercluster Sync Agent",
             "utils service restart Cisco Tomcat", "Tomcat-ECDSA", "on each affected server"]
    positions = [t01.fix.index(s) for s in steps]
    assert positions == sorted(positions)
    report = lint(("cucm-tomcat.pem", current.pem, "peer"),
                  ("imp-trust.pem", current.pem, "trust"), role="imp-cup-xmpp")
    assert not {"CU-T01", "CU-T02"} & ids(report)
    signed = issue("cucm-pub.example.com", issuer=ica)
    report = lint(("peer.pem", signed.pem, "peer"), ("trust.pem", pem_of(ica.cert, pki[0].cert),
                                                     "trust"), role="imp-cup-xmpp")
    assert "CU-T01" not in ids(report)


def test_multi_server_extras_signature_and_ocsp(pki):
    ica, rsa_key = pki[1], pki[2]
    many, _ = ku_leaf(ica, key=rsa_key, eku=(SA, CLA, IPSEC),
                      sans=("imp1.example.com", "imp2.example.com"), ka=True)
    report = lint(("cup.pem", many), role="imp-cup")
    assert "CU-X11" in ids(report, "warning")
    extra, _ = ku_leaf(ica, key=rsa_key, eku=(SA, CLA, IPSEC), ka=True)
    assert "CU-X07" in ids(lint(("t.pem", extra), role="cucm-tomcat"), "info")
    ec_signed = issue("cucm-pub.example.com", issuer=issue(name("EC CA"), ca=True),
                      key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    assert "CU-X08" in ids(lint(("t.pem", ec_signed.pem), role="cucm-tomcat"))
    assert "CU-X08" not in ids(lint(("t.pem", extra), role="cucm-tomcat"))
    selfsigned = issue("cucm-pub.example.com", key=rsa_key)
    assert "CU-X13" in ids(lint(("t.pem", selfsigned.pem), role="cucm-tomcat"))
    report = lint(("t.pem", extra), role="cucm-tomcat", fields={"ocsp-mode": "certificate"})
    assert "CU-T03" in ids(report)
    report = lint(("t.pem", extra), role="cucm-tomcat", fields={"ocsp-mode": "configured"})
    assert "CU-T04" in ids(report, "error")
    report = lint(("t.pem", extra), role="cucm-tomcat",
                  fields={"ocsp-mode": "configured", "ocsp-uri": "http://ocsp.example.com"})
    assert "CU-T04" not in ids(report)


def test_monitor_fields_sha1_and_ocsp_signing(pki):
    from pki import sha1_signed

    root, ica, rsa_key = pki
    report = lint(("t.pem", root.pem, "trust"), role="cucm-tomcat",
                  fields={"email-ids": "a@example.com, b@example.com", "notify-days": "thirty"})
    assert {"CU-E04", "CU-E05"} <= ids(report, "error")
    assert "a@example.com;b@example.com" in of(report, "CU-E04")[0].message
    leaf = issue("cucm-pub.example.com", issuer=root, key=rsa_key)
    old = sha1_signed(leaf.cert, root.key)
    report = lint(("t.pem", old.public_bytes(serialization.Encoding.PEM)), role="cucm-tomcat")
    assert "CU-X09" in ids(report, "info")
    ocsp = issue("ocsp.example.com", issuer=root, eku=[ExtendedKeyUsageOID.OCSP_SIGNING])
    assert "CU-P07" in ids(lint(("o.pem", ocsp.pem), role="cucm-tomcat"))
    two = pem_of(issue("a.example.com", issuer=ica).cert, issue("b.example.com", issuer=ica).cert)
    assert "CU-P02" in ids(lint(("two.pem", two), role="cucm-tomcat-ecdsa"))
    assert key_pem(new_key())
