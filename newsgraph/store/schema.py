"""The store's tables, one schema for SQLite and PostgreSQL, and the versioned migrations that create them.

Every record table keeps the record's full `newsgraph/1` JSON in `data`, so reading back loses nothing,
beside the few columns that queries filter and join on. Full-text search is the one part that differs
by back end: SQLite gets FTS5 tables kept in step by the writer, PostgreSQL a stored `tsvector`
column with a GIN index.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    inspect,
    select,
    text,
    true,
)

from newsgraph.store.rows import place_key

metadata = MetaData()

# Row ids are `Integer` columns: 32-bit on PostgreSQL (64-bit on SQLite, whose ids count up from 1 all the same),
# so no stored id is larger. A larger one sent to PostgreSQL is an "integer out of range" error, not no row.
MAX_ROW_ID = 2**31 - 1

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(300), nullable=False, unique=True),  # the newsgraph/1 Article.id
    Column("url", String(2000), unique=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("published", String(10), index=True),
    Column("publisher", Text),
    Column("author", Text),
    Column("licence", Text),
    Column("credit", Text),
    Column("source", Text),  # where it was read from: a path, "file:line", a URL
    Column("text", Text, nullable=False),
    Column("minhash", LargeBinary),
    # A near-duplicate (the same wire report from another outlet, another version of an article) is a version
    # of a story and points at the story's main version, its longest text; queries across the corpus count the
    # records of main versions only, so nothing is counted twice.
    Column("duplicate_of", Integer, ForeignKey("articles.id"), index=True),
    Column("similarity", Float),  # estimated Jaccard similarity to duplicate_of
    # False for a near-duplicate that schema version 2 stored without records of its own (writing its text
    # again gives it its records).
    Column("has_records", Boolean, nullable=False, server_default=true()),
    Column("ingested_at", String(32), nullable=False),
)

article_bands = Table(
    "article_bands", metadata,
    Column("band", String(40), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Index("ix_article_bands_band", "band"),
)

actors = Table(
    "actors", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("profile", Text, nullable=False),  # JSON: aliases, titles, countries, co-occurring names
    Column("article_count", Integer, nullable=False, default=0),
    # Set when an analyst merged this actor into another (`newsgraph merge`): its entities point at that one.
    Column("merged_into", Integer, ForeignKey("actors.id"), index=True),
    # From an analyst's actor dictionary (`newsgraph actors import`): an outside id (a Wikidata QID, an ICEWS
    # actor id), the country (ISO 3166 alpha-3, as PLOVER codes it) and sector.
    Column("outside_id", Text),
    Column("country", String(3)),
    Column("sector", Text),
    Column("origin", String(16), nullable=False, server_default="linked"),  # linked | dictionary
    Index("ix_actors_name", "name"),
)

actor_keys = Table(
    "actor_keys", metadata,
    Column("key", String(300), nullable=False),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Index("ix_actor_keys_key", "key"),
    Index("ix_actor_keys_actor", "actor_id"),
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("actor_id", Integer, ForeignKey("actors.id"), index=True),
    Column("link_rule", String(40)),
    Column("link_evidence", Text),
    Column("pinned", Boolean, nullable=False, default=False),  # set by a manual unlink: never re-linked
    Column("link_confidence", Float),  # how likely the link to the corpus actor is right (0-1)
    Column("data", Text, nullable=False),
)

mentions = Table(
    "mentions", metadata,
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_mentions_article_start", "article_id", "start"),
)

statements = Table(
    "statements", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("speaker_name", Text),
    Column("speaker_entity", Integer, ForeignKey("entities.id")),
    Column("addressee_entity", Integer, ForeignKey("entities.id")),
    Column("kind", String(16), nullable=False),
    Column("certainty", String(16), nullable=False),
    Column("confidence", Float),  # how likely the speaker is right (the record's calibrated confidence)
    Column("day", String(10), index=True),  # utterance date, else the publication date
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_statements_speaker", "speaker_entity"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("type", String(24), nullable=False, index=True),
    Column("mode", String(40)),
    Column("certainty", String(16), nullable=False),
    Column("confidence", Float),  # how likely the event's type is right
    Column("day", String(10), index=True),
    Column("trigger_start", Integer, nullable=False),
    Column("place_name", Text),
    Column("place_key", Text, index=True),  # the location's gazetteer entry (`rows.place_key`)
    Column("lat", Float),
    Column("lon", Float),
    Column("statement_id", Integer, ForeignKey("statements.id")),
    Column("sentence", Text, nullable=False),  # the trigger's sentence, for full-text search
    Column("data", Text, nullable=False),
)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),  # actor | recipient
)

places = Table(
    "places", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", Text, nullable=False, index=True),
    Column("feature", String(16)),
    Column("country", String(2)),
    Column("admin1", Text),  # the first-level unit it lies in (Texas for Paris, Texas), as the record gives it
    Column("lat", Float),
    Column("lon", Float),
    Column("geonames_id", Integer),
    # The gazetteer entry (`rows.place_key`): places are counted and shown one entry at a time, since a name can
    # be several places (Paris, France and Paris, Texas).
    Column("place_key", Text, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

dates = Table(
    "dates", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("value", String(40), nullable=False),
    Column("day", String(10), index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

amounts = Table(
    "amounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("value", Float, nullable=False),
    Column("unit", String(40), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("data", Text, nullable=False),
)

# Every hand correction of the actors (merge, unmerge, unlink, dictionary import), so each can be seen and undone.
actor_edits = Table(
    "actor_edits", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(32), nullable=False),
    Column("action", String(24), nullable=False),  # merge | unmerge | unlink | import
    Column("actor_id", Integer, ForeignKey("actors.id"), index=True),
    Column("other_id", Integer, ForeignKey("actors.id")),
    Column("entity_id", Integer, ForeignKey("entities.id")),
    Column("detail", Text, nullable=False),  # JSON: what was changed, enough to undo it
)

# Claims (schema version 6): statements of different articles that make one claim, with the evidence of each link.
# A statement's sentence vector (float32 bytes of `embeddings.DIMENSION`) is computed once, when it is stored.
statement_vectors = Table(
    "statement_vectors", metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("day", String(10), index=True),
    Column("actors", Text, nullable=False),  # JSON: the corpus actors named in the content, when it was stored
    Column("vector", LargeBinary, nullable=False),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("statement_id", Integer, ForeignKey("statements.id")),  # the representative statement
    Column("text", Text, nullable=False),
    Column("first_day", String(10), index=True),
    Column("article_count", Integer, nullable=False, default=0),
    Column("statement_count", Integer, nullable=False, default=0),
    # Set when an analyst merged this claim into another (`newsgraph claims merge`); its members went there.
    Column("merged_into", Integer, ForeignKey("claims.id"), index=True),
    Column("created_at", String(32), nullable=False),
)

claim_members = Table(
    "claim_members", metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("matched_id", Integer, ForeignKey("statements.id")),  # the member it was found similar to
    Column("similarity", Float),
    Column("shared_actor", Integer, ForeignKey("actors.id")),  # the speaker both have, if any
    Column("shared_entities", Text, nullable=False),  # JSON: actor ids named in both contents
    Column("rule", String(24), nullable=False),  # same-speaker | other-speaker | seed | manual-merge | manual-unlink
    Column("pinned", Boolean, nullable=False, default=False),  # placed by hand
    Column("added_at", String(32), nullable=False),
)

contradictions = Table(
    "contradictions", metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("other_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # denial | rebuttal | negation | stance
    Column("confidence", Float),
    Column("evidence", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

# Every hand correction of the claims (unlink, merge, unmerge), so each can be seen and undone.
claim_edits = Table(
    "claim_edits", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(32), nullable=False),
    Column("action", String(24), nullable=False),
    Column("claim_id", Integer, ForeignKey("claims.id"), index=True),
    Column("other_id", Integer, ForeignKey("claims.id")),
    Column("statement_id", Integer, ForeignKey("statements.id")),
    Column("detail", Text, nullable=False),  # JSON: what was changed, enough to undo it
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

# Full-text indexes. SQLite: external-content FTS5 tables whose rowid is the indexed row's id.
SQLITE_FTS = {
    "statements_fts": ("statements", "content"),
    "events_fts": ("events", "sentence"),
    "articles_fts": ("articles", "text"),
}


def _create_sqlite_fts(conn: Connection) -> None:
    for fts, (table, column) in SQLITE_FTS.items():
        conn.execute(text(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, content='{table}', "
            f"content_rowid='id', tokenize='porter unicode61')"
        ))


def _create_postgres_fts(conn: Connection) -> None:
    for _fts, (table, column) in SQLITE_FTS.items():
        conn.execute(text(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS tsv tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('english', coalesce({column}, ''))) STORED"
        ))
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{table}_tsv ON {table} USING GIN (tsv)"))


def _version_1(conn: Connection) -> None:
    metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        _create_sqlite_fts(conn)
    elif conn.dialect.name == "postgresql":
        _create_postgres_fts(conn)


def _version_2(conn: Connection) -> None:
    # Events reported by a speaker are found through their statement.
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_events_statement_id ON events (statement_id)"))


def _version_3(conn: Connection) -> None:
    # Near-duplicates keep their own records. Those stored before were stored without: mark them, so that they
    # are served with no records (not the original's, whose offsets do not fit their text) until written again.
    # (Version 1 creates tables from the current definitions, so a new store has the column already.)
    if "has_records" not in {c["name"] for c in inspect(conn).get_columns("articles")}:
        conn.execute(text("ALTER TABLE articles ADD COLUMN has_records BOOLEAN NOT NULL DEFAULT TRUE"))
        conn.execute(articles.update().where(articles.c.duplicate_of.is_not(None)).values(has_records=False))


def _version_4(conn: Connection) -> None:
    # Places are one row per gazetteer entry, no longer per name (which averaged homonyms into one point): each
    # place and event location gets its entry's key, computed from the record kept in `data`; a place also its
    # first-level unit, which tells homonyms of one country apart in labels (Paris, Texas and Paris, Tennessee).
    _add_missing_columns(conn, "places", {"geonames_id": "INTEGER", "admin1": "TEXT", "place_key": "TEXT"})
    _add_missing_columns(conn, "events", {"place_key": "TEXT"})
    _fill_place_keys(conn, places, lambda record: record)
    _fill_place_keys(conn, events, lambda record: record.get("location"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_places_place_key ON places (place_key)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_events_place_key ON events (place_key)"))


def _version_5(conn: Connection) -> None:
    # Confidence on statements, events and cross-article links; actors an analyst merged or imported from an
    # actor dictionary, and the record of those edits. Rows stored before keep a NULL confidence (unknown).
    _add_missing_columns(conn, "statements", {"confidence": "FLOAT"})
    _add_missing_columns(conn, "events", {"confidence": "FLOAT"})
    _add_missing_columns(conn, "entities", {"link_confidence": "FLOAT"})
    _add_missing_columns(conn, "actors", {"merged_into": "INTEGER REFERENCES actors(id)", "outside_id": "TEXT",
                                          "country": "VARCHAR(3)", "sector": "TEXT",
                                          "origin": "VARCHAR(16) NOT NULL DEFAULT 'linked'"})
    actor_edits.create(conn, checkfirst=True)
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_actors_merged_into ON actors (merged_into)"))


def _version_6(conn: Connection) -> None:
    # Claims across articles: statement vectors, claims, their members with the evidence, contradictions, edits.
    # Statements stored before have no vector: `newsgraph claims build` groups them.
    for table in (statement_vectors, claims, claim_members, contradictions, claim_edits):
        table.create(conn, checkfirst=True)


def _add_missing_columns(conn: Connection, table: str, wanted: dict[str, str]) -> None:
    # (Version 1 creates tables from the current definitions, so a new store has them already.)
    present = {c["name"] for c in inspect(conn).get_columns(table)}
    for name, sql_type in wanted.items():
        if name not in present:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}"))


def _fill_place_keys(conn: Connection, table: Table, place_of: Callable[[dict[str, Any]], Any],
                     batch: int = 5000) -> None:
    """Give the rows of `table` without a place key the key of the place in their record (`place_of` finds it in
    the record's JSON), a batch of rows at a time."""
    last = 0
    while True:
        chunk = conn.execute(select(table.c.id, table.c.data).where(table.c.id > last, table.c.place_key.is_(None))
                             .order_by(table.c.id).limit(batch)).all()
        if not chunk:
            return
        last = chunk[-1].id
        updates = []
        for row in chunk:
            place = place_of(json.loads(row.data))
            if place:
                updates.append({"row": row.id, "key": place_key(place["name"], place.get("country"),
                                                                place.get("feature"), place.get("geonames_id")),
                                "gid": place.get("geonames_id"), "admin1": place.get("admin1")})
        if updates:
            values: dict[str, Any] = {"place_key": bindparam("key")}
            if table is places:
                values |= {"geonames_id": bindparam("gid"), "admin1": bindparam("admin1")}
            conn.execute(table.update().where(table.c.id == bindparam("row")).values(values), updates)


# Append-only: a released store is brought up to date by running the steps after its version.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _version_1),
    (2, _version_2),
    (3, _version_3),
    (4, _version_4),
    (5, _version_5),
    (6, _version_6),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


# The PostgreSQL advisory lock of writers and migrations (any 64-bit number no other application of the
# database uses; this one spells "newsgrap").
WRITE_LOCK = 0x6E65_7773_6772_6170


def lock_for_writing(conn: Connection) -> None:
    """Hold the store's write lock until the caller's transaction ends: one writer (or migration) at a time.

    On SQLite this must be the transaction's first statement: BEGIN IMMEDIATE takes the database's write lock
    before anything is read (a deferred transaction that reads, then writes, fails with "database is locked"
    or acts on what another writer has changed meanwhile). On PostgreSQL a transaction-scoped advisory lock;
    in READ COMMITTED every statement after it sees what the previous holder committed."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("meta"):
        return 0
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else 0


def check_version(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"the store has schema version {version}, newer than this newsgraph "
                           f"({SCHEMA_VERSION}); upgrade newsgraph")


def migrate(conn: Connection) -> int:
    """Bring the schema up to date in the caller's transaction (its first statement: see `lock_for_writing`);
    return the version reached.

    The version is read under the write lock, so of two processes opening a new store at once one creates the
    tables and the other, waiting for the lock, then finds them there."""
    lock_for_writing(conn)
    version = current_version(conn)
    check_version(version)
    for number, step in MIGRATIONS:
        if number > version:
            step(conn)
            conn.execute(meta.delete().where(meta.c.key == "schema_version"))
            conn.execute(meta.insert().values(key="schema_version", value=str(number)))
            version = number
    return version
