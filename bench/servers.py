"""The servers the API benchmark talks to: the hub (uvicorn) and the @neo4j/graphql server.

Both run as subprocesses on 127.0.0.1 against the benchmark's Neo4j, and both are stopped by
their process id when the block ends.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from graph.local_neo4j import free_port

HOST = "127.0.0.1"
NEO4J_GRAPHQL_DIR = Path(__file__).parent / "neo4j_graphql"
# The hub as a development deployment whose limits the load cannot reach (hub/config.py,
# README.md, Access): the rate limiter still runs on every request, it just never refuses one.
BENCH_HUB_ENV = {
    "CONVENER_ENV": "development",
    "CONVENER_ANONYMOUS_PERSISTED_ONLY": "false",
    "CONVENER_RATE_LIMIT": "1000000000",
    "CONVENER_RATE_LIMIT_KEY": "1000000000",
}


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    """The GraphQL endpoint."""
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def memory(self) -> dict[str, float | None]:
        """The server's memory, its worker processes' included (summed)."""
        found = [process_memory(pid) for pid in (self.pid, *child_processes(self.pid))]
        return {
            key: round(sum(m[key] or 0.0 for m in found), 1) if found[0][key] else None
            for key in ("rss_mib", "peak_rss_mib")
        }


def child_processes(pid: int) -> list[int]:
    """The direct children of a process (uvicorn's workers), from /proc (empty elsewhere)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except (OSError, ValueError):
        return []


def process_memory(pid: int) -> dict[str, float | None]:
    """Resident memory now and at its peak, in MiB (None where /proc does not say)."""
    found: dict[str, float | None] = {"rss_mib": None, "peak_rss_mib": None}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    key = "rss_mib" if name == "VmRSS" else "peak_rss_mib"
                    found[key] = round(int(value.split()[0]) / 1024, 1)
    except (OSError, ValueError):
        pass
    return found


def _wait_ready(server: Server, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = server.url.rsplit("/", 1)[0] + path
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited while starting:\n{_tail(server.log)}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} was not ready in {timeout:.0f} s:\n{_tail(server.log)}")


def logged_errors(path: Path, most: int = 5) -> list[str]:
    """The first ``most`` distinct error lines of a server's log: what a client only sees as
    "Internal error (id ...)", kept before the bench's scratch directory goes."""
    found: list[str] = []
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return found
    for line in lines:
        if _is_error(line) and line[:1000] not in found:
            found.append(line[:1000])
            if len(found) == most:
                break
    return found


def _is_error(line: str) -> bool:
    """A JSON log line (the hub's) at error level or worse, or a plain one that says ERROR."""
    try:
        entry = json.loads(line)
    except ValueError:
        return line.startswith("ERROR") or "Traceback" in line
    return isinstance(entry, dict) and entry.get("level") in ("error", "critical")


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def _running(
    name: str, command: list[str], env: Mapping[str, str], port: int, log: Path, ready: str
) -> Iterator[Server]:
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, env=dict(env), stdout=sink, stderr=subprocess.STDOUT, cwd=Path.cwd()
        )
    server = Server(name, process, f"http://{HOST}:{port}/graphql", log)
    try:
        _wait_ready(server, ready, timeout=120.0)
        yield server
    finally:
        _stop(process)


@contextmanager
def hub(
    neo4j_uri: str,
    workdir: Path,
    extra_env: Mapping[str, str],
    workers: int = 1,
    code: Path | None = None,
) -> Iterator[Server]:
    """``convener serve`` (uvicorn, ``workers`` processes) on a free port, on the given Neo4j.

    ``code``: another checkout of the repository whose hub runs instead (its packages first on
    the path, its own ``convener`` entry point), so one run can measure an earlier commit beside
    this one on the same Neo4j.
    """
    port = free_port(HOST)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONVENER_")}
    env |= {
        "CONVENER_NEO4J_URI": neo4j_uri,
        "CONVENER_DATA_DIR": str(workdir / "hub-data"),
        "CONVENER_HOST": HOST,
        "CONVENER_PORT": str(port),
        **BENCH_HUB_ENV,
        **extra_env,
    }
    serve = ["serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    name, log = "the hub", workdir / "hub.log"
    if code is None:
        command = [str(Path(sys.executable).parent / "convener"), *serve]
    else:
        env["PYTHONPATH"] = str(code)
        command = [sys.executable, "-P", "-c", _entry_point_call(code), *serve]
        name, log = f"the hub at {code}", workdir / "hub-before.log"
    with _running(name, command, env, port, log, "/readyz") as server:
        yield server


def _entry_point_call(code: Path) -> str:
    """Python that runs the ``convener`` entry point declared in ``code``'s pyproject.toml."""
    scripts = tomllib.loads((code / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module, attribute = scripts["scripts"]["convener"].split(":")
    return f"import sys; sys.argv[0] = 'convener'; from {module} import {attribute} as run; run()"


def neo4j_graphql_missing() -> str | None:
    """Why the @neo4j/graphql server cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NEO4J_GRAPHQL_DIR / "node_modules" / "@neo4j" / "graphql").is_dir():
        return "bench/neo4j_graphql/node_modules is missing (make bench installs it)"
    return None


@contextmanager
def neo4j_graphql(neo4j_uri: str, workdir: Path) -> Iterator[Server]:
    """bench/neo4j_graphql/server.mjs on a free port, reading the benchmark's Neo4j."""
    port = free_port(HOST)
    env = dict(os.environ) | {"NEO4J_URI": neo4j_uri, "PORT": str(port)}
    command = ["node", str(NEO4J_GRAPHQL_DIR / "server.mjs")]
    log = workdir / "neo4j-graphql.log"
    with _running("@neo4j/graphql", command, env, port, log, "/healthz") as server:
        yield server
