"""`convener demo`: the demo region's partner websites, synced into the graph, then the hub.

The demo region and its fake partner websites live in the checkout's ``examples/``, not in the
product package: the command runs from a checkout (``make demo``), and says so in one line
when it runs from an install that has none.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

from connectors.partners import PartnersFileError
from graph import local_neo4j
from hub.cli.console import err, fail, out
from hub.cli.database import resolve_or_fail
from hub.cli.report import show_report
from hub.cli.serve import run_hub
from hub.cli.sync import sync_with_progress
from hub.config import Settings
from hub.sync.run import ingest_options


def demo(
    host: Annotated[str | None, typer.Option(help="Address the hub listens on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port the hub listens on.")] = None,
) -> None:
    """Run the demo region: its partners' websites on 127.0.0.1, synced into the graph, then
    the hub. Data stays in the local Neo4j; a second run pulls only what changed."""
    region = demo_region()
    settings = Settings()
    web_port = local_neo4j.free_port()
    try:
        partners, env = region.demo_partners(web_port)
    except PartnersFileError as error:
        raise fail(str(error)) from None
    target = resolve_or_fail(settings)
    partner_web = region.PartnerWeb(partners, region.EXAMPLES / "web", region.DEMO_SECRETS)
    try:
        with region.Serving(partner_web.app(), web_port) as web:
            err.print(f"Demo partner web (the partners' websites) at {web.url}", highlight=False)
            report = asyncio.run(
                sync_with_progress(
                    target.connect(settings), partners, env=env, options=ingest_options(settings)
                )
            )
            show_report(report, dry_run=False)
            hub_url = f"http://{host or settings.host}:{port or settings.port}"
            secrets = region.DEMO_SECRETS.items()
            demo_env = " ".join(f"{name}={value}" for name, value in secrets)
            out.print(
                f"\nThe hub: {hub_url}/graphql (GraphiQL in a browser), {hub_url}/readyz\n"
                f"Sync the demo again from another shell:\n"
                f"  CONVENER_DEMO_BASE_URL={web.url} {demo_env} "
                "convener sync --config examples/partners.yaml",
                highlight=False,
                soft_wrap=True,
            )
            run_hub(settings, target, host, port)
    finally:
        target.release()


CHECKOUT = Path(__file__).resolve().parents[2]
"""The source tree this package runs from: a checkout for ``make demo`` (an editable install),
site-packages for an installed wheel, where no ``examples/`` is beside it."""


def demo_region(checkout: Path = CHECKOUT) -> ModuleType:
    """``examples/demo_web.py`` of the checkout, imported; exits with one line when missing."""
    if not (checkout / "examples" / "demo_web.py").is_file():
        raise fail(
            "the demo region is in examples/ of a Convener checkout, not in this install: "
            "run `make demo` in a checkout"
        )
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    return importlib.import_module("examples.demo_web")
