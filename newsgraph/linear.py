"""A linear score over named features, for the shipped learned rankers (places, sources).

The models are fitted offline (scikit-learn / SciPy in scripts/) and shipped as plain JSON: feature names,
coefficients, intercept and the training mean and scale of each feature. Scoring needs no NumPy: the scaling
is folded into the weights once, so a feature absent from a candidate's sparse dict costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from operator import mul
from typing import Any

Features = dict[str, float]


@dataclass(frozen=True)
class LinearScorer:
    """w = coef / scale and b = intercept - sum(w * mean), so that absent (zero) features cost nothing."""

    weights: dict[str, float]
    bias: float

    @staticmethod
    def from_json(obj: dict[str, Any]) -> LinearScorer:
        names, coef = obj["features"], obj["coef"]
        mean, scale = obj.get("mean") or [0.0] * len(names), obj.get("scale") or [1.0] * len(names)
        weights = {n: c / s for n, c, s in zip(names, coef, scale, strict=True)}
        bias = float(obj.get("intercept", 0.0)) - sum(weights[n] * mu for n, mu in zip(names, mean, strict=True))
        return LinearScorer(weights, bias)

    def score(self, f: Features) -> float:
        # the products in the features' order, summed left to right as before (map and mul, not a generator
        # of tuples: the source ranker scores some forty features of each of thousands of candidates)
        return self.bias + sum(map(mul, map(self.weights.get, f.keys(), repeat(0.0)), f.values()))
