"""What every ingest reader yields, and the small helpers they share.

A reader yields `ArticleInput` for a good article and `InputProblem` for a bad one, so a batch reports
each bad input in one line and goes on with the rest.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, fields
from typing import Literal

from newsgraph.limits import MAX_ARTICLE_CHARS
from newsgraph.records import Article
from newsgraph.timex import date_or_none as date_or_none  # the readers' date helpers, re-exported
from newsgraph.timex import parse_date as parse_date

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

_FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf")


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


# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# How an XML document without a byte-order mark starts (`<?` or `<`) in UTF-32 and UTF-16 (XML 1.0, appendix F).
_XML_STARTS = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<\x00?", "utf-16-be"),
               (b"<\x00?\x00", "utf-16-le"))
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
BINARY = "looks like a binary file, not text"


class NotText(ValueError):
    """Bytes that are not an article's text; `str()` is the one-line reason."""


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding that a byte-order mark at the start of `data` names, and the mark's length in bytes."""
    return next(((encoding, len(bom)) for bom, encoding in _BOMS if data.startswith(bom)), None)


def decode_text(data: bytes) -> str:
    """An article's text from its bytes: decoded as its byte-order mark says (UTF-8, UTF-16 or UTF-32), else as
    UTF-8; the mark is not part of the text, so every offset is an offset into what the reader sees.

    Raises NotText with the one-line reason for bytes that do not decode, or whose text is blank or holds
    what no article holds (NUL characters, lone surrogates): the decoded text is judged, not the bytes, so
    UTF-16 is not taken for binary and every reader refuses the same texts."""
    found = bom_encoding(data)
    encoding, start = found or ("utf-8", 0)
    try:
        text = data[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise NotText(_undecodable(data, exc, start, bom=found is not None)) from None
    problem = decoded_text_problem(text)
    if problem:
        raise NotText(problem)
    return text


def _undecodable(data: bytes, exc: UnicodeDecodeError, start: int, *, bom: bool) -> str:
    position = start + exc.start
    if bom:
        return (f"not valid {exc.encoding.upper()} text, though it starts with that byte-order mark "
                f"(at byte {position}: {exc.reason})")
    if b"\x00" in data:
        return BINARY
    return (f"not UTF-8 text (byte {position} is {data[position:position + 1]!r}); "
            "convert it first, e.g. `iconv -f latin1 -t utf-8`")



def decoded_text_problem(text: str) -> str | None:
    """Why a decoded text is not an article (blank, NUL characters, lone surrogates), or None when it is.

    The readers' check on every text they hand over; the same check as the API's `text_problem`, which it
    can become."""
    if not text.strip():
        return "input is empty"
    if "\x00" in text:
        return f"{BINARY} (it holds NUL characters)"
    return surrogate_problem("the text", text)


def article_problem(item: ArticleInput) -> str | None:
    """Why an article cannot be analysed and stored: its text (see `decoded_text_problem`), or a field that
    holds what no store or output file takes (a JSON record can bring NUL characters and lone surrogates in
    as escapes)."""
    problem = decoded_text_problem(item.text)
    if problem:
        return problem
    for field, value in item.article:
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            return f"its {field} holds NUL characters"
        problem = surrogate_problem(f"its {field}", value)
        if problem:
            return problem
    return None


def surrogate_problem(what: str, value: str) -> str | None:
    surrogate = _LONE_SURROGATE.search(value)
    if surrogate is None:
        return None
    return (f"{what} holds a lone surrogate (U+{ord(surrogate.group()):04X}) at character {surrogate.start()}, "
            "which is not Unicode text")


def check_text_bytes(data: bytes) -> str | None:
    """Why these bytes are not an article's text, or None when they are (see `decode_text`)."""
    try:
        decode_text(data)
    except NotText as exc:
        return str(exc)
    return None


def check_markup_bytes(data: bytes) -> str | None:
    """Why these bytes are not a page or feed. Only emptiness is judged here: the encoding is the markup's own
    (byte-order mark, charset, XML declaration), and what its text holds is judged once it is extracted."""
    return "input is empty" if not data.strip() else None


def decode_head(data: bytes, n_bytes: int = 2048) -> str:
    """The first bytes as text, well enough to tell markup from plain text: by the byte-order mark, by how
    XML in UTF-16 or UTF-32 starts, else byte for byte (every ASCII character is itself)."""
    head = data[:n_bytes]
    found = bom_encoding(head)
    encoding = found[0] if found else next((enc for start, enc in _XML_STARTS if head.startswith(start)),
                                           "latin-1")
    return head.decode(encoding, errors="ignore")


def size_label(n_bytes: int) -> str:
    if n_bytes >= 1_000_000:
        return f"{round(n_bytes / 1e6, 1):g} MB"
    if n_bytes >= 1_000:
        return f"{round(n_bytes / 1e3, 1):g} kB"
    return f"{n_bytes} bytes"


def one_line(text: str) -> str:
    """Library error texts can span lines; a problem report is one line."""
    return " ".join(text.split())


def shortened(text: str, limit: int = 50) -> str:
    """The start of a value quoted in a message; a 100,000-character id must not become a 100 kB message."""
    return text if len(text) <= limit else text[:limit] + "\u2026"


def sniff_markup(data: bytes) -> Markup | None:
    """Whether bytes start like an HTML page or an RSS/Atom feed; None for anything else (plain text)."""
    head = decode_head(data).lstrip("\ufeff \t\r\n").lower()
    if not head.startswith("<"):
        return None
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    if any(root in head for root in _FEED_ROOTS):
        return "feed"
    if "<html" in head:
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
