"""Every verb over the strange certificates, as a person runs it (issue 11 items 12 and 13):
`python -m collabcert` in a fresh process on files written from tests/strange_certs.py. No
traceback, exit codes of the contract, and each defect named in what is printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pki import run_cli
from strange_certs import STRANGE, strange

from collabcert.roles import ROLES

# what a person must read about each defect (the parts pyca refuses, then the non-strict DER)
NAMED = {
    "empty-rdn-subject": "subject unreadable",
    "empty-rdn-issuer": "issuer unreadable",
    "duplicate-extension": "basicConstraints unreadable: it appears twice",
    "unknown-key-type": "public key unreadable",
    "invalid-rsa-numbers": "public key unreadable",
    "san-x400address": "subjectAltName unreadable",
    "san-edipartyname": "subjectAltName unreadable",
    "year-zero-not-before": "validity (notBefore) unreadable",
    "name-constraints-x400": "nameConstraints unreadable",
    "name-constraints-edipartyname": "nameConstraints unreadable",
    "name-constraints-bad-ip": "nameConstraints unreadable",
    "bad-key-usage-others-kept": "keyUsage unreadable",
}
REFUSED = {
    "ecdsa-null-params": "carries parameters (NULL)",
    "utctime-no-seconds": "has no seconds",
    "explicit-v1": "version v1",
    "ber-boolean": "not a DER BOOLEAN",
}
LOADABLE = [d for d in STRANGE if d not in REFUSED]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("strange")
    for defect in (*STRANGE, "ca"):
        (folder / f"{defect}.pem").write_bytes(strange(defect).pem)
        (folder / f"{defect}.der").write_bytes(strange(defect).der)
    (folder / "out").mkdir()
    return folder


def no_traceback(done) -> str:
    err = done.stderr.decode()
    assert "Traceback" not in err and "Error:" not in err.replace("collabcert: error:", ""), err
    for line in err.splitlines():
        assert line.startswith(("collabcert: error:", "  ", "warning", "note")) or not line, line
    return done.stdout.decode() + err


def test_inspect_every_strange_file_names_each_defect(files: Path) -> None:
    paths = [str(files / f"{d}.{ext}") for d in STRANGE for ext in ("pem", "der")]
    done = run_cli("inspect", *paths)
    text = no_traceback(done)
    assert done.returncode == 2  # the four non-strict ones cannot be read; the rest are shown
    for defect, words in {**NAMED, **REFUSED}.items():
        assert words in text, defect
    assert "ParseError" not in text and "emailAddress=pki@example.com" in text
    assert "unreadable IP (8 bytes" in text


def test_inspect_json_of_every_strange_file_is_one_document(files: Path) -> None:
    paths = [str(files / f"{d}.pem") for d in STRANGE]
    done = run_cli("inspect", "--json", *paths)
    no_traceback(done)
    document = json.loads(done.stdout)
    status = {Path(f["source"]).stem: f["status"] for f in document["files"]}
    assert {d for d, s in status.items() if s == "unreadable"} == set(REFUSED)
    pss = next(f for f in document["files"] if f["source"].endswith("rsa-pss.pem"))
    assert pss["items"][0]["signature_algorithm"] == "rsassaPss"
    for entry in document["files"]:
        defect = Path(entry["source"]).stem
        if defect in NAMED:
            messages = " ".join(f["message"] for f in entry["findings"])
            assert NAMED[defect] in messages, defect


def test_convert_every_strange_file(files: Path) -> None:
    paths = [str(files / f"{d}.der") for d in STRANGE]
    for to in ("pem", "p7b"):
        done = run_cli("convert", *paths, "--to", to, "--out", str(files / "out"), "--force")
        text = no_traceback(done)
        assert done.returncode == 2
        for words in REFUSED.values():
            assert words in text


@pytest.mark.parametrize("role", [None, *(r.id for r in ROLES)])
def test_lint_with_every_role_over_every_strange_file(files: Path, role: str | None) -> None:
    paths = [str(files / f"{d}.pem") for d in LOADABLE] + [str(files / "ca.pem")]
    done = run_cli("lint", *paths, *(["--role", role] if role else []), "--json")
    no_traceback(done)
    assert done.returncode in (0, 1)
    messages = " ".join(f["message"] for f in json.loads(done.stdout)["findings"])
    for defect, words in NAMED.items():
        assert f"{defect}.pem, certificate" in messages and words in messages, defect


def test_lint_of_strange_trust_lists(files: Path) -> None:
    trust = [f"{files / d}.pem@trust" for d in LOADABLE]
    done = run_cli("lint", str(files / "ca.pem"), *trust, "--role", "expressway-e")
    text = no_traceback(done)
    for words in NAMED.values():
        assert words in text


@pytest.mark.parametrize("target", ["fullchain", "expressway", "cms", "cucm"])
def test_bundle_every_target_over_each_strange_leaf(files: Path, target: str) -> None:
    for defect in LOADABLE:
        done = run_cli("bundle", str(files / f"{defect}.pem"), str(files / "ca.pem"),
                       "--target", target, "--out", str(files / "out"), "--force")
        text = no_traceback(done)
        assert done.returncode in (0, 1, 2), defect
        if defect in NAMED and done.returncode != 2:
            assert NAMED[defect] in text, (defect, target)


def test_match_over_each_strange_certificate(files: Path) -> None:
    for defect in LOADABLE:
        done = run_cli("match", str(files / f"{defect}.pem"), str(files / f"{defect}.der"))
        text = no_traceback(done)
        if defect in ("unknown-key-type", "invalid-rsa-numbers"):
            assert done.returncode == 2 and "public key cannot be read" in text
        else:
            assert done.returncode == 0, (defect, text)


def test_a_bad_version_crl_through_lint_and_inspect(files: Path) -> None:
    from strange_certs import bad_version_crl

    crl = files / "bad.crl"
    crl.write_bytes(bad_version_crl())
    done = run_cli("lint", f"{crl}@trust", str(files / "ca.pem"), "--role", "expressway-e")
    assert "version is 5" in no_traceback(done) and done.returncode == 1
    done = run_cli("inspect", str(crl))
    assert "certificate revocation list" in no_traceback(done) and done.returncode == 2
