"""The actor network of a store: who talks to whom, who talks about whom, and who does what to whom.

Nodes are corpus actors (the actors table), never the entities of single articles. Edges are directed and typed:

- `talks_to`: a statement's speaker -> its addressee ("Putin told Scholz that ...");
- `talks_about`: a statement's speaker -> every actor mentioned inside its content ("Zelensky said Putin lied");
- an event's actor -> its recipient, typed by the event's PLOVER type (ASSAULT, SANCTION, ...), or `event` for
  every type together when `NetworkOptions.event_types` is off.

An edge's weight is the number of statements (or events) behind it, each counted once however often it names the
pair; a few of their ids come with it as examples. Records come from the main version of each story only, as
every count across the corpus does (`query.main_versions_only`), and records about oneself are no edges.

Everything is aggregated in SQL (GROUP BY and a window function, both in SQLite and PostgreSQL), so a corpus of
thousands of articles is never read record by record. Exports of the graph as GraphML, GEXF and CSV are in
newsgraph/store/network_export.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    String,
    and_,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import FromClause, Select

from newsgraph.store.query import as_row_id, main_versions_only
from newsgraph.store.schema import actors, entities, event_actors, events, mentions, statements

TALKS_TO = "talks_to"
TALKS_ABOUT = "talks_about"
EVENT = "event"  # every event type at once
# PLOVER event types, as `newsgraph.records.Event.type` documents them (the store does not import the event
# model, which needs spaCy; a test checks this list against `newsgraph.events.model.PLOVER_TYPES`).
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
EDGE_TYPES = (TALKS_TO, TALKS_ABOUT, EVENT, *PLOVER_TYPES)
MAX_NODES = 500  # in one answer of the API: more than a drawing can show
MAX_DEPTH = 2
EXAMPLES = 3  # record ids kept with each edge


@dataclass(frozen=True)
class NetworkOptions:
    """Which part of the network to build. `actor`: the ego network of this corpus actor (the actors within
    `depth` edges of it, and every edge among them); else the whole network. `edge_types`: TALKS_TO,
    TALKS_ABOUT, EVENT (every event) or PLOVER types; empty means all. `since`/`until` bound the records' days
    (YYYY-MM-DD). `max_nodes`: keep the actors with the heaviest edges (for an ego network, those nearest the
    ego, heaviest first); None keeps all. `isolated`: also the actors without any edge (an export of the whole
    corpus has one node per corpus actor). `event_types`: type event edges by PLOVER type, else all `event`."""

    actor: int | None = None
    depth: int = 1
    min_weight: int = 1
    edge_types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    max_nodes: int | None = 100
    isolated: bool = False
    event_types: bool = True


@dataclass(frozen=True)
class NetworkNode:
    """A corpus actor in the graph, with its counts across the corpus (each story once) and the total weight of
    its edges in this graph."""

    id: int
    name: str
    type: str
    article_count: int
    mentions: int
    statements: int
    weight: int = 0


@dataclass(frozen=True)
class NetworkEdge:
    source: int
    target: int
    type: str
    weight: int
    statements: tuple[int, ...] = ()  # examples (talks_to, talks_about): statement row ids, oldest rows first
    events: tuple[int, ...] = ()  # examples (event types): event row ids


@dataclass(frozen=True)
class Network:
    options: NetworkOptions
    nodes: list[NetworkNode] = field(default_factory=list)
    edges: list[NetworkEdge] = field(default_factory=list)


def check_options(options: NetworkOptions) -> None:
    """ValueError, with a message for the user, when the options cannot be met."""
    unknown = [t for t in options.edge_types if t not in EDGE_TYPES]
    if unknown:
        raise ValueError(f"unknown edge type {', '.join(map(repr, unknown))}; choose from {', '.join(EDGE_TYPES)}")
    if options.min_weight < 1:
        raise ValueError(f"min weight must be at least 1 (got {options.min_weight})")
    if options.max_nodes is not None and options.max_nodes < 1:
        raise ValueError(f"max nodes must be at least 1 (got {options.max_nodes})")
    if not 1 <= options.depth <= MAX_DEPTH:
        raise ValueError(f"depth must be from 1 to {MAX_DEPTH} (got {options.depth})")
    if options.since and options.until and options.since > options.until:
        raise ValueError(f"since ({options.since}) is after until ({options.until}), so nothing can match")


# --- corpus actors --------------------------------------------------------------------------------------------
# The two places that say which corpus actor an entity counts for and which actors are nodes: when actors can be
# merged into others, an entity counts for the actor its own was merged into, and a merged actor is no node.

def corpus_actor(entity: FromClause) -> ColumnElement[Any]:
    """The corpus actor an entity (a row of `entity`, an alias of the entities table) counts for."""
    return entity.c.actor_id


def is_node_actor() -> ColumnElement[bool]:
    """A condition on the actors table: the actor can be a node (it has not been merged into another; a merge
    points the merged actor's entities at the one kept, so `corpus_actor` needs no indirection)."""
    return actors.c.merged_into.is_(None)


# --- the records as (source, target, type, record) links --------------------------------------------------------

LINK_COLUMNS = ("source", "target", "type", "statement_id", "event_id")


def links(options: NetworkOptions, only: Sequence[int] | None = None,
          touching: Sequence[int] | None = None) -> FromClause:
    """One row per statement or event and pair of actors it links, as (source, target, type, statement_id,
    event_id); `only`: links whose both ends are among these actors; `touching`: links with an end among them."""
    wanted = set(options.edge_types or EDGE_TYPES)
    parts: list[Select[Any]] = []
    if TALKS_TO in wanted:
        parts.append(_talks_to())
    if TALKS_ABOUT in wanted:
        parts.append(_talks_about())
    plover = [t for t in PLOVER_TYPES if t in wanted]
    if EVENT in wanted or plover:
        parts.append(_event_links(options, None if EVENT in wanted else plover))
    if not parts:  # (cannot happen: every edge type is one of the above)
        raise ValueError("no edge type chosen")
    parts = [_bounded(p, options, only, touching) for p in parts]
    return union_all(*parts).subquery("links")


def _bounded(part: Select[Any], options: NetworkOptions, only: Sequence[int] | None,
             touching: Sequence[int] | None) -> Select[Any]:
    """A part of `links` within the date range and the actors of `only` and `touching` (the conditions go inside
    each part, so that the database reads only the records of those actors); each of its rows links two actors."""
    columns = part.selected_columns
    day = columns.day
    conds: list[ColumnElement[bool]] = [columns.source.is_not(None), columns.target.is_not(None),
                                        columns.source != columns.target]
    if options.since:
        conds.append(day >= options.since)
    if options.until:
        conds.append(day <= options.until)
    if only is not None:
        conds += [columns.source.in_(only), columns.target.in_(only)]
    if touching is not None:
        conds.append(or_(columns.source.in_(touching), columns.target.in_(touching)))
    # `day` filtered on, then left out: the union's parts must have the same columns.
    inner = part.where(*conds).subquery()
    return select(*(inner.c[name] for name in LINK_COLUMNS)).distinct()


def _no_id() -> ColumnElement[Any]:
    return cast(null(), Integer)


def _talks_to() -> Select[Any]:
    speaker, addressee = entities.alias("speaker"), entities.alias("addressee")
    s = statements
    return (select(corpus_actor(speaker).label("source"), corpus_actor(addressee).label("target"),
                   cast(literal(TALKS_TO), String).label("type"), s.c.id.label("statement_id"),
                   _no_id().label("event_id"), s.c.day.label("day"))
            .select_from(s.join(speaker, speaker.c.id == s.c.speaker_entity)
                         .join(addressee, addressee.c.id == s.c.addressee_entity))
            .where(main_versions_only(s)))


def _talks_about() -> Select[Any]:
    """Speaker -> each actor with a mention inside the statement's content."""
    speaker, mentioned = entities.alias("speaker"), entities.alias("mentioned")
    s, m = statements, mentions
    # (`start < content_end` follows from the others; said, it bounds the index range of the article's mentions.)
    inside = and_(m.c.article_id == s.c.article_id, m.c.start >= s.c.content_start, m.c.start < s.c.content_end,
                  m.c.end <= s.c.content_end)
    return (select(corpus_actor(speaker).label("source"), corpus_actor(mentioned).label("target"),
                   cast(literal(TALKS_ABOUT), String).label("type"), s.c.id.label("statement_id"),
                   _no_id().label("event_id"), s.c.day.label("day"))
            .select_from(s.join(speaker, speaker.c.id == s.c.speaker_entity).join(m, inside)
                         .join(mentioned, mentioned.c.id == m.c.entity_id))
            .where(main_versions_only(s)))


def _event_links(options: NetworkOptions, types: list[str] | None) -> Select[Any]:
    """Actor -> recipient of each event; `types`: of these PLOVER types only (None: all)."""
    doer, done_to = event_actors.alias("doer"), event_actors.alias("done_to")
    doer_entity, done_to_entity = entities.alias("doer_entity"), entities.alias("done_to_entity")
    e = events
    edge_type = e.c.type if options.event_types else cast(literal(EVENT), String)
    query = (select(corpus_actor(doer_entity).label("source"), corpus_actor(done_to_entity).label("target"),
                    cast(edge_type, String).label("type"), _no_id().label("statement_id"), e.c.id.label("event_id"),
                    e.c.day.label("day"))
             .select_from(e.join(doer, and_(doer.c.event_id == e.c.id, doer.c.role == "actor"))
                          .join(doer_entity, doer_entity.c.id == doer.c.entity_id)
                          .join(done_to, and_(done_to.c.event_id == e.c.id, done_to.c.role == "recipient"))
                          .join(done_to_entity, done_to_entity.c.id == done_to.c.entity_id))
             .where(main_versions_only(e)))
    return query.where(e.c.type.in_(types)) if types is not None else query


def weighted(link_rows: FromClause, min_weight: int) -> FromClause:
    """The links grouped into edges (source, target, type, weight), the lighter than `min_weight` left out."""
    weight = func.count()
    return (select(link_rows.c.source, link_rows.c.target, link_rows.c.type, weight.label("weight"))
            .group_by(link_rows.c.source, link_rows.c.target, link_rows.c.type)
            .having(weight >= min_weight).subquery("edges"))


# --- building ------------------------------------------------------------------------------------------------

def actor_network(engine: Engine, options: NetworkOptions) -> Network | None:
    """The network the options ask for; None when the ego actor does not exist. ValueError for options that
    cannot be met (`check_options`)."""
    check_options(options)
    with engine.connect() as conn:
        if options.actor is not None:
            if as_row_id(options.actor) is None or not _is_node(conn, options.actor):
                return None
            chosen = _ego_nodes(conn, options)
            edge_list = _edges_among(conn, options, chosen)
        else:
            chosen, edge_list = _strongest_nodes(conn, options)
        nodes = _nodes(conn, chosen, edge_list)
        if not options.isolated:
            # An actor chosen for edges to actors that were not chosen has none left: it is no part of this graph.
            nodes = [n for n in nodes if n.weight or n.id == options.actor]
        return Network(options, nodes, edge_list)


def _is_node(conn: Connection, actor_id: int) -> bool:
    return conn.execute(select(actors.c.id).where(actors.c.id == actor_id, is_node_actor())).first() is not None


def _strength(edges: FromClause, conds: Sequence[ColumnElement[bool]] = (),
              other_conds: Sequence[ColumnElement[bool]] = ()) -> Select[Any]:
    """(actor, strength): each actor at an end of the edges and the summed weight of its edges."""
    ends = union_all(select(edges.c.source.label("actor"), edges.c.weight).where(*conds),
                     select(edges.c.target.label("actor"), edges.c.weight).where(*other_conds)).subquery("ends")
    strength = func.sum(ends.c.weight)
    return (select(ends.c.actor, strength.label("strength")).group_by(ends.c.actor)
            .order_by(strength.desc(), ends.c.actor))


def _strongest_nodes(conn: Connection, options: NetworkOptions) -> tuple[list[int], list[NetworkEdge]]:
    """The actors with the heaviest edges, at most `max_nodes`, and the edges among them (from one pass over every
    link); then, with `isolated`, the other actors, those in the most articles first."""
    every_edge = _edges_among(conn, options, None)
    strength: dict[int, int] = {}
    for edge in every_edge:
        strength[edge.source] = strength.get(edge.source, 0) + edge.weight
        strength[edge.target] = strength.get(edge.target, 0) + edge.weight
    chosen = sorted(strength, key=lambda actor: (-strength[actor], actor))[:options.max_nodes]
    kept = set(chosen)
    edge_list = [e for e in every_edge if e.source in kept and e.target in kept]
    if options.isolated and (options.max_nodes is None or len(chosen) < options.max_nodes):
        chosen += _other_actors(conn, chosen, None if options.max_nodes is None else options.max_nodes - len(chosen))
    return chosen, edge_list


def _other_actors(conn: Connection, chosen: Sequence[int], limit: int | None) -> list[int]:
    query = select(actors.c.id).where(is_node_actor()).order_by(actors.c.article_count.desc(), actors.c.id)
    have = set(chosen)
    found = [int(i) for i in conn.execute(query).scalars() if i not in have]
    return found if limit is None else found[:limit]


def _ego_nodes(conn: Connection, options: NetworkOptions) -> list[int]:
    """The ego, then its neighbours heaviest first, then (depth 2) theirs, up to `max_nodes` in all."""
    assert options.actor is not None
    chosen, frontier = [options.actor], [options.actor]
    for _ in range(options.depth):
        room = None if options.max_nodes is None else options.max_nodes - len(chosen)
        if not frontier or room == 0:
            break
        edges = weighted(links(options, touching=frontier), options.min_weight)
        # An edge from the frontier counts for its target, one into the frontier for its source.
        ranked = _strength(edges, [edges.c.target.in_(frontier)], [edges.c.source.in_(frontier)])
        ranked = ranked.where(ranked.selected_columns.actor.not_in(chosen))
        if room is not None:
            ranked = ranked.limit(room)
        frontier = [int(r.actor) for r in conn.execute(ranked)]
        chosen += frontier
    return chosen


def _edges_among(conn: Connection, options: NetworkOptions, chosen: Sequence[int] | None) -> list[NetworkEdge]:
    """Every edge whose both ends are chosen (None: every edge), heaviest first, with a few example records each:
    one pass over the links, which a window counts (the weight) and numbers (the first few are the examples) edge
    by edge."""
    if chosen is not None and not chosen:
        return []
    link_rows = links(options, only=chosen)
    edge = (link_rows.c.source, link_rows.c.target, link_rows.c.type)
    record = func.coalesce(link_rows.c.statement_id, link_rows.c.event_id)
    ranked = select(link_rows, func.row_number().over(partition_by=edge, order_by=record).label("rank"),
                    func.count().over(partition_by=edge).label("weight")).subquery("ranked")
    rows = conn.execute(select(ranked).where(ranked.c.rank <= EXAMPLES, ranked.c.weight >= options.min_weight)
                        .order_by(ranked.c.source, ranked.c.target, ranked.c.type, ranked.c.rank)).all()
    found: dict[tuple[int, int, str], tuple[int, list[int], list[int]]] = {}
    for r in rows:
        _, said, done = found.setdefault((int(r.source), int(r.target), r.type), (int(r.weight), [], []))
        if r.statement_id is not None:
            said.append(int(r.statement_id))
        if r.event_id is not None:
            done.append(int(r.event_id))
    edges = [NetworkEdge(source, target, type_, weight, tuple(said), tuple(done))
             for (source, target, type_), (weight, said, done) in found.items()]
    return sorted(edges, key=lambda e: (-e.weight, e.source, e.target, e.type))


def _nodes(conn: Connection, chosen: Sequence[int], edge_list: Sequence[NetworkEdge]) -> list[NetworkNode]:
    """The chosen actors in their order, with their names, types and counts."""
    if not chosen:
        return []
    rows = {r.id: r for r in conn.execute(select(actors.c.id, actors.c.name, actors.c.type, actors.c.article_count)
                                          .where(actors.c.id.in_(chosen)))}
    n_mentions = _count_per_actor(conn, mentions.join(entities, entities.c.id == mentions.c.entity_id),
                                  chosen, main_versions_only(mentions))
    n_statements = _count_per_actor(conn, statements.join(entities, entities.c.id == statements.c.speaker_entity),
                                    chosen, main_versions_only(statements))
    strength: dict[int, int] = {}
    for edge in edge_list:
        strength[edge.source] = strength.get(edge.source, 0) + edge.weight
        strength[edge.target] = strength.get(edge.target, 0) + edge.weight
    return [NetworkNode(i, rows[i].name, rows[i].type, int(rows[i].article_count or 0), n_mentions.get(i, 0),
                        n_statements.get(i, 0), strength.get(i, 0))
            for i in chosen if i in rows]


def _count_per_actor(conn: Connection, joined: FromClause, chosen: Sequence[int],
                     condition: ColumnElement[bool]) -> dict[int, int]:
    """Rows of `joined` (a table joined to the entities it names) per corpus actor among `chosen`."""
    actor = corpus_actor(entities)
    query = (select(actor.label("actor"), func.count().label("n")).select_from(joined)
             .where(actor.in_(chosen), condition).group_by(actor))
    return {int(r.actor): int(r.n) for r in conn.execute(query)}
