"""The highlighted article HTML (newsgraph/server/markup.py): structure, text round-trip, marks, sentences,
escaping; and its CSS and script (the script in a headless browser, when one is installed)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.records import Document
from newsgraph.server.markup import Mark, legend, paragraphs, render_document, render_text, split_sentences

STATIC = Path(__file__).resolve().parent.parent / "newsgraph" / "server" / "static"

TEXT = (
    "Russian President Vladimir Putin told U.S. Secretary of State Antony Blinken on Monday that the talks in "
    'Istanbul had failed. "We will not retreat from Kyiv. Our troops attacked Mariupol," Gen. Valery Gerasimov '
    "said in a statement.\n\nUkrainian officials said up to 1,000 civilians were trapped in the Azovstal plant, "
    "a claim Moscow denied. <script>alert(1)</script> Mr. Zelensky urged NATO to send weapons."
)


# --- a parser that checks the nesting and records where each element lies in the text ---------------


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    start: int
    end: int = -1
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self) -> list[Node]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out


class Tree(HTMLParser):
    """Every element of the HTML with its [start, end) in the concatenated text; fails on any end tag
    that does not close the innermost open element, on self-closing tags and on unclosed elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text_parts: list[str] = []
        self.length = 0
        self.stack: list[Node] = []
        self.nodes: list[Node] = []
        self.roots: list[Node] = []
        self.feed(html)
        self.close()
        assert not self.stack, f"unclosed: {[n.tag for n in self.stack]}"
        self.text = "".join(self.text_parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.length, parent=self.stack[-1] if self.stack else None)
        (node.parent.children if node.parent else self.roots).append(node)
        self.stack.append(node)
        self.nodes.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise AssertionError(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        node = self.stack.pop()
        assert node.tag == tag, f"</{tag}> closes <{node.tag}>"
        node.end = self.length

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        self.length += len(data)

    def marks(self) -> list[Node]:
        return [n for n in self.nodes if "ng-mark" in n.classes]

    def sentences(self) -> list[Node]:
        return [n for n in self.nodes if "sent" in n.classes]


def check_structure(tree: Tree, text: str) -> None:
    """One div.ng-doc > p.para > span.sent > span.ng-mark*, text identical, sentence offsets right."""
    assert tree.text == text
    assert [r.tag for r in tree.roots] == ["div"] and tree.roots[0].classes == {"ng-doc"}
    for node in tree.nodes:
        if node.tag == "p":
            assert node.classes == {"para"} and node.parent is tree.roots[0]
        elif "sent" in node.classes:
            assert node.tag == "span" and node.parent is not None and node.parent.tag == "p"
            assert (node.attrs["data-start"], node.attrs["data-end"]) == (str(node.start), str(node.end))
        elif node is not tree.roots[0]:
            assert "ng-mark" in node.classes and node.tag == "span"
            assert not any(a.tag == "div" for a in node.ancestors()[:-1])
    ids = [n.attrs["id"] for n in tree.nodes if "id" in n.attrs]
    assert len(ids) == len(set(ids))


def covered(tree: Tree, key: tuple[str, str]) -> tuple[list[Node], set[int]]:
    """The elements of one mark (its data-record and kind class) and the text positions they cover."""
    record, cls = key
    pieces = [n for n in tree.marks() if n.attrs.get("data-record") == record and cls in n.classes]
    return pieces, {i for n in pieces for i in range(n.start, n.end)}


def in_sentences(tree: Tree) -> set[int]:
    return {i for n in tree.sentences() for i in range(n.start, n.end)}


def check_mark(tree: Tree, text: str, key: tuple[str, str], start: int, end: int) -> None:
    """The mark's pieces cover its span, less only whitespace between sentences; only the first
    piece is .ng-start and only the last .ng-end; all pieces carry the same attributes."""
    pieces, positions = covered(tree, key)
    span = set(range(start, end))
    must = {i for i in span if not text[i].isspace()} | (span & in_sentences(tree))
    assert must <= positions <= span, key
    if not must:
        return  # only whitespace between sentences: nothing to draw
    pieces.sort(key=lambda n: n.start)
    assert ("ng-start" in pieces[0].classes) == (pieces[0].start == start)
    assert ("ng-end" in pieces[-1].classes) == (pieces[-1].end == end)
    for middle in pieces[1:-1]:
        assert not {"ng-start", "ng-end"} & middle.classes
    assert len({_same_in_every_piece(p) for p in pieces}) == 1


def _same_in_every_piece(node: Node) -> tuple[object, ...]:
    attrs = sorted((k, v) for k, v in node.attrs.items() if k != "class")
    return (*attrs, frozenset(node.classes - {"ng-start", "ng-end"}))


# --- a real analysed document ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc(analyze) -> Document:
    return analyze(TEXT, published="2022-04-26")


@pytest.fixture(scope="module")
def tree(doc: Document) -> Tree:
    return Tree(str(render_document(doc)))


def expected_marks(doc: Document) -> dict[tuple[str, str], tuple[int, int]]:
    """Each record's spans, from the document itself (not from markup.document_marks)."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for s in doc.statements:
        out[(s.id, "ng-content")] = (s.content.start, s.content.end)
        for cls, span in (("ng-speaker", s.speaker), ("ng-cue", s.cue), ("ng-addressee", s.addressee)):
            if span is not None:
                out[(s.id, cls)] = (span.start, span.end)
    for ev in doc.events:
        out[(ev.id, "ng-event")] = (ev.trigger.start, ev.trigger.end)
    for i, place in enumerate(doc.places):
        out[(f"P{i + 1}", "ng-place")] = (place.start, place.end)
    for i, date in enumerate(doc.dates):
        out[(f"D{i + 1}", "ng-date")] = (date.start, date.end)
    for i, amount in enumerate(doc.amounts):
        out[(f"A{i + 1}", "ng-amount")] = (amount.start, amount.end)
    return out


def test_analysed_document_has_what_the_tests_rely_on(doc: Document) -> None:
    assert doc.statements and doc.events and doc.places and doc.dates and doc.amounts


def test_document_html_is_balanced_and_gives_back_the_text(doc: Document, tree: Tree) -> None:
    check_structure(tree, doc.text)


def test_every_record_is_marked_over_its_span(doc: Document, tree: Tree) -> None:
    for key, (start, end) in expected_marks(doc).items():
        check_mark(tree, doc.text, key, start, end)


def test_mark_attributes(doc: Document, tree: Tree) -> None:
    for s in doc.statements:
        pieces, _ = covered(tree, (s.id, "ng-content"))
        assert all(f"ng-{s.kind}" in p.classes and p.attrs["data-certainty"] == s.certainty for p in pieces)
    for ev in doc.events:
        (piece, *_), _ = covered(tree, (ev.id, "ng-event"))
        assert piece.attrs["data-type"] == ev.type and ev.type not in tree.text  # the label is not text
    for i, place in enumerate(doc.places):
        (piece, *_), _ = covered(tree, (f"P{i + 1}", "ng-place"))
        assert place.name in piece.attrs["title"] and piece.attrs.get("data-country") == place.country
    for i, date in enumerate(doc.dates):
        (piece, *_), _ = covered(tree, (f"D{i + 1}", "ng-date"))
        assert date.value in piece.attrs["title"]


def test_a_quote_over_two_sentences_is_cut_into_pieces_with_one_record(doc: Document, tree: Tree) -> None:
    sentences = [(n.start, n.end) for n in tree.sentences()]
    crossing = [s for s in doc.statements if not any(a <= s.content.start and s.content.end <= b for a, b in sentences)]
    assert crossing, "the two-sentence quote should cross a sentence break"
    for s in crossing:
        pieces, _ = covered(tree, (s.id, "ng-content"))
        assert len({id(p.parent) for p in pieces}) >= 2


def test_marks_nest_inside_statement_contents(tree: Tree) -> None:
    nested = [n for n in tree.marks() if any("ng-content" in a.classes for a in n.ancestors())]
    assert any("ng-place" in n.classes or "ng-event" in n.classes for n in nested)


def test_article_text_is_escaped(doc: Document) -> None:
    html = str(render_document(doc))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sentences_are_linked_unless_asked_not_to(doc: Document) -> None:
    linked = Tree(str(render_document(doc)))
    assert [n.attrs["id"] for n in linked.sentences()] == [f"s-{n.start}" for n in linked.sentences()]
    unlinked = Tree(str(render_document(doc, link_sentences=False)))
    assert not any("id" in n.attrs for n in unlinked.nodes)
    assert len(unlinked.sentences()) == len(linked.sentences())


# --- exact output on small inputs ---------------------------------------------------------------------


def sent(start: int, end: int, body: str) -> str:
    return f'<span class="sent" id="s-{start}" data-start="{start}" data-end="{end}">{body}</span>'


def test_overlapping_marks_are_cut_at_the_boundary() -> None:
    html = render_text("abcdefghij", [Mark(0, 6, "a"), Mark(3, 9, "b")])
    body = (
        '<span class="ng-mark a ng-start ng-end">abc<span class="ng-mark b ng-start">def</span></span>'
        '<span class="ng-mark b ng-end">ghi</span>j'
    )
    assert str(html) == f'<div class="ng-doc"><p class="para">{sent(0, 10, body)}</p></div>'


def test_nested_marks_stay_whole_and_rank_orders_equal_extents() -> None:
    marks = [Mark(2, 5, "cue", rank=2), Mark(0, 8, "content", rank=0), Mark(2, 5, "content2", rank=0)]
    html = str(render_text("abcdefgh", marks))
    assert (
        '<span class="ng-mark content ng-start ng-end">ab<span class="ng-mark content2 ng-start ng-end">'
        '<span class="ng-mark cue ng-start ng-end">cde</span></span>fgh</span>'
    ) in html


def test_a_mark_over_a_sentence_break_leaves_the_space_between_unmarked() -> None:
    text = "One two. Three four."
    tree = Tree(str(render_text(text, [Mark(4, 14, "q", (("data-record", "S1"),))])))
    check_structure(tree, text)
    pieces = [(n.start, n.end, n.classes - {"ng-mark", "q"}) for n in tree.marks()]
    assert pieces == [(4, 8, {"ng-start"}), (9, 14, {"ng-end"})]


def test_attribute_values_are_escaped() -> None:
    html = str(render_text("x", [Mark(0, 1, "m", (("title", '"><script>alert(1)</script>'),))]))
    assert "<script>" not in html and 'title="&#34;&gt;&lt;script&gt;' in html


def test_attribute_names_are_checked() -> None:
    for name in ('onclick="x" title', "class", "Data-X"):
        with pytest.raises(ValueError):
            render_text("x", [Mark(0, 1, "m", ((name, "v"),))])


def test_empty_and_out_of_range_marks_are_dropped_or_clipped() -> None:
    html = str(render_text("abc", [Mark(1, 1, "empty"), Mark(2, 99, "long"), Mark(-5, 1, "early")]))
    assert "empty" not in html
    assert '<span class="ng-mark long ng-start ng-end">c</span>' in html
    assert '<span class="ng-mark early ng-start ng-end">a</span>' in html  # clipped to the text


def test_empty_text() -> None:
    assert str(render_text("", [Mark(0, 3, "m")])) == '<div class="ng-doc"></div>'


def test_given_sentences_are_clipped_to_paragraphs_and_made_disjoint() -> None:
    text = "Aa bb\nCc dd ee"
    tree = Tree(str(render_text(text, [], sentences=[(0, 9), (7, 14), (3, 5)])))
    check_structure(tree, text)
    # (0, 9) is cut at the line break, (3, 5) lies inside it and goes, (7, 14) starts where (6, 8) ended
    assert [(n.start, n.end) for n in tree.sentences()] == [(0, 5), (6, 8), (9, 14)]


def test_legend_uses_the_mark_classes_and_is_balanced() -> None:
    html = str(legend())
    parser = Tree(f'<div class="ng-doc">{html}</div>')
    classes = {c for n in parser.nodes for c in n.classes}
    kinds = {"ng-content", "ng-direct", "ng-speaker", "ng-cue", "ng-place", "ng-date", "ng-amount", "ng-event"}
    assert kinds <= classes
    assert {n.attrs.get("data-certainty") for n in parser.nodes} >= {"claimed", "unconfirmed", "disputed", "denied"}


# --- sentences ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Smith went to Washington. He met Gen. Milley.", ["Mr. Smith went to Washington.", "He met Gen. Milley."]),
        ("The U.S. Army said so. Officials agreed.", ["The U.S. Army said so.", "Officials agreed."]),
        ("The U.N. Security Council met. It voted.", ["The U.N. Security Council met.", "It voted."]),
        ("John F. Kennedy spoke. Then he left.", ["John F. Kennedy spoke.", "Then he left."]),
        ("Dr. Jones and Sen. Warren met Lt. Col. Smith.", ["Dr. Jones and Sen. Warren met Lt. Col. Smith."]),
        ('He said: "We will win." Then he left.', ['He said: "We will win."', "Then he left."]),
        ("Talks failed. “We tried,” he said.", ["Talks failed.", "“We tried,” he said."]),
        ('"Will they come?" he asked. "No!" She left.', ['"Will they come?" he asked.', '"No!"', "She left."]),
        ("Prices rose 3.5 percent. Markets fell.", ["Prices rose 3.5 percent.", "Markets fell."]),
        ("It began at 5 p.m. on Monday and ended on Jan. 6.", ["It began at 5 p.m. on Monday and ended on Jan. 6."]),
        ("Wait... Then it happened! Why? Nobody knows.", ["Wait...", "Then it happened!", "Why?", "Nobody knows."]),
        ("it ended. and then lower case.", ["it ended. and then lower case."]),
        ("  Headline, no stop\n\n  Body one. Body two.  \n", ["Headline, no stop", "Body one.", "Body two."]),
        ("Apple Inc. said it would. Shares fell.", ["Apple Inc. said it would.", "Shares fell."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == sentences


def test_paragraphs_are_lines() -> None:
    text = "One.\r\nTwo.\n\n \nThree."
    assert [text[a:b] for a, b in paragraphs(text)] == ["One.", "Two.", "Three."]


# --- properties ---------------------------------------------------------------------------------------

ALPHABET = st.sampled_from([*"ab A.?!\n\t<>&\"'”“é\r", "Mr. ", "U.S. ", ". ", "&amp;", "</span>"])


@st.composite
def texts_and_marks(draw: st.DrawFn) -> tuple[str, list[Mark], list[tuple[int, int]] | None]:
    text = "".join(draw(st.lists(ALPHABET, max_size=40)))
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=8))
    marks = [
        Mark(min(a, b), max(a, b), f"k{i % 3}", (("data-record", f"R{i}"), ("title", text[:5])), rank=i % 4)
        for i, (a, b) in enumerate(spans)
    ]
    sentences = draw(st.none() | st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=4))
    if sentences is not None:
        sentences = [(min(a, b), max(a, b)) for a, b in sentences]
    return text, marks, sentences


@settings(max_examples=300, deadline=None)
@given(texts_and_marks())
def test_any_text_and_marks_give_balanced_html_and_the_same_text(
    case: tuple[str, list[Mark], list[tuple[int, int]] | None],
) -> None:
    text, marks, sentences = case
    tree = Tree(str(render_text(text, marks, sentences)))
    check_structure(tree, text)
    for i, m in enumerate(marks):
        if m.start < m.end:
            check_mark(tree, text, (f"R{i}", m.classes), m.start, m.end)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=80))
def test_any_unicode_text_round_trips(text: str) -> None:
    tree = Tree(str(render_text(text, [Mark(0, len(text) // 2, "m")])))
    check_structure(tree, text)


# --- CSS and script -----------------------------------------------------------------------------------


def test_css_styles_every_class_the_markup_uses() -> None:
    css = (STATIC / "markup.css").read_text(encoding="utf-8")
    for cls in ("ng-content", "ng-direct", "ng-indirect", "ng-mixed", "ng-speaker", "ng-cue", "ng-addressee",
                "ng-channel", "ng-place", "ng-date", "ng-amount", "ng-event", "ng-start", "ng-end", "ng-selected"):
        assert re.search(rf"\.{cls}\b", css), cls
    assert ".sent.active" in css and "attr(data-type)" in css
    for certainty in ("claimed", "hedged", "unconfirmed", "denied", "disputed"):
        assert f'[data-certainty="{certainty}"]' in css
    assert "url(" not in css and "@import" not in css  # nothing from the network


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="no chromium on this machine")
def test_script_in_a_browser(doc: Document, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    for name in ("markup.css", "markup.js"):
        shutil.copy(STATIC / name, tmp_path / name)
    items = "".join(f'<li data-record="{s.id}">{s.id}</li>' for s in doc.statements)
    head = '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="markup.css"></head>'
    (tmp_path / "doc.html").write_text(
        f'{head}<body>{legend()}{render_document(doc)}<ul id="side">{items}</ul><script src="markup.js"></script>'
        "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "empty.html").write_text(f'{head}<body><p>none</p><script src="markup.js"></script></body></html>')
    errors: list[str] = []
    second = doc.statements[1].id
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def active() -> list[str]:
            return list(page.eval_on_selector_all(".sent.active", "els => els.map(e => e.id)"))

        for query in ("", "?record=S1", "#s-0"):
            page.goto((tmp_path / "empty.html").as_uri() + query)
        page.goto((tmp_path / "doc.html").as_uri() + "?record=S1")
        assert active() == ["s-0"]
        page.goto((tmp_path / "doc.html").as_uri() + "#s-0")
        assert active() == ["s-0"]
        page.click(f'#side [data-record="{second}"]')
        sentences_of_second = active()
        assert sentences_of_second and page.is_visible(f"#{sentences_of_second[0]}")
        page.click('.ng-doc [data-record="P1"]')
        place_sentence = page.eval_on_selector('.ng-doc [data-record="P1"]', "e => e.closest('.sent').id")
        assert active() == [place_sentence]
        # a content is mostly covered by the marks inside it: click it from the script
        page.eval_on_selector(f'.ng-doc .ng-content[data-record="{second}"]', "e => e.click()")
        assert page.eval_on_selector(f'#side [data-record="{second}"]', "e => e.classList.contains('ng-selected')")
        browser.close()
    assert errors == []
