"""The role catalogue: IDs and fields of DESIGN.md, SAN composition, validation reasons, findings.

Composition is tested here without keys; tests/test_csr.py signs real CSRs for the same scenarios.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collabcert import roles
from collabcert.errors import InputError
from collabcert.findings import Severity

DESIGN_ROLES = {
    "expressway-c": ["fqdn", "cluster-fqdn", "additional-names", "chat-aliases",
                     "phone-profiles"],
    "expressway-e": ["fqdn", "cluster-fqdn", "additional-names", "ucm-domains",
                     "ucm-domain-format", "xmpp-domains", "chat-aliases"],
    "cms-webbridge": ["fqdn", "additional-names"],
    "cms-xmpp": ["fqdn", "xmpp-domain"],
    "cms-callbridge": ["fqdn", "additional-names"],
    "cms-turn": ["fqdn", "additional-names"],
    "cms-shared": ["domain", "component-fqdns"],
    "cms-trunk": ["fqdn"],
    "cms-loadbalancer": ["fqdn"],
    "cms-db-server": ["fqdn", "other-fqdns"],
    "cms-db-client": [],
    "cms-webadmin": ["fqdn"],
    # issue 13 item 16: roles the requirements call for (seed-003 L241, L271-272), added after
    # the DESIGN.md IDs, which stay as they were
    "cms-recorder": ["fqdn", "additional-names"],
    "cms-streamer": ["fqdn", "additional-names"],
}
CUCM_ROLES = ["cucm-tomcat", "cucm-tomcat-ecdsa", "cucm-callmanager", "cucm-callmanager-ecdsa",
              "cucm-capf", "cucm-tvs", "cucm-ipsec", "imp-cup", "imp-cup-ecdsa", "imp-cup-xmpp",
              "imp-cup-xmpp-ecdsa", "imp-cup-xmpp-s2s", "imp-cup-xmpp-s2s-ecdsa"]
NOT_MULTI_SERVER = {"cucm-capf", "cucm-ipsec", "imp-cup", "imp-cup-ecdsa"}  # seed-004 Tables 1-2
REQUIRED = {"expressway-c": {"fqdn"}, "expressway-e": {"fqdn"}, "cms-xmpp": {"fqdn", "xmpp-domain"},
            "cms-shared": {"domain", "component-fqdns"}, "cms-db-client": set()}


def test_catalogue_has_exactly_the_design_role_ids():
    assert [r.id for r in roles.catalogue()] == list(DESIGN_ROLES) + CUCM_ROLES


@pytest.mark.parametrize("role_id", list(DESIGN_ROLES))
def test_design_fields_are_present_in_order(role_id):
    own = [f.name for f in roles.get_role(role_id).role_fields]
    assert [n for n in own if n in DESIGN_ROLES[role_id]] == DESIGN_ROLES[role_id]


@pytest.mark.parametrize("role", roles.catalogue(), ids=lambda r: r.id)
def test_every_role_is_complete(role):
    names = [f.name for f in role.fields]
    assert names[-6:] == ["o", "ou", "l", "st", "c", "name"]
    assert len(set(names)) == len(names)
    required = {f.name for f in role.fields if f.required}
    assert required == REQUIRED.get(role.id, {"fqdn"})
    assert role.title and role.when and role.basename and role.next_steps
    for spec in role.fields:
        assert spec.label and spec.help, spec.name
    # seed-001 L330: SHA-256 default, SHA-384, SHA-512; never SHA-1 or MD5
    assert role.digests == ("sha256", "sha384", "sha512") and role.default_digest == "sha256"
    assert role.default_key in role.key_types


@pytest.mark.parametrize("role_id", CUCM_ROLES)
def test_cucm_profiles_follow_seed004_tables(role_id):
    role = roles.get_role(role_id)
    ecdsa = role_id.endswith("-ecdsa")
    assert role.key_algorithm == ("ec" if ecdsa else "rsa")
    assert role.default_key == ("ec:p256" if ecdsa else "rsa:2048")  # DESIGN.md defaults
    assert role.multi_server is (role_id not in NOT_MULTI_SERVER)
    assert (role.field("multi-server-fqdns") is not None) is role.multi_server
    assert "serverAuth" in role.eku  # CU-X02
    ipsec = role_id.startswith("imp-") or role_id == "cucm-ipsec"
    assert ("ipsecEndSystem" in role.eku) is ipsec  # CU-X04
    assert ("clientAuth" in role.eku) is (role_id != "cucm-capf")  # CU-X03
    ku = set(role.key_usage)
    if role_id == "cucm-capf":
        assert ku == {"digital_signature", "key_encipherment", "key_cert_sign"}  # CU-X06
    elif role_id.startswith("imp-"):
        assert ku == {"digital_signature", "key_encipherment", "data_encipherment",
                      "key_agreement"}
    else:
        assert ku == {"digital_signature", "key_encipherment", "data_encipherment"}


def test_expressway_key_menu_is_seed001_at14():
    role = roles.get_role("expressway-e")
    rsa = [int(k.split(":")[1]) for k in role.key_types if k.startswith("rsa:")]
    ec = [k.split(":")[1] for k in role.key_types if k.startswith("ec:")]
    assert rsa == [2048, 4096]
    assert ec == ["p256", "p384", "p521"]
    assert role.eku == ("serverAuth", "clientAuth")  # seed-001 L318


def test_cms_database_ekus_seed003_r13_r14():
    assert roles.get_role("cms-db-server").eku == ("serverAuth",)
    assert roles.get_role("cms-db-client").eku == ("clientAuth",)
    assert roles.get_role("cms-db-client").fixed_cn == "postgres"


def sans(role_id, **answers):
    return list(roles.plan(role_id, answers, key="ec:p256"
                           if roles.get_role(role_id).key_algorithm != "rsa" else None).sans)


# seed-001 acceptance scenarios, composition only ---------------------------------------------


def test_at01_standalone_cn_and_cn_san():
    plan = roles.plan("expressway-c", {"fqdn": "expc.example.com"})
    assert plan.cn == "expc.example.com"
    assert plan.sans == ("expc.example.com",)  # DESIGN.md: the CN is the first DNS SAN


def test_at02_cluster_peer():
    plan = roles.plan("expressway-e", {"fqdn": "expe1.example.com",
                                       "cluster-fqdn": "expe.example.com"})
    assert plan.cn == "expe.example.com"
    assert plan.sans == ("expe.example.com", "expe1.example.com")
    assert "PROC-PER-PEER" in {f.id for f in plan.findings}


def test_at04_figure1_order():
    got = sans("expressway-c", fqdn="expc.example.com",
               **{"chat-aliases": "chatnode1.example.com, chatnode2.example.com",
                  "phone-profiles": "DX80TLSprofile.example.com"})
    assert got[1:] == ["chatnode1.example.com", "chatnode2.example.com",
                       "DX80TLSprofile.example.com"]


def test_at05_figure2_order():
    plan = roles.plan("expressway-e", {
        "fqdn": "expe.example.com", "ucm-domains": "example.com",
        "ucm-domain-format": "CollabEdgeDNS", "xmpp-domains": "example.com",
        "chat-aliases": "chatnode1.example.com,chatnode2.example.com"})
    assert plan.san_preview == ("DNS:expe.example.com DNS:collab-edge.example.com DNS:example.com"
                                " DNS:chatnode1.example.com DNS:chatnode2.example.com")


def test_at06_collab_edge_is_the_default_format():
    got = sans("expressway-e", fqdn="expe.example.com",
               **{"ucm-domains": "example.com,example.org"})
    assert got == ["expe.example.com", "collab-edge.example.com", "collab-edge.example.org"]


def test_at07_dns_format():
    got = sans("expressway-e", fqdn="expe.example.com",
               **{"ucm-domains": "example.com,example.org", "ucm-domain-format": "dns"})
    assert got == ["expe.example.com", "example.com", "example.org"]


def test_at08_private_domain_is_info_not_error():
    plan = roles.plan("expressway-e", {"fqdn": "expe.example.com",
                                       "ucm-domains": "example.com,corp.local"})
    privdom = [f for f in plan.findings if f.id == "ROLE-E-PRIVDOM"]
    assert len(privdom) == 1 and privdom[0].severity is Severity.INFO
    assert "corp.local" in privdom[0].message


def test_at09_phone_profile_must_be_fqdn():
    with pytest.raises(InputError, match="phone-profiles.*DX80SecureProfile.*X12.6"):
        roles.plan("expressway-c", {"fqdn": "expc.example.com",
                                    "phone-profiles": "DX80SecureProfile"})
    got = sans("expressway-c", fqdn="expc.example.com",
               **{"phone-profiles": "jabbersecureprofile.domain.com,DX80SecureProfile.domain.com"})
    assert got[1:] == ["jabbersecureprofile.domain.com", "DX80SecureProfile.domain.com"]


@pytest.mark.parametrize("bad", ["-a.example.com", "a-.example.com", "a_b.example.com",
                                 "host.example.1com", "a..example.com", "192.0.2.10",
                                 "*.example.com", "expc"])
@pytest.mark.parametrize("field", ["fqdn", "cluster-fqdn", "additional-names", "chat-aliases"])
def test_at10_to_at12_expressway_refuses_bad_names(field, bad):
    answers = {"fqdn": "expc.example.com", field: bad}
    with pytest.raises(InputError) as caught:
        roles.plan("expressway-c", answers)
    message = str(caught.value)
    assert message.startswith(f"{field}: {bad!r}") and "\n" not in message


def test_at13_xmppaddress_refused():
    with pytest.raises(InputError, match="XMPPAddress.*L459"):
        roles.plan("expressway-e", {"fqdn": "expe.example.com",
                                    "xmpp-domain-format": "XMPPAddress"})
    with pytest.raises(InputError, match="XMPP address"):
        roles.plan("expressway-e", {"fqdn": "expe.example.com",
                                    "xmpp-domains": "user@example.com"})


def test_at14_at15_key_and_digest_choices():
    with pytest.raises(InputError, match="rsa:1024"):
        roles.plan("expressway-e", {"fqdn": "expe.example.com"}, key="rsa:1024")
    for bad in ("sha1", "md5", "SHA-1"):
        with pytest.raises(InputError, match="not offered"):
            roles.plan("expressway-e", {"fqdn": "expe.example.com"}, digest=bad)
    plan = roles.plan("expressway-e", {"fqdn": "expe.example.com"}, digest="SHA-384")
    assert plan.digest == "sha384"
    odd = roles.plan("expressway-e", {"fqdn": "expe.example.com"}, key="rsa:3072")
    assert [f.id for f in odd.findings if f.severity is Severity.WARNING] == ["KEY-SIZE"]


def test_at26_clustered_c_with_mra():
    got = sans("expressway-c", fqdn="expc1.example.com",
               **{"cluster-fqdn": "expc.example.com",
                  "phone-profiles": "jabbersecureprofile.domain.com",
                  "chat-aliases": "chatnode1.example.com"})
    assert got[0] == "expc.example.com"
    assert set(got) == {"expc.example.com", "expc1.example.com", "chatnode1.example.com",
                        "jabbersecureprofile.domain.com"}


def test_duplicates_dropped_case_insensitively_first_kept():
    got = sans("expressway-e", fqdn="Expe.Example.com",
               **{"additional-names": "expe.example.com,other.example.com,OTHER.example.com",
                  "ucm-domains": "example.com", "ucm-domain-format": "dns",
                  "xmpp-domains": "EXAMPLE.com"})
    assert got == ["Expe.Example.com", "other.example.com", "example.com"]


# seed-003 ------------------------------------------------------------------------------------


def test_cms_xmpp_at04_composition():
    plan = roles.plan("cms-xmpp", {"fqdn": "xmpp.example.com", "xmpp-domain": "example.com"})
    assert plan.cn == "xmpp.example.com" and plan.sans == ("xmpp.example.com", "example.com")


def test_cms_xmpp_needs_the_domain_at05():
    with pytest.raises(InputError, match="xmpp-domain"):
        roles.plan("cms-xmpp", {"fqdn": "xmpp.example.com"})


def test_cms_accepts_wildcards_and_ips_seed003_g10_g11():
    plan = roles.plan("cms-webbridge", {"fqdn": "*.example.com",
                                        "additional-names": "example.com,192.168.1.25"})
    assert plan.sans == ("*.example.com", "example.com", "192.168.1.25")
    with pytest.raises(InputError, match="IP address"):
        roles.plan("cms-webbridge", {"fqdn": "192.168.1.25"})


def test_cms_shared_at06():
    plan = roles.plan("cms-shared", {"domain": "example.com", "component-fqdns": (
        "callbridge1.example.com,callbridge2.example.com,callbridge3.example.com,"
        "xmppserver.example.com,webbridge.example.com")})
    assert plan.cn == "example.com" and plan.sans[0] == "example.com" and len(plan.sans) == 6


def test_cms_db_client_cn_is_postgres_and_cannot_be_set():
    plan = roles.plan("cms-db-client", {})
    assert plan.cn == "postgres" and plan.sans == ()
    for name in ("cn", "CN", "fqdn", "common_name"):
        with pytest.raises(InputError, match="postgres"):
            roles.plan("cms-db-client", {name: "dbclient"})


@pytest.mark.parametrize(("basename", "ok"), [("base.name", False), ("web bridge", False),
                                              ("web_bridge-1", True), ("call.bridge", False),
                                              ("callbridge", True)])
def test_cms_basenames_seed003_at01_at02(basename, ok):
    answers = {"fqdn": "www.example.com", "name": basename}
    if ok:
        assert roles.plan("cms-webbridge", answers).basename == basename
    else:
        with pytest.raises(InputError, match="basename"):
            roles.plan("cms-webbridge", answers)


def test_cms_subject_quote_refused():
    with pytest.raises(InputError, match="double quote"):
        roles.plan("cms-webbridge", {"fqdn": "www.example.com", "o": 'Ex "Q" Inc.'})


# seed-004 ------------------------------------------------------------------------------------


def test_multi_server_san_order():
    got = sans("cucm-tomcat", fqdn="cucm-pub.example.com",
               **{"multi-server-fqdns": "cucm-sub1.example.com,cucm-sub2.example.com",
                  "additional-names": "example.com"})
    # issue 13 item 11: the multi-server CN cucm-pub-ms.example.com comes first (seed-000-002
    # L374); example.com is also the parent domain (L394-398)
    assert got == ["cucm-pub-ms.example.com", "cucm-pub.example.com", "cucm-sub1.example.com",
                   "cucm-sub2.example.com", "example.com"]


@pytest.mark.parametrize("role_id", sorted(NOT_MULTI_SERVER))
def test_multi_server_refused_cu_x10(role_id):
    with pytest.raises(InputError, match="CU-X10"):
        roles.plan(role_id, {"fqdn": "cucm.example.com",
                             "multi-server-fqdns": "cucm2.example.com"},
                   key="ec:p256" if role_id.endswith("ecdsa") else None)


@pytest.mark.parametrize("role_id", CUCM_ROLES)
def test_key_type_must_match_the_ecdsa_suffix_cu_p04(role_id):
    wrong = "rsa:2048" if role_id.endswith("-ecdsa") else "ec:p256"
    with pytest.raises(InputError, match="CU-P04"):
        roles.plan(role_id, {"fqdn": "cucm.example.com"}, key=wrong)
    plan = roles.plan(role_id, {"fqdn": "cucm.example.com"})
    assert str(plan.key_spec) == roles.get_role(role_id).default_key
    assert "CU-LOCAL-KEY" in {f.id for f in plan.findings}


# general refusals ------------------------------------------------------------------------------


def test_unknown_role_and_field():
    with pytest.raises(InputError, match="unknown role 'nope'"):
        roles.get_role("nope")
    with pytest.raises(InputError, match="unknown field 'colour'.*fqdn"):
        roles.plan("cms-webbridge", {"fqdn": "www.example.com", "colour": "blue"})


@pytest.mark.parametrize("country", ["GBR", "G", "1A", "ÜK"])
def test_country_must_be_two_letters(country):
    with pytest.raises(InputError, match="two-letter"):
        roles.plan("cms-webadmin", {"fqdn": "a.example.com", "c": country})


def test_country_uppercased_and_subject_order():
    plan = roles.plan("cms-webadmin", {"fqdn": "a.example.com", "c": "gb", "o": "Example Inc.",
                                       "st": "Berkshire", "l": "Reading", "ou": "IT"})
    assert plan.subject == (("c", "GB"), ("st", "Berkshire"), ("l", "Reading"),
                            ("o", "Example Inc."), ("ou", "IT"), ("cn", "a.example.com"))
    assert plan.subject_text == "CN=a.example.com,OU=IT,O=Example Inc.,L=Reading,ST=Berkshire,C=GB"


def test_missing_required_field():
    with pytest.raises(InputError, match="needs the field fqdn"):
        roles.plan("expressway-e", {"cluster-fqdn": "expe.example.com"})


def test_cn_longer_than_64_refused():
    long_name = "a" * 60 + ".example.com"
    with pytest.raises(InputError, match="64"):
        roles.plan("cms-webadmin", {"fqdn": long_name})


# the TUI side: field checks and the live preview ----------------------------------------------


def test_field_check_returns_the_reason():
    spec = roles.get_role("expressway-c").field("phone-profiles")
    result = spec.check("DX80SecureProfile")
    assert not result.ok and "single label" in result.error and "X12.6" in result.error
    ok = spec.check("a.example.com, b.example.com")
    assert ok.ok and ok.value == ("a.example.com", "b.example.com")


def test_preview_from_partial_answers_never_raises():
    role = roles.get_role("expressway-e")
    view = roles.preview(role, {"fqdn": "expe.example.com", "ucm-domains": "example.com,bad_x",
                                "xmpp-domains": "example.com", "nonsense": "1"})
    assert view.cn == "expe.example.com"
    assert view.text == "DNS:expe.example.com DNS:example.com"  # the invalid list is left out
    assert set(view.errors) == {"ucm-domains", "nonsense"}
    empty = roles.preview("expressway-e", {})
    assert empty.missing == ("fqdn",) and empty.sans == () and not empty.ok
    assert "role" in roles.preview("nope", {}).errors


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([r.id for r in roles.catalogue()]),
       st.dictionaries(st.sampled_from(["fqdn", "cluster-fqdn", "additional-names", "c", "o",
                                        "ucm-domains", "name", "domain", "x"]),
                       st.text(max_size=30), max_size=5))
def test_preview_never_raises_on_anything(role_id, answers):
    view = roles.preview(role_id, answers)
    assert isinstance(view.sans, tuple)


def test_dependent_questions_only_apply_when_their_field_is_given():
    role = roles.get_role("expressway-e")
    fmt = role.field("ucm-domain-format")
    assert not fmt.applies({}) and fmt.applies({"ucm-domains": ("example.com",)})
    assert role.field("fqdn").applies({})
