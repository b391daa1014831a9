"""Records to rows: each record resolved to the entity it describes, and its links to theirs.

Organisations resolve by ODS code, name or alias; people by ORCID iD, e-mail or name within
their organisation (graph/resolution.py); topics through the vocabulary. Each topic label and
organisation reference is resolved once a run. The rows of one batch are grouped by the
statement that writes them (``Batch``); graph/ingest/batches.py writes them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectRecord,
    Record,
    ResourceRecord,
)
from graph.database import Graph
from graph.ingest.events import event_props, visit_props
from graph.ingest.options import IngestOptions
from graph.ingest.statements import LABELS
from graph.resolution import (
    NameDecision,
    OrganisationIndex,
    load_organisation_index,
    load_person_candidates,
    person_identity_keys,
    resolve_person,
)

# While one batch is written, the next is turned into rows; every this many records that work
# gives the event loop a turn, so the write can send its next statement without waiting.
_YIELD_EVERY = 25
_OWNED_KINDS = {"project", "resource"}


def record_key(source: str, record: Record) -> str:
    return f"{source}|{record.kind}|{record.ref}"


def content_hash(record: Record) -> str:
    body = record.model_dump(mode="json", exclude={"updated_at"})
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]


class RowBuilder:
    """Turns one run's records into rows, batch by batch, remembering what it resolved.

    Turning a batch into rows reads only what earlier pulls committed (person candidates of
    other sources) or what this run has already decided (``written``), never the batch before,
    so the next batch can be built while the last one is written.
    """

    def __init__(
        self,
        graph: Graph,
        source_id: str,
        options: IngestOptions,
        existing: Mapping[str, Mapping[str, Any]],
        hashes: Mapping[str, str],
    ) -> None:
        self.graph = graph
        self.source_id = source_id
        self.options = options
        self.existing = existing
        self.hashes = hashes  # computed once per record when sorting new from unchanged
        # What this run has written so far, by record key: read by later kinds' links.
        self.written: dict[str, str] = {}
        self._organisations: OrganisationIndex | None = None
        # Each topic label and organisation reference is resolved once a run, with its row.
        self._topics: dict[str, tuple[str, dict[str, Any]]] = {}
        self._targets: dict[tuple[str | None, str | None], tuple[str, dict[str, Any]]] = {}

    async def batch(self, kind: str, records: Sequence[Record], warnings: list[str]) -> Batch:
        """One batch of records of one kind as rows; its link warnings go to ``warnings``."""
        batch = Batch(kind)
        if kind == "organisation":
            await self._organisation_rows(records, batch)  # type: ignore[arg-type]
        elif kind == "person":
            await self._person_rows(records, batch)  # type: ignore[arg-type]
        elif kind == "project":
            warnings += await self._project_rows(records, batch)  # type: ignore[arg-type]
        else:
            warnings += await self._resource_rows(records, batch)  # type: ignore[arg-type]
        # Later batches link to these records; if this batch's write fails, the run fails.
        self.written.update(batch.keys)
        return batch

    async def _organisation_index(self) -> OrganisationIndex:
        if self._organisations is None:
            self._organisations = await load_organisation_index(
                self.graph, self.options.organisation_aliases, self.source_id
            )
        return self._organisations

    def name_decisions(self) -> list[NameDecision]:
        """How this run resolved organisations by name (rule, score), to keep for explaining."""
        return list(self._organisations.decisions.values()) if self._organisations else []

    async def _organisation_target(self, batch: Batch, ref: OrganisationRef | None) -> str | None:
        if ref is None:
            return None
        # Resolving the same name and code again gives the same organisation: the index only
        # adds what a resolution found, never changes it, and this run's own organisation
        # records are all resolved before the first reference.
        target = self._targets.get((ref.name, ref.ods_code))
        if target is None:
            index = await self._organisation_index()
            match = index.resolve(ref.name, ref.ods_code)
            row = {
                "id": match.id,
                "name": ref.name or ref.ods_code,
                "odsCode": ref.ods_code,
                "nameKeys": index.name_keys(ref.name) if ref.name else [],
            }
            target = self._targets[(ref.name, ref.ods_code)] = (match.id, row)
        batch.organisations.setdefault(*target)
        return target[0]

    def _topic_targets(self, batch: Batch, labels: Iterable[str]) -> list[str]:
        ids = []
        for label in labels:
            target = self._topics.get(label)
            if target is None:  # resolving re-normalises every synonym: once per label is enough
                topic = self.options.vocabulary.resolve(label)
                row = {
                    "id": topic.id,
                    "label": topic.label,
                    "candidate": topic.candidate,
                    "keys": list(topic.keys),
                    "synonyms": list(topic.synonyms),
                }
                target = self._topics[label] = (topic.id, row)
            batch.topics.setdefault(*target)
            ids.append(target[0])
        return list(dict.fromkeys(ids))

    def _entity(
        self,
        batch: Batch,
        record: Record,
        entity_id: str,
        rule: str,
        props: dict[str, Any],
        *,
        new_node: bool = False,
    ) -> None:
        key = record_key(self.source_id, record)
        batch.keys[key] = entity_id
        known = self.existing.get(key)
        assertion = {
            "key": key,
            "ref": record.ref,
            "kind": record.kind,
            "hash": self.hashes[key],
            "record": record.model_dump_json(exclude_none=True),
        }
        if known is None and (batch.kind in _OWNED_KINDS or new_node):
            # A project or resource belongs to its one source: a new record is a new node,
            # created with its assertion and links by one statement. So is a new person
            # who matched nobody (``new_node``): no link of this source can point at them yet.
            assertion["rule"] = rule
            row = {"id": entity_id, "props": props, "assertion": assertion}
            batch.fresh[entity_id] = row
            batch.new_entities.append(row)
            return
        batch.entities.append({"id": entity_id, "props": props})
        if known is None:
            batch.new_assertions.append({"id": entity_id, "props": {**assertion, "rule": rule}})
        else:
            batch.changed_assertions.append({"id": entity_id, "props": assertion})
            batch.changed_ids.append(entity_id)

    async def _organisation_rows(self, records: Sequence[OrganisationRecord], batch: Batch) -> None:
        index = await self._organisation_index()
        for number, record in enumerate(records):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
            known = self.existing.get(record_key(self.source_id, record))
            if known is not None:
                entity_id, rule = known["entity"], "same_record"
            else:
                match = index.resolve(record.name, record.ods_code, record.org_type)
                entity_id, rule = match.id, match.rule
            index.learn(entity_id, record)
            keys = index.name_keys(record.name, record.aliases)
            for key in keys:
                index.remember(entity_id, key, record.ods_code)
            self._entity(
                batch,
                record,
                entity_id,
                rule,
                {
                    "name": record.name,
                    "sector": record.sector.value if record.sector else None,
                    "orgType": record.org_type,
                    "website": record.website,
                    "formerNames": record.former_names,
                    "formerCodes": record.former_codes,
                    "successorCodes": record.successors,
                    "closedOn": record.closed_on,
                },
            )
            batch.entities[-1].update(
                odsCode=record.ods_code,
                aliases=record.aliases,
                nameKeys=keys,
                sameAs=record.same_as,
            )
            if record.system:
                batch.link("PART_OF", "System", entity_id, record.system)

    async def _person_rows(self, records: Sequence[PersonRecord], batch: Batch) -> None:
        salt = self.options.identity_salt
        employers = [await self._organisation_target(batch, r.organisation) for r in records]
        identity = {r.ref: person_identity_keys(r, salt) for r in records}
        by_key, in_organisation = await load_person_candidates(
            self.graph,
            [key for keys in identity.values() for key in keys],
            [org for org in employers if org],
        )
        for number, (record, employer) in enumerate(zip(records, employers, strict=True)):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
            known = self.existing.get(record_key(self.source_id, record))
            if known is not None:
                person_id, rule = known["entity"], "same_record"
            else:
                match = resolve_person(
                    record,
                    source=self.source_id,
                    organisation_id=employer,
                    by_key=by_key,
                    in_organisation=in_organisation,
                    salt=salt,
                )
                if match is None:
                    digest = hashlib.sha256(record_key(self.source_id, record).encode())
                    person_id, rule = f"person:{digest.hexdigest()[:16]}", "new"
                else:
                    person_id, rule = match.id, match.rule
            consent = record.contact_consent
            offers = [offer.value for offer in record.offers]
            # Like contact details, a person's kind is kept only where they agreed to show it.
            shown_kind = record.person_kind if record.kind_consent else None
            self._entity(
                batch,
                record,
                person_id,
                rule,
                {
                    "name": record.name,
                    "role": record.role,
                    "orcid": record.orcid,
                    "bio": record.bio,
                    "email": record.email if consent else None,
                    "phone": record.phone if consent else None,
                    "personKind": shown_kind.value if shown_kind else None,
                },
                new_node=rule == "new",
            )
            fresh = batch.fresh.get(person_id)
            if fresh is not None:
                # What UPSERT_ENTITIES["person"] works out against an existing node, for none.
                fresh["props"].update(
                    contactConsent=consent,
                    public=record.public,
                    offers=list(dict.fromkeys(offers)),
                    sameAs=record.same_as,
                    kindConsent=record.kind_consent,
                )
                fresh["keys"] = identity[record.ref]
            else:
                row = batch.entities[-1]
                row.update(
                    contactConsent=consent,
                    public=record.public,
                    offers=offers,
                    sameAs=record.same_as,
                    kindConsent=record.kind_consent,
                )
                batch.person_keys += [{"key": k, "id": person_id} for k in identity[record.ref]]
            if employer:
                batch.link("WORKS_FOR", "Organisation", person_id, employer)
            for topic in self._topic_targets(batch, record.interests):
                batch.link("INTERESTED_IN", "Topic", person_id, topic)

    def _active_entity(self, key: str) -> str | None:
        """The entity behind a record key of this source, unless that record is retired."""
        if key in self.written:
            return self.written[key]
        known = self.existing.get(key)
        if known is None or known["retiredAt"] is not None:
            return None
        return str(known["entity"])

    async def _project_rows(self, records: Sequence[ProjectRecord], batch: Batch) -> list[str]:
        warnings = []
        for number, record in enumerate(records):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
            project_id = f"{self.source_id}:{record.ref}"
            self._entity(
                batch,
                record,
                project_id,
                "new",
                {
                    "title": record.title,
                    "summary": record.summary,
                    "aim": record.aim,
                    "status": record.status.value if record.status else None,
                    "startDate": record.start_date,
                    "endDate": record.end_date,
                    "methods": record.methods,
                    "mode": record.mode.value if record.mode else None,
                    "url": record.url,
                    "updatedAt": record.updated_at,
                    "sameAs": record.same_as,
                    **visit_props(record),
                },
            )
            lead = await self._organisation_target(batch, record.lead_organisation)
            if lead:
                batch.link("RUN_BY", "Organisation", project_id, lead)
            for partner in record.partner_organisations:
                partner_id = await self._organisation_target(batch, partner)
                if partner_id and partner_id != lead:
                    batch.link("IN_PARTNERSHIP_WITH", "Organisation", project_id, partner_id)
            for topic in self._topic_targets(batch, record.topics):
                batch.link("ABOUT", "Topic", project_id, topic)
            for member in record.members:
                person = self._active_entity(f"{self.source_id}|person|{member.person}")
                if person is None:
                    warnings.append(
                        f"{self.source_id}, project {record.ref!r}, field 'members': person "
                        f"{member.person!r} is not listed by this source; the link was left out"
                    )
                    continue
                batch.link(
                    "WORKS_ON",
                    "Project",
                    person,
                    project_id,
                    {"role": member.role},
                    start="Person",
                )
        return warnings

    async def _resource_rows(self, records: Sequence[ResourceRecord], batch: Batch) -> list[str]:
        warnings = []
        for number, record in enumerate(records):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)  # let the batch being written go on to its next statement
            resource_id = f"{self.source_id}:{record.ref}"
            self._entity(
                batch,
                record,
                resource_id,
                "new",
                {
                    "title": record.title,
                    "resourceType": record.resource_type.value,
                    "attendance": record.attendance,
                    "summary": record.summary,
                    "url": record.url,
                    "published": record.published,
                    "sameAs": record.same_as,
                    **event_props(record),
                },
            )
            publisher = await self._organisation_target(batch, record.organisation)
            if publisher:
                batch.link("PUBLISHED_BY", "Organisation", resource_id, publisher)
            for topic in self._topic_targets(batch, record.topics):
                batch.link("ABOUT", "Topic", resource_id, topic)
            if record.project:
                # A project of this source that this run wrote, or an earlier one still listed.
                project_id = self._active_entity(f"{self.source_id}|project|{record.project}")
                if project_id is not None:
                    batch.link("FROM", "Project", resource_id, project_id)
                else:
                    warnings.append(
                        f"{self.source_id}, resource {record.ref!r}, field 'project': project "
                        f"{record.project!r} is not listed by this source; the link was left out"
                    )
        return warnings

    # -- writing rows ----------------------------------------------------------------------


@dataclass
class Batch:
    """Rows of one batch, grouped by the statement that writes them."""

    kind: str
    keys: dict[str, str] = field(default_factory=dict)
    entities: list[dict[str, Any]] = field(default_factory=list)
    new_entities: list[dict[str, Any]] = field(default_factory=list)
    # New projects, resources and people by id: their rows carry their links (CREATE_ENTITIES).
    fresh: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The nodes those links point at, by label: id -> position in the statement's list.
    ends: dict[str, dict[str, int]] = field(default_factory=dict)
    new_assertions: list[dict[str, Any]] = field(default_factory=list)
    changed_assertions: list[dict[str, Any]] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)
    organisations: dict[str, dict[str, Any]] = field(default_factory=dict)
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_keys: list[dict[str, str]] = field(default_factory=list)
    links: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    linked: set[tuple[str, str, str]] = field(default_factory=set)

    def link(
        self,
        rel_type: str,
        end: str,
        start_id: str,
        end_id: str,
        props: dict[str, Any] | None = None,
        *,
        start: str | None = None,
    ) -> None:
        if (rel_type, start_id, end_id) in self.linked:
            return  # a record that names the same partner or member twice means one link
        self.linked.add((rel_type, start_id, end_id))
        start_label = start or LABELS[self.kind]
        # A new project or resource is created with its links, in one statement: each link
        # is a position in the list of its end nodes, which that statement finds once each.
        own, other, other_label = (
            (start_id, end_id, end) if start is None else (end_id, start_id, start_label)
        )
        if own in self.fresh:
            positions = self.ends.setdefault(other_label, {})
            position = positions.setdefault(other, len(positions))
            links = self.fresh[own].setdefault(rel_type, [])
            links.append([position, props["role"]] if props else position)
            return
        rows = self.links.setdefault((rel_type, start_label, end), [])
        rows.append({"from": start_id, "to": end_id, "props": props or {}})
