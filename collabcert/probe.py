"""Read what a live server presents: the TLS handshake, as a client that trusts nothing.

`capture(target, ...)` connects (direct TLS or XMPP STARTTLS, collabcert.starttls), sends the SNI
it is told to (none for an address: the X14.2 case of seed 002, L579-591), records the chain
exactly as presented and in order, the negotiated version and cipher, and whether the server
sent a CertificateRequest. It never sends a client certificate and verifies nothing: trust is
judged afterwards by the engine (collabcert.jobs.probe), never by the TLS library.

Why pyOpenSSL (issue 14 item 8): Python 3.11's `ssl` returns only the leaf of an unverified
connection (`get_unverified_chain` arrives in 3.13); pyOpenSSL, pyca's own binding of the same
OpenSSL, returns the whole chain as sent. It is imported only when a probe runs, so
`collabcert --help` never loads it.

Network failures never raise: a Capture carries the reason (refused, timed out, DNS, TLS alert).
"""

from __future__ import annotations

import ipaddress
import select
import socket
import time
from dataclasses import dataclass, field

from cryptography import x509

from collabcert.errors import InputError

DEFAULT_PORT = 443
DEFAULT_TIMEOUT = 5.0
# STARTTLS by port (issue 14 item 2): XMPP client and server; every other port is direct TLS
# (443, 8443, 5061 SIP, 7001 traversal, 6972, 5223 ...).
STARTTLS_BY_PORT = {5222: "xmpp", 5269: "xmpp-server"}
STARTTLS_MODES = ("auto", "none", "xmpp", "xmpp-server")


class ProbeFailed(Exception):
    """A target could not be reached or spoken to; the message is the reason, plain words."""


@dataclass(frozen=True)
class Target:
    host: str  # a name or an address, without brackets
    port: int
    text: str  # as the person wrote it

    @property
    def is_address(self) -> bool:
        return _is_ip(self.host)

    @property
    def label(self) -> str:
        """host:port, an IPv6 address in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class Capture:
    """What one connection showed. `error` is "" when the handshake gave a chain."""

    target: Target
    sni: str | None
    starttls: str  # "none", "xmpp" or "xmpp-server": what was spoken
    chain: tuple[x509.Certificate, ...] = ()  # as presented, in order
    tls_version: str = ""
    cipher: str = ""
    client_cert_requested: bool = False  # the server sent a CertificateRequest
    client_ca_names: tuple[str, ...] = ()  # the CA names it listed, RFC 4514
    error: str = ""  # why it could not be read: refused, timed out, DNS, TLS alert
    alert: str = ""  # the server ended the handshake after sending its chain
    seconds: float = field(default=0.0, compare=False)

    @property
    def reached(self) -> bool:
        return not self.error


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_target(text: str, default_port: int = DEFAULT_PORT) -> Target:
    """`host[:port]`, `[v6]:port`, a bare IPv6 address; InputError (one sentence) when not."""
    raw = text.strip()
    if not raw:
        raise InputError("an empty target; write it as host[:port]")
    if raw.startswith("["):
        host, sep, rest = raw[1:].partition("]")
        if not sep or not _is_ip(host) or (rest and not rest.startswith(":")):
            raise InputError(f"{text!r}: write an IPv6 target as [address]:port")
        port_text = rest[1:] if rest else ""
    elif raw.count(":") > 1:
        host, port_text = raw, ""  # a bare IPv6 address: no port can be told from it
        if not _is_ip(host):
            raise InputError(f"{text!r}: write an IPv6 target as [address]:port")
    else:
        host, _, port_text = raw.partition(":")
    return Target(_checked_host(host, text), _port(port_text, default_port, text), raw)


def _checked_host(host: str, text: str) -> str:
    if not host or any(c.isspace() or c in "/@" for c in host):
        raise InputError(f"{text!r}: not a host name or address; write host[:port]")
    return host


def _port(port_text: str, default: int, text: str) -> int:
    if not port_text:
        return default
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InputError(f"{text!r}: the port must be a number from 1 to 65535")
    return int(port_text)


def default_sni(target: Target) -> str | None:
    """The host when it is a name; none for an address (RFC 6066 §3 forbids an address as SNI,
    and that is exactly what Expressway-C X14.2 does when a node is known by its IP)."""
    return None if target.is_address else target.host


def starttls_for(mode: str, port: int) -> str:
    """The STARTTLS dialect to speak: `auto` picks it by port (5222, 5269), else direct TLS."""
    if mode == "auto":
        return STARTTLS_BY_PORT.get(port, "none")
    if mode not in STARTTLS_MODES:
        raise InputError(f"--starttls {mode}: choose one of {', '.join(STARTTLS_MODES)}")
    return mode


def capture(target: Target, *, sni: str | None, starttls: str = "none",
            timeout: float = DEFAULT_TIMEOUT, key_type: str = "") -> Capture:
    """Connect, handshake and record; never raises for a network or TLS failure.
    `key_type` "rsa" or "ecdsa" asks for that certificate of a box that has both (CUCM
    tomcat and tomcat-ECDSA, seed 002 L242-244) by offering TLS 1.2 with only those ciphers."""
    started = time.monotonic()
    deadline = started + timeout
    base = Capture(target, sni, starttls)
    try:
        sock = _connect(target, timeout)
    except ProbeFailed as exc:
        return _done(base, started, error=str(exc))
    try:
        if starttls != "none":
            from collabcert.starttls import negotiate

            negotiate(sock, starttls, sni or target.host, target=target, deadline=deadline,
                      timeout=timeout)
        return _done(_handshake(sock, base, deadline, timeout, key_type), started)
    except ProbeFailed as exc:
        return _done(base, started, error=str(exc))
    finally:
        sock.close()


def _done(result: Capture, started: float, **changes: object) -> Capture:
    from dataclasses import replace

    return replace(result, seconds=time.monotonic() - started, **changes)


def _connect(target: Target, timeout: float) -> socket.socket:
    try:
        sock = socket.create_connection((target.host, target.port), timeout=timeout)
    except socket.gaierror as exc:
        raise ProbeFailed(f"DNS: {target.host} cannot be resolved ({exc.strerror})") from exc
    except ConnectionRefusedError as exc:
        raise ProbeFailed(f"refused: nothing listens on {target.label}") from exc
    except TimeoutError as exc:
        raise ProbeFailed(f"timed out after {timeout:g} s connecting to {target.label}") from exc
    except OSError as exc:
        raise ProbeFailed(f"cannot connect to {target.label}: {exc.strerror or exc}") from exc
    except UnicodeError as exc:  # a name IDNA cannot encode never reaches a resolver
        raise ProbeFailed(f"DNS: {target.host!r} is not a valid host name") from exc
    sock.setblocking(False)  # pyOpenSSL drives the socket; we wait with select, bounded
    return sock


def _handshake(sock: socket.socket, base: Capture, deadline: float, timeout: float,
               key_type: str = "") -> Capture:
    from dataclasses import replace

    from OpenSSL import SSL

    seen = {"request": False}
    conn = SSL.Connection(_client_context(seen, key_type), sock)
    conn.set_connect_state()
    if base.sni:
        try:
            conn.set_tlsext_host_name(base.sni.encode("idna"))
        except UnicodeError as exc:
            raise ProbeFailed(f"--sni {base.sni!r}: not a valid host name") from exc
    alert = ""
    try:
        _drive(conn, sock, deadline, timeout, base.target)
    except SSL.Error as exc:
        alert = _alert_text(exc)
    chain = tuple(conn.get_peer_cert_chain(as_cryptography=True) or ())
    if not chain:
        raise ProbeFailed(f"TLS alert: {alert}" if alert else "TLS: the server sent no certificate")
    return replace(base, chain=chain, tls_version=conn.get_protocol_version_name(),
                   cipher=conn.get_cipher_name() or "", client_cert_requested=seen["request"],
                   client_ca_names=tuple(n.CN or str(n) for n in conn.get_client_ca_list()),
                   alert=alert)


_CIPHERS = {"rsa": b"aRSA", "ecdsa": b"aECDSA"}  # OpenSSL's names: by the key that signs


def _client_context(seen: dict[str, bool], key_type: str = ""):
    from OpenSSL import SSL

    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    context.set_verify(SSL.VERIFY_NONE)  # trust is ours to judge (DESIGN.md probe contract)
    if key_type:
        # TLS 1.3 picks the certificate by signature algorithm, which pyOpenSSL cannot set;
        # TLS 1.2's cipher suites name the key type, so they choose it.
        context.set_max_proto_version(SSL.TLS1_2_VERSION)
        context.set_cipher_list(_CIPHERS[key_type])

    def info(conn, _where: int, _ret: int) -> None:
        # The state names the CertificateRequest in TLS 1.2 and 1.3 alike; pyOpenSSL has no
        # client-certificate callback, and without a certificate loaded none is ever sent.
        if b"certificate request" in conn.get_state_string():
            seen["request"] = True

    context.set_info_callback(info)
    return context


def _drive(conn, sock: socket.socket, deadline: float, timeout: float, target: Target) -> None:
    from OpenSSL import SSL

    while True:
        try:
            conn.do_handshake()
            return
        except SSL.WantReadError:
            wait_for(sock, deadline, timeout, target, write=False)
        except SSL.WantWriteError:
            wait_for(sock, deadline, timeout, target, write=True)
        except SSL.SysCallError as exc:
            raise ProbeFailed(_syscall_text(exc, target)) from exc
        except SSL.ZeroReturnError as exc:
            raise ProbeFailed("TLS: the server closed the connection") from exc


def wait_for(sock: socket.socket, deadline: float, timeout: float, target: Target, *,
             write: bool) -> None:
    """Wait until the socket can be read (or written) or the deadline passes (ProbeFailed)."""
    left = deadline - time.monotonic()
    if left > 0:
        readers, writers = ([], [sock]) if write else ([sock], [])
        if any(select.select(readers, writers, [], left)):
            return
    raise ProbeFailed(f"timed out after {timeout:g} s: {target.label} accepted the connection "
                      "but did not answer")


def _alert_text(exc: Exception) -> str:
    reasons = [part[2] for part in getattr(exc, "args", [[]])[0] if len(part) > 2 and part[2]]
    return "; ".join(reasons) or str(exc) or "the handshake failed"


def _syscall_text(exc: Exception, target: Target) -> str:
    args = getattr(exc, "args", ())
    if args and args[0] == -1:
        return f"TLS: {target.label} closed the connection during the handshake"
    return f"TLS: {target.label}: {args[1] if len(args) > 1 else exc}"
