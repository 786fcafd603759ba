"""Writers at the same moment (newsgraph.store.write) on SQLite and PostgreSQL: two ingests into one store, fresh
or not, both finish without a failure and store every article once, as one run alone would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from newsgraph.records import Article, Document
from newsgraph.store import write
from newsgraph.store.connect import open_engine
from newsgraph.store.dedup import content_hash
from newsgraph.store.query import list_failures, load_document
from newsgraph.store.schema import actors, articles, statements
from newsgraph.store.write import count_articles, write_document
from tests.conftest import POLNEAR_DEV, REPO, fresh_store_url
from tests.processes import started_together

# Each process writes the documents of a JSON Lines file (source and document) through write_document, as ingest
# does, starting when told to: opening the store (new in the tests) and writing at the same moment as the other.
WRITE_ON_GO = """
import json, sys
from newsgraph.records import Document
from newsgraph.store.connect import open_engine
from newsgraph.store.dedup import content_hash
from newsgraph.store.write import write_document
with open(sys.argv[2], encoding="utf-8") as lines:
    items = [(item["source"], Document.model_validate_json(item["document"])) for item in map(json.loads, lines)]
print("ready", flush=True)
sys.stdin.readline()
engine = open_engine(sys.argv[1])
print(json.dumps([write_document(engine, document, source).outcome for source, document in items]))
"""


def documents_file(path: Path, items: list[tuple[str, Document]]) -> Path:
    path.write_text("".join(json.dumps({"source": source, "document": doc.model_dump_json()}) + "\n"
                            for source, doc in items), encoding="utf-8")
    return path


def write_at_once(url: str, *items_files: Path) -> list[list[str]]:
    """Write each file's documents in a process of its own, all at once: each process's outcomes. Fails the test on
    a process that did not finish well."""
    results = started_together(WRITE_ON_GO, [[url, str(f)] for f in items_files])
    for result in results:
        assert result.returncode == 0 and result.stderr == "", result.stderr[-3000:]
    return [json.loads(result.stdout) for result in results]


def stored_records(url: str) -> tuple[dict[str, list[str]], Counter[tuple[str, int]]]:
    """Each article's statements (their JSON, in order) by key, and the actors (name, article count)."""
    engine = open_engine(url, create=False)
    with engine.connect() as conn:
        by_key: dict[str, list[str]] = {}
        for key, data in conn.execute(select(articles.c.key, statements.c.data)
                                      .join(statements, statements.c.article_id == articles.c.id)
                                      .order_by(statements.c.id)):
            by_key.setdefault(key, []).append(data)
        keys = conn.execute(select(articles.c.key)).scalars().all()
        found = conn.execute(select(actors.c.name, actors.c.article_count))
        actor_counts = Counter((r.name, r.article_count) for r in found)
    engine.dispose()
    return {key: by_key.get(key, []) for key in keys}, actor_counts


# --- the 84 PolNeAR dev articles, analysed once ---------------------------------------------------------------

@pytest.fixture(scope="module")
def polnear_documents(sample_store_url: str) -> list[tuple[str, Document]]:
    """(source, document) of the 84 PolNeAR dev articles: the session's sample store analysed them already."""
    if not POLNEAR_DEV.is_dir():
        pytest.skip("../shared/corpora/polnear-dev is not beside the repo")
    engine = open_engine(sample_store_url, create=False)
    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.key, articles.c.source).where(
            articles.c.source.like(f"{POLNEAR_DEV}%")).order_by(articles.c.id)).all()
    items = []
    for key, source in rows:
        doc = load_document(engine, key)
        assert doc is not None
        items.append((source, doc))
    engine.dispose()
    assert len(items) == 84
    return items


@pytest.fixture(scope="module")
def polnear_file(polnear_documents: list[tuple[str, Document]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return documents_file(tmp_path_factory.mktemp("polnear") / "documents.jsonl", polnear_documents)


@pytest.fixture(scope="module")
def clean_run(polnear_documents: list[tuple[str, Document]],
              tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[str]], Counter[tuple[str, int]]]:
    """What one writer alone stores."""
    url = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'store.db'}"
    engine = open_engine(url)
    assert {write_document(engine, doc, source).outcome for source, doc in polnear_documents} == {"stored"}
    engine.dispose()
    return stored_records(url)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_writers_of_the_84_polnear_articles_into_a_new_store_store_each_once(
        backend: str, tmp_path: Path, polnear_file: Path,
        clean_run: tuple[dict[str, list[str]], Counter[tuple[str, int]]]) -> None:
    # Before: on a new store one of them died creating the tables; on an existing one ~50 of the articles failed
    # in one or the other with "UNIQUE constraint failed: articles.content_hash" (IntegrityError).
    url = fresh_store_url(backend, tmp_path)
    outcomes = write_at_once(url, polnear_file, polnear_file)
    assert all(len(o) == 84 and set(o) <= {"stored", "exists"} for o in outcomes)
    assert [a == "stored" or b == "stored" for a, b in zip(*outcomes, strict=True)] == [True] * 84
    statements_by_key, actor_counts = stored_records(url)
    assert statements_by_key == clean_run[0]  # the same statements as one writer alone
    # Cross-article linking is incremental, so it depends on the order articles arrive in (a bare "Obama" seen
    # before or after "Barack Obama"), and two writers interleave: the actors of several articles stay, the
    # counts may differ by an article or two.
    recurring = {name for (name, count) in clean_run[1] if count >= 3}
    assert recurring <= {name for (name, _) in actor_counts}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_writers_into_an_existing_store_record_no_failure(backend: str, tmp_path: Path,
                                                              polnear_documents: list[tuple[str, Document]]) -> None:
    url = fresh_store_url(backend, tmp_path)
    engine = open_engine(url)
    first, rest = polnear_documents[:4], polnear_documents[4:30]
    assert [write_document(engine, doc, source).outcome for source, doc in first] == ["stored"] * 4
    both = documents_file(tmp_path / "rest.jsonl", first + rest)
    outcomes = write_at_once(url, both, both)
    assert [o[:4] for o in outcomes] == [["exists"] * 4] * 2
    assert count_articles(engine) == 30 and list_failures(engine) == []
    engine.dispose()


SAME_ID_TEXTS = [
    "The harbour authority said on Tuesday that the northern pier would close for repairs until June.",
    "Fishermen in the town said the closure would cost them a season of work and asked for compensation.",
    "The mayor said the council would vote next month on a plan to rebuild the pier with steel piles.",
]


def test_writers_of_different_texts_under_one_id_give_each_its_own_key(store_url: str, tmp_path: Path,
                                                                       analyze: Any) -> None:
    # Before: both saw the id free and inserted it; one failed on the unique key.
    files, digests = [], []
    for n, text in enumerate(SAME_ID_TEXTS):
        doc = analyze(text, "2023-03-01")
        doc.article = Article(id="pier", published="2023-03-01")
        files.append(documents_file(tmp_path / f"{n}.jsonl", [(f"test:{n}", doc)]))
        digests.append(content_hash(text))
    open_engine(store_url).dispose()
    assert write_at_once(store_url, *files) == [["stored"]] * 3
    engine = open_engine(store_url, create=False)
    with engine.connect() as conn:
        keys = {r.content_hash: r.key for r in conn.execute(select(articles.c.content_hash, articles.c.key))}
    engine.dispose()
    assert sorted(keys.values())[0] == "pier"
    assert all(keys[d] in ("pier", f"pier~{d[:8]}") for d in digests) and len(set(keys.values())) == 3


def test_a_unique_violation_from_a_writer_outside_the_lock_is_exists(engine: Any, analyze: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # A writer that does not take the lock (a newsgraph from before it) can insert the article between the look
    # for it and the insert: what was asked is done.
    doc = analyze(SAME_ID_TEXTS[0], "2023-03-01")
    stored = write_document(engine, doc, "test:first")
    real, calls = write.existing_article, []

    def not_there_at_first(*args: Any) -> int | None:
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(write, "existing_article", not_there_at_first)
    again = write_document(engine, doc, "test:again")
    assert (again.outcome, again.article_id) == ("exists", stored.article_id)
    assert count_articles(engine) == 1


HARBOUR_TEXTS = [*SAME_ID_TEXTS,
                 "Port officials said two cranes had been damaged in the storm and would be replaced by the spring.",
                 "A ferry operator said it would move its sailings to the southern quay while the pier is closed."]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_ingest_commands_into_a_new_store_both_succeed(backend: str, tmp_path: Path) -> None:
    # The command as a user runs it (`-m` from the checkout: this newsgraph whatever PYTHONPATH says), twice at once
    # on the same files into a store that does not exist yet.
    url = fresh_store_url(backend, tmp_path)
    folder = tmp_path / "texts"
    folder.mkdir()
    for n, text in enumerate(HARBOUR_TEXTS):
        (folder / f"harbour-{n}.txt").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "newsgraph.cli", "ingest", str(folder), "--db", url, "--quiet",
               "--published", "2023-03-01"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    running = [subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    finished = [(p.returncode, err) for p in running for _, err in [p.communicate(timeout=600)]]
    assert [code for code, _ in finished] == [0, 0], [err[-2000:] for _, err in finished]
    assert all("Traceback" not in err for _, err in finished)
    engine = open_engine(url, create=False)
    assert count_articles(engine) == len(HARBOUR_TEXTS) and list_failures(engine) == []
    engine.dispose()
