"""Places: finding the places an article names, resolving them, and telling places from actors.

Sentences written for these tests.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.places import Gazetteer, gazetteer, name_key, skeleton
from newsgraph.records import Document, Place

PUBLISHED = "2023-03-15"


def places(doc: Document) -> dict[str, Place]:
    return {p.text: p for p in doc.places}


def metonyms(nlp: Language, text: str) -> dict[str, str]:
    return {span.text: actor for span, actor in nlp(text)._.metonyms}


def with_labels(nlp: Language, text: str, labels: dict[str, str]) -> Doc:
    """Run the pipeline, force the NER labels of some names (as the small model may give them), and
    run the places component again on that doc."""
    doc = nlp(text)
    ents = [e for e in doc.ents if e.text not in labels]
    for name, label in labels.items():
        start = doc.text.index(name)
        span = doc.char_span(start, start + len(name), label=label)
        assert span is not None
        ents = [e for e in ents if e.end <= span.start or e.start >= span.end] + [span]
    doc.ents = sorted(ents, key=lambda e: e.start)
    return nlp.get_pipe("newsgraph_places")(doc)


# --- context decides between places of one name ---------------------------------------------------


def test_georgia_is_the_country_next_to_tbilisi_and_russia(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Protesters marched through Tbilisi as Georgia braced for new tariffs from Russia. "
                  "Farmers in Georgia said exports had halved.", PUBLISHED)
    georgia = [p for p in doc.places if p.text == "Georgia"]
    assert georgia and all(p.country == "GE" and p.feature == "country" for p in georgia)


def test_georgia_is_the_us_state_next_to_atlanta_and_alabama(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The storm moved from Alabama into Georgia overnight, and flights out of Atlanta "
                  "were cancelled. Schools in Georgia stayed closed.", PUBLISHED)
    georgia = [p for p in doc.places if p.text == "Georgia"]
    assert georgia and all(p.country == "US" and p.feature == "admin1" for p in georgia)


def test_paris_is_in_france_among_french_places(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The train left Lyon at dawn and reached Paris before noon, France's rail operator said.",
                  PUBLISHED)
    paris = places(doc)["Paris"]
    assert paris.country == "FR"
    assert abs(paris.lat - 48.85) < 0.2 and abs(paris.lon - 2.35) < 0.2


def test_paris_is_in_texas_among_texan_places(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The tornado touched down near Dallas and then hit Paris, a town in northeast Texas, "
                  "where the county opened shelters.", PUBLISHED)
    paris = places(doc)["Paris"]
    assert paris.country == "US"
    assert abs(paris.lat - 33.66) < 0.3 and abs(paris.lon + 95.55) < 0.3


def test_a_qualifier_after_a_comma_picks_the_place(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The festival returns to Paris, Texas, in May.", PUBLISHED)
    found = places(doc)
    assert found["Paris"].country == "US" and found["Paris"].admin1 == "Texas"
    assert found["Texas"].feature == "admin1" and found["Texas"].admin1 is None  # (no unit lies in itself)


def test_homonyms_in_one_country_lie_in_their_own_states(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The city of Springfield, Illinois, lies in Sangamon County. The city of Springfield, Missouri, "
                  "lies in Greene County.", PUBLISHED)
    springfields = [(p.admin1, p.geonames_id) for p in doc.places if p.name == "Springfield"]
    assert springfields == [("Illinois", 4250542), ("Missouri", 4409896)]
    assert [p.admin1 for p in doc.places if p.feature == "region"] == ["Illinois", "Missouri"]


def test_bucha_in_an_article_about_ukraine_is_the_ukrainian_town(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Investigators returned to Bucha, a town outside Kyiv, as Ukraine counted the dead.",
                  PUBLISHED)
    assert places(doc)["Bucha"].country == "UA"


# --- forms that name places ----------------------------------------------------------------------


def test_a_place_the_ner_mislabels_is_still_a_place(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = with_labels(analyzer.nlp, "Civilians were evacuated from Mariupol on Sunday, officials in Ukraine said.",
                      {"Mariupol": "ORG"})
    found = {p.text: p for p in doc._.places}
    assert found["Mariupol"].country == "UA" and found["Mariupol"].feature == "city"


def test_a_place_tagged_as_a_person_after_a_preposition(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = with_labels(analyzer.nlp, "Shelling continued outside Kharkiv through the night.", {"Kharkiv": "PERSON"})
    assert [p.name for p in doc._.places] == ["Kharkiv"]


def test_x_region_is_an_admin_unit(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Fighting went on in the Luhansk region, the governor said.", PUBLISHED)
    region = places(doc)["Luhansk region"]
    assert region.feature == "admin1" and region.country == "UA"


def test_coordinated_regions_are_each_an_admin_unit(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Troops advanced in parts of the Kherson, Mykolaiv and Kharkiv regions.", PUBLISHED)
    found = places(doc)
    assert {"Kherson", "Mykolaiv", "Kharkiv"} <= set(found)
    assert all(found[n].feature == "admin1" for n in ("Kherson", "Mykolaiv", "Kharkiv"))


def test_the_city_of_x(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Residents fled the town of Kreminna as the shelling grew heavier.", PUBLISHED)
    kreminna = places(doc)["Kreminna"]
    assert kreminna.country == "UA" and kreminna.feature == "city"


def test_a_place_of_a_place(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Aid convoys tried again to reach Ukraine's Mariupol on Tuesday.", PUBLISHED)
    found = places(doc)
    assert found["Mariupol"].country == "UA"
    assert found["Ukraine"].feature == "country"


def test_southern_ukraine_is_ukraine(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Missiles struck ports in southern Ukraine overnight.", PUBLISHED)
    assert "Ukraine" in places(doc) and "southern Ukraine" not in places(doc)


def test_place_adjectives_that_locate_a_border(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Thousands of refugees gathered at the Syrian-Turkish border.", PUBLISHED)
    found = places(doc)
    assert found["Syrian"].name == "Syria" and found["Turkish"].name == "Turkey"


def test_a_nationality_adjective_on_people_is_no_place(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Syrian officials met Turkish diplomats on Monday.", PUBLISHED)
    assert not doc.places


def test_a_dateline_and_its_qualifier(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("ALBUQUERQUE, N.M. (AP) - Crews contained a wildfire on Monday.", PUBLISHED)
    found = places(doc)
    assert found["ALBUQUERQUE"].country == "US"
    assert found["N.M."].name == "New Mexico"


def test_seas_landmarks_and_breakaway_regions(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The talks at the Kremlin ended as ships left the Sea of Azov and shells fell in the "
                  "breakaway region of Transdniester.", PUBLISHED)
    found = places(doc)
    assert found["Kremlin"].feature == "landmark" and found["Kremlin"].country == "RU"
    assert found["Sea of Azov"].feature == "water" and found["Sea of Azov"].admin1 is None
    assert found["Transdniester"].name == "Transnistria"


def test_a_facility_takes_the_point_of_the_place_that_locates_it(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The patients were moved to the Riverside Memorial Hospital in Leeds on Friday.", PUBLISHED)
    hospital = places(doc)["Riverside Memorial Hospital"]
    leeds = places(doc)["Leeds"]
    assert hospital.feature == "facility" and (hospital.lat, hospital.lon) == (leeds.lat, leeds.lon)
    assert hospital.admin1 == leeds.admin1 == "England"


# --- spelling variants and transliterations -------------------------------------------------------


def test_transliteration_variants_meet() -> None:
    assert skeleton(name_key("Mykolayiv")) == skeleton(name_key("Mykolaiv"))
    assert skeleton(name_key("Slovyansk")) == skeleton(name_key("Sloviansk"))
    assert skeleton(name_key("Zaporizhzhya")) == skeleton(name_key("Zaporizhia"))
    assert skeleton(name_key("Izyum")) == skeleton(name_key("Izium"))
    assert name_key("Béziers") == name_key("Beziers") == "beziers"
    assert name_key("the U.S.") == "us"


def test_variant_spellings_resolve_to_one_place(analyze) -> None:  # type: ignore[no-untyped-def]
    old = analyze("He grew up in Kiev and later moved to Izyum.", PUBLISHED)
    new = analyze("He grew up in Kyiv and later moved to Izium.", PUBLISHED)
    assert [p.geonames_id for p in old.places] == [p.geonames_id for p in new.places]
    assert all(p.country == "UA" for p in old.places) and len(old.places) == 2


def test_a_transliteration_missing_from_the_gazetteer_is_matched_loosely(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Refugees arrived in Sloviansk by train.", PUBLISHED)
    assert places(doc)["Sloviansk"].country == "UA"


# --- place names used as actors (metonymy) --------------------------------------------------------


def test_a_capital_that_speaks_is_an_actor_not_a_place(analyze, analyzer) -> None:  # type: ignore[no-untyped-def]
    text = "Beijing said on Monday that it would respond to the new tariffs."
    assert not analyze(text, PUBLISHED).places
    assert metonyms(analyzer.nlp, text) == {"Beijing": "Government of China"}


def test_washington_wants_is_an_actor(analyze, analyzer) -> None:  # type: ignore[no-untyped-def]
    text = "Washington wants the talks to resume, while Russia's ambassador in Washington disagreed."
    found = analyze(text, PUBLISHED).places
    assert [(p.text, p.start) for p in found] == [("Washington", text.rindex("Washington"))]
    assert metonyms(analyzer.nlp, text)["Washington"] == "Government of the United States"


def test_a_country_that_says_is_an_actor(analyzer) -> None:  # type: ignore[no-untyped-def]
    assert metonyms(analyzer.nlp, "Turkey says the pipeline deal is off.") == {"Turkey": "Government of Turkey"}


def test_backed_by_a_capital_is_an_actor_but_based_in_one_is_a_place(analyze, analyzer) -> None:  # type: ignore[no-untyped-def]
    text = "A Moscow-backed militia attacked a London-based charity's convoy."
    assert [p.text for p in analyze(text, PUBLISHED).places] == ["London"]
    assert metonyms(analyzer.nlp, text) == {"Moscow": "Government of Russia"}


def test_a_country_as_the_object_of_an_appeal_is_an_actor(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The envoy urged Russia to open a corridor from Mariupol.", PUBLISHED)
    assert [p.text for p in doc.places] == ["Mariupol"]


def test_modifiers_that_do_not_locate_are_no_places(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("U.S. officials and the China Daily newspaper disagreed about the Kremlin's decision.", PUBLISHED)
    assert not doc.places


# --- the gazetteer ----------------------------------------------------------------------------------


def test_the_gazetteer_loads_once_and_knows_countries_units_and_towns() -> None:
    gaz = gazetteer()
    assert isinstance(gaz, Gazetteer) and gazetteer() is gaz
    ukraine = gaz.country("UA")
    assert ukraine is not None and ukraine.geonames_id == 690791
    # A representative point inside the country, not its capital (Kyiv is at 50.45, 30.52).
    assert (ukraine.lat, ukraine.lon) != (50.45, 30.52)
    features = {e.feature for e in gaz.lookup("georgia")}
    assert {"country", "admin1"} <= features
    assert any(e.feature == "water" for e in gaz.lookup(name_key("Sea of Azov")))
    assert any(e.name == "Transnistria" for e in gaz.lookup(name_key("Transdniester")))
    assert gaz.actor_name(ukraine) == "Government of Ukraine"


def test_the_gazetteer_has_villages_and_units_with_their_geonames_ids() -> None:
    gaz = gazetteer()
    village = gaz.lookup(name_key("Falls Village"))
    assert any(e.feature == "city" and e.country == "US" and e.population < 1000 and e.geonames_id for e in village)
    county = [e for e in gaz.lookup(name_key("Laurel County")) if e.country == "US"]
    assert county and all(e.feature == "admin2" and e.geonames_id for e in county)
    # A county's name without its unit word, when no town or state of the country has it.
    assert any(e.name == "Sarpy County" for e in gaz.lookup("sarpy"))
    assert not any(e.feature == "admin2" for e in gaz.lookup("mississippi"))
    # Units GeoNames has since merged keep their names ("Oppland", now part of Innlandet).
    assert any(e.feature == "admin1" and e.country == "NO" for e in gaz.lookup("oppland"))


def test_a_list_of_cities_is_no_place_and_its_unit(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The band will now tour Copenhagen, Hamburg and Vienna in the spring.", PUBLISHED)
    assert places(doc)["Copenhagen"].country == "DK"


def test_places_carry_exact_offsets(analyze) -> None:  # type: ignore[no-untyped-def]
    text = "Floods hit Dhaka and the coast of Bangladesh."
    doc = analyze(text, PUBLISHED)
    assert doc.places and all(text[p.start:p.end] == p.text for p in doc.places)


def test_metonyms_are_spans_of_the_doc(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp("Beijing warned that it would retaliate.")
    assert all(isinstance(span, Span) and span.doc is doc for span, _ in doc._.metonyms)


def test_a_capital_is_one_town_not_every_town_of_its_name() -> None:
    washingtons = [e for e in gazetteer().lookup(name_key("Washington")) if e.country == "US" and e.feature == "city"]
    assert len(washingtons) > 5
    assert [e.admin1 for e in washingtons if e.capital] == ["District of Columbia"]
