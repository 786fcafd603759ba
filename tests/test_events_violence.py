"""Violence needs a physical act (newsgraph.events.violence): verbal attacks are ACCUSE, contests and
figures of speech no event, physical and coercive acts keep their type. Sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsgraph.records import Document

Analyze = Callable[..., Document]


def types_of(doc: Document) -> set[str]:
    return {e.type for e in doc.events}


VERBAL = [
    "The senator attacked the governor over his tax returns.",
    "The challenger attacked her opponent as a liar during the debate.",
    "Mr. Lopez attacked the mayor in a series of tweets on Sunday.",
    "The minister responded with attacks on the journalist, including several posts on Facebook.",
    "Union leaders attacked the government for failing to raise wages.",
    "The candidate attacked the new trade rules.",
    "The governor attacked the senator with a barrage of television ads.",
]


@pytest.mark.parametrize("text", VERBAL)
def test_a_verbal_attack_is_an_accusation(analyze: Analyze, text: str) -> None:
    doc = analyze(text)
    assert "ACCUSE" in types_of(doc) and not types_of(doc) & {"ASSAULT", "COERCE"}


NO_EVENT = [
    "Smith beats Jones by 48 percent to 41 percent, according to a new poll.",
    "The governor easily beat back a challenge from a state senator.",
    "Democrats took control of the Senate in the midterm elections.",
    "The president vowed to keep fighting poverty after he leaves office.",
    "The mining companies are fighting to protect their shrinking business.",
    "The new rule destroys the credibility of the regulator.",
    "The opposition seized on the minister's remarks.",
    "The coach had a plan for the final and executed it perfectly.",
    "Raising tariffs now would be shooting ourselves in the foot.",
    "The finance minister acknowledged the uphill battle ahead.",
    "The farmers kill and sell goats before the holiday.",
]


@pytest.mark.parametrize("text", NO_EVENT)
def test_contests_and_figures_of_speech_are_no_violence(analyze: Analyze, text: str) -> None:
    assert not types_of(analyze(text)) & {"ASSAULT", "COERCE"}


PHYSICAL = [
    ("Gunmen attacked a police station in the north on Monday.", "ASSAULT"),
    ("A man attacked two women with a knife outside the station.", "ASSAULT"),
    ("The senator's bodyguard was attacked by a mob near the parliament.", "ASSAULT"),
    ("Rebels attacked the convoy, killing four soldiers.", "ASSAULT"),
    ("Soldiers fought the insurgents for hours in the old town.", "ASSAULT"),
    ("The army seized the airport early on Tuesday.", "COERCE"),
    ("Customs officers seized two tonnes of cocaine at the port.", "COERCE"),
    ("The militia destroyed dozens of houses in the village.", "ASSAULT"),
    ("The regime executed four prisoners on Thursday.", "ASSAULT"),
    ("Russian hackers hacked into the ministry's email servers.", "COERCE"),
    ("The man was sexually assaulted by two officers.", "ASSAULT"),
    ("Mr. Novak attacked his neighbour with a hammer.", "ASSAULT"),
]


@pytest.mark.parametrize(("text", "plover_type"), PHYSICAL)
def test_physical_and_coercive_acts_keep_their_type(analyze: Analyze, text: str, plover_type: str) -> None:
    assert plover_type in types_of(analyze(text))


def test_a_suicide_and_a_generic_statement_are_no_events(analyze: Analyze) -> None:
    assert not types_of(analyze("The veteran shot himself in a car park last month.")) & {"ASSAULT"}
    assert not types_of(analyze("You walk down the street and you get shot.")) & {"ASSAULT"}


def test_a_feared_crackdown_and_a_conditional_injury_are_no_events(analyze: Analyze) -> None:
    assert analyze("Officials fear that sweeping crackdowns could inflame the city.").events == []
    assert not types_of(analyze("In the event she was injured, the bleeding would be dangerous."))


def test_the_act_an_accusation_is_about_is_no_event_of_its_own(analyze: Analyze) -> None:
    doc = analyze("Officials accused the rebels of plotting the attack on the school.")
    assert types_of(doc) == {"ACCUSE"}
    doc = analyze("The army shelled the town after accusing the rebels of hiding weapons there.")
    assert {"ASSAULT", "ACCUSE"} <= types_of(doc)
