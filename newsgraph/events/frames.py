"""Frames: the word that governs an event verb ("agreed to withdraw", "threatened to blockade", "demanded
that he resign", "refused to release", "plans to visit", "denied attacking") and the modals that frame a
clause ("Russia must withdraw", "we will not negotiate"). A frame is coded as its own type, per the PLOVER
codebook, with the governed act as its mode and as the event's `embedded` act; data/event_modality.tsv
lists the governing words and quotes the manual's lines that decide each policy. A reported act ("said
that X attacked Y") is no frame: it keeps its type and gains its source and certainty (sourcing.py).
`read_events` reads the triggers, folds them into their frames and adds the noun events no verb took."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.tokens import Doc, Token

from newsgraph.actors import resolve_mention
from newsgraph.certainty import stronger
from newsgraph.events.lexicon import (
    CONFLICT_TYPES,
    COOPERATIVE_TYPES,
    FIRST_PERSON,
    FUTURE_AUX,
    NON_REFERENTIAL,
    PLURAL_PRONOUNS,
    REFUSAL_AUX,
    REQUEST_MODALS,
    RETREAT_TYPES,
    WARNING_VERBS,
    ActorEntry,
    governing_role,
)
from newsgraph.events.nouns import event_noun_token, is_thing, noun_classes
from newsgraph.events.readings import MODAL_FRAME, REFUSAL_FRAME, Context, Reading, span1
from newsgraph.events.syntax import (
    addressee_of,
    direct_object,
    governed_child,
    governing_verb,
    governs_as_infinitive,
    has_target_prep,
    has_to_infinitive,
    is_actorish,
    is_clause_head,
    is_governed,
    is_negated,
    is_nominal_gerund,
    subject_of,
)
from newsgraph.events.triggers import read_noun, read_verb, read_visiting
from newsgraph.quotes import Attribution
from newsgraph.records import EmbeddedAct

# Acts whose refusal is a REJECT ("will not negotiate", "decided not to take part"): the cooperative
# ones and the concessions (manual, REJECT: "All rejections and refusals"; its modes are REQUEST's).
YIELDING_TYPES = COOPERATIVE_TYPES | RETREAT_TYPES | {"AGREE"}

COMMITMENT_ROLES = frozenset({"promise", "agree", "ready"})

SPEAKER_PRONOUNS = frozenset({"he", "she", "his", "her", "it", "its", "they", "their"})

GENERIC_PRONOUNS = frozenset({"one", "anyone", "everyone", "someone", "everybody", "anybody", "somebody"})

Outer = Callable[..., Reading]


def read_events(doc: Doc, ctx: Context) -> list[Reading]:
    """Verb events (with their governed events folded in), then the noun events no verb took."""
    base: dict[int, Reading] = {}
    tokens = list(doc)  # made once, read five times
    for token in tokens:
        if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "NOUN" and token.tag_.startswith("VB")) or \
                is_clause_head(token):
            reading = read_verb(token, ctx)
            if reading is not None:
                base[token.i] = reading
    governed = {t.i for t in tokens if is_governed(t)}
    out: list[Reading] = []
    used: set[int] = set()
    for token in tokens:
        if token.i in governed:
            continue
        reading = effective_reading(token, base, used, ctx)
        if reading is not None:
            out.append(reading)
    folded = {r.inner.head.i for r in out if r.inner is not None}
    out = [r for r in out if r.inner is not None or r.head.i not in folded]  # "warned it could close": one threat
    for reading in out:
        object_act(reading)
    absorbed = used | {i for r in out for i in absorbed_tokens(r)}
    # nouns in a governed clause belong to the governing event ("agreed to a truce to allow the release")
    if used:
        absorbed |= {t.i for t in tokens if t.pos_ in {"NOUN", "PROPN"} and governing_verb(t).i in used}
    out += [r for r in (read_noun(t, ctx) for t in tokens
                        if t.i not in absorbed and (t.pos_ in {"NOUN", "PROPN"} or is_nominal_gerund(t)))
            if r is not None]
    out += [r for t in tokens if (r := read_visiting(t, ctx)) is not None]
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


def effective_reading(token: Token, base: dict[int, Reading], used: set[int], ctx: Context,
                      top: bool = True) -> Reading | None:
    """The event a token reports once the verbs it governs are folded in ("threatened to cut off") and,
    for a clause no frame governs, its own modal frame ("must withdraw", "will not negotiate")."""
    reading = governed_reading(token, base, used, ctx)
    return clause_frame(token, reading, ctx) if top else reading


def governed_reading(token: Token, base: dict[int, Reading], used: set[int], ctx: Context) -> Reading | None:
    clause = governed_child(token)
    if clause is None and token.lemma_ in WARNING_VERBS:
        return warning(token, base, used, ctx)
    role = governing_role(token) if clause is not None else None
    if role is not None and clause is not None and not governs_as_infinitive(role, clause):
        role = None  # "told visiting UN Secretary-General ...": a participle, not "told X to"
    own = base.get(token.i)
    if clause is None or role is None:
        return own
    inner = effective_reading(clause, base, used, ctx, top=False)
    if inner is None and role in {"threaten", "promise", "ready", "request", "reject"} and carries_on(clause):
        inner = noun_act(clause)
    if inner is None and clause.dep_ == "ccomp" and not has_to_infinitive(clause):
        return own  # "promised that the amendments will be drafted": the verb's own reading
    used.add(clause.i)
    return combine(role, token, clause, own, inner, ctx, inner is not None and is_negated(clause))


def carries_on(clause: Token) -> bool:
    """A governed verb that only carries on or takes up an act the noun names ("continue the talks",
    "press on with the offensive", "return to negotiations"), unlike "reduce violence"."""
    if governing_role(clause) == "transparent":
        return True
    particles = {c.lower_ for c in clause.children if c.dep_ in {"prt", "advmod", "prep"}}
    return bool(particles & {"on", "ahead", "forward"}) or (clause.lemma_.casefold() == "return" and "to" in particles)


def noun_act(clause: Token) -> Reading | None:
    """The act a governed clause names with a noun when its verb names none: "vowed to press on with
    the offensive", "pledged to continue the talks", "urged them to return to negotiations"."""
    for c in clause.children:
        objects = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else []
        for obj in objects:
            noun, entry = event_noun_token(obj)
            if entry is not None and entry.type is not None and noun.pos_ in {"NOUN", "PROPN"}:
                return Reading(entry.type, entry.mode, span1(noun), clause, noun=noun)
    return None


def warning(verb: Token, base: dict[int, Reading], used: set[int], ctx: Context) -> Reading | None:
    """'warned that Israel would face a harsh response', 'warned it could close the border': a warning
    of consequences, or of a coercive act of the warner's own, is a threat (manual, THREATEN: forceful
    warnings with serious potential repercussions); other warnings are statements."""
    own = base.get(verb.i)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return own
    inner = effective_reading(clause, base, used, ctx, top=False)
    consequences = any(t.pos_ == "NOUN" and "REVENGE" in noun_classes(t) for t in clause.subtree)
    modal = any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX | {"could", "may", "might"} for c in clause.children)
    if inner is not None and modal and (inner.type in CONFLICT_TYPES or (
            inner.type not in {"-", "="} and warns_of_own_act(verb, clause))):
        # "warned it would stage a strike", "warned that it will recognize a Palestinian state"
        return Reading("THREATEN", threat_mode(inner), span1(verb), verb, inner=inner, frame="threaten",
                       embedded=act_of(inner))
    if consequences:
        return Reading("THREATEN", "violence", span1(verb), verb, inner=inner, frame="threaten")
    return own


def warns_of_own_act(verb: Token, clause: Token) -> bool:
    """'Israel warned that it would ...': the warner's own act, named by a pronoun agreeing with it."""
    warner = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if warner is None or subject is None or subject.pos_ != "PRON":
        return False
    if subject.lower_ in FIRST_PERSON:
        return True
    plural = warner.tag_ in {"NNS", "NNPS"} or bool(warner.conjuncts) or warner.lower_ in PLURAL_PRONOUNS
    return subject.lower_ in SPEAKER_PRONOUNS and plural == (subject.lower_ in PLURAL_PRONOUNS)


def combine(role: str, head: Token, clause: Token, own: Reading | None, inner: Reading | None, ctx: Context,
            inner_negated: bool = False) -> Reading | None:
    """What a governing word makes of the act it governs (see data/event_modality.tsv)."""
    def outer(type_: str, mode: str | None) -> Reading:
        return Reading(type_, mode, span1(head), head, obj=own.obj if own else None, inner=inner, frame=role,
                       embedded=None if inner_negated else act_of(inner))

    if inner is not None and inner_negated:
        return negated_act(role, own, inner, outer)
    if role == "threaten":
        return outer("THREATEN", threat_mode(inner))
    if role in COMMITMENT_ROLES:
        return commitment(role, head, clause, own, inner, outer)
    if role == "request":
        return request(head, inner, outer)
    if role == "irrealis" and head.lemma_.casefold() in {"want", "wish", "like", "prefer"} and \
            wished_of_another(head, clause):
        return outer("REQUEST", request_mode(inner))  # "wants Russia to withdraw" asks it of Russia
    if role == "halt":
        inner_type = inner.type if inner is not None else None
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
    if role == "deny":
        inner.hedge = stronger(inner.hedge, "denied")  # "denied attacking the convoy": the attack, denied
    elif role == "hedge":
        inner.hedge = stronger(inner.hedge, "hedged")
        inner.future = True
    elif role == "future":
        inner.future = True
    return kept(inner, head)


def commitment(role: str, head: Token, clause: Token, own: Reading | None, inner: Reading | None,
               outer: Outer) -> Reading | None:
    """Agreeing, promising or being ready to act: AGREE for cooperation (manual, AGREE: "Agree to,
    offer, promise, or otherwise indicate willingness or commitment to cooperate"); a promised or
    offered retreat or concession is CONCEDE (CONCEDE: "the promise of future concessions"), an agreed
    one AGREE; a promised attack is a THREATEN, an agreed sanction or attack the act decided."""
    if inner is None and role == "promise":
        # "pledged 100 million euros to help": the promise has an object of its own; "pledged to boost the
        # economy", "promised to obey the court": a commitment, AGREE; "vowed to fight on", "swore to
        # topple the government": a resolve, no commitment to cooperate; "rules that promise to transform
        # the economy" are no one's promise
        if own is not None and own.obj is not None:
            return own
        promiser = subject_of(head)
        if head.lemma_.casefold() in {"vow", "swear"} or clause.lemma_.casefold() == "be" or promiser is None or (
                promiser.pos_ not in {"PROPN", "NOUN", "PRON"} or is_thing(promiser)
                or promiser.lower_ in NON_REFERENTIAL - FIRST_PERSON - SPEAKER_PRONOUNS):
            return None
        return outer("AGREE", None)
    inner_type = inner.type if inner is not None else None
    if inner_type in RETREAT_TYPES:
        return outer("AGREE" if role == "agree" else "CONCEDE", None)
    if inner is not None and inner_type == "MOBILIZE" and not has_target_prep(inner.head):
        return outer("AGREE", None)  # "pledged to send troops": forces offered (crosswalk 0332, 0334)
    if inner is not None and inner_type in CONFLICT_TYPES:
        if role == "agree":
            return kept(inner, head)  # "agreed to impose sanctions": the sanction, decided
        return outer("THREATEN", threat_mode(inner))
    return outer("AGREE", None)


def request(head: Token, inner: Reading | None, outer: Outer) -> Reading:
    """A request, with what is asked as its mode; an order to leave is an expulsion, an order to one's
    own forces their move or their attack."""
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
        return kept(inner, head) if inner is not None and inner.type == "ASSAULT" else outer("MOBILIZE", "troops")
    return outer("REQUEST", request_mode(inner))


def negated_act(role: str, own: Reading | None, inner: Reading, outer: Outer) -> Reading | None:
    """A frame over a negated act: "agreed not to attack" agrees to end the fighting (manual, REQUEST:
    calls for "ending the conflict" are AGREE), "promised not to attack" concedes (CONCEDE: "promises
    that certain things will not happen"), "urged Israel not to attack" asks it to yield, "decided not
    to take part" and "vowed never to negotiate" refuse; "warned them not to attack" threatens no
    attack of the warner's."""
    conflict = inner.type in CONFLICT_TYPES
    yielding = inner.type in YIELDING_TYPES
    if role == "request":
        return outer("REQUEST", "yield" if conflict else "change")
    if role == "agree":
        return outer("AGREE", None) if conflict else None
    if role in {"promise", "ready"}:
        if conflict:
            return outer("CONCEDE", None)
        return outer("REJECT", request_mode(inner)) if role == "promise" and yielding else None
    if role == "threaten":
        return outer("THREATEN", "relations" if yielding else None)  # "threatened not to attend the talks"
    if role == "reject":
        return outer("REJECT", None)
    if role in {"transparent", "hedge", "future"}:
        if yielding:
            return outer("REJECT", request_mode(inner))
        return own if role in {"transparent", "future"} else None
    return None


def wished_of_another(head: Token, clause: Token) -> bool:
    """'wants Russia to withdraw', 'would like the council to act': the wish is for another's act."""
    subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    obj = direct_object(head)
    other = subject if subject is not None else obj
    return other is not None and other.lower_ not in FIRST_PERSON and other.pos_ in {"PROPN", "NOUN", "PRON"}


def clause_frame(token: Token, reading: Reading | None, ctx: Context) -> Reading | None:
    """A clause no verb governs, framed by its own modal: "Russia must withdraw" is a demand on
    Russia, "we will not negotiate" a refusal."""
    if not (token.n_lefts or token.n_rights):
        return reading  # no modal, no negation (asked of every token of the article)
    children = list(token.children)
    modal = next((c for c in children if c.dep_ == "aux" and c.lower_ in REQUEST_MODALS), None)
    if modal is not None:
        return modal_request(token, modal, reading, ctx) or reading
    if reading is not None and reading.type in YIELDING_TYPES and reading.frame != "allow" \
            and any(c.dep_ == "neg" for c in children) \
            and any(c.dep_ == "aux" and c.lower_ in REFUSAL_AUX for c in children):
        subject = subject_of(token)
        if subject is not None and is_actorish(subject, ctx):
            return Reading("REJECT", request_mode(reading), reading.trigger, token, obj=reading.obj, inner=reading,
                           frame=REFUSAL_FRAME, embedded=act_of(reading))
    return reading


def modal_request(verb: Token, modal: Token, inner: Reading | None, ctx: Context) -> Reading | None:
    """'The UN said Russia must withdraw its troops', 'prisoners should be released': a demand on the
    clause's subject, made by whoever says it (manual, REQUEST: "All requests, demands, and orders").
    Not "we must" (a resolve), nor "should have" (a reproach), nor a modal over no coded act unless a
    state or organisation is asked ("Iran must dismantle its programme"): "voters should know" asks
    nothing."""
    children = list(verb.children)
    if any(c.dep_ == "aux" and c.lemma_ == "have" for c in children):
        return None
    subject = next((c for c in children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None or subject.lower_ in FIRST_PERSON | GENERIC_PRONOUNS or modal.i < subject.i:
        return None  # "we must", "one should visit", and "Should Israel continue ...": a condition or a question
    passive = subject.dep_ == "nsubjpass"
    if inner is None:
        if passive or verb.pos_ != "VERB" or direct_object(verb) is None or not (
                subject.ent_type_ in {"GPE", "ORG", "NORP"} or (
                    subject.i in ctx.actor_at and ctx.actor_at[subject.i].type in {"GPE", "ORG"})):
            return None
    elif not passive and not is_actorish(subject, ctx):
        return None  # "the talks should resume": no one is asked
    negated = any(c.dep_ == "neg" for c in children)
    if negated:  # "Iran must not enrich uranium": asked to refrain
        mode = "yield" if inner is not None and inner.type in CONFLICT_TYPES else "change"
    else:
        mode = request_mode(inner) or "change"
    trigger = verb.doc[modal.i : verb.i + 1] if modal.i < verb.i else span1(verb)
    return Reading("REQUEST", mode, trigger, verb, inner=inner, frame=MODAL_FRAME,
                   embedded=None if negated else act_of(inner))


def object_act(r: Reading) -> None:
    """'called for a ceasefire', 'demanded the release of', 'threatened sanctions': a request, refusal
    or threat whose object names the act takes its mode from it and embeds it."""
    if r.inner is not None or r.obj is None or r.noun is not None or r.type not in {"REQUEST", "REJECT", "THREATEN"}:
        return
    noun, entry = event_noun_token(r.obj)
    if entry is None or entry.type is None or entry.type == r.type:
        return
    act = Reading(entry.type, entry.mode, span1(noun), noun, noun=noun)
    if r.mode is None:
        r.mode = threat_mode(act) if r.type == "THREATEN" else request_mode(act)
    r.embedded = act_of(act)


def kept(inner: Reading, head: Token) -> Reading:
    """The governed event, kept, with the governing verb as the top of its clause."""
    top = head
    while top.dep_ == "xcomp" and governing_role(top.head) is not None:
        top = top.head
    inner.top = top
    return inner


def act_of(inner: Reading | None) -> EmbeddedAct | None:
    if inner is None or inner.type in {"-", "="}:
        return None
    return EmbeddedAct(type=inner.type, mode=inner.mode)


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
    if t == "PROTEST" and m in {"strike", "boycott", "obstruct"}:
        return "restrict"  # "Restrict movement of people or goods---including boycotts, strikes, blockades"
    if t in {"PROTEST", "REJECT"}:
        return "relations"  # crosswalk 133 "Threaten with political dissent, protest"
    return None


def request_mode(inner: Reading | None) -> str | None:
    """REQUEST and REJECT modes: what is asked for or refused (manual, REQUEST modes: assist "any form
    of exchange, relations, or assistance", yield "release of prisoners, ending sanctions, easing
    curfews and boycotts, ceasefires", meet "meetings and negotiations", change the rest, including
    "calls for dismissal of officials")."""
    if inner is None:
        return None
    if inner.type in {"CONSULT"} or (inner.type == "AGREE" and inner.obj is not None
                                     and "TALKS" in noun_classes(inner.obj)):
        return "meet"
    if inner.type in {"AID", "COOPERATE", "SUPPORT"}:
        return "assist"
    if inner.type == "RETREAT" and inner.mode == "resign":
        return "change"
    if inner.type in {"RETREAT", "CONCEDE"} or inner.type == "AGREE":
        return "yield"
    return "change"


def future_type(r: Reading, type_: str, mode: str | None, actors: list[ActorEntry],
                source: Attribution | None) -> tuple[str, str | None, EmbeddedAct | None]:
    """An act announced for the future, and its embedded act when that changes its type: cooperation is
    AGREE (manual, AGREE: cooperative actions "reported in future tense ... should be coded as AGREE"),
    a retreat CONCEDE (RETREAT: "Announcements of future retreats should be coded as CONCEDE"), an attack
    or a coercion its own actor announces is a threat (Auxiliary modes: "THREATEN could be ASSAULT +
    hypothetical ... the coder should always return the single event category"); others announce it
    and it stays what it is ("officials said Russia will attack"), unless it is set on a condition ("would
    strike if ...")."""
    verb = r.head
    future = r.future or any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in verb.children)
    if not future or r.inner is not None:
        return type_, mode, r.embedded
    own_act = EmbeddedAct(type=type_, mode=mode)
    if type_ in COOPERATIVE_TYPES:
        return "AGREE", None, own_act
    if type_ == "RETREAT":
        return "CONCEDE", None, own_act
    if type_ in {"ASSAULT", "COERCE"} and (announced_by_actor(r, actors, source) or conditioned(verb)):
        act = Reading(type_, mode, r.trigger, r.head, obj=r.obj)
        return "THREATEN", threat_mode(act), own_act
    return type_, mode, r.embedded


def conditioned(verb: Token) -> bool:
    """'would launch rockets if Washington attempted ...': a future act on a condition is a threat."""
    return any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in {"if", "unless"} for g in c.children)
               for c in verb.children)


def announced_by_actor(r: Reading, actors: list[ActorEntry], source: Attribution | None) -> bool:
    """Whether the one who will act is the one who says so: "we will strike", "Putin said he would
    respond", "the president said his forces would attack", a speaker resolved to the actor."""
    subject = subject_of(r.head) if r.head.pos_ in {"VERB", "AUX"} else None
    possessor = next((c for c in subject.children if c.dep_ == "poss"), None) if subject is not None else None
    if any(t is not None and t.lower_ in FIRST_PERSON for t in (subject, possessor)):
        return True
    if source is None or source.source is None:
        return False
    speaker = resolve_mention(source.source)
    if speaker is not None and any(actor is speaker for _, actor, _ in actors):
        return True
    pronoun = subject if subject is not None and subject.pos_ == "PRON" else possessor
    if pronoun is None or pronoun.lower_ not in SPEAKER_PRONOUNS or not (
            source.content_start <= pronoun.idx < source.content_end):
        return False
    head = source.source.root
    plural = head.tag_ in {"NNS", "NNPS"} or bool(head.conjuncts) or head.lower_ in PLURAL_PRONOUNS
    return plural == (pronoun.lower_ in PLURAL_PRONOUNS)  # a pronoun in the speaker's words, agreeing with it
