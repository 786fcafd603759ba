#!/usr/bin/env python
"""Fit the events' confidence map (newsgraph/events/confidence.py) out of fold on events-ngec.

Usage, from the repository root::

    python scripts/fit_event_confidence.py                      # read fold 0, fit, report, write the map
    python scripts/fit_event_confidence.py --features F.jsonl   # ... keeping the read evidence in F (re-read if absent)
    python scripts/fit_event_confidence.py --dry-run            # report only
    python scripts/fit_event_confidence.py --dry-run --violence-labels scripts/event_types_violence_labels.tsv
                                            # ... and the shipped map on hand-judged PolNeAR violence

The shipped type model was trained on events-ngec folds 1-4, so its scores are only honest on fold 0:
the fold-0 quotes are read by the full pipeline, and each event's evidence (origin, the model's score
for its type, frame, hedge) is kept with whether its type is one the annotator found in the quote's
article (it screened each article against all 16 types and verified each candidate: a quote's second
event, of another type the article holds, is no error). A logistic regression
over `events.confidence.features` is fitted on them; its figures are from a 5-fold cross-validation
by article inside fold 0, and the map written to `newsgraph/models/event_types/confidence.json` is the
fit on all of fold 0. Rerun after retraining the type model or changing the rules. The label is a lower
bound of "the type is right": the screening may have missed a type an article holds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import numpy  # noqa: E402
from event_corpora import HELD_OUT_FOLD, NGEC_SNIPPETS, load_ngec, run_pipeline  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from newsgraph.events.confidence import CALIBRATION_FILE, Evidence, features  # noqa: E402
from newsgraph.events.model import model_dir  # noqa: E402

BINS = (0.0, 0.3, 0.5, 0.7, 0.9, 1.01)
POLNEAR_TRAIN_TEXT = REPO.parent / "shared" / "corpora" / "polnear-train" / "text"
N_SPLITS = 5


def article_types(snippets_path: Path) -> dict[str, set[str]]:
    """Each article's types, over all its snippets (any fold: the article decides the fold)."""
    out: dict[str, set[str]] = defaultdict(set)
    for s in load_ngec(snippets_path):
        out[s.article_id].add(s.type)
    return out


def read_evidence(snippets_path: Path) -> list[dict[str, object]]:
    """Each event the pipeline reads in a fold-0 quote (each distinct quote of an article once): its article,
    type and evidence."""
    from newsgraph.pipeline import build_pipeline

    quotes = sorted({(s.article_id, s.quote) for s in load_ngec(snippets_path) if s.fold == HELD_OUT_FOLD})
    nlp = build_pipeline()
    rows: list[dict[str, object]] = []
    for (article, _), doc in zip(quotes, run_pipeline(nlp, (q for _, q in quotes), len(quotes), 64, "quotes"),
                                 strict=True):
        for ev in doc._.events or []:
            if ev.evidence is not None:
                rows.append({"article": article, "type": ev.type, **asdict(ev.evidence)})
    return rows


def matrix(rows: Sequence[dict[str, object]], types: dict[str, set[str]]) -> tuple[list[str], numpy.ndarray,
                                                                                 numpy.ndarray]:
    evidence = [Evidence(**{k: r[k] for k in ("origin", "score", "framed", "hedged")})  # type: ignore[arg-type]
                for r in rows]
    names = list(features(evidence[0]))
    x = numpy.array([[features(e)[n] for n in names] for e in evidence])
    y = numpy.array([r["type"] in types[str(r["article"])] for r in rows], dtype=int)
    return names, x, y


def out_of_fold(rows: Sequence[dict[str, object]], x: numpy.ndarray, y: numpy.ndarray, c: float) -> numpy.ndarray:
    """Each event's confidence from a map fitted without its article's split."""
    # the outer folds are crc32 % 5, so fold 0 is one residue: split on the next digit of the hash
    split = numpy.array([zlib.crc32(str(r["article"]).encode()) // 5 % N_SPLITS for r in rows])
    out = numpy.zeros(len(rows))
    for k in range(N_SPLITS):
        fit = LogisticRegression(C=c, max_iter=1000).fit(x[split != k], y[split != k])
        out[split == k] = fit.predict_proba(x[split == k])[:, 1]
    return out


def table(title: str, conf: numpy.ndarray, y: numpy.ndarray) -> float:
    """A reliability table; returns the expected calibration error."""
    print(f"\n{title}\n{'bin':<10} {'n':>5} {'right':>6} {'mean conf':>9}")
    ece = 0.0
    for lo, hi in itertools.pairwise(BINS):
        inside = (conf >= lo) & (conf < hi)
        n = int(inside.sum())
        if n:
            ece += n / len(y) * abs(y[inside].mean() - conf[inside].mean())
            print(f"{lo:.1f}-{min(hi, 1.0):.1f}   {n:>5} {y[inside].mean():>6.3f} {conf[inside].mean():>9.3f}")
    print(f"ECE {ece:.3f}  (n {len(y)}, right {y.mean():.3f})")
    return ece


def violence_check(labels_path: Path) -> None:
    """Out of domain: the ASSAULT and COERCE events of the hand-judged PolNeAR-train articles (US election
    news; P = a physical attack or coercive measure, so the type is right), by confidence."""
    from newsgraph.pipeline import build_pipeline

    labels: dict[tuple[str, int], bool] = {}
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 3 and not line.startswith("#") and cells[1].isdigit():
            labels[(cells[0], int(cells[1]))] = cells[2].strip().upper() == "P"
    stems = sorted({stem for stem, _ in labels})
    texts = [(POLNEAR_TRAIN_TEXT / f"{stem}.txt").read_text(encoding="utf-8") for stem in stems]
    judged: list[tuple[float, bool]] = []
    for stem, doc in zip(stems, run_pipeline(build_pipeline(), texts, len(texts), 4, "articles"), strict=True):
        for ev in doc._.events or []:
            key = (stem, ev.trigger.start_char)
            if ev.type in {"ASSAULT", "COERCE"} and key in labels and ev.confidence is not None:
                judged.append((ev.confidence, labels[key]))
    if judged:
        table(f"PolNeAR-train violence (hand-judged, {len(labels)} labels; the events still typed so)",
              numpy.array([c for c, _ in judged]), numpy.array([r for _, r in judged], dtype=int))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snippets", type=Path, default=NGEC_SNIPPETS)
    parser.add_argument("--features", type=Path, help="JSONL of read evidence: reused if present, else written")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation of the logistic fit")
    parser.add_argument("--output", type=Path, default=model_dir() / CALIBRATION_FILE)
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the map")
    parser.add_argument("--violence-labels", type=Path, help="also check the shipped map on these hand verdicts "
                        "(scripts/event_types_violence_labels.tsv)")
    args = parser.parse_args(argv)
    if args.features and args.features.exists():
        rows = [json.loads(line) for line in args.features.read_text(encoding="utf-8").splitlines()]
    else:
        rows = read_evidence(args.snippets)
        if args.features:
            args.features.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    names, x, y = matrix(rows, article_types(args.snippets))
    raw = numpy.array([float(r["score"]) for r in rows])  # type: ignore[arg-type]
    table("the type model's score as it is (fold 0)", raw, y)
    oof = out_of_fold(rows, x, y, args.c)
    ece = table(f"calibrated, {N_SPLITS}-fold CV by article inside fold 0", oof, y)
    for origin in sorted({str(r["origin"]) for r in rows}):
        picked = numpy.array([r["origin"] == origin for r in rows])
        print(f"  {origin}: n {int(picked.sum())} right {y[picked].mean():.3f} mean conf {oof[picked].mean():.3f}")
    fit = LogisticRegression(C=args.c, max_iter=1000).fit(x, y)
    data = {
        "about": "events' confidence map (newsgraph/events/confidence.py), written by scripts/fit_event_confidence.py",
        "intercept": round(float(fit.intercept_[0]), 4),
        "weights": {n: round(float(w), 4) for n, w in zip(names, fit.coef_[0], strict=True)},
        "fitted_on": {"corpus": "events-ngec", "fold": HELD_OUT_FOLD, "events": len(rows),
                      "right": round(float(y.mean()), 3), "cv_ece": round(ece, 3)},
    }
    print("\n" + json.dumps(data, indent=2))
    if not args.dry_run:
        args.output.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    if args.violence_labels:
        violence_check(args.violence_labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
