"""The gazetteer: place names -> GeoNames and curated entries.

The GeoNames part (`data/gazetteer.sqlite`, built by `scripts/build_gazetteer.py`) is an SQLite file
opened read-only and queried on demand: a process holds only the entries it has looked up, so the file
can grow without growing start-up time or memory. The curated part (`data/places_extra.tsv`,
`data/places_variants.tsv`) is small and loaded whole.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsgraph.lexicons import DATA_DIR, demonyms, table

GAZETTEER_FILE = "gazetteer.sqlite"
# What a qualifier after a place and a comma can name ("Paris, Texas", "Knockhill, Fife", "Espoo, Finland").
QUALIFIER_FEATURES = frozenset({"country", "admin1", "admin2", "admin3", "region"})
# A town this large is known the world over: the hand weights and the ranker both favour it.
WORLD_CITY = 500_000

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


class GeoNamesRows:
    """The rows of `data/gazetteer.sqlite`: ids of the places with a key, and a place's fields by id.

    The file is opened read-only and immutable (no locks, no journal), once per process: a connection
    is never used across a fork, so a forked worker opens its own. Queries are serialised by a lock, as
    the server's threads share the gazetteer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._connection

    def ids(self, table_name: str, key: str) -> tuple[int, ...]:
        """Ids of the places with this key in `name_key` or `skeleton_key`, in the file's order."""
        with self._lock:
            row = self._db().execute(f"SELECT places FROM {table_name} WHERE key = ?", (key,)).fetchone()
        return tuple(int(i) for i in row[0].split()) if row else ()

    def place(self, place_id: int) -> tuple:
        """(geonames_id, name, feature, country, admin1, lat100, lon100, population) of a place."""
        with self._lock:
            return self._db().execute("SELECT geonames_id, name, feature, country, admin1, lat100, lon100, "
                                      "population FROM place WHERE id = ?", (place_id,)).fetchone()


# Keys looked up recently, with their place ids: most lookups are of the same few thousand names, and
# most of them find nothing. Bounded, so that a long run does not grow with the names it has seen.
KEY_CACHE_SIZE = 50_000


class Gazetteer:
    """Name keys -> places. GeoNames entries are read from the SQLite file on first lookup and kept
    (one Entry object per place, so that `unique_entries` can compare them by identity)."""

    def __init__(self, rows: GeoNamesRows, extras: list[Entry], extra_keys: list[list[str]],
                 countries: dict[str, Country]) -> None:
        self._rows = rows
        self._entries: dict[int, Entry] = {}
        self._key_cache: dict[tuple[str, str], tuple[int, ...]] = {}
        self.countries = countries
        self.by_iso3 = {c.iso3: c for c in countries.values()}
        self._capitals = frozenset((c.iso2, name_key(c.capital)) for c in countries.values() if c.capital)
        self._capital_ids: frozenset[int] | None = None
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

    def _ids(self, table_name: str, key: str) -> tuple[int, ...]:
        cached = self._key_cache.get((table_name, key))
        if cached is None:
            if len(self._key_cache) >= KEY_CACHE_SIZE:
                self._key_cache.clear()
            cached = self._key_cache[(table_name, key)] = self._rows.ids(table_name, key)
        return cached

    def _geonames(self, table_name: str, key: str) -> list[Entry]:
        return [self._entry(i) for i in self._ids(table_name, key)]

    def _entry(self, place_id: int) -> Entry:
        entry = self._entries.get(place_id)
        if entry is None:
            gid, name, feature, cc, admin1, lat100, lon100, pop = self._rows.place(place_id)
            entry = self._entries[place_id] = Entry(
                name=name, feature=feature, country=cc or None, admin1=admin1, lat=lat100 / 100, lon=lon100 / 100,
                population=pop, geonames_id=gid, capital=place_id in self.capital_ids())
        return entry

    def capital_ids(self) -> frozenset[int]:
        """The capital cities: of the towns of its country that bear the capital's name, the most populous
        (Washington, D.C., not the fifteen other Washingtons of the United States)."""
        if self._capital_ids is None:
            found = set()
            for cc, key in self._capitals:
                rows = ((self._rows.place(i), i) for i in self._ids("name_key", key))
                towns = [(row[7], i) for row, i in rows if row[2] == "city" and row[3] == cc]  # (population, id)
                if towns:
                    found.add(max(towns)[1])
            self._capital_ids = frozenset(found)
        return self._capital_ids

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
        found += self._geonames("name_key", key)
        return unique_entries(found)

    def aliased(self, key: str) -> list[Entry]:
        """The places a curated variant (`data/places_variants.tsv`) gives this key ("Kiev" -> Kyiv)."""
        return list(self._aliases.get(key, ()))

    def lookup_abbreviation(self, key: str) -> list[Entry]:
        """Places an all-capital abbreviation names: countries ("UAE"), aliases ("NSW") and curated
        places ("EU"); not the towns and units whose names it spells ("GAO" is no Gao, Mali)."""
        found = [self._extras[i] for i in self._extra_index.get(key, ())]
        found += self._aliases.get(key, ())
        found += [e for e in self._geonames("name_key", key) if e.feature == "country"]
        return unique_entries(found)

    def lookup_fuzzy(self, key: str) -> list[Entry]:
        """Prominent places whose keys have the same transliteration skeleton as this key."""
        sk = skeleton(key)
        found = [self._extras[i] for i in self._extra_skeletons.get(sk, ())]
        # A key that is its own skeleton is indexed only as a key.
        found += [*self._geonames("skeleton_key", sk), *self._geonames("name_key", sk)]
        return unique_entries(found)

    def qualifier(self, key: str) -> list[Entry]:
        """Admin units and countries an abbreviation after a comma can stand for ("N.M.", "WA")."""
        found = list(self._qualifiers.get(key, ()))
        found += [e for e in self.lookup(key) if e.feature in QUALIFIER_FEATURES]
        return unique_entries(found)

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


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def within(e: Entry, units: list[Entry]) -> bool:
    """Does the entry lie in one of these countries or admin units?"""
    return any(e.country == u.country and (u.feature == "country" or e.admin1 == u.name or e.admin1 == u.admin1)
               for u in units)


def unique_entries(entries: Iterable[Entry]) -> list[Entry]:
    """The entries in order, each once."""
    seen: set[int] = set()
    out = []
    for e in entries:
        if id(e) not in seen:
            seen.add(id(e))
            out.append(e)
    return out


def _curated_entries() -> tuple[list[Entry], list[list[str]]]:
    entries, keys = [], []
    for row in table("places_extra.tsv"):
        aliases = [a for a in (row.get("aliases") or "").split("|") if a]
        entries.append(Entry(name=row["name"], feature=row["feature"], country=row["country"] or None, admin1="",
                             lat=float(row["lat"]), lon=float(row["lon"]), population=0,
                             geonames_id=int(row["geonames_id"]) if row.get("geonames_id") else None,
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
    """The gazetteer, made once per process (a few hundredths of a second: GeoNames rows are read on demand)."""
    extras, extra_keys = _curated_entries()
    gaz = Gazetteer(GeoNamesRows(DATA_DIR / GAZETTEER_FILE), extras, extra_keys, _countries())
    for row in table("places_variants.tsv"):
        gaz.add_alias(row["alias"], row["name"], row["country"] or "", row["feature"], row["use"])
    return gaz

