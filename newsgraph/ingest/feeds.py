"""RSS and Atom feeds: each entry is an article, read from the page its link points to.

The entry's title, date and author describe the article better than the page's own markup does, so
they win over it; the feed's title names the publisher when the page does not. When the page cannot be
fetched (or holds no article text), the entry's own content stands in if it is long enough to be the
article rather than a teaser.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax import SAXParseException

from newsgraph.ingest.base import (
    ArticleInput,
    InputProblem,
    Item,
    Meta,
    article_from,
    first_known,
    one_line,
    sniff_markup,
)
from newsgraph.ingest.fetch import FetchError, FetchResult
from newsgraph.ingest.html import HTML_MEDIA_TYPES, decode_html, html_article
from newsgraph.ingest.ids import safe_stem, stem_from_text, stem_from_url

FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
FEED_MEDIA_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
                    "text/xml"}
# Shorter than this, an entry's own text is a teaser, not the article.
MIN_ENTRY_TEXT_CHARS = 400

Fetch = Callable[[str], FetchResult]
_BLOCK_TAGS = ("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "section",
               "article", "figure", "figcaption")


def read_feed(source: str, stem: str, data: bytes, fetch: Fetch, *, published: str | None,
              base_url: str | None = None, content_type: str | None = None) -> Iterator[Item]:
    """Every entry of the feed in `data` as an article or a problem; a feed with no entries is one problem.

    `stem` names the feed, for entries with neither link nor guid; `base_url` is where the feed came from,
    to resolve relative links against."""
    import feedparser  # imported here: only feeds need it

    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries:
        yield InputProblem(source, _why_no_entries(parsed))
        return
    feed = FeedContext(source, stem, _text(parsed.feed.get("title")), fetch)
    for number, entry in enumerate(parsed.entries, 1):
        yield entry_article(feed, number, entry, published)


def _why_no_entries(parsed: Any) -> str:
    error = _parse_error(parsed.get("bozo_exception")) if parsed.bozo else None
    if not parsed.version:
        return "not an RSS or Atom feed" + (f" ({error})" if error else "")
    if error:
        return f"malformed feed with no readable entries ({error})"
    return "the feed has no entries"


def _parse_error(exc: object) -> str:
    if isinstance(exc, SAXParseException):
        return one_line(f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}")
    return one_line(str(exc)) or type(exc).__name__


@dataclass(frozen=True)
class FeedContext:
    source: str
    stem: str
    title: str | None
    fetch: Fetch


def entry_article(feed: FeedContext, number: int, entry: Any, published: str | None) -> Item:
    link = _text(entry.get("link"))
    source = link or f"{feed.source} entry {number}"
    entry_meta = Meta(title=_text(entry.get("title")), published=published or _entry_date(entry),
                      author=_text(entry.get("author")), url=link)
    feed_meta = Meta(publisher=feed.title)
    reason = "the entry has no link"
    if link:
        item = _article_from_page(source, link, feed.fetch, entry_meta, feed_meta)
        if isinstance(item, ArticleInput):
            return item
        reason = item.message
    text = entry_text(entry)
    if len(text) >= MIN_ENTRY_TEXT_CHARS:
        stem = _entry_stem(feed, number, entry, link)
        return ArticleInput(source, stem, text, article_from(stem, first_known(entry_meta, feed_meta)))
    return InputProblem(source, f"{reason}, and the entry's own text is too short to stand in "
                                f"({len(text)} characters, {MIN_ENTRY_TEXT_CHARS} needed)")


def _entry_stem(feed: FeedContext, number: int, entry: Any, link: str | None) -> str:
    if link:
        return stem_from_url(link)
    guid = _text(entry.get("id"))
    return stem_from_text(guid) if guid else safe_stem(f"{feed.stem}-entry-{number}")


def _article_from_page(source: str, link: str, fetch: Fetch, entry_meta: Meta, feed_meta: Meta) -> Item:
    try:
        page = fetch(link)
    except FetchError as exc:
        return InputProblem(source, f"cannot fetch the page: {exc.reason}")
    if page.media_type not in HTML_MEDIA_TYPES and sniff_markup(page.body) != "html":
        return InputProblem(source, f"the page is {page.media_type or 'of no stated type'}, not HTML")
    return html_article(source, decode_html(page.body, page.charset), stem=None, url=page.url,
                        published=entry_meta.published, prefer=entry_meta, fallback=feed_meta)


def entry_text(entry: Any) -> str:
    """The longest text the entry carries itself (full content or summary), as plain text."""
    candidates: list[str] = []
    for content in entry.get("content") or []:
        candidates.append(_plain(_text(content.get("value")) or "", _text(content.get("type"))))
    candidates.append(_plain(_text(entry.get("summary")) or "", _text(entry.get("summary_detail", {}).get("type"))))
    return max(candidates, key=len)


def _plain(value: str, media_type: str | None) -> str:
    if media_type == "text/plain" or "<" not in value:
        return value.strip()
    return fragment_text(value)


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one paragraph a line."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types for markup it cannot parse; such content is no fallback
        return ""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter(*_BLOCK_TAGS):
        block.text = "\n" + (block.text or "")
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
