import json

import jsonschema

from newsgraph.records import SCHEMA_VERSION, Document, Place, document_json_schema
from tests.conftest import EXAMPLE, REPO

SCHEMA_FILE = REPO / "docs" / "schema" / "newsgraph-1.schema.json"


def test_schema_file_is_generated_from_the_records() -> None:
    # Regenerate with: newsgraph schema > docs/schema/newsgraph-1.schema.json
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == document_json_schema()


def test_example_document_validates_and_round_trips(analyze) -> None:  # type: ignore[no-untyped-def]
    text = EXAMPLE.read_text(encoding="utf-8")
    doc = analyze(text, published="2022-04-26")
    data = json.loads(json.dumps(doc.to_json_dict()))
    jsonschema.validate(data, document_json_schema())
    assert data["schema"] == SCHEMA_VERSION
    assert data["text"] == text
    assert Document.model_validate(data) == doc


def test_a_place_keeps_its_first_level_unit_and_older_json_has_none() -> None:
    paris = Place(start=0, end=5, text="Paris", name="Paris", feature="city", country="US", admin1="Tennessee",
                  lat=36.3, lon=-88.33, geonames_id=4647963)
    assert Place.model_validate_json(paris.model_dump_json()) == paris
    older = paris.model_dump(exclude={"admin1"})  # as newsgraph wrote it before records had admin1
    assert Place.model_validate(older).admin1 is None


def test_every_span_matches_the_text(analyze) -> None:  # type: ignore[no-untyped-def]
    text = EXAMPLE.read_text(encoding="utf-8")
    doc = analyze(text)
    spans = [m for e in doc.entities for m in e.mentions]
    for st in doc.statements:
        spans += [x for x in (st.content, st.cue, st.speaker, st.addressee, st.channel, st.via) if x is not None]
    assert spans
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_speakers_point_at_entities(analyze) -> None:  # type: ignore[no-untyped-def]
    doc = analyze(EXAMPLE.read_text(encoding="utf-8"))
    ids = {e.id for e in doc.entities}
    assert all(st.speaker.id in ids for st in doc.statements if st.speaker is not None and st.speaker.id)
