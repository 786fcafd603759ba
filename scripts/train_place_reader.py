#!/usr/bin/env python
"""Train the places reading model, `newsgraph/models/place_reader/model.json`, and report how it generalises.

Usage::

    pip install -e '.[dev]'          # scikit-learn, for training only
    python scripts/train_place_reader.py [--train ../shared/corpora/geo-dev] [--check ../shared/corpora/geo-train]
                                         [--folds 5] [--c 0.3] [--save]

The reading decides, for each place mention the places component finds, whether the text uses the name
as a place (literal), for an actor (metonym: "Turkey says"), as a non-locating modifier or an
organisation's name (associative), or not as a place name at all (none). GeoWebNews (`--train`) types
every toponym by its use, so the labels come from it: a mention matching a literal toponym is literal,
one matching a Metonymic toponym a metonym, one matching another associative kind associative, and one
matching no toponym none. The model is a multinomial logistic regression (scikit-learn) over the
feature names of `newsgraph.places.reading.reading_features` (the parse, the neighbours, the NER label,
the gazetteer and the rules' own reading), saved as plain weights that newsgraph reads without
scikit-learn.

It prints, each from the scorer `../shared/tools/score_places_corpus.py`:
* `--train` by k-fold cross-validation by article (each article read by a model that never saw it),
  for the rules alone and for the model;
* `--check` (LGL + GeoVirus, which do not type metonymy: a metonymic use counts as a place there) read
  by the model trained on all of `--train`, for the rules and for the model, per collection.
`--save` writes the model trained on all of `--train`. Takes a few minutes (the corpora are parsed once
and cached).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from place_corpora import SHARED, Article, load_corpus, match_gold, parsed_docs, score, write_places  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from newsgraph.pipeline import build_pipeline  # noqa: E402
from newsgraph.places.component import PlaceFinder  # noqa: E402
from newsgraph.places.gazetteer import gazetteer  # noqa: E402
from newsgraph.places.mentions import ASSOCIATIVE, LITERAL, METONYM, Mention, MentionFinder  # noqa: E402
from newsgraph.places.reading import (  # noqa: E402
    NOT_A_PLACE_NAME,
    READER_FILE,
    ReadingModel,
    reading_features,
)

MODEL_VERSION = 1


def label_of(gold: dict | None) -> str:
    """The reading a gold toponym's GeoWebNews kind stands for."""
    if gold is None:
        return NOT_A_PLACE_NAME
    if gold.get("literal", True):
        return LITERAL
    return METONYM if gold.get("kind") == "Metonymic" else ASSOCIATIVE


class ReadMentions:
    """One article's mentions with the rules' readings, their features and their gold labels."""

    def __init__(self, article: Article, doc: Doc, weak: bool = True) -> None:
        self.article, self.doc = article, doc
        self.finder = MentionFinder(doc, gazetteer(), weak_candidates=weak)
        self.mentions: list[Mention] = self.finder.find()
        PlaceFinder(reader=None).read(self.mentions, doc, self.finder)
        self.rules = [m.reading for m in self.mentions]
        self.features = [reading_features(m, doc, self.finder) for m in self.mentions]
        spans = [(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])) for m in self.mentions]
        self.labels = [label_of(g) for g in match_gold(spans, article.gold)]

    def place(self, readings: list[str]) -> Doc:
        for m, reading in zip(self.mentions, readings, strict=True):
            m.reading = reading
        PlaceFinder(reader=None).place(self.doc, self.mentions, self.finder)
        return self.doc


def fit(examples: list[ReadMentions], c: float, threshold: float) -> ReadingModel:
    features = [dict.fromkeys(f, 1) for ex in examples for f in ex.features]
    labels = [label for ex in examples for label in ex.labels]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(features)
    model = LogisticRegression(C=c, max_iter=4000).fit(x, labels)
    classes = tuple(str(c) for c in model.classes_)
    weights = {name: tuple(round(float(model.coef_[k, j]), 5) for k in range(len(classes)))
               for name, j in vectorizer.vocabulary_.items()}
    weights = {name: w for name, w in weights.items() if any(abs(v) >= 1e-4 for v in w)}
    return ReadingModel(classes, tuple(round(float(b), 5) for b in model.intercept_), weights, threshold)


Readings = Callable[[ReadMentions], list[str]]


def run(examples: list[ReadMentions], read: Readings, outdir: Path) -> None:
    """Write the places of each article read by `read(example) -> readings`."""
    docs = [ex.place(read(ex)) for ex in examples]
    write_places(outdir, [ex.article for ex in examples], docs)


def model_readings(model: ReadingModel) -> Readings:
    return lambda ex: [model.read(f) for f in ex.features]


def cross_validate(examples: list[ReadMentions], folds: int, c: float, threshold: float, corpus: Path,
                   verbose: bool = False) -> None:
    order = list(range(len(examples)))
    random.Random(17).shuffle(order)
    fold_of = {i: k % folds for k, i in enumerate(order)}
    predicted: dict[int, list[str]] = {}
    for k in range(folds):
        model = fit([ex for i, ex in enumerate(examples) if fold_of[i] != k], c, threshold)
        for i, ex in enumerate(examples):
            if fold_of[i] == k:
                predicted[i] = [model.read(f) for f in ex.features]
    outdir = Path(tempfile.mkdtemp(prefix="reader-cv-"))
    index = {id(ex): i for i, ex in enumerate(examples)}
    run(examples, lambda ex: ex.rules, outdir / "rules")
    run(examples, lambda ex: predicted[index[id(ex)]], outdir / "model")
    articles = [ex.article for ex in examples]
    print(f"{corpus.name}, rules:                {score(outdir / 'rules', articles, corpus)}")
    print(f"{corpus.name}, model ({folds}-fold CV): {score(outdir / 'model', articles, corpus)}")
    print("  " + score(outdir / "model", articles, corpus, lines=3).splitlines()[0])
    gold = Counter(label for ex in examples for label in ex.labels)
    right = sum(p == g for i, ex in enumerate(examples) for p, g in zip(predicted[i], ex.labels, strict=True))
    rules = sum(r == g for ex in examples for r, g in zip(ex.rules, ex.labels, strict=True))
    total = sum(gold.values())
    if verbose:
        confusions = Counter((g, p, ex.mentions[j].source, ex.doc[ex.mentions[j].start:ex.mentions[j].end].root.dep_)
                             for i, ex in enumerate(examples)
                             for j, (p, g) in enumerate(zip(predicted[i], ex.labels, strict=True)) if p != g)
        for (g, p, source, dep), n in confusions.most_common(25):
            print(f"    gold {g:12} read {p:12} source {source:14} dep {dep:10} {n}")
        for i, ex in enumerate(examples):
            for j, (p, g) in enumerate(zip(predicted[i], ex.labels, strict=True)):
                if g == METONYM and p == LITERAL:
                    m = ex.mentions[j]
                    sent = ex.doc[m.start].sent
                    print(f"    metonym read as a place: {ex.doc[m.start:m.end].text!r} in {sent.text[:110]!r}")
    print(f"  mention readings right: model {right}/{total} = {right / total:.3f}, rules {rules}/{total} = "
          f"{rules / total:.3f} (labels {dict(gold)})")


def check(model: ReadingModel, examples: list[ReadMentions], corpus: Path) -> None:
    outdir = Path(tempfile.mkdtemp(prefix="reader-check-"))
    run(examples, lambda ex: ex.rules, outdir / "rules")
    run(examples, model_readings(model), outdir / "model")
    groups: dict[str, list[Article]] = {}
    for ex in examples:
        groups.setdefault(ex.article.collection, []).append(ex.article)
    for name, articles in [("all", [ex.article for ex in examples]), *sorted(groups.items())]:
        for kind in ("rules", "model"):
            print(f"{corpus.name} {name}, {kind}: {score(outdir / kind, articles, corpus)}")


def save(model: ReadingModel, train: Path, n_mentions: int, c: float) -> None:
    READER_FILE.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": MODEL_VERSION, "trained_on": f"{train.name} ({n_mentions} mentions)", "C": c,
            "literal_threshold": model.literal_threshold, "classes": list(model.classes), "bias": list(model.bias),
            "weights": dict(sorted(model.weights.items()))}
    READER_FILE.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {READER_FILE} ({len(model.weights)} features)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=SHARED / "corpora" / "geo-dev")
    ap.add_argument("--check", type=Path, default=SHARED / "corpora" / "geo-train")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=0.3, help="inverse L2 regularisation strength")
    ap.add_argument("--threshold", type=float, default=0.5, help="least probability of the literal reading to "
                    "read a mention as a place")
    ap.add_argument("--save", action="store_true", help=f"write {READER_FILE.relative_to(REPO)}")
    ap.add_argument("--verbose", action="store_true", help="print the commonest reading errors in cross-validation")
    ap.add_argument("--no-check", action="store_true", help="skip the --check corpus")
    ap.add_argument("--without", default="", help="comma-separated feature name parts to leave out (an ablation: "
                    "'rule=,head_role=,gov_role=' leaves out the rules and the cue lists)")
    a = ap.parse_args()
    nlp = build_pipeline(use_tagger=False)
    train_articles = load_corpus(a.train)
    train = [ReadMentions(art, doc) for art, doc in zip(train_articles, parsed_docs(nlp, train_articles), strict=True)]
    without = [part for part in a.without.split(",") if part]
    for ex in train:
        ex.features = [[f for f in fs if not any(part in f for part in without)] for fs in ex.features]
    cross_validate(train, a.folds, a.c, a.threshold, a.train, a.verbose)
    model = fit(train, a.c, a.threshold)
    if not a.no_check:
        check_articles = load_corpus(a.check)
        examples = [ReadMentions(art, doc) for art, doc in
                    zip(check_articles, parsed_docs(nlp, check_articles), strict=True)]
        check(model, examples, a.check)
    if a.save:
        save(model, a.train, sum(len(ex.labels) for ex in train), a.c)


if __name__ == "__main__":
    main()
