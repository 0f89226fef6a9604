"""Judging one presented chain (the probe job's second half), and comparing it with a save.

`judge` gives the findings of one target:
- the lint job (collabcert.jobs.lint) on the presented certificates with the role, its fields
  and the trust list: the same rules as `collabcert lint` (expiry, EKU, SANs for the role,
  the product's chain rules). Rules about the form of a file (its name, PEM or DER, blank lines,
  a final newline, what to upload first) say nothing about a handshake and are left out.
- the chain built by signature from what was sent, what was fetched and the trust list: the
  missing issuer named with its caIssuers URL (CHN-INCOMPLETE), or a chain that leads to no CA
  of the list (PROBE-UNTRUSTED); no trust list: CHN-NOT-CHECKED says how to check it;
- what only a live server shows: the name for the address used (PROBE-NAME-MISMATCH, the
  X14.2 behaviour: DNS SANs, then the CN; an IP only as an IP SAN is SNI-IP-SAN-TYPE), the
  order as sent (PROBE-ORDER), a client-certificate request (PROBE-CLIENT-CERT), the expiry
  window (PROBE-WARN-DAYS), what --fetch-missing fetched (PROBE-FETCHED, PROBE-FETCH-FAILED).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cryptography import x509

from collabcert import pem, rules
from collabcert.chain import build_chain, fingerprint
from collabcert.findings import Finding, Severity
from collabcert.lint import certinfo as ci
from collabcert.lint.hostmatch import ats_match, first_cn
from collabcert.names import is_ip
from collabcert.rules import dedupe, sort_key

if TYPE_CHECKING:
    from collabcert.aia import Fetched
    from collabcert.jobs.probe import ProbeRequest
    from collabcert.probe import Capture

# Rules about a file's form (name, encoding, layout, upload steps): not a handshake's question.
# The key rules (KEY-WEAK, KEY-SIZE ...) and CU-P04 (key type for the purpose) stay: they are
# about the certificate's key, which the server presents too.
FILE_FORM = ("CRT-FMT", "PROC-", "CMS-F", "CMS-X03", "CMS-X04", "CMS-X06", "CMS-B04",
             "CMS-B05", "CMS-B06", "CMS-B07", "CMS-B08", "CMS-B11", "CU-F", "CU-P01", "CU-P02",
             "CU-P03", "CHN-ORDER", "CHN-UNUSED", "SUBJ-")


FETCHED, FETCH_FAILED = rules.get("PROBE-FETCHED"), rules.get("PROBE-FETCH-FAILED")


def chain_pem(certs: Sequence[x509.Certificate]) -> bytes:
    """The certificates as one PEM, in the order given (leaf first, as presented)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    return pem.join([pem.encode("CERTIFICATE", c.public_bytes(Encoding.DER)) for c in certs])


def judge(got: Capture, request: ProbeRequest, trust: Sequence[x509.Certificate],
          fetched: Sequence[Fetched], now: dt.datetime) -> tuple[Finding, ...]:
    where = got.target.label
    extra = [c for f in fetched for c in f.certificates]
    findings = _lint(got, request, trust, extra, now)
    findings += _trust(got, trust, extra, now, findings)
    findings += name_findings(got.chain[0], got.sni or got.target.host, where)
    findings += order_findings(got.chain, where)
    findings += expiry_findings(got.chain, request.warn_days, now, where)
    findings += _asked_and_fetched(got, fetched)
    return tuple(sorted(dedupe(findings), key=sort_key))


def _lint(got: Capture, request: ProbeRequest, trust: Sequence[x509.Certificate],
          extra: Sequence[x509.Certificate], now: dt.datetime) -> list[Finding]:
    """The lint job on what was presented: the leaf as the role's file and, when a trust list
    is given, the CA certificates of its chain beside it (sent, fetched, and the anchors on
    the path), so lint judges the chain as it judges a leaf with its CA files. --trust here is
    what the clients trust, not the box's own trust store, so it is not lint's `trust`."""
    from collabcert.jobs.lint import LintFile, LintRequest
    from collabcert.jobs.lint import run as lint

    label = got.target.label
    files = [LintFile(label, data=chain_pem(got.chain[:1]))]
    cas = _path_cas(got, trust, extra, now) if trust else []
    if cas:  # without a trust list the chain is not judged (CHN-NOT-CHECKED)
        files.append(LintFile(f"{label} CA certificates", data=chain_pem(cas)))
    result = lint(LintRequest(tuple(files), role=request.role, fields=request.fields), now=now)
    # Without a role, lint's general chain check would say "incomplete" in a file's words;
    # _trust says it in a probe's (send the intermediates, or --fetch-missing).
    own = ("CHN-INCOMPLETE",) if not request.role else ()
    return [f for f in result.findings if not f.id.startswith(FILE_FORM) and f.id not in own]


def _path_cas(got: Capture, trust: Sequence[x509.Certificate],
              extra: Sequence[x509.Certificate], now: dt.datetime) -> list[x509.Certificate]:
    """The CA certificates of the leaf's chain (sent ones first, as sent), then the rest of
    what was sent: what lint needs, not a whole system store."""
    chain = build_chain([*got.chain, *extra, *trust], leaf=got.chain[0], at=now)
    sent = list(got.chain[1:])
    seen = {fingerprint(c) for c in sent}
    return sent + [link.certificate for link in chain.cas if link.fingerprint not in seen]


def _trust(got: Capture, trust: Sequence[x509.Certificate], extra: Sequence[x509.Certificate],
           now: dt.datetime, already: Sequence[Finding]) -> list[Finding]:
    """The chain by signature from what was sent and fetched to the trust list: a missing
    issuer (named with its caIssuers URL), or a chain that reaches no CA of the list."""
    where = got.target.label
    if not trust:
        if any(f.id == "CHN-NOT-CHECKED" for f in already):
            return []
        return [rules.get("CHN-NOT-CHECKED").finding(
            "Trust was not checked: no trust list was given.",
            fix="Give the CA certificates the clients trust with --trust FILE, or "
            "--trust-system for this machine's store.", where=where)]
    chain = build_chain([*got.chain, *extra, *trust], leaf=got.chain[0], at=now)
    if chain.missing_issuer is not None:
        return [] if any(f.id == "CHN-INCOMPLETE" for f in already) else [
            rules.get("CHN-INCOMPLETE").finding(
                f"{where} presents a chain that cannot be completed: "
                f"{chain.missing_issuer.sentence}.",
                fix="Have the server send its intermediate CA certificates, or add them to "
                "the trust list (--fetch-missing downloads one from its caIssuers URL).",
                where=where)]
    trusted = {fingerprint(c) for c in trust}
    if any(link.fingerprint in trusted for link in chain.links):
        return []
    return [rules.get("PROBE-UNTRUSTED").finding(
        f"The chain presented by {where} ends at '{chain.links[-1].subject}', which is not in "
        "the trust list given.", where=where)]


def name_findings(leaf: x509.Certificate, address: str, where: str) -> list[Finding]:
    """Is the address (the SNI sent, else the host) in the certificate, as Traffic Server and
    most clients match it: a DNS SAN ('*' only as the whole leftmost label), then the CN."""
    dns = ci.dns_sans(leaf)
    if any(ats_match(name, address) for name in dns):
        return []
    if first_cn(leaf) and ats_match(first_cn(leaf), address):
        return [rules.get("SNI-CN-ONLY").finding(
            f"'{address}' matches only the CN of the certificate {where} presents; keep it in "
            "the SAN too.", where=where)]
    if is_ip(address) and address in ci.ip_sans(leaf):
        return [rules.get("SNI-IP-SAN-TYPE").finding(
            f"'{address}' is only an IP-type SAN of the certificate {where} presents: browsers "
            "accept it, but Expressway-C X14.2 compares an address with the DNS SANs and the "
            f"CN only. Add DNS:{address}, or reach the server by name.", where=where)]
    names = ", ".join(dns + ci.ip_sans(leaf)) or "none"
    return [rules.get("PROBE-NAME-MISMATCH").finding(
        f"'{address}' (the address used to reach {where}) is not in the certificate "
        f"'{ci.label(leaf)}' it presents (SAN: {names}).", where=where)]


def order_findings(chain: Sequence[x509.Certificate], where: str) -> list[Finding]:
    """Each certificate sent must be followed by its issuer (RFC 5246 §7.4.2)."""
    for index in range(len(chain) - 1):
        if not ci.signed_by(chain[index], chain[index + 1]):
            sent = " > ".join(f"{i}:{ci.label(c)}" for i, c in enumerate(chain))
            return [rules.get("PROBE-ORDER").finding(
                f"{where} sends its chain out of order: certificate {index + 1} "
                f"('{ci.label(chain[index + 1])}') did not issue certificate {index} "
                f"('{ci.label(chain[index])}'); as sent: {sent}.", where=where)]
    return []


def expiry_findings(chain: Sequence[x509.Certificate], warn_days: int | None,
                    now: dt.datetime, where: str) -> list[Finding]:
    """Every certificate presented that ends within `warn_days` (and has not yet ended; an
    ended one is CRT-EXPIRED / CHN-EXPIRED already); an expired CA certificate that is sent
    is an error here: every client refuses the chain (seed 000 L104)."""
    out = []
    for index, cert in enumerate(chain):
        left = cert.not_valid_after_utc - now
        ends = f"{cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
        if left.total_seconds() <= 0 and index:
            out.append(rules.get("CHN-EXPIRED").finding(
                f"CA certificate '{ci.label(cert)}' presented by {where} expired on {ends}; "
                "clients refuse the chain.", where=where, severity=Severity.ERROR))
        elif warn_days is not None and 0 < left.total_seconds() <= warn_days * 86400:
            out.append(rules.get("PROBE-WARN-DAYS").finding(
                f"'{ci.label(cert)}' (certificate {index} presented by {where}) expires on "
                f"{ends}, in {ci.days(left)} days (--warn-days {warn_days}).", where=where))
    return out


def _asked_and_fetched(got: Capture, fetched: Sequence[Fetched]) -> list[Finding]:
    where = got.target.label
    out = []
    if got.client_cert_requested:
        names = (f" (CAs it accepts: {', '.join(got.client_ca_names)})"
                 if got.client_ca_names else "")
        out.append(rules.get("PROBE-CLIENT-CERT").finding(
            f"{where} asked for a client certificate{names}; none was sent.", where=where))
    for item in fetched:
        rule = FETCH_FAILED if item.error else FETCHED
        out.append(rule.finding(item.sentence()[0].upper() + item.sentence()[1:], where=where))
    return out


# ------------------------------------------------------------------------------- compare


def compare(previous: Sequence[x509.Certificate], chain: Sequence[x509.Certificate]
            ) -> tuple[str, ...]:
    """What changed from a saved chain (or a new certificate) to what is presented now: the
    renewal check of seed 000 (a renewal that changed the intermediates took a tunnel down)."""
    from collabcert.chain import server_identity
    from collabcert.keys import spki_der

    old = next((c for c in previous if server_identity(c)), previous[0])
    new = chain[0]
    if fingerprint(old) == fingerprint(new) and _cas(previous, old) == _cas(chain, new):
        return ("no change: the same certificate and chain",)
    out = _san_changes(old, new)
    if spki_der(old.public_key()) != spki_der(new.public_key()):
        out.append("key changed: the certificate has a new public key")
    else:
        out.append("key kept: the same public key")
    if old.not_valid_after_utc != new.not_valid_after_utc:
        out.append(f"expiry: {old.not_valid_after_utc:%Y-%m-%d} -> "
                   f"{new.not_valid_after_utc:%Y-%m-%d}")
    out += _issuer_changes(previous, old, chain, new)
    return tuple(out)


def _san_changes(old: x509.Certificate, new: x509.Certificate) -> list[str]:
    before = ci.dns_sans(old) + ci.ip_sans(old)
    after = ci.dns_sans(new) + ci.ip_sans(new)
    lowered = {n.lower() for n in after}
    dropped = [n for n in before if n.lower() not in lowered]
    added = [n for n in after if n.lower() not in {b.lower() for b in before}]
    out = []
    if dropped:
        out.append(f"SANs dropped: {', '.join(dropped)}")
    if added:
        out.append(f"SANs added: {', '.join(added)}")
    return out


def _cas(certs: Sequence[x509.Certificate], leaf: x509.Certificate) -> list[str]:
    return [fingerprint(c) for c in certs if fingerprint(c) != fingerprint(leaf)]


def _issuer_changes(previous, old, chain, new) -> list[str]:
    old_cas = [c for c in previous if fingerprint(c) != fingerprint(old)]
    new_cas = [c for c in chain if fingerprint(c) != fingerprint(new)]
    if old.issuer != new.issuer:
        return [f"issuer changed: '{old.issuer.rfc4514_string()}' -> "
                f"'{new.issuer.rfc4514_string()}'"]
    if old_cas and [fingerprint(c) for c in old_cas] != [fingerprint(c) for c in new_cas]:
        return ["issuer chain changed: " + " > ".join(ci.label(c) for c in old_cas) + " -> "
                + (" > ".join(ci.label(c) for c in new_cas) or "(none sent)")]
    return []
