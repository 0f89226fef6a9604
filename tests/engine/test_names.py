"""Name syntax: seed-001 L425 (AT-10), G4-G6 (AT-11, AT-12), seed-003 G7/G10/G11, de-duplication."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collabcert import names


@pytest.mark.parametrize("name", ["a.example.com", "a-b.example.com", "x1.example.org",
                                  "corp.local", "DX80TLSprofile.example.com", "xn--bcher-kva.de"])
def test_at10_fqdn_accepted(name):
    assert names.fqdn_problem(name) is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("-a.example.com", "hyphen"),  # seed-001 AT-10: leading hyphen
        ("a-.example.com", "hyphen"),  # trailing hyphen
        ("a_b.example.com", "characters"),  # underscore
        ("host.example.1com", "last label"),  # last label starts with a digit
        ("a..example.com", "empty label"),
        ("example.com.", "empty label"),
        ("expc", "single label"),  # AT-11: CN as a host name
        ("192.0.2.10", "IP address"),  # AT-11: IP in a SAN
        ("2001:db8::1", "IP address"),
        ("*.example.com", "wildcard"),  # AT-12
        ("a b.example.com", "space"),
        ("bücher.de", "punycode"),
        ("a" * 64 + ".example.com", "63"),
        ("", "empty"),
    ],
)
def test_at10_at11_at12_fqdn_refused_with_reason(name, reason):
    problem = names.fqdn_problem(name)
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize("text", ["192.0.2.1", "10.0.0.1", "::1", "2001:db8::5", " 192.0.2.1 "])
def test_is_ip(text):
    assert names.is_ip(text)


@pytest.mark.parametrize("text", ["example.com", "192.0.2", "300.1.1.1", "", "1.2.3.4.5"])
def test_is_not_ip(text):
    assert not names.is_ip(text)


def test_wildcard_detection_and_cms_form():
    assert names.is_wildcard("*.example.com")
    assert not names.is_wildcard("example.com")
    # seed-003 G11: CMS accepts a whole leftmost `*` label, nothing else
    assert names.dns_name_problem("*.example.com", allow_wildcard=True) is None
    assert "leftmost" in names.dns_name_problem("a*.example.com", allow_wildcard=True)
    assert "wildcard" in names.dns_name_problem("*.example.com", allow_wildcard=False)
    assert "IP" in names.dns_name_problem("192.0.2.1", allow_wildcard=True)


def test_split_list_drops_spaces_around_commas():
    # seed-001 AT-04 input uses ", "; seed-003 G7 wants no spaces
    assert names.split_list("chatnode1.example.com, chatnode2.example.com") == [
        "chatnode1.example.com", "chatnode2.example.com"]
    assert names.split_list(" a.example.com ,, b.example.com , ") == ["a.example.com",
                                                                       "b.example.com"]
    assert names.split_list(["a.example.com,b.example.com", "c.example.com"]) == [
        "a.example.com", "b.example.com", "c.example.com"]
    assert names.split_list("") == []


def test_dedupe_case_insensitive_keeps_first():
    assert names.dedupe(["A.example.com", "b.example.com", "a.EXAMPLE.com", "B.example.com"]) == [
        "A.example.com", "b.example.com"]
    # seed-001 Figure 2 keeps collab-edge.example.com and example.com: different strings
    assert names.dedupe(["collab-edge.example.com", "example.com"]) == [
        "collab-edge.example.com", "example.com"]


def test_preview_reads_like_the_expressway_ui():
    assert names.san_preview(["a.example.com", "192.0.2.1"]) == "DNS:a.example.com IP:192.0.2.1"
    assert names.san_preview([]) == ""


@pytest.mark.parametrize(("domain", "private"), [("corp.local", True), ("example.com", False),
                                                ("x.INTERNAL", True), ("local.example.com",
                                                                       False)])
def test_looks_private(domain, private):
    assert names.looks_private(domain) is private


@given(st.lists(st.sampled_from(["a.example.com", "A.example.com", "b.example.com",
                                 "B.EXAMPLE.COM", "c.example.com"])))
def test_dedupe_properties(items):
    kept = names.dedupe(items)
    assert len({k.lower() for k in kept}) == len(kept)
    assert {k.lower() for k in kept} == {i.lower() for i in items}
    firsts = []
    for i in items:
        if i.lower() not in {f.lower() for f in firsts}:
            firsts.append(i)
    assert kept == firsts


@given(st.text(max_size=80))
def test_fqdn_problem_never_raises(text):
    result = names.fqdn_problem(text)
    assert result is None or isinstance(result, str)
