"""`convener keys create|list|revoke` in a real process against the session's Neo4j, and the
persisted-operation manifest kept in step with the operations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from graphql import build_client_schema, parse, validate

from graph.access import api_key
from graph.database import Graph
from graph.local_neo4j import LocalNeo4j
from hub.keys import key_hash, key_id_of
from hub.web.persisted import MANIFEST, PERSISTED_DIR, load_documents, manifest
from schema.api import schema
from tests.test_personal_data import build

CONVENER = Path(sys.executable).parent / "convener"


def convener(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONVENER), "keys", *args], env=env, capture_output=True, text=True, timeout=120
    )


async def test_keys_are_created_once_listed_without_secrets_and_revoked(
    neo4j_server: LocalNeo4j, graph: Graph, hub_env: dict[str, str]
) -> None:
    await build(graph)  # a region whose source belongs to partner "zv"
    env = {**hub_env, "CONVENER_NEO4J_URI": neo4j_server.uri, "COLUMNS": "200"}

    created = convener(env, "create", "--role", "partner_admin", "--partner", "zv", "--label", "QI")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    key_id = key_id_of(key)
    assert key_id is not None, created.stdout
    assert f"Created key {key_id} (partner_admin for zv). It is shown once:" in created.stderr
    stored = await api_key(graph, key_id)
    assert stored is not None and stored.hash == key_hash(key) and stored.partner == "zv"

    listed = convener(env, "list")
    assert listed.returncode == 0, listed.stderr
    assert key_id in listed.stdout and "partner_admin" in listed.stdout
    assert key not in listed.stdout and key.split("_")[-1] not in listed.stdout

    revoked = convener(env, "revoke", key_id)
    assert revoked.returncode == 0 and f"Revoked key {key_id}" in revoked.stdout
    stored = await api_key(graph, key_id)
    assert stored is not None and stored.revoked_at is not None

    unknown = convener(env, "revoke", "feedfacecafe")
    assert unknown.returncode == 1 and "no key 'feedfacecafe'" in unknown.stderr
    nowhere = convener(env, "create", "--role", "partner_admin", "--partner", "nowhere")
    assert nowhere.returncode == 2
    assert "no partner 'nowhere' is known to the hub" in nowhere.stderr


def test_keys_create_offers_only_the_roles_a_key_can_carry(hub_env: dict[str, str]) -> None:
    shown = convener({**hub_env, "COLUMNS": "80"}, "create", "--help")
    assert shown.returncode == 0, shown.stderr
    assert "<member|partner_admin|hub_admin>" in shown.stdout
    assert "anonymous" not in shown.stdout
    # Refused by the command line itself, before any database is looked for.
    refused = convener(hub_env, "create", "--role", "anonymous")
    assert refused.returncode == 2
    assert "'anonymous' is not one of 'member', 'partner_admin', 'hub_admin'" in refused.stderr


def test_the_manifest_lists_every_persisted_operation_with_its_hash() -> None:
    documents = load_documents()
    assert {"ConvenerRelated", "ConvenerWhoElse", "ExplorerSearch", "ExplorerReview"} <= set(
        documents
    )
    assert (PERSISTED_DIR / MANIFEST).read_text(encoding="utf-8") == manifest(documents), (
        "run `python -m hub.web.persisted` to rewrite schema/persisted/manifest.json"
    )


def test_every_persisted_operation_is_valid_against_the_schema() -> None:
    api = build_client_schema(schema.introspect())
    for document in load_documents().values():
        assert validate(api, parse(document.text)) == [], document.id
