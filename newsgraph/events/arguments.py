"""Participants: the actors and recipients of an event from the parse, resolved to actor entries with codes.

Actors: the subject (the agent of a passive; passives of giving flipped), coordinations split. Recipients,
per the manual's "the entity the event is directed at": the object or the type's prepositions ("sanctions
on", "aid to", "fired at"), the place attacked ("shelled Kharkiv"), the addressee ("urged Russia", "called
on Israel", "accused Moscow of", "warned Iran"), the subject of what is demanded or alleged ("demanded that
Maduro step down"), the object conjoined verbs share ("attacked and burned the village"), the victims of an
attack's linked killing. An object that is a thing is no party: the recipient is looked for inside it (its
possessor, a nationality, an of / by / with phrase, a relative clause's subject: "sanctions on Russian oil
exports", "cooperation with Russia", "the proposal Ukraine made"), else there is none ("called for unity");
only attacks and seizures hit things ("attacked a compound")."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.events.coding import actor_code, sector_of
from newsgraph.events.lexicon import (
    ADDRESSED_TYPES,
    AMOUNT_ENTITIES,
    IMPACT_VERBS,
    NON_REFERENTIAL,
    PHYSICAL_TYPES,
    PLACE_HEADS,
    RECIPIENT_PREPS,
    RELATIVE_PRONOUNS,
    THING_CLASSES,
    ActorEntry,
)
from newsgraph.events.nouns import event_noun_token, expand_partitive, noun_classes
from newsgraph.events.parties import pronoun_antecedents, resolve_token, speaker_antecedent
from newsgraph.events.readings import MODAL_FRAME, Context, Reading
from newsgraph.events.syntax import (
    actors_inside,
    addressee_of,
    agent_of,
    dedupe,
    direct_object,
    is_party,
    owners_after,
    owners_before,
    subject_of,
)
from newsgraph.events.triggers import noun_arguments, read_verb
from newsgraph.lexicons import demonyms
from newsgraph.quotes import Attribution


def participants(r: Reading, ctx: Context) -> tuple[list[Token], list[Token]]:
    """Actor and recipient head tokens of a reading."""
    if r.roles == "visiting":
        host = r.top
        host_subject = subject_of(host) if host is not None and host.pos_ in {"VERB", "AUX"} else None
        return ([r.obj] if r.obj is not None else []), ([host_subject] if host_subject is not None else [])
    if r.noun is not None and r.noun_headed:
        args = noun_arguments(r.noun, ctx)
        return args.agent, args.target or noun_linked_recipients(r, ctx)
    if r.frame == MODAL_FRAME:  # "Russia must withdraw": whoever says it asks Russia (component.build_event)
        subject = next((c for c in r.head.children if c.dep_ == "nsubj"), None)
        return [], [subject] if subject is not None else []
    verb = r.head
    actors: list[Token] = []
    recipients: list[Token] = []
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    subj = None if passive and r.roles not in {"flip", "fall"} else subject_of(verb)
    agent = agent_of(verb)
    if r.roles == "fall":
        to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        pobj = next((g for g in to.children if g.dep_ == "pobj"), None) if to is not None else None
        return ([pobj] if pobj is not None else []), ([subj] if subj is not None else [])
    if r.roles == "flip":
        giver = agent or next((g for c in verb.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}
                               for g in c.children if g.dep_ == "pobj"), None)
        return ([giver] if giver is not None else []), ([subj] if subj is not None else [])
    if agent is not None:
        actors.append(agent)
    elif subj is not None and not (passive and subj.dep_ == "nsubjpass" and subj.head.i == verb.i):
        actors.append(subj)
    if r.noun is not None:  # a light verb: the noun's own agent and targets count too
        args = noun_arguments(r.noun, ctx)
        if not actors:
            actors += args.agent
        recipients += args.target
    if r.type == "REQUEST":
        addressee = addressee_of(verb)
        if addressee is not None:
            recipients += object_parties(addressee, r.type, ctx)  # "urged Russia", not "urged early ratification"
    recipients += object_recipients(verb, r, ctx)
    recipients += prep_recipients(verb, r.type, ctx, r.obj, look_inside=not recipients)
    if r.mode == "visit" and r.noun is None:  # "visited Ukraine with Blinken": the companion visits too
        with_ = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"
                 for g in c.children if g.dep_ == "pobj"]
        actors += with_
        recipients = [t for t in recipients if t not in with_]
    if r.inner is not None and not recipients and r.type == "REQUEST":
        # who is asked to act: "called for the EU to impose", "demanded that the prime minister resign"
        inner_subject = subject_of(r.inner.head)
        if inner_subject is not None and inner_subject not in actors:
            recipients.append(inner_subject)
    if r.inner is not None and not recipients:
        _, inner_recipients = participants(r.inner, ctx)
        recipients += inner_recipients
    if not recipients:
        recipients += clause_linked_recipients(r, ctx)
    return dedupe(actors), dedupe([t for t in recipients if t not in actors])


def clause_linked_recipients(r: Reading, ctx: Context) -> list[Token]:
    """Recipients in another clause the parse links to the trigger: the subject of what is demanded,
    alleged or warned of ("demanded that the minister resign", "alleged that the company inflated",
    "warned that Israel would pay"); the object a conjoined verb shares ("attacked and burned the
    village"); the victims of an attack's conjoined or participle killing ("carried out airstrikes,
    killing a child")."""
    verb = r.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return []
    if r.type in ADDRESSED_TYPES and r.inner is None:
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        # an active subject only: in "alleged he was tortured" the passive subject is the victim
        subj = next((c for c in clause.children if c.dep_ == "nsubj"), None) if clause else None
        if subj is not None and (is_party(subj, ctx) or subj.i in ctx.place_at):
            return [subj]
    if direct_object(verb) is None and not any(c.dep_ == "dative" for c in verb.children):
        for conj in verb.conjuncts:  # "attacked and burned the village": the object comes after the last verb
            own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in conj.children)
            obj = direct_object(conj) if conj.i > verb.i and conj.pos_ == "VERB" and not own_subject else None
            if obj is not None:
                return object_parties(obj, r.type, ctx)
    if r.type == "ASSAULT":
        return victims_of_linked_killing(verb, ctx)
    return []


def victims_of_linked_killing(head: Token, ctx: Context) -> list[Token]:
    """The object of a killing verb conjoined to an attack or hanging off it as a participle or a relative
    clause ("conducted airstrikes and killed a child", "the attack, killing 17", "attacks that killed
    dozens", "a massacre in which 1,200 were murdered")."""
    for c in head.children:
        linked = (c.dep_ == "conj" and not any(g.dep_ == "nsubj" for g in c.children)) or \
            (c.dep_ == "advcl" and c.tag_ == "VBG") or c.dep_ in {"relcl", "acl"}
        if not linked or c.pos_ != "VERB":
            continue
        reading = read_verb(c, ctx)
        if reading is None or reading.type != "ASSAULT":
            continue
        obj = direct_object(c)
        if obj is not None and not (obj.lower_ in RELATIVE_PRONOUNS and c.dep_ == "relcl"):
            return object_parties(obj, "ASSAULT", ctx)
    return []


def noun_linked_recipients(r: Reading, ctx: Context) -> list[Token]:
    """Recipients of an event noun without targets of its own: what the attack did, as subject of an impact
    verb ("a missile attack hit the city of Chernihiv": the place attacked), or in the clause it heads
    ("attacks that killed dozens")."""
    noun = r.noun
    if noun is None or r.type not in PHYSICAL_TYPES | {"SANCTION"}:
        return []
    if noun.dep_ == "nsubj" and noun.head.lemma_.casefold() in IMPACT_VERBS:
        obj = direct_object(noun.head)
        if obj is not None:
            return object_parties(obj, r.type, ctx)
    return victims_of_linked_killing(noun, ctx) if r.type == "ASSAULT" else []


def object_recipients(verb: Token, r: Reading, ctx: Context) -> list[Token]:
    """The object as recipient ("attacked the plant", "urged Russia"); for an object that is a thing
    ("criticized Russia's military action"), the actors inside it; a dative ("get Kyiv the weapons").
    An actor's own forces moved or pulled back are no recipients ("withdrew its troops"), nor is the ship
    or the weapon sent ("sent an aircraft carrier": the role table calls the carrier military)."""
    out = object_recipients_all(verb, r, ctx)
    if r.type in {"MOBILIZE", "RETREAT"} and r.mode in {"troops", "police", "weapons", "militia", "withdraw", None}:
        out = [t for t in out if not noun_classes(t, ctx) & {"TROOPS", "POLICE", "WEAPONS"}]
    if r.type == "AID":
        out = [t for t in out if "WEAPONS" not in noun_classes(t, ctx)]
    return out


def object_recipients_all(verb: Token, r: Reading, ctx: Context) -> list[Token]:
    """The object as recipient ("attacked the plant", "urged Russia"); for an object that is a thing
    ("criticized Russia's military action"), the actors inside it; a dative ("get Kyiv the weapons")."""
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ == "dative" and c.pos_ in {"PROPN", "NOUN", "PRON"}:
            out.append(c)
    for obj in object_candidates(verb, r):
        if obj.dep_ == "nsubjpass" and obj.head.i == verb.i and r.roles == "flip":
            continue  # "aid was given by X": the passive subject is what is given
        if r.noun is not None and obj.i == r.noun.i:
            continue  # the event noun's own targets were taken from its arguments
        out += object_parties(obj, r.type, ctx)
    return out


def object_candidates(verb: Token, r: Reading) -> list[Token]:
    """The objects a recipient may be found in: the direct object, and the object the verb row matched
    when that is another one. The direct object comes first: in "charged the minister with corruption",
    "warned Israel against an attack" the matched phrase is the charge or the act, the object is the party."""
    direct = direct_object(verb)
    out = [direct] if direct is not None else []
    if r.obj is not None and (direct is None or r.obj.i != direct.i):
        if direct is not None and r.obj.head.lower_ == "as" and direct.dep_ == "dobj":
            return out  # "using civilians as shields": the matched phrase is the manner, the object is hit
        out.append(r.obj)
    return out


def object_parties(obj: Token, type_: str, ctx: Context, concrete: bool = True) -> list[Token]:
    """The recipients an object gives: a party or a place is one ("urged Russia", "shelled Kharkiv",
    "released thousands of prisoners"); in a thing, the actors it belongs to ("imposed sanctions on Russian
    oil exports", "criticized the deal with Iran"), else none (a thing is no party: "called for unity");
    with `concrete`, a thing hit or taken in an attack or a seizure is one ("attacked a compound", "shelled
    Russian positions"), unless an actor owns it ("attacked Hamas targets", "the home of the minister")."""
    classes = noun_classes(obj, ctx)
    if obj.i in ctx.place_at or "TERRITORY" in classes:
        return [named_place(obj, ctx)]
    inner = expand_partitive(obj)
    for token in dict.fromkeys((obj, inner)):
        if is_party(token, ctx) and not names_thing(token, ctx, own=True):
            return [token]  # "the state oil company": a party, whatever its compounds deal in
    if own_target(inner, type_, ctx):
        return []  # "support for Ukraine": the target is the recipient (prep_recipients), not the supporter
    if concrete and type_ in PHYSICAL_TYPES and (not names_thing(obj, ctx) or "ASSETS" in classes) and \
            obj.ent_type_ not in AMOUNT_ENTITIES:
        owners = [t for t in owners_before(inner, ctx) if t.dep_ != "amod"] + owners_after(inner, ctx)
        return owners or [obj]  # a nationality stays in the object's code: "Russian positions" [RUS]
    return actors_inside(inner, ctx)


def own_target(noun: Token, type_: str, ctx: Context) -> bool:
    """Whether a noun has a target of the type's own ("support for Ukraine", "sanctions on Iran")."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS.get(type_, ()):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and (is_party(pobj, ctx) or pobj.i in ctx.place_at):
                return True
    return False


def named_place(token: Token, ctx: Context) -> Token:
    """The place a generic place noun names ("the city of Chernihiv" -> Chernihiv), else the token."""
    if token.lower_ in PLACE_HEADS:
        for prep in token.children:
            pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep.lower_ == "of" else None
            if pobj is not None and pobj.i in ctx.place_at:
                return pobj
    return token


def names_thing(obj: Token, ctx: Context, own: bool = False) -> bool:
    """An object naming a thing or an event ("aid", "the proposal", "oil exports"); with `own`, by its own
    lexicon entry only, not by what its compounds name ("an oil company" is no thing)."""
    _, entry = event_noun_token(obj)
    if entry is not None and entry.type is not None:
        return True
    if own:
        return entry is not None and entry.cls in THING_CLASSES
    return bool(noun_classes(obj, ctx) & THING_CLASSES)


def prep_recipients(verb: Token, type_: str, ctx: Context, matched: Token | None = None,
                    look_inside: bool = True) -> list[Token]:
    """Recipients introduced by the type's prepositions, on the verb or on its object. A thing named there
    is hit only as the aim of a verb without an object ("fired at the airport", not "killed two people at
    a camp"); the actors inside a thing count with `look_inside` (not once the object gave a party:
    "praised Trump for meeting with Kim")."""
    preps = RECIPIENT_PREPS.get(type_, ())
    out: list[Token] = []
    holders = [verb]
    for obj in (direct_object(verb), matched):
        for holder in of_chain(expand_partitive(obj)) if obj is not None else ():
            if holder not in holders:
                holders.append(holder)
    aimed = direct_object(verb) is None
    for holder in holders:
        for c in holder.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                concrete = aimed and holder.i == verb.i and c.lower_ in {"at", "against"}
                found = object_parties(pobj, type_, ctx, concrete=concrete)
                if look_inside or any(t.i == pobj.i or t.i == expand_partitive(pobj).i for t in found):
                    out += found
    return out


def of_chain(token: Token, depth: int = 2) -> list[Token]:
    """A noun and the nouns of its "of" phrases ("the sale of 14,000 rounds of ammunition to Israel": the
    "to" phrase may hang off any of them)."""
    out = [token]
    for _ in range(depth):
        prep = next((c for c in out[-1].children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
        if pobj is None:
            break
        out.append(pobj)
    return out


def entries_for(tokens: list[Token], r: Reading, ctx: Context, source: Attribution | None) -> list[ActorEntry]:
    """Actor entries for head tokens: coordinations split ("Poland and Bulgaria"), pronouns resolved,
    groups expanded into their members."""
    out: list[ActorEntry] = []
    seen: set[tuple[int, int, str | None]] = set()
    for head in tokens:
        for t in [head, *coordinated_parties(head, ctx)]:
            for entry in token_entries(t, ctx, source):
                if entry[1] is None and entry[0].root.lower_ in NON_REFERENTIAL:
                    continue  # "That could include ...": no actor
                key = (entry[0].start, id(entry[1]) if entry[1] is not None else -1, entry[2])
                if key not in seen:
                    seen.add(key)
                    out.append(entry)
    return out


def coordinated_parties(head: Token, ctx: Context) -> list[Token]:
    """The nouns coordinated with a head; with a party as head, only the parties among them ("rescued the
    two sailors and their dogs")."""
    conjuncts = [c for c in head.conjuncts if c.pos_ in {"PROPN", "NOUN", "PRON"}]
    if not is_party(head, ctx):
        return conjuncts
    out = []
    for c in conjuncts:
        if is_party(c, ctx) or c.i in ctx.place_at:
            out.append(c)
        else:  # "UN and Red Cross involvement": the actor named in the thing
            out += [t for t in owners_before(c, ctx) if t.dep_ != "poss" and t.i in ctx.actor_at][:1]
    return out


def token_entries(token: Token, ctx: Context, source: Attribution | None, depth: int = 0) -> list[ActorEntry]:
    """Entries for one head token: a resolved actor (or its members), a pronoun's antecedents, or one
    entry per nationality of a coordinated description ("Russian and Ukrainian negotiators")."""
    resolved = resolve_token(token, ctx, source)
    if token.pos_ == "PRON" and all(a is None for _, a in resolved) and depth == 0:
        antecedents = pronoun_antecedents(token) or speaker_antecedent(token, source)
        if antecedents:
            return [e for t in antecedents for e in token_entries(t, ctx, source, depth + 1)]
    if len(resolved) == 1 and resolved[0][1] is None:
        span = resolved[0][0]
        nationalities = [c for c in token.lefts if c.dep_ == "amod" and c.text in demonyms()]
        nationalities += [g for c in nationalities for g in c.conjuncts if g.text in demonyms()]
        if len(nationalities) >= 2:
            sector = sector_of(span, None)
            return [(span, None, " ".join(p for p in (demonyms()[n.text][1], sector) if p)) for n in nationalities]
    return [(span, actor, actor_code(span, actor, ctx)) for span, actor in resolved]
