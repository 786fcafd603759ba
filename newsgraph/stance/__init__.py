"""Stance of an article (or a statement) toward a claim: agree, disagree, discuss or unrelated (FNC-1).

    from newsgraph.stance import predict_stance, predict_stances
    predict_stance("Russia shelled the town", article_text)  # -> records.Stance
    predict_stances([(claim, text), ...])                    # bodies encoded once

Stages: `text` (sentences with offsets), `features` (relatedness and cue features of a pair), `model` (the
shipped perceptron, NumPy only), `evidence` (the deciding sentences), `predict` (the public functions).
"""

from newsgraph.stance.predict import StancePredictor, predict_stance, predict_stances

__all__ = ["StancePredictor", "predict_stance", "predict_stances"]
