"""Sentences of an article with their character offsets, without a parser.

Stance needs the sentences of every body against many claims; a spaCy parse of 900 bodies costs minutes that a
regular expression does not. News sentences end at `.`, `!` or `?` (optionally closed by a quote or a bracket)
before a space and a capital, a digit or an opening quote; a line break always ends one (paragraphs, list items).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends after terminal punctuation (and closing quotes/brackets) followed by white space and something
# that can open a sentence. "U.S. officials" stays whole because the space is followed by a lower-case word.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[A-Z0-9\"'\u201c\u2018(\[])")
# A period after a title or an initial does not end the sentence ("Mr. Cooper", "John F. Kennedy").
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Jr|Sr|Rev|Mt|No|vs|Inc|Co|Corp)|\b[A-Z])\.$")
_LINE_BREAK = re.compile(r"\s*\n\s*")
# A "sentence" longer than this is split at the next comma or semicolon past it, so one run-on block of a badly
# extracted page does not swallow the article; the encoder reads 128 word pieces at most anyway.
MAX_SENTENCE_CHARS = 600
_SOFT_BREAK = re.compile(r"[;,]\s+")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """The non-blank sentences of `text`, each `text[start:end]` stripped of surrounding white space."""
    out: list[Sentence] = []
    line_start = 0
    for brk in [*_LINE_BREAK.finditer(text), None]:
        line_end = brk.start() if brk is not None else len(text)
        _split_line(text, line_start, line_end, out)
        if brk is not None:
            line_start = brk.end()
    return out


def _split_line(text: str, start: int, end: int, out: list[Sentence]) -> None:
    piece_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if _ABBREVIATION.search(text, max(start, match.start() - 5), match.start()):
            continue
        _add(text, piece_start, match.start(), out)
        piece_start = match.end()
    _add(text, piece_start, end, out)


def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while end - start > MAX_SENTENCE_CHARS:
        soft = _SOFT_BREAK.search(text, start + MAX_SENTENCE_CHARS, end)
        if soft is None:
            break
        _add_stripped(text, start, soft.start() + 1, out)
        start = soft.end()
    _add_stripped(text, start, end, out)


def _add_stripped(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
