"""The `convener` command: its commands and groups, each defined in a module of its own."""

from __future__ import annotations

import typer

from hub.cli import demo, duplicates, export, keys, local_neo4j, organisations, serve, sync

app = typer.Typer(
    help="Convener: a knowledge hub for health-and-care improvement.",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)
app.command()(serve.serve)
app.add_typer(local_neo4j.neo4j_app, name="neo4j")
app.add_typer(keys.keys_app, name="keys")
app.add_typer(organisations.organisations_app, name="organisations")
app.command()(sync.sync)
app.command()(sync.schedule)
app.command()(demo.demo)
app.command()(duplicates.duplicates)
app.command()(export.export)


if __name__ == "__main__":
    app()
