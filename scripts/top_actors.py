"""The corpus actors with the most mentions, with their type and the names they were written as: the list the
issue's bar is read on (no two of the top 300 one person or organisation, none a headline fragment or common noun).

    python scripts/top_actors.py --db sqlite:///polnear.db [--top 300] > top300.txt

Mentions are counted in main versions only (each story once), as everywhere else; an actor merged into another
counts as that one. Each line: rank, actor id, name, type, mentions, articles, then the names seen (with their
number of mentions, most frequent first) and the dictionary's outside id when it has one.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from sqlalchemy import func, select

from newsgraph.store.connect import open_engine
from newsgraph.store.query import main_versions_only
from newsgraph.store.schema import actors, entities, mentions

MAX_NAMES = 8


def top_actors(url: str, top: int) -> list[str]:
    engine = open_engine(url)
    with engine.connect() as conn:
        per_entity = (select(entities.c.actor_id, entities.c.name, entities.c.article_id,
                             func.count(mentions.c.entity_id).label("n"))
                      .join(mentions, mentions.c.entity_id == entities.c.id)
                      .where(entities.c.actor_id.is_not(None), main_versions_only(entities))
                      .group_by(entities.c.id, entities.c.actor_id, entities.c.name, entities.c.article_id))
        counts: Counter[int] = Counter()
        names: dict[int, Counter[str]] = defaultdict(Counter)
        articles: dict[int, set[int]] = defaultdict(set)
        for actor_id, name, article_id, n in conn.execute(per_entity):
            counts[actor_id] += n
            names[actor_id][" ".join(name.split())] += n
            articles[actor_id].add(article_id)
        rows = {r.id: r for r in conn.execute(select(actors.c.id, actors.c.name, actors.c.type, actors.c.outside_id)
                                              .where(actors.c.id.in_([a for a, _ in counts.most_common(top)])))}
    engine.dispose()
    lines = []
    for rank, (actor_id, n) in enumerate(counts.most_common(top), 1):
        row = rows[actor_id]
        seen = "; ".join(f"{name} ({k})" for name, k in names[actor_id].most_common(MAX_NAMES))
        more = f"; +{len(names[actor_id]) - MAX_NAMES} more" if len(names[actor_id]) > MAX_NAMES else ""
        outside = f"  [{row.outside_id}]" if row.outside_id else ""
        lines.append(f"{rank:3d}  #{actor_id:<6d} {row.name}  ·  {row.type}  ·  {n} mentions, "
                     f"{len(articles[actor_id])} articles{outside}  ·  names: {seen}{more}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of the store")
    parser.add_argument("--top", type=int, default=300, help="how many actors (default 300)")
    args = parser.parse_args()
    print("\n".join(top_actors(args.db, args.top)))


if __name__ == "__main__":
    main()
