"""The JSON API of claims across sources: claims, contradictions, stories, and stance on demand.

Records are those of `newsgraph.records` (`Claim`, `Contradiction`, `NewsStory`, `Stance`) as the store's query
functions (`store.claim_views`, `store.stories`) give them; lists are pages `{total, limit, offset, items}` like the
rest of /api. `POST /api/stance` runs the stance model in a thread of the server (sentence embeddings and a linear
model: no analysis process needed); its body is limited like `/api/analyze`'s.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from newsgraph.records import Claim, Contradiction, NewsStory, Stance
from newsgraph.server.api import (
    DEFAULT_LIMIT,
    ERRORS,
    ApiError,
    IsoDate,
    Limit,
    Offset,
    Page,
    UnicodeStr,
    engine_of,
    problem,
)
from newsgraph.store import claim_views, stories

router = APIRouter(prefix="/api", responses={422: ERRORS[422]})

MinArticles = Annotated[int, Query(ge=1, le=10_000, description="Only claims (stories) with statements from at "
                                   "least this many articles.")]
ActorId = Annotated[int | None, Query(ge=1, description="Only those with a statement by this corpus actor (its id "
                                      "in `/api/actors`).")]
Since = Annotated[IsoDate | None, Query(description="Only those first seen (said) on or after this day.")]


@router.get("/claims", tags=["claims"], summary="Claims made in several articles, most articles first")
def list_claims(request: Request, min_articles: MinArticles = 2, actor: ActorId = None, since: Since = None,
                limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Page[Claim]:
    """Each claim with where it was first seen, its speakers and outlets and its certainty over time; its statements
    are in `/api/claims/{id}`."""
    engine = engine_of(request)
    items = claim_views.list_claims(engine, min_articles, actor, since, limit, offset)
    return Page(total=claim_views.count_claims(engine, min_articles, actor, since), limit=limit, offset=offset,
                items=items)


class ClaimDetail(BaseModel):
    claim: Claim
    contradictions: list[Contradiction] = Field(description="Pairs of its statements that disagree, surest first.")


@router.get("/claims/{claim_id}", tags=["claims"], summary="One claim with its statements and contradictions",
            responses={404: ERRORS[404]})
def get_claim(request: Request, claim_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> ClaimDetail:
    """Every statement of the claim, first seen first, with the evidence that put it there (similarity, shared
    speaker, shared actors); the id of a claim merged into another gives that claim."""
    engine = engine_of(request)
    claim = claim_views.claim_detail(engine, claim_id)
    if claim is None:
        raise problem(404, f"no claim {claim_id}")
    return ClaimDetail(claim=claim, contradictions=claim_views.list_contradictions(engine, claim_id=claim.id))


@router.get("/contradictions", tags=["claims"], summary="Statements that disagree about one claim")
def list_contradictions(request: Request, actor: Annotated[int | None, Query(
                            ge=1, description="Only those where this corpus actor asserts or contradicts.")] = None,
                        since: Annotated[IsoDate | None, Query(
                            description="Only those with a statement said on or after this day.")] = None,
                        limit: Limit = DEFAULT_LIMIT) -> list[Contradiction]:
    """A denial, rebuttal or negation by one source of what another asserts, surest first."""
    return claim_views.list_contradictions(engine_of(request), actor, since, limit)


@router.get("/stories", tags=["claims"], summary="Articles about one happening, the most articles first")
def list_stories(request: Request, min_articles: MinArticles = 2, limit: Limit = DEFAULT_LIMIT,
                 offset: Offset = 0) -> Page[NewsStory]:
    """Articles linked as near-duplicates, by a shared claim, or by a shared event (type, actors, place, days)."""
    found = stories.list_stories(engine_of(request), min_articles, limit=10**9)
    return Page(total=len(found), limit=limit, offset=offset, items=found[offset:offset + limit])


@router.get("/stories/{story_id}", tags=["claims"], summary="One story with the timeline of its claims",
            responses={404: ERRORS[404]})
def get_story(request: Request, story_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> NewsStory:
    """The story's articles, the links between them, and its claims' statements in order of publication."""
    story = stories.story_detail(engine_of(request), story_id)
    if story is None:
        raise problem(404, f"no story {story_id}")
    return story


class StanceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claim: UnicodeStr = Field(min_length=1, max_length=2_000, description="The claim (a headline, a sentence).")
    text: UnicodeStr = Field(min_length=1, description="The article (or statement) to judge against it.")


@router.post("/stance", tags=["claims"], summary="How a text stands to a claim (not stored)",
             responses={413: {"model": ApiError, "description": "The body is larger than the server accepts."},
                        503: {"model": ApiError, "description": "The stance model is not installed."}})
async def post_stance(body: StanceRequest) -> Stance:
    """`agree`, `disagree`, `discuss` or `unrelated`, as FNC-1 defines them, with a calibrated confidence and the
    sentences that decided it (offsets into `text`). The body may be at most the server's `--max-analyze-bytes`."""
    if not body.claim.strip() or not body.text.strip():
        raise problem(400, "claim and text must not be blank")
    try:
        from newsgraph.stance import predict_stance
    except ImportError as exc:
        raise problem(503, f"the stance model cannot be loaded ({exc})") from None
    return await anyio.to_thread.run_sync(predict_stance, body.claim, body.text)
