"""The local Neo4j: a real Neo4j 5.26 that Convener starts itself when no server is configured.

Maven fetches the jars once into a cache directory; Java 17+ runs ``Launcher.java`` from
``graph/neo4j`` against them in source-file mode. An owned server watches its standard input
and shuts down when its owner goes away, so no JVM outlives the process that started it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase
from neo4j.exceptions import ServiceUnavailable

LAUNCHER_DIR = Path(__file__).parent / "neo4j"
POM = LAUNCHER_DIR / "pom.xml"
LAUNCHER = LAUNCHER_DIR / "Launcher.java"
READY_LINE = "CONVENER-NEO4J READY"
JVM_OPTS_ENV = "CONVENER_NEO4J_JVM_OPTS"
# C1 only: a fresh JVM compiles Neo4j with a fraction of the CPU, at some cost to the peak
# speed of a long run. For short-lived servers (tests); never the default.
QUICK_START_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1",)
STATE_FILE = "neo4j.json"
SETTINGS_FILE = "neo4j-settings.conf"
"""Where ``start`` writes the Neo4j settings a caller gives, for the launcher to read."""
PORT_FILE = "neo4j.port"
"""The port a home's server last listened on: a restarted server takes it again if it is free,
so a hub connected to it follows without being told."""
MINIMUM_JAVA = 17
ALTERNATIVE = (
    "Or run Neo4j yourself (for example `docker compose up neo4j`, see docker-compose.yml) "
    "and point Convener at it with CONVENER_NEO4J_URI=bolt://localhost:7687."
)


class LocalNeo4jError(RuntimeError):
    """The local Neo4j cannot be prepared or started; the message says what to do."""


def neo4j_version() -> str:
    """The Neo4j version the launcher's pom.xml pins: the one place it is written down."""
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", POM.read_text())
    if match is None:
        raise LocalNeo4jError(f"{POM} does not declare <neo4j.version>")
    return match.group(1)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "convener"


def find_java() -> Path:
    """Java 17 or newer, from JAVA_HOME first and then PATH."""
    candidates: list[Path] = []
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidates.append(Path(java_home) / "bin" / "java")
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path))
    seen_versions: list[str] = []
    for candidate in candidates:
        if not candidate.is_file():
            continue
        major = _java_major_version(candidate)
        if major is not None and major >= MINIMUM_JAVA:
            return candidate
        seen_versions.append(f"{candidate} is Java {major or 'of unknown version'}")
    found = f" ({'; '.join(seen_versions)})" if seen_versions else ""
    raise LocalNeo4jError(
        f"The local Neo4j needs Java {MINIMUM_JAVA} or newer and none was found{found}. "
        f"Install a JDK {MINIMUM_JAVA} (for example Debian's openjdk-17-jdk-headless) "
        f"or set JAVA_HOME. {ALTERNATIVE}"
    )


def _java_major_version(java: Path) -> int | None:
    try:
        result = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def ensure_jars(cache_dir: Path | None = None) -> Path:
    """The directory of Neo4j's jars, fetched with Maven on first use."""
    version = neo4j_version()
    lib = (cache_dir or default_cache_dir()) / f"neo4j-{version}" / "lib"
    if (lib / ".complete").is_file():
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalNeo4jError(
            f"The local Neo4j {version} is not cached in {lib.parent} and Maven is not "
            "installed to fetch it. Install Maven (for example Debian's maven package) and "
            f"run again; the first run downloads about 150 MB once. {ALTERNATIVE}"
        )
    lib.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="lib-", dir=lib.parent))
    command = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(POM),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={staging}",
        "-DincludeScope=runtime",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        detail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise LocalNeo4jError(
            f"Maven could not fetch Neo4j {version}: {' | '.join(detail)}. {ALTERNATIVE}"
        )
    (staging / ".complete").write_text(version)
    if lib.exists():
        shutil.rmtree(lib)
    staging.rename(lib)
    return lib


def launcher_classpath(java: Path, lib: Path) -> tuple[str, str]:
    """The classpath and main class to start: the launcher compiled once, next to the jars.

    Java's source-file mode would compile Launcher.java on every start (seconds of CPU);
    compiling it once per launcher version keeps every later start quicker.
    """
    jars = f"{lib}/*"
    digest = hashlib.sha256(LAUNCHER.read_bytes()).hexdigest()[:12]
    classes = lib.parent / f"launcher-{digest}"
    if (classes / "Launcher.class").is_file():
        return f"{jars}:{classes}", "Launcher"
    javac = java.resolve().parent / "javac"  # the compiler of the same JDK
    if not javac.is_file():
        return jars, str(LAUNCHER)
    staging = Path(tempfile.mkdtemp(prefix="launcher-", dir=lib.parent))
    result = subprocess.run(
        [str(javac), "-d", str(staging), "-cp", jars, str(LAUNCHER)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return jars, str(LAUNCHER)
    try:
        staging.rename(classes)
    except OSError:  # another process compiled it first
        shutil.rmtree(staging, ignore_errors=True)
    return f"{jars}:{classes}", "Launcher"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalNeo4j:
    """One running local Neo4j process and where to reach it."""

    process: subprocess.Popen[bytes] | None
    pid: int
    host: str
    port: int
    home: Path

    @property
    def uri(self) -> str:
        return f"bolt://{self.host}:{self.port}"

    def is_running(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return pid_alive(self.pid)

    def stop(self, timeout: float = 60.0) -> None:
        """Shut down cleanly (SIGTERM), killing the JVM only if it does not stop in time."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            if self.process.stdin is not None:
                self.process.stdin.close()
        elif pid_alive(self.pid):
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while pid_alive(self.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if pid_alive(self.pid):
                os.kill(self.pid, signal.SIGKILL)
        self.forget()

    def forget(self) -> None:
        """Remove the home's state file, if it names this server: never another's."""
        path = self.home / STATE_FILE
        try:
            named = int(json.loads(path.read_text())["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            return
        if named == self.pid:
            path.unlink(missing_ok=True)


def start(
    home: Path,
    *,
    port: int | None = None,
    host: str = "127.0.0.1",
    cache_dir: Path | None = None,
    timeout: float = 120.0,
    detached: bool = False,
    pagecache_bytes: int | None = None,
    jvm_options: Sequence[str] = (),
    settings: Mapping[str, str] | None = None,
) -> LocalNeo4j:
    """Start a local Neo4j with its data in ``home`` and wait until Bolt answers.

    An owned server (the default) stops when this process exits, however it exits. A detached
    one (``convener neo4j start``) keeps running and is found again through its state file.
    ``jvm_options``, then those in ``CONVENER_NEO4J_JVM_OPTS`` (shell words), come after the
    defaults, so they can override them (e.g. the heap, or ``QUICK_START_JVM_OPTIONS``).
    ``settings`` are Neo4j settings by their names in neo4j.conf, applied after the launcher's.
    """
    java = find_java()
    lib = ensure_jars(cache_dir)
    home.mkdir(parents=True, exist_ok=True)
    running = find_running(home)
    if running is not None:
        raise LocalNeo4jError(
            f"A local Neo4j already runs on {running.uri} with its data in {home} "
            f"(pid {running.pid}). Stop it with `convener neo4j stop`."
        )
    port = port or remembered_port(home, host) or free_port(host)
    classpath, main = launcher_classpath(java, lib)
    command = [
        str(java),
        *_jvm_options(),
        *jvm_options,
        *shlex.split(os.environ.get(JVM_OPTS_ENV, "")),
        "-cp",
        classpath,
        main,
        "--home",
        str(home),
        "--host",
        host,
        "--port",
        str(port),
    ]
    if pagecache_bytes:
        command += ["--pagecache", str(pagecache_bytes)]
    if settings:
        for name, value in settings.items():
            if "\n" in name + value or "=" in name:
                raise ValueError(f"Neo4j setting {name!r}={value!r}: one line, name before '='")
        written = home / SETTINGS_FILE
        written.write_text("".join(f"{name}={value}\n" for name, value in settings.items()))
        command += ["--settings", str(written)]
    if not detached:
        command.append("--watch-stdin")
    log_path = home / "launcher.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL if detached else subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LocalNeo4j(process=process, pid=process.pid, host=host, port=port, home=home)
    try:
        _wait_until_ready(server, log_path, timeout)
    except BaseException:
        server.stop(timeout=10)
        raise
    (home / STATE_FILE).write_text(json.dumps({"pid": process.pid, "host": host, "port": port}))
    (home / PORT_FILE).write_text(str(port))
    return server


def remembered_port(home: Path, host: str = "127.0.0.1") -> int | None:
    """The port this home's server last used, if it is free to take again."""
    try:
        port = int((home / PORT_FILE).read_text().strip())
    except (OSError, ValueError):
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return None
    return port


def find_running(home: Path) -> LocalNeo4j | None:
    """The local Neo4j that runs with its data in ``home``, if any."""
    try:
        state = json.loads((home / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not pid_alive(int(state["pid"])):
        (home / STATE_FILE).unlink(missing_ok=True)
        return None
    return LocalNeo4j(
        process=None, pid=int(state["pid"]), host=state["host"], port=int(state["port"]), home=home
    )


class Supervisor:
    """Keeps the local Neo4j a process started running: restarted on the same port and data
    when it dies, or followed when someone else started one on the same data meanwhile."""

    def __init__(self, server: LocalNeo4j, **options: Any) -> None:
        self.server = server
        self.options = options
        self.owned = server.process is not None

    def check(self) -> str | None:
        """Restart or adopt the server if it stopped; what was done, or None if it runs."""
        if self.server.is_running():
            return None
        gone = self.server.uri
        other = find_running(self.server.home)
        if other is not None:
            self.server, self.owned = other, False
            return f"the local Neo4j on {gone} stopped; following the one on {other.uri}"
        self.server = start(
            self.server.home, port=self.server.port, host=self.server.host, **self.options
        )
        self.owned = True
        return f"the local Neo4j on {gone} stopped; restarted it on {self.server.uri}"

    def stop(self) -> None:
        """Stop the server if this process started it; leave one it did not start running."""
        if self.owned:
            self.server.stop()


@contextmanager
def running(home: Path, **options: object) -> Iterator[LocalNeo4j]:
    """A local Neo4j for the length of a ``with`` block."""
    server = start(home, **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


def _jvm_options() -> list[str]:
    # The same openings Neo4j's own start scripts pass on Java 17, so the kernel takes its fast
    # paths instead of warning and falling back; plus a modest heap for a developer machine.
    opens = [
        "java.base/java.nio=ALL-UNNAMED",
        "java.base/java.lang=ALL-UNNAMED",
        "java.base/java.lang.reflect=ALL-UNNAMED",
        "java.base/java.io=ALL-UNNAMED",
        "java.base/sun.nio.ch=ALL-UNNAMED",
        "java.base/java.util=ALL-UNNAMED",
        "java.base/java.util.concurrent=ALL-UNNAMED",
        "java.base/java.net=ALL-UNNAMED",
    ]
    options = ["-Xms256m", "-Xmx2g", "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow"]
    options += [f"--add-opens={item}" for item in opens]
    options += ["--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"]
    return options


def _wait_until_ready(server: LocalNeo4j, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    announced = False
    while time.monotonic() < deadline:
        if not server.is_running():
            raise LocalNeo4jError(
                f"The local Neo4j exited while starting. Last lines of {log_path}:\n"
                + _tail(log_path)
            )
        announced = announced or READY_LINE in log_path.read_text(errors="replace")
        if announced and _bolt_answers(server.uri):
            return
        time.sleep(0.25)
    raise LocalNeo4jError(
        f"The local Neo4j did not answer on {server.uri} within {timeout:.0f} s. "
        f"Last lines of {log_path}:\n{_tail(log_path)}"
    )


def _bolt_answers(uri: str) -> bool:
    driver = GraphDatabase.driver(uri, auth=None)
    try:
        driver.verify_connectivity()
        return True
    except (ServiceUnavailable, OSError):
        return False
    finally:
        driver.close()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running (a zombie is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers signal 0; it is not running.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
