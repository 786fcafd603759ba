"""`newsgraph actor` (what an actor said and did, and why each mention is theirs), the corrections `unlink`,
`merge` and `unmerge`, and `newsgraph actors` (the most seen actors; `actors import FILE.csv` of an actor
dictionary; `actors relink` of the stored entities to it)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from newsgraph.cli.common import EXIT_INPUT_FAILED, EXIT_OK, CommandError, add_db_argument, open_store, out_console, say

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from newsgraph.store.query import ActorView


def add_commands(sub: Any) -> None:
    actor = sub.add_parser(
        "actor", help="what an actor said and did, to whom, over time",
        description="Show the corpus actor best matching NAME (a name, surname or acronym, any letter case, or the "
        "actor id the web UI shows): the names and titles seen, what it said and to whom, what it did and what was "
        "done to it, and who talked about it. Other actors of that name are listed at the end.")
    actor.add_argument("name", metavar="NAME", help="a name as written in the articles, or an actor id (12, #12, "
                       "/actors/12)")
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

    merge = sub.add_parser("merge", help="make two actors one: OTHER's mentions become KEEP's",
                           description="Merge actor OTHER into actor KEEP: OTHER's entities, names and index keys "
                           "go to KEEP, and OTHER's names find KEEP from now on. Recorded; `newsgraph unmerge OTHER` "
                           "undoes it. KEEP and OTHER are actor ids (12, #12, /actors/12) or names.")
    merge.add_argument("keep", metavar="KEEP", help="the actor that stays")
    merge.add_argument("other", metavar="OTHER", help="the actor merged into it")
    add_db_argument(merge)
    merge.set_defaults(func=cmd_merge)

    unmerge = sub.add_parser("unmerge", help="undo `merge`: give a merged actor its mentions back",
                             description="Undo the merge of actor OTHER (an actor id) into another: its entities, "
                             "names and keys return to it, with the links they had.")
    unmerge.add_argument("other", metavar="OTHER", help="the merged actor's id (12, #12, /actors/12)")
    add_db_argument(unmerge)
    unmerge.set_defaults(func=cmd_unmerge)

    listing = sub.add_parser("actors", help="the most seen actors; import an actor dictionary; re-link to it",
                             description="List the corpus actors, most seen first (articles counted once per "
                             "story). `actors import FILE.csv` reads an actor dictionary (columns name, aliases "
                             "separated by |, type PERSON/ORG/GPE/NORP, country ISO 3166 alpha-3, sector, outside_id "
                             "such as a Wikidata QID) whose names and aliases are used first when linking; `actors "
                             "relink` moves stored mentions written as those names to the dictionary's actors.")
    add_db_argument(listing)
    listing.add_argument("--name", default=None, help="only actors whose name contains this")
    listing.add_argument("--limit", type=int, default=50, metavar="N", help="how many (default 50)")
    listing.set_defaults(func=cmd_actors)
    actions = listing.add_subparsers(dest="action", metavar="ACTION", help="import FILE.csv, relink, or history")
    importing = actions.add_parser("import", help="create or update actors from an actor dictionary (CSV)")
    importing.add_argument("file", metavar="FILE.csv")
    add_db_argument(importing)
    importing.set_defaults(func=cmd_import)
    relink = actions.add_parser("relink", help="re-link stored mentions to the dictionary's actors "
                                                "(never hand-edited ones)")
    add_db_argument(relink)
    relink.set_defaults(func=cmd_relink)
    history = actions.add_parser("history", help="the hand edits (merge, unmerge, unlink, import, relink), newest "
                                                  "first, with the command that undoes each")
    history.add_argument("--limit", type=int, default=100, metavar="N", help="how many (default 100)")
    add_db_argument(history)
    history.set_defaults(func=cmd_history)


def cmd_actor(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.query import actor_id_of, actor_view, find_actors

    found = find_actors(engine, args.name)
    if not found:
        what = f"actor {args.name}" if actor_id_of(args.name) is not None else f"actor named like {args.name!r}"
        raise CommandError(f"no {what} in the store", EXIT_INPUT_FAILED)
    wanted = actor_id_of(args.name)
    if wanted is not None and found[0][0] != wanted:
        say(f"actor {wanted} was merged into actor {found[0][0]}")
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
    old = unlinked_from(engine, actor_id)
    undo = f"`newsgraph merge {old} {actor_id}` undoes it" if old is not None else "it had no actor before"
    say(f"{args.article} {args.entity} now has actor {actor_id} of its own ({undo})")
    return EXIT_OK


def unlinked_from(engine: Any, actor_id: int) -> int | None:
    """The actor an unlinked entity had before (recorded with the edit), so the undo command can be given whole."""
    from sqlalchemy import select

    from newsgraph.store.schema import actor_edits

    with engine.connect() as conn:
        old = conn.execute(select(actor_edits.c.actor_id).where(actor_edits.c.action == "unlink",
                                                                 actor_edits.c.other_id == actor_id)
                           .order_by(actor_edits.c.id.desc()).limit(1)).scalar()
    return int(old) if old is not None else None


def actor_ref(engine: Any, ref: str) -> int:
    """The actor id of an id as the web UI writes it, else of the most seen actor of that name."""
    from newsgraph.store.query import actor_id_of, find_actors

    actor_id = actor_id_of(ref)
    if actor_id is not None:
        return actor_id
    found = find_actors(engine, ref, limit=2)
    if not found:
        raise CommandError(f"no actor named like {ref!r} in the store", EXIT_INPUT_FAILED)
    return found[0][0]


def entities(count: int) -> str:
    return f"{count} {'entity' if count == 1 else 'entities'}"


def cmd_merge(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.curation import EditError, merge_actors

    try:
        result = merge_actors(engine, actor_ref(engine, args.keep), actor_ref(engine, args.other))
    except EditError as exc:
        raise CommandError(str(exc), EXIT_INPUT_FAILED) from None
    say(f"merged actor {result.other} into actor {result.keep} ({entities(result.entities)} moved; edit "
        f"{result.edit}; `newsgraph unmerge {result.other}` undoes it)")
    return EXIT_OK


def cmd_unmerge(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.curation import EditError, unmerge_actor
    from newsgraph.store.query import actor_id_of

    other = actor_id_of(args.other)
    if other is None:
        raise CommandError(f"{args.other!r} is not an actor id (12, #12, /actors/12)")
    try:
        result = unmerge_actor(engine, other)
    except EditError as exc:
        raise CommandError(str(exc), EXIT_INPUT_FAILED) from None
    say(f"actor {result.other} is its own again ({entities(result.entities)} back from actor {result.keep})")
    return EXIT_OK


def cmd_actors(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from rich.table import Table

    from newsgraph.store.query import list_actors

    table = Table(title="Actors, most seen first")
    for column in ("id", "name", "type", "articles", "titles", "outside id"):
        table.add_column(column, justify="right" if column in ("id", "articles") else "left")
    for a in list_actors(engine, max(1, args.limit), 0, args.name):
        table.add_row(f"#{a.id}", a.name, a.type, str(a.article_count), ", ".join(a.titles[:4]), a.outside_id or "")
    out_console().print(table)
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from rich.table import Table

    from newsgraph.store.query import list_edits

    edits = list_edits(engine, max(1, args.limit))
    if not edits:
        say("no hand edits of the actors yet")
        return EXIT_OK
    table = Table(title="Hand edits of the actors, newest first")
    for column in ("edit", "at", "action", "actor", "other", "entity", "undone by"):
        table.add_column(column)
    for e in edits:
        table.add_row(f"{e.id}", e.at, e.action, "" if e.actor_id is None else f"#{e.actor_id}",
                      "" if e.other_id is None else f"#{e.other_id}", e.entity or "", e.undo)
    out_console().print(table)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"no file {args.file}", EXIT_INPUT_FAILED)
    engine = open_store(args, create=True)
    from newsgraph.store.curation import EditError, import_dictionary

    try:
        report = import_dictionary(engine, path)
    except EditError as exc:
        raise CommandError(str(exc), EXIT_INPUT_FAILED) from None
    for problem in report.problems:
        say(f"skipped {problem}")
    say(f"imported {report.created + report.updated} dictionary actors ({report.created} new, {report.updated} "
        f"updated), {len(report.problems)} bad rows skipped; `newsgraph actors relink` re-links stored mentions")
    return EXIT_INPUT_FAILED if report.problems else EXIT_OK


def cmd_relink(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.curation import relink_to_dictionary

    report = relink_to_dictionary(engine)
    say(f"re-linked {report.entities} mentions to dictionary actors; {report.actors} actors recounted")
    return EXIT_OK


def counted(pairs: list[tuple[str, int]]) -> str:
    return "; ".join(f"{name} ({n})" for name, n in pairs)


def shown_of(shown: Sequence[object], total: int) -> str:
    """'228' when every record is listed, else '200 of 228'."""
    return f"{len(shown)} of {total}" if total > len(shown) else str(len(shown))


def print_actor(console: Console, view: ActorView, others: list[tuple[int, str, str, int]], why: bool) -> None:
    from rich.table import Table

    from newsgraph.cli.search import event_hits_table, statement_hits_table

    console.rule(f"{view.name}  ·  {view.type}  ·  actor {view.id}  ·  {len(view.articles)} article(s)")
    known = [f"{label} {value}" for label, value in (("outside id", view.outside_id), ("country", view.country),
                                                    ("sector", view.sector)) if value]
    if known:
        console.print("From the actor dictionary: " + "; ".join(known), markup=False)
    console.print("Names seen: " + counted(view.names), markup=False)
    if view.titles:
        console.print("Titles and roles: " + "; ".join(view.titles), markup=False)
    if view.said:
        console.print(statement_hits_table(view.said, f"Said ({shown_of(view.said, view.said_total)})"))
    if view.addressed:
        console.print("Addressed: " + counted(view.addressed), markup=False)
    if view.did:
        console.print(event_hits_table(view.did, f"Did ({shown_of(view.did, view.did_total)})"))
    if view.undergone:
        undergone = shown_of(view.undergone, view.undergone_total)
        console.print(event_hits_table(view.undergone, f"Done to it ({undergone})"))
    if view.talked_about_by:
        console.print("Talked about by: " + counted(view.talked_about_by), markup=False)
    if why:
        table = Table(title="Why each mention is this actor", expand=True)
        for column in ("article", "entity", "name", "rule", "confidence", "evidence"):
            table.add_column(column)
        for link in view.links:
            confidence = "" if link.confidence is None else f"{link.confidence:.2f}"
            table.add_row(link.article, link.entity, link.name, link.rule, confidence, link.evidence)
        console.print(table)
    if others:
        console.print("Other actors with that name: " + "; ".join(f"{name} ({kind}, actor {i}, {n} articles)"
                                                                   for i, name, kind, n in others), markup=False)
