"""`read_sources`: every source by what it is (file, folder, stdin or URL) to the reader for its format.

Files are told apart by their names (.html, .jsonl, .xml/.rss/.atom, .warc/.arc and .gz of them); a text file or
stdin that turns out to hold a page or a feed is read as one. A URL is fetched and read as a feed or a
page, as its content says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsgraph.ingest.base import (
    DEFAULT_MAX_BYTES,
    ArticleInput,
    InputProblem,
    Item,
    Markup,
    article_problem,
    check_markup_bytes,
    sniff_markup,
)
from newsgraph.ingest.feeds import FEED_MEDIA_TYPES, FEED_SUFFIXES, read_feed
from newsgraph.ingest.fetch import Fetcher, FetchError, FetchResult, charset_of
from newsgraph.ingest.html import HTML_MEDIA_TYPES, HTML_SUFFIXES, decode_html, html_article
from newsgraph.ingest.ids import safe_stem, stem_from_url
from newsgraph.ingest.jsonl import article_from_record, read_jsonl
from newsgraph.ingest.metadata import Metadata, with_metadata
from newsgraph.ingest.text import TEXT_SUFFIXES, load_file, over_the_limit, read_stdin, text_article
from newsgraph.ingest.warc import is_archive_name, read_warc

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_AS_UTF8 = {"utf-8", "utf8", "us-ascii", "ascii"}


def read_sources(sources: Iterable[str], published: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 fetcher: Fetcher | None = None, metadata: Metadata | None = None,
                 allow_private_urls: bool = False) -> Iterator[Item]:
    """Articles (and one problem per bad input) from files, folders, '-' for stdin and http(s) URLs.

    `published` (YYYY-MM-DD) overrides every input's own date; `metadata` (a table's rows by article, see
    `newsgraph.ingest.metadata`) every other field it gives. Without a `fetcher`, one is made when a URL or a
    feed first needs it (with `max_bytes` as its size limit) and closed at the end; it fetches from public
    addresses only, unless `allow_private_urls` (a given fetcher has its own setting)."""
    fetch = _LazyFetcher(fetcher, max_bytes, allow_private_urls)
    try:
        for source in sources:
            items = _read_source(source, published, max_bytes, fetch)
            yield from map(_checked, with_metadata(items, metadata, published) if metadata else items)
    finally:
        fetch.close()


def _checked(item: Item) -> Item:
    """The one check every reader's article passes, whatever its format decoded it from."""
    if isinstance(item, ArticleInput):
        problem = article_problem(item)
        if problem:
            return InputProblem(item.source, problem)
    return item


class _LazyFetcher:
    """The caller's fetcher, or one made on first use and closed by `close()`; most runs never fetch."""

    def __init__(self, given: Fetcher | None, max_bytes: int, allow_private_urls: bool) -> None:
        self._given = given
        self._made: Fetcher | None = None
        self._max_bytes = max_bytes
        self._allow_private_urls = allow_private_urls

    def __call__(self, url: str) -> FetchResult:
        if self._given is not None:
            return self._given.fetch(url)
        if self._made is None:
            self._made = Fetcher(max_bytes=self._max_bytes, allow_private_urls=self._allow_private_urls)
        return self._made.fetch(url)

    def close(self) -> None:
        if self._made is not None:
            self._made.close()


def _read_source(source: str, published: str | None, max_bytes: int, fetch: _LazyFetcher) -> Iterator[Item]:
    if source == "-":
        yield from _read_bytes("-", "stdin", read_stdin(max_bytes), published, max_bytes, fetch)
        return
    if _URL.match(source):
        yield from _read_url(source, published, max_bytes, fetch)
        return
    path = Path(source)
    if path.is_dir():
        yield from _read_folder(path, published, max_bytes, fetch)
    elif path.exists():
        yield from _read_file(path, published, max_bytes, fetch)
    else:
        yield InputProblem(source, "no such file or folder")


def folder_files(folder: Path) -> list[Path]:
    """The files of a folder that `read_sources` reads, in the order it reads them (`newsgraph batch` shares
    them out by this list)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and _is_readable_name(p, folder))


def read_records(records: Iterable[tuple[str, object]], published: str | None = None,
                 metadata: Metadata | None = None) -> Iterator[Item]:
    """Articles from (source, record) pairs of a table (a Parquet dataset's rows), each record read as a JSON Lines
    record is (`text` or `html`, `id`, `published`, ...), with the checks and the metadata of every reader."""
    items = (article_from_record(name, record, published) for name, record in records)
    yield from map(_checked, with_metadata(items, metadata, published) if metadata else items)


def _read_folder(folder: Path, published: str | None, max_bytes: int, fetch: _LazyFetcher) -> Iterator[Item]:
    files = folder_files(folder)
    if not files:
        yield InputProblem(str(folder), "folder holds no .txt, .html, .jsonl, feed (.xml, .rss, .atom) "
                                        "or web archive (.warc, .arc) files")
    for file in files:
        yield from _read_file(file, published, max_bytes, fetch)


def _is_readable_name(path: Path, folder: Path) -> bool:
    if any(part.startswith(".") for part in path.relative_to(folder).parts):
        return False
    suffix = path.suffix.lower()
    return (suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES or suffix in FEED_SUFFIXES or suffix == ".jsonl"
            or is_archive_name(path.name))


def _read_file(path: Path, published: str | None, max_bytes: int, fetch: _LazyFetcher) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(path, published, max_bytes)
        return
    if is_archive_name(path.name):
        yield from read_warc(path, published, max_bytes)
        return
    data = load_file(path, max_bytes)
    if isinstance(data, InputProblem):
        yield data
        return
    kind: Markup | None = "html" if suffix in HTML_SUFFIXES else "feed" if suffix in FEED_SUFFIXES else None
    yield from _read_bytes(str(path), safe_stem(path.stem), data, published, max_bytes, fetch, kind)


def _read_bytes(source: str, stem: str, data: bytes, published: str | None, max_bytes: int,
                fetch: _LazyFetcher, kind: Markup | None = None) -> Iterator[Item]:
    kind = kind or sniff_markup(data)
    if kind is None:
        yield text_article(source, stem, data, published, max_bytes)
        return
    problem = check_markup_bytes(data)
    if len(data) > max_bytes:
        yield over_the_limit(source, max_bytes)
    elif problem:
        yield InputProblem(source, problem)
    elif kind == "html":
        yield html_article(source, decode_html(data), stem=stem, url=None, published=published)
    else:
        yield from read_feed(source, stem, data, fetch, published=published)


def _read_url(url: str, published: str | None, max_bytes: int, fetch: _LazyFetcher) -> Iterator[Item]:
    try:
        result = fetch(url)
    except FetchError as exc:
        yield InputProblem(url, exc.reason)
        return
    kind = sniff_markup(result.body) or _markup_of_media_type(result.media_type)
    if kind == "html":
        yield html_article(url, decode_html(result.body, result.charset), stem=None, url=result.url,
                           published=published)
    elif kind == "feed":
        yield from read_feed(url, stem_from_url(result.url), result.body, fetch, published=published,
                             base_url=result.url, content_type=result.content_type)
    elif result.media_type == "text/plain":
        yield _plain_text_page(url, result, published, max_bytes)
    else:
        yield InputProblem(url, f"cannot read a {result.media_type or 'response of no stated type'}: "
                                "expected an HTML page, a feed or plain text")


def _plain_text_page(url: str, result: FetchResult, published: str | None, max_bytes: int) -> Item:
    charset = charset_of(result.content_type)
    if charset and charset.lower().replace("_", "-") in _AS_UTF8:
        charset = None  # decoded as UTF-8, which gives a clearer message than "cannot decode as ascii"
    return text_article(url, stem_from_url(result.url), result.body, published, max_bytes, charset)


def _markup_of_media_type(media_type: str) -> Markup | None:
    if media_type in HTML_MEDIA_TYPES:
        return "html"
    if media_type in FEED_MEDIA_TYPES:
        return "feed"
    return None


def count_articles(sources: Iterable[str]) -> int | None:
    """How many articles the sources hold, counted without reading them (a progress bar's total), or None when
    that cannot be known ahead: feeds, URLs and web archives are only counted by reading them."""
    total = 0
    for source in sources:
        count = _count_source(source)
        if count is None:
            return None
        total += count
    return total


def _count_source(source: str) -> int | None:
    if source == "-":
        return 1
    if _URL.match(source):
        return None
    path = Path(source)
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and _is_readable_name(p, path)]
        counts = [_count_file(p) for p in files]
        return None if None in counts else sum(c for c in counts if c is not None)
    return _count_file(path) if path.exists() else 0


def _count_file(path: Path) -> int | None:
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES or is_archive_name(path.name):
        return None
    if suffix == ".jsonl":
        try:
            with path.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        except OSError:
            return 0
    return 1
