"""The reading of a place name: a place, an actor, a non-locating modifier, or no place name at all.

Sentences written for these tests; the shipped model (models/place_reader) decides.
"""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from newsgraph.lexicons import DATA_DIR
from newsgraph.places.reading import (
    READER_FILE,
    READINGS,
    ReadingModel,
    agent_rate,
    context_keys,
    default_reader,
    place_contexts,
)


def place_texts(analyze, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in analyze(text).places]


def test_the_shipped_reader_loads_and_reads_the_four_readings() -> None:
    reader = default_reader()
    assert reader is not None
    assert set(reader.classes) == set(READINGS)
    data = json.loads(READER_FILE.read_text(encoding="utf-8"))
    assert len(data["bias"]) == len(reader.classes)
    assert all(len(w) == len(reader.classes) for w in reader.weights.values())
    # The rules' own reading is one of its features, and a strong one.
    assert any(name.startswith("rule=") for name in reader.weights)


def test_a_country_that_announces_is_no_place_but_the_town_it_names_is(analyze) -> None:  # type: ignore[no-untyped-def]
    found = place_texts(analyze, "Turkey announced on Monday that it would reopen the border crossing near Kilis.")
    assert "Turkey" not in found
    assert "Kilis" in found


def test_a_possessor_of_a_decision_is_no_place(analyze) -> None:  # type: ignore[no-untyped-def]
    found = place_texts(analyze, "China's decision to raise tariffs surprised traders in Rotterdam.")
    assert "China" not in found
    assert "Rotterdam" in found


def test_a_newspaper_named_after_a_city_is_no_place(analyze) -> None:  # type: ignore[no-untyped-def]
    found = place_texts(analyze, "The Washington Post reported that the storm flooded roads in Norfolk, Virginia.")
    assert "Washington" not in found
    assert "Norfolk" in found


def test_nationality_adjectives_on_people_are_no_places(analyze) -> None:  # type: ignore[no-untyped-def]
    found = place_texts(analyze, "Canadian officials met Mexican negotiators in Ottawa on Tuesday.")
    assert found == ["Ottawa"]


def test_context_keys_name_the_relation_to_the_governing_word(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp("Officials in Kyiv said talks with Russia had stalled over Moscow's demands.")
    by_text = {t.text: context_keys(t) for t in doc}
    assert "prep|in|official" in by_text["Kyiv"]
    assert "prep|with|talk" in by_text["Russia"]
    assert "poss|demand" in by_text["Moscow"]


def test_mined_contexts_tell_agents_from_places() -> None:
    """The selectional preferences come from other news: 'X said' takes agents, 'the outskirts of X' places."""
    assert (DATA_DIR / "place_contexts.tsv").exists()
    said = agent_rate("nsubj|say")
    outskirts = place_contexts().get("prep|of|outskirt")
    assert said is not None and said > 0.6
    assert outskirts is not None and outskirts[1] > outskirts[0]


@given(st.lists(st.sampled_from(["rule=literal", "rule=metonym", "dep=nsubj", "dep=pobj", "prep=in", "unknown"]),
                max_size=6))
def test_the_readings_probabilities_sum_to_one(features: list[str]) -> None:
    reader = default_reader()
    assert reader is not None
    probs = reader.probabilities(features)
    assert abs(sum(probs.values()) - 1.0) < 1e-9
    reading = reader.read(features)
    assert (reading == "literal") == (probs["literal"] >= reader.literal_threshold)
    if reading != "literal":
        assert reading == max((c for c in probs if c != "literal"), key=lambda c: probs[c])


def test_a_model_without_weights_reads_by_its_bias() -> None:
    model = ReadingModel(("literal", "none"), (0.0, 1.0), {})
    assert model.read(["anything"]) == "none"
