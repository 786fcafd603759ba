"""The inputs of a batch, shared out in units: one file (a text, a page, a JSON Lines file, a feed, a web archive,
a Parquet file) or one URL each, read by the analysis actor that takes it.

Every unit but Parquet is read by `newsgraph.ingest.read_sources`, as `ingest` reads it; a Parquet file's rows are
records as a JSON Lines file's lines are (`text` or `html`, `id`, `published`, ...). A unit's articles are numbered
in reading order, and units in the order `ingest` reads their sources, so (unit, item) orders a batch's articles
as `ingest` would take them: `newsgraph load` writes them in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.ingest.base import DEFAULT_MAX_BYTES, InputProblem, Item, one_line
from newsgraph.ingest.metadata import Metadata
from newsgraph.ingest.sources import folder_files, read_records, read_sources

PARQUET_SUFFIX = ".parquet"
_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class BadSource(ValueError):
    """A source a batch cannot take; the message is one line."""


@dataclass(frozen=True)
class Unit:
    number: int
    kind: str  # "read" (by the ingest readers) or "parquet"
    source: str


def plan_units(sources: list[str]) -> list[Unit]:
    """The units of the sources, in `ingest`'s reading order. A missing file is a unit too: its reading gives the
    problem that `ingest` reports (and a failure row)."""
    found: list[tuple[str, str]] = []
    for source in sources:
        found += _units_of(source)
    return [Unit(number, kind, source) for number, (kind, source) in enumerate(found)]


def _units_of(source: str) -> list[tuple[str, str]]:
    if source == "-":
        raise BadSource("batch cannot read stdin (its input is shared out among workers): give files, folders or "
                        "URLs, or use `newsgraph ingest -`")
    if _HTTP.match(source):
        return [("read", source)]
    if _URL.match(source):
        return [("parquet", url) for url in _dataset_files(source)]
    path = Path(source)
    if path.is_dir():
        files = folder_files(path)
        parquet = sorted(str(p) for p in path.rglob(f"*{PARQUET_SUFFIX}") if p.is_file())
        if not files and not parquet:
            return [("read", source)]  # (its reading says that it holds nothing to read)
        return [("read", str(f)) for f in files] + [("parquet", p) for p in parquet]
    if path.suffix.lower() == PARQUET_SUFFIX:
        return [("parquet", source)]
    return [("read", source)]


def _dataset_files(url: str) -> list[str]:
    """The Parquet files of a dataset at a filesystem URL that pyarrow supports (file://, s3://, gs://, hdfs://)."""
    import pyarrow.fs as pafs

    try:
        fs, path = pafs.FileSystem.from_uri(url)
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.File:
            return [url]
        if info.type == pafs.FileType.NotFound:
            raise BadSource(f"{url}: no such file or folder")
        listed = fs.get_file_info(pafs.FileSelector(path, recursive=True))
    except (OSError, ValueError, pa_errors()) as exc:
        if isinstance(exc, BadSource):
            raise
        raise BadSource(f"{url}: {one_line(str(exc))}") from None
    prefix = url[: len(url) - len(path)] if url.endswith(path) else url.split("://", 1)[0] + "://"
    files = sorted(i.path for i in listed if i.type == pafs.FileType.File and i.path.endswith(PARQUET_SUFFIX))
    if not files:
        raise BadSource(f"{url}: holds no .parquet files (a batch reads Parquet datasets from such URLs)")
    return [prefix + f for f in files]


def pa_errors() -> type[Exception]:
    import pyarrow as pa

    return pa.ArrowException


def read_unit(unit: Unit, published: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              metadata: Metadata | None = None, allow_private_urls: bool = False) -> Iterator[Item]:
    """The unit's articles (and problems), in order."""
    if unit.kind == "parquet":
        yield from _read_parquet(unit.source, published, metadata)
    else:
        yield from read_sources([unit.source], published, max_bytes, metadata=metadata,
                                allow_private_urls=allow_private_urls)


def _read_parquet(source: str, published: str | None, metadata: Metadata | None) -> Iterator[Item]:
    """A Parquet file's rows as articles, one batch of rows in memory at a time; `source:ROW` names each (from 1)."""
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(source) if not _URL.match(source) else _open_url(source)
        if "text" not in file.schema_arrow.names and "html" not in file.schema_arrow.names:
            yield InputProblem(source, "a Parquet dataset needs a 'text' (or 'html') column")
            return
        row = 0
        for batch in file.iter_batches(batch_size=256):
            records = batch.to_pylist()
            yield from read_records(((f"{source}:{row + i + 1}", r) for i, r in enumerate(records)), published,
                                    metadata)
            row += len(records)
    except (OSError, pa_errors()) as exc:
        yield InputProblem(source, f"cannot read as Parquet: {one_line(str(exc))}")


def _open_url(url: str) -> Any:
    import pyarrow.fs as pafs
    import pyarrow.parquet as pq

    fs, path = pafs.FileSystem.from_uri(url)
    return pq.ParquetFile(fs.open_input_file(path))
