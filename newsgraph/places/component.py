"""The `newsgraph_places` spaCy component: mentions -> reading -> resolution -> Place records."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.docinfo import text_of
from newsgraph.places.gazetteer import Entry, gazetteer
from newsgraph.places.mentions import ASSOCIATIVE, LITERAL, METONYM, WEAK, WEAK_ADJECTIVE, Mention, MentionFinder
from newsgraph.places.ranking import Ranker, place_ranker
from newsgraph.places.reading import ReadingModel, default_reader, reading_features, reading_of
from newsgraph.places.resolution import build_context, locate_facility, resolve
from newsgraph.plain import set_plain_extension
from newsgraph.records import Place

set_plain_extension("places")
set_plain_extension("metonyms")

# Record feature names: the gazetteer's admin2 (county, district) is a region to the reader.
RECORD_FEATURE = {"admin2": "region"}

# --- the component ---------------------------------------------------------------------------------


@Language.factory("newsgraph_places",
                  default_config={"facilities": True, "learned_reading": True, "learned_ranking": True})
def make_place_finder(nlp: Language, name: str, facilities: bool, learned_reading: bool,
                      learned_ranking: bool) -> PlaceFinder:
    """`learned_reading`: the trained reader (models/place_reader) decides each mention's use; without it, or
    when the model is missing, the rules of `reading.reading_of` do. `learned_ranking`: the trained ranker
    (models/place_ranker) chooses among each name's gazetteer entries; without it, or when the model is
    missing, the hand weights of `resolution.candidate_scores` do."""
    return PlaceFinder(facilities=facilities, reader=default_reader() if learned_reading else None,
                       ranker=place_ranker() if learned_ranking else None)


def _can_act(e: Entry) -> bool:
    """Places whose names news uses for an actor: countries and their capitals (governments), units
    (their administrations), seats of power (curated with an actor) and cities (their teams, councils).
    A village's name as a subject is more likely a firm's or a person's ("Cisco said")."""
    return e.feature in ("country", "admin1") or e.capital or bool(e.actor) \
        or (e.feature == "city" and e.population >= 100_000)


class PlaceFinder:
    def __init__(self, facilities: bool = True, reader: ReadingModel | None = None,
                 ranker: Ranker | None = None) -> None:
        self.facilities = facilities
        self.reader = reader
        self.ranker = ranker

    def __call__(self, doc: Doc) -> Doc:
        gaz = gazetteer()
        finder = MentionFinder(doc, gaz, weak_candidates=self.reader is not None)
        mentions = finder.find()
        self.read(mentions, doc, finder)
        self.place(doc, mentions, finder)
        return doc

    def place(self, doc: Doc, mentions: list[Mention], finder: MentionFinder) -> None:
        """Resolve the read mentions and set `doc._.places` and `doc._.metonyms`."""
        gaz = finder.gaz
        ctx = build_context(doc, mentions, gaz)
        resolve(mentions, ctx, gaz, finder.lowers, self.ranker)
        doc._.places = list(self.records(doc, mentions, finder))
        doc._.metonyms = [(doc[m.start:m.end], gaz.actor_name(m.chosen)) for m in mentions
                          if m.reading == METONYM and m.chosen is not None and _can_act(m.chosen)]

    def read(self, mentions: list[Mention], doc: Doc, finder: MentionFinder) -> None:
        """Each mention's use: the rules' reading first (the model weighs it), then the model's."""
        for m in mentions:
            m.reading = reading_of(m, doc, finder)
            # A name kept only in case it was an actor is no place otherwise.
            if (m.source == "actor" and m.reading != METONYM) or m.source in (WEAK, WEAK_ADJECTIVE):
                m.reading = ASSOCIATIVE
        if self.reader is not None:
            learned = [self.reader.read(reading_features(m, doc, finder)) for m in mentions]
            for m, reading in zip(mentions, learned, strict=True):
                m.reading = reading

    def records(self, doc: Doc, mentions: list[Mention], finder: MentionFinder) -> Iterator[Place]:
        text = text_of(doc)
        # A sea or a river is no actor: where the rules read one as an actor, it is still a place.
        literal = [m for m in mentions if m.reading == LITERAL
                   or (m.reading == METONYM and m.chosen is not None and m.chosen.feature == "water")]
        located = [m for m in literal if m.chosen is not None]
        for m in literal:
            entry = m.chosen
            facility = m.source in ("facility", "street", "unlisted")
            if entry is None and facility and self.facilities:
                entry = locate_facility(m, doc, finder, located)
            if entry is None:
                continue
            start, end = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
            # The gazetteer gives a first-level unit itself as its own admin1 (and curated entries none, ""):
            # a record's admin1 is the unit it lies in. A facility lies in its locating entry's.
            admin1 = entry.admin1 or None
            if facility and not entry.curated:
                feature = {"street": "landmark", "unlisted": "city"}.get(m.source, "facility")
                yield Place(start=start, end=end, text=text[start:end], name=text[start:end], feature=feature,
                            country=entry.country, admin1=admin1, lat=entry.lat, lon=entry.lon)
                continue
            yield Place(start=start, end=end, text=text[start:end], name=entry.name,
                        feature=RECORD_FEATURE.get(entry.feature, entry.feature), country=entry.country,
                        admin1=None if entry.feature == "admin1" else admin1, lat=entry.lat, lon=entry.lon,
                        geonames_id=entry.geonames_id)
