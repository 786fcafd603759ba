"""What the rules know, as input features of the attribution tagger's embedding.

The tagger (`newsgraph/models/attribution`) runs on raw tokens before the parser, so its embedding
can only read lexical attributes. `AttributionEmbed` adds to spaCy's `MultiHashEmbed` columns that
newsgraph's rules use to find attributions:

- the cue class of the word form: the class of its verb lemma in `data/cue_verbs.tsv` (neutral, stance,
  belief, intention, ...), with how often the lemma was a cue in PolNeAR train (its cue rate), or the
  class of a noun cue or a source noun (`data/cue_phrases.tsv`, `data/source_nouns.tsv`);
- where the token stands with respect to quote marks (`newsgraph.quotemarks`): outside, an opening or a
  closing mark, inside a quotation of speech length or inside a short (scare) quotation;
- where it stands in its paragraph: tokens from the paragraph's start and to its end, and whether the
  paragraph is the first, second or a later one (headlines and leads attribute differently).

The form table is a model attribute, so it is saved with the weights: the trainer fills it (regular
inflection of the lexicon lemmas plus the irregular forms of the base pipeline's lemmatizer), and a
loaded model uses the table it was trained with whatever the data files say later.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Any, cast

import numpy
from spacy.attrs import IDX, IS_SPACE, LOWER
from spacy.ml.featureextractor import FeatureExtractor
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d, Ragged

from newsgraph.lexicons import cue_verbs, table
from newsgraph.quotemarks import find_quotes

FEATURES_NODE = "attribution_features"
EXTRA_COLUMNS = ("cue_class", "cue_rate", "quote", "para_start", "para_end")

# Class ids of the form table. Verb classes first, then noun cues (offset), then source nouns.
VERB_CLASSES = ("neutral", "stance", "directive", "commissive", "belief", "intention", "perception", "other")
NOUN_CLASS_OFFSET = 16
SOURCE_NOUN_ID = 32
SPEECH_QUOTE_WORDS = 4  # as QuoteFinder.min_quote_words: shorter quotations are mostly scare quotes
POSITION_BUCKETS = (0, 1, 2, 4, 8, 16, 32)
LINE_BREAK = re.compile("\n")


def rate_bucket(rate: float, train_count: int) -> int:
    """1: rarely a cue (< 0.2 of the lemma's uses), 2: often, 3: mostly; 4: no train count (standard lists)."""
    if train_count == 0:
        return 4
    return 1 if rate < 0.2 else 2 if rate < 0.5 else 3


def regular_forms(lemma: str) -> set[str]:
    """The regular inflections of an English verb or noun lemma (over-generating is harmless: a form
    that is no word never occurs)."""
    forms = {lemma}
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    if lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        forms.add(lemma[:-1] + "ied")
    else:
        forms.add(stem + "ed")
    forms.add(stem + "ing")
    if len(lemma) >= 3 and lemma[-1] not in set("aeiouwxy") and lemma[-2] in set("aeiou") \
            and lemma[-3] not in set("aeiou"):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # 'admitted', 'planning'
    return forms


def lexicon_form_table(irregular: Iterable[tuple[str, str]] = ()) -> dict[str, list[int]]:
    """Lower-cased word form -> [class id, cue-rate bucket], from the cue lexicons.

    ``irregular`` adds (form, lemma) pairs, e.g. ('said', 'say'), from a lemmatizer's exceptions.
    """
    out: dict[str, list[int]] = {}
    for lemma, entry in table_rows_nouns():
        for form in regular_forms(lemma):
            out.setdefault(form, [entry, 0])
    verbs = {lemma: v for lemma, v in cue_verbs().items() if " " not in lemma}
    by_lemma: dict[str, set[str]] = {lemma: regular_forms(lemma) for lemma in verbs}
    for form, lemma in irregular:
        if lemma in by_lemma:
            by_lemma[lemma].add(form)
    for lemma, forms in by_lemma.items():
        v = verbs[lemma]
        value = [VERB_CLASSES.index(v.cue_class) + 1 if v.cue_class in VERB_CLASSES else len(VERB_CLASSES),
                 rate_bucket(v.cue_rate, v.train_count)]
        for form in forms:
            out[form] = value  # a verb reading wins over a noun one ('claims', 'reports')
    return out


def table_rows_nouns() -> list[tuple[str, int]]:
    """(noun lemma, class id) of the noun cues of `data/cue_phrases.tsv` and the source nouns."""
    rows: list[tuple[str, int]] = []
    for row in table("source_nouns.tsv"):
        rows.append((row["lemma"].strip().casefold(), SOURCE_NOUN_ID))
    for row in table("cue_phrases.tsv"):
        if (row.get("kind") or "").startswith("noun"):
            word = row["phrase"].strip().casefold().split()[0]
            cls = row["class"].strip()
            rows.append((word, NOUN_CLASS_OFFSET + (VERB_CLASSES.index(cls) if cls in VERB_CLASSES else 7)))
    return rows


def bucket(n: int) -> int:
    return bisect_right(POSITION_BUCKETS, n)


def extra_features(doc: Doc, forms: dict[str, list[int]], apostrophe_pairs: bool = True) -> numpy.ndarray:
    """The EXTRA_COLUMNS of every token of `doc`, as small non-negative ints (read from the token arrays: the
    tagger runs on every token of every article)."""
    text = doc.text
    out = numpy.zeros((len(doc), len(EXTRA_COLUMNS)), dtype="uint64")
    if not len(doc):
        return out
    tokens = doc.to_array([IDX, IS_SPACE, LOWER]).reshape(-1, 3)
    idx, space = tokens[:, 0].astype("int64"), tokens[:, 1].astype(bool)
    # the form table, once per distinct word
    lowers, inverse = numpy.unique(tokens[:, 2], return_inverse=True)
    table_rows = numpy.zeros((len(lowers), 2), dtype="uint64")
    for k, lower in enumerate(lowers.tolist()):
        form = forms.get(doc.vocab.strings[lower])
        if form is not None:
            table_rows[k] = form
    out[:, 0:2] = table_rows[inverse]
    out[:, 2] = quote_states(text, idx, apostrophe_pairs)
    # paragraphs: the tokens from the paragraph's first non-space token and to its last, and its rank among the
    # paragraphs that have any
    para_starts = numpy.asarray([0, *(m.end() for m in LINE_BREAK.finditer(text))], dtype="int64")
    para = numpy.searchsorted(para_starts, idx, side="right") - 1
    words = numpy.flatnonzero(~space)
    if not len(words):
        return out
    word_para = para[words]
    paras, first_at = numpy.unique(word_para, return_index=True)  # first word of each paragraph (words ascend)
    last_at = len(words) - 1 - numpy.unique(word_para[::-1], return_index=True)[1]
    rank = numpy.searchsorted(paras, word_para)  # paragraphs in text order
    first, last = words[first_at][rank], words[last_at][rank]
    buckets = numpy.asarray(POSITION_BUCKETS)
    out[words, 3] = 1 + numpy.searchsorted(buckets, words - first, side="right") + 8 * numpy.minimum(rank, 2)
    out[words, 4] = 1 + numpy.searchsorted(buckets, last - words, side="right")
    return out


def quote_states(text: str, idx: numpy.ndarray, apostrophe_pairs: bool) -> numpy.ndarray:
    """Where the tokens starting at the offsets `idx` stand with respect to quotation marks: 0 outside, 1 an
    opening mark, 2 a closing mark, 3 inside a speech-length quotation, 4 inside a short one."""
    quotes = find_quotes(text, apostrophe_pairs=apostrophe_pairs)
    states = numpy.zeros(len(idx), dtype="uint64")
    if not quotes:
        return states
    starts = numpy.asarray([q.start for q in quotes], dtype="int64")
    ends = numpy.asarray([q.end for q in quotes], dtype="int64")
    # whether each quotation is speech-length, counted once per quotation (not once per token in it)
    speech = numpy.asarray([len(text[q.start : q.end].split()) >= SPEECH_QUOTE_WORDS for q in quotes])
    k = numpy.searchsorted(starts, idx, side="right") - 1
    within = (k >= 0) & (idx < ends[k]) & (starts[k] <= idx)
    states[within] = numpy.where(speech[k[within]], 3, 4)
    states[numpy.isin(idx, [q.close for q in quotes])] = 2
    states[numpy.isin(idx, [q.open for q in quotes])] = 1
    return states


def AttributionFeatures(attrs: list[str]) -> Model[list[Doc], list[Ints2d]]:
    """spaCy's lexical attribute columns followed by the EXTRA_COLUMNS."""
    base = FeatureExtractor(cast(Any, attrs))
    # apostrophe_pairs: whether "''" counts as a quote mark; the trainer sets it (a model saved before
    # quotemarks read "''" keeps False, so that it sees what it was trained on).
    return Model(FEATURES_NODE, _features_forward, layers=[base],
                 attrs={"forms": lexicon_form_table(), "apostrophe_pairs": False})


def _features_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
    base, _ = model.layers[0](docs, is_train)
    forms, pairs = model.attrs["forms"], bool(model.attrs["apostrophe_pairs"])
    out = [model.ops.asarray2i(cast(Ints2d, numpy.hstack([numpy.asarray(b, dtype="uint64"),
                                                          extra_features(doc, forms, pairs)])), dtype="uint64")
           for b, doc in zip(base, docs, strict=True)]
    return out, lambda d: []


@registry.architectures("newsgraph.AttributionEmbed.v1")
def AttributionEmbed(width: int, attrs: list[str], rows: list[int], feature_rows: int = 64
                     ) -> Model[list[Doc], list[Floats2d]]:
    """`MultiHashEmbed` over ``attrs`` plus one small hash embedding per column of EXTRA_COLUMNS."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    all_rows = list(rows) + [feature_rows] * len(EXTRA_COLUMNS)
    embeddings: list[Model[Ints2d, Floats2d]] = [
        HashEmbed(width, n, column=i, seed=8 + i, dropout=0.0) for i, n in enumerate(all_rows)]
    max_out: Model[Ragged, Ragged] = with_array(
        Maxout(width, width * len(embeddings), nP=3, dropout=0.0, normalize=True))
    return chain(
        AttributionFeatures(attrs),
        cast(Model[list[Ints2d], Ragged], list2ragged()),
        with_array(concatenate(*embeddings)),
        max_out,
        ragged2list(),
    )


def set_form_table(model: Model, forms: dict[str, list[int]], apostrophe_pairs: bool = True) -> bool:
    """Put a form table into the features node of a tok2vec (the trainer adds irregular forms)."""
    for node in model.walk():
        if node.name == FEATURES_NODE:
            node.attrs["forms"] = forms
            node.attrs["apostrophe_pairs"] = apostrophe_pairs
            return True
    return False
