"""Signed CSRs for every CSR acceptance scenario: parse what was built and written, check it all.

seed-001 AT-01..AT-15 and AT-26, seed-003 AT01..AT10 (the CSR ones), seed-004 role profiles. Each
CSR is checked for CN, SAN set and order, KU/EKU, key type and size, digest and signature.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from collabcert import csr, roles
from collabcert.errors import InputError, WriteRefused
from collabcert.keys import generate_key, parse_key_spec

IPSEC = ObjectIdentifier("1.3.6.1.5.5.7.3.5")
EKU_NAMES = {ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth",
             ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth", IPSEC: "ipsecEndSystem"}


@pytest.fixture(scope="module")
def keys():
    return {"ec:p256": generate_key(parse_key_spec("ec:p256")),
            "rsa:2048": generate_key(parse_key_spec("rsa:2048"))}


@dataclass
class Case:
    id: str
    role: str
    answers: dict
    cn: str
    sans: list[str]  # exact order unless `ordered` is False
    ordered: bool = True
    key: str = "ec:p256"
    eku: tuple[str, ...] = ("serverAuth", "clientAuth")
    findings: set[str] = field(default_factory=set)


CASES = [
    # seed-001 ----------------------------------------------------------------------------------
    Case("seed001-AT-01", "expressway-c", {"fqdn": "expc.example.com"}, "expc.example.com",
         ["expc.example.com"]),
    Case("seed001-AT-02", "expressway-e",
         {"fqdn": "expe1.example.com", "cluster-fqdn": "expe.example.com"},
         "expe.example.com", ["expe.example.com", "expe1.example.com"], ordered=False,
         findings={"PROC-PER-PEER"}),
    Case("seed001-AT-03", "expressway-c",
         {"fqdn": "peer1vcs.example.com", "cluster-fqdn": "ClusterFQDN.example.com",
          "additional-names": "peer2vcs.example.com"},
         "ClusterFQDN.example.com",
         ["peer1vcs.example.com", "peer2vcs.example.com", "ClusterFQDN.example.com"],
         ordered=False),
    Case("seed001-AT-04", "expressway-c",
         {"fqdn": "expc.example.com",
          "chat-aliases": "chatnode1.example.com, chatnode2.example.com",
          "phone-profiles": "DX80TLSprofile.example.com"},
         "expc.example.com", ["expc.example.com", "chatnode1.example.com",
                              "chatnode2.example.com", "DX80TLSprofile.example.com"]),
    Case("seed001-AT-05", "expressway-e",
         {"fqdn": "expe.example.com", "ucm-domains": "example.com",
          "ucm-domain-format": "collab-edge", "xmpp-domains": "example.com",
          "chat-aliases": "chatnode1.example.com,chatnode2.example.com"},
         "expe.example.com", ["expe.example.com", "collab-edge.example.com", "example.com",
                              "chatnode1.example.com", "chatnode2.example.com"],
         key="rsa:2048", findings={"ROLE-MULTISAN"}),
    Case("seed001-AT-06", "expressway-e",
         {"fqdn": "expe.example.com", "ucm-domains": "example.com,example.org"},
         "expe.example.com", ["expe.example.com", "collab-edge.example.com",
                              "collab-edge.example.org"]),
    Case("seed001-AT-07", "expressway-e",
         {"fqdn": "expe.example.com", "ucm-domains": "example.com,example.org",
          "ucm-domain-format": "dns"},
         "expe.example.com", ["expe.example.com", "example.com", "example.org"]),
    Case("seed001-AT-08", "expressway-e",
         {"fqdn": "expe.example.com", "ucm-domains": "example.com,corp.local"},
         "expe.example.com", ["expe.example.com", "collab-edge.example.com",
                              "collab-edge.corp.local"], findings={"ROLE-E-PRIVDOM"}),
    Case("seed001-AT-09", "expressway-c",
         {"fqdn": "expc.example.com",
          "phone-profiles": "jabbersecureprofile.domain.com,DX80SecureProfile.domain.com"},
         "expc.example.com", ["expc.example.com", "jabbersecureprofile.domain.com",
                              "DX80SecureProfile.domain.com"]),
    Case("seed001-AT-10", "expressway-c",
         {"fqdn": "a.example.com", "additional-names": "a-b.example.com,x1.example.org"},
         "a.example.com", ["a.example.com", "a-b.example.com", "x1.example.org"]),
    Case("seed001-AT-15", "expressway-e", {"fqdn": "expe.example.com"}, "expe.example.com",
         ["expe.example.com"], key="rsa:2048"),
    Case("seed001-AT-26", "expressway-c",
         {"fqdn": "expc1.example.com", "cluster-fqdn": "expc.example.com",
          "phone-profiles": "jabbersecureprofile.domain.com",
          "chat-aliases": "chatnode1.example.com"},
         "expc.example.com", ["expc.example.com", "expc1.example.com", "chatnode1.example.com",
                              "jabbersecureprofile.domain.com"]),
    # seed-003 ----------------------------------------------------------------------------------
    Case("seed003-AT04", "cms-xmpp", {"fqdn": "xmpp.example.com", "xmpp-domain": "example.com",
                                      "o": "Example Inc."},
         "xmpp.example.com", ["xmpp.example.com", "example.com"], key="rsa:2048"),
    Case("seed003-AT06", "cms-shared",
         {"domain": "example.com", "component-fqdns":
          "callbridge1.example.com,callbridge2.example.com,callbridge3.example.com,"
          "xmppserver.example.com,webbridge.example.com"},
         "example.com", ["example.com", "callbridge1.example.com", "callbridge2.example.com",
                         "callbridge3.example.com", "xmppserver.example.com",
                         "webbridge.example.com"]),
    Case("seed003-AT07", "cms-webbridge",
         {"fqdn": "www.example.com", "additional-names": "guest.example.com, www2.example.com"},
         "www.example.com", ["www.example.com", "guest.example.com", "www2.example.com"]),
    Case("seed003-AT08", "cms-webbridge",
         {"fqdn": "www.example.com", "additional-names": "guest.example.com"},
         "www.example.com", ["www.example.com", "guest.example.com"]),
    Case("seed003-AT09", "cms-db-client", {"o": "Example"}, "postgres", [], key="rsa:2048",
         eku=("clientAuth",)),
    Case("seed003-AT10-server", "cms-db-server",
         {"fqdn": "db1.example.com", "other-fqdns": "db2.example.com,db3.example.com"},
         "db1.example.com", ["db1.example.com", "db2.example.com", "db3.example.com"],
         eku=("serverAuth",)),
    Case("seed003-G10-G11", "cms-callbridge",
         {"fqdn": "*.example.com", "additional-names": "example.com,192.168.1.25"},
         "*.example.com", ["*.example.com", "example.com", "192.168.1.25"]),
    Case("seed003-trunk", "cms-trunk", {"fqdn": "core1.example.com"}, "core1.example.com",
         ["core1.example.com"], findings={"CMS-R09"}),
    Case("seed003-lb", "cms-loadbalancer", {"fqdn": "edge1.example.com"}, "edge1.example.com",
         ["edge1.example.com"], findings={"CMS-R09"}),
    Case("seed003-turn", "cms-turn", {"fqdn": "turn.example.com"}, "turn.example.com",
         ["turn.example.com"]),
    Case("seed003-webadmin", "cms-webadmin", {"fqdn": "admin.example.com"}, "admin.example.com",
         ["admin.example.com"]),
]


def _cucm_cases() -> list[Case]:
    cases = []
    for role in roles.catalogue():
        if role.multi_server is None:
            continue
        answers = {"fqdn": "cucm-pub.example.com", "additional-names": "example.com"}
        expected = ["cucm-pub.example.com"]
        cn = "cucm-pub.example.com"
        if role.multi_server:
            answers["multi-server-fqdns"] = "cucm-sub1.example.com,CUCM-PUB.example.com"
            # issue 13 item 11 (seed-000-002 L374, L394-398): a multi-server CN is
            # <host>-ms.<parent domain>, first in the SAN; the parent domain follows the nodes
            cn = "cucm-pub-ms.example.com"
            expected = [cn, "cucm-pub.example.com", "cucm-sub1.example.com"]
        expected.append("example.com")
        cases.append(Case(f"seed004-{role.id}", role.id, answers, cn,
                          expected, key=role.default_key, eku=role.eku,
                          findings={"CU-LOCAL-KEY"}))
    return cases


CASES += _cucm_cases()


def _san_strings(request: x509.CertificateSigningRequest) -> list[str]:
    try:
        ext = request.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [str(g.value) for g in ext.value]


def _ku_bits(request) -> set[str]:
    ku = request.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical
    bits = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
            "key_agreement", "key_cert_sign", "crl_sign")
    return {b for b in bits if getattr(ku.value, b)}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_acceptance_scenario_csr(case, keys, tmp_path):
    plan = roles.plan(case.role, case.answers, key=case.key)
    assert case.findings <= {f.id for f in plan.findings}
    outcome = csr.create(plan, tmp_path, key=keys[case.key])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{plan.basename}.csr", f"{plan.basename}.key"])
    request = x509.load_pem_x509_csr(outcome.csr_path.read_bytes())
    assert request.is_signature_valid
    cn = request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert [a.value for a in cn] == [case.cn]
    got = _san_strings(request)
    if case.ordered:
        assert got == case.sans
    else:
        assert sorted(got) == sorted(case.sans)
    if got:
        assert got[0] == case.cn  # DESIGN.md: the CN is the first SAN (not the DB client)
        assert len({g.lower() for g in got}) == len(got)
    eku = request.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert tuple(EKU_NAMES[o] for o in eku.value) == case.eku
    assert _ku_bits(request) == set(plan.role.usage_for(plan.key_spec))
    assert isinstance(request.signature_hash_algorithm, hashes.SHA256)
    public = request.public_key()
    if case.key == "ec:p256":
        assert isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name == "secp256r1"
    else:
        assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
    # the key written is the key that signed the CSR
    written = serialization.load_pem_private_key(outcome.key_path.read_bytes(), None)
    assert written.public_key() == public


def test_ip_sans_are_ip_entries(keys, tmp_path):
    plan = roles.plan("cms-callbridge", {"fqdn": "cb.example.com",
                                         "additional-names": "192.168.1.25,2001:db8::1"},
                      key="ec:p256")
    request = csr.build_csr(plan, keys["ec:p256"])
    san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(i) for i in san.get_values_for_type(x509.IPAddress)] == ["192.168.1.25",
                                                                          "2001:db8::1"]
    assert san.get_values_for_type(x509.DNSName) == ["cb.example.com"]


def test_subject_fields_in_the_csr(keys):
    plan = roles.plan("expressway-c", {"fqdn": "expc.example.com", "c": "gb", "st": "Berkshire",
                                       "l": "Reading", "o": "Cisco", "ou": "CIBU"},
                      key="ec:p256")
    request = csr.build_csr(plan, keys["ec:p256"])
    assert request.subject.rfc4514_string() == (
        "CN=expc.example.com,OU=CIBU,O=Cisco,L=Reading,ST=Berkshire,C=GB")


@pytest.mark.parametrize("digest", ["sha256", "sha384", "sha512"])
def test_digests_seed001_at15(digest, keys):
    plan = roles.plan("expressway-e", {"fqdn": "expe.example.com"}, key="rsa:2048",
                      digest=digest)
    request = csr.build_csr(plan, keys["rsa:2048"])
    assert request.signature_hash_algorithm.name == digest
    assert request.is_signature_valid


@pytest.fixture(scope="module")
def every_key():
    return {spec: generate_key(parse_key_spec(spec)) for spec in roles.ALL_KEYS}


@pytest.mark.parametrize("spec", roles.ALL_KEYS)
def test_key_types_and_sizes_at14(spec, every_key):
    plan = roles.plan("cms-webadmin", {"fqdn": "admin.example.com"}, key=spec)
    request = csr.build_csr(plan, every_key[spec])
    public = request.public_key()
    kind, _, size = spec.partition(":")
    if kind == "rsa":
        assert isinstance(public, rsa.RSAPublicKey) and public.key_size == int(size)
        assert _ku_bits(request) == {"digital_signature", "key_encipherment"}
    else:
        curve = {"p256": "secp256r1", "p384": "secp384r1", "p521": "secp521r1"}[size]
        assert public.curve.name == curve
        assert _ku_bits(request) == {"digital_signature"}  # no key encipherment for EC


def test_new_key_follows_the_plan_and_pem_contract(tmp_path):
    plan = roles.plan("cucm-tomcat-ecdsa", {"fqdn": "cucm.example.com"})  # default EC P-256
    outcome = csr.create(plan, tmp_path)
    key_bytes = outcome.key_path.read_bytes()
    csr_bytes = outcome.csr_path.read_bytes()
    for data, label in ((key_bytes, b"PRIVATE KEY"), (csr_bytes, b"CERTIFICATE REQUEST")):
        assert data.startswith(b"-----BEGIN " + label + b"-----\n")
        assert data.endswith(b"-----END " + label + b"-----\n")
        assert b"\r" not in data and b"\n\n" not in data
        assert all(len(line) <= 64 for line in data.splitlines())
    assert stat.S_IMODE(outcome.key_path.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(key_bytes, None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    assert outcome.written == (outcome.key_path, outcome.csr_path)


def test_encrypted_key_and_note(tmp_path, keys):
    plan = roles.plan("cms-webbridge", {"fqdn": "www.example.com"}, key="ec:p256")
    outcome = csr.create(plan, tmp_path, key=keys["ec:p256"], passphrase=b"s3cret")
    data = outcome.key_path.read_bytes()
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    assert serialization.load_pem_private_key(data, b"s3cret").public_key() == keys[
        "ec:p256"].public_key()
    assert {"KEY-LOCKED", "KEY-REUSED"} <= {f.id for f in outcome.findings}


def test_refuses_to_overwrite_and_leaves_files(tmp_path, keys):
    plan = roles.plan("cms-webbridge", {"fqdn": "www.example.com"}, key="ec:p256")
    (tmp_path / "webbridge.csr").write_bytes(b"old")
    with pytest.raises(WriteRefused, match="already exists"):
        csr.create(plan, tmp_path, key=keys["ec:p256"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["webbridge.csr"]
    assert (tmp_path / "webbridge.csr").read_bytes() == b"old"
    csr.create(plan, tmp_path, key=keys["ec:p256"], force=True)
    assert (tmp_path / "webbridge.csr").read_bytes().startswith(b"-----BEGIN")


def test_reused_key_in_place_writes_only_the_csr(tmp_path, keys):
    plan = roles.plan("cms-webbridge", {"fqdn": "www.example.com"}, key="ec:p256")
    first = csr.create(plan, tmp_path, key=keys["ec:p256"])
    before = first.key_path.read_bytes()
    first.csr_path.unlink()
    again = csr.create(plan, tmp_path, key=keys["ec:p256"], key_source=first.key_path)
    assert again.written == (again.csr_path,)
    assert first.key_path.read_bytes() == before


def test_reused_key_must_fit_the_role(keys):
    plan = roles.plan("cucm-tomcat", {"fqdn": "cucm.example.com"})
    with pytest.raises(InputError, match="CU-P04"):
        csr.check_key(plan, keys["ec:p256"])
    with pytest.raises(InputError, match="plan says RSA 2048"):
        csr.check_key(roles.plan("cms-webadmin", {"fqdn": "a.example.com"}), keys["ec:p256"])
    with pytest.raises(InputError, match="not offered"):
        csr.reused_key_spec(rsa.generate_private_key(65537, 1024))


def test_a_key_made_beforehand_is_not_called_reused(tmp_path) -> None:
    from collabcert import csr, roles

    plan = roles.plan(roles.get_role("cms-webadmin"), {"fqdn": "admin.example.com"})
    made = csr.new_key(plan)
    outcome = csr.create(plan, tmp_path, key=made, reused=False)
    assert not outcome.key_reused
    assert not any("reuse" in f.message.lower() for f in outcome.findings)
    assert outcome.key_path.exists() and outcome.csr_path.exists()
