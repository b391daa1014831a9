"""How the hub serves the explorer's files: caching, safety headers, and what the files are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from graph.database import Graph
from hub.web.app import create_app
from hub.web.explorer import EXPLORER_DIR, explorer_routes

EXPLORER = EXPLORER_DIR.parent
STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^"';]*?\bfrom\s*["']([^"']+)["']""", re.M)
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["']([^"']+)["']\s*\)""")


@pytest.fixture
async def client() -> httpx.AsyncClient:
    app = Starlette(routes=explorer_routes())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield client


async def test_the_page_is_served_at_the_root_and_always_revalidated(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<script type="module" src="/explorer/js/main.js">' in page.text

    again = await client.get("/", headers={"if-none-match": page.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["cache-control"] == "no-cache"


async def test_modules_revalidate_and_vendored_files_are_immutable(
    client: httpx.AsyncClient,
) -> None:
    main = await client.get("/explorer/js/main.js")
    assert main.status_code == 200
    assert main.headers["content-type"].startswith("text/javascript")
    assert main.headers["cache-control"] == "no-cache"
    assert "content-security-policy" not in main.headers
    (vendored,) = (EXPLORER_DIR / "vendor").glob("d3-force-*.js")
    library = await client.get(
        f"/explorer/vendor/{vendored.name}", headers={"accept-encoding": "gzip"}
    )
    assert library.status_code == 200
    assert library.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert library.headers["content-encoding"] == "gzip"
    missing = await client.get("/explorer/js/nothing-here.js")
    assert missing.status_code == 404
    outside = await client.get("/explorer/../../pyproject.toml")
    assert outside.status_code == 404


async def test_the_hub_serves_the_explorer_beside_its_api(graph: Graph) -> None:
    app = create_app(graph, close_graph=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        page = await client.get("/")
        module = await client.get("/explorer/js/api.js")
        api = await client.post("/graphql", json={"query": "{ about { name } }"})
        health = await client.get("/healthz")
    assert page.status_code == 200 and "<title>Convener explorer</title>" in page.text
    assert module.status_code == 200 and 'fetch("/graphql"' in module.text
    assert api.json() == {"data": {"about": {"name": "Convener"}}}
    assert health.json() == {"status": "alive"}


async def test_without_its_files_the_explorer_says_so(tmp_path: Path) -> None:
    app = Starlette(routes=explorer_routes(tmp_path))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        response = await client.get("/")
    assert response.status_code == 503
    assert "/graphql" in response.text


def test_every_module_the_app_imports_exists() -> None:
    """Relative imports of every module resolve to a served file (no build step to catch it)."""
    modules = sorted((EXPLORER_DIR / "js").rglob("*.js"))
    assert len(modules) >= 10
    found = 0
    for module in modules:
        text = module.read_text(encoding="utf-8")
        for target in STATIC_IMPORT.findall(text) + DYNAMIC_IMPORT.findall(text):
            found += 1
            assert target.startswith("."), f"{module.name} imports a bare name {target!r}"
            resolved = (module.parent / target).resolve()
            assert resolved.is_file(), f"{module.name} imports {target}, which is missing"
            assert EXPLORER_DIR in resolved.parents
    assert found > 30  # the views and their helpers, and main.js's lazy imports


def test_no_module_turns_data_into_html() -> None:
    """The app builds elements from data; nothing parses text as HTML or code."""
    for module in (EXPLORER_DIR / "js").rglob("*.js"):
        text = module.read_text(encoding="utf-8")
        for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert risky not in text, f"{module.name} uses {risky}"


def test_the_vendored_bundle_is_the_locked_version() -> None:
    lock = json.loads((EXPLORER / "package-lock.json").read_text(encoding="utf-8"))
    (vendored,) = (EXPLORER_DIR / "vendor").glob("d3-force-*.js")
    banner = vendored.read_text(encoding="utf-8").splitlines()[0]
    for name in ("d3-force", "d3-quadtree", "d3-dispatch", "d3-timer"):
        version = lock["packages"][f"node_modules/{name}"]["version"]
        assert f"{name}@{version}" in banner, f"rebuild with `npm run vendor`: {banner}"
    assert vendored.name == f"d3-force-{lock['packages']['node_modules/d3-force']['version']}.js"
    network = (EXPLORER_DIR / "js" / "views" / "network.js").read_text(encoding="utf-8")
    assert f"/vendor/{vendored.name}" in network


def test_the_charting_bundle_is_the_locked_version() -> None:
    """Observable Plot for the Impact page (issue 20): every package the banner names is the
    version package-lock.json pins, and the page imports that very file."""
    lock = json.loads((EXPLORER / "package-lock.json").read_text(encoding="utf-8"))
    (vendored,) = (EXPLORER_DIR / "vendor").glob("plot-*.js")
    banner = vendored.read_text(encoding="utf-8").splitlines()[0]
    named = re.findall(r"((?:@[\w.-]+/)?[\w.-]+)@(\d[\w.-]*)", banner)
    assert ("@observablehq/plot", vendored.name.removeprefix("plot-").removesuffix(".js")) in named
    for name, version in named:
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
    impact = (EXPLORER_DIR / "js" / "views" / "impact.js").read_text(encoding="utf-8")
    assert f"/vendor/{vendored.name}" in impact
