"""A sync's report for people (a table on stdout) and for scripts (JSON)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from hub.cli.console import out
from hub.sync.run import SourceOutcome, SyncReport

STATUS_STYLE = {"succeeded": "green", "failed": "bold red", "flagged": "yellow"}
COUNTS = ("new", "changed", "same", "retired", "rejected")


SHOWN = 3
"""Notes, and errors, listed per source under the table unless every one is asked for: a
source retried on every page or rejecting a hundred rows would bury the rest."""


def show_report(
    report: SyncReport, dry_run: bool, console: Console = out, *, every_note: bool = False
) -> None:
    """A table of counts that fits an 80-column terminal, then what takes words, a line each:
    every source's note, its first notes and errors (all with ``every_note``; otherwise how
    many more there are), and what the run as a whole means."""
    table = Table(
        title="Sync (dry run: nothing written)" if dry_run else "Sync",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("source", overflow="fold")  # the one column that gives way
    table.add_column("status", no_wrap=True)
    for column in COUNTS:
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    rows = [("partners", report.registry, None)]
    rows += [(o.source, o.summary, o) for o in report.outcomes]
    lines: list[str] = []
    for name, summary, outcome in rows:
        style = STATUS_STYLE.get(summary.status)
        counts = (summary.created, summary.updated, summary.unchanged, summary.retired)
        table.add_row(
            name,
            f"[{style}]{summary.status}[/]" if style else summary.status,
            *(str(n) for n in (*counts, summary.rejected)),
        )
        if note := _note(summary.flag_reason, outcome):
            lines.append(f"{name}: {note}")
        notes, errors = summary.notes, summary.errors  # each error names its source already
        if not every_note:
            notes, errors = notes[:SHOWN], errors[:SHOWN]
        lines += [f"{name}: {note}" for note in notes]
        lines += errors
        if more := _more(len(summary.notes) - len(notes), len(summary.errors) - len(errors)):
            lines.append(f"{name}: {more} (--notes lists every one)")
    console.print(table)
    # A terminal gets them wrapped at word boundaries; a log keeps each whole on one line.
    one_line = not console.is_terminal
    for line in lines:
        if one_line:
            console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        else:
            console.print(Padding(Text(line), (0, 0, 0, 2)))
    if report.similarity is not None:
        scored = report.similarity
        console.print(
            f"Similar projects re-scored ({scored.mode}, {scored.projects} projects): "
            f"{scored.duplicates} possible duplicates, {scored.collaborations} collaborations.",
            highlight=False,
            soft_wrap=one_line,
        )
    for problem in (report.similarity_error, report.links_error):
        if problem is not None:
            console.print(f"[yellow]{problem}[/]", highlight=False, soft_wrap=one_line)
    for line in _verdict(report, dry_run):
        console.print(line, highlight=False, soft_wrap=one_line)


def _verdict(report: SyncReport, dry_run: bool) -> list[str]:
    """What the run means, when it is not simply that every source was synced."""
    total, failed, flagged = len(report.outcomes), len(report.failed), len(report.flagged)
    lines = []
    if failed and dry_run:
        lines.append(f"[bold red]{failed} of {_sources(total)} failed.[/]")
    elif failed == total > 0:
        lines.append(f"[bold red]{'The source' if total == 1 else 'Every source'} failed.[/]")
    elif failed:
        lines.append(f"[bold red]{failed} of {_sources(total)} failed[/]; the others were synced.")
    if flagged and dry_run:
        lines.append(
            f"[yellow]{_sources(flagged)} flagged[/]: a sync would retire nothing of theirs; "
            "see the note and check the source."
        )
    elif flagged:
        lines.append(
            f"[yellow]{_sources(flagged)} flagged[/]: nothing of theirs was retired; "
            "see the note, check the source, then sync again."
        )
    if dry_run:
        lines.append("Dry run: nothing was written.")
    return lines


def _more(notes: int, errors: int) -> str:
    """``and 3 more notes and 5 more errors``, for what was left out ('' for nothing)."""
    said = [
        f"{count} more {word}{'' if count == 1 else 's'}"
        for count, word in ((notes, "note"), (errors, "error"))
        if count > 0
    ]
    return f"and {' and '.join(said)}" if said else ""


def _sources(count: int) -> str:
    return f"{count} source" if count == 1 else f"{count} sources"


def _note(flag_reason: str | None, outcome: SourceOutcome | None) -> str:
    """Why a row looks as it does, when it is not plain: a flag, unchanged, a partial list
    (what the pull noted, such as retries, is listed under the table with the run's notes)."""
    if flag_reason:
        return flag_reason
    pull = outcome.pull if outcome else None
    if pull is None:
        return ""
    if pull.not_modified:
        return "not modified"
    parts = []
    if not pull.complete and pull.failure is None:
        parts.append("partial: none retired")
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
        "links_error": report.links_error,
    }
