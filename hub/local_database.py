"""Which Neo4j the hub talks to: the configured one, or the local Neo4j it starts itself.

A serving hub supervises the local Neo4j it started: when that dies it is restarted on the
same port and data (so the hub's driver reconnects by itself), and one someone else started
on the same data is followed and never stopped by the hub.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from graph import local_neo4j
from graph.database import Graph
from graph.local_neo4j import LocalNeo4j, LocalNeo4jError, Supervisor
from hub.config import Settings

log = logging.getLogger(__name__)

SUPERVISE_EVERY = 5.0
"""Seconds between looks at whether the local Neo4j still runs."""


@dataclass
class DatabaseTarget:
    """A Bolt URI to connect to, and the local server this process owns, if it started one."""

    uri: str
    owned: LocalNeo4j | None = None
    supervisor: Supervisor | None = field(default=None, init=False)
    stopping: threading.Event = field(default_factory=threading.Event, init=False)

    def supervise(self, every: float = SUPERVISE_EVERY, **options: Any) -> None:
        """Watch the local Neo4j this process started, in a background thread, restarting it
        when it dies (``options`` as for ``local_neo4j.start``). Nothing to do otherwise."""
        if self.owned is None or self.supervisor is not None:
            return
        self.supervisor = Supervisor(self.owned, **options)
        threading.Thread(target=self._watch, args=(every,), daemon=True).start()

    def _watch(self, every: float) -> None:
        assert self.supervisor is not None
        while not self.stopping.wait(every):
            try:
                note = self.supervisor.check()
            except LocalNeo4jError as error:
                log.error("the local Neo4j could not be restarted: %s", error)
                continue
            if note is not None:
                log.warning("%s", note)
                self.owned = self.supervisor.server if self.supervisor.owned else None

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
        """Stop supervising, and stop the local Neo4j if this process started it."""
        self.stopping.set()
        if self.supervisor is not None:
            self.supervisor.stop()
        elif self.owned is not None:
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
