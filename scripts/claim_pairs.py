"""Pairs of statements from different articles of a store, drawn by similarity band, for setting the claim
thresholds of newsgraph.store.claims by reading (`SAME_SPEAKER`, `OTHER_SPEAKER`).

    python scripts/claim_pairs.py --db sqlite:////tmp/claims840.db --per-band 12 --seed 7 > pairs.md

For each band of cosine similarity (0.70-0.75, ..., 0.95-1.00) and each of same speaker / other speakers with a
shared actor, it prints a fixed-seed sample of candidate pairs (said within the date window, both long enough)
with the counts, so the reader marks each pair "one claim" or not and reads off the band where most are.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict

import numpy as np
from sqlalchemy import select

from newsgraph.store.claims import MIN_WORDS, claim_words, vector_of, within_window
from newsgraph.store.connect import open_engine
from newsgraph.store.schema import articles, entities, statement_vectors, statements

BANDS = [round(0.70 + 0.05 * i, 2) for i in range(6)]


def similar_pairs(matrix: np.ndarray, floor: float, block: int = 1000) -> list[tuple[int, int, float]]:
    """(i, j, similarity) of the rows i < j at least `floor` alike, a block of rows at a time (bounded memory)."""
    found = []
    for start in range(0, len(matrix), block):
        scores = matrix[start:start + block] @ matrix.T
        for i, j in zip(*np.nonzero(scores >= floor), strict=True):
            if start + i < j:
                found.append((int(start + i), int(j), float(scores[i, j])))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--per-band", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with open_engine(args.db).connect() as conn:
        rows = conn.execute(select(statement_vectors.c.statement_id, statement_vectors.c.article_id,
                                   statement_vectors.c.day, statement_vectors.c.actors, statement_vectors.c.vector,
                                   statements.c.content, entities.c.actor_id, articles.c.key)
                            .join(statements, statements.c.id == statement_vectors.c.statement_id)
                            .join(articles, articles.c.id == statements.c.article_id)
                            .outerjoin(entities, entities.c.id == statements.c.speaker_entity)).all()
    rows = [r for r in rows if claim_words(r.content) >= MIN_WORDS]
    matrix = np.stack([vector_of(r.vector) for r in rows])
    pairs: dict[tuple[str, float], list[tuple[float, int, int]]] = defaultdict(list)
    for i, j, score in similar_pairs(matrix, BANDS[0]):
        one, other = rows[i], rows[j]
        if one.article_id == other.article_id or not within_window(one.day, other.day):
            continue
        same = one.actor_id is not None and one.actor_id == other.actor_id
        shared = set(json.loads(one.actors)) & set(json.loads(other.actors))
        if not same and not shared:
            continue
        band = max(b for b in BANDS if score >= b)
        pairs[("same speaker" if same else "other speakers, shared actor", band)].append((float(score), i, j))
    chooser = random.Random(args.seed)
    for (kind, band), found in sorted(pairs.items()):
        print(f"\n## {kind}, similarity {band:.2f}-{band + 0.05:.2f}: {len(found)} pairs\n")
        for score, i, j in chooser.sample(found, min(args.per_band, len(found))):
            print(f"- {score:.3f} | {rows[i].key}: {rows[i].content!r}\n  | {rows[j].key}: {rows[j].content!r}")


if __name__ == "__main__":
    main()
