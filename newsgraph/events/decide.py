"""Types decided by the rules and the learned model together.

The rules (triggers, frames, clauses) propose readings from the lexicons and the parse; the learned
type model (`events/model.py`) scores each sentence for the 16 PLOVER types. Each covers what the other
misses:

1. **Violence needs support.** A plain ASSAULT or COERCE reading in a sentence the model scores low for
   both violent types reports no physical act ("Trump attacked Clinton over her emails", "fighting
   climate change"): it becomes ACCUSE when the model prefers ACCUSE and the object is a party, else no
   event (manual, ASSAULT and COERCE: physical force and coercive measures; verbal criticism is ACCUSE).
2. **Neighbouring types.** Where the lexicon's type and a codebook neighbour (AGREE/CONCEDE,
   THREATEN/COERCE, COERCE/ACCUSE, CONCEDE/RETREAT, REQUEST/AGREE, ...) are both plausible readings of
   the trigger, the model's clear preference decides. Frames are left to the codebook's rules.
3. **Sentences the lexicons miss.** A sentence with no reading whose top type scores high gets one event
   of that type, at the trigger the lexicons know for it even where the row's conditions failed (a verb
   whose object class is unknown, an event noun without arguments), else at its main verb; violent types
   only at a lexicon trigger. The reading then passes the same clause checks as any other (negation,
   conditionals, questions, purposes).

The thresholds are the component's config (`newsgraph_events`), chosen by cross-validation over
events-ngec folds 1-4 (models/event_types/MODEL_CARD.md gives the figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsgraph.events.clauses import keep_reading
from newsgraph.events.frames import absorbed_tokens
from newsgraph.events.lexicon import VIOLENT_TYPES, verb_rows
from newsgraph.events.model import TypeModel
from newsgraph.events.nouns import noun_entry, noun_span
from newsgraph.events.readings import Context, Reading
from newsgraph.events.syntax import direct_object, is_party
from newsgraph.events.triggers import verb_lemmas, verb_span
from newsgraph.lexicons import cue_verbs

# Pairs of types the codebook names as easily confused ("potential ambiguities"); a trigger's type may
# move to its neighbour, never further.
NEIGHBOURS: dict[str, frozenset[str]] = {
    "AGREE": frozenset({"CONCEDE", "REQUEST", "SUPPORT", "COOPERATE", "CONSULT"}),
    "CONCEDE": frozenset({"AGREE", "RETREAT"}),
    "RETREAT": frozenset({"CONCEDE"}),
    "THREATEN": frozenset({"COERCE"}),
    "COERCE": frozenset({"THREATEN", "ACCUSE", "SANCTION", "ASSAULT"}),
    "ACCUSE": frozenset({"COERCE", "REJECT"}),
    "REQUEST": frozenset({"AGREE"}),
    "SUPPORT": frozenset({"AGREE", "COOPERATE"}),
    "COOPERATE": frozenset({"SUPPORT", "AGREE", "MOBILIZE"}),
    "MOBILIZE": frozenset({"COOPERATE"}),
    "SANCTION": frozenset({"COERCE"}),
    "ASSAULT": frozenset({"COERCE"}),
}


@dataclass(frozen=True)
class Thresholds:
    """When the model overrules or completes the rules (the component's config)."""

    keep: float = 0.0  # a plain reading whose type scores below this is dropped (0: never)
    violence: float = 0.0  # both violent types below this: no physical act (0: the rules alone decide)
    switch_margin: float = 9.0  # a neighbour must score this much above the lexicon's type
    new_event: float = 0.2  # a sentence with no reading gets its top type above this
    extra_event: float = 0.5  # a sentence with readings of other types gets its top type above this


Scores = dict[str, float]


def sentence_scores(doc: Doc, model: TypeModel) -> dict[int, Scores]:
    """The model's scores for each sentence, keyed by the sentence's first token."""
    sents = list(doc.sents)
    rows = model.scores(sents)
    return {s.start: row for s, row in zip(sents, rows, strict=True)}


def decided(readings: Sequence[Reading], ctx: Context, scores: dict[int, Scores], limits: Thresholds,
            silenced: set[int]) -> list[Reading]:
    """The readings with their types checked by the model, and proposals for sentences without any (but
    not for the `silenced` sentences, where a rule read a candidate and decided it is no event)."""
    out: list[Reading] = []
    for r in readings:
        checked = checked_type(r, scores[r.trigger.sent.start], limits, ctx)
        if checked is not None:
            out.append(checked)
    types_in: dict[int, set[str]] = {}
    for r in out:
        types_in.setdefault(r.trigger.sent.start, set()).add(r.type)
    taken = {i for r in out for i in absorbed_tokens(r)}  # a frame's embedded act is no event of its own
    for sent in ctx.doc.sents:
        if sent.start in silenced:
            continue
        proposal = proposed_reading(sent, scores[sent.start], limits, types_in.get(sent.start))
        if proposal is not None and proposal.head.i not in taken and keep_reading(proposal, ctx):
            out.append(proposal)
    return out


def silenced_sentences(read: Sequence[Reading], kept: Sequence[Reading], doc: Doc) -> set[int]:
    """Sentences where the rules decided against an event: a reading they dropped (negated, conditional,
    a purpose, a question, uncoded), or a lexicon word they read as no event (a row of type "-": "abused
    his power"; a violent word without a physical act: "shot himself")."""
    kept_ids = {id(r) for r in kept}
    out = {r.trigger.sent.start for r in read if id(r) not in kept_ids}
    heads = {r.head.i for r in read} | {r.noun.i for r in read if r.noun is not None}
    for token in doc:
        if token.i in heads:
            continue
        if token.pos_ in {"VERB", "AUX"}:
            types = {row.type for lemma in verb_lemmas(token) for row in verb_rows().get(lemma, ())}
            if types & ({"-"} | VIOLENT_TYPES):
                out.add(token.sent.start)
        elif token.pos_ in {"NOUN", "PROPN"}:
            _, entry = noun_entry(token)
            if entry is not None and entry.type in VIOLENT_TYPES:
                out.add(token.sent.start)
    return out


def checked_type(r: Reading, row: Scores, limits: Thresholds, ctx: Context) -> Reading | None:
    """A reading kept, retyped to the neighbour the model prefers, or dropped as no physical act."""
    if r.inner is not None:
        return r  # a frame: the codebook's rule decides
    if row.get(r.type, 0.0) < limits.keep:
        return None  # the words around the trigger speak against its type ("the bill's passage")
    if r.type in VIOLENT_TYPES and max(row.get(t, 0.0) for t in VIOLENT_TYPES) < limits.violence:
        if row.get("ACCUSE", 0.0) >= limits.violence and r.obj is not None and is_party(r.obj, ctx):
            return retyped(r, "ACCUSE", "disapprove")
        return None
    own = row.get(r.type, 0.0)
    best = max(NEIGHBOURS.get(r.type, frozenset()), key=lambda t: row.get(t, 0.0), default=None)
    if best is not None and row.get(best, 0.0) >= own + limits.switch_margin and trigger_can_be(r, best):
        return retyped(r, best, None)
    return r


def retyped(r: Reading, type_: str, mode: str | None) -> Reading:
    r.type, r.mode = type_, mode
    return r


def trigger_can_be(r: Reading, type_: str) -> bool:
    """Whether the lexicons list the trigger word for this type in any frame (so the model picks between
    the word's own senses, not a type of another event in the sentence)."""
    if r.noun is not None:
        _, entry = noun_entry(r.noun)
        return entry is not None and entry.type == type_
    return any(row.type == type_ for lemma in verb_lemmas(r.head) for row in verb_rows().get(lemma, ()))


def proposed_reading(sent: Span, row: Scores, limits: Thresholds, read: set[str] | None) -> Reading | None:
    """The top type of a sentence, where the rules read no event of that type: in a sentence with no
    event at its best trigger; next to the rules' events only above a higher score and at a word a
    lexicon lists for the type."""
    type_, score = max(row.items(), key=lambda kv: kv[1])
    if read and (type_ in read or score < limits.extra_event):
        return None
    if score < limits.new_event:
        return None
    trigger = lexicon_trigger(sent, type_)
    if trigger is None and type_ not in VIOLENT_TYPES and not read:
        trigger = main_verb_reading(sent, type_)
    return trigger


def lexicon_trigger(sent: Span, type_: str) -> Reading | None:
    """The highest word in the parse that a lexicon lists for the type, whatever its row's conditions."""
    best: tuple[int, Reading] | None = None
    for token in sent:
        reading = None
        if token.pos_ in {"VERB", "AUX"}:
            rows = [r for lemma in verb_lemmas(token) for r in verb_rows().get(lemma, ()) if r.type == type_]
            if rows:
                modes = {r.mode for r in rows}
                mode = modes.pop() if len(modes) == 1 else None
                reading = Reading(type_, mode, verb_span(token, None), token, obj=direct_object(token))
        elif token.pos_ in {"NOUN", "PROPN"} and token.dep_ not in {"compound", "amod"}:
            _, entry = noun_entry(token)
            if entry is not None and entry.type == type_:
                reading = Reading(type_, entry.mode, noun_span(token), token, noun=token)
        if reading is not None:
            depth = depth_of(token)
            if best is None or depth < best[0]:
                best = (depth, reading)
    return best[1] if best is not None else None


def main_verb_reading(sent: Span, type_: str) -> Reading | None:
    """The sentence's main verb, or the verb of what a speech verb reports ("X said it would ...")."""
    verb: Token = sent.root
    if verb.lemma_.casefold() in cue_verbs():
        verb = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}), verb)
    if verb.pos_ in {"VERB", "AUX"}:
        return Reading(type_, None, verb_span(verb, None), verb, obj=direct_object(verb))
    if verb.pos_ in {"NOUN", "PROPN"}:  # a headline or a fragment: "a mass shooting at a grocery store"
        return Reading(type_, None, verb.doc[verb.i : verb.i + 1], verb, noun=verb)
    return None


def depth_of(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 30:
        token, depth = token.head, depth + 1
    return depth
