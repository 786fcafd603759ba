"""The full-text query language (newsgraph/store/fulltext.py): one parse, the same answers on SQLite FTS5,
PostgreSQL and the planner's in-memory statement index."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.records import Article
from newsgraph.store import planner
from newsgraph.store.fulltext import TextQuery, parse
from newsgraph.store.query import Filters, count_events, count_statements, search_events, search_statements
from newsgraph.store.write import write_document

ARTICLES = {
    "putin": "The minister said on Tuesday that Putin would keep the troops near the border.",
    "trump": "The senator said on Wednesday that Trump would impose new sanctions.",
    "both": "The diplomat said on Thursday that Trump had met Vladimir Putin in Helsinki.",
    "neither": "The chancellor said on Friday that Scholz would send more weapons to Ukraine.",
}


# --- the parse -------------------------------------------------------------------------------------------

def test_words_are_all_required_phrases_kept_or_between_words_and_minus_excludes() -> None:
    assert parse('putin "united states" -war trump OR biden') == TextQuery(
        required=((("putin",),), (("united", "states"),), (("trump",), ("biden",))), excluded=(("war",),))


def test_a_query_of_only_exclusions_excludes_and_requires_nothing() -> None:
    assert parse("-putin -trump") == TextQuery(required=(), excluded=(("putin",), ("trump",)))


def test_stray_operators_and_punctuation_are_no_terms() -> None:
    assert parse('OR putin OR OR trump OR - --- "" !!!') == parse("putin OR trump")
    assert parse("putin OR -war") == parse("putin -war")  # OR joins words, not an exclusion
    assert parse("!!!").empty and parse("").empty


def test_a_minus_inside_a_word_joins_a_phrase_and_before_a_phrase_excludes_it() -> None:
    assert parse('pro-russian -"vladimir putin"') == TextQuery(required=((("pro", "russian"),),),
                                                               excluded=(("vladimir", "putin"),))


@given(st.text())
def test_any_string_parses(query: str) -> None:
    parsed = parse(query)
    assert all(all(words for words in group) for group in parsed.required)


QUERY_PIECES = st.lists(st.one_of(st.sampled_from(["OR", "AND", "NOT", "NEAR", "-", '"', "(", ")", "*", "^", ":",
                                                   "+", "-OR", "col:", "NEAR(", "{", "}", "_", "\x00", "\u0301"]),
                                  st.text(max_size=8)), max_size=12)


@pytest.fixture(scope="module")
def fts5() -> Any:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
    conn.executemany("INSERT INTO t VALUES (?)", [(text,) for text in ARTICLES.values()])
    yield conn
    conn.close()


@given(st.one_of(st.text(), QUERY_PIECES.map(" ".join)))
def test_no_query_is_an_fts5_syntax_error(fts5: Any, query: str) -> None:
    parsed = parse(query)
    for expression in (parsed.fts5_required(), parsed.fts5_excluded()):
        if expression:
            fts5.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()


@given(st.lists(st.sampled_from(["putin", "trump", "war", '"vladimir putin"', "said"]), min_size=1, max_size=4),
       st.lists(st.sampled_from(["russia", "sanctions", '"olaf scholz"', "troops"]), max_size=4), st.randoms())
def test_the_order_of_exclusions_does_not_matter(words: list[str], excluded: list[str], rng: Any) -> None:
    terms = words + ["-" + e for e in excluded]
    shuffled = terms[:]
    rng.shuffle(shuffled)
    assert parse(" ".join(shuffled)).excluded == parse(" ".join(terms)).excluded
    assert parse(" ".join(shuffled)).fts5_excluded() == parse(" ".join(terms)).fts5_excluded()


# --- in the store, on both back ends, and in the planner's index --------------------------------------------

@pytest.fixture
def stored(engine: Any, analyze: Any) -> Any:
    for key, text in ARTICLES.items():
        doc = analyze(text, "2022-04-26")
        doc.article = Article(id=key, published="2022-04-26")
        write_document(engine, doc, source=f"test:{key}")
    return engine


def articles_of(engine: Any, query: str) -> set[str]:
    """The articles of the statements matching the query, by every path that searches: the store's query,
    its count, and (on SQLite) the planner's page found in memory."""
    f = Filters(query=query)
    found = {h.article.key for h in search_statements(engine, f, limit=100)}
    assert count_statements(engine, f) == len(search_statements(engine, f, limit=100))
    hits, total = planner.statement_page(engine, f, 100, 0)
    assert {h.article.key for h in hits} == found and total == len(hits)
    events = search_events(engine, f, limit=100)
    assert count_events(engine, f) == len(events) == planner.event_page(engine, f, 100, 0)[1]
    return found


def test_exclusion_means_the_same_wherever_it_stands(stored: Any) -> None:
    assert articles_of(stored, "trump") == {"trump", "both"}
    assert articles_of(stored, "-putin trump") == articles_of(stored, "trump -putin") == {"trump"}
    assert articles_of(stored, '-"vladimir putin" trump') == {"trump"}
    assert articles_of(stored, '-"putin vladimir" trump') == {"trump", "both"}  # a phrase, not two words


def test_a_query_of_only_exclusions_gives_everything_else(stored: Any) -> None:
    assert articles_of(stored, "-putin") == {"trump", "neither"}
    assert articles_of(stored, "-putin -trump") == {"neither"}
    assert {e.article.key for e in search_events(stored, Filters(query="-putin"))} == {"trump", "neither"}


def test_or_between_words_and_exclusions_together(stored: Any) -> None:
    assert articles_of(stored, "putin OR scholz") == {"putin", "both", "neither"}
    assert articles_of(stored, "putin OR scholz -trump") == {"putin", "neither"}
    assert articles_of(stored, "would -putin OR -trump") == {"neither"}


def test_a_query_with_nothing_to_search_for_matches_nothing(stored: Any) -> None:
    assert articles_of(stored, "!!!") == set()
    assert articles_of(stored, '" OR -') == set()


def test_any_query_runs_on_both_back_ends_and_a_word_splits_the_statements_in_two(stored: Any) -> None:
    total = count_statements(stored, Filters())

    @settings(max_examples=60, deadline=None)
    @given(st.one_of(st.text(max_size=30), QUERY_PIECES.map(" ".join)))
    def runs(query: str) -> None:
        articles_of(stored, query)

    @settings(max_examples=30, deadline=None)
    @given(st.sampled_from(" ".join(ARTICLES.values()).replace(".", "").split()))
    def splits(word: str) -> None:
        assert count_statements(stored, Filters(query=word)) + count_statements(stored, Filters(query="-" + word)) \
            == total

    runs()
    splits()
