"""Places: every place an article names as a place, resolved to a gazetteer entry with coordinates.

The `newsgraph_places` component runs after spaCy's NER (and `newsgraph_dates`) and before
`newsgraph_actors`. It works in four steps:

1. **Mentions.** Candidates come from the NER's GPE, LOC and FAC entities, from ORG and PERSON
   entities (which the small model gives to "Mariupol", "Bucha", "Kyiv") and from untagged proper
   nouns when their text is a gazetteer name in a place context ("outside Kyiv", "the town of
   Bucha", "Ukraine's Mariupol", "Kherson region", "the Zaporizhzhya, Mykolayiv, and Kharkiv
   regions"), from datelines ("SEOUL, South Korea (CNN) -"), from the qualifier after a place
   ("Paris, Texas"), from place adjectives that locate a noun ("the Syrian-Turkish border") and from
   facilities and streets in a locative context ("at Barclays Center", "on Third Street").
2. **Reading.** A place name used for its government, people or team is not a place: the parse
   decides, by general rules after the GeoWebNews literal/associative distinction (see
   `data/place_cues.tsv`): the subject of a non-stative verb ("Turkey says", "Kyiv can still win"),
   the object of a verb directed at an actor ("urged Russia"), a recipient ("get Kyiv the weapons"),
   "X-backed", a possessor of a decision or an institution ("China's move", "Russia's ambassador"),
   the partner of a relation ("talks with China"), the agent of a passive ("by Washington"), and
   modifiers that do not locate their noun ("U.S. officials", "Ukrainian forces"). Agentive uses are
   kept on `doc._.metonyms` as `(Span, actor name)` for the actor linker ("Government of Russia").
3. **Resolution.** Each mention is looked up in the gazetteer (GeoNames populated places, admin
   units, countries and continents from `data/gazetteer.tsv.gz`, built by
   `scripts/build_gazetteer.py`, plus the curated `data/places_extra.tsv` and
   `data/places_variants.tsv`), by exact key (GeoNames alternate names give Kiev/Kyiv), then by a
   transliteration skeleton (Slovyansk/Sloviansk, Mykolayiv/Mykolaiv). Among homonyms the article
   decides: a qualifier ("Paris, Texas") first, then entries in the countries and admin units the
   rest of the article names (by its unambiguous places and its nationality adjectives), then the
   more prominent (feature, population, capital), and among towns of one country the one nearest
   the article's other places.
4. **Facilities**, streets and natural features without a gazetteer entry take the point of the
   place that locates them ("the CHU in Montpellier", "Derry's Altnagelvin Hospital", "Oulton Park,
   Cheshire"), else of the nearest place the article names; names the gazetteer lacks but an admin
   unit qualifies ("Knockhill, Fife.") take the unit's point.

The gazetteer loads once per process (`gazetteer()`, a few tenths of a second); the component costs
a few per cent of the spaCy pipeline's time, as its passes scan token strings, not Token objects.

Results go to `doc._.places` as `newsgraph.records.Place` records (character offsets into the text).
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.docinfo import text_of
from newsgraph.lexicons import DATA_DIR, demonyms, table
from newsgraph.records import Place

if not Doc.has_extension("places"):
    Doc.set_extension("places", default=None)
if not Doc.has_extension("metonyms"):
    Doc.set_extension("metonyms", default=None)

GAZETTEER_FILE = "gazetteer.tsv.gz"
LITERAL, METONYM, ASSOCIATIVE = "literal", "metonym", "associative"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# NER labels whose spans may still be places the model mislabelled ("Mariupol" ORG, "Kyiv" PERSON).
RELABEL_LABELS = frozenset({"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
# Labels that are never places, whatever their text.
NEVER_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LANGUAGE"})
# Feature priors: a country or a curated region is what an unqualified name most often means in news.
FEATURE_PRIOR = {"country": 4.0, "continent": 4.0, "region": 5.5, "water": 5.5, "landmark": 5.5,
                 "facility": 5.5, "admin1": 1.5, "admin2": 0.5, "city": 0.0}
ADMIN_FEATURES = frozenset({"admin1", "admin2", "region"})
# Context and prominence weights (log10 population units): a country the article names elsewhere,
# an admin unit it names elsewhere, a city of world renown, a curated place (famous by selection).
COUNTRY_BONUS = 2.0
ADMIN_BONUS = 3.0
WORLD_CITY = 500_000
WORLD_CITY_BONUS = 1.0
CURATED_BONUS = 3.0
# What follows the place name of a dateline: "SEOUL, South Korea (CNN) -", "WASHINGTON ― ".
DATELINE_ENDS = frozenset({",", "(", "—", "–", "―", "-", "--", ":"})
# Record feature names: the gazetteer's admin2 (county, district) is a region to the reader.
RECORD_FEATURE = {"admin2": "region"}
# Countries whose short name takes "the" ("Government of the United States").
THE_COUNTRIES = frozenset({"US", "GB", "NL", "PH", "AE", "CD", "CG", "CF", "DO", "BS", "GM", "MV", "MH", "SB",
                           "KM", "SC", "VA", "PS"})


# --- names -------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "ʻ": "'"})
_NON_WORD = re.compile(r"[^a-z0-9']+")
_RUNS = re.compile(r"(.)\1+")


def name_key(name: str) -> str:
    """The lookup form of a place name: no accents, case, dots, apostrophes or hyphens, no leading 'the'."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    folded = folded.translate(_APOSTROPHES).casefold().replace("&", " and ").replace(".", "")
    key = _NON_WORD.sub(" ", folded).replace("'", "").strip()
    return key[4:] if key.startswith("the ") else key


def skeleton(key: str) -> str:
    """A transliteration-blind form of a key, so that romanisations of one name meet: y and i are one
    letter (Slovyansk/Sloviansk, Mykolayiv/Mykolaiv, Izyum/Izium), doubled letters and the doubled
    zh of Ukrainian -zhzh- count once (Zaporizhzhya/Zaporizhia)."""
    s = key.replace(" ", "").replace("y", "i").replace("zhzh", "zh").replace("j", "i")
    return _RUNS.sub(r"\1", s)


# --- the gazetteer ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer place."""

    name: str
    feature: str
    country: str | None
    admin1: str
    lat: float
    lon: float
    population: int
    geonames_id: int | None = None
    actor: str | None = None
    curated: bool = False
    capital: bool = False


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    name: str
    capital: str
    neighbours: frozenset[str]


def _parse_row(line: str, capitals: frozenset[tuple[str, str]]) -> Entry:
    gid, name, feature, cc, admin1, lat, lon, pop, _skeletons, _keys = line.split("\t")
    return Entry(name=name, feature=feature, country=cc or None, admin1=admin1, lat=float(lat), lon=float(lon),
                 population=int(pop), geonames_id=int(gid) if gid else None,
                 capital=feature == "city" and (cc, name_key(name)) in capitals)


class Gazetteer:
    """Name keys -> places. GeoNames rows are parsed on first lookup; the index holds row numbers."""

    def __init__(self, lines: list[str], extras: list[Entry], extra_keys: list[list[str]],
                 countries: dict[str, Country]) -> None:
        self._lines = lines
        self._entries: dict[int, Entry] = {}
        self.countries = countries
        self.by_iso3 = {c.iso3: c for c in countries.values()}
        self._capitals = frozenset((c.iso2, name_key(c.capital)) for c in countries.values() if c.capital)
        self._index: dict[str, list[int]] = defaultdict(list)
        self._skeleton_index: dict[str, list[int]] = defaultdict(list)
        for i, line in enumerate(lines):
            _, skeleton_column, key_column = line.rsplit("\t", 2)
            for key in key_column.split("|"):
                self._index[key].append(i)
            if skeleton_column:
                for sk in skeleton_column.split("|"):
                    self._skeleton_index[sk].append(i)
        self._extras = extras
        self._extra_index: dict[str, list[int]] = defaultdict(list)
        self._extra_skeletons: dict[str, list[int]] = defaultdict(list)
        for i, keys in enumerate(extra_keys):
            for key in keys:
                self._extra_index[key].append(i)
                self._extra_skeletons[skeleton(key)].append(i)
        self._qualifiers: dict[str, list[Entry]] = defaultdict(list)
        self._aliases: dict[str, list[Entry]] = defaultdict(list)
        self._adjectives: dict[str, list[Entry]] = defaultdict(list)

    def _entry(self, row: int) -> Entry:
        entry = self._entries.get(row)
        if entry is None:
            entry = self._entries[row] = _parse_row(self._lines[row], self._capitals)
        return entry

    def add_alias(self, alias: str, name: str, country: str, feature: str, use: str) -> None:
        """Point an alias at the gazetteer place of that name, country and feature; `use` says where the
        alias is read: anywhere, only as a qualifier after a comma, or only as a locating adjective."""
        targets = [e for e in self.lookup(name_key(name)) if (e.country or "") == country and e.feature == feature]
        if not targets:
            return
        key = name_key(alias)
        if use == "adjective":
            self._adjectives[key].append(targets[0])
            return
        self._qualifiers[key].append(targets[0])
        if use == "any":
            self._aliases[key].append(targets[0])

    def lookup(self, key: str) -> list[Entry]:
        """Places whose name or alternate name has this key (curated entries first)."""
        found = [self._extras[i] for i in self._extra_index.get(key, ())]
        found += self._aliases.get(key, ())
        found += [self._entry(i) for i in self._index.get(key, ())]
        return _unique(found)

    def lookup_abbreviation(self, key: str) -> list[Entry]:
        """Places an all-capital abbreviation names: countries ("UAE"), aliases ("NSW") and curated
        places ("EU"); not the towns and units whose names it spells ("GAO" is no Gao, Mali)."""
        found = [self._extras[i] for i in self._extra_index.get(key, ())]
        found += self._aliases.get(key, ())
        found += [e for e in (self._entry(i) for i in self._index.get(key, ())) if e.feature == "country"]
        return _unique(found)

    def lookup_fuzzy(self, key: str) -> list[Entry]:
        """Prominent places whose keys have the same transliteration skeleton as this key."""
        sk = skeleton(key)
        found = [self._extras[i] for i in self._extra_skeletons.get(sk, ())]
        # A key that is its own skeleton is indexed only as a key.
        found += [self._entry(i) for i in (*self._skeleton_index.get(sk, ()), *self._index.get(sk, ()))]
        return _unique(found)

    def qualifier(self, key: str) -> list[Entry]:
        """Admin units and countries an abbreviation after a comma can stand for ("N.M.", "WA")."""
        found = list(self._qualifiers.get(key, ()))
        found += [e for e in self.lookup(key) if e.feature in ("country", "admin1", "admin2", "region")]
        return _unique(found)

    def country(self, iso2: str | None) -> Entry | None:
        if not iso2 or iso2 not in self.countries:
            return None
        for e in self.lookup(name_key(self.countries[iso2].name)):
            if e.feature == "country" and e.country == iso2:
                return e
        return None

    def demonym_country(self, word: str) -> Entry | None:
        """The country of a nationality adjective ("Syrian" -> Syria), from data/demonyms.tsv."""
        hit = demonyms().get(word) or demonyms().get(word.casefold())
        if hit is None:
            return None
        c = self.by_iso3.get(hit[1])
        return self.country(c.iso2) if c else None

    def adjective_place(self, word: str) -> Entry | None:
        """The place a place adjective names: a country's ("Turkish") or a region's ("European")."""
        found = self._adjectives.get(word.lower())
        return found[0] if found else self.demonym_country(word)

    def actor_name(self, entry: Entry) -> str:
        """What a place name used as an actor stands for: a country or its capital -> its government."""
        if entry.actor:
            return entry.actor
        country = self.countries.get(entry.country or "")
        if country and (entry.feature == "country" or entry.capital):
            name = f"the {country.name}" if country.iso2 in THE_COUNTRIES else country.name
            return f"Government of {name}"
        return entry.name


def _unique(entries: Iterable[Entry]) -> list[Entry]:
    seen: set[int] = set()
    out = []
    for e in entries:
        if id(e) not in seen:
            seen.add(id(e))
            out.append(e)
    return out


def _read_gazetteer_lines() -> list[str]:
    raw = gzip.decompress((DATA_DIR / GAZETTEER_FILE).read_bytes()).decode("utf-8")
    return [line for line in raw.split("\n") if line and not line.startswith(("#", "geonames_id\t"))]


def _curated_entries() -> tuple[list[Entry], list[list[str]]]:
    entries, keys = [], []
    for row in table("places_extra.tsv"):
        aliases = [a for a in (row.get("aliases") or "").split("|") if a]
        entries.append(Entry(name=row["name"], feature=row["feature"], country=row["country"] or None, admin1="",
                             lat=float(row["lat"]), lon=float(row["lon"]), population=0,
                             actor=row.get("actor") or None, curated=True))
        keys.append(sorted({name_key(n) for n in [row["name"], *aliases]}))
    return entries, keys


def _countries() -> dict[str, Country]:
    out = {}
    for row in table("countries.tsv"):
        out[row["iso2"]] = Country(row["iso2"], row["iso3"], row["name"], row["capital"],
                                   frozenset(n for n in row["neighbours"].split(",") if n))
    return out


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process (a few tenths of a second)."""
    extras, extra_keys = _curated_entries()
    gaz = Gazetteer(_read_gazetteer_lines(), extras, extra_keys, _countries())
    for row in table("places_variants.tsv"):
        gaz.add_alias(row["alias"], row["name"], row["country"] or "", row["feature"], row["use"])
    return gaz


# --- context words --------------------------------------------------------------------------------

# Unit words that count as such when capitalised ("Donetsk Oblast", "Horry County"); others
# capitalised are parts of other names ("Arizona State University", "the State Department").
CAPITALISED_UNIT_WORDS = frozenset({"oblast", "province", "region", "county", "governorate", "prefecture", "krai",
                                    "voivodeship", "canton", "district", "territory", "emirate", "parish"})
# Roles whose words are parts of names, matched as written.
CAPITALISED_ROLES = frozenset({"facility_head", "street_head", "body_noun", "natural_prefix", "natural_head",
                               "campus_word", "not_a_place"})


@dataclass(frozen=True)
class Cues:
    """The word lists of data/place_cues.tsv, by role."""

    roles: dict[str, frozenset[str]]

    def __getitem__(self, role: str) -> frozenset[str]:
        return self.roles.get(role, _EMPTY)


_EMPTY: frozenset[str] = frozenset()


@cache
def cues() -> Cues:
    by_role: dict[str, set[str]] = defaultdict(set)
    for row in table("place_cues.tsv"):
        word = row["word"].strip()
        # Facility, street and body heads are capitalised name parts; the rest are matched lower-cased.
        by_role[row["role"]].add(word if row["role"] in CAPITALISED_ROLES else word.lower())
    return Cues({role: frozenset(words) for role, words in by_role.items()})


# --- mentions -------------------------------------------------------------------------------------


@dataclass
class Mention:
    """A stretch of tokens that may name a place, with its gazetteer candidates."""

    start: int
    end: int
    key: str
    source: str
    entries: list[Entry] = field(default_factory=list)
    hint: str | None = None
    reading: str = LITERAL
    qualifier: Mention | None = None
    fuzzy: bool = False
    chosen: Entry | None = None


def _is_name_token(t: Token) -> bool:
    """A token that can be part of a place name: capitalised words and abbreviations ('N.M.', 'Calif.')."""
    text = t.text
    return (text[:1].isupper() and text.replace(".", "").isalpha()) or text in {"-", "'s", "’s"}


def _capitalised(span: Span) -> bool:
    """A name is written capitalised: 'reading' and 'grand' are words, 'Reading' may be a place."""
    return all(t.text[:1].isupper() or t.is_punct or t.lower_ in {"of", "the", "and", "de", "la", "el", "on", "upon",
                                                                   "al", "du", "del", "am", "an", "der", "sur"}
               or t.is_digit for t in span) and span[0].text[:1].isupper()


def trim(span: Span) -> Span:
    """Drop a leading article or compass adjective and a trailing possessive or punctuation."""
    doc, start, end = span.doc, span.start, span.end
    compass = cues()["compass"]
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or (doc[start].lower_ in compass
                           and doc[start].text[:1].islower())):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end]


def lookup_span(gaz: Gazetteer, span: Span) -> tuple[list[Entry], bool]:
    """Gazetteer entries for a span's text: exact key, else transliteration skeleton (fuzzy=True).

    A short all-capital token ("CHU", "WA") is an abbreviation: only countries, units and curated
    places answer to it, not the towns whose alternate names happen to match it. A skeleton match
    must be a long name and a prominent place, or near-misses of common words would become places."""
    key = name_key(span.text)
    if not key:
        return [], False
    found = gaz.lookup(key)
    if len(span) == 1 and span.text.isupper() and len(key) <= 4:
        found = gaz.lookup_abbreviation(key)
    if found or len(key) < 6:
        return found, False
    fuzzy = [e for e in gaz.lookup_fuzzy(key) if e.feature != "city" or e.population >= 10_000]
    return fuzzy, True


def _is_upper_word(t: Token) -> bool:
    return t.is_upper and (t.is_alpha or t.text.replace(".", "").replace("-", "").isalpha())


class MentionFinder:
    """Collects place mentions over a doc, at most one per token."""

    def __init__(self, doc: Doc, gaz: Gazetteer) -> None:
        self.doc = doc
        self.gaz = gaz
        self.cues = cues()
        self.taken: dict[int, Mention] = {}
        self.mentions: list[Mention] = []
        # Token texts as plain strings: the passes below scan every token, and building a Token object
        # for each would cost more than all the rest of the component.
        text = text_of(doc)
        self.words = [text[a:a + n] for a, n in zip(doc.to_array("IDX").tolist(), doc.to_array("LENGTH").tolist(),
                                                    strict=True)]
        self.lowers = [w.lower() for w in self.words]
        # "Sandy Angers ... said Angers": a surname of a person the article names is that person.
        self.surnames = {ent[-1].lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
        self._named_countries: set[str] | None = None

    def free(self, start: int, end: int) -> bool:
        return all(i not in self.taken for i in range(start, end))

    def add(self, m: Mention) -> Mention | None:
        if m.end <= m.start or not self.free(m.start, m.end):
            return None
        for i in range(m.start, m.end):
            self.taken[i] = m
        self.mentions.append(m)
        return m

    def candidate(self, span: Span, source: str, hint: str | None = None) -> Mention | None:
        """A mention for the span when the gazetteer knows its name."""
        if not len(span) or not _capitalised(span) or span.text in self.cues["not_a_place"]:
            return None
        if len(span) == 1 and span[0].lower_ in self.surnames:
            return None
        entries, fuzzy = lookup_span(self.gaz, span)
        # "Syrian" is an adjective, even if a town in Iran has it among its alternate names; a curated
        # name the tagger takes for an adjective ("the Azovstal plant") is still that place.
        if len(span) == 1 and (span[0].pos_ == "ADJ" or (span.text in demonyms() and not span.text.isupper())):
            entries = [e for e in entries if e.curated]
        if not entries:
            return None
        return Mention(span.start, span.end, name_key(span.text), source, entries, hint=hint, fuzzy=fuzzy)

    def add_place_span(self, span: Span, source: str, hint: str | None = None) -> Mention | None:
        m = self.candidate(span, source, hint)
        return self.add(m) if m is not None else None

    # -- sources, in order of trust --

    def find(self) -> list[Mention]:
        self.datelines()
        self.admin_units()
        self.settlements()
        self.qualified_names()
        for ent in self.doc.ents:
            self.entity(ent)
        self.prepositional()
        self.qualifiers()
        self.adjectives()
        self.named_features()
        self.recipients()
        return sorted(self.mentions, key=lambda m: m.start)

    def recipients(self) -> None:
        """'get Kyiv the weapons': a country or capital between a giving verb and its object; and
        'Kyiv can still win' where the NER tagged nothing: a country or capital as a verb's subject."""
        doc = self.doc
        verbs = self.cues["ditransitive_verb"]
        for i, word in enumerate(self.words):
            if word[:1].isupper() and i not in self.taken and not doc[i].ent_type_ and doc[i].dep_ == "nsubj":
                span = doc[i:i + 1]
                m = self.candidate(span, "actor")
                if m is not None and self.may_be_actor(span, m):
                    self.add(m)
        for i in range(len(doc) - 2):
            if not self.words[i + 1][:1].isupper() or i + 1 in self.taken or not self.words[i][:1].islower():
                continue
            if doc[i].pos_ != "VERB" or doc[i].lemma_.lower() not in verbs:
                continue
            name = self._name_after(i + 1, 3)
            if name is None or name.end >= len(doc) or doc[name.end].pos_ not in ("DET", "NUM", "ADJ", "NOUN"):
                continue
            m = self.candidate(name, "actor")
            if m is not None and self.may_be_actor(name, m):
                m.hint = "recipient"
                self.add(m)

    def datelines(self) -> None:
        """'SEOUL, South Korea (CNN) -', 'ALBUQUERQUE, N.M. (AP) —', 'NEW DELHI:': an all-capital place
        name opening a line or a sentence, before a comma, an agency in brackets, a dash or a colon."""
        doc = self.doc
        words = self.words
        i = 0
        while i < len(doc):
            if not (words[i].isupper() and words[i].isalpha()):
                i += 1
                continue
            end = i
            while end < len(doc) and end - i < 4 and words[end].isupper() and words[end].isalpha():
                end += 1
            # "Associated Press WASHINGTON (AP) —": an agency in brackets marks a dateline anywhere.
            agency = end + 2 < len(doc) and words[end] == "(" and words[end + 2] == ")" and words[end + 1].isupper()
            if not (agency or self._opens_unit(doc[i])):
                i = end + 1
                continue
            if end < len(doc) and doc[end].text in DATELINE_ENDS and len(doc[i:end].text) >= 4:
                m = self.candidate(doc[i:end], "dateline")
                # "WALLACE:" opens a speaker's turn in a transcript; "NEW DELHI:" a dateline.
                if m is not None and doc[end].text == ":" and (doc[i].ent_type_ == "PERSON" or not any(
                        e.feature in ("country", "admin1") or e.population >= 100_000 for e in m.entries)):
                    m = None
                m = self.add(m) if m is not None else None
                if m is not None and doc[end].text == ",":
                    self.qualifier_after(m, end)
            i = end + 1

    def _opens_unit(self, t: Token) -> bool:
        """Does the token open a line or a sentence?"""
        if t.i == 0 or t.is_sent_start:
            return True
        prev = self.doc[t.i - 1]
        return "\n" in prev.text + prev.whitespace_ or prev.text in {".", "!", "?", "|", "”", '"'}

    def admin_units(self) -> None:
        """'Kherson region', 'Donetsk Oblast', 'the Zaporizhzhya, Mykolayiv, and Kharkiv regions'."""
        doc = self.doc
        suffixes = self.cues["admin_suffix"]
        for i, lower in enumerate(self.lowers):
            if lower not in suffixes or i == 0 or not self.words[i - 1][:1].isupper():
                continue
            # "Arizona State", "Arizona Republic", "the State Department" name no units.
            if self.words[i][:1].isupper() and lower not in CAPITALISED_UNIT_WORDS:
                continue
            # "North State Street", "Lagos State Governor": the name runs on past the unit word;
            # "the U.S. Department of Labor" is no unit.
            if i + 1 < len(doc) and ((self.words[i + 1][:1].isupper() and self.words[i][:1].isupper())
                                     or self.lowers[i + 1] == "of"):
                continue
            t = doc[i]
            name = self._name_before(t.i)
            if name is None:
                continue
            whole = doc[name.start:t.i + 1]
            # The whole name first ("Horry County", "Miami-Dade County"), then the name before the suffix.
            if self.add_place_span(whole, "admin", "admin") is None:
                m = self.candidate(name, "admin", "admin")
                if m is None or not self.free(m.start, t.i + 1) or m.fuzzy \
                        or all(e.feature == "country" for e in m.entries):
                    continue
                # "the Luhansk region" names the unit with its unit word; "the Kherson and Mykolaiv
                # regions" names two units, each by its name.
                if not t.lower_.endswith("s"):
                    m.end = t.i + 1
                self.add(m)
            if t.lower_.endswith("s"):
                self._coordinated_before(name.start, "admin")

    def _name_before(self, i: int, limit: int = 5) -> Span | None:
        """The run of capitalised tokens that ends right before token i."""
        doc = self.doc
        start = i
        while start > 0 and _is_name_token(doc[start - 1]) and doc[start - 1].tag_ != "POS" and i - start < limit:
            start -= 1
        # A name starts with a proper noun: not with "The", "But" or a hyphen.
        while start < i and (not doc[start].text[:1].isupper() or doc[start].pos_ in ("DET", "CCONJ", "ADV", "PRON")):
            start += 1
        return doc[start:i] if start < i else None

    def _name_after(self, i: int, limit: int = 4) -> Span | None:
        """The run of capitalised tokens that starts at token i."""
        doc = self.doc
        end = i
        while end < len(doc) and end - i < limit and (_is_name_token(doc[end]) or _is_upper_word(doc[end])) \
                and doc[end].tag_ != "POS" and doc[end].text != "-":
            end += 1
        return doc[i:end] if end > i else None

    def _coordinated_before(self, i: int, hint: str) -> None:
        """Walk back over 'X, Y, and' before a plural head: each name is a unit of that kind."""
        doc = self.doc
        j = i
        while j > 0 and doc[j - 1].lower_ in {",", "and", "or"}:
            while j > 0 and doc[j - 1].lower_ in {",", "and", "or"}:
                j -= 1
            name = self._name_before(j)
            if name is None or self.add_place_span(name, "coordinated", hint) is None:
                return
            j = name.start

    def settlements(self) -> None:
        """'the city of Kreminna', 'the village of Bucha', 'the cities of Slovyansk and Kramatorsk'."""
        doc = self.doc
        nouns = self.cues["settlement_noun"]
        units = self.cues["admin_suffix"]
        lowers = self.lowers
        for j in range(len(doc) - 2):
            if (lowers[j] not in nouns and lowers[j] not in units) or lowers[j + 1] != "of":
                continue
            hint = "city" if lowers[j] in nouns else "admin"
            i = j + 2
            while i < len(doc):
                name = self._name_after(i, 5)
                if name is None or self.add_place_span(name, "settlement", hint) is None:
                    break
                i = name.end
                if i < len(doc) - 1 and doc[i].lower_ in {",", "and", "or"}:
                    i += 1 + (doc[i + 1].lower_ in {"and", "or"})
                else:
                    break

    def qualified_names(self) -> None:
        """'Knockhill, Fife', 'Oulton Park, Cheshire', 'Espoo, Finland': a name, a comma, then an admin
        unit or a country. A name the gazetteer lacks still lies in the unit after it."""
        doc = self.doc
        for j in range(1, len(doc) - 1):
            if self.words[j] != "," or not self.words[j + 1][:1].isupper():
                continue
            comma = doc[j]
            left = self._name_before(comma.i, 4)
            right = self._name_after(comma.i + 1, 3)
            if left is None or right is None or not self.free(left.start, left.end):
                continue
            units = self.gaz.qualifier(name_key(right.text)) if right.text[:1].isupper() else []
            # "Helen, Clarence, Irene": a list of names, not a place and its unit.
            if not units or self._in_list(left, right) or left.root.ent_type_ == "PERSON":
                continue
            m = self.candidate(left, "qualified")
            if m is not None:
                m.entries = [e for e in m.entries if _within(e, units)]
                m = self.add(m) if m.entries else None
            if m is None and self.is_named_place(left):
                m = self.add(Mention(left.start, left.end, name_key(left.text), "facility"))
            # "Rockingham, Northamptonshire." at a sentence's end: a place the gazetteer lacks, in that unit.
            if m is None and units[0].feature in ("admin1", "admin2") and self._bare_name(left) \
                    and (right.end >= len(doc) or self.words[right.end] in {".", ";", "(", ")"}):
                m = self.add(Mention(left.start, left.end, name_key(left.text), "unlisted"))
            if m is not None:
                self.qualifier_after(m, comma.i)

    def _in_list(self, left: Span, right: Span) -> bool:
        """Is 'Left, Right' part of a comma list ('Helen, Clarence, Irene and Marie')?"""
        before = self.lowers[left.start - 1] if left.start > 0 else ""
        after = self.lowers[right.end] if right.end < len(self.doc) else ""
        return before in {",", "and", "or"} or (after in {",", "and", "or"} and before not in {"in", "at", "from"})

    def _units(self, span: Span) -> list[Entry]:
        """Admin units or countries a whole run of names after a comma names."""
        return self.gaz.qualifier(name_key(span.text)) if span.text[:1].isupper() else []

    def _bare_name(self, span: Span) -> bool:
        """A short proper name that can be an unlisted village: not a person's, not an organisation's."""
        return len(span) <= 3 and all(t.pos_ == "PROPN" and t.is_alpha for t in span) \
            and span.root.ent_type_ not in ("PERSON", "NORP", "DATE") and not self.is_body_name(span)

    def entity(self, ent: Span) -> None:
        if ent.label_ in NEVER_LABELS:
            return
        span = trim(ent)
        if not len(span) or not self.free(span.start, span.end):
            return
        if ent.label_ in PLACE_LABELS:
            m = self.candidate(span, "ner")
            # "living in Boa Vista" with only "Vista" tagged: the name may start a word earlier.
            wider = self.doc[span.start - 1:span.end] if span.start > 0 else None
            if wider is not None and _is_name_token(wider[0]) and wider[0].pos_ == "PROPN" \
                    and (span.start - 1) not in self.taken:
                m = self.candidate(wider, "ner") or m
            if m is None and len(span) > 1 and span[-1].lower_ in self.cues["admin_suffix"]:
                m = self.candidate(span[:-1], "ner", "admin")
            if m is not None:
                self.add(m)
            elif self.is_named_place(span) or (ent.label_ == "FAC" and self.in_locative_context(span)):
                tail = self.curated_tail(span)
                self.add(tail or Mention(span.start, span.end, name_key(span.text), "facility"))
            return
        # A NORP-tagged proper noun may be a town ("authorities in Tunis"); an adjective is not.
        if ent.label_ in RELABEL_LABELS and (ent.label_ != "NORP" or span.root.pos_ == "PROPN"):
            if self.is_body_name(span):
                return
            m = self.candidate(span, "relabel")
            if m is not None and self.in_place_context(span, m, ent.label_):
                self.add(m)
            elif m is not None and self.may_be_actor(span, m):
                m.source = "actor"
                self.add(m)
            elif m is None and self.is_named_place(span) and self.in_locative_context(span):
                tail = self.curated_tail(span)
                self.add(tail or Mention(span.start, span.end, name_key(span.text), "facility"))

    def may_be_actor(self, span: Span, m: Mention) -> bool:
        """'Kyiv can still win' with "Kyiv" tagged PERSON: a capital or country named alone, in an
        article that names its country, may stand for its government (kept only if the parse agrees)."""
        text = text_of(self.doc)
        for e in m.entries:
            country = self.gaz.countries.get(e.country or "")
            if country is None or not (e.feature == "country" or e.capital):
                continue
            if e.feature == "country" or country.name in text:
                # Not a part of a person's longer name elsewhere ("Paris Hilton").
                return not any(ent.label_ == "PERSON" and len(ent) > 1 and span.text in ent.text
                               for ent in self.doc.ents)
        return False

    def curated_tail(self, span: Span) -> Mention | None:
        """'the U.S. Ramstein Air Base': a curated facility after a modifier."""
        for k in range(1, min(len(span), 3)):
            tail = span[k:]
            entries = [e for e in self.gaz.lookup(name_key(tail.text)) if e.curated]
            if entries:
                return Mention(tail.start, tail.end, name_key(tail.text), "ner", entries)
        return None

    def is_body_name(self, span: Span) -> bool:
        """'United Nations', 'Washington Post': an organisation's name, though it holds a place name."""
        return len(span) > 1 and span[-1].text in self.cues["body_noun"] and not self.gaz.lookup(name_key(span.text))

    def is_named_place(self, span: Span) -> bool:
        """A facility, street, campus or natural feature by the form of its name."""
        c = self.cues
        last = span[-1].text.rstrip(".")
        if len(span) < 2:
            return False
        return (last in c["facility_head"] or last in c["street_head"] or last in c["natural_head"]
                or span[0].text.rstrip(".") in c["natural_prefix"] or any(t.text in c["campus_word"] for t in span))

    def in_locative_context(self, span: Span) -> bool:
        doc = self.doc
        i = span.start - 1
        if i > 0 and doc[i].lower_ == "the":
            i -= 1
        if i < 0:
            return False
        before = doc[i]
        # "according to X", "close to X" are about sources and people, not places.
        if i > 0 and before.lower_ == "to" and doc[i - 1].lower_ in {"according", "close", "due", "thanks", "next"}:
            return False
        return before.lower_ in self.cues["locative_prep"] or (before.tag_ == "POS" and i - 1 in self.taken)

    def in_place_context(self, span: Span, m: Mention, label: str) -> bool:
        """Is a name the NER did not call a place used as one here?"""
        doc = self.doc
        person = label == "PERSON"
        if person and not any(e.feature in ("country", "admin1", "city") or e.curated for e in m.entries):
            return False
        # "at Zara's headquarters": a possessor of a non-place is a firm or a person.
        if span.end < len(doc) and doc[span.end].tag_ == "POS" and span.root.dep_ == "poss":
            owned = span.root.head
            if owned.lower_ not in self.cues["locative_head"] and owned.text not in self.cues["facility_head"] \
                    and owned.i not in self.taken and owned.ent_type_ not in ("GPE", "LOC", "FAC"):
                return False
        # A person's name needs a verb of place or motion before it ("moved to Thornhill", not "a letter
        # to Obama"); an organisation's a place preposition ("in Dewsbury").
        if self.is_destination(span) if person else self.in_locative_context(span):
            return True
        if self.has_place_neighbour(span):
            return True
        if person or len(span) > 3:
            return False
        # An organisation-labelled name that is a country or a curated place is mostly that place (the
        # reading rules then tell "Durban court" from "Durban said"); a unit or a city's name only in an
        # article that names its country, as firms and car models share names with towns abroad
        # ("Toyota", "the Falcon"), and for a mere town only where it locates a noun ("Durban court").
        locates = span.root.dep_ in ("compound", "poss") and (
            span.root.head.lower_ in self.cues["locative_head"] or span.root.head.text in self.cues["facility_head"])
        for e in m.entries:
            if e.feature in ("country", "continent") or e.curated or e.capital or e.population >= 1_000_000:
                return True
            if e.country in self.named_countries() and (e.feature == "admin1" or locates):
                return True
        return False

    def has_place_neighbour(self, span: Span) -> bool:
        """'the Kent-based outfit', 'Ukraine's Mariupol', 'Kreminna, Luhansk', 'Sirte and Misrata':
        a name that other places or place words stand next to."""
        doc = self.doc
        if span.end + 1 < len(doc) and doc[span.end].text == "-" \
                and self.lowers[span.end + 1] in self.cues["hyphen_place"]:
            return True
        if span.start >= 2 and doc[span.start - 1].tag_ == "POS" and (span.start - 2) in self.taken:
            return True
        if span.end + 1 < len(doc) and doc[span.end].text == ",":
            nxt = self._name_after(span.end + 1, 3)
            if nxt is not None and self._units(nxt):
                return True
        root = span.root
        return any((t.dep_ == "conj" or root.dep_ == "conj") and (t.i in self.taken or t.ent_type_ in ("GPE", "LOC"))
                   for t in (root.head, *root.children))

    def is_destination(self, span: Span) -> bool:
        """'moved to Thornhill', 'lives in Bucha': a person-tagged name after a place preposition that
        a verb governs ("a letter to Obama", "support from Obama" do not count)."""
        root = span.root
        prep = root.head
        if root.dep_ != "pobj" or prep.dep_ != "prep":
            return False
        if prep.lower_ in {"in", "at", "near", "outside", "inside", "into", "across", "throughout"}:
            return True
        return prep.lower_ in {"to", "from"} and prep.head.lemma_.lower() in self.cues["motion_verb"]

    def named_countries(self) -> set[str]:
        """Countries the article names outright, by name or nationality adjective."""
        if self._named_countries is None:
            found: set[str] = set()
            for ent in self.doc.ents:
                if ent.label_ == "NORP":
                    country = self.gaz.demonym_country(ent.text)
                    if country is not None and country.country:
                        found.add(country.country)
                elif ent.label_ in PLACE_LABELS:
                    found.update(e.country for e in self.gaz.lookup(name_key(trim(ent).text))
                                 if e.feature == "country" and e.country)
            self._named_countries = found
        return self._named_countries

    def prepositional(self) -> None:
        """'outside Kyiv', 'in Kreminna': capitalised tokens after a locative preposition the NER missed."""
        doc = self.doc
        preps = self.cues["locative_prep"]
        lowers = self.lowers
        for j in range(len(doc) - 1):
            if lowers[j] not in preps:
                continue
            i = j + 1 + (lowers[j + 1] == "the")
            if i >= len(doc) or not self.words[i][:1].isupper():
                continue
            span = self._name_after(i, 4) if i < len(doc) else None
            if span is None or doc[i].ent_type_ in NEVER_LABELS or not self.free(span.start, span.end):
                continue
            # "the University of California", "the Centre for Monitoring Indian Economy": a longer name.
            if span.end + 1 < len(doc) and self.lowers[span.end] in {"of", "for"} \
                    and self.words[span.end + 1][:1].isupper():
                continue
            if j > 0 and lowers[j] == "to" and lowers[j - 1] in {"according", "close", "due", "thanks", "next"}:
                continue
            # Tagged names had their turn in `entity` (a person's or a firm's name needs more than a
            # preposition: "a letter to Obama" is no trip to Obama, Japan).
            if doc[i].ent_type_ and doc[i].ent_type_ not in PLACE_LABELS and doc[i].ent_type_ != "NORP":
                continue
            if not self.is_body_name(span) and not self.add_place_span(span, "preposition") \
                    and self.is_named_place(span):
                self.add(Mention(span.start, span.end, name_key(span.text), "facility"))

    def qualifiers(self) -> None:
        """'Houston, Texas', 'Albuquerque, N.M.', 'Rockingham, WA': the unit after a place and a comma."""
        for m in list(self.mentions):
            if m.qualifier is None and m.end + 1 < len(self.doc) and self.doc[m.end].text == ",":
                self.qualifier_after(m, m.end)

    def qualifier_after(self, m: Mention, comma: int) -> None:
        right = self._name_after(comma + 1, 3)
        if right is None:
            return
        # The unit is the whole run of names after the comma ("Morgan Richard Tsvangirai" is no unit),
        # and no clause's subject ("in Toledo, Clinton says").
        units = self._units(right)
        if not units or right.root.dep_ in ("nsubj", "nsubjpass") or right[0].ent_type_ == "PERSON":
            return
        existing = self.taken.get(right.start)
        if existing is not None:
            # The NER's reading of "WA" may be a town; after a comma it is a unit.
            if existing.start == right.start and existing.end == right.end:
                existing.entries = _unique([*units, *existing.entries])
                existing.source = "qualifier"
                m.qualifier = existing
            return
        m.qualifier = self.add(Mention(right.start, right.end, name_key(right.text), "qualifier", units))

    def adjectives(self) -> None:
        """Place adjectives that locate their noun: 'the Syrian-Turkish border', 'Indian states',
        'the Turkish feed industry', 'the European market'."""
        doc = self.doc
        heads = self.cues["locative_head"]
        for i, word in enumerate(self.words):
            if i in self.taken or not word[:1].isupper():
                continue
            place = self.gaz.adjective_place(word)
            t = doc[i]
            if place is None or t.ent_type_ not in ("NORP", "GPE", "LOC", ""):
                continue
            head = self._modified_noun(t)
            # "the Ukrainian city of Mariupol": the place is Mariupol; the adjective only classifies it.
            if head is not None and head.i + 1 < len(doc) and self.lowers[head.i + 1] == "of":
                continue
            if head is not None and head.lower_ in heads:
                self.add(Mention(i, i + 1, name_key(word), "adjective", [place], hint=place.feature))

    def _modified_noun(self, t: Token) -> Token | None:
        """The noun an adjective modifies, across a hyphenated pair ('Syrian-Turkish border')."""
        doc = self.doc
        j = t.i + 1
        while j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].text[:1].isupper():
            j += 2
        if j > t.i + 1:
            t = doc[j - 1]
        if t.dep_ in ("amod", "compound", "nmod") and t.head.i > t.i and t.head.pos_ in ("NOUN", "PROPN"):
            return t.head
        if j < len(doc) and doc[j].pos_ == "NOUN" and t.pos_ == "ADJ":
            return doc[j]
        return None

    def named_features(self) -> None:
        """Streets, squares, natural features and campuses by the form of their names: 'Third Street',
        'N. Bedford Drive', 'Woodman Point', 'Mount Chaambi'."""
        doc = self.doc
        c = self.cues
        for i in range(1, len(doc)):
            word = self.words[i].rstrip(".")
            if i in self.taken or not (word in c["street_head"] or word in c["natural_head"]):
                continue
            t = doc[i]
            name = self._name_before(t.i, 3)
            if name is not None and name[0].pos_ != "DET" and self.free(name.start, t.i + 1):
                source = "street" if word in c["street_head"] else "facility"
                self.add(Mention(name.start, t.i + 1, name_key(doc[name.start:t.i + 1].text), source))
        for i in range(len(doc) - 1):
            if self.words[i].rstrip(".") not in c["natural_prefix"] or i in self.taken:
                continue
            name = self._name_after(i + 1 + (self.words[i + 1] == "."), 3)
            if name is not None and self.free(i, name.end):
                self.add(Mention(i, name.end, name_key(doc[i:name.end].text), "facility"))


# --- reading: a place, or a place name used for something else ----------------------------------


def reading_of(m: Mention, doc: Doc, finder: MentionFinder) -> str:
    """literal, metonym (an actor: 'Turkey says') or associative (a non-locating modifier: 'U.S. officials')."""
    c = finder.cues
    if m.source in ("dateline", "qualifier", "qualified", "unlisted", "settlement", "coordinated", "adjective"):
        return LITERAL
    span = doc[m.start:m.end]
    if m.hint == "recipient":
        return METONYM
    if m.source == "admin":
        # "Kherson region" is a place, but "Cuyahoga County Executive" an office.
        end = doc[m.end] if m.end < len(doc) and doc[m.end].lower_ in c["admin_suffix"] else span.root
        if end.dep_ == "compound" and end.head.i > end.i and end.head.lower_ not in c["locative_head"]:
            return ASSOCIATIVE
        return LITERAL
    # "Moscow-backed" is an actor; "London-based" a place.
    if m.end + 1 < len(doc) and doc[m.end].text == "-":
        after = doc[m.end + 1].lower_
        if after in c["hyphen_actor"]:
            return METONYM
        if after in c["hyphen_place"]:
            return LITERAL
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i and root.head.i not in finder.taken:
        root = root.head
    if root.dep_ == "conj" and root.head.i in finder.taken:
        first = finder.taken[root.head.i]
        if first is not m and first.reading != LITERAL:
            return first.reading
        if first is not m:
            return LITERAL
    return _reading_by_role(root, m, finder)


def _reading_by_role(root: Token, m: Mention, finder: MentionFinder) -> str:
    c = finder.cues
    dep, head = root.dep_, root.head
    if dep in ("nsubj", "csubj"):
        verb = head
        # "Russia is responsible", "Kyiv is ready to talk": a copula with an agent's adjective.
        if any(t.dep_ == "acomp" and t.lower_ in c["agentive_adj"] for t in verb.children):
            return METONYM
        if verb.lemma_.lower() in c["static_verb"] or verb.pos_ not in ("VERB", "AUX"):
            return LITERAL
        return METONYM
    if dep in ("dative", "iobj"):
        return METONYM
    if dep == "dobj":
        return METONYM if head.lemma_.lower() in c["directed_verb"] else LITERAL
    if dep == "poss":
        return _possessor_reading(head, finder)
    if dep == "pobj":
        return _object_of_preposition_reading(head, finder)
    if dep in ("compound", "amod", "nmod"):
        if head.i in finder.taken or head.lower_ in c["locative_head"] or head.text in c["facility_head"] \
                or head.text in c["street_head"]:
            return LITERAL
        return ASSOCIATIVE
    return LITERAL


def _possessor_reading(head: Token, finder: MentionFinder) -> str:
    """'Ukraine's Mariupol' is a place, 'China's move' an actor, 'Russia's ambassador' an institution."""
    c = finder.cues
    if head.i in finder.taken:
        return LITERAL
    lemma = head.lemma_.lower()
    if head.lower_ in c["agentive_poss"] or lemma in c["agentive_poss"]:
        return METONYM
    if head.lower_ in c["institution_poss"] or lemma in c["institution_poss"] or head.ent_type_ in ("PERSON", "ORG"):
        return ASSOCIATIVE
    # "Russia's Defense Ministry": a compound whose last word is an institution.
    if any(t.lower_ in c["institution_poss"] for t in head.children if t.dep_ == "compound"):
        return ASSOCIATIVE
    return LITERAL


def _object_of_preposition_reading(prep: Token, finder: MentionFinder) -> str:
    c = finder.cues
    word = prep.lower_
    governor = prep.head
    gov = governor.lemma_.lower()
    if word == "against":
        return METONYM
    related = gov in c["relation_head"] or governor.lower_ in c["relation_head"]
    if word in ("with", "between", "toward", "towards") and related:
        return METONYM
    # "a loss to San Antonio", "series with Portland": the other side of a contest is a team.
    if word in ("to", "with", "over", "against") and (gov in c["contest_head"] or governor.lower_ in c["contest_head"]):
        return METONYM
    if word in ("on", "over") and gov in c["pressure_head"]:
        return METONYM
    if word == "by" and governor.tag_ == "VBN" and governor.lower_ not in c["hyphen_place"]:
        return METONYM
    if word in ("of", "for", "from") and (gov in c["institution_poss"] or governor.lower_ in c["institution_poss"]):
        return ASSOCIATIVE
    return LITERAL


# --- resolution -----------------------------------------------------------------------------------


@dataclass
class Context:
    """Which countries and admin units the article names, by mention key (so a name does not vote for
    its own reading)."""

    countries: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    admins: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, key: str, entry: Entry, with_admin: bool = True) -> None:
        if entry.country:
            self.countries[entry.country][key] += 1
            if not with_admin:
                return
            if entry.feature == "admin1":
                self.admins[(entry.country, entry.name)][key] += 1
            elif entry.admin1:
                self.admins[(entry.country, entry.admin1)][key] += 1

    def country_votes(self, country: str | None, key: str) -> int:
        votes = self.countries.get(country or "")
        return sum(n for k, n in votes.items() if k != key) if votes else 0

    def admin_votes(self, country: str | None, admin1: str, key: str) -> int:
        votes = self.admins.get((country or "", admin1))
        return sum(n for k, n in votes.items() if k != key) if votes else 0

    def leading_countries(self, key: str, n: int = 3) -> list[str]:
        totals = Counter({c: self.country_votes(c, key) for c in self.countries})
        return [c for c, v in totals.most_common(n) if v > 0]


def prior(e: Entry, m: Mention, same_name_city: bool) -> float:
    """Score of an entry for a mention before the article's context: prominence and the mention's form."""
    s = math.log10(e.population + 10) + FEATURE_PRIOR.get(e.feature, 0.0) + 1.5 * e.capital
    if e.feature == "city" and e.population >= WORLD_CITY:
        s += WORLD_CITY_BONUS
    if e.curated:
        s += CURATED_BONUS
    if m.hint == "admin":
        s += 6.0 if e.feature in ADMIN_FEATURES else 0.0
    elif m.hint == "city":
        s += 3.0 if e.feature == "city" else -3.0
    elif m.hint == "country":
        s += 6.0 if e.feature == "country" else 0.0
    # "Kharkiv", "Donetsk", "New York" name a city before the unit named after it.
    if e.feature in ("admin1", "admin2") and same_name_city and m.hint != "admin":
        s -= 3.0
    return s


def candidate_scores(m: Mention, ctx: Context | None, gaz: Gazetteer) -> list[tuple[float, Entry]]:
    # The largest town of each country among the candidates: a unit named after a town of a twentieth
    # of its size or more ("Kharkiv", "Donetsk") is read as the town (the village of Alabama, NY, is not).
    towns: dict[str | None, int] = {}
    for e in m.entries:
        if e.feature == "city":
            towns[e.country] = max(towns.get(e.country, 0), e.population)
    allowed = _qualified(m)
    scored = []
    for e in m.entries:
        s = prior(e, m, towns.get(e.country, -1) >= 0.05 * e.population)
        if ctx is not None:
            s += _context_bonus(e, m.key, ctx, gaz)
        if allowed is not None and not _within(e, allowed):
            s -= 20.0
        scored.append((s, e))
    scored.sort(key=lambda x: -x[0])
    return scored


def _qualified(m: Mention) -> list[Entry] | None:
    q = m.qualifier
    return q.entries if q is not None and q.entries else None


def _within(e: Entry, units: list[Entry]) -> bool:
    return any(e.country == u.country and (u.feature == "country" or e.admin1 == u.name or e.admin1 == u.admin1)
               for u in units)


def _context_bonus(e: Entry, key: str, ctx: Context, gaz: Gazetteer) -> float:
    s = 0.0
    votes = ctx.country_votes(e.country, key)
    if votes:
        s += COUNTRY_BONUS + 0.5 * min(votes - 1, 2)
    else:
        leading = ctx.leading_countries(key)
        if leading and e.country:
            country = gaz.countries.get(e.country)
            if country and any(c in country.neighbours for c in leading):
                s += 1.0
    admin = e.name if e.feature == "admin1" else e.admin1
    if admin and ctx.admin_votes(e.country, admin, key):
        s += ADMIN_BONUS
    return s


def build_context(doc: Doc, mentions: list[Mention], gaz: Gazetteer) -> Context:
    """Countries and units of the mentions that are clear without context, and of nationality adjectives."""
    ctx = Context()
    for m in mentions:
        # A loose (transliteration) match informs no other reading.
        if not m.entries or m.fuzzy:
            continue
        scored = candidate_scores(m, None, gaz)
        best = scored[0][1]
        close = [e for s, e in scored if s >= scored[0][0] - 2.0]
        # The country is clear when every close reading lies in it (Atlanta: Georgia's or Texas's, but
        # American either way); the unit only when the best reading stands out.
        if m.qualifier is not None or all(e.country == best.country for e in close):
            ctx.add(m.key, best, with_admin=len(close) == 1 or m.qualifier is not None)
    for ent in doc.ents:
        if ent.label_ == "NORP":
            country = gaz.demonym_country(ent.text)
            if country is not None:
                ctx.add(name_key(ent.text), country)
    return ctx


def resolve(mentions: list[Mention], ctx: Context, gaz: Gazetteer) -> None:
    """Choose each mention's entry: by prominence and the article's countries and units, then once more
    preferring towns near the other places the article names (its places tend to lie together)."""
    scored: dict[int, list[tuple[float, Entry]]] = {}
    # Qualifiers first: "Paris, Texas" reads Texas before Paris.
    for m in sorted(mentions, key=lambda m: m.source != "qualifier"):
        if m.entries:
            scored[id(m)] = candidate_scores(m, ctx, gaz)
            m.chosen = scored[id(m)][0][1]
    for m in mentions:
        ranked = scored.get(id(m))
        if ranked is None or len(ranked) < 2 or ranked[0][1].feature not in ("city", "admin2"):
            continue
        anchors = [(o.chosen.lat, o.chosen.lon) for o in mentions
                   if o.chosen is not None and o.key != m.key and o.chosen.feature in LOCAL_FEATURES]
        # Only towns of the chosen country compete on nearness: a village near the article's other
        # places does not beat a city abroad on that alone (Geneva, Switzerland, not Geneva, NY).
        rivals = [se for se in ranked[:12] if se[1].country == ranked[0][1].country]
        if anchors and len(rivals) > 1:
            m.chosen = max(rivals, key=lambda se: se[0] + _proximity_bonus(se[1], anchors))[1]


LOCAL_FEATURES = frozenset({"city", "admin2", "landmark", "facility"})


def _proximity_bonus(e: Entry, anchors: list[tuple[float, float]]) -> float:
    if e.feature not in ("city", "admin2"):
        return 0.0
    d = min(km(e.lat, e.lon, lat, lon) for lat, lon in anchors)
    return 2.5 if d < 50 else 1.5 if d < 150 else 0.5 if d < 400 else 0.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# --- facilities ----------------------------------------------------------------------------------


def locate_facility(m: Mention, doc: Doc, finder: MentionFinder, resolved: list[Mention]) -> Entry | None:
    """The place that locates a facility: one named with it, else the nearest the article names."""
    gaz = finder.gaz
    curated = [e for e in gaz.lookup(m.key) if e.curated]
    if curated:
        return curated[0]
    if m.qualifier is not None and m.qualifier.chosen is not None:
        return m.qualifier.chosen
    # "Derry's Altnagelvin Hospital", "the CHU in Montpellier", "Brands Hatch Indy, Kent"
    if m.start >= 2 and doc[m.start - 1].tag_ == "POS":
        owner = finder.taken.get(m.start - 2)
        if owner is not None and owner.chosen is not None:
            return owner.chosen
    for i in (m.end + 1, m.end + 2):
        other = finder.taken.get(i)
        if other is not None and other.chosen is not None and doc[m.end].lower_ in {",", "in", "at", "near"}:
            return other.chosen
    # A natural feature called after its town, in a country the article names: "Kaneohe Bay" (a road
    # called after a town leads to it, so streets do not count).
    countries = {r.chosen.country for r in resolved if r.chosen is not None}
    if m.end - m.start > 1 and doc[m.end - 1].text in finder.cues["natural_head"]:
        named = doc[m.start:m.end - 1]
        towns = [e for e in gaz.lookup(name_key(named.text)) if e.feature == "city" and e.country in countries]
        if towns:
            return max(towns, key=lambda e: e.population)
    # A city's name inside the facility's name: "Seoul Central District Court".
    c = finder.cues
    generic = c["facility_head"] | c["street_head"] | c["natural_head"] | c["campus_word"] | c["body_noun"]
    for t in doc[m.start:m.end]:
        if t.pos_ == "PROPN" and len(t) > 3 and t.text not in generic:
            entries = [e for e in gaz.lookup(t.lower_) if e.feature == "city" and e.population >= 100_000]
            if entries:
                return max(entries, key=lambda e: e.population)
    return _nearest_place(m, resolved)


def _nearest_place(m: Mention, resolved: list[Mention]) -> Entry | None:
    """The closest literal town or unit the article names, preferring earlier mentions."""
    local = [r for r in resolved if r.chosen is not None and r.chosen.feature in ("city", "admin2", "landmark")]
    if not local:
        local = [r for r in resolved if r.chosen is not None and r.chosen.feature in ("admin1", "country")]
    if not local:
        return None
    best = min(local, key=lambda r: abs(r.start - m.start) + (0 if r.start < m.start else 50))
    return best.chosen


# --- the component ---------------------------------------------------------------------------------


@Language.factory("newsgraph_places", default_config={"facilities": True})
def make_place_finder(nlp: Language, name: str, facilities: bool) -> PlaceFinder:
    return PlaceFinder(facilities=facilities)


def _can_act(e: Entry) -> bool:
    """Places whose names news uses for an actor: countries and their capitals (governments), units
    (their administrations), seats of power (curated with an actor) and cities (their teams, councils).
    A village's name as a subject is more likely a firm's or a person's ("Cisco said")."""
    return e.feature in ("country", "admin1") or e.capital or bool(e.actor) \
        or (e.feature == "city" and e.population >= 100_000)


class PlaceFinder:
    def __init__(self, facilities: bool = True) -> None:
        self.facilities = facilities

    def __call__(self, doc: Doc) -> Doc:
        gaz = gazetteer()
        finder = MentionFinder(doc, gaz)
        mentions = finder.find()
        for m in mentions:
            m.reading = reading_of(m, doc, finder)
            # A name kept only in case it was an actor is no place otherwise.
            if m.source == "actor" and m.reading != METONYM:
                m.reading = ASSOCIATIVE
        ctx = build_context(doc, mentions, gaz)
        resolve(mentions, ctx, gaz)
        doc._.places = list(self.records(doc, mentions, finder))
        doc._.metonyms = [(doc[m.start:m.end], gaz.actor_name(m.chosen)) for m in mentions
                          if m.reading == METONYM and m.chosen is not None and _can_act(m.chosen)]
        return doc

    def records(self, doc: Doc, mentions: list[Mention], finder: MentionFinder) -> Iterator[Place]:
        text = text_of(doc)
        # A sea or a river is no actor: where the rules read one as an actor, it is still a place.
        literal = [m for m in mentions if m.reading == LITERAL
                   or (m.reading == METONYM and m.chosen is not None and m.chosen.feature == "water")]
        located = [m for m in literal if m.chosen is not None]
        for m in literal:
            entry = m.chosen
            facility = m.source in ("facility", "street", "unlisted")
            if entry is None and facility and self.facilities:
                entry = locate_facility(m, doc, finder, located)
            if entry is None:
                continue
            start, end = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
            if facility and not entry.curated:
                feature = {"street": "landmark", "unlisted": "city"}.get(m.source, "facility")
                yield Place(start=start, end=end, text=text[start:end], name=text[start:end], feature=feature,
                            country=entry.country, lat=entry.lat, lon=entry.lon)
                continue
            yield Place(start=start, end=end, text=text[start:end], name=entry.name,
                        feature=RECORD_FEATURE.get(entry.feature, entry.feature), country=entry.country,
                        lat=entry.lat, lon=entry.lon, geonames_id=entry.geonames_id)
