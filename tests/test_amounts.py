"""Amounts: money and counts as numbers, on sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.amounts import AmountFinder, currencies, parse_decimal, parse_number
from newsgraph.analyzer import Analyzer
from newsgraph.records import Document

Analyze = Callable[..., Document]  # the `analyze` fixture: analyze(text, published=None)
Found = list[tuple[str, float, str, str | None]]


def found(analyze, text: str) -> Found:
    """(text, value, unit, approximation) of every amount, checking each span against the text."""
    doc = analyze(text)
    for a in doc.amounts:
        assert doc.text[a.start:a.end] == a.text
    return [(a.text, a.value, a.unit, a.approximation) for a in doc.amounts]


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The charity received a gift of $50 thousand from a donor.", [("$50 thousand", 50_000, "USD", None)]),
        ("The ministry announced an extra $650 million for schools.", [("$650 million", 650e6, "USD", None)]),
        ("Lisbon committed €1.2 trillion to the climate fund.", [("€1.2 trillion", 1.2e12, "EUR", None)]),
        ("The board approved a ¥3.5bn budget.", [("¥3.5bn", 3.5e9, "JPY", None)]),
        ("The club took out a £12m stadium loan.", [("£12m", 12e6, "GBP", None)]),
        ("The fee was £45,500 a year.", [("£45,500", 45_500, "GBP", None)]),
        ("The fund raised US$8 billion last spring.", [("US$8 billion", 8e9, "USD", None)]),
        ("The council set aside Rs 4 lakh for repairs.", [("Rs 4 lakh", 4e5, "INR", None)]),
        ("The city spent Rs 35 crore on roads.", [("Rs 35 crore", 35e7, "INR", None)]),
        ("Analysts expect USD 7 million in fees.", [("USD 7 million", 7e6, "USD", None)]),
        ("The bank paid 250,000 CHF in penalties.", [("250,000 CHF", 250_000, "CHF", None)]),
        ("The museum was sold for 12 million Swiss francs.", [("12 million Swiss francs", 12e6, "CHF", None)]),
        ("The region owes 2.3 trillion roubles.", [("2.3 trillion roubles", 2.3e12, "RUB", None)]),
        ("The bridge cost 9 billion yuan.", [("9 billion yuan", 9e9, "CNY", None)]),
        ("Kyiv raised 6 million hryvnias in a week.", [("6 million hryvnias", 6e6, "UAH", None)]),
        ("Warsaw pledged 30 billion zlotys.", [("30 billion zlotys", 30e9, "PLN", None)]),
        ("The prize is worth seven million euros.", [("seven million euros", 7e6, "EUR", None)]),
        ("A day pass costs ¥800.", [("¥800", 800, "JPY", None)]),
    ],
)
def test_money_with_currency_and_scale(analyze: Analyze, text: str, expected: Found) -> None:
    assert found(analyze, text) == expected


def test_money_qualifiers_stay_out_of_the_span(analyze: Analyze) -> None:
    assert found(analyze, "The firm lost nearly $3 billion and paid an estimated €400m in fines.") == [
        ("$3 billion", 3e9, "USD", "nearly"),
        ("€400m", 400e6, "EUR", "an estimated"),
    ]
    text = "The agency has spent some $9 billion since 2019."
    assert found(analyze, text) == [("$9 billion", 9e9, "USD", "some")]


def test_a_money_range_writes_its_scale_once(analyze: Analyze) -> None:
    assert found(analyze, "The refit will cost $6-8 million.") == [("$6", 6e6, "USD", None)]


def test_vague_money_is_its_lower_bound(analyze: Analyze) -> None:
    assert found(analyze, "Donors pledged millions of dollars and hundreds of millions of euros.") == [
        ("millions of dollars", 1e6, "USD", "at least"),
        ("hundreds of millions of euros", 1e8, "EUR", "at least"),
    ]


def test_pounds_are_a_weight_unless_scaled(analyze: Analyze) -> None:
    text = "The bomb weighed 500 pounds, but the transfer fee was 50 million pounds."
    assert found(analyze, text) == [("50 million pounds", 50e6, "GBP", None)]


def test_a_count_of_a_currency_is_money(analyze: Analyze) -> None:
    assert found(analyze, "The bank lent 10 million Ukrainian hryvnias to farmers.") == [
        ("10 million Ukrainian hryvnias", 10e6, "UAH", None)
    ]


def test_currency_file_has_iso_codes_and_the_common_forms() -> None:
    cur = currencies()
    assert {cur.code_of(f) for f in ("$", "US$", "dollars", "USD")} == {"USD"}
    assert cur.code_of("€") == cur.code_of("euros") == "EUR"
    assert cur.code_of("rubles") == cur.code_of("roubles") == "RUB"
    assert all(len(code) == 3 and code.isupper() for code in set(cur.symbols.values()) | set(cur.names.values()))


# --- counts -------------------------------------------------------------------------------------


def test_counts_take_the_counted_noun_as_unit(analyze: Analyze) -> None:
    assert found(analyze, "Rescuers found 17 miners alive and 4,500 sheep in the valley.") == [
        ("17", 17, "miners", None),
        ("4,500", 4500, "sheep", None),
    ]
    assert found(analyze, "The airline employs 18 fact-checkers and 20 former crew members.") == [
        ("18", 18, "fact-checkers", None),
        ("20", 20, "crew members", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Organisers said at least 2,500 runners took part.", [("2,500", 2500, "runners", "at least")]),
        ("Up to 600 pupils were sent home.", [("600", 600, "pupils", "up to")]),
        ("Delegates came from around 35 nations.", [("35", 35, "nations", "around")]),
        ("About 60 villagers were evacuated.", [("60", 60, "villagers", "about")]),
        ("More than 300 volunteers signed up.", [("300", 300, "volunteers", "more than")]),
        ("Officials counted roughly 8,000 voters.", [("8,000", 8000, "voters", "roughly")]),
        ("As many as 45 candidates applied.", [("45", 45, "candidates", "as many as")]),
        ("Over 90 schools reopened.", [("90", 90, "schools", "over")]),
        ("Fewer than 20 hospitals were open.", [("20", 20, "hospitals", "fewer than")]),
        ("Nearly 5,000 homes lost power.", [("5,000", 5000, "homes", "nearly")]),
        ("Some 70 trucks crossed the border.", [("70", 70, "trucks", "some")]),
        ("An estimated 3,500 police officers were deployed.", [("3,500", 3500, "police officers", "an estimated")]),
        ("The council hired 300 or so cleaners.", [("300", 300, "cleaners", "or so")]),
        ("At least one person was hurt.", [("one", 1, "people", "at least")]),
    ],
)
def test_counts_with_approximation(analyze: Analyze, text: str, expected: Found) -> None:
    assert found(analyze, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ten teachers and twenty-five nurses joined the strike.",
         [("Ten", 10, "teachers", None), ("twenty-five", 25, "nurses", None)]),
        ("Three climbers were rescued.", [("Three", 3, "climbers", None)]),
        ("A dozen firefighters arrived.", [("A dozen", 12, "firefighters", None)]),
        ("Half a million residents lost water.", [("Half a million", 5e5, "residents", None)]),
        ("The drought killed two million cattle.", [("two million", 2e6, "cattle", None)]),
        ("Two hundred and fifty thousand farmers protested.",
         [("Two hundred and fifty thousand", 250_000, "farmers", None)]),
        ("Tens of thousands of fans gathered.", [("Tens of thousands", 10_000, "fans", "at least")]),
        ("Hundreds of thousands of tourists visited.", [("Hundreds of thousands", 100_000, "tourists", "at least")]),
        ("The storm damaged 1.2 million trees.", [("1.2 million", 1.2e6, "trees", None)]),
    ],
)
def test_number_words(analyze: Analyze, text: str, expected: Found) -> None:
    assert found(analyze, text) == expected


def test_the_first_number_of_a_range_shares_the_unit(analyze: Analyze) -> None:
    assert found(analyze, "Between 150 and 200 horses and 30 to 40 dogs were rescued.") == [
        ("150", 150, "horses", None),
        ("200", 200, "horses", None),
        ("30", 30, "dogs", None),
        ("40", 40, "dogs", None),
    ]


def test_counts_can_be_switched_off(analyzer: Analyzer) -> None:
    doc = analyzer.nlp("Rescuers found 17 miners and $5 million in gold.")
    assert [a.text for a in AmountFinder(counts=False).find(doc)] == ["$5 million"]


# --- not amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The mayor was first elected in 1998 and again in 2019.",  # years
        "The 72-year-old mayor, aged 72, has led the town since.",  # ages
        "Dr Ellen Park, 58, said the clinic would stay open.",  # age in apposition
        "The vote was held on March 3, and the count on 14 June.",  # dates
        "The clinic opens at 9 a.m. and closes at 17:30.",  # times
        "The second vote failed; a third attempt followed the 21st round.",  # ordinals
        "Turnout rose 12 percent and prices fell 3% and 4 per cent.",  # percentages
        "Call 0161 496 0000 or +44 20 7946 0958 for tickets.",  # phone numbers
        "The air force flies F-35 jets and T-90 tanks and Boeing 747 planes.",  # model numbers
        "One of the guards said no one had left; one day they would know.",  # "one" as pronoun or determiner
        "The photo is licensed under Creative Commons Attribution-ShareAlike 3.0 Unported.",  # licence version
        "Music from the 1980s and the '90s filled the hall.",  # decades
        # durations and measures
        "The talks lasted three years and the convoy drove 40 kilometres with 200 tonnes of flour.",
        "Nine in 10 doctors and three of every four nurses backed the plan.",  # ratios
        "The two ministers met while their three aides waited.",  # definite references
        "The COVID-19 ward reopened after the 24-hour strike on 9/11 anniversary.",  # names, compounds
    ],
)
def test_not_amounts(analyze: Analyze, text: str) -> None:
    assert found(analyze, text) == []


# --- properties ---------------------------------------------------------------------------------

_SMALL = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int, and_after_hundred: bool = False) -> str:
    """English words for 1 <= n < 10**12, as news writes them ("two hundred and fifty thousand")."""
    words: list[str] = []
    for scale, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"), (1, "")):
        group, n = divmod(n, scale)
        if group:
            words += [*_spell_below_thousand(group, and_after_hundred), *([name] if name else [])]
    return " ".join(words)


def _spell_below_thousand(n: int, and_after_hundred: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_SMALL[hundreds - 1], "hundred"] if hundreds else []
    if rest and hundreds and and_after_hundred:
        words.append("and")
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        words.append(_TENS[tens - 2] + (f"-{_SMALL[unit - 1]}" if unit else ""))
    elif rest:
        words.append(_SMALL[rest - 1])
    return words


@given(st.integers(min_value=0, max_value=10**15))
def test_digits_round_trip(n: int) -> None:
    assert parse_decimal(f"{n:,}") == n
    assert parse_decimal(str(n)) == n


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimals_and_scales_round_trip(x: Decimal) -> None:
    assert parse_decimal(f"{x:,.2f}") == x
    assert parse_decimal(f"{x:.2f} million") == x * 10**6
    assert parse_number(f"{x:.2f}bn") == float(x * 10**9)


@given(st.integers(min_value=1, max_value=10**12 - 1), st.booleans())
def test_number_words_round_trip(n: int, and_after_hundred: bool) -> None:
    assert parse_number(spell(n, and_after_hundred)) == n


def test_parser_examples_and_rejections() -> None:
    assert parse_number("1,000") == 1000
    assert parse_number("1.5") == 1.5
    assert parse_number("two million") == 2e6
    assert parse_number("a dozen") == 12
    assert parse_number("tens of thousands") == 10_000
    for not_a_number in ("two three", "202 555", "million", "hundred hundred", "thousand million", "and"):
        assert parse_number(not_a_number) is None


_PIECES = ["$700 million", "up to 1,000 civilians", "two million refugees", "€2bn", "1.5 trillion rubles",
           "around 40 countries", "a 63-year-old", "April 26", "15 percent", "F-16", "one of them", "some",
           "the", "said", "in 1999", "tens of thousands of people", "Rs 50 crore", "£30,000", "¥", "$", "million"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=10),
       st.lists(st.sampled_from([" ", "  ", "\u00a0", "\n", ", ", ". ", " — "]), min_size=10, max_size=10))
def test_spans_are_the_text_they_cover(analyze: Analyze, pieces: list[str], gaps: list[str]) -> None:
    text = "".join(p + g for p, g in zip(pieces, gaps, strict=False)).strip() or "none"
    doc = analyze(text)
    assert doc.text == text
    for a in doc.amounts:
        assert 0 <= a.start < a.end <= len(text)
        assert text[a.start:a.end] == a.text
