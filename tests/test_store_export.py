"""Export: every table in every format, with the documented columns, loadable as it is."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsgraph.cli import main
from newsgraph.records import Article
from newsgraph.store.export import COLUMNS, WHAT, columns_markdown, export
from newsgraph.store.write import write_document
from tests.conftest import REPO

TEXT = ("Defense Secretary Lloyd Austin said on Monday that Washington would send $800 million in weapons to "
        "Ukraine. \"We want to see Russia weakened,\" Austin told reporters in Poland.")


@pytest.fixture
def stored(engine, analyze):  # type: ignore[no-untyped-def]
    doc = analyze(TEXT, "2022-04-25")
    doc.article = Article(id="austin", published="2022-04-25", title="Austin in Poland")
    write_document(engine, doc, "test")
    return engine, doc


def test_docs_list_every_export_column() -> None:
    assert columns_markdown() in (REPO / "docs" / "export.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("what", WHAT)
def test_every_table_exports_in_every_format_with_its_columns(stored, tmp_path: Path, what: str) -> None:  # type: ignore[no-untyped-def]
    engine, doc = stored
    names = [c.name for c in COLUMNS[what]]
    jsonl, csv_file, parquet = tmp_path / "t.jsonl", tmp_path / "t.csv", tmp_path / "t.parquet"
    count = export(engine, what, "jsonl", jsonl)
    assert count > 0
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == count and all(list(row) == names for row in lines)
    export(engine, what, "csv", csv_file)
    with csv_file.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == names and len(list(reader)) == count
    export(engine, what, "parquet", parquet)
    table = pq.read_table(parquet)
    assert table.column_names == names and table.num_rows == count
    if what == "statements":
        assert sorted(table.column("content_text").to_pylist()) == sorted(s.content.text for s in doc.statements)


def test_export_command_writes_to_stdout_and_refuses_parquet_there(stored, capsys) -> None:  # type: ignore[no-untyped-def]
    engine, _ = stored
    url = engine.url.render_as_string(hide_password=False)
    assert main(["export", "--what", "amounts", "--format", "csv", "--db", url]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.split(",")[:2] == ["article", "published"]
    assert main(["export", "--what", "amounts", "--format", "parquet", "--db", url]) == 2
    assert "--output" in capsys.readouterr().err
