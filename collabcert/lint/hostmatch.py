"""Does a certificate hold a host name? Matched the way the products match it.

Expressway-C's Traffic Server (seed-000-002 §1.12) compares the address with the DNS SANs, then
the first CN; IP SANs are never consulted. Meeting Server (seed-003 G11) takes a `*.` SAN for
any one leftmost label, and IP SANs as they are.
"""

from __future__ import annotations

from typing import Any

from collabcert.dn import cn
from collabcert.lint import certinfo as ci


def ats_match(pattern: str, host: str) -> bool:
    """Traffic Server's name match: case-insensitive; '*' only as the whole leftmost label."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


def first_cn(cert: Any) -> str:
    """The first CN of the subject: the one Traffic Server falls back to (collabcert.dn.cn)."""
    return cn(cert)


def has_name(cert: Any, name: str) -> bool:
    """`name` matches a DNS SAN or the CN (traversal zones, logged SNI addresses)."""
    return any(ats_match(n, name) for n in ci.dns_sans(cert)) or ats_match(ci.cn(cert), name)


def covers(name: str, obj: Any) -> bool:
    """The name is a SAN entry, or a `*.` SAN entry covers it (seed-003 G11)."""
    return any(ats_match(n, name) for n in ci.dns_sans(obj)) or name in ci.ip_sans(obj)
