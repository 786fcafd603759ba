"""Certainty: how sure the article is of what each statement says.

The `newsgraph_certainty` component runs after `newsgraph_quotes` and sets, on every `Attribution` in
`doc._.statements`:

- `certainty`, one value, the strongest doubt the text expresses (ranked in `RANK`):
  - `attributed`: a source says it (the default for a statement);
  - `claimed`: the cue presents the content as the speaker's claim. The cues are the stance rows of
    `data/cue_verbs.tsv` that take a clause ("claimed that", "insisted that") plus a few from
    `data/certainty_cues.tsv` (allege, accuse, blame), minus concessive and evaluative ones (admit,
    warn, stress): praising or admitting something is no claim about it;
  - `hedged`: the content's main predicate carries an epistemic modal (may, might, could), a hedge
    adverb (reportedly, apparently, possibly), a hedging adjective ("were likely to") or a raising
    verb ("appears to", "is believed to"); or the sentence says "according to unconfirmed reports";
    or the source itself is unverified ("unconfirmed reports"). May/might/could count only on the
    content's own predicates, where they qualify the claim; deeper in the content they qualify
    something else ("a risk that it could escalate" is no hedge on the claim);
  - `unconfirmed`: the text says it could not be verified. A note in the statement's own sentence
    ("..., a claim that could not be verified") applies to that sentence's statements; a note on its
    own ("The claims could not be independently confirmed.") to the statements of the nearest
    preceding sentence that has any: the claims just reported;
  - `denied` / `disputed`: another source in the article rebuts it, with a denial cue (deny, reject,
    dismiss, refute) or rebutting words in its content ("fake", "a provocation", "nothing to do
    with"), about the same thing: it points back at "the claims", or shares a place, or a named
    actor and content words with it. `denied` when the rebuttal is the accused party's own (its
    speaker's country is named in the rebutted content, or the cue is "deny"), `disputed` otherwise.
    The content of a "deny" cue is itself `denied` ("Russia denied that its troops shelled ...").
- `scare_quotes`: (start, end) character offsets of words in quote marks inside the content that are
  too short to be speech (at most three words: "liberated", "legitimate targets").

What it found about unconfirmed sentences and rebuttals is left in the Doc's cache (`docinfo.cache_of`; see
`certainty_context`) so that the events component can apply the same judgement to events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.actors import Actor, resolve_mention
from newsgraph.docinfo import cache_of, text_of
from newsgraph.intervals import Intervals
from newsgraph.lexicons import cue_verbs, demonyms, table
from newsgraph.quotemarks import find_quotes
from newsgraph.quotes import Attribution

# The order of doubt: a later value overrides an earlier one when both apply.
RANK = {"asserted": 0, "attributed": 0, "claimed": 1, "hedged": 2, "unconfirmed": 3, "disputed": 4, "denied": 5}
CONTEXT_KEY = "newsgraph_certainty"
SCARE_QUOTE_MAX_WORDS = 3
# Sentences a rebuttal may reach back (and forward) to find what it rebuts.
DENIAL_WINDOW_BEFORE = 4
DENIAL_WINDOW_AFTER = 1
# Sentences an unconfirmed note may reach back to find the claims it qualifies.
UNCONFIRMED_REACH = 3
# Sentences "the claims" may point back over.
ANAPHORA_REACH = 2
# Characters of claim a statement needs before an unconfirmed note inside its content to be qualified by it.
NOTE_MIN_CLAIM_CHARS = 20
CLAUSE_FRAMES = {"that", "zero_that"}
# Words too common to show that two passages are about the same thing.
GENERIC_LEMMAS = frozenset({
    "say", "be", "have", "do", "make", "take", "go", "get", "give", "come", "also", "people", "year", "day",
    "time", "thing", "way", "week", "month", "statement", "report", "claim", "official", "country", "-PRON-",
})


def stronger(a: str, b: str) -> str:
    """The more doubtful of two certainty values."""
    return b if RANK.get(b, 0) > RANK.get(a, 0) else a


# --- the cue lexicon ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertaintyCues:
    hedge_adverbs: dict[str, str]
    hedge_modals: frozenset[str]
    hedge_adjectives: dict[str, str]
    raising_verbs: dict[str, str]
    passive_raising: dict[str, str]
    hedge_phrases: tuple[tuple[re.Pattern[str], str], ...]
    hedge_sources: frozenset[str]
    claim_nouns: dict[str, str]
    claim_cues: frozenset[str]
    unconfirmed: tuple[re.Pattern[str], ...]
    denial_cues: dict[str, str]
    denial_phrases: tuple[tuple[re.Pattern[str], str], ...]
    staging_nouns: dict[str, str]
    anaphoric_claims: frozenset[str]


@cache
def certainty_cues() -> CertaintyCues:
    rows: dict[str, list[tuple[str, str]]] = {}
    for row in table("certainty_cues.tsv"):
        rows.setdefault(row["kind"].strip(), []).append((row["entry"].strip(), (row.get("value") or "").strip()))

    def words(kind: str) -> dict[str, str]:
        return {entry.casefold(): value for entry, value in rows.get(kind, [])}

    def patterns(kind: str) -> tuple[tuple[re.Pattern[str], str], ...]:
        return tuple((re.compile(entry, re.IGNORECASE), value) for entry, value in rows.get(kind, []))

    stance = {lemma for lemma, cue in cue_verbs().items() if cue.cue_class == "stance" and cue.frames & CLAUSE_FRAMES}
    claim_cues = (stance - set(words("claim_cue_drop"))) | set(words("claim_cue_add"))
    return CertaintyCues(
        hedge_adverbs=words("hedge_adverb"),
        hedge_modals=frozenset(words("hedge_modal")),
        hedge_adjectives=words("hedge_adjective"),
        raising_verbs=words("raising_verb"),
        passive_raising=words("passive_raising"),
        hedge_phrases=patterns("hedge_phrase"),
        hedge_sources=frozenset(words("hedge_source")),
        claim_nouns=words("claim_noun"),
        claim_cues=frozenset(claim_cues),
        unconfirmed=tuple(p for p, _ in patterns("unconfirmed")),
        denial_cues=words("denial_cue"),
        denial_phrases=patterns("denial_phrase"),
        staging_nouns=words("staging_noun"),
        anaphoric_claims=frozenset(words("anaphoric_claim")),
    )


# --- what the events component reuses -------------------------------------------------------------


@dataclass
class Denial:
    """A statement that rebuts something said or reported elsewhere in the article."""

    statement: Attribution
    verdict: str  # "denied" or "disputed", before checking who is accused
    speaker: Actor | None
    anaphoric: bool  # it points back at "the claims", "the reports"
    sentence: int  # index of the sentence its content starts in


@dataclass
class CertaintyContext:
    """What the certainty component found, for the events component."""

    unconfirmed_sentences: set[int] = field(default_factory=set)  # sentence indices whose claims are unconfirmed
    denials: list[Denial] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)  # token index of each sentence start

    def sentence_of(self, token_i: int) -> int:
        """Index of the sentence holding token `token_i` (binary search over the starts)."""
        lo, hi = 0, len(self.sentence_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentence_starts[mid] <= token_i:
                lo = mid
            else:
                hi = mid - 1
        return lo


def certainty_context(doc: Doc) -> CertaintyContext:
    """The context the certainty component left on the doc (an empty one if it did not run)."""
    ctx = cache_of(doc).get(CONTEXT_KEY)
    if isinstance(ctx, CertaintyContext):
        return ctx
    ctx = CertaintyContext(sentence_starts=[s.start for s in doc.sents] if len(doc) else [0])
    cache_of(doc)[CONTEXT_KEY] = ctx
    return ctx


# --- the component ---------------------------------------------------------------------------------


@Language.factory("newsgraph_certainty", default_config={"scare_quote_max_words": SCARE_QUOTE_MAX_WORDS})
def make_certainty(nlp: Language, name: str, scare_quote_max_words: int) -> CertaintyMarker:
    return CertaintyMarker(scare_quote_max_words)


class CertaintyMarker:
    def __init__(self, scare_quote_max_words: int = SCARE_QUOTE_MAX_WORDS) -> None:
        self.scare_quote_max_words = scare_quote_max_words

    def __call__(self, doc: Doc) -> Doc:
        statements: list[Attribution] = list(doc._.statements or []) if doc.has_extension("statements") else []
        ctx = CertaintyContext(sentence_starts=[s.start for s in doc.sents] if len(doc) else [0])
        cache_of(doc)[CONTEXT_KEY] = ctx
        if not statements and not len(doc):
            return doc
        cues = certainty_cues()
        text = text_of(doc)
        quotes = find_quotes(text)
        # the quotations inside a content, by bisection (a long article has thousands of each), in text order
        by_place = Intervals(range(len(quotes)), lambda k: quotes[k].start, lambda k: quotes[k].end)
        for st in statements:
            st.certainty = statement_certainty(doc, st, cues)
            inside = sorted(by_place.overlapping(st.content_start, st.content_end))
            st.scare_quotes = [(quotes[k].start, quotes[k].end) for k in inside
                               if is_scare_quote(text, st, quotes[k].start, quotes[k].end, self.scare_quote_max_words)]
        mark_unconfirmed(doc, statements, cues, ctx)
        ctx.denials = find_denials(doc, statements, cues, ctx)
        apply_denials(doc, statements, ctx)
        return doc


# --- one statement -----------------------------------------------------------------------------------


def statement_certainty(doc: Doc, st: Attribution, cues: CertaintyCues) -> str:
    """Certainty from the statement's own words: its cue, its source and its content's predicates."""
    value = "attributed"
    lemma = st.cue.root.lemma_.casefold() if st.cue is not None else ""
    if lemma in cues.claim_cues:
        value = "claimed"
    if cues.denial_cues.get(lemma) == "denied":
        return "denied"  # the content is what the speaker denies
    if st.source is not None and any(t.lower_ in cues.hedge_sources for t in st.source):
        value = stronger(value, "hedged")
    if st.cue is not None:
        for child in st.cue.root.children:
            if child.dep_ == "advmod" and child.lower_ in cues.hedge_adverbs:
                value = stronger(value, cues.hedge_adverbs[child.lower_])
    content = doc.char_span(st.content_start, st.content_end, alignment_mode="expand")
    if content is not None:
        value = stronger(value, content_hedge(content, cues))
        sentence_text = text_of(doc)[content.sent.start_char : content[-1].sent.end_char]
        for pattern, hedge in cues.hedge_phrases:
            if pattern.search(sentence_text):
                value = stronger(value, hedge)
    return value


def content_hedge(content: Span, cues: CertaintyCues) -> str:
    """Hedging on the content's own predicates (its roots and their conjuncts), or a strong
    evidential adverb anywhere in it ("reportedly", "allegedly")."""
    value = "attributed"
    for token in content:
        if token.dep_ == "advmod" and token.lower_ in {"reportedly", "allegedly", "purportedly", "supposedly"}:
            value = stronger(value, cues.hedge_adverbs.get(token.lower_, "hedged"))
    for predicate in content_predicates(content):
        value = stronger(value, predicate_hedge(predicate, cues))
    return value


def content_predicates(content: Span) -> list[Token]:
    """Tokens of the content whose head lies outside it (its roots), with their conjoined verbs."""
    roots = [t for t in content if t.head == t or not (content.start <= t.head.i < content.end)]
    out = list(roots)
    for r in roots:
        out += [c for c in r.conjuncts if content.start <= c.i < content.end and c.pos_ in {"VERB", "AUX"}]
    return out


def predicate_hedge(predicate: Token, cues: CertaintyCues) -> str:
    """'may have', 'reportedly fell', 'were likely to', 'appears to', 'is believed to'."""
    value = "attributed"
    children = list(predicate.children)
    negated = any(c.dep_ == "neg" for c in children)
    has_xcomp = any(c.dep_ in {"xcomp", "ccomp"} for c in children)
    for c in children:
        low = c.lower_
        if c.dep_ == "advmod" and low in cues.hedge_adverbs:
            value = stronger(value, cues.hedge_adverbs[low])
        elif c.dep_ == "aux" and low in cues.hedge_modals and not negated:
            value = stronger(value, "hedged")
        elif c.dep_ in {"acomp", "oprd"} and c.lemma_.casefold() in cues.hedge_adjectives and (
                has_xcomp or any(g.dep_ in {"xcomp", "ccomp"} for g in c.children)):
            value = stronger(value, cues.hedge_adjectives[c.lemma_.casefold()])
    lemma = predicate.lemma_.casefold()
    if lemma in cues.raising_verbs and has_xcomp:
        value = stronger(value, cues.raising_verbs[lemma])
    if lemma in cues.passive_raising and has_xcomp and any(c.dep_ == "auxpass" for c in children):
        value = stronger(value, cues.passive_raising[lemma])
    return value


def is_scare_quote(text: str, st: Attribution, start: int, end: int, max_words: int) -> bool:
    """A short quoted stretch inside the content that is not the whole content."""
    if not (st.content_start <= start and end <= st.content_end):
        return False
    inner = text[start:end].strip(" ,.;:!?")
    if not inner or len(inner.split()) > max_words:
        return False
    return len(inner) < 0.9 * len(text[st.content_start : st.content_end].strip(" ,.\"“”"))


# --- "could not be independently confirmed" ---------------------------------------------------------------


def mark_unconfirmed(doc: Doc, statements: list[Attribution], cues: CertaintyCues, ctx: CertaintyContext) -> None:
    """Mark the statements (and remember the sentences) that an unconfirmed note qualifies."""
    text = text_of(doc)
    by_sentence = statements_by_sentence(doc, statements, ctx)
    for n, sent in enumerate(doc.sents):
        sent_text = text[sent.start_char : sent.end_char]
        match = next((m for p in cues.unconfirmed if (m := p.search(sent_text))), None)
        if match is None:
            continue
        note_start = sent.start_char + match.start()
        # a statement before the note, or one whose content runs on into it (", a claim that could
        # not be verified"); not one whose content is the note itself ("X said the claims could not ...")
        own = [st for st in by_sentence.get(n, []) if st.content_start < note_start - NOTE_MIN_CLAIM_CHARS]
        if own:
            targets, target_sentence = own, n
        else:
            target_sentence = next((k for k in range(n - 1, max(-1, n - 1 - UNCONFIRMED_REACH), -1)
                                    if by_sentence.get(k)), n - 1)
            targets = by_sentence.get(target_sentence, [])
        if target_sentence >= 0:
            ctx.unconfirmed_sentences.add(target_sentence)
        for st in targets:
            st.certainty = stronger(st.certainty, "unconfirmed")


def statements_by_sentence(doc: Doc, statements: list[Attribution],
                           ctx: CertaintyContext) -> dict[int, list[Attribution]]:
    """Statements by the index of each sentence their content overlaps."""
    out: dict[int, list[Attribution]] = {}
    for st in statements:
        span = doc.char_span(st.content_start, st.content_end, alignment_mode="expand")
        if span is None:
            continue
        for n in range(ctx.sentence_of(span.start), ctx.sentence_of(span.end - 1) + 1):
            out.setdefault(n, []).append(st)
    return out


# --- denials and rebuttals -------------------------------------------------------------------------------


def find_denials(doc: Doc, statements: list[Attribution], cues: CertaintyCues,
                 ctx: CertaintyContext) -> list[Denial]:
    """Statements that rebut something: a denial cue with a claim as its content ("denied that ...",
    "dismissed the reports"), a denial of involvement ("had nothing to do with", "a provocation"), or
    words calling a claim false when the content points back at the claim ("the reports are fake").
    Calling something false in passing ("he tells lies") rebuts no particular claim."""
    text = text_of(doc)
    out = []
    for st in statements:
        span = doc.char_span(st.content_start, st.content_end, alignment_mode="expand")
        if span is None:
            continue
        lemma = st.cue.root.lemma_.casefold() if st.cue is not None else ""
        anaphoric = points_back(span, cues)
        verdict = cues.denial_cues.get(lemma) if rebuts_a_claim(span, cues) else None
        content_text = text[st.content_start : st.content_end]
        for pattern, value in cues.denial_phrases:
            if pattern.search(content_text) and (value == "denied" or anaphoric or verdict is not None):
                verdict = value if verdict is None else stronger(verdict, value)
        staged = staging_verdict(span, cues)
        if staged is not None:
            verdict = staged if verdict is None else stronger(verdict, staged)
        if verdict is None:
            continue
        speaker = resolve_mention(st.source) if st.source is not None else None
        out.append(Denial(st, verdict, speaker, anaphoric, ctx.sentence_of(span.start)))
    return out


def staging_verdict(content: Span, cues: CertaintyCues) -> str | None:
    """'There was a provocation in Bucha', 'it was a hoax': what happened is called staged."""
    for token in content:
        value = cues.staging_nouns.get(token.lemma_.casefold())
        if value is not None and token.dep_ == "attr" and not any(
                c.dep_ in {"poss", "compound"} for c in token.children):
            return value
    return None


def rebuts_a_claim(content: Span, cues: CertaintyCues) -> bool:
    """A denial cue's content is a claim: a clause ("denied that ..."), or a noun phrase headed by a
    claim noun ("rejected the accusations"), not a request or a plan ("rejected a request to ...")."""
    if content.root.pos_ in {"VERB", "AUX"}:
        return True
    nouns = cues.anaphoric_claims | set(cues.claim_nouns)
    return content.root.lemma_.casefold() in nouns


def points_back(content: Span, cues: CertaintyCues) -> bool:
    """'the claims', 'such reports', 'the accusations': the rebuttal names what it rebuts only by
    pointing back at it."""
    for token in content[:5]:
        if token.pos_ == "NOUN" and token.lemma_.casefold() in cues.anaphoric_claims:
            return any(c.lower_ in {"the", "these", "those", "such", "this", "that", "their", "its"}
                       for c in token.children)
    return False


def apply_denials(doc: Doc, statements: list[Attribution], ctx: CertaintyContext) -> None:
    for denial in ctx.denials:
        rebutted = rebutted_statements(doc, statements, denial, ctx)
        for st in rebutted:
            st.certainty = stronger(st.certainty, verdict_on(doc, denial, st.content_start, st.content_end))


def rebutted_statements(doc: Doc, statements: list[Attribution], denial: Denial,
                        ctx: CertaintyContext) -> list[Attribution]:
    """The statements of other speakers that a rebuttal is about."""
    d = denial.statement
    candidates = []
    for st in statements:
        if st is d or st.overlaps(d.content_start, d.content_end) > 0:
            continue
        speaker = resolve_mention(st.source) if st.source is not None else None
        if speaker is not None and speaker is denial.speaker:
            continue
        span = doc.char_span(st.content_start, st.content_end, alignment_mode="expand")
        if span is None:
            continue
        n = ctx.sentence_of(span.start)
        if not (denial.sentence - DENIAL_WINDOW_BEFORE <= n <= denial.sentence + DENIAL_WINDOW_AFTER):
            continue
        candidates.append((n, st))
    if denial.anaphoric:
        before = [(n, st) for n, st in candidates if st.content_start < d.content_start
                  and n >= denial.sentence - ANAPHORA_REACH]
        if before:
            nearest = max(n for n, _ in before)
            return [st for n, st in before if n == nearest]
    return [st for _, st in candidates if same_topic(doc, (d.content_start, d.content_end),
                                                     (st.content_start, st.content_end))]


def same_topic(doc: Doc, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two passages are about the same thing: they name the same place, or the same named actor and
    at least one content word, or share three content words."""
    places_a, places_b = places_in(doc, a), places_in(doc, b)
    if places_a & places_b:
        return True
    lemmas_a, lemmas_b = content_lemmas(doc, a), content_lemmas(doc, b)
    shared = lemmas_a & lemmas_b
    if actors_in(doc, a) & actors_in(doc, b) and len(shared - names_in(doc, a)) >= 2:
        return True
    # the same act and something more ("shelled ... hospital" and "shelled the hospital")
    return len(shared) >= 3 or (len(shared) >= 2 and bool(shared & verb_lemmas(doc, a)))


def places_in(doc: Doc, span: tuple[int, int]) -> set[str]:
    places = doc._.places if doc.has_extension("places") else None
    return {p.name for p in places or [] if span[0] <= p.start and p.end <= span[1]}


def actors_in(doc: Doc, span: tuple[int, int]) -> set[int]:
    actor_at: dict[int, Actor] = doc._.actor_at or {}
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    if chars is None:
        return set()
    return {id(actor_at[t.i]) for t in chars if t.i in actor_at and t.pos_ != "PRON"}


def names_in(doc: Doc, span: tuple[int, int]) -> set[str]:
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    return {t.lemma_.casefold() for t in chars or [] if t.pos_ == "PROPN"}


def verb_lemmas(doc: Doc, span: tuple[int, int]) -> set[str]:
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    return {t.lemma_.casefold() for t in chars or [] if t.pos_ == "VERB"}


def content_lemmas(doc: Doc, span: tuple[int, int]) -> set[str]:
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    if chars is None:
        return set()
    return {t.lemma_.casefold() for t in chars
            if t.pos_ in {"NOUN", "PROPN", "VERB", "ADJ"} and not t.is_stop
            and t.lemma_.casefold() not in GENERIC_LEMMAS}


def verdict_on(doc: Doc, denial: Denial, start: int, end: int) -> str:
    """'denied' when the rebutting side is the one the rebutted passage accuses, else 'disputed'."""
    if denial.verdict != "denied":
        return "disputed"
    if denial.speaker is None:
        return "denied"
    speaker_countries = affiliations(denial.speaker)
    accused = countries_named(doc, start, end)
    actor_at: dict[int, Actor] = doc._.actor_at or {}
    chars = doc.char_span(start, end, alignment_mode="expand")
    named_actors = {id(actor_at[t.i]) for t in chars or [] if t.i in actor_at}
    if id(denial.speaker) in named_actors or speaker_countries & accused:
        return "denied"
    return "disputed"


def affiliations(actor: Actor) -> set[str]:
    """Country names an actor belongs to: its own country, its titles' nationality words, or itself
    when it is a country, a capital standing for one ("Moscow") or its government."""
    out = set()
    if actor.country:
        out.add(actor.country)
    for title in actor.titles:
        out |= countries_in_words(title.split())
    name = re.sub(r"^Government of (the )?", "", actor.name)
    if actor.type in {"GPE", "NORP"} or name != actor.name:
        out |= countries_in_words([name]) | {name}
        if name.casefold() in capitals():
            out.add(capitals()[name.casefold()])
    for member in actor.members:
        out |= affiliations(member)
    return out


@cache
def capitals() -> dict[str, str]:
    """Capital -> country name (from countries.tsv, when the places data is installed)."""
    try:
        rows = table("countries.tsv")
    except FileNotFoundError:
        return {}
    return {r["capital"].casefold(): r["name"] for r in rows if r.get("capital") and r.get("name")}


def countries_in_words(words: Iterable[str]) -> set[str]:
    out = set()
    for raw in words:
        w = re.sub(r"[’']s$", "", raw.strip(",;:"))
        entry = (demonyms().get(w) or demonyms().get(w.rstrip(".")) or demonyms().get(w.casefold())
                 or demonyms().get(w.rstrip("s")))
        if entry is not None and entry[1] != "IGO":
            out.add(entry[0])
    return out


def countries_named(doc: Doc, start: int, end: int) -> set[str]:
    """Countries a passage names, by nationality words ("Russian forces") or named actors."""
    chars = doc.char_span(start, end, alignment_mode="expand")
    if chars is None:
        return set()
    out = countries_in_words(t.text for t in chars if t.pos_ in {"ADJ", "PROPN", "NOUN"})
    actor_at: dict[int, Actor] = doc._.actor_at or {}
    for t in chars:
        if t.i in actor_at and t.pos_ != "PRON":
            out |= affiliations(actor_at[t.i])
    return out
