"""The ingest readers over HTTP: feeds, pages given as URLs and the fetcher, against a server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from newsgraph.ingest import ArticleInput, Fetcher, FetchError, InputProblem, read_sources
from newsgraph.ingest.feeds import MIN_ENTRY_TEXT_CHARS
from newsgraph.ingest.html import NO_ARTICLE_TEXT
from tests.test_ingest import LOGIN_PAGE, PARAGRAPHS, feed_item, news_page, problems, rss_feed


@dataclass
class Response:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    send_length: bool = True


class Site:
    """Pages served from 127.0.0.1 by a background thread; tests add the pages they need."""

    def __init__(self) -> None:
        self.pages: dict[str, Response] = {}
        self.user_agents: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def add(self, path: str, body: str | bytes, **options: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Response(data, **options)  # type: ignore[arg-type]
        return self.url(path)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.user_agents.append(self.headers.get("User-Agent", ""))
                page = site.pages.get(self.path) or Response(b"<html><body>Not found</body></html>", status=404)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                if page.send_length:
                    self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
                pass

        return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[Site]:
    site = Site()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def site(server: Site) -> Site:
    server.pages.clear()
    server.user_agents.clear()
    return server


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(min_interval=0, timeout=5, allow_private_urls=True) as client:  # the test site is on 127.0.0.1
        yield client


def long_summary() -> str:
    return "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


# --- feeds --------------------------------------------------------------------------------------------------

def test_rss_entries_are_read_from_their_pages(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    first = site.add("/news/flood-wall.html", news_page("Flood wall approved | Coastal Herald"))
    second = site.add("/news/ferry", news_page(site=None, author=None, published=None))
    gone_long = site.url("/news/gone-but-summarised")
    gone_short = site.url("/news/gone")
    feed = tmp_path / "herald.rss"
    feed.write_text(rss_feed([
        feed_item("Harbour council approves flood wall", first, "Teaser."),
        feed_item("Ferry timetable changes", second, "Teaser.", date="Wed, 06 Mar 2024 07:00:00 GMT",
                  author="Sam Lee"),
        feed_item("Bridge repairs", gone_long, long_summary()),
        feed_item("Pier closed", gone_short, "Short teaser only."),
    ]), encoding="utf-8")
    one, two, three, four = read_sources([str(feed)], fetcher=fetcher)

    assert isinstance(one, ArticleInput) and one.source == first and PARAGRAPHS[2] in one.text
    assert one.article.title == "Harbour council approves flood wall"  # the entry's title, not the page's
    assert one.article.published == "2024-03-05" and one.article.author == "Maria Okafor"
    assert one.article.publisher == "The Coastal Herald" and one.article.url == first
    assert "/" not in one.stem and one.stem.endswith("news-flood-wall")

    assert isinstance(two, ArticleInput) and two.article.published == "2024-03-06"
    assert two.article.author == "Sam Lee"
    assert two.article.publisher == "The Coastal Herald"  # the page names no site: the feed's title

    assert isinstance(three, ArticleInput) and three.text == "\n".join(PARAGRAPHS)  # the entry's own text
    assert three.article.url == gone_long and three.article.title == "Bridge repairs"

    assert isinstance(four, InputProblem) and four.source == gone_short
    assert four.message == (f"cannot fetch the page: HTTP 404 Not Found, and the entry's own text is too short "
                            f"to stand in (18 characters, {MIN_ENTRY_TEXT_CHARS} needed)")
    assert all(agent.startswith("newsgraph/") for agent in site.user_agents)


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
  <updated>2024-05-02T18:30:02Z</updated>
  <entry>
    <title>School reopens after storm repairs</title>
    <link href="{link}"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2024-05-02T18:30:02Z</updated>
    <author><name>Priya Natarajan</name></author>
    <summary>Pupils returned on Thursday.</summary>
  </entry>
</feed>
"""


@pytest.mark.parametrize("served", [False, True])
def test_atom_feed_from_a_file_or_a_url(site: Site, fetcher: Fetcher, tmp_path: Path, served: bool) -> None:
    page = site.add("/school", news_page("School reopens", site=None, author=None, published=None))
    if served:  # a relative link, resolved against the feed's URL
        feed = site.add("/atom.xml", ATOM.format(link="/school"), content_type="application/atom+xml")
    else:
        path = tmp_path / "courier.atom"
        path.write_text(ATOM.format(link=page), encoding="utf-8")
        feed = str(path)
    [item] = read_sources([feed], fetcher=fetcher)
    assert isinstance(item, ArticleInput) and item.article.url == page and item.source == page
    assert item.article.title == "School reopens after storm repairs"
    assert item.article.author == "Priya Natarajan" and item.article.published == "2024-05-02"
    assert item.article.publisher == "Valley Courier"


def test_feed_entry_whose_page_has_no_text_falls_back_or_fails(site: Site, fetcher: Fetcher,
                                                               tmp_path: Path) -> None:
    login = site.add("/login", LOGIN_PAGE)
    feed = tmp_path / "f.xml"
    feed.write_text(rss_feed([feed_item("Members only", login, "Log in to read.")]), encoding="utf-8")
    [item] = read_sources([str(feed)], fetcher=fetcher)
    assert isinstance(item, InputProblem) and item.source == login and item.message.startswith(NO_ARTICLE_TEXT)


def test_malformed_feed_url_is_one_problem(site: Site, fetcher: Fetcher) -> None:
    url = site.add("/broken.rss", "<rss version='2.0'><channel><title>Cut", content_type="application/rss+xml")
    [item] = read_sources([url], fetcher=fetcher)
    assert isinstance(item, InputProblem) and item.source == url and "malformed feed" in item.message


def test_published_argument_overrides_feed_dates(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    link = site.add("/a", news_page())
    feed = tmp_path / "f.atom"
    feed.write_text(rss_feed([feed_item("A", link, "t")]), encoding="utf-8")
    [item] = read_sources([str(feed)], published="2023-12-31", fetcher=fetcher)
    assert isinstance(item, ArticleInput) and item.article.published == "2023-12-31"


# --- pages given as URLs ------------------------------------------------------------------------------------

def test_url_of_a_page_is_one_article_named_after_its_final_url(site: Site, fetcher: Fetcher) -> None:
    final = site.add("/news/2024/flood-wall.html", news_page())
    moved = site.add("/old-link", b"", status=301, headers={"Location": "/news/2024/flood-wall.html"})
    [item] = read_sources([moved], fetcher=fetcher)
    assert isinstance(item, ArticleInput) and item.source == moved and item.article.url == final
    assert item.stem == item.article.id == "127-0-0-1-news-2024-flood-wall"
    assert item.article.title == "Harbour council approves flood wall"


def test_page_charset_comes_from_the_http_header(site: Site, fetcher: Fetcher) -> None:
    french = "Le maire a d\u00e9clar\u00e9 mardi que la digue serait achev\u00e9e avant l'hiver prochain. " * 3
    html = news_page(paragraphs=[french]).replace('<meta charset="utf-8">', "")
    url = site.add("/fr", html.encode("latin-1"), content_type="text/html; charset=ISO-8859-1")
    [item] = read_sources([url], fetcher=fetcher)
    assert isinstance(item, ArticleInput) and "d\u00e9clar\u00e9" in item.text


def test_plain_text_url_is_read_as_text(site: Site, fetcher: Fetcher) -> None:
    url = site.add("/story.txt", PARAGRAPHS[0], content_type="text/plain; charset=utf-8")
    [item] = read_sources([url], fetcher=fetcher)
    assert isinstance(item, ArticleInput) and item.text == PARAGRAPHS[0] and item.article.url is None
    assert item.stem == "127-0-0-1-story-txt"


@pytest.mark.parametrize(("body", "charset"), [
    (PARAGRAPHS[0].encode("utf-16"), "utf-16"),
    (PARAGRAPHS[0].encode("utf-16"), "utf-8"),  # the byte-order mark wins over the header, as in browsers
    (PARAGRAPHS[0].encode("cp1252"), "windows-1252"),
])
def test_plain_text_url_is_decoded_by_its_mark_or_charset(site: Site, fetcher: Fetcher, body: bytes,
                                                          charset: str) -> None:
    url = site.add("/story.txt", body, content_type=f"text/plain; charset={charset}")
    [item] = read_sources([url], fetcher=fetcher)
    assert isinstance(item, ArticleInput) and item.text == PARAGRAPHS[0]


def test_plain_text_url_whose_charset_makes_a_lone_surrogate_is_one_problem(site: Site, fetcher: Fetcher) -> None:
    url = site.add("/odd.txt", b"Tom Reyes said +2AA- yes.", content_type="text/plain; charset=utf-7")
    assert list(read_sources([url], fetcher=fetcher)) == [InputProblem(
        url, "the text holds a lone surrogate (U+D800) at character 15, which is not Unicode text")]


def test_unreachable_url_is_one_problem() -> None:
    url = "http://127.0.0.1:9/article"  # the discard port: nothing listens there
    with Fetcher(min_interval=0, timeout=2, allow_private_urls=True) as client:
        assert list(read_sources([url], fetcher=client)) == [InputProblem(url, "connection refused by 127.0.0.1:9")]


def test_http_error_and_unsupported_scheme_are_problems(site: Site, fetcher: Fetcher) -> None:
    missing = site.url("/missing")
    items = list(read_sources([missing, "ftp://example.com/a.html"], fetcher=fetcher))
    assert [i.message for i in problems(items)] == ["HTTP 404 Not Found", "only http and https URLs can be fetched"]


@pytest.mark.parametrize("send_length", [True, False])
def test_oversize_body_is_a_problem(site: Site, send_length: bool) -> None:
    url = site.add("/big", news_page() * 20, send_length=send_length)
    with Fetcher(min_interval=0, max_bytes=5_000, allow_private_urls=True) as client:
        with pytest.raises(FetchError, match=r"^response is over the 5 kB limit$"):
            client.fetch(url)
        assert list(read_sources([url], fetcher=client)) == [InputProblem(url, "response is over the 5 kB limit")]


def test_fetched_page_without_text_is_one_problem(site: Site, fetcher: Fetcher) -> None:
    url = site.add("/login", LOGIN_PAGE)
    assert list(read_sources([url], fetcher=fetcher)) == [InputProblem(url, NO_ARTICLE_TEXT)]


# --- the fetcher on its own (no sockets: httpx.MockTransport) -------------------------------------------------

class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, html="<html><body><p>ok</p></body></html>")


def test_requests_to_one_host_are_spaced_out() -> None:
    clock = FakeClock()
    with Fetcher(min_interval=1.0, clock=clock, sleep=clock.sleep, transport=httpx.MockTransport(ok)) as client:
        client.fetch("https://a.example/1")
        clock.now += 0.25
        client.fetch("https://a.example/2")  # 0.25 s after the first: waits the other 0.75 s
        client.fetch("https://b.example/1")  # another host: no wait
        clock.now += 5
        client.fetch("https://a.example/3")  # long after: no wait
    assert clock.sleeps == [0.75]


def test_zero_interval_never_waits() -> None:
    clock = FakeClock()
    with Fetcher(min_interval=0, clock=clock, sleep=clock.sleep, transport=httpx.MockTransport(ok)) as client:
        for _ in range(3):
            client.fetch("https://a.example/")
    assert clock.sleeps == []


def raising(exc: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.MockTransport(handler)


def dns_failure() -> httpx.ConnectError:
    try:
        raise socket.gaierror(-2, "Name or service not known")
    except socket.gaierror as cause:
        error = httpx.ConnectError("[Errno -2] Name or service not known")
        error.__cause__ = cause
        return error


@pytest.mark.parametrize(("exc", "message"), [
    (dns_failure(), "cannot find the host news.example (DNS lookup failed)"),
    (httpx.ConnectTimeout("timed out"), "timed out connecting to news.example after 3 s"),
    (httpx.ReadTimeout("timed out"), "timed out waiting for news.example after 3 s"),
    (httpx.RemoteProtocolError("Server disconnected\nwithout sending a response."),
     "RemoteProtocolError: Server disconnected without sending a response."),
])
def test_network_errors_become_one_line_messages(exc: Exception, message: str) -> None:
    client = Fetcher(min_interval=0, timeout=3, transport=raising(exc))
    with client, pytest.raises(FetchError) as caught:
        client.fetch("https://news.example/story")
    assert str(caught.value) == message and caught.value.url == "https://news.example/story"


# --- only public addresses, unless allowed --------------------------------------------------------------------

LOOPBACK_REFUSED = "127.0.0.1 is a loopback address, and newsgraph fetches from private networks only with " \
                   "--allow-private-urls"


def test_a_feed_entry_on_a_loopback_address_is_refused_by_default(site: Site, tmp_path: Path) -> None:
    internal = site.add("/internal.html", news_page("Internal: salaries 2024"))
    feed = tmp_path / "planted.rss"
    feed.write_text(rss_feed([feed_item("Harmless headline", internal, "Teaser.")]), encoding="utf-8")
    [item] = read_sources([str(feed)])
    assert item == InputProblem(internal, f"cannot fetch the page: {LOOPBACK_REFUSED}, and the entry's own text is "
                                          f"too short to stand in (7 characters, {MIN_ENTRY_TEXT_CHARS} needed)")
    assert site.user_agents == []  # not a single request reached the server
    [allowed] = read_sources([str(feed)], allow_private_urls=True)
    assert isinstance(allowed, ArticleInput) and allowed.article.url == internal


def test_a_url_on_a_loopback_address_is_one_line_and_nothing_is_sent(site: Site) -> None:
    url = site.add("/page", news_page())
    assert list(read_sources([url])) == [InputProblem(url, LOOPBACK_REFUSED)]
    assert site.user_agents == []


@pytest.fixture
def first_site_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test site's 127.0.0.1 taken for a public address, as if the site were on the internet; every other
    address is judged as always."""
    import ipaddress

    from newsgraph.ingest import addresses

    judge = addresses.refusal
    monkeypatch.setattr(addresses, "refusal",
                        lambda address: None if address == ipaddress.ip_address("127.0.0.1") else judge(address))


@pytest.mark.usefixtures("first_site_public")
@pytest.mark.parametrize(("target", "shown"), [
    ("http://127.0.0.2:{port}/internal", "127.0.0.2 is a loopback address"),
    ("http://[::ffff:10.0.0.7]:{port}/internal", "::ffff:10.0.0.7 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
])
def test_a_redirect_to_a_private_address_is_refused(site: Site, target: str, shown: str) -> None:
    location = target.format(port=site.server.server_address[1])
    url = site.add("/moved", b"", status=302, headers={"Location": location})
    with Fetcher(min_interval=0, timeout=5) as client:
        [item] = read_sources([url], fetcher=client)
    assert item == InputProblem(url, f"it redirects to {shown}, and newsgraph fetches from private networks only "
                                     "with --allow-private-urls")
    assert len(site.user_agents) == 1  # the first request only


@pytest.mark.usefixtures("first_site_public")
def test_a_name_is_refused_when_any_of_its_addresses_is_private(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    import ipaddress

    from newsgraph.ingest import addresses

    answers = {"news.example": ["127.0.0.1"], "mixed.example": ["127.0.0.1", "192.168.1.20"]}
    monkeypatch.setattr(addresses, "resolve",
                        lambda host, port: [ipaddress.ip_address(a) for a in answers.get(host, [host])])
    site.add("/story", news_page())
    port = site.server.server_address[1]
    with Fetcher(min_interval=0, timeout=5) as client:
        assert client.fetch(f"http://news.example:{port}/story").status == 200  # connects to the address checked
        with pytest.raises(FetchError) as caught:
            client.fetch(f"http://mixed.example:{port}/story")
    assert str(caught.value) == ("mixed.example (192.168.1.20) is a private address, and newsgraph fetches from "
                                 "private networks only with --allow-private-urls")


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
    ("192.168.0.1", "private"), ("169.254.169.254", "link-local"), ("224.0.0.251", "multicast"),
    ("240.0.0.1", "reserved"), ("0.0.0.0", "unspecified"), ("100.64.0.1", "non-public"),
    ("::1", "loopback"), ("::", "unspecified"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"),
    ("2002:7f00:1::", "loopback"), ("64:ff9b::a00:1", "private"),  # 6to4 and NAT64 carrying IPv4 addresses
    ("93.184.215.14", None), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None), ("64:ff9b::5db8:d70e", None),
])
def test_which_addresses_are_refused(address: str, kind: str | None) -> None:
    import ipaddress

    from newsgraph.ingest.addresses import refusal

    assert refusal(ipaddress.ip_address(address)) == kind
