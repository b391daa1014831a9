"""Constraints and indexes, applied idempotently at start-up from ``graph/migrations/*.cypher``.

Each file is applied once, in name order, and recorded as a ``SchemaMigration`` node with its
checksum; statements use ``IF NOT EXISTS`` so a partly applied file can simply run again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import LiteralString, cast

from graph.database import Graph

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class MigrationError(RuntimeError):
    """A migration on disk disagrees with the one the database recorded."""


@dataclass(frozen=True)
class Migration:
    name: str
    checksum: str
    statements: tuple[str, ...]


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.cypher")):
        text = path.read_text()
        body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
        statements = tuple(s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip())
        checksum = hashlib.sha256(text.encode()).hexdigest()
        migrations.append(Migration(path.stem, checksum, statements))
    return migrations


async def applied_migrations(graph: Graph) -> dict[str, str]:
    """Names and checksums of the migrations the database has recorded."""
    records = await graph.read(
        "MATCH (m:SchemaMigration) RETURN m.name AS name, m.checksum AS checksum"
    )
    return {record["name"]: record["checksum"] for record in records}


async def pending_migrations(graph: Graph) -> list[Migration]:
    applied = await applied_migrations(graph)
    pending = []
    for migration in load_migrations():
        recorded = applied.get(migration.name)
        if recorded is None:
            pending.append(migration)
        elif recorded != migration.checksum:
            raise MigrationError(
                f"migration {migration.name} was changed after it was applied; add a new "
                "migration file instead of editing an applied one"
            )
    return pending


async def apply_migrations(graph: Graph) -> list[str]:
    """Apply what is pending and return the names applied (empty when up to date)."""
    applied = []
    for migration in await pending_migrations(graph):
        for statement in migration.statements:
            # Statements come from files in this repository, never from user input.
            await graph.write(cast(LiteralString, statement))
        await graph.write(
            "MERGE (m:SchemaMigration {name: $name}) "
            "SET m.checksum = $checksum, m.appliedAt = datetime()",
            {"name": migration.name, "checksum": migration.checksum},
        )
        applied.append(migration.name)
    return applied
