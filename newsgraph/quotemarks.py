"""Find quoted stretches of text by their quote marks (straight, curly, guillemets).

Pure text processing with no spaCy dependency, so it can be property-tested on its own.
A straight double quote opens when it follows a space, a line start or an opening bracket and is
followed by a non-space; otherwise it closes. Wire copy mixes styles (`“pro-war factions"`), so any
opening mark may be closed by any closing mark. A quote left open at a paragraph end is closed there:
the convention for a quotation running over several paragraphs is to reopen it on each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING_MARKS = "“«„"
CLOSING_MARKS = "”»"
STRAIGHT = '"'
ALL_MARKS = OPENING_MARKS + CLOSING_MARKS + STRAIGHT
# A token that is a quote mark; "''" is two apostrophes written for a double quote (NYT archive copy).
QUOTE_TOKENS = frozenset(ALL_MARKS) | {"''"}
_OPENING_CONTEXT = "([{—–-/\u00a0"
_MARK_OR_BREAK = re.compile("[\n'" + re.escape(ALL_MARKS) + "]")


@dataclass(frozen=True)
class Quote:
    """A quotation: `start`/`end` bound the text inside the marks, `open`/`close` the marks too."""

    start: int
    end: int
    open: int
    close: int
    closed: bool = True


def _role(text: str, i: int, width: int = 1) -> str:
    ch = text[i]
    if ch in OPENING_MARKS:
        return "open"
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + width] if i + width < len(text) else " "
    if ch in CLOSING_MARKS:
        # A closing mark at a line start, before a word, is a mistyped opener (”Fear. I am ...”).
        return "open" if before == "\n" and after.isalnum() else "close"
    if (before.isspace() or before in _OPENING_CONTEXT) and not after.isspace():
        return "open"
    return "close"


def is_apostrophe_pair(text: str, i: int) -> bool:
    """Two apostrophes standing for a double quote mark ('\'\'Yes,\'\' he said'): the ASCII convention
    of TeX and of typewritten and archived newspaper copy (the New York Times archive writes every
    quotation so)."""
    return text.startswith("''", i) and not text.startswith("'", i + 2) and (i == 0 or text[i - 1] != "'")


def find_quotes(text: str, apostrophe_pairs: bool = True) -> list[Quote]:
    """Every outermost quotation in `text`, in order, non-overlapping. A quotation inside a closed
    quotation ('"... the question: “As you know ...” ..."') belongs to the outer one; inside a mark
    left open to the paragraph's end, the inner quotations are the ones kept. With `apostrophe_pairs`,
    two apostrophes are a straight double quote mark."""
    quotes: list[Quote] = []
    stack: list[int] = []  # offsets of the open marks, outermost first
    inner: list[Quote] = []  # complete quotations one level inside the outermost open one

    def width(at: int) -> int:
        return 2 if text[at] == "'" else 1

    skip = -1
    # only line breaks, apostrophes and quote marks do anything: jump from one to the next
    for found in _MARK_OR_BREAK.finditer(text):
        i, ch = found.start(), found.group()
        if i <= skip:
            continue
        if ch == "\n" and stack:
            # An unclosed quote ends with its paragraph.
            if inner:
                quotes.extend(inner)
            elif i - stack[0] > width(stack[0]):
                quotes.append(Quote(stack[0] + width(stack[0]), i, stack[0], i, closed=False))
            stack.clear()
            inner.clear()
            continue
        pair = ch == "'" and apostrophe_pairs and is_apostrophe_pair(text, i)
        if ch not in ALL_MARKS and not pair:
            continue
        mark = 2 if pair else 1
        skip = i + mark - 1
        role = _role(text, i, mark)
        straight = ch == STRAIGHT or pair
        if role == "open" and stack and straight and text[stack[-1]] in {STRAIGHT, "'"}:
            role = "close"  # two straight openers in a row: the second closes, glued to a word
        if role == "open":
            stack.append(i)
            continue
        if not stack:
            continue  # a stray closing mark
        opened = stack.pop()
        start = opened + width(opened)
        if i - start <= 0:
            continue
        if not stack:
            quotes.append(Quote(start, i, opened, i + mark))
            inner.clear()
        elif len(stack) == 1:
            inner.append(Quote(start, i, opened, i + mark))
    if stack:
        if inner:
            quotes.extend(inner)
        elif len(text) - stack[0] > width(stack[0]):
            quotes.append(Quote(stack[0] + width(stack[0]), len(text), stack[0], len(text), closed=False))
    return quotes
