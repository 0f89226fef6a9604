"""On-box equivalents: CMS `pki csr` lines (seed-003 AT03, AT06, AT07, G7, G8, G12), the
Expressway OpenSSL config (seed-001 §3.2, AT-03) and the CUCM steps (seed-004 §1.5)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess

import pytest
from cryptography import x509

from collabcert import csr, onbox, roles


def test_seed003_at03_xmpp_exact_line():
    plan = roles.plan("cms-xmpp", {"fqdn": "xmpp.example.com", "xmpp-domain": "example.com",
                                   "o": "Example Inc."})
    assert onbox.cms_pki_csr(plan) == (
        'pki csr xmppserver CN:xmpp.example.com O:"Example Inc." subjectAltName:example.com')


def test_seed003_at06_shared_exact_line():
    plan = roles.plan("cms-shared", {"domain": "example.com", "component-fqdns": (
        "callbridge1.example.com,callbridge2.example.com,callbridge3.example.com,"
        "xmppserver.example.com,webbridge.example.com")})
    assert onbox.cms_pki_csr(plan) == (
        "pki csr one-cert CN:example.com subjectAltName:callbridge1.example.com,"
        "callbridge2.example.com,callbridge3.example.com,xmppserver.example.com,"
        "webbridge.example.com")


def test_seed003_webbridge_examples_l403_l410():
    plan = roles.plan("cms-webbridge", {"fqdn": "www.example.com", "o": "Example Inc."})
    assert onbox.cms_pki_csr(plan) == 'pki csr webbridge CN:www.example.com O:"Example Inc."'
    plan = roles.plan("cms-webbridge", {"fqdn": "www.example.com", "o": "Example Inc.",
                                        "additional-names": "guest.example.com"})
    assert onbox.cms_pki_csr(plan).endswith("subjectAltName:guest.example.com")


def test_seed003_at07_no_spaces_after_commas_and_cn_not_in_list():
    plan = roles.plan("cms-webbridge", {"fqdn": "www.example.com", "additional-names":
                                        "guest.example.com, www2.example.com, WWW.example.com"})
    line = onbox.cms_pki_csr(plan)
    assert ", " not in line
    assert line == ("pki csr webbridge CN:www.example.com "
                    "subjectAltName:guest.example.com,www2.example.com")


def test_pki_line_quotes_multi_word_values_and_keeps_order():
    plan = roles.plan("cms-callbridge", {
        "fqdn": "cb.example.com", "ou": "My Desk", "o": "My Office", "l": "Round the corner",
        "st": "California", "c": "us", "name": "cb_1", "additional-names": "192.168.1.25"})
    assert onbox.cms_pki_csr(plan) == (
        'pki csr cb_1 CN:cb.example.com OU:"My Desk" O:"My Office" L:"Round the corner" '
        "ST:California C:US subjectAltName:192.168.1.25")


def test_db_client_line():
    plan = roles.plan("cms-db-client", {"o": "Example"})
    assert onbox.cms_pki_csr(plan) == "pki csr dbcluster_client CN:postgres O:Example"


def test_cms_onbox_value():
    plan = roles.plan("cms-turn", {"fqdn": "turn.example.com"})
    box = onbox.onbox_for(plan)
    assert box.kind == "cms" and box.command == "pki csr turnserver CN:turn.example.com"
    assert box.command in box.text


def test_expressway_config_matches_the_csr_order():
    plan = roles.plan("expressway-e", {
        "fqdn": "expe.example.com", "ucm-domains": "example.com", "xmpp-domains": "example.com",
        "chat-aliases": "chatnode1.example.com,chatnode2.example.com", "c": "GB",
        "o": "Example #1 $HOME"}, key="ec:p384", digest="sha512")
    box = onbox.onbox_for(plan)
    config = box.config
    assert "[ v3_req ]" in config
    assert "extendedKeyUsage = serverAuth, clientAuth\n" in config
    san_line = ("subjectAltName = DNS:expe.example.com,DNS:collab-edge.example.com,"
                "DNS:example.com,DNS:chatnode1.example.com,DNS:chatnode2.example.com")
    assert san_line + "\n" in config
    assert onbox.openssl_san_line(plan) == san_line
    assert "default_md = sha512" in config and "req_extensions = v3_req" in config
    assert r"O = Example \#1 \$HOME" in config
    assert box.command == ("openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-384 "
                           "-keyout expressway-e.key -out expressway-e.csr -config csrreq.cnf")
    fields = dict(box.fields)
    assert fields["Unified CM registrations domains"] == "example.com"
    assert fields["Alternative name as it will appear"] == plan.san_preview
    assert fields["Public key algorithm"] == "ECDSA" and fields["Key length (bits)"] == "384"
    assert fields["Digest algorithm"] == "SHA-512"


def test_seed001_at03_cluster_line_has_every_peer_no_spaces():
    plan = roles.plan("expressway-c", {"fqdn": "peer1vcs.example.com",
                                       "cluster-fqdn": "ClusterFQDN.example.com",
                                       "additional-names": "peer2vcs.example.com"})
    line = onbox.openssl_san_line(plan)
    # seed-001 L1222 lists the peers first; the DESIGN.md contract puts the CN first, so the
    # same three names appear in CSR order.
    assert line == ("subjectAltName = DNS:ClusterFQDN.example.com,DNS:peer1vcs.example.com,"
                    "DNS:peer2vcs.example.com")
    assert re.fullmatch(r"subjectAltName = (DNS:[^, ]+,)*DNS:[^, ]+", line)
    assert dict(onbox.expressway_ui_fields(plan))["Subject alternative names"] == (
        "FQDN of Expressway cluster plus FQDN of this peer")


def test_expressway_rsa_command_and_ku():
    plan = roles.plan("expressway-c", {"fqdn": "expc.example.com"}, key="rsa:4096")
    assert "-newkey rsa:4096" in onbox.openssl_command(plan)
    assert "keyUsage = critical, digitalSignature, keyEncipherment" in onbox.openssl_config(plan)


@pytest.mark.parametrize(("answers", "distribution"), [
    ({"fqdn": "cucm-pub.example.com", "multi-server-fqdns": "cucm-sub1.example.com"},
     "Multi-server(SAN)"),
    ({"fqdn": "cucm-pub.example.com"}, "cucm-pub.example.com"),
])
def test_cucm_steps_and_distribution(answers, distribution):
    plan = roles.plan("cucm-tomcat-ecdsa", answers)
    box = onbox.onbox_for(plan)
    fields = dict(box.fields)
    assert box.kind == "cucm" and box.command == ""
    assert fields["Certificate Purpose"] == "tomcat-ECDSA"
    assert fields["Distribution"] == distribution
    assert fields["Key Type"] == "EC" and fields["Key Length"] == "256"
    assert fields["Hash Algorithm"] == "SHA256"
    assert "Cisco Unified OS Administration > Security > Certificate Management" in box.title
    assert "Generate CSR" in box.text


@pytest.mark.parametrize("role", roles.catalogue(), ids=lambda r: r.id)
def test_every_role_has_an_onbox_equivalent(role):
    answers = {"fqdn": "a.example.com", "xmpp-domain": "example.com", "domain": "example.com",
               "component-fqdns": "b.example.com"}
    answers = {k: v for k, v in answers.items() if role.field(k)}
    plan = roles.plan(role, answers)
    box = onbox.onbox_for(plan)
    assert box.text.strip() and box.kind in ("cms", "expressway", "cucm")
    assert all(step.strip() for step in plan.next_steps)
    assert "{" not in " ".join(plan.next_steps)


# --- issue 11 item 10: the OpenSSL config gives the very subject of our CSR ---------------------

_HARD_VALUES = ['Say "hi" Ltd', r"back\slash\\", "Smith, Jones + Co", "a=b", "#1 Shop",
                "$HOME 'q' `x`", "Zürich Straße ÆØÅ 東京", "  padded both  ", " lead", "trail "]


def _openssl_subject(tmp_path, plan) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    key_file = tmp_path / "k.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    config = tmp_path / "csrreq.cnf"
    config.write_text(onbox.openssl_config(plan), encoding="utf-8")
    done = subprocess.run(["openssl", "req", "-new", "-config", str(config), "-key",
                           str(key_file)], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return x509.load_pem_x509_csr(done.stdout).subject.public_bytes()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl on this machine")
@pytest.mark.parametrize("value", _HARD_VALUES)
def test_openssl_config_reproduces_our_subject_exactly(tmp_path, value):
    plan = roles.plan("expressway-c", {"fqdn": "expc.example.com", "o": value, "ou": value,
                                       "l": value, "st": value, "c": "GB"})
    # roles strip the answers; a plan made otherwise may still carry the spaces
    plan = dataclasses.replace(plan, subject=tuple(
        (k, value if k != "c" and k != "cn" else v) for k, v in plan.subject))
    ours = csr.subject_name(plan).public_bytes()
    assert _openssl_subject(tmp_path, plan) == ours
