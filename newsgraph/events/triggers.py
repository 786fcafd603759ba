"""Triggers: the verbs and nouns that report an event, with their type and mode from the lexicons
(a verb with its particle, subject and object; a noun with its own arguments; "visiting" before a name)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from newsgraph.events.lexicon import (
    CIVIL_SECTORS,
    COOPERATIVE_TYPES,
    CROWD_WORDS,
    HAPPENING_VERBS,
    IRREALIS_MODIFIERS,
    LABOUR_WORDS,
    LOCATIVE_PREPS,
    MILITARY_SECTORS,
    PATIENT_NOUNS,
    PHRASAL_PARTICLES,
    STATE_SECTORS,
    TARGET_PREPS,
    TEMPORAL_PREPS,
    WILLING_ADJECTIVES,
    NounEntry,
    VerbRow,
    named_code,
    role_sector,
    verb_rows,
)
from newsgraph.events.nouns import event_noun_token, expand_partitive, noun_classes, noun_entry, noun_span, of_classes
from newsgraph.events.readings import Context, Reading, span1
from newsgraph.events.syntax import (
    agent_of,
    direct_object,
    first_place,
    has_target_prep,
    inside_clause_below,
    is_actorish,
    is_nominal_gerund,
    mention_span,
    subject_of,
)
from newsgraph.events.violence import judge_violence
from newsgraph.lexicons import demonyms
from newsgraph.records import DateRef, Place


def read_verb(token: Token, ctx: Context) -> Reading | None:
    if is_visiting_modifier(token) or is_nominal_gerund(token):
        return None  # read_visiting and read_noun read these
    doc = token.doc
    rows = None
    if token.i >= 2 and doc[token.i - 1].text == "-":  # "test-fired"
        rows = verb_rows().get(f"{doc[token.i - 2].lower_}-{token.lemma_.casefold()}")
    for lemma in verb_lemmas(token):
        rows = rows or verb_rows().get(lemma)
    if not rows:
        return None
    particles = particle_children(token)
    direct = direct_object(token)
    best: tuple[int, VerbRow, Token | None] | None = None
    for row in rows:
        score, obj = 0, direct
        if row.particle is not None:
            p = particles.get(row.particle)
            if p is None or not particle_fits(token, p):
                continue
            score += 2
            if p.dep_ in {"prep", "agent"}:
                obj = next((c for c in p.children if c.dep_ in {"pobj", "pcomp"}), None)
                if obj is not None and obj.ent_type_ in {"DATE", "TIME"}:
                    continue  # "called Putin on Tuesday" is no "call on"
        if row.subject is not None:
            if row.subject not in subject_tags(token, ctx):
                continue
            score += 1
        if row.object is not None:
            if not object_matches(token, obj, row.object, ctx):
                continue
            score += 2
        if best is None or score > best[0]:
            best = (score, row, obj)
    if best is None or best[1].type == "-":
        return None
    _, row, obj = best
    if row.type == "=":
        if obj is None:
            return None
        noun_tok, entry = event_noun_token(obj)
        if entry is None or entry.type is None:
            return None
        type_, mode = entry.type, entry.mode
        if noun_tok.lemma_.casefold() == "strike" and type_ == "ASSAULT" and (
                "CIVIL" in subject_tags(token, ctx) or (
                    "MILITARY" not in subject_tags(token, ctx) and not has_target_prep(noun_tok)
                    and not has_target_prep(token) and set(verb_lemmas(token)) & {"stage", "hold", "call", "begin"})):
            type_, mode = "PROTEST", "strike"  # "teachers began an indefinite strike", "staged a strike"
        reading = Reading(type_, mode, noun_span(noun_tok), token, noun=noun_tok, obj=obj, roles=row.roles)
    else:
        reading = Reading(row.type, row.mode, verb_span(token, particles.get(row.particle or "")), token, obj=obj,
                          roles=row.roles)
    return judge_violence(reading, verb_actor(token, row), subject_tags(token, ctx), ctx)


def verb_actor(token: Token, row: VerbRow) -> Token | None:
    """Who does what the verb reports: its subject, or the agent of a passive ("shot by police")."""
    if row.roles == "flip":
        return None
    agent = agent_of(token)
    if agent is not None or any(c.dep_ == "nsubjpass" for c in token.children):
        return agent
    return subject_of(token)


def verb_lemmas(token: Token) -> list[str]:
    """The lemma, and guesses for the small model's misses ("staged" -> "stag")."""
    low = token.lower_
    out = [token.lemma_.casefold(), low]
    for suffix, repl in (("ied", "y"), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("es", ""), ("s", "")):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            out.append(low[: len(low) - len(suffix)] + repl)
    return out


def particle_fits(verb: Token, particle: Token) -> bool:
    """An adverbial particle ("give in", "call off") must be the verb's particle or follow it at once:
    "give $20 million in assistance" is no "give in"."""
    if particle.lower_ not in PHRASAL_PARTICLES or particle.dep_ == "prt":
        return True
    if particle.head.i != verb.i:
        return False
    between = verb.doc[verb.i + 1 : particle.i]
    return all(t.pos_ in {"ADV", "PART"} for t in between)


def particle_children(token: Token) -> dict[str, Token]:
    """Particles and prepositions of a verb, and the prepositions of its object ("cleared the way for")."""
    out: dict[str, Token] = {}
    for c in token.children:
        if c.dep_ in {"prt", "prep", "agent", "dative"} and c.pos_ in {"ADP", "PART", "ADV"}:
            out.setdefault(c.lower_, c)
        elif c.dep_ in {"oprd", "advmod", "npadvmod"} and c.lower_ in {"hostage", "captive", "together"}:
            out.setdefault(c.lower_, c)  # "held X hostage", "work together"
        elif c.dep_ == "advmod" and c.lower_ in PHRASAL_PARTICLES:
            out.setdefault(c.lower_, c)  # "pulled back" tagged as an adverb
    obj = direct_object(token)
    if obj is not None:
        for c in obj.children:
            if c.dep_ == "prep":
                out.setdefault(c.lower_, c)
    # "took part in", "put ... on alert": the noun particle of a fixed phrase
    for c in token.children:
        if c.dep_ == "dobj" and c.lower_ in {"part", "way", "place"}:
            out.setdefault(c.lower_, c)
    return out


def verb_span(token: Token, particle: Token | None) -> Span:
    """The verb with an adjacent particle ("cut off", "step down")."""
    doc = token.doc
    if particle is not None and particle.dep_ == "prt" and particle.i == token.i + 1:
        return doc[token.i : particle.i + 1]
    return doc[token.i : token.i + 1]


def object_matches(verb: Token, obj: Token | None, want: str, ctx: Context) -> bool:
    if want == "NONE":
        return obj is None
    if want == "CCOMP":
        return any(c.dep_ == "ccomp" for c in verb.children)
    if want == "XCOMP":
        return any(c.dep_ == "xcomp" and any(g.lower_ == "to" and g.dep_ == "aux" for g in c.children)
                   for c in verb.children)
    if obj is None:
        return False
    if want.startswith("~"):
        return expand_partitive(obj).lemma_.casefold() == want[1:]
    if want.startswith("@"):
        _, entry = event_noun_token(obj)
        if entry is None or entry.type is None:
            return False
        return want == "@ANY" or entry.type == want[1:]
    classes = noun_classes(obj, ctx)
    return want in classes


def subject_tags(verb: Token, ctx: Context) -> set[str]:
    """What the verb's subject is: CIVIL, STATE, POLICE, MILITARY, DISASTER, WEAPON, ANY."""
    tags: set[str] = set()
    subj = subject_of(verb) or agent_of(verb)
    if subj is None:
        return tags
    tags.add("ANY")
    classes = noun_classes(subj, ctx)
    sector = role_sector([t.lower_ for t in subj.subtree if t.i <= subj.i][-3:])
    actor = ctx.actor_at.get(subj.i)
    if "PEOPLE" in classes or sector in CIVIL_SECTORS or subj.lower_ in CROWD_WORDS or (
            subj.like_num and any(c.lower_ == "of" for c in subj.children)):
        tags.add("CIVIL")
    if sector in STATE_SECTORS or (actor is not None and actor.type == "GPE") or subj.i in ctx.metonym_country:
        tags.add("STATE")
    if actor is not None and actor.type == "ORG" and named_code(actor.name):
        tags.add("STATE")
    if "POLICE" in classes or sector == "COP":
        tags.add("POLICE")
    if "TROOPS" in classes or sector in MILITARY_SECTORS:
        tags.add("MILITARY")
    if "DISASTER" in classes:
        tags.add("DISASTER")
    if "WEAPONS" in classes:
        tags.add("WEAPON")
    return tags


def read_noun(token: Token, ctx: Context) -> Reading | None:
    """A noun naming an event, where it stands as a report of its own (see the module docstring)."""
    if token.dep_ in {"compound", "amod"}:
        return None
    start, entry = noun_entry(token)
    if entry is None or entry.type is None or entry.standalone == "no":
        return None
    if any(c.lower_ in {"no", "any"} and c.dep_ == "det" for c in token.children):
        return None
    args = noun_arguments(token, ctx)
    subject = token.dep_ in {"nsubj", "nsubjpass"} or (token.dep_ == "conj" and token.head.dep_ in {"nsubj"})
    happening = subject and (token.head.lemma_.casefold() in HAPPENING_VERBS or any(
        c.dep_ in {"dobj", "prt"} and c.lower_ in {"effect", "out", "place"} for c in token.head.children))
    existential = token.dep_ == "attr" and any(c.dep_ == "expl" for c in token.head.children)
    predicate = token.dep_ == "attr" and not existential  # "will be legitimate targets"
    temporal = token.dep_ == "pobj" and (token.head.lower_ in TEMPORAL_PREPS or (
        token.head.lower_ in {"of", "to"} and token.head.head.lower_ in TEMPORAL_PREPS | {"wake", "run"}))
    if temporal:
        # a meeting's partner is a participant too ("after a meeting in Tokyo with his counterpart")
        participants = args.agent or (entry.type == "CONSULT" and args.target)
        if not (participants and (args.place or args.date)):
            return None
    elif entry.standalone == "yes":
        if not (subject or existential or predicate or args.any() or under_claim_noun(token, ctx)):
            return None
    elif not (args.agent or args.target or happening):
        return None  # a place or a date alone does not make "the war crimes in Ukraine" a report
    if any(c.dep_ == "amod" and c.lower_ in IRREALIS_MODIFIERS for c in token.children):
        return None  # "a potential Russian attack" has not happened
    if subject and is_modal_consequence(token.head):
        return None  # "sweeping crackdowns could add fuel": a crackdown feared, not reported
    type_, mode = adjusted_noun_type(token, entry, args, ctx)
    reading = Reading(type_, mode, token.doc[start : token.i + 1], token, noun=token)
    reading.claim_noun = under_claim_noun(token, ctx)
    agent_tags = set().union(*(phrase_tags(a, ctx) for a in args.agent)) if args.agent else set()
    return judge_violence(reading, args.agent[0] if args.agent else None, agent_tags, ctx)


def is_modal_consequence(verb: Token) -> bool:
    """'could / might / may' + a verb, not 'could have': what an event might do, said of an event that has
    not happened ("would" is the future of reported speech: "said a curfew would continue")."""
    aux = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    return bool(aux & {"could", "might", "may"}) and "have" not in aux


@dataclass
class NounArguments:
    agent: list[Token] = field(default_factory=list)
    target: list[Token] = field(default_factory=list)
    place: Place | None = None
    date: DateRef | None = None
    light_verb: Token | None = None  # "atrocities committed by ..."

    def any(self) -> bool:
        return bool(self.agent or self.target or self.place or self.date)


def noun_arguments(token: Token, ctx: Context) -> NounArguments:
    """An event noun's own arguments: agent ("Russia's", "by X", "US"), target ("on Kyiv", "with X"),
    place and date."""
    args = NounArguments()
    _, entry = noun_entry(token)
    type_ = entry.type if entry is not None else None
    for c in token.children:
        if is_agent_modifier(c, token, ctx):
            args.agent.append(c)
        elif c.dep_ == "poss" and token.lemma_.casefold() in PATIENT_NOUNS:
            args.target.append(c)
        elif c.dep_ == "acl" and c.tag_ == "VBN":
            args.light_verb = c  # "atrocities committed by ..."
    preps = list(token.children) + (list(args.light_verb.children) if args.light_verb is not None else [])
    for prep in preps:
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.dep_ in {"prep", "agent"} else None
        if pobj is not None:
            add_prep_argument(args, prep.lower_, pobj, type_, ctx)
    args.date = own_date(token, ctx)
    return args


def is_agent_modifier(c: Token, noun: Token, ctx: Context) -> bool:
    """'Russia's attack', 'their meeting', 'Russian attack', 'NATO summit' (but "his arrest" and "their
    release" name who undergoes it: see PATIENT_NOUNS)."""
    if c.dep_ == "poss":
        return (is_actorish(c, ctx) or c.pos_ == "PRON") and noun.lemma_.casefold() not in PATIENT_NOUNS
    return c.dep_ in {"amod", "compound", "nmod"} and c.i < noun.i and (
        c.text in demonyms() or c.i in ctx.actor_at) and c.i not in ctx.place_at


def add_prep_argument(args: NounArguments, prep: str, pobj: Token, type_: str | None, ctx: Context) -> None:
    if prep == "by" and is_actorish(pobj, ctx):
        args.agent.append(pobj)
    elif prep == "between":
        args.agent += [pobj, *pobj.conjuncts]
    elif prep in TARGET_PREPS and ("*" in TARGET_PREPS[prep] or type_ in TARGET_PREPS[prep]) and (
            is_actorish(pobj, ctx) or pobj.i in ctx.place_at):
        args.target.append(pobj)
    if prep in LOCATIVE_PREPS and args.place is None:
        args.place = first_place(pobj, ctx)


def own_date(token: Token, ctx: Context) -> DateRef | None:
    """A date written inside the noun phrase, not in a clause of its own."""
    for t in token.subtree:
        if t.i in ctx.date_at and not inside_clause_below(t, token):
            rec = ctx.date_at[t.i]
            if isinstance(rec, DateRef):
                return rec
    return None


def under_claim_noun(token: Token, ctx: Context) -> str | None:
    """'claims of atrocities', 'reports of shelling': the certainty the claim noun gives."""
    if token.dep_ == "pobj" and token.head.lower_ == "of":
        gov = token.head.head
        return ctx.cues.claim_nouns.get(gov.lemma_.casefold()) if gov.pos_ == "NOUN" else None
    return None


def adjusted_noun_type(token: Token, entry: NounEntry, args: NounArguments, ctx: Context) -> tuple[str, str | None]:
    """Types a noun's agent decides: a strike by workers is a PROTEST, a raid by police COERCE, a
    protest lodged by a government ACCUSE, clashes of protesters PROTEST riot."""
    type_, mode = entry.type or "-", entry.mode
    agent_tags = set().union(*(phrase_tags(a, ctx) for a in args.agent)) if args.agent else set()
    low = token.lemma_.casefold()
    if low == "strike" and (agent_tags & {"CIVIL"} or any(c.lower_ in LABOUR_WORDS for c in token.lefts)
                            or (token.dep_ == "pobj" and token.head.lower_ == "on")):
        return "PROTEST", "strike"
    if low == "raid" and "POLICE" in agent_tags:
        return "COERCE", "seize"
    if type_ == "PROTEST" and mode == "demo" and "STATE" in agent_tags and "CIVIL" not in agent_tags:
        return "ACCUSE", "disapprove"
    if low == "clash" and "CIVIL" in agent_tags:
        return "PROTEST", "riot"
    if type_ in {"MOBILIZE", "ASSAULT"} and any(c.lower_ == "joint" for c in token.lefts):
        return "COOPERATE", None  # manual: joint exercises and operations are COOPERATE
    if type_ in COOPERATIVE_TYPES and token.dep_ == "pobj" and token.head.lower_ in {"to", "for"} and \
            token.head.head.lemma_.casefold() in WILLING_ADJECTIVES:
        return "AGREE", None  # "open to talks", "ready for dialogue": willingness to meet (manual, AGREE)
    if low in {"withdrawal", "retreat"} and of_classes(token) & {"POLICY", "PROPOSAL", "DEMAND"}:
        return "CONCEDE", None  # "the withdrawal of the bill" concedes; of troops it is a retreat
    return type_, mode


def is_visiting_modifier(token: Token) -> bool:
    """'visiting' before a name, modifying it (the parser may hang it anywhere around the name)."""
    return token.lower_ == "visiting" and token.dep_ in {"amod", "compound", "acl", "xcomp"} and not any(
        c.dep_ in {"aux", "nsubj"} for c in token.children)


def read_visiting(token: Token, ctx: Context) -> Reading | None:
    """'told visiting UN Secretary-General Antonio Guterres': the visitor is on a visit (CONSULT visit),
    hosted by the subject of the clause."""
    if not is_visiting_modifier(token):
        return None
    if token.dep_ == "xcomp":
        visitor = next((c for c in token.children if c.dep_ == "dobj"), None)
        host_verb = token.head
    else:
        visitor, host_verb = token.head, token.head.head
    if visitor is None or not (visitor.i in ctx.actor_at or "PERSON" in noun_classes(visitor, ctx)):
        return None
    reading = Reading("CONSULT", "visit", span1(token), token, obj=visitor, roles="visiting")
    reading.top = host_verb
    return reading


def phrase_tags(token: Token, ctx: Context) -> set[str]:
    """CIVIL / STATE / POLICE / MILITARY tags of a noun phrase head (for agent-dependent types)."""
    tags = set()
    sector = role_sector([t.lower_ for t in mention_span(token, ctx)])
    actor = ctx.actor_at.get(token.i)
    if sector in CIVIL_SECTORS or "PEOPLE" in noun_classes(token, ctx) or token.lower_ in CROWD_WORDS:
        tags.add("CIVIL")
    if sector in STATE_SECTORS or (actor is not None and actor.type == "GPE") or token.text in demonyms():
        tags.add("STATE")
    if sector == "COP" or "POLICE" in noun_classes(token, ctx):
        tags.add("POLICE")
    if sector in MILITARY_SECTORS or "TROOPS" in noun_classes(token, ctx):
        tags.add("MILITARY")
    return tags
