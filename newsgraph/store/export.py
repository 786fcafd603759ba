"""Exporting the store as flat, typed tables (JSON Lines, CSV, Parquet) that load straight into pandas, R or DuckDB,
and its places as GeoJSON for a map (QGIS, Leaflet, geopandas).

A record's nested spans become prefixed columns (`speaker_start`, `speaker_text`, `speaker_name`), each actor
mention gets the corpus actor it is linked to beside it (`speaker_actor_id`, `speaker_actor_name`), and its
lists stay lists: Parquet list columns (of structs for lists of spans), JSON arrays in JSON Lines, and JSON text
in CSV, which has no lists. Dates are dates (Arrow `date32`) with a `date_precision`. The columns are derived
from the `newsgraph/1` models themselves: `newsgraph export --columns` prints them, docs/export.md lists them.

Nothing here needs a column of its own in the store: sentences come from the article text, corpus actors from
the entities and actors tables, dates from the records' TIMEX3 values.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Connection, Engine, select
from sqlalchemy.orm import aliased

from newsgraph.records import ActorRef, Amount, DateRef, Event, Place, Record, Statement, TextSpan
from newsgraph.store.query import Filters, PlaceSummary, newest, place_summaries, statement_conditions
from newsgraph.store.rows import key_of_place, sentence_bounds
from newsgraph.store.schema import actors, amounts, articles, dates, entities, events, places, statements
from newsgraph.timex import DatePrecision, timex_precision, timex_start

WHAT = ("articles", "statements", "events", "actors", "entities", "places", "dates", "amounts")
TABLE_FORMATS = ("jsonl", "csv", "parquet")
FORMATS = (*TABLE_FORMATS, "geojson")  # GeoJSON: the distinct places on a map (`--what places`)

ScalarType = Literal["string", "int", "float", "bool", "date", "timestamp"]


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export table. A list column says what its items are: a scalar type, or the fields of
    the record each item is (a Parquet struct; a JSON object)."""

    name: str
    type: ScalarType | Literal["list"]
    description: str
    items: ScalarType | tuple[ExportColumn, ...] | None = None

    @property
    def type_name(self) -> str:
        """As docs/export.md gives it: int, date, list<string>, list<struct<start: int, ...>>."""
        if self.type != "list":
            return self.type
        if isinstance(self.items, tuple):
            return "list<struct<" + ", ".join(f"{c.name}: {c.type_name}" for c in self.items) + ">>"
        return f"list<{self.items}>"


# --- flattening records ---------------------------------------------------------------------------------

# Entity id in an article (E1) -> the corpus actor it is linked to: (actors.id, actors.name).
CorpusActors = Mapping[str, tuple[int | None, str | None]]


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _scalar_type(annotation: Any) -> ScalarType:
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


def _corpus_actor_columns(prefix: str) -> list[ExportColumn]:
    return [ExportColumn(prefix + "actor_id", "int", "Corpus actor the entity is linked to (actors.id); empty "
                         "when it is not linked."),
            ExportColumn(prefix + "actor_name", "string", "That corpus actor's name (actors.name), which may be "
                         "fuller than the name in the article.")]


def record_columns(model: type[Record], prefix: str = "") -> list[ExportColumn]:
    """The flat columns of a record model: nested records prefixed, lists as list columns, and beside the
    `name` of every actor mention the corpus actor's id and name."""
    columns: list[ExportColumn] = []
    for name, info in model.model_fields.items():
        annotation = _unwrap_optional(info.annotation)
        described = info.description or ""
        if _is_record(annotation):
            columns += record_columns(annotation, f"{prefix}{name}_")
        elif get_origin(annotation) is list:
            item = get_args(annotation)[0]
            items = tuple(record_columns(item)) if _is_record(item) else _scalar_type(item)
            columns.append(ExportColumn(prefix + name, "list", described, items))
        else:
            columns.append(ExportColumn(prefix + name, _scalar_type(annotation), described))
        if name == "name" and issubclass(model, ActorRef):
            columns += _corpus_actor_columns(prefix)
    return columns


def flatten(record: BaseModel, prefix: str = "", corpus_actors: CorpusActors | None = None) -> dict[str, Any]:
    """A record as one flat row of `record_columns` (lists as Python lists, their records as flat dicts)."""
    row: dict[str, Any] = {}
    for name, info in type(record).model_fields.items():
        value = getattr(record, name)
        annotation = _unwrap_optional(info.annotation)
        if _is_record(annotation):
            if value is None:
                row.update(dict.fromkeys((c.name for c in record_columns(annotation, f"{prefix}{name}_")), None))
            else:
                row.update(flatten(value, f"{prefix}{name}_", corpus_actors))
        elif get_origin(annotation) is list:
            row[prefix + name] = [flatten(v, "", corpus_actors) if isinstance(v, BaseModel) else v for v in value]
        else:
            row[prefix + name] = value
        if name == "name" and isinstance(record, ActorRef):
            actor_id, actor_name = (corpus_actors or {}).get(record.id or "", (None, None))
            row.update({prefix + "actor_id": actor_id, prefix + "actor_name": actor_name})
    return row


def unflatten(model: type[Record], row: Mapping[str, Any], prefix: str = "") -> Any:
    """The record a flat row was made from (the inverse of `flatten`), from any format: list cells may be the
    lists themselves or, as CSV has them, JSON text."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = _unwrap_optional(info.annotation)
        if _is_record(annotation):
            sub = {c.name: row.get(c.name) for c in record_columns(annotation, f"{prefix}{name}_")}
            empty = all(v is None for v in sub.values())
            values[name] = None if empty else unflatten(annotation, row, f"{prefix}{name}_")
        elif get_origin(annotation) is list:
            cell = row.get(prefix + name) or []
            items = json.loads(cell) if isinstance(cell, str) else cell
            item = get_args(annotation)[0]
            values[name] = [unflatten(item, v) for v in items] if _is_record(item) else items
        else:
            values[info.alias or name] = row.get(prefix + name)
    return model.model_validate(values)


# --- dates and sentences -----------------------------------------------------------------------------------

def as_date(value: str | None) -> date | None:
    """A stored YYYY-MM-DD date as a date (None when there is none, or it is not a valid date)."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def as_timestamp(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def dated(value: str | None, published: date | None) -> tuple[date | None, DatePrecision | None]:
    """The day a record is placed on, and how precisely: the first day its TIMEX3 value covers; else the
    publication date, fuzzy when the text gives a date without a calendar position ("recently", "April 26"
    in an article without a year), day when it gives none."""
    start = timex_start(value) if value else None
    if start is not None:
        return start, timex_precision(value or "")
    if published is None:
        return None, None
    return published, "fuzzy" if value else "day"


def statement_sentence(text: str, statement: Statement) -> str:
    """The sentence a statement is in: from the start of the sentence where its speaker, cue or content
    begins to the end of the one where the last of them ends (a long quote spans several)."""
    spans = [s for s in (statement.speaker, statement.cue, statement.content) if s is not None]
    first, last = min(s.start for s in spans), max(s.end for s in spans)
    return text[sentence_bounds(text, first)[0]:sentence_bounds(text, max(last - 1, first))[1]].rstrip()


# --- tables ------------------------------------------------------------------------------------------

def _c(name: str, type_: ScalarType | Literal["list"], description: str,
       items: ScalarType | None = None) -> ExportColumn:
    return ExportColumn(name, type_, description, items)


ARTICLE = _c("article", "string", "Id of the article the record comes from (articles.id).")
PUBLISHED = _c("published", "date", "The article's publication date.")
PRECISION = _c("date_precision", "string", "How precisely `day` places it: day; month or year (`day` is its "
               "first day); fuzzy: a week, quarter, season, decade or a date without a calendar position "
               "('recently', 'April 26' without a year), `day` then its first day or the publication date.")


def _day(what: str) -> ExportColumn:
    return _c("day", "date", f"{what} date (the first day of its TIMEX3 value), else the publication date.")


COLUMNS: dict[str, list[ExportColumn]] = {
    "articles": [
        _c("id", "string", "Article id, as given at ingest or derived from the file name or URL."),
        _c("title", "string", ""), PUBLISHED, _c("publisher", "string", ""), _c("author", "string", ""),
        _c("url", "string", ""), _c("licence", "string", ""), _c("credit", "string", ""),
        _c("source", "string", "Where it was ingested from: a path, path:line or a URL."),
        _c("duplicate_of", "string", "Id of the article this one repeats (a near-duplicate), else empty."),
        _c("similarity", "float", "Estimated Jaccard similarity to that article."),
        _c("ingested_at", "timestamp", "UTC time of ingest."),
        _c("text", "string", "The article text; every offset in the other tables points into it."),
    ],
    "statements": [ARTICLE, PUBLISHED, _day("Utterance"), PRECISION, *record_columns(Statement),
                   _c("sentence", "string", "The sentence the statement is in (from the start of the sentence "
                      "where its speaker, cue or content begins to the end of the one where they end).")],
    "events": [ARTICLE, PUBLISHED, _day("Event"), PRECISION, *record_columns(Event),
               _c("location_key", "string", "The gazetteer entry of the location (as `place_key` of places)."),
               _c("sentence", "string", "The sentence of the event's trigger.")],
    "actors": [
        _c("id", "int", "Corpus actor id."), _c("name", "string", "Best name seen."),
        _c("type", "string", "PERSON, ORG, GPE or NORP."),
        _c("article_count", "int", "Articles it appears in."),
        _c("titles", "list", "Titles and roles seen.", "string"),
        _c("aliases", "list", "The normalised names it was seen under.", "string"),
        _c("countries", "list", "ISO 3166 codes associated with it.", "string"),
        _c("outside_id", "string", "Its id elsewhere (a Wikidata QID, an ICEWS id) from the actor dictionary."),
        _c("country", "string", "ISO 3166 alpha-3 country from the actor dictionary."),
        _c("sector", "string", "Sector from the actor dictionary."),
        _c("origin", "string", "linked (made by linking articles' entities) or dictionary (`actors import`)."),
    ],
    "entities": [
        ARTICLE, _c("entity", "string", "The entity's id in its article (E1, E2, ...)."),
        _c("name", "string", "Its name in the article."), _c("type", "string", ""),
        *_corpus_actor_columns(""),
        _c("link_rule", "string", "Why it was linked: same-name, surname, title, new, manual-unlink, ..."),
        _c("link_evidence", "string", "The evidence for the link, in words."),
        _c("link_confidence", "float", "How likely the link is right (0-1; 1 for a hand edit)."),
        _c("titles", "list", "Titles and roles seen in the article.", "string"),
        ExportColumn("mentions", "list", "Its mentions in the article.", tuple(record_columns(TextSpan))),
    ],
    "places": [ARTICLE, PUBLISHED, *record_columns(Place),
               _c("place_key", "string", "The gazetteer entry it resolves to: `geonames:ID`, else "
                  "`place:COUNTRY:FEATURE:NAME`; homonyms (Paris, France and Paris, Texas) have their own. The "
                  "`key` of its Feature in places.geojson.")],
    "dates": [ARTICLE, PUBLISHED, *record_columns(DateRef),
              _c("day", "date", "The first day the value covers; empty when it has no calendar position "
                 "(PRESENT_REF, XXXX-04-26)."),
              _c("date_precision", "string", "How precisely the value places a date: day, month, year or fuzzy "
                 "(a week, quarter, season, decade, a reference such as PAST_REF, a partly unknown date).")],
    "amounts": [ARTICLE, PUBLISHED, *record_columns(Amount)],
}

RECORD_TABLES: dict[str, tuple[Any, type[Record]]] = {
    "statements": (statements, Statement), "events": (events, Event), "places": (places, Place),
    "dates": (dates, DateRef), "amounts": (amounts, Amount),
}


def rows(engine: Engine, what: str, batch: int = 1000, filters: Filters | None = None,
         limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one export table, typed (dates as dates, lists as lists), streamed. Records come article by
    article; statements matching `filters` (as `newsgraph search` has them) come newest first."""
    if what not in COLUMNS:
        raise ValueError(f"cannot export {what!r}; choose one of {', '.join(WHAT)}")
    with engine.connect() as conn:
        if what in RECORD_TABLES:
            yield from _record_rows(conn, what, batch, filters, limit)
        elif what == "articles":
            yield from _article_rows(conn, batch)
        elif what == "actors":
            listed = select(actors).where(actors.c.merged_into.is_(None)).order_by(actors.c.id)
            for r in conn.execution_options(yield_per=batch).execute(listed):  # (merged actors are their KEEP)
                profile = json.loads(r.profile)
                yield {"id": r.id, "name": r.name, "type": r.type, "article_count": r.article_count,
                       "titles": profile["titles"], "aliases": profile["aliases"], "countries": profile["countries"],
                       "outside_id": r.outside_id, "country": r.country, "sector": r.sector, "origin": r.origin}
        else:
            yield from _entity_rows(conn, batch)


def _article_rows(conn: Connection, batch: int) -> Iterator[dict[str, Any]]:
    original = aliased(articles)
    query = (select(articles, original.c.key.label("original_key"))
             .outerjoin(original, original.c.id == articles.c.duplicate_of).order_by(articles.c.id))
    for r in conn.execution_options(yield_per=batch).execute(query):
        yield {"id": r.key, "title": r.title, "published": as_date(r.published), "publisher": r.publisher,
               "author": r.author, "url": r.url, "licence": r.licence, "credit": r.credit, "source": r.source,
               "duplicate_of": r.original_key, "similarity": r.similarity,
               "ingested_at": as_timestamp(r.ingested_at), "text": r.text}


def _entity_rows(conn: Connection, batch: int) -> Iterator[dict[str, Any]]:
    query = (select(entities, articles.c.key, actors.c.name.label("actor_name"))
             .join(articles, articles.c.id == entities.c.article_id)
             .outerjoin(actors, actors.c.id == entities.c.actor_id).order_by(entities.c.id))
    for r in conn.execution_options(yield_per=batch).execute(query):
        data = json.loads(r.data)
        yield {"article": r.key, "entity": r.local_id, "name": r.name, "type": r.type, "actor_id": r.actor_id,
               "actor_name": r.actor_name, "link_rule": r.link_rule, "link_evidence": r.link_evidence,
               "link_confidence": r.link_confidence,
               "titles": data.get("titles", []), "mentions": data["mentions"]}


@dataclass
class ArticleContext:
    """What a record's row needs from its article beyond the record: the text (for sentences) and the corpus
    actor of each of its entities."""

    text: str
    corpus_actors: dict[str, tuple[int | None, str | None]]


class ArticleContexts:
    """The contexts of the articles of a batch of records, read in one or two queries a batch."""

    KEEP = 2000  # articles remembered between batches (records mostly come article by article)

    def __init__(self, conn: Connection, with_text: bool, with_actors: bool) -> None:
        self.conn, self.with_text, self.with_actors = conn, with_text, with_actors
        self.known: dict[int, ArticleContext] = {}

    def load(self, article_ids: set[int]) -> dict[int, ArticleContext]:
        if len(self.known) > self.KEEP:
            self.known = {i: c for i, c in self.known.items() if i in article_ids}
        missing = article_ids - self.known.keys()
        texts: dict[int, str] = {}
        linked: dict[int, dict[str, tuple[int | None, str | None]]] = {i: {} for i in missing}
        if missing and self.with_text:
            query = select(articles.c.id, articles.c.text).where(articles.c.id.in_(missing))
            texts = {r.id: r.text for r in self.conn.execute(query)}
        if missing and self.with_actors:
            query = (select(entities.c.article_id, entities.c.local_id, entities.c.actor_id, actors.c.name)
                     .outerjoin(actors, actors.c.id == entities.c.actor_id).where(entities.c.article_id.in_(missing)))
            for r in self.conn.execute(query):
                linked[r.article_id][r.local_id] = (r.actor_id, r.name)
        self.known.update({i: ArticleContext(texts.get(i, ""), linked[i]) for i in missing})
        return self.known


def _record_rows(conn: Connection, what: str, batch: int, filters: Filters | None,
                 limit: int | None) -> Iterator[dict[str, Any]]:
    table, model = RECORD_TABLES[what]
    query = (select(table.c.article_id, table.c.data, articles.c.key, articles.c.published)
             .join(articles, articles.c.id == table.c.article_id))
    if what == "events":
        query = query.add_columns(events.c.sentence)
    conditions: list[ColumnElement[bool]] = []
    if filters is not None:
        if what != "statements":
            raise ValueError("only statements can be exported with filters")
        conditions = statement_conditions(conn, filters)
    order = newest(statements, False) if filters is not None else (table.c.article_id, table.c.id)
    query = query.where(*conditions).order_by(*order).limit(limit)
    contexts = ArticleContexts(conn, with_text=what == "statements", with_actors=what in ("statements", "events"))
    for chunk in conn.execution_options(yield_per=batch).execute(query).partitions(batch):
        known = contexts.load({r.article_id for r in chunk})
        for r in chunk:
            yield _record_row(what, model.model_validate_json(r.data), r, known[r.article_id])


def _record_row(what: str, record: Any, r: Any, context: ArticleContext) -> dict[str, Any]:
    return record_row(what, record, r.key, as_date(r.published), context,
                      r.sentence if what == "events" else None)


def record_row(what: str, record: Any, key: str, published: date | None, context: ArticleContext,
               event_sentence: str | None = None) -> dict[str, Any]:
    """One row of a record table (statements, events, places, dates, amounts) from the record and its article;
    an event's sentence as the store keeps it, else taken from the text as the store takes it (`newsgraph batch`
    writes these rows without a store)."""
    row: dict[str, Any] = {"article": key, "published": published}
    if what in ("statements", "events"):
        row["day"], row["date_precision"] = dated(record.date.value if record.date else None, published)
    row.update(flatten(record, corpus_actors=context.corpus_actors))
    if what == "statements":
        row["sentence"] = statement_sentence(context.text, record)
    elif what == "events":
        row["location_key"] = key_of_place(record.location) if record.location else None
        if event_sentence is None:
            event_sentence = context.text[slice(*sentence_bounds(context.text, record.trigger.start))]
        row["sentence"] = event_sentence.rstrip()  # (stored with the line break that ends a paragraph)
    elif what == "dates":
        row["day"], row["date_precision"] = dated(record.value, None)
    elif what == "places":
        row["place_key"] = key_of_place(record)
    return row


# --- cells of each format ------------------------------------------------------------------------------

# A cell a spreadsheet would read as a formula (OWASP, "CSV Injection"; ASVS 1.2.10 adds NUL).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def _iso(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_line(row: Mapping[str, Any], names: list[str]) -> str:
    """One row as a JSON object of these columns: lists as arrays, dates as YYYY-MM-DD."""
    return json.dumps({n: row.get(n) for n in names}, ensure_ascii=False, default=_iso)


def spreadsheet_cell(value: Any) -> Any:
    """A value as a CSV cell that a spreadsheet opens as data, never as a formula: text beginning with one of
    FORMULA_STARTS (after any quote marks) gets one more ' in front, the way spreadsheets mark text, so taking
    one ' off such a cell gives the text back. Numbers stay numbers; lists become JSON; dates ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, default=_iso)  # "[...]": never a formula
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def csv_row(row: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    """One row as the cells of `csv.DictWriter` (`newsgraph export --format csv` and /statements.csv)."""
    return {n: spreadsheet_cell(row.get(n)) for n in names}


# --- writers -----------------------------------------------------------------------------------------

def export(engine: Engine, what: str, fmt: str, output: Path | None) -> int:
    """Write one table in one format to a file (or stdout for jsonl/csv/geojson); return the rows written (for
    GeoJSON the places on the map). A file appears whole or not at all: it is written beside its name and renamed
    when done."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if what not in COLUMNS:
        raise ValueError(f"cannot export {what!r}; choose one of {', '.join(WHAT)}")
    if fmt == "geojson":
        if what != "places":
            raise ValueError("geojson holds the places (one Feature a place): use --what places")
        return export_geojson(engine, output).places
    if output is None:
        if fmt == "parquet":
            raise ValueError("parquet is binary: give --output FILE.parquet")
        return _write_text(engine, what, fmt, sys.stdout)
    return _written_whole(output, lambda path: _write_file(engine, what, fmt, path))


Written = TypeVar("Written")


def _written_whole(output: Path, write: Callable[[Path], Written]) -> Written:
    """`write(path)` to a file beside `output`, renamed to it when done, so that the file appears whole or not at
    all; what `write` returns."""
    if output.exists() and not output.is_file():  # /dev/stdout, a named pipe: written as it is
        return write(output)
    partial = output.with_name(output.name + ".partial")
    try:
        result = write(partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return result


def _write_file(engine: Engine, what: str, fmt: str, path: Path) -> int:
    if fmt == "parquet":
        return _write_parquet(engine, what, path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        return _write_text(engine, what, fmt, fh)


@dataclass(frozen=True)
class AllExported:
    tables: dict[str, int]  # rows written of each table
    map: MapExport  # places.geojson


def export_all(engine: Engine, folder: Path, fmt: str = "parquet") -> AllExported:
    """Write every table into `folder` (made if missing) as TABLE.FORMAT, and the places on a map as
    places.geojson; the rows written of each table, and the places in places.geojson."""
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"cannot write every table as {fmt!r}; choose one of {', '.join(TABLE_FORMATS)} "
                         "(places.geojson comes with each)")
    folder.mkdir(parents=True, exist_ok=True)
    tables = {what: export(engine, what, fmt, folder / f"{what}.{fmt}") for what in WHAT}
    return AllExported(tables, export_geojson(engine, folder / "places.geojson"))


# --- places on a map: GeoJSON (RFC 7946) ------------------------------------------------------------------

GEOJSON_PROPERTIES = [
    _c("key", "string", "The gazetteer entry: `geonames:ID`, else `place:COUNTRY:FEATURE:NAME` (also the "
       "Feature's `id`, and `place_key` of the places table)."),
    _c("label", "string", "Name, first-level unit, country code and feature, which tell homonyms apart: "
       "Paris, Texas, US (city); Georgia (country)."),
    _c("name", "string", "Gazetteer name (homonyms share it)."),
    _c("country", "string", "ISO 3166-1 alpha-2 code of the country it lies in."),
    _c("admin1", "string", "Gazetteer name of the first-level unit (state, province) it lies in, when known."),
    _c("feature", "string", "country, admin1, city, facility, landmark, water, region or continent."),
    _c("geonames_id", "int", "GeoNames id, when the entry comes from GeoNames."),
    _c("mentions", "int", "How often the corpus names it (each story once, as in every count below)."),
    _c("articles", "int", "In how many articles."),
    _c("events", "int", "How many events are located there."),
]


@dataclass(frozen=True)
class MapExport:
    places: int  # written, one Feature each
    unlocated: int  # left out: the gazetteer entry has no coordinates


def place_feature(place: PlaceSummary) -> dict[str, Any]:
    """One place as a GeoJSON Feature: a Point at the entry's own coordinates, longitude first (RFC 7946, 3.1.1)."""
    assert place.lat is not None and place.lon is not None  # (places without coordinates are left out)
    return {"type": "Feature", "id": place.key,
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": {"key": place.key, "label": place.label, "name": place.name, "country": place.country,
                           "admin1": place.admin1, "feature": place.feature, "geonames_id": place.geonames_id,
                           "mentions": place.mentions, "articles": place.articles, "events": place.events}}


def write_geojson(engine: Engine, fh: IO[str]) -> MapExport:
    """The places, one per gazetteer entry and most named first, as a GeoJSON FeatureCollection of Points, written
    a Feature a line; places without coordinates are left out (and counted)."""
    written = unlocated = 0
    fh.write('{"type": "FeatureCollection", "features": [')
    with engine.connect() as conn:
        for place in place_summaries(conn):
            if place.lat is None or place.lon is None:
                unlocated += 1
                continue
            fh.write(",\n" if written else "\n")
            fh.write(json.dumps(place_feature(place), ensure_ascii=False))
            written += 1
    fh.write("\n]}\n")
    return MapExport(written, unlocated)


def export_geojson(engine: Engine, output: Path | None) -> MapExport:
    """`write_geojson` to a file (appearing whole or not at all), or to stdout."""
    if output is None:
        return write_geojson(engine, sys.stdout)

    def write(path: Path) -> MapExport:
        with path.open("w", encoding="utf-8") as fh:
            return write_geojson(engine, fh)

    return _written_whole(output, write)


def _write_text(engine: Engine, what: str, fmt: str, fh: IO[str]) -> int:
    names = [c.name for c in COLUMNS[what]]
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(fh, fieldnames=names, extrasaction="raise")
        writer.writeheader()
        for row in rows(engine, what):
            writer.writerow(csv_row(row, names))
            count += 1
    else:
        for row in rows(engine, what):
            fh.write(json_line(row, names) + "\n")
            count += 1
    return count


def arrow_schema(what: str) -> Any:
    """The Parquet schema of a table (a `pyarrow.Schema`): dates date32, lists list<...>, floats float64."""
    import pyarrow as pa

    scalars = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
               "date": pa.date32(), "timestamp": pa.timestamp("ms", tz="UTC")}

    def arrow_type(c: ExportColumn) -> Any:
        if c.type != "list":
            return scalars[c.type]
        if isinstance(c.items, tuple):
            return pa.list_(pa.struct([(f.name, arrow_type(f)) for f in c.items]))
        return pa.list_(scalars[c.items or "string"])

    return pa.schema([(c.name, arrow_type(c)) for c in COLUMNS[what]])


def _write_parquet(engine: Engine, what: str, output: Path, batch: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(what)
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
        lines += [f"| `{c.name}` | {c.type_name} | {c.description.replace('|', '/')} |" for c in columns]
        lines.append("")
    lines += ["## places.geojson", "",
              "`--format geojson` (and `--all`): a GeoJSON FeatureCollection (RFC 7946) of the places, one Feature",
              "per gazetteer entry, most named first, with the entry's key as its `id`. Its geometry is a Point at the",
              "entry's coordinates, `[lon, lat]` (longitude first); places without coordinates are left out (the",
              "command says how many). Its properties:", "",
              "| property | type | meaning |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.type_name} | {c.description.replace('|', '/')} |" for c in GEOJSON_PROPERTIES]
    lines.append("")
    return "\n".join(lines)
