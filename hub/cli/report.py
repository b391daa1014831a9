"""A sync's report for people (a table on stdout) and for scripts (JSON)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.table import Table

from hub.cli.console import out
from hub.sync.run import SourceOutcome, SyncReport

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
    """The report as plain data: per source its summary and how the pull went."""
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
