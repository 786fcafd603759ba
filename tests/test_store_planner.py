"""The planned statements and events pages (newsgraph/store/planner.py) give what the CLI's search gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.records import Article
from newsgraph.store import planner, query
from newsgraph.store.connect import open_engine
from newsgraph.store.query import Filters, count_events, count_statements
from newsgraph.store.write import write_document

FILTERS = [
    Filters(), Filters(since="2016-01-01"), Filters(until="2016-06-30"), Filters(since="2022-04-26"),
    Filters(speaker="Putin"), Filters(speaker="putin"), Filters(speaker="Vladimir Putin"), Filters(speaker="he"),
    Filters(speaker="Trump"), Filters(speaker="Nobody Atall"), Filters(query="war"), Filters(query="said OR told"),
    Filters(query="war", speaker="Putin"), Filters(query="president", speaker="Trump"),
    Filters(speaker="Putin", since="2022-04-26"), Filters(query="war", until="2022-04-25"),
    Filters(query="people", since="2016-01-01", until="2016-12-31"), Filters(query="zzzzqx"),
    Filters(speaker="Trump", certainty=("hedged", "claimed")), Filters(query="people", kind=("direct",)),
    Filters(speaker="a", event_type=("ASSAULT",)), Filters(speaker="%"), Filters(certainty=("unconfirmed",)),
    # Exclusions, alone and with words, in memory and planned for SQLite (newsgraph/store/fulltext.py).
    Filters(query="-war"), Filters(query="-putin war"), Filters(query="said OR told -war -president"),
    Filters(query="-said", speaker="Trump"), Filters(query="-war", certainty=("hedged", "claimed")),
    Filters(query="!!!"), Filters(query="-!!!", kind=("direct",)),
]


@pytest.fixture(scope="module")
def sample_engine(sample_store_url: str) -> Any:
    engine = open_engine(sample_store_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("drive_by_ids", [0, 10**6])  # both SQL plans: along the day index, and row by row
@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_planned_pages_equal_search_and_count(sample_engine: Any, filters: Filters, drive_by_ids: int,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner, "DRIVE_BY_IDS", drive_by_ids)
    for offset, limit in ((0, 12), (7, 12), (0, 500), (10**6, 5)):
        hits, total = planner.statement_page(sample_engine, filters, limit, offset)
        expected = query.search_statements(sample_engine, filters, limit, offset)
        assert [h.id for h in hits] == [h.id for h in expected]
        assert [(h.day, h.data, h.article, h.speaker_actor) for h in hits] == \
            [(h.day, h.data, h.article, h.speaker_actor) for h in expected]
        assert total == count_statements(sample_engine, filters)
        events, n_events = planner.event_page(sample_engine, filters, limit, offset)
        assert [e.id for e in events] == [e.id for e in query.search_events(sample_engine, filters, limit, offset)]
        assert n_events == count_events(sample_engine, filters)


def test_the_index_follows_the_store_as_articles_arrive(tmp_path: Path, analyze: Any) -> None:
    """A server keeps its index across requests while ingest goes on: new statements, new days and new speakers
    show up in the next page, and cached sets are not served stale."""
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    texts = [("Putin said on Monday that the talks had failed.", "2022-03-01"),
             ("Zelensky said the war would end with a victory.", "2022-02-01"),
             ("Putin told reporters that Russia would not stop the war.", "2022-04-01"),
             ("Officials said the city had no water. Putin said nothing about it.", None)]
    for n, (text, published) in enumerate(texts):
        doc = analyze(text, published)
        doc.article = Article(id=f"a{n}", published=published)
        write_document(engine, doc, source=f"test:{n}")
        for filters in (Filters(), Filters(speaker="Putin"), Filters(query="war"), Filters(since="2022-02-15"),
                        Filters(query="said", until="2022-03-31"), Filters(speaker="Putin", query="war")):
            hits, total = planner.statement_page(engine, filters, 10, 0)
            assert [h.id for h in hits] == [h.id for h in query.search_statements(engine, filters, 10, 0)]
            assert total == count_statements(engine, filters)
    assert planner.statement_page(engine, Filters(speaker="Putin"), 10, 0)[1] >= 2  # articles a0 and a2
    engine.dispose()


@given(st.lists(st.tuples(st.integers(-1, 5), st.integers(1, 10**6)), unique_by=lambda t: t[1], max_size=60),
       st.integers(0, 70), st.integers(1, 30))
def test_newest_first_is_order_by_day_desc_id_desc(rows: list[tuple[int, int]], offset: int, limit: int) -> None:
    ranks = np.array([r for r, _ in rows], dtype=np.int64)
    ids = np.array([i for _, i in rows], dtype=np.int64)
    expected = [i for _, i in sorted(rows, reverse=True)][offset:offset + limit]
    assert planner.newest_first(ids, ranks, offset, limit).tolist() == expected


def test_pages_count_each_story_once_as_its_versions_arrive(tmp_path: Path, analyze: Any) -> None:
    """A near-duplicate's statements stay out of the pages, and when a longer version arrives the earlier main
    version's statements leave them, as they leave `search_statements` (the index is kept across the writes)."""
    from tests.test_store import PUTIN_FRIDAY, PUTIN_TUESDAY

    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    story = PUTIN_TUESDAY + "\n\n" + PUTIN_FRIDAY
    versions = [("wire", story), ("shorter", story[: story.rfind(". ") + 1]),
                ("longer", "MOSCOW (Other Outlet) -\n\n" + story + "\n\nReporting by the Moscow bureau."),
                ("other", "Zelensky said on Monday that the war would end with a victory for Ukraine.")]
    pages = []
    for key, text in versions:
        doc = analyze(text, "2022-04-26")
        doc.article = Article(id=key, published="2022-04-26")
        write_document(engine, doc, source=f"test:{key}")
        for filters in (Filters(), Filters(speaker="Putin"), Filters(query="said"), Filters(since="2022-04-01"),
                        Filters(speaker="Putin", query="Ukraine"), Filters(speaker="Putin", all_versions=True)):
            hits, total = planner.statement_page(engine, filters, 50, 0)
            assert [h.id for h in hits] == [h.id for h in query.search_statements(engine, filters, 50, 0)]
            assert total == count_statements(engine, filters)
        pages.append({h.article.key for h in planner.statement_page(engine, Filters(), 50, 0)[0]})
    assert pages == [{"wire"}, {"wire"}, {"longer"}, {"longer", "other"}]
    engine.dispose()
