"""Key pairs over a pile (issue 12 item 6): which key belongs to which certificate and CSR, across
files and inside one .pfx, and which certificates only share a name (a decoy CA)."""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12
from pki import DAY, NOW, issue, make_pki, name

from collabcert.jobs.inspect import expiry_words, inspect_files, pair_cell, pair_notes
from collabcert.keypairs import key_id
from collabcert.load import load_bytes
from collabcert.report import ticket_summary


def test_a_key_its_csr_and_its_certificate_are_one_group_across_files_and_a_pfx() -> None:
    pki = make_pki("ec")
    pfx = pkcs12.serialize_key_and_certificates(b"leaf", pki.leaf.key, pki.leaf.cert, None,
                                                NoEncryption())
    read = [load_bytes(pki.leaf.pem + pki.root.pem, "chain.pem"),
            load_bytes(pki.leaf.key_pem, "server.key"),
            load_bytes(pfx, "legacy.pfx")]
    result = inspect_files(read, at=NOW)
    kinds = [(v.kind, v.source) for v in result.items]
    leaf, key = 0, kinds.index(("private_key", "server.key"))
    in_pfx = [n for n, (_, source) in enumerate(kinds) if source == "legacy.pfx"]
    assert result.pairing.partners(key) == tuple(sorted({leaf, *in_pfx}))
    assert pair_cell(result, key).startswith("same key #1")
    assert "Same public key as #1 (certificate expe.example.com, chain.pem)" in \
        pair_notes(result, key)[0]
    assert pair_notes(result, 1) == []  # the root holds its own key, alone
    assert key_id(result.items[key].summary.spki_sha256) == key_id(
        result.items[leaf].summary.spki_sha256)


def test_a_decoy_ca_with_the_same_name_and_another_key_is_marked() -> None:
    real = issue(name("Lab CA", "Site A"), ca=True)
    decoy = issue(name("Lab CA", "Elsewhere"), ca=True)
    twin = issue(name("Lab CA", "Site A"), ca=True, key=real.key,
                 not_before=NOW - 800 * DAY, not_after=NOW - 30 * DAY)
    read = [load_bytes(c.pem, f"{n}.pem") for n, c in (("real", real), ("decoy", decoy),
                                                         ("twin", twin))]
    result = inspect_files(read, at=NOW)
    assert result.pairing.look_alikes(0) == (1,)  # the twin has the real key: not a look-alike
    assert result.pairing.partners(0) == (2,)
    assert "SAME NAME, other key: #1" in pair_cell(result, 1)
    note = pair_notes(result, 1)[-1]
    assert note.startswith("Same name, DIFFERENT key: #1 (certificate Lab CA, real.pem)")
    assert expiry_words(result.items[2].summary, NOW) == "EXPIRED 30 days ago"
    assert expiry_words(result.items[0].summary, NOW).startswith("expires in ")
    assert expiry_words(result.items[0].summary, result.items[0].summary.not_after
                        - dt.timedelta(hours=1)) == "expires today"


def test_a_ticket_summary_never_carries_key_material() -> None:
    text = ticket_summary("Convert files", ["Convert a.pfx"],
                          ["a.key", "-----BEGIN PRIVATE KEY-----", "a.pem"], [],
                          ["Upload a.pem (seed-001 G9, G10)."])
    assert "PRIVATE KEY" not in text
    assert "  - a.key\n  - a.pem" in text
    assert "1. Upload a.pem (Cisco Expressway Certificate Creation and Use Deployment Guide)." \
        in text
