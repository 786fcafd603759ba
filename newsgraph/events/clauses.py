"""Which readings report events: not negated, conditional, purposes, wishes, questions, participles
describing a noun, a protest's demands, the act an accusation is about, nor what PLOVER does not code
(`uncoded`); one event per trigger."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.boilerplate import inside_boilerplate
from newsgraph.events.lexicon import CONDITIONAL_MARKS, REALIS_GERUND_PREPS, governing_role, role_sector
from newsgraph.events.readings import Context, Reading
from newsgraph.events.syntax import governing_verb, is_governed, is_negated
from newsgraph.events.uncoded import is_uncoded


def one_per_trigger(readings: list[Reading]) -> list[Reading]:
    """One event per trigger: the first reading of each trigger span wins."""
    seen: set[tuple[int, int]] = set()
    out = []
    for r in readings:
        key = (r.trigger.start, r.trigger.end)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def drop_protest_topics(readings: list[Reading]) -> list[Reading]:
    """The demands of a protest are its topic, not an event of their own ("students rallied ...,
    demanding lower fees"; manual, PROTEST ambiguities)."""
    protests = {r.head.i for r in readings if r.type == "PROTEST"}
    out = []
    for r in readings:
        h = r.head
        if r.type in {"REQUEST", "ACCUSE"} and h.dep_ in {"advcl", "conj", "xcomp", "acl"} and h.head.i in protests:
            continue
        out.append(r)
    return out


def keep_reading(r: Reading, ctx: Context) -> bool:
    if r.type in {"-", "="}:
        return False
    clause = r.clause if not r.noun_headed else governing_verb(r.head)
    if not r.reads_negation and (is_negated(r.head) or (r.top is not None and is_negated(r.top))
                                 or (r.noun is not None and is_negated(r.noun))):
        return False
    if in_conditional(clause) or is_purpose_clause(clause) or is_modifier_without_agent(r) or is_uncoded(r, ctx):
        return False
    if r.head.pos_ in {"VERB", "AUX"} and not realis_gerund(r.head):
        return False
    if inside_accusation(r.noun if r.noun is not None else r.head):
        return False
    sent = r.trigger.sent
    if ctx.text[sent.start_char : sent.end_char].rstrip().endswith("?"):
        return False  # questions report nothing
    return not (ctx.has_boilerplate and inside_boilerplate(ctx.doc, r.trigger.start_char, r.trigger.end_char))


def in_conditional(token: Token) -> bool:
    """Inside an 'if' or 'unless' clause, or 'in the event (that)', 'in case': a hypothetical, not an event."""
    node = token
    for _ in range(12):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in node.children):
            return True
        if node.dep_ in {"acl", "relcl"} and node.head.lower_ in {"event", "case"} and node.head.head.lower_ == "in":
            return True
        if node.pos_ in {"VERB", "AUX"} and any(
                c.dep_ == "prep" and c.lower_ == "in" and c.i < node.i and any(
                    g.dep_ == "pobj" and g.lower_ in {"event", "case"} and not any(x.dep_ == "prep" for x in g.children)
                    for g in c.children) for c in node.children):
            return True  # "In the event she was injured", parsed with "in the event" on the verb
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def is_purpose_clause(token: Token) -> bool:
    """An intended or wished-for event, not one that happened: 'to save lives', 'efforts to end the
    war', 'so that we can meet them', 'we hope that we will reach agreements'."""
    node = token
    for _ in range(10):
        children = list(node.children)
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in children)
        if is_governed(node):
            node = node.head  # a governed infinitive: judge the governing verb's clause
            continue
        if infinitive and node.dep_ in {"advcl", "acl", "relcl", "ccomp", "csubj", "xcomp"}:
            # "drove tractors into Brussels to protest": protesting is what they did
            return node.lemma_.casefold() not in {"protest", "demonstrate"}
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"so", "that"} for c in children) and any(
                c.lower_ == "so" for c in children):
            return True
        if node.dep_ == "ccomp" and governing_role(node.head) in {"irrealis", "request"} and \
                node.head.lemma_ not in {"warn", "tell"}:
            return True  # "hope that we will reach", "demanded that the government secure their release"
        if node.dep_ in {"conj", "acomp", "xcomp"} and node.head.i != node.i:
            node = node.head
            continue
        return False
    return False


def is_modifier_without_agent(r: Reading) -> bool:
    """'weapons delivered to Ukraine', 'the besieged city': a participle describing a noun reports no
    event unless it names the doer ('civilians killed by shelling')."""
    if r.roles == "visiting" or r.noun is not None:
        return False
    head = r.head
    if head.dep_ == "xcomp" and head.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass", "agent"}
                                                                for c in head.children):
        return True  # "release detained ministers" parsed with "detained" as a clause
    if head.dep_ not in {"amod", "acl"}:
        return False
    if head.dep_ == "acl" and head.tag_ == "VBG" and (head.head.pos_ == "PRON" or head.head.ent_type_ in {
            "PERSON", "ORG", "GPE", "NORP"} or role_sector([head.head.lower_]) is not None):
        return False  # "voices calling for", "protesters demanding": an active participle names its doer
    return not any(c.dep_ == "agent" for c in head.children)


def realis_gerund(token: Token) -> bool:
    """A gerund after a preposition reports an event only after 'before', 'by', 'after'..., and only
    with a complement of its own ("before meeting the president"; "after shooting" names an event
    already reported, like a noun)."""
    if token.tag_ != "VBG" or token.dep_ != "pcomp":
        return True
    has_complement = any(c.dep_ in {"dobj", "prep", "prt", "ccomp", "xcomp", "dative", "attr"} for c in token.children)
    return token.head.lower_ in REALIS_GERUND_PREPS and has_complement


# Verbs whose "of / for / with" complement is the act someone is accused or suspected of: alleged, not
# reported (a conviction or a sentence establishes the act: manual, ACCUSE ambiguities).
ACCUSING_LEMMAS = frozenset({"accuse", "blame", "charge", "suspect", "indict", "prosecute", "try", "investigate",
                             "allege", "arrest", "detain", "sue"})


def inside_accusation(token: Token) -> bool:
    """'accused the Taliban of plotting the attack', 'suspected of genocide in the 1995 massacre',
    'charged with killing': the act an accusation is about is its content, not an event the text
    reports (the event is the ACCUSE)."""
    node = token
    for _ in range(8):
        if node.head.i == node.i:
            return False
        if node.dep_ in {"pobj", "pcomp"} and node.head.lower_ in {"of", "for", "with"}:
            holder = node.head.head
            if holder.dep_ in {"dobj", "nsubjpass"}:
                holder = holder.head  # "accused the rebels of ...", parsed with "of" on the rebels
            if holder.lemma_.casefold() in ACCUSING_LEMMAS:
                return True
        if node.dep_ not in {"dobj", "pcomp", "conj", "xcomp", "compound", "amod"} and not (
                node.dep_ == "pobj" and node.head.lower_ in {"of", "for", "with"}):
            return False  # "accused of rolling back progress with its crackdown": the crackdown is a fact
        node = node.head
    return False

