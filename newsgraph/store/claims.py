"""Claims across the corpus: statements of different articles that make one claim, grouped as articles arrive.

Each stored statement's content gets a sentence vector (`newsgraph.embeddings`, kept in `statement_vectors`,
never recomputed). It is compared with the statements of other articles said within `WINDOW_DAYS` of it (or, when
the date is unknown, by the same corpus actor), with numpy dot products over those candidates only, so the cost
of an article does not grow with the store. It joins the claim of the most similar candidate when

- both have the same speaker (one corpus actor) and the similarity is at least `SAME_SPEAKER` (the wire quote
  republished with edits, the indirect version of a direct quote), or
- the speakers differ and the similarity is at least `OTHER_SPEAKER`, with at least one entity (its corpus actor
  or its name) named in both contents (different sources asserting one proposition, or one denying it).

The thresholds were set by reading candidate pairs of PolNeAR train by similarity band (`SAME_SPEAKER`). Every
link keeps its evidence (`claim_members`: the member it matched, similarity, shared speaker, shared entities),
and hand edits (`unlink_statement`, `merge_claims`, `unmerge_claim`) are recorded in
`claim_edits` with what undoes them, as the actor edits are.

Contradictions are derived from a claim's members (`refresh_contradictions`): a member whose speaker denies
the content ("the Kremlin denied that ...") against another speaker's assertion; a member its own article
reports as rebutted (certainty denied/disputed) against another article's assertion; one of different polarity
("did not") from another speaker. A stance model adds `disagree` pairs through `record_contradiction`
(`add_stance_contradictions` runs `newsgraph.stance.predict_stance` when that package is installed).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, and_, bindparam, func, or_, select

from newsgraph.embeddings import EncoderUnavailable, SentenceEncoder
from newsgraph.store.schema import (
    articles,
    claim_edits,
    claim_members,
    claims,
    contradictions,
    entities,
    lock_for_writing,
    mentions,
    statement_vectors,
    statements,
)
from newsgraph.store.write import now

log = logging.getLogger(__name__)

WINDOW_DAYS = 7  # a claim's statements from other articles are looked for within a week of it
# Cosine similarities, read off candidate pairs of PolNeAR train (`scripts/claim_pairs.py`, 10 pairs a band and
# kind, fixed seed): same speaker, 4/10 pairs one claim at 0.70-0.75, 5/7 at 0.75-0.80, 4/5 at 0.80-0.85, all above;
# other speakers naming a shared entity, 3/10 at 0.70-0.75, 6/10 at 0.75-0.80, 5/6 at 0.80-0.85.
SAME_SPEAKER = 0.75  # the same speaker's statements are one claim from here
OTHER_SPEAKER = 0.80  # different speakers' (with an entity named in both contents)
REPRESENTATIVE_FLOOR = 0.70  # and at least this similar to the claim's representative statement (no drift)
MIN_WORDS = 5  # shorter contents ("it is true", "no") say too little to be a claim of their own
MAX_CONTRADICTIONS_PER_CLAIM = 50
ASSERTING = frozenset({"asserted", "attributed", "claimed", "hedged"})
REBUTTED = frozenset({"denied", "disputed"})
NEGATORS = frozenset({"not", "n't", "never", "no", "nothing", "nobody", "none", "neither", "nor", "cannot"})
WORD = re.compile(r"[A-Za-z]+(?:n't)?|n't")




@dataclass
class Indexed:
    """A statement as the grouping sees it."""

    statement_id: int
    article_id: int
    day: str | None
    speaker: int | None  # corpus actor of the speaker
    actors: frozenset[str]  # what the content names: its entities' corpus actors ("#12") and names (casefolded)
    content: str
    claim_id: int | None = None


@dataclass
class Match:
    candidate: Indexed
    similarity: float
    shared_actor: int | None
    shared_entities: list[str] = field(default_factory=list)

    @property
    def rule(self) -> str:
        return "same-speaker" if self.shared_actor is not None else "other-speaker"


@lru_cache(maxsize=1 << 16)
def claim_words(text: str) -> int:
    return len(WORD.findall(text))


def vector_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def vector_of(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


def claims_encoder() -> SentenceEncoder:
    """The process's encoder for statements (EncoderUnavailable when the model is not installed); the analysis
    workers encode with the same (`embeddings.statement_encoder`), so their vectors are the store's."""
    from newsgraph.embeddings import statement_encoder

    return statement_encoder()


def encode(texts: Sequence[str]) -> np.ndarray:
    return claims_encoder().encode(list(texts))


# --- grouping one article ---------------------------------------------------------------------------------


def group_article_claims(conn: Connection, article_id: int, regroup: bool = False,
                         done: set[int] | None = None, vectors: dict[str, np.ndarray] | None = None) -> set[int]:
    """Index the article's statements (vectors) and join each to the claim it makes with other articles' statements,
    in the caller's transaction (the writer's, under the write lock); the claims it touched.

    Statements already indexed are left as they are, so writing or building again changes nothing; `regroup`
    (after the claims were cleared, `regroup_claims`) groups them again from their stored vectors, against the
    articles in `done` only (those grouped before it, as when they arrived). `vectors`: contents already encoded
    (by `ClaimGrouper`, outside the write lock)."""
    found = article_statements(conn, article_id)
    stored = {int(i): vector_of(v) for i, v in conn.execute(
        select(statement_vectors.c.statement_id, statement_vectors.c.vector)
        .where(statement_vectors.c.article_id == article_id))}
    missing = [s for s in found if s.statement_id not in stored]
    if missing:
        known = vectors or {}
        unknown = [s.content for s in missing if s.content not in known]
        if unknown:  # (not even loading the encoder when the analysis sent every vector)
            try:
                known = known | dict(zip(unknown, encode(unknown), strict=True))
            except EncoderUnavailable as error:  # the article is stored; `newsgraph claims build` groups it later
                log.warning("claims not grouped: %s", error)
                return set()
        conn.execute(statement_vectors.insert(), [
            dict(statement_id=s.statement_id, article_id=article_id, day=s.day, actors=json.dumps(sorted(s.actors)),
                 vector=vector_bytes(known[s.content])) for s in missing])
        stored |= {s.statement_id: known[s.content] for s in missing}
    if regroup and found:
        conn.execute(statement_vectors.update().where(statement_vectors.c.statement_id == bindparam("sid"))
                     .values(actors=bindparam("named")),
                     [{"sid": s.statement_id, "named": json.dumps(sorted(s.actors))} for s in found])
    todo = found if regroup else missing
    eligible = [(s, stored[s.statement_id]) for s in todo
                if claim_words(s.content) >= MIN_WORDS and s.claim_id is None]
    if not eligible:
        return set()
    pool, matrix = candidates(conn, article_id, [s for s, _ in eligible])
    if done is not None and pool:
        kept = [i for i, p in enumerate(pool) if p.article_id in done]
        pool, matrix = [pool[i] for i in kept], matrix[kept]
    touched: set[int] = set()
    # Every eligible statement against every candidate in one matrix product: one call instead of one a statement
    # (each call a round through the BLAS thread pool, which on a busy machine costs more than the arithmetic).
    scores = matrix @ np.stack([v for _, v in eligible]).T if pool else np.zeros((0, len(eligible)), np.float32)
    for column, (statement, vector) in enumerate(eligible):
        match = best_match(statement, scores[:, column], pool)
        if match is not None and representative_agrees(conn, match, vector):
            touched.add(join_claim(conn, statement, match))
    refresh_claims(conn, touched)
    return touched


def article_statements(conn: Connection, article_id: int) -> list[Indexed]:
    rows = conn.execute(
        select(statements.c.id, statements.c.day, statements.c.content, statements.c.content_start,
               statements.c.content_end, entities.c.actor_id, claim_members.c.claim_id)
        .outerjoin(entities, entities.c.id == statements.c.speaker_entity)
        .outerjoin(claim_members, claim_members.c.statement_id == statements.c.id)
        .where(statements.c.article_id == article_id).order_by(statements.c.id)).all()
    named = conn.execute(select(mentions.c.start, mentions.c.end, entities.c.actor_id, entities.c.name)
                         .join(entities, entities.c.id == mentions.c.entity_id)
                         .where(mentions.c.article_id == article_id)).all()
    return [Indexed(int(r.id), article_id, r.day, r.actor_id,
                    frozenset(key for start, end, actor, name in named
                              if r.content_start <= start and end <= r.content_end for key in named_keys(actor, name)),
                    r.content, r.claim_id) for r in rows]


def named_keys(actor_id: int | None, name: str) -> list[str]:
    """What an entity named in a content is matched on: its corpus actor, and its name (an entity typed
    differently in two articles, "Bucha" a PERSON in one and an ORG in the other, has two actors, one name)."""
    return ([f"#{actor_id}"] if actor_id is not None else []) + [name.casefold()]


def shifted(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def candidates(conn: Connection, article_id: int, wanted: list[Indexed]) -> tuple[list[Indexed], np.ndarray]:
    """The other articles' indexed statements that may make the same claim as one of `wanted`: said within the
    date window of one, or (a statement with no date) by the same speaker; with their vectors as a matrix."""
    days = sorted({s.day for s in wanted if s.day})
    undated_speakers = sorted({s.speaker for s in wanted if not s.day and s.speaker is not None})
    near = []
    if days:
        near.append(statement_vectors.c.day.between(shifted(days[0], -WINDOW_DAYS), shifted(days[-1], WINDOW_DAYS)))
    if undated_speakers:
        near.append(entities.c.actor_id.in_(undated_speakers))
    if not near:
        return [], np.zeros((0, 0), dtype=np.float32)
    rows = conn.execute(
        select(statement_vectors.c.statement_id, statement_vectors.c.article_id, statement_vectors.c.day,
               statement_vectors.c.actors, statement_vectors.c.vector, statements.c.content, entities.c.actor_id,
               claim_members.c.claim_id)
        .join(statements, statements.c.id == statement_vectors.c.statement_id)
        .outerjoin(entities, entities.c.id == statements.c.speaker_entity)
        .outerjoin(claim_members, claim_members.c.statement_id == statement_vectors.c.statement_id)
        .where(statement_vectors.c.article_id != article_id, or_(*near))).all()
    # (Each article reads its window's rows again: the word counts and named sets of their contents are cached.)
    kept = [r for r in rows if claim_words(r.content) >= MIN_WORDS]
    pool = [Indexed(int(r.statement_id), int(r.article_id), r.day, r.actor_id, named_set(r.actors), r.content,
                    r.claim_id) for r in kept]
    matrix = np.frombuffer(b"".join(r.vector for r in kept), dtype=np.float32).reshape(len(kept), -1) if kept else \
        np.zeros((0, 0), dtype=np.float32)
    return pool, matrix


@lru_cache(maxsize=1 << 16)
def named_set(actors_json: str) -> frozenset[str]:
    return frozenset(str(a) for a in json.loads(actors_json))


def within_window(one: str | None, other: str | None) -> bool:
    if not one or not other:
        return False
    return abs((date.fromisoformat(one) - date.fromisoformat(other)).days) <= WINDOW_DAYS


def best_match(statement: Indexed, scores: np.ndarray, pool: list[Indexed]) -> Match | None:
    """The most similar candidate that the evidence says makes the same claim, if any; `scores`: the statement's
    similarity to each candidate of `pool`."""
    near = np.flatnonzero(scores >= min(SAME_SPEAKER, OTHER_SPEAKER))  # (the few worth looking at, not all)
    for index in near[np.argsort(-scores[near], kind="stable")]:
        score = float(scores[index])
        other = pool[int(index)]
        same_speaker = statement.speaker is not None and statement.speaker == other.speaker
        dated = within_window(statement.day, other.day) or (not statement.day and same_speaker)
        if not dated:
            continue
        shared = sorted(statement.actors & other.actors)
        if same_speaker and score >= SAME_SPEAKER:
            return Match(other, score, statement.speaker, shared)
        if not same_speaker and score >= OTHER_SPEAKER and shared:
            return Match(other, score, None, shared)
    return None


def representative_agrees(conn: Connection, match: Match, vector: np.ndarray) -> bool:
    """A statement joining a claim through one member is also near its representative: one claim does not drift
    from statement to statement into another."""
    if match.candidate.claim_id is None:
        return True
    blob = conn.execute(select(statement_vectors.c.vector)
                        .join(claims, claims.c.statement_id == statement_vectors.c.statement_id)
                        .where(claims.c.id == match.candidate.claim_id)).scalar()
    return blob is None or float(vector_of(blob) @ vector) >= REPRESENTATIVE_FLOOR


def join_claim(conn: Connection, statement: Indexed, match: Match) -> int:
    """Put the statement in its match's claim (a new one when the match had none); the claim's id."""
    claim_id = match.candidate.claim_id
    evidence = json.dumps(match.shared_entities)
    if claim_id is None:
        claim_id = int(conn.execute(claims.insert().returning(claims.c.id).values(
            statement_id=match.candidate.statement_id, text=match.candidate.content, created_at=now())).scalar_one())
        conn.execute(claim_members.insert().values(
            statement_id=match.candidate.statement_id, claim_id=claim_id, matched_id=statement.statement_id,
            similarity=match.similarity, shared_actor=match.shared_actor, shared_entities=evidence, rule="seed",
            pinned=False, added_at=now()))
        match.candidate.claim_id = claim_id
    conn.execute(claim_members.insert().values(
        statement_id=statement.statement_id, claim_id=claim_id, matched_id=match.candidate.statement_id,
        similarity=match.similarity, shared_actor=match.shared_actor, shared_entities=evidence, rule=match.rule,
        pinned=False, added_at=now()))
    statement.claim_id = claim_id
    return claim_id


# --- a claim's summary and contradictions ---------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    statement_id: int
    article_id: int
    published: str | None
    day: str | None
    speaker: int | None
    certainty: str
    content: str
    cue: str | None
    vector: np.ndarray | None


def claim_members_of(conn: Connection, claim_id: int) -> list[Member]:
    rows = conn.execute(
        select(statements.c.id, statements.c.article_id, articles.c.published, statements.c.day,
               entities.c.actor_id, statements.c.certainty, statements.c.content, statements.c.data,
               statement_vectors.c.vector)
        .join(claim_members, claim_members.c.statement_id == statements.c.id)
        .join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(entities, entities.c.id == statements.c.speaker_entity)
        .outerjoin(statement_vectors, statement_vectors.c.statement_id == statements.c.id)
        .where(claim_members.c.claim_id == claim_id)
        .order_by(articles.c.published, statements.c.article_id, statements.c.id)).all()
    return [Member(int(r.id), int(r.article_id), r.published, r.day, r.actor_id, r.certainty, r.content,
                   (json.loads(r.data).get("cue") or {}).get("text"),
                   vector_of(r.vector) if r.vector is not None else None) for r in rows]


def refresh_claims(conn: Connection, claim_ids: Iterable[int]) -> None:
    """Each claim's representative (the member nearest all others), first day and counts, and its contradictions.
    A claim an edit left with one member (or none) stays, so the edit can be undone; lists leave it out."""
    for claim_id in sorted(set(claim_ids)):
        members = claim_members_of(conn, claim_id)
        representative = representative_of(members)
        conn.execute(claims.update().where(claims.c.id == claim_id).values(
            statement_id=representative.statement_id if representative else None,
            text=representative.content if representative else "",
            first_day=min((m.published or m.day or "9999" for m in members), default=None),
            article_count=len({m.article_id for m in members}), statement_count=len(members)))
        refresh_contradictions(conn, claim_id, members)


def representative_of(members: list[Member]) -> Member | None:
    with_vectors = [m for m in members if m.vector is not None]
    if len(with_vectors) < 3:
        return members[0] if members else None  # (of two, the first seen)
    matrix = np.stack([m.vector for m in with_vectors if m.vector is not None])
    return with_vectors[int(np.argmax((matrix @ matrix.T).sum(axis=1)))]


def cue_lemmas(cue: str) -> set[str]:
    """The lemmas a cue word may have (denied -> deny, rejects -> reject, dismissing -> dismiss)."""
    word = cue.casefold().split()[-1] if cue.split() else ""
    found = {word}
    for ending, replacement in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""),
                                ("ing", ""), ("ing", "e")):
        if word.endswith(ending):
            found.add(word[: -len(ending)] + replacement)
    return found


def denies(member: Member) -> bool:
    """The speaker denies the content ("the Kremlin denied that its troops shelled the town")."""
    from newsgraph.certainty import certainty_cues

    if member.certainty != "denied" or not member.cue:
        return False
    return any(certainty_cues().denial_cues.get(lemma) for lemma in cue_lemmas(member.cue))


def negated(text: str) -> bool:
    """An odd number of negators ("whether or not" is none): a short content saying the opposite of another."""
    words = WORD.findall(text.casefold().replace("or not", ""))
    return sum(1 for w in words if w in NEGATORS or w.endswith("n't")) % 2 == 1


NEGATION_MAX_WORDS = 25  # in a longer content a negator is as likely to sit in a clause of its own


def negates(other: Member, asserted: Member) -> bool:
    """`other` is the negated version of `asserted` ("X is not qualified" against "X is qualified")."""
    short = max(claim_words(other.content), claim_words(asserted.content)) <= NEGATION_MAX_WORDS
    return short and negated(other.content) and not negated(asserted.content)


def contradiction_pairs(members: list[Member]) -> list[tuple[Member, Member, str, float, str]]:
    """(assertion, contradicting member, kind, confidence, evidence) of a claim's members."""
    pairs = []
    for other in members:
        if denies(other):
            kind, confidence = "denial", 0.8
        elif other.certainty in REBUTTED:
            kind, confidence = "rebuttal", 0.6
        else:
            kind, confidence = "negation", 0.5
        for asserted in members:
            if asserted is other or asserted.certainty not in ASSERTING:
                continue
            other_speaker = asserted.speaker is None or asserted.speaker != other.speaker
            if kind == "denial" and other_speaker:
                why = f"speaker denies it (cue {other.cue!r})"
            elif kind == "rebuttal" and other_speaker and asserted.article_id != other.article_id:
                why = f"its own article reports it {other.certainty}"
            elif kind == "negation" and other_speaker and negates(other, asserted):
                why = "it says the opposite (negated)"
            else:
                continue
            pairs.append((asserted, other, kind, confidence, why))
    return pairs[:MAX_CONTRADICTIONS_PER_CLAIM]


def refresh_contradictions(conn: Connection, claim_id: int, members: list[Member] | None = None) -> None:
    """Derive the claim's contradictions from its members again (those a stance model added stay)."""
    members = claim_members_of(conn, claim_id) if members is None else members
    conn.execute(contradictions.delete().where(contradictions.c.claim_id == claim_id,
                                               contradictions.c.kind != "stance"))
    for asserted, other, kind, confidence, why in contradiction_pairs(members):
        record_contradiction(conn, claim_id, asserted.statement_id, other.statement_id, kind, confidence,
                             {"why": why, "certainty": [asserted.certainty, other.certainty]})


def record_contradiction(conn: Connection, claim_id: int, statement_id: int, other_id: int, kind: str,
                         confidence: float | None, evidence: Any) -> int:
    """The one way contradictions are added: `statement_id` asserts the claim, `other_id` contradicts it;
    `kind` denial | rebuttal | negation | stance; `evidence` anything JSON can hold (a stance model's sentences)."""
    return int(conn.execute(contradictions.insert().returning(contradictions.c.id).values(
        claim_id=claim_id, statement_id=statement_id, other_id=other_id, kind=kind, confidence=confidence,
        evidence=json.dumps(evidence, ensure_ascii=False, default=_plain), at=now())).scalar_one())


def _plain(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    return dump() if callable(dump) else getattr(value, "__dict__", str(value))


def stance_predictor() -> Callable[[str, str], Any] | None:
    """`newsgraph.stance.predict_stance(claim, text)` (.stance, .confidence, .evidence) when it is installed."""
    try:
        from newsgraph.stance import predict_stance
    except ImportError:
        return None
    found: Callable[[str, str], Any] = predict_stance
    return found


def add_stance_contradictions(engine: Engine, predict: Callable[[str, str], Any] | None = None,
                              claim_ids: Iterable[int] | None = None) -> int:
    """Ask the stance model whether each member of each claim disagrees with the claim's representative, and
    record the `disagree` ones as contradictions of kind "stance" (run again, it replaces them); how many."""
    predict = predict or stance_predictor()
    if predict is None:
        raise LookupError("no stance model installed (newsgraph.stance)")
    added = 0
    with engine.begin() as conn:
        lock_for_writing(conn)
        wanted = select(claims.c.id, claims.c.statement_id, claims.c.text).where(claims.c.merged_into.is_(None),
                                                                                 claims.c.statement_count > 1)
        if claim_ids is not None:
            wanted = wanted.where(claims.c.id.in_(sorted(set(claim_ids))))
        for claim_id, representative, claim_text in conn.execute(wanted).all():
            conn.execute(contradictions.delete().where(contradictions.c.claim_id == claim_id,
                                                       contradictions.c.kind == "stance"))
            for member in claim_members_of(conn, claim_id):
                if member.statement_id == representative:
                    continue
                result = predict(claim_text, member.content)
                if getattr(result, "stance", None) == "disagree":
                    record_contradiction(conn, claim_id, representative, member.statement_id, "stance",
                                         getattr(result, "confidence", None),
                                         {"why": "stance model: disagree", "evidence": getattr(result, "evidence", [])})
                    added += 1
    return added


# --- building for stored statements ---------------------------------------------------------------------------


def build_claims(engine: Engine, progress: Callable[[int, int], None] | None = None) -> int:
    """Group the stored statements that have no vector yet (a store from before schema version 6, or ingested
    with claims off), an article at a time in publication order; the number of articles done."""
    with engine.connect() as conn:
        todo = [int(a) for a in conn.execute(
            select(articles.c.id).where(articles.c.id.in_(
                select(statements.c.article_id).where(statements.c.id.not_in(
                    select(statement_vectors.c.statement_id))))).order_by(articles.c.published, articles.c.id))
            .scalars()]
    for done, article_id in enumerate(todo, 1):
        with engine.begin() as conn:
            lock_for_writing(conn)
            group_article_claims(conn, article_id)
        if progress:
            progress(done, len(todo))
    return len(todo)


def regroup_claims(engine: Engine) -> int:
    """Clear the claims and group every stored statement again from its stored vector, an article at a time in
    publication order (after the thresholds changed); refused when an analyst has edited the claims."""
    with engine.begin() as conn:
        lock_for_writing(conn)
        if conn.execute(select(func.count()).select_from(claim_edits)).scalar_one():
            raise ClaimEditError("the claims have hand edits; regrouping would lose them")
        conn.execute(contradictions.delete())
        conn.execute(claim_members.delete())
        conn.execute(claims.delete())
        todo = [int(a) for a in conn.execute(select(articles.c.id).order_by(articles.c.published, articles.c.id))
                .scalars()]
    done: set[int] = set()
    for article_id in todo:
        with engine.begin() as conn:
            lock_for_writing(conn)
            group_article_claims(conn, article_id, regroup=True, done=done)
        done.add(article_id)
    return len(todo)


class ClaimGrouper:
    """Groups the claims of articles as the ingester writes them, in a thread of its own beside the writer. The
    statement vectors come with the articles from the analysis workers (`workers.AnalysisPool(statement_vectors=
    True)`), so what is left here is the nearest-neighbour search and the inserts; contents that came without a
    vector are encoded here, those of the articles waiting in one batch (about 1.6 times the rate of one article's;
    the encoder releases the GIL). Articles are grouped in the order they were written, each in a transaction of
    its own under the write lock."""

    def __init__(self, engine: Engine, batch: int = 32) -> None:
        import queue
        import threading

        self.engine, self.batch = engine, batch
        self.failed: str | None = None
        self._queue: queue.Queue[tuple[int, dict[str, np.ndarray] | None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="claims", daemon=True)
        self._thread.start()

    def add(self, article_id: int, vectors: dict[str, np.ndarray] | None = None) -> None:
        """Group a written article; `vectors`: its statement contents' vectors, when the analysis encoded them."""
        self._queue.put((article_id, vectors))

    def close(self) -> None:
        """Group what is waiting and stop."""
        self._queue.put(None)
        self._thread.join()

    def _next_batch(self) -> tuple[list[tuple[int, dict[str, np.ndarray] | None]], bool]:
        first = self._queue.get()
        items, last = ([] if first is None else [first]), first is None
        while not last and len(items) < self.batch and not self._queue.empty():
            item = self._queue.get()
            if item is None:
                last = True
            else:
                items.append(item)
        return items, last

    def _run(self) -> None:
        last = False
        while not last:
            items, last = self._next_batch()
            if items and self.failed is None:
                try:
                    self._group(items)
                except Exception as exc:  # the articles are stored; `newsgraph claims build` groups them later
                    self.failed = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                    log.warning("claims not grouped: %s", self.failed)

    def _group(self, items: list[tuple[int, dict[str, np.ndarray] | None]]) -> None:
        vectors: dict[str, np.ndarray] = {}
        for _, given in items:
            vectors.update(given or {})
        unencoded = [article_id for article_id, given in items if given is None]
        if unencoded:
            with self.engine.connect() as conn:
                contents = sorted(set(conn.execute(
                    select(statements.c.content).where(
                        statements.c.article_id.in_(unencoded),
                        statements.c.id.not_in(select(statement_vectors.c.statement_id)
                                               .where(statement_vectors.c.article_id.in_(unencoded))))).scalars())
                    - set(vectors))
            if contents:
                vectors |= dict(zip(contents, encode(contents), strict=True))
        for article_id, _ in items:
            with self.engine.begin() as conn:
                lock_for_writing(conn)
                group_article_claims(conn, article_id, vectors=vectors)


# --- hand edits --------------------------------------------------------------------------------------------


class ClaimEditError(ValueError):
    """An edit that cannot be made (no such claim or statement, a claim into itself); its message says why."""


def live_claim(conn: Connection, claim_id: int) -> Any:
    row = conn.execute(select(claims).where(claims.c.id == claim_id)).first()
    if row is None:
        raise ClaimEditError(f"no claim {claim_id} in the store")
    return row


def record_claim_edit(conn: Connection, action: str, claim_id: int | None, other_id: int | None = None,
                      statement_id: int | None = None, **detail: Any) -> int:
    return int(conn.execute(claim_edits.insert().returning(claim_edits.c.id).values(
        at=now(), action=action, claim_id=claim_id, other_id=other_id, statement_id=statement_id,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True))).scalar_one())


def unlink_statement(engine: Engine, claim_id: int, statement_id: int) -> int:
    """Take a statement out of its claim into a claim of its own, pinned (placed by hand); the new claim's id.
    `merge_claims(engine, claim_id, new)` puts it back."""
    with engine.begin() as conn:
        lock_for_writing(conn)
        live_claim(conn, claim_id)
        row = conn.execute(select(claim_members).where(claim_members.c.statement_id == statement_id,
                                                       claim_members.c.claim_id == claim_id)).first()
        if row is None:
            raise ClaimEditError(f"statement {statement_id} is not in claim {claim_id}")
        content = conn.execute(select(statements.c.content).where(statements.c.id == statement_id)).scalar_one()
        alone = int(conn.execute(claims.insert().returning(claims.c.id).values(
            statement_id=statement_id, text=content, created_at=now())).scalar_one())
        conn.execute(claim_members.update().where(claim_members.c.statement_id == statement_id).values(
            claim_id=alone, rule="manual-unlink", pinned=True))
        record_claim_edit(conn, "unlink", claim_id, alone, statement_id, member=member_detail(row))
        refresh_claims(conn, [claim_id, alone])
        return alone


def member_detail(row: Any) -> dict[str, Any]:
    return {"statement_id": row.statement_id, "matched_id": row.matched_id, "similarity": row.similarity,
            "shared_actor": row.shared_actor, "shared_entities": row.shared_entities, "rule": row.rule,
            "pinned": bool(row.pinned), "added_at": row.added_at}


@dataclass(frozen=True)
class ClaimMerge:
    keep: int
    other: int
    statements: int


def merge_claims(engine: Engine, keep: int, other: int) -> ClaimMerge:
    """Make claim OTHER part of claim KEEP: its members move there (their links kept in the edit, for
    `unmerge_claim`), and OTHER points at KEEP."""
    if keep == other:
        raise ClaimEditError("a claim cannot be merged into itself")
    with engine.begin() as conn:
        lock_for_writing(conn)
        for claim_id in (keep, other):
            if live_claim(conn, claim_id).merged_into is not None:
                raise ClaimEditError(f"claim {claim_id} was merged into another; unmerge it first")
        moved = conn.execute(select(claim_members).where(claim_members.c.claim_id == other)).all()
        conn.execute(claim_members.update().where(claim_members.c.claim_id == other).values(
            claim_id=keep, rule="manual-merge", pinned=True))
        conn.execute(claims.update().where(claims.c.id == other).values(merged_into=keep))
        record_claim_edit(conn, "merge", keep, other, members=[member_detail(r) for r in moved])
        refresh_claims(conn, [keep])
        conn.execute(contradictions.update().where(contradictions.c.claim_id == other).values(claim_id=keep))
        return ClaimMerge(keep, other, len(moved))


def unmerge_claim(engine: Engine, other: int) -> ClaimMerge:
    """Undo the last merge of claim OTHER: the members it had go back to it with the links they had."""
    with engine.begin() as conn:
        lock_for_writing(conn)
        keep = live_claim(conn, other).merged_into
        if keep is None:
            raise ClaimEditError(f"claim {other} is not merged into another")
        edit = conn.execute(select(claim_edits).where(claim_edits.c.action == "merge", claim_edits.c.other_id == other)
                            .order_by(claim_edits.c.id.desc()).limit(1)).one()
        moved = json.loads(edit.detail)["members"]
        if moved:
            conn.execute(claim_members.update().where(claim_members.c.statement_id == bindparam("sid"),
                                                      claim_members.c.claim_id == keep).values(
                claim_id=other, matched_id=bindparam("matched"), similarity=bindparam("sim"),
                shared_actor=bindparam("actor"), shared_entities=bindparam("shared"), rule=bindparam("how"),
                pinned=bindparam("pin"), added_at=bindparam("added")), [
                dict(sid=m["statement_id"], matched=m["matched_id"], sim=m["similarity"], actor=m["shared_actor"],
                     shared=m["shared_entities"], how=m["rule"], pin=m["pinned"], added=m["added_at"])
                for m in moved])
        conn.execute(claims.update().where(claims.c.id == other).values(merged_into=None))
        record_claim_edit(conn, "unmerge", keep, other, members=[m["statement_id"] for m in moved])
        moved_ids = [m["statement_id"] for m in moved]
        conn.execute(contradictions.update().where(contradictions.c.kind == "stance", contradictions.c.claim_id == keep,
                                                   or_(contradictions.c.other_id.in_(moved_ids),
                                                       contradictions.c.statement_id.in_(moved_ids)))
                     .values(claim_id=other))
        refresh_claims(conn, [keep, other])
        return ClaimMerge(keep, other, len(moved))


def resolved_claim(conn: Connection, claim_id: int) -> int | None:
    """The claim an id stands for now: itself, or the claim it was merged into; None when there is none."""
    seen: set[int] = set()
    current: int | None = claim_id
    while current is not None and current not in seen:
        seen.add(current)
        row = conn.execute(select(claims.c.merged_into).where(claims.c.id == current)).first()
        if row is None:
            return None
        if row.merged_into is None:
            return current
        current = int(row.merged_into)
    return current


def counted_claims() -> Any:
    """Claims an analyst has not merged into another, with members."""
    return and_(claims.c.merged_into.is_(None), claims.c.statement_count > 0)


def claim_count(conn: Connection, min_articles: int = 2) -> int:
    return int(conn.execute(select(func.count()).select_from(claims)
                            .where(counted_claims(), claims.c.article_count >= min_articles)).scalar_one())
