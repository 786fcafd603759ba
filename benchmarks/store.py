"""Costs of the store's per-article work that tests must not time: a fingerprint and an actor-link decision.

1. The MinHash fingerprint (newsgraph.store.dedup.fingerprint) of a 5,000-word article: the words of the bundled
   example and the PolNeAR dev texts (../shared, read in place) repeated. Target: under 5 ms.
2. Linking one entity (lookup_keys + decide_link) against 100 candidate actors, the worst case of a common
   surname: a hundred senators named Smith and a bare "Smith". Target: under 5 ms a call (a typical entity has
   a handful of candidates and takes ~20 microseconds).

    python benchmarks/store.py [--repeat 50]

Prints the minimum and the median over the repeats: the minimum is the cost without interference from other
work on the machine, the median what a loaded machine gives.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    text = article_of(5000)
    report("fingerprint of a 5,000-word article", timings(lambda: fingerprint(text), args.repeat), 5)
    report("link a bare surname against 100 candidates", timings(namesake_case(), args.repeat), 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
