"""Calendar values without the NLP stack: TIMEX3 values on the calendar and YYYY-MM-DD dates checked; the store,
exports, readers and the command line import this."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}  # the month a season's value starts in (spring: March)

_TIMEX_START = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2}))?|W(?P<w>\d{1,2})(?:-(?P<wd>\d|WE))?|Q(?P<q>[1-4])|H(?P<h>[12])"
    r"|(?P<s>SP|SU|FA|WI)))?"
)


def timex_start(value: str) -> date | None:
    """The first day a TIMEX3 value covers (2022-W16 -> 2022-04-18), for putting dates on a timeline;
    None for values with no calendar position (PRESENT_REF, XXXX-04-26)."""
    m = _TIMEX_START.match(value)
    if m is None:
        return None
    year = int(m["y"])
    try:
        if m["w"]:
            day = {"WE": 6}.get(m["wd"] or "", int(m["wd"]) if m["wd"] and m["wd"].isdigit() else 1)
            return date.fromisocalendar(year, int(m["w"]), day)
        if m["q"]:
            return date(year, 3 * int(m["q"]) - 2, 1)
        if m["h"]:
            return date(year, 1 if m["h"] == "1" else 7, 1)
        if m["s"]:
            return date(year, SEASON_START[m["s"]], 1)
        return date(year, int(m["m"] or 1), int(m["d"] or 1))
    except ValueError:
        return None


def parse_date(value: str) -> str:
    """Validate a YYYY-MM-DD date and return it unchanged."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def date_or_none(value: object) -> str | None:
    """The YYYY-MM-DD date that a timestamp from a page or an archive starts with, or None."""
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value.strip()[:10])
    except ValueError:
        return None


DatePrecision = Literal["day", "month", "year", "fuzzy"]
_DAY_VALUE = re.compile(r"^\d{4}-(?:\d{2}-\d{2}|W\d{1,2}-\d)(?:T|$)")
_MONTH_VALUE = re.compile(r"\d{4}-\d{2}")
_YEAR_VALUE = re.compile(r"\d{4}")


def timex_precision(value: str) -> DatePrecision:
    """How precisely a TIMEX3 value places a date: a day (2022-04-26, also with a time), a month (2022-04), a
    year (2022), or fuzzy: a week, weekend, quarter, half, season, decade or century, a reference such as
    PAST_REF ("recently"), or a partly unknown date (XXXX-04-26)."""
    if _DAY_VALUE.match(value):
        return "day"
    if _MONTH_VALUE.fullmatch(value):
        return "month"
    if _YEAR_VALUE.fullmatch(value):
        return "year"
    return "fuzzy"
