"""Dates: finding date expressions and resolving them against the publication date.

Sentences written for these tests. The publication date used throughout, 15 March 2023, is a
Wednesday in ISO week 2023-W11.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.dates import FUTURE, PAST, Period, by_tense, easter, format_period, holiday_date, weekend_of
from newsgraph.records import Document

PUBLISHED = "2023-03-15"


def values(doc: Document) -> dict[str, str]:
    return {d.text: d.value for d in doc.dates}


def test_absolute_dates_with_their_year(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The treaty was signed on June 5, 2019, in Geneva and ratified on 2 October 2020.", PUBLISHED)
    assert values(doc) == {"June 5, 2019": "2019-06-05", "2 October 2020": "2020-10-02"}
    assert not any(d.relative for d in doc.dates)


def test_day_and_month_without_a_year_take_the_publication_year(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The governor spoke to farmers on March 9 and will return on April 2.", PUBLISHED)
    assert values(doc) == {"March 9": "2023-03-09", "April 2": "2023-04-02"}
    assert all(d.relative for d in doc.dates)


def test_past_tense_month_day_near_new_year_is_last_year(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The ferry sank on December 28, the coast guard said.", "2023-01-04")
    assert values(doc) == {"December 28": "2022-12-28"}


def test_month_and_year_and_bare_year(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The plant opened in October 2018. The old bridge was built in 1998.", PUBLISHED)
    assert values(doc) == {"October 2018": "2018-10", "1998": "1998"}


def test_decades(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Farming collapsed in the 1980s, and the mills closed in the '90s.", PUBLISHED)
    assert sorted(values(doc).values()) == ["198", "199"]


def test_quarters(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze(
        "Exports grew in the third quarter of 2021. Revenue fell in the fourth quarter, "
        "and the firm expects a loss in the second quarter.",
        PUBLISHED,
    )
    assert values(doc) == {
        "the third quarter of 2021": "2021-Q3",
        "the fourth quarter": "2022-Q4",
        "the second quarter": "2023-Q2",
    }


def test_weekday_in_past_tense_is_the_one_before(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The mayor resigned on Monday after a long dispute.", PUBLISHED)
    assert values(doc) == {"Monday": "2023-03-13"}


def test_weekday_in_future_tense_is_the_one_after(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The council will vote on Monday. The hearing is scheduled for Friday.", PUBLISHED)
    assert [d.value for d in doc.dates] == ["2023-03-20", "2023-03-17"]


def test_last_and_next_weekday(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Prices rose last Wednesday and are expected to fall next Wednesday.", PUBLISHED)
    assert values(doc) == {"last Wednesday": "2023-03-08", "next Wednesday": "2023-03-22"}


def test_last_month_week_year(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Inflation eased last month, the bank said last week, after a record last year.", PUBLISHED)
    assert values(doc) == {"last month": "2023-02", "last week": "2023-W10", "last year": "2022"}


def test_this_and_next_units_and_modifiers(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze(
        "Earlier this month the union struck; talks resume this week and end late next year.", PUBLISHED
    )
    assert values(doc) == {"Earlier this month": "2023-03", "this week": "2023-W11", "late next year": "2024"}


def test_over_the_weekend_is_the_last_weekend(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Protesters gathered in the capital over the weekend.", PUBLISHED)
    assert [(d.text, d.value) for d in doc.dates] == [("the weekend", "2023-W10-WE")]


def test_yesterday_today_tomorrow(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The strike began yesterday, continues today and may end tomorrow.", PUBLISHED)
    assert values(doc) == {"yesterday": "2023-03-14", "today": "2023-03-15", "tomorrow": "2023-03-16"}


def test_units_ago(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Two weeks ago the dam burst; three years ago it was rebuilt.", PUBLISHED)
    assert values(doc) == {"Two weeks ago": "2023-03-01", "three years ago": "2020"}


def test_unknown_publication_date_leaves_x(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The mayor resigned on May 4. The council met last week and again on Friday.")
    assert values(doc) == {"May 4": "XXXX-05-04", "last week": "XXXX-WXX", "Friday": "XXXX-WXX-5"}


def test_reference_words(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The port is currently closed. It was recently dredged, and it will reopen soon.", PUBLISHED)
    assert values(doc) == {"currently": "PRESENT_REF", "recently": "PAST_REF", "soon": "FUTURE_REF"}


def test_clock_time_takes_the_day_written_with_it(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The polls closed at 20:00 GMT on Sunday.", PUBLISHED)
    by_text = {d.text: d for d in doc.dates}
    assert by_text["20:00 GMT"].value == "2023-03-12T20:00"
    assert by_text["20:00 GMT"].type == "TIME"
    assert by_text["Sunday"].value == "2023-03-12"


def test_anaphoric_day_and_year(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The quake struck on February 6. The next day, aid arrived. Sales had risen the year before.",
                  PUBLISHED)
    assert values(doc) == {"February 6": "2023-02-06", "The next day": "2023-02-07", "the year before": "2022"}


def test_durations_sets_ages_and_amounts_are_not_dates(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze(
        "The siege lasted three years. Talks ran for days. Inspectors visit every week. "
        "The 45-year-old driver, aged 45, paid $2,000 for 1500 tonnes of grain over 18 months.",
        PUBLISHED,
    )
    assert doc.dates == []


def test_names_that_contain_date_words_are_not_dates(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Theresa May spoke about Black Monday. The Russell 2000 index and USA Today fell.", PUBLISHED)
    assert doc.dates == []


def test_ambiguous_month_name_after_a_preposition_is_a_month(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The bill passed in May, before the march on parliament.", PUBLISHED)
    assert values(doc) == {"May": "2022-05"}


def test_calendar_helpers() -> None:
    assert format_period(Period("WE", date(2023, 3, 11))) == "2023-W10-WE"
    assert format_period(Period("E", date(1990, 1, 1))) == "199"
    assert weekend_of(date(2023, 3, 15), "the", PAST) == Period("WE", date(2023, 3, 11))
    assert weekend_of(date(2023, 3, 15), "this", None) == Period("WE", date(2023, 3, 18))
    assert easter(2023) == date(2023, 4, 9)
    assert holiday_date("11:4:4", 2023) == date(2023, 11, 23)  # Thanksgiving
    assert holiday_date("05:-1:1", 2023) == date(2023, 5, 29)  # Memorial Day
    october = by_tense(lambda y: Period("M", date(y, 10, 1)), date(2023, 3, 15), PAST)
    assert october == Period("M", date(2022, 10, 1))


FRAGMENTS = [
    "on Monday", "last week", "April 3, 2021", "the 1990s", "3 May", "in May", "at 10:30 GMT", "yesterday",
    "the fourth quarter", "recently", "two weeks ago", "the weekend", "1998", "mid-2024", "Q2 2020",
    "The minister said", "prices rose", "by 2,000 tonnes", "for three years", "every week", "Christmas Eve",
    "the day before", "“quoted”", "—", "\n\n", ",", ".", "Kyiv", "aged 45", "$1,999", "7/4/2019",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), min_size=1, max_size=14),
    st.sampled_from([None, PUBLISHED, "2000-02-29"]),
)
def test_offsets_point_at_the_text(analyze, parts: list[str], published: str | None) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(parts)
    doc = analyze(text, published)
    assert doc.text == text
    for d in doc.dates:
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start:d.end] == d.text


SPREAD_OF_DATES = ("Officials said on Monday that talks held last week and in March had failed. The offensive is "
                   "expected this summer, in the second quarter of 2023 or in 2024, analysts said recently. He was "
                   "born in the 1990s. The meeting on April 26 went on until 18:00 UTC.")


def test_every_value_the_component_writes_has_a_precision_and_a_first_day(analyze) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from newsgraph.timex import timex_precision, timex_start

    found = {d.text: (d.value, timex_start(d.value), timex_precision(d.value))
             for d in analyze(SPREAD_OF_DATES, "2022-04-26").dates}
    assert found == {
        "Monday": ("2022-04-25", date(2022, 4, 25), "day"),
        "last week": ("2022-W16", date(2022, 4, 18), "fuzzy"),
        "March": ("2022-03", date(2022, 3, 1), "month"),
        "this summer": ("2022-SU", date(2022, 6, 1), "fuzzy"),  # a season starts in its month, not in January
        "the second quarter of 2023": ("2023-Q2", date(2023, 4, 1), "fuzzy"),
        "2024": ("2024", date(2024, 1, 1), "year"),
        "recently": ("PAST_REF", None, "fuzzy"),
        "the 1990s": ("199", None, "fuzzy"),
        "April 26": ("2022-04-26", date(2022, 4, 26), "day"),
        "18:00 UTC": ("2022-04-26T18:00", date(2022, 4, 26), "day"),
    }
    # Without a publication date the parts that need one stay unknown: no calendar position.
    unknown = {d.text: timex_precision(d.value) for d in analyze(SPREAD_OF_DATES).dates if timex_start(d.value) is None}
    assert unknown == {"Monday": "fuzzy", "last week": "fuzzy", "March": "fuzzy", "this summer": "fuzzy",
                       "recently": "fuzzy", "the 1990s": "fuzzy", "April 26": "fuzzy", "18:00 UTC": "fuzzy"}


# --- issue 20: story time, tense, composite and financial periods (sentences written for these tests) --------


def test_fiscal_years_keep_their_word(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The retailer earned $2.1 billion in fiscal 2019, up from fiscal year 2018 and FY2017.", "2020-03-10")
    assert values(doc) == {"fiscal 2019": "2019", "fiscal year 2018": "2018", "FY2017": "2017"}


def test_the_quarter_and_the_year_earlier_quarter(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Net income in the quarter rose 8% from the year-earlier quarter.", "2019-10-22")
    assert values(doc) == {"the quarter": "2019-Q3", "the year-earlier quarter": "2018-Q3"}


def test_a_year_earlier_takes_the_unit_of_the_period_before_it(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Profit for the third quarter of 2008 fell 20% from a year earlier.", "2008-10-20")
    assert values(doc) == {"the third quarter of 2008": "2008-Q3", "a year earlier": "2007-Q3"}


def test_quarter_named_by_its_last_month(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The firm reported results for the quarter ended Sept. 30 and for the June quarter.", "2009-11-06")
    assert values(doc) == {"the quarter": "2009-Q3", "Sept. 30": "2009-09-30", "the June quarter": "2009-Q2"}


def test_month_with_a_relative_year_is_one_expression(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The company cut 300 jobs in March last year and plans more cuts in June next year.", "2009-05-04")
    assert values(doc) == {"March last year": "2008-03", "June next year": "2010-06"}


def test_noon_with_its_day(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The offer will expire at noon Friday.", "2009-05-06")
    assert [(d.text, d.value, d.type) for d in doc.dates] == [("noon Friday", "2009-05-08T12:00", "TIME")]


def test_centuries_decades_and_year_ranges(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The cathedral was built in the 19th century, restored in the 1800s and the 1990s, and again in "
                  "1998-99.", "2009-05-06")
    assert [(d.text, d.value) for d in doc.dates] == [
        ("the 19th century", "18"), ("the 1800s", "18"), ("the 1990s", "199"), ("1998", "1998"), ("99", "1999")]


def test_vague_periods_around_the_story(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Shares fell in the weeks before the merger, and analysts expect swings in the weeks ahead.",
                  "2009-05-06")
    assert values(doc) == {"the weeks": "PAST_REF", "the weeks ahead": "FUTURE_REF"}


def test_an_explicit_year_sets_the_story_time_of_its_sentence(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("In 2003, sales fell in March and recovered in the fourth quarter. Profit rose in March.",
                  "2009-05-06")
    assert [(d.text, d.value) for d in doc.dates] == [
        ("2003", "2003"), ("March", "2003-03"), ("the fourth quarter", "2003-Q4"), ("March", "2009-03")]


def test_a_year_naming_a_thing_does_not_move_the_story(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The index had its worst week since the 1987 crash in October.", "2008-10-11")
    assert values(doc)["October"] == "2008-10"


def test_now_as_a_conjunction_and_at_the_time(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("At the time, the bank said it had enough capital. Now that the deal is done, prices will rise now.",
                  "2009-05-06")
    assert [(d.text, d.value) for d in doc.dates] == [("the time", "PAST_REF"), ("now", "PRESENT_REF")]


def test_present_tense_weekday_is_the_nearest(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The offer expires Friday. The council met Friday.", PUBLISHED)  # a Wednesday
    assert [d.value for d in doc.dates] == ["2023-03-17", "2023-03-10"]


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 7),
       st.sampled_from([PAST, FUTURE, "present", None]))
def test_a_weekday_lies_within_a_week_of_the_publication(day: date, weekday: int, tense: str | None) -> None:
    from newsgraph.dates import weekday_date

    found = weekday_date(day, weekday, "", tense)
    assert found.isoweekday() == weekday
    assert abs((found - day).days) <= 6
    if tense == PAST:
        assert found <= day
    if tense == FUTURE:
        assert found >= day


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.sampled_from(["Q", "M", "H", "Y"]))
def test_a_period_a_year_back_keeps_its_granularity(day: date, gran: str) -> None:
    from newsgraph.dates import coarsen, shift_years

    period = coarsen(Period("D", day), gran)
    back = shift_years(period, -1)
    assert back.gran == gran
    assert format_period(back)[4:] == format_period(period)[4:]
    assert int(format_period(back)[:4]) == day.year - 1


def test_financial_periods_written_as_adjectives(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Third-quarter net income fell, and first-half profit rose; last year's fourth quarter was strong.",
                  "1989-10-25")
    assert values(doc) == {"Third-quarter": "1989-Q3", "first-half": "1989-H1", "last year's fourth quarter": "1988-Q4"}


def test_a_half_of_something_else_is_no_date(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The first half of the game was dull and the team lost in the quarter finals, but debt will be cut "
                  "by year-end.", "2009-02-25")
    assert values(doc) == {"year-end": "2009"}


def test_part_of_the_story_day(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("On Tuesday, shares rose in morning trading before falling.", PUBLISHED)
    assert values(doc) == {"Tuesday": "2023-03-14", "morning": "2023-03-14TMO"}


def test_the_fiscal_year_with_its_end(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Sales rose 4% in the fiscal year ended June 30; the fiscal year is a burden.", "1989-03-01")
    assert [(d.text, d.value) for d in doc.dates] == [("the fiscal year", "1988"), ("June 30", "1988-06-30")]


def test_progressive_and_would_put_a_weekday_ahead(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The council is meeting on Friday. The mayor said the bridge would reopen on Monday.", "2023-03-18")
    assert [d.value for d in doc.dates] == ["2023-03-24", "2023-03-20"]


ORDINAL_WORDS = ["first", "second", "third", "fourth"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1950, 2090), st.integers(1, 4), st.integers(1, 12),
       st.dates(min_value=date(1980, 1, 1), max_value=date(2060, 12, 31)))
def test_financial_periods_parse_to_their_quarter_and_year(analyze, year: int, quarter: int, month: int,  # type: ignore[no-untyped-def]
                                                           published: date) -> None:
    text = (f"Profit rose in fiscal {year}'s {ORDINAL_WORDS[quarter - 1]} quarter and in fiscal {year}, "
            f"while the {MONTH_NAMES[month - 1]} quarter was weak.")
    found = [(d.text, d.value) for d in analyze(text, published.isoformat()).dates]
    assert found[0] == (f"fiscal {year}'s {ORDINAL_WORDS[quarter - 1]} quarter", f"{year}-Q{quarter}")
    assert found[1] == (f"fiscal {year}", str(year))
    assert found[2][0] == f"the {MONTH_NAMES[month - 1]} quarter"
    assert found[2][1].endswith(f"-Q{(month - 1) // 3 + 1}")


def test_a_year_in_a_relative_clause_does_not_set_the_story_time(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The firm, which was founded in 1998, said in March that it would hire. "
                  "In 2003, the firm said it had cut jobs in March.", "2009-05-06")
    assert [(d.text, d.value) for d in doc.dates] == [("1998", "1998"), ("March", "2009-03"), ("2003", "2003"),
                                                      ("March", "2003-03")]


def test_today_meaning_nowadays(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Young people in today's world read less. Today's announcement came early.", PUBLISHED)
    assert [(d.text, d.value) for d in doc.dates] == [("today", "PRESENT_REF"), ("Today", "2023-03-15")]


def test_a_bare_half_is_a_half_year_where_money_is_written(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Profit rose 5% in the second half. He tweeted during the first half of the debate and again "
                  "during the second half.", "2016-02-10")
    assert [(d.text, d.value) for d in doc.dates] == [("the second half", "2015-H2")]


def test_years_later_count_from_the_year_written(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The party won the state in 2008 but lost it four years later.", "2016-03-01")
    assert values(doc) == {"2008": "2008", "four years later": "2012"}


def test_the_quarter_after_the_day_of_the_report(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("The company said yesterday that profit in the quarter fell.", "1989-10-26")
    assert values(doc) == {"yesterday": "1989-10-25", "the quarter": "1989-Q3"}


def test_a_fiscal_year_is_no_story_time_for_calendar_months(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("In fiscal 1990, which began Oct. 1, the company expects sales to rise.", "1989-10-26")
    assert values(doc) == {"fiscal 1990": "1990", "Oct. 1": "1989-10-01"}


def test_the_year_quarter_is_the_story_quarter_in_that_year(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze("Net income in the third quarter rose to $5 million from $4 million in the 1988 quarter. "
                  "Sales in the quarter rose too.", "1989-10-26")
    assert [(d.text, d.value) for d in doc.dates] == [("the third quarter", "1989-Q3"), ("the 1988 quarter", "1988-Q3"),
                                                      ("the quarter", "1989-Q3")]
