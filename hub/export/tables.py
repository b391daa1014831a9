"""The CSV files of the open-data export: one per entity and one per relationship, each column
declared once with what it holds.

File and column names are stable: a BI tool pointed at them keeps working from one refresh to
the next. Ids are the hub's own (``ods:RXX``, ``<source>:<ref>``, ``person:<hash>``) and join
the files. Lists are one cell, items separated by ``|``. Columns a caller may not read (people's
personal fields) stay in every export and are empty for them, so the shape never depends on
who asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graph.export import LINKS, Link

LIST_SEPARATOR = "|"
Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    read: Callable[[Row], Any]
    type: str = "string"
    """The Frictionless Data type: string, integer, boolean, date, datetime."""


def cell(value: Any) -> str:
    """A value as one CSV cell: lists joined, dates in ISO 8601, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(cell(item) for item in value if item is not None)
    return str(value)


def _key(key: str) -> Callable[[Row], Any]:
    return lambda row: row.get(key)


def _of(key: str, part: str) -> Callable[[Row], Any]:
    return lambda row: (row.get(key) or {}).get(part)


def _refs(key: str) -> Callable[[Row], Any]:
    """Organisations as ``<ODS code>:<name>`` (the code may be empty), as the loader reads."""
    return lambda row: [f"{o.get('odsCode') or ''}:{o['name']}" for o in row.get(key) or []]


def column(name: str, description: str, key: str | None = None, type: str = "string") -> Column:
    return Column(name, description, _key(key or name), type)


PROVENANCE = (
    column("sources", "The sources that list it, by id (`|`-separated)."),
    column("first_seen", "When the hub first saw it (UTC).", "firstSeen", "datetime"),
    column("last_seen", "When a source last listed it (UTC).", "lastSeen", "datetime"),
)


@dataclass(frozen=True)
class Table:
    file: str
    description: str
    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def cells(self, row: Row) -> list[str]:
        return [cell(c.read(row)) for c in self.columns]


ENTITIES: dict[str, Table] = {
    "system": Table(
        "systems.csv",
        "Integrated care systems and regions.",
        (
            column("id", "The system's id."),
            column("name", "Its name."),
            column("kind", "ics or region."),
            column("neighbours", "Neighbouring systems, by id."),
        ),
    ),
    "organisation": Table(
        "organisations.csv",
        "Organisations: NHS bodies, councils, charities, practices, universities.",
        (
            column("id", "The organisation's id: ods:<code>, or org:<name>."),
            column("name", "Its name."),
            column("ods_code", "Its NHS ODS (or other register) code.", "odsCode"),
            column("sector", "nhs, local_government, voluntary, primary_care, academic, ..."),
            column("org_type", "What kind of body it is, as its source says.", "orgType"),
            column("website", "Its website."),
            column("aliases", "Other names it goes by."),
            column("system", "The system it is part of, by id."),
            *PROVENANCE,
        ),
    ),
    "person": Table(
        "people.csv",
        "People. Fields beyond name, role and organisation are empty for callers who may not "
        "read them; e-mail and phone only where the person consented.",
        (
            column("id", "The person's id."),
            column("name", "Their name."),
            column("role", "Their role."),
            Column("organisation", "Their organisation, by id.", _of("organisation", "id")),
            Column("organisation_name", "Its name.", _of("organisation", "name")),
            Column("organisation_ods_code", "Its ODS code.", _of("organisation", "odsCode")),
            column("interests", "Topics they are interested in, by label."),
            column("orcid", "Their ORCID iD (signed in)."),
            column("offers", "mentoring and/or coaching (signed in)."),
            column("bio", "What they say about themselves (signed in)."),
            column(
                "kind",
                "staff, patient_or_carer, lived_experience_partner, volunteer or student, where "
                "they consented to showing it (signed in).",
                "personKind",
            ),
            column("email", "E-mail, where they consented (signed in)."),
            column("phone", "Phone, where they consented (signed in)."),
            column(
                "contact_consent",
                "true where they consented to their contact details being shown (signed in).",
                "contactConsent",
                "boolean",
            ),
            *PROVENANCE,
        ),
    ),
    "project": Table(
        "projects.csv",
        "Improvement projects.",
        (
            column("id", "The project's id: <source>:<the source's own id>."),
            column("title", "Its title."),
            column("summary", "Its summary."),
            column("aim", "Its aim."),
            column("status", "proposed, active, paused, completed or stopped."),
            column("start_date", "When it started.", "startDate", "date"),
            column("end_date", "When it ended or will end.", "endDate", "date"),
            column("methods", "Improvement methods (PDSA, Lean...)."),
            column("mode", "The mode of improvement."),
            column("url", "Its page at its source."),
            column("updated_at", "When its source last changed it.", "updatedAt", "datetime"),
            Column("lead_organisation", "The organisation running it, by id.", _of("lead", "id")),
            Column("lead_organisation_name", "Its name.", _of("lead", "name")),
            Column("lead_organisation_ods_code", "Its ODS code.", _of("lead", "odsCode")),
            Column(
                "partner_organisations",
                "Partner organisations, by id.",
                lambda row: [o["id"] for o in row.get("partners") or []],
            ),
            Column(
                "partner_organisation_names",
                "Partner organisations as <ODS code>:<name>.",
                _refs("partners"),
            ),
            column("topics", "Its topics, by label."),
            *PROVENANCE,
        ),
    ),
    "resource": Table(
        "resources.csv",
        "Case studies, toolkits, guides, training, events and other resources.",
        (
            column("id", "The resource's id: <source>:<the source's own id>."),
            column("title", "Its title."),
            column("resource_type", "case_study, toolkit, training, event...", "resourceType"),
            column("summary", "Its summary."),
            column("url", "Where it is."),
            column("published", "When it was published, or the event held.", type="date"),
            column("attendance", "How many came, where the source says.", type="integer"),
            Column(
                "publisher", "The organisation that published it, by id.", _of("publisher", "id")
            ),
            Column("publisher_name", "Its name.", _of("publisher", "name")),
            Column("publisher_ods_code", "Its ODS code.", _of("publisher", "odsCode")),
            column("project", "The project it came from, by id."),
            column("topics", "Its topics, by label."),
            *PROVENANCE,
        ),
    ),
    "topic": Table(
        "topics.csv",
        "Topics of the shared vocabulary, and labels no vocabulary knows yet (candidates).",
        (
            column("id", "The topic's id (the vocabulary's, or candidate:<slug>)."),
            column("label", "Its label."),
            column("synonyms", "Other words for it."),
            column("candidate", "true when no vocabulary knows it yet.", type="boolean"),
            column("broader", "Broader topics, by id."),
        ),
    ),
}


def link_table(link: Link) -> Table:
    """A relationship's file: the two ends by id, and the link's own provenance."""
    start, end = f"{link.start}_id", f"{link.end}_id"
    if start == end:
        start, end = f"{link.start}_id", f"other_{link.end}_id"
    columns = [
        column(start, f"The {link.start}, by id.", "start"),
        column(end, f"The {link.end}, by id.", "end"),
    ]
    if link.type == "WORKS_ON":
        columns.append(
            Column("role", "Their role on the project.", lambda row: next(iter(row["roles"]), None))
        )
    if link.provenance:
        columns += PROVENANCE
    what = f"{link.start} {link.type.lower().replace('_', ' ')} {link.end}"
    return Table(f"{link.name}.csv", f"Each {what}.", tuple(columns))


LINK_TABLES: dict[str, Table] = {link.name: link_table(link) for link in LINKS}
