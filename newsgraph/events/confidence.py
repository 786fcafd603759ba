"""How likely an event's type is right, from the evidence that found it.

An event is read by a rule (a lexicon trigger, perhaps inside a frame) or proposed by the learned type
model (at a lexicon word of the type, or at the sentence's main verb); the type model scores the type
for the event's sentence either way. A logistic map over that evidence, fitted out of fold on the
events-ngec snippets (`scripts/fit_event_confidence.py`), turns it into a probability that the event's
type is one the annotator found in the snippet's article. The map is plain data:
`models/event_types/confidence.json` (see the model card's "Confidence" section).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULE = "rule"  # read by the lexicons and frames
MODEL_LEXICON = "model-lexicon"  # proposed by the type model at a lexicon word of the type
MODEL_VERB = "model-verb"  # proposed by the type model at the sentence's main verb
ORIGINS = (RULE, MODEL_LEXICON, MODEL_VERB)
CALIBRATION_FILE = "confidence.json"
# Below this the model's score says nothing more: on events-ngec fold 0 events scored under 0.01 are right
# about as often (0.29, 21 events) as those at 0.01-0.03 (0.39), so the score is floored here.
SCORE_FLOOR = 0.01


@dataclass(frozen=True)
class Evidence:
    """What found an event: its origin, the type model's score for its type in its sentence (None without
    the model), whether a frame read it ("agreed to withdraw", "must withdraw"), whether it is hedged."""

    origin: str
    score: float | None
    framed: bool
    hedged: bool


def features(ev: Evidence) -> dict[str, float]:
    """The map's inputs: one indicator per origin besides the rules', the score's log-odds (the model's
    sigmoid is not a probability, the map rescales it), the frame and hedge flags. (How far the score is
    below the sentence's best type was tried: it only learned that a quote's second event is of a type its
    annotator was not asked about, and it cost a sentence with two events; see the model card.)"""
    return {
        "model_lexicon": float(ev.origin == MODEL_LEXICON),
        "model_verb": float(ev.origin == MODEL_VERB),
        "logit_score": logit(ev.score),
        "framed": float(ev.framed),
        "hedged": float(ev.hedged),
    }


def logit(p: float | None) -> float:
    """Log-odds of a score kept within [SCORE_FLOOR, 1 - SCORE_FLOOR]; 0 (even odds) when unknown."""
    if p is None:
        return 0.0
    p = min(max(p, SCORE_FLOOR), 1 - SCORE_FLOOR)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Calibration:
    """A logistic map: confidence = sigmoid(intercept + sum of weight * feature)."""

    intercept: float
    weights: dict[str, float]

    def confidence(self, ev: Evidence) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features(ev).items())
        return round(1 / (1 + math.exp(-z)), 3)


def read_calibration(path: Path) -> Calibration | None:
    """The map in `path` (None where there is no file: events then carry no confidence)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Calibration(float(data["intercept"]), {k: float(v) for k, v in data["weights"].items()})


@cache
def calibration(model_path: Path) -> Calibration | None:
    """The map shipped next to the type model in `model_path`, read once per process."""
    return read_calibration(model_path / CALIBRATION_FILE)
