"""`newsgraph export`: a table of the store as JSON Lines, CSV or Parquet, its places as GeoJSON, or its actor
network as GraphML, GEXF or CSV."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from newsgraph.cli.common import EXIT_INPUT_FAILED, EXIT_OK, CommandError, add_db_argument, open_store, say

# Kept here as literals so that `export --help` needs neither the store nor pyarrow; a test checks them
# against newsgraph.store.export and newsgraph.store.network_export.
WHAT = ("articles", "statements", "events", "actors", "entities", "places", "dates", "amounts", "network")
FORMATS = ("jsonl", "csv", "parquet", "geojson", "graphml", "gexf")
NETWORK_FORMATS = ("graphml", "gexf", "csv")
EDGE_TYPES = ("talks_to", "talks_about", "event", "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID",
              "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
              "ASSAULT")


def add_commands(sub: Any) -> None:
    export = sub.add_parser("export", help="write a table of the store as JSON Lines, CSV or Parquet, its places "
                            "as GeoJSON, or its actor network as GraphML, GEXF or CSV",
                            description="Write one table of the store (--what) to a file or stdout, or with "
                            "--format geojson the places (one per gazetteer entry) as a GeoJSON FeatureCollection, "
                            "or with --what network the actor network (who talks to whom, about whom, and does what "
                            "to whom; one node per corpus actor) as GraphML or GEXF for Gephi and networkx, or its "
                            "edges as CSV. Columns: `newsgraph export --columns` or docs/export.md.")
    export.add_argument("--format", choices=FORMATS, default=None,
                        help="file format (default jsonl; parquet with --all; graphml with --what network); "
                        "geojson: the places on a map")
    export.add_argument("--what", choices=WHAT, default=None,
                        help="which table (default statements; places with --format geojson; network with "
                        "--format graphml or gexf)")
    export.add_argument("--output", metavar="FILE", help="file to write (default stdout); for the network as CSV a "
                        "folder (one that exists, or a path ending in /) gets nodes.csv and edges.csv")
    export.add_argument("--all", type=Path, metavar="DIR", dest="all_dir",
                        help="write every table into DIR as TABLE.FORMAT, and places.geojson, instead of one table")
    export.add_argument("--columns", action="store_true", help="print the column list of every table and stop")
    network = export.add_argument_group("the network (--what network)")
    network.add_argument("--actor", metavar="ACTOR", help="only this actor's ego network: an actor id, or a name as "
                         "`newsgraph actor` takes it")
    network.add_argument("--depth", type=int, default=1, help="with --actor: actors within this many edges of it "
                         "(1 or 2; default 1)")
    network.add_argument("--min-weight", type=int, default=1, metavar="N",
                         help="only edges of at least N statements or events (default 1)")
    network.add_argument("--edge-type", action="append", type=edge_type_name, choices=EDGE_TYPES, metavar="TYPE",
                         help="repeatable: only these edges: talks_to, talks_about, event (every event) or a PLOVER "
                         "event type (ASSAULT, SANCTION, ...)")
    network.add_argument("--since", metavar="YYYY-MM-DD", help="only records on or after this day")
    network.add_argument("--until", metavar="YYYY-MM-DD", help="only records on or before this day")
    network.add_argument("--max-nodes", type=int, metavar="N", help="keep the N actors with the heaviest edges "
                         "(default all)")
    network.add_argument("--connected-only", action="store_true",
                         help="leave out the actors without an edge (by default every corpus actor is a node)")
    add_db_argument(export)
    export.set_defaults(func=cmd_export)


def edge_type_name(value: str) -> str:
    """An edge type in the letter case it is known by (PLOVER types upper case, the others lower)."""
    return value.upper() if value.upper() in EDGE_TYPES else value.lower()


def cmd_export(args: argparse.Namespace) -> int:
    from newsgraph.store.export import columns_markdown, export

    if args.columns:
        print(columns_markdown())
        return EXIT_OK
    if args.all_dir is not None and args.output is not None:
        raise CommandError("export: --all writes a folder of tables; leave out --output (and --what)")
    output = Path(args.output) if args.output else None
    what = args.what or {"geojson": "places", "graphml": "network", "gexf": "network"}.get(args.format or "",
                                                                                          "statements")
    if what == "network":
        return export_the_network(args, output)
    if args.format in ("graphml", "gexf"):
        raise CommandError(f"export: {args.format} holds the actor network: use --what network")
    args.output = output
    engine = open_store(args)
    try:
        if args.all_dir is not None:
            return export_every_table(engine, args.all_dir, args.format or "parquet")
        if args.format == "geojson" and what == "places":
            return export_map(engine, args.output)
        count = export(engine, what, args.format or "jsonl", args.output)
    except (ValueError, OSError) as exc:
        raise CommandError(f"export: {exc}") from None
    if args.output:
        say(f"wrote {count} {what} to {args.output}")
    sys.stdout.flush()
    return EXIT_OK


def export_map(engine: Any, output: Path | None) -> int:
    from newsgraph.store.export import export_geojson

    written = export_geojson(engine, output)
    sys.stdout.flush()
    say(f"wrote {written.places} distinct places{f' to {output}' if output else ''}{left_out(written.unlocated)}")
    return EXIT_OK


def left_out(unlocated: int) -> str:
    return f"; left out {unlocated} without coordinates" if unlocated else ""


def export_every_table(engine: Any, folder: Path, fmt: str) -> int:
    from newsgraph.store.export import export_all

    written = export_all(engine, folder, fmt)
    say(f"wrote {', '.join(f'{n} {what}' for what, n in written.tables.items())} to {folder}/ as {fmt}, and "
        f"{written.map.places} distinct places to {folder / 'places.geojson'}{left_out(written.map.unlocated)}")
    return EXIT_OK


def export_the_network(args: argparse.Namespace, output: Path | None) -> int:
    from newsgraph.store.network import NetworkOptions
    from newsgraph.store.network_export import export_network

    fmt = args.format or "graphml"
    if fmt not in NETWORK_FORMATS:
        raise CommandError(f"export: the network is written as {', '.join(NETWORK_FORMATS)}, not {fmt}")
    if args.all_dir is not None:
        raise CommandError("export: --all writes the tables; export the network on its own")
    engine = open_store(args)
    actor = ego_actor(engine, args.actor) if args.actor else None
    options = NetworkOptions(actor=actor, depth=args.depth, min_weight=args.min_weight,
                             edge_types=tuple(args.edge_type or ()), since=valid_day("since", args.since),
                             until=valid_day("until", args.until), max_nodes=args.max_nodes,
                             isolated=not args.connected_only)
    folder = fmt == "csv" and output is not None and (output.is_dir() or args.output.endswith(("/", os.sep)))
    try:
        written = export_network(engine, fmt, output, options, folder=folder)
    except (ValueError, LookupError, OSError) as exc:
        raise CommandError(f"export: {exc}") from None
    sys.stdout.flush()
    if output is not None:
        say(f"wrote the network of {written.nodes} actors and {written.edges} edges to {', '.join(written.files)}")
    return EXIT_OK


def ego_actor(engine: Any, ref: str) -> int:
    """The actor id of --actor: an id, or the actor `newsgraph actor` shows for a name."""
    from newsgraph.store.query import find_actors

    if ref.isascii() and ref.isdigit():
        return int(ref)
    found = find_actors(engine, ref, limit=1)
    if not found:
        raise CommandError(f"export: no actor named like {ref!r} in the store", EXIT_INPUT_FAILED)
    return int(found[0][0])


def valid_day(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CommandError(f"export: --{name} {value!r} is not a date in the form YYYY-MM-DD") from None
