"""`convener demo` as a person runs it: the whole demo region, synced over real HTTP, served."""

from __future__ import annotations

import json
import shlex
import shutil
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from examples.demo_submissions import DUPLICATE_OF, PENDING
from graph import local_neo4j
from graph.database import Graph
from tests.ingest_helpers import count
from tests.test_cli import wait_ready

CONVENER = Path(sys.executable).parent / "convener"
ROOT = Path(__file__).resolve().parent.parent
PLANTED = json.loads((ROOT / "examples" / "planted.json").read_text())
LIVE = "WHERE n.retiredAt IS NULL RETURN count(n) AS n"


async def test_demo_brings_up_the_hub_with_the_whole_region_loaded(
    hub_env: dict[str, str],
) -> None:
    port = local_neo4j.free_port()
    hub = subprocess.Popen(
        [str(CONVENER), "demo", "--port", str(port)],
        env={**hub_env, "COLUMNS": "160"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,  # as `make demo` runs it
    )
    try:
        url = f"http://127.0.0.1:{port}"
        printed = read_until_the_sync_command(hub)
        wait_ready(url, hub, timeout=240)
        about = httpx.post(f"{url}/graphql", json={"query": "{ about { name } }"}).json()
        assert about["data"]["about"]["name"] == "Convener"
        whats_on_is_in_the_demo(url)

        server = local_neo4j.find_running(Path(hub_env["CONVENER_DATA_DIR"]) / "neo4j")
        assert server is not None
        graph = Graph.connect(server.uri)
        try:
            assert await count(graph, f"MATCH (n:Project) {LIVE}") >= 150
            assert await count(graph, f"MATCH (n:Person) {LIVE}") >= 120
            assert await count(graph, f"MATCH (n:Resource) {LIVE}") >= 100
            assert await count(graph, f"MATCH (n:Organisation) {LIVE}") >= 12
            assert await count(graph, "MATCH (n:System) RETURN count(n) AS n") == 2
            # every source synced, and only the planted bad records were rejected
            runs = await graph.read(
                "MATCH (r:SyncRun) RETURN r.source AS source, r.status AS status, "
                "r.rejected AS rejected"
            )
            assert len(runs) == 18 and {r["status"] for r in runs} == {"succeeded"}
            assert sum(r["rejected"] for r in runs) == len(PLANTED["rejects"])
            for pair in PLANTED["duplicates"]:
                ids = [f"{side['source']}:{side['ref']}" for side in pair]
                found = "MATCH (n:Project) WHERE n.id IN $ids RETURN count(n) AS n"
                assert await count(graph, found, ids=ids) == 2, ids
            for shared in PLANTED["shared_people"]:  # one person, on projects of both sources
                projects = await graph.read(
                    "MATCH (p:Person {name: $name})-[:WORKS_ON]->(project:Project) "
                    "RETURN count(DISTINCT p) AS people, collect(project.id) AS projects",
                    {"name": shared["name"]},
                )
                assert projects[0]["people"] == 1, shared["name"]
                expected = {f"{s['source']}:{s['project']}" for s in shared["listed_by"]}
                assert expected <= set(projects[0]["projects"]), shared["name"]
            await contributions_and_kinds_are_in_the_demo(url, graph)
        finally:
            await graph.close()

        # The sync command it prints runs as printed, from the same shell and directory: not
        # a `convener` that the PATH does not find.
        command = printed[-1].strip()
        program = next(word for word in shlex.split(command) if "=" not in word)
        assert program != "convener" or shutil.which("convener", path=hub_env["PATH"]), command
        again = subprocess.run(
            ["bash", "-c", command], env=hub_env, cwd=ROOT, capture_output=True, text=True
        )
        assert again.returncode == 0, command + again.stdout + again.stderr
        assert "not modified" in again.stdout  # from the demo's partner web, still serving

        hub.send_signal(signal.SIGTERM)
        hub.wait(timeout=90)
        output = "".join(printed) + (hub.stdout.read() if hub.stdout else "")
        assert "Demo partner web" in output and "Traceback" not in output
        assert f"Sent {len(PENDING)} members' submissions for moderation" in output
        assert "em-hospitals-qi, project page 1, item 6 (ref 'EWH0006'), field 'title'" in output
        assert f"The explorer:  {url}/\n" in output
        assert f"GraphiQL:      {url}/graphql" in output
    finally:
        if hub.poll() is None:
            hub.kill()
            hub.wait()


SIMILAR = """query ($draft: DraftProjectInput!) {
  similarTo(draft: $draft, first: 3) { project { id } } }"""


async def contributions_and_kinds_are_in_the_demo(url: str, graph: Graph) -> None:
    """Submissions wait for moderation, one plainly a duplicate of a planted project; demo
    people declare kinds, kept only where they consented."""
    statuses = await graph.read(
        "MATCH (s:Submission) RETURN s.status AS status, count(*) AS n ORDER BY status"
    )
    assert statuses == [{"status": "pending", "n": len(PENDING)}]
    duplicate = PENDING[0]
    draft = {key: duplicate[key] for key in ("title", "summary", "aim", "topics", "methods")}
    answer = httpx.post(f"{url}/graphql", json={"query": SIMILAR, "variables": {"draft": draft}})
    found = [hit["project"]["id"] for hit in answer.json()["data"]["similarTo"]]
    assert found[:1] == [":".join(DUPLICATE_OF)], found
    kinds = await graph.read(
        "MATCH (p:Person) WHERE p.personKind IS NOT NULL "
        "RETURN p.personKind AS kind, p.kindConsent AS consent, count(*) AS n"
    )
    assert {row["consent"] for row in kinds} == {True}  # no kind kept without consent
    assert {"lived_experience_partner", "patient_or_carer", "volunteer", "student"} <= {
        row["kind"] for row in kinds
    }


def read_until_the_sync_command(hub: subprocess.Popen[str]) -> list[str]:
    """The demo's output up to the sync command it suggests (its last line)."""
    assert hub.stdout is not None
    printed: list[str] = []
    for line in iter(hub.stdout.readline, ""):
        printed.append(line)
        if printed[-2:-1] and printed[-2].startswith("Sync the demo again"):
            return printed
    raise AssertionError("the demo ended without suggesting a sync command:\n" + "".join(printed))


WHATS_ON = """
{
  events(first: 100) { totalCount nodes { id online startsAt allDay } }
  online: events(filter: {online: true}) { totalCount }
  resourceFacets(filter: {programme: "vale-and-moor-improvement-leaders-programme"}) {
    programmes { programme { name } modules { module { name } count } }
  }
  visits { nodes { id visits { onRequest dates { startsAt } } } }
}
"""


def whats_on_is_in_the_demo(url: str) -> None:
    """Events to come (computed from today, so never stale), online and not, recurring ones
    from the Academy's calendar, a programme of four modules, and two projects' visits."""
    data = httpx.post(f"{url}/graphql", json={"query": WHATS_ON}).json()["data"]
    events = data["events"]["nodes"]
    assert data["events"]["totalCount"] >= 24, data["events"]["totalCount"]
    now = datetime.now(UTC)
    assert all(datetime.fromisoformat(e["startsAt"]) > now - timedelta(days=1) for e in events)
    assert 0 < data["online"]["totalCount"] < data["events"]["totalCount"]
    recurring = [e["id"] for e in events if e["id"].startswith("skills-academy-calendar:qi-")]
    assert len(recurring) >= 10 and all("#" in ref for ref in recurring)
    assert any(e["allDay"] for e in events)
    (programme,) = data["resourceFacets"]["programmes"]
    assert [m["module"]["name"] for m in programme["modules"]] == [
        "Module 1: Systems thinking",
        "Module 2: Convening and building relationships",
        "Module 3: Leadership",
        "Module 4: QI and human factors tools",
    ]
    offers = {p["id"]: p["visits"] for p in data["visits"]["nodes"]}
    assert set(offers) == {"nv-hospitals-api:NVH-QI-0001", "nv-community-api:nvc-0003"}
    assert len(offers["nv-hospitals-api:NVH-QI-0001"]["dates"]) == 2
    assert offers["nv-community-api:nvc-0003"]["onRequest"] is True
    feed = httpx.get(f"{url}/calendar.ics", params={"topic": "falls"})
    assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.content
