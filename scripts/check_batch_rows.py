"""Check that a `newsgraph batch` output holds, per record kind, exactly the rows of `newsgraph analyze --out` for
the same inputs (issue 21's bar on the PolNeAR dev articles):

    newsgraph batch CORPUS/text --output OUT --metadata CORPUS/metadata.tsv
    newsgraph analyze CORPUS/text --out DOCS --metadata CORPUS/metadata.tsv
    python scripts/check_batch_rows.py OUT DOCS

Prints one line per kind (rows in the batch, rows of the documents, whether they are the same) and exits 1 when any
kind differs. The articles' `source` column is left out (`analyze` does not write where an article came from).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsgraph.batch.output import read_kind
from newsgraph.batch.tables import KINDS, PARTITION, document_rows
from newsgraph.records import Document


def canonical(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps({k: v for k, v in row.items() if k not in (PARTITION, "source")}, sort_keys=True,
                             default=str) for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path, help="the batch's --output folder")
    parser.add_argument("documents", type=Path, help="the folder of analyze --out (one JSON document an article)")
    args = parser.parse_args()
    documents = [Document.model_validate_json(p.read_text(encoding="utf-8"))
                 for p in sorted(args.documents.glob("*.json"))]
    expected: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS if kind != "failures"}
    for doc in documents:
        for kind, rows in document_rows(doc, "").items():
            expected[kind] += rows
    differs = False
    for kind, rows in expected.items():
        got = read_kind(args.output, kind).to_pylist()
        same = canonical(got) == canonical(rows)
        differs |= not same
        print(f"{kind:<11} batch {len(got):>6}  analyze {len(rows):>6}  {'same' if same else 'DIFFERENT'}")
    print(f"failures    batch {read_kind(args.output, 'failures').num_rows:>6}")
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
