"""`newsgraph batch`: analyse many articles on Ray into Parquet record tables; `newsgraph load`: such an output
into the store."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from newsgraph.cli.common import (
    EXIT_INPUT_FAILED,
    EXIT_OK,
    CommandError,
    add_db_argument,
    add_reading_arguments,
    budget_of,
    err_console,
    open_store,
    worker_count,
)


def add_commands(sub: Any) -> None:
    batch = sub.add_parser(
        "batch", help="analyse many articles on Ray into Parquet tables",
        description="Read the sources as `ingest` does (files, folders, JSON Lines, feeds, URLs, WARC), plus Parquet "
        "datasets with a text column (paths or pyarrow filesystem URLs such as s3://...), analyse them in a pool of "
        "Ray actors, and write one Parquet dataset per record kind into DIR (articles/, statements/, events/, "
        "entities/, places/, dates/, amounts/, failures/), partitioned by publication month, with the `export` "
        "columns. A killed batch is run again with the same command: it goes on where it stopped. "
        "`newsgraph load DIR` puts the output into the store.")
    batch.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder, .jsonl, .parquet, feed, URL, WARC")
    batch.add_argument("--output", required=True, type=Path, metavar="DIR", help="output folder (made if missing)")
    batch.add_argument("--address", metavar="ADDR", help="Ray cluster to run on (e.g. 10.0.0.5:6379 or auto); "
                       "default: a local Ray runtime on this machine")
    batch.add_argument("--workers", type=worker_count, default=1, metavar="N",
                       help="analysis actors, each with the pipeline loaded (default 1); without --address also the "
                       "CPUs of the local runtime")
    add_reading_arguments(batch)
    batch.add_argument("--quiet", action="store_true", help="no progress display")
    batch.set_defaults(func=cmd_batch)

    load = sub.add_parser(
        "load", help="load a batch output into the store",
        description="Write the articles and records of a `newsgraph batch` output into the store, as `ingest` of "
        "the same inputs would (duplicates skipped, near-duplicates linked, entities linked to corpus actors). "
        "Loading the same output again changes nothing.")
    load.add_argument("folder", type=Path, metavar="DIR", help="the --output folder of a batch")
    add_db_argument(load)
    load.add_argument("--quiet", action="store_true", help="no progress display")
    load.set_defaults(func=cmd_load)


def cmd_batch(args: argparse.Namespace) -> int:
    from newsgraph.batch.output import OutputProblem
    from newsgraph.batch.run import RayUnavailable, Reading, run_batch
    from newsgraph.batch.units import BadSource
    from newsgraph.cli.progress import BatchProgress
    from newsgraph.ingest.sources import count_articles
    from newsgraph.pipeline import PipelineError

    reading = Reading(published=args.published, max_bytes=args.max_bytes, metadata=args.metadata,
                      allow_private_urls=args.allow_private_urls, model=args.model, use_tagger=not args.no_tagger,
                      budget=budget_of(args))
    err = err_console()
    total = None if any(s.lower().endswith(".parquet") or "://" in s for s in args.sources) else (
        count_articles(args.sources))
    with BatchProgress(err, "analysed", total, enabled=not args.quiet) as progress:
        def update(report: Any) -> None:
            progress.update(report.done + report.skipped, f"failed {report.failed}")

        try:
            report = run_batch(args.sources, args.output, workers=args.workers, address=args.address,
                               reading=reading, listener=update)
        except (BadSource, OutputProblem, RayUnavailable, PipelineError) as exc:
            raise CommandError(str(exc)) from None
    skipped = f", {report.skipped} done by an earlier run" if report.skipped else ""
    err.print(f"newsgraph: {report.articles} articles analysed, {report.failed} failed{skipped} "
              f"({report.rate:.1f} articles/s) into {args.output}", markup=False)
    return EXIT_INPUT_FAILED if report.failed else EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from newsgraph.batch.load import load_output
    from newsgraph.batch.output import OutputProblem
    from newsgraph.cli.progress import BatchProgress

    if not args.folder.is_dir():
        raise CommandError(f"{args.folder}: no such folder")

    engine = open_store(args, create=True)
    err = err_console()
    with BatchProgress(err, "loaded", None, enabled=not args.quiet) as progress:
        try:
            report = load_output(engine, args.folder, lambda r: progress.update(r.done, f"failures {r.failures}"))
        except OutputProblem as exc:
            raise CommandError(str(exc)) from None
    err.print(f"newsgraph: {report.stored} stored, {report.duplicates} near-duplicates linked, "
              f"{report.existing} already stored, {report.failures} failures recorded, in "
              f"{engine.url.render_as_string(hide_password=True)}", markup=False)
    return EXIT_OK
