"""Fetching from the public internet only: no loopback, private, link-local, multicast or reserved address.

A feed names the pages newsgraph fetches, so whoever writes the feed could point it at `127.0.0.1`, at a
router's admin page or at a cloud's metadata service (169.254.169.254) and have the page stored. The check
happens where the connection is made, in the network backend under httpx, so it covers every redirect and
every address a name resolves to, and it connects to exactly the address it checked: a name that resolves
to a public address when checked and a private one a moment later (DNS rebinding) gains nothing.

Imported only by a `Fetcher` (it imports httpx and httpcore).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_FLAG = "--allow-private-urls"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """A connection not made because `host` is (or resolves to) `address`, which is not a public one."""

    def __init__(self, host: str, address: IPAddress, kind: str) -> None:
        super().__init__(f"{host}: {address} is a {kind} address")
        self.host, self.address, self.kind = host, address, kind

    def reason(self, asked_host: str) -> str:
        """The one-line message, for a URL whose host is `asked_host` (another host: a redirect led here)."""
        named = self.host if _is_address(self.host) else f"{self.host} ({self.address})"
        where = named if _same_host(self.host, asked_host) else f"it redirects to {named}"
        article = "an" if self.kind[0] in "aeiou" else "a"
        return (f"{where} is {article} {self.kind} address, and newsgraph fetches from private networks only "
                f"with {ALLOW_FLAG}")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _same_host(one: str, other: str) -> bool:
    return one.strip("[]").lower() == other.strip("[]").lower()


def refusal(address: IPAddress) -> str | None:
    """Why newsgraph does not connect to `address` ("loopback", "private", ...), or None for a public one.

    An IPv6 address that carries an IPv4 one (IPv4-mapped, 6to4, NAT64) is judged by the IPv4 address."""
    carried = _carried_ipv4(address)
    if carried is not None:
        return refusal(carried)
    kinds = (("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
             ("link-local", address.is_link_local), ("multicast", address.is_multicast),
             ("reserved", address.is_reserved), ("private", address.is_private),
             ("non-public", not address.is_global))
    return next((kind for kind, applies in kinds if applies), None)


def _carried_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order (an address literal is itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = (ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in infos)  # drop an IPv6 zone
    return list(dict.fromkeys(addresses))


class PublicOnlyBackend(httpcore.NetworkBackend):
    """httpcore's network backend, connecting only to public addresses, and only to the ones it checked."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port)
        except OSError as exc:  # raised as httpcore raises it, so that the fetcher reports a DNS failure
            raise httpcore.ConnectError(str(exc)) from exc
        # All of them, not only the one connected to: the system's resolver picks, not this code.
        for address in addresses:
            kind = refusal(address)
            if kind:
                raise AddressRefused(host, address, kind)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"{host} resolves to no address")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("newsgraph does not fetch through Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def public_only_transport() -> httpx.HTTPTransport:
    """httpx's transport with a `PublicOnlyBackend` under it. httpx takes no network backend of its own, so
    its connection pool is replaced by one made with the same settings and that backend. (An httpx whose
    transport changes shape fails `tests/test_ingest_web.py`'s loopback tests rather than fetching.)"""
    transport = httpx.HTTPTransport()
    limits = httpx.Limits()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
        network_backend=PublicOnlyBackend())
    return transport
