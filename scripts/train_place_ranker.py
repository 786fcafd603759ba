#!/usr/bin/env python3
"""Train the places component's candidate ranker (`newsgraph/models/place_ranker/weights.json`).

Place resolution chooses, for each place mention, one of the gazetteer entries of its name. This script
learns that choice as a ranking: every candidate gets the features of `newsgraph.places.ranking`
(prominence, class, match, the mention's form and words, the article's countries, admin units, dateline
and clear places, and the hand-weighted score), and a linear model, fitted as a softmax over each
mention's candidates (a conditional logit), scores them. A second round adds what the first chose for
the article's other mentions (nearness, shared countries and units).

Steps (each prints what it did):

1. parse the corpora with the newsgraph pipeline up to the places component (`place_corpora.parsed_docs`,
   cached as DocBins under the system's temporary folder: a second run skips spaCy), then find and read
   the mentions as the shipped component does (learned reader included);
2. label each candidate 1 when it lies within 161 km of the gold point of the toponym its mention
   matches (overlap of at least half the gold span, one to one, as the scorer matches) or has the gold's
   GeoNames id; the ranker learns the gold's own GeoNames place where it is a candidate, else the
   correct towns before the correct units named after them (`target_of`);
3. score the hand weights, then the learned ranker fitted on geo-train and scored on geo-dev (never
   fitted) and by 5-fold cross-validation by article on geo-train (LGL and GeoVirus apart; --repeats
   draws of the folds): ranking accuracy among the mentions that have a correct candidate (and the
   share that have one: the gazetteer's ceiling), and acc161 of the whole pipeline's output from
   ../shared/tools/score_places_corpus.py;
4. with --export, fit on geo-train + geo-dev and write the weights (plain JSON: feature names,
   coefficients, intercept and scaling, read by `newsgraph.places.ranking` without scikit-learn).

Usage, from the repository root (scikit-learn and SciPy come with the dev extra)::

    python scripts/train_place_ranker.py --repeats 3 --export   # what shipped: evaluate, then fit on all
    python scripts/train_place_ranker.py --compare --repeats 3  # both learners, balance, hand prior, variants
    python scripts/train_place_ranker.py --drop hand            # an ablation: without the hand score
    python scripts/train_place_ranker.py --show 40              # mentions where learned and hand differ

The first run parses 867 articles (a few minutes); later runs take about a minute. Retrain after any
change to the gazetteer, the mention finder or the features. The corpus texts and gold are read from
../shared and never written into the repository; only the weights are.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy is imported

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import numpy as np  # noqa: E402
from place_corpora import SHARED, Article, load_corpus, match_gold, parsed_docs, score, write_places  # noqa: E402
from scipy.optimize import minimize  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from newsgraph.pipeline import build_pipeline  # noqa: E402
from newsgraph.places.component import PlaceFinder  # noqa: E402
from newsgraph.places.cues import cues  # noqa: E402
from newsgraph.places.gazetteer import Entry, gazetteer, km  # noqa: E402
from newsgraph.places.mentions import Mention, MentionFinder  # noqa: E402
from newsgraph.places.ranking import (  # noqa: E402
    FEATURE_NAMES,
    MODEL_DIR,
    MODEL_FILE,
    Evidence,
    Features,
    Ranker,
    mention_cues,
    ranker_from_json,
    second_round_features,
)
from newsgraph.places.reading import default_reader  # noqa: E402
from newsgraph.places.resolution import Context, build_context, first_round, rank, resolve_by_hand  # noqa: E402

DEFAULT_TRAIN = SHARED / "corpora" / "geo-train"
DEFAULT_DEV = SHARED / "corpora" / "geo-dev"
RADIUS_KM = 161.0
FOLDS = 5
SEED = 17
L2_GRID = (0.1, 1.0, 10.0, 100.0)
FEATURE_ORDER = tuple(sorted(FEATURE_NAMES))
UNIT_CLASSES = frozenset({"admin1", "admin2", "admin3"})
# Signs the softmax's weights must keep: all else equal, a more prominent place, one nearer the article's
# other places, in its countries and units, agreeing with its qualifier or scored higher by the hand
# weights is never the worse reading. Without them the fit learns LGL's local papers' habit of meaning
# their own small namesake of a world city, which no article of another paper shares ("Leeds", with
# nothing else named, became Leeds, Alabama).
SIGNS: dict[str, int] = {
    **dict.fromkeys(("hand", "log_pop", "rel_log_pop", "top_pop", "world_city", "capital", "curated",
                     "qualifier_agrees", "country_votes", "country_share", "admin1_votes", "dateline_country",
                     "dateline_admin1", "chosen_same_country", "chosen_country_share", "chosen_same_admin1",
                     "text_near_same_admin1", "text_near_within_161", "list_same_class", "list_same_country"), 1),
    **{f"{p}_{s}": 1 for p in ("clear", "chosen") for s in ("nearness", "nearest", "within_50", "within_161",
                                                              "within_400")},
    **dict.fromkeys(("pop_rank", "qualifier_disagrees", "same_name_city"), -1),
}
# Features left out of the fit (--drop, for ablations): always 0, so they get no weight.
DROPPED: set[str] = set()


# --- corpora -----------------------------------------------------------------------------------------


@dataclass
class Example:
    """One article's mentions (found and read as the shipped component does), their candidates' features
    and labels."""

    article: Article
    corpus: Path
    doc: Doc
    finder: MentionFinder
    mentions: list[Mention]
    ctx: Context
    ev: Evidence
    features: dict[int, list[Features]]
    # per ranked mention (by id): each candidate's label (1 within 161 km of the gold point or the gold's
    # GeoNames place), or None when the mention matches no gold toponym with a point
    labels: dict[int, list[int] | None] = field(default_factory=dict)
    # ... and what the ranker learns: the gold's own GeoNames place where it is a candidate, else the labels
    targets: dict[int, list[int] | None] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return self.article.stem

    @property
    def subset(self) -> str:
        return self.article.collection

    @property
    def ranked(self) -> list[Mention]:
        return [m for m in self.mentions if id(m) in self.features]


def load_examples(corpus: Path, places: PlaceFinder) -> list[Example]:
    """A corpus parsed (from the DocBin cache when it has it) and prepared for ranking."""
    started = time.perf_counter()
    articles = load_corpus(corpus)
    docs = parsed_docs(build_pipeline(use_tagger=False), articles)
    examples = [example(a, corpus, doc, places) for a, doc in zip(articles, docs, strict=True)]
    print(f"{corpus.name}: {len(examples)} articles parsed and their mentions found in "
          f"{time.perf_counter() - started:.0f} s")
    return examples


def example(a: Article, corpus: Path, doc: Doc, places: PlaceFinder) -> Example:
    """Mentions, readings, context and first-round features of an article, and its candidates' labels."""
    gaz = gazetteer()
    finder = MentionFinder(doc, gaz, weak_candidates=places.reader is not None)
    mentions = finder.find()
    places.read(mentions, doc, finder)
    ctx = build_context(doc, mentions, gaz)
    ev, features = first_round(mentions, ctx, gaz, finder.lowers)
    ex = Example(a, corpus, doc, finder, mentions, ctx, ev, features)
    ranked = ex.ranked
    spans = [(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])) for m in ranked]
    for m, g in zip(ranked, match_gold(spans, a.gold), strict=True):
        if g is None or g.get("lat") is None or g.get("lon") is None:
            ex.labels[id(m)] = ex.targets[id(m)] = None
            continue
        ex.labels[id(m)] = labels = [int(is_correct(e, g)) for e in m.entries]
        unit_named = m.hint == "admin" or mention_cues(m, finder.lowers, cues())["admin"]
        ex.targets[id(m)] = target_of(m, labels, g, unit_named)
    return ex


def target_of(m: Mention, labels: list[int], g: dict, unit_named: bool) -> list[int]:
    """The candidates the ranker should choose: the gold's own GeoNames place where it is one ("Beijing"
    the city, not the municipality of that name around it, though both lie within 161 km); without a
    GeoNames id, the correct towns before the correct units that bear their names, as the gold with ids
    has it for names without a unit word ("X region", "the county of X"): LGL and GeoWebNews give the
    town in 211 of 228 such mentions."""
    exact = [int(e.geonames_id is not None and e.geonames_id == g.get("geonames_id")) for e in m.entries]
    if any(exact) or unit_named:
        return exact if any(exact) else labels
    towns = [int(label == 1 and e.feature == "city") for e, label in zip(m.entries, labels, strict=True)]
    units = any(label and e.feature in UNIT_CLASSES for e, label in zip(m.entries, labels, strict=True))
    return towns if any(towns) and units else labels


def is_correct(e: Entry, g: dict) -> bool:
    if g.get("geonames_id") is not None and e.geonames_id == g["geonames_id"]:
        return True
    return km(e.lat, e.lon, float(g["lat"]), float(g["lon"])) <= RADIUS_KM


# --- choosing ----------------------------------------------------------------------------------------

Choice = dict[int, Entry]  # id(mention) -> chosen entry


def choose_by_hand(a: Example) -> Choice:
    assert a.ctx is not None
    resolve_by_hand(a.mentions, a.ctx, gazetteer())
    return {id(m): m.chosen for m in a.ranked if m.chosen is not None}


def choose_by(ranker: Ranker) -> Callable[[Example], Choice]:
    def choose(a: Example) -> Choice:
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
    # Weigh each corpus (LGL, GeoVirus, GeoWebNews) alike, whatever its number of mentions: LGL's local
    # papers are two thirds of the mentions, and news from elsewhere should count as much.
    balance: bool = True
    # Shrink towards the hand weights (the hand score's own softmax) rather than towards zero.
    hand_prior: bool = False
    # Keep the weights of SIGNS on their side of zero (softmax only).
    signed: bool = True

    def label(self) -> str:
        return (f"{self.learner}, l2={self.l2:g}" + ("" if self.balance else ", unbalanced")
                + (", hand prior" if self.hand_prior else "") + ("" if self.signed else ", unsigned"))


def design(articles: Sequence[Example], second: dict[str, Choice] | None, balance: bool = False) -> Design:
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
            features = a.features[id(m)] if second is None else second_round_features(a.features[id(m)], m, a.ev)
            for f, label in zip(features, labels, strict=True):
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


def fit_softmax(d: Design, l2: float, prior: np.ndarray,
                bounds: list[tuple[float | None, float | None]] | None = None) -> tuple[np.ndarray, float]:
    """A conditional logit: maximise, per mention, the log of the softmax mass on its correct candidates,
    with an L2 penalty on the distance from `prior` (and the weights within `bounds`)."""
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

    result = minimize(loss, prior.copy(), jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 500})
    return result.x, 0.0


def sign_bounds(names: Sequence[str]) -> list[tuple[float | None, float | None]]:
    """L-BFGS-B bounds that keep the weights of SIGNS on their side of zero (standardising keeps signs)."""
    return [(0.0, None) if SIGNS.get(n) == 1 else (None, 0.0) if SIGNS.get(n) == -1 else (None, None)
            for n in names]


def fit_pointwise(d: Design, l2: float, prior: np.ndarray,
                  bounds: list[tuple[float | None, float | None]] | None = None) -> tuple[np.ndarray, float]:
    """A logistic regression on candidates one by one (correct or not); argmax per mention at use. It
    takes no prior and no bounds (scikit-learn's has neither)."""
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
    bounds = sign_bounds(FEATURE_ORDER) if settings.signed else None
    coef, intercept = LEARNERS[settings.learner](ds, settings.l2, prior, bounds)
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


def fit(articles: Sequence[Example], variant: Variant, settings: Settings) -> dict:
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
            "hand_prior": settings.hand_prior, "signed": settings.signed, "hand_second_pass": variant.second == "hand",
            "rounds": rounds}


def folds(articles: Sequence[Example], k: int, seed: int = SEED) -> list[tuple[list[Example], list[Example]]]:
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


def ranking_of(articles: Sequence[Example], choices: dict[str, Choice]) -> Ranking:
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


def pipeline_scores(examples: Sequence[Example], choices: dict[str, Choice], places: PlaceFinder,
                    workdir: Path) -> dict[str, str]:
    """The scorer's last line for the whole pipeline's places with these choices, per collection and, for
    geo-train, as a whole."""
    out = Path(tempfile.mkdtemp(prefix="ranker-", dir=workdir))
    for ex in examples:
        chosen = choices[ex.stem]
        for m in ex.mentions:
            m.chosen = chosen.get(id(m))
        ex.doc._.places = list(places.records(ex.doc, ex.mentions, ex.finder))
    write_places(out, [ex.article for ex in examples], [ex.doc for ex in examples])
    groups: dict[str, list[Example]] = {}
    for ex in examples:
        groups.setdefault(ex.subset, []).append(ex)
    if {"lgl", "geovirus"} <= set(groups):
        groups["geo-train"] = [ex for ex in examples if ex.subset in ("lgl", "geovirus")]
    return {name: score(out, [ex.article for ex in group], group[0].corpus) for name, group in sorted(groups.items())}


def acc161(line: str) -> float:
    return next(float(w.split("=")[1]) for w in line.split() if w.startswith("acc161="))


def report(title: str, examples: Sequence[Example], choices: dict[str, Choice], places: PlaceFinder,
           workdir: Path) -> dict[str, str]:
    print(f"\n== {title}")
    for subset in sorted({ex.subset for ex in examples}):
        group = [ex for ex in examples if ex.subset == subset]
        print(f"  {subset:9} {ranking_of(group, choices).line()}")
    scores = pipeline_scores(examples, choices, places, workdir)
    for name, line in scores.items():
        print(f"  {name:9} {line}")
    return scores


def show_differences(articles: Sequence[Example], ours: dict[str, Choice], theirs: dict[str, Choice], n: int) -> None:
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


def cross_validated(train: list[Example], variant: Variant, settings: Settings, seed: int = SEED) -> dict[str, Choice]:
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
    ap.add_argument("--learner", choices=sorted(LEARNERS), default="softmax")
    ap.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the standardised weights (default 1)")
    ap.add_argument("--tune-l2", action="store_true", help="choose the L2 penalty from a grid by cross-validation")
    ap.add_argument("--unbalanced", action="store_true", help="weigh each mention alike, not each corpus")
    ap.add_argument("--hand-prior", action="store_true", help="shrink towards the hand weights, not zero")
    ap.add_argument("--unsigned", action="store_true", help="let every weight take either sign (see SIGNS)")
    ap.add_argument("--variant", choices=[v.name for v in VARIANTS],
                    help="how the ranker runs (default: the best by cross-validation acc161)")
    ap.add_argument("--compare", action="store_true",
                    help="cross-validate both learners, with and without balance, the hand prior and signs")
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

    # Mentions are found and read as in the shipped component (with the learned reader when it is there).
    places = PlaceFinder(reader=default_reader())
    train = load_examples(args.train, places)
    dev = load_examples(args.dev, places)
    work = Path(tempfile.mkdtemp(prefix="place-ranker-"))

    hand = {a.stem: choose_by_hand(a) for a in (*train, *dev)}
    report("hand weights", (*train, *dev), hand, places, work)

    base = Settings(args.l2, args.learner, not args.unbalanced, args.hand_prior, not args.unsigned)
    if args.tune_l2:
        print("\n== L2 penalty by 5-fold cross-validation of the first round on geo-train (ranking accuracy)")
        best = None
        for value in L2_GRID:
            trial = Settings(value, base.learner, base.balance, base.hand_prior, base.signed)
            r = ranking_of(train, cross_validated(train, VARIANTS[0], trial))
            print(f"  l2={value:g}: {r.line()}")
            if best is None or r.correct > best[1]:
                best = (value, r.correct)
        assert best is not None
        base = Settings(best[0], base.learner, base.balance, base.hand_prior, base.signed)
    variants = [v for v in VARIANTS if args.variant in (None, v.name)]
    candidates = [base]
    if args.compare:
        candidates = [Settings(base.l2, learner, balance, prior, signed) for learner in sorted(LEARNERS)
                      for balance in (False, True) for prior in (False, True) for signed in (True, False)
                      if learner == "softmax" or not (prior or signed)]
    results = {}
    for settings in candidates:
        for variant in variants:
            label = f"{variant.name} ({settings.label()})"
            ranker = ranker_from_json(fit(train, variant, settings))
            dev_choices = {a.stem: choose_by(ranker)(a) for a in dev}
            dev_scores = report(f"{label}: fitted on geo-train, scored on geo-dev", dev, dev_choices, places, work)
            show_differences(dev, dev_choices, hand, args.show)
            cv_acc = []
            for repeat in range(args.repeats):
                cv_choices = cross_validated(train, variant, settings, SEED + repeat)
                cv_scores = report(f"{label}: 5-fold cross-validation by article on geo-train"
                                   + (f" (folds {repeat + 1} of {args.repeats})" if args.repeats > 1 else ""),
                                   train, cv_choices, places, work)
                cv_acc.append(acc161(cv_scores["geo-train"]))
            show_differences(train, cv_choices, hand, args.show)
            results[(settings, variant.name)] = (sum(cv_acc) / len(cv_acc), acc161(next(iter(dev_scores.values()))))
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
           {a.stem: choose_by(fitted)(a) for a in (*train, *dev)}, places, work)


if __name__ == "__main__":
    main()
