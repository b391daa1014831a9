"""`convener neo4j start|stop|status|reset`: the local Neo4j, shared by several commands."""

from __future__ import annotations

import shutil
from typing import Annotated

import typer

from graph import local_neo4j
from graph.local_neo4j import LocalNeo4jError
from hub.cli.console import fail, out
from hub.config import Settings

neo4j_app = typer.Typer(
    help="The local Neo4j, used when CONVENER_NEO4J_URI is unset.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@neo4j_app.command("start")
def neo4j_start(
    port: Annotated[int | None, typer.Option(help="Bolt port (a free one if not given).")] = None,
) -> None:
    """Start the local Neo4j in the background.

    `convener serve` and the other commands then share it, until `convener neo4j stop`.
    """
    settings = Settings()
    try:
        server = local_neo4j.start(
            settings.local_neo4j_home,
            port=port,
            cache_dir=settings.cache_dir,
            timeout=settings.neo4j_startup_timeout,
            detached=True,
        )
    except LocalNeo4jError as error:
        raise fail(str(error)) from None
    out.print(f"Local Neo4j running at {server.uri} (pid {server.pid})", highlight=False)


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j started by `convener neo4j start`."""
    server = local_neo4j.find_running(Settings().local_neo4j_home)
    if server is None:
        out.print("No local Neo4j is running.")
        return
    server.stop()
    out.print(f"Stopped the local Neo4j (pid {server.pid}).", highlight=False)


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j runs, and where.

    With its address and its data directory; exit status 1 when it is not running.
    """
    settings = Settings()
    home = settings.local_neo4j_home
    server = local_neo4j.find_running(home)
    if server is None:
        out.print(f"Local Neo4j {local_neo4j.neo4j_version()}: not running (data in {home})")
        raise typer.Exit(code=1)
    out.print(
        f"Local Neo4j {local_neo4j.neo4j_version()}: running at {server.uri} "
        f"(pid {server.pid}, data in {home})",
        highlight=False,
    )


@neo4j_app.command("reset")
def neo4j_reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete the local Neo4j's data (stopping it first). The jar cache is kept."""
    home = Settings().local_neo4j_home
    if not yes:
        typer.confirm(f"Delete all local Neo4j data in {home}?", abort=True)
    server = local_neo4j.find_running(home)
    if server is not None:
        server.stop()
    shutil.rmtree(home, ignore_errors=True)
    out.print(f"Deleted the local Neo4j data in {home}.", highlight=False)
