"""`convener sync` (one pull of the partners' sources) and `convener schedule` (keep pulling)."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from connectors.partners import PartnersFile, PartnersFileError, load_partners
from graph.database import Graph
from graph.ingest import IngestOptions
from graph.leases import new_holder
from graph.migrate import apply_migrations
from graph.vocabulary import VocabularyError
from hub.cli.console import err, fail
from hub.cli.database import ensure_reachable, resolve_or_fail
from hub.cli.report import SHOWN, report_json, show_report
from hub.config import Settings, ingest_options
from hub.sync.run import SourceOutcome, SyncReport, run_sync, selected_sources
from hub.sync.schedule import due_now, leased, run_schedule, still_due
from hub.web.logs import configure_logging

PartnersOption = Annotated[
    Path,
    typer.Option("--config", envvar="CONVENER_PARTNERS_FILE", help="The partners file (YAML)."),
]


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
    every_note: Annotated[
        bool,
        typer.Option(
            "--notes", help=f"List every note and error under the table, not the first {SHOWN}."
        ),
    ] = False,
) -> None:
    """Pull every enabled partner source into the graph.

    Exit status: 0 when every source succeeded (or, with --due, none was due); 1 when a
    source failed (the others are still synced) or was flagged (its pull would retire too
    much, so nothing of it was retired); 2 when the sync could not run (the partners file,
    the topic vocabulary or the database).
    """
    try:
        partners = load_partners(config)
        selected_sources(partners, partner)
    except PartnersFileError as error:
        raise fail(str(error), 2) from None
    except KeyError:
        raise fail(f"no partner {partner!r} in {config}", 2) from None
    settings = Settings()
    options = options_or_fail(settings)
    target = resolve_or_fail(settings, 2)
    try:
        report = asyncio.run(
            sync_with_progress(
                target.connect(settings),
                partners,
                partner=partner,
                dry_run=dry_run,
                full=full,
                show_progress=not as_json,
                options=options,
                due=due,
                uri=target.uri,
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
        show_report(report, dry_run, every_note=every_note)
    raise typer.Exit(code=0 if report.ok else 1)


async def sync_with_progress(
    graph: Graph,
    partners: PartnersFile,
    *,
    partner: str | None = None,
    dry_run: bool = False,
    full: bool = False,
    show_progress: bool = True,
    env: dict[str, str] | None = None,
    options: IngestOptions,
    due: bool = False,
    uri: str = "",
) -> SyncReport | None:
    """Migrate, then sync with a spinner per source on stderr (None: with ``due``, none was).

    With ``due``, only the sources due whose leases this run takes (``leased``): a scheduler
    or another cron run pulling a source at the same time keeps it. The spinners are for a
    person at a terminal: anywhere else (a log, a pipe) they are left out, and the report that
    follows says everything.
    """
    chosen = {
        "partner": partner,
        "dry_run": dry_run,
        "full": full,
        "show_progress": show_progress,
        "env": env,
        "options": options,
    }
    try:
        await ensure_reachable(graph, uri)
        await apply_migrations(graph)
        if not due:
            return await _sync_shown(graph, partners, None, (), **chosen)
        found = await due_now(graph, partners)
        async with leased(graph, found.sources, new_holder()) as held:
            pulling = await still_due(graph, partners, held)
            if not pulling:
                return None
            in_full = [source for source in found.full if source in pulling]
            return await _sync_shown(graph, partners, pulling, in_full, **chosen)
    finally:
        await graph.close()


async def _sync_shown(
    graph: Graph,
    partners: PartnersFile,
    source_ids: list[str] | None,
    full_sources: Collection[str],
    *,
    partner: str | None,
    dry_run: bool,
    full: bool,
    show_progress: bool,
    env: dict[str, str] | None,
    options: IngestOptions,
) -> SyncReport:
    """``run_sync`` with a spinner per source on stderr when a person watches."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"))
    shown = show_progress and err.is_terminal
    with Progress(*columns, console=err, disable=not shown, transient=True) as progress:
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
            full_sources=full_sources,
            dry_run=dry_run,
            full=full,
            env=env,
            options=options,
            progress=update,
        )


def schedule(
    config: PartnersOption = Path("partners.yaml"),
) -> None:
    """Keep pulling each source whenever its interval has passed.

    Several schedulers may share a graph: each takes a source's lease before pulling it (hubs
    never pull). It re-reads the partners file each round and keeps the last good one while
    the file is broken. Stop it with Ctrl-C or SIGTERM. Exit
    status 2 when it cannot start (the partners file, the topic vocabulary or the database).
    """
    try:
        load_partners(config)
    except PartnersFileError as error:
        raise fail(str(error), 2) from None
    settings = Settings()
    options = options_or_fail(settings)
    target = resolve_or_fail(settings, 2)
    try:
        asyncio.run(_schedule(target.connect(settings), target.uri, config, options))
    finally:
        target.release()


async def _schedule(graph: Graph, uri: str, config: Path, options: IngestOptions) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await ensure_reachable(graph, uri)
        err.print(
            f"Pulling the sources of {config} as they fall due; Ctrl-C stops.", highlight=False
        )
        configure_logging()  # a long-running process: what each round did goes to its log
        await apply_migrations(graph)
        await run_schedule(graph, lambda: load_partners(config), stop, options=options)
    finally:
        await graph.close()


def options_or_fail(settings: Settings) -> IngestOptions:
    """Ingestion as configured; a topic vocabulary that cannot be read ends the command (2)."""
    try:
        return ingest_options(settings)
    except VocabularyError as error:
        raise fail(str(error), 2) from None
