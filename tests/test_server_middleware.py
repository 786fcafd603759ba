"""The server's HTTP hardening (newsgraph/server/middleware.py): unexpected errors answered cleanly on a
connection that stays open, security headers on every response, HEAD like GET, a malformed Content-Length.

Keep-alive and logging are tried on a real uvicorn server on 127.0.0.1; the rest through the TestClient."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from newsgraph.server import api, pages
from newsgraph.server.app import create_app
from tests.live_server import live_server

EXAMPLE_KEY = "ukraine-2022-04-26"


@pytest.fixture(scope="module")
def client(sample_store_url: str) -> Iterator[TestClient]:
    app = create_app(sample_store_url, max_analyze_bytes=2_000)
    with TestClient(app) as test_client:
        yield test_client
    app.state.settings.engine.dispose()


def fail(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("boom: a bug in the store")


def local_address(response: httpx.Response) -> Any:
    """The client end of the connection the response came on: equal for two responses on one connection."""
    return response.extensions["network_stream"].get_extra_info("client_addr")


# --- unexpected errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "module", "function"), [("/api/summary", api.query, "summary"),
                                                          ("/", pages, "summary")])
def test_an_unexpected_error_is_a_clean_500_on_a_connection_that_stays_open(
        sample_store_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        path: str, module: Any, function: str) -> None:
    app = create_app(sample_store_url)
    # log_config=None leaves the loggers to propagate, so that caplog sees what the operator would.
    with live_server(app, log_config=None) as base_url, httpx.Client(base_url=base_url) as http:
        monkeypatch.setattr(module, function, fail)
        with caplog.at_level(logging.ERROR):
            failed = http.get(path)
        monkeypatch.undo()
        assert failed.status_code == 500
        assert failed.headers.get("connection") != "close"
        if path.startswith("/api/"):
            assert failed.headers["content-type"] == "application/json"
            assert json.loads(failed.text) == {"error": "internal error (RuntimeError); the server log has the "
                                               "details", "status": 500}
            assert "\n" not in failed.text
        else:
            assert failed.headers["content-type"].startswith("text/html")
            assert "Server error" in failed.text and "Traceback" not in failed.text
        assert "boom" not in failed.text  # the details are the operator's, not the client's
        after = http.get(path)
        assert after.status_code == 200
        assert local_address(after) == local_address(failed)  # the same connection, not a new one
    app.state.settings.engine.dispose()
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert len(logged) == 1, [r.getMessage() for r in caplog.records]
    assert f"GET {path}" in logged[0].getMessage() and "boom" in str(logged[0].exc_info[1])


# --- security headers ----------------------------------------------------------------------------------------

def csp_directives(response: Any) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 200), ("GET", "/statements", 200), ("GET", f"/articles/{EXAMPLE_KEY}", 200),
    ("GET", "/articles/nothing", 404), ("GET", "/statements?since=soon", 400), ("GET", "/api/summary", 200),
    ("GET", "/api/statements", 200), ("GET", "/api/nothing", 404), ("GET", "/api/statements?limit=0", 422),
    ("POST", "/api/analyze", 413), ("GET", "/static/site.css", 200), ("GET", "/static/markup.js", 200),
    ("GET", "/api/docs", 200), ("GET", "/openapi.json", 200), ("GET", "/statements.csv", 200),
])
def test_every_response_has_the_security_headers(client: TestClient, method: str, path: str, status: int) -> None:
    response = client.request(method, path, content=b"x" * 3_000 if method == "POST" else None)
    assert response.status_code == status, response.text[:300]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    for name in ("script-src", "style-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(directives[name]), (name, directives[name])


def test_the_docs_page_allows_only_its_own_inline_script(client: TestClient) -> None:
    import base64
    import hashlib

    page = client.get("/api/docs")
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert inline, "the Swagger UI page starts Swagger UI with an inline script"
    allowed = csp_directives(page)["script-src"]
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    assert len(allowed) == 1 + len(inline)  # 'self' and those hashes, nothing else
    assert csp_directives(client.get("/"))["script-src"] == ["'self'"]


# --- HEAD ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/statements", f"/articles/{EXAMPLE_KEY}", "/api/summary",
                                  "/api/statements?limit=3", f"/api/articles/{EXAMPLE_KEY}", "/api/docs",
                                  "/openapi.json", "/static/site.css", "/api/nothing", "/articles/nothing"])
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if "content-length" in got.headers:
        assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))
    assert head.headers["x-frame-options"] == "DENY"


def test_head_on_a_post_route_is_405_with_the_allowed_method(client: TestClient) -> None:
    response = client.head("/api/analyze")
    assert response.status_code == 405 and response.content == b""
    assert response.headers["allow"] == "POST"


def test_head_and_get_share_a_keep_alive_connection(sample_store_url: str) -> None:
    app = create_app(sample_store_url)
    with live_server(app) as base_url, httpx.Client(base_url=base_url) as http:
        head = http.head("/api/summary")
        got = http.get("/api/summary")
        assert head.status_code == got.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(got.content))
        assert local_address(head) == local_address(got)
    app.state.settings.engine.dispose()


# --- a malformed Content-Length (as a server that lets it through would pass it on) ------------------------

def test_a_content_length_that_is_not_a_number_is_a_400_in_the_answer_s_format(client: TestClient) -> None:
    for method, path in (("GET", "/api/summary"), ("POST", "/api/analyze"), ("POST", "/api/ingest")):
        response = client.request(method, path, headers={"Content-Length": "abc"}, content=b"{}")
        assert response.status_code == 400 and response.headers["content-type"] == "application/json"
        assert response.json() == {"error": "the Content-Length header is not a number: 'abc'", "status": 400}
    page = client.request("POST", "/analyze", headers={"Content-Length": "abc"}, content=b"{}")
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "Content-Length" in page.text and "<!doctype html>" in page.text
