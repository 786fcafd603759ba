"""The events evaluation harness (scripts/event_corpora.py): its folds, its reading of the snippets table and
its scores, on rows and stories written for the test (the pipeline is not run here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO


def load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("event_corpora", REPO / "scripts" / "event_corpora.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["event_corpora"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


harness = load_harness()


def event(type_: str) -> object:
    return harness.EventOut(type=type_, mode=None, trigger="x", lemma="x", start_char=0, certainty="asserted",
                            actors=(), recipients=(), sentence="x")


def test_the_fold_is_the_crc32_of_the_article_id_modulo_five() -> None:
    assert harness.fold_of("world_example-article") == 2  # zlib.crc32(b"world_example-article") % 5
    assert {harness.fold_of(f"article-{n}") for n in range(50)} == {0, 1, 2, 3, 4}


def test_folds_are_all_or_numbers() -> None:
    assert harness.parse_folds("all") == frozenset(range(5))
    assert harness.parse_folds("1,2,3,4") == frozenset({1, 2, 3, 4})
    assert harness.folds_label(harness.parse_folds("0")) == "0"
    assert harness.folds_label(harness.parse_folds("all")) == "all"
    with pytest.raises(Exception, match="folds"):
        harness.parse_folds("5")


def test_snippets_with_quote_marks_are_read_whole(tmp_path: Path) -> None:
    table = tmp_path / "snippets.tsv"
    table.write_text('type\tmodes\tarticle_id\tquote\n'
                     'ACCUSE\tallege,disapprove\ta-1\t"accused him of ""grave crimes"" in office"\n'
                     'AID\t\ta-2\tThe agency sent food to the flooded towns\n', encoding="utf-8")
    first, second = harness.load_ngec(table)
    assert first.quote == 'accused him of "grave crimes" in office'
    assert first.modes == ("allege", "disapprove")
    assert second.modes == () and second.type == "AID"


def test_scores_count_recall_by_snippet_and_by_type_other_types_and_no_event() -> None:
    items = [harness.Judged("AID", (event("AID"), event("AGREE"))),
             harness.Judged("AID", ()),
             harness.Judged("AID", (event("AID"),)),
             harness.Judged("ACCUSE", (event("ASSAULT"),))]
    s = harness.scores(items)
    assert s.n == 4
    assert s.recall == pytest.approx(2 / 4)
    assert s.macro_recall == pytest.approx((2 / 3 + 0) / 2)
    assert s.other_types == pytest.approx(2 / 4)
    assert s.no_event == pytest.approx(1 / 4)
    line = harness.ngec_line(frozenset({0}), s)
    assert line == "ngec folds=0 n=4 type-recall=0.500 macro-recall=0.333 other-types=0.50 no-event=0.25"


def test_first_sentences_do_not_end_at_abbreviations() -> None:
    story = "The U.S. Navy said on Monday it left port. Mr. Reed spoke. Talks begin. A fourth sentence."
    expected = "The U.S. Navy said on Monday it left port. Mr. Reed spoke. Talks begin."
    assert harness.first_sentences(story, 3) == expected
