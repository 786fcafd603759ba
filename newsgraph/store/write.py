"""Writing analysed articles: each article with all its records in one transaction, one writer at a time.

A run killed at any moment leaves every article either wholly stored or absent, and running it again
skips what is stored (same URL or same content hash), so every article ends up stored exactly once. Writers
take the store's write lock (`schema.lock_for_writing`), so two processes ingesting into one store at once store
each article once, and the second finds it there ("exists") instead of failing on a unique constraint.

A near-duplicate (the same wire report from another outlet, an earlier or later version of an article) is
stored with its own text and records, as a version of a story: it points at the story's main version
(`articles.duplicate_of`), which is the longest text of the story. When a longer version arrives, it becomes the
main version and the earlier main and its versions point at it. Queries across the corpus count the records of
main versions only (`query.counted_versions`), so a story is counted once; an article's own document has its
own records, whose offsets fit its own text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, bindparam, func, or_, select, text
from sqlalchemy.exc import IntegrityError

from newsgraph.records import Article, Document, Entity
from newsgraph.store import linking
from newsgraph.store.dedup import (
    MIN_SHINGLES,
    NEAR_DUPLICATE,
    band_keys,
    content_hash,
    fingerprint_of_words,
    long_enough_to_compare,
    shingles_of_words,
    signature_bytes,
    signature_from_bytes,
    similarity,
    words_of,
)
from newsgraph.store.rows import article_record, key_of_place, sentence_bounds
from newsgraph.store.schema import (
    SQLITE_FTS,
    actor_edits,
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
    lock_for_writing,
    mentions,
    places,
    statements,
)
from newsgraph.timex import timex_start

Outcome = Literal["stored", "duplicate", "exists"]


@dataclass(frozen=True)
class Fingerprint:
    """What identifies an article's text: an exact hash, and a MinHash signature for near-duplicates with the
    number of shingles it is made of (None: count them from the text)."""

    content_hash: str
    signature: list[int]
    shingles: int | None = None

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        words = words_of(text)
        return cls(content_hash(text), fingerprint_of_words(words), shingles_of_words(len(words)))

    def long_enough_to_compare(self, text: str) -> bool:
        """Whether its text (this one) has enough shingles for a near-duplicate decision."""
        return long_enough_to_compare(text) if self.shingles is None else self.shingles >= MIN_SHINGLES


@dataclass(frozen=True)
class WriteResult:
    """What storing one article did. A near-duplicate ("duplicate") is stored with its records as a version of a
    story: `duplicate_of` is the story's main version, or, when this longer text became the main version (`main`),
    the main version it replaced; `similarity` is to that article."""

    outcome: Outcome
    article_id: int
    key: str
    duplicate_of: int | None = None
    similarity: float | None = None
    main: bool = False


@dataclass(frozen=True)
class Story:
    """The story a new text is a version of: its main version's id, text length and signature."""

    main: int
    length: int
    signature: list[int]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def existing_article(conn: Connection, url: str | None, digest: str) -> int | None:
    """The id of a stored article with this URL or this content, if any.

    An article that a store of schema version 2 kept as a near-duplicate without records of its own does not
    count for its own text: writing that text again completes it (`unanalysed_articles`)."""
    same = articles.c.content_hash == digest
    if url:
        same = or_(same, articles.c.url == url)
    complete = or_(articles.c.has_records, articles.c.content_hash != digest)
    return conn.execute(select(articles.c.id).where(same, complete).limit(1)).scalar()


def record_failure(engine: Engine, source: str, message: str) -> None:
    with engine.begin() as conn:
        conn.execute(failures.insert().values(source=source, message=message, at=now()))


def write_document(engine: Engine, doc: Document, source: str, print_: Fingerprint | None = None,
                   near_duplicates: bool = True, group_claims: bool = True) -> WriteResult:
    """Store one analysed article with all its records, in one transaction under the write lock.

    `near_duplicates=False` stores it as a story of its own even when it repeats a stored article (benchmarks
    build big stores from copies that way). `group_claims` joins its statements to the claims they make with
    other articles' statements (`store.claims`); without it, `newsgraph claims build` does that later."""
    print_ = print_ or Fingerprint.of(doc.text)
    try:
        with engine.begin() as conn:
            lock_for_writing(conn)
            return write_locked(conn, doc, source, print_, near_duplicates, group_claims)
    except IntegrityError:
        # Only a writer that does not take the lock (a newsgraph from before it) can store the same article (its
        # content hash, URL or key) between our look and our insert; it is stored, which is what was asked.
        with engine.connect() as conn:
            found = existing_article(conn, doc.article.url, print_.content_hash)
        if found is None:
            raise
        return WriteResult("exists", found, doc.article.id)


def write_locked(conn: Connection, doc: Document, source: str, print_: Fingerprint,
                 near_duplicates: bool, group_claims: bool = True) -> WriteResult:
    found = existing_article(conn, doc.article.url, print_.content_hash)
    if found is not None:
        return WriteResult("exists", found, doc.article.id)
    story = story_of(conn, doc.text, print_) if near_duplicates else None
    score = similarity(print_.signature, story.signature) if story else None
    main = story is None or len(doc.text) > story.length
    # (the story's main version it points at, and its similarity to it; none for a main version)
    link = (story.main, score) if story is not None and not main else (None, None)
    counted = story_actor_ids(conn, story.main) if story else set()
    article_id, key = (complete_article(conn, print_.content_hash, *link)
                       or insert_article(conn, doc, source, print_, *link))
    if story is not None and main:
        make_main_version(conn, article_id, print_.signature, story.main)
    if print_.long_enough_to_compare(doc.text):  # (a shorter text is no one's near-duplicate)
        conn.execute(article_bands.insert(), [{"band": b, "article_id": article_id}
                                              for b in band_keys(print_.signature)])
    write_records(conn, article_id, doc, counted)
    if group_claims:
        from newsgraph.store.claims import group_article_claims

        group_article_claims(conn, article_id)
    if story is None:
        return WriteResult("stored", article_id, key)
    return WriteResult("duplicate", article_id, key, story.main, score, main)


def free_key(conn: Connection, key: str, digest: str) -> str:
    """The article id as given, or, when another text already has it, the id with a content suffix."""
    taken = conn.execute(select(articles.c.id).where(articles.c.key == key)).scalar()
    return key if taken is None else f"{key}~{digest[:8]}"


def near_duplicate_of(conn: Connection, signature: list[int]) -> tuple[int | None, float | None]:
    """The stored article this text repeats (estimated Jaccard >= NEAR_DUPLICATE, and enough text on both sides
    for the estimate to mean one article: `dedup.MIN_SHINGLES`), if any."""
    bands = band_keys(signature)
    candidates = conn.execute(
        select(articles.c.id, articles.c.minhash)
        .where(articles.c.id.in_(select(article_bands.c.article_id).where(article_bands.c.band.in_(bands))))
    ).all()
    scored = sorted(((similarity(signature, signature_from_bytes(blob)), article_id)
                     for article_id, blob in candidates), reverse=True)
    for score, article_id in scored:
        if score < NEAR_DUPLICATE:
            break
        # (Stores of schema version 2 gave short texts bands too.)
        stored_text = conn.execute(select(articles.c.text).where(articles.c.id == article_id)).scalar_one()
        if long_enough_to_compare(stored_text):
            return article_id, score
    return None, None


def story_of(conn: Connection, text: str, print_: Fingerprint) -> Story | None:
    """The story this text is a version of: that of the stored article it repeats, if any."""
    if not print_.long_enough_to_compare(text):
        return None
    repeated, _ = near_duplicate_of(conn, print_.signature)
    if repeated is None:
        return None
    main = conn.execute(select(func.coalesce(articles.c.duplicate_of, articles.c.id))
                        .where(articles.c.id == repeated)).scalar_one()
    length, blob = conn.execute(select(func.length(articles.c.text), articles.c.minhash)
                                .where(articles.c.id == main)).one()
    return Story(int(main), int(length), signature_from_bytes(blob))


def make_main_version(conn: Connection, article_id: int, signature: list[int], earlier_main: int) -> None:
    """Make the article the story's main version: the earlier main version and its versions point at it."""
    versions = conn.execute(select(articles.c.id, articles.c.minhash).where(
        or_(articles.c.id == earlier_main, articles.c.duplicate_of == earlier_main))).all()
    conn.execute(articles.update().where(articles.c.id == bindparam("version")).values(
        duplicate_of=article_id, similarity=bindparam("score")), [
        dict(version=v.id, score=similarity(signature, signature_from_bytes(v.minhash))) for v in versions])


def story_actor_ids(conn: Connection, main: int) -> set[int]:
    """The actors that the story's stored versions link to: another version of the story does not make them seen
    in one more article."""
    versions = select(articles.c.id).where(or_(articles.c.id == main, articles.c.duplicate_of == main))
    return set(conn.execute(select(entities.c.actor_id).distinct().where(
        entities.c.article_id.in_(versions), entities.c.actor_id.is_not(None))).scalars())


def insert_article(conn: Connection, doc: Document, source: str, print_: Fingerprint, duplicate_of: int | None,
                   score: float | None) -> tuple[int, str]:
    """A new article row, under a key no other text has; its id and key."""
    a = doc.article
    key = free_key(conn, a.id, print_.content_hash)
    article_id = int(conn.execute(articles.insert().returning(articles.c.id).values(
        key=key, url=a.url, content_hash=print_.content_hash, title=a.title, published=a.published,
        publisher=a.publisher, author=a.author, licence=a.licence, credit=a.credit, source=source,
        text=doc.text, minhash=signature_bytes(print_.signature), duplicate_of=duplicate_of, similarity=score,
        has_records=True, ingested_at=now(),
    )).scalar_one())
    return article_id, key


def complete_article(conn: Connection, digest: str, duplicate_of: int | None,
                     score: float | None) -> tuple[int, str] | None:
    """The stored article of this text that has no records yet (a near-duplicate stored by schema version 2),
    now taking them: its id and key; None when there is none."""
    row = conn.execute(select(articles.c.id, articles.c.key)
                       .where(articles.c.content_hash == digest, articles.c.has_records.is_(False))).first()
    if row is None:
        return None
    conn.execute(articles.update().where(articles.c.id == row.id).values(
        has_records=True, duplicate_of=duplicate_of, similarity=score))
    return int(row.id), str(row.key)


def unanalysed_articles(engine: Engine) -> list[tuple[str, str, Article]]:
    """(source, text, article) of each article stored without records of its own (a near-duplicate stored by
    schema version 2): analysing the text and writing it completes the article."""
    with engine.connect() as conn:
        rows = conn.execute(select(articles).where(articles.c.has_records.is_(False)).order_by(articles.c.id))
        return [(row.source or row.key, row.text, article_record(row)) for row in rows]


def write_records(conn: Connection, article_id: int, doc: Document, counted: set[int]) -> None:
    """The article's records; `counted`: the actors that already count its story (`story_actor_ids`)."""
    entity_ids = write_entities(conn, article_id, doc, counted)
    statement_ids = write_statements(conn, article_id, doc, entity_ids)
    write_events(conn, article_id, doc, entity_ids, statement_ids)
    write_rows(conn, places, [
        dict(article_id=article_id, name=p.name, feature=p.feature, country=p.country, admin1=p.admin1, lat=p.lat,
             lon=p.lon, geonames_id=p.geonames_id, place_key=key_of_place(p), start=p.start, end=p.end,
             data=p.model_dump_json()) for p in doc.places])
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


def write_entities(conn: Connection, article_id: int, doc: Document, counted: set[int]) -> dict[str, int]:
    """Store the article's entities and their mentions, each linked to a corpus-wide actor."""
    links = link_actors(conn, doc.entities, linking.context_of(doc), counted)
    rows = [dict(article_id=article_id, local_id=entity.id, name=entity.name, type=entity.type, actor_id=actor_id,
                 link_rule=rule, link_evidence=evidence, link_confidence=confidence, pinned=False,
                 data=entity.model_dump_json())
            for entity, (actor_id, rule, evidence, confidence) in zip(doc.entities, links, strict=True)]
    ids = dict(zip([e.id for e in doc.entities], insert_returning_ids(conn, entities, rows), strict=True))
    write_rows(conn, mentions, [
        dict(entity_id=ids[e.id], article_id=article_id, start=m.start, end=m.end, text=m.text)
        for e in doc.entities for m in e.mentions])
    return ids


Link = tuple[int | None, str, str, float]  # actor id, rule, evidence, confidence


def link_actors(conn: Connection, found: list[Entity], context: linking.ArticleContext,
                counted: set[int]) -> list[Link]:
    """Find or create the corpus actor of each entity of one article, with the rule and evidence of each link.
    The actors in `counted` keep their article count (they have seen another version of this article's story).

    One query fetches every candidate of the article; the decisions are made in memory; new and changed
    actors are written in a few batched statements (a per-entity round trip made storage a third of the
    analysis time)."""
    keys = [linking.dictionary_keys(entity) + linking.lookup_keys(entity, context) for entity in found]
    by_key, profiles = candidate_actors(conn, {k for ks in keys for k in ks})
    before = dict(profiles)
    created: list[tuple[int, linking.ActorProfile]] = []  # (entity index, profile of its new actor)
    links: list[Link] = []
    for index, (entity, entity_keys) in enumerate(zip(found, keys, strict=True)):
        candidates = [profiles[a] for a in sorted({a for k in entity_keys for a in by_key.get(k, ())})]
        decision = linking.decide_link(entity, context, candidates)
        links.append((decision.actor_id, decision.rule, decision.evidence, decision.confidence))
        if decision.rule == linking.GROUP_RULE:
            continue
        linked = linking.as_linked(entity, decision.as_type)  # (an NER ORG "Trump" linked as the person)
        if decision.actor_id is None:
            created.append((index, linking.profile_for(linked, context, decision)))
        else:
            profiles[decision.actor_id] = linking.merge_profile(profiles[decision.actor_id], linked, context)
    new_ids = insert_returning_ids(conn, actors, [
        dict(name=p.name, type=p.type, profile=profile_json(p), article_count=1, origin="linked") for _, p in created])
    for (index, _), actor_id in zip(created, new_ids, strict=True):
        links[index] = (actor_id, *links[index][1:])
    changed = [a for a in profiles if profiles[a] is not before[a]]
    if changed:
        conn.execute(actors.update().where(actors.c.id == bindparam("actor")).values(
            name=bindparam("new_name"), type=bindparam("new_type"), profile=bindparam("new_profile"),
            article_count=bindparam("count")), [
            dict(actor=a, new_name=profiles[a].name, new_type=profiles[a].type, new_profile=profile_json(profiles[a]),
                 # one more article, however many of its entities were linked to the actor ("Joseph R. Biden
                 # Jr." and "Mr. Biden"): merge_profile counts one an entity
                 count=before[a].article_count + (a not in counted)) for a in changed])
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
        .join(actors, actors.c.id == actor_keys.c.actor_id)
        # (a merged actor's keys point at the actor it was merged into; this is for keys written meanwhile)
        .where(actor_keys.c.key.in_(sorted(keys)), actors.c.merged_into.is_(None))).all()
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
            kind=s.kind, certainty=s.certainty, confidence=s.confidence,
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
            confidence=e.confidence,
            day=(day_of(e.date.value) if e.date else None) or doc.article.published,
            trigger_start=e.trigger.start,
            place_name=e.location.name if e.location else None,
            place_key=key_of_place(e.location) if e.location else None,
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


def count_articles(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())


def unlink_entity(engine: Engine, article_key: str, local_id: str) -> int:
    """Undo a cross-article link: give one article's entity an actor of its own, pinned against re-linking.

    The old link is kept in the evidence, so the change is itself explainable."""
    with engine.begin() as conn:
        lock_for_writing(conn)  # against a writer linking entities to the actors meanwhile
        row = conn.execute(
            select(entities.c.id, entities.c.data, entities.c.actor_id, entities.c.link_rule, entities.c.link_evidence,
                   entities.c.link_confidence, entities.c.pinned, articles.c.text,
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
            actor_id=actor_id, pinned=True, link_rule="manual-unlink", link_confidence=1.0,
            link_evidence=f"unlinked by hand from actor {row.actor_id} ({row.link_rule}) on {now()}"))
        recount_actors(conn, [actor_id] + ([row.actor_id] if row.actor_id is not None else []))
        # (`newsgraph merge OLD NEW` undoes it: the entity goes back to its old actor)
        record_edit(conn, "unlink", row.actor_id, actor_id, row.id, rule=row.link_rule,
                    evidence=row.link_evidence, confidence=row.link_confidence, pinned=bool(row.pinned))
        return actor_id


def recount_actors(conn: Connection, actor_ids: Iterable[int]) -> None:
    """Each actor's article count: the distinct main-version articles with an entity linked to it (as the actor
    page, search and exports count them)."""
    ids = sorted(set(actor_ids))
    if not ids:
        return
    main = entities.c.article_id.not_in(select(articles.c.id).where(articles.c.duplicate_of.is_not(None)))
    counted: dict[int, int] = dict(conn.execute(
        select(entities.c.actor_id, func.count(entities.c.article_id.distinct()))
        .where(entities.c.actor_id.in_(ids), main).group_by(entities.c.actor_id)).all())
    conn.execute(actors.update().where(actors.c.id == bindparam("actor")).values(article_count=bindparam("n")),
                 [{"actor": a, "n": int(counted.get(a, 0))} for a in ids])


def record_edit(conn: Connection, action: str, actor_id: int | None, other_id: int | None = None,
                entity_id: int | None = None, **detail: Any) -> int:
    """One row of actor_edits; `detail` (JSON) says what was changed, enough to undo it."""
    return int(conn.execute(actor_edits.insert().returning(actor_edits.c.id).values(
        at=now(), action=action, actor_id=actor_id, other_id=other_id, entity_id=entity_id,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True))).scalar_one())
