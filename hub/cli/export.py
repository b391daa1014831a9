"""`convener export`: the graph, or one system's part of it, as open data for BI tools."""

from __future__ import annotations

import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from graph.database import Graph
from graph.export import UnknownSystem
from hub.cli.console import err, fail
from hub.cli.database import with_graph
from hub.export import FORMATS
from schema.viewer import Role, Viewer

ExportFormat = StrEnum("ExportFormat", {name.upper(): name for name in FORMATS})
ExportRole = StrEnum(
    "ExportRole", {role.name: role.value for role in Role if role != Role.PARTNER_ADMIN}
)
"""Whose view of people to export: a partner admin sees people as a member does."""


def export(
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", help="csv (a zip of CSV files) or jsonld (schema.org)."),
    ] = ExportFormat.CSV,  # type: ignore[attr-defined]
    system: Annotated[
        str | None, typer.Option(help="Only this system's part of the graph (by id).")
    ] = None,
    role: Annotated[
        ExportRole,
        typer.Option(help="Export people as this role sees them; anonymous for open data."),
    ] = ExportRole.HUB_ADMIN,  # type: ignore[attr-defined]
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Where to write (default: a stable name here); '-' is stdout."
        ),
    ] = None,
) -> None:
    """Export the graph as open data: CSV files or JSON-LD.

    Projects, organisations, people, resources and topics, with their links and provenance.
    The file names stay the same from one export to the next, so a BI tool can be pointed
    at them and refreshed on a schedule.
    """
    chosen = FORMATS[output_format.value]
    viewer = Viewer(Role(role.value), subject="cli:export")
    target = output or Path(chosen.file_name(system))

    async def write(graph: Graph) -> dict[str, int]:
        if str(target) == "-":
            return await chosen.write(graph, sys.stdout.buffer, viewer, system)
        # Written beside the target and moved into place whole: a BI tool refreshing from
        # the file never reads half an export.
        folder = target.resolve().parent
        handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                counts = await chosen.write(graph, out, viewer, system)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return counts

    try:
        counts = with_graph(write)
    except UnknownSystem as error:
        raise fail(f"{error} See `systems` in the API for the ids.") from None
    if str(target) != "-":
        shown = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
        err.print(f"Wrote {target} ({shown or 'nothing to export'}).", highlight=False)
