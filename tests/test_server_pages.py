"""The web pages (newsgraph/server/pages.py) through FastAPI's TestClient, on the sample store: every page,
filters, errors as HTML with the right status, escaping of article text, the analyse form, the downloads."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsgraph.records import Article, Document
from newsgraph.server.app import create_app
from newsgraph.server.markup import split_sentences
from newsgraph.store.connect import open_engine
from newsgraph.store.export import COLUMNS
from newsgraph.store.query import Filters, count_statements, find_actors, load_document, summary
from newsgraph.store.write import write_document
from tests.conftest import POLNEAR_DEV
from tests.test_store import PARISES, near

EXAMPLE_KEY = "ukraine-2022-04-26"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"

# These count on the 84 PolNeAR dev articles of the sample store (../shared beside the repo, as in CI).
needs_polnear = pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="no ../shared/corpora/polnear-dev beside the repo")


@pytest.fixture(scope="module")
def client(sample_store_url: str, analyzer: Any) -> Iterator[TestClient]:
    with TestClient(create_app(sample_store_url, analyzer=analyzer)) as c:
        yield c


@pytest.fixture(scope="module")
def engine(sample_store_url: str) -> Any:
    engine = open_engine(sample_store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def putin(engine: Any) -> int:
    found = find_actors(engine, "Vladimir Putin")
    assert found, "the example article names Vladimir Putin"
    return int(found[0][0])


@contextmanager
def client_of_store(tmp_path_factory: pytest.TempPathFactory, analyzer: Any, name: str,
                    docs: list[tuple[Document, str]]) -> Iterator[TestClient]:
    """A client of a new store of these documents, each written with the outcome given."""
    url = f"sqlite:///{tmp_path_factory.mktemp(name) / 'store.db'}"
    engine = open_engine(url)
    for doc, outcome in docs:
        assert write_document(engine, doc, source=f"test:{doc.article.id}").outcome == outcome
    engine.dispose()
    with TestClient(create_app(url, analyzer=analyzer)) as c:
        yield c


def html(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def items(page: str, css_class: str = "record statement") -> list[str]:
    """The HTML of each record in a results list."""
    return re.findall(rf'<li class="{css_class}[^"]*">(.*?)</li>', page, re.DOTALL)


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


# --- every page ----------------------------------------------------------------------------------------

PAGES = ["/", "/articles", f"/articles/{EXAMPLE_KEY}", "/analyze", "/statements", "/actors", "/timeline", "/map",
         "/map?place=Ukraine"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_a_whole_html_page_with_the_nav_and_footer(client: TestClient, url: str) -> None:
    page = html(client, url)
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    for href, label in [("/articles", "Articles"), ("/statements", "Statements"), ("/actors", "Actors"),
                        ("/timeline", "Timeline"), ("/map", "Map"), ("/analyze", "Analyze")]:
        assert f'href="{href}"' in page and f">{label}</a>" in page
    assert 'href="/api/docs"' in page and "newsgraph" in page
    assert ">None<" not in page and "Undefined" not in page


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_only_their_own_static_files(client: TestClient, url: str) -> None:
    page = html(client, url)
    assets = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', page)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    assert "@import" not in page and "url(http" not in page


class InlineCode(HTMLParser):
    """What a Content-Security-Policy without 'unsafe-inline' would block: inline scripts, event-handler and
    style attributes, javascript: URLs; and the text of each <style> element (allowed only by its hash)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.blocked.append("an inline <script>")
        self.blocked += [f"<{tag} {name}=...>" for name in names if name.startswith("on") or name == "style"]
        self.blocked += [f"<{tag} {name}={value}>" for name, value in attrs
                         if value and value.strip().lower().startswith("javascript:")]
        self._in_style = tag == "style"
        if self._in_style:
            self.styles.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles[-1] += data


@pytest.mark.parametrize("url", [*PAGES, "/actors/PUTIN", "/articles/nothing", "/statements?since=soon"])
def test_pages_hold_no_inline_code_that_their_content_security_policy_would_block(client: TestClient, putin: int,
                                                                                   url: str) -> None:
    response = client.get(url.replace("PUTIN", str(putin)))
    found = InlineCode()
    found.feed(response.text)
    assert found.blocked == []
    policy = response.headers["content-security-policy"]
    for style in found.styles:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, "an inline <style> must be allowed by its hash"


@needs_polnear
def test_overview_counts_latest_articles_and_actors(client: TestClient, engine: Any) -> None:
    page = html(client, "/")
    counts = summary(engine)
    for n in (counts.articles, counts.statements, counts.events, counts.actors):
        assert f"<strong>{n:,}</strong>" in page
    assert f'href="/articles/{EXAMPLE_KEY}"' in page
    assert "Hillary Clinton" in page and re.search(r'href="/actors/\d+"', page)
    assert 'action="/statements"' in page and 'name="q"' in page


# --- articles -------------------------------------------------------------------------------------------

@needs_polnear
def test_articles_are_listed_paged_and_searched(client: TestClient, engine: Any) -> None:
    first = html(client, "/articles")
    assert first.count('<tr>') > 10 and 'rel="next"' in first and 'rel="prev"' not in first
    assert f"1–50 of {summary(engine).articles}" in first
    second = html(client, "/articles?page=2")
    assert 'rel="prev"' in second
    found = html(client, "/articles?q=Azovstal")
    assert f'href="/articles/{EXAMPLE_KEY}"' in found and found.count("<tr>") == 2  # header and one article
    assert "No article contains" in html(client, "/articles?q=qqqzzzxxx")


def test_article_view_marks_the_text_and_lists_its_records(client: TestClient, engine: Any, putin: int) -> None:
    page = html(client, f"/articles/{EXAMPLE_KEY}")
    doc = load_document(engine, EXAMPLE_KEY)
    assert doc is not None
    assert "Mehr News Agency" in page and "2022-04-26" in page
    assert 'class="ng-doc"' in page and 'class="ng-legend"' in page and 'id="s-0"' in page
    assert '<script src="/static/markup.js"></script>' in page
    for st in doc.statements:
        assert f'data-record="{st.id}" tabindex="0"' in page
    for ev in doc.events:
        assert f'data-record="{ev.id}" tabindex="0"' in page
    assert f'<a class="actor" href="/actors/{putin}">Vladimir Putin</a>' in page


def test_an_unknown_article_or_actor_is_an_html_404(client: TestClient) -> None:
    for url, words in [("/articles/no-such-article", "no-such-article"), ("/actors/987654", "987654"),
                       ("/actors/not-a-number", "not-a-number")]:
        page = html(client, url, 404)
        assert "not found" in page and words in page and 'href="/articles"' in page
    page = html(client, "/map?place=Atlantis", 404)
    assert "No place called “Atlantis”" in page


def test_an_id_out_of_the_store_s_range_is_an_html_404(store_url: str) -> None:
    """Row ids are 32-bit on PostgreSQL and 64-bit on SQLite: a larger one must not reach the driver."""
    app = create_app(store_url)
    with TestClient(app) as client:
        for ref in ("9223372036854775808", "2147483648", "\u00b2", "9" * 40):
            assert "no article" in html(client, f"/articles/{ref}", 404)
            assert "no actor" in html(client, f"/actors/{ref}", 404)
    app.state.settings.engine.dispose()


@pytest.mark.parametrize(("url", "words"), [
    ("/statements?page=-1", ("page", "'-1'", "1 to 1,000")),
    ("/statements?page=abc", ("page", "'abc'", "1 to 1,000")),
    ("/statements?epage=0", ("epage", "'0'", "1 to 1,000")),
    ("/articles?page=1001", ("page", "'1001'", "1 to 1,000")),
    ("/actors?page=1.5", ("page", "'1.5'")),
    ("/timeline?page=51", ("page", "'51'", "1 to 50")),
    ("/articles?limit=abc", ("limit", "page=N")),
    ("/statements?offset=10", ("offset", "page=N")),
    ("/actors?limit=10", ("limit", "/api/actors")),
])
def test_a_malformed_page_parameter_is_an_html_400_naming_it(client: TestClient, url: str,
                                                              words: tuple[str, ...]) -> None:
    page = html(client, url, 400)
    message = unescape(text_of(page))
    for word in words:
        assert word in message, (word, message)
    assert "Traceback" not in page


# --- the statements explorer -------------------------------------------------------------------------------

def test_filters_narrow_the_statements(client: TestClient, engine: Any) -> None:
    everything = html(client, "/statements")
    total = count_statements(engine, Filters())
    assert f"<h2>{total:,} statements</h2>" in everything and len(items(everything)) == 50
    by_putin = html(client, "/statements?speaker=Putin")
    n = count_statements(engine, Filters(speaker="Putin"))
    assert 0 < n < total and f"<h2>{n} statements</h2>" in by_putin
    assert len(items(by_putin)) == n and all("Putin" in text_of(i) for i in items(by_putin))
    assert 'value="Putin"' in by_putin  # the form keeps what was typed
    claimed = items(html(client, "/statements?certainty=claimed"))
    assert claimed and all('cert-claimed' in i for i in claimed)
    direct = items(html(client, "/statements?kind=direct&speaker=Putin"))
    assert direct and all(">direct<" in i for i in direct) and len(direct) < n
    assert "No statement matches" in html(client, "/statements?q=qqqzzzxxx")


def test_events_matching_the_filters_are_listed_below(client: TestClient) -> None:
    page = html(client, "/statements?event_type=ASSAULT")
    events = items(page, "record event")
    assert events and all(">ASSAULT<" in e for e in events)
    assert "No event matches (statement kinds" in html(client, "/statements?kind=direct")


def test_a_statement_links_to_its_highlighted_sentence(client: TestClient, engine: Any) -> None:
    page = html(client, "/statements?speaker=Putin&q=Bucha")
    hrefs = re.findall(r'<a class="record-text" href="([^"]+)">', page)
    assert hrefs
    m = re.fullmatch(rf"/articles/{EXAMPLE_KEY}\?record=(S\d+)#s-(\d+)", hrefs[0])
    assert m, hrefs[0]
    doc = load_document(engine, EXAMPLE_KEY)
    assert doc is not None
    statement = next(s for s in doc.statements if s.id == m.group(1))
    start = int(m.group(2))
    end = next(e for s, e in split_sentences(doc.text) if s == start)
    assert start <= statement.content.start < end  # the sentence the content starts in
    assert f'id="s-{start}"' in html(client, hrefs[0].split("#")[0])


@needs_polnear
def test_statement_pages(client: TestClient, engine: Any) -> None:
    total = count_statements(engine, Filters())
    second = html(client, "/statements?page=2")
    assert f"51–100 of {total:,}" in second and 'rel="prev"' in second
    assert html(client, "/statements?page=2&speaker=Putin").count('class="record statement') == 0


@pytest.mark.parametrize("url", ["/statements?since=2022-13-01", "/statements?until=yesterday",
                                 "/timeline?since=26/04/2022", "/statements?since=2022-05-01&until=2022-04-01",
                                 "/statements?certainty=sure"])
def test_a_malformed_filter_is_a_400_with_the_message_by_the_form(client: TestClient, url: str) -> None:
    page = html(client, url, 400)
    assert 'class="alert alert-error"' in page and "<form" in page
    alert = re.search(r'<div class="alert alert-error".*?</div>', page, re.DOTALL)
    assert alert is not None
    message = text_of(alert.group(0))
    assert any(word in message for word in ("not a date", "is after", "unknown"))
    assert "Traceback" not in page


def test_filter_dates_may_be_months_or_years(client: TestClient) -> None:
    april = items(html(client, "/statements?since=2022-04&until=2022-04"))
    assert april and all("2022-04-" in i for i in april)
    assert items(html(client, "/statements?since=2022&until=2022"))


# --- downloads ------------------------------------------------------------------------------------------

def test_csv_download_has_the_export_columns_and_the_filtered_rows(client: TestClient, engine: Any) -> None:
    response = client.get("/statements.csv?speaker=Putin")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [c.name for c in COLUMNS["statements"]]
    assert len(rows) == count_statements(engine, Filters(speaker="Putin"))
    assert all("Putin" in (r["speaker_name"] + r["speaker_text"]) for r in rows)
    assert {r["article"] for r in rows} >= {EXAMPLE_KEY}


def test_json_download_has_the_same_rows(client: TestClient) -> None:
    as_csv = list(csv.DictReader(io.StringIO(client.get("/statements.csv?speaker=Putin&kind=direct").text)))
    response = client.get("/statements.json?speaker=Putin&kind=direct")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    rows = json.loads(response.text)
    assert [list(r) for r in rows] == [[c.name for c in COLUMNS["statements"]]] * len(rows)
    assert [(r["article"], r["id"], r["content_text"]) for r in rows] == \
        [(r["article"], r["id"], r["content_text"]) for r in as_csv]
    assert json.loads(client.get("/statements.json?q=qqqzzzxxx").text) == []


FORMULAS = ('"=HYPERLINK(""http://evil.example/"",""Click"") is what they wrote on the wall," the mayor said on '
            'Monday. "-2+3 degrees is nothing for us," she told reporters. "@SUM(A1:A9) was in the file," the '
            'clerk said. "+1 for the council," a resident said.')


@pytest.fixture(scope="module")
def formula_client(tmp_path_factory: pytest.TempPathFactory, analyzer: Any) -> Iterator[TestClient]:
    """A store whose statements begin with what a spreadsheet would run as a formula."""
    doc = analyzer.analyze(FORMULAS, Article(id="=wall", published="2024-05-06"))
    with client_of_store(tmp_path_factory, analyzer, "formulas", [(doc, "stored")]) as c:
        yield c


def test_csv_download_cells_are_never_formulas(formula_client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(formula_client.get("/statements.csv").text)))
    contents = {r["content_text"] for r in rows}
    # each of the four quotations is a statement whose cell starts with a quote mark, not with = - @ +
    # (where the first one ends inside its doubled quote marks is the quotes component's call)
    for formula in ("=HYPERLINK(", "-2+3 degrees is nothing for us,", "@SUM(A1:A9) was in the file,",
                    "+1 for the council,"):
        assert any(c.startswith("'" + formula) for c in contents), (formula, contents)
    assert not any(c[:1] in {"=", "-", "@", "+"} for r in rows for c in r.values() if c)
    assert {r["article"] for r in rows} == {"'=wall"}
    assert not [cell for r in rows for cell in r.values() if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert all(r["content_start"].isdigit() for r in rows)  # numbers stay numbers
    # The JSON download keeps the text as it is.
    as_json = json.loads(formula_client.get("/statements.json").text)
    assert {r["content_text"] for r in as_json} == {c[1:] for c in contents}


def test_downloads_refuse_a_malformed_filter(client: TestClient) -> None:
    response = client.get("/statements.csv?since=never")
    assert response.status_code == 400 and "not a date" in response.text


def test_the_explorer_links_the_downloads_with_its_filters(client: TestClient) -> None:
    page = html(client, "/statements?speaker=Putin&certainty=claimed")
    assert 'href="/statements.csv?speaker=Putin&amp;certainty=claimed"' in page
    assert 'href="/statements.json?speaker=Putin&amp;certainty=claimed"' in page


# --- actors ---------------------------------------------------------------------------------------------

@needs_polnear
def test_actors_are_listed_and_found_by_name(client: TestClient, putin: int) -> None:
    page = html(client, "/actors")
    assert "Hillary Clinton" in page and 'rel="next"' in page
    found = html(client, "/actors?name=putin")
    assert f'href="/actors/{putin}"' in found and "Hillary Clinton" not in found


def test_actor_page_shows_what_it_said_did_and_why_it_is_linked(client: TestClient, engine: Any, putin: int) -> None:
    page = html(client, f"/actors/{putin}")
    assert "<h1>Vladimir Putin" in page
    for heading in ("What Vladimir Putin said", "What it did", "What was done to it", "Whom it addresses",
                    "Who talks about it", "Articles", "Why these mentions are one actor"):
        assert heading in page
    said = items(page)
    assert len(said) >= 5 and any("negotiations" in s for s in said)
    assert f'href="/articles/{EXAMPLE_KEY}"' in page
    assert re.search(r"<td><code>[a-z-]+</code></td>", page)  # a link rule per article


def test_actor_page_lists_its_network_for_the_script_to_draw(client: TestClient, engine: Any, putin: int) -> None:
    from newsgraph.store.network import EDGE_TYPES, NetworkOptions, actor_network

    page = html(client, f"/actors/{putin}")
    assert 'id="network"' in page and f'data-ego="{putin}"' in page and 'src="/static/network.js"' in page
    nodes = re.findall(r'<li data-id="(\d+)" data-name="([^"]*)"[^>]*><a href="/actors/(\d+)">', page)
    network = actor_network(engine, NetworkOptions(actor=putin, max_nodes=30))
    assert network is not None and len(network.edges) > 0
    assert [int(i) for i, _, _ in nodes] == [n.id for n in network.nodes] and nodes[0][0] == nodes[0][2] == str(putin)
    edges = re.findall(r'<tr class="network-edge" data-source="(\d+)" data-target="(\d+)" data-type="([^"]+)"', page)
    assert len(edges) == len(network.edges) and {t for _, _, t in edges} <= set(EDGE_TYPES)
    assert f"{len(network.edges)} connections among {len(network.nodes)} actors" in page


def test_an_actor_without_connections_says_so(client: TestClient, engine: Any) -> None:
    from newsgraph.store.network import NetworkOptions, actor_network

    everyone = actor_network(engine, NetworkOptions(max_nodes=None, isolated=True))
    assert everyone is not None
    alone = next(n for n in everyone.nodes if n.weight == 0)
    page = html(client, f"/actors/{alone.id}")
    assert "No statement or event links this actor to another." in page and "network-edge" not in page


def test_network_page_draws_the_corpus_and_names_bad_fields(client: TestClient) -> None:
    page = html(client, "/network")
    assert "<h1>Network</h1>" in page and 'href="/network" class="active"' in page
    nodes = re.findall(r'<li data-id="(\d+)"', page)
    edges = re.findall(r'<tr class="network-edge" data-source="(\d+)" data-target="(\d+)" data-type="([^"]+)"', page)
    assert 1 < len(nodes) <= 50 and edges
    assert all(s in nodes and t in nodes for s, t, _ in edges)
    spoken = html(client, "/network?relation=talks_to&since=2016&nodes=10")
    types = {t for _, _, t in re.findall(r'data-source="(\d+)" data-target="(\d+)" data-type="([^"]+)"', spoken)}
    assert types == {"talks_to"} and len(re.findall(r'<li data-id="', spoken)) <= 10
    assert 'value="talks_to" checked' in spoken
    around = html(client, "/network?actor=vladimir+putin&depth=2&nodes=20")
    assert "Around <a href=\"/actors/" in around and re.findall(r'<li data-id="\d+" data-name="([^"]*)"', around)[0] \
        == "Vladimir Putin"
    assert "no actor named like 'Nobody Atall'" in unescape(html(client, "/network?actor=Nobody+Atall", 400))
    bad = html(client, "/network?since=2016-13&nodes=1000&relation=hugs&min_weight=0", 400)
    for words in ("since: '2016-13' is not a date", "nodes: '1000' is not a whole number from 10 to 150",
                  "relation: unknown 'hugs'", "min weight: '0'"):
        assert words in unescape(bad), words
    assert "network-edge" not in bad


# --- timeline and map -------------------------------------------------------------------------------------

def test_timeline_is_oldest_first_by_day_and_filterable(client: TestClient) -> None:
    page = html(client, "/timeline")
    days = re.findall(r'<time datetime="([\d-]+)">', page)
    assert days and days == sorted(days) and len(set(days)) == len(days)
    assert 'class="strip"' in page  # the sample spans 2016 (PolNeAR) and 2022 (the example)
    april = html(client, "/timeline?since=2022-04-26&until=2022-04-26")
    assert re.findall(r'<time datetime="([\d-]+)">', april) == ["2022-04-26"]
    by_putin = items(html(client, "/timeline?speaker=Putin"))
    assert by_putin and all("Putin" in text_of(i) for i in by_putin)
    assert len(by_putin) < len(items(page))


def test_timeline_sets_uncertain_records_apart(client: TestClient) -> None:
    page = html(client, "/timeline?since=2022-04-26&until=2022-04-26")
    uncertain = re.findall(r'<li class="record (?:statement|event) uncertain">(.*?)</li>', page, re.DOTALL)
    plain = re.findall(r'<li class="record (?:statement|event)">(.*?)</li>', page, re.DOTALL)
    assert uncertain and plain
    assert all(re.search(r"cert-(claimed|hedged|unconfirmed|denied|disputed)", u) for u in uncertain)
    assert all("cert-plain" in p for p in plain)


def test_map_shows_places_and_a_place_lists_its_events_and_articles(client: TestClient) -> None:
    page = html(client, "/map")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="ng-basemap' in page
    assert re.search(r'href="/map\?place=geonames%3A\d+#place"', page) and "<table" in page  # by gazetteer key
    ukraine = html(client, "/map?place=Ukraine")
    assert 'id="place"' in ukraine and "Events here" in ukraine and "Articles naming it" in ukraine
    assert items(ukraine, "record event") and f'href="/articles/{EXAMPLE_KEY}"' in ukraine
    assert "<h2>Ukraine <span" in html(client, "/map?place=ukraine")  # any letter case
    redirect = client.get("/places/Ukraine", follow_redirects=False)
    assert redirect.status_code == 302 and redirect.headers["location"] == "/map?place=Ukraine#place"


MARKER = re.compile(r'<a class="ng-marker-link" href="([^"]+)"><circle class="ng-marker" cx="([^"]+)" cy="([^"]+)"'
                    r'[^>]*><title>([^<]+)</title>')


@pytest.fixture(scope="module")
def paris_client(tmp_path_factory: pytest.TempPathFactory, analyzer: Any, analyze: Any) -> Iterator[TestClient]:
    docs = []
    for key, text in PARISES.items():
        doc = analyze(text, "2022-04-26")
        doc.article = Article(id=key, published="2022-04-26")
        docs.append((doc, "stored"))
    with client_of_store(tmp_path_factory, analyzer, "parises", docs) as c:
        yield c


def test_the_map_has_a_marker_per_place_each_at_its_own_point(paris_client: TestClient) -> None:
    page = html(paris_client, "/map")
    markers = {title: (href, float(x), -float(y)) for href, x, y, title in MARKER.findall(page)}
    texas_href, texas_lon, texas_lat = markers["Paris, Texas, US (city) (2)"]
    france_href, france_lon, france_lat = markers["Paris, Ile-de-France, FR (city) (1)"]
    _, tennessee_lon, tennessee_lat = markers["Paris, Tennessee, US (city) (1)"]
    assert near((texas_lat, texas_lon), 33.66094, -95.55551) and near((france_lat, france_lon), 48.85341, 2.3488)
    assert near((tennessee_lat, tennessee_lon), 36.302, -88.32671)
    assert texas_href == "/map?place=geonames%3A4717560#place" and france_href == "/map?place=geonames%3A2988507#place"
    assert len(markers) == len(MARKER.findall(page))  # one marker a place


def test_a_place_page_by_key_shows_that_place_and_by_name_lists_its_homonyms(paris_client: TestClient) -> None:
    texas = html(paris_client, "/map?place=geonames:4717560")
    assert "<title>Paris, Texas, US (city) · Map" in texas and "<h2>Paris <span" in texas
    assert "Texas, United States · " in texas
    assert len(items(texas, "record event")) == 1 and 'href="/articles/lamar"' in texas
    assert 'href="/articles/france"' not in texas
    choice = html(paris_client, "/map?place=paris")
    assert "3 places called “paris”" in choice and "Events here" not in choice
    assert 'href="/map?place=geonames%3A4717560#place">Paris, Texas, US (city)</a>' in choice
    assert 'href="/map?place=geonames%3A4647963#place">Paris, Tennessee, US (city)</a>' in choice
    assert 'href="/map?place=geonames%3A2988507#place">Paris, Ile-de-France, FR (city)</a>' in choice
    # An article's places and an event's location link to their own place.
    article = html(paris_client, "/articles/texas")
    assert 'href="/map?place=geonames%3A4717560#place"' in article and "geonames%3A2988507" not in article


# --- analyse ----------------------------------------------------------------------------------------------

PUTIN_TEXT = ('Russian President Vladimir Putin said on Tuesday that Moscow would keep its troops near the border. '
              '"We will not be threatened," Putin told reporters in Moscow.')


def test_analyze_marks_up_a_posted_text_and_stores_nothing(client: TestClient, engine: Any) -> None:
    assert 'enctype="multipart/form-data"' in html(client, "/analyze")
    before = summary(engine)
    response = client.post("/analyze", data={"text": PUTIN_TEXT, "published": "2022-04-26"})
    assert response.status_code == 200
    page = response.text
    assert 'class="ng-doc"' in page and 'data-record="S1" tabindex="0"' in page
    assert 'class="ng-mark ng-speaker' in page and "Vladimir Putin" in page
    assert 'data-value="2022-04-26"' in page  # "on Tuesday" resolved against the date given
    assert summary(engine) == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])  # Python's utf-16 and -32 write a BOM
def test_analyze_takes_an_uploaded_file(client: TestClient, encoding: str) -> None:
    response = client.post("/analyze", data={"text": ""},
                           files={"file": ("putin.txt", PUTIN_TEXT.encode(encoding), "text/plain")})
    assert response.status_code == 200 and 'data-record="S1" tabindex="0"' in response.text


@pytest.mark.parametrize(("data", "files", "status", "message"), [
    ({"text": "   \n "}, None, 400, "no text to analyse"),
    ({"text": PUTIN_TEXT, "published": "2022-02-30"}, None, 400, "not a date"),
    ({"text": "x" * 5000}, None, 413, "more than the limit"),
    ({"text": "z" * 200_000}, None, 413, "larger than the limit"),  # refused before the form is parsed
    ({"text": ""}, {"file": ("latin1.txt", "Caf\xe9 au lait".encode("latin-1"), "text/plain")}, 400, "not UTF-8"),
    ({"text": ""}, {"file": ("big.txt", b"y" * 5000, "text/plain")}, 413, "larger than the limit"),
])
def test_analyze_explains_what_it_cannot_analyse(sample_store_url: str, analyzer: Any, data: dict[str, str],
                                                 files: Any, status: int, message: str) -> None:
    with TestClient(create_app(sample_store_url, analyzer=analyzer, max_analyze_bytes=4000)) as small:
        response = small.post("/analyze", data=data, files=files)
    assert response.status_code == status
    assert 'class="alert alert-error"' in response.text and message in response.text
    assert 'class="ng-doc"' not in response.text


# --- escaping --------------------------------------------------------------------------------------------

HOSTILE_TEXT = (f'Mayor Jane Smith said "{SCRIPT} is only a test" on Monday in Paris. '
                '<img src=x onerror=alert(2)> Officials said the flood wall would hold.\n\n'
                'The council said it would meet again next week to discuss the repairs.')
HOSTILE_MORE = ("The city engineer said the wall had been raised by half a metre after the floods of 2021 and "
                "inspected in March. Residents of the lower town were told to move their cars to higher ground "
                "before the river crests on Wednesday night.")


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory, analyzer: Any) -> Iterator[TestClient]:
    """A store with an article whose title, text and URL carry markup, and a near-duplicate of it (a shorter
    version: long enough for a near-duplicate decision, which a sentence or two is not)."""
    story = HOSTILE_TEXT + "\n\n" + HOSTILE_MORE
    doc = analyzer.analyze(story + "\n\n(Reporting by the city desk.)", Article(id="hostile", published="2024-05-06"))
    doc.article = Article(id="hostile", title=f"{SCRIPT} Flood report", published="2024-05-06",
                          publisher=f"<b>{SCRIPT}</b>", url="javascript:alert(3)")
    copy = analyzer.analyze("CITY (Wire) -\n\n" + story, Article(id="copy", published="2024-05-06"))
    copy.article = Article(id="copy", title="A copy", published="2024-05-07")
    with client_of_store(tmp_path_factory, analyzer, "hostile", [(doc, "stored"), (copy, "duplicate")]) as c:
        yield c


@pytest.mark.parametrize("url", ["/", "/articles", "/articles/hostile", "/articles?q=alert", "/statements",
                                 "/statements?q=test", "/timeline", "/map", "/articles/copy", "/actors"])
def test_article_text_and_metadata_are_escaped(hostile_client: TestClient, url: str) -> None:
    page = html(hostile_client, url)
    assert SCRIPT not in page and "<img src=x" not in page and "<b><script" not in page
    assert 'href="javascript:' not in page


def test_the_hostile_article_shows_its_markup_as_text(hostile_client: TestClient) -> None:
    page = html(hostile_client, "/articles/hostile")
    assert f"<h1>{ESCAPED_SCRIPT} Flood report</h1>" in page
    assert ESCAPED_SCRIPT in page.split('class="ng-doc"', 1)[1]
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    statements = html(hostile_client, "/statements?q=test")
    assert ESCAPED_SCRIPT in statements


def test_analyze_escapes_the_posted_text(client: TestClient) -> None:
    response = client.post("/analyze", data={"text": HOSTILE_TEXT})
    assert response.status_code == 200
    assert SCRIPT not in response.text and ESCAPED_SCRIPT in response.text


def test_a_near_duplicate_shows_its_original_and_its_own_records(hostile_client: TestClient) -> None:
    copy = html(hostile_client, "/articles/copy")
    assert "near-duplicate of" in copy and 'href="/articles/hostile"' in copy
    assert 'class="ng-doc"' in copy and 'class="ng-mark' in copy  # its own records, on its own text
    assert "Jane Smith" in copy
    original = html(hostile_client, "/articles/hostile")
    assert "Other versions of this story" in original and 'href="/articles/copy"' in original


def test_templates_escape_everything() -> None:
    from newsgraph.server.pages import templates

    env = templates.env
    assert env.autoescape is True
    rendered = env.from_string("{{ value }}").render(value=SCRIPT)
    assert rendered == ESCAPED_SCRIPT
