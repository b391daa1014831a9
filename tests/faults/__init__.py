"""A real TCP proxy on 127.0.0.1 in front of Neo4j that can stall or drop on request.

A hung database is one that accepts a connection and then says nothing; a stalled proxy is
exactly that to the driver. Connections are counted so a test can tell whether a call
reached the network at all.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class StallingProxy:
    """Forwards bytes both ways until ``stalled`` is set; then holds them without answering."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.stalled = threading.Event()
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closing = threading.Event()
        self.sockets: list[socket.socket] = []

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.closing.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            while self.stalled.is_set() and not self.closing.is_set():
                self.closing.wait(0.05)
            if self.closing.is_set():
                return
            try:
                sink.sendall(data)
            except OSError:
                return

    def drop(self) -> None:
        """Close every connection open through the proxy, as a restarted database would."""
        sockets, self.sockets = self.sockets, []
        for sock in sockets:
            sock.close()

    @contextmanager
    def running(self) -> Iterator[StallingProxy]:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.closing.set()
            self.listener.close()
            for sock in self.sockets:
                sock.close()


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])
