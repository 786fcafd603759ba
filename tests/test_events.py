"""PLOVER events: types, modality, negation, participants, codes, place, date and source, on sentences
written for these tests, and the events of the bundled example article."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsgraph.events import EventMention
from newsgraph.events.coding import actor_code
from newsgraph.events.lexicon import country_iso
from newsgraph.records import Document, Event

from .conftest import EXAMPLE

Analyze = Callable[..., Document]

# At least two triggers for each of the 16 PLOVER types.
TYPE_CASES = [
    ("AGREE", "The two governments agreed to resume direct flights next month.", "agreed"),
    ("AGREE", "Brazil offered to mediate between the warring parties.", "offered"),
    ("CONSULT", "Chancellor Scholz met President Macron in Paris on Monday.", "met"),
    ("CONSULT", "The foreign ministers of both countries held talks in Geneva.", "talks"),
    ("SUPPORT", "The European Union praised the peace agreement.", "praised"),
    ("SUPPORT", "Kenya and Ethiopia signed a trade agreement on Friday.", "signed"),
    ("CONCEDE", "The interior minister apologized for the police violence.", "apologized"),
    ("CONCEDE", "The army declared a ceasefire in the northern province.", "declared"),
    ("COOPERATE", "The two navies held joint exercises in the Baltic Sea.", "joint exercises"),
    ("COOPERATE", "Spain extradited the businessman to Argentina.", "extradited"),
    ("AID", "Japan sent humanitarian aid to the flood victims.", "sent"),
    ("AID", "The United States announced $500 million in military aid to Ukraine.", "aid"),
    ("RETREAT", "The rebels released 30 hostages on Sunday.", "released"),
    ("RETREAT", "The defence minister resigned after the scandal.", "resigned"),
    ("REQUEST", "The United Nations urged both sides to protect civilians.", "urged"),
    ("REQUEST", "The opposition demanded the resignation of the prime minister.", "demanded"),
    ("ACCUSE", "China accused the United States of spying on its companies.", "accused"),
    ("ACCUSE", "Amnesty International condemned the executions.", "condemned"),
    ("REJECT", "Hamas rejected the Egyptian proposal.", "rejected"),
    ("REJECT", "The president refused to meet the delegation.", "refused"),
    ("THREATEN", "Iran threatened to close the Strait of Hormuz.", "threatened"),
    ("THREATEN", "The militia vowed revenge against the army.", "vowed"),
    ("PROTEST", "Thousands of people protested in the capital against the new law.", "protested"),
    ("PROTEST", "Nurses went on strike over pay.", "strike"),
    ("SANCTION", "The European Union imposed sanctions on Belarus.", "sanctions"),
    ("SANCTION", "Niger expelled the French ambassador.", "expelled"),
    ("MOBILIZE", "Russia deployed troops to the border.", "deployed"),
    ("MOBILIZE", "The army mobilized 10,000 reservists.", "mobilized"),
    ("COERCE", "Police arrested 40 protesters in the capital.", "arrested"),
    ("COERCE", "The government imposed a curfew in the city.", "curfew"),
    ("ASSAULT", "Gunmen attacked a police station in the north.", "attacked"),
    ("ASSAULT", "Fighting continued in the east of the country.", "Fighting"),
]


def event_at(doc: Document, trigger: str) -> Event:
    hits = [e for e in doc.events if e.trigger.text == trigger]
    assert hits, f"no event with trigger {trigger!r}; got {[(e.type, e.trigger.text) for e in doc.events]}"
    return hits[0]


def names(refs: list) -> list[str]:  # type: ignore[type-arg]
    return [r.name for r in refs]


def codes(refs: list) -> list[str | None]:  # type: ignore[type-arg]
    return [r.code for r in refs]


@pytest.mark.parametrize(("plover_type", "text", "trigger"), TYPE_CASES)
def test_each_type_from_its_trigger(analyze: Analyze, plover_type: str, text: str, trigger: str) -> None:
    doc = analyze(text)
    assert event_at(doc, trigger).type == plover_type


def test_every_plover_type_is_covered_twice() -> None:
    counts: dict[str, int] = {}
    for plover_type, _, _ in TYPE_CASES:
        counts[plover_type] = counts.get(plover_type, 0) + 1
    assert len(counts) == 16 and min(counts.values()) >= 2


# --- negation and modality ------------------------------------------------------------------------------


def test_negated_events_are_not_events(analyze: Analyze) -> None:
    assert analyze("Russian forces did not attack the city.").events == []
    assert analyze("The army never shelled the village.").events == []
    assert analyze("No talks were held between the two sides.").events == []


def test_conditions_and_purposes_are_not_events(analyze: Analyze) -> None:
    doc = analyze("The ministry will cut off supplies if the rebels attack the convoy.")
    assert "ASSAULT" not in {e.type for e in doc.events}
    doc = analyze("Rescue teams arrived to evacuate the injured.")
    assert doc.events == []


def test_a_threat_to_cut_off_is_a_threat_not_a_sanction(analyze: Analyze) -> None:
    doc = analyze("Russia threatened to cut off gas supplies to Europe.")
    assert [e.type for e in doc.events] == ["THREATEN"]
    event = doc.events[0]
    assert event.trigger.text == "threatened" and event.mode == "restrict"
    assert codes(event.actors) == ["RUS GOV"] and "Europe" in names(event.recipients)


def test_agreeing_to_provide_is_agree(analyze: Analyze) -> None:
    doc = analyze("Germany agreed to provide tanks to Ukraine.")
    assert [e.type for e in doc.events] == ["AGREE"]
    assert names(doc.events[0].recipients) == ["Ukraine"]


def test_a_plan_is_hedged_and_a_future_visit_is_agree(analyze: Analyze) -> None:
    doc = analyze("The Turkish foreign minister plans to visit Beijing next month.")
    event = event_at(doc, "visit")
    assert event.type == "AGREE" and event.certainty == "hedged"


def test_refusing_and_requesting_take_the_mode_of_what_is_refused_or_asked(analyze: Analyze) -> None:
    assert event_at(analyze("The junta refused to release the detained ministers."), "refused").mode == "yield"
    assert event_at(analyze("Ukraine asked Germany to send more tanks."), "asked").mode == "assist"


def test_promising_not_to_attack_is_a_concession(analyze: Analyze) -> None:
    doc = analyze("The rebels promised not to attack the capital during the talks.")
    assert event_at(doc, "promised").type == "CONCEDE"


# --- participants and codes ------------------------------------------------------------------------------


def test_passive_voice_is_flipped(analyze: Analyze) -> None:
    doc = analyze("The aid convoy was attacked by rebels near Goma.")
    event = event_at(doc, "attacked")
    assert event.type == "ASSAULT"
    assert names(event.actors) == ["rebels"] and codes(event.actors) == ["REB"]
    assert names(event.recipients) == ["The aid convoy"]


def test_passive_arrest_by_police(analyze: Analyze) -> None:
    doc = analyze("Two journalists were arrested by Belarusian police in Minsk.")
    event = event_at(doc, "arrested")
    assert event.type == "COERCE" and codes(event.actors) == ["BLR COP"]
    assert names(event.recipients) == ["Two journalists"]
    assert event.location is not None and event.location.name == "Minsk"


def test_two_recipients_are_two_entries(analyze: Analyze) -> None:
    doc = analyze("Gazprom halted gas deliveries to Poland and Bulgaria on Wednesday.")
    event = event_at(doc, "halted")
    assert event.type == "SANCTION" and event.mode == "discontinue"
    assert names(event.recipients) == ["Poland", "Bulgaria"]
    assert codes(event.recipients) == ["POL", "BGR"]


def test_actor_codes_from_titles_roles_and_organisations(analyze: Analyze) -> None:
    doc = analyze("Russian President Vladimir Putin met UN Secretary-General Antonio Guterres in Moscow.")
    event = event_at(doc, "met")
    assert codes(event.actors) == ["RUS GOV"] and codes(event.recipients) == ["IGO UNO"]
    doc = analyze("Ukrainian soldiers shelled Russian positions near Bakhmut.")
    assert codes(event_at(doc, "shelled").actors) == ["UKR MIL"]
    doc = analyze("NATO condemned the missile test.")
    assert codes(event_at(doc, "condemned").actors) == ["IGO NAT"]


def test_a_country_is_its_own_code() -> None:
    assert country_iso("Ukraine") == "UKR"
    assert country_iso("Russian") == "RUS"
    assert country_iso("Kyiv") == "UKR"
    assert actor_code is not None


def test_pronouns_in_a_statement_stand_for_the_speaker(analyze: Analyze) -> None:
    doc = analyze("The Polish government said it would send fighter jets to Ukraine.")
    event = event_at(doc, "send")
    assert event.type == "AGREE"  # a future aid is an agreement to aid
    assert names(event.actors) == ["The Polish government"] and codes(event.actors) == ["POL GOV"]


# --- where, when, per whom ----------------------------------------------------------------------------------


def test_place_and_date_attached_to_the_trigger(analyze: Analyze) -> None:
    doc = analyze("Russian forces shelled Kharkiv on Tuesday.", published="2022-05-05")
    event = event_at(doc, "shelled")
    assert event.location is not None and event.location.name == "Kharkiv"
    assert event.date is not None and event.date.value == "2022-05-03"
    assert not event.date_is_publication


def test_the_publication_date_stands_in_when_none_is_written(analyze: Analyze) -> None:
    doc = analyze("Rebels attacked an army base in the north.", published="2022-05-05")
    event = event_at(doc, "attacked")
    assert event.date is None and event.date_is_publication
    assert not event_at(analyze("Rebels attacked an army base in the north."), "attacked").date_is_publication


def test_an_event_inside_a_statement_is_reported_by_it(analyze: Analyze) -> None:
    doc = analyze("Ukraine's Defense Ministry said Russia continued to attack the Azovstal plant.")
    event = event_at(doc, "attack")
    assert event.type == "ASSAULT" and event.certainty == "attributed"
    source = next(s for s in doc.statements if s.id == event.source)
    assert source.speaker is not None and source.speaker.name == "Ukraine's Defense Ministry"
    assert codes(event.actors) == ["RUS GOV"]
    assert event.location is not None and event.location.name == "Azovstal"


def test_event_mentions_carry_what_the_document_reads(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp("Police arrested 40 protesters in the capital.")
    mention = doc._.events[0]
    assert isinstance(mention, EventMention)
    span, _, code = mention.recipients[0]
    assert span.text == "40 protesters" and code == "CVL"


# --- the example article ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(analyze: Analyze) -> Document:
    return analyze(EXAMPLE.read_text(encoding="utf-8"), published="2022-04-26")


def find(doc: Document, plover_type: str, trigger: str) -> Event:
    hits = [e for e in doc.events if e.type == plover_type and e.trigger.text == trigger]
    assert hits, f"no {plover_type} {trigger!r}; got {[(e.type, e.trigger.text) for e in doc.events]}"
    return hits[0]


def test_example_putin_guterres_meeting_at_the_kremlin(example: Document) -> None:
    event = find(example, "CONSULT", "meeting")
    assert set(names(event.actors)) == {"Vladimir Putin", "Antonio Guterres"}
    assert event.location is not None and event.location.name == "Kremlin"
    assert event.date is not None and event.date.value == "2022-04-26"


def test_example_guterres_talks_with_lavrov(example: Document) -> None:
    event = find(example, "CONSULT", "talked")
    assert names(event.actors) == ["Antonio Guterres"] and names(event.recipients) == ["Sergei Lavrov"]


def test_example_azovstal_attack_per_ukraine(example: Document) -> None:
    event = find(example, "ASSAULT", "attack")
    assert event.certainty == "attributed" and event.location is not None and event.location.name == "Azovstal"
    source = next(s for s in example.statements if s.id == event.source)
    assert source.speaker is not None and source.speaker.name == "Ukraine's Defense Ministry"


def test_example_kreminna_reportedly_fallen(example: Document) -> None:
    event = find(example, "COERCE", "fallen")
    assert event.certainty == "hedged" and event.location is not None and event.location.name == "Kreminna"
    assert codes(event.actors) == ["RUS"]


def test_example_liberated_claim_is_attributed_and_unconfirmed(example: Document) -> None:
    event = find(example, "COERCE", "liberated")
    assert event.source is not None and event.certainty == "unconfirmed"
    statement = next(s for s in example.statements if s.id == event.source)
    assert [q.text for q in statement.scare_quotes] == ["liberated"]
    assert statement.certainty == "unconfirmed"


def test_example_aid_and_the_gepard_delivery(example: Document) -> None:
    aid = find(example, "AID", "aid")
    assert names(aid.actors) == ["Lloyd Austin"] and names(aid.recipients) == ["Ukraine"]
    gepard = find(example, "AID", "cleared")
    # "Germany cleared the way": the country that acts is its government (a metonym, as "Turkey says").
    assert names(gepard.actors) == ["Government of Germany"] and names(gepard.recipients) == ["Ukraine"]


def test_example_gazprom_halts_gas_to_two_countries(example: Document) -> None:
    event = find(example, "SANCTION", "halt")
    assert names(event.actors) == ["Gazprom"]
    assert len(event.recipients) == 2
    assert event.date is not None and event.date.value == "2022-04-27"


def test_example_lavrov_threat_and_guterres_request(example: Document) -> None:
    threat = find(example, "THREATEN", "legitimate targets")
    assert names(threat.actors) == ["Sergei Lavrov"]
    request = find(example, "REQUEST", "urged")
    assert names(request.actors) == ["Antonio Guterres"]


def test_example_putin_threat_is_not_a_sanction(example: Document) -> None:
    threat = find(example, "THREATEN", "threatened")
    assert threat.mode == "restrict"
    assert not [e for e in example.events if e.trigger.text == "cut off"]


def test_example_bucha_atrocities_are_denied(example: Document) -> None:
    assert find(example, "ASSAULT", "atrocities").certainty == "denied"


def test_example_licence_line_is_no_statement_and_no_event(example: Document) -> None:
    licence_start = example.text.index("All Content by Mehr News Agency")
    assert not [s for s in example.statements if s.content.end > licence_start]
    assert not [e for e in example.events if e.trigger.start >= licence_start]
