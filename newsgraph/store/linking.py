"""The same actor across articles: link each article's entities to corpus-wide actors, explainably.

Within one article the analyser has already grouped "Vladimir Putin / Putin / President Putin / he" into one
`Entity`. Across articles this module decides, one entity at a time, whether it is an actor the corpus
already holds. It is pure (no database); the store calls

    context = context_of(document)
    keys = dictionary_keys(entity) + lookup_keys(entity, context)   # index keys of candidate actors
    candidates = store.actors_with_any_key(keys)       # their ActorProfiles
    decision = decide_link(entity, context, candidates)
    entity = as_linked(entity, decision.as_type)       # (an NER ORG linked as a person)
    if decision.actor_id is None: profile = profile_for(entity, context, decision)   # a new actor
    else: profile = merge_profile(candidate, entity, context)
    index the actor under keys_for_profile(profile); persist it with profile_to_dict / profile_from_dict

How names are compared (all through `fold`: casefold, accents stripped, possessive "'s" and dots dropped):
- a person's name without titles or honorifics ("President Putin" -> "putin"), middle names, initials and
  suffixes ("Joseph R. Biden Jr." -> "joseph biden"), with "-iy"/"-yy" endings spelled "-y" so
  transliterations meet ("Zelenskiy", "Zelenskyy", "Zelensky");
- an organisation's or government's name with its country written one way ("U.S. Army" == "US Army" ==
  "United States Army", "Russia's Defense Ministry" == "Russian Ministry of Defence");
- a title as a role plus the countries it names ("Russian President" -> role "president", country RU).

How a decision is made: each candidate of the entity's type gets a score: a base for how the names match
(same full name 4.0; same surname with a compatible first name 2.5, initial 1.5, a first name one letter
from the spelling of an actor seen in three articles or more 1.5; bare surname 0.25;
description matching a title seen with the actor 1.0 + log2 of how often) plus what the article shares with
the candidate (title 1.5, own country 1.0, 0.25 per actor seen together up to 1.0, ...), minus conflicts
(another country -4, "Mr." for a "Mrs." -2, a title last seen with it over two years away -2). The best is
linked when its score reaches LINK_MIN_SCORE and, with a small prominence prior, beats the runner-up by
LINK_MARGIN; otherwise the entity gets a new actor and the decision says why (rules: same-name,
name-variant, spelling-variant, surname, acronym, title; new, name-mismatch, no-match, insufficient-evidence,
ambiguous, same-name-conflict, generic-not-linked, kind-not-linked, group-not-linked). Full names that differ in
first name never link (Boris vs Andrew Johnson), nor do ones whose middle initials differ (George H.W. vs George W.
Bush); groups ("officials") and organisations named by their kind alone ("the PAC") never link at all.

Before all that, an entity written as a name or alias of an analyst's dictionary actor (`newsgraph actors
import`) is that actor (rule dictionary; `dictionary_keys` finds them). A bare surname that fits several actors
joins the full-name actor seen in SURNAME_DOMINANCE times as many articles as any other when the article supports
it and contradicts it in nothing (rule surname-most-seen: "Obama" is Barack unless the article says otherwise).
An NER ORG that may be a person's name ("Trump") is linked as a PERSON when such a person is known and at least as
well known as an organisation of that name (`LinkDecision.as_type`); an actor's type is the majority of its
entities', person evidence (titles, "Mr.") counting three times. Peoples in the plural are the singular
("Republicans" / "Republican"). Every decision carries a confidence (`link_confidence`, CONFIDENCE_BANDS).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property, lru_cache
from typing import Any

from newsgraph.lexicons import demonyms, person_title_stems, table
from newsgraph.mentions import ORGANISATION_HEADS
from newsgraph.records import Document, Entity

# --- thresholds -------------------------------------------------------------------------------------
# Scores add up evidence on a log-odds-like scale; tests/test_store_linking.py holds the cases they were set on.

LINK_MIN_SCORE = 1.25  # a candidate needs at least this score to be linked
LINK_MARGIN = 0.75  # ... and must beat the runner-up by this much, else the entity is ambiguous

BASE_SAME_NAME = 4.0
BASE_GIVEN_VARIANT = 2.5  # same surname, first name a prefix or a known short form ("Joe" / "Joseph")
BASE_GIVEN_INITIAL = 1.5  # same surname, one first name is an initial ("J. Biden")
BASE_GIVEN_MIDDLE = 1.0  # same surname, a given name matches another given name ("Van Voorhis", "bin Laden")
BASE_GIVEN_SPELLING = 1.5  # same surname, a given name one slip from the corpus's spelling ("Hilary" / "Hillary")
SPELLING_MIN_LENGTH = 5  # ... in given names of this many letters or more
SPELLING_MIN_ARTICLES = 3  # ... of an actor seen in this many articles or more
SPELLING_RULE = "spelling-variant"
BASE_SURNAME = 0.25  # a bare surname ("Austin"): the article must support the candidate
BASE_ACRONYM = 2.0  # the article wrote the organisation as an acronym the actor is known by ("UN")
BASE_TITLE = 1.0  # "the Russian president" and an actor seen with that title in that country

SUPPORT_SHARED_TITLE = 1.5
SUPPORT_SHARED_ROLE_HEAD = 0.75  # "Defense Secretary" and "Secretary"
SUPPORT_SHARED_COUNTRY = 1.0
SUPPORT_COUNTRY_IN_ARTICLE = 0.5  # the candidate's own country is one the article is about
SUPPORT_SEEN_IN_ARTICLE_COUNTRY = 0.25  # the candidate was seen in articles about one of this article's countries
# Actors seen together: weak, because a few actors (a president, a candidate) are seen with nearly everyone.
SUPPORT_PER_COOCCURRING = 0.25
SUPPORT_COOCCURRING_CAP = 1.0
# Prominence: an actor seen in many articles is likelier than one seen once. PRIOR_WEIGHT * ln(article_count),
# at most PRIOR_CAP, which is below LINK_MARGIN: it only ranks candidates and breaks near-ties the article
# already leans on; it never counts toward LINK_MIN_SCORE and never decides between equally fitting actors.
PRIOR_WEIGHT = 0.25
PRIOR_CAP = 0.5
PENALTY_COUNTRY_CONFLICT = -4.0  # "British minister X" is not "U.S. ambassador X"
PENALTY_GENDER_CONFLICT = -2.0  # "Mr. Clinton" is not the actor seen as "Mrs. Clinton"
SUPPORT_SAME_HONORIFIC = 0.25
PENALTY_TITLE_STALE = -2.0  # "the U.S. president" of 2022 is not the actor last seen with the title in 2016
TITLE_STALE_DAYS = 730

# Profiles stay small: only the most frequent items of each kind are kept.
MAX_ALIASES = 20
MAX_TITLES = 20
MAX_COUNTRIES = 5
MAX_CONTEXT_COUNTRIES = 10
MAX_COOCCURRING = 50
MAX_KEY_TITLES = 8  # titles (most frequent first) that get index keys
MAX_KEY_COUNTRIES = 3
MAX_CONTEXT_KEY_COUNTRIES = 6  # countries an unqualified description ("the president") is looked up in
MAX_KEY_LENGTH = 300  # the store's key column
# An article "is about" one country when that country has this share of its place and country mentions and
# this many times the runner-up's (the NYT climate article of the PolNeAR dev split: US 33, China 18 of 67).
MAIN_COUNTRY_SHARE = 0.4
MAIN_COUNTRY_LEAD = 1.5

GROUP_RULE = "group-not-linked"
COUNTRY_ABBREVIATIONS = frozenset({"us", "usa", "uk"})  # written forms of a name, not adjectives
NOT_GENERIC_ORGS = frozenset({"security council", "general assembly"})  # the UN's, wherever they are written

# Name parts that are not the person: suffixes, and particles that belong to the surname ("de Gaulle").
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
SURNAME_PARTICLES = frozenset({"de", "von", "der", "den", "le", "la", "du", "di", "da", "del", "della", "dos", "das",
                               "ter", "ten"})
LOWERCASE_PARTICLES = frozenset({"al", "el", "van"})  # particles only when written lower-case ("Al Gore")
# Titles that are also part of how a person is named, so they are kept in the name ("King Charles",
# "Pope Francis", "Sheikh Hasina") or are common given names ("Dean Baquet").
NAME_LIKE_TITLES = frozenset({"dean", "king", "queen", "prince", "princess", "pope", "bishop", "judge", "sheikh",
                              "emir", "sultan", "father", "chancellor", "member", "head", "owner", "coach",
                              "manager", "sheriff", "warden", "cardinal", "lord", "dame", "sir"})
# Words that qualify a title without being one ("Prime Minister", "former Defense Secretary").
TITLE_MODIFIERS = frozenset({"former", "acting", "deputy", "interim", "then", "foreign", "defense", "defence",
                             "prime", "vice", "senior", "top", "state", "gov", "sgt", "maj", "capt", "adm",
                             "supreme", "house", "senate", "assistant", "secretary", "general", "attorney",
                             "presidential", "democratic", "republican", "chief", "lt", "rep", "sen"})
# Honorifics are titles that say nothing of a role, but "Mr. Clinton" is not Hillary Clinton.
HONORIFIC_GENDER = {"mr": "male", "sir": "male", "lord": "male", "mrs": "female", "ms": "female", "miss": "female",
                    "dame": "female", "lady": "female", "madam": "female"}
HONORIFICS = frozenset(HONORIFIC_GENDER) | {"dr"}
# Abbreviated titles, read as written in full so "Sen." and "Senator" are one title.
TITLE_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
                       "lt": "lieutenant", "col": "colonel", "adm": "admiral", "capt": "captain", "sgt": "sergeant",
                       "rev": "reverend", "maj": "major", "supt": "superintendent", "atty": "attorney",
                       "amb": "ambassador", "pres": "president"}
TIME_MODIFIERS = frozenset({"former", "acting", "interim", "then", "outgoing", "incoming"})
FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "in", "to", "for", "and", "at", "on", "s"})
# Words an organisation name may be made of without naming any one organisation ("Defense Ministry").
GENERIC_ORG_WORDS = frozenset({
    "ministry", "department", "government", "army", "military", "navy", "air", "force", "forces", "police",
    "parliament", "defense", "foreign", "interior", "justice", "finance", "health", "affairs", "office",
    "committee", "intelligence", "service", "services", "security", "council", "court", "supreme", "central",
    "bank", "national", "state", "federal", "agency", "administration", "embassy", "general", "staff", "armed",
    "prosecutor", "prosecutors", "border", "guard", "emergency", "emergencies", "economy", "trade", "energy",
    "education", "public", "presidential", "cabinet", "press", "regional", "city", "hall", "of", "and", "for",
    "the", "high", "constitutional", "electoral", "commission", "special", "operations", "command", "senate",
    "assembly", "house",
})


# --- lexicons ---------------------------------------------------------------------------------------


@cache
def country_codes() -> dict[str, str]:
    """Folded country name, other name or adjective -> ISO 3166-1 alpha-2 ("us", "america", "russian" ...)."""
    rows = table("countries.tsv")
    iso3_to_iso2 = {row["iso3"]: row["iso2"] for row in rows}
    out: dict[str, str] = {}
    for row in rows:
        out[_drop_article(fold(row["name"]))] = row["iso2"]
    for row in table("places_variants.tsv"):
        if row["feature"] == "country" and row["use"] == "any":
            out.setdefault(_drop_article(fold(row["alias"])), row["country"])
    for adjective, (_, iso3) in demonyms().items():
        if iso3 in iso3_to_iso2:  # "European" (EUR) and other blocs name no country
            out.setdefault(fold(adjective), iso3_to_iso2[iso3])
    return out


@cache
def country_adjectives() -> frozenset[str]:
    """Folded adjectives and abbreviations of countries ("russian", "us", "uk"), the country words that may
    start a person's written name ("U.S. Sen. ...") without being a given name, as "Jordan" or "Chad" can be."""
    codes = country_codes()
    adjectives = {fold(a) for a in demonyms()} | COUNTRY_ABBREVIATIONS | {"un", "eu"}
    return frozenset(a for a in adjectives if a in codes or a in {"un", "eu"})


@cache
def country_names() -> dict[str, str]:
    """ISO alpha-2 -> the one folded name every way of writing the country is replaced by."""
    return {row["iso2"]: _drop_article(fold(row["name"])) for row in table("countries.tsv")}


@cache
def given_name_short_forms() -> dict[str, frozenset[str]]:
    """Folded given name -> the names it is a short or full form of (`data/given_name_short_forms.tsv`)."""
    pairs: dict[str, set[str]] = {}
    for row in table("given_name_short_forms.tsv"):
        short, full = _spelling(fold(row["short"])), _spelling(fold(row["full"]))
        pairs.setdefault(short, set()).add(full)
        pairs.setdefault(full, set()).add(short)
    return {name: frozenset(forms) for name, forms in pairs.items()}


@cache
def title_words() -> frozenset[str]:
    """Every word of a person title ("secretary", "general", "prime", "minister", "sen")."""
    return frozenset(w for stem in person_title_stems() for w in fold(stem).replace("-", " ").split())


@cache
def multiword_titles() -> frozenset[str]:
    return frozenset(fold(s).replace("-", " ") for s in person_title_stems() if " " in s or "-" in s)


# --- folding and parsing ----------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"\s*['’]s\b")
_APOSTROPHES = re.compile(r"['’`´]")
_NOT_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"\s+")
_LATIN_ENDING = re.compile(r"(?:iy|yy|ii)$")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Casefolded, accents stripped, possessives, dots and punctuation (not hyphens) dropped, spaces collapsed:
    "Russia 's U.S. Envoy" -> "russia us envoy"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _POSSESSIVE.sub("", text).replace(".", "")
    text = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text))
    return _SPACES.sub(" ", text).strip(" -")


def _drop_article(text: str) -> str:
    return text[4:] if text.startswith("the ") else text


def _spelling(token: str) -> str:
    """One spelling for common transliteration endings: Zelenskiy / Zelenskyy -> zelensky, Andrii -> andry."""
    return _LATIN_ENDING.sub("y", token) if len(token) > 3 else token


def _country_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """The country written at tokens[i:] (longest match) and how many tokens it takes."""
    codes = country_codes()
    for n in range(min(5, len(tokens) - i), 0, -1):
        code = codes.get(" ".join(tokens[i : i + n]))
        if code is not None:
            return code, n
    return None


def _canonical_countries(tokens: list[str]) -> tuple[list[str], frozenset[str]]:
    """Every country written in the tokens replaced by its one name: ["us", "army"] -> ["united", "states",
    "army"]; also the countries found."""
    out: list[str] = []
    found: set[str] = set()
    i = 0
    while i < len(tokens):
        hit = _country_at(tokens, i)
        if hit is None:
            out.append(tokens[i])
            i += 1
            continue
        code, n = hit
        found.add(code)
        out.extend(country_names().get(code, " ".join(tokens[i : i + n])).split())
        i += n
    return out, frozenset(found)


@dataclass(frozen=True)
class Role:
    """A title as a role and the countries it names: "U.S. Defense Secretary" -> ("defense secretary", {US})."""

    role: str
    countries: frozenset[str]

    @property
    def head(self) -> str:
        return role_head(self.role)


@lru_cache(maxsize=16384)
def parse_title(title: str) -> Role:
    """Countries are read before the role ("Russian President", "Russia's ambassador") and in a trailing
    "of <country>" ("Foreign Minister of Ukraine"); "ambassador to the U.S." keeps its host country in the role."""
    words = fold(title).replace("-", " ").replace("defence", "defense").split()
    tokens = [TITLE_ABBREVIATIONS.get(t, _spelling(t)) for t in words if t not in {"a", "an", "the"}]
    countries: set[str] = set()
    while tokens:
        hit = _country_at(tokens, 0)
        if hit is None or hit[1] == len(tokens):
            break
        countries.add(hit[0])
        tokens = tokens[hit[1] :]
    for i in range(len(tokens) - 2, 0, -1):
        if tokens[i] == "of":
            hit = _country_at(tokens, i + 1)
            if hit is not None and i + 1 + hit[1] == len(tokens):
                countries.add(hit[0])
                tokens = tokens[:i]
            break
    return Role(" ".join(tokens), frozenset(countries))


@lru_cache(maxsize=16384)
def role_head(role: str) -> str:
    """The office a role names, without qualifiers: "defense secretary" -> "secretary", "former prime minister"
    -> "prime minister", "aide to zelensky" -> "aide"."""
    words = role.split()
    heads = [i for i, w in enumerate(words) if w in title_words() and w not in TIME_MODIFIERS]
    if not heads:
        return role
    # The first title word followed only by other title words ("secretary general", "prime minister").
    last = heads[0]
    while last + 1 < len(words) and words[last + 1] in title_words():
        last += 1
    start = heads[0]
    if start > 0 and f"{words[start - 1]} {words[start]}" in multiword_titles():
        start -= 1
    return " ".join(words[start : last + 1])


@dataclass(frozen=True)
class PersonName:
    """A person's name as compared across articles: the first given name, other given names, and the surname
    (without particles, hyphenated prefixes, initials or suffixes)."""

    given: str | None
    surname: str
    middle: tuple[str, ...] = ()
    initials: str = ""  # middle initials as written ("hw" for "George H.W. Bush"): they tell father from son

    @property
    def initialled(self) -> str:
        """The key form with the middle initials, kept as an alias so they can be compared ("george w. bush")."""
        return f"{self.given} {self.initials}. {self.surname}" if self.given and self.initials else ""

    @property
    def full(self) -> str:
        """The key form: first given name and surname ("joseph biden" for "Joseph R. Biden Jr.")."""
        return f"{self.given} {self.surname}" if self.given else self.surname

    @property
    def long(self) -> str:
        """With the other given names ("hillary rodham clinton"), kept so they can match a later entity."""
        return " ".join([self.given, *self.middle, self.surname]) if self.given else self.surname

    @property
    def givens(self) -> tuple[str, ...]:
        return (self.given, *self.middle) if self.given else ()

    @classmethod
    def from_alias(cls, alias: str) -> PersonName:
        words = alias.split()
        middle = tuple(w for w in words[1:-1] if not w.endswith("."))
        initials = "".join(w[:-1] for w in words[1:-1] if w.endswith("."))
        return cls(words[0] if len(words) > 1 else None, words[-1], middle, initials)


@lru_cache(maxsize=16384)
def parse_person_name(name: str) -> PersonName | None:
    """ "President Vladimir Putin" -> (vladimir, putin); "Joseph R. Biden Jr." -> (joseph, biden);
    "Ursula von der Leyen" -> (ursula, leyen); "de Gaulle" -> (None, gaulle); "al-Assad" -> (None, assad);
    "Hillary Rodham Clinton" -> (hillary, clinton, middle rodham)."""
    if _STANCE_PREFIX.match(name):  # "pro-Israel", "anti-Trump": a stance, no person's name
        return None
    raw = [w for w in re.sub(r"\s+['’]s\b", "'s", name).split() if fold(w)]
    lower_raw = {fold(w) for w in raw if w[:1].islower()}
    tokens = [_spelling(fold(w)) for w in raw]
    tokens = [t for part in tokens for t in part.split()]
    while len(tokens) > 1 and _is_leading_title(tokens[0]):
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in NAME_SUFFIXES:
        tokens = tokens[:-1]
    if not tokens:
        return None
    surname = _surname_core(tokens[-1])
    start = len(tokens) - 1
    while start > 0 and _is_particle(tokens[start - 1], lower_raw):
        start -= 1
    if start == 0 or not surname:
        return PersonName(None, surname) if surname else None
    givens = [t for t in tokens[:start] if t.replace("-", "").isalpha()]
    written_initials = [fold(w) for w in raw[1:-1] if _INITIALS.match(w)]
    initials = "".join(written_initials)
    # (middle initials are no middle names: "George H.W. Bush" is George Bush, initials "hw")
    givens = givens[:1] + [t for t in givens[1:] if len(t) > 1 and t not in written_initials]
    if not givens:
        return PersonName(None, surname)
    return PersonName(givens[0], surname, tuple(givens[1:]), initials if givens[0] not in written_initials else "")


_STANCE_PREFIX = re.compile(r"^(?:pro|anti|non)-", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$|^[A-Z]{1,2}$")


def _is_leading_title(token: str) -> bool:
    if token in NAME_LIKE_TITLES:
        return False
    return token in title_words() or token in TITLE_MODIFIERS or token in country_adjectives() or token == "the"


def _is_particle(token: str, lower_written: set[str]) -> bool:
    return token in SURNAME_PARTICLES or (token in LOWERCASE_PARTICLES and token in lower_written)


def _surname_core(token: str) -> str:
    """The part of a surname used as its key: "al-assad" -> "assad", "ocasio-cortez" -> "cortez"."""
    return token.rsplit("-", 1)[-1]


def is_description(name: str) -> bool:
    """A person named by title or role rather than by name: "Russian president", "Russia's ambassador in
    Washington", "his lawyer", "President" -- a lower-case title word not followed by a name (so not
    "former president Barack Obama"), or nothing but titles and countries ("President", "Mr.")."""
    words = [w for w in re.sub(r"\s+['’]s\b", "'s", name).replace("-", " ").split() if fold(w)]
    folded = [fold(w) for w in words]
    for k, (word, token) in enumerate(zip(words, folded, strict=True)):
        if word[:1].islower() and token in title_words():
            after = words[k + 1] if k + 1 < len(words) else ""
            if not after[:1].isupper():
                return True
    return any(t in title_words() for t in folded) and all(_is_qualifier(t) for t in folded)


def _is_qualifier(token: str) -> bool:
    return (token in title_words() or token in TITLE_MODIFIERS or token in FUNCTION_WORDS
            or token in country_codes())


@lru_cache(maxsize=16384)
def parse_org_name(name: str) -> tuple[str, frozenset[str], str]:
    """An organisation's comparable name, the countries it names, and its generic part ("" unless the rest of
    the name is only common words). "Russia's Defense Ministry", "Russian Ministry of Defence" -> ("russia defense
    ministry", {RU}, "defense ministry"); "U.S. Chamber of Commerce" -> ("united states chamber of commerce",
    {US}, ""); "American Action Forum" keeps its adjective; "Bank of America" keeps its name."""
    tokens = _drop_article(fold(name).replace("defence", "defense")).split()
    hit = _country_at(tokens, 0)
    if hit is not None and hit[1] == len(tokens):  # the name is a country's: "Moldova" tagged ORG
        return country_names().get(hit[0], " ".join(tokens)), frozenset({hit[0]}), ""
    countries: set[str] = set()
    written = ""
    if hit is not None:
        countries.add(hit[0])
        written, tokens = " ".join(tokens[: hit[1]]), tokens[hit[1] :]
    for i in range(len(tokens) - 2, 0, -1):
        if tokens[i] == "of":  # "Ministry of Defense of Ukraine"; "Bank of America" stays as written
            tail = _country_at(tokens, i + 1)
            if tail is not None and i + 1 + tail[1] == len(tokens):
                countries.add(tail[0])
                if _is_generic(_org_rest(tokens[:i])):
                    tokens = tokens[:i]
            break
    rest = _org_rest(tokens)
    generic = rest if _is_generic(rest) else ""
    if countries and (generic or (written and written not in country_adjectives() - COUNTRY_ABBREVIATIONS)):
        prefix = " ".join(country_names().get(c, c) for c in sorted(countries))
        return f"{prefix} {rest}", frozenset(countries), generic
    return (f"{written} {rest}" if written else rest), frozenset(countries), generic


def _org_rest(tokens: list[str]) -> str:
    # "Ministry of Defense" / "Defense Ministry", "Department of State" / "State Department", "Department of the
    # Treasury" / "Treasury Department": the same office written two ways
    rest = re.sub(r"^(ministry|department) of (?:the )?(\w+(?: \w+)?)$", r"\2 \1", " ".join(tokens))
    return rest.replace("foreign affairs ministry", "foreign ministry")


def _is_generic(rest: str) -> bool:
    return bool(rest) and rest not in NOT_GENERIC_ORGS and all(w in GENERIC_ORG_WORDS for w in rest.split())


@lru_cache(maxsize=16384)
def parse_place_name(name: str) -> tuple[str, frozenset[str]]:
    """A government's or people's comparable name and its countries: "Government of the U.S." -> ("government of
    united states", {US}); "Russians" -> ("russians", {RU})."""
    tokens = _drop_article(fold(name)).split()
    canonical, countries = _canonical_countries([t for t in tokens if t != "the"])
    if not countries and len(tokens) == 1 and tokens[0].endswith("s"):
        singular = country_codes().get(tokens[0][:-1])  # "Russians", "Americans"
        countries = frozenset({singular}) if singular else countries
    return " ".join(canonical), countries


def is_acronym(text: str) -> bool:
    """ "NATO", "UN", "U.N.": two to six capitals, dots allowed."""
    bare = text.replace(".", "").strip()
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


@dataclass(frozen=True)
class EntityView:
    """What linking needs to know about one entity, computed once per (name, type, titles).

    kind: "name" (a proper name), "description" (a person named by role: "the Russian president"),
    "generic" (an organisation named only by common words: "Defense Ministry") or "group".
    """

    type: str
    display: str
    kind: str
    full: str  # comparable full name (empty for descriptions)
    person: PersonName | None
    roles: frozenset[Role]
    countries: frozenset[str]  # the entity's own countries: from its titles or its name
    generic: str | None  # for organisations: the name without its country when it is generic
    mention_acronyms: frozenset[str]

    @property
    def match_form(self) -> str:
        """The form other actors' co-occurrence lists use: the surname for a person (so an article that only
        says "Putin" counts), the comparable name otherwise."""
        return self.person.surname if self.person is not None else self.full

    @property
    def role_names(self) -> frozenset[str]:
        """Roles and honorifics ("president", "mr"), as kept in profiles."""
        return frozenset(r.role for r in self.roles if r.role)

    @property
    def offices(self) -> frozenset[str]:
        """Roles without honorifics: what can be shared as a title."""
        return self.role_names - HONORIFICS

    @property
    def gender(self) -> str | None:
        return _gender_of(self.role_names)


def view_of(entity: Entity) -> EntityView:
    # (an acronym that is an organisation's kind, "the PAC" of "Conservative Solutions PAC", names no one body: as
    # an alias it linked every article's "PAC" to that one)
    acronyms = tuple(sorted({m.text for m in entity.mentions if is_acronym(m.text)
                             and m.text.replace(".", "").casefold() not in ORGANISATION_HEADS}))
    return _view(entity.name, entity.type, tuple(entity.titles), acronyms)


@lru_cache(maxsize=16384)
def _view(name: str, type_: str, titles: tuple[str, ...], mention_acronyms: tuple[str, ...]) -> EntityView:
    display = re.sub(r"\s+(['’]s)\b", r"\1", _SPACES.sub(" ", name)).strip()
    roles = {parse_title(t) for t in titles}
    roles = {r for r in roles if r.role or r.countries}
    acronyms = frozenset(a.replace(".", "").casefold() for a in mention_acronyms)
    if type_ == "GROUP":
        return EntityView(type_, display, "group", "", None, frozenset(roles), frozenset(), None, frozenset())
    if type_ == "PERSON":
        if is_description(name):
            role = parse_title(name)
            roles.add(role)
            countries = frozenset(c for r in roles for c in r.countries)
            return EntityView(type_, display, "description", "", None, frozenset(roles), countries, None,
                              frozenset())
        person = parse_person_name(name)
        countries = frozenset(c for r in roles for c in r.countries)
        full = person.full if person else fold(name)
        return EntityView(type_, display, "name", full, person, frozenset(roles), countries, None, frozenset())
    if type_ == "ORG":
        full, countries, generic = parse_org_name(name)
        kind = "generic" if generic and not countries else "name"
        return EntityView(type_, display, kind, full, None, frozenset(roles), countries, generic or None,
                          acronyms if kind == "name" else frozenset())
    full, countries = parse_place_name(name)
    if type_ == "NORP":
        full = singular_people(full)
    return EntityView(type_, display, "name", full, None, frozenset(roles), countries, None, frozenset())


def singular_people(name: str) -> str:
    """A people or party named in the plural as in the singular, so "Republicans" and "Republican", "Texans"
    and "Texan" are one NORP actor ("Swiss", "Chinese", "Israelis" stay as they are)."""
    words = name.split()
    if words and len(words[-1]) > 4 and words[-1].endswith(PLURAL_PEOPLE_ENDINGS):
        words[-1] = words[-1][:-1]
    return " ".join(words)


# Plural endings of peoples' and parties' names: "Americans", "Democrats", "Muslims", "Conservatives", "Liberals".
PLURAL_PEOPLE_ENDINGS = ("ans", "ats", "ists", "ites", "ers", "ims", "ives", "als", "ics", "ens")


# --- the article ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleContext:
    """What an article tells about the actors in it, beyond their names."""

    countries: frozenset[str]  # places' countries and countries named as actors (GPE, NORP)
    names: frozenset[str]  # match forms of its named people and organisations (see EntityView.match_form)
    published: str | None = None
    main_country: str | None = None  # the one country the article is about, when it clearly has one


def context_of(document: Document) -> ArticleContext:
    counts: Counter[str] = Counter(p.country for p in document.places if p.country)
    names: set[str] = set()
    for entity in document.entities:
        view = view_of(entity)
        if entity.type in {"GPE", "NORP"}:
            for code in view.countries:
                counts[code] += max(1, len(entity.mentions))
        elif view.kind == "name" and view.match_form:
            # Governments and peoples are left out: nearly every article names one, so sharing them says little.
            names.add(view.match_form)
    return ArticleContext(frozenset(counts), frozenset(names), document.article.published, _main_country(counts))


def _main_country(counts: Counter[str]) -> str | None:
    ranked = counts.most_common(2)
    if not ranked:
        return None
    code, n = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return code if n / sum(counts.values()) >= MAIN_COUNTRY_SHARE and n >= MAIN_COUNTRY_LEAD * runner_up else None


# --- actor profiles ---------------------------------------------------------------------------------

Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ActorProfile:
    """What the corpus knows about one actor (all strings folded; countries ISO alpha-2).

    aliases: comparable full names seen (empty for actors that must never attract links: descriptions,
    generic names); titles: roles seen; countries: the actor's own countries (from titles and names);
    cooccurring: match forms of other named actors seen in the same articles (the MAX_COOCCURRING most
    frequent). The fields after article_count have defaults so a store that keeps only the first eight
    still works (with every seen item counted once); `profile_to_dict`/`profile_from_dict` keep them all.
    """

    actor_id: int | None
    name: str
    type: str
    aliases: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    cooccurring: frozenset[str] = frozenset()
    article_count: int = 0
    context_countries: frozenset[str] = frozenset()  # countries of the articles it was seen in
    first_seen: str | None = None
    last_seen: str | None = None
    counts: Counts = ()  # "alias:x", "title:x", "country:x", "context:x", "with:x" -> articles seen in
    description: bool = False  # made from a description or generic name: per-article, never linked to
    # From an analyst's actor dictionary: every written form of its name and aliases (`name_forms`). An entity
    # written so is this actor before anything else is considered, and its type is the dictionary's.
    dictionary_aliases: frozenset[str] = frozenset()

    @property
    def dictionary(self) -> bool:
        return bool(self.dictionary_aliases)

    @cached_property
    def _count_map(self) -> dict[str, int]:
        return dict(self.counts)

    def count(self, kind: str, item: str) -> int:
        """In how many articles the item was seen with the actor (1 for items of a profile kept without counts)."""
        n = self._count_map.get(f"{kind}:{item}")
        if n is not None:
            return n
        return 1 if item in self._items(kind) else 0

    def _items(self, kind: str) -> frozenset[str]:
        if kind == "type":  # (a profile stored before types were counted: its type, once)
            return frozenset({self.type}) if self.article_count else frozenset()
        return {"alias": self.aliases, "title": self.titles, "country": self.countries,
                "context": self.context_countries, "with": self.cooccurring}.get(kind, frozenset())

    @cached_property
    def persons(self) -> tuple[PersonName, ...]:
        """The aliases as person names (they are stored as "given [middle ...] surname" or "surname")."""
        return tuple(PersonName.from_alias(alias) for alias in sorted(self.aliases))

    @cached_property
    def heads(self) -> frozenset[str]:
        return frozenset(role_head(t) for t in self.titles - HONORIFICS)

    @cached_property
    def gender(self) -> str | None:
        """From the honorifics it was seen with, the more frequent when both ("Mr." and "Mrs.")."""
        tally = Counter({g: 0 for g in ("male", "female")})
        for title in self.titles & HONORIFICS:
            if title in HONORIFIC_GENDER:
                tally[HONORIFIC_GENDER[title]] += self.count("title", title)
        (first, n), (_, m) = tally.most_common(2)
        return first if n > m else None


PROFILE_KINDS = {"alias": MAX_ALIASES, "title": MAX_TITLES, "country": MAX_COUNTRIES,
                 "context": MAX_CONTEXT_COUNTRIES, "with": MAX_COOCCURRING, "type": 4}
# The actor's type is the majority of its entities' types, an entity with person evidence (a title, "Mr.") counting
# PERSON_EVIDENCE_WEIGHT times: the NER tags a person's bare surname ORG now and then ("Trump"), a title never lies.
PERSON_EVIDENCE_WEIGHT = 3
SWITCHABLE_TYPES = frozenset({"PERSON", "ORG"})


UNRESOLVED_RULES = frozenset({"ambiguous", "insufficient-evidence"})


def profile_for(entity: Entity, context: ArticleContext, decision: LinkDecision | None = None) -> ActorProfile:
    """The profile of a new actor made from one entity.

    Pass the decision that made it: an entity that was ambiguous between known actors ("Obama": Barack or
    Michelle?), or a bare surname too weakly supported, becomes a per-article actor (`description`, no index
    keys), so it does not draw later mentions of those actors to itself."""
    view = view_of(entity)
    unresolved = decision is not None and (
        decision.rule == "ambiguous"
        or (decision.rule in UNRESOLVED_RULES and view.person is not None and view.person.given is None))
    per_article = unresolved or (view.kind != "name" and _generic_alias(view, context) is None) or (
        decision is not None and decision.rule in {STANCE_RULE, KIND_RULE})
    empty = ActorProfile(actor_id=None, name=view.display, type=entity.type, description=per_article)
    return merge_profile(empty, entity, context)


def merge_profile(profile: ActorProfile, entity: Entity, context: ArticleContext) -> ActorProfile:
    """The profile after one more article's entity was linked to it."""
    view = view_of(entity)
    seen: dict[str, Counter[str]] = {kind: Counter({item: profile.count(kind, item) for item in profile._items(kind)})
                                     for kind in PROFILE_KINDS}
    items = _entity_items(view, context)
    if view.person is not None and view.person.given is None and any(
            p.given and p.surname == view.person.surname for p in profile.persons):
        # "Putin" adds nothing to "Vladimir Putin", and as an alias it would link every later bare "Putin" to
        # this actor without looking at the context.
        items["alias"] = []
    for kind, new in items.items():
        seen[kind].update(set(new))
    if view.type == "PERSON" and view.role_names:
        seen["type"]["PERSON"] += PERSON_EVIDENCE_WEIGHT - 1
    kept = {kind: _most_frequent(seen[kind], limit) for kind, limit in PROFILE_KINDS.items()}
    dates = [d for d in (profile.first_seen, profile.last_seen, context.published) if d]
    return ActorProfile(
        actor_id=profile.actor_id,
        name=profile.name if profile.dictionary else _better_name(profile, view),
        type=_voted_type(profile, kept["type"]),
        aliases=frozenset(kept["alias"]) if not profile.description else frozenset(),
        titles=frozenset(kept["title"]),
        countries=frozenset(kept["country"]),
        cooccurring=frozenset(kept["with"]),
        article_count=profile.article_count + 1,
        context_countries=frozenset(kept["context"]),
        first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        counts=tuple(sorted((f"{kind}:{item}", n) for kind, items in kept.items() for item, n in items.items())),
        description=profile.description,
        dictionary_aliases=profile.dictionary_aliases,
    )


def _voted_type(profile: ActorProfile, votes: Mapping[str, int]) -> str:
    """PERSON or ORG by the weighted majority of the entities linked to it; a dictionary actor keeps its type,
    and other types (a country, a people) never change."""
    if profile.dictionary or profile.type not in SWITCHABLE_TYPES:
        return profile.type
    person, org = votes.get("PERSON", 0), votes.get("ORG", 0)
    if person == org:
        return profile.type
    return "PERSON" if person > org else "ORG"


def _gender_of(titles: Iterable[str]) -> str | None:
    genders = {HONORIFIC_GENDER[t] for t in titles if t in HONORIFIC_GENDER}
    return genders.pop() if len(genders) == 1 else None


def _entity_items(view: EntityView, context: ArticleContext) -> dict[str, list[str]]:
    aliases: list[str] = []
    if view.kind == "name" and view.full:
        aliases = [view.full, *sorted(view.mention_acronyms)]
        if view.person is not None and view.person.middle:
            aliases.append(view.person.long)
        if view.person is not None and view.person.initialled:
            aliases.append(view.person.initialled)
    elif view.kind == "generic":
        qualified = _generic_alias(view, context)
        aliases = [qualified] if qualified else []
    countries = set(view.countries)
    if view.kind == "generic" and context.main_country:
        countries.add(context.main_country)
    return {
        "alias": aliases,
        "title": sorted(view.role_names),
        "country": sorted(countries),
        "context": sorted(context.countries),
        "with": sorted(context.names - {view.match_form}),
        "type": [view.type],
    }


def _most_frequent(counter: Counter[str], limit: int) -> dict[str, int]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ranked[:limit])


def _better_name(profile: ActorProfile, view: EntityView) -> str:
    """Keep the actor's name unless the entity names it more fully ("Putin" -> "Vladimir Putin", "UN" ->
    "United Nations")."""
    if view.kind != "name" or profile.description:
        return profile.name
    if view.type == "PERSON":
        current = parse_person_name(profile.name)
        if view.person is not None and view.person.given and (current is None or current.given is None):
            return view.display
        return profile.name
    if is_acronym(profile.name) and not is_acronym(view.display):
        return view.display
    return profile.name


def profile_to_dict(profile: ActorProfile) -> dict[str, Any]:
    """Everything but id, name, type and article_count, as JSON-ready data (see `profile_from_dict`)."""
    return {
        "aliases": sorted(profile.aliases), "titles": sorted(profile.titles),
        "countries": sorted(profile.countries), "cooccurring": sorted(profile.cooccurring),
        "context_countries": sorted(profile.context_countries), "first_seen": profile.first_seen,
        "last_seen": profile.last_seen, "counts": dict(profile.counts), "description": profile.description,
        **({"dictionary_aliases": sorted(profile.dictionary_aliases)} if profile.dictionary else {}),
    }


def profile_from_dict(actor_id: int | None, name: str, type_: str, article_count: int,
                      data: Mapping[str, Any]) -> ActorProfile:
    """The profile stored with `profile_to_dict`; data with only the four name lists is accepted too."""
    counts = data.get("counts") or {}
    return ActorProfile(
        actor_id=actor_id, name=name, type=type_,
        aliases=frozenset(data.get("aliases", ())), titles=frozenset(data.get("titles", ())),
        countries=frozenset(data.get("countries", ())), cooccurring=frozenset(data.get("cooccurring", ())),
        article_count=article_count, context_countries=frozenset(data.get("context_countries", ())),
        first_seen=data.get("first_seen"), last_seen=data.get("last_seen"),
        counts=tuple(sorted((str(k), int(v)) for k, v in counts.items())),
        description=bool(data.get("description", False)),
        dictionary_aliases=frozenset(data.get("dictionary_aliases", ())),
    )


# --- index keys -------------------------------------------------------------------------------------


def lookup_keys(entity: Entity, context: ArticleContext | None = None) -> list[str]:
    """Index keys under which candidate actors for the entity are found.

    "name:vladimir putin", "surname:putin", "name:nato", "title:president (ru)" (a description;
    without a country of its own it is looked up in the article's countries, so pass the context),
    "generic:defense ministry" (an organisation named by common words only). Groups have none.
    """
    view = view_of(entity)
    keys: list[str] = []
    if view.kind == "group":
        return keys
    if view.kind == "description":
        countries = sorted(view.countries)
        if not countries and context is not None:
            countries = sorted(context.countries)[:MAX_CONTEXT_KEY_COUNTRIES]
        for role in sorted(view.role_names):
            keys.extend(_title_keys(role, countries))
            if not view.countries:
                keys.extend(_title_keys(role, []))  # actors seen with the title but with no known country
    elif view.type == "PERSON":
        keys.append(f"name:{view.full}")
        if view.person is not None:
            keys.append(f"surname:{view.person.surname}")
    elif view.type == "ORG":
        if view.kind == "name":
            keys.append(f"name:{view.full}")
        person = person_like_org(entity)
        if person is not None:  # an NER ORG that may be a person's name ("Trump"): find the people too
            keys.extend([f"name:{person.full}", f"surname:{person.surname}"])
        qualified = _generic_alias(view, context) if context else None
        if qualified:
            keys.append(f"name:{qualified}")
        if view.kind == "generic" and view.generic:
            keys.append(f"generic:{view.generic}")  # the same office of every country; the context picks one
        keys.extend(f"name:{a}" for a in sorted(view.mention_acronyms))
    else:
        keys.append(f"name:{view.full}")
    return _clean_keys(keys)


def dictionary_keys(entity: Entity) -> list[str]:
    """Index keys of the dictionary actors the entity may be: "dict:" and each written form of its name or
    acronym (`name_forms`)."""
    if entity.type == "GROUP":
        return []
    return _clean_keys(f"dict:{form}" for form in sorted(name_forms(entity.name)))


def keys_for_profile(profile: ActorProfile) -> list[str]:
    """Index keys an actor is found under; none for groups, descriptions and generic names, which stay
    per-article."""
    dictionary = [f"dict:{alias}" for alias in sorted(profile.dictionary_aliases)]
    if profile.type == "GROUP" or profile.description or not (profile.aliases or dictionary):
        return _clean_keys(dictionary)
    keys = dictionary + [f"name:{alias}" for alias in profile.aliases]
    if profile.type == "PERSON":
        keys.extend(f"surname:{p.surname}" for p in profile.persons if p.surname)
        countries = sorted(profile.countries, key=lambda c: (-profile.count("country", c), c))[:MAX_KEY_COUNTRIES]
        titles = sorted(profile.titles - HONORIFICS, key=lambda t: (-profile.count("title", t), t))[:MAX_KEY_TITLES]
        for title in titles:
            keys.extend(_title_keys(title, countries))
    elif profile.type == "ORG":
        for alias in profile.aliases:
            _, named, generic = parse_org_name(alias)
            if named and generic:
                keys.append(f"generic:{generic}")
    return _clean_keys(keys)


def _title_keys(role: str, countries: Iterable[str]) -> list[str]:
    forms = {role, role_head(role)}
    codes = list(countries)
    if not codes:
        return [f"title:{form}" for form in sorted(forms)]
    return [f"title:{form} ({code.casefold()})" for form in sorted(forms) for code in codes]


def _clean_keys(keys: Iterable[str]) -> list[str]:
    out: list[str] = []
    for key in keys:
        key = key[:MAX_KEY_LENGTH]
        if key.split(":", 1)[1] and key not in out:
            out.append(key)
    return out


def _generic_alias(view: EntityView, context: ArticleContext | None) -> str | None:
    """A generic organisation name qualified by the one country the article is about: "State Department" in
    an article about the US -> "united states state department"."""
    if view.kind != "generic" or context is None or context.main_country is None or not view.generic:
        return None
    return f"{country_names().get(context.main_country, context.main_country)} {view.generic}"


# --- deciding ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkDecision:
    """Link to `actor_id`, or make a new actor (None). `rule` names the reason, `evidence` explains it in words,
    `score` is the best candidate's score (0 when there was none), `confidence` how likely the decision is right
    (`link_confidence`), `as_type` the type the entity was linked as when it is not its NER type (an ORG
    "Trump" linked as the person)."""

    actor_id: int | None
    rule: str
    evidence: str
    score: float = 0.0
    confidence: float = 0.0
    as_type: str | None = None


@dataclass
class _Scored:
    profile: ActorProfile
    score: float
    rule: str
    reasons: list[str] = field(default_factory=list)
    conflict: bool = False
    prior: float = 0.0  # prominence: ranks candidates but never makes the evidence enough on its own

    @property
    def rank(self) -> float:
        return self.score + self.prior

    @property
    def label(self) -> str:
        return f"{self.profile.name} (#{self.profile.actor_id})"


def decide_link(entity: Entity, context: ArticleContext, candidates: Iterable[ActorProfile]) -> LinkDecision:
    """Which known actor the entity is, if any (see the module docstring for the scoring), with the decision's
    confidence."""
    known = [c for c in candidates if c.actor_id is not None]
    dictionary = _dictionary_match(entity, context, known)
    if dictionary is not None:
        return dictionary
    linked = as_linked(entity, _linking_type(entity, known))
    decision = _decide(linked, context, known)
    as_type = linked.type if linked.type != entity.type else None
    return replace(decision, confidence=link_confidence(decision), as_type=as_type)


def as_linked(entity: Entity, type_: str | None) -> Entity:
    """The entity as linking treats it: with the type it was linked as (`LinkDecision.as_type`)."""
    return entity if type_ is None or type_ == entity.type else entity.model_copy(update={"type": type_})


def _decide(entity: Entity, context: ArticleContext, candidates: list[ActorProfile]) -> LinkDecision:
    view = view_of(entity)
    if view.kind == "group":
        return LinkDecision(None, GROUP_RULE, f"'{view.display}' is a described group, kept to its article")
    if view.kind == "generic" and _generic_alias(view, context) is None:
        return LinkDecision(None, "generic-not-linked", f"'{view.display}' names no one organisation and the "
                            "article is about no single country")
    if _STANCE_PREFIX.match(entity.name):
        return LinkDecision(None, STANCE_RULE, f"'{view.display}' is a stance, not an actor: kept to its article")
    if names_a_kind(entity):
        return LinkDecision(None, KIND_RULE, f"'{view.display}' names a kind of organisation, not one: kept to its "
                            "article")
    pool = [c for c in candidates if c.type == entity.type and not c.description]
    if not pool:
        return LinkDecision(None, "new", f"no known {entity.type} actor under the keys of '{view.display}'")
    scored: list[_Scored] = []
    rejected: list[str] = []
    for candidate in pool:
        result = _score(view, context, candidate)
        if isinstance(result, str):
            rejected.append(result)
        else:
            scored.append(result)
    return _choose(view, scored, rejected)


# --- the analyst's dictionary first, and the NER's ORG for a person -------------------------------------

DICTIONARY_RULE = "dictionary"
STANCE_RULE = "stance-not-linked"  # "pro-Clinton", "anti-Trump": an NER span that names a stance
KIND_RULE = "kind-not-linked"  # "the PAC", "the Committee": an organisation named by its kind alone


def names_a_kind(entity: Entity) -> bool:
    """An organisation named by one word of kind ("PAC", "Committee", "Network"): each article's is another."""
    words = fold(entity.name).split()
    return entity.type == "ORG" and len(words) == 1 and words[0] in ORGANISATION_HEADS
# Words that make a name an organisation's, whatever the NER says ("Trump Organization", "Clinton Foundation").
ORG_NAME_WORDS = frozenset({
    "party", "campaign", "inc", "corp", "corporation", "co", "company", "companies", "group", "news", "times", "post",
    "journal", "network", "university", "college", "school", "institute", "foundation", "association", "union",
    "club", "league", "fund", "center", "centre", "channel", "tv", "radio", "media", "bank", "airlines", "motors",
    "organization", "organisation", "international", "industries", "holdings", "llc", "ltd", "plc", "board",
    "bureau", "coalition", "caucus", "alliance", "society", "institution", "project", "initiative", "pac",
    "magazine", "review", "tribune", "herald", "gazette", "daily", "weekly", "press", "reuters", "airways",
})
# An NER ORG is linked as a person when a person of that name is at least this many times as well known as the
# organisation of that name (if any): the common reading of "Trump" in a political corpus is the man.
PERSON_OVER_ORG = 1.0
ORG_AS_PERSON_MIN_ARTICLES = 10  # ... and, for a bare surname, a person seen in at least this many articles


def name_forms(name: str) -> frozenset[str]:
    """Every comparable form of a written name, as each type compares it: "President Barack Obama" ->
    {"president barack obama", "barack obama"}; "the GOP" -> {"gop"}; "Republicans" -> {"republicans",
    "republican"}. Dictionary aliases are indexed and matched under these."""
    folded = _drop_article(fold(name))
    forms = {folded, singular_people(folded), parse_org_name(name)[0], parse_place_name(name)[0]}
    person = parse_person_name(name) if _may_be_person_name(name) else None
    if person is not None and (person.given or len(folded.split()) == 1):
        forms.add(person.full)
    return frozenset(f for f in forms if f)


def _may_be_person_name(name: str) -> bool:
    """Not an organisation's name by its words ("National Rifle Association" is no "national association")."""
    folded = fold(name).split()
    return 1 <= len(folded) <= 5 and not any(w in GENERIC_ORG_WORDS or w in ORG_NAME_WORDS for w in folded)


def _dictionary_match(entity: Entity, context: ArticleContext, candidates: list[ActorProfile]) -> LinkDecision | None:
    """An entity written as a dictionary actor's name or alias is that actor (of the entity's type first), unless
    it names another country than the actor's, or is a generic name ("Supreme Court") in an article about
    another country."""
    if entity.type == "GROUP":
        return None
    # (by its name only: an article that wrote "the Democratic National Convention ... the DNC" does not make the
    # convention the committee the dictionary calls DNC)
    forms = name_forms(entity.name)
    view = view_of(entity)
    hits = [c for c in candidates if c.dictionary and forms & c.dictionary_aliases
            and not _dictionary_country_conflict(view, context, c)]
    if not hits:
        return None
    exact = _drop_article(fold(entity.name))
    hits.sort(key=lambda c: (exact not in c.dictionary_aliases, c.type != entity.type, c.actor_id or 0))
    best = hits[0]
    written = sorted(forms & best.dictionary_aliases)[0]
    others = f"; also fits {', '.join(c.name for c in hits[1:3])}" if len(hits) > 1 else ""
    decision = LinkDecision(best.actor_id, DICTIONARY_RULE, f"'{entity.name}' is '{written}' of the actor "
                            f"dictionary's {best.name}{others}", BASE_SAME_NAME,
                            as_type=best.type if best.type != entity.type else None)
    tie = len(hits) > 1 and (exact in hits[1].dictionary_aliases) == (exact in best.dictionary_aliases)
    return replace(decision, confidence=link_confidence(decision, ambiguous=tie))


def _dictionary_country_conflict(view: EntityView, context: ArticleContext, candidate: ActorProfile) -> bool:
    if not candidate.countries:
        return False
    if view.countries:
        return not view.countries & candidate.countries
    # (a US article about Benghazi is "about Libya", and its "State Department" is still the US one)
    return view.kind == "generic" and context.main_country is not None and \
        not candidate.countries & (context.countries | {context.main_country})


def person_like_org(entity: Entity) -> PersonName | None:
    """The person's name an NER ORG may be ("Trump", "Hillary Clinton"): one to three capitalised words, none an
    organisation's word, not an acronym; None otherwise."""
    if entity.type != "ORG" or any(is_acronym(m.text) for m in entity.mentions):
        return None
    words = entity.name.replace("’", "'").split()
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() and w.replace("'s", "").replace("-", "").replace(".", "")
                                           .isalpha() for w in words):
        return None
    folded = fold(entity.name).split()
    if any(w in GENERIC_ORG_WORDS or w in ORG_NAME_WORDS or w in country_codes() for w in folded):
        return None
    return parse_person_name(entity.name)


def _linking_type(entity: Entity, candidates: list[ActorProfile]) -> str:
    """PERSON for an NER ORG that names a known person at least as well known as any organisation of that name;
    the entity's own type otherwise."""
    person = person_like_org(entity)
    if person is None:
        return _one_word_name_type(entity, candidates)
    # (people known by a full name: an NER PERSON "Politico" makes no ORG Politico a person)
    people = [c for c in candidates if c.type == "PERSON" and not c.description
              and any(p.given and p.surname == person.surname and (person.given is None or p.given == person.given)
                      for p in c.persons)]
    if not people:
        return _one_word_name_type(entity, candidates)
    if person.given is not None and any(person.full in c.aliases for c in people):
        return "PERSON"  # "Carly Fiorina" tagged ORG: a full personal name the corpus knows as a person's
    folded = view_of(entity).full
    orgs = [c for c in candidates if c.type == "ORG" and folded in c.aliases]
    best_person = max(c.article_count for c in people)
    best_org = max((c.article_count for c in orgs), default=0)
    # A bare surname tagged ORG is a person only when the person is well known and far better known than any
    # organisation of that name: "Trump" is the man, "Fox" the network, not Vicente Fox.
    if person.given is None and not entity.titles and (
            best_person < ORG_AS_PERSON_MIN_ARTICLES or best_person < SURNAME_DOMINANCE * best_org):
        return entity.type
    return "PERSON" if best_person >= PERSON_OVER_ORG * best_org else entity.type


def _one_word_name_type(entity: Entity, candidates: list[ActorProfile]) -> str:
    """The type a one-word name without a title is linked as when the NER types it PERSON in some articles and ORG
    in others ("Latinos"): that of the actor of that very name seen in the most articles, so one name is one actor
    of one type; the entity's own type when no actor of the other type has the name, or one of its own is seen as
    often."""
    if entity.type not in SWITCHABLE_TYPES or entity.titles or len(entity.name.split()) != 1:
        return entity.type
    folded = view_of(entity).full
    same = [c for c in candidates if c.type in SWITCHABLE_TYPES and not c.description and folded in c.aliases]
    own = max((c.article_count for c in same if c.type == entity.type), default=0)
    other = [c for c in same if c.type != entity.type]
    best = max(other, key=lambda c: (c.article_count, -(c.actor_id or 0)), default=None)
    return best.type if best is not None and best.article_count > own else entity.type


# --- confidence -------------------------------------------------------------------------------------
# How likely a link (or the decision to make a new actor) is right, by the kind of evidence: a band per rule, its
# bottom for a link at LINK_MIN_SCORE, raised toward its top by the score above it (shared titles, countries,
# companions). The bands were set from links checked by hand: two random samples of 60 links (15 per confidence
# band, scripts/link_sample.py, seeds 19 and 7) of PolNeAR train+dev stores of 924 articles, each link judged by
# reading the text around the linked mention and a mention of the actor in another article (same referent or
# not). Right links per rule, both samples together (120 links; in-sample: the same links set the bands):
#   same-name / dictionary  30 of 30 (the dictionary's ties between two actors, since removed, were 6 of 15)
#   name-variant             9 of 9     surname (one candidate)  24 of 26   surname-most-seen  20 of 21
#   title (a description: "the senator", "the candidate")  11 of 17
# so a full name is >= 0.9, a name variant or a bare surname 0.8-0.92, a description 0.55-0.7. A sample of 15 per
# band bounds each figure only loosely (one wrong link is 7 points); check a new corpus with the script.
CONFIDENCE_BANDS: dict[str, tuple[float, float]] = {
    DICTIONARY_RULE: (0.97, 0.97), "same-name": (0.90, 0.97), "name-variant": (0.80, 0.92),
    SPELLING_RULE: (0.75, 0.85),
    "acronym": (0.85, 0.90), "title": (0.55, 0.70), "surname": (0.80, 0.92), "surname-most-seen": (0.80, 0.90),
    "new": (0.95, 0.95), "name-mismatch": (0.90, 0.90), "no-match": (0.90, 0.90),
    "insufficient-evidence": (0.60, 0.60), "same-name-conflict": (0.75, 0.75), "ambiguous": (0.45, 0.45),
    "generic-not-linked": (0.90, 0.90), GROUP_RULE: (0.95, 0.95), STANCE_RULE: (0.95, 0.95),
    KIND_RULE: (0.90, 0.90),
}
CONFIDENCE_SCORE_SPAN = 3.0  # score above LINK_MIN_SCORE that takes a link to the top of its band


def link_confidence(decision: LinkDecision, ambiguous: bool = False) -> float:
    """The decision's confidence: the bottom of its rule's band, raised toward the top by the score above the
    minimum (more shared titles, countries and companions); a dictionary alias that fits several dictionary
    actors is a coin toss among them."""
    low, high = CONFIDENCE_BANDS.get(decision.rule, (0.5, 0.5))
    if ambiguous:
        return 0.5
    if decision.actor_id is None or high == low:
        return low
    above = max(0.0, min(1.0, (decision.score - LINK_MIN_SCORE) / CONFIDENCE_SCORE_SPAN))
    return round(low + (high - low) * above, 3)


# --- choosing among the candidates -------------------------------------------------------------------

SURNAME_MOST_SEEN = "surname-most-seen"
# A bare surname that fits several actors ("Obama": Barack, Michelle) joins the one seen in this many times as
# many articles as the runner-up, when the article supports it as well as the runner-up (the reader of a news
# corpus reads "Obama" as the president unless the article says otherwise).
SURNAME_DOMINANCE = 3.0
# ... and even when the article's support alone is below LINK_MIN_SCORE, if it has some (SURNAME_MIN_SUPPORT: the
# actor's country in the article and a shared companion, or a title) and the actor is well known: its prominence
# SURNAME_PRIOR_WEIGHT * ln(articles), at most SURNAME_PRIOR_CAP, then counts toward the minimum.
SURNAME_MIN_SUPPORT = 0.75
SURNAME_PRIOR_WEIGHT = 0.5
SURNAME_PRIOR_CAP = 1.0


def _choose(view: EntityView, scored: list[_Scored], rejected: list[str]) -> LinkDecision:
    if not scored:
        reason = "; ".join(rejected[:3]) or f"no candidate fits '{view.display}'"
        return LinkDecision(None, "name-mismatch" if view.kind == "name" else "no-match", reason)
    scored.sort(key=lambda s: (-s.rank, s.profile.actor_id or 0))
    best = scored[0]
    score = round(best.score, 3)
    if best.score < LINK_MIN_SCORE:
        dominant = _most_seen_for_surname(view, scored)
        if dominant is not None:
            return dominant
        rule = "same-name-conflict" if best.conflict else "insufficient-evidence"
        return LinkDecision(None, rule, f"best fit {best.label}: {_why(best)} (score {best.score:.2f} < "
                            f"{LINK_MIN_SCORE})", score)
    if len(scored) > 1 and best.rank - scored[1].rank < LINK_MARGIN:
        second = scored[1]
        if best.rule == second.rule == "same-name" and view.type != "PERSON":
            # Two actors with one institution's name are that institution stored twice: take the older.
            return LinkDecision(best.profile.actor_id, "same-name", _why(best), score)
        dominant = _most_seen_for_surname(view, scored)
        if dominant is not None:
            return dominant
        return LinkDecision(None, "ambiguous", f"'{view.display}' fits {best.label} ({best.rank:.2f}: {_why(best)}) "
                            f"and {second.label} ({second.rank:.2f}: {_why(second)}); margin below {LINK_MARGIN}",
                            score)
    return LinkDecision(best.profile.actor_id, best.rule, _why(best), score)


def _most_seen_for_surname(view: EntityView, scored: list[_Scored]) -> LinkDecision | None:
    """The bare surname's link to the full-name actor seen far more often than the others of that surname, when
    the article supports it at least as well and contradicts it in nothing."""
    if view.person is None or view.person.given is not None:
        return None
    top = max(scored, key=lambda s: (s.profile.article_count, -(s.profile.actor_id or 0)))
    rest = [s for s in scored if s is not top]
    if top.conflict or not any(p.given for p in top.profile.persons) or top.score < SURNAME_MIN_SUPPORT:
        return None
    if any(s.profile.article_count * SURNAME_DOMINANCE > top.profile.article_count or s.score > top.score + 0.25
           for s in rest):
        return None
    prominence = min(SURNAME_PRIOR_CAP, SURNAME_PRIOR_WEIGHT * math.log(max(1, top.profile.article_count)))
    if top.score + prominence < LINK_MIN_SCORE:
        return None
    second = max(rest, key=lambda s: s.profile.article_count) if rest else None
    runner = f"next {second.label} {second.profile.article_count}" if second else "no other"
    return LinkDecision(top.profile.actor_id, SURNAME_MOST_SEEN, f"{_why(top)}; of the actors named "
                        f"'{view.person.surname}' the most seen ({top.profile.article_count} articles, {runner})",
                        round(top.score + prominence, 3))


def _why(s: _Scored) -> str:
    return "; ".join(s.reasons)


def _score(view: EntityView, context: ArticleContext, candidate: ActorProfile) -> _Scored | str:
    """The candidate's score for the entity, or why it cannot be the entity."""
    match = _score_description(view, context, candidate) if view.kind == "description" else \
        _name_match(view, context, candidate)
    if isinstance(match, str):
        return match
    if view.kind != "description":
        _add_support(match, view, context, candidate)
    _add_prior(match, candidate)
    return match


def _name_match(view: EntityView, context: ArticleContext, candidate: ActorProfile) -> _Scored | str:
    full = view.full if view.kind == "name" else _generic_alias(view, context) or ""
    if view.person is not None:
        return _person_match(view, candidate)
    if full in candidate.aliases:
        n = candidate.count("alias", full)
        return _Scored(candidate, BASE_SAME_NAME, "same-name", [f"name '{full}' seen in {_articles(n)}"])
    if view.type == "ORG":
        return _acronym_match(view, candidate)
    return f"'{view.display}' is not the name of {candidate.name}"


def _articles(n: int) -> str:
    return f"{n} article{'s' if n != 1 else ''}"


def _person_match(view: EntityView, candidate: ActorProfile) -> _Scored | str:
    """Same full name; or same surname and first names that can be one person's. A first name that fits none
    of the candidate's names excludes it, even if it was also seen under its bare surname."""
    person = view.person
    if person is None:
        return f"'{view.display}' is no person name"
    if person.given and person.full in candidate.aliases:
        n = candidate.count("alias", person.full)
        conflict = _initials_conflict(person, candidate)
        if conflict:
            return conflict
        return _Scored(candidate, BASE_SAME_NAME, "same-name", [f"full name '{person.full}' seen in {_articles(n)}"])
    known = [k for k in candidate.persons if k.surname == person.surname]
    if not known:
        return f"'{view.display}' shares no surname with {candidate.name}"
    if person.given is None:
        return _Scored(candidate, BASE_SURNAME, "surname", [f"'{view.display}' is the surname of {candidate.name}"])
    named = [k for k in known if k.given is not None]
    if not named:  # the candidate was only ever seen by its surname
        return _Scored(candidate, BASE_SURNAME, "surname", [f"'{candidate.name}' is the surname of {view.display}"])
    matches = [m for k in named if (m := _given_match(person, k)) is not None]
    if not matches:
        spelled = _misspelled_given(person, named, candidate)
        if spelled is None:
            return f"'{view.display}' differs in first name from {candidate.name}"
        return _initials_conflict(person, candidate) or _Scored(
            candidate, BASE_GIVEN_SPELLING, SPELLING_RULE,
            [f"'{view.display}' and {candidate.name}: same surname, given name '{person.given}' one letter from "
             f"'{spelled}', the corpus's spelling ({_articles(candidate.article_count)})"])
    base, how, mine, theirs = max(matches)
    return _initials_conflict(person, candidate) or _Scored(
        candidate, base, "name-variant", [f"'{view.display}' and {candidate.name}: same surname, given names "
                                          f"'{mine}'/'{theirs}' ({how})"])


def _misspelled_given(person: PersonName, named: list[PersonName], candidate: ActorProfile) -> str | None:
    """The candidate's given name the entity's is a misspelling of ("Hilary" for "Hillary"): one letter left out,
    added or swapped with its neighbour, in names of SPELLING_MIN_LENGTH letters or more of the same gender, when
    the candidate is the corpus's established spelling (seen in SPELLING_MIN_ARTICLES articles or more). A letter
    replaced by another is no typo of this kind: "Mark" and "Mary", "Dana" and "Dina" are other people."""
    if person.given is None or candidate.article_count < SPELLING_MIN_ARTICLES:
        return None
    for known in named:
        theirs = known.given
        if theirs is None or min(len(theirs), len(person.given)) < SPELLING_MIN_LENGTH:
            continue
        if one_slip_apart(person.given, theirs) and _same_gender_given(person.given, theirs):
            return theirs
    return None


def one_slip_apart(a: str, b: str) -> bool:
    """One letter left out or added ("hilary" / "hillary"), or two neighbours swapped ("jeffery" / "jeffrey")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _same_gender_given(a: str, b: str) -> bool:
    ga, gb = _given_gender(a), _given_gender(b)
    return ga is None or gb is None or ga == gb


@cache
def _gender_detector() -> Any:
    import gender_guesser.detector as gender_detector

    return gender_detector.Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def _given_gender(name: str) -> str | None:
    guess = _gender_detector().get_gender(name)
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(guess)


def _initials_conflict(person: PersonName, candidate: ActorProfile) -> str:
    """Why the name cannot be the candidate's: middle initials written on both sides that differ ("George H.W.
    Bush" is not the actor seen only as "George W. Bush"); "" when they do not differ (or one side has none)."""
    if not person.initials:
        return ""
    theirs = {k.initials for k in candidate.persons if k.initials and k.surname == person.surname
              and k.given is not None and person.given is not None
              and given_names_compatible(k.given, person.given) is not None}
    if theirs and person.initials not in theirs:
        return (f"'{person.given} {person.initials.upper()}. {person.surname}' differs in middle initials from "
                f"{candidate.name} ('{'/'.join(sorted(t.upper() for t in theirs))}')")
    return ""


def _given_match(person: PersonName, known: PersonName) -> tuple[float, str, str, str] | None:
    """The best way the two names' given names fit: first with first, else any with any (a middle name, or a
    first name the analyser read as part of the name: "Van Voorhis", "Guajardo Villarreal")."""
    if person.given is None or known.given is None:
        return None
    how = given_names_compatible(person.given, known.given)
    if how is not None:
        return (BASE_GIVEN_INITIAL if how == "initial" else BASE_GIVEN_VARIANT), how, person.given, known.given
    for mine in person.givens:
        for theirs in known.givens:
            if len(mine) > 1 and len(theirs) > 1 and mine == theirs:
                return BASE_GIVEN_MIDDLE, "other given name", mine, theirs
    return None


def given_names_compatible(a: str, b: str) -> str | None:
    """How two first names can be one person's: "same", "initial" (J / Joseph), "prefix" (Alex / Alexander,
    three letters or more) or "short form" (Joe / Joseph); None when they cannot (Boris / Andrew)."""
    if a == b:
        return "same"
    if len(a) == 1 or len(b) == 1:
        return "initial" if a[0] == b[0] else None
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and long.startswith(short):
        return "prefix"
    if long in given_name_short_forms().get(short, frozenset()):
        return "short form"
    return None


def _acronym_match(view: EntityView, candidate: ActorProfile) -> _Scored | str:
    """The article wrote the organisation also as an acronym ("United Nations ... the UN") the candidate is
    known by. Initials alone are not enough: "CPD" is both a debate commission and a police department."""
    shared = sorted(view.mention_acronyms & candidate.aliases)
    if shared:
        n = candidate.count("alias", shared[0])
        return _Scored(candidate, BASE_ACRONYM, "acronym", [f"'{view.display}' is written '{shared[0].upper()}' "
                                                            f"here, as {candidate.name} was in {_articles(n)}"])
    return f"'{view.display}' is not the name of {candidate.name}"


def _add_support(scored: _Scored, view: EntityView, context: ArticleContext, candidate: ActorProfile) -> None:
    """Add what the article shares with the candidate: titles, countries and actors seen together."""
    shared_titles = sorted(view.offices & candidate.titles)
    if shared_titles:
        scored.score += SUPPORT_SHARED_TITLE
        scored.reasons.append(f"shared title '{shared_titles[0]}'")
    else:
        heads = sorted({role_head(r) for r in view.offices} & candidate.heads)
        if heads:
            scored.score += SUPPORT_SHARED_ROLE_HEAD
            scored.reasons.append(f"shared role '{heads[0]}'")
    _add_gender_support(scored, view, candidate)
    _add_country_support(scored, view, context, candidate)
    _add_cooccurring(scored, view, context, candidate)


def _add_gender_support(scored: _Scored, view: EntityView, candidate: ActorProfile) -> None:
    mine, theirs = view.gender, candidate.gender
    if mine is None or theirs is None:
        return
    honorifics = "/".join(sorted(view.role_names & HONORIFICS))
    if mine == theirs:
        scored.score += SUPPORT_SAME_HONORIFIC
        scored.reasons.append(f"also called '{honorifics}'")
    else:
        scored.score += PENALTY_GENDER_CONFLICT
        scored.reasons.append(f"called '{honorifics}' here, unlike {candidate.name}")


def _add_country_support(scored: _Scored, view: EntityView, context: ArticleContext,
                         candidate: ActorProfile) -> None:
    if view.countries and candidate.countries:
        common = sorted(view.countries & candidate.countries)
        if common:
            scored.score += SUPPORT_SHARED_COUNTRY
            scored.reasons.append(f"shared country {', '.join(common)}")
        else:
            scored.score += PENALTY_COUNTRY_CONFLICT
            scored.conflict = True
            scored.reasons.append(f"country conflict: {', '.join(sorted(view.countries))} here, "
                                  f"{', '.join(sorted(candidate.countries))} for {candidate.name}")
        return
    in_article = sorted(candidate.countries & context.countries)
    if in_article:
        scored.score += SUPPORT_COUNTRY_IN_ARTICLE
        scored.reasons.append(f"its country {', '.join(in_article)} is in the article")
    elif candidate.context_countries & context.countries:
        scored.score += SUPPORT_SEEN_IN_ARTICLE_COUNTRY
        scored.reasons.append("seen before in articles about " +
                              ", ".join(sorted(candidate.context_countries & context.countries)[:3]))


def _add_cooccurring(scored: _Scored, view: EntityView, context: ArticleContext, candidate: ActorProfile) -> None:
    shared = sorted((context.names - {view.match_form}) & candidate.cooccurring)
    if shared:
        scored.score += min(SUPPORT_COOCCURRING_CAP, SUPPORT_PER_COOCCURRING * len(shared))
        scored.reasons.append("seen with " + ", ".join(f"'{n}'" for n in shared[:4]))


def _add_prior(scored: _Scored, candidate: ActorProfile) -> None:
    if candidate.article_count > 1:
        scored.prior = min(PRIOR_CAP, PRIOR_WEIGHT * math.log(candidate.article_count))
        scored.reasons.append(f"in {_articles(candidate.article_count)}")


def _score_description(view: EntityView, context: ArticleContext, candidate: ActorProfile) -> _Scored | str:
    """ "The Russian president": an actor seen with that title in that country, the one seen with it most.

    A specific description needs that very title ("band leader" is not "leader", "his lawyer" no one's); a bare
    office fits its specific forms ("Russia's ambassador" fits "ambassador in Washington")."""
    title = _matching_title(view, candidate)
    if title is None:
        return f"{candidate.name} was never seen as '{view.display}'"
    countries = view.countries or context.countries
    shared = sorted((context.names - {view.match_form}) & candidate.cooccurring)
    if candidate.countries and not countries & candidate.countries:
        return f"{candidate.name} belongs to {', '.join(sorted(candidate.countries))}, not to " \
               f"{', '.join(sorted(countries)) or 'a country of this article'}"
    if not candidate.countries and (view.countries or not shared):
        return f"{candidate.name} has no known country and no actor in common with this article"
    seen = candidate.count("title", title)
    where = sorted(countries & candidate.countries)
    of = f" of {', '.join(where)}" if where else ""
    scored = _Scored(candidate, BASE_TITLE + math.log2(1 + seen), "title",
                     [f"'{view.display}' matches {candidate.name}, seen as '{title}'{of} in {_articles(seen)}"])
    stale = _days_outside(context.published, candidate.first_seen, candidate.last_seen)
    if stale is not None and stale > TITLE_STALE_DAYS:
        scored.score += PENALTY_TITLE_STALE
        scored.reasons.append(f"but not seen within {stale} days of this article")
    _add_cooccurring(scored, view, context, candidate)
    return scored


def _matching_title(view: EntityView, candidate: ActorProfile) -> str | None:
    """The candidate's title the description names: the same role, a specific form of a bare office, or the
    bare office of a specific description."""
    for role in sorted(view.offices):
        if role in candidate.titles:
            return role
    for role in sorted(view.offices):
        if role == role_head(role):
            fits = sorted(t for t in candidate.titles if role_head(t) == role)
            if fits:
                return fits[0]
    return None


def _days_outside(published: str | None, first: str | None, last: str | None) -> int | None:
    """How many days the publication date lies outside the span the actor was seen in (0 inside)."""
    day, start, end = _day(published), _day(first), _day(last)
    if day is None or start is None or end is None:
        return None
    if day < start:
        return (start - day).days
    if day > end:
        return (day - end).days
    return 0


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# --- hand edits and the analyst's dictionary ----------------------------------------------------------


def combine_profiles(keep: ActorProfile, other: ActorProfile) -> ActorProfile:
    """KEEP's profile after an analyst merged OTHER into it: every item of both with the articles it was seen in
    added up (the most frequent kept), KEEP's id, name and type."""
    seen: dict[str, Counter[str]] = {}
    for kind in PROFILE_KINDS:
        tally: Counter[str] = Counter()
        for profile in (keep, other):
            for item in profile._items(kind):
                tally[item] += profile.count(kind, item)
        seen[kind] = tally
    kept = {kind: _most_frequent(seen[kind], limit) for kind, limit in PROFILE_KINDS.items()}
    dates = [d for d in (keep.first_seen, keep.last_seen, other.first_seen, other.last_seen) if d]
    return replace(
        keep, aliases=frozenset(kept["alias"]), titles=frozenset(kept["title"]), countries=frozenset(kept["country"]),
        cooccurring=frozenset(kept["with"]), article_count=keep.article_count + other.article_count,
        context_countries=frozenset(kept["context"]), first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None, description=keep.description and other.description,
        counts=tuple(sorted((f"{kind}:{item}", n) for kind, items in kept.items() for item, n in items.items())),
        dictionary_aliases=keep.dictionary_aliases | other.dictionary_aliases)


def comparable_name(name: str, type_: str) -> str:
    """The name as profiles keep it for its type ("Barack H. Obama" -> "barack obama", "the GOP" -> "gop")."""
    view = _view(name, type_, (), tuple(w for w in name.split() if is_acronym(w)))
    return view.full or fold(name)


def _short_of_long_name(name: str, type_: str) -> set[str]:
    """A person's name with middle names ("John Ellis Bush") compares by its first and last name ("john bush"),
    which names others too: a dictionary takes it only as written."""
    person = parse_person_name(name) if type_ == "PERSON" else None
    return {person.full} if person is not None and person.middle else set()


def _dictionary_comparable(name: str, type_: str) -> str:
    person = parse_person_name(name) if type_ == "PERSON" else None
    return person.long if person is not None and person.middle else comparable_name(name, type_)


def dictionary_profile(name: str, aliases: Iterable[str], type_: str, base: ActorProfile | None = None,
                       country: str | None = None) -> ActorProfile:
    """The profile of a dictionary actor: its names as linking compares them, and every written form of them as
    dictionary aliases (an acronym as written: "GOP"). `base`: the profile of the stored actor it updates;
    `country`: its ISO alpha-2 country."""
    names = [name, *aliases]
    comparable = {_dictionary_comparable(n, type_) for n in names if n.strip()}
    forms: set[str] = set()
    for n in names:
        if n.strip():
            forms |= name_forms(n) - _short_of_long_name(n, type_)
            if is_acronym(n):
                forms.add(n.replace(".", "").strip().casefold())
    profile = base or ActorProfile(actor_id=None, name=name, type=type_)
    counts = dict(profile.counts)
    for alias in comparable - profile.aliases:
        counts[f"alias:{alias}"] = counts.get(f"alias:{alias}", 1)
    countries = profile.countries | ({country} if country else set())
    return replace(profile, name=name, type=type_, aliases=profile.aliases | comparable, description=False,
                   countries=frozenset(countries), counts=tuple(sorted(counts.items())),
                   dictionary_aliases=frozenset(f for f in forms if f))
