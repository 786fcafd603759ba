"""The store on SQLite and PostgreSQL: writing, idempotence, near-duplicates, actors across articles, search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from newsgraph.records import Article
from newsgraph.store.query import (
    Filters,
    actor_view,
    article_relations,
    count_places,
    events_at_place,
    find_actors,
    find_places,
    get_event,
    get_statement,
    list_places,
    load_document,
    place_articles,
    search,
    summary,
)
from newsgraph.store.schema import MAX_ROW_ID, entities, statements
from newsgraph.store.write import count_articles, record_failure, unlink_entity, write_document
from tests.conftest import EXAMPLE

PUTIN_TUESDAY = (
    "Russian President Vladimir Putin said on Tuesday that Moscow would keep its troops near the border. "
    "\"We will not be threatened,\" Putin told reporters in Moscow.\n\n"
    "The Kremlin said talks with Ukraine had stalled. Officials in Kyiv could not be reached for comment."
)
PUTIN_FRIDAY = (
    "Putin accused the West of arming Ukraine, the Kremlin said on Friday. "
    "President Putin said Russia would respond to any attack on its territory.\n\n"
    "Ukrainian officials said Russian forces shelled the city of Kharkiv overnight."
)
BORIS = ("British Prime Minister Boris Johnson said on Monday that London would send more aid to Kyiv. "
         "Johnson told parliament the package was worth 100 million pounds.")
ANDREW = ("Andrew Johnson, a farmer in Iowa, said the drought had cut his corn harvest by half. "
          "Johnson said he would ask the state for help.")


def store(engine, analyze, text: str, key: str, published: str = "2022-04-26", url: str | None = None):  # type: ignore[no-untyped-def]
    doc = analyze(text, published)
    doc.article = Article(id=key, published=published, url=url, title=f"Title of {key}")
    return doc, write_document(engine, doc, source=f"test:{key}")


def test_stored_document_reads_back_unchanged(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    doc, result = store(engine, analyze, PUTIN_TUESDAY, "a1")
    assert result.outcome == "stored"
    loaded = load_document(engine, "a1")
    assert loaded is not None
    assert loaded.model_dump() == doc.model_dump()
    assert load_document(engine, "missing") is None


def test_the_same_article_is_stored_once_by_content_or_url(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    store(engine, analyze, PUTIN_TUESDAY, "a1", url="https://example.org/putin")
    _, again = store(engine, analyze, PUTIN_TUESDAY.replace("\n", "\r\n"), "copy")
    _, same_url = store(engine, analyze, PUTIN_FRIDAY, "other", url="https://example.org/putin")
    assert again.outcome == "exists" and same_url.outcome == "exists"
    assert count_articles(engine) == 1


def spans(record: Any) -> list[tuple[int, int, str]]:
    """Every text span inside a record or document: (start, end, text)."""
    found, todo = [], [record.model_dump() if hasattr(record, "model_dump") else record]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            if isinstance(item.get("start"), int) and isinstance(item.get("end"), int) and "text" in item:
                found.append((item["start"], item["end"], item["text"]))
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return found


def statements_per_article(engine) -> dict[int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return dict(conn.execute(select(statements.c.article_id, func.count()).group_by(statements.c.article_id)).all())


def test_a_republished_wire_report_keeps_its_records_and_its_story_is_counted_once(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    wire_doc, first = store(engine, analyze, PUTIN_TUESDAY + "\n\n" + PUTIN_FRIDAY, "wire")
    republished = "MOSCOW (Other Outlet) -\n\n" + PUTIN_TUESDAY + "\n\n" + PUTIN_FRIDAY + "\n\n(c) Other Outlet 2022"
    outlet_doc, second = store(engine, analyze, republished, "outlet")
    assert second.outcome == "duplicate" and second.duplicate_of == first.article_id
    # Both keep their own records; the longer text is the story's main version, and the story counts once.
    assert statements_per_article(engine) == {first.article_id: len(wire_doc.statements),
                                              second.article_id: len(outlet_doc.statements)}
    assert second.main and article_relations(engine, "wire").duplicate_of.key == "outlet"  # type: ignore[union-attr]
    assert summary(engine).duplicates == 1 and summary(engine).statements == len(outlet_doc.statements)
    hits = search(engine, Filters(speaker="Putin")).statements
    assert hits and {h.article.key for h in hits} == {"outlet"}
    assert {h.article.key for h in search(engine, Filters(speaker="Putin", all_versions=True)).statements} == \
        {"wire", "outlet"}
    putin = find_actors(engine, "Putin")[0]
    assert putin[3] == 1  # seen in one story
    view = actor_view(engine, putin[0])
    assert view is not None and {a.key for a in view.articles} == {"outlet"}
    # Each reads back with its own text and records, whose offsets fit that text.
    for key, doc in (("wire", wire_doc), ("outlet", outlet_doc)):
        loaded = load_document(engine, key)
        assert loaded is not None and loaded.text == doc.text
        assert loaded.statements == doc.statements and loaded.entities == doc.entities
        assert all(loaded.text[start:end] == text for start, end, text in spans(loaded))


def test_an_early_version_stored_first_loses_nothing_of_the_full_version(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    # Before: the full version was stored as a near-duplicate of the early one, without records: 63 of its
    # 157 statements were nowhere.
    full = EXAMPLE.read_text(encoding="utf-8")
    early = full[: full.rfind(". ", 0, int(0.6 * len(full))) + 1]  # an early version: its first 60%
    early_doc, first = store(engine, analyze, early, "early")
    full_doc, second = store(engine, analyze, full, "full")
    assert len(full_doc.statements) > len(early_doc.statements) > 0
    loaded = load_document(engine, "full")
    assert loaded is not None and loaded.statements == full_doc.statements and loaded.events == full_doc.events
    assert (second.outcome, second.main, second.duplicate_of) == ("duplicate", True, first.article_id)
    assert summary(engine).statements == len(full_doc.statements)
    assert {h.article.key for h in search(engine, Filters(), limit=1000).statements} == {"full"}
    relations = article_relations(engine, "early")
    assert relations is not None and relations.duplicate_of is not None and relations.duplicate_of.key == "full"
    # A third, shorter version joins the story under the full one.
    _, third = store(engine, analyze, full[: full.rfind(". ", 0, int(0.8 * len(full))) + 1], "middle")
    assert (third.outcome, third.main, third.duplicate_of) == ("duplicate", False, second.article_id)
    assert summary(engine).statements == len(full_doc.statements)


def test_a_near_duplicates_own_records_fit_its_own_text(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    # Before: a near-duplicate was served with its original's records, whose offsets are into another text.
    updated = "\n\nThis story will be updated later today."
    store(engine, analyze, PUTIN_TUESDAY + "\n\n" + PUTIN_FRIDAY + updated, "wire")
    shorter = "By a staff writer\n\n" + PUTIN_TUESDAY + "\n\n" + PUTIN_FRIDAY
    doc, result = store(engine, analyze, shorter, "copy")
    loaded = load_document(engine, "copy")
    assert loaded is not None and loaded.text == shorter
    found = spans(loaded)
    assert len(found) > 10 and all(shorter[start:end] == text for start, end, text in found)
    assert loaded.model_dump() == doc.model_dump()
    assert (result.outcome, result.main) == ("duplicate", False)


def test_short_sentences_are_not_near_duplicates_of_each_other(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    # Two of the three word 5-shingles of the first are the second's two: an estimated Jaccard of 0.67 made the
    # second a "version" of the first (a 36-character sentence merged into a 31-character one).
    _, first = store(engine, analyze, "The minister said the plan will fail.", "fail")
    _, second = store(engine, analyze, "The minister said the plan will.", "will")
    _, third = store(engine, analyze, "The minister said: the plan will fail!", "punctuation")
    assert [r.outcome for r in (first, second, third)] == ["stored"] * 3
    assert summary(engine).duplicates == 0


def test_different_articles_on_one_topic_are_not_duplicates(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    _, a = store(engine, analyze, PUTIN_TUESDAY, "a")
    _, b = store(engine, analyze, PUTIN_FRIDAY, "b")
    assert (a.outcome, b.outcome) == ("stored", "stored")


def test_an_actor_is_one_actor_across_articles_with_reasons(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    store(engine, analyze, PUTIN_TUESDAY, "tue", "2022-04-26")
    store(engine, analyze, PUTIN_FRIDAY, "fri", "2022-04-29")
    found = find_actors(engine, "Putin")
    assert found and found[0][1] == "Vladimir Putin" and found[0][3] == 2
    view = actor_view(engine, found[0][0])
    assert view is not None
    assert {a.key for a in view.articles} == {"tue", "fri"}
    assert len(view.said) >= 3
    assert all(link.rule for link in view.links)
    assert any(link.evidence for link in view.links)


def test_people_with_one_surname_are_kept_apart(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    store(engine, analyze, BORIS, "boris")
    store(engine, analyze, ANDREW, "andrew")
    names = {name for _, name, _, _ in find_actors(engine, "Johnson")}
    assert {"Boris Johnson", "Andrew Johnson"} <= names


def test_unlink_gives_the_entity_its_own_actor(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    store(engine, analyze, PUTIN_TUESDAY, "tue")
    doc, _ = store(engine, analyze, PUTIN_FRIDAY, "fri")
    putin = next(e for e in doc.entities if e.name.endswith("Putin"))
    before = find_actors(engine, "Putin")[0]
    new_actor = unlink_entity(engine, "fri", putin.id)
    assert new_actor != before[0]
    with engine.connect() as conn:
        rule, pinned = conn.execute(select(entities.c.link_rule, entities.c.pinned)
                                    .where(entities.c.actor_id == new_actor)).one()
    assert rule == "manual-unlink" and pinned


def test_search_by_words_and_filters(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    store(engine, analyze, PUTIN_TUESDAY, "tue", "2022-04-26")
    store(engine, analyze, BORIS, "boris", "2022-05-02")
    hits = search(engine, Filters(query="troops", speaker="Putin")).statements
    assert hits and all("troops" in h.statement.content.text for h in hits)
    assert search(engine, Filters(query="troops", speaker="Johnson")).statements == []
    assert {h.article.key for h in search(engine, Filters(since="2022-05-01")).statements} == {"boris"}
    assert {h.article.key for h in search(engine, Filters(until="2022-04-30")).statements} == {"tue"}
    assert all(h.statement.kind == "direct" for h in search(engine, Filters(kind=("direct",))).statements)
    # Words the full-text syntax would choke on are searched as words.
    assert search(engine, Filters(query='troops" AND (border')).statements is not None


def test_failures_are_recorded(engine) -> None:  # type: ignore[no-untyped-def]
    record_failure(engine, "bad.html", "no article text found in the page")
    assert summary(engine).failures == 1


def test_an_id_beyond_the_row_id_range_finds_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    """The id columns are 32-bit on PostgreSQL (64-bit on SQLite): a larger id is no row, not a driver error."""
    for number in (MAX_ROW_ID + 1, 2**63, 2**70, 0, -1):
        assert get_statement(engine, number) is None and get_event(engine, number) is None
        assert actor_view(engine, number) is None
        assert load_document(engine, number) is None and load_document(engine, str(number)) is None
        assert article_relations(engine, str(number)) is None
    assert load_document(engine, "\u00b2") is None  # a digit to str.isdigit, not to int()


# --- places: one per gazetteer entry, homonyms apart -------------------------------------------------------

# Three places called Paris: GeoNames 2988507 (48.85341, 2.3488), 4717560 (33.66094, -95.55551) in Texas and
# 4647963 (36.302, -88.32671) in Tennessee, two of one feature in one country.
PARIS_FRANCE, PARIS_TEXAS, PARIS_TENNESSEE = "geonames:2988507", "geonames:4717560", "geonames:4647963"
PARISES = {
    "france": "Officials said thousands of protesters marched in Paris, France, on Monday.",
    "texas": "Police said two men were arrested in Paris, Texas, on Monday.",
    "lamar": "The town of Paris, Texas, lies in Lamar County; its courthouse stands on Main Street.",
    "henry": "The town of Paris, Tennessee, lies in Henry County.",
}


def store_paris_articles(engine, analyze) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Four articles naming Paris, France once (where a protest is), Paris, Texas twice (where an arrest is) and
    Paris, Tennessee once, as the pipeline resolves them; their documents by key."""
    docs = {key: store(engine, analyze, text, key)[0] for key, text in PARISES.items()}
    resolved = {(p.name, p.country, p.admin1, p.geonames_id) for doc in docs.values() for p in doc.places}
    assert {("Paris", "FR", "Ile-de-France", 2988507), ("Paris", "US", "Texas", 4717560),
            ("Paris", "US", "Tennessee", 4647963)} <= resolved, resolved  # what the tests stand on
    return docs


def near(point: tuple[float | None, float | None], lat: float, lon: float) -> bool:
    """Within a hundredth of a degree (the gazetteer keeps two decimals)."""
    return point[0] is not None and point[1] is not None and abs(point[0] - lat) < 0.01 and abs(point[1] - lon) < 0.01


def test_homonyms_are_places_apart_each_at_its_own_point(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    docs = store_paris_articles(engine, analyze)
    henry = load_document(engine, "henry")
    assert henry is not None and henry.places == docs["henry"].places  # (with their admin1)
    parises = list_places(engine, name="paris")
    # Paris, Texas and Paris, Tennessee, both US cities, read apart by their state.
    assert [(p.key, p.label, p.admin1, p.mentions, p.articles, p.events) for p in parises] == [
        (PARIS_TEXAS, "Paris, Texas, US (city)", "Texas", 2, 2, 1),
        (PARIS_FRANCE, "Paris, Ile-de-France, FR (city)", "Ile-de-France", 1, 1, 1),
        (PARIS_TENNESSEE, "Paris, Tennessee, US (city)", "Tennessee", 1, 1, 0)]
    texas, france, tennessee = parises
    assert near((texas.lat, texas.lon), 33.66094, -95.55551) and texas.geonames_id == 4717560
    assert near((france.lat, france.lon), 48.85341, 2.3488) and france.geonames_id == 2988507
    assert near((tennessee.lat, tennessee.lon), 36.302, -88.32671)
    assert count_places(engine, "paris") == 3
    everywhere = {p.key: p for p in list_places(engine)}
    # A state is in no state of its own; a country's own code says nothing more.
    assert count_places(engine) == len(everywhere) and everywhere["geonames:4736286"].label == "Texas, US (admin1)"
    assert everywhere["geonames:4736286"].admin1 is None and everywhere["geonames:3017382"].admin1 is None
    assert everywhere["geonames:3017382"].label == "France (country)"
    assert next(p for p in everywhere.values() if p.name == "Lamar County").label == "Lamar County, Texas, US (region)"
    # An entry of newsgraph's own tables, without a GeoNames id, has a key of its own too (and lies where the place
    # that locates it lies).
    street = next(p for p in everywhere.values() if p.name == "Main Street")
    assert street.key == "place:US:facility:Main Street" and street.geonames_id is None and street.admin1 == "Texas"


def test_a_name_finds_every_homonym_and_a_key_one_place(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    store_paris_articles(engine, analyze)
    assert [p.key for p in find_places(engine, "PARIS")] == [PARIS_TEXAS, PARIS_FRANCE, PARIS_TENNESSEE]  # any case
    assert [p.key for p in find_places(engine, PARIS_FRANCE)] == [PARIS_FRANCE]
    assert find_places(engine, "geonames:1") == find_places(engine, "Atlantis") == []
    assert sorted(a.key for a in place_articles(engine, PARIS_TEXAS)) == ["lamar", "texas"]
    assert [h.event.type for h in events_at_place(engine, PARIS_TEXAS)] == ["COERCE"]
    assert [h.event.type for h in events_at_place(engine, PARIS_FRANCE)] == ["PROTEST"]


def test_the_place_filter_takes_a_key_for_one_place_or_a_name_for_all(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    store_paris_articles(engine, analyze)

    def found(place: str) -> tuple[list[str], list[str]]:
        result = search(engine, Filters(place=place))
        return sorted(h.article.key for h in result.statements), sorted(h.event.type for h in result.events)

    assert found("Paris") == (["france", "texas"], ["COERCE", "PROTEST"])
    assert found(PARIS_TEXAS) == (["texas"], ["COERCE"])
    assert found(PARIS_FRANCE) == (["france"], ["PROTEST"])
