"""Articles from HTML pages: the main text and the metadata, extracted with trafilatura.

Whoever hands over a page also hands over what it already knows (a feed entry's title, a JSON record's
id, an archive's capture date) as metadata layers; `html_article` merges them with what the page says,
in the caller's order of trust.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date

from newsgraph.ingest.base import (
    ArticleInput,
    InputProblem,
    Item,
    Meta,
    article_from,
    bom_encoding,
    date_or_none,
    first_known,
    one_line,
    surrogate_problem,
)
from newsgraph.ingest.ids import stem_from_url

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
HTML_MEDIA_TYPES = {"text/html", "application/xhtml+xml"}
NO_ARTICLE_TEXT = "no article text found in the page"
# Below this, what trafilatura finds is a menu, a login form or an error notice, not an article.
MIN_ARTICLE_CHARS = 100

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252, which browsers (and authors) use.
_AS_WINDOWS_1252 = {"latin-1", "iso8859-1", "ascii"}
# How trafilatura takes a site name from a URL when the page names none.
_URL_HOST = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")


@dataclass(frozen=True)
class Page:
    text: str
    meta: Meta


def decode_html(body: bytes, charset: str | None = None) -> str:
    """Decode a page as a browser would: byte-order mark, then the HTTP charset, then <meta charset>."""
    found = bom_encoding(body)
    if found:
        encoding, start = found
        return body[start:].decode(encoding, errors="replace")
    for label in (charset, _meta_charset(body)):
        codec = _codec_for(label)
        if codec:
            return body.decode(codec, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def _codec_for(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def extract_page(html: str, url: str | None = None) -> Page | None:
    """The page's main text and metadata, or None when it holds no article text."""
    import trafilatura  # imported here: it takes a noticeable time and only HTML inputs need it

    if "<html" not in html[:2048].lower():
        # trafilatura rejects a lone fragment ("<p>...</p>") as not quite HTML.
        html = f"<html><body>{html}</body></html>"
    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, include_links=False, include_formatting=False,
        # No extensive search: it guesses dates from running text and copyright lines ("© 2021" becomes
        # 2021-01-01), and a wrong publication date misplaces every relative date in the article.
        date_extraction_params={"original_date": True, "extensive_search": False,
                                "max_date": date.today().isoformat()},
    )
    if result is None or isinstance(result, dict):
        return None
    text = (result.text or "").strip()
    if len(" ".join(text.split())) < MIN_ARTICLE_CHARS:
        return None
    meta = Meta(title=result.title, published=date_or_none(result.date),
                publisher=_site_name(result.sitename, result.url), author=result.author, url=result.url,
                licence=result.license)
    return Page(text, meta)


def _site_name(sitename: str | None, url: str | None) -> str | None:
    """The site's name as the page gives it. trafilatura falls back to the URL's host name, which names no
    publisher; a feed's title names it better."""
    host = _URL_HOST.match(url or "")
    return None if host and sitename == host.group(1) else sitename


def html_article(source: str, html: str, *, stem: str | None, url: str | None, published: str | None,
                 prefer: Meta | None = None, fallback: Meta | None = None) -> Item:
    """One article from a page. Metadata: the `published` override, then `url`, then `prefer`, then what the
    page says, then `fallback`. Without a `stem` the id comes from the article's URL."""
    surrogate = surrogate_problem("the page", html)  # lxml would cut the text off there, without a word
    if surrogate:
        return InputProblem(source, surrogate)
    try:
        page = extract_page(html, url)
    except Exception as exc:  # trafilatura and lxml fail in many ways on odd pages; one page must not stop a batch
        return InputProblem(source, one_line(f"cannot extract the page: {type(exc).__name__}: {exc}"))
    if page is None:
        return InputProblem(source, NO_ARTICLE_TEXT)
    meta = first_known(Meta(published=published, url=url), prefer or Meta(), page.meta, fallback or Meta())
    if stem is None:
        if not meta.url:
            return InputProblem(source, "the page has no id and no URL to name it by")
        stem = stem_from_url(meta.url)
    return ArticleInput(source, stem, page.text, article_from(stem, meta))
