"""`convener organisations`: why records are one organisation, names left apart, and splits.

    convener organisations explain ods:QSL
    convener organisations review
    convener organisations split ods:QSL --source nv-projects --name "NHS Somerset CCG"

A split is kept for every later sync of the source; the source's records that use the name are
resolved again at once, with this hub's ingest options (identity salt and vocabulary).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table

from graph.organisations.review import (
    SplitError,
    explain_organisation,
    names_for_review,
    split_name,
)
from hub.cli.console import fail, out
from hub.cli.database import with_graph
from hub.config import Settings, ingest_options

organisations_app = typer.Typer(
    help="Explain, review and split merges of organisations.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]


@organisations_app.command()
def explain(
    organisation: Annotated[str, typer.Argument(help="The organisation's id, e.g. ods:QSL.")],
    as_json: AsJson = False,
) -> None:
    """Why records are this organisation.

    Each record and each spelling that resolved to it, with the rule and score.
    """
    found = with_graph(lambda graph: explain_organisation(graph, organisation))
    if found is None:
        raise fail(f"no organisation {organisation!r}")
    if as_json:
        print(json.dumps(asdict(found), default=str, indent=2))
        return
    o = found.organisation
    out.print(f"[bold]{o['name']}[/] ({o['id']}, {o.get('orgType') or 'kind not known'})")
    if o.get("formerNames"):
        out.print(f"former names: {'; '.join(o['formerNames'])}")
    table = Table("source", "record or name", "rule", "score", "other candidates")
    for record in found.records:
        table.add_row(record["source"], f"record {record['ref']}", record["rule"] or "new", "", "")
    for name in found.names:
        others = [c for c in name.get("candidates") or [] if c != o["id"]]
        table.add_row(
            name["source"], name["name"], name["rule"], f"{name['score']:.2f}", ", ".join(others)
        )
    out.print(table)
    for split in found.splits:
        out.print(f"split: {split['source']}'s {split['name']!r} is not this organisation")


@organisations_app.command()
def review(
    first: Annotated[
        int, typer.Option(min=1, max=200, metavar="<int>", help="How many names.")
    ] = 50,
    as_json: AsJson = False,
) -> None:
    """Names left apart for review.

    Several organisations fitted each of them; the candidates are listed.
    """
    rows: list[dict[str, Any]] = with_graph(lambda graph: names_for_review(graph, first))
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("source", "name", "kept as", "candidates")
    for row in rows:
        table.add_row(row["source"], row["name"], row["organisation"], ", ".join(row["candidates"]))
    out.print(table)


@organisations_app.command()
def split(
    organisation: Annotated[str, typer.Argument(help="The organisation the name went to.")],
    source: Annotated[str, typer.Option(help="The source (id) whose name it is.")],
    name: Annotated[str, typer.Option(help="The name as the source writes it.")],
    as_json: AsJson = False,
) -> None:
    """Undo a merge of a source's name.

    SOURCE's NAME is not ORGANISATION, now and at every later sync.
    """
    settings = Settings()
    try:
        result = with_graph(
            lambda graph: split_name(
                graph, organisation, source, name, options=ingest_options(settings)
            ),
            settings,
        )
    except SplitError as error:
        raise fail(str(error)) from None
    if as_json:
        print(json.dumps(asdict(result), indent=2))
        return
    out.print(
        f"{source}'s {name!r} is kept apart from {organisation}; {result.records} record(s) "
        f"resolved again, the name now resolves to {result.new_organisation}.",
        highlight=False,
    )
