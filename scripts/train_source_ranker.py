#!/usr/bin/env python3
"""Train the statement source ranker (`newsgraph/models/source_ranker/weights.json`).

The quotes component's rules give each statement a source; the ranker re-chooses it among candidate
mentions (`newsgraph.source_ranking.candidates`) with a linear score applied as a softmax over each
statement's candidates (a conditional logit), and its probability of the chosen candidate, mapped by
an isotonic calibration fitted on cross-fitted predictions, is the statement's confidence.

Steps (each prints what it did):

1. run the newsgraph pipeline (rules only: `learned_sources` off; places, certainty and events left
   out) over PolNeAR train, match each statement to a gold attribution as
   ../shared/tools/score_attribution_corpus.py does (content overlap of at least half the gold content,
   one to one, best overlap first), and label each candidate 1 when it overlaps the gold source span;
   the candidates' features are cached as JSON under the system's temporary folder (`--refresh` redoes
   them, needed after any change to the features or the rules);
2. fit by 5-fold cross-fitting by article and report, out of fold: the rules' source accuracy, the
   ranker's, the oracle (a right candidate exists), and the calibration table;
3. with --export, fit on all the train articles, fit the isotonic map on the cross-fitted probabilities
   and write the weights (plain JSON, read without NumPy).

Usage, from the repository root (SciPy and scikit-learn come with the dev extra)::

    nice python scripts/train_source_ranker.py --export        # what shipped (extraction about 6 min)
    python scripts/train_source_ranker.py --every 4 --show 30  # a quick look at ranker errors

PolNeAR texts and gold stay in ../shared; only the weights enter the repository.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from scipy.optimize import minimize  # noqa: E402
from sklearn.isotonic import IsotonicRegression  # noqa: E402

from newsgraph.pipeline import build_pipeline  # noqa: E402
from newsgraph.quotemarks import find_quotes  # noqa: E402
from newsgraph.source_ranking import (  # noqa: E402
    MODEL_DIR,
    MODEL_FILE,
    Calibration,
    LinearScorer,
    article_context,
    candidate_features,
    candidates,
    previous_sources,
    softmax,
    statement_kind,
    with_crosses,
    with_relative,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from polnear_gold import gold_file, overlap, pair, read_ann  # noqa: E402  (gold as the scorer reads it)

SHARED = REPO.parent / "shared"
DEFAULT_TRAIN = SHARED / "corpora" / "polnear-train"
CACHE = Path(tempfile.gettempdir()) / "newsgraph-source-ranker"
FOLDS = 5
L2 = 1.0
# The attribution tagger was trained on PolNeAR train, so on train its SOURCE spans are near perfect and a
# ranker fitted there trusts them far more than they deserve on new text: left out by default. With
# --tagger-from-tune their weights are learnt only from the articles the tagger held out (every
# TAGGER_TUNE_EVERY-th, its "tune" slice, as scripts/train_attribution.py splits them): on PolNeAR dev
# that gained one statement and spoilt the calibration of the low bands.
TAGGER_FEATURES = "tagger_"
TAGGER_TUNE_EVERY = 20
DROP: tuple[str, ...] = (TAGGER_FEATURES,)
SKIPPED = ["newsgraph_places", "newsgraph_certainty", "newsgraph_events"]


# --- extraction --------------------------------------------------------------------------------------


def stems(corpus: Path) -> list[str]:
    return sorted(p.stem for p in (corpus / "text").glob("*.txt")
                  if gold_file(corpus, p.stem) is not None)


def extract(corpus: Path, stem_list: list[str]) -> list[dict]:
    """Per matched statement with a gold source: article, origin, candidate features and labels."""
    nlp = build_pipeline()
    nlp.get_pipe("newsgraph_quotes").learned_sources = False
    texts = [(corpus / "text" / f"{s}.txt").read_text(encoding="utf-8") for s in stem_list]
    out = []
    started = time.perf_counter()
    for n, (stem, doc) in enumerate(zip(stem_list, nlp.pipe(texts, disable=SKIPPED), strict=True)):
        ann = gold_file(corpus, stem)
        assert ann is not None  # (stems() lists only stems with gold)
        gold = read_ann(ann)
        found = list(doc._.statements or [])
        pairs = pair(gold, [(st.content_start, st.content_end) for st in found])
        tagged = [s for s in doc.spans.get("attribution", []) if s.label_ == "SOURCE"]
        ctx = article_context(doc, [(q.start, q.end) for q in find_quotes(doc.text)], tagged)
        for pi, (st, previous) in enumerate(zip(found, previous_sources(found), strict=True)):
            gi = pairs.get(pi)
            src = gold[gi].source if gi is not None else None
            if not src:
                continue
            cands = candidates(ctx, st, previous)
            out.append({
                "stem": stem, "origin": st.origin, "has_cue": st.cue is not None,
                "rule_right": st.source is not None and overlap(src, st.source.start_char, st.source.end_char) > 0,
                "rule_text": st.source.text if st.source is not None else None,
                "gold_text": " ".join(doc.text[a:b] for a, b in src),
                "texts": [c.text for c in cands],
                "labels": [int(overlap(src, c.start_char, c.end_char) > 0) for c in cands],
                "features": [candidate_features(ctx, st, c, previous) for c in cands],
            })
        if (n + 1) % 50 == 0:
            print(f"  {n + 1} of {len(stem_list)} articles, {time.perf_counter() - started:.0f} s", flush=True)
    return out


def load(corpus: Path, every: int, refresh: bool) -> list[dict]:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{corpus.name}-every{every}.json"
    if path.exists() and not refresh:
        return json.loads(path.read_text())
    rows = extract(corpus, stems(corpus)[::every])
    path.write_text(json.dumps(rows))
    print(f"{corpus.name}: {len(rows)} statements with a gold source cached in {path}")
    return rows


# --- fitting ---------------------------------------------------------------------------------------


@dataclass
class Design:
    names: list[str]
    x: sparse.csr_matrix
    y: np.ndarray
    starts: np.ndarray  # first row of each statement (rows of a statement together)
    group: np.ndarray  # statement number of each row
    mean: np.ndarray
    scale: np.ndarray


def design(rows: list[dict]) -> Design:
    names = sorted({k for r in rows for f in r["features"] for k in f})
    index = {n: i for i, n in enumerate(names)}
    data, cols, indptr, ys, group, starts = [], [], [0], [], [], []
    for g, r in enumerate(rows):
        starts.append(len(ys))
        for f, label in zip(r["features"], r["labels"], strict=True):
            for name, v in f.items():
                if v:
                    data.append(v)
                    cols.append(index[name])
            indptr.append(len(data))
            ys.append(label)
            group.append(g)
    x = sparse.csr_matrix((data, cols, indptr), shape=(len(ys), len(names)))
    mean = np.asarray(x.mean(axis=0)).ravel()
    scale = np.sqrt(np.maximum(np.asarray(x.multiply(x).mean(axis=0)).ravel() - mean ** 2, 0))
    scale[scale == 0] = 1.0
    return Design(names, x, np.array(ys, dtype=float), np.array(starts), np.array(group), mean, scale)


def fit(rows: list[dict], l2: float = L2) -> dict:
    """Conditional logit over each statement's candidates, L2 on standardised features (the mean shift
    is the same for all of a statement's candidates, so only the scale matters); statements with no
    right candidate or only right ones teach nothing and are left out."""
    useful = [r for r in rows if 0 < sum(r["labels"]) < len(r["labels"])]
    d = design(useful)
    xs = d.x @ sparse.diags(1.0 / d.scale)
    xt = xs.T.tocsr()

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = xs @ w
        top = np.maximum.reduceat(s, d.starts)
        e = np.exp(s - top[d.group])
        z = np.add.reduceat(e, d.starts)
        p = e / z[d.group]
        # the probability of the right candidates together (a statement may have several)
        right = np.add.reduceat(p * d.y, d.starts)
        ll = np.log(np.maximum(right, 1e-300)).sum()
        q = p * d.y / right[d.group]
        grad = xt @ (q - p)
        return -ll + 0.5 * l2 * w @ w, -grad + l2 * w

    res = minimize(loss, np.zeros(len(d.names)), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return {"features": d.names, "coef": res.x.tolist(), "intercept": 0.0, "mean": d.mean.tolist(),
            "scale": d.scale.tolist()}


def scorer_of(model: dict) -> LinearScorer:
    return LinearScorer.from_json(model)


def predict(model: dict, rows: list[dict]) -> list[tuple[int, float, float]]:
    """(chosen candidate, its probability, the rules' candidate's probability) per statement (-1, 0, 0 for
    a statement with no candidate; the rules' source, when there is one, is the first candidate)."""
    sc = scorer_of(model)
    out = []
    for r in rows:
        if not r["features"]:
            out.append((-1, 0.0, 0.0))
            continue
        p = softmax([sc.score(f) for f in r["features"]])
        best = int(np.argmax(p))
        out.append((best, float(p[best]), float(p[0]) if r["rule_text"] is not None else 0.0))
    return out


def keep_rule_origins(rows: list[dict], preds: list[tuple[int, float, float]]) -> list[str]:
    """Origins whose rules' sources are right more often than the ranker's choice, out of fold (a
    transcript line's 'NAME:' is its speaker)."""
    right: Counter = Counter()
    for r, (b, _, _) in zip(rows, preds, strict=True):
        right[kind_of(r), "rule"] += r["rule_right"]
        right[kind_of(r), "ranker"] += b >= 0 and r["labels"][b] == 1
    return sorted({o for o, _ in right if right[o, "rule"] > right[o, "ranker"]})


def kind_of(r: dict) -> str:
    return statement_kind(r["origin"], r["has_cue"])


def final(rows: list[dict], preds: list[tuple[int, float, float]], keep: list[str]) -> list[tuple[int, float]]:
    return [(0, p0) if kind_of(r) in keep and r["rule_text"] is not None else (b, p)
            for r, (b, p, p0) in zip(rows, preds, strict=True)]


def folds_of(rows: list[dict]) -> list[int]:
    articles = sorted({r["stem"] for r in rows})
    fold = {s: i % FOLDS for i, s in enumerate(articles)}
    return [fold[r["stem"]] for r in rows]


def cross_fit(rows: list[dict], l2: float) -> list[tuple[int, float, float]]:
    fold = folds_of(rows)
    out: list[tuple[int, float, float]] = [(-1, 0.0, 0.0)] * len(rows)
    for k in range(FOLDS):
        model = fit([r for r, f in zip(rows, fold, strict=True) if f != k], l2)
        held = [i for i, f in enumerate(fold) if f == k]
        for i, pred in zip(held, predict(model, [rows[i] for i in held]), strict=True):
            out[i] = pred
    return out


def report(rows: list[dict], preds: list[tuple[int, float]], show: int = 0) -> list[int]:
    rights = [int(b >= 0 and r["labels"][b] == 1) for r, (b, _) in zip(rows, preds, strict=True)]
    n = len(rows)
    rule = sum(r["rule_right"] for r in rows)
    oracle = sum(any(r["labels"]) for r in rows)
    print(f"statements {n}: rules {rule / n:.3f}  ranker {sum(rights) / n:.3f}  oracle {oracle / n:.3f}")
    by = Counter()
    for r, ok in zip(rows, rights, strict=True):
        key = kind_of(r)
        by[key, "n"] += 1
        by[key, "rule"] += r["rule_right"]
        by[key, "ranker"] += ok
    for key in sorted({k for k, _ in by}):
        print(f"  {key:16} n={by[key, 'n']:5}  rules {by[key, 'rule'] / by[key, 'n']:.3f}"
              f"  ranker {by[key, 'ranker'] / by[key, 'n']:.3f}")
    shown = 0
    for r, (b, p), ok in zip(rows, preds, rights, strict=True):
        if shown < show and not ok:
            shown += 1
            print(f"  wrong: chose {r['texts'][b] if b >= 0 else None!r} p={p:.2f} rule {r['rule_text']!r}"
                  f" gold {r['gold_text']!r} ({r['origin']})")
    return rights


def calibration(probs: list[float], rights: list[int]) -> dict:
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
    iso.fit(probs, rights)
    th = [float(t) for t in iso.X_thresholds_]
    vals = [round(float(v), 4) for v in iso.y_thresholds_]
    # step map: from each threshold on, its value (steps, not interpolation, keep it monotone and plain)
    return {"thresholds": [0.0, *th[1:]], "values": vals}


def calibration_table(conf: list[float], rights: list[int]) -> None:
    bands = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]
    for lo, hi in bands:
        sel = [r for c, r in zip(conf, rights, strict=True) if lo <= c < hi]
        if sel:
            print(f"  confidence [{lo:.1f}, {min(hi, 1.0):.1f}): n={len(sel):5}  right {sum(sel) / len(sel):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--every", type=int, default=1, help="use every Nth article (quick looks)")
    ap.add_argument("--refresh", action="store_true", help="re-extract the candidates (after a feature change)")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--drop", nargs="*", default=list(DROP), help="leave out features with these prefixes")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--no-keep-rules", dest="keep_rules", action="store_false",
                    help="let the ranker choose for every origin")
    ap.add_argument("--tagger-from-tune", action="store_true",
                    help="learn the tagger features from the tagger's held-out train articles (use with --drop)")
    ap.add_argument("--crosses", action="store_true", help="with kind x position crosses (no gain on train)")
    ap.add_argument("--relative", action="store_true",
                    help="with nearest-of-its-kind features (train OOF +0.001; dev < 0.5 band lost its calibration)")
    ap.add_argument("--export", action="store_true")
    a = ap.parse_args()
    rows = load(a.corpus, a.every, a.refresh)
    if a.relative:
        rows = [{**r, "features": with_relative(r["features"])} for r in rows]
    if a.crosses:
        rows = [{**r, "features": [with_crosses(f) for f in r["features"]]} for r in rows]
    if a.tagger_from_tune:
        tune = set(stems(a.corpus)[TAGGER_TUNE_EVERY - 1 :: TAGGER_TUNE_EVERY])
        rows = [r if r["stem"] in tune else {**r, "features": [
            {k: v for k, v in f.items() if not k.startswith(TAGGER_FEATURES)} for f in r["features"]]}
            for r in rows]
    if a.drop:
        rows = [{**r, "features": [{k: v for k, v in f.items() if not k.startswith(tuple(a.drop))}
                                   for f in r["features"]]} for r in rows]
    fitted = cross_fit(rows, a.l2)
    keep = keep_rule_origins(rows, fitted) if a.keep_rules else []
    preds = final(rows, fitted, keep)
    print(f"out of fold ({FOLDS} folds by article, l2={a.l2:g}), the rules' sources kept for {keep}:")
    rights = report(rows, preds, a.show)
    # the calibration's own figures, cross-fitted again over the out-of-fold probabilities
    fold = folds_of(rows)
    conf = [0.0] * len(rows)
    for k in range(FOLDS):
        train = [i for i, f in enumerate(fold) if f != k]
        cal = calibration([preds[i][1] for i in train], [rights[i] for i in train])
        m = Calibration(cal["thresholds"], cal["values"])
        for i in (i for i, f in enumerate(fold) if f == k):
            conf[i] = m(preds[i][1])
    print("calibrated confidence, out of fold:")
    calibration_table(conf, rights)
    if a.export:
        model = fit(rows, a.l2)
        cal = calibration([p for _, p in preds], rights)
        origins = Counter(r["origin"] for r in rows)
        n_articles = len({r["stem"] for r in rows})
        obj = {"version": 1, "l2": a.l2, "crosses": a.crosses, "relative": a.relative,
               "trained_on": f"{a.corpus.name} ({n_articles} "
               f"articles, {len(rows)} statements with a gold source)", "scorer": model, "calibration": cal,
               "keep_rule_origins": keep, "fallback": {"default": 0.0, **dict.fromkeys(origins, 0.0)}}
        MODEL_DIR.mkdir(exist_ok=True)
        (MODEL_DIR / MODEL_FILE).write_text(json.dumps(obj, indent=1) + "\n")
        print(f"wrote {MODEL_DIR / MODEL_FILE}: {len(model['features'])} weights")


if __name__ == "__main__":
    main()
