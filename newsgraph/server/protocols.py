"""uvicorn's HTTP protocol with the site's own answer to a request its parser refuses.

httptools refuses a request that is not valid HTTP (a Content-Length that is not a number or given twice, a
malformed header) before the application sees it, and uvicorn answers that with a plain-text 400 of its own.
This protocol answers it like every other bad request: `{"error": ..., "status": 400}` under /api, a small HTML
page elsewhere, with the security headers, and says what the parser found. Serve with
`uvicorn.run(..., http=HTTP_PROTOCOL)`. (uvicorn's h11 protocol, used only where httptools is missing, keeps
its plain-text answer: h11 gives no request path for a request it cannot parse.)
"""

from __future__ import annotations

import html
import json
import sys

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as UvicornHttpToolsProtocol

from newsgraph.server.middleware import content_security_policy, security_headers

HTTP_PROTOCOL = "newsgraph.server.protocols:HttpToolsProtocol"  # for uvicorn's `http` setting, in any process

ERROR_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bad request · newsgraph</title><link rel="stylesheet" href="/static/site.css">
</head>
<body><main class="site-main"><section class="error-page"><p class="status">Error 400</p><h1>Bad request</h1>
<p class="lead">{message}.</p><p><a href="/">Overview</a></p></section></main></body>
</html>
"""


def bad_request(path: str, problem: str) -> tuple[bytes, bytes]:
    """The content type and body of the 400 for a request to `path` that the parser refused for `problem`."""
    message = f"the request is not valid HTTP: {problem[:1].lower()}{problem[1:]}" if problem \
        else "the request is not valid HTTP"
    if path == "/api" or path.startswith(("/api/", "/api?")):
        return b"application/json", json.dumps({"error": message, "status": 400}, separators=(",", ":")).encode()
    return b"text/html; charset=utf-8", ERROR_PAGE.format(message=html.escape(message)).encode()


class HttpToolsProtocol(UvicornHttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        # uvicorn calls this inside its `except httptools.HttpParserError` block: the error says what was wrong.
        error = sys.exc_info()[1]
        content_type, body = bad_request(self.url.decode("latin-1"), str(error) if error else "")
        headers = [*self.server_state.default_headers, (b"content-type", content_type),
                   (b"content-length", str(len(body)).encode("ascii")), (b"connection", b"close"),
                   *security_headers(content_security_policy())]
        head = b"HTTP/1.1 400 Bad Request\r\n" + b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(head + b"\r\n" + body)
        self.transport.close()
