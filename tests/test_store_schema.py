"""Migrations (newsgraph.store.schema) on SQLite and PostgreSQL: a store of an earlier version is brought up to
date and keeps what it held."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, func, select, text

from newsgraph.records import Article
from newsgraph.store.connect import normalise_url, open_engine
from newsgraph.store.dedup import content_hash, fingerprint, signature_bytes
from newsgraph.store.query import Filters, find_places, list_places, load_document, search, summary
from newsgraph.store.schema import SCHEMA_VERSION, articles, current_version, meta, places, statements
from newsgraph.store.write import Fingerprint, unanalysed_articles, write_document
from tests.test_store import (
    PARIS_FRANCE,
    PARIS_TENNESSEE,
    PARIS_TEXAS,
    PUTIN_FRIDAY,
    PUTIN_TUESDAY,
    near,
    store_paris_articles,
)

WIRE = PUTIN_TUESDAY + "\n\n" + PUTIN_FRIDAY
LONGER = "MOSCOW (Other Outlet) -\n\n" + WIRE + "\n\nReporting by the Moscow bureau; editing by the night desk."


def version_2_store(url: str, analyze: Any) -> Any:
    """A store as newsgraph with schema version 2 left it: the wire report with its records, and a longer version
    of it stored as its near-duplicate without records of its own (and without LSH bands)."""
    engine = open_engine(url)
    doc = analyze(WIRE, "2022-04-26")
    doc.article = Article(id="wire", published="2022-04-26")
    original = write_document(engine, doc, "test:wire").article_id
    with engine.begin() as conn:
        conn.execute(articles.insert().values(
            key="outlet", content_hash=content_hash(LONGER), text=LONGER, source="test:outlet",
            published="2022-04-26", minhash=signature_bytes(fingerprint(LONGER)), duplicate_of=original,
            similarity=0.8, ingested_at="2024-01-01T00:00:00+00:00"))
        conn.execute(text("ALTER TABLE articles DROP COLUMN has_records"))
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="2"))
    engine.dispose()
    return doc


def test_a_version_2_store_is_upgraded_and_its_near_duplicate_completed(store_url: str, analyze: Any) -> None:
    wire = version_2_store(store_url, analyze)
    engine = open_engine(store_url, create=False)  # a read command upgrades it too
    with engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION
    # The near-duplicate is served with its own text and no records (version 2 served the original's, whose
    # offsets do not fit its text); the story counts the original's records.
    outlet = load_document(engine, "outlet")
    assert outlet is not None and outlet.text == LONGER and outlet.statements == outlet.entities == []
    assert summary(engine).statements == len(wire.statements)
    assert [(source, body) for source, body, _ in unanalysed_articles(engine)] == [("test:outlet", LONGER)]
    # Writing its text again gives it its records: the longer version becomes the story's main version.
    doc = analyze(LONGER, "2022-04-26")
    doc.article = Article(id="outlet-again", published="2022-04-26")
    result = write_document(engine, doc, "test:outlet-again", Fingerprint.of(LONGER))
    assert (result.outcome, result.key, result.main) == ("duplicate", "outlet", True)
    outlet = load_document(engine, "outlet")
    assert outlet is not None and outlet.statements == doc.statements and outlet.statements
    assert unanalysed_articles(engine) == []
    assert summary(engine).statements == len(doc.statements)
    assert {h.article.key for h in search(engine, Filters()).statements} == {"outlet"}
    assert write_document(engine, doc, "test:third-time").outcome == "exists"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar_one() == 2
        assert conn.execute(select(func.count()).select_from(statements)).scalar_one() == \
            len(wire.statements) + len(doc.statements)
    engine.dispose()


def test_upgrading_twice_changes_nothing(store_url: str, analyze: Any) -> None:
    version_2_store(store_url, analyze)
    open_engine(store_url).dispose()
    engine = create_engine(normalise_url(store_url))
    with engine.begin() as conn:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="2"))  # as if never run
    engine.dispose()
    engine = open_engine(store_url)
    with engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION
        flags = {r.key: r.has_records for r in conn.execute(select(articles.c.key, articles.c.has_records))}
    assert flags == {"wire": True, "outlet": False}
    engine.dispose()


def version_3_store(url: str, analyze: Any) -> None:
    """A store as schema version 3 left it: places and event locations without their gazetteer keys (it grouped
    places by name, so Paris, France and Paris, Texas were one place at a point between them), places without
    their first-level unit."""
    engine = open_engine(url)
    store_paris_articles(engine, analyze)
    with engine.begin() as conn:
        for table, columns in (("places", ("place_key", "geonames_id", "admin1")), ("events", ("place_key",))):
            conn.execute(text(f"DROP INDEX ix_{table}_place_key"))
            for column in columns:
                conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="3"))
    engine.dispose()


def test_a_version_3_store_gets_its_places_apart(store_url: str, analyze: Any) -> None:
    version_3_store(store_url, analyze)
    engine = open_engine(store_url, create=False)
    with engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION
        assert conn.execute(select(func.count()).select_from(places).where(places.c.place_key.is_(None))).scalar() == 0
    parises = list_places(engine, name="paris")
    assert [(p.key, p.geonames_id, p.label, p.mentions, p.events) for p in parises] == [
        (PARIS_TEXAS, 4717560, "Paris, Texas, US (city)", 2, 1),
        (PARIS_FRANCE, 2988507, "Paris, Ile-de-France, FR (city)", 1, 1),
        (PARIS_TENNESSEE, 4647963, "Paris, Tennessee, US (city)", 1, 0)]
    texas, france, _ = parises
    assert near((texas.lat, texas.lon), 33.66094, -95.55551) and near((france.lat, france.lon), 48.85341, 2.3488)
    assert find_places(engine, "Paris") == parises
    assert [h.event.type for h in search(engine, Filters(place=PARIS_TEXAS)).events] == ["COERCE"]
    assert next(p for p in list_places(engine) if p.name == "Main Street").key == "place:US:facility:Main Street"
    assert next(p for p in list_places(engine) if p.name == "Lamar County").admin1 == "Texas"
    engine.dispose()
