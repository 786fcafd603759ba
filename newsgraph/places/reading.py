"""Reading: is a place name used as a place, for an actor (metonym), or as a non-locating modifier?"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsgraph.places.mentions import ASSOCIATIVE, LITERAL, METONYM, Mention, MentionFinder

# --- reading: a place, or a place name used for something else ----------------------------------


def reading_of(m: Mention, doc: Doc, finder: MentionFinder) -> str:
    """literal, metonym (an actor: 'Turkey says') or associative (a non-locating modifier: 'U.S. officials')."""
    c = finder.cues
    if m.source in ("dateline", "qualifier", "qualified", "unlisted", "settlement", "coordinated", "adjective"):
        return LITERAL
    span = doc[m.start:m.end]
    if m.hint == "recipient":
        return METONYM
    if m.source == "admin":
        # "Kherson region" is a place, but "Cuyahoga County Executive" an office.
        end = doc[m.end] if m.end < len(doc) and doc[m.end].lower_ in c["admin_suffix"] else span.root
        if end.dep_ == "compound" and end.head.i > end.i and end.head.lower_ not in c["locative_head"]:
            return ASSOCIATIVE
        return LITERAL
    # "Moscow-backed" is an actor; "London-based" a place.
    if m.end + 1 < len(doc) and doc[m.end].text == "-":
        after = doc[m.end + 1].lower_
        if after in c["hyphen_actor"]:
            return METONYM
        if after in c["hyphen_place"]:
            return LITERAL
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i and root.head.i not in finder.taken:
        root = root.head
    if root.dep_ == "conj" and root.head.i in finder.taken:
        first = finder.taken[root.head.i]
        if first is not m and first.reading != LITERAL:
            return first.reading
        if first is not m:
            return LITERAL
    return _reading_by_role(root, m, finder)


def _reading_by_role(root: Token, m: Mention, finder: MentionFinder) -> str:
    c = finder.cues
    dep, head = root.dep_, root.head
    if dep in ("nsubj", "csubj"):
        verb = head
        # "Russia is responsible", "Kyiv is ready to talk": a copula with an agent's adjective.
        if any(t.dep_ == "acomp" and t.lower_ in c["agentive_adj"] for t in verb.children):
            return METONYM
        if verb.lemma_.lower() in c["static_verb"] or verb.pos_ not in ("VERB", "AUX"):
            return LITERAL
        return METONYM
    if dep in ("dative", "iobj"):
        return METONYM
    if dep == "dobj":
        return METONYM if head.lemma_.lower() in c["directed_verb"] else LITERAL
    if dep == "poss":
        return _possessor_reading(head, finder)
    if dep == "pobj":
        return _object_of_preposition_reading(head, finder)
    if dep in ("compound", "amod", "nmod"):
        if head.i in finder.taken or head.lower_ in c["locative_head"] or head.text in c["facility_head"] \
                or head.text in c["street_head"]:
            return LITERAL
        return ASSOCIATIVE
    return LITERAL


def _possessor_reading(head: Token, finder: MentionFinder) -> str:
    """'Ukraine's Mariupol' is a place, 'China's move' an actor, 'Russia's ambassador' an institution."""
    c = finder.cues
    if head.i in finder.taken:
        return LITERAL
    lemma = head.lemma_.lower()
    if head.lower_ in c["agentive_poss"] or lemma in c["agentive_poss"]:
        return METONYM
    if head.lower_ in c["institution_poss"] or lemma in c["institution_poss"] or head.ent_type_ in ("PERSON", "ORG"):
        return ASSOCIATIVE
    # "Russia's Defense Ministry": a compound whose last word is an institution.
    if any(t.lower_ in c["institution_poss"] for t in head.children if t.dep_ == "compound"):
        return ASSOCIATIVE
    return LITERAL


def _object_of_preposition_reading(prep: Token, finder: MentionFinder) -> str:
    c = finder.cues
    word = prep.lower_
    governor = prep.head
    gov = governor.lemma_.lower()
    if word == "against":
        return METONYM
    related = gov in c["relation_head"] or governor.lower_ in c["relation_head"]
    if word in ("with", "between", "toward", "towards") and related:
        return METONYM
    # "a loss to San Antonio", "series with Portland": the other side of a contest is a team.
    if word in ("to", "with", "over", "against") and (gov in c["contest_head"] or governor.lower_ in c["contest_head"]):
        return METONYM
    if word in ("on", "over") and gov in c["pressure_head"]:
        return METONYM
    if word == "by" and governor.tag_ == "VBN" and governor.lower_ not in c["hyphen_place"]:
        return METONYM
    if word in ("of", "for", "from") and (gov in c["institution_poss"] or governor.lower_ in c["institution_poss"]):
        return ASSOCIATIVE
    return LITERAL
