"""The typed records newsgraph outputs, defined once, and the versioned document schema.

Every interface (CLI, Python API, later the store and the HTTP API) speaks these records.
All offsets are character offsets into `Document.text`, which is exactly the input text.
`docs/schema/newsgraph-1.schema.json` is generated from these models (`newsgraph schema`)
and a test keeps the two in step.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "newsgraph/1"

StatementKind = Literal["direct", "indirect", "mixed"]
Certainty = Literal["asserted", "attributed", "claimed", "hedged", "unconfirmed", "denied", "disputed"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TextSpan(Record):
    """A stretch of the document text: `text == document.text[start:end]`."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ActorRef(TextSpan):
    """A mention of an actor, with the entity it was resolved to (when it was)."""

    id: str | None = Field(None, description="Entity id (`E1`...) of the resolved actor.")
    name: str = Field(description="Resolved actor name, or the mention text when unresolved.")


class Article(Record):
    id: str
    title: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.")
    publisher: str | None = None
    author: str | None = Field(None, description="Byline author(s), as the source gives them.")
    url: str | None = None
    licence: str | None = None
    credit: str | None = None


class Entity(Record):
    """One real person, organisation, group or place-as-actor, with every mention of it."""

    id: str
    name: str
    type: str = Field(description="PERSON, ORG, GPE, NORP or GROUP (a described group such as 'officials').")
    titles: list[str] = Field(default_factory=list, description="Titles and roles seen in the article.")
    mentions: list[TextSpan] = Field(default_factory=list)


class DateRef(TextSpan):
    """A date written in the text, resolved to a calendar value against the publication date."""

    value: str = Field(
        description="TIMEX3-style value: 2022-04-26, 2022-04, 2022-W16, 2022-W16-WE, 2021, 2022-Q1, 199 (a decade), "
        "PRESENT_REF, PAST_REF, FUTURE_REF; XXXX-04-26 when the year is unknown."
    )
    type: Literal["DATE", "TIME"] = "DATE"
    relative: bool = Field(False, description="True when the value was resolved against the publication date.")


class Place(TextSpan):
    """A place the text names as a place (not as an actor: "Moscow said" is no place), resolved to
    a gazetteer entry with coordinates."""

    name: str = Field(description="Gazetteer name of the resolved place.")
    feature: str = Field(
        description="country, admin1, city, facility, landmark, water, region or continent."
    )
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the country it lies in.")
    admin1: str | None = Field(
        None, description="Gazetteer name of the first-level unit (state, province) it lies in: Texas for Paris, "
        "Texas. Not set for countries, first-level units themselves, continents and seas, or when unknown."
    )
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = Field(None, description="GeoNames id, when the entry comes from GeoNames.")


class Amount(TextSpan):
    """A sum of money or a count of people or things, as a number."""

    value: float
    unit: str = Field(description="ISO 4217 currency code for money (USD, EUR, RUB), else what is counted "
                      "(people, countries, troops, ...).")
    approximation: str | None = Field(
        None, description="The qualifier written with it: up to, around, some, more than, less than, at least, ..."
    )


class Statement(Record):
    """Who said (or believes, wants, claims) what, to whom, how."""

    id: str
    speaker: ActorRef | None = Field(
        None, description="The mention the text uses as source (e.g. 'he'), with the resolved actor."
    )
    cue: TextSpan | None = None
    cue_class: str | None = Field(
        None, description="neutral, stance, directive, commissive, belief, intention, ... (see data/cue_verbs.tsv)"
    )
    kind: StatementKind
    content: TextSpan
    addressee: ActorRef | None = None
    channel: TextSpan | None = Field(None, description="e.g. 'in a statement', 'on Twitter'.")
    via: ActorRef | None = Field(
        None, description="The outer reporter of a nested attribution ('Interfax reported' around it)."
    )
    date: DateRef | None = Field(
        None, description="When it was said, where the text gives it ('told the committee on April 26')."
    )
    certainty: Certainty = Field(
        "attributed", description="attributed (a source says it), claimed (stance cue: claimed, alleged, insisted), "
        "hedged, unconfirmed (the text says it could not be verified), denied or disputed (another source in the "
        "article denies or contradicts it).",
    )
    scare_quotes: list[TextSpan] = Field(
        default_factory=list, description="Single words or short phrases set in quotes inside the content "
        "('liberated').",
    )
    confidence: float | None = Field(
        None, ge=0, le=1, description="How likely the speaker is right, calibrated on held-out attributions "
        "(0.9: about nine in ten such statements have the right source).",
    )


class EventActor(ActorRef):
    """An actor or recipient of an event, with its actor code (country and sector, e.g. RUS GOV, UKR MIL,
    IGO UNO)."""

    code: str | None = None


class EmbeddedAct(Record):
    """The act an event's frame governs: "agreed to withdraw" is AGREE with the embedded RETREAT withdraw,
    "threatened to blockade" THREATEN restrict with the embedded COERCE."""

    type: str = Field(description="PLOVER type the governed act would have on its own.")
    mode: str | None = Field(None, description="Its PLOVER mode, where the codebook defines one.")


class Event(Record):
    """Who did what to whom, where and when, per which source, and how certain (PLOVER ontology)."""

    id: str
    type: str = Field(description="PLOVER event type: AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, "
                      "REQUEST, ACCUSE, REJECT, THREATEN, PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT.")
    mode: str | None = Field(None, description="PLOVER mode of the type, where the codebook defines one.")
    trigger: TextSpan
    actors: list[EventActor] = Field(default_factory=list)
    recipients: list[EventActor] = Field(default_factory=list)
    location: Place | None = None
    date: DateRef | None = None
    date_is_publication: bool = Field(
        False, description="True when the text gives no date and the publication date stands in."
    )
    source: str | None = Field(None, description="Id of the statement whose content reports the event.")
    certainty: Certainty = "asserted"
    embedded: EmbeddedAct | None = Field(
        None, description="The act a frame (agree to, promise, threaten, demand, refuse, must, will not) governs, "
        "when the event is coded as the frame: \"agreed to withdraw\" is AGREE with embedded RETREAT.")
    confidence: float | None = Field(
        None, ge=0, le=1, description="How likely the event's type is right, from the evidence that found it.",
    )


class Document(Record):
    """The newsgraph document: one analysed article."""

    schema_: Literal["newsgraph/1"] = Field("newsgraph/1", alias="schema")
    text: str
    article: Article
    entities: list[Entity] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    dates: list[DateRef] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(by_alias=True, mode="json")


# --- stance (issue 22): how an article or a statement stands to a claim ---------------------------------

StanceLabel = Literal["agree", "disagree", "discuss", "unrelated"]


class StanceEvidence(TextSpan):
    """A sentence of the article that decided the stance: `text == article_text[start:end]`."""

    similarity: float = Field(description="Cosine of the sentence's vector to the claim's (sentence embeddings).")
    cue: str | None = Field(None, description="The denial, refuting, negation or hedging words in it that the "
                            "stance read, as they stand in the text (e.g. 'denied', 'could not be verified').")


class Stance(Record):
    """The stance of a text (an article, or a statement's content) toward a claim, as FNC-1 defines it:
    agree (reports it as true), disagree (refutes or denies it), discuss (reports it without taking a
    position), unrelated (is about something else)."""

    stance: StanceLabel
    confidence: float = Field(ge=0, le=1, description="Calibrated probability of the stance (temperature-scaled).")
    evidence: list[StanceEvidence] = Field(
        default_factory=list, description="The sentences nearest the claim that decided it, best first; offsets "
        "into the text exactly as given (none for unrelated).")


# Under this confidence a record is shown as doubtful (report, web UI): about half such records are wrong.
LOW_CONFIDENCE = 0.5


def document_json_schema() -> dict[str, object]:
    schema = Document.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "newsgraph-1.schema.json"
    return schema


# --- claims across the corpus (issue 22): the store's answers, not part of the newsgraph/1 document ------------


class ClaimStatement(Record):
    """One stored statement as a member of a claim (or a contradiction), with the evidence that put it there."""

    statement_id: int
    article: str = Field(description="The article's key.")
    local_id: str = Field(description="The statement's id in its article (S3).")
    title: str | None = None
    outlet: str | None = Field(None, description="The article's publisher.")
    published: str | None = None
    day: str | None = Field(None, description="When it was said, else the publication date.")
    speaker: str | None = None
    actor_id: int | None = Field(None, description="The speaker's corpus actor.")
    certainty: Certainty
    content: TextSpan = Field(description="The content, offsets into its article's text.")
    similarity: float | None = Field(None, description="Cosine similarity to the member it was matched with.")
    matched_id: int | None = Field(None, description="The member it was found similar to.")
    rule: str | None = Field(None, description="same-speaker, other-speaker, seed, manual-merge or manual-unlink.")
    shared_speaker: bool = False
    shared_actors: list[str] = Field(default_factory=list, description="Actors named in both contents.")


class CertaintyCount(Record):
    """How many of a claim's statements of one day have one certainty."""

    day: str | None
    certainty: Certainty
    count: int


class Claim(Record):
    """Statements of several articles that make one claim: who said it, where it was first seen, who repeated it."""

    id: int
    text: str = Field(description="The representative statement's content.")
    first_seen: ClaimStatement | None = None
    speakers: list[str] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    article_count: int = 0
    statements: list[ClaimStatement] = Field(default_factory=list)
    certainty_over_time: list[CertaintyCount] = Field(default_factory=list)
    merged_into: int | None = None


class Contradiction(Record):
    """Two statements about one claim that disagree: `statement` asserts it, `other` denies, rebuts or negates it."""

    id: int
    claim_id: int
    claim: str
    kind: Literal["denial", "rebuttal", "negation", "stance"]
    confidence: float | None = None
    evidence: str = Field(description="Why it is a contradiction (JSON from the rule or the stance model).")
    statement: ClaimStatement
    other: ClaimStatement


class StoryArticle(Record):
    article: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


class StoryLink(Record):
    """Why two articles are about one happening: near-duplicate, shared claim or shared event."""

    kind: Literal["near-duplicate", "claim", "event"]
    article: str
    other: str
    detail: str


class StoryEntry(Record):
    """One line of a story's timeline: a claim's statement in one of its articles."""

    day: str | None
    article: str
    outlet: str | None = None
    claim_id: int
    speaker: str | None = None
    certainty: Certainty
    content: str


class NewsStory(Record):
    """Articles about one happening (not the near-duplicate versions of one article, which `store.write` also calls
    a story: those are one of the links here)."""

    id: int = Field(description="The id of its first stored article.")
    title: str | None = None
    first_day: str | None = None
    last_day: str | None = None
    articles: list[StoryArticle] = Field(default_factory=list)
    links: list[StoryLink] = Field(default_factory=list)
    timeline: list[StoryEntry] = Field(default_factory=list)


class StatementMatch(Record):
    """A stored statement near a claim text (`newsgraph claim TEXT`), with the stance of it when a model is there."""

    statement: ClaimStatement
    similarity: float
    claim_id: int | None = None
    stance: Literal["agree", "disagree", "discuss", "unrelated"] | None = None
    stance_confidence: float | None = None
