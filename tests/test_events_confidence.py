"""The events' confidence (newsgraph.events.confidence): set from the evidence on real sentences, carried
into the records, and ordered the way the evidence says."""

from __future__ import annotations

from newsgraph.events.component import find_events
from newsgraph.events.confidence import MODEL_LEXICON, RULE, Calibration, Evidence, calibration, features
from newsgraph.events.decide import Thresholds
from newsgraph.events.model import model_dir
from newsgraph.pipeline import build_pipeline
from tests.test_events_decide import FixedScores


def test_every_event_of_a_real_sentence_has_a_confidence_in_0_1(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Russian forces shelled the city of Kharkiv on Monday, killing three civilians. "
                  "The two leaders met in Geneva and agreed to withdraw their troops.")
    assert {e.type for e in doc.events} >= {"ASSAULT", "CONSULT"}
    for event in doc.events:
        assert event.confidence is not None and 0.0 <= event.confidence <= 1.0


def test_the_shipped_map_is_read_and_weighs_the_model_score_up() -> None:
    shipped = calibration(model_dir())
    assert shipped is not None
    low = Evidence(origin=RULE, score=0.05, framed=False, hedged=False)
    high = Evidence(origin=RULE, score=0.8, framed=False, hedged=False)
    assert shipped.confidence(low) < shipped.confidence(high)


def test_a_hedge_and_a_model_proposal_lower_the_confidence() -> None:
    shipped = calibration(model_dir())
    assert shipped is not None
    plain = Evidence(origin=RULE, score=0.5, framed=False, hedged=False)
    assert shipped.confidence(Evidence(RULE, 0.5, False, True)) < shipped.confidence(plain)
    assert shipped.confidence(Evidence(MODEL_LEXICON, 0.5, False, False)) < shipped.confidence(plain)


def test_the_map_is_a_logistic_over_the_features() -> None:
    ev = Evidence(origin=MODEL_LEXICON, score=0.5, framed=True, hedged=False)
    assert features(ev) == {"model_lexicon": 1.0, "model_verb": 0.0, "logit_score": 0.0, "framed": 1.0,
                            "hedged": 0.0}
    assert Calibration(0.0, {"model_lexicon": 0.0}).confidence(ev) == 0.5
    assert Calibration(0.0, {"framed": 2.0}).confidence(ev) == round(1 / (1 + 2.718281828 ** -2), 3)


def test_a_model_proposal_is_less_sure_than_a_rule_reading_of_the_same_score() -> None:
    nlp = build_pipeline()
    nlp.replace_pipe("newsgraph_events", "newsgraph_events", config={"learned_types": False})
    shipped = calibration(model_dir())
    proposed = find_events(nlp("The government handed out food parcels to flood victims."), FixedScores(AID=0.9),
                           Thresholds(), shipped)
    ruled = find_events(nlp("Russian forces shelled the city of Kharkiv on Monday."), FixedScores(ASSAULT=0.9),
                        Thresholds(), shipped)
    assert [(e.type, e.evidence.origin if e.evidence else None) for e in proposed] == [("AID", "model-verb")]
    assert [(e.type, e.evidence.origin if e.evidence else None) for e in ruled] == [("ASSAULT", "rule")]
    assert proposed[0].confidence is not None and ruled[0].confidence is not None
    assert proposed[0].confidence < ruled[0].confidence
