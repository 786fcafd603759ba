"""The Python API: what a user would pass to `Analyzer.analyze`, `analyze_many` and `newsgraph.analyze`."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from newsgraph.analyzer import Analyzer, article_of
from newsgraph.records import Article
from tests.conftest import REPO

SAID = "The mayor of Kharkiv said on Monday that shelling had destroyed a school."


def test_metadata_by_name(analyzer: Analyzer) -> None:
    doc = analyzer.analyze(SAID, published="2022-04-26", title="Kharkiv", url="https://example.org/k")
    assert doc.article.published == "2022-04-26" and doc.article.title == "Kharkiv"
    assert doc.article.url == "https://example.org/k"
    assert [d.value for d in doc.dates] == ["2022-04-25"]  # "on Monday" before a Tuesday publication


def test_a_date_object_and_an_article_record(analyzer: Analyzer) -> None:
    assert analyzer.analyze(SAID, published=date(2022, 4, 26)).dates[0].value == "2022-04-25"
    doc = analyzer.analyze(SAID, Article(id="k1", published="2022-04-26"))
    assert doc.article.id == "k1" and doc.dates[0].value == "2022-04-25"


def test_analyze_many_takes_texts_and_pairs(analyzer: Analyzer) -> None:
    docs = list(analyzer.analyze_many([SAID, (SAID, {"id": "b", "published": "2022-04-26"}),
                                       (SAID, Article(id="c"))]))
    assert [d.article.id for d in docs] == ["text-1", "b", "c"]
    assert docs[0].statements and docs[1].dates[0].value == "2022-04-25"


def test_bad_metadata_is_a_clear_error(analyzer: Analyzer) -> None:
    with pytest.raises(ValueError, match="not a date"):
        analyzer.analyze(SAID, published="26/04/2022")
    with pytest.raises(ValueError, match="unknown article field"):
        analyzer.analyze(SAID, headline="x")
    with pytest.raises(TypeError, match="text or a"):
        list(analyzer.analyze_many([42]))  # type: ignore[list-item]


def test_article_of_merges_and_normalises() -> None:
    article = article_of({"id": "x", "title": "Old"}, published=datetime(2022, 4, 26, 9, 30), title="New")
    assert (article.id, article.title, article.published) == ("x", "New", "2022-04-26")


def test_the_readme_example_runs(analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "the README has a Python example"
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(Analyzer, "shared", staticmethod(lambda model=None: analyzer))
    # The example builds an Analyzer of its own: give it the session's pipeline instead of loading another.
    monkeypatch.setattr(Analyzer, "__init__", lambda self, *args, **kwargs: setattr(self, "nlp", analyzer.nlp))
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Vladimir Putin | told |" in out
    assert re.search(r"^text-1 1 statements, \d+ events$", out, flags=re.M)
    assert re.search(r"^ukraine [1-9]\d* statements, [1-9]\d* events$", out, flags=re.M)
