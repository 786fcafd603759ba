"""`newsgraph actor` (what an actor said and did, and why each mention is theirs) and `newsgraph unlink`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from newsgraph.cli.common import EXIT_INPUT_FAILED, EXIT_OK, CommandError, add_db_argument, open_store, out_console, say

if TYPE_CHECKING:
    from rich.console import Console

    from newsgraph.store.query import ActorView


def add_commands(sub: Any) -> None:
    actor = sub.add_parser(
        "actor", help="what an actor said and did, to whom, over time",
        description="Show the corpus actor best matching NAME (a name, surname or acronym, any letter case, or the "
        "actor id the web UI shows): the names and titles seen, what it said and to whom, what it did and what was "
        "done to it, and who talked about it. Other actors of that name are listed at the end.")
    actor.add_argument("name", metavar="NAME", help="a name as written in the articles, or an actor id")
    add_db_argument(actor)
    actor.add_argument("--why", action="store_true", help="show why each mention was linked to the actor "
                       "(article, entity id for `unlink`, rule, evidence)")
    actor.set_defaults(func=cmd_actor)

    unlink = sub.add_parser("unlink", help="undo a link: give an article's entity its own actor",
                            description="Detach entity ENTITY (E3) of article ARTICLE from its actor and give it "
                            "an actor of its own; it is never linked automatically again. `actor NAME --why` "
                            "lists the article and entity of every link.")
    unlink.add_argument("article", metavar="ARTICLE", help="the article's key (its id)")
    unlink.add_argument("entity", metavar="ENTITY", help="the entity's id in that article, e.g. E3")
    add_db_argument(unlink)
    unlink.set_defaults(func=cmd_unlink)


def cmd_actor(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.query import actor_view, find_actors

    found = find_actors(engine, args.name)
    if not found:
        raise CommandError(f"no actor named like {args.name!r} in the store", EXIT_INPUT_FAILED)
    view = actor_view(engine, found[0][0])
    assert view is not None  # find_actors returned its id from the same store
    print_actor(out_console(), view, others=found[1:], why=args.why)
    return EXIT_OK


def cmd_unlink(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.write import unlink_entity

    try:
        actor_id = unlink_entity(engine, args.article, args.entity)
    except LookupError as exc:
        raise CommandError(str(exc), EXIT_INPUT_FAILED) from None
    say(f"{args.article} {args.entity} now has actor {actor_id} of its own")
    return EXIT_OK


def counted(pairs: list[tuple[str, int]]) -> str:
    return "; ".join(f"{name} ({n})" for name, n in pairs)


def print_actor(console: Console, view: ActorView, others: list[tuple[int, str, str, int]], why: bool) -> None:
    from rich.table import Table

    from newsgraph.cli.search import event_hits_table, statement_hits_table

    console.rule(f"{view.name}  ·  {view.type}  ·  actor {view.id}  ·  {len(view.articles)} article(s)")
    console.print("Names seen: " + counted(view.names), markup=False)
    if view.titles:
        console.print("Titles and roles: " + "; ".join(view.titles), markup=False)
    if view.said:
        console.print(statement_hits_table(view.said, f"Said ({len(view.said)})"))
    if view.addressed:
        console.print("Addressed: " + counted(view.addressed), markup=False)
    if view.did:
        console.print(event_hits_table(view.did, f"Did ({len(view.did)})"))
    if view.undergone:
        console.print(event_hits_table(view.undergone, f"Done to it ({len(view.undergone)})"))
    if view.talked_about_by:
        console.print("Talked about by: " + counted(view.talked_about_by), markup=False)
    if why:
        table = Table(title="Why each mention is this actor", expand=True)
        for column in ("article", "name", "rule", "evidence"):
            table.add_column(column)
        for row in view.links:
            table.add_row(*row)
        console.print(table)
    if others:
        console.print("Other actors with that name: " + "; ".join(f"{name} ({kind}, actor {i}, {n} articles)"
                                                                   for i, name, kind, n in others), markup=False)
