"""DataLoaders: each nested field of a page costs one query for the whole page, not one per row.

A request gets fresh loaders (so nothing is cached between requests). Lists bounded by a
``first`` argument get one loader per page size, since the size is part of the query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from strawberry.dataloader import DataLoader

from graph.database import Graph
from graph.queries import organisations, people, projects, resources, systems, topics
from schema.viewer import Viewer

Batch = Callable[[Sequence[str]], Awaitable[list[Any]]]


class Loaders:
    """The per-request loaders, by what they load."""

    def __init__(self, graph: Graph, viewer: Viewer) -> None:
        self.graph = graph
        self.viewer = viewer
        public = viewer.public_only

        def loader(batch: Batch) -> DataLoader[str, Any]:
            return DataLoader(load_fn=lambda keys: batch(graph, list(keys)))  # type: ignore[call-arg]

        self.project = loader(projects.projects_by_id)
        self.person = loader(partial(people.people_by_id, public_only=public))
        self.organisation = loader(organisations.organisations_by_id)
        self.system = loader(systems.systems_by_id)
        self.topic = loader(topics.topics_by_id)
        self.resource = loader(resources.resources_by_id)

        self.project_organisations = loader(projects.project_organisations)
        self.project_topics = loader(projects.project_topics)
        self.person_organisations = loader(people.person_organisations)
        self.person_interests = loader(people.person_interests)
        self.organisation_systems = loader(organisations.organisation_systems)
        self.system_neighbours = loader(systems.system_neighbours)
        self.topic_broader = loader(topics.broader_topics)
        self.topic_narrower = loader(topics.narrower_topics)
        self.topic_usage = loader(partial(topics.topic_usage, public_only=public))
        self.resource_topics = loader(resources.resource_topics)
        self.resource_projects = loader(resources.resource_projects)
        self.resource_publishers = loader(resources.resource_publishers)

        self._sized: dict[tuple[str, int], DataLoader[str, Any]] = {}
        self._sized_batches: dict[str, Callable[[int], Batch]] = {
            "project_people": lambda n: partial(
                projects.project_people, limit=n, public_only=public
            ),
            "project_resources": lambda n: partial(projects.project_resources, limit=n),
            "person_projects": lambda n: partial(people.person_projects, limit=n),
            "organisation_projects": lambda n: partial(
                organisations.organisation_projects, limit=n
            ),
            "organisation_people": lambda n: partial(
                organisations.organisation_people, limit=n, public_only=public
            ),
            "system_organisations": lambda n: partial(systems.system_organisations, limit=n),
        }
        self._loader = loader

    def sized(self, name: str, first: int) -> DataLoader[str, Any]:
        """The loader for a bounded list ``name`` with pages of ``first`` items."""
        key = (name, first)
        if key not in self._sized:
            self._sized[key] = self._loader(self._sized_batches[name](first))
        return self._sized[key]
