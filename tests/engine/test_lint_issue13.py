"""Issue 13 items 1-9: lint without false alarms and without missed problems. One test per
item, named for it, the seed line in its docstring; certificates made with tests/pki.py."""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from lint_support import ids, lint, of
from pki import DAY, NOW, issue, make_pki, name, pem_of

from collabcert.lint import mra
from collabcert.lint.logs import read_log
from collabcert.trustlist import build_trust_list

FQDN, IP = "cucm.steven.lab", "10.48.36.215"

# seed 002 L575-607 as the seed prints it: one log line cut into fenced blocks
SEED_SNI_BLOCK = """```
2022-07-11T19:49:01.491+02:00 vcsc traffic_server[3916]: [ET_NET 2]
```

```
WARNING: SNI (
```

```
10.48.36.215
```

```
) not in certificate
```

```
. Action=Terminate server=10.48.36.215(10.48.36.215)
```

```
2022-07-11T19:49:01.491+02:00 vcsc traffic_server[3916]: [ET_NET 2]
```

```
ERROR: SSL connection failed for
```

```
'10.48.36.215': error:1416F086:
```

```
SSL routines:tls_process_server_certificate:certificate verify failed
```
"""

# seed 002 L337-368 as printed (markdown escapes, fences, wrapped lines)
SEED_CORE_BLOCK = """```
WARNING: Core server certificate verification failed for
```

```
(cucm.steven.lab).
```

```
Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215)
```

```
depth=0
```

```
2022-07-11T18:55:26.016+02:00 vcsc traffic_server[18242]: [ET_NET 0]
```

```
ERROR: SSL connection failed for
```

```
'cucm.steven.lab': error:1416F086:
```

SSL routines:tls\\_process\\_server\\_certificate:certificate verify failed

2022-07-11T18:55:26.024+02:00 vcsd traffic\\_server[18242]: UTCTime="2022-07-11 16:55:26,024"

502 connect failed
"""


def errors(report) -> list[str]:
    return sorted(f.id for f in report.findings if f.severity == "error")


def _root():
    return issue("steven-DC-CA", ca=True, not_after=NOW + 3000 * DAY)


def test_item4_uncertain_is_not_aggregated_and_one_missing_address_is_one_error():
    """seed 002 L610 (an IP only as an IP-type SAN is UNCERTAIN, not FAIL) and L579-591: one
    missing address is one error (SNI-ADDR-NOT-IN-CERT); LOG-SNI, LOG-SSL-FAIL and SNI-ALL-ADDR
    are its evidence."""
    root = _root()
    ipsan = issue(FQDN, issuer=root, sans=[FQDN, IP], key_kind="rsa")
    report = lint(("tomcat.pem", ipsan.pem), ("ca.pem", root.pem, "trust"), role="cucm-tomcat",
                  mra_addresses=(FQDN, IP))
    assert {r.result for r in report.verdicts} == {"PASS", "UNCERTAIN"}
    assert "SNI-ALL-ADDR" not in ids(report) and errors(report) == []
    fqdn_only = issue(FQDN, issuer=root, sans=[FQDN], key_kind="rsa")
    report = lint(("tomcat.pem", fqdn_only.pem), ("ca.pem", root.pem, "trust"),
                  role="cucm-tomcat", mra_addresses=(FQDN,),
                  logs=(("diag.log", SEED_SNI_BLOCK),))
    assert errors(report) == ["SNI-ADDR-NOT-IN-CERT"]
    for rule in ("LOG-SNI", "LOG-SSL-FAIL", "SNI-ALL-ADDR"):
        (found,) = of(report, rule)
        assert found.severity == "info", rule
    assert "Evidence of SNI-ADDR-NOT-IN-CERT" in of(report, "LOG-SNI")[0].message


def test_item7_ecdsa_variant_is_a_warning_when_rsa_is_preferred():
    """seed 002 L244, L257: prefixing the cipher lists with ECDHE-RSA-AES256-GCM-SHA384: makes
    Expressway prefer RSA, so a failing tomcat-ECDSA behind a passing tomcat is a warning."""
    root = _root()
    tomcat = issue(FQDN, issuer=root, sans=[FQDN], key_kind="rsa")
    ecdsa = issue("cucm-ec.steven.lab", sans=[FQDN])
    files = (("tomcat.pem", tomcat.pem, "cucm-tomcat"),
             ("ecdsa.pem", ecdsa.pem, "cucm-tomcat-ecdsa"), ("ca.pem", root.pem, "trust"))
    rsa_first = lint(*files, mra_addresses=(FQDN,),
                     ciphers="ECDHE-RSA-AES256-GCM-SHA384:EECDH:EDH:HIGH")
    assert [f.severity for f in of(rsa_first, "ECDSA-VARIANT")] == ["warning"]
    default = lint(*files, mra_addresses=(FQDN,), ciphers="EECDH:EDH:HIGH")
    assert [f.severity for f in of(default, "ECDSA-VARIANT")] == ["error"]


def test_item9_seed_log_blocks_give_the_whole_verdict():
    """seed 002 L333-368 and L575-607: log lines printed in fenced, wrapped pieces are joined."""
    assert [(e.id, e.sni or e.host) for e in read_log(SEED_CORE_BLOCK)] == [
        ("LOG-CORE-SELF", FQDN), ("LOG-SSL-FAIL", FQDN), ("LOG-502", "")]
    assert [(e.id, e.sni or e.host) for e in read_log(SEED_SNI_BLOCK)] == [
        ("LOG-SNI", IP), ("LOG-SSL-FAIL", IP)]


def test_item9_a_log_alone_gets_the_logs_verdict():
    """seed 002 L372: the SSL line's reason is the WARNING line before it, so a log alone gives
    one error per cause (LOG-SNI) with LOG-SSL-FAIL as its evidence."""
    report = lint(logs=(("diag.log", SEED_SNI_BLOCK),))
    assert errors(report) == ["LOG-SNI"]
    assert [f.severity for f in of(report, "LOG-SSL-FAIL")] == ["info"]


def _cucm_self_signed(cn: str, *, key_kind: str = "ec", bc: bool = True):
    """A CUCM-made self-signed tomcat / tomcat-ECDSA: basicConstraints CA:TRUE (or none),
    keyCertSign, serverAuth + clientAuth (seed 002 L465-470)."""
    eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                 ExtendedKeyUsageOID.CLIENT_AUTH])
    return issue(cn, ca=True, basic_constraints=bc, sans=[FQDN], key_kind=key_kind,
                 extra=[eku])


def test_item5_renewed_root_with_the_same_cn_is_a_warning():
    """seed 001 L838 (two CA certificates sharing a CN: CHN-DUPCN, a warning) against 002 L145
    and 001 L371 (two self-signed server certificates with one CN: an error)."""
    old_root = issue(name("Corp Root CA"), ca=True, not_after=NOW + 30 * DAY)
    new_root = issue(name("Corp Root CA"), ca=True, not_after=NOW + 3000 * DAY)
    expc = issue("expc.example.com", issuer=new_root, sans=["expc.example.com"])
    report = lint(("expc.pem", expc.pem), ("ca.pem", pem_of(old_root.cert, new_root.cert),
                                           "trust"), role="expressway-c")
    assert errors(report) == [] and "CHN-DUPCN" in ids(report, "warning")
    trust = build_trust_list([old_root.cert, new_root.cert])
    assert [(f.id, str(f.severity)) for f in trust.findings if f.id == "TRUST-DUP-CN"] == [
        ("TRUST-DUP-CN", "warning")]
    assert [str(f.severity) for f in mra.trust_dup_cn([old_root.cert, new_root.cert], "t")] == [
        "warning"]
    tomcat, callmanager = (_cucm_self_signed("cucm-ec.steven.lab") for _ in range(2))
    assert [str(f.severity) for f in mra.trust_dup_cn([tomcat.cert, callmanager.cert], "t")] == [
        "error"]
    pair = build_trust_list([tomcat.cert, callmanager.cert])
    assert ("TRUST-DUP-CN", "error") in {(f.id, str(f.severity)) for f in pair.findings}


def test_item6_self_signed_cucm_certificate_in_the_expc_trust_list_is_no_error():
    """seed 002 L638 and 001 L1139: the self-signed tomcat / tomcat-ECDSA (CA:TRUE or no
    basicConstraints) is uploaded to the Expressway-C trust list as it is; 002 L465-482: a
    self-signed certificate is valid for `<type>`, so CU-P01 (CA-only file) does not fire, nor
    on collabcert's own `1-tomcat-trust-*` CA files."""
    root = _root()
    expc = issue("expc.example.com", issuer=root, sans=["expc.example.com"])
    for bc in (True, False):
        ss = _cucm_self_signed("cucm.steven.lab", key_kind="rsa", bc=bc)
        report = lint(("expc.pem", expc.pem), ("ca.pem", pem_of(root.cert, ss.cert), "trust"),
                      role="expressway-c")
        assert "CHN-NOTCA" not in ids(report) and errors(report) == [], bc
        assert trust_errors([root.cert, ss.cert]) == [], bc
        alone = lint(("tomcat.pem", ss.pem), role="cucm-tomcat")
        assert "CU-P01" not in ids(alone) and errors(alone) == [], bc
    tomcat = issue(FQDN, issuer=root, sans=[FQDN], key_kind="rsa")
    own = lint(("1-tomcat-trust-root.pem", root.pem), ("3-tomcat.pem", tomcat.pem),
               role="cucm-tomcat")
    assert "CU-P01" not in ids(own) and errors(own) == []
    trust_only = lint(("1-tomcat-trust-root.pem", root.pem), role="cucm-tomcat")
    assert "CU-P01" not in ids(trust_only)
    # a CA file given as the identity is still the mistake CU-P01 names
    assert "CU-P01" in ids(lint(("root.pem", root.pem), role="cucm-tomcat"), "error")


def trust_errors(certs) -> list[str]:
    return [f.id for f in build_trust_list(certs).findings if f.severity == "error"]


def test_item8_self_signed_tomcat_ecdsa_with_ca_true_is_in_the_verdict():
    """seed 002 L465-470: CUCM's own self-signed tomcat-ECDSA has basicConstraints CA:TRUE; the
    MRA verdict judges it beside tomcat (seed 002's main scenario, L409, L482)."""
    root = _root()
    tomcat = issue("cucm-ms.steven.lab", issuer=root, sans=[FQDN], key_kind="rsa")
    ecdsa = _cucm_self_signed("cucm-ec.steven.lab", key_kind="ec384")
    report = lint(("tomcat.pem", tomcat.pem, "cucm-tomcat"),
                  ("ecdsa.pem", ecdsa.pem, "cucm-tomcat-ecdsa"), ("ca.pem", root.pem, "trust"),
                  mra_addresses=(FQDN,))
    assert [(r.variant, r.result, r.rule) for r in report.verdicts] == [
        ("tomcat", "PASS", ""), ("tomcat-ECDSA", "FAIL", "TS-SELF-UNTRUSTED")]


def _expressway_pair(pki):
    expc = issue("expc.example.com", issuer=pki.intermediate, sans=["expc.example.com"])
    expe = issue("expe.example.com", issuer=pki.intermediate, sans=["expe.example.com"])
    return expc, expe


def test_item1_lone_server_certificate_is_not_an_incomplete_chain():
    """DESIGN.md lint contract (issue 13 item 1; seed-001 CHN-INCOMPLETE L907, seed-004 CU-C01):
    with no CA certificate and no trust list the chain is not judged; one info finding
    (CHN-NOT-CHECKED) says so and how to check it."""
    pki = make_pki()
    expc, _ = _expressway_pair(pki)
    report = lint(("expc.pem", expc.pem), role="expressway-c")
    assert errors(report) == [] and "CHN-INCOMPLETE" not in ids(report)
    (note,) = of(report, "CHN-NOT-CHECKED")
    assert note.severity == "info" and "--trust FILE" in note.fix and note.where == "expc.pem"
    tomcat = issue(FQDN, issuer=pki.intermediate, sans=[FQDN], key_kind="rsa")
    ecdsa = issue(FQDN, issuer=pki.intermediate, sans=[FQDN])
    report = lint(("tomcat.pem", tomcat.pem, "cucm-tomcat"),
                  ("ecdsa.pem", ecdsa.pem, "cucm-tomcat-ecdsa"))
    assert "CU-C01" not in ids(report) and len(of(report, "CHN-NOT-CHECKED")) == 1
    # a CA given beside it: the chain is judged again
    judged = lint(("expc.pem", pem_of(expc.cert, pki.root.cert)), role="expressway-c")
    assert "CHN-INCOMPLETE" in ids(judged, "error") and "CHN-NOT-CHECKED" not in ids(judged)


def test_item2_per_file_roles_use_the_trust_list():
    """seed-001 CHN-INCOMPLETE (L907), seed-004 CU-C01: `lint FILE@ROLE ... --trust FILE`
    without --role reads the trust list for every multi-role run (C+E, tomcat + tomcat-ECDSA)."""
    pki = make_pki()
    expc, expe = _expressway_pair(pki)
    full = ("ca.pem", pem_of(pki.intermediate.cert, pki.root.cert), "trust")
    report = lint(("expc.pem", expc.pem, "expressway-c"), ("expe.pem", expe.pem, "expressway-e"),
                  full)
    assert errors(report) == []
    half = lint(("expc.pem", expc.pem, "expressway-c"), ("expe.pem", expe.pem, "expressway-e"),
                ("ca.pem", pki.root.pem, "trust"))
    assert [f.where for f in of(half, "CHN-INCOMPLETE")] == ["expc.pem", "expe.pem"]
    tomcat = issue(FQDN, issuer=pki.intermediate, sans=[FQDN], key_kind="rsa")
    ecdsa = issue(FQDN, issuer=pki.intermediate, sans=[FQDN])
    pair = lint(("tomcat.pem", tomcat.pem, "cucm-tomcat"),
                ("ecdsa.pem", ecdsa.pem, "cucm-tomcat-ecdsa"), full)
    assert "CU-C01" not in ids(pair) and errors(pair) == []


def test_item3_mra_trust_list_is_expressway_cs_not_tomcat_trust():
    """seed 002 L140, L638: with --mra-address the trust list is the Expressway-C trusted CA
    list; it is not read as CUCM tomcat-trust (no CU-C01 / CU-C04 for an Expressway problem)."""
    pki = make_pki()
    tomcat = issue(FQDN, issuer=pki.intermediate, sans=[FQDN], key_kind="rsa")
    report = lint(("tomcat.pem", pem_of(tomcat.cert, pki.intermediate.cert)),
                  ("expc-ca.pem", pki.root.pem, "trust"), role="cucm-tomcat",
                  mra_addresses=(FQDN,))
    assert not {"CU-C01", "CU-C04"} & ids(report)
    assert [(r.result, r.rule) for r in report.verdicts] == [("PASS", "")]
    missing = lint(("tomcat.pem", tomcat.pem), ("expc-ca.pem", pki.root.pem, "trust"),
                   role="cucm-tomcat", mra_addresses=(FQDN,))
    assert errors(missing) == ["TS-UNKNOWN-CA"]  # the one error: the Exp-C verdict


# --- acceptance: a correct C+E MRA setup and the CUCM pair, then one fault at a time --------

RSA_FIRST = "ECDHE-RSA-AES256-GCM-SHA384:EECDH:EDH:HIGH"


class Setup:
    """Expressway-C and -E, CUCM tomcat (RSA) and tomcat-ECDSA, all CA-signed by one issuing
    CA; the Expressway-C trusted CA list holds that CA and its root (seed 002 L140)."""

    def __init__(self) -> None:
        self.pki = pki = make_pki()
        self.expc = issue("expc.example.com", issuer=pki.intermediate, sans=["expc.example.com"])
        self.expe = issue("expe.example.com", issuer=pki.intermediate,
                          sans=["expe.example.com", "collab-edge.example.com"])
        self.tomcat = issue("cucm-ms.steven.lab", issuer=pki.intermediate, sans=[FQDN],
                            key_kind="rsa")
        self.ecdsa = issue(FQDN, issuer=pki.intermediate, sans=[FQDN, IP])
        self.trust = [pki.intermediate.cert, pki.root.cert]

    def lint(self, *, tomcat=None, ecdsa=None, trust=None, addresses=(FQDN,), **options):
        return lint(("expc.pem", self.expc.pem, "expressway-c"),
                    ("expe.pem", self.expe.pem, "expressway-e"),
                    ("tomcat.pem", (tomcat or self.tomcat).pem, "cucm-tomcat"),
                    ("ecdsa.pem", (ecdsa or self.ecdsa).pem, "cucm-tomcat-ecdsa"),
                    ("expc-ca.pem", pem_of(*(trust or self.trust)), "trust"),
                    mra_addresses=addresses, **options)


def test_acceptance_correct_setups_lint_with_zero_errors():
    """Issue 13 "How we will know": the correct C+E MRA setup (seed 002 L140, L546) and the CUCM
    tomcat + tomcat-ECDSA pair with its tomcat-trust (seed-004 AT02) give no error."""
    s = Setup()
    report = s.lint()
    assert errors(report) == []
    assert [(r.variant, r.result) for r in report.verdicts] == [("tomcat", "PASS"),
                                                              ("tomcat-ECDSA", "PASS")]
    pair = lint(("tomcat.pem", s.tomcat.pem, "cucm-tomcat"),
                ("ecdsa.pem", s.ecdsa.pem, "cucm-tomcat-ecdsa"),
                ("tomcat-trust.pem", pem_of(*s.trust), "trust"))
    assert errors(pair) == []
    alone = lint(("tomcat.pem", s.tomcat.pem, "cucm-tomcat"),
                 ("ecdsa.pem", s.ecdsa.pem, "cucm-tomcat-ecdsa"))
    assert errors(alone) == []  # item 1: not judged, one info


def test_acceptance_false_alarms_of_items_4_5_6_give_no_error():
    """seed 002 L610 (UNCERTAIN), 001 L838 (renewed root), 002 L638 (a self-signed
    tomcat-ECDSA uploaded to the Exp-C list)."""
    s = Setup()
    ipsan = issue("cucm-ms.steven.lab", issuer=s.pki.intermediate, sans=[FQDN, IP],
                  key_kind="rsa")
    assert errors(s.lint(tomcat=ipsan, addresses=(FQDN, IP))) == []
    renewed = issue(s.pki.root.cert.subject, ca=True, not_after=NOW + 4000 * DAY)
    assert errors(s.lint(trust=[*s.trust, renewed.cert])) == []
    own = _cucm_self_signed("cucm-ec.steven.lab")
    assert errors(s.lint(ecdsa=own, trust=[*s.trust, own.cert])) == []


def test_acceptance_each_single_fault_gives_one_error_naming_it():
    """seed 002 L579-591 (an address not in the certificate, with its log lines) and L465-470
    (CUCM's own self-signed CA:TRUE tomcat-ECDSA, not trusted): one error each, naming it.
    With the default cipher order the second fault also gives ECDSA-VARIANT (item 7: an error
    while ECDSA is preferred), so it is judged here with RSA preferred."""
    s = Setup()
    missing = s.lint(addresses=(FQDN, IP), logs=(("diag.log", SEED_SNI_BLOCK),))
    assert errors(missing) == ["SNI-ADDR-NOT-IN-CERT"]
    assert IP in next(f for f in missing.findings if f.severity == "error").message
    untrusted = s.lint(ecdsa=_cucm_self_signed("cucm-ec.steven.lab"), ciphers=RSA_FIRST)
    assert errors(untrusted) == ["TS-SELF-UNTRUSTED"]
    assert "cucm-ec.steven.lab" in next(f for f in untrusted.findings
                                        if f.severity == "error").message
