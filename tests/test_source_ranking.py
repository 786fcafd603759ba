"""The learned source ranker and its confidence, on sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

from newsgraph.records import Document, Statement
from newsgraph.source_ranking import Calibration, LinearScorer, source_ranker

Analyze = Callable[..., Document]


def statement_with(doc: Document, fragment: str) -> Statement:
    hits = [s for s in doc.statements if fragment in s.content.text]
    assert hits, f"no statement contains {fragment!r}; got {[s.content.text for s in doc.statements]}"
    return hits[0]


def test_the_shipped_weights_load() -> None:
    ranker = source_ranker()
    assert ranker is not None and ranker.scorer.weights
    assert ranker.calibration.values == sorted(ranker.calibration.values)


def test_pronoun_speaker_stays_the_local_mention(analyze: Analyze) -> None:
    text = ("Senator Maria Alvarez visited the car factory in Toledo on Tuesday. "
            "She said the plant would reopen next year with 500 workers.")
    st = statement_with(analyze(text), "the plant would reopen")
    assert st.speaker is not None and st.speaker.text == "She"
    assert st.speaker.name == "Maria Alvarez"


def test_the_subject_beats_a_name_in_the_object(analyze: Analyze) -> None:
    text = "Mayor Tom Fields told reporters on Monday that Governor Ann Lee would sign the budget bill."
    st = statement_with(analyze(text), "would sign the budget")
    assert st.speaker is not None and "Tom Fields" in st.speaker.text


def test_every_statement_has_a_confidence_between_0_and_1(analyze: Analyze) -> None:
    text = ("Obama said the economy was growing faster than expected.\n\n"
            "The president spoke in Ohio. \"We are not done yet,\" he told the crowd.\n\n"
            "\"Nobody believed we could do it, and we did it together.\"")
    doc = analyze(text)
    assert doc.statements
    assert all(s.confidence is not None and 0.0 <= s.confidence <= 1.0 for s in doc.statements)


def test_a_named_subject_is_surer_than_a_free_standing_quote_paragraphs_later(analyze: Analyze) -> None:
    text = ("Obama said the economy was growing faster than expected.\n\n"
            "The figures came out on Friday. Markets rose in Asia and in Europe.\n\n"
            "Analysts had expected a slower quarter after the storms in the south.\n\n"
            "\"Nobody believed we could do it, and we did it together, all of us.\"")
    doc = analyze(text)
    named = statement_with(doc, "the economy was growing")
    free = statement_with(doc, "Nobody believed")
    assert named.confidence is not None and free.confidence is not None
    assert named.confidence > free.confidence


def test_scorer_folds_the_scaling_into_the_weights() -> None:
    scorer = LinearScorer.from_json({"features": ["a", "b"], "coef": [2.0, -1.0], "intercept": 0.5,
                                     "mean": [1.0, 0.0], "scale": [2.0, 1.0]})
    # (1.0 * 3 - 1) / 2 * 2 ... : w_a = 1, w_b = -1, bias = 0.5 - 1 * 1
    assert scorer.score({"a": 3.0, "b": 1.0}) == 3.0 - 1.0 - 0.5


def test_calibration_is_a_monotone_step_map() -> None:
    cal = Calibration([0.0, 0.4, 0.8], [0.3, 0.6, 0.95])
    assert cal(0.1) == 0.3 and cal(0.4) == 0.6 and cal(0.79) == 0.6 and cal(0.99) == 0.95


def test_relative_features_mark_the_nearest_name_before_the_content() -> None:
    from newsgraph.source_ranking import with_relative

    far = {"mode_cue": 0.0, "propn": 1.0, "before_content": 1.0, "log_content_distance": 2.0}
    near = {"mode_cue": 0.0, "propn": 1.0, "before_content": 1.0, "log_content_distance": 0.5}
    after = {"mode_cue": 0.0, "noun": 1.0, "after_content": 1.0, "log_content_distance": 0.1}
    out = with_relative([far, near, after])
    assert "nearest_name_before_content" in out[1] and "nearest_name_before_content|cue" in out[1]
    assert "nearest_name_before_content" not in out[0] and "nearest_name_before_content" not in out[2]
    assert far == {"mode_cue": 0.0, "propn": 1.0, "before_content": 1.0, "log_content_distance": 2.0}

