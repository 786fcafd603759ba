"""What PLOVER does not code, though its words look like CONSULT or PROTEST.

From the codebook (../shared/plover/PLOVER_MANUAL.tex):

- statements are no event: the CAMEO cue category 01 "MAKE PUBLIC STATEMENT" is "dropped" in the
  CAMEO-to-PLOVER table, so speaking to reporters, a press conference or an address to the nation
  is no CONSULT ("All consultations and meetings" are between parties);
- elections and campaigns are a context ("election: elections and campaigns ... election debates"),
  not an event type: a candidate's campaign rally is no PROTEST ("civilian demonstrations and other
  collective actions carried out as protests against the recipient"), a debate no meeting;
- a consultation has a partner: "met the requirements", "make ends meet", "discussed his plans"
  said of one speaker alone, "called him a genius" (naming, not a phone call) consult no one.

Crimes, trials and visits are coded (manual: no CRIME category, crimes are found through ASSAULT
and the actor's CRM code and the "crime" context; ACCUSE covers "sue, indict, or charge; bring to
trial"; CONSULT "includes visiting and hosting visits"), so nothing here removes them.
"""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.events.lexicon import AUDIENCE_WORDS, SOCIAL_OCCASIONS
from newsgraph.events.readings import Context, Reading
from newsgraph.events.syntax import is_actorish, subject_of
from newsgraph.events.violence import is_abstract, is_party, is_politician_or_medium

TALK_LEMMAS = frozenset({"discuss", "talk", "speak", "negotiate", "confer"})


def is_uncoded(r: Reading, ctx: Context) -> bool:
    """A statement, a campaign event or a meeting of no one: no PLOVER event (see the module docstring)."""
    if r.inner is not None:
        return False  # "agreed to meet": the frame decides
    if r.type == "CONSULT":
        return is_statement(r) or is_campaign_event(r) or has_no_partner(r, ctx) or is_naming(r)
    if r.type == "PROTEST" and r.mode == "demo":
        return is_campaign_rally(r, ctx)
    return False


def partners(r: Reading) -> list[Token]:
    """Whom the actor consults: the object, or the object of "with" / "to"."""
    head = r.noun if r.noun is not None else r.head
    out = [r.obj] if r.obj is not None else []
    for c in head.children:
        if c.dep_ in {"dobj", "dative"}:
            out.append(c)
        if c.dep_ == "prep" and c.lower_ in {"with", "to"}:
            out += [g for g in c.children if g.dep_ == "pobj"]
    return out


def is_statement(r: Reading) -> bool:
    """'spoke to reporters', 'met the press', 'a press conference', 'a news briefing'."""
    if any(p.lower_ in AUDIENCE_WORDS or p.lemma_.casefold() in AUDIENCE_WORDS for p in partners(r)):
        return True
    noun = r.noun
    return noun is not None and noun.lemma_.casefold() in {"conference", "briefing", "availability"} and any(
        c.lower_ in {"press", "news", "media"} for c in noun.lefts)


def is_campaign_event(r: Reading) -> bool:
    """'meet for the first of three debates', 'hosted his Labor Day cookout'."""
    head = r.noun if r.noun is not None else r.head
    for c in head.subtree:
        if c.lemma_.casefold() in {"debate", "debates"} and c.dep_ in {"pobj", "dobj"} and c.i > head.i:
            return True
    obj = r.obj
    if r.head.lemma_.casefold() == "host" and obj is not None and obj.lemma_.casefold() in SOCIAL_OCCASIONS:
        return not any(c.dep_ == "prep" and c.lower_ in {"for", "with"} for c in obj.children)
    return False


def has_no_partner(r: Reading, ctx: Context) -> bool:
    """'meet the bar', 'make ends meet', 'the work has been meeting standards', 'he discussed his
    commitment' (one speaker, no one to consult)."""
    lemma = r.head.lemma_.casefold()
    if r.noun is not None:
        return False
    subject = subject_of(r.head)
    if lemma == "meet":
        if subject is not None and (is_abstract(subject, ctx) or subject.lower_ == "ends"):
            return True
        obj = next((c for c in r.head.children if c.dep_ == "dobj"), None)
        return obj is not None and not is_party(obj, ctx)
    if lemma in TALK_LEMMAS and not [p for p in partners(r) if is_party(p, ctx) or is_actorish(p, ctx)] and \
            subject is not None:
        return subject.tag_ in {"NN", "NNP", "PRP"} and not subject.conjuncts and subject.lower_ not in {
            "we", "they", "both", "each"}
    return False


def is_naming(r: Reading) -> bool:
    """'called him a genius', 'called the senator a nasty guy': naming someone, not a phone call."""
    if r.head.lemma_.casefold() != "call" or r.mode != "phone":
        return False
    return any(c.dep_ in {"oprd", "attr", "ccomp", "xcomp"} for c in r.head.children) or sum(
        c.dep_ == "dobj" for c in r.head.children) > 1


def is_campaign_rally(r: Reading, ctx: Context) -> bool:
    """A candidate's rally ('Mrs. Clinton has held rallies', 'a campaign rally') or a march toward a date
    ('her march toward Election Day'): no protest against anyone."""
    head = r.noun if r.noun is not None else r.head
    if any(c.dep_ == "prep" and c.lower_ in {"toward", "towards"} and any(
            g.ent_type_ in {"DATE", "EVENT"} for g in c.children) for c in head.children):
        return True
    if head.lemma_.casefold() not in {"rally", "rallies"}:
        return False  # a protest, a march or a sit-in is a protest whoever holds it
    if any(c.lower_ in {"campaign", "election", "electoral"} for c in head.lefts):
        return True
    actor = None
    if r.noun is not None:
        actor = next((c for c in head.children if c.dep_ == "poss"), None)
        verb = head.head if head.dep_ == "dobj" else None
        if actor is None and verb is not None and verb.lemma_.casefold() in {"hold", "stage", "headline"}:
            actor = subject_of(verb)
    if actor is None:
        return False
    return actor.ent_type_ == "PERSON" or (is_politician_or_medium(actor, ctx) and actor.lower_ not in {"he", "she"})
