"""The embeddable widget in real headless Chromium: the example partner page on its own origin
embeds it from a running hub (in production mode: anonymous callers persisted-only).

One hub and three partner-page servers for the module, all on 127.0.0.1: the partner's origin
(allowed through the partners file, synced for real), a stranger's (refused), and the same page
with the hub's API cut off (the fallback). Screenshots go to artefacts/.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from connectors.partners import PartnerConfig, PartnersFile, SystemConfig
from examples.demo_web import Serving
from graph.database import Graph
from graph.local_neo4j import LocalNeo4j, free_port
from hub.config import Settings
from hub.sync.run import run_sync
from hub.web.app import create_app
from tests.test_explorer_ui import browser  # noqa: F401 (the module's Chromium, shared)
from tests.test_personal_data import build

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "artefacts"
WAIT_MS = 30_000


def partner_site() -> ModuleType:
    """examples/partner-site/serve.py (its folder name is not a package name)."""
    path = ROOT / "examples" / "partner-site" / "serve.py"
    spec = importlib.util.spec_from_file_location("partner_site", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Sites:
    hub: str
    partner: str
    stranger: str


def serve_page(hub: str) -> tuple[ThreadingHTTPServer, str]:
    port = free_port()
    server = partner_site().server(hub, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
async def sites(neo4j_server: LocalNeo4j, session_graph: Graph) -> AsyncIterator[Sites]:
    await build(session_graph)
    hub_url = f"http://127.0.0.1:{free_port()}"
    partner, partner_url = serve_page(hub_url)
    stranger, stranger_url = serve_page(hub_url)
    partners = PartnersFile(
        systems=[SystemConfig(id="zv-ics", name="Zedvale ICS")],
        partners=[
            PartnerConfig(
                id="zv-carers",
                name="Zedvale Carers",
                sector="voluntary",
                system="zv-ics",
                embed_origins=[partner_url],
            )
        ],
    )
    report = await run_sync(session_graph, partners)  # stores the partner's embed origins
    assert report.ok
    settings = Settings(_env_file=None, env="production")  # type: ignore[call-arg]
    app = create_app(Graph.connect(neo4j_server.uri), settings=settings)
    port = int(hub_url.rsplit(":", 1)[1])
    try:
        with Serving(app, port):
            yield Sites(hub_url, partner_url, stranger_url)
    finally:
        for server in (partner, stranger):
            server.shutdown()
            server.server_close()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield opened, problems
    context.close()


def screenshot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def contrast(page: Page, selector: str) -> float:
    """WCAG contrast of an element's text against its card, computed in the page."""
    return float(
        page.locator(selector).first.evaluate(
            """(node) => {
              const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
              const lum = ([r, g, b]) => {
                const f = (v) => {
                  v /= 255;
                  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
                };
                return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
              };
              const card = node.closest("li");
              const a = lum(rgb(getComputedStyle(node).color));
              const b = lum(rgb(getComputedStyle(card).backgroundColor));
              return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            }"""
        )
    )


def test_the_partner_page_shows_live_cards_from_the_hub(
    sites: Sites, page: tuple[Page, list[str]]
) -> None:
    tab, problems = page
    answers: list[int] = []
    tab.on("response", lambda r: answers.append(r.status) if "/graphql" in r.url else None)
    tab.goto(sites.partner)

    related = tab.locator("convener-related")
    expect(related.get_by_role("heading", level=2)).to_have_text("Related work on Falls prevention")
    cards = related.get_by_role("listitem")
    expect(cards).to_have_count(2)
    expect(cards.nth(0).get_by_role("link")).to_have_text("Falls huddles on every ward")
    expect(cards.nth(0)).to_contain_text("Project · Zedvale Hospitals")
    expect(cards.nth(1).get_by_role("link")).to_have_text("Huddle cards")
    link = cards.nth(0).get_by_role("link")
    expect(link).to_have_attribute("href", f"{sites.hub}/#/project/zv%3Aj1")

    people = tab.locator("convener-who-else")
    expect(people.get_by_role("heading", level=2)).to_have_text("People to talk to about falls")
    names = people.get_by_role("listitem").get_by_role("heading", level=3)
    expect(names).to_have_text(["Nia Brook", "Owen Hale"])  # listed people only
    expect(people).not_to_contain_text("Pia Stone")
    expect(people.get_by_role("listitem").first).to_contain_text("Falls lead · Zedvale Hospitals")

    # Themed by the partner's custom properties, and still readable.
    assert link.evaluate("(a) => getComputedStyle(a).color") == "rgb(90, 42, 110)"
    assert contrast(tab, "convener-related li a") >= 4.5
    assert contrast(tab, "convener-who-else li .meta") >= 4.5

    # Keyboard: tabbing from the page's own links reaches the first card's link.
    for _ in range(12):
        tab.keyboard.press("Tab")
        focused = tab.evaluate(
            "() => document.activeElement.shadowRoot?.activeElement?.textContent ?? ''"
        )
        if focused == "Falls huddles on every ward":
            break
    else:
        pytest.fail("the first card's link is not reachable with the keyboard")

    screenshot(tab, "widget-partner-page")
    assert answers and set(answers) == {200}
    assert problems == [], problems


def test_a_page_from_an_origin_no_partner_configured_is_refused(
    sites: Sites, page: tuple[Page, list[str]]
) -> None:
    tab, _ = page
    tab.goto(sites.stranger)
    related = tab.locator("convener-related")
    # The widget falls back to what the partner put inside it.
    expect(related.get_by_role("link", name="related work on Convener")).to_be_visible()
    expect(related.get_by_role("listitem")).to_have_count(0)
    screenshot(tab, "widget-refused-origin")
    refused = httpx.get(
        f"{sites.hub}/graphql",
        params={"id": "ConvenerRelated", "variables": '{"topic": "falls"}'},
        headers={"origin": sites.stranger},
    )
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"].startswith(
        f"Origin {sites.stranger} may not call this hub."
    )


def test_when_the_hub_cannot_be_reached_the_widget_says_so(
    sites: Sites, page: tuple[Page, list[str]]
) -> None:
    tab, _ = page
    tab.route("**/graphql?**", lambda route: route.abort("connectionrefused"))
    tab.set_content(
        f'<script src="{sites.hub}/embed/convener.js"></script>'
        '<convener-who-else topic="falls"></convener-who-else>'
    )
    widget = tab.locator("convener-who-else")
    expect(widget.get_by_role("status")).to_have_text(
        "Live answers from Convener are not available just now. Visit Convener"
    )
    expect(widget.get_by_role("link", name="Visit Convener")).to_have_attribute("href", sites.hub)
