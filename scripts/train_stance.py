"""Train the stance model on FNC-1 (../shared/corpora/stance-train) and print its dev figures.

    python scripts/train_stance.py [--corpus DIR] [--vectors CACHE.npz] [--export [DIR]] [--fit-split SPLIT] [--c C]

Splits (all hold out whole bodies; the figures printed for each are of a model fitted on its train side only):
  body        20% of the bodies (all their pairs) held out, as the FNC-1 baseline does;
  body+claim  the same bodies, and only pairs whose claim is also unseen: train keeps pairs of train bodies AND
              train claims, dev pairs of dev bodies AND dev claims (the held-out FNC-1 test set has other
              bodies and other claims);
  story       whole Emergent stories held out (a story: the claims and bodies linked by related pairs), for the
              strictest view: no claim of a dev story, however reworded, is seen in training.
Hyperparameters were chosen on fold 0 of `body+claim`, and the figures of fold 1 (other bodies, other claims)
are printed to confirm them. `--export` fits on all pairs and writes newsgraph/models/stance/
(`--export DIR --fit-split body`: a model of the body split's train side, for benchmarks/stance.py).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsgraph.stance.features import FEATURE_NAMES, Body, Idf, pair_features, read_body, words
from newsgraph.stance.model import CLASSES, MODEL_DIR, Linear, StanceModel, softmax
from newsgraph.stance.text import split_sentences

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "stance-train"
SCORER = ROOT.parent / "shared" / "tools" / "score_stance.py"
FOLDS = 5
SEED = 20170601
# Disagree is 1.7% of the pairs, agree 7.4%: weighting each class by (share)^-POWER lifts their recall without
# flooding the output with them (POWER 1 is full balancing; chosen on fold 0, see the model card).
CLASS_WEIGHT_POWER = 0.5


def load(corpus: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    articles = {}
    for line in (corpus / "articles.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        articles[str(rec["id"])] = rec["text"]
    pairs = [json.loads(line) for line in (corpus / "pairs.jsonl").open(encoding="utf-8") if line.strip()]
    return articles, pairs


def encode_all(texts: list[str], cache: Path | None) -> dict[str, np.ndarray]:
    """Vectors of all texts, read from and written to an optional cache (encoding 34,000 sentences takes minutes)."""
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        data = np.load(cache, allow_pickle=True)
        known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = sorted({t for t in texts if t not in known})
    if missing:
        from newsgraph.embeddings import shared_encoder

        print(f"encoding {len(missing)} texts", file=sys.stderr)
        for text, vector in zip(missing, shared_encoder().encode(missing), strict=True):
            known[text] = vector
        if cache is not None:
            names = list(known)
            np.savez(cache, texts=np.array(names, dtype=object), vectors=np.stack([known[t] for t in names]))
    return known


def fit_idf(texts: list[str]) -> Idf:
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(words(text)))
    n = len(texts)
    values = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items() if c >= 2}
    return Idf(values, math.log((n + 1) / 2) + 1)


def featurize(pairs: list[dict[str, str]], bodies: dict[str, Body], vectors: dict[str, np.ndarray],
              idf: Idf) -> np.ndarray:
    return np.stack([pair_features(p["claim"], vectors[p["claim"]], bodies[p["article"]], idf)[0] for p in pairs])


def read_bodies(articles: dict[str, str], vectors: dict[str, np.ndarray]) -> dict[str, Body]:
    out = {}
    for ident, text in articles.items():
        sentences = split_sentences(text)
        vecs = np.stack([vectors[s.text] for s in sentences]) if sentences else np.zeros((0, 384), np.float32)
        out[ident] = read_body(text, vecs, sentences)
    return out


def stories(pairs: list[dict[str, str]]) -> dict[str, str]:
    """Each claim ("c" + text) and body ("b" + id) to its story: the connected part of the related pairs."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        a, b = find("c" + p["claim"]), find("b" + p["article"])
        if p["stance"] != "unrelated":
            parent[a] = b
    return {x: find(x) for x in list(parent)}


def fold_of(keys: list[str], seed: int) -> dict[str, int]:
    order = np.random.default_rng(seed).permutation(len(keys))
    return {keys[i]: rank % FOLDS for rank, i in enumerate(order)}


def splits(pairs: list[dict[str, str]], fold: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    body_fold = fold_of(sorted({p["article"] for p in pairs}), SEED)
    claim_fold = fold_of(sorted({p["claim"] for p in pairs}), SEED + 1)
    story = stories(pairs)
    story_fold = fold_of(sorted(set(story.values())), SEED + 2)
    dev_body = np.array([body_fold[p["article"]] == fold for p in pairs])
    # Two claim folds of five: a dev side of 8% of the pairs (20% of the bodies x 40% of the claims).
    dev_claim = np.array([claim_fold[p["claim"]] in (fold, (fold + 1) % FOLDS) for p in pairs])
    dev_story_b = np.array([story_fold[story["b" + p["article"]]] == fold for p in pairs])
    dev_story_c = np.array([story_fold[story["c" + p["claim"]]] == fold for p in pairs])
    return {
        "body": (~dev_body, dev_body),
        "body+claim": (~dev_body & ~dev_claim, dev_body & dev_claim),
        "story": (~dev_story_b & ~dev_story_c, dev_story_b & dev_story_c),
    }


def class_weights(y: np.ndarray, power: float) -> np.ndarray:
    share = np.bincount(y, minlength=len(CLASSES)) / len(y)
    w = (1.0 / np.maximum(share, 1e-6)) ** power
    return (w / w[y].mean())[y]


def _logistic(z: np.ndarray, y: np.ndarray, c: float, weights: np.ndarray) -> Linear:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(z, y, sample_weight=weights)
    coef, intercept = lr.coef_, lr.intercept_
    if coef.shape[0] == 1:  # binary: scikit-learn keeps one row; the softmax wants both logits
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    return Linear(coef.T.astype(np.float32), intercept.astype(np.float32))


def fit(x: np.ndarray, y: np.ndarray, c: float = 1.0) -> StanceModel:
    """Stage one (related?) on all pairs, stage two (agree/disagree/discuss) on the related pairs, each a
    logistic regression on standardised features (the model card says why not trees or an MLP)."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    unrelated = CLASSES.index("unrelated")
    related = (y != unrelated).astype(int)
    stage1 = _logistic(z, related, c, np.ones(len(y)))
    stage2 = _logistic(z[related == 1], y[related == 1], c, class_weights(y[related == 1], CLASS_WEIGHT_POWER))
    return StanceModel(list(FEATURE_NAMES), mean.astype(np.float32), scale.astype(np.float32), stage1, stage2,
                       idf=None)


def _best_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    best, best_loss = 1.0, float("inf")
    for t in np.exp(np.linspace(math.log(0.3), math.log(5.0), 60)):
        p = softmax(logits / t)
        loss = -float(np.log(np.maximum(p[np.arange(len(y)), y], 1e-12)).mean())
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def calibrate(model: StanceModel, x: np.ndarray, y: np.ndarray) -> None:
    """Each stage's softmax temperature, the one that minimises its log loss on held-out pairs."""
    z = model.standardise(x)
    unrelated = CLASSES.index("unrelated")
    model.related.temperature = _best_temperature(model.related.logits(z), (y != unrelated).astype(int))
    rel = y != unrelated
    model.stance.temperature = _best_temperature(model.stance.logits(z[rel]), y[rel])


def reliability(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> tuple[float, list[str]]:
    edges = np.linspace(0, 1, bins + 1)
    ece, rows = 0.0, []
    for lo, hi in itertools.pairwise(edges):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.mean() * abs(conf[m].mean() - right[m].mean())
            rows.append(f"  {lo:.1f}-{hi:.1f}: {int(m.sum()):6d} pairs, confidence {conf[m].mean():.3f}, "
                        f"accuracy {right[m].mean():.3f}")
    return float(ece), rows


def score(pairs: list[dict[str, str]], predicted: list[str]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        gold.write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
        pred.write_text("".join(json.dumps({"id": p["id"], "stance": s}) + "\n"
                                for p, s in zip(pairs, predicted, strict=True)), encoding="utf-8")
        return subprocess.run([sys.executable, str(SCORER), str(pred), str(gold)], capture_output=True,
                              text=True).stdout


def evaluate(name: str, pairs: list[dict[str, str]], articles: dict[str, str], vectors: dict[str, np.ndarray],
             train: np.ndarray, dev: np.ndarray, c: float, full: bool) -> None:
    train_pairs = [p for p, keep in zip(pairs, train, strict=True) if keep]
    dev_pairs = [p for p, keep in zip(pairs, dev, strict=True) if keep]
    train_bodies = {p["article"] for p in train_pairs}
    idf = fit_idf([articles[b] for b in sorted(train_bodies)] + sorted({p["claim"] for p in train_pairs}))
    bodies = read_bodies(articles, vectors)
    x_train, x_dev = featurize(train_pairs, bodies, vectors, idf), featurize(dev_pairs, bodies, vectors, idf)
    y_train = np.array([CLASSES.index(p["stance"]) for p in train_pairs])
    y_dev = np.array([CLASSES.index(p["stance"]) for p in dev_pairs])
    model = fit(x_train, y_train, c)
    # The temperature is fitted on the dev pairs' first half and the reliability read on the second half.
    half = np.arange(len(y_dev)) % 2 == 0
    calibrate(model, x_dev[half], y_dev[half])
    probs = model.probabilities(x_dev)
    predicted = [CLASSES[i] for i in probs.argmax(axis=1)]
    print(f"== {name}: train {len(train_pairs)} pairs / {len(train_bodies)} bodies, dev {len(dev_pairs)} pairs / "
          f"{len({p['article'] for p in dev_pairs})} bodies")
    out = score(dev_pairs, predicted)
    print(out if full else out.strip().splitlines()[-1])
    conf = probs.max(axis=1)
    ece, rows = reliability(conf[~half], (probs.argmax(axis=1) == y_dev)[~half])
    print(f"temperatures {model.related.temperature:.2f} / {model.stance.temperature:.2f}; "
          f"ECE on the other half of dev {ece:.3f}")
    if full:
        print("\n".join(rows))


def export(pairs: list[dict[str, str]], articles: dict[str, str], vectors: dict[str, np.ndarray],
           c: float, folder: Path, fit_split: str | None) -> None:
    """Fit on all pairs (or on the train side of one split, for a model to benchmark on its dev side)."""
    if fit_split is not None:
        keep = splits(pairs, 0)[fit_split][0]
        pairs = [p for p, k in zip(pairs, keep, strict=True) if k]
    fitted_bodies = sorted({p["article"] for p in pairs})
    idf = fit_idf([articles[b] for b in fitted_bodies] + sorted({p["claim"] for p in pairs}))
    bodies = read_bodies({b: articles[b] for b in fitted_bodies}, vectors)
    x = featurize(pairs, bodies, vectors, idf)
    y = np.array([CLASSES.index(p["stance"]) for p in pairs])
    # The temperature comes from a body+claim-disjoint fit within these pairs (it needs held-out pairs).
    train, dev = splits(pairs, 0)["body+claim"]
    held = fit(x[train], y[train], c)
    calibrate(held, x[dev], y[dev])
    model = fit(x, y, c)
    model.related.temperature, model.stance.temperature = held.related.temperature, held.stance.temperature
    model.idf = idf
    model.save(folder)
    print(f"wrote {folder} ({len(pairs)} pairs, temperatures {held.related.temperature:.2f} / "
          f"{held.stance.temperature:.2f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--vectors", type=Path, help="cache of sentence vectors (npz), made on the first run")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic regression")
    ap.add_argument("--folds", type=int, nargs="*", default=[0, 1])
    ap.add_argument("--splits", nargs="*", default=["body", "body+claim", "story"])
    ap.add_argument("--export", nargs="?", type=Path, const=MODEL_DIR, metavar="DIR",
                    help="fit on all pairs and write the model (default folder newsgraph/models/stance/)")
    ap.add_argument("--fit-split", choices=["body", "body+claim", "story"],
                    help="with --export: fit on this split's train side only (fold 0), to benchmark on its dev side")
    args = ap.parse_args()
    started = time.monotonic()
    articles, pairs = load(args.corpus)
    texts = sorted({p["claim"] for p in pairs} | {s.text for t in articles.values() for s in split_sentences(t)})
    vectors = encode_all(texts, args.vectors)
    for fold in args.folds:
        for name, (train, dev) in splits(pairs, fold).items():
            if name in args.splits:
                evaluate(f"{name} fold {fold}", pairs, articles, vectors, train, dev, args.c, full=True)
    if args.export:
        export(pairs, articles, vectors, args.c, args.export, args.fit_split)
    print(f"{time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
