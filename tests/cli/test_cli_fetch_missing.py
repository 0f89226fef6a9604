"""`--fetch-missing` for bundle and inspect (issue 14 item 6): a missing issuer is downloaded
from the caIssuers URL of the certificate it signed, from an HTTP server this module starts on
127.0.0.1, and what was fetched from where is said; never without the flag."""

from __future__ import annotations

import json

import pytest
from pki import der_of, pem_of, run_cli, sha256_hex
from probe_support import http_server, make_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("fetch-cli"))


def test_bundle_fetches_the_missing_intermediate_only_with_the_flag(site, tmp_path):
    with http_server() as (base, files):
        url = f"{base}/ca/issuing.cer"
        files["/ca/issuing.cer"] = der_of(site.intermediate.cert)
        leaf = site.leaf(aia=url)
        given = site.write("leaf-and-root.pem", pem_of(leaf.cert, site.root.cert))
        without = run_cli("bundle", str(given), "--target", "fullchain", "--out",
                          str(tmp_path), "--json", text=True)
        with_flag = run_cli("bundle", str(given), "--target", "fullchain", "--out",
                            str(tmp_path), "--fetch-missing", "--json", text=True)
        (tmp_path / "t").mkdir()
        text = run_cli("bundle", str(given), "--target", "fullchain", "--out",
                       str(tmp_path / "t"), "--fetch-missing", text=True)
    assert without.returncode == 1
    assert url in without.stderr  # the missing issuer is named with where to get it
    assert with_flag.returncode == 0, with_flag.stdout + with_flag.stderr
    document = json.loads(with_flag.stdout)
    assert document["fetched"][0]["url"] == url
    assert document["fetched"][0]["fingerprints"] == [sha256_hex(site.intermediate.cert)]
    assert text.returncode == 0
    assert f"fetched 'CN=Probe Issuing CA,O=Example' from {url}" in text.stdout


def test_inspect_shows_what_was_fetched_as_one_more_input(site):
    with http_server() as (base, files):
        url = f"{base}/issuing.p7c"
        from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

        files["/issuing.p7c"] = pkcs7.serialize_certificates([site.intermediate.cert],
                                                             Encoding.DER)
        leaf = site.leaf(aia=url)
        given = site.write("leaf-only.pem", pem_of(leaf.cert))
        plain = run_cli("inspect", str(given), "--json", text=True)
        result = run_cli("inspect", str(given), "--fetch-missing", "--json", text=True)
    assert "fetched" not in json.loads(plain.stdout) or not json.loads(plain.stdout)["fetched"]
    document = json.loads(result.stdout)
    assert result.returncode == 0
    assert [f["source"] for f in document["files"]][-1] == f"fetched from {url}"
    assert document["fetched"][0]["error"] == ""


def test_a_fetch_that_fails_says_why_and_nothing_is_added(site):
    with http_server() as (base, _files):
        url = f"{base}/gone.cer"
        leaf = site.leaf(aia=url)
        given = site.write("leaf-gone.pem", pem_of(leaf.cert))
        result = run_cli("inspect", str(given), "--fetch-missing", text=True)
    assert f"could not fetch the issuer of 'CN=expe.example.com' from {url}: HTTP 404" \
        in result.stdout
