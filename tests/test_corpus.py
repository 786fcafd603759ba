"""Ingesting the 85 sample articles (the example and PolNeAR dev, read where they are) on both back ends:
stored once however often they are ingested or the run is killed, and nothing lost on the way."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from newsgraph.corpus import Ingester
from newsgraph.records import Article, DateRef, Document, Event, Place, Statement
from newsgraph.store.connect import open_engine
from newsgraph.store.export import flatten, rows, unflatten
from newsgraph.store.schema import articles, failures, statements
from newsgraph.store.write import count_articles
from newsgraph.workers import Budget
from tests.conftest import EXAMPLE, POLNEAR_DEV, REPO, fresh_store_url
from tests.test_workers import NESTED_QUOTE, SLOW_TEXT

pytestmark = pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="../shared/corpora/polnear-dev is not beside the repo")
SAMPLES = [str(EXAMPLE), str(POLNEAR_DEV)]


@pytest.fixture(scope="session")
def reference(analyzer: Any) -> dict[str, Document]:
    """What `analyze` gives for each sample, by article id (the file stem)."""
    paths = [EXAMPLE, *sorted(POLNEAR_DEV.glob("*.txt"))]
    return {p.stem: analyzer.analyze(p.read_text(encoding="utf-8"), Article(id=p.stem)) for p in paths}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ingested(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, analyzer: Any) -> Any:
    """A store holding the samples, ingested twice."""
    url = fresh_store_url(request.param, tmp_path_factory.mktemp(request.param))
    engine = open_engine(url)
    first = Ingester(engine, analyzer=analyzer).run(SAMPLES)
    second = Ingester(engine, analyzer=analyzer).run(SAMPLES)
    yield engine, first, second
    engine.dispose()


def test_ingesting_the_samples_twice_leaves_85_articles(ingested: Any) -> None:
    engine, first, second = ingested
    assert count_articles(engine) == 85
    assert first.failed == 0 and first.stored + first.duplicates == 85
    assert second.existing == 85 and second.stored == second.duplicates == 0


@pytest.mark.parametrize("what,model", [("statements", Statement), ("places", Place), ("dates", DateRef),
                                        ("events", Event)])
def test_export_gives_exactly_what_analyze_gives(ingested: Any, reference: dict[str, Document], what: str,
                                                 model: Any) -> None:
    engine = ingested[0]
    exported: dict[str, list[Any]] = {}
    for row in rows(engine, what):
        exported.setdefault(row["article"], []).append(unflatten(model, row))
    for key, doc in reference.items():  # (a near-duplicate keeps its own records too)
        assert exported.get(key, []) == getattr(doc, what), f"{what} of {key}"


def test_flat_rows_turn_back_into_the_records(reference: dict[str, Document]) -> None:
    doc = reference[EXAMPLE.stem]
    for model, records in ((Statement, doc.statements), (Event, doc.events), (Place, doc.places)):
        for record in records:
            row = json.loads(json.dumps(flatten(record)))  # through JSON, as a JSON Lines export is read
            assert unflatten(model, row) == record


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_killed_runs_leave_every_article_stored_once(backend: str, tmp_path: Path,
                                                     reference: dict[str, Document]) -> None:
    url = fresh_store_url(backend, tmp_path)
    command = [sys.executable, "-m", "newsgraph.cli", "ingest", *SAMPLES, "--db", url, "--quiet"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    rng = random.Random(11)
    for _ in range(5):
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(3.0, 9.0))  # loading the pipeline takes ~3 s, then ~10 articles a second
        process.send_signal(signal.SIGKILL)
        process.wait()
    finished = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-2000:]
    engine = open_engine(url)
    assert count_articles(engine) == 85
    with engine.connect() as conn:
        counts = dict(conn.execute(select(articles.c.key, func.count(statements.c.id))
                                   .outerjoin(statements, statements.c.article_id == articles.c.id)
                                   .group_by(articles.c.key)).all())
    engine.dispose()
    for key, doc in reference.items():
        assert counts[key] == len(doc.statements), f"{key} is partial"


@pytest.mark.parametrize("workers", [1, 2])
def test_pathological_articles_are_failures_and_the_good_ones_behind_them_are_stored(
        workers: int, tmp_path: Path, analyzer: Any, reference: dict[str, Document]) -> None:
    """Finding 1: ingest of such a file hung with nothing stored or recorded (with 2 workers, the good files
    queued behind it waited too)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "000-quote.txt").write_text(NESTED_QUOTE, encoding="utf-8")  # refused before analysis
    (folder / "001-slow.txt").write_text(SLOW_TEXT, encoding="utf-8")  # stopped by the time budget
    good = sorted(POLNEAR_DEV.glob("*.txt"))[:3]
    for path in good:
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    report = Ingester(engine, workers=workers, analyzer=analyzer, budget=Budget(seconds=2)).run([str(folder)])
    with engine.connect() as conn:
        recorded = conn.execute(select(failures.c.source, failures.c.message).order_by(failures.c.id)).all()
        counts = dict(conn.execute(select(articles.c.key, func.count(statements.c.id))
                                   .outerjoin(statements, statements.c.article_id == articles.c.id)
                                   .group_by(articles.c.key)).all())
    engine.dispose()
    assert (report.stored, report.failed) == (3, 2)
    assert [(Path(source).name, message.split(":")[0]) for source, message in recorded] == [
        ("000-quote.txt", "text has 40,004 characters without a space at character 11"),
        ("001-slow.txt", "analysis took over 2 s; skipped (raise --article-timeout)"),
    ]
    assert counts == {p.stem: len(reference[p.stem].statements) for p in good}
