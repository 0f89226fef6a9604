"""Issue 13 items 10-18: CUCM on-node CSRs, multi-server CNs, EC key usage, CAPF, per-component
CMS steps, `pki csr` notes, recorder and streamer, prefixed registration domains, cross-product
trust. One test per item, named for it, the seed line in its docstring; real CSRs and
certificates made with pyca (tests/pki.py)."""

from __future__ import annotations

import pytest
from cryptography import x509
from pki import issue, make_pki, new_key

from collabcert import csr, onbox, roles
from collabcert.bundle import plan_bundle
from collabcert.chain import build_chain
from collabcert.errors import InputError
from collabcert.keys import generate_key, parse_key_spec

_EC = generate_key(parse_key_spec("ec:p256"))
_RSA = generate_key(parse_key_spec("rsa:2048"))


def _request(role_id: str, answers: dict, key=None) -> x509.CertificateSigningRequest:
    plan = roles.plan(role_id, answers)
    key = key or (_EC if plan.key_spec.algorithm == "ec" else _RSA)
    return csr.build_csr(plan, key)


def _ku(request) -> x509.KeyUsage:
    return request.extensions.get_extension_for_class(x509.KeyUsage).value


# ----------------------------------------------------------------------------------- item 12


@pytest.mark.parametrize("role_id", [r.id for r in roles.catalogue()
                                     if r.id.endswith("-ecdsa")])
def test_item12_ecdsa_roles_ask_no_encipherment_of_ec_keys(role_id):
    """RFC 5480 §3: an ECDSA key has no keyEncipherment / dataEncipherment; seed-004 Tables 1
    and 2 (L105, L108, L115-117): digitalSignature, and keyAgreement on the cup rows only."""
    ku = _ku(_request(role_id, {"fqdn": "cucm1.example.com"}))
    assert ku.digital_signature
    assert not ku.key_encipherment and not ku.data_encipherment
    assert ku.key_agreement is role_id.startswith("imp-cup")
    # the table itself (what lint compares, CU-X05 INFO for EC) is unchanged
    assert "key_encipherment" in roles.get_role(role_id).key_usage


def test_item12_capf_keycertsign_comes_with_ca_true():
    """seed-004 L71 and Table 1 L106: CAPF asks for keyCertSign; the CAPF issues the phones'
    LSCs (L235), and RFC 5280 §4.2.1.9 allows keyCertSign only with CA:TRUE: the CSR asks for
    basicConstraints CA:TRUE, pathlen:0 (14SU2, seed-004 §9 L557)."""
    request = _request("cucm-capf", {"fqdn": "cucm-pub.example.com"})
    assert _ku(request).key_cert_sign
    bc = request.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length == 0
    # no other role asks to be a CA
    plain = _request("cucm-tomcat", {"fqdn": "cucm1.example.com"})
    with pytest.raises(x509.ExtensionNotFound):
        plain.extensions.get_extension_for_class(x509.BasicConstraints)


# ----------------------------------------------------------------------------------- item 13


def test_item13_bundle_tomcat_ecdsa_with_rsa_leaf_is_refused():
    """seed-004 CU-P04 (P9): an RSA certificate never goes to an -ECDSA purpose: refused as
    `csr` refuses the pair, before any file is planned."""
    pki = make_pki(key_kind="rsa", leaf_cn="cucm1.example.com")
    chain = build_chain([pki.leaf.cert, pki.intermediate.cert, pki.root.cert])
    with pytest.raises(InputError, match=r"tomcat-ECDSA .*RSA key \(seed-004 CU-P04\); choose "
                                         r"the purpose tomcat \(--type tomcat\)"):
        plan_bundle(chain, "cucm", cucm_kind="tomcat-ECDSA")
    assert plan_bundle(chain, "cucm", cucm_kind="tomcat").files


def test_item13_capf_steps_follow_table3_and_no_cuic_line():
    """seed-004 L235 Table 3: CAPF has no related service (該当なし), so no "restart Cisco
    CallManager"; L163 is Unified Intelligence Center's step (seed-004 E6), not CUCM's."""
    pki = make_pki(key_kind="rsa", leaf_cn="cucm-pub.example.com")
    chain = build_chain([pki.leaf.cert, pki.intermediate.cert, pki.root.cert])
    capf = "\n".join(plan_bundle(chain, "cucm", cucm_kind="CAPF").next_steps)
    assert "Restart the Cisco CallManager" not in capf
    assert "No service restart" in capf and "CTL" in capf
    for kind in ("tomcat", "CAPF", "CallManager"):
        assert "Intelligence" not in "\n".join(plan_bundle(chain, "cucm",
                                                           cucm_kind=kind).next_steps)
    role_steps = "\n".join(roles.plan("cucm-capf", {"fqdn": "cucm-pub.example.com"}).next_steps)
    assert "Restart" not in role_steps and "L235" in role_steps


def test_callmanager_restarts_only_for_its_ecdsa_twin_and_capf_root_is_copied():
    """seed-004 Table 3 (L234, E12): CallManager has no related service (N/A) while
    CallManager-ECDSA restarts Cisco CallManager (CU-N07); both update the CTL (CU-N04). The
    CAPF root uploaded to CAPF-trust is copied into CallManager-trust (P5, L47), which is
    where U8 (L346) says it goes: the steps say so, so the two places agree."""
    rsa = make_pki(key_kind="rsa", leaf_cn="cucm1.example.com")
    chain = build_chain([rsa.leaf.cert, rsa.intermediate.cert, rsa.root.cert])
    callmanager = "\n".join(plan_bundle(chain, "cucm", cucm_kind="CallManager").next_steps)
    assert "Restart the Cisco CallManager" not in callmanager
    assert "No service restart: Table 3 lists none for CallManager" in callmanager
    assert "CTL" in callmanager
    ec = make_pki(key_kind="ec", leaf_cn="cucm1.example.com")
    ec_chain = build_chain([ec.leaf.cert, ec.intermediate.cert, ec.root.cert])
    ecdsa = "\n".join(plan_bundle(ec_chain, "cucm", cucm_kind="CallManager-ECDSA").next_steps)
    assert "Restart the Cisco CallManager service" in ecdsa and "CU-N07" in ecdsa
    capf = "\n".join(plan_bundle(chain, "cucm", cucm_kind="CAPF").next_steps)
    assert "copied into CallManager-trust" in capf and "L47" in capf
    # every step is numbered, the last ones too, so they read as steps (sub-lines indented)
    for kind in ("tomcat", "CAPF", "CallManager"):
        for step in plan_bundle(chain, "cucm", cucm_kind=kind).next_steps:
            assert step.startswith("   ") or step.split(". ", 1)[0].isdigit(), step


# ----------------------------------------------------------------------------------- item 14

_CMS_COMMANDS = {
    # component basename: (its own command, commands that must not appear)
    "xmppserver": ("xmpp certs xmppserver.key xmppserver.crt xmppserverbundle.crt",
                   ("webbridge certs", "callbridge certs")),
    "turnserver": ("turn certs turnserver.key turnserver.crt turnserverbundle.crt",
                   ("webbridge certs", "callbridge certs")),
    "trunk": ("trunk auth <tag> trunk.key trunk.crt edge1.crt", ("certs",)),
    "loadbalancer": ("loadbalancer auth <tag> loadbalancer.key loadbalancer.crt core1.crt",
                     ("certs",)),
    "dbcluster_server": ("database cluster certs dbcluster_server.key dbcluster_server.crt "
                         "dbcluster_client.key dbcluster_client.crt dbcluster_serverbundle.crt",
                         ("webbridge", "callbridge certs")),
    "webbridge": ("webbridge trust callbridge.crt", ("callbridge certs",)),
    "callbridge": ("webbridge trust callbridge.crt", ("webbridge certs",)),
}


@pytest.mark.parametrize("base", sorted(_CMS_COMMANDS))
def test_item14_cms_bundle_steps_are_the_components_own(base):
    """seed-003 L686 (xmpp certs), L1294 (turn certs), L1151/L1190 (five-argument database
    cluster certs, cluster disabled), L806/L887 (trunk/loadbalancer auth: the trust file is
    the peer's certificate), L1049 (webbridge trust callbridge.crt)."""
    pki = make_pki(key_kind="rsa", leaf_cn="cms1.example.com")
    chain = build_chain([pki.leaf.cert, pki.intermediate.cert, pki.root.cert])
    steps = "\n".join(plan_bundle(chain, "cms", name=base).next_steps)
    own, foreign = _CMS_COMMANDS[base]
    assert own in steps
    for other in foreign:
        assert other not in steps
    if base == "dbcluster_server":
        assert "database cluster remove" in steps  # L1151: only on a disabled cluster


@pytest.mark.parametrize(("role_id", "own"), [
    ("cms-xmpp", "xmpp certs xmppserver.key xmppserver.crt xmppserverbundle.crt"),
    ("cms-turn", "turn certs turnserver.key turnserver.crt turnserverbundle.crt"),
    ("cms-trunk", "trunk auth <tag> trunk.key trunk.crt edge1.crt"),
    ("cms-loadbalancer", "loadbalancer auth <tag> loadbalancer.key loadbalancer.crt core1.crt"),
    ("cms-db-server", "database cluster certs dbcluster_server.key dbcluster_server.crt "
                      "dbcluster_client.key dbcluster_client.crt <ca bundle>"),
    ("cms-webbridge", "webbridge trust callbridge.crt"),
])
def test_item14_cms_csr_steps_come_from_the_same_table(role_id, own):
    """seed-003 L686, L1294, L806, L887, L1190, L1049: the csr next steps use the one table
    (collabcert.cms_install) the bundle steps use."""
    role = roles.get_role(role_id)
    answers = {"fqdn": "cms1.example.com"}
    if role.field("xmpp-domain"):
        answers["xmpp-domain"] = "example.com"
    steps = "\n".join(roles.plan(role, answers).next_steps)
    assert own in steps
    if role_id != "cms-webbridge":
        assert "webbridge certs" not in steps


# ----------------------------------------------------------------------------------- item 15


def test_item15_single_name_pki_csr_says_to_add_the_cn_as_san():
    """seed-003 L394, L424: pki csr puts the CN into the SAN only when a SAN list is given; the
    contract line stays `pki csr <basename> CN:<cn>` and a note says to append
    subjectAltName:<cn>. L329: pki csr has no key type option."""
    plan = roles.plan("cms-webadmin", {"fqdn": "admin.example.com"})
    box = onbox.onbox_for(plan)
    assert box.command == "pki csr webadmin CN:admin.example.com"
    assert any("subjectAltName:admin.example.com" in step for step in box.steps)
    assert "the same key" not in box.text
    assert not any("key type" in step for step in box.steps)  # rsa:2048: pki's own kind
    for key in ("ec:p256", "rsa:4096"):
        text = onbox.onbox_for(roles.plan("cms-webadmin", {"fqdn": "admin.example.com"},
                                          key=key)).text
        assert "no key type option (seed-003 L329)" in text
    listed = roles.plan("cms-xmpp", {"fqdn": "xmpp.example.com", "xmpp-domain": "example.com"})
    box = onbox.onbox_for(listed)
    assert box.command.endswith("subjectAltName:example.com")
    assert not any("append subjectAltName" in step for step in box.steps)


# ----------------------------------------------------------------------------------- item 17


def test_item17_collab_edge_prefixed_domain_is_kept_once_with_a_note():
    """seed-001 L455: CollabEdgeDNS adds the collab-edge prefix itself; a domain typed with the
    prefix is kept once (not collab-edge.collab-edge.<d>) and an info note says so."""
    plan = roles.plan("expressway-e", {"fqdn": "expe.example.com",
                                       "ucm-domains": "collab-edge.example.com,example.org",
                                       "o": "Example", "st": "Berkshire", "c": "GB"})
    assert plan.sans == ("expe.example.com", "collab-edge.example.com",
                         "collab-edge.example.org")
    (note,) = [f for f in plan.findings if f.id == "ROLE-E-PREFIXED"]
    assert note.severity.value == "info" and "collab-edge.example.com" in note.message
    assert not [f for f in plan.findings if f.severity.value == "error"]
    page = dict(onbox.expressway_ui_fields(plan))
    assert page["Unified CM registrations domains"] == "example.com,example.org"
    dns = roles.plan("expressway-e", {"fqdn": "expe.example.com", "ucm-domain-format": "dns",
                                      "ucm-domains": "collab-edge.example.com"})
    assert "collab-edge.example.com" in dns.sans
    assert not [f for f in dns.findings if f.id == "ROLE-E-PREFIXED"]


def test_item13_capf_ca_true_leaf_is_still_the_leaf_of_its_bundle():
    """seed-004 L235: the CAPF certificate asked for CA:TRUE (item 12) is still the leaf of its
    chain and goes to CAPF, after its CAs."""
    pki = make_pki(key_kind="rsa")
    capf = issue("cucm-pub.example.com", issuer=pki.intermediate, key=new_key("rsa"), ca=True,
                 path_length=0, sans=["cucm-pub.example.com"])
    chain = build_chain([capf.cert, pki.intermediate.cert, pki.root.cert])
    plan = plan_bundle(chain, "cucm", cucm_kind="CAPF").upload_plan
    assert [s.purpose for s in plan][-1] == "CAPF" and len(plan) == 3
    assert plan[-1].fingerprints == (chain.links[0].fingerprint,)
    assert chain.links[0].certificate == capf.cert


# ----------------------------------------------------------------------------------- item 16


@pytest.mark.parametrize(("role_id", "base", "guide"), [
    ("cms-recorder", "recorder", "Recording Meetings"),
    ("cms-streamer", "streamer", "Streaming Meetings"),
])
def test_item16_recorder_and_streamer_roles(role_id, base, guide, tmp_path):
    """seed-003 L241, L271-272: recorder and streamer certificates are local-CA-signed, the
    Call Bridge asks for them, and they trust the Call Bridge certificate."""
    from importlib.resources import files

    role = roles.get_role(role_id)
    assert role.product == "cms" and role.basename == base
    assert [f.name for f in role.role_fields] == ["fqdn", "additional-names"]
    plan = roles.plan(role, {"fqdn": f"{base}.example.com", "additional-names": "10.0.0.5"})
    assert plan.cn == f"{base}.example.com" and plan.sans == (f"{base}.example.com", "10.0.0.5")
    steps = "\n".join(plan.next_steps)
    assert "internal (local) CA" in steps and guide in steps
    assert "trust the Call Bridge" in steps and "L241" in steps
    assert onbox.onbox_for(plan).command.startswith(f"pki csr {base} CN:{base}.example.com")
    request = _request(role_id, {"fqdn": f"{base}.example.com"})
    assert request.subject.rfc4514_string() == f"CN={base}.example.com"
    help_page = files("collabcert.assets").joinpath("help/csr-cms-fqdn.md").read_text("utf-8")
    assert f"`{role_id}`" in help_page  # F1 on the FQDN field names the role
    pki = make_pki(key_kind="rsa", leaf_cn=f"{base}.example.com")
    chain = build_chain([pki.leaf.cert, pki.intermediate.cert, pki.root.cert])
    bundle_steps = "\n".join(plan_bundle(chain, "cms", name=base).next_steps)
    assert "trust the Call Bridge" in bundle_steps and "webbridge certs" not in bundle_steps


# ----------------------------------------------------------------------------------- item 11


def test_item11_multi_server_cn_is_host_ms_parent_domain():
    """seed-000-002 L374, L394-398: the multi-server certificate has CN cucm-ms.steven.lab and
    a SAN of the nodes and the parent domain (cups.steven.lab, steven.lab, cucm.steven.lab)."""
    plan = roles.plan("cucm-tomcat", {"fqdn": "cucm.steven.lab",
                                      "multi-server-fqdns": "cups.steven.lab"})
    assert plan.cn == "cucm-ms.steven.lab"
    assert set(plan.sans) >= {"cucm.steven.lab", "cups.steven.lab", "steven.lab"}
    assert plan.sans[0] == plan.cn  # DESIGN.md contract: CN first
    page = dict(onbox.cucm_ui_fields(plan))
    assert page["Distribution"] == "Multi-server(SAN)" and page["Parent Domain"] == "steven.lab"
    assert page["Common Name"] == "cucm-ms.steven.lab"
    # a parent domain given is used for the CN and the SAN
    other = roles.plan("cucm-tomcat", {"fqdn": "cucm.site1.steven.lab", "parent-domain":
                                       "steven.lab", "multi-server-fqdns": "cups.steven.lab"})
    assert other.cn == "cucm-ms.steven.lab" and "steven.lab" in other.sans
    # a single-node request keeps the FQDN as CN; the parent domain only when given
    single = roles.plan("cucm-tomcat", {"fqdn": "cucm.steven.lab"})
    assert single.cn == "cucm.steven.lab" and single.sans == ("cucm.steven.lab",)
    assert dict(onbox.cucm_ui_fields(single))["Distribution"] == "cucm.steven.lab"


def test_item11_tomcat_takes_the_ip_address_the_node_is_announced_by():
    """seed-000-002 L546, L610, L646: with System > Server set to an IP, Expressway-C connects
    to that IP and checks it in the tomcat certificate: tomcat and tomcat-ECDSA take it (an IP
    SAN) and say so in their next steps; the other CUCM types take DNS names only."""
    for role_id in ("cucm-tomcat", "cucm-tomcat-ecdsa"):
        plan = roles.plan(role_id, {"fqdn": "cucm.steven.lab",
                                    "additional-names": "10.48.36.215"})
        assert plan.sans == ("cucm.steven.lab", "10.48.36.215")
        request = csr.build_csr(plan, _EC if plan.key_spec.algorithm == "ec" else _RSA)
        san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["10.48.36.215"]
        assert any("L546" in step and "IP" in step for step in plan.next_steps)
    with pytest.raises(InputError, match="IP address"):
        roles.plan("cucm-callmanager", {"fqdn": "cucm.steven.lab",
                                        "additional-names": "10.48.36.215"})


# ----------------------------------------------------------------------------------- item 10


@pytest.mark.parametrize(("role_id", "admin"), [
    ("cucm-tomcat", "Cisco Unified OS Administration"),
    ("imp-cup", "Cisco Unified IM and Presence OS Administration"),
])
def test_item10_cucm_main_path_is_the_csr_generated_on_the_node(role_id, admin):
    """seed-004 CU-LOCAL-KEY, CSR1 (L320-323), L423: the node takes no private key upload, so
    the next steps start with Generate CSR on the node (IM and Presence: its own OS
    Administration), then Import; the offline files are for a lab or a profile check."""
    fqdn = "cups.example.com" if role_id.startswith("imp") else "cucm1.example.com"
    plan = roles.plan(role_id, {"fqdn": fqdn})
    steps = plan.next_steps
    assert steps[0].startswith(f"On the node: {admin} > Security > Certificate Management > "
                               "Generate CSR")
    assert any(step.startswith("Import what the CA sends back") for step in steps)
    assert any("for a lab or to check the profile" in step for step in steps)
    box = onbox.onbox_for(plan)
    assert box.title.startswith("The main path: generate the CSR on")
    assert f"{admin} > Security" in box.title


# ----------------------------------------------------------------------------------- item 18


def test_item18_expressway_bundle_steps_carry_the_cross_product_trust():
    """seed-000 L215 (seed-000-002 C7): Expressway-C and -E trust each other's CA; 000 L246
    (UCM-TRUST-EXPC): the Expressway-C CA goes to CUCM tomcat-trust and CallManager-trust."""
    pki = make_pki(key_kind="rsa")
    chain = build_chain([pki.leaf.cert, pki.intermediate.cert, pki.root.cert])
    steps = plan_bundle(chain, "expressway").next_steps
    ca_list = "expe.example.com-trusted-ca.pem"
    (other,) = [s for s in steps if "each other's CA" in s]
    assert ca_list in other and "000 L215" in other
    (cucm,) = [s for s in steps if "tomcat-trust and as CallManager-trust" in s]
    assert ca_list in cucm and "000 L246" in cucm
    assert [s.split(".")[0] for s in steps if s[0].isdigit()] == ["1", "2", "3", "4", "5"]


def test_item18_cucm_tomcat_steps_put_its_ca_or_itself_into_the_expressway_c_list():
    """seed-000-002 002 L140: the root and every intermediate of the CUCM tomcat certificate
    go into the Expressway-C trust store; L638: a self-signed one goes there itself; on every
    Expressway-C node. Not for the types Expressway-C does not check (CallManager, CAPF)."""
    pki = make_pki(key_kind="rsa", leaf_cn="cucm.steven.lab")
    for kind in ("tomcat", "tomcat-ECDSA"):
        leaf_key = "ec" if kind == "tomcat-ECDSA" else "rsa"
        leaf = issue("cucm.steven.lab", issuer=pki.intermediate, key=new_key(leaf_key),
                     sans=["cucm.steven.lab"])
        chain = build_chain([leaf.cert, pki.intermediate.cert, pki.root.cert])
        (step,) = [s for s in plan_bundle(chain, "cucm", cucm_kind=kind).next_steps
                   if "every Expressway-C node" in s]
        assert "1-tomcat-trust-Example_Root_CA.pem, 2-tomcat-trust-Example_Issuing_CA.pem" \
            in step  # tomcat-ECDSA's CAs go to tomcat-trust too (seed-004 P4)
        assert "002 L140, L638" in step
    selfsigned = issue("cucm.steven.lab", key=new_key("rsa"), sans=["cucm.steven.lab"])
    steps = plan_bundle(build_chain([selfsigned.cert]), "cucm", cucm_kind="tomcat").next_steps
    (step,) = [s for s in steps if "every Expressway-C node" in s]
    assert "this self-signed certificate itself (1-tomcat-cucm.steven.lab.pem)" in step
    rsa_chain = build_chain([pki.leaf.cert, pki.intermediate.cert, pki.root.cert])
    for kind in ("CallManager", "CAPF"):
        assert not [s for s in plan_bundle(rsa_chain, "cucm", cucm_kind=kind).next_steps
                    if "every Expressway-C node" in s]


def _capf_certificate(pki, *, key_cert_sign: bool = True):
    """A CAPF certificate as the item-12 CSR asks for it: CA:TRUE pathlen 0, DS+KE+KCS,
    serverAuth (seed-004 L71, Table 1 L106)."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    usage = x509.KeyUsage(digital_signature=True, content_commitment=False,
                          key_encipherment=True, data_encipherment=False, key_agreement=False,
                          key_cert_sign=key_cert_sign, crl_sign=False, encipher_only=False,
                          decipher_only=False)
    key = new_key("rsa")
    subject = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "cucm-pub.example.com")])
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(pki.intermediate.cert.subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(pki.leaf.cert.not_valid_before_utc)
               .not_valid_after(pki.leaf.cert.not_valid_after_utc)
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(usage, critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                              critical=False)
               .add_extension(x509.SubjectAlternativeName(
                   [x509.DNSName("cucm-pub.example.com")]), critical=False))
    from cryptography.hazmat.primitives import hashes

    return builder.sign(pki.intermediate.key, hashes.SHA256())


def test_item12_capf_certificate_with_ca_true_lints_clean_and_one_fault_is_one_error():
    """seed-004 L71, L106, L235: the CAPF certificate the item-12 CSR asks for (CA:TRUE,
    pathlen 0, keyCertSign, serverAuth) is the CAPF's own certificate, not a CA-only file
    (no CU-P01); without keyCertSign it is exactly one error, CU-X06."""
    from lint_support import ids, lint
    from pki import pem_of

    pki = make_pki(key_kind="rsa")
    cas = ("CallManager-trust-ca.pem", pem_of(pki.intermediate.cert, pki.root.cert))
    good = lint(("capf.pem", pem_of(_capf_certificate(pki))), cas, role="cucm-capf")
    assert ids(good, "error") == set(), good.findings
    alone = lint(("capf.pem", pem_of(_capf_certificate(pki))), role="cucm-capf")
    assert ids(alone, "error") == set() and "CHN-NOT-CHECKED" in ids(alone, "info")
    bad = lint(("capf.pem", pem_of(_capf_certificate(pki, key_cert_sign=False))), cas,
               role="cucm-capf")
    assert [f.id for f in bad.findings if f.severity.value == "error"] == ["CU-X06"]
