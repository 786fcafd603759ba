"""What newsgraph agrees to analyse (newsgraph/limits.py): one size limit for readers and pipeline, refused in one
line (finding 10); runs the tokenizer would take minutes on refused before any work (finding 1), and real news
never refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.ingest import DEFAULT_MAX_BYTES, ArticleInput, InputProblem, read_inputs
from newsgraph.ingest.base import text_problem
from newsgraph.limits import MAX_ARTICLE_CHARS, MAX_UNBROKEN_CHARS, ArticleRefused, analysis_problem
from newsgraph.records import Article
from tests.conftest import EXAMPLE, SHARED

CORPORA = SHARED / "corpora"


def news_texts() -> Iterator[tuple[str, str]]:
    """Every news text at hand: the example, each corpus's text files and the stance corpus's articles."""
    yield str(EXAMPLE), EXAMPLE.read_text(encoding="utf-8")
    for path in sorted(CORPORA.glob("*/text/*")):
        yield str(path), path.read_text(encoding="utf-8")
    articles = CORPORA / "stance-train" / "articles.jsonl"
    if articles.exists():
        with articles.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                yield f"{articles}:{number}", json.loads(line)["text"]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo")
def test_no_real_news_text_is_refused() -> None:
    texts = list(news_texts())
    assert len(texts) > 1900
    refused = [(source, analysis_problem(text) or text_problem(text)) for source, text in texts]
    assert [r for r in refused if r[1]] == []


prose = st.lists(st.text(st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), min_size=1,
                         max_size=MAX_UNBROKEN_CHARS), max_size=5)


@given(prose, st.sampled_from([" ", "\n", "\t", "\u00a0 "]))
def test_runs_up_to_the_limit_are_analysed(words: list[str], space: str) -> None:
    assert analysis_problem(space.join(words)) is None


@given(prose, prose, st.integers(MAX_UNBROKEN_CHARS + 1, 3 * MAX_UNBROKEN_CHARS), st.sampled_from("(x.\"'$"))
def test_a_longer_run_is_refused_where_it_is(before: list[str], after: list[str], length: int, char: str) -> None:
    head = "".join(w + " " for w in before)
    text = head + char * length + "".join(" " + w for w in after)
    problem = analysis_problem(text)
    assert problem is not None and "\n" not in problem
    assert f"text has {length:,} characters without a space at character {len(head):,}" in problem


def test_the_readers_limit_is_the_pipelines(analyzer: Any) -> None:
    assert DEFAULT_MAX_BYTES == MAX_ARTICLE_CHARS == analyzer.nlp.max_length


def test_an_article_over_the_limit_is_refused_in_one_line_not_spacys_e088(analyzer: Any) -> None:
    text = "word " * (MAX_ARTICLE_CHARS // 5 + 1)
    with pytest.raises(ArticleRefused) as refused:
        analyzer.analyze(text, Article(id="long"))
    assert str(refused.value) == (f"text is {len(text):,} characters, over the limit of 5,000,000 "
                                  "(raise it with --max-bytes)")


def test_a_file_over_the_limit_is_refused_by_the_reader(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text("word " * (MAX_ARTICLE_CHARS // 5 + 1), encoding="utf-8")
    [item] = read_inputs([str(tmp_path / "long.txt")])
    assert isinstance(item, InputProblem) and "over the 5 MB limit (raise it with --max-bytes)" in item.message
    (tmp_path / "long.txt").write_text("word " * (MAX_ARTICLE_CHARS // 5), encoding="utf-8")
    assert isinstance(next(iter(read_inputs([str(tmp_path / "long.txt")]))), ArticleInput)


@pytest.mark.parametrize("text,words", [
    ("  \n ", "text is empty"),
    ("Putin said\x00 so.", "NUL character at character 10"),
    ("Putin said \ud800 so.", "lone surrogate (U+D800) at character 11"),
])
def test_text_problem_says_why_a_text_is_not_an_article(text: str, words: str) -> None:
    problem = text_problem(text)
    assert problem is not None and words in problem and "\n" not in problem
