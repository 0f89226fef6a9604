"""Issue 12, the jobs both faces call on a field engineer's pile (tests/pile.py): one password
for every locked file (item 2), outputs given distinct names by rule (item 2), import files named
after the key/CSR file and never taking another peer's file silently (item 8), one rule for
writing with errors (item 9), --exclude and the keep/drop suggestion of a trust list (item 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pile import BAD, PASSWORD, Pile, make_pile
from pki import key_pem

from collabcert.chain import fingerprint
from collabcert.errors import InputError
from collabcert.jobs.bundle import BundleOptions, bundle_job, whose_files
from collabcert.jobs.convert import ConvertOptions, convert_files
from collabcert.jobs.importing import Request, output_basename
from collabcert.jobs.reading import read_batch, summary_text
from collabcert.jobs.trustlist import resolve_excludes, trust_list_job


@pytest.fixture(scope="module")
def pile(tmp_path_factory) -> Pile:
    return make_pile(tmp_path_factory.mktemp("pile"))


def names(pile: Pile, *files: str) -> list[Path]:
    return [pile.path(f) for f in files]


# --- item 1/2: reading a batch with one password ------------------------------------------------


def test_one_password_opens_every_locked_file_and_the_bad_ones_are_listed(pile) -> None:
    batch = read_batch(names(pile, *pile.names), PASSWORD)
    assert [Path(n).name for n, _ in batch.read] == pile.readable
    assert [Path(u.name).name for u in batch.unreadable] == list(BAD)
    assert batch.locked == []
    assert batch.summary() == f"{len(pile.readable)} read, 2 unreadable"


def test_a_wrong_password_says_which_locked_files_it_did_not_open(pile) -> None:
    batch = read_batch(names(pile, "expc1.crt", "locked.key", "expc1.pfx"), b"wrong")
    assert [Path(n).name for n, _ in batch.read] == ["expc1.crt"]
    assert [Path(n).name for n in batch.locked] == ["locked.key", "expc1.pfx"]
    assert all("does not open" in u.reason for u in batch.unreadable)


def test_summary_text() -> None:
    assert summary_text(3, 0) == "3 read"
    assert summary_text(12, 2) == "12 read, 2 unreadable"


# --- item 2/3: convert names clashing outputs by rule and says what it skipped ---------------


def test_clashing_outputs_get_the_inputs_extension_and_the_reason(pile, tmp_path) -> None:
    batch = read_batch(names(pile, "expc1.crt", "expc1.pfx", "expc1.key", "empty.cer"), PASSWORD)
    problems = [(u.name, u.reason) for u in batch.unreadable]
    result = convert_files(batch.loaded, ConvertOptions("pem", out_dir=tmp_path), problems)
    assert result.blocked == ""
    assert sorted(p.path.name for p in result.planned) == [
        "expc1-key.pem", "expc1-pfx.pem", "expc1.key", "expc1.pem"]
    sentences = [r.sentence() for r in result.renamed]
    assert sentences == ["expc1.pfx -> expc1-pfx.pem (expc1.pem is taken by expc1.crt)",
                         "expc1.key -> expc1-key.pem (expc1.pem is taken by expc1.crt)"]
    assert [Path(s.source).name for s in result.skipped] == ["empty.cer"]
    assert [Path(result.source_of(p)).name for p in result.planned] == [
        "expc1.crt", "expc1.pfx", "expc1.pfx", "expc1.key"]
    assert len(result.notes) == 1 and "expc1.pfx" in result.notes[0]
    assert "unencrypted" in result.notes[0]


def test_an_output_never_takes_the_name_of_an_input(pile) -> None:
    batch = read_batch(names(pile, "expc1.pfx", "expc1.key"), PASSWORD)
    result = convert_files(batch.loaded, ConvertOptions("pem"))
    paths = {p.path.name for p in result.planned}
    assert "expc1.key" not in paths and "expc1-pfx.key" in paths
    assert "expc1.pfx -> expc1-pfx.key (expc1.key is one of the inputs)" in [
        r.sentence() for r in result.renamed]


def test_three_clashes_are_numbered(pile, tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "expc1.crt").write_bytes(pile.path("expc1.crt").read_bytes())
    batch = read_batch([pile.path("expc1.crt"), tmp_path / "a" / "expc1.crt",
                        pile.path("expc1.pfx")], PASSWORD)
    result = convert_files(batch.loaded, ConvertOptions("pem", out_dir=tmp_path))
    assert [p.path.name for p in result.planned] == [
        "expc1.pem", "expc1-crt.pem", "expc1-pfx.pem", "expc1.key"]


# --- item 8: import names after the request's file; whose file is it ------------------------


def test_import_files_are_named_after_the_key_file_not_the_shared_cn(pile, tmp_path) -> None:
    batch = read_batch(names(pile, "expc2.pem", "ca-bag.pem"))
    request = Request(key=pile.peer.key, key_file=Path("expc2.key"))
    assert output_basename(request) == "expc2"
    result = bundle_job(batch.read, BundleOptions("expressway", out_dir=tmp_path), request,
                        at=pile.at)
    assert [p.path.name for p in result.files] == ["expc2-trusted-ca.pem", "expc2-server.pem"]
    csr_only = Request(csr=pile.pki.csr, csr_file=Path("peer1.csr"))
    assert output_basename(csr_only) == "peer1"
    assert output_basename(Request(csr=pile.pki.csr)) is None  # pasted: the CN names them


def test_a_file_of_another_peer_is_said_with_whose_it_is(pile, tmp_path) -> None:
    (tmp_path / "expc2-server.pem").write_bytes(pile.pki.leaf.pem)  # peer 1's certificate
    batch = read_batch(names(pile, "expc2.pem", "ca-bag.pem"))
    result = bundle_job(batch.read, BundleOptions("expressway", out_dir=tmp_path),
                        Request(key=pile.peer.key, key_file=Path("expc2.key")), at=pile.at)
    assert len(result.replaces) == 1
    assert result.replaces[0].startswith(f"{tmp_path / 'expc2-server.pem'} holds the "
                                         "certificate of expc1.example.com (serial ")
    assert "DNS expc1.example.com, expc.example.com" in result.replaces[0]
    same = [p for p in result.files if p.path.name == "expc2-server.pem"]
    (tmp_path / "expc2-server.pem").write_bytes(same[0].data)
    assert whose_files(same) == ()  # the same content is no replacement


def test_cms_from_a_pfx_plans_the_key_0600(pile, tmp_path) -> None:
    batch = read_batch(names(pile, "expc1.pfx"), PASSWORD)
    result = bundle_job(batch.read, BundleOptions("cms", out_dir=tmp_path), at=pile.at)
    key = [p for p in result.files if p.private]
    assert [p.path.name for p in key] == ["expc1.key"]
    assert key[0].data == key_pem(pile.pki.leaf.key)
    assert "the private key expc1.key" in result.next_steps[0]


# --- item 9: one rule for writing with errors ---------------------------------------------------


def test_to_write_is_empty_while_blocked_unless_anyway(pile, tmp_path) -> None:
    batch = read_batch(names(pile, "expc1.crt", "ca-bag.pem"))
    result = bundle_job(batch.read, BundleOptions("expressway", out_dir=tmp_path,
                                                  include_root=False), at=pile.at)
    assert result.blocked and [f.id for f in result.blocking] == ["BND-ROOT-LEFT-OUT"]
    assert result.to_write() == ()
    assert result.to_write(anyway=True) == result.files and result.files
    fine = bundle_job(batch.read, BundleOptions("expressway", out_dir=tmp_path), at=pile.at)
    assert fine.blocking == () and fine.to_write() == fine.files


# --- item 11: exclude and the keep/drop suggestion ----------------------------------------------


def _trust(pile: Pile, *files: str, exclude=()):
    batch = read_batch(names(pile, *files))
    return trust_list_job(batch.read, product="expressway", out_dir=pile.folder, at=pile.at,
                          exclude=exclude)


def test_the_suggestion_keeps_the_valid_longest_and_drops_the_expired_twin_and_the_decoy(
        pile) -> None:
    result = _trust(pile, "ca-bag.pem", "decoy-root.pem", "old-issuing.pem")
    by_fp = {s.fingerprint: s for s in result.suggestions}
    keep = by_fp[fingerprint(pile.pki.root.cert)]
    assert keep.action == "keep" and "verify with its key" in keep.reason
    assert by_fp[fingerprint(pile.pki.intermediate.cert)].action == "keep"
    decoy = by_fp[fingerprint(pile.decoy.cert)]
    assert decoy.action == "drop" and "a same-name CA with another key" in decoy.reason
    old = by_fp[fingerprint(pile.expired.cert)]
    assert old.action == "drop" and old.reason.startswith("expired on ")
    assert result.exclude_arguments() == (
        f"--exclude {fingerprint(pile.expired.cert)[:8]} "
        f"--exclude {fingerprint(pile.decoy.cert)[:8]}")


def test_two_valid_twins_keep_the_one_that_lasts_longer(pile, tmp_path) -> None:
    from pki import DAY, NOW, issue

    short = issue(pile.pki.intermediate.cert.subject, issuer=pile.pki.root,
                  key=pile.pki.intermediate.key, ca=True, not_after=NOW + 30 * DAY)
    (tmp_path / "short.pem").write_bytes(short.pem)
    batch = read_batch([pile.path("ca-bag.pem"), tmp_path / "short.pem"])
    result = trust_list_job(batch.read, product="expressway", out_dir=tmp_path, at=pile.at)
    drops = [s for s in result.suggestions if s.action == "drop"]
    assert [s.fingerprint for s in drops] == [fingerprint(short.cert)]
    assert drops[0].reason.startswith("valid only until ")


def test_exclude_takes_hex_with_colons_or_a_unique_prefix(pile) -> None:
    fp = fingerprint(pile.decoy.cert)
    colons = ":".join(fp[i:i + 2] for i in range(0, 64, 2)).upper()
    for given in (fp, colons, fp[:8], colons[:11]):
        result = _trust(pile, "ca-bag.pem", "decoy-root.pem", exclude=[given])
        assert [e.fingerprint for e in result.excluded] == [fp]
        assert fp not in {e.fingerprint for e in result.trust.entries}
        assert "TRUST-DUP-CN" not in {f.id for f in result.findings}


@pytest.mark.parametrize(("given", "said"), [
    ("1234567", "at least 8 digits"),
    ("zz345678", "at least 8 digits"),
    ("00000000", "no given certificate has this fingerprint"),
])
def test_exclude_refuses_what_names_no_single_certificate(pile, given, said) -> None:
    with pytest.raises(InputError, match=said):
        _trust(pile, "ca-bag.pem", exclude=[given])


def test_an_ambiguous_prefix_is_refused(monkeypatch) -> None:
    """Two real certificates sharing 8 leading hex digits cannot be made in a test; the
    fingerprints are given instead (our own function, not cryptography)."""
    import collabcert.chain as chain

    fps = {"a": "abcdef12" + "0" * 56, "b": "abcdef12" + "1" * 56}
    monkeypatch.setattr(chain, "fingerprint", lambda cert: fps[cert])
    with pytest.raises(InputError, match="names 2 certificates; give more digits"):
        resolve_excludes(["abcdef12"], [("a", "a.pem"), ("b", "b.pem")])
    assert resolve_excludes(["abcdef120"], [("a", "a.pem"), ("b", "b.pem")]) == (fps["a"],)


def test_bundle_exclude_drops_a_certificate_from_the_chain(pile, tmp_path) -> None:
    batch = read_batch(names(pile, "expc1.crt", "ca-bag.pem", "old-issuing.pem"))
    result = bundle_job(batch.read, BundleOptions("fullchain", out_dir=tmp_path,
                                                  include_root=True), at=pile.at,
                        exclude=[fingerprint(pile.expired.cert)[:10]])
    assert not result.chain.unused
    assert [link.fingerprint for link in result.chain.links] == [
        fingerprint(pile.pki.leaf.cert), fingerprint(pile.pki.intermediate.cert),
        fingerprint(pile.pki.root.cert)]
