"""Events the rules miss, proposed by the learned type model.

The rules (triggers, frames, clauses) read events from the lexicons and the parse; the learned type
model (`events/model.py`) scores each sentence for the 16 PLOVER types. A sentence in which the rules
read no event gets one of the type the model scores best, when it scores `new_event` or more, at the
highest word a lexicon lists for that type even where the row's conditions failed (a verb whose object
class is unknown, an event noun without arguments of its own); where no such word is there, at its main
verb, above the stricter `main_verb` (never for a violent type, which needs its physical act in a
lexicon, and never at a verb of state: "attempts have failed"). Next to the rules' events, only the top
type, above `extra_event` and at a lexicon word. No proposal is made where a rule read a candidate and
decided it is no event (negated, conditional, uncoded, a verbal "attack"), and a frame's embedded act is
no event of its own. Every proposal passes the same clause checks as the rules' readings.

What was measured and left out (the model choosing between neighbouring types, vetoing violence, a floor
under the rules' types) is in models/event_types/MODEL_CARD.md; the thresholds were chosen by reading
each events-ngec fold 1-4 with a model trained without it (`scripts/event_corpora.py --cv-models`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsgraph.events.clauses import keep_reading
from newsgraph.events.confidence import MODEL_LEXICON, MODEL_VERB
from newsgraph.events.frames import absorbed_tokens
from newsgraph.events.lexicon import VIOLENT_TYPES, verb_rows
from newsgraph.events.model import TypeModel
from newsgraph.events.nouns import noun_entry, noun_span
from newsgraph.events.readings import Context, Reading
from newsgraph.events.syntax import direct_object
from newsgraph.events.triggers import verb_lemmas, verb_span
from newsgraph.lexicons import cue_verbs

# Main verbs that report a state or an outcome rather than an act.
STATE_VERBS = frozenset({"be", "have", "seem", "remain", "fail", "become", "appear", "exist", "continue", "get"})


@dataclass(frozen=True)
class Thresholds:
    """When the model completes the rules (the component's config)."""

    new_event: float = 0.3  # a sentence with no reading gets its top type above this
    main_verb: float = 0.6  # ... at its main verb, where no word of the type is in a lexicon, above this
    extra_event: float = 0.5  # a sentence with readings of other types gets its top type above this


Scores = dict[str, float]


def sentence_scores(doc: Doc, model: TypeModel) -> dict[int, Scores]:
    """The model's scores for each sentence, keyed by the sentence's first token."""
    sents = list(doc.sents)
    rows = model.scores(sents)
    return {s.start: row for s, row in zip(sents, rows, strict=True)}


def decided(readings: Sequence[Reading], ctx: Context, scores: dict[int, Scores], limits: Thresholds,
            silenced: set[int]) -> list[Reading]:
    """The rules' readings and the model's proposals (none in the `silenced` sentences)."""
    out = list(readings)
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



def proposed_reading(sent: Span, row: Scores, limits: Thresholds, read: set[str] | None) -> Reading | None:
    """The best-scoring type of a sentence that the rules did not read in it: at a word a lexicon lists
    for the type (the best type that has one, above `new_event`; next to the rules' events only the top
    type, above `extra_event`), else, in a sentence with no event, the top type at its main verb above
    `main_verb` (never a violent type)."""
    ranked = sorted(row.items(), key=lambda kv: -kv[1])
    if read:
        type_, score = ranked[0]
        if type_ in read or score < max(limits.extra_event, limits.new_event):
            return None
        return lexicon_trigger(sent, type_)
    for type_, score in ranked:
        if score < limits.new_event:
            break
        trigger = lexicon_trigger(sent, type_)
        if trigger is not None:
            return trigger
    type_, score = ranked[0]
    if type_ in VIOLENT_TYPES or score < max(limits.main_verb, limits.new_event):
        return None
    return main_verb_reading(sent, type_)


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
                reading = Reading(type_, mode, verb_span(token, None), token, obj=direct_object(token),
                                  origin=MODEL_LEXICON)
        elif token.pos_ in {"NOUN", "PROPN"} and token.dep_ not in {"compound", "amod"}:
            _, entry = noun_entry(token)
            if entry is not None and entry.type == type_:
                reading = Reading(type_, entry.mode, noun_span(token), token, noun=token, origin=MODEL_LEXICON)
        if reading is not None:
            depth = depth_of(token)
            if best is None or depth < best[0]:
                best = (depth, reading)
    return best[1] if best is not None else None


def main_verb_reading(sent: Span, type_: str) -> Reading | None:
    """The sentence's main verb, or the verb of what a speech verb reports ("X said it would ..."); none
    where the main verb speaks, thinks or states ("I think ...", "it's the way ...", "No," said Obama)
    or the sentence has no verb ("Refugees.")."""
    verb: Token = sent.root
    if verb.lemma_.casefold() in cue_verbs():
        verb = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ == "VERB"), verb)
    if verb.pos_ != "VERB" or not verb.is_alpha or verb.lemma_.casefold() in cue_verbs() or verb.lemma_ in STATE_VERBS:
        return None
    return Reading(type_, None, verb_span(verb, None), verb, obj=direct_object(verb), origin=MODEL_VERB)


def depth_of(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 30:
        token, depth = token.head, depth + 1
    return depth
