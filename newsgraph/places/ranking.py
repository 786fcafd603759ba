"""Ranking: the features of a gazetteer candidate for a mention in its article, and the learned ranker
that scores them (`newsgraph/models/place_ranker/`, trained by `scripts/train_place_ranker.py`).

A mention's candidates are the gazetteer entries of its name. Each gets a sparse feature dict (name ->
value; absent names are 0): its prominence, its class, how its name matched, what the mention's form
and context words say ("the city of X", "X County", "Paris, Texas"), what the rest of the article names
(country and admin votes, the dateline, distances to its clear places) and the hand-weighted score of
`resolution.candidate_scores`. The ranker is a linear model read from plain JSON and applied per mention
as a softmax over its candidates: the highest score wins. It runs in two rounds: the first on these
features, the second with the places the first chose for the article's other mentions (nearness,
shared countries and admin units), as an article's places tend to lie together.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from newsgraph.lexicons import MODELS_DIR
from newsgraph.linear import Features, LinearScorer
from newsgraph.places.cues import Cues, cues
from newsgraph.places.gazetteer import WORLD_CITY, Entry, Gazetteer, km, name_key, within
from newsgraph.places.mentions import Mention

if TYPE_CHECKING:  # resolution imports this module to rank its candidates
    from newsgraph.places.resolution import Context

MODEL_DIR = MODELS_DIR / "place_ranker"
MODEL_FILE = "weights.json"

# Candidate classes, one-hot; a class not listed (a new gazetteer's) counts as "other".
FEATURE_CLASSES = ("country", "continent", "admin1", "admin2", "admin3", "city", "region", "water", "landmark",
                   "facility")
ADMIN_CLASSES = frozenset({"admin1", "admin2", "admin3", "region"})
# Classes whose point is a place, not the middle of an area: distances from them mean something.
LOCAL_CLASSES = frozenset({"city", "admin2", "admin3", "landmark", "facility"})
# Distance bands (km): 161 km is the acc@161 radius of geoparsing evaluations.
NEAR_BANDS = (50, 161, 400)
FAR_KM = 1000.0


# --- the article's evidence --------------------------------------------------------------------


@dataclass
class Evidence:
    """What the article says about where its places lie, beyond each mention's own name."""

    gaz: Gazetteer
    lowers: Sequence[str]
    # (mention key, entry) of the readings clear without context (build_context's anchors)
    clear: list[tuple[str, Entry]]
    dateline: tuple[str, Entry] | None
    # The mentions next to each in a list ("Texas, Kansas and Ohio"), by id(mention)
    neighbours: dict[int, list[Mention]] = field(default_factory=dict)
    # The nearest other-named mention before and after each, within a few tokens, by id(mention): places
    # named close together in the text tend to lie close together ("Springfield, Missouri, lies in
    # Greene County")
    nearby: dict[int, list[Mention]] = field(default_factory=dict)
    # Keys of the names the article uses for an actor somewhere ("Washington wants"): a government's seat
    actor_keys: frozenset[str] = frozenset()
    # (mention key, entry) chosen for every mention in the first round; empty before it
    chosen: list[tuple[str, Entry]] = field(default_factory=list)
    # the keys of `chosen` by country and by (country, admin1), built once for the list it was built from
    _chosen_index: tuple[list[tuple[str, Entry]], ChosenKeys] | None = None

    def chosen_keys(self) -> ChosenKeys:
        if self._chosen_index is None or self._chosen_index[0] is not self.chosen:
            self._chosen_index = (self.chosen, ChosenKeys.of(self.chosen))
        return self._chosen_index[1]


@dataclass
class ChosenKeys:
    """Which mention keys the first round placed where: asked for every candidate of every mention, so
    built once (scanning `Evidence.chosen` each time was quadratic in the article's places)."""

    all: set[str]
    by_country: dict[str, set[str]]
    by_admin: dict[tuple[str | None, str], set[str]]

    @staticmethod
    def of(chosen: list[tuple[str, Entry]]) -> ChosenKeys:
        index = ChosenKeys(set(), {}, {})
        for k, o in chosen:
            index.all.add(k)
            if o.country:
                index.by_country.setdefault(o.country, set()).add(k)
            index.by_admin.setdefault((o.country, _admin_of(o)), set()).add(k)
        return index


LIST_GLUE = frozenset({",", "and", "or", "&", "as well as"})


NEARBY_TOKENS = 25


def nearby_mentions(mentions: Sequence[Mention]) -> dict[int, list[Mention]]:
    """For each mention, the closest mention of another name before it and after it, within
    NEARBY_TOKENS tokens."""
    ordered = sorted((m for m in mentions if m.entries), key=lambda m: m.start)
    out: dict[int, list[Mention]] = {}
    for i, m in enumerate(ordered):
        before = next((o for o in reversed(ordered[:i]) if o.key != m.key), None)
        after = next((o for o in ordered[i + 1:] if o.key != m.key), None)
        out[id(m)] = [o for o in (before, after)
                      if o is not None and min(abs(o.start - m.end), abs(m.start - o.end)) <= NEARBY_TOKENS]
    return out


def list_neighbours(mentions: Sequence[Mention], lowers: Sequence[str]) -> dict[int, list[Mention]]:
    """The mentions each one shares a list with, next to it: only commas and "and"/"or" between them."""
    ordered = sorted(mentions, key=lambda m: m.start)
    out: dict[int, list[Mention]] = {id(m): [] for m in ordered}
    for a, b in pairwise(ordered):
        between = lowers[a.end:b.start]
        if between and len(between) <= 2 and all(w in LIST_GLUE for w in between) and between != [","] * 2:
            out[id(a)].append(b)
            out[id(b)].append(a)
    return out


# --- features ----------------------------------------------------------------------------------


def mention_cues(m: Mention, lowers: Sequence[str], c: Cues) -> dict[str, bool]:
    """The general place words around a mention: "the town of X", "X County", "Lake X", "X River"."""
    before = {lowers[i] for i in (m.start - 1, m.start - 2) if 0 <= i < len(lowers)}
    after = lowers[m.end] if m.end < len(lowers) else ""
    last = lowers[m.end - 1] if m.end > m.start else ""
    first = lowers[m.start] if m.end > m.start else ""
    natural = _lowered(c["natural_head"]) | _lowered(c["natural_prefix"])
    return {
        "settlement": bool(before & c["settlement_noun"]) or after in c["settlement_noun"],
        "admin": after in c["admin_suffix"] or (m.end - m.start > 1 and last in c["admin_suffix"])
        or bool(before & c["admin_suffix"]),
        "natural": bool(before & natural) or after in natural or (m.end - m.start > 1 and (
            last in natural or first in natural)),
    }


@cache
def _lowered(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def candidate_features(m: Mention, hand: dict[int, float], allowed: list[Entry] | None, ev: Evidence,
                       ctx: Context) -> list[Features]:
    """The features of each of the mention's candidates (in `m.entries` order), given their hand scores
    (by id(entry)) and the units a qualifier allows."""
    entries = m.entries
    pops = [math.log10(e.population + 10) for e in entries]
    top_pop = max(pops)
    by_pop = sorted(range(len(entries)), key=lambda i: -entries[i].population)
    rank = {i: r for r, i in enumerate(by_pop)}
    log_n = math.log(len(entries))
    named_town = towns_named_alike(entries)
    around = mention_cues(m, ev.lowers, cues())
    near = _nearness("clear", entries, _anchors(ev.clear, m.key))
    leading = ctx.leading_countries(m.key)
    aliased = ev.gaz.aliased(m.key)
    # "California, Colorado, Georgia": a name after a comma that a list goes on past is no qualifier.
    listed = m.qualifier is not None and any(o is not m for o in ev.neighbours.get(id(m.qualifier), ()))
    total = sum(ctx.country_votes(c, m.key) for c in ctx.countries) or 1
    # How international the article is: a local paper's "Paris" or "London" is more often its own town's
    # namesake than in an article that names countries across the world.
    spread = math.log1p(sum(1 for c in ctx.countries if ctx.country_votes(c, m.key)))
    out = []
    for i, e in enumerate(entries):
        f: Features = {"hand": hand.get(id(e), 0.0), "log_pop": pops[i], "rel_log_pop": pops[i] - top_pop,
                       "no_pop": float(e.population == 0), "pop_rank": math.log2(rank[i] + 1),
                       "top_pop": float(rank[i] == 0), "log_candidates": log_n,
                       "top_pop_x_log_candidates": float(rank[i] == 0) * log_n}
        f["class_" + (e.feature if e.feature in FEATURE_CLASSES else "other")] = 1.0
        if e.capital:
            f["capital"] = 1.0
            f["capital_x_spread"] = spread
        if e.curated:
            f["curated"] = 1.0
        if m.key in ev.actor_keys:
            # An actor's name is a government's: a country's or its capital's, or a unit's.
            if e.feature == "country" or "capital" in f:
                f["actor_x_seat"] = 1.0
            elif e.feature == "admin1":
                f["actor_x_admin1"] = 1.0
        if e.feature == "city" and e.population >= WORLD_CITY:
            f["world_city"] = 1.0
            f["world_city_x_spread"] = spread
        if rank[i] == 0:
            f["top_pop_x_spread"] = spread
        _match_features(f, m, e, aliased)
        _form_features(f, m, e, around, named_town[id(e)])
        if allowed is not None:
            agrees = "agrees" if within(e, allowed) else "disagrees"
            f[f"qualifier_in_list_{agrees}" if listed else f"qualifier_{agrees}"] = 1.0
        _vote_features(f, m, e, ev, ctx, leading, total)
        if ev.dateline is not None and ev.dateline[0] != m.key:
            d = ev.dateline[1]
            if d.country and e.country == d.country:
                f["dateline_country"] = 1.0
                if d.feature != "country" and _admin_of(e) and _admin_of(e) == _admin_of(d):
                    f["dateline_admin1"] = 1.0
        f.update(near[i])
        out.append(f)
    return out


def towns_named_alike(entries: Sequence[Entry]) -> dict[int, bool]:
    """By id(entry): is there a town of the same name in its country of a twentieth of its size or more?
    A unit named after such a town ("Kharkiv", "Donetsk") is read as the town; the village of Alabama,
    NY, does not make the state a town's namesake."""
    towns: dict[str | None, int] = {}
    for e in entries:
        if e.feature == "city":
            towns[e.country] = max(towns.get(e.country, 0), e.population)
    return {id(e): towns.get(e.country, -1) >= 0.05 * e.population for e in entries}


def _match_features(f: Features, m: Mention, e: Entry, aliased: list[Entry]) -> None:
    """How the name matched: the entry's own name or a curated variant of it ("Kiev" for Kyiv: a fact
    with a source, too rare in the training data to be learned apart), one of its GeoNames alternate
    names, or only its transliteration skeleton."""
    if m.fuzzy:
        f["match_fuzzy"] = 1.0
    elif name_key(e.name) == m.key or any(a is e for a in aliased):
        f["match_exact"] = 1.0
    else:
        f["match_alternate"] = 1.0


def _form_features(f: Features, m: Mention, e: Entry, around: dict[str, bool], same_name_city: bool) -> None:
    """What the mention's own form says: its hint ("X region", "the city of X") and the words around it."""
    admin, city, country = e.feature in ADMIN_CLASSES, e.feature == "city", e.feature == "country"
    natural = e.feature in ("water", "landmark", "region")
    if m.hint == "admin":
        f["hint_admin_x_admin" if admin else "hint_admin_x_other"] = 1.0
    elif m.hint == "city":
        f["hint_city_x_city" if city else "hint_city_x_other"] = 1.0
    elif m.hint == "country" and country:
        f["hint_country_x_country"] = 1.0
    if e.feature in ("admin1", "admin2", "admin3") and same_name_city and m.hint != "admin":
        f["same_name_city"] = 1.0
    if around["settlement"]:
        f["cue_settlement_x_city" if city else "cue_settlement_x_other"] = 1.0
    if around["admin"]:
        f["cue_admin_x_admin" if admin else "cue_admin_x_other"] = 1.0
    if around["natural"]:
        f["cue_natural_x_natural" if natural else "cue_natural_x_city" if city else "cue_natural_x_other"] = 1.0
    if m.source == "dateline" and city:
        f["dateline_x_city"] = 1.0
    if m.source == "qualifier" and (admin or country):
        f["qualifier_x_unit"] = 1.0


def _admin_of(e: Entry) -> str:
    return e.name if e.feature == "admin1" else e.admin1


def _vote_features(f: Features, m: Mention, e: Entry, ev: Evidence, votes: Context, leading: list[str],
                   total: int) -> None:
    n = votes.country_votes(e.country, m.key)
    if n:
        f["country_votes"] = math.log1p(n)
        # An article of one country's places says more for it than one that names the world's.
        f["country_share"] = n / total
    if leading and e.country == leading[0]:
        f["leading_country"] = 1.0
    if not n and leading and e.country:
        country = ev.gaz.countries.get(e.country)
        if country and any(c in country.neighbours for c in leading):
            f["neighbour_country"] = 1.0
    admin = _admin_of(e)
    if admin and votes.admin_votes(e.country, admin, m.key):
        f["admin1_votes"] = math.log1p(votes.admin_votes(e.country, admin, m.key))


def _anchors(readings: Iterable[tuple[str, Entry]], key: str) -> list[Entry]:
    """The local places other names of the article resolve to, each once (a name the article repeats
    resolves to the same entry each time; nearness is the distance to the nearest, so once is enough)."""
    seen: set[int] = set()
    out = []
    for k, e in readings:
        if k != key and e.feature in LOCAL_CLASSES and id(e) not in seen:
            seen.add(id(e))
            out.append(e)
    return out


def _nearness(prefix: str, entries: Sequence[Entry], anchors: list[Entry]) -> list[Features]:
    """Nearness of each local candidate to the article's other places: log km (0 from a thousand km on: a
    town far from everything the article names is no worse off than a unit or a country, whose points say
    nothing of nearness), 50/161/400 km bands, and whether it is the candidate nearest them (within 400
    km): the bands alone cannot tell a town from its namesake a few km off. A candidate that is itself
    one of the places ("Mexico" where the article names Mexico City) is not near it: that is another
    name's reading, not this one's neighbourhood."""
    distances = [_distance(e, anchors) if e.feature in LOCAL_CLASSES else None for e in entries]
    known = [d for d in distances if d is not None]
    nearest = min(known) if known else None
    out = []
    for d in distances:
        f: Features = {}
        if d is not None:
            if d < FAR_KM:
                f[prefix + "_nearness"] = math.log10(FAR_KM) - math.log10(1 + d)
            for band in NEAR_BANDS:
                if d <= band:
                    f[f"{prefix}_within_{band}"] = 1.0
            if d == nearest and d <= NEAR_BANDS[-1]:
                f[prefix + "_nearest"] = 1.0
        out.append(f)
    return out


def _distance(e: Entry, anchors: list[Entry]) -> float | None:
    others = [a for a in anchors if a is not e and (a.geonames_id is None or a.geonames_id != e.geonames_id)]
    return min(km(e.lat, e.lon, a.lat, a.lon) for a in others) if others else None


def second_round_features(features: Sequence[Features], m: Mention, ev: Evidence) -> list[Features]:
    """The first round's features of each candidate plus what the other mentions' chosen places say."""
    near = _nearness("chosen", m.entries, _anchors(ev.chosen, m.key))
    return [_second_round(f | n, m, e, ev) for f, n, e in zip(features, near, m.entries, strict=True)]


def _second_round(g: Features, m: Mention, e: Entry, ev: Evidence) -> Features:
    index = ev.chosen_keys()
    others = index.all - {m.key}
    countries = index.by_country.get(e.country, set()) - {m.key} if e.country else set()
    if countries:
        g["chosen_same_country"] = math.log1p(len(countries))
        g["chosen_country_share"] = len(countries) / len(others)
    for o in ev.nearby.get(id(m), ()):
        if o.chosen is None:
            continue
        if o.chosen.country == e.country and e.feature != "country" and _admin_of(o.chosen) == _admin_of(e):
            g["text_near_same_admin1"] = 1.0
        if e.feature in LOCAL_CLASSES and o.chosen.feature in LOCAL_CLASSES \
                and km(e.lat, e.lon, o.chosen.lat, o.chosen.lon) <= 161:
            g["text_near_within_161"] = 1.0
    for o in ev.neighbours.get(id(m), ()):
        if o.chosen is not None and o.key != m.key:
            if o.chosen.feature == e.feature:
                g["list_same_class"] = 1.0
            if o.chosen.country == e.country and e.country:
                g["list_same_country"] = 1.0
    admin = _admin_of(e)
    if admin and e.feature != "country":
        shared = index.by_admin.get((e.country, admin), set()) - {m.key}
        if shared:
            g["chosen_same_admin1"] = math.log1p(len(shared))
    return g


# Every feature name the functions above can set, for the model's checks.
CLASS_FEATURES = tuple(f"class_{c}" for c in (*FEATURE_CLASSES, "other"))
NEAR_FEATURES = tuple(f"{p}_{s}" for p in ("clear", "chosen")
                      for s in ("nearness", "nearest", *(f"within_{b}" for b in NEAR_BANDS)))
FEATURE_NAMES = frozenset({
    "hand", "log_pop", "rel_log_pop", "no_pop", "pop_rank", "top_pop", "log_candidates", "top_pop_x_log_candidates",
    *CLASS_FEATURES, "capital", "curated", "world_city", "match_fuzzy", "match_exact", "match_alternate",
    "hint_admin_x_admin", "hint_admin_x_other", "hint_city_x_city", "hint_city_x_other", "hint_country_x_country",
    "same_name_city", "cue_settlement_x_city", "cue_settlement_x_other", "cue_admin_x_admin", "cue_admin_x_other",
    "cue_natural_x_natural", "cue_natural_x_city", "cue_natural_x_other", "dateline_x_city", "qualifier_x_unit",
    "qualifier_agrees", "qualifier_disagrees", "qualifier_in_list_agrees", "qualifier_in_list_disagrees",
    "country_votes", "leading_country", "neighbour_country",
    "admin1_votes", "dateline_country", "dateline_admin1", *NEAR_FEATURES, "chosen_same_country",
    "chosen_same_admin1", "capital_x_spread", "world_city_x_spread", "top_pop_x_spread", "country_share",
    "chosen_country_share", "list_same_class", "list_same_country", "actor_x_seat", "actor_x_admin1",
    "text_near_same_admin1", "text_near_within_161",
})


# --- the learned model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranker:
    """The two rounds of the learned ranker."""

    first: LinearScorer
    second: LinearScorer | None
    features: frozenset[str]
    # With no learned second round: run the hand-weighted proximity pass on the first round's scores.
    hand_second_pass: bool = False


def ranker_from_json(obj: dict) -> Ranker:
    rounds = obj["rounds"]
    names = frozenset(n for r in rounds for n in r["features"])
    second = LinearScorer.from_json(rounds[1]) if len(rounds) > 1 else None
    return Ranker(LinearScorer.from_json(rounds[0]), second, names, bool(obj.get("hand_second_pass")))


@cache
def place_ranker() -> Ranker | None:
    """The shipped ranker, or None when its weights are missing (the hand weights then decide)."""
    path = MODEL_DIR / MODEL_FILE
    if not path.exists():
        return None
    return ranker_from_json(json.loads(path.read_text(encoding="utf-8")))
