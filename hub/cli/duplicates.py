"""`convener duplicates`: similar projects across organisations, as CSV or JSON on stdout."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from graph.database import Graph
from graph.similarity.reviews import ReviewStatus
from hub import duplicates as duplicate_report
from hub.cli.database import with_graph

DuplicatesFormat = StrEnum("DuplicatesFormat", {"CSV": "csv", "JSON": "json"})


def duplicates(
    system: Annotated[
        str | None, typer.Option(help="Only pairs with a project in this system.")
    ] = None,
    output: Annotated[
        DuplicatesFormat, typer.Option("--format", help="csv (for spreadsheets) or json.")
    ] = DuplicatesFormat.CSV,  # type: ignore[attr-defined]
    min_score: Annotated[
        float | None, typer.Option(help="Lowest score shown (default 0.7).")
    ] = None,
    status: Annotated[
        list[ReviewStatus] | None,
        typer.Option(
            metavar=f"<{'|'.join(ReviewStatus)}>",
            help="Only pairs reviewed so; repeat for several (default: not dismissed).",
        ),
    ] = None,
    collaborations: Annotated[
        bool,
        typer.Option(
            "--collaborations", help="Also list collaborations (shared people or partners)."
        ),
    ] = False,
    rescore: Annotated[
        bool, typer.Option("--rescore", help="Re-score every project first.")
    ] = False,
) -> None:
    """Similar projects across organisations, as CSV or JSON.

    One row per pair, strongest clusters first, for people who use Excel.
    """

    async def rows(graph: Graph) -> list[dict[str, Any]]:
        return await duplicate_report.duplicate_rows(
            graph,
            system=system,
            min_score=min_score,
            statuses=status or None,
            kinds=["duplicate", "same_project", "collaboration"] if collaborations else None,
            rescore=rescore,
        )

    found = with_graph(rows)
    text = duplicate_report.as_csv(found) if output == "csv" else duplicate_report.as_json(found)
    print(text, end="")
