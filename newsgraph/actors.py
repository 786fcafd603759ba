"""Actors within one article: people, organisations and groups, each with every mention of it.

The `newsgraph_actors` component
1. takes the statistical model's PERSON / ORG / GPE / NORP entities and corrects their types where the
   article itself shows them wrong ("the town of Bucha" is a place, "Guterres" is the surname of the
   PERSON "Antonio Guterres" even where the model says ORG);
2. groups the mentions of one real actor (Vladimir Putin, Putin, President Putin) and keeps the titles
   and roles written around them ("Russian President", "an aide to Zelenskiy");
3. links definite descriptions ("the Russian president", "the president of Moldova") and third-person
   pronouns (he, she, him, his) to the actor they stand for, with the salience model and the
   description rules of `newsgraph.coreference`.

Results are on `doc._.actors` (a list of `Actor`) and `doc._.actor_at` (token index -> Actor). Other
components resolve the source of a statement with `resolve_mention`, which also handles "it", "they"
and "both countries" when they are used as speakers.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy
from spacy.attrs import ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph import coreference
from newsgraph.docinfo import cache_of
from newsgraph.lexicons import channel_nouns, demonyms, gender_detector, group_nouns, person_title_stems, person_titles
from newsgraph.mentions import (
    NO_ACTOR,
    ORGANISATION_HEADS,
    EnglishWords,
    actor_spans,
    english_words_of,
    evidence_of,
    has_honorific,
    label_by_evidence,
    not_a_person_name,
    title_prefix,
)
from newsgraph.plain import set_plain_extension

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
PLACE_NOUNS = {
    "city", "town", "village", "region", "port", "province", "district", "oblast", "county", "state",
    "capital", "settlement", "suburb", "area", "republic", "island", "country", "territory",
}
LOCATIVE_PREPS = {"in", "outside", "near", "around", "across", "into", "toward", "towards", "from", "at"}
ORG_HEAD_NOUNS = {
    "ministry", "government", "department", "agency", "office", "army", "military", "council",
    "committee", "commission", "newspaper", "paper", "report", "company", "firm", "group", "party",
    "campaign", "administration", "court", "parliament", "embassy", "police", "service", "bank",
    "union", "organization", "organisation", "network", "channel", "broadcaster", "outlet",
    "bulletin", "statement", "intelligence",
}
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
SINGULAR_THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
RELATIVE_PRONOUNS = {"who", "which", "that"}
NOMINAL_POS = {"NOUN", "PROPN", "PRON"}
# Nouns that count or collect what their "of"-phrase names ("a raft of rules", "a number of experts"): the
# quantity words of English grammars' partitive constructions (Quirk et al. 1985, 5.7-5.9).
PARTITIVE_NOUNS = {"raft", "number", "group", "series", "handful", "lot", "couple", "majority", "minority", "host",
                   "range", "set", "variety", "bunch", "dozen", "pair", "total", "string", "slew", "flood", "wave",
                   "crowd", "team", "panel", "coalition", "body", "board", "committee", "collection", "batch"}
PAIR_NOUNS = {"countries", "sides", "nations", "governments", "leaders", "men", "women", "companies", "parties"}
TITLE_KEEP_LOWER = {"former", "acting", "deputy", "interim", "then", "foreign", "defense", "defence"}
MALE_HONORIFICS = {"mr", "mr.", "sir", "lord", "king", "prince"}
FEMALE_HONORIFICS = {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "queen", "princess"}


@dataclass(eq=False)
class Actor:
    """One real-world actor of the article (identity is by object)."""

    name: str
    type: str
    mentions: list[Span] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    gender: str | None = None
    country: str | None = None
    members: list[Actor] = field(default_factory=list)

    def add_title(self, title: str) -> None:
        title = title.strip(" ,")
        if title and title.casefold() not in {t.casefold() for t in self.titles}:
            self.titles.append(title)


set_plain_extension("actors")
set_plain_extension("actor_at")


@Language.factory("newsgraph_actors", default_config={"resolve_pronouns": True})
def make_actor_linker(nlp: Language, name: str, resolve_pronouns: bool) -> ActorLinker:
    return ActorLinker(resolve_pronouns=resolve_pronouns, words=english_words_of(nlp))


class ActorLinker:
    def __init__(self, resolve_pronouns: bool = True, words: EnglishWords | None = None) -> None:
        self.resolve_pronouns = resolve_pronouns
        self.words = words or EnglishWords()

    def __call__(self, doc: Doc) -> Doc:
        evidence_of(doc, self.words)  # headlines and running-text names, before any mention is cut
        # Headline fragments and sentence-initial words are cut off the names first (newsgraph.mentions).
        cut = [span for ent in doc.ents for span in actor_spans(ent)]
        other_labels = labels_by_text(doc)
        mentions = [relabel_thing_named_as_person(relabel_person_name(m), other_labels) for m in cut]
        governments = place_actor_names(doc)
        places = literal_place_tokens(doc)
        mentions = [m for m in mentions if m.label_ in ACTOR_LABELS and is_actor_mention(m)]
        labels = corrected_labels(doc, mentions)
        mentions = [m for m in mentions if labels.get(name_key(m)) != NO_ACTOR]
        mentions = [m for m in mentions if m.root.i in governments or not is_literal_place(m, places)]
        actors = cluster_mentions(doc, mentions, labels, governments)
        actor_at: dict[int, Actor] = {}
        for actor in actors:
            for m in actor.mentions:
                for i in range(m.start, m.end):
                    actor_at[i] = actor
        doc._.actors = actors
        doc._.actor_at = actor_at
        link_descriptions(doc, actors, actor_at)
        if self.resolve_pronouns:
            link_personal_pronouns(doc, actor_at)
        return doc


# --- mentions and their types -------------------------------------------------------------------


def trim_mention(ent: Span) -> Span | None:
    """Drop a leading article and a trailing possessive: "the United Nations" -> "United Nations"; in a
    headline, the longest part of the name that running text writes (`mentions.actor_spans`)."""
    if cache_of(ent.doc).get("newsgraph_name_evidence") is not None:
        parts = actor_spans(ent)
        return max(parts, key=len) if parts else None
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while (end > start and doc[end - 1].tag_ == "POS") or (end > start and doc[end - 1].text in {"'s", "’s", "'"}):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=ent.label_)


def relabel_person_name(m: Span) -> Span:
    """'Helen Park' tagged LOC but acting as a subject, with a known first name, is a person."""
    if m.label_ == "PERSON" or len(m) < 2 or len(m) > 4 or not all(t.is_title for t in m):
        return m
    if m.root.dep_ not in SUBJECT_DEPS and not any(c.dep_ == "appos" for c in m.root.children):
        return m
    if gender_detector().get_gender(m[0].text) in {"male", "female", "mostly_male", "mostly_female"}:
        return Span(m.doc, m.start, m.end, label="PERSON")
    return m


def relabel_thing_named_as_person(m: Span, other_labels: dict[str, Counter[str]] | None = None) -> Span:
    """'the Obama White House' tagged PERSON: the type the article gives the name elsewhere, else ORG
    (`other_labels`: `labels_by_text` of the doc, read once for all its mentions)."""
    if not not_a_person_name(m):
        return m
    others = (other_labels if other_labels is not None else labels_by_text(m.doc)).get(m.text) or Counter()
    return Span(m.doc, m.start, m.end, label=others.most_common(1)[0][0] if others else "ORG")


def labels_by_text(doc: Doc) -> dict[str, Counter[str]]:
    """The labels other than PERSON the NER gives each entity text, counted in text order (the first label
    given wins a tie, as Counter.most_common keeps it)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for e in doc.ents:
        if e.label_ != "PERSON":
            out[e.text][e.label_] += 1
    return out


def is_actor_mention(span: Span) -> bool:
    if starts_lower_case(span):
        return False  # "pro-Israel", "treasury": names are written with a capital
    if names_a_day(span) or is_common_noun_use(span):
        return False
    if len(span) == 1 and span.label_ in {"GPE", "ORG"} and span.text in demonyms() and span.root.pos_ == "ADJ":
        return False  # "Ukrainian" tagged GPE is an adjective, not an actor
    if is_part_of_title(span):
        return False
    if span.label_ == "NORP":
        # Only nominal uses ("the Russians", "Democrats") are actors; "Russian forces" is an adjective.
        return span.root.tag_ in {"NNPS", "NNS"} or span.root.dep_ in SUBJECT_DEPS
    if span.text.casefold() in channel_nouns():
        return False
    return any(t.is_alpha for t in span)


DAY_NAMES = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                       "february", "march", "april", "may", "june", "july", "august", "september", "october",
                       "november", "december"})


def names_a_day(span: Span) -> bool:
    """'Super' of 'Super Tuesday': a capitalised word the NER left before the weekday or month of a named day."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    return len(span) == 1 and span.label_ != "PERSON" and after is not None and after.is_title and \
        after.lower_ in DAY_NAMES and after.ent_type_ == "DATE"


def is_common_noun_use(span: Span) -> bool:
    """'a super PAC', 'the super PAC': an acronym of a common noun ("PAC", political action committee, is in the
    dictionary) that the article writes only as a common noun, after an indefinite article or a lower-case
    modifier, is a kind of body, not one. An acronym it also writes on its own ('the FBI') stays, and so do words
    ('a divided Senate', 'the more Sanders has won': a capitalised name is a name) and acronyms no dictionary
    knows."""
    if len(span) != 1 or span.label_ != "ORG" or not span.text.isupper():
        return False
    doc = span.doc
    if span.text not in evidence_of(doc).dictionary_words:
        return False
    return all(_after_common_noun_modifier(doc[i]) for i in upper_case_words(doc).get(span.text, ()))


def upper_case_words(doc: Doc) -> dict[str, list[int]]:
    """Where each all-capitals word of the article is written, by token index (once per doc: every
    acronym asks)."""
    found = cache_of(doc).get("newsgraph_upper_case_words")
    if found is None:
        found = {}
        # the tokens whose word (lexeme) is in capitals, without making a Token of every other
        orths = doc.to_array([ORTH]).reshape(-1)
        upper = [orth for orth in numpy.unique(orths).tolist() if doc.vocab[orth].is_upper]
        for i in numpy.flatnonzero(numpy.isin(orths, upper)).tolist():
            found.setdefault(doc[i].text, []).append(i)
        cache_of(doc)["newsgraph_upper_case_words"] = found
    return found


def _after_common_noun_modifier(token: Token) -> bool:
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is None:
        return False
    return before.lower_ in {"a", "an"} or (before.is_lower and before.is_alpha and before.head.i == token.i
                                            and before.dep_ in {"amod", "compound", "nmod"})


# Lower-case particles that may open a surname written alone ("de Blasio", "al-Assad", "van Hollen").
NAME_PARTICLES = frozenset({"de", "del", "della", "di", "da", "du", "dos", "van", "von", "der", "le", "la", "al",
                            "el", "bin", "ibn", "ben", "ter", "mac"})


def starts_lower_case(span: Span) -> bool:
    first = span[0].text
    return first[:1].islower() and first.split("-")[0].casefold() not in NAME_PARTICLES


def is_part_of_title(span: Span) -> bool:
    """'Defense' in 'U.S. Defense Secretary Lloyd Austin', 'State' in 'Secretary of State Antony Blinken'."""
    if span.label_ not in {"ORG", "GPE"} or len(span) > 2:
        return False
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if span.label_ == "ORG" and after is not None and after.is_title and after.lower_ in person_titles():
        return True
    return span.start >= 2 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in {
        "secretary", "minister", "ministry", "department"} and span.label_ == "ORG"


def name_key(span: Span | str) -> str:
    text = span if isinstance(span, str) else span.text
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r"^(the|The)\s+", "", text)
    return re.sub(r"[.\s]+", " ", text).strip().casefold()


def corrected_labels(doc: Doc, mentions: list[Span]) -> dict[str, str]:
    """One label per name, voted over the article: the model's labels plus what the text shows.

    A name that ends a longer PERSON name, follows a title ("President X") or an "aide to" is a
    person; one written as "the town of X", "outside X" or "Ukraine's X" is a place. Then the
    article's person evidence decides (`mentions.label_by_evidence`): "Mr. X" is a person, a one-word
    PERSON with no sign of one is not (NO_ACTOR when the model gave it no other type).
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    surnames = {m[-1].text for m in mentions if m.label_ == "PERSON" and len(m) >= 2}
    # "Patriot" and "Coal" of "Patriot Coal": a "person" named by a word of an organisation's name is the
    # organisation (a place stays a place: "Iowa" of "Iowa Democratic Party")
    org_words = {t.text for m in mentions if m.label_ == "ORG" and len(m) >= 2 for t in m} - surnames
    headlines = evidence_of(doc).title_case_sents
    in_running_text = {name_key(m) for m in mentions if m.sent.start not in headlines}
    for m in mentions:
        key = name_key(m)
        # the NER's type of a headline name is no vote where running text writes the name too
        if m.sent.start not in headlines or key not in in_running_text:
            votes[key][m.label_] += 1
        if len(m) == 1 and m.text in surnames:
            votes[key]["PERSON"] += 5
        if has_person_context(m):
            votes[key]["PERSON"] += 3
        if has_place_context(m):
            votes[key]["GPE"] += 3
        if has_company_context(m):
            votes[key]["ORG"] += 3
    by_key: dict[str, list[Span]] = defaultdict(list)
    for m in mentions:
        by_key[name_key(m)].append(m)
    for key, ms in by_key.items():
        # (only a title or "Mr." says otherwise: "Patriot filed for bankruptcy" is a subject as a person's would be)
        if all(len(m) == 1 and m.text in org_words and m.label_ == "PERSON" for m in ms) and \
                not any(has_honorific(m) or has_person_context(m) for m in ms):
            votes[key]["ORG"] += 5 * len(ms)
    voted = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
    return label_by_evidence(by_key, voted, evidence_of(doc))


def has_person_context(m: Span) -> bool:
    doc = m.doc
    before = doc[m.start - 1] if m.start > 0 else None
    if before is not None and before.lower_.rstrip(".") in person_title_stems():
        return before.is_title or before.lower_ in MALE_HONORIFICS | FEMALE_HONORIFICS
    if before is not None and before.lower_ in {"to", "for"} and m.start > 1:
        return doc[m.start - 2].lower_ in {"aide", "adviser", "advisor", "spokesman", "spokeswoman"}
    return False


COMPANY_NOUNS = {"giant", "company", "firm", "group", "maker", "producer", "carrier", "bank", "operator",
                 "conglomerate", "corporation", "airline", "insurer", "retailer", "startup", "supplier"}


def has_company_context(m: Span) -> bool:
    """'energy giant Gazprom', 'the carmaker Renault': a company noun right before the name."""
    doc = m.doc
    return m.start > 0 and doc[m.start - 1].lower_ in COMPANY_NOUNS | {"carmaker", "automaker", "chipmaker"}


def has_place_context(m: Span) -> bool:
    doc = m.doc
    root = m.root
    head = root.head
    # "the town of Bucha", "the city of Kreminna"
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
        return m.label_ != "PERSON" or len(m) == 1
    # "Kherson region", "Donetsk Oblast"
    if m.end < len(doc) and doc[m.end].lower_ in {"region", "oblast", "province", "district"}:
        return True
    # "Ukraine's Mariupol"
    if m.start >= 2 and doc[m.start - 1].tag_ == "POS":
        owner = doc[m.start - 2]
        if owner.ent_type_ == "GPE" and m.label_ != "PERSON" and len(m) == 1:
            return not is_org_like(m)
    # "outside Kyiv": a one-word PERSON after a locative preposition
    before = doc[m.start - 1] if m.start > 0 else None
    return (
        m.label_ == "PERSON"
        and len(m) == 1
        and before is not None
        and before.lower_ in LOCATIVE_PREPS
        and root.dep_ == "pobj"
    )


def is_org_like(m: Span) -> bool:
    return m[-1].lower_ in ORG_HEAD_NOUNS


# --- grouping mentions into actors ---------------------------------------------------------------


def place_actor_names(doc: Doc) -> dict[int, str]:
    """Token index -> actor name for place names the places component found used as actors
    ("Washington wants" -> Government of the United States)."""
    if not doc.has_extension("metonyms"):
        return {}
    return {t.i: name for span, name in doc._.metonyms or [] for t in span}


def literal_place_tokens(doc: Doc) -> set[int]:
    """Token indices of the places the places component resolved as places."""
    if not doc.has_extension("places"):
        return set()
    out: set[int] = set()
    for place in doc._.places or []:
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def is_literal_place(m: Span, places: set[int]) -> bool:
    """A name used as a place is no actor, unless it is a sentence's subject ("Germany said")."""
    return m.root.i in places and m.root.dep_ not in SUBJECT_DEPS


def cluster_mentions(doc: Doc, mentions: list[Span], labels: dict[str, str],
                     governments: dict[int, str] | None = None) -> list[Actor]:
    governments = governments or {}
    actors: list[Actor] = []
    by_key: dict[str, Actor] = {}
    full_names: dict[str, list[Actor]] = defaultdict(list)  # surname or first name -> PERSON actors
    typed = sorted(
        ((m, labels.get(name_key(m), m.label_)) for m in mentions), key=lambda pair: pair[0].start
    )
    # Longer PERSON names first, so "Putin" finds "Vladimir Putin" even when it comes before it.
    for m, label in sorted(typed, key=lambda p: -len(p[0])):
        if label != "PERSON" or len(m) < 2:
            continue
        key = person_key(m)
        if key not in by_key:
            by_key[key] = Actor(name=clean_name(m), type="PERSON")
            actors.append(by_key[key])
            full_names[m[-1].text.casefold()].append(by_key[key])
            full_names[m[0].text.casefold()].append(by_key[key])
    for m, label in typed:
        government = governments.get(m.root.i)
        if government is not None:
            key = "government:" + government
            if key not in by_key:
                by_key[key] = Actor(name=government, type="GPE", country=m.text)
                actors.append(by_key[key])
            by_key[key].mentions.append(m)
            continue
        actor = find_actor(m, label, by_key, full_names)
        if actor is None:
            key = org_key(m) if label != "PERSON" else person_key(m)
            actor = Actor(name=qualified_name(m, label), type=label, country=qualifier_country(m))
            by_key[key] = actor
            actors.append(actor)
        actor.mentions.append(m)
        if len(qualified_name(m, label)) > len(actor.name) and label != "PERSON":
            actor.name = qualified_name(m, label)
        for title in titles_of(m):
            actor.add_title(title)
        if actor.type == "PERSON" and actor.gender is None:
            actor.gender = gender_of(m)
    merge_acronyms(actors)
    merge_short_org_names(actors)
    actors = [a for a in actors if a.mentions]
    for a in actors:
        a.mentions.sort(key=lambda s: s.start)
    actors.sort(key=lambda a: a.mentions[0].start)
    return actors


def person_key(m: Span) -> str:
    words = [t.text for t in m if not t.is_punct and t.text.rstrip(".") not in {"Jr", "Sr"}]
    words = [w for w in words if len(w.rstrip(".")) != 1]  # middle initials
    if len(words) >= 2:
        return "person:" + f"{words[0]} {words[-1]}".casefold()
    return "person:" + name_key(m)


def org_key(m: Span) -> str:
    text = name_key(m)
    # "Ministry of Defense" and "Defense Ministry", "Department of State" and "State Department" are one name.
    text = re.sub(r"^(ministry|department) of (?:the )?(\w+(?: \w+)?)$", r"\2 \1", text)
    text = text.replace("defence", "defense")
    country = qualifier_country(m)
    words = [w for w in text.split() if demonyms().get(w, (None,))[0] != country or w.isupper()]
    return f"org:{country or ''}:{' '.join(words) or text}"


def find_actor(
    m: Span, label: str, by_key: dict[str, Actor], full_names: dict[str, list[Actor]]
) -> Actor | None:
    if label == "PERSON":
        if len(m) >= 2:
            return by_key.get(person_key(m))
        candidates = full_names.get(m.text.casefold(), [])
        honorific = gender_of(m)  # "Mrs. Clinton" is not Bill Clinton, "Mr. Obama" not Michelle Obama
        if honorific is not None:
            candidates = [a for a in candidates if given_name_gender(a.name) in (None, honorific)]
        if candidates:
            return bare_surname_holder(m, candidates)
        return by_key.get(person_key(m))
    return by_key.get(org_key(m))


def bare_surname_holder(m: Span, candidates: list[Actor]) -> Actor:
    """The person a bare surname names when several full names share it ("Sen. Ted Cruz" and "Heidi
    Cruz"). Journalistic convention gives the bare surname to the article's principal holder and calls a
    relative by the given name, so the choice is: the one the bare surname already named, else the one
    with the most mentions so far, else the one introduced first; the nearest one breaks a tie."""
    # "pro-Clinton" is no full name of a Clinton
    candidates = [a for a in candidates if a.name[:1].isupper()] or candidates
    before = [a for a in candidates if a.mentions and a.mentions[0].start < m.start]
    if not before:
        return candidates[0]  # "Putin" before "Vladimir Putin": the only names to go by come later
    titles = {t.casefold() for t in titles_of(m)}

    def prominence(a: Actor) -> tuple[bool, bool, int, int, int]:
        earlier = [x for x in a.mentions if x.start < m.start]
        # a title names its holder ("Secretary Clinton"); only an unqualified surname follows the convention
        same_title = bool(titles & {t.casefold() for t in a.titles})
        named_bare = any(len(x) == 1 and x.text.casefold() == m.text.casefold() and not titles_of(x)
                         and gender_of(x) is None for x in earlier)
        return same_title, named_bare, len(earlier), -earlier[0].start, earlier[-1].start

    return max(before, key=prominence)


def qualified_name(m: Span, label: str) -> str:
    """An organisation's name with the country that owns it: "Ukraine's Defense Ministry"."""
    doc = m.doc
    if label == "ORG" and m.start >= 2 and doc[m.start - 1].tag_ == "POS" and doc[m.start - 2].ent_type_ == "GPE":
        return clean_name(doc[m.start - 2 : m.end])
    return clean_name(m)


def clean_name(m: Span) -> str:
    return re.sub(r"\s+", " ", m.text).strip()


def merge_acronyms(actors: list[Actor]) -> None:
    """Fold "UN" / "U.N." into "United Nations" when the initials match."""
    long_names = {initials(a.name): a for a in actors if a.type != "PERSON" and len(a.name.split()) >= 2}
    for a in actors:
        key = a.name.replace(".", "")
        if a.type != "PERSON" and key.isupper() and 2 <= len(key) <= 6 and key in long_names:
            target = long_names[key]
            if target is not a:
                target.mentions.extend(a.mentions)
                target.titles.extend(t for t in a.titles if t not in target.titles)
                a.mentions = []


def merge_short_org_names(actors: list[Actor]) -> None:
    """Fold a one-word organisation name into the article's one longer name it shortens: "Patriot" and "State"
    are "Patriot Coal" and "State Department" (the name without its organisation word), "the Times" is "The New
    York Times" (the organisation word alone). Two longer names it could shorten, and it stays itself."""
    longer = [a for a in actors if a.type == "ORG" and len(_name_words(a.name)) >= 2]
    for a in actors:
        words = _name_words(a.name)
        if a.type != "ORG" or len(words) != 1 or not a.mentions:
            continue
        word = words[0].casefold()
        fits = [b for b in longer if b is not a and b.mentions and _shortens(word, [w.casefold() for w in
                                                                                    _name_words(b.name)])]
        if len(fits) == 1:
            target = fits[0]
            target.mentions.extend(a.mentions)
            target.titles.extend(t for t in a.titles if t not in target.titles)
            a.mentions = []


def _name_words(name: str) -> list[str]:
    words = name.split()
    return words[1:] if words and words[0].casefold() == "the" else words


def _shortens(word: str, words: list[str]) -> bool:
    if "of" in words:  # "Library of Congress" is not "Congress"
        return False
    if len(words) == 2 and words[0] == word and words[1].rstrip(".") in ORGANISATION_HEADS:
        return True
    return words[-1] == word and word in ORGANISATION_HEADS


def initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def qualifier_country(m: Span) -> str | None:
    """The country an ORG name is qualified with: "Russian Defense Ministry" -> Russia."""
    words = m.text.split()
    for w in words[:-1] if len(words) > 1 else []:
        if w in demonyms():
            return demonyms()[w][0]
    doc = m.doc
    if m.start >= 2 and doc[m.start - 1].tag_ == "POS" and doc[m.start - 2].ent_type_ == "GPE":
        return doc[m.start - 2].text
    if m.start >= 1 and doc[m.start - 1].text in demonyms():
        return demonyms()[doc[m.start - 1].text][0]
    return None


def titles_of(m: Span) -> list[str]:
    """Titles written before a name ("Russian President") and roles in apposition ("an aide to X")."""
    out = []
    doc = m.doc
    start = m.start
    while start > 0 and doc[start - 1].dep_ in {"compound", "amod", "nmod", "npadvmod", "punct"} and \
            doc[start - 1].head.i >= m.start - 1 and doc[start - 1].text not in {",", "(", '"', "“"}:
        start -= 1
    while start < m.start and doc[start].is_lower and doc[start].lower_ not in person_titles() and \
            doc[start].lower_ not in TITLE_KEEP_LOWER:
        start += 1
    prefix = title_prefix(list(doc[start : m.start]), TITLE_KEEP_LOWER)
    if prefix:
        out.append(doc[prefix[0].i : prefix[-1].i + 1].text)
    for child in m.root.children:
        if child.dep_ == "appos" and child.i > m.root.i:
            subtree = list(child.subtree)
            words = doc[subtree[0].i : subtree[-1].i + 1]
            text = re.sub(r"^(an?|the)\s+", "", words.text)
            if len(words) <= 8 and any(t.lower_ in person_titles() for t in words):
                out.append(text)
    return out


def given_name_gender(name: str) -> str | None:
    """'m' or 'f' as the first word of a full name says (Bill, Michelle), else None."""
    guess = gender_detector().get_gender(name.split()[0]) if name.split() else None
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(guess or "")


def gender_of(m: Span) -> str | None:
    doc = m.doc
    before = doc[m.start - 1].lower_ if m.start > 0 else ""
    if before in MALE_HONORIFICS:
        return "m"
    if before in FEMALE_HONORIFICS:
        return "f"
    if len(m) < 2:
        return None
    guess = gender_detector().get_gender(m[0].text)
    if guess in {"male", "mostly_male"}:
        return "m"
    if guess in {"female", "mostly_female"}:
        return "f"
    return None


# --- descriptions and pronouns -------------------------------------------------------------------


def link_descriptions(doc: Doc, actors: list[Actor], actor_at: dict[int, Actor]) -> None:
    """Link "the Russian president" or "the British report" to the actor named earlier."""
    for chunk in definite_descriptions(doc):
        if chunk.root.i in actor_at:
            continue
        actor = actor_for_description(chunk, actors)
        if actor is not None:
            mention = Span(doc, chunk.start, chunk.end)
            actor.mentions.append(mention)
            actor.mentions.sort(key=lambda s: s.start)
            for i in range(mention.start, mention.end):
                actor_at.setdefault(i, actor)


def definite_descriptions(doc: Doc) -> list[Span]:
    """Noun phrases 'the ... NOUN' headed by a title or an organisation noun. (spaCy's noun_chunks
    would do, but it walks the whole doc in Python and costs more than the rest of this component.)"""
    heads = person_titles() | ORG_HEAD_NOUNS
    out = []
    for token in doc:
        if token.pos_ == "NOUN" and token.lower_ in heads:
            start = token.left_edge.i
            if doc[start].lower_ == "the" and start < token.i:
                out.append(doc[start : token.i + 1])
            elif token.lower_ in person_titles() and coreference.is_country_possessive(doc, start, token.i):
                out.append(doc[start : token.i + 1])  # "Moldova's president"
    return out


def actor_for_description(chunk: Span, actors: list[Actor]) -> Actor | None:
    """The actor a description stands for (the salience rules are in `newsgraph.coreference`)."""
    if chunk.root.lower_ in person_titles():
        return coreference.description_actor(chunk, actors)
    if chunk.root.lower_ in ORG_HEAD_NOUNS:
        return coreference.described_organisation(chunk, actors)
    return None


def last_mention_before(actor: Actor, i: int) -> int:
    return coreference.last_mention_before(actor, i)


def link_personal_pronouns(doc: Doc, actor_at: dict[int, Actor]) -> None:
    # the pronouns from the tags' array, without making a Token of every other word
    pronouns = numpy.flatnonzero(doc.to_array([POS]).reshape(-1) == doc.vocab.strings["PRON"]).tolist()
    for i in pronouns:
        token = doc[i]
        low = token.lower_
        if token.i in actor_at:
            continue
        if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
            actor = antecedent_person(token, actor_at, "m" if low in MALE_PRONOUNS else "f")
            if actor is not None:
                add_mention(actor, Span(doc, token.i, token.i + 1), actor_at)


def add_mention(actor: Actor, span: Span, actor_at: dict[int, Actor]) -> None:
    actor.mentions.append(span)
    actor.mentions.sort(key=lambda s: s.start)
    for i in range(span.start, span.end):
        actor_at[i] = actor
    if span.root.lower_ in MALE_PRONOUNS and actor.gender is None:
        actor.gender = "m"
    elif span.root.lower_ in FEMALE_PRONOUNS and actor.gender is None:
        actor.gender = "f"


def antecedent_person(pronoun: Token, actor_at: dict[int, Actor], gender: str) -> Actor | None:
    """The person a he/she/him/his refers to (the salience model is in `newsgraph.coreference`)."""
    return coreference.person_antecedent(pronoun, actor_at, gender)


def _sentence_start_n_back(doc: Doc, token: Token, n: int) -> int:
    """Start of the sentence n sentences before the token's (0 at the top of the doc)."""
    return coreference.sentence_start_n_back(doc, token.i, n)


# --- resolving a statement's source -------------------------------------------------------------


def resolve_mention(span: Span) -> Actor | None:
    """The actor a source mention stands for, or None.

    Named and linked mentions come from `doc._.actor_at`; "it", "they", "both countries" and
    described groups ("Ukrainian officials") are resolved here, on demand, because they are only
    worth resolving when they are a statement's source.
    """
    doc = span.doc
    actor_at: dict[int, Actor] = doc._.actor_at or {}
    members = [a for a in coordinated_actors(span.root, actor_at) if any(m.start >= span.start
               and m.end <= span.end for m in a.mentions)]
    if len(members) >= 2 and span.root.i in actor_at:
        return group_actor(doc, members, span.root)  # "Poland and Bulgaria said"
    if span.root.lower_ in RELATIVE_PRONOUNS and span.root.head.dep_ == "relcl" and len(span) == 1:
        return resolve_mention(doc[span.root.head.head.i : span.root.head.head.i + 1])  # "X, who said"
    if span.root.i in actor_at:
        return actor_at[span.root.i]
    named = [actor_at[t.i] for t in span if t.i in actor_at and t.dep_ not in {"poss"}]
    root_low = span.root.lower_
    titled = root_low in person_titles() and span.root.pos_ == "NOUN"
    if titled and (named_in_apposition := apposed_person(span, actor_at)) is not None:
        return named_in_apposition  # "the LinkedIn chief executive, Jeff Weiner,"
    if named and root_low not in group_nouns() | ORG_HEAD_NOUNS and not titled:
        # (a title-headed phrase is its holder, not the name modifying it: "the New Jersey governor")
        return named[0]
    if root_low in SINGULAR_THING_PRONOUNS:
        return antecedent_thing(span.root, actor_at, plural=False)
    if root_low in PLURAL_PRONOUNS:
        return antecedent_thing(span.root, actor_at, plural=True)
    if span[0].lower_ in {"both", "the"} and root_low in PAIR_NOUNS:
        # "both countries", "the two sides": only a coordinated pair will do
        return antecedent_thing(span.root, actor_at, plural=True, groups_only=True)
    if span.root.tag_ in {"NNS", "NNPS"} and root_low in group_nouns():
        return described_group(doc, span.root)
    if titled:
        # "Russia's ambassador in Washington", "a senior official": a person known by role
        return described_group(doc, span.root, actor_type="PERSON", mention=span)
    if span.root.ent_type_ in ACTOR_LABELS:
        return named_actor(doc, span)
    return None


def relative_antecedent(span: Span) -> Span | None:
    """The noun phrase a relative pronoun stands for ("the study -- which notes", "a raft of new emissions rules
    that promise"): from the noun the relative clause hangs on (or the quantity noun it is counted by: "a raft
    of") to the word before the pronoun, without the punctuation between. None when `span` is no relative
    pronoun."""
    root = span.root
    if len(span) != 1 or root.lower_ not in RELATIVE_PRONOUNS or root.head.dep_ != "relcl":
        return None
    noun = root.head.head
    while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in PARTITIVE_NOUNS:
        noun = noun.head.head
    start, end = noun.left_edge.i, root.i
    doc = span.doc
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end <= start or noun.pos_ not in NOMINAL_POS or not noun.i < end:
        return None
    return doc[start:end]


def apposed_person(span: Span, actor_at: dict[int, Actor]) -> Actor | None:
    """The person named in apposition to a title-headed phrase ("the LinkedIn chief executive, Jeff Weiner")."""
    for child in span.root.children:
        if child.dep_ == "appos":
            actor = actor_at.get(child.i)
            if actor is not None and actor.type == "PERSON":
                return actor
    return None


def named_actor(doc: Doc, span: Span) -> Actor:
    """An actor for a named source the linker left out, e.g. a place name that speaks
    ("a decision by Germany, which said ..."), made once per article."""
    ents = [e for e in doc.ents if e.start <= span.root.i < e.end]
    mention = trim_mention(ents[0]) if ents else None
    mention = mention or span
    if is_common_noun_use(mention):  # "a super PAC said": a described body, as "a local group" would be
        return described_group(doc, span.root)
    if mention.root.i in doc._.actor_at:  # the name cut out of a headline entity is a known actor's
        return doc._.actor_at[mention.root.i]
    for a in doc._.actors:
        if a.name == clean_name(mention):
            a.mentions.append(mention)
            return a
    actor = Actor(name=clean_name(mention), type=span.root.ent_type_, mentions=[mention])
    doc._.actors.append(actor)
    for i in range(mention.start, mention.end):
        doc._.actor_at.setdefault(i, actor)
    return actor


def antecedent_thing(pronoun: Token, actor_at: dict[int, Actor], plural: bool,
                     groups_only: bool = False) -> Actor | None:
    """The organisation or group an "it" / "they" stands for: the nearest earlier source-like subject."""
    doc = pronoun.doc
    window_start = _sentence_start_n_back(doc, pronoun, 2)
    for i in range(pronoun.i - 1, window_start - 1, -1):
        token = doc[i]
        if token.dep_ not in SUBJECT_DEPS or token.pos_ == "PRON":
            continue
        group = coordinated_actors(token, actor_at)
        if plural and len(group) >= 2:
            return group_actor(doc, group, token)
        actor = actor_at.get(token.i)
        if groups_only:
            if actor is not None and actor.members:
                return actor
            continue
        if actor is not None and actor.type in {"ORG", "GPE", "NORP", "GROUP"} and (
                plural == (actor.type in {"NORP", "GROUP"} or bool(actor.members)) or actor.type == "ORG"):
            return actor
        if plural and token.tag_ in {"NNS", "NNPS"} and token.lower_ in group_nouns():
            return described_group(doc, token)
    return None


def coordinated_actors(token: Token, actor_at: dict[int, Actor]) -> list[Actor]:
    """Actors of a coordinated subject ("Poland and Bulgaria")."""
    out = []
    for t in [token, *token.conjuncts]:
        a = actor_at.get(t.i)
        if a is not None and a not in out:
            out.append(a)
    return out


def group_actor(doc: Doc, members: list[Actor], token: Token) -> Actor:
    """One actor standing for several ("Poland and Bulgaria"), made once per article."""
    span_tokens = [token, *token.conjuncts]
    mention = doc[min(t.i for t in span_tokens) : max(t.i for t in span_tokens) + 1]
    name = clean_name(mention)
    for a in doc._.actors:
        if a.members and set(map(id, a.members)) == set(map(id, members)):
            return a
    first = min(members, key=lambda a: a.mentions[0].start)
    actor = Actor(name=name, type="GROUP", mentions=[mention], members=members, country=first.country)
    doc._.actors.append(actor)
    return actor


def described_group(doc: Doc, head: Token, actor_type: str = "GROUP", mention: Span | None = None) -> Actor:
    """An actor for a described source ("Ukrainian officials", "Russia's ambassador in Washington"),
    made once per article."""
    if mention is None:
        modifiers = [t.left_edge.i for t in head.lefts if t.dep_ in {"amod", "compound", "det", "nmod", "nummod"}]
        mention = doc[min(modifiers, default=head.i) : head.i + 1]
    words = [t for t in mention if t.lower_ not in {"the", "a", "an", "some", "many", "several"}]
    name = " ".join(t.text for t in words) or head.text
    for a in doc._.actors:
        if a.type == actor_type and a.name.casefold() == name.casefold():
            if all(m.start != mention.start for m in a.mentions):
                a.mentions.append(mention)
            return a
    actor = Actor(name=name, type=actor_type, mentions=[mention])
    doc._.actors.append(actor)
    return actor
