"""Reading: is a place name used as a place, for an actor (metonym), or as a non-locating modifier?"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from newsgraph.lexicons import MODELS_DIR, demonyms, table
from newsgraph.places.mentions import ASSOCIATIVE, LITERAL, METONYM, Mention, MentionFinder

# --- reading: a place, or a place name used for something else ----------------------------------


def reading_of(m: Mention, doc: Doc, finder: MentionFinder) -> str:
    """literal, metonym (an actor: 'Turkey says') or associative (a non-locating modifier: 'U.S. officials')."""
    c = finder.cues
    if m.source in ("dateline", "qualifier", "qualified", "unlisted", "settlement", "coordinated", "adjective"):
        return LITERAL
    span = doc[m.start:m.end]
    if m.hint == "recipient":
        return METONYM
    if m.source == "admin":
        # "Kherson region" is a place, but "Cuyahoga County Executive" an office.
        end = doc[m.end] if m.end < len(doc) and doc[m.end].lower_ in c["admin_suffix"] else span.root
        if end.dep_ == "compound" and end.head.i > end.i and end.head.lower_ not in c["locative_head"]:
            return ASSOCIATIVE
        return LITERAL
    # "Moscow-backed" is an actor; "London-based" a place.
    if m.end + 1 < len(doc) and doc[m.end].text == "-":
        after = doc[m.end + 1].lower_
        if after in c["hyphen_actor"]:
            return METONYM
        if after in c["hyphen_place"]:
            return LITERAL
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i and root.head.i not in finder.taken:
        root = root.head
    if root.dep_ == "conj" and root.head.i in finder.taken:
        first = finder.taken[root.head.i]
        if first is not m and first.reading != LITERAL:
            return first.reading
        if first is not m:
            return LITERAL
    return _reading_by_role(root, m, finder)


def _reading_by_role(root: Token, m: Mention, finder: MentionFinder) -> str:
    c = finder.cues
    dep, head = root.dep_, root.head
    if dep in ("nsubj", "csubj"):
        verb = head
        # "Russia is responsible", "Kyiv is ready to talk": a copula with an agent's adjective.
        if any(t.dep_ == "acomp" and t.lower_ in c["agentive_adj"] for t in verb.children):
            return METONYM
        if verb.lemma_.lower() in c["static_verb"] or verb.pos_ not in ("VERB", "AUX"):
            return LITERAL
        # "X lies on the river": a verb whose subjects in other news are seldom people or organisations.
        rate = agent_rate(f"{dep}|{verb.lemma_.lower()}")
        return LITERAL if rate is not None and rate < RARELY_AGENTS else METONYM
    if dep in ("dative", "iobj"):
        return METONYM
    if dep == "dobj":
        return METONYM if head.lemma_.lower() in c["directed_verb"] or takes_agents(f"dobj|{head.lemma_.lower()}") \
            else LITERAL
    if dep == "poss":
        return _possessor_reading(head, finder)
    if dep == "pobj":
        return _object_of_preposition_reading(head, finder)
    if dep in ("compound", "amod", "nmod"):
        if head.i in finder.taken or head.lower_ in c["locative_head"] or head.text in c["facility_head"] \
                or head.text in c["street_head"]:
            return LITERAL
        return ASSOCIATIVE
    return LITERAL


def _possessor_reading(head: Token, finder: MentionFinder) -> str:
    """'Ukraine's Mariupol' is a place, 'China's move' an actor, 'Russia's ambassador' an institution."""
    c = finder.cues
    if head.i in finder.taken:
        return LITERAL
    lemma = head.lemma_.lower()
    if head.lower_ in c["agentive_poss"] or lemma in c["agentive_poss"]:
        return METONYM
    if head.lower_ in c["institution_poss"] or lemma in c["institution_poss"] or head.ent_type_ in ("PERSON", "ORG"):
        return ASSOCIATIVE
    if takes_agents(f"poss|{lemma}"):
        return METONYM
    # "Russia's Defense Ministry": a compound whose last word is an institution.
    if any(t.lower_ in c["institution_poss"] for t in head.children if t.dep_ == "compound"):
        return ASSOCIATIVE
    return LITERAL


def _object_of_preposition_reading(prep: Token, finder: MentionFinder) -> str:
    c = finder.cues
    word = prep.lower_
    governor = prep.head
    gov = governor.lemma_.lower()
    if word == "against":
        return METONYM
    related = gov in c["relation_head"] or governor.lower_ in c["relation_head"] or takes_agents(f"prep|{word}|{gov}")
    if word in ("with", "between", "toward", "towards") and related:
        return METONYM
    # "a loss to San Antonio", "series with Portland": the other side of a contest is a team.
    if word in ("to", "with", "over", "against") and (gov in c["contest_head"] or governor.lower_ in c["contest_head"]):
        return METONYM
    if word in ("on", "over") and gov in c["pressure_head"]:
        return METONYM
    if word == "by" and governor.tag_ == "VBN" and governor.lower_ not in c["hyphen_place"]:
        return METONYM
    if word in ("of", "for", "from") and (gov in c["institution_poss"] or governor.lower_ in c["institution_poss"]):
        return ASSOCIATIVE
    return LITERAL


# --- the learned reading -------------------------------------------------------------------------
#
# The rules above are one opinion among the evidence: a model trained on GeoWebNews, which types every
# toponym by its use (`scripts/train_place_reader.py`, `models/place_reader/MODEL_CARD.md`), weighs them
# with the parse, the neighbours, the NER label and the gazetteer and makes the decision.

NOT_A_PLACE_NAME = "none"
READINGS = (LITERAL, METONYM, ASSOCIATIVE, NOT_A_PLACE_NAME)
# The cue roles whose words describe the word a name depends on (its head, verb or governor).
HEAD_ROLES = ("agentive_poss", "institution_poss", "relation_head", "pressure_head", "contest_head",
              "locative_head", "directed_verb", "static_verb", "motion_verb", "hyphen_place", "hyphen_actor",
              "agentive_adj", "settlement_noun", "admin_suffix")
CAPITALISED_HEAD_ROLES = ("facility_head", "street_head", "body_noun", "natural_head")


def reading_features(m: Mention, doc: Doc, finder: MentionFinder) -> list[str]:
    """The evidence about one mention's use, as feature names: its form, its place in the parse and its
    neighbours, the kinds of place the gazetteer has by its name, how its context goes with agents and
    places in other news, and what the rules say (`m.reading`, which holds the rules' reading when this is
    called)."""
    span = doc[m.start:m.end]
    root = span.root
    head = root.head
    # How the mention was found and how prominent its places are were left out: in cross-validation they
    # taught the model the dev set's habits (capitals speak, NER entities are actors), not readings.
    feats = [f"rule={m.reading}", f"ner={root.ent_type_ or '-'}", f"pos={root.pos_}", f"tag={root.tag_}",
             f"dep={root.dep_}"]
    feats += _form_features(span)
    feats += _neighbour_features(m, doc, finder)
    feats += _head_features(root, head, finder)
    # "talks with China and Russia": a later conjunct stands where the first one does.
    first = root
    while first.dep_ == "conj" and first.head.i < first.i:
        first = first.head
    if first is not root:
        feats += [f"conj:{f}" for f in _head_features(first, first.head, finder)]
    feats += _gazetteer_features(m)
    feats += _context_features(root)
    return feats


# Selectional preferences mined from other news (data/place_contexts.tsv): a context whose fillers, people
# and organisations against common nouns, are mostly agents takes a name as an actor ("X's decision",
# "urged X", "talks with X"), one whose fillers are seldom agents as a place. Counted over at least
# MIN_CONTEXT_USES uses, so that a rare word does not decide.
MOSTLY_AGENTS, RARELY_AGENTS, MIN_CONTEXT_USES = 0.6, 0.15, 5


def agent_rate(key: str) -> float | None:
    """The share of agents among the agents and common nouns seen in a context, when seen often enough."""
    counts = place_contexts().get(key)
    if counts is None or counts[0] + counts[2] < MIN_CONTEXT_USES:
        return None
    return counts[0] / (counts[0] + counts[2])


def takes_agents(key: str) -> bool:
    rate = agent_rate(key)
    return rate is not None and rate >= MOSTLY_AGENTS


def context_keys(t: Token) -> list[str]:
    """The contexts a name ending in token t stands in, as keys of data/place_contexts.tsv: the noun it
    possesses (poss|decision), the verb it is the subject or object of (nsubj|say, dobj|urge), the
    preposition and its governor (prep|with|talk, prep|in|-), the noun it modifies (mod|official) and the
    word after its hyphen (hyphen|based)."""
    dep, head = t.dep_, t.head
    lemma = head.lemma_.lower()
    keys = []
    if dep == "poss":
        keys.append(f"poss|{lemma}")
    elif dep in ("nsubj", "nsubjpass", "dobj", "dative"):
        keys.append(f"{dep}|{lemma}")
    elif dep == "pobj" and head.dep_ == "prep":
        keys += [f"prep|{head.lower_}|{head.head.lemma_.lower()}", f"prep|{head.lower_}|-"]
    elif dep in ("compound", "amod", "nmod") and head.i > t.i:
        keys.append(f"mod|{lemma}")
    if t.i + 2 < len(t.doc) and t.doc[t.i + 1].text == "-":
        keys.append(f"hyphen|{t.doc[t.i + 2].lower_}")
    # A line break or tab is no word (and would break the table's lines).
    return [k for k in keys if not any(c.isspace() for c in k)]


@cache
def place_contexts() -> dict[str, tuple[int, int, int]]:
    """Context key -> (agents, place names, common nouns) seen there in other news (data/place_contexts.tsv)."""
    return {row["context"]: (int(row["agent"]), int(row["place"]), int(row["noun"]))
            for row in table("place_contexts.tsv")}


def _context_features(t: Token) -> list[str]:
    """How the contexts of the name go with agents and places in other news, in fifths of their uses."""
    feats = []
    for key in context_keys(t):
        kind = key.split("|", 1)[0] if not key.endswith("|-") else "prep-any"
        counts = place_contexts().get(key)
        if counts is None:
            feats.append(f"{kind}|unseen")
            continue
        total = sum(counts)
        agent, place = counts[0] / total, counts[1] / total
        feats += [f"{kind}|agent={min(int(agent * 5), 4)}", f"{kind}|place={min(int(place * 5), 4)}",
                  f"{kind}|seen={min(len(str(total)), 4)}"]
        rate = agent_rate(key)
        if rate is not None:
            feats.append(f"{kind}|agent_rate={min(int(rate * 5), 4)}")
    return feats


def _form_features(span: Span) -> list[str]:
    text = span.text
    feats = []
    if text.isupper():
        feats.append("form=upper")
    if span[0].is_sent_start:
        feats.append("sent_start")
    if text in demonyms() or text.casefold() in demonyms():
        feats.append("form=demonym")
    if text.endswith(("an", "ese", "ish", "ic", "i")) and len(span) == 1 and span[0].pos_ == "ADJ":
        feats.append("form=adjective")
    bounds = _entity_bounds(span.doc, span.start)
    if bounds is not None:
        feats.append("ent=exact" if bounds == (span.start, span.end) else "ent=part")
        feats.append(f"ent_len={min(bounds[1] - bounds[0], 4)}")
    return feats


def _entity_bounds(doc: Doc, i: int) -> tuple[int, int] | None:
    """The token bounds of the NER entity holding token i, read off the IOB tags (`doc.ents` builds every
    entity's Span on each access)."""
    if not doc[i].ent_type:
        return None
    start, end = i, i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _neighbour_features(m: Mention, doc: Doc, finder: MentionFinder) -> list[str]:
    prev = finder.lowers[m.start - 1] if m.start > 0 else "<s>"
    prev2 = finder.lowers[m.start - 2] if m.start > 1 else "<s>"
    nxt = finder.lowers[m.end] if m.end < len(doc) else "</s>"
    nxt2 = finder.lowers[m.end + 1] if m.end + 1 < len(doc) else "</s>"
    feats = [f"prev={prev}", f"next={nxt}", f"prev2={prev2}|{prev}", f"next2={nxt}|{nxt2}"]
    if nxt == "-":
        feats.append(f"hyphen={nxt2}")
    if m.end < len(doc) and doc[m.end].is_title and doc[m.end].pos_ == "PROPN":
        feats.append("next=Name")
    if m.start > 0 and doc[m.start - 1].is_title and doc[m.start - 1].pos_ == "PROPN":
        feats.append("prev=Name")
    if (m.start - 1) in finder.taken or m.end in finder.taken:
        feats.append("near_mention")
    return feats


def _head_features(root: Token, head: Token, finder: MentionFinder) -> list[str]:
    c = finder.cues
    lemma = head.lemma_.lower()
    feats = [f"head={lemma}", f"head_pos={head.pos_}", f"dep_head={root.dep_}|{lemma}", f"head_dep={head.dep_}",
             f"head_ner={head.ent_type_ or '-'}"]
    if head.i in finder.taken and head.i != root.i:
        feats.append("head_is_place")
    for role in HEAD_ROLES:
        if head.lower_ in c[role] or lemma in c[role]:
            feats.append(f"{root.dep_}|head_role={role}")
    for role in CAPITALISED_HEAD_ROLES:
        if head.text in c[role]:
            feats.append(f"{root.dep_}|head_role={role}")
    if root.dep_ == "pobj":
        gov = head.head
        gov_lemma = gov.lemma_.lower()
        feats += [f"prep={head.lower_}", f"prep_gov={head.lower_}|{gov_lemma}",
                  f"prep_gov_pos={head.lower_}|{gov.pos_}"]
        for role in HEAD_ROLES:
            if gov.lower_ in c[role] or gov_lemma in c[role]:
                feats.append(f"prep={head.lower_}|gov_role={role}")
    if root.dep_ in ("nsubj", "nsubjpass"):
        feats += [f"verb_tag={head.tag_}"]
        feats += [f"verb_child={t.dep_}|{t.lower_}" for t in head.children if t.dep_ in ("acomp", "attr", "aux")]
    feats += [f"child={t.dep_}" for t in root.children if t.dep_ in ("case", "det", "amod", "compound", "prep")]
    return feats


def _gazetteer_features(m: Mention) -> list[str]:
    """What kinds of place the name can be: a country, a unit, a town, a sea."""
    if not m.entries:
        return ["gaz=none"]
    return [f"gaz_feature={f}" for f in sorted({e.feature for e in m.entries})]


@dataclass(frozen=True)
class ReadingModel:
    """A multinomial logistic regression over feature names: one weight per feature and reading."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    # A mention is read as a place when the literal reading is at least this likely (chosen by
    # cross-validation for the F1 of places), else as the likeliest other reading.
    literal_threshold: float = 0.5

    @classmethod
    def load(cls, path: Path) -> ReadingModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(data["classes"]), tuple(data["bias"]),
                   {name: tuple(w) for name, w in data["weights"].items()}, data.get("literal_threshold", 0.5))

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        scores = list(self.bias)
        for name in set(features):
            for k, w in enumerate(self.weights.get(name, ())):
                scores[k] += w
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def read(self, features: Iterable[str]) -> str:
        probs = self.probabilities(features)
        if probs.get(LITERAL, 0.0) >= self.literal_threshold:
            return LITERAL
        return max((c for c in probs if c != LITERAL), key=lambda c: probs[c])


READER_FILE = MODELS_DIR / "place_reader" / "model.json"


@cache
def default_reader() -> ReadingModel | None:
    """The shipped reading model, or None when it is missing (the rules then decide)."""
    return ReadingModel.load(READER_FILE) if READER_FILE.exists() else None
