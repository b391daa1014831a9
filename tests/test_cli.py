"""`convener serve` and `convener neo4j ...` as a person runs them, in real processes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from graph import local_neo4j

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
        # uvicorn shuts the app down, then ends the process with the signal it caught.
        assert hub.wait(timeout=90) in (0, 1, -stop_signal)
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


def test_help_reads_well() -> None:
    result = subprocess.run([str(CONVENER), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("serve", "neo4j"):
        assert command in result.stdout
