"""Migrations apply once, and applying them again changes nothing."""

from __future__ import annotations

import pytest

from graph import migrate
from graph.database import Graph


async def schema_snapshot(graph: Graph) -> tuple[list[dict], list[dict], list[dict]]:
    constraints = await graph.read(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "RETURN name, type, labelsOrTypes, properties ORDER BY name"
    )
    indexes = await graph.read(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties "
        "RETURN name, type, labelsOrTypes, properties ORDER BY name"
    )
    recorded = await graph.read(
        "MATCH (m:SchemaMigration) RETURN m.name AS name, m.checksum AS checksum, "
        "toString(m.appliedAt) AS appliedAt ORDER BY name"
    )
    return constraints, indexes, recorded


async def test_applying_twice_changes_nothing(graph: Graph) -> None:
    await graph.write("MATCH (m:SchemaMigration) DELETE m")
    first = await migrate.apply_migrations(graph)
    assert first == [m.name for m in migrate.load_migrations()]
    before = await schema_snapshot(graph)

    assert await migrate.apply_migrations(graph) == []
    assert await schema_snapshot(graph) == before

    names = {row["name"] for row in before[0]}
    assert {"project_id", "person_id", "organisation_id", "topic_id"} <= names


async def test_statements_are_idempotent_even_when_rerun(graph: Graph) -> None:
    """A partly applied migration can run again: every statement is IF NOT EXISTS."""
    before = await schema_snapshot(graph)
    for migration in migrate.load_migrations():
        for statement in migration.statements:
            await graph.write(statement)  # type: ignore[arg-type]
    assert await schema_snapshot(graph) == before


async def test_an_edited_applied_migration_is_refused(graph: Graph) -> None:
    await migrate.apply_migrations(graph)
    first = migrate.load_migrations()[0]
    await graph.write(
        "MATCH (m:SchemaMigration {name: $name}) SET m.checksum = 'edited'", {"name": first.name}
    )
    try:
        with pytest.raises(migrate.MigrationError, match=f"{first.name} was changed"):
            await migrate.apply_migrations(graph)
    finally:
        await graph.write(
            "MATCH (m:SchemaMigration {name: $name}) SET m.checksum = $checksum",
            {"name": first.name, "checksum": first.checksum},
        )
