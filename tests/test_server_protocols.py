"""uvicorn's HTTP protocol with the API's errors (newsgraph/server/protocols.py): a request that the HTTP parser
refuses before the app sees it (a Content-Length that is not a number) is answered like any other bad request,
JSON under /api and an HTML page elsewhere. Tried on a real uvicorn server on 127.0.0.1 over raw sockets."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from newsgraph.server.app import create_app
from newsgraph.server.protocols import HTTP_PROTOCOL
from tests.live_server import live_server


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('protocols') / 'store.db'}")
    with live_server(app, http=HTTP_PROTOCOL) as base_url:
        parts = urlsplit(base_url)
        assert parts.hostname and parts.port
        yield parts.hostname, parts.port
    app.state.settings.engine.dispose()


def exchange(address: tuple[str, int], request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as it is and read the answer to the end (the server closes the connection)."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    assert int(headers["content-length"]) == len(body)
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize("path", ["/api/analyze", "/api/summary"])
def test_a_content_length_that_is_not_a_number_is_the_api_s_json_400(address: tuple[str, int], path: str) -> None:
    status, headers, body = exchange(address, f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
                                     .encode())
    assert status == 400 and headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": "the request is not valid HTTP: invalid character in Content-Length",
                                "status": 400}
    assert b"\n" not in body
    assert headers["x-content-type-options"] == "nosniff" and headers["connection"] == "close"


def test_a_malformed_request_to_a_page_is_an_html_400(address: tuple[str, int]) -> None:
    status, headers, body = exchange(address, b"GET /statements HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                                     b"Content-Length: 2\r\n\r\n")
    assert status == 400 and headers["content-type"] == "text/html; charset=utf-8"
    page = body.decode()
    assert page.startswith("<!doctype html>") and "duplicate Content-Length" in page
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]


def test_a_good_request_after_the_protocol_is_swapped_still_works(address: tuple[str, int]) -> None:
    status, _, body = exchange(address, b"GET /api/summary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 200 and json.loads(body)["articles"] == 0
