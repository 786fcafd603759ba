"""Web archives (WARC, plain or gzipped): every HTML page captured with status 200 is an article.

warcio reads a cut-off archive without complaint: it hands over a short last record, or stops at a
record whose headers or gzip member end early, and it writes its own warnings to stderr. This reader
checks that each record is whole and that nothing but blank lines follows the last one, keeps warcio's
warnings off the terminal, and reports the first sign of damage as one problem after the articles read
before it.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.ingest.base import InputProblem, Item, Meta, date_or_none, one_line, size_label
from newsgraph.ingest.fetch import charset_of
from newsgraph.ingest.html import HTML_MEDIA_TYPES, decode_html, html_article

WARC_SUFFIXES = (".warc", ".warc.gz")


def is_warc_name(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


class _ArchiveDamaged(Exception):
    """The archive breaks at byte `offset` (the end of the last whole record); the message says how."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset


class _BadRecord(Exception):
    """A record that is not a whole WARC record: cut off, or of another format."""


@dataclass(frozen=True)
class _Capture:
    uri: str
    warc_date: str | None
    html: str | None  # None: a page, but over the size limit


def read_warc(path: Path, published: str | None, max_bytes: int) -> Iterator[Item]:
    source = str(path)
    pages = 0
    try:
        with path.open("rb") as fh:
            for capture in _html_captures(fh, max_bytes):
                pages += 1
                yield _capture_item(source, capture, published, max_bytes)
    except OSError as exc:
        yield InputProblem(source, f"cannot read: {exc.strerror or exc}")
        return
    except _ArchiveDamaged as exc:
        yield InputProblem(source, f"WARC file is truncated or corrupt at byte {exc.offset} "
                                   f"(after {pages} page(s)): {exc}")
        return
    if pages == 0:
        yield InputProblem(source, "the WARC file holds no HTML page captured with status 200")


def _capture_item(source: str, capture: _Capture, published: str | None, max_bytes: int) -> Item:
    where = f"{source} [{capture.uri}]"
    if capture.html is None:
        return InputProblem(where, f"page is over the {size_label(max_bytes)} limit")
    return html_article(where, capture.html, stem=None, url=capture.uri, published=published,
                        fallback=Meta(published=capture.warc_date))


def _html_captures(fh: io.BufferedReader, max_bytes: int) -> Iterator[_Capture]:
    """The HTML responses in the archive, each read whole before it is handed over."""
    from warcio.archiveiterator import ArchiveIterator  # imported here: only archives need it
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(fh)
    last_offset = whole_until = 0  # start and end of the last record read whole
    while True:
        try:
            with _warcio_warnings() as warnings:
                record = next(records, None)
                capture = _read_capture(record, records, max_bytes) if record is not None else None
        except _BadRecord as exc:
            raise _ArchiveDamaged(whole_until, str(exc)) from None
        except ArchiveLoadFailed as exc:
            raise _ArchiveDamaged(whole_until, _load_failure_reason(exc)) from exc
        except Exception as exc:  # warcio trips over damaged input in assorted ways (even AttributeError)
            raise _ArchiveDamaged(whole_until, _damage_reason(exc)) from exc
        if warnings.getvalue().strip():
            raise _ArchiveDamaged(whole_until, _warning_reason(warnings.getvalue()))
        if record is None:
            _check_the_end(fh, whole_until, last_offset)
            return
        last_offset = records.get_record_offset()
        whole_until = last_offset + records.get_record_length()
        if capture is not None:
            yield capture


def _check_the_end(fh: io.BufferedReader, whole_until: int, last_offset: int) -> None:
    """warcio ends quietly when the file stops inside a record's headers or a gzip member, so look at
    what follows the last whole record: nothing but the blank lines that close it."""
    fh.seek(whole_until)
    tail = fh.read(4096)
    if tail.strip():
        raise _ArchiveDamaged(whole_until, "the archive ends in the middle of a record")
    if _is_gzip(fh):
        if not _gzip_member_ends(fh, last_offset):
            raise _ArchiveDamaged(last_offset, "the last gzip member is cut off")
    elif whole_until > 0 and not tail:
        # Uncompressed records end with two blank lines; the file stopped before them.
        raise _ArchiveDamaged(whole_until, "the archive ends in the middle of a record")


def _is_gzip(fh: io.BufferedReader) -> bool:
    fh.seek(0)
    return fh.read(2) == b"\x1f\x8b"


def _gzip_member_ends(fh: io.BufferedReader, offset: int) -> bool:
    """Whether the gzip member at `offset` is whole, trailer included (warcio does not check)."""
    fh.seek(offset)
    member = zlib.decompressobj(16 + zlib.MAX_WBITS)
    while not member.eof:
        chunk = fh.read(1 << 16)
        if not chunk:
            return False
        try:
            member.decompress(chunk)
        except zlib.error:
            return False
    return True


def _warning_reason(warning: str) -> str:
    first = next((line.strip() for line in warning.splitlines() if line.strip()), "")
    if "not followed by newline" in first:
        return "a record does not end where its Content-Length says"
    return first.removeprefix("WARNING:").strip()[:120]


def _load_failure_reason(exc: Exception) -> str:
    # warcio quotes the offending line, which in a damaged gzip file is binary noise.
    reason = one_line(str(exc)).partition(", first line:")[0].partition(": first line")[0]
    return reason[:120] or "not a WARC record"


def _damage_reason(exc: Exception) -> str:
    if isinstance(exc, EOFError | OSError | ValueError) and str(exc):
        return one_line(str(exc))
    return "a record is cut off or malformed"


def _read_capture(record: Any, records: Any, max_bytes: int) -> _Capture | None:
    """The page in a response record, or None for any other record; reads the record to its end."""
    if record.rec_type is None:
        raise _BadRecord("a record's headers are cut off")
    if record.format != "warc":
        # warcio also reads the older ARC format, and takes many a stray text line for an ARC header.
        raise _BadRecord("not a WARC record")
    html: str | None = None
    is_page = _is_html_page(record)
    if is_page:
        body = record.content_stream().read(max_bytes + 1)
        if len(body) <= max_bytes:
            http_type = record.http_headers.get_header("Content-Type")
            html = decode_html(body, charset_of(http_type))
    records.read_to_end()
    if getattr(record.raw_stream, "limit", 0) > 0:
        uri = record.rec_headers.get_header("WARC-Target-URI")
        raise _BadRecord(f"the record of {uri} ends early" if uri else "a record ends early")
    if not is_page:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    return _Capture(uri, date_or_none(record.rec_headers.get_header("WARC-Date")), html)


def _is_html_page(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    media_type = (record.http_headers.get_header("Content-Type") or "").partition(";")[0].strip().lower()
    return record.http_headers.get_statuscode() == "200" and media_type in HTML_MEDIA_TYPES


@contextlib.contextmanager
def _warcio_warnings() -> Iterator[io.StringIO]:
    """Catch what warcio writes to stderr about damaged records; it is our signal, not the user's noise.

    Held only while warcio runs, never across a `yield` to the caller."""
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        yield buffer
