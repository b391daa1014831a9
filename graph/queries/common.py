"""What the read queries share: running a read, node projections, and keyset pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

Row = dict[str, Any]

# Node projections. Each expects the node bound to the variable it is named after. A person's
# e-mail and phone leave the database only where the person consented to them being shown;
# ``emailHashes`` never does.
PROJECT: LiteralString = (
    "project {.id, .title, .summary, .aim, .status, .startDate, .endDate, .methods, .mode, "
    ".url, .updatedAt}"
)
PERSON: LiteralString = (
    "person {.id, .name, .role, .orcid, .bio, .offers, .public, .contactConsent, "
    "email: CASE WHEN person.contactConsent = true THEN person.email END, "
    "phone: CASE WHEN person.contactConsent = true THEN person.phone END}"
)
ORGANISATION: LiteralString = (
    "organisation {.id, .name, .odsCode, .sector, .orgType, .website, .aliases}"
)
SYSTEM: LiteralString = "system {.id, .name, .kind}"
TOPIC: LiteralString = "topic {.id, .label, .synonyms, .candidate}"
RESOURCE: LiteralString = "resource {.id, .title, .resourceType, .summary, .url, .published}"

# The same projections one key at a time, for reads that return only the keys a caller's
# selection needs (``projection``). Keys as in the rows above; ``id`` is always returned.
PROJECT_KEYS: dict[str, LiteralString] = {
    key: "." + key
    for key in (
        "title",
        "summary",
        "aim",
        "status",
        "startDate",
        "endDate",
        "methods",
        "mode",
        "url",
        "updatedAt",
    )
}
PERSON_KEYS: dict[str, LiteralString] = {
    "name": ".name",
    "role": ".role",
    "orcid": ".orcid",
    "bio": ".bio",
    "offers": ".offers",
    "public": ".public",
    "contactConsent": ".contactConsent",
    "email": "email: CASE WHEN person.contactConsent = true THEN person.email END",
    "phone": "phone: CASE WHEN person.contactConsent = true THEN person.phone END",
}
ORGANISATION_KEYS: dict[str, LiteralString] = {
    key: "." + key for key in ("name", "odsCode", "sector", "orgType", "website", "aliases")
}
TOPIC_KEYS: dict[str, LiteralString] = {
    key: "." + key for key in ("label", "synonyms", "candidate")
}
RESOURCE_KEYS: dict[str, LiteralString] = {
    key: "." + key for key in ("title", "resourceType", "summary", "url", "published")
}


def projection(
    variable: LiteralString, table: dict[str, LiteralString], keys: Iterable[str]
) -> LiteralString:
    """``variable {.id, ...}`` with the keys of ``table`` named in ``keys`` (others ignored).

    Only the table's fixed fragments reach the Cypher, in the table's order, so the same keys
    always give the same statement (and Neo4j's plan cache one entry).
    """
    wanted = set(keys)
    items: list[LiteralString] = [".id"]
    items += [fragment for key, fragment in table.items() if key in wanted]
    return variable + " {" + ", ".join(items) + "}"


# Whether a person may be listed: everyone, or (for anonymous callers) only those who agreed.
VISIBLE_PERSON: LiteralString = "(NOT $publicOnly OR person.public = true)"

# Keyset paging: rows after the cursor's (sort key, id), in that order.
AFTER_CURSOR: LiteralString = (
    "($afterKey IS NULL OR sortKey > $afterKey OR (sortKey = $afterKey AND id > $afterId))"
)


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the sort key and id of its last row."""

    key: str
    id: str


@dataclass(frozen=True)
class Page:
    items: list[Row]
    has_next: bool
    cursors: list[Cursor]
    columns: list[Row] = field(default_factory=list)
    """Per item, what else its row returned (lists fetched with the page); else empty."""


def page_parameters(after: Cursor | None, first: int) -> dict[str, Any]:
    """Parameters for a keyset page: one row more than asked, to know whether more follow."""
    return {
        "afterKey": after.key if after else None,
        "afterId": after.id if after else None,
        "limit": first + 1,
    }


def to_page(rows: Sequence[Row], first: int) -> Page:
    """Rows shaped ``{item, sortKey, ...}`` (one extra when more follow) as a page."""
    kept = list(rows[:first])
    return Page(
        items=[row["item"] for row in kept],
        has_next=len(rows) > first,
        cursors=[Cursor(row["sortKey"], row["item"]["id"]) for row in kept],
        columns=[{k: v for k, v in row.items() if k not in ("item", "sortKey")} for row in kept],
    )


def aligned(rows: Sequence[Row], keys: Sequence[str]) -> list[Row | None]:
    """Rows ``{key, item}`` in the order of ``keys``; None where a key found nothing."""
    found = {row["key"]: row["item"] for row in rows}
    return [found.get(key) for key in keys]


def by_key(rows: Sequence[Row], keys: Sequence[str], field: str = "items") -> list[Any]:
    """Batched rows ``{key, <field>}`` in the order of ``keys``; missing keys get []."""
    found = {row["key"]: row[field] for row in rows}
    return [found.get(key, []) for key in keys]
