"""Per whom and how sure: the statement that reports an event, and its certainty from that
statement, hedges around the trigger and rebuttals found by the certainty component."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.actors import resolve_mention
from newsgraph.certainty import (
    DENIAL_WINDOW_AFTER,
    DENIAL_WINDOW_BEFORE,
    Denial,
    affiliations,
    countries_in_words,
    places_in,
    predicate_hedge,
    same_topic,
    stronger,
)
from newsgraph.events.lexicon import ActorEntry
from newsgraph.events.readings import Context, Reading
from newsgraph.events.setting import location_of
from newsgraph.quotes import Attribution


def source_chain(r: Reading, ctx: Context) -> list[Attribution]:
    """Statements whose content holds the trigger, outermost reporting statement first. A statement
    whose cue governs the trigger ("Russia continued to attack" read as a statement) is no source."""
    start, end = r.trigger.start_char, r.trigger.end_char
    governing = {t.i for t in r.trigger.root.ancestors}
    holding = [st for st in ctx.statements if st.content_start <= start and end <= st.content_end
               and not (st.cue is not None and st.cue.root.i in governing and st.cue.root.i in control_chain(r))]
    if not holding:
        return []
    reporting = [st for st in holding if st.cue_class in {"neutral", None}] or holding
    source = max(reporting, key=lambda st: (st.content_end - st.content_start, -st.content_start))
    inner = [st for st in holding if st is not source and source.content_start <= st.content_start
             and st.content_end <= source.content_end]
    return [source, *inner]


def control_chain(r: Reading) -> set[int]:
    """The trigger's governing verbs up through xcomp links."""
    out = set()
    node = r.head
    while node.dep_ == "xcomp" and node.head.i != node.i:
        node = node.head
        out.add(node.i)
    return out


def event_certainty(r: Reading, chain: list[Attribution], actors: list[ActorEntry], ctx: Context) -> str:
    value = "attributed" if chain else "asserted"
    for st in chain:
        value = stronger(value, st.certainty)
    local = stronger(r.hedge, trigger_hedge(r, ctx))
    if r.claim_noun:
        local = stronger(local, r.claim_noun)
    local = stronger(local, ctx.sentence_hedge(r.trigger.sent))
    if local != "asserted":
        value = stronger(value, local)
    sentence = ctx.certainty.sentence_of(r.trigger.start)
    if sentence in ctx.certainty.unconfirmed_sentences and (chain or r.claim_noun or local != "asserted"
                                                             or not ctx.statements):
        value = stronger(value, "unconfirmed")
    for denial in ctx.certainty.denials:
        verdict = rebuttal_of(r, denial, chain, actors, ctx)
        if verdict is not None:
            value = stronger(value, verdict)
    return value


def trigger_hedge(r: Reading, ctx: Context) -> str:
    """Hedges on the trigger and the verbs governing it: modals, hedge adverbs, "is believed to",
    "alleged attacks", "possible war crimes"."""
    value = "asserted"
    node: Token | None = r.head
    for _ in range(4):
        if node is None:
            break
        hedge = predicate_hedge(node, ctx.cues)
        if hedge != "attributed":
            value = stronger(value, hedge)
        node = node.head if node.dep_ == "xcomp" and node.head.i != node.i else None
    if r.noun is not None:
        for c in r.noun.children:
            if c.dep_ == "amod" and c.lemma_.casefold() in ctx.cues.hedge_adjectives:
                value = stronger(value, ctx.cues.hedge_adjectives[c.lemma_.casefold()])
        if r.noun_headed and r.noun.dep_ in {"nsubj", "nsubjpass"}:
            hedge = predicate_hedge(r.noun.head, ctx.cues)
            if hedge != "attributed":
                value = stronger(value, hedge)
    return value


def rebuttal_of(r: Reading, denial: Denial, chain: list[Attribution], actors: list[ActorEntry],
                ctx: Context) -> str | None:
    """'denied' or 'disputed' when a rebuttal elsewhere in the article is about this event."""
    d = denial.statement
    if d.content_start <= r.trigger.start_char < d.content_end:
        return None  # the rebuttal's own words ("there was a provocation") are not rebutted by it
    sentence = ctx.certainty.sentence_of(r.trigger.start)
    if not (denial.sentence - DENIAL_WINDOW_BEFORE <= sentence <= denial.sentence + DENIAL_WINDOW_AFTER):
        return None
    own_claim = r.claim_noun is None
    if chain and own_claim and denial.speaker is not None and any(
            st.source is not None and resolve_mention(st.source) is denial.speaker for st in chain):
        return None  # nobody rebuts their own report, unless it reports others' claims ("claims of")
    sent = r.trigger.sent
    location = location_of(r, ctx)
    about = (location is not None and location.name in places_in(ctx.doc, (d.content_start, d.content_end))) or (
        same_topic(ctx.doc, (d.content_start, d.content_end), (sent.start_char, sent.end_char)))
    if not about and not (denial.anaphoric and sentence == denial.sentence - 1):
        return None
    if denial.verdict != "denied" or denial.speaker is None:
        return denial.verdict
    accused: set[str] = set()
    for span, actor, _ in actors:
        if actor is denial.speaker:
            return "denied"
        if actor is not None:
            accused |= affiliations(actor)
        accused |= countries_in_words(t.text for t in span)
    return "denied" if affiliations(denial.speaker) & accused else "disputed"
