"""`convener demo`: the demo region's partner websites, synced into the graph, then the hub."""

from __future__ import annotations

import asyncio
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
from hub.demo import DEMO_SECRETS, EXAMPLES, PartnerWeb, Serving, demo_partners
from hub.sync.run import ingest_options


def demo(
    host: Annotated[str | None, typer.Option(help="Address the hub listens on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port the hub listens on.")] = None,
) -> None:
    """Run the demo region: its partners' websites on 127.0.0.1, synced into the graph, then
    the hub. Data stays in the local Neo4j; a second run pulls only what changed."""
    settings = Settings()
    web_port = local_neo4j.free_port()
    try:
        partners, env = demo_partners(web_port)
    except PartnersFileError as error:
        raise fail(str(error)) from None
    target = resolve_or_fail(settings)
    try:
        with Serving(PartnerWeb(partners, EXAMPLES / "web", DEMO_SECRETS).app(), web_port) as web:
            err.print(f"Demo partner web (the partners' websites) at {web.url}", highlight=False)
            report = asyncio.run(
                sync_with_progress(
                    target.connect(settings), partners, env=env, options=ingest_options(settings)
                )
            )
            show_report(report, dry_run=False)
            hub_url = f"http://{host or settings.host}:{port or settings.port}"
            demo_env = " ".join(f"{name}={value}" for name, value in DEMO_SECRETS.items())
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
