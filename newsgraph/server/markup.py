"""An analysed article as highlighted HTML, in the manner of displaCy's entity view.

`render_document(doc)` returns the article text, HTML-escaped, cut into paragraphs (`<p class="para">`)
and sentences (`<span class="sent" id="s-{start}">`), with a `<span class="ng-mark ...">` around every
statement part (content, speaker, cue, addressee, channel), place, date, amount and event trigger. Each
mark carries `data-record` (`S3`, `V2`, `P1`, `D1`, `A1`) so that `static/markup.js` can join a mark
to its record in a side list and back.

Spans overlap and nest freely (a place inside a quote, a quote over two sentences, a speaker inside
a mixed quote), and HTML elements may not. So the text is cut at every span boundary, and for each
piece between two boundaries the set of open elements is made to equal the set of spans covering it,
ordered outermost first: paragraph, sentence, then marks by (start, -end, rank). Going from one piece
to the next, elements past the common prefix of the old and new stacks are closed and the new ones
opened. Every element opened is closed, in reverse order, so the output is balanced by construction;
a span cut into several elements keeps its classes and `data-record` on each, and only its first
and last element get `ng-start` / `ng-end` (rounded ends, the event label).

Nothing here writes article text into the HTML other than through `markupsafe.escape`, and labels
(the PLOVER type of an event) live in attributes shown by CSS (`::after { content: attr(...) }`), so
the text nodes of the output are exactly `Document.text`.

Sentences are not stored in a `Document`; `split_sentences` is a small rule-based splitter (break
after .?! followed by a space and a capital or an opening quote, except after common abbreviations
and initials), or the caller passes its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from markupsafe import Markup, escape

from newsgraph.lexicons import table
from newsgraph.records import Amount, DateRef, Document, Event, Place, Statement

__all__ = [
    "Mark",
    "amount_id",
    "country_name",
    "date_id",
    "document_marks",
    "legend",
    "paragraphs",
    "place_id",
    "render_document",
    "render_text",
    "split_sentences",
]

# --- paragraphs and sentences -------------------------------------------------------------------------

# Words that end in a period without ending the sentence, lower-cased and without their last period.
# Mostly titles before names (a capital follows, so the period alone cannot tell). Months and "No."
# are left out: they are followed by a number, which never starts a sentence here.
_ABBREVIATION_WORDS = """mr mrs ms messrs mmes dr prof gen lt col maj capt cpt sgt cpl pvt adm cmdr cdr brig gov sen
    rep reps rev fr sr jr st mt ft hon pres amb supt insp det atty vs v approx dept est inc corp co ltd
    bros e.g i.e cf al"""
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())

_LINE = re.compile(r"[^\r\n]+")
# A sentence end: a run of .?!… and any closing quotes or brackets, then whitespace.
_END = re.compile(r"[.?!…]+[\"'”’»)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"[\w.]+$")
_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # U.S, U.N, D.C, a.m (its last period is the match)
_OPENERS = "\"“‘'«(["


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of text, trimmed of surrounding whitespace; blank lines are skipped.

    News text from readers and feeds has one paragraph a line, so every newline ends a paragraph."""
    out = []
    for m in _LINE.finditer(text):
        start, end = _trim(text, m.start(), m.end())
        if start < end:
            out.append((start, end))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text, trimmed; a sentence never runs over a paragraph break."""
    out: list[tuple[int, int]] = []
    for pstart, pend in paragraphs(text):
        out.extend(_sentences_in(text, pstart, pend))
    return out


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    begin = start
    for m in _END.finditer(text, start, end):
        nxt = _next_non_space(text, m.end(), end)
        if nxt >= end or not _starts_sentence(text[nxt]) or _is_abbreviation(text, begin, m):
            continue
        out.append((begin, m.end()))
        begin = nxt
    out.append((begin, end))
    return out


def _next_non_space(text: str, i: int, end: int) -> int:
    while i < end and text[i].isspace():
        i += 1
    return i


def _starts_sentence(char: str) -> bool:
    return char.isupper() or char in _OPENERS


def _is_abbreviation(text: str, begin: int, end_match: re.Match[str]) -> bool:
    """True when the period of `end_match` closes an abbreviation, an initial or an initialism."""
    if end_match.group() != ".":
        return False  # "?", "!", "..." and a period before a closing quote do end sentences
    word = _WORD_BEFORE.search(text, begin, end_match.start())
    if word is None:
        return False
    token = word.group()
    if token.casefold() in ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isupper():
        return True  # an initial: "John F. Kennedy"
    return _INITIALISM.fullmatch(token) is not None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- marks ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One highlighted stretch `text[start:end]`. `classes` and `attrs` go on every element it is cut
    into; `rank` orders marks of the same extent, lower outside (a statement's content holds its cue)."""

    start: int
    end: int
    classes: str
    attrs: tuple[tuple[str, str], ...] = ()
    rank: int = 5


def place_id(index: int) -> str:
    """Record id of `doc.places[index]` in `data-record` (places, dates and amounts have no id of their own)."""
    return f"P{index + 1}"


def date_id(index: int) -> str:
    """Record id of `doc.dates[index]`."""
    return f"D{index + 1}"


def amount_id(index: int) -> str:
    """Record id of `doc.amounts[index]`."""
    return f"A{index + 1}"


_KIND_NAMES = {"direct": "direct quote", "indirect": "reported speech", "mixed": "partly quoted"}


def document_marks(doc: Document) -> list[Mark]:
    """Every mark `render_document` draws for `doc`."""
    marks: list[Mark] = []
    for st in doc.statements:
        marks.extend(statement_marks(st))
    marks.extend(event_mark(ev) for ev in doc.events)
    marks.extend(place_mark(p, place_id(i)) for i, p in enumerate(doc.places))
    marks.extend(date_mark(d, date_id(i)) for i, d in enumerate(doc.dates))
    marks.extend(amount_mark(a, amount_id(i)) for i, a in enumerate(doc.amounts))
    return marks


def statement_marks(st: Statement) -> list[Mark]:
    """The content, speaker, addressee, cue and channel of a statement, all with its id."""
    record = ("data-record", st.id)
    who = st.speaker.name if st.speaker else "unknown source"
    content_title = f"{st.id} · {_KIND_NAMES.get(st.kind, st.kind)} · {st.certainty} · {who}"
    marks = [
        Mark(
            st.content.start,
            st.content.end,
            f"ng-content ng-{st.kind}",
            (record, ("data-certainty", st.certainty), ("title", content_title)),
            rank=0,
        )
    ]
    for role, actor in (("speaker", st.speaker), ("addressee", st.addressee)):
        if actor is not None:
            attrs = [record, ("title", f"{actor.name} ({role} of {st.id})")]
            if actor.id:
                attrs.append(("data-entity", actor.id))
            marks.append(Mark(actor.start, actor.end, f"ng-{role}", tuple(attrs), rank=1))
    if st.cue is not None:
        cue_title = f"cue of {st.id}" + (f" ({st.cue_class})" if st.cue_class else "")
        marks.append(Mark(st.cue.start, st.cue.end, "ng-cue", (record, ("title", cue_title)), rank=2))
    if st.channel is not None:
        channel_attrs = (record, ("title", f"channel of {st.id}"))
        marks.append(Mark(st.channel.start, st.channel.end, "ng-channel", channel_attrs, rank=2))
    return marks


def event_mark(ev: Event) -> Mark:
    """The trigger of an event; its PLOVER type is shown as a label by CSS from `data-type`."""
    actors = ", ".join(a.name for a in ev.actors) or "?"
    recipients = ", ".join(a.name for a in ev.recipients)
    title = f"{ev.id} {ev.type}" + (f" ({ev.mode})" if ev.mode else "") + f" · {actors}"
    title += f" → {recipients}" if recipients else ""
    title += f" · {ev.certainty}" + (f" · per {ev.source}" if ev.source else "")
    attrs = [("data-record", ev.id), ("data-type", ev.type), ("data-certainty", ev.certainty), ("title", title)]
    if ev.source:
        attrs.append(("data-source", ev.source))
    return Mark(ev.trigger.start, ev.trigger.end, "ng-event", tuple(attrs), rank=3)


def place_mark(place: Place, record: str) -> Mark:
    """A place, with the resolved name, feature, country and coordinates in its tooltip."""
    where = f"{place.name} ({place.feature}"
    if place.country and place.feature != "country":
        where += f", {country_name(place.country)}"
    where += ")"
    attrs = [("data-record", record)]
    if place.country:
        attrs.append(("data-country", place.country))
    if place.lat is not None and place.lon is not None:
        attrs += [("data-lat", f"{place.lat:g}"), ("data-lon", f"{place.lon:g}")]
        where += f" · {_degrees(place.lat, 'N', 'S')} {_degrees(place.lon, 'E', 'W')}"
    attrs.append(("title", where))
    return Mark(place.start, place.end, "ng-place", tuple(attrs), rank=4)


def date_mark(date: DateRef, record: str) -> Mark:
    title = date.value + (" (from the publication date)" if date.relative else "")
    attrs = (("data-record", record), ("data-value", date.value), ("title", title))
    return Mark(date.start, date.end, "ng-date", attrs, rank=4)


def amount_mark(amount: Amount, record: str) -> Mark:
    value = f"{amount.value:,.0f}" if float(amount.value).is_integer() else f"{amount.value:,}"
    title = " ".join(x for x in (amount.approximation, value, amount.unit) if x)
    attrs = (("data-record", record), ("data-value", f"{amount.value:g}"), ("data-unit", amount.unit), ("title", title))
    return Mark(amount.start, amount.end, "ng-amount", attrs, rank=4)


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.2f}°{positive if value >= 0 else negative}"


@cache
def _country_names() -> dict[str, str]:
    try:
        return {row["iso2"]: row["name"] for row in table("countries.tsv")}
    except FileNotFoundError:  # a trimmed install without the places data still renders, with codes
        return {}


def country_name(code: str) -> str:
    """English name of an ISO alpha-2 country code, or the code when it is unknown."""
    return _country_names().get(code, code)


# --- rendering ------------------------------------------------------------------------------------------

_PARA, _SENT, _MARK = 0, 1, 2  # nesting levels: lower levels are always outside higher ones


@dataclass(frozen=True, eq=False)
class _Element:
    tag: str
    start: int
    end: int
    level: int
    classes: str
    attrs: tuple[tuple[str, str], ...]
    rank: int
    seq: int  # input order: the last tie-break, so that the nesting order is total and stable

    def order(self) -> tuple[int, int, int, int, int]:
        return (self.level, self.start, -self.end, self.rank, self.seq)


@dataclass(eq=False)
class _Piece:
    """One HTML element drawn for (part of) an element; its end is known only when it is closed."""

    element: _Element
    start: int
    end: int = -1
    closing: bool = False

    def open_tag(self) -> str:
        e = self.element
        classes = e.classes
        if e.level == _MARK:
            classes = "ng-mark " + classes
            classes += " ng-start" if self.start == e.start else ""
            classes += " ng-end" if self.end == e.end else ""
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in e.attrs)
        return f'<{e.tag} class="{escape(classes)}"{attrs}>'


def render_text(
    text: str,
    marks: Iterable[Mark],
    sentences: Sequence[tuple[int, int]] | None = None,
    *,
    link_sentences: bool = True,
) -> Markup:
    """`text` as escaped HTML with paragraphs, sentences and `marks`; see the module docstring.

    `sentences` default to `split_sentences(text)`; given ones are clipped to paragraphs and made
    disjoint. With `link_sentences` each sentence gets `id="s-{start}"` (leave it off to put the same
    text twice on a page without duplicate ids)."""
    elements = _structure(text, sentences, link_sentences)
    elements += _mark_elements(text, marks, first_seq=len(elements))
    body = _render_elements(text, elements)
    return Markup(f'<div class="ng-doc">{body}</div>')


def render_document(
    doc: Document, *, link_sentences: bool = True, sentences: Sequence[tuple[int, int]] | None = None
) -> Markup:
    """The text of `doc` as highlighted HTML (see the module docstring for the structure and classes)."""
    return render_text(doc.text, document_marks(doc), sentences, link_sentences=link_sentences)


def _structure(text: str, sentences: Sequence[tuple[int, int]] | None, link: bool) -> list[_Element]:
    paras = paragraphs(text)
    sents = split_sentences(text) if sentences is None else _clip_sentences(text, sentences, paras)
    out = [_Element("p", s, e, _PARA, "para", (), 0, i) for i, (s, e) in enumerate(paras)]
    for s, e in sents:
        attrs: tuple[tuple[str, str], ...] = (("data-start", str(s)), ("data-end", str(e)))
        if link:
            attrs = (("id", f"s-{s}"), *attrs)
        out.append(_Element("span", s, e, _SENT, "sent", attrs, 0, len(out)))
    return out


def _clip_sentences(
    text: str, sentences: Sequence[tuple[int, int]], paras: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Given sentences cut at paragraph breaks, trimmed, and made disjoint (a later one starts where an
    earlier one ends), so that they nest in paragraphs and never in each other."""
    out: list[tuple[int, int]] = []
    done = 0
    for start, end in sorted(sentences):
        for pstart, pend in paras:
            s, e = _trim(text, max(start, pstart, done), min(end, pend))
            if s < e:
                out.append((s, e))
                done = e
    return out


_ATTR_NAME = re.compile(r"[a-z][a-z0-9-]*")


def _mark_elements(text: str, marks: Iterable[Mark], first_seq: int) -> list[_Element]:
    out = []
    for i, m in enumerate(marks):
        bad = [name for name, _ in m.attrs if not _ATTR_NAME.fullmatch(name) or name == "class"]
        if bad:  # names are written as they are (values are escaped): only plain ones may pass
            raise ValueError(f"attribute names not allowed on a mark: {bad}")
        start, end = max(m.start, 0), min(m.end, len(text))
        if start < end:
            out.append(_Element("span", start, end, _MARK, m.classes, m.attrs, m.rank, first_seq + i))
    return out


def _render_elements(text: str, elements: list[_Element]) -> str:
    """Cut `text` at every element boundary and emit, per piece, the tags that make the open
    elements equal to the elements covering the piece (outermost first)."""
    starts: dict[int, list[_Element]] = defaultdict(list)
    ends: dict[int, list[_Element]] = defaultdict(list)
    for e in elements:
        starts[e.start].append(e)
        ends[e.end].append(e)
    bounds = sorted({0, len(text), *starts, *ends})
    active: set[_Element] = set()
    stack: list[_Piece] = []
    tokens: list[str | _Piece] = []
    for a, b in pairwise(bounds):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        wanted = _wanted(sorted(active, key=_Element.order), text[a:b])
        keep = _common_prefix(stack, wanted)
        _close(stack, keep, a, tokens)
        for e in wanted[keep:]:
            piece = _Piece(e, a)
            stack.append(piece)
            tokens.append(piece)
        tokens.append(str(escape(text[a:b])))
    _close(stack, 0, len(text), tokens)
    return "".join(_token_html(t) for t in tokens)


def _wanted(covering: list[_Element], piece: str) -> list[_Element]:
    """Whitespace between sentences or paragraphs gets no marks: a quote over two sentences is drawn
    as one mark in each, not as a third over the space between them."""
    if piece.isspace() and not any(e.level == _SENT for e in covering):
        return [e for e in covering if e.level < _MARK]
    return covering


def _common_prefix(stack: list[_Piece], wanted: list[_Element]) -> int:
    n = 0
    while n < len(stack) and n < len(wanted) and stack[n].element is wanted[n]:
        n += 1
    return n


def _close(stack: list[_Piece], keep: int, at: int, tokens: list[str | _Piece]) -> None:
    while len(stack) > keep:
        piece = stack.pop()
        piece.end = at
        tokens.append(_Piece(piece.element, piece.start, at, closing=True))


def _token_html(token: str | _Piece) -> str:
    if isinstance(token, str):
        return token
    return f"</{token.element.tag}>" if token.closing else token.open_tag()


# --- legend ---------------------------------------------------------------------------------------------

_LEGEND_MARKS = (
    ("ng-content ng-direct", (), "direct quote"),
    ("ng-content ng-indirect", (), "reported speech"),
    ("ng-content ng-mixed", (), "partly quoted"),
    ("ng-speaker", (), "speaker"),
    ("ng-cue", (), "cue"),
    ("ng-addressee", (), "addressee"),
    ("ng-channel", (), "channel"),
    ("ng-event", (("data-type", "TYPE"),), "event"),
    ("ng-place", (), "place"),
    ("ng-date", (), "date"),
    ("ng-amount", (), "amount"),
)

_LEGEND_CERTAINTY = (
    ("claimed", "claimed: a stance cue (claimed, alleged, insisted)"),
    ("hedged", "hedged: may, reportedly, possibly"),
    ("unconfirmed", "unconfirmed: the text says it could not be verified"),
    ("denied", "denied by another source"),
    ("disputed", "disputed by another source"),
)


def legend() -> Markup:
    """A key to the mark colours and certainty styles, drawn with the same classes as the marks."""
    items = [_legend_item(classes, attrs, label) for classes, attrs, label in _LEGEND_MARKS]
    certainty = [
        _legend_item("ng-content ng-indirect", (("data-certainty", value),), label)
        for value, label in _LEGEND_CERTAINTY
    ]
    return Markup(
        '<div class="ng-legend"><ul class="ng-legend-marks">{}</ul><ul class="ng-legend-certainty">{}</ul></div>'
    ).format(Markup("").join(items), Markup("").join(certainty))


def _legend_item(classes: str, attrs: tuple[tuple[str, str], ...], label: str) -> Markup:
    attr_html = Markup("").join(Markup(' {}="{}"').format(Markup(name), value) for name, value in attrs)
    return Markup('<li><span class="ng-mark {} ng-start ng-end"{}>{}</span></li>').format(classes, attr_html, label)
