"""`convener demo`: the demo region's partner websites, synced into the graph, then the hub.

The demo region and its fake partner websites live in the checkout's ``examples/``, not in the
product package: the command runs from a checkout (``make demo``), and says so in one line
when it runs from an install that has none.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

from connectors.partners import PartnersFileError
from graph import local_neo4j
from graph.impact import take_daily_snapshot
from hub.cli.console import err, fail, out
from hub.cli.database import resolve_or_fail
from hub.cli.report import show_report
from hub.cli.serve import run_hub
from hub.cli.sync import options_or_fail, sync_with_progress
from hub.config import Settings
from hub.local_database import DatabaseTarget


def demo(
    host: Annotated[str | None, typer.Option(help="Address the hub listens on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port the hub listens on.")] = None,
) -> None:
    """Run the demo region, synced into the graph, then the hub.

    The demo partners' websites run on 127.0.0.1 and are synced through the real connectors
    into the local Neo4j, where the data stays: a second run pulls only what changed.
    """
    region = demo_region()
    settings = Settings()
    options = options_or_fail(settings)
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
                    target.connect(settings), partners, env=env, options=options, uri=target.uri
                )
            )
            show_report(report, dry_run=False)
            asyncio.run(todays_snapshot(target, settings))
            sent = asyncio.run(pending_submissions(target, settings))
            if sent:
                err.print(f"Sent {sent} members' submissions for moderation", highlight=False)
            hub_url = f"http://{host or settings.host}:{port or settings.port}"
            demo_env = {"CONVENER_DEMO_BASE_URL": web.url, **region.DEMO_SECRETS}
            resync = " ".join(
                [
                    *(f"{name}={value}" for name, value in demo_env.items()),
                    convener_command(),
                    *("sync", "--config", _shown(region.EXAMPLES / "partners.yaml")),
                ]
            )
            out.print(
                f"\nThe explorer:  {hub_url}/\n"
                f"GraphiQL:      {hub_url}/graphql (the GraphQL API)\n"
                f"Readiness:     {hub_url}/readyz\n"
                f"Sync the demo again from another shell while this one runs:\n  {resync}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
            run_hub(settings, target, host, port)
    finally:
        target.release()


async def todays_snapshot(target: DatabaseTarget, settings: Settings) -> None:
    """Today's impact snapshot, as a scheduler would take it, so the Impact page has one."""
    graph = target.connect(settings)
    try:
        await take_daily_snapshot(graph)
    finally:
        await graph.close()


async def pending_submissions(target: DatabaseTarget, settings: Settings) -> int:
    """The demo's members' submissions waiting for moderation (examples/demo_submissions.py),
    sent once, so the moderation page and "Similar work" have something to show."""
    submissions = importlib.import_module("examples.demo_submissions")
    graph = target.connect(settings)
    try:
        return int(await submissions.send_pending(graph))
    finally:
        await graph.close()


def convener_command() -> str:
    """How a person in this shell runs `convener`: by name when the PATH finds this very
    command, else by its path (``.venv/bin/convener`` after ``make demo``)."""
    script = Path(sys.executable).parent / "convener"
    found = shutil.which("convener")
    if found is not None and Path(found).resolve() == script.resolve():
        return "convener"
    return _shown(script)


def _shown(path: Path) -> str:
    """A path as short as it can be said from the working directory."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
