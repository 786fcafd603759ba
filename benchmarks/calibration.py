"""Is newsgraph's confidence calibrated? Statements on PolNeAR dev, events on events-ngec fold 0.

    python benchmarks/calibration.py                       # analyze PolNeAR dev into a temporary folder
    python benchmarks/calibration.py --outdir DIR          # read DIR's STEM.json (run `analyze` into it if empty)
    python benchmarks/calibration.py --outdir DIR --events # ... and the events of events-ngec fold 0

Statements: the output of `newsgraph analyze CORPUS/text --out DIR` is matched to the gold attributions the
way ../shared/tools/score_attribution_corpus.py matches them (reimplemented here: content overlapping at
least half the gold content, best overlap first, one to one; the source right when the speaker span
overlaps the gold source or the speaker's name equals its text), and for the matched statements with a
gold source the confidence is set against whether the source is right: a table by confidence bin (count,
share right, mean confidence), the expected calibration error, and the two bars of issue 19 (confidence
>= 0.9: >= 90% right; < 0.5: < 70% right). Statements without a confidence are counted and left out.

Events (`--events`): the pipeline reads the events-ngec fold-0 quotes (the fold the type model was not
trained on) and an event's type is right when the annotator found that type in the quote's article. The events' map was
fitted on the same fold (scripts/fit_event_confidence.py reports its cross-validated figures), so this
table is in-sample for the map's six weights.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
POLNEAR_DEV = SHARED / "corpora" / "polnear-dev"
BINS = (0.0, 0.3, 0.5, 0.7, 0.9)  # lower edges; the last bin is >= 0.9
HIGH, HIGH_BAR = 0.9, 0.90  # confidence >= 0.9: a right source in >= 90% of cases
LOW, LOW_BAR = 0.5, 0.70  # confidence < 0.5: a right source in < 70% of cases

sys.path.insert(0, str(REPO / "scripts"))
from polnear_gold import Gold, gold_file, pair, read_ann, source_right  # noqa: E402  (a script's sibling)

# ---------------------------------------------------------------------------------------------------------
# Gold attributions and the matching of score_attribution_corpus.py (scripts/polnear_gold.py)


@dataclass(frozen=True)
class Judged:
    """A predicted statement matched to a gold attribution with a source: its confidence, the source right?"""

    confidence: float | None
    right: bool


def judged_statements(gold: Sequence[Gold], statements: Sequence[dict[str, Any]]) -> list[Judged]:
    """Predicted statements matched one to one to gold attributions (largest relative overlap first, the
    overlap at least half the gold content), those whose gold has a source, with their confidence."""
    preds = [s for s in statements if isinstance(s.get("content"), dict)
             and {"start", "end"} <= set(s["content"])]
    pairs = pair(gold, [(int(p["content"]["start"]), int(p["content"]["end"])) for p in preds])
    out = []
    for pi, gi in sorted(pairs.items(), key=lambda item: item[1]):
        if gold[gi].source:
            conf = preds[pi].get("confidence")
            known = float(conf) if isinstance(conf, int | float) else None
            out.append(Judged(known, source_right(gold[gi], preds[pi].get("speaker") or {})))
    return out


def judged_corpus(outdir: Path, corpus: Path) -> tuple[list[Judged], int]:
    """Every matched statement of the corpus, and the number of articles without output."""
    out: list[Judged] = []
    missing = 0
    for text in sorted((corpus / "text").glob("*.txt")):
        ann = gold_file(corpus, text.stem)
        if ann is None:
            continue
        doc_path = outdir / f"{text.stem}.json"
        if not doc_path.exists():
            missing += 1
            continue
        doc = json.loads(doc_path.read_text(encoding="utf-8"))
        out += judged_statements(read_ann(ann), doc.get("statements") or [])
    return out, missing


# ---------------------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Row:
    label: str
    n: int
    right: float
    mean_confidence: float


def bin_label(i: int) -> str:
    if i == 0:
        return f"<{BINS[1]}"
    if i == len(BINS) - 1:
        return f">={BINS[-1]}"
    return f"{BINS[i]}-{BINS[i + 1]}"


def calibration_rows(pairs: Iterable[tuple[float, bool]]) -> list[Row]:
    groups: list[list[tuple[float, bool]]] = [[] for _ in BINS]
    for conf, right in pairs:
        index = max(i for i, lo in enumerate(BINS) if conf >= lo or i == 0)
        groups[index].append((conf, right))
    return [Row(bin_label(i), len(g), sum(r for _, r in g) / len(g) if g else 0.0,
                sum(c for c, _ in g) / len(g) if g else 0.0) for i, g in enumerate(groups)]


def expected_calibration_error(rows: Sequence[Row]) -> float:
    total = sum(r.n for r in rows)
    return sum(r.n / total * abs(r.right - r.mean_confidence) for r in rows) if total else 0.0


def bar_checks(pairs: Sequence[tuple[float, bool]]) -> list[str]:
    """The two bars, one line each, "OK" or "SHORT"."""
    lines = []
    high = [r for c, r in pairs if c >= HIGH]
    low = [r for c, r in pairs if c < LOW]
    if high:
        share = sum(high) / len(high)
        lines.append(f"{'OK' if share >= HIGH_BAR else 'SHORT'}: confidence >= {HIGH}: {share:.3f} right "
                     f"of {len(high)} (bar >= {HIGH_BAR:.2f})")
    else:
        lines.append(f"SHORT: no record with confidence >= {HIGH}")
    if low:
        share = sum(low) / len(low)
        lines.append(f"{'OK' if share < LOW_BAR else 'SHORT'}: confidence < {LOW}: {share:.3f} right "
                     f"of {len(low)} (bar < {LOW_BAR:.2f})")
    else:
        lines.append(f"OK: no record with confidence < {LOW}")
    return lines


def report(title: str, judged: Sequence[Judged], what: str = "right") -> list[str]:
    """The table, the ECE and the bar checks as lines; says so where confidence is missing."""
    lines = [f"== {title} =="]
    known = [(j.confidence, j.right) for j in judged if j.confidence is not None]
    unknown = len(judged) - len(known)
    if unknown:
        lines.append(f"confidence missing on {unknown} of {len(judged)} judged records "
                     f"({sum(j.right for j in judged if j.confidence is None)} of them {what}): left out")
    if not known:
        lines.append("no record carries a confidence: nothing to calibrate")
        return lines
    rows = calibration_rows(known)
    lines.append(f"{'confidence':<10} {'n':>6} {what:>7} {'mean conf':>10}")
    lines += [f"{r.label:<10} {r.n:>6} {r.right:>7.3f} {r.mean_confidence:>10.3f}" for r in rows]
    lines.append(f"all        {len(known):>6} {sum(r for _, r in known) / len(known):>7.3f} "
                 f"{sum(c for c, _ in known) / len(known):>10.3f}")
    lines.append(f"expected calibration error (ECE): {expected_calibration_error(rows):.3f}")
    lines += bar_checks(known)
    return lines


# ---------------------------------------------------------------------------------------------------------
# Running


def analyzed(outdir: Path, corpus: Path) -> None:
    """`newsgraph analyze CORPUS/text --out OUTDIR`, unless OUTDIR already holds output."""
    if any(outdir.glob("*.json")):
        return
    print(f"analyzing {corpus / 'text'} into {outdir} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "newsgraph.cli", "analyze", str(corpus / "text"), "--out", str(outdir),
                    "--quiet"], check=True, cwd=REPO)


def judged_events() -> list[Judged]:
    """The events of each distinct fold-0 quote, right when the annotator found their type in its article."""
    sys.path.insert(0, str(REPO))
    from event_corpora import HELD_OUT_FOLD, load_ngec, run_pipeline

    from newsgraph.pipeline import build_pipeline

    snippets = load_ngec()
    types: dict[str, set[str]] = {}
    for s in snippets:
        types.setdefault(s.article_id, set()).add(s.type)
    quotes = sorted({(s.article_id, s.quote) for s in snippets if s.fold == HELD_OUT_FOLD})
    docs = run_pipeline(build_pipeline(), (q for _, q in quotes), len(quotes), 64, "quotes")
    return [Judged(ev.confidence, ev.type in types[article]) for (article, _), doc in zip(quotes, docs, strict=True)
            for ev in doc._.events or []]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", type=Path, help="analyze output (STEM.json); analyzed into it when empty")
    parser.add_argument("--corpus", type=Path, default=POLNEAR_DEV, help="text/ and attributions/ (PolNeAR)")
    parser.add_argument("--events", action="store_true", help="also the events of events-ngec fold 0")
    args = parser.parse_args(argv)
    if not (args.corpus / "text").is_dir():
        print(f"error: no text/ folder in {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="calibration-") as tmp:
        outdir: Path = args.outdir or Path(tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        analyzed(outdir, args.corpus)
        judged, missing = judged_corpus(outdir, args.corpus)
    if missing:
        print(f"no output for {missing} articles of {args.corpus.name}")
    print("\n".join(report(f"statements, {args.corpus.name}: source right by confidence", judged)))
    if args.events:
        print()
        print("\n".join(report("events, events-ngec fold 0: type right by confidence (in-sample for the map)",
                               judged_events())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

