"""Fetch a missing issuer from the caIssuers URL of the certificate that needs it (RFC 5280
§4.2.2.1), only when the person asked for it (`--fetch-missing`, issue 14 item 6).

HTTP only (caIssuers is served over plain HTTP; the answer is checked by signature, not by the
transport), one file of at most MAX_BYTES, within the timeout, at most MAX_REDIRECTS http
redirects. The answer may be DER, PEM or PKCS#7 (DER or PEM): collabcert.load reads all three.
The chain builder then decides whether what came back really signed the certificate.
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509

MAX_BYTES = 256 * 1024  # an issuer certificate is 1-2 KB; a PKCS#7 of a chain a few KB
MAX_REDIRECTS = 3
MAX_ROUNDS = 4  # leaf -> intermediate -> intermediate -> root at most


@dataclass(frozen=True)
class Fetched:
    """One caIssuers download: where from, what came back, or why nothing did."""

    url: str
    needed_by: str  # the subject of the certificate whose issuer was missing
    certificates: tuple[x509.Certificate, ...] = ()
    error: str = ""

    def sentence(self) -> str:
        if self.error:
            return f"could not fetch the issuer of '{self.needed_by}' from {self.url}: {self.error}"
        names = ", ".join(f"'{c.subject.rfc4514_string()}'" for c in self.certificates)
        return f"fetched {names} from {self.url} (the issuer of '{self.needed_by}')"

    def to_json(self) -> dict[str, object]:
        from collabcert.chain import fingerprint

        return {"url": self.url, "needed_by": self.needed_by, "error": self.error,
                "fingerprints": [fingerprint(c) for c in self.certificates]}


def fetch_missing(pool: Sequence[x509.Certificate], leaf: x509.Certificate, *,
                  timeout: float = 5.0) -> tuple[Fetched, ...]:
    """Follow caIssuers from the chain's end until it is complete or nothing more can be
    fetched; each URL at most once. Returns every download tried, in order."""
    from collabcert.chain import build_chain

    have = list(pool)
    done: list[Fetched] = []
    for _ in range(MAX_ROUNDS):
        missing = build_chain(have, leaf=leaf).missing_issuer
        urls = [u for u in (missing.ca_issuers if missing else ()) if u not in
                {f.url for f in done}]
        if missing is None or not urls:
            break
        got = fetch(urls[0], missing.needed_by_subject, timeout=timeout)
        done.append(got)
        have += got.certificates
    return tuple(done)


def fetch(url: str, needed_by: str, *, timeout: float = 5.0) -> Fetched:
    """One URL: the certificates it serves, or the reason it gave none (never raises)."""
    try:
        data = _download(url, timeout)
    except _FetchError as exc:
        return Fetched(url, needed_by, error=str(exc))
    certificates = _certificates_in(data, url)
    if not certificates:
        return Fetched(url, needed_by, error="the answer holds no certificate (DER, PEM or "
                       "PKCS#7 expected)")
    return Fetched(url, needed_by, tuple(certificates))


class _FetchError(Exception):
    pass


def _download(url: str, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() != "http" or not parts.hostname:
            raise _FetchError("only http:// caIssuers URLs are followed")
        status, location, body = _get(parts, max(deadline - time.monotonic(), 0.1))
        if status in (301, 302, 303, 307, 308) and location:
            url = urllib.parse.urljoin(url, location)
            continue
        if status != 200:
            raise _FetchError(f"HTTP {status}")
        return body
    raise _FetchError(f"more than {MAX_REDIRECTS} redirects")


def _get(parts: urllib.parse.SplitResult, timeout: float) -> tuple[int, str, bytes]:
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request("GET", path, headers={"User-Agent": "collabcert", "Accept": "*/*"})
        response = conn.getresponse()
        body = response.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise _FetchError(f"the answer is larger than {MAX_BYTES // 1024} KB")
        return response.status, response.getheader("Location", ""), body
    except TimeoutError as exc:
        raise _FetchError(f"timed out after {timeout:.1f} s") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _FetchError(getattr(exc, "strerror", None) or str(exc) or type(exc).__name__) \
            from exc
    finally:
        conn.close()


def _certificates_in(data: bytes, url: str) -> list[x509.Certificate]:
    from collabcert.errors import InputError
    from collabcert.load import load_bytes

    try:
        return load_bytes(data, url).certificates
    except InputError:
        return []


def fetch_for_files(certificates: Sequence[x509.Certificate], *, timeout: float = 5.0
                    ) -> tuple[Fetched, ...]:
    """`--fetch-missing` of bundle and inspect: for each server certificate among the files,
    fetch what its chain lacks; each URL once."""
    from collabcert.chain import server_identity

    done: dict[str, Fetched] = {}
    pool = list(certificates)
    for leaf in [c for c in certificates if server_identity(c)]:
        for item in fetch_missing(pool, leaf, timeout=timeout):
            if item.url not in done:
                done[item.url] = item
                pool += item.certificates
    return tuple(done.values())


def as_loaded(item: Fetched):
    """A download as one more input (collabcert.load.Loaded), named by where it came from."""
    from collabcert.load import Item, ItemKind, Loaded

    source = f"fetched from {item.url}"
    return Loaded(source, [Item(ItemKind.CERTIFICATE, cert, "fetched over AIA", source, index)
                           for index, cert in enumerate(item.certificates, start=1)])
