"""Analysis in worker processes, each article under a time and a memory budget, so one article never stalls the rest.

    with AnalysisPool(workers=2, budget=Budget(seconds=60)) as pool:
        for outcome in pool.analyse((item, item.text, item.article) for item in items):
            outcome.tag, outcome.document, outcome.error      # in input order; document or one-line error

A worker that overruns its article's time (`Budget.seconds`) or memory (`Budget.memory`, its resident set) is
killed and replaced, and that article's outcome is a one-line error ("analysis took over 60 s; skipped (raise
--article-timeout)"); so is an article whose worker dies. A text `newsgraph.limits.analysis_problem` refuses (too
long, or a run the tokenizer would take minutes on) never reaches a worker.

How workers start. Loading the spaCy pipeline costs 2-5 s and ~250 MB a process (6.5 s on a loaded 2-core
machine), and its lazily built tables seconds more on the first articles. The pool's own process holds one loaded
and warmed-up `Analyzer` (the one passed in, or one it loads) and forks each worker from itself: a fork takes 9-10
ms on an idle machine, 26-41 ms on the loaded one (benchmarks/workers.py --start), against 1.8 and 6.5 s for a
fresh process loading the pipeline; the worker's memory is shared with the parent until written,
and a worker killed for overrunning is replaced at once. So 1 worker costs what analysing in-process did, N
workers load the pipeline once instead of N times, and tests that hold a loaded analyzer start a pool for free.
Forking is safe here because the worker touches nothing of the parent's but the analyzer: it closes the parent's
ends of the pipes, gets fresh standard streams (another thread may have held a stream's lock at the fork),
ignores Ctrl-C (the parent's to handle), never closes an inherited database connection (it ends with os._exit),
and ends by itself if its parent dies. This needs POSIX `fork`.

A process that must not fork itself (the server: threads, its listening socket, the event loop's descriptors)
uses `AnalysisService`: the same pool in a process of its own, started clean by multiprocessing's forkserver,
reached through a pipe, one article at a time.

Statement vectors. With `statement_vectors=True` each worker also encodes its article's statement contents with the
sentence encoder (`newsgraph.embeddings`, one thread) and sends the vectors with the document (`Outcome.vectors`,
content -> float32 vector): the store's claim grouping needs them, and encoding is most of its cost, so it runs in
the workers beside the analysis instead of in the writer's process competing with it. The encoder is loaded
once in the pool's process (onnxruntime with one thread starts no threads of its own, so forking it is as safe as
forking the pipeline); where it is not installed there are no vectors and the store encodes what it needs itself.

Documents cross processes as JSON (`model_dump_json` / `model_validate_json`): unpickling a Document costs about
8 ms, parsing its JSON under 1 ms, and the receiving process's time is what keeps N workers from going N times as
fast.

The memory budget. A worker's resident set counts the pages it shares with the process it was forked from (the
pipeline, ~0.3-0.6 GB; in a test run, the whole test process), plus what its article costs: real articles take
well under 1 GB (measured: a 100,000-character article 0.4 GB above the loaded pipeline, a 500,000-character one
1.6 GB; the longest news article at hand has 34,000 characters), and the audit's 5 MB line took 11 GB.
`DEFAULT_ARTICLE_MEMORY` (4 GiB) leaves room for any real article while two workers at their limit (the machine
this runs on has 2 cores, so 2 workers is the useful most) still leave two thirds of a 24 GiB machine to everything
else. The resident set is read from /proc; where there is no /proc the memory budget is not enforced.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from multiprocessing.util import Finalize
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import numpy as np

from newsgraph.limits import MAX_ARTICLE_CHARS, ArticleRefused, analysis_problem
from newsgraph.records import Article, Document

if TYPE_CHECKING:
    from newsgraph.embeddings import SentenceEncoder

DEFAULT_ARTICLE_TIMEOUT = 60.0
DEFAULT_ARTICLE_MEMORY = 4 * 2**30
MEMORY_CHECK_SECONDS = 0.2  # how often a busy worker's resident set is read: a few reads of /proc a second
WINDOW_PER_WORKER = 8  # articles taken ahead per worker, so that a slow one does not leave the others idle
SERVICE_START_SECONDS = 300.0  # loading the pipeline takes seconds, more on a loaded machine
ORPHAN_CHECK_SECONDS = 1.0
SERVICE_ANSWER_MARGIN = 30.0  # beyond the article's time budget: killing and replacing a worker, the reply
# Names, a title, an organisation, a place, a date, an amount and a quote: what builds every lazily loaded table.
WARM_UP_TEXT = ('Russian President Vladimir Putin told UN Secretary-General Antonio Guterres on Monday in Paris that '
                'the $5 million plan "will not work," the Kremlin said.')

T = TypeVar("T")
FailureKind = Literal["refused", "timeout", "memory", "died", "error"]


@dataclass(frozen=True)
class Budget:
    """What one article may cost: seconds of analysis, bytes of a worker's resident set (None: no limit), and
    characters of text (the readers' --max-bytes: one limit for both)."""

    seconds: float = DEFAULT_ARTICLE_TIMEOUT
    memory: int | None = DEFAULT_ARTICLE_MEMORY
    max_chars: int = MAX_ARTICLE_CHARS

    def __post_init__(self) -> None:
        if not self.seconds > 0:
            raise ValueError(f"the time budget must be more than 0 seconds, not {self.seconds:g}")
        if self.memory is not None and self.memory <= 0:
            raise ValueError(f"the memory budget must be more than 0 bytes (None: no limit), not {self.memory}")

    @classmethod
    def of_options(cls, article_timeout: float = DEFAULT_ARTICLE_TIMEOUT,
                   article_memory_gib: float = DEFAULT_ARTICLE_MEMORY / 2**30,
                   max_bytes: int = MAX_ARTICLE_CHARS) -> Budget:
        """The budget of the command-line options --article-timeout SECONDS, --article-memory GIB (0: no limit)
        and --max-bytes."""
        memory = round(article_memory_gib * 2**30) if article_memory_gib else None
        return cls(seconds=article_timeout, memory=memory, max_chars=max_bytes)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """One task's result: its document, or the one-line reason it has none and what kind of failure that was;
    with a pool's `statement_vectors`, the sentence vector of each of its statement contents (None: not encoded)."""

    tag: T
    document: Document | None
    error: str | None = None
    kind: FailureKind | None = None
    vectors: dict[str, np.ndarray] | None = None


class ArticleFailed(Exception):
    """An article could not be analysed; the message is one line."""

    def __init__(self, message: str, kind: FailureKind) -> None:
        super().__init__(message)
        self.kind = kind


class AnalyzerUnavailable(RuntimeError):
    """The analysis process could not be started or stopped answering; the message is one line."""


@dataclass(frozen=True)
class _Job:
    seq: int
    tag: Any
    text: str
    article: Article


@dataclass(frozen=True)
class _Done:
    """A finished job, its document still the JSON the worker sent (parsed only where it is used)."""

    seq: int
    tag: Any
    document_json: str | None
    error: str | None = None
    kind: FailureKind | None = None
    vectors: dict[str, bytes] | None = None

    def outcome(self) -> Outcome[Any]:
        document = Document.model_validate_json(self.document_json) if self.document_json is not None else None
        vectors = None if self.vectors is None else {
            content: np.frombuffer(blob, dtype=np.float32) for content, blob in self.vectors.items()}
        return Outcome(self.tag, document, self.error, self.kind, vectors)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: _Job | None = None
    started: float = 0.0


_warmed: weakref.WeakSet[Any] = weakref.WeakSet()


class AnalysisPool:
    """N worker processes forked from this one, each analysing one article at a time under `budget`.

    `analyzer`: a loaded `Analyzer` (or anything with its `analyze(text, article)`) to fork the workers from;
    without it the pool loads `Analyzer(model, use_tagger)` when it first needs a worker. `statement_vectors`: the
    workers also encode each document's statement contents (`Outcome.vectors`), when the encoder is installed."""

    def __init__(self, workers: int = 1, *, model: str | None = None, use_tagger: bool = True,
                 analyzer: Any = None, budget: Budget | None = None, statement_vectors: bool = False) -> None:
        self.size = max(1, workers)
        self.model, self.use_tagger = model, use_tagger
        self.analyzer = analyzer
        self.budget = budget or Budget()
        self.statement_vectors = statement_vectors
        self._encoder: SentenceEncoder | None = None
        self._workers: list[_Worker] = []
        self._fork = multiprocessing.get_context("fork")

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker: an idle one is told to end, a busy one is killed."""
        for worker in self._workers:
            if worker.job is not None:
                worker.process.kill()
            _say_stop(worker.conn)
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self._workers.clear()

    def loaded(self) -> Any:
        """The analyzer the workers fork from, loaded (PipelineError if it cannot be) and warmed up once: its lazily
        built tables (gazetteer, lexicons) are then built before any fork, and no worker builds them again."""
        if self.analyzer is None:
            from newsgraph.analyzer import Analyzer

            self.analyzer = Analyzer(self.model, self.use_tagger)
        if self.analyzer not in _warmed:
            self.analyzer.analyze(WARM_UP_TEXT, Article(id="warm-up", published="2022-04-26"))
            _warmed.add(self.analyzer)
        if self.statement_vectors and self._encoder is None:
            self._encoder = statement_encoder()
        return self.analyzer

    def analyse(self, tasks: Iterable[tuple[T, str, Article]], *, ordered: bool = True) -> Iterator[Outcome[T]]:
        """An outcome for each `(tag, text, article)`: in input order, or with `ordered=False` as each finishes."""
        for done in self._run(tasks, ordered):
            yield done.outcome()

    def _run(self, tasks: Iterable[tuple[Any, str, Article]], ordered: bool) -> Iterator[_Done]:
        source = iter(tasks)
        numbers = itertools.count()
        queue: deque[_Job] = deque()
        finished: dict[int, _Done] = {}
        taken = yielded = 0
        exhausted = False
        window = WINDOW_PER_WORKER * self.size
        while True:
            while not exhausted and taken - yielded < window:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                job = _Job(next(numbers), *task)
                taken += 1
                problem = analysis_problem(job.text, self.budget.max_chars)
                if problem:
                    finished[job.seq] = _Done(job.seq, job.tag, None, problem, "refused")
                else:
                    queue.append(job)
            self._dispatch(queue)
            while finished and (yielded in finished or not ordered):
                yield finished.pop(yielded if ordered else next(iter(finished)))
                yielded += 1
            busy = [w for w in self._workers if w.job is not None]
            if not busy:
                if exhausted and not queue and not finished:
                    return
                continue
            for done in self._collect(busy):
                finished[done.seq] = done

    def _dispatch(self, queue: deque[_Job]) -> None:
        while queue:
            worker = self._idle_worker()
            if worker is None:
                return
            job = queue.popleft()
            try:
                worker.conn.send((job.text, job.article))
            except OSError:  # it died while idle: retire it, and the job goes to the next one
                queue.appendleft(job)
                self._retire(worker)
                continue
            worker.job, worker.started = job, time.monotonic()

    def _idle_worker(self) -> _Worker | None:
        for worker in list(self._workers):
            if worker.job is None:
                if worker.process.is_alive():
                    return worker
                self._retire(worker)
        if len(self._workers) < self.size:
            worker = self._start_worker()
            self._workers.append(worker)
            return worker
        return None

    def _start_worker(self) -> _Worker:
        analyzer = self.loaded()
        parent_end, child_end = self._fork.Pipe()
        inherited = [w.conn for w in self._workers] + [parent_end]
        process = self._fork.Process(
            target=_work, args=(child_end, analyzer, self._encoder, self.budget.max_chars, inherited),
            name="newsgraph-analysis", daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _collect(self, busy: list[_Worker]) -> list[_Done]:
        """Wait for a busy worker to finish or overrun; the jobs that ended, and retire the workers that failed."""
        deadline = min(w.started for w in busy) + self.budget.seconds
        timeout = max(0.0, deadline - time.monotonic())
        if self.budget.memory is not None:
            timeout = min(timeout, MEMORY_CHECK_SECONDS)
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        ended = []
        for worker in busy:
            job = worker.job
            assert job is not None
            if worker.conn in ready:
                try:
                    document_json, error, kind, vectors = worker.conn.recv()
                except (EOFError, OSError):
                    pass  # it died: said below
                else:
                    ended.append(_Done(job.seq, job.tag, document_json, error, kind, vectors))
                    worker.job = None
                    continue
            failure = self._failure(worker, ready)
            if failure is not None:
                ended.append(_Done(job.seq, job.tag, None, *failure))
                self._retire(worker)
        return ended

    def _failure(self, worker: _Worker, ready: set[Any]) -> tuple[str, FailureKind] | None:
        """Why a busy worker's article failed (it died, or overran its budget), or None while it is within it."""
        if worker.conn in ready or worker.process.sentinel in ready:
            worker.process.join()
            return f"the analysis worker died ({exit_description(worker.process.exitcode)}); skipped", "died"
        if time.monotonic() >= worker.started + self.budget.seconds:
            return f"analysis took over {self.budget.seconds:g} s; skipped (raise --article-timeout)", "timeout"
        rss = resident_bytes(worker.process.pid)
        if self.budget.memory is not None and rss is not None and rss > self.budget.memory:
            return (f"analysis used over {self.budget.memory / 2**30:.1f} GiB of memory; skipped "
                    "(raise --article-memory)"), "memory"
        return None

    def _retire(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._workers.remove(worker)


def _work(conn: Connection, analyzer: Any, encoder: SentenceEncoder | None, max_chars: int,
          inherited: list[Connection]) -> None:
    """A worker's life: analyse each (text, article) received and send back (document JSON, error, kind, vectors)."""
    _become_child(inherited)
    nlp = getattr(analyzer, "nlp", None)
    if nlp is not None:  # the pool checked the length against `max_chars`; spaCy must not refuse what it let through
        nlp.max_length = max(nlp.max_length, max_chars)
    while True:
        try:
            message = conn.recv()
            if message is None:  # told to stop
                return
            conn.send(_analysed(analyzer, encoder, *message))
        except (EOFError, OSError):  # the parent is gone
            return


def _become_child(inherited: list[Connection]) -> None:
    """What a process forked by this module does first."""
    # The parent's ends of pipes: a child holding one would keep the process at the other end from seeing it close.
    for other in inherited:
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops its children
    # Fresh standard streams: a thread of the parent may have held a stream's lock at the fork.
    sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    _exit_when_orphaned()


def _exit_when_orphaned() -> None:
    """End this process, even in the middle of an article, once its parent is gone (killed: nobody would read the
    result or enforce the budget any more)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="newsgraph-orphan-watch", daemon=True).start()


def _say_stop(conn: Connection) -> None:
    """Tell the process at the other end to stop, and close the pipe. (The message, not the closing, is what it
    waits for: another forked process may hold a copy of this end, and then closing it is not seen.)"""
    with contextlib.suppress(OSError):
        conn.send(None)
    conn.close()


Analysed = tuple[str | None, str | None, FailureKind | None, dict[str, bytes] | None]


def _analysed(analyzer: Any, encoder: SentenceEncoder | None, text: str, article: Article) -> Analysed:
    try:
        document: Document = analyzer.analyze(text, article)
    except ArticleRefused as exc:
        return None, str(exc), "refused", None
    except MemoryError:
        return None, "analysis ran out of memory; skipped", "memory", None
    except Exception as exc:  # one bad article must not stop the others: report it and go on
        return None, f"analysis failed: {type(exc).__name__}: {' '.join(str(exc).split())}", "error", None
    return document.model_dump_json(by_alias=True), None, None, _statement_vectors(encoder, document)


def statement_encoder() -> SentenceEncoder | None:
    """The encoder the workers embed statements with (the store's claims use the same), or None when the model
    is not installed (then the store encodes, or says it cannot)."""
    from newsgraph import embeddings

    try:
        return embeddings.statement_encoder()
    except embeddings.EncoderUnavailable:
        return None


def _statement_vectors(encoder: SentenceEncoder | None, document: Document) -> dict[str, bytes] | None:
    """Each statement content's vector as float32 bytes. The contents are encoded as the store encodes an
    article's (`store.claims.group_article_claims`: in statement order, one call), so the vectors are the same."""
    if encoder is None:
        return None
    try:
        contents = [s.content.text for s in document.statements]
        return {content: np.asarray(vector, dtype=np.float32).tobytes()
                for content, vector in zip(contents, encoder.encode(contents), strict=True)}
    except Exception:  # the document is what matters; the store encodes what has no vector
        return None


def resident_bytes(pid: int | None) -> int | None:
    """A process's resident set in bytes, from /proc; None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def exit_description(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return f"killed by {name}" + (", perhaps by the system for lack of memory" if name == "SIGKILL" else "")
    return f"exit code {code}"


class AnalysisService:
    """An `AnalysisPool` of one worker in a process of its own, reached through a pipe: for a process that must not
    fork itself (the server). One article at a time; a caller waits its turn on the lock.

    With `analyzer` the service process is forked from this one holding it (tests: no pipeline loaded again);
    without, it starts clean through multiprocessing's forkserver and loads `Analyzer(model, use_tagger)`. It starts
    on the first `analyze`, and again after it died; it ends when this process closes it or goes away."""

    def __init__(self, *, model: str | None = None, use_tagger: bool = True, analyzer: Any = None,
                 budget: Budget | None = None) -> None:
        self.model, self.use_tagger, self.analyzer = model, use_tagger, analyzer
        self.budget = budget or Budget()
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._process: BaseProcess | None = None
        self._finalizer: Finalize | None = None

    def analyze(self, text: str, article: Article) -> Document:
        """The article's Document; `ArticleFailed` when it cannot be analysed, `AnalyzerUnavailable` when the
        analysis process cannot start or stopped answering."""
        return Document.model_validate_json(self.analyze_json(text, article))

    def analyze_json(self, text: str, article: Article) -> str:
        """The article's Document as JSON (by alias: what an API sends), as the worker made it."""
        with self._lock:
            conn = self._started()
            try:
                conn.send((text, article))
                if not conn.poll(self.budget.seconds + SERVICE_ANSWER_MARGIN):
                    raise AnalyzerUnavailable("the analysis process stopped answering; it is restarted for the next "
                                              "request")
                document_json, error, kind = conn.recv()
            except (EOFError, OSError, AnalyzerUnavailable) as exc:
                self._stop()
                if isinstance(exc, AnalyzerUnavailable):
                    raise
                raise AnalyzerUnavailable("the analysis process stopped; try again") from None
        if error is not None:
            raise ArticleFailed(error, kind)
        return str(document_json)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _started(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._stop()
        forked = self.analyzer is not None
        context: Any = multiprocessing.get_context("fork" if forked else "forkserver")
        conn, child_end = context.Pipe()
        inherited = [conn] if forked else []  # a forkserver child inherits none of this process's descriptors
        process: BaseProcess = context.Process(
            target=_serve, args=(child_end, self.analyzer, self.model, self.use_tagger, self.budget, inherited),
            name="newsgraph-analysis-service")
        process.start()
        child_end.close()
        self._conn, self._process = conn, process
        # At exit, before multiprocessing waits for its children: close the pipe, so that the service ends.
        self._finalizer = Finalize(self, _stop_service, args=(conn, process), exitpriority=10)
        try:
            status, message = (conn.recv() if conn.poll(SERVICE_START_SECONDS)
                               else ("failed", f"it did not start in {SERVICE_START_SECONDS:g} s"))
        except (EOFError, OSError):
            status, message = "failed", "its process ended as it started"
        if status != "ready":
            self._stop()
            raise AnalyzerUnavailable(f"the analyzer could not be loaded: {message}")
        return conn

    def _stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # runs _stop_service once
        self._conn = self._process = self._finalizer = None


def _stop_service(conn: Connection, process: BaseProcess) -> None:
    _say_stop(conn)
    process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join()


def _serve(conn: Connection, analyzer: Any, model: str | None, use_tagger: bool, budget: Budget,
           inherited: list[Connection]) -> None:
    """The service process: load (or keep) the analyzer, then analyse each article received through its pool."""
    _become_child(inherited)
    pool = AnalysisPool(1, model=model, use_tagger=use_tagger, analyzer=analyzer, budget=budget)
    try:
        pool.loaded()
    except Exception as exc:  # a missing or broken model: said once, in one line, by whoever asked
        conn.send(("failed", " ".join(str(exc).split()) or type(exc).__name__))
        return
    conn.send(("ready", None))
    with pool:
        while True:
            try:
                message = conn.recv()
                if message is None:  # told to stop
                    return
                done = next(pool._run([(None, *message)], ordered=True))
                conn.send((done.document_json, done.error, done.kind))
            except (EOFError, OSError):  # the server is gone
                return
