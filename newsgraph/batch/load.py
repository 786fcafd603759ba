"""`newsgraph load`: a batch's output into the store, through the store's own write path.

Each article's `Document` is rebuilt from its rows (`tables.document_of`) and written by `store.write.write_locked`,
in the order `ingest` would have taken the inputs (`units`), many articles to a transaction under one write lock:
so exact and near-duplicates, story versions and the linking of entities to corpus actors come out as `ingest`
of the same texts gives them, and an article already stored (a second load) is left as it is. A failed input
becomes a row of the store's failures table, once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from newsgraph.batch.output import Block, Done, OutputDir, OutputProblem
from newsgraph.batch.tables import document_of
from newsgraph.store.schema import failures, lock_for_writing
from newsgraph.store.write import Fingerprint, now, write_locked

ARTICLES_PER_TRANSACTION = 200
BLOCKS_KEPT = 64  # blocks read and kept in memory while loading in input order


@dataclass
class LoadReport:
    stored: int = 0
    duplicates: int = 0
    existing: int = 0
    failures: int = 0  # failure rows added (a failure already on record is not added again)

    @property
    def done(self) -> int:
        return self.stored + self.duplicates + self.existing


def load_output(engine: Engine, folder: Path, listener: Callable[[LoadReport], None] | None = None) -> LoadReport:
    out = OutputDir(folder)
    blocks = out.blocks()
    if not blocks:
        raise OutputProblem(f"{folder} holds no batch output (no {folder / '_manifest'} entries)")
    order = sorted((d.ordinal, b.name, n) for b in blocks for n, d in enumerate(b.done))
    by_name = {b.name: b for b in blocks}
    cache: OrderedDict[str, list[tuple[Done, dict[str, list[dict[str, Any]]]]]] = OrderedDict()
    report = LoadReport()
    listener = listener or (lambda r: None)
    for start in range(0, len(order), ARTICLES_PER_TRANSACTION):
        with engine.begin() as conn:
            lock_for_writing(conn)
            for _, name, position in order[start:start + ARTICLES_PER_TRANSACTION]:
                done, rows = _block_rows(out, by_name[name], cache)[position]
                if rows["failures"]:
                    report.failures += _record_failures(conn, rows["failures"])
                    continue
                doc = document_of(rows)
                result = write_locked(conn, doc, done.source, Fingerprint.of(doc.text), True)
                if result.outcome == "stored":
                    report.stored += 1
                elif result.outcome == "duplicate":
                    report.duplicates += 1
                else:
                    report.existing += 1
        listener(report)
    return report


def _block_rows(out: OutputDir, block: Block,
                cache: OrderedDict[str, list[tuple[Done, dict[str, list[dict[str, Any]]]]]]) -> list[Any]:
    if block.name not in cache:
        cache[block.name] = list(out.block_rows(block))
        if len(cache) > BLOCKS_KEPT:
            cache.popitem(last=False)
    cache.move_to_end(block.name)
    return cache[block.name]


def _record_failures(conn: Any, rows: list[dict[str, Any]]) -> int:
    added = 0
    for row in rows:
        known = conn.execute(select(failures.c.id).where(failures.c.source == row["source"],
                                                         failures.c.message == row["message"]).limit(1)).first()
        if known is None:
            conn.execute(failures.insert().values(source=row["source"], message=row["message"], at=now()))
            added += 1
    return added
