"""The explorer in real headless Chromium, against the hub serving the whole demo region.

One hub for the module: the demo partner web is served on 127.0.0.1, synced into the session's
Neo4j through the real connectors (`run_sync`), similar projects scored, a member API key made
through the real code path (`hub.keys.create_key`), and the hub (`create_app`) runs under
uvicorn in a thread. Screenshots go to artefacts/.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

import httpx
import icalendar
import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, expect, sync_playwright

from bench.explorer import view_constant
from connectors.partners import PartnersFile
from examples.demo_web import DEMO_SECRETS, EXAMPLES, PartnerWeb, Serving, demo_partners
from graph.contributions import store as contributions_store
from graph.database import Graph
from graph.impact import take_snapshot
from graph.local_neo4j import LocalNeo4j, free_port
from graph.similarity.engine import rescore_all
from hub.config import Settings, ingest_options
from hub.keys import create_key
from hub.sync.run import run_sync
from hub.web.app import create_app
from hub.web.persisted import PERSISTED_DIR, load_documents
from schema.viewer import Role
from tests.contributions_helpers import pdf_with
from tests.live import serving

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "artefacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_LOAD_BUDGET = 300_000  # bytes of JavaScript on the first load of /
PLANTED = json.loads((EXAMPLES / "planted.json").read_text(encoding="utf-8"))
NORTH_VALE = "north-vale-ics"
NV_HOSPITALS = "ods:ZNV01"
NV_HOSPITALS_NAME = "North Vale Hospitals NHS Foundation Trust"
EM_HOSPITALS = "Eastmoor and Wyndham Hospitals NHS Trust"
WAIT_MS = 30_000  # how long to wait for a page; cold Neo4j queries can take seconds at first

expect.set_options(timeout=WAIT_MS)


API_TIMEOUT_S = 30.0


@dataclass
class Hub:
    url: str
    partners: PartnersFile
    member_key: str  # a member's API key, made through `hub.keys.create_key`
    partner_admin_key: str = ""  # a moderator of North Vale Hospitals' work, made alike

    def query(self, query: str, **variables: Any) -> Any:
        """The API's answer to an anonymous caller."""
        return self._post(query, variables, {})

    def member_query(self, query: str, **variables: Any) -> Any:
        """The API's answer to a signed-in member."""
        return self._post(query, variables, {"authorization": f"Bearer {self.member_key}"})

    def _post(self, query: str, variables: dict[str, Any], headers: dict[str, str]) -> Any:
        # As long as the browser waits: the first search of a session plans its long statement
        # (seconds on a busy machine), which httpx's default of five seconds cut short in CI.
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=API_TIMEOUT_S,
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


@pytest.fixture(scope="module")
async def hub(
    neo4j_server: LocalNeo4j, session_graph: Graph, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Hub]:
    """The demo region synced for real, and the hub serving it (explorer included)."""
    await session_graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    web_port = free_port()
    partners, env = demo_partners(web_port)
    with Serving(PartnerWeb(partners, EXAMPLES / "web", DEMO_SECRETS).app(), web_port):
        report = await run_sync(
            session_graph, partners, env=env, options=ingest_options(Settings())
        )
    assert report.ok, [o.summary for o in report.failed]
    if getattr(report, "similarity", None) is None:  # the sync did not score similar projects
        await rescore_all(session_graph)
    member_key, _ = await create_key(session_graph, Role.MEMBER, None, "explorer UI test")
    # A partner admin who moderates North Vale Hospitals' submissions, as the hub decides it.
    moderated_by = await contributions_store.organisation(session_graph, NV_HOSPITALS)
    assert moderated_by is not None and moderated_by.partner is not None
    admin_key, _ = await create_key(
        session_graph, Role.PARTNER_ADMIN, moderated_by.partner, "explorer UI moderator"
    )
    files = tmp_path_factory.mktemp("files")  # members' uploads, kept out of the work tree
    settings = Settings(files_dir=files)  # type: ignore[call-arg]
    with serving(create_app(Graph.connect(neo4j_server.uri), settings=settings)) as url:
        yield Hub(url, partners, member_key, admin_key)


@pytest.fixture(scope="module")
def production(hub: Hub, neo4j_server: LocalNeo4j) -> Iterator[Hub]:
    """A second hub over the same graph, in production: anonymous callers persisted-only."""
    settings = Settings(_env_file=None, env="production")  # type: ignore[call-arg]
    assert settings.persisted_only
    with serving(create_app(Graph.connect(neo4j_server.uri), settings=settings)) as url:
        yield Hub(url, hub.partners, hub.member_key, hub.partner_admin_key)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    playwright: Playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    yield opened
    context.close()
    assert problems == [], problems


def settled(page: Page) -> None:
    """Waits until the explorer has drawn what it was loading (``main`` no longer busy).

    Checked in the page on every frame: an ``expect`` polls at growing intervals, so it sees
    a page that is ready soon after its first look only at its next, and the suite opens
    hundreds."""
    page.wait_for_function("() => document.querySelector('main')?.ariaBusy === 'false'")


def shown(page: Page, hub: Hub, route: str) -> Page:
    """Opens a route and waits until the page for it is on screen."""
    page.goto(f"{hub.url}/{route}")
    settled(page)
    return page


def screenshot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def test_first_load_is_under_300_kb_of_javascript(hub: Hub, browser: Browser) -> None:
    context = browser.new_context()
    opened = context.new_page()
    scripts: dict[str, int] = {}

    def count(response: Any) -> None:
        if response.request.resource_type == "script":
            scripts[response.url] = len(response.body())

    opened.on("response", count)
    opened.goto(f"{hub.url}/")
    settled(opened)
    expect(opened.get_by_role("heading", level=1)).to_have_text("Who else is working on…")
    opened.wait_for_load_state("networkidle")
    context.close()
    total = sum(scripts.values())
    print(f"\nexplorer first load: {total} bytes of JavaScript in {len(scripts)} files")
    assert 0 < total < FIRST_LOAD_BUDGET, scripts
    assert not any("/vendor/" in url for url in scripts), (
        "the layout library loads with the network"
    )


def test_search_shows_the_best_matches_first_and_more_on_request(hub: Hub, page: Page) -> None:
    first = view_constant("search", "HITS")
    assert f"$first: Int = {first}" in PERSISTED["ExplorerSearch"].text
    text = "prevention"
    asked = """query ($t: String!) {
        search(text: $t, first: 100) { kind node { ... on Project { id } } } }"""
    found = hub.query(asked, t=text)["search"]
    assert first < len(found) < view_constant("search", "MORE_HITS"), "more than a page, all shown"

    def projects(hits: list[dict[str, Any]]) -> list[str]:
        return [hit["node"]["id"] for hit in hits if hit["kind"] == "PROJECT"]

    def shown_projects() -> list[str]:
        hashes = page.locator("#projects li h3 a").evaluate_all("a => a.map(x => x.hash)")
        return [unquote(link.split("/")[-1]) for link in hashes]

    shown(page, hub, f"#/search?q={text}")
    summary = page.locator("#result-summary")
    expect(summary).to_contain_text(f"Showing the best {first} matches: show more.")
    assert shown_projects() == projects(found[:first])

    # More is an address of its own: it lists every match, and says no more.
    page.locator("#more-results").click()
    settled(page)
    assert "more=1" in page.url and f"q={text}" in page.url
    assert shown_projects() == projects(found)
    expect(summary).not_to_contain_text("Showing the best")
    expect(page.locator("#more-results")).to_have_count(0)

    # Resources match only past the first page: the first page does not say none do.
    assert "RESOURCE" not in {hit["kind"] for hit in found[:first]}
    assert "RESOURCE" in {hit["kind"] for hit in found}
    resources = page.locator("section", has=page.get_by_role("heading", name="Resources"))
    expect(resources.locator("#resources li").first).to_be_visible()
    page.go_back()
    settled(page)
    expect(resources.locator("p.none")).to_have_text(f"None among the best {first} matches.")


def test_search_finds_people_working_on_a_topic_in_another_organisation(
    hub: Hub, page: Page
) -> None:
    shown(page, hub, "")
    page.get_by_label("I work at").select_option(NV_HOSPITALS)
    page.get_by_label("Search for").fill("inpatient falls")
    page.get_by_label("Search for").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who else is working on “inpatient falls”"
    )
    settled(page)
    expect(page.locator("#result-summary")).to_contain_text("on the topic Falls prevention")

    # The planted falls duplicate in the other system: its people are found, marked as
    # working in another organisation, with the project as evidence.
    project = next(
        f"{side['source']}:{side['ref']}"
        for pair in PLANTED["duplicates"]
        for side in pair
        if side["ref"] == "EWH0001"
    )
    data = hub.query(
        "query($id: ID!) { project(id: $id) { title people { person { id name } } } }",
        id=project,
    )["project"]
    assert data["people"], "the planted project has listed people"
    for member in data["people"]:
        card = page.locator(f"#people li[data-person='{member['person']['id']}']")
        expect(card.get_by_role("heading", level=3)).to_have_text(member["person"]["name"])
        expect(card.locator(".tag.other")).to_have_text("another organisation")
        expect(
            card.get_by_role("link", name="Eastmoor and Wyndham Hospitals NHS Trust")
        ).to_be_visible()
        expect(card.get_by_role("link", name=data["title"])).to_be_visible()
    screenshot(page, "explorer-search")

    # Only other organisations: nobody from North Vale Hospitals is left.
    assert page.locator("#people .tag.mine").count() > 0
    page.get_by_label("Only other organisations").check()
    page.get_by_role("button", name="Search").click()
    settled(page)
    expect(page.locator("#people li").first).to_be_visible()
    expect(page.locator("#people .tag.mine")).to_have_count(0)

    # Through to the person's page and back to the evidence.
    first = data["people"][0]["person"]
    page.locator(f"#people li[data-person='{first['id']}'] h3 a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first["name"])
    expect(page.locator("main")).to_contain_text(data["title"])


SIMILAR = "query($id: ID!) { project(id: $id) { similar(first: 10) { project { id title } } } }"


def project_route(project_id: str) -> str:
    return f"#/project/{project_id.replace(':', '%3A').replace('/', '%2F')}"


def test_pages_for_a_project_organisation_topic_and_system(hub: Hub, page: Page) -> None:
    pair = PLANTED["duplicates"][0]
    here = f"{pair[0]['source']}:{pair[0]['ref']}"
    shown(page, hub, project_route(here))
    expect(page.get_by_role("heading", level=1)).to_have_text(pair[0]["title"])
    expect(
        page.get_by_role("link", name="North Vale Hospitals NHS Foundation Trust")
    ).to_be_visible()
    similar = [s["project"] for s in hub.query(SIMILAR, id=here)["project"]["similar"]]
    expect(page.locator("#similar li")).to_have_count(len(similar))  # what the API says

    # Similar work links through: a planted pair the similarity engine finds (it finds only
    # some of them at the default threshold, so which one is the API's to say).
    def similar_ids(side: dict[str, str]) -> set[str]:
        answer = hub.query(SIMILAR, id=f"{side['source']}:{side['ref']}")
        return {s["project"]["id"] for s in answer["project"]["similar"]}

    found = [
        (one, other)
        for a, b in PLANTED["duplicates"]
        for one, other in ((a, b), (b, a))
        if f"{other['source']}:{other['ref']}" in similar_ids(one)
    ]
    assert found, "the similarity engine finds at least one planted pair"
    one, other = found[0]
    shown(page, hub, project_route(f"{one['source']}:{one['ref']}"))
    page.locator("#similar").get_by_role("link", name=other["title"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(other["title"])
    assert page.url.endswith(project_route(f"{other['source']}:{other['ref']}"))

    shown(page, hub, project_route(f"{pair[1]['source']}:{pair[1]['ref']}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(pair[1]["title"])
    page.get_by_role("link", name="Eastmoor and Wyndham Hospitals NHS Trust").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Eastmoor and Wyndham Hospitals NHS Trust"
    )
    expect(page.get_by_role("heading", name="Works with")).to_be_visible()
    expect(page.locator("table tbody tr").first).to_be_visible()

    shown(page, hub, "#/topic/falls")
    expect(page.get_by_role("heading", level=1)).to_have_text("Falls prevention")
    expect(page.get_by_role("link", name=pair[0]["title"]).first).to_be_visible()
    page.reload()  # a real address: the same page comes back
    expect(page.get_by_role("heading", level=1)).to_have_text("Falls prevention")

    shown(page, hub, f"#/system/{NORTH_VALE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("North Vale Integrated Care System")
    for partner in hub.partners.partners:
        if partner.system == NORTH_VALE:
            expect(page.get_by_role("link", name=partner.name, exact=True).first).to_be_visible()


def test_a_person_shows_contact_only_where_the_api_gives_it(hub: Hub, page: Page) -> None:
    people = hub.query("{ people(first: 100) { nodes { id name contact { email } } } }")
    nodes = people["people"]["nodes"]
    no_contact = next(p for p in nodes if not (p["contact"] and p["contact"]["email"]))
    shown(page, hub, f"#/person/{no_contact['id'].replace(':', '%3A')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(no_contact["name"])
    expect(page.locator("main")).to_contain_text("Contact details are not shown")
    expect(page.locator("main a[href^='mailto:']")).to_have_count(0)

    # Anonymous callers get no contact details at all; a member gets them where the person
    # consented, and the page shows them.
    assert all(p["contact"] is None for p in nodes)
    member = hub.member_query("{ people(first: 100) { nodes { id name contact { email } } } }")
    consented = [p for p in member["people"]["nodes"] if p["contact"] and p["contact"]["email"]]
    assert consented, "the demo region has people who consented to showing their e-mail"
    person = consented[0]
    sign_in(page, hub.member_key)
    signed_in(page)
    shown(page, hub, f"#/person/{person['id'].replace(':', '%3A')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(person["name"])
    expect(page.get_by_role("link", name=person["contact"]["email"])).to_be_visible()


def test_the_network_draws_every_organisation_of_the_chosen_system(hub: Hub, page: Page) -> None:
    shown(page, hub, "#/network")
    page.get_by_label("System").select_option(NORTH_VALE)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who works together in North Vale Integrated Care System"
    )
    settled(page)

    expected = {p.name for p in hub.partners.partners if p.system == NORTH_VALE}
    assert len(expected) == 5
    drawn = page.locator("#network a.node:not(.outside)")
    names = set(drawn.locator("title").all_text_contents())
    assert names == expected
    for node in drawn.all():  # every circle is really drawn, with a size and a sector colour
        box = node.locator("circle").bounding_box()
        assert box is not None and box["width"] > 10
        assert node.get_attribute("class").startswith("node sector-")
    assert page.locator("#network line.edge").count() > 0
    screenshot(page, "explorer-network")
    outside = set(page.locator("#network a.node.outside title").all_text_contents())
    assert outside, "North Vale works with organisations of other systems"

    # A system of more organisations than the picture lists: which sides of its links are in
    # it is asked of the links, and the picture marks the same ones as outside.
    asked: list[str] = []

    def as_if_listed_in_part(served: Route) -> None:
        operation = (served.request.post_data_json or {}).get("id")
        asked.append(operation)
        if operation != "ExplorerNetwork":
            served.continue_()
            return
        response = served.fetch()
        body = response.json()
        body["data"]["organisations"]["nodes"] = body["data"]["organisations"]["nodes"][:1]
        body["data"]["organisations"]["totalCount"] = 999  # more in it than the picture shows
        served.fulfill(response=response, json=body)

    fresh = page.context.new_page()
    fresh.route("**/graphql", as_if_listed_in_part)
    shown(fresh, hub, f"#/network?system={NORTH_VALE}")
    settled(fresh)
    assert "ExplorerNetworkSides" in asked
    shown_outside = set(fresh.locator("#network a.node.outside title").all_text_contents())
    assert shown_outside == outside
    inside = set(fresh.locator("#network a.node:not(.outside) title").all_text_contents())
    assert inside <= expected
    summary = fresh.locator("#network-summary")
    expect(summary).to_contain_text(f"({len(inside)} of the system's 999)")
    shown(fresh, hub, "#/network")  # the whole region, as if larger than the picture too
    drawn = fresh.locator("#network a.node").count()
    expect(summary).to_contain_text(f"{drawn} organisations (of the region's 999)")
    fresh.close()

    # A link leads to its evidence: shared projects with their pages.
    page.locator("#network line.edge").first.focus()
    page.keyboard.press("Enter")
    evidence = page.locator("#evidence")
    expect(evidence).to_be_visible()
    expect(evidence).to_be_focused()
    expect(evidence.locator("a[href^='#/organisation/']")).to_have_count(2)
    expect(evidence.locator("a[href^='#/project/']").first).to_be_visible()

    # A topic filter: only links through projects on it are drawn (the API's own answer), and
    # organisations without projects on it fade, the rest stay.
    links = (
        "query ($s: ID, $topic: String) "
        "{ crossBoundaryLinks(system: $s, topic: $topic, first: 100) { personCount } }"
    )
    every = hub.query(links, s=NORTH_VALE, topic=None)["crossBoundaryLinks"]
    on_falls = hub.query(links, s=NORTH_VALE, topic="falls")["crossBoundaryLinks"]
    assert 0 < len(on_falls) < len(every), "the demo should link some, not all, through falls"
    drawn_most = view_constant("network", "LINKS")
    asked = PERSISTED["ExplorerNetwork"].text
    assert f"crossBoundaryLinks(system: $system, topic: $topic, first: {drawn_most})" in asked
    assert f"organisations(system: $system, first: {drawn_most})" in asked
    summary = page.locator("#network-summary")
    expect(summary).to_contain_text(f", {len(every)} links")
    expect(summary).not_to_contain_text("There may be more links")
    # As many links as the picture draws at most: it says there may be more.
    fresh = view_page_with(page, "network", "LINKS", len(every))
    shown(fresh, hub, f"#/network?system={NORTH_VALE}")
    expect(fresh.locator("#network-summary")).to_contain_text(f", {len(every)} strongest links")
    expect(fresh.locator("#network-summary")).to_contain_text(
        "There may be more links: each organisation's page lists all of its own."
    )
    fresh.close()
    page.get_by_label("Topic").select_option("falls")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#network-summary")).to_contain_text("have projects on it")
    expect(page.locator("#network line.edge")).to_have_count(len(on_falls))
    expect(page.locator("#network a.node.faded").first).to_be_attached()
    assert page.locator("#network a.node:not(.faded)").count() > 0

    # A link's evidence is asked for when it is chosen: the API's examples through the topic.
    edge = page.locator("#network line.edge").first
    a, b = (edge.get_attribute("data-link") or "").split("|")
    one = (
        "query ($a: ID, $b: ID) { crossBoundaryLinks(organisation: $a, withOrganisation: $b, "
        'topic: "falls") { exampleProjects { title } } }'
    )
    (chosen,) = hub.query(one, a=a, b=b)["crossBoundaryLinks"]
    edge.focus()
    page.keyboard.press("Enter")
    expect(evidence.locator("a[href^='#/project/']")).to_have_text(
        [p["title"] for p in chosen["exampleProjects"]]
    )
    expect(evidence).to_contain_text("within Falls prevention")


def sign_in(page: Page, key: str) -> None:
    """Signs in through the header's form, as a person would."""
    header = page.locator("header")
    header.get_by_label("API key").fill(key)
    header.get_by_role("button", name="Sign in").click()


def signed_in(page: Page) -> None:
    header = page.locator("header")
    expect(header.get_by_text("Signed in", exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    settled(page)


def test_signing_in_with_an_api_key_never_shows_it_and_a_refused_key_signs_out(
    hub: Hub, browser: Browser
) -> None:
    # Its own context: the refused key's 401 is logged by the browser as a console error.
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    try:
        shown(opened, hub, "")
        key_field = opened.get_by_label("API key")
        assert key_field.get_attribute("type") == "password"
        sign_in(opened, hub.member_key)
        signed_in(opened)
        assert hub.member_key not in opened.content()
        assert opened.evaluate("() => localStorage.length") == 0, "the key is kept per tab only"
        opened.reload()  # the key stays for this tab
        signed_in(opened)

        opened.get_by_role("button", name="Sign out").click()
        expect(opened.get_by_role("button", name="Sign in")).to_be_visible()
        assert opened.evaluate("() => sessionStorage.length") == 0

        sign_in(opened, "cvk_000000000000_" + "x" * 43)  # shaped like a key, unknown to the hub
        expect(opened.locator("#signin-message")).to_contain_text("refused that API key")
        expect(opened.get_by_role("button", name="Sign in")).to_be_visible()
        assert opened.evaluate("() => sessionStorage.length") == 0
    finally:
        context.close()


def test_offers_need_sign_in_on_a_topic(hub: Hub, page: Page) -> None:
    who = "query($id: String!) { whoElse(topic: $id, first: 50) { offersMentoring } }"
    anonymous = hub.query(who, id="falls")["whoElse"]
    assert anonymous and all(m["offersMentoring"] is None for m in anonymous)
    shown(page, hub, "#/topic/falls")
    mentors = page.locator("section", has=page.get_by_role("heading", name="Who could mentor"))
    expect(mentors).to_contain_text("Sign in to see who offers mentoring")

    sign_in(page, hub.member_key)
    signed_in(page)
    expect(mentors).not_to_contain_text("Sign in")
    offering = [m for m in hub.member_query(who, id="falls")["whoElse"] if m["offersMentoring"]]
    assert offering, "the demo region has people offering mentoring on falls"
    expect(mentors.locator(".tag.offer").first).to_be_visible()
    expect(mentors.locator("#all-mentors")).to_contain_text("Among the people listed below.")

    # Where none of the first few listed offers, the page does not say no one does: it
    # points to everyone on the topic who offers (falls has more people than it lists).
    def none_offering(served: Route) -> None:
        if (served.request.post_data_json or {}).get("id") != "ExplorerTopic":
            served.continue_()
            return
        response = served.fetch()
        body = response.json()
        for match in body["data"]["whoElse"]:
            match["offersMentoring"] = match["offersCoaching"] = False
        served.fulfill(response=response, json=body)

    page.route("**/graphql", none_offering)
    page.reload()  # the same address: asked again, still signed in
    settled(page)
    expect(mentors.locator("#all-mentors")).to_contain_text("None of the people listed below.")
    expect(mentors).not_to_contain_text("No one on this topic")
    page.unroute("**/graphql", none_offering)
    mentors.locator("#all-mentors").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentors and coaches")
    settled(page)
    assert "topic=falls" in page.url


DUPLICATES = """query($system: ID, $minScore: Float, $status: [ReviewStatus!], $after: String) {
  duplicateClusters(system: $system, minScore: $minScore, status: $status, first: 10,
                    after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id pairCount pairs(first: 100) { a { id title } b { id title } score explanation } }
  }
}"""
CLUSTER_PAGE = view_constant("duplicates", "PAGE")
PAIR_PAGE = view_constant("duplicates", "PAIRS")


def every_cluster(ask: Callable[..., dict[str, Any]], **variables: Any) -> list[dict[str, Any]]:
    """Every cluster the API lists with these filters, each with every pair it lists."""
    clusters: list[dict[str, Any]] = []
    after = None
    while True:
        page = ask(DUPLICATES, after=after, **variables)["duplicateClusters"]
        clusters += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return clusters
        after = page["pageInfo"]["endCursor"]


def download_csv(page: Page) -> str:
    """Chooses "Download all as CSV" and reads the file the browser saves."""
    with page.expect_download() as download:
        page.get_by_role("button", name="Download all as CSV").click()
    return Path(download.value.path()).read_text(encoding="utf-8-sig")


def pair_keys(clusters: list[dict[str, Any]], most: int | None = None) -> set[frozenset[str]]:
    """The clusters' pairs (each cluster's ``most`` strongest), as sets of the two ids."""
    return {frozenset((p["a"]["id"], p["b"]["id"])) for c in clusters for p in c["pairs"][:most]}


def pair_row(page: Page, a: str, b: str) -> Any:
    return page.locator(f"li.pair[data-pair='{a}|{b}'], li.pair[data-pair='{b}|{a}']")


def shown_pairs(page: Page) -> set[frozenset[str]]:
    return {
        frozenset(key.split("|"))
        for key in page.locator("li.pair").evaluate_all("rows => rows.map(r => r.dataset.pair)")
    }


def test_duplicates_show_the_planted_pairs_and_a_dismissal_sticks(hub: Hub, page: Page) -> None:
    planted = {
        frozenset(f"{side['source']}:{side['ref']}" for side in pair)
        for pair in PLANTED["duplicates"]
    }
    clusters = every_cluster(hub.member_query, system=NORTH_VALE)
    found = {frozenset((p["a"]["id"], p["b"]["id"])): p for c in clusters for p in c["pairs"]}
    north_vale = {s.id for p in hub.partners.partners if p.system == NORTH_VALE for s in p.sources}
    expected = {pair for pair in planted if any(side.split(":")[0] in north_vale for side in pair)}
    assert expected, "the demo plants duplicates in North Vale"
    assert expected <= found.keys(), "every planted North Vale pair is in the view's data"

    shown(page, hub, f"#/duplicates?system={NORTH_VALE}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Duplicated effort in North Vale Integrated Care System"
    )
    expect(page.locator("#review-signin")).to_contain_text("Sign in")
    expect(page.get_by_role("button", name="Dismiss")).to_have_count(0)

    sign_in(page, hub.member_key)
    signed_in(page)
    expect(page.locator("li.pair").first).to_be_visible()
    expect(page.get_by_role("button", name="Dismiss").first).to_be_visible()
    listed = pair_keys(clusters, PAIR_PAGE)
    assert shown_pairs(page) == listed, "the view shows each cluster's strongest pairs"
    for ids in listed:
        pair = found[ids]
        row = pair_row(page, *ids)
        expect(row).to_have_count(1)
        expect(row.locator(".evidence")).to_contain_text(pair["explanation"])
        expect(row.locator(".score")).to_have_text(f"{pair['score']:.2f}")
    for cluster in page.locator("li.cluster").all():
        scores = [float(t) for t in cluster.locator("li.pair .score").all_inner_texts()]
        assert scores == sorted(scores, reverse=True), "pairs are sorted by score"
    best = [
        float(t) for t in page.locator("li.cluster li.pair:first-child .score").all_inner_texts()
    ]
    assert best == sorted(best, reverse=True), "clusters are sorted by score"
    screenshot(page, "explorer-duplicates")

    assert len(clusters) <= CLUSTER_PAGE  # so every cluster is on the first page
    expect(page.locator("#more-clusters")).to_be_hidden()
    text = download_csv(page)
    assert text.startswith("cluster,score,status,project A,title A")
    for pair in found.values():
        assert pair["a"]["title"] in text and pair["b"]["title"] in text

    a, b = sorted(min(listed & planted, key=sorted))
    pair_row(page, a, b).get_by_role("button", name="Dismiss").click()
    expect(pair_row(page, a, b).locator(".status")).to_have_text("dismissed")
    expect(pair_row(page, a, b).locator(".message")).to_have_text("Marked dismissed.")
    page.reload()
    signed_in(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(pair_row(page, a, b)).to_have_count(0)  # dismissed pairs stay hidden
    left = every_cluster(hub.member_query, system=NORTH_VALE)
    assert pair_keys(left) == found.keys() - {frozenset((a, b))}
    assert shown_pairs(page) == pair_keys(left, PAIR_PAGE)

    page.get_by_label("Show").select_option("dismissed")
    page.get_by_role("button", name="Show").click()
    expect(pair_row(page, a, b).locator(".status")).to_have_text("dismissed")
    pair_row(page, a, b).get_by_role("button", name="Undo review").click()
    expect(pair_row(page, a, b).locator(".status")).to_have_text("unreviewed")
    after = every_cluster(hub.member_query, system=NORTH_VALE)
    assert pair_keys(after) == set(found), "undoing the review shows the pair again"


def test_duplicates_come_a_page_of_clusters_at_a_time_and_the_csv_has_them_all(
    hub: Hub, page: Page
) -> None:
    everything = ["UNREVIEWED", "CONFIRMED", "DISMISSED"]
    systems = [s["id"] for s in hub.query("{ systems(first: 100) { id } }")["systems"]]
    by_system = {
        system: every_cluster(hub.query, system=system, minScore=0.0, status=everything)
        for system in systems
    }
    system = max(systems, key=lambda s: len(by_system[s]))
    clusters = by_system[system]
    assert len(clusters) > CLUSTER_PAGE, "a demo system has more clusters than fit on a page"

    # The demo's clusters are small: the view is served showing two pairs of each at first,
    # so that some clusters have more to offer.
    few = 2

    def fewer_pairs(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace(f"const PAIRS = {PAIR_PAGE};", f"const PAIRS = {few};")
        route.fulfill(response=response, body=body)

    page.route("**/views/duplicates.js", fewer_pairs)
    shown(page, hub, f"#/duplicates?system={system}&show=all&min=0")
    expect(page.locator("li.cluster")).to_have_count(CLUSTER_PAGE)
    strongest = pair_keys(clusters[:CLUSTER_PAGE], few)
    assert shown_pairs(page) == strongest, "the strongest clusters, each its strongest pairs"
    expect(page.locator("#duplicates-summary")).to_contain_text("there are more")

    more = page.get_by_role("button", name="More clusters")
    while page.locator("li.cluster").count() < len(clusters):
        before = page.locator("li.cluster").count()
        more.focus()
        page.keyboard.press("Enter")
        expect(page.locator("li.cluster")).to_have_count(min(before + CLUSTER_PAGE, len(clusters)))
        # the keyboard goes on at the first cluster added
        expect(page.locator("li.cluster h2").nth(before)).to_be_focused()
    expect(more).to_be_hidden()
    assert shown_pairs(page) == pair_keys(clusters, few)

    # A cluster with more pairs than shown offers the rest, which come after those shown.
    larger = [c for c in clusters if c["pairCount"] > few]
    assert larger, "a demo cluster has more pairs than the view shows at first"
    buttons = page.locator("li.cluster button.all-pairs:visible")
    expect(buttons).to_have_count(len(larger))
    for c in larger:
        cluster = page.locator(f"li.cluster[data-cluster='{c['id']}']")
        cluster.locator("button.all-pairs").click()
        expect(cluster.locator("li.pair")).to_have_count(len(c["pairs"]))
        expect(cluster.locator("li.pair").nth(few).locator("a").first).to_be_focused()
        scores = [float(t) for t in cluster.locator("li.pair .score").all_inner_texts()]
        assert scores == sorted(scores, reverse=True), "pairs stay sorted by score"
    expect(buttons).to_have_count(0)
    assert shown_pairs(page) == pair_keys(clusters)
    best = [
        float(t) for t in page.locator("li.cluster li.pair:first-child .score").all_inner_texts()
    ]
    assert best == sorted(best, reverse=True), "clusters stay sorted by score across pages"

    rows = list(csv.reader(io.StringIO(download_csv(page), newline="")))
    assert rows[0][:3] == ["cluster", "score", "status"]
    assert {frozenset((r[3], r[6])) for r in rows[1:]} == pair_keys(clusters)
    assert len(rows) - 1 == sum(len(c["pairs"]) for c in clusters)


def every_page(hub: Hub) -> list[str]:
    """A route to each kind of page, with ids the API gives."""
    planted = PLANTED["duplicates"][0][0]
    person = hub.query("{ people(first: 1) { nodes { id } } }")["people"]["nodes"][0]["id"]
    resource = hub.query("{ resources(first: 1) { nodes { id } } }")["resources"]["nodes"][0]
    return [
        "",
        "#/search?q=falls%20prevention",
        project_route(f"{planted['source']}:{planted['ref']}"),
        f"#/person/{quote(person, safe='')}",
        f"#/organisation/{quote(NV_HOSPITALS, safe='')}",
        "#/topic/falls",
        f"#/resource/{quote(resource['id'], safe='')}",
        "#/systems",
        f"#/system/{NORTH_VALE}",
        f"#/duplicates?system={NORTH_VALE}",
        f"#/network?system={NORTH_VALE}",
        *whats_on_pages(hub),
        f"#/impact?system={NORTH_VALE}",
        "#/share",
        "#/my-submissions",
        "#/moderate",
    ]


def opened_afresh(page: Page, hub: Hub, route: str) -> None:
    """Loads the route as a new visit (focus starts at the top), and waits for its page."""
    page.goto("about:blank")
    shown(page, hub, route)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sorry")


def test_every_page_works_for_anonymous_visitors_of_a_production_hub(
    production: Hub, hub: Hub, page: Page
) -> None:
    refused = httpx.post(f"{production.url}/graphql", json={"query": "{ systems { id } }"})
    assert refused.status_code == 403, "anonymous callers are held to the allowlist"
    answers: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda r: (
            answers.append((r.status, r.request.post_data or "")) if "/graphql" in r.url else None
        ),
    )
    for route in every_page(hub):
        opened_afresh(page, production, route)
        expect(page.locator("main .error")).to_have_count(0)
    assert answers and all(status == 200 for status, _ in answers), answers
    assert all('"id":"Explorer' in body for _, body in answers), "sent by name, never as text"
    # anything the page's fixture saw (a refused request is a console error) fails it too


# Run in the page: every form field labelled, every control named, and text contrast at least
# WCAG AA (4.5:1, or 3:1 for large text) against the backgrounds behind it. Returns problems.
ACCESSIBILITY = r"""() => {
  const problems = [];
  const say = (el) => el.outerHTML.slice(0, 100);
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || !visible(el)) continue;
    if (!el.labels?.length && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
      problems.push(`no label: ${say(el)}`);
  }
  for (const el of document.querySelectorAll("a[href], button, [tabindex], [role=button]")) {
    if (!visible(el) || el.tabIndex < 0) continue;
    const name = (el.getAttribute("aria-label") || el.textContent || "").trim();
    if (!name) problems.push(`no name: ${say(el)}`);
  }
  const rgba = (text) => {
    const [r, g, b, a = 1] = text.match(/[\d.]+/g).map(Number);
    return [r, g, b, a];
  };
  const over = ([r, g, b, a], base) => [r, g, b].map((v, i) => v * a + base[i] * (1 - a));
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce((base, layer) => over(layer, base), [255, 255, 255]);
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (!visible(el) || el.closest("svg, [disabled], noscript, .skip")) continue;
    const style = getComputedStyle(el);
    const back = behind(el);
    const text = luminance(over(rgba(style.color), back));
    const [light, dark] = [text, luminance(back)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}: ${say(el)}`);
  }
  return problems;
}"""

# How an element looks, as far as showing focus goes (outline, shadow, or an SVG stroke).
LOOKS = """(el) => {
  const s = getComputedStyle(el);
  const circle = el.querySelector?.("circle");
  const c = circle ? getComputedStyle(circle) : null;
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.stroke, s.strokeWidth,
    s.strokeOpacity, c?.strokeWidth].join("|");
}"""

TAB_STOPS = 30  # how far along each page the keyboard walk goes


# Each focusable element's look, by its opening markup, before any of them has focus.
UNFOCUSED_LOOKS = (
    """(limit) => {
  const looks = """
    + LOOKS
    + """;
  // visible as Playwright means it: a box with an area, and not visibility: hidden
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const all = [...document.querySelectorAll("a[href], button, input, select")].filter(shown);
  const first = all.slice(0, limit);
  return Object.fromEntries(first.map((el) => [el.outerHTML.slice(0, 100), looks(el)]));
}"""
)

# Where focus is now: its opening markup, its id, whether it left the page, and its look.
FOCUSED = (
    """() => {
  const el = document.activeElement;
  return {where: el.outerHTML.slice(0, 100), id: el.id, body: el === document.body,
          looks: ("""
    + LOOKS
    + """)(el)};
}"""
)


def keyboard_problems(page: Page) -> list[str]:
    """Tabs through the page: the skip link comes first, and every stop visibly shows focus."""
    problems: list[str] = []
    unfocused = page.evaluate(UNFOCUSED_LOOKS, TAB_STOPS + 5)
    for stop in range(TAB_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        where = focused["where"]
        if stop == 0 and focused["id"] != "skip":
            problems.append(f"the first tab stop is not the skip link: {where}")
        if focused["body"]:
            break  # past the end of the page
        before = unfocused.get(where)
        if before is not None and focused["looks"] == before:
            problems.append(f"focus is not visible on {where}")
    return problems


def test_every_page_meets_accessibility_basics(hub: Hub, page: Page) -> None:
    """Labels and names, contrast, and a keyboard that can see where it is, on each page."""
    problems: dict[str, list[str]] = {}
    for route in every_page(hub):
        opened_afresh(page, hub, route)
        assert page.evaluate("() => document.documentElement.lang") == "en-GB"
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        found = page.evaluate(ACCESSIBILITY) + keyboard_problems(page)
        if found:
            problems[route or "#/search"] = found
    # signed in, the duplicates view has review controls and notes to label
    opened_afresh(page, hub, f"#/duplicates?system={NORTH_VALE}")
    sign_in(page, hub.member_key)
    signed_in(page)
    expect(page.get_by_role("button", name="Dismiss").first).to_be_visible()
    signed_in_found = page.evaluate(ACCESSIBILITY)
    if signed_in_found:
        problems["#/duplicates signed in"] = signed_in_found
    assert problems == {}, json.dumps(problems, indent=1)


def test_the_accessibility_checks_catch_what_they_look_for(hub: Hub, page: Page) -> None:
    """Spoil a page on purpose: faint text, a field without its label, focus made invisible."""
    opened_afresh(page, hub, "")
    page.evaluate(
        """() => {
          document.documentElement.style.setProperty("--muted", "#c4c4c4");
          document.querySelector("label[for=search-text]").remove();
          for (const el of document.querySelectorAll("a, button, input, select")) {
            el.style.outline = "none";
            el.style.boxShadow = "none";
          }
        }"""
    )
    found = page.evaluate(ACCESSIBILITY)
    assert any(p.startswith("contrast") and "Every answer" in p for p in found), found
    assert any(p.startswith("no label") and "search-text" in p for p in found), found
    assert any(p.startswith("focus is not visible") for p in keyboard_problems(page))


def test_graphiql_renders_and_runs_a_query_with_no_network_beyond_the_hub(
    hub: Hub, browser: Browser
) -> None:
    """Every request that is not to the hub is refused, as a blocked CDN would be: GraphiQL
    still renders its editor from the hub's vendored files and runs a query."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []

    def only_the_hub(route: Any) -> None:
        if route.request.url.startswith(hub.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_hub)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{hub.url}/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    expect(editor).to_be_visible()
    page.evaluate(
        "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror"
        ".setValue('{ systems(first: 5) { name } }')"
    )
    page.get_by_role("button", name=re.compile("Execute query", re.IGNORECASE)).click()
    result = page.locator(".graphiql-response")
    expect(result).to_contain_text("North Vale Integrated Care System")
    context.close()
    assert elsewhere == [] and problems == [], (elsewhere, problems)


# --- What's on and the library (issue 19) -------------------------------------------------------

EVENTS = """
query ($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id title online publisher { name } }
  }
}
"""
LIBRARY = """
query ($filter: ResourceFilter, $after: String) {
  resources(filter: $filter, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id title }
  }
}
"""
FALLS_VISITS = "nv-hospitals-api:NVH-QI-0001"
LEADERSHIP = "vale-and-moor-improvement-leaders-programme/module-3-leadership"


def whats_on_pages(hub: Hub) -> list[str]:
    """What's on, the library, and an event's own page."""
    event = hub.query(EVENTS, filter={"kind": "TRAINING"}, first=1)["events"]["nodes"][0]
    return [
        "#/whats-on",
        "#/whats-on?online=true&topic=qi-capability",
        "#/library",
        f"#/library?part=m:{quote(LEADERSHIP, safe='')}",
        f"#/resource/{quote(event['id'], safe='')}",
    ]


def card_titles(page: Page, selector: str) -> list[str]:
    return page.locator(f"{selector} > li h3").all_inner_texts()


def test_whats_on_lists_what_is_coming_with_filters_and_the_calendar_feed(
    hub: Hub, page: Page
) -> None:
    shown(page, hub, "#/whats-on")
    expect(page.get_by_role("heading", level=1)).to_have_text("What's on")
    everything = hub.query(EVENTS, first=20)["events"]
    expect(page.locator("#whats-on-summary")).to_have_text(
        f"{everything['totalCount']} events and training sessions."
    )
    assert card_titles(page, "#events") == [e["title"] for e in everything["nodes"]]
    expect(page.locator("#events > li .when").first).not_to_be_empty()
    feed = page.get_by_label("Calendar feed for these filters")
    expect(feed).to_have_value(f"{hub.url}/calendar.ics")

    # Later events: the next page is the API's next page.
    page.locator("#later-events").click()
    later = hub.query(EVENTS, first=20, after=everything["pageInfo"]["endCursor"])["events"]
    expect(page.locator("#events > li h3")).to_have_text([e["title"] for e in later["nodes"]])

    # Online training about QI capability: the filters are the API's, and so is the feed.
    shown(page, hub, "#/whats-on")
    page.get_by_label("Topic", exact=True).fill("QI capability")
    page.get_by_label("Kind").select_option("training")
    page.get_by_label("Where").select_option("true")
    page.get_by_role("button", name="Show").click()
    chosen = {"topic": "QI capability", "kind": "TRAINING", "online": True}
    online = hub.query(EVENTS, filter=chosen, first=20)["events"]
    assert online["totalCount"] >= 10  # the Academy's weekly clinic, from its calendar
    expect(page.locator("#events > li h3")).to_have_text([e["title"] for e in online["nodes"]])
    assert "online=true" in page.url and "kind=training" in page.url
    expect(page.locator("#events > li").first.get_by_text("online", exact=True)).to_be_visible()
    address = feed.input_value()
    assert address == f"{hub.url}/calendar.ics?topic=QI+capability&kind=training&online=true"
    subscribed = icalendar.Calendar.from_ical(httpx.get(address).content)
    uids = [str(e["UID"]) for e in subscribed.walk("VEVENT")]
    assert [uid.removesuffix("@convener") for uid in uids[:3]] == [
        e["id"] for e in online["nodes"][:3]
    ]
    expect(page.locator("#calendar-subscribe")).to_have_attribute(
        "href", address.replace("http:", "webcal:")
    )

    # Add to calendar: one event, as a file a calendar app opens.
    first = online["nodes"][0]
    add = page.get_by_role("link", name=f"Add “{first['title']}” to your calendar").first
    one = httpx.get(f"{hub.url}{add.get_attribute('href')}")
    assert one.status_code == 200 and one.headers["content-type"].startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(one.content).walk("VEVENT")
    assert str(event["UID"]) == f"{first['id']}@convener"
    screenshot(page, "explorer-whats-on")


def test_the_library_narrows_by_facets_with_counts_a_page_at_a_time(hub: Hub, page: Page) -> None:
    shown(page, hub, "#/library")
    expect(page.get_by_role("heading", level=1)).to_have_text("Library")
    everything = hub.query(LIBRARY)["resources"]
    total = f"{everything['totalCount']} resources"
    expect(page.locator("#library-summary")).to_contain_text(total)
    assert card_titles(page, "#library") == [r["title"] for r in everything["nodes"]]
    page.locator("#library-next").click()
    second = hub.query(LIBRARY, after=everything["pageInfo"]["endCursor"])["resources"]
    # waits for the second page: the click changes the address, and the page follows it
    expect(page.locator("#library > li h3")).to_have_text([r["title"] for r in second["nodes"]])

    shown(page, hub, "#/library")
    facet = page.get_by_label("Programme and module")
    expect(facet.locator("optgroup")).to_have_attribute(
        "label", "Vale and Moor Improvement Leaders Programme"
    )
    expect(facet.locator("option", has_text="Module 3: Leadership")).to_have_text(
        "Module 3: Leadership (2)"
    )
    facet.select_option(f"m:{LEADERSHIP}")
    page.get_by_role("button", name="Show").click()
    leadership = hub.query(LIBRARY, filter={"module": LEADERSHIP})["resources"]
    assert leadership["totalCount"] == 2
    expect(page.locator("#library > li h3")).to_have_count(2)  # the module's page is shown
    settled(page)
    assert sorted(card_titles(page, "#library")) == sorted(r["title"] for r in leadership["nodes"])
    expect(page.locator("#library-summary")).to_contain_text("2 resources")
    # other facets now count within the module: one kind each
    expect(page.get_by_label("Kind").locator("option")).to_have_count(3)  # any, training, video
    page.get_by_role("link", name="Clear the filters").click()
    expect(page.locator("#library-summary")).to_contain_text(total)
    screenshot(page, "explorer-library")


PERSISTED = load_documents(PERSISTED_DIR)
"""The explorer's persisted operations, each with the fragments it uses, as the hub keeps them."""


def view_page_with(page: Page, view: str, name: str, value: int) -> Page:
    """A new page whose ``view`` declares ``name`` as ``value``: how the view behaves with more
    than it shows, on a demo with fewer. New, so the module is not loaded."""
    declared = f"const {name} = {view_constant(view, name)};"

    def serve(served: Route) -> None:
        response = served.fetch()
        body = response.text().replace(declared, f"const {name} = {value};")
        served.fulfill(response=response, body=body)

    fresh = page.context.new_page()
    fresh.route(f"**/views/{view}.js", serve)
    return fresh


def test_an_organisation_page_says_when_it_lists_only_the_first_projects_and_people(
    hub: Hub, page: Page
) -> None:
    listed = view_constant("organisation", "LISTED")
    asked = PERSISTED["ExplorerOrganisation"].text
    for lead in ("true", "false"):
        assert f"projects(lead: {lead}, first: {listed})" in asked
    assert f"people(first: {listed})" in asked

    query = """query ($id: ID!) { organisation(id: $id) {
        projects(first: 100) { lead project { id title } } people(first: 100) { id name } } }"""
    theirs = hub.query(query, id=NV_HOSPITALS)["organisation"]
    columns = {
        heading: [p["project"]["title"] for p in theirs["projects"] if p["lead"] is lead]
        for heading, lead in (("Projects it runs", True), ("Projects it partners in", False))
    }
    assert all(columns.values()) and max(map(len, columns.values())) < 100
    assert 1 < len(theirs["people"]) < 100
    route = f"#/organisation/{quote(NV_HOSPITALS, safe='')}"
    shown(page, hub, route)
    expect(page.get_by_role("heading", level=1)).to_have_text(NV_HOSPITALS_NAME)
    for heading, titles in columns.items():  # each column the first page of its own kind
        column = page.locator("section", has=page.get_by_role("heading", name=heading))
        expect(column.locator("li > a")).to_have_text(titles[:listed])
    cut = max(map(len, columns.values())) >= listed
    expect(page.locator("#all-projects")).to_have_count(1 if cut else 0)
    expect(page.locator("#more-people")).to_have_count(1 if len(theirs["people"]) >= listed else 0)

    # Served as if it asked for one of each, the page says there may be more, and where.
    fresh = view_page_with(page, "organisation", "LISTED", 1)
    shown(fresh, hub, route)
    expect(fresh.locator("#more-people")).to_have_text(
        "Only the first 1 people are listed. See all its people, a page at a time"
    )
    expect(fresh.locator("#all-projects")).to_contain_text("Only the first 1 of each are listed")
    fresh.locator("#all-projects").get_by_role("link").click()
    expect(fresh.get_by_role("heading", level=1)).to_have_text("Projects")
    settled(fresh)
    assert "organisation=" + quote(NV_HOSPITALS, safe="") in fresh.url
    ids = {p["project"]["id"] for p in theirs["projects"]}
    shown_ids = {
        unquote(h.split("/", 2)[2])
        for h in fresh.locator("main li a[href^='#/project/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    }
    assert shown_ids and shown_ids <= ids, "the projects page lists the organisation's projects"

    # And to all its people, on the people page.
    fresh.go_back()
    fresh.locator("#more-people").get_by_role("link").click()
    expect(fresh.get_by_role("heading", level=1)).to_have_text("People")
    settled(fresh)
    assert "organisation=" + quote(NV_HOSPITALS, safe="") in fresh.url
    names = fresh.locator("#people > li").get_by_role("heading").all_text_contents()
    assert names and set(names) <= {p["name"] for p in theirs["people"]}


def test_an_organisation_page_shows_its_strongest_links_and_the_rest_when_asked(
    hub: Hub, page: Page
) -> None:
    shown_first = view_constant("organisation", "LINKS")
    asked = PERSISTED["ExplorerOrganisation"].text
    assert f"crossBoundaryLinks(organisation: $id, first: {shown_first})" in asked
    query = """query ($id: ID!) { crossBoundaryLinks(organisation: $id, first: 100) {
        organisations { id name } } }"""
    theirs = hub.query(query, id=NV_HOSPITALS)["crossBoundaryLinks"]
    assert 1 < len(theirs) < shown_first
    names = [
        next(o["name"] for o in link["organisations"] if o["id"] != NV_HOSPITALS) for link in theirs
    ]
    route = f"#/organisation/{quote(NV_HOSPITALS, safe='')}"
    shown(page, hub, route)
    table = page.get_by_role("table")
    expect(table.locator("tbody th > a")).to_have_text(names)
    expect(page.locator("#all-links")).to_be_hidden()  # every one is shown

    # Served as if it showed one first: the button asks for the rest, strongest first.
    fresh = view_page_with(page, "organisation", "LINKS", 1)
    shown(fresh, hub, route)
    fresh.locator("#all-links").click()
    expect(fresh.get_by_role("status").filter(has_text="organisations.")).to_have_text(
        f"Showing {len(theirs)} organisations."
    )
    expect(fresh.get_by_role("table").locator("tbody th > a")).to_have_text(names)
    expect(fresh.locator("#all-links")).to_be_hidden()
    fresh.close()


def test_a_topic_page_lists_the_first_page_of_projects_and_resources_and_links_to_the_rest(
    hub: Hub, page: Page
) -> None:
    asked = PERSISTED["ExplorerTopic"].text
    first = int(re.search(r"projects\(filter: \{ topic: \$id \}, first: (\d+)\)", asked).group(1))
    assert f"resources(filter: {{ topic: $id }}, first: {first})" in asked
    counted = """query ($t: String!) {
        projects(filter: {topic: $t}, first: 1) { totalCount }
        resources(filter: {topic: $t}, first: 1) { totalCount } }"""
    topics = hub.query("{ topics(first: 100) { nodes { id } } }")["topics"]["nodes"]
    counts = {t["id"]: hub.query(counted, t=t["id"]) for t in topics}
    broadest = max(counts, key=lambda t: counts[t]["projects"]["totalCount"])
    projects = counts[broadest]["projects"]["totalCount"]
    resources = counts[broadest]["resources"]["totalCount"]
    assert projects > first and resources > first, "the demo has a topic with more than a page"

    shown(page, hub, f"#/topic/{quote(broadest, safe='')}")
    listed = page.locator("section", has=page.get_by_role("heading", name=f"Projects ({projects})"))
    expect(listed.locator("ul > li")).to_have_count(first)
    expect(page.locator("#all-projects")).to_have_text(
        f"All {projects} projects on it, a page at a time"
    )
    expect(page.locator("#all-resources")).to_have_text(
        f"All {resources} resources on it in the library"
    )
    page.locator("#all-projects").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projects")
    settled(page)
    assert "topic=" + quote(broadest, safe="") in page.url

    # A topic with fewer than a page of each lists them all, with no link to more.
    narrow = next(t for t, c in counts.items() if 0 < c["projects"]["totalCount"] <= first)
    narrow_resources = counts[narrow]["resources"]["totalCount"]
    shown(page, hub, f"#/topic/{quote(narrow, safe='')}")
    expect(page.locator("#topic-counts")).to_be_visible()
    expect(page.locator("#all-projects")).to_have_count(0)
    if narrow_resources <= first:
        expect(page.locator("#all-resources")).to_have_count(0)


def test_topic_organisation_and_project_pages_show_what_is_coming_and_visits(
    hub: Hub, page: Page
) -> None:
    shown(page, hub, "#/topic/falls")
    coming = hub.query(EVENTS, filter={"topic": "falls"}, first=5)["events"]
    assert coming["totalCount"] > 0
    assert card_titles(page, "#coming-up") == [e["title"] for e in coming["nodes"]]
    visits = page.locator("#go-and-see")
    expect(visits.get_by_role("link", name=PLANTED["duplicates"][0][0]["title"])).to_be_visible()
    expect(visits.get_by_text("(6 places)")).to_have_count(2)
    page.get_by_role("link", name=f"All {coming['totalCount']} events and training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What's on")
    expect(page.get_by_label("Topic", exact=True)).to_have_value("falls")

    shown(page, hub, f"#/organisation/{quote(NV_HOSPITALS, safe='')}")
    theirs = hub.query(EVENTS, filter={"organisation": NV_HOSPITALS}, first=5)["events"]
    assert {e["publisher"]["name"] for e in theirs["nodes"]} == {NV_HOSPITALS_NAME}
    assert card_titles(page, "#coming-up") == [e["title"] for e in theirs["nodes"]]
    expect(page.locator("#go-and-see").get_by_role("heading", level=3)).to_have_count(1)

    shown(page, hub, project_route(FALLS_VISITS))
    panel = page.locator("#go-and-see")
    expect(panel.get_by_role("heading", name="Go and see")).to_be_visible()
    expect(panel.locator("li")).to_have_count(2)
    expect(panel.get_by_role("link", name="Ask for a visit")).to_have_attribute(
        "href", "https://nv-hospitals.example/quality-improvement/visit-ward-7"
    )

    event = theirs["nodes"][0]
    shown(page, hub, f"#/resource/{quote(event['id'], safe='')}")
    expect(page.locator("dl.facts dt", has_text="When")).to_be_visible()
    expect(page.get_by_role("link", name="Add to calendar")).to_have_attribute(
        "href", "/calendar.ics?" + urlencode({"event": event["id"]})
    )


# --- Impact (issue 20) ----------------------------------------------------------------------

IMPACT_ROUTE = f"#/impact?system={NORTH_VALE}&interval=QUARTER&from=2022-01-01&to=2025-12-31"
IMPACT = """
query ($system: ID) {
  impact(system: $system, interval: QUARTER, from: "2022-01-01", to: "2025-12-31") {
    periods { start end }
    figures {
      key title signedInOnly partsAddUp
      total { value }
      categories { key label points { value } }
    }
  }
}
"""


@pytest.fixture(scope="module")
def snapshot_taken(hub: Hub, neo4j_server: LocalNeo4j) -> Hub:
    """Today's impact snapshot of the demo region, as the scheduler would take it: in a thread
    of its own, since the browser's event loop runs in this one."""

    async def take() -> None:
        graph = Graph.connect(neo4j_server.uri)
        try:
            await take_snapshot(graph)
        finally:
            await graph.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, take()).result()
    return hub


def shown_values(figure: dict[str, Any]) -> list[list[str]]:
    """The table the page should show for a figure: parts with any value, then the total."""
    parts = [c for c in figure["categories"] if any(p["value"] for p in c["points"])]
    text = lambda v: "not known" if v is None else str(v)  # noqa: E731
    return [
        [*(text(c["points"][i]["value"]) for c in parts), text(total["value"])]
        for i, total in enumerate(figure["total"])
    ]


def test_the_impact_page_charts_every_figure_with_its_numbers_and_a_csv(
    snapshot_taken: Hub, page: Page
) -> None:
    hub = snapshot_taken
    shown(page, hub, IMPACT_ROUTE)  # first: its statements are planned by the time we ask
    answer = hub.query(IMPACT, system=NORTH_VALE)["impact"]
    figures = answer["figures"]
    started = next(f for f in figures if f["key"] == "projects_started")
    assert sum(p["value"] for p in started["total"]) > 20, "the demo's projects started then"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Impact in North Vale Integrated Care System"
    )
    ARTEFACTS.mkdir(exist_ok=True)  # the page's top, charts before their tables are opened
    page.screenshot(
        path=str(ARTEFACTS / "explorer-impact.png"),
        clip={"x": 0, "y": 0, "width": 1280, "height": 1500},
    )
    for figure in figures:
        section = page.locator(f"#figure-{figure['key']}")
        expect(section.get_by_role("heading", level=2)).to_have_text(figure["title"])
        if figure["total"] is None:  # signed-in only: no chart, no numbers
            expect(section).to_contain_text("Signed-in callers only")
            expect(section.locator("svg")).to_have_count(0)
            continue
        expect(section.locator(".chart svg[role=img]")).to_have_count(1)
        section.get_by_text("The numbers as a table").click()
        rows = section.locator("tbody tr")
        expect(rows).to_have_count(len(answer["periods"]))
        cells = [row.locator("td").all_text_contents() for row in rows.all()]
        assert cells == shown_values(figure), figure["key"]

    # The chart draws what the table says: one bar per part and quarter known.
    parts = [c for c in started["categories"] if any(p["value"] for p in c["points"])]
    bars = page.locator("#figure-projects_started .chart svg rect")
    expect(bars).to_have_count(len(parts) * len(answer["periods"]))
    legend = page.locator("#figure-projects_started .legend li").all_text_contents()
    assert legend == [c["label"] for c in parts]

    # The CSV of one figure: its periods, parts and total, as the API gave them.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download projects started as CSV").click()
    assert download.value.suggested_filename == f"impact-{NORTH_VALE}-projects_started.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["period_start", "period_end", *(c["key"] for c in parts), "total"]
    assert [row[0] for row in table[1:]] == [p["start"] for p in answer["periods"]]
    assert [int(row[-1]) for row in table[1:]] == [p["value"] for p in started["total"]]

    # Mentors and coaches are signed-in only: signing in shows them, known from the day of
    # the first snapshot (today's), not before.
    section = page.locator("#figure-mentors_available")
    expect(section).to_contain_text("Signed-in callers only")
    sign_in(page, hub.member_key)
    signed_in(page)
    shown(page, hub, f"#/impact?system={NORTH_VALE}")  # by default: up to today
    first, last = (
        page.locator("#choose-from").input_value(),
        page.locator("#choose-to").input_value(),
    )
    member = hub.member_query(
        IMPACT.replace('"2022-01-01"', "$from")
        .replace('"2025-12-31"', "$to")
        .replace("($system: ID)", "($system: ID, $from: Date, $to: Date)"),
        system=NORTH_VALE,
        **{"from": first, "to": last},
    )["impact"]["figures"]
    mentors = next(f for f in member if f["key"] == "mentors_available")
    values = [p["value"] for p in mentors["total"]]
    assert values[-1] and values[-1] > 0 and values[0] is None
    expect(section.locator(".chart svg[role=img]")).to_have_count(1)
    section.get_by_text("The numbers as a table").click()
    expect(section.locator("tbody tr").last.locator("td").last).to_have_text(str(values[-1]))
    expect(section.locator("tbody tr").first.locator("td").last).to_have_text("not known")


# --- Polish and browse pages (issue 21, explorer part) -------------------------------------------

PHONE = {"width": 390, "height": 844}
EVIDENCE_COUNTS = re.compile(r"\b1 (people|persons|shared projects|shared topics)\b")


def every_link_evidence(page: Page) -> list[str]:
    """Opens the evidence of each link from the table, one after another; their texts."""
    page.locator(".links-table summary").click()
    buttons = page.locator(".links-table").get_by_role("button", name="Evidence")
    texts = []
    for index in range(buttons.count()):
        buttons.nth(index).click()
        texts.append(page.locator("#evidence").inner_text())
    return texts


def below(hub: Hub, topic: str) -> set[str]:
    """The topic and every topic under it, as the API says."""
    query = "query ($t: String!) { topic(id: $t) { narrower { id } } }"
    found, todo = set(), [topic]
    while todo:
        here = todo.pop()
        if here not in found:
            found.add(here)
            todo += [t["id"] for t in hub.query(query, t=here)["topic"]["narrower"]]
    return found


def test_network_evidence_counts_read_as_words_and_keep_to_the_topic(hub: Hub, page: Page) -> None:
    shown(page, hub, f"#/network?system={NORTH_VALE}")
    texts = every_link_evidence(page)
    assert len(texts) > 5
    assert [t for t in texts if "null" in t or EVIDENCE_COUNTS.search(t)] == []
    assert any(re.search(r"\b1 person\b", t) for t in texts), "a link with one person says so"
    assert any(re.search(r"\b0 people\b", t) for t in texts), "and one with none has no list"

    # Under a topic, the shared topics shown are that topic and the ones under it, and say so.
    allowed = below(hub, "falls")
    shown(page, hub, f"#/network?system={NORTH_VALE}&topic=falls")
    texts = every_link_evidence(page)
    assert texts and all("within Falls prevention" in t for t in texts)
    buttons = page.locator(".links-table").get_by_role("button", name="Evidence")
    for index in range(buttons.count()):
        buttons.nth(index).click()
        hrefs = page.locator("#evidence a[href^='#/topic/']").evaluate_all(
            "links => links.map(a => decodeURIComponent(a.getAttribute('href').slice(8)))"
        )
        assert set(hrefs) <= allowed, (hrefs, allowed)
    screenshot(page, "explorer-network-evidence-on-topic")


LABELS = """() => {
  const frame = document.querySelector("#network").getBoundingClientRect();
  const boxes = [...document.querySelectorAll("#network .node text")].map((t) => ({
    name: t.textContent, box: t.getBoundingClientRect(),
    lines: [...t.querySelectorAll("tspan")].map((s) => s.getBoundingClientRect().height),
  }));
  const overlaps = [];
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1))
      if (a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom
          && b.box.top < a.box.bottom) overlaps.push(`${a.name} / ${b.name}`);
  const cut = boxes.filter((l) => l.box.left < frame.left || l.box.right > frame.right)
    .map((l) => l.name);
  const smallest = Math.min(...boxes.flatMap((l) => l.lines));
  return { count: boxes.length, overlaps, cut, smallest };
}"""


def test_network_labels_are_readable_on_a_phone(hub: Hub, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(WAIT_MS)
    try:
        for route in (f"#/network?system={NORTH_VALE}", "#/network", "#/network?topic=falls"):
            shown(phone, hub, route)
            labels = phone.evaluate(LABELS)
            assert labels["count"] > 5, route
            assert labels["overlaps"] == [], route
            assert labels["cut"] == [], route  # the whole label is inside the picture's frame
            assert labels["smallest"] >= 12, (route, labels["smallest"])  # px of a line
            if route == "#/network":
                screenshot(phone, "explorer-network-phone")
    finally:
        context.close()


def test_a_system_lists_all_its_projects_a_page_at_a_time(hub: Hub, page: Page) -> None:
    query = """query ($s: ID!, $after: String) { projects(filter: {system: $s}, first: 100,
        after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }"""
    expected: list[str] = []
    after = None
    while True:
        answer = hub.query(query, s=NORTH_VALE, after=after)["projects"]
        expected += [p["id"] for p in answer["nodes"]]
        if not answer["pageInfo"]["hasNextPage"]:
            break
        after = answer["pageInfo"]["endCursor"]
    assert len(expected) > 40, "the demo system has more projects than two pages"
    shown(page, hub, f"#/system/{NORTH_VALE}")
    expect(page.get_by_role("heading", name=f"Projects ({len(expected)})")).to_be_visible()
    listed = page.locator("#system-projects > li")
    more = page.get_by_role("button", name="More projects")
    while more.is_visible():
        before = listed.count()
        more.click()
        expect(listed).not_to_have_count(before)
        # the keyboard goes on at the first project added
        expect(listed.nth(before).get_by_role("link")).to_be_focused()
    ids = listed.locator("a").evaluate_all(
        "links => links.map(a => decodeURIComponent(a.getAttribute('href').slice(10)))"
    )
    assert ids == expected  # all of them, once each, in the API's order
    expect(page.locator("#system-projects-status")).to_have_text(
        f"Showing {len(expected)} of {len(expected)}."
    )


def test_a_topic_counts_the_people_it_lists(hub: Hub, page: Page) -> None:
    query = """query ($t: String!) { topic(id: $t) { usage { people } }
        people(filter: {topic: $t}, first: 1) { totalCount } }"""
    answer = hub.query(query, t="falls")
    working = answer["people"]["totalCount"]
    assert working != answer["topic"]["usage"]["people"], "interests alone count fewer"
    asked = PERSISTED["ExplorerTopic"].text
    first = int(re.search(r"whoElse\(topic: \$id, first: (\d+)\)", asked).group(1))
    assert working > first, "the demo's falls has more people than the page lists"
    shown(page, hub, "#/topic/falls")
    people = page.locator("section", has=page.get_by_role("heading", name="People working on it"))
    expect(people.get_by_role("heading")).to_have_text(f"People working on it ({working})")
    expect(people.locator("ul > li")).to_have_count(first)
    expect(page.locator("#topic-counts")).to_contain_text(f"{working} people")
    expect(page.locator("#all-people")).to_have_text(
        f"The {first} with the most evidence are listed. "
        f"All {working} people on it, a page at a time"
    )
    page.locator("#all-people").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    settled(page)
    assert "topic=falls" in page.url


def test_a_heading_focused_after_navigation_gets_no_focus_box(hub: Hub, page: Page) -> None:
    shown(page, hub, "#/systems")
    page.goto(f"{hub.url}/#/system/{NORTH_VALE}")  # a new address in the same tab
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("North Vale Integrated Care System")
    expect(heading).to_be_focused()
    looks = heading.evaluate(
        "h => [h.tabIndex, getComputedStyle(h).outlineStyle, getComputedStyle(h).boxShadow]"
    )
    assert looks == [-1, "none", "none"]
    # the keyboard's own stops still show where they are
    page.keyboard.press("Tab")
    focused = page.evaluate_handle("() => document.activeElement")
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"


def test_clusters_are_numbered_once_and_the_review_note_is_a_box_to_write_in(
    hub: Hub, page: Page
) -> None:
    shown(page, hub, f"#/duplicates?system={NORTH_VALE}")
    sign_in(page, hub.member_key)
    signed_in(page)
    first = page.locator("#clusters > li").first
    expect(first.get_by_role("heading")).to_contain_text("Cluster 1:")
    assert first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    assert page.locator("#clusters").evaluate("ol => getComputedStyle(ol).listStyleType") in (
        "none",
        "",
    )
    note = first.get_by_label("Note (optional)").first
    assert note.evaluate("e => e.tagName") == "TEXTAREA"
    box = note.bounding_box()
    assert box is not None and box["width"] >= 400 and box["height"] >= 60, box
    screenshot(page, "explorer-duplicates-review")


def test_projects_can_be_browsed_by_filters_kept_in_the_address(hub: Hub, page: Page) -> None:
    query = """query ($f: ProjectFilter, $after: String) { projects(filter: $f, first: 100,
        after: $after) { totalCount pageInfo { hasNextPage } nodes { title } } }"""
    every = hub.query(query, f={})["projects"]
    assert every["totalCount"] > 20
    shown(page, hub, "#/projects")
    expect(page.locator("#projects-summary")).to_have_text(f"{every['totalCount']} projects.")
    cards = page.locator("#projects > li")
    expect(cards).to_have_count(20)
    page.get_by_role("button", name="More projects").click()
    expect(cards).to_have_count(min(40, every["totalCount"]))
    assert cards.get_by_role("heading").all_text_contents() == [
        p["title"] for p in every["nodes"][:40]
    ]

    # Filters: chosen in the form, kept in the address, the same list when the address is shared.
    page.get_by_label("Topic", exact=True).select_option("falls")
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#projects-summary")).to_contain_text("with these filters")
    address = page.url
    assert "topic=falls" in address and "status=active" in address
    falls = hub.query(query, f={"topic": "falls", "status": "ACTIVE"})["projects"]
    assert 0 < falls["totalCount"] < every["totalCount"]
    titles = [p["title"] for p in falls["nodes"]]
    assert cards.get_by_role("heading").all_text_contents() == titles
    screenshot(page, "explorer-projects")

    other = page.context.new_page()
    try:
        shown(other, hub, address.removeprefix(hub.url + "/"))
        assert other.locator("#projects > li h2").all_text_contents() == titles
        assert other.get_by_label("Topic", exact=True).input_value() == "falls"
    finally:
        other.close()

    # each of the other filters reaches the API
    organisation = f"#/projects?organisation={quote(NV_HOSPITALS, safe='')}&mode=iterative_qi"
    shown(page, hub, organisation)
    wanted = hub.query(query, f={"organisation": NV_HOSPITALS, "mode": "ITERATIVE_QI"})
    expect(page.locator("#projects-summary")).to_contain_text(
        f"{wanted['projects']['totalCount']} project"
    )
    shown(page, hub, f"#/projects?system={NORTH_VALE}&method=pdsa")
    wanted = hub.query(query, f={"system": NORTH_VALE, "method": "PDSA"})
    expect(page.locator("#projects-summary")).to_contain_text(
        f"{wanted['projects']['totalCount']} project"
    )


def test_projects_sort_in_the_apis_order_across_pages(hub: Hub, page: Page) -> None:
    query = """query ($o: Ordering, $after: String) { projects(orderBy: $o, first: 20,
        after: $after) { pageInfo { endCursor } nodes { title } } }"""
    newest = {"field": "START_DATE", "direction": "DESC"}
    first = hub.query(query, o=newest)["projects"]
    after = first["pageInfo"]["endCursor"]
    second = hub.query(query, o=newest, after=after)["projects"]
    expected = [p["title"] for p in first["nodes"] + second["nodes"]]
    assert expected[:20] != [p["title"] for p in hub.query(query)["projects"]["nodes"]]

    shown(page, hub, f"#/projects?system={NORTH_VALE}")
    page.get_by_label("Sort by").select_option("newest")
    page.get_by_label("System", exact=True).select_option("")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"#/projects\?sort=newest$"))
    cards = page.locator("#projects > li")
    expect(cards.get_by_role("heading")).to_have_text(expected[:20])
    page.get_by_role("button", name="More projects").click()  # the next page, in that order
    expect(cards.get_by_role("heading")).to_have_text(expected)
    expect(page.get_by_label("Sort by")).to_have_value("newest")


def test_the_people_page_lists_an_organisations_people_a_page_at_a_time(
    hub: Hub, page: Page
) -> None:
    query = """query ($f: PersonFilter) { people(filter: $f, first: 100) { totalCount
        nodes { id name } } }"""
    everyone = hub.query(query, f={})["people"]
    assert everyone["totalCount"] > 20, "the demo lists more people than a page"
    shown(page, hub, "#/people")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.locator("#people-summary")).to_contain_text(f"{everyone['totalCount']} people")
    cards = page.locator("#people > li")
    expect(cards.get_by_role("heading")).to_have_text([p["name"] for p in everyone["nodes"][:20]])
    page.get_by_role("button", name="More people").click()  # the next page, by cursor
    longer = [p["name"] for p in everyone["nodes"][:40]]
    expect(cards.get_by_role("heading")).to_have_text(longer)
    # The address keeps how many are shown: back from a person's page, the list is as long.
    expect(page).to_have_url(re.compile(rf"shown-people={len(longer)}$"))
    cards.nth(len(longer) - 1).get_by_role("heading").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(longer[-1])
    page.go_back()
    expect(cards.get_by_role("heading")).to_have_text(longer)

    # Anonymous visitors see only people who agreed to be listed: a member sees more.
    unlisted = hub.member_query(query, f={})["people"]["totalCount"]
    assert unlisted > everyone["totalCount"]

    page.get_by_label("Organisation").select_option(NV_HOSPITALS)
    page.get_by_role("button", name="Show").click()
    theirs = hub.query(query, f={"organisation": NV_HOSPITALS})["people"]
    assert 0 < theirs["totalCount"] <= 20
    n = theirs["totalCount"]
    expect(page.locator("#people-summary")).to_contain_text(
        f"{n} {'person' if n == 1 else 'people'} with these filters"
    )
    assert "organisation=" + quote(NV_HOSPITALS, safe="") in page.url
    expect(cards.get_by_role("heading")).to_have_text([p["name"] for p in theirs["nodes"]])
    expect(page.get_by_role("button", name="More people")).to_be_hidden()


def test_the_mentor_pool_is_for_signed_in_members(hub: Hub, page: Page) -> None:
    shown(page, hub, "#/mentors?topic=falls")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentors and coaches")
    expect(page.locator("#pool-signin")).to_contain_text("Sign in to see the mentor and coach pool")
    expect(page.locator("#pool")).to_have_count(0)

    sign_in(page, hub.member_key)
    signed_in(page)
    query = """query ($f: PersonFilter) { people(filter: $f, first: 100) { totalCount
        nodes { name offersMentoring offersCoaching } } }"""
    pool = hub.member_query(query, f={"topic": "falls", "offers": ["MENTORING", "COACHING"]})
    people = pool["people"]
    assert people["totalCount"] > 0
    assert all(p["offersMentoring"] or p["offersCoaching"] for p in people["nodes"])
    cards = page.locator("#pool > li")
    expect(cards).to_have_count(min(20, people["totalCount"]))
    assert cards.get_by_role("heading").all_text_contents() == [
        p["name"] for p in people["nodes"][:20]
    ]
    screenshot(page, "explorer-mentor-pool")

    page.get_by_label("Offers").select_option("coaching")
    page.get_by_label("System").select_option(NORTH_VALE)
    page.get_by_role("button", name="Show").click()
    coaches = hub.member_query(
        query, f={"topic": "falls", "system": NORTH_VALE, "offers": ["COACHING"]}
    )["people"]
    expect(page.locator("#pool-summary")).to_contain_text(f"{coaches['totalCount']} p")
    assert "offer=coaching" in page.url and f"system={NORTH_VALE}" in page.url
    expect(cards).to_have_count(min(20, coaches["totalCount"]))
    for card in cards.all():
        expect(card.locator(".tag.offer", has_text="offers coaching")).to_be_visible()


def test_the_browse_pages_work_for_anonymous_production_visitors_and_are_accessible(
    production: Hub, hub: Hub, page: Page
) -> None:
    routes = [
        "#/projects",
        f"#/projects?system={NORTH_VALE}&status=active",
        "#/people",
        f"#/people?organisation={quote(NV_HOSPITALS, safe='')}",
        "#/mentors",
    ]
    for route in routes:
        opened_afresh(page, production, route)
        expect(page.locator("main .error")).to_have_count(0)
        assert page.evaluate(ACCESSIBILITY) + keyboard_problems(page) == [], route
    opened_afresh(page, hub, "#/mentors")
    sign_in(page, hub.member_key)
    signed_in(page)
    expect(page.locator("#pool > li").first).to_be_visible()
    assert page.evaluate(ACCESSIBILITY) == []


# --- Members' contributions (issue 18): Share your work, My submissions, Moderation -----------
# A member shares a case study with a PDF, sees the planted falls duplicate as similar work
# while typing, fixes a field the hub refuses, and submits; North Vale Hospitals' partner
# admin approves it; anyone then finds it in search and downloads the file. A second
# submission is rejected with a reason, which its submitter reads on "My submissions".

SHARED_TITLE = "Lying and standing blood pressure checks for inpatient falls at Kettlewick"
SHARED_FILE_TEXT = "Kettlewick falls audit: lying and standing blood pressure"
MINE = "{ mySubmissions(first: 100) { id title status rejectionReason } }"


def sign_out(page: Page) -> None:
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page.locator("header").get_by_role("button", name="Sign in")).to_be_visible()


def fill_share_form(page: Page, title: str, topics: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill(
        "Ward teams check lying and standing blood pressure for older patients at risk of falls."
    )
    page.get_by_label("Organisation").select_option(NV_HOSPITALS)
    page.get_by_label("Topics").fill(topics)
    page.get_by_label("Improvement methods").fill("PDSA")


def test_a_member_shares_work_with_a_file_a_moderator_approves_and_anyone_downloads_it(
    hub: Hub, page: Page, tmp_path: Path
) -> None:
    shown(page, hub, "#/share")
    expect(page.locator("#share-signin")).to_contain_text("to share your work")
    sign_in(page, hub.member_key)
    signed_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Share your work")

    # Similar work shows while typing, with the people on it to talk to.
    page.get_by_label("What are you sharing?").select_option("CASE_STUDY")
    fill_share_form(page, SHARED_TITLE, "falls, no-such-topic-anywhere")
    similar = page.locator("#similar")
    expect(similar.get_by_role("heading", name="Similar work already exists")).to_be_visible()
    assert page.evaluate(ACCESSIBILITY) == []
    d1 = {f"{side['source']}:{side['ref']}" for side in PLANTED["duplicates"][0]}
    found = similar.locator("li[data-project]").evaluate_all(
        "cards => cards.map(c => c.dataset.project)"
    )
    assert d1 & set(found), (d1, found)
    first_d1 = similar.locator("li[data-project]", has=page.locator("a")).filter(
        has=page.locator(".talk-to")
    )
    expect(first_d1.first.locator(".talk-to a").first).to_be_visible()
    screenshot(page, "explorer-share-similar")

    # The file, and a topic the hub does not know: the error stands beside the topics field,
    # and nothing is stored.
    pdf = tmp_path / "kettlewick-audit.pdf"
    pdf.write_bytes(pdf_with(SHARED_FILE_TEXT))
    page.get_by_label("The problem").fill("Falls with harm rose on two wards.")
    page.get_by_label("Results").fill("Falls with harm halved in six months.")
    page.get_by_label("Files").set_input_files(str(pdf))
    page.get_by_role("button", name="Submit for moderation").click()
    topics_error = page.locator("#error-topics")
    expect(topics_error).to_be_visible()
    expect(topics_error).to_contain_text("no-such-topic-anywhere")
    expect(page.get_by_label("Topics")).to_have_attribute("aria-invalid", "true")
    assert hub.member_query(MINE)["mySubmissions"] == []

    page.get_by_label("Topics").fill("falls")
    # The submitter names themself as the person to talk to, and declares their own kind.
    page.get_by_label("Their name").fill("Rowan Ashby")
    page.get_by_label("Involvement", exact=True).select_option("LIVED_EXPERIENCE_PARTNER")
    page.get_by_label("They agree to show their involvement").check()
    page.get_by_role("button", name="Submit for moderation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My submissions")
    expect(page.locator(".done")).to_contain_text("your work was sent")
    sent = hub.member_query("{ mySubmissions(first: 100) { title contributor { name kind } } }")
    assert {"name": "Rowan Ashby", "kind": "LIVED_EXPERIENCE_PARTNER"} in [
        s["contributor"] for s in sent["mySubmissions"] if s["title"] == SHARED_TITLE
    ]
    card = page.locator("#my-submissions li", has_text=SHARED_TITLE)
    expect(card.locator(".tag.status-pending")).to_have_text("waiting for a moderator")
    expect(card.get_by_role("button", name="Download kettlewick-audit.pdf")).to_be_visible()
    mine = [s for s in hub.member_query(MINE)["mySubmissions"] if s["title"] == SHARED_TITLE]
    assert [s["status"] for s in mine] == ["PENDING"]
    assert hub.query(f'{{ submission(id: "{mine[0]["id"]}") {{ id }} }}')["submission"] is None

    # North Vale Hospitals' partner admin approves it.
    sign_out(page)
    sign_in(page, hub.partner_admin_key)
    signed_in(page)
    shown(page, hub, "#/moderate")
    waiting = page.locator("#to-moderate li", has_text=SHARED_TITLE)
    expect(waiting).to_be_visible()
    assert page.evaluate(ACCESSIBILITY) == []
    with page.expect_download() as pending_file:
        waiting.get_by_role("button", name="Download kettlewick-audit.pdf").click()
    assert Path(pending_file.value.path()).read_bytes() == pdf.read_bytes()
    waiting.get_by_role("button", name="Approve").click()
    expect(page.locator("#to-moderate li.decided")).to_contain_text(f"Approved: “{SHARED_TITLE}”")
    screenshot(page, "explorer-moderation")
    sign_out(page)

    # Anyone finds it in search, and the file's own words find the file, which downloads.
    shown(page, hub, "#/search?q=Kettlewick")
    resources = page.locator("#resources")
    expect(resources.get_by_role("link", name=SHARED_TITLE, exact=True)).to_be_visible()
    resources.get_by_role("link", name=re.compile(r"^kettlewick-audit\.pdf")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("kettlewick-audit.pdf")
    with page.expect_download() as approved_file:
        page.get_by_role("link", name="Download kettlewick-audit.pdf").click()
    assert Path(approved_file.value.path()).read_bytes() == pdf.read_bytes()


def test_a_moderator_rejects_with_a_reason_and_the_submitter_reads_it(hub: Hub, page: Page) -> None:
    title = "Hydration rounds in Kettlewick care homes"
    reason = "Please name the care homes' organisation and add what changed."
    shown(page, hub, "#/share")
    sign_in(page, hub.member_key)
    signed_in(page)
    fill_share_form(page, title, "falls")
    page.get_by_role("button", name="Submit for moderation").click()
    expect(page.locator("#my-submissions li", has_text=title)).to_be_visible()
    sign_out(page)

    sign_in(page, hub.partner_admin_key)
    signed_in(page)
    shown(page, hub, "#/moderate")
    waiting = page.locator("#to-moderate li", has_text=title)
    waiting.get_by_role("button", name="Reject").click()  # no reason yet: refused beside it
    reason_box = waiting.get_by_label("Reason for rejecting")
    expect(reason_box).to_have_attribute("aria-invalid", "true")
    expect(waiting.locator(".field-error")).to_contain_text("Say why")
    reason_box.fill(reason)
    waiting.get_by_role("button", name="Reject").click()
    expect(page.locator("#to-moderate li.decided")).to_contain_text(f"Rejected: “{title}”")
    sign_out(page)

    sign_in(page, hub.member_key)
    signed_in(page)
    shown(page, hub, "#/my-submissions")
    card = page.locator("#my-submissions li", has_text=title)
    expect(card.locator(".tag.status-rejected")).to_have_text("rejected")
    expect(card.locator(".rejection")).to_contain_text(reason)
    screenshot(page, "explorer-my-submissions")

    # Edited as the moderator asked, it waits for a moderator again; then it is withdrawn.
    card.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your submission")
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("Topics")).to_have_value("Falls prevention")
    edited = f"{title}, Harrow Lodge"
    page.get_by_label("Title").fill(edited)
    page.get_by_role("button", name="Save changes").click()
    card = page.locator("#my-submissions li", has_text=edited)
    expect(card.locator(".tag.status-pending")).to_be_visible()
    expect(card.locator(".rejection")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Withdraw").click()
    expect(card.locator(".tag.status-withdrawn")).to_have_text("withdrawn")
    expect(card.get_by_role("button", name="Withdraw")).to_have_count(0)


def test_a_members_page_shows_a_persons_kind_only_where_they_consented(
    hub: Hub, page: Page
) -> None:
    """Demo people of the community trust declare lived experience (examples/README.md)."""
    listed = """query ($kinds: [PersonKind!]) {
      people(filter: {kinds: $kinds}, first: 50) { nodes { id name kind } } }"""
    partners = hub.member_query(listed, kinds=["LIVED_EXPERIENCE_PARTNER"])["people"]["nodes"]
    assert partners and {p["kind"] for p in partners} == {"LIVED_EXPERIENCE_PARTNER"}
    person = partners[0]
    route = f"#/person/{quote(person['id'], safe='')}"
    shown(page, hub, route)
    expect(page.get_by_role("heading", level=1)).to_have_text(person["name"])
    expect(page.locator("dl.facts").first).to_contain_text("Works for")
    expect(page.locator("main")).not_to_contain_text("Involvement")
    sign_in(page, hub.member_key)
    signed_in(page)
    expect(page.locator("dl.facts").first).to_contain_text("Involvementlived-experience partner")

    # Search narrows who else to the kind chosen (signed in), each card saying it.
    interest = hub.member_query(
        "query ($id: ID!) { person(id: $id) { interests { id } } }", id=person["id"]
    )["person"]["interests"][0]["id"]
    shown(page, hub, f"#/search?q={quote(interest)}")
    expect(page.get_by_label("Who")).to_be_visible()
    page.get_by_label("Who").select_option("LIVED_EXPERIENCE_PARTNER")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"who=LIVED_EXPERIENCE_PARTNER"))
    opened_afresh(page, hub, "#/" + page.url.split("#/", 1)[1])  # no old results in view
    expect(page.get_by_label("Who")).to_have_value("LIVED_EXPERIENCE_PARTNER")
    card = page.locator(f"#people li[data-person='{person['id']}']")
    expect(card.locator(".tag.kind")).to_have_text("lived-experience partner")
    kinds = page.locator("#people > li").evaluate_all(
        "cards => cards.map(c => c.querySelector('.tag.kind')?.textContent ?? null)"
    )
    assert kinds and set(kinds) == {"lived-experience partner"}, kinds
    sign_out(page)
    expect(page.locator("#people > li").first).to_be_visible()
    expect(page.get_by_label("Who")).to_have_count(0)

    # The people page narrows by kind too, signed in only, each card saying it.
    sign_in(page, hub.member_key)
    signed_in(page)
    shown(page, hub, "#/people")
    page.get_by_label("Who").select_option("LIVED_EXPERIENCE_PARTNER")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"who=LIVED_EXPERIENCE_PARTNER"))
    settled(page)
    cards = page.locator("#people > li")
    names = [p["name"] for p in partners][:20]
    expect(cards.get_by_role("heading")).to_have_text(names)
    expect(cards.locator(".tag.kind")).to_have_text(["lived-experience partner"] * len(names))
    # Signed out, the kind in the address is ignored: everyone listed, no kind shown.
    sign_out(page)
    anyone = hub.query("{ people(first: 1) { totalCount } }")["people"]["totalCount"]
    expect(page.locator("#people-summary")).to_have_text(f"{anyone} people.")
    expect(page.get_by_label("Who")).to_have_count(0)
    expect(cards.locator(".tag.kind")).to_have_count(0)
