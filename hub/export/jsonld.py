"""The JSON-LD export: the graph as schema.org, one document, written as it is read.

Projects are ``schema:Project``, organisations and systems ``schema:Organization``, people
``schema:Person``, topics ``schema:DefinedTerm`` (with ``skos:broader``), and resources a
``schema:CreativeWork`` of the closest kind (``Article`` for case studies, ``Report``,
``VideoObject``, ``Course`` for training) or a ``schema:Event``. What schema.org has no term
for (a project's status, mode, partners; provenance) is in the ``convener:`` namespace. The
context is inline, so no parser fetches anything to read the file.

Entities are written first, each with its own properties; then every relationship as a small
node object naming its subject by ``@id``, which JSON-LD merges into the same resource.
"""

from __future__ import annotations

import json
from typing import IO, Any
from urllib.parse import quote

from graph.database import Graph
from graph.export import KINDS, LINKS, entity_rows, export_scope, link_rows
from schema.viewer import Viewer

TERMS = "urn:convener:term:"
_ID = {"@type": "@id"}
_DATE = {"@type": "xsd:date"}
_INSTANT = {"@type": "xsd:dateTime"}

CONTEXT: dict[str, Any] = {
    "@vocab": "https://schema.org/",
    "schema": "https://schema.org/",
    "convener": TERMS,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "startDate": _DATE,
    "endDate": _DATE,
    "datePublished": _DATE,
    "dateModified": _INSTANT,
    "url": _ID,
    "sameAs": _ID,
    "memberOf": _ID,
    "worksFor": _ID,
    "knowsAbout": _ID,
    "about": _ID,
    "publisher": _ID,
    "organizer": _ID,
    "parentOrganization": _ID,
    "inDefinedTermSet": _ID,
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "neighbour": {"@id": "convener:neighbour", "@type": "@id"},
    "inPartnershipWith": {"@id": "convener:inPartnershipWith", "@type": "@id"},
    "fromProject": {"@id": "convener:fromProject", "@type": "@id"},
    "firstSeen": {"@id": "convener:firstSeen", "@type": "xsd:dateTime"},
    "lastSeen": {"@id": "convener:lastSeen", "@type": "xsd:dateTime"},
    "source": {"@id": "convener:source"},
    "sector": {"@id": "convener:sector"},
    "status": {"@id": "convener:status"},
    "mode": {"@id": "convener:mode"},
    "aim": {"@id": "convener:aim"},
    "method": {"@id": "convener:method"},
    "offers": {"@id": "convener:offers"},
    "attendance": {"@id": "convener:attendance", "@type": "xsd:integer"},
    "resourceType": {"@id": "convener:resourceType"},
    "candidate": {"@id": "convener:candidate", "@type": "xsd:boolean"},
    "kind": {"@id": "convener:kind"},
}

RESOURCE_TYPES = {
    "case_study": "Article",
    "report": "Report",
    "video": "VideoObject",
    "training": "Course",
    "event": "Event",
    "blog_post": "BlogPosting",
    "slideset": "PresentationDigitalDocument",
}
"""schema.org types for resource types; the others are plain ``CreativeWork``."""

# How each relationship file's rows read as properties of their start.
LINK_PROPERTIES = {
    "organisation_systems": "memberOf",
    "system_neighbours": "neighbour",
    "person_organisations": "worksFor",
    "person_projects": "memberOf",
    "person_topics": "knowsAbout",
    "project_lead_organisations": "parentOrganization",
    "project_partner_organisations": "inPartnershipWith",
    "project_topics": "knowsAbout",
    "resource_publishers": "publisher",
    "resource_projects": "fromProject",
    "resource_topics": "about",
    "topic_broader": "broader",
}
VOCABULARY = "urn:convener:vocabulary"


def node_id(kind: str, entity_id: str) -> str:
    """A stable IRI for an entity: its kind and the hub's own id."""
    return f"urn:convener:{kind}:{quote(entity_id, safe='')}"


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if v is not None and v != [] and v != ""}


def _provenance(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": row.get("sources"),
        "firstSeen": _instant(row.get("firstSeen")),
        "lastSeen": _instant(row.get("lastSeen")),
    }


def _instant(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _system(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": row["name"],
        "kind": row["kind"],
        "identifier": row["id"],
    }


def _organisation(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": row["name"],
        "identifier": row["odsCode"] or row["id"],
        "alternateName": row["aliases"],
        "url": row["website"],
        "sector": row["sector"],
        "additionalType": row["orgType"],
        **_provenance(row),
    }


def _person(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Person",
        "name": row["name"],
        "jobTitle": row["role"],
        "sameAs": f"https://orcid.org/{row['orcid']}" if row.get("orcid") else None,
        "description": row.get("bio"),
        "offers": row.get("offers"),
        "kind": row.get("personKind"),
        "email": row.get("email"),
        "telephone": row.get("phone"),
        **_provenance(row),
    }


def _project(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Project",
        "name": row["title"],
        "description": row["summary"],
        "aim": row["aim"],
        "status": row["status"],
        "startDate": _day(row["startDate"]),
        "endDate": _day(row["endDate"]),
        "method": row["methods"],
        "mode": row["mode"],
        "url": row["url"],
        "dateModified": _instant(row["updatedAt"]),
        **_provenance(row),
    }


def _resource(row: dict[str, Any]) -> dict[str, Any]:
    kind = RESOURCE_TYPES.get(row["resourceType"], "CreativeWork")
    day = _day(row["published"])
    return {
        "@type": kind,
        "name": row["title"],
        "description": row["summary"],
        "url": row["url"],
        "resourceType": row["resourceType"],
        "startDate" if kind == "Event" else "datePublished": day,
        "attendance": row["attendance"],
        **_provenance(row),
    }


def _topic(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "DefinedTerm",
        "name": row["label"],
        "alternateName": row["synonyms"],
        "termCode": row["id"],
        "candidate": row["candidate"],
        "inDefinedTermSet": VOCABULARY,
    }


NODES = {
    "system": _system,
    "organisation": _organisation,
    "person": _person,
    "project": _project,
    "resource": _resource,
    "topic": _topic,
}


async def write_jsonld(
    graph: Graph, out: IO[str], *, viewer: Viewer, system: str | None = None
) -> dict[str, int]:
    """Write the document to ``out``; return how many nodes of each kind it has."""
    scope = await export_scope(graph, system=system, public_only=viewer.public_only)
    counts: dict[str, int] = {}
    events: set[str] = set()
    out.write('{\n"@context": ' + json.dumps(CONTEXT) + ',\n"@graph": [\n')
    first = True

    def put(node: dict[str, Any]) -> None:
        nonlocal first
        out.write(("" if first else ",\n") + json.dumps(_clean(node), ensure_ascii=False))
        first = False

    for kind in KINDS:
        async for page in entity_rows(graph, kind, scope, profile=viewer.may_see_profile()):
            counts[kind] = counts.get(kind, 0) + len(page)
            for row in page:
                if kind == "resource" and row["resourceType"] == "event":
                    events.add(row["id"])
                put({"@id": node_id(kind, row["id"]), **NODES[kind](row)})
    for link in LINKS:
        prop = LINK_PROPERTIES[link.name]
        async for page in link_rows(graph, link, scope):
            for row in page:
                said = prop
                if prop == "publisher" and row["start"] in events:
                    said = "organizer"  # an event is organised, not published
                put({"@id": node_id(link.start, row["start"]), said: node_id(link.end, row["end"])})
    out.write("\n]\n}\n")
    return counts
