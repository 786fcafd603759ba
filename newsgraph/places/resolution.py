"""Resolution: which gazetteer entry each mention names, and where facilities lie."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from newsgraph.places.gazetteer import QUALIFIER_FEATURES, WORLD_CITY, Entry, Gazetteer, km, name_key, within
from newsgraph.places.mentions import METONYM, Mention, MentionFinder
from newsgraph.places.ranking import (
    Evidence,
    Features,
    Ranker,
    candidate_features,
    list_neighbours,
    nearby_mentions,
    second_round_features,
    towns_named_alike,
)

# Feature priors: a country or a curated region is what an unqualified name most often means in news.
FEATURE_PRIOR = {"country": 4.0, "continent": 4.0, "region": 5.5, "water": 5.5, "landmark": 5.5,
                 "facility": 5.5, "admin1": 1.5, "admin2": 0.5, "city": 0.0}
ADMIN_FEATURES = frozenset({"admin1", "admin2", "region"})
# Context and prominence weights (log10 population units): a country the article names elsewhere,
# an admin unit it names elsewhere, a city of world renown, a curated place (famous by selection).
COUNTRY_BONUS = 2.0
ADMIN_BONUS = 3.0
WORLD_CITY_BONUS = 1.0
CURATED_BONUS = 3.0

# --- resolution -----------------------------------------------------------------------------------


@dataclass
class Context:
    """Which countries and admin units the article names, by mention key (so a name does not vote for
    its own reading)."""

    countries: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    admins: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    # (mention key, entry) of the readings that stand out without context: the article's anchors
    clear: list[tuple[str, Entry]] = field(default_factory=list)

    def add(self, key: str, entry: Entry, with_admin: bool = True) -> None:
        if entry.country:
            self.countries[entry.country][key] += 1
            if not with_admin:
                return
            if entry.feature == "admin1":
                self.admins[(entry.country, entry.name)][key] += 1
            elif entry.admin1:
                self.admins[(entry.country, entry.admin1)][key] += 1

    def country_votes(self, country: str | None, key: str) -> int:
        votes = self.countries.get(country or "")
        return sum(n for k, n in votes.items() if k != key) if votes else 0

    def admin_votes(self, country: str | None, admin1: str, key: str) -> int:
        votes = self.admins.get((country or "", admin1))
        return sum(n for k, n in votes.items() if k != key) if votes else 0

    def leading_countries(self, key: str, n: int = 3) -> list[str]:
        totals = Counter({c: self.country_votes(c, key) for c in self.countries})
        return [c for c, v in totals.most_common(n) if v > 0]


def prior(e: Entry, m: Mention, same_name_city: bool) -> float:
    """Score of an entry for a mention before the article's context: prominence and the mention's form."""
    s = math.log10(e.population + 10) + FEATURE_PRIOR.get(e.feature, 0.0) + 1.5 * e.capital
    if e.feature == "city" and e.population >= WORLD_CITY:
        s += WORLD_CITY_BONUS
    if e.curated:
        s += CURATED_BONUS
    if m.hint == "admin":
        s += 6.0 if e.feature in ADMIN_FEATURES else 0.0
    elif m.hint == "city":
        s += 3.0 if e.feature == "city" else -3.0
    elif m.hint == "country":
        s += 6.0 if e.feature == "country" else 0.0
    # "Kharkiv", "Donetsk", "New York" name a city before the unit named after it.
    if e.feature in ("admin1", "admin2") and same_name_city and m.hint != "admin":
        s -= 3.0
    return s


def candidate_scores(m: Mention, ctx: Context | None, gaz: Gazetteer) -> list[tuple[float, Entry]]:
    named_town = towns_named_alike(m.entries)
    allowed = _qualified(m)
    scored = []
    for e in m.entries:
        s = prior(e, m, named_town[id(e)])
        if ctx is not None:
            s += _context_bonus(e, m.key, ctx, gaz)
        if allowed is not None and not within(e, allowed):
            s -= 20.0
        scored.append((s, e))
    scored.sort(key=lambda x: -x[0])
    return scored


def _qualified(m: Mention) -> list[Entry] | None:
    """The units a qualifier can name: a town of the qualifier's name is no unit ("Copenhagen, Hamburg"
    in a list does not put Copenhagen in the state of a Hamburg, New York)."""
    q = m.qualifier
    units = [e for e in q.entries if e.feature in QUALIFIER_FEATURES] if q is not None else []
    return units or None




def _context_bonus(e: Entry, key: str, ctx: Context, gaz: Gazetteer) -> float:
    s = 0.0
    votes = ctx.country_votes(e.country, key)
    if votes:
        s += COUNTRY_BONUS + 0.5 * min(votes - 1, 2)
    else:
        leading = ctx.leading_countries(key)
        if leading and e.country:
            country = gaz.countries.get(e.country)
            if country and any(c in country.neighbours for c in leading):
                s += 1.0
    admin = e.name if e.feature == "admin1" else e.admin1
    if admin and ctx.admin_votes(e.country, admin, key):
        s += ADMIN_BONUS
    return s


def build_context(doc: Doc, mentions: list[Mention], gaz: Gazetteer) -> Context:
    """Countries and units of the mentions that are clear without context, and of nationality adjectives."""
    ctx = Context()
    for m in mentions:
        # A loose (transliteration) match informs no other reading.
        if not m.entries or m.fuzzy:
            continue
        scored = candidate_scores(m, None, gaz)
        best = scored[0][1]
        close = [e for s, e in scored if s >= scored[0][0] - 2.0]
        # The country is clear when every close reading lies in it (Atlanta: Georgia's or Texas's, but
        # American either way); the unit only when the best reading stands out.
        if m.qualifier is not None or all(e.country == best.country for e in close):
            stands_out = len(close) == 1 or m.qualifier is not None
            ctx.add(m.key, best, with_admin=stands_out)
            if stands_out:
                ctx.clear.append((m.key, best))
    for ent in doc.ents:
        if ent.label_ == "NORP":
            country = gaz.demonym_country(ent.text)
            if country is not None:
                ctx.add(name_key(ent.text), country)
    return ctx


def resolve(mentions: list[Mention], ctx: Context, gaz: Gazetteer, lowers: Sequence[str] = (),
            ranker: Ranker | None = None) -> None:
    """Choose each mention's entry: by the learned ranker when there is one (`lowers`, the doc's lower-cased
    token texts, give it the words around each mention), else by the hand weights."""
    if ranker is None:
        resolve_by_hand(mentions, ctx, gaz)
        return
    ev, features = first_round(mentions, ctx, gaz, lowers)
    rank(mentions, ev, features, ranker)


def rank(mentions: list[Mention], ev: Evidence, features: dict[int, list[Features]], ranker: Ranker) -> None:
    """Choose each mention's entry by the learned ranker, from its candidates' first-round features."""
    scored = {}
    for m in mentions:
        if id(m) in features:
            scored[id(m)] = sorted(zip([ranker.first.score(f) for f in features[id(m)]], m.entries, strict=True),
                                   key=lambda se: -se[0])
            m.chosen = scored[id(m)][0][1]
    if ranker.second is None:
        if ranker.hand_second_pass:
            prefer_near(mentions, scored)
        return
    ev.chosen = [(m.key, m.chosen) for m in mentions if m.chosen is not None]
    chosen = {id(m): _best(m, [ranker.second.score(f) for f in second_round_features(features[id(m)], m, ev)])
              for m in mentions if id(m) in features}
    for m in mentions:
        if id(m) in chosen:
            m.chosen = chosen[id(m)]


def first_round(mentions: list[Mention], ctx: Context, gaz: Gazetteer,
                lowers: Sequence[str]) -> tuple[Evidence, dict[int, list[Features]]]:
    """The article's evidence and the first-round features of each mention's candidates, by id(mention)."""
    dateline = next(((m.key, candidate_scores(m, None, gaz)[0][1]) for m in mentions
                     if m.source == "dateline" and m.entries), None)
    actors = frozenset(m.key for m in mentions if m.reading == METONYM)
    ev = Evidence(gaz, lowers, ctx.clear, dateline, list_neighbours(mentions, lowers), nearby_mentions(mentions),
                  actors)
    features = {}
    for m in mentions:
        if m.entries:
            hand = {id(e): s for s, e in candidate_scores(m, ctx, gaz)}
            features[id(m)] = candidate_features(m, hand, _qualified(m), ev, ctx)
    return ev, features


def _best(m: Mention, scores: list[float]) -> Entry:
    return m.entries[max(range(len(scores)), key=scores.__getitem__)]


def resolve_by_hand(mentions: list[Mention], ctx: Context, gaz: Gazetteer) -> None:
    """Choose each mention's entry by the hand weights: by prominence and the article's countries and units,
    then once more preferring towns near the other places the article names (its places tend to lie together)."""
    scored: dict[int, list[tuple[float, Entry]]] = {}
    # Qualifiers first: "Paris, Texas" reads Texas before Paris.
    for m in sorted(mentions, key=lambda m: m.source != "qualifier"):
        if m.entries:
            scored[id(m)] = candidate_scores(m, ctx, gaz)
            m.chosen = scored[id(m)][0][1]
    prefer_near(mentions, scored)


def prefer_near(mentions: list[Mention], scored: dict[int, list[tuple[float, Entry]]]) -> None:
    """The hand-weighted second pass: among towns of the chosen one's country, the one nearest the
    places chosen for the other mentions (scores by id(mention), best first)."""
    for m in mentions:
        ranked = scored.get(id(m))
        if ranked is None or len(ranked) < 2 or ranked[0][1].feature not in ("city", "admin2"):
            continue
        anchors = [(o.chosen.lat, o.chosen.lon) for o in mentions
                   if o.chosen is not None and o.key != m.key and o.chosen.feature in LOCAL_FEATURES]
        # Only towns of the chosen country compete on nearness: a village near the article's other
        # places does not beat a city abroad on that alone (Geneva, Switzerland, not Geneva, NY).
        rivals = [se for se in ranked[:12] if se[1].country == ranked[0][1].country]
        if anchors and len(rivals) > 1:
            m.chosen = max(rivals, key=lambda se: se[0] + _proximity_bonus(se[1], anchors))[1]


LOCAL_FEATURES = frozenset({"city", "admin2", "landmark", "facility"})


def _proximity_bonus(e: Entry, anchors: list[tuple[float, float]]) -> float:
    if e.feature not in ("city", "admin2"):
        return 0.0
    d = min(km(e.lat, e.lon, lat, lon) for lat, lon in anchors)
    return 2.5 if d < 50 else 1.5 if d < 150 else 0.5 if d < 400 else 0.0



# --- facilities ----------------------------------------------------------------------------------


def locate_facility(m: Mention, doc: Doc, finder: MentionFinder, resolved: list[Mention]) -> Entry | None:
    """The place that locates a facility: one named with it, else the nearest the article names."""
    gaz = finder.gaz
    curated = [e for e in gaz.lookup(m.key) if e.curated]
    if curated:
        return curated[0]
    if m.qualifier is not None and m.qualifier.chosen is not None:
        return m.qualifier.chosen
    # "Derry's Altnagelvin Hospital", "the CHU in Montpellier", "Brands Hatch Indy, Kent"
    if m.start >= 2 and doc[m.start - 1].tag_ == "POS":
        owner = finder.taken.get(m.start - 2)
        if owner is not None and owner.chosen is not None:
            return owner.chosen
    for i in (m.end + 1, m.end + 2):
        other = finder.taken.get(i)
        if other is not None and other.chosen is not None and doc[m.end].lower_ in {",", "in", "at", "near"}:
            return other.chosen
    # A natural feature called after its town, in a country the article names: "Kaneohe Bay" (a road
    # called after a town leads to it, so streets do not count).
    countries = {r.chosen.country for r in resolved if r.chosen is not None}
    if m.end - m.start > 1 and doc[m.end - 1].text in finder.cues["natural_head"]:
        named = doc[m.start:m.end - 1]
        towns = [e for e in gaz.lookup(name_key(named.text)) if e.feature == "city" and e.country in countries]
        if towns:
            return max(towns, key=lambda e: e.population)
    # A city's name inside the facility's name: "Seoul Central District Court".
    c = finder.cues
    generic = c["facility_head"] | c["street_head"] | c["natural_head"] | c["campus_word"] | c["body_noun"]
    for t in doc[m.start:m.end]:
        if t.pos_ == "PROPN" and len(t) > 3 and t.text not in generic:
            entries = [e for e in gaz.lookup(t.lower_) if e.feature == "city" and e.population >= 100_000]
            if entries:
                return max(entries, key=lambda e: e.population)
    return _nearest_place(m, resolved)


def _nearest_place(m: Mention, resolved: list[Mention]) -> Entry | None:
    """The closest literal town or unit the article names, preferring earlier mentions."""
    local = [r for r in resolved if r.chosen is not None and r.chosen.feature in ("city", "admin2", "landmark")]
    if not local:
        local = [r for r in resolved if r.chosen is not None and r.chosen.feature in ("admin1", "country")]
    if not local:
        return None
    best = min(local, key=lambda r: abs(r.start - m.start) + (0 if r.start < m.start else 50))
    return best.chosen

