"""The API's statements and events pages, planned for SQLite: its hot path.

`query.search_statements` matches a speaker with LIKE '%name%' on the statements' speaker names, which no index
serves, and counts every match of a full-text query or a date range row by row: on 20,000 articles a page and
its count cost tens to hundreds of milliseconds. Here a `StatementIndex`, kept in memory for each SQLite store,
holds every statement's speaker name and day. A speaker and a full-text query become sorted arrays of statement
ids (cached until the store changes, so the next page of a search costs almost nothing), and:

* with no other filter than words, speaker and dates (the common case), the page is found in memory: the sets
  intersected, the days compared, the newest `offset + limit` picked, and only those rows read;
* with other filters (actor, place, certainty, kind, event type) SQLite does the work, planned from the sizes
  of the id sets: driven by a small set, or along the day index testing membership in a large one.

Both give exactly what `search_statements` and `count_statements` give (tests compare them on every plan).
"""

from __future__ import annotations

import json
import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Connection, Engine, bindparam, func, select, text
from sqlalchemy.dialects import sqlite

from newsgraph.store.fulltext import parse as parse_text_query
from newsgraph.store.fulltext import sqlite_ids_sql
from newsgraph.store.query import (
    EventHit,
    Filters,
    StatementHit,
    count_events,
    count_statements,
    counted_versions,
    date_range,
    event_conditions,
    like,
    newest,
    search_events,
    search_statements,
    select_event_hits,
    select_statement_hits,
    statement_conditions,
)
from newsgraph.store.schema import actors, entities, events, statements

DRIVE_BY_IDS = 2_000  # a set this small is cheaper to look up row by row than to meet along the day index
CACHED_IDS = 4_000_000  # statement ids kept for recent speakers and full-text queries (8 bytes each)
SPEAKER_TEST = "newsgraph_speaker_has"  # the SQL function that tests a statement id against a large speaker set
NO_ROW, NO_DAY = -1, 0  # day codes of an id with no statement, and of a statement without a day
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def sqlite_lower(value: str) -> str:
    """SQLite's lower() and LIKE fold ASCII letters only; the name index must match exactly as they do."""
    return value.translate(_ASCII_LOWER)


# --- the index ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DayOrder:
    """The distinct days of the store in order, and each day code's rank among them (-1: no day), so that
    statements sort and compare by day as SQLite sorts and compares the strings (NULL lowest)."""

    days: list[str]
    rank_of_code: np.ndarray

    @classmethod
    def of(cls, day_values: list[str]) -> DayOrder:
        # day_values[code - 1] is the day of code `code`; code 0 is "no day".
        order = sorted(range(len(day_values)), key=day_values.__getitem__)
        ranks = np.full(len(day_values) + 1, -1, dtype=np.int64)
        ranks[np.array(order, dtype=np.int64) + 1] = np.arange(len(order), dtype=np.int64)
        return cls([day_values[i] for i in order], ranks)

    def since_rank(self, day: str) -> int:
        return bisect_left(self.days, day)

    def until_rank(self, day: str) -> int:
        """Ranks below this are on or before `day`."""
        return bisect_right(self.days, day)


class StatementIndex:
    """Every statement's speaker name (ASCII-lowered) and day, in memory, for one SQLite store.

    Statements are never changed once written and SQLite commits them in id order, so the index is brought up
    to date by reading only the rows added since. Speaker and full-text id sets are cached until the store
    changes: new statements, entities or actors (a merge renames an actor only when an entity is written; an
    unlink creates an actor)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.names: dict[str, array[int]] = {}
        self.day_codes = np.full(1, NO_ROW, dtype=np.int32)  # by statement id; replaced, never changed in place
        self.day_values: list[str] = []
        self.code_of_day: dict[str, int] = {}
        self.last_id = 0
        self.version: tuple[int, int, int] = (0, 0, 0)
        self.cache: dict[tuple[str, str], np.ndarray] = {}
        self._order: DayOrder | None = None
        self._day_counts: np.ndarray | None = None
        # The statements of near-duplicates (articles that are not their story's main version) are left out of
        # every page, as `query.counted_versions` leaves them out: their ids, and which articles they were read for
        # (how many, and the sum of their ids: a promotion changes the set, not always its size).
        self.other_versions: tuple[int, int] = (0, 0)
        self.hidden = np.zeros(0, dtype=np.int64)
        self._counted_codes: np.ndarray | None = None

    def refresh(self, conn: Connection) -> None:
        """Read what was added since the last call. Call with `lock` held."""
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        newest_id, entity_id, actor_id, n_versions, sum_versions = cursor.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM statements), (SELECT coalesce(max(id), 0) FROM entities),"
            " (SELECT coalesce(max(id), 0) FROM actors),"
            " (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL),"
            " (SELECT coalesce(sum(id), 0) FROM articles WHERE duplicate_of IS NOT NULL)").fetchone()
        if newest_id < self.last_id:  # another store under the same engine: start again
            self.reset()
        grew = newest_id > self.last_id
        if grew:
            # (Each SELECT sees the store as it is then: rows committed since the first are left for the next.)
            self.add(cursor.execute("SELECT id, speaker_name, day FROM statements WHERE id > ? AND id <= ? ORDER BY id",
                                    (self.last_id, newest_id)).fetchall(), newest_id)
        if grew or (n_versions, sum_versions) != self.other_versions:
            self.hide(cursor.execute("SELECT id FROM statements WHERE id <= ? AND article_id IN"
                                     " (SELECT id FROM articles WHERE duplicate_of IS NOT NULL)", (newest_id,)))
            self.other_versions = (int(n_versions), int(sum_versions))
        version = (int(newest_id), int(entity_id), int(actor_id))
        if version != self.version:
            self.version, self.cache = version, {}

    def add(self, rows: list[tuple[int, str | None, str | None]], newest_id: int) -> None:
        codes = np.full(newest_id + 1, NO_ROW, dtype=np.int32)
        codes[: len(self.day_codes)] = self.day_codes
        for statement_id, name, day in rows:
            if name is not None:
                self.names.setdefault(sqlite_lower(name), array("q")).append(statement_id)
            codes[statement_id] = NO_DAY if day is None else self.day_code(day)
        self.day_codes, self.last_id, self._day_counts, self._counted_codes = codes, newest_id, None, None

    def hide(self, rows: Any) -> None:
        """Leave these statements (of near-duplicates) out of the pages from now on."""
        self.hidden = np.fromiter((r[0] for r in rows), dtype=np.int64)
        self._day_counts = self._counted_codes = None

    def counted_codes(self) -> np.ndarray:
        """The day codes by statement id, with the hidden statements as no statement."""
        if self._counted_codes is None:
            self._counted_codes = self.day_codes
            if len(self.hidden):
                self._counted_codes = self.day_codes.copy()
                self._counted_codes[self.hidden[self.hidden < len(self.day_codes)]] = NO_ROW
        return self._counted_codes

    def day_code(self, day: str) -> int:
        code = self.code_of_day.get(day)
        if code is None:
            self.day_values.append(day)
            code = self.code_of_day[day] = len(self.day_values)
            self._order = None
        return code

    def day_order(self) -> DayOrder:
        if self._order is None:
            self._order = DayOrder.of(self.day_values)
        return self._order

    def cached(self, key: tuple[str, str], version: tuple[int, int, int], ids: np.ndarray) -> np.ndarray:
        """Keep `ids` for `key` if the store has not changed since they were read, dropping the oldest sets to
        stay within CACHED_IDS."""
        with self.lock:
            if self.version == version and len(ids) <= CACHED_IDS:
                while self.cache and sum(len(s) for s in self.cache.values()) + len(ids) > CACHED_IDS:
                    self.cache.pop(next(iter(self.cache)))
                self.cache[key] = ids
        return ids

    def up_to_date(self, conn: Connection) -> tuple[int, int, int]:
        """Bring the index up to date with the store; the version it is now at."""
        with self.lock:
            self.refresh(conn)
            return self.version

    def speaker_ids(self, conn: Connection, speaker: str, version: tuple[int, int, int]) -> np.ndarray:
        """The statements `Filters(speaker=...)` keeps, sorted, for an index brought up to `version`."""
        needle = like(speaker)[1:-1]
        with self.lock:
            if ("speaker", speaker) in self.cache:
                return self.cache["speaker", speaker]
            parts = [np.frombuffer(ids, dtype=np.int64).copy() for name, ids in self.names.items() if needle in name]
        # The other half of the condition: statements whose speaker entity belongs to an actor of that name,
        # found through indexes only.
        by_actor = select(statements.c.id).where(statements.c.speaker_entity.in_(
            select(entities.c.id).where(entities.c.actor_id.in_(
                select(actors.c.id).where(func.lower(actors.c.name).like(like(speaker)))))))
        parts.append(np.fromiter(conn.execute(by_actor).scalars(), dtype=np.int64))
        return self.cached(("speaker", speaker), version, np.unique(np.concatenate(parts)))

    def matching_ids(self, conn: Connection, query: str, version: tuple[int, int, int]) -> np.ndarray:
        """The statements whose text matches the full-text query, sorted, for an index brought up to `version`."""
        parsed = parse_text_query(query)
        key = ("query", repr(parsed))
        with self.lock:
            if key in self.cache:
                return self.cache[key]
            day_codes = self.day_codes  # (replaced when statements arrive, never changed in place)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]

        def fts_rowids(expression: str) -> np.ndarray:
            rows = cursor.execute("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?", (expression,))
            return np.fromiter((r[0] for r in rows), dtype=np.int64)

        if parsed.required:
            ids = np.sort(fts_rowids(parsed.fts5_match()))
        elif parsed.excluded:  # only exclusions: every statement of the index except those
            ids = np.setdiff1d(np.flatnonzero(day_codes != NO_ROW), fts_rowids(parsed.fts5_excluded()))
        else:  # nothing to search for
            ids = np.empty(0, dtype=np.int64)
        return self.cached(key, version, ids)

    def snapshot(self, conn: Connection) -> Snapshot:
        with self.lock:
            self.refresh(conn)
            codes = self.counted_codes()
            if self._day_counts is None:
                self._day_counts = np.bincount(codes[codes != NO_ROW], minlength=len(self.day_values) + 1)
            return Snapshot(self.version, codes, self.day_order(), self._day_counts)


@dataclass(frozen=True)
class Snapshot:
    """The index at one moment: its version, day codes by statement id (NO_ROW for no statement, or one of a
    near-duplicate), the day order, and how many statements have each day code."""

    version: tuple[int, int, int]
    day_codes: np.ndarray
    order: DayOrder
    day_counts: np.ndarray

    def ranks_of(self, ids: np.ndarray) -> np.ndarray:
        return self.order.rank_of_code[self.day_codes[ids]]

    def in_range(self, ranks: np.ndarray, f: Filters) -> np.ndarray:
        """Which of these day ranks `f.since` and `f.until` keep (both exclude statements without a day)."""
        lowest = self.order.since_rank(f.since) if f.since else 0 if f.until else -1  # -1: no day
        keep = ranks >= lowest
        if f.until:
            keep &= ranks < self.order.until_rank(f.until)
        return keep

    def count_in_range(self, f: Filters) -> int:
        """How many statements the date range keeps, from the counts by day."""
        return int(self.day_counts[self.in_range(self.order.rank_of_code, f)].sum())


_indexes: weakref.WeakKeyDictionary[Engine, StatementIndex] = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


def statement_index(engine: Engine) -> StatementIndex:
    with _indexes_lock:
        return _indexes.setdefault(engine, StatementIndex())


# --- pages found in memory -----------------------------------------------------------------------------------

def memory_page(conn: Connection, f: Filters, limit: int, offset: int) -> tuple[list[StatementHit], int]:
    """A page of the statements matching words, speaker and dates only: which ones, in memory; their rows from
    the store."""
    index = statement_index(conn.engine)
    snapshot = index.snapshot(conn)
    sets = []
    if f.speaker:
        sets.append(index.speaker_ids(conn, f.speaker, snapshot.version))
    if f.query:
        sets.append(index.matching_ids(conn, f.query, snapshot.version))
    if not sets:  # dates only: count by day in memory, and let SQLite walk its day index to the page
        total = snapshot.count_in_range(f)
        page_rows = conn.execute(select_statement_hits().where(*date_range(statements.c.day, f),
                                                               *counted_versions(statements, f))
                                 .order_by(*newest(statements, False)).limit(limit).offset(offset))
        return [StatementHit.of_row(r) for r in page_rows], total
    ids = sets[0] if len(sets) == 1 else np.intersect1d(sets[0], sets[1], assume_unique=True)
    ids = ids[ids < len(snapshot.day_codes)]  # (rows committed after the snapshot wait for the next request)
    ids = ids[snapshot.day_codes[ids] != NO_ROW]  # not those of near-duplicates
    ranks = snapshot.ranks_of(ids)
    if f.since or f.until:
        keep = snapshot.in_range(ranks, f)
        ids, ranks = ids[keep], ranks[keep]
    total = len(ids)
    if offset >= total:
        return [], total
    page = newest_first(ids, ranks, offset, limit).tolist()
    # On the driver's cursor: SQLAlchemy's result rows cost more than SQLite's work for a page.
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    hits = {row[0]: StatementHit.of_row(row) for row in cursor.execute(statements_by_ids_sql(), (json.dumps(page),))}
    return [hits[i] for i in page], total


@cache
def statements_by_ids_sql() -> str:
    """`select_statement_hits` for the ids in a JSON array (its one parameter), as SQLite's SQL."""
    ids = select(text("value")).select_from(func.json_each(bindparam("ids")))
    return str(select_statement_hits().where(statements.c.id.in_(ids)).compile(dialect=sqlite.dialect()))


def newest_first(ids: np.ndarray, ranks: np.ndarray, offset: int, limit: int) -> np.ndarray:
    """ids[offset:offset + limit] in the order of `ORDER BY day DESC, id DESC`, without sorting all of them."""
    keys = ((ranks + 1) << 32) | ids  # no day (rank -1) sorts lowest, as NULL does in SQLite
    wanted = min(offset + limit, len(keys))
    if wanted < len(keys):
        keys = keys[np.argpartition(keys, len(keys) - wanted)[len(keys) - wanted:]]
    keys = np.sort(keys)[::-1][offset:offset + limit]
    return keys & 0xFFFFFFFF


# --- pages planned for SQLite ------------------------------------------------------------------------------

@dataclass(frozen=True)
class IdSet:
    """Statement ids that one filter allows: a full-text match (`sql`) or a speaker's ids (`ids`, sorted)."""

    size: int
    sql: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    ids: np.ndarray | None = None

    @classmethod
    def of_ids(cls, ids: np.ndarray) -> IdSet:
        return cls(len(ids), "SELECT value AS id FROM json_each(:speaker_ids)", {"speaker_ids": None}, ids)

    def bound_params(self) -> dict[str, Any]:
        # The JSON array is made only when SQL needs it: a large set is tested by `contains` instead.
        return {"speaker_ids": json.dumps(self.ids.tolist())} if self.ids is not None else self.params

    @cached_property
    def sorted_list(self) -> list[int]:
        assert self.ids is not None
        return list(self.ids.tolist())

    def contains(self, statement_id: int | None) -> bool:
        if statement_id is None:  # as `NULL IN (...)`: no match (an event reported by no statement)
            return False
        ids = self.sorted_list
        i = bisect_left(ids, statement_id)
        return i < len(ids) and ids[i] == statement_id

    def member(self, column: str, driving: bool) -> ColumnElement[bool]:
        """The SQL test that `column` is in the set: driving (SQLite looks the ids up), or a filter only."""
        if self.ids is not None and not driving and self.size > DRIVE_BY_IDS:
            # Only the rows SQLite walks past are tested, instead of SQLite reading the whole list.
            return text(f"{SPEAKER_TEST}({column})")  # type: ignore[return-value]
        # A unary + keeps SQLite from using the primary key for the test, so it walks the day index instead.
        test = f"{column if driving else '+' + column} IN ({self.sql})"
        return text(test).bindparams(**self.bound_params())  # type: ignore[return-value]


def speaker_set(conn: Connection, speaker: str) -> IdSet:
    """A speaker's statement ids, with the SQL function that tests them registered on this connection."""
    index = statement_index(conn.engine)
    found = IdSet.of_ids(index.speaker_ids(conn, speaker, index.up_to_date(conn)))
    conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
        SPEAKER_TEST, 1, found.contains, deterministic=True)
    return found


def statement_id_sets(conn: Connection, f: Filters) -> list[IdSet]:
    sets = []
    if f.query:
        sql, match = sqlite_ids_sql("statements", "statements_fts", parse_text_query(f.query), "q_fast")
        size = conn.execute(text(f"SELECT count(*) FROM ({sql})"), match).scalar_one()
        sets.append(IdSet(int(size), sql, match))
    if f.speaker:
        sets.append(speaker_set(conn, f.speaker))
    return sorted(sets, key=lambda s: s.size)


def only_words_speaker_and_days(f: Filters) -> bool:
    return not (f.actor or f.place or f.certainty or f.kind or f.event_type or f.min_confidence is not None)


def statement_page(engine: Engine, f: Filters, limit: int = 50, offset: int = 0) -> tuple[list[StatementHit], int]:
    """`search_statements(engine, f, limit, offset)` and `count_statements(engine, f)` at once, the same
    results, planned for SQLite."""
    planned = engine.dialect.name == "sqlite" and not f.all_versions  # (all versions: rare, in SQL)
    if not planned or not (f.query or f.speaker or only_words_speaker_and_days(f)):
        return search_statements(engine, f, limit, offset), count_statements(engine, f)
    with engine.connect() as conn:
        if only_words_speaker_and_days(f):
            return memory_page(conn, f, limit, offset)
        sets = statement_id_sets(conn, f)
        if sets[0].size == 0:
            return [], 0
        rest = statement_conditions(conn, replace(f, query=None, speaker=None))
        total = count_in_sets(conn, sets, rest)
        if total <= offset:
            return [], total
        everything = conn.execute(select(func.coalesce(func.max(statements.c.id), 0))).scalar_one()
        drive = drive_by_ids(sets[0].size, total, offset + limit, int(everything))
        members = [s.member("statements.id", driving=drive and i == 0) for i, s in enumerate(sets)]
        query = (select_statement_hits()
                 .where(*members, *rest).order_by(*newest(statements, False)).limit(limit).offset(offset))
        hits = [StatementHit.of_row(r) for r in conn.execute(query)]
        return hits, total


def drive_by_ids(smallest: int, total: int, needed: int, everything: int) -> bool:
    """Whether reading the smallest set's rows (a statement row is wide: ~5 us each) is cheaper than walking
    the day index until the page is full (~0.2 us an entry), the `total` matches spread evenly over the days."""
    walked = min(everything, needed * everything // max(total, 1))
    return smallest * 25 <= walked


def count_in_sets(conn: Connection, sets: list[IdSet], rest: list[ColumnElement[bool]]) -> int:
    """How many statements are in every set and meet the other conditions, driven by the smallest set."""
    members = [s.member("statements.id", driving=i == 0) for i, s in enumerate(sets)]
    return int(conn.execute(select(func.count()).select_from(statements).where(*members, *rest)).scalar_one())


def event_page(engine: Engine, f: Filters, limit: int = 50, offset: int = 0) -> tuple[list[EventHit], int]:
    """`search_events` and `count_events` at once, the same results; on SQLite a speaker filter is the speaker's
    statement ids from the index rather than a scan of the statements and entities tables."""
    if engine.dialect.name != "sqlite" or not f.speaker or f.kind:
        return search_events(engine, f, limit, offset), count_events(engine, f)
    with engine.connect() as conn:
        said = speaker_set(conn, f.speaker)
        if said.size == 0:
            return [], 0
        conds = [*event_conditions(conn, replace(f, speaker=None)), said.member("events.statement_id", False)]
        query = (select_event_hits()
                 .where(*conds).order_by(*newest(events, False)).limit(limit).offset(offset))
        hits = [EventHit.of_row(r) for r in conn.execute(query)]
        total = conn.execute(select(func.count()).select_from(events).where(*conds)).scalar_one()
        return hits, int(total)
