"""`newsgraph ingest`: analyse articles and keep them in the store."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from newsgraph.corpus import IngestReport


def add_commands(sub: Any) -> None:
    ingest = sub.add_parser(
        "ingest", help="analyse articles and keep them in the store",
        description="Read text files, folders, HTML pages, JSON Lines, RSS/Atom feeds (files or URLs) and WARC "
        "archives; analyse each article and store it with its records. Already stored articles (same URL or same "
        "text) are skipped, near-duplicates are linked to the article they repeat, and bad inputs are reported, "
        "recorded in the store's failures table and skipped. A killed run is simply run again.")
    ingest.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder, .jsonl, feed, URL, .warc(.gz)")
    add_db_argument(ingest)
    add_reading_arguments(ingest)
    ingest.add_argument("--workers", type=worker_count, default=1, metavar="N",
                        help="analyse in N processes (default 1)")
    ingest.add_argument("--quiet", action="store_true", help="no progress display")
    ingest.add_argument("--no-claims", action="store_true", help="do not group statements into claims across "
                        "articles while ingesting (faster; `newsgraph claims build` does it later)")
    ingest.set_defaults(func=cmd_ingest)


def progress_detail(report: IngestReport) -> str:
    return (f"stored {report.stored}, near-duplicates {report.duplicates}, already stored {report.existing}, "
            f"failed {report.failed}")


def cmd_ingest(args: argparse.Namespace) -> int:
    from newsgraph.cli.progress import BatchProgress
    from newsgraph.corpus import Ingester
    from newsgraph.ingest.sources import count_articles
    from newsgraph.pipeline import PipelineError
    from newsgraph.store.query import summary

    engine = open_store(args, create=True)
    err = err_console()
    with BatchProgress(err, "ingested", count_articles(args.sources), enabled=not args.quiet) as progress:
        ingester = Ingester(engine, workers=args.workers, model=args.model, use_tagger=not args.no_tagger,
                            budget=budget_of(args), claims=not args.no_claims,
                            listener=lambda report: progress.update(report.done, progress_detail(report)))
        try:
            report = ingester.run(args.sources, args.published, args.max_bytes, metadata=args.metadata,
                                  allow_private_urls=args.allow_private_urls)
        except PipelineError as exc:
            raise CommandError(str(exc)) from None
    for source, message in report.problems:
        err.print(f"newsgraph: skipped {source}: {message}", markup=False)
    err.print(f"newsgraph: {report.stored} stored, {report.duplicates} near-duplicates linked, "
              f"{report.existing} already stored, {report.failed} failed ({report.rate:.1f} articles/s) "
              f"in {engine.url.render_as_string(hide_password=True)}", markup=False)
    total = summary(engine)
    err.print(f"newsgraph: the store holds {total.articles} articles ({total.duplicates} near-duplicates), "
              f"{total.statements} statements, {total.events} events, {total.actors} actors, "
              f"{total.places} place mentions; {total.failures} failed inputs on record", markup=False)
    return EXIT_INPUT_FAILED if report.failed else EXIT_OK
