"""TIMEX3 values on the calendar."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from newsgraph.timex import timex_start


def test_timex_start_puts_values_on_a_timeline() -> None:
    assert timex_start("2022-W16") == date(2022, 4, 18)
    assert timex_start("2022-W16-WE") == date(2022, 4, 23)
    assert timex_start("2022-Q2") == date(2022, 4, 1)
    assert timex_start("2022-04") == date(2022, 4, 1)
    assert timex_start("2021") == date(2021, 1, 1)
    assert timex_start("PRESENT_REF") is None and timex_start("XXXX-04-26") is None


def test_impossible_calendar_values_have_no_start() -> None:
    assert timex_start("2022-02-30") is None and timex_start("2022-W60") is None


@given(st.text(max_size=30))
def test_any_string_gives_a_date_or_none(value: str) -> None:
    assert timex_start(value) is None or isinstance(timex_start(value), date)


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_day_value_starts_on_that_day(day: date) -> None:
    assert timex_start(day.isoformat()) == day
