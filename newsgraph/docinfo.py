"""What a component may read about a Doc besides its tokens: its text and its publication date.

`Doc.text` rebuilds the string from its tokens on every access, so components read it once through
`text_of`. What components derive from a Doc and keep for the next step (its text, sentence starts, quotation
ranges) is kept in `cache_of(doc)`, which lives in `Doc.user_hooks`: spaCy never serialises that, so an analysed
Doc carries only its plain record data (see `plain.py`) and a cache is rebuilt where it is missing.

The publication date is set by the caller (`Analyzer`) on `doc._.published` before the
pipeline runs, so that relative dates ("last month") can be resolved against it.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any, cast

from spacy.tokens import Doc

_CACHE_KEY = "newsgraph_cache"

if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def cache_of(doc: Doc) -> dict[str, Any]:
    """The Doc's per-document cache of derived data (never serialised)."""
    hooks = cast(dict[str, Any], doc.user_hooks)  # typed for spaCy's hook functions; the key is ours
    cache = hooks.get(_CACHE_KEY)
    if cache is None:
        cache = hooks[_CACHE_KEY] = {}
    return cast(dict[str, Any], cache)


def text_of(doc: Doc) -> str:
    cache = cache_of(doc)
    text = cache.get("text")
    if text is None:
        text = cache["text"] = doc.text
    return text


def sentence_starts(doc: Doc) -> list[int]:
    """The token index of each sentence's start, found once per doc (`Token.sent` walks the tokens each time)."""
    starts = cache_of(doc).get("newsgraph_sentence_starts")
    if starts is None:
        starts = cache_of(doc)["newsgraph_sentence_starts"] = [s.start for s in doc.sents]
    return cast(list[int], starts)


def sentence_start_of(doc: Doc, i: int) -> int:
    """The start of the sentence of token i: `doc[i].sent.start`."""
    starts = sentence_starts(doc)
    return starts[bisect_right(starts, i) - 1]


def published_of(doc: Doc) -> date | None:
    """The article's publication date, or None when unknown."""
    value = doc._.published
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
