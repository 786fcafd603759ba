"""`Doc.text` rebuilds the string from its tokens on every access; components read it once."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "newsgraph_text"


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text
