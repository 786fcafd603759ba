"""Events: who did what to whom, where and when, per whom, and how sure (PLOVER ontology).

The `newsgraph_events` component runs after `newsgraph_certainty` and sets `doc._.events` to a list of
`EventMention`, one per trigger, in text order. It reads events from the parse with lexicons that are
data files written from the PLOVER codebook in ../shared/plover (their headers give the sources and
where newsgraph departs from the codebook):

1. **Verbs** (`data/event_verbs.tsv`): a verb with its particle, subject and object decides the type
   ("cut off" + gas supplies is SANCTION, + water is COERCE; "launched" + airstrikes takes the
   airstrikes' ASSAULT; "fell to" the Russians is COERCE seize by the Russians).
2. **Nouns** (`data/event_nouns.tsv`): nouns that name events ("fighting continued", "their meeting
   at the Kremlin", "atrocities committed by Russian forces") and the noun classes the verb rows refer
   to (WEAPONS, AID, PROPOSAL, TERRITORY, ...). A noun is an event on its own only where it heads a
   clause's subject or has arguments of its own; in a temporal phrase ("during the meeting") it is a
   background reference, not a report.
3. **Modality** (`data/event_modality.tsv`): a verb governing another through an infinitive changes
   its type or certainty: "threatened to cut off" is THREATEN (mode from what is threatened), "agreed
   to provide" AGREE, "urged Russia to allow" REQUEST, "refused to meet" REJECT, "promised not to
   attack" CONCEDE, "plans to visit" a hedged AGREE (the codebook codes future cooperation as AGREE),
   "failed to" and "wants to" no event. A warning is a threat only when it warns of consequences or
   of a coercive act of the warner's own.

Not events: negated ones ("did not attack", "no talks"), conditional ones ("if they attack"),
purposes and wishes ("to save lives", "hope that we will reach"), what a request asks for ("demanded
that the government secure their release"), a protest's demands (manual: the topic of a protest is
no event of its own), participles describing a noun ("weapons delivered to Ukraine") and questions.

Actors and recipients come from the parse (subject, object, the type's prepositions: "aid to",
"sanctions on", "talks with"; passives flipped; coordinations split), resolved to `Actor`s through
`doc._.actor_at`, the statement's speaker for "we", "it" or "they" inside what it said, the clause's
plural subject for "their", and `resolve_mention`. Each gets an actor code: country (ISO alpha-3) from
the actor's own country, the nationality words of its titles and description, its possessor, or the
country it is or whose capital it is; sector from its role nouns (`data/agent_sectors.tsv`, derived
from the CAMEO agents dictionary by scripts/build_agent_sectors.py) or an IGO/NGO code
(`data/actor_codes.tsv`). Location is a place attached to the trigger ("in Kreminna", "at the
Azovstal plant") or taken by it ("liberated the Kherson region"); date is a date attached to it, else
None with `date_is_publication` set when the article has a publication date. The source is the
statement whose content holds the trigger (the outermost reporting one: "Poland and Bulgaria said
Gazprom informed them that ..." is reported by Poland and Bulgaria); certainty is `asserted` without
one, else that statement's certainty, raised by hedges around the trigger ("reportedly", "may",
"alleged", "claims of"), an unconfirmed note on its sentence and rebuttals found by the certainty
component.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.actors import Actor, coordinated_actors, group_actor, resolve_mention
from newsgraph.boilerplate import inside_boilerplate
from newsgraph.certainty import (
    DENIAL_WINDOW_AFTER,
    DENIAL_WINDOW_BEFORE,
    CertaintyContext,
    CertaintyCues,
    Denial,
    affiliations,
    certainty_context,
    certainty_cues,
    countries_in_words,
    places_in,
    predicate_hedge,
    same_topic,
    stronger,
)
from newsgraph.docinfo import published_of, text_of
from newsgraph.lexicons import demonyms, person_titles, table
from newsgraph.quotes import Attribution
from newsgraph.records import DateRef, Place

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)

ActorEntry = tuple[Span, Actor | None, str | None]

CONFLICT_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "THREATEN", "MOBILIZE"})
COOPERATIVE_TYPES = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
RETREAT_TYPES = frozenset({"RETREAT", "CONCEDE"})
# Prepositions that introduce the recipient of an event, by type ("aid to", "sanctions on").
RECIPIENT_PREPS: dict[str, tuple[str, ...]] = {
    "AGREE": ("with", "to"), "CONSULT": ("with",), "SUPPORT": ("for",), "CONCEDE": ("to",),
    "COOPERATE": ("with",), "AID": ("to", "for"), "RETREAT": (), "REQUEST": ("on", "to"),
    "ACCUSE": ("against",), "REJECT": (), "THREATEN": ("against", "with"), "PROTEST": ("against",),
    "SANCTION": ("on", "against", "to", "from"), "MOBILIZE": ("against",), "COERCE": ("on", "against"),
    "ASSAULT": ("on", "against", "at"),
}
# Types whose object is a place taken or hit, so the object is also the event's location.
PLACE_OBJECT_TYPES = frozenset({"ASSAULT", "COERCE", "RETREAT", "MOBILIZE", "PROTEST"})
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "on", "throughout",
                            "within", "into", "off"})
TEMPORAL_PREPS = frozenset({"during", "after", "before", "since", "ahead", "following", "amid", "amidst",
                            "until", "till", "prior", "despite", "throughout", "over"})
# Gerunds after these prepositions report something that happened ("before meeting", "by claiming").
REALIS_GERUND_PREPS = frozenset({"before", "after", "by", "while", "since", "following", "upon", "in", "when"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "lest"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})  # "would" in reported speech is a future
# Nouns standing for an amount, a part or a container of what the verb acts on ("$700 million in aid",
# "a series of attacks", "a state of emergency").
PARTITIVE_NOUNS = frozenset({
    "billion", "million", "thousand", "hundred", "dollar", "euro", "series", "wave", "round", "number", "lot",
    "part", "host", "string", "spate", "batch", "tranche", "kind", "type", "set", "state", "package",
    "way", "amount", "range", "total", "worth", "more", "some", "sum", "activities", "activity", "level", "pounds",
    "dollars", "euros",
})
# Event nouns a delivery, shipment or supply takes its class from ("delivery of guns" is WEAPONS).
CONTAINER_CLASSES = frozenset({"EXCHANGE"})
# Object classes that name things, not actors: the recipient is found inside them.
THING_CLASSES = frozenset({
    "AID", "WEAPONS", "EXCHANGE", "PROPOSAL", "POLICY", "RELATIONS", "ACCESS", "TALKS", "RESTRICTION",
    "AGREEMENT", "CEASEFIRE", "UTILITY", "ASSETS", "CHARGES", "COMPLAINT", "SUPPORTNOUN", "ASYLUM", "DEBT",
    "INTELLIGENCE", "MEMBERSHIP", "WAR", "CONTROL", "FIRE", "REVENGE", "ALERT", "SHIELD", "ATTACK",
    "PROTESTNOUN", "STREET", "ROUTE",
})
CIVIL_SECTORS = frozenset({"CVL", "LAB", "EDU", "MED", "AGR", "REL", "JRN", "SOC", "NGO", "REF"})
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "ELI", "PTY", "IGO"})
MILITARY_SECTORS = frozenset({"MIL", "REB", "UAF"})
CROWD_WORDS = frozenset({"thousands", "hundreds", "dozens", "crowds", "crowd", "scores", "tens"})
LABOUR_WORDS = frozenset({"general", "national", "nationwide", "labor", "labour", "workers", "union", "teachers",
                          "doctors", "nurses", "miners", "drivers", "pilots", "staff", "employees", "wildcat"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
THING_PRONOUNS = frozenset({"it", "its"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Modifiers that make an event noun unrealised ("a potential attack", "planned talks").
IRREALIS_MODIFIERS = frozenset({"potential", "possible", "future", "planned", "expected", "imminent", "proposed",
                                "prospective", "hypothetical", "threatened", "looming", "feared", "new"})
PLACE_HEADS = frozenset({"city", "town", "village", "region", "province", "district", "port", "capital", "area",
                         "territory", "parts", "part", "oblast", "county", "state"})
# Verbs saying that an event happens ("fighting erupted", "the ceasefire took effect", "talks resumed").
HAPPENING_VERBS = frozenset({
    "continue", "resume", "begin", "start", "erupt", "occur", "happen", "rage", "intensify", "escalate", "hold",
    "spread", "flare", "end", "kill", "wound", "injure", "leave", "hit", "destroy", "damage", "claim", "collapse",
    "fail", "succeed", "conclude", "open", "close", "break", "take", "come", "go", "last", "enter",
})
WARNING_VERBS = frozenset({"warn", "caution"})
# Event nouns whose possessor undergoes the event ("his arrest", "their release", "the minister's killing").
PATIENT_NOUNS = frozenset({"arrest", "arrests", "detention", "release", "killing", "assassination", "execution",
                           "abduction", "kidnapping", "torture", "deportation", "expulsion", "beating", "murder"})
WILLING_ADJECTIVES = frozenset({"open", "ready", "willing", "prepared", "committed", "amenable"})
NON_REFERENTIAL = frozenset({"that", "this", "these", "those", "which", "what", "something", "anything", "everything",
                             "nothing", "one", "it", "its", "they", "them", "their", "he", "she", "him", "her",
                             "his", "who", "whom", "whoever", "anyone", "someone", "everyone"})
PHRASAL_PARTICLES = frozenset({"in", "out", "up", "down", "off", "over", "back", "away", "through"})
VAGUE_DATE_VALUES = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
PHONE_WORDS = frozenset({"phone", "telephone", "video", "videoconference", "call"})


# --- lexicons ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerbRow:
    lemma: str
    particle: str | None
    subject: str | None
    object: str | None
    type: str
    mode: str | None
    roles: str | None


@dataclass(frozen=True)
class NounEntry:
    key: str
    type: str | None
    mode: str | None
    cls: str | None
    standalone: str


def _dash(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value in {"", "-"} else value


@cache
def verb_rows() -> dict[str, tuple[VerbRow, ...]]:
    rows: dict[str, list[VerbRow]] = {}
    for r in table("event_verbs.tsv"):
        row = VerbRow(r["lemma"].strip(), _dash(r["particle"]), _dash(r["subject"]), _dash(r["object"]),
                      r["type"].strip(), _dash(r["mode"]), _dash(r["roles"]))
        rows.setdefault(row.lemma, []).append(row)
    return {k: tuple(v) for k, v in rows.items()}


@cache
def noun_entries() -> dict[str, NounEntry]:
    out = {}
    for r in table("event_nouns.tsv"):
        key = r["lemma"].strip().casefold()
        out[key] = NounEntry(key, _dash(r["type"]), _dash(r["mode"]), _dash(r["class"]),
                             (r["standalone"] or "no").strip())
    return out


@cache
def modality_roles() -> dict[str, str]:
    return {r["lemma"].strip(): r["role"].strip() for r in table("event_modality.tsv")}


@cache
def agent_sectors() -> dict[str, str]:
    return {r["phrase"]: r["sector"] for r in table("agent_sectors.tsv")}


@cache
def named_codes() -> dict[str, str]:
    return {r["name"].strip().casefold(): r["code"].strip() for r in table("actor_codes.tsv")}


@cache
def country_codes() -> dict[str, str]:
    """Country names, capitals and ISO alpha-2 codes -> ISO alpha-3 (from countries.tsv and demonyms.tsv)."""
    out: dict[str, str] = {}
    for row in table("demonyms.tsv"):
        if row["iso3"] and row["iso3"] != "IGO":
            out.setdefault(row["country"].casefold(), row["iso3"])
    try:
        rows = table("countries.tsv")
    except FileNotFoundError:  # the places data may be absent in a trimmed install
        rows = ()
    for row in rows:
        iso3 = row.get("iso3") or ""
        if not iso3:
            continue
        out.setdefault((row.get("name") or "").casefold(), iso3)
        out.setdefault("iso2:" + (row.get("iso2") or ""), iso3)
        if row.get("capital"):
            out.setdefault("capital:" + row["capital"].casefold(), iso3)
    return out


# --- the records --------------------------------------------------------------------------------------


@dataclass(eq=False)
class EventMention:
    """One event found in a Doc (newsgraph.document turns it into an `Event` record)."""

    type: str
    mode: str | None
    trigger: Span
    actors: list[ActorEntry] = field(default_factory=list)
    recipients: list[ActorEntry] = field(default_factory=list)
    location: Place | None = None
    date: DateRef | None = None
    date_is_publication: bool = False
    source: Attribution | None = None
    certainty: str = "asserted"


@dataclass(eq=False)
class Reading:
    """An event read from the parse, before its participants are resolved."""

    type: str
    mode: str | None
    trigger: Span
    head: Token  # the verb (or standalone noun) whose clause carries negation, modals and arguments
    noun: Token | None = None  # the event noun, when the event is named by a noun
    obj: Token | None = None  # the object the verb row matched
    roles: str | None = None
    hedge: str = "asserted"  # certainty from a governing verb ("plans to")
    future: bool = False
    inner: Reading | None = None  # the governed event of a threat, promise, request or refusal
    top: Token | None = None  # the highest governing verb, for clause-level checks
    claim_noun: str | None = None  # "claims of ...": the certainty a claim noun gives

    @property
    def clause(self) -> Token:
        return self.top if self.top is not None else self.head

    @property
    def noun_headed(self) -> bool:
        """A standalone noun event (not a noun taken by a verb)."""
        return self.noun is not None and self.noun.i == self.head.i


# --- the component ---------------------------------------------------------------------------------------


@Language.factory("newsgraph_events", default_config={})
def make_event_finder(nlp: Language, name: str) -> EventFinder:
    return EventFinder()


class EventFinder:
    def __call__(self, doc: Doc) -> Doc:
        doc._.events = find_events(doc) if len(doc) else []
        return doc


def find_events(doc: Doc) -> list[EventMention]:
    ctx = Context(doc)
    readings = [r for r in read_events(doc, ctx) if keep_reading(r, ctx)]
    readings = drop_protest_topics(one_per_trigger(readings))
    events = [build_event(r, ctx) for r in readings]
    events.sort(key=lambda e: (e.trigger.start, e.trigger.end))
    return events


class Context:
    """What every step needs about the doc, computed once."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = text_of(doc)
        self.actor_at: dict[int, Actor] = doc._.actor_at or {}
        self.statements: list[Attribution] = list(doc._.statements or []) if doc.has_extension("statements") else []
        self.certainty: CertaintyContext = certainty_context(doc)
        self.cues: CertaintyCues = certainty_cues()
        self.published = published_of(doc)
        self.place_at = token_index(doc, doc._.places if doc.has_extension("places") else None)
        self.date_at = token_index(doc, [d for d in (doc._.dates if doc.has_extension("dates") else None) or []
                                         if d.value not in VAGUE_DATE_VALUES])
        self.metonym_country: dict[int, str] = {}
        for span, name in (doc._.metonyms if doc.has_extension("metonyms") else None) or []:
            iso = country_iso(re.sub(r"^Government of (the )?", "", name))
            if iso:
                for i in range(span.start, span.end):
                    self.metonym_country[i] = iso
        self.has_boilerplate = doc.has_extension("boilerplate") and bool(doc._.boilerplate)
        self._sentence_hedge: dict[int, str] = {}

    def sentence_hedge(self, sent: Span) -> str:
        """Hedge phrases anywhere in the sentence ("according to unconfirmed reports")."""
        if sent.start not in self._sentence_hedge:
            sent_text = self.text[sent.start_char : sent.end_char]
            value = "asserted"
            for pattern, hedge in self.cues.hedge_phrases:
                if pattern.search(sent_text):
                    value = stronger(value, hedge)
            self._sentence_hedge[sent.start] = value
        return self._sentence_hedge[sent.start]


def token_index(doc: Doc, records: Iterable[Place] | Iterable[DateRef] | None) -> dict[int, Place | DateRef]:
    """Token index -> the place or date record whose text covers it."""
    out: dict[int, Place | DateRef] = {}
    for rec in records or []:
        span = doc.char_span(rec.start, rec.end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                out.setdefault(i, rec)
    return out


# --- reading events from the parse -------------------------------------------------------------------------


def read_events(doc: Doc, ctx: Context) -> list[Reading]:
    """Verb events (with their governed events folded in), then the noun events no verb took."""
    base: dict[int, Reading] = {}
    for token in doc:
        if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "NOUN" and token.tag_.startswith("VB")):
            reading = read_verb(token, ctx)
            if reading is not None:
                base[token.i] = reading
    governed = {t.i for t in doc if is_governed(t)}
    out: list[Reading] = []
    used: set[int] = set()
    for token in doc:
        if token.i in governed:
            continue
        reading = effective_reading(token, base, used)
        if reading is not None:
            out.append(reading)
    folded = {r.inner.head.i for r in out if r.inner is not None}
    out = [r for r in out if r.inner is not None or r.head.i not in folded]  # "warned it could close": one threat
    absorbed = used | {i for r in out for i in absorbed_tokens(r)}
    # nouns in a governed clause belong to the governing event ("agreed to a truce to allow the release")
    absorbed |= {t.i for t in doc if t.pos_ in {"NOUN", "PROPN"} and governing_verb(t).i in used}
    out += [r for r in (read_noun(t, ctx) for t in doc
                        if t.i not in absorbed and (t.pos_ in {"NOUN", "PROPN"} or is_nominal_gerund(t)))
            if r is not None]
    out += [r for t in doc if (r := read_visiting(t, ctx)) is not None]
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


def governing_role(token: Token) -> str | None:
    return modality_roles().get(token.lemma_.casefold()) or modality_roles().get(token.lower_)


def effective_reading(token: Token, base: dict[int, Reading], used: set[int]) -> Reading | None:
    """The event a token reports once the verbs it governs are folded in ("threatened to cut off")."""
    xcomp = governed_child(token)
    if xcomp is None and token.lemma_ in WARNING_VERBS:
        return warning(token, base, used)
    role = governing_role(token) if xcomp is not None else None
    if role is not None and xcomp is not None and not governs_as_infinitive(role, xcomp):
        role = None  # "told visiting UN Secretary-General ...": a participle, not "told X to"
    own = base.get(token.i)
    if xcomp is None or role is None:
        return own
    inner = effective_reading(xcomp, base, used)
    used.add(xcomp.i)
    if inner is not None and is_negated(xcomp):
        if role in {"promise", "agree", "ready"} and inner.type in CONFLICT_TYPES:
            return Reading("CONCEDE", None, span1(token), token, inner=inner)  # "agreed not to deport"
        inner = None  # "warned them not to attack": no attack to fold in
    return combine(role, token, own, inner)


def warning(verb: Token, base: dict[int, Reading], used: set[int]) -> Reading | None:
    """'warned that Israel would face a harsh response', 'warned it could close the border': a warning
    of consequences, or of a coercive act of the warner's own, is a threat (manual, THREATEN: forceful
    warnings with serious potential repercussions); other warnings are statements."""
    own = base.get(verb.i)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return own
    inner = effective_reading(clause, base, used)
    consequences = any(t.pos_ == "NOUN" and "REVENGE" in noun_classes(t) for t in clause.subtree)
    modal = any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX | {"could", "may", "might"} for c in clause.children)
    if inner is not None and inner.type in CONFLICT_TYPES and modal:
        return Reading("THREATEN", threat_mode(inner), span1(verb), verb, inner=inner)
    if consequences:
        return Reading("THREATEN", "violence", span1(verb), verb, inner=inner)
    return own


def governed_child(token: Token) -> Token | None:
    """The infinitive a verb governs: its xcomp, or a to-infinitive the parser made a ccomp with a
    subject ("allowed UN inspectors to visit")."""
    for c in token.children:
        if c.dep_ == "xcomp":
            return c
    for c in token.children:
        if c.dep_ == "ccomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            return c
    for c in token.children:  # "avoid fighting", "stopped attacking": a gerund object
        if c.dep_ == "dobj" and c.tag_ == "VBG" and not any(g.dep_ == "det" for g in c.children):
            return c
    return None


def is_governed(token: Token) -> bool:
    """Whether a verb is the infinitive of a governing verb (and so read through it)."""
    if token.dep_ not in {"xcomp", "ccomp", "dobj"} or token.head.i == token.i:
        return False
    role = governing_role(token.head)
    child = governed_child(token.head)
    return role is not None and child is not None and child.i == token.i and governs_as_infinitive(role, token)


def governs_as_infinitive(role: str, xcomp: Token) -> bool:
    """Roles act on an infinitive ("threatened to cut off"); aspect verbs also on a gerund
    ("continued attacking"), and so do adjectives ("ready to") whatever the tagger says."""
    if xcomp.tag_ == "VB" or any(c.dep_ == "aux" and c.lower_ == "to" for c in xcomp.children):
        return True
    return role in {"transparent", "negate"} and xcomp.tag_ == "VBG"


def span1(token: Token) -> Span:
    return token.doc[token.i : token.i + 1]


def combine(role: str, head: Token, own: Reading | None, inner: Reading | None) -> Reading | None:
    """What a governing verb makes of the event it governs (see data/event_modality.tsv)."""
    def outer(type_: str, mode: str | None) -> Reading:
        return Reading(type_, mode, span1(head), head, obj=own.obj if own else None, inner=inner)

    inner_type = inner.type if inner is not None else None
    if role == "threaten":
        return outer("THREATEN", threat_mode(inner))
    if role in {"promise", "agree", "ready"}:
        if inner is None and role == "promise":
            # "pledged 100 million euros to help": the promise has an object of its own; "vowed to stave
            # off climate change" is a promise of no coded event
            return own if own is not None and own.obj is not None else None
        if inner_type in RETREAT_TYPES:
            return outer("CONCEDE", None)
        if inner_type in CONFLICT_TYPES and inner is not None:
            if role == "agree":
                return kept(inner, head)  # "agreed to impose sanctions" is the sanction, decided
            return outer("THREATEN", threat_mode(inner))
        return outer("AGREE", None)
    if role == "request":
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
            # an order to one's own forces is their move or their attack
            return kept(inner, head) if inner is not None and inner.type == "ASSAULT" else outer("MOBILIZE", "troops")
        return outer("REQUEST", request_mode(inner))
    if role == "halt":
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
    if role == "hedge":
        inner.hedge = stronger(inner.hedge, "hedged")
        inner.future = True
    elif role == "future":
        inner.future = True
    return kept(inner, head)


def kept(inner: Reading, head: Token) -> Reading:
    """The governed event, kept, with the governing verb as the top of its clause."""
    top = head
    while top.dep_ == "xcomp" and governing_role(top.head) is not None:
        top = top.head
    inner.top = top
    return inner


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
    if t in {"PROTEST", "REJECT"}:
        return "relations"
    return None


def request_mode(inner: Reading | None) -> str | None:
    """REQUEST and REJECT modes: what is asked for or refused (manual, REQUEST modes)."""
    if inner is None:
        return None
    if inner.type in {"CONSULT"} or (inner.type == "AGREE" and inner.obj is not None
                                     and "TALKS" in noun_classes(inner.obj)):
        return "meet"
    if inner.type in {"AID", "COOPERATE", "SUPPORT"}:
        return "assist"
    if inner.type in {"RETREAT", "CONCEDE"} or inner.type == "AGREE":
        return "yield"
    return "change"


# --- verbs ---------------------------------------------------------------------------------------------


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
        return Reading(type_, mode, noun_span(noun_tok), token, noun=noun_tok, obj=obj, roles=row.roles)
    trigger = verb_span(token, particles.get(row.particle or ""))
    return Reading(row.type, row.mode, trigger, token, obj=obj, roles=row.roles)


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


def is_nominal_gerund(token: Token) -> bool:
    """'the police shooting': a gerund with a determiner is a noun."""
    return token.tag_ == "VBG" and any(c.dep_ == "det" for c in token.children)


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


# --- nouns ------------------------------------------------------------------------------------------------


def noun_keys(token: Token) -> Iterator[tuple[str, int]]:
    """Lexicon keys for a noun, most specific first, with the index of the leftmost word they cover."""
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-":
        yield f"{doc[token.i - 2].lower_}-{token.lower_}", token.i - 2  # "cease-fire" split by the tokenizer
    for c in token.lefts:
        if c.dep_ in {"compound", "amod", "nmod"} and token.i - c.i <= 2:
            yield f"{c.lower_} {token.lower_}", c.i
            yield f"{c.lemma_.casefold()} {token.lemma_.casefold()}", c.i
    yield token.lower_, token.i
    yield token.lemma_.casefold(), token.i


def noun_entry(token: Token) -> tuple[int, NounEntry | None]:
    entries = noun_entries()
    for key, start in noun_keys(token):
        entry = entries.get(key)
        if entry is not None:
            return start, entry
    return token.i, None


def expand_partitive(token: Token) -> Token:
    """'$700 million in military aid' -> aid; 'a series of attacks' -> attacks; 'a state of emergency'."""
    for _ in range(3):
        if not (token.like_num or token.lower_ in PARTITIVE_NOUNS or token.lemma_.casefold() in PARTITIVE_NOUNS
                or token.ent_type_ in {"MONEY", "CARDINAL"}):
            return token
        nxt = None
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "in", "worth"}:
                nxt = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if nxt is not None:
                    break
        if nxt is None and token.dep_ in {"dobj", "nsubjpass"}:
            for prep in token.head.children:  # "sent $4 billion in aid": the phrase may hang off the verb
                if prep.dep_ == "prep" and prep.lower_ in {"in", "of"} and prep.i > token.i:
                    nxt = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if nxt is not None:
                        break
        if nxt is None:
            return token
        token = nxt
    return token


def event_noun_token(obj: Token) -> tuple[Token, NounEntry | None]:
    """The event noun an object stands for, looking through amounts and parts."""
    token = expand_partitive(obj)
    _, entry = noun_entry(token)
    if entry is not None and entry.type == "ASSAULT" and token.lemma_.casefold() == "strike" and (
            any(c.lower_ in LABOUR_WORDS for c in token.lefts) or (token.dep_ == "pobj" and token.head.lower_ == "on")):
        entry = NounEntry(entry.key, "PROTEST", "strike", "PROTESTNOUN", entry.standalone)  # "went on strike"
    if entry is not None and entry.type in {"MOBILIZE", "ASSAULT"} and any(c.lower_ == "joint" for c in token.lefts):
        entry = NounEntry(entry.key, "COOPERATE", None, entry.cls, entry.standalone)  # "joint exercises"
    if entry is not None and entry.type == "RETREAT" and token.lemma_.casefold() in {"withdrawal", "retreat"} and \
            of_classes(token) & {"POLICY", "PROPOSAL", "DEMAND"}:
        entry = NounEntry(entry.key, "CONCEDE", None, entry.cls, entry.standalone)  # "withdrawal of the bill"
    return token, entry


def noun_span(token: Token) -> Span:
    start, _ = noun_entry(token)
    return token.doc[min(start, token.i) : token.i + 1]


def noun_classes(token: Token, ctx: Context | None = None) -> set[str]:
    """Classes of a noun phrase's head: its own, its compounds' ("aid package"), what a delivery
    carries ("delivery of guns"), PERSON for people, TERRITORY for places."""
    token = expand_partitive(token)
    out: set[str] = set()
    _, entry = noun_entry(token)
    if entry is not None and entry.cls:
        out.add(entry.cls)
    if token.ent_type_ == "MONEY" or token.lemma_.casefold() in {"dollar", "euro", "pound", "yen", "yuan", "rouble"}:
        out.add("AID")  # money given is aid ("pledged 100 million euros")
    for c in token.children:  # "a plane carrying medical supplies"
        if c.dep_ == "acl" and c.lemma_.casefold() in {"carry", "transport", "bring", "load"}:
            for g in c.children:
                if g.dep_ in {"dobj", "prep"}:
                    target = g if g.dep_ == "dobj" else next((x for x in g.children if x.dep_ == "pobj"), None)
                    if target is not None:
                        out |= noun_classes(target, ctx) & {"AID", "WEAPONS"}
    code = named_code(token.text)
    if code is not None and code.startswith(("IGO", "NGO")):
        out.add("ORGANIZATION")
    for c in token.lefts:
        if c.dep_ in {"compound", "amod", "nmod"}:
            # "arms shipments", "aid package", "trade links": a container takes its contents' class, but an
            # "aid convoy" or "aid workers" are no aid
            _, e = noun_entry(c)
            container = entry is None or entry.cls in {"EXCHANGE", "ASSETS", "RELATIONS", "ORGANIZATION"} or \
                token.lemma_.casefold() in {"package", "system", "consignment"}
            if e is not None and e.cls in {"AID", "WEAPONS", "ORGANIZATION", "EXCHANGE", "RELATIONS", "ALERT"} and (
                    container and token.lemma_.casefold() not in {"convoy", "worker", "truck", "group", "agency"}):
                out.add(e.cls)
            if c.lower_ in {"humanitarian", "military", "financial", "economic", "medical", "relief", "emergency"} and (
                    out & {"EXCHANGE"} or token.lower_ in {"help", "support"}):
                out.add("AID")
    if entry is not None and entry.cls in CONTAINER_CLASSES:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        out |= noun_classes(pobj, ctx) & {"AID", "WEAPONS", "EXCHANGE"}
    if ctx is not None:
        actor = ctx.actor_at.get(token.i)
        if actor is not None and actor.type == "PERSON":
            out.add("PERSON")
        if actor is not None and actor.type == "ORG" and not actor.name.startswith("Government of"):
            out.add("ORGANIZATION")
        if token.i in ctx.place_at:
            out.add("TERRITORY")
    if token.lower_ in person_titles() or token.lemma_.casefold() in person_titles():
        out.add("PERSON")
    return out


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
        if not (args.agent and (args.place or args.date)):
            return None
    elif entry.standalone == "yes":
        if not (subject or existential or predicate or args.any() or under_claim_noun(token, ctx)):
            return None
    elif not (args.agent or args.target or happening):
        return None  # a place or a date alone does not make "the war crimes in Ukraine" a report
    if any(c.dep_ == "amod" and c.lower_ in IRREALIS_MODIFIERS for c in token.children):
        return None  # "a potential Russian attack" has not happened
    type_, mode = adjusted_noun_type(token, entry, args, ctx)
    reading = Reading(type_, mode, token.doc[start : token.i + 1], token, noun=token)
    reading.claim_noun = under_claim_noun(token, ctx)
    return reading


@dataclass
class NounArguments:
    agent: list[Token] = field(default_factory=list)
    target: list[Token] = field(default_factory=list)
    place: Place | None = None
    date: DateRef | None = None
    light_verb: Token | None = None  # "atrocities committed by ..."

    def any(self) -> bool:
        return bool(self.agent or self.target or self.place or self.date)


# Prepositions introducing an event noun's target, by type ("attack on", "talks with", "aid to").
TARGET_PREPS: dict[str, frozenset[str]] = {
    "on": frozenset({"*"}), "against": frozenset({"*"}), "at": frozenset({"ASSAULT"}),
    "with": frozenset({"CONSULT", "COOPERATE", "ASSAULT"}), "of": frozenset({"ASSAULT", "COERCE", "RETREAT"}),
    "to": frozenset({"AID", "CONSULT"}),
}


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


def inside_clause_below(t: Token, top: Token) -> bool:
    """Whether t sits in a clause of its own below `top` (a relative or complement clause)."""
    node = t
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ in {"relcl", "ccomp", "advcl", "parataxis"}:
            return True
        node = node.head
    return False


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


def of_classes(token: Token) -> set[str]:
    """Classes of a noun's "of" complement."""
    out: set[str] = set()
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    out |= noun_classes(pobj)
    return out


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


# --- which readings are events ------------------------------------------------------------------------


def keep_reading(r: Reading, ctx: Context) -> bool:
    if r.type in {"-", "="}:
        return False
    clause = r.clause if not r.noun_headed else governing_verb(r.head)
    if is_negated(r.head) or (r.top is not None and is_negated(r.top)) or (r.noun is not None and is_negated(r.noun)):
        return False
    if in_conditional(clause) or is_purpose_clause(clause) or is_modifier_without_agent(r):
        return False
    if r.head.pos_ in {"VERB", "AUX"} and not realis_gerund(r.head):
        return False
    sent = r.trigger.sent
    if ctx.text[sent.start_char : sent.end_char].rstrip().endswith("?"):
        return False  # questions report nothing
    return not (ctx.has_boilerplate and inside_boilerplate(ctx.doc, r.trigger.start_char, r.trigger.end_char))


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


def in_conditional(token: Token) -> bool:
    """Inside an 'if' or 'unless' clause: a hypothetical, not an event."""
    node = token
    for _ in range(12):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in node.children):
            return True
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


# --- subjects, objects, actors -----------------------------------------------------------------------------


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


def is_thing(token: Token) -> bool:
    """A noun naming a thing or an event, not a party ("aid", "the proposal", "retaliation")."""
    _, entry = noun_entry(token)
    return bool(noun_classes(token) & THING_CLASSES) or (entry is not None and entry.type is not None)


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


def actors_inside(token: Token, ctx: Context) -> list[Token]:
    """Actors named inside a noun phrase about a thing: 'UN and Red Cross involvement', "Ukraine's
    proposal", 'a decision by Germany'."""
    out: list[Token] = []
    for c in token.children:
        if c.dep_ in {"poss", "compound", "nmod"} and c.i < token.i and (
                c.i in ctx.actor_at or c.pos_ == "PRON" or c.ent_type_ in {"GPE", "ORG", "NORP", "PERSON"}
                or (c.pos_ == "PROPN" and country_iso(c.text) is not None)):
            if c.dep_ != "poss" and c.i not in ctx.actor_at and c.pos_ != "PROPN":
                continue
            out.append(c)
        elif c.dep_ == "prep" and c.lower_ in {"by", "of", "from"}:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and is_actorish(pobj, ctx) and (pobj.i not in ctx.place_at or pobj.i in ctx.actor_at):
                out.append(pobj)
    # a compound written before the head may sit on another compound ("UN and Red Cross involvement")
    seen = {t.i for t in out}
    for t in list(out):
        for conj in t.conjuncts:
            if conj.i not in seen and conj.i in ctx.actor_at:
                out.append(conj)
                seen.add(conj.i)
    return out


def participants(r: Reading, ctx: Context) -> tuple[list[Token], list[Token]]:
    """Actor and recipient head tokens of a reading."""
    if r.roles == "visiting":
        host = r.top
        host_subject = subject_of(host) if host is not None and host.pos_ in {"VERB", "AUX"} else None
        return ([r.obj] if r.obj is not None else []), ([host_subject] if host_subject is not None else [])
    if r.noun is not None and r.noun_headed:
        args = noun_arguments(r.noun, ctx)
        return args.agent, args.target
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
            recipients.append(addressee)
    recipients += object_recipients(verb, r, ctx)
    recipients += prep_recipients(verb, r.type, ctx, r.obj)
    if r.mode == "visit" and r.noun is None:  # "visited Ukraine with Blinken": the companion visits too
        with_ = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"
                 for g in c.children if g.dep_ == "pobj"]
        actors += with_
        recipients = [t for t in recipients if t not in with_]
    if r.inner is not None and not recipients:
        _, inner_recipients = participants(r.inner, ctx)
        recipients += inner_recipients
        if r.type == "REQUEST" and not recipients:
            inner_subject = subject_of(r.inner.head)
            if inner_subject is not None and inner_subject not in actors:
                recipients.append(inner_subject)
    return dedupe(actors), dedupe([t for t in recipients if t not in actors])


def object_recipients(verb: Token, r: Reading, ctx: Context) -> list[Token]:
    """The object as recipient ("attacked the plant", "urged Russia"); for an object that is a thing
    ("criticized Russia's military action"), the actors inside it; a dative ("get Kyiv the weapons").
    An actor's own forces moved or pulled back are no recipients ("withdrew its troops")."""
    out = object_recipients_all(verb, r, ctx)
    if r.type in {"MOBILIZE", "RETREAT"} and r.mode in {"troops", "police", "weapons", "militia", "withdraw", None}:
        out = [t for t in out if not noun_classes(t, ctx) & {"TROOPS", "POLICE", "WEAPONS"}]
    return out


def object_recipients_all(verb: Token, r: Reading, ctx: Context) -> list[Token]:
    """The object as recipient ("attacked the plant", "urged Russia"); for an object that is a thing
    ("criticized Russia's military action"), the actors inside it; a dative ("get Kyiv the weapons")."""
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ == "dative" and c.pos_ in {"PROPN", "NOUN", "PRON"}:
            out.append(c)
    obj = r.obj if r.obj is not None else direct_object(verb)
    direct = direct_object(verb)
    if obj is not None and direct is not None and obj.i != direct.i and direct.dep_ == "dobj" and \
            obj.head.lower_ == "as":
        obj = direct  # "using civilians as shields": the matched phrase is the manner, the object is hit
    if obj is None or (obj.dep_ == "nsubjpass" and obj.head.i == verb.i and r.roles == "flip"):
        return out
    if r.noun is not None and obj.i == r.noun.i:
        return out  # the event noun's own targets were taken from its arguments
    classes = noun_classes(obj, ctx)
    _, entry = event_noun_token(obj)
    thing = classes & THING_CLASSES or (entry is not None and entry.type is not None)
    place = obj.i in ctx.place_at or "TERRITORY" in classes
    inside = actors_inside(expand_partitive(obj), ctx) if (thing or not is_actorish(obj, ctx)) and not place else []
    if inside:
        out += inside  # "criticized Russia's military action", "praised a decision by Germany"
    elif place or not thing or (r.type == "ASSAULT" and "ASSETS" in classes):
        out.append(obj)  # "attacked the plant", "urged Russia", "blamed pro-war factions", "fired at a ship"
    return out


def prep_recipients(verb: Token, type_: str, ctx: Context, matched: Token | None = None) -> list[Token]:
    """Recipients introduced by the type's prepositions, on the verb or on its object."""
    preps = RECIPIENT_PREPS.get(type_, ())
    out = []
    holders = [verb]
    for obj in (direct_object(verb), matched):
        if obj is not None and expand_partitive(obj) not in holders:
            holders.append(expand_partitive(obj))
    for holder in holders:
        for c in holder.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if is_actorish(pobj, ctx) or pobj.i in ctx.place_at:
                    out.append(pobj)
                else:
                    out += actors_inside(pobj, ctx)
    return out


def dedupe(tokens: list[Token]) -> list[Token]:
    seen: set[int] = set()
    out = []
    for t in tokens:
        if t.i not in seen:
            seen.add(t.i)
            out.append(t)
    return out


# --- resolving actors and their codes ------------------------------------------------------------------


def entries_for(tokens: list[Token], r: Reading, ctx: Context, source: Attribution | None) -> list[ActorEntry]:
    """Actor entries for head tokens: coordinations split ("Poland and Bulgaria"), pronouns resolved,
    groups expanded into their members."""
    out: list[ActorEntry] = []
    seen: set[tuple[int, int, str | None]] = set()
    for head in tokens:
        for t in [head, *[c for c in head.conjuncts if c.pos_ in {"PROPN", "NOUN", "PRON"}]]:
            for entry in token_entries(t, ctx, source):
                if entry[1] is None and entry[0].root.lower_ in NON_REFERENTIAL:
                    continue  # "That could include ...": no actor
                key = (entry[0].start, id(entry[1]) if entry[1] is not None else -1, entry[2])
                if key not in seen:
                    seen.add(key)
                    out.append(entry)
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


def actor_code(span: Span, actor: Actor | None, ctx: Context) -> str | None:
    """Country and sector ('RUS GOV', 'UKR MIL', 'USA'), or an IGO/NGO code ('IGO UNO')."""
    named = named_code_for(span, actor)
    if named is not None:
        return named
    words = description_of(span)
    country = country_of(words, actor, ctx)
    sector = sector_of(words, actor)
    if actor is not None and actor.type in {"ORG", "GROUP"} and (country is None or sector is None):
        for m in actor.mentions:  # "it" for "Russian state energy giant Gazprom"
            described = description_of(m)
            country = country or country_of(described, actor, ctx)
            sector = sector or sector_of(described, actor)
    if actor is None or actor.type == "GPE":
        place = next((p for t in span if isinstance(p := ctx.place_at.get(t.i), Place)), None)
        if place is not None and (actor is None or sector is None):
            # a place hit or taken ("the Azovstal plant", "the city of Kreminna"): its country
            return country or (country_codes().get("iso2:" + place.country) if place.country else None)
    if actor is not None and actor.type in {"GPE"} and sector is None:
        return country
    parts = [p for p in (country, sector) if p]
    return " ".join(parts) if parts else None


def named_code(name: str) -> str | None:
    key = re.sub(r"^the\s+", "", name.strip().casefold())
    return named_codes().get(key)


def named_code_for(span: Span, actor: Actor | None) -> str | None:
    """An IGO/NGO or seat-of-government code from the actor's name, its mention or a title word
    ("UN spokesman", "U.N. Secretary-General")."""
    names = [span.text]
    if actor is not None:
        names.insert(0, actor.name)
    for name in names:
        code = named_code(name)
        if code is not None:
            return code
    titles = list(actor.titles) if actor is not None else []
    titles.append(" ".join(t.text for t in span if t.dep_ in {"compound", "amod", "nmod"}))
    for title in titles:
        words = title.replace("-", " ").split()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                code = named_code(" ".join(words[i : i + n]))
                if code is not None and not code.endswith("GOV"):
                    return code
    return None


def country_of(span: Span, actor: Actor | None, ctx: Context) -> str | None:
    if actor is not None:
        iso = actor_country(actor, ctx)
        if iso:
            return iso
    for t in span:  # nationality words first: "his French counterpart" is French whoever "his" is
        if t.i in ctx.metonym_country:
            return ctx.metonym_country[t.i]
        if t.text in demonyms() and demonyms()[t.text][1] != "IGO":
            return demonyms()[t.text][1]
    for t in span:
        other = ctx.actor_at.get(t.i)
        if other is not None and other is not actor and t.dep_ in {"poss", "compound", "amod"}:
            iso = actor_country(other, ctx)
            if iso:
                return iso
        if t.dep_ == "poss" and t.pos_ == "PRON" and t.i not in ctx.actor_at:
            owner = resolve_pronoun(t, ctx, enclosing_statement(t, ctx))
            if owner is not None and owner is not actor:
                iso = actor_country(owner, ctx)
                if iso:
                    return iso
    return None


def actor_country(actor: Actor, ctx: Context) -> str | None:
    """ISO alpha-3 of the country an actor is or belongs to."""
    if actor.type == "GPE" or actor.type == "NORP":
        iso = country_iso(actor.name) or country_iso(singular_nationality(actor.name))
        if iso:
            return iso
        for m in actor.mentions:
            if m.start in ctx.metonym_country:
                return ctx.metonym_country[m.start]
            place = ctx.place_at.get(m.start)
            if isinstance(place, Place) and place.country:
                return country_codes().get("iso2:" + place.country)
    if actor.country:
        iso = country_iso(actor.country)
        if iso:
            return iso
    if actor.type in {"ORG", "GROUP"}:
        government = re.match(r"Government of (?:the )?(.+)$", actor.name)
        names = [government.group(1)] if government else []
        names += sorted(countries_in_words(actor.name.split()))
        for name in names:
            iso = country_iso(name)
            if iso:
                return iso
    for title in actor.titles:
        for name in countries_in_words(title.split()):
            iso = country_iso(name)
            if iso:
                return iso
    members = {actor_country(m, ctx) for m in actor.members}
    if len(members) == 1:
        return members.pop()
    return None


def singular_nationality(name: str) -> str:
    """'Russians' -> 'Russian'."""
    return name[:-1] if name.endswith("s") else name


def country_iso(name: str | None) -> str | None:
    """A country's ISO alpha-3 from its name, its nationality word or its capital."""
    if not name:
        return None
    key = name.strip().casefold()
    key = re.sub(r"^the\s+", "", key)
    codes = country_codes()
    if key in codes:
        return codes[key]
    entry = demonyms().get(name.strip()) or demonyms().get(key)
    if entry is not None and entry[1] != "IGO":
        return entry[1]
    return codes.get("capital:" + key)


def description_of(span: Span) -> Span:
    """A mention with the description written before its head ("Russian state energy giant Gazprom")."""
    root = span.root
    if root.dep_ == "appos" and root.head.i < span.start:
        root = root.head  # "the giant Gazprom" parsed with the name as apposition
    start = min(span.start, root.left_edge.i)
    return span.doc[start : max(span.end, root.i + 1)]


def sector_of(span: Span, actor: Actor | None) -> str | None:
    """The sector of the role words around an actor: its titles, its mention, an organisation's name."""
    candidates: list[list[str]] = []
    if actor is not None and actor.name.startswith("Government of"):
        return "GOV"
    if actor is not None:
        candidates += [t.replace("-", " ").casefold().split() for t in actor.titles]
        if actor.type in {"ORG", "GROUP", "NORP"}:
            candidates.append(actor.name.replace("-", " ").casefold().split())
    candidates.append([t.lower_ for t in span if not t.is_punct])
    for words in candidates:
        sector = role_sector(words)
        if sector is not None:
            return sector
    return None


def role_sector(words: list[str]) -> str | None:
    """The sector of the right-most role phrase in a word sequence ("U.S. Defense Secretary" -> GOV)."""
    sectors = agent_sectors()
    for end in range(len(words), 0, -1):
        for n in (3, 2, 1):
            if end - n < 0:
                continue
            phrase = " ".join(words[end - n : end])
            if phrase in sectors:
                return sectors[phrase]
    return None


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


# --- where, when, per whom, how sure -------------------------------------------------------------------------


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


def location_of(r: Reading, ctx: Context) -> Place | None:
    heads = [r.head] + ([r.noun] if r.noun is not None and not r.noun_headed else [])
    if r.noun is not None and r.noun_headed:
        args = noun_arguments(r.noun, ctx)
        if args.place is not None:
            return args.place
    for h in heads:
        place = place_after_locative_prep(h, ctx)
        if place is not None:
            return place
    if r.type in PLACE_OBJECT_TYPES:
        taken = [r.obj] if r.obj is not None else []
        if r.roles == "fall":
            subj = subject_of(r.head)
            taken = [subj] if subj is not None else []
        for t in taken:
            place = first_place(t, ctx)
            if place is not None:
                return place
    if r.noun is not None and r.noun.dep_ in {"nsubj", "nsubjpass"}:
        return place_after_locative_prep(r.noun.head, ctx)  # "fighting continued ... in eastern Ukraine"
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


def date_of(r: Reading, ctx: Context) -> DateRef | None:
    """A date attached to the trigger (or to the verb a noun event is the subject of), nearest first,
    not looking into other clauses."""
    heads = [r.head]
    if r.noun is not None and not r.noun_headed:
        heads.append(r.noun)
    if r.noun is not None and r.noun.dep_ in {"nsubj", "nsubjpass"}:
        heads.append(r.noun.head)
    for h in heads:
        queue = [h]
        while queue:
            t = queue.pop(0)
            rec = ctx.date_at.get(t.i)
            if isinstance(rec, DateRef):
                return rec
            queue += [c for c in t.children
                      if c.dep_ not in {"relcl", "ccomp", "advcl", "parataxis", "conj", "csubj", "nsubj", "xcomp"}
                      or (c.dep_ == "advcl" and not any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children))]
    return None


def enclosing_statement(token: Token, ctx: Context) -> Attribution | None:
    """The innermost statement whose content holds a token."""
    start = token.idx
    inside = [st for st in ctx.statements if st.content_start <= start < st.content_end]
    return min(inside, key=lambda st: st.content_end - st.content_start, default=None)


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


# --- assembling an event -----------------------------------------------------------------------------------


def build_event(r: Reading, ctx: Context) -> EventMention:
    chain = source_chain(r, ctx)
    source = chain[0] if chain else None
    # pronouns in the trigger's clause belong to the innermost statement's speaker
    inner_source = min(chain, key=lambda st: st.content_end - st.content_start) if chain else None
    type_, mode = r.type, r.mode
    actor_heads, recipient_heads = participants(r, ctx)
    actors = entries_for(actor_heads, r, ctx, inner_source)
    recipients = entries_for(recipient_heads, r, ctx, inner_source)
    if not recipients and type_ in {"SANCTION", "AID", "THREATEN"} and inner_source is not None \
            and inner_source.addressee is not None:
        # "Gazprom informed them that it will halt deliveries": who is told is who is hit
        recipients = entries_for([inner_source.addressee.root], r, ctx, inner_source)
    if not actors and type_ == "THREATEN" and inner_source is not None and inner_source.source is not None:
        # a threat in someone's words ("will be legitimate targets") is the speaker's threat
        speaker = resolve_mention(inner_source.source)
        actors = [(inner_source.source, speaker, actor_code(inner_source.source, speaker, ctx))]
        if r.noun is not None and r.noun.dep_ == "attr" and not recipients:
            subj = next((c for c in r.noun.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None:
                recipients = entries_for(actors_inside(subj, ctx) or [subj], r, ctx, inner_source)
    if type_ == "ASSAULT" and mode is None:
        mode = weapon_mode(r, ctx) or ("firearms" if r.head.lemma_ in {"fire", "shoot"} else None)
    if type_ == "CONSULT" and mode is None and any(t.lower_ in PHONE_WORDS for t in r.head.subtree
                                                   if t.i != r.head.i and t.dep_ in {"pobj", "compound"}):
        mode = "phone"
    aimed = any(actor is not None or (code is not None and code[:3].isupper() and code[:3] not in SECTOR_CODES)
                for _, actor, code in recipients)
    if r.obj is not None and "WEAPONS" in noun_classes(r.obj, ctx) and not aimed and r.inner is None:
        if type_ == "AID" and r.head.lemma_ in {"send", "deploy", "move", "dispatch", "ship"}:
            type_, mode = "MOBILIZE", "weapons"  # aid needs a recipient: warships sent to a sea are a show of force
        elif type_ == "ASSAULT" and r.head.lemma_ in {"launch", "fire"} and not has_target_prep(r.head):
            type_, mode = "MOBILIZE", "weapons"  # "launched a missile into the sea": a test, not an attack
    type_, mode = future_type(r, type_, mode, actors, inner_source)
    date = date_of(r, ctx)
    return EventMention(
        type=type_, mode=mode, trigger=r.trigger, actors=actors,
        recipients=[e for e in recipients if not any(e[0] == a[0] and e[1] is a[1] for a in actors)],
        location=location_of(r, ctx), date=date,
        date_is_publication=date is None and ctx.published is not None,
        source=source, certainty=event_certainty(r, chain, actors, ctx),
    )


SECTOR_CODES = frozenset({"GOV", "MIL", "REB", "COP", "CVL", "BUS", "JUD", "LEG", "MED", "EDU", "REL", "JRN", "LAB",
                          "AGR", "UAF", "SPY", "CRM", "ELI", "PTY", "REF", "SOC", "NGO", "IGO", "PRM", "PRE"})


def has_target_prep(verb: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ in {"at", "on", "against", "toward", "towards"} for c in verb.children)


def future_type(r: Reading, type_: str, mode: str | None, actors: list[ActorEntry],
                source: Attribution | None) -> tuple[str, str | None]:
    """Future cooperation is AGREE and a future retreat CONCEDE (manual, AGREE and CONCEDE); a speaker
    announcing its own future attack threatens it."""
    verb = r.head
    future = r.future or any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in verb.children)
    if not future or r.inner is not None:
        return type_, mode
    if type_ in COOPERATIVE_TYPES:
        return "AGREE", None
    if type_ == "RETREAT":
        return "CONCEDE", None
    if type_ == "ASSAULT" and source is not None and source.source is not None:
        speaker = resolve_mention(source.source)
        if speaker is not None and any(actor is speaker for _, actor, _ in actors):
            return "THREATEN", "violence"
    return type_, mode


def weapon_mode(r: Reading, ctx: Context) -> str | None:
    """An ASSAULT's mode from the weapon named with it: its subject ("drones hit"), a "with" phrase, its
    object after "fire"/"launch", or a modifier of the event noun."""
    candidates: list[Token] = []
    subj = subject_of(r.head) if r.head.pos_ in {"VERB", "AUX"} else None
    if subj is not None:
        candidates.append(subj)
    if r.obj is not None:
        candidates.append(r.obj)
    direct = direct_object(r.head) if r.head.pos_ in {"VERB", "AUX"} else None
    if direct is not None:
        candidates.append(direct)  # "fired missiles at a ship"
    for c in r.head.children:
        if c.dep_ == "prep" and c.lower_ in {"with", "using", "by"}:
            candidates += [g for g in c.children if g.dep_ == "pobj"]
    if r.noun is not None:
        candidates += [c for c in r.noun.lefts if c.dep_ in {"compound", "amod", "nmod"}]
    for t in candidates:
        for tok in (t, *t.conjuncts):
            _, entry = noun_entry(tok)
            if entry is not None and entry.cls == "WEAPONS" and entry.mode:
                return entry.mode
    return None
