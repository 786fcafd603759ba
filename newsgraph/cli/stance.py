"""`newsgraph stance`: the stance of articles toward claims, one JSON line per pair.

Pairs are {"id", "claim", "article"}, `article` an id in the --articles JSON Lines file (read as `analyze`
reads JSON Lines). A pair that cannot be read (bad JSON, a missing field, an unknown article) is a one-line
error on stderr and is counted; the run goes on. Pairs are predicted in chunks so that each body is encoded
once per chunk (and kept between chunks while it is in the predictor's cache).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsgraph.cli.common import EXIT_INPUT_FAILED, EXIT_OK, CommandError, err_console

# Pairs predicted together: large enough to batch the encoder well, small enough to show progress.
CHUNK = 512


def add_commands(sub: Any) -> None:
    stance = sub.add_parser(
        "stance", help="the stance of articles toward claims (agree, disagree, discuss, unrelated)",
        description="Read claim-article pairs (JSON Lines: id, claim, article) and write one line a pair: "
        '{"id", "stance", "confidence", "evidence": [{"start", "end", "text"}]}, the evidence offsets into the '
        "article text. Articles come from a JSON Lines file of {id, text (or html)}, as `analyze` reads it.")
    stance.add_argument("pairs", type=Path, metavar="PAIRS.jsonl", help='pairs {"id", "claim", "article"}')
    stance.add_argument("--articles", type=Path, required=True, metavar="ARTICLES.jsonl",
                        help="the articles, one JSON object a line with id and text (or html)")
    stance.add_argument("--out", type=Path, metavar="FILE", help="write the lines here (default stdout)")
    stance.add_argument("--model", type=Path, metavar="DIR",
                        help="a stance model folder from scripts/train_stance.py (default: the shipped model)")
    stance.add_argument("--quiet", action="store_true", help="no progress display")
    stance.set_defaults(func=cmd_stance)


def read_articles(path: Path, report: Any) -> dict[str, str]:
    """Article id -> text; a bad article line is reported and skipped."""
    from newsgraph.ingest import InputProblem
    from newsgraph.ingest.jsonl import read_jsonl
    from newsgraph.limits import MAX_ARTICLE_CHARS

    if not path.is_file():
        raise CommandError(f"no such articles file: {path}")
    texts: dict[str, str] = {}
    for item in read_jsonl(path, published=None, max_bytes=MAX_ARTICLE_CHARS):
        if isinstance(item, InputProblem):
            report(f"newsgraph: skipped article {item.source}: {item.message}")
        else:
            texts[item.stem] = item.text
    return texts


class BadPair(ValueError):
    """Why a pair line cannot be predicted."""


def parse_pair(raw: str, articles: dict[str, str]) -> tuple[str, str, str]:
    """(id, claim, article text) of one pair line."""
    try:
        record = json.loads(raw)
    except ValueError as exc:
        raise BadPair(f"not valid JSON: {str(exc).splitlines()[0][:120]}") from None
    if not isinstance(record, dict):
        raise BadPair('a pair must be an object {"id", "claim", "article"}')
    ident, claim, article = record.get("id"), record.get("claim"), record.get("article")
    if ident is None or isinstance(ident, dict | list):
        raise BadPair("pair has no 'id'")
    if not isinstance(claim, str) or not claim.strip():
        raise BadPair(f"pair {ident}: no 'claim' text")
    if article is None or str(article) not in articles:
        raise BadPair(f"pair {ident}: unknown article {str(article)[:80]!r}")
    return str(ident), claim, articles[str(article)]


def pair_lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    yield lineno, line
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None


def cmd_stance(args: argparse.Namespace) -> int:
    from newsgraph.cli.progress import BatchProgress, eta_phrase

    class PairProgress(BatchProgress):
        def plain_line(self, done: int, rate: float) -> str:
            assert self.total is not None
            left = f", about {eta_phrase((self.total - done) / rate)} left" if rate > 0 and done < self.total else ""
            return f"stance of {done} of {self.total} pairs ({rate:.1f}/s{left})"

    if not args.pairs.is_file():
        raise CommandError(f"no such pairs file: {args.pairs}")
    err = err_console()
    total = sum(1 for _ in pair_lines(args.pairs))
    counts = {"done": 0, "failed": 0}
    with PairProgress(err, "stance of", total, enabled=not args.quiet) as progress:

        def report(line: str) -> None:
            progress.print(line)

        articles = read_articles(args.articles, report)
        predictor = _predictor(args.model)
        out = _open_out(args.out)
        try:
            chunk: list[tuple[str, str, str]] = []
            for lineno, raw in pair_lines(args.pairs):
                try:
                    chunk.append(parse_pair(raw, articles))
                except BadPair as exc:
                    counts["failed"] += 1
                    counts["done"] += 1
                    report(f"newsgraph: {args.pairs}:{lineno}: {exc}")
                if len(chunk) >= CHUNK:
                    _write_chunk(predictor, chunk, out, counts, progress)
                    chunk = []
            _write_chunk(predictor, chunk, out, counts, progress)
        finally:
            if out is not sys.stdout:
                out.close()
    written = counts["done"] - counts["failed"]
    err.print(f"newsgraph: {written} pairs" + (f" written to {args.out}" if args.out else "")
              + (f", {counts['failed']} failed" if counts["failed"] else ""), markup=False)
    return EXIT_INPUT_FAILED if counts["failed"] else EXIT_OK


def _predictor(folder: Path | None) -> Any:
    from newsgraph.embeddings import EncoderUnavailable
    from newsgraph.stance import StancePredictor
    from newsgraph.stance.model import ModelMismatch, StanceModel

    try:
        model = StanceModel.read(folder) if folder is not None else None
        return StancePredictor(model)
    except (OSError, KeyError, ValueError) as exc:
        raise CommandError(f"cannot read the stance model in {folder}: {exc}") from None
    except (EncoderUnavailable, ModelMismatch) as exc:
        raise CommandError(str(exc)) from None


def _open_out(path: Path | None) -> IO[str]:
    if path is None:
        return sys.stdout
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_chunk(predictor: Any, chunk: list[tuple[str, str, str]], out: IO[str], counts: dict[str, int],
                 progress: Any) -> None:
    if not chunk:
        return
    stances = predictor.predict([(claim, text) for _, claim, text in chunk])
    for (ident, _, _), stance in zip(chunk, stances, strict=True):
        line = {"id": ident, "stance": stance.stance, "confidence": stance.confidence,
                "evidence": [{"start": e.start, "end": e.end, "text": e.text} for e in stance.evidence]}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    counts["done"] += len(chunk)
    progress.update(counts["done"])
