"""The import check job (collabcert.jobs.importing): a key or CSR that fits no certificate,
the request read from the files chosen. The CLI and wizard sides: tests/cli/test_cli_bundle.py,
tests/tui/test_tui_import.py."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from pki import NOW, make_csr, make_pki, new_key, pem_of

from collabcert.chain import fingerprint
from collabcert.errors import InputError
from collabcert.jobs.importing import Request, check_import_job, request_from
from collabcert.load import load_bytes

PEM = serialization.Encoding.PEM


@pytest.fixture(scope="module")
def pki():
    return make_pki(sans=["expe.example.com", "collab-edge.example.com"])


def source(name: str, data: bytes):
    return (name, load_bytes(data, name))


def sent(pki):
    return [source("chain.pem", pem_of(pki.root.cert, pki.leaf.cert, pki.intermediate.cert))]


def test_a_key_that_fits_no_certificate_still_shows_the_chain_and_names_the_mixup(pki):
    peer = Request(key=new_key("ec"))
    checked = check_import_job(sent(pki), peer, at=NOW)
    assert checked.mismatch is True and checked.key_matches is False
    assert checked.chain.fingerprints == [fingerprint(c) for c in pki.chain]  # guessed leaf
    assert "KEY-MATCH" in [f.id for f in checked.findings]


def test_request_from_needs_a_csr_or_key(pki):
    with pytest.raises(InputError, match="no CSR or private key"):
        request_from(sent(pki))
    both = request_from([source("expe.csr", pki.csr.public_bytes(PEM)),
                         source("expe.key", pki.leaf.key_pem)])
    assert both.what == "CSR and private key" and both.names == ("expe.csr", "expe.key")


def test_a_csr_of_another_key_is_a_mismatch_too(pki):
    csr = make_csr(new_key("ec"), "expe.example.com", ["expe.example.com"])
    checked = check_import_job(sent(pki), Request(csr=csr), at=NOW)
    assert checked.mismatch and checked.check is not None and checked.check.csr_matches is False
