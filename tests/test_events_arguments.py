"""Recipients from the parse (newsgraph.events.arguments): the object, the target of "against / on / at",
the place attacked, possessors, of-phrases and nationalities inside a thing, the addressee of requests,
accusations and threats, a party in another clause the parse links, and no recipient where the object
is a thing; codes for each. Sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsgraph.records import Document, Event

Analyze = Callable[..., Document]


def event_at(doc: Document, trigger: str) -> Event:
    hits = [e for e in doc.events if e.trigger.text == trigger]
    assert hits, f"no event with trigger {trigger!r}; got {[(e.type, e.trigger.text) for e in doc.events]}"
    return hits[0]


def recipients(event: Event) -> list[tuple[str, str | None]]:
    return [(r.text, r.code) for r in event.recipients]


# --- the object and the target of a preposition ----------------------------------------------------------


def test_the_object_is_the_recipient(analyze: Analyze) -> None:
    event = event_at(analyze("Police arrested two Russian journalists in Minsk."), "arrested")
    assert recipients(event) == [("two Russian journalists", "RUS JRN")]


def test_the_target_of_at_and_against(analyze: Analyze) -> None:
    event = event_at(analyze("The rebels fired rockets at the airport."), "fired")
    assert [r.text for r in event.recipients] == ["the airport"]  # the rockets are the weapon, not the target
    event = event_at(analyze("Israeli jets launched airstrikes against Hamas targets in Gaza."), "airstrikes")
    assert recipients(event) == [("Hamas", "PSE REB")]  # the targets are Hamas's


def test_a_thing_named_after_at_is_where_it_happened_once_the_verb_has_an_object(analyze: Analyze) -> None:
    event = event_at(analyze("A gunman killed six people at a shopping center."), "killed")
    assert [r.text for r in event.recipients] == ["six people"]
    assert event.recipients[0].code == "CVL"  # people without a role are civilians


# --- the place attacked -----------------------------------------------------------------------------------


def test_the_place_shelled_is_recipient_and_location(analyze: Analyze) -> None:
    event = event_at(analyze("Russian forces shelled Kharkiv on Tuesday."), "shelled")
    assert recipients(event) == [("Kharkiv", "UKR")]
    assert event.location is not None and event.location.name == "Kharkiv"


def test_the_place_an_attack_hit(analyze: Analyze) -> None:
    event = event_at(analyze("A Russian missile attack hit the city of Chernihiv."), "missile attack")
    assert recipients(event) == [("Chernihiv", "UKR")]  # the place named, not "the city"
    assert event.location is not None and event.location.name == "Chernihiv"


# --- inside a thing: possessors, of-phrases, nationalities, partners, relative clauses -----------------------


def test_a_possessor(analyze: Analyze) -> None:
    event = event_at(analyze("Ukrainian drones attacked Russia's forces near Bakhmut."), "attacked")
    assert recipients(event) == [("Russia's forces", "RUS MIL")]
    event = event_at(analyze("The European Union imposed sanctions on Iran's oil exports."), "sanctions")
    assert recipients(event) == [("Iran", "IRN")]  # not "exports"


def test_a_nationality_before_a_thing(analyze: Analyze) -> None:
    event = event_at(analyze("The United States imposed sanctions on Russian oil exports."), "sanctions")
    assert [r.code for r in event.recipients] == ["RUS"]
    event = event_at(analyze("France criticized the Chinese decision."), "criticized")
    assert [r.code for r in event.recipients] == ["CHN"]


def test_an_of_phrase(analyze: Analyze) -> None:
    event = event_at(analyze("The UN condemned the killing of two journalists in Mexico."), "condemned")
    assert recipients(event) == [("two journalists", "JRN")]


def test_the_partner_of_a_relation(analyze: Analyze) -> None:
    event = event_at(analyze("NATO suspended cooperation with Russia."), "suspended")
    assert event.type == "SANCTION" and [r.code for r in event.recipients] == ["RUS GOV"]


def test_the_subject_of_a_relative_clause_on_the_thing(analyze: Analyze) -> None:
    event = event_at(analyze("Russia rejected the proposal that Ukraine made last week."), "rejected")
    assert [r.text for r in event.recipients] == ["Ukraine"]


def test_the_target_of_a_thing_wins_over_its_agent(analyze: Analyze) -> None:
    event = event_at(analyze("Germany expressed support for Ukraine."), "support")
    assert [r.text for r in event.recipients] == ["Ukraine"]


def test_the_recipient_of_a_sale(analyze: Analyze) -> None:
    event = event_at(analyze("Germany approved the sale of tanks to Poland."), "approved")
    assert recipients(event) == [("Poland", "POL")]  # "to Poland" may hang off "tanks"


# --- addressees ---------------------------------------------------------------------------------------------


def test_the_accused_the_warned_and_the_called_on(analyze: Analyze) -> None:
    event = event_at(analyze("China accused Washington of meddling in its affairs."), "accused")
    assert recipients(event) == [("Washington", "USA GOV")]
    event = event_at(analyze("Iran warned Israel against any attack on its nuclear sites."), "warned")
    assert [r.text for r in event.recipients] == ["Israel"]  # the object, not the act warned against
    event = event_at(analyze("Turkey called on Israel to stop the bombing."), "called")
    assert event.type == "REQUEST" and [r.text for r in event.recipients] == ["Israel"]


def test_the_charged_not_the_charge(analyze: Analyze) -> None:
    event = event_at(analyze("The court charged the former minister with corruption."), "charged")
    assert [r.text for r in event.recipients] == ["the former minister"]
    event = event_at(analyze("The minister was charged with corruption."), "charged")
    assert [r.text for r in event.recipients] == ["The minister"]


# --- a party in another clause ---------------------------------------------------------------------------------


def test_the_subject_of_what_is_demanded_or_alleged(analyze: Analyze) -> None:
    event = event_at(analyze("The protesters demanded that President Maduro step down."), "demanded")
    assert event.type == "REQUEST" and [r.name for r in event.recipients] == ["Maduro"]
    event = event_at(analyze("The prosecutor alleged that the company bribed officials."), "alleged")
    assert recipients(event) == [("the company", "BUS")]


def test_conjoined_verbs_share_their_object(analyze: Analyze) -> None:
    event = event_at(analyze("Rebels attacked and burned the village."), "attacked")
    assert [r.text for r in event.recipients] == ["the village"]


def test_the_victims_of_a_conjoined_killing(analyze: Analyze) -> None:
    event = event_at(analyze("The army launched airstrikes and killed ten civilians."), "airstrikes")
    assert recipients(event) == [("ten civilians", "CVL")]


# --- things are no recipients ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "trigger"), [
    ("He called for unity.", "called"),
    ("The council condemned the surge in violence.", "condemned"),
    ("Japan donated $10 million.", "donated"),
])
def test_a_thing_is_no_recipient(analyze: Analyze, text: str, trigger: str) -> None:
    assert event_at(analyze(text), trigger).recipients == []


def test_a_thing_coordinated_with_parties_is_left_out(analyze: Analyze) -> None:
    event = event_at(analyze("The guards rescued three fishermen and their boat."), "rescued")
    assert [r.text for r in event.recipients] == ["three fishermen"]


# --- codes -------------------------------------------------------------------------------------------------------


def test_a_capital_visited_is_its_country(analyze: Analyze) -> None:
    event = event_at(analyze("The minister visited Kyiv on Monday."), "visited")
    assert recipients(event) == [("Kyiv", "UKR")]
