#!/usr/bin/env python
"""Build the offline basemap `newsgraph/server/static/world.svg` from Natural Earth country outlines.

Usage, either from the wheel without installing it (nothing of it is imported)::

    pip download --no-deps -d /tmp/ne geopandas==0.14.4
    python scripts/build_basemap.py --wheel /tmp/ne/geopandas-0.14.4-py3-none-any.whl

or from an installed copy: ``pip install --no-deps geopandas==0.14.4 && python scripts/build_basemap.py``.

geopandas is only the carrier of the data, NOT a runtime dependency of newsgraph (the built SVG is
committed); up to 0.14 its wheel ships `geopandas/datasets/naturalearth_lowres`, the Natural Earth
1:110m Admin 0 countries shapefile (177 countries; the smallest, such as Singapore or Malta, are
absent at that scale; geopandas moved Crimea from Russia to Ukraine in it). Natural Earth is in the
public domain; geopandas is BSD 3-Clause. GeoPandas 1.0 removed the datasets, hence the pin.

The shapefile is read with the small reader below (polygons and a dBase table are all it needs),
so no GIS library is needed either. Rings are simplified with Douglas-Peucker and written as SVG
paths in an equirectangular projection (x = lon, y = -lat, viewBox "-180 -90 360 180"), the one
`newsgraph.server.mapview.project` uses for the markers. Each country is a `<path>` with its ISO
alpha-2 code (from newsgraph/data/countries.tsv) in `id="c-XX"` and `data-iso2`.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import re
import struct
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsgraph.lexicons import table  # noqa: E402  (the country codes the analyser also uses)

PACKAGE = "geopandas"
PINNED = "0.14.4"
DATASET = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = REPO / "newsgraph" / "server" / "static" / "world.svg"
MAX_BYTES = 400_000

Ring = list[tuple[float, float]]  # (lon, lat) points, first == last


@dataclass
class Country:
    name: str
    iso3: str
    iso2: str | None
    rings: list[Ring]


# --- reading the package ---------------------------------------------------------------------------


class Source:
    """The files of the package, from its wheel or from where it is installed."""

    def __init__(self, wheel: Path | None) -> None:
        self.wheel = zipfile.ZipFile(wheel) if wheel else None
        self.root = None if wheel else installed_root(PACKAGE)

    def read(self, member: str) -> bytes:
        if self.wheel is not None:
            return self.wheel.read(member)
        assert self.root is not None
        return (self.root / member).read_bytes()

    def metadata(self) -> str:
        """The METADATA of the package's dist-info, for its version and licence."""
        if self.wheel is not None:
            name = next(n for n in self.wheel.namelist() if n.endswith(".dist-info/METADATA"))
            return self.wheel.read(name).decode("utf-8")
        assert self.root is not None
        found = sorted(self.root.glob(f"{PACKAGE}-*.dist-info/METADATA"))
        if not found:
            sys.exit(f"no dist-info for {PACKAGE} under {self.root}")
        return found[-1].read_text(encoding="utf-8")


def installed_root(name: str) -> Path:
    """The site-packages folder holding `name`, found without importing it (geopandas needs shapely)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"install {name}=={PINNED} first, or pass --wheel (see the usage above)")
    return Path(next(iter(spec.submodule_search_locations))).parent


def metadata_field(metadata: str, field: str) -> str:
    m = re.search(rf"^{field}: *(.+)$", metadata, re.MULTILINE)
    return m.group(1).strip() if m else "unknown"


# --- shapefile ------------------------------------------------------------------------------------


def read_polygons(shp: bytes) -> list[list[Ring]]:
    """The rings of each record of a polygon shapefile (ESRI Shapefile Technical Description, 1998)."""
    file_code, shape_type = struct.unpack(">i", shp[:4])[0], struct.unpack("<i", shp[32:36])[0]
    if file_code != 9994 or shape_type != 5:
        sys.exit(f"not a polygon shapefile (file code {file_code}, shape type {shape_type})")
    records: list[list[Ring]] = []
    pos = 100
    while pos < len(shp):
        _number, words = struct.unpack(">ii", shp[pos : pos + 8])
        records.append(_polygon_rings(shp, pos + 8))
        pos += 8 + 2 * words
    return records


def _polygon_rings(shp: bytes, pos: int) -> list[Ring]:
    (shape_type,) = struct.unpack("<i", shp[pos : pos + 4])
    if shape_type == 0:
        return []  # a null shape
    num_parts, num_points = struct.unpack("<ii", shp[pos + 36 : pos + 44])
    parts = list(struct.unpack(f"<{num_parts}i", shp[pos + 44 : pos + 44 + 4 * num_parts]))
    start = pos + 44 + 4 * num_parts
    coords = struct.unpack(f"<{2 * num_points}d", shp[start : start + 16 * num_points])
    points = list(zip(coords[0::2], coords[1::2], strict=True))
    bounds = [*parts, num_points]
    return [points[a:b] for a, b in itertools.pairwise(bounds)]


def read_dbf(dbf: bytes, encoding: str) -> list[dict[str, str]]:
    """The rows of a dBase III table, every value as stripped text."""
    count, header_len, record_len = struct.unpack("<4xIHH", dbf[:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while dbf[pos] != 0x0D:
        fields.append((dbf[pos : pos + 11].split(b"\0")[0].decode("ascii"), dbf[pos + 16]))
        pos += 32
    rows = []
    for i in range(count):
        record = dbf[header_len + i * record_len : header_len + (i + 1) * record_len]
        row, at = {}, 1  # byte 0 is the deletion flag
        for name, length in fields:
            row[name] = record[at : at + length].decode(encoding).strip()
            at += length
        rows.append(row)
    return rows


# --- simplification -------------------------------------------------------------------------------


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative; a ring that would collapse below a triangle is kept as it is
    (it is a small island, and dropping it would lose the whole of some small countries)."""
    if tolerance <= 0 or len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        index, dist = _farthest(ring, first, last)
        if dist > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    out = [p for p, k in zip(ring, keep, strict=True) if k]
    return out if len(out) >= 4 else ring


def _farthest(ring: Ring, first: int, last: int) -> tuple[int, float]:
    best, best_dist = first, -1.0
    for i in range(first + 1, last):
        d = _segment_distance(ring[i], ring[first], ring[last])
        if d > best_dist:
            best, best_dist = i, d
    return best, best_dist


def _segment_distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return float(((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5)


# --- SVG ------------------------------------------------------------------------------------------


def number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def path_data(rings: list[Ring], decimals: int) -> str:
    """Absolute SVG path data, x = lon and y = -lat; repeated points after rounding are dropped."""
    parts = []
    for ring in rings:
        points: list[str] = []
        for lon, lat in ring[:-1]:  # the closing point is Z's job
            point = f"{number(lon, decimals)} {number(-lat, decimals)}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def country_element(c: Country, decimals: int) -> str:
    code = c.iso2 or c.iso3
    iso2 = f' data-iso2="{c.iso2}"' if c.iso2 else ""
    d = path_data(c.rings, decimals)
    return (
        f'<path class="ng-country" id="c-{attr(code)}"{iso2} data-iso3="{attr(c.iso3)}" d="{d}">'
        f"<title>{attr(c.name)}</title></path>"
    )


STYLE = (
    ".ng-basemap .ng-ocean{fill:#eef4f8}"
    ".ng-basemap .ng-country{fill:#dde1e4;stroke:#fff;stroke-width:.5px;"
    "vector-effect:non-scaling-stroke;fill-rule:evenodd}"
)


def svg(countries: list[Country], header: str, decimals: int) -> str:
    body = "\n".join(country_element(c, decimals) for c in countries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!--\n{header}\n-->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" class="ng-basemap" viewBox="-180 -90 360 180">\n'
        f"<style>{STYLE}</style>\n"
        '<rect class="ng-ocean" x="-180" y="-90" width="360" height="180"/>\n'
        f'<g class="ng-countries">\n{body}\n</g>\n</svg>\n'
    )


def header_comment(version: str, licence: str, tolerance: float, decimals: int, countries: list[Country]) -> str:
    points = sum(len(r) for c in countries for r in c.rings)
    lines = [
        "newsgraph basemap: country outlines for the offline map (newsgraph/server/mapview.py).",
        "Data: Natural Earth 1:110m Admin 0 countries, public domain (naturalearthdata.com: no permission",
        "needed, no credit required).",
        f"Source package: PyPI {PACKAGE} {version} (licence: {licence}), not a runtime dependency;",
        f"file {DATASET}.shp, in which geopandas assigns Crimea to Ukraine.",
        "Projection: equirectangular, x = longitude, y = minus latitude, viewBox -180 -90 360 180.",
        f"Built by scripts/build_basemap.py: Douglas-Peucker tolerance {tolerance} degree, {decimals} decimals,",
        f"{len(countries)} countries, {points} points. Country ids: c-<ISO alpha-2> (newsgraph/data/countries.tsv).",
    ]
    text = "\n".join("  " + line for line in lines)
    if "--" in text:
        raise ValueError("an XML comment may not hold a double hyphen")
    return text


# --- countries ------------------------------------------------------------------------------------


def country_codes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """alpha-3 -> alpha-2, lower-cased name -> alpha-2, alpha-2 -> name, from newsgraph's countries.tsv."""
    rows = table("countries.tsv")
    by_iso3 = {r["iso3"]: r["iso2"] for r in rows}
    by_name = {r["name"].casefold(): r["iso2"] for r in rows}
    names = {r["iso2"]: r["name"] for r in rows}
    return by_iso3, by_name, names


def load_countries(source: Source, tolerance: float) -> list[Country]:
    encoding = source.read(DATASET + ".cpg").decode("ascii").strip() or "latin-1"
    rows = read_dbf(source.read(DATASET + ".dbf"), encoding)
    shapes = read_polygons(source.read(DATASET + ".shp"))
    by_iso3, by_name, names = country_codes()
    out = []
    for row, rings in zip(rows, shapes, strict=True):
        # Kosovo has iso_a3 -99 in Natural Earth; N. Cyprus and Somaliland have no ISO code at all.
        iso2 = by_iso3.get(row["iso_a3"]) or by_name.get(row["name"].casefold())
        name = names.get(iso2, row["name"]) if iso2 else row["name"]
        simplified = [simplify(r, tolerance) for r in rings]
        out.append(Country(name, row["iso_a3"], iso2, simplified))
    return sorted(out, key=lambda c: c.name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help=f"the downloaded {PACKAGE}=={PINNED} wheel (else the installed one)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=0.05, help="Douglas-Peucker tolerance in degrees")
    parser.add_argument("--decimals", type=int, default=2, help="decimals kept in the coordinates")
    args = parser.parse_args(argv)
    source = Source(args.wheel)
    metadata = source.metadata()
    version, licence = metadata_field(metadata, "Version"), metadata_field(metadata, "License")
    if version != PINNED:
        print(f"warning: {PACKAGE} {version}, not the pinned {PINNED}", file=sys.stderr)
    countries = load_countries(source, args.tolerance)
    text = svg(countries, header_comment(version, licence, args.tolerance, args.decimals, countries), args.decimals)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        sys.exit(f"{size} bytes is over {MAX_BYTES}: raise --tolerance or lower --decimals")
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({size} bytes, {len(countries)} countries)")


if __name__ == "__main__":
    main()
