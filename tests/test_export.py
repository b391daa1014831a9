"""The open-data export: CSV files and JSON-LD, by role, for the whole graph or a system; the CSV
loads back through the hub's own CSV connector, and the JSON-LD parses with rdflib.

The region is the one with a known history of tests/test_impact.py: Ann (listed, consented to
contact, mentors), Bob (not listed), Cat (not listed, of Beta, on Gamma's project); Alpha and
Beta in North Vale, Gamma in South Moor; P2 retired.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
from rdflib.namespace import RDF
from typer.testing import CliRunner

from connectors.partners import load_partners
from graph.database import Graph
from graph.local_neo4j import LocalNeo4j
from hub.config import Settings, ingest_options
from hub.export import FORMATS, write_csv_zip, write_jsonld
from hub.export.tables import ENTITIES, LINK_TABLES
from hub.keys import create_key
from hub.sync.run import run_sync
from hub.web.app import create_app
from schema.viewer import ANONYMOUS, Role, Viewer
from tests.test_impact import build

HUB_ADMIN = Viewer(Role.HUB_ADMIN, subject="test:admin")
MEMBER = Viewer(Role.MEMBER, subject="test:member")
SCHEMA = rdflib.Namespace("https://schema.org/")
PERSONAL = ("orcid", "offers", "bio", "kind", "email", "phone", "contact_consent")
# rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph inside.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")


@pytest.fixture
async def region(graph: Graph) -> Graph:
    await build(graph)
    return graph


async def csv_export(graph: Graph, viewer: Viewer, system: str | None = None) -> zipfile.ZipFile:
    out = io.BytesIO()
    await write_csv_zip(graph, out, viewer=viewer, system=system)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def by(rows: list[dict[str, str]], key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in rows}


async def test_one_file_per_entity_and_relationship_with_ids_columns_and_provenance(
    region: Graph,
) -> None:
    archive = await csv_export(region, HUB_ADMIN)
    expected = {t.file for t in ENTITIES.values()} | {t.file for t in LINK_TABLES.values()}
    assert set(archive.namelist()) == expected | {"datapackage.json", "partners.yaml"}

    projects = by(table(archive, "projects.csv"), "title")
    assert set(projects) == {
        "Falls huddles on the wards",
        "Sepsis screening in the emergency department",
        "Falls prevention at home",
    }, "P2 was retired: an export is of what the hub lists now"
    falls = projects["Falls huddles on the wards"]
    assert falls["id"] == "alpha:P1" and falls["status"] == "completed"
    assert (falls["start_date"], falls["end_date"]) == ("2025-01-05", "2025-02-10")
    assert falls["lead_organisation"] == "ods:ZA001"
    assert falls["partner_organisation_names"] == ":Beta Council"
    assert falls["topics"] == "Falls prevention"
    assert falls["sources"] == "alpha"
    assert falls["first_seen"] == "2025-01-15T09:30:00Z"
    assert falls["last_seen"] == "2025-04-10T09:30:00Z"

    organisations = by(table(archive, "organisations.csv"), "name")
    assert organisations["Alpha Trust"]["system"] == "north-vale"
    assert organisations["Gamma Care"]["sector"] == "voluntary"
    # Each relationship: the two ids that join the entity files, with its own provenance.
    leads = table(archive, "project_lead_organisations.csv")
    assert {"project_id": "alpha:P1", "organisation_id": "ods:ZA001"}.items() <= leads[0].items()
    assert leads[0]["sources"] == "alpha" and leads[0]["first_seen"]
    team = table(archive, "person_projects.csv")
    assert len(team) == 4  # Ann on P1 and P3, Bob on P1, Cat on P4
    ids = {row["id"] for row in table(archive, "people.csv")}
    assert {row["person_id"] for row in team} <= ids

    package = json.loads(archive.read("datapackage.json"))
    described = {
        r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]
    }
    for name in expected:
        header = archive.read(name).decode("utf-8").splitlines()[0].split(",")
        assert described[name] == header, name
    assert by(package["resources"], "path")["projects.csv"]["rows"] == 3


async def test_people_follow_the_callers_role_as_in_the_api(region: Graph) -> None:
    admin = by(table(await csv_export(region, HUB_ADMIN), "people.csv"), "name")
    assert set(admin) == {"Ann Ash", "Bob Birch", "Cat Cole"}
    ann, bob = admin["Ann Ash"], admin["Bob Birch"]
    assert ann["email"] == "ann.ash@alpha.example" and ann["contact_consent"] == "true"
    assert ann["orcid"] == "0000-0002-1825-0097" and ann["offers"] == "mentoring"
    assert bob["email"] == "" and bob["contact_consent"] == "false"  # he did not consent
    assert ann["kind"] == "lived_experience_partner"
    assert bob["kind"] == ""  # a kind he did not consent to showing is never kept

    member = table(await csv_export(region, MEMBER), "people.csv")
    assert member == list(admin.values())  # members see people as hub admins do

    archive = await csv_export(region, ANONYMOUS)
    people = table(archive, "people.csv")
    assert [p["name"] for p in people] == ["Ann Ash"]  # only who agreed to be listed
    assert all(people[0][field] == "" for field in PERSONAL)
    assert people[0]["interests"] == "Falls prevention"  # as anonymous API callers see it
    header = archive.read("people.csv").decode().splitlines()[0]
    assert header.split(",") == ENTITIES["person"].header, "the same columns for every role"
    everywhere = b"".join(archive.read(name) for name in archive.namelist())
    assert b"bob.birch" not in everywhere and b"Bob Birch" not in everywhere
    assert b"Cat Cole" not in everywhere
    assert {r["person_id"] for r in table(archive, "person_projects.csv")} == {people[0]["id"]}


async def test_a_systems_export_holds_its_part_and_what_that_refers_to(region: Graph) -> None:
    archive = await csv_export(region, HUB_ADMIN, system="north-vale")
    projects = {row["id"] for row in table(archive, "projects.csv")}
    assert projects == {"alpha:P1", "alpha:P3"}  # Gamma's P4 is in South Moor
    organisations = {row["name"] for row in table(archive, "organisations.csv")}
    assert organisations == {"Alpha Trust", "Beta Council", "Gamma Care"}  # Gamma partners P3
    people = {row["name"] for row in table(archive, "people.csv")}
    assert people == {"Ann Ash", "Bob Birch", "Cat Cole"}  # Cat works for Beta
    assert table(archive, "resources.csv") == []  # Gamma published them all
    # Every relationship row joins two exported entities.
    assert {row["project_id"] for row in table(archive, "person_projects.csv")} <= projects
    systems = {row["id"] for row in table(archive, "systems.csv")}
    assert systems == {"north-vale", "south-moor"}
    with pytest.raises(LookupError, match="No system has the id 'nowhere'"):
        await csv_export(region, HUB_ADMIN, system="nowhere")


def content(archive: zipfile.ZipFile) -> dict[str, Any]:
    """What an export says, without the ids and provenance a reload gives anew."""
    drop = {
        "id",
        "sources",
        "first_seen",
        "last_seen",
        "lead_organisation",
        "publisher",
        "partner_organisations",
        "organisation",
        "project",
    }

    def rows(name: str, key: str) -> dict[str, dict[str, str]]:
        return {r[key]: {k: v for k, v in r.items() if k not in drop} for r in table(archive, name)}

    organisations = rows("organisations.csv", "name")
    organisations.pop("Convener open data", None)  # the partner the files load back under
    return {
        "organisations": organisations,
        "people": rows("people.csv", "name"),
        "projects": rows("projects.csv", "title"),
        "resources": rows("resources.csv", "title"),
        "topics": rows("topics.csv", "id"),
    }


async def test_the_csv_files_load_back_through_the_csv_connector(
    region: Graph, tmp_path: Path
) -> None:
    before = await csv_export(region, HUB_ADMIN)
    before.extractall(tmp_path)
    await region.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")

    partners = load_partners(tmp_path / "partners.yaml")
    report = await run_sync(region, partners, options=ingest_options(Settings()))
    assert report.ok, [o.summary.errors for o in report.failed]
    assert all(o.summary.rejected == 0 for o in report.outcomes), report.outcomes

    after = await csv_export(region, HUB_ADMIN)
    assert content(after) == content(before)
    # Ids name their source anew (the export's), and keep the old id as the ref.
    assert {r["id"] for r in table(after, "projects.csv")} == {
        "open-data-projects:alpha:P1",
        "open-data-projects:alpha:P3",
        "open-data-projects:gamma:P4",
    }


async def test_an_anonymous_export_loads_back_with_its_people_listed(
    region: Graph, tmp_path: Path
) -> None:
    (await csv_export(region, ANONYMOUS)).extractall(tmp_path)
    await region.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    report = await run_sync(
        region, load_partners(tmp_path / "partners.yaml"), options=ingest_options(Settings())
    )
    assert report.ok
    people = table(await csv_export(region, ANONYMOUS), "people.csv")
    assert [p["name"] for p in people] == ["Ann Ash"]


async def jsonld(graph: Graph, viewer: Viewer, system: str | None = None) -> rdflib.Graph:
    out = io.StringIO()
    await write_jsonld(graph, out, viewer=viewer, system=system)
    return rdflib.Graph().parse(data=out.getvalue(), format="json-ld")


def of_type(rdf: rdflib.Graph, kind: str) -> set[Any]:
    return set(rdf.subjects(RDF.type, SCHEMA[kind]))


async def test_the_json_ld_parses_as_schema_org(region: Graph) -> None:
    rdf = await jsonld(region, HUB_ADMIN)
    assert len(of_type(rdf, "Project")) == 3
    assert len(of_type(rdf, "Person")) == 3
    assert len(of_type(rdf, "Organization")) == 5  # three organisations, two systems
    assert len(of_type(rdf, "Event")) == 2 and len(of_type(rdf, "Course")) == 1
    assert len(of_type(rdf, "DefinedTerm")) >= 3
    names = {str(o) for s in of_type(rdf, "Project") for o in rdf.objects(s, SCHEMA.name)}
    assert "Falls huddles on the wards" in names

    answer = rdf.query(
        """
        PREFIX schema: <https://schema.org/>
        SELECT ?project ?lead ?start WHERE {
          ?project a schema:Project ; schema:name "Falls huddles on the wards" ;
                   schema:parentOrganization ?org ; schema:startDate ?start .
          ?org a schema:Organization ; schema:name ?lead .
        }"""
    )
    [(_, lead, start)] = list(answer)
    assert str(lead) == "Alpha Trust" and start.toPython().isoformat() == "2025-01-05"
    event = next(iter(rdf.subjects(SCHEMA.name, rdflib.Literal("Falls learning event"))))
    attendance = rdf.value(event, rdflib.URIRef("urn:convener:term:attendance"))
    assert attendance.toPython() == 40
    # Every object a relationship names is itself described in the document.
    for predicate in (SCHEMA.worksFor, SCHEMA.memberOf, SCHEMA.about, SCHEMA.knowsAbout):
        for target in rdf.objects(None, predicate):
            assert (target, RDF.type, None) in rdf, (predicate, target)
    emails = {str(o) for o in rdf.objects(None, SCHEMA.email)}
    assert emails == {"ann.ash@alpha.example"}
    kinds = {str(o) for o in rdf.objects(None, rdflib.URIRef("urn:convener:term:kind"))}
    assert "lived_experience_partner" in kinds and "staff" not in kinds

    anonymous = await jsonld(region, ANONYMOUS)
    assert len(of_type(anonymous, "Person")) == 1
    assert list(anonymous.objects(None, SCHEMA.email)) == []
    assert list(anonymous.objects(None, SCHEMA.sameAs)) == []  # no ORCID either
    kinds = {str(o) for o in anonymous.objects(None, rdflib.URIRef("urn:convener:term:kind"))}
    assert "lived_experience_partner" not in kinds


def test_the_cli_writes_a_stable_file_name(
    neo4j_server: LocalNeo4j, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hub.cli.main import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONVENER_NEO4J_URI", neo4j_server.uri)
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--format", "jsonld", "--role", "anonymous"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "convener-export.jsonld").exists()
    result = runner.invoke(app, ["export", "--system", "nowhere"])
    assert result.exit_code == 1 and "No system has the id 'nowhere'" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["convener-export.jsonld"]


async def test_signed_in_callers_export_over_http(region: Graph) -> None:
    key, _ = await create_key(region, Role.MEMBER, None, "export test")
    app = create_app(region, close_graph=False, settings=Settings(_env_file=None))  # type: ignore[call-arg]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as hub:
        anonymous = await hub.get("/export/csv")
        assert (
            anonymous.status_code == 401 and "Sign in" in anonymous.json()["errors"][0]["message"]
        )
        wrong = await hub.get("/export/csv", headers={"authorization": "Bearer cvk_nope_nope"})
        assert wrong.status_code == 401

        signed = {"authorization": f"Bearer {key}"}
        answer = await hub.get("/export/csv", params={"system": "north-vale"}, headers=signed)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/zip"
        assert 'filename="convener-export-north-vale.zip"' in answer.headers["content-disposition"]
        assert answer.headers["cache-control"] == "private, no-store"
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        member = by(table(archive, "people.csv"), "name")
        assert member["Ann Ash"]["email"] == "ann.ash@alpha.example"  # a member's view

        linked = await hub.get("/export/jsonld", headers=signed)
        assert linked.status_code == 200
        assert linked.headers["content-type"].startswith(FORMATS["jsonld"].media_type)
        assert len(rdflib.Graph().parse(data=linked.text, format="json-ld")) > 100

        missing = await hub.get("/export/csv", params={"system": "nowhere"}, headers=signed)
        assert missing.status_code == 404
        assert "No system has the id 'nowhere'" in missing.json()["errors"][0]["message"]
