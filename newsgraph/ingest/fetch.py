"""Fetching pages and feeds over HTTP(S): politely, within a time and size limit, with one-line errors.

`Fetcher.fetch(url)` returns a `FetchResult` or raises `FetchError`, whose text says what went wrong in
words a reader of a batch log understands (DNS failure, connection refused, timeout, HTTP 404, too
large); the readers turn it into an `InputProblem`. Requests to one host are spaced out (one a second by
default) so that reading a feed does not hammer the site that publishes it. Only public addresses are
fetched from, redirects included, unless `allow_private_urls` (see `newsgraph.ingest.addresses`).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsgraph import __version__
from newsgraph.ingest.base import DEFAULT_MAX_BYTES, one_line, size_label

if TYPE_CHECKING:
    import httpx

DEFAULT_TIMEOUT = 10.0
DEFAULT_MIN_INTERVAL = 1.0
DEFAULT_MAX_REDIRECTS = 10
USER_AGENT = f"newsgraph/{__version__} (news article reader; python-httpx)"
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
SCHEMES = {"http", "https"}

_DNS_FAILURE_TEXTS = ("name or service not known", "nodename nor servname", "name resolution", "getaddrinfo",
                      "no address associated")


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int
    content_type: str  # the Content-Type header as sent, parameters included ("" when absent)
    body: bytes

    @property
    def media_type(self) -> str:
        return self.content_type.partition(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        return charset_of(self.content_type)


class FetchError(Exception):
    """A URL that could not be fetched; `str()` is the one-line reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason


def charset_of(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


class Fetcher:
    """An HTTP(S) client for the readers. Use it as a context manager, or call `close()`.

    `clock` and `sleep` are there so tests can check the spacing of requests without waiting.
    """

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                 min_interval: float = DEFAULT_MIN_INTERVAL, user_agent: str = USER_AGENT,
                 max_redirects: int = DEFAULT_MAX_REDIRECTS, allow_private_urls: bool = False,
                 transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        import httpx  # imported here so that `import newsgraph.ingest` stays quick for commands that never fetch

        if transport is None and not allow_private_urls:
            from newsgraph.ingest.addresses import public_only_transport

            # With a transport of its own, httpx leaves HTTP(S)_PROXY unused: through a proxy, the address
            # connected to would be the proxy's, and the check could not see where a request goes.
            transport = public_only_transport()
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True,
                                    max_redirects=max_redirects, transport=transport,
                                    headers={"User-Agent": user_agent, "Accept": ACCEPT})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> FetchResult:
        import httpx

        from newsgraph.ingest.addresses import AddressRefused

        if urlsplit(url).scheme.lower() not in SCHEMES:
            raise FetchError(url, "only http and https URLs can be fetched")
        self._wait_for_turn(url)
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
                body = self._read_body(url, response)
                return FetchResult(str(response.url), response.status_code,
                                   response.headers.get("content-type", ""), body)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(url, describe_http_error(exc, url, self.timeout)) from exc
        except AddressRefused as exc:
            raise FetchError(url, exc.reason(urlsplit(url).hostname or "")) from exc

    def _wait_for_turn(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        last = self._last_request.get(host)
        if last is not None and self.min_interval > 0:
            wait = last + self.min_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        too_large = f"response is over the {size_label(self.max_bytes)} limit"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, too_large)
        chunks: list[bytes] = []
        received = 0
        # Counted after decompression, so a small gzip bomb cannot slip past the limit.
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > self.max_bytes:
                raise FetchError(url, too_large)
            chunks.append(chunk)
        return b"".join(chunks)


def describe_http_error(exc: Exception, url: str, timeout: float) -> str:
    """What went wrong, in one line a reader of a batch log understands."""
    import httpx

    host = urlsplit(url).netloc or url
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting to {host} after {timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out waiting for {host} after {timeout:g} s"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "only http and https URLs can be fetched (the URL or a redirect uses another scheme)"
    if isinstance(exc, httpx.InvalidURL):
        return f"not a valid URL: {one_line(str(exc))}"
    if isinstance(exc, httpx.ConnectError):
        return _describe_connect_error(exc, host)
    return one_line(f"{type(exc).__name__}: {exc}") or type(exc).__name__


def _describe_connect_error(exc: Exception, host: str) -> str:
    cause = _root_os_error(exc)
    text = str(exc).lower()
    if isinstance(cause, socket.gaierror) or any(t in text for t in _DNS_FAILURE_TEXTS):
        return f"cannot find the host {urlsplit('//' + host).hostname or host} (DNS lookup failed)"
    if isinstance(cause, ConnectionRefusedError) or "connection refused" in text:
        return f"connection refused by {host}"
    return one_line(f"cannot connect to {host}: {exc}")


def _root_os_error(exc: BaseException) -> OSError | None:
    """The socket error under httpx's wrappers (httpx wraps httpcore, which wraps the OSError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
