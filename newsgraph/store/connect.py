"""Opening a store from a SQLAlchemy URL: SQLite by default, PostgreSQL for a team."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from newsgraph.store.schema import SCHEMA_VERSION, check_version, current_version, migrate

DEFAULT_URL = "sqlite:///newsgraph.db"


class StoreError(Exception):
    """A store that cannot be opened or used, with a message for the user."""


class StoreMissing(StoreError):
    """`open_engine(..., create=False)` found no store: a SQLite file that does not exist, or a database without
    newsgraph's tables."""


def store_url(url: str | None = None) -> str:
    """The URL to use: the one given, else $NEWSGRAPH_DB, else the SQLite file in the working folder."""
    return url or os.environ.get("NEWSGRAPH_DB") or DEFAULT_URL


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and route them to psycopg 3, the driver we install."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def open_engine(url: str | None = None, create: bool = True) -> Engine:
    """An engine on an up-to-date schema; StoreError with a one-line reason when that fails.

    `create=False` is for commands that only read: a store that is not there is refused (StoreMissing) instead
    of created, and nothing is written (not even an empty SQLite file). A store of an older schema is upgraded
    either way."""
    raw = store_url(url)
    try:
        parsed = make_url(normalise_url(raw))
    except ArgumentError:
        raise StoreError(f"{raw!r} is not a database URL; use sqlite:///FILE.db or "
                         "postgresql://USER:PASS@HOST/DB") from None
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StoreError(f"{raw!r}: newsgraph stores in SQLite or PostgreSQL only")
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and not create and not _sqlite_file_exists(parsed.database):
        raise StoreMissing(_missing(parsed.database or raw))  # connecting would create the file
    kwargs: dict[str, Any] = {}
    if sqlite:
        # Readers (the web server's threads) and the one writer share the file; WAL lets them.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot open {raw!r}: {exc}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _bring_up_to_date(engine, create)
    except StoreMissing:
        engine.dispose()
        raise StoreMissing(_missing(parsed.database if sqlite else _safe(parsed))) from None
    except OperationalError as exc:
        raise StoreError(f"cannot open the store {_safe(parsed)}: {_first_line(exc)}") from None
    except (SQLAlchemyError, RuntimeError) as exc:
        raise StoreError(f"store {_safe(parsed)}: {_first_line(exc)}") from None
    return engine


# How long opening a store keeps trying while another process holds SQLite's lock (the busy timeout's 30 s).
OPEN_PATIENCE_S = 30.0


def _bring_up_to_date(engine: Engine, create: bool) -> None:
    """Migrate when the schema is not the current one: the version is read first without the write lock, so
    opening an up-to-date store never waits for a writer.

    SQLite answers "database is locked" at once, without its busy timeout, where waiting could deadlock: a
    connection that read the new file while another process was creating it (switching it to WAL, taking
    the write lock). Nothing was done then, so the whole step is tried again until OPEN_PATIENCE_S is up."""
    deadline = time.monotonic() + OPEN_PATIENCE_S
    pause = 0.05
    while True:
        try:
            _migrate_if_needed(engine, create)
            return
        except OperationalError as exc:
            if engine.dialect.name != "sqlite" or "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def _migrate_if_needed(engine: Engine, create: bool) -> None:
    with engine.connect() as conn:
        version = current_version(conn)
    check_version(version)
    if version == 0 and not create:
        raise StoreMissing()
    if version < SCHEMA_VERSION:
        with engine.begin() as conn:
            migrate(conn)


def _sqlite_file_exists(database: str | None) -> bool:
    # An in-memory database (no file name, or ":memory:") is always new.
    return bool(database) and database != ":memory:" and os.path.isfile(str(database))


def _missing(where: str | None) -> str:
    return f"no store at {where}: run `newsgraph ingest` first or pass --db"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode keeps every committed transaction across a process kill; only a power cut
    # can lose the last ones, and never leaves a half-written article.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    if sys.maxsize > 2**32:
        # Read through a memory map (SQLite caps it at about 2 GB): a search that reads thousands of rows spread
        # over a large file costs a fifth less than with a read call per page (benchmarks/ingest.py).
        cursor.execute(f"PRAGMA mmap_size={2**31}")
    cursor.close()


def _safe(url: Any) -> str:
    return str(url.render_as_string(hide_password=True))


def _first_line(exc: Exception) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__
