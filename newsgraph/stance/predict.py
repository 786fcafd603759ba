"""Stance of texts toward claims: `predict_stance` for one pair, `predict_stances` for many.

Each distinct text is split and encoded once however many claims it is paired with (the encoder also caches
each sentence), and the features of all pairs go through the model in one matrix product.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from newsgraph.records import Stance
from newsgraph.stance.crossencoder import context
from newsgraph.stance.evidence import evidence_for
from newsgraph.stance.features import Body, PairView, pair_features, read_body
from newsgraph.stance.model import CLASSES, CROSS_MIN_RELATED, StanceModel, shipped_model
from newsgraph.stance.text import split_sentences

# Bodies kept read between calls (a claims run asks about the same articles again and again).
BODY_CACHE = 2000


class StancePredictor:
    """The shipped model (or another) with the sentence encoder; holds the last BODY_CACHE bodies read."""

    def __init__(self, model: StanceModel | None = None, threads: int | None = None) -> None:
        from newsgraph.embeddings import shared_encoder

        self.model = model or shipped_model()
        self.encoder = shared_encoder(threads)
        self.crossencoder = None
        if self.model.crossencoder is not None:
            from newsgraph.stance.crossencoder import CrossEncoder

            self.crossencoder = CrossEncoder(self.model.crossencoder, threads)
        self._bodies: dict[str, Body] = {}

    def body(self, text: str) -> Body:
        return self.bodies([text])[0]

    def bodies(self, texts: Sequence[str]) -> list[Body]:
        """Read the texts not seen yet in one encoder call (sentences of all of them batched together)."""
        new = [t for t in dict.fromkeys(texts) if t not in self._bodies]
        if new:
            split = [split_sentences(t) for t in new]
            vectors = self.encoder.encode([s.text for sentences in split for s in sentences])
            row = 0
            for text, sentences in zip(new, split, strict=True):
                self._remember(text, read_body(text, vectors[row:row + len(sentences)], sentences))
                row += len(sentences)
        return [self._bodies[t] for t in texts]

    def _remember(self, text: str, body: Body) -> None:
        self._bodies[text] = body
        if len(self._bodies) > BODY_CACHE:
            del self._bodies[next(iter(self._bodies))]

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[Stance]:
        """(claim, text) pairs -> one Stance each, in order."""
        if not pairs:
            return []
        assert self.model.idf is not None
        bodies = self.bodies([text for _, text in pairs])
        claim_vectors = self.encoder.encode([claim for claim, _ in pairs])
        rows, views = [], []
        for (claim, _), vector, body in zip(pairs, claim_vectors, bodies, strict=True):
            features, view = pair_features(claim, vector, body, self.model.idf)
            rows.append(features)
            views.append(view)
        x = np.stack(rows)
        probs = self.model.probabilities(x, self._cross_logits(pairs, bodies, views, x))
        out = []
        for p, body, view in zip(probs, bodies, views, strict=True):
            label = CLASSES[int(p.argmax())]
            out.append(Stance(stance=label, confidence=round(float(p.max()), 4),
                              evidence=evidence_for(body, view, label)))
        return out


    def _cross_logits(self, pairs: Sequence[tuple[str, str]], bodies: list[Body], views: list[PairView],
                      x: np.ndarray) -> np.ndarray | None:
        """The cross-encoder's logits of the pairs stage one may call related (NaN rows for the others: the
        cross-encoder is most of a related pair's cost, and an unrelated pair's stance is never read)."""
        if self.crossencoder is None:
            return None
        out = np.full((len(pairs), 3), np.nan, dtype=np.float32)
        read = np.flatnonzero(self.model.related_probability(x) > CROSS_MIN_RELATED)
        if len(read):
            out[read] = self.crossencoder.logits([(pairs[i][0], context(bodies[i], views[i])) for i in map(int, read)])
        return out


_shared: list[StancePredictor] = []


def shared_predictor() -> StancePredictor:
    if not _shared:
        _shared.append(StancePredictor())
    return _shared[0]


def predict_stance(claim: str, text: str) -> Stance:
    """The stance of `text` (an article, or a statement's content) toward `claim`."""
    return shared_predictor().predict([(claim, text)])[0]


def predict_stances(pairs: Iterable[tuple[str, str]]) -> list[Stance]:
    """Many (claim, text) pairs at once: each text read and encoded once."""
    return shared_predictor().predict(list(pairs))
