"""The JSON API (newsgraph/server/api.py) over the sample store, through FastAPI's TestClient (no network)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsgraph.records import Document, Event, Statement
from newsgraph.server import api
from newsgraph.server.app import create_app, create_app_from_environment
from newsgraph.store.connect import open_engine
from newsgraph.store.query import Filters, count_events, count_statements
from newsgraph.workers import Budget
from tests.test_store import PARIS_FRANCE, PARIS_TENNESSEE, PARIS_TEXAS, near, store_paris_articles
from tests.test_workers import NESTED_QUOTE, SLOW_TEXT

TOKEN = "test-token-7f3a"
EXAMPLE_TEXT = (Path(__file__).resolve().parent.parent / "examples" / "ukraine-2022-04-26.txt").read_text()
SHORT_TEXT = ("Russian President Vladimir Putin told UN Secretary-General Antonio Guterres on Tuesday that he "
              "still hoped for a negotiated end to the war, the Kremlin said.")


@pytest.fixture(scope="module")
def client(sample_store_url: str, analyzer: Any) -> Iterator[TestClient]:
    app = create_app(sample_store_url, analyzer=analyzer, max_analyze_bytes=20_000)
    with TestClient(app) as test_client:
        yield test_client
    app.state.settings.engine.dispose()


@pytest.fixture(scope="module")
def sample_engine(sample_store_url: str) -> Iterator[Any]:
    engine = open_engine(sample_store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory, analyzer: Any) -> Iterator[TestClient]:
    """An app with a write token over an empty store of its own (the shared sample stays as it is)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('api-write') / 'store.db'}"
    app = create_app(url, analyzer=analyzer, write_token=TOKEN, max_analyze_bytes=20_000)
    with TestClient(app) as test_client:
        yield test_client
    app.state.settings.engine.dispose()


def get(client: TestClient, url: str, status: int = 200, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == status, response.text
    return response.json()


def escaped_json(body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A JSON body with non-ASCII characters escaped, as a client sends a lone surrogate ("\\ud800"): httpx's
    `json=` sends UTF-8, which cannot encode one."""
    return {"content": json.dumps(body).encode("ascii"),
            "headers": {"content-type": "application/json", **(headers or {})}}


def assert_error(response: Any, status: int, *words: str) -> str:
    """An /api error: the status, and a JSON body {"error": sentence, "status": N} saying the given words."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "status"} and body["status"] == status
    for word in words:
        assert word in body["error"], body
    return str(body["error"])


# --- corpus, articles ----------------------------------------------------------------------------------------

def test_summary_counts_the_store(client: TestClient, sample_engine: Any) -> None:
    summary = get(client, "/api/summary")
    assert summary["articles"] >= 1 and summary["statements"] > 0 and summary["events"] > 0
    assert summary["statements"] == count_statements(sample_engine, Filters())


def test_articles_page_through_without_overlap(client: TestClient) -> None:
    total = get(client, "/api/summary")["articles"]
    first = get(client, "/api/articles", limit=2)
    second = get(client, "/api/articles", limit=2, offset=2)
    assert first["total"] == total and (first["limit"], first["offset"]) == (2, 0)
    assert len(first["items"]) == min(2, total)
    keys = [i["article"]["key"] for i in first["items"] + second["items"]]
    assert len(keys) == len(set(keys))
    both = get(client, "/api/articles", limit=4)
    assert [i["article"]["key"] for i in both["items"]] == keys


def test_articles_full_text(client: TestClient) -> None:
    found = get(client, "/api/articles", q="Guterres")
    assert "ukraine-2022-04-26" in [i["article"]["key"] for i in found["items"]]
    assert found["total"] == len(found["items"]) <= get(client, "/api/summary")["articles"]
    assert get(client, "/api/articles", q="zzxqvnonexistentword")["total"] == 0


def test_article_by_key_and_by_row_id_is_the_stored_document(client: TestClient) -> None:
    by_key = get(client, "/api/articles/ukraine-2022-04-26")
    document = Document.model_validate(by_key["document"])
    assert document.article.id == "ukraine-2022-04-26" and document.article.published == "2022-04-26"
    assert document.statements and document.events and document.text.startswith("Russian")
    assert by_key["key"] == "ukraine-2022-04-26" and by_key["duplicate_of"] is None and by_key["duplicates"] == []
    assert get(client, f"/api/articles/{by_key['id']}") == by_key


def test_unknown_article_is_a_json_404(client: TestClient) -> None:
    assert_error(client.get("/api/articles/no-such-article"), 404, "no article 'no-such-article'")
    assert_error(client.get("/api/articles/987654"), 404, "no article")


# --- statements --------------------------------------------------------------------------------------------

def test_statements_page_has_provenance(client: TestClient) -> None:
    page = get(client, "/api/statements", limit=5)
    assert page["total"] == get(client, "/api/summary")["statements"] and len(page["items"]) == 5
    item = page["items"][0]
    Statement.model_validate(item["statement"])
    assert set(item["article"]) == {"id", "key", "title", "published", "url", "publisher"}
    assert isinstance(item["id"], int) and "speaker_actor" in item


def test_statements_pagination_is_consistent(client: TestClient) -> None:
    ids = [i["id"] for i in get(client, "/api/statements", limit=10)["items"]]
    pages = [i["id"] for offset in (0, 4, 8) for i in get(client, "/api/statements", limit=4, offset=offset)["items"]]
    assert pages[:10] == ids


def test_statements_by_speaker(client: TestClient, sample_engine: Any) -> None:
    page = get(client, "/api/statements", speaker="Putin")
    putin = get(client, "/api/actors", name="Putin")["items"][0]["id"]
    assert page["items"] and page["total"] == count_statements(sample_engine, Filters(speaker="Putin"))
    for item in page["items"]:
        speaker = item["statement"]["speaker"]
        assert item["speaker_actor"] == putin or "putin" in speaker["name"].lower()


def test_statements_since_until(client: TestClient, sample_engine: Any) -> None:
    everything = get(client, "/api/statements")["total"]
    page = get(client, "/api/statements", since="2022-04-26", until="2022-04-30", limit=500)
    assert 0 < page["total"] < everything
    assert all("2022-04-26" <= i["day"] <= "2022-04-30" for i in page["items"])
    assert page["total"] == count_statements(sample_engine, Filters(since="2022-04-26", until="2022-04-30"))


def test_statements_repeatable_certainty_and_kind(client: TestClient, sample_engine: Any) -> None:
    page = get(client, "/api/statements", certainty=["hedged", "denied", "claimed"], limit=500)
    assert page["items"] and {i["statement"]["certainty"] for i in page["items"]} <= {"hedged", "denied", "claimed"}
    assert page["total"] == count_statements(sample_engine, Filters(certainty=("hedged", "denied", "claimed")))
    direct = get(client, "/api/statements", kind="direct", limit=500)
    assert direct["items"] and {i["statement"]["kind"] for i in direct["items"]} == {"direct"}


def test_statements_by_event_type_any_case(client: TestClient, sample_engine: Any) -> None:
    expected = count_statements(sample_engine, Filters(event_type=("ASSAULT",)))
    assert expected > 0
    assert get(client, "/api/statements", event_type="assault")["total"] == expected
    assert get(client, "/api/statements", event_type=["ASSAULT", "AID"])["total"] >= expected


def test_statement_by_id(client: TestClient) -> None:
    item = get(client, "/api/statements", limit=1)["items"][0]
    assert get(client, f"/api/statements/{item['id']}") == item
    assert_error(client.get("/api/statements/99999999"), 404, "no statement 99999999")
    assert_error(client.get("/api/statements/abc"), 422, "statement_id")


# --- events, search ----------------------------------------------------------------------------------------

def test_events_filters_and_single_event(client: TestClient, sample_engine: Any) -> None:
    page = get(client, "/api/events", event_type="ASSAULT", limit=500)
    assert page["items"] and {i["event"]["type"] for i in page["items"]} == {"ASSAULT"}
    assert page["total"] == count_events(sample_engine, Filters(event_type=("ASSAULT",)))
    Event.model_validate(page["items"][0]["event"])
    one = page["items"][0]
    assert get(client, f"/api/events/{one['id']}") == one
    since = get(client, "/api/events", since="2022-04-01", limit=500)
    assert since["items"] and all(i["day"] >= "2022-04-01" for i in since["items"])
    assert get(client, "/api/events", kind="direct")["total"] == 0  # a statement kind excludes every event
    assert_error(client.get("/api/events/99999999"), 404, "no event 99999999")


def test_search_gives_both_kinds(client: TestClient) -> None:
    found = get(client, "/api/search", q="war", limit=3)
    assert set(found) == {"statements", "events"}
    assert found["statements"]["total"] == get(client, "/api/statements", q="war")["total"]
    assert found["events"]["total"] == get(client, "/api/events", q="war")["total"]
    assert len(found["statements"]["items"]) <= 3


@pytest.mark.parametrize("path", ["/api/statements", "/api/events", "/api/search"])
def test_pages_sent_as_stored_json_are_what_their_models_give(client: TestClient, path: str) -> None:
    """The search pages are put together from the stored JSON as text; they must be exactly the documented
    models, serialised (unicode, nulls, nested records and all)."""
    model = {"/api/statements": api.Page[api.StatementItem], "/api/events": api.Page[api.EventItem],
             "/api/search": api.SearchOut}[path]
    for params in ({"limit": 500}, {"q": "war", "limit": 40, "offset": 3}, {"speaker": "Putin"}):
        response = client.get(path, params=params)
        assert response.status_code == 200 and response.headers["content-type"] == "application/json"
        body = response.json()
        assert body == model.model_validate_json(response.text).model_dump(mode="json")
    assert body.get("items") != [] and body.get("statements", {}).get("items") != []


# --- actors, places ----------------------------------------------------------------------------------------

def test_actors_list_and_view(client: TestClient) -> None:
    everyone = get(client, "/api/actors", limit=3)
    assert everyone["total"] > 3 and len(everyone["items"]) == 3
    putin = get(client, "/api/actors", name="putin")["items"][0]
    assert putin["name"] == "Vladimir Putin" and putin["article_count"] >= 1
    view = get(client, f"/api/actors/{putin['id']}")
    assert view["name"] == "Vladimir Putin" and view["said"] and view["articles"] and view["links"]
    assert all(s["speaker_actor"] == putin["id"] for s in view["said"])
    assert {"article", "entity", "name", "rule", "evidence", "confidence"} == set(view["links"][0])
    assert view["links"][0]["entity"].startswith("E") and 0 < view["links"][0]["confidence"] <= 1
    for key in ("names", "titles", "addressed", "did", "undergone", "talked_about_by"):
        assert isinstance(view[key], list)
    assert_error(client.get("/api/actors/99999999"), 404, "no actor 99999999")


def test_places_list_and_one_place(client: TestClient) -> None:
    places = get(client, "/api/places", limit=500)
    assert places["total"] == len(places["items"]) > 0
    ukraine = next(p for p in places["items"] if p["name"] == "Ukraine")
    assert ukraine["country"] == "UA" and ukraine["lat"] and ukraine["mentions"] >= 1
    assert get(client, "/api/places", name="ukr")["items"][0]["name"] == "Ukraine"
    detail = get(client, "/api/places/ukraine")
    assert detail["place"] == ukraine
    assert detail["events"]["total"] == ukraine["events"] == len(detail["events"]["items"])
    assert all(e["event"]["location"]["name"] == "Ukraine" for e in detail["events"]["items"])
    assert "ukraine-2022-04-26" in [a["key"] for a in detail["articles"]]
    assert_error(client.get("/api/places/Atlantis"), 404, "no place 'Atlantis'")
    assert get(client, f"/api/places/{ukraine['key']}")["place"] == ukraine


def test_network_of_the_corpus_and_of_one_actor(client: TestClient) -> None:
    from newsgraph.store.network import EDGE_TYPES

    whole = get(client, "/api/network", max_nodes=40)
    assert set(whole) == {"actor", "nodes", "edges"} and whole["actor"] is None
    ids = [n["id"] for n in whole["nodes"]]
    assert 1 < len(ids) <= 40 and len(set(ids)) == len(ids)
    assert whole["edges"] and all(e["source"] in ids and e["target"] in ids and e["source"] != e["target"]
                                  for e in whole["edges"])
    assert {e["type"] for e in whole["edges"]} <= set(EDGE_TYPES)
    weights = [e["weight"] for e in whole["edges"]]
    assert weights == sorted(weights, reverse=True) and weights[-1] >= 1
    putin = get(client, "/api/actors", name="Vladimir Putin")["items"][0]["id"]
    ego = get(client, "/api/network", actor=putin)
    assert ego["actor"] == putin and ego["nodes"][0]["id"] == putin and ego["nodes"][0]["name"] == "Vladimir Putin"
    own = [e for e in ego["edges"] if putin in (e["source"], e["target"])]
    assert own and len(ego["nodes"]) > 1
    # An edge's example statements are the speaker's, with the target as addressee or inside the content.
    spoken = next(e for e in ego["edges"] if e["type"] in ("talks_to", "talks_about"))
    for statement_id in spoken["statements"]:
        assert get(client, f"/api/statements/{statement_id}")["speaker_actor"] == spoken["source"]
    acted = [e for e in ego["edges"] if e["events"]]
    for edge in acted:
        assert get(client, f"/api/events/{edge['events'][0]}")["event"]["type"] == edge["type"]
    only_talk = get(client, "/api/network", actor=putin, edge_type=["TALKS_TO", "talks_about"])
    assert {e["type"] for e in only_talk["edges"]} <= {"talks_to", "talks_about"}
    assert get(client, "/api/network", actor=putin, since="2030-01-01")["edges"] == []


@pytest.mark.parametrize(("params", "words"), [
    ({"edge_type": "hugs"}, ("'edge_type'", "talks_to")),
    ({"max_nodes": "501"}, ("'max_nodes'", "500")),
    ({"min_weight": "0"}, ("'min_weight'",)),
    ({"depth": "3"}, ("'depth'",)),
    ({"actor": "putin"}, ("'actor'", "integer")),
    ({"since": "2022-05-01", "until": "2022-04-01"}, ("since", "after until")),
])
def test_network_parameters_that_cannot_be_met_are_named(client: TestClient, params: dict[str, str],
                                                         words: tuple[str, ...]) -> None:
    assert_error(client.get("/api/network", params=params), 422, *words)


def test_network_of_an_unknown_actor_is_a_404(client: TestClient) -> None:
    assert_error(client.get("/api/network", params={"actor": 99_999_999}), 404, "no actor 99999999")


@pytest.fixture
def paris_client(store_url: str, analyzer: Any, analyze: Any) -> Iterator[TestClient]:
    """An app over a store (SQLite, then PostgreSQL) naming Paris, France, Paris, Texas and Paris, Tennessee."""
    engine = open_engine(store_url)
    store_paris_articles(engine, analyze)
    engine.dispose()
    app = create_app(store_url, analyzer=analyzer)
    with TestClient(app) as test_client:
        yield test_client
    app.state.settings.engine.dispose()


def test_homonyms_are_places_apart_at_their_own_points(paris_client: TestClient) -> None:
    parises = get(paris_client, "/api/places", name="Paris")
    assert parises["total"] == 3
    texas, france, tennessee = parises["items"]
    assert (texas["key"], texas["label"], texas["admin1"], texas["geonames_id"], texas["mentions"],
            texas["articles"], texas["events"]) == (PARIS_TEXAS, "Paris, Texas, US (city)", "Texas", 4717560, 2, 2, 1)
    assert (france["key"], france["label"], france["geonames_id"], france["mentions"]) == \
        (PARIS_FRANCE, "Paris, Ile-de-France, FR (city)", 2988507, 1)
    # Two US cities of one name, told apart by their state.
    assert (tennessee["key"], tennessee["label"], tennessee["admin1"], tennessee["geonames_id"]) == \
        (PARIS_TENNESSEE, "Paris, Tennessee, US (city)", "Tennessee", 4647963)
    # Each at its own point: none halfway across the Atlantic.
    assert near((texas["lat"], texas["lon"]), 33.66094, -95.55551)
    assert near((france["lat"], france["lon"]), 48.85341, 2.3488)
    assert near((tennessee["lat"], tennessee["lon"]), 36.302, -88.32671)
    every = get(paris_client, "/api/places", limit=500)
    assert len({p["key"] for p in every["items"]}) == every["total"] == len(every["items"])
    assert [p["key"] for p in every["items"] if p["name"] == "Paris"] == [PARIS_TEXAS, PARIS_FRANCE, PARIS_TENNESSEE]
    assert next(p for p in every["items"] if p["name"] == "Texas")["admin1"] is None


def test_a_place_by_key_is_one_place_and_a_shared_name_lists_them(paris_client: TestClient) -> None:
    detail = get(paris_client, f"/api/places/{PARIS_TEXAS}")
    assert (detail["place"]["label"], detail["place"]["admin1"]) == ("Paris, Texas, US (city)", "Texas")
    assert [e["event"]["type"] for e in detail["events"]["items"]] == ["COERCE"] and detail["events"]["total"] == 1
    assert sorted(a["key"] for a in detail["articles"]) == ["lamar", "texas"]
    choices = paris_client.get("/api/places/paris")  # a name that three places have
    assert choices.status_code == 300 and "location" not in choices.headers
    assert choices.json()["name"] == "paris"
    assert [p["label"] for p in choices.json()["places"]] == [
        "Paris, Texas, US (city)", "Paris, Ile-de-France, FR (city)", "Paris, Tennessee, US (city)"]
    assert get(paris_client, "/api/places/Texas")["place"]["key"] == "geonames:4736286"  # a name one place has
    assert_error(paris_client.get("/api/places/geonames:1"), 404, "no place 'geonames:1'")
    # The searches' place filter: a key for one place, a name for every place of it.
    events = get(paris_client, "/api/events", place=PARIS_FRANCE)["items"]
    assert [e["event"]["type"] for e in events] == ["PROTEST"]
    assert sorted(e["event"]["type"] for e in get(paris_client, "/api/events", place="Paris")["items"]) == \
        ["COERCE", "PROTEST"]
    assert [s["article"]["key"] for s in get(paris_client, "/api/statements", place=PARIS_TEXAS)["items"]] == ["texas"]


# --- malformed requests ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "words"), [
    ({"since": "2022-13-45"}, ("'since'", "2022-13-45", "YYYY-MM-DD")),
    ({"until": "yesterday"}, ("'until'", "YYYY-MM-DD")),
    ({"offset": "-1"}, ("'offset'", "greater than or equal to 0")),
    ({"limit": "501"}, ("'limit'", "500")),
    ({"limit": "0"}, ("'limit'",)),
    ({"certainty": "sure"}, ("'certainty'", "asserted")),
    ({"kind": "shouted"}, ("'kind'", "direct")),
    ({"event_type": "PICNIC"}, ("'event_type'", "ASSAULT")),
    ({"since": "2022-05-01", "until": "2022-04-01"}, ("since", "after until")),
])
def test_malformed_parameters_are_named(client: TestClient, params: dict[str, str], words: tuple[str, ...]) -> None:
    message = assert_error(client.get("/api/statements", params=params), 422, *words)
    assert "\n" not in message


def test_unknown_endpoint_and_method_are_json(client: TestClient) -> None:
    assert_error(client.get("/api/nothing-here"), 404, "no such endpoint")
    assert_error(client.get("/api/analyze"), 405, "GET")


def test_server_errors_are_json_too(sample_store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    app = create_app(sample_store_url)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        monkeypatch.setattr(api.query, "summary", lambda engine: (_ for _ in ()).throw(RuntimeError("boom")))
        message = assert_error(test_client.get("/api/summary"), 500, "internal error")
        assert "boom" not in message  # details go to the log, not to the client
        locked = OperationalError("SELECT 1", {}, Exception("database is locked"))
        monkeypatch.setattr(api.query, "summary", lambda engine: (_ for _ in ()).throw(locked))
        assert_error(test_client.get("/api/summary"), 503, "busy")
    app.state.settings.engine.dispose()


@pytest.fixture
def store_client(store_url: str) -> Iterator[TestClient]:
    """An app over an empty store of each back end (SQLite and PostgreSQL)."""
    app = create_app(store_url)
    with TestClient(app) as test_client:
        yield test_client
    app.state.settings.engine.dispose()


def test_an_id_out_of_the_store_s_range_is_a_404_or_a_422_naming_it(store_client: TestClient) -> None:
    """Row ids are 32-bit on PostgreSQL and 64-bit on SQLite: a larger one must not reach the driver."""
    for ref in ("9223372036854775808", "9223372036854775807", "2147483648", "0", "-1", "\u00b2", "9" * 40):
        assert_error(store_client.get(f"/api/articles/{ref}"), 404, f"no article {ref!r}")
    for path, name in (("statements", "statement_id"), ("events", "event_id"), ("actors", "actor_id")):
        for number in ("9223372036854775808", "2147483648"):
            message = assert_error(store_client.get(f"/api/{path}/{number}"), 422, f"path parameter '{name}'",
                                   str(api.MAX_ROW_ID))
            assert "\n" not in message
        assert_error(store_client.get(f"/api/{path}/{api.MAX_ROW_ID}"), 404, str(api.MAX_ROW_ID))


# --- analyze -----------------------------------------------------------------------------------------------

def test_analyze_returns_a_document_and_stores_nothing(client: TestClient) -> None:
    before = get(client, "/api/summary")
    response = client.post("/api/analyze", json={"text": SHORT_TEXT, "published": "2022-04-26", "title": "T"})
    assert response.status_code == 200, response.text
    document = Document.model_validate(response.json())
    assert document.text == SHORT_TEXT and document.article.published == "2022-04-26"
    assert document.article.title == "T" and document.statements
    assert any(e.name == "Vladimir Putin" for e in document.entities)
    assert get(client, "/api/summary") == before


def test_analyze_refuses_bad_bodies(client: TestClient) -> None:
    assert_error(client.post("/api/analyze", json={"text": "   "}), 400, "text is empty")
    assert_error(client.post("/api/analyze", json={"text": "x", "published": "2022-02-30"}), 422, "'published'",
                 "YYYY-MM-DD")
    assert_error(client.post("/api/analyze", json={"txt": "x"}), 422, "'text'")
    assert_error(client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"}),
                 422, "not valid JSON")


def test_analyze_refuses_an_oversized_body_before_parsing(client: TestClient) -> None:
    big = {"text": "word " * 5000}  # 25,000 bytes against the 20,000 the client's app accepts
    assert_error(client.post("/api/analyze", json=big), 413, "20,000")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds on the body as it streams in
        yield b'{"text": "'
        for _ in range(30):
            yield b"x" * 1000
        yield b'"}'

    assert_error(client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"}),
                 413, "20,000")
    assert_error(client.post("/api/analyze", content=b"{}", headers={"content-length": "99999999999"}), 413)


def test_analyze_waits_its_turn_then_says_busy(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "ANALYZER_WAIT_SECONDS", 0.05)
    app: Any = client.app
    lock: threading.Lock = app.state.analyzer_lock
    with lock:  # another request is analysing
        response = client.post("/api/analyze", json={"text": SHORT_TEXT})
    assert_error(response, 503, "busy")
    assert client.post("/api/analyze", json={"text": SHORT_TEXT}).status_code == 200


def test_analyze_refuses_nul_characters_and_lone_surrogates(client: TestClient) -> None:
    """Findings 5 and 11: a lone surrogate was an HTTP 500 (UnicodeEncodeError), a NUL character was analysed."""
    assert_error(client.post("/api/analyze", **escaped_json({"text": "a \ud800"})), 422,
                 "lone surrogate (U+D800) at character 2")
    assert_error(client.post("/api/analyze", json={"text": "a\x00b"}), 422, "NUL character at character 1")
    assert_error(client.post("/api/analyze", **escaped_json({"text": SHORT_TEXT, "title": "a \ud800"})), 422,
                 "'title'", "lone surrogate")


def test_reads_are_answered_while_a_long_analysis_runs_and_it_ends_in_one_line(
        sample_store_url: str, analyzer: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 1: the audit's 40 kB quote froze every other request for minutes and no 503 came. Now it is refused
    at once; an analysis that passes that check but runs long goes on in its own process, while reads are
    answered and a second analysis is told the analyzer is busy, until the time budget stops it."""
    monkeypatch.setattr(api, "ANALYZER_WAIT_SECONDS", 0.05)
    app = create_app(sample_store_url, analyzer=analyzer, budget=Budget(seconds=3))
    events: list[str] = []
    answers: dict[str, Any] = {}
    with TestClient(app) as test_client:
        assert_error(test_client.post("/api/analyze", json={"text": NESTED_QUOTE}), 422, "without a space")
        lock: threading.Lock = app.state.analyzer_lock

        def long_analysis() -> None:
            answers["slow"] = test_client.post("/api/analyze", json={"text": SLOW_TEXT})
            events.append("analysis answered")

        thread = threading.Thread(target=long_analysis)
        thread.start()
        deadline = time.monotonic() + 120
        while not lock.locked() and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)  # until the analysis has the analyzer
        summary = test_client.get("/api/summary")
        events.append("summary answered")
        busy = test_client.post("/api/analyze", json={"text": SHORT_TEXT})
        events.append("busy answered")
        thread.join(timeout=300)
        after = test_client.post("/api/analyze", json={"text": SHORT_TEXT})
    app.state.settings.engine.dispose()
    assert events == ["summary answered", "busy answered", "analysis answered"]
    assert summary.status_code == 200 and summary.json()["articles"] >= 1
    assert_error(busy, 503, "busy")
    assert busy.headers["retry-after"] == "10"
    assert_error(answers["slow"], 422, "analysis took over 3 s; skipped")
    assert after.status_code == 200 and Document.model_validate(after.json()).statements


def test_serve_workers_read_the_article_budget_from_the_environment(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_DB", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("NEWSGRAPH_ARTICLE_TIMEOUT", "7.5")
    monkeypatch.setenv("NEWSGRAPH_ARTICLE_MEMORY", "0")
    app = create_app_from_environment()
    assert app.state.settings.budget == Budget(seconds=7.5, memory=None)
    app.state.settings.engine.dispose()


# --- ingest ------------------------------------------------------------------------------------------------

def test_ingest_is_disabled_without_a_write_token(client: TestClient) -> None:
    response = client.post("/api/ingest", json={"articles": [{"id": "a", "text": SHORT_TEXT}]},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert_error(response, 403, "ingest is disabled: start the server with --write-token")


def test_ingest_needs_the_right_token(writer: TestClient) -> None:
    body = {"articles": [{"id": "a", "text": SHORT_TEXT}]}
    missing = writer.post("/api/ingest", json=body)
    assert_error(missing, 401, "Authorization: Bearer")
    assert missing.headers["www-authenticate"] == "Bearer"
    assert_error(writer.post("/api/ingest", json=body, headers={"Authorization": "Bearer wrong"}), 403, "wrong")
    assert_error(writer.post("/api/ingest", json=body, headers={"Authorization": f"Basic {TOKEN}"}), 401)
    assert get(writer, "/api/summary")["articles"] == 0
    assert get(writer, "/api/statements", speaker="Putin")["total"] == 0  # the speaker index is built, empty


def test_ingest_stores_and_reports_each_article(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    articles = [
        {"id": "putin-guterres", "text": SHORT_TEXT, "published": "2022-04-26", "title": "Talks",
         "url": "https://example.org/putin-guterres", "publisher": "Example"},
        {"id": "empty", "text": "  "},
    ]
    response = writer.post("/api/ingest", json={"articles": articles}, headers=auth)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["stored"], report["failed"], report["exists"], report["duplicates"]) == (1, 1, 0, 0)
    stored, empty = report["results"]
    assert stored["outcome"] == "stored" and stored["key"] == "putin-guterres"
    assert empty["outcome"] == "failed" and "empty" in empty["message"]
    article = get(writer, f"/api/articles/{stored['article_id']}")
    assert article["document"]["article"]["url"] == "https://example.org/putin-guterres"
    assert get(writer, "/api/statements", speaker="Putin")["total"] >= 1
    summary = get(writer, "/api/summary")
    assert (summary["articles"], summary["failures"]) == (1, 1)

    again = writer.post("/api/ingest", json={"articles": articles[:1]}, headers=auth).json()
    assert again["results"][0]["outcome"] == "exists" and again["results"][0]["article_id"] == stored["article_id"]
    assert get(writer, "/api/summary")["articles"] == 1


def test_ingest_limits(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    too_many = {"articles": [{"id": f"a{i}", "text": "x"} for i in range(api.MAX_INGEST_ARTICLES + 1)]}
    assert_error(writer.post("/api/ingest", json=too_many, headers=auth), 422, "'articles'")
    big = writer.post("/api/ingest", json={"articles": [{"id": "big", "text": "word " * 5000}]}, headers=auth)
    assert big.status_code == 200 and big.json()["results"][0]["outcome"] == "failed"
    assert "20,000" in big.json()["results"][0]["message"]
    huge = {"articles": [{"id": "huge", "text": "x" * (api.MAX_INGEST_ARTICLES * 25_000)}]}
    assert_error(writer.post("/api/ingest", json=huge, headers=auth), 413)
    assert_error(writer.post("/api/ingest", json={"articles": [{"id": "a/b", "text": "x"}]}, headers=auth), 422,
                 "'articles.0.id'")


def test_ingest_records_nul_and_surrogate_texts_as_failures_and_stores_the_rest(writer: TestClient) -> None:
    """Findings 5 and 11: a lone surrogate was an HTTP 500 with no failure recorded; NUL characters were stored."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = get(writer, "/api/summary")
    articles = [{"id": "surrogate", "text": "Putin said \ud800 so."}, {"id": "nul", "text": "Putin said\x00 so."},
                {"id": "good", "text": "The foreign minister said on Friday that talks would resume in Geneva."}]
    response = writer.post("/api/ingest", **escaped_json({"articles": articles}, auth))
    assert response.status_code == 200, response.text
    surrogate, nul, good = response.json()["results"]
    assert surrogate["outcome"] == "failed" and "lone surrogate (U+D800) at character 11" in surrogate["message"]
    assert nul["outcome"] == "failed" and "NUL character at character 10" in nul["message"]
    assert good["outcome"] == "stored"
    after = get(writer, "/api/summary")
    assert (after["articles"], after["failures"]) == (before["articles"] + 1, before["failures"] + 2)
    titled = {"articles": [{"id": "t", "text": "x", "title": "a \ud800"}]}
    assert_error(writer.post("/api/ingest", **escaped_json(titled, auth)), 422, "'articles.0.title'", "lone surrogate")


# --- the OpenAPI document and the docs page ----------------------------------------------------------------

ENDPOINTS = {
    ("get", "/api/summary"), ("get", "/api/articles"), ("get", "/api/articles/{ref}"), ("get", "/api/statements"),
    ("get", "/api/statements/{statement_id}"), ("get", "/api/events"), ("get", "/api/events/{event_id}"),
    ("get", "/api/search"), ("get", "/api/actors"), ("get", "/api/actors/{actor_id}"), ("get", "/api/places"),
    ("get", "/api/places/{ref}"), ("get", "/api/network"), ("post", "/api/analyze"), ("post", "/api/ingest"),
}


def test_openapi_lists_every_endpoint_with_a_summary_and_typed_answer(client: TestClient) -> None:
    document = get(client, "/openapi.json")
    operations = {(method, path): op for path, item in document["paths"].items() for method, op in item.items()}
    assert set(operations) >= ENDPOINTS
    for key in ENDPOINTS:
        operation = operations[key]
        assert operation.get("summary"), key
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema, key
        assert "ApiError" in str(operation["responses"].get("422", {})), key
    assert "Document" in document["components"]["schemas"]
    assert "HTTPBearer" in document["components"]["securitySchemes"]
    assert ("get", "/api/docs") not in operations


def test_docs_page_loads_with_no_outside_urls(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assert not re.findall(r"(?:https?:)?//[\w.-]+\.\w", page.text), "the docs page must load nothing from outside"
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset
    assert "validatorUrl" in page.text  # Swagger UI's online validator is turned off
