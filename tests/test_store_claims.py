"""Claims across articles (newsgraph.store.claims), their contradictions, stories and the commands, on short
articles written for these tests, ingested through the real pipeline into SQLite and PostgreSQL: a quote
republished with edits joins its claim, a denial by another actor becomes a contradiction, an unrelated statement
with shared words does not join, the hand edits undo each other, and writing an article again changes nothing."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import Engine, func, select

from newsgraph.analyzer import Analyzer
from newsgraph.cli import main
from newsgraph.corpus import Ingester
from newsgraph.ingest import ArticleInput
from newsgraph.records import Article
from newsgraph.store.claim_views import (
    check_claim,
    claim_detail,
    contradictions_of_actor,
    list_claims,
    list_contradictions,
)
from newsgraph.store.claims import (
    ClaimEditError,
    build_claims,
    merge_claims,
    record_contradiction,
    regroup_claims,
    unlink_statement,
    unmerge_claim,
    vector_of,
)
from newsgraph.store.schema import claim_members, claims, contradictions, statement_vectors
from newsgraph.store.stories import list_stories, story_detail

pytest.importorskip("onnxruntime")

WIRE = ("Senator Mary Jones said on Monday that the new highway bill would create thousands of jobs in Ohio. "
        "\"This bill will put thousands of Ohioans back to work,\" Jones told reporters in Columbus.")
REPRINT = ("\"This bill will put thousands of people in Ohio back to work,\" Senator Mary Jones told reporters in "
           "Columbus on Monday.")
DROUGHT = "Senator Mary Jones said on Tuesday that the drought would ruin thousands of farms in Ohio this summer."
SHELLING = ("Ukrainian officials said on Monday that Russian troops shelled the village of Bucha near Kyiv, killing "
            "six civilians.")
DENIAL = "The Russian Defence Ministry on Tuesday denied that Russian troops had shelled the village of Bucha."


def ingest(engine: Engine, analyzer: Analyzer, texts: dict[str, str], published: str = "2022-04-04",
           **options: bool) -> None:
    items = [ArticleInput(key, key, text, Article(id=key, published=published, publisher=f"{key} news"))
             for key, text in texts.items()]
    Ingester(engine, analyzer=analyzer, **options).run([], items=items)


def claim_state(engine: Engine) -> tuple[list[tuple[object, ...]], ...]:
    with engine.connect() as conn:
        return tuple([tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns)).all()]
                     for table in (claims, claim_members, contradictions))


def claim_of(engine: Engine, article: str, words: str) -> int | None:
    for claim in list_claims(engine, min_articles=1, limit=1000):
        detail = claim_detail(engine, claim.id)
        assert detail is not None
        if any(s.article == article and words in s.content.text for s in detail.statements):
            return claim.id
    return None


def test_a_quote_republished_with_edits_joins_its_claim_and_an_unrelated_one_does_not(
        engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT, "drought": DROUGHT})
    joined = claim_of(engine, "reprint", "back to work")
    assert joined is not None and joined == claim_of(engine, "wire", "back to work")
    detail = claim_detail(engine, joined)
    assert detail is not None
    assert {s.article for s in detail.statements} == {"wire", "reprint"}
    assert detail.speakers == ["Mary Jones"] and detail.first_seen is not None
    reprinted = next(s for s in detail.statements if s.article == "reprint")
    assert reprinted.shared_speaker and reprinted.rule == "same-speaker" and (reprinted.similarity or 0) > 0.8
    assert claim_of(engine, "drought", "drought") is None  # same speaker, shared words, another claim
    assert [c.id for c in list_claims(engine)] == [joined]
    assert check_claim(engine, "The highway bill will put thousands of Ohioans back to work", limit=1,
                       stance=False)[0].claim_id == joined


def test_a_denial_by_another_actor_becomes_a_contradiction(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"report": SHELLING})
    ingest(engine, analyzer, {"denial": DENIAL}, published="2022-04-05")
    found = list_contradictions(engine)
    assert [(c.kind, c.statement.article, c.other.article) for c in found] == [("denial", "report", "denial")]
    assert found[0].other.certainty == "denied"
    denier = found[0].other.actor_id
    assert denier is not None
    sides = contradictions_of_actor(engine, denier)
    assert [c.id for c in sides["contradicts"]] == [found[0].id] and sides["contradicted_by"] == []
    assert list_contradictions(engine, since="2022-05-01") == []


def test_unlink_and_merge_undo_each_other(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT})
    joined = claim_of(engine, "reprint", "back to work")
    assert joined is not None
    before = claim_state(engine)
    moved = next(s.statement_id for s in claim_detail(engine, joined).statements  # type: ignore[union-attr]
                 if s.article == "reprint")
    alone = unlink_statement(engine, joined, moved)
    assert claim_of(engine, "reprint", "back to work") == alone
    assert list_claims(engine) == []  # one article each now
    merge_claims(engine, joined, alone)
    assert claim_of(engine, "reprint", "back to work") == joined
    assert claim_detail(engine, alone).id == joined  # type: ignore[union-attr]  # a merged id finds its claim
    unmerge_claim(engine, alone)
    assert claim_of(engine, "reprint", "back to work") == alone
    merge_claims(engine, joined, alone)
    with pytest.raises(ClaimEditError, match="into itself"):
        merge_claims(engine, joined, joined)
    with pytest.raises(ClaimEditError, match="not in claim"):
        unlink_statement(engine, alone, moved)
    after = claim_state(engine)
    assert len(after[1]) == len(before[1])
    assert {r[0] for r in after[1]} == {r[0] for r in before[1]}  # the same statements, in one claim again


def test_writing_an_article_again_or_building_changes_nothing(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT, "report": SHELLING})
    before = claim_state(engine)
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT, "report": SHELLING})
    assert build_claims(engine) == 0
    assert claim_state(engine) == before


def test_claims_built_later_are_those_of_ingest(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT}, claims=False)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(statement_vectors)).scalar_one() == 0
    assert build_claims(engine) == 2
    assert claim_of(engine, "reprint", "back to work") == claim_of(engine, "wire", "back to work") is not None


def test_a_stance_pair_is_recorded_through_the_one_function_and_kept(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT})
    joined = claim_of(engine, "reprint", "back to work")
    detail = claim_detail(engine, joined or 0)
    assert detail is not None
    one, other = (s.statement_id for s in detail.statements[:2])
    with engine.begin() as conn:
        record_contradiction(conn, detail.id, one, other, "stance", 0.7, {"evidence": [{"start": 0, "end": 4}]})
    ingest(engine, analyzer, {"drought": DROUGHT})
    assert [(c.kind, c.confidence) for c in list_contradictions(engine)] == [("stance", 0.7)]


def test_stories_group_articles_of_one_claim(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT, "report": SHELLING})
    stories = list_stories(engine)
    assert [sorted(a.article for a in s.articles) for s in stories] == [["reprint", "wire"]]
    detail = story_detail(engine, stories[0].id)
    assert detail is not None and {link.kind for link in detail.links} == {"claim"}
    assert {e.article for e in detail.timeline} == {"wire", "reprint"}
    assert story_detail(engine, 10**6) is None


def test_commands_list_show_and_fail_in_one_line(tmp_path: object, analyzer: Analyzer, engine: Engine,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT})
    url = engine.url.render_as_string(hide_password=False)
    joined = claim_of(engine, "reprint", "back to work")
    assert main(["claims", "--db", url]) == 0
    assert "back to work" in capsys.readouterr().out
    assert main(["claims", "show", str(joined), "--db", url]) == 0
    shown = capsys.readouterr().out
    assert "First seen: 2022-04-04" in shown and "same-speaker" in shown
    assert main(["claims", "show", "999999", "--db", url]) == 1
    assert capsys.readouterr().err.strip() == "newsgraph: no claim 999999 in the store"
    assert main(["claims", "merge", "5", "5", "--db", url]) == 1
    assert capsys.readouterr().err.strip() == "newsgraph: a claim cannot be merged into itself"
    assert main(["claim", "Thousands of Ohioans will go back to work", "--db", url, "--limit", "1"]) == 0
    assert "back to work" in capsys.readouterr().out
    assert main(["claims", "stance", "--db", url]) == 0  # the reprint says what the wire said: no disagreement
    assert "found 0 statements that disagree" in capsys.readouterr().err
    assert main(["stories", "--db", url]) == 0
    assert main(["contradictions", "--db", url]) == 0
    assert "no contradictions" in capsys.readouterr().err


def test_regrouping_from_stored_vectors_gives_the_same_claims(engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT, "drought": DROUGHT})
    grouped = [sorted(s.article for s in claim_detail(engine, c.id).statements)  # type: ignore[union-attr]
               for c in list_claims(engine)]
    assert regroup_claims(engine) == 3
    assert [sorted(s.article for s in claim_detail(engine, c.id).statements)  # type: ignore[union-attr]
            for c in list_claims(engine)] == grouped == [["reprint", "wire"]]
    unlink_statement(engine, list_claims(engine)[0].id, claim_detail(engine, list_claims(engine)[0].id)
                     .statements[0].statement_id)  # type: ignore[union-attr]
    with pytest.raises(ClaimEditError, match="hand edits"):
        regroup_claims(engine)


def groups_and_vectors(engine: Engine) -> tuple[set[frozenset[int]], set[tuple[int, int, str]], dict[int, bytes]]:
    with engine.connect() as conn:
        members: dict[int, set[int]] = {}
        for statement_id, claim_id in conn.execute(select(claim_members.c.statement_id, claim_members.c.claim_id)):
            members.setdefault(claim_id, set()).add(statement_id)
        against = {(r.statement_id, r.other_id, r.kind) for r in conn.execute(select(contradictions))}
        vectors = {r.statement_id: r.vector for r in conn.execute(select(statement_vectors))}
    return {frozenset(m) for m in members.values()}, against, vectors


def test_vectors_sent_by_the_analysis_make_the_claims_the_store_makes_itself(
        engine: Engine, analyzer: Analyzer) -> None:
    ingest(engine, analyzer, {"wire": WIRE, "reprint": REPRINT, "drought": DROUGHT, "report": SHELLING,
                              "denial": DENIAL})  # the analysis workers encode the statements
    sent = groups_and_vectors(engine)
    with engine.begin() as conn:
        for table in (contradictions, claim_members, claims, statement_vectors):
            conn.execute(table.delete())
    assert build_claims(engine) == 5  # the store encodes them
    built = groups_and_vectors(engine)
    assert sent[:2] == built[:2] and len(sent[0]) == 2  # the reprint's claim and the denial's
    assert sent[2].keys() == built[2].keys()
    for statement_id, blob in sent[2].items():
        np.testing.assert_allclose(vector_of(blob), vector_of(built[2][statement_id]), atol=1e-6)
