"""<convener-events> in real headless Chromium: the example partner page, on its own origin,
shows what is coming up from a production hub (anonymous callers persisted-only)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.sync_api import Page, expect

from connectors.partners import PartnerConfig, PartnersFile, SystemConfig
from examples.demo_web import Serving
from graph.database import Graph
from graph.ingest import sync_source
from graph.local_neo4j import LocalNeo4j, free_port
from hub.config import Settings
from hub.sync.run import run_sync
from hub.web.app import create_app
from tests.test_api_fixture import fresh_region
from tests.test_events_api import LEARNING, _records
from tests.test_explorer_ui import browser  # noqa: F401 (the module's Chromium, shared)
from tests.test_widget import Sites, contrast, page, screenshot, serve_page  # noqa: F401


@pytest.fixture(scope="module")
async def sites(neo4j_server: LocalNeo4j, session_graph: Graph) -> AsyncIterator[Sites]:
    graph = await fresh_region(session_graph)
    assert (await sync_source(graph, LEARNING, _records())).succeeded
    hub_url = f"http://127.0.0.1:{free_port()}"
    partner, partner_url = serve_page(hub_url)
    partners = PartnersFile(
        systems=[SystemConfig(id="north-vale", name="North Vale ICS")],
        partners=[
            PartnerConfig(
                id="vale-carers",
                name="Vale Carers Trust",
                sector="voluntary",
                system="north-vale",
                embed_origins=[partner_url],
            )
        ],
    )
    assert (await run_sync(graph, partners)).ok  # stores the partner's embed origins
    settings = Settings(_env_file=None, env="production")  # type: ignore[call-arg]
    app = create_app(Graph.connect(neo4j_server.uri), settings=settings)
    try:
        with Serving(app, int(hub_url.rsplit(":", 1)[1])):
            yield Sites(hub_url, partner_url, partner_url)
    finally:
        partner.shutdown()
        partner.server_close()


def test_the_partner_page_shows_events_coming_up_on_its_topic(
    sites: Sites,
    page: tuple[Page, list[str]],  # noqa: F811
) -> None:
    tab, problems = page
    answers: list[int] = []
    tab.on("response", lambda r: answers.append(r.status) if "/graphql" in r.url else None)
    tab.goto(sites.partner)
    widget = tab.locator("convener-events")
    expect(widget.get_by_role("heading", level=2)).to_have_text("Falls events and training")
    cards = widget.get_by_role("listitem")
    expect(cards).to_have_count(2)  # the masterclass and the carers' day; nothing past
    first = cards.nth(0)
    expect(first.get_by_role("link")).to_have_text("Falls prevention masterclass")
    expect(first.get_by_role("link")).to_have_attribute("href", "https://nvh.example/book/falls")
    expect(first).to_contain_text(
        "training · Education Centre, North Vale General · North Vale Hospitals NHS Foundation "
        "Trust"
    )
    expect(first.locator(".meta").first).to_contain_text("day")  # "Thursday 10 ..., 10:00 GMT"
    second = cards.nth(1)  # no booking link: the hub's page for it
    expect(second.get_by_role("link")).to_have_attribute(
        "href", f"{sites.hub}/#/resource/learning%3Ae-carers"
    )
    subscribe = widget.get_by_role("link", name="Subscribe to these in your calendar")
    expect(subscribe).to_have_attribute("href", f"{sites.hub}/calendar.ics?topic=falls+prevention")
    assert contrast(tab, "convener-events li .meta") >= 4.5
    screenshot(tab, "widget-events")
    assert answers and set(answers) == {200}
    assert problems == [], problems


def test_without_a_topic_it_shows_an_organisations_events(
    sites: Sites,
    page: tuple[Page, list[str]],  # noqa: F811
) -> None:
    tab, problems = page
    tab.goto(sites.partner)  # the partner's origin, which the hub allows
    tab.set_content(
        f'<script src="{sites.hub}/embed/convener.js"></script>'
        '<convener-events organisation="ods:ZNV01" first="5"></convener-events>'
    )
    widget = tab.locator("convener-events")
    expect(widget.get_by_role("heading", level=2)).to_have_text("What's on")
    titles = widget.get_by_role("listitem").get_by_role("heading", level=3)
    expect(titles).to_have_text(["Sepsis webinar", "Falls prevention masterclass"])
    expect(widget.get_by_role("listitem").first).to_contain_text("event · Online")
    subscribe = widget.get_by_role("link", name="Subscribe to these in your calendar")
    feed = f"{sites.hub}/calendar.ics?organisation=ods%3AZNV01"
    expect(subscribe).to_have_attribute("href", feed)
    assert problems == [], problems
