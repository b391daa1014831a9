"""One field table per entity: the keys a row of it holds, and the Cypher that returns each.

Every read returns a node as a map projection bound to its entity's variable
(``project {.id, .title, ...}``), built from these tables and nowhere else. The API derives from
the same tables which keys each of its fields reads (a field reads the key of its own name and
the keys whose ``read_by`` names it) and how a row becomes an object (``schema/rows.py``), so a
new field is one entry here plus the GraphQL field.

Personal data: a person's e-mail, phone and kind leave the database only where the person
consented (``only_if``); ``emailHashes`` has no entry, so it never does.

Moments (``moment=True``: datetimes such as ``changedAt``) leave the database as ISO 8601 text
and rows hold that text: the driver builds each datetime value it receives in Python, many
times slower than Python parses the text, and a page of projects with their organisations
carries hundreds. Whoever needs the value parses it (``parse_moment``); objects of the API
do as they are made (``schema/rows.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import LiteralString
from zoneinfo import ZoneInfo

from graph.queries.common import VISIBLE_PERSON


@dataclass(frozen=True)
class Field:
    """One key of a row, stored on the node under the same name."""

    key: LiteralString
    read_by: tuple[str, ...] = ()
    """The API's fields that read this key beside the one named after it (e.g. ``contact``)."""
    only_if: LiteralString | None = None
    """A condition on the node: the key is null in every row where it does not hold."""
    moment: bool = False
    """A datetime, returned as its ISO 8601 text (see the module's docstring)."""

    def cypher(self, variable: LiteralString) -> LiteralString:
        """The item of a map projection of the node bound to ``variable``."""
        if self.only_if is None and not self.moment:
            return "." + self.key
        value: LiteralString = variable + "." + self.key
        if self.moment:
            value = "toString(" + value + ")"
        if self.only_if is not None:
            value = "CASE WHEN " + self.only_if + " THEN " + value + " END"
        return self.key + ": " + value


def stored(*keys: LiteralString) -> tuple[Field, ...]:
    """Fields returned as stored, read by the API's field of the same name only."""
    return tuple(Field(key) for key in keys)


def moments(*keys: LiteralString) -> tuple[Field, ...]:
    """Datetime fields, returned as text, read by the API's field of the same name only."""
    return tuple(Field(key, moment=True) for key in keys)


def parse_moment(value: str | datetime | None) -> datetime | None:
    """A moment as a row holds it (ISO 8601 text, as Neo4j writes a datetime: with a zone's
    name in brackets after the offset where it was stored with one) as a datetime; None and
    datetimes as they are."""
    if not isinstance(value, str):
        return value
    text, _, zone = value.partition("[")
    moment = datetime.fromisoformat(text)
    return moment.astimezone(ZoneInfo(zone[:-1])) if zone else moment


@dataclass(frozen=True, eq=False)
class Entity:
    """A kind of node as reads return it: ``id`` and the keys of ``fields``, in their order.

    Compared and hashed by identity: each table below is the one of its kind.
    """

    label: LiteralString
    variable: LiteralString
    """The variable every projection and query of this kind binds the node to."""
    sort: LiteralString
    """The key lists of this kind are ordered by (then ``id``)."""
    fields: tuple[Field, ...]
    visible: LiteralString = ""
    """What a node must meet to be listed for the caller (uses ``$publicOnly``); "" for all."""

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(field.key for field in self.fields)

    def projection(self, keys: Iterable[str] | None = None) -> LiteralString:
        """``variable {.id, ...}`` with the keys named (unknown ones ignored); all when None.

        Only the table's fixed fragments reach the Cypher, in the table's order, so the same
        keys always give the same statement (and Neo4j's plan cache one entry).
        """
        wanted = self.keys if keys is None else frozenset(keys)
        items: list[LiteralString] = [".id"]
        items += [field.cypher(self.variable) for field in self.fields if field.key in wanted]
        return self.variable + " {" + ", ".join(items) + "}"

    @cached_property
    def row(self) -> LiteralString:
        """The projection with every key: rows as the loaders give them."""
        return self.projection()


CONSENTED: LiteralString = "person.contactConsent = true"
KIND_CONSENTED: LiteralString = "person.kindConsent = true"

PROJECT = Entity(
    label="Project",
    variable="project",
    sort="title",
    fields=(
        *stored(
            "title", "summary", "aim", "status", "startDate", "endDate", "methods", "mode", "url"
        ),
        *moments("updatedAt"),
        Field("visits"),  # the "go and see" offer as JSON (graph/ingest/events.py)
        *moments("changedAt"),  # when this hub last changed it (a pull brought new content)
        Field("sameAs"),  # the same project at other hubs: ``<hub's GraphQL URL>#<id>``
    ),
)
PERSON = Entity(
    label="Person",
    variable="person",
    sort="name",
    visible=VISIBLE_PERSON,
    fields=(
        *stored("name", "role", "orcid", "bio"),
        Field("offers", read_by=("offersMentoring", "offersCoaching")),
        Field("public"),
        Field("sameAs"),
        Field("contactConsent", read_by=("contact",)),
        Field("email", read_by=("contact",), only_if=CONSENTED),
        Field("phone", read_by=("contact",), only_if=CONSENTED),
        Field("personKind", read_by=("kind",), only_if=KIND_CONSENTED),
    ),
)
ORGANISATION = Entity(
    label="Organisation",
    variable="organisation",
    sort="name",
    fields=(
        *stored("name", "odsCode", "sector", "orgType", "website", "aliases"),
        *moments("changedAt"),
        Field("sameAs"),
    ),
)
SYSTEM = Entity(label="System", variable="system", sort="name", fields=stored("name", "kind"))
TOPIC = Entity(
    label="Topic", variable="topic", sort="label", fields=stored("label", "synonyms", "candidate")
)
RESOURCE = Entity(
    label="Resource",
    variable="resource",
    sort="title",
    fields=(
        *stored("title", "resourceType", "summary", "url", "published"),
        *moments("changedAt"),
        Field("sameAs", read_by=("download",)),
        # Events and training, programmes and modules (issue 19).
        *moments("startsAt", "endsAt"),
        *stored("timeZone", "allDay", "venue", "online", "bookingUrl"),
        *stored("audience", "organiser", "places", "mode"),
        Field("programme"),
        Field("programmeId", read_by=("programme",)),
        Field("module"),
        Field("moduleId", read_by=("module",)),
    ),
)

Keys = frozenset[str] | None
"""The keys a read returns of one kind of node beside ``id``; None: every key."""


@dataclass(frozen=True)
class Projections:
    """What a read returns of each kind of node it returns; every key of each by default."""

    project: Keys = None
    person: Keys = None
    organisation: Keys = None
    topic: Keys = None
    resource: Keys = None

    def of(self, entity: Entity) -> LiteralString:
        """The projection for ``entity`` (this object's field named as its variable)."""
        keys: Keys = getattr(self, entity.variable)
        return entity.projection(keys)

    @property
    def whole(self) -> bool:
        """Whether every kind returns every key (rows as the loaders give them)."""
        kinds = (PROJECT, PERSON, ORGANISATION, TOPIC, RESOURCE)
        return all(self.of(entity) == entity.row for entity in kinds)


WHOLE = Projections()
"""Every key of every kind."""

STATEMENTS_KEPT = 256
"""How many statements built for one selection of fields each builder keeps: callers choose
the selection, so a cache of them must be bounded (Neo4j keeps its plans in a bounded cache)."""
