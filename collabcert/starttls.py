"""Just enough XMPP to start TLS (RFC 6120 §5): the stream header, the <starttls/> feature,
<starttls/>, <proceed/>. `xmpp` is a client stream (port 5222, IM&P / Expressway-E for Jabber),
`xmpp-server` a server-to-server stream (5269, XMPP federation).

Every read is bounded in size and by the probe's deadline; what the server says is never
parsed as XML, only searched for the few elements that matter.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from collabcert.probe import ProbeFailed, Target, wait_for

MAX_BYTES = 64 * 1024  # a features element is a few hundred bytes; more is not XMPP
TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls"
_NAMESPACE = {"xmpp": "jabber:client", "xmpp-server": "jabber:server"}


def stream_header(dialect: str, domain: str) -> bytes:
    return (f"<?xml version='1.0'?><stream:stream to='{_attr(domain)}' "
            f"xmlns='{_NAMESPACE[dialect]}' xmlns:stream='http://etherx.jabber.org/streams' "
            "version='1.0'>").encode()


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;")


def negotiate(sock: socket.socket, dialect: str, domain: str, *, target: Target,
              deadline: float, timeout: float) -> None:
    """Bring the connection to the point where the TLS handshake starts (ProbeFailed if not).
    `timeout` is the probe's whole budget, for the message; `deadline` when it ends."""
    _send(sock, stream_header(dialect, domain), deadline, timeout, target)
    features = _read_until(sock, _features_done, deadline, timeout, target)
    if TLS_NS not in features:
        raise ProbeFailed(f"XMPP: {target.label} offers no STARTTLS in its stream features")
    _send(sock, f"<starttls xmlns='{TLS_NS}'/>".encode(), deadline, timeout, target)
    answer = _read_until(sock, lambda t: "<proceed" in t or "<failure" in t, deadline, timeout,
                         target)
    if "<proceed" not in answer:
        raise ProbeFailed(f"XMPP: {target.label} refused STARTTLS (<failure/>)")


def _send(sock: socket.socket, data: bytes, deadline: float, timeout: float,
          target: Target) -> None:
    while data:
        wait_for(sock, deadline, timeout, target, write=True)
        try:
            data = data[sock.send(data):]
        except BlockingIOError:
            continue
        except OSError as exc:
            raise ProbeFailed(f"XMPP: {target.label}: {exc.strerror or exc}") from exc


def _features_done(text: str) -> bool:
    """The features are complete, or the STARTTLS feature is there in full."""
    at = text.find(TLS_NS)
    return "</stream:features>" in text or (at >= 0 and ">" in text[at:])


def _read_until(sock: socket.socket, done: Callable[[str], bool], deadline: float,
                timeout: float, target: Target) -> str:
    """What the server sent, read until `done(text)` (bounded by MAX_BYTES and the deadline)."""
    text = ""
    while len(text) < MAX_BYTES:
        wait_for(sock, deadline, timeout, target, write=False)
        try:
            chunk = sock.recv(4096)
        except BlockingIOError:
            continue
        except OSError as exc:
            raise ProbeFailed(f"XMPP: {target.label}: {exc.strerror or exc}") from exc
        if not chunk:
            raise ProbeFailed(f"XMPP: {target.label} closed the stream before TLS")
        text += chunk.decode("utf-8", "replace")
        if "<stream:error" in text:
            raise ProbeFailed(f"XMPP: {target.label} answered with a stream error")
        if done(text):
            return text
    raise ProbeFailed(f"XMPP: {target.label} sent more than {MAX_BYTES} bytes before TLS")
