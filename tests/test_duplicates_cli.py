"""`convener duplicates`: the rows an ICS lead opens in Excel, from a real graph."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from eval import planted
from graph.database import Graph
from hub import duplicates
from hub.cli.main import app


async def test_rows_as_csv_and_json(graph: Graph) -> None:
    await planted.load_region(graph)
    rows = await duplicates.duplicate_rows(
        graph, system="sys-nv", min_score=None, statuses=None, kinds=None, rescore=True
    )
    pairs = {(row["project_a"], row["project_b"]) for row in rows}
    assert pairs == planted.PLANTED

    table = list(csv.DictReader(io.StringIO(duplicates.as_csv(rows))))
    assert list(table[0]) == duplicates.COLUMNS
    falls = next(r for r in table if r["project_a"] == "nv-community:falls-night")
    assert falls["organisations_b"] == "North Vale Hospitals NHS Foundation Trust"
    assert falls["systems_a"] == "North Vale ICS"
    assert "same topic: falls prevention" in falls["explanation"]
    assert json.loads(duplicates.as_json(rows)) == rows

    with_collaborations = await duplicates.duplicate_rows(
        graph,
        system="sys-nv",
        min_score=None,
        statuses=None,
        kinds=["duplicate", "collaboration"],
        rescore=False,
    )
    kinds = {row["kind"] for row in with_collaborations}
    assert kinds == {"duplicate", "collaboration"}


def test_an_unknown_format_is_refused_before_anything_runs() -> None:
    result = CliRunner().invoke(app, ["duplicates", "--format", "xml"], env={"COLUMNS": "200"})
    assert result.exit_code == 2  # a usage error, from the parser
    assert "'xml' is not one of 'csv', 'json'" in result.output
