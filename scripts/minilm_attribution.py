"""Inference of the experimental MiniLM attribution tagger (scripts/train_attribution_minilm.py): ONNX model over
WordPiece pieces and the CNN tagger's rule features, windows over long articles, constrained BIO decoding, and a
spaCy component that puts its spans in doc.spans["attribution"] in place of the CNN tagger's.

Not part of the package: the experiment did not beat the CNN tagger by the margin asked (see the findings at
the top of scripts/train_attribution_minilm.py). The decoding helpers import numpy only, so that the trainer
can use them in a torch venv without spaCy; spaCy and newsgraph are imported where they are needed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

CLS_ID, SEP_ID = 101, 102
TOKENIZER_PATH = Path(__file__).resolve().parents[1] / "newsgraph" / "models" / "sentence_encoder" / "tokenizer.json"
FACTORY = "minilm_attribution_experiment"


def windows(n: int, width: int, stride: int) -> list[tuple[int, int]]:
    """[start, end) piece ranges of width `width` every `stride` pieces, the last one ending at n."""
    if n <= width:
        return [(0, n)]
    starts = list(range(0, n - width + 1, stride))
    if starts[-1] + width < n:
        starts.append(n - width)
    return [(s, s + width) for s in starts]


def constrained_path(logp: np.ndarray, names: Sequence[str]) -> list[int]:
    """The most probable label sequence in which an I-X only follows a B-X or an I-X (Viterbi). The
    classifier's own argmax breaks a long content wherever one token's I- loses to a B- or to O, which cut
    exact-span F on tune from 0.633 to 0.567."""
    k = len(names)
    inside = np.array([name.startswith("I-") for name in names])
    allowed = np.array([[not inside[c] or (names[p] != "O" and names[p][2:] == names[c][2:]) for c in range(k)]
                        for p in range(k)])
    transition = np.where(allowed, 0.0, -1e9)
    score = logp[0] + np.where(inside, -1e9, 0.0)
    back = np.zeros(logp.shape, dtype=np.int64)
    for i in range(1, len(logp)):
        total = score[:, None] + transition
        back[i] = total.argmax(0)
        score = total.max(0) + logp[i]
    path = [int(score.argmax())]
    for i in range(len(logp) - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


def bio_spans(space: Sequence[bool], labels: Sequence[int], names: Sequence[str]
              ) -> Iterable[tuple[int, int, str]]:
    """(start, end, label) token spans from BIO class ids. An I- after O or another label starts a span (the
    classifier is not constrained); whitespace tokens (`space`) have no pieces and join a span only when the next
    word continues it (a content running over a paragraph break)."""
    tags = ["O" if space[i] else names[x] for i, x in enumerate(labels)]
    for i in range(1, len(tags)):
        if space[i] and tags[i - 1] != "O":
            j = i
            while j < len(tags) and space[j]:
                j += 1
            if j < len(tags) and tags[j] == "I-" + tags[i - 1][2:]:
                tags[i:j] = [tags[j]] * (j - i)
    start, current = 0, ""
    for i, tag in enumerate([*tags, "O"]):
        if current and (tag == "O" or tag.startswith("B-") or tag[2:] != current):
            yield start, i, current
            current = ""
        if tag != "O" and not current:
            start, current = i, tag[2:]


@dataclass(frozen=True)
class TaggerModel:
    """What the model was trained with (`meta.json`) and its ONNX session."""

    session: Any
    tokenizer: Any
    labels: tuple[str, ...]  # BIO labels, index = class id
    feature_rows: tuple[int, ...]  # rows of each extra-feature embedding (values are clipped to them)
    forms: dict[str, list[int]]  # the cue-form table of the features, as trained
    window: int  # word pieces per window, without [CLS] and [SEP]


@cache
def load_tagger_model(model_dir: str, threads: int = 1) -> TaggerModel:
    """The ONNX session and tables of a model folder (export stage), loaded once per process."""
    import onnxruntime
    from tokenizers import Tokenizer

    folder = Path(model_dir)
    if not (folder / "model.onnx").exists():
        sys.exit(f"no exported model in {folder}: run the export stage")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    forms = json.loads((folder / "forms.json").read_text(encoding="utf-8"))
    return TaggerModel(session, tokenizer, tuple(meta["labels"]), tuple(meta["feature_rows"]), forms,
                       int(meta["window"]))


class MiniLMTagger:
    def __init__(self, model_dir: str, spans_key: str = "attribution", stride: int = 0, batch_size: int = 8,
                 threads: int = 1) -> None:
        self.model_dir, self.spans_key, self.batch_size, self.threads = model_dir, spans_key, batch_size, threads
        self.stride = stride
        load_tagger_model(model_dir, threads)  # fail at pipeline build time, not on the first article

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Span, SpanGroup

        model = load_tagger_model(self.model_dir, self.threads)
        labels = token_labels(model, doc, self.stride or model.window // 2, self.batch_size)
        found = bio_spans([t.is_space for t in doc], labels, model.labels)
        spans = [Span(doc, start, end, label=label) for start, end, label in found]
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        return doc


def piece_inputs(model: TaggerModel, doc: Any) -> tuple[list[int], list[int], np.ndarray]:
    """Word piece ids, the token of each piece, and each piece's extra features (its token's)."""
    from newsgraph.attribution_features import extra_features

    words = [t.text for t in doc]
    encoding = model.tokenizer.encode(words, is_pretokenized=True, add_special_tokens=False)
    word_ids = [w if w is not None else 0 for w in encoding.word_ids]
    feats = extra_features(doc, model.forms, True).astype(np.int64)
    limits = np.array(model.feature_rows, dtype=np.int64) - 1
    piece_feats = np.minimum(feats[word_ids], limits) if word_ids else np.zeros((0, len(limits)), np.int64)
    return list(encoding.ids), word_ids, piece_feats


def token_labels(model: TaggerModel, doc: Any, stride: int, batch_size: int) -> list[int]:
    """A class id per token: the best BIO sequence (`constrained_path`) over the log-probabilities of each
    token's first piece, taken from the window where that piece has the most context (farthest from a
    window edge that is not the article's)."""
    ids, word_ids, feats = piece_inputs(model, doc)
    n = len(ids)
    best = np.full(n, -1.0)
    scores = np.zeros((n, len(model.labels)), dtype=np.float32)
    spans = windows(n, model.window, stride)
    for k in range(0, len(spans), batch_size):
        chunk = spans[k : k + batch_size]
        for (s, e), logp in zip(chunk, run_windows(model, ids, feats, chunk), strict=True):
            pos = np.arange(s, e)
            left = pos - s if s > 0 else np.full(e - s, np.inf)
            right = e - 1 - pos if e < n else np.full(e - s, np.inf)
            centrality = np.minimum(left, right)
            better = centrality > best[s:e]
            best[s:e][better] = centrality[better]
            scores[s:e][better] = logp[better]
    first: dict[int, int] = {}
    for j, w in enumerate(word_ids):
        first.setdefault(w, j)
    words = [i for i in sorted(first) if not doc[i].is_space]
    labels = [0] * len(doc)
    if words:
        for i, label in zip(words, constrained_path(scores[[first[i] for i in words]], model.labels), strict=True):
            labels[i] = label
    return labels


def run_windows(model: TaggerModel, ids: Sequence[int], feats: np.ndarray, chunk: list[tuple[int, int]]
                ) -> list[np.ndarray]:
    """The log-probabilities of each class on each piece of each window (without [CLS]/[SEP])."""
    width = max(e - s for s, e in chunk) + 2
    batch = np.zeros((len(chunk), width), dtype=np.int64)
    mask = np.zeros_like(batch)
    feat_batch = np.zeros((len(chunk), width, feats.shape[1]), dtype=np.int64)
    for row, (s, e) in enumerate(chunk):
        batch[row, 0], batch[row, e - s + 1] = CLS_ID, SEP_ID
        batch[row, 1 : e - s + 1] = ids[s:e]
        mask[row, : e - s + 2] = 1
        feat_batch[row, 1 : e - s + 1] = feats[s:e]
    logits = model.session.run(["logits"], {"input_ids": batch, "attention_mask": mask, "feats": feat_batch})[0]
    logits = logits - logits.max(-1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    return [logp[row, 1 : e - s + 1] for row, (s, e) in enumerate(chunk)]


def register_component() -> None:
    """The spaCy factory of the experiment's component (config: model_dir, stride, batch_size, threads)."""
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, default_config={"spans_key": "attribution", "model_dir": "", "stride": 0,
                                                  "batch_size": 8, "threads": 1},
                         func=lambda nlp, name, spans_key, model_dir, stride, batch_size, threads:
                         MiniLMTagger(model_dir, spans_key, stride, batch_size, threads))


def analyze_with_minilm(model_dir: Path, texts: Path, out: Path, needs_cue: bool = False) -> int:
    """`newsgraph analyze TEXTS --out OUT` with this tagger in the CNN tagger's place (first in the pipeline,
    writing doc.spans["attribution"] itself, so without the CNN's stash step). needs_cue: the quote rules keep
    a tagger content only where the tagger also marked a cue (QuoteFinder.tagger_needs_cue)."""
    import newsgraph.analyzer
    from newsgraph.cli import main as cli_main
    from newsgraph.pipeline import build_pipeline

    register_component()

    def minilm_pipeline(model: str | None = None, use_tagger: bool = True) -> Any:
        nlp = build_pipeline(model, use_tagger=use_tagger)
        if use_tagger:
            nlp.remove_pipe("newsgraph_stash_attribution")
            nlp.replace_pipe("attribution_tagger", FACTORY, config={"model_dir": str(model_dir)})
        nlp.get_pipe("newsgraph_quotes").tagger_needs_cue = needs_cue
        return nlp

    # the analysis workers are forked from this process, so they build the patched pipeline too
    newsgraph.analyzer.build_pipeline = minilm_pipeline  # type: ignore[assignment]
    return cli_main(["analyze", str(texts), "--out", str(out)])
