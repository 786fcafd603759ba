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
3. **Frames** (`data/event_modality.tsv`, `frames`): an act inside a frame is coded as the frame, with
   the act as its mode and as the event's `embedded` act: "threatened to cut off" is THREATEN (mode
   from what is threatened), "agreed to provide" and "agreed to withdraw" AGREE, "promised to
   withdraw" and "promised not to attack" CONCEDE, "urged Russia to allow", "demanded that he resign"
   and "said Russia must withdraw" REQUEST, "refused to meet" and "will not negotiate" REJECT; "agreed
   to impose sanctions" is the sanction decided, "denied attacking" the attack, denied; "plans to
   visit" a hedged AGREE (the codebook codes future cooperation as AGREE, a future retreat CONCEDE,
   and an attack its own actor announces as a threat); "failed to" and "wants to" no event. A warning
   is a threat when it warns of consequences, of a coercive act or of an act of the warner's own.

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

The package follows the stages, in the order they run:

- `triggers`: verbs and nouns that report an event (type and mode from the lexicons, `lexicon`, `nouns`),
  with `violence` judging the violence words: a physical act or coercive measure keeps ASSAULT or
  COERCE, a verbal attack is ACCUSE, a contest or a figure of speech no event;
- `frames`: governing verbs and modals folded in ("threatened to", "agreed to", "urged X to", "must",
  "will not"), future acts, and `read_events`;
- `clauses`: which readings report events (negation, conditionals, purposes, questions, what an
  accusation is about), with `uncoded` for what PLOVER does not code (statements, campaign events);
- `decide`: the learned type model (`model`) checks and completes what the rules read;
- `arguments`: actors and recipients, resolved (`parties`) and coded (`coding`);
- `setting`: location and date; `sourcing`: the reporting statement and the certainty;
- `component`: the spaCy factory that runs them and assembles `EventMention`s.
"""

from newsgraph.events.component import EventFinder, find_events, make_event_finder
from newsgraph.events.readings import EventMention

__all__ = ["EventFinder", "EventMention", "find_events", "make_event_finder"]
