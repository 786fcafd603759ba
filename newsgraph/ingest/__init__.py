"""Readers that turn files, folders, stdin and JSON Lines into articles to analyse.

Each reader yields `ArticleInput` for a good article and `InputProblem` for a bad one, so a batch
reports bad inputs in one line each and goes on with the rest. Texts are decoded from bytes as
UTF-8 and never altered: every offset newsgraph reports is an offset into exactly this text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsgraph.records import Article

DEFAULT_MAX_BYTES = 10_000_000
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


@dataclass(frozen=True)
class ArticleInput:
    source: str  # where it came from, for messages: a path, "path:line" or "-"
    stem: str  # output file stem
    text: str
    article: Article


@dataclass(frozen=True)
class InputProblem:
    source: str
    message: str


Item = ArticleInput | InputProblem


def parse_date(value: str) -> str:
    """Validate a YYYY-MM-DD date and return it unchanged."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def read_inputs(paths: Iterable[str], published: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    for raw in paths:
        if raw == "-":
            yield from _from_bytes("-", "stdin", sys.stdin.buffer.read(max_bytes + 1), published, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                           and (p.suffix.lower() in TEXT_SUFFIXES or p.suffix.lower() == ".jsonl"))
            if not files:
                yield InputProblem(raw, "folder holds no .txt or .jsonl files")
            for file in files:
                yield from _read_file(file, published, max_bytes)
        elif path.exists():
            yield from _read_file(path, published, max_bytes)
        else:
            yield InputProblem(raw, "no such file or folder")


def _read_file(path: Path, published: str | None, max_bytes: int) -> Iterator[Item]:
    try:
        size = path.stat().st_size
        if path.suffix.lower() == ".jsonl":
            yield from read_jsonl(path, published, max_bytes)
            return
        if size > max_bytes:
            yield InputProblem(str(path), f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                                          "(raise it with --max-bytes)")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputProblem(str(path), f"cannot read: {exc.strerror or exc}")
        return
    yield from _from_bytes(str(path), path.stem, data, published, max_bytes)


def _from_bytes(source: str, stem: str, data: bytes, published: str | None, max_bytes: int) -> Iterator[Item]:
    if len(data) > max_bytes:
        yield InputProblem(source, f"input is over the {max_bytes / 1e6:.0f} MB limit (raise it with --max-bytes)")
        return
    problem = check_text_bytes(data)
    if problem:
        yield InputProblem(source, problem)
        return
    text = data.decode("utf-8")
    yield ArticleInput(source, stem, text, Article(id=stem, published=published))


def check_text_bytes(data: bytes) -> str | None:
    """Why these bytes are not an article's text, or None when they are."""
    if not data.strip():
        return "input is empty"
    if b"\x00" in data[:8192]:
        return "looks like a binary file, not text"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (f"not UTF-8 text (byte {exc.start} is {data[exc.start:exc.start + 1]!r}); "
                "convert it first, e.g. `iconv -f latin1 -t utf-8`")
    return None


def read_jsonl(path: Path, published: str | None, max_bytes: int) -> Iterator[Item]:
    """One article a line: {"id", "text", optional "published", "title", "url", "publisher"}."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            source = f"{path}:{lineno}"
            if not raw.strip():
                continue
            if len(raw) > max_bytes:
                yield InputProblem(source, f"line is over the {max_bytes / 1e6:.0f} MB limit")
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield InputProblem(source, f"not valid JSON: {exc}")
                continue
            item = _article_from_record(source, record, published)
            yield item


def _article_from_record(source: str, record: object, published: str | None) -> Item:
    if not isinstance(record, dict):
        return InputProblem(source, "a JSON Lines article must be an object with 'id' and 'text'")
    text, ident = record.get("text"), record.get("id")
    if not isinstance(text, str) or not text.strip():
        return InputProblem(source, "article has no 'text' (or it is empty)")
    if ident is None or str(ident).strip() == "":
        return InputProblem(source, "article has no 'id'")
    ident = str(ident)
    if "/" in ident or ident in {".", ".."}:
        return InputProblem(source, f"article id {ident!r} cannot be used as a file name")
    date_value = published or record.get("published")
    if date_value is not None:
        try:
            date_value = parse_date(str(date_value)[:10])
        except ValueError as exc:
            return InputProblem(source, f"bad 'published': {exc}")
    article = Article(
        id=ident,
        title=_opt_str(record.get("title")),
        published=date_value,
        publisher=_opt_str(record.get("publisher")),
        url=_opt_str(record.get("url")),
    )
    return ArticleInput(source, ident, text, article)


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
