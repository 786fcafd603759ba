"""Shared fixtures: one loaded pipeline for the whole test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsgraph.analyzer import Analyzer
from newsgraph.ingest import ArticleInput
from newsgraph.records import Article, Document

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ukraine-2022-04-26.txt"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def analyze(analyzer: Analyzer):  # type: ignore[no-untyped-def]
    def run(text: str, published: str | None = None) -> Document:
        return analyzer.analyze(text, Article(id="test", published=published))

    return run


@pytest.fixture
def shared_analyzer(monkeypatch: pytest.MonkeyPatch, analyzer: Analyzer) -> Analyzer:
    """The CLI builds its own pipeline; give it the session's instead of loading another. (The module's name is
    replaced, not the class's __new__: restoring that would leave the class unable to take arguments.)"""
    import newsgraph.analyzer

    monkeypatch.setattr(newsgraph.analyzer, "Analyzer", lambda *args, **kwargs: analyzer)
    return analyzer


# --- stores: every storage test runs on SQLite and on PostgreSQL ----------------------------------------
# .ci/run starts a PostgreSQL server and sets NEWSGRAPH_TEST_PG (and NEWSGRAPH_REQUIRE_PG=1, so a server
# that is missing fails the run instead of skipping half the tests).
PG_URL = os.environ.get("NEWSGRAPH_TEST_PG")
REQUIRE_PG = os.environ.get("NEWSGRAPH_REQUIRE_PG") == "1"
POLNEAR_DEV = SHARED / "corpora" / "polnear-dev" / "text"


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from newsgraph.store.connect import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def fresh_store_url(backend: str, folder: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / 'store.db'}"
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("NEWSGRAPH_REQUIRE_PG=1 but NEWSGRAPH_TEST_PG is not set")
        pytest.skip("no PostgreSQL: run `eval \"$(scripts/ci_services.sh)\"` to start one")
    try:
        reset_postgres(PG_URL)
    except Exception as exc:
        if REQUIRE_PG:
            raise
        pytest.skip(f"PostgreSQL at NEWSGRAPH_TEST_PG is unreachable: {exc}")
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_store_url(request.param, tmp_path)


@pytest.fixture
def engine(store_url: str):  # type: ignore[no-untyped-def]
    from newsgraph.store.connect import open_engine

    engine = open_engine(store_url)
    yield engine
    engine.dispose()


def polnear_dev_articles() -> list[ArticleInput]:
    """The PolNeAR dev texts with their publication dates, titles, publishers and authors from metadata.tsv."""
    from newsgraph.ingest import read_sources
    from newsgraph.ingest.metadata import load_metadata

    table = load_metadata(POLNEAR_DEV.parent / "metadata.tsv")
    return [i for i in read_sources([str(POLNEAR_DEV)], metadata=table) if isinstance(i, ArticleInput)]


@pytest.fixture(scope="session")
def sample_store_url(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> str:
    """A SQLite store of the sample corpus: the example (published 2022-04-26) and the PolNeAR dev texts
    with their publication dates and titles from the corpus's metadata.tsv."""
    from newsgraph.corpus import Ingester
    from newsgraph.store.connect import open_engine

    url = f"sqlite:///{tmp_path_factory.mktemp('sample-store') / 'sample.db'}"
    engine = open_engine(url)
    Ingester(engine, analyzer=analyzer).run([str(EXAMPLE)], published="2022-04-26")
    if POLNEAR_DEV.is_dir():
        Ingester(engine, analyzer=analyzer).run([], items=polnear_dev_articles())
    engine.dispose()
    return url
