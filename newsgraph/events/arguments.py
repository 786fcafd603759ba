"""Participants: the actors and recipients of an event from the parse (subject, object, the
type's prepositions, passives flipped, coordinations split), resolved to actor entries with codes."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.events.coding import actor_code, sector_of
from newsgraph.events.lexicon import NON_REFERENTIAL, RECIPIENT_PREPS, THING_CLASSES, ActorEntry
from newsgraph.events.nouns import event_noun_token, expand_partitive, noun_classes
from newsgraph.events.parties import pronoun_antecedents, resolve_token, speaker_antecedent
from newsgraph.events.readings import Context, Reading
from newsgraph.events.syntax import (
    actors_inside,
    addressee_of,
    agent_of,
    dedupe,
    direct_object,
    is_actorish,
    subject_of,
)
from newsgraph.events.triggers import noun_arguments
from newsgraph.lexicons import demonyms
from newsgraph.quotes import Attribution


def participants(r: Reading, ctx: Context) -> tuple[list[Token], list[Token]]:
    """Actor and recipient head tokens of a reading."""
    if r.roles == "visiting":
        host = r.top
        host_subject = subject_of(host) if host is not None and host.pos_ in {"VERB", "AUX"} else None
        return ([r.obj] if r.obj is not None else []), ([host_subject] if host_subject is not None else [])
    if r.noun is not None and r.noun_headed:
        args = noun_arguments(r.noun, ctx)
        return args.agent, args.target
    verb = r.head
    actors: list[Token] = []
    recipients: list[Token] = []
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    subj = None if passive and r.roles not in {"flip", "fall"} else subject_of(verb)
    agent = agent_of(verb)
    if r.roles == "fall":
        to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        pobj = next((g for g in to.children if g.dep_ == "pobj"), None) if to is not None else None
        return ([pobj] if pobj is not None else []), ([subj] if subj is not None else [])
    if r.roles == "flip":
        giver = agent or next((g for c in verb.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}
                               for g in c.children if g.dep_ == "pobj"), None)
        return ([giver] if giver is not None else []), ([subj] if subj is not None else [])
    if agent is not None:
        actors.append(agent)
    elif subj is not None and not (passive and subj.dep_ == "nsubjpass" and subj.head.i == verb.i):
        actors.append(subj)
    if r.noun is not None:  # a light verb: the noun's own agent and targets count too
        args = noun_arguments(r.noun, ctx)
        if not actors:
            actors += args.agent
        recipients += args.target
    if r.type == "REQUEST":
        addressee = addressee_of(verb)
        if addressee is not None:
            recipients.append(addressee)
    recipients += object_recipients(verb, r, ctx)
    recipients += prep_recipients(verb, r.type, ctx, r.obj)
    if r.mode == "visit" and r.noun is None:  # "visited Ukraine with Blinken": the companion visits too
        with_ = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"
                 for g in c.children if g.dep_ == "pobj"]
        actors += with_
        recipients = [t for t in recipients if t not in with_]
    if r.inner is not None and not recipients:
        _, inner_recipients = participants(r.inner, ctx)
        recipients += inner_recipients
        if r.type == "REQUEST" and not recipients:
            inner_subject = subject_of(r.inner.head)
            if inner_subject is not None and inner_subject not in actors:
                recipients.append(inner_subject)
    return dedupe(actors), dedupe([t for t in recipients if t not in actors])


def object_recipients(verb: Token, r: Reading, ctx: Context) -> list[Token]:
    """The object as recipient ("attacked the plant", "urged Russia"); for an object that is a thing
    ("criticized Russia's military action"), the actors inside it; a dative ("get Kyiv the weapons").
    An actor's own forces moved or pulled back are no recipients ("withdrew its troops")."""
    out = object_recipients_all(verb, r, ctx)
    if r.type in {"MOBILIZE", "RETREAT"} and r.mode in {"troops", "police", "weapons", "militia", "withdraw", None}:
        out = [t for t in out if not noun_classes(t, ctx) & {"TROOPS", "POLICE", "WEAPONS"}]
    return out


def object_recipients_all(verb: Token, r: Reading, ctx: Context) -> list[Token]:
    """The object as recipient ("attacked the plant", "urged Russia"); for an object that is a thing
    ("criticized Russia's military action"), the actors inside it; a dative ("get Kyiv the weapons")."""
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ == "dative" and c.pos_ in {"PROPN", "NOUN", "PRON"}:
            out.append(c)
    obj = r.obj if r.obj is not None else direct_object(verb)
    direct = direct_object(verb)
    if obj is not None and direct is not None and obj.i != direct.i and direct.dep_ == "dobj" and \
            obj.head.lower_ == "as":
        obj = direct  # "using civilians as shields": the matched phrase is the manner, the object is hit
    if obj is None or (obj.dep_ == "nsubjpass" and obj.head.i == verb.i and r.roles == "flip"):
        return out
    if r.noun is not None and obj.i == r.noun.i:
        return out  # the event noun's own targets were taken from its arguments
    classes = noun_classes(obj, ctx)
    _, entry = event_noun_token(obj)
    thing = classes & THING_CLASSES or (entry is not None and entry.type is not None)
    place = obj.i in ctx.place_at or "TERRITORY" in classes
    inside = actors_inside(expand_partitive(obj), ctx) if (thing or not is_actorish(obj, ctx)) and not place else []
    if inside:
        out += inside  # "criticized Russia's military action", "praised a decision by Germany"
    elif place or not thing or (r.type == "ASSAULT" and "ASSETS" in classes):
        out.append(obj)  # "attacked the plant", "urged Russia", "blamed pro-war factions", "fired at a ship"
    return out


def prep_recipients(verb: Token, type_: str, ctx: Context, matched: Token | None = None) -> list[Token]:
    """Recipients introduced by the type's prepositions, on the verb or on its object."""
    preps = RECIPIENT_PREPS.get(type_, ())
    out = []
    holders = [verb]
    for obj in (direct_object(verb), matched):
        if obj is not None and expand_partitive(obj) not in holders:
            holders.append(expand_partitive(obj))
    for holder in holders:
        for c in holder.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if is_actorish(pobj, ctx) or pobj.i in ctx.place_at:
                    out.append(pobj)
                else:
                    out += actors_inside(pobj, ctx)
    return out


def entries_for(tokens: list[Token], r: Reading, ctx: Context, source: Attribution | None) -> list[ActorEntry]:
    """Actor entries for head tokens: coordinations split ("Poland and Bulgaria"), pronouns resolved,
    groups expanded into their members."""
    out: list[ActorEntry] = []
    seen: set[tuple[int, int, str | None]] = set()
    for head in tokens:
        for t in [head, *[c for c in head.conjuncts if c.pos_ in {"PROPN", "NOUN", "PRON"}]]:
            for entry in token_entries(t, ctx, source):
                if entry[1] is None and entry[0].root.lower_ in NON_REFERENTIAL:
                    continue  # "That could include ...": no actor
                key = (entry[0].start, id(entry[1]) if entry[1] is not None else -1, entry[2])
                if key not in seen:
                    seen.add(key)
                    out.append(entry)
    return out


def token_entries(token: Token, ctx: Context, source: Attribution | None, depth: int = 0) -> list[ActorEntry]:
    """Entries for one head token: a resolved actor (or its members), a pronoun's antecedents, or one
    entry per nationality of a coordinated description ("Russian and Ukrainian negotiators")."""
    resolved = resolve_token(token, ctx, source)
    if token.pos_ == "PRON" and all(a is None for _, a in resolved) and depth == 0:
        antecedents = pronoun_antecedents(token) or speaker_antecedent(token, source)
        if antecedents:
            return [e for t in antecedents for e in token_entries(t, ctx, source, depth + 1)]
    if len(resolved) == 1 and resolved[0][1] is None:
        span = resolved[0][0]
        nationalities = [c for c in token.lefts if c.dep_ == "amod" and c.text in demonyms()]
        nationalities += [g for c in nationalities for g in c.conjuncts if g.text in demonyms()]
        if len(nationalities) >= 2:
            sector = sector_of(span, None)
            return [(span, None, " ".join(p for p in (demonyms()[n.text][1], sector) if p)) for n in nationalities]
    return [(span, actor, actor_code(span, actor, ctx)) for span, actor in resolved]
