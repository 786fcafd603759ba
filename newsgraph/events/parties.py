"""Who a token stands for: the actor whose mention covers it, a pronoun's antecedent or the speaker
of the statement it sits in."""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsgraph.actors import Actor, coordinated_actors, group_actor, resolve_mention
from newsgraph.events.lexicon import FIRST_PERSON, PLURAL_PRONOUNS, THING_PRONOUNS
from newsgraph.events.readings import Context
from newsgraph.events.syntax import mention_span
from newsgraph.quotes import Attribution


def speaker_antecedent(pronoun: Token, source: Attribution | None) -> list[Token]:
    """'The Polish government said it would send jets': a subject pronoun in what a source said stands
    for the source, when number agrees, even if the source is no named actor."""
    if source is None or source.source is None or pronoun.dep_ not in {"nsubj", "nsubjpass", "poss"}:
        return []
    if not (source.content_start <= pronoun.idx < source.content_end):
        return []
    head = source.source.root
    plural = head.tag_ in {"NNS", "NNPS"} or bool(head.conjuncts)
    if (pronoun.lower_ in THING_PRONOUNS and not plural and head.pos_ != "PRON") or (
            pronoun.lower_ in PLURAL_PRONOUNS and plural):
        return [head]
    return []


def pronoun_antecedents(pronoun: Token) -> list[Token]:
    """What an unresolved plural pronoun stands for: the plural subject of its clause ("negotiators
    made a breakthrough in their talks"), or its subject and object together ("Putin told Guterres
    ... after their meeting")."""
    if pronoun.lower_ not in PLURAL_PRONOUNS:
        return []
    verb = pronoun
    for _ in range(10):
        if verb.head.i == verb.i:
            break
        verb = verb.head
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < pronoun.i), None)
        if subj is None or subj.pos_ == "PRON":
            continue  # "what he described as ...": look further up
        if subj.tag_ in {"NNS", "NNPS"} or subj.conjuncts:
            return [subj]
        obj = next((c for c in verb.children if c.dep_ in {"dobj", "dative"} and c.i < pronoun.i), None)
        return [subj, obj] if obj is not None else []
    return []


def resolve_token(token: Token, ctx: Context, source: Attribution | None) -> list[tuple[Span, Actor | None]]:
    """The actor(s) a head token stands for."""
    span = mention_span(token, ctx)
    actor: Actor | None = ctx.actor_at.get(token.i)
    if actor is None and token.pos_ == "PRON":
        actor = resolve_pronoun(token, ctx, source)
    elif actor is None:
        actor = resolve_mention(span)
    if actor is not None and actor.members:
        return [(span, m) for m in actor.members]  # "Poland and Bulgaria", "them": one entry each
    return [(span, actor)]


def resolve_pronoun(token: Token, ctx: Context, source: Attribution | None) -> Actor | None:
    """A pronoun inside what someone said stands for the speaker where it can ("we", "it said it
    would"); "they" takes the nearest coordinated group ("Poland and Bulgaria ... informed them")."""
    low = token.lower_
    inside = source is not None and source.content_start <= token.idx < source.content_end
    speaker = speaker_of(source) if source is not None and inside else None
    if low in FIRST_PERSON:
        return speaker
    if low in PLURAL_PRONOUNS:
        group = nearest_group(token, ctx)
        if group is not None:
            return group
    if speaker is not None and token.dep_ in {"nsubj", "nsubjpass", "poss"}:
        if low in THING_PRONOUNS and speaker.type in {"ORG", "GPE"}:
            return speaker
        if low in PLURAL_PRONOUNS and (speaker.type in {"GROUP", "NORP"} or speaker.members):
            return speaker
    return resolve_mention(token.doc[token.i : token.i + 1])


def speaker_of(source: Attribution) -> Actor | None:
    """The resolved speaker of a statement."""
    if source.source is None:
        return None
    return resolve_mention(source.source)


def nearest_group(token: Token, ctx: Context) -> Actor | None:
    """The nearest coordinated subject before a plural pronoun, in its sentence or the one before."""
    doc = token.doc
    sent = token.sent
    start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for i in range(token.i - 1, start - 1, -1):
        t = doc[i]
        if t.dep_ not in {"nsubj", "nsubjpass"} or t.pos_ == "PRON":
            continue
        members = coordinated_actors(t, ctx.actor_at)
        if len(members) >= 2:
            return group_actor(doc, members, t)
    return None


def enclosing_statement(token: Token, ctx: Context) -> Attribution | None:
    """The innermost statement whose content holds a token."""
    start = token.idx
    inside = [st for st in ctx.statements if st.content_start <= start < st.content_end]
    return min(inside, key=lambda st: st.content_end - st.content_start, default=None)
