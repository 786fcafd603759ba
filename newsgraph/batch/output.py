"""A batch's output folder: one Parquet dataset per record kind, hive-partitioned by publication month, and the
manifest of the inputs done.

    OUT/articles/published_month=2022-04/part-BLOCK.parquet     (statements/, events/, entities/, places/,
    OUT/_manifest/BLOCK.json                                     dates/, amounts/, failures/ alike)

A block is the articles the driver writes together (up to 16, from what the actors hand back). Its files are
written under a temporary name and renamed, and its manifest entry (which articles it holds, in order, and how
many rows of each kind each has) is written the same way after them: a block is in the output once its entry is.
A run killed at any moment leaves at most some files of a block without an entry; the next run deletes those
(`OutputDir.clean`) and analyses their articles again, so every input ends up in the tables exactly once.
Readers of the datasets (DuckDB, pandas, Spark, pyarrow) skip the `_manifest` folder, as they skip every name
starting with `_` or `.`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsgraph.batch.tables import KINDS, PARTITION, schema

MANIFEST = "_manifest"
PARTIAL = ".partial"


class OutputProblem(ValueError):
    """An output folder a batch cannot write to, or `load` cannot read; the message is one line."""


@dataclass(frozen=True)
class Done:
    """One article (or failed input) of a block: where it comes from, its partition, its rows of each kind."""

    unit: int
    item: int
    source: str
    month: str
    rows: dict[str, int]

    @property
    def ordinal(self) -> tuple[int, int]:
        return self.unit, self.item


@dataclass(frozen=True)
class Block:
    name: str
    inputs: list[str]  # the sources of the batch that wrote it (units are numbered within those)
    done: list[Done]


class OutputDir:
    def __init__(self, root: Path) -> None:
        self.root = root
        if root.exists() and not root.is_dir():
            raise OutputProblem(f"{root} is a file, not an output folder")

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    def blocks(self) -> list[Block]:
        """The blocks in the output, by name."""
        if not self.manifest.is_dir():
            return []
        found = []
        for path in sorted(self.manifest.glob("*.json")):
            try:
                entry = json.loads(path.read_text(encoding="utf-8"))
                done = [Done(d["unit"], d["item"], d["source"], d["month"], d["rows"]) for d in entry["done"]]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise OutputProblem(f"{path}: not a batch manifest entry ({type(exc).__name__})") from None
            found.append(Block(path.stem, entry["inputs"], done))
        return found

    def done(self, inputs: list[str]) -> set[tuple[int, int]]:
        """The (unit, item) of every input done by earlier runs over the same sources. A folder that holds the
        output of other sources is refused: its unit numbers mean other files."""
        blocks = self.blocks()
        others = {tuple(b.inputs) for b in blocks} - {tuple(inputs)}
        if others:
            raise OutputProblem(f"{self.root} holds the output of a batch of other sources "
                                f"({', '.join(next(iter(others)))}); give another --output")
        return {d.ordinal for b in blocks for d in b.done}

    def clean(self) -> int:
        """Delete what a killed run left: files of blocks without a manifest entry, half-written files. How many."""
        kept = {b.name for b in self.blocks()}
        removed = 0
        for kind in KINDS:
            folder = self.root / kind
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                if path.is_file() and (path.name.endswith(PARTIAL) or _block_of(path) not in kept):
                    path.unlink()
                    removed += 1
        for path in self.manifest.glob(f"*{PARTIAL}") if self.manifest.is_dir() else []:
            path.unlink()
            removed += 1
        return removed

    def write_block(self, name: str, inputs: list[str], done: list[Done], tables: dict[str, pa.Table]) -> None:
        """The block's files, each appearing whole, then its manifest entry."""
        for kind, table in tables.items():
            for month in sorted(set(table.column(PARTITION).to_pylist())):
                part = table.filter(pc.equal(table.column(PARTITION), month)).drop_columns([PARTITION])
                folder = self.root / kind / f"{PARTITION}={month}"
                folder.mkdir(parents=True, exist_ok=True)
                _written_whole(folder / f"part-{name}.parquet", lambda path, t=part: pq.write_table(t, path))
        self.manifest.mkdir(parents=True, exist_ok=True)
        entry = {"inputs": inputs, "done": [d.__dict__ for d in done]}
        _written_whole(self.manifest / f"{name}.json",
                       lambda path: path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8"))

    def block_tables(self, block: Block) -> dict[str, dict[str, pa.Table]]:
        """A block's tables: kind -> month -> its rows there, in the block's article order."""
        found: dict[str, dict[str, pa.Table]] = {}
        for kind in KINDS:
            found[kind] = {}
            for month in sorted({d.month for d in block.done}):
                path = self.root / kind / f"{PARTITION}={month}" / f"part-{block.name}.parquet"
                if path.is_file():
                    found[kind][month] = pq.read_table(path, schema=schema(kind))
        return found

    def block_rows(self, block: Block) -> Iterator[tuple[Done, dict[str, list[dict[str, Any]]]]]:
        """Each input of a block with its rows of each kind."""
        tables = self.block_tables(block)
        taken: dict[tuple[str, str], int] = {}
        for done in block.done:
            rows: dict[str, list[dict[str, Any]]] = {}
            for kind in KINDS:
                count = done.rows.get(kind, 0)
                start = taken.get((kind, done.month), 0)
                table = tables[kind].get(done.month)
                if count and (table is None or table.num_rows < start + count):
                    raise OutputProblem(f"{self.root}: block {block.name} lacks rows of {kind} its manifest names")
                rows[kind] = table.slice(start, count).to_pylist() if count and table is not None else []
                taken[(kind, done.month)] = start + count
            yield done, rows


def read_kind(root: Path, kind: str) -> pa.Table:
    """One kind's whole table (with its `published_month` column), empty when no article gave it rows."""
    folder = root / kind
    files = sorted(folder.rglob("*.parquet")) if folder.is_dir() else []
    if not files:
        return schema(kind).empty_table().append_column(PARTITION, pa.array([], pa.string()))
    return pq.read_table(folder, schema=schema(kind).append(pa.field(PARTITION, pa.string())),
                         partitioning="hive")


def _block_of(path: Path) -> str:
    return path.name.removeprefix("part-").removesuffix(".parquet")


def _written_whole(target: Path, write: Any) -> None:
    partial = target.with_name(target.name + PARTIAL)
    write(partial)
    os.replace(partial, target)
