"""Choosing a statement's source: candidate mentions, their features, and the learned ranker that scores
them (`newsgraph/models/source_ranker/`, trained by `scripts/train_source_ranker.py`).

The rules of `newsgraph.quotes` give each statement one source (the cue verb's subject, the words of a
', X said' tail, the speaker of the statement before a free-standing quotation, the tagger's SOURCE
span). The ranker re-reads that choice: it gathers the mentions that could be the source (the rule's
choice, the cue's subject, agent and 'according to' object, the tagger's SOURCE spans, the nouns, names
and pronouns of the cue's sentence and the two before it, the source of the statement before) and scores
each on what it is (pronoun, name, role noun), where it sits (its grammatical relation to the cue, its
distance, before or after the cue, inside a quotation) and who else chose it (the rule, the tagger, the
statement before). The speaker span stays the local mention ("he", "the spokesman"); who it refers
to is `newsgraph.actors.resolve_mention`'s business.

The model is linear, applied per statement as a softmax over its candidates (a conditional logit); its
probability for the chosen candidate, through a monotone calibration map fitted out of fold, is the
statement's `confidence`. Statements the ranker cannot score (no candidate at all) get the calibrated
rate of their kind.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import ENT_TYPE, LOWER, POS
from spacy.tokens import Doc, Span, Token

from newsgraph.docinfo import sentence_starts, text_of
from newsgraph.intervals import Intervals
from newsgraph.lexicons import MODELS_DIR, group_nouns, person_title_stems, table
from newsgraph.linear import Features, LinearScorer
from newsgraph.quotemarks import QUOTE_TOKENS

if TYPE_CHECKING:  # quotes imports this module to rank its sources
    from newsgraph.quotes import Attribution

MODEL_DIR = MODELS_DIR / "source_ranker"
MODEL_FILE = "weights.json"


# Sentences before the cue (or the content, for a statement without one) whose mentions are candidates.
SENTENCES_BEFORE = 2
MAX_CANDIDATES = 40
CANDIDATE_POS = {"PROPN", "NOUN", "PRON"}
PERSONAL_PRONOUNS = {"he", "she", "they", "him", "her", "them", "i", "we", "me", "us", "you", "it"}
# "Sanders' supporters, who say ...": PolNeAR marks the relative pronoun as the source.
RELATIVE_PRONOUNS = {"who", "which", "that"}
# Grammatical relations of a candidate's head, one-hot (others count as "dep_other").
DEPS = ("nsubj", "nsubjpass", "pobj", "dobj", "poss", "appos", "conj", "ROOT", "dative", "attr", "npadvmod")
ENT_TYPES = ("PERSON", "ORG", "GPE", "NORP")
LINE_BREAK = re.compile("\n")


# --- candidates ----------------------------------------------------------------------------------


@dataclass
class Context:
    """What the features of one article's candidates need, computed once per article."""

    doc: Doc
    sent_starts: list[int]
    quoted: list[tuple[int, int]]  # character ranges inside quotation marks
    para_starts: list[int]  # character offsets where paragraphs begin
    tagged: Intervals[Span]  # the tagger's SOURCE spans, by the tokens they cover
    counts: dict[str, int]  # how often each lower-cased head word occurs in the article
    # per token, read once from the token arrays (a candidate's words are asked about for each candidate)
    ent_types: list[int] = field(default_factory=list)  # the entity label's string id, 0 outside entities
    is_title: list[bool] = field(default_factory=list)  # a person title (`person_title_stems`)
    is_verb_or_quote: list[bool] = field(default_factory=list)  # a verb or a quote mark
    # the noun phrase a token heads as a candidate (`is_candidate_head`), None when it heads none, read once
    # (the windows of a sentence's statements overlap)
    phrases: dict[int, tuple[int, int] | None] = field(default_factory=dict)


def article_context(doc: Doc, quoted: Sequence[tuple[int, int]], tagged: Sequence[Span]) -> Context:
    text = text_of(doc)
    para_starts = paragraph_starts(text)
    strings = doc.vocab.strings
    rows = doc.to_array([POS, LOWER, ENT_TYPE]).reshape(-1, 3)
    # each distinct word is read once, then spread over its tokens
    lowers, inverse = numpy.unique(rows[:, 1], return_inverse=True)
    words = [strings[int(lower)] for lower in lowers]
    is_noun = (rows[:, 0] == strings["PROPN"]) | (rows[:, 0] == strings["NOUN"])
    counts = {words[k]: int(n) for k, n in enumerate(numpy.bincount(inverse[is_noun], minlength=len(words))) if n}
    titles = person_title_stems()
    is_title = numpy.array([w.rstrip(".") in titles for w in words], dtype=bool)[inverse]
    # a quote mark has no case: its lower-case form is its text
    is_quote = numpy.array([w in QUOTE_TOKENS for w in words], dtype=bool)[inverse]
    is_verb_or_quote = (rows[:, 0] == strings["VERB"]) | is_quote
    # an article has hundreds of tagged spans, and every candidate asks which it overlaps
    spans = Intervals(tagged, lambda s: s.start, lambda s: s.end)
    return Context(doc, sentence_starts(doc), sorted(quoted), para_starts, spans, counts,
                   ent_types=rows[:, 2].tolist(), is_title=is_title.tolist(),
                   is_verb_or_quote=is_verb_or_quote.tolist())


def paragraph_starts(text: str) -> list[int]:
    """The character offsets where paragraphs begin: 0 and after each line break."""
    return [0, *(m.end() for m in LINE_BREAK.finditer(text))]


def sentence_index(ctx: Context, i: int) -> int:
    return bisect.bisect_right(ctx.sent_starts, i) - 1


def paragraph_index(ctx: Context, char: int) -> int:
    return bisect.bisect_right(ctx.para_starts, char) - 1


def anchor_of(doc: Doc, st: Attribution) -> Token:
    """The token the source is looked for around: the cue, else the content's first token."""
    if st.cue is not None:
        return st.cue.root
    span = doc.char_span(st.content_start, st.content_end, alignment_mode="expand")
    return span[0] if span is not None and len(span) else doc[0]


@dataclass(frozen=True)
class Anchor:
    """What every candidate of one statement is measured against, read once per statement."""

    token: Token  # `anchor_of`
    sentence: int  # the anchor's sentence
    paragraph: int  # the anchor's paragraph
    cue: Token | None  # the cue's root
    subject: Token | None  # the cue's subject (`quotes.subject_of`)
    subject_verb: Token | None  # `subject_head_verb` of the cue
    comma: int | None  # `quotes.postposed_comma` of the cue
    cue_sentence: int
    previous_text: str | None  # the previous statement's source, lower-cased


def anchor_for(ctx: Context, st: Attribution, previous: Span | None) -> Anchor:
    from newsgraph.quotes import postposed_comma, subject_of  # quotes imports this module

    token = anchor_of(ctx.doc, st)
    cue = st.cue.root if st.cue is not None else None
    return Anchor(
        token=token, sentence=sentence_index(ctx, token.i), paragraph=paragraph_index(ctx, token.idx), cue=cue,
        subject=subject_of(cue) if cue is not None else None,
        subject_verb=subject_head_verb(cue) if cue is not None else None,
        comma=postposed_comma(cue) if cue is not None else None,
        cue_sentence=sentence_index(ctx, cue.i) if cue is not None else -1,
        previous_text=span_text(ctx.doc, previous).lower() if previous is not None else None,
    )


def span_text(doc: Doc, span: Span) -> str:
    """`span.text`, cut from the doc's text (which the tokens cover without a gap) rather than joined from them."""
    return text_of(doc)[span.start_char : span.end_char]


def candidates(ctx: Context, st: Attribution, previous: Span | None, at: Anchor | None = None) -> list[Span]:
    """The mentions that could be the statement's source, the rule's choice first, no span twice."""
    from newsgraph.quotes import noun_phrase  # quotes imports this module

    doc = ctx.doc
    at = at or anchor_for(ctx, st, previous)
    out: list[Span] = []
    seen: set[tuple[int, int]] = set()

    def add(span: Span | None) -> None:
        if span is None or len(span) == 0 or len(out) >= MAX_CANDIDATES:
            return
        key = (span.start, span.end)
        if key not in seen:
            seen.add(key)
            out.append(span)

    add(st.source)
    if at.cue is not None:
        add(noun_phrase(at.subject) if at.subject is not None else None)
        for agent in (c for c in at.cue.children if c.dep_ == "agent"):
            for obj in (c for c in agent.children if c.dep_ == "pobj"):
                add(noun_phrase(obj))
    add(previous)
    first = ctx.sent_starts[max(0, at.sentence - SENTENCES_BEFORE)]
    last_sent = at.sentence + 1
    last = ctx.sent_starts[last_sent] if last_sent < len(ctx.sent_starts) else len(doc)
    for s in ctx.tagged.starting_in(first, last):
        add(s)
    for i in range(first, last):
        if i not in ctx.phrases:
            t = doc[i]
            phrase = noun_phrase(t) if is_candidate_head(t) else None
            ctx.phrases[i] = (phrase.start, phrase.end) if phrase is not None else None
        bounds = ctx.phrases[i]
        if bounds is not None and bounds[1] > bounds[0] and len(out) < MAX_CANDIDATES and bounds not in seen:
            add(doc[bounds[0] : bounds[1]])
    return out


def is_candidate_head(t: Token) -> bool:
    """A token heading a noun phrase that could name a speaker: a name, a noun or a personal pronoun,
    not a part of a longer name or compound."""
    if t.pos_ not in CANDIDATE_POS or t.dep_ in {"compound", "flat", "nmod"}:
        return False
    if t.lower_ in RELATIVE_PRONOUNS:
        return is_relative_subject(t)
    if t.pos_ == "PRON":
        return t.lower_ in PERSONAL_PRONOUNS
    return not (t.pos_ == "PROPN" and t.head.pos_ == "PROPN" and t.head.i > t.i and t.dep_ != "poss")


def is_relative_subject(t: Token) -> bool:
    return t.lower_ in RELATIVE_PRONOUNS and t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "relcl"


# --- features ------------------------------------------------------------------------------------


@cache
def source_noun_counts() -> dict[str, int]:
    """Common nouns heading PolNeAR train sources, with their counts (`data/source_nouns.tsv`)."""
    return {row["lemma"]: int(row["train_source_count"]) for row in table("source_nouns.tsv")}


def inside(ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(ranges, (start, 10**12)) - 1
    return i >= 0 and ranges[i][0] <= start and end <= ranges[i][1]


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def candidate_features(ctx: Context, st: Attribution, cand: Span, previous: Span | None,
                       at: Anchor | None = None) -> Features:
    """The sparse features of one candidate source of a statement (`at`: the statement's `anchor_for`, read
    once for all its candidates)."""
    doc = ctx.doc
    at = at or anchor_for(ctx, st, previous)
    root = cand.root
    f: Features = {}
    cue = at.cue
    mode = "cue" if cue is not None else "nocue"
    f["mode_" + mode] = 0.0  # constant per statement: its crosses (with_crosses) are not
    crossed = _crossed_names(mode, st.origin)

    def put(name: str, value: float = 1.0) -> None:
        names = crossed.get(name)
        if names is None:
            names = crossed[name] = (f"{name}|{mode}", f"{name}|{st.origin}")
        f[name] = value
        f[names[0]] = value
        f[names[1]] = value

    # who else chose it
    if st.source is not None:
        if (cand.start, cand.end) == (st.source.start, st.source.end):
            put("is_rule")
        elif overlaps(cand, st.source):
            put("overlaps_rule")
    if previous is not None and overlaps(cand, previous):
        put("is_previous_source")
    if previous is not None and span_text(doc, cand).lower() == at.previous_text and not overlaps(cand, previous):
        put("same_text_as_previous_source")
    tagged = ctx.tagged.overlapping(cand.start, cand.end)
    if tagged:
        put("tagger_source")
        if any((s.start, s.end) == (cand.start, cand.end) for s in tagged):
            put("tagger_exact")
    head = root.head
    # relation to the cue
    if cue is not None:
        subject = at.subject
        if subject is not None and cand.start <= subject.i < cand.end:
            put("cue_subject")
        if is_relative_subject(root) and (head == cue or head == at.subject_verb):
            put("relative_subject_of_cue")
        if head == cue:
            put("child_of_cue")
            put("child_of_cue_" + (root.dep_ if root.dep_ in DEPS else "other"))
        if root.dep_ == "pobj" and head.dep_ == "agent" and head.head == cue:
            put("cue_agent")
        if root.dep_ == "pobj" and head.lower_ == "to" and head.i > 0 and doc[head.i - 1].lower_ == "according":
            put("according_to")
        if root.dep_ == "poss" and subject is not None and head == subject:
            put("poss_of_subject")
        if root.dep_ == "appos" and subject is not None and head == subject:
            put("appos_of_subject")
        if at.comma is not None and at.comma < cand.start and cand.end <= cue.i:
            put("postposed_tail")
        d = cand.start - cue.i if cand.start > cue.i else cand.end - 1 - cue.i
        put("after_cue" if d > 0 else "before_cue")
        put("log_cue_distance", math.log1p(abs(d)))
        if sentence_index(ctx, root.i) == at.cue_sentence:
            put("same_sentence_as_cue")
    # position relative to the content
    cs, ce = cand.start_char, cand.end_char
    if st.content_start <= cs and ce <= st.content_end:
        put("inside_content")
    elif ce <= st.content_start:
        put("before_content")
        put("log_content_distance", math.log1p(len(text_of(doc)[ce:st.content_start].split())))
    else:
        put("after_content")
        put("log_content_distance", math.log1p(len(text_of(doc)[st.content_end:cs].split())))
    sd = at.sentence - sentence_index(ctx, root.i)
    put(f"sentences_back_{min(max(sd, -1), 3)}")
    if paragraph_index(ctx, cs) != at.paragraph:
        put("other_paragraph")
    if inside(ctx.quoted, cs, ce):
        put("in_quotes")
    # what it is
    lower = root.lower_
    pos = root.pos_
    if is_relative_subject(root):
        put("relative_pronoun")
    elif pos == "PRON":
        put("pron_" + ("3rd" if lower in {"he", "she", "they", "him", "her", "them"} else
                       "it" if lower == "it" else "1st2nd"))
        if lower in {"him", "her", "them", "me", "us"}:
            put("pron_object_case")
    elif pos == "PROPN":
        put("propn")
    else:
        put("noun")
        counts = source_noun_counts()
        lemma = root.lemma_.lower()
        if lemma in counts:
            put("source_noun_log_count", math.log1p(counts[lemma]))
        if lemma in group_nouns():
            put("group_noun")
    words = range(cand.start, cand.end)
    ent_id = next((ctx.ent_types[i] for i in words if ctx.ent_types[i]), 0)
    ent = doc.vocab.strings[ent_id] if ent_id else ""
    put("ent_" + (ent if ent in ENT_TYPES else "other" if ent else "none"))
    if any(ctx.is_title[i] for i in words):
        put("has_title")
    if any(c.dep_ == "appos" for c in root.children):
        put("has_appos")
    if root.dep_ in {"nsubj", "nsubjpass"}:
        put("is_subject")
        if cue is not None and head not in {cue, at.subject_verb} and head.pos_ in {"VERB", "AUX"}:
            # "Poland and Bulgaria said Gazprom informed them that ...": another verb's speaker
            put("subject_of_other_verb")
        if head.dep_ == "ROOT":
            put("main_clause_subject")
    put("dep_" + (root.dep_ if root.dep_ in DEPS else "other"))
    put("log_length", math.log(len(cand)))
    put("log_mentions", math.log1p(ctx.counts.get(lower, 0)) if pos != "PRON" else 0.0)
    if any(ctx.is_verb_or_quote[i] for i in words):
        put("has_verb_or_quote")
    return f


@cache
def _crossed_names(mode: str, origin: str) -> dict[str, tuple[str, str]]:
    """A feature's names crossed with a statement's mode and origin, made once per name (every candidate of
    every statement puts about twenty)."""
    return {}


def subject_head_verb(cue: Token) -> Token:
    """The verb whose subject a participle or conjunct cue shares ("who met X and said")."""
    token = cue
    for _ in range(3):
        if token.dep_ in {"conj", "advcl", "xcomp"} and token.head != token:
            token = token.head
    return token


# What a candidate is, crossed with where it sits: a pronoun two sentences back or a name inside the
# content mean something else than a pronoun subject of the cue.
KINDS = ("pron_3rd", "pron_it", "pron_1st2nd", "relative_pronoun", "propn", "noun")
RELATIONS = ("is_rule", "cue_subject", "child_of_cue", "is_previous_source", "same_text_as_previous_source",
             "inside_content", "before_content", "after_content", "before_cue", "after_cue", "in_quotes",
             "other_paragraph", "subject_of_other_verb", "main_clause_subject", "is_subject", "sentences_back_0",
             "sentences_back_1", "sentences_back_2", "sentences_back_3", "sentences_back_-1", "log_cue_distance",
             "log_content_distance", "mode_nocue")


def with_crosses(f: Features) -> Features:
    """The features and the products of the candidate's kind with its position and relations."""
    kinds = [k for k in KINDS if k in f]
    out = dict(f)
    for k in kinds:
        for r in RELATIONS:
            if r in f:
                out[f"{k}*{r}"] = f[r] if r != "mode_nocue" else 1.0
    return out


# Which candidate is the nearest of its kind: a candidate's own features cannot say that the pronoun two
# sentences back is the closest one, or that no name stands between it and the quotation.
NEAREST = {
    "nearest_before_cue": (("before_cue",), "log_cue_distance"),
    "nearest_after_cue": (("after_cue",), "log_cue_distance"),
    "nearest_subject_before_content": (("is_subject", "before_content"), "log_content_distance"),
    "nearest_person_before_content": (("ent_PERSON", "before_content"), "log_content_distance"),
    "nearest_name_before_content": (("propn", "before_content"), "log_content_distance"),
    "nearest_pronoun_before_content": (("pron_3rd", "before_content"), "log_content_distance"),
    "nearest_noun_subject_before_content": (("noun", "is_subject", "before_content"), "log_content_distance"),
    "nearest_name_after_content": (("propn", "after_content"), "log_content_distance"),
}


def with_relative(features: Sequence[Features]) -> list[Features]:
    """A statement's candidates' features and, for each, whether it is the nearest candidate of a kind
    (to the cue or to the content) and whether its head is the most mentioned in the article, each also
    crossed with whether the statement has a cue."""
    out = [dict(f) for f in features]
    if not out:
        return out
    mode = "cue" if "mode_cue" in out[0] else "nocue"

    def put(f: Features, name: str) -> None:
        f[name] = 1.0
        f[f"{name}|{mode}"] = 1.0

    for name, (kinds, distance) in NEAREST.items():
        fitting = [i for i, f in enumerate(features) if all(k in f for k in kinds)]
        if fitting:
            best = min(features[i].get(distance, 0.0) for i in fitting)
            for i in fitting:
                if features[i].get(distance, 0.0) <= best + 1e-9:
                    put(out[i], name)
    top = max(f.get("log_mentions", 0.0) for f in features)
    if top > 0:
        for i, f in enumerate(features):
            if f.get("log_mentions", 0.0) >= top - 1e-9:
                put(out[i], "most_mentioned")
    return out


# --- the model ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """A monotone map from the ranker's probability to the share of right sources (isotonic steps:
    probability thresholds and the calibrated value from each threshold on)."""

    thresholds: list[float]
    values: list[float]

    def __call__(self, p: float) -> float:
        i = bisect.bisect_right(self.thresholds, p) - 1
        return self.values[max(i, 0)]


@dataclass(frozen=True)
class SourceRanker:
    scorer: LinearScorer
    calibration: Calibration
    # calibrated share of right sources for statements the ranker cannot score, by origin
    fallback: dict[str, float]
    # statement kinds (`statement_kind`) whose rules' sources beat the ranker out of fold on train: there
    # the rules choose and the ranker only rates
    keep_rule_origins: frozenset[str] = frozenset()
    crosses: bool = False
    relative: bool = False  # with the nearest-of-its-kind features (`with_relative`)


def ranker_from_json(obj: dict) -> SourceRanker:
    cal = obj["calibration"]
    return SourceRanker(LinearScorer.from_json(obj["scorer"]), Calibration(cal["thresholds"], cal["values"]),
                        dict(obj.get("fallback", {})), frozenset(obj.get("keep_rule_origins", ())),
                        bool(obj.get("crosses")), bool(obj.get("relative")))


@cache
def source_ranker() -> SourceRanker | None:
    """The shipped ranker, or None when its weights are missing (the rules then decide)."""
    path = MODEL_DIR / MODEL_FILE
    if not path.exists():
        return None
    return ranker_from_json(json.loads(path.read_text(encoding="utf-8")))


def appositive_head(cands: Sequence[Span], best: int) -> int:
    """'Andriy Yermak, an aide to Zelenskiy, said': an appositive describes the noun it hangs on, which
    names the speaker: take the candidate that noun heads (PolNeAR's source spans hold both)."""
    root = cands[best].root
    if root.dep_ != "appos":
        return best
    return next((i for i, c in enumerate(cands) if c.root == root.head), best)


def statement_kind(origin: str, has_cue: bool) -> str:
    """How a statement was found, as the ranker's keep_rule_origins names it: 'rule', 'quote/nocue'."""
    return origin + ("" if has_cue else "/nocue")


def softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def previous_sources(found: Sequence[Attribution]) -> list[Span | None]:
    """The rule's source of the statement before each (in text order): quotations take turns."""
    out: list[Span | None] = []
    last: Span | None = None
    for st in found:
        out.append(last)
        if st.source is not None:
            last = st.source
    return out


def rank_sources(doc: Doc, found: Sequence[Attribution], ranker: SourceRanker,
                 quoted: Sequence[tuple[int, int]], tagged: Sequence[Span], choose: bool = True) -> None:
    """Choose each statement's source among its candidates and set its calibrated confidence (with
    `choose` false, keep the rules' source and give it its calibrated probability)."""
    ctx = article_context(doc, quoted, tagged)
    for st, previous in zip(found, previous_sources(found), strict=True):
        at = anchor_for(ctx, st, previous)
        cands = candidates(ctx, st, previous, at)
        if not cands or (not choose and st.source is None):
            st.confidence = ranker.fallback.get(st.origin, ranker.fallback.get("default", 0.0))
            continue
        features = [candidate_features(ctx, st, c, previous, at) for c in cands]
        if ranker.relative:
            features = with_relative(features)
        if ranker.crosses:
            features = [with_crosses(f) for f in features]
        probs = softmax([ranker.scorer.score(f) for f in features])
        kind = statement_kind(st.origin, st.cue is not None)
        keep = not choose or (kind in ranker.keep_rule_origins and st.source is not None)
        best = 0 if keep else max(range(len(cands)), key=lambda i: probs[i])  # the rule's is first
        best = appositive_head(cands, best)
        st.source = cands[best]
        st.confidence = round(ranker.calibration(probs[best]), 4)
