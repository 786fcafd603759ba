"""Dates: every date and time an article writes, resolved to a TIMEX3-style calendar value.

The `newsgraph_dates` component is a rule-based normaliser in the manner of HeidelTime: a set of
precompiled patterns built from `data/date_words.tsv` finds the expressions English news uses
("April 26", "last month", "over the weekend", "the first quarter of 2009", "two weeks ago",
"18:00 UTC", "recently"), the longest non-overlapping matches are kept, and each is resolved in
text order:

- explicit dates keep the calendar value they write (`February 24, 1955` -> 1955-02-24);
- deictic ones ("yesterday", "last week", "this year") are resolved against the publication date
  (`newsgraph.docinfo.published_of`), as news is written from the day it appears;
- underspecified ones ("Friday", "April 25", "in October", "the fourth quarter") take the
  occurrence nearest the publication date that agrees with the tense of the clause they sit in
  (read off the parse: "will", "is set to" -> ahead; a past-tense verb -> behind);
- anaphoric ones ("the same day", "the previous year", "the day", a bare clock time) are resolved
  against the last date the article wrote; so are "the quarter" and, in the unit of the period just
  written, "a year earlier", "the year-earlier quarter" (the third quarter's "a year earlier" is the
  third quarter of the year before), which are comparisons and leave the story where it was;
- the story's reference time moves with the text: a date written with its year that times its
  clause ("In 2003, sales fell in March", not "the 1987 crash") is the year an underspecified date
  of the same sentence is read in, instead of the publication's.

Financial periods are valued as TimeML values them: "fiscal 2019" and "the 2019 fiscal year" as the
year, "the June quarter" as the quarter that month ends, "first-half profit" as the current or last
half year. Fuzzy words (PRESENT_REF, PAST_REF, FUTURE_REF) are output only in temporal positions
("later revealed", not "later than"; "now", not "now that").

The spaCy NER's entities are consulted where a pattern alone is ambiguous (is a bare "2008" a year
or a count, a lone "May" a month?); the patterns decide what can be normalised, so durations
("three years"), sets ("every week"), ages and amounts the NER also labels DATE are not output.
Without a publication date the parts that need one are left as X (`XXXX-04-26`, `XXXX-WXX`).
Results go to `doc._.dates` as `DateRef` records with character offsets into the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsgraph.docinfo import published_of, text_of
from newsgraph.lexicons import table
from newsgraph.plain import set_plain_extension
from newsgraph.records import DateRef
from newsgraph.timex import SEASON_START

set_plain_extension("dates")

PAST, PRESENT, FUTURE = "past", "present", "future"
# The present perfect reports the past ("has filed on Monday") but runs on into the present
# ("has kept the markets closed until Friday").
PERFECT = "perfect"
# A bare past participle reports the past ("figures released Friday") unless a date bounds it
# from ahead ("markets kept closed until Friday").
PARTICIPLE = "participle"
NO_TENSE = "none"
# An article's date may be a day or two off the day it was written (time zones, late publishing):
# a past-tense "April 27" in an article of April 26 is still this year's.
SLACK = timedelta(days=2)

# Function words of the grammar (not lexicon entries): auxiliaries and heads that put a clause ahead.
FUTURE_AUX = frozenset({"will", "'ll", "wo", "shall", "would", "may", "might", "should", "must"})
FUTURE_HEADS = frozenset(
    {"plan", "expect", "schedule", "set", "due", "aim", "intend", "hope", "prepare", "promise", "vow", "pledge",
     "go", "threaten", "want", "seek", "propose", "slate", "be", "need", "agree", "decide"}
)
# Verbs whose dates lie ahead whatever their tense ("a hearing has been scheduled for June 3").
SCHEDULE_VERBS = frozenset({"schedule", "slate", "plan", "expect"})
# Words before a bare year, month name or decade that make it a date rather than a number or a word.
DATE_CONTEXT = frozenset(
    {"in", "since", "by", "until", "till", "from", "to", "of", "before", "after", "during", "between", "and", "or",
     "through", "throughout", "early", "late", "mid", "last", "next", "this", "the", "end", "beginning", "start",
     "middle", "fiscal", "circa", "around", "spring", "summer", "autumn", "fall", "winter", "year", "'s", "as"}
)
QUANTITY_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
NAME_LABELS = frozenset({"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "LAW"})
UNIT_WORDS = frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades",
                        "few", "several", "couple", "hour", "hours", "minute", "minutes"})


# --- the lexicon -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateWords:
    """`data/date_words.tsv` by kind; keys as written (months, weekdays) or lower-cased (the rest)."""

    months: dict[str, int]
    month_abbrs: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, str]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    refs: dict[str, str]
    reldays: dict[str, int]
    dayparts: dict[str, str]
    timezones: dict[str, str]
    holidays: dict[str, str]
    decades: dict[str, int]
    named_day_words: frozenset[str]
    ambiguous_months: frozenset[str]

    def month(self, word: str) -> int:
        word = word.rstrip(".")
        return self.months.get(word) or self.month_abbrs[word]

    def number(self, word: str) -> int | None:
        word = " ".join(word.lower().split())
        return int(word) if word.isdigit() else self.numbers.get(word)


@cache
def date_words(name: str = "date_words.tsv") -> DateWords:
    kinds: dict[str, dict[str, str]] = {}
    for row in table(name):
        kinds.setdefault(row["kind"], {})[row["word"]] = row["value"]

    def lower(kind: str) -> dict[str, str]:
        return {k.lower(): v for k, v in kinds.get(kind, {}).items()}

    def ints(values: dict[str, str]) -> dict[str, int]:
        return {k: int(v) for k, v in values.items()}

    return DateWords(
        months=ints(kinds["month"]),
        month_abbrs=ints(kinds["month_abbr"]),
        weekdays=ints(kinds["weekday"]),
        seasons=lower("season"),
        numbers=ints(lower("number")),
        ordinals=ints(lower("ordinal")),
        refs=lower("ref"),
        reldays=ints(lower("relday")),
        dayparts=lower("daypart"),
        timezones=kinds.get("timezone", {}),
        holidays=kinds.get("holiday", {}),
        decades=ints(lower("decade")),
        named_day_words=frozenset(kinds.get("named_day", {})),
        ambiguous_months=frozenset(kinds.get("ambiguous", {})),
    )


# --- calendar values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A stretch of the calendar: its granularity and first day.

    gran: D day, W ISO week, WE weekend (start = the Saturday), M month, Q quarter, H half year,
    S season (label SP/SU/FA/WI), Y year, E decade, C century.
    """

    gran: str
    start: date
    label: str = ""


def add_months(day: date, n: int) -> date:
    """The first of the month `n` months from `day`'s month."""
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def period_end(p: Period) -> date:
    months = {"M": 1, "Q": 3, "H": 6, "S": 3, "Y": 12, "E": 120, "C": 1200}
    if p.gran in months:
        return add_months(p.start, months[p.gran]) - timedelta(days=1)
    return p.start + timedelta(days={"D": 0, "W": 6, "WE": 1}[p.gran])


def format_period(p: Period) -> str:
    y, m = p.start.year, p.start.month
    if p.gran == "D":
        return p.start.isoformat()
    if p.gran in ("W", "WE"):
        iso = p.start.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}" + ("-WE" if p.gran == "WE" else "")
    if p.gran == "M":
        return f"{y:04d}-{m:02d}"
    if p.gran == "Q":
        return f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if p.gran == "H":
        return f"{y:04d}-H{1 if m <= 6 else 2}"
    if p.gran == "S":
        return f"{y:04d}-{p.label}"
    if p.gran == "E":
        return f"{y // 10:03d}"
    if p.gran == "C":
        return f"{y // 100:02d}"
    return f"{y:04d}"


def shift(p: Period, n: int) -> Period:
    """The period `n` units of its own granularity later (earlier when n < 0)."""
    if p.gran in ("D", "W", "WE"):
        return Period(p.gran, p.start + timedelta(days=n * (1 if p.gran == "D" else 7)), p.label)
    months = {"M": 1, "Q": 3, "H": 6, "S": 12, "Y": 12, "E": 120, "C": 1200}[p.gran]
    return Period(p.gran, add_months(p.start, n * months), p.label)


def shift_years(p: Period, n: int) -> Period:
    """The same period `n` years later (the same month or quarter a year ago)."""
    if p.gran in ("D", "W", "WE"):
        try:
            return Period("D", p.start.replace(year=p.start.year + n))
        except ValueError:  # 29 February
            return Period("D", p.start.replace(year=p.start.year + n, day=28))
    return Period(p.gran, add_months(p.start, 12 * n), p.label)


def week_of(day: date) -> Period:
    return Period("W", day - timedelta(days=day.isoweekday() - 1))


def quarter_of(day: date) -> Period:
    return Period("Q", date(day.year, (day.month - 1) // 3 * 3 + 1, 1))


def distance(p: Period, day: date) -> int:
    end = period_end(p)
    if p.start <= day <= end:
        return 0
    return min(abs((p.start - day).days), abs((end - day).days))


def by_tense(make: Callable[[int], Period | None], dct: date, tense: str | None) -> Period | None:
    """The occurrence of a yearless date (built by `make(year)`) that the tense points to.

    Past: the latest one begun by the publication date; future: the first not yet over; otherwise
    (present tense, no verb) the nearest one, as news mostly writes of the days around it.
    """
    options = [p for y in (dct.year - 1, dct.year, dct.year + 1) if (p := make(y)) is not None]
    if not options:
        return None
    if tense == PAST:
        begun = [p for p in options if p.start <= dct + SLACK]
        if begun:
            return max(begun, key=lambda p: p.start)
    elif tense == FUTURE:
        ahead = [p for p in options if period_end(p) >= dct - SLACK]
        if ahead:
            return min(ahead, key=lambda p: p.start)
    return min(options, key=lambda p: (distance(p, dct), p.start.year != dct.year))


def weekday_date(dct: date, weekday: int, rel: str, tense: str | None) -> date:
    """The date of a weekday named from `dct`: 'last Friday', 'next Friday', or a bare 'Friday'
    taken as the one before in past or present-tense text and the one after in future text."""
    back = (dct.isoweekday() - weekday) % 7
    ahead = (weekday - dct.isoweekday()) % 7
    if rel in ("last", "this past"):
        return dct - timedelta(days=back or 7)
    if rel in ("next", "this coming"):
        return dct + timedelta(days=ahead or 7)
    if rel == "this" and tense not in (PAST, FUTURE):
        return dct + timedelta(days=weekday - dct.isoweekday())
    if tense == FUTURE:
        return dct + timedelta(days=ahead)
    if tense == PRESENT:
        # The present tense writes of the days around the publication ("the offer expires Friday", "stocks
        # are up Monday"): the nearest one.
        return dct + timedelta(days=ahead) if ahead < back else dct - timedelta(days=back)
    return dct - timedelta(days=back)


def weekend_of(dct: date, rel: str, tense: str | None) -> Period:
    """'this weekend' is the current ISO week's; 'last'/'next' the week's before/after; a bare
    'the weekend' the last one in past-tense text and the coming one in future text."""
    saturday = dct + timedelta(days=6 - dct.isoweekday())
    at_weekend = dct.isoweekday() >= 6
    if rel in ("last", "the last", "the past", "this past", "the previous"):
        saturday -= timedelta(days=7)
    elif rel == "next":
        saturday += timedelta(days=7)
    elif rel in ("the", "over the") and tense != FUTURE and not at_weekend:
        saturday -= timedelta(days=7)
    return Period("WE", saturday)


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday: Meeus's Julian algorithm, moved to the Gregorian calendar
    (13 days on, valid 1900-2099)."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    return date(year, month, day + 1) + timedelta(days=13)


def holiday_date(rule: str, year: int) -> date | None:
    """A holiday's date in `year` from its rule in the lexicon (MM-DD, MM:N:D, easter+K, orthodox+K)."""
    if rule.startswith("easter"):
        return easter(year) + timedelta(days=int(rule[6:]))
    if rule.startswith("orthodox"):
        return orthodox_easter(year) + timedelta(days=int(rule[8:]))
    if ":" in rule:
        month, nth, weekday = (int(x) for x in rule.split(":"))
        if nth > 0:
            first = date(year, month, 1)
            return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
        last = add_months(date(year, month, 1), 1) - timedelta(days=1)
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    month, day = (int(x) for x in rule.split("-"))
    return safe_date(year, month, day)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None




def season_period(code: str, year: int) -> Period:
    return Period("S", date(year, SEASON_START[code], 1), code)


# --- what a match resolves to ------------------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    start: int
    end: int
    value: str
    relative: bool = False
    period: Period | None = None
    type: str = "DATE"
    # False for a comparison's period ("up from the year-earlier quarter"): the story stays where it was.
    moves: bool = True
    # False for a financial year: its months are not that calendar year's ("fiscal 1990, which began Oct. 1").
    sets_story: bool = True


def unknown(gran: str, known: str = "") -> str:
    """A value with the parts that need the publication date left as X."""
    return {
        "D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Y": "XXXX",
        "E": "XXX", "C": "XX", "Q": "XXXX-QX", "H": "XXXX-HX",
    }.get(gran, known or "XXXX")


# --- the patterns ------------------------------------------------------------------------------

WORD_BEFORE = re.compile(r"([\w']+)\W*$")
WORD_AFTER = re.compile(r"\W*([\w']+)")
WB = r"(?<![\w-])"  # a word starts here
WE = r"(?![\w-])"  # a word ends here
YEAR_START = r"(?<![\w$€£¥#/.,:+-])"
YEAR_END = r"(?![\w%/]|[.,:]\d|-\d)"


def alternation(words: Iterable[str], flags: str = "") -> str:
    """A regex group matching any of `words`, longest first, any run of spaces between words."""
    parts = sorted(set(words), key=len, reverse=True)
    # Typographic apostrophes are as common as straight ones in news text.
    body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in parts).replace("'", "['’]")
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


Handler = Callable[["Scan", "re.Match[str]"], list[Resolved]]
Gate = Callable[["Scan", "re.Match[str]"], bool]


@dataclass(frozen=True)
class Rule:
    name: str
    regex: re.Pattern[str]
    handler: Handler
    gate: Gate | None = None
    # Strings at least one of which any match contains (lower-case unless `cased`): a rule whose
    # triggers are all absent from an article is not run on it (most name no quarter or holiday).
    triggers: tuple[str, ...] = ()
    cased: bool = False


def year_group(name: str) -> str:
    return YEAR_START + rf"(?P<{name}>1[0-9]{{3}}|20[0-9]{{2}})" + YEAR_END


def pattern_parts(w: DateWords) -> dict[str, str]:
    """The named building blocks every rule is written with."""
    month = alternation(w.months)
    abbr = alternation(w.month_abbrs) + r"\.?"
    weekday = alternation(w.weekdays)
    return {
        "MONTH": month,
        "ANYMONTH": f"(?:{month}|{abbr})",
        "WEEKDAY": weekday,
        "LEADWD": rf"(?:{weekday}(?:,\s*|\s+))?",
        "DAY": r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\w|[.,:]\d)",
        "NUM": r"(?P<num>\d{1,3}|" + alternation(w.numbers, "i") + r"|(?i:a\s+few|several|some|many))",
        "PART": alternation(w.dayparts, "i"),
        "TZ": alternation(w.timezones),
        "SEASON": alternation(w.seasons, "i"),
        "ORD": alternation(w.ordinals, "i"),
        "REF": alternation(w.refs, "i"),
        "RELDAY": alternation(w.reldays, "i"),
        "HOLIDAY": alternation(w.holidays),
        "DECADEWORD": alternation(w.decades, "i"),
    }


def rule_specs() -> list[tuple[str, str, Handler, Gate | None]]:
    """(name, pattern template, handler, gate); templates use the blocks of `pattern_parts`."""
    return [
        ("mdy", WB + r"(?P<lead>{LEADWD})(?P<month>{ANYMONTH})\s+{DAY}(?:,\s*|\s+)" + year_group("year"),
         Scan.explicit_day, None),
        ("dmy", WB + r"(?P<lead>{LEADWD})(?:the\s+)?{DAY}(?:\s+of)?\s+(?P<month>{ANYMONTH}),?\s+" + year_group("year"),
         Scan.explicit_day, None),
        ("iso", WB + r"(?P<year>1[0-9]{3}|20[0-9]{2})-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)",
         Scan.explicit_day, None),
        ("slash", WB + r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\w/]|\.\d)",
         Scan.numeric_day, None),
        ("md", WB + r"(?P<lead>{LEADWD})(?P<month>{ANYMONTH})\s+{DAY}", Scan.month_day, None),
        ("dm", WB + r"(?P<lead>{LEADWD})(?:the\s+)?{DAY}(?:\s+of)?\s+(?P<month>{ANYMONTH})" + WE,
         Scan.month_day, None),
        ("my", WB + r"(?P<mod>(?i:early|late|mid)[\s-]+)?(?P<month>{ANYMONTH}),?\s+(?:of\s+)?" + year_group("year"),
         Scan.month_year, None),
        ("month", WB + r"(?P<mod>(?i:mid)-|(?i:early|late|mid|the\s+(?:beginning|start|end|middle)\s+of)\s+)?"
         r"(?:(?P<rel>(?i:last|next|this|this\s+past|this\s+coming))\s+)?(?P<month>{MONTH})" + WE
         + r"(?:\s+of\s+(?P<ofyear>(?P<ry>(?i:this|last|next))\s+year))?", Scan.month, Scan.month_gate),
        ("nthweek", WB + r"(?i:the)\s+(?P<ord>{ORD})\s+(?i:week)\s+of\s+(?P<month>{MONTH})(?:,?\s+" + year_group("year")
         + ")?", Scan.nth_week, None),
        ("weekday", WB + r"(?:(?P<rel>(?i:last|next|this\s+past|this\s+coming|this|early|late|earlier|later))\s+)?"
         r"(?P<wd>{WEEKDAY})" + WE + r"(?:\s+(?P<part>{PART})" + WE + ")?", Scan.weekday, Scan.weekday_gate),
        ("relday", WB + r"(?:(?P<mod>(?i:earlier|later|early|late))\s+)?(?P<rd>{RELDAY})" + WE
         + r"(?:\s+(?P<part>{PART})" + WE + ")?", Scan.relday, Scan.not_in_name),
        ("daypart", WB + r"(?P<rel>(?i:this|last))\s+(?P<part>{PART})" + WE, Scan.daypart, None),
        # A part of the story's day: "in morning trading", "late afternoon trading", "in the evening".
        ("storypart", WB + r"(?:(?:(?i:early|late|mid)[\s-]+)?(?P<part>(?i:morning|afternoon|evening))"
         r"(?=\s+(?i:trading|session|deals|dealings|rush|hours)\b)|(?<=\b[Ii]n\s)(?i:the)\s+(?P<part2>(?i:morning|afternoon|evening))"
         r"(?!\s+(?i:of|after|before|paper|papers|news|show|edition)\b))" + WE, Scan.story_daypart, None),
        ("relunit", WB + r"(?:(?P<mod>(?i:earlier|later|early|late|mid|the\s+(?:beginning|start|end|middle)\s+of))\s+)?"
         r"(?P<rel>(?i:last|next|this\s+past|this\s+coming|this|the\s+past|the\s+last|the\s+coming|the\s+current|"
         r"the\s+previous|past|coming))\s+(?P<unit>(?i:week|weekend|month|year|quarter|decade|century))" + WE,
         Scan.relative_unit, None),
        ("theunit", WB + r"(?P<mod>(?i:the\s+(?:beginning|start|end|middle)\s+of|(?:early|late)\s+in))\s+"
         r"(?i:the)\s+(?P<unit>(?i:year|month|week|day))" + WE, Scan.the_unit, Scan.not_idiom),
        # "later in the day" is left to "later" and "the day", as TimeML annotates it.
        ("laterin", WB + r"(?P<mod>(?i:earlier|later)\s+in)\s+(?i:the)\s+(?P<unit>(?i:year|month|week))" + WE,
         Scan.the_unit, None),
        ("weekend", WB + r"(?P<rel>(?i:the|this|last|next|the\s+past|the\s+coming|the\s+last|the\s+previous|"
         r"this\s+past|this\s+coming))\s+(?i:weekend)" + WE, Scan.weekend, None),
        ("ago", WB + r"{NUM}[\s-]+(?P<unit>(?i:days?|weeks?|months?|years?|decades?))\s+(?P<dir>(?i:ago|from\s+now))"
         + WE,
         Scan.ago, None),
        ("later", WB + r"{NUM}[\s-]+(?P<unit>(?i:days?|weeks?|months?|years?))\s+(?P<dir>(?i:later|earlier))" + WE,
         Scan.later, None),
        ("same", WB + r"(?i:the\s+same\s+(?P<unit>day|week|month|year|quarter|period|date))" + WE
         + r"(?P<ago>\s+(?i:a\s+year\s+(?:ago|earlier|before)|last\s+year|(?:of\s+)?the\s+(?:previous|prior|last|"
         r"preceding)\s+year|the\s+year\s+before|(?:of\s+)?the\s+year\s+before))?", Scan.same, None),
        ("anaphor", WB + r"(?i:(?P<mod>(?:later|earlier)\s+)?(?P<rel>that|the\s+next|the\s+following|the\s+previous|"
         r"the\s+preceding|the\s+prior)\s+(?P<unit>day|week|month|year))" + WE, Scan.anaphor, None),
        ("dayafter", WB + r"(?i:the\s+(?P<unit>day|week|month|year)\s+(?P<dir>before|after|previous|earlier|later|"
         r"prior))" + WE, Scan.unit_before_after, None),
        ("wholeyear", WB + r"(?i:the\s+(?:entire|whole|full)\s+year)" + WE, Scan.whole_year, None),
        ("theday", WB + r"(?i:the)\s+(?i:day)" + WE + r"(?!\s+(?i:before|after)|'s\s+\w+\s+(?i:before|after))",
         Scan.the_day, Scan.not_idiom),
        ("quarter", WB + r"(?:(?i:the)\s+)?(?:(?i:fiscal|financial)\s+)?(?P<ord>{ORD}|(?i:current|previous|prior|"
         r"preceding|past|next|this))[\s-]+(?i:quarter)" + WE + r"(?:\s+(?i:of)\s+(?:(?i:fiscal\s+)?"
         + year_group("year")
         + r"|(?P<ry>(?i:this|last|next))\s+(?i:year)|(?P<theyear>(?i:the\s+year)))|,?\s+" + year_group("year2")
         + ")?", Scan.quarter, None),
        # Financial years are valued as their year, as TimeML values "fiscal 1989" (TimeBank).
        ("fiscal", WB + r"(?:(?i:the)\s+)?(?i:fiscal|financial)(?:[\s-]+(?i:year))?\s+(?:(?i:of)\s+)?"
         + year_group("year"), Scan.fiscal_year, None),
        ("fy", WB + r"FY[\s-]?(?P<fy>(?:19|20)\d\d|\d\d)" + WE, Scan.fiscal_code, None),
        ("yearfiscal", WB + r"(?:(?i:the)\s+)?" + year_group("year") + r"\s+(?i:fiscal|financial)\s+(?i:year)" + WE,
         Scan.fiscal_year, None),
        ("fiscalrel", WB + r"(?P<rel>(?i:the\s+current|the\s+previous|the\s+prior|the\s+next|the\s+coming|the\s+last|"
         r"the\s+same|this|last|next))\s+(?i:fiscal|financial)\s+(?i:year)" + WE, Scan.fiscal_relative, None),
        # A bare "the fiscal year" is a date when its end is written ("the fiscal year ended June 30").
        ("fiscalended", WB + r"(?i:the)\s+(?i:fiscal|financial)\s+(?i:year)"
         r"(?=\s+end(?:ed|ing|s)\s+(?P<emonth>{ANYMONTH})(?:\s+(?:3[01]|[12]\d|0?[1-9])(?!\d))?"
         r"(?P<eyear>,?\s+(?:1[0-9]{3}|20[0-9]{2})(?!\d))?)", Scan.fiscal_ended, None),
        ("yearpart", WB + r"(?:(?i:the)\s+)?(?:(?i:fiscal)\s+)?(?P<year>1[0-9]{3}|20[0-9]{2})(?:['’]s)?\s+"
         r"(?:(?i:fiscal)\s+)?"
         r"(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th|final|last))[\s-]+(?P<unit>(?i:quarter|half))" + WE,
         Scan.year_part, None),
        # "the 1988 quarter", "the 1988 period": the period the story is on, in that year (a comparison)
        ("yearperiod", WB + r"(?:(?i:the)\s+)?" + year_group("year") + r"\s+(?P<unit>(?i:quarter|period|half))" + WE,
         Scan.year_period, None),
        ("thequarter", WB + r"(?P<det>(?i:the|that))\s+(?:(?P<which>(?i:latest|most\s+recent|same)|"
         r"(?P<qmonth>{ANYMONTH}))\s+)?quarter" + WE
         + r"(?!\s+(?i:of|century|mile|point|finals?|backs?|master|horse|pounder|inch)\b)"
         r"(?=\s+end(?:ed|ing)\s+(?P<emonth>{ANYMONTH})"
         r"\s+(?:3[01]|[12]\d|0?[1-9])(?!\d))?", Scan.the_quarter, None),
        ("yearago", WB + r"(?:(?P<det>(?i:the|a|that))\s+)?(?P<ya>(?i:year)-(?i:earlier|ago))(?:\s+(?P<ord>(?i:first|"
         r"second|third|fourth|1st|2nd|3rd|4th))?\s*(?P<unit>(?i:quarter|period|month|half|week)))?" + WE,
         Scan.year_earlier, None),
        ("monthrel", WB + r"(?P<month>{MONTH})\s+(?P<ry>(?i:this|last|next))\s+(?i:year)" + WE, Scan.month_this_year,
         None),
        # Vague stretches around the story's time: "in the weeks before", "the months ahead", "coming days".
        ("vague", WB + r"(?i:the)\s+(?P<unit>(?i:days|weeks|months|years))(?:\s+(?P<ahead>(?i:ahead|to\s+come)))?" + WE
         + r"(?P<signal>\s+(?i:before|after|since|prior\s+to|following|leading\s+up\s+to|preceding)(?![\w-]))?",
         Scan.vague, None),
        ("coming", WB + r"(?:(?i:the)\s+)?(?i:coming|upcoming)\s+(?i:days|weeks|months|years)" + WE, Scan.future_ref,
         None),
        ("atthetime", r"(?<=\b[Aa]t\s)(?i:the|that)\s+time" + WE
         + r"(?!\s+(?i:of|when|that|being|which|for|to)\b)", Scan.at_the_time, None),
        ("qn", WB + r"Q(?P<q>[1-4])" + WE + r"(?:\s+" + year_group("year") + ")?", Scan.quarter_code, None),
        ("yq", year_group("year") + r"\s+Q(?P<q>[1-4])" + WE, Scan.quarter_code, None),
        ("half", WB + r"(?:(?i:the)\s+)?(?:(?i:fiscal)\s+)?(?P<ord>(?i:first|second|1st|2nd|latter))[\s-]+(?i:half)"
         r"(?:\s+(?i:of)\s+(?:" + year_group("year") + r"|(?P<ry>(?i:this|last|next))\s+(?i:year)|(?i:the\s+year)))?"
         + WE + r"(?!\s+(?i:of)\b)", Scan.half, None),
        # "this year's third quarter", "last year's first half" (HeidelTime's date_r11a)
        ("relyearpart", WB + r"(?P<ry>(?i:this|last|next))\s+(?i:year)['’]s\s+"
         r"(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th|final|last))[\s-]+"
         r"(?P<unit>(?i:quarter|half))" + WE, Scan.year_part, None),
        ("yearend", WB + r"(?:(?P<ry>(?i:this|last|next))\s+)?(?i:year)[\s-](?i:end)" + WE, Scan.year_end, None),
        ("yrange", YEAR_START + r"(?P<y1>1[0-9]{3}|20[0-9]{2})\s*[-–]\s*(?P<y2>\d{4}|\d{2})(?![\w%]|[.,:]\d)",
         Scan.year_range, None),
        ("year", r"(?:(?<![\w-])(?P<mod>(?i:mid)-|(?i:early|late|mid|the\s+(?:beginning|start|end|middle)\s+of)\s+))?"
         r"(?(mod)|" + YEAR_START + r")(?P<year>1[0-9]{3}|20[0-9]{2})" + YEAR_END, Scan.year, Scan.year_gate),
        ("yy", r"(?<![\w'’])['’](?P<yy>\d\d)(?![\w'’])", Scan.short_year, Scan.short_year_gate),
        ("decade", WB + r"(?:(?P<the>(?i:the))\s+)?(?:(?P<mod>(?i:early|late|mid))[\s-]+)?"
         r"(?P<dec>(?:1[0-9]|20)[0-9]0|['’]?[0-9]0)['’]?s(?!\w)", Scan.decade, Scan.decade_gate),
        ("decadeword", WB + r"(?i:the)\s+(?:(?i:early|late|mid)[\s-]+)?(?P<dw>{DECADEWORD})" + WE,
         Scan.decade_word, None),
        ("century", WB + r"(?i:the)\s+(?:(?i:early|mid|late)[\s-]+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<ord>{ORD}))"
         r"[\s-]+(?i:century)" + WE,
         Scan.century, None),
        ("season", WB + r"(?:(?P<rel>(?i:this\s+past|this\s+coming|this|last|next|early|late|the))\s+|"
         r"(?P<mid>(?i:mid))-)?(?P<season>{SEASON})" + WE + r"(?:\s+(?:of\s+)?" + year_group("year") + ")?",
         Scan.season, Scan.season_gate),
        ("holiday", WB + r"(?:(?P<rel>(?i:last|next|this))\s+)?(?P<hol>{HOLIDAY})" + WE + r"(?:,?\s+"
         + year_group("year") + ")?", Scan.holiday, None),
        ("clock", WB + r"(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?!\d|:\d)(?:\s*(?P<ap>(?i:a\.m\.|p\.m\.|am|pm)(?!\w)))?"
         r"(?P<tz>\s*{TZ}(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?|\s*\(\s*{TZ}\s*(?:[+-]\s*\d{1,2}(?::?\d\d)?)?\s*\))?"
         r"(?:,?\s+(?P<dayword>{RELDAY}|{WEEKDAY})" + WE + ")?", Scan.clock, None),
        ("ampm", WB + r"(?P<h>1[0-2]|0?[1-9])\s*(?P<ap>(?i:a\.m\.|p\.m\.|am|pm))(?!\w)"
         r"(?P<tz>\s*{TZ}|\s*\(\s*{TZ}\s*(?:[+-]\s*\d{1,2})?\s*\))?"
         r"(?:,?\s+(?P<dayword>{RELDAY}|{WEEKDAY})" + WE + ")?", Scan.clock, None),
        ("military", WB + r"(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?P<tz>{TZ}|(?i:hours|hrs))" + WE, Scan.clock, None),
        ("noon", WB + r"(?:(?P<daybefore>{WEEKDAY}|{RELDAY})\s+)?(?P<word>(?i:noon|midday|midnight))" + WE
         + r"(?:\s+(?P<dayword>{RELDAY}|{WEEKDAY})" + WE + ")?", Scan.clock, None),
        ("ref", WB + r"(?P<ref>{REF})" + WE, Scan.reference, Scan.reference_gate),
        ("current", r"(?<=\b[Tt]he\s)(?P<cur>current)(?=\s+(?!account|affairs)\w)", Scan.current_word, None),
        ("recent", WB + r"(?P<rec>(?i:recent))(?:\s+(?i:years|months|weeks|days|decades|times)|\s+(?:\S+\s+)?"
         r"(?i:history))?" + WE, Scan.recent, None),
    ]


@cache
def rules(lexicon: str = "date_words.tsv") -> tuple[Rule, ...]:
    """All rules, compiled once per process."""
    parts = pattern_parts(date_words(lexicon))
    words = date_words(lexicon)

    def fill(template: str) -> str:
        # {NAME} names a building block; other braces are regex repetition counts.
        return re.sub(r"\{([A-Z]+)\}", lambda b: parts[b.group(1)], template)

    return tuple(Rule(name, re.compile(fill(template)), handler, gate, *rule_triggers(name, words))
                 for name, template, handler, gate in rule_specs())


RULE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "nthweek": ("week",), "weekday": ("day",), "relday": ("today", "tonight", "yesterday", "tomorrow"),
    "daypart": ("morning", "afternoon", "evening", "night"), "weekend": ("weekend",),
    "storypart": ("morning", "afternoon", "evening"),
    "relunit": ("week", "month", "year", "quarter", "decade", "century"), "theunit": ("year", "month", "week", "day"),
    "laterin": ("earlier in", "later in"),
    "ago": ("ago", "from now"), "later": ("later", "earlier"), "same": ("same",),
    "anaphor": ("day", "week", "month", "year"),
    "dayafter": ("day", "week", "month", "year"), "wholeyear": ("year",), "theday": ("day",), "quarter": ("quarter",),
    "qn": ("q1", "q2", "q3", "q4"), "yq": ("q1", "q2", "q3", "q4"), "half": ("half",), "yy": ("'", "’"),
    "decade": ("0s", "0's", "0’s"), "decadeword": ("ties",), "century": ("century",), "clock": (":",),
    "ampm": ("am", "pm", "a.m", "p.m"), "noon": ("noon", "midday", "midnight"), "current": ("current",),
    "recent": ("recent",), "fiscal": ("fiscal", "financial"), "fy": ("FY",), "yearfiscal": ("fiscal", "financial"),
    "fiscalrel": ("fiscal", "financial"), "yearpart": ("quarter", "half"), "thequarter": ("quarter",),
    "yearago": ("year-",), "monthrel": ("year",), "vague": ("days", "weeks", "months", "years"),
    "coming": ("coming",), "atthetime": ("time",), "relyearpart": ("year's", "year’s"), "yearend": ("end",),
    "fiscalended": ("fiscal", "financial"), "yearperiod": ("quarter", "period", "half"),
}
MONTH_RULES = frozenset({"mdy", "dmy", "md", "dm", "my", "month", "nthweek"})


def rule_triggers(name: str, words: DateWords) -> tuple[tuple[str, ...], bool]:
    """A rule's triggers and whether they are matched case-sensitively (names are capitalised)."""
    if name in MONTH_RULES:
        return (*words.months, *words.month_abbrs), True
    if name == "holiday":
        return tuple(w.split()[0] for w in words.holidays), True
    if name == "fy":
        return ("FY",), True
    if name == "military":
        return (*(w.split()[0] for w in words.timezones), "hours", "hrs"), True
    if name == "season":
        return tuple(words.seasons), False
    if name == "ref":  # the last word of each: "the time being", "very soon"
        return tuple({w.split()[-1] for w in words.refs}), False
    return RULE_TRIGGERS.get(name, ()), False


# --- one article -------------------------------------------------------------------------------


class Scan:
    """Finding and resolving the dates of one Doc."""

    def __init__(self, doc: Doc, words: DateWords, use_ner: bool = True) -> None:
        self.doc = doc
        self.text = text_of(doc)
        self.dct = published_of(doc)
        self.words = words
        self.use_ner = use_ner
        # Token start offsets for bisecting (to_array avoids making a Token object per token).
        self.token_starts = doc.to_array("IDX").tolist()
        # The last calendar period the article wrote, and its last day, for "the same day" etc.
        self.anchor: Period | None = None
        self.anchor_day: date | None = None
        self.anchor_sentence = -1
        # The story's reference time: the last date written with its year ("In 2003", "on March 3, 2003"),
        # and the sentence it was written in. It moves as the text moves; a date resolved against the
        # publication date ("yesterday", "last week") brings the story back to the present.
        self.story: Period | None = None
        self.story_sentence = -1
        self.story_verb: Token | None = None
        self.sentence_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]

    # text and tokens around a position

    def token_at(self, pos: int) -> Token | None:
        i = bisect_right(self.token_starts, pos) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def word_before(self, pos: int) -> str:
        m = WORD_BEFORE.search(self.text, max(0, pos - 40), pos)
        return m.group(1).lower() if m else ""

    def word_after(self, pos: int) -> str:
        m = WORD_AFTER.match(self.text, pos, pos + 40)
        return m.group(1).lower() if m else ""

    def ner_label(self, pos: int) -> str:
        tok = self.token_at(pos)
        return tok.ent_type_ if tok is not None and self.use_ner else ""

    # tense

    def tense(self, start: int, end: int) -> str | None:
        """The tense of the clause the expression at [start, end) belongs to, with prepositions that
        point one way ("since" behind, "until"/"by" ahead) overriding a present or missing tense."""
        tok = self.token_at(max(start, end - 1))
        found = clause_tense(tok, start, end) if tok is not None else None
        before = self.word_before(start)
        if before == "since":
            return PAST
        if before in ("until", "till") and found != PAST:
            return FUTURE
        if before in ("by", "before") and found in (None, PRESENT):
            return FUTURE
        return PAST if found in (PERFECT, PARTICIPLE) else found

    # the match's resolution, in text order

    def resolve(self, rule: Rule, m: re.Match[str]) -> list[Resolved]:
        found = rule.handler(self, m)
        for r in found:
            self.remember(r)
        return found

    def sentence_of(self, pos: int) -> int:
        return bisect_right(self.sentence_starts, pos) - 1

    def remember(self, r: Resolved) -> None:
        # "since 2002" is a starting point, not the time the story moves to.
        if r.period is None or not r.moves or self.word_before(r.start) == "since":
            return
        self.anchor = r.period
        self.anchor_sentence = self.sentence_of(r.start)
        if r.period.gran == "D":
            self.anchor_day = r.period.start
        if not r.relative and r.sets_story and self.times_a_clause(r):
            self.story, self.story_sentence = r.period, self.anchor_sentence
        elif self.dct is not None and distance(r.period, self.dct) <= 7:
            self.story = None

    def clause_verb(self, start: int, end: int) -> Token | None:
        """The verb whose clause the date at [start, end) says the time of ("In 2003, sales fell"); None
        for a date that names a thing ("the 1987 crash", "its 2003 level")."""
        tok = self.token_at(max(start, end - 1))
        if tok is None:
            return None
        verb, nominal = governing_verb(tok, start, end)
        return None if nominal else verb

    def times_a_clause(self, r: Resolved) -> bool:
        self.story_verb = self.clause_verb(r.start, r.end)
        return self.story_verb is not None

    def story_time(self, pos: int, end: int) -> Period | None:
        """The reference time an underspecified date at [pos, end) ("in March", "the third quarter") is read
        against instead of the publication date: an explicit date of another year that times the same
        clause or one that clause frames ("In 2003, sales fell in March", "In 2003, it said sales fell in
        March"; not "The firm, founded in 1998, said on March 3 ...")."""
        if self.story is None or self.dct is None or self.story_sentence != self.sentence_of(pos):
            return None
        if self.story.start.year == self.dct.year or self.story_verb is None:
            return None
        verb = self.clause_verb(pos, end)
        framed = verb is not None and (verb == self.story_verb or self.story_verb in verb.ancestors)
        return self.story if framed else None

    def recent_anchor(self, pos: int) -> Period | None:
        """The last date written, if written in this sentence or the one before (the reference a
        bare "a year earlier" or "the quarter" takes its unit from)."""
        if self.anchor is None or self.sentence_of(pos) - self.anchor_sentence > 1:
            return None
        return self.anchor

    def out(self, m: re.Match[str], period: Period | None, relative: bool, unknown_value: str = "",
            group: int | str = 0, kind: str = "DATE", suffix: str = "") -> list[Resolved]:
        start, end = m.span(group)
        if period is None:
            return [Resolved(start, end, unknown_value or unknown("D"), relative, None, kind)]
        return [Resolved(start, end, format_period(period) + suffix, relative, period, kind)]

    def yearless(self, m: re.Match[str], make: Callable[[int], Period | None], unknown_value: str,
                 group: int | str = 0) -> list[Resolved]:
        """A date written without its year: the year the tense and the publication date give."""
        if self.dct is None:
            return self.out(m, None, True, unknown_value, group)
        start, end = m.span(group)
        story = self.story_time(start, end)
        if story is not None and story.gran in ("Y", "H", "Q", "S", "M", "D", "W", "WE"):
            period = make(story.start.year)
            if period is not None:
                return self.out(m, period, True, unknown_value, group)
        period = by_tense(make, self.dct, self.tense(start, end))
        return self.out(m, period, True, unknown_value, group) if period else []

    def day_period(self, day: date | None) -> Period | None:
        return Period("D", day) if day else None

    # explicit dates

    def explicit_day(self, m: re.Match[str]) -> list[Resolved]:
        month = int(m["mon"]) if "mon" in m.re.groupindex else self.words.month(m["month"])
        day = safe_date(int(m["year"]), month, int(m["day"]))
        return self.out(m, self.day_period(day), False) if day else []

    def numeric_day(self, m: re.Match[str]) -> list[Resolved]:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if len(m["y"]) == 2:
            y += 1900 if y > (self.dct.year % 100 if self.dct else 30) + 1 else 2000
        # Slashes are month first (US usage) unless that cannot be; dots are day first.
        month, day = (a, b) if m["sep"] == "/" and a <= 12 else (b, a)
        found = safe_date(y, month, day)
        return self.out(m, self.day_period(found), False) if found else []

    def month_day(self, m: re.Match[str]) -> list[Resolved]:
        month, day = self.words.month(m["month"]), int(m["day"])
        if safe_date(2000, month, day) is None:
            return []

        def make(year: int) -> Period | None:
            return self.day_period(safe_date(year, month, day))

        return self.yearless(m, make, f"XXXX-{month:02d}-{day:02d}")

    def month_year(self, m: re.Match[str]) -> list[Resolved]:
        return self.out(m, Period("M", date(int(m["year"]), self.words.month(m["month"]), 1)), False)

    def month(self, m: re.Match[str]) -> list[Resolved]:
        month = self.words.month(m["month"])
        rel = " ".join((m["rel"] or "").lower().split())
        if m["ofyear"]:
            return self.month_of_relative_year(m, month)
        if self.dct is None:
            return self.out(m, None, True, f"XXXX-{month:02d}")
        this_year = Period("M", date(self.dct.year, month, 1))
        if rel in ("last", "this past"):
            period = this_year if month < self.dct.month else shift_years(this_year, -1)
            return self.out(m, period, True)
        if rel in ("next", "this coming"):
            period = this_year if month > self.dct.month else shift_years(this_year, 1)
            return self.out(m, period, True)
        if rel == "this":
            return self.out(m, this_year, True)
        return self.yearless(m, lambda y: Period("M", date(y, month, 1)), f"XXXX-{month:02d}")

    def month_of_relative_year(self, m: re.Match[str], month: int) -> list[Resolved]:
        """'October of next year': two expressions, the month (with that year) and the year."""
        offset = {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
        start, end = m.start(), m.end("month")
        year_start, year_end = m.span("ofyear")
        if self.dct is None:
            return [Resolved(start, end, f"XXXX-{month:02d}", True), Resolved(year_start, year_end, "XXXX", True)]
        year = self.dct.year + offset
        return [
            Resolved(start, end, f"{year:04d}-{month:02d}", True, Period("M", date(year, month, 1))),
            Resolved(year_start, year_end, f"{year:04d}", True, Period("Y", date(year, 1, 1))),
        ]

    def month_gate(self, m: re.Match[str]) -> bool:
        """A lone 'May' or 'March' is a month only after a word that introduces a date or where
        the NER says DATE ("Theresa May", "the march on Kyiv" are not)."""
        if m["month"] not in self.words.ambiguous_months or m["rel"] or m["mod"] or m["ofyear"]:
            return True
        return self.word_before(m.start()) in DATE_CONTEXT or self.ner_label(m.start("month")) == "DATE"

    def nth_week(self, m: re.Match[str]) -> list[Resolved]:
        """'the last week of March': the ISO week holding the month's 4th day (first week) or its
        4th day from the end (last week), counted on from there for second, third."""
        month = self.words.month(m["month"])
        nth = self.words.ordinals.get(" ".join(m["ord"].lower().split()), 0)
        if not 1 <= abs(nth) <= 5 and nth != -1:
            return []

        def make(year: int) -> Period | None:
            if nth == -1:
                day = add_months(date(year, month, 1), 1) - timedelta(days=4)
            else:
                day = date(year, month, 4) + timedelta(days=7 * (nth - 1))
            return week_of(day)

        if m["year"]:
            return self.out(m, make(int(m["year"])), False)
        return self.yearless(m, make, "XXXX-WXX")

    # weekdays, days, parts of days

    def weekday(self, m: re.Match[str]) -> list[Resolved]:
        wd = self.words.weekdays[m["wd"]]
        rel = " ".join((m["rel"] or "").lower().split())
        part = self.words.dayparts.get((m["part"] or "").lower(), "")
        suffix, kind = (f"T{part}", "TIME") if part else ("", "DATE")
        if self.dct is None:
            return self.out(m, None, True, f"XXXX-WXX-{wd}{suffix}", kind=kind)
        tense = self.tense(m.start("wd"), m.end("wd"))
        story = self.story_time(m.start(), m.end())
        if not rel and story is not None and story.gran == "D" and distance(story, self.dct) > 7:
            # "On March 3, 2003, ... by Friday": the weekday of that week, not of the publication's.
            day = story.start + timedelta(days=(wd - story.start.isoweekday() + 3) % 7 - 3)
        else:
            day = weekday_date(self.dct, wd, rel, tense)
        return self.out(m, Period("D", day), True, kind=kind, suffix=suffix)

    def weekday_gate(self, m: re.Match[str]) -> bool:
        """Not a calendar day inside a name: Black Monday, Super Tuesday, Good Friday."""
        if m["rel"]:
            return True
        before = re.search(r"([A-Z]\w*)\s+$", self.text[max(0, m.start() - 20):m.start()])
        return before is None or before.group(1) not in self.words.named_day_words

    def relday(self, m: re.Match[str]) -> list[Resolved]:
        word = " ".join(m["rd"].lower().split())
        part = self.words.dayparts.get((m["part"] or "").lower(), "")
        if word == "tonight":
            part = part or "NI"
        suffix, kind = (f"T{part}", "TIME") if part else ("", "DATE")
        if word == "today" and not part and self.generic_today(m):
            return self.out(m, None, True, "PRESENT_REF")
        if self.dct is None:
            return self.out(m, None, True, "XXXX-XX-XX" + suffix, kind=kind)
        day = self.dct + timedelta(days=self.words.reldays[word])
        return self.out(m, Period("D", day), True, kind=kind, suffix=suffix)

    def generic_today(self, m: re.Match[str]) -> bool:
        """'today' meaning 'nowadays' ("today's GM", "in today's world"), which the TIMEX guidelines value
        PRESENT_REF (TIDES 2005 TIMEX2 guidelines, kept by TimeML), not the day: a possessive 'today's'
        before a name that heads its phrase or a noun of the times ("today's announcement" is the day)."""
        poss = re.match(r"['’]s\s+(\w+)", self.text[m.end():m.end() + 40])
        if poss is None:
            return False
        if poss.group(1).lower() in GENERIC_TODAY_NOUNS:
            return True
        tok = self.token_at(m.end() + poss.start(1))
        return tok is not None and tok.pos_ == "PROPN" and tok.dep_ not in ("compound", "amod", "nmod")

    def daypart(self, m: re.Match[str]) -> list[Resolved]:
        """'this morning' (the publication day), 'last night' (the evening before)."""
        part = self.words.dayparts[m["part"].lower()]
        back = 1 if m["rel"].lower() == "last" else 0
        if self.dct is None:
            return self.out(m, None, True, f"XXXX-XX-XXT{part}", kind="TIME")
        return self.out(m, Period("D", self.dct - timedelta(days=back)), True, kind="TIME", suffix=f"T{part}")

    def story_daypart(self, m: re.Match[str]) -> list[Resolved]:
        """'in morning trading', 'in the afternoon': that part of the day the story is on."""
        part = self.words.dayparts[(m["part"] or m["part2"]).lower()]
        day = self.anchor_or_today()
        if day is None:
            return self.out(m, None, True, f"XXXX-XX-XXT{part}", kind="TIME")
        return self.out(m, Period("D", day), True, kind="TIME", suffix=f"T{part}")

    # weeks, months, years relative to the publication date

    def relative_unit(self, m: re.Match[str]) -> list[Resolved]:
        rel = " ".join(m["rel"].lower().split())
        unit = m["unit"].lower()
        if unit == "weekend":
            return self.weekend_from(m, rel)
        step = {"last": -1, "the last": -1, "the past": -1, "past": -1, "this past": -1, "the previous": -1,
                "next": 1, "the coming": 1, "coming": 1, "this coming": 1}.get(rel, 0)
        gran = {"week": "W", "month": "M", "year": "Y", "quarter": "Q", "decade": "E", "century": "C"}[unit]
        if self.dct is None:
            return self.out(m, None, True, unknown(gran))
        return self.out(m, shift(self.current(gran), step), True)

    def current(self, gran: str) -> Period:
        """The week, month, ... the publication date falls in."""
        assert self.dct is not None
        d = self.dct
        if gran == "W":
            return week_of(d)
        if gran == "Q":
            return quarter_of(d)
        if gran == "D":
            return Period("D", d)
        start = {"M": date(d.year, d.month, 1), "Y": date(d.year, 1, 1), "E": date(d.year // 10 * 10, 1, 1),
                 "C": date(max(1, d.year // 100 * 100), 1, 1)}[gran]
        return Period(gran, start)

    def the_unit(self, m: re.Match[str]) -> list[Resolved]:
        """'the end of the year' (this year), 'late in the day' (the day the story is on)."""
        unit = m["unit"].lower()
        if unit == "day":
            return self.anaphoric_day(m, 0)
        gran = {"week": "W", "month": "M", "year": "Y"}[unit]
        if self.dct is None:
            return self.out(m, None, True, unknown(gran))
        return self.out(m, self.current(gran), True)

    def not_idiom(self, m: re.Match[str]) -> bool:
        """'at the end of the day' means 'in the end', not an evening."""
        return END_OF_DAY_IDIOM.search(self.text, max(0, m.start() - 20), m.end()) is None

    def weekend(self, m: re.Match[str]) -> list[Resolved]:
        return self.weekend_from(m, " ".join(m["rel"].lower().split()))

    def weekend_from(self, m: re.Match[str], rel: str) -> list[Resolved]:
        if self.dct is None:
            return self.out(m, None, True, "XXXX-WXX-WE")
        return self.out(m, weekend_of(self.dct, rel, self.tense(m.start(), m.end())), True)

    def ago(self, m: re.Match[str]) -> list[Resolved]:
        """'two weeks ago', 'five years from now': the day (for days and weeks), month or year that
        many units back or ahead; 'a few days ago' is only known to be past."""
        n = self.words.number(m["num"])
        ahead = not m["dir"].lower().startswith("ago")
        if n is None:
            return self.out(m, None, True, "FUTURE_REF" if ahead else "PAST_REF")
        if self.dct is None:
            return self.out(m, None, True, unknown(unit_gran(m["unit"])))
        if (by_unit := self.in_story_unit(m, n if ahead else -n)) is not None:
            return by_unit
        return self.out(m, back_from(Period("D", self.dct), m["unit"], n if ahead else -n), True)

    def in_story_unit(self, m: re.Match[str], years: int) -> list[Resolved] | None:
        """'a year ago', 'a year earlier' right after a quarter, month or half year: that period a year
        back, at its granularity ("profit rose in the third quarter from a year earlier": the third quarter
        of the year before; HeidelTime's REFUNIT rule date_r22a). A comparison: the story stays."""
        base = self.recent_anchor(m.start())
        if not m["unit"].lower().startswith("year") or base is None or base.gran not in ("Q", "M", "H"):
            return None
        period = shift_years(base, years)
        return [Resolved(m.start(), m.end(), format_period(period), True, period, moves=False)]

    def later(self, m: re.Match[str]) -> list[Resolved]:
        """'three days later', 'a year earlier': counted from the last date the article wrote."""
        n = self.words.number(m["num"])
        if n is None:
            return []
        sign = 1 if m["dir"].lower() == "later" else -1
        if (by_unit := self.in_story_unit(m, sign * n)) is not None:
            return by_unit
        unit = m["unit"].lower().rstrip("s")
        if self.anchor is not None and (unit == "year" or (unit == "month" and self.anchor.gran in ("D", "W", "M"))):
            # "won in 2008 but lost four years later": from the last date written, whatever its granularity
            return self.out(m, back_from(self.anchor, m["unit"], sign * n), True)
        base = self.anchor_or_today()
        if base is None:
            return self.out(m, None, True, unknown(unit_gran(m["unit"])))
        return self.out(m, back_from(Period("D", base), m["unit"], sign * n), True)

    # anaphora: the last date written

    def anchor_or_today(self) -> date | None:
        return self.anchor_day or self.dct

    def anchor_period(self) -> Period | None:
        if self.anchor is not None:
            return self.anchor
        return Period("D", self.dct) if self.dct else None

    def anaphoric_day(self, m: re.Match[str], offset: int) -> list[Resolved]:
        base = self.anchor_or_today()
        if base is None:
            return self.out(m, None, True)
        return self.out(m, Period("D", base + timedelta(days=offset)), True)

    def same(self, m: re.Match[str]) -> list[Resolved]:
        """'the same day', 'the same period last year' (the anchor's period a year back)."""
        unit = m["unit"].lower()
        base = self.anchor_period()
        if base is None:
            return self.out(m, None, True, unknown("D"))
        if unit in ("day", "date"):
            base = Period("D", self.anchor_or_today() or base.start)
        elif unit in ("week", "month", "year", "quarter"):
            base = coarsen(base, {"week": "W", "month": "M", "year": "Y", "quarter": "Q"}[unit])
        if m["ago"]:
            base = shift_years(base, -1)
        return self.out(m, base, True)

    def anaphor(self, m: re.Match[str]) -> list[Resolved]:
        """'that day', 'the following week', 'the previous year': from the last date written."""
        rel = " ".join(m["rel"].lower().split())
        step = {"that": 0, "the next": 1, "the following": 1}.get(rel, -1)
        return self.from_anchor(m, m["unit"].lower(), step)

    def unit_before_after(self, m: re.Match[str]) -> list[Resolved]:
        step = 1 if m["dir"].lower() in ("after", "later") else -1
        return self.from_anchor(m, m["unit"].lower(), step)

    def from_anchor(self, m: re.Match[str], unit: str, step: int) -> list[Resolved]:
        gran = {"day": "D", "week": "W", "month": "M", "year": "Y"}[unit]
        if gran == "D":
            return self.anaphoric_day(m, step)
        base = self.anchor_period()
        if base is None:
            return self.out(m, None, True, unknown(gran))
        return self.out(m, shift(coarsen(base, gran), step), True)

    def whole_year(self, m: re.Match[str]) -> list[Resolved]:
        base = self.anchor_period()
        if base is None:
            return self.out(m, None, True, "XXXX")
        return self.out(m, coarsen(base, "Y"), True)

    def the_day(self, m: re.Match[str]) -> list[Resolved]:
        """'ended the day', 'for the day': the day the story is on."""
        return self.anaphoric_day(m, 0)

    # quarters and halves

    def quarter(self, m: re.Match[str]) -> list[Resolved]:
        word = " ".join(m["ord"].lower().split())
        year = m["year"] or m["year2"]
        explicit_year = int(year) if year else None
        if explicit_year is None and m["ry"] and self.dct is not None:
            explicit_year = self.dct.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
        if explicit_year is None and m["theyear"] and self.dct is not None:
            explicit_year = self.dct.year
        n = self.words.ordinals.get(word)
        if n is not None and n == -1 and (explicit_year is not None or word == "final"):
            n = 4  # "the last quarter of 2009", "the final quarter"
        if n is not None and not 1 <= n <= 4:
            return []
        if explicit_year is not None and n is not None:
            return self.out(m, Period("Q", date(explicit_year, 3 * n - 2, 1)), not year)
        if self.dct is None:
            return self.out(m, None, True, f"XXXX-Q{n}" if n else "XXXX-QX")
        if n is None or n == -1:  # last / previous / past / current / this / next quarter
            step = {"next": 1, "current": 0, "this": 0}.get(word, -1)
            return self.out(m, shift(quarter_of(self.dct), step), True)
        q = n
        return self.yearless(m, lambda y: Period("Q", date(y, 3 * q - 2, 1)), f"XXXX-Q{q}")

    def quarter_code(self, m: re.Match[str]) -> list[Resolved]:
        q = int(m["q"])
        if m["year"]:
            return self.out(m, Period("Q", date(int(m["year"]), 3 * q - 2, 1)), False)
        if self.dct is None:
            return self.out(m, None, True, f"XXXX-Q{q}")
        return self.yearless(m, lambda y: Period("Q", date(y, 3 * q - 2, 1)), f"XXXX-Q{q}")

    def half(self, m: re.Match[str]) -> list[Resolved]:
        """'the first half of 2009', 'the second half of next year', 'first-half' (the one the tense gives)."""
        month = 1 if m["ord"].lower() in ("first", "1st") else 7
        if m["year"]:
            return self.out(m, Period("H", date(int(m["year"]), month, 1)), False)
        if self.dct is None:
            return self.out(m, None, True, "XXXX-HX")
        if not m["ry"] and not m.group(0).lower().endswith("year"):
            if "-" not in m.group(0) and not self.financial_sentence(m.start()):
                return []  # "during the first half" of a game or a debate
            # A half year written without its tense ("first-half profit") is the current or last one:
            # the nearest would often be next year's.
            tense = self.tense(m.start(), m.end()) or PAST
            period = by_tense(lambda y: Period("H", date(y, month, 1)), self.dct, tense)
            return self.out(m, period, True)
        offset = {"this": 0, "last": -1, "next": 1}[m["ry"].lower()] if m["ry"] else 0
        return self.out(m, Period("H", date(self.dct.year + offset, month, 1)), True)

    def financial_sentence(self, pos: int) -> bool:
        """Whether the sentence at `pos` writes money or percentages (the NER's MONEY, PERCENT): where a bare
        "the second half" is a half year."""
        tok = self.token_at(pos)
        return tok is not None and any(t.ent_type_ in ("MONEY", "PERCENT") for t in tok.sent)

    def year_end(self, m: re.Match[str]) -> list[Resolved]:
        """'by year-end', 'last year-end': the year whose end it is."""
        if self.dct is None:
            return self.out(m, None, True, "XXXX")
        offset = {"this": 0, "last": -1, "next": 1}[m["ry"].lower()] if m["ry"] else 0
        return self.out(m, Period("Y", date(self.dct.year + offset, 1, 1)), True)

    # financial years and periods

    def fiscal_year(self, m: re.Match[str]) -> list[Resolved]:
        """'fiscal 2019', 'the 2019 fiscal year': the year, as TimeML values a financial year."""
        year = Period("Y", date(int(m["year"]), 1, 1))
        return [Resolved(m.start(), m.end(), format_period(year), False, year, sets_story=False)]

    def fiscal_code(self, m: re.Match[str]) -> list[Resolved]:
        """'FY2019', 'FY19'."""
        digits = m["fy"]
        year = int(digits)
        if len(digits) == 2:
            pivot = (self.dct.year % 100 if self.dct else 30) + 1
            year += 1900 if year > pivot else 2000
        period = Period("Y", date(year, 1, 1))
        return [Resolved(m.start(), m.end(), format_period(period), len(digits) == 2, period, sets_story=False)]

    def fiscal_relative(self, m: re.Match[str]) -> list[Resolved]:
        """'this fiscal year', 'the previous fiscal year', 'the fiscal year' (the year the story is on)."""
        rel = " ".join(m["rel"].lower().split())
        step = {"the previous": -1, "the prior": -1, "the last": -1, "last": -1, "the next": 1, "the coming": 1,
                "next": 1}.get(rel, 0)
        base = self.recent_anchor(m.start()) if rel in ("the", "that", "the same") else None
        if base is not None:
            return self.out(m, coarsen(base, "Y"), True)
        if self.dct is None:
            return self.out(m, None, True, "XXXX")
        return self.out(m, shift(self.current("Y"), step), True)

    def fiscal_ended(self, m: re.Match[str]) -> list[Resolved]:
        """'the fiscal year ended June 30': the year it ends in."""
        if m["eyear"]:
            year = int(m["eyear"].strip(" ,"))
            return self.out(m, Period("Y", date(year, 1, 1)), False)
        if self.dct is None:
            return self.out(m, None, True, "XXXX")
        month = self.words.month(m["emonth"])
        end = by_tense(lambda y: Period("M", date(y, month, 1)), self.dct, self.tense(m.start(), m.end()))
        return self.out(m, coarsen(end, "Y") if end else None, True, "XXXX")

    def year_part(self, m: re.Match[str]) -> list[Resolved]:
        """'the 2008 fourth quarter', "fiscal 1989's first half", "last year's third quarter"."""
        relative = "ry" in m.re.groupindex
        if relative and self.dct is None:
            return self.out(m, None, True, "XXXX-QX")
        year = self.dct.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()] if relative and self.dct else int(
            m["year"])
        n = self.words.ordinals.get(m["ord"].lower(), 0)
        if m["unit"].lower() == "half":
            n = 2 if n == -1 else n
            return self.out(m, Period("H", date(year, 6 * n - 5, 1)), relative) if n in (1, 2) else []
        n = 4 if n == -1 else n
        return self.out(m, Period("Q", date(year, 3 * n - 2, 1)), relative) if 1 <= n <= 4 else []

    def year_period(self, m: re.Match[str]) -> list[Resolved]:
        """'the 1988 quarter': the quarter (half, period) the story is on, in 1988; the year alone when the
        story is on no part of a year. A comparison: the story stays where it was."""
        year, unit = int(m["year"]), m["unit"].lower()
        base = self.recent_anchor(m.start())
        if base is None or base.gran in ("Y", "E", "C"):
            return self.out(m, Period("Y", date(year, 1, 1)), False)
        gran = {"quarter": "Q", "half": "H"}.get(unit) or (base.gran if base.gran in ("Q", "H", "M") else "Y")
        period = coarsen(Period("D", date(year, base.start.month, 1)), gran)
        return [Resolved(m.start(), m.end(), format_period(period), False, period, moves=False)]

    def the_quarter(self, m: re.Match[str]) -> list[Resolved]:
        """'the quarter': the quarter the story is on (a date of it written just before), else the one the
        tense points to, in past-tense text the last finished one, as results are reported after a quarter
        ends (HeidelTime's date_r23c takes the reference quarter); 'the June quarter' and 'the quarter ended
        Sept. 30' the quarter of that month; 'the latest quarter' the last finished one."""
        month = m["emonth"] or m["qmonth"]
        if month:
            q = (self.words.month(month) - 1) // 3 + 1
            return self.yearless(m, lambda y: Period("Q", date(y, 3 * q - 2, 1)), f"XXXX-Q{q}")
        which = " ".join((m["which"] or "").lower().split())
        base = self.recent_anchor(m.start()) if which in ("", "same") else None
        # A quarter written just before, or a day or month of another quarter; not "yesterday" (the day of
        # the report, not of the quarter reported).
        if base is not None and (base.gran == "Q" or (base.gran in ("M", "D", "W") and self.dct is not None
                                                      and distance(base, self.dct) > 45)):
            return self.out(m, coarsen(base, "Q"), True)
        if self.dct is None:
            return self.out(m, None, True, "XXXX-QX")
        tense = self.tense(m.start(), m.end())
        current = quarter_of(self.dct)
        reporting = tense is None and (self.dct - current.start).days < 46  # results come out after a quarter
        if which or tense == PAST or reporting:
            return self.out(m, shift(current, -1), True)
        return self.out(m, current, True)

    def year_earlier(self, m: re.Match[str]) -> list[Resolved]:
        """'the year-earlier quarter', 'year-ago profit': the story's period a year back, at its granularity
        (HeidelTime's date_r23). A comparison: the story stays where it was."""
        unit = (m["unit"] or "").lower()
        start = m.start() if unit else m.start("ya")
        base = self.recent_anchor(m.start())
        if base is None:
            if self.dct is None:
                return [Resolved(start, m.end(), "XXXX", True)]
            base = shift(quarter_of(self.dct), -1) if unit == "quarter" else self.current("Y")
        gran = {"quarter": "Q", "month": "M", "half": "H", "week": "W"}.get(unit) or (
            base.gran if base.gran in ("Q", "M", "H", "Y") else "Y")
        period = shift_years(coarsen(base, gran), -1)
        if m["ord"] and unit == "quarter":
            n = self.words.ordinals.get(m["ord"].lower(), 0)
            period = Period("Q", date(period.start.year, 3 * n - 2, 1)) if 1 <= n <= 4 else period
        return [Resolved(start, m.end(), format_period(period), True, period, moves=False)]

    def month_this_year(self, m: re.Match[str]) -> list[Resolved]:
        """'March last year', 'June next year': one expression, the month of that year."""
        month = self.words.month(m["month"])
        if self.dct is None:
            return self.out(m, None, True, f"XXXX-{month:02d}")
        year = self.dct.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
        return self.out(m, Period("M", date(year, month, 1)), True)

    # vague stretches

    def vague(self, m: re.Match[str]) -> list[Resolved]:
        """'the weeks ahead' (FUTURE_REF); 'the weeks before ...', 'the days after ...': before or after the
        story's time, past or future as the tense says (the signal word is not part of the expression)."""
        if m["ahead"]:
            return [Resolved(m.start(), m.end("ahead"), "FUTURE_REF", True)]
        if not m["signal"]:
            return []
        end = m.end("unit")
        tense = self.tense(m.start(), end)
        behind = m["signal"].split()[0].lower() in ("before", "prior", "preceding", "leading", "since")
        if tense == PAST or (tense != FUTURE and behind):
            return [Resolved(m.start(), end, "PAST_REF", True)]
        return [Resolved(m.start(), end, "FUTURE_REF", True)]

    def future_ref(self, m: re.Match[str]) -> list[Resolved]:
        return self.out(m, None, True, "FUTURE_REF")

    def at_the_time(self, m: re.Match[str]) -> list[Resolved]:
        """'at the time', 'at that time': a time before the story's present."""
        future = self.tense(m.start(), m.end()) == FUTURE
        return self.out(m, None, True, "FUTURE_REF" if future else "PAST_REF")

    # years, decades, centuries

    def year(self, m: re.Match[str]) -> list[Resolved]:
        return self.out(m, Period("Y", date(int(m["year"]), 1, 1)), False)

    def year_gate(self, m: re.Match[str]) -> bool:
        """A four-digit number is a year unless it counts something or names something: a
        modifier ("early 2009") or a word that introduces dates ("in", "since") makes it one,
        a plural noun after it ("1500 troops") or a name before it ("the Russell 2000 index") does
        not; otherwise the NER's label decides."""
        if m["mod"]:
            return True
        pos = m.start("year")
        label = self.ner_label(pos)
        if self.follows_name(pos) or (label != "DATE" and self.counts_something(pos)):
            return False
        if self.word_before(pos) == "copyright" or self.text[max(0, pos - 2):pos].strip() == "©":
            return False  # a notice's year, not a date the story is about
        if label == "DATE" or self.word_before(pos) in DATE_CONTEXT:
            return True
        return label not in QUANTITY_LABELS and label not in NAME_LABELS

    def counts_something(self, pos: int) -> bool:
        tok = self.token_at(pos)
        nxt = tok.nbor() if tok is not None and tok.i + 1 < len(self.doc) else None
        return nxt is not None and nxt.tag_ == "NNS"

    def follows_name(self, pos: int) -> bool:
        """Whether the word just before `pos` is a capitalised name inside a sentence (not a month)."""
        tok = self.token_at(pos)
        if tok is None or tok.i == 0:
            return False
        prev = self.doc[tok.i - 1]
        word = prev.text.rstrip(".")
        is_month = word in self.words.months or word in self.words.month_abbrs
        return prev.pos_ == "PROPN" and word[:1].isupper() and not prev.is_sent_start and not is_month

    def year_range(self, m: re.Match[str]) -> list[Resolved]:
        """'2009-2011', '2014-16': two years."""
        first = int(m["y1"])
        second = int(m["y2"]) if len(m["y2"]) == 4 else first // 100 * 100 + int(m["y2"])
        if not first < second <= first + 100:
            return []
        return [
            Resolved(m.start("y1"), m.end("y1"), f"{first:04d}", False, Period("Y", date(first, 1, 1))),
            Resolved(m.start("y2"), m.end("y2"), f"{second:04d}", False, Period("Y", date(second, 1, 1))),
        ]

    def short_year(self, m: re.Match[str]) -> list[Resolved]:
        yy = int(m["yy"])
        pivot = (self.dct.year % 100 if self.dct else 30) + 1
        year = (1900 if yy > pivot else 2000) + yy
        return self.out(m, Period("Y", date(year, 1, 1)), False)

    def short_year_gate(self, m: re.Match[str]) -> bool:
        before = self.text[max(0, m.start() - 12):m.start()]
        after_month = re.search(alternation(self.words.months) + r"\s*$", before) is not None
        return after_month or self.word_before(m.start()) in DATE_CONTEXT

    def decade(self, m: re.Match[str]) -> list[Resolved]:
        digits = m["dec"].lstrip("'’")
        if len(digits) == 4 and digits.endswith("00") and digits < "2000":
            # "the 1800s", "the early 1900s": a century (TIMEX3 value 18, 19)
            return self.out(m, Period("C", date(int(digits), 1, 1)), False)
        if len(digits) == 4:
            start = int(digits)
        else:
            start = 1900 + int(digits)
            if self.dct is not None and 2000 + int(digits) <= self.dct.year // 10 * 10 and int(digits) < 30:
                start = 2000 + int(digits)
        return self.out(m, Period("E", date(start, 1, 1)), len(digits) != 4)

    def decade_gate(self, m: re.Match[str]) -> bool:
        """'the 1990s' always; 'the 90s' / "'90s" / '70s and 80s'; never 'in their 40s'."""
        if len(m["dec"]) == 4 or m["dec"][0] in "'’":
            return True
        if m["the"] or m["mod"]:
            return not AGE_DECADE.search(self.text, max(0, m.start() - 12), m.start())
        return SECOND_DECADE.search(self.text, max(0, m.start() - 16), m.start()) is not None

    def decade_word(self, m: re.Match[str]) -> list[Resolved]:
        return self.out(m, Period("E", date(1900 + 10 * self.words.decades[m["dw"].lower()], 1, 1)), True)

    def century(self, m: re.Match[str]) -> list[Resolved]:
        n = int(m["n"]) if m["n"] else self.words.ordinals.get(m["ord"].lower(), 0)
        if not 1 <= n <= 21:
            return []
        return self.out(m, Period("C", date(max(1, (n - 1) * 100), 1, 1)), False)

    # seasons and holidays

    def season(self, m: re.Match[str]) -> list[Resolved]:
        code = self.words.seasons[m["season"].lower()]
        rel = " ".join((m["rel"] or "").lower().split())
        if m["year"]:
            return self.out(m, season_period(code, int(m["year"])), False)
        if self.dct is None:
            return self.out(m, None, True, f"XXXX-{code}")
        if rel in ("last", "this past"):
            over = [p for y in range(self.dct.year - 2, self.dct.year + 1)
                    if period_end(p := season_period(code, y)) < self.dct]
            return self.out(m, max(over, key=lambda p: p.start), True)
        if rel in ("next", "this coming"):
            ahead = [p for y in range(self.dct.year, self.dct.year + 2)
                     if (p := season_period(code, y)).start > self.dct]
            return self.out(m, min(ahead, key=lambda p: p.start), True)
        return self.yearless(m, lambda y: season_period(code, y), f"XXXX-{code}")

    def season_gate(self, m: re.Match[str]) -> bool:
        """'spring' is a season after this/last/next/early/late or with a year; after 'the' or a
        preposition only when not 'the fall of' something; a capitalised 'Autumn' in mid-sentence."""
        word = m["season"].lower()
        rel = (m["rel"] or "").lower()
        if m["year"] or m["mid"] or rel not in ("", "the"):
            return True
        if word == "fall" or re.match(r"\s+of\b", self.text[m.end():m.end() + 4]):
            return False
        if rel == "the" or self.word_before(m.start()) in ("in", "during", "by", "until", "since", "through", "over"):
            return True
        return m["season"][0].isupper() and not self.starts_sentence(m.start()) and self.not_in_name(m)

    def holiday(self, m: re.Match[str]) -> list[Resolved]:
        rule = self.words.holidays[" ".join(m["hol"].replace("’", "'").split())]
        if m["year"]:
            day = holiday_date(rule, int(m["year"]))
            return self.out(m, self.day_period(day), False) if day else []
        if self.dct is None:
            fixed = re.fullmatch(r"\d\d-\d\d", rule)
            return self.out(m, None, True, f"XXXX-{rule}" if fixed else "XXXX-XX-XX")
        return self.yearless(m, lambda y: self.day_period(holiday_date(rule, y)), "XXXX-XX-XX")

    # clock times

    def clock(self, m: re.Match[str]) -> list[Resolved]:
        """'18:00 UTC', '6:40 p.m. (GMT +8)', '0800 GMT', 'noon': on the day written next to it,
        else the last day the article wrote, else the publication date."""
        hour, minute = clock_reading(m)
        day = self.clock_day(m)
        suffix = f"T{hour:02d}:{minute:02d}"
        if day is None:
            return self.out(m, None, True, "XXXX-XX-XX" + suffix, kind="TIME")
        return self.out(m, Period("D", day), True, kind="TIME", suffix=suffix)

    def clock_day(self, m: re.Match[str]) -> date | None:
        word = m["dayword"] if "dayword" in m.re.groupindex else None
        if not word and "daybefore" in m.re.groupindex:
            word = m["daybefore"]
        if word and self.dct is not None:
            key = " ".join(word.lower().split())
            if key in self.words.reldays:
                return self.dct + timedelta(days=self.words.reldays[key])
            return weekday_date(self.dct, self.words.weekdays[word], "", self.tense(m.start(), m.end()))
        return self.anchor_or_today() if not word else None

    # reference words

    def reference(self, m: re.Match[str]) -> list[Resolved]:
        value = self.words.refs[" ".join(m["ref"].lower().split())]
        return self.out(m, None, True, value)

    def starts_sentence(self, pos: int) -> bool:
        before = self.text[max(0, pos - 4):pos].rstrip(" \t\"'“‘(")
        return not before or before[-1] in ".!?:;\n"

    def not_in_name(self, m: re.Match[str]) -> bool:
        """A capitalised 'Today' or 'Now' after a capitalised word inside a sentence is part of a
        name ("USA Today", "Larry King Now"), not the publication day."""
        if not m.group(0)[:1].isupper() or self.starts_sentence(m.start()):
            return True
        before = re.search(r"(\S+)\s+$", self.text[max(0, m.start() - 30):m.start()])
        return before is None or not before.group(1)[:1].isupper()

    def reference_gate(self, m: re.Match[str]) -> bool:
        """'later' and 'soon' as adverbs of time ("later revealed", "very soon"), not 'later than',
        'as soon as', 'sooner or later'; 'the past' not in 'the past five days' (a duration)."""
        word = " ".join(m["ref"].lower().split())
        before, after = self.word_before(m.start()), self.word_after(m.end())
        if not self.not_in_name(m):
            return False
        if word == "later":
            tok = self.token_at(m.start())
            return before not in ("no", "or", "not") and after != "than" and (tok is None or tok.pos_ == "ADV")
        if word in ("soon", "very soon"):
            return before != "as" and after not in ("as", "after")
        if word == "now" and after == "that":
            return False  # "now that the deal is done": a conjunction
        if word in ("the past", "the present", "the future"):
            return not (after in UNIT_WORDS or after.isdigit() or self.words.number(after) is not None)
        return True

    def current_word(self, m: re.Match[str]) -> list[Resolved]:
        return self.out(m, None, True, "PRESENT_REF", group="cur")

    def recent(self, m: re.Match[str]) -> list[Resolved]:
        return self.out(m, None, True, "PAST_REF")


def clock_reading(m: re.Match[str]) -> tuple[int, int]:
    """Hour (0-23) and minute of a clock-time match."""
    groups = m.re.groupindex
    if "word" in groups:
        return (0, 0) if m["word"].lower() == "midnight" else (12, 0)
    hour = int(m["h"])
    minute = int(m["mi"]) if "mi" in groups else 0
    ap = (m["ap"] or "").lower().replace(".", "") if "ap" in groups else ""
    if ap == "pm" and hour < 12:
        hour += 12
    elif ap == "am" and hour == 12:
        hour = 0
    return hour, minute


def unit_gran(unit: str) -> str:
    return {"day": "D", "week": "D", "month": "M", "year": "Y", "decade": "E"}[unit.lower().rstrip("s")]


def back_from(base: Period, unit: str, n: int) -> Period:
    """`base` moved by n days, weeks (as days), months or years, at that granularity."""
    unit = unit.lower().rstrip("s")
    day = base.start
    if unit in ("day", "week"):
        return Period("D", day + timedelta(days=n * (7 if unit == "week" else 1)))
    if unit == "month":
        return Period("M", add_months(day, n))
    if unit == "decade":
        return Period("E", date((day.year + 10 * n) // 10 * 10, 1, 1))
    return Period("Y", date(day.year + n, 1, 1))


def coarsen(p: Period, gran: str) -> Period:
    """The week, month, quarter or year a period lies in."""
    d = p.start
    if gran == "W":
        return week_of(d)
    if gran == "M":
        return Period("M", date(d.year, d.month, 1)) if p.gran in ("D", "W", "WE", "M") else p
    if gran == "Q":
        return quarter_of(d)
    if gran == "H":
        return Period("H", date(d.year, 1 if d.month <= 6 else 7, 1))
    if gran == "Y":
        return Period("Y", date(d.year, 1, 1))
    return p


# --- tense from the parse ----------------------------------------------------------------------


def governing_verb(tok: Token, start: int, end: int) -> tuple[Token | None, bool]:
    """The verb whose clause the expression at [start, end) belongs to (climbing heads from `tok`;
    None in a verbless fragment), and whether the way there passes through a noun outside the
    expression ("the closure during the fourth quarter", "a June 3 hearing"): the date then times
    that noun's event, which the verb's tense does not place."""
    nominal = False
    for _ in range(10):
        if tok.pos_ in ("VERB", "AUX"):
            return tok, nominal
        if tok.head is tok:
            return None, nominal
        tok = tok.head
        if tok.pos_ in ("NOUN", "PROPN") and not start <= tok.idx < end:
            nominal = True
    return None, nominal


def verb_tense(verb: Token) -> str | None:
    """PAST, PERFECT, PRESENT or FUTURE from a verb and its auxiliaries; None when it takes its
    tense from the verb it depends on (an infinitive, a bare gerund)."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUX or verb.lemma_ in SCHEDULE_VERBS:
        return FUTURE
    if verb.tag_ == "VB" and "to" in words:
        return FUTURE if verb.head is not verb and verb.head.lemma_ in FUTURE_HEADS else None
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return PAST
    if verb.tag_ == "VBN":
        if any(a.lemma_ == "have" for a in auxes):
            return PERFECT
        return PRESENT if auxes else PARTICIPLE
    if verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
        # The present progressive with a date writes an arrangement ("is meeting on Friday"): ahead.
        return FUTURE
    if verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VBG" and auxes):
        return PRESENT
    if verb.tag_ == "VBG":
        # A participial adjunct ("..., resulting in closures during the fourth quarter",
        # "beginning on April 27") has its own time, which the main verb's tense does not fix.
        return NO_TENSE
    return None


def clause_tense(tok: Token, start: int, end: int) -> str | None:
    verb, nominal = governing_verb(tok, start, end)
    if nominal:
        return None
    for _ in range(4):
        if verb is None:
            return None
        tense = verb_tense(verb)
        if tense == NO_TENSE:
            return None
        if tense is not None:
            return tense
        if verb.head is verb:
            return None
        verb, _ = governing_verb(verb.head, start, end)
    return None


# --- the component -----------------------------------------------------------------------------


def find_dates(doc: Doc, lexicon: str = "date_words.tsv", use_ner: bool = True) -> list[DateRef]:
    """Every date expression of `doc`, resolved, in text order."""
    scan = Scan(doc, date_words(lexicon), use_ner)
    chosen = choose(candidates(scan, rules(lexicon)))
    records = []
    for rule, m in resolution_order(chosen, scan.text):
        for r in scan.resolve(rule, m):
            if r.end > r.start:
                text = scan.text[r.start:r.end]
                records.append(DateRef(start=r.start, end=r.end, text=text, value=r.value,
                                       type="TIME" if r.type == "TIME" else "DATE", relative=r.relative))
    return records


END_OF_DAY_IDIOM = re.compile(r"(?i)\bat\s+the\s+end\s+of\s+the\s+day$")
# "in their 40s" is an age; "the 70s and 80s" a second decade.
AGE_DECADE = re.compile(r"(?i)\b(?:their|his|her|in\s+my|our|your)\s+$")
SECOND_DECADE = re.compile(r"\d0['’]?s\s+(?:and|or|to|through)\s+$")
# Nouns of an age, after which "today's" means "nowadays" ("today's world"); grammar of the idiom, not a lexicon.
GENERIC_TODAY_NOUNS = frozenset({"world", "society", "economy", "age", "era", "generation", "youth", "culture",
                                 "climate", "environment", "standards"})
CLOCK_RULES = frozenset({"clock", "ampm", "military", "noon"})
CLOCK_TO_DAY = re.compile(r"\s*,?\s*(?:on\s+)?")


def resolution_order(chosen: list[tuple[Rule, re.Match[str]]], text: str) -> list[tuple[Rule, re.Match[str]]]:
    """Text order, except that a clock time written just before its day ("at 16:15 UTC, June 1",
    "at 3 p.m. on Monday") is resolved after that day, so that it takes that day."""
    order = list(chosen)
    i = 0
    while i < len(order) - 1:
        (rule, m), (_, nxt) = order[i], order[i + 1]
        if rule.name in CLOCK_RULES and CLOCK_TO_DAY.fullmatch(text, m.end(), nxt.start()):
            order[i], order[i + 1] = order[i + 1], order[i]
            i += 1
        i += 1
    return order


Candidate = tuple[int, Rule, "re.Match[str]"]  # (rule's rank, rule, match)


def candidates(scan: Scan, all_rules: tuple[Rule, ...]) -> list[Candidate]:
    found = []
    lower = scan.text.lower()
    for rank, rule in enumerate(all_rules):
        if rule.triggers and not any(t in (scan.text if rule.cased else lower) for t in rule.triggers):
            continue
        for m in rule.regex.finditer(scan.text):
            if m.end() > m.start() and (rule.gate is None or rule.gate(scan, m)):
                found.append((rank, rule, m))
    return found


def choose(found: list[Candidate]) -> list[tuple[Rule, re.Match[str]]]:
    """The longest matches that do not overlap, in text order (the rule listed first wins a tie)."""
    ranked = sorted(found, key=lambda c: (c[2].start() - c[2].end(), c[2].start(), c[0]))
    taken: list[tuple[int, int]] = []
    kept = []
    for _, rule, m in ranked:
        if all(m.end() <= s or m.start() >= e for s, e in taken):
            taken.append(m.span())
            kept.append((rule, m))
    return sorted(kept, key=lambda rm: rm[1].start())


@Language.factory("newsgraph_dates", default_config={"lexicon": "date_words.tsv", "use_ner": True})
def make_date_finder(nlp: Language, name: str, lexicon: str, use_ner: bool) -> DateFinder:
    return DateFinder(lexicon, use_ner)


class DateFinder:
    """The pipeline component: sets `doc._.dates` to the article's `DateRef`s."""

    def __init__(self, lexicon: str = "date_words.tsv", use_ner: bool = True) -> None:
        self.lexicon = lexicon
        self.use_ner = use_ner
        rules(lexicon)  # compile the patterns when the pipeline is built, not on the first article

    def __call__(self, doc: Doc) -> Doc:
        doc._.dates = find_dates(doc, self.lexicon, self.use_ner)
        return doc
