"""JSON Lines: one article a line.

A record is an object with the article's `text`, or its page as `html` (then the text and any missing
metadata are extracted from the page; what the record says wins over what the page says; `text` wins
over `html` when a record has both). Optional: `id` (else derived from `url`), `published`, `title`,
`url`, `publisher`, `author`, `licence`, `credit`. A bad line is one problem and the file goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsgraph.ingest.base import (
    ArticleInput,
    InputProblem,
    Item,
    Meta,
    article_from,
    one_line,
    parse_date,
    shortened,
)
from newsgraph.ingest.html import html_article
from newsgraph.ingest.ids import MAX_STEM_BYTES, is_safe_stem, stem_from_url


def read_jsonl(path: Path, published: str | None, max_bytes: int) -> Iterator[Item]:
    try:
        with path.open("rb") as fh:
            yield from read_jsonl_lines(str(path), fh, published, max_bytes)
    except OSError as exc:
        yield InputProblem(str(path), f"cannot read: {exc.strerror or exc}")


def read_jsonl_lines(name: str, lines: Iterable[bytes], published: str | None, max_bytes: int) -> Iterator[Item]:
    """One item for each line that is not blank; `name` is the file's, for the sources (`name:line`)."""
    for lineno, raw in enumerate(lines, 1):
        if raw.strip():
            yield _line_item(f"{name}:{lineno}", raw, published, max_bytes)


def _line_item(source: str, raw: bytes, published: str | None, max_bytes: int) -> Item:
    if len(raw) > max_bytes:
        return InputProblem(source, f"line is over the {max_bytes / 1e6:.0f} MB limit")
    try:
        record = json.loads(raw)
    except RecursionError:  # json recurses once per bracket; a line of 100,000 of them must not stop the file
        return InputProblem(source, "not valid JSON: nested too deeply")
    except ValueError as exc:  # bad syntax, bad UTF-8, or an integer of more digits than Python converts
        return InputProblem(source, f"not valid JSON: {one_line(str(exc))[:200]}")
    return article_from_record(source, record, published)


class _BadRecord(ValueError):
    """Why a record is not an article."""


def article_from_record(source: str, record: object, published: str | None) -> Item:
    try:
        return _record_item(source, record, published)
    except _BadRecord as exc:
        return InputProblem(source, str(exc))


def _record_item(source: str, record: object, published: str | None) -> Item:
    if not isinstance(record, dict):
        raise _BadRecord("a JSON Lines article must be an object with 'id' and 'text' (or 'html')")
    text, html = _nonblank(record.get("text")), _nonblank(record.get("html"))
    if text is None and html is None:
        raise _BadRecord("article has no 'text' (or it is empty)")
    stem = _record_stem(record)
    meta = _record_meta(record, published)
    if text is not None:
        return ArticleInput(source, stem, text, article_from(stem, meta))
    assert html is not None
    return html_article(source, html, stem=stem, url=meta.url, published=meta.published, prefer=meta)


def _nonblank(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _record_stem(record: dict[str, object]) -> str:
    ident = record.get("id")
    if ident is None or str(ident).strip() == "":
        url = _nonblank(record.get("url"))
        if url is None:
            raise _BadRecord("article has no 'id'")
        return stem_from_url(url)
    if not isinstance(ident, str | int | float) or isinstance(ident, bool):
        raise _BadRecord(f"article 'id' must be a string or a number, not {_json_type(ident)}")
    ident = str(ident)
    # Checked here and refused, not mapped to another stem: the id names the output file and the stored
    # article, and a user who gave one expects to find it under that name.
    if len(ident.encode("utf-8", "surrogatepass")) > MAX_STEM_BYTES:
        raise _BadRecord(f"article id is {len(ident.encode('utf-8', 'surrogatepass'))} bytes long, over the "
                         f"{MAX_STEM_BYTES} bytes a file name can take; shorten it, or leave 'id' out to derive "
                         "one from 'url'")
    if not is_safe_stem(ident):
        raise _BadRecord(f"article id {shortened(ident)!r} cannot be used as a file name")
    return ident


def _json_type(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "true or false"}.get(type(value), type(value).__name__)


def _record_meta(record: dict[str, object], published: str | None) -> Meta:
    raw_date = published or record.get("published")
    date_value: str | None = None
    if raw_date is not None:
        try:
            date_value = parse_date(str(raw_date)[:10])
        except ValueError as exc:
            raise _BadRecord(f"bad 'published': {exc}") from None
    return Meta(published=date_value, title=_opt_str(record.get("title")),
                publisher=_opt_str(record.get("publisher")), author=_opt_str(record.get("author")),
                url=_opt_str(record.get("url")), licence=_opt_str(record.get("licence")),
                credit=_opt_str(record.get("credit")))


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
