"""Reading the store: search with filters, an actor's record, an article's document, lists for the API.

Every function takes an Engine and returns plain records (`newsgraph/1` models inside small hit
dataclasses), so the CLI, the HTTP API and the web pages all print the same things.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, exists, func, or_, select
from sqlalchemy.sql import Select

from newsgraph.records import Amount, Article, DateRef, Document, Entity, Event, Place, Statement
from newsgraph.store.fulltext import parse as parse_text_query
from newsgraph.store.fulltext import postgres_condition, sqlite_condition
from newsgraph.store.rows import article_record, is_place_key, place_label
from newsgraph.store.schema import (
    MAX_ROW_ID,
    actor_edits,
    actors,
    amounts,
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


def parse_confidence(value: str) -> float:
    """A `min_confidence` as typed on the command line or in a form: a number from 0 to 1 (ValueError else)."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0.0 <= number <= 1.0:  # (NaN fails too)
        raise ValueError(f"a number from 0 to 1, not {value!r}")
    return number


@dataclass(frozen=True)
class Filters:
    """What `newsgraph search`, `/api/search` and the statements explorer filter on."""

    query: str | None = None
    speaker: str | None = None
    actor: str | None = None
    place: str | None = None  # part of a name (every homonym), or a place key (`rows.place_key`): one entry
    since: str | None = None
    until: str | None = None
    certainty: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    event_type: tuple[str, ...] = ()
    # Only records this sure (the stored confidence, 0-1); records of unknown confidence are left out.
    min_confidence: float | None = None
    # Records of every version of a story (near-duplicates), not only of its main version.
    all_versions: bool = False


@dataclass(frozen=True)
class ArticleRef:
    """Where a record comes from."""

    id: int
    key: str
    title: str | None
    published: str | None
    url: str | None
    publisher: str | None


@dataclass(frozen=True)
class StatementHit:
    """A stored statement with where it comes from. `data` is its `newsgraph/1` JSON as stored: the API sends it
    as it is, and `statement` parses it only when a caller looks inside."""

    id: int
    day: str | None
    data: str = field(repr=False)
    article: ArticleRef
    speaker_actor: int | None

    @cached_property
    def statement(self) -> Statement:
        return Statement.model_validate_json(self.data)

    @classmethod
    def of_row(cls, row: Sequence[Any]) -> StatementHit:
        """From a row of `STATEMENT_COLUMNS`: SQLAlchemy's, or the driver's plain tuple."""
        statement_id, day, data, actor_id, *article = row
        return cls(statement_id, day, data, ArticleRef(*article), actor_id)


@dataclass(frozen=True)
class EventHit:
    """A stored event with where it comes from; `data` as in `StatementHit`."""

    id: int
    day: str | None
    data: str = field(repr=False)
    article: ArticleRef
    sentence: str

    @cached_property
    def event(self) -> Event:
        return Event.model_validate_json(self.data)

    @classmethod
    def of_row(cls, row: Sequence[Any]) -> EventHit:
        """From a row of `EVENT_COLUMNS`."""
        event_id, day, data, sentence, *article = row
        return cls(event_id, day, data, ArticleRef(*article), sentence)


@dataclass(frozen=True)
class SearchResult:
    statements: list[StatementHit]
    events: list[EventHit]


# --- full-text matching ------------------------------------------------------------------------------

def full_text(conn: Connection, table: Any, fts: str, query: str) -> ColumnElement[bool]:
    """A condition on `table` (statements, events, articles) that its text matches the query, in the language
    of newsgraph/store/fulltext.py."""
    parsed = parse_text_query(query)
    if conn.dialect.name == "postgresql":
        return postgres_condition(f"{table.name}.tsv", parsed)
    return sqlite_condition(table.c.id, fts, parsed)


# --- each story once -----------------------------------------------------------------------------------

def other_versions() -> Select[Any]:
    """The articles that are not their story's main version (near-duplicates: see newsgraph/store/write.py)."""
    return select(articles.c.id).where(articles.c.duplicate_of.is_not(None))


def main_versions_only(table: Any) -> ColumnElement[bool]:
    """Rows of `table` (one with an article_id column) from main versions only: each story counted once."""
    return table.c.article_id.not_in(other_versions())


def counted_versions(table: Any, f: Filters) -> list[ColumnElement[bool]]:
    """The condition that counts each story once, unless the filters ask for all versions."""
    return [] if f.all_versions else [main_versions_only(table)]


# --- actors by name ----------------------------------------------------------------------------------

def like(value: str) -> str:
    return "%" + value.lower().replace("%", "").replace("_", "") + "%"


def entity_ids_for_actor_name(name: str) -> Select[Any]:
    """Entities (in any article) linked to a corpus actor whose name contains `name`.

    Through the small actors table and the index on entities.actor_id: matching the name of every
    entity instead costs a scan of the largest table (100 ms at 20,000 articles)."""
    matching_actors = select(actors.c.id).where(func.lower(actors.c.name).like(like(name)))
    return select(entities.c.id).where(entities.c.actor_id.in_(matching_actors))


# --- search ------------------------------------------------------------------------------------------

def article_ref(row: Any) -> ArticleRef:
    return ArticleRef(row.article_id, row.key, row.title, row.published, row.url, row.publisher)


ARTICLE_COLUMNS = (articles.c.id.label("article_id"), articles.c.key, articles.c.title, articles.c.published,
                   articles.c.url, articles.c.publisher)
STATEMENT_COLUMNS = (statements.c.id, statements.c.day, statements.c.data, entities.c.actor_id, *ARTICLE_COLUMNS)
EVENT_COLUMNS = (events.c.id, events.c.day, events.c.data, events.c.sentence, *ARTICLE_COLUMNS)


def select_statement_hits() -> Select[Any]:
    """Statements with their article and their speaker's corpus actor: rows for `StatementHit.of_row`."""
    return (select(*STATEMENT_COLUMNS).join(articles, articles.c.id == statements.c.article_id)
            .outerjoin(entities, entities.c.id == statements.c.speaker_entity))


def select_event_hits() -> Select[Any]:
    """Events with their article: rows for `EventHit.of_row`."""
    return select(*EVENT_COLUMNS).join(articles, articles.c.id == events.c.article_id)


def statement_conditions(conn: Connection, f: Filters) -> list[ColumnElement[bool]]:
    s = statements.c
    conds: list[ColumnElement[bool]] = []
    if f.query:
        conds.append(full_text(conn, statements, "statements_fts", f.query))
    if f.speaker:
        conds.append(or_(s.speaker_entity.in_(entity_ids_for_actor_name(f.speaker)),
                         func.lower(s.speaker_name).like(like(f.speaker))))
    if f.actor:
        ents = entity_ids_for_actor_name(f.actor)
        in_content = exists().where(and_(mentions.c.article_id == s.article_id, mentions.c.entity_id.in_(ents),
                                         mentions.c.start >= s.content_start, mentions.c.end <= s.content_end))
        conds.append(or_(s.speaker_entity.in_(ents), s.addressee_entity.in_(ents), in_content))
    if f.place:
        conds.append(exists().where(and_(places.c.article_id == s.article_id, place_matches(places, f.place),
                                         places.c.start >= s.content_start, places.c.end <= s.content_end)))
    conds += date_range(s.day, f)
    if f.certainty:
        conds.append(s.certainty.in_(f.certainty))
    if f.kind:
        conds.append(s.kind.in_(f.kind))
    if f.event_type:
        conds.append(exists().where(and_(events.c.statement_id == s.id, events.c.type.in_(f.event_type))))
    if f.min_confidence is not None:
        conds.append(s.confidence >= f.min_confidence)  # NULL (unknown) is not >=: left out
    return conds + counted_versions(statements, f)


def event_conditions(conn: Connection, f: Filters) -> list[ColumnElement[bool]]:
    e = events.c
    conds: list[ColumnElement[bool]] = []
    if f.query:
        conds.append(full_text(conn, events, "events_fts", f.query))
    if f.speaker:
        conds.append(e.statement_id.in_(select(statements.c.id).where(or_(
            statements.c.speaker_entity.in_(entity_ids_for_actor_name(f.speaker)),
            func.lower(statements.c.speaker_name).like(like(f.speaker))))))
    if f.actor:
        conds.append(e.id.in_(select(event_actors.c.event_id).where(
            event_actors.c.entity_id.in_(entity_ids_for_actor_name(f.actor)))))
    if f.place:
        conds.append(place_matches(events, f.place))
    conds += date_range(e.day, f)
    if f.certainty:
        conds.append(e.certainty.in_(f.certainty))
    if f.event_type:
        conds.append(e.type.in_(f.event_type))
    if f.min_confidence is not None:
        conds.append(e.confidence >= f.min_confidence)
    return conds + counted_versions(events, f)


def place_matches(table: Any, place: str) -> ColumnElement[bool]:
    """A condition on `table` (places, or events by their location) for the `place` filter: a place key is
    exactly that gazetteer entry; anything else is part of a name, which every homonym shares."""
    if is_place_key(place):
        return table.c.place_key == place
    name = places.c.name if table is places else events.c.place_name
    return func.lower(name).like(like(place))


def date_range(column: Any, f: Filters) -> list[ColumnElement[bool]]:
    conds = []
    if f.since:
        conds.append(column >= f.since)
    if f.until:
        conds.append(column <= f.until)
    return conds


def search_statements(engine: Engine, f: Filters, limit: int = 50, offset: int = 0,
                      oldest_first: bool = False) -> list[StatementHit]:
    with engine.connect() as conn:
        query = (select_statement_hits()
                 .where(*statement_conditions(conn, f))
                 .order_by(*newest(statements, oldest_first)).limit(limit).offset(offset))
        return [StatementHit.of_row(r) for r in conn.execute(query)]


def count_statements(engine: Engine, f: Filters) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(statements)
                                .where(*statement_conditions(conn, f))).scalar_one())


def search_events(engine: Engine, f: Filters, limit: int = 50, offset: int = 0,
                  oldest_first: bool = False) -> list[EventHit]:
    if f.kind:  # statement kinds (direct, indirect) do not apply to events
        return []
    with engine.connect() as conn:
        query = (select_event_hits()
                 .where(*event_conditions(conn, f))
                 .order_by(*newest(events, oldest_first)).limit(limit).offset(offset))
        return [EventHit.of_row(r) for r in conn.execute(query)]


def newest(table: Any, oldest_first: bool) -> tuple[Any, Any]:
    if oldest_first:
        return table.c.day.asc(), table.c.id.asc()
    return table.c.day.desc(), table.c.id.desc()


def count_events(engine: Engine, f: Filters) -> int:
    if f.kind:
        return 0
    with engine.connect() as conn:
        query = select(func.count()).select_from(events).where(*event_conditions(conn, f))
        return int(conn.execute(query).scalar_one())


def search(engine: Engine, f: Filters, limit: int = 50, offset: int = 0) -> SearchResult:
    return SearchResult(search_statements(engine, f, limit, offset), search_events(engine, f, limit, offset))


# --- one article ------------------------------------------------------------------------------------

def find_article(conn: Connection, ref: str | int) -> Any:
    condition = articles.c.key == str(ref)
    row_id = as_row_id(ref)
    if row_id is not None:
        condition = or_(condition, articles.c.id == row_id)
    return conn.execute(select(articles).where(condition).order_by(articles.c.key != str(ref))).first()


def as_row_id(ref: str | int) -> int | None:
    """`ref` as a row id when it is one (ASCII digits within the id columns' range), else None: a number that
    no id can be is no row rather than an error of the driver."""
    text = str(ref)
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ROW_ID else None


def load_document(engine: Engine, ref: str | int) -> Document | None:
    """The stored document of an article (by its key or row id), as `analyze --json` gave it: its own text and
    records, also for a near-duplicate. (A near-duplicate stored by schema version 2 has no records.)"""
    with engine.connect() as conn:
        row = find_article(conn, ref)
        if row is None:
            return None

        def records(table: Any, model: Any) -> list[Any]:
            rows = conn.execute(select(table.c.data).where(table.c.article_id == row.id).order_by(table.c.id))
            return [model.model_validate_json(r.data) for r in rows]

        return Document(text=row.text, article=article_record(row), entities=records(entities, Entity),
                        statements=records(statements, Statement), dates=records(dates, DateRef),
                        places=records(places, Place), amounts=records(amounts, Amount),
                        events=records(events, Event))


# --- corpus summary -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    articles: int
    duplicates: int
    statements: int
    events: int
    actors: int
    places: int
    failures: int


def summary(engine: Engine) -> Summary:
    """Articles (every version), near-duplicates among them, and the records of each story once."""
    with engine.connect() as conn:
        def count(table: Any, *where: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())

        return Summary(count(articles), count(articles, articles.c.duplicate_of.is_not(None)),
                       count(statements, main_versions_only(statements)), count(events, main_versions_only(events)),
                       count(actors, listed_actors()), count(places, main_versions_only(places)), count(failures))


# --- actors -------------------------------------------------------------------------------------------

@dataclass
class ActorView:
    """Everything the store knows about one corpus actor."""

    id: int
    name: str
    type: str
    names: list[tuple[str, int]] = field(default_factory=list)  # (name seen, articles)
    titles: list[str] = field(default_factory=list)
    articles: list[ArticleRef] = field(default_factory=list)
    said: list[StatementHit] = field(default_factory=list)
    addressed: list[tuple[str, int]] = field(default_factory=list)  # (addressee, statements)
    did: list[EventHit] = field(default_factory=list)  # events as actor
    undergone: list[EventHit] = field(default_factory=list)  # events as recipient
    talked_about_by: list[tuple[str, int]] = field(default_factory=list)  # (speaker, statements)
    links: list[ActorLinkRow] = field(default_factory=list)
    # How many statements and events there are in all: the lists above stop at actor_view's limit, and a
    # reader counting what an actor said must not take the first 200 for all of them.
    said_total: int = 0
    did_total: int = 0
    undergone_total: int = 0
    # From the analyst's actor dictionary (`newsgraph actors import`), when it is one of its actors.
    outside_id: str | None = None
    country: str | None = None
    sector: str | None = None
    origin: str = "linked"


@dataclass(frozen=True)
class ActorLinkRow:
    """Why one article's entity is this actor: the article's key, the entity's id in it (E3), its name there, the
    rule, evidence and confidence of the link."""

    article: str
    entity: str
    name: str
    rule: str
    evidence: str
    confidence: float | None


def listed_actors() -> ColumnElement[bool]:
    """The actors lists show: not merged into another, and with an article (or from the analyst's dictionary)."""
    return and_(actors.c.merged_into.is_(None), or_(actors.c.article_count > 0, actors.c.origin == "dictionary"))


_ACTOR_REF = re.compile(r"^\s*(?:#|(?:https?://[^/]+)?/?(?:api/)?actors/)?(\d+)/?\s*$")


def actor_id_of(ref: str) -> int | None:
    """The actor id written as `12`, `#12`, `/actors/12` or `/api/actors/12` (as the web UI shows it), else None."""
    match = _ACTOR_REF.match(ref)
    return int(match.group(1)) if match else None


def resolve_merged(conn: Connection, actor_id: int) -> int:
    """The actor that `actor_id` stands for now: itself, or the actor it was merged into (followed to the end)."""
    seen = {actor_id}
    while True:
        into = conn.execute(select(actors.c.merged_into).where(actors.c.id == actor_id)).scalar()
        if into is None or into in seen:
            return actor_id
        seen.add(into)
        actor_id = into


def find_actors(engine: Engine, name: str, limit: int = 10) -> list[tuple[int, str, str, int]]:
    """Actors named `name`: its id as the web UI writes it (12, #12, /actors/12; a merged actor's id finds the
    actor it was merged into), else those whose name contains it or whose entities were written so. Names that
    are it or end in it ("Trump" for Donald Trump) or with an entity written so come first, then the most seen."""
    with engine.connect() as conn:
        actor_id = actor_id_of(name)
        if actor_id is not None and as_row_id(actor_id) is not None:
            row = conn.execute(select(actors.c.id, actors.c.name, actors.c.type, actors.c.article_count)
                               .where(actors.c.id == resolve_merged(conn, actor_id))).first()
            if row is not None:
                return [(row.id, row.name, row.type, row.article_count)]
        written_so = select(entities.c.actor_id).where(func.lower(entities.c.name) == name.lower())
        rows = conn.execute(
            select(actors.c.id, actors.c.name, actors.c.type, actors.c.article_count,
                   actors.c.id.in_(written_so).label("written_so"))
            .where(listed_actors(), or_(func.lower(actors.c.name).like(like(name)), actors.c.id.in_(written_so)))
            .order_by(actors.c.article_count.desc(), actors.c.id).limit(max(limit, 200))).all()
    wanted = " ".join(name.lower().split())

    def named(actor_name: str) -> bool:
        written = " ".join(actor_name.lower().split())
        return written == wanted or written.endswith(" " + wanted)

    # An actor written so in the articles ("RT" for Russia Today) is as good as one named so, and comes before
    # one that only contains the letters ("U.S. Supreme Court" contains "rt").
    ranked = sorted(rows, key=lambda r: (not (named(r.name) or r.written_so), -r.article_count, r.id))
    return [(r.id, r.name, r.type, r.article_count) for r in ranked[:limit]]


def actor_view(engine: Engine, actor_id: int, limit: int = 200, all_versions: bool = False) -> ActorView | None:
    """The actor's names, articles, statements and events, from the main version of each story (all versions
    with `all_versions`)."""
    if as_row_id(actor_id) is None:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(actors).where(actors.c.id == actor_id)).first()
        if row is None:
            return None
        view = ActorView(row.id, row.name, row.type, titles=json.loads(row.profile).get("titles", []),
                         outside_id=row.outside_id, country=row.country, sector=row.sector, origin=row.origin)
        ents = conn.execute(select(entities.c.id, entities.c.local_id, entities.c.name, entities.c.article_id,
                                   entities.c.link_rule, entities.c.link_evidence, entities.c.link_confidence,
                                   articles.c.key)
                            .join(articles, articles.c.id == entities.c.article_id)
                            .where(entities.c.actor_id == actor_id,
                                   *counted_versions(entities, Filters(all_versions=all_versions)))
                            .order_by(articles.c.published, articles.c.key, entities.c.local_id)).all()
        view.names = Counter(e.name for e in ents).most_common()
        view.links = [ActorLinkRow(e.key, e.local_id, e.name, e.link_rule or "", e.link_evidence or "",
                                   e.link_confidence) for e in ents]
        ids = [e.id for e in ents]
        view.articles = [article_ref(r) for r in conn.execute(
            select(*ARTICLE_COLUMNS).where(articles.c.id.in_({e.article_id for e in ents}))
            .order_by(articles.c.published, articles.c.key))]
        view.said = statement_hits(conn, statements.c.speaker_entity.in_(ids), limit)
        view.said_total = int(conn.execute(select(func.count()).select_from(statements)
                                           .where(statements.c.speaker_entity.in_(ids))).scalar_one())
        view.addressed = Counter(h.statement.addressee.name for h in view.said if h.statement.addressee).most_common()
        view.did = event_hits(conn, "actor", ids, limit)
        view.undergone = event_hits(conn, "recipient", ids, limit)
        view.did_total, view.undergone_total = (count_event_hits(conn, role, ids) for role in ("actor", "recipient"))
        about = statement_hits(conn, exists().where(and_(
            mentions.c.article_id == statements.c.article_id, mentions.c.entity_id.in_(ids),
            mentions.c.start >= statements.c.content_start, mentions.c.end <= statements.c.content_end)), limit)
        view.talked_about_by = talkers(conn, [h for h in about if h.speaker_actor != actor_id])
        return view


# A speaker left as one of these names no one: "it (3); we (2)" among the actors who talked about one.
UNRESOLVED_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "it", "they", "one"})


def talkers(conn: Connection, hits: Sequence[StatementHit]) -> list[tuple[str, int]]:
    """Who made these statements, most first: a linked speaker under its corpus actor's name ("PENCE" and "Mike
    Pence" are one), an unlinked one under its own name, unresolved pronouns left out."""
    linked = {h.speaker_actor for h in hits if h.speaker_actor is not None}
    names = dict(conn.execute(select(actors.c.id, actors.c.name).where(actors.c.id.in_(linked))).all()) if linked \
        else {}
    said: Counter[str] = Counter()
    for h in hits:
        speaker = h.statement.speaker
        if speaker is None:
            continue
        if h.speaker_actor in names:
            said[names[h.speaker_actor]] += 1
        elif speaker.name.lower() not in UNRESOLVED_PRONOUNS:
            said[speaker.name] += 1
    return said.most_common()


def statement_hits(conn: Connection, condition: ColumnElement[bool], limit: int) -> list[StatementHit]:
    rows = conn.execute(select_statement_hits().where(condition)
                        .order_by(statements.c.day, statements.c.id).limit(limit))
    return [StatementHit.of_row(r) for r in rows]


def event_hits(conn: Connection, role: str, entity_ids: Sequence[int], limit: int) -> list[EventHit]:
    rows = conn.execute(select_event_hits()
                        .where(events.c.id.in_(select(event_actors.c.event_id).where(
                            event_actors.c.role == role, event_actors.c.entity_id.in_(entity_ids))))
                        .order_by(events.c.day, events.c.id).limit(limit))
    return [EventHit.of_row(r) for r in rows]


def count_event_hits(conn: Connection, role: str, entity_ids: Sequence[int]) -> int:
    """How many events `event_hits` finds without its limit."""
    return int(conn.execute(select(func.count()).select_from(events).where(events.c.id.in_(
        select(event_actors.c.event_id).where(event_actors.c.role == role,
                                              event_actors.c.entity_id.in_(entity_ids))))).scalar_one())


@dataclass(frozen=True)
class ActorEdit:
    """One recorded hand edit of the corpus actors (merge, unmerge, unlink, import, relink)."""

    id: int
    at: str
    action: str
    actor_id: int | None
    other_id: int | None
    entity: str | None  # "ARTICLE E3" for an unlink

    @property
    def undo(self) -> str:
        """The command that undoes the edit, where one does."""
        if self.action == "merge":
            return f"newsgraph unmerge {self.other_id}"
        if self.action in ("unmerge", "unlink") and self.actor_id is not None and self.other_id is not None:
            return f"newsgraph merge {self.actor_id} {self.other_id}"
        return ""


def list_edits(engine: Engine, limit: int = 100) -> list[ActorEdit]:
    """The latest hand edits of the actors, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(actor_edits.c.id, actor_edits.c.at, actor_edits.c.action, actor_edits.c.actor_id,
                                   actor_edits.c.other_id, articles.c.key, entities.c.local_id)
                            .outerjoin(entities, entities.c.id == actor_edits.c.entity_id)
                            .outerjoin(articles, articles.c.id == entities.c.article_id)
                            .order_by(actor_edits.c.id.desc()).limit(limit)).all()
    return [ActorEdit(r.id, r.at, r.action, r.actor_id, r.other_id, f"{r.key} {r.local_id}" if r.key else None)
            for r in rows]


def list_failures(engine: Engine, limit: int = 100) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(failures).order_by(failures.c.id.desc()).limit(limit))
        return [(r.source, r.message, r.at) for r in rows]


def article_by_key(engine: Engine, key: str) -> Article | None:
    with engine.connect() as conn:
        row = find_article(conn, key)
        return article_record(row) if row else None


# --- lists and single records for the HTTP API and the web pages -----------------------------------------

@dataclass(frozen=True)
class ArticleSummary:
    ref: ArticleRef
    statements: int
    events: int
    duplicate_of: str | None


def list_articles(engine: Engine, limit: int = 50, offset: int = 0, query: str | None = None) -> list[ArticleSummary]:
    with engine.connect() as conn:
        n_statements = (select(func.count()).where(statements.c.article_id == articles.c.id)
                        .correlate(articles).scalar_subquery())
        n_events = (select(func.count()).where(events.c.article_id == articles.c.id)
                    .correlate(articles).scalar_subquery())
        q = select(*ARTICLE_COLUMNS, n_statements.label("n_statements"), n_events.label("n_events"),
                   articles.c.duplicate_of)
        if query:
            q = q.where(full_text(conn, articles, "articles_fts", query))
        q = q.order_by(articles.c.published.desc(), articles.c.id.desc()).limit(limit).offset(offset)
        result = conn.execute(q).all()
        keys = dict(conn.execute(select(articles.c.id, articles.c.key).where(
            articles.c.id.in_({r.duplicate_of for r in result if r.duplicate_of}))).all())
        return [ArticleSummary(article_ref(r), r.n_statements, r.n_events, keys.get(r.duplicate_of))
                for r in result]


def count_rows(engine: Engine, table_name: str) -> int:
    table = {"articles": articles, "statements": statements, "events": events, "actors": actors,
             "places": places}[table_name]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def get_statement(engine: Engine, statement_id: int) -> StatementHit | None:
    if as_row_id(statement_id) is None:
        return None
    with engine.connect() as conn:
        hits = statement_hits(conn, statements.c.id == statement_id, 1)
        return hits[0] if hits else None


def get_event(engine: Engine, event_id: int) -> EventHit | None:
    if as_row_id(event_id) is None:
        return None
    with engine.connect() as conn:
        rows = conn.execute(select_event_hits().where(events.c.id == event_id))
        return next((EventHit.of_row(r) for r in rows), None)


@dataclass(frozen=True)
class ActorSummary:
    id: int
    name: str
    type: str
    article_count: int
    titles: list[str]
    outside_id: str | None = None  # from the analyst's actor dictionary
    country: str | None = None
    sector: str | None = None


def list_actors(engine: Engine, limit: int = 50, offset: int = 0, name: str | None = None) -> list[ActorSummary]:
    with engine.connect() as conn:
        q = select(actors).where(listed_actors())
        if name:
            q = q.where(func.lower(actors.c.name).like(like(name)))
        q = q.order_by(actors.c.article_count.desc(), actors.c.id).limit(limit).offset(offset)
        return [ActorSummary(r.id, r.name, r.type, r.article_count, json.loads(r.profile).get("titles", []),
                             r.outside_id, r.country, r.sector) for r in conn.execute(q)]


@dataclass(frozen=True)
class PlaceSummary:
    """One gazetteer entry the corpus names: its key, name, country, feature and own point, and how often, in how
    many articles and at how many events it is named (each story once)."""

    key: str
    name: str
    country: str | None
    admin1: str | None
    feature: str | None
    geonames_id: int | None
    lat: float | None
    lon: float | None
    mentions: int
    articles: int
    events: int

    @property
    def label(self) -> str:
        """`Paris, Texas, US (city)`: what tells it from its homonyms."""
        return place_label(self.name, self.country, self.feature, self.admin1)


def list_places(engine: Engine, limit: int | None = 500, offset: int = 0,
                name: str | None = None) -> list[PlaceSummary]:
    """Resolved places, one per gazetteer entry, most named first; `name`: part of their name."""
    with engine.connect() as conn:
        return list(place_summaries(conn, name=name, limit=limit, offset=offset))


def place_summaries(conn: Connection, name: str | None = None, keys: Sequence[str] | None = None,
                    limit: int | None = None, offset: int = 0) -> Iterator[PlaceSummary]:
    """The places whose name contains `name`, or those of `keys`, or all; most named first.

    Grouped by gazetteer entry, and each takes its name, country, feature and point from its first mention: every
    mention of an entry has the same ones (two entries are never averaged into a point between them). Its admin1
    is any mention's that has one: mentions stored before records had it have none."""
    mention_conds: list[ColumnElement[bool]] = [main_versions_only(places)]
    event_conds: list[ColumnElement[bool]] = [events.c.place_key.is_not(None), main_versions_only(events)]
    if keys is not None:
        mention_conds.append(places.c.place_key.in_(keys))
        event_conds.append(events.c.place_key.in_(keys))
    if name:
        mention_conds.append(place_matches(places, name))
        event_conds.append(place_matches(events, name))
    groups = (select(places.c.place_key, func.min(places.c.id).label("first"), func.count().label("mentions"),
                     func.count(places.c.article_id.distinct()).label("articles"),
                     func.max(places.c.admin1).label("admin1"))
              .where(*mention_conds).group_by(places.c.place_key).subquery())
    event_counts = (select(events.c.place_key, func.count().label("n")).where(*event_conds)
                    .group_by(events.c.place_key).subquery())
    entry = places.alias("entry")
    q = (select(groups.c.place_key, entry.c.name, entry.c.country, groups.c.admin1, entry.c.feature,
                entry.c.geonames_id, entry.c.lat, entry.c.lon, groups.c.mentions, groups.c.articles,
                func.coalesce(event_counts.c.n, 0).label("events"))
         .select_from(groups).join(entry, entry.c.id == groups.c.first)
         .outerjoin(event_counts, event_counts.c.place_key == groups.c.place_key)
         .order_by(groups.c.mentions.desc(), entry.c.name, groups.c.place_key).limit(limit).offset(offset))
    for r in conn.execute(q):
        yield PlaceSummary(r.place_key, r.name, r.country, r.admin1, r.feature, r.geonames_id, r.lat, r.lon,
                           r.mentions, r.articles, r.events)


def place_articles(engine: Engine, key: str, limit: int = 100) -> list[ArticleRef]:
    """The articles naming the place (by its key), newest first, main versions only."""
    with engine.connect() as conn:
        naming = select(places.c.article_id).where(places.c.place_key == key)
        q = (select(*ARTICLE_COLUMNS).where(articles.c.id.in_(naming), articles.c.duplicate_of.is_(None))
             .order_by(articles.c.published.desc()).limit(limit))
        return [article_ref(r) for r in conn.execute(q)]


# --- for the web pages (newsgraph/server/pages.py) ---------------------------------------------------------

@dataclass(frozen=True)
class ArticleRelations:
    """An article's near-duplicate links: the article it repeats, and the articles that repeat it."""

    ref: ArticleRef
    duplicate_of: ArticleRef | None
    similarity: float | None
    duplicates: list[ArticleRef]


def article_relations(engine: Engine, ref: str | int) -> ArticleRelations | None:
    with engine.connect() as conn:
        row = find_article(conn, ref)
        if row is None:
            return None

        def refs(condition: ColumnElement[bool]) -> list[ArticleRef]:
            query = select(*ARTICLE_COLUMNS).where(condition).order_by(articles.c.published, articles.c.key)
            return [article_ref(r) for r in conn.execute(query)]

        original = refs(articles.c.id == row.duplicate_of)[0] if row.duplicate_of else None
        own = ArticleRef(row.id, row.key, row.title, row.published, row.url, row.publisher)
        return ArticleRelations(own, original, row.similarity, refs(articles.c.duplicate_of == row.id))


def article_actor_ids(engine: Engine, ref: str | int) -> dict[str, int]:
    """Corpus actor id of each linked entity of an article, by the entity's id in the article (E1, E2, ...)."""
    with engine.connect() as conn:
        row = find_article(conn, ref)
        if row is None:
            return {}
        rows = conn.execute(select(entities.c.local_id, entities.c.actor_id).where(
            entities.c.article_id == row.id, entities.c.actor_id.is_not(None)))
        return {r.local_id: r.actor_id for r in rows}


def article_texts(engine: Engine, article_ids: Sequence[int]) -> dict[int, str]:
    """The texts of some articles by row id (a results page links each record to its sentence)."""
    if not article_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.text).where(articles.c.id.in_(set(article_ids))))
        return {r.id: r.text for r in rows}


def monthly_counts(engine: Engine, f: Filters) -> list[tuple[str, int, int]]:
    """(YYYY-MM, statements, events) for every month with a dated record matching the filters, in order."""
    with engine.connect() as conn:
        def per_month(table: Any, conds: list[ColumnElement[bool]]) -> dict[str, int]:
            month = func.substr(table.c.day, 1, 7)
            query = (select(month.label("month"), func.count().label("n")).select_from(table)
                     .where(table.c.day.is_not(None), *conds).group_by(month))
            return {r.month: int(r.n) for r in conn.execute(query)}

        said = per_month(statements, statement_conditions(conn, f))
        done = per_month(events, event_conditions(conn, f)) if not f.kind else {}
        return [(m, said.get(m, 0), done.get(m, 0)) for m in sorted(set(said) | set(done))]


def statement_export_rows(engine: Engine, f: Filters, limit: int = 10_000,
                          batch: int = 1000) -> Iterator[dict[str, Any]]:
    """The statements matching the filters as rows of `newsgraph export statements` (the same columns),
    newest first like the statements explorer, streamed."""
    from newsgraph.store.export import rows

    return rows(engine, "statements", batch, filters=f, limit=limit)


# --- additions for the JSON API (newsgraph/server/api.py): totals for the lists, one place, article links --

def count_articles_matching(engine: Engine, query: str | None = None) -> int:
    """How many articles `list_articles` pages through with this full-text query (all when None)."""
    with engine.connect() as conn:
        q = select(func.count()).select_from(articles)
        if query:
            q = q.where(full_text(conn, articles, "articles_fts", query))
        return int(conn.execute(q).scalar_one())


def count_actors(engine: Engine, name: str | None = None) -> int:
    """How many actors `list_actors` pages through with this name filter."""
    with engine.connect() as conn:
        q = select(func.count()).select_from(actors).where(listed_actors())
        if name:
            q = q.where(func.lower(actors.c.name).like(like(name)))
        return int(conn.execute(q).scalar_one())


def count_places(engine: Engine, name: str | None = None) -> int:
    """How many distinct places (gazetteer entries) `list_places` pages through with this name filter."""
    with engine.connect() as conn:
        q = select(func.count(places.c.place_key.distinct())).where(main_versions_only(places))
        if name:
            q = q.where(place_matches(places, name))
        return int(conn.execute(q).scalar_one())


def find_places(engine: Engine, ref: str) -> list[PlaceSummary]:
    """The place of a key (`geonames:2988507`), or every place of a name (any letter case), most named first:
    "Paris" may be Paris, France and Paris, Texas. Empty when the corpus names none."""
    with engine.connect() as conn:
        keys = place_keys_of(conn, ref)
        return list(place_summaries(conn, keys=keys)) if keys else []


def place_keys_of(conn: Connection, ref: str) -> list[str]:
    """The keys of the places a reference means: the key itself when the corpus names that place, else the keys
    of every place of that name (exact letter case first)."""
    counted = main_versions_only(places)
    if is_place_key(ref):
        return list(conn.execute(select(places.c.place_key).where(places.c.place_key == ref, counted)
                                 .limit(1)).scalars())
    # The index serves the exact name; other letter cases need a scan.
    for same_name in (places.c.name == ref, func.lower(places.c.name) == ref.lower()):
        keys = list(conn.execute(select(places.c.place_key).distinct().where(same_name, counted)).scalars())
        if keys:
            return keys
    return []


def events_at_place(engine: Engine, key: str, limit: int = 50, offset: int = 0) -> list[EventHit]:
    """A page of the events located at exactly this place (by its key), newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select_event_hits()
                            .where(events.c.place_key == key, main_versions_only(events))
                            .order_by(*newest(events, False)).limit(limit).offset(offset))
        return [EventHit.of_row(r) for r in rows]
