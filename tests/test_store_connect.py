"""Opening stores (newsgraph.store.connect) on SQLite and PostgreSQL: at once from several processes, and for
reading only (nothing created)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from newsgraph.store.connect import StoreMissing, normalise_url, open_engine
from newsgraph.store.schema import SCHEMA_VERSION, current_version
from tests.processes import started_together

OPEN_ON_GO = """
import sys
from newsgraph.store.connect import StoreError, open_engine
print("ready", flush=True)
sys.stdin.readline()  # (see started_together)
try:
    open_engine(sys.argv[1]).dispose()
except StoreError as exc:
    print(exc, flush=True)
    sys.exit(1)
"""


def test_processes_opening_a_new_store_at_once_all_succeed(store_url: str) -> None:
    # Before the write lock: SQLite "table meta already exists", PostgreSQL "duplicate key value violates unique
    # constraint pg_type_typname_nsp_index" in all but one of them.
    results = started_together(OPEN_ON_GO, [[store_url]] * 4)
    assert [(r.returncode, r.stdout, r.stderr) for r in results] == [(0, "", "")] * 4
    engine = create_engine(normalise_url(store_url))
    with engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION
    engine.dispose()


def test_a_read_only_open_of_a_missing_sqlite_file_creates_nothing(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreMissing) as raised:
        open_engine("sqlite:///newsgraph.db", create=False)
    assert str(raised.value) == "no store at newsgraph.db: run `newsgraph ingest` first or pass --db"
    missing = tmp_path / "sub" / "missing.db"
    with pytest.raises(StoreMissing) as raised:
        open_engine(f"sqlite:///{missing}", create=False)
    assert str(raised.value) == f"no store at {missing}: run `newsgraph ingest` first or pass --db"
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_open_of_a_database_without_the_schema_creates_no_table(store_url: str) -> None:
    if store_url.startswith("sqlite"):  # an existing SQLite file that is not a store (an empty one)
        Path(store_url.removeprefix("sqlite:///")).touch()
    with pytest.raises(StoreMissing) as raised:
        open_engine(store_url, create=False)
    assert str(raised.value).startswith("no store at ") and "\n" not in str(raised.value)
    assert "newsgraph:newsgraph@" not in str(raised.value)  # the password is not printed
    engine = create_engine(normalise_url(store_url))
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()


def test_a_read_only_open_of_a_store_opens_it(store_url: str) -> None:
    open_engine(store_url).dispose()
    engine = open_engine(store_url, create=False)
    with engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION
    engine.dispose()
