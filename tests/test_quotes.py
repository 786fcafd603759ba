"""Every statement form, on sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsgraph.records import Document, Statement

Analyze = Callable[..., Document]


def statement_with(doc: Document, fragment: str) -> Statement:
    hits = [s for s in doc.statements if fragment in s.content.text]
    assert hits, f"no statement contains {fragment!r}; got {[s.content.text for s in doc.statements]}"
    return hits[0]


def test_direct_quote_with_postposed_cue(analyze: Analyze) -> None:
    doc = analyze('"We will not back down on the new bus lanes," Mayor Karen Bass said on Monday.')
    st = statement_with(doc, "We will not back down")
    assert st.kind == "direct"
    assert st.speaker is not None and st.speaker.name == "Karen Bass"
    assert st.cue is not None and st.cue.text == "said"


def test_curly_quote_with_inverted_cue(analyze: Analyze) -> None:
    doc = analyze("“The bridge will reopen next week after the repairs,” said Maria Lopez, the city engineer.")
    st = statement_with(doc, "The bridge will reopen")
    assert st.kind == "direct"
    assert st.speaker is not None and st.speaker.name == "Maria Lopez"


def test_quote_over_several_sentences_is_one_statement(analyze: Analyze) -> None:
    text = ('"The storm was worse than anyone expected. We lost power for two days. Nobody came to help," '
            "farmer John Miller said.")
    doc = analyze(text)
    st = statement_with(doc, "The storm was worse")
    assert "We lost power" in st.content.text and "Nobody came to help" in st.content.text
    assert st.speaker is not None and st.speaker.name == "John Miller"


def test_quote_split_around_its_cue(analyze: Analyze) -> None:
    text = 'Helen Park spoke after the count. "We are ready for this fight," she said, "and we intend to win it."'
    doc = analyze(text)
    st = statement_with(doc, "We are ready")
    assert "we intend to win it" in st.content.text
    assert st.speaker is not None and st.speaker.name == "Helen Park"
    assert len([s for s in doc.statements if "intend to win" in s.content.text]) == 1


def test_indirect_that_clause(analyze: Analyze) -> None:
    doc = analyze("Finance Minister Robert Chen said that the budget would be cut by a tenth next year.")
    st = statement_with(doc, "the budget would be cut")
    assert st.kind == "indirect"
    assert not st.content.text.startswith("that")
    assert st.speaker is not None and st.speaker.name == "Robert Chen"


def test_told_names_the_addressee(analyze: Analyze) -> None:
    doc = analyze("Senator Alan Brooks told reporters that the trade deal was dead.")
    st = statement_with(doc, "the trade deal was dead")
    assert st.addressee is not None and st.addressee.text == "reporters"
    assert st.cue is not None and st.cue.text == "told"


def test_urged_to_is_a_statement_with_addressee(analyze: Analyze) -> None:
    doc = analyze("Governor Lisa Grant urged coastal residents to leave their homes before the hurricane.")
    st = statement_with(doc, "to leave their homes")
    assert st.addressee is not None and "residents" in st.addressee.text
    assert st.cue_class == "directive"


def test_postposed_indirect_speech(analyze: Analyze) -> None:
    doc = analyze("The steel plant will close in June and 400 workers will lose their jobs, the company said.")
    st = statement_with(doc, "The steel plant will close")
    assert st.speaker is not None and st.speaker.text == "the company"
    assert "the company said" not in st.content.text


def test_mixed_quote(analyze: Analyze) -> None:
    doc = analyze('Senator Amy Ford said the farm bill was "a disaster for small growers" and would fail.')
    st = statement_with(doc, "the farm bill")
    assert st.kind == "mixed"


@pytest.mark.parametrize("cue", ["adding that", "claiming that", "warning that", "saying"])
def test_participial_cues(analyze: Analyze, cue: str) -> None:
    doc = analyze(f"Mayor Tom Reed defended the new parking rules on Tuesday, {cue} taxes would not rise this year.")
    st = statement_with(doc, "taxes would not rise")
    assert st.speaker is not None and st.speaker.name == "Tom Reed"


def test_according_to(analyze: Analyze) -> None:
    doc = analyze("According to the regional police, three men were arrested near the border overnight.")
    st = statement_with(doc, "three men were arrested")
    assert st.speaker is not None and "police" in st.speaker.text
    assert st.cue is not None and st.cue.text == "According to"


def test_reportative_outlet(analyze: Analyze) -> None:
    doc = analyze("The Financial Times reported that the merger talks had collapsed over the weekend.")
    st = statement_with(doc, "the merger talks had collapsed")
    assert st.speaker is not None and "Financial Times" in st.speaker.name


def test_nested_attribution_keeps_the_inner_source(analyze: Analyze) -> None:
    text = ("The Interior Ministry said on Friday that 20 militants had been killed in the raid, "
            "the state news agency Tass reported.")
    doc = analyze(text)
    st = statement_with(doc, "20 militants had been killed")
    assert st.speaker is not None and "Interior Ministry" in st.speaker.text
    assert st.via is not None and "Tass" in st.via.text


def test_pronoun_speaker_resolves_to_the_person(analyze: Analyze) -> None:
    text = ("Prime Minister Angela Moreno arrived in Lisbon on Monday for the summit. "
            "She said the talks with the unions had gone well.")
    doc = analyze(text)
    st = statement_with(doc, "the talks with the unions")
    assert st.speaker is not None and st.speaker.text == "She" and st.speaker.name == "Angela Moreno"


def test_object_pronoun_is_not_the_subject(analyze: Analyze) -> None:
    text = ("Carlos Ruiz met the economy minister Paul Dorn on Monday and told him he was worried "
            "about the rising prices.")
    doc = analyze(text)
    st = statement_with(doc, "he was worried")
    assert st.speaker is not None and st.speaker.name == "Carlos Ruiz"
    assert st.addressee is not None and st.addressee.name == "Paul Dorn"


def test_it_speaker_resolves_to_the_organisation(analyze: Analyze) -> None:
    text = ("The World Health Organization published new figures on Friday. "
            "It said that infections were falling in most regions.")
    doc = analyze(text)
    st = statement_with(doc, "infections were falling")
    assert st.speaker is not None and st.speaker.name == "World Health Organization"


def test_they_speaker_resolves_to_a_coordinated_pair(analyze: Analyze) -> None:
    text = ("Spain and Portugal said the new power line would be finished by 2026. "
            "They said that costs had doubled.")
    doc = analyze(text)
    st = statement_with(doc, "costs had doubled")
    assert st.speaker is not None and "Spain" in st.speaker.name and "Portugal" in st.speaker.name


def test_channel_is_recorded(analyze: Analyze) -> None:
    doc = analyze("The airline said in a statement that all flights would resume on Thursday.")
    st = statement_with(doc, "all flights would resume")
    assert st.channel is not None and "statement" in st.channel.text


def test_cue_inside_direct_speech_is_not_a_new_statement(analyze: Analyze) -> None:
    text = '"I told them I would never sign that contract," coach Dana White said.'
    doc = analyze(text)
    assert all(s.speaker is None or s.speaker.name == "Dana White" for s in doc.statements)


def test_transcript_lines(analyze: Analyze) -> None:
    text = ("HOST: Will you run again next year for the seat?\n"
            "SMITH: I have not decided yet, and I will tell you when I do.")
    doc = analyze(text)
    st = statement_with(doc, "I have not decided yet")
    assert st.speaker is not None and st.speaker.text == "SMITH"
    assert st.kind == "direct"


def test_stance_cue_class(analyze: Analyze) -> None:
    doc = analyze("The defendant's lawyer claimed that the evidence had been planted by the police.")
    st = statement_with(doc, "the evidence had been planted")
    assert st.cue_class == "stance"


def test_offsets_point_into_the_text(analyze: Analyze) -> None:
    text = '“Prices will rise,” said Jo\u00a0Kim.\r\nThe bank said rates would stay high.'
    doc = analyze(text)
    assert doc.text == text
    for st in doc.statements:
        assert text[st.content.start : st.content.end] == st.content.text
        if st.speaker is not None:
            assert text[st.speaker.start : st.speaker.end] == st.speaker.text


def test_short_complete_utterance_is_speech_but_scare_quotes_are_not(analyze: Analyze) -> None:
    doc = analyze('Hundreds of marchers chanted "Whose streets?" on Friday. The mayor called the march "unlawful."')
    assert any(s.content.text.startswith("Whose streets") for s in doc.statements)
    assert not any(s.content.text == "unlawful." for s in doc.statements if s.kind == "direct")


def test_trailing_attribution_after_question(analyze: Analyze) -> None:
    doc = analyze('The hearing grew tense. "Why did nobody resign over this?" Senator Jon Ortiz asked.')
    st = statement_with(doc, "Why did nobody resign")
    assert st.speaker is not None and st.speaker.name == "Jon Ortiz"


def test_paragraph_breaks_end_sentences(analyze: Analyze) -> None:
    doc = analyze("3:15 p.m.\n\nGovernor Ann Lee says the state will appeal the ruling.")
    st = statement_with(doc, "the state will appeal")
    assert st.speaker is not None and st.speaker.name == "Ann Lee"


def test_statement_carries_the_date_it_was_said(analyze: Analyze) -> None:
    text = ("Health Minister Omar Haddad told lawmakers on Tuesday that the vaccine would arrive in March. "
            "He said the deliveries were delayed.")
    doc = analyze(text, published="2023-01-12")
    st = statement_with(doc, "the vaccine would arrive")
    assert st.date is not None and st.date.value == "2023-01-10"
    assert statement_with(doc, "the deliveries were delayed").date is None


def test_a_name_after_told_is_never_the_cue(analyze: Analyze) -> None:
    doc = analyze("Russian President Vladimir Putin told visiting UN Secretary-General Antonio Guterres that he "
                  "still hopes for negotiations to end the conflict in Ukraine.")
    st = next(s for s in doc.statements if s.content.text.startswith("that he still hopes"))
    assert st.cue is not None and st.cue.text == "told"


def test_quotation_over_two_paragraphs_is_one_statement(analyze: Analyze) -> None:
    # The second paragraph reopens the quotation that the first leaves open: one speaker, one statement.
    text = ('Mayor Karen Bass told reporters: "We will rebuild every bridge the river took from us.\n\n'
            '"And we will do it together, town by town, before the winter comes."')
    doc = analyze(text)
    st = statement_with(doc, "We will rebuild every bridge")
    assert "before the winter comes" in st.content.text
    assert len([s for s in doc.statements if "town by town" in s.content.text]) == 1


def test_apostrophe_pair_quotation_with_postposed_cue(analyze: Analyze) -> None:
    doc = analyze("''We will not back down on the new bus lanes,'' Mayor Karen Bass said on Monday.")
    st = statement_with(doc, "We will not back down")
    assert st.kind == "direct"
    assert st.content.text.startswith("We will not") and "'" not in st.content.text
    assert st.speaker is not None and st.speaker.name == "Karen Bass"


def test_quoted_fragment_inside_another_content_is_part_of_it() -> None:
    from newsgraph.quotemarks import find_quotes
    from newsgraph.quotes import Attribution, absorb_inner_quotes

    text = 'Officials in Tehran keep referring to the US as the "Great Satan." Nobody was surprised.'
    q = find_quotes(text)[0]
    fragment = Attribution(content_start=q.start, content_end=q.end, kind="direct", origin="quote", quotes=[q])
    content_start = text.index("the US")
    outer = Attribution(content_start=content_start, content_end=q.close, origin="tagger")
    other = Attribution(content_start=text.index("Nobody"), content_end=len(text) - 1, origin="rule")
    kept = absorb_inner_quotes([outer, fragment, other])
    assert kept == [outer, other]
    assert outer.quotes == [q]


def test_short_quotation_before_its_cue_is_speech_and_joins_the_next(analyze: Analyze) -> None:
    text = ("Mayor Karen Bass read the letters from the island.\n\n"
            "“I’m in disbelief,” she said. “They really make you proud of living here.”")
    doc = analyze(text)
    st = statement_with(doc, "in disbelief")
    assert "proud of living here" in st.content.text
    assert st.speaker is not None and st.speaker.name == "Karen Bass"


def test_one_cue_verb_one_statement_whose_content_never_holds_the_addressee(analyze: Analyze) -> None:
    doc = analyze("Russian President Vladimir Putin told German Chancellor Olaf Scholz on Tuesday that Ukraine "
                  "must accept the terms.")
    assert [s.content.text for s in doc.statements] == ["Ukraine must accept the terms"]


def test_that_clause_hung_as_adverbial_clause_is_the_content() -> None:
    """The small parser hangs "that ..." off a cue as an adverbial clause when a phrase comes between them
    ("tweeted in the early morning hours that ..."): the parse is given here as that parser gives it."""
    import spacy
    from spacy.tokens import Doc

    from newsgraph.quotes import content_of

    vocab = spacy.blank("en").vocab  # (English lexical attributes: "that".lower_)

    words = ["Lopez", "tweeted", "in", "the", "early", "hours", "that", "Brown", "was", "weak", "."]
    heads = [1, 1, 1, 5, 5, 2, 8, 8, 1, 8, 1]
    deps = ["nsubj", "ROOT", "prep", "det", "amod", "pobj", "advmod", "nsubj", "advcl", "acomp", "punct"]
    doc = Doc(vocab, words=words, heads=heads, deps=deps)
    assert content_of(doc[1], "neutral") == (7, 10)  # "Brown was weak", without "that"
    # "now that" opens an adverbial clause: no content
    words[6:6] = ["now"]
    doc = Doc(vocab, words=words, heads=[1, 1, 1, 5, 5, 2, 9, 9, 9, 1, 9, 1],
              deps=["nsubj", "ROOT", "prep", "det", "amod", "pobj", "advmod", "advmod", "nsubj", "advcl", "acomp",
                    "punct"])
    assert content_of(doc[1], "neutral") is None


def test_a_to_infinitive_reports_only_for_verbs_that_take_one_or_an_addressee() -> None:
    import spacy
    from spacy.tokens import Doc

    from newsgraph.quotes import content_of

    vocab = spacy.blank("en").vocab
    # "Russia continued to attack the plant .": what Russia went on doing, not what it said
    doc = Doc(vocab, words=["Russia", "continued", "to", "attack", "the", "plant", "."],
              heads=[1, 1, 3, 1, 5, 3, 1], deps=["nsubj", "ROOT", "aux", "xcomp", "det", "dobj", "punct"])
    assert content_of(doc[1], "neutral", frozenset({"that", "quote", "postposed"})) is None
    # "Kyiv vowed to fight on .": a verb the lexicon gives a to-infinitive frame reports it
    doc = Doc(vocab, words=["Kyiv", "vowed", "to", "fight", "on", "."],
              heads=[1, 1, 3, 1, 3, 1], deps=["nsubj", "ROOT", "aux", "xcomp", "prt", "punct"])
    assert content_of(doc[1], "commissive", frozenset({"to_inf", "that"})) == (2, 5)
    # "Police told residents to leave .": with an addressee the to-infinitive is what they were told
    doc = Doc(vocab, words=["Police", "told", "residents", "to", "leave", "."],
              heads=[1, 1, 1, 4, 1, 1], deps=["nsubj", "ROOT", "dobj", "aux", "xcomp", "punct"])
    assert content_of(doc[1], "neutral", frozenset({"that", "obj"})) == (3, 5)


def test_whom_one_talked_with_is_not_what_was_said() -> None:
    import spacy
    from spacy.tokens import Doc

    from newsgraph.quotes import names_interlocutor

    vocab = spacy.blank("en").vocab
    words = ["Guterres", "talked", "with", "Sergei", "Lavrov", "and", "told", "him", "."]
    doc = Doc(vocab, words=words, heads=[1, 1, 1, 4, 2, 1, 1, 6, 1],
              deps=["nsubj", "ROOT", "prep", "compound", "pobj", "cc", "conj", "dobj", "punct"],
              pos=["PROPN", "VERB", "ADP", "PROPN", "PROPN", "CCONJ", "VERB", "PRON", "PUNCT"],
              lemmas=["Guterres", "talk", "with", "Sergei", "Lavrov", "and", "tell", "he", "."])
    assert names_interlocutor(doc[1:3], doc[3:6])
    # whom one sides with is the position taken
    words = ["Austin", "sided", "with", "the", "Democrats", "."]
    doc = Doc(vocab, words=words, heads=[1, 1, 1, 4, 2, 1], deps=["nsubj", "ROOT", "prep", "det", "pobj", "punct"],
              pos=["PROPN", "VERB", "ADP", "DET", "PROPN", "PUNCT"],
              lemmas=["Austin", "side", "with", "the", "Democrats", "."])
    assert not names_interlocutor(doc[1:3], doc[3:5])
    # and a named direct object is a stance verb's content ("endorsed Clinton")
    doc = Doc(vocab, words=["Sanders", "endorsed", "Clinton", "."], heads=[1, 1, 1, 1],
              deps=["nsubj", "ROOT", "dobj", "punct"], pos=["PROPN", "VERB", "PROPN", "PUNCT"],
              lemmas=["Sanders", "endorse", "Clinton", "."])
    assert not names_interlocutor(doc[1:2], doc[2:3])


def test_growing_contents_finds_the_most_overlapping_statement_as_max_does() -> None:
    from newsgraph.quotes import Attribution, GrowingContents

    found = [Attribution(0, 10), Attribution(5, 30), Attribution(40, 50)]
    contents = GrowingContents(found)
    assert contents.most_overlapping(8, 20) is found[1]
    assert contents.most_overlapping(30, 40) is None
    found[2].content_start = 12  # grown: now overlaps 8-20 as much as found[1] does, but comes later
    contents.changed(found[2])
    assert contents.most_overlapping(12, 20) is found[1]
    found.append(Attribution(60, 70))  # added after the index was built
    assert contents.most_overlapping(61, 69) is found[3]
