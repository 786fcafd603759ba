"""Ingesting a corpus: read sources, skip what is stored, analyse (in N processes), write each article.

The main process reads the sources and is the only writer, one transaction per article; worker
processes only analyse. So a run killed at any moment and run again stores every article exactly
once, and a failing article is recorded with its error and skipped without stopping the run.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from typing import Any

from sqlalchemy import Engine

from newsgraph.ingest import ArticleInput, InputProblem, read_inputs
from newsgraph.ingest.metadata import Metadata
from newsgraph.records import Article, Document
from newsgraph.store.write import Fingerprint, WriteResult, existing_article, record_failure, write_document


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


Outcome = tuple[Task, Document | None, str | None]  # the task, its document or the error
SentOutcome = tuple[Task, str | None, str | None]  # the same from a worker process, the document as JSON
Listener = Callable[[IngestReport], None]

_worker_analyzer: Any = None
WARM_UP_TEXT = 'The minister said on Monday in Paris that the $5 million plan "will not work."'


def _start_worker(model: str | None, use_tagger: bool) -> None:
    global _worker_analyzer
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from newsgraph.analyzer import Analyzer

    _worker_analyzer = Analyzer(model, use_tagger)
    # Build the lazily loaded tables (gazetteer, lexicons) now, so that the first article of each worker is
    # not seconds slower than the rest and the workers start their real work together.
    _worker_analyzer.analyze(WARM_UP_TEXT)


def _analyse(task: Task, analyzer: Any = None) -> Outcome:
    try:
        return task, (analyzer or _worker_analyzer).analyze(task.text, task.article), None
    except Exception as exc:  # one bad article must not stop the run: report it and go on
        return task, None, f"analysis failed: {type(exc).__name__}: {exc}"


def _analyse_in_worker(task: Task) -> SentOutcome:
    # A Document crosses to the writer as JSON: unpickling one costs the writer about 8 ms, parsing its JSON
    # under 1 ms, and the writer's time is what keeps N workers from going N times as fast.
    task, document, error = _analyse(task)
    return task, document.model_dump_json() if document is not None else None, error


def _received(sent: SentOutcome) -> Outcome:
    task, document_json, error = sent
    return task, Document.model_validate_json(document_json) if document_json is not None else None, error


class Ingester:
    """Ingest sources into a store; `workers` > 1 analyses in that many processes."""

    def __init__(self, engine: Engine, *, workers: int = 1, model: str | None = None, use_tagger: bool = True,
                 analyzer: Any = None, listener: Listener | None = None) -> None:
        self.engine = engine
        self.workers = max(1, workers)
        self.model, self.use_tagger = model, use_tagger
        self.analyzer = analyzer
        self.listener = listener or (lambda report: None)
        self.report = IngestReport()
        self._queued: set[str] = set()

    def run(self, sources: Iterable[str], published: str | None = None, max_bytes: int | None = None,
            items: Iterable[ArticleInput | InputProblem] | None = None, metadata: Metadata | None = None,
            ) -> IngestReport:
        kwargs: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
        stream = items if items is not None else read_inputs(sources, published, metadata=metadata, **kwargs)
        tasks = (task for task in map(self._task_or_skip, stream) if task is not None)
        if self.workers == 1:
            self._run_here(tasks)
        else:
            self._run_in_pool(tasks)
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

    def _run_here(self, tasks: Iterable[Task]) -> None:
        if self.analyzer is None:
            from newsgraph.analyzer import Analyzer

            self.analyzer = Analyzer(self.model, self.use_tagger)
        for task in tasks:
            self._write(_analyse(task, self.analyzer))

    def _run_in_pool(self, tasks: Iterable[Task]) -> None:
        # A bounded window of tasks in flight keeps memory flat on huge inputs and the writer busy.
        window = 4 * self.workers
        context = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
        with context.Pool(self.workers, _start_worker, (self.model, self.use_tagger)) as pool:
            pending: deque[AsyncResult[SentOutcome]] = deque()
            for task in tasks:
                pending.append(pool.apply_async(_analyse_in_worker, (task,)))
                while len(pending) >= window:
                    self._write(_received(pending.popleft().get()))
            while pending:
                self._write(_received(pending.popleft().get()))

    def _write(self, outcome: Outcome) -> None:
        task, document, error = outcome
        if document is None:
            self._fail(task.source, error or "analysis failed")
            return
        try:
            result = write_document(self.engine, document, task.source, task.fingerprint)
        except Exception as exc:  # a store error on one article is reported; the run goes on
            self._fail(task.source, f"could not store: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            return
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
