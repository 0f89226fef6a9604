"""Bundle targets and the acceptance scenarios about bundles (seed-003 AT16-AT20, seed-004
AT02-AT05, seed-001 AT-22)."""

from __future__ import annotations

import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from pki import DAY, NOW, issue, make_pki, name, pem_of

from collabcert.bundle import cucm_trust_purpose, cucm_type, pem, plan_bundle
from collabcert.chain import build_chain, fingerprint
from collabcert.errors import InputError
from collabcert.files import write_plan
from collabcert.findings import Severity


@pytest.fixture(scope="module")
def pki():
    """Test Root CA -> Test Issuing CA -> cucm-pub.example.com, as in the seed-004 §5 fixture."""
    return make_pki(leaf_cn="cucm-pub.example.com", root_cn="Test Root CA",
                    intermediate_cn="Test Issuing CA",
                    sans=["cucm-pub.example.com", "cucm-sub1.example.com", "example.com"])


@pytest.fixture(scope="module")
def chain(pki):
    return build_chain([pki.root.cert, pki.leaf.cert, pki.intermediate.cert])


def _certs(data: bytes) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(data)


def _well_formed(data: bytes) -> None:
    """seed-003 B04-B06 and the PEM contract: no blank lines, LF, 64 columns, final newline."""
    assert data.startswith(b"-----BEGIN CERTIFICATE-----\n") and data.endswith(b"\n")
    assert b"\r" not in data and b"\n\n" not in data
    assert not re.search(rb"-----END CERTIFICATE-----[^\n]*-----BEGIN", data)
    for line in data.split(b"\n"):
        assert len(line) <= 64


def test_fullchain_root_left_out_by_default(pki, chain, tmp_path):
    bundle = plan_bundle(chain, "fullchain", out_dir=tmp_path)
    (planned,) = bundle.files
    assert planned.path == tmp_path / "cucm-pub.example.com-fullchain.pem"
    assert _certs(planned.data) == [pki.leaf.cert, pki.intermediate.cert]
    assert planned.certificates == 2
    _well_formed(planned.data)
    assert bundle.to_json()["fingerprints"] == [fingerprint(pki.leaf.cert),
                                                fingerprint(pki.intermediate.cert)]


def test_fullchain_root_included_on_request(pki, chain, tmp_path):
    bundle = plan_bundle(chain, "fullchain", include_root=True, output=tmp_path / "x.pem")
    assert _certs(bundle.files[0].data) == pki.chain
    assert bundle.files[0].path == tmp_path / "x.pem"


def test_root_asked_for_but_not_there_is_an_error(pki):
    partial = build_chain([pki.leaf.cert, pki.intermediate.cert])
    bundle = plan_bundle(partial, "fullchain", include_root=True)
    assert any(f.id == "BND-NO-ROOT" and f.severity is Severity.ERROR for f in bundle.findings)


def test_expressway_ca_list_first_issuer_first_root_last(pki, chain, tmp_path):
    bundle = plan_bundle(chain, "expressway", out_dir=tmp_path)
    ca_list, server = bundle.files
    assert _certs(server.data) == [pki.leaf.cert]
    assert _certs(ca_list.data) == [pki.intermediate.cert, pki.root.cert]  # seed-001 F10, F11
    assert [s.purpose for s in bundle.upload_plan] == ["Trusted CA certificate",
                                                       "Server certificate"]
    assert "Trusted CA" in bundle.next_steps[0]  # seed-001 F9: the CA list goes up first
    assert any("Restart" in line for line in bundle.next_steps)  # F15


def test_expressway_refuses_one_output_file(chain, tmp_path):
    with pytest.raises(InputError, match="--out DIR"):
        plan_bundle(chain, "expressway", output=tmp_path / "a.pem")


def test_cms_names_and_root_last(pki, chain, tmp_path):
    bundle = plan_bundle(chain, "cms", out_dir=tmp_path, name="webbridge")
    cert, ca_bundle = bundle.files
    assert cert.path.name == "webbridge.crt" and ca_bundle.path.name == "webbridgebundle.crt"
    assert _certs(cert.data) == [pki.leaf.cert]
    assert _certs(ca_bundle.data) == [pki.intermediate.cert, pki.root.cert]
    steps = "\n".join(bundle.next_steps)
    assert "pki verify webbridge.crt webbridgebundle.crt" in steps
    assert "pki list" in steps
    assert "webbridge certs webbridge.key webbridge.crt webbridgebundle.crt" in steps
    assert "webbridge disable" in steps and "webbridge enable" in steps


@pytest.mark.parametrize("bad", ["call.bridge", "a b", "x/y", "ü"])
def test_cms_basename_rules(chain, bad):
    """seed-003 G2, G16: letters, digits, '-' and '_' only."""
    with pytest.raises(InputError, match="letters, digits"):
        plan_bundle(chain, "cms", name=bad)


def test_cms_root_left_out_warns(chain):
    bundle = plan_bundle(chain, "cms", include_root=False, name="turn")
    assert len(_certs(bundle.files[1].data)) == 1
    assert any(f.id == "BND-ROOT-LEFT-OUT" for f in bundle.findings)


def test_seed003_at16_missing_intermediate(pki):
    """AT16: leaf issued by ICA1, bundle holds only the root: B01 error, the ICA named."""
    partial = build_chain([pki.leaf.cert, pki.root.cert])
    assert partial.missing_issuer.subject == "CN=Test Issuing CA,O=Example"
    assert any(f.id == "CHN-INCOMPLETE" and f.severity is Severity.ERROR
               for f in partial.findings)


def test_seed003_at17_reordered(pki, tmp_path):
    """AT17: [Root, ICA2, ICA1] comes out [ICA1, ICA2, Root]."""
    ica2 = issue(name("ICA2"), issuer=pki.root, ca=True)
    ica1 = issue(name("ICA1"), issuer=ica2, ca=True)
    leaf = issue("cms.example.com", issuer=ica1)
    chain = build_chain([pki.root.cert, ica2.cert, ica1.cert, leaf.cert])
    data = plan_bundle(chain, "cms", name="callbridge").files[1].data
    assert _certs(data) == [ica1.cert, ica2.cert, pki.root.cert]
    _well_formed(data)


def test_seed003_at18_no_glued_blocks(pki, tmp_path):
    """AT18: a.crt without a final newline + b + c: output never glues END and BEGIN."""
    a = pem_of(pki.leaf.cert).rstrip(b"\n")
    glued = a + pem_of(pki.intermediate.cert) + pem_of(pki.root.cert)
    assert re.search(rb"-----END CERTIFICATE----------BEGIN", glued)  # the naive cat result
    from collabcert.load import load_bytes

    certs = load_bytes(glued, "glued.pem").certificates
    bundle = plan_bundle(build_chain(certs), "fullchain", include_root=True, out_dir=tmp_path)
    _well_formed(bundle.files[0].data)
    assert len(_certs(bundle.files[0].data)) == 3


def test_seed003_at19_der_input_same_fingerprint(pki):
    """AT19: a DER CA certificate goes into the PEM bundle; the fingerprint is unchanged."""
    from collabcert.load import load_bytes

    der = pki.intermediate.cert.public_bytes(serialization.Encoding.DER)
    ca = load_bytes(der, "ca.cer").certificates[0]
    chain = build_chain([pki.leaf.cert, ca, pki.root.cert])
    out = _certs(plan_bundle(chain, "cms", name="xmpp").files[1].data)
    assert fingerprint(out[0]) == fingerprint(pki.intermediate.cert)


def test_seed003_at20_split_chain_file_by_key(pki, tmp_path):
    """AT20: leaf + ICA + root in one file with server.key: server.crt + serverbundle.crt."""
    chain = build_chain(_certs(pem_of(*pki.chain)), key=pki.leaf.key)
    bundle = plan_bundle(chain, "cms", out_dir=tmp_path, key_file=tmp_path / "server.key")
    assert [f.path.name for f in bundle.files] == ["server.crt", "serverbundle.crt"]
    assert _certs(bundle.files[1].data) == [pki.intermediate.cert, pki.root.cert]


def test_seed004_at02_upload_plan(pki, tmp_path):
    """AT02: any input order -> root to tomcat-trust, ICA to tomcat-trust, leaf to tomcat."""
    for order in ([pki.leaf, pki.intermediate, pki.root], [pki.root, pki.leaf, pki.intermediate]):
        chain = build_chain([i.cert for i in order])
        bundle = plan_bundle(chain, "cucm", out_dir=tmp_path, cucm_kind="tomcat")
        plan = [(s.order, s.purpose, s.fingerprints[0]) for s in bundle.upload_plan]
        assert plan == [(1, "tomcat-trust", fingerprint(pki.root.cert)),
                        (2, "tomcat-trust", fingerprint(pki.intermediate.cert)),
                        (3, "tomcat", fingerprint(pki.leaf.cert))]
        assert all(f.certificates == 1 for f in bundle.files)
        steps = "\n".join(bundle.next_steps)
        assert "Cisco Tomcat" in steps and "TFTP" in steps
        # issue 13 item 13: CU-N11 (seed-004 L163) is about Unified Intelligence Center, another
        # product (seed-004 E6): AT02's "next steps include CU-N11" was wrong for CUCM
        assert "CU-N11" not in steps and "Intelligence" not in steps
        assert "CU-N01" in steps


def test_seed004_at03_missing_ica_named(pki):
    chain = build_chain([pki.leaf.cert, pki.root.cert])
    assert chain.missing_issuer.subject == "CN=Test Issuing CA,O=Example"


def test_seed004_at05_pkcs7_any_order(pki):
    """AT05: DER PKCS#7 leaf-first and root-first both unpack to leaf -> ICA -> root."""
    from collabcert.load import load_bytes

    for certs in (pki.chain, list(reversed(pki.chain))):
        der = pkcs7.serialize_certificates(certs, serialization.Encoding.DER)
        loaded = load_bytes(der, "chain_der.p7b").certificates
        assert build_chain(loaded).certificates == pki.chain


def test_cucm_types_and_trust_stores():
    assert cucm_type("TOMCAT-ecdsa") == "tomcat-ECDSA"
    assert cucm_trust_purpose("tomcat-ECDSA") == "tomcat-trust"  # seed-004 P4, L45
    assert cucm_trust_purpose("CallManager") == "CallManager-trust"
    with pytest.raises(InputError):
        cucm_type("nope")


def test_cucm_key_type_mismatch_warns(pki, chain):
    bundle = plan_bundle(chain, "cucm", cucm_kind="tomcat")  # the fixture's leaf is EC
    (finding,) = [f for f in bundle.findings if f.id == "CU-P04"]
    assert finding.severity is Severity.WARNING and "tomcat-ECDSA" in finding.fix
    assert not [f for f in plan_bundle(chain, "cucm", cucm_kind="tomcat-ECDSA").findings
                if f.id == "CU-P04"]


def test_files_written_re_read_and_counted(chain, tmp_path):
    bundle = plan_bundle(chain, "cucm", out_dir=tmp_path)
    paths = write_plan(list(bundle.files))
    assert all(p.exists() for p in paths) and len(paths) == 3


def test_expired_intermediate_is_reported(pki):
    old = issue(name("Old Issuing CA"), issuer=pki.root, ca=True,
                not_before=NOW - 100 * DAY, not_after=NOW - DAY)
    leaf = issue("old.example.com", issuer=old)
    bundle = plan_bundle(build_chain([leaf.cert, old.cert, pki.root.cert]), "expressway")
    assert any(f.id == "CHN-EXPIRED" for f in bundle.findings)


def test_pem_helper_concatenates(pki):
    data = pem([pki.leaf.cert, pki.root.cert])
    assert data.count(b"-----BEGIN CERTIFICATE-----") == 2
    _well_formed(data)


def test_cms_next_steps_name_the_key_file_given() -> None:
    from pki import make_pki

    from collabcert.bundle import plan_bundle
    from collabcert.chain import build_chain

    pki = make_pki("rsa")
    chain = build_chain(pki.chain)
    result = plan_bundle(chain, "cms", name="webbridge", key_file="expe.key")
    text = "\n".join(result.next_steps)
    assert "webbridge.crt" in text and "certs expe.key webbridge.crt" in text
    assert "webbridge.key" not in text
