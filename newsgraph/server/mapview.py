"""Places on an offline world map: an equirectangular projection and SVG markers over the shipped basemap.

The basemap `static/world.svg` (built by `scripts/build_basemap.py` from Natural Earth's public-domain
1:110m country outlines) uses the viewBox "-180 -90 360 180" with x = longitude and y = -latitude, so
one unit is one degree and north is up. `project` maps a place into that box and `place_markers`
draws one circle per place, its area proportional to its count, linked to its page. `render_map`
puts both into one inline `<svg>`, so the page needs no tile server, no script and no network.

Every name and URL is escaped; a URL with a scheme other than http(s) is dropped (a place name taken
from an article could otherwise become a `javascript:` link).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from markupsafe import Markup

__all__ = [
    "VIEWBOX",
    "Marker",
    "basemap_path",
    "basemap_svg",
    "fit_view",
    "marker_radius",
    "place_markers",
    "project",
    "render_map",
]

VIEWBOX = "-180 -90 360 180"
MIN_RADIUS = 1.2  # degrees: a place named once stays visible (and clickable) on a whole-world map
MAX_RADIUS = 6.0  # degrees: the most named place; larger would hide its neighbours in Europe

Marker = tuple[str, float | None, float | None, int, str | None]
"""(name, lat, lon, count, url) of one place; places without coordinates are left out."""


def project(lat: float, lon: float) -> tuple[float, float]:
    """(x, y) of a point in the basemap's viewBox: x = lon, y = -lat.

    Latitude is clamped to [-90, 90]; longitude outside [-180, 180] is wrapped into it."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"not a coordinate: {lat!r}, {lon!r}")
    if not -180.0 <= lon <= 180.0:
        lon = (lon + 180.0) % 360.0 - 180.0
    lat = max(-90.0, min(90.0, lat))
    return lon, -lat + 0.0  # + 0.0 turns -0.0 into 0.0


def marker_radius(count: int, max_count: int) -> float:
    """Radius in degrees: the circle's area grows with the count, the largest count gets MAX_RADIUS."""
    if max_count <= 0 or count <= 0:
        return MIN_RADIUS
    share = min(count, max_count) / max_count
    return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(share)


def place_markers(places: Iterable[Marker], *, scale: float = 1.0) -> Markup:
    """`<g class="ng-markers">` with one `<a href><circle><title>` per place that has coordinates.

    Larger circles are drawn first so that smaller ones on top of them stay clickable. `scale`
    multiplies the radii (a map zoomed to a region needs smaller circles, see `fit_view`)."""
    located = _located(places)
    if not located:
        return Markup('<g class="ng-markers"></g>')
    top = max(p[3] for p in located)
    ordered = sorted(located, key=lambda p: (-p[3], p[0]))
    body = Markup("").join(_marker(p, top, scale) for p in ordered)
    return Markup('<g class="ng-markers">{}</g>').format(body)


def _located(places: Iterable[Marker]) -> list[Marker]:
    return [p for p in places if p[1] is not None and p[2] is not None]


def _marker(place: Marker, top: int, scale: float) -> Markup:
    name, lat, lon, count, url = place
    assert lat is not None and lon is not None  # place_markers left out the others
    x, y = project(lat, lon)
    r = marker_radius(count, top) * scale
    label = f"{name} ({count})"
    circle = Markup(
        '<circle class="ng-marker" cx="{}" cy="{}" r="{}" data-count="{}"><title>{}</title></circle>'
    ).format(_num(x), _num(y), _num(r), count, label)
    href = _safe_url(url)
    if href is None:
        return circle
    return Markup('<a class="ng-marker-link" href="{}">{}</a>').format(href, circle)


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _safe_url(url: str | None) -> str | None:
    """The URL when it is relative or http(s), else None."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url if scheme in ("", "http", "https") else None


def basemap_path() -> str:
    """Path of `static/world.svg` (for a static-files route, or to read)."""
    return str(resources.files("newsgraph.server") / "static" / "world.svg")


_OUTER = re.compile(r"<svg\b[^>]*>(.*)</svg>", re.DOTALL)


@cache
def basemap_svg() -> Markup:
    """The inside of the basemap's `<svg>` element (its style, ocean and country paths), to inline.

    The file is package data written by the build script, so it is trusted markup, not user input."""
    text = (resources.files("newsgraph.server") / "static" / "world.svg").read_text(encoding="utf-8")
    m = _OUTER.search(text)
    if m is None:
        raise ValueError("world.svg has no <svg> element")
    return Markup(m.group(1).strip())


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def basemap_style() -> str:
    """The text of the basemap's <style> element: the pages' Content-Security-Policy allows it by its hash."""
    m = _STYLE.search(basemap_svg())
    return m.group(1) if m else ""


def fit_view(places: Iterable[Marker], *, margin: float = 0.15, min_width: float = 40.0) -> tuple[float, ...]:
    """(x, y, width, height) of a 2:1 view around the places with coordinates, with `margin` (a share
    of the width) on each side, at least `min_width` degrees wide, inside the world box; the whole
    world when there are none."""
    points = [project(p[1], p[2]) for p in _located(places) if p[1] is not None and p[2] is not None]
    if not points:
        return (-180.0, -90.0, 360.0, 180.0)
    xs, ys = [x for x, _ in points], [y for _, y in points]
    width = max(max(xs) - min(xs), 2 * (max(ys) - min(ys)), min_width / (1 + 2 * margin)) * (1 + 2 * margin)
    width = min(width, 360.0)
    height = width / 2
    x = _within((min(xs) + max(xs) - width) / 2, -180.0, 180.0 - width)
    y = _within((min(ys) + max(ys) - height) / 2, -90.0, 90.0 - height)
    return (x, y, width, height)


def _within(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def render_map(
    places: Iterable[Marker], *, fit: bool = False, css_class: str = "ng-map", label: str = "Places named"
) -> Markup:
    """One inline `<svg>`: the basemap with the place markers over it; with `fit`, zoomed to the
    markers (radii shrink with the zoom so that they keep their size on screen)."""
    places = list(places)
    view = fit_view(places) if fit else (-180.0, -90.0, 360.0, 180.0)
    viewbox = " ".join(_num(v) for v in view)
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="ng-basemap {}" viewBox="{}" role="img" aria-label="{}">'
        "{}{}</svg>"
    ).format(css_class, viewbox, label, basemap_svg(), place_markers(places, scale=view[2] / 360.0))
