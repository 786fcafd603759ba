"""The pages in a real headless Chromium (Playwright), served by uvicorn on 127.0.0.1 over the sample store.

Every page must load without a request leaving the machine and without a console error or a script
error; each leaves a full-page screenshot in $NEWSGRAPH_ARTIFACTS/screenshots (default
test-artifacts/screenshots) to look at. Playwright drives the Debian `chromium` (scripts/ci_services.sh
installs it) and never downloads a browser. Without chromium or playwright the module is skipped, unless
NEWSGRAPH_REQUIRE_BROWSER=1, which makes that a failure (CI sets it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newsgraph.server.app import create_app
from newsgraph.store.connect import open_engine
from newsgraph.store.query import find_actors
from tests.live_server import live_server

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE = os.environ.get("NEWSGRAPH_REQUIRE_BROWSER") == "1"
REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(os.environ.get("NEWSGRAPH_ARTIFACTS") or REPO / "test-artifacts") / "screenshots"
EXAMPLE_KEY = "ukraine-2022-04-26"
TIMEOUT_MS = 15_000

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

_missing = ("the playwright package is not installed" if sync_playwright is None
            else f"{CHROMIUM} is missing (scripts/ci_services.sh installs it)" if not CHROMIUM.exists() else None)
if _missing:
    if REQUIRE:
        pytest.fail(f"NEWSGRAPH_REQUIRE_BROWSER=1 but {_missing}", pytrace=False)
    pytest.skip(_missing, allow_module_level=True)


# --- the server and the browser -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def base_url(sample_store_url: str, analyzer: Any) -> Iterator[str]:
    with live_server(create_app(sample_store_url, analyzer=analyzer)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert sync_playwright is not None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@dataclass
class Watched:
    """A page with everything it requested and every error it reported."""

    page: Page
    base_url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path, wait_until="networkidle")
        assert response is not None and response.status == 200, (path, response and response.status)

    def screenshot(self, name: str, full_page: bool = True) -> None:
        """Full page from the top (sticky parts then sit where they belong), or the viewport as it is."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if full_page:
            self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    def check(self) -> None:
        """Nothing left 127.0.0.1, and nothing went wrong in the page."""
        outside = [u for u in self.requests if urlsplit(u).scheme not in ("data", "about", "blob")
                   and urlsplit(u).hostname != "127.0.0.1"]
        assert outside == [], f"requests left the machine: {outside}"
        assert self.errors == [], f"errors in the page: {self.errors}"

    def csp_violations(self) -> list[str]:
        """What the page's Content-Security-Policy blocked so far (recorded by RECORD_CSP_VIOLATIONS)."""
        return list(self.page.evaluate("window.__cspViolations || []"))


# Playwright's init scripts run in every page before its own and are not subject to the page's policy.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def watched(browser: Browser, base_url: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    w = Watched(page, base_url)
    page.on("request", lambda request: w.requests.append(request.url))
    page.on("console", lambda message: w.errors.append(f"console: {message.text}") if message.type == "error"
            else None)
    page.on("pageerror", lambda error: w.errors.append(f"page error: {error}"))
    yield w
    context.close()
    w.check()


@pytest.fixture(scope="module")
def putin(sample_store_url: str) -> int:
    engine = open_engine(sample_store_url)
    try:
        return int(find_actors(engine, "Vladimir Putin")[0][0])
    finally:
        engine.dispose()


# --- the pages ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "path", "heading"), [
    ("overview", "/", "Who said what, and what happened"),
    ("articles", "/articles", "Articles"),
    ("article", f"/articles/{EXAMPLE_KEY}", EXAMPLE_KEY),
    ("statements", "/statements", "Statements"),
    ("actors", "/actors", "Actors"),
    ("network", "/network", "Network"),
    ("timeline", "/timeline", "Timeline"),
    ("map", "/map?place=Ukraine", "Map"),
    ("claims", "/claims", "Claims across sources"),
    ("stories", "/stories", "Stories"),
])
def test_page_loads_offline_without_errors(watched: Watched, name: str, path: str, heading: str) -> None:
    watched.goto(path)
    assert heading in watched.page.inner_text("h1")
    assert watched.page.is_visible("nav.site-nav") and watched.page.is_visible("footer.site-footer")
    watched.screenshot(name)


def test_actor_page(watched: Watched, putin: int) -> None:
    watched.goto(f"/actors/{putin}")
    assert "Vladimir Putin" in watched.page.inner_text("h1")
    assert watched.page.locator("#said li.record").count() >= 5
    watched.screenshot("actor")


def test_actor_page_draws_its_network_and_its_nodes_lead_to_actor_pages(watched: Watched, putin: int) -> None:
    from newsgraph.store.network import EDGE_TYPES

    watched.goto(f"/actors/{putin}")
    page = watched.page
    graph = page.locator("#network figure.network-view.drawn svg.network-graph")
    graph.wait_for(state="visible")
    listed = page.locator("#network .network-nodes li").count()
    nodes = graph.locator("a.node")
    assert listed > 1 and nodes.count() == listed
    assert graph.locator("a.node.ego").get_attribute("href") == f"/actors/{putin}"
    assert graph.locator("path.edge").count() == page.locator("#network tr.network-edge").count() > 0
    assert set(graph.locator("path.edge").evaluate_all("paths => paths.map(p => p.dataset.type)")) <= set(EDGE_TYPES)
    # Every node is drawn inside the picture.
    box = graph.bounding_box()
    assert box is not None
    for circle in graph.locator("circle").all():
        c = circle.bounding_box()
        assert c is not None and box["x"] <= c["x"] and c["x"] + c["width"] <= box["x"] + box["width"] + 1
    graph.scroll_into_view_if_needed()
    watched.screenshot("actor-network", full_page=False)
    # A node can be dragged aside (its edges follow) without following its link.
    neighbour = graph.locator("a.node:not(.ego)").first
    circle = neighbour.locator("circle")
    before = circle.bounding_box()
    assert before is not None
    page.mouse.move(before["x"] + before["width"] / 2, before["y"] + before["height"] / 2)
    page.mouse.down()
    page.mouse.move(before["x"] + 60, before["y"] + 40, steps=5)
    page.mouse.up()
    after = circle.bounding_box()
    assert after is not None and abs(after["x"] - before["x"]) > 20 and page.url.endswith(f"/actors/{putin}")
    # A neighbour's node leads to its page, which draws its own network.
    href = neighbour.get_attribute("href") or ""
    assert re.fullmatch(r"/actors/\d+", href), href
    with page.expect_navigation(wait_until="networkidle"):
        neighbour.locator("circle").click()
    assert page.url.endswith(href)
    page.locator("#network svg.network-graph a.node.ego").wait_for(state="visible")


def test_analyze_form_marks_up_the_text(watched: Watched) -> None:
    watched.goto("/analyze")
    watched.page.fill("textarea[name=text]", 'Russian President Vladimir Putin said on Tuesday that Moscow would '
                      'keep its troops near the border. "We will not be threatened," Putin told reporters in Moscow.')
    watched.page.fill("input[name=published]", "2022-04-26")
    with watched.page.expect_navigation(wait_until="networkidle"):
        watched.page.click("form[action='/analyze'] button[type=submit]")
    assert watched.page.locator(".ng-doc .ng-speaker").count() >= 2
    first = watched.page.locator(".side-item[data-record^='S']").first
    first.click()
    assert watched.page.locator(".ng-doc .sent.active").first.is_visible()
    watched.screenshot("analyze")


def test_article_list_item_highlights_its_sentence(watched: Watched) -> None:
    watched.goto(f"/articles/{EXAMPLE_KEY}")
    watched.page.click(".side-item[data-record='V1']")
    active = watched.page.locator(".ng-doc .sent.active")
    assert active.count() >= 1 and active.first.is_visible()
    assert active.first.locator("[data-record='V1']").count() >= 1


def test_statement_filter_then_link_to_the_highlighted_sentence(watched: Watched) -> None:
    watched.goto("/statements")
    page = watched.page
    unfiltered = page.locator("#statement-results > li").count()
    page.fill("input[name=speaker]", "Putin")
    with page.expect_navigation(wait_until="networkidle"):
        page.click("form.filters button[type=submit]")
    assert "speaker=Putin" in page.url
    results = page.locator("#statement-results > li")
    assert 0 < results.count() < unfiltered
    for meta in results.locator(".record-meta .actor").all_inner_texts():
        assert "Putin" in meta
    watched.screenshot("statements-filtered")

    link = results.first.locator("a.record-text")
    excerpt = link.inner_text().rstrip("…").strip()
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"/articles/[^?#]+\?record=S\d+#s-\d+", href), href
    with page.expect_navigation(wait_until="networkidle"):
        link.click()
    sentence = page.locator(".ng-doc .sent.active").first
    sentence.wait_for(state="visible")
    assert sentence.is_visible()
    words = " ".join(excerpt.split()[:6])
    assert words in " ".join(page.locator(".ng-doc .sent.active").all_inner_texts())
    watched.screenshot("statement-in-article", full_page=False)  # the sentence, scrolled into view


def test_a_claim_leads_to_its_statements_sentences(watched: Watched) -> None:
    """The sample store's PolNeAR articles repeat claims across outlets: the claim page lists them, and a
    statement's link opens its article with the statement's sentence highlighted."""
    watched.goto("/claims")
    page = watched.page
    rows = page.locator("#claims tbody tr")
    assert rows.count() >= 1
    with page.expect_navigation(wait_until="networkidle"):
        rows.first.locator("a").first.click()
    assert page.locator("#backing li, #against li").count() >= 2  # a claim of two or more articles
    watched.screenshot("claim")
    link = page.locator("#backing li a, #against li a").first
    with page.expect_navigation(wait_until="networkidle"):
        link.click()
    assert re.search(r"/articles/[^?#]+\?record=S\d+", page.url)
    page.locator(".ng-doc .ng-selected").first.wait_for(state="visible")


@pytest.mark.parametrize("path", ["/", "/articles", f"/articles/{EXAMPLE_KEY}", "/statements", "/actors", "/network",
                                  "/timeline", "/map?place=Ukraine", "/analyze", "/claims", "/stories",
                                  "/api/docs"])
def test_pages_break_no_rule_of_their_content_security_policy(watched: Watched, path: str) -> None:
    response = watched.page.goto(watched.base_url + path, wait_until="networkidle")
    assert response is not None and "content-security-policy" in response.headers
    if path == "/api/docs":
        watched.page.wait_for_selector(".swagger-ui .opblock")  # Swagger UI ran and drew the endpoints
    assert watched.csp_violations() == []


def test_actor_page_breaks_no_rule_of_its_content_security_policy(watched: Watched, putin: int) -> None:
    watched.goto(f"/actors/{putin}")
    assert watched.csp_violations() == []


def test_the_content_security_policy_is_in_force(watched: Watched) -> None:
    """The check above can fail: an inline style put into a page is blocked and reported."""
    watched.goto("/")
    watched.page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    watched.page.wait_for_function("window.__cspViolations.length > 0")
    assert [v for v in watched.csp_violations() if v.startswith("style-src-attr blocked inline")]
    watched.errors.clear()  # the browser reports the blocked style in the console too, as it should
