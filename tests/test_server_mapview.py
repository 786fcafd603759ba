"""The offline map (newsgraph/server/mapview.py): projection, markers, and the shipped basemap, on which
known cities must fall inside their own country."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest

from newsgraph.server.mapview import (
    VIEWBOX,
    basemap_path,
    basemap_svg,
    fit_view,
    marker_radius,
    place_markers,
    project,
    render_map,
)

WORLD = Path(__file__).resolve().parent.parent / "newsgraph" / "server" / "static" / "world.svg"
SVG = "{http://www.w3.org/2000/svg}"

# (name, lat, lon, ISO alpha-2): inland or well inside their country even at Natural Earth's 1:110m.
CITIES = [
    ("London", 51.507, -0.128, "GB"),
    ("Paris", 48.857, 2.352, "FR"),
    ("Berlin", 52.52, 13.405, "DE"),
    ("Kyiv", 50.45, 30.523, "UA"),
    ("Moscow", 55.756, 37.617, "RU"),
    ("Ankara", 39.93, 32.86, "TR"),
    ("Tehran", 35.69, 51.39, "IR"),
    ("Delhi", 28.61, 77.21, "IN"),
    ("Beijing", 39.9, 116.4, "CN"),
    ("Nairobi", -1.29, 36.82, "KE"),
    ("Johannesburg", -26.2, 28.05, "ZA"),
    ("Denver", 39.74, -104.99, "US"),
    ("Mexico City", 19.43, -99.13, "MX"),
    ("Brasília", -15.79, -47.88, "BR"),
    ("Córdoba", -31.42, -64.18, "AR"),
    ("Canberra", -35.28, 149.13, "AU"),
    ("Simferopol", 44.95, 34.1, "UA"),  # geopandas' copy of the data assigns Crimea to Ukraine
]


def test_project_is_equirectangular_with_north_up() -> None:
    assert project(0, 0) == (0, 0)
    assert project(51.507, -0.128) == (-0.128, -51.507)
    assert project(-33.87, 151.21) == (151.21, 33.87)
    assert project(90, 180) == (180, -90) and project(-90, -180) == (-180, 90)


def test_project_wraps_longitude_and_clamps_latitude() -> None:
    assert project(10, 190) == pytest.approx((-170, -10))
    assert project(10, -190) == pytest.approx((170, -10))
    assert project(95, 0) == (0, -90)
    with pytest.raises(ValueError):
        project(math.nan, 0)


@pytest.mark.parametrize(("name", "lat", "lon", "country"), CITIES)
def test_cities_fall_inside_their_country_on_the_basemap(name: str, lat: float, lon: float, country: str) -> None:
    x, y = project(lat, lon)
    outlines = countries()
    assert inside(outlines[country], x, y), f"{name} is not inside {country}"
    others = [code for code, rings in outlines.items() if code != country and inside(rings, x, y)]
    assert others == [], f"{name} also falls in {others}"


def test_basemap_file() -> None:
    text = WORLD.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 400_000
    header = text[: text.index("<svg")]
    for words in ("Natural Earth", "public domain", "geopandas 0.14.4", "BSD 3-Clause", "not a runtime dependency"):
        assert words in header
    root = ET.fromstring(text)
    assert root.get("viewBox") == VIEWBOX == "-180 -90 360 180"
    ids = [p.get("id") for p in root.iter(f"{SVG}path")]
    assert len(ids) == len(set(ids)) > 150
    assert {"c-UA", "c-RU", "c-US", "c-CN", "c-XK"} <= set(ids)
    assert Path(basemap_path()).read_text(encoding="utf-8") == text


def test_basemap_svg_is_the_inside_of_the_file() -> None:
    inner = str(basemap_svg())
    assert inner.startswith("<style>") and inner.endswith("</g>") and "<?xml" not in inner and "<svg" not in inner


def test_marker_radius_grows_with_the_count_by_area() -> None:
    assert marker_radius(10, 10) == pytest.approx(6.0)
    assert marker_radius(1, 10) < marker_radius(5, 10) < marker_radius(10, 10)
    assert marker_radius(0, 10) == marker_radius(1, 0) == pytest.approx(1.2)
    # area, not radius, is proportional: the radius above the minimum grows with the square root
    assert (marker_radius(4, 16) - 1.2) * 2 == pytest.approx(marker_radius(16, 16) - 1.2)


def test_place_markers() -> None:
    svg = str(
        place_markers(
            [
                ("Kyiv", 50.45, 30.523, 5, "/places/kyiv?x=1&y=2"),
                ('<script>alert("x")</script>', 51.5, -0.12, 1, "javascript:alert(1)"),
                ("Nowhere", None, None, 9, "/places/nowhere"),
                ("Sydney", -33.87, 151.21, 2, None),
            ]
        )
    )
    root = ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{svg}</svg>')
    circles = list(root.iter(f"{SVG}circle"))
    assert [c.findtext(f"{SVG}title") for c in circles] == ["Kyiv (5)", "Sydney (2)", '<script>alert("x")</script> (1)']
    assert "<script>" not in svg and "javascript:" not in svg and "Nowhere" not in svg
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/places/kyiv?x=1&y=2"]  # only the http(s) or relative URL is linked
    kyiv = circles[0]
    assert (float(kyiv.get("cx", "")), float(kyiv.get("cy", ""))) == (30.523, -50.45)
    assert float(kyiv.get("r", "")) > float(circles[1].get("r", "")) > float(circles[2].get("r", ""))


def test_no_markers() -> None:
    assert str(place_markers([])) == '<g class="ng-markers"></g>'


def test_fit_view_is_two_to_one_around_the_places_and_inside_the_world() -> None:
    places = [("Kyiv", 50.45, 30.523, 1, None), ("Mariupol", 47.1, 37.55, 1, None)]
    x, y, width, height = fit_view(places)
    assert width == pytest.approx(2 * height) and width >= 40
    for _, lat, lon, _, _ in places:
        px, py = project(lat, lon)
        assert x < px < x + width and y < py < y + height
    assert fit_view([("Pole", 89.0, 179.0, 1, None)])[:2] == (140.0, -90.0)
    assert fit_view([]) == (-180.0, -90.0, 360.0, 180.0)


def test_render_map_is_one_valid_svg() -> None:
    svg = str(render_map([("Kyiv", 50.45, 30.523, 3, "/places/1")], fit=True))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and "ng-map" in (root.get("class") or "")
    assert len(list(root.iter(f"{SVG}circle"))) == 1 and len(list(root.iter(f"{SVG}path"))) > 150
    whole = ET.fromstring(str(render_map([])))
    assert whole.get("viewBox") == VIEWBOX


# --- reading the basemap's paths ------------------------------------------------------------------------

Ring = list[tuple[float, float]]


@cache
def countries() -> dict[str, list[Ring]]:
    root = ET.parse(WORLD).getroot()
    return {p.get("id", "")[2:]: rings(p.get("d", "")) for p in root.iter(f"{SVG}path")}


def rings(d: str) -> list[Ring]:
    """The rings of path data made of absolute M, L and Z commands (what the build script writes)."""
    out: list[Ring] = []
    for command, x, y in re.findall(r"([MLZ])\s*(?:(-?[\d.]+)[ ,](-?[\d.]+))?", d):
        if command == "M":
            out.append([])
        if command in "ML":
            out[-1].append((float(x), float(y)))
    return out


def inside(polygon: list[Ring], x: float, y: float) -> bool:
    """Even-odd rule over all rings, as the basemap is filled."""
    crossings = 0
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1
