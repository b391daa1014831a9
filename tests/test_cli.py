"""`convener serve` and `convener neo4j ...` as a person runs them, in real processes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from graph import local_neo4j
from hub.cli.main import app

CONVENER = Path(sys.executable).parent / "convener"


def wait_ready(url: str, process: subprocess.Popen[str], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the hub exited early with {process.returncode}"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url}/readyz did not answer 200 within {timeout} s")


def wait_gone(pid: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not local_neo4j.pid_alive(pid):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_runs_on_the_local_neo4j_and_leaves_no_java_behind(
    hub_env: dict[str, str], stop_signal: signal.Signals
) -> None:
    port = local_neo4j.free_port()
    hub = subprocess.Popen(
        [str(CONVENER), "serve", "--port", str(port)],
        env=hub_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, hub)
        answer = httpx.post(f"{url}/graphql", json={"query": "{ about { neo4jVersion } }"})
        assert answer.json()["data"]["about"]["neo4jVersion"].startswith("5.26.")

        state = Path(hub_env["CONVENER_DATA_DIR"]) / "neo4j" / local_neo4j.STATE_FILE
        java_pid = json.loads(state.read_text())["pid"]
        assert local_neo4j.pid_alive(java_pid)

        hub.send_signal(stop_signal)
        # uvicorn shuts the app down; SIGTERM then ends the process by that signal (as a
        # service manager expects), Ctrl-C with a clean exit.
        expected = {signal.SIGTERM: -signal.SIGTERM, signal.SIGINT: 0}[stop_signal]
        assert hub.wait(timeout=90) == expected
        output = hub.stdout.read() if hub.stdout else ""
        assert "Application shutdown complete" in output
        assert "Traceback" not in output
        assert wait_gone(java_pid), f"Java process {java_pid} outlived `convener serve`"
        assert not state.exists()
    finally:
        if hub.poll() is None:
            hub.kill()
            hub.wait()


def test_neo4j_start_status_stop_reset(hub_env: dict[str, str]) -> None:
    def convener(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CONVENER), *args], env=hub_env, capture_output=True, text=True, timeout=180
        )

    assert convener("neo4j", "status").returncode == 1
    started = convener("neo4j", "start")
    assert started.returncode == 0, started.stderr
    assert "running at bolt://127.0.0.1:" in started.stdout
    try:
        status = convener("neo4j", "status")
        assert status.returncode == 0
        assert "running at bolt://" in status.stdout
        assert convener("neo4j", "start").returncode == 1  # one server per data directory
    finally:
        stopped = convener("neo4j", "stop")
    assert stopped.returncode == 0
    assert "Stopped" in stopped.stdout
    assert convener("neo4j", "status").returncode == 1

    data = Path(hub_env["CONVENER_DATA_DIR"]) / "neo4j"
    assert data.exists()
    assert convener("neo4j", "reset", "--yes").returncode == 0
    assert not data.exists()


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group of the CLI, as the words that name it."""
    yield path
    if isinstance(command, TyperGroup):
        context = typer.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None
            yield from command_paths(sub, (*path, name))


def test_help_reads_well_in_an_80_column_terminal() -> None:
    paths = list(command_paths(typer.main.get_command(app)))
    assert ("sync",) in paths and ("keys", "create") in paths and ("neo4j", "reset") in paths
    for path in paths:
        shown = CliRunner().invoke(
            app, [*path, "--help"], env={"COLUMNS": "80"}, prog_name="convener"
        )
        assert shown.exit_code == 0, (path, shown.output)
        lines = shown.output.splitlines()
        assert lines[0].startswith(f"Usage: convener {' '.join(path)}".rstrip()), path
        for line in lines:
            assert len(line) <= 80, (path, line)  # wrapped by the formatter, not the terminal
            assert "<bool>" not in line, (path, line)  # flags are flags
        for line in lines[1:]:  # the usage line ends in "[ARGS]..."
            assert not line.endswith(("...", "-")), (path, line)  # no help cut, no word broken
        if "Commands:" in lines:  # every command of a group says what it does, in one line
            listed = lines[lines.index("Commands:") + 1 :]
            assert listed and all(len(line.split(maxsplit=1)) == 2 for line in listed), path


def test_flags_take_no_value() -> None:
    shown = CliRunner().invoke(app, ["sync", "--help"], env={"COLUMNS": "80"})
    for flag in ("--dry-run", "--full", "--json", "--due"):
        (line,) = [line for line in shown.output.splitlines() if line.strip().startswith(flag)]
        assert line.split()[1][0].isupper(), line  # the help text follows, not a type


def test_options_name_what_they_take_not_python_types() -> None:
    for path in command_paths(typer.main.get_command(app)):
        shown = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
        for line in shown.output.splitlines():
            assert "<list[" not in line and " range>" not in line, (path, line)
    shown = CliRunner().invoke(app, ["duplicates", "--help"], env={"COLUMNS": "80"}).output
    assert "--format <csv|json>" in shown
    assert "--status <unreviewed|confirmed|dismissed>" in shown
    # A choice not offered is refused by the parser, before any database is looked for.
    refused = CliRunner().invoke(app, ["duplicates", "--status", "maybe"], env={"COLUMNS": "80"})
    assert refused.exit_code == 2 and "'maybe' is not one of" in refused.output
