"""The CSV export: a zip of one file per entity and per relationship, with a Frictionless
``datapackage.json`` describing every column and a ``partners.yaml`` that loads the files back
into a hub through the CSV connector (``convener sync --config partners.yaml`` where they were
unzipped).

Rows are read and written a page at a time, so the export's memory does not grow with the
graph; only the ids exported are held.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import IO, Any

import yaml

from graph.database import Graph
from graph.export import KINDS, LINKS, ExportScope, entity_rows, export_scope, link_rows
from hub.export.tables import ENTITIES, LINK_TABLES, LIST_SEPARATOR, Row, Table
from schema.viewer import Viewer

PARTNER = "open-data"
"""The partner the files load back under, in the ``partners.yaml`` beside them."""


async def write_csv_zip(
    graph: Graph, out: IO[bytes], *, viewer: Viewer, system: str | None = None
) -> dict[str, int]:
    """Write the zip to ``out``; return how many rows each file has."""
    scope = await export_scope(graph, system=system, public_only=viewer.public_only)
    counts: dict[str, int] = {}
    systems: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            table = ENTITIES[kind]
            with _csv_file(archive, table) as write:
                async for page in entity_rows(graph, kind, scope, profile=viewer.may_see_profile()):
                    counts[table.file] = counts.get(table.file, 0) + len(page)
                    write(page)
                    if kind == "system":
                        systems += page
        for link in LINKS:
            table = LINK_TABLES[link.name]
            with _csv_file(archive, table) as write:
                async for page in link_rows(graph, link, scope):
                    counts[table.file] = counts.get(table.file, 0) + len(page)
                    write(page)
        archive.writestr("datapackage.json", _datapackage(viewer, system, counts))
        archive.writestr("partners.yaml", _partners_file(viewer, systems, scope))
    return counts


@contextmanager
def _csv_file(archive: zipfile.ZipFile, table: Table) -> Iterator[Callable[[list[Row]], None]]:
    """One file of the zip, its header written; the function it gives adds rows."""
    with (
        archive.open(table.file, "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
    ):
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(table.header)
        yield lambda rows: writer.writerows(table.cells(row) for row in rows)


_TYPES = {"datetime": "datetime", "date": "date", "integer": "integer", "boolean": "boolean"}


def _datapackage(viewer: Viewer, system: str | None, counts: dict[str, int]) -> str:
    """The Frictionless Data Package that names and types every file and column."""
    tables = [*ENTITIES.values(), *LINK_TABLES.values()]
    resources = []
    for table in tables:
        schema: dict[str, Any] = {
            "fields": [
                {"name": c.name, "type": _TYPES.get(c.type, "string"), "description": c.description}
                for c in table.columns
            ]
        }
        if table.header[0] == "id":
            schema["primaryKey"] = "id"
        resources.append(
            {
                "name": table.file.removesuffix(".csv"),
                "path": table.file,
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "description": table.description,
                "rows": counts.get(table.file, 0),
                "schema": schema,
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "convener-export" + (f"-{system}" if system else ""),
        "title": "Convener: projects, organisations, people and resources"
        + (f" of {system}" if system else ""),
        "created": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "description": "Lists are one cell, items separated by '|'. People's personal fields "
        f"are as the API shows them to a caller of role {viewer.role.value}.",
        "resources": resources,
    }
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def _partners_file(viewer: Viewer, systems: list[dict[str, Any]], scope: ExportScope) -> str:
    """A partners file that reads these CSV files back as sources of one partner."""
    split = {"split": LIST_SEPARATOR}
    # Only kinds their people consented to showing are exported at all.
    people_defaults = {"kind_consent": True, **({"public": True} if viewer.public_only else {})}
    streams: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
        "organisation": (
            "organisations.csv",
            {
                "ref": "id",
                "name": "name",
                "ods_code": "ods_code",
                "sector": "sector",
                "org_type": "org_type",
                "website": "website",
                "aliases": {"path": "aliases", **split},
                "system": "system",
            },
            {},
        ),
        "person": (
            "people.csv",
            {
                "ref": "id",
                "name": "name",
                "role": "role",
                "organisation.name": "organisation_name",
                "organisation.ods_code": "organisation_ods_code",
                "interests": {"path": "interests", **split},
                "orcid": "orcid",
                "offers": {"path": "offers", **split},
                "bio": "bio",
                "person_kind": "kind",
                "email": "email",
                "phone": "phone",
                "contact_consent": "contact_consent",
            },
            people_defaults,
        ),
        "project": (
            "projects.csv",
            {
                "ref": "id",
                "title": "title",
                "summary": "summary",
                "aim": "aim",
                "status": "status",
                "start_date": "start_date",
                "end_date": "end_date",
                "methods": {"path": "methods", **split},
                "mode": "mode",
                "url": "url",
                "updated_at": "updated_at",
                "lead_organisation.name": "lead_organisation_name",
                "lead_organisation.ods_code": "lead_organisation_ods_code",
                "partner_organisations": {
                    "path": "partner_organisation_names",
                    **split,
                    "parts": ["ods_code", "name"],
                },
                "topics": {"path": "topics", **split},
            },
            {},
        ),
        "resource": (
            "resources.csv",
            {
                "ref": "id",
                "title": "title",
                "resource_type": "resource_type",
                "summary": "summary",
                "url": "url",
                "published": "published",
                "attendance": "attendance",
                "organisation.name": "publisher_name",
                "organisation.ods_code": "publisher_ods_code",
                "topics": {"path": "topics", **split},
            },
            {},
        ),
    }
    sources = [
        {
            "id": f"{PARTNER}-{path.removesuffix('.csv')}",
            "name": f"{path} of a Convener export",
            "kind": "tabular",
            "path": path,
            "entities": [kind],
            "mapping": {kind: {"fields": fields, **({"defaults": defaults} if defaults else {})}},
        }
        for kind, (path, fields, defaults) in streams.items()
    ]
    document = {
        "systems": [
            {
                "id": s["id"],
                "name": s["name"] or s["id"],
                "kind": s["kind"] or "ics",
                "neighbours": [n for n in s["neighbours"] if scope.has("system", n)],
            }
            for s in systems
        ],
        "partners": [
            {
                "id": PARTNER,
                "name": "Convener open data",
                "sector": "other",
                "sources": sources,
            }
        ],
    }
    header = (
        "# Loads this export back into a Convener hub: `convener sync --config partners.yaml`\n"
        "# in the folder the zip was unpacked to. Project teams (person_projects.csv) and\n"
        "# resources' projects (resource_projects.csv) join two files, which a CSV source\n"
        "# cannot: they are in the relationship files only.\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
