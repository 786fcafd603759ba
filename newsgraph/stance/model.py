"""The stance classifier: two logistic regressions over the pair features, run with NumPy alone.

Stage one says whether the article is about the claim at all (related vs unrelated); stage two, fitted on the
related pairs only, says how it speaks of it (agree, disagree, discuss). A single four-way linear model cannot
keep the two apart: the cue features (a denial, a hedge) push any pair toward a related class, also a pair whose
article is about something else. P(unrelated) = 1 - r, P(c) = r * q(c).

Fitted offline by scripts/train_stance.py (scikit-learn) and shipped as plain arrays in `models/stance/weights.npz`
(feature standardisation, the two stages' weights, the softmax temperature of each stage that calibrates its
confidence) and `models/stance/model.json` (feature names, and the IDF of the training bodies and claims for the
TF-IDF features).

With a cross-encoder (`crossencoder.onnx`, scripts/train_stance_crossencoder.py), stage two's logits and the
cross-encoder's are read by one more logistic regression, `fusion` (fitted on pairs the cross-encoder was not
trained on), for the pairs the cross-encoder read; the others keep stage two alone.
"""

from __future__ import annotations

import json
import shutil
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
CROSSENCODER_FILE = "crossencoder.onnx"
# Stage one's P(related) above which the cross-encoder reads a pair: at or below it the pair is `unrelated`
# whatever stage two says (P(unrelated) = 1 - r >= r >= r q(c)).
CROSS_MIN_RELATED = 0.5


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
    fusion: Linear | None = None  # 6 inputs (stage two's logits, the cross-encoder's) x 3 outputs
    crossencoder: Path | None = None  # the ONNX file, with `fusion`

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=np.float32) - self.mean) / self.scale

    def related_probability(self, x: np.ndarray) -> np.ndarray:
        return self.related.probabilities(self.standardise(x))[:, 1]

    def stance_probabilities(self, z: np.ndarray, cross: np.ndarray | None = None) -> np.ndarray:
        """Stage two on standardised features; rows of `cross` (cross-encoder logits, NaN where it did not
        read the pair) go through the fusion."""
        q = self.stance.probabilities(z)
        if self.fusion is not None and cross is not None:
            read = ~np.isnan(cross[:, 0])
            if read.any():
                q[read] = self.fusion.probabilities(np.hstack([self.stance.logits(z[read]), cross[read]]))
        return q

    def probabilities(self, x: np.ndarray, cross: np.ndarray | None = None) -> np.ndarray:
        z = self.standardise(x)
        related = self.related.probabilities(z)[:, 1:2]
        return np.hstack([related * self.stance_probabilities(z, cross), 1.0 - related])

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {"mean": self.mean, "scale": self.scale}
        for name, stage in (("related", self.related), ("stance", self.stance), ("fusion", self.fusion)):
            if stage is not None:
                arrays[f"{name}_w"], arrays[f"{name}_b"] = stage.weights, stage.bias
                arrays[f"{name}_t"] = np.array(stage.temperature)
        np.savez_compressed(folder / "weights.npz", **arrays)
        if self.crossencoder is not None and self.crossencoder.resolve() != (folder / CROSSENCODER_FILE).resolve():
            shutil.copyfile(self.crossencoder, folder / CROSSENCODER_FILE)
        assert self.idf is not None
        meta = {"classes": list(CLASSES), "features": self.features,
                "crossencoder": CROSSENCODER_FILE if self.crossencoder is not None else None,
                "idf_default": round(self.idf.default, 4),
                "idf": {w: round(v, 3) for w, v in sorted(self.idf.values.items())}}
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @staticmethod
    def read(folder: Path) -> StanceModel:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if tuple(meta["features"]) != FEATURE_NAMES or tuple(meta["classes"]) != CLASSES:
            raise ModelMismatch(f"{folder} was trained on other features; retrain with scripts/train_stance.py")
        crossencoder = folder / meta["crossencoder"] if meta.get("crossencoder") else None
        if crossencoder is not None and not crossencoder.is_file():
            raise ModelMismatch(f"{folder} names a cross-encoder that is not there: {crossencoder.name}")
        with np.load(folder / "weights.npz") as data:
            stages = [Linear(data[f"{n}_w"], data[f"{n}_b"], float(data[f"{n}_t"])) if f"{n}_w" in data else None
                      for n in ("related", "stance", "fusion")]
            assert stages[0] is not None and stages[1] is not None
            return StanceModel(list(meta["features"]), data["mean"], data["scale"], stages[0], stages[1],
                               Idf(dict(meta["idf"]), float(meta["idf_default"])),
                               stages[2] if crossencoder is not None else None, crossencoder)


@cache
def shipped_model() -> StanceModel:
    return StanceModel.read(MODEL_DIR)
