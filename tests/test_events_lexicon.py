"""The lexicon rows mined from events-ngec and checked against the PLOVER codebook (the marked sections at
the end of data/event_verbs.tsv and data/event_nouns.tsv), on sentences written for these tests: each
word's event, and the senses its constraints keep from being events or from being violence."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsgraph.records import Document, Event

Analyze = Callable[..., Document]

CASES = [
    ("Protesters threw stones at the riot police outside parliament.", "threw", "PROTEST", "riot"),
    ("Militants threw a grenade at a police patrol in the north.", "threw", "ASSAULT", "explosives"),
    ("The farmers' union threw its support behind the opposition candidate.", "threw", "SUPPORT", None),
    ("Masked demonstrators hurled bricks at the officers.", "hurled", "PROTEST", "riot"),
    ("Rioters smashed the windows of the town hall.", "smashed", "PROTEST", "riot"),
    ("Thousands of protesters chanted slogans against the president.", "chanted", "PROTEST", "demo"),
    ("Activists vandalized the statue of the former dictator.", "vandalized", "PROTEST", "vandalize"),
    ("A man rammed his truck into a crowd of pedestrians.", "rammed", "ASSAULT", None),
    ("The priest abused several children in the 1980s.", "abused", "ASSAULT", None),
    ("The two countries improved relations after the border deal.", "improved", "SUPPORT", None),
    ("The Senate passed the defense bill on Friday.", "passed", "SUPPORT", None),
    ("The appeals court denied their request.", "denied", "REJECT", None),
    ("The embassy rejected his visa application.", "rejected", "REJECT", None),
    ("Turkey has increased its military presence on the island.", "increased", "MOBILIZE", "troops"),
    ("Police have stepped up security in the capital.", "stepped up", "MOBILIZE", "police"),
]


def event_at(doc: Document, trigger: str) -> Event:
    hits = [e for e in doc.events if e.trigger.text == trigger]
    assert hits, f"no event with trigger {trigger!r}; got {[(e.type, e.trigger.text) for e in doc.events]}"
    return hits[0]


@pytest.mark.parametrize(("text", "trigger", "plover_type", "mode"), CASES)
def test_mined_word_reports_its_type(analyze: Analyze, text: str, trigger: str, plover_type: str,
                                     mode: str | None) -> None:
    event = event_at(analyze(text), trigger)
    assert event.type == plover_type
    if mode is not None:
        assert event.mode == mode


@pytest.mark.parametrize("text", [
    "The governor abused his power to reward his friends.",  # abuse of power: no event
    "The government rammed the reform bill through parliament.",  # pushing a bill: no violence
    "The opposition leader hurled insults at the prime minister.",  # words, not weapons
    "The striker smashed the scoring record this season.",
])
def test_senses_of_no_event_stay_silent(analyze: Analyze, text: str) -> None:
    assert analyze(text).events == []


def test_those_who_died_in_an_attack_are_its_recipients(analyze: Analyze) -> None:
    event = event_at(analyze("At least 40 villagers died in a Russian airstrike on the market."), "airstrike")
    assert event.type == "ASSAULT"
    assert [r.name for r in event.recipients] == ["At least 40 villagers"]


def test_received_threats_are_threats_against_the_receiver(analyze: Analyze) -> None:
    event = event_at(analyze("The reporter received death threats after the broadcast."), "threats")
    assert event.type == "THREATEN"
    assert [r.name for r in event.recipients] == ["reporter"]


def test_chanted_slogans_and_raised_security_are_no_recipients(analyze: Analyze) -> None:
    chant = event_at(analyze("Hundreds of students chanted slogans outside the university."), "chanted")
    assert chant.recipients == []
    guard = event_at(analyze("The police tightened security around the stadium."), "tightened")
    assert guard.type == "MOBILIZE" and guard.recipients == []
