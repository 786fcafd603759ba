"""Speed and figures of the whole `newsgraph stance` run on FNC-1 pairs, extrapolated to the held-out set's size.

    python benchmarks/stance.py                        # the body-disjoint dev split (fold 0), shipped model
    python benchmarks/stance.py --pairs 5000 --model /tmp/stance-dev-model

Runs `newsgraph stance` in a fresh process (model and encoder loaded, no vector cached: what a user's run
costs) on the pairs of the body-disjoint dev split of ../shared/corpora/stance-train (the split of
scripts/train_stance.py), read in place and never copied, then scores the output with
../shared/tools/score_stance.py. Prints pairs/s, bodies/s and the time that rate gives for 25,000 pairs over
900 bodies (the FNC-1-size held-out set) from the body rate: the time goes mostly to encoding the bodies'
sentences.

The shipped model was fitted on all the training pairs, dev split included: its scorer figures here are
in-sample. For held-out figures pass `--model` a model fitted on the split's train side
(`scripts/train_stance.py --export DIR --fit-split body`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpora" / "stance-train"
SCORER = SHARED / "tools" / "score_stance.py"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
HELD_OUT_PAIRS, HELD_OUT_BODIES = 25_000, 900


def dev_pairs(limit: int | None) -> tuple[list[dict[str, str]], dict[str, str]]:
    from train_stance import load, splits  # type: ignore[import-not-found]

    articles, pairs = load(CORPUS)
    _, dev = splits(pairs, 0)["body"]
    chosen = [p for p, keep in zip(pairs, dev, strict=True) if keep][:limit]
    return chosen, articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, help="the first N pairs of the dev split (default all, about 10,000)")
    ap.add_argument("--model", type=Path, help="a stance model folder (default the shipped one)")
    args = ap.parse_args()
    pairs, articles = dev_pairs(args.pairs)
    bodies = sorted({p["article"] for p in pairs})
    with tempfile.TemporaryDirectory() as tmp:
        pairs_file, articles_file, gold, out = (Path(tmp) / n for n in ("p.jsonl", "a.jsonl", "g.jsonl", "o.jsonl"))
        pairs_file.write_text("".join(json.dumps({k: p[k] for k in ("id", "claim", "article")}) + "\n"
                                      for p in pairs), encoding="utf-8")
        gold.write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
        articles_file.write_text("".join(json.dumps({"id": b, "text": articles[b]}) + "\n" for b in bodies),
                                 encoding="utf-8")
        command = [sys.executable, "-m", "newsgraph.cli", "stance", str(pairs_file), "--articles",
                   str(articles_file), "--out", str(out), "--quiet"]
        if args.model is not None:
            command += ["--model", str(args.model)]
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=REPO)
        seconds = time.perf_counter() - started
        scored = subprocess.run([sys.executable, str(SCORER), str(out), str(gold)], capture_output=True, text=True)
    print(scored.stdout.rstrip())
    if args.model is None:
        print("(shipped model: fitted on these pairs too, so the figures above are in-sample)")
    pair_rate, body_rate = len(pairs) / seconds, len(bodies) / seconds
    # Most of the time is encoding the bodies' sentences; a pair's features cost well under a millisecond. So the
    # body rate carries over to a set of the held-out set's shape (about 28 pairs a body); the default dev split
    # has about 30, so its two proportional estimates agree. A run of another shape (--pairs 300: 2 a body) says
    # little about it, and is flagged.
    estimate = HELD_OUT_BODIES / body_rate
    print(f"{len(pairs)} pairs over {len(bodies)} bodies in {seconds:.1f} s (the whole run, model loading included): "
          f"{pair_rate:.1f} pairs/s, {body_rate:.2f} bodies/s")
    print(f"extrapolated to {HELD_OUT_PAIRS:,} pairs / {HELD_OUT_BODIES} bodies at this body rate: "
          f"{estimate / 60:.1f} min (by the pair rate: {HELD_OUT_PAIRS / pair_rate / 60:.1f} min; bar: 10 min)")
    shape, held_out_shape = len(pairs) / len(bodies), HELD_OUT_PAIRS / HELD_OUT_BODIES
    if not 0.5 < shape / held_out_shape < 2:
        print(f"(this run has {shape:.1f} pairs a body, the held-out set {held_out_shape:.0f}: the extrapolation "
              "is rough; run the whole dev split)")


if __name__ == "__main__":
    main()
