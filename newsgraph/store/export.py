"""Exporting the store as flat tables (JSON Lines, CSV, Parquet) that load straight into pandas, R or DuckDB.

A record's nested spans become prefixed columns (`speaker_start`, `speaker_text`, `speaker_name`, ...)
and its lists become JSON strings, so every format has the same columns, derived from the
`newsgraph/1` models themselves: `newsgraph export --columns` prints them, docs/export.md lists them.
"""

from __future__ import annotations

import csv
import json
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, get_args, get_origin

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from newsgraph.records import Amount, DateRef, Event, Place, Record, Statement
from newsgraph.store.schema import actors, amounts, articles, dates, entities, event_actors, events, places, statements

WHAT = ("articles", "statements", "events", "actors", "entities", "places", "dates", "amounts")
FORMATS = ("jsonl", "csv", "parquet")


@dataclass(frozen=True)
class ExportColumn:
    name: str
    type: Literal["string", "int", "float", "bool"]
    description: str


# --- flattening records ---------------------------------------------------------------------------------

def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _scalar_type(annotation: Any) -> Literal["string", "int", "float", "bool"]:
    annotation = _unwrap_optional(annotation)
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    return "string"


def _is_record(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def record_columns(model: type[Record], prefix: str = "") -> list[ExportColumn]:
    """The flat columns of a record model: nested records prefixed, lists as JSON strings."""
    columns: list[ExportColumn] = []
    for name, info in model.model_fields.items():
        annotation = _unwrap_optional(info.annotation)
        described = info.description or ""
        if _is_record(annotation):
            columns += record_columns(annotation, f"{prefix}{name}_")
        elif get_origin(annotation) is list:
            columns.append(ExportColumn(prefix + name, "string", ("JSON list. " + described).strip()))
        else:
            columns.append(ExportColumn(prefix + name, _scalar_type(annotation), described))
    return columns


def flatten(record: BaseModel, prefix: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, info in type(record).model_fields.items():
        value = getattr(record, name)
        annotation = _unwrap_optional(info.annotation)
        if _is_record(annotation):
            if value is None:
                row.update(dict.fromkeys((c.name for c in record_columns(annotation, f"{prefix}{name}_")), None))
            else:
                row.update(flatten(value, f"{prefix}{name}_"))
        elif get_origin(annotation) is list:
            row[prefix + name] = json.dumps([v.model_dump(mode="json") if isinstance(v, BaseModel) else v
                                             for v in value], ensure_ascii=False)
        else:
            row[prefix + name] = value
    return row


def unflatten(model: type[Record], row: dict[str, Any], prefix: str = "") -> Any:
    """The record a flat row was made from (the inverse of `flatten`)."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = _unwrap_optional(info.annotation)
        if _is_record(annotation):
            sub = {c.name: row.get(c.name) for c in record_columns(annotation, f"{prefix}{name}_")}
            empty = all(v is None for v in sub.values())
            values[name] = None if empty else unflatten(annotation, row, f"{prefix}{name}_")
        elif get_origin(annotation) is list:
            values[name] = json.loads(row[prefix + name] or "[]")
        else:
            values[info.alias or name] = row.get(prefix + name)
    return model.model_validate(values)


# --- tables ------------------------------------------------------------------------------------------

def _c(name: str, type_: Literal["string", "int", "float", "bool"], description: str) -> ExportColumn:
    return ExportColumn(name, type_, description)


ARTICLE = _c("article", "string", "Id of the article the record comes from (articles.id).")
PUBLISHED = _c("published", "string", "The article's publication date, YYYY-MM-DD.")

COLUMNS: dict[str, list[ExportColumn]] = {
    "articles": [
        _c("id", "string", "Article id, as given at ingest or derived from the file name or URL."),
        _c("title", "string", ""), PUBLISHED, _c("publisher", "string", ""), _c("author", "string", ""),
        _c("url", "string", ""), _c("licence", "string", ""), _c("credit", "string", ""),
        _c("source", "string", "Where it was ingested from: a path, path:line or a URL."),
        _c("duplicate_of", "string", "Id of the article this one repeats (a near-duplicate), else empty."),
        _c("similarity", "float", "Estimated Jaccard similarity to that article."),
        _c("ingested_at", "string", "UTC time of ingest."),
        _c("text", "string", "The article text; every offset in the other tables points into it."),
    ],
    "statements": [ARTICLE, PUBLISHED, _c("day", "string", "Utterance date, else the publication date."),
                   _c("speaker_actor", "int", "Corpus actor id of the speaker (actors.id)."),
                   _c("addressee_actor", "int", "Corpus actor id of the addressee."),
                   *record_columns(Statement)],
    "events": [ARTICLE, PUBLISHED, _c("day", "string", "Event date, else the publication date."),
               _c("actor_ids", "string", "JSON list of the corpus actor ids of the actors."),
               _c("recipient_ids", "string", "JSON list of the corpus actor ids of the recipients."),
               *record_columns(Event)],
    "actors": [
        _c("id", "int", "Corpus actor id."), _c("name", "string", "Best name seen."),
        _c("type", "string", "PERSON, ORG, GPE or NORP."),
        _c("article_count", "int", "Articles it appears in."),
        _c("titles", "string", "JSON list of titles and roles seen."),
        _c("aliases", "string", "JSON list of the normalised names it was seen under."),
        _c("countries", "string", "JSON list of ISO 3166 codes associated with it."),
    ],
    "entities": [
        ARTICLE, _c("entity", "string", "The entity's id in its article (E1, E2, ...)."),
        _c("name", "string", ""), _c("type", "string", ""),
        _c("actor", "int", "Corpus actor id it is linked to (empty for groups such as 'officials')."),
        _c("link_rule", "string", "Why it was linked: same-name, surname, title, new, manual-unlink, ..."),
        _c("link_evidence", "string", "The evidence for the link, in words."),
        _c("mentions", "string", "JSON list of its mentions (start, end, text)."),
    ],
    "places": [ARTICLE, PUBLISHED, *record_columns(Place)],
    "dates": [ARTICLE, PUBLISHED, *record_columns(DateRef)],
    "amounts": [ARTICLE, PUBLISHED, *record_columns(Amount)],
}

RECORD_TABLES: dict[str, tuple[Any, type[Record]]] = {
    "statements": (statements, Statement), "events": (events, Event), "places": (places, Place),
    "dates": (dates, DateRef), "amounts": (amounts, Amount),
}


def rows(engine: Engine, what: str, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """The rows of one export table, streamed."""
    with engine.connect() as conn:
        if what in RECORD_TABLES:
            yield from _record_rows(conn, what, batch)
        elif what == "articles":
            original = aliased(articles)
            query = (select(articles, original.c.key.label("original_key"))
                     .outerjoin(original, original.c.id == articles.c.duplicate_of).order_by(articles.c.id))
            for r in conn.execution_options(yield_per=batch).execute(query):
                yield {"id": r.key, "title": r.title, "published": r.published, "publisher": r.publisher,
                       "author": r.author, "url": r.url, "licence": r.licence, "credit": r.credit,
                       "source": r.source, "duplicate_of": r.original_key, "similarity": r.similarity,
                       "ingested_at": r.ingested_at, "text": r.text}
        elif what == "actors":
            for r in conn.execution_options(yield_per=batch).execute(select(actors).order_by(actors.c.id)):
                profile = json.loads(r.profile)
                yield {"id": r.id, "name": r.name, "type": r.type, "article_count": r.article_count,
                       "titles": json.dumps(profile["titles"], ensure_ascii=False),
                       "aliases": json.dumps(profile["aliases"], ensure_ascii=False),
                       "countries": json.dumps(profile["countries"])}
        elif what == "entities":
            query = (select(entities, articles.c.key).join(articles, articles.c.id == entities.c.article_id)
                     .order_by(entities.c.id))
            for r in conn.execution_options(yield_per=batch).execute(query):
                data = json.loads(r.data)
                yield {"article": r.key, "entity": r.local_id, "name": r.name, "type": r.type, "actor": r.actor_id,
                       "link_rule": r.link_rule, "link_evidence": r.link_evidence,
                       "mentions": json.dumps(data["mentions"], ensure_ascii=False)}
        else:
            raise ValueError(f"cannot export {what!r}; choose one of {', '.join(WHAT)}")


def _record_rows(conn: Any, what: str, batch: int) -> Iterator[dict[str, Any]]:
    table, model = RECORD_TABLES[what]
    speaker, addressee = aliased(entities), aliased(entities)
    columns = [table.c.id, table.c.data, articles.c.key, articles.c.published]
    query = select(*columns).join(articles, articles.c.id == table.c.article_id)
    if what == "statements":
        query = (query.add_columns(table.c.day, speaker.c.actor_id.label("speaker_actor"),
                                   addressee.c.actor_id.label("addressee_actor"))
                 .outerjoin(speaker, speaker.c.id == table.c.speaker_entity)
                 .outerjoin(addressee, addressee.c.id == table.c.addressee_entity))
    elif what == "events":
        query = query.add_columns(table.c.day)
    for r in conn.execution_options(yield_per=batch).execute(query.order_by(table.c.id)):
        row: dict[str, Any] = {"article": r.key, "published": r.published}
        if what == "statements":
            row.update(day=r.day, speaker_actor=r.speaker_actor, addressee_actor=r.addressee_actor)
        elif what == "events":
            row.update(day=r.day, **_event_actor_ids(conn, r.id))
        row.update(flatten(model.model_validate_json(r.data)))
        yield row


def _event_actor_ids(conn: Any, event_id: int) -> dict[str, str]:
    found = conn.execute(select(event_actors.c.role, entities.c.actor_id)
                         .join(entities, entities.c.id == event_actors.c.entity_id)
                         .where(event_actors.c.event_id == event_id)).all()
    return {"actor_ids": json.dumps([a for role, a in found if role == "actor" and a is not None]),
            "recipient_ids": json.dumps([a for role, a in found if role == "recipient" and a is not None])}


# --- writers -----------------------------------------------------------------------------------------

def export(engine: Engine, what: str, fmt: str, output: Path | None) -> int:
    """Write one table in one format to a file (or stdout for jsonl/csv); return the rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if what not in COLUMNS:
        raise ValueError(f"cannot export {what!r}; choose one of {', '.join(WHAT)}")
    names = [c.name for c in COLUMNS[what]]
    if fmt == "parquet":
        if output is None:
            raise ValueError("parquet is binary: give --output FILE.parquet")
        return _write_parquet(engine, what, output)
    with _open_output(output) as fh:
        if fmt == "csv":
            writer = csv.DictWriter(fh, fieldnames=names, extrasaction="raise")
            writer.writeheader()
        count = 0
        for row in rows(engine, what):
            if fmt == "csv":
                writer.writerow(row)
            else:
                fh.write(json.dumps({n: row.get(n) for n in names}, ensure_ascii=False) + "\n")
            count += 1
    return count


class _open_output:
    def __init__(self, output: Path | None) -> None:
        self.output = output
        self.fh: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        self.fh = self.output.open("w", encoding="utf-8", newline="") if self.output else sys.stdout
        return self.fh

    def __exit__(self, *exc: object) -> None:
        if self.output and self.fh:
            self.fh.close()


def _write_parquet(engine: Engine, what: str, output: Path, batch: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_types = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(c.name, arrow_types[c.type]) for c in COLUMNS[what]])
    count = 0
    with pq.ParquetWriter(str(output), schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows(engine, what):
            chunk.append(row)
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                count, chunk = count + len(chunk), []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count


def columns_markdown() -> str:
    """The column list of every export table, as Markdown (docs/export.md is made from this)."""
    lines: list[str] = []
    for what, columns in COLUMNS.items():
        lines += [f"## {what}", "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.description.replace('|', '/')} |" for c in columns]
        lines.append("")
    return "\n".join(lines)
