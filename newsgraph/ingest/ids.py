"""Article ids that are safe as file names, derived from URLs when an article has one.

The id doubles as the output file stem (`--out DIR/ID.json`), so it never holds a `/` and stays short.
A URL gives a readable id (host and path, slugged); a short hash of the whole URL is added when the
slug alone would lose what tells two pages apart (a query string, a cut-off path).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urlsplit

MAX_STEM_CHARS = 80
_HASH_CHARS = 8
_NOT_WORD = re.compile(r"[\W_]+")
_PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$", re.IGNORECASE)


def is_safe_stem(stem: str) -> bool:
    return bool(stem.strip()) and "/" not in stem and "\\" not in stem and "\x00" not in stem \
        and stem not in {".", ".."}


def stem_from_url(url: str) -> str:
    """`https://www.example.com/news/2024/flood-wall.html` -> `example-com-news-2024-flood-wall`."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    path = _PAGE_EXTENSION.sub("", unquote(parts.path).rstrip("/"))
    slug = slugify(f"{host} {path}")
    if parts.query or not slug or len(slug) > MAX_STEM_CHARS:
        return with_hash(slug, url)
    return slug


def stem_from_text(text: str) -> str:
    """An id for something that has a name but no URL (a feed entry's guid, say)."""
    if urlsplit(text).scheme in {"http", "https"}:
        return stem_from_url(text)
    slug = slugify(text)
    return slug if slug and len(slug) <= MAX_STEM_CHARS and slug == text else with_hash(slug, text)


def slugify(text: str) -> str:
    return _NOT_WORD.sub("-", text.lower()).strip("-")


def with_hash(slug: str, original: str) -> str:
    digest = hashlib.sha1(original.encode("utf-8")).hexdigest()[:_HASH_CHARS]
    head = slug[:MAX_STEM_CHARS - _HASH_CHARS - 1].rstrip("-")
    return f"{head}-{digest}" if head else f"item-{digest}"
