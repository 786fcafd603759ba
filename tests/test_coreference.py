"""Pronouns and descriptions resolved to the article's actors (newsgraph.coreference), on written sentences."""

from __future__ import annotations

from newsgraph.coreference import country_of_word, description_countries
from newsgraph.records import Document, Statement


def statement(doc: Document, words: str) -> Statement:
    hits = [s for s in doc.statements if words in doc.text[s.content.start : s.content.end]]
    assert hits, f"no statement with {words!r}; got {[s.content.text for s in doc.statements]}"
    return hits[0]


def speaker_name(doc: Document, words: str) -> str | None:
    st = statement(doc, words)
    return st.speaker.name if st.speaker is not None else None


def test_the_president_of_a_country_is_named_right_after_not_the_president_named_before(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("The United States has sent aid since President Joe Biden took office last year. "
            "Separately, the president of Moldova said the attacks were an attempt to raise tensions. "
            "President Maia Sandu blamed pro-war factions in the region.")
    doc = analyze(text)
    st = statement(doc, "raise tensions")
    assert st.speaker is not None
    assert st.speaker.text == "the president of Moldova"  # the local mention is the speaker span
    assert st.speaker.name == "Maia Sandu"


def test_the_president_of_a_country_is_that_countrys_president_even_when_another_is_nearer(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Moldovan President Maia Sandu met European leaders in Brussels on Monday. "
            "U.S. President Joe Biden announced new sanctions on Tuesday. "
            "The president of Moldova said the talks had gone well.")
    assert speaker_name(analyze(text), "talks had gone well") == "Maia Sandu"


def test_the_nationality_adjective_ties_a_description_to_its_country(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("French President Emmanuel Macron met U.S. President Joe Biden in Rome. "
            "The French president said Europe needed its own defence.")
    assert speaker_name(analyze(text), "Europe needed") == "Emmanuel Macron"


def test_she_skips_the_nearer_man(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Chancellor Angela Merkel met President Emmanuel Macron in Paris on Friday. "
            "Macron spoke first. She said the talks were useful.")
    assert speaker_name(analyze(text), "talks were useful") == "Angela Merkel"


def test_they_takes_the_group_not_the_nearer_person(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "Local officials met Mayor John Smith on Monday. Smith left early. They said the bridge would reopen."
    assert speaker_name(analyze(text), "bridge would reopen") == "Local officials"


def test_a_name_inside_the_quotation_is_not_the_speaker_he_stands_for(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ('"We will not give up," Senator John Smith said on Monday. '
            '"Jones has no plan for the state," he added.')
    assert speaker_name(analyze(text), "no plan for the state") == "John Smith"


def test_a_free_standing_quote_paragraph_keeps_the_speaker(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ('Senator John Smith spoke to reporters on Monday. "We will not give up," he said.\n\n'
            '"The voters are with us and they know it."')
    doc = analyze(text)
    assert speaker_name(doc, "We will not give up") == "John Smith"
    assert speaker_name(doc, "voters are with us") == "John Smith"


def test_country_words() -> None:
    assert country_of_word("Moldova") == "Moldova"
    assert country_of_word("Moldovan") == "Moldova"
    assert country_of_word("Moldova's") == "Moldova"
    assert country_of_word("president") is None


def test_description_countries(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp("The president of Moldova spoke. The Russian president replied.")
    first = next(t for t in doc if t.lower_ == "president")
    second = next(t for t in doc if t.lower_ == "president" and t.i > first.i)
    assert description_countries(doc[first.left_edge.i : first.i + 1]) == {"Moldova"}
    assert description_countries(doc[second.left_edge.i : second.i + 1]) == {"Russia"}


def test_an_apposition_ties_the_person_to_the_country(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Maia Sandu, Moldova's president, met U.S. President Joe Biden in Warsaw. "
            "Biden promised more aid. The president of Moldova said the offer was welcome.")
    assert speaker_name(analyze(text), "offer was welcome") == "Maia Sandu"


def test_a_possessive_country_description_is_that_countrys_president(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Moldovan President Maia Sandu met U.S. President Joe Biden in Warsaw. "
            "Biden promised more aid. Moldova's president said the offer was welcome.")
    doc = analyze(text)
    st = statement(doc, "offer was welcome")
    assert st.speaker is not None and st.speaker.text == "Moldova's president"
    assert st.speaker.name == "Maia Sandu"


def test_an_abbreviated_title_and_a_state_tie_the_description(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("New Jersey Gov. Chris Christie spoke in Nashua. Former Florida Gov. Jeb Bush spoke in Concord. "
            "The New Jersey governor said the campaign would go on.")
    assert speaker_name(analyze(text), "campaign would go on") == "Chris Christie"


def test_a_name_in_apposition_to_the_title_is_the_speaker(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "The LinkedIn chief executive, Jeff Weiner, said the deal was good for both companies."
    assert speaker_name(analyze(text), "deal was good") == "Jeff Weiner"


def test_a_senator_named_long_before_is_not_the_senator_from_another_state(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Sen. Bernie Sanders held a rally in Manchester on Monday. Voters there were enthusiastic. "
            "The weather was cold. Turnout was expected to be high. "
            "The senator from Florida said the race was far from over.")
    assert speaker_name(analyze(text), "race was far from over") != "Bernie Sanders"


def test_gpe_names_are_the_whole_place_entities_inside_the_range() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from newsgraph.coreference import gpe_names

    words = ["the", "New", "Jersey", "governor", "met", "New", "York", "officials"]
    doc = Doc(Vocab(), words=words, ents=["O", "B-GPE", "I-GPE", "O", "O", "B-GPE", "I-GPE", "O"])
    assert gpe_names(doc, 0, 3) == ["New Jersey"]
    assert gpe_names(doc, 0, 2) == []  # 'New Jersey' does not end inside
    assert gpe_names(doc, 0, 8) == ["New Jersey", "New York"]


def test_a_word_is_quoted_inside_any_quotation_also_one_that_starts_before_a_shorter_one() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from newsgraph.coreference import is_quoted
    from newsgraph.docinfo import cache_of

    doc = Doc(Vocab(), words=["a", "b", "c", "d", "e", "f"])  # characters 0, 2, 4, 6, 8, 10
    cache_of(doc)["newsgraph_quoted_chars"] = [(1, 10), (3, 5)]  # the first runs past the second
    assert [is_quoted(t) for t in doc] == [False, True, True, True, True, False]
