"""An analyst's corrections of the corpus actors (newsgraph.store.curation) on a small store of short articles
written for these tests, on SQLite and PostgreSQL: merge and unmerge undo each other exactly, a merged actor is
never linked to again, the actor dictionary is used first and its ids reach the exports and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from newsgraph.analyzer import Analyzer
from newsgraph.cli.actors import shown_of
from newsgraph.corpus import Ingester
from newsgraph.ingest import ArticleInput
from newsgraph.records import Article
from newsgraph.store import export
from newsgraph.store.curation import (
    EditError,
    import_dictionary,
    merge_actors,
    read_dictionary,
    relink_to_dictionary,
    unmerge_actor,
)
from newsgraph.store.query import actor_view, find_actors, list_actors
from newsgraph.store.schema import actor_edits, actor_keys, actors, entities
from newsgraph.store.write import unlink_entity

SMITHS = {
    "farm": "John Smith, a farmer in Iowa, said the drought had ruined his corn crop. Smith said he had never seen a "
            "worse summer.",
    "senate": "Senator Mary Smith of Ohio said on Thursday that the bill would pass. Smith voted against the measure "
              "last year.",
}
PARTY = {
    "gop": "The GOP said on Monday that it would hold its convention in Cleveland. Reince Priebus, the party's "
           "chairman, said the choice was easy.",
    "party": "The Republican Party raised more money than the Democrats in March, Reince Priebus said.",
}
DICTIONARY = ("name,aliases,type,country,sector,outside_id\n"
              "Republican Party,GOP|Grand Old Party,ORG,USA,PTY,Q29468\n")


def ingest(engine: Engine, analyzer: Analyzer, texts: dict[str, str], day: int = 1) -> None:
    items = [ArticleInput(key, key, text, Article(id=key, published=f"2016-03-{day + i:02d}"))
             for i, (key, text) in enumerate(texts.items())]
    Ingester(engine, analyzer=analyzer).run([], items=items)


def actor_of(engine: Engine, article: str, name: str) -> int:
    found = [row for row in entity_rows(engine) if row[0] == article and row[1] == name]
    assert found, (article, name)
    return int(found[0][2])


def entity_rows(engine: Engine) -> list[tuple[str, str, int, str, str, float, bool]]:
    from newsgraph.store.schema import articles

    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.key, entities.c.name, entities.c.actor_id, entities.c.link_rule,
                                   entities.c.link_evidence, entities.c.link_confidence, entities.c.pinned)
                            .join(articles, articles.c.id == entities.c.article_id).order_by(entities.c.id)).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def actor_state(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with engine.connect() as conn:
        rows = conn.execute(select(actors.c.id, actors.c.name, actors.c.type, actors.c.profile,
                                   actors.c.article_count, actors.c.merged_into).order_by(actors.c.id)).all()
        keys = conn.execute(select(actor_keys.c.actor_id, actor_keys.c.key)
                            .order_by(actor_keys.c.actor_id, actor_keys.c.key)).all()
    return [tuple(r) for r in rows], [tuple(k) for k in keys]


def test_merge_then_unmerge_gives_back_exactly_the_store_before(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, SMITHS)
    john, mary = actor_of(engine, "farm", "John Smith"), actor_of(engine, "senate", "Mary Smith")
    assert john != mary
    before = (entity_rows(engine), actor_state(engine))

    result = merge_actors(engine, mary, john)
    assert result.entities == 1
    assert actor_of(engine, "farm", "John Smith") == mary
    view = actor_view(engine, mary)
    assert view is not None and len(view.articles) == 2
    assert {a.id: a.article_count for a in list_actors(engine, 50)}[mary] == 2
    assert john not in {a.id for a in list_actors(engine, 50)}  # a merged actor is listed as its KEEP only
    assert find_actors(engine, f"#{john}")[0][0] == mary  # its id finds the actor it was merged into
    farm_link = next(link for link in view.links if link.article == "farm")
    assert (farm_link.entity, farm_link.rule, farm_link.confidence) == ("E1", "manual-merge", 1.0)

    unmerge_actor(engine, john)
    assert (entity_rows(engine), actor_state(engine)) == before
    with engine.connect() as conn:
        assert [r.action for r in conn.execute(select(actor_edits.c.action).order_by(actor_edits.c.id))] == \
            ["merge", "unmerge"]
    with pytest.raises(EditError, match="not merged"):
        unmerge_actor(engine, john)
    with pytest.raises(EditError, match="into itself"):
        merge_actors(engine, mary, mary)


def test_a_merged_actor_is_never_linked_to_again(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, SMITHS)
    john, mary = actor_of(engine, "farm", "John Smith"), actor_of(engine, "senate", "Mary Smith")
    merge_actors(engine, mary, john)
    ingest(engine, analyzer, {"again": "John Smith, who farms in Iowa, said the rain came too late for his corn."},
           day=20)
    assert actor_of(engine, "again", "John Smith") == mary


def test_unlink_is_recorded_and_a_merge_undoes_it(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"a": "Barack Obama spoke in Chicago on Monday about the economy.",
                              "b": "Barack Obama said in Boston on Tuesday that the economy was growing."})
    obama = actor_of(engine, "b", "Barack Obama")
    assert actor_of(engine, "a", "Barack Obama") == obama
    alone = unlink_entity(engine, "b", "E1")
    assert [a.article_count for a in list_actors(engine, 50) if a.id == obama] == [1]
    with engine.connect() as conn:
        edit = conn.execute(select(actor_edits).where(actor_edits.c.action == "unlink")).one()
    assert (edit.actor_id, edit.other_id) == (obama, alone) and json.loads(edit.detail)["rule"] == "same-name"
    merge_actors(engine, obama, alone)
    assert actor_of(engine, "b", "Barack Obama") == obama
    assert [a.article_count for a in list_actors(engine, 50) if a.id == obama] == [2]


def test_the_dictionary_is_used_first_and_its_ids_reach_exports_and_api(engine: Engine, analyzer: Analyzer,
                                                                          tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    path.write_text(DICTIONARY, encoding="utf-8")
    report = import_dictionary(engine, path)
    assert (report.created, report.updated, report.problems) == (1, 0, [])
    ingest(engine, analyzer, PARTY)
    party = actor_of(engine, "gop", "GOP")
    assert actor_of(engine, "party", "Republican Party") == party
    rule = next(r[3] for r in entity_rows(engine) if r[0] == "gop" and r[1] == "GOP")
    assert rule == "dictionary"
    exported = {r["id"]: r for r in export.rows(engine, "actors")}
    assert (exported[party]["outside_id"], exported[party]["country"], exported[party]["sector"]) == \
        ("Q29468", "USA", "PTY")

    from fastapi.testclient import TestClient

    from newsgraph.server.app import create_app

    client = TestClient(create_app(engine=engine))
    detail = client.get(f"/api/actors/{party}").json()
    assert (detail["outside_id"], detail["name"]) == ("Q29468", "Republican Party")
    assert all(link["entity"].startswith("E") for link in detail["links"])


def test_relink_moves_stored_mentions_to_the_dictionary_but_not_hand_edited_ones(engine: Engine,
                                                                                   analyzer: Analyzer,
                                                                                   tmp_path: Path) -> None:
    ingest(engine, analyzer, PARTY)
    gop = actor_of(engine, "gop", "GOP")
    kept = unlink_entity(engine, "party", "E1")  # "Republican Party": an analyst's own decision, which stays
    path = tmp_path / "actors.csv"
    path.write_text(DICTIONARY, encoding="utf-8")
    import_dictionary(engine, path)
    report = relink_to_dictionary(engine)
    assert report.entities == 1
    party = find_actors(engine, "Republican Party")[0][0]
    assert actor_of(engine, "gop", "GOP") == party != gop
    assert actor_of(engine, "party", "Republican Party") == kept
    assert gop not in {a.id for a in list_actors(engine, 50)}  # left with no mention: not listed, never chosen


def test_bad_dictionary_rows_are_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    path.write_text("# sources: the analyst's notes\n"
                    "name,aliases,type,country,sector,outside_id\n"
                    "Republican Party,GOP,ORG,USA,PTY,Q29468\n"
                    "No Type,,PER,,,\n"
                    ",,ORG,,,\n"
                    "Bad Country,,ORG,US,,\n", encoding="utf-8")
    entries, problems = read_dictionary(path)
    assert [e.name for e in entries] == ["Republican Party"] and entries[0].aliases == ("GOP",)
    assert problems == [
        "actors.csv line 4: type 'PER' of 'No Type' is not one of PERSON, ORG, GPE, NORP",
        "actors.csv line 5: no name",
        "actors.csv line 6: country 'US' of 'Bad Country' is not an ISO 3166 alpha-3 code (such as USA, GBR)",
    ]
    path.write_text("name,alias,type\n", encoding="utf-8")
    with pytest.raises(EditError, match="unknown column"):
        read_dictionary(path)


def test_cli_curation_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.cli import main

    db = f"sqlite:///{tmp_path / 'store.db'}"
    path = tmp_path / "actors.csv"
    path.write_text(DICTIONARY + "Nobody,,PER,,,\n", encoding="utf-8")
    assert main(["actors", "import", str(path), "--db", db]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "newsgraph: skipped actors.csv line 3: type 'PER' of 'Nobody' is not one of PERSON, ORG, GPE, NORP"
    assert err[1].startswith("newsgraph: imported 1 dictionary actors (1 new, 0 updated), 1 bad rows skipped")
    for argv in (["merge", "1", "1"], ["unmerge", "1"], ["merge", "1", "99"], ["actor", "#99"],
                 ["unmerge", "Obama"], ["actors", "import", str(tmp_path / "missing.csv")]):
        assert main([*argv, "--db", db]) in (1, 2)
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("newsgraph: "), (argv, lines)


def test_two_names_of_one_actor_in_an_article_count_it_once(engine: Engine, analyzer: Analyzer) -> None:
    # "Joseph R. Biden Jr." and "Biden" are two entities of one article linked to one actor: the actor list
    # counted that article twice (72 articles for Trump in the list, 67 on his page, in the 85 sample articles).
    texts = {"a": "Vice President Joseph R. Biden Jr. spoke in Scranton on Monday about the economy.",
             "c": "Vice President Joseph R. Biden Jr. said in Iowa that farmers needed rain.",
             "d": "Joseph R. Biden Jr. met the governor of Ohio on Friday. Biden said the talks went well.",
             "b": "Speaking to students at Drexel University in Philadelphia this week, Vice President "
                  "Joseph R. Biden Jr. responded to Mr. Trump's debate interjection.\n\n"
                  "''Tell that to the janitor in here who's paying taxes,'' Mr. Biden said."}
    ingest(engine, analyzer, texts)
    biden = actor_of(engine, "a", "Joseph R. Biden Jr.")
    assert {name for article, name, actor, *_ in entity_rows(engine) if article == "b" and actor == biden} == \
        {"Joseph R. Biden Jr.", "Biden"}
    view = actor_view(engine, biden)
    assert view is not None and len(view.articles) == 4
    assert [a.article_count for a in list_actors(engine, 50) if a.id == biden] == [4]
    few = actor_view(engine, biden, limit=1)
    assert view.said_total == len(view.said) == 4
    assert few is not None and len(few.said) == 1 and few.said_total == 4  # the page says "Said (1 of 4)"
    assert (shown_of(few.said, few.said_total), shown_of(view.said, view.said_total)) == ("1 of 4", "4")


def test_cli_unlink_names_the_merge_that_undoes_it(tmp_path: Path, analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.cli import main
    from newsgraph.store.connect import open_engine

    db = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_engine(db)
    ingest(engine, analyzer, {"a": "Barack Obama spoke in Chicago on Monday about the economy.",
                              "b": "Barack Obama said in Boston on Tuesday that the economy was growing."})
    obama = actor_of(engine, "b", "Barack Obama")
    capsys.readouterr()
    assert main(["unlink", "b", "E1", "--db", db]) == 0
    alone = actor_of(engine, "b", "Barack Obama")
    said = capsys.readouterr().err.strip()
    assert said == f"newsgraph: b E1 now has actor {alone} of its own (`newsgraph merge {obama} {alone}` undoes it)"
    assert main(["merge", str(obama), str(alone), "--db", db]) == 0
    assert actor_of(engine, "b", "Barack Obama") == obama
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "200")  # a table row a line
    assert main(["actors", "history", "--db", db]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("│")]
    assert [row.split("│")[3].strip() for row in rows] == ["merge", "unlink"]
    assert "b E1" in rows[1] and f"newsgraph merge {obama} {alone}" in rows[1]
    assert f"newsgraph unmerge {alone}" in rows[0]


def test_an_actor_written_so_comes_before_one_whose_name_only_contains_the_letters(engine: Engine,
                                                                                    analyzer: Analyzer,
                                                                                    tmp_path: Path) -> None:
    # After importing "Russia Today, alias RT", `newsgraph actor RT` opened "U.S. Supreme Court" (seen in more
    # articles, and "court" contains "rt").
    path = tmp_path / "actors.csv"
    path.write_text("name,aliases,type\nRussia Today,RT,ORG\n", encoding="utf-8")
    import_dictionary(engine, path)
    ingest(engine, analyzer, {"a": "The U.S. Supreme Court ruled on Monday that the law was valid.",
                              "b": "The U.S. Supreme Court heard the case on Tuesday.",
                              "c": "The Kremlin-funded channel RT reported on Monday that the talks had failed."})
    rt, court = actor_of(engine, "c", "RT"), actor_of(engine, "a", "U.S. Supreme Court")
    assert [found[0] for found in find_actors(engine, "RT")] == [rt, court]


def test_talked_about_by_names_actors_and_leaves_out_unresolved_pronouns(engine: Engine, analyzer: Analyzer) -> None:
    # The actor page listed "it (3); we (2); she (1)" among those who talked about Donald Trump.
    ingest(engine, analyzer, {"a": "Barack Obama spoke in Chicago on Monday. Senator Mary Smith said Obama was wrong "
                                   "about the economy. Smith said Obama had failed. The report was released on "
                                   "Tuesday. It said Obama had broken his promise."})
    view = actor_view(engine, actor_of(engine, "a", "Barack Obama"))
    assert view is not None and view.talked_about_by == [("Mary Smith", 2)]
