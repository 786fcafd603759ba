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
# File systems cap a name at 255 bytes (ext4, APFS, NTFS in UTF-16 units); 200 leaves room for `.json`
# and the suffixes other tools add.
MAX_STEM_BYTES = 200
_HASH_CHARS = 8
_NOT_WORD = re.compile(r"[\W_]+")
_PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$", re.IGNORECASE)
_NOT_IN_FILE_NAMES = re.compile(r"[/\\\x00-\x1f\x7f\ud800-\udfff]")  # separators, control characters, surrogates


def is_safe_stem(stem: str) -> bool:
    """Whether `stem` can name a file on common file systems: not blank, no separator or control character,
    not `.` or `..`, and at most MAX_STEM_BYTES bytes of UTF-8."""
    return (bool(stem.strip()) and not _NOT_IN_FILE_NAMES.search(stem) and stem not in {".", ".."}
            and len(stem.encode("utf-8")) <= MAX_STEM_BYTES)


def stem_from_url(url: str) -> str:
    """`https://www.example.com/news/2024/flood-wall.html` -> `example-com-news-2024-flood-wall`."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    path = _PAGE_EXTENSION.sub("", unquote(parts.path).rstrip("/"))
    slug = slugify(f"{host} {path}")
    if parts.query or not slug or len(slug) > MAX_STEM_CHARS or not is_safe_stem(slug):
        return with_hash(slug, url)
    return slug


def stem_from_text(text: str) -> str:
    """An id for something that has a name but no URL (a feed entry's guid, say)."""
    if urlsplit(text).scheme in {"http", "https"}:
        return stem_from_url(text)
    slug = slugify(text)
    return slug if slug and len(slug) <= MAX_STEM_CHARS and slug == text and is_safe_stem(slug) \
        else with_hash(slug, text)


def safe_stem(name: str) -> str:
    """`name` itself when it can name a file, else a slug of it with a hash (a file's own name, say, that
    `.json` would take over the limit)."""
    return name if is_safe_stem(name) else with_hash(slugify(name), name)


def slugify(text: str) -> str:
    return _NOT_WORD.sub("-", text.lower()).strip("-")


def with_hash(slug: str, original: str) -> str:
    digest = hashlib.sha1(original.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    head = _within_bytes(slug[:MAX_STEM_CHARS - _HASH_CHARS - 1], MAX_STEM_BYTES - _HASH_CHARS - 1).rstrip("-")
    return f"{head}-{digest}" if head else f"item-{digest}"


def _within_bytes(text: str, limit: int) -> str:
    """The longest start of `text` whose UTF-8 is at most `limit` bytes (80 characters of CJK are 240)."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")
