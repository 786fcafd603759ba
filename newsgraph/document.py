"""Turn an analysed spaCy Doc into the `newsgraph/1` Document record."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from newsgraph.actors import Actor, relative_antecedent, resolve_mention
from newsgraph.docinfo import text_of
from newsgraph.quotes import Attribution
from newsgraph.records import ActorRef, Article, Document, Entity, Event, EventActor, Statement, TextSpan


def span_record(doc: Doc, start: int, end: int) -> TextSpan:
    return TextSpan(start=start, end=end, text=text_of(doc)[start:end])


def spacy_span_record(span: Span) -> TextSpan:
    return span_record(span.doc, span.start_char, span.end_char)


def to_document(doc: Doc, article: Article) -> Document:
    actors: list[Actor] = list(doc._.actors or [])
    statements: list[Attribution] = list(doc._.statements or [])
    # Sources resolved on demand ("they", "Ukrainian officials") may add actors: resolve first.
    resolved = [(st, resolve_mention(st.source) if st.source is not None else None) for st in statements]
    addressees = [resolve_mention(st.addressee) if st.addressee is not None else None for st in statements]
    vias = [resolve_mention(st.via) if st.via is not None else None for st in statements]
    actors = list(doc._.actors or actors)
    ids = {id(a): f"E{i + 1}" for i, a in enumerate(actors)}
    entities = [entity_record(doc, a, ids[id(a)]) for a in actors]
    records = []
    statement_ids = {id(st): f"S{n}" for n, st in enumerate(statements, 1)}
    for n, ((st, speaker), addressee, via) in enumerate(zip(resolved, addressees, vias, strict=True), 1):
        records.append(
            Statement(
                id=f"S{n}",
                speaker=actor_ref(st.source, speaker, ids) if st.source is not None else None,
                cue=spacy_span_record(st.cue) if st.cue is not None else None,
                cue_class=st.cue_class,
                kind=st.kind,
                content=span_record(doc, st.content_start, st.content_end),
                addressee=actor_ref(st.addressee, addressee, ids) if st.addressee is not None else None,
                channel=spacy_span_record(st.channel) if st.channel is not None else None,
                via=actor_ref(st.via, via, ids) if st.via is not None else None,
                date=st.date,
                certainty=st.certainty,
                scare_quotes=[span_record(doc, a, b) for a, b in st.scare_quotes],
                confidence=st.confidence,
            )
        )
    return Document(
        text=text_of(doc), article=with_provenance(article, doc), entities=entities, statements=records,
        dates=component_records(doc, "dates"), places=component_records(doc, "places"),
        amounts=component_records(doc, "amounts"),
        events=[event_record(n, ev, ids, statement_ids)
                for n, ev in enumerate(doc._.events or [] if doc.has_extension("events") else [], 1)],
    )


def event_record(n: int, ev: Any, ids: dict[int, str], statement_ids: dict[int, str]) -> Event:
    """An event found by the events component (`newsgraph.events.EventMention`) as a record."""
    return Event(
        id=f"V{n}",
        type=ev.type,
        mode=ev.mode,
        trigger=spacy_span_record(ev.trigger),
        actors=[event_actor(span, actor, code, ids) for span, actor, code in ev.actors],
        recipients=[event_actor(span, actor, code, ids) for span, actor, code in ev.recipients],
        location=ev.location,
        date=ev.date,
        date_is_publication=ev.date_is_publication,
        source=statement_ids.get(id(ev.source)) if ev.source is not None else None,
        certainty=ev.certainty,
        embedded=ev.embedded,
        confidence=ev.confidence,
    )


def event_actor(span: Span, actor: Actor | None, code: str | None, ids: dict[int, str]) -> EventActor:
    ref = actor_ref(span, actor, ids)
    return EventActor(**ref.model_dump(), code=code)


def with_provenance(article: Article, doc: Doc) -> Article:
    """Fill publisher, licence and credit from the article's own boilerplate where the input gave none."""
    prov = doc._.provenance if doc.has_extension("provenance") else None
    if prov is None:
        return article
    return article.model_copy(update={
        "publisher": article.publisher or prov.publisher,
        "licence": article.licence or prov.licence,
        "credit": article.credit or ("; ".join(prov.credit) if prov.credit else None),
    })


def component_records(doc: Doc, extension: str) -> list[Any]:
    """Records a component left on `doc._.<extension>` (dates, places, amounts), in text order."""
    if not doc.has_extension(extension):
        return []
    return sorted(getattr(doc._, extension) or [], key=lambda r: (r.start, r.end))


def entity_record(doc: Doc, actor: Actor, entity_id: str) -> Entity:
    seen: set[tuple[int, int]] = set()
    mentions = []
    for m in sorted(actor.mentions, key=lambda s: s.start_char):
        key = (m.start_char, m.end_char)
        if key not in seen:
            seen.add(key)
            mentions.append(spacy_span_record(m))
    return Entity(id=entity_id, name=actor.name, type=actor.type, titles=list(actor.titles), mentions=mentions)


def actor_ref(span: Span, actor: Actor | None, ids: dict[int, str]) -> ActorRef:
    return ActorRef(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        id=ids.get(id(actor)) if actor is not None else None,
        name=actor.name if actor is not None else unlinked_name(span),
    )


def unlinked_name(span: Span) -> str:
    """The name of a mention no actor stands for: its text, or for a relative pronoun the phrase it stands for
    ("the study -- which notes that": "the study")."""
    antecedent = relative_antecedent(span)
    return antecedent.text if antecedent is not None else span.text
