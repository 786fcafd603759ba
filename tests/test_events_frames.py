"""Event frames (newsgraph.events.frames): an act inside a frame is coded as the frame, with the act as
its mode and as the event's `embedded` act, per the PLOVER codebook (see data/event_modality.tsv); on
sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsgraph.records import Document, Event

Analyze = Callable[..., Document]


def event_at(doc: Document, trigger: str) -> Event:
    hits = [e for e in doc.events if e.trigger.text == trigger]
    assert hits, f"no event with trigger {trigger!r}; got {[(e.type, e.trigger.text) for e in doc.events]}"
    return hits[0]


def types_of(doc: Document) -> set[str]:
    return {e.type for e in doc.events}


def embedded_of(event: Event) -> tuple[str, str | None] | None:
    return (event.embedded.type, event.embedded.mode) if event.embedded is not None else None


# sentence, trigger, type, mode, embedded act (type, mode) or None
FRAME_CASES = [
    # agree to: AGREE, whatever cooperation, retreat or concession is agreed
    ("The rebels agreed to withdraw their fighters from the town.", "agreed", "AGREE", None, ("RETREAT", "withdraw")),
    ("The two governments agreed to resume talks next month.", "agreed", "AGREE", None, ("CONSULT", None)),
    # promise, pledge, vow: CONCEDE for a retreat, AGREE for help, THREATEN for an attack
    ("The army promised to withdraw from the border villages.", "promised", "CONCEDE", None, ("RETREAT", "withdraw")),
    ("The minister pledged to send troops to help the island.", "pledged", "AGREE", None, ("MOBILIZE", "troops")),
    ("The militia vowed to attack the capital.", "vowed", "THREATEN", "violence", ("ASSAULT", None)),
    # threaten: the mode is what is threatened
    ("Iran threatened to blockade the strait.", "threatened", "THREATEN", "restrict", ("COERCE", "restrict")),
    ("The police threatened to arrest the strikers.", "threatened", "THREATEN", "arrest", ("COERCE", "arrest")),
    # refuse, decline: REJECT with the mode of what is refused
    ("The government refused to release the prisoners.", "refused", "REJECT", "yield", ("RETREAT", "release")),
    ("The junta declined to meet the envoys.", "declined", "REJECT", "meet", ("CONSULT", None)),
    # demand, urge, call on, call for, appeal: REQUEST with the mode of what is asked
    ("Kyiv is demanding that Russia pull back from the occupied areas.", "demanding", "REQUEST", "yield",
     ("RETREAT", "withdraw")),
    ("France urged Iran to allow inspectors into the site.", "urged", "REQUEST", "yield", ("RETREAT", "access")),
    ("The president called on the rebels to lay down their arms.", "called", "REQUEST", "yield", ("RETREAT", "disarm")),
    ("Sarkozy called for the EU to impose sanctions against Libya.", "called", "REQUEST", "change",
     ("SANCTION", "discontinue")),
    ("The envoy appealed to both sides to stop the fighting.", "appealed", "REQUEST", "yield",
     ("RETREAT", "ceasefire")),
    # ready, willing, prepared, offer
    ("Israel is ready to negotiate with the Palestinians.", "ready", "AGREE", None, ("CONSULT", None)),
    ("Turkey offered to mediate between Russia and Ukraine.", "offered", "AGREE", None, ("CONSULT", None)),
    ("The rebels offered to release the hostages.", "offered", "CONCEDE", None, ("RETREAT", "release")),
    ("The army is prepared to strike the militants.", "prepared", "THREATEN", "violence", ("ASSAULT", None)),
]


@pytest.mark.parametrize(("text", "trigger", "type_", "mode", "embedded"), FRAME_CASES)
def test_a_frame_is_coded_as_its_own_type_with_the_act_embedded(
        analyze: Analyze, text: str, trigger: str, type_: str, mode: str | None,
        embedded: tuple[str, str | None] | None) -> None:
    doc = analyze(text)
    event = event_at(doc, trigger)
    assert (event.type, event.mode) == (type_, mode)
    assert embedded_of(event) == embedded
    assert embedded is None or embedded[0] not in types_of(doc) - {type_}  # the act is no event of its own


def test_a_demand_that_someone_resign_is_a_request_for_change(analyze: Analyze) -> None:
    # manual, REQUEST: "`change' includes calls for dismissal of officials"
    doc = analyze("The opposition demanded that the interior minister resign.")
    event = event_at(doc, "demanded")
    assert (event.type, event.mode) == ("REQUEST", "change")
    assert "RETREAT" not in types_of(doc)


@pytest.mark.parametrize(("text", "trigger", "mode", "speaker", "addressee"), [
    ("The UN said Russia must withdraw its troops from Ukraine.", "must withdraw", "yield", "UN", "Russia"),
    ("Washington said Iran should release the detained journalists.", "should release", "yield", "Washington",
     "Iran"),
])
def test_said_x_must_is_a_request_of_the_speaker_to_x(analyze: Analyze, text: str, trigger: str, mode: str,
                                                       speaker: str, addressee: str) -> None:
    doc = analyze(text)
    event = event_at(doc, trigger)
    assert (event.type, event.mode) == ("REQUEST", mode)
    assert [a.text for a in event.actors] == [speaker] or speaker in event.actors[0].text
    assert [r.text for r in event.recipients] == [addressee]
    assert event.certainty == "attributed"
    assert "RETREAT" not in types_of(doc)  # nothing was withdrawn or released yet


@pytest.mark.parametrize("text", [
    "We must defend our country, the general said.",  # a resolve, not a demand
    "To understand the war, one should visit the museum.",
    "Should Israel continue the operation, relations would suffer.",  # a condition
    "Russia should have withdrawn its troops long ago.",  # a reproach
])
def test_modals_that_ask_no_one_are_no_requests(analyze: Analyze, text: str) -> None:
    assert "REQUEST" not in types_of(analyze(text))


def test_plans_and_intentions_are_future_acts(analyze: Analyze) -> None:
    plan = analyze("The government plans to withdraw its troops from the north.")
    assert "CONCEDE" in types_of(plan)  # an announced retreat
    intent = event_at(analyze("China intends to expand trade with Brazil."), "expand")
    assert (intent.type, embedded_of(intent)) == ("AGREE", ("COOPERATE", None))
    assert intent.certainty == "hedged"


def test_a_denied_act_keeps_its_type_and_is_denied(analyze: Analyze) -> None:
    event = event_at(analyze("The rebels denied attacking the convoy."), "attacking")
    assert (event.type, event.certainty) == ("ASSAULT", "denied")


def test_a_denied_request_is_a_rejection(analyze: Analyze) -> None:
    event = event_at(analyze("The court denied their request for asylum."), "denied")
    assert event.type == "REJECT"


def test_a_reported_act_keeps_its_type_and_gains_its_source(analyze: Analyze) -> None:
    doc = analyze("The ministry said that Russian forces shelled the village.")
    event = event_at(doc, "shelled")
    assert event.type == "ASSAULT" and event.embedded is None
    assert event.source is not None and event.certainty == "attributed"


# --- negation ----------------------------------------------------------------------------------------


def test_a_negated_frame_reports_nothing(analyze: Analyze) -> None:
    doc = analyze("The government did not agree to withdraw the troops.")
    assert not types_of(doc) & {"AGREE", "CONCEDE", "RETREAT"}


@pytest.mark.parametrize(("text", "trigger", "type_", "mode"), [
    ("The army promised not to attack the protesters.", "promised", "CONCEDE", None),
    ("The two sides agreed not to attack each other's positions.", "agreed", "AGREE", None),
    ("The UN urged Israel not to attack the city.", "urged", "REQUEST", "yield"),
    ("The rebels refused not to attack the town.", "refused", "REJECT", None),
    ("The party decided not to take part in the talks.", "decided", "REJECT", "meet"),
])
def test_a_frame_over_a_negated_act(analyze: Analyze, text: str, trigger: str, type_: str, mode: str | None) -> None:
    doc = analyze(text)
    event = event_at(doc, trigger)
    assert (event.type, event.mode) == (type_, mode)
    assert event.embedded is None  # the act is not done: nothing to count
    assert "ASSAULT" not in types_of(doc)


@pytest.mark.parametrize(("text", "trigger", "mode"), [
    ("We will not negotiate with terrorists, the president said.", "negotiate", "meet"),
    ("Russia will not attend the meeting in Tunis.", "attend", "meet"),
    ("The government said it would not release the detainees.", "release", "yield"),
])
def test_will_not_is_a_refusal(analyze: Analyze, text: str, trigger: str, mode: str) -> None:
    event = event_at(analyze(text), trigger)
    assert (event.type, event.mode) == ("REJECT", mode)


def test_must_not_is_a_demand_to_refrain(analyze: Analyze) -> None:
    event = event_at(analyze("The envoy said Israel must not attack the city."), "must not attack")
    assert (event.type, event.mode) == ("REQUEST", "yield")


# --- neighbouring types the frame decides ----------------------------------------------------------------


def test_agree_against_concede(analyze: Analyze) -> None:
    # an agreed withdrawal is AGREE; a promised or announced one CONCEDE
    assert event_at(analyze("The rebels agreed to withdraw from the town."), "agreed").type == "AGREE"
    assert event_at(analyze("The rebels promised to withdraw from the town."), "promised").type == "CONCEDE"
    announced = analyze("The government announced it would withdraw its troops from the north.")
    assert "CONCEDE" in types_of(announced) and "AGREE" not in types_of(announced)


def test_threaten_against_coerce(analyze: Analyze) -> None:
    threat = analyze("The police threatened to arrest the protesters.")
    assert types_of(threat) == {"THREATEN"}
    act = event_at(analyze("The police arrested the protesters."), "arrested")
    assert (act.type, act.mode) == ("COERCE", "arrest")


def test_request_against_agree(analyze: Analyze) -> None:
    asked = event_at(analyze("The UN urged the parties to resume talks."), "urged")
    assert (asked.type, asked.mode) == ("REQUEST", "meet")
    agreed = event_at(analyze("The parties agreed to resume talks."), "agreed")
    assert agreed.type == "AGREE"


def test_reject_against_request(analyze: Analyze) -> None:
    refused = event_at(analyze("The government refused to release the prisoners."), "refused")
    asked = event_at(analyze("The families demanded that the government release the prisoners."), "demanded")
    assert (refused.type, refused.mode) == ("REJECT", "yield")
    assert (asked.type, asked.mode) == ("REQUEST", "yield")


def test_an_agreed_sanction_is_the_sanction(analyze: Analyze) -> None:
    # AGREE is a commitment "to cooperate"; a sanction reduces relations (manual, SANCTION)
    doc = analyze("The European Union agreed to impose sanctions on Belarus.")
    assert "SANCTION" in types_of(doc) and "AGREE" not in types_of(doc)


def test_an_attack_announced_by_its_actor_is_a_threat(analyze: Analyze) -> None:
    own = event_at(analyze("The president said his forces would attack the rebels if they did not surrender."),
                   "attack")
    assert (own.type, own.mode, embedded_of(own)) == ("THREATEN", "violence", ("ASSAULT", None))
    predicted = event_at(analyze("US officials said Russia would attack Kyiv within days."), "attack")
    assert predicted.type == "ASSAULT"  # others' prediction: the act, reported


def test_a_warning_of_ones_own_act_is_a_threat(analyze: Analyze) -> None:
    event = event_at(analyze("The union warned that it would stage a nationwide strike."), "warned")
    assert (event.type, event.mode) == ("THREATEN", "restrict")


def test_a_vow_of_no_coded_act_is_no_event_but_a_pledge_is_a_commitment(analyze: Analyze) -> None:
    assert "AGREE" not in types_of(analyze("The rebels vowed to fight on."))
    assert "AGREE" in types_of(analyze("The finance ministers pledged to boost the global economy."))
    assert "AGREE" not in types_of(analyze("The new rules promise to transform the economy."))


def test_the_embedded_act_is_in_the_document_json(analyze: Analyze) -> None:
    data = analyze("The rebels agreed to withdraw their fighters from the town.").to_json_dict()
    agree = next(e for e in data["events"] if e["type"] == "AGREE")  # type: ignore[index, union-attr]
    assert agree["embedded"] == {"type": "RETREAT", "mode": "withdraw"}
