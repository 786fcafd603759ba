#!/usr/bin/env python3
"""Train the places component's candidate ranker (`newsgraph/models/place_ranker/weights.json`).

Place resolution chooses, for each place mention, one of the gazetteer entries of its name. This script
learns that choice as a ranking: every candidate gets the features of `newsgraph.places.ranking`
(prominence, class, match, the mention's form and words, the article's countries, admin units, dateline
and clear places, and the hand-weighted score), and a linear model, fitted as a softmax over each
mention's candidates (a conditional logit), scores them. A second round adds what the first chose for
the article's other mentions (nearness, shared countries and units).

Steps (each prints what it did):

1. parse the corpora with the newsgraph pipeline up to the places component, cached as DocBins under
   --cache (a second run skips spaCy);
2. find the mentions and their candidates; label a candidate 1 when it lies within 161 km of the gold
   point of the toponym the mention overlaps (by at least half the gold span) or has its GeoNames id;
   (the ranker learns the gold's own GeoNames place where it is a candidate);
3. score the hand weights, then the learned ranker trained on geo-train and scored on geo-dev (never
   fitted) and by 5-fold cross-validation by article on geo-train (LGL and GeoVirus apart): ranking
   accuracy among mentions that have a correct candidate, and acc161 of the whole pipeline's output
   from ../shared/tools/score_places_corpus.py;
4. with --export, fit on geo-train + geo-dev and write the weights (plain JSON: feature names,
   coefficients, intercept and scaling, read by `newsgraph.places.ranking` without scikit-learn).

Usage, from the repository root::

    python scripts/train_place_ranker.py                 # evaluate (about 1 min once the Docs are cached)
    python scripts/train_place_ranker.py --export        # evaluate, then fit on all and write the weights

The first run parses 867 articles (about 15 min on one core). The corpus texts and gold are read from
../shared and never written into the repository; only the weights are.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy is imported

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin

from newsgraph.places.component import PlaceFinder, read_mentions
from newsgraph.places.gazetteer import Entry, gazetteer
from newsgraph.places.mentions import Mention, MentionFinder
from newsgraph.places.ranking import (
    FEATURE_NAMES,
    MODEL_DIR,
    MODEL_FILE,
    Evidence,
    Features,
    Ranker,
    km,
    ranker_from_json,
    second_round_features,
)
from newsgraph.places.resolution import Context, build_context, first_round, rank, resolve_by_hand

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
DEFAULT_TRAIN = SHARED / "corpora" / "geo-train"
DEFAULT_DEV = SHARED / "corpora" / "geo-dev"
SCORER = SHARED / "tools" / "score_places_corpus.py"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "newsgraph-place-ranker"
RADIUS_KM = 161.0
FOLDS = 5
SEED = 17
L2_GRID = (0.1, 1.0, 10.0, 100.0)
# Components after the places one, and the ones before it that the places component does not read.
SKIPPED_COMPONENTS = ("newsgraph_boilerplate", "newsgraph_dates", "newsgraph_places", "newsgraph_amounts",
                      "newsgraph_actors", "newsgraph_quotes", "newsgraph_certainty", "newsgraph_events")
FEATURE_ORDER = tuple(sorted(FEATURE_NAMES))
# Features left out of the fit (--drop, for ablations): always 0, so they get no weight.
DROPPED: set[str] = set()


# --- corpora and parses ------------------------------------------------------------------------------


@dataclass
class Gold:
    start: int
    end: int
    lat: float
    lon: float
    geonames_id: int | None


@dataclass
class Article:
    stem: str
    subset: str  # lgl, geovirus, geo-dev
    corpus: Path
    text: str
    doc: Doc
    gold: list[Gold]
    finder: MentionFinder | None = None
    mentions: list[Mention] = field(default_factory=list)
    ctx: Context | None = None
    ev: Evidence | None = None
    features: dict[int, list[Features]] = field(default_factory=dict)
    # per ranked mention (by id): each candidate's label, or None when no gold toponym with a point matches
    labels: dict[int, list[int] | None] = field(default_factory=dict)
    # ... and what the ranker learns: the gold's own GeoNames place where it is a candidate, else the labels
    targets: dict[int, list[int] | None] = field(default_factory=dict)

    @property
    def ranked(self) -> list[Mention]:
        return [m for m in self.mentions if id(m) in self.features]


def read_corpus(corpus: Path) -> list[tuple[str, str, list[Gold]]]:
    out = []
    for gold_path in sorted((corpus / "gold").glob("*.json")):
        stem = gold_path.stem
        with open(corpus / "text" / f"{stem}.txt", encoding="utf-8", newline="") as f:
            text = f.read()
        places = json.loads(gold_path.read_text(encoding="utf-8"))["places"]
        gold = [Gold(g["start"], g["end"], float(g["lat"]), float(g["lon"]), g.get("geonames_id"))
                for g in places if g.get("lat") is not None and g.get("lon") is not None]
        out.append((stem, text, gold))
    return out


def parsed_docs(name: str, texts: list[str], cache: Path) -> list[Doc]:
    """The texts through the pipeline up to the places component, from a DocBin cache when it has them."""
    from newsgraph.pipeline import build_pipeline

    nlp = build_pipeline()
    digest = hashlib.sha1()
    digest.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}|{','.join(nlp.pipe_names)}".encode())
    for t in texts:
        digest.update(hashlib.sha1(t.encode("utf-8")).digest())
    path = cache / f"{name}-{digest.hexdigest()[:12]}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        print(f"{name}: {len(docs)} parsed Docs from {path}")
        return docs
    started = time.perf_counter()
    disabled = [p for p in SKIPPED_COMPONENTS if p in nlp.pipe_names]
    docs = list(nlp.pipe(texts, batch_size=8, disable=disabled))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(path)
    print(f"{name}: parsed {len(docs)} articles in {time.perf_counter() - started:.0f} s, cached in {path}")
    return docs


def load_articles(corpus: Path, cache: Path, dev: bool) -> list[Article]:
    rows = read_corpus(corpus)
    docs = parsed_docs(corpus.name, [text for _, text, _ in rows], cache)
    articles = []
    for (stem, text, gold), doc in zip(rows, docs, strict=True):
        subset = "geo-dev" if dev else stem.split("-", 1)[0]
        articles.append(Article(stem, subset, corpus, text, doc, gold))
    return articles


def prepare(a: Article) -> None:
    """Mentions, readings, context and first-round features of an article, and its candidates' labels."""
    gaz = gazetteer()
    a.finder, a.mentions = read_mentions(a.doc, gaz)
    a.ctx = build_context(a.doc, a.mentions, gaz)
    a.ev, a.features = first_round(a.mentions, a.ctx, gaz, a.finder.lowers)
    for m in a.ranked:
        g = matching_gold(a, m)
        if g is None:
            a.labels[id(m)] = a.targets[id(m)] = None
            continue
        a.labels[id(m)] = [int(is_correct(e, g)) for e in m.entries]
        # Where the gold names its GeoNames place, that place is the one to learn ("Beijing" the city, not
        # the municipality of the same name around it, though both lie within 161 km).
        exact = [int(e.geonames_id is not None and e.geonames_id == g.geonames_id) for e in m.entries]
        a.targets[id(m)] = exact if any(exact) else a.labels[id(m)]


def matching_gold(a: Article, m: Mention) -> Gold | None:
    """The gold toponym the mention overlaps by at least half the gold span (the scorer's rule), best first."""
    start, end = a.doc[m.start].idx, a.doc[m.end - 1].idx + len(a.doc[m.end - 1])
    best, best_ratio = None, 0.0
    for g in a.gold:
        glen = (g.end - g.start) or 1
        overlap = max(0, min(g.end, end) - max(g.start, start))
        if overlap and overlap >= 0.5 * glen:
            ratio = overlap / max(glen, end - start)
            if ratio > best_ratio:
                best, best_ratio = g, ratio
    return best


def is_correct(e: Entry, g: Gold) -> bool:
    return (g.geonames_id is not None and e.geonames_id == g.geonames_id) or km(e.lat, e.lon, g.lat, g.lon) <= RADIUS_KM


# --- choosing ----------------------------------------------------------------------------------------

Choice = dict[int, Entry]  # id(mention) -> chosen entry


def choose_by_hand(a: Article) -> Choice:
    assert a.ctx is not None
    resolve_by_hand(a.mentions, a.ctx, gazetteer())
    return {id(m): m.chosen for m in a.ranked if m.chosen is not None}


def choose_by(ranker: Ranker) -> Callable[[Article], Choice]:
    def choose(a: Article) -> Choice:
        assert a.ev is not None
        rank(a.mentions, a.ev, a.features, ranker)
        return {id(m): m.chosen for m in a.ranked if m.chosen is not None}
    return choose


# --- fitting -----------------------------------------------------------------------------------------


@dataclass
class Design:
    x: np.ndarray
    y: np.ndarray
    group: np.ndarray  # mention number of each row, rows of a mention together
    weight: np.ndarray  # each mention's weight in the fit (by group)


@dataclass(frozen=True)
class Settings:
    l2: float
    learner: str = "softmax"
    # Weigh each corpus (LGL, GeoVirus, GeoWebNews) alike, whatever its number of mentions.
    balance: bool = False
    # Shrink towards the hand weights (the hand score's own softmax) rather than towards zero.
    hand_prior: bool = False

    def label(self) -> str:
        return (f"{self.learner}, l2={self.l2:g}" + (", balanced" if self.balance else "")
                + (", hand prior" if self.hand_prior else ""))


def design(articles: Sequence[Article], second: dict[str, Choice] | None, balance: bool = False) -> Design:
    """Candidate rows of the mentions that have a correct and a wrong candidate. With `second` (first-round
    choices by stem), the rows hold the second round's features."""
    index = {n: i for i, n in enumerate(FEATURE_ORDER)}
    rows, ys, groups, subsets = [], [], [], []
    g = 0
    for a in articles:
        if second is not None:
            assert a.ev is not None
            chosen = second[a.stem]
            for m in a.mentions:
                m.chosen = chosen.get(id(m))
            a.ev.chosen = [(m.key, chosen[id(m)]) for m in a.ranked if id(m) in chosen]
        for m in a.ranked:
            labels = a.targets[id(m)]
            if labels is None or not any(labels) or all(labels):
                continue
            for f, e, label in zip(a.features[id(m)], m.entries, labels, strict=True):
                if second is not None:
                    assert a.ev is not None
                    f = second_round_features(f, m, e, a.ev)
                row = np.zeros(len(FEATURE_ORDER))
                for name, value in f.items():
                    if name not in DROPPED:
                        row[index[name]] = value
                rows.append(row)
                ys.append(label)
                groups.append(g)
            subsets.append(a.subset)
            g += 1
    weight = np.ones(g)
    if balance:
        counts = {name: subsets.count(name) for name in set(subsets)}
        weight = np.array([g / (len(counts) * counts[name]) for name in subsets])
    return Design(np.array(rows), np.array(ys, dtype=float), np.array(groups), weight)


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return (x - mean) / scale, mean, scale


def fit_softmax(d: Design, l2: float, prior: np.ndarray) -> tuple[np.ndarray, float]:
    """A conditional logit: maximise, per mention, the log of the softmax mass on its correct candidates,
    with an L2 penalty on the distance from `prior`."""
    starts = np.flatnonzero(np.r_[True, d.group[1:] != d.group[:-1]])
    x, y, gi, wg = d.x, d.y, d.group, d.weight

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        s = s - np.maximum.reduceat(s, starts)[gi]
        e = np.exp(s)
        z = np.add.reduceat(e, starts)
        zp = np.add.reduceat(e * y, starts)
        value = float(np.sum(wg * (np.log(z) - np.log(zp))) + 0.5 * l2 * (w - prior) @ (w - prior))
        grad = x.T @ (wg[gi] * (e / z[gi] - e * y / zp[gi])) + l2 * (w - prior)
        return value, grad

    result = minimize(loss, prior.copy(), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return result.x, 0.0


def fit_pointwise(d: Design, l2: float, prior: np.ndarray) -> tuple[np.ndarray, float]:
    """A logistic regression on candidates one by one (correct or not); argmax per mention at use."""
    model = LogisticRegression(C=1.0 / l2, max_iter=2000)
    model.fit(d.x, d.y, sample_weight=d.weight[d.group])
    return model.coef_[0], float(model.intercept_[0])


LEARNERS = {"softmax": fit_softmax, "pointwise": fit_pointwise}


def fit_round(d: Design, settings: Settings) -> dict:
    """One round's weights as the JSON the component reads (features that never varied left out)."""
    xs, mean, scale = standardise(d.x)
    ds = Design(xs, d.y, d.group, d.weight)
    prior = np.zeros(len(FEATURE_ORDER))
    if settings.hand_prior:
        # The hand score alone, at the scale that fits best: the model the penalty pulls towards.
        hand = FEATURE_ORDER.index("hand")
        only = Design(xs[:, [hand]], d.y, d.group, d.weight)
        prior[hand] = fit_softmax(only, 0.0, np.zeros(1))[0][0]
    coef, intercept = LEARNERS[settings.learner](ds, settings.l2, prior)
    used = [i for i in range(len(FEATURE_ORDER)) if d.x[:, i].std() > 0]
    return {"features": [FEATURE_ORDER[i] for i in used], "coef": [round(float(coef[i]), 6) for i in used],
            "intercept": round(intercept, 6), "mean": [round(float(mean[i]), 6) for i in used],
            "scale": [round(float(scale[i]), 6) for i in used]}


@dataclass(frozen=True)
class Variant:
    """How the ranker runs: a first round alone, with the hand proximity pass, or with a learned second."""

    name: str
    second: str  # none, hand, learned


VARIANTS = (Variant("learned", "none"), Variant("learned+hand-pass", "hand"), Variant("learned+round2", "learned"))


def fit(articles: Sequence[Article], variant: Variant, settings: Settings) -> dict:
    """The ranker's JSON fitted on these articles. A learned second round is fitted on first-round choices
    made by cross-fitting (each article's by a first round not fitted on it), as at use."""
    first = fit_round(design(articles, None, settings.balance), settings)
    rounds = [first]
    if variant.second == "learned":
        first_choices: dict[str, Choice] = {}
        for held, rest in folds(articles, FOLDS):
            inner = ranker_from_json({"rounds": [fit_round(design(rest, None, settings.balance), settings)]})
            for a in held:
                first_choices[a.stem] = choose_by(inner)(a)
        rounds.append(fit_round(design(articles, first_choices, settings.balance), settings))
    return {"version": 1, "learner": settings.learner, "l2": settings.l2, "balanced": settings.balance,
            "hand_prior": settings.hand_prior, "hand_second_pass": variant.second == "hand", "rounds": rounds}


def folds(articles: Sequence[Article], k: int, seed: int = SEED) -> list[tuple[list[Article], list[Article]]]:
    """k folds by article, shuffled with a fixed seed: (held out, rest)."""
    order = np.random.default_rng(seed).permutation(len(articles))
    parts = [set(order[i::k].tolist()) for i in range(k)]
    return [([a for i, a in enumerate(articles) if i in part], [a for i, a in enumerate(articles) if i not in part])
            for part in parts]


# --- measuring ---------------------------------------------------------------------------------------


@dataclass
class Ranking:
    mentions: int = 0  # matched to a gold toponym with a point
    oracle: int = 0  # ... of which some candidate is correct
    correct: int = 0  # ... of which the chosen one is
    ambiguous: int = 0  # oracle mentions with a wrong candidate too
    ambiguous_correct: int = 0

    def line(self) -> str:
        share = self.correct / self.oracle if self.oracle else 0.0
        amb = self.ambiguous_correct / self.ambiguous if self.ambiguous else 0.0
        return (f"ranking {share:.3f} ({self.correct}/{self.oracle} mentions with a correct candidate; "
                f"ambiguous {amb:.3f} of {self.ambiguous}); oracle {self.oracle}/{self.mentions} = "
                f"{self.oracle / max(self.mentions, 1):.3f}")


def ranking_of(articles: Sequence[Article], choices: dict[str, Choice]) -> Ranking:
    r = Ranking()
    for a in articles:
        for m in a.ranked:
            labels = a.labels[id(m)]
            if labels is None:
                continue
            r.mentions += 1
            if not any(labels):
                continue
            r.oracle += 1
            chosen = choices[a.stem].get(id(m))
            right = chosen is not None and labels[next(i for i, e in enumerate(m.entries) if e is chosen)] == 1
            r.correct += right
            if not all(labels):
                r.ambiguous += 1
                r.ambiguous_correct += right
    return r


def pipeline_scores(articles: Sequence[Article], choices: dict[str, Choice], workdir: Path) -> dict[str, str]:
    """The scorer's last line for the whole pipeline's places, per subset and for geo-train as a whole."""
    out = workdir / "out"
    out.mkdir(parents=True, exist_ok=True)
    finder = PlaceFinder()
    for a in articles:
        chosen = choices[a.stem]
        for m in a.mentions:
            m.chosen = chosen.get(id(m))
        assert a.finder is not None
        places = [p.model_dump(mode="json") for p in finder.records(a.doc, a.mentions, a.finder)]
        (out / f"{a.stem}.json").write_text(json.dumps({"text": a.text, "places": places}), encoding="utf-8")
    scores = {}
    subsets = sorted({a.subset for a in articles})
    groups = {s: [a for a in articles if a.subset == s] for s in subsets}
    if {"lgl", "geovirus"} <= set(subsets):
        groups["geo-train"] = [a for a in articles if a.subset in ("lgl", "geovirus")]
    for name, group in groups.items():
        corpus = subset_corpus(workdir / f"corpus-{name}", group)
        result = subprocess.run([sys.executable, str(SCORER), str(out), str(corpus)], capture_output=True, text=True)
        scores[name] = result.stdout.strip().splitlines()[-1]
    return scores


def subset_corpus(path: Path, articles: Sequence[Article]) -> Path:
    """A corpus folder of links to these articles' text and gold, for the scorer."""
    for sub in ("text", "gold"):
        (path / sub).mkdir(parents=True, exist_ok=True)
        for old in (path / sub).iterdir():
            old.unlink()
    for a in articles:
        (path / "text" / f"{a.stem}.txt").symlink_to(a.corpus / "text" / f"{a.stem}.txt")
        (path / "gold" / f"{a.stem}.json").symlink_to(a.corpus / "gold" / f"{a.stem}.json")
    return path


def acc161(line: str) -> float:
    return next(float(w.split("=")[1]) for w in line.split() if w.startswith("acc161="))


def report(title: str, articles: Sequence[Article], choices: dict[str, Choice], workdir: Path) -> dict[str, str]:
    print(f"\n== {title}")
    for subset in sorted({a.subset for a in articles}):
        group = [a for a in articles if a.subset == subset]
        print(f"  {subset:9} {ranking_of(group, choices).line()}")
    scores = pipeline_scores(articles, choices, workdir)
    for name, line in scores.items():
        print(f"  {name:9} {line}")
    return scores


def show_differences(articles: Sequence[Article], ours: dict[str, Choice], theirs: dict[str, Choice], n: int) -> None:
    """Print up to n mentions where two choices differ and one of them is right (for error analysis)."""
    shown = 0
    for a in articles:
        for m in a.ranked:
            labels = a.labels[id(m)]
            mine, other = ours[a.stem].get(id(m)), theirs[a.stem].get(id(m))
            if labels is None or mine is other or mine is None or other is None or shown >= n:
                continue
            right = {id(e): label for e, label in zip(m.entries, labels, strict=True)}
            text = a.doc[m.start:m.end].text
            print(f"  {a.stem} {text!r} ({m.source}, {len(m.entries)} candidates): "
                  f"learned {_described(mine, right)}  hand {_described(other, right)}")
            shown += 1


def _described(e: Entry, right: dict[int, int]) -> str:
    return f"{'+' if right.get(id(e)) else '-'}{e.name}/{e.feature}/{e.country}/{e.admin1}/{e.population}"


def cross_validated(train: list[Article], variant: Variant, settings: Settings, seed: int = SEED) -> dict[str, Choice]:
    choices: dict[str, Choice] = {}
    for held, rest in folds(train, FOLDS, seed):
        ranker = ranker_from_json(fit(rest, variant, settings))
        for a in held:
            choices[a.stem] = choose_by(ranker)(a)
    return choices


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="parsed Docs and scorer work files")
    ap.add_argument("--learner", choices=sorted(LEARNERS), default="softmax")
    ap.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the standardised weights (default 1)")
    ap.add_argument("--tune-l2", action="store_true", help="choose the L2 penalty from a grid by cross-validation")
    ap.add_argument("--balance", action="store_true", help="weigh LGL and GeoVirus alike")
    ap.add_argument("--hand-prior", action="store_true", help="shrink towards the hand weights, not zero")
    ap.add_argument("--variant", choices=[v.name for v in VARIANTS],
                    help="how the ranker runs (default: the best by cross-validation acc161)")
    ap.add_argument("--compare", action="store_true",
                    help="cross-validate both learners, with and without balance and the hand prior")
    ap.add_argument("--drop", nargs="*", default=[], metavar="PREFIX",
                    help="leave out the features whose names start so (an ablation)")
    ap.add_argument("--repeats", type=int, default=1, help="cross-validate on this many draws of the folds")
    ap.add_argument("--show", type=int, default=0, help="print N mentions where the learned and hand choices differ")
    ap.add_argument("--export", action="store_true", help="fit on train + dev and write the weights")
    ap.add_argument("--output", type=Path, default=MODEL_DIR)
    args = ap.parse_args()
    DROPPED.update(n for n in FEATURE_NAMES if any(n.startswith(p) for p in args.drop))
    if DROPPED:
        print(f"left out: {', '.join(sorted(DROPPED))}")

    train = load_articles(args.train, args.cache, dev=False)
    dev = load_articles(args.dev, args.cache, dev=True)
    started = time.perf_counter()
    for a in (*train, *dev):
        prepare(a)
    print(f"mentions and features of {len(train) + len(dev)} articles in {time.perf_counter() - started:.0f} s")
    work = args.cache / "work"

    hand = {a.stem: choose_by_hand(a) for a in (*train, *dev)}
    report("hand weights", (*train, *dev), hand, work)

    base = Settings(args.l2, args.learner, args.balance, args.hand_prior)
    if args.tune_l2:
        print("\n== L2 penalty by 5-fold cross-validation of the first round on geo-train (ranking accuracy)")
        best = None
        for value in L2_GRID:
            trial = Settings(value, base.learner, base.balance, base.hand_prior)
            r = ranking_of(train, cross_validated(train, VARIANTS[0], trial))
            print(f"  l2={value:g}: {r.line()}")
            if best is None or r.correct > best[1]:
                best = (value, r.correct)
        assert best is not None
        base = Settings(best[0], base.learner, base.balance, base.hand_prior)
    variants = [v for v in VARIANTS if args.variant in (None, v.name)]
    candidates = [base]
    if args.compare:
        candidates = [Settings(base.l2, learner, balance, prior) for learner in sorted(LEARNERS)
                      for balance in (False, True) for prior in (False, True)
                      if not (prior and learner == "pointwise")]
    results = {}
    for settings in candidates:
        for variant in variants:
            label = f"{variant.name} ({settings.label()})"
            ranker = ranker_from_json(fit(train, variant, settings))
            dev_choices = {a.stem: choose_by(ranker)(a) for a in dev}
            dev_scores = report(f"{label}: fitted on geo-train, scored on geo-dev", dev, dev_choices, work)
            show_differences(dev, dev_choices, hand, args.show)
            cv_acc = []
            for repeat in range(args.repeats):
                cv_choices = cross_validated(train, variant, settings, SEED + repeat)
                cv_scores = report(f"{label}: 5-fold cross-validation by article on geo-train"
                                   + (f" (folds {repeat + 1} of {args.repeats})" if args.repeats > 1 else ""),
                                   train, cv_choices, work)
                cv_acc.append(acc161(cv_scores["geo-train"]))
            show_differences(train, cv_choices, hand, args.show)
            results[(settings, variant.name)] = (sum(cv_acc) / len(cv_acc), acc161(dev_scores["geo-dev"]))
    print(f"\n== acc161: geo-train 5-fold CV (mean of {args.repeats} fold draws), geo-dev")
    for (settings, name), (cv, dv) in results.items():
        print(f"  {name:20} {settings.label():40} {cv:.4f} {dv:.3f}")
    if not args.export:
        return
    chosen_settings, chosen_variant = max(results, key=lambda k: (results[k][0], results[k][1]))
    variant = next(v for v in VARIANTS if v.name == chosen_variant)
    print(f"\n== fitting {variant.name} ({chosen_settings.label()}) on geo-train + geo-dev")
    model = fit([*train, *dev], variant, chosen_settings)
    model["trained_on"] = f"{args.train.name} ({len(train)} articles) + {args.dev.name} ({len(dev)} articles)"
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / MODEL_FILE
    path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path} ({sum(len(r['features']) for r in model['rounds'])} weights)")
    fitted = ranker_from_json(model)
    report("shipped model on the data it was fitted to (not a measure of quality)", (*train, *dev),
           {a.stem: choose_by(fitted)(a) for a in (*train, *dev)}, work)


if __name__ == "__main__":
    main()
