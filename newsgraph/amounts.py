"""Amounts: every sum of money and every count of people or things an article writes, as a number.

The `newsgraph_amounts` component makes one pass of one precompiled pattern over the text. The
pattern finds number phrases as English news writes them ("1,000", "1.5", "two million", "a dozen",
"half a million", "tens of thousands") and, around them, the currency that makes them money:
a symbol or ISO code before the number ("$700 million", "US$5 billion", "€2bn", "Rs 50 crore",
"USD 5m") or a name or code after it ("5 million euros", "1.5 trillion rubles", "millions of
dollars"), from `data/currencies.tsv`. Each phrase is then judged:

- money is kept as it is: a currency next to a number is unambiguous enough;
- any other number is a count only when the parse gives it a counted noun ("1,000 civilians",
  "around 40 countries", "thousands of people", "40 of the countries"); the unit is that noun as
  written ("civilians", "countries"; "persons" -> "people"), and a count of a currency ("5 million
  Ukrainian hryvnias") is money after all;
- what is not a count is dropped: years, ages ("a 63-year-old", "aged 40", "Smith, 63,"), dates
  ("April 26"), times ("10:30", "9 a.m."), durations ("three years"), measures ("40 km"),
  percentages, ordinals ("third", "21st"), decades ("the 1990s"), names and model numbers
  ("F-16", "Boeing 737", "Attribution 4.0 International"), phone numbers, and "one" used as a
  pronoun ("one of them") or a determiner ("one day").

Percentages are not output: a share is neither money nor a count (`PERCENT` is a separate kind of
quantity, and counting "15 percent" as 15 of something would be wrong).

The span is the number with its currency and scale; a qualifier written before it ("up to", "some",
"more than", "an estimated") or after it ("or so", "or more") is recorded in `approximation` and
left out of the span, as annotators of amounts do. A vague plural ("thousands of", "tens of
thousands") is valued at the lower bound it commits to (1,000; 10,000) with approximation
"at least" unless the text writes its own qualifier.
Results go to `doc._.amounts` as `Amount` records with character offsets into the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Token

from newsgraph.docinfo import text_of
from newsgraph.lexicons import table
from newsgraph.plain import set_plain_extension
from newsgraph.records import Amount

set_plain_extension("amounts")

# --- the number grammar (closed classes of English, not lexicon entries) ------------------------

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Scales written out; the plural is the vague form ("thousands of").
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12, "lakh": 10**5, "crore": 10**7}
# Abbreviated scales financial news glues to money ("$5m", "€2bn", "1.2 mln roubles").
SCALE_ABBREVIATIONS = {"k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9, "bn": 10**9, "bln": 10**9,
                       "tn": 10**12, "trn": 10**12, "trln": 10**12}
DOZEN = 12
_MULTIPLIER_WORDS = frozenset({"hundred", "dozen", *SCALES})

# Qualifiers written before a number, longest first so that "more than" wins over "more".
QUALIFIERS_BEFORE = (
    "an estimated", "estimated", "up to", "as many as", "as few as", "as much as", "at least", "at most",
    "no more than", "no fewer than", "no less than", "not more than", "more than", "less than", "fewer than",
    "well over", "just over", "just under", "upwards of", "in excess of", "close to", "nearly", "almost",
    "roughly", "approximately", "about", "around", "some", "over", "under", "maximum of", "minimum of",
)
QUALIFIERS_AFTER = ("or so", "or more", "or fewer", "or less")
# Qualifiers that are also prepositions: "concerns about one item", "fought over 40 villages".
PREPOSITION_QUALIFIERS = frozenset({"about", "around", "over", "under"})
# What a vague plural ("thousands of people") commits to: its scale is a lower bound.
VAGUE_APPROXIMATION = "at least"

# NER labels under which a number is no count: it belongs to a date, time, share, rank or name.
NOT_COUNT_LABELS = frozenset({"DATE", "TIME", "PERCENT", "ORDINAL", "ORG", "PRODUCT", "LAW", "WORK_OF_ART", "FAC",
                              "EVENT", "PERSON", "GPE", "LOC", "LANGUAGE"})
# Counted nouns that make a duration, a measure or a ratio rather than a count of people or things.
DURATION_NOUNS = frozenset({
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "night", "nights", "week", "weeks",
    "weekend", "weekends", "month", "months", "year", "years", "decade", "decades", "century", "centuries",
    "morning", "mornings", "evening", "evenings", "season", "seasons", "quarter", "quarters", "term", "terms",
    "time", "times",
})
MEASURE_NOUNS = frozenset({
    "km", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "mile", "miles", "metre", "metres",
    "meter", "meters", "feet", "foot", "inch", "inches", "yard", "yards", "mm", "cm", "ton", "tons", "tonne",
    "tonnes", "kg", "kilogram", "kilograms", "kilo", "kilos", "gram", "grams", "ounce", "ounces", "pound",
    "pounds", "litre", "litres", "liter", "liters", "gallon", "gallons", "barrel", "barrels", "acre", "acres",
    "hectare", "hectares", "degree", "degrees", "mph", "kph", "watt", "watts", "megawatt", "megawatts",
    "gigawatt", "gigawatts", "mw", "gw", "kwh", "cubic", "square", "sq", "bpd", "microgram", "micrograms",
    "milligram", "milligrams", "ghz", "mhz", "gb", "mb", "tb", "kb", "gigabytes", "megabytes",
    "pence", "penny", "cents", "cent", "kopecks",  # sub-units of money, left to the currency file's units
})
RATIO_NOUNS = frozenset({
    "percent", "per", "pct", "percentage", "point", "points", "fold", "ppt", "ppts", "pp", "bps", "basis",
    "figure", "figures", "digit", "digits",  # "six figures" is a sum of money, not a count
})
NOT_COUNTED_NOUNS = DURATION_NOUNS | MEASURE_NOUNS | RATIO_NOUNS
# Nouns that count people or things although the tagger may call them singular.
INVARIANT_PLURALS = frozenset({"people", "police", "personnel", "staff", "aircraft", "cattle", "livestock",
                               "sheep", "fish", "deer", "crew", "militia", "infantry", "artillery", "offspring"})
PEOPLE_NOUNS = {"person": "people", "persons": "people"}
# Words after a number that make it a time or a share ("9 a.m.", "15 percent", "15 per cent").
_TIME_OR_SHARE_AFTER = re.compile(r"\s*(?:%|per\s?cent\b|percent\b|pct\b|percentage\b|[ap]\.?m\b\.?|o'clock\b|"
                                  r"GMT\b|UTC\b|BST\b|EST\b|EDT\b|CET\b|hrs\b)", re.IGNORECASE)
# Words before a number that make it an age or a label ("aged 40", "No. 5", "Article 5", "page 3").
# ... or the denominator of a rate ("20 deaths per 100,000").
AGE_OR_LABEL_BEFORE = frozenset({"aged", "age", "ages", "per", "no", "no.", "number", "nos", "article", "chapter",
                                 "section", "page", "pages", "paragraph", "resolution", "route", "flight", "gate",
                                 "room", "level", "phase", "stage", "version", "v", "grade", "class", "size"})
DEFINITE_DETERMINERS = frozenset({"the", "these", "those", "this", "that", "its", "their", "his", "her", "our",
                                  "my", "your"})
# Comparatives the parser may hang a number on instead of its noun ("25 million more people").
COMPARATIVES = frozenset({"more", "fewer", "less", "additional", "extra", "other", "new"})
# Words a range joins two numbers with ("500 to 1,000 civilians").
RANGE_WORDS = frozenset({"to", "and", "or", "-", "–", "—", "between"})
# Pounds are a weight ("236 pounds", "500 pounds of explosives") unless a scale makes them money.
WEIGHT_CURRENCY_NAMES = frozenset({"pound", "pounds"})


# --- numbers ------------------------------------------------------------------------------------


_UNITS_BELOW_TEN = "|".join(w for w, v in UNITS.items() if v < 10)
_WORDNUM = rf"(?:(?:{'|'.join(TENS)})(?:[- ](?:{_UNITS_BELOW_TEN}))?|{'|'.join(sorted(UNITS, key=len, reverse=True))})"
# "eight of 10 voters", "1 in 4 residents", "$4 of every $5": a ratio, not two amounts.
_RATIO_AFTER = re.compile(rf"\s+(?:in|of|out\s+of)\s+(?:every\s+|each\s+)?[$£€]?(?:\d|{_WORDNUM}\b)", re.IGNORECASE)
_RATIO_BEFORE = re.compile(rf"(?:\d|\b{_WORDNUM})\s+(?:in|of|out\s+of)\s+(?:every\s+|each\s+)?[$£€]?$", re.IGNORECASE)
_NUMBER_PIECES = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+|[a-z]+")


def parse_number(text: str) -> float | None:
    """The value of a number phrase: "1,000", "1.5", "two million", "twenty-five", "a dozen",
    "half a million", "two hundred and fifty thousand", "tens of thousands", "2bn"; None when the
    words are no well-formed number ("two three", "202 555")."""
    value = parse_decimal(text)
    return None if value is None else float(value)


def parse_decimal(text: str) -> Decimal | None:
    """`parse_number` in exact decimal arithmetic, so that 1.15 billion is 1150000000 exactly."""
    return _NumberReader().read(_NUMBER_PIECES.findall(text.lower()))


class _NumberReader:
    """Reads number words left to right as a small state machine: `kind` is what the last word
    was, which decides what may follow ("hundred" after "two", not "three" after "two")."""

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.current: Decimal | None = None  # the group being read; None before its first word
        self.kind = "start"
        self.last_scale = 0
        self.numeric = False

    def read(self, words: Sequence[str]) -> Decimal | None:
        for word in words:
            if not self.step(word):
                return None
        if not self.numeric or self.kind in ("a", "half", "and", "of", "tens"):
            return None
        return self.total + (self.current or 0)

    def step(self, word: str) -> bool:
        if word[0].isdigit() or word[0] == ".":
            return self.numeral(word)
        plural = word.endswith("s") and word[:-1] in _MULTIPLIER_WORDS
        base = word[:-1] if plural else word
        if word in UNITS:
            # a unit follows a tens word only below ten ("twenty-five", not "twenty eleven")
            ok = self.kind in ("start", "hundred", "scale", "and") or (self.kind == "tens_word" and UNITS[word] < 10)
            return ok and self.add(UNITS[word], "unit")
        if word in TENS:
            return self.kind in ("start", "hundred", "scale", "and") and self.add(TENS[word], "tens_word")
        # A bare singular scale is no number ("Million Man March"); its plural is ("thousands").
        if base in _MULTIPLIER_WORDS and self.kind == "start" and not plural:
            return False
        if base == "hundred":
            return self.multiply(100, "hundred")
        if base == "dozen":
            return self.multiply(DOZEN, "dozen")
        if base in SCALES:
            return self.scale(SCALES[base])
        if word in SCALE_ABBREVIATIONS and self.kind == "numeral":
            return self.scale(SCALE_ABBREVIATIONS[word])
        return self.function_word(word)

    def numeral(self, word: str) -> bool:
        if self.kind != "start":
            return False
        self.current = Decimal(word.replace(",", ""))
        self.kind, self.numeric = "numeral", True
        return True

    def add(self, value: int, kind: str) -> bool:
        self.current = (self.current or Decimal(0)) + value
        self.kind, self.numeric = kind, True
        return True

    def multiply(self, factor: int, kind: str) -> bool:
        # "two hundred", "a dozen", "half a dozen", "hundreds of"; not "two hundred hundred"
        if self.kind not in ("start", "numeral", "unit", "tens_word", "a") or (self.current or 0) >= 100:
            return False
        self.current = (Decimal(1) if self.current is None else self.current) * factor
        self.kind, self.numeric = kind, True
        return True

    def scale(self, factor: int) -> bool:
        # each scale smaller than the one before: "one million two hundred thousand"
        if self.kind in ("and", "scale") or (self.last_scale and factor >= self.last_scale):
            return False
        self.total += (Decimal(1) if self.current is None else self.current) * factor  # "thousands": 1 x
        self.current = None
        self.last_scale, self.kind, self.numeric = factor, "scale", True
        return True

    def function_word(self, word: str) -> bool:
        if word in ("a", "an") and self.kind in ("start", "half"):
            self.current = Decimal(1) if self.current is None else self.current  # "half a" keeps its half
            self.kind = "a"
        elif word == "half" and self.kind == "start":
            self.current, self.kind = Decimal("0.5"), "half"
        elif word == "tens" and self.kind == "start":
            self.current, self.kind = Decimal(10), "tens"
        elif word == "and" and self.kind in ("hundred", "scale"):
            self.kind = "and"
        elif word == "of" and self.kind in ("tens", "hundred", "dozen"):
            self.kind = "of"
        else:
            return False
        return True


def is_vague(phrase: str) -> bool:
    """A plural scale ("thousands", "tens of thousands", "dozens") names an order of magnitude."""
    return any(
        w == "tens" or (w.endswith("s") and w[:-1] in _MULTIPLIER_WORDS)
        for w in _NUMBER_PIECES.findall(phrase.lower())
    )


# --- currencies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Currencies:
    """`data/currencies.tsv` by how a form is written: symbols and codes as written, names lower-cased."""

    symbols: dict[str, str]
    codes: dict[str, str]
    names: dict[str, str]

    def code_of(self, form: str) -> str | None:
        form = " ".join(form.split())
        return self.symbols.get(form) or self.codes.get(form) or self.names.get(form.casefold())


@cache
def currencies(name: str = "currencies.tsv") -> Currencies:
    symbols: dict[str, str] = {}
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in table(name):
        code, form, kind = row["code"].strip(), row["form"].strip(), row["kind"].strip()
        codes.setdefault(code, code)
        {"symbol": symbols, "code": codes, "name": names}[kind].setdefault(
            form.casefold() if kind == "name" else form, code
        )
    return Currencies(symbols, codes, names)


# --- the pattern --------------------------------------------------------------------------------


def _alternation(forms: Iterable[str]) -> str:
    """Forms as one regex alternation, longest first so that "US$" wins over "$"; spaces inside a
    form match any run of spaces."""
    escaped = (re.escape(f).replace(r"\ ", r"[ \u00a0]+") for f in sorted(set(forms), key=len, reverse=True))
    return "|".join(escaped)


def _words(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@cache
def amount_pattern(currency_file: str = "currencies.tsv") -> re.Pattern[str]:
    """The one pattern the component runs: money with its currency before or after, else a bare
    number phrase (a count candidate). Alternatives are tried in that order at each position."""
    cur = currencies(currency_file)
    sp = r"[ \u00a0]"
    numeral = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    wordnum = _WORDNUM
    scale = rf"(?:hundred|dozen|{_words(SCALES)})s?"
    # "and" only continues a number after a scale ("two hundred and fifty"), "of" only joins a
    # vague multiple to its scale ("tens of thousands").
    vague_scale = r"(?:hundreds|thousands|millions|billions)\b"
    join = rf"(?:(?:(?<=hundred)|(?<=thousand)){sp}+and{sp}+|{sp}+of{sp}+(?={vague_scale})|{sp}+)"
    lead = rf"(?:(?:half{sp}+)?an?{sp}+(?=(?:{scale})\b))?"
    # Scales are taken possessively (`*+`): "$1.5 billion-worth" must not shrink to "$1.5".
    word_phrase = rf"{lead}(?:{wordnum}|{scale}|tens(?={sp}+of\b))\b(?:{join}(?:{wordnum}|{scale})\b)*+"
    digit_phrase = rf"{numeral}(?:{sp}*{scale}\b)*+"  # "$38million" is written too
    abbreviation = rf"(?:{sp}?(?:{_words(SCALE_ABBREVIATIONS)})\b)"
    money_number = rf"(?:{digit_phrase}(?:-(?:{scale})\b|{abbreviation})?|{word_phrase})"
    codes = rf"(?-i:{_alternation(cur.codes)})"
    # Symbols are matched as written: "RM5m" is ringgit, "rm" is no currency.
    symbols = rf"(?-i:{_alternation(cur.symbols)})"
    before = rf"(?:(?<![\w$])(?:{symbols}|{codes}{sp}){sp}?)"
    after = rf"(?:{sp}?{symbols}|{sp}+(?:of{sp}+)?(?:{_alternation(cur.names)}|{codes}))"
    # A number glued to letters, to a hyphen and letters, or inside a longer string of digits and
    # separators is no amount: "F-16", "COVID-19", "24-hour", "21st", "1990s", "10:30", "9/11",
    # "+1 202 555 0100"; a hyphen between numbers is a range ("500-1,000").
    left = r"(?<![\w.,:/#@+$£€¥])(?<![A-Za-z]-)(?<!\d[ ,.])"
    right = r"""(?![\w'’]|(?<=\d)["″]|-[A-Za-z]|[.,:/]\d|[ \u00a0]\d)"""  # 15" is inches
    return re.compile(
        rf"(?P<pre>{before})(?P<pre_number>{money_number}){right}"
        rf"|{left}(?P<post_number>{digit_phrase}{abbreviation}?|{word_phrase})(?P<post>{after})(?!\w)"
        rf"|{left}(?P<number>{digit_phrase}|{word_phrase}){right}",
        re.IGNORECASE,
    )


def _qualifier_words(qualifiers: Iterable[str]) -> str:
    return _words(q.replace(" ", r"\s+") for q in qualifiers)


_QUALIFIER_BEFORE = re.compile(rf"(?:^|(?<=[\s(]))({_qualifier_words(QUALIFIERS_BEFORE)})\s+$", re.IGNORECASE)
_QUALIFIER_AFTER = re.compile(rf"^\s+({_qualifier_words(QUALIFIERS_AFTER)})\b", re.IGNORECASE)


def approximation_at(text: str, start: int, end: int) -> str | None:
    """The qualifier written just before (or after) the amount at text[start:end]."""
    m = _QUALIFIER_BEFORE.search(text, max(0, start - 30), start)
    if m:
        return " ".join(m.group(1).lower().split())
    m = _QUALIFIER_AFTER.match(text[end:end + 12])
    return " ".join(m.group(1).lower().split()) if m else None


# --- tokens -------------------------------------------------------------------------------------


class _TokenIndex:
    """Character offsets to tokens, by binary search over the token starts (built once per doc)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts: list[int] = doc.to_array(IDX).tolist()  # in C: no Token objects for every token

    def tokens(self, start: int, end: int) -> tuple[int, int]:
        """Indices [i, j) of the tokens covering text[start:end]."""
        i = max(0, bisect_right(self.starts, start) - 1)
        j = max(i + 1, bisect_right(self.starts, end - 1))
        return i, j


def _anchor(doc: Doc, i: int, j: int) -> Token:
    """The token of doc[i:j] the parse hangs the phrase on: the rightmost whose head lies outside."""
    for k in range(j - 1, i - 1, -1):
        head = doc[k].head
        if head.i < i or head.i >= j or head.i == k:
            return doc[k]
    return doc[j - 1]


def _is_counted_noun(token: Token) -> bool:
    if token.pos_ == "NOUN":
        return True
    # Plural proper nouns and nationality words count people ("three Americans", "40 Ukrainians").
    return token.pos_ == "PROPN" and (token.tag_ == "NNPS" or token.ent_type_ == "NORP")


def counted_noun(doc: Doc, i: int, j: int) -> Token | None:
    """What the number doc[i:j] counts, from the parse: the noun it modifies ("40 countries"),
    through a number it is joined to ("between 500 and 1,000 civilians"), or the object of its
    "of" ("thousands of people", "40 of the countries")."""
    anchor = token = _anchor(doc, i, j)
    for _ in range(3):
        head = token.head
        if token.dep_ in ("nummod", "amod", "compound") and head.i >= j and _is_counted_noun(head):
            return head
        if head.pos_ == "NUM" and head.i != token.i and not i <= head.i < j and abs(head.i - token.i) <= 4:
            token = head
            continue
        if head.lower_ in COMPARATIVES and head.i == j and _is_counted_noun(head.head) and head.head.i > head.i:
            return head.head  # "25 million more people"
        break
    for child in anchor.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.rights:
                if obj.dep_ == "pobj" and _is_counted_noun(obj):
                    return obj
    return None


def _unit_of(noun: Token, value: float) -> str | None:
    """The unit a counted noun gives, with the common nouns compounded to it ("crew members",
    "short-haul aircraft"), or None when it is a duration, a measure, a ratio, a model number
    ("18 more 777s") or, for more than one, a singular modifier ("a 3-2 win", "a 5,000 troop deployment")."""
    if value != 1 and noun.tag_ not in ("NNS", "NNPS") and noun.lower_ not in INVARIANT_PLURALS:
        return None
    doc, first = noun.doc, noun.i
    while first > 0:
        prev = doc[first - 1]
        if prev.dep_ == "compound" and prev.pos_ == "NOUN":
            first -= 1
        elif prev.text == "-" and first > 1 and not prev.whitespace_ and not doc[first - 2].whitespace_:
            first -= 2  # "short-haul", "fact-checkers"
        else:
            break
    if noun.lower_ in NOT_COUNTED_NOUNS or noun.lemma_.lower() in NOT_COUNTED_NOUNS:
        return None
    words = [t.lower_ for t in doc[first:noun.i] if t.text != "-"]
    if any(w in MEASURE_NOUNS or any(ch.isdigit() for ch in w) for w in [*words, noun.lower_]):
        return None  # "2 GHz models", "18 more 777s"
    unit = "".join(t.text_with_ws for t in doc[first:noun.i + 1]).lower().strip()
    return PEOPLE_NOUNS.get(unit, unit)


# --- the component ------------------------------------------------------------------------------


@dataclass
class _Candidate:
    """A count candidate: a number phrase, and the unit of the noun it counts once one is found."""

    start: int
    end: int
    value: float
    tokens: tuple[int, int]
    unit: str | None
    money: str | None = None
    vague: bool = False
    noun: int | None = None


class AmountFinder:
    """The pipeline component: sets `doc._.amounts` to the article's `Amount`s."""

    def __init__(self, currency_file: str = "currencies.tsv", counts: bool = True) -> None:
        self.currency_file = currency_file
        self.counts = counts
        self.pattern = amount_pattern(currency_file)  # compile when the pipeline is built
        self.months = _month_words()

    def __call__(self, doc: Doc) -> Doc:
        doc._.amounts = self.find(doc)
        return doc

    def find(self, doc: Doc) -> list[Amount]:
        text = text_of(doc)
        index = _TokenIndex(doc)
        found: list[Amount] = []
        candidates: list[_Candidate] = []
        for m in self.pattern.finditer(text):
            if m.group("number") is None:
                amount = self.money(doc, index, text, m)
                if amount is not None:
                    found.append(amount)
            elif self.counts:
                candidate = self.count_candidate(doc, text, index, m)
                if candidate is not None:
                    candidates.append(candidate)
        _share_range_units(doc, candidates)
        candidates = _drop_labels(doc, candidates)
        money_ends = {a.end for a in found}
        found.extend(self.count_record(doc, index, text, c) for c in candidates
                     if c.unit is not None and not (c.money and c.end in money_ends))
        return sorted(found, key=lambda a: a.start)

    def money(self, doc: Doc, index: _TokenIndex, text: str, m: re.Match[str]) -> Amount | None:
        number = m.group("pre_number") or m.group("post_number")
        form = m.group("pre") or m.group("post")
        value = parse_decimal(number)
        code = currencies(self.currency_file).code_of(_strip_of(form))
        if value is None or code is None:
            return None
        if _strip_of(form).casefold() in WEIGHT_CURRENCY_NAMES and not _has_scale(number):
            return None  # "weighs 236 pounds", "500 pounds of explosives"; "5 million pounds" is sterling
        if is_ratio(text, m.start(), m.end()):
            return None
        if not _has_scale(number):
            value *= _range_scale(text, m.end())
        approximation = self.approximation(doc, index, text, m.start(), m.end(), is_vague(number))
        return Amount(start=m.start(), end=m.end(), text=m.group(0), value=float(value), unit=code,
                      approximation=approximation)

    def count_candidate(self, doc: Doc, text: str, index: _TokenIndex, m: re.Match[str]) -> _Candidate | None:
        start, end = m.span("number")
        phrase = m.group("number")
        value = parse_decimal(phrase)
        if value is None or _TIME_OR_SHARE_AFTER.match(text, end) or is_ratio(text, start, end):
            return None
        i, j = index.tokens(start, end)
        if any(doc[k].ent_type_ in NOT_COUNT_LABELS for k in range(i, j)) or self.is_date_or_label(doc, i, j):
            return None
        if _is_year(phrase) and doc[i].ent_type_ != "CARDINAL":
            return None
        if value == 1 and self.approximation(doc, index, text, start, end, vague=False) is None:
            return None  # "one of them", "one day", "a million reasons": one is no reported count
        if not phrase[0].isdigit() and value < 10 and i > 0 and doc[i - 1].lower_ in DEFINITE_DETERMINERS:
            return None  # "the two leaders", "both sides": a reference to known things, not a count
        noun = counted_noun(doc, i, j)
        if noun is None:  # no unit yet: it may get one as the first number of a range
            return _Candidate(start, end, float(value), (i, j), None, vague=is_vague(phrase))
        money = currencies(self.currency_file).names.get(noun.lower_)
        if money is not None:  # "5 million Ukrainian hryvnias": a count of a currency is money
            return _Candidate(start, noun.idx + len(noun), float(value), (i, j), money, money, is_vague(phrase), noun.i)
        unit = _unit_of(noun, float(value))
        if unit is None:
            return None  # a duration, measure or ratio: not even a range partner for the next number
        return _Candidate(start, end, float(value), (i, j), unit, None, is_vague(phrase), noun.i)

    @staticmethod
    def approximation(doc: Doc, index: _TokenIndex, text: str, start: int, end: int, vague: bool) -> str | None:
        """The qualifier of the amount at text[start:end], unless the parse reads it as a preposition;
        a vague plural with none commits to its lower bound."""
        approximation = approximation_at(text, start, end)
        if approximation in PREPOSITION_QUALIFIERS:
            i = index.tokens(start, end)[0]
            if i > 0 and doc[i - 1].lower_ == approximation and doc[i - 1].dep_ == "prep":
                approximation = None
        if approximation is None and vague:
            approximation = VAGUE_APPROXIMATION
        return approximation

    def is_date_or_label(self, doc: Doc, i: int, j: int) -> bool:
        """A month name next to the number ("April 26", "26 April"), or a word that makes it an
        age or a label ("aged 40", "No. 5", "Article 5")."""
        before = doc[i - 1] if i > 0 else None
        after = doc[j] if j < len(doc) else None
        if before is not None and (before.text.rstrip(".") in self.months or before.lower_ in AGE_OR_LABEL_BEFORE):
            return True
        # a name compounded with the number's noun: "Boeing 737 jets", "Fortune 500 companies"
        if before is not None and before.pos_ == "PROPN" and before.dep_ == "compound" and before.head.i >= j:
            return True
        return after is not None and after.text.rstrip(".") in self.months

    def count_record(self, doc: Doc, index: _TokenIndex, text: str, c: _Candidate) -> Amount:
        approximation = self.approximation(doc, index, text, c.start, c.end, c.vague)
        return Amount(start=c.start, end=c.end, text=text[c.start:c.end], value=c.value, unit=c.unit or "",
                      approximation=approximation)


def _share_range_units(doc: Doc, candidates: list[_Candidate]) -> None:
    """The first number of a range has the second's unit: "500 to 1,000 civilians"."""
    for first, second in pairwise(candidates):
        if first.unit is not None or second.unit is None or second.money is not None:
            continue
        between = doc[first.tokens[1]:second.tokens[0]]
        if 0 < len(between) <= 2 and all(t.lower_ in RANGE_WORDS for t in between):
            first.unit = second.unit


_RANGE_SCALE = re.compile(
    rf"\s*(?:-|–|to)\s*[$£€¥]?\d[\d,.]*\s?({'|'.join([*_MULTIPLIER_WORDS, *SCALE_ABBREVIATIONS])})\b", re.IGNORECASE
)


def _range_scale(text: str, end: int) -> int:
    """The scale a range writes once, on its second number: "$5-10 million" is $5 million."""
    m = _RANGE_SCALE.match(text, end)
    if m is None:
        return 1
    word = m.group(1).lower()
    return 100 if word == "hundred" else DOZEN if word == "dozen" else SCALES.get(word) or SCALE_ABBREVIATIONS[word]


def _has_scale(number: str) -> bool:
    return any(w.rstrip("s") in _MULTIPLIER_WORDS or w in SCALE_ABBREVIATIONS
               for w in _NUMBER_PIECES.findall(number.lower()))


def is_ratio(text: str, start: int, end: int) -> bool:
    """The number at text[start:end] is one side of a ratio ("eight of 10", "1 in 4")."""
    if _RATIO_AFTER.match(text, end) is not None:
        return True
    return _RATIO_BEFORE.search(text, max(0, start - 24), start) is not None


def _drop_labels(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """Of two numbers on one noun that are no range, the second is a model or series number:
    "five new 737 aircraft", "20 of Boeing's 777 planes"."""
    kept: list[_Candidate] = []
    for c in candidates:
        earlier = next((k for k in reversed(kept) if c.noun is not None and k.noun == c.noun), None)
        if earlier is not None and not all(t.lower_ in RANGE_WORDS for t in doc[earlier.tokens[1]:c.tokens[0]]):
            continue
        kept.append(c)
    return kept


def _strip_of(form: str) -> str:
    form = form.strip(" \u00a0")
    return form[3:].lstrip(" \u00a0") if form[:3].lower() == "of " or form[:3].lower() == "of\u00a0" else form


_YEAR = re.compile(r"1\d{3}|20\d{2}")


def _is_year(phrase: str) -> bool:
    """A bare four-digit number from 1000 to 2099 is read as a year unless the NER says it counts."""
    return _YEAR.fullmatch(phrase) is not None


@cache
def _month_words() -> frozenset[str]:
    """Month names and abbreviations as written, from the dates lexicon."""
    return frozenset(row["word"] for row in table("date_words.tsv") if row["kind"] in ("month", "month_abbr"))


@Language.factory("newsgraph_amounts", default_config={"currencies": "currencies.tsv", "counts": True})
def make_amount_finder(nlp: Language, name: str, currencies: str, counts: bool) -> AmountFinder:
    return AmountFinder(currencies, counts)
