"""How stored rows and records meet, without the writer's machinery (MinHash, linking): the read side and
the exports import this, so `newsgraph search` and `export` load neither datasketch nor NumPy."""

from __future__ import annotations

from typing import Any

from newsgraph.records import Article, Place


def article_record(row: Any) -> Article:
    return Article(id=row.key, title=row.title, published=row.published, publisher=row.publisher,
                   author=row.author, url=row.url, licence=row.licence, credit=row.credit)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The sentence around an offset, by sentence-final punctuation or line breaks."""
    start = max(text.rfind(". ", 0, offset), text.rfind("\n", 0, offset), text.rfind("? ", 0, offset),
                text.rfind("! ", 0, offset))
    start = 0 if start < 0 else start + 1
    ends = [i for i in (text.find(". ", offset), text.find("\n", offset), text.find("? ", offset),
                        text.find("! ", offset)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start + (len(text[start:end]) - len(text[start:end].lstrip())), end


# --- places: one gazetteer entry, one place ------------------------------------------------------------------

GEONAMES_KEY = "geonames:"
OWN_ENTRY_KEY = "place:"


def place_key(name: str, country: str | None, feature: str | None, geonames_id: int | None) -> str:
    """The gazetteer entry a place record resolves to, as one string: `geonames:2988507` for a GeoNames entry,
    else `place:COUNTRY:FEATURE:NAME` (an entry of newsgraph's own tables: a sea, a region). Every mention of
    one entry has its key, and homonyms have their own (Paris, France is geonames:2988507, Paris, Texas
    geonames:4717560), so the store groups places by it, never by name."""
    if geonames_id is not None:
        return f"{GEONAMES_KEY}{geonames_id}"
    return f"{OWN_ENTRY_KEY}{country or ''}:{feature or ''}:{name}"


def key_of_place(place: Place) -> str:
    return place_key(place.name, place.country, place.feature, place.geonames_id)


def is_place_key(text: str) -> bool:
    """Whether a `place` filter or a place reference is a key (one entry) rather than a name (every homonym)."""
    return text.startswith((GEONAMES_KEY, OWN_ENTRY_KEY))


def place_label(name: str, country: str | None, feature: str | None, admin1: str | None = None) -> str:
    """The name with what tells homonyms apart: `Paris, Texas, US (city)`, `Paris, Tennessee, US (city)`, `Paris,
    Ile-de-France, FR (city)`, `Georgia (country)`, `Georgia, US (admin1)`. (A country's own code says nothing more,
    nor does a first-level unit named like the place: `Tokyo, JP (city)`.) Homonyms of one feature in one
    first-level unit, or whose unit is unknown, share a label: their key and point tell them apart."""
    where = name
    if admin1 and admin1 != name:
        where = f"{where}, {admin1}"
    if country and feature != "country":
        where = f"{where}, {country}"
    return f"{where} ({feature})" if feature else where
