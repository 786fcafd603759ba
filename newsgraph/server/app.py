"""The web application: the JSON API under /api and the server-rendered pages, over one store.

`create_app` is all a test or a deployment needs; `newsgraph serve` runs it with uvicorn.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from newsgraph.server import middleware
from newsgraph.store.connect import open_engine
from newsgraph.workers import DEFAULT_ARTICLE_MEMORY, DEFAULT_ARTICLE_TIMEOUT, AnalysisService, Budget

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_MAX_ANALYZE_BYTES = 200_000


@dataclass
class Settings:
    """What the server was started with; the routes read it from `request.app.state.settings`."""

    engine: Engine
    write_token: str | None = None  # ingest through the API only when set, and only with it
    max_analyze_bytes: int = DEFAULT_MAX_ANALYZE_BYTES
    model: str | None = None
    analyzer: Any = None  # a loaded Analyzer for the analysis process to fork from (tests); None: it loads one
    budget: Budget = field(default_factory=Budget)  # what one analysed article may cost
    service: AnalysisService = field(init=False)

    def __post_init__(self) -> None:
        self.service = AnalysisService(model=self.model, analyzer=self.analyzer, budget=self.budget)

    def get_analyzer(self) -> AnalysisService:
        """The server's analyzer: a process of its own (started on the first article, then kept) that analyses one
        article at a time under `budget`, so that no analysis ever holds the server's event loop or its GIL.
        `analyze(text, article)` gives the Document or raises `ArticleFailed` / `AnalyzerUnavailable`."""
        return self.service


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def create_app(db_url: str | None = None, *, engine: Engine | None = None, write_token: str | None = None,
               max_analyze_bytes: int = DEFAULT_MAX_ANALYZE_BYTES, model: str | None = None,
               analyzer: Any = None, budget: Budget | None = None) -> FastAPI:
    from newsgraph.server import api, claims_api, pages

    app = FastAPI(title="newsgraph", version="1", docs_url=None, redoc_url=None, lifespan=warm_up,
                  description="Who said what and what happened, from news reports: statements, events, actors, "
                  "places and dates in `newsgraph/1` records.")
    app.state.settings = Settings(engine or open_engine(db_url), write_token, max_analyze_bytes, model, analyzer,
                                  budget or Budget())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    api.install(app)
    app.include_router(api.router)
    app.include_router(claims_api.router)
    app.include_router(pages.router)
    app.add_exception_handler(pages.BadParameter, pages.on_bad_parameter)
    middleware.install(app, error_answer, site_policy())
    return app


def error_answer(request: Request, status: int, title: str, message: str) -> Response:
    """An error in the format of the part of the site asked: the API's JSON under /api, else an HTML page."""
    from newsgraph.server import api, pages

    if api.is_api(request):
        return api.error_response(status, message)
    return pages.error_page(request, status, title, message)


def site_policy() -> str:
    """The Content-Security-Policy of every page: no inline code but the map's own style (in its SVG)."""
    from newsgraph.server.mapview import basemap_style

    return middleware.content_security_policy(style_hashes=[middleware.source_hash(basemap_style())])


def create_app_from_environment() -> FastAPI:
    """The app of `newsgraph serve --workers N`: each worker process builds it from the environment
    (NEWSGRAPH_DB, NEWSGRAPH_WRITE_TOKEN, NEWSGRAPH_MODEL, NEWSGRAPH_ARTICLE_TIMEOUT in seconds,
    NEWSGRAPH_ARTICLE_MEMORY in GiB, 0 for no limit: `serve`'s --article-timeout and --article-memory)."""
    budget = Budget.of_options(float(os.environ.get("NEWSGRAPH_ARTICLE_TIMEOUT") or DEFAULT_ARTICLE_TIMEOUT),
                               float(os.environ.get("NEWSGRAPH_ARTICLE_MEMORY") or DEFAULT_ARTICLE_MEMORY / 2**30))
    return create_app(write_token=os.environ.get("NEWSGRAPH_WRITE_TOKEN") or None,
                      model=os.environ.get("NEWSGRAPH_MODEL") or None, budget=budget)


@asynccontextmanager
async def warm_up(app: FastAPI) -> AsyncIterator[None]:
    """Build the store's statement index in the background as the server starts, so that the first search does
    not wait for it (a second or so for every 20,000 articles); stop the analysis process as it stops."""
    engine: Engine = app.state.settings.engine
    if engine.dialect.name == "sqlite":
        threading.Thread(target=build_index, args=(engine,), name="newsgraph-index", daemon=True).start()
    yield
    app.state.settings.service.close()  # the analysis process ends with the server


def build_index(engine: Engine) -> None:
    from newsgraph.store.planner import statement_index

    with engine.connect() as conn:
        statement_index(engine).snapshot(conn)
