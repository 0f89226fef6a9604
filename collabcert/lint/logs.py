"""Expressway logs (seed-000-002 §2.4): traffic-server lines pasted from a diagnostic log become
findings; with certificate files given, each finding says what those files show.

Normalisation (inferred, §2.4): markdown escapes removed, wrapped lines joined, case ignored,
OpenSSL 1.1 and 3 spellings and the OCR variant `SKI (` accepted.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from collabcert import rules
from collabcert.findings import Finding, Severity
from collabcert.lint import certinfo as ci
from collabcert.lint.context import Context, fingerprint
from collabcert.lint.hostmatch import has_name
from collabcert.lint.mra import presented_of

S = "seed-000-002"
P = "logs"

LOG_CORE_SELF = rules.get("LOG-CORE-SELF")
LOG_CORE_CHAIN = rules.get("LOG-CORE-CHAIN")
LOG_CORE_OTHER = rules.get("LOG-CORE-OTHER")
LOG_SNI = rules.get("LOG-SNI")
LOG_SSL_FAIL = rules.get("LOG-SSL-FAIL")
LOG_502 = rules.get("LOG-502")
LOG_MRA_PATH = rules.get("LOG-MRA-PATH")
LOG_VOS = rules.get("LOG-VOS")
LOG_TRAV = rules.get("LOG-TRAV")

_CORE = (r"Core\s+server\s+certificate\s+verification\s+failed\s+for\s*\(\s*(?P<sni>[^)]*?)\s*\)"
         r"\s*\.?\s*Action\s*=\s*(?P<act>\w+)\s+Error\s*=\s*(?P<err>.+?)\s+"
         r"server\s*=\s*(?P<srv>[^\s(]+)\s*\(\s*(?P<ip>[^)]*?)\s*\)\s*depth\s*=\s*(?P<depth>\d+)")
_SNI = (r"S[NK]I\s*\(\s*(?P<sni>[^)]*?)\s*\)\s*not\s+in\s+certificate\s*\.?\s*"
        r"Action\s*=\s*(?P<act>\w+)\s+server\s*=\s*(?P<srv>[^\s(]+)\s*\(\s*(?P<ip>[^)]*?)\s*\)")
_SSL = (r"SSL\s+connection\s+failed\s+for\s*['\"](?P<host>[^'\"]+)['\"]\s*:\s*"
        r"error:(?P<code>[0-9A-Fa-f]{8}):\s*SSL\s+routines:\s*[^:]*:\s*certificate\s+verify\s+"
        r"failed")
_PATH = r"GET\s+https?://[^/\s]+/(?P<b64>[A-Za-z0-9_-]{8,})/"
PATTERNS = {
    "core": re.compile(_CORE, re.I),
    "sni": re.compile(_SNI, re.I),
    "ssl": re.compile(_SSL, re.I),
    "502": re.compile(r"\b502\s+connect\s+failed", re.I),
    "path": re.compile(_PATH, re.I),
    "vos": re.compile(r"xConfiguration\s+EdgeConfigServer\s+VerifyOriginServer:\s*Off", re.I),
    "trav": re.compile(r"TLS\s+Negotiation\s+Error", re.I),
}
_SELF = re.compile(r"^self[ -]signed certificate$", re.I)
_SELF_CHAIN = re.compile(r"^self[ -]signed certificate in certificate chain$", re.I)


@dataclass(frozen=True)
class LogEvent:
    id: str  # the LOG-* rule
    sni: str = ""
    server: str = ""
    ip: str = ""
    depth: int | None = None
    action: str = ""
    error: str = ""
    host: str = ""
    code: str = ""
    domain: str = ""
    scheme: str = ""
    port: str = ""
    source: str = ""
    at: int = 0  # offset in the normalised text, to keep log order


_FENCE = re.compile(r"(```|~~~)[\w-]*")


def normalise(text: str) -> str:
    """Markdown escapes and code fences removed and every line joined: the seed prints one log
    line as several fenced blocks, wrapped anywhere (002 L333-368, L575-607)."""
    text = text.replace("\\_", "_").replace("\r", "")
    lines = (line.strip() for line in text.split("\n"))
    return " ".join(line for line in lines if not _FENCE.fullmatch(line))


def read_log(text: str, source: str = "log") -> list[LogEvent]:
    flat = normalise(text)
    events: list[LogEvent] = []
    for m in PATTERNS["core"].finditer(flat):
        err, depth = m["err"].strip(), int(m["depth"])
        rule = LOG_CORE_OTHER.id
        if _SELF.match(err) and depth == 0:
            rule = LOG_CORE_SELF.id
        elif _SELF_CHAIN.match(err) and depth > 0:
            rule = LOG_CORE_CHAIN.id
        events.append(LogEvent(rule, sni=m["sni"], server=m["srv"], ip=m["ip"], depth=depth,
                               action=m["act"], error=err, source=source, at=m.start()))
    for m in PATTERNS["sni"].finditer(flat):
        events.append(LogEvent(LOG_SNI.id, sni=m["sni"], server=m["srv"], ip=m["ip"],
                               action=m["act"], source=source, at=m.start()))
    for m in PATTERNS["ssl"].finditer(flat):
        events.append(LogEvent(LOG_SSL_FAIL.id, host=m["host"], code=m["code"].upper(),
                               source=source, at=m.start()))
    for m in PATTERNS["502"].finditer(flat):
        events.append(LogEvent(LOG_502.id, source=source, at=m.start()))
    for m in PATTERNS["path"].finditer(flat):
        decoded = decode_mra_path(m["b64"])
        if decoded:
            domain, scheme, host, port = decoded
            events.append(LogEvent(LOG_MRA_PATH.id, host=host, domain=domain, scheme=scheme,
                                   port=port, source=source, at=m.start()))
    for key, rule in (("vos", LOG_VOS), ("trav", LOG_TRAV)):
        for m in PATTERNS[key].finditer(flat):
            events.append(LogEvent(rule.id, source=source, at=m.start()))
    return sorted(events, key=lambda e: e.at)


def decode_mra_path(segment: str) -> tuple[str, str, str, str] | None:
    """`c3RldmVu...` -> (domain, scheme, host, port); the segment has no `=` padding."""
    padded = segment + "=" * (-len(segment) % 4)
    try:
        text = base64.urlsafe_b64decode(padded).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    m = re.fullmatch(r"(?P<d>[^/]+)/(?P<s>https?)/(?P<h>[^/]+)/(?P<p>\d+)", text)
    return (m["d"], m["s"], m["h"], m["p"]) if m else None


def events_of(ctx: Context) -> list[LogEvent]:
    return [e for source, text in ctx.options.logs for e in read_log(text, source)]


def findings_for(events: Sequence[LogEvent], ctx: Context | None = None,
                 explained: Mapping[str, str] | None = None) -> list[Finding]:
    """One finding per logged event. One cause gives one error (issue 13): an event about an
    address a FAIL verdict row already explains (`explained`: address -> that row's rule), and
    an `SSL connection failed` line after the WARNING line that gives its reason (002 L372),
    are info: the evidence of that error."""
    explained = explained or {}
    warned: set[str] = set()
    out = []
    for e in events:
        finding = _finding(e, ctx)
        address = (e.sni or e.host).lower()
        if address in explained and e.id != LOG_MRA_PATH.id:
            finding = _evidence(finding, f"{explained[address]} for {e.sni or e.host}")
        elif e.id == LOG_SSL_FAIL.id and address in warned:
            finding = _evidence(finding, f"the WARNING line for {e.host} before it")
        if e.id in (LOG_SNI.id, LOG_CORE_SELF.id, LOG_CORE_CHAIN.id, LOG_CORE_OTHER.id):
            warned.add(address)
        out.append(finding)
    return out


def _evidence(finding: Finding, of: str) -> Finding:
    if finding.severity is not Severity.ERROR:
        return finding
    return replace(finding, severity=Severity.INFO,
                   message=f"{finding.message} Evidence of {of} (the error reported for it).")


def _finding(e: LogEvent, ctx: Context | None) -> Finding:
    rule = rules.get(e.id)
    where = f"{e.source}: {e.sni or e.host or e.server}".rstrip(": ")
    message = {
        LOG_CORE_SELF.id: f"Expressway-C refused the self-signed certificate of {e.sni} "
                          f"(server {e.server}, {e.ip}, depth=0, Action={e.action}).",
        LOG_CORE_CHAIN.id: f"{e.sni} sent a root Expressway-C does not trust (Error={e.error}, "
                           f"depth={e.depth}, server {e.server}, {e.ip}).",
        LOG_CORE_OTHER.id: f"Expressway-C could not verify the certificate of {e.sni}: "
                           f"{e.error} (depth={e.depth}, server {e.server}, {e.ip})."
                           + _other_hint(e.error),
        LOG_SNI.id: f"The address '{e.sni}' Expressway-C connected to is not in the server "
                    f"certificate (server {e.server}, {e.ip}, Action={e.action}).",
        LOG_SSL_FAIL.id: f"SSL connection to '{e.host}' failed (error:{e.code}, certificate "
                         "verify failed): Expressway-C could not validate the TLS handshake.",
        LOG_MRA_PATH.id: f"The proxied MRA request goes to {e.scheme}://{e.host}:{e.port} "
                         f"(domain {e.domain}); {e.host} must be in the node's certificates.",
    }.get(e.id, rule.message)
    message += _link(e, ctx)
    return rule.finding(message, where=where)


def _other_hint(error: str) -> str:
    low = error.lower()
    if "local issuer" in low:
        return (" The issuer is unknown or an intermediate is missing (TS-UNKNOWN-CA / "
                "TS-INT-MISSING).")
    if "issuer certificate" in low:
        return " The trust store has an intermediate but not its root (TS-ROOT-MISSING)."
    if "expired" in low or "not yet valid" in low:
        return " A certificate on the path is outside its validity (TS-VALIDITY)."
    return ""


def _link(e: LogEvent, ctx: Context | None) -> str:
    """What the given files say about the logged failure (seed-000-002 §2.4 -> §2.3)."""
    if ctx is None or not e.sni:
        return ""
    trusted = ctx.trusted_fingerprints
    notes = []
    for p in presented_of(ctx):
        has = has_name(p.leaf, e.sni)
        if e.id == LOG_SNI.id:
            notes.append(f"{p.source} ('{ci.label(p.leaf)}') "
                         + ("contains it, so the node presents another certificate" if has
                            else "lacks it too (SNI-ADDR-NOT-IN-CERT)"))
        elif e.id == LOG_CORE_SELF.id and has and ci.self_signed(p.leaf):
            state = "is" if fingerprint(p.leaf) in trusted else "is not"
            notes.append(f"{p.source} is self-signed and {state} in the trust list given")
    return (" Files: " + "; ".join(notes) + ".") if notes else ""
