"""The `newsgraph_events` spaCy component: reads the events, keeps those the text reports, and
assembles each into an `EventMention` on `doc._.events`."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsgraph.actors import resolve_mention
from newsgraph.events.arguments import entries_for, object_parties, participants
from newsgraph.events.clauses import drop_protest_topics, keep_reading, one_per_trigger
from newsgraph.events.coding import actor_code
from newsgraph.events.confidence import Calibration, Evidence, calibration
from newsgraph.events.decide import Thresholds, decided, sentence_scores, silenced_sentences
from newsgraph.events.frames import future_type, read_events
from newsgraph.events.lexicon import PHONE_WORDS, SECTOR_CODES
from newsgraph.events.model import TypeModel, load_type_model, model_dir
from newsgraph.events.nouns import noun_classes, noun_entry
from newsgraph.events.readings import MODAL_FRAME, Context, EventMention, Reading
from newsgraph.events.setting import date_of, location_of, place_hit
from newsgraph.events.sourcing import event_certainty, source_chain
from newsgraph.events.syntax import direct_object, has_target_prep, subject_of
from newsgraph.plain import set_plain_extension

set_plain_extension("events")


DEFAULTS = Thresholds()


@Language.factory("newsgraph_events", default_config={
    "learned_types": True, "model": None, "new_event": DEFAULTS.new_event,
    "main_verb": DEFAULTS.main_verb, "extra_event": DEFAULTS.extra_event})
def make_event_finder(nlp: Language, name: str, learned_types: bool, model: str | None, new_event: float,
                      main_verb: float, extra_event: float) -> EventFinder:
    """`learned_types`: complete the rules with the learned type model (models/event_types, or
    the model directory `model`); false, or the model missing, and the rules alone decide. The thresholds
    are described in `newsgraph.events.decide`."""
    learned = None
    calibrated = None
    if learned_types:
        path = Path(model) if model else model_dir()
        learned = load_type_model(path) if (path / "config.cfg").exists() else None
        # the map fitted for this model; another model directory without one gives no confidence
        calibrated = calibration(path) if learned is not None else None
    return EventFinder(learned, Thresholds(new_event, main_verb, extra_event), calibrated)


class EventFinder:
    def __init__(self, learned: TypeModel | None = None, limits: Thresholds = DEFAULTS,
                 calibrated: Calibration | None = None) -> None:
        self.learned = learned
        self.limits = limits
        self.calibrated = calibrated

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = find_events(doc, self.learned, self.limits, self.calibrated) if len(doc) else []
        return doc


def find_events(doc: Doc, learned: TypeModel | None = None, limits: Thresholds = DEFAULTS,
                calibrated: Calibration | None = None) -> list[EventMention]:
    ctx = Context(doc)
    read = read_events(doc, ctx)
    readings = drop_protest_topics(one_per_trigger([r for r in read if keep_reading(r, ctx)]))
    scores = sentence_scores(doc, learned) if learned is not None else None
    if scores is not None:
        silenced = silenced_sentences(read, readings, doc)
        readings = decided(readings, ctx, scores, limits, silenced)
    events = [build_event(r, ctx) for r in readings]
    if scores is not None:
        for r, ev in zip(readings, events, strict=True):
            ev.evidence = evidence_of(r, ev, scores[r.trigger.sent.start])
            ev.confidence = calibrated.confidence(ev.evidence) if calibrated is not None else None
    events.sort(key=lambda e: (e.trigger.start, e.trigger.end))
    return events


def evidence_of(r: Reading, ev: EventMention, sentence_scores: dict[str, float]) -> Evidence:
    """What found the event; the score is the model's for the event's final type (the assembly may have
    turned a reading's AID into MOBILIZE), certainty past "attributed" counts as a hedge."""
    return Evidence(origin=r.origin, score=sentence_scores.get(ev.type), framed=r.frame is not None,
                    hedged=ev.certainty not in {"asserted", "attributed"})


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
    if not actors and (type_ == "THREATEN" or r.frame == MODAL_FRAME) and inner_source is not None \
            and inner_source.source is not None:
        # a threat in someone's words ("will be legitimate targets") is the speaker's threat, and
        # "Russia must withdraw" the speaker's demand
        speaker = resolve_mention(inner_source.source)
        actors = [(inner_source.source, speaker, actor_code(inner_source.source, speaker, ctx))]
        if r.noun is not None and r.noun.dep_ == "attr" and not recipients:
            subj = next((c for c in r.noun.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None:
                recipients = entries_for(object_parties(subj, type_, ctx), r, ctx, inner_source)
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
    type_, mode, embedded = future_type(r, type_, mode, actors, inner_source)
    date = date_of(r, ctx)
    return EventMention(
        type=type_, mode=mode, trigger=r.trigger, actors=actors,
        # an actor is not its own recipient ("Ethiopia and France agreed their first accord")
        recipients=[e for e in recipients if not any((e[0] == a[0] and e[1] is a[1]) or (
            e[1] is not None and e[1] is a[1]) for a in actors)],
        location=location_of(r, ctx) or place_hit(type_, recipients, ctx), date=date,
        date_is_publication=date is None and ctx.published is not None,
        source=source, certainty=event_certainty(r, chain, actors, ctx), embedded=embedded,
    )


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
