"""Article metadata from a table beside the texts (newsgraph/ingest/metadata.py), as research corpora ship it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.cli import main
from newsgraph.ingest import ArticleInput, read_sources
from newsgraph.ingest.metadata import MetadataError, load_metadata

TEXT = "The mayor said on Monday that the bridge would reopen next month."


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "text"
    folder.mkdir()
    for stem in ("nyt_one", "wapo_two", "unlisted"):
        (folder / f"{stem}.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "metadata.tsv").write_text(
        "compartment\tfilename\tpublisher\tpublication_date\tauthor\ttitle\n"
        "dev\tnyt_one\tnyt\t2016-09-19\tJane Roe\tA Bridge Too Far\n"
        "dev\twapo_two\twapo\t2016-10-02\tNone\t\n", encoding="utf-8")
    return folder


def articles(items: list) -> dict[str, ArticleInput]:  # type: ignore[type-arg]
    return {i.stem: i for i in items if isinstance(i, ArticleInput)}


def test_rows_fill_the_matching_articles(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    found = articles(list(read_sources([str(folder)], metadata=load_metadata(tmp_path / "metadata.tsv"))))
    one, two, unlisted = found["nyt_one"].article, found["wapo_two"].article, found["unlisted"].article
    assert (one.published, one.publisher, one.author, one.title) == ("2016-09-19", "nyt", "Jane Roe",
                                                                     "A Bridge Too Far")
    assert (two.published, two.publisher, two.author, two.title) == ("2016-10-02", "wapo", None, None)
    assert (unlisted.published, unlisted.title) == (None, None)
    assert found["nyt_one"].text == TEXT  # the text itself is never touched


def test_published_argument_wins_over_the_table(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    table = load_metadata(tmp_path / "metadata.tsv")
    found = articles(list(read_sources([str(folder)], published="2020-01-01", metadata=table)))
    assert {a.article.published for a in found.values()} == {"2020-01-01"}
    assert found["nyt_one"].article.title == "A Bridge Too Far"


def test_csv_with_file_names_and_other_column_names(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "meta.csv").write_text('file,date,headline,url\nstory.txt,2021-05-06T10:00:00Z,"Bridge, again",'
                                       'https://news.example.org/bridge\n', encoding="utf-8")
    table = load_metadata(tmp_path / "meta.csv")
    [item] = read_sources([str(tmp_path / "story.txt")], metadata=table)
    assert isinstance(item, ArticleInput)
    assert (item.article.published, item.article.title, item.article.url) == (
        "2021-05-06", "Bridge, again", "https://news.example.org/bridge")


@pytest.mark.parametrize(("content", "words"), [
    ("filename\tpublication_date\nnyt_one\t19/09/2016\n", ("metadata.tsv:2", "publication_date", "not a date")),
    ("publisher\ttitle\nnyt\tA\n", ("no column naming the articles",)),
])
def test_bad_tables_say_what_is_wrong_where(tmp_path: Path, content: str, words: tuple[str, ...]) -> None:
    (tmp_path / "metadata.tsv").write_text(content, encoding="utf-8")
    with pytest.raises(MetadataError) as error:
        load_metadata(tmp_path / "metadata.tsv")
    assert all(w in str(error.value) for w in words), error.value


def test_analyze_reads_the_table_and_refuses_a_bad_one(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       shared_analyzer: object) -> None:
    folder = corpus(tmp_path)
    assert main(["analyze", str(folder / "nyt_one.txt"), "--metadata", str(tmp_path / "metadata.tsv"),
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["article"]["published"] == "2016-09-19" and doc["article"]["publisher"] == "nyt"
    assert any(d["value"] == "2016-09-19" for d in doc["dates"])  # "on Monday" resolves against the table's date
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", str(folder), "--metadata", str(tmp_path / "missing.tsv")])
    assert exit_.value.code == 2 and "cannot read the metadata table" in capsys.readouterr().err
