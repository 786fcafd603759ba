"""Ingest throughput and search latency.

1. Articles/s of `analyze` alone, of ingest with 1 worker and with 2 workers, on the 85 sample articles
   (the example and ../shared/corpora/polnear-dev, read where they are, with their publication dates), each
   into a fresh SQLite store.
   Rates are steady-state: from the first finished article to the last, so pipeline loading (and the
   workers' start-up) is not counted. Targets: storage <= 10% of analysis time; 2 workers >= 1.7x one.
2. Search latency on a store of >= 20,000 articles built by re-writing the analysed samples under new
   ids: p50 and p95 of a full-text statement search with a speaker filter, as `newsgraph search` runs it and
   as the server runs it. Target: p95 < 100 ms.

    python benchmarks/ingest.py [--articles 20000] [--queries 300] [--db-dir /tmp]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from newsgraph.analyzer import Analyzer
from newsgraph.corpus import Ingester, IngestReport
from newsgraph.ingest import ArticleInput, read_inputs
from newsgraph.ingest.metadata import Metadata, load_metadata
from newsgraph.records import Document
from newsgraph.store import planner
from newsgraph.store.connect import open_engine
from newsgraph.store.dedup import fingerprint
from newsgraph.store.query import Filters, search_statements
from newsgraph.store.write import Fingerprint, count_articles, write_document

REPO = Path(__file__).resolve().parent.parent
POLNEAR_DEV = REPO.parent / "shared/corpora/polnear-dev"
SAMPLES = [str(REPO / "examples" / "ukraine-2022-04-26.txt"), str(POLNEAR_DEV / "text")]


def sample_inputs() -> list[ArticleInput]:
    """The samples with their publication dates (and PolNeAR's titles, publishers, authors)."""
    return [i for i in read_inputs(SAMPLES, metadata=sample_metadata()) if isinstance(i, ArticleInput)]


def sample_metadata() -> Metadata:
    table = load_metadata(POLNEAR_DEV / "metadata.tsv")
    table["ukraine-2022-04-26"] = {"published": "2022-04-26"}
    return table


def steady_rate(stamps: list[float], workers: int = 1) -> float:
    """Articles/s from the first finished article to the last one finished while every worker was busy: the last
    `workers - 1` finish with workers idle beside them, a tail that a long run does not have."""
    stamps = sorted(stamps)[: len(stamps) - (workers - 1)]
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else float("nan")


def analyse_alone(analyzer: Analyzer, inputs: list[ArticleInput]) -> tuple[float, list[Document]]:
    stamps, docs = [], []
    for item in inputs:
        docs.append(analyzer.analyze(item.text, item.article))
        stamps.append(time.perf_counter())
    return steady_rate(stamps), docs


def ingest_rate(url: str, workers: int, analyzer: Analyzer | None) -> tuple[float, IngestReport]:
    stamps: list[float] = []
    engine = open_engine(url)
    ingester = Ingester(engine, workers=workers, analyzer=analyzer if workers == 1 else None,
                        listener=lambda report: stamps.append(time.perf_counter()))
    report = ingester.run(SAMPLES, metadata=sample_metadata())
    engine.dispose()
    return steady_rate(stamps, workers), report


def write_cost(url: str, docs: list[Document]) -> float:
    """Mean seconds to store one analysed article."""
    engine = open_engine(url)
    start = time.perf_counter()
    for doc in docs:
        write_document(engine, doc, "bench")
    engine.dispose()
    return (time.perf_counter() - start) / len(docs)


def build_big_store(url: str, docs: list[Document], target: int) -> int:
    engine = open_engine(url)
    signatures = [fingerprint(d.text) for d in docs]
    written, copy, run = 0, 0, time.time_ns()  # run: copies of another run get other ids and hashes
    start = time.perf_counter()
    while written < target:
        copy += 1
        for doc, signature in zip(docs, signatures, strict=True):
            clone = doc.model_copy(deep=True)
            clone.article.id = f"{doc.article.id}~{run}-{copy}"
            digest = hashlib.sha256(f"{run}-{copy}:{doc.text}".encode()).hexdigest()
            write_document(engine, clone, "bench", Fingerprint(digest, signature), near_duplicates=False)
            written += 1
        print(f"  {written} articles stored ({written / (time.perf_counter() - start):.0f}/s)", file=sys.stderr)
    engine.dispose()
    return written


def search_latency(url: str, docs: list[Document], queries: int, planned: bool) -> tuple[float, float, int]:
    """p50 and p95 of a full-text statement search with a speaker filter: as `newsgraph search` runs it (plain
    SQL), or as the server runs it (`planned`: the in-memory index, built before the clock starts)."""
    engine = open_engine(url)
    rng = random.Random(7)
    pairs = [(st.speaker.name, word) for d in docs for st in d.statements if st.speaker
             for word in st.content.text.split()[:6] if word.isalpha() and len(word) > 4]
    if planned:
        planner.statement_page(engine, Filters(), 1)
    timings, hits = [], 0
    for speaker, word in rng.sample(pairs, min(queries, len(pairs))):
        filters = Filters(query=word, speaker=speaker.split()[-1])
        start = time.perf_counter()
        found = planner.statement_page(engine, filters, 20)[0] if planned else search_statements(engine, filters, 20)
        timings.append(time.perf_counter() - start)
        hits += len(found)
    engine.dispose()
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))], hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-search", action="store_true", help="measure the ingest rates only")
    parser.add_argument("--db-dir", type=Path, default=None)
    parser.add_argument("--big-db", type=Path, default=None,
                        help="reuse this SQLite store of >= --articles articles for the search part (built if absent)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="newsgraph-bench-", dir=args.db_dir))
    inputs = sample_inputs()
    analyzer = Analyzer()
    analyse_alone(analyzer, inputs[:5])  # warm up
    alone, docs = analyse_alone(analyzer, inputs)
    one, _ = ingest_rate(f"sqlite:///{folder / 'one.db'}", 1, analyzer)
    two, report = ingest_rate(f"sqlite:///{folder / 'two.db'}", 2, None)
    per_write = write_cost(f"sqlite:///{folder / 'writes.db'}", docs)
    print(f"articles: {len(inputs)} (stored {report.stored}, near-duplicates {report.duplicates})")
    print(f"analyze alone:      {alone:6.2f} articles/s")
    print(f"ingest --workers 1: {one:6.2f} articles/s  (storage cost {alone / one - 1:+.1%} of analysis time; "
          f"one write {per_write * 1000:.1f} ms = {per_write * alone:.1%} of one analysis)")
    print(f"ingest --workers 2: {two:6.2f} articles/s  ({two / one:.2f}x one worker)")
    if args.no_search:
        return
    big_path = args.big_db or folder / "big.db"
    big = f"sqlite:///{big_path}"
    total = count_articles(open_engine(big)) if big_path.exists() else 0
    if total < args.articles:
        total += build_big_store(big, docs, args.articles - total)
    for planned, how in ((False, "newsgraph search (SQL)"), (True, "the server's planner")):
        p50, p95, hits = search_latency(big, docs, args.queries, planned)
        print(f"search on {total} articles, full text + speaker filter, {args.queries} queries, {how}: "
              f"p50 {p50 * 1000:.1f} ms  p95 {p95 * 1000:.1f} ms  ({hits} hits)")
    print(f"stores left in {folder}")


if __name__ == "__main__":
    main()
