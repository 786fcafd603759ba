"""Violence needs a physical act: the verbal, contest and figurative senses of the violence words.

The codebook's ASSAULT is "deliberate actions which can potentially result in substantial physical
harm" and its COERCE "repression, restrictions on rights, or coercive uses of power falling short of
violence" (PLOVER_MANUAL.tex). News copy uses the same words for words, contests and ideas:

- a **verbal attack** on a party or a policy ("Trump attacked Clinton over her emails", "his attacks
  on Machado in tweets", "attacked the plan") is ACCUSE disapprove (crosswalk 111, "criticize or
  denounce"; manual ACCUSE: "condemn, decry a policy or an action; criticize ... responsible parties");
- a **contest** ("Clinton beats Trump by four points", "beat back a challenge", "Republicans took
  control of the House", "the battle for the nomination") is no event: elections and campaigns are a
  context in the manual (context "election"), not an event type;
- a **figurative** use with an abstract object ("fighting climate change", "destroys credibility",
  "seized on the report", "executed the plan", "shooting yourself in the foot") is no event.

The evidence is general and read from the parse and the noun classes of event_nouns.tsv: who acts (an
armed or state force, a weapon; or a person, a campaign, an advertisement), what is hit (a place, a
building, people, troops; or a person, a party, an abstract noun of class ABSTRACT), a weapon or
casualties named with the act, a "for/over/as" topic or a medium ("in tweets", "in a speech"). An act
with physical evidence keeps its type; without, a verbal or contest reading wins where its own
evidence is there; a reading with neither keeps its type.
"""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.events.lexicon import (
    ANIMAL_WORDS,
    ARMED_WORDS,
    COMMUNICATION_NOUNS,
    CONTEST_NOUNS,
    FIGURATIVE_MODIFIERS,
    HARM_LEMMAS,
    LOCATIVE_PREPS,
    PERSON_NOUNS,
    POLITICAL_WORDS,
    RESTRICTABLE,
    VIOLENT_MODIFIERS,
    agent_sectors,
)
from newsgraph.events.nouns import noun_classes, noun_entry
from newsgraph.events.readings import Context, Reading
from newsgraph.lexicons import demonyms, person_titles

# Words of violence with a verbal sense ("attacked Clinton"), a contest sense ("beat Trump") or a
# figurative one ("fight poverty"), by the lemma of the trigger (verb or noun).
VERBAL_SENSE = frozenset({"attack", "assault", "target", "pound", "hammer", "hit", "strike", "bash", "batter",
                          "savage", "maul", "bombard", "blast"})
CONTEST_SENSE = frozenset({"beat", "defeat", "crush", "rout", "trounce", "fight", "battle", "take", "occupy",
                           "seize", "capture", "war", "attack", "combat", "clash"})
FIGURATIVE_SENSE = frozenset({"fight", "battle", "combat", "destroy", "kill", "seize", "capture", "execute",
                              "occupy", "take", "shoot", "strike", "target", "beat", "hit", "pound", "hammer",
                              "crush", "wage", "round", "fall", "attack", "assault", "invade", "storm", "war",
                              "grab", "torpedo", "bomb", "blast", "murder"})
# Seizing words: a taking is coercive only of a place, goods, people or power by a force or an
# authority ("Russia seized Crimea", "police seized heroin"; not "Patriot took over the mines").
SEIZING = frozenset({"seize", "capture", "occupy", "take", "round", "fall", "grab"})
# Acts whose patient must be a person: one executes people, plans are carried out.
PERSON_PATIENT = frozenset({"execute", "assassinate", "murder"})
# Destruction is physical only of things, or by a force ("destroyed houses"; not "destroys credibility").
THING_PATIENT = frozenset({"destroy", "wreck", "ruin", "demolish"})

CONCRETE_CLASSES = frozenset({"TERRITORY", "ASSETS", "ROUTE", "UTILITY", "STREET", "BORDER", "EMBASSY", "WEAPONS",
                              "TROOPS", "POLICE", "CAPTIVES"})
PERSON_CLASSES = frozenset({"PEOPLE", "PERSON", "OFFICIAL", "TROOPS", "POLICE", "CAPTIVES"})
FORCE_SECTORS = frozenset({"MIL", "REB", "UAF", "CRM", "COP", "SPY"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "me", "you", "they", "them", "we", "us", "someone",
                             "anyone", "everyone", "people", "who", "whom"})
# What is executed when no one is: plans, orders, campaigns, warrants (an ABSTRACT patient counts too).
CARRIED_OUT = frozenset({"campaign", "warrant", "search", "order", "orders", "operation", "maneuver", "manoeuvre",
                         "move", "program", "programme", "project", "transaction", "trade", "strategy", "plan",
                         "plot", "scheme", "contract", "deal", "attack", "raid", "mission", "task", "policy"})
SPEECH_LEMMAS = frozenset({"say", "call", "describe", "accuse", "tell", "write", "tweet", "label", "blame",
                           "criticize", "criticise", "condemn", "denounce", "mock", "insult", "question", "dismiss"})
REFLEXIVES = frozenset({"himself", "herself", "themselves", "myself", "yourself", "ourselves", "itself",
                        "yourselves"})


def judge_violence(reading: Reading, actor: Token | None, actor_tags: set[str], ctx: Context) -> Reading | None:
    """The reading as an ASSAULT or COERCE where the act is physical or coercive, an ACCUSE where it is
    a verbal attack, None where it is a contest or a figure of speech."""
    if reading.type not in {"ASSAULT", "COERCE"}:
        return reading
    word = reading.noun if reading.noun is not None else reading.head
    lemma = sense_lemma(word)
    patient = patient_of(reading)
    if actor is not None and head_sector(actor) is None and not is_force(actor, ctx) and actor.ent_type_ == "" \
            and actor.i not in ctx.actor_at and actor.pos_ != "PRON":
        actor_tags = actor_tags - {"MILITARY", "POLICE", "STATE"}  # "a police dashboard camera" is no police
    armed = bool(actor_tags & {"MILITARY", "POLICE", "WEAPON"}) or (actor is not None and is_force(actor, ctx))
    if armed or harm_named(word, ctx):
        return reading
    if lemma in VERBAL_SENSE and spoken(word, patient, ctx):
        return accusation(reading)
    if lemma in CONTEST_SENSE and contest_evidence(word, patient):
        return None
    if is_generic(word, actor, patient) or is_idiom(word):
        return None  # "you walk down the street, you get shot": no report of an act
    if patient is not None and (patient.lower_ in ANIMAL_WORDS or patient.lemma_.casefold() in ANIMAL_WORDS):
        return None  # slaughter and hunting are no events between parties
    if physical_evidence(word, patient, ctx):
        return reading
    if lemma in {"kill", "shoot", "hang"} and patient is not None and patient.lower_ in REFLEXIVES:
        return None  # a suicide harms no party of an event
    if lemma in VERBAL_SENSE and verbal_evidence(word, actor, patient, ctx):
        return accusation(reading)
    if lemma in FIGURATIVE_SENSE and figurative(word, actor_tags, patient, ctx):
        return None
    if lemma in {"restrict", "limit", "curb"} and patient is not None and is_abstract(patient, ctx) \
            and patient.lower_ not in RESTRICTABLE:
        return None  # "restricted emissions", "restricted comments": no rights or movement restricted
    return reading


def sense_lemma(word: Token) -> str:
    """The word's lemma, or the base form the small model missed ("beats" tagged as a noun)."""
    lemma = word.lemma_.casefold()
    known = VERBAL_SENSE | CONTEST_SENSE | FIGURATIVE_SENSE | {"restrict", "limit", "curb", "hang"}
    if lemma in known:
        return lemma
    low = word.lower_
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")):
        if low.endswith(suffix) and low[: len(low) - len(suffix)] + repl in known:
            return low[: len(low) - len(suffix)] + repl
    return lemma


def accusation(reading: Reading) -> Reading:
    """A verbal attack: ACCUSE disapprove (crosswalk 111, criticize or denounce)."""
    return Reading("ACCUSE", "disapprove", reading.trigger, reading.head, noun=reading.noun, obj=reading.obj,
                   roles=reading.roles)


def patient_of(reading: Reading) -> Token | None:
    """What the act is done to: the matched object, the direct object or passive subject, or the target
    of "on / against / at" (and "of" after a noun: "the bombing of schools")."""
    if reading.obj is not None:
        return of_complement(reading.obj) if "CONTROL" in noun_classes(reading.obj) else reading.obj
    word = reading.noun if reading.noun is not None else reading.head
    for c in word.children:
        if c.dep_ in {"dobj", "nsubjpass"}:
            return c
    if reading.noun is None:
        for conj in word.children:  # "kill and sell goats": the object the verbs share
            if conj.dep_ == "conj" and conj.pos_ == "VERB":
                shared = next((g for g in conj.children if g.dep_ == "dobj"), None)
                if shared is not None:
                    return shared
    preps = {"on", "against", "at", "upon"} | ({"of"} if reading.noun is not None else set())
    if sense_lemma(word) in {"fight", "battle", "combat"}:
        preps |= {"through", "over"}  # "battled through pneumonia", "fight over resources"
    for c in word.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            pobj = next((g for g in c.children if g.dep_ in {"pobj", "pcomp"}), None)
            if pobj is not None:
                return pobj
    return None


def of_complement(token: Token) -> Token:
    """'control of the House' -> House: what control is taken of."""
    for p in token.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            pobj = next((g for g in p.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return token


def harm_named(word: Token, ctx: Context) -> bool:
    """A weapon, a violent manner or casualties named with the act: 'with a knife', 'a suicide attack',
    'sexually assaulted', 'attacked the ship, killing 17 sailors', 'captured in the gunfight'."""
    for c in word.children:
        if c.dep_ == "advmod" and c.lower_ in {"sexually", "physically", "violently", "brutally", "fatally",
                                                 "mortally", "seriously", "badly", "critically"}:
            return True
        if c.dep_ == "prep" and any(g.dep_ == "pobj" and is_violent_event_noun(g) for g in c.children):
            return True  # "in the ensuing gunfight"
    for c in word.children:
        if c.dep_ == "prep" and c.lower_ in {"with", "using", "by"} and any(
                noun_classes(g, ctx) & {"WEAPONS"} for g in c.children if g.dep_ == "pobj"):
            return True  # "with a knife", "using drones"
        if c.dep_ in {"amod", "compound", "nmod"} and (
                c.lemma_.casefold() in VIOLENT_MODIFIERS or noun_classes(c, ctx) & {"WEAPONS"}):
            return True
        if c.dep_ in {"advcl", "conj", "xcomp", "relcl", "acl"} and c.lemma_.casefold() in HARM_LEMMAS \
                and c.i != word.i:
            return True  # "attacked the ship, killing 17 sailors"
    return word.dep_ in {"advcl", "conj"} and word.head.lemma_.casefold() in HARM_LEMMAS


def is_instrument(token: Token, ctx: Context) -> bool:
    """A weapon, or a thing held ('a hammer', 'a bottle'): not words ('with ads'), ideas or people."""
    if noun_classes(token, ctx) & {"WEAPONS"}:
        return True
    if of_complement(token) is not token:
        return is_instrument(of_complement(token), ctx)  # "a barrage of ads", "a volley of rockets"
    if token.pos_ != "NOUN" or token.i in ctx.actor_at or token.ent_type_ or is_event_noun(token):
        return False
    words = token.lemma_.casefold() in COMMUNICATION_NOUNS or token.lower_ in COMMUNICATION_NOUNS
    return not words and not is_abstract(token, ctx) and not is_person_like(token, ctx)


def is_event_noun(token: Token) -> bool:
    _, entry = noun_entry(token)
    return entry is not None and entry.type is not None


def is_violent_event_noun(token: Token) -> bool:
    """An ASSAULT noun without a verbal or contest sense ("gunfight", "shelling"; not "battle")."""
    _, entry = noun_entry(token)
    return entry is not None and entry.type == "ASSAULT" and sense_lemma(token) not in VERBAL_SENSE | CONTEST_SENSE


def physical_evidence(word: Token, patient: Token | None, ctx: Context) -> bool:
    """A place or thing hit, or a thing to hit with (an armed actor, a weapon and casualties are tested
    before, words after)."""
    if patient is not None and is_concrete_thing(patient, ctx):
        return True
    if any(c.dep_ == "prep" and c.lower_ in {"with", "using"} and any(
            is_instrument(g, ctx) for g in c.children if g.dep_ == "pobj") for c in word.children):
        return True  # "attacked his neighbour with a hammer"
    if patient is None or not is_person_like(patient, ctx):
        for c in word.children:  # "fought in Vietnam", "attacked overnight near Luhansk"
            if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.i in ctx.place_at and pobj.lower_ not in COMMUNICATION_NOUNS:
                    return True
    return False


def is_force(token: Token, ctx: Context) -> bool:
    """An armed, police or state force: soldiers, gunmen, militants, a rebel group, police."""
    low = token.lemma_.casefold()
    if token.lower_ in ARMED_WORDS or low in ARMED_WORDS:
        return True
    if noun_classes(token, ctx) & {"TROOPS", "POLICE", "WEAPONS"}:
        return True
    return head_sector(token) in FORCE_SECTORS


def head_sector(token: Token) -> str | None:
    """The sector of the role phrase the noun phrase ends in ("riot police" COP; a "police dashboard
    camera" is none)."""
    words = [t.lower_ for t in token.subtree if t.i <= token.i][-3:]
    sectors = agent_sectors()
    for n in (3, 2, 1):
        if len(words) >= n and " ".join(words[-n:]) in sectors:
            return sectors[" ".join(words[-n:])]
    return sectors.get(token.lemma_.casefold())


def is_concrete_thing(token: Token, ctx: Context) -> bool:
    """A place, building, vehicle, goods or a force: what only a physical act can hit or take."""
    actor = ctx.actor_at.get(token.i)
    if token.ent_type_ == "PERSON" or (actor is not None and actor.type == "PERSON"):
        return False  # "Machado" may also be a town's name
    if token.i in ctx.place_at and token.ent_type_ != "ORG":
        return True
    if noun_classes(token, ctx) & CONCRETE_CLASSES:
        return True
    return is_force(token, ctx)


def is_person_like(token: Token, ctx: Context) -> bool:
    if token.like_num or token.lower_ in {"another", "others", "one", "some", "many", "several", "dozens",
                                          "hundreds", "thousands", "scores"}:
        of = of_complement(token)  # "many of the company's operations" are operations
        return of is token or is_person_like(of, ctx)  # "capturing another alive", "executed 12"
    if token.lower_ in PERSON_PRONOUNS or token.ent_type_ in {"PERSON", "NORP"} or token.lower_ in PERSON_NOUNS:
        return True
    return bool(noun_classes(token, ctx) & PERSON_CLASSES) or token.lemma_.casefold() in POLITICAL_WORDS


def is_party(token: Token, ctx: Context) -> bool:
    """A person or a political party, campaign or group someone can criticise."""
    if is_person_like(token, ctx):
        return True
    if token.i in ctx.place_at or token.ent_type_ in {"GPE", "LOC", "FAC"}:
        return False  # "Putin attacked Ukraine": a country is attacked with arms
    return token.ent_type_ == "ORG" or token.i in ctx.actor_at or token.pos_ == "PROPN" or token.text in demonyms()


def is_named_party(token: Token, ctx: Context) -> bool:
    """A party named or titled: a person, a candidate, a party or an organisation by name."""
    low = token.lemma_.casefold()
    return token.ent_type_ in {"PERSON", "ORG", "NORP"} or low in POLITICAL_WORDS or token.lower_ in person_titles()


def is_politician_or_medium(token: Token, ctx: Context) -> bool:
    """Who attacks in words: a person named or titled, a candidate or party, a campaign or an advert."""
    low = token.lemma_.casefold()
    if token.ent_type_ == "PERSON" or token.lower_ in {"he", "she", "i"}:
        return True
    actor = ctx.actor_at.get(token.i)
    if actor is not None and actor.type == "PERSON":
        return True
    return low in POLITICAL_WORDS or low in COMMUNICATION_NOUNS or token.lower_ in person_titles() or (
        low in person_titles())


def is_abstract(token: Token, ctx: Context) -> bool:
    """A noun naming an idea, a state, a communication or a policy ("climate change", "credibility",
    "the plan", "her emails"), or a clause: nothing a physical act can hit."""
    if token.pos_ in {"VERB", "AUX"} or token.dep_ in {"pcomp", "xcomp", "ccomp"}:
        return True
    if token.i in ctx.actor_at or token.i in ctx.place_at or is_person_like(token, ctx):
        return False
    classes = noun_classes(token, ctx)
    if classes & (CONCRETE_CLASSES | PERSON_CLASSES):
        return False
    if classes & {"ABSTRACT", "POLICY", "PROPOSAL", "CHARGES", "COMPLAINT", "DEMAND", "AGREEMENT", "TALKS",
                  "RELATIONS"}:
        return True
    if token.lower_ in {"it", "this", "that"} and token.dep_ != "nsubjpass":
        return True  # "executed it": a plan, not a person
    _, entry = noun_entry(token)
    return entry is not None and entry.type in {"ACCUSE", "REQUEST", "AGREE", "REJECT"}  # "fought the charges"


def is_idiom(word: Token) -> bool:
    """'shooting yourself in the foot'; a court 'striking down' a rule."""
    lemma = sense_lemma(word)
    if lemma == "strike" and any(c.dep_ == "prt" and c.lower_ == "down" for c in word.children):
        return True
    return lemma == "shoot" and any(
        c.dep_ == "prep" and c.lower_ == "in" and any(g.lower_ == "foot" for g in c.children) for c in word.children)


def is_generic(word: Token, actor: Token | None, patient: Token | None) -> bool:
    """A generic present: 'you get shot', 'people fight over resources', 'people who attack my wife'."""
    if word.dep_ == "conj" and word.tag_ == "VB" and word.head.tag_ in {"VBP", "VBZ"}:
        word = word.head  # "people who attack my wife and attack my father"
    if word.tag_ not in {"VBP", "VBZ"} and not (word.tag_ == "VBN" and any(
            c.dep_ == "auxpass" and c.tag_ in {"VBP", "VBZ"} for c in word.children)):
        return False
    generic = {"you", "people", "one", "anyone", "someone", "everyone"}
    return any(t is not None and t.lower_ in generic and not any(c.dep_ in {"det", "amod", "nummod", "poss"}
                                                                 for c in t.children) for t in (actor, patient))


def contest_evidence(word: Token, patient: Token | None) -> bool:
    """'beats Trump by four points', 'beat back a challenge', 'took control of the House', 'the battle
    for the nomination', 'occupy the White House', 'an uphill battle'."""
    around = list(word.children) + (list(word.head.children) if word.dep_ == "aux" else [])  # a verb parsed as aux
    for c in around:
        pobj = next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" else None
        if pobj is not None and c.lower_ == "by" and (pobj.like_num or pobj.ent_type_ == "PERCENT" or any(
                g.ent_type_ == "PERCENT" or g.like_num for g in pobj.subtree)
                or pobj.lemma_.casefold() in {"point", "percent", "vote", "margin", "landslide"}):
            return True
        if pobj is not None and c.lower_ in {"in", "for", "during"} and pobj.lemma_.casefold() in CONTEST_NOUNS:
            return True
        if c.dep_ == "prep" and c.lower_ == "according" and any(
                g.lemma_.casefold() in CONTEST_NOUNS for g in c.subtree if g.dep_ == "pobj"):
            return True  # "beats Trump ..., according to the poll"
        if c.dep_ == "amod" and c.lower_ in FIGURATIVE_MODIFIERS:
            return True
    if patient is not None:
        if patient.lemma_.casefold() in CONTEST_NOUNS or patient.text in {"White House", "House", "Senate"}:
            return True
        of = [g for p in patient.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
              if g.dep_ == "pobj"]
        if any(g.lemma_.casefold() in CONTEST_NOUNS or g.text in {"House", "Senate", "Congress"} for g in of):
            return True  # "took control of the House"
    return False


def spoken(word: Token, patient: Token | None, ctx: Context) -> bool:
    """Words, not blows: 'attacked Clinton over her emails / as a fraud / in tweets / saying ...',
    'remarks ..., including an attack on McCain', 'attacks on Machado, including Friday's tweets'."""
    holders = [patient] if patient is not None else []
    if word.dep_ == "pobj":
        holders.append(word.head.head)  # "responded with attacks on X, including posts on Facebook"
    if any(c.dep_ == "prep" and c.lower_ == "including" and any(
            g.lemma_.casefold() in COMMUNICATION_NOUNS for g in c.children if g.dep_ == "pobj")
           for h in holders for c in h.children):
        return True
    for c in word.children:
        pobj = next((g for g in c.children if g.dep_ in {"pobj", "pcomp"}), None) if c.dep_ == "prep" else None
        if pobj is not None and c.lower_ in {"for", "over"} and is_topic(pobj):
            return True  # the topic of a criticism
        if pobj is not None and c.lower_ == "as" and pobj.lemma_.casefold() not in {"part", "retaliation",
                                                                                    "revenge", "punishment"}:
            return True  # the epithet: "attacked her opponent as a fraud"
        medium = of_complement(pobj) if pobj is not None else None  # "with a barrage of ads"
        if medium is not None and c.lower_ in {"in", "during", "on", "at", "via", "through", "including", "with"} and (
                medium.lemma_.casefold() in COMMUNICATION_NOUNS or medium.lower_ in COMMUNICATION_NOUNS):
            return True
        if c.dep_ in {"advcl", "xcomp", "ccomp", "conj"} and c.lemma_.casefold() in SPEECH_LEMMAS:
            return True  # "attacked X, saying ...", "attacked officers and blamed ..."
    return in_communication(word) and patient is not None and is_named_party(patient, ctx)


def is_topic(token: Token) -> bool:
    """The object of 'for' or 'over' that is a topic, not a span of time ('for hours')."""
    if token.ent_type_ in {"DATE", "TIME", "CARDINAL", "QUANTITY"} or token.like_num:
        return False
    return token.lemma_.casefold() not in {"hour", "day", "week", "month", "year", "night", "time", "minute"}


def verbal_evidence(word: Token, actor: Token | None, patient: Token | None, ctx: Context) -> bool:
    """A politician or an advert attacking a person, a party or a policy; an attack on an idea."""
    if patient is not None and is_abstract(patient, ctx):
        return True  # "attacked loopholes", "attacked the delay": a criticism of a policy or an act
    if actor is not None and is_politician_or_medium(actor, ctx) and patient is not None and (
            is_party(patient, ctx) if actor.pos_ != "PRON" else is_named_party(patient, ctx)):
        return True
    if actor is None and patient is not None and (patient.ent_type_ == "PERSON" or patient.lemma_.casefold() in
                                                  POLITICAL_WORDS or patient.lower_ in person_titles()):
        return word.pos_ == "NOUN" and in_communication(word, depth=4)
    return False


def in_communication(word: Token, depth: int = 3) -> bool:
    """A noun inside a phrase about words: 'remarks ..., including an attack on McCain'."""
    node = word
    for _ in range(depth):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ in {"NOUN", "PROPN"} and node.lemma_.casefold() in COMMUNICATION_NOUNS:
            return True
    return False


def figurative(word: Token, actor_tags: set[str], patient: Token | None, ctx: Context) -> bool:
    """A figure of speech: an abstract patient, a taking of nothing a force takes, an execution of no
    person, a destruction of no thing, a fight for an aim rather than with an enemy."""
    lemma = sense_lemma(word)
    particles = {c.lower_ for c in word.children if c.dep_ in {"prt", "prep"}}
    if lemma in SEIZING and particles & {"on", "upon"}:
        return True  # "seized on the claim": took it up
    if any(c.dep_ == "amod" and c.lower_ in FIGURATIVE_MODIFIERS for c in word.children):
        return True  # "an uphill battle", "a legal fight"
    if patient is not None and is_abstract(patient, ctx):
        return True
    if any(c.dep_ == "prep" and c.lower_ == "in" and any(
            is_abstract(g, ctx) for g in c.children if g.dep_ == "pobj") for c in word.children):
        return True  # "the people getting killed in this deal"
    authority = bool(actor_tags & {"STATE", "POLICE", "MILITARY"})
    if lemma in SEIZING and not authority and (patient is None or not (
            is_concrete_thing(patient, ctx) or is_person_like(patient, ctx))):
        return True
    if lemma in PERSON_PATIENT and patient is not None and not is_person_like(patient, ctx) and (
            patient.lemma_.casefold() in CARRIED_OUT or patient.lower_ in {"it", "this", "that"}):
        return True  # "executed the plan", "a terror campaign executed by ..."
    if lemma in THING_PATIENT and not authority and (patient is None or not is_concrete_thing(patient, ctx)):
        return True
    # "fought to push through the bill": strove
    return lemma in {"fight", "battle", "combat"} and patient is None and not authority and any(
        c.dep_ == "xcomp" for c in word.children)
