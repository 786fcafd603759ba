"""What PLOVER does not code (newsgraph.events.uncoded): statements, campaign rallies and debates,
meetings of no one, naming someone; and what it does code (crimes, trials' charges, visits).
Sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsgraph.records import Document

Analyze = Callable[..., Document]


def types_of(doc: Document) -> set[str]:
    return {e.type for e in doc.events}


NOT_CODED = [
    ("The foreign minister spoke to reporters in Rome on Friday.", "CONSULT"),
    ("The party's leaders held a press conference after the vote.", "CONSULT"),
    ("The mayor called his rival a coward on Tuesday.", "CONSULT"),
    ("Only three members meet the spending target.", "CONSULT"),
    ("The senator discussed her plans for the health system.", "CONSULT"),
    ("The two candidates meet for their second televised debate on Sunday.", "CONSULT"),
    ("Senator Ruiz held rallies in three cities on Saturday.", "PROTEST"),
    ("The governor hosted his annual summer barbecue.", "CONSULT"),
]


@pytest.mark.parametrize(("text", "plover_type"), NOT_CODED)
def test_statements_and_campaign_events_are_not_coded(analyze: Analyze, text: str, plover_type: str) -> None:
    assert plover_type not in types_of(analyze(text))


CODED = [
    ("The prime minister met the Japanese ambassador in Rome on Friday.", "CONSULT"),
    ("The French president visited Algeria on Monday.", "CONSULT"),
    ("The Egyptian foreign minister talked to Turkish officials about the crisis.", "CONSULT"),
    ("Thousands of teachers rallied outside parliament against the pay freeze.", "PROTEST"),
    ("Opposition lawmakers held a protest outside the electoral commission.", "PROTEST"),
    ("Two gunmen robbed a bank and killed a guard in the capital.", "ASSAULT"),
    ("Prosecutors charged the former minister with fraud.", "ACCUSE"),
    ("The president called Vladimir Putin on Tuesday.", "CONSULT"),
]


@pytest.mark.parametrize(("text", "plover_type"), CODED)
def test_meetings_visits_protests_crimes_and_charges_are_coded(analyze: Analyze, text: str,
                                                              plover_type: str) -> None:
    assert plover_type in types_of(analyze(text))
