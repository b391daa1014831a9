"""API keys: how they look, how they are hashed, and how a new one is stored.

A key is ``cvk_<id>_<secret>``: the id is public (it names the key in lists, logs and rate
limits), the secret is 256 random bits. The hub keeps only the SHA-256 of the whole key, so a
stolen database reveals no usable key; the key is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from graph import access
from graph.database import Graph
from graph.queries.access import partner_ids
from schema.viewer import Role

PREFIX = "cvk_"
KEY_PATTERN = re.compile(r"^cvk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


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
