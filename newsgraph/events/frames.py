"""Frames: a verb governing another through an infinitive or a clause ("threatened to cut off",
"agreed to provide", "urged Russia to allow", "warned it could close") makes one event of the two;
`read_events` reads the triggers, folds them into their frames and adds the noun events no verb took."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from newsgraph.certainty import (
    stronger,
)
from newsgraph.events.lexicon import CONFLICT_TYPES, FUTURE_AUX, RETREAT_TYPES, WARNING_VERBS, governing_role
from newsgraph.events.nouns import noun_classes
from newsgraph.events.readings import Context, Reading, span1
from newsgraph.events.syntax import (
    addressee_of,
    governed_child,
    governing_verb,
    governs_as_infinitive,
    is_governed,
    is_negated,
    is_nominal_gerund,
)
from newsgraph.events.triggers import read_noun, read_verb, read_visiting


def read_events(doc: Doc, ctx: Context) -> list[Reading]:
    """Verb events (with their governed events folded in), then the noun events no verb took."""
    base: dict[int, Reading] = {}
    for token in doc:
        if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "NOUN" and token.tag_.startswith("VB")):
            reading = read_verb(token, ctx)
            if reading is not None:
                base[token.i] = reading
    governed = {t.i for t in doc if is_governed(t)}
    out: list[Reading] = []
    used: set[int] = set()
    for token in doc:
        if token.i in governed:
            continue
        reading = effective_reading(token, base, used)
        if reading is not None:
            out.append(reading)
    folded = {r.inner.head.i for r in out if r.inner is not None}
    out = [r for r in out if r.inner is not None or r.head.i not in folded]  # "warned it could close": one threat
    absorbed = used | {i for r in out for i in absorbed_tokens(r)}
    # nouns in a governed clause belong to the governing event ("agreed to a truce to allow the release")
    absorbed |= {t.i for t in doc if t.pos_ in {"NOUN", "PROPN"} and governing_verb(t).i in used}
    out += [r for r in (read_noun(t, ctx) for t in doc
                        if t.i not in absorbed and (t.pos_ in {"NOUN", "PROPN"} or is_nominal_gerund(t)))
            if r is not None]
    out += [r for t in doc if (r := read_visiting(t, ctx)) is not None]
    return out


def absorbed_tokens(r: Reading) -> Iterator[int]:
    """Tokens a verb event takes over: its event noun, its object and the event nouns in its own
    prepositional phrases ("killed in an airstrike")."""
    yield r.head.i
    for x in (r.noun, r.obj):
        if x is not None:
            yield x.i
            yield from (c.i for c in x.conjuncts)
            for prep in x.children:  # "delivery of guns", "claims of atrocities" stay with their noun
                if prep.dep_ == "prep" and prep.lower_ in {"of"}:
                    yield from (c.i for c in prep.children if c.dep_ == "pobj")
    for prep in r.head.children:
        if prep.dep_ in {"prep", "agent"} and prep.lower_ in {"in", "by", "with", "through", "to", "for", "of"}:
            yield from (c.i for c in prep.children if c.dep_ == "pobj")
    if r.inner is not None:
        yield from absorbed_tokens(r.inner)


def effective_reading(token: Token, base: dict[int, Reading], used: set[int]) -> Reading | None:
    """The event a token reports once the verbs it governs are folded in ("threatened to cut off")."""
    xcomp = governed_child(token)
    if xcomp is None and token.lemma_ in WARNING_VERBS:
        return warning(token, base, used)
    role = governing_role(token) if xcomp is not None else None
    if role is not None and xcomp is not None and not governs_as_infinitive(role, xcomp):
        role = None  # "told visiting UN Secretary-General ...": a participle, not "told X to"
    own = base.get(token.i)
    if xcomp is None or role is None:
        return own
    inner = effective_reading(xcomp, base, used)
    used.add(xcomp.i)
    if inner is not None and is_negated(xcomp):
        if role in {"promise", "agree", "ready"} and inner.type in CONFLICT_TYPES:
            return Reading("CONCEDE", None, span1(token), token, inner=inner)  # "agreed not to deport"
        inner = None  # "warned them not to attack": no attack to fold in
    return combine(role, token, own, inner)


def warning(verb: Token, base: dict[int, Reading], used: set[int]) -> Reading | None:
    """'warned that Israel would face a harsh response', 'warned it could close the border': a warning
    of consequences, or of a coercive act of the warner's own, is a threat (manual, THREATEN: forceful
    warnings with serious potential repercussions); other warnings are statements."""
    own = base.get(verb.i)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return own
    inner = effective_reading(clause, base, used)
    consequences = any(t.pos_ == "NOUN" and "REVENGE" in noun_classes(t) for t in clause.subtree)
    modal = any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX | {"could", "may", "might"} for c in clause.children)
    if inner is not None and inner.type in CONFLICT_TYPES and modal:
        return Reading("THREATEN", threat_mode(inner), span1(verb), verb, inner=inner)
    if consequences:
        return Reading("THREATEN", "violence", span1(verb), verb, inner=inner)
    return own


def combine(role: str, head: Token, own: Reading | None, inner: Reading | None) -> Reading | None:
    """What a governing verb makes of the event it governs (see data/event_modality.tsv)."""
    def outer(type_: str, mode: str | None) -> Reading:
        return Reading(type_, mode, span1(head), head, obj=own.obj if own else None, inner=inner)

    inner_type = inner.type if inner is not None else None
    if role == "threaten":
        return outer("THREATEN", threat_mode(inner))
    if role in {"promise", "agree", "ready"}:
        if inner is None and role == "promise":
            # "pledged 100 million euros to help": the promise has an object of its own; "vowed to stave
            # off climate change" is a promise of no coded event
            return own if own is not None and own.obj is not None else None
        if inner_type in RETREAT_TYPES:
            return outer("CONCEDE", None)
        if inner_type in CONFLICT_TYPES and inner is not None:
            if role == "agree":
                return kept(inner, head)  # "agreed to impose sanctions" is the sanction, decided
            return outer("THREATEN", threat_mode(inner))
        return outer("AGREE", None)
    if role == "request":
        addressee = addressee_of(head)
        if inner is None and addressee is not None and head.lemma_ in {"order", "tell", "ask", "give"} and any(
                c.dep_ in {"xcomp", "ccomp"} and c.lemma_ in {"leave", "depart", "quit"} for c in head.children):
            # "ordered French troops to leave the country": an expulsion
            classes = noun_classes(addressee)
            if classes & {"PEOPLE", "PERSON"} and not classes & {"OFFICIAL", "TROOPS"}:
                return outer("COERCE", "deport")
            return outer("SANCTION", "expel")
        if head.lemma_ in {"order", "command", "instruct"} and addressee is not None and noun_classes(
                addressee) & {"TROOPS", "POLICE"}:
            # an order to one's own forces is their move or their attack
            return kept(inner, head) if inner is not None and inner.type == "ASSAULT" else outer("MOBILIZE", "troops")
        return outer("REQUEST", request_mode(inner))
    if role == "halt":
        if inner_type == "ASSAULT":
            return outer("RETREAT", "ceasefire")
        return outer("CONCEDE", None) if inner_type in {"PROTEST", "COERCE", "SANCTION"} else None
    if role == "reject":
        return outer("REJECT", request_mode(inner))
    if role == "allow":
        return outer("RETREAT", "access")
    if role in {"negate", "irrealis"}:
        return None
    if inner is None:
        return own if role in {"transparent", "future"} else None
    if role == "hedge":
        inner.hedge = stronger(inner.hedge, "hedged")
        inner.future = True
    elif role == "future":
        inner.future = True
    return kept(inner, head)


def kept(inner: Reading, head: Token) -> Reading:
    """The governed event, kept, with the governing verb as the top of its clause."""
    top = head
    while top.dep_ == "xcomp" and governing_role(top.head) is not None:
        top = top.head
    inner.top = top
    return inner


def threat_mode(inner: Reading | None) -> str | None:
    """THREATEN's mode is what is threatened (manual, THREATEN modes)."""
    if inner is None:
        return None
    t, m = inner.type, inner.mode
    if t == "ASSAULT" or t == "MOBILIZE":
        return "violence"
    if t == "COERCE":
        return {"seize": "territory", "arrest": "arrest", "ban": "ban", "deport": "expel"}.get(m or "", "restrict")
    if t == "SANCTION":
        if m == "expel":
            return "expel"
        if m == "withdraw":
            return "relations"
        return "relations" if inner.obj is not None and "AID" in noun_classes(inner.obj) else "restrict"
    if t in {"PROTEST", "REJECT"}:
        return "relations"
    return None


def request_mode(inner: Reading | None) -> str | None:
    """REQUEST and REJECT modes: what is asked for or refused (manual, REQUEST modes)."""
    if inner is None:
        return None
    if inner.type in {"CONSULT"} or (inner.type == "AGREE" and inner.obj is not None
                                     and "TALKS" in noun_classes(inner.obj)):
        return "meet"
    if inner.type in {"AID", "COOPERATE", "SUPPORT"}:
        return "assist"
    if inner.type in {"RETREAT", "CONCEDE"} or inner.type == "AGREE":
        return "yield"
    return "change"
