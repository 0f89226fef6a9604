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


# Naming a certificate that shares its name with another (issue 12 item 12): `'CN=x' was taken
# and 'CN=x' left out` tells nobody which is which, so wherever two certificates share a name a
# message names each with its file, serial and expiry, what a person can check on the box.


def serial_text(cert: Any, digits: int = 8) -> str:
    """The serial as the products show it, upper-case hex, the first `digits` digits."""
    text = format(cert.serial_number, "X")
    return text if len(text) <= digits else text[:digits] + "…"


def tell_apart(cert: Any, source: str = "") -> str:
    """`'CN=x' (expc2.pem, serial 5AE35D1F…, until 2027-12-04)`."""
    subject = _name(cert, "subject")
    name = rfc4514(subject) if subject is not None else UNREADABLE
    parts = ([source] if source else []) + [f"serial {serial_text(cert)}",
                                            f"until {_until(cert)}"]
    return f"'{name}' ({', '.join(parts)})"


def tell_all_apart(certs: Any, sources: Any = None) -> str:
    """Each of `certs` told apart, joined with `; ` (`sources`: fingerprint -> file name)."""
    from collabcert.chain import fingerprint

    names = sources or {}
    return "; ".join(tell_apart(c, names.get(fingerprint(c), "")) for c in certs)


def _until(cert: Any) -> str:
    try:
        return f"{cert.not_valid_after_utc:%Y-%m-%d}"
    except ValueError:  # a year pyca cannot hold (year 0): issue 11 item 12
        return "an unreadable date"
