"""Every Cypher statement ingestion runs.

Values are always parameters. Labels and relationship types come from the fixed tables below,
never from input: statements that differ only by those are built from one table each, once,
at import (tests/test_ingest_statements.py lists what they build); the others are written out.

Batch statements start with ``CYPHER replan=skip``: each keeps the plan it got the first time.
Without it, a first load (each batch grows the counts the planner reads) re-plans every
statement every few seconds, and that planning, with the JIT compiling the planner, took much
of Neo4j's CPU. They seek by unique keys whatever the counts are; tests/test_ingest_plans.py
checks their plans on an empty graph, where a frozen plan is made.
"""

from __future__ import annotations

from typing import LiteralString

LABELS: dict[str, LiteralString] = {
    "organisation": "Organisation",
    "person": "Person",
    "project": "Project",
    "resource": "Resource",
}

LINK_TYPES: list[tuple[LiteralString, LiteralString, LiteralString]] = [
    ("PART_OF", "Organisation", "System"),
    ("WORKS_FOR", "Person", "Organisation"),
    ("INTERESTED_IN", "Person", "Topic"),
    ("RUN_BY", "Project", "Organisation"),
    ("IN_PARTNERSHIP_WITH", "Project", "Organisation"),
    ("ABOUT", "Project", "Topic"),
    ("WORKS_ON", "Person", "Project"),
    ("PUBLISHED_BY", "Resource", "Organisation"),
    ("ABOUT", "Resource", "Topic"),
    ("FROM", "Resource", "Project"),
]
"""(type, start label, end label) of every link a record implies."""

IMPLIED_LINKS: dict[str, LiteralString] = {
    "organisation": "PART_OF",
    "person": "WORKS_FOR|INTERESTED_IN",
    "project": "RUN_BY|IN_PARTNERSHIP_WITH|ABOUT|WORKS_ON",
    "resource": "PUBLISHED_BY|ABOUT|FROM",
}
"""The link types a record of each kind implies, so the ones a changed record may drop."""

END_LABELS: tuple[LiteralString, ...] = ("Organisation", "Topic", "Person", "Project")
"""The lists of end nodes (``$ends``) that ``CREATE_ENTITIES`` find their links' nodes in."""


# --- systems and sources ---------------------------------------------------------------------

# Each returns how many systems or links it changed, so the graph's version moves only then.
STORE_SYSTEMS: LiteralString = """
UNWIND $rows AS row
MERGE (s:System {id: row.id})
WITH s, row, NOT coalesce(s.name = row.name AND s.kind = row.kind, false) AS changed
SET s.name = row.name, s.kind = row.kind
RETURN count(CASE WHEN changed THEN 1 END) AS changed
"""

LINK_NEIGHBOURS: LiteralString = """
UNWIND $rows AS row
UNWIND row.neighbours AS other
MATCH (a:System {id: row.id}), (b:System {id: other})
WHERE a <> b AND NOT EXISTS { (a)-[:NEIGHBOUR_OF]-(b) }
MERGE (a)-[:NEIGHBOUR_OF]-(b)
RETURN count(*) AS changed
"""

SOURCE_STATE: LiteralString = """
MATCH (s:Source {id: $id})
RETURN s.bookmark AS bookmark, s.etag AS etag
"""

# One row of small lists, not a row each: for an unchanged re-load, decoding tens of thousands
# of Bolt records was most of the Python time.
SOURCE_ASSERTIONS: LiteralString = """
MATCH (:Source {id: $source})-[a:ASSERTS]->(e)
RETURN collect([a.key, a.hash, a.retiredAt, e.id]) AS assertions
"""


# --- runs ------------------------------------------------------------------------------------

BEGIN_RUN: LiteralString = """
MERGE (s:Source {id: $source.id})
SET s.partner = $source.partner, s.name = $source.name, s.kind = $source.kind
CREATE (r:SyncRun {id: $run, source: $source.id, startedAt: $started,
                   status: 'running', dryRun: false, host: $host, pid: $pid})
CREATE (r)-[:OF]->(s)
"""

FINISH_RUN: LiteralString = """
MATCH (r:SyncRun {id: $run})-[:OF]->(s:Source)
SET r.status = $status, r.endedAt = datetime(), r.created = $created,
    r.updated = $updated, r.unchanged = $unchanged, r.retired = $retired,
    r.rejected = $rejected, r.kept = $kept, r.errors = $errors, r.notes = $notes,
    r.durationMs = $durationMs,
    r.flagReason = $flagReason, r.complete = $complete
SET s.lastRun = $run,
    s.bookmark = CASE WHEN $keepState AND $bookmark IS NOT NULL
                      THEN $bookmark ELSE s.bookmark END,
    s.etag = CASE WHEN $keepState AND $etag IS NOT NULL THEN $etag ELSE s.etag END
"""

# Runs still marked running, of one source or of all (through the index on status).
RUNNING_RUNS: LiteralString = """
MATCH (r:SyncRun {status: 'running'})
WHERE $source IS NULL OR r.source = $source
RETURN r.id AS id, r.startedAt AS startedAt, r.host AS host, r.pid AS pid
"""

# Only a run still running is closed: one that finished meanwhile keeps what it said.
ABANDON_RUNS: LiteralString = """
UNWIND $runs AS run
MATCH (r:SyncRun {id: run.id})
WHERE r.status = 'running'
SET r.status = 'abandoned', r.endedAt = datetime(), r.notes = coalesce(r.notes, []) + run.note
RETURN r.id AS id
"""


# --- batches: touches and retirements --------------------------------------------------------

TOUCH: LiteralString = """CYPHER replan=skip
UNWIND $keys AS key
MATCH ()-[a:ASSERTS {key: key}]->()
SET a.lastSeen = $now, a.lastRun = $run
"""

RETIRE: LiteralString = """CYPHER replan=skip
UNWIND $keys AS key
MATCH ()-[a:ASSERTS {key: key}]->(e)
SET a.retiredAt = $now
WITH DISTINCT e
CALL {
  WITH e
  MATCH (e)-[r]-()
  WHERE r.source = $source AND r.retiredAt IS NULL
  SET r.retiredAt = $now
}
WITH e
WHERE NOT EXISTS {
  MATCH (:Source)-[other:ASSERTS]->(e) WHERE other.retiredAt IS NULL
}
SET e.retiredAt = $now
"""


# --- batches: the nodes links point at -------------------------------------------------------

MERGE_ORGANISATIONS: LiteralString = """CYPHER replan=skip
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
ON CREATE SET o.name = row.name, o.odsCode = row.odsCode, o.nameKeys = row.nameKeys,
              o.firstSeen = $now, o.changedAt = $now
"""

MERGE_TOPICS: LiteralString = """CYPHER replan=skip
UNWIND $rows AS row
MERGE (t:Topic {id: row.id})
ON CREATE SET t.label = row.label, t.candidate = row.candidate, t.keys = row.keys,
              t.synonyms = row.synonyms
"""

MERGE_PERSON_KEYS: LiteralString = """CYPHER replan=skip
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
MERGE (k:PersonKey {key: row.key})
MERGE (k)-[:IDENTIFIES]->(p)
"""


# --- batches: entities and their assertions --------------------------------------------------

# Lists are kept as a union: what an earlier pull or another source added stays.
UPSERT_ENTITIES: dict[str, LiteralString] = {
    "organisation": """CYPHER replan=skip
UNWIND $rows AS row
MERGE (e:Organisation {id: row.id})
ON CREATE SET e.firstSeen = $now
SET e += row.props, e.odsCode = coalesce(row.odsCode, e.odsCode), e.retiredAt = null,
    e.changedAt = $now,
    e.sameAs = reduce(xs = coalesce(e.sameAs, []), x IN coalesce(row.sameAs, []) |
                      CASE WHEN x IN xs THEN xs ELSE xs + x END),
    e.aliases = reduce(xs = coalesce(e.aliases, []), x IN row.aliases |
                       CASE WHEN x IN xs THEN xs ELSE xs + x END),
    e.nameKeys = reduce(xs = coalesce(e.nameKeys, []), x IN row.nameKeys |
                        CASE WHEN x IN xs THEN xs ELSE xs + x END)
""",
    # A person may be described by several sources: fill gaps, never blank what another gave.
    "person": """CYPHER replan=skip
UNWIND $rows AS row
MERGE (e:Person {id: row.id})
ON CREATE SET e.firstSeen = $now
WITH e, row, NOT coalesce(e.public, false) AND row.public AS listed
// What anonymous callers see of a person changed (``publicChangedAt``), or only the rest.
SET e.publicChangedAt = CASE
      WHEN e.publicChangedAt IS NULL OR e.name <> row.props.name
        OR (row.props.role IS NOT NULL AND (e.role IS NULL OR e.role <> row.props.role))
        OR listed
      THEN $now ELSE e.publicChangedAt END,
    e.changedAt = $now,
    e.sameAs = reduce(xs = coalesce(e.sameAs, []), x IN coalesce(row.sameAs, []) |
                      CASE WHEN x IN xs THEN xs ELSE xs + x END),
    e.name = row.props.name,
    e.role = coalesce(row.props.role, e.role),
    e.orcid = coalesce(row.props.orcid, e.orcid),
    e.bio = coalesce(row.props.bio, e.bio),
    e.email = coalesce(row.props.email, e.email),
    e.phone = coalesce(row.props.phone, e.phone),
    e.contactConsent = coalesce(e.contactConsent, false) OR row.contactConsent,
    e.personKind = coalesce(row.props.personKind, e.personKind),
    e.kindConsent = coalesce(e.kindConsent, false) OR row.kindConsent,
    e.public = coalesce(e.public, false) OR row.public,
    e.offers = reduce(xs = coalesce(e.offers, []), x IN row.offers |
                      CASE WHEN x IN xs THEN xs ELSE xs + x END),
    e.retiredAt = null
// Projects list only the people who agreed to be listed to anonymous callers: one who now
// agrees changes each of their projects for them (and for a peer hub pulling what changed),
// though the records of those projects did not change.
WITH e, listed WHERE listed
MATCH (e)-[member:WORKS_ON]->(project:Project)
WHERE member.retiredAt IS NULL
SET project.changedAt = $now
""",
    "project": """CYPHER replan=skip
UNWIND $rows AS row
MERGE (e:Project {id: row.id})
ON CREATE SET e.firstSeen = $now
SET e += row.props, e.retiredAt = null, e.changedAt = $now,
    e.titleKey = toLower(row.props.title)
""",
    "resource": """CYPHER replan=skip
UNWIND $rows AS row
MERGE (e:Resource {id: row.id})
ON CREATE SET e.firstSeen = $now
SET e += row.props, e.retiredAt = null, e.changedAt = $now,
    e.titleKey = toLower(row.props.title)
""",
}

# A new project, resource or person (one who matched nobody) is created with its assertion and
# its links by one statement, each end node found once per batch rather than once per link.
# ``$ends`` lists the end nodes' ids by label; a row names each link's end by its position
# there (and a WORKS_ON as [position, role]). Positions, not a map: a node not found stays a
# null at its place and its links are skipped.
CREATE_ENTITIES: dict[str, LiteralString] = {
    "project": """CYPHER replan=skip
MATCH (s:Source {id: $source})
CALL { UNWIND range(0, size($ends.Organisation) - 1) AS i
       OPTIONAL MATCH (n:Organisation {id: $ends.Organisation[i]})
       WITH i, n ORDER BY i RETURN collect([n]) AS endsOrganisation }
CALL { UNWIND range(0, size($ends.Topic) - 1) AS i
       OPTIONAL MATCH (n:Topic {id: $ends.Topic[i]})
       WITH i, n ORDER BY i RETURN collect([n]) AS endsTopic }
CALL { UNWIND range(0, size($ends.Person) - 1) AS i
       OPTIONAL MATCH (n:Person {id: $ends.Person[i]})
       WITH i, n ORDER BY i RETURN collect([n]) AS endsPerson }
UNWIND $rows AS row
CREATE (e:Project {id: row.id})
SET e += row.props, e.firstSeen = $now, e.changedAt = $now,
    e.titleKey = toLower(row.props.title)
CREATE (s)-[a:ASSERTS]->(e)
SET a = row.assertion, a.firstSeen = $now, a.lastSeen = $now, a.lastRun = $run
FOREACH (b IN [i IN coalesce(row.RUN_BY, []) WHERE endsOrganisation[i][0] IS NOT NULL
               | endsOrganisation[i][0]] |
  CREATE (e)-[:RUN_BY {source: $source, firstSeen: $now, lastSeen: $now, lastRun: $run}]->(b))
FOREACH (b IN [i IN coalesce(row.IN_PARTNERSHIP_WITH, []) WHERE endsOrganisation[i][0] IS NOT NULL
               | endsOrganisation[i][0]] |
  CREATE (e)-[:IN_PARTNERSHIP_WITH {source: $source, firstSeen: $now, lastSeen: $now,
                                    lastRun: $run}]->(b))
FOREACH (b IN [i IN coalesce(row.ABOUT, []) WHERE endsTopic[i][0] IS NOT NULL | endsTopic[i][0]] |
  CREATE (e)-[:ABOUT {source: $source, firstSeen: $now, lastSeen: $now, lastRun: $run}]->(b))
FOREACH (m IN [m IN coalesce(row.WORKS_ON, []) WHERE endsPerson[m[0]][0] IS NOT NULL
               | [endsPerson[m[0]][0], m[1]]] |
  FOREACH (p IN [m[0]] |
    CREATE (p)-[:WORKS_ON {source: $source, firstSeen: $now, lastSeen: $now, lastRun: $run,
                           role: m[1]}]->(e)))
""",
    "resource": """CYPHER replan=skip
MATCH (s:Source {id: $source})
CALL { UNWIND range(0, size($ends.Organisation) - 1) AS i
       OPTIONAL MATCH (n:Organisation {id: $ends.Organisation[i]})
       WITH i, n ORDER BY i RETURN collect([n]) AS endsOrganisation }
CALL { UNWIND range(0, size($ends.Topic) - 1) AS i
       OPTIONAL MATCH (n:Topic {id: $ends.Topic[i]})
       WITH i, n ORDER BY i RETURN collect([n]) AS endsTopic }
CALL { UNWIND range(0, size($ends.Project) - 1) AS i
       OPTIONAL MATCH (n:Project {id: $ends.Project[i]})
       WITH i, n ORDER BY i RETURN collect([n]) AS endsProject }
UNWIND $rows AS row
CREATE (e:Resource {id: row.id})
SET e += row.props, e.firstSeen = $now, e.changedAt = $now,
    e.titleKey = toLower(row.props.title)
CREATE (s)-[a:ASSERTS]->(e)
SET a = row.assertion, a.firstSeen = $now, a.lastSeen = $now, a.lastRun = $run
FOREACH (b IN [i IN coalesce(row.PUBLISHED_BY, []) WHERE endsOrganisation[i][0] IS NOT NULL
               | endsOrganisation[i][0]] |
  CREATE (e)-[:PUBLISHED_BY {source: $source, firstSeen: $now, lastSeen: $now,
                             lastRun: $run}]->(b))
FOREACH (b IN [i IN coalesce(row.ABOUT, []) WHERE endsTopic[i][0] IS NOT NULL | endsTopic[i][0]] |
  CREATE (e)-[:ABOUT {source: $source, firstSeen: $now, lastSeen: $now, lastRun: $run}]->(b))
FOREACH (b IN [i IN coalesce(row.FROM, []) WHERE endsProject[i][0] IS NOT NULL
               | endsProject[i][0]] |
  CREATE (e)-[:FROM {source: $source, firstSeen: $now, lastSeen: $now, lastRun: $run}]->(b))
""",
    # A new person's identity keys: a key may already identify someone else (kept apart as
    # ambiguous), so it is merged; the new person's link to it cannot exist yet.
    "person": """CYPHER replan=skip
MATCH (s:Source {id: $source})
CALL { UNWIND range(0, size($ends.Organisation) - 1) AS i
       OPTIONAL MATCH (n:Organisation {id: $ends.Organisation[i]})
       WITH i, n ORDER BY i RETURN collect([n]) AS endsOrganisation }
CALL { UNWIND range(0, size($ends.Topic) - 1) AS i
       OPTIONAL MATCH (n:Topic {id: $ends.Topic[i]})
       WITH i, n ORDER BY i RETURN collect([n]) AS endsTopic }
UNWIND $rows AS row
CREATE (e:Person {id: row.id})
SET e += row.props, e.firstSeen = $now, e.changedAt = $now, e.publicChangedAt = $now
CREATE (s)-[a:ASSERTS]->(e)
SET a = row.assertion, a.firstSeen = $now, a.lastSeen = $now, a.lastRun = $run
FOREACH (b IN [i IN coalesce(row.WORKS_FOR, []) WHERE endsOrganisation[i][0] IS NOT NULL
               | endsOrganisation[i][0]] |
  CREATE (e)-[:WORKS_FOR {source: $source, firstSeen: $now, lastSeen: $now, lastRun: $run}]->(b))
FOREACH (b IN [i IN coalesce(row.INTERESTED_IN, []) WHERE endsTopic[i][0] IS NOT NULL
               | endsTopic[i][0]] |
  CREATE (e)-[:INTERESTED_IN {source: $source, firstSeen: $now, lastSeen: $now,
                              lastRun: $run}]->(b))
FOREACH (key IN coalesce(row.keys, []) |
  MERGE (k:PersonKey {key: key}) CREATE (k)-[:IDENTIFIES]->(e))
""",
}

CREATE_ASSERTIONS: dict[str, LiteralString] = {
    kind: f"""CYPHER replan=skip
MATCH (s:Source {{id: $source}})
UNWIND $rows AS row
MATCH (e:{label} {{id: row.id}})
CREATE (s)-[a:ASSERTS]->(e)
SET a = row.props, a.firstSeen = $now, a.lastSeen = $now, a.lastRun = $run
"""
    for kind, label in LABELS.items()
}

UPDATE_ASSERTIONS: dict[str, LiteralString] = {
    kind: f"""CYPHER replan=skip
UNWIND $rows AS row
MATCH ()-[a:ASSERTS {{key: row.props.key}}]->(:{label})
SET a += row.props, a.lastSeen = $now, a.lastRun = $run, a.retiredAt = null
"""
    for kind, label in LABELS.items()
}


# --- batches: links --------------------------------------------------------------------------

LINKS: dict[tuple[str, str, str], LiteralString] = {
    (rel, start, end): f"""CYPHER replan=skip
UNWIND $rows AS row
MATCH (a:{start} {{id: row.from}})
MATCH (b:{end} {{id: row.to}})
MERGE (a)-[r:{rel} {{source: $source}}]->(b)
ON CREATE SET r.firstSeen = $now
SET r += row.props, r.lastSeen = $now, r.lastRun = $run, r.retiredAt = null
"""
    for rel, start, end in LINK_TYPES
}

# After a changed record is written, the links of its source that it no longer implies go.
PRUNE: dict[str, LiteralString] = {
    kind: f"""CYPHER replan=skip
UNWIND $ids AS id
MATCH (e:{LABELS[kind]} {{id: id}})-[r:{types}]-()
WHERE r.source = $source AND r.lastRun <> $run
DELETE r
"""
    for kind, types in IMPLIED_LINKS.items()
}


def batch_statements() -> list[LiteralString]:
    """Every statement a batch, touch or retirement runs."""
    return [
        TOUCH,
        RETIRE,
        MERGE_ORGANISATIONS,
        MERGE_TOPICS,
        MERGE_PERSON_KEYS,
        *UPSERT_ENTITIES.values(),
        *CREATE_ENTITIES.values(),
        *CREATE_ASSERTIONS.values(),
        *UPDATE_ASSERTIONS.values(),
        *LINKS.values(),
        *PRUNE.values(),
    ]
