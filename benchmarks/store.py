"""Costs of the store's per-article work that tests must not time: a fingerprint and an actor-link decision.

1. The MinHash fingerprint (newsgraph.store.dedup.fingerprint) of a 5,000-word article: the words of the bundled
   example and the PolNeAR dev texts (../shared, read in place) repeated. Target: under 5 ms.
2. Linking one entity (lookup_keys + decide_link) against 100 candidate actors, the worst case of a common
   surname: a hundred senators named Smith and a bare "Smith". Target: under 5 ms a call (a typical entity has
   a handful of candidates and takes ~20 microseconds).
3. With --writes: storing the 84 PolNeAR dev articles (analysed first, not timed) into a new store, by one
   writer, and by two processes writing the same articles at once (each takes the write lock per article:
   the second finds each article stored). SQLite in a temporary folder, and PostgreSQL with --pg URL (its
   public schema is emptied first).

    python benchmarks/store.py [--repeat 50] [--writes [--pg postgresql://...]]

Prints the minimum and the median over the repeats: the minimum is the cost without interference from other
work on the machine, the median what a loaded machine gives.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsgraph.records import Article, Document, Entity, Place, TextSpan
from newsgraph.store.dedup import fingerprint
from newsgraph.store.linking import context_of, decide_link, lookup_keys, profile_for

REPO = Path(__file__).resolve().parent.parent
POLNEAR_DEV = REPO.parent / "shared/corpora/polnear-dev/text"


def article_of(words: int) -> str:
    paths = [REPO / "examples" / "ukraine-2022-04-26.txt", *sorted(POLNEAR_DEV.glob("*.txt"))[:5]]
    found = [w for p in paths if p.exists() for w in re.findall(r"\S+", p.read_text(encoding="utf-8"))]
    return " ".join(itertools.islice(itertools.cycle(found), words))


def timings(call: Callable[[], object], repeat: int) -> list[float]:
    call()  # warm up
    measured = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        measured.append(time.perf_counter() - start)
    return measured


def person(name: str, titles: tuple[str, ...] = ()) -> Entity:
    return Entity(id="E1", name=name, type="PERSON", titles=list(titles),
                  mentions=[TextSpan(start=0, end=len(name), text=name)])


def namesake_case() -> Callable[[], object]:
    places = [Place(start=0, end=len(n), text=n, name=n, feature="city", country=c)
              for n, c in (("Washington", "US"), ("London", "GB"))]
    doc = Document(text="(text)", article=Article(id="bench", published="2022-04-26"),
                   entities=[person("Smith"), person("Jane Doe").model_copy(update={"id": "E2"})], places=places)
    context = context_of(doc)
    given_names = ["Al" + "".join(chr(97 + int(d)) for d in str(i)) for i in range(100)]
    candidates = [dataclasses.replace(profile_for(person(f"{given} Smith", ("Senator",)), context), actor_id=i)
                  for i, given in enumerate(given_names)]
    candidates.append(dataclasses.replace(profile_for(person("Smith", ("Senator",)), context), actor_id=100))
    smith = person("Smith", ("Senator",))

    def link() -> object:
        lookup_keys(smith, context)
        return decide_link(smith, context, candidates)

    return link


def report(label: str, measured: list[float], target_ms: float) -> None:
    best, median = min(measured) * 1000, statistics.median(measured) * 1000
    verdict = "ok" if best < target_ms else "OVER TARGET"
    print(f"{label:<48} min {best:7.3f} ms  median {median:7.3f} ms  (target < {target_ms:g} ms: {verdict})")


def polnear_documents() -> list[Document]:
    from newsgraph.analyzer import Analyzer

    analyzer = Analyzer()
    paths = sorted(POLNEAR_DEV.glob("*.txt"))
    return [analyzer.analyze(p.read_text(encoding="utf-8"), Article(id=p.stem)) for p in paths]


def new_store(url: str) -> None:
    """No store at the URL: the SQLite file removed, or the PostgreSQL database's public schema emptied."""
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        from newsgraph.store.connect import normalise_url

        engine = create_engine(normalise_url(url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def write_all(url: str, docs: list[Document], start: Any = None) -> float:
    """Seconds to write the documents (after the store is open), waiting at `start` (a barrier) first."""
    from newsgraph.store.connect import open_engine
    from newsgraph.store.write import write_document

    engine = open_engine(url)
    if start is not None:
        start.wait()
    began = time.perf_counter()
    for doc in docs:
        write_document(engine, doc, f"bench:{doc.article.id}")
    elapsed = time.perf_counter() - began
    engine.dispose()
    return elapsed


def _write_in_process(url: str, docs: list[Document], start: Any, results: Any) -> None:
    results.put(write_all(url, docs, start))


def two_writers(url: str, docs: list[Document]) -> float:
    """Seconds until both of two processes writing the same documents at once are done."""
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(3), context.Queue()
    processes = [context.Process(target=_write_in_process, args=(url, docs, start, results)) for _ in range(2)]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    finished = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return max(time.perf_counter() - began, *finished)


def write_figures(docs: list[Document], urls: list[str]) -> None:
    for label, url in urls:
        new_store(url)
        alone = write_all(url, docs)
        new_store(url)
        both = two_writers(url, docs)
        print(f"{label:<11} one writer  {1000 * alone / len(docs):6.1f} ms an article ({alone:5.2f} s for "
              f"{len(docs)});  two writers at once {both:5.2f} s until both are done")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--writes", action="store_true", help="also measure storing the PolNeAR dev articles")
    parser.add_argument("--pg", help="a PostgreSQL URL for --writes (its public schema is emptied)")
    args = parser.parse_args()
    text = article_of(5000)
    report("fingerprint of a 5,000-word article", timings(lambda: fingerprint(text), args.repeat), 5)
    report("link a bare surname against 100 candidates", timings(namesake_case(), args.repeat), 5)
    if args.writes:
        docs = polnear_documents()
        folder = Path(tempfile.mkdtemp(prefix="newsgraph-bench-"))
        urls = [("SQLite", f"sqlite:///{folder / 'store.db'}")]
        if args.pg:
            urls.append(("PostgreSQL", args.pg))
        write_figures(docs, urls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
