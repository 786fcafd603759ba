"""Ranking: the candidate features and the shipped ranker weights (`newsgraph/models/place_ranker/`).

Sentences written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.analyzer import Analyzer
from newsgraph.places import gazetteer, ranking
from newsgraph.places.component import PlaceFinder
from newsgraph.places.mentions import Mention, MentionFinder
from newsgraph.places.ranking import FEATURE_NAMES, MODEL_FILE, Features, place_ranker
from newsgraph.places.reading import default_reader
from newsgraph.places.resolution import build_context, first_round


def candidate_features(analyzer: Analyzer, text: str) -> dict[str, list[tuple[Mention, Features]]]:
    """Each mention's candidates with their first-round features, by mention text."""
    doc = analyzer.nlp(text)
    gaz = gazetteer()
    finder = MentionFinder(doc, gaz, weak_candidates=True)
    mentions = finder.find()
    PlaceFinder(reader=default_reader()).read(mentions, doc, finder)
    _, features = first_round(mentions, build_context(doc, mentions, gaz), gaz, finder.lowers)
    return {doc[m.start:m.end].text: list(zip(m.entries, features[id(m)], strict=True))  # type: ignore[misc]
            for m in mentions if id(m) in features}


def test_a_qualifier_agrees_with_the_town_in_its_unit(analyzer: Analyzer) -> None:
    paris = candidate_features(analyzer, "The festival returns to Paris, Texas, in May.")["Paris"]
    agree = {e.country for e, f in paris if "qualifier_agrees" in f}
    disagree = {e.country for e, f in paris if "qualifier_disagrees" in f}
    assert agree == {"US"} and "FR" in disagree


def test_the_city_of_x_favours_towns(analyzer: Analyzer) -> None:
    kherson = candidate_features(analyzer, "Residents fled the city of Kherson as the shelling grew.")["Kherson"]
    assert all(("hint_city_x_city" in f) == (e.feature == "city") for e, f in kherson)
    assert any(e.feature != "city" for e, _ in kherson)


def test_a_unit_word_after_the_name_is_a_cue(analyzer: Analyzer) -> None:
    county = candidate_features(analyzer, "Deputies searched homes in Jefferson County overnight.")["Jefferson County"]
    assert all("cue_admin_x_admin" in f for e, f in county if e.feature == "admin2")


def test_the_article_s_country_votes_for_its_towns(analyzer: Analyzer) -> None:
    paris = candidate_features(analyzer, "The train reached Paris before noon, France's rail operator said.")["Paris"]
    french = [f for e, f in paris if e.country == "FR" and e.feature == "city"]
    assert french and all(f.get("country_votes", 0) > 0 for f in french)
    assert all("country_votes" not in f for e, f in paris if e.country == "US")


def test_every_feature_set_is_a_known_name(analyzer: Analyzer) -> None:
    found = candidate_features(analyzer, "SEOUL, South Korea (CNN) - Officials in Busan and Daegu said on "
                                         "Monday that Paris, Texas, and Georgia had sent aid.")
    names = {name for pairs in found.values() for _, f in pairs for name in f}
    assert names and names <= FEATURE_NAMES
    assert "dateline_country" in names


def test_the_shipped_weights_load_and_score_every_feature_they_name() -> None:
    ranker = place_ranker()
    assert ranker is not None
    model = json.loads((ranking.MODEL_DIR / MODEL_FILE).read_text(encoding="utf-8"))
    assert len(model["rounds"]) == (2 if ranker.second is not None else 1)
    for spec, scorer in zip(model["rounds"], [ranker.first, ranker.second], strict=False):
        assert scorer is not None
        named = spec["features"]
        assert set(named) <= FEATURE_NAMES
        assert len(named) == len(spec["coef"]) == len(spec["mean"]) == len(spec["scale"])
        base = scorer.score({})
        for name, coef, scale in zip(named, spec["coef"], spec["scale"], strict=True):
            # Each named feature moves the score by its coefficient over its training scale.
            assert scorer.score({name: 1.0}) - base == pytest.approx(coef / scale)


def test_without_weights_there_is_no_ranker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ranking, "MODEL_DIR", tmp_path)
    place_ranker.cache_clear()
    try:
        assert place_ranker() is None
    finally:
        place_ranker.cache_clear()
