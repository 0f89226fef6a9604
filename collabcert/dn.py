"""Name text, in one place: a certificate's CN, its RFC 4514 subject, the display name.

Every face and every check names certificates through these functions, so a certificate is
called the same thing in the CLI, the TUI, the findings and the files written.

Which CN: the FIRST CN attribute of the subject, the one OpenSSL's `-subject` shows first and
Traffic Server falls back to when a certificate has no matching SAN (seed-000-002 X14.2), so the
name shown is the name the box will match. A name pyca cannot read (a malformed RDN) never raises:
the CN is then "" and the text "(unreadable name)".
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

NO_SUBJECT = "(no subject)"
UNREADABLE = "(unreadable name)"


def common_name(name: x509.Name | None) -> str:
    """The first CN of `name`, or "" when it has none or cannot be read (None: pyca refused
    the whole name, collabcert/certparts.py)."""
    if name is None:
        return ""
    try:
        values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    except ValueError:
        return ""
    return str(values[0].value) if values else ""


# OpenSSL's short names where pyca writes a dotted OID (emailAddress, as `openssl x509` shows).
_NAMES = {NameOID.EMAIL_ADDRESS: "emailAddress"}


def rfc4514(name: x509.Name | None) -> str:
    """RFC 4514 text as pyca writes it (CN first, comma-separated); "" for an empty name."""
    if name is None:
        return UNREADABLE
    try:
        return name.rfc4514_string(_NAMES)
    except ValueError:
        return UNREADABLE


def display_name(name: x509.Name | None) -> str:
    """The name as the products and Windows show it: CN first, parts joined with ", "."""
    if name is None:
        return UNREADABLE
    try:
        rdns = list(name.rdns)
        return ", ".join(rdn.rfc4514_string(_NAMES) for rdn in reversed(rdns))
    except ValueError:
        return UNREADABLE


def name_label(name: x509.Name) -> str:
    """What a person calls a name: its CN, else its whole RFC 4514 text, else "(no subject)"."""
    return common_name(name) or rfc4514(name) or NO_SUBJECT


def _name(obj: Any, which: str) -> x509.Name | None:
    from collabcert.certparts import name_of  # the guarded way to a certificate's parts

    return name_of(obj, which)


def cn(obj: Any) -> str:
    """The CN of a certificate's or CSR's subject ("" when none or unreadable)."""
    name = _name(obj, "subject")
    return common_name(name) if name is not None else ""


def issuer_cn(cert: x509.Certificate) -> str:
    name = _name(cert, "issuer")
    return common_name(name) if name is not None else ""


def label(obj: Any) -> str:
    """How a certificate or CSR is named in a message: CN, else subject, else "(no subject)";
    "(unreadable name)" when pyca refuses the subject (an empty RDN)."""
    name = _name(obj, "subject")
    return name_label(name) if name is not None else UNREADABLE
