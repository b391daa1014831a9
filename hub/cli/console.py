"""Where the command line writes: results on stdout, everything for people on stderr."""

from __future__ import annotations

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Say what went wrong on stderr, in one line; the caller raises the exit returned.

    Never wrapped by us (``soft_wrap``): a terminal wraps it, and a log keeps it one line.
    """
    err.print(f"[bold red]convener:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=code)
