"""API keys: how they look, how they are hashed, and ``convener keys create|list|revoke``.

A key is ``cvk_<id>_<secret>``: the id is public (it names the key in lists, logs and rate
limits), the secret is 256 random bits. The hub keeps only the SHA-256 of the whole key, so a
stolen database reveals no usable key; the key is shown once, when it is created.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from graph import access
from graph.database import Graph
from graph.migrate import apply_migrations
from graph.queries.access import partner_ids
from hub.config import Settings
from hub.local_database import resolve_database
from schema.viewer import Role

PREFIX = "cvk_"
KEY_PATTERN = re.compile(r"^cvk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
T = TypeVar("T")


def new_key() -> tuple[str, str]:
    """A fresh key and its id."""
    key_id = secrets.token_hex(6)
    return f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}", key_id


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id_of(key: str) -> str | None:
    """The id of something shaped like a key, else None."""
    match = KEY_PATTERN.match(key)
    return match[1] if match else None


def matches(key: str, stored_hash: str) -> bool:
    """Whether ``key`` hashes to ``stored_hash``, compared in constant time."""
    return hmac.compare_digest(key_hash(key), stored_hash)


async def create_key(
    graph: Graph, role: Role, partner: str | None, label: str | None
) -> tuple[str, access.ApiKey]:
    """Store a new key's hash; return the key (to show once) and its record."""
    if role == Role.ANONYMOUS:
        raise ValueError("anonymous callers need no key")
    if (role == Role.PARTNER_ADMIN) != (partner is not None):
        raise ValueError("give --partner for a partner admin key, and only for one")
    if partner is not None and partner not in await partner_ids(graph):
        raise ValueError(f"no partner {partner!r} is known to the hub (sync the partners file)")
    key, key_id = new_key()
    record = await access.create_api_key(
        graph, key_id=key_id, key_hash=key_hash(key), role=role.value, partner=partner, label=label
    )
    return key, record


# --- the CLI ------------------------------------------------------------------------------

keys_app = typer.Typer(
    help="API keys: create (shown once), list, revoke. The hub stores only their hashes.",
    no_args_is_help=True,
)
out = Console()
err = Console(stderr=True)


def _with_graph(work: Callable[[Graph], Awaitable[T]]) -> T:
    settings = Settings()
    target = resolve_database(settings)

    async def run() -> T:
        graph = target.connect(settings)
        try:
            await apply_migrations(graph)
            return await work(graph)
        finally:
            await graph.close()

    try:
        return asyncio.run(run())
    finally:
        target.release()


@keys_app.command("create")
def create(
    role: Annotated[Role, typer.Option(help="member, partner_admin or hub_admin.")],
    partner: Annotated[
        str | None, typer.Option(help="The partner a partner_admin key acts for (by id).")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Who or what the key is for.")] = None,
) -> None:
    """Create a key and print it once; keep it secret (the hub cannot show it again)."""
    try:
        key, record = _with_graph(lambda graph: create_key(graph, role, partner, label))
    except ValueError as error:
        err.print(f"[bold red]convener:[/] {error}", highlight=False)
        raise typer.Exit(code=2) from None
    err.print(
        f"Created key {record.id} ({record.role}"
        + (f" for {record.partner}" if record.partner else "")
        + "). It is shown once:",
        highlight=False,
    )
    print(key)


@keys_app.command("list")
def list_keys() -> None:
    """Every key: id, role, partner, label, when created and revoked (never the key)."""
    keys = _with_graph(access.api_keys)
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
    record = _with_graph(lambda graph: access.revoke_api_key(graph, wanted))
    if record is None:
        err.print(f"[bold red]convener:[/] no key {key_id!r}", highlight=False)
        raise typer.Exit(code=1)
    out.print(f"Revoked key {record.id} ({record.role}).", highlight=False)
