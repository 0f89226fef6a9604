"""Chain building, in the style of Go's verify_test.go: inputs, then the chain as CN substrings.

One module-level PKI (EC keys, fast): Root -> Policy CA -> Issuing CA -> leaf, plus look-alikes:
a decoy with the Issuing CA's name and another key, a cross-signed copy of the Issuing CA under a
second root, an expired and a renewed copy of the root with the same key, and a pair of CAs that
only sign each other.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import AuthorityInformationAccessOID
from pki import DAY, NOW, Issued, issue, make_csr, name, new_key
from test_sigverify import resign

from collabcert import chain as chain_module
from collabcert.chain import LeafNotFound, build_chain, name_key
from collabcert.findings import Severity


def _cross(subject_of: Issued, issuer: Issued, **kwargs) -> Issued:
    """The same CA (subject and key) certified by another issuer."""
    return issue(subject_of.cert.subject, issuer=issuer, key=subject_of.key, ca=True, **kwargs)


@pytest.fixture(scope="module")
def pki() -> dict[str, Issued]:
    root = issue(name("Corp Root CA", "Corp"), ca=True, not_after=NOW + 3650 * DAY)
    policy = issue(name("Corp Policy CA", "Corp"), issuer=root, ca=True)
    issuing = issue(name("Corp Issuing CA", "Corp"), issuer=policy, ca=True, path_length=0)
    leaf_key = new_key()
    leaf = issue("expe.example.com", issuer=issuing, key=leaf_key, sans=["expe.example.com"])
    other_root = issue(name("Other Root CA", "Other"), ca=True)
    decoy = issue(name("Corp Issuing CA", "Corp"), issuer=other_root, ca=True)
    cross_root = issue(name("Cross Root CA", "Cross"), ca=True)
    cross_issuing = _cross(issuing, cross_root)
    old_root = issue(root.cert.subject, key=root.key, ca=True,
                     not_before=NOW - 900 * DAY, not_after=NOW - 10 * DAY)
    newer_root = issue(root.cert.subject, key=root.key, ca=True, not_before=NOW - DAY / 2,
                       not_after=NOW + 3000 * DAY)
    return {
        "root": root, "policy": policy, "issuing": issuing, "leaf": leaf,
        "other_root": other_root, "decoy": decoy, "cross_root": cross_root,
        "cross_issuing": cross_issuing, "old_root": old_root, "newer_root": newer_root,
    }


def cns(chain) -> list[str]:
    return [link.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
            for link in chain.links]


def _match(chain, expected: list[str]) -> bool:
    got = cns(chain)
    return len(got) == len(expected) and all(e in g for e, g in zip(expected, got, strict=True))


# (name, input certificates, expected chain as CN substrings leaf first, expected missing issuer)
TABLE = [
    ("4 levels", ["leaf", "issuing", "policy", "root"],
     ["expe", "Issuing", "Policy", "Root"], None),
    ("decoy with the same name changes nothing", ["decoy", "leaf", "issuing", "policy", "root"],
     ["expe", "Issuing", "Policy", "Root"], None),
    ("missing intermediate names it", ["leaf", "issuing", "root"],
     ["expe", "Issuing"], "CN=Corp Policy CA,O=Corp"),
    ("leaf alone", ["leaf"], ["expe"], "CN=Corp Issuing CA,O=Corp"),
    ("decoy alone does not stand in", ["leaf", "decoy", "other_root"],
     ["expe"], "CN=Corp Issuing CA,O=Corp"),
    ("cross-signed: the shorter path to a given root", ["leaf", "issuing", "policy", "root",
     "cross_issuing", "cross_root"], ["expe", "Issuing", "Cross Root"], None),
    ("cross-signed: a root that is present beats one that is not", ["leaf", "issuing", "policy",
     "root", "cross_issuing"], ["expe", "Issuing", "Policy", "Root"], None),
    ("expired root copy loses to the valid one", ["leaf", "issuing", "policy", "old_root",
     "root"], ["expe", "Issuing", "Policy", "Root"], None),
    ("only an expired root: still used, and reported", ["leaf", "issuing", "policy", "old_root"],
     ["expe", "Issuing", "Policy", "Root"], None),
]


@pytest.mark.parametrize(
    ("case", "inputs", "expected", "missing"), TABLE, ids=[t[0] for t in TABLE]
)
def test_table(pki, case, inputs, expected, missing):
    chain = build_chain([pki[i].cert for i in inputs])
    assert _match(chain, expected), cns(chain)
    if missing is None:
        assert chain.missing_issuer is None and chain.complete
    else:
        assert chain.missing_issuer is not None and chain.missing_issuer.subject == missing
        assert not chain.complete
    assert len(set(chain.fingerprints)) == len(chain.fingerprints)
    used = set(chain.fingerprints)
    assert {u.fingerprint for u in chain.unused} == {
        chain_module.fingerprint(pki[i].cert) for i in inputs
    } - used


def test_every_permutation_gives_the_same_chain(pki):
    certs = [pki[i].cert for i in ("leaf", "issuing", "policy", "root", "decoy")]
    first = build_chain(certs)
    assert _match(first, ["expe", "Issuing", "Policy", "Root"])
    for perm in itertools.permutations(certs):
        chain = build_chain(perm, at=first.at)
        assert chain.fingerprints == first.fingerprints
        assert chain.unused == first.unused
        assert chain.findings == first.findings


def test_which_expired_root_copy_newest_valid(pki):
    chain = build_chain([pki[i].cert for i in ("leaf", "issuing", "policy", "root", "newer_root",
                                               "old_root")])
    assert chain.root.certificate == pki["newer_root"].cert  # both valid: the newest
    reasons = {u.fingerprint: u.reason for u in chain.unused}
    assert "cross-signed or older" in reasons[chain_module.fingerprint(pki["root"].cert)]


def test_expired_root_is_a_finding(pki):
    chain = build_chain([pki[i].cert for i in ("leaf", "issuing", "policy", "old_root")])
    assert chain.root.validity == "expired"
    ids = {(f.id, f.severity) for f in chain.findings}
    assert ("CHN-EXPIRED", Severity.ERROR) in ids


def test_decoy_is_reported_as_a_look_alike(pki):
    chain = build_chain([pki[i].cert for i in ("decoy", "leaf", "issuing", "policy", "root")])
    (unused,) = chain.unused
    assert unused.certificate == pki["decoy"].cert
    assert "same-name CA with another key" in unused.reason
    assert any(f.id == "CHN-UNUSED" and f.severity is Severity.INFO for f in chain.findings)


def test_missing_issuer_has_key_id_and_aia_url(pki):
    url = "http://pki.example.com/policy.crt"
    aia = x509.AuthorityInformationAccess([x509.AccessDescription(
        AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(url))])
    issuing = issue(name("AIA Issuing CA"), issuer=pki["policy"], ca=True, extra=[aia])
    leaf = issue("jabber.example.com", issuer=issuing)
    chain = build_chain([leaf.cert, issuing.cert])
    missing = chain.missing_issuer
    assert missing.subject == "CN=Corp Policy CA,O=Corp"
    assert missing.reason == "absent"
    aki = issuing.cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert missing.key_id == aki.key_identifier.hex()
    assert missing.ca_issuers == (url,)
    assert url in missing.sentence
    (finding,) = [f for f in chain.findings if f.id == "CHN-INCOMPLETE"]
    assert finding.severity is Severity.ERROR and "Corp Policy CA" in finding.message
    assert chain.links[-1].how.startswith("issuer missing")


def test_pkcs7_root_first_comes_out_leaf_first(pki):
    der = pkcs7.serialize_certificates(
        [pki["root"].cert, pki["policy"].cert, pki["issuing"].cert, pki["leaf"].cert],
        serialization.Encoding.DER,
    )
    certs = pkcs7.load_der_pkcs7_certificates(der)
    chain = build_chain(certs)
    assert _match(chain, ["expe", "Issuing", "Policy", "Root"])


def test_cycle_without_root_ends(pki):
    a = issue(name("Bridge A"), ca=True)
    b = issue(name("Bridge B"), issuer=a, ca=True)
    a_by_b = _cross(a, b)
    leaf = issue("cycle.example.com", issuer=b)
    chain = build_chain([leaf.cert, b.cert, a_by_b.cert])
    assert _match(chain, ["cycle", "Bridge B", "Bridge A"])
    assert chain.missing_issuer.reason == "cycle"
    assert chain.missing_issuer.subject == "CN=Bridge B"


def test_cross_sign_cycle_stops_at_the_first_root(pki):
    a = issue(name("Loop Root A"), ca=True)
    b = issue(name("Loop Root B"), ca=True)
    a_by_b, b_by_a = _cross(a, b), _cross(b, a)
    leaf = issue("loop.example.com", issuer=a)
    chain = build_chain([leaf.cert, a_by_b.cert, b_by_a.cert, b.cert, a.cert])
    assert _match(chain, ["loop", "Loop Root A"]) and chain.complete


def test_names_compare_the_rfc5280_way(pki):
    issuing = pki["issuing"]
    folded = {"Corp Issuing CA": "  corp   ISSUING ca ", "Corp": "CORP"}
    odd = x509.Name([x509.NameAttribute(a.oid, folded[a.value]) for a in issuing.cert.subject])
    assert name_key(odd) == name_key(issuing.cert.subject)
    leaf = (
        x509.CertificateBuilder().subject_name(name("folded.example.com")).issuer_name(odd)
        .public_key(new_key().public_key()).serial_number(11)
        .not_valid_before(NOW - DAY).not_valid_after(NOW + DAY)
        .sign(issuing.key, hashes.SHA256())
    )
    chain = build_chain([leaf, pki["issuing"].cert, pki["policy"].cert, pki["root"].cert])
    assert _match(chain, ["folded", "Issuing", "Policy", "Root"])
    assert chain.links[0].matched_by == "name"


def test_link_by_key_id_only_is_an_error(pki):
    issuing = pki["issuing"]
    leaf = (
        x509.CertificateBuilder().subject_name(name("renamed.example.com"))
        .issuer_name(name("Old Name Of The CA")).public_key(new_key().public_key())
        .serial_number(12).not_valid_before(NOW - DAY).not_valid_after(NOW + DAY)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuing.key.public_key()), critical=False)
        .sign(issuing.key, hashes.SHA256())
    )
    chain = build_chain([leaf, issuing.cert, pki["policy"].cert, pki["root"].cert])
    assert chain.links[0].matched_by == "key id only"
    assert any(f.id == "CHN-NAME-MISMATCH" and f.severity is Severity.ERROR
               for f in chain.findings)


def test_sha1_link_verified_with_a_warning():
    root = issue(name("Old Root", "Lab"), key_kind="rsa", ca=True)
    leaf = resign(issue("sha1.example.com", issuer=root).cert, root.key)
    chain = build_chain([leaf, root.cert])
    assert chain.complete and chain.links[0].signature.sha1
    (warning,) = [f for f in chain.findings if f.id == "CRT-SHA1"]
    assert warning.severity is Severity.WARNING and "sha1.example.com" in warning.message


def test_rsa_pss_links():
    root = issue(name("PSS Root"), key_kind="rsa", ca=True)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    leaf = (
        x509.CertificateBuilder().subject_name(name("pss.example.com"))
        .issuer_name(root.cert.subject).public_key(new_key().public_key()).serial_number(13)
        .not_valid_before(NOW - DAY).not_valid_after(NOW + DAY)
        .sign(root.key, hashes.SHA256(), rsa_padding=pss)
    )
    chain = build_chain([root.cert, leaf])
    assert _match(chain, ["pss", "PSS Root"])
    assert chain.links[0].signature.algorithm == "RSA-PSS with SHA-256"


def test_ed25519_links():
    root = issue(name("Ed Root"), key_kind="ed25519", ca=True)
    inter = issue(name("Ed Issuing"), key_kind="ed25519", issuer=root, ca=True)
    leaf = issue("ed.example.com", issuer=inter)
    chain = build_chain([inter.cert, root.cert, leaf.cert])
    assert _match(chain, ["ed.example", "Ed Issuing", "Ed Root"])
    assert chain.links[0].signature.algorithm == "Ed25519"
    assert "signature verified (Ed25519)" in chain.links[0].how


def test_leaf_by_key_and_by_csr(pki):
    certs = [pki[i].cert for i in ("root", "policy", "issuing", "leaf")]
    leaf = pki["leaf"]
    assert build_chain(certs, key=leaf.key).leaf.certificate == leaf.cert
    csr = make_csr(leaf.key, "expe.example.com")
    assert build_chain(certs, key=csr).leaf.certificate == leaf.cert
    # an intermediate's key picks that intermediate as the start of the chain
    assert build_chain(certs, key=pki["issuing"].key).leaf.certificate == pki["issuing"].cert


def test_key_of_another_server_is_key_match_error(pki):
    certs = [pki[i].cert for i in ("root", "policy", "issuing", "leaf")]
    with pytest.raises(LeafNotFound, match="cluster peer"):
        build_chain(certs, key=new_key())


def test_two_leaves_warn_and_pick_deterministically(pki):
    other = issue("expc.example.com", issuer=pki["issuing"])
    certs = [pki[i].cert for i in ("root", "policy", "issuing", "leaf")] + [other.cert]
    first = build_chain(certs)
    assert build_chain(list(reversed(certs))).fingerprints == first.fingerprints
    assert any(f.id == "CHN-LEAF-GUESS" for f in first.findings)


def test_validity_judged_at_the_chosen_time(pki):
    certs = [pki[i].cert for i in ("root", "policy", "issuing", "leaf")]
    assert not [f for f in build_chain(certs).findings if f.severity is Severity.ERROR]
    later = build_chain(certs, at=NOW + 400 * DAY)
    assert later.leaf.validity == "expired"
    assert any(f.id == "CRT-EXPIRED" for f in later.findings)
    earlier = build_chain(certs, at=(NOW - 30 * DAY).replace(tzinfo=None))  # naive = UTC
    assert earlier.leaf.validity == "not yet valid"
    assert any(f.id == "CRT-NOTYET" for f in earlier.findings)


def test_ca_without_basic_constraints_is_flagged():
    root = issue(name("Lax Root"), ca=True)
    inter = issue(name("Lax Issuing"), issuer=root, ca=True, basic_constraints=False)
    leaf = issue("lax.example.com", issuer=inter)
    chain = build_chain([leaf.cert, inter.cert, root.cert])
    assert chain.complete
    assert [f.where for f in chain.findings if f.id == "CHN-NOTCA"] == ["CN=Lax Issuing"]


def test_self_signed_leaf_is_its_own_chain():
    cert = issue("selfsigned.example.com").cert
    chain = build_chain([cert])
    assert chain.complete and len(chain.links) == 1 and chain.cas == ()


def test_duplicates_are_dropped(pki):
    certs = [pki[i].cert for i in ("root", "policy", "issuing", "leaf", "leaf", "root")]
    chain = build_chain(certs)
    assert chain.duplicates == 2 and len(chain.links) == 4 and not chain.unused


def test_cost_follows_the_chain_not_the_pool(pki, monkeypatch):
    """An index, not every pair: 300 unrelated CAs add no signature checks."""
    unrelated = [issue(name(f"Unrelated CA {i}"), ca=True, key=pki["other_root"].key).cert
                 for i in range(300)]
    calls = []
    real = chain_module.verify_signature

    def counting(cert, issuer):
        calls.append(1)
        return real(cert, issuer)

    monkeypatch.setattr(chain_module, "verify_signature", counting)
    certs = [pki[i].cert for i in ("root", "policy", "issuing", "leaf", "decoy")] + unrelated
    chain = build_chain(certs)
    assert _match(chain, ["expe", "Issuing", "Policy", "Root"])
    assert len(calls) < 20, len(calls)


def test_json_shape(pki):
    chain = build_chain([pki[i].cert for i in ("leaf", "issuing", "root")], at=NOW)
    data = chain.to_json()
    assert data["complete"] is False
    assert [c["position"] for c in data["chain"]] == ["leaf", "intermediate"]
    assert data["missing_issuer"]["subject"] == "CN=Corp Policy CA,O=Corp"
    assert isinstance(chain.at, dt.datetime)


def test_certification_paths_one_per_end_certificate_and_none_for_a_root_store() -> None:
    from pki import issue, make_pki
    from pki import name as pki_name

    from collabcert.chain import certification_paths

    pki = make_pki("ec")
    other = issue("other.example.com", issuer=pki.intermediate)
    paths = certification_paths([pki.root.cert, other.cert, pki.leaf.cert, pki.intermediate.cert])
    assert sorted(p.leaf.certificate.subject.rfc4514_string() for p in paths) == [
        "CN=expe.example.com", "CN=other.example.com"]
    assert all(p.complete and len(p.links) == 3 for p in paths)
    roots = [issue(pki_name(f"Root {n}"), ca=True).cert for n in range(30)]
    assert certification_paths(roots) == []


def _chain_facts(chain) -> tuple:
    """What a chain says, as plain values (links, missing issuer, unused, findings, counts)."""
    return (tuple(link.fingerprint for link in chain.links), chain.complete,
            chain.missing_issuer.sentence if chain.missing_issuer else "",
            tuple((u.fingerprint, u.reason) for u in chain.unused),
            tuple((f.id, f.message, f.where) for f in chain.findings), chain.duplicates)


def _pile(leaves: int) -> list[x509.Certificate]:
    """A root, a same-name decoy root, two issuing CAs (one with an expired twin), leaves."""
    root = issue(name("Pile Root CA", "Pile"), ca=True, not_after=NOW + 3650 * DAY)
    decoy = issue(root.cert.subject, ca=True)
    issuing = [issue(name(f"Pile Issuing CA {n}", "Pile"), issuer=root, ca=True) for n in (1, 2)]
    twin = issue(issuing[0].cert.subject, issuer=root, key=issuing[0].key, ca=True,
                 not_before=NOW - 900 * DAY, not_after=NOW - 30 * DAY)
    ends = [issue(f"host{n}.pile.example.com", issuer=issuing[n % 2]).cert
            for n in range(leaves)]
    return [root.cert, decoy.cert, *(c.cert for c in issuing), twin.cert, *ends]


def test_certification_paths_are_what_build_chain_gives_for_each_end_certificate() -> None:
    # Inspect builds every path over one shared pool (issue 12 item 18); each chain must stay
    # exactly the chain build_chain gives for that end certificate alone.
    from collabcert.chain import certification_paths, fingerprint

    certs = _pile(6)
    at = NOW + DAY
    pool = list({fingerprint(c): c for c in certs}.values())
    paths = certification_paths(certs, at=at)
    alone = [build_chain(pool, leaf=path.leaf.certificate, at=at) for path in paths]
    assert len(paths) == 6
    assert [_chain_facts(p) for p in paths] == [_chain_facts(c) for c in alone]


def test_certification_paths_of_a_pile_read_each_certificate_once_not_once_a_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 20 paths over a 1000-certificate pile built 20 pools: 20,000 nodes and every signature
    # check again per path. One pool: a node per certificate, a check per link tried.
    made = []

    class CountedNode(chain_module._Node):
        def __init__(self, cert: x509.Certificate) -> None:
            made.append(cert)
            super().__init__(cert)

    checks = []
    verify = chain_module.verify_signature
    monkeypatch.setattr(chain_module, "_Node", CountedNode)
    monkeypatch.setattr(chain_module, "verify_signature",
                        lambda child, issuer: checks.append(1) or verify(child, issuer))
    certs = _pile(40)
    paths = chain_module.certification_paths(certs)
    assert len(paths) == 20  # the limit: the first 20 end certificates
    assert len(made) == len(certs)
    assert len(checks) <= 3 * len(certs)  # per path it was a dozen each, all again
