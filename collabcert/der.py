"""Just enough DER/BER reading to tell what a binary file is before handing it to pyca.

pyca tells only "could not parse"; sniffing the outer structure lets us pick the right reader
(PKCS#12 needs a password, PKCS#7 may be BER) and say plainly why a file is unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

_SEQUENCE, _INTEGER, _OCTET_STRING, _OID = 0x30, 0x02, 0x04, 0x06
_PKCS7_OID_PREFIX = bytes.fromhex("2a864886f70d0107")  # 1.2.840.113549.1.7 (PKCS#7 content types)


class Shape(Enum):
    PKCS12 = "PKCS#12"
    PKCS7 = "PKCS#7"
    OTHER = "other"
    NOT_DER = "not DER"


@dataclass(frozen=True)
class Tlv:
    tag: int
    start: int  # offset of the tag byte
    content: int  # offset of the first content byte
    length: int | None  # None for a BER indefinite length

    @property
    def end(self) -> int | None:
        return None if self.length is None else self.content + self.length


def read_tlv(data: bytes, offset: int = 0) -> Tlv | None:
    """The tag-length header at `offset`, or None when it is not a valid header there."""
    if offset + 2 > len(data):
        return None
    tag, first = data[offset], data[offset + 1]
    if tag & 0x1F == 0x1F:
        return None  # high tag numbers never appear in the structures we read
    if first < 0x80:
        return Tlv(tag, offset, offset + 2, first)
    if first == 0x80:
        return Tlv(tag, offset, offset + 2, None)
    count = first & 0x7F
    if count > 4 or offset + 2 + count > len(data):
        return None
    length = int.from_bytes(data[offset + 2 : offset + 2 + count], "big")
    return Tlv(tag, offset, offset + 2 + count, length)


def children(data: bytes, parent: Tlv, limit: int = 3) -> list[Tlv]:
    """The first `limit` elements directly inside `parent` (offsets are into `data`)."""
    found: list[Tlv] = []
    offset = parent.content
    while len(found) < limit:
        child = read_tlv(data, offset)
        if child is None or child.length is None:
            if child is not None:
                found.append(child)
            break
        found.append(child)
        offset = child.content + child.length
    return found


def sniff(data: bytes) -> Shape:
    outer = read_tlv(data)
    if outer is None or outer.tag != _SEQUENCE:
        return Shape.NOT_DER
    kids = children(data, outer)
    if len(kids) >= 2 and kids[0].tag == _INTEGER and kids[1].tag == _SEQUENCE:
        if data[kids[0].content : kids[0].content + 1] == b"\x03" and kids[0].length == 1:
            return Shape.PKCS12  # PFX ::= SEQUENCE { version INTEGER (3), authSafe, macData }
    if kids and kids[0].tag == _OID and kids[0].length is not None:
        oid = data[kids[0].content : kids[0].content + kids[0].length]
        if oid.startswith(_PKCS7_OID_PREFIX):
            return Shape.PKCS7
    return Shape.OTHER


def has_indefinite_length(data: bytes) -> bool:
    """True when the outer structures use BER indefinite lengths (e.g. Windows .p7b exports)."""
    outer = read_tlv(data)
    if outer is None:
        return False
    if outer.length is None:
        return True
    return any(kid.length is None for kid in children(data, outer))


def first_element(data: bytes) -> bytes:
    """The first complete TLV: a TRUSTED CERTIFICATE is a certificate followed by trust data."""
    outer = read_tlv(data)
    if outer is None or outer.end is None or outer.end > len(data):
        return data
    return data[: outer.end]


def is_encrypted_pkcs8(data: bytes) -> bool:
    """EncryptedPrivateKeyInfo starts with an AlgorithmIdentifier; PrivateKeyInfo with INTEGER 0."""
    outer = read_tlv(data)
    if outer is None or outer.tag != _SEQUENCE:
        return False
    kids = children(data, outer, limit=2)
    return len(kids) == 2 and kids[0].tag == _SEQUENCE and kids[1].tag == _OCTET_STRING


def key_form(data: bytes) -> str:
    """PKCS#8, PKCS#1 (RSA) or SEC1 (EC) for an unencrypted DER private key."""
    outer = read_tlv(data)
    if outer is None:
        return "DER"
    kids = children(data, outer, limit=2)
    if len(kids) == 2 and kids[0].tag == _INTEGER:
        if kids[1].tag == _SEQUENCE:
            return "PKCS#8"
        if kids[1].tag == _INTEGER:
            return "PKCS#1"
        if kids[1].tag == _OCTET_STRING:
            return "SEC1"
    return "DER"


def describe(data: bytes) -> str:
    """Why a binary input could not be read, in plain words."""
    outer = read_tlv(data)
    if outer is None or outer.tag != _SEQUENCE:
        return "is not a certificate, CSR, key, PKCS#7 or PKCS#12 (neither PEM text nor DER)"
    if outer.end is not None and outer.end > len(data):
        return (
            f"is cut short: its DER header announces {outer.end} bytes but the file has "
            f"{len(data)}; copy the file again"
        )
    if outer.end is not None and outer.end < len(data):
        extra = len(data) - outer.end
        return f"looks like DER but is not a certificate, CSR or key ({extra} bytes follow it)"
    return "is DER but not a certificate, CSR, private key, PKCS#7 or PKCS#12"


def split_elements(data: bytes) -> tuple[list[bytes], bytes]:
    """The complete definite-length elements one after another from the start, and the bytes
    after the last one (a run of DER certificates, or one followed by a newline or NULs)."""
    elements: list[bytes] = []
    offset = 0
    while offset < len(data):
        tlv = read_tlv(data, offset)
        if tlv is None or tlv.tag != _SEQUENCE or tlv.end is None or tlv.end > len(data):
            break
        elements.append(data[offset : tlv.end])
        offset = tlv.end
    return elements, data[offset:]


def looks_like_certificate(data: bytes) -> bool:
    """SEQUENCE { tbs SEQUENCE, algorithm SEQUENCE, signature BIT STRING } whose tbs starts with
    a [0] version, or a serial then an AlgorithmIdentifier (a CSR's info has a Name there)."""
    outer = read_tlv(data)
    if outer is None or outer.tag != _SEQUENCE:
        return False
    kids = children(data, outer)
    if len(kids) != 3 or [k.tag for k in kids] != [_SEQUENCE, _SEQUENCE, 0x03]:
        return False
    fields = children(data, kids[0], limit=2)
    if fields and fields[0].tag == 0xA0:
        return True
    if len(fields) == 2 and fields[0].tag == _INTEGER and fields[1].tag == _SEQUENCE:
        inner = read_tlv(data, fields[1].content)
        return inner is not None and inner.tag == _OID
    return False


def encode_tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + content


_SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")
_DATA_OID = bytes.fromhex("06092a864886f70d010701")


def certs_only_pkcs7(certificates_der: list[bytes]) -> bytes:
    """A certificates-only SignedData (what `openssl crl2pkcs7 -nocrl` writes), in the given order.

    DER would sort the SET OF certificates (pyca does); keeping the order people chose (leaf first,
    or root first for a trust list) matters more to them, and every reader accepts it.
    """
    signed_data = b"".join(
        [
            encode_tlv(_INTEGER, b"\x01"),  # version
            encode_tlv(0x31, b""),  # digestAlgorithms: none
            encode_tlv(_SEQUENCE, _DATA_OID),  # encapContentInfo: data, no content
            encode_tlv(0xA0, b"".join(certificates_der)),  # [0] certificates
            encode_tlv(0x31, b""),  # signerInfos: none
        ]
    )
    content = encode_tlv(0xA0, encode_tlv(_SEQUENCE, signed_data))
    return encode_tlv(_SEQUENCE, _SIGNED_DATA_OID + content)
