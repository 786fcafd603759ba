"""Reading claims and contradictions for the CLI, the HTTP API and the web UI: plain records of newsgraph.records.

    list_claims(engine, min_articles=2, actor_id=None, since=None, limit=50, offset=0) -> list[Claim] (no statements)
    claim_detail(engine, claim_id) -> Claim | None (all statements, certainty over time; a merged id finds its claim)
    check_claim(engine, text, limit=10, stance=True) -> list[StatementMatch] (nearest stored statements)
    list_contradictions(engine, actor_id=None, since=None, limit=100) -> list[Contradiction]
    contradictions_of_actor(engine, actor_id, limit=100) -> {"contradicts": [...], "contradicted_by": [...]}
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Select, func, or_, select
from sqlalchemy.orm import aliased

from newsgraph.records import (
    CertaintyCount,
    Claim,
    ClaimStatement,
    Contradiction,
    StatementMatch,
    TextSpan,
)
from newsgraph.store.claims import counted_claims, resolved_claim, vector_of
from newsgraph.store.schema import (
    actors,
    articles,
    claim_members,
    claims,
    contradictions,
    entities,
    statement_vectors,
    statements,
)

VECTOR_BLOCK = 20_000  # vectors scored at a time by `check_claim`


def statement_select() -> Select[Any]:
    return (select(statements.c.id, statements.c.local_id, statements.c.speaker_name, statements.c.certainty,
                   statements.c.day, statements.c.content, statements.c.content_start, statements.c.content_end,
                   articles.c.key, articles.c.title, articles.c.publisher, articles.c.published,
                   entities.c.actor_id, claim_members.c.claim_id, claim_members.c.similarity,
                   claim_members.c.matched_id, claim_members.c.rule, claim_members.c.shared_actor,
                   claim_members.c.shared_entities)
            .join(articles, articles.c.id == statements.c.article_id)
            .outerjoin(entities, entities.c.id == statements.c.speaker_entity)
            .outerjoin(claim_members, claim_members.c.statement_id == statements.c.id))


def actor_names(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {int(i): str(n) for i, n in conn.execute(select(actors.c.id, actors.c.name).where(actors.c.id.in_(wanted)))}


def shown_names(keys: list[str], names: dict[int, str]) -> list[str]:
    """The shared entities of a link as names: actors ("#12") by their name, then the other names not already
    given by one of those."""
    shown = [names[int(k[1:])] for k in keys if k.startswith("#") and k[1:].isdigit() and int(k[1:]) in names]
    return shown + [k for k in keys if not k.startswith("#") and k not in {n.casefold() for n in shown}]


def claim_statements(conn: Connection, rows: Sequence[Any]) -> list[ClaimStatement]:
    shared = {r.id: [str(k) for k in json.loads(r.shared_entities)] if r.shared_entities else [] for r in rows}
    keyed = [int(k[1:]) for keys in shared.values() for k in keys if k.startswith("#") and k[1:].isdigit()]
    names = actor_names(conn, keyed + [r.actor_id for r in rows if r.actor_id])
    return [ClaimStatement(
        statement_id=r.id, article=r.key, local_id=r.local_id, title=r.title, outlet=r.publisher,
        published=r.published, day=r.day, speaker=names.get(r.actor_id) or r.speaker_name, actor_id=r.actor_id,
        certainty=r.certainty, content=TextSpan(start=r.content_start, end=r.content_end, text=r.content),
        similarity=r.similarity, matched_id=r.matched_id, rule=r.rule, shared_speaker=r.shared_actor is not None,
        shared_actors=shown_names(shared[r.id], names)) for r in rows]


def members_by_claim(conn: Connection, claim_ids: Sequence[int]) -> dict[int, list[ClaimStatement]]:
    if not claim_ids:
        return {}
    rows = conn.execute(statement_select().where(claim_members.c.claim_id.in_(sorted(set(claim_ids))))
                        .order_by(articles.c.published, articles.c.id, statements.c.id)).all()
    found: dict[int, list[ClaimStatement]] = {}
    for row, member in zip(rows, claim_statements(conn, rows), strict=True):
        found.setdefault(int(row.claim_id), []).append(member)
    return found


def claim_record(row: Any, members: list[ClaimStatement], with_statements: bool) -> Claim:
    speakers = Counter(m.speaker for m in members if m.speaker)
    outlets = Counter(m.outlet for m in members if m.outlet)
    over_time = Counter((m.published or m.day, m.certainty) for m in members)
    return Claim(
        id=row.id, text=row.text, first_seen=members[0] if members else None,
        speakers=[s for s, _ in speakers.most_common()], outlets=[o for o, _ in outlets.most_common()],
        article_count=row.article_count, statements=members if with_statements else [],
        certainty_over_time=[CertaintyCount(day=d, certainty=c, count=n)
                             for (d, c), n in sorted(over_time.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))],
        merged_into=row.merged_into)


def claims_matching(query: Select[Any], min_articles: int = 2, actor_id: int | None = None,
                    since: str | None = None) -> Select[Any]:
    """`query` restricted to the claims `list_claims` lists."""
    query = query.where(counted_claims(), claims.c.article_count >= min_articles)
    if actor_id is not None:
        spoken = (select(claim_members.c.claim_id).join(statements, statements.c.id == claim_members.c.statement_id)
                  .join(entities, entities.c.id == statements.c.speaker_entity).where(entities.c.actor_id == actor_id))
        query = query.where(claims.c.id.in_(spoken))
    if since:
        query = query.where(claims.c.first_day >= since)
    return query


def count_claims(engine: Engine, min_articles: int = 2, actor_id: int | None = None, since: str | None = None) -> int:
    """How many claims `list_claims` would list without a limit."""
    with engine.connect() as conn:
        return int(conn.execute(claims_matching(select(func.count()).select_from(claims), min_articles, actor_id,
                                                since)).scalar_one())


def list_claims(engine: Engine, min_articles: int = 2, actor_id: int | None = None, since: str | None = None,
                limit: int = 50, offset: int = 0) -> list[Claim]:
    """Claims with statements from at least `min_articles` articles, most articles first, then first seen; only those
    with a statement by `actor_id`, or first seen on or after `since` (YYYY-MM-DD), when given."""
    query = claims_matching(select(claims), min_articles, actor_id, since)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(claims.c.article_count.desc(), claims.c.first_day, claims.c.id)
                            .limit(limit).offset(offset)).all()
        members = members_by_claim(conn, [r.id for r in rows])
        return [claim_record(r, members.get(r.id, []), with_statements=False) for r in rows]


def claim_detail(engine: Engine, claim_id: int) -> Claim | None:
    """The claim with all its statements (first seen first) and their evidence; the id of a merged claim gives the
    claim it was merged into; None when there is no such claim."""
    with engine.connect() as conn:
        current = resolved_claim(conn, claim_id)
        if current is None:
            return None
        row = conn.execute(select(claims).where(claims.c.id == current)).one()
        return claim_record(row, members_by_claim(conn, [current]).get(current, []), with_statements=True)


def check_claim(engine: Engine, text: str, limit: int = 10, stance: bool = True) -> list[StatementMatch]:
    """The stored statements nearest a claim text by sentence embedding, most similar first, each with its claim;
    with `stance` and the stance model installed, each also with its stance towards the text."""
    from newsgraph.store.claims import encode, stance_predictor

    query = encode([text])[0]
    best: list[tuple[float, int]] = []
    with engine.connect() as conn:
        last = 0
        while True:
            block = conn.execute(select(statement_vectors.c.statement_id, statement_vectors.c.vector)
                                 .where(statement_vectors.c.statement_id > last)
                                 .order_by(statement_vectors.c.statement_id).limit(VECTOR_BLOCK)).all()
            if not block:
                break
            last = int(block[-1].statement_id)
            scores = np.stack([vector_of(r.vector) for r in block]) @ query
            top = np.argsort(-scores)[:limit]
            best = sorted(best + [(float(scores[i]), int(block[i].statement_id)) for i in top], reverse=True)[:limit]
        if not best:
            return []
        rows = {r.id: r for r in conn.execute(statement_select().where(statements.c.id.in_([s for _, s in best])))}
        found = dict(zip(rows, claim_statements(conn, list(rows.values())), strict=True))
    predict = stance_predictor() if stance else None
    matches = []
    for score, statement_id in best:
        member = found[statement_id]
        result = predict(text, member.content.text) if predict else None
        matches.append(StatementMatch(statement=member, similarity=round(score, 4),
                                      claim_id=rows[statement_id].claim_id,
                                      stance=getattr(result, "stance", None),
                                      stance_confidence=getattr(result, "confidence", None)))
    return matches


def contradiction_query(actor_id: int | None = None, side: str = "either", since: str | None = None,
                        claim_id: int | None = None) -> Select[Any]:
    asserting, other = aliased(statements), aliased(statements)
    speaker, other_speaker = aliased(entities), aliased(entities)
    query = (select(contradictions, claims.c.text.label("claim_text"))
             .join(claims, claims.c.id == contradictions.c.claim_id)
             .join(asserting, asserting.c.id == contradictions.c.statement_id)
             .join(other, other.c.id == contradictions.c.other_id)
             .outerjoin(speaker, speaker.c.id == asserting.c.speaker_entity)
             .outerjoin(other_speaker, other_speaker.c.id == other.c.speaker_entity)
             .where(claims.c.merged_into.is_(None)))
    if actor_id is not None:
        asserted_by, contradicted_by = speaker.c.actor_id == actor_id, other_speaker.c.actor_id == actor_id
        query = query.where({"asserts": asserted_by, "contradicts": contradicted_by}.get(
            side, or_(asserted_by, contradicted_by)))
    if since:
        query = query.where(or_(asserting.c.day >= since, other.c.day >= since))
    if claim_id is not None:
        query = query.where(contradictions.c.claim_id == claim_id)
    return query.order_by(contradictions.c.confidence.desc(), contradictions.c.id)


def contradiction_records(conn: Connection, rows: Sequence[Any]) -> list[Contradiction]:
    ids = sorted({r.statement_id for r in rows} | {r.other_id for r in rows})
    found: dict[int, ClaimStatement] = {}
    if ids:
        members = conn.execute(statement_select().where(statements.c.id.in_(ids))).all()
        found = {m.statement_id: m for m in claim_statements(conn, members)}
    return [Contradiction(id=r.id, claim_id=r.claim_id, claim=r.claim_text, kind=r.kind, confidence=r.confidence,
                          evidence=r.evidence, statement=found[r.statement_id], other=found[r.other_id]) for r in rows]


def list_contradictions(engine: Engine, actor_id: int | None = None, since: str | None = None,
                        limit: int = 100, claim_id: int | None = None) -> list[Contradiction]:
    """Contradictions, surest first: with `actor_id`, those where the actor asserts or contradicts; with `since`,
    those with a statement said on or after that day; with `claim_id`, those about that claim."""
    with engine.connect() as conn:
        rows = conn.execute(contradiction_query(actor_id, since=since, claim_id=claim_id).limit(limit)).all()
        return contradiction_records(conn, rows)


def contradictions_of_actor(engine: Engine, actor_id: int, limit: int = 100) -> dict[str, list[Contradiction]]:
    """For the actor page: the assertions the actor contradicts, and the actor's assertions others contradict."""
    with engine.connect() as conn:
        contradicts = conn.execute(contradiction_query(actor_id, "contradicts").limit(limit)).all()
        contradicted = conn.execute(contradiction_query(actor_id, "asserts").limit(limit)).all()
        return {"contradicts": contradiction_records(conn, contradicts),
                "contradicted_by": contradiction_records(conn, contradicted)}
