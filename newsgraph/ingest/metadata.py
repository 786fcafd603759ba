"""Article metadata from a table beside the texts: `--metadata FILE` (TSV or CSV, one row an article).

Research corpora ship their texts as plain files with the metadata in a table (PolNeAR's `metadata.tsv`:
filename, publisher, publication_date, author, title). A row is matched to an input by its file name without
the extension (or a JSON Lines record's id), and its fields replace what the input knew, except a date given
with `--published`. Column names are matched loosely (`publication_date` or `published` or `date`); columns
the table lacks change nothing, and empty cells or "None", "NA", "null" are no value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsgraph.ingest.base import ArticleInput, Item, parse_date

KEY_COLUMNS = ("id", "filename", "file", "stem", "key", "name")
FIELD_COLUMNS = {
    "published": ("published", "publication_date", "date", "pubdate"),
    "title": ("title", "headline"),
    "publisher": ("publisher", "outlet", "site"),
    "author": ("author", "byline"),
    "url": ("url", "link"),
}
MISSING = {"", "none", "na", "n/a", "null", "nan"}
TABLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".json"}  # dropped from key cells that name a file

Metadata = dict[str, dict[str, str]]  # article key -> field -> value


class MetadataError(ValueError):
    """A metadata table that cannot be used, with a one-line message naming the file and line."""


def load_metadata(path: Path) -> Metadata:
    """The table's rows by article key; MetadataError for a missing file, no key column or a bad date."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first_line = fh.readline()
            fh.seek(0)
            rows = list(csv.DictReader(fh, delimiter="\t" if "\t" in first_line else ","))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise MetadataError(f"{path}: cannot read the metadata table ({exc})") from None
    header = {name.strip().lower(): name for name in (rows[0].keys() if rows else [])}
    key_column = next((header[c] for c in KEY_COLUMNS if c in header), None)
    if key_column is None:
        raise MetadataError(f"{path}: no column naming the articles; call one of them {', '.join(KEY_COLUMNS)}")
    columns = {field: next(header[c] for c in names if c in header)
               for field, names in FIELD_COLUMNS.items() if any(c in header for c in names)}
    table: Metadata = {}
    for line, row in enumerate(rows, start=2):
        key = article_key(row.get(key_column) or "")
        if not key:
            continue
        values = {field: (row.get(column) or "").strip() for field, column in columns.items()}
        values = {field: value for field, value in values.items() if value.lower() not in MISSING}
        if "published" in values:
            try:
                values["published"] = parse_date(values["published"][:10])
            except ValueError as exc:
                raise MetadataError(f"{path}:{line}: {columns['published']}: {exc}") from None
        table[key] = values
    return table


def article_key(cell: str) -> str:
    cell = cell.strip()
    path = Path(cell)
    return path.stem if path.suffix.lower() in TABLE_SUFFIXES else cell


def with_metadata(items: Iterable[Item], table: Metadata, published: str | None = None) -> Iterator[Item]:
    """The items with their table row's fields; `published` (from --published) still wins over the table."""
    for item in items:
        if isinstance(item, ArticleInput) and (row := table.get(item.stem) or table.get(item.article.id)):
            update = {**row, "published": published} if published else row
            yield ArticleInput(item.source, item.stem, item.text, item.article.model_copy(update=update))
        else:
            yield item
