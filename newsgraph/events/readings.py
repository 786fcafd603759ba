"""What the stages pass along: `Reading` (an event read from the parse, before its participants are
resolved), `EventMention` (the finished event on `doc._.events`) and `Context` (what every stage needs
about the doc, computed once)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.actors import Actor
from newsgraph.certainty import (
    CertaintyContext,
    CertaintyCues,
    certainty_context,
    certainty_cues,
    stronger,
)
from newsgraph.docinfo import published_of, text_of
from newsgraph.events.confidence import RULE, Evidence
from newsgraph.events.lexicon import VAGUE_DATE_VALUES, ActorEntry, country_iso
from newsgraph.quotes import Attribution
from newsgraph.records import DateRef, EmbeddedAct, Place


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
    embedded: EmbeddedAct | None = None  # the act the event's frame governs ("agreed to withdraw": RETREAT)
    confidence: float | None = None  # how likely the type is right, from the evidence that found it
    evidence: Evidence | None = None  # what found it (events.confidence), None without the type model


MODAL_FRAME = "modal"  # "Russia must withdraw": a demand on the clause's subject
REFUSAL_FRAME = "refusal"  # "we will not negotiate": a refusal of the speaker's own


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
    frame: str | None = None  # what made the reading a frame's: a role of event_modality.tsv, MODAL_FRAME...
    embedded: EmbeddedAct | None = None  # the governed act, when the reading is coded as its frame
    origin: str = RULE  # who read it: the rules, or the type model's proposal (events.confidence)

    @property
    def reads_negation(self) -> bool:
        """The frame has read the clause's negation into its type: "must not attack" is a demand,
        "will not negotiate" a refusal."""
        return self.frame in {MODAL_FRAME, REFUSAL_FRAME}

    @property
    def clause(self) -> Token:
        return self.top if self.top is not None else self.head

    @property
    def noun_headed(self) -> bool:
        """A standalone noun event (not a noun taken by a verb)."""
        return self.noun is not None and self.noun.i == self.head.i


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


def span1(token: Token) -> Span:
    return token.doc[token.i : token.i + 1]
