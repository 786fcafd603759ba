"""Actor codes: country (ISO alpha-3) and sector ('RUS GOV', 'UKR MIL'), or an IGO/NGO code."""

from __future__ import annotations

import re

from spacy.tokens import Span

from newsgraph.actors import Actor
from newsgraph.certainty import (
    countries_in_words,
)
from newsgraph.events.lexicon import (
    RELATIONAL_NOUNS,
    country_codes,
    country_iso,
    named_code,
    role_sector,
    singular_nationality,
)
from newsgraph.events.nouns import noun_classes
from newsgraph.events.parties import enclosing_statement, resolve_pronoun
from newsgraph.events.readings import Context
from newsgraph.lexicons import demonyms
from newsgraph.records import Place


def actor_code(span: Span, actor: Actor | None, ctx: Context) -> str | None:
    """Country and sector ('RUS GOV', 'UKR MIL', 'USA'), or an IGO/NGO code ('IGO UNO')."""
    named = named_code_for(span, actor)
    if named is not None:
        return named
    words = description_of(span)
    country = country_of(words, actor, ctx)
    sector = sector_of(words, actor)
    if actor is not None and actor.type in {"ORG", "GROUP"} and (country is None or sector is None):
        for m in actor.mentions:  # "it" for "Russian state energy giant Gazprom"
            described = description_of(m)
            country = country or country_of(described, actor, ctx)
            sector = sector or sector_of(described, actor)
    if actor is None or actor.type == "GPE":
        place = next((p for t in span if isinstance(p := ctx.place_at.get(t.i), Place)), None)
        if place is not None and (actor is None or sector is None):
            # a place hit or taken ("the Azovstal plant", "the city of Kreminna"): its country
            return country or (country_codes().get("iso2:" + place.country) if place.country else None)
    if actor is not None and actor.type in {"GPE"} and sector is None:
        return country
    parts = [p for p in (country, sector) if p]
    return " ".join(parts) if parts else None


def named_code_for(span: Span, actor: Actor | None) -> str | None:
    """An IGO/NGO or seat-of-government code from the actor's name, its mention or a title word
    ("UN spokesman", "U.N. Secretary-General")."""
    names = [span.text]
    if actor is not None:
        names.insert(0, actor.name)
    for name in names:
        code = named_code(name)
        if code is not None:
            return code
    titles = list(actor.titles) if actor is not None else []
    titles.append(" ".join(t.text for t in span if t.dep_ in {"compound", "amod", "nmod"}))
    for title in titles:
        words = title.replace("-", " ").split()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                code = named_code(" ".join(words[i : i + n]))
                if code is not None and not code.endswith("GOV"):
                    return code
    return None


def country_of(span: Span, actor: Actor | None, ctx: Context) -> str | None:
    if actor is not None:
        iso = actor_country(actor, ctx)
        if iso:
            return iso
    for t in span:  # nationality words first: "his French counterpart" is French whoever "his" is
        if t.i in ctx.metonym_country:
            return ctx.metonym_country[t.i]
        if t.text in demonyms() and demonyms()[t.text][1] != "IGO":
            return demonyms()[t.text][1]
    for t in span:
        other = ctx.actor_at.get(t.i)
        if other is not None and other is not actor and t.dep_ in {"poss", "compound", "amod"} and not (
                t.dep_ == "poss" and t.head.lemma_.casefold() in RELATIONAL_NOUNS):
            iso = actor_country(other, ctx)
            if iso:
                return iso
        if t.dep_ == "poss" and t.head.lemma_.casefold() in RELATIONAL_NOUNS:
            continue  # "its rival": another country than its possessor's
        if t.dep_ == "poss" and t.pos_ == "PRON" and t.i not in ctx.actor_at:
            owner = resolve_pronoun(t, ctx, enclosing_statement(t, ctx))
            if owner is not None and owner is not actor:
                iso = actor_country(owner, ctx)
                if iso:
                    return iso
    return country_around(span, actor, ctx)


def country_around(span: Span, actor: Actor | None, ctx: Context) -> str | None:
    """A country written next to a mention rather than in it: its apposition ("the first person, a Russian
    national"), its "of" owner ("the daughter of a Russian ideologue", "citizens of Ukraine"), or the
    mention itself when it is one word naming a country or its capital that the tagger took for a person
    ("visited Kyiv")."""
    root = span.root
    for c in root.children:
        if c.dep_ == "appos" or (c.dep_ == "prep" and c.lower_ == "of"):
            head = c if c.dep_ == "appos" else next((g for g in c.children if g.dep_ == "pobj"), None)
            if head is None:
                continue
            other = ctx.actor_at.get(head.i)
            if other is not None and other is not actor and (iso := actor_country(other, ctx)):
                return iso
            for t in head.subtree:
                if t.i in ctx.metonym_country:
                    return ctx.metonym_country[t.i]
                if t.dep_ in {"amod", "compound"} and t.text in demonyms() and demonyms()[t.text][1] != "IGO":
                    return demonyms()[t.text][1]
    if len(span) == 1 and root.pos_ == "PROPN" and (actor is None or (actor.type == "PERSON" and not actor.titles)):
        return country_iso(root.text)
    return None


def actor_country(actor: Actor, ctx: Context) -> str | None:
    """ISO alpha-3 of the country an actor is or belongs to."""
    if actor.type == "GPE" or actor.type == "NORP":
        iso = country_iso(actor.name) or country_iso(singular_nationality(actor.name))
        if iso:
            return iso
        for m in actor.mentions:
            if m.start in ctx.metonym_country:
                return ctx.metonym_country[m.start]
            place = ctx.place_at.get(m.start)
            if isinstance(place, Place) and place.country:
                return country_codes().get("iso2:" + place.country)
    if actor.country:
        iso = country_iso(actor.country)
        if iso:
            return iso
    if actor.type in {"ORG", "GROUP"}:
        government = re.match(r"Government of (?:the )?(.+)$", actor.name)
        names = [government.group(1)] if government else []
        names += sorted(countries_in_words(actor.name.split()))
        for name in names:
            iso = country_iso(name)
            if iso:
                return iso
    for title in actor.titles:
        for name in countries_in_words(title.split()):
            iso = country_iso(name)
            if iso:
                return iso
    members = {actor_country(m, ctx) for m in actor.members}
    if len(members) == 1:
        return members.pop()
    return None


def description_of(span: Span) -> Span:
    """A mention with the description written before its head ("Russian state energy giant Gazprom")."""
    root = span.root
    if root.dep_ == "appos" and root.head.i < span.start:
        root = root.head  # "the giant Gazprom" parsed with the name as apposition
    start = min(span.start, root.left_edge.i)
    return span.doc[start : max(span.end, root.i + 1)]


def sector_of(span: Span, actor: Actor | None) -> str | None:
    """The sector of the role words around an actor: its titles, its mention, an organisation's name."""
    candidates: list[list[str]] = []
    if actor is not None and actor.name.startswith("Government of"):
        return "GOV"
    if actor is not None:
        candidates += [t.replace("-", " ").casefold().split() for t in actor.titles]
        if actor.type in {"ORG", "GROUP", "NORP"}:
            candidates.append(actor.name.replace("-", " ").casefold().split())
    words = [t.lower_ for t in span if not t.is_punct]
    candidates.append(words)
    root = span.root
    if words and root.lemma_.casefold() != root.lower_:  # "two journalists": the table has the singular
        candidates.append([t.lower_ for t in span if not t.is_punct and t.i < root.i] + [root.lemma_.casefold()])
    for words in candidates:
        sector = role_sector(words)
        if sector is not None:
            return sector
    if (actor is None or actor.type not in {"GPE", "ORG"}) and "PEOPLE" in noun_classes(root):
        return "CVL"  # "17 people", "residents": people without a role are civilians (CAMEO CVL)
    return None
