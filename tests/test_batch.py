"""`newsgraph batch` on a local Ray runtime (2 CPUs, started once for the module and shut down), its Parquet output,
its resumption after SIGKILL, and `newsgraph load`.

The inputs: four short PolNeAR dev texts (publication dates from the corpus's metadata), a JSON Lines file of two of
them (one the exact text of a .txt file: a duplicate for the store, and another month), a file that is not UTF-8
text and a missing file (failures)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsgraph.records import Document
from tests.conftest import POLNEAR_DEV, REPO, fresh_store_url

pytestmark = pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="needs ../shared/corpora/polnear-dev")

TEXTS = ("huff-post_2016-09-28_clinton-supporting-super-pacs-ta",
         "breitbart_2016-09-28_mary-j-blige-sings-to-hillary-cl",
         "breitbart_2016-09-20_poll-wealthy-voters-abandon-repu",
         "breitbart_2016-09-21_only-percent-of-hillary-clinton-")
METADATA = POLNEAR_DEV.parent / "metadata.tsv"


@pytest.fixture(scope="module")
def ray_address() -> Any:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("batch-inputs") / "texts"
    folder.mkdir()
    for name in TEXTS:
        (folder / f"{name}.txt").write_bytes((POLNEAR_DEV / f"{name}.txt").read_bytes())
    (folder / "latin1.txt").write_bytes("Le pr\xe9sident a dit qu'il viendrait.".encode("latin-1"))
    records = [{"id": "again", "text": (POLNEAR_DEV / f"{TEXTS[0]}.txt").read_text(encoding="utf-8")},
               {"id": "october", "published": "2016-10-02",
                "text": (POLNEAR_DEV / f"{TEXTS[1]}.txt").read_text(encoding="utf-8").replace("Blige", "J. Blige")}]
    (folder / "more.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return [str(folder), str(folder.parent / "missing.txt")]


@pytest.fixture(scope="module")
def batch_output(ray_address: str, inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newsgraph.batch.run import Reading, run_batch
    from newsgraph.ingest.metadata import load_metadata

    out = tmp_path_factory.mktemp("batch") / "out"
    report = run_batch(inputs, out, workers=2, reading=Reading(metadata=load_metadata(METADATA)), block_articles=1)
    assert (report.articles, report.failed) == (6, 2)
    return out


def tables(out: Path) -> dict[str, list[dict[str, Any]]]:
    from newsgraph.batch.output import read_kind
    from newsgraph.batch.tables import KINDS

    return {kind: read_kind(out, kind).to_pylist() for kind in KINDS}


def sorted_rows(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)


def test_batch_rows_are_the_rows_of_analyze_json(batch_output: Path, inputs: list[str], shared_analyzer: Any,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.batch.output import OutputDir
    from newsgraph.batch.tables import RECORD_KINDS, document_of, document_rows
    from newsgraph.cli import main

    main(["analyze", *inputs, "--json", "--metadata", str(METADATA)])
    analysed = [Document.model_validate_json(line) for line in capsys.readouterr().out.splitlines()]
    assert len(analysed) == 6
    by_id = {doc.article.id: doc for doc in analysed}
    got = tables(batch_output)
    # Every kind's rows are those of the documents `analyze --json` prints, with their types kept by Parquet.
    for kind in (*RECORD_KINDS, "entities"):
        expected = [row for doc in analysed for row in document_rows(doc, "")[kind]]
        batch_rows = [{k: v for k, v in row.items() if k != "published_month"} for row in got[kind]]
        assert sorted_rows(batch_rows) == sorted_rows(expected), kind
        assert len(batch_rows) > 0, kind
    assert sorted(r["id"] for r in got["articles"]) == sorted(by_id)
    assert {r["published_month"] for r in got["articles"]} == {"2016-09", "2016-10", "unknown"}
    # And the documents rebuilt from the output are the documents themselves.
    out = OutputDir(batch_output)
    rebuilt = [document_of(rows) for block in out.blocks() for _, rows in out.block_rows(block) if rows["articles"]]
    assert {doc.article.id: doc for doc in rebuilt} == by_id
    failures = sorted((Path(r["source"]).name, r["message"][:11]) for r in got["failures"])
    assert failures == [("latin1.txt", "not UTF-8 t"), ("missing.txt", "no such fil")]


def test_batch_types_are_the_export_types(batch_output: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    events = pq.read_schema(next((batch_output / "events").rglob("*.parquet")))
    assert events.field("published").type == pa.date32()
    assert events.field("location_lat").type == pa.float64()
    assert pa.types.is_list(events.field("actors").type)
    assert "published_month" not in events.names  # (it is the folder's name)


def run_cli(args: list[str], **kwargs: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "newsgraph.cli", *args], cwd=REPO, env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)


def test_a_batch_killed_five_times_and_rerun_gives_the_same_tables(batch_output: Path, inputs: list[str],
                                                                   ray_address: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = ["batch", *inputs, "--output", str(out), "--address", ray_address, "--workers", "1", "--quiet",
               "--metadata", str(METADATA)]
    rng = random.Random(21)
    manifest = out / "_manifest"
    for cycle in range(5):
        before = len(list(manifest.glob("*.json"))) if manifest.is_dir() else 0
        # Killed once while starting (Ray, the pipeline), then while writing: once the next block is in, or in the
        # middle of the blocks that follow it.
        wanted = before + (cycle > 0)
        process = run_cli(command)
        deadline = time.monotonic() + 300  # a hang guard, not a measurement
        if wanted == before:
            time.sleep(rng.uniform(0, 3))
        while process.poll() is None and time.monotonic() < deadline:
            if (len(list(manifest.glob("*.json"))) if manifest.is_dir() else 0) >= wanted:
                time.sleep(rng.uniform(0, 0.1))
                break
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
    final = run_cli(command)
    _, err = final.communicate(timeout=300)
    assert final.returncode in (0, 1), err  # (1: inputs failed in this run)
    assert "done by an earlier run" in err
    got, expected = tables(out), tables(batch_output)
    for kind in expected:
        assert sorted_rows(got[kind]) == sorted_rows(expected[kind]), kind
    from newsgraph.batch.output import OutputDir

    ordinals = [d.ordinal for b in OutputDir(out).blocks() for d in b.done]
    assert len(ordinals) == len(set(ordinals)) == 8


def export_tables(url: str) -> dict[str, list[dict[str, Any]]]:
    from newsgraph.store.connect import open_engine
    from newsgraph.store.export import WHAT, rows
    from newsgraph.store.schema import failures

    engine = open_engine(url)
    try:
        found = {what: [{k: v for k, v in row.items() if k != "ingested_at"} for row in rows(engine, what)]
                 for what in WHAT}
        with engine.connect() as conn:
            found["failures"] = sorted([(r.source, r.message) for r in conn.execute(failures.select())])
        return found
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_load_gives_the_store_that_ingest_gives(backend: str, batch_output: Path, inputs: list[str],
                                                 analyzer: Any, tmp_path: Path) -> None:
    from newsgraph.batch.load import load_output
    from newsgraph.corpus import Ingester
    from newsgraph.ingest.metadata import load_metadata
    from newsgraph.store.connect import open_engine

    (tmp_path / "ingested").mkdir()
    url = fresh_store_url(backend, tmp_path / "ingested")
    engine = open_engine(url)
    Ingester(engine, analyzer=analyzer).run(inputs, metadata=load_metadata(METADATA))
    engine.dispose()
    ingested = export_tables(url)

    url = fresh_store_url(backend, tmp_path)
    engine = open_engine(url)
    first = load_output(engine, batch_output)
    assert (first.stored, first.duplicates, first.existing, first.failures) == (4, 1, 1, 2)
    loaded = export_tables(url)
    again = load_output(engine, batch_output)
    engine.dispose()
    assert (again.stored, again.duplicates, again.existing, again.failures) == (0, 0, 6, 0)
    assert export_tables(url) == loaded
    assert loaded == ingested
    assert len(loaded["actors"]) > 0 and any(r["duplicate_of"] for r in loaded["articles"])


def test_batch_says_in_one_line_what_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.cli import main

    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["batch", "-", "--output", str(tmp_path / "out")]) == 2
    assert main(["batch", str(tmp_path), "--output", str(tmp_path / "file")]) == 2
    assert main(["load", str(tmp_path / "nothing")]) == 2
    # (port 1 of this machine: nothing listens there; Ray alone would retry for many minutes)
    assert main(["batch", str(tmp_path), "--output", str(tmp_path / "out"), "--address", "127.0.0.1:1"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["newsgraph"] * 4
    assert "stdin" in lines[0] and "is a file" in lines[1] and "no such folder" in lines[2]
    assert "cannot reach the Ray cluster at 127.0.0.1:1" in lines[3]


def test_a_local_runtime_gives_its_actors_the_commands_niceness(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.batch.run import _local_system_config

    monkeypatch.delenv("RAY_worker_niceness", raising=False)
    assert _local_system_config() == {"worker_niceness": 0}  # (Ray's own default: 15 steps nicer than the driver)
    monkeypatch.setenv("RAY_worker_niceness", "15")
    assert _local_system_config() == {}  # (the user's setting is Ray's to apply)
