"""What grouping claims adds to ingest time (issue 22 bar: at most 15%).

Runs `newsgraph ingest` of the first N PolNeAR train articles by publication date (../shared/corpora/polnear-train,
read in place through symbolic links in a temporary folder, with its metadata: claims need the dates) into a fresh
SQLite store, with and without `--no-claims`, the two interleaved (the order swapped every repeat, so a machine
getting busier or quieter weighs on both alike). For each run: wall seconds, CPU seconds of the whole process tree
(user + system of `newsgraph` and its analysis workers, from getrusage(RUSAGE_CHILDREN)) and the 1-minute load
average before it. The overhead of claims is given both as wall time and as CPU: on a shared 2-core machine the
wall figure moves with the other sessions' load, the CPU figure much less.

`--groups FILE` writes the claim groups of the last run with claims (each claim's statements as
"article key#statement id", its contradictions, a hash of each statement's vector), `--compare A B` says whether two
such files hold the same claims and vectors: the check that a change to how claims are computed did not change what
they are.

Figures (2026-12-04, the shared 2-core machine at load 4-8 from other sessions, 100 articles, 2 workers; each pair
one run with claims and one without): claims encoded beside the writer (before): CPU +146%, +137%, +110%, +56%,
+55%, wall +208%, +109%, +94%, +107%, +78% (the encoder's batches depended on how many articles were waiting: one
article's statements padded to its longest cost three times a batch of like lengths); encoded in the workers in
batches of like length: CPU +51%, +55%, +57%, +65%, wall +73%, +59%, +28%, +96%. The claims, their contradictions
and every vector were the same (--compare). The encoder alone takes 16-18 s of CPU for the 2,214 statements (48,800
word pieces) against 31-43 s for the whole ingest without claims.

    PYTHONPATH=. python benchmarks/claims_cost.py --articles 100 --repeats 3 --groups /tmp/groups.json
    python benchmarks/claims_cost.py --code ../other-checkout ...      # measure another checkout's newsgraph
    python benchmarks/claims_cost.py --compare /tmp/before.json /tmp/after.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLNEAR_TRAIN = REPO.parent / "shared" / "corpora" / "polnear-train"


# `newsgraph ingest ...` in a process that, as it ends, writes its own CPU seconds (all its threads: reading,
# the writer, the claim grouper) to the file named by its first argument; the workers' are the rest of the tree's.
RUNNER = ("import resource, sys\n"
          "from newsgraph.cli import main\n"
          "out = sys.argv.pop(1)\n"
          "code = main(sys.argv[1:])\n"
          "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
          "open(out, 'w').write(str(usage.ru_utime + usage.ru_stime))\n"
          "sys.exit(code)\n")


@dataclass(frozen=True)
class Run:
    claims: bool
    wall: float
    cpu: float  # the whole process tree's
    main_cpu: float  # the ingesting process's own (the workers': cpu - main_cpu)
    load: float
    claim_count: int


def first_articles(corpus: Path, count: int) -> list[Path]:
    """The corpus's first `count` texts by publication date (then name): articles close in time share claims."""
    with (corpus / "metadata.tsv").open(encoding="utf-8", newline="") as table:
        rows = sorted(csv.DictReader(table, delimiter="\t"), key=lambda r: (r["publication_date"], r["filename"]))
    return [corpus / "text" / f"{row['filename']}.txt" for row in rows[:count]]


def linked_folder(texts: list[Path], folder: Path) -> Path:
    """A folder of links to the texts (the corpus is read where it is, never copied)."""
    folder.mkdir()
    for text in texts:
        (folder / text.name).symlink_to(text)
    return folder


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ingest(code: Path, source: Path, metadata: Path, store: Path, workers: int, claims: bool) -> Run:
    own = store.with_suffix(".cpu")
    command = [sys.executable, "-c", RUNNER, str(own), "ingest", str(source), "--db", f"sqlite:///{store}",
               "--metadata", str(metadata), "--workers", str(workers), "--quiet"]
    if not claims:
        command.append("--no-claims")
    environment = dict(os.environ, PYTHONPATH=str(code))
    load = os.getloadavg()[0]
    cpu, started = children_cpu(), time.perf_counter()
    subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    with sqlite3.connect(store) as db:
        count = db.execute("SELECT count(*) FROM claims WHERE merged_into IS NULL AND article_count >= 2").fetchone()[0]
    return Run(claims, wall, cpu, float(own.read_text(encoding="ascii")), load, int(count))


def claim_groups(store: Path) -> dict[str, list[list[str]]]:
    """The store's claims as sets of statements named by article key and statement id (the store's row ids
    depend on nothing but the order of writing, but keys say what they are), and its contradictions."""
    with sqlite3.connect(store) as db:
        rows = db.execute(
            "SELECT m.claim_id, a.key || '#' || s.local_id FROM claim_members m "
            "JOIN statements s ON s.id = m.statement_id JOIN articles a ON a.id = s.article_id "
            "JOIN claims c ON c.id = m.claim_id WHERE c.merged_into IS NULL").fetchall()
        named = {int(i): key for i, key in db.execute(
            "SELECT s.id, a.key || '#' || s.local_id FROM statements s JOIN articles a ON a.id = s.article_id")}
        against = db.execute("SELECT statement_id, other_id, kind FROM contradictions").fetchall()
        vectors = db.execute("SELECT statement_id, vector FROM statement_vectors").fetchall()
    members: dict[int, list[str]] = {}
    for claim_id, statement in rows:
        members.setdefault(int(claim_id), []).append(str(statement))
    return {"claims": sorted(sorted(m) for m in members.values()),
            "contradictions": sorted([named[int(a)], named[int(b)], str(kind)] for a, b, kind in against),
            "vectors": sorted([named[int(i)], hashlib.blake2b(blob, digest_size=8).hexdigest()] for i, blob in vectors)}


def compare(before: Path, after: Path) -> None:
    one, other = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    for part in ("claims", "contradictions", "vectors"):
        a, b = ({json.dumps(x) for x in d[part]} for d in (one, other))
        verdict = "the same" if a == b else f"{len(a - b)} only in {before.name}, {len(b - a)} only in {after.name}"
        print(f"{part}: {len(a)} and {len(b)}; {verdict}")


def overhead(runs: list[Run], figure: str) -> str:
    on = [getattr(r, figure) for r in runs if r.claims]
    off = [getattr(r, figure) for r in runs if not r.claims]
    pairs = [f"{100 * (a / b - 1):+.0f}%" for a, b in zip(on, off, strict=False)]
    median = 100 * (statistics.median(on) / statistics.median(off) - 1)
    return (f"{figure}: with claims median {statistics.median(on):.1f} s, without {statistics.median(off):.1f} s: "
            f"{median:+.1f}% (pairs {', '.join(pairs)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose newsgraph is run (default: this)")
    parser.add_argument("--corpus", type=Path, default=POLNEAR_TRAIN)
    parser.add_argument("--groups", type=Path, help="write the claim groups of the last run with claims here")
    parser.add_argument("--only-claims", action="store_true", help="runs with claims only (for --groups)")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("A", "B"), help="compare two --groups files")
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        source = linked_folder(first_articles(args.corpus, args.articles), folder / "texts")
        print(f"{args.articles} PolNeAR articles, {args.workers} workers, code {args.code.resolve()}")
        for repeat in range(args.repeats):
            order = [True] if args.only_claims else [True, False] if repeat % 2 == 0 else [False, True]
            for claims in order:
                store = folder / f"store-{repeat}-{int(claims)}.db"
                run = ingest(args.code, source, args.corpus / "metadata.tsv", store, args.workers, claims)
                runs.append(run)
                print(f"{'claims   ' if claims else 'no-claims'}  wall {run.wall:6.1f} s  cpu {run.cpu:6.1f} s "
                      f"(ingesting process {run.main_cpu:5.1f}, workers {run.cpu - run.main_cpu:5.1f})  "
                      f"load before {run.load:.2f}" + (f"  claims (2+ articles) {run.claim_count}" if claims else ""),
                      flush=True)
                if claims and args.groups:
                    args.groups.write_text(json.dumps(claim_groups(store), indent=0), encoding="utf-8")
    if not args.only_claims:
        print(overhead(runs, "wall"))
        print(overhead(runs, "cpu"))
        print(overhead(runs, "main_cpu"))
        idle = [max(r.main_cpu, r.cpu / 2) for r in runs]  # a lower bound of the wall time on an idle 2-core machine
        print(overhead([Run(r.claims, r.wall, i, r.main_cpu, r.load, r.claim_count) for r, i in zip(runs, idle,
                                                                                                   strict=True)],
                       "cpu").replace("cpu:", "idle 2-core bound max(ingesting process, tree / 2):"))
        print(f"load average before the runs: {min(r.load for r in runs):.2f}-{max(r.load for r in runs):.2f}")


if __name__ == "__main__":
    main()
