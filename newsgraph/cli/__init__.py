"""The `newsgraph` command line: one module per command group, each with the Rich output it prints.

    analyze, schema   newsgraph.cli.analyze   (the report of one document: document_report)
    ingest            newsgraph.cli.ingest
    search            newsgraph.cli.search
    actor, unlink,    newsgraph.cli.actors
    merge, unmerge,
    actors (import, relink)
    claims, claim,    newsgraph.cli.claims
    contradictions,
    stories
    export            newsgraph.cli.export
    batch, load       newsgraph.cli.batch
    serve             newsgraph.cli.serve
    stance            newsgraph.cli.stance

Building the parser imports no NLP stack, store or web framework: each command imports what it needs when
it runs, so `newsgraph search --help` answers at once and only the commands that analyse load spaCy.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from newsgraph.cli import actors, analyze, batch, claims, export, ingest, search, serve, stance
from newsgraph.cli.common import EXIT_BROKEN_PIPE, CommandError, say

COMMAND_GROUPS = (analyze, ingest, batch, search, actors, claims, stance, export, serve)


def build_parser() -> argparse.ArgumentParser:
    from newsgraph import __version__

    parser = argparse.ArgumentParser(
        prog="newsgraph",
        description="Turn news reports into a sourced record of who said what and what happened.",
        epilog="`newsgraph COMMAND --help` tells more about each command.",
    )
    parser.add_argument("--version", action="version", version=f"newsgraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_commands(sub)
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = build_parser()
    if argv and argv[0] == "search":
        # argparse would take the query's `-word` exclusions for unknown options.
        kept, excluded = search.exclusions_apart(argv[1:], subcommand(parser, "search"))
        args = parser.parse_args(["search", *kept])
        args.query = [*args.query, *excluded]
        return args
    return parser.parse_args(argv)


def subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of one command (argparse keeps them in its private subparsers action)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[name]
            return found
    raise LookupError(name)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(list(sys.argv[1:] if argv is None else argv))
    try:
        code = int(args.func(args))
        sys.stdout.flush()
    except CommandError as exc:
        say(str(exc))
        return exc.code
    except BrokenPipeError:
        return quiet_broken_pipe()
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    return code


def quiet_broken_pipe() -> int:
    """The reader of stdout went away (`newsgraph export | head`): end quietly, as Unix tools do. Python would
    otherwise complain again when it flushes stdout at exit, so stdout now goes nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # a stdout with no file descriptor (tests capture it)
        pass
    return EXIT_BROKEN_PIPE
