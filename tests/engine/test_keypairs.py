"""Key pairs over a pile (issue 12 item 6): which key belongs to which certificate and CSR, across
files and inside one .pfx, and which certificates only share a name (a decoy CA)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, pkcs12
from pki import DAY, NOW, issue, make_csr, make_pki, name, run_cli

from collabcert.jobs.inspect import expiry_words, inspect_files, pair_cell, pair_notes
from collabcert.keypairs import key_id, pair_up
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


class _CountedKey(str):
    """A public-key hash that counts how often it is compared with another."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _CountedKey.compared += 1
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        _CountedKey.compared += 1
        return str.__ne__(self, other)

    __hash__ = str.__hash__


def test_pairing_a_store_of_copies_is_linear_not_pairwise() -> None:
    # A 50,000-certificate store of one CA read over and over took 636 s: every two objects of
    # one name were compared. Indexed by key and by name, the comparisons grow with the pile.
    count = 3000
    copies = [SimpleNamespace(kind="certificate", subject_cn="Bench Store CA", subject="",
                              spki_sha256=_CountedKey("ab" * 32)) for _ in range(count)]
    copies.append(SimpleNamespace(kind="certificate", subject_cn="bench store ca", subject="",
                                  spki_sha256=_CountedKey("cd" * 32)))  # a decoy: other key
    _CountedKey.compared = 0
    pairing = pair_up(copies)
    assert _CountedKey.compared <= 4 * len(copies)  # pairwise would be about 4.5 million
    assert pairing.same_key == (tuple(range(count)),)
    assert pairing.look_alikes(count) == tuple(range(count))
    assert pairing.look_alikes(0) == (count,)
    # what a table row shows: the first few and how many in all, not the whole group
    assert pairing.first_partners(5, 3) == ((0, 1, 2), count - 1)
    assert pairing.first_look_alikes(count, 2) == ((0, 1), count)
    assert pairing.first_look_alikes(7, 3) == ((count,), 1)


def test_inspect_text_pairs_a_csr_with_its_certificate_and_marks_a_same_cn_decoy(
        tmp_path: Path) -> None:
    # One pairing model for both faces: the CLI text says what the TUI's pair cells say.
    pki = make_pki("ec")
    csr = make_csr(pki.leaf.key, "expe.example.com")
    real = issue(name("Lab CA", "Site A"), ca=True)
    decoy = issue(name("Lab CA", "Elsewhere"), ca=True)  # same CN, other O and key
    (tmp_path / "leaf.pem").write_bytes(pki.leaf.pem)
    (tmp_path / "leaf.csr").write_bytes(csr.public_bytes(Encoding.PEM))
    (tmp_path / "real.pem").write_bytes(real.pem)
    (tmp_path / "decoy.pem").write_bytes(decoy.pem + decoy.pem)  # read twice: one row
    done = run_cli("inspect", "--at", "2026-01-01", "leaf.pem", "leaf.csr", "real.pem",
                   "decoy.pem", cwd=tmp_path, text=True)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert ("same public key, no key file here: leaf.pem [1] Certificate expe.example.com, "
            "leaf.csr [1] CSR expe.example.com") in out
    same = out[out.index("Same name, different key"):]
    assert "real.pem [1] key" in same and "decoy.pem [1] key" in same
    assert "decoy.pem [2]" not in same
    assert "expe.example.com" not in same  # the CSR holds the certificate's key: no look-alike
