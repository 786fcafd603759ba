"""Isolated analysis (newsgraph/workers.py): what it costs and what it protects.

0. `--tokenizer`: spaCy's tokenizer alone on runs of characters without a space (nested brackets, the audit's
   quote at 4 and 8 kB, random letters and punctuation) and on the same characters with spaces: the measurements
   behind `newsgraph.limits.MAX_UNBROKEN_CHARS`.
1. `--start`: starting a worker by forking a process that holds the loaded pipeline, against a fresh process that
   loads the pipeline itself (what a worker cost before).
2. `--ingest`: ingest of the 84 PolNeAR dev texts (../shared/corpora/polnear-dev, read in place) with 1 and 2
   workers into a fresh SQLite store: wall time from start (pipeline loading included) and the steady rate (from
   the first stored article to the last). Runs on any checkout: PYTHONPATH picks the code measured.
3. `--server`: the audit's 40 kB request (a quote of 20,000 nested brackets) sent to POST /api/analyze of a
   server (uvicorn, on 127.0.0.1) while another client asks GET /api/summary twice a second: the time to the
   analysis's answer and the slowest summary answer. Bounded: it gives up waiting after --give-up seconds.
   `--slow` sends instead 80 runs of nested brackets, each under the length refused at once (70 kB).

    PYTHONPATH=. python benchmarks/workers.py --tokenizer --start --ingest --server
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
POLNEAR_DEV = REPO.parent / "shared/corpora/polnear-dev"
PATHOLOGICAL = 'Putin said "' + "(" * 20000 + "x" + ")" * 20000 + '".'
# As slow, but with every run under newsgraph.limits.MAX_UNBROKEN_CHARS: only the time budget stops it.
SLOW = " ".join("(" * n + "x" + ")" * n for n in range(400, 480))


def measure_tokenizer() -> None:
    import random

    from newsgraph.pipeline import build_pipeline

    nlp = build_pipeline()
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz.,;:!?-'\"()"
    cases = [(f"nested brackets, {2 * n + 1:,} characters", "(" * n + "x" + ")" * n) for n in (250, 1000, 2000, 4000)]
    cases += [(f"the audit's quote at {n // 1000} kB", 'Putin said "' + "(" * (n // 2) + "x" + ")" * (n // 2) + '".')
              for n in (4000, 8000)]
    cases += [(f"random letters and punctuation, {n:,} characters", "".join(rng.choice(letters) for _ in range(n)))
              for n in (10_000, 50_000, 200_000)]
    cases += [("200,000 of them with a space after every 10", " ".join(cases[-1][1][i:i + 10]
                                                                       for i in range(0, 200_000, 10)))]
    for label, text in cases:
        started = time.perf_counter()
        doc = nlp.make_doc(text)
        print(f"tokenizer, {label}: {time.perf_counter() - started:.2f} s ({len(doc):,} tokens)")


def measure_start() -> None:
    from newsgraph.workers import AnalysisPool

    started = time.perf_counter()
    pool = AnalysisPool(1)
    pool.loaded()
    print(f"loading and warming the pipeline in this process: {time.perf_counter() - started:.2f} s")
    forks = []
    with pool:
        for _ in range(5):
            started = time.perf_counter()
            worker = pool._start_worker()
            forks.append(time.perf_counter() - started)
            pool._workers.append(worker)
    print(f"forking a worker from it: {1000 * min(forks):.0f}-{1000 * max(forks):.0f} ms (5 forks)")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from newsgraph.analyzer import Analyzer; Analyzer()"], check=True)
    print(f"a fresh process loading the pipeline: {time.perf_counter() - started:.2f} s")


def measure_ingest(workers: int) -> None:
    from newsgraph.corpus import Ingester, IngestReport
    from newsgraph.ingest.metadata import load_metadata
    from newsgraph.store.connect import open_engine

    stamps: list[float] = []

    def listen(report: IngestReport) -> None:
        stamps.append(time.perf_counter())

    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{folder}/store.db")
        started = time.perf_counter()
        report = Ingester(engine, workers=workers, listener=listen).run(
            [str(POLNEAR_DEV / "text")], metadata=load_metadata(POLNEAR_DEV / "metadata.tsv"))
        wall = time.perf_counter() - started
        engine.dispose()
    steady = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    print(f"ingest, {workers} worker(s): {report.stored} stored, {report.failed} failed; {wall:.1f} s in all, "
          f"steady {steady:.2f} articles/s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 600) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"content-type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def measure_server(give_up: float, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        code = ("import uvicorn; from newsgraph.server.app import create_app; "
                f"uvicorn.run(create_app('sqlite:///{folder}/store.db'), host='127.0.0.1', port={port}, "
                "log_level='warning')")
        server = subprocess.Popen([sys.executable, "-c", code])
        try:
            for _ in range(300):
                try:
                    request(port, "GET", "/api/summary", timeout=5)
                    break
                except OSError:
                    time.sleep(0.1)
            # Load the pipeline first, so that the figure is the article's, not the start-up's.
            request(port, "POST", "/api/analyze", json.dumps({"text": "The minister said so on Monday."}).encode())
            answer: dict[str, float] = {}

            def analyse() -> None:
                started = time.perf_counter()
                try:
                    answer["status"] = request(port, "POST", "/api/analyze",
                                               json.dumps({"text": text}).encode(), timeout=give_up)
                except OSError:
                    answer["status"] = 0
                answer["seconds"] = time.perf_counter() - started

            thread = threading.Thread(target=analyse, daemon=True)
            thread.start()
            slowest, asked = 0.0, 0
            deadline = time.perf_counter() + give_up
            while thread.is_alive() and time.perf_counter() < deadline:
                started = time.perf_counter()
                with contextlib.suppress(OSError):
                    request(port, "GET", "/api/summary", timeout=give_up)
                slowest, asked = max(slowest, time.perf_counter() - started), asked + 1
                time.sleep(0.5)
            thread.join(timeout=1)
            if "seconds" in answer:
                print(f"the {len(text) // 1000} kB request: HTTP {answer['status']:.0f} after "
                      f"{answer['seconds']:.2f} s")
            else:
                print(f"the {len(text) // 1000} kB request: no answer in {give_up:g} s")
            print(f"GET /api/summary meanwhile: {asked} answers, the slowest in {slowest:.2f} s")
        finally:
            server.kill()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokenizer", action="store_true")
    parser.add_argument("--start", action="store_true")
    parser.add_argument("--ingest", action="store_true")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--server", action="store_true")
    parser.add_argument("--slow", action="store_true")
    parser.add_argument("--give-up", type=float, default=120.0)
    args = parser.parse_args()
    if args.tokenizer:
        measure_tokenizer()
    if args.start:
        measure_start()
    if args.ingest:
        for workers in args.workers:
            measure_ingest(workers)
    if args.server:
        measure_server(args.give_up, SLOW if args.slow else PATHOLOGICAL)


if __name__ == "__main__":
    main()
