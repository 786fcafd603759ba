"""Places: every place an article names as a place, resolved to a gazetteer entry with coordinates.

The `newsgraph_places` component runs after spaCy's NER (and `newsgraph_dates`) and before
`newsgraph_actors`. It works in four steps:

1. **Mentions.** Candidates come from the NER's GPE, LOC and FAC entities, from ORG and PERSON
   entities (which the small model gives to "Mariupol", "Bucha", "Kyiv") and from untagged proper
   nouns when their text is a gazetteer name in a place context ("outside Kyiv", "the town of
   Bucha", "Ukraine's Mariupol", "Kherson region", "the Zaporizhzhya, Mykolayiv, and Kharkiv
   regions"), from datelines ("SEOUL, South Korea (CNN) -"), from the qualifier after a place
   ("Paris, Texas"), from place adjectives that locate a noun ("the Syrian-Turkish border") and from
   facilities and streets in a locative context ("at Barclays Center", "on Third Street").
2. **Reading.** A place name used for its government, people or team is not a place. A trained reader
   (`models/place_reader`, a logistic regression over named features, trained on GeoWebNews by
   `scripts/train_place_reader.py`) decides each mention: literal, metonym (an actor: "Turkey says"),
   associative (a non-locating modifier or an organisation's name: "U.S. officials") or no place name.
   Its evidence is the parse (the name's role and head, the preposition and its governor), the
   neighbours, the NER label, the gazetteer, how the name's context goes with agents and places in other
   news (`data/place_contexts.tsv`, mined by `scripts/mine_place_contexts.py`) and the reading of the
   general rules after the GeoWebNews literal/associative distinction (`reading.reading_of`, with the
   words of `data/place_cues.tsv`), which decide alone when the model is missing. Agentive uses are
   kept on `doc._.metonyms` as `(Span, actor name)` for the actor linker ("Government of Russia").
3. **Resolution.** Each mention is looked up in the gazetteer (GeoNames populated places, admin
   units, countries and continents from `data/gazetteer.sqlite`, built by
   `scripts/build_gazetteer.py`, plus the curated `data/places_extra.tsv` and
   `data/places_variants.tsv`), by exact key (GeoNames alternate names give Kiev/Kyiv), then by a
   transliteration skeleton (Slovyansk/Sloviansk, Mykolayiv/Mykolaiv). Among homonyms the article
   decides. A trained ranker (`models/place_ranker`, a linear model over named features applied as a
   softmax over each name's candidates, trained on LGL, GeoVirus and GeoWebNews by
   `scripts/train_place_ranker.py`) scores every candidate by its prominence (population, class,
   capital), how its name matched, the mention's form and words ("the city of X", "X County"), its
   qualifier ("Paris, Texas"), the countries and admin units the rest of the article names (by its
   unambiguous places and its nationality adjectives), the dateline, the distance to the article's
   clear places and the hand-weighted score below; a second round adds the places the first chose for
   the other mentions (nearness, shared countries and units, lists of one kind). Without the model the
   hand weights decide (`resolution.candidate_scores`): a qualifier first, then the article's countries
   and units, then the more prominent, and among towns of one country the one nearest the article's
   other places.
4. **Facilities**, streets and natural features without a gazetteer entry take the point of the
   place that locates them ("the CHU in Montpellier", "Derry's Altnagelvin Hospital", "Oulton Park,
   Cheshire"), else of the nearest place the article names; names the gazetteer lacks but an admin
   unit qualifies ("Knockhill, Fife.") take the unit's point.

The gazetteer is made once per process (`gazetteer()`, a few hundredths of a second: its SQLite file is
read on demand, name by name, and only the places looked up are held in memory); the component costs
a few per cent of the spaCy pipeline's time, as its passes scan token strings, not Token objects.

The package follows these steps: `gazetteer` (names -> entries), `cues` (context words), `mentions`,
`reading`, `ranking` (candidate features and the learned ranker), `resolution` (with facilities), and
`component` (the spaCy factory).

Results go to `doc._.places` as `newsgraph.records.Place` records (character offsets into the text).
"""

from newsgraph.places.component import PlaceFinder, make_place_finder
from newsgraph.places.gazetteer import Entry, Gazetteer, gazetteer, name_key, skeleton

__all__ = ["Entry", "Gazetteer", "PlaceFinder", "gazetteer", "make_place_finder", "name_key", "skeleton"]
