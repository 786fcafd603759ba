"""`newsgraph search`: stored statements and events by words and filters; the tables of hits it prints."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newsgraph.cli.common import EXIT_OK, add_db_argument, clip, date_argument, open_store, out_console

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from newsgraph.records import EventActor
    from newsgraph.store.query import EventHit, Filters, SearchResult, StatementHit

CERTAINTIES = ("asserted", "attributed", "claimed", "hedged", "unconfirmed", "denied", "disputed")
KINDS = ("direct", "indirect", "mixed")
QUERY_HELP = ('words to find, all required; "quotes" for a phrase, OR between two words, -word to exclude '
              "(a query of exclusions alone finds everything else)")


def add_commands(sub: Any) -> None:
    search = sub.add_parser("search", help="search stored statements and events",
                            description="Full-text search over statement contents and event sentences, with "
                            "filters. Words are all required; use \"quotes\" for a phrase, OR between words, "
                            "-word to exclude: `newsgraph search ceasefire -Putin --since 2022-04-01`.")
    search.add_argument("query", nargs="*", metavar="WORD", help=QUERY_HELP)
    add_db_argument(search)
    add_filter_arguments(search)
    search.add_argument("--limit", type=int, default=20, help="results of each kind (default 20)")
    search.set_defaults(func=cmd_search)


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--speaker", metavar="NAME", help="statements by this speaker (events reported by them)")
    parser.add_argument("--actor", metavar="NAME", help="records involving this actor in any role")
    parser.add_argument("--place", metavar="NAME", help="records at or about a place: part of its name (every "
                        "place of that name), or its key for exactly one (geonames:2988507)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", type=date_argument,
                        help="records dated on or after this day (the utterance or event date, else publication)")
    parser.add_argument("--until", metavar="YYYY-MM-DD", type=date_argument, help="records dated on or before this day")
    parser.add_argument("--certainty", action="append", choices=CERTAINTIES, default=[],
                        help="repeatable: keep these certainties")
    parser.add_argument("--kind", action="append", choices=KINDS, default=[], help="repeatable: statement kinds")
    parser.add_argument("--event-type", action="append", default=[], metavar="TYPE",
                        help="repeatable: PLOVER event types (PROTEST, ASSAULT, AID, ...)")
    parser.add_argument("--min-confidence", type=confidence_argument, metavar="X",
                        help="records at least this sure (0-1; records of unknown confidence are left out)")


def confidence_argument(value: str) -> float:
    from newsgraph.store.query import parse_confidence

    try:
        return parse_confidence(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"a confidence is {exc}") from None


def exclusions_apart(argv: Sequence[str], parser: argparse.ArgumentParser) -> tuple[list[str], list[str]]:
    """Split `-word` query exclusions from the search command's other arguments, which argparse would take
    for unknown options: `newsgraph search trump -putin` searches "trump -putin"."""
    takes_value = {option for action in parser._actions if action.nargs != 0 for option in action.option_strings}
    kept: list[str] = []
    excluded: list[str] = []
    after_option_value = False
    for token in argv:
        if after_option_value:
            kept.append(token)
            after_option_value = False
        elif token == "--" or token.startswith("--") or token in parser._option_string_actions:
            kept.append(token)
            after_option_value = token in takes_value
        elif len(token) > 1 and token[0] == "-" and not token[1].isdigit():
            excluded.append(token)
        else:
            kept.append(token)
    return kept, excluded


def filters_from(args: argparse.Namespace) -> Filters:
    from newsgraph.store.query import Filters

    return Filters(query=" ".join(args.query) or None, speaker=args.speaker, actor=args.actor, place=args.place,
                   since=args.since, until=args.until, certainty=tuple(args.certainty), kind=tuple(args.kind),
                   event_type=tuple(t.upper() for t in args.event_type),
                   min_confidence=getattr(args, "min_confidence", None))


def cmd_search(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.query import search

    print_search(out_console(), search(engine, filters_from(args), limit=args.limit))
    return EXIT_OK


def print_search(console: Console, result: SearchResult) -> None:
    if not result.statements and not result.events:
        console.print("No statements or events match.")
        return
    if result.statements:
        console.print(statement_hits_table(result.statements, f"Statements ({len(result.statements)} shown)"))
    if result.events:
        console.print(event_hits_table(result.events, f"Events ({len(result.events)} shown)"))


def statement_hits_table(hits: list[StatementHit], title: str) -> Table:
    from rich.table import Table

    from newsgraph.cli.document_report import confidence_cell

    table = Table(title=title, expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("speaker", ratio=1, max_width=26)
    table.add_column("kind", no_wrap=True)
    table.add_column("content", ratio=4)
    table.add_column("certainty", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("article", ratio=1, max_width=28)
    for hit in hits:
        st = hit.statement
        table.add_row(hit.day or "", st.speaker.name if st.speaker else "", st.kind, clip(st.content.text, 160),
                      st.certainty, confidence_cell(st.confidence), f"{hit.article.key} {st.id}")
    return table


def names_of(refs: list[EventActor]) -> str:
    return "; ".join(r.name for r in refs)


def event_hits_table(hits: list[EventHit], title: str) -> Table:
    from rich.table import Table

    from newsgraph.cli.document_report import confidence_cell

    table = Table(title=title, expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("actor", ratio=1, max_width=26)
    table.add_column("recipient", ratio=1, max_width=26)
    table.add_column("where", max_width=18)
    table.add_column("sentence", ratio=4)
    table.add_column("certainty", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("article", ratio=1, max_width=28)
    for hit in hits:
        ev = hit.event
        table.add_row(hit.day or "", ev.type, names_of(ev.actors), names_of(ev.recipients),
                      ev.location.name if ev.location else "", clip(hit.sentence, 140), ev.certainty,
                      confidence_cell(ev.confidence), f"{hit.article.key} {ev.id}")
    return table
