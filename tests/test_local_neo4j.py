"""The local Neo4j: real, cleanly stopped, and clear about what it needs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph import local_neo4j
from graph.local_neo4j import LocalNeo4j
from hub.local_database import DatabaseTarget
from tests.live import SESSION_SETTINGS

CONVENER = Path(sys.executable).parent / "convener"


def wait_gone(pid: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not local_neo4j.pid_alive(pid):
            return True
        time.sleep(0.2)
    return False


def test_server_is_a_real_neo4j_of_the_pinned_version(neo4j_server: LocalNeo4j) -> None:
    with GraphDatabase.driver(neo4j_server.uri, auth=None) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition"
        )
    assert records[0]["v"] == local_neo4j.neo4j_version()
    assert records[0]["v"].startswith("5.26.")
    assert records[0]["edition"] == "community"


def test_the_server_hints_no_receive_timeout_to_drivers(neo4j_server: LocalNeo4j) -> None:
    """Keep-alives only while results stream: with a receive-timeout hint (keep-alive for ALL
    requests) the Python driver on 3.11 wraps every socket read in a task and a timer."""
    with GraphDatabase.driver(neo4j_server.uri, auth=None) as driver:
        records, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value "
            "WHERE name = 'server.bolt.connection_keep_alive_for_requests' RETURN value"
        )
    assert [r["value"] for r in records] == ["STREAMING"]


def test_settings_a_caller_gives_reach_the_server(neo4j_server: LocalNeo4j) -> None:
    """The test session's server is started with ``live.SESSION_SETTINGS``, and runs by them."""
    with GraphDatabase.driver(neo4j_server.uri, auth=None) as driver:
        records, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value WHERE name IN $names RETURN name, value",
            names=list(SESSION_SETTINGS),
        )
    assert {r["name"]: r["value"] for r in records} == {"dbms.cypher.min_replan_interval": "1h"}


def test_a_setting_of_more_than_one_line_is_refused_before_anything_starts(
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="one line"):
        local_neo4j.start(tmp_path / "home", settings={"dbms.x": "1\nserver.y=2"})
    assert not (tmp_path / "home" / local_neo4j.SETTINGS_FILE).exists()


def test_the_launcher_runs_compiled_not_from_source(neo4j_server: LocalNeo4j) -> None:
    """Compiling Launcher.java on every start costs seconds; it is compiled once and reused."""
    arguments = Path(f"/proc/{neo4j_server.pid}/cmdline").read_bytes().split(b"\0")
    assert b"Launcher" in arguments
    assert not any(argument.endswith(b"Launcher.java") for argument in arguments)


def test_jvm_exits_when_its_owner_is_killed(tmp_path: Path) -> None:
    """Even a SIGKILLed owner (no clean-up runs) leaves no Java process behind."""
    owner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from pathlib import Path
                from graph import local_neo4j
                server = local_neo4j.start(
                    Path({str(tmp_path / "home")!r}),
                    jvm_options=local_neo4j.QUICK_START_JVM_OPTIONS,
                )
                print(server.pid, flush=True)
                time.sleep(600)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None
    java_pid = int(owner.stdout.readline())
    assert local_neo4j.pid_alive(java_pid)
    owner.send_signal(signal.SIGKILL)
    owner.wait()
    assert wait_gone(java_pid), f"Java process {java_pid} outlived its owner"


def _environment_without(tmp_path: Path, **extra: str) -> dict[str, str]:
    empty_bin = tmp_path / "empty-bin"
    empty_bin.mkdir(exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CONVENER_") and k not in {"JAVA_HOME", "PATH"}
    }
    env.update(PATH=str(empty_bin), CONVENER_DATA_DIR=str(tmp_path / ".convener"), **extra)
    return env


def test_without_java_the_hub_says_what_to_install(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CONVENER), "serve"],
        env=_environment_without(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "needs Java 17 or newer" in message
    assert "openjdk-17-jdk-headless" in message
    assert "docker compose" in message
    assert "Traceback" not in result.stderr


def test_without_maven_and_no_cached_jars_the_hub_says_what_to_install(tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java is not None, "the test machine has Java"
    java_home = Path(java).resolve().parent.parent
    result = subprocess.run(
        [str(CONVENER), "serve"],
        env=_environment_without(
            tmp_path, JAVA_HOME=str(java_home), CONVENER_CACHE_DIR=str(tmp_path / "cache")
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "Maven is not installed" in message
    assert "docker compose" in message
    assert "Traceback" not in result.stderr


def test_jvm_options_from_the_caller_and_the_environment_come_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Later HotSpot options win, so both can override the defaults (here, the heap)."""
    monkeypatch.setenv(local_neo4j.JVM_OPTS_ENV, "-Xmx1g -Dconvener.probe='a b'")
    with local_neo4j.running(
        tmp_path / "home", jvm_options=local_neo4j.QUICK_START_JVM_OPTIONS
    ) as server:
        arguments = [
            a.decode() for a in Path(f"/proc/{server.pid}/cmdline").read_bytes().split(b"\0")
        ]
        with GraphDatabase.driver(server.uri, auth=None) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS ok")
    assert records[0]["ok"] == 1
    assert arguments.index("-XX:TieredStopAtLevel=1") > arguments.index("-Xmx2g")
    assert arguments.index("-Xmx1g") > arguments.index("-XX:TieredStopAtLevel=1")
    assert "-Dconvener.probe=a b" in arguments


def test_a_serving_hubs_local_neo4j_that_dies_is_restarted_on_its_port_with_its_data(
    tmp_path: Path,
) -> None:
    """The hub's supervision thread (what `convener serve` starts) notices the death and
    restarts the server on the same port and data; stopping the hub stops the new one."""
    home = tmp_path / "home"
    server = local_neo4j.start(home, jvm_options=local_neo4j.QUICK_START_JVM_OPTIONS)
    target = DatabaseTarget(server.uri, owned=server)
    target.supervise(every=0.2, jvm_options=local_neo4j.QUICK_START_JVM_OPTIONS)
    try:
        with GraphDatabase.driver(server.uri, auth=None) as driver:
            driver.execute_query("CREATE (:Kept {name: 'before the crash'})")
        os.kill(server.pid, signal.SIGKILL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (target.owned is None or target.owned is server):
            time.sleep(0.2)
        restarted = target.owned
        assert restarted is not None and restarted is not server, "not restarted"
        assert restarted.port == server.port and restarted.pid != server.pid
        with GraphDatabase.driver(server.uri, auth=None) as driver:
            records, _, _ = driver.execute_query("MATCH (k:Kept) RETURN k.name AS name")
        assert [r["name"] for r in records] == ["before the crash"]
    finally:
        target.release()
    assert target.owned is not None and wait_gone(target.owned.pid)


def test_stopping_a_dead_server_keeps_the_state_file_of_another(tmp_path: Path) -> None:
    """The hub's server died and someone started another on the same data: stopping the hub
    must not orphan the other by deleting its state file."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        state = tmp_path / local_neo4j.STATE_FILE
        state.write_text(f'{{"pid": {other.pid}, "host": "127.0.0.1", "port": 7999}}')
        dead = LocalNeo4j(process=None, pid=2**22 + 11, host="127.0.0.1", port=7998, home=tmp_path)
        dead.stop(timeout=1)
        assert state.exists()
        found = local_neo4j.find_running(tmp_path)
        assert found is not None and found.pid == other.pid
        supervisor = local_neo4j.Supervisor(dead)
        assert supervisor.check() == (
            "the local Neo4j on bolt://127.0.0.1:7998 stopped; following the one on "
            "bolt://127.0.0.1:7999"
        )
        supervisor.stop()  # not ours: left running
        assert local_neo4j.pid_alive(other.pid)
    finally:
        other.kill()
        other.wait()
