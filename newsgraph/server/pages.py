"""The server-rendered pages: overview, articles, the analyse form, the statements explorer, actors, the
timeline and the map, as Jinja2 templates (`templates/`) over the store's query functions.

Everything taken from articles reaches the HTML through Jinja2's autoescape or through
`markup.render_document` / `mapview.render_map`, which escape; no template marks a stored value `|safe`.
The pages load only files under /static (no CDN, web font or tile server), so they work offline and
tell no third party what is read.

Pages are HTML, so their errors are too: an unknown article or actor is a 404 page, a malformed filter a
400 page with the message next to the form, never the API's JSON and never a traceback.
"""

from __future__ import annotations

import csv
import heapq
import io
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from itertools import groupby
from typing import Any, get_args
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams, UploadFile
from starlette.exceptions import HTTPException

from newsgraph.ingest.base import NotText, decode_text, parse_date, size_label
from newsgraph.records import LOW_CONFIDENCE, Article, Certainty, Claim, Document, Entity, StatementKind
from newsgraph.server.app import TEMPLATES, Settings, settings_of
from newsgraph.server.mapview import Marker, render_map
from newsgraph.server.markup import country_name, legend, render_document, split_sentences
from newsgraph.store import claim_views, planner, stories
from newsgraph.store.export import COLUMNS, csv_row, json_line
from newsgraph.store.network import Network, NetworkOptions, actor_network
from newsgraph.store.query import (
    ActorSummary,
    ArticleRef,
    EventHit,
    Filters,
    StatementHit,
    actor_view,
    article_actor_ids,
    article_relations,
    article_texts,
    as_row_id,
    count_actors,
    count_articles_matching,
    count_events,
    count_statements,
    events_at_place,
    find_actors,
    find_places,
    list_actors,
    list_articles,
    list_places,
    load_document,
    monthly_counts,
    parse_confidence,
    place_articles,
    search_events,
    search_statements,
    statement_export_rows,
    summary,
)
from newsgraph.store.rows import key_of_place
from newsgraph.workers import AnalyzerUnavailable, ArticleFailed

router = APIRouter(include_in_schema=False)

CERTAINTIES: tuple[str, ...] = get_args(Certainty)
PLAIN_CERTAINTIES = frozenset({"asserted", "attributed"})  # drawn plainly; the others stand out
KINDS: tuple[str, ...] = get_args(StatementKind)
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
               "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
TEXT_FILTERS = ("q", "speaker", "actor", "place", "since", "until", "min_confidence")
LIST_FILTERS = ("certainty", "kind", "event_type")
PER_PAGE = 50
EVENTS_PER_PAGE = 25
TIMELINE_PER_PAGE = 200
MAX_PAGE = 1000  # deeper than anyone pages by hand; keeps OFFSET bounded
TIMELINE_MAX_PAGE = 50  # the timeline reads every record up to its page: 10,000 of each kind at most
EXPORT_LIMIT = 10_000  # rows in one CSV/JSON download; narrow the filters for the rest
MAX_FIELD_CHARS = 200
MAX_STRIP_MONTHS = 600  # a month strip wider than this shows only the months that have records
NETWORK_NODES = 30  # actors in the network drawn on an actor page: more are unreadable at its size
# PLOVER's cooperative types (verbal and material cooperation), drawn apart from the conflictual ones.
COOPERATIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST"})


# --- templates -----------------------------------------------------------------------------------------

def excerpt(text: str | None, limit: int = 240) -> str:
    """`text` cut at a word boundary to about `limit` characters, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(",;:") + "…"


def path_segment(value: object) -> str:
    """A value as one URL path segment (an article key, a place name)."""
    return quote(str(value), safe="")


def query_value(value: object) -> str:
    return quote(str(value), safe="")


def place_url(key: str) -> str:
    """The map page of one place, by its gazetteer key (a name would be every place of that name)."""
    return f"/map?place={query_value(key)}#place"


def thousands(value: int | float | None) -> str:
    return "" if value is None else f"{value:,}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 place`, `2 places`, with the count written with thousands separators."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def network_names(network: Network) -> dict[int, str]:
    return {n.id: n.name for n in network.nodes}


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its file name: article text is untrusted
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the tests instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(excerpt=excerpt, path=path_segment, qv=query_value, country=country_name, n=thousands,
                       plural=plural, place_url=place_url, place_key=key_of_place)
    env.globals.update(CERTAINTIES=CERTAINTIES, PLAIN_CERTAINTIES=PLAIN_CERTAINTIES, KINDS=KINDS,
                       EVENT_TYPES=EVENT_TYPES, COOPERATIVE_TYPES=COOPERATIVE_TYPES, network_names=network_names,
                       LOW_CONFIDENCE=LOW_CONFIDENCE)
    return env


templates = Jinja2Templates(env=make_environment())


def render(request: Request, template: str, status: int = 200, /, **context: Any) -> HTMLResponse:
    response: HTMLResponse = templates.TemplateResponse(request, template, context, status_code=status)
    return response


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status, code=status, title=title, message=message)


def engine_of(request: Request) -> Engine:
    return settings_of(request).engine


# --- filters -------------------------------------------------------------------------------------------

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def filter_date(label: str, value: str, *, end: bool) -> str:
    """A YYYY-MM-DD, YYYY-MM or YYYY filter date as the day it starts (`since`) or ends (`until`) on.

    Days are compared as strings, so the end of a month can be written -31 whatever its length."""
    m = _PARTIAL_DATE.fullmatch(value)
    problem = f"{label}: {value!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY"
    if m is None:
        raise ValueError(problem)
    year, month, day = m.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(problem) from None
    if day:
        return value
    if month:
        return f"{year}-{month}-{'31' if end else '01'}"
    return f"{year}-{'12-31' if end else '01-01'}"


@dataclass(frozen=True)
class FilterForm:
    """The filter fields as typed (to fill the form again and to build links) and as `Filters`; when
    `errors` is not empty, `filters` is empty and the page shows the errors instead of results."""

    values: dict[str, str]
    selected: dict[str, list[str]]
    filters: Filters
    errors: list[str]
    invalid: frozenset[str] = frozenset()  # the fields the errors are about

    @property
    def active(self) -> bool:
        return any(self.values.values()) or any(self.selected.values())

    def query(self, **extra: str) -> str:
        """The filters (and `extra`) as a query string, without a leading '?'."""
        pairs = [(k, v) for k, v in self.values.items() if v]
        pairs += [(k, v) for k, values in self.selected.items() for v in values]
        pairs += [(k, v) for k, v in extra.items() if v]
        return urlencode(pairs)


def parse_filters(params: QueryParams) -> FilterForm:
    values = {name: params.get(name, "").strip()[:MAX_FIELD_CHARS] for name in TEXT_FILTERS}
    selected = {name: [v.strip() for v in params.getlist(name) if v.strip()] for name in LIST_FILTERS}
    selected["event_type"] = [v.upper() for v in selected["event_type"]]
    errors: dict[str, str] = {}
    since = until = None
    try:
        since = filter_date("since", values["since"], end=False) if values["since"] else None
    except ValueError as exc:
        errors["since"] = str(exc)
    try:
        until = filter_date("until", values["until"], end=True) if values["until"] else None
    except ValueError as exc:
        errors["until"] = str(exc)
    if since and until and since > until:
        errors["until"] = f"since ({values['since']}) is after until ({values['until']})"
    min_confidence = None
    if values["min_confidence"]:
        try:
            min_confidence = filter_confidence(values["min_confidence"])
        except ValueError as exc:
            errors["min_confidence"] = str(exc)
    for name, allowed in (("certainty", CERTAINTIES), ("kind", KINDS), ("event_type", EVENT_TYPES)):
        unknown = [v for v in selected[name] if v not in allowed]
        if unknown:
            errors[name] = (f"{name.replace('_', ' ')}: unknown {', '.join(map(repr, unknown))}; "
                            f"choose from {', '.join(allowed)}")
    if errors:
        return FilterForm(values, selected, Filters(), list(errors.values()), frozenset(errors))
    filters = Filters(query=values["q"] or None, speaker=values["speaker"] or None, actor=values["actor"] or None,
                      place=values["place"] or None, since=since, until=until,
                      certainty=tuple(selected["certainty"]), kind=tuple(selected["kind"]),
                      event_type=tuple(selected["event_type"]), min_confidence=min_confidence)
    return FilterForm(values, selected, filters, [])


def filter_confidence(value: str) -> float:
    try:
        return parse_confidence(value)
    except ValueError as exc:
        raise ValueError(f"confidence: {exc}") from None


# --- pagination ----------------------------------------------------------------------------------------

class BadParameter(Exception):
    """A query parameter a page cannot take; `on_bad_parameter` answers it with a 400 page that says why."""


def page_number(request: Request, param: str = "page", last: int = MAX_PAGE) -> int:
    refuse_api_paging(request, last)
    raw = request.query_params.get(param, "1").strip()
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= len(str(last)) else 0
    if not 1 <= number <= last:
        raise BadParameter(f"{param}: {raw!r} is not a page number; write a whole number from 1 to {last:,}")
    return number


API_OF_PAGE = {"/articles": "/api/articles", "/statements": "/api/search", "/actors": "/api/actors",
               "/timeline": "/api/search"}


def refuse_api_paging(request: Request, last: int) -> None:
    """The API's `limit` and `offset` would do nothing on a page (it shows a fixed number a page): say so
    instead of ignoring them."""
    for name in ("limit", "offset"):
        if name in request.query_params:
            endpoint = API_OF_PAGE.get(request.url.path, "/api/search")
            raise BadParameter(f"{name}: this page takes no {name}, it shows a fixed number of records a page; "
                               f"go through its pages with page=N (1 to {last:,}), or ask {endpoint}?{name}=N")


async def on_bad_parameter(request: Request, exc: Exception) -> Response:
    return error_page(request, 400, "Bad request", str(exc))


@dataclass(frozen=True)
class Pager:
    first: int  # 1-based position of the first item shown (0 when none)
    last: int
    total: int | None  # None when not counted
    prev_url: str | None
    next_url: str | None


def page_url(request: Request, param: str, page: int, anchor: str = "") -> str:
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != param]
    if page > 1:
        pairs.append((param, str(page)))
    return f"{request.url.path}?{urlencode(pairs)}{anchor}" if pairs else f"{request.url.path}{anchor}"


def make_pager(request: Request, page: int, per_page: int, shown: int, *, total: int | None = None,
               more: bool = False, param: str = "page", anchor: str = "", last: int = MAX_PAGE) -> Pager:
    first = (page - 1) * per_page + 1 if shown else 0
    has_next = more if total is None else page * per_page < total
    return Pager(first, first + shown - 1 if shown else 0, total,
                 page_url(request, param, page - 1, anchor) if page > 1 else None,
                 page_url(request, param, page + 1, anchor) if has_next and page < last else None)


# --- records with links to their sentences --------------------------------------------------------------

class SentenceIndex:
    """Where the sentences of some articles start, so that a record in a list links to the sentence it is
    in: `/articles/KEY?record=S3#s-1234` lands on that sentence, highlighted (static/markup.js)."""

    def __init__(self, engine: Engine, refs: Iterable[ArticleRef]) -> None:
        texts = article_texts(engine, sorted({r.id for r in refs}))
        self.starts = {article: [start for start, _ in split_sentences(text)] for article, text in texts.items()}

    def anchor(self, article: int, offset: int) -> str:
        starts = self.starts.get(article)
        if not starts:
            return ""
        return f"#s-{starts[max(bisect_right(starts, offset) - 1, 0)]}"

    def href(self, ref: ArticleRef, record: str, offset: int) -> str:
        return f"/articles/{path_segment(ref.key)}?record={query_value(record)}{self.anchor(ref.id, offset)}"


@dataclass(frozen=True)
class StatementItem:
    hit: StatementHit
    href: str


@dataclass(frozen=True)
class EventItem:
    hit: EventHit
    href: str


def linked(engine: Engine, statements: list[StatementHit], events: list[EventHit]
           ) -> tuple[list[StatementItem], list[EventItem]]:
    index = SentenceIndex(engine, [h.article for h in statements] + [h.article for h in events])
    return ([StatementItem(h, index.href(h.article, h.statement.id, h.statement.content.start)) for h in statements],
            [EventItem(h, index.href(h.article, h.event.id, h.event.trigger.start)) for h in events])


# --- overview and articles ------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    engine = engine_of(request)
    return render(request, "overview.html", summary=summary(engine), articles=list_articles(engine, 10),
                  actors=list_actors(engine, 16), places=list_places(engine, 10))


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request) -> HTMLResponse:
    q = request.query_params.get("q", "").strip()[:MAX_FIELD_CHARS]
    page = page_number(request)
    engine = engine_of(request)
    shown = list_articles(engine, PER_PAGE, (page - 1) * PER_PAGE, q or None)
    pager = make_pager(request, page, PER_PAGE, len(shown), total=count_articles_matching(engine, q or None))
    return render(request, "articles.html", q=q, articles=shown, pager=pager)


@dataclass(frozen=True)
class DocumentView:
    """An analysed article as the article page and the analyse page draw it."""

    doc: Document
    body: Markup
    actor_hrefs: dict[str, str]  # entity id (E1) -> link to its actor page, or to a search by its name
    entities: list[Entity]  # most mentioned first


def document_view(doc: Document, actor_ids: dict[str, int] | None) -> DocumentView:
    """With `actor_ids` (a stored article) entities link to their actor pages; without (a text analysed
    on the spot) to a search of the corpus actors by name."""
    if actor_ids is None:
        hrefs = {e.id: f"/actors?name={query_value(e.name)}" for e in document_entities(doc)}
    else:
        hrefs = {local: f"/actors/{actor}" for local, actor in actor_ids.items()}
    return DocumentView(doc, render_document(doc), hrefs, document_entities(doc))


def document_entities(doc: Document) -> list[Entity]:
    return sorted(doc.entities, key=lambda e: (-len(e.mentions), e.name))


@router.get("/articles/{key:path}", response_class=HTMLResponse)
def article_page(request: Request, key: str) -> HTMLResponse:
    engine = engine_of(request)
    relations = article_relations(engine, key)
    doc = load_document(engine, key) if relations else None
    if relations is None or doc is None:
        return error_page(request, 404, "Article not found", f"There is no article {key!r} in this store.")
    # Every version of a story keeps its own records, with offsets into its own text (a near-duplicate too).
    view = document_view(doc, article_actor_ids(engine, key))
    return render(request, "article.html", view=view, relations=relations, legend=legend())


# --- analyse -------------------------------------------------------------------------------------------

_ANALYZE_LOCK = threading.Lock()  # one spaCy pipeline, shared by the server's threads: one text at a time


def analyzer_lock(request: Request) -> Any:
    """The lock the JSON API takes around the analyzer (api.install sets it), so that a page and an API
    request never run the pipeline at once; a lock of our own when the API is not installed."""
    return getattr(request.app.state, "analyzer_lock", None) or _ANALYZE_LOCK


class AnalyzeError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class AnalyzeInput:
    text: str
    published: str | None
    title: str | None


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request) -> HTMLResponse:
    return render(request, "analyze.html", text="", published="", error=None, view=None, legend=legend(),
                  max_bytes=size_label(settings_of(request).max_analyze_bytes))


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_submit(request: Request) -> HTMLResponse:
    settings = settings_of(request)
    typed_text, typed_date = "", ""
    try:
        form = await read_form(request, settings.max_analyze_bytes)
        typed_text, typed_date = str(form.get("text") or ""), str(form.get("published") or "").strip()
        given = await analyze_input(form, settings.max_analyze_bytes)
        doc = await run_in_threadpool(analyse, settings, given, analyzer_lock(request))
    except AnalyzeError as exc:
        return render(request, "analyze.html", exc.status, text=typed_text, published=typed_date, error=str(exc),
                      view=None, legend=legend(), max_bytes=size_label(settings.max_analyze_bytes))
    return render(request, "analyze.html", text=given.text, published=typed_date, error=None,
                  view=document_view(doc, None), legend=legend(), max_bytes=size_label(settings.max_analyze_bytes))


def body_limit(max_bytes: int) -> int:
    """The most a form posting a text of `max_bytes` may take: room for CRLFs, the form's own lines and
    percent-encoding; the limit itself is checked on the text."""
    return 4 * max_bytes + 64 * 1024


async def read_form(request: Request, max_bytes: int) -> FormData:
    bounded = await bounded_request(request, body_limit(max_bytes), max_bytes)
    try:
        return await bounded.form(max_files=1, max_fields=10, max_part_size=body_limit(max_bytes))
    except HTTPException as exc:  # starlette's multipart errors, which would otherwise be JSON
        raise AnalyzeError(400, f"the form could not be read: {exc.detail}") from None


async def bounded_request(request: Request, limit: int, max_bytes: int) -> Request:
    """The request with its body read up to `limit` bytes and refused past it: the form parser would
    spool an upload of any size to disk. (The API's body limit covers /api only.)"""
    too_large = AnalyzeError(413, f"the text is larger than the limit of {size_label(max_bytes)}")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    body = b"".join(chunks)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


async def analyze_input(form: FormData, max_bytes: int) -> AnalyzeInput:
    published = str(form.get("published") or "").strip()
    if published:
        try:
            published = parse_date(published)
        except ValueError as exc:
            raise AnalyzeError(400, f"publication date: {exc}") from None
    upload = form.get("file")
    title = None
    if isinstance(upload, UploadFile) and upload.filename:
        text = await uploaded_text(upload, max_bytes)
        title = upload.filename
    else:
        text = str(form.get("text") or "")
        if len(text.encode("utf-8")) > max_bytes:
            raise AnalyzeError(413, f"the text is {size_label(len(text.encode('utf-8')))}, more than the limit "
                               f"of {size_label(max_bytes)}")
    text = text.replace("\r\n", "\n")  # browsers send a textarea's lines with CRLF
    if not text.strip():
        raise AnalyzeError(400, "there is no text to analyse: paste an article or choose a file")
    return AnalyzeInput(text, published or None, title)


async def uploaded_text(upload: UploadFile, max_bytes: int) -> str:
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AnalyzeError(413, f"{upload.filename} is larger than the limit of {size_label(max_bytes)}")
    try:
        return decode_text(data)  # UTF-8, or UTF-16/32 by its byte-order mark, judged as the CLI judges it
    except NotText as exc:
        raise AnalyzeError(400, f"{upload.filename}: {exc}") from None


def analyse(settings: Settings, given: AnalyzeInput, lock: Any) -> Document:
    """Analyse without storing, in the server's analysis process under its time budget: the result is only drawn
    on the page."""
    with lock:
        try:
            doc: Document = settings.get_analyzer().analyze(given.text, Article(id="analyzed", title=given.title,
                                                                                published=given.published))
        except ArticleFailed as exc:
            raise AnalyzeError(422, str(exc)) from None
        except AnalyzerUnavailable as exc:
            raise AnalyzeError(503, str(exc)) from None
    return doc


# --- statements explorer and its downloads ---------------------------------------------------------------

@router.get("/statements", response_class=HTMLResponse)
def statements_page(request: Request) -> HTMLResponse:
    form = parse_filters(request.query_params)
    if form.errors:
        return render(request, "statements.html", 400, form=form, statements=[], events=[], pager=None,
                      event_pager=None)
    engine = engine_of(request)
    page, event_page = page_number(request), page_number(request, "epage")
    said, n_said = planner.statement_page(engine, form.filters, PER_PAGE, (page - 1) * PER_PAGE)
    done, n_done = planner.event_page(engine, form.filters, EVENTS_PER_PAGE, (event_page - 1) * EVENTS_PER_PAGE)
    statements, events = linked(engine, said, done)
    pager = make_pager(request, page, PER_PAGE, len(statements), total=n_said)
    event_pager = make_pager(request, event_page, EVENTS_PER_PAGE, len(events), total=n_done, param="epage",
                             anchor="#events")
    return render(request, "statements.html", form=form, statements=statements, events=events, pager=pager,
                  event_pager=event_pager)


def export_names() -> list[str]:
    return [c.name for c in COLUMNS["statements"]]


def csv_chunks(rows: Iterator[dict[str, Any]], batch: int = 500) -> Iterator[str]:
    names = export_names()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="raise")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow(csv_row(row, names))  # cells a spreadsheet cannot take for formulas
        if n % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    names = export_names()
    yield "["
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json_line(row, names)
    yield "\n]\n"


def download(request: Request, fmt: str) -> Response:
    form = parse_filters(request.query_params)
    if form.errors:
        return Response("\n".join(form.errors) + "\n", 400, media_type="text/plain; charset=utf-8")
    engine = engine_of(request)
    total = count_statements(engine, form.filters)
    rows = statement_export_rows(engine, form.filters, EXPORT_LIMIT)
    chunks = csv_chunks(rows) if fmt == "csv" else json_chunks(rows)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    headers = {"Content-Disposition": f'attachment; filename="statements.{fmt}"',
               "X-Total-Count": str(total), "X-Row-Limit": str(EXPORT_LIMIT)}
    return StreamingResponse(chunks, media_type=media, headers=headers)


@router.get("/statements.csv")
def statements_csv(request: Request) -> Response:
    """The statements matching the filters (up to EXPORT_LIMIT), with the columns of `newsgraph export`."""
    return download(request, "csv")


@router.get("/statements.json")
def statements_json(request: Request) -> Response:
    """The same rows as /statements.csv, as a JSON array of objects."""
    return download(request, "json")


# --- actors --------------------------------------------------------------------------------------------

@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request) -> HTMLResponse:
    name = request.query_params.get("name", "").strip()[:MAX_FIELD_CHARS]
    page = page_number(request)
    engine = engine_of(request)
    shown = list_actors(engine, PER_PAGE, (page - 1) * PER_PAGE, name or None)
    pager = make_pager(request, page, PER_PAGE, len(shown), total=count_actors(engine, name or None))
    return render(request, "actors.html", name=name, actors=shown, pager=pager)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str) -> HTMLResponse:
    engine = engine_of(request)
    row_id = as_row_id(actor_id)
    view = actor_view(engine, row_id) if row_id is not None else None
    if view is None:
        return error_page(request, 404, "Actor not found", f"There is no actor {actor_id!r} in this store.")
    said, did = linked(engine, view.said, view.did)
    _, undergone = linked(engine, [], view.undergone)
    network = actor_network(engine, NetworkOptions(actor=view.id, max_nodes=NETWORK_NODES))
    disputes = claim_views.contradictions_of_actor(engine, view.id)
    return render(request, "actor.html", actor=view, said=said, did=did, undergone=undergone, network=network,
                  contradicts=disputes["contradicts"], contradicted_by=disputes["contradicted_by"])


# --- the network of the corpus ------------------------------------------------------------------------------

RELATIONS = (("talks_to", "talks to"), ("talks_about", "talks about"), ("event", "events"))
CORPUS_NETWORK_NODES = (50, 10, 150)  # default, fewest, most actors on the /network page


@dataclass(frozen=True)
class NetworkForm:
    """The /network page's fields as typed, and the options they make (None when `errors` says why not)."""

    values: dict[str, str]
    relations: list[str]
    options: NetworkOptions | None
    errors: list[str]
    invalid: frozenset[str] = frozenset()


def parse_network_form(params: QueryParams) -> NetworkForm:
    values = {name: params.get(name, "").strip()[:MAX_FIELD_CHARS] for name in ("actor", "depth", "since", "until",
                                                                               "min_weight", "nodes")}
    relations = [r for r in params.getlist("relation") if r.strip()]
    errors: dict[str, str] = {}
    days: dict[str, str | None] = {"since": None, "until": None}
    for name in days:
        try:
            days[name] = filter_date(name, values[name], end=name == "until") if values[name] else None
        except ValueError as exc:
            errors[name] = str(exc)
    if days["since"] and days["until"] and days["since"] > days["until"]:
        errors["until"] = f"since ({values['since']}) is after until ({values['until']})"
    default, fewest, most = CORPUS_NETWORK_NODES
    numbers = {"min_weight": (1, 1, 10**6), "nodes": (default, fewest, most), "depth": (1, 1, 2)}
    chosen: dict[str, int] = {}
    for name, (fallback, low, high) in numbers.items():
        raw = values[name] or str(fallback)
        number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 7 else 0
        if not low <= number <= high:
            label = name.replace("_", " ")
            errors[name] = f"{label}: {raw!r} is not a whole number from {low:,} to {high:,}"
        chosen[name] = number
    known = [r for r, _ in RELATIONS]
    unknown = [r for r in relations if r not in known]
    if unknown:
        errors["relation"] = f"relation: unknown {', '.join(map(repr, unknown))}; choose from {', '.join(known)}"
    if errors:
        return NetworkForm(values, relations, None, list(errors.values()), frozenset(errors))
    options = NetworkOptions(min_weight=chosen["min_weight"], edge_types=tuple(relations), since=days["since"],
                             until=days["until"], max_nodes=chosen["nodes"], depth=chosen["depth"])
    return NetworkForm(values, relations, options, [])


def with_ego(engine: Engine, form: NetworkForm) -> tuple[NetworkForm, ActorSummary | None]:
    """The form with the options of the ego network of the actor it names (as `newsgraph actor` finds one), or
    with an error when no actor has that name."""
    name = form.values["actor"]
    if not name or form.options is None:
        return form, None
    found = find_actors(engine, name, limit=1)
    if not found:
        return replace(form, options=None, errors=[f"actor: no actor named like {name!r}"],
                       invalid=frozenset({"actor"})), None
    actor_id, actor_name, actor_type, article_count = found[0]
    ego = ActorSummary(actor_id, actor_name, actor_type, article_count, [])
    return replace(form, options=replace(form.options, actor=actor_id)), ego


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    engine = engine_of(request)
    form, ego = with_ego(engine, parse_network_form(request.query_params))
    context = {"relations": RELATIONS, "default_nodes": CORPUS_NETWORK_NODES[0], "ego": ego}
    if form.options is None:
        return render(request, "network.html", 400, form=form, network=None, **context)
    return render(request, "network.html", form=form, network=actor_network(engine, form.options), **context)


# --- timeline ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEntry:
    day: str
    kind: str  # "statement" or "event"
    item: StatementItem | EventItem
    certainty: str


def timeline_entries(engine: Engine, f: Filters, page: int) -> tuple[list[TimelineEntry], bool]:
    """One page of the dated statements and events, merged oldest first, and whether there is more.

    Both kinds are read up to the end of the page and merged here: simple, and bounded by MAX_PAGE."""
    end = page * TIMELINE_PER_PAGE
    statements, events = linked(engine, search_statements(engine, f, end + 1, 0, oldest_first=True),
                                search_events(engine, f, end + 1, 0, oldest_first=True))
    said = (TimelineEntry(s.hit.day or "", "statement", s, s.hit.statement.certainty) for s in statements)
    done = (TimelineEntry(e.hit.day or "", "event", e, e.hit.event.certainty) for e in events)
    merged = list(heapq.merge(said, done, key=lambda entry: entry.day))
    return merged[end - TIMELINE_PER_PAGE:end], len(merged) > end


@dataclass(frozen=True)
class MonthBar:
    month: str
    statements: int
    events: int
    height: int  # percent of the busiest month
    href: str


def month_strip(form: FilterForm, counts: list[tuple[str, int, int]]) -> list[MonthBar]:
    """A bar per month from the first to the last with records (empty months too, so that the strip is a
    time axis), each linking to the timeline of that month."""
    if not counts:
        return []
    present = {m: (s, e) for m, s, e in counts}
    months = all_months(counts[0][0], counts[-1][0])
    if len(months) > MAX_STRIP_MONTHS:
        months = [m for m, _, _ in counts]
    top = max(s + e for _, s, e in counts) or 1
    bars = []
    for month in months:
        s, e = present.get(month, (0, 0))
        values = {**form.values, "since": month, "until": month}
        query = FilterForm(values, form.selected, form.filters, []).query()
        bars.append(MonthBar(month, s, e, round(100 * (s + e) / top), f"/timeline?{query}"))
    return bars


def all_months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request) -> HTMLResponse:
    form = parse_filters(request.query_params)
    if form.errors:
        return render(request, "timeline.html", 400, form=form, days=[], strip=[], pager=None, undated=0)
    engine = engine_of(request)
    # `day >= '0000'` is false for NULL: only dated records can be placed on a timeline.
    dated = replace(form.filters, since=form.filters.since or "0000")
    page = page_number(request, last=TIMELINE_MAX_PAGE)
    entries, more = timeline_entries(engine, dated, page)
    days = [(day, list(group)) for day, group in groupby(entries, key=lambda entry: entry.day)]
    undated = (count_statements(engine, form.filters) + count_events(engine, form.filters)
               - count_statements(engine, dated) - count_events(engine, dated))
    pager = make_pager(request, page, TIMELINE_PER_PAGE, len(entries), more=more, last=TIMELINE_MAX_PAGE)
    return render(request, "timeline.html", form=form, days=days, pager=pager, undated=undated,
                  strip=month_strip(form, monthly_counts(engine, dated)))


# --- map -----------------------------------------------------------------------------------------------

@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    """The places on the map; with `?place=KEY` one place's events and articles; with `?place=NAME` that place,
    or the list of the places of that name when there are several (Paris, France and Paris, Texas)."""
    engine = engine_of(request)
    places = list_places(engine, 500)
    markers: list[Marker] = [(p.label, p.lat, p.lon, p.mentions, place_url(p.key)) for p in places]
    chosen = request.query_params.get("place", "").strip()[:MAX_FIELD_CHARS]
    context: dict[str, Any] = {"places": places, "chosen": chosen, "basemap": render_map(markers),
                               "events": [], "articles": [], "place": None, "homonyms": []}
    if not chosen:
        return render(request, "map.html", **context)
    found = find_places(engine, chosen)  # a key, or a name in any letter case
    if not found:
        return render(request, "map.html", 404, **context)
    if len(found) > 1:
        return render(request, "map.html", **(context | {"homonyms": found}))
    place = context["place"] = found[0]
    context["articles"] = place_articles(engine, place.key)
    context["events"] = linked(engine, [], events_at_place(engine, place.key, 100))[1]
    return render(request, "map.html", **context)


@router.get("/places/{ref:path}")
def place_page(ref: str) -> RedirectResponse:
    """A place by key or name, as the map page shows it."""
    return RedirectResponse(f"/map?place={query_value(ref)}#place", status_code=302)


# --- claims across sources, contradictions, stories --------------------------------------------------------

CLAIMS_PER_PAGE = 50
# Certainties of a statement that speaks against its claim (records.Statement.certainty).
AGAINST = {"denied", "disputed"}


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request) -> HTMLResponse:
    engine = engine_of(request)
    page = page_number(request)
    total = claim_views.count_claims(engine)
    found = claim_views.list_claims(engine, limit=CLAIMS_PER_PAGE, offset=(page - 1) * CLAIMS_PER_PAGE)
    pager = make_pager(request, page, CLAIMS_PER_PAGE, len(found), total=total)
    return render(request, "claims.html", claims=found, pager=pager)


def claim_spread(claim: Claim) -> list[tuple[str, list[tuple[str, int]]]]:
    """How the claim spread: per day, the outlets (articles counted) that carried it, first day first."""
    days: dict[str, dict[str, int]] = {}
    for member in claim.statements:
        outlets = days.setdefault(member.day or member.published or "undated", {})
        name = member.outlet or member.article
        outlets[name] = outlets.get(name, 0) + 1
    return [(day, sorted(outlets.items())) for day, outlets in sorted(days.items())]


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str) -> HTMLResponse:
    engine = engine_of(request)
    row_id = as_row_id(claim_id)
    claim = claim_views.claim_detail(engine, row_id) if row_id is not None else None
    if claim is None:
        return error_page(request, 404, "Claim not found", f"There is no claim {claim_id!r} in this store.")
    backing = [m for m in claim.statements if m.certainty not in AGAINST]
    against = [m for m in claim.statements if m.certainty in AGAINST]
    return render(request, "claim.html", claim=claim, backing=backing, against=against, spread=claim_spread(claim),
                  contradictions=claim_views.list_contradictions(engine, claim_id=claim.id))


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request) -> HTMLResponse:
    page = page_number(request)
    found = stories.list_stories(engine_of(request), limit=10**9)
    shown = found[(page - 1) * CLAIMS_PER_PAGE:page * CLAIMS_PER_PAGE]
    pager = make_pager(request, page, CLAIMS_PER_PAGE, len(shown), total=len(found))
    return render(request, "stories.html", stories=shown, pager=pager)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    row_id = as_row_id(story_id)
    story = stories.story_detail(engine_of(request), row_id) if row_id is not None else None
    if story is None:
        return error_page(request, 404, "Story not found", f"There is no story {story_id!r} in this store.")
    return render(request, "story.html", story=story)
