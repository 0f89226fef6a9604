"""The trust list job (collabcert.jobs.trustlist), used by `collabcert bundle --trust-list` and
the wizard's trust kinds (tests/cli/test_cli_bundle.py, tests/tui/test_tui_bundle.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pki import NOW, issue, make_pki, pem_of

from collabcert.errors import InputError
from collabcert.jobs.trustlist import trust_list_job
from collabcert.load import load_bytes

PEM = serialization.Encoding.PEM


@pytest.fixture(scope="module")
def pki():
    return make_pki(sans=["expe.example.com", "collab-edge.example.com"])


def source(name: str, data: bytes):
    return (name, load_bytes(data, name))


def sent(pki):
    return [source("chain.pem", pem_of(pki.root.cert, pki.leaf.cert, pki.intermediate.cert))]


def test_trust_list_job_blocks_on_same_cn_pairs(tmp_path):
    from pki import name

    # two servers' own self-signed certificates with one CN (002 L145); two CA certificates
    # sharing a CN are only a warning since issue 13 item 5 (tests/engine/test_lint_issue13.py)
    a = issue(name("Lab CA", "Site A"))
    b = issue(name("Lab CA", "Site B"))
    result = trust_list_job([source("a.pem", a.pem), source("b.pem", b.pem),
                             source("a-again.pem", a.pem)], product="expressway",
                            out_dir=tmp_path, at=NOW)
    assert result.trust.duplicates == 1
    assert result.blocked == "the checks found 1 error: TRUST-DUP-CN"
    assert [f.path.name for f in result.files] == ["trusted-ca-list.pem"]
    assert result.trust.entries[0].sources == ("a.pem", "a-again.pem")
    with pytest.raises(InputError, match="trust list is for expressway or cucm"):
        trust_list_job([source("a.pem", a.pem)], product="cms", out_dir=tmp_path)


def test_trust_list_job_cucm_is_one_file_per_certificate_roots_first(pki, tmp_path):
    result = trust_list_job([source("cas.pem", pem_of(pki.intermediate.cert, pki.root.cert))],
                            product="cucm", out_dir=tmp_path, cucm_type="CallManager", at=NOW)
    assert result.blocked == ""
    assert [f.path.name for f in result.files] == ["1-CallManager-trust-Example_Root_CA.pem",
                                                   "2-CallManager-trust-Example_Issuing_CA.pem"]
    assert Path(result.to_json()["files"][0]).name.startswith("1-")
