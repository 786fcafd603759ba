"""Event nouns and noun classes: which lexicon entry a noun phrase is ("cease-fire", "aid package"),
what it stands for behind amounts and parts ("$700 million in military aid"), and its classes
(AID, WEAPONS, PERSON, TERRITORY, ...)."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from newsgraph.events.lexicon import (
    CONTAINER_CLASSES,
    LABOUR_WORDS,
    PARTITIVE_NOUNS,
    THING_CLASSES,
    NounEntry,
    named_code,
    noun_entries,
)
from newsgraph.events.readings import Context
from newsgraph.lexicons import person_titles


def noun_keys(token: Token) -> Iterator[tuple[str, int]]:
    """Lexicon keys for a noun, most specific first, with the index of the leftmost word they cover."""
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-":
        yield f"{doc[token.i - 2].lower_}-{token.lower_}", token.i - 2  # "cease-fire" split by the tokenizer
    for c in token.lefts:
        if c.dep_ in {"compound", "amod", "nmod"} and token.i - c.i <= 2:
            yield f"{c.lower_} {token.lower_}", c.i
            yield f"{c.lemma_.casefold()} {token.lemma_.casefold()}", c.i
    yield token.lower_, token.i
    yield token.lemma_.casefold(), token.i


def noun_entry(token: Token) -> tuple[int, NounEntry | None]:
    entries = noun_entries()
    for key, start in noun_keys(token):
        entry = entries.get(key)
        if entry is not None:
            return start, entry
    return token.i, None


def expand_partitive(token: Token) -> Token:
    """'$700 million in military aid' -> aid; 'a series of attacks' -> attacks; 'a state of emergency'."""
    for _ in range(3):
        if not (token.like_num or token.lower_ in PARTITIVE_NOUNS or token.lemma_.casefold() in PARTITIVE_NOUNS
                or token.ent_type_ in {"MONEY", "CARDINAL"}):
            return token
        nxt = None
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "in", "worth"}:
                nxt = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if nxt is not None:
                    break
        if nxt is None and token.dep_ in {"dobj", "nsubjpass"}:
            for prep in token.head.children:  # "sent $4 billion in aid": the phrase may hang off the verb
                if prep.dep_ == "prep" and prep.lower_ in {"in", "of"} and prep.i > token.i:
                    nxt = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if nxt is not None:
                        break
        if nxt is None:
            return token
        token = nxt
    return token


def event_noun_token(obj: Token) -> tuple[Token, NounEntry | None]:
    """The event noun an object stands for, looking through amounts and parts."""
    token = expand_partitive(obj)
    _, entry = noun_entry(token)
    if entry is not None and entry.type == "ASSAULT" and token.lemma_.casefold() == "strike" and (
            any(c.lower_ in LABOUR_WORDS for c in token.lefts) or (token.dep_ == "pobj" and token.head.lower_ == "on")):
        entry = NounEntry(entry.key, "PROTEST", "strike", "PROTESTNOUN", entry.standalone)  # "went on strike"
    if entry is not None and entry.type in {"MOBILIZE", "ASSAULT"} and any(c.lower_ == "joint" for c in token.lefts):
        entry = NounEntry(entry.key, "COOPERATE", None, entry.cls, entry.standalone)  # "joint exercises"
    if entry is not None and entry.type == "RETREAT" and token.lemma_.casefold() in {"withdrawal", "retreat"} and \
            of_classes(token) & {"POLICY", "PROPOSAL", "DEMAND"}:
        entry = NounEntry(entry.key, "CONCEDE", None, entry.cls, entry.standalone)  # "withdrawal of the bill"
    return token, entry


def noun_span(token: Token) -> Span:
    start, _ = noun_entry(token)
    return token.doc[min(start, token.i) : token.i + 1]


def noun_classes(token: Token, ctx: Context | None = None) -> set[str]:
    """Classes of a noun phrase's head: its own, its compounds' ("aid package"), what a delivery
    carries ("delivery of guns"), PERSON for people, TERRITORY for places."""
    token = expand_partitive(token)
    out: set[str] = set()
    _, entry = noun_entry(token)
    if entry is not None and entry.cls:
        out.add(entry.cls)
    if token.ent_type_ == "MONEY" or token.lemma_.casefold() in {"dollar", "euro", "pound", "yen", "yuan", "rouble"}:
        out.add("AID")  # money given is aid ("pledged 100 million euros")
    for c in token.children:  # "a plane carrying medical supplies"
        if c.dep_ == "acl" and c.lemma_.casefold() in {"carry", "transport", "bring", "load"}:
            for g in c.children:
                if g.dep_ in {"dobj", "prep"}:
                    target = g if g.dep_ == "dobj" else next((x for x in g.children if x.dep_ == "pobj"), None)
                    if target is not None:
                        out |= noun_classes(target, ctx) & {"AID", "WEAPONS"}
    code = named_code(token.text)
    if code is not None and code.startswith(("IGO", "NGO")):
        out.add("ORGANIZATION")
    for c in token.lefts:
        if c.dep_ in {"compound", "amod", "nmod"}:
            # "arms shipments", "aid package", "trade links": a container takes its contents' class, but an
            # "aid convoy" or "aid workers" are no aid
            _, e = noun_entry(c)
            container = entry is None or entry.cls in {"EXCHANGE", "ASSETS", "RELATIONS", "ORGANIZATION"} or \
                token.lemma_.casefold() in {"package", "system", "consignment"}
            if e is not None and e.cls in {"AID", "WEAPONS", "ORGANIZATION", "EXCHANGE", "RELATIONS", "ALERT"} and (
                    container and token.lemma_.casefold() not in {"convoy", "worker", "truck", "group", "agency"}):
                out.add(e.cls)
            if c.lower_ in {"humanitarian", "military", "financial", "economic", "medical", "relief", "emergency"} and (
                    out & {"EXCHANGE"} or token.lower_ in {"help", "support"}):
                out.add("AID")
    if entry is not None and entry.cls in CONTAINER_CLASSES:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        out |= noun_classes(pobj, ctx) & {"AID", "WEAPONS", "EXCHANGE"}
    if ctx is not None:
        actor = ctx.actor_at.get(token.i)
        if actor is not None and actor.type == "PERSON":
            out.add("PERSON")
        if actor is not None and actor.type == "ORG" and not actor.name.startswith("Government of"):
            out.add("ORGANIZATION")
        if token.i in ctx.place_at:
            out.add("TERRITORY")
    if token.lower_ in person_titles() or token.lemma_.casefold() in person_titles():
        out.add("PERSON")
    return out


def of_classes(token: Token) -> set[str]:
    """Classes of a noun's "of" complement."""
    out: set[str] = set()
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    out |= noun_classes(pobj)
    return out


def is_thing(token: Token) -> bool:
    """A noun naming a thing or an event, not a party ("aid", "the proposal", "retaliation")."""
    _, entry = noun_entry(token)
    return bool(noun_classes(token) & THING_CLASSES) or (entry is not None and entry.type is not None)
