"""`newsgraph batch`: analysis of many articles on Ray Data, written as Parquet record tables.

The pipeline: the units of the sources (`units.plan_units`) -> a pool of N analysis actors, each loading the
spaCy pipeline once, reading the units it is given as `ingest` reads them and analysing their articles under the
same per-article budget as `ingest` (`workers.AnalysisPool`, one worker) -> blocks of rows handed back as Arrow
tables -> written by this process (the driver) into the output folder with their manifest entry
(`output.OutputDir`). Only the driver writes: a killed batch leaves no worker writing behind it, so a rerun that
cleans up and skips what the manifest holds gives exactly the tables of an uninterrupted run.

Without an address Ray starts a local runtime with N CPUs (one actor each) and stops it at the end; with one, the
batch runs on that cluster (`ray start --head` on one machine, `ray start --address` on the others), whose nodes
need newsgraph installed and the sources and output folder reachable (a shared filesystem, or Parquet on object
storage for the inputs).
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.batch.output import Done, OutputDir
from newsgraph.batch.tables import KINDS, document_rows, failure_row, from_ipc, month_of, table_of, to_ipc
from newsgraph.batch.units import Unit, plan_units, read_unit
from newsgraph.ingest.base import DEFAULT_MAX_BYTES, ArticleInput
from newsgraph.ingest.metadata import Metadata
from newsgraph.workers import Budget

BLOCK_ARTICLES = 16  # articles an actor hands back together: a block's files and manifest entry
CONNECT_SECONDS = 10.0  # to reach a cluster's address
# Ray runs its workers 15 niceness steps below the driver, so that they yield to it and to Ray's own services. In a
# batch the actors are the work: at +15 they yield to every other job of a shared machine too, and a batch there
# ran far slower than `ingest`, whose workers run at the command's own niceness. A local runtime gives its actors
# the command's niceness (run `nice newsgraph batch ...` for a batch in the background), unless RAY_worker_niceness
# says otherwise; a cluster's is set by its `ray start` (RAY_worker_niceness=0 ray start ...).
LOCAL_WORKER_NICENESS = 0
FLUSH_SECONDS = 10.0  # the longest the driver holds analysed articles before writing them


@dataclass(frozen=True)
class Reading:
    """How the units are read and analysed (what `ingest` takes as options)."""

    published: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    metadata: Metadata | None = None
    allow_private_urls: bool = False
    model: str | None = None
    use_tagger: bool = True
    budget: Budget = field(default_factory=Budget)


@dataclass
class BatchReport:
    articles: int = 0  # analysed and written
    failed: int = 0
    skipped: int = 0  # done by an earlier run
    cleaned: int = 0  # files of an interrupted run deleted
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.articles + self.failed

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)


class Analyse:
    """A Ray actor's work: for each unit row, read it, analyse its articles not yet done, and yield blocks.

    The pipeline is loaded once, when the actor starts."""

    def __init__(self, reading: Reading, block_articles: int = BLOCK_ARTICLES) -> None:
        from newsgraph.workers import AnalysisPool

        self.reading, self.block_articles = reading, block_articles
        self.pool = AnalysisPool(1, model=reading.model, use_tagger=reading.use_tagger, budget=reading.budget)
        self.pool.loaded()

    def __call__(self, batch: dict[str, Any]) -> Iterator[dict[str, list[Any]]]:
        for number, kind, source, done_json in zip(batch["unit"], batch["kind"], batch["source"], batch["done"],
                                                   strict=True):
            unit, done = Unit(int(number), str(kind), str(source)), set(json.loads(done_json))
            items = ((i, item) for i, item in enumerate(self._read(unit)) if i not in done)
            while chunk := list(itertools.islice(items, self.block_articles)):
                yield self._block(unit, chunk)

    def _read(self, unit: Unit) -> Iterator[Any]:
        r = self.reading
        return read_unit(unit, r.published, r.max_bytes, r.metadata, r.allow_private_urls)

    def _block(self, unit: Unit, chunk: list[tuple[int, Any]]) -> dict[str, list[Any]]:
        rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
        months: dict[str, list[str]] = {kind: [] for kind in KINDS}
        done: list[dict[str, Any]] = []
        articles = [(i, item) for i, item in chunk if isinstance(item, ArticleInput)]
        outcomes = {o.tag: o for o in self.pool.analyse((i, item.text, item.article) for i, item in articles)}
        for i, item in chunk:
            outcome = outcomes.get(i)
            if outcome is not None and outcome.document is not None:
                month, made = month_of(outcome.document.article.published), document_rows(outcome.document,
                                                                                          item.source)
            else:
                article = item.article if isinstance(item, ArticleInput) else None
                message = item.message if outcome is None else outcome.error or "analysis failed"
                failure = None if outcome is None else outcome.kind
                month = month_of(article.published if article else None)
                made = {"failures": [failure_row(item.source, message, failure, article)]}
            for kind, kind_rows in made.items():
                rows[kind] += kind_rows
                months[kind] += [month] * len(kind_rows)
            done.append({"unit": unit.number, "item": i, "source": item.source, "month": month,
                         "rows": {kind: len(kind_rows) for kind, kind_rows in made.items() if kind_rows}})
        tables = {kind: to_ipc(table_of(kind, rows[kind], months[kind])) for kind in KINDS if rows[kind]}
        return {"done": [json.dumps(done)], "tables": [json.dumps(sorted(tables))],
                **{kind: [tables.get(kind, b"")] for kind in KINDS}}


Listener = Callable[[BatchReport], None]


def run_batch(sources: list[str], output: Path, *, workers: int = 1, address: str | None = None,
              reading: Reading | None = None, listener: Listener | None = None,
              block_articles: int = BLOCK_ARTICLES) -> BatchReport:
    """Analyse the sources into `output`, skipping what an earlier run over the same sources wrote there."""
    reading = reading or Reading()
    listener = listener or (lambda report: None)
    out = OutputDir(output)
    report = BatchReport(cleaned=out.clean())
    done = out.done(sources)
    report.skipped = len(done)
    units = plan_units(sources)
    todo = [{"unit": u.number, "kind": u.kind, "source": u.source,
             "done": json.dumps(sorted(i for n, i in done if n == u.number))} for u in units]
    started_here = _start_ray(workers, address)
    try:
        run_name = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 10**9:09d}"
        written = itertools.count()
        pending = _Pending()
        for block in _analysed_blocks(todo, workers, reading, block_articles):
            entries = [Done(**d) for d in json.loads(block["done"])]
            pending.add(entries, {kind: from_ipc(block[kind]) for kind in json.loads(block["tables"])})
            if pending.full(block_articles):
                pending.write(out, f"{run_name}-{next(written):07d}", sources)
            failed = sum(1 for d in entries if "articles" not in d.rows)
            report.failed += failed
            report.articles += len(entries) - failed
            listener(report)
        if pending.entries:
            pending.write(out, f"{run_name}-{next(written):07d}", sources)
    finally:
        if started_here:
            import ray

            ray.shutdown()
    return report


class _Pending:
    """Blocks received and not yet written, written together as one: a folder of text files gives one article a
    block, and writing a Parquet file per kind for each article cost the driver ~20-40 ms an article (of the ~300
    ms an analysis takes on a core), on a machine whose cores the actors need. Held at most `block_articles`
    articles or FLUSH_SECONDS: what a killed batch loses of them is analysed again by the next run."""

    def __init__(self) -> None:
        self.entries: list[Done] = []
        self.tables: dict[str, list[Any]] = {}
        self.since = time.monotonic()

    def add(self, entries: list[Done], tables: dict[str, Any]) -> None:
        if not self.entries:
            self.since = time.monotonic()
        self.entries += entries
        for kind, table in tables.items():
            self.tables.setdefault(kind, []).append(table)

    def full(self, block_articles: int) -> bool:
        return len(self.entries) >= block_articles or time.monotonic() - self.since >= FLUSH_SECONDS

    def write(self, out: OutputDir, name: str, sources: list[str]) -> None:
        import pyarrow as pa

        tables = {kind: pa.concat_tables(parts) for kind, parts in self.tables.items()}
        out.write_block(name, sources, self.entries, tables)
        self.entries, self.tables = [], {}


def _analysed_blocks(todo: list[dict[str, Any]], workers: int, reading: Reading,
                     block_articles: int) -> Iterator[dict[str, Any]]:
    import ray.data

    if not todo:
        return
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # (the command shows its own)
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # (its plan, timing and "progress bars disabled")
    units = ray.data.from_items(todo, override_num_blocks=len(todo))
    analysed = units.map_batches(Analyse, batch_size=1, num_cpus=1,
                                 compute=ray.data.ActorPoolStrategy(size=min(workers, len(todo))),
                                 fn_constructor_kwargs={"reading": reading, "block_articles": block_articles})
    for batch in analysed.iter_batches(batch_size=1, batch_format="numpy", prefetch_batches=0):
        yield {key: value[0] for key, value in batch.items()}


class RayUnavailable(RuntimeError):
    """Ray could not start or reach the cluster; the message is one line."""


def _start_ray(workers: int, address: str | None) -> bool:
    """Connect to the cluster at `address`, or start a local runtime with `workers` CPUs; whether this started
    one (and so stops it). A runtime already running in this process (tests) is used as it is."""
    import ray

    if address:
        _check_reachable(address)
    if ray.is_initialized():
        return False
    try:
        if address:
            ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False,
                     _system_config=_local_system_config())
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray runtime"
        raise RayUnavailable(f"cannot start {where}: {' '.join(str(exc).split())[:300]}") from None
    return True


def _local_system_config() -> dict[str, Any]:
    import os

    return {} if "RAY_worker_niceness" in os.environ else {"worker_niceness": LOCAL_WORKER_NICENESS}


def _check_reachable(address: str) -> None:
    """A HOST:PORT that answers, checked in seconds: Ray itself retries an unreachable cluster for many minutes."""
    import socket

    host, _, port = address.rpartition(":")
    if "://" in address or not host or not port.isdigit():
        return  # ("auto", ray:// client addresses: Ray's own to resolve)
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise RayUnavailable(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}") from None
