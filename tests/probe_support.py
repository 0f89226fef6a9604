"""Servers the probe tests start on 127.0.0.1 and [::1] only, in threads of the test process
(Python `ssl`, certificates from tests/pki.py): TLS with a chosen chain, XMPP STARTTLS stubs of
the client (5222) and server (5269) styles on ephemeral ports, one that accepts and never
speaks, a port that refuses, and a small HTTP server for caIssuers downloads.

Nothing here reaches beyond loopback; every socket has a timeout so a test never hangs.
"""

from __future__ import annotations

import http.server
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID
from pki import DAY, NOW, Issued, issue, key_pem, name, pem_of

TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls"
IO_TIMEOUT = 5.0


@dataclass
class Site:
    """A PKI for one test module: root, issuing CA, and leaves made on demand."""

    root: Issued
    intermediate: Issued
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)

    def leaf(self, cn: str = "expe.example.com", sans: Sequence[str] | None = None,
             *, expired: bool = False, aia: str | None = None, days: int = 365,
             key_kind: str = "ec") -> Issued:
        extra = []
        if aia:
            extra.append(x509.AuthorityInformationAccess([x509.AccessDescription(
                AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(aia))]))
        kwargs = {"not_before": NOW - 400 * DAY, "not_after": NOW - DAY} if expired else {
            "not_after": NOW + days * DAY}
        return issue(cn, issuer=self.intermediate, sans=list(sans or [cn]), extra=extra,
                     key_kind=key_kind, **kwargs)

    def write(self, label: str, data: bytes) -> Path:
        path = self.folder / label
        path.write_bytes(data)
        self.files[label] = path
        return path

    @property
    def root_file(self) -> Path:
        return self.files.get("root.pem") or self.write("root.pem", pem_of(self.root.cert))


def make_site(folder: Path) -> Site:
    root = issue(name("Probe Test Root", "Example"), ca=True, not_after=NOW + 3650 * DAY)
    intermediate = issue(name("Probe Issuing CA", "Example"), issuer=root, ca=True,
                         path_length=0)
    return Site(root, intermediate, folder)


def server_context(chain: Sequence[x509.Certificate], leaf: Issued, *,
                   ask_client_cert: bool = False, trust: Issued | None = None,
                   also: tuple[Sequence[x509.Certificate], Issued] | None = None,
                   require_tls12: bool = False) -> ssl.SSLContext:
    """`also`: a second chain and key of the other key type (CUCM's tomcat and tomcat-ECDSA
    on one port): OpenSSL then presents the one the client's ciphers ask for."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if require_tls12:  # a client certificate required, refused with an alert in the handshake
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        context.verify_mode = ssl.CERT_REQUIRED
        ask_client_cert = False
    with tempfile.TemporaryDirectory() as folder:
        for number, (certs, owner) in enumerate([(chain, leaf), *([also] if also else [])]):
            cert_file = Path(folder) / f"chain{number}.pem"
            key_file = Path(folder) / f"key{number}.pem"
            cert_file.write_bytes(pem_of(*certs))
            key_file.write_bytes(key_pem(owner.key))
            context.load_cert_chain(cert_file, key_file)  # the chain exactly as given
        if ask_client_cert:
            context.verify_mode = ssl.CERT_OPTIONAL  # asks, as Expressway traversal does
            if trust is not None:
                ca_file = Path(folder) / "ca.pem"
                ca_file.write_bytes(pem_of(trust.cert))
                context.load_verify_locations(ca_file)
    return context


class Server:
    """A listening socket on loopback and a thread that serves each connection."""

    def __init__(self, handle, host: str = "127.0.0.1", port: int = 0) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        if port:  # a fixed port (snapshots show it): one a closed earlier run left is fine
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.host, self.port = host, self.sock.getsockname()[1]
        self.handle = handle
        self.stopped = threading.Event()
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    @property
    def target(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def _loop(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(IO_TIMEOUT)
            self.held.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self.handle(conn)
        except (OSError, ssl.SSLError, ValueError):
            pass  # the probe hangs up once it has the chain: expected
        finally:
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(2)
        self.sock.close()
        for conn in self.held:
            conn.close()


def tls_handler(context: ssl.SSLContext, starttls: str | None = None):
    def handle(conn: socket.socket) -> None:
        if starttls:
            _xmpp_server_side(conn, starttls)
        with context.wrap_socket(conn, server_side=True) as tls:
            tls.recv(1)  # until the probe closes
    return handle


def _xmpp_server_side(conn: socket.socket, dialect: str) -> None:
    """A minimal XMPP server: the stream header, <starttls/> offered, <proceed/>."""
    header = _read_until(conn, b">", after=b"<stream:stream")
    namespace = b"jabber:server" if dialect == "xmpp-server" else b"jabber:client"
    if namespace not in header:
        conn.sendall(b"<stream:stream><stream:error><invalid-namespace/></stream:error>")
        raise ValueError("wrong stream namespace")
    conn.sendall(b"<?xml version='1.0'?><stream:stream xmlns='" + namespace + b"' "
                 b"xmlns:stream='http://etherx.jabber.org/streams' id='1' version='1.0'>"
                 b"<stream:features><starttls xmlns='" + TLS_NS.encode() + b"'><required/>"
                 b"</starttls></stream:features>")
    _read_until(conn, b"/>", after=b"<starttls")
    conn.sendall(b"<proceed xmlns='" + TLS_NS.encode() + b"'/>")


def _read_until(conn: socket.socket, end: bytes, after: bytes) -> bytes:
    data = b""
    while not (after in data and end in data[data.find(after):]):
        chunk = conn.recv(1)  # byte by byte: nothing of the TLS handshake is read here
        if not chunk:
            raise ValueError("closed")
        data += chunk
    return data


def silent_handler(conn: socket.socket) -> None:
    while conn.recv(4096):  # accepts, reads, never speaks; ends when the probe hangs up
        pass


@contextmanager
def tls_server(chain: Sequence[x509.Certificate], leaf: Issued, *, host: str = "127.0.0.1",
               starttls: str | None = None, ask_client_cert: bool = False,
               trust: Issued | None = None,
               also: tuple[Sequence[x509.Certificate], Issued] | None = None,
               require_tls12: bool = False, port: int = 0) -> Iterator[Server]:
    context = server_context(chain, leaf, ask_client_cert=ask_client_cert, trust=trust,
                             also=also, require_tls12=require_tls12)
    server = Server(tls_handler(context, starttls), host, port)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def silent_server() -> Iterator[Server]:
    server = Server(silent_handler)
    try:
        yield server
    finally:
        server.close()


HOLD_LIMIT = 30.0  # a held connection is let go after this even if the test never says so


@contextmanager
def held_server(port: int = 0) -> Iterator[Server]:
    """A server that accepts and stays silent until `server.release.set()` (then hangs up on
    every connection): the test decides when the probe of it ends, so "still connecting" is a
    state to wait for, not a race against the probe's timeout."""
    release = threading.Event()

    def handle(conn: socket.socket) -> None:
        release.wait(HOLD_LIMIT)

    server = Server(handle, port=port)
    server.release = release  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        release.set()
        server.close()


def refused_port() -> int:
    """A loopback port nothing listens on (bound, then closed: the kernel refuses it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Files(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = self.files.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args) -> None:
        pass


@contextmanager
def http_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    """An HTTP server on 127.0.0.1: (base URL, the files it serves by path, to fill in)."""
    files: dict[str, bytes] = {}
    handler = type("Files", (_Files,), {"files": files})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", files
    finally:
        server.shutdown()
        server.server_close()
