"""Claims, contradictions, stories and stance over HTTP (newsgraph/server/claims_api.py and the pages), on a small
store of articles written for the tests (those of test_store_claims), through FastAPI's TestClient (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsgraph.server.app import create_app
from newsgraph.store.connect import open_engine

from .test_store_claims import DENIAL, REPRINT, SHELLING, WIRE, ingest

pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, analyzer: Any) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('claims-store') / 'claims.db'}"
    engine = open_engine(url)
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT, "report": SHELLING})
    ingest(engine, analyzer, {"denial": DENIAL}, published="2022-04-05")
    engine.dispose()
    with TestClient(create_app(url, analyzer=analyzer, max_analyze_bytes=5_000)) as test_client:
        yield test_client


def claim_with(client: TestClient, words: str) -> dict[str, Any]:
    page = client.get("/api/claims", params={"min_articles": 1, "limit": 100}).json()
    return next(c for c in page["items"] if words in c["text"])


def test_claims_are_listed_with_where_they_were_first_seen(client: TestClient) -> None:
    page = client.get("/api/claims").json()
    assert page["total"] == len(page["items"]) >= 1
    wire = next(c for c in page["items"] if "back to work" in c["text"])
    assert wire["article_count"] == 2 and wire["speakers"] == ["Mary Jones"]
    assert wire["first_seen"]["article"] in {"wire", "reprint"}
    assert client.get("/api/claims", params={"since": "2030-01-01"}).json()["total"] == 0


def test_a_claim_has_its_statements_and_its_contradictions(client: TestClient) -> None:
    bucha = claim_with(client, "Bucha")
    detail = client.get(f"/api/claims/{bucha['id']}").json()
    assert {s["article"] for s in detail["claim"]["statements"]} == {"report", "denial"}
    (contradiction,) = detail["contradictions"]
    assert (contradiction["statement"]["article"], contradiction["other"]["article"]) == ("report", "denial")
    assert client.get("/api/contradictions").json()[0]["id"] == contradiction["id"]


def test_an_unknown_claim_or_story_is_a_404_envelope(client: TestClient) -> None:
    for path in ("/api/claims/999999", "/api/stories/999999"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json()["status"] == 404
    assert client.get("/claims/999999").status_code == 404


def test_the_claim_page_sets_assertions_beside_denials_each_linked_to_its_sentence(client: TestClient) -> None:
    bucha = claim_with(client, "Bucha")
    html = client.get(f"/claims/{bucha['id']}").text
    backing, against = html.split('id="backing"')[1].split('id="against"')
    assert "shelled the village of Bucha" in backing and "/articles/report?record=S" in backing
    assert "/articles/denial?record=S" in against.split('id="contradictions"')[0]
    assert "How it spread" in html
    assert bucha["article_count"] == 2 and f'href="/claims/{bucha["id"]}"' in client.get("/claims").text


def test_stories_group_the_articles_that_share_a_claim(client: TestClient) -> None:
    page = client.get("/api/stories").json()
    grouped = [sorted(a["article"] for a in s["articles"]) for s in page["items"]]
    assert ["reprint", "wire"] in grouped
    story = next(s for s in page["items"] if sorted(a["article"] for a in s["articles"]) == ["reprint", "wire"])
    detail = client.get(f"/api/stories/{story['id']}").json()
    assert detail["timeline"] and all(e["article"] in {"wire", "reprint"} for e in detail["timeline"])
    assert "Timeline of its claims" in client.get(f"/stories/{story['id']}").text


def test_the_actor_page_shows_whom_the_actor_contradicts(client: TestClient) -> None:
    contradiction = client.get("/api/contradictions").json()[0]
    denier = contradiction["other"]["actor_id"]
    html = client.get(f"/actors/{denier}").text
    contradicts = html.split("<h2>Contradicts</h2>")[1].split("<h2>Is contradicted by</h2>")[0]
    assert "Bucha" in contradicts


def test_stance_on_demand_and_its_body_limit(client: TestClient) -> None:
    text = "The ministry denied the report. It said no troops had entered the village of Bucha."
    answer = client.post("/api/stance", json={"claim": "Russian troops shelled Bucha", "text": text})
    assert answer.status_code == 200
    stance = answer.json()
    assert stance["stance"] in {"agree", "disagree", "discuss", "unrelated"} and 0 <= stance["confidence"] <= 1
    for span in stance["evidence"]:
        assert text[span["start"]:span["end"]] == span["text"]
    too_big = client.post("/api/stance", json={"claim": "x", "text": "word " * 2_000})
    assert too_big.status_code == 413
    assert client.post("/api/stance", json={"claim": " ", "text": text}).status_code in {400, 422}


def test_the_new_endpoints_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/claims", "/api/claims/{claim_id}", "/api/contradictions", "/api/stories",
                 "/api/stories/{story_id}", "/api/stance"):
        assert path in paths
