"""HTTP hardening around the whole application, as plain ASGI middleware (`install` puts it in place):

- an unexpected error is answered with a one-line 500 (JSON under /api, an HTML page elsewhere) and logged
  with its traceback, and the connection stays open. (Starlette's ServerErrorMiddleware sends its 500 and then
  raises the error again, for the server to log; uvicorn, seeing an error after the response started, closes
  the connection, so every keep-alive client lost it.)
- security headers on every response: a Content-Security-Policy without inline script, nosniff, no framing,
  no referrer;
- HEAD answered like GET without the body (FastAPI routes declare GET only, so HEAD was a 405);
- a Content-Length that is not a number refused with the site's own 400 (servers that check it themselves
  never pass it on; `protocols` makes uvicorn's own answer to it the site's too).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable, Iterable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# An error answer in the format of the part of the site asked: (request, status, title, message) -> response.
Answer = Callable[[Request, int, str, str], Response]

# The operator reads uvicorn's log: unexpected errors go where uvicorn logged them before.
LOG = logging.getLogger("uvicorn.error")


# --- security headers ----------------------------------------------------------------------------------------

def source_hash(text: str) -> str:
    """The CSP source that allows one inline <script> or <style> with exactly this text."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode('ascii')}'"


def content_security_policy(*, script_hashes: Iterable[str] = (), style_hashes: Iterable[str] = ()) -> str:
    """Everything from this server only, nothing inline but the scripts and styles of the hashes given, no
    plugins, no framing. (`data:` images: Swagger UI draws its icons with them.)"""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", *style_hashes],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(html: str) -> list[str]:
    """The sources allowing each inline script of a page (one whose markup a library writes)."""
    return [source_hash(script) for script in _INLINE_SCRIPT.findall(html)]


def security_headers(policy: str) -> list[tuple[bytes, bytes]]:
    return [(b"content-security-policy", policy.encode("latin-1")),
            (b"x-content-type-options", b"nosniff"),  # a download is never taken for a page
            (b"x-frame-options", b"DENY"),  # for browsers that do not know frame-ancestors
            (b"referrer-policy", b"no-referrer")]  # a link to an article's source tells it nothing of what is read


class SecurityHeaders:
    """Adds the security headers to every response that has not set its own (the docs page sets its policy)."""

    def __init__(self, app: ASGIApp, policy: str) -> None:
        self.app = app
        self.headers = security_headers(policy)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                message = {**message, "headers": headers + [h for h in self.headers if h[0] not in present]}
            await send(message)

        await self.app(scope, receive, with_headers)


# --- HEAD ----------------------------------------------------------------------------------------------------

class HeadAsGet:
    """Runs a HEAD request as a GET and sends the answer's status and headers (Content-Length included)
    without its body. The server keeps seeing HEAD, so it frames the answer as one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


# --- errors --------------------------------------------------------------------------------------------------

class UnexpectedErrors:
    """Answers an error that nothing else handled with a clean 500 and logs it with its traceback, without
    raising it again: the server then sees a finished response and keeps the connection open."""

    def __init__(self, app: ASGIApp, answer: Answer) -> None:
        self.app = app
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            if started:
                raise  # part of the answer is out: only closing the connection ends it (the server does, and logs)
            LOG.error("500 on %s %s: %s", scope.get("method"), scope.get("path"), type(exc).__name__, exc_info=exc)
            message = f"internal error ({type(exc).__name__}); the server log has the details"
            await self.error_response(Request(scope), message)(scope, receive, send)

    def error_response(self, request: Request, message: str) -> Response:
        try:
            return self.answer(request, 500, "Server error", message)
        except Exception as exc:  # the error page itself failed (a broken template): still one clean line
            LOG.error("the error page failed too: %s", type(exc).__name__, exc_info=exc)
            return PlainTextResponse(message, status_code=500)


class ContentLengthCheck:
    """Refuses a request whose Content-Length is not a number, in the site's format, before anything reads it."""

    def __init__(self, app: ASGIApp, answer: Answer) -> None:
        self.app = app
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", []):
                if name.lower() == b"content-length" and not value.isdigit():
                    message = f"the Content-Length header is not a number: {value.decode('latin-1')!r}"
                    await self.answer(Request(scope), 400, "Bad request", message)(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def install(app: Starlette, answer: Answer, policy: str) -> None:
    """From the outside in: security headers on everything, HEAD as GET, unexpected errors answered, then
    the Content-Length check (the middleware already installed, such as the API's body limit, runs inside)."""
    app.add_middleware(ContentLengthCheck, answer=answer)
    app.add_middleware(UnexpectedErrors, answer=answer)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders, policy=policy)
