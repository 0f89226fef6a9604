"""The lab CA engine and job (collabcert.ca, collabcert.jobs.ca) at fixed dates: validity caps
(seed-001 CRT-2050), the role's usages from the catalogue, SANs kept or the CSR refused."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from pki import new_key

from collabcert import ca as engine
from collabcert.errors import InputError, WriteRefused
from collabcert.jobs.ca import SignRequest, init_ca, sign_csr, write_ca

START = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def make_lab(tmp_path, *, now=START, intermediate=True):
    folder = tmp_path / "ca"
    write_ca(init_ca(folder, key="ec:p256", intermediate=intermediate, now=now))
    return folder


def csr_with(*sans: x509.GeneralName, cn: str = "node1.example.com"):
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    return builder.sign(new_key("ec"), hashes.SHA256())


def test_default_days_and_the_issuers_chain(tmp_path):
    folder = make_lab(tmp_path)
    result = sign_csr(SignRequest(csr_with(x509.DNSName("node1.example.com")), "n.csr", folder),
                      now=START)
    cert = result.certificate
    assert cert.not_valid_after_utc == START + dt.timedelta(days=engine.DEFAULT_DAYS)
    assert [c.subject for c in result.chain] == [
        engine.ca_name("collabcert lab CA intermediate"), engine.ca_name("collabcert lab CA")]
    assert cert.issuer == result.chain[0].subject
    assert result.eku == ("serverAuth", "clientAuth") and not result.clamped


def test_never_past_2049_for_expressway(tmp_path):
    """seed-001 CRT-2050 (doc L279): nothing the lab CA issues ends in or after 2050."""
    late = dt.datetime(2049, 6, 1, tzinfo=dt.UTC)
    folder = make_lab(tmp_path, now=late)
    root = engine.load_ca(folder).root
    assert root.not_valid_after_utc == engine.LAST_MOMENT
    request = SignRequest(csr_with(x509.DNSName("expe.example.com"), cn="expe.example.com"),
                          "expe.csr", folder, role="expressway-e")
    result = sign_csr(request, now=late)
    assert result.certificate.not_valid_after_utc == engine.LAST_MOMENT
    assert result.clamped and any("2049-12-31" in note for note in result.notes)


def test_the_2049_cap_cites_expressway_only_for_an_expressway_role(tmp_path):
    """Issue 12 item 16: 2050 is in seed-001 only; a CUCM note says the UTCTime limit instead."""
    late = dt.datetime(2049, 6, 1, tzinfo=dt.UTC)
    folder = make_lab(tmp_path, now=late)
    request = SignRequest(csr_with(x509.DNSName("cucm1.example.com"), cn="cucm1.example.com"),
                          "cucm1.csr", folder, role="cucm-tomcat-ecdsa")
    notes = " ".join(sign_csr(request, now=late).notes)
    assert "2049-12-31" in notes and "UTCTime" in notes and "seed-001" not in notes


def test_a_leaf_never_outlives_its_issuer(tmp_path):
    folder = make_lab(tmp_path)  # the intermediate lives five years
    issuer = engine.load_ca(folder).issuer
    near_end = issuer.not_valid_after_utc - dt.timedelta(days=10)
    result = sign_csr(SignRequest(csr_with(x509.DNSName("a.example.com")), "a.csr", folder,
                                  days=100), now=near_end)
    assert result.certificate.not_valid_after_utc == issuer.not_valid_after_utc
    assert any("issuing CA" in note for note in result.notes)


def test_root_only_ca_signs_itself(tmp_path):
    folder = make_lab(tmp_path, intermediate=False)
    request = SignRequest(csr_with(x509.DNSName("a.example.com")), "a.csr", folder,
                          basename="a")
    result = sign_csr(request, now=START)
    assert len(result.chain) == 1 and result.chain[0].subject == result.certificate.issuer
    assert any("root itself" in note for note in result.notes)
    assert [f.path.name for f in result.files] == ["a.crt", "a-ca-chain.crt",
                                                   "a-fullchain.crt"]


def test_role_usages_come_from_the_catalogue(tmp_path):
    from collabcert.roles import get_role

    folder = make_lab(tmp_path)
    role = get_role("cucm-capf")
    key = new_key("rsa")
    csr = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cucm.example.com")])
    ).add_extension(x509.SubjectAlternativeName([x509.DNSName("cucm.example.com")]),
                    critical=False).sign(key, hashes.SHA256())
    result = sign_csr(SignRequest(csr, "capf.csr", folder, role="cucm-capf"), now=START)
    ku = result.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.key_cert_sign  # seed-004 CU-X06: CAPF needs keyCertSign
    assert result.key_usage == role.key_usage and result.eku == role.eku


@pytest.mark.parametrize("role, san", [
    ("expressway-c", x509.IPAddress(ipaddress.ip_address("192.0.2.1"))),
    # tomcat and tomcat-ECDSA take the node's IP addresses (issue 13 item 11, 002 L546); the
    # CallManager-ECDSA certificate does not
    ("cucm-callmanager-ecdsa", x509.IPAddress(ipaddress.ip_address("192.0.2.1"))),
    ("expressway-e", x509.OtherName(engine.XMPP_ADDR, b"\x0c\x0bexample.com")),
])
def test_a_san_the_role_cannot_take_is_refused_not_dropped(tmp_path, role, san):
    folder = make_lab(tmp_path)
    csr = csr_with(x509.DNSName("node1.example.com"), san)
    with pytest.raises(InputError, match="never dropped"):
        sign_csr(SignRequest(csr, "n.csr", folder, role=role), now=START)


def test_cms_takes_ip_sans(tmp_path):
    folder = make_lab(tmp_path)
    sans = [x509.DNSName("cb.example.com"), x509.IPAddress(ipaddress.ip_address("192.0.2.1"))]
    csr_file = tmp_path / "cb.csr"
    csr_file.write_bytes(b"the CSR file")  # its name names the files written
    result = sign_csr(SignRequest(csr_with(*sans, cn="cb.example.com"), str(csr_file), folder,
                                  role="cms-callbridge"), now=START)
    got = result.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert list(got.value) == sans
    assert result.files[1].path.name == "cbbundle.crt"


def test_init_refuses_an_existing_ca_before_making_keys(tmp_path):
    folder = make_lab(tmp_path)
    with pytest.raises(WriteRefused, match="already holds a lab CA"):
        init_ca(folder, key="ec:p256")
    with pytest.raises(WriteRefused, match="intermediate"):  # --force, but a stale one remains
        init_ca(folder, key="ec:p256", force=True)


def test_a_folder_mixing_two_cas_is_refused(tmp_path):
    folder = make_lab(tmp_path)
    other = tmp_path / "other"
    write_ca(init_ca(other, key="ec:p256", now=START))
    (folder / "root.crt").write_bytes((other / "root.crt").read_bytes())
    with pytest.raises(InputError):
        engine.load_ca(folder)


def test_names_of_the_files_written(tmp_path):
    folder = make_lab(tmp_path)
    csr = csr_with(x509.DNSName("*.example.com"), cn="*.example.com")
    pasted = sign_csr(SignRequest(csr, "pasted text", folder), now=START)
    assert pasted.files[0].path.name == "example-com.crt"  # no file: from the CN
    with pytest.raises(InputError, match="no dots"):  # seed-003 G1, G2
        sign_csr(SignRequest(csr, "-", folder, role="cms-webbridge", basename="web.bridge"),
                 now=START)
    with pytest.raises(InputError, match="not a path"):
        sign_csr(SignRequest(csr, "-", folder, basename="../up"), now=START)


@pytest.mark.parametrize("role, cn, why", [
    ("cms-db-client", "client", "postgres"),  # seed-003 R12
    ("expressway-e", "expe", "single label"),  # seed-001 L425
])
def test_a_cn_the_role_cannot_take_is_refused(tmp_path, role, cn, why):
    folder = make_lab(tmp_path)
    csr = csr_with(x509.DNSName("expe.example.com"), cn=cn)
    with pytest.raises(InputError, match=why):
        sign_csr(SignRequest(csr, "n.csr", folder, role=role), now=START)
