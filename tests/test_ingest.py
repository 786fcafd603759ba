"""The ingest readers without a network: HTML pages, JSON Lines, folders, web archives and article ids."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.ingest import ArticleInput, InputProblem, Item, read_inputs, read_sources
from newsgraph.ingest.html import NO_ARTICLE_TEXT, decode_html
from newsgraph.ingest.ids import MAX_STEM_BYTES, MAX_STEM_CHARS, is_safe_stem, safe_stem, stem_from_url
from newsgraph.ingest.text import text_article

PARAGRAPHS = [
    "The harbour council voted seven to two on Tuesday night to build a concrete flood wall along the eastern "
    "quay, ending a debate that has divided the town for almost three years.",
    "\u201cWe cannot keep filling sandbags every winter and hoping for the best,\u201d said council leader Tom "
    "Reyes, who proposed the scheme. He said the wall would protect more than 400 homes and the fish market.",
    "Opponents argued that the wall, expected to cost 12 million pounds, would cut the old town off from the "
    "sea. Shop owner Helen Marsh told the meeting that visitors came \u201cfor the view, not for a concrete "
    "barrier\u201d.",
    "Work is due to start in September and to finish before the winter of 2026, according to the council\u2019s "
    "engineering department.",
]


def news_page(title: str = "Harbour council approves flood wall", *, paragraphs: list[str] | None = None,
              site: str | None = "The Coastal Herald", author: str | None = "Maria Okafor",
              published: str | None = "2024-03-05", canonical: str | None = None, charset: str = "utf-8") -> str:
    """A small news page as a CMS would write it: navigation, an article with meta tags, a footer."""
    head = [f'<meta charset="{charset}">', f"<title>{title}{' | ' + site if site else ''}</title>"]
    if site:
        head.append(f'<meta property="og:site_name" content="{site}">')
    if author:
        head.append(f'<meta name="author" content="{author}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}T09:30:00+00:00">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    body = "\n".join(f"<p>{p}</p>" for p in (PARAGRAPHS if paragraphs is None else paragraphs))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n" + "\n".join(head) + "\n</head>\n<body>\n"
            '<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>\n'
            f"<article>\n<h1>{title}</h1>\n{body}\n</article>\n"
            "<footer><p>\u00a9 2024 All rights reserved.</p></footer>\n</body>\n</html>\n")


LOGIN_PAGE = ('<!DOCTYPE html><html><head><title>Log in</title></head><body><nav><a href="/">Home</a></nav>'
              '<form><input name="user"><button>Log in</button></form></body></html>')


def articles(items: list[Item]) -> list[ArticleInput]:
    return [item for item in items if isinstance(item, ArticleInput)]


def problems(items: list[Item]) -> list[InputProblem]:
    return [item for item in items if isinstance(item, InputProblem)]


# --- HTML pages ---------------------------------------------------------------------------------------------

def test_html_page_gives_text_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "flood-wall.html"
    page.write_text(news_page(canonical="https://coastalherald.example/news/flood-wall"), encoding="utf-8")
    [item] = list(read_sources([str(page)]))
    assert isinstance(item, ArticleInput)
    assert item.stem == "flood-wall" and item.source == str(page)
    assert PARAGRAPHS[0] in item.text and PARAGRAPHS[3] in item.text and "Sport" not in item.text
    article = item.article
    assert article.id == "flood-wall"
    assert article.title == "Harbour council approves flood wall"
    assert article.published == "2024-03-05"
    assert article.author == "Maria Okafor"
    assert article.publisher == "The Coastal Herald"
    assert article.url == "https://coastalherald.example/news/flood-wall"


def test_published_argument_overrides_the_page_date(tmp_path: Path) -> None:
    page = tmp_path / "a.htm"
    page.write_text(news_page(), encoding="utf-8")
    [item] = list(read_sources([str(page)], published="2024-04-01"))
    assert isinstance(item, ArticleInput) and item.article.published == "2024-04-01"


def test_page_without_a_date_has_none_rather_than_a_guess(tmp_path: Path) -> None:
    page = tmp_path / "undated.html"
    page.write_text(news_page(published=None), encoding="utf-8")  # the footer's "© 2024" is no date
    [item] = list(read_sources([str(page)]))
    assert isinstance(item, ArticleInput) and item.article.published is None


def test_page_without_article_text_is_one_problem(tmp_path: Path) -> None:
    page = tmp_path / "login.html"
    page.write_text(LOGIN_PAGE, encoding="utf-8")
    assert list(read_sources([str(page)])) == [InputProblem(str(page), NO_ARTICLE_TEXT)]


def test_extraction_failure_is_one_problem_not_an_exception(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(html: str, url: str | None = None) -> None:
        raise RuntimeError("lxml gave up\non this page")

    monkeypatch.setattr("newsgraph.ingest.html.extract_page", explode)
    page = tmp_path / "odd.html"
    page.write_text(news_page(), encoding="utf-8")
    assert list(read_sources([str(page)])) == [
        InputProblem(str(page), "cannot extract the page: RuntimeError: lxml gave up on this page")]


def test_text_file_holding_html_is_read_as_a_page(tmp_path: Path) -> None:
    saved = tmp_path / "saved-page.txt"
    saved.write_text(news_page(), encoding="utf-8")
    [item] = list(read_sources([str(saved)]))
    assert isinstance(item, ArticleInput) and "<p>" not in item.text and item.article.author == "Maria Okafor"


def test_stdin_holding_a_page_is_read_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(news_page().encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    [item] = list(read_sources(["-"]))
    assert isinstance(item, ArticleInput) and item.stem == "stdin" and item.source == "-"
    assert item.article.title == "Harbour council approves flood wall"


def test_page_charset_comes_from_its_meta_tag(tmp_path: Path) -> None:
    page = tmp_path / "latin.html"
    french = "Le ministre a d\u00e9clar\u00e9 mardi que la digue serait achev\u00e9e avant l\u2019hiver. " * 3
    page.write_bytes(news_page(paragraphs=[french], charset="windows-1252").encode("cp1252"))
    [item] = list(read_sources([str(page)]))
    assert isinstance(item, ArticleInput) and "d\u00e9clar\u00e9" in item.text and "l\u2019hiver" in item.text


def test_decode_html_prefers_the_http_charset_and_reads_latin1_as_windows_1252() -> None:
    assert decode_html(b"<p>caf\xe9 \x93quoted\x94</p>", "ISO-8859-1") == "<p>caf\u00e9 \u201cquoted\u201d</p>"
    assert decode_html(b'<meta charset="koi8-r"><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>', "utf-8") \
        == '<meta charset="koi8-r"><p>\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd</p>'
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "latin-1") == "<p>caf\u00e9</p>"


# --- JSON Lines ---------------------------------------------------------------------------------------------

def test_jsonl_bad_line_is_a_problem_and_the_file_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "batch.jsonl"
    src.write_text("{not json}\n" + json.dumps({"id": "x2", "text": PARAGRAPHS[0], "author": "Ann Lee"}) + "\n",
                   encoding="utf-8")
    first, second = read_sources([str(src)])
    assert isinstance(first, InputProblem) and first.source == f"{src}:1" and "not valid JSON" in first.message
    assert isinstance(second, ArticleInput) and second.source == f"{src}:2"
    assert second.text == PARAGRAPHS[0] and second.article.author == "Ann Lee"


def test_jsonl_html_record_is_extracted_and_its_own_metadata_wins(tmp_path: Path) -> None:
    records = [
        {"id": "wall", "html": news_page(), "title": "Flood wall vote", "published": "2024-03-06"},
        {"html": news_page(author=None), "url": "https://coastalherald.example/news/wall?page=2"},
        {"id": "empty", "html": LOGIN_PAGE},
    ]
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    first, second, third = read_sources([str(src)])
    assert isinstance(first, ArticleInput) and PARAGRAPHS[1] in first.text
    assert first.stem == first.article.id == "wall"
    assert first.article.title == "Flood wall vote" and first.article.published == "2024-03-06"
    assert first.article.author == "Maria Okafor" and first.article.publisher == "The Coastal Herald"
    assert isinstance(second, ArticleInput) and second.article.url == records[1]["url"]
    assert second.stem.startswith("coastalherald-example-news-wall-") and second.article.author is None
    assert third == InputProblem(f"{src}:3", NO_ARTICLE_TEXT)


def test_jsonl_record_without_text_or_id_is_a_problem(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text(json.dumps({"id": "a"}) + "\n" + json.dumps({"text": "no id, no url"}) + "\n"
                   + json.dumps({"id": "../x", "text": "t"}) + "\n", encoding="utf-8")
    messages = [item.message for item in problems(list(read_sources([str(src)])))]
    assert messages == ["article has no 'text' (or it is empty)", "article has no 'id'",
                        "article id '../x' cannot be used as a file name"]


def test_jsonl_line_nested_too_deeply_is_one_problem_and_the_file_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "deep.jsonl"
    src.write_text("[" * 100_000 + "]" * 100_000 + "\n"
                   + json.dumps({"id": "after", "text": PARAGRAPHS[0]}) + "\n", encoding="utf-8")
    first, second = read_sources([str(src)])
    assert first == InputProblem(f"{src}:1", "not valid JSON: nested too deeply")
    assert isinstance(second, ArticleInput) and second.stem == "after"


def test_jsonl_number_too_long_to_convert_is_one_problem(tmp_path: Path) -> None:
    src = tmp_path / "digits.jsonl"
    src.write_text('{"id": ' + "7" * 5000 + ', "text": "t"}\n', encoding="utf-8")
    [item] = read_sources([str(src)])
    assert isinstance(item, InputProblem) and item.message.startswith("not valid JSON: ")


@pytest.mark.parametrize(("ident", "message"), [
    ("x" * 100_000, "article id is 100000 bytes long, over the 200 bytes a file name can take; shorten it, "
                    "or leave 'id' out to derive one from 'url'"),
    ("\u00e9" * 101, "article id is 202 bytes long, over the 200 bytes a file name can take; shorten it, "
                     "or leave 'id' out to derive one from 'url'"),
    ("a/" * 100, "article id 'a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/…' cannot be used as a file name"),
    ("line\nbreak", "article id 'line\\nbreak' cannot be used as a file name"),
    (["a", "b"], "article 'id' must be a string or a number, not a list"),
])
def test_jsonl_id_that_cannot_name_a_file_is_one_problem(tmp_path: Path, ident: object, message: str) -> None:
    src = tmp_path / "ids.jsonl"
    records = [{"id": "first", "text": PARAGRAPHS[0]}, {"id": ident, "text": PARAGRAPHS[1]},
               {"id": "\u00e9" * 100, "text": PARAGRAPHS[2]}]
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    first, bad, last = read_sources([str(src)])
    assert bad == InputProblem(f"{src}:2", message)
    assert isinstance(first, ArticleInput) and isinstance(last, ArticleInput) and last.stem == "\u00e9" * 100


# Lone surrogates too, as JSON escapes bring them: hypothesis leaves them out unless asked, and a union of two
# character strategies is drawn as one range of characters, where 2,048 surrogates are rarely hit (hence `map`).
ANY_TEXT = st.text(st.characters() | st.characters(categories=["Cs"]).map(str))
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT
FIELDS = {key: JSON_SCALARS | st.lists(JSON_SCALARS, max_size=3)
          for key in ("id", "text", "html", "url", "published", "title", "author", "publisher", "licence", "credit")}
RECORDS = (st.fixed_dictionaries({"id": JSON_SCALARS, "text": ANY_TEXT},  # nearly articles
                                 optional={k: v for k, v in FIELDS.items() if k not in {"id", "text"}})
           | st.fixed_dictionaries({}, optional=FIELDS))
JSON_LINES = (RECORDS | st.recursive(JSON_SCALARS, lambda inner: st.lists(inner) | st.dictionaries(ANY_TEXT, inner))
              ).map(json.dumps).map(str.encode)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=200) | JSON_LINES, max_size=4))
def test_any_jsonl_lines_give_one_item_each_never_an_exception(lines: list[bytes]) -> None:
    lines = [line.replace(b"\n", b" ") + b"\n" for line in lines if line.strip(b" \t\r\n\x0b\x0c")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.jsonl"
        path.write_bytes(b"".join(lines))
        items = list(read_sources([str(path)], max_bytes=10_000))
    assert len(items) == len(lines)
    for item in items:
        assert isinstance(item, ArticleInput | InputProblem)
        if isinstance(item, ArticleInput):
            assert is_safe_stem(item.stem) and item.text.strip()
            item.text.encode("utf-8")  # no lone surrogate gets through to the store or the output file
        else:
            assert "\n" not in item.message and len(item.message) < 400


# --- encodings and what is not text -------------------------------------------------------------------------

UNICODE_ENCODINGS = ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"]  # all but utf-16-be/-32-be: LE


def with_bom(text: str, encoding: str) -> bytes:
    """`text` encoded with a byte-order mark (Python's utf-16 and utf-32 write one; the -be codecs do not)."""
    marks = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}
    return marks.get(encoding, b"") + text.encode(encoding)


@pytest.mark.parametrize("encoding", UNICODE_ENCODINGS)
def test_text_file_with_a_byte_order_mark_is_decoded_by_it_and_the_mark_left_out(tmp_path: Path,
                                                                                 encoding: str) -> None:
    text = "\n\n".join(PARAGRAPHS)
    path = tmp_path / "story.txt"
    path.write_bytes(with_bom(text, encoding))
    [item] = read_sources([str(path)])
    assert isinstance(item, ArticleInput) and item.text == text  # offsets are into this, without the mark


@pytest.mark.parametrize("encoding", UNICODE_ENCODINGS)
def test_feed_in_utf16_or_utf32_is_read_with_or_without_a_mark(tmp_path: Path, encoding: str) -> None:
    xml = rss_feed([feed_item("Flood wall", None, " ".join(PARAGRAPHS))]).replace('encoding="UTF-8"',
                                                                                   f'encoding="{encoding[:6]}"')
    marked, unmarked = tmp_path / "marked.rss", tmp_path / "unmarked.xml"
    marked.write_bytes(with_bom(xml, encoding))
    unmarked.write_bytes(xml.encode(encoding.replace("-sig", "")).removeprefix(codecs.BOM_UTF32_LE)
                         .removeprefix(codecs.BOM_UTF16_LE))
    as_text = tmp_path / "feed.txt"  # a feed in a .txt file is sniffed as one, through its mark
    as_text.write_bytes(marked.read_bytes())
    items = list(read_sources([str(marked), str(unmarked), str(as_text)]))
    assert problems(items) == []
    assert [item.text for item in articles(items)] == [" ".join(PARAGRAPHS)] * 3


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32-be"])
def test_html_page_in_utf16_or_utf32_with_a_mark_is_read(tmp_path: Path, encoding: str) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(with_bom(news_page(charset=encoding[:6]), encoding))
    [item] = read_sources([str(page)])
    assert isinstance(item, ArticleInput) and PARAGRAPHS[1] in item.text


@pytest.mark.parametrize(("data", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file, not text"),
    (PARAGRAPHS[0].encode() * 60 + b"\x00", "looks like a binary file, not text (it holds NUL characters)"),
    (codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le"), "looks like a binary file, not text (it holds NUL "
                                                         "characters)"),
    (codecs.BOM_UTF16_LE + b"a\x00b", "not valid UTF-16-LE text, though it starts with that byte-order mark "
                                      "(at byte 4: truncated data)"),
    (codecs.BOM_UTF16_BE + b"\xd8\x00\x00a", "not valid UTF-16-BE text, though it starts with that byte-order "
                                             "mark (at byte 2: illegal UTF-16 surrogate)"),
    (codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"), "input is empty"),
    ("caf\u00e9".encode("latin-1"), "not UTF-8 text (byte 3 is b'\\xe9'); convert it first, e.g. "
                                    "`iconv -f latin1 -t utf-8`"),
])
def test_what_is_not_text_is_judged_on_the_decoded_text(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    assert list(read_sources([str(path)])) == [InputProblem(str(path), message)]


@pytest.mark.parametrize(("record", "message"), [
    ({"id": "a", "text": "Tom Reyes said \ud800 the wall is needed."},
     "the text holds a lone surrogate (U+D800) at character 15, which is not Unicode text"),
    ({"id": "a", "text": "Tom Reyes said\x00 the wall is needed."},
     "looks like a binary file, not text (it holds NUL characters)"),
    ({"id": "a", "text": PARAGRAPHS[0], "title": "Wall\udc00"},
     "its title holds a lone surrogate (U+DC00) at character 4, which is not Unicode text"),
    ({"id": "a", "text": PARAGRAPHS[0], "author": "Tom\x00"}, "its author holds NUL characters"),
    ({"id": "a", "html": news_page().replace("quay,", "quay, \udfff")},
     "the page holds a lone surrogate (U+DFFF) at character 601, which is not Unicode text"),
])
def test_jsonl_escapes_that_no_text_holds_are_refused(tmp_path: Path, record: dict[str, str], message: str) -> None:
    src = tmp_path / "escapes.jsonl"
    src.write_text(json.dumps(record) + "\n" + json.dumps({"id": "b", "text": PARAGRAPHS[1]}) + "\n",
                   encoding="utf-8")
    bad, good = read_sources([str(src)])
    assert bad == InputProblem(f"{src}:1", message) and isinstance(good, ArticleInput)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                        codecs.BOM_UTF32_BE]),
       st.binary(max_size=64) | ANY_TEXT.map(
           lambda text: text.encode("utf-16-le", "surrogatepass")))
def test_any_bytes_are_a_text_or_one_problem_never_an_exception(mark: bytes, body: bytes) -> None:
    item = text_article("in.txt", "in", mark + body, None, 10_000)
    if isinstance(item, ArticleInput):
        assert item.text.strip() and "\x00" not in item.text and not item.text.startswith("\ufeff")
        item.text.encode("utf-8")  # no lone surrogate
    else:
        assert isinstance(item, InputProblem) and "\n" not in item.message


# --- folders ------------------------------------------------------------------------------------------------

def test_folder_picks_up_every_format_and_skips_hidden_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / ".cache").mkdir()
    (folder / "a.txt").write_text(PARAGRAPHS[0], encoding="utf-8")
    (folder / "b.html").write_text(news_page(), encoding="utf-8")
    (folder / "c.jsonl").write_text(json.dumps({"id": "c1", "text": PARAGRAPHS[1]}) + "\n", encoding="utf-8")
    (folder / "sub" / "d.warc.gz").write_bytes(warc_bytes([page_capture("https://h.example/d")], gzip=True))
    (folder / "e.rss").write_text(rss_feed([feed_item("Flood wall", None, " ".join(PARAGRAPHS))]),
                                  encoding="utf-8")
    (folder / ".cache" / "x.txt").write_text("hidden", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    items = list(read_inputs([str(folder)]))
    assert problems(items) == []
    assert [a.stem for a in articles(items)] == ["a", "b", "c1", "e-entry-1", "h-example-d"]
    assert [a.article.publisher for a in articles(items)][3] == "The Coastal Herald"


def test_empty_folder_and_missing_path_are_problems(tmp_path: Path) -> None:
    items = problems(list(read_sources([str(tmp_path), str(tmp_path / "missing.txt")])))
    assert len(items) == 2
    assert "folder holds no" in items[0].message and items[1].message == "no such file or folder"


# --- web archives -------------------------------------------------------------------------------------------

def page_capture(url: str, html: str | None = None, *, status: str = "200 OK", content_type: str = "text/html",
                 warc_date: str = "2024-02-01T12:00:00Z") -> tuple[str, bytes, str, str, str]:
    return url, (html or news_page()).encode("utf-8"), status, content_type, warc_date


def warc_bytes(captures: list[tuple[str, bytes, str, str, str]], *, gzip: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for url, body, status, content_type, warc_date in captures:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        request = writer.create_warc_record(url, "request", payload=io.BytesIO(f"GET {url} HTTP/1.1\r\n\r\n".encode()))
        response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                             warc_headers_dict={"WARC-Date": warc_date})
        writer.write_record(request)
        writer.write_record(response)
    return buffer.getvalue()


def arc_bytes(captures: list[tuple[str, bytes, str, str, str]], *, gzip_members: bool) -> bytes:
    """An ARC file (version 1, the Internet Archive's format before WARC): a filedesc header, then each
    capture's HTTP response after a line `URL IP DATE TYPE LENGTH`."""
    about = b"1 0 Newsgraph tests\nURL IP-address Archive-date Content-type Archive-length\n"
    records = [b"filedesc://crawl.arc 0.0.0.0 20240201120000 text/plain %d\n%s\n" % (len(about), about)]
    for url, body, status, content_type, warc_date in captures:
        response = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
                    .encode() + body)
        stamp = re.sub(r"\D", "", warc_date)
        records.append(f"{url} 93.184.216.34 {stamp} {content_type} {len(response)}\n".encode() + response + b"\n")
    return b"".join(gzip.compress(record) for record in records) if gzip_members else b"".join(records)


ARCHIVE = [
    page_capture("https://coastalherald.example/news/flood-wall.html"),
    page_capture("https://coastalherald.example/img/wall.png", "\x89PNG", content_type="image/png"),
    page_capture("https://coastalherald.example/gone", LOGIN_PAGE, status="404 Not Found"),
    page_capture("https://coastalherald.example/news/undated", news_page(published=None),
                 warc_date="2024-02-02T08:00:00Z"),
    page_capture("https://coastalherald.example/news/third?id=3", news_page("Third story")),
]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz", "crawl.arc", "crawl.arc.gz"])
def test_html_responses_in_an_archive_become_articles(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    gzipped = name.endswith(".gz")
    path.write_bytes(warc_bytes(ARCHIVE, gzip=gzipped) if ".warc" in name else arc_bytes(ARCHIVE, gzip_members=gzipped))
    items = list(read_sources([str(path)]))
    assert problems(items) == []
    first, undated, third = articles(items)
    assert first.stem == "coastalherald-example-news-flood-wall"
    assert first.article.url == "https://coastalherald.example/news/flood-wall.html"
    assert first.article.published == "2024-03-05"  # the page's date wins over the capture date
    assert first.source == f"{path} [https://coastalherald.example/news/flood-wall.html]"
    assert undated.article.published == "2024-02-02"  # no date in the page: the capture date stands in
    assert third.article.title == "Third story" and "/" not in third.stem and third.stem != first.stem


@pytest.mark.parametrize("gzip", [False, True])
def test_truncated_warc_gives_the_pages_before_the_break_then_one_problem(
        tmp_path: Path, gzip: bool, capsys: pytest.CaptureFixture[str]) -> None:
    whole = warc_bytes(ARCHIVE, gzip=gzip)
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(whole[:len(whole) - len(whole) // 8])  # ends inside the last page's record
    items = list(read_sources([str(cut)]))
    assert [type(i) for i in items] == [ArticleInput, ArticleInput, InputProblem]
    problem = items[-1]
    assert isinstance(problem, InputProblem) and problem.source == str(cut)
    assert "truncated or corrupt at byte" in problem.message
    assert "after 2 page(s)" in problem.message and "\n" not in problem.message
    assert capsys.readouterr().err == ""  # warcio's own warnings stay off the terminal


def test_file_that_is_not_a_warc_is_one_problem(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"<html><body><p>Saved from a browser, not archived.</p></body></html>\n")
    [item] = list(read_sources([str(junk)]))
    assert isinstance(item, InputProblem) and item.source == str(junk)
    assert item.message.startswith("WARC file is truncated or corrupt at byte 0 (after 0 page(s)): ")


def test_warc_without_pages_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "images.warc"
    path.write_bytes(warc_bytes([ARCHIVE[1]], gzip=False))
    assert list(read_sources([str(path)])) == [
        InputProblem(str(path), "the WARC file holds no HTML page captured with status 200")]


def test_warc_published_argument_overrides(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_bytes(ARCHIVE[:1], gzip=False))
    [item] = list(read_sources([str(path)], published="2020-01-01"))
    assert isinstance(item, ArticleInput) and item.article.published == "2020-01-01"


def test_warc_gzipped_as_a_whole_is_read_as_one_stream(tmp_path: Path) -> None:
    path = tmp_path / "whole.warc.gz"  # `gzip crawl.warc`, not one gzip member per record as WARC tools write
    archive = warc_bytes(ARCHIVE, gzip=False)
    path.write_bytes(gzip.compress(archive))
    items = list(read_sources([str(path)]))
    assert problems(items) == [] and len(articles(items)) == 3
    cut = tmp_path / "cut-whole.warc.gz"
    cut.write_bytes(path.read_bytes()[:-8])  # without the gzip trailer (CRC and length): all the data, cut off
    *pages, problem = read_sources([str(cut)])
    assert len(pages) == 3 and all(isinstance(page, ArticleInput) for page in pages)
    # The break is named at the end of the last whole record, before the two blank lines that close it.
    assert problem == InputProblem(str(cut), f"WARC file is truncated or corrupt at byte {len(archive) - 4} of the "
                                             "decompressed archive (after 3 page(s)): the gzip data is cut off")


def damage_positions(items: list[Item]) -> list[int]:
    return [int(match.group(1)) for item in problems(items)
            if (match := re.search(r"corrupt at byte (-?\d+)", item.message))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout=st.sampled_from(["plain", "member per record", "whole gzip"]), cut=st.floats(0.05, 1.0),
       noise=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=3))
def test_a_damaged_archive_is_reported_at_a_byte_inside_it(layout: str, cut: float,
                                                          noise: list[tuple[float, int]]) -> None:
    captures = [page_capture("https://h.example/a", LOGIN_PAGE), page_capture("https://h.example/b", LOGIN_PAGE)]
    archive = warc_bytes(captures, gzip=layout == "member per record")
    whole = gzip.decompress(archive) if layout == "member per record" else archive  # positions are in this
    data = bytearray(gzip.compress(whole) if layout == "whole gzip" else archive)
    for where, value in noise:
        data[int(where * (len(data) - 1))] = value
    data = data[:max(1, int(cut * len(data)))]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("a.warc.gz" if layout != "plain" else "a.warc")
        path.write_bytes(bytes(data))
        items = list(read_sources([str(path)]))
    assert all(isinstance(item, ArticleInput | InputProblem) for item in items)
    assert all(0 <= position <= len(whole) for position in damage_positions(items))


def test_arc_files_in_a_folder_are_read_and_a_broken_one_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "a.arc").write_bytes(arc_bytes(ARCHIVE[:1], gzip_members=False))
    whole = arc_bytes(ARCHIVE[:1] + ARCHIVE[3:4], gzip_members=True)
    (tmp_path / "b.arc.gz").write_bytes(whole[:-100])
    (tmp_path / "c.arc").write_text("<html><body><p>Saved from a browser, not archived at all.</p></body></html>\n",
                                    encoding="utf-8")
    items = list(read_sources([str(tmp_path)]))
    assert [type(item) for item in items] == [ArticleInput, ArticleInput, InputProblem, InputProblem]
    assert items[2].source == str(tmp_path / "b.arc.gz") and "ARC file is truncated or corrupt at byte" in \
        items[2].message and "after 1 page(s)" in items[2].message
    assert items[3] == InputProblem(str(tmp_path / "c.arc"), "ARC file is truncated or corrupt at byte 0 "
                                    "(after 0 page(s)): it does not start with an ARC header (filedesc://)")


# --- feeds that need no fetching ----------------------------------------------------------------------------

def feed_item(title: str, link: str | None, description: str, *, date: str = "Tue, 05 Mar 2024 09:30:00 GMT",
              author: str = "Maria Okafor") -> str:
    link_tag = f"<link>{link}</link>" if link else ""
    return (f"<item><title>{title}</title>{link_tag}<pubDate>{date}</pubDate><dc:creator>{author}</dc:creator>"
            f"<description><![CDATA[{description}]]></description></item>")


def rss_feed(items: list[str], title: str = "The Coastal Herald") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>{title}</title><link>https://coastalherald.example/</link>"
            f"<description>News</description>{''.join(items)}</channel></rss>\n")


def test_feed_entry_without_link_uses_its_own_text(tmp_path: Path) -> None:
    feed = tmp_path / "local.xml"
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    feed.write_text(rss_feed([feed_item("Flood wall", None, paragraphs), feed_item("Teaser", None, "Short.")]),
                    encoding="utf-8")
    full, teaser = read_sources([str(feed)])
    assert isinstance(full, ArticleInput) and full.text == "\n".join(PARAGRAPHS)
    assert full.article.title == "Flood wall" and full.article.published == "2024-03-05"
    assert full.article.author == "Maria Okafor" and full.article.publisher == "The Coastal Herald"
    assert isinstance(teaser, InputProblem) and teaser.source == f"{feed} entry 2"
    assert "no link" in teaser.message and "too short" in teaser.message


def test_malformed_feed_is_one_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rss"
    broken.write_text("<rss><channel><title>Cut off", encoding="utf-8")
    not_feed = tmp_path / "config.xml"
    not_feed.write_text('<?xml version="1.0"?><settings><colour>blue</colour></settings>', encoding="utf-8")
    html_page = tmp_path / "page.rss"
    html_page.write_text(news_page(), encoding="utf-8")
    items = problems(list(read_sources([str(broken), str(not_feed), str(html_page)])))
    assert [i.source for i in items] == [str(broken), str(not_feed), str(html_page)]
    assert items[0].message.startswith("malformed feed with no readable entries (line ")
    assert items[1].message == "not an RSS or Atom feed"
    assert items[2].message.startswith("not an RSS or Atom feed")


FEED_PIECES = st.sampled_from(['<?xml version="1.0" encoding="utf-16"?>', "<rss version='2.0'>", "<channel>",
                               "<item>", "<title>T</title>", "<link>https://e.example/a</link>", "</item>",
                               "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "<![CDATA[", "&amp;",
                               "&#0;", "\x00", "\ufeff", "\ud800", "</channel></rss>"])


@settings(max_examples=150, deadline=None)
@given(st.lists(FEED_PIECES | st.text(max_size=20), max_size=12), st.sampled_from([*UNICODE_ENCODINGS, "latin-1"]))
def test_any_feed_file_gives_items_never_an_exception(pieces: list[str], encoding: str) -> None:
    import httpx

    from newsgraph.ingest import Fetcher

    data = "".join(pieces).encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")
    gone = httpx.MockTransport(lambda request: httpx.Response(404))  # entries' links lead nowhere, offline
    with tempfile.TemporaryDirectory() as folder, Fetcher(min_interval=0, transport=gone) as fetcher:
        path = Path(folder) / "feed.xml"
        path.write_bytes(data)
        items = list(read_sources([str(path)], fetcher=fetcher))
    assert items and all(isinstance(item, ArticleInput | InputProblem) for item in items)
    assert all("\n" not in item.message for item in problems(items))


# --- article ids --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "stem"), [
    ("https://www.example.com/news/2024/03/05/flood-wall.html", "example-com-news-2024-03-05-flood-wall"),
    ("http://example.com/", "example-com"),
    ("https://example.com/caf%C3%A9/", "example-com-caf\u00e9"),
])
def test_stem_from_url_is_readable(url: str, stem: str) -> None:
    assert stem_from_url(url) == stem


def test_stem_from_url_hashes_what_the_slug_loses() -> None:
    one, two = stem_from_url("https://e.com/story?id=1"), stem_from_url("https://e.com/story?id=2")
    assert one != two and one.startswith("e-com-story-")
    long = stem_from_url("https://e.com/" + "very-long-headline-" * 20)
    assert len(long) <= MAX_STEM_CHARS and is_safe_stem(long)
    assert all(is_safe_stem(stem_from_url(u)) for u in ["https://e.com/a/../b", "https://e.com/..", "http://x"])


def test_stems_derived_from_urls_and_file_names_fit_a_file_name_in_bytes(tmp_path: Path) -> None:
    wide = stem_from_url("https://e.com/" + "\U0001d51e" * 100)  # 100 letters of 4 bytes each
    assert is_safe_stem(wide) and len(wide.encode("utf-8")) <= MAX_STEM_BYTES
    long_name = tmp_path / ("\u00e9" * 124 + ".txt")  # 252 bytes: a file can have it, its `.json` cannot
    long_name.write_text(PARAGRAPHS[0], encoding="utf-8")
    [item] = read_sources([str(long_name)])
    assert isinstance(item, ArticleInput) and is_safe_stem(item.stem) and item.stem.startswith("\u00e9\u00e9")
    assert item.stem == item.article.id and item.text == PARAGRAPHS[0]


@given(ANY_TEXT)
def test_safe_stem_is_always_safe_and_keeps_what_is_already_safe(name: str) -> None:
    stem = safe_stem(name)
    assert is_safe_stem(stem)
    assert stem == name or not is_safe_stem(name)
