"""The inspect job (collabcert.jobs.inspect): one result for `collabcert inspect` and the wizard."""

from __future__ import annotations

import dataclasses

import pytest
from pki import NOW, make_pki, sha256_hex

from collabcert.jobs.inspect import cert_paths, inspect_files, item_pem, related
from collabcert.load import load_bytes

AT = NOW  # the certificates are made relative to the test's clock (pki.NOW)


@pytest.fixture(scope="module")
def pki():
    return make_pki("ec")


def test_certification_path_says_how_each_link_was_verified(pki) -> None:
    # moved from tests/tui/test_tui_flows.py: the path now holds plain summaries, not pyca objects
    (path,) = cert_paths([pki.root.cert, pki.leaf.cert, pki.intermediate.cert])
    assert [c.sha256 for c in path.certificates] == [
        sha256_hex(pki.root.cert), sha256_hex(pki.intermediate.cert), sha256_hex(pki.leaf.cert)]
    assert path.top_is_root
    assert path.links_how[0].startswith("self-signed root, signature verified")
    assert path.links_how[2].startswith("signature verified (ECDSA with SHA-256)")
    (broken,) = cert_paths([pki.leaf.cert, pki.root.cert])
    assert not broken.top_is_root and "Example Issuing CA" in broken.missing_issuer


def test_the_result_is_frozen_and_holds_items_paths_findings_and_next_steps(pki) -> None:
    bundle = load_bytes(pki.leaf.pem + pki.intermediate.pem + pki.root.pem, "bundle.pem")
    key = load_bytes(pki.leaf.key_pem, "leaf.key")
    result = inspect_files([bundle, key], ["gone.pem: no such file; check the path"], at=AT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.items = ()  # type: ignore[misc]
    assert [v.kind for v in result.items] == ["certificate"] * 3 + ["private_key"]
    assert result.counts() == {"certificate": 3, "private_key": 1}
    assert result.items[0].fingerprint == sha256_hex(pki.leaf.cert)
    assert result.items[0].title.startswith("certificate (PEM): ")
    assert related(result.paths) and len(result.paths[0].certificates) == 3
    assert result.problems == ("gone.pem: no such file; check the path",)
    assert result.planned == () and result.blocked  # inspect never writes
    assert any("collabcert match" in step for step in result.next_steps)


def test_der_input_gets_the_convert_next_step_and_pem_is_clean(pki) -> None:
    result = inspect_files([load_bytes(pki.leaf.der, "leaf.cer")], at=AT)
    assert any("--to pem" in step for step in result.next_steps)
    assert result.items[0].pem() == pki.leaf.pem.decode("ascii")
    assert not related(result.paths)


def test_a_public_key_has_its_pem_too(pki) -> None:
    from cryptography.hazmat.primitives import serialization

    public = pki.leaf.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (view,) = inspect_files([load_bytes(public, "pub.pem")]).items
    assert view.kind == "public_key" and item_pem(view.item) == public.decode("ascii")
    assert view.fingerprint == view.summary.spki_sha256
