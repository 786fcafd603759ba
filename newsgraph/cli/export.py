"""`newsgraph export`: a table of the store as JSON Lines, CSV or Parquet, or its places as GeoJSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsgraph.cli.common import EXIT_OK, CommandError, add_db_argument, open_store, say

# Kept here as literals so that `export --help` needs neither the store nor pyarrow; a test checks them
# against newsgraph.store.export.
WHAT = ("articles", "statements", "events", "actors", "entities", "places", "dates", "amounts")
FORMATS = ("jsonl", "csv", "parquet", "geojson")


def add_commands(sub: Any) -> None:
    export = sub.add_parser("export", help="write a table of the store as JSON Lines, CSV or Parquet, or its "
                            "places as GeoJSON",
                            description="Write one table of the store (--what) to a file or stdout, or with "
                            "--format geojson the places (one per gazetteer entry) as a GeoJSON FeatureCollection. "
                            "Columns: `newsgraph export --columns` or docs/export.md.")
    export.add_argument("--format", choices=FORMATS, default=None,
                        help="file format (default jsonl; parquet with --all); geojson: the places on a map")
    export.add_argument("--what", choices=WHAT, default=None,
                        help="which table (default statements; places with --format geojson)")
    export.add_argument("--output", type=Path, metavar="FILE", help="file to write (default stdout)")
    export.add_argument("--all", type=Path, metavar="DIR", dest="all_dir",
                        help="write every table into DIR as TABLE.FORMAT, and places.geojson, instead of one table")
    export.add_argument("--columns", action="store_true", help="print the column list of every table and stop")
    add_db_argument(export)
    export.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from newsgraph.store.export import columns_markdown, export

    if args.columns:
        print(columns_markdown())
        return EXIT_OK
    if args.all_dir is not None and args.output is not None:
        raise CommandError("export: --all writes a folder of tables; leave out --output (and --what)")
    what = args.what or ("places" if args.format == "geojson" else "statements")
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
