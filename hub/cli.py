"""The ``convener`` command line."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from connectors.partners import PartnersFile, PartnersFileError, load_partners
from graph import local_neo4j
from graph.database import Graph
from graph.ingest import IngestOptions
from graph.local_neo4j import LocalNeo4jError
from graph.migrate import apply_migrations
from graph.similarity.reviews import ReviewStatus
from hub import duplicates as duplicate_report
from hub.app import WORKER_APP, WORKER_NEO4J_URI, create_app, settle_garbage_collector
from hub.config import Settings
from hub.demo import DEMO_SECRETS, EXAMPLES, PartnerWeb, Serving, demo_partners
from hub.keys import keys_app
from hub.local_database import DatabaseTarget, resolve_database
from hub.logs import configure_logging
from hub.organisations import organisations_app
from hub.schedule import due_now, run_schedule
from hub.sync import SourceOutcome, SyncReport, ingest_options, run_sync, selected_sources

app = typer.Typer(
    help="Convener: a knowledge hub for health-and-care improvement.",
    no_args_is_help=True,
    add_completion=False,
)
neo4j_app = typer.Typer(
    help="Manage the local Neo4j that Convener starts when CONVENER_NEO4J_URI is not set.",
    no_args_is_help=True,
)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(keys_app, name="keys")
app.add_typer(organisations_app, name="organisations")

err = Console(stderr=True)
out = Console()


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]convener:[/] {message}", highlight=False)
    return typer.Exit(code=1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=64, help="Hub processes sharing the port (default: CONVENER_WORKERS, 1)."
        ),
    ] = None,
) -> None:
    """Run the hub (GraphQL at /graphql, health at /healthz and /readyz) in the foreground."""
    settings = Settings()
    try:
        target = resolve_database(settings)
    except LocalNeo4jError as error:
        raise fail(str(error)) from None
    try:
        run_hub(settings, target, host, port, workers=workers or settings.workers)
    finally:
        target.release()  # a no-op when the app's shutdown already stopped it


def run_hub(
    settings: Settings,
    target: DatabaseTarget,
    host: str | None,
    port: int | None,
    *,
    workers: int = 1,
) -> None:
    """Serve the hub in the foreground until it is stopped (shared by `serve` and `demo`).

    With several workers, uvicorn starts that many processes, each with its own app and
    driver (``hub.app.worker_app``); this process only supervises them, and stops the local
    Neo4j (when it started one) after they have ended.
    """
    where = "the local Neo4j" if target.owned else "Neo4j"
    err.print(f"Using {where} at {target.uri}", highlight=False)
    host, port = host or settings.host, port or settings.port
    if workers > 1:
        asyncio.run(_migrate(target, settings))  # once, not once per worker at the same time
        os.environ[WORKER_NEO4J_URI] = target.uri
        uvicorn.run(WORKER_APP, factory=True, workers=workers, host=host, port=port, **SERVING)
        return
    hub = create_app(target.connect(settings), on_shutdown=target.release)
    settle_garbage_collector()
    uvicorn.run(hub, host=host, port=port, **SERVING)


SERVING: dict[str, Any] = {"access_log": False}
"""uvicorn's own line per request is off: ``hub.logs.RequestLog`` already logs each one (with
its request id, status and duration), and a second line cost every request its formatting."""


async def _migrate(target: DatabaseTarget, settings: Settings) -> None:
    graph = target.connect(settings)
    try:
        await apply_migrations(graph)
    finally:
        await graph.close()


@neo4j_app.command("start")
def neo4j_start(
    port: Annotated[int | None, typer.Option(help="Bolt port (a free one if not given).")] = None,
) -> None:
    """Start the local Neo4j in the background, for `convener serve` and tools to share."""
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
    """Say whether the local Neo4j runs, where, and with which data (exit 1 if not running)."""
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


PartnersOption = Annotated[
    Path,
    typer.Option("--config", envvar="CONVENER_PARTNERS_FILE", help="The partners file (YAML)."),
]


@app.command()
def sync(
    config: PartnersOption = Path("partners.yaml"),
    partner: Annotated[
        str | None, typer.Option(help="Sync only this partner's sources (by id).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Pull and compare, but write nothing.")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Ignore bookmarks and ETags: pull everything.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summaries as JSON on stdout.")
    ] = False,
    due: Annotated[
        bool,
        typer.Option(
            "--due", help="Only sources whose interval has passed since their last pull (cron)."
        ),
    ] = False,
) -> None:
    """Pull every enabled partner source into the graph.

    Exit status: 0 when every source succeeded (or, with --due, none was due), 1 when any
    source failed (the others are still synced), 2 when the partners file or the database
    cannot be used.
    """
    try:
        partners = load_partners(config)
        selected_sources(partners, partner)
    except PartnersFileError as error:
        err.print(f"[bold red]convener:[/] {error}", highlight=False)
        raise typer.Exit(code=2) from None
    except KeyError:
        raise fail_with(2, f"no partner {partner!r} in {config}") from None
    settings = Settings()
    try:
        target = resolve_database(settings)
    except LocalNeo4jError as error:
        raise fail_with(2, str(error)) from None
    try:
        report = asyncio.run(
            _sync(
                target.connect(settings),
                partners,
                partner,
                dry_run,
                full,
                not as_json,
                None,
                ingest_options(settings),
                due,
            )
        )
    finally:
        target.release()
    if report is None:
        err.print("No source is due.", highlight=False)
        raise typer.Exit(code=0)
    if as_json:
        print(json.dumps(report_json(report), indent=2, default=str))
    else:
        show_report(report, dry_run)
    raise typer.Exit(code=0 if report.ok else 1)


def fail_with(code: int, message: str) -> typer.Exit:
    err.print(f"[bold red]convener:[/] {message}", highlight=False)
    return typer.Exit(code=code)


async def _sync(
    graph: Graph,
    partners: PartnersFile,
    partner: str | None,
    dry_run: bool,
    full: bool,
    show_progress: bool,
    env: dict[str, str] | None,
    options: IngestOptions,
    due: bool = False,
) -> SyncReport | None:
    """Migrate, then sync with a spinner per source on stderr (None: with ``due``, none was)."""
    try:
        await apply_migrations(graph)
        chosen = await due_now(graph, partners) if due else None
        if chosen is not None and not chosen.sources:
            return None
        source_ids = chosen.sources if chosen is not None else None
        columns = (SpinnerColumn(), TextColumn("{task.description}"))
        with Progress(*columns, console=err, disable=not show_progress) as progress:
            tasks: dict[str, Any] = {}
            for _, source in selected_sources(partners, partner, source_ids):
                tasks[source.id] = progress.add_task(f"{source.id}: waiting")

            def update(source_id: str, stage: str, outcome: SourceOutcome | None) -> None:
                text = f"{source_id}: {stage}"
                if outcome is not None:
                    text = f"{source_id}: {outcome.summary.status}"
                progress.update(tasks[source_id], description=text, completed=stage == "done")

            return await run_sync(
                graph,
                partners,
                partner_id=partner,
                source_ids=source_ids,
                full_sources=chosen.full if chosen is not None else (),
                dry_run=dry_run,
                full=full,
                env=env,
                options=options,
                progress=update,
            )
    finally:
        await graph.close()


@app.command()
def schedule(
    config: PartnersOption = Path("partners.yaml"),
) -> None:
    """Keep pulling: each source whenever its `interval` has passed, until stopped.

    Run one scheduler per graph (hubs never pull). It re-reads the partners file each round and
    keeps the last good one while the file is broken. Stop it with Ctrl-C or SIGTERM.
    """
    try:
        load_partners(config)
    except PartnersFileError as error:
        raise fail_with(2, str(error)) from None
    settings = Settings()
    try:
        target = resolve_database(settings)
    except LocalNeo4jError as error:
        raise fail_with(2, str(error)) from None
    err.print(f"Pulling the sources of {config} as they fall due; Ctrl-C stops.", highlight=False)
    try:
        asyncio.run(_schedule(target.connect(settings), config, ingest_options(settings)))
    finally:
        target.release()


async def _schedule(graph: Graph, config: Path, options: IngestOptions) -> None:
    configure_logging()  # a long-running process: what each round did goes to its log
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await apply_migrations(graph)
        await run_schedule(graph, lambda: load_partners(config), stop, options=options)
    finally:
        await graph.close()


@app.command()
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
    try:
        target = resolve_database(settings)
    except LocalNeo4jError as error:
        raise fail(str(error)) from None
    try:
        with Serving(PartnerWeb(partners, EXAMPLES / "web", DEMO_SECRETS).app(), web_port) as web:
            err.print(f"Demo partner web (the partners' websites) at {web.url}", highlight=False)
            report = asyncio.run(
                _sync(
                    target.connect(settings),
                    partners,
                    None,
                    False,
                    False,
                    True,
                    env,
                    ingest_options(settings),
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


STATUS_STYLE = {"succeeded": "green", "failed": "bold red", "flagged": "yellow"}


def show_report(report: SyncReport, dry_run: bool) -> None:
    """One row per source, then every failure and the first rejected records, for people."""
    table = Table(title="Sync (dry run: nothing written)" if dry_run else "Sync")
    table.add_column("source", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for column in ("new", "changed", "same", "retired", "rejected"):
        table.add_column(column, justify="right")
    table.add_column("note")
    rows = [("partners", report.registry, None)]
    rows += [(o.source, o.summary, o) for o in report.outcomes]
    for name, summary, outcome in rows:
        style = STATUS_STYLE.get(summary.status)
        counts = (summary.created, summary.updated, summary.unchanged, summary.retired)
        table.add_row(
            name,
            f"[{style}]{summary.status}[/]" if style else summary.status,
            *(str(n) for n in counts),
            str(summary.rejected),
            _note(summary.flag_reason, outcome),
        )
    out.print(table)
    for outcome in report.outcomes:
        for line in [*outcome.summary.notes, *outcome.summary.errors[:5]]:
            out.print(f"  {line}", highlight=False, soft_wrap=True)
    if report.similarity is not None:
        scored = report.similarity
        out.print(
            f"Similar projects re-scored ({scored.mode}, {scored.projects} projects): "
            f"{scored.duplicates} possible duplicates, {scored.collaborations} collaborations.",
            highlight=False,
        )
    if report.similarity_error is not None:
        out.print(f"[yellow]{report.similarity_error}[/]", highlight=False)
    failed = len(report.failed)
    if failed:
        out.print(f"[bold red]{failed} source(s) failed[/]; the others were synced.")


def _note(flag_reason: str | None, outcome: SourceOutcome | None) -> str:
    """Why a row looks as it does: unchanged, a partial list, retries, a flag."""
    if flag_reason:
        return flag_reason
    pull = outcome.pull if outcome else None
    if pull is None:
        return ""
    if pull.not_modified:
        return "not modified"
    parts = [f"{pull.requests} req"] if pull.requests else ["file"]
    if not pull.complete and pull.failure is None:
        parts.append("partial: none retired")
    if pull.notes:
        parts.append(f"{len(pull.notes)} retried")
    return ", ".join(parts)


def report_json(report: SyncReport) -> dict[str, Any]:
    sources = []
    for outcome in report.outcomes:
        pull = outcome.pull
        sources.append(
            {
                "partner": outcome.partner,
                "kind": outcome.kind,
                **asdict(outcome.summary),
                "pull": None
                if pull is None
                else {
                    "complete": pull.complete,
                    "not_modified": pull.not_modified,
                    "requests": pull.requests,
                    "notes": pull.notes,
                },
            }
        )
    return {
        "ok": report.ok,
        "registry": asdict(report.registry),
        "sources": sources,
        "similarity": asdict(report.similarity) if report.similarity else None,
        "similarity_error": report.similarity_error,
    }


@app.command()
def duplicates(
    system: Annotated[
        str | None, typer.Option(help="Only pairs with a project in this system.")
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="csv (for spreadsheets) or json.")
    ] = "csv",
    min_score: Annotated[
        float | None, typer.Option(help="Lowest score shown (default 0.7).")
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(help="unreviewed, confirmed or dismissed; repeat for several."),
    ] = None,
    collaborations: Annotated[
        bool, typer.Option(help="Also list collaborations (shared people or partners).")
    ] = False,
    rescore: Annotated[bool, typer.Option(help="Re-score every project first.")] = False,
) -> None:
    """Similar projects across organisations, one row per pair, for people who use Excel."""
    if output not in ("csv", "json"):
        raise fail(f"--format is csv or json, not {output!r}")
    try:
        statuses = [ReviewStatus(s) for s in status] if status else None
    except ValueError:
        raise fail("--status is unreviewed, confirmed or dismissed") from None
    settings = Settings()
    try:
        target = resolve_database(settings)
    except LocalNeo4jError as error:
        raise fail(str(error)) from None

    async def rows() -> list[dict[str, Any]]:
        graph = target.connect(settings)
        try:
            return await duplicate_report.duplicate_rows(
                graph,
                system=system,
                min_score=min_score,
                statuses=statuses,
                kinds=["duplicate", "collaboration"] if collaborations else None,
                rescore=rescore,
            )
        finally:
            await graph.close()

    try:
        found = asyncio.run(rows())
    finally:
        target.release()
    text = duplicate_report.as_csv(found) if output == "csv" else duplicate_report.as_json(found)
    print(text, end="")


if __name__ == "__main__":
    app()
