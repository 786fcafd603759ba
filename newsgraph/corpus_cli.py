"""The corpus commands of the `newsgraph` CLI: ingest, search, actor, unlink, export."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from newsgraph.ingest import DEFAULT_MAX_BYTES, parse_date

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2
CERTAINTIES = ("asserted", "attributed", "claimed", "hedged", "unconfirmed", "denied", "disputed")
KINDS = ("direct", "indirect", "mixed")


def add_commands(sub: Any) -> None:
    ingest = sub.add_parser(
        "ingest", help="analyse articles and keep them in the store",
        description="Read text files, folders, HTML pages, JSON Lines, RSS/Atom feeds (files or URLs) and WARC "
        "archives; analyse each article and store it with its records. Already stored articles (same URL or same "
        "text) are skipped, near-duplicates are linked to the article they repeat, and bad inputs are reported "
        "and skipped.")
    ingest.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder, .jsonl, feed, URL, .warc(.gz)")
    add_db_argument(ingest)
    ingest.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (overrides the metadata)")
    add_metadata_argument(ingest)
    ingest.add_argument("--workers", type=worker_count, default=1, metavar="N",
                        help="analyse in N processes (default 1)")
    ingest.add_argument("--model", metavar="NAME", help="installed spaCy pipeline to build on")
    ingest.add_argument("--no-tagger", action="store_true", help="rules only: skip the trained attribution tagger")
    ingest.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest article accepted")
    ingest.add_argument("--quiet", action="store_true", help="no progress display")
    ingest.set_defaults(func=cmd_ingest)

    search = sub.add_parser("search", help="search stored statements and events",
                            description="Full-text search over statement contents and event sentences, with "
                            "filters. Words are all required; use \"quotes\" for a phrase, OR between words, "
                            "-word to exclude.")
    search.add_argument("query", nargs="?", default=None, metavar="QUERY")
    add_db_argument(search)
    add_filter_arguments(search)
    search.add_argument("--limit", type=int, default=20, help="results of each kind (default 20)")
    search.set_defaults(func=cmd_search)

    actor = sub.add_parser("actor", help="what an actor said and did, to whom, over time")
    actor.add_argument("name", metavar="NAME")
    add_db_argument(actor)
    actor.add_argument("--why", action="store_true", help="show why each mention was linked to the actor")
    actor.set_defaults(func=cmd_actor)

    unlink = sub.add_parser("unlink", help="undo a link: give an article's entity its own actor",
                            description="Detach entity ENTITY (E3) of article ARTICLE from its actor and give it "
                            "an actor of its own; it is never linked automatically again.")
    unlink.add_argument("article", metavar="ARTICLE")
    unlink.add_argument("entity", metavar="ENTITY")
    add_db_argument(unlink)
    unlink.set_defaults(func=cmd_unlink)

    from newsgraph.store.export import FORMATS, WHAT

    export = sub.add_parser("export", help="write a table of the store as JSON Lines, CSV or Parquet",
                            description="Columns: `newsgraph export --columns` or docs/export.md.")
    export.add_argument("--format", choices=FORMATS, default="jsonl")
    export.add_argument("--what", choices=WHAT, default="statements")
    export.add_argument("--output", type=Path, metavar="FILE", help="file to write (default stdout)")
    export.add_argument("--columns", action="store_true", help="print the column list of every table and stop")
    add_db_argument(export)
    export.set_defaults(func=cmd_export)


    serve = sub.add_parser("serve", help="serve the web UI and the HTTP API over the store",
                           description="Serve the store: web pages at / and the JSON API at /api (docs at /api/docs). "
                           "Binds 127.0.0.1 unless --host says otherwise.")
    add_db_argument(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--write-token", metavar="TOKEN", default=os.environ.get("NEWSGRAPH_WRITE_TOKEN"),
                       help="allow POST /api/ingest with 'Authorization: Bearer TOKEN' "
                       "(default $NEWSGRAPH_WRITE_TOKEN; without it the API is read-only)")
    serve.add_argument("--model", metavar="NAME", help="installed spaCy pipeline for the analyze page")
    serve.add_argument("--workers", type=worker_count, default=1, metavar="N",
                       help="server processes (default 1; a team server: one per core)")
    serve.set_defaults(func=cmd_serve)


def worker_count(value: str) -> int:
    """A number of processes: at least 1, at most four a core."""
    most = (os.cpu_count() or 1) * 4
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {most}, not {value!r}")
    return int(value)


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", default=None,
                        help="SQLAlchemy URL of the store (default $NEWSGRAPH_DB or sqlite:///newsgraph.db)")


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--speaker", metavar="NAME", help="statements by this speaker (events reported by them)")
    parser.add_argument("--actor", metavar="NAME", help="records involving this actor in any role")
    parser.add_argument("--place", metavar="NAME", help="records at or about this place")
    parser.add_argument("--since", metavar="YYYY-MM-DD", type=date_argument)
    parser.add_argument("--until", metavar="YYYY-MM-DD", type=date_argument)
    parser.add_argument("--certainty", action="append", choices=CERTAINTIES, default=[],
                        help="repeatable: keep these certainties")
    parser.add_argument("--kind", action="append", choices=KINDS, default=[], help="repeatable: statement kinds")
    parser.add_argument("--event-type", action="append", default=[], metavar="TYPE",
                        help="repeatable: PLOVER event types (PROTEST, ASSAULT, AID, ...)")


def add_metadata_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--metadata", metavar="TABLE", type=metadata_argument,
                        help="TSV or CSV file with a row an article (a column naming it: id or filename; any of "
                        "published, title, publisher, author, url): those fields for the matching inputs")


def metadata_argument(value: str) -> Any:
    from newsgraph.ingest.metadata import MetadataError, load_metadata

    try:
        return load_metadata(Path(value))
    except MetadataError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def date_argument(value: str) -> str:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def err_console() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def open_store(args: argparse.Namespace) -> Any:
    from newsgraph.store.connect import StoreError, open_engine

    try:
        return open_engine(args.db)
    except StoreError as exc:
        err_console().print(f"newsgraph: {exc}", markup=False)
        return None


def cmd_ingest(args: argparse.Namespace) -> int:
    err = err_console()
    if args.published:
        try:
            args.published = parse_date(args.published)
        except ValueError as exc:
            err.print(f"newsgraph: --published: {exc}", markup=False)
            return EXIT_USAGE
    engine = open_store(args)
    if engine is None:
        return EXIT_USAGE
    from newsgraph.corpus import Ingester
    from newsgraph.corpus_report import IngestProgress
    from newsgraph.pipeline import PipelineError

    with IngestProgress(err, disable=args.quiet or not err.is_terminal) as progress:
        ingester = Ingester(engine, workers=args.workers, model=args.model, use_tagger=not args.no_tagger,
                            listener=progress.update)
        try:
            report = ingester.run(args.sources, args.published, args.max_bytes, metadata=args.metadata)
        except PipelineError as exc:
            err.print(f"newsgraph: {exc}", markup=False)
            return EXIT_USAGE
    for source, message in report.problems:
        err.print(f"newsgraph: skipped {source}: {message}", markup=False)
    err.print(f"newsgraph: {report.stored} stored, {report.duplicates} near-duplicates linked, "
              f"{report.existing} already stored, {report.failed} failed ({report.rate:.1f} articles/s) "
              f"in {engine.url.render_as_string(hide_password=True)}", markup=False)
    from newsgraph.store.query import summary

    total = summary(engine)
    err.print(f"newsgraph: the store holds {total.articles} articles ({total.duplicates} near-duplicates), "
              f"{total.statements} statements, {total.events} events, {total.actors} actors, "
              f"{total.places} place mentions; {total.failures} failed inputs on record", markup=False)
    return EXIT_INPUT_FAILED if report.failed else EXIT_OK


def filters_from(args: argparse.Namespace) -> Any:
    from newsgraph.store.query import Filters

    return Filters(query=args.query, speaker=args.speaker, actor=args.actor, place=args.place, since=args.since,
                   until=args.until, certainty=tuple(args.certainty), kind=tuple(args.kind),
                   event_type=tuple(t.upper() for t in args.event_type))


def cmd_search(args: argparse.Namespace) -> int:
    engine = open_store(args)
    if engine is None:
        return EXIT_USAGE
    from newsgraph.corpus_report import print_search
    from newsgraph.store.query import search

    print_search(Console(highlight=False), search(engine, filters_from(args), limit=args.limit))
    return EXIT_OK


def cmd_actor(args: argparse.Namespace) -> int:
    engine = open_store(args)
    if engine is None:
        return EXIT_USAGE
    from newsgraph.corpus_report import print_actor
    from newsgraph.store.query import actor_view, find_actors

    found = find_actors(engine, args.name)
    if not found:
        err_console().print(f"newsgraph: no actor named like {args.name!r} in the store", markup=False)
        return EXIT_INPUT_FAILED
    view = actor_view(engine, found[0][0])
    assert view is not None
    print_actor(Console(highlight=False), view, others=found[1:], why=args.why)
    return EXIT_OK


def cmd_unlink(args: argparse.Namespace) -> int:
    engine = open_store(args)
    if engine is None:
        return EXIT_USAGE
    from newsgraph.store.write import unlink_entity

    try:
        actor_id = unlink_entity(engine, args.article, args.entity)
    except LookupError as exc:
        err_console().print(f"newsgraph: {exc}", markup=False)
        return EXIT_INPUT_FAILED
    err_console().print(f"newsgraph: {args.article} {args.entity} now has actor {actor_id} of its own", markup=False)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    engine = open_store(args)
    if engine is None:
        return EXIT_USAGE
    import uvicorn

    from newsgraph.server.app import create_app

    shown_host = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host
    err_console().print(f"newsgraph: serving {engine.url.render_as_string(hide_password=True)} at "
                        f"http://{shown_host}:{args.port}/  (API docs: /api/docs; Ctrl-C stops)", markup=False)
    try:
        if args.workers == 1:
            app = create_app(engine=engine, write_token=args.write_token, model=args.model)
            uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
        else:  # each worker process makes its app from the environment
            os.environ.update({"NEWSGRAPH_DB": engine.url.render_as_string(hide_password=False),
                               "NEWSGRAPH_WRITE_TOKEN": args.write_token or "", "NEWSGRAPH_MODEL": args.model or ""})
            engine.dispose()
            uvicorn.run("newsgraph.server.app:create_app_from_environment", factory=True, host=args.host,
                        port=args.port, workers=args.workers, log_level="warning")
    except OSError as exc:
        err_console().print(f"newsgraph: cannot listen on {args.host}:{args.port}: {exc.strerror}", markup=False)
        return EXIT_USAGE
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from newsgraph.store.export import columns_markdown, export

    if args.columns:
        print(columns_markdown())
        return EXIT_OK
    engine = open_store(args)
    if engine is None:
        return EXIT_USAGE
    try:
        count = export(engine, args.what, args.format, args.output)
    except (ValueError, OSError) as exc:
        err_console().print(f"newsgraph: export: {exc}", markup=False)
        return EXIT_USAGE
    if args.output:
        err_console().print(f"newsgraph: wrote {count} {args.what} to {args.output}", markup=False)
    sys.stdout.flush()
    return EXIT_OK
