"""`convener sync` with registers in the partners file, then `convener organisations`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from graph.database import Graph
from graph.local_neo4j import LocalNeo4j

CONVENER = Path(sys.executable).parent / "convener"
DATA = Path(__file__).parent.parent / "eval" / "data"
PARTNERS = """
partners:
  - id: vale-hub
    name: Vale Improvement Hub
    sector: improvement_body
    sources:
      - id: nhs-trusts
        kind: register
        holds: trust
        path: registers/etr.csv
        successors: registers/succ.csv
      - id: icbs
        kind: register
        holds: icb
        path: registers/icb.csv
      - id: councils
        kind: register
        format: csv
        path: registers/councils.csv
  - id: vale-carers
    name: Vale Carers Network
    sector: voluntary
    sources:
      - id: carers-projects
        kind: tabular
        path: projects.csv
        entities: [project]
        mapping:
          project:
            fields: {ref: Ref, title: Title, lead_organisation.name: Lead}
"""
PROJECTS = (
    "Ref,Title,Lead\n"
    "C1,Carers' breaks,NHS Somerset CCG\n"
    "C2,Young carers,Mendip DC\n"
    "C3,Hospital discharge,Taunton and Somerset NHS FT\n"
    "C4,Warm homes,Somerset\n"
)


def convener(tmp_path: Path, server: LocalNeo4j, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "CONVENER_NEO4J_URI": server.uri, "COLUMNS": "200"}
    return subprocess.run(
        [str(CONVENER), *args], env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path
    )


def setup(tmp_path: Path) -> None:
    (tmp_path / "registers").mkdir()
    for name in ("ods/etr.csv", "ods/succ.csv", "ods/icb.csv", "councils.csv"):
        shutil.copy(DATA / name, tmp_path / "registers" / Path(name).name)
    (tmp_path / "projects.csv").write_text(PROJECTS)
    (tmp_path / "partners.yaml").write_text(PARTNERS)


async def leads(graph: Graph) -> dict[str, str]:
    rows = await graph.read(
        "MATCH (p:Project)-[r:RUN_BY]->(o:Organisation) WHERE r.retiredAt IS NULL "
        "RETURN p.id AS project, o.id AS organisation"
    )
    return {row["project"].split(":")[1]: row["organisation"] for row in rows}


async def test_registers_sync_and_merges_are_explained_and_split(
    graph: Graph, neo4j_server: LocalNeo4j, tmp_path: Path
) -> None:
    setup(tmp_path)
    done = convener(tmp_path, neo4j_server, "sync", "--config", "partners.yaml", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = {s["source"]: s for s in json.loads(done.stdout)["sources"]}
    assert report["councils"]["created"] > 350 and report["councils"]["rejected"] == 0
    assert await leads(graph) == {
        "C1": "ods:QSL",
        "C2": "ods:E06000066",
        "C3": "ods:RH5",
        "C4": "org:somerset",
    }

    explained = convener(tmp_path, neo4j_server, "organisations", "explain", "ods:QSL", "--json")
    assert explained.returncode == 0, explained.stderr
    names = json.loads(explained.stdout)["names"]
    assert [(n["source"], n["name"], n["rule"]) for n in names] == [
        ("carers-projects", "NHS Somerset CCG", "ccg_to_icb")
    ]
    table = convener(tmp_path, neo4j_server, "organisations", "explain", "ods:RH5")
    assert "Taunton and Somerset NHS FT" in table.stdout and "former_name" in table.stdout
    review = convener(tmp_path, neo4j_server, "organisations", "review", "--json")
    assert json.loads(review.stdout) == [
        {
            "source": "carers-projects",
            "name": "Somerset",
            "organisation": "org:somerset",
            "candidates": ["ods:E06000066", "ods:QSL", "ods:RH5"],
        }
    ]

    split = convener(
        tmp_path,
        neo4j_server,
        *("organisations", "split", "ods:QSL", "--source", "carers-projects"),
        *("--name", "NHS Somerset CCG"),
    )
    assert split.returncode == 0, split.stderr
    assert "now resolves to org:nhs-somerset-ccg" in split.stdout
    again = convener(tmp_path, neo4j_server, "sync", "--config", "partners.yaml", "--full")
    assert again.returncode == 0, again.stdout + again.stderr
    assert (await leads(graph))["C1"] == "org:nhs-somerset-ccg"

    refused = convener(
        tmp_path,
        neo4j_server,
        *("organisations", "split", "ods:QSL", "--source", "carers-projects"),
        *("--name", "Mendip DC"),
    )
    assert refused.returncode == 1
    assert "does not call organisation 'ods:QSL' 'Mendip DC'" in refused.stderr
    missing = convener(tmp_path, neo4j_server, "organisations", "explain", "ods:NOPE")
    assert missing.returncode == 1 and "no organisation 'ods:NOPE'" in missing.stderr
