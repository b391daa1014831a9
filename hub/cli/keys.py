"""`convener keys create|list|revoke`: API keys, shown once, stored only as hashes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from graph import access
from hub.cli.console import err, fail, out
from hub.cli.database import with_graph
from hub.keys import create_key, key_id_of
from schema.viewer import Role

keys_app = typer.Typer(
    help="API keys: create (shown once), list, revoke.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

KeyRole = StrEnum("KeyRole", {role.name: role.value for role in Role if role != Role.ANONYMOUS})
"""The roles a key can carry: every role but anonymous, which needs no key."""


@keys_app.command("create")
def create(
    role: Annotated[KeyRole, typer.Option(help="What the key may do.")],
    partner: Annotated[
        str | None, typer.Option(help="The partner a partner_admin key acts for (by id).")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Who or what the key is for.")] = None,
) -> None:
    """Create a key and print it, once.

    Keep it secret: the hub stores only its hash and cannot show it again.
    """
    try:
        key, record = with_graph(lambda graph: create_key(graph, Role(role), partner, label))
    except ValueError as error:
        raise fail(str(error), 2) from None
    err.print(
        f"Created key {record.id} ({record.role}"
        + (f" for {record.partner}" if record.partner else "")
        + "). It is shown once:",
        highlight=False,
    )
    print(key)


@keys_app.command("list")
def list_keys() -> None:
    """List every key, never the key itself.

    Its id, role, partner, label, and when it was created and revoked.
    """
    keys = with_graph(access.api_keys)
    table = Table("id", "role", "partner", "label", "created", "revoked")
    for key in keys:
        table.add_row(
            key.id,
            key.role,
            key.partner or "",
            key.label or "",
            f"{key.created_at:%Y-%m-%d %H:%M}",
            f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")]) -> None:
    """Revoke a key: requests with it are refused from now on."""
    wanted = key_id_of(key_id) or key_id  # the whole key works too
    record = with_graph(lambda graph: access.revoke_api_key(graph, wanted))
    if record is None:
        raise fail(f"no key {key_id!r}")
    out.print(f"Revoked key {record.id} ({record.role}).", highlight=False)
