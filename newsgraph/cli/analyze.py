"""`newsgraph analyze` (articles to a report or their document JSON) and `newsgraph schema`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph.cli.common import (
    EXIT_INPUT_FAILED,
    EXIT_OK,
    CommandError,
    add_reading_arguments,
    budget_of,
    err_console,
)

if TYPE_CHECKING:
    from newsgraph.ingest import ArticleInput
    from newsgraph.records import Document


def add_commands(sub: Any) -> None:
    analyze = sub.add_parser(
        "analyze", help="analyse articles and print a report or their document JSON",
        description="Analyse plain-text files, folders, HTML pages, JSON Lines files (.jsonl: one article a line "
        "with id, text or html, and optional published, title, url, publisher, author), RSS/Atom feeds (files or "
        "URLs), WARC archives, or '-' for stdin. Nothing is stored: `newsgraph ingest` keeps the results.")
    analyze.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, .jsonl file, feed, URL or '-'")
    add_reading_arguments(analyze)
    analyze.add_argument("--json", action="store_true",
                         help="print the document JSON (one document: indented; several: one per line)")
    analyze.add_argument("--out", metavar="DIR", type=Path, help="write one STEM.json (or ID.json) per article")
    analyze.add_argument("--quiet", action="store_true", help="no progress display")
    analyze.set_defaults(func=cmd_analyze)

    schema = sub.add_parser("schema", help="print the JSON Schema of the document JSON",
                            description="Print the JSON Schema (draft 2020-12) of the newsgraph/1 document JSON "
                            "that `analyze --json` writes; docs/schema/ holds the same file.")
    schema.set_defaults(func=cmd_schema)


def cmd_schema(args: argparse.Namespace) -> int:
    from newsgraph.records import document_json_schema

    print(json.dumps(document_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot create --out folder {args.out}: {exc.strerror}") from None
    from newsgraph.cli.progress import BatchProgress
    from newsgraph.ingest import InputProblem, read_inputs
    from newsgraph.ingest.sources import count_articles

    err = err_console()
    total = count_articles(args.paths)
    writer = DocumentWriter(args.out, args.json, several=total != 1)
    counts = {"failed": 0, "done": 0}
    items = read_inputs(args.paths, published=args.published, max_bytes=args.max_bytes, metadata=args.metadata,
                        allow_private_urls=args.allow_private_urls)
    with BatchProgress(err, "analysed", total, enabled=not args.quiet and total != 1) as progress:

        def tasks() -> Iterator[tuple[ArticleInput, str, Any]]:
            for item in items:
                if isinstance(item, InputProblem):
                    counts["failed"] += 1
                    progress.print(f"newsgraph: skipped {item.source}: {item.message}")
                else:
                    yield item, item.text, item.article

        for outcome in analysed(args, tasks()):
            problem = outcome.error if outcome.document is None else writer.write(outcome.tag, outcome.document)
            if problem:
                counts["failed"] += 1
                progress.print(f"newsgraph: failed on {outcome.tag.source}: {problem}")
            counts["done"] += 1
            progress.update(counts["done"])
    if args.out is not None:
        err.print(f"newsgraph: wrote {writer.written} documents to {args.out}"
                  + (f", {counts['failed']} input(s) failed" if counts["failed"] else ""), markup=False)
    return EXIT_INPUT_FAILED if counts["failed"] else EXIT_OK


def analysed(args: argparse.Namespace, tasks: Iterator[tuple[ArticleInput, str, Any]]) -> Iterator[Any]:
    """Each article analysed in a worker process under its time and memory budget, in input order."""
    from newsgraph.pipeline import PipelineError
    from newsgraph.workers import AnalysisPool

    try:
        with AnalysisPool(1, model=args.model, use_tagger=not args.no_tagger, budget=budget_of(args)) as pool:
            yield from pool.analyse(tasks)
    except PipelineError as exc:
        raise CommandError(str(exc)) from None


class DocumentWriter:
    """Where each analysed article goes: a file in --out, a JSON line, or the Rich report on stdout."""

    def __init__(self, out: Path | None, as_json: bool, several: bool) -> None:
        self.out, self.as_json, self.several = out, as_json, several
        self.written = 0

    def write(self, item: ArticleInput, document: Document) -> str | None:
        """Write one analysed article; the one-line reason when that failed (the batch goes on)."""
        if self.out is not None:
            return self.write_file(item.stem, document)
        if self.as_json:
            print(json.dumps(document.to_json_dict(), ensure_ascii=False, indent=None if self.several else 1))
        else:
            from newsgraph.cli.common import out_console
            from newsgraph.cli.document_report import print_report

            print_report(out_console(), document, title=item.source)
        return None

    def write_file(self, stem: str, document: Document) -> str | None:
        assert self.out is not None
        target = self.out / f"{stem}.json"
        try:
            target.write_text(json.dumps(document.to_json_dict(), ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            return f"cannot write {target.name[:80]}: {exc.strerror or exc}"
        self.written += 1
        return None

