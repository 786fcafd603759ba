"""Actors within one article, on sentences written for these tests."""

from __future__ import annotations

from newsgraph.records import Document


def entity(doc: Document, name: str):  # type: ignore[no-untyped-def]
    hits = [e for e in doc.entities if e.name == name]
    assert hits, f"no entity {name!r}; got {[(e.name, e.type) for e in doc.entities]}"
    return hits[0]


def test_surname_joins_the_full_name_even_when_tagged_org(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Foreign Minister Annalena Baerbock visited Warsaw on Monday. Baerbock said Germany would help.")
    baerbock = entity(doc, "Annalena Baerbock")
    assert baerbock.type == "PERSON"
    assert [m.text for m in baerbock.mentions] == ["Annalena Baerbock", "Baerbock"]
    assert "Foreign Minister" in baerbock.titles
    assert not [e for e in doc.entities if e.name == "Baerbock"]


def test_place_written_as_the_village_of_is_not_an_actor(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Residents fled the village of Irpin after the shelling. Irpin was quiet on Sunday.")
    assert entity(doc, "Irpin").type == "GPE"


def test_one_word_person_after_a_locative_preposition_is_a_place_not_an_actor(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The convoy reached the outskirts near Kherson. Police outside Kherson said the road was closed.")
    assert not [e for e in doc.entities if e.name == "Kherson" and e.type == "PERSON"]
    assert [p.text for p in doc.places].count("Kherson") == 2


def test_pronouns_and_descriptions_join_the_person(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("French President Emmanuel Macron met farmers in Lyon on Friday. He promised new subsidies. "
            "The French president later flew to Brussels.")
    doc = analyze(text)
    macron = entity(doc, "Emmanuel Macron")
    texts = [m.text for m in macron.mentions]
    assert "He" in texts
    assert "The French president" in texts
    assert "French President" in macron.titles


def test_apposition_role_is_kept(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Mykhailo Podolyak, an adviser to the president, said the talks would resume.")
    person = entity(doc, "Mykhailo Podolyak")
    assert any("adviser to the president" in t for t in person.titles)


def test_acronym_joins_the_long_name(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The World Food Programme warned of famine. A WFP spokesman said stocks were low.")
    wfp = entity(doc, "World Food Programme")
    assert "WFP" in [m.text for m in wfp.mentions]


def test_qualified_ministries_stay_apart(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Russia's Defense Ministry said the strikes hit depots. The Ukrainian Defense Ministry denied it. "
            "The Russian Defense Ministry later repeated the claim.")
    doc = analyze(text)
    ministries = [e for e in doc.entities if "Defense Ministry" in e.name]
    assert len(ministries) == 2
    russian = next(e for e in ministries if any("Russia" in m.text for m in e.mentions))
    assert len(russian.mentions) == 2


def test_she_prefers_the_woman(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "Senator Maria Cantwell questioned Mark Zuckerberg for an hour. She said the answers were evasive."
    doc = analyze(text)
    st = next(s for s in doc.statements if "evasive" in s.content.text)
    assert st.speaker is not None and st.speaker.name == "Maria Cantwell"


def test_they_after_a_bare_plural_subject_makes_a_group(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Officials met on Monday. They said the border would reopen.")
    st = next(s for s in doc.statements if "border would reopen" in s.content.text)
    assert st.speaker is not None and st.speaker.name == "Officials"


def test_coordinated_speakers_are_one_group(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Spain and Portugal said on Monday that the new power line would be finished by 2026.")
    st = next(s for s in doc.statements if "power line" in s.content.text)
    assert st.speaker is not None and st.speaker.name == "Spain and Portugal"
    group = next(e for e in doc.entities if e.id == st.speaker.id)
    assert group.type == "GROUP"



def actor_names(doc: Document) -> list[tuple[str, str]]:
    return [(e.name, e.type) for e in doc.entities]


def test_title_case_headline_gives_the_name_not_the_headline_words(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Trump Meets With Expert On Hillary Clinton's Past.\n\n"
            "Donald Trump met a historian on Tuesday. Trump said the expert knew the past well.")
    names = actor_names(analyze(text))
    assert ("Donald Trump", "PERSON") in names
    assert not [n for n, _ in names if "Meets" in n]


def test_a_headline_word_before_a_name_is_cut_off(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Derelict Obama Ignores Border Crisis.\n\n"
            "Critics said President Barack Obama ignored the border. Obama rejected the criticism.")
    barack = entity(analyze(text), "Barack Obama")
    assert "Obama" in [m.text for m in barack.mentions]
    assert not [n for n, _ in actor_names(analyze(text)) if "Derelict" in n]


def test_sentence_initial_verb_is_cut_off_a_name(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "Follow Jane Porter on Twitter.\n\nJane Porter is a reporter. She said the vote was close."
    assert [n for n, _ in actor_names(analyze(text))] == ["Jane Porter"]


def test_running_text_types_a_headline_name(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Carly Fiorina Endorses Sen. Ted Cruz.\n\n"
            "Former executive Carly Fiorina endorsed Ted Cruz on Wednesday. Cruz thanked her.")
    doc = analyze(text)
    assert entity(doc, "Carly Fiorina").type == "PERSON"
    assert entity(doc, "Ted Cruz").titles == ["Sen."]  # not "Carly Fiorina Endorses Sen."


def test_brexit_is_not_a_person(analyze) -> None:  # type: ignore[no-untyped-def]
    # the NER calls "Brexit" PERSON twice and GPE once; nothing in the article shows a person
    text = ("Hillary Clinton has waded into the Brexit debate. Rather, sources close to her campaign say she "
            "stands fully behind President Obama's opposition to Brexit. Trump has hailed Brexit as fantastic.")
    assert ("Brexit", "PERSON") not in actor_names(analyze(text))


def test_mr_makes_a_name_a_person(analyze) -> None:  # type: ignore[no-untyped-def]
    # the NER calls the first two "Trump" ORG
    text = "Trump's lawyers filed papers on Monday. Trump's company sued the city. Mr. Trump did not comment."
    types = {t for name, t in actor_names(analyze(text)) if name == "Trump"}
    assert types == {"PERSON"}


def test_a_capitalised_epithet_is_no_title(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "Trump has called her Crooked Hillary Clinton for months. Hillary Clinton did not respond."
    assert entity(analyze(text), "Hillary Clinton").titles == []


def test_titles_come_from_title_and_role_words(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "Ohio Gov. John Kasich said on Sunday that he would stay in the race. Kasich spoke in Columbus."
    kasich = entity(analyze(text), "John Kasich")
    assert kasich.type == "PERSON"
    assert kasich.titles == ["Ohio Gov."]


def test_an_honorific_keeps_a_surname_from_a_full_name_of_the_other_gender(analyze) -> None:  # type: ignore[no-untyped-def]
    # In the 85 sample articles "Mrs. Clinton" was Bill Clinton and "Mr. Obama" Michelle Obama.
    doc = analyze('"We will win," said John D. Podesta, a chief of staff to President Bill Clinton. Mrs. Clinton has '
                  "embraced the plan, Mr. Podesta said.")
    assert [m.text for m in entity(doc, "Bill Clinton").mentions] == ["Bill Clinton"]
    doc = analyze("The Clinton campaign plans to employ Mr. Obama and the first lady, Michelle Obama, as much as "
                  "possible. Mr. Obama won Ohio in 2008.")
    assert [m.text for m in entity(doc, "Michelle Obama").mentions] == ["Michelle Obama"]


def test_a_bare_surname_stays_with_the_principal_holder_not_a_relative(analyze) -> None:  # type: ignore[no-untyped-def]
    # Heidi Cruz, named last, took every later "Cruz" and with them the title "Sen."
    text = ("Sen. Ted Cruz campaigned in Iowa on Monday. Cruz said he would win the state. "
            "His wife, Heidi Cruz, spoke before him. Later, Cruz told reporters that the race was close.")
    doc = analyze(text)
    ted = entity(doc, "Ted Cruz")
    assert [m.text for m in ted.mentions if m.text == "Cruz"] == ["Cruz", "Cruz"]
    assert [m.text for m in entity(doc, "Heidi Cruz").mentions if m.text != "Heidi Cruz"] == []
    assert entity(doc, "Heidi Cruz").titles == []


def test_a_number_the_ner_ran_into_a_name_is_cut_off(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "In the poll, Patriot 13 percent, Trump 47.3 percent. Trump's 1995 return was leaked."
    names = [n for n, _ in actor_names(analyze(text))]
    assert not [n for n in names if any(c.isdigit() for c in n) or "percent" in n]
    assert "Trump" in names


def test_a_name_ends_at_a_quotation_mark_it_does_not_close(analyzer) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Span

    from newsgraph.mentions import actor_spans

    # the NER's spans of such sentences in PolNeAR: 'Robert C. "Bobby' and '” Obama's former campaign strategist'
    doc = analyzer.nlp('Rep. Robert C. "Bobby" Scott said so. “Yes,” Obama\'s former campaign strategist said.')
    words = [t.text for t in doc]
    bobby = Span(doc, words.index("Robert"), words.index("Bobby") + 1, label="PERSON")
    strategist = Span(doc, words.index("”"), words.index("strategist") + 1, label="PERSON")
    assert [s.text for s in actor_spans(bobby)] == []  # "Robert" alone would join another Robert
    assert next(s.text for s in actor_spans(strategist)).startswith("Obama")
    doc = analyzer.nlp('She hired the nuclear physicist George "Jay" Keyworth. In 2000, Keyworth joined the board.')
    assert not [s.text for e in doc.ents for s in actor_spans(e) if '"' in s.text]


def test_a_video_caption_is_a_headline_line(analyze) -> None:  # type: ignore[no-untyped-def]
    # "Obama Speech" took the article's "Mr. Obama": the caption has "YouTube", which is no Title-Case word
    text = ("President Obama spoke on Saturday. Mr. Obama has made the case in his speech at the convention.\n\n"
            "[Video: FULL SPEECH: President Obama Speech at Black Caucus Foundation in Washington DC "
            "(9/17/16) Watch on YouTube.]\n\nMr. Obama said the vote mattered.")
    names = [n for n, _ in actor_names(analyze(text))]
    assert "Obama" in names
    assert not [n for n in names if "Speech" in n]



def test_a_hyphenated_modifier_is_no_full_name_for_a_surname(analyzer) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Span

    from newsgraph.actors import cluster_mentions

    # the NER tags "pro-Clinton" PERSON in PolNeAR articles; as the first introduced it took every "Clinton"
    doc = analyzer.nlp("A pro-Clinton group ran ads. Hillary Clinton won on Monday. Later, Clinton said they helped.")
    words = [t.text for t in doc]
    pro = Span(doc, words.index("pro"), words.index("pro") + 3, label="PERSON")
    hillary = Span(doc, words.index("Hillary"), words.index("Hillary") + 2, label="PERSON")
    bare = Span(doc, len(words) - 1 - words[::-1].index("Clinton"), len(words) - words[::-1].index("Clinton"),
                label="PERSON")
    actors = cluster_mentions(doc, [pro, hillary, bare], {})
    holder = next(a for a in actors if any(m.start == bare.start for m in a.mentions))
    assert holder.name == "Hillary Clinton"


def test_a_plural_name_is_a_group_not_a_person(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "The Clintons flew to Little Rock on Friday. The Clintons said they would return in the spring."
    assert ("Clintons", "PERSON") not in actor_names(analyze(text))


def test_a_name_written_in_lower_case_is_no_actor_name() -> None:
    import spacy
    from spacy.tokens import Span

    from newsgraph.actors import starts_lower_case

    doc = spacy.blank("en")("The pro-Israel lobby and the treasury disagreed, de Blasio said.")
    words = [t.text for t in doc]
    pro, treasury, de = words.index("pro"), words.index("treasury"), words.index("de")
    assert starts_lower_case(Span(doc, pro, pro + 3)) and starts_lower_case(Span(doc, treasury, treasury + 1))
    assert not starts_lower_case(Span(doc, de, de + 2)) and not starts_lower_case(Span(doc, 0, 1))


def test_a_hyphenated_pair_of_names_is_a_mention_of_each(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Donald Trump and Hillary Clinton meet on Monday. Trump said he was ready, and Clinton said she was "
            "too. The race is a Trump-Clinton contest.")
    doc = analyze(text)
    assert not [n for n, _ in actor_names(doc) if "-" in n]
    mentions = {e.name: [m.text for m in e.mentions] for e in doc.entities}
    assert "Trump-Clinton" not in mentions["Hillary Clinton"] and mentions["Donald Trump"].count("Trump") == 2


def test_the_rest_of_a_title_is_cut_from_the_front_of_a_name(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Trump mocked former Miss Universe Alicia Machado on Friday. Machado said she was hurt. Floridians Jeb "
            "Bush and Marco Rubio are racing to bank votes.")
    names = actor_names(analyze(text))
    assert ("Alicia Machado", "PERSON") in names and ("Jeb Bush", "PERSON") in names
    assert not [n for n, _ in names if "Universe" in n or "Floridians" in n]


def test_the_names_of_a_lawsuit_are_mentions_of_each_side(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Donald Trump sued the writer. The language surfaced in a 1992 New York court case,  Trump v. Trump , in "
            "which the couple tussled over the terms. Trump said he had won.")
    doc = analyze(text)
    assert [n for n, t in actor_names(doc) if t == "PERSON"] == ["Donald Trump"]
    assert [m.text for m in entity(doc, "Donald Trump").mentions].count("Trump") == 3


def test_a_quoted_title_of_a_work_is_no_actor(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ('Comedians are performing a play called "Los Hijos de Trump," in Mexico City. Donald Trump has not '
            "seen it. Trump said he liked theater.")
    doc = analyze(text)
    assert [n for n, t in actor_names(doc) if t in {"PERSON", "ORG"}] == ["Donald Trump"]
    assert entity(doc, "Donald Trump").mentions[1].text == "Trump"


def test_a_name_ending_in_an_organisation_word_or_an_acronym_is_no_person(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Patriot Coal, one of the nation's largest coal companies, closed the mine. When Patriot filed for "
            "bankruptcy, the mine was sold. Patriot said it was not its problem anymore. The Swiss People's Party, "
            "or SVP, won the election. The Junge SVP, its youth wing, campaigned too. You can watch it on Dish "
            "Network. I covered the senator for the USA TODAY NETWORK. He said he was tired.")
    doc = analyze(text)
    assert entity(doc, "Patriot Coal").type == "ORG"
    assert [m.text for m in entity(doc, "Patriot Coal").mentions][:3] == ["Patriot Coal", "Patriot", "Patriot"]
    assert entity(doc, "Junge SVP").type == "ORG" and entity(doc, "Dish Network").type == "ORG"
    assert ("NETWORK", "PERSON") not in actor_names(doc)


def test_a_common_word_of_a_named_day_or_a_kind_of_body_is_no_actor(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Sanders won three states on Super Tuesday. Clinton said a super PAC supporting her rival had spent "
            "millions. The super PAC replaced its ads in Iowa.")
    names = actor_names(analyze(text))
    assert not [n for n, t in names if n in {"Super", "PAC"}]
    # a name stays a name: "the more Sanders has won", "a divided Senate", and an acronym written on its own
    text = ("The more Sanders has won, the more the focus has been on Clinton. A divided Senate would need a "
            "Senate majority, and a Senate that is tied. The FBI said the embattled FBI would not comment.")
    mentions = [m.text for e in analyze(text).entities for m in e.mentions]
    assert "Sanders" in mentions and "Senate" in mentions and mentions.count("FBI") == 2


def test_a_short_organisation_name_is_the_article_s_longer_one(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("Kasich said the Islamic State group must be destroyed. He said the State Department was slow, and "
            "Clinton left State in 2013. Peter Cook told The New York Times that Carter had stopped. The Times "
            "said Cook provided the email.")
    doc = analyze(text)
    assert "Islamic State" in [n for n, _ in actor_names(doc)]
    assert [m.text for m in entity(doc, "State Department").mentions] == ["State Department", "State"]
    assert "Times" in [m.text for m in entity(doc, "New York Times").mentions]


def test_a_place_named_in_an_organisation_s_name_stays_a_place(analyze) -> None:  # type: ignore[no-untyped-def]
    text = ("The Iowa Democratic Party counted the votes on Monday. Clinton won Iowa by a few votes, and Sanders "
            "said Iowa had been close.")
    assert ("Iowa", "ORG") not in actor_names(analyze(text))


def test_relative_pronoun_speaker_is_named_by_its_antecedent(analyze) -> None:  # type: ignore[no-untyped-def]
    # the speaker span stays the local mention ("which"); its name is the phrase it stands for
    doc = analyze("The council published a long study which notes that most of the city's bridges need urgent repair.")
    st = next(s for s in doc.statements if "bridges need urgent repair" in s.content.text)
    assert st.speaker is not None and st.speaker.text == "which"
    assert st.speaker.name == "a long study"


def test_relative_pronoun_after_a_quantity_noun_names_the_whole_phrase(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The governor signed a raft of new rules that promise to cut the state's emissions by half.")
    st = next(s for s in doc.statements if "emissions by half" in s.content.text)
    assert st.speaker is not None and (st.speaker.text, st.speaker.name) == ("that", "a raft of new rules")
