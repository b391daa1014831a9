"""The hub as the Dockerfile installs it: a wheel built from the repository, in a fresh virtual
environment with the locked dependencies, runs `convener sync` against a real Neo4j.

An editable install reads every file from the checkout, so it cannot notice a file the wheel
leaves out (the topic vocabulary once was). This builds the wheel from exactly what the
Dockerfile copies, installs it the way the Dockerfile does (``requirements.lock``, then the
wheel without resolving again), and runs the commands from a directory outside the checkout.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graph.database import Graph
from graph.local_neo4j import LocalNeo4j, free_port
from tests.partner_web import PartnerWeb, Reply
from tests.test_cli import wait_ready
from tests.test_sync_cli import web, write_partners  # noqa: F401 (the partner web fixture)

ROOT = Path(__file__).resolve().parent.parent
DOCKER_COPIES = ("pyproject.toml", "README.md", "hub", "schema", "connectors", "graph")
PIP = ("-m", "pip", "--disable-pip-version-check", "--no-input")


@dataclass
class Installed:
    wheel: Path
    bin: Path
    outside: Path  # a working directory with nothing of the checkout in it

    def run(self, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "convener"), *args],
            env={"PATH": "/usr/bin:/bin", **env},
            cwd=self.outside,
            capture_output=True,
            text=True,
            timeout=120,
        )


def step(*command: str | Path, cwd: Path | None = None) -> None:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in DOCKER_COPIES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    # The backend is the locked setuptools of this environment: nothing to fetch to build.
    step(sys.executable, *PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", work, source)
    (wheel,) = work.glob("convener-*.whl")
    env = work / "env"
    step(sys.executable, "-m", "venv", env)
    # Without byte-compiling every installed module up front (a third of the install's CPU):
    # what is installed is the same, and the commands below compile what they import.
    step(
        env / "bin" / "python",
        *PIP,
        "install",
        "--no-compile",
        "--require-hashes",
        "-r",
        ROOT / "requirements.lock",
    )
    step(env / "bin" / "python", *PIP, "install", "--no-compile", "--no-deps", wheel)
    outside = work / "outside"
    outside.mkdir()
    yield Installed(wheel, env / "bin", outside)


def test_the_wheel_holds_the_files_the_hub_reads_and_no_demo(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for needed in (
        "graph/vocabulary.yaml",
        "graph/neo4j/pom.xml",
        "graph/neo4j/Launcher.java",
        "graph/migrations/0001_constraints.cypher",
        "schema/persisted/manifest.json",
        "schema/persisted/embed.graphql",
        "hub/web/static/embed/convener.js",
    ):
        assert needed in names, f"{needed} is missing from {installed.wheel.name}"
    assert not [name for name in names if name.split("/")[0] in ("examples", "tests", "bench")]


async def test_convener_sync_from_the_wheel_loads_a_partners_file(
    installed: Installed,
    graph: Graph,
    neo4j_server: LocalNeo4j,
    web: PartnerWeb,  # noqa: F811
) -> None:
    web.route("/api", Reply(body=[{"id": "A1", "title": "Sepsis at the front door"}]))
    config = write_partners(installed.outside)  # a CSV register and a JSON API
    done = installed.run(
        "sync",
        "--config",
        config.name,
        env={"CONVENER_NEO4J_URI": neo4j_server.uri, "BASE": web.url()},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    projects = await graph.read("MATCH (p:Project) RETURN p.id AS id ORDER BY id")
    assert projects == [{"id": "em-api:A1"}, {"id": "em-register:E1"}]
    # The topic vocabulary the package ships was read and stored.
    topics = await graph.read("MATCH (t:Topic {id: 'mental-health'}) RETURN t.label AS label")
    assert topics == [{"label": "Mental health"}]


def test_the_installed_hub_serves_its_widget_and_persisted_queries(
    installed: Installed, neo4j_server: LocalNeo4j
) -> None:
    port = free_port()
    hub = subprocess.Popen(
        [str(installed.bin / "convener"), "serve", "--port", str(port)],
        env={"PATH": "/usr/bin:/bin", "CONVENER_NEO4J_URI": neo4j_server.uri},
        cwd=installed.outside,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, hub, timeout=60)
        assert httpx.get(f"{url}/embed/convener.js").status_code == 200
        related = httpx.get(
            f"{url}/graphql", params={"id": "ConvenerRelated", "variables": '{"topic": "falls"}'}
        )
        assert related.status_code == 200 and "errors" not in related.json(), related.text
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(timeout=60)


def test_convener_demo_from_an_install_says_in_one_line_where_the_demo_lives(
    installed: Installed,
) -> None:
    done = installed.run("demo", env={})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "make demo" in lines[0], done.stderr


def test_the_metadata_builds_without_a_setuptools_warning(tmp_path: Path) -> None:
    """The first `make demo` builds this metadata for the editable install: each deprecation
    setuptools notes (a licence as a TOML table, licence classifiers) would print a block."""
    build = (
        "import sys; from setuptools import build_meta; "
        "build_meta.prepare_metadata_for_build_wheel(sys.argv[1])"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", build, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    metadata = next(tmp_path.glob("convener-*.dist-info")) / "METADATA"
    assert "License-Expression: MIT" in metadata.read_text()
