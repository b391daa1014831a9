"""Which Neo4j the hub talks to: the configured one, or the local Neo4j it starts itself."""

from __future__ import annotations

from dataclasses import dataclass

from graph import local_neo4j
from graph.database import Graph
from graph.local_neo4j import LocalNeo4j
from hub.config import Settings


@dataclass
class DatabaseTarget:
    """A Bolt URI to connect to, and the local server this process owns, if it started one."""

    uri: str
    owned: LocalNeo4j | None = None

    def connect(self, settings: Settings) -> Graph:
        if self.uri == settings.neo4j_uri:
            password = settings.neo4j_password
            return Graph.connect(
                self.uri,
                user=settings.neo4j_user,
                password=password.get_secret_value() if password else None,
                database=settings.neo4j_database,
            )
        return Graph.connect(self.uri)

    def release(self) -> None:
        if self.owned is not None:
            self.owned.stop()


def resolve_database(settings: Settings) -> DatabaseTarget:
    """The configured server, else a local Neo4j already running on our data, else a new one.

    Raises ``LocalNeo4jError`` with a message for people when the local Neo4j cannot start.
    """
    if settings.neo4j_uri:
        return DatabaseTarget(settings.neo4j_uri)
    home = settings.local_neo4j_home
    running = local_neo4j.find_running(home)
    if running is not None:
        return DatabaseTarget(running.uri)
    server = local_neo4j.start(
        home, cache_dir=settings.cache_dir, timeout=settings.neo4j_startup_timeout
    )
    return DatabaseTarget(server.uri, owned=server)
