#!/usr/bin/env python3
"""Source errors of an analysed corpus, grouped by kind, to see what the speaker choice gets wrong.

    python scripts/source_errors.py OUTDIR CORPUSDIR [--show 20]

Statements are paired with gold attributions as ../shared/tools/score_attribution_corpus.py pairs
them; a source is right when the speaker span overlaps the gold source or the speaker's name equals
the gold source text. Each wrong one is counted by what the predicted speaker is (none, pronoun, name,
description) crossed with what the gold source is, and by where the gold source lies relative to the
predicted one. Use it on a train sample, not on dev.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polnear_gold import gold_file, pair, read_ann, source_right

PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "us", "me"}


def kind(text: str | None) -> str:
    if not text:
        return "none"
    words = text.split()
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return "pronoun"
    if any(w[:1].isupper() for w in words if w.lower() not in {"the", "a", "an"}):
        return "name"
    return "description"


def where(gold: list[tuple[int, int]], sp: dict | None) -> str:
    if not sp or sp.get("start") is None:
        return "no speaker"
    g = gold[0][0]
    gap = g - sp["start"]
    side = "gold before" if gap < 0 else "gold after"
    return f"{side} {'<50' if abs(gap) < 50 else '<200' if abs(gap) < 200 else '>=200'} chars"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir", type=Path)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--show", type=int, default=0)
    a = ap.parse_args()
    kinds: Counter = Counter()
    places: Counter = Counter()
    shown = total = wrong = 0
    for tp in sorted((a.corpus / "text").glob("*.txt")):
        ann = gold_file(a.corpus, tp.stem)
        out = a.outdir / f"{tp.stem}.json"
        if ann is None or not out.exists():
            continue
        text = tp.read_text(encoding="utf-8")
        gold = read_ann(ann)
        statements = [s for s in json.loads(out.read_text())["statements"] if s.get("content")]
        pairs = pair(gold, [(s["content"]["start"], s["content"]["end"]) for s in statements])
        for pi, gi in pairs.items():
            src = gold[gi].source
            if not src:
                continue
            total += 1
            sp = statements[pi].get("speaker") or {}
            gold_text = " ".join(text[s:e] for s, e in src)
            if source_right(gold[gi], sp):
                continue
            wrong += 1
            kinds[kind(sp.get("text")), kind(gold_text)] += 1
            places[where(src, sp)] += 1
            if shown < a.show:
                shown += 1
                print(f"  {tp.stem}: said {sp.get('text')!r} ({sp.get('name')!r}), gold {gold_text!r}:"
                      f" {statements[pi]['content']['text'][:70]!r}")
    print(f"{wrong} wrong sources of {total} matched statements with a gold source")
    print("predicted kind -> gold kind:")
    for (p, g), n in kinds.most_common():
        print(f"  {p:12} -> {g:12} {n}")
    print("where the gold source lies from the predicted speaker:")
    for w, n in places.most_common():
        print(f"  {w:28} {n}")


if __name__ == "__main__":
    main()
