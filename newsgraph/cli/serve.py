"""`newsgraph serve`: the web UI and the JSON API over the store."""

from __future__ import annotations

import argparse
import os
from typing import Any

from newsgraph.cli.common import (
    EXIT_OK,
    CommandError,
    add_budget_arguments,
    add_db_argument,
    budget_of,
    open_store,
    say,
    worker_count,
)


def add_commands(sub: Any) -> None:
    serve = sub.add_parser("serve", help="serve the web UI and the HTTP API over the store",
                           description="Serve the store: web pages at / and the JSON API at /api (docs at /api/docs). "
                           "Binds 127.0.0.1 unless --host says otherwise. docs/server.md describes the API.")
    add_db_argument(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--write-token", metavar="TOKEN", default=os.environ.get("NEWSGRAPH_WRITE_TOKEN"),
                       help="allow POST /api/ingest with 'Authorization: Bearer TOKEN' "
                       "(default $NEWSGRAPH_WRITE_TOKEN; without it the API is read-only)")
    serve.add_argument("--model", metavar="NAME", help="installed spaCy pipeline for the analyze page")
    serve.add_argument("--workers", type=worker_count, default=1, metavar="N",
                       help="server processes (default 1; a team server: one per core)")
    add_budget_arguments(serve)
    serve.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    engine = open_store(args)
    import uvicorn

    from newsgraph.server.app import create_app
    from newsgraph.server.protocols import HTTP_PROTOCOL  # a request uvicorn cannot parse gets the site's 400

    shown_host = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host
    say(f"serving {engine.url.render_as_string(hide_password=True)} at http://{shown_host}:{args.port}/  "
        "(API docs: /api/docs; Ctrl-C stops)")
    try:
        if args.workers == 1:
            app = create_app(engine=engine, write_token=args.write_token, model=args.model, budget=budget_of(args))
            uvicorn.run(app, host=args.host, port=args.port, log_level="warning", http=HTTP_PROTOCOL)
        else:  # each worker process makes its app from the environment
            os.environ.update({"NEWSGRAPH_DB": engine.url.render_as_string(hide_password=False),
                               "NEWSGRAPH_WRITE_TOKEN": args.write_token or "", "NEWSGRAPH_MODEL": args.model or "",
                               "NEWSGRAPH_ARTICLE_TIMEOUT": str(args.article_timeout),
                               "NEWSGRAPH_ARTICLE_MEMORY": str(args.article_memory)})
            engine.dispose()
            uvicorn.run("newsgraph.server.app:create_app_from_environment", factory=True, host=args.host,
                        port=args.port, workers=args.workers, log_level="warning", http=HTTP_PROTOCOL)
    except OSError as exc:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    return EXIT_OK
