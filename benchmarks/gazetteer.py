"""What the gazetteer costs a process: load time, resident memory, and lookup time.

    PYTHONPATH=. python benchmarks/gazetteer.py [--lookups 20000]

Each figure is taken in a fresh interpreter (a subprocess), so that nothing loaded before skews it:

1. the size of the shipped gazetteer files;
2. `gazetteer()`: seconds to load, and how much the process's RSS grows (VmRSS before and after);
3. lookups: the names of the bundled example and the PolNeAR texts in ../shared (read in place, never
   copied), one- to three-word capitalised runs, looked up by `lookup` and `lookup_fuzzy` as the places
   component does: microseconds a lookup, first pass (cold) and second pass (the same keys again), and the
   RSS after them.

The issue's bar: the process may grow by less than 300 MB, and the places component must stay under 10% of
the bare spaCy pipeline's time (`benchmarks/throughput.py` measures that).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

CHILD = r"""
import json, sys, time
def rss_mb():
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
keys = json.loads(sys.stdin.read())
from newsgraph.places.gazetteer import gazetteer, name_key
before = rss_mb()
start = time.perf_counter()
gaz = gazetteer()
load = time.perf_counter() - start
loaded = rss_mb()
passes = []
for _ in range(2):
    start = time.perf_counter()
    found = 0
    for key in keys:
        found += bool(gaz.lookup(key)) or bool(len(key) >= 6 and gaz.lookup_fuzzy(key))
    passes.append((time.perf_counter() - start) / max(1, len(keys)) * 1e6)
print(json.dumps({"load_s": load, "rss_before": before, "rss_loaded": loaded, "rss_after": rss_mb(),
                  "cold_us": passes[0], "warm_us": passes[1], "found": found}))
"""

_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}\b")


def sample_keys(n: int) -> list[str]:
    """Capitalised word runs of the example and PolNeAR texts, as lookup keys, in text order."""
    sys.path.insert(0, str(REPO))
    from newsgraph.places.gazetteer import name_key

    paths = [REPO / "examples" / "ukraine-2022-04-26.txt"]
    for split in ("polnear-dev", "polnear-train"):
        paths += sorted((SHARED / "corpora" / split / "text").glob("*.txt"))
    keys: list[str] = []
    for path in paths:
        if path.exists():
            keys += [name_key(m.group()) for m in _NAME_RUN.finditer(path.read_text(encoding="utf-8"))]
        if len(keys) >= n:
            break
    return keys[:n]


def file_sizes() -> list[tuple[str, int]]:
    data = REPO / "newsgraph" / "data"
    return [(p.name, p.stat().st_size) for p in sorted(data.glob("gazetteer*")) if p.is_file()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lookups", type=int, default=20000)
    args = ap.parse_args()
    for name, size in file_sizes():
        print(f"{name}: {size / 1e6:.1f} MB")
    keys = sample_keys(args.lookups)
    out = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(keys), capture_output=True, text=True,
                         check=True, cwd=REPO).stdout
    r = json.loads(out.strip().splitlines()[-1])
    print(f"gazetteer(): {r['load_s']:.2f} s, RSS {r['rss_before']:.0f} -> {r['rss_loaded']:.0f} MB "
          f"(+{r['rss_loaded'] - r['rss_before']:.0f} MB)")
    print(f"{len(keys)} lookups ({r['found']} found): {r['cold_us']:.1f} us each cold, {r['warm_us']:.1f} us warm; "
          f"RSS after them {r['rss_after']:.0f} MB (+{r['rss_after'] - r['rss_before']:.0f} MB over the bare process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
