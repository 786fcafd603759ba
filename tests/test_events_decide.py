"""How the learned type model and the rules decide together (newsgraph.events.decide), on sentences
written for these tests. The model's scores are set by the test (a fixed scorer), so what is checked is
the combination: where a proposal goes, when it is made, and what the rules keep for themselves."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.events.component import find_events
from newsgraph.events.decide import Thresholds
from newsgraph.events.model import PLOVER_TYPES, TypeModel
from newsgraph.pipeline import build_pipeline


class FixedScores(TypeModel):
    """A scorer that gives every sentence the same scores."""

    def __init__(self, **scores: float) -> None:  # no model directory: nothing to load
        self.row = {t: scores.get(t, 0.0) for t in PLOVER_TYPES}

    def scores(self, spans: Sequence[Doc | Span]) -> list[dict[str, float]]:
        return [dict(self.row) for _ in spans]


@pytest.fixture(scope="module")
def rules_nlp() -> Language:
    """The pipeline with the events component reading by the rules alone."""
    nlp = build_pipeline()
    nlp.replace_pipe("newsgraph_events", "newsgraph_events", config={"learned_types": False})
    return nlp


def events_with(nlp: Language, text: str, model: TypeModel) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(e.type, e.trigger.text) for e in find_events(doc, model, Thresholds())]


def test_a_sentence_no_rule_reads_gets_the_models_type_at_its_main_verb(rules_nlp: Language) -> None:
    text = "The government handed out food parcels to flood victims."
    assert rules_nlp(text)._.events == []
    assert events_with(rules_nlp, text, FixedScores(AID=0.9)) == [("AID", "handed")]


def test_a_low_score_proposes_nothing(rules_nlp: Language) -> None:
    assert events_with(rules_nlp, "The government handed out food parcels to flood victims.",
                       FixedScores(AID=0.1)) == []


def test_what_a_speaker_reports_is_read_at_the_reported_verb(rules_nlp: Language) -> None:
    text = "The ministry said the volunteers handed out food parcels."
    assert events_with(rules_nlp, text, FixedScores(AID=0.9)) == [("AID", "handed")]


def test_next_to_a_rule_event_only_a_lexicon_word_of_the_type_takes_the_models_type(rules_nlp: Language) -> None:
    text = "The two leaders held talks in Geneva on Monday."
    assert events_with(rules_nlp, text, FixedScores(AID=0.9, CONSULT=0.5)) == [("CONSULT", "talks")]


def test_a_frames_embedded_act_is_no_second_event(rules_nlp: Language) -> None:
    text = "The rebels agreed to withdraw their fighters from the town."
    assert events_with(rules_nlp, text, FixedScores(RETREAT=0.95)) == [("AGREE", "agreed")]


@pytest.mark.parametrize("text", [
    "The farmers kill and sell goats before the holiday.",  # a violent word read as no physical act
    "The governor abused his power to reward his friends.",  # a '-' row: no event in this sense
    "The army did not withdraw from the town.",  # negated
])
def test_where_the_rules_decided_against_an_event_the_model_proposes_none(rules_nlp: Language, text: str) -> None:
    assert events_with(rules_nlp, text, FixedScores(ASSAULT=0.9, RETREAT=0.9, ACCUSE=0.9)) == []


def test_violent_types_are_proposed_only_at_a_word_the_lexicons_list_for_them(rules_nlp: Language) -> None:
    assert events_with(rules_nlp, "The villagers sold vegetables in the square.", FixedScores(ASSAULT=0.9)) == []
