"""Meeting Server rules (seed-003 §4.2) and scenarios AT05, AT08-AT16, AT21-AT23."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from lint_support import ids, key_pem, lint, of
from pki import DAY, NOW, issue, make_csr, name, new_key, pem_of

SA, CLA = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH


@pytest.fixture(scope="module")
def ca():
    root = issue(name("Root CA"), ca=True, not_after=NOW + 3000 * DAY)
    ica1 = issue(name("ICA1"), issuer=root, ca=True)
    return root, ica1


def test_at05_xmpp_domain_missing(ca):
    cert = issue("xmpp.example.com", issuer=ca[1], sans=["xmpp.example.com"])
    fields = {"fqdn": "xmpp.example.com", "xmpp-domain": "example.com"}
    report = lint(("xmppserver.crt", cert.pem), role="cms-xmpp", fields=fields)
    assert "CMS-R02" in ids(report, "error")
    good = issue("xmpp.example.com", issuer=ca[1], sans=["xmpp.example.com", "example.com"])
    report = lint(("xmppserver.crt", good.pem), role="cms-xmpp", fields=fields)
    assert not {"CMS-R01", "CMS-R02", "CMS-R03"} & ids(report)


def test_xmpp_san_and_cn(ca):
    no_san = issue("xmpp.example.com", issuer=ca[1])
    report = lint(("xmppserver.crt", no_san.pem), role="cms-xmpp",
                  fields={"fqdn": "other.example.com"})
    assert {"CMS-R01", "CMS-R03"} <= ids(report)


def test_at08_web_bridge_san_without_cn(ca):
    cert = issue("www.example.com", issuer=ca[1], sans=["guest.example.com"])
    report = lint(("webbridge.crt", cert.pem), role="cms-webbridge",
                  fields={"fqdn": "www.example.com"})
    assert {"CMS-R04", "CMS-C04"} <= ids(report, "error")
    good = issue("www.example.com", issuer=ca[1], sans=["www.example.com", "guest.example.com"])
    report = lint(("webbridge.crt", good.pem), role="cms-webbridge",
                  fields={"fqdn": "www.example.com"})
    assert not {"CMS-R04", "CMS-C04"} & ids(report)


@pytest.mark.parametrize("cn, fails", [("dbclient", True), ("postgres", False)])
def test_at09_db_client_cn(ca, cn, fails):
    cert = issue(cn, issuer=ca[1], eku=[CLA])
    found = of(lint(("dbclient.crt", cert.pem), role="cms-db-client"), "CMS-R12")
    assert bool(found) == fails
    if fails:
        assert "ERROR: Client certificate common name incorrect" in found[0].message


def test_at10_db_eku(ca):
    assert "CMS-R14" in ids(lint(("c.crt", issue("postgres", issuer=ca[1], eku=[SA]).pem),
                                 role="cms-db-client"))
    assert "CMS-R14" not in ids(lint(("c.crt", issue("postgres", issuer=ca[1], eku=[]).pem),
                                     role="cms-db-client"))
    assert "CMS-R13" in ids(lint(("s.crt", issue("db1.example.com", issuer=ca[1],
                                                 eku=[CLA]).pem), role="cms-db-server"))
    assert "CMS-R13" not in ids(lint(("s.crt", issue("db1.example.com", issuer=ca[1]).pem),
                                     role="cms-db-server"))


def test_at11_db_certificates_from_two_cas(ca):
    ca_a, ca_b = issue(name("CA-A"), ca=True), issue(name("CA-B"), ca=True)
    server = issue("db1.example.com", issuer=ca_a, eku=[SA])
    client_b = issue("postgres", issuer=ca_b, eku=[CLA])
    client_a = issue("postgres", issuer=ca_a, eku=[CLA])
    files = [("dbcluster_server.crt", server.pem, "cms-db-server"),
             ("dbcluster_ca.crt", ca_a.pem, "trust")]
    report = lint(*files, ("dbcluster_client.crt", client_b.pem, "cms-db-client"))
    assert "CMS-R10" in ids(report, "error")
    report = lint(*files, ("dbcluster_client.crt", client_a.pem, "cms-db-client"))
    assert "CMS-R10" not in ids(report)
    report = lint(("dbcluster_server.crt", server.pem, "cms-db-server"),
                  ("dbcluster_client.crt", client_a.pem, "cms-db-client"),
                  ("dbcluster_ca.crt", ca_b.pem, "trust"))
    assert "CMS-R10" in ids(report)


def test_at12_trunk_and_load_balancer_share_a_key(ca):
    key = new_key()
    core = issue("www.example.com", issuer=ca[1], key=key)
    edge_same = issue("www.example.com", issuer=ca[1], key=key)
    edge_own = issue("www.example.com", issuer=ca[1])
    report = lint(("core1.crt", core.pem, "cms-trunk"), ("edge1.crt", edge_same.pem,
                                                          "cms-loadbalancer"))
    assert "CMS-R09" in ids(report, "error")
    report = lint(("core1.crt", core.pem, "cms-trunk"), ("edge1.crt", edge_own.pem,
                                                          "cms-loadbalancer"))
    assert "CMS-R09" not in ids(report)


def test_at13_load_balancer_trusts_itself(ca):
    edge = issue("www.example.com", issuer=ca[1], eku=[SA])
    core = issue("www.example.com", issuer=ca[1], eku=[CLA])
    report = lint(("edge1.crt", edge.pem), ("core1.crt", core.pem, "cms-trunk"),
                  ("edge1-trust.crt", edge.pem, "trust"), role="cms-loadbalancer")
    found = of(report, "CMS-T02")
    assert found and "core1.crt" in found[0].fix
    report = lint(("edge1.crt", edge.pem), ("core1.crt", core.pem, "cms-trunk"),
                  ("core1-trust.crt", core.pem, "trust"), role="cms-loadbalancer")
    assert "CMS-T02" not in ids(report)
    report = lint(("core1.crt", core.pem), ("edge1.crt", edge.pem, "cms-loadbalancer"),
                  ("trust.crt", core.pem, "trust"), role="cms-trunk")
    assert "CMS-T03" in ids(report)


def test_at14_turn_and_web_bridge_from_different_cas():
    internal, public = issue(name("Internal CA"), ca=True), issue(name("Public CA G2"), ca=True)
    turn = issue("turn.example.com", issuer=internal)
    wb = issue("www.example.com", issuer=public)
    report = lint(("turn.crt", turn.pem, "cms-turn"), ("webbridge.crt", wb.pem, "cms-webbridge"))
    assert "CMS-R05" in ids(report, "error")
    same = issue("turn.example.com", issuer=public)
    report = lint(("turn.crt", same.pem, "cms-turn"), ("webbridge.crt", wb.pem, "cms-webbridge"))
    assert "CMS-R05" not in ids(report)


def test_at15_key_does_not_match(ca):
    cert = issue("www.example.com", issuer=ca[1], sans=["www.example.com"])
    report = lint(("webbridge.crt", cert.pem), ("webbridge.key", key_pem(new_key())),
                  role="cms-webbridge")
    found = of(report, "CMS-K03")
    assert found and "certificate and key do not match" in found[0].message
    report = lint(("webbridge.crt", cert.pem), ("webbridge.key", key_pem(cert.key)),
                  role="cms-webbridge")
    assert "CMS-K03" not in ids(report)


def test_at16_bundle_without_the_intermediate(ca):
    root, ica1 = ca
    leaf = issue("www.example.com", issuer=ica1, sans=["www.example.com"])
    report = lint(("webbridge.crt", leaf.pem), ("webbridgebundle.crt", root.pem),
                  role="cms-webbridge")
    found = of(report, "CMS-B01")
    assert found and "unable to get issuer certificate" in found[0].message
    report = lint(("webbridge.crt", leaf.pem), ("webbridgebundle.crt", pem_of(ica1.cert,
                                                                           root.cert)),
                  role="cms-webbridge")
    assert not {"CMS-B01", "CMS-B02", "CMS-B03"} & ids(report)


def test_at17_bundle_order_and_root(ca):
    root, ica1 = ca
    ica2 = issue(name("ICA2"), issuer=root, ca=True)
    ica1b = issue(name("ICA1b"), issuer=ica2, ca=True)
    leaf = issue("www.example.com", issuer=ica1b, sans=["www.example.com"])
    report = lint(("webbridge.crt", leaf.pem),
                  ("webbridgebundle.crt", pem_of(root.cert, ica2.cert, ica1b.cert)),
                  role="cms-webbridge")
    assert {"CMS-B02", "CMS-B10"} <= ids(report)
    report = lint(("webbridge.crt", leaf.pem), ("webbridgebundle.crt", pem_of(ica1b.cert,
                                                                           ica2.cert)),
                  role="cms-webbridge")
    assert "CMS-B03" in ids(report) and "CMS-B02" not in ids(report)


def test_at18_bundle_layout(ca):
    root, ica1 = ca
    leaf = issue("www.example.com", issuer=ica1, sans=["www.example.com"])
    a, b = ica1.pem.decode(), root.pem.decode()
    cases = {
        "CMS-B05": (a.rstrip("\n") + b).encode(),
        "CMS-B04": (a + "\n" + b).encode(),
        "CMS-B06": (a + b).rstrip("\n").encode(),
        "CMS-B11": (a + b + "\x1a").encode(),
    }
    for rule, data in cases.items():
        report = lint(("webbridge.crt", leaf.pem), ("webbridgebundle.crt", data),
                      role="cms-webbridge")
        assert rule in ids(report), rule
    clean = lint(("webbridge.crt", leaf.pem), ("webbridgebundle.crt", (a + b).encode()),
                 role="cms-webbridge")
    assert not set(cases) & ids(clean)


def test_bundle_leaf_extra_and_der(ca):
    root, ica1 = ca
    leaf = issue("www.example.com", issuer=ica1, sans=["www.example.com"])
    stray = issue(name("Stray CA"), ca=True)
    report = lint(("webbridge.crt", leaf.pem),
                  ("webbridgebundle.crt", pem_of(ica1.cert, root.cert, stray.cert)),
                  role="cms-webbridge")
    assert "CMS-B09" in ids(report)
    report = lint(("webbridge.crt", leaf.pem), ("webbridgebundle.der", root.der),
                  role="cms-webbridge")
    assert "CMS-B07" in ids(report)
    report = lint(("webbridge.crt", pem_of(leaf.cert, ica1.cert)), role="cms-webbridge")
    assert "CMS-X03" in ids(report, "error")
    report = lint(("webbridge.der", leaf.der), role="cms-webbridge")
    assert "CMS-X04" in ids(report)


def test_bundle_containing_the_leaf(ca):
    root, ica1 = ca
    leaf = issue("www.example.com", issuer=ica1, sans=["www.example.com"], ca=True)
    report = lint(("webbridge.crt", issue("www.example.com", issuer=ica1).pem),
                  ("webbridgebundle.crt", pem_of(ica1.cert, root.cert, leaf.cert)),
                  role="cms-webbridge")
    assert "CMS-B08" not in ids(report)  # a different certificate is not the leaf
    same = issue("www.example.com", issuer=ica1, sans=["www.example.com"])
    from collabcert.lint import cms
    from collabcert.lint.context import FileFacts, LintInput

    bundle = FileFacts(LintInput("b.crt", b""), "cms-webbridge", None, None, None)
    bundle.loaded = __import__("collabcert.load", fromlist=["load_bytes"]).load_bytes(
        pem_of(same.cert, ica1.cert, root.cert))
    assert "CMS-B08" in {f.id for f in cms._bundle_chain(same.cert, [bundle])}


def test_at21_encrypted_key_needs_unlock():
    report = lint(("callbridge.key", key_pem(new_key(), b"pw")), role="cms-callbridge")
    found = of(report, "CMS-K01")
    assert found and "pki unlock" in found[0].fix and report.failed
    assert "CMS-K01" not in ids(lint(("callbridge.key", key_pem(new_key())),
                                     role="cms-callbridge"))


def test_at22_self_signed_per_role():
    selfsigned = issue("cms.example.com", sans=["cms.example.com"])
    assert "CMS-R11" in ids(lint(("dbcluster_server.crt", selfsigned.pem),
                                 role="cms-db-server"), "error")
    assert "CMS-R17" in ids(lint(("callbridge.crt", selfsigned.pem), role="cms-callbridge",
                                 fields={"lync-fqdn": "cms.example.com"}), "error")
    report = lint(("webadmin.crt", selfsigned.pem), role="cms-webadmin")
    assert "CMS-X05" in ids(report, "info") and not report.failed
    assert "CMS-X05" in ids(lint(("webbridge.crt", selfsigned.pem), role="cms-webbridge"),
                            "warning")


def test_at23_web_bridge_trust_bundle(ca):
    cbs = [issue(f"cb{i}.example.com", issuer=ca[1]) for i in (1, 2, 3)]
    cb2_expired = issue("cb2.example.com", issuer=ca[1], not_before=NOW - 90 * DAY,
                        not_after=NOW - DAY)
    files = [(f"callbridge{i}.crt", c.pem, "cms-callbridge") for i, c in enumerate(cbs, 1)]
    files[1] = ("callbridge2.crt", cb2_expired.pem, "cms-callbridge")
    trust = ("trust.crt", pem_of(cbs[0].cert, cb2_expired.cert), "trust")
    found = of(lint(*files, trust, role="cms-webbridge"), "CMS-T01")
    assert found and "cb3.example.com" in found[0].message and "expired" in found[0].message
    assert "webbridge trust combinedcallbridgecert.crt" in found[0].fix
    fresh = [(f"callbridge{i}.crt", c.pem, "cms-callbridge") for i, c in enumerate(cbs, 1)]
    good = ("trust.crt", pem_of(*(c.cert for c in cbs)), "trust")
    assert "CMS-T01" not in ids(lint(*fresh, good, role="cms-webbridge"))
    broken = ("trust.crt", pem_of(*(c.cert for c in cbs)).rstrip(b"\n"), "trust")
    assert "CMS-T04" in ids(lint(*fresh, broken, role="cms-webbridge"))


def test_file_names_and_keys():
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert "CMS-F02" in ids(lint(("call.bridge.key", key_pem(rsa_key)), role="cms-callbridge"))
    assert "CMS-F02" not in ids(lint(("callbridge.key", key_pem(rsa_key)),
                                     role="cms-callbridge"))
    assert "CMS-F05" in ids(lint(("callbridge.txt", key_pem(rsa_key)), role="cms-callbridge"))
    assert "CMS-K02" in ids(lint(("callbridge.key", key_pem(new_key())), role="cms-callbridge"))
    assert "CMS-K02" not in ids(lint(("callbridge.key", key_pem(rsa_key)),
                                     role="cms-callbridge"))
    pkcs1 = rsa_key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.TraditionalOpenSSL,
                                  serialization.NoEncryption())
    assert "CMS-K04" in ids(lint(("callbridge.key", pkcs1), role="cms-callbridge"))
    assert "CMS-F01" in ids(lint(("callbridge.key", pkcs1), role="cms-callbridge",
                                 fields={"name": "call.bridge"}))
    assert "CMS-F01" not in ids(lint(("callbridge.key", pkcs1), role="cms-callbridge",
                                     fields={"name": "web_bridge-1"}))


def test_file_extension_usage_and_bundle_names(ca):
    leaf = issue("www.example.com", issuer=ca[1], sans=["www.example.com"])
    assert "CMS-F04" in ids(lint(("webbridge.txt", leaf.pem), role="cms-webbridge"))
    assert "CMS-F06" in ids(lint(("server.crt", leaf.pem), role="cms-webbridge"))
    assert not {"CMS-F04", "CMS-F06"} & ids(lint(("webbridge.crt", leaf.pem),
                                                 role="cms-webbridge"))
    bundle = pem_of(ca[1].cert, ca[0].cert)
    assert "CMS-F07" in ids(lint(("webbridge.crt", leaf.pem), ("extra.pem", bundle),
                                 role="cms-webbridge"))
    assert "CMS-F07" not in ids(lint(("webbridge.crt", leaf.pem), ("webbridgebundle.crt",
                                                                   bundle),
                                     role="cms-webbridge"))


def test_csr_rules():
    key = new_key()
    bare = make_csr(key, "www.example.com", digest=hashes.SHA384())
    pem = bare.public_bytes(serialization.Encoding.PEM)
    report = lint(("webbridge.csr", pem), role="cms-webbridge")
    assert {"CMS-C06", "CMS-C08"} <= ids(report)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "gb"),
                         x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "CA"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Inc.")])
    no_cn = x509.CertificateSigningRequestBuilder().subject_name(subject).add_extension(
        x509.SubjectAlternativeName([x509.RFC822Name("a@example.com")]), False).sign(
        key, hashes.SHA256())
    report = lint(("webbridge.csr", no_cn.public_bytes(serialization.Encoding.PEM)),
                  role="cms-webbridge")
    assert {"CMS-C01", "CMS-C07", "CMS-C09"} <= ids(report)
    fields = {"fqdn": "www.example.com", "additional-names": "guest.example.com, www.example.com"}
    report = lint(("webbridge.csr", pem), role="cms-webbridge", fields=fields)
    assert {"CMS-C02", "CMS-C03"} <= ids(report)
    report = lint(("webbridge.csr", pem), role="cms-webbridge",
                  fields={"fqdn": "www.example.com", "additional-names": "guest.example.com"})
    assert not {"CMS-C02", "CMS-C03"} & ids(report)


def test_validity_sha1_and_leading_text(ca):
    from pki import sha1_signed

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = issue(name("RSA Root"), key=root_key, ca=True)
    leaf = issue("www.example.com", issuer=root, sans=["www.example.com"])
    old = sha1_signed(leaf.cert, root_key)
    report = lint(("webbridge.crt", old.public_bytes(serialization.Encoding.PEM)),
                  role="cms-webbridge")
    assert "CMS-X02" in ids(report, "info") and "CRT-SHA1" not in ids(report)
    expired = issue("www.example.com", issuer=ca[1], not_before=NOW - 9 * DAY,
                    not_after=NOW - DAY)
    assert "CMS-X01" in ids(lint(("webbridge.crt", expired.pem), role="cms-webbridge"), "error")
    text = b"Certificate:\n    Data: ...\n" + leaf.pem
    assert "CMS-X06" in ids(lint(("webbridge.crt", text), role="cms-webbridge"))
    assert not {"CMS-X01", "CMS-X06"} & ids(lint(("webbridge.crt", leaf.pem),
                                                 role="cms-webbridge"))


def test_shared_lync_db_nodes_and_eku_direction(ca):
    shared = issue("example.com", issuer=ca[1], sans=["example.com", "webbridge.example.com"])
    fields = {"domain": "example.com",
              "component-fqdns": "webbridge.example.com,xmppserver.example.com"}
    assert "CMS-R08" in ids(lint(("one-cert.crt", shared.pem), role="cms-shared", fields=fields))
    fields["component-fqdns"] = "webbridge.example.com"
    assert "CMS-R08" not in ids(lint(("one-cert.crt", shared.pem), role="cms-shared",
                                     fields=fields))
    cb = issue("cb.example.com", issuer=ca[1], sans=["cb.example.com"], eku=[SA])
    report = lint(("callbridge.crt", cb.pem), role="cms-callbridge",
                  fields={"lync-fqdn": "lync-cms.example.com"})
    assert {"CMS-R06", "CMS-R16"} <= ids(report)
    db = issue("db1.example.com", issuer=ca[1], sans=["db1.example.com"], eku=[SA])
    report = lint(("dbcluster_server.crt", db.pem), role="cms-db-server",
                  fields={"fqdn": "db1.example.com", "other-fqdns": "db2.example.com"})
    assert "CMS-R15" in ids(report)
