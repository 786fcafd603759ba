"""News stories: the articles about one happening, found from three kinds of link between articles.

- near-duplicates: the versions of one article (`store.write` calls those a story; here they are one link kind),
- a shared claim: both carry statements of one claim, published within `STORY_WINDOW_DAYS` of each other,
- a shared event: events of one PLOVER type within `STORY_WINDOW_DAYS` (and articles published so), with two corpus
  actors in common, or one actor and the place.

Articles linked directly or through others are one story (connected components). Computed when asked from the
stored links, so it always follows the claims' and actors' hand edits; a story's id is its first stored
article's id.

    list_stories(engine, min_articles=2, limit=50) -> list[NewsStory] (no timeline)
    story_detail(engine, story_id) -> NewsStory | None (links and the timeline of its claims)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any

from sqlalchemy import Connection, Engine, select

from newsgraph.records import NewsStory, StoryArticle, StoryEntry, StoryLink
from newsgraph.store.claims import counted_claims
from newsgraph.store.schema import (
    actors,
    articles,
    claim_members,
    claims,
    entities,
    event_actors,
    events,
    statements,
)

STORY_WINDOW_DAYS = 3
# A claim repeated by many articles over months ("Trump is unfit to be president") is a theme, not a happening:
# only claims of at most this many articles link them into a story.
MAX_CLAIM_ARTICLES = 12


@dataclass(frozen=True)
class Link:
    kind: str
    one: int
    other: int
    detail: str


def close_in_time(one: str | None, other: str | None) -> bool:
    if not one or not other:
        return one == other
    try:
        return abs((date.fromisoformat(one) - date.fromisoformat(other)).days) <= STORY_WINDOW_DAYS
    except ValueError:
        return False


def article_rows(conn: Connection) -> dict[int, Any]:
    return {int(r.id): r for r in conn.execute(select(articles.c.id, articles.c.key, articles.c.title,
                                                      articles.c.publisher, articles.c.published,
                                                      articles.c.duplicate_of))}


def duplicate_links(rows: dict[int, Any]) -> list[Link]:
    return [Link("near-duplicate", r.duplicate_of, a, "near-duplicate versions of one article")
            for a, r in rows.items() if r.duplicate_of is not None]


def claim_links(conn: Connection, rows: dict[int, Any]) -> list[Link]:
    found = conn.execute(select(claim_members.c.claim_id, statements.c.article_id, claims.c.text)
                         .join(statements, statements.c.id == claim_members.c.statement_id)
                         .join(claims, claims.c.id == claim_members.c.claim_id)
                         .where(counted_claims(), claims.c.article_count >= 2,
                                claims.c.article_count <= MAX_CLAIM_ARTICLES)).all()
    by_claim: dict[int, set[int]] = defaultdict(set)
    texts: dict[int, str] = {}
    for claim_id, article_id, text in found:
        by_claim[claim_id].add(int(article_id))
        texts[claim_id] = text
    links = []
    for claim_id, ids in by_claim.items():
        for one, other in combinations(sorted(ids), 2):
            if close_in_time(rows[one].published, rows[other].published):
                links.append(Link("claim", one, other, f"claim {claim_id}: {texts[claim_id][:120]}"))
    return links


def event_links(conn: Connection, rows: dict[int, Any]) -> list[Link]:
    found = conn.execute(select(events.c.id, events.c.article_id, events.c.type, events.c.day, events.c.place_key,
                                entities.c.actor_id)
                         .join(event_actors, event_actors.c.event_id == events.c.id)
                         .join(entities, entities.c.id == event_actors.c.entity_id)
                         .where(entities.c.actor_id.is_not(None))).all()
    happenings: dict[int, tuple[int, str, str | None, str | None, set[int]]] = {}
    for event_id, article_id, type_, day, place, actor_id in found:
        entry = happenings.setdefault(int(event_id), (int(article_id), type_, day, place, set()))
        entry[4].add(int(actor_id))
    by_type_actor: dict[tuple[str, int], list[int]] = defaultdict(list)
    for event_id, (_, type_, _, _, ids) in happenings.items():
        for actor_id in ids:
            by_type_actor[(type_, actor_id)].append(event_id)
    names = dict(conn.execute(select(actors.c.id, actors.c.name)).all())
    links: dict[tuple[int, int], Link] = {}
    for (type_, _), event_ids in by_type_actor.items():
        for one, other in combinations(event_ids, 2):
            a, b = happenings[one], happenings[other]
            if a[0] == b[0] or (min(a[0], b[0]), max(a[0], b[0])) in links or not close_in_time(a[2], b[2]):
                continue
            # (an event's day can be one the text recalls; the articles themselves must be of those days too)
            if not close_in_time(rows[a[0]].published, rows[b[0]].published):
                continue
            shared = a[4] & b[4]
            same_place = a[3] is not None and a[3] == b[3]
            if len(shared) >= 2 or (shared and same_place):
                who = ", ".join(sorted(str(names.get(i, i)) for i in shared))
                links[(min(a[0], b[0]), max(a[0], b[0]))] = Link(
                    "event", a[0], b[0], f"{type_} by/with {who}" + (f" at {a[3]}" if same_place else ""))
    return list(links.values())


def components(links: Iterable[Link]) -> dict[int, list[Link]]:
    """Union-find over the linked articles: the story id (smallest article id) -> its links."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    kept = list(links)
    for link in kept:
        one, other = root(link.one), root(link.other)
        if one != other:
            parent[max(one, other)] = min(one, other)
    stories: dict[int, list[Link]] = defaultdict(list)
    for link in kept:
        stories[root(link.one)].append(link)
    return stories


def all_stories(conn: Connection) -> tuple[dict[int, Any], dict[int, list[Link]]]:
    rows = article_rows(conn)
    return rows, components(duplicate_links(rows) + claim_links(conn, rows) + event_links(conn, rows))


def story_record(story_id: int, links: list[Link], rows: dict[int, Any], timeline: list[StoryEntry]) -> NewsStory:
    ids = sorted({i for link in links for i in (link.one, link.other)},
                 key=lambda i: (rows[i].published or "9999", i))
    days = [rows[i].published for i in ids if rows[i].published]
    return NewsStory(
        id=story_id, title=rows[ids[0]].title, first_day=min(days, default=None), last_day=max(days, default=None),
        articles=[StoryArticle(article=rows[i].key, title=rows[i].title, outlet=rows[i].publisher,
                               published=rows[i].published) for i in ids],
        links=[StoryLink(kind=link.kind, article=rows[link.one].key, other=rows[link.other].key,
                         detail=link.detail) for link in links],
        timeline=timeline)


def list_stories(engine: Engine, min_articles: int = 2, limit: int = 50, offset: int = 0) -> list[NewsStory]:
    """Stories of at least `min_articles` articles, the most articles first (links listed, no timeline)."""
    with engine.connect() as conn:
        rows, stories = all_stories(conn)
    records = [story_record(sid, links, rows, []) for sid, links in stories.items()]
    records = [r for r in records if len(r.articles) >= min_articles]
    records.sort(key=lambda r: (-len(r.articles), r.first_day or "9999", r.id))
    return records[offset:offset + limit]


def story_detail(engine: Engine, story_id: int) -> NewsStory | None:
    """One story with its timeline: its articles' claim statements in publication order."""
    with engine.connect() as conn:
        rows, stories = all_stories(conn)
        found = next((sid for sid, links in stories.items()
                      if sid == story_id or any(story_id in (link.one, link.other) for link in links)), None)
        if found is None:
            return None
        links = stories[found]
        ids = sorted({i for link in links for i in (link.one, link.other)})
        entries = conn.execute(
            select(claim_members.c.claim_id, statements.c.article_id, statements.c.day, statements.c.speaker_name,
                   statements.c.certainty, statements.c.content, actors.c.name)
            .join(statements, statements.c.id == claim_members.c.statement_id)
            .join(claims, claims.c.id == claim_members.c.claim_id)
            .outerjoin(entities, entities.c.id == statements.c.speaker_entity)
            .outerjoin(actors, actors.c.id == entities.c.actor_id)
            .where(statements.c.article_id.in_(ids), counted_claims(), claims.c.article_count >= 2)).all()
    timeline = sorted((StoryEntry(day=rows[int(e.article_id)].published or e.day, article=rows[int(e.article_id)].key,
                                  outlet=rows[int(e.article_id)].publisher, claim_id=e.claim_id,
                                  speaker=e.name or e.speaker_name, certainty=e.certainty, content=e.content)
                       for e in entries), key=lambda e: (e.day or "9999", e.article, e.claim_id))
    return story_record(found, links, rows, timeline)
