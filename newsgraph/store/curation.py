"""An analyst's corrections of the corpus actors: merge, unmerge, unlink, the actor dictionary, re-linking.

Every edit is one transaction under the write lock and one row of `actor_edits` whose `detail` (JSON) holds what
the edit changed, so it can be shown and undone:

- `merge_actors(KEEP, OTHER)`: OTHER's entities point at KEEP (rule `manual-merge`, pinned, confidence 1), its
  index keys too (so OTHER is never chosen for a new link: its names find KEEP), KEEP's profile takes OTHER's
  names, titles and companions, and OTHER.merged_into = KEEP. The detail keeps each moved entity's previous link
  (rule, evidence, confidence, pinned), both actors' keys and KEEP's profile, name and type before the merge.
- `unmerge_actor(OTHER)` restores exactly that: the entities of the merge go back to OTHER with their old links,
  both actors get their keys back and KEEP its profile (entities linked to KEEP after the merge stay with KEEP).
- `unlink_entity` (store/write.py) is recorded the same way; `merge_actors(OLD, NEW)` undoes it.
- `import_dictionary` creates or updates dictionary actors (origin 'dictionary'); `relink_to_dictionary` moves
  the stored entities written as a dictionary name or alias to that actor (never pinned or hand-edited ones).

Counts are recounted after each edit (`recount_actors`): an actor's article count is the number of distinct
main-version articles with an entity linked to it, as the actor page, search and exports count them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select

from newsgraph.lexicons import table
from newsgraph.records import Article, Document, Entity
from newsgraph.store import linking
from newsgraph.store.schema import actor_edits, actor_keys, actors, articles, entities, lock_for_writing
from newsgraph.store.write import now, profile_from_row, profile_json, record_edit, recount_actors

MANUAL_RULES = ("manual-merge", "manual-unlink")
ACTOR_TYPES = ("PERSON", "ORG", "GPE", "NORP")


class EditError(ValueError):
    """An edit that cannot be made as asked (the message says why, in one line)."""


# --- finding actors -----------------------------------------------------------------------------------------


def _actor_row(conn: Connection, actor_id: int) -> Any:
    row = conn.execute(select(actors).where(actors.c.id == actor_id)).first()
    if row is None:
        raise EditError(f"no actor {actor_id} in the store")
    return row


def _keys_of(conn: Connection, actor_id: int) -> list[str]:
    return sorted(conn.execute(select(actor_keys.c.key).where(actor_keys.c.actor_id == actor_id)).scalars())


def _set_keys(conn: Connection, actor_id: int, keys: Iterable[str]) -> None:
    conn.execute(delete(actor_keys).where(actor_keys.c.actor_id == actor_id))
    rows = [{"key": k, "actor_id": actor_id} for k in sorted(set(keys))]
    if rows:
        conn.execute(actor_keys.insert(), rows)


# --- merge and unmerge --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    keep: int
    other: int
    entities: int
    edit: int


def merge_actors(engine: Engine, keep: int, other: int) -> MergeResult:
    """Merge actor OTHER into actor KEEP (see the module docstring)."""
    with engine.begin() as conn:
        lock_for_writing(conn)
        if keep == other:
            raise EditError(f"cannot merge actor {keep} into itself")
        keep_row, other_row = _actor_row(conn, keep), _actor_row(conn, other)
        if other_row.merged_into is not None:
            raise EditError(f"actor {other} was already merged into actor {other_row.merged_into}")
        if keep_row.merged_into is not None:
            raise EditError(f"actor {keep} was merged into actor {keep_row.merged_into}; merge into that one")
        moved = conn.execute(select(entities.c.id, entities.c.link_rule, entities.c.link_evidence,
                                    entities.c.link_confidence, entities.c.pinned)
                             .where(entities.c.actor_id == other).order_by(entities.c.id)).all()
        keep_profile = profile_from_row(keep, keep_row.name, keep_row.type, keep_row.profile, keep_row.article_count)
        other_profile = profile_from_row(other, other_row.name, other_row.type, other_row.profile,
                                         other_row.article_count)
        keep_keys, other_keys = _keys_of(conn, keep), _keys_of(conn, other)
        evidence = f"merged by hand: {other_row.name} (actor {other}) into {keep_row.name} (actor {keep}) on {now()}"
        conn.execute(entities.update().where(entities.c.actor_id == other).values(
            actor_id=keep, link_rule="manual-merge", link_confidence=1.0, pinned=True,
            link_evidence=evidence))
        combined = linking.combine_profiles(keep_profile, other_profile)
        conn.execute(actors.update().where(actors.c.id == keep).values(profile=profile_json(combined)))
        conn.execute(actors.update().where(actors.c.id == other).values(merged_into=keep))
        _set_keys(conn, keep, [*keep_keys, *other_keys])
        _set_keys(conn, other, [])
        recount_actors(conn, [keep, other])
        edit = record_edit(
            conn, "merge", keep, other, keep_keys=keep_keys, other_keys=other_keys,
            keep_profile=keep_row.profile, keep_name=keep_row.name, keep_type=keep_row.type,
            entities=[[e.id, e.link_rule, e.link_evidence, e.link_confidence, bool(e.pinned)] for e in moved])
        return MergeResult(keep, other, len(moved), edit)


def unmerge_actor(engine: Engine, other: int) -> MergeResult:
    """Undo the merge of actor OTHER (see the module docstring)."""
    with engine.begin() as conn:
        lock_for_writing(conn)
        other_row = _actor_row(conn, other)
        keep = other_row.merged_into
        if keep is None:
            raise EditError(f"actor {other} is not merged into another actor")
        edit_row = conn.execute(select(actor_edits).where(
            actor_edits.c.action == "merge", actor_edits.c.other_id == other, actor_edits.c.actor_id == keep)
            .order_by(actor_edits.c.id.desc()).limit(1)).first()
        if edit_row is None:
            raise EditError(f"no record of the merge of actor {other} into actor {keep}")
        detail = json.loads(edit_row.detail)
        restored = 0
        for entity_id, rule, evidence, confidence, pinned in detail["entities"]:
            restored += conn.execute(entities.update().where(
                entities.c.id == entity_id, entities.c.actor_id == keep, entities.c.link_rule == "manual-merge")
                .values(actor_id=other, link_rule=rule, link_evidence=evidence, link_confidence=confidence,
                        pinned=pinned)).rowcount
        conn.execute(actors.update().where(actors.c.id == keep).values(
            profile=detail["keep_profile"], name=detail["keep_name"], type=detail["keep_type"]))
        conn.execute(actors.update().where(actors.c.id == other).values(merged_into=None))
        _set_keys(conn, keep, detail["keep_keys"])
        _set_keys(conn, other, detail["other_keys"])
        recount_actors(conn, [keep, other])
        edit = record_edit(conn, "unmerge", keep, other, merge_edit=edit_row.id, entities=restored)
        return MergeResult(keep, other, restored, edit)


# --- the actor dictionary -----------------------------------------------------------------------------------

DICTIONARY_COLUMNS = ("name", "aliases", "type", "country", "sector", "outside_id")


@dataclass(frozen=True)
class DictionaryEntry:
    """One row of an analyst's actor dictionary (CSV: name, aliases separated by |, type, country as ISO 3166
    alpha-3, sector, outside_id such as a Wikidata QID)."""

    name: str
    aliases: tuple[str, ...]
    type: str
    country: str | None = None
    sector: str | None = None
    outside_id: str | None = None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)  # one line per bad row


def iso3_codes() -> frozenset[str]:
    return frozenset(row["iso3"] for row in table("countries.tsv"))


def read_dictionary(path: Path) -> tuple[list[DictionaryEntry], list[str]]:
    """The good rows of the CSV file and one line for each bad row ("row 4: type 'PER' is not one of ...")."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            # Lines starting with "#" are notes (the dictionary's sources), not rows.
            numbered = [(n, line) for n, line in enumerate(handle, 1) if not line.lstrip().startswith("#")]
    except (OSError, UnicodeDecodeError) as exc:
        raise EditError(f"cannot read {path}: {exc}") from None
    try:
        reader = csv.DictReader(line for _, line in numbered)
        header = [h.strip().casefold() for h in reader.fieldnames or []]
        if "name" not in header or "type" not in header:
            raise EditError(f"{path}: the first line must name the columns ({', '.join(DICTIONARY_COLUMNS)}); "
                            "name and type are required")
        unknown = sorted(set(header) - set(DICTIONARY_COLUMNS))
        if unknown:
            raise EditError(f"{path}: unknown column(s) {', '.join(unknown)}; the columns are "
                            f"{', '.join(DICTIONARY_COLUMNS)}")
        rows = [(numbered[reader.line_num - 1][0], _normalised(row)) for row in reader]
    except csv.Error as exc:
        raise EditError(f"cannot read {path}: {exc}") from None
    entries: list[DictionaryEntry] = []
    problems: list[str] = []
    codes = iso3_codes()
    for line, row in rows:
        entry = _entry(row, codes)
        if isinstance(entry, str):
            problems.append(f"{path.name} line {line}: {entry}")
        else:
            entries.append(entry)
    return entries, problems


def _normalised(row: dict[Any, Any]) -> dict[str, str] | None:
    """The row with lower-case column names and stripped values; None when it has more fields than columns."""
    if row.get(None):
        return None
    return {str(k).strip().casefold(): (v or "").strip() for k, v in row.items() if k is not None}


def _entry(row: dict[str, str] | None, codes: frozenset[str]) -> DictionaryEntry | str:
    if row is None:
        return "more fields than columns (quote a name that has a comma)"
    name, type_ = row.get("name", ""), row.get("type", "").upper()
    if not name:
        return "no name"
    if type_ not in ACTOR_TYPES:
        return f"type {row.get('type', '')!r} of {name!r} is not one of {', '.join(ACTOR_TYPES)}"
    country = row.get("country", "").upper() or None
    if country is not None and country not in codes:
        return f"country {row.get('country')!r} of {name!r} is not an ISO 3166 alpha-3 code (such as USA, GBR)"
    aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
    return DictionaryEntry(name, aliases, type_, country, row.get("sector") or None, row.get("outside_id") or None)


def import_dictionary(engine: Engine, path: Path) -> ImportReport:
    """Create or update a dictionary actor for each good row: the dictionary actor with the same outside id, else
    with the same name and type, else the most seen linked actor of that type already known by the name (which
    becomes the dictionary's), else a new actor. Bad rows are reported, not imported."""
    entries, problems = read_dictionary(path)
    report = ImportReport(problems=problems)
    with engine.begin() as conn:
        lock_for_writing(conn)
        for entry in entries:
            if _import_entry(conn, entry):
                report.created += 1
            else:
                report.updated += 1
    return report


def _import_entry(conn: Connection, entry: DictionaryEntry) -> bool:
    """Store one entry; True when it made a new actor."""
    row = _existing_for(conn, entry)
    base = profile_from_row(row.id, row.name, row.type, row.profile, row.article_count) if row is not None else None
    iso2 = {row["iso3"]: row["iso2"] for row in table("countries.tsv")}
    profile = linking.dictionary_profile(entry.name, entry.aliases, entry.type, base,
                                         iso2.get(entry.country) if entry.country else None)
    values = dict(name=entry.name, type=entry.type, profile=profile_json(profile), origin="dictionary",
                  country=entry.country, sector=entry.sector, outside_id=entry.outside_id)
    if row is None:
        actor_id = int(conn.execute(actors.insert().returning(actors.c.id).values(
            article_count=0, **values)).scalar_one())
        before: dict[str, Any] = {}
    else:
        actor_id = row.id
        before = {k: row._mapping[k] for k in values}
        conn.execute(actors.update().where(actors.c.id == actor_id).values(**values))
    keys = linking.keys_for_profile(replace_id(profile, actor_id))
    _set_keys(conn, actor_id, [*_keys_of(conn, actor_id), *keys])
    record_edit(conn, "import", actor_id, before=before, entry=entry.__dict__)
    return row is None


def replace_id(profile: linking.ActorProfile, actor_id: int) -> linking.ActorProfile:
    return replace(profile, actor_id=actor_id)


def _existing_for(conn: Connection, entry: DictionaryEntry) -> Any:
    dictionary = actors.c.origin == "dictionary"
    if entry.outside_id:
        row = conn.execute(select(actors).where(dictionary, actors.c.outside_id == entry.outside_id)).first()
        if row is not None:
            return row
    row = conn.execute(select(actors).where(dictionary, actors.c.type == entry.type,
                                            func.lower(actors.c.name) == entry.name.lower())).first()
    if row is not None:
        return row
    key = f"name:{linking.comparable_name(entry.name, entry.type)}"
    return conn.execute(
        select(actors).join(actor_keys, actor_keys.c.actor_id == actors.c.id)
        .where(actor_keys.c.key == key, actors.c.type == entry.type, actors.c.merged_into.is_(None),
               actors.c.origin != "dictionary")
        .order_by(actors.c.article_count.desc(), actors.c.id).limit(1)).first()


# --- re-linking to the dictionary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RelinkReport:
    entities: int  # entities moved to a dictionary actor
    actors: int  # actors whose counts changed


def relink_to_dictionary(engine: Engine, batch: int = 200) -> RelinkReport:
    """Move every stored entity written as a dictionary actor's name or alias to that actor, article by article
    (never a pinned or hand-edited entity); actors left with no entity lose their index keys, so they are never
    chosen again."""
    moved = 0
    touched: set[int] = set()
    with engine.begin() as conn:
        lock_for_writing(conn)
        dictionary = _dictionary_profiles(conn)
        if not dictionary:
            return RelinkReport(0, 0)
        by_form: dict[str, list[linking.ActorProfile]] = {}
        for profile in dictionary.values():
            for form in profile.dictionary_aliases:
                by_form.setdefault(form, []).append(profile)
        for article_id, rows in _entities_by_article(conn, batch):
            found = [Entity.model_validate_json(r.data) for r in rows]
            context = linking.context_of(Document(text="", article=Article(id=str(article_id)), entities=found))
            for row, entity in zip(rows, found, strict=True):
                if row.pinned or (row.link_rule or "").startswith(MANUAL_RULES):
                    continue
                keys = {k.split(":", 1)[1] for k in linking.dictionary_keys(entity)}
                candidates = sorted({p.actor_id: p for f in keys for p in by_form.get(f, [])}.values(),
                                    key=lambda p: p.actor_id or 0)
                decision = linking.decide_link(entity, context, [dictionary[p.actor_id or 0] for p in candidates])
                if decision.rule != linking.DICTIONARY_RULE or decision.actor_id in (None, row.actor_id):
                    continue
                target = decision.actor_id
                assert target is not None
                dictionary[target] = linking.merge_profile(dictionary[target],
                                                           linking.as_linked(entity, decision.as_type), context)
                for form in dictionary[target].dictionary_aliases:
                    by_form[form] = [dictionary[target] if p.actor_id == target else p for p in by_form[form]]
                conn.execute(entities.update().where(entities.c.id == row.id).values(
                    actor_id=target, link_rule=decision.rule, link_confidence=decision.confidence,
                    link_evidence=f"{decision.evidence} (re-linked from actor {row.actor_id})"))
                moved += 1
                touched |= {target} | ({row.actor_id} if row.actor_id else set())
        for actor_id, profile in dictionary.items():
            if actor_id in touched:
                conn.execute(actors.update().where(actors.c.id == actor_id).values(profile=profile_json(profile)))
        recount_actors(conn, touched)
        emptied = conn.execute(select(actors.c.id).where(actors.c.id.in_(sorted(touched)),
                                                         actors.c.article_count == 0,
                                                         actors.c.origin != "dictionary")).scalars().all()
        if emptied:
            conn.execute(delete(actor_keys).where(actor_keys.c.actor_id.in_(emptied)))
        if moved:
            record_edit(conn, "relink", None, entities=moved, actors=sorted(touched))
    return RelinkReport(moved, len(touched))


def _dictionary_profiles(conn: Connection) -> dict[int, linking.ActorProfile]:
    rows = conn.execute(select(actors).where(actors.c.origin == "dictionary", actors.c.merged_into.is_(None)))
    return {r.id: profile_from_row(r.id, r.name, r.type, r.profile, r.article_count) for r in rows}


def _entities_by_article(conn: Connection, batch: int) -> Iterator[tuple[int, Sequence[Any]]]:
    """The entities of each article, in article order, a batch of articles per query."""
    last = 0
    while True:
        ids = conn.execute(select(articles.c.id).where(articles.c.id > last).order_by(articles.c.id)
                           .limit(batch)).scalars().all()
        if not ids:
            return
        last = ids[-1]
        rows = conn.execute(select(entities.c.id, entities.c.article_id, entities.c.actor_id, entities.c.link_rule,
                                   entities.c.pinned, entities.c.data)
                            .where(entities.c.article_id.in_(ids)).order_by(entities.c.article_id,
                                                                                  entities.c.id)).all()
        grouped: dict[int, list[Any]] = {}
        for r in rows:
            grouped.setdefault(r.article_id, []).append(r)
        yield from grouped.items()
