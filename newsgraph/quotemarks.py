"""Find quoted stretches of text by their quote marks (straight, curly, guillemets).

Pure text processing with no spaCy dependency, so it can be property-tested on its own.
A straight double quote opens when it follows a space, a line start or an opening bracket and is
followed by a non-space; otherwise it closes. Wire copy mixes styles (`“pro-war factions"`), so any
opening mark may be closed by any closing mark. A quote left open at a paragraph end is closed there:
the convention for a quotation running over several paragraphs is to reopen it on each.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENING_MARKS = "“«„"
CLOSING_MARKS = "”»"
STRAIGHT = '"'
ALL_MARKS = OPENING_MARKS + CLOSING_MARKS + STRAIGHT
_OPENING_CONTEXT = "([{—–-/\u00a0"


@dataclass(frozen=True)
class Quote:
    """A quotation: `start`/`end` bound the text inside the marks, `open`/`close` the marks too."""

    start: int
    end: int
    open: int
    close: int
    closed: bool = True


def _role(text: str, i: int) -> str:
    ch = text[i]
    if ch in OPENING_MARKS:
        return "open"
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in CLOSING_MARKS:
        # A closing mark at a line start, before a word, is a mistyped opener (”Fear. I am ...”).
        return "open" if before == "\n" and after.isalnum() else "close"
    if (before.isspace() or before in _OPENING_CONTEXT) and not after.isspace():
        return "open"
    return "close"


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in `text`, in order, non-overlapping."""
    quotes: list[Quote] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and open_at is not None:
            # An unclosed quote ends with its paragraph.
            if i - open_at > 1:
                quotes.append(Quote(open_at + 1, i, open_at, i, closed=False))
            open_at = None
            continue
        if ch not in ALL_MARKS:
            continue
        role = _role(text, i)
        if role == "open":
            if open_at is not None and ch == STRAIGHT:
                # Two straight openers in a row: the second one must be a closer glued to a word.
                role = "close"
            else:
                open_at = i
                continue
        if role == "close" and open_at is not None:
            if i - open_at > 1:
                quotes.append(Quote(open_at + 1, i, open_at, i + 1))
            open_at = None
    if open_at is not None and len(text) - open_at > 1:
        quotes.append(Quote(open_at + 1, len(text), open_at, len(text), closed=False))
    return quotes
