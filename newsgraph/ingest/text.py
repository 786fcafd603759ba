"""Plain-text articles from files and stdin.

Texts are decoded from bytes as their byte-order mark says (UTF-8, UTF-16 or UTF-32), else as UTF-8 (or a
web server's charset), and never altered: every offset newsgraph reports is an offset into exactly this
text (the mark is not part of it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from newsgraph.ingest.base import (
    ArticleInput,
    InputProblem,
    Item,
    NotText,
    bom_encoding,
    decode_text,
    decoded_text_problem,
)
from newsgraph.records import Article

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def read_stdin(max_bytes: int) -> bytes:
    # One byte over the limit is enough to tell that the input is too large.
    return sys.stdin.buffer.read(max_bytes + 1)


def load_file(path: Path, max_bytes: int) -> bytes | InputProblem:
    """A file's bytes, or why they cannot be read; the size is checked before reading a byte."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return InputProblem(str(path), f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                                           "(raise it with --max-bytes)")
        return path.read_bytes()
    except OSError as exc:
        return InputProblem(str(path), f"cannot read: {exc.strerror or exc}")


def over_the_limit(source: str, max_bytes: int) -> InputProblem:
    return InputProblem(source, f"input is over the {max_bytes / 1e6:.0f} MB limit (raise it with --max-bytes)")


def text_article(source: str, stem: str, data: bytes, published: str | None, max_bytes: int,
                 charset: str | None = None) -> Item:
    """The article in a text's bytes: decoded by its byte-order mark, else by `charset` (an HTTP header's),
    else as UTF-8."""
    if len(data) > max_bytes:
        return over_the_limit(source, max_bytes)
    try:
        text = decode_text(data) if charset is None or bom_encoding(data) else _decode_as(data, charset)
    except NotText as exc:
        return InputProblem(source, str(exc))
    return ArticleInput(source, stem, text, Article(id=stem, published=published))


def _decode_as(data: bytes, charset: str) -> str:
    try:
        text = data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise NotText(f"cannot decode the text as {charset}") from None
    problem = decoded_text_problem(text)
    if problem:
        raise NotText(problem)
    return text
