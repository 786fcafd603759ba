"""The stance cross-encoder: the claim and the article's sentences nearest it read together by one transformer.

The pair features compare sentence vectors made one text at a time, and such vectors put "X died" next to
"X did not die"; word cues (a denial verb, "hoax") say that something is denied but not whether it is the claim.
A cross-encoder reads "[CLS] claim [SEP] nearest sentences [SEP]" in one pass, so its attention can tie a
negation or a rebuttal in the sentences to the words of the claim. It is all-MiniLM-L6-v2 fine-tuned on the
related FNC-1 pairs for agree / disagree / discuss (scripts/train_stance_crossencoder.py), exported to ONNX
with int8 weights and run by onnxruntime, like the sentence encoder, on the pairs that stage one calls related.
Its three logits join stage two's in `model.StanceModel.fusion`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsgraph.embeddings import TOKENIZER_PATH, cpu_session, padded
from newsgraph.stance.features import Body, PairView

# Word pieces of claim and sentences together (the claim is 15-20, a news sentence about 30): room for the
# claim and its 3 nearest sentences, the longest cut from the end.
MAX_TOKENS = 160
CONTEXT_SENTENCES = 3  # features.NEAREST: the sentences the stance cues are read in too
OUTPUTS = 3  # agree, disagree, discuss (model.CLASSES[:3])


def context(body: Body, view: PairView, sentences: int = CONTEXT_SENTENCES) -> str:
    """The text the cross-encoder reads beside the claim: the nearest sentences, most similar first (so that
    truncation drops the least similar)."""
    return " ".join(body.sentences[i].text for i in view.nearest[:sentences])


# One pair a run by default: the int8 model quantises its activations per run (dynamic quantisation), so in a
# batch a pair's logits moved by up to 0.12 with its batch-mates and a stance could differ between one call and
# many; unbatched costs 13% (300 FNC-1 pairs: 9.4 s against 8.4 s in batches of 32, 2 threads).
BATCH_SIZE = 1


class CrossEncoder:
    """Three stance logits for (claim, context) pairs, in batches of like length."""

    def __init__(self, path: Path, threads: int | None = None, batch_size: int = BATCH_SIZE) -> None:
        from tokenizers import Tokenizer

        self._session = cpu_session(path, threads)
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        # Longest first: the context is cut before the claim, which is rarely a tenth of the budget.
        self._tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
        self._tokenizer.no_padding()
        self.batch_size = batch_size

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """(claim, context) pairs -> one row of OUTPUTS logits each, in order."""
        out = np.zeros((len(pairs), OUTPUTS), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(pairs))
        # Pairs of like length batched together pad little: the cost is in the padded positions.
        order = sorted(range(len(pairs)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            ids, types, mask = padded([encodings[i] for i in rows])
            out[rows] = self._session.run(["logits"], {"input_ids": ids, "attention_mask": mask,
                                                       "token_type_ids": types})[0]
        return out
