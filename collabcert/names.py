"""Host names in certificates: FQDN and label syntax, IP and wildcard detection, list handling.

The checks return a reason (one plain sentence part) instead of raising, so a screen can show the
reason beside the field as it is typed; roles turn a reason into an InputError for the CLI.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

# seed-001 L425: labels of letters, digits and hyphens, separated by dots, not starting or ending
# with a hyphen; the last label starts with a letter (this also keeps IPs out, seed-001 G4/G5).
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")
MAX_LABEL = 63  # RFC 1035, NOT IN DOC: a CA refuses longer labels anyway
MAX_NAME = 253


def is_ip(text: str) -> bool:
    """An IPv4 or IPv6 address (CMS SANs may hold them, seed-003 G10; Expressway refuses them)."""
    try:
        ipaddress.ip_address(text.strip())
    except ValueError:
        return False
    return True


def is_wildcard(text: str) -> bool:
    """Any `*` in the name: Expressway refuses wildcards (seed-001 G6), CMS accepts them (G11)."""
    return "*" in text


def split_list(text: str | Iterable[str]) -> list[str]:
    """A comma separated value as a list, spaces around commas dropped (seed-003 G7, AT-04)."""
    parts = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    return [p.strip() for p in parts if p.strip()]


def dedupe(names: Iterable[str]) -> list[str]:
    """Drop repeated names, compared case-insensitively, keeping the first (seed-001 §1.14)."""
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        key = name.lower()
        if key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def label_problem(name: str) -> str | None:
    """Why `name` breaks the label syntax of seed-001 L425 (CRT-FQDN-SYNTAX), or None."""
    if not name:
        return "is empty"
    if not name.isascii():
        return "has non-ASCII letters; enter the punycode form (xn--...)"
    if any(c.isspace() for c in name):
        return "contains a space"
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    labels = name.split(".")
    for label in labels:
        if not label:
            return "has an empty label (two dots together, or a dot at the start or end)"
        if len(label) > MAX_LABEL:
            return f"has a label longer than {MAX_LABEL} characters"
        if label.startswith("-") or label.endswith("-"):
            return f"has a label that starts or ends with a hyphen ({label!r})"
        if not _LABEL.match(label):
            return f"has characters other than letters, digits and hyphens in {label!r}"
    if not labels[-1][0].isalpha():
        return "has a last label that does not start with a letter"
    return None


def fqdn_problem(name: str) -> str | None:
    """Why `name` is not a valid FQDN for Expressway (seed-001 G4-G6, L425), or None."""
    if is_ip(name):
        return "is an IP address, not an FQDN"
    if is_wildcard(name):
        return "is a wildcard; wildcard certificates are not supported"
    problem = label_problem(name)
    if problem:
        return problem
    if "." not in name:
        return "is a single label (a host name), not an FQDN"
    return None


def dns_name_problem(name: str, *, allow_wildcard: bool) -> str | None:
    """Why `name` is not a DNS name (or `*.` + a name, as CMS allows, seed-003 G11), or None."""
    if is_ip(name):
        return "is an IP address, not a DNS name"
    rest = name
    if allow_wildcard and name.startswith("*."):
        rest = name[2:]
    elif is_wildcard(name):
        if allow_wildcard:
            return "has a '*' that is not a whole leftmost label ('*.example.com')"
        return "is a wildcard; enter the full name"
    return label_problem(rest)


def is_single_label(name: str) -> bool:
    return "." not in name.strip(".") and not is_ip(name)


def san_kind(name: str) -> str:
    """`IP` or `DNS`: how a SAN entry is written in the CSR and in the preview."""
    return "IP" if is_ip(name) else "DNS"


def san_preview(names: Iterable[str]) -> str:
    """The preview as Expressway shows it: `DNS:a DNS:b` (seed-001 L473)."""
    return " ".join(f"{san_kind(n)}:{n}" for n in names)


# seed-001 L453 (ROLE-E-PRIVDOM): internal-only suffixes; the detection list is inferred.
PRIVATE_SUFFIXES = (
    ".local", ".lan", ".internal", ".intranet", ".corp", ".home", ".localdomain", ".private",
)


def looks_private(domain: str) -> bool:
    return domain.lower().rstrip(".").endswith(PRIVATE_SUFFIXES)
