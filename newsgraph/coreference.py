"""Which actor a personal pronoun or a definite description stands for: a salience model over the article.

`newsgraph.actors` finds the named actors; this module links the mentions that do not name anyone
("he", "she", "the president of Moldova", "the Russian president") to one of them.

Pronouns. Every earlier mention of a person in a window of sentences is a candidate; candidates that
disagree in gender, or that are the pronoun's own clause subject when the pronoun is an object ("Guterres
told him"), are ruled out; the rest are ranked by `salience`:

- grammatical role: subject > object > other (the centering rule that the subject of the last sentence
  is the likeliest topic of the next);
- recency: the same sentence counts most, each sentence further back less, the token distance breaks ties;
- gender: a candidate whose gender is known to match beats one whose gender is unknown;
- quotation: a name inside a quotation is what the quoted speaker talks about, not who is speaking,
  so it counts less as the antecedent of a pronoun outside quotes;
- turn-taking: in a run of quotations the speaker continues: the subject of the nearest earlier
  speech verb ("said", "told") is preferred for the pronoun subject of a speech verb ('he added').

PolNeAR has attribution gold but no coreference gold, so the weights are hand-set, ordinal and
documented with `Weights`: each feature outranks the ones after it, as in the salience factors of
Lappin and Leass (1994) they follow.

Descriptions. "the president of Moldova" is Moldova's president: an actor with the description's head
among its titles ("President Maia Sandu") and, when the description names a country ("of Moldova",
"the Moldovan president", "Moldova's president"), tied to that country by its own titles ("Moldovan
President Maia Sandu", "Maia Sandu, Moldova's president") or by an earlier linked description. An actor
tied to another country is never chosen, an untied one only when it was named in the last few sentences.
When no earlier actor fits, a person named with that title in the next sentences is the one described:
news writing introduces by role and names right after ("the president of Moldova said ... President Maia
Sandu blamed ...").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from newsgraph.docinfo import cache_of, sentence_starts, text_of
from newsgraph.lexicons import cue_verbs, demonyms, person_titles, table
from newsgraph.quotemarks import find_quotes

if TYPE_CHECKING:
    from newsgraph.actors import Actor

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_DEPS = {"dobj", "dative", "iobj", "pobj", "attr", "oprd"}
OBJECT_PRONOUN_DEPS = {"dobj", "dative", "pobj"}
POSSESSIVE_PRONOUNS = {"his", "her", "hers"}
SPEECH_CUE_CLASSES = {"neutral", "speech", "assertive", "directive"}


@dataclass(frozen=True)
class Weights:
    """Hand-set ordinal salience weights (see the module docstring for why they are not fitted).

    A subject one sentence back (1.0 - 0.25) still beats a non-subject in the pronoun's own sentence
    (0.5), as in the linker's earlier rule; a quoted name loses more than one sentence of recency; the
    last speaker's bonus is worth about two sentences, so a speaker holds the floor through a short quote.
    """

    subject: float = 1.0
    object: float = 0.25
    same_sentence: float = 0.5
    per_sentence_back: float = 0.25
    per_token: float = 0.002
    gender_known: float = 0.3
    inside_quotation: float = -0.6
    last_speaker: float = 0.5
    window_sentences: int = 3


WEIGHTS = Weights()


# --- the article's context: sentences, quotations, speakers ---------------------------------------


def sentence_index(doc: Doc, i: int) -> int:
    return bisect_right(sentence_starts(doc), i) - 1


def sentence_start_n_back(doc: Doc, i: int, n: int) -> int:
    """Start of the sentence n sentences before token i's (0 at the top of the doc)."""
    starts = sentence_starts(doc)
    return starts[max(0, sentence_index(doc, i) - n)]


def quoted_chars(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks, found once per doc."""
    ranges = cache_of(doc).get("newsgraph_quoted_chars")
    if ranges is None:
        ranges = cache_of(doc)["newsgraph_quoted_chars"] = [(q.start, q.end) for q in find_quotes(text_of(doc))]
    return ranges


def quoted_reach(doc: Doc) -> tuple[list[int], list[int]]:
    """The quoted ranges' starts in order, and the furthest end reached by any range starting at or
    before each: a character is quoted when the reach of the last range starting at or before it passes
    it (kept on the doc as plain lists: asked for every pronoun's candidates)."""
    reach = cache_of(doc).get("newsgraph_quoted_reach")
    if reach is None:
        ranges = sorted(quoted_chars(doc))
        ends = list(accumulate((end for _, end in ranges), max))
        reach = cache_of(doc)["newsgraph_quoted_reach"] = ([start for start, _ in ranges], ends)
    return reach


def is_quoted(token: Token) -> bool:
    starts, ends = quoted_reach(token.doc)
    i = bisect_right(starts, token.idx) - 1
    return i >= 0 and ends[i] > token.idx


def is_speech_verb(token: Token) -> bool:
    cue = cue_verbs().get(token.lemma_.casefold())
    return token.pos_ in {"VERB", "AUX"} and cue is not None and cue.cue_class in SPEECH_CUE_CLASSES


def is_speech_subject(token: Token) -> bool:
    """'Smith' in 'Smith said', 'he' in '..., he added'."""
    return token.dep_ in SUBJECT_DEPS and is_speech_verb(token.head)


def is_main_clause_subject(token: Token) -> bool:
    """'Smith' in 'Smith said Jones was wrong' (not 'Jones'), 'Clinton' in 'When Maddow asked, Clinton
    replied' (not 'Maddow'): the subject of its sentence's main verb or of a verb conjoined with it."""
    verb = token.head
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    return token.dep_ in SUBJECT_DEPS and verb.dep_ == "ROOT"


def last_speaker(pronoun: Token, actor_at: dict[int, Actor], weights: Weights = WEIGHTS) -> Actor | None:
    """The actor who holds the floor: the nearest earlier main-clause actor subject outside quotes, when
    it is a speech verb's subject ("Smith said. ... he added"). Another actor acting in between
    ("Kepler remembered ... she said") takes the floor, and nobody holds it."""
    window_start = sentence_start_n_back(pronoun.doc, pronoun.i, weights.window_sentences)
    for i in range(pronoun.i - 1, window_start - 1, -1):
        token = pronoun.doc[i]
        if i not in actor_at or not is_main_clause_subject(token) or is_quoted(token):
            continue
        return actor_at[i] if is_speech_verb(token.head) else None
    return None


# --- grammatical role and agreement --------------------------------------------------------------


def grammatical_role(token: Token) -> str:
    if token.dep_ in SUBJECT_DEPS:
        return "subject"
    if token.dep_ in OBJECT_DEPS:
        return "object"
    return "other"


def role_weight(token: Token, weights: Weights = WEIGHTS) -> float:
    return {"subject": weights.subject, "object": weights.object}.get(grammatical_role(token), 0.0)


def agrees_in_gender(actor: Actor, gender: str) -> bool:
    return actor.gender is None or actor.gender == gender


def clause_subject(token: Token) -> Token | None:
    """The subject of the clause a pronoun is an object in, climbing conjoined verbs ("met X and told him")."""
    verb = token.head
    for _ in range(3):
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if verb.dep_ != "conj" or verb.head == verb:
            return None
        verb = verb.head
    return None


def is_own_clause_subject(pronoun: Token, actor: Actor, actor_at: dict[int, Actor]) -> bool:
    """'Guterres told him': a non-reflexive object pronoun is not its own clause's subject."""
    if pronoun.dep_ not in OBJECT_PRONOUN_DEPS or pronoun.lower_ in POSSESSIVE_PRONOUNS:
        return False
    subject = clause_subject(pronoun)
    return subject is not None and actor_at.get(subject.i) is actor


def mention_root(token: Token, actor: Actor) -> Token:
    """The syntactic head of the actor's mention the token belongs to."""
    for m in actor.mentions:
        if m.start <= token.i < m.end:
            return m.root
    return token


# --- pronouns ------------------------------------------------------------------------------------


def candidate_mentions(pronoun: Token, actor_at: dict[int, Actor],
                       weights: Weights = WEIGHTS) -> Iterator[tuple[Token, Actor]]:
    """(mention head, actor) for each actor mention in the window before the pronoun, nearest first."""
    doc = pronoun.doc
    window_start = sentence_start_n_back(doc, pronoun.i, weights.window_sentences)
    for i in range(pronoun.i - 1, window_start - 1, -1):
        actor = actor_at.get(i)
        if actor is not None and mention_root(doc[i], actor).i == i:
            yield doc[i], actor


def salience(candidate: Token, actor: Actor, pronoun: Token, gender: str | None,
             speaker: Actor | None, weights: Weights = WEIGHTS) -> float:
    """How likely the candidate mention is the pronoun's antecedent (higher is likelier)."""
    doc = pronoun.doc
    score = role_weight(candidate, weights)
    sentences_back = sentence_index(doc, pronoun.i) - sentence_index(doc, candidate.i)
    if sentences_back == 0:
        score += weights.same_sentence
    score -= weights.per_sentence_back * sentences_back
    score -= weights.per_token * (pronoun.i - candidate.i)
    if gender is not None and actor.gender == gender:
        score += weights.gender_known
    if is_quoted(candidate) and not is_quoted(pronoun):
        score += weights.inside_quotation
    if speaker is actor and is_speech_subject(pronoun):
        score += weights.last_speaker
    return score


def person_antecedent(pronoun: Token, actor_at: dict[int, Actor], gender: str,
                      weights: Weights = WEIGHTS) -> Actor | None:
    """The person a he/she/him/his refers to: the most salient agreeing person mentioned before it."""
    speaker = last_speaker(pronoun, actor_at, weights) if is_speech_subject(pronoun) else None
    best: tuple[float, Actor] | None = None
    for candidate, actor in candidate_mentions(pronoun, actor_at, weights):
        if actor.type != "PERSON" or not agrees_in_gender(actor, gender):
            continue
        if is_own_clause_subject(pronoun, actor, actor_at):
            continue
        score = salience(candidate, actor, pronoun, gender, speaker, weights)
        if best is None or score > best[0]:
            best = (score, actor)
    return best[1] if best else None


# --- countries of descriptions and actors --------------------------------------------------------


@cache
def country_names() -> dict[str, str]:
    """Country names and nationality adjectives (as written and lower-cased) -> the country's name."""
    out: dict[str, str] = {}
    for row in table("countries.tsv"):
        name = row.get("name") or ""
        if name:
            out[name] = name
            out.setdefault(name.casefold(), name)
    for adjective, (country, iso3) in demonyms().items():
        if iso3 != "IGO":
            out.setdefault(adjective, country)
            out.setdefault(country, country)
            out.setdefault(country.casefold(), country)
    return out


def country_of_word(word: str) -> str | None:
    """'Moldova', 'Moldovan', "Moldova's", 'U.S.' -> the country; None for other words."""
    word = re.sub(r"[’']s?$", "", word) if word.endswith(("'s", "’s", "'", "’")) else word
    names = country_names()
    return names.get(word) or (names.get(word.casefold()) if word[:1].isupper() else None)


def is_country_possessive(doc: Doc, start: int, head: int) -> bool:
    """"Moldova's president": the phrase opens with a country's name in the possessive."""
    return start + 1 < head and doc[start + 1].tag_ == "POS" and country_of_word(doc[start].text) is not None


def countries_in(words: list[str]) -> set[str]:
    """Countries named in a run of words, one-word and two-word names ("United States")."""
    out: set[str] = set()
    for k, word in enumerate(words):
        for name in (word, " ".join(words[k : k + 2]), " ".join(words[k : k + 3])):
            country = country_of_word(name)
            if country is not None:
                out.add(country)
    return out


def description_countries(chunk: Span) -> set[str]:
    """The countries a description ties its referent to: 'the Moldovan president', 'the president of
    Moldova', "Moldova's president"."""
    root = chunk.root
    words = [t.text for t in chunk if t.i < root.i]
    for child in place_prepositions(chunk):
        words += [t.text for t in child.subtree if t.i > child.i]
    return countries_in(words)


def place_prepositions(chunk: Span) -> list[Token]:
    """'of' in 'the president of Moldova', 'from' in 'the senator from Florida'."""
    return [c for c in chunk.root.children if c.lower_ in {"of", "from"} and c.i > chunk.root.i]


def actor_countries(actor: Actor) -> set[str]:
    """The countries an actor is tied to: its own country and those its titles name
    ('Moldovan President', "Moldova's president")."""
    out = {actor.country} if actor.country else set()
    for title in actor.titles:
        out |= countries_in(title.replace("-", " ").split())
    return {country_of_word(c) or c for c in out}


# --- descriptions --------------------------------------------------------------------------------


# The AP Stylebook's abbreviations of titles before a name ("Sen. Bernie Sanders" is "the senator").
ABBREVIATED_TITLES = {
    "sen.": "senator", "gov.": "governor", "rep.": "representative", "gen.": "general", "adm.": "admiral",
    "lt.": "lieutenant", "col.": "colonel", "capt.": "captain", "sgt.": "sergeant", "maj.": "major",
    "cmdr.": "commander", "atty.": "attorney", "supt.": "superintendent",
}


def title_words(title: str) -> list[str]:
    """A title's words with abbreviations spelled out: 'New Jersey Gov.' -> ['new', 'jersey', 'governor']."""
    return [ABBREVIATED_TITLES.get(w, w) for w in title.casefold().split()]


def has_title(actor: Actor, head: str) -> bool:
    return any(head in title_words(title) for title in actor.titles)


def place_words(chunk: Span) -> set[str]:
    """Names of places written in a description ('the New Jersey governor' -> {'new jersey'})."""
    before = {name.casefold() for name in gpe_names(chunk.doc, chunk.start, chunk.root.i)}
    after = {t.text.casefold() for prep in place_prepositions(chunk) for t in prep.subtree if t.ent_type_ == "GPE"}
    return before | after


def gpe_names(doc: Doc, start: int, end: int) -> list[str]:
    """The GPE entities wholly inside tokens [start, end), read off the tokens' entity tags
    (`Span.ents` walks all of the article's entities, for every description it is asked about)."""
    names = []
    i = start
    while i < end:
        if doc[i].ent_iob_ == "B" and doc[i].ent_type_ == "GPE":
            j = i + 1
            while j < len(doc) and doc[j].ent_iob_ == "I":
                j += 1
            if j <= end:
                names.append(doc[i:j].text)
            i = j
        else:
            i += 1
    return names


def names_place(actor: Actor, places: set[str]) -> bool:
    """'New Jersey Gov. Chris Christie' for 'the New Jersey governor': a title naming the place."""
    text = " ".join(actor.titles).casefold()
    return any(p in text for p in places)


def last_mention_before(actor: Actor, i: int) -> int:
    return max((m.start for m in actor.mentions if m.start < i), default=-1)


def description_actor(chunk: Span, actors: list[Actor]) -> Actor | None:
    """The person a definite description headed by a title stands for, or None when it describes
    someone not named."""
    head = chunk.root.lower_
    if head not in person_titles():
        return None
    countries = description_countries(chunk)
    actor = described_person(chunk, actors, head, countries)
    if actor is not None and countries and not actor.country and len(countries) == 1:
        actor.country = next(iter(countries))  # "the president of Moldova" ties its referent to Moldova
    return actor


def described_person(chunk: Span, actors: list[Actor], head: str, countries: set[str]) -> Actor | None:
    """An earlier person with the title and the country, else one named with the title right after."""
    doc = chunk.doc
    here = sentence_index(doc, chunk.start)
    places = place_words(chunk)
    earlier = []
    for a in actors:
        last = last_mention_before(a, chunk.start)
        if a.type != "PERSON" or last < 0 or not has_title(a, head):
            continue
        tied = actor_countries(a)
        if countries and tied and not (tied & countries):
            continue  # "the Russian president" is not the US president
        fits = bool(countries & tied) or names_place(a, places)
        if (countries or places) and not fits and here - sentence_index(doc, last) > 2:
            continue  # an untied president named long ago is not "the president of Moldova"
        earlier.append((fits, last, a))
    tied_earlier = [item for item in earlier if item[0]]
    if tied_earlier:
        return max(tied_earlier, key=lambda item: item[1])[2]
    # A new name with the title right after a description naming a country is the one described, even
    # when an untied holder of the title was named just before: the writer would not introduce a second
    # president unqualified.
    after = named_right_after(chunk, actors, head, countries) if countries else None
    if after is not None:
        return after
    return max(earlier, key=lambda item: item[1])[2] if earlier else None


def named_right_after(chunk: Span, actors: list[Actor], head: str, countries: set[str]) -> Actor | None:
    """'the president of Moldova said ... President Maia Sandu blamed ...': the first person named with
    the title in the next two sentences, not tied to another country, is the one described."""
    doc = chunk.doc
    here = sentence_index(doc, chunk.start)
    after = []
    for a in actors:
        if a.type != "PERSON" or not a.mentions or a.mentions[0].start <= chunk.end or not has_title(a, head):
            continue
        if sentence_index(doc, a.mentions[0].start) - here > 2:
            continue
        tied = actor_countries(a)
        if tied and not (tied & countries):
            continue
        after.append((a.mentions[0].start, a))
    return min(after, key=lambda item: item[0])[1] if after else None


def described_organisation(chunk: Span, actors: list[Actor]) -> Actor | None:
    """'the British report' -> the British Ministry of Defense named before it (the caller checks the
    head is an organisation noun)."""
    countries = description_countries(chunk)
    qualifiers = {t.text for t in chunk if t.i < chunk.root.i and t.text in demonyms()}
    if not qualifiers and not countries:
        return None
    candidates = [
        a for a in actors
        if a.type in {"ORG", "GPE"} and last_mention_before(a, chunk.start) >= 0
        and (a.country in countries or any(q in a.name for q in qualifiers))
    ]
    return max(candidates, key=lambda a: last_mention_before(a, chunk.start), default=None)
