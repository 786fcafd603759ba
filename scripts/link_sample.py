"""A random sample of a store's cross-article links, by confidence band, each with the text around the linked
mention and around a mention of the actor in another article: read them to check the links by hand (how the
bands of newsgraph.store.linking.CONFIDENCE_BANDS were checked: the result is noted beside them).

    python scripts/link_sample.py --db sqlite:///polnear.db --per-band 15 --seed 19 > sample.txt
"""

from __future__ import annotations

import argparse
import random

from sqlalchemy import select

from newsgraph.store.connect import open_engine
from newsgraph.store.schema import articles, entities, mentions

BANDS = ((0.9, 1.01), (0.75, 0.9), (0.6, 0.75), (0.0, 0.6))
LINK_RULES = ("same-name", "name-variant", "spelling-variant", "surname", "surname-most-seen", "acronym", "title",
              "dictionary")
WINDOW = 110


def context(text: str, start: int, end: int) -> str:
    left, right = max(0, start - WINDOW), min(len(text), end + WINDOW)
    return " ".join((text[left:start] + "[[" + text[start:end] + "]]" + text[end:right]).split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--per-band", type=int, default=15)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    engine = open_engine(args.db)
    rng = random.Random(args.seed)
    with engine.connect() as conn:
        rows = conn.execute(select(entities.c.id, entities.c.article_id, entities.c.actor_id, entities.c.name,
                                   entities.c.link_rule, entities.c.link_confidence)
                            .where(entities.c.link_rule.in_(LINK_RULES))).all()
        for low, high in BANDS:
            band = [r for r in rows if r.link_confidence is not None and low <= r.link_confidence < high]
            print(f"=== confidence {low:.2f}-{min(high, 1.0):.2f}: {len(band)} links, {args.per_band} drawn")
            for r in rng.sample(band, min(args.per_band, len(band))):
                here = mention_context(conn, r.id, r.article_id)
                other = conn.execute(select(entities.c.id, entities.c.article_id, entities.c.name)
                                     .where(entities.c.actor_id == r.actor_id, entities.c.article_id != r.article_id,
                                            entities.c.link_rule.in_(("new", "same-name", "dictionary",
                                                                      "name-mismatch")))
                                     .order_by(entities.c.id).limit(1)).first()
                there = mention_context(conn, other.id, other.article_id) if other else "(no other article)"
                print(f"- {r.link_confidence:.2f} {r.link_rule}: '{r.name}' -> actor {r.actor_id}"
                      f"{' (' + other.name + ')' if other else ''}\n    here:  {here}\n    there: {there}")
    engine.dispose()


def mention_context(conn, entity_id: int, article_id: int) -> str:  # type: ignore[no-untyped-def]
    span = conn.execute(select(mentions.c.start, mentions.c.end).where(mentions.c.entity_id == entity_id)
                        .order_by(mentions.c.start).limit(1)).first()
    text = conn.execute(select(articles.c.text).where(articles.c.id == article_id)).scalar_one()
    return context(text, span.start, span.end) if span else "(no mention)"


if __name__ == "__main__":
    main()
