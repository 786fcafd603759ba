"""`newsgraph analyze` (articles to a report or their document JSON) and `newsgraph schema`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph.cli.common import EXIT_INPUT_FAILED, EXIT_OK, CommandError, add_reading_arguments, err_console

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
    failures = done = 0
    with BatchProgress(err, "analysed", total, enabled=not args.quiet and total != 1) as progress:
        analyzer = load_analyzer(args)
        for item in read_inputs(args.paths, published=args.published, max_bytes=args.max_bytes,
                                metadata=args.metadata, allow_private_urls=args.allow_private_urls):
            if isinstance(item, InputProblem):
                failures += 1
                progress.print(f"newsgraph: skipped {item.source}: {item.message}")
                continue
            problem = writer.write(item, analyzer)
            if problem:
                failures += 1
                progress.print(f"newsgraph: failed on {item.source}: {problem}")
            done += 1
            progress.update(done)
    if args.out is not None:
        err.print(f"newsgraph: wrote {writer.written} documents to {args.out}"
                  + (f", {failures} input(s) failed" if failures else ""), markup=False)
    return EXIT_INPUT_FAILED if failures else EXIT_OK


def load_analyzer(args: argparse.Namespace) -> Any:
    from newsgraph.analyzer import Analyzer
    from newsgraph.pipeline import PipelineError

    try:
        return Analyzer(args.model, use_tagger=not args.no_tagger)
    except PipelineError as exc:
        raise CommandError(str(exc)) from None


class DocumentWriter:
    """Where each analysed article goes: a file in --out, a JSON line, or the Rich report on stdout."""

    def __init__(self, out: Path | None, as_json: bool, several: bool) -> None:
        self.out, self.as_json, self.several = out, as_json, several
        self.written = 0

    def write(self, item: ArticleInput, analyzer: Any) -> str | None:
        """Analyse and write one article; the one-line reason when that failed (the batch goes on)."""
        try:
            document = analyzer.analyze(item.text, item.article)
        except Exception as exc:  # a bad article never stops a batch
            return f"{type(exc).__name__}: {exc}"
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

