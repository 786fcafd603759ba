"""The record tables of a batch: an analysed article as the rows `newsgraph export` gives for it, and back.

The columns and their Arrow types are the export's (`newsgraph.store.export.COLUMNS`, `arrow_schema`), so a batch
output and an export of the store read alike. What only a store knows is empty here and filled in by `newsgraph
load`: the corpus actor of an entity (`actor_id`, `actor_name`, `link_*`), the story an article repeats
(`duplicate_of`, `similarity`), and `ingested_at`. `document_of` rebuilds the `Document` from its rows, which is how
`load` reuses the store's write path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from newsgraph.records import Amount, Article, DateRef, Document, Entity, Event, Place, Statement, TextSpan
from newsgraph.store.export import ArticleContext, arrow_schema, as_date, record_row, unflatten

RECORD_KINDS: dict[str, type[Any]] = {"statements": Statement, "events": Event, "places": Place, "dates": DateRef,
                                      "amounts": Amount}
KINDS = ("articles", "statements", "events", "entities", "places", "dates", "amounts", "failures")
UNKNOWN_MONTH = "unknown"  # the partition of articles without a publication date
PARTITION = "published_month"


def failure_schema() -> pa.Schema:
    return pa.schema([("source", pa.string()), ("article", pa.string()), ("published", pa.date32()),
                      ("message", pa.string()), ("kind", pa.string())])


def schema(kind: str) -> pa.Schema:
    """The Arrow schema of one kind's table (the export's, and for failures their own)."""
    return failure_schema() if kind == "failures" else arrow_schema(kind)


def month_of(published: str | date | None) -> str:
    """The partition an article's rows go to: its publication month, YYYY-MM."""
    day = as_date(published) if isinstance(published, str) else published
    return day.isoformat()[:7] if day else UNKNOWN_MONTH


def article_row(doc: Document, source: str) -> dict[str, Any]:
    a = doc.article
    return {"id": a.id, "title": a.title, "published": as_date(a.published), "publisher": a.publisher,
            "author": a.author, "url": a.url, "licence": a.licence, "credit": a.credit, "source": source,
            "duplicate_of": None, "similarity": None, "ingested_at": None, "text": doc.text}


def entity_row(key: str, entity: Entity) -> dict[str, Any]:
    return {"article": key, "entity": entity.id, "name": entity.name, "type": entity.type, "actor_id": None,
            "actor_name": None, "link_rule": None, "link_evidence": None, "link_confidence": None,
            "titles": entity.titles, "mentions": [m.model_dump() for m in entity.mentions]}


def document_rows(doc: Document, source: str) -> dict[str, list[dict[str, Any]]]:
    """The rows of each kind for one analysed article, in the order the store keeps its records."""
    key, published = doc.article.id, as_date(doc.article.published)
    context = ArticleContext(doc.text, {})
    rows: dict[str, list[dict[str, Any]]] = {"articles": [article_row(doc, source)],
                                             "entities": [entity_row(key, e) for e in doc.entities]}
    for kind in RECORD_KINDS:
        rows[kind] = [record_row(kind, record, key, published, context) for record in getattr(doc, kind)]
    return rows


def failure_row(source: str, message: str, kind: str | None, article: Article | None) -> dict[str, Any]:
    return {"source": source, "article": article.id if article else None,
            "published": as_date(article.published) if article else None, "message": message, "kind": kind}


def document_of(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> Document:
    """The Document one article's rows were made from (the inverse of `document_rows`)."""
    (article,) = rows["articles"]
    published = article["published"]
    meta = Article(id=article["id"], title=article["title"],
                   published=published.isoformat() if isinstance(published, date) else published,
                   publisher=article["publisher"], author=article["author"], url=article["url"],
                   licence=article["licence"], credit=article["credit"])
    entities = [Entity(id=r["entity"], name=r["name"], type=r["type"], titles=list(r["titles"] or []),
                       mentions=[TextSpan(**m) for m in r["mentions"] or []]) for r in rows.get("entities", [])]
    records = {kind: [unflatten(model, r) for r in rows.get(kind, [])] for kind, model in RECORD_KINDS.items()}
    return Document(text=article["text"], article=meta, entities=entities, **records)


def table_of(kind: str, rows: list[dict[str, Any]], months: list[str]) -> pa.Table:
    """The rows of one kind as a table, with the partition each row goes to as a last column."""
    table = pa.Table.from_pylist(rows, schema=schema(kind))
    return table.append_column(PARTITION, pa.array(months, pa.string()))


def to_ipc(table: pa.Table) -> bytes:
    """A table as bytes (Arrow's IPC stream), to pass between processes without converting its rows."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()
