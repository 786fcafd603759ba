"""Export: every table in every format, with the documented columns and types, loadable as it is."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.cli import main
from newsgraph.records import Article, Event, Place, Statement
from newsgraph.store import export as export_module
from newsgraph.store.export import (
    COLUMNS,
    FORMULA_STARTS,
    GEOJSON_PROPERTIES,
    WHAT,
    MapExport,
    columns_markdown,
    csv_row,
    export,
    export_all,
    export_geojson,
    spreadsheet_cell,
    unflatten,
)
from newsgraph.store.query import list_places
from newsgraph.store.write import write_document
from tests.conftest import REPO
from tests.test_store import PARIS_FRANCE, PARIS_TENNESSEE, PARIS_TEXAS, store_paris_articles

TEXT = ("Defense Secretary Lloyd Austin said on Monday that Washington would send $800 million in weapons to "
        "Ukraine. \"We want to see Russia weakened,\" Austin told reporters in Poland.")
# A second article names the same man "President Putin": its entity is "Putin", its corpus actor "Vladimir Putin".
FIRST = ("Russian President Vladimir Putin said on Tuesday that Moscow would keep its troops near the border. "
         "\"We will not be threatened,\" Putin told reporters in Moscow.\n\n"
         "The Kremlin said talks with Ukraine had stalled. Officials in Kyiv could not be reached for comment.")
SECOND = ("Putin accused the West of arming Ukraine, the Kremlin said on Friday. "
          "President Putin said Russia would respond to any attack on its territory.\n\n"
          "Ukrainian officials said Russian forces shelled the city of Kharkiv overnight.\n\n"
          "The United States imposed sanctions on Russia last month, officials said.")
FORMULAS = ('"=HYPERLINK(""http://evil.example/"",""Click"") is what they wrote on the wall," the mayor said on '
            'Monday. "-2+3 degrees is nothing for us," she told reporters. "@SUM(A1:A9) was in the file," the '
            'clerk said. "+1 for the council," a resident said. The budget gap shrank by $5 million.')


def csv_rows(path: Path) -> list[dict[str, Any]]:
    """A CSV export's rows, empty cells as None (pydantic reads the numbers and booleans from their text)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (None if v == "" else v) for k, v in r.items()} for r in csv.DictReader(fh)]


def store(engine: Any, analyze: Any, text: str, key: str, published: str, **article: Any) -> Any:
    doc = analyze(text, published)
    doc.article = Article(id=key, published=published, **article)
    write_document(engine, doc, "test:" + key)
    return doc


@pytest.fixture
def stored(engine, analyze):  # type: ignore[no-untyped-def]
    doc = store(engine, analyze, TEXT, "austin", "2022-04-25", title="Austin in Poland")
    return engine, doc


@pytest.fixture
def putin_twice(engine, analyze):  # type: ignore[no-untyped-def]
    store(engine, analyze, FIRST, "first", "2022-04-26")
    store(engine, analyze, SECOND, "second", "2022-04-29")
    return engine


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
    assert not list(tmp_path.glob("*.partial"))
    if what == "statements":
        assert sorted(table.column("content_text").to_pylist()) == sorted(s.content.text for s in doc.statements)


STRUCT_OF_SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])


def test_parquet_columns_are_typed(putin_twice: Any, tmp_path: Path) -> None:
    written = export_all(putin_twice, tmp_path / "all").tables
    schemas = {what: pq.read_schema(tmp_path / "all" / f"{what}.parquet") for what in WHAT}
    assert set(written) == set(WHAT) and all(written[w] == pq.read_table(tmp_path / "all" / f"{w}.parquet").num_rows
                                             for w in WHAT)
    statements, events = schemas["statements"], schemas["events"]
    assert statements.field("published").type == pa.date32() and statements.field("day").type == pa.date32()
    assert statements.field("speaker_actor_id").type == pa.int64()
    assert statements.field("scare_quotes").type == pa.list_(STRUCT_OF_SPAN)
    actor = events.field("actors").type
    assert pa.types.is_list(actor) and actor.value_type.field("actor_name").type == pa.string()
    assert events.field("location_lat").type == pa.float64() and schemas["places"].field("lon").type == pa.float64()
    assert schemas["actors"].field("aliases").type == pa.list_(pa.string())
    assert schemas["entities"].field("mentions").type == pa.list_(STRUCT_OF_SPAN)
    assert schemas["dates"].field("day").type == pa.date32()
    assert schemas["articles"].field("ingested_at").type == pa.timestamp("ms", tz="UTC")
    assert schemas["amounts"].field("value").type == pa.float64()


def test_the_corpus_actor_stands_beside_the_name_in_the_article(putin_twice: Any, tmp_path: Path) -> None:
    export(putin_twice, "statements", "parquet", tmp_path / "s.parquet")
    export(putin_twice, "actors", "parquet", tmp_path / "a.parquet")
    actor_names = dict(zip(*pq.read_table(tmp_path / "a.parquet", columns=["id", "name"]).to_pydict().values(),
                           strict=True))
    rows = pq.read_table(tmp_path / "s.parquet").to_pylist()
    said_friday = next(r for r in rows if r["article"] == "second" and r["speaker_text"] == "President Putin")
    assert said_friday["speaker_name"] == "Putin"  # the article never gives his first name
    assert said_friday["speaker_actor_name"] == "Vladimir Putin"
    assert actor_names[said_friday["speaker_actor_id"]] == "Vladimir Putin"
    said_tuesday = next(r for r in rows if r["article"] == "first" and r["speaker_name"] == "Vladimir Putin")
    assert said_tuesday["speaker_actor_id"] == said_friday["speaker_actor_id"]
    unlinked = [r for r in rows if r["speaker_actor_id"] is None]
    assert all(r["speaker_actor_name"] is None for r in unlinked)


def test_dates_are_dates_with_their_precision(putin_twice: Any, tmp_path: Path) -> None:
    export(putin_twice, "statements", "parquet", tmp_path / "s.parquet")
    export(putin_twice, "dates", "parquet", tmp_path / "d.parquet")
    statements = pq.read_table(tmp_path / "s.parquet").to_pylist()
    by_content = {r["content_text"]: r for r in statements}
    tuesday = by_content["Moscow would keep its troops near the border"]
    assert (tuesday["published"], tuesday["day"], tuesday["date_value"], tuesday["date_precision"]) == \
        (date(2022, 4, 26), date(2022, 4, 26), "2022-04-26", "day")
    undated = next(r for r in statements if r["date_value"] is None)
    assert undated["day"] == undated["published"] and undated["date_precision"] == "day"
    found = {(r["text"], r["value"], r["day"], r["date_precision"]) for r in pq.read_table(tmp_path / "d.parquet")
             .to_pylist()}
    assert ("last month", "2022-03", date(2022, 3, 1), "month") in found
    assert ("Friday", "2022-04-29", date(2022, 4, 29), "day") in found


def test_each_statement_and_event_has_its_sentence(stored, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, _ = stored
    export(engine, "statements", "jsonl", tmp_path / "s.jsonl")
    export(engine, "events", "jsonl", tmp_path / "e.jsonl")
    statements = [json.loads(line) for line in (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {s["sentence"] for s in statements} == {
        "Defense Secretary Lloyd Austin said on Monday that Washington would send $800 million in weapons to "
        "Ukraine.", "\"We want to see Russia weakened,\" Austin told reporters in Poland."}
    events = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert events and all(e["trigger_text"] in e["sentence"] and e["sentence"] in TEXT for e in events)


def test_json_lines_have_arrays_and_iso_dates_and_csv_has_json_text(putin_twice: Any, tmp_path: Path) -> None:
    export(putin_twice, "events", "jsonl", tmp_path / "e.jsonl")
    export(putin_twice, "events", "csv", tmp_path / "e.csv")
    lines = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    sanction = next(e for e in lines if e["type"] == "SANCTION")
    assert sanction["published"] == "2022-04-29" and sanction["day"] == "2022-03-01"
    assert isinstance(sanction["actors"], list) and isinstance(sanction["recipients"], list)
    assert [(r["text"], r["actor_name"]) for r in sanction["recipients"]] == [("Russia", "Government of Russia")]
    from_csv = csv_rows(tmp_path / "e.csv")
    assert [json.loads(r["recipients"]) for r in from_csv] == [e["recipients"] for e in lines]
    assert [unflatten(Event, r) for r in lines] == [unflatten(Event, r) for r in from_csv]


def test_export_command_writes_to_stdout_and_refuses_parquet_there(stored, capsys) -> None:  # type: ignore[no-untyped-def]
    engine, _ = stored
    url = engine.url.render_as_string(hide_password=False)
    assert main(["export", "--what", "amounts", "--format", "csv", "--db", url]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.split(",")[:2] == ["article", "published"]
    assert main(["export", "--what", "amounts", "--format", "parquet", "--db", url]) == 2
    assert "--output" in capsys.readouterr().err


def test_export_all_writes_every_table_as_parquet(stored, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import pyarrow.parquet as pq

    from newsgraph.store.export import WHAT

    engine, doc = stored
    url = engine.url.render_as_string(hide_password=False)
    assert main(["export", "--all", str(tmp_path / "tables"), "--db", url]) == 0
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(
        [f"{w}.parquet" for w in WHAT] + ["places.geojson"])
    assert pq.read_table(tmp_path / "tables" / "statements.parquet").num_rows == len(doc.statements)
    assert f"{len(doc.statements)} statements" in capsys.readouterr().err
    assert main(["export", "--all", str(tmp_path / "t2"), "--output", "x.csv", "--db", url]) == 2
    assert "--all" in capsys.readouterr().err


# --- CSV cells a spreadsheet cannot run (OWASP CSV injection) ---------------------------------------------

def test_csv_export_neutralises_formulas_and_keeps_numbers(engine, analyze, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store(engine, analyze, FORMULAS, "wall", "2024-05-06", title="=cmd|' /C calc'!A0", publisher="\tWire")
    export(engine, "statements", "csv", tmp_path / "s.csv")
    export(engine, "articles", "csv", tmp_path / "a.csv")
    export(engine, "amounts", "csv", tmp_path / "m.csv")
    statements = csv_rows(tmp_path / "s.csv")
    contents = [s["content_text"] for s in statements]
    assert any(c.startswith("'=HYPERLINK(") for c in contents) and any(c.startswith("'-2+3") for c in contents)
    assert any(c.startswith("'@SUM(") for c in contents) and any(c.startswith("'+1 for") for c in contents)
    assert all(not cell.startswith(FORMULA_STARTS) for row in statements for cell in row.values() if cell)
    article = csv_rows(tmp_path / "a.csv")[0]
    assert article["title"] == "'=cmd|' /C calc'!A0" and article["publisher"] == "'\tWire"
    amount = csv_rows(tmp_path / "m.csv")[0]
    assert amount["value"] == "5000000.0" and amount["start"].isdigit()


def test_numbers_stay_numbers_in_csv() -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["value", "text"])
    writer.writerow(csv_row({"value": -5.0, "text": "-5 degrees"}, ["value", "text"]))
    assert out.getvalue() == "-5.0,'-5 degrees\r\n"
    assert spreadsheet_cell(-3) == -3 and spreadsheet_cell(True) is True and spreadsheet_cell(None) == ""


@given(st.text())
def test_a_text_cell_never_starts_a_formula_and_gives_its_text_back(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    neutralised = cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS)
    assert (cell[1:] if neutralised else cell) == text


def test_csv_rows_read_back_as_the_statements(stored, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, doc = stored
    export(engine, "statements", "csv", tmp_path / "s.csv")
    assert [unflatten(Statement, r) for r in csv_rows(tmp_path / "s.csv")] == doc.statements


def test_a_file_appears_whole_or_not_at_all(stored, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    engine, _ = stored
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "statements.jsonl"
    target.write_text("the last export\n", encoding="utf-8")
    real_rows = export_module.rows

    def rows_then_failure(*args: Any, **kwargs: Any) -> Any:
        yield from list(real_rows(*args, **kwargs))[:1]
        raise OSError("the store went away")

    monkeypatch.setattr(export_module, "rows", rows_then_failure)
    with pytest.raises(OSError, match="went away"):
        export(engine, "statements", "jsonl", target)
    assert target.read_text(encoding="utf-8") == "the last export\n" and list(target.parent.iterdir()) == [target]


# --- places as GeoJSON (RFC 7946) ------------------------------------------------------------------------

def no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON (RFC 8259), so not GeoJSON")


def number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def assert_geojson_points(text: str) -> list[dict[str, Any]]:
    """The features of a GeoJSON text, checked against what RFC 7946 requires of a FeatureCollection of Points:
    JSON (no NaN), a `type` member, a `features` array of Feature objects, each with a Point geometry whose
    position is [longitude, latitude] numbers in range, a `properties` object, an `id` string or number if any;
    no `crs` member (removed by RFC 7946, 4)."""
    document = json.loads(text, parse_constant=no_constant)
    assert isinstance(document, dict) and document["type"] == "FeatureCollection" and "crs" not in document
    assert isinstance(document["features"], list)
    for feature in document["features"]:
        assert isinstance(feature, dict) and feature["type"] == "Feature", feature
        assert "id" not in feature or isinstance(feature["id"], str) or number(feature["id"]), feature
        geometry = feature["geometry"]
        assert isinstance(geometry, dict) and geometry["type"] == "Point", feature
        position = geometry["coordinates"]
        assert isinstance(position, list) and len(position) in (2, 3) and all(map(number, position)), feature
        lon, lat = position[:2]
        assert -180 <= lon <= 180 and -90 <= lat <= 90, feature
        assert isinstance(feature["properties"], dict), feature
    return list(document["features"])


def store_parises_and_a_place_without_coordinates(engine: Any, analyze: Any) -> None:
    store_paris_articles(engine, analyze)
    text = "Officials met in Nowhere Creek on Monday."
    doc = analyze(text, "2022-04-26")
    start = text.index("Nowhere Creek")
    doc.places.append(Place(start=start, end=start + 13, text="Nowhere Creek", name="Nowhere Creek", feature="water",
                            country="US"))
    doc.article = Article(id="nowhere", published="2022-04-26")
    write_document(engine, doc, "test:nowhere")


def test_places_export_as_geojson_one_feature_per_place_longitude_first(engine, analyze, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store_parises_and_a_place_without_coordinates(engine, analyze)
    path = tmp_path / "places.geojson"
    written = export_geojson(engine, path)
    features = assert_geojson_points(path.read_text(encoding="utf-8"))
    located = [p for p in list_places(engine, None) if p.lat is not None]
    assert written == MapExport(len(located), 1) and len(features) == len(located)
    by_key = {f["id"]: f for f in features}
    assert len(by_key) == len(features) and "place:US:water:Nowhere Creek" not in by_key
    texas, france = by_key[PARIS_TEXAS], by_key[PARIS_FRANCE]
    lon, lat = texas["geometry"]["coordinates"]
    assert abs(lon - -95.55551) < 0.01 and abs(lat - 33.66094) < 0.01  # [lon, lat], not [lat, lon]
    lon, lat = france["geometry"]["coordinates"]
    assert abs(lon - 2.3488) < 0.01 and abs(lat - 48.85341) < 0.01
    assert texas["properties"] == {"key": PARIS_TEXAS, "label": "Paris, Texas, US (city)", "name": "Paris",
                                   "country": "US", "admin1": "Texas", "feature": "city", "geonames_id": 4717560,
                                   "mentions": 2, "articles": 2, "events": 1}
    assert [c.name for c in GEOJSON_PROPERTIES] == list(texas["properties"])
    # Paris, Tennessee: another US city of that name, with a label of its own.
    tennessee = by_key[PARIS_TENNESSEE]["properties"]
    assert (tennessee["label"], tennessee["admin1"]) == ("Paris, Tennessee, US (city)", "Tennessee")
    # The places table names each mention's place by the same key; an event its location's.
    export(engine, "places", "jsonl", tmp_path / "places.jsonl")
    mentions = [json.loads(line) for line in (tmp_path / "places.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(m["article"] for m in mentions if m["place_key"] == PARIS_TEXAS) == ["lamar", "texas"]
    assert {m["admin1"] for m in mentions if m["name"] == "Paris"} == {"Texas", "Tennessee", "Ile-de-France"}
    export(engine, "events", "jsonl", tmp_path / "events.jsonl")
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(e["type"], e["location_key"], e["location_admin1"]) for e in events} >= {
        ("COERCE", PARIS_TEXAS, "Texas"), ("PROTEST", PARIS_FRANCE, "Ile-de-France")}


def test_export_command_writes_geojson_and_says_what_it_left_out(engine, analyze, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    store_parises_and_a_place_without_coordinates(engine, analyze)
    url = engine.url.render_as_string(hide_password=False)
    path = tmp_path / "map.geojson"
    assert main(["export", "--format", "geojson", "--what", "places", "--out", str(path), "--db", url]) == 0
    features = assert_geojson_points(path.read_text(encoding="utf-8"))
    assert f"wrote {len(features)} distinct places to {path}; left out 1 without coordinates" in capsys.readouterr().err
    assert main(["export", "--format", "geojson", "--db", url]) == 0  # places by default, to stdout
    assert assert_geojson_points(capsys.readouterr().out) == features
    assert main(["export", "--format", "geojson", "--what", "events", "--db", url]) == 2
    assert "use --what places" in capsys.readouterr().err
    assert main(["export", "--all", str(tmp_path / "all"), "--format", "geojson", "--db", url]) == 2
    assert "places.geojson comes with each" in capsys.readouterr().err
    assert main(["export", "--all", str(tmp_path / "all"), "--format", "csv", "--db", url]) == 0
    assert assert_geojson_points((tmp_path / "all" / "places.geojson").read_text(encoding="utf-8")) == features
    assert f"{len(features)} distinct places to {tmp_path / 'all' / 'places.geojson'}; left out 1" in \
        capsys.readouterr().err
