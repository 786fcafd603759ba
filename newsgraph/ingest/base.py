"""What every ingest reader yields, and the small helpers they share.

A reader yields `ArticleInput` for a good article and `InputProblem` for a bad one, so a batch reports
each bad input in one line and goes on with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Literal

from newsgraph.limits import MAX_ARTICLE_CHARS
from newsgraph.records import Article

DEFAULT_MAX_BYTES = MAX_ARTICLE_CHARS  # one limit: the pipeline takes as many characters (UTF-8: bytes >= characters)


@dataclass(frozen=True)
class ArticleInput:
    source: str  # where it came from, for messages: a path, "path:line", a URL or "-"
    stem: str  # output file stem
    text: str
    article: Article


@dataclass(frozen=True)
class InputProblem:
    source: str
    message: str


Item = ArticleInput | InputProblem
Markup = Literal["html", "feed"]

_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")


@dataclass(frozen=True)
class Meta:
    """The article fields one source of metadata knows (a page, a feed entry, a JSON record); None where not."""

    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    licence: str | None = None
    credit: str | None = None


def first_known(*layers: Meta) -> Meta:
    """Merge metadata layers field by field; the first layer that knows a field wins."""
    merged: dict[str, str | None] = {}
    for field in fields(Meta):
        values = (getattr(layer, field.name) for layer in layers)
        merged[field.name] = next((v for v in values if v), None)
    return Meta(**merged)


def article_from(stem: str, meta: Meta) -> Article:
    return Article(id=stem, title=meta.title, published=meta.published, publisher=meta.publisher,
                   author=meta.author, url=meta.url, licence=meta.licence, credit=meta.credit)


def parse_date(value: str) -> str:
    """Validate a YYYY-MM-DD date and return it unchanged."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def date_or_none(value: object) -> str | None:
    """The YYYY-MM-DD date that a timestamp from a page or an archive starts with, or None."""
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value.strip()[:10])
    except ValueError:
        return None


def check_text_bytes(data: bytes) -> str | None:
    """Why these bytes are not an article's text, or None when they are."""
    problem = check_markup_bytes(data)
    if problem:
        return problem
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (f"not UTF-8 text (byte {exc.start} is {data[exc.start:exc.start + 1]!r}); "
                "convert it first, e.g. `iconv -f latin1 -t utf-8`")
    return None


def check_markup_bytes(data: bytes) -> str | None:
    """Why these bytes are not a page or feed; their encoding is checked later, as the markup declares it."""
    if not data.strip():
        return "input is empty"
    if b"\x00" in data[:8192]:
        return "looks like a binary file, not text"
    return None


def size_label(n_bytes: int) -> str:
    if n_bytes >= 1_000_000:
        return f"{round(n_bytes / 1e6, 1):g} MB"
    if n_bytes >= 1_000:
        return f"{round(n_bytes / 1e3, 1):g} kB"
    return f"{n_bytes} bytes"


def one_line(text: str) -> str:
    """Library error texts can span lines; a problem report is one line."""
    return " ".join(text.split())


def sniff_markup(data: bytes) -> Markup | None:
    """Whether bytes start like an HTML page or an RSS/Atom feed; None for anything else (plain text)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return None
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if any(root in head for root in _FEED_ROOTS):
        return "feed"
    if b"<html" in head:
        return "html"
    return None


def text_problem(text: str) -> str | None:
    """Why a decoded text is not an article, in one line, or None when it is one: blank, NUL characters (a
    binary file, as the readers say of bytes), or lone surrogates."""
    if not text.strip():
        return "text is empty"
    if "\x00" in text:
        return f"text has a NUL character at character {text.index(chr(0)):,}: it looks like a binary file, not text"
    at = lone_surrogate(text)
    if at is not None:
        return (f"text has a lone surrogate (U+{ord(text[at]):04X}) at character {at:,}: it is not valid Unicode; "
                "send UTF-8 text")
    return None


def lone_surrogate(text: str) -> int | None:
    """Where the text has a lone surrogate, or None. JSON's "\\ud800" decodes to one; it is not Unicode, and
    nothing can encode it to store or send it."""
    try:
        text.encode("utf-8")  # fails on a surrogate only, and says where
    except UnicodeEncodeError as exc:
        return exc.start
    return None
