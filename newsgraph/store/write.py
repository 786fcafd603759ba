"""Writing analysed articles: each article with all its records in one transaction.

A run killed at any moment leaves every article either wholly stored or absent, and running it again
skips what is stored (same URL or same content hash), so every article ends up stored exactly once.
A near-duplicate (the same wire report from another outlet) is stored as an article linked to the one
it repeats, without records of its own, so its statements are not counted twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, bindparam, func, or_, select, text

from newsgraph.records import Article, Document, Entity
from newsgraph.store import linking
from newsgraph.store.dedup import (
    NEAR_DUPLICATE,
    band_keys,
    content_hash,
    fingerprint,
    signature_bytes,
    signature_from_bytes,
    similarity,
)
from newsgraph.store.schema import (
    SQLITE_FTS,
    actor_keys,
    actors,
    amounts,
    article_bands,
    articles,
    dates,
    entities,
    event_actors,
    events,
    failures,
    mentions,
    places,
    statements,
)
from newsgraph.timex import timex_start

Outcome = Literal["stored", "duplicate", "exists"]


@dataclass(frozen=True)
class Fingerprint:
    """What identifies an article's text: an exact hash and a MinHash signature for near-duplicates."""

    content_hash: str
    signature: list[int]

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        return cls(content_hash(text), fingerprint(text))


@dataclass(frozen=True)
class WriteResult:
    outcome: Outcome
    article_id: int
    key: str
    duplicate_of: int | None = None
    similarity: float | None = None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def existing_article(conn: Connection, url: str | None, digest: str) -> int | None:
    """The id of a stored article with this URL or this content, if any."""
    condition = articles.c.content_hash == digest
    if url:
        condition = or_(condition, articles.c.url == url)
    return conn.execute(select(articles.c.id).where(condition).limit(1)).scalar()


def record_failure(engine: Engine, source: str, message: str) -> None:
    with engine.begin() as conn:
        conn.execute(failures.insert().values(source=source, message=message, at=now()))


def write_document(engine: Engine, doc: Document, source: str, print_: Fingerprint | None = None,
                   near_duplicates: bool = True) -> WriteResult:
    """Store one analysed article with all its records, in one transaction.

    `near_duplicates=False` stores it even when it repeats a stored article (benchmarks build big
    stores from copies that way)."""
    print_ = print_ or Fingerprint.of(doc.text)
    with engine.begin() as conn:
        found = existing_article(conn, doc.article.url, print_.content_hash)
        if found is not None:
            return WriteResult("exists", found, doc.article.id)
        key = free_key(conn, doc.article.id, print_.content_hash)
        original, score = near_duplicate_of(conn, print_.signature) if near_duplicates else (None, None)
        article_id = insert_article(conn, doc, key, source, print_, original, score)
        if original is not None:
            return WriteResult("duplicate", article_id, key, original, score)
        conn.execute(article_bands.insert(), [{"band": b, "article_id": article_id}
                                              for b in band_keys(print_.signature)])
        write_records(conn, article_id, doc)
    return WriteResult("stored", article_id, key)


def free_key(conn: Connection, key: str, digest: str) -> str:
    """The article id as given, or, when another text already has it, the id with a content suffix."""
    taken = conn.execute(select(articles.c.id).where(articles.c.key == key)).scalar()
    return key if taken is None else f"{key}~{digest[:8]}"


def near_duplicate_of(conn: Connection, signature: list[int]) -> tuple[int | None, float | None]:
    """The stored article this text repeats (estimated Jaccard >= NEAR_DUPLICATE), if any."""
    bands = band_keys(signature)
    candidates = conn.execute(
        select(articles.c.id, articles.c.minhash)
        .where(articles.c.id.in_(select(article_bands.c.article_id).where(article_bands.c.band.in_(bands))))
    ).all()
    best: tuple[int | None, float | None] = (None, None)
    for article_id, blob in candidates:
        score = similarity(signature, signature_from_bytes(blob))
        if score >= NEAR_DUPLICATE and (best[1] is None or score > best[1]):
            best = (article_id, score)
    return best


def insert_article(conn: Connection, doc: Document, key: str, source: str, print_: Fingerprint,
                   original: int | None, score: float | None) -> int:
    a = doc.article
    return int(conn.execute(articles.insert().returning(articles.c.id).values(
        key=key, url=a.url, content_hash=print_.content_hash, title=a.title, published=a.published,
        publisher=a.publisher, author=a.author, licence=a.licence, credit=a.credit, source=source,
        text=doc.text, minhash=signature_bytes(print_.signature), duplicate_of=original, similarity=score,
        ingested_at=now(),
    )).scalar_one())


def write_records(conn: Connection, article_id: int, doc: Document) -> None:
    entity_ids = write_entities(conn, article_id, doc)
    statement_ids = write_statements(conn, article_id, doc, entity_ids)
    write_events(conn, article_id, doc, entity_ids, statement_ids)
    write_rows(conn, places, [
        dict(article_id=article_id, name=p.name, feature=p.feature, country=p.country, lat=p.lat, lon=p.lon,
             start=p.start, end=p.end, data=p.model_dump_json()) for p in doc.places])
    write_rows(conn, dates, [
        dict(article_id=article_id, value=d.value, day=day_of(d.value), start=d.start, end=d.end,
             data=d.model_dump_json()) for d in doc.dates])
    write_rows(conn, amounts, [
        dict(article_id=article_id, value=m.value, unit=m.unit, start=m.start, end=m.end,
             data=m.model_dump_json()) for m in doc.amounts])
    if conn.dialect.name == "sqlite":
        index_sqlite_fts(conn, "articles_fts", [(article_id, doc.text)])


def write_rows(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def insert_returning_ids(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    result = conn.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)
    return [int(row[0]) for row in result]


def write_entities(conn: Connection, article_id: int, doc: Document) -> dict[str, int]:
    """Store the article's entities and their mentions, each linked to a corpus-wide actor."""
    links = link_actors(conn, doc.entities, linking.context_of(doc))
    rows = [dict(article_id=article_id, local_id=entity.id, name=entity.name, type=entity.type, actor_id=actor_id,
                 link_rule=rule, link_evidence=evidence, pinned=False, data=entity.model_dump_json())
            for entity, (actor_id, rule, evidence) in zip(doc.entities, links, strict=True)]
    ids = dict(zip([e.id for e in doc.entities], insert_returning_ids(conn, entities, rows), strict=True))
    write_rows(conn, mentions, [
        dict(entity_id=ids[e.id], article_id=article_id, start=m.start, end=m.end, text=m.text)
        for e in doc.entities for m in e.mentions])
    return ids


Link = tuple[int | None, str, str]  # actor id, rule, evidence


def link_actors(conn: Connection, found: list[Entity], context: linking.ArticleContext) -> list[Link]:
    """Find or create the corpus actor of each entity of one article, with the rule and evidence of each link.

    One query fetches every candidate of the article; the decisions are made in memory; new and changed
    actors are written in a few batched statements (a per-entity round trip made storage a third of the
    analysis time)."""
    keys = [linking.lookup_keys(entity, context) for entity in found]
    by_key, profiles = candidate_actors(conn, {k for ks in keys for k in ks})
    before = dict(profiles)
    created: list[tuple[int, linking.ActorProfile]] = []  # (entity index, profile of its new actor)
    links: list[Link] = []
    for index, (entity, entity_keys) in enumerate(zip(found, keys, strict=True)):
        candidates = [profiles[a] for a in sorted({a for k in entity_keys for a in by_key.get(k, ())})]
        decision = linking.decide_link(entity, context, candidates)
        links.append((decision.actor_id, decision.rule, decision.evidence))
        if decision.rule == linking.GROUP_RULE:
            continue
        if decision.actor_id is None:
            created.append((index, linking.profile_for(entity, context, decision)))
        else:
            profiles[decision.actor_id] = linking.merge_profile(profiles[decision.actor_id], entity, context)
    new_ids = insert_returning_ids(conn, actors, [
        dict(name=p.name, type=p.type, profile=profile_json(p), article_count=1) for _, p in created])
    for (index, _), actor_id in zip(created, new_ids, strict=True):
        links[index] = (actor_id, *links[index][1:])
    changed = [a for a in profiles if profiles[a] is not before[a]]
    if changed:
        conn.execute(actors.update().where(actors.c.id == bindparam("actor")).values(
            name=bindparam("new_name"), profile=bindparam("new_profile"), article_count=bindparam("count")), [
            dict(actor=a, new_name=profiles[a].name, new_profile=profile_json(profiles[a]),
                 count=profiles[a].article_count) for a in changed])
    new_keys = [(actor_id, key) for (_, p), actor_id in zip(created, new_ids, strict=True)
                for key in linking.keys_for_profile(p)]
    new_keys += [(a, key) for a in changed
                 for key in set(linking.keys_for_profile(profiles[a])) - set(linking.keys_for_profile(before[a]))]
    write_rows(conn, actor_keys, [{"key": key, "actor_id": actor_id} for actor_id, key in new_keys])
    return links


def candidate_actors(conn: Connection, keys: set[str]) -> tuple[dict[str, set[int]], dict[int, linking.ActorProfile]]:
    """The actors indexed under any of the keys: which keys point at which actors, and their profiles."""
    if not keys:
        return {}, {}
    rows = conn.execute(
        select(actor_keys.c.key, actors.c.id, actors.c.name, actors.c.type, actors.c.profile, actors.c.article_count)
        .join(actors, actors.c.id == actor_keys.c.actor_id).where(actor_keys.c.key.in_(sorted(keys)))).all()
    by_key: dict[str, set[int]] = {}
    profiles: dict[int, linking.ActorProfile] = {}
    for key, actor_id, name, type_, profile, count in rows:
        by_key.setdefault(key, set()).add(actor_id)
        if actor_id not in profiles:
            profiles[actor_id] = profile_from_row(actor_id, name, type_, profile, count)
    return by_key, profiles


def profile_json(profile: linking.ActorProfile) -> str:
    return json.dumps(linking.profile_to_dict(profile), ensure_ascii=False)


def profile_from_row(actor_id: int, name: str, type_: str, profile: str, article_count: int) -> linking.ActorProfile:
    return linking.profile_from_dict(actor_id, name, type_, article_count, json.loads(profile))


def write_statements(conn: Connection, article_id: int, doc: Document, entity_ids: dict[str, int]) -> dict[str, int]:
    rows = []
    for s in doc.statements:
        rows.append(dict(
            article_id=article_id, local_id=s.id,
            speaker_name=s.speaker.name if s.speaker else None,
            speaker_entity=entity_ids.get(s.speaker.id or "") if s.speaker else None,
            addressee_entity=entity_ids.get(s.addressee.id or "") if s.addressee else None,
            kind=s.kind, certainty=s.certainty,
            day=(day_of(s.date.value) if s.date else None) or doc.article.published,
            content_start=s.content.start, content_end=s.content.end, content=s.content.text,
            data=s.model_dump_json(),
        ))
    ids = insert_returning_ids(conn, statements, rows)
    if conn.dialect.name == "sqlite":
        contents = [(i, s.content.text) for i, s in zip(ids, doc.statements, strict=True)]
        index_sqlite_fts(conn, "statements_fts", contents)
    return dict(zip([s.id for s in doc.statements], ids, strict=True))


def write_events(conn: Connection, article_id: int, doc: Document, entity_ids: dict[str, int],
                 statement_ids: dict[str, int]) -> None:
    rows = []
    for e in doc.events:
        start, end = sentence_bounds(doc.text, e.trigger.start)
        rows.append(dict(
            article_id=article_id, local_id=e.id, type=e.type, mode=e.mode, certainty=e.certainty,
            day=(day_of(e.date.value) if e.date else None) or doc.article.published,
            trigger_start=e.trigger.start,
            place_name=e.location.name if e.location else None,
            lat=e.location.lat if e.location else None, lon=e.location.lon if e.location else None,
            statement_id=statement_ids.get(e.source or ""), sentence=doc.text[start:end],
            data=e.model_dump_json(),
        ))
    ids = insert_returning_ids(conn, events, rows)
    write_rows(conn, event_actors, [
        dict(event_id=event_id, entity_id=entity_ids[ref.id], role=role)
        for event_id, e in zip(ids, doc.events, strict=True)
        for role, refs in (("actor", e.actors), ("recipient", e.recipients))
        for ref in refs if ref.id in entity_ids])
    if conn.dialect.name == "sqlite":
        index_sqlite_fts(conn, "events_fts", [(i, str(r["sentence"])) for i, r in zip(ids, rows, strict=True)])


def index_sqlite_fts(conn: Connection, fts: str, rows: list[tuple[int, str]]) -> None:
    if rows:
        column = SQLITE_FTS[fts][1]
        conn.execute(text(f"INSERT INTO {fts}(rowid, {column}) VALUES (:id, :body)"),
                     [{"id": i, "body": body} for i, body in rows])


def day_of(value: str | None) -> str | None:
    """The first calendar day a date value covers, as YYYY-MM-DD, or None."""
    if not value:
        return None
    start = timex_start(value)
    return start.isoformat() if start else None


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The sentence around an offset, by sentence-final punctuation or line breaks."""
    start = max(text.rfind(". ", 0, offset), text.rfind("\n", 0, offset), text.rfind("? ", 0, offset),
                text.rfind("! ", 0, offset))
    start = 0 if start < 0 else start + 1
    ends = [i for i in (text.find(". ", offset), text.find("\n", offset), text.find("? ", offset),
                        text.find("! ", offset)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start + (len(text[start:end]) - len(text[start:end].lstrip())), end


def count_articles(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())


def article_record(row: Any) -> Article:
    return Article(id=row.key, title=row.title, published=row.published, publisher=row.publisher,
                   author=row.author, url=row.url, licence=row.licence, credit=row.credit)


def unlink_entity(engine: Engine, article_key: str, local_id: str) -> int:
    """Undo a cross-article link: give one article's entity an actor of its own, pinned against re-linking.

    The old link is kept in the evidence, so the change is itself explainable."""
    with engine.begin() as conn:
        row = conn.execute(
            select(entities.c.id, entities.c.data, entities.c.actor_id, entities.c.link_rule, articles.c.text,
                   articles.c.key, articles.c.title, articles.c.published)
            .join(articles, articles.c.id == entities.c.article_id)
            .where(articles.c.key == article_key, entities.c.local_id == local_id)).first()
        if row is None:
            raise LookupError(f"no entity {local_id!r} in article {article_key!r}")
        entity = Entity.model_validate_json(row.data)
        document = Document(text=row.text, article=Article(id=row.key, title=row.title, published=row.published),
                            entities=[entity])
        profile = linking.profile_for(entity, linking.context_of(document))
        actor_id = int(conn.execute(actors.insert().returning(actors.c.id).values(
            name=profile.name, type=profile.type, profile=profile_json(profile), article_count=1)).scalar_one())
        conn.execute(entities.update().where(entities.c.id == row.id).values(
            actor_id=actor_id, pinned=True, link_rule="manual-unlink",
            link_evidence=f"unlinked by hand from actor {row.actor_id} ({row.link_rule}) on {now()}"))
        if row.actor_id is not None:
            conn.execute(actors.update().where(actors.c.id == row.actor_id)
                         .values(article_count=actors.c.article_count - 1))
        return actor_id
