"""Ingesting a corpus: read sources, skip what is stored, analyse (in N processes), write each article.

The main process reads the sources and is the only writer, one transaction per article, in input order;
worker processes only analyse, each article under a time and memory budget (newsgraph/workers.py). So a
run killed at any moment and run again stores every article exactly once, and a failing article (bad
input, an analysis error, one that took too long or too much memory) is recorded with its error and
skipped without stopping the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sqlalchemy import Engine

from newsgraph.ingest import ArticleInput, InputProblem, read_inputs
from newsgraph.ingest.metadata import Metadata
from newsgraph.records import Article, Document
from newsgraph.store.claims import ClaimGrouper
from newsgraph.store.write import Fingerprint, WriteResult, existing_article, record_failure, write_document
from newsgraph.workers import AnalysisPool, Budget


@dataclass
class IngestReport:
    """What a run did, counted as it goes (the progress display reads it)."""

    stored: int = 0
    duplicates: int = 0
    existing: int = 0
    failed: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.stored + self.duplicates + self.existing + self.failed

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)


@dataclass(frozen=True)
class Task:
    source: str
    text: str
    article: Article
    fingerprint: Fingerprint


Listener = Callable[[IngestReport], None]


class Ingester:
    """Ingest sources into a store, analysing in `workers` processes (`newsgraph.workers.AnalysisPool`), each
    article under `budget`: an article that overruns it is recorded as a failure and the run goes on.

    `analyzer`: an already loaded `Analyzer` to fork the workers from (tests pass the session's); without it the
    pool loads one, once, when the first article needs analysing. `claims=False` stores the articles without
    grouping their statements into claims (`newsgraph claims build` does it later)."""

    def __init__(self, engine: Engine, *, workers: int = 1, model: str | None = None, use_tagger: bool = True,
                 analyzer: Any = None, listener: Listener | None = None, budget: Budget | None = None,
                 claims: bool = True) -> None:
        self.engine = engine
        self.workers = max(1, workers)
        self.model, self.use_tagger = model, use_tagger
        self.analyzer = analyzer
        self.budget = budget or Budget()
        self.claims = claims  # group each article's statements into claims as it is written
        self.listener = listener or (lambda report: None)
        self.report = IngestReport()
        self._queued: set[str] = set()
        self._grouper: ClaimGrouper | None = None

    def run(self, sources: Iterable[str], published: str | None = None, max_bytes: int | None = None,
            items: Iterable[ArticleInput | InputProblem] | None = None, metadata: Metadata | None = None,
            allow_private_urls: bool = False) -> IngestReport:
        """`max_bytes` is the readers' limit and, as characters, the analysis's (one limit); feeds and URLs may
        lead to private addresses only with `allow_private_urls`."""
        kwargs: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
        stream = items if items is not None else read_inputs(sources, published, metadata=metadata,
                                                             allow_private_urls=allow_private_urls, **kwargs)
        tasks = (task for task in map(self._task_or_skip, stream) if task is not None)
        budget = self.budget if max_bytes is None else replace(self.budget, max_chars=max_bytes)
        self._grouper = ClaimGrouper(self.engine) if self.claims else None
        try:
            # With claims, the workers encode the statements (the costly part of grouping) beside the analysis.
            with AnalysisPool(self.workers, model=self.model, use_tagger=self.use_tagger, analyzer=self.analyzer,
                              budget=budget, statement_vectors=self.claims) as pool:
                for outcome in pool.analyse((task, task.text, task.article) for task in tasks):
                    self._write(outcome.tag, outcome.document, outcome.error, outcome.vectors)
        finally:
            if self._grouper is not None:
                self._grouper.close()
        self.analyzer = pool.analyzer  # loaded once: a next run forks from it too
        return self.report

    def _task_or_skip(self, item: ArticleInput | InputProblem) -> Task | None:
        if isinstance(item, InputProblem):
            self._fail(item.source, item.message)
            return None
        fingerprint = Fingerprint.of(item.text)
        with self.engine.connect() as conn:
            stored = existing_article(conn, item.article.url, fingerprint.content_hash)
        if stored is not None or fingerprint.content_hash in self._queued:
            self.report.existing += 1
            self.listener(self.report)
            return None
        self._queued.add(fingerprint.content_hash)
        return Task(item.source, item.text, item.article, fingerprint)

    def _write(self, task: Task, document: Document | None, error: str | None,
               vectors: dict[str, np.ndarray] | None = None) -> None:
        if document is None:
            self._fail(task.source, error or "analysis failed")
            return
        try:
            # (claims are grouped beside the writer, from the vectors the workers sent: `store.claims.ClaimGrouper`)
            result = write_document(self.engine, document, task.source, task.fingerprint, group_claims=False)
        except Exception as exc:  # a store error on one article is reported; the run goes on
            self._fail(task.source, f"could not store: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            return
        if self._grouper is not None and result.outcome != "exists":
            self._grouper.add(result.article_id, vectors)
        self._count(result)

    def _count(self, result: WriteResult) -> None:
        if result.outcome == "stored":
            self.report.stored += 1
        elif result.outcome == "duplicate":
            self.report.duplicates += 1
        else:
            self.report.existing += 1
        self.listener(self.report)

    def _fail(self, source: str, message: str) -> None:
        self.report.failed += 1
        self.report.problems.append((source, message))
        record_failure(self.engine, source, message)
        self.listener(self.report)
