"""The sentences that decide a stance, and the cue words in them.

The evidence is the article's sentences nearest the claim (by sentence-vector cosine), best first. For `disagree`
and `discuss` a near sentence that holds a cue of that stance (a denial or refuting word, a negation; a hedge, an
"unverified" note, a report word) comes first, with the cue as it stands in the text: that is what the features
read, and what a reader wants to see.
"""

from __future__ import annotations

import re

from newsgraph.records import StanceEvidence, StanceLabel
from newsgraph.stance.features import MODALS, NEGATIONS, REPORT_WORDS, Body, PairView, cues

EVIDENCE_SENTENCES = 2
# A near sentence less similar than this to the claim is no evidence (a stance is not read from it).
MIN_SIMILARITY = 0.25


def _word_pattern(words: frozenset[str] | tuple[str, ...]) -> re.Pattern[str]:
    forms = sorted((re.escape(w).replace("'", "['\u2019]") for w in words), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(forms) + r")\b", re.IGNORECASE)


def _cue_patterns(stance: StanceLabel) -> list[re.Pattern[str]]:
    c = cues()
    if stance == "disagree":
        return [c.denial, _word_pattern(c.refuting), _word_pattern(NEGATIONS)]
    if stance == "discuss":
        return [c.unconfirmed, c.hedge, _word_pattern(REPORT_WORDS), _word_pattern(MODALS), re.compile(r"\?")]
    return []


def find_cue(text: str, stance: StanceLabel) -> str | None:
    for pattern in _cue_patterns(stance):
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def evidence_for(body: Body, view: PairView, stance: StanceLabel) -> list[StanceEvidence]:
    if stance == "unrelated":
        return []
    near = [i for i in view.nearest if float(view.similarities[i]) >= MIN_SIMILARITY] or view.nearest[:1]
    found = [(i, find_cue(body.sentences[i].text, stance)) for i in near]
    # Sentences with a cue first (stable: nearest first within each group).
    found.sort(key=lambda item: item[1] is None)
    out = []
    for i, cue in found[:EVIDENCE_SENTENCES]:
        s = body.sentences[i]
        out.append(StanceEvidence(start=s.start, end=s.end, text=s.text,
                                  similarity=round(float(view.similarities[i]), 4), cue=cue))
    return out
