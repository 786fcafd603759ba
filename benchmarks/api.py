"""Latency of the JSON API under concurrent clients.

Builds (or reuses, `--db`) a SQLite store of >= 20,000 articles by re-writing the analysed samples under
new ids (`benchmarks/ingest.py`'s `build_big_store`), starts `uvicorn` on 127.0.0.1 on a free port in a
subprocess, and runs N client processes for S seconds, each requesting filtered statements pages
(`/api/statements` with random speaker / full-text / since combinations drawn from the store, and a
random page of the first few). Prints requests, errors, p50, p95, p99 and requests/s.
Target: p95 < 50 ms with 8 clients for 30 s on 20,000 articles, no errors. Building the store takes 20-25
minutes on two cores; it is kept, and `--db` reuses it.

    python benchmarks/api.py [--db /tmp/ng-bench-20k.db] [--articles 20000] [--clients 8] [--seconds 30]
                             [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("OMP_NUM_THREADS", "1")

import httpx

# The sibling benchmark builds the big store; this file is run as a script, so its folder is on sys.path.
from ingest import build_big_store, sample_inputs  # type: ignore[import-not-found]
from sqlalchemy import Engine, func, select

from newsgraph.store.connect import open_engine
from newsgraph.store.schema import actors, articles, statements

DEFAULT_DB = Path("/tmp/ng-bench-20k.db")
HOST = "127.0.0.1"


# --- the store -------------------------------------------------------------------------------------------

def article_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())


def ensure_store(path: Path, target: int) -> int:
    """The store at `path` with at least `target` articles, built from the analysed samples if it has fewer."""
    url = f"sqlite:///{path}"
    engine = open_engine(url)
    have = article_count(engine)
    engine.dispose()
    if have >= target:
        return have
    if have:
        sys.exit(f"{path} holds {have} articles, fewer than {target}: remove it or pass another --db")
    from newsgraph.analyzer import Analyzer

    print(f"building {path}: analysing the samples, then {target} copies", file=sys.stderr)
    analyzer = Analyzer()
    docs = [analyzer.analyze(i.text, i.article) for i in sample_inputs()]
    return build_big_store(url, docs, target)


@dataclass(frozen=True)
class Vocabulary:
    """Values the clients draw their filters from, taken from the store so most queries find something."""

    speakers: list[str]
    words: list[str]
    days: list[str]


def vocabulary(engine: Engine, rng: random.Random) -> Vocabulary:
    with engine.connect() as conn:
        names = conn.execute(select(actors.c.name).where(actors.c.type == "PERSON")
                             .order_by(actors.c.article_count.desc()).limit(200)).scalars().all()
        contents = conn.execute(select(statements.c.content).order_by(statements.c.id).limit(3000)).scalars().all()
        days = conn.execute(select(statements.c.day).where(statements.c.day.is_not(None)).distinct()).scalars().all()
    # A surname is what a person types ("Putin"), and it exercises the name matching the way users do.
    speakers = sorted({name.split()[-1] for name in names if name.split()})
    words = sorted({w.strip(".,;:'\"()").lower() for c in contents for w in c.split()
                    if w.strip(".,;:'\"()").isalpha() and len(w) > 5})
    return Vocabulary(speakers, rng.sample(words, min(400, len(words))), sorted(days))


def random_params(vocab: Vocabulary, rng: random.Random) -> dict[str, str | int]:
    """One filtered statements page: any of speaker / q / since, at least one, and one of the first pages."""
    params: dict[str, str | int] = {}
    while not params:
        if rng.random() < 0.6:
            params["speaker"] = rng.choice(vocab.speakers)
        if rng.random() < 0.4:
            params["q"] = rng.choice(vocab.words)
        if rng.random() < 0.4 and vocab.days:
            params["since"] = rng.choice(vocab.days)
    params["limit"] = 50
    params["offset"] = 50 * rng.choice([0, 0, 0, 1, 2, 4])
    return params


# --- the server ------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# `create_app()` opens $NEWSGRAPH_DB; as a factory it also serves with several worker processes.
SERVER = """
import sys, uvicorn
uvicorn.run("newsgraph.server.app:create_app", factory=True, host=sys.argv[1], port=int(sys.argv[2]),
            workers=int(sys.argv[3]), log_level="warning", access_log=False)
"""


@dataclass(frozen=True)
class Server:
    base: str
    pid: int


@contextmanager
def running_server(db_url: str, workers: int = 1) -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, HOST, str(port), str(workers)],
                               env={**os.environ, "NEWSGRAPH_DB": db_url})
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, process)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_up(base: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/api/summary", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server did not answer within {seconds:.0f} s")


def cpu_seconds(pid: int) -> float | None:
    """CPU time of a process and its children (uvicorn's workers), from /proc; None where there is none."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        fields = [Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split() for p in [str(pid), *children]]
    except OSError:
        return None
    return sum(int(f[11]) + int(f[12]) for f in fields) / os.sysconf("SC_CLK_TCK")


# --- the clients -----------------------------------------------------------------------------------------
# Each client is a process of its own with one keep-alive connection (http.client): clients as threads of one
# Python process wait for each other's turn at the interpreter and measure that instead of the server. A
# request's latency runs from sending it to reading the last byte of its answer; the JSON is parsed (and its
# items counted) after the clock stops.

@dataclass
class Tally:
    timings: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hits: int = 0

    def add(self, other: Tally) -> None:
        self.timings += other.timings
        self.errors += other.errors
        self.hits += other.hits


def client(base: str, vocab: Vocabulary, seed: int, stop_at: float) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    host, port = base.removeprefix("http://").split(":")
    http = HTTPConnection(host, int(port), timeout=30)
    while time.time() < stop_at:
        url = "/api/statements?" + urlencode(random_params(vocab, rng))
        start = time.perf_counter()
        try:
            http.request("GET", url)
            response = http.getresponse()
            body = response.read()
        except (OSError, HTTPException) as exc:
            tally.errors.append(f"{type(exc).__name__} {url}: {exc}")
            http.close()
            http = HTTPConnection(host, int(port), timeout=30)
            continue
        tally.timings.append(time.perf_counter() - start)
        if response.status == 200:
            tally.hits += len(json.loads(body)["items"])
        else:
            tally.errors.append(f"{response.status} {url}: {body[:200]!r}")
    http.close()
    return tally


def load(base: str, vocab: Vocabulary, clients: int, seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        pool.map(abs, range(clients))  # the processes are up before the clock starts
        started = time.time()
        stop_at = started + seconds
        for part in pool.starmap(client, [(base, vocab, seed, stop_at) for seed in range(clients)]):
            tally.add(part)
        elapsed = time.time() - started
    return tally, elapsed


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def report(tally: Tally, elapsed: float, articles_n: int, clients: int, workers: int,
           server_cpu: float | None) -> None:
    timings = sorted(tally.timings)
    print(f"store: {articles_n} articles; {clients} clients for {elapsed:.1f} s on /api/statements; "
          f"{workers} server worker(s)")
    print(f"requests: {len(timings)}  errors: {len(tally.errors)}  items returned: {tally.hits}")
    if timings:
        print(f"latency ms: p50 {statistics.median(timings) * 1000:.1f}  p95 {percentile(timings, 0.95) * 1000:.1f}"
              f"  p99 {percentile(timings, 0.99) * 1000:.1f}  max {timings[-1] * 1000:.1f}")
    print(f"throughput: {len(timings) / elapsed:.1f} requests/s")
    if server_cpu is not None and timings:
        print(f"server CPU: {server_cpu / len(timings) * 1000:.2f} ms a request ({server_cpu / elapsed:.2f} cores)")
    for error in tally.errors[:5]:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"SQLite file, built if missing ({DEFAULT_DB})")
    parser.add_argument("--articles", type=int, default=20_000, help="articles the store must hold")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before measuring")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    args = parser.parse_args()
    n_articles = ensure_store(args.db, args.articles)
    url = f"sqlite:///{args.db}"
    engine = open_engine(url)
    vocab = vocabulary(engine, random.Random(7))
    engine.dispose()
    with running_server(url, args.workers) as server:
        load(server.base, vocab, args.clients, args.warmup)  # fills the page cache and the server's pools
        before = cpu_seconds(server.pid)
        tally, elapsed = load(server.base, vocab, args.clients, args.seconds)
        after = cpu_seconds(server.pid)
    used = after - before if before is not None and after is not None else None
    report(tally, elapsed, n_articles, args.clients, args.workers, used)
    sys.exit(1 if tally.errors else 0)


if __name__ == "__main__":
    main()
