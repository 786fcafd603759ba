"""The stance classifier: two logistic regressions over the pair features, run with NumPy alone.

Stage one says whether the article is about the claim at all (related vs unrelated); stage two, fitted on the
related pairs only, says how it speaks of it (agree, disagree, discuss). A single four-way linear model cannot
keep the two apart: the cue features (a denial, a hedge) push any pair toward a related class, also a pair whose
article is about something else. P(unrelated) = 1 - r, P(c) = r * q(c).

Fitted offline by scripts/train_stance.py (scikit-learn) and shipped as plain arrays in `models/stance/weights.npz`
(feature standardisation, the two stages' weights, the softmax temperature of each stage that calibrates its
confidence) and `models/stance/model.json` (feature names, and the IDF of the training bodies and claims for the
TF-IDF features).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from newsgraph.lexicons import MODELS_DIR
from newsgraph.stance.features import FEATURE_NAMES, Idf

StanceLabel = Literal["agree", "disagree", "discuss", "unrelated"]
CLASSES: tuple[StanceLabel, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED_CLASSES = 3  # the first three of CLASSES
MODEL_DIR = MODELS_DIR / "stance"


class ModelMismatch(RuntimeError):
    """The shipped weights were fitted on other features than this code computes."""


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Linear:
    weights: np.ndarray  # features x outputs
    bias: np.ndarray
    temperature: float = 1.0

    def logits(self, z: np.ndarray) -> np.ndarray:
        return z @ self.weights + self.bias

    def probabilities(self, z: np.ndarray) -> np.ndarray:
        return softmax(self.logits(z) / self.temperature)


@dataclass
class StanceModel:
    features: list[str]
    mean: np.ndarray
    scale: np.ndarray
    related: Linear  # 2 outputs: unrelated, related
    stance: Linear  # 3 outputs: agree, disagree, discuss
    idf: Idf | None

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=np.float32) - self.mean) / self.scale

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = self.standardise(x)
        related = self.related.probabilities(z)[:, 1:2]
        return np.hstack([related * self.stance.probabilities(z), 1.0 - related])

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {"mean": self.mean, "scale": self.scale}
        for name, stage in (("related", self.related), ("stance", self.stance)):
            arrays[f"{name}_w"], arrays[f"{name}_b"] = stage.weights, stage.bias
            arrays[f"{name}_t"] = np.array(stage.temperature)
        np.savez_compressed(folder / "weights.npz", **arrays)
        assert self.idf is not None
        meta = {"classes": list(CLASSES), "features": self.features,
                "idf_default": round(self.idf.default, 4),
                "idf": {w: round(v, 3) for w, v in sorted(self.idf.values.items())}}
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @staticmethod
    def read(folder: Path) -> StanceModel:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if tuple(meta["features"]) != FEATURE_NAMES or tuple(meta["classes"]) != CLASSES:
            raise ModelMismatch(f"{folder} was trained on other features; retrain with scripts/train_stance.py")
        with np.load(folder / "weights.npz") as data:
            stages = [Linear(data[f"{n}_w"], data[f"{n}_b"], float(data[f"{n}_t"])) for n in ("related", "stance")]
            return StanceModel(list(meta["features"]), data["mean"], data["scale"], stages[0], stages[1],
                               Idf(dict(meta["idf"]), float(meta["idf_default"])))


@cache
def shipped_model() -> StanceModel:
    return StanceModel.read(MODEL_DIR)
