"""What a component may read about a Doc besides its tokens: its text and its publication date.

`Doc.text` rebuilds the string from its tokens on every access, so components read it once through
`text_of`. The publication date is set by the caller (`Analyzer`) on `doc._.published` before the
pipeline runs, so that relative dates ("last month") can be resolved against it.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

_KEY = "newsgraph_text"

if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def published_of(doc: Doc) -> date | None:
    """The article's publication date, or None when unknown."""
    value = doc._.published
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
