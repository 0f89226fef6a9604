"""collabcert.aia: caIssuers downloads, HTTP only, size- and time-bounded, DER, PEM or PKCS#7,
from an HTTP server this module starts on 127.0.0.1 (issue 14 item 6)."""

from __future__ import annotations

from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from pki import der_of, pem_of
from probe_support import http_server, make_site, silent_server

from collabcert import aia


def test_der_pem_and_pkcs7_answers_are_read(tmp_path):
    site = make_site(tmp_path)
    cert = site.intermediate.cert
    with http_server() as (base, files):
        files["/a.cer"] = der_of(cert)
        files["/b.pem"] = pem_of(cert)
        files["/c.p7c"] = pkcs7.serialize_certificates([cert], Encoding.DER)
        got = [aia.fetch(f"{base}{p}", "leaf", timeout=5) for p in ("/a.cer", "/b.pem", "/c.p7c")]
    assert [g.certificates for g in got] == [(cert,)] * 3
    assert all(g.error == "" for g in got)


def test_only_http_is_followed():
    got = aia.fetch("https://127.0.0.1:1/ca.cer", "leaf", timeout=1)
    assert got.error == "only http:// caIssuers URLs are followed"
    assert aia.fetch("ldap://127.0.0.1/cn=ca", "leaf", timeout=1).certificates == ()


def test_an_answer_larger_than_the_bound_is_refused(tmp_path):
    with http_server() as (base, files):
        files["/big.cer"] = b"0" * (aia.MAX_BYTES + 10)
        got = aia.fetch(f"{base}/big.cer", "leaf", timeout=5)
    assert "larger than" in got.error and got.certificates == ()


def test_an_answer_that_is_no_certificate_says_so(tmp_path):
    with http_server() as (base, files):
        files["/page.html"] = b"<html>not here</html>"
        got = aia.fetch(f"{base}/page.html", "leaf", timeout=5)
    assert "holds no certificate" in got.error


def test_a_server_that_never_answers_times_out_within_the_bound():
    with silent_server() as server:
        got = aia.fetch(f"http://{server.target}/ca.cer", "leaf", timeout=0.5)
    assert got.error.startswith("timed out")


def test_fetch_missing_walks_up_until_the_chain_is_complete(tmp_path):
    site = make_site(tmp_path)
    with http_server() as (base, files):
        files["/int.cer"] = der_of(site.intermediate.cert)
        leaf = site.leaf(aia=f"{base}/int.cer")
        done = aia.fetch_missing([leaf.cert, site.root.cert], leaf.cert, timeout=5)
    assert [d.url for d in done] == [f"{base}/int.cer"]
    assert "fetched 'CN=Probe Issuing CA,O=Example'" in done[0].sentence()
