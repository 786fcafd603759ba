"""Features of a (claim, article) pair for the stance model: how related they are, and how the article's
sentences nearest the claim speak of it.

Relatedness (after Riedel et al. 2017 and the FNC-1 baseline): the cosine of the claim's sentence vector to the
article's sentences (best, mean of the best three, the lead, the whole body), the TF-IDF cosine of claim and body,
and the share of the claim's words (weighted by IDF) found in the body, its lead and its nearest sentences.

Stance (after the FNC-1 baseline's refuting and polarity features and Hanselowski et al. 2018): cue counts in the
nearest sentences, in the whole body and in the claim: refuting words, the project's denial cues and rebutting
phrases (data/certainty_cues.tsv), hedges and "could not be verified" notes, negations, question marks, and
report/rumour words; and how many of the claim's key words the body negates ("did not die", "no ... attack").
Only word forms are matched (no parser): the stance run must read 900 bodies in well under ten minutes.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from newsgraph.lexicons import table
from newsgraph.stance.text import Sentence, split_sentences

_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
# The FNC-1 baseline's refuting words (FakeNewsChallenge/fnc-1-baseline, feature_engineering.py).
REFUTING_WORDS = ("fake", "fraud", "hoax", "false", "deny", "denies", "refute", "not", "despite", "nope", "doubt",
                  "doubts", "bogus", "debunk", "pranks", "retract")
# Negators (the FNC-1 baseline's polarity feature counts the same kind of words).
NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "n't",
                       "cannot", "didn't", "doesn't", "don't", "isn't", "wasn't", "weren't", "aren't", "won't",
                       "hasn't", "haven't", "hadn't", "couldn't", "wouldn't", "shouldn't"})
# Words by which news marks what it reports as a claim or a rumour not (yet) its own (Emergent, Ferreira and
# Vlachos 2016, describe unverified headlines by these: "reportedly", "claims", "rumour", "allegedly").
REPORT_WORDS = frozenset({"reportedly", "report", "reports", "reported", "claim", "claims", "claimed", "claiming",
                          "alleged", "allegedly", "allegations", "rumor", "rumors", "rumour", "rumours", "rumored",
                          "rumoured", "purportedly", "supposedly", "unconfirmed", "unverified", "according"})
# Epistemic modals (certainty_cues.tsv hedge_modal rows add none of these forms: they are all listed here).
MODALS = frozenset({"may", "might", "could", "would", "possibly"})
# How many of the claim's nearest sentences the stance cues are read in.
NEAREST = 3
# A claim word negated: within this many words after a negator or a denial word.
NEGATION_REACH = 4
KEY_WORD_IDF = 2.5  # a claim word rarer than this (IDF) is one of its key words
LEAD_CHARS = 255  # the FNC-1 baseline's "first 255 characters" of the body


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _inflections(lemma: str) -> str:
    """A regular expression for a verb lemma's forms ("deny" -> deny, denies, denied, denying, denial)."""
    lemma = re.escape(lemma)
    if lemma.endswith("y"):
        return lemma[:-1] + r"(?:y|ies|ied|ying|ial|ials)"
    if lemma.endswith("e"):
        return lemma[:-1] + r"(?:e|es|ed|ing|al|als)"
    return lemma + r"(?:s|es|ed|ing|al|als)?"


@dataclass(frozen=True)
class Cues:
    """The cue patterns, from data/certainty_cues.tsv and the lists above."""

    denial: re.Pattern[str]
    hedge: re.Pattern[str]
    unconfirmed: re.Pattern[str]
    refuting: frozenset[str]


@cache
def cues() -> Cues:
    rows: dict[str, list[str]] = {}
    for row in table("certainty_cues.tsv"):
        rows.setdefault(row["kind"].strip(), []).append(row["entry"].strip())
    denial_words = [_inflections(e) for e in rows.get("denial_cue", [])]
    denial_words += [re.escape(e) + "s?" for e in rows.get("staging_noun", [])]
    denial = "|".join([r"\b(?:" + "|".join(denial_words) + r")\b", *rows.get("denial_phrase", [])])
    hedge_words = [re.escape(e) for e in rows.get("hedge_adverb", []) + rows.get("hedge_adjective", [])]
    hedge_words += [_inflections(e) for e in rows.get("raising_verb", [])]
    hedge = "|".join([r"\b(?:" + "|".join(hedge_words) + r")\b", *rows.get("hedge_phrase", [])])
    unconfirmed = "|".join(rows.get("unconfirmed", []))
    return Cues(re.compile(denial, re.IGNORECASE), re.compile(hedge, re.IGNORECASE),
                re.compile(unconfirmed, re.IGNORECASE), frozenset(REFUTING_WORDS))


# Per-sentence cue columns, in this order.
SENTENCE_CUES = ("refuting", "denial", "hedge", "unconfirmed", "negation", "question", "report", "modal")


def sentence_cues(text: str, tokens: list[str]) -> np.ndarray:
    c = cues()
    counts = Counter(tokens)
    return np.array([
        sum(counts[w] for w in c.refuting),
        len(c.denial.findall(text)),
        len(c.hedge.findall(text)),
        len(c.unconfirmed.findall(text)),
        sum(counts[w] for w in NEGATIONS),
        text.count("?"),
        sum(counts[w] for w in REPORT_WORDS),
        sum(counts[w] for w in MODALS),
    ], dtype=np.float32)


@dataclass
class Body:
    """An article read once for all the claims it is paired with: sentences, their vectors, words and cues."""

    text: str
    sentences: list[Sentence]
    vectors: np.ndarray  # one unit row per sentence
    tokens: list[list[str]]
    cue_counts: np.ndarray  # sentences x SENTENCE_CUES
    word_counts: Counter[str] = field(default_factory=Counter)
    lead_words: frozenset[str] = frozenset()
    centroid: np.ndarray | None = None
    negated: list[set[str]] = field(default_factory=list)  # per sentence: the words a negator or denial governs
    bigrams: frozenset[tuple[str, str]] = frozenset()
    tfidf_norms: dict[int, float] = field(default_factory=dict)  # the body's TF-IDF norm, by id of the Idf

    def tfidf_norm(self, idf: Idf) -> float:
        norm = self.tfidf_norms.get(id(idf))
        if norm is None:
            norm = self.tfidf_norms[id(idf)] = _tfidf_norm(self.word_counts, idf)
        return norm


def read_body(text: str, vectors: np.ndarray, sentences: list[Sentence] | None = None) -> Body:
    sentences = split_sentences(text) if sentences is None else sentences
    tokens = [words(s.text) for s in sentences]
    cue_rows = [sentence_cues(s.text, t) for s, t in zip(sentences, tokens, strict=True)]
    cue_counts = np.array(cue_rows, dtype=np.float32).reshape(len(sentences), len(SENTENCE_CUES))
    word_counts: Counter[str] = Counter(w for t in tokens for w in t)
    centroid = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1], dtype=np.float32)
    centroid = centroid / max(float(np.linalg.norm(centroid)), 1e-9)
    return Body(text, sentences, vectors, tokens, cue_counts, word_counts, frozenset(words(text[:LEAD_CHARS])),
                centroid, [_negated_words(t) for t in tokens],
                frozenset((a, b) for t in tokens for a, b in itertools.pairwise(t)))


def _negated_words(tokens: list[str]) -> set[str]:
    denial = cues().denial
    out: set[str] = set()
    for i, token in enumerate(tokens):
        if token in NEGATIONS or token in REFUTING_WORDS or denial.fullmatch(token):
            out.update(tokens[i + 1:i + 1 + NEGATION_REACH])
    return out


@dataclass(frozen=True)
class Idf:
    """Inverse document frequencies fitted on the training bodies and claims; unseen words get `default`."""

    values: dict[str, float]
    default: float

    def of(self, word: str) -> float:
        return self.values.get(word, self.default)


def _tfidf_norm(counts: Counter[str], idf: Idf) -> float:
    return math.sqrt(sum((c * idf.of(w)) ** 2 for w, c in counts.items()))


def _tfidf_cosine(a: Counter[str], b: Counter[str], idf: Idf, b_norm: float | None = None) -> float:
    dot = sum(count * b[w] * idf.of(w) ** 2 for w, count in a.items() if w in b)
    na = _tfidf_norm(a, idf)
    nb = _tfidf_norm(b, idf) if b_norm is None else b_norm
    return dot / (na * nb) if na and nb else 0.0


def _weighted_share(claim_words: set[str], found: set[str] | frozenset[str] | Counter[str], idf: Idf) -> float:
    total = sum(idf.of(w) for w in claim_words)
    return sum(idf.of(w) for w in claim_words if w in found) / total if total else 0.0


FEATURE_NAMES: tuple[str, ...] = (
    "cos_max", "cos_top3", "cos_lead", "cos_mean", "cos_centroid", "cos_gap", "best_position",
    "tfidf_body", "tfidf_nearest", "share_body", "share_lead", "share_nearest", "bigram_share",
    "log_sentences", "log_claim_words",
    *(f"near_{c}" for c in SENTENCE_CUES), *(f"top_{c}" for c in SENTENCE_CUES),
    *(f"body_{c}" for c in SENTENCE_CUES), *(f"claim_{c}" for c in SENTENCE_CUES),
    "negated_key_near", "negated_key_body", "polarity_near", "polarity_claim",
)


@dataclass(frozen=True)
class PairView:
    """What the features saw: the nearest sentences (indices into body.sentences, best first)."""

    nearest: list[int]
    similarities: np.ndarray


def pair_features(claim: str, claim_vector: np.ndarray, body: Body, idf: Idf) -> tuple[np.ndarray, PairView]:
    sims = body.vectors @ claim_vector if len(body.sentences) else np.zeros(0, dtype=np.float32)
    order = list(np.argsort(-sims)[:NEAREST]) if len(sims) else []
    claim_tokens = words(claim)
    claim_counts = Counter(claim_tokens)
    claim_set = set(claim_tokens)
    key_words = {w for w in claim_set if idf.of(w) >= KEY_WORD_IDF}
    near_tokens: Counter[str] = Counter(w for i in order for w in body.tokens[i])
    n = len(body.sentences)
    top = sims[order] if order else np.zeros(1, dtype=np.float32)
    relatedness = [
        float(top[0]), float(top.mean()), float(sims[0]) if n else 0.0, float(sims.mean()) if n else 0.0,
        float(body.centroid @ claim_vector) if body.centroid is not None else 0.0,
        float(top[0] - (sims.mean() if n else 0.0)), (order[0] / n) if order else 1.0,
        _tfidf_cosine(claim_counts, body.word_counts, idf, body.tfidf_norm(idf)),
        _tfidf_cosine(claim_counts, near_tokens, idf),
        _weighted_share(claim_set, body.word_counts, idf), _weighted_share(claim_set, body.lead_words, idf),
        _weighted_share(claim_set, near_tokens, idf), _bigram_share(claim_tokens, body),
        math.log1p(n), math.log1p(len(claim_tokens)),
    ]
    near_cues = body.cue_counts[order].sum(axis=0) if order else np.zeros(len(SENTENCE_CUES), np.float32)
    top_cues = body.cue_counts[order[0]] if order else np.zeros(len(SENTENCE_CUES), np.float32)
    body_cues = body.cue_counts.mean(axis=0) if n else np.zeros(len(SENTENCE_CUES), np.float32)
    claim_cues = sentence_cues(claim, claim_tokens)
    negated_near = sum(len(key_words & body.negated[i]) for i in order)
    negated_body = sum(len(key_words & negated) for negated in body.negated)
    stance = [
        *near_cues, *top_cues, *body_cues, *claim_cues,
        negated_near / max(len(key_words), 1), math.log1p(negated_body),
        float(int(near_cues[4]) % 2), float(int(claim_cues[4]) % 2),
    ]
    return np.array(relatedness + stance, dtype=np.float32), PairView([int(i) for i in order], sims)


def _bigram_share(claim_tokens: list[str], body: Body) -> float:
    grams = {(a, b) for a, b in itertools.pairwise(claim_tokens)}
    if not grams:
        return 0.0
    return len(grams & body.bigrams) / len(grams)
