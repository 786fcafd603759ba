"""Where and when: the place and date attached to an event's trigger."""

from __future__ import annotations

from newsgraph.events.lexicon import PLACE_OBJECT_TYPES, ActorEntry
from newsgraph.events.readings import Context, Reading
from newsgraph.events.syntax import first_place, place_after_locative_prep, subject_of
from newsgraph.events.triggers import noun_arguments
from newsgraph.records import DateRef, Place


def location_of(r: Reading, ctx: Context) -> Place | None:
    heads = [r.head] + ([r.noun] if r.noun is not None and not r.noun_headed else [])
    if r.noun is not None and r.noun_headed:
        args = noun_arguments(r.noun, ctx)
        if args.place is not None:
            return args.place
    for h in heads:
        place = place_after_locative_prep(h, ctx)
        if place is not None:
            return place
    if r.type in PLACE_OBJECT_TYPES:
        taken = [r.obj] if r.obj is not None else []
        if r.roles == "fall":
            subj = subject_of(r.head)
            taken = [subj] if subj is not None else []
        for t in taken:
            place = first_place(t, ctx)
            if place is not None:
                return place
    if r.noun is not None and r.noun.dep_ in {"nsubj", "nsubjpass"}:
        return place_after_locative_prep(r.noun.head, ctx)  # "fighting continued ... in eastern Ukraine"
    return None


def place_hit(type_: str, recipients: list[ActorEntry], ctx: Context) -> Place | None:
    """The place an attack or a seizure is directed at, where none is attached to its trigger: a recipient
    that is a place is where it happens ("a missile attack hit the city of Chernihiv")."""
    if type_ not in PLACE_OBJECT_TYPES:
        return None
    for span, _, _ in recipients:
        place = next((p for t in span if isinstance(p := ctx.place_at.get(t.i), Place)), None)
        if place is not None:  # the recipient itself is the place, not a party with a place in its phrase
            return place
    return None


def date_of(r: Reading, ctx: Context) -> DateRef | None:
    """A date attached to the trigger (or to the verb a noun event is the subject of), nearest first,
    not looking into other clauses."""
    heads = [r.head]
    if r.noun is not None and not r.noun_headed:
        heads.append(r.noun)
    if r.noun is not None and r.noun.dep_ in {"nsubj", "nsubjpass"}:
        heads.append(r.noun.head)
    for h in heads:
        queue = [h]
        while queue:
            t = queue.pop(0)
            rec = ctx.date_at.get(t.i)
            if isinstance(rec, DateRef):
                return rec
            queue += [c for c in t.children
                      if c.dep_ not in {"relcl", "ccomp", "advcl", "parataxis", "conj", "csubj", "nsubj", "xcomp"}
                      or (c.dep_ == "advcl" and not any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children))]
    return None
