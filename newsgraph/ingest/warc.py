"""Web archives (WARC, and the older ARC; plain or gzipped): every HTML page captured with status 200 is an article.

warcio reads a cut-off archive without complaint: it hands over a short last record, or stops at a
record whose headers end early, and it writes its own warnings to stderr. This reader checks that each
record is whole and that nothing but blank lines follows the last one, keeps warcio's warnings off the
terminal, and reports the first sign of damage as one problem after the articles read before it, at a
byte of the archive (of the decompressed archive, for a gzipped one).

A gzipped archive is decompressed here, as one stream, rather than by warcio: warcio wants one gzip member
per record (as WARC tools write them, to seek to a record) and refuses `gzip crawl.warc`, and its offsets
in such a file are negative. Read in order, both are the same archive.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from newsgraph.ingest.base import InputProblem, Item, Meta, date_or_none, one_line, size_label
from newsgraph.ingest.fetch import charset_of
from newsgraph.ingest.html import HTML_MEDIA_TYPES, decode_html, html_article

WARC_SUFFIXES = (".warc", ".warc.gz")
ARC_SUFFIXES = (".arc", ".arc.gz")
_CHUNK = 1 << 16


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES + ARC_SUFFIXES)


def is_arc_name(name: str) -> bool:
    return name.lower().endswith(ARC_SUFFIXES)


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
    """The HTML pages captured in a WARC or ARC file (by its name), then one problem if it is damaged."""
    source, kind = str(path), "ARC" if is_arc_name(path.name) else "WARC"
    pages = 0
    try:
        with path.open("rb") as fh:
            gzipped = fh.read(2) == b"\x1f\x8b"
            fh.seek(0)
            stream: BinaryIO = _GunzipStream(fh) if gzipped else fh  # type: ignore[assignment]
            for capture in _html_captures(stream, max_bytes, arc=kind == "ARC"):
                pages += 1
                yield _capture_item(source, capture, published, max_bytes)
    except OSError as exc:
        yield InputProblem(source, f"cannot read: {exc.strerror or exc}")
        return
    except _ArchiveDamaged as exc:
        where = " of the decompressed archive" if gzipped else ""
        yield InputProblem(source, f"{kind} file is truncated or corrupt at byte {exc.offset}{where} "
                                   f"(after {pages} page(s)): {exc}")
        return
    if pages == 0:
        yield InputProblem(source, f"the {kind} file holds no HTML page captured with status 200")


class _GunzipStream(io.RawIOBase):
    """A gzipped archive decompressed as it is read, every member in turn. Where the data stops early or is
    corrupt, it ends there with what came before (GzipFile drops the last block) and `broken` says why.
    It keeps the block of data before the one it is handing out, for `tail`."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._previous = self._block = b""
        self._block_start = self._given = 0  # where the block starts in the decompressed data; how much of it is out
        self.broken: str | None = None

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._block_start + self._given

    def readinto(self, buffer: Any) -> int:
        while self._given == len(self._block):
            if not self._inflate_more():
                return 0
        n = min(len(buffer), len(self._block) - self._given)
        buffer[:n] = memoryview(self._block)[self._given:self._given + n]
        self._given += n
        return n

    def tail(self, offset: int) -> bytes | None:
        """What was read from `offset` on, or None when that is no longer kept."""
        start = self._block_start - len(self._previous)
        return (self._previous + self._block[:self._given])[offset - start:] if offset >= start else None

    def _inflate_more(self) -> bool:
        if self.broken is not None:
            return False
        if self._member.eof:
            data = self._member.unused_data or self._raw.read(_CHUNK)
            if not data:
                return False  # the last member ended with the file: a whole archive
            self._member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        else:
            data = self._member.unconsumed_tail or self._raw.read(_CHUNK)
            if not data:
                self.broken = "the gzip data is cut off"
                return False
        try:
            block = self._member.decompress(data, _CHUNK)  # bounded: a small member can inflate enormously
        except zlib.error as exc:
            self.broken = f"the gzip data is corrupt ({exc})"
            return False
        if block:
            self._previous, self._block_start = self._block, self._block_start + len(self._block)
            self._block, self._given = block, 0
        return True


def _capture_item(source: str, capture: _Capture, published: str | None, max_bytes: int) -> Item:
    where = f"{source} [{capture.uri}]"
    if capture.html is None:
        return InputProblem(where, f"page is over the {size_label(max_bytes)} limit")
    return html_article(where, capture.html, stem=None, url=capture.uri, published=published,
                        fallback=Meta(published=capture.warc_date))


def _html_captures(fh: BinaryIO, max_bytes: int, *, arc: bool) -> Iterator[_Capture]:
    """The HTML responses in the archive, each read whole before it is handed over. `arc`: an ARC file,
    whose records warcio hands over converted to WARC ones."""
    from warcio.archiveiterator import ArchiveIterator  # imported here: only archives need it
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(fh, arc2warc=arc)
    whole_until = 0  # where the last record read whole ends
    while True:
        try:
            with _warcio_warnings() as warnings:
                record = next(records, None)
                if arc and whole_until == 0 and record is not None and record.rec_type != "warcinfo":
                    raise _BadRecord("it does not start with an ARC header (filedesc://)")
                capture = _read_capture(record, records, max_bytes) if record is not None else None
        except _BadRecord as exc:
            raise _ArchiveDamaged(whole_until, _broken(fh) or str(exc)) from None
        except ArchiveLoadFailed as exc:
            raise _ArchiveDamaged(whole_until, _broken(fh) or _load_failure_reason(exc)) from exc
        except Exception as exc:  # warcio trips over damaged input in assorted ways (even AttributeError)
            raise _ArchiveDamaged(whole_until, _broken(fh) or _damage_reason(exc)) from exc
        if warnings.getvalue().strip():
            raise _ArchiveDamaged(whole_until, _broken(fh) or _warning_reason(warnings.getvalue()))
        if record is None:
            _check_the_end(fh, whole_until, arc=arc)
            return
        whole_until = records.get_record_offset() + records.get_record_length()
        if capture is not None:
            yield capture


def _broken(fh: BinaryIO) -> str | None:
    """Why a gzip stream ended early, which says more than what warcio makes of the data before it."""
    return fh.broken if isinstance(fh, _GunzipStream) else None


def _check_the_end(fh: BinaryIO, whole_until: int, *, arc: bool) -> None:
    """warcio ends quietly when the file stops inside a record's headers, so look at what follows the last
    whole record: nothing but the blank lines that close it."""
    reason = _broken(fh)
    if reason:
        raise _ArchiveDamaged(whole_until, reason)
    if isinstance(fh, _GunzipStream):
        tail = fh.tail(whole_until)
        if tail is None:
            return  # warcio read it all, and the lines it passed over were blank (it warns otherwise)
    else:
        fh.seek(whole_until)
        tail = fh.read(4096)
    if tail.strip():
        raise _ArchiveDamaged(whole_until, "the archive ends in the middle of a record")
    if whole_until > 0 and not tail and not arc:
        # WARC records end with two blank lines; the file stopped before them. (An ARC record ends with one
        # newline or none.)
        raise _ArchiveDamaged(whole_until, "the archive ends in the middle of a record")


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
