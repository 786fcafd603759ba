"""Confidence where a reader meets it: `search --min-confidence` (store, CLI, HTTP API) on SQLite and
PostgreSQL, the export column, the text report and the web UI's lists."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from rich.console import Console

from newsgraph.cli import main
from newsgraph.cli.document_report import events_table, statements_table
from newsgraph.records import Article, Document
from newsgraph.server.app import create_app
from newsgraph.store.export import export
from newsgraph.store.query import Filters, search
from newsgraph.store.write import write_document

THREE_SPEAKERS = (
    "Russian President Vladimir Putin said on Tuesday that Moscow would keep its troops near the border. "
    "British Prime Minister Boris Johnson said London would send more aid to Kyiv. "
    "\"We will not give up,\" Ukrainian President Volodymyr Zelenskiy told reporters."
)
# One confidence a statement, in text order: high, doubtful, unknown (stored NULL).
CONFIDENCES = (0.95, 0.3, None)


def with_confidences(doc: Document) -> Document:
    assert len(doc.statements) == 3, [s.content.text for s in doc.statements]  # what the tests stand on
    statements = [st.model_copy(update={"confidence": c}) for st, c in zip(doc.statements, CONFIDENCES, strict=True)]
    events = [ev.model_copy(update={"confidence": 0.2}) for ev in doc.events]
    return doc.model_copy(update={"statements": statements, "events": events})


@pytest.fixture
def known_store(engine, analyze) -> Any:  # type: ignore[no-untyped-def]
    doc = with_confidences(analyze(THREE_SPEAKERS, "2022-04-26"))
    doc.article = Article(id="three", published="2022-04-26", title="Three speakers")
    write_document(engine, doc, source="test:three")
    return engine, doc


def speakers_found(engine: Any, at_least: float | None) -> set[str]:
    hits = search(engine, Filters(min_confidence=at_least), limit=50).statements
    return {h.statement.speaker.name for h in hits if h.statement.speaker}


def test_min_confidence_keeps_the_records_at_least_that_sure(known_store: Any) -> None:
    engine, doc = known_store
    names = [st.speaker.name if st.speaker else "" for st in doc.statements]
    assert speakers_found(engine, None) == set(names)
    assert speakers_found(engine, 0.9) == {names[0]}
    assert speakers_found(engine, 0.3) == {names[0], names[1]}  # inclusive; unknown confidence left out
    assert speakers_found(engine, 0.0) == {names[0], names[1]}
    if doc.events:
        assert search(engine, Filters(min_confidence=0.5)).events == []
        assert len(search(engine, Filters(min_confidence=0.2)).events) == len(doc.events)


def test_the_search_command_filters_and_shows_confidence(known_store: Any, store_url: str,
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # room for every column
    assert main(["search", "--min-confidence", "0.9", "--db", store_url]) == 0
    out = capsys.readouterr().out
    assert "0.95" in out and "Putin" in out and "Johnson" not in out


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high", "nan"])
def test_a_confidence_outside_0_1_is_a_one_line_error(value: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["search", "--min-confidence", value, "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "a confidence is a number from 0 to 1" in err and "Traceback" not in err


def test_the_api_filters_on_min_confidence_and_refuses_values_outside_0_1(known_store: Any, store_url: str) -> None:
    with TestClient(create_app(store_url)) as client:
        response = client.get("/api/search", params={"min_confidence": 0.9})
        assert response.status_code == 200, response.text
        found = response.json()["statements"]["items"]
        assert [item["statement"]["confidence"] for item in found] == [0.95]
        bad = client.get("/api/search", params={"min_confidence": 2})
        assert bad.status_code == 422 and "min_confidence" in bad.text


def test_exports_carry_the_confidence_column(known_store: Any, tmp_path: Path) -> None:
    engine, _ = known_store
    export(engine, "statements", "csv", tmp_path / "s.csv")
    with (tmp_path / "s.csv").open(encoding="utf-8", newline="") as fh:
        assert sorted(row["confidence"] for row in csv.DictReader(fh)) == ["", "0.3", "0.95"]
    export(engine, "statements", "jsonl", tmp_path / "s.jsonl")
    lines = (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted((json.loads(line)["confidence"] for line in lines), key=lambda c: c or 0) == [None, 0.3, 0.95]
    export(engine, "events", "parquet", tmp_path / "e.parquet")
    table = pq.read_table(tmp_path / "e.parquet")
    assert "confidence" in table.column_names
    assert set(table.column("confidence").to_pylist()) <= {0.2}


def test_the_report_shows_confidence_and_marks_the_doubtful(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = with_confidences(analyze(THREE_SPEAKERS, "2022-04-26"))
    console = Console(record=True, width=220)
    console.print(statements_table(doc))
    if doc.events:
        console.print(events_table(doc))
    text = console.export_text()
    assert "conf" in text and "0.95" in text and "0.30?" in text
    assert "0.95?" not in text
    if doc.events:
        assert "0.20?" in text


def test_the_article_page_marks_doubtful_records(known_store: Any, store_url: str) -> None:
    with TestClient(create_app(store_url)) as client:
        page = client.get("/articles/three")
        explorer = client.get("/statements")
    assert explorer.status_code == 200 and "doubtful 30%" in explorer.text and "95%" in explorer.text
    assert 'record statement doubtful' in explorer.text
    assert page.status_code == 200, page.text
    items = re.finditer(r'<li class="([^"]*)" data-record="(S\d)"', page.text)
    classes = {m.group(2): m.group(1).split() for m in items}
    assert "doubtful" in classes["S2"] and "doubtful" not in classes["S1"] and "doubtful" not in classes["S3"]
    assert "95%" in page.text and "doubtful 30%" in page.text


def test_the_statements_explorer_filters_on_confidence(known_store: Any, store_url: str) -> None:
    with TestClient(create_app(store_url)) as client:
        sure = client.get("/statements", params={"min_confidence": "0.9"})
        wrong = client.get("/statements", params={"min_confidence": "2"})
    assert sure.status_code == 200 and "95%" in sure.text and "doubtful 30%" not in sure.text
    assert 'name="min_confidence" value="0.9"' in sure.text
    assert "confidence: a number from 0 to 1, not &#39;2&#39;" in wrong.text
