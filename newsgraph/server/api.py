"""The JSON API under /api: the store's records as `newsgraph/1` JSON, analysis on demand, ingest with a token.

Every record is returned inside a small envelope that says where it comes from (the article's key, title,
date and URL, the row id, the corpus actor id), and every list is a page `{total, limit, offset, items}`.
Every error under /api is `{"error": "one sentence", "status": N}`, whatever raised it.

No query runs on the event loop: most endpoints are plain `def` (FastAPI runs them in its threadpool), and the
busy search endpoints hand their queries to a few threads of their own (`in_store_thread`). Statements and
events pages come from `planner.statement_page` / `planner.event_page`, which give what `newsgraph search` gives,
planned for SQLite. Analysis runs in a process of its own under the server's time budget (`Settings.get_analyzer`),
one request at a time: a request that cannot have it within `ANALYZER_WAIT_SECONDS` is answered 503, and no
analysis ever holds the event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
import importlib.util
import json
import os
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from newsgraph.ingest.base import lone_surrogate, text_problem
from newsgraph.records import Article, Certainty, Document, Event, Statement, StatementKind
from newsgraph.server.app import Settings, settings_of
from newsgraph.server.middleware import content_security_policy, inline_script_hashes
from newsgraph.store import network, planner, query
from newsgraph.store.query import ArticleRef, EventHit, Filters, StatementHit
from newsgraph.store.schema import MAX_ROW_ID
from newsgraph.workers import AnalyzerUnavailable, ArticleFailed

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_INGEST_ARTICLES = 50
INGEST_OVERHEAD_BYTES = 4096  # room for one article's metadata and JSON punctuation beside its text
ANALYZER_WAIT_SECONDS = 5.0  # a request that cannot have the analyzer this soon is told to come back later
DOCS_ASSETS = "/api/docs-assets"

# PLOVER event types, as `newsgraph.records.Event.type` documents them.
EventType = Literal["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]

# Edges of the actor network (`newsgraph.store.network.EDGE_TYPES`): statements, every event, or one PLOVER type.
EdgeType = Literal["talks_to", "talks_about", "event", "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID",
                   "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
                   "ASSAULT"]


# --- errors ------------------------------------------------------------------------------------------------

class ApiError(BaseModel):
    """Every 4xx and 5xx answer under /api."""

    error: str = Field(description="What went wrong, in one sentence.")
    status: int = Field(description="The HTTP status, repeated for clients that only keep the body.")


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def problem(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPException:
    """The exception an endpoint raises; `install`'s handler turns it into an `ApiError` body."""
    return HTTPException(status, message, headers)


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ApiError, "description": "No such record."},
    422: {"model": ApiError, "description": "A parameter is malformed (the message names it)."},
}


# --- response models ---------------------------------------------------------------------------------------

class ArticleRefOut(BaseModel):
    """Where a record comes from."""

    id: int = Field(description="Row id of the article in the store: `/api/articles/{id}`.")
    key: str = Field(description="The article's `newsgraph/1` id (`Article.id`); `/api/articles/{key}` too.")
    title: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.")
    url: str | None = None
    publisher: str | None = None

    @classmethod
    def of(cls, ref: ArticleRef) -> ArticleRefOut:
        return cls(id=ref.id, key=ref.key, title=ref.title, published=ref.published, url=ref.url,
                   publisher=ref.publisher)


class StatementItem(BaseModel):
    id: int = Field(description="Row id of the statement: `/api/statements/{id}`.")
    day: str | None = Field(description="When it was said (the date the text gives, else the publication date).")
    article: ArticleRefOut
    speaker_actor: int | None = Field(description="Corpus actor id of the speaker: `/api/actors/{id}`.")
    statement: Statement

    @classmethod
    def of(cls, hit: StatementHit) -> StatementItem:
        return cls(id=hit.id, day=hit.day, article=ArticleRefOut.of(hit.article), speaker_actor=hit.speaker_actor,
                   statement=hit.statement)


class EventItem(BaseModel):
    id: int = Field(description="Row id of the event: `/api/events/{id}`.")
    day: str | None = Field(description="When it happened (the date the text gives, else the publication date).")
    article: ArticleRefOut
    sentence: str = Field(description="The sentence of the event's trigger.")
    event: Event

    @classmethod
    def of(cls, hit: EventHit) -> EventItem:
        return cls(id=hit.id, day=hit.day, article=ArticleRefOut.of(hit.article), sentence=hit.sentence,
                   event=hit.event)


Item = TypeVar("Item")
Result = TypeVar("Result")


class Page(BaseModel, Generic[Item]):
    total: int = Field(description="How many records match, over all pages.")
    limit: int
    offset: int
    items: list[Item]


class ArticleItem(BaseModel):
    article: ArticleRefOut
    statements: int
    events: int
    duplicate_of: str | None = Field(description="Key of the main version of the story this article is another "
                                     "version of (it keeps its own records; searches count the main version).")


class ArticleDetail(BaseModel):
    id: int = Field(description="Row id of the article.")
    key: str
    duplicate_of: ArticleRefOut | None = Field(description="The main version of this story; the document's records "
                                               "are this article's own.")
    similarity: float | None = Field(description="Estimated Jaccard similarity to `duplicate_of`.")
    duplicates: list[ArticleRefOut] = Field(description="Near-duplicates stored as repeating this article.")
    document: Document


class ActorItem(BaseModel):
    id: int = Field(description="Corpus actor id: `/api/actors/{id}`.")
    name: str
    type: str
    article_count: int = Field(description="Distinct main-version articles with a mention of it.")
    titles: list[str]
    outside_id: str | None = Field(None, description="Its id elsewhere (a Wikidata QID) from the actor dictionary.")
    country: str | None = Field(None, description="ISO 3166 alpha-3 country from the actor dictionary.")
    sector: str | None = Field(None, description="Sector from the actor dictionary.")


class SeenName(BaseModel):
    name: str
    articles: int


class CountedName(BaseModel):
    name: str
    statements: int


class ActorLink(BaseModel):
    """Why one article's entity was linked to this actor."""

    article: str = Field(description="Article key.")
    entity: str = Field(description="The entity's id in that article (E3): `newsgraph unlink ARTICLE ENTITY`.")
    name: str = Field(description="The entity's name in that article.")
    rule: str
    evidence: str
    confidence: float | None = Field(description="How likely the link is right (0-1); empty for links stored "
                                     "before confidence was kept.")


class ActorDetail(BaseModel):
    id: int
    name: str
    type: str
    outside_id: str | None = Field(None, description="Its id elsewhere (a Wikidata QID) from the actor dictionary.")
    country: str | None = Field(None, description="ISO 3166 alpha-3 country from the actor dictionary.")
    sector: str | None = Field(None, description="Sector from the actor dictionary.")
    names: list[SeenName] = Field(description="Names this actor goes by, with the number of articles.")
    titles: list[str]
    articles: list[ArticleRefOut]
    said: list[StatementItem] = Field(description="Statements with this actor as speaker, oldest first.")
    addressed: list[CountedName] = Field(description="Whom its statements addressed.")
    did: list[EventItem] = Field(description="Events with this actor as actor.")
    undergone: list[EventItem] = Field(description="Events with this actor as recipient.")
    talked_about_by: list[CountedName] = Field(description="Speakers whose statements mention this actor.")
    links: list[ActorLink]


class PlaceItem(BaseModel):
    """One place: one gazetteer entry (homonyms such as Paris, France and Paris, Texas are two places)."""

    key: str = Field(description="The gazetteer entry: `geonames:ID` for a GeoNames entry, else "
                     "`place:COUNTRY:FEATURE:NAME`. `/api/places/{key}`, and the `place` filter of the searches.")
    label: str = Field(description="Name, first-level unit, country code and feature, which tell homonyms apart: "
                       "`Paris, Texas, US (city)`, `Georgia (country)`.")
    name: str = Field(description="Gazetteer name (homonyms share it).")
    country: str | None = Field(description="ISO 3166-1 alpha-2 code of the country it lies in.")
    admin1: str | None = Field(description="Gazetteer name of the first-level unit (state, province) it lies in; "
                               "null for countries, first-level units, continents and seas, and when unknown.")
    feature: str | None = Field(description="country, admin1, city, facility, landmark, water, region or continent.")
    geonames_id: int | None = Field(description="GeoNames id, when the entry comes from GeoNames.")
    lat: float | None = Field(description="The entry's own point (every mention of it has the same one).")
    lon: float | None
    mentions: int = Field(description="How often the corpus names it.")
    articles: int = Field(description="In how many articles.")
    events: int = Field(description="How many events are located there.")

    @classmethod
    def of(cls, p: query.PlaceSummary) -> PlaceItem:
        return cls(key=p.key, label=p.label, name=p.name, country=p.country, admin1=p.admin1, feature=p.feature,
                   geonames_id=p.geonames_id, lat=p.lat, lon=p.lon, mentions=p.mentions, articles=p.articles,
                   events=p.events)


class PlaceDetail(BaseModel):
    place: PlaceItem
    events: Page[EventItem]
    articles: list[ArticleRefOut] = Field(description="Articles naming the place, newest first (at most `limit`).")


class PlaceChoices(BaseModel):
    """The answer (300 Multiple Choices) for a name that several places share."""

    name: str = Field(description="The name asked for.")
    places: list[PlaceItem] = Field(description="Every place of that name, most named first: ask for one by "
                                    "its `key`.")


class NetworkNodeOut(BaseModel):
    """A corpus actor in the network."""

    id: int = Field(description="Corpus actor id: `/api/actors/{id}`.")
    name: str
    type: str = Field(description="PERSON, ORG, GPE or NORP.")
    article_count: int = Field(description="Articles it appears in.")
    mentions: int = Field(description="Its mentions across the corpus (each story once).")
    statements: int = Field(description="Statements with it as the speaker across the corpus (each story once).")
    weight: int = Field(description="The summed weight of its edges in this network.")


class NetworkEdgeOut(BaseModel):
    """Statements or events linking two actors one way, of one type."""

    source: int = Field(description="Actor id: the speaker, or the event's actor.")
    target: int = Field(description="Actor id: the addressee, the actor talked about, or the event's recipient.")
    type: str = Field(description="talks_to (speaker to addressee), talks_about (speaker to an actor mentioned in "
                      "the content), a PLOVER event type (actor to recipient), or event (every event type, with "
                      "`event_types=false`).")
    weight: int = Field(description="How many statements or events.")
    statements: list[int] = Field(description="A few of the statements: `/api/statements/{id}`.")
    events: list[int] = Field(description="A few of the events: `/api/events/{id}`.")


class NetworkOut(BaseModel):
    actor: int | None = Field(description="The actor whose ego network this is (its node comes first), or null.")
    nodes: list[NetworkNodeOut] = Field(description="Heaviest first (after the ego, and nearer ones first).")
    edges: list[NetworkEdgeOut] = Field(description="Heaviest first.")


class SearchOut(BaseModel):
    statements: Page[StatementItem]
    events: Page[EventItem]


class SummaryOut(BaseModel):
    articles: int
    duplicates: int = Field(description="Articles stored as near-duplicates of another.")
    statements: int
    events: int
    actors: int
    places: int = Field(description="Place mentions.")
    failures: int = Field(description="Inputs that could not be analysed or stored.")


# --- the search pages as JSON text --------------------------------------------------------------------------
# The search endpoints are the API's hot path. Their records are stored as `newsgraph/1` JSON, and they go out
# as that text in its envelope: parsing each into a model for FastAPI to check and serialise again cost more
# than the query itself. The response models above still document them (a test checks that both agree).

def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def ref_json(ref: ArticleRef) -> str:
    return compact_json(dataclasses.asdict(ref))  # the fields of `ArticleRefOut`, in its order


def statement_item_json(hit: StatementHit) -> str:
    """A `StatementItem`."""
    return (f'{{"id":{hit.id},"day":{compact_json(hit.day)},"article":{ref_json(hit.article)},'
            f'"speaker_actor":{compact_json(hit.speaker_actor)},"statement":{hit.data}}}')


def event_item_json(hit: EventHit) -> str:
    """An `EventItem`."""
    return (f'{{"id":{hit.id},"day":{compact_json(hit.day)},"article":{ref_json(hit.article)},'
            f'"sentence":{compact_json(hit.sentence)},"event":{hit.data}}}')


def page_json(total: int, limit: int, offset: int, items: list[str]) -> str:
    """A `Page` of items already in JSON."""
    return f'{{"total":{total},"limit":{limit},"offset":{offset},"items":[{",".join(items)}]}}'


def json_response(body: str) -> Response:
    return Response(body, media_type="application/json")


# --- request models ----------------------------------------------------------------------------------------

def iso_date(value: str) -> str:
    """A YYYY-MM-DD date, checked; the message is the one users see."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


IsoDate = Annotated[str, AfterValidator(iso_date), WithJsonSchema({"type": "string", "format": "date",
                                                                  "examples": ["2022-04-26"]})]


def upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


EventTypeParam = Annotated[EventType, BeforeValidator(upper)]


def edge_type_name(value: Any) -> Any:
    """talks_to and talks_about in lower case, PLOVER types in upper, whatever case they are sent in."""
    if not isinstance(value, str):
        return value
    return value.upper() if value.upper() in network.PLOVER_TYPES else value.lower()


EdgeTypeParam = Annotated[EdgeType, BeforeValidator(edge_type_name)]


def valid_unicode(value: str) -> str:
    """A string that can be encoded: no lone surrogate, which cannot be stored or sent."""
    at = lone_surrogate(value)
    if at is not None:
        raise ValueError(f"has a lone surrogate (U+{ord(value[at]):04X}) at character {at}: not valid Unicode")
    return value


# The metadata fields; an article's text is checked by `text_problem`, so that one bad text fails alone.
UnicodeStr = Annotated[str, AfterValidator(valid_unicode)]


class AnalyzeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article's text, exactly as the offsets should count it.")
    published: IsoDate | None = Field(None, description="Publication date: relative dates resolve against it.")
    title: UnicodeStr | None = None


class IngestArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: UnicodeStr = Field(min_length=1, max_length=200, pattern=r"^[^/\\\x00]+$",
                           description="The article's id (its key in the store; no slashes).")
    text: str
    published: IsoDate | None = None
    title: UnicodeStr | None = None
    url: UnicodeStr | None = Field(None, max_length=2000)
    publisher: UnicodeStr | None = None


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[IngestArticle] = Field(min_length=1, max_length=MAX_INGEST_ARTICLES)


class IngestResult(BaseModel):
    id: str = Field(description="The id as sent.")
    outcome: Literal["stored", "duplicate", "exists", "failed"] = Field(
        description="stored; duplicate (stored with its records as another version of a stored story); "
        "exists (the same URL or text is already stored); failed (see message).")
    article_id: int | None = Field(None, description="Row id of the stored (or already stored) article.")
    key: str | None = Field(None, description="Its key in the store (the id, with a suffix if the id was taken).")
    duplicate_of: int | None = Field(None, description="Row id of the article it repeats.")
    message: str | None = None


class IngestResponse(BaseModel):
    stored: int
    duplicates: int
    exists: int
    failed: int
    results: list[IngestResult]


# --- parameters --------------------------------------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Records to skip.")]


async def record_filters(
    q: Annotated[str | None, Query(description='Full text: words all required, "a phrase", OR, -word to exclude.',
                                   max_length=500)] = None,
    speaker: Annotated[str | None, Query(description="Statements by this speaker (events reported by them); part "
                                         "of a name is enough.", max_length=200)] = None,
    actor: Annotated[str | None, Query(description="Records involving this actor in any role.",
                                       max_length=200)] = None,
    place: Annotated[str | None, Query(description="Records at or about a place: part of its name (every place of "
                                       "that name), or its key (`geonames:2988507`, from `/api/places`) for exactly "
                                       "one.", max_length=200)] = None,
    since: Annotated[IsoDate | None, Query(description="On or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[IsoDate | None, Query(description="On or before this day (YYYY-MM-DD).")] = None,
    certainty: Annotated[list[Certainty] | None, Query(description="Repeatable: keep these certainties.")] = None,
    kind: Annotated[list[StatementKind] | None, Query(description="Repeatable: statement kinds (events have none, "
                                                      "so any kind excludes every event).")] = None,
    event_type: Annotated[list[EventTypeParam] | None, Query(description="Repeatable: PLOVER event types "
                                                             "(statements reporting such an event).")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="Records at least this sure (0-1); "
                                                  "records of unknown confidence are left out.")] = None,
) -> Filters:
    """The filters of `newsgraph search`, as query parameters. (Async: it only computes, so it stays on the event
    loop instead of costing every request a trip through the threadpool.)"""
    if since and until and since > until:
        raise problem(422, f"since ({since}) is after until ({until}), so nothing can match")
    return Filters(query=q or None, speaker=speaker or None, actor=actor or None, place=place or None, since=since,
                   until=until, certainty=tuple(certainty or ()), kind=tuple(kind or ()),
                   event_type=tuple(event_type or ()), min_confidence=min_confidence)


FiltersParam = Annotated[Filters, Depends(record_filters)]

# The search endpoints query in at most this many threads at once. More do not go faster (Python runs one
# thread at a time; SQLite lets go of it while it reads, so one more than the cores keeps them busy) but cost
# switches, and past the engine's pool (5 connections, SQLAlchemy's default) each extra thread opens a
# connection and closes it again: a cold SQLite page cache and the schema parsed anew for every request.
STORE_THREADS = min(4, (os.cpu_count() or 1) + 1)
_store_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = \
    weakref.WeakKeyDictionary()


async def in_store_thread(function: Callable[..., Result], *args: Any) -> Result:
    # A limiter belongs to the event loop it was made on (a test client may run several loops).
    loop = asyncio.get_running_loop()
    limiter = _store_limiters.get(loop)
    if limiter is None:
        limiter = _store_limiters[loop] = anyio.CapacityLimiter(STORE_THREADS)
    return await anyio.to_thread.run_sync(function, *args, limiter=limiter)


def engine_of(request: Request) -> Engine:
    return settings_of(request).engine


# --- the read endpoints ------------------------------------------------------------------------------------

router = APIRouter(prefix="/api", responses={422: ERRORS[422]})


@router.get("/summary", tags=["corpus"], summary="Counts of the store's records")
def get_summary(request: Request) -> SummaryOut:
    """How many articles, near-duplicates, statements, events, actors, place mentions and failed inputs."""
    s = query.summary(engine_of(request))
    return SummaryOut(articles=s.articles, duplicates=s.duplicates, statements=s.statements, events=s.events,
                      actors=s.actors, places=s.places, failures=s.failures)


@router.get("/articles", tags=["articles"], summary="List articles, newest first")
def list_articles(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                  q: Annotated[str | None, Query(description="Full text over the articles' texts.",
                                                 max_length=500)] = None) -> Page[ArticleItem]:
    """Stored articles with their numbers of statements and events and the article each near-duplicate repeats."""
    engine = engine_of(request)
    rows = query.list_articles(engine, limit, offset, q or None)
    items = [ArticleItem(article=ArticleRefOut.of(a.ref), statements=a.statements, events=a.events,
                         duplicate_of=a.duplicate_of) for a in rows]
    return Page(total=query.count_articles_matching(engine, q or None), limit=limit, offset=offset, items=items)


@router.get("/articles/{ref}", tags=["articles"], summary="One article's full document",
            responses={404: ERRORS[404]})
def get_article(request: Request, ref: Annotated[str, PathParam(description="Article key or row id.")]
                ) -> ArticleDetail:
    """The article's `newsgraph/1` Document as analysis produced it, with its near-duplicate links.

    A near-duplicate's document has its own article metadata, text and records, with offsets into its own text.
    """
    engine = engine_of(request)
    links = query.article_relations(engine, ref)
    document = query.load_document(engine, links.ref.id) if links else None
    if links is None or document is None:
        raise problem(404, f"no article {ref!r}")
    return ArticleDetail(id=links.ref.id, key=links.ref.key,
                         duplicate_of=ArticleRefOut.of(links.duplicate_of) if links.duplicate_of else None,
                         similarity=links.similarity, duplicates=[ArticleRefOut.of(d) for d in links.duplicates],
                         document=document)


@router.get("/statements", tags=["statements"], summary="Search statements", response_model=Page[StatementItem])
async def list_statements(request: Request, filters: FiltersParam, limit: Limit = DEFAULT_LIMIT,
                          offset: Offset = 0) -> Response:
    """Who said what: statements matching every filter given, newest first."""
    # The busiest endpoint: one trip to the threadpool for the queries, the rest on the event loop.
    return json_response(await in_store_thread(statement_page_json, engine_of(request), filters, limit, offset))


def statement_page_json(engine: Engine, filters: Filters, limit: int, offset: int) -> str:
    hits, total = planner.statement_page(engine, filters, limit, offset)
    return page_json(total, limit, offset, [statement_item_json(h) for h in hits])


@router.get("/statements/{statement_id}", tags=["statements"], summary="One statement",
            responses={404: ERRORS[404]})
def get_statement(request: Request, statement_id: Annotated[int, PathParam(ge=1, le=MAX_ROW_ID)]) -> StatementItem:
    hit = query.get_statement(engine_of(request), statement_id)
    if hit is None:
        raise problem(404, f"no statement {statement_id}")
    return StatementItem.of(hit)


@router.get("/events", tags=["events"], summary="Search events", response_model=Page[EventItem])
async def list_events(request: Request, filters: FiltersParam, limit: Limit = DEFAULT_LIMIT,
                      offset: Offset = 0) -> Response:
    """Who did what to whom: events matching every filter given, newest first.

    `speaker` keeps the events reported by that speaker; `kind` (a statement filter) excludes every event."""
    return json_response(await in_store_thread(event_page_json, engine_of(request), filters, limit, offset))


def event_page_json(engine: Engine, filters: Filters, limit: int, offset: int) -> str:
    hits, total = planner.event_page(engine, filters, limit, offset)
    return page_json(total, limit, offset, [event_item_json(h) for h in hits])


@router.get("/events/{event_id}", tags=["events"], summary="One event", responses={404: ERRORS[404]})
def get_event(request: Request, event_id: Annotated[int, PathParam(ge=1, le=MAX_ROW_ID)]) -> EventItem:
    hit = query.get_event(engine_of(request), event_id)
    if hit is None:
        raise problem(404, f"no event {event_id}")
    return EventItem.of(hit)


@router.get("/search", tags=["search"], summary="Search statements and events together", response_model=SearchOut)
async def search(request: Request, filters: FiltersParam, limit: Limit = DEFAULT_LIMIT,
                 offset: Offset = 0) -> Response:
    """The same filters as `/api/statements` and `/api/events`, one page of each."""
    return json_response(await in_store_thread(search_pages_json, engine_of(request), filters, limit, offset))


def search_pages_json(engine: Engine, filters: Filters, limit: int, offset: int) -> str:
    return (f'{{"statements":{statement_page_json(engine, filters, limit, offset)},'
            f'"events":{event_page_json(engine, filters, limit, offset)}}}')


@router.get("/actors", tags=["actors"], summary="List corpus actors, most seen first")
def list_actors(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                name: Annotated[str | None, Query(description="Part of the actor's name.", max_length=200)] = None,
                ) -> Page[ActorItem]:
    """People, organisations and countries linked across articles, with the number of articles each is in."""
    engine = engine_of(request)
    rows = query.list_actors(engine, limit, offset, name or None)
    items = [ActorItem(id=a.id, name=a.name, type=a.type, article_count=a.article_count, titles=a.titles,
                       outside_id=a.outside_id, country=a.country, sector=a.sector) for a in rows]
    return Page(total=query.count_actors(engine, name or None), limit=limit, offset=offset, items=items)


@router.get("/actors/{actor_id}", tags=["actors"], summary="Everything about one actor",
            responses={404: ERRORS[404]})
def get_actor(request: Request, actor_id: Annotated[int, PathParam(ge=1, le=MAX_ROW_ID)]) -> ActorDetail:
    """Its names and titles, its articles, what it said and to whom, what it did and underwent, who talked about
    it, and why each article's mention was linked to it (rule and evidence)."""
    view = query.actor_view(engine_of(request), actor_id)
    if view is None:
        raise problem(404, f"no actor {actor_id}")
    return ActorDetail(
        id=view.id, name=view.name, type=view.type, outside_id=view.outside_id, country=view.country,
        sector=view.sector, names=[SeenName(name=n, articles=c) for n, c in view.names], titles=view.titles,
        articles=[ArticleRefOut.of(a) for a in view.articles], said=[StatementItem.of(h) for h in view.said],
        addressed=[CountedName(name=n, statements=c) for n, c in view.addressed],
        did=[EventItem.of(h) for h in view.did], undergone=[EventItem.of(h) for h in view.undergone],
        talked_about_by=[CountedName(name=n, statements=c) for n, c in view.talked_about_by],
        links=[ActorLink(article=k.article, entity=k.entity, name=k.name, rule=k.rule, evidence=k.evidence,
                         confidence=k.confidence) for k in view.links])


@router.get("/network", tags=["actors"], summary="The actor network: who talks to, about and acts on whom",
            responses={404: ERRORS[404]})
def get_network(
    request: Request,
    actor: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID, description="The ego network of this actor id: it, "
                                       "the actors within `depth` edges of it, and every edge among them.")] = None,
    depth: Annotated[int, Query(ge=1, le=network.MAX_DEPTH, description="With `actor`: how many edges away.")] = 1,
    min_weight: Annotated[int, Query(ge=1, le=10**6, description="Only edges of at least this many statements "
                                     "or events.")] = 1,
    edge_type: Annotated[list[EdgeTypeParam] | None, Query(description="Repeatable: only these edges: talks_to, "
                                                           "talks_about, event (every event), or PLOVER types.")
                         ] = None,
    since: Annotated[IsoDate | None, Query(description="Only records on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[IsoDate | None, Query(description="Only records on or before this day (YYYY-MM-DD).")] = None,
    max_nodes: Annotated[int, Query(ge=1, le=network.MAX_NODES, description="At most this many actors: those "
                                    "with the heaviest edges.")] = 100,
    isolated: Annotated[bool, Query(description="Without `actor`: fill up to `max_nodes` with actors that have no "
                                    "edge, those in the most articles first.")] = False,
    event_types: Annotated[bool, Query(description="Type event edges by PLOVER type; false: all `event`.")] = True,
) -> NetworkOut:
    """Corpus actors as nodes; directed, typed edges weighted by the statements or events behind them, each story
    counted once (main versions of near-duplicates only)."""
    options = network.NetworkOptions(actor=actor, depth=depth, min_weight=min_weight,
                                     edge_types=tuple(edge_type or ()), since=since, until=until,
                                     max_nodes=max_nodes, isolated=isolated, event_types=event_types)
    try:
        graph = network.actor_network(engine_of(request), options)
    except ValueError as exc:
        raise problem(422, str(exc)) from None
    if graph is None:
        raise problem(404, f"no actor {actor}")
    return NetworkOut(actor=actor,
                      nodes=[NetworkNodeOut(**dataclasses.asdict(n)) for n in graph.nodes],
                      edges=[NetworkEdgeOut(source=e.source, target=e.target, type=e.type, weight=e.weight,
                                            statements=list(e.statements), events=list(e.events))
                             for e in graph.edges])


@router.get("/places", tags=["places"], summary="List places, most named first")
def list_places(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                name: Annotated[str | None, Query(description="Part of the place's name (or a place key).",
                                                  max_length=200)] = None,
                ) -> Page[PlaceItem]:
    """Resolved places, one per gazetteer entry (Paris, France and Paris, Texas are two), each with its own
    coordinates, how often and in how many articles it is named, and its events."""
    engine = engine_of(request)
    items = [PlaceItem.of(p) for p in query.list_places(engine, limit, offset, name or None)]
    return Page(total=query.count_places(engine, name or None), limit=limit, offset=offset, items=items)


@router.get("/places/{ref}", tags=["places"], summary="One place with its events and articles",
            response_model=PlaceDetail, responses={
                300: {"model": PlaceChoices, "description": "The name is that of several places: their list, to ask "
                      "again by key."},
                404: ERRORS[404]})
def get_place(request: Request,
              ref: Annotated[str, PathParam(description="Place key (`geonames:2988507`), or a gazetteer name (any "
                                            "letter case) that only one place has.")],
              limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> PlaceDetail | Response:
    """The place, a page of the events located there (newest first) and the newest articles that name it. A name
    that several places share (Paris) is answered 300 with the list of them."""
    engine = engine_of(request)
    found = query.find_places(engine, ref)
    if not found:
        raise problem(404, f"no place {ref!r}")
    if len(found) > 1:
        choices = PlaceChoices(name=ref, places=[PlaceItem.of(p) for p in found])
        return JSONResponse(choices.model_dump(mode="json"), status_code=300)
    place = found[0]
    events = [EventItem.of(h) for h in query.events_at_place(engine, place.key, limit, offset)]
    return PlaceDetail(place=PlaceItem.of(place), events=Page(total=place.events, limit=limit, offset=offset,
                                                              items=events),
                       articles=[ArticleRefOut.of(a) for a in query.place_articles(engine, place.key, limit)])


# --- analysis ----------------------------------------------------------------------------------------------

def analyzer_lock(request: Request) -> threading.Lock:
    lock: threading.Lock = request.app.state.analyzer_lock
    return lock


def analyzer_busy() -> HTTPException:
    return problem(503, "the analyzer is busy with other requests; try again shortly", {"Retry-After": "10"})


# What an article that could not be analysed is answered: refused or over the time or memory budget, it is the
# text (422); a worker that died or an analysis error is the server's (500).
FAILURE_STATUS = {"refused": 422, "timeout": 422, "memory": 422, "died": 500, "error": 500}


def analysed_json(settings: Settings, text: str, article: Article) -> str:
    """The article's Document as JSON, from the analysis process (the caller holds the analyzer lock).
    `ArticleFailed` when the article cannot be analysed; 503 when the analysis process cannot be had."""
    try:
        return settings.get_analyzer().analyze_json(text, article)
    except AnalyzerUnavailable as exc:  # a missing or broken model, or a process that stopped: said once per request
        raise problem(503, str(exc), {"Retry-After": "10"}) from None


def analyse(settings: Settings, lock: threading.Lock, text: str, article: Article) -> Document:
    """Analyse under the lock, waiting at most `ANALYZER_WAIT_SECONDS` for it (503 beyond: busy)."""
    if not lock.acquire(timeout=ANALYZER_WAIT_SECONDS):
        raise analyzer_busy()
    try:
        return Document.model_validate_json(analysed_json(settings, text, article))
    finally:
        lock.release()


async def acquired(lock: threading.Lock, seconds: float) -> bool:
    """Take a thread lock within `seconds` without blocking the event loop (the lock is shared with the pages and
    the ingest endpoint, which run in threads, so it is polled rather than awaited)."""
    deadline = time.monotonic() + seconds
    while not lock.acquire(blocking=False):
        if time.monotonic() >= deadline:
            return False
        await anyio.sleep(0.02)
    return True


@router.post("/analyze", tags=["analyze"], summary="Analyse a text (not stored)", response_model=Document,
             responses={400: {"model": ApiError, "description": "The text is empty."},
                        413: {"model": ApiError, "description": "The body is larger than the server accepts."},
                        422: {"model": ApiError, "description": "A field is malformed, or the text cannot be "
                              "analysed: NUL characters, lone surrogates, a run of characters without a space that "
                              "the tokenizer would take minutes on, or an analysis over the server's time or "
                              "memory budget."},
                        503: {"model": ApiError, "description": "The analyzer is busy or cannot be loaded."}})
async def analyze(request: Request, body: AnalyzeRequest) -> Response:
    """The `newsgraph/1` Document of the text, as `newsgraph analyze --json` gives it. Nothing is stored.

    The body may be at most the server's `--max-analyze-bytes` (200,000 by default) as sent; the analysis may take
    at most the server's `--article-timeout` (60 s by default)."""
    if not body.text.strip():
        raise problem(400, "text is empty: send the article's text in the 'text' field")
    refused = text_problem(body.text)
    if refused:
        raise problem(422, refused)
    article = Article(id="text", title=body.title, published=body.published)
    lock = analyzer_lock(request)
    if not await acquired(lock, ANALYZER_WAIT_SECONDS):
        raise analyzer_busy()
    try:
        # In a thread, which only waits on the analysis process: the event loop goes on serving everyone else.
        document_json = await anyio.to_thread.run_sync(analysed_json, settings_of(request), body.text, article)
    except ArticleFailed as exc:
        raise problem(FAILURE_STATUS[exc.kind], str(exc)) from None
    finally:
        lock.release()
    return json_response(document_json)


# --- ingest ------------------------------------------------------------------------------------------------

bearer = HTTPBearer(auto_error=False, description="The token the server was started with (`--write-token`).")


def refusal(write_token: str | None, authorization: str | None) -> tuple[int, str] | None:
    """Why a request may not ingest, or None when it may: the token must be set on the server and sent."""
    if not write_token:
        return 403, "ingest is disabled: start the server with --write-token"
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return 401, "ingest needs the header 'Authorization: Bearer TOKEN' with the server's write token"
    if not hmac.compare_digest(given.strip().encode(), write_token.encode()):
        return 403, "the write token is wrong"
    return None


async def require_write_token(request: Request,
                        _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    refused = refusal(settings_of(request).write_token, request.headers.get("authorization"))
    if refused:
        status, message = refused
        raise problem(status, message, {"WWW-Authenticate": "Bearer"} if status == 401 else None)


@router.post("/ingest", tags=["ingest"], summary="Analyse and store articles (needs the write token)",
             dependencies=[Depends(require_write_token)],
             responses={401: {"model": ApiError, "description": "No bearer token sent."},
                        403: {"model": ApiError, "description": "Ingest is disabled, or the token is wrong."},
                        413: {"model": ApiError, "description": "The body is larger than the server accepts."}})
def ingest(request: Request, body: IngestRequest) -> IngestResponse:
    """Analyse each article and store it with its records, like `newsgraph ingest`: an article whose URL or text
    is stored already is not analysed again, a near-duplicate is linked to the article it repeats, and an article
    that cannot be analysed or stored is reported (and recorded among the store's failures) without stopping the
    others. At most 50 articles a request, each text at most the server's `--max-analyze-bytes`."""
    settings, lock = settings_of(request), analyzer_lock(request)
    results = [ingest_one(settings, lock, item) for item in body.articles]
    outcomes = [r.outcome for r in results]
    return IngestResponse(stored=outcomes.count("stored"), duplicates=outcomes.count("duplicate"),
                          exists=outcomes.count("exists"), failed=outcomes.count("failed"), results=results)


def ingest_one(settings: Settings, lock: threading.Lock, item: IngestArticle) -> IngestResult:
    from newsgraph.store.write import Fingerprint, existing_article, record_failure, write_document

    source = f"api:{item.id}"
    refused = text_problem(item.text)
    if refused:  # before anything encodes the text: a lone surrogate cannot be
        return failed(settings, source, item.id, refused)
    size = len(item.text.encode("utf-8"))
    if size > settings.max_analyze_bytes:
        return failed(settings, source, item.id, f"text is {size:,} bytes, more than the "
                      f"{settings.max_analyze_bytes:,} this server analyses")
    fingerprint = Fingerprint.of(item.text)
    with settings.engine.connect() as conn:
        stored = existing_article(conn, item.url, fingerprint.content_hash)
    if stored is not None:
        return IngestResult(id=item.id, outcome="exists", article_id=stored)
    article = Article(id=item.id, title=item.title, published=item.published, url=item.url,
                      publisher=item.publisher)
    try:
        document = analyse(settings, lock, item.text, article)  # busy or no model: the whole request fails alike
    except ArticleFailed as exc:  # one bad article must not stop the others: report it and go on
        return failed(settings, source, item.id, str(exc))
    try:
        result = write_document(settings.engine, document, source, fingerprint)
    except Exception as exc:  # a store error on one article is reported; the others are still tried
        record_failure(settings.engine, source, f"could not store: {type(exc).__name__}")
        return IngestResult(id=item.id, outcome="failed", message=f"could not store: {type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else ''}")
    return IngestResult(id=item.id, outcome=result.outcome, article_id=result.article_id, key=result.key,
                        duplicate_of=result.duplicate_of)


def failed(settings: Settings, source: str, item_id: str, message: str) -> IngestResult:
    from newsgraph.store.write import record_failure

    record_failure(settings.engine, source, message)
    return IngestResult(id=item_id, outcome="failed", message=message)


# --- the docs page, served from the package's own copy of Swagger UI ---------------------------------------

def swagger_assets() -> Path | None:
    """Swagger UI's script and style as shipped by fastapi-offline, or None when it is not installed."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


@router.get("/docs", include_in_schema=False)
def docs_page(request: Request) -> Response:
    if swagger_assets() is None:
        raise problem(503, "the docs page needs the fastapi-offline package: pip install fastapi-offline")
    root = request.scope.get("root_path", "")
    page = get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}", title=f"{request.app.title} API",
        swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
        # No request may leave the machine: Swagger UI would otherwise send the document to its online validator.
        swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True})
    # FastAPI starts Swagger UI with an inline script: the page's policy allows that script, by its hash, only.
    scripts = inline_script_hashes(bytes(page.body).decode("utf-8"))
    page.headers["Content-Security-Policy"] = content_security_policy(script_hashes=scripts)
    return page


# --- installing: error handlers, the body limit, the docs assets --------------------------------------------

def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not is_api(request):
        return await http_exception_handler(request, exc)
    message = str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"no such endpoint: {request.url.path} (see /api/docs)"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    return error_response(exc.status_code, message, dict(exc.headers) if exc.headers else None)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not is_api(request):
        return await request_validation_exception_handler(request, exc)
    return error_response(422, validation_message(exc.errors()))


def validation_message(errors: Any) -> str:
    """pydantic's errors as one sentence that names each parameter ("query parameter 'since': ...")."""
    return "; ".join(error_phrase(error) for error in list(errors)[:3])


LOCATIONS = {"query": "query parameter", "path": "path parameter", "body": "body field", "header": "header"}


def error_phrase(error: Any) -> str:
    where, *inner = error["loc"]
    text = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    text = text[:1].lower() + text[1:]
    if error.get("type") == "json_invalid":
        return f"the body is not valid JSON ({error.get('ctx', {}).get('error', text)})"
    if where == "body" and not inner:
        return f"the body: {text}"
    # A repeatable parameter's errors end in the position of the bad value (certainty.0): the name is enough.
    name = ".".join(str(p) for p in (inner[:-1] if where == "query" and inner and isinstance(inner[-1], int)
                                     else inner))
    return f"{LOCATIONS.get(str(where), str(where))} '{name}': {text}{shown_input(error.get('input'), text)}"


def shown_input(value: Any, text: str) -> str:
    """The value sent, when the message does not already quote it."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or repr(str(value)) in text:
        return ""
    return f" (got {str(value)!r})" if len(str(value)) <= 60 else " (got a longer value)"


async def on_store_busy(request: Request, exc: Exception) -> Response:
    if not is_api(request):
        return await on_internal_error(request, exc)
    return error_response(503, "the store is busy or unreachable; try again shortly", {"Retry-After": "5"})


async def on_internal_error(request: Request, exc: Exception) -> Response:
    if not is_api(request):
        return Response("Internal Server Error", status_code=500, media_type="text/plain")
    return error_response(500, f"internal error ({type(exc).__name__}); the server log has the details")


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuses an oversized body on POST /api/analyze and /api/ingest before anything parses it.

    The Content-Length is checked first (nothing is read), then the body as it streams in (a chunked body
    has no length), so a client can never make the server hold more than the limit in memory. Ingest is
    checked for its token here too, so an unauthorised client is refused before its body is read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "POST" or path not in LIMITED_POSTS:
            await self.app(scope, receive, send)
            return
        settings: Settings = scope["app"].state.settings
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if path == "/api/ingest":
            refused = refusal(settings.write_token, headers.get("authorization"))
            if refused:
                extra = {"WWW-Authenticate": "Bearer"} if refused[0] == 401 else None
                await error_response(refused[0], refused[1], extra)(scope, receive, send)
                return
        limit = body_limit(settings, path)
        declared = headers.get("content-length")  # a number: middleware.ContentLengthCheck refused any other
        if declared is not None and declared.isdigit() and int(declared) > limit:
            message = f"the body is {int(declared):,} bytes, more than the {limit:,} this server accepts on {path}"
            await error_response(413, message)(scope, receive, send)
            return
        body = await read_body(receive, limit)
        if body is None:
            message = f"the body is larger than the {limit:,} bytes this server accepts on {path}"
            await error_response(413, message)(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)


# The POST endpoints whose body is read here, under a limit, before any handler sees it.
LIMITED_POSTS = ("/api/analyze", "/api/ingest", "/api/stance")


def body_limit(settings: Settings, path: str) -> int:
    if path == "/api/ingest":
        return MAX_INGEST_ARTICLES * (settings.max_analyze_bytes + INGEST_OVERHEAD_BYTES)
    return settings.max_analyze_bytes


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit` bytes."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; the app sees an empty body and the answer goes nowhere
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def drop_cdn_docs(app: FastAPI) -> None:
    """Remove FastAPI's own docs page, which loads Swagger UI from a CDN; `docs_page` serves a local copy."""
    cdn = {app.docs_url, app.swagger_ui_oauth2_redirect_url} if app.docs_url else set()
    if cdn:
        app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in cdn]
        app.docs_url = None


def install(app: FastAPI) -> None:
    """Everything the API needs besides its router: error handlers, the body limit, the docs assets."""
    app.state.analyzer_lock = threading.Lock()
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(OperationalError, on_store_busy)
    app.add_exception_handler(Exception, on_internal_error)
    app.add_middleware(BodyLimit)
    drop_cdn_docs(app)
    assets = swagger_assets()
    if assets is not None:
        app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="api-docs-assets")
