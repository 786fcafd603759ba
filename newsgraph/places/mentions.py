"""Mentions: stretches of tokens that may name a place, found by the NER, the parse and the gazetteer."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.docinfo import text_of
from newsgraph.lexicons import demonyms
from newsgraph.places.cues import CAPITALISED_UNIT_WORDS, cues
from newsgraph.places.gazetteer import Entry, Gazetteer, name_key, unique_entries, within

LITERAL, METONYM, ASSOCIATIVE = "literal", "metonym", "associative"
# Sources of candidates that only a learned reader takes as places (see MentionFinder.weak_candidates).
WEAK, WEAK_ADJECTIVE = "weak", "weak_adjective"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# NER labels whose spans may still be places the model mislabelled ("Mariupol" ORG, "Kyiv" PERSON).
RELABEL_LABELS = frozenset({"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
# Labels that are never places, whatever their text.
NEVER_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LANGUAGE"})

# What follows the place name of a dateline: "SEOUL, South Korea (CNN) -", "WASHINGTON ― ".
DATELINE_ENDS = frozenset({",", "(", "—", "–", "―", "-", "--", ":"})

# --- mentions -------------------------------------------------------------------------------------


@dataclass
class Mention:
    """A stretch of tokens that may name a place, with its gazetteer candidates."""

    start: int
    end: int
    key: str
    source: str
    entries: list[Entry] = field(default_factory=list)
    hint: str | None = None
    reading: str = LITERAL
    qualifier: Mention | None = None
    fuzzy: bool = False
    chosen: Entry | None = None


def _is_name_token(t: Token) -> bool:
    """A token that can be part of a place name: capitalised words and abbreviations ('N.M.', 'Calif.')."""
    text = t.text
    return (text[:1].isupper() and text.replace(".", "").isalpha()) or text in {"-", "'s", "’s"}


def _capitalised(span: Span) -> bool:
    """A name is written capitalised: 'reading' and 'grand' are words, 'Reading' may be a place."""
    return all(t.text[:1].isupper() or t.is_punct or t.lower_ in {"of", "the", "and", "de", "la", "el", "on", "upon",
                                                                   "al", "du", "del", "am", "an", "der", "sur"}
               or t.is_digit for t in span) and span[0].text[:1].isupper()


def trim(span: Span) -> Span:
    """Drop a leading article or compass adjective and a trailing possessive or punctuation."""
    doc, start, end = span.doc, span.start, span.end
    compass = cues()["compass"]
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or (doc[start].lower_ in compass
                           and doc[start].text[:1].islower())):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end]


def lookup_span(gaz: Gazetteer, span: Span) -> tuple[list[Entry], bool]:
    """Gazetteer entries for a span's text: exact key, else transliteration skeleton (fuzzy=True).

    A short all-capital token ("CHU", "WA") is an abbreviation: only countries, units and curated
    places answer to it, not the towns whose alternate names happen to match it. A skeleton match
    must be a long name and a prominent place, or near-misses of common words would become places."""
    key = name_key(span.text)
    if not key:
        return [], False
    found = gaz.lookup(key)
    if len(span) == 1 and span.text.isupper() and len(key) <= 4:
        found = gaz.lookup_abbreviation(key)
    if found or len(key) < 6:
        return found, False
    fuzzy = [e for e in gaz.lookup_fuzzy(key) if e.feature != "city" or e.population >= 10_000]
    return fuzzy, True


def _is_upper_word(t: Token) -> bool:
    return t.is_upper and (t.is_alpha or t.text.replace(".", "").replace("-", "").isalpha())


class MentionFinder:
    """Collects place mentions over a doc, at most one per token."""

    def __init__(self, doc: Doc, gaz: Gazetteer, weak_candidates: bool = False) -> None:
        self.doc = doc
        self.gaz = gaz
        # Also names the rules would drop (a firm-tagged town name out of a place context, a nationality
        # adjective before any noun), as WEAK candidates for a learned reader to decide on.
        self.weak_candidates = weak_candidates
        self.cues = cues()
        self.taken: dict[int, Mention] = {}
        self.mentions: list[Mention] = []
        # Token texts as plain strings: the passes below scan every token, and building a Token object
        # for each would cost more than all the rest of the component.
        text = text_of(doc)
        self.words = [text[a:a + n] for a, n in zip(doc.to_array("IDX").tolist(), doc.to_array("LENGTH").tolist(),
                                                    strict=True)]
        self.lowers = [w.lower() for w in self.words]
        # "Sandy Angers ... said Angers": a surname of a person the article names is that person.
        self.surnames = {ent[-1].lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
        self._named_countries: set[str] | None = None

    def free(self, start: int, end: int) -> bool:
        return all(i not in self.taken for i in range(start, end))

    def add(self, m: Mention) -> Mention | None:
        if m.end <= m.start or not self.free(m.start, m.end):
            return None
        for i in range(m.start, m.end):
            self.taken[i] = m
        self.mentions.append(m)
        return m

    def candidate(self, span: Span, source: str, hint: str | None = None) -> Mention | None:
        """A mention for the span when the gazetteer knows its name."""
        if not len(span) or not _capitalised(span) or span.text in self.cues["not_a_place"]:
            return None
        if len(span) == 1 and span[0].lower_ in self.surnames:
            return None
        entries, fuzzy = lookup_span(self.gaz, span)
        # "Syrian" is an adjective, even if a town in Iran has it among its alternate names; a curated
        # name the tagger takes for an adjective ("the Azovstal plant") is still that place.
        if len(span) == 1 and (span[0].pos_ == "ADJ" or (span.text in demonyms() and not span.text.isupper())):
            entries = [e for e in entries if e.curated]
        if not entries:
            return None
        return Mention(span.start, span.end, name_key(span.text), source, entries, hint=hint, fuzzy=fuzzy)

    def add_place_span(self, span: Span, source: str, hint: str | None = None) -> Mention | None:
        m = self.candidate(span, source, hint)
        return self.add(m) if m is not None else None

    # -- sources, in order of trust --

    def find(self) -> list[Mention]:
        self.datelines()
        self.admin_units()
        self.settlements()
        self.qualified_names()
        for ent in self.doc.ents:
            self.entity(ent)
        self.prepositional()
        self.qualifiers()
        self.adjectives()
        self.named_features()
        self.recipients()
        return sorted(self.mentions, key=lambda m: m.start)

    def recipients(self) -> None:
        """'get Kyiv the weapons': a country or capital between a giving verb and its object; and
        'Kyiv can still win' where the NER tagged nothing: a country or capital as a verb's subject."""
        doc = self.doc
        verbs = self.cues["ditransitive_verb"]
        for i, word in enumerate(self.words):
            if word[:1].isupper() and i not in self.taken and not doc[i].ent_type_ and doc[i].dep_ == "nsubj":
                span = doc[i:i + 1]
                m = self.candidate(span, "actor")
                if m is not None and self.may_be_actor(span, m):
                    self.add(m)
        for i in range(len(doc) - 2):
            if not self.words[i + 1][:1].isupper() or i + 1 in self.taken or not self.words[i][:1].islower():
                continue
            if doc[i].pos_ != "VERB" or doc[i].lemma_.lower() not in verbs:
                continue
            name = self._name_after(i + 1, 3)
            if name is None or name.end >= len(doc) or doc[name.end].pos_ not in ("DET", "NUM", "ADJ", "NOUN"):
                continue
            m = self.candidate(name, "actor")
            if m is not None and self.may_be_actor(name, m):
                m.hint = "recipient"
                self.add(m)

    def datelines(self) -> None:
        """'SEOUL, South Korea (CNN) -', 'ALBUQUERQUE, N.M. (AP) —', 'NEW DELHI:': an all-capital place
        name opening a line or a sentence, before a comma, an agency in brackets, a dash or a colon."""
        doc = self.doc
        words = self.words
        i = 0
        while i < len(doc):
            if not (words[i].isupper() and words[i].isalpha()):
                i += 1
                continue
            end = i
            while end < len(doc) and end - i < 4 and words[end].isupper() and words[end].isalpha():
                end += 1
            # "Associated Press WASHINGTON (AP) —": an agency in brackets marks a dateline anywhere.
            agency = end + 2 < len(doc) and words[end] == "(" and words[end + 2] == ")" and words[end + 1].isupper()
            if not (agency or self._opens_unit(doc[i])):
                i = end + 1
                continue
            if end < len(doc) and doc[end].text in DATELINE_ENDS and len(doc[i:end].text) >= 4:
                m = self.candidate(doc[i:end], "dateline")
                # "WALLACE:" opens a speaker's turn in a transcript; "NEW DELHI:" a dateline.
                if m is not None and doc[end].text == ":" and (doc[i].ent_type_ == "PERSON" or not any(
                        e.feature in ("country", "admin1") or e.population >= 100_000 for e in m.entries)):
                    m = None
                m = self.add(m) if m is not None else None
                if m is not None and doc[end].text == ",":
                    self.qualifier_after(m, end)
            i = end + 1

    def _opens_unit(self, t: Token) -> bool:
        """Does the token open a line or a sentence?"""
        if t.i == 0 or t.is_sent_start:
            return True
        prev = self.doc[t.i - 1]
        return "\n" in prev.text + prev.whitespace_ or prev.text in {".", "!", "?", "|", "”", '"'}

    def admin_units(self) -> None:
        """'Kherson region', 'Donetsk Oblast', 'the Zaporizhzhya, Mykolayiv, and Kharkiv regions'."""
        doc = self.doc
        suffixes = self.cues["admin_suffix"]
        for i, lower in enumerate(self.lowers):
            if lower not in suffixes or i == 0 or not self.words[i - 1][:1].isupper():
                continue
            # "Arizona State", "Arizona Republic", "the State Department" name no units.
            if self.words[i][:1].isupper() and lower not in CAPITALISED_UNIT_WORDS:
                continue
            # "North State Street", "Lagos State Governor": the name runs on past the unit word;
            # "the U.S. Department of Labor" is no unit.
            if i + 1 < len(doc) and ((self.words[i + 1][:1].isupper() and self.words[i][:1].isupper())
                                     or self.lowers[i + 1] == "of"):
                continue
            t = doc[i]
            name = self._name_before(t.i)
            if name is None:
                continue
            whole = doc[name.start:t.i + 1]
            # The whole name first ("Horry County", "Miami-Dade County"), then the name before the suffix.
            if self.add_place_span(whole, "admin", "admin") is None:
                m = self.candidate(name, "admin", "admin")
                if m is None or not self.free(m.start, t.i + 1) or m.fuzzy \
                        or all(e.feature == "country" for e in m.entries):
                    continue
                # "the Luhansk region" names the unit with its unit word; "the Kherson and Mykolaiv
                # regions" names two units, each by its name.
                if not t.lower_.endswith("s"):
                    m.end = t.i + 1
                self.add(m)
            if t.lower_.endswith("s"):
                self._coordinated_before(name.start, "admin")

    def _name_before(self, i: int, limit: int = 5) -> Span | None:
        """The run of capitalised tokens that ends right before token i."""
        doc = self.doc
        start = i
        while start > 0 and _is_name_token(doc[start - 1]) and doc[start - 1].tag_ != "POS" and i - start < limit:
            start -= 1
        # A name starts with a proper noun: not with "The", "But" or a hyphen.
        while start < i and (not doc[start].text[:1].isupper() or doc[start].pos_ in ("DET", "CCONJ", "ADV", "PRON")):
            start += 1
        return doc[start:i] if start < i else None

    def _name_after(self, i: int, limit: int = 4) -> Span | None:
        """The run of capitalised tokens that starts at token i."""
        doc = self.doc
        end = i
        while end < len(doc) and end - i < limit and (_is_name_token(doc[end]) or _is_upper_word(doc[end])) \
                and doc[end].tag_ != "POS" and doc[end].text != "-":
            end += 1
        return doc[i:end] if end > i else None

    def _coordinated_before(self, i: int, hint: str) -> None:
        """Walk back over 'X, Y, and' before a plural head: each name is a unit of that kind."""
        doc = self.doc
        j = i
        while j > 0 and doc[j - 1].lower_ in {",", "and", "or"}:
            while j > 0 and doc[j - 1].lower_ in {",", "and", "or"}:
                j -= 1
            name = self._name_before(j)
            if name is None or self.add_place_span(name, "coordinated", hint) is None:
                return
            j = name.start

    def settlements(self) -> None:
        """'the city of Kreminna', 'the village of Bucha', 'the cities of Slovyansk and Kramatorsk'."""
        doc = self.doc
        nouns = self.cues["settlement_noun"]
        units = self.cues["admin_suffix"]
        lowers = self.lowers
        for j in range(len(doc) - 2):
            if (lowers[j] not in nouns and lowers[j] not in units) or lowers[j + 1] != "of":
                continue
            hint = "city" if lowers[j] in nouns else "admin"
            i = j + 2
            while i < len(doc):
                name = self._name_after(i, 5)
                if name is None or self.add_place_span(name, "settlement", hint) is None:
                    break
                i = name.end
                if i < len(doc) - 1 and doc[i].lower_ in {",", "and", "or"}:
                    i += 1 + (doc[i + 1].lower_ in {"and", "or"})
                else:
                    break

    def qualified_names(self) -> None:
        """'Knockhill, Fife', 'Oulton Park, Cheshire', 'Espoo, Finland': a name, a comma, then an admin
        unit or a country. A name the gazetteer lacks still lies in the unit after it."""
        doc = self.doc
        for j in range(1, len(doc) - 1):
            if self.words[j] != "," or not self.words[j + 1][:1].isupper():
                continue
            comma = doc[j]
            left = self._name_before(comma.i, 4)
            right = self._name_after(comma.i + 1, 3)
            if left is None or right is None or not self.free(left.start, left.end):
                continue
            units = self.gaz.qualifier(name_key(right.text)) if right.text[:1].isupper() else []
            # "Helen, Clarence, Irene": a list of names, not a place and its unit.
            if not units or self._in_list(left, right) or left.root.ent_type_ == "PERSON":
                continue
            m = self.candidate(left, "qualified")
            if m is not None:
                m.entries = [e for e in m.entries if within(e, units)]
                m = self.add(m) if m.entries else None
            if m is None and self.is_named_place(left):
                m = self.add(Mention(left.start, left.end, name_key(left.text), "facility"))
            # "Rockingham, Northamptonshire." at a sentence's end: a place the gazetteer lacks, in that unit.
            if m is None and units[0].feature in ("admin1", "admin2") and self._bare_name(left) \
                    and (right.end >= len(doc) or self.words[right.end] in {".", ";", "(", ")"}):
                m = self.add(Mention(left.start, left.end, name_key(left.text), "unlisted"))
            if m is not None:
                self.qualifier_after(m, comma.i)

    def _in_list(self, left: Span, right: Span) -> bool:
        """Is 'Left, Right' part of a comma list ('Helen, Clarence, Irene and Marie')?"""
        before = self.lowers[left.start - 1] if left.start > 0 else ""
        after = self.lowers[right.end] if right.end < len(self.doc) else ""
        return before in {",", "and", "or"} or (after in {",", "and", "or"} and before not in {"in", "at", "from"})

    def _units(self, span: Span) -> list[Entry]:
        """Admin units or countries a whole run of names after a comma names."""
        return self.gaz.qualifier(name_key(span.text)) if span.text[:1].isupper() else []

    def _bare_name(self, span: Span) -> bool:
        """A short proper name that can be an unlisted village: not a person's, not an organisation's."""
        return len(span) <= 3 and all(t.pos_ == "PROPN" and t.is_alpha for t in span) \
            and span.root.ent_type_ not in ("PERSON", "NORP", "DATE") and not self.is_body_name(span)

    def entity(self, ent: Span) -> None:
        if ent.label_ in NEVER_LABELS:
            return
        span = trim(ent)
        if not len(span) or not self.free(span.start, span.end):
            return
        if ent.label_ in PLACE_LABELS:
            m = self.candidate(span, "ner")
            # "living in Boa Vista" with only "Vista" tagged: the name may start a word earlier.
            wider = self.doc[span.start - 1:span.end] if span.start > 0 else None
            if wider is not None and _is_name_token(wider[0]) and wider[0].pos_ == "PROPN" \
                    and (span.start - 1) not in self.taken:
                m = self.candidate(wider, "ner") or m
            if m is None and len(span) > 1 and span[-1].lower_ in self.cues["admin_suffix"]:
                m = self.candidate(span[:-1], "ner", "admin")
            if m is not None:
                self.add(m)
            elif self.is_named_place(span) or (ent.label_ == "FAC" and self.in_locative_context(span)):
                tail = self.curated_tail(span)
                self.add(tail or Mention(span.start, span.end, name_key(span.text), "facility"))
            return
        # A NORP-tagged proper noun may be a town ("authorities in Tunis"); an adjective is not.
        if ent.label_ in RELABEL_LABELS and (ent.label_ != "NORP" or span.root.pos_ == "PROPN"):
            if self.is_body_name(span):
                return
            m = self.candidate(span, "relabel")
            if m is not None and self.in_place_context(span, m, ent.label_):
                self.add(m)
            elif m is not None and self.may_be_actor(span, m):
                m.source = "actor"
                self.add(m)
            elif m is None and self.is_named_place(span) and self.in_locative_context(span):
                tail = self.curated_tail(span)
                self.add(tail or Mention(span.start, span.end, name_key(span.text), "facility"))
            elif m is not None and self.weak_candidates:
                m.source = WEAK
                self.add(m)

    def may_be_actor(self, span: Span, m: Mention) -> bool:
        """'Kyiv can still win' with "Kyiv" tagged PERSON: a capital or country named alone, in an
        article that names its country, may stand for its government (kept only if the parse agrees)."""
        text = text_of(self.doc)
        for e in m.entries:
            country = self.gaz.countries.get(e.country or "")
            if country is None or not (e.feature == "country" or e.capital):
                continue
            if e.feature == "country" or country.name in text:
                # Not a part of a person's longer name elsewhere ("Paris Hilton").
                return not any(ent.label_ == "PERSON" and len(ent) > 1 and span.text in ent.text
                               for ent in self.doc.ents)
        return False

    def curated_tail(self, span: Span) -> Mention | None:
        """'the U.S. Ramstein Air Base': a curated facility after a modifier."""
        for k in range(1, min(len(span), 3)):
            tail = span[k:]
            entries = [e for e in self.gaz.lookup(name_key(tail.text)) if e.curated]
            if entries:
                return Mention(tail.start, tail.end, name_key(tail.text), "ner", entries)
        return None

    def is_body_name(self, span: Span) -> bool:
        """'United Nations', 'Washington Post': an organisation's name, though it holds a place name."""
        return len(span) > 1 and span[-1].text in self.cues["body_noun"] and not self.gaz.lookup(name_key(span.text))

    def is_named_place(self, span: Span) -> bool:
        """A facility, street, campus or natural feature by the form of its name."""
        c = self.cues
        last = span[-1].text.rstrip(".")
        if len(span) < 2:
            return False
        return (last in c["facility_head"] or last in c["street_head"] or last in c["natural_head"]
                or span[0].text.rstrip(".") in c["natural_prefix"] or any(t.text in c["campus_word"] for t in span))

    def in_locative_context(self, span: Span) -> bool:
        doc = self.doc
        i = span.start - 1
        if i > 0 and doc[i].lower_ == "the":
            i -= 1
        if i < 0:
            return False
        before = doc[i]
        # "according to X", "close to X" are about sources and people, not places.
        if i > 0 and before.lower_ == "to" and doc[i - 1].lower_ in {"according", "close", "due", "thanks", "next"}:
            return False
        return before.lower_ in self.cues["locative_prep"] or (before.tag_ == "POS" and i - 1 in self.taken)

    def in_place_context(self, span: Span, m: Mention, label: str) -> bool:
        """Is a name the NER did not call a place used as one here?"""
        doc = self.doc
        person = label == "PERSON"
        if person and not any(e.feature in ("country", "admin1", "city") or e.curated for e in m.entries):
            return False
        # "at Zara's headquarters": a possessor of a non-place is a firm or a person.
        if span.end < len(doc) and doc[span.end].tag_ == "POS" and span.root.dep_ == "poss":
            owned = span.root.head
            if owned.lower_ not in self.cues["locative_head"] and owned.text not in self.cues["facility_head"] \
                    and owned.i not in self.taken and owned.ent_type_ not in ("GPE", "LOC", "FAC"):
                return False
        # A person's name needs a verb of place or motion before it ("moved to Thornhill", not "a letter
        # to Obama"); an organisation's a place preposition ("in Dewsbury").
        if self.is_destination(span) if person else self.in_locative_context(span):
            return True
        if self.has_place_neighbour(span):
            return True
        if person or len(span) > 3:
            return False
        # An organisation-labelled name that is a country or a curated place is mostly that place (the
        # reading rules then tell "Durban court" from "Durban said"); a unit or a city's name only in an
        # article that names its country, as firms and car models share names with towns abroad
        # ("Toyota", "the Falcon"), and for a mere town only where it locates a noun ("Durban court").
        locates = span.root.dep_ in ("compound", "poss") and (
            span.root.head.lower_ in self.cues["locative_head"] or span.root.head.text in self.cues["facility_head"])
        for e in m.entries:
            if e.feature in ("country", "continent") or e.curated or e.capital or e.population >= 1_000_000:
                return True
            if e.country in self.named_countries() and (e.feature == "admin1" or locates):
                return True
        return False

    def has_place_neighbour(self, span: Span) -> bool:
        """'the Kent-based outfit', 'Ukraine's Mariupol', 'Kreminna, Luhansk', 'Sirte and Misrata':
        a name that other places or place words stand next to."""
        doc = self.doc
        if span.end + 1 < len(doc) and doc[span.end].text == "-" \
                and self.lowers[span.end + 1] in self.cues["hyphen_place"]:
            return True
        if span.start >= 2 and doc[span.start - 1].tag_ == "POS" and (span.start - 2) in self.taken:
            return True
        if span.end + 1 < len(doc) and doc[span.end].text == ",":
            nxt = self._name_after(span.end + 1, 3)
            if nxt is not None and self._units(nxt):
                return True
        root = span.root
        return any((t.dep_ == "conj" or root.dep_ == "conj") and (t.i in self.taken or t.ent_type_ in ("GPE", "LOC"))
                   for t in (root.head, *root.children))

    def is_destination(self, span: Span) -> bool:
        """'moved to Thornhill', 'lives in Bucha': a person-tagged name after a place preposition that
        a verb governs ("a letter to Obama", "support from Obama" do not count)."""
        root = span.root
        prep = root.head
        if root.dep_ != "pobj" or prep.dep_ != "prep":
            return False
        if prep.lower_ in {"in", "at", "near", "outside", "inside", "into", "across", "throughout"}:
            return True
        return prep.lower_ in {"to", "from"} and prep.head.lemma_.lower() in self.cues["motion_verb"]

    def named_countries(self) -> set[str]:
        """Countries the article names outright, by name or nationality adjective."""
        if self._named_countries is None:
            found: set[str] = set()
            for ent in self.doc.ents:
                if ent.label_ == "NORP":
                    country = self.gaz.demonym_country(ent.text)
                    if country is not None and country.country:
                        found.add(country.country)
                elif ent.label_ in PLACE_LABELS:
                    found.update(e.country for e in self.gaz.lookup(name_key(trim(ent).text))
                                 if e.feature == "country" and e.country)
            self._named_countries = found
        return self._named_countries

    def prepositional(self) -> None:
        """'outside Kyiv', 'in Kreminna': capitalised tokens after a locative preposition the NER missed."""
        doc = self.doc
        preps = self.cues["locative_prep"]
        lowers = self.lowers
        for j in range(len(doc) - 1):
            if lowers[j] not in preps:
                continue
            i = j + 1 + (lowers[j + 1] == "the")
            if i >= len(doc) or not self.words[i][:1].isupper():
                continue
            span = self._name_after(i, 4) if i < len(doc) else None
            if span is None or doc[i].ent_type_ in NEVER_LABELS or not self.free(span.start, span.end):
                continue
            # "the University of California", "the Centre for Monitoring Indian Economy": a longer name.
            if span.end + 1 < len(doc) and self.lowers[span.end] in {"of", "for"} \
                    and self.words[span.end + 1][:1].isupper():
                continue
            if j > 0 and lowers[j] == "to" and lowers[j - 1] in {"according", "close", "due", "thanks", "next"}:
                continue
            # Tagged names had their turn in `entity` (a person's or a firm's name needs more than a
            # preposition: "a letter to Obama" is no trip to Obama, Japan).
            if doc[i].ent_type_ and doc[i].ent_type_ not in PLACE_LABELS and doc[i].ent_type_ != "NORP":
                continue
            if not self.is_body_name(span) and not self.add_place_span(span, "preposition") \
                    and self.is_named_place(span):
                self.add(Mention(span.start, span.end, name_key(span.text), "facility"))

    def qualifiers(self) -> None:
        """'Houston, Texas', 'Albuquerque, N.M.', 'Rockingham, WA': the unit after a place and a comma."""
        for m in list(self.mentions):
            if m.qualifier is None and m.end + 1 < len(self.doc) and self.doc[m.end].text == ",":
                self.qualifier_after(m, m.end)

    def qualifier_after(self, m: Mention, comma: int) -> None:
        right = self._name_after(comma + 1, 3)
        if right is None:
            return
        # The unit is the whole run of names after the comma ("Morgan Richard Tsvangirai" is no unit),
        # and no clause's subject ("in Toledo, Clinton says").
        units = self._units(right)
        if not units or right.root.dep_ in ("nsubj", "nsubjpass") or right[0].ent_type_ == "PERSON":
            return
        existing = self.taken.get(right.start)
        if existing is not None:
            # The NER's reading of "WA" may be a town; after a comma it is a unit.
            if existing.start == right.start and existing.end == right.end:
                existing.entries = unique_entries([*units, *existing.entries])
                existing.source = "qualifier"
                m.qualifier = existing
            return
        m.qualifier = self.add(Mention(right.start, right.end, name_key(right.text), "qualifier", units))

    def adjectives(self) -> None:
        """Place adjectives that locate their noun: 'the Syrian-Turkish border', 'Indian states',
        'the Turkish feed industry', 'the European market'."""
        doc = self.doc
        heads = self.cues["locative_head"]
        for i, word in enumerate(self.words):
            if i in self.taken or not word[:1].isupper():
                continue
            place = self.gaz.adjective_place(word)
            t = doc[i]
            if place is None or t.ent_type_ not in ("NORP", "GPE", "LOC", ""):
                continue
            head = self._modified_noun(t)
            # "the Ukrainian city of Mariupol": the place is Mariupol; the adjective only classifies it.
            if head is not None and head.i + 1 < len(doc) and self.lowers[head.i + 1] == "of":
                continue
            if head is not None and head.lower_ in heads:
                self.add(Mention(i, i + 1, name_key(word), "adjective", [place], hint=place.feature))
            elif self.weak_candidates and (head is not None or t.ent_type_):
                self.add(Mention(i, i + 1, name_key(word), WEAK_ADJECTIVE, [place], hint=place.feature))

    def _modified_noun(self, t: Token) -> Token | None:
        """The noun an adjective modifies, across a hyphenated pair ('Syrian-Turkish border')."""
        doc = self.doc
        j = t.i + 1
        while j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].text[:1].isupper():
            j += 2
        if j > t.i + 1:
            t = doc[j - 1]
        if t.dep_ in ("amod", "compound", "nmod") and t.head.i > t.i and t.head.pos_ in ("NOUN", "PROPN"):
            return t.head
        if j < len(doc) and doc[j].pos_ == "NOUN" and t.pos_ == "ADJ":
            return doc[j]
        return None

    def named_features(self) -> None:
        """Streets, squares, natural features and campuses by the form of their names: 'Third Street',
        'N. Bedford Drive', 'Woodman Point', 'Mount Chaambi'."""
        doc = self.doc
        c = self.cues
        for i in range(1, len(doc)):
            word = self.words[i].rstrip(".")
            if i in self.taken or not (word in c["street_head"] or word in c["natural_head"]):
                continue
            t = doc[i]
            name = self._name_before(t.i, 3)
            if name is not None and name[0].pos_ != "DET" and self.free(name.start, t.i + 1):
                source = "street" if word in c["street_head"] else "facility"
                self.add(Mention(name.start, t.i + 1, name_key(doc[name.start:t.i + 1].text), source))
        for i in range(len(doc) - 1):
            if self.words[i].rstrip(".") not in c["natural_prefix"] or i in self.taken:
                continue
            name = self._name_after(i + 1 + (self.words[i + 1] == "."), 3)
            if name is not None and self.free(i, name.end):
                self.add(Mention(i, name.end, name_key(doc[i:name.end].text), "facility"))

