"""The tagger's extra feature columns, on sentences written for these tests."""

from __future__ import annotations

import spacy

from newsgraph.attribution_features import EXTRA_COLUMNS, extra_features

QUOTE, PARA_START, PARA_END = (EXTRA_COLUMNS.index(c) for c in ("quote", "para_start", "para_end"))


def columns(text: str, forms: dict[str, list[int]] | None = None) -> dict[str, list[int]]:
    doc = spacy.blank("en")(text)
    return {t.text: row for t, row in zip(doc, extra_features(doc, forms or {}).tolist(), strict=True)}


def test_quote_states_of_speech_and_of_a_short_quotation() -> None:
    rows = columns('He said "we will go now." It was a "plan".')
    assert rows["He"][QUOTE] == 0
    assert rows["we"][QUOTE] == 3  # inside a quotation of four words: speech
    assert rows["plan"][QUOTE] == 4  # inside a one-word quotation
    doc = spacy.blank("en")('"Yes" he said')
    assert extra_features(doc, {})[0, QUOTE] == 1  # the opening mark


def test_paragraph_positions() -> None:
    rows = columns("He left.\n\nShe stayed home.")
    # the second paragraph's first word: position bucket 1 from its start, paragraph rank 1
    assert rows["She"][PARA_START] == 1 + 1 + 8
    assert rows["home"][PARA_END] == 1 + 2  # one word before the paragraph's last token
    assert rows["\n\n"][PARA_START] == rows["\n\n"][PARA_END] == 0  # a space token has no position


def test_form_table_and_an_empty_doc() -> None:
    assert columns("They said it.", {"said": [1, 3]})["said"][:2] == [1, 3]
    assert extra_features(spacy.blank("en")(""), {}).shape == (0, len(EXTRA_COLUMNS))
