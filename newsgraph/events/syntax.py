"""Parse helpers shared by the stages: subjects, objects and addressees, negation, governed
infinitives, actor-like tokens and the places in a phrase."""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsgraph.events.lexicon import (
    LOCATIVE_PREPS,
    NON_PARTY_ENTITIES,
    PARTNER_CLASSES,
    PARTY_CLASSES,
    PARTY_NOUNS,
    PLACE_HEADS,
    RELATIVE_PRONOUNS,
    STATE_ROLE_SECTORS,
    THAT_CLAUSE_FRAMES,
    THING_NAME_ENTITIES,
    country_iso,
    governing_role,
    role_sector,
    role_sector_exact,
)
from newsgraph.events.nouns import is_thing, noun_classes, noun_entry
from newsgraph.events.readings import Context
from newsgraph.lexicons import demonyms
from newsgraph.records import Place


def governed_child(token: Token) -> Token | None:
    """The clause a governing verb acts on: its xcomp; a to-infinitive the parser made a ccomp with a
    subject ("allowed UN inspectors to visit"), or, after a request verb, an adverbial clause that has
    the addressee ("called for the EU to impose", "called on the council to renew"); a gerund object
    ("avoid fighting", "denied attacking"); a that-clause of a demand, promise or threat ("demanded
    that he resign", "vowed that it would respond")."""
    if not (token.n_lefts or token.n_rights):
        return None  # most tokens govern nothing (asked of every token of the article)
    children = list(token.children)
    for c in children:
        if c.dep_ == "xcomp":
            return c
    for c in children:
        if c.dep_ == "ccomp" and has_to_infinitive(c):
            return c
    if governing_role(token) == "request":
        for c in children:
            if c.dep_ == "advcl" and has_to_infinitive(c) and names_addressee(token, c):
                return c
    for c in children:  # "avoid fighting", "stopped attacking": a gerund object
        if c.dep_ == "dobj" and c.tag_ == "VBG" and not any(g.dep_ == "det" for g in c.children):
            return c
    if token.lemma_.casefold() in THAT_CLAUSE_FRAMES:
        for c in children:
            if c.dep_ == "ccomp" and c.i > token.i and (c.pos_ in {"VERB", "AUX"} or is_clause_head(c)):
                return c
    return None


def is_clause_head(token: Token) -> bool:
    """A clause's head whatever the tagger says: "demanded that the prime minister resign" with
    "resign" tagged a noun."""
    return token.dep_ == "ccomp" and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)


def is_subjunctive(clause: Token) -> bool:
    """'demanded that Russia pull back', 'vowed that it would respond': a base form (tagged VB or VBP),
    or a modal, in a that-clause."""
    return clause.dep_ == "ccomp" and (clause.tag_ in {"VB", "VBP"} or is_clause_head(clause) or any(
        c.dep_ == "aux" and c.tag_ == "MD" for c in clause.children))


def has_to_infinitive(clause: Token) -> bool:
    return any(g.dep_ == "aux" and g.lower_ == "to" for g in clause.children)


def names_addressee(request: Token, clause: Token) -> bool:
    """'called for the EU to impose' (the clause has its own subject), 'called on the council to renew'
    (the request verb has its addressee): not a purpose ("called a meeting to discuss")."""
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in clause.children):
        return True
    return any(c.dep_ == "prep" and c.lower_ in {"on", "upon"} for c in request.children)


def is_governed(token: Token) -> bool:
    """Whether a verb is the clause of a governing verb (and so read through it)."""
    if token.dep_ not in {"xcomp", "ccomp", "dobj", "advcl"} or token.head.i == token.i:
        return False
    role = governing_role(token.head)
    child = governed_child(token.head)
    return role is not None and child is not None and child.i == token.i and governs_as_infinitive(role, token)


def governs_as_infinitive(role: str, xcomp: Token) -> bool:
    """Roles act on an infinitive ("threatened to cut off") or a subjunctive or modal that-clause
    ("demanded that he resign", "vowed that it would respond"); aspect verbs and denials also on a
    gerund ("continued attacking", "denied attacking"), and so do adjectives ("ready to") whatever
    the tagger says."""
    if xcomp.tag_ == "VB" or has_to_infinitive(xcomp):
        return True
    if xcomp.head.lemma_.casefold() in THAT_CLAUSE_FRAMES and is_subjunctive(xcomp):
        return True
    return role in {"transparent", "negate", "deny"} and xcomp.tag_ == "VBG"


def is_nominal_gerund(token: Token) -> bool:
    """'the police shooting': a gerund with a determiner is a noun."""
    return token.tag_ == "VBG" and any(c.dep_ == "det" for c in token.children)


def direct_object(token: Token) -> Token | None:
    """The verb's object: its direct object, or the subject of its passive ("sanctions were imposed")."""
    for c in token.children:
        if c.dep_ in {"dobj", "obj"}:
            return c
    for c in token.children:
        if c.dep_ in {"nsubjpass"}:
            return c
    for c in token.children:  # "release detained ministers" parsed with "detained" as a clause
        if c.dep_ == "xcomp" and c.tag_ == "VBN" and not any(g.dep_ in {"aux", "auxpass"} for g in c.children):
            return next((g for g in c.children if g.dep_ == "dobj"), None)
    return None


def inside_clause_below(t: Token, top: Token) -> bool:
    """Whether t sits in a clause of its own below `top` (a relative or complement clause)."""
    node = t
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ in {"relcl", "ccomp", "advcl", "parataxis"}:
            return True
        node = node.head
    return False


def governing_verb(token: Token) -> Token:
    """The verb whose clause a noun stands in (the noun itself when it has none)."""
    node = token
    for _ in range(10):
        if node.pos_ in {"VERB", "AUX"} or node.head.i == node.i:
            return node
        node = node.head
    return token


def is_negated(token: Token) -> bool:
    """'did not attack', 'never met', 'without attacking', 'no talks', 'nobody attacked'."""
    if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in {"never", "not"}) for c in token.children):
        return True
    subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is not None and (subject.lower_ in {"nobody", "none", "nothing"} or any(
            c.lower_ in {"no", "not"} and c.dep_ in {"det", "neg", "preconj", "advmod"} for c in subject.children)):
        return True
    if token.dep_ in {"pcomp", "pobj"} and token.head.lower_ == "without":
        return True
    return token.pos_ in {"NOUN", "PROPN"} and any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, or the subject it shares: with the verb governing it ("Russia continued to
    attack"), the object of a request ("urged Russia to allow"), the verb it is conjoined to, the
    noun a relative clause hangs off, the main clause of a participle ("Before meeting X, Guterres")."""
    node = verb
    climbed = False
    for _ in range(8):
        for c in node.children:
            if c.dep_ in {"nsubj", "csubj"} or (climbed and c.dep_ == "nsubjpass"):
                if c.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
                    return node.head
                return c
        if node.dep_ == "xcomp":
            head = node.head
            if governing_role(head) in {"request", "allow", "ready"}:
                addressee = addressee_of(head)
                if addressee is not None:
                    return addressee
            node, climbed = head, True
            continue
        if node.dep_ == "relcl":
            return node.head if not any(c.dep_ == "nsubjpass" for c in node.children) else None
        if node.dep_ == "acl":
            return node.head if node.tag_ == "VBG" else None
        if node.dep_ in {"conj", "advcl", "acomp"} and node.head.i != node.i:
            climbed = climbed or node.dep_ == "acomp"
            node = node.head
            continue
        if node.dep_ == "pcomp" and node.head.head.i != node.head.i:
            node = node.head.head
            continue
        break
    return None


def agent_of(verb: Token) -> Token | None:
    """The 'by' phrase of a passive."""
    for c in verb.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def addressee_of(verb: Token) -> Token | None:
    """Who a request is made to: 'urged Russia', 'called on Russia', 'appealed to X'."""
    for c in verb.children:
        if c.dep_ in {"dobj", "dative"} and c.pos_ in {"PROPN", "NOUN", "PRON"} and not is_thing(c):
            return c  # "urged Russia", not "urged retaliation"
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in {"on", "to", "upon"}:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def is_actorish(token: Token, ctx: Context) -> bool:
    """A token that can name an actor: a known actor, a pronoun, a nationality, or a role noun."""
    if token.i in ctx.date_at or token.ent_type_ in {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "QUANTITY"}:
        return False
    if token.i in ctx.actor_at or token.pos_ == "PRON":
        return True
    if token.ent_type_ in {"GPE", "NORP", "ORG", "PERSON"}:
        return True
    if token.text in demonyms() or token.lemma_.casefold() in {"country", "nation", "state", "government"}:
        return True
    if role_sector([token.lower_]) is not None or role_sector([token.lemma_.casefold()]) is not None:
        return True
    return bool(noun_classes(token) & {"PEOPLE", "TROOPS", "POLICE", "OFFICIAL", "CAPTIVES", "ORGANIZATION"})


def is_party(token: Token, ctx: Context) -> bool:
    """A token naming a party an event can be directed at: an actor-like token, a role noun in its singular
    ("leaders"), a party noun ("neighbours", "the couple") or a noun of a party class ("the delegation")."""
    if token.i in ctx.date_at or token.ent_type_ in NON_PARTY_ENTITIES or (token.like_num and not token.children):
        return False
    if is_actorish(token, ctx):
        return True
    if token.pos_ not in {"NOUN", "PROPN"}:
        return False
    if token.pos_ == "PROPN" and token.ent_type_ not in THING_NAME_ENTITIES:
        return True  # a name, whatever type the tagger guessed ("accused Kenyatta" as a PRODUCT), but a law's
    lemma = token.lemma_.casefold()
    if lemma in PARTY_NOUNS or token.lower_ in PARTY_NOUNS or head_role_sector(token) is not None:
        return True
    return bool(noun_classes(token, ctx) & PARTY_CLASSES)


def head_role_sector(token: Token) -> str | None:
    """The sector of a role phrase ending at a noun, in its written or singular form ("civil society",
    "journalists")."""
    mods = [c.lower_ for c in token.lefts if c.dep_ in {"compound", "amod"} and c.i >= token.i - 2]
    for head in dict.fromkeys((token.lower_, token.lemma_.casefold())):
        for n in (2, 1, 0):
            if n <= len(mods) and (sector := role_sector_exact([*mods[len(mods) - n :], head])) is not None:
                return sector
    return None


def actors_inside(token: Token, ctx: Context) -> list[Token]:
    """Actors named inside a noun phrase about a thing: 'UN and Red Cross involvement', "Ukraine's
    proposal", 'the Iraqi decision', 'a decision by Germany', 'cooperation with Russia', 'the truce that
    the president declared'."""
    out = owners_before(token, ctx) + owners_after(token, ctx)
    # a compound written before the head may sit on another compound ("UN and Red Cross involvement")
    seen = {t.i for t in out}
    for t in list(out):
        for conj in t.conjuncts:
            if conj.i not in seen and conj.i in ctx.actor_at:
                out.append(conj)
                seen.add(conj.i)
    return out


def owners_before(token: Token, ctx: Context) -> list[Token]:
    """Actors written before a noun: its possessor ("Russia's"), an actor compound ("UN involvement"), a
    nationality ("Russian oil exports": the exports are Russia's)."""
    out: list[Token] = []
    for c in token.children:
        if c.i > token.i:
            continue
        if c.dep_ == "poss" and (c.pos_ == "PRON" or is_party(c, ctx) or (
                c.pos_ == "PROPN" and c.ent_type_ not in NON_PARTY_ENTITIES and c.i not in ctx.date_at)):
            out.append(c)  # "Russia's proposal", "the government's repeal", "their plan"
        elif c.dep_ in {"compound", "nmod"} and (c.i in ctx.actor_at or (c.pos_ == "PROPN" and (
                c.ent_type_ in {"GPE", "ORG", "NORP", "PERSON"} or country_iso(c.text) is not None))):
            out.append(c)  # "UN involvement", "U.S. sanctions"
        elif c.dep_ == "compound" and c.pos_ == "NOUN" and head_role_sector(c) in STATE_ROLE_SECTORS:
            out.append(c)  # "a government blockade", "police violence"
        elif c.dep_ == "amod" and is_nationality(c) and c.i not in ctx.place_at:
            out.append(c)
    return out


def owners_after(token: Token, ctx: Context) -> list[Token]:
    """Actors written after a noun: 'by / of / from X' ("a decision by Germany"), 'with X' ("cooperation
    with Russia", "the deal with Tehran"), the subject of a relative clause ("the proposal that Ukraine
    made") and the agent of a participle ("weapons supplied by NATO")."""
    out: list[Token] = []
    for c in token.children:
        if c.i < token.i:
            continue
        if c.dep_ == "prep" and (c.lower_ in {"by", "of", "from"} or (c.lower_ == "with" and is_relation(token))):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and is_party(pobj, ctx) and (pobj.i not in ctx.place_at or pobj.i in ctx.actor_at):
                out.append(pobj)
        elif c.dep_ in {"relcl", "acl"}:
            subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if subj is not None and not any(g.dep_ in {"dobj", "attr", "ccomp", "xcomp", "acomp"} for g in c.children):
                # "the proposal (that) Ukraine made": the noun is the clause's missing object (not "the
                # initiative that Sinjar should be no base", a content clause)
                if subj.lower_ not in RELATIVE_PRONOUNS and is_party(subj, ctx):
                    out.append(subj)
            elif c.tag_ == "VBN":
                out += [g for g in (agent_of(c), from_object(c)) if g is not None and is_party(g, ctx)]
    return out


def is_relation(token: Token) -> bool:
    """A noun naming a relation with a partner ("cooperation with", "the deal with", "ties with", "war with")."""
    _, entry = noun_entry(token)
    return entry is not None and entry.cls in PARTNER_CLASSES


def from_object(verb: Token) -> Token | None:
    """The object of a 'from' phrase: who a thing comes from ("weapons delivered from the West")."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "from":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def is_nationality(token: Token) -> bool:
    """A nationality adjective with a country code ("Russian", "Iraqi", "European" for the EU)."""
    entry = demonyms().get(token.text)
    return entry is not None and entry[1] != "IGO"


def dedupe(tokens: list[Token]) -> list[Token]:
    seen: set[int] = set()
    out = []
    for t in tokens:
        if t.i not in seen:
            seen.add(t.i)
            out.append(t)
    return out


def mention_span(token: Token, ctx: Context) -> Span:
    """The mention a token belongs to: the actor's mention covering it, else its noun phrase without
    what follows the head ("Russia's ambassador in Washington" -> "Russia's ambassador")."""
    actor = ctx.actor_at.get(token.i)
    if actor is not None:
        for m in actor.mentions:
            if m.start <= token.i < m.end:
                return m
    doc = token.doc
    start, end = token.i, token.i + 1
    for c in token.lefts:
        if c.dep_ in {"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "advmod"}:
            start = min(start, c.left_edge.i)
    for c in token.rights:  # "the city of Kreminna"
        if c.dep_ == "prep" and c.lower_ == "of" and token.lower_ in PLACE_HEADS:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in ctx.place_at:
                end = pobj.i + 1
    while start < token.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end]


def first_place(token: Token, ctx: Context) -> Place | None:
    """The first place in a phrase, not looking into its relative clauses ("in eastern Ukraine,
    where ..." is Ukraine)."""
    stack = [token]
    while stack:
        t = stack.pop(0)
        rec = ctx.place_at.get(t.i)
        if isinstance(rec, Place):
            return rec
        stack += [c for c in t.children if c.dep_ not in {"relcl", "acl", "ccomp", "advcl", "appos", "conj"}]
    return None


def place_after_locative_prep(head: Token, ctx: Context) -> Place | None:
    """The first place in an 'in / at / near ...' phrase attached to `head`."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in LOCATIVE_PREPS:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            place = first_place(pobj, ctx) if pobj is not None else None
            if place is not None:
                return place
    return None


def has_target_prep(verb: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ in {"at", "on", "against", "toward", "towards"} for c in verb.children)
